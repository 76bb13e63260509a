"""``tf.config``: devices and runtime settings."""
