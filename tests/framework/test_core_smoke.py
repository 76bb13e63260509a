import numpy as np
import pytest

import tinytf as tf


def test_scalar_add_prints_like_tf():
    assert str(tf.constant(2.) + tf.constant(3.)) == "tf.Tensor(5.0, shape=(), dtype=float32)"
    assert repr(tf.constant(6.)) == "<tf.Tensor: shape=(), dtype=float32, numpy=6.0>"


def test_no_implicit_promotion():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[Op:AddV2\]"):
        tf.constant(1) + tf.constant(1.)


def test_textbook_gradient():
    a, b, c = tf.constant(1.), tf.constant(2.), tf.constant(3.)
    w = tf.constant(4.)
    with tf.GradientTape() as tape:
        tape.watch([w])
        y = a * w * w + b * w + c
    [dy_dw] = tape.gradient(y, [w])
    assert str(dy_dw) == "tf.Tensor(10.0, shape=(), dtype=float32)"


def test_variable_matmul_gradient():
    v = tf.Variable([[1., 2.]])
    x = tf.constant([[1.], [2.]])
    with tf.GradientTape() as t:
        z = tf.reduce_sum(tf.matmul(v, x) * 3.)
    np.testing.assert_allclose(t.gradient(z, v).numpy(), [[3., 6.]])
