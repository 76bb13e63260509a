"""assign_add/assign_sub update the variable's array in place when nothing else can see
it, and copy otherwise, so tensors read earlier keep their values (TF's snapshots)."""

import weakref

import numpy as np

import tinytf as tf


def test_private_array_is_updated_in_place():
    v = tf.Variable(np.ones((3, 3), np.float32))
    g = tf.constant(np.full((3, 3), 0.5, np.float32))
    ref = weakref.ref(v._value)
    v.assign_sub(g)
    v.assign_add(g)
    v.assign_sub(g)
    assert ref() is v._value                    # same buffer: no allocation per step
    np.testing.assert_allclose(v.numpy(), 0.5)


def test_earlier_reads_keep_their_values():
    v = tf.Variable(np.ones(3, np.float32))
    snapshot = v.read_value()
    v.assign_sub(tf.ones(3))
    np.testing.assert_allclose(snapshot.numpy(), 1.0)
    np.testing.assert_allclose(v.numpy(), 0.0)
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(v * v)
    v.assign_add(tf.ones(3))                    # the tape holds the read: copy
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), 0.0)


def test_callers_arrays_and_views_are_never_written():
    base = np.ones((2, 3), np.float32)
    v = tf.Variable(base[0])                    # a view of the caller's array
    v.assign_sub(tf.ones(3))
    arr = np.ones(3, np.float32)
    u = tf.Variable(arr)
    u.assign_add(tf.ones(3))
    np.testing.assert_allclose(base, 1.0)
    np.testing.assert_allclose(arr, 1.0)
    np.testing.assert_allclose(u.numpy(), 2.0)


def test_in_place_inside_tf_function():
    v = tf.Variable(np.zeros(4, np.float32))

    @tf.function
    def step(d):
        v.assign_add(d)
    for _ in range(3):
        step(tf.ones(4))
    np.testing.assert_allclose(v.numpy(), 3.0)
