"""``tf.config.experimental``: memory settings and device queries (filled in by
``tinytf.config``, which owns the implementations)."""
