"""max_pool2d's values and gradients (NHWC and NCHW, several geometries, inputs with many
ties and NaNs) against a slow window-by-window reference: the maximum skips NaN, and the
gradient of each window goes to the first element, in row-major window order, equal to the
maximum."""

import numpy as np
import pytest

import tinytf as tf
from tinytf.ops import nn_ops

pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")

rng = np.random.default_rng(2021)


# -- slow reference ---------------------------------------------------------------------

def _geometry(n, k, s, padding):
    if padding == "VALID":
        return (n - k) // s + 1, 0
    out = -(-n // s)
    return out, max((out - 1) * s + k - n, 0) // 2


def ref_max_pool(x, k, s, padding):
    """(y, argmax) for NHWC x: y the window maxima (NaN skipped; NaN when the window holds
    nothing else), argmax the (row, col) of the first element equal to it ((-1, -1): none,
    or a padding cell)."""
    n, h, w, c = x.shape
    (kh, kw), (sh, sw) = k, s
    oh, pt = _geometry(h, kh, sh, padding)
    ow, pl = _geometry(w, kw, sw, padding)
    y = np.empty((n, oh, ow, c), x.dtype)
    arg = np.full((n, oh, ow, c, 2), -1)
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                for ch in range(c):
                    cells = [(r, q) for r in range(i * sh - pt, i * sh - pt + kh)
                             for q in range(j * sw - pl, j * sw - pl + kw)]
                    vals = [x[b, r, q, ch] if 0 <= r < h and 0 <= q < w else -np.inf
                            for r, q in cells]      # SAME pads with -inf
                    real = [v for v in vals if v == v]
                    m = max(real) if real else np.nan
                    y[b, i, j, ch] = m
                    for (r, q), v in zip(cells, vals):
                        if v == m:
                            if 0 <= r < h and 0 <= q < w:
                                arg[b, i, j, ch] = (r, q)
                            break
    return y, arg


def ref_max_pool_grad(x, dy, k, s, padding):
    _, arg = ref_max_pool(x, k, s, padding)
    dx = np.zeros(x.shape, dy.dtype)
    n, oh, ow, c = dy.shape
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                for ch in range(c):
                    r, q = arg[b, i, j, ch]
                    if r >= 0:
                        dx[b, r, q, ch] += dy[b, i, j, ch]
    return dx


# -- inputs -----------------------------------------------------------------------------

def _tied(shape, dtype, nan=False):
    """Many ties: ReLU-like zeros and small integers (and, for floats, NaNs and -0)."""
    if np.dtype(dtype).kind == "f":
        x = np.maximum(rng.standard_normal(shape), 0)
        ints = rng.random(shape) < 0.4
        x[ints] = rng.integers(-2, 3, ints.sum())
        x[rng.random(shape) < 0.1] = -0.0
        if nan:
            x[rng.random(shape) < 0.08] = np.nan
        return x.astype(dtype)
    return rng.integers(-2, 3, shape).astype(dtype)


def _pg(shape):
    n, h, w, c = shape
    return (2, 2, 2, 2, 0, 0, 0, 0, h // 2, w // 2)


# -- max_pool2d and its gradient against the slow reference -------------------------------

REF_CASES = [
    # x shape (NHWC), ksize, strides, padding
    ((3, 8, 8, 6), (2, 2), (2, 2), "VALID"),       # exact tiling, as in LeNet
    ((2, 10, 10, 16), (2, 2), (2, 2), "VALID"),
    ((2, 7, 9, 3), (2, 2), (2, 2), "VALID"),       # not an exact tiling
    ((2, 7, 9, 3), (2, 2), (2, 2), "SAME"),        # -inf padding
    ((2, 6, 7, 2), (2, 2), (1, 1), "VALID"),       # overlapping windows accumulate
    ((2, 7, 6, 2), (3, 3), (2, 2), "SAME"),
    ((2, 6, 6, 2), (3, 3), (1, 1), "SAME"),
    ((2, 9, 9, 3), (3, 3), (3, 3), "VALID"),
    ((1, 5, 8, 2), (2, 3), (1, 2), "VALID"),
]


@pytest.mark.parametrize("data_format", ["NHWC", "NCHW"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("shape,k,s,padding", REF_CASES)
def test_max_pool2d_and_gradient_against_reference(shape, k, s, padding, dtype, data_format):
    x = _tied(shape, dtype, nan=True)
    want_y, _ = ref_max_pool(x, k, s, padding)
    dy = rng.integers(-4, 5, want_y.shape).astype(dtype)    # exact in float16 sums too
    want_dx = ref_max_pool_grad(x, dy, k, s, padding)
    to = (lambda a: a.transpose(0, 3, 1, 2)) if data_format == "NCHW" else (lambda a: a)
    back = (lambda a: a.transpose(0, 2, 3, 1)) if data_format == "NCHW" else (lambda a: a)
    xt = tf.constant(np.ascontiguousarray(to(x)))
    with tf.GradientTape() as tape:
        tape.watch(xt)
        y = tf.nn.max_pool2d(xt, list(k), list(s), padding, data_format=data_format)
    (g,) = tape.gradient(y, [xt], output_gradients=tf.constant(np.ascontiguousarray(to(dy))))
    assert y.dtype == tf.as_dtype(dtype) and g.dtype == tf.as_dtype(dtype)
    np.testing.assert_array_equal(back(y.numpy()), want_y)
    np.testing.assert_array_equal(back(g.numpy()), want_dx)


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_int_max_pool_grad_against_reference(dtype):
    shape = (3, 6, 8, 5)
    x = _tied(shape, dtype)
    y, _ = ref_max_pool(x, (2, 2), (2, 2), "VALID")
    np.testing.assert_array_equal(tf.nn.max_pool2d(tf.constant(x), 2, 2, "VALID").numpy(), y)
    dy = rng.integers(-5, 6, y.shape).astype(dtype)
    got = nn_ops._max_pool_grad_kernel(np, x, y, dy, _pg(shape))
    np.testing.assert_array_equal(got, ref_max_pool_grad(x, dy, (2, 2), (2, 2), "VALID"))


def test_lenet_shapes_relu_ties():
    """The two LeNet pooling layers on ReLU outputs (all-zero windows are common)."""
    for shape in [(16, 28, 28, 6), (16, 10, 10, 16)]:
        x = np.maximum(rng.standard_normal(shape), 0).astype(np.float32)
        x[:, :6] = 0.0
        xt = tf.constant(x)
        y, arg = ref_max_pool(x, (2, 2), (2, 2), "VALID")
        dy = rng.standard_normal(y.shape).astype(np.float32)
        with tf.GradientTape() as tape:
            tape.watch(xt)
            out = tf.nn.max_pool2d(xt, 2, 2, "VALID")
        (g,) = tape.gradient(out, [xt], output_gradients=tf.constant(dy))
        np.testing.assert_array_equal(out.numpy(), y)
        np.testing.assert_array_equal(g.numpy(), ref_max_pool_grad(x, dy, (2, 2), (2, 2),
                                                                   "VALID"))


@pytest.mark.parametrize("strides,padding,dy,want", [
    # values printed by TF 2.21 for the same program
    (2, "VALID", [[[[-1.], [np.inf]]]], [0., 0., 0., 0., 0., -1., 0., np.inf]),
    (1, "SAME", -1., [0., 0., 0., 0., 0., -4., 0., -4.]),
])
def test_max_pool_grad_elements_without_gradient_are_plus_zero(strides, padding, dy, want):
    """TF leaves +0 where no gradient goes, also when the upstream gradient is negative
    (dy * 0 would be -0) or infinite (inf * 0 would be NaN)."""
    x = tf.constant(np.array([1., 0., 0., 0., 2., 5., 3., 4.], np.float32).reshape(1, 2, 4, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(x, 2, strides, padding)
    g = tape.gradient(y, x, output_gradients=tf.ones_like(y) * dy if np.ndim(dy) == 0
                      else tf.constant(dy))
    got = g.numpy().reshape(-1)
    np.testing.assert_array_equal(got, want)
    assert not np.signbit(got[np.array(want) == 0]).any()
    assert "-0." not in str(g)


# -- the row-wise MaxPoolGrad (windows tiling x, small c) against the window loop -------

@pytest.mark.parametrize("k", [(2, 2), (3, 3), (2, 3), (1, 2), (2, 1)])
@pytest.mark.parametrize("c", [1, 3, 6])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_row_wise_max_pool_grad_matches_the_window_loop(monkeypatch, k, c, dtype):
    kh, kw = k
    x = rng.integers(-2, 3, (3, 4 * kh, 5 * kw, c)).astype(dtype)   # many ties
    x[0] = 0.0                                                        # all tied
    x[1, :kh] = -0.0
    attrs = dict(ksize=(1, kh, kw, 1), strides=(1, kh, kw, 1), padding="VALID",
                 explicit_paddings=(), data_format="NHWC")
    y = nn_ops.MaxPool.kernel(np, x, **attrs)
    dy = rng.standard_normal(y.shape).astype(dtype)
    dy[2] = -0.0
    calls = []
    rows = nn_ops._max_pool_grad_rows
    monkeypatch.setattr(nn_ops, "_max_pool_grad_rows", lambda *a: calls.append(1) or rows(*a))
    got = nn_ops.MaxPoolGrad.kernel(np, x, y, dy, **attrs)
    assert calls                                                      # the row-wise path ran
    monkeypatch.setattr(nn_ops, "_ROW_DTYPES", ())                    # the window loop
    want = nn_ops.MaxPoolGrad.kernel(np, x, y, dy, **attrs)
    assert got.dtype == want.dtype
    assert np.array_equal(got.view(f"i{got.itemsize}"), want.view(f"i{want.itemsize}"))
