"""Tensor.__getitem__ with TF's semantics (a StridedSlice op) and tf.strided_slice."""

import numpy as np
import pytest

import tinytf as tf
from gradcheck import check_grad
from tinytf.framework import errors

IAE = errors.InvalidArgumentError
BAD = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and scalar "
       "tf.int32/tf.int64 tensors are valid indices, got ")

XN = np.arange(24.0, dtype=np.float32).reshape(2, 3, 4)


@pytest.fixture
def x():
    return tf.constant(XN)


KEYS = [
    1, -1, (0, 2), (1, -1, -2), slice(None, None, -1), (slice(None), slice(2, 0, -1)),
    (Ellipsis, 0), (None, Ellipsis, None), (1, None, slice(1, 3)), (Ellipsis,),
    (slice(5, 10),), (slice(-10, 10, 2), 1), (slice(None, None, -2), Ellipsis, slice(1, None)),
    (0, slice(None), None, 3), (np.int64(1), Ellipsis), (),
]


@pytest.mark.parametrize("key", KEYS, ids=[repr(k) for k in KEYS])
def test_getitem_matches_numpy(x, key):
    got = x[key]
    want = XN[key]
    assert got.shape == want.shape
    np.testing.assert_array_equal(got.numpy(), want)


def test_tensor_indices(x):
    assert x[tf.constant(1)].shape == (3, 4)
    assert x[tf.constant(1, tf.int64), tf.constant(2)].numpy().tolist() == XN[1, 2].tolist()
    assert x[tf.constant(0):tf.constant(1)].shape == (1, 3, 4)
    v = tf.Variable(1)
    assert x[v].shape == (3, 4)


def test_list_index_is_a_tuple_like_tf(x):
    # TF 2.21 reads a top-level list as a tuple of indices.
    np.testing.assert_array_equal(x[[1]].numpy(), XN[1])
    assert x[[1, 2]].shape == (4,)
    assert x[[1, slice(0, 2)]].shape == (2, 4)


def test_bool_index_is_boolean_mask(x):
    m = np.array([True, False])
    np.testing.assert_array_equal(x[m].numpy(), XN[m])
    np.testing.assert_array_equal(x[tf.constant(m)].numpy(), XN[m])
    with pytest.raises(ValueError, match="mask cannot be scalar."):
        x[True]


@pytest.mark.parametrize("key, shown", [
    (1.5, "1.5"), ("a", "'a'"), ([[1, 2]], "[1, 2]"), (np.array([1, 2]), "array([1, 2])"),
    ((1, [1]), "[1]"),
])
def test_invalid_index_types(x, key, shown):
    with pytest.raises(TypeError) as e:
        x[key]
    assert str(e.value) == BAD + shown


def test_invalid_tensor_indices(x):
    with pytest.raises(TypeError, match=r"valid indices, got <tf.Tensor: shape=\(\), "
                                        r"dtype=float32, numpy=1.0>"):
        x[tf.constant(1.0)]
    with pytest.raises(TypeError, match=r"valid indices, got <tf.Tensor: shape=\(1,\)"):
        x[tf.constant([1])]


def test_out_of_range_and_bad_specs(x):
    m = tf.constant([[1.0, 2, 3], [4, 5, 6]])
    with pytest.raises(IAE, match=r"slice index 5 of dimension 0 out of bounds. "
                                  r"\[Op:StridedSlice\]"):
        m[5]
    with pytest.raises(IAE, match="slice index -3 of dimension 0 out of bounds."):
        m[-3]
    with pytest.raises(IAE, match="slice index 3 of dimension 1 out of bounds."):
        m[:, 3]
    with pytest.raises(IAE, match="Index out of range using input dim 2; input has only 2 dims"):
        m[1, 1, 1]
    with pytest.raises(IAE, match="Multiple ellipses in slice spec not allowed"):
        m[..., ...]
    with pytest.raises(IAE, match="Attempting to slice scalar input."):
        tf.constant(1.0)[0]
    with pytest.raises(IAE, match=r"strides\[0\] must be non-zero"):
        m[::0]


def test_strided_slice_masks(x):
    out = tf.strided_slice(x, [0, 1, 0], [2, 3, 4], [1, 1, 2], begin_mask=1, end_mask=4)
    np.testing.assert_array_equal(out.numpy(), XN[:2, 1:3, ::2])
    out = tf.strided_slice(x, [1, 0], [2, 0], shrink_axis_mask=1, ellipsis_mask=2)
    np.testing.assert_array_equal(out.numpy(), XN[1, ...])
    out = tf.strided_slice(x, [0, 0, 1], [0, 0, 3], new_axis_mask=1, ellipsis_mask=2)
    np.testing.assert_array_equal(out.numpy(), XN[None, ..., 1:3])
    with pytest.raises(IAE, match="slice index 5 of dimension 0 out of bounds."):
        tf.strided_slice(x, [5], [6], shrink_axis_mask=1)


def test_iteration_is_cheap_and_correct(x):
    rows = list(x)
    assert len(rows) == 2 and all(r.shape == (3, 4) for r in rows)
    np.testing.assert_array_equal(rows[1].numpy(), XN[1])
    with pytest.raises(TypeError):
        iter(tf.constant(1.0)).__next__()


def test_slicing_gradients_first_and_second_order():
    rng = np.random.default_rng(3)
    check_grad(lambda t: t[1, ::-2, None, 1:3], [rng.random((2, 3, 4))])
    check_grad(lambda t: t[..., 1] * t[:, :, 1], [rng.random((2, 3, 4))], order=2)
    check_grad(lambda t: tf.strided_slice(t, [0, 1], [3, 3], [2, 1]), [rng.random((4, 3))])


def test_gradient_of_iteration_rows():
    t = tf.constant(np.arange(6.0).reshape(3, 2))
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = sum(tf.reduce_sum(row * float(i)) for i, row in enumerate(t))
    np.testing.assert_array_equal(tape.gradient(y, t).numpy(), [[0, 0], [1, 1], [2, 2]])


def test_run_time_bounds_in_graphs():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            n = tf.shape(x)[0]
            y = x[:n - 1] * 2.0
            s = tf.reduce_sum(y) + x[n - 1]
        return y, tape.gradient(s, x)

    y, g = f(tf.constant([1.0, 2.0, 3.0]))
    np.testing.assert_array_equal(y.numpy(), [2.0, 4.0])
    np.testing.assert_array_equal(g.numpy(), [2.0, 2.0, 1.0])
