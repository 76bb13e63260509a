"""TF 2.x eager execution: ops run at once and print their values."""

import tinytf as tf

a = tf.constant(2.)
b = tf.constant(4.)
print('a+b=', a + b)
