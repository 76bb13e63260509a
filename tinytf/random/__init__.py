"""``tf.random``: random number ops and ``tf.random.Generator``."""
