"""The 2x2/2 MaxPoolGrad fast path (nn_ops._max_pool_grad_2x2): bit-identical to the generic
window-view path on inputs with many ties, NaNs, signed zeros and infinities, in every dtype
and chunking; and max_pool2d's values and gradients (NHWC and NCHW, several geometries)
against a slow window-by-window reference: the maximum skips NaN, and the gradient of each
window goes to the first element, in row-major window order, equal to the maximum."""

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


def _special_dy(shape, dtype):
    if np.dtype(dtype).kind != "f":
        return rng.integers(-5, 6, shape).astype(dtype)
    dy = rng.standard_normal(shape).astype(dtype)
    pick = rng.random(shape)
    dy[pick < 0.05] = np.nan
    dy[(pick >= 0.05) & (pick < 0.1)] = np.inf
    dy[(pick >= 0.1) & (pick < 0.15)] = -np.inf
    dy[(pick >= 0.15) & (pick < 0.25)] = -0.0
    return dy


def _bits(a):
    return a.view(f"u{a.dtype.itemsize}")


def _generic_grad(x, y, dy, pg):
    old = nn_ops._POOL22
    nn_ops._POOL22 = False
    try:
        return nn_ops._max_pool_grad_kernel(np, x, y, dy, pg)
    finally:
        nn_ops._POOL22 = old


def _pg(shape):
    n, h, w, c = shape
    return (2, 2, 2, 2, 0, 0, 0, 0, h // 2, w // 2)


# -- fast path against the generic path, bit for bit --------------------------------------

FAST_SHAPES = [(5, 28, 28, 6), (3, 10, 10, 4), (3, 4, 6, 1), (4, 2, 2, 3), (7, 8, 8, 5),
               (2, 6, 12, 12)]


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64, np.int32, np.int8,
                                   np.uint8])
@pytest.mark.parametrize("shape", FAST_SHAPES)
def test_fast_path_bitwise_equal_to_generic(shape, dtype):
    pg = _pg(shape)
    x = _tied(shape, dtype, nan=True)
    y = nn_ops._max_pool_kernel(np, x, pg)
    dy = _special_dy(y.shape, dtype)
    applies = shape[3] * np.dtype(dtype).itemsize <= 48
    assert nn_ops._pool22_applies(np, x, y, dy, pg) == applies
    fast = nn_ops._max_pool_grad_kernel(np, x, y, dy, pg)
    want = _generic_grad(x, y, dy, pg)
    assert fast.dtype == want.dtype and fast.shape == want.shape
    np.testing.assert_array_equal(_bits(fast), _bits(want))


@pytest.mark.parametrize("chunk", [1, 4704, 5000, 1 << 20])
def test_fast_path_chunks(monkeypatch, chunk):
    """One image per chunk, a partial last chunk, everything in one chunk."""
    monkeypatch.setattr(nn_ops, "_POOL22_CHUNK", chunk)
    shape = (5, 28, 28, 6)
    pg = _pg(shape)
    x = _tied(shape, np.float32, nan=True)
    y = nn_ops._max_pool_kernel(np, x, pg)
    dy = _special_dy(y.shape, np.float32)
    np.testing.assert_array_equal(_bits(nn_ops._max_pool_grad_kernel(np, x, y, dy, pg)),
                                  _bits(_generic_grad(x, y, dy, pg)))


def test_fast_path_with_threads(monkeypatch):
    monkeypatch.setattr(nn_ops, "_THREADS", 2)
    monkeypatch.setattr(nn_ops, "_MIN_PART", 1024)
    monkeypatch.setattr(nn_ops, "_POOL22_CHUNK", 3000)
    shape = (9, 12, 12, 6)
    pg = _pg(shape)
    x = _tied(shape, np.float32, nan=True)
    y = nn_ops._max_pool_kernel(np, x, pg)
    dy = _special_dy(y.shape, np.float32)
    np.testing.assert_array_equal(_bits(nn_ops._max_pool_grad_kernel(np, x, y, dy, pg)),
                                  _bits(_generic_grad(x, y, dy, pg)))


def test_fast_path_arbitrary_orig_output():
    """MaxPoolGrad compares with the orig_output it is given (not a recomputed maximum):
    values that are not the window's maximum, or not in the window at all."""
    shape = (4, 6, 8, 3)
    pg = _pg(shape)
    x = _tied(shape, np.float32)
    y = rng.integers(-2, 3, (4, 3, 4, 3)).astype(np.float32)
    dy = rng.standard_normal(y.shape).astype(np.float32)
    assert nn_ops._pool22_applies(np, x, y, dy, pg)
    np.testing.assert_array_equal(_bits(nn_ops._max_pool_grad_kernel(np, x, y, dy, pg)),
                                  _bits(_generic_grad(x, y, dy, pg)))


def test_fast_path_noncontiguous_inputs():
    shape = (3, 8, 10, 4)
    pg = _pg(shape)
    x = np.ascontiguousarray(_tied((3, 4, 8, 10), np.float32).transpose(0, 2, 3, 1))
    xt = _tied((3, 4, 8, 10), np.float32).transpose(0, 2, 3, 1)     # an NCHW view
    for xx in (x, xt):
        y = nn_ops._max_pool_kernel(np, xx, pg)
        dy = np.asfortranarray(rng.standard_normal(y.shape).astype(np.float32))
        np.testing.assert_array_equal(_bits(nn_ops._max_pool_grad_kernel(np, xx, y, dy, pg)),
                                      _bits(_generic_grad(xx, y, dy, pg)))


# -- max_pool2d and its gradient against the slow reference -------------------------------

REF_CASES = [
    # x shape (NHWC), ksize, strides, padding
    ((3, 8, 8, 6), (2, 2), (2, 2), "VALID"),       # the fast path
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
