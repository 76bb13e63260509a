"""TF 1.x style: build a graph of placeholders, then run it in a Session with feed_dict."""

import tinytf.compat.v1 as tf

tf.disable_eager_execution()

a_ph = tf.placeholder(tf.float32, name='variable_a')
b_ph = tf.placeholder(tf.float32, name='variable_b')
c_op = tf.add(a_ph, b_ph, name='variable_c')

sess = tf.InteractiveSession()
init = tf.global_variables_initializer()
sess.run(init)
c_numpy = sess.run(c_op, feed_dict={a_ph: 2., b_ph: 4.})
print('a+b=', c_numpy)
