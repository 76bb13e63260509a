"""tf.autodiff.ForwardAccumulator: JVPs against the tape's Jacobian, and TF's behaviour."""

import numpy as np
import pytest

import tinytf as tf


def test_jvp_of_variable_function():
    v = tf.Variable([1., 2.])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1., 0.])) as acc:
        y = tf.reduce_sum(v ** 3.)
    assert float(acc.jvp(y)) == 3.0                  # TF: 3.0


def test_jvp_matches_jacobian_vector_product(rng):
    x0 = rng.standard_normal((2, 3))
    w0 = rng.standard_normal((3, 4))
    b0 = rng.standard_normal(4)
    tx = rng.standard_normal((2, 3))
    x, w, b = tf.constant(x0), tf.constant(w0), tf.constant(b0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(tx)) as acc:
        y = tf.exp(tf.matmul(x, w) + b) * x[:, :1]
    with tf.GradientTape() as tape:
        tape.watch(x)
        y2 = tf.exp(tf.matmul(x, w) + b) * x[:, :1]
    jac = tape.jacobian(y2, x).numpy()               # (2, 4, 2, 3)
    want = np.einsum("ijkl,kl->ij", jac, tx)
    np.testing.assert_allclose(acc.jvp(y).numpy(), want, rtol=1e-10)


def test_unconnected_and_structures():
    x = tf.constant(2.)
    with tf.autodiff.ForwardAccumulator(primals=x, tangents=tf.constant(1.)) as acc:
        y = x * x
        z = tf.constant(3.) * 2.
    jy, jz = acc.jvp([y, z])
    assert float(jy) == 4.0 and jz is None
    assert float(acc.jvp(z, unconnected_gradients=tf.UnconnectedGradients.ZERO)) == 0.0
    assert float(acc.jvp(x)) == 1.0


def test_reverse_over_forward():
    x = tf.constant(2.)
    with tf.GradientTape() as t:
        t.watch(x)
        with tf.autodiff.ForwardAccumulator(x, tf.constant(1.)) as acc:
            y = x * x * x
        j = acc.jvp(y)
    assert float(j) == 12.0 and float(t.gradient(j, x)) == 12.0     # TF: 12, 12


def test_errors():
    x = tf.constant(2.)
    acc = tf.autodiff.ForwardAccumulator(x, tf.constant(1.))
    with pytest.raises(ValueError, match="^Accumulator is already recording.$"):
        with acc:
            with acc:
                pass
    with pytest.raises(AttributeError, match="^'float' object has no attribute '_id'$"):
        acc.jvp(3.0)
