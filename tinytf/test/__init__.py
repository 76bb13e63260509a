"""``tf.test``: numerical gradient checking and device queries."""
