"""Convolution and pooling: values against the NumPy references in nn_ref.py, gradients
(first and second order) against finite differences, TF's tie rule for max-pooling
gradients, TF's SAME padding, and TF's errors."""

import numpy as np
import pytest

import nn_ref
import tinytf as tf
from gradcheck import check_grad

rng = np.random.default_rng(7)


def _f(*shape, dtype=np.float64):
    return rng.standard_normal(shape).astype(dtype)


def _grad(f, *xs, upstream=None):
    ts = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        for t in ts:
            tape.watch(t)
        y = f(*ts)
    return y, tape.gradient(y, ts, output_gradients=upstream)


# -- conv2d forward ---------------------------------------------------------------------

CONV_CASES = [
    # x shape, w shape, strides, padding, dilations
    ((2, 5, 6, 3), (3, 2, 3, 4), (1, 1), "VALID", (1, 1)),
    ((2, 7, 9, 3), (3, 3, 3, 4), (2, 3), "SAME", (1, 1)),
    ((1, 8, 8, 2), (3, 3, 2, 5), (1, 2), "SAME", (2, 1)),
    ((2, 6, 7, 2), (2, 3, 2, 3), (2, 2), "VALID", (1, 1)),
    ((1, 4, 4, 1), (2, 2, 1, 1), (1, 1), "SAME", (1, 1)),     # one extra row/col: after
    ((2, 13, 13, 2), (5, 5, 2, 3), (1, 1), "SAME", (1, 1)),   # odd width: padded blocks
    ((3, 28, 28, 1), (5, 5, 1, 6), (1, 1), "SAME", (1, 1)),   # LeNet conv1
    ((3, 14, 14, 6), (5, 5, 6, 16), (1, 1), "VALID", (1, 1)),  # LeNet conv2
    ((1, 9, 11, 4), (3, 3, 2, 6), (2, 1), "SAME", (1, 1)),    # 2 groups
]


@pytest.mark.parametrize("xs,ws,s,p,d", CONV_CASES)
def test_conv2d_matches_reference(xs, ws, s, p, d):
    x, w = _f(*xs), _f(*ws)
    got = tf.nn.conv2d(x, w, list(s), p, dilations=list(d))
    np.testing.assert_allclose(got.numpy(), nn_ref.conv2d(x, w, s, p, d), rtol=1e-10,
                               atol=1e-10)


def test_conv2d_float32_and_nchw():
    x, w = _f(2, 9, 8, 3, dtype=np.float32), _f(3, 3, 3, 4, dtype=np.float32)
    want = nn_ref.conv2d(x.astype(np.float64), w.astype(np.float64), (2, 1), "SAME")
    got = tf.nn.conv2d(x, w, [2, 1], "SAME")
    assert got.dtype == tf.float32
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-4, atol=1e-4)
    got = tf.nn.conv2d(x.transpose(0, 3, 1, 2), w, [1, 1, 2, 1], "SAME", data_format="NCHW")
    np.testing.assert_allclose(got.numpy(), want.transpose(0, 3, 1, 2), rtol=1e-4, atol=1e-4)


def test_same_padding_puts_the_odd_element_after():
    # TF pads SAME asymmetrically: 1 row/col total here, all of it at the bottom/right.
    x, w = _f(1, 4, 4, 1), _f(2, 2, 1, 1)
    same = tf.nn.conv2d(x, w, 1, "SAME")
    explicit = tf.nn.conv2d(x, w, 1, [[0, 0], [0, 1], [0, 1], [0, 0]])
    np.testing.assert_array_equal(same.numpy(), explicit.numpy())
    before = tf.nn.conv2d(x, w, 1, [[0, 0], [1, 0], [1, 0], [0, 0]])
    assert not np.allclose(same.numpy(), before.numpy())


def test_explicit_padding():
    x, w = _f(2, 6, 7, 2), _f(2, 3, 2, 3)
    pad = [[0, 0], [1, 2], [0, 3], [0, 0]]
    got = tf.nn.conv2d(x, w, 2, pad)
    np.testing.assert_allclose(got.numpy(), nn_ref.conv2d(x, w, (2, 2), pad), atol=1e-10)


def test_conv1d_convolution_and_depthwise():
    x, w = _f(2, 9, 3), _f(3, 3, 4)
    want = nn_ref.conv2d(x[:, None], w[None], (1, 2), "SAME")[:, 0]
    np.testing.assert_allclose(tf.nn.conv1d(x, w, 2, "SAME").numpy(), want, atol=1e-10)
    np.testing.assert_allclose(tf.nn.convolution(x, w, 2, "SAME").numpy(), want, atol=1e-10)
    x4, w4 = _f(2, 5, 5, 3), _f(3, 3, 3, 2)
    np.testing.assert_allclose(tf.nn.convolution(x4, w4, padding="SAME").numpy(),
                               nn_ref.conv2d(x4, w4, (1, 1), "SAME"), atol=1e-10)
    dw = tf.nn.depthwise_conv2d(x4, w4, [1, 1, 1, 1], "SAME")
    want = np.concatenate([nn_ref.conv2d(x4[..., c:c + 1], w4[:, :, c:c + 1, :], (1, 1), "SAME")
                           for c in range(3)], axis=-1)
    np.testing.assert_allclose(dw.numpy(), want, atol=1e-10)


def test_conv2d_transpose_is_backprop_input():
    w, dy = _f(3, 3, 2, 4), _f(2, 4, 4, 4)
    got = tf.nn.conv2d_transpose(dy, w, [2, 8, 8, 2], 2, "SAME")
    assert got.shape == (2, 8, 8, 2)
    np.testing.assert_allclose(
        got.numpy(), nn_ref.conv2d_backprop_input((2, 8, 8, 2), w, dy, (2, 2), "SAME"),
        atol=1e-10)


# -- conv2d gradients -------------------------------------------------------------------

@pytest.mark.parametrize("xs,ws,s,p,d", [c for c in CONV_CASES if np.prod(c[0]) <= 300])
def test_conv2d_gradients_second_order(xs, ws, s, p, d):
    check_grad(lambda x, w: tf.nn.conv2d(x, w, list(s), p, dilations=list(d)),
               [_f(*xs), _f(*ws)], order=2, rtol=1e-4, atol=1e-5)


def test_conv2d_gradient_explicit_padding_and_nchw():
    check_grad(lambda x, w: tf.nn.conv2d(x, w, 2, [[0, 0], [1, 2], [0, 3], [0, 0]]),
               [_f(1, 5, 4, 2), _f(2, 3, 2, 2)], order=2, rtol=1e-4, atol=1e-5)
    check_grad(lambda x, w: tf.nn.conv2d(x, w, 1, "SAME", data_format="NCHW"),
               [_f(1, 2, 4, 5), _f(3, 2, 2, 2)], rtol=1e-4, atol=1e-5)


def test_conv2d_gradient_lenet_size_float32():
    # LeNet's first layer on MNIST-like input (constant background), filter gradient only.
    x = np.zeros((4, 28, 28, 1), np.float32)
    x[:, 6:22, 8:20] = rng.random((4, 16, 12, 1))
    w = _f(5, 5, 1, 6, dtype=np.float32)
    dy = _f(4, 28, 28, 6, dtype=np.float32)
    _, (dx, dw) = _grad(lambda x, w: tf.nn.conv2d(x, w, 1, "SAME"), x, w, upstream=dy)
    x64, w64, dy64 = x.astype(np.float64), w.astype(np.float64), dy.astype(np.float64)
    np.testing.assert_allclose(
        dw.numpy(), nn_ref.conv2d_backprop_filter(x64, w.shape, dy64, (1, 1), "SAME"),
        rtol=1e-4, atol=1e-3)
    np.testing.assert_allclose(
        dx.numpy(), nn_ref.conv2d_backprop_input(x.shape, w64, dy64, (1, 1), "SAME"),
        rtol=1e-4, atol=1e-4)


def test_persistent_tape_gives_same_filter_gradient_twice():
    x, w = tf.constant(_f(2, 8, 8, 2)), tf.Variable(_f(3, 3, 2, 3))
    with tf.GradientTape(persistent=True) as tape:
        y = tf.reduce_sum(tf.nn.conv2d(x, w, 1, "SAME") ** 2)
    g1, g2 = tape.gradient(y, w), tape.gradient(y, w)
    np.testing.assert_array_equal(g1.numpy(), g2.numpy())


def test_only_needed_gradients_are_computed():
    # The input of the first layer is data: its gradient is never needed.
    x, w = tf.constant(_f(1, 5, 5, 1)), tf.Variable(_f(3, 3, 1, 2))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.nn.conv2d(x, w, 1, "SAME"))
    assert tape.gradient(y, [x, w])[0] is None


def test_conv2d_in_tf_function_with_gradient():
    x, w = tf.constant(_f(2, 6, 6, 2)), tf.Variable(_f(3, 3, 2, 3))

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.nn.max_pool2d(tf.nn.conv2d(x, w, 1, "SAME"), 2, 2, "VALID"))
        return y, tape.gradient(y, w)

    y, g = step()
    with tf.GradientTape() as tape:
        y2 = tf.reduce_sum(tf.nn.max_pool2d(tf.nn.conv2d(x, w, 1, "SAME"), 2, 2, "VALID"))
    np.testing.assert_allclose(y.numpy(), y2.numpy())
    np.testing.assert_allclose(g.numpy(), tape.gradient(y2, w).numpy())


# -- pooling ----------------------------------------------------------------------------

POOL_CASES = [((2, 2), (2, 2), "VALID"), ((3, 3), (2, 2), "SAME"), ((2, 2), (1, 1), "SAME"),
              ((2, 3), (1, 2), "VALID"), ((3, 3), (3, 3), "SAME"), ((2, 2), (2, 2), "SAME")]


@pytest.mark.parametrize("k,s,p", POOL_CASES)
def test_pool_values(k, s, p):
    x = _f(2, 7, 6, 3)
    np.testing.assert_allclose(tf.nn.max_pool2d(x, list(k), list(s), p).numpy(),
                               nn_ref.max_pool(x, k, s, p))
    np.testing.assert_allclose(tf.nn.avg_pool2d(x, list(k), list(s), p).numpy(),
                               nn_ref.avg_pool(x, k, s, p), rtol=1e-12)


@pytest.mark.parametrize("k,s,p", POOL_CASES)
def test_pool_gradients(k, s, p):
    x = (rng.permutation(2 * 7 * 6 * 3) * 0.1).reshape(2, 7, 6, 3)   # no ties
    check_grad(lambda x: tf.nn.max_pool2d(x, list(k), list(s), p), [x])
    check_grad(lambda x: tf.nn.avg_pool2d(x, list(k), list(s), p), [x])


@pytest.mark.parametrize("pool", [tf.nn.max_pool2d, tf.nn.avg_pool2d])
def test_pool_gradient_of_gradient(pool):
    # The gradient ops are linear in the upstream gradient; check their own gradients.
    x = (rng.permutation(1 * 5 * 6 * 2) * 0.1).reshape(1, 5, 6, 2)
    u = _f(1, 3, 3, 2)

    def vjp(x, u):
        with tf.GradientTape() as t:
            t.watch(x)
            y = pool(x, 3, 2, "SAME")
        return t.gradient(y, x, output_gradients=u)

    check_grad(vjp, [x, u], wrt=[1])

    def vjp2(x, u, v):          # gradient of the MaxPoolGrad/AvgPoolGrad op itself
        with tf.GradientTape() as t:
            t.watch(u)
            g = vjp(x, u)
        return t.gradient(g, u, output_gradients=v)

    check_grad(vjp2, [x, u, _f(1, 5, 6, 2)], wrt=[2])


# TF 2.21's gradients of max_pool2d on inputs with ties (read from TF on this machine):
# the gradient goes to the first maximum of each window in row-major order.
def test_max_pool_ties_match_tf():
    ones = np.ones((1, 4, 4, 1), np.float32)
    _, (g,) = _grad(lambda x: tf.nn.max_pool2d(x, 2, 2, "VALID"), ones)
    np.testing.assert_array_equal(g.numpy()[0, :, :, 0], [[1, 0, 1, 0], [0, 0, 0, 0],
                                                         [1, 0, 1, 0], [0, 0, 0, 0]])
    _, (g,) = _grad(lambda x: tf.nn.max_pool2d(x, 3, 1, "VALID"), ones)
    np.testing.assert_array_equal(g.numpy()[0, :, :, 0], [[1, 1, 0, 0], [1, 1, 0, 0],
                                                         [0, 0, 0, 0], [0, 0, 0, 0]])
    y, (g,) = _grad(lambda x: tf.nn.max_pool2d(x, 3, 2, "SAME"), ones)
    assert y.shape == (1, 2, 2, 1)
    np.testing.assert_array_equal(g.numpy()[0, :, :, 0], [[1, 0, 1, 0], [0, 0, 0, 0],
                                                         [1, 0, 1, 0], [0, 0, 0, 0]])
    _, (g,) = _grad(lambda x: tf.nn.max_pool2d(x, 2, 2, "VALID"),
                    np.array([[1, 2], [2, 0]], np.float32).reshape(1, 2, 2, 1))
    np.testing.assert_array_equal(g.numpy()[0, :, :, 0], [[0, 1], [0, 0]])
    y, (g,) = _grad(lambda x: tf.nn.max_pool2d(x, 2, 2, "SAME"),
                    -np.ones((1, 3, 3, 1), np.float32))      # padding never wins
    np.testing.assert_array_equal(y.numpy()[0, :, :, 0], [[-1, -1], [-1, -1]])
    np.testing.assert_array_equal(g.numpy()[0, :, :, 0], [[1, 0, 1], [0, 0, 0], [1, 0, 1]])
    _, (g,) = _grad(lambda x: tf.nn.max_pool2d(x, 2, 2, "VALID"), np.zeros((1, 2, 2, 3)))
    np.testing.assert_array_equal(g.numpy()[0].transpose(2, 0, 1),
                                  [[[1, 0], [0, 0]]] * 3)


def test_max_pool_ties_on_mnist_like_input():
    # Constant background plus relu zeros: most windows tie.
    x = np.zeros((3, 12, 12, 4), np.float32)
    x[:, 3:9, 2:10] = np.maximum(rng.standard_normal((3, 6, 8, 4)), 0).round(1)
    dy = _f(3, 6, 6, 4, dtype=np.float32)
    for k, s, p in [((2, 2), (2, 2), "VALID"), ((3, 3), (2, 2), "SAME")]:
        dy = _f(*nn_ref.max_pool(x, k, s, p).shape, dtype=np.float32)
        _, (g,) = _grad(lambda t: tf.nn.max_pool2d(t, list(k), list(s), p), x, upstream=dy)
        np.testing.assert_allclose(g.numpy(), nn_ref.max_pool_grad(x, dy, k, s, p), atol=1e-6)


def test_avg_pool_same_divides_by_real_elements():
    # TF 2.21 values for tf.nn.avg_pool2d on reshape(range(25), (1, 5, 5, 1)).
    x = np.arange(25.).reshape(1, 5, 5, 1).astype(np.float32)
    np.testing.assert_allclose(tf.nn.avg_pool2d(x, 2, 2, "SAME").numpy().ravel(),
                               [3., 5., 6.5, 13., 15., 16.5, 20.5, 22.5, 24.])
    np.testing.assert_allclose(tf.nn.avg_pool2d(x, 3, 2, "SAME").numpy().ravel(),
                               [3., 4.5, 6., 10.5, 12., 13.5, 18., 19.5, 21.])


def test_pool_1d_nchw_and_rank_generic():
    x = _f(2, 9, 3)
    want = nn_ref.max_pool(x[:, None], (1, 2), (1, 2), "SAME")[:, 0]
    np.testing.assert_allclose(tf.nn.max_pool1d(x, 2, 2, "SAME").numpy(), want)
    np.testing.assert_allclose(tf.nn.max_pool(x, 2, 2, "SAME").numpy(), want)
    want = nn_ref.avg_pool(x[:, None], (1, 3), (1, 1), "VALID")[:, 0]
    np.testing.assert_allclose(tf.nn.avg_pool1d(x, 3, 1, "VALID").numpy(), want)
    np.testing.assert_allclose(tf.nn.avg_pool(x, 3, 1, "VALID").numpy(), want)
    x4 = _f(2, 3, 6, 5)        # NCHW
    got = tf.nn.max_pool2d(x4, 2, 2, "SAME", data_format="NCHW")
    want = nn_ref.max_pool(x4.transpose(0, 2, 3, 1), (2, 2), (2, 2), "SAME").transpose(0, 3, 1, 2)
    np.testing.assert_allclose(got.numpy(), want)
    check_grad(lambda x: tf.nn.avg_pool2d(x, 2, 2, "SAME", data_format="NCHW"), [x4])


def test_max_pool_int_and_explicit_padding():
    x = np.arange(16, dtype=np.int32).reshape(1, 4, 4, 1)
    np.testing.assert_array_equal(tf.nn.max_pool2d(x, 2, 2, "VALID").numpy().ravel(),
                                  [5, 7, 13, 15])
    xf = _f(1, 4, 5, 2)
    got = tf.nn.max_pool2d(xf, 2, 2, [[0, 0], [1, 1], [0, 1], [0, 0]])
    padded = np.pad(xf, ((0, 0), (1, 1), (0, 1), (0, 0)), constant_values=-np.inf)
    np.testing.assert_allclose(got.numpy(), nn_ref.max_pool(padded, (2, 2), (2, 2), "VALID"))


# -- errors -----------------------------------------------------------------------------

def test_conv_errors_match_tf():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"input depth must be evenly divisible by filter depth: 3 vs 2 "
                             r"\[Op:Conv2D\]"):
        tf.nn.conv2d(tf.ones((1, 5, 5, 3)), tf.ones((3, 3, 2, 4)), 1, "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"filter must be 4-dimensional: \[3,3,3\]"):
        tf.nn.conv2d(tf.ones((1, 5, 5, 3)), tf.ones((3, 3, 3)), 1, "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="Value for attr 'padding' of \"FOO\" is not in the list"):
        tf.nn.conv2d(tf.ones((1, 5, 5, 3)), tf.ones((3, 3, 3, 4)), 1, "FOO")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Computed output size would be negative"):
        tf.nn.conv2d(tf.ones((1, 2, 2, 3)), tf.ones((3, 3, 3, 4)), 1, "VALID")
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[Op:Conv2D\]"):
        tf.nn.conv2d(tf.ones((1, 5, 5, 3)), tf.ones((3, 3, 3, 4), tf.float64), 1, "VALID")
    with pytest.raises(tf.errors.UnimplementedError,
                       match="does not yet support strides in the batch and depth"):
        tf.nn.conv2d(tf.ones((1, 7, 7, 3)), tf.ones((3, 3, 3, 4)), [2, 2, 2, 1], "SAME")
    with pytest.raises(ValueError, match=r"strides should be of length 1, 2 or 4\. Received: "
                                         r"strides=\[2, 2, 2\] of length 3"):
        tf.nn.conv2d(tf.ones((1, 7, 7, 3)), tf.ones((3, 3, 3, 4)), [2, 2, 2], "SAME")


def test_pool_errors_match_tf():
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[Op:MaxPool\]"):
        tf.nn.max_pool2d(tf.ones((1, 7, 7, 3)), 3, 2, "FOO")
    with pytest.raises(tf.errors.UnimplementedError, match="exactly one of pooling across"):
        tf.nn.max_pool2d(tf.ones((1, 7, 7, 3)), [1, 3, 3, 2], 2, "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Value for attr 'T' of int32 is not in the list"):
        tf.nn.avg_pool2d(tf.ones((1, 5, 5, 3), tf.int32), 2, 2, "VALID")


# -- intra-op threads -------------------------------------------------------------------

def test_threaded_kernels_match_serial(monkeypatch):
    """Big kernels split the batch over threads; force that on small inputs and compare
    with the serial results."""
    from tinytf.backends import intra_op

    def run_all():
        x = tf.constant(rng_fixed.standard_normal((5, 12, 11, 3)))
        w = tf.constant(rng_fixed.standard_normal((3, 3, 3, 4)))
        b = tf.constant(rng_fixed.standard_normal(4))
        with tf.GradientTape() as tape:
            tape.watch([x, w, b])
            h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, 1, "SAME"), b))
            y = tf.reduce_sum(tf.nn.max_pool2d(h, 2, 2, "SAME") ** 2) + \
                tf.reduce_sum(tf.nn.avg_pool2d(h, 3, 2, "VALID") ** 2) + \
                tf.reduce_sum(tf.nn.max_pool2d(h, 2, 2, "VALID"))
        return [y.numpy()] + [g.numpy() for g in tape.gradient(y, [x, w, b])]

    rng_fixed = np.random.default_rng(3)
    before = intra_op.num_threads()
    try:
        intra_op.set_num_threads(1)
        serial = run_all()
        monkeypatch.setattr(intra_op, "_MIN_PART", 8)
        monkeypatch.setattr(intra_op, "_MIN_MACS", 8)
        intra_op.set_num_threads(3)
        rng_fixed = np.random.default_rng(3)
        threaded = run_all()
    finally:
        intra_op.set_num_threads(before)
    for a, b in zip(serial, threaded):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_conv2d_transpose_traced_output_shape_from_a_partly_known_stack():
    # TF reads the known entries of tf.stack([tf.shape(x)[0], 14, 14, 5]) while tracing
    w = tf.ones([3, 3, 5, 3])
    f = tf.function(lambda a: tf.nn.conv2d_transpose(
        a, w, tf.stack([tf.shape(a)[0], 14, 14, 5]), 2, "SAME"))
    out = f.get_concrete_function(tf.TensorSpec([None, 7, 7, 3])).structured_outputs
    assert out.shape.as_list() == [None, 14, 14, 5]
    assert f(tf.ones([2, 7, 7, 3])).shape == (2, 14, 14, 5)
