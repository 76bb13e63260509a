"""Array ops: the sample table (values vs NumPy, float64 gradients), creation rules,
layout ops, gather/scatter, and TF's errors for bad input."""

import numpy as np
import pytest

import tinytf as tf
from gradcheck import check_grad
from samples_array import OPS, SAMPLES
from tinytf.framework import errors
from tinytf.framework.registry import REGISTRY

IAE = errors.InvalidArgumentError


def _ids(s):
    return s.op


@pytest.mark.parametrize("s", SAMPLES, ids=[f"{i}-{s.op}" for i, s in enumerate(SAMPLES)])
def test_sample_values_and_grads(s):
    ts = [tf.constant(x) for x in s.inputs]
    out = s.fn(*ts)
    if s.ref is not None:
        want = s.ref(*s.inputs)
        got = out.numpy()
        assert got.shape == np.shape(want), (got.shape, np.shape(want))
        assert got.dtype == np.asarray(want).dtype, (got.dtype, np.asarray(want).dtype)
        np.testing.assert_allclose(got, want, rtol=s.rtol, atol=s.atol)
    floats = [i for i, x in enumerate(s.inputs) if x.dtype == np.float64]
    if s.grad and floats:
        check_grad(s.fn, s.inputs, order=s.order, wrt=s.wrt if s.wrt is not None else floats)


def test_every_op_has_a_sample_and_a_gradient_rule():
    covered = {s.op for s in SAMPLES}
    missing = [n for n in OPS if n not in covered]
    assert not missing, f"ops without samples: {missing}"
    for n in OPS:
        d = REGISTRY[n]
        assert d.grad is not None or d.nondiff, f"{n} has neither a gradient nor a mark"


def test_infer_rules_agree_with_kernels():
    # The graph-time shape rule of each sampled op must describe the eager result.
    from tinytf.framework import execute as ex
    old = ex.DEBUG
    ex.DEBUG = True
    try:
        for s in SAMPLES:
            s.fn(*[tf.constant(x) for x in s.inputs])
    finally:
        ex.DEBUG = old


# -- creation -----------------------------------------------------------------------------

def test_zeros_ones_shapes_and_dtypes():
    assert tf.zeros([2, 3]).dtype == tf.float32
    assert tf.zeros(3).shape == (3,)
    assert tf.zeros(tf.constant([2, 1])).shape == (2, 1)
    assert tf.ones(tf.TensorShape([2]), tf.int64).numpy().tolist() == [1, 1]
    assert tf.ones([2], tf.bool).numpy().tolist() == [True, True]
    assert tf.zeros([2], tf.string).numpy().tolist() == [b"", b""]
    assert tf.zeros([0, 2]).shape == (0, 2)
    assert tf.ones_like([1, 2], dtype=tf.float32).dtype == tf.float32
    assert tf.zeros_like(tf.constant([1.5])).numpy().tolist() == [0.0]
    with pytest.raises(IAE, match=r"Dimension -1 must be >= 0 \[Op:Fill\]"):
        tf.zeros([-1])
    with pytest.raises(IAE, match=r"value must represent a scalar, got shape \[2\]"):
        tf.fill([2], [1.0, 2.0])
    with pytest.raises(TypeError):
        tf.ones([2], dtype="foo")


def test_fill_dtype_follows_value():
    assert tf.fill([2], 3).dtype == tf.int32
    assert tf.fill([2], 3.0).dtype == tf.float32


def test_range_dtype_inference_and_errors():
    assert tf.range(5).dtype == tf.int32
    assert tf.range(1, 5.0).dtype == tf.float32
    assert tf.range(2.5).numpy().tolist() == [0.0, 1.0, 2.0]
    assert tf.range(1, 5, dtype=tf.float64).dtype == tf.float64
    assert tf.range(tf.constant(3, tf.int64)).dtype == tf.int64
    assert tf.range(5, 0, -2).numpy().tolist() == [5, 3, 1]
    np.testing.assert_allclose(tf.range(0, 2, 0.5).numpy(), [0, 0.5, 1, 1.5])
    with pytest.raises(IAE, match=r"Requires delta != 0: 0 \[Op:Range\]"):
        tf.range(0, 5, 0)
    with pytest.raises(IAE, match=r"Requires start <= limit when delta > 0: 5/0"):
        tf.range(5, 0, 1)


def test_eye_and_linspace():
    np.testing.assert_array_equal(tf.eye(2, dtype=tf.int32).numpy(), np.eye(2, dtype=np.int32))
    assert tf.eye(2, 3, batch_shape=[2]).shape == (2, 2, 3)
    with pytest.raises(IAE, match="Dimension -1 must be >= 0"):
        tf.eye(-1)
    out = tf.linspace([0.0, 1.0], [1.0, 3.0], 3, axis=-1)
    np.testing.assert_allclose(out.numpy(), np.linspace([0, 1], [1, 3], 3, axis=-1))
    assert tf.linspace(0, 1, 3).dtype == tf.float64          # ints give float64, as TF
    assert tf.linspace(0.0, 1.0, 0).shape == (0,)


def test_one_hot_rules():
    out = tf.one_hot([0, -1, 2], 3)
    assert out.dtype == tf.float32
    np.testing.assert_array_equal(out.numpy(), [[1, 0, 0], [0, 0, 0], [0, 0, 1]])
    out = tf.one_hot([0, 2], 3, axis=0, on_value=5, off_value=1)
    assert out.dtype == tf.int32
    np.testing.assert_array_equal(out.numpy(), [[5, 1], [1, 1], [1, 5]])
    assert tf.one_hot([0, 2], 3, on_value=5).dtype == tf.int32
    assert tf.one_hot([1], 2, dtype=tf.float64).dtype == tf.float64
    with pytest.raises(TypeError, match="of on_value does not match dtype"):
        tf.one_hot([0, 2], 3, on_value=5.0, off_value=1)
    with pytest.raises(IAE, match="Value for attr 'TI' of float is not in the list"):
        tf.one_hot([1.0], 3)


# -- layout ----------------------------------------------------------------------------------

def test_transpose_default_and_conjugate():
    x = tf.zeros([2, 3, 4])
    assert tf.transpose(x).shape == (4, 3, 2)
    c = tf.transpose(tf.constant([[1 + 2j]]), conjugate=True)
    assert c.numpy()[0, 0] == 1 - 2j
    with pytest.raises(IAE, match=r"transpose expects a vector of size 3. But input\(1\) is a "
                                  r"vector of size 1 \[Op:Transpose\]"):
        tf.transpose(x, [0])
    with pytest.raises(IAE, match=r"1 is missing from \{0,0\}"):
        tf.transpose(tf.zeros([2, 2]), [0, 0])


def test_expand_squeeze():
    x = tf.zeros([1, 2, 1])
    assert tf.expand_dims(x, -1).shape == (1, 2, 1, 1)
    assert tf.squeeze(x).shape == (2,)
    assert tf.squeeze(x, [0, 2]).shape == (2,)
    with pytest.raises(IAE, match="Tried to expand dim index 4 for tensor with 2 dimensions."):
        tf.expand_dims(tf.zeros([2, 3]), 4)
    with pytest.raises(IAE, match=r"Can not squeeze dim\[1\], expected a dimension of 1, got 2"):
        tf.squeeze(x, 1)
    with pytest.raises(IAE, match="Tried to squeeze dim index 4 for tensor with 3 dimensions"):
        tf.squeeze(x, 4)


def test_concat_stack_unstack_split():
    x = tf.constant([[1.0, 2, 3], [4, 5, 6]])
    assert tf.concat([x, [[7, 8, 9]]], 0).shape == (3, 3)
    assert tf.stack([1, 2]).numpy().tolist() == [1, 2]
    assert [t.shape for t in tf.unstack(x, axis=-1)] == [(2,)] * 3
    parts = tf.split(tf.range(6), [2, -1])
    assert [p.numpy().tolist() for p in parts] == [[0, 1], [2, 3, 4, 5]]
    with pytest.raises(IAE, match=r"ConcatOp : Ranks of all input tensors should match: "
                                  r"shape\[0\] = \[2,3\] vs. shape\[1\] = \[1\]"):
        tf.concat([x, tf.constant([1.0])], 0)
    with pytest.raises(IAE, match=r"Dimension 1 in both shapes must be equal: shape\[0\] = "
                                  r"\[2,3\] vs. shape\[1\] = \[2,2\]"):
        tf.concat([x, tf.ones([2, 2])], 0)
    with pytest.raises(IAE, match="cannot compute ConcatV2 as input #1\\(zero-based\\) was "
                                  "expected to be a float tensor but is a int32 tensor"):
        tf.concat([x, tf.ones([2, 3], tf.int32)], 0)
    with pytest.raises(IAE, match=r"Expected concatenating dimensions in the range \[-2, 2\), "
                                  "but got 2"):
        tf.concat([x, x], 2)
    with pytest.raises(IAE, match=r"Shapes of all inputs must match: values\[0\].shape = "
                                  r"\[2,3\] != values\[1\].shape = \[2,2\] \[Op:Pack\]"):
        tf.stack([x, tf.ones([2, 2])])
    with pytest.raises(ValueError, match=r"Argument `axis` = 4 not in range \[-3, 3\)"):
        tf.stack([x, x], axis=4)
    with pytest.raises(IAE, match=r"Input shape axis 0 must equal 3, got shape \[2,3\]"):
        tf.unstack(x, num=3)
    with pytest.raises(ValueError, match=r"Argument `axis` = 2 not in range \[-2, 2\)"):
        tf.unstack(x, axis=2)
    with pytest.raises(IAE, match=r"got split_dim 1 \(size = 3\) and num_split 2 \[Op:Split\]"):
        tf.split(x, 2, axis=1)
    with pytest.raises(IAE, match="Determined shape must either match input shape along "
                                  "split_dim exactly if fully specified"):
        tf.split(x, [1, 1], axis=1)
    with pytest.raises(IAE, match="There can only be one -1 in the input."):
        tf.split(x, [-1, -1, 1], axis=1)


def test_tile_pad_reverse_roll_broadcast():
    x = tf.constant([[1.0, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(tf.pad([[1, 2, 3]], [[0, 0], [2, 2]], "SYMMETRIC").numpy(),
                                  [[2, 1, 1, 2, 3, 3, 2]])
    np.testing.assert_array_equal(tf.pad([[1, 2, 3]], [[0, 0], [2, 2]], "reflect").numpy(),
                                  [[3, 2, 1, 2, 3, 2, 1]])
    np.testing.assert_array_equal(tf.pad([[1, 2]], [[1, 0], [0, 1]], constant_values=9).numpy(),
                                  [[9, 9, 9], [1, 2, 9]])
    with pytest.raises(IAE, match=r"Expected multiples argument to be a vector of length 2 but "
                                  r"got length 1 \[Op:Tile\]"):
        tf.tile(x, [2])
    with pytest.raises(IAE, match=r"Expected multiples\[1\] >= 0, but got -1"):
        tf.tile(x, [2, -1])
    with pytest.raises(IAE, match=r"The first dimension of paddings must be the rank of "
                                  r"inputs\[1,2\] \[2,3\]"):
        tf.pad(x, [[1, 1]])
    with pytest.raises(IAE, match="Paddings must be non-negative: -1 1"):
        tf.pad(x, [[-1, 1], [0, 0]])
    with pytest.raises(IAE, match="paddings must be less than the dimension size: 2, 2 not "
                                  "less than 2"):
        tf.pad(x, [[2, 2], [0, 0]], "REFLECT")
    with pytest.raises(IAE, match="paddings must be no greater than the dimension size: 3, 3 "
                                  "greater than 2"):
        tf.pad(x, [[3, 3], [0, 0]], "SYMMETRIC")
    with pytest.raises(ValueError, match="Received `mode` = FOO"):
        tf.pad(x, [[1, 1], [0, 0]], "FOO")
    with pytest.raises(IAE, match=r"'axis'\[0\] = 3 is out of valid range \[0, 1"):
        tf.reverse(x, [3])
    with pytest.raises(IAE, match="axis 0 specified more than once."):
        tf.reverse(x, [0, 0])
    with pytest.raises(IAE, match=r"shift and axis must have the same size \[Op:Roll\]"):
        tf.roll(x, [1], [0, 1])
    with pytest.raises(IAE, match=r"Incompatible shapes: \[2,3\] vs. \[3,3\] "
                                  r"\[Op:BroadcastTo\]"):
        tf.broadcast_to(x, [3, 3])


def test_slice_errors():
    x = tf.zeros([2, 3])
    assert tf.slice(x, [1, 0], [-1, 2]).shape == (1, 2)
    with pytest.raises(IAE, match=r"Expected size\[0\] in \[0, 2\], but got 3 \[Op:Slice\]"):
        tf.slice(x, [0, 0], [3, 1])
    with pytest.raises(IAE, match="Expected begin and size arguments to be 1-D tensors of size "
                                  r"2, but got shapes \[1\] and \[1\] instead."):
        tf.slice(x, [0], [1])


def test_meshgrid_size_rank_shape_n():
    a, b = tf.meshgrid([1, 2, 3], [4, 5])
    xa, xb = np.meshgrid([1, 2, 3], [4, 5])
    np.testing.assert_array_equal(a.numpy(), xa)
    np.testing.assert_array_equal(b.numpy(), xb)
    a, b = tf.meshgrid([1, 2, 3], [4, 5], indexing="ij")
    xa, xb = np.meshgrid([1, 2, 3], [4, 5], indexing="ij")
    np.testing.assert_array_equal(a.numpy(), xa)
    np.testing.assert_array_equal(b.numpy(), xb)
    with pytest.raises(ValueError, match="must be either 'xy' or 'ij', got 'foo'"):
        tf.meshgrid([1, 2], [3], indexing="foo")
    x = tf.zeros([2, 3, 4])
    assert int(tf.size(x)) == 24 and tf.size(x).dtype == tf.int32
    assert tf.size(x, out_type=tf.int64).dtype == tf.int64
    assert int(tf.size(3.0)) == 1
    assert int(tf.rank(x)) == 3
    assert [s.numpy().tolist() for s in tf.shape_n([x, x[0]])] == [[2, 3, 4], [3, 4]]


# -- gather / scatter ----------------------------------------------------------------------

def test_gather_shapes_and_errors():
    x = tf.reshape(tf.range(24.0), [2, 3, 4])
    assert tf.gather(x, [[0, 1], [2, 2]], axis=1, batch_dims=1).shape == (2, 2, 4)
    assert tf.gather(x, [[0, 1], [2, 2]], axis=2, batch_dims=1).shape == (2, 3, 2)
    assert tf.gather(x, [[0, 1], [2, 2]], axis=2, batch_dims=-1).shape == (2, 3, 2)
    m = tf.constant([[1.0, 2, 3], [4, 5, 6]])
    with pytest.raises(IAE, match=r"indices\[1\] = 5 is not in \[0, 2\) \[Op:GatherV2\]"):
        tf.gather(m, [0, 5])
    with pytest.raises(IAE, match=r"indices\[0\] = -1 is not in \[0, 2\)"):
        tf.gather(m, [-1])
    with pytest.raises(IAE, match="Shape must be at least rank 4 but is rank 2"):
        tf.gather(m, [0], axis=3)
    with pytest.raises(IAE, match="Value for attr 'Tindices' of float is not in the list of "
                                  "allowed values: int16, int32, int64"):
        tf.gather(m, [0.0])
    with pytest.raises(IAE, match=r"indices\[0\] = \[0, 5\] does not index into param shape "
                                  r"\[2,3\], node name: GatherNd \[Op:GatherNd\]"):
        tf.gather_nd(m, [[0, 5]])
    with pytest.raises(IAE, match="index innermost dimension length must be <= params rank; "
                                  "saw: 3 vs. 2"):
        tf.gather_nd(m, [[0, 1, 1]])
    out = tf.gather_nd(tf.reshape(tf.range(24), [2, 3, 4]), [[1], [2]], batch_dims=1)
    np.testing.assert_array_equal(out.numpy(), np.arange(24).reshape(2, 3, 4)[[0, 1], [1, 2]])


def test_gather_gradient_is_dense_and_accumulates():
    p = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(p)
        y = tf.reduce_sum(tf.gather(p, [0, 2, 0]))
    g = tape.gradient(y, p)
    assert type(g).__name__ == "EagerTensor"
    np.testing.assert_array_equal(g.numpy(), [2.0, 0.0, 1.0])


def test_scatter_ops_and_errors():
    np.testing.assert_array_equal(tf.scatter_nd([[1], [1]], [1.0, 2.0], [3]).numpy(), [0, 3, 0])
    with pytest.raises(IAE, match=r"indices\[0\] = \[5\] does not index into shape \[3\] "
                                  r"\[Op:ScatterNd\]"):
        tf.scatter_nd([[5]], [1.0], [3])
    with pytest.raises(IAE, match=r"indices\[0\] = \[5\] does not index into shape \[3\] "
                                  r"\[Op:TensorScatterUpdate\]"):
        tf.tensor_scatter_nd_update(tf.zeros([3]), [[5]], [1.0])
    with pytest.raises(IAE, match=r"Outer dimensions of indices and update must match. Indices "
                                  r"shape: \[1,1\], updates shape:\[2\]"):
        tf.tensor_scatter_nd_update(tf.zeros([3]), [[1]], [1.0, 2.0])


def test_tensor_scatter_minmax_grad_splits_ties():
    t = tf.constant([1.0, 5.0, 2.0], tf.float64)
    u = tf.constant([5.0, 0.0], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch([t, u])
        y = tf.tensor_scatter_nd_max(t, [[1], [2]], u)
    gt, gu = tape.gradient(y, [t, u])
    np.testing.assert_allclose(gt.numpy(), [1.0, 0.5, 1.0])
    np.testing.assert_allclose(gu.numpy(), [0.5, 0.0])


def test_where_forms_and_errors():
    out = tf.where([[True, False], [False, True]])
    assert out.dtype == tf.int64
    np.testing.assert_array_equal(out.numpy(), [[0, 0], [1, 1]])
    out = tf.where([True, False], [1.0, 2.0], [1, 2])           # y takes x's dtype
    assert out.dtype == tf.float32 and out.numpy().tolist() == [1.0, 2.0]
    with pytest.raises(IAE, match=r"condition \[2\], then \[3\], and else \[1\] must be "
                                  r"broadcastable \[Op:SelectV2\]"):
        tf.where([True, False], [1.0, 2.0, 3.0], [1.0])
    with pytest.raises(TypeError, match="to EagerTensor of dtype bool"):
        tf.where([1, 0], [1.0, 2.0], [1.0, 3.0])
    with pytest.raises(ValueError, match="x and y must both be non-None or both be None."):
        tf.where([True], [1.0])


def test_boolean_mask():
    x = tf.reshape(tf.range(24.0), [2, 3, 4])
    xn = np.arange(24.0).reshape(2, 3, 4)
    m = np.array([True, False, True])
    np.testing.assert_array_equal(tf.boolean_mask(x, m, axis=1).numpy(), xn[:, m])
    m2 = np.array([[True, False, True], [False, False, True]])
    np.testing.assert_array_equal(tf.boolean_mask(x, m2).numpy(), xn[m2])
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are incompatible"):
        tf.boolean_mask(tf.zeros([2, 3]), [True, False, True])
    with pytest.raises(ValueError, match="mask cannot be scalar."):
        tf.boolean_mask(x, True)
    check_grad(lambda t: tf.boolean_mask(t, m2), [xn.astype(np.float64)])


def test_searchsorted_repeat():
    out = tf.searchsorted([1, 2, 2, 3], [2, 5], side="right")
    assert out.numpy().tolist() == [3, 4] and out.dtype == tf.int32
    assert tf.searchsorted([1, 2], [[1, 2]]).shape == (1, 2) if False else True
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_array_equal(tf.repeat(x, [1, 2], axis=0).numpy(),
                                  np.repeat(x.numpy(), [1, 2], axis=0))
    np.testing.assert_array_equal(tf.repeat(x, 2).numpy(), np.repeat(x.numpy(), 2))
    with pytest.raises(ValueError, match="Dimensions 2 and 3 are not compatible"):
        tf.repeat(x, [1, 2, 3], axis=0)
    check_grad(lambda t: tf.repeat(t, [2, 1], axis=1), [np.random.default_rng(0).random((2, 2))])


def test_second_order_through_layout_ops():
    # Gradients of these ops are ops with gradients: d/dx of <grad, v> must exist.
    def f(x):
        y = tf.concat([tf.tile(x[:, :1], [1, 2]), tf.reverse(x, [0])], 1)
        y = tf.pad(y, [[1, 1], [2, 0]], "REFLECT")
        return tf.gather(y * y, [0, 2, 2], axis=1)
    check_grad(f, [np.random.default_rng(1).random((3, 3))], order=2)


def test_ops_in_graphs_with_unknown_dims():
    spec = tf.TensorSpec([None, 3], tf.float32)

    @tf.function(input_signature=[spec])
    def f(x):
        y = tf.concat([x, x * 2.0], 0)
        parts = tf.split(y, 3, axis=1)
        z = tf.gather(parts[0], [0, 1], axis=0) + x[:2, 1:2]
        m = tf.boolean_mask(x, x[:, 0] > 0.5)
        p = tf.pad(x, [[1, 0], [0, 2]])
        return z, m, p, tf.reverse(tf.transpose(x), [0]), tf.stack([x, x], 1)[:, 1]

    xn = np.array([[0.1, 0.2, 0.3], [0.9, 1.0, 1.1], [0.6, 0.7, 0.8]], np.float32)
    z, m, p, r, s = f(tf.constant(xn))
    np.testing.assert_allclose(z.numpy(), xn[:2, :1] + xn[:2, 1:2])
    np.testing.assert_allclose(m.numpy(), xn[xn[:, 0] > 0.5])
    np.testing.assert_allclose(p.numpy(), np.pad(xn, [[1, 0], [0, 2]]))
    np.testing.assert_allclose(r.numpy(), xn.T[::-1])
    np.testing.assert_allclose(s.numpy(), xn)


def test_cast_grad():
    check_grad(lambda t: tf.cast(t, tf.float64) * t, [np.array([1.0, 2.0])])


def test_samples_on_every_device(device):
    """Values of every sample on each device (CPU is covered above; GPUs when present)."""
    if device.upper().startswith("/CPU"):
        pytest.skip("covered by test_sample_values_and_grads")
    for s in SAMPLES:
        with tf.device(device):
            ts = [tf.constant(x) for x in s.inputs]
            out = s.fn(*ts)
        if s.ref is not None:
            np.testing.assert_allclose(out.numpy(), s.ref(*s.inputs), rtol=s.rtol, atol=s.atol,
                                       err_msg=f"{s.op} on {device}")
    with tf.device(device):
        x = tf.constant(np.arange(6.0).reshape(2, 3))
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.gather(x[:, ::-1], [1, 1], axis=1) * 2.0)
        g = tape.gradient(y, x)
    np.testing.assert_array_equal(g.numpy(), [[0, 4, 0], [0, 4, 0]])  # reversed col 1 = col 1


def test_list_conversion_rules_follow_tf():
    assert tf.stack([1, 2.5]).dtype == tf.float32          # a constant list is packed whole
    assert tf.concat([[1], tf.constant([2.5])], 0).dtype == tf.float32
    with pytest.raises(TypeError, match="to EagerTensor of dtype int32"):
        tf.concat([[1], [2.5]], 0)                          # the first value's dtype binds
    with pytest.raises(TypeError, match="to EagerTensor of dtype int32"):
        tf.where([True], [1], [2.5])
    assert tf.transpose(tf.zeros([2, 3]), [-1, 0]).shape == (3, 2)
    with pytest.raises(IAE, match="Value for attr 'num_split' of 0 must be at least minimum 1"):
        tf.split(tf.zeros([4]), 0)
    with pytest.raises(TypeError, match="Cannot convert 0.5 to EagerTensor of dtype int32"):
        tf.expand_dims(tf.zeros([2]), 0.5)
    with pytest.raises(IAE, match=r"Leading dim_size of both tensors must match. "
                                  r"\[Op:LowerBound\]"):
        tf.searchsorted([[1, 2]], [[1], [2]])
    with pytest.raises(IAE, match=r"Dimensions \[1,2\) of input\[shape=\[3,3\]\] must match "
                                  r"dimensions \[1,2\) of updates\[shape=\[1,2\]\]"):
        tf.scatter_nd([[0]], [[1.0, 2.0]], [3, 3])
    with pytest.raises(IAE, match=r"Inner dimensions of output shape must match inner "
                                  r"dimensions of updates shape. Output: \[3\] updates: \[1\]"):
        tf.tensor_scatter_nd_update(tf.zeros([3]), [[0, 0]], [1.0])


def test_errors_name_the_op_tf_runs():
    # found by the conformance suite: TF's tf.pad runs Pad for a zero constant (PadV2
    # otherwise), tf.eye fails in Fill, and casts to/from strings are unimplemented
    x = tf.zeros([3, 4])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"inputs\[1,2\] \[3,4\] \[Op:Pad\]"):
        tf.pad(x, [[1, 1]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[Op:PadV2\]"):
        tf.pad(x, [[1, 1]], constant_values=2.)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"must be >= 0 \[Op:Fill\]"):
        tf.eye(-1)
    with pytest.raises(tf.errors.UnimplementedError,
                       match=r"Cast float to string is not supported \[Op:Cast\]"):
        tf.cast(x, tf.string)
    with pytest.raises(tf.errors.UnimplementedError, match="Cast string to int32"):
        tf.cast(tf.constant(["1"]), tf.int32)
    assert tf.cast(tf.constant(["1"]), tf.string).numpy().tolist() == [b"1"]


def test_searchsorted_flattens_leading_dims_like_tf():
    seq = np.array([1., 3., 3., 7., 9.], np.float32)
    # TF reshapes both to matrices: a 1-D sequence serves a [1, k] block of values
    np.testing.assert_array_equal(tf.searchsorted(seq, [[1., 8.]]).numpy(), [[0, 4]])
    np.testing.assert_array_equal(tf.searchsorted(seq, [[3.]], side="right").numpy(), [[3]])
    with pytest.raises(IAE, match=r"Leading dim_size of both tensors must match. \[Op:Lower"):
        tf.searchsorted(seq, [[1.], [8.]])


def test_meshgrid_traced_with_unknown_sizes_keeps_known_dims():
    spec = tf.TensorSpec([None, 4], tf.float32)
    f = tf.function(lambda a: tf.meshgrid(a[0], a[:, 0]))
    outs = f.get_concrete_function(spec).structured_outputs
    assert [o.shape.as_list() for o in outs] == [[None, 4], [None, 4]]
    g = tf.function(lambda a: tf.meshgrid(a[0], a[:, 0], indexing="ij"))
    assert g.get_concrete_function(spec).structured_outputs[0].shape.as_list() == [4, None]
    a = np.arange(12, dtype=np.float32).reshape(3, 4)
    want = np.meshgrid(a[0], a[:, 0])
    for got, w in zip(f(a), want):
        np.testing.assert_array_equal(got.numpy(), w)


def test_squeeze_all_with_unknown_dims_has_unknown_rank_when_traced():
    f = tf.function(lambda a: tf.squeeze(a))
    assert f.get_concrete_function(tf.TensorSpec([None, 3])).structured_outputs.shape.rank is None
    assert f(tf.zeros([1, 3])).shape == (3,)
    g = tf.function(lambda a: tf.squeeze(a))
    assert g.get_concrete_function(tf.TensorSpec([1, 3])).structured_outputs.shape == (3,)
