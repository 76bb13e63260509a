"""Linear regression with tinytf tensors and GradientTape: the same fit as
linear_regression_numpy.py, with gradients computed automatically."""

import os

import numpy as np

import tinytf as tf

ITERATIONS = int(os.environ.get("TINYTF_EXAMPLE_ITERS", "1000"))


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-10., 10., 100)
    eps = rng.normal(0., 0.01, 100)
    y = 1.477 * x + 0.089 + eps
    return tf.constant(x, dtype=tf.float32), tf.constant(y, dtype=tf.float32)


def main():
    x, y = make_data()
    w = tf.Variable(0.)
    b = tf.Variable(0.)
    lr = 0.01
    for step in range(ITERATIONS):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(y - (w * x + b)))
        dw, db = tape.gradient(loss, [w, b])
        w.assign_sub(lr * dw)
        b.assign_sub(lr * db)
        if step % 50 == 0:
            print(f"iteration:{step}, loss:{loss.numpy()}, w:{w.numpy()}, b:{b.numpy()}")
    print(f"Final loss:{loss.numpy()}, w:{w.numpy()}, b:{b.numpy()}")


if __name__ == "__main__":
    main()
