"""Registry-sweep samples for the math and linalg families (format: tests/opsample.py).

Each OpDef defined in tinytf/ops/math_ops.py and tinytf/ops/linalg_ops.py appears at least
once. float64 inputs are gradient-checked unless ``grad=False``.
"""

import math

import numpy as np

import tinytf as tf
from opsample import Sample

_rng = np.random.default_rng(1234)


def _f(*shape, lo=-2.0, hi=2.0, dtype=np.float64):
    return _rng.uniform(lo, hi, size=shape).astype(dtype)


def _pos(*shape, dtype=np.float64):
    return _f(*shape, lo=0.5, hi=2.0, dtype=dtype)


def _i(*shape, lo=-5, hi=6, dtype=np.int32):
    return _rng.integers(lo, hi, size=shape).astype(dtype)


def _away_from_ties(*shape):
    """Values whose pairwise differences are large enough for finite differences."""
    n = int(np.prod(shape))
    return (_rng.permutation(n).astype(np.float64) * 0.37 - 1.0).reshape(shape)


def _floor_div(x, y):
    return np.floor_divide(x, y)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


_erf = np.vectorize(math.erf)


def _special(name):
    from scipy import special     # the reference for digamma/polygamma
    return getattr(special, name)

_A, _B = _f(2, 3), _f(3)
_SQ = _f(3, 3) + 3 * np.eye(3)             # well-conditioned
_BATCH_SQ = _f(2, 2, 2) + 2 * np.eye(2)


SAMPLES = [
    # -- binary arithmetic (broadcasting) --
    Sample("AddV2", tf.add, [_A, _B], np.add),
    Sample("AddV2", tf.add, [_i(2, 3), _i(3)], np.add),
    Sample("Sub", tf.subtract, [_A, _B], np.subtract),
    Sample("Mul", tf.multiply, [_A, _B], np.multiply, order=2),
    Sample("Mul", tf.multiply, [_f(2, 3, dtype=np.float32), _f(2, 1, dtype=np.float32)],
           np.multiply),
    Sample("RealDiv", tf.divide, [_A, _pos(3)], np.divide, order=2),
    Sample("RealDiv", tf.divide, [_i(4), _i(4, lo=1, hi=5)],
           lambda x, y: np.divide(x, y).astype(np.float64)),
    Sample("FloorDiv", tf.math.floordiv, [_i(2, 3), _i(3, lo=1, hi=4)], _floor_div),
    Sample("FloorDiv", tf.math.floordiv, [_f(2, 3), _pos(3)], _floor_div, grad=False,
           note="TF: FloorDiv has no gradient"),
    Sample("FloorMod", tf.math.floormod, [_i(2, 3), _i(3, lo=1, hi=4)], np.mod),
    Sample("FloorMod", tf.math.floormod, [_f(2, 3) + 10.3, _pos(3)], np.mod, wrt=[0]),
    Sample("TruncateDiv", tf.truncatediv, [_i(6), _i(6, lo=1, hi=4) * np.int32(-1)],
           lambda x, y: np.trunc(x / y).astype(x.dtype)),
    Sample("TruncateMod", tf.truncatemod, [_i(6), _i(6, lo=1, hi=4)], np.fmod),
    Sample("Pow", tf.pow, [_pos(2, 3), _f(3)], np.power, order=2),
    Sample("Pow", tf.pow, [_i(5, lo=0, hi=4), _i(5, lo=0, hi=4)], np.power),
    Sample("Maximum", tf.maximum, [_away_from_ties(2, 3), _away_from_ties(3) + 0.13],
           np.maximum),
    Sample("Minimum", tf.minimum, [_away_from_ties(2, 3), _away_from_ties(3) + 0.13],
           np.minimum),
    Sample("Maximum", tf.maximum, [_i(2, 3), _i(3)], np.maximum),
    Sample("SquaredDifference", tf.math.squared_difference, [_A, _B],
           lambda x, y: (x - y) ** 2, order=2),
    Sample("Atan2", tf.math.atan2, [_f(2, 3), _pos(3)], np.arctan2, order=2),
    Sample("DivNoNan", tf.math.divide_no_nan, [_A, _pos(3)], np.divide, order=2),
    Sample("DivNoNan", tf.math.divide_no_nan, [np.array([1., 2.]), np.array([0., 4.])],
           lambda x, y: np.where(y == 0, 0, x / np.where(y == 0, 1, y)), grad=False),
    Sample("MulNoNan", tf.math.multiply_no_nan, [_A, _B], np.multiply, order=2),
    Sample("MulNoNan", tf.math.multiply_no_nan,
           [np.array([np.inf, np.nan, 2.]), np.array([0., 0., 3.])],
           lambda x, y: np.array([0., 0., 6.]), grad=False),
    Sample("AddN", lambda a, b, c: tf.add_n([a, b, c]), [_f(2, 2), _f(2, 2), _f(2, 2)],
           lambda a, b, c: a + b + c),
    # -- unary element-wise --
    Sample("Neg", tf.negative, [_A], np.negative),
    Sample("Exp", tf.exp, [_A], np.exp, order=2),
    Sample("Square", tf.square, [_A], np.square, order=2),
    Sample("Square", tf.square, [_i(4)], np.square),
    Sample("Sqrt", tf.sqrt, [_pos(2, 3)], np.sqrt, order=2),
    Sample("Rsqrt", tf.math.rsqrt, [_pos(2, 3)], lambda x: 1 / np.sqrt(x), order=2),
    Sample("Log", tf.math.log, [_pos(2, 3)], np.log, order=2),
    Sample("Log1p", tf.math.log1p, [_pos(2, 3)], np.log1p, order=2),
    Sample("Expm1", tf.math.expm1, [_A], np.expm1, order=2),
    Sample("Reciprocal", tf.math.reciprocal, [_pos(2, 3)], np.reciprocal, order=2),
    Sample("Sin", tf.sin, [_A], np.sin, order=2),
    Sample("Cos", tf.cos, [_A], np.cos, order=2),
    Sample("Tan", tf.tan, [_f(2, 3, lo=-1, hi=1)], np.tan, order=2),
    Sample("Asin", tf.asin, [_f(2, 3, lo=-0.8, hi=0.8)], np.arcsin, order=2),
    Sample("Acos", tf.acos, [_f(2, 3, lo=-0.8, hi=0.8)], np.arccos, order=2),
    Sample("Atan", tf.atan, [_A], np.arctan, order=2),
    Sample("Sinh", tf.sinh, [_A], np.sinh, order=2),
    Sample("Cosh", tf.cosh, [_A], np.cosh, order=2),
    Sample("Asinh", tf.asinh, [_A], np.arcsinh, order=2),
    Sample("Acosh", tf.acosh, [_pos(2, 3) + 1.0], np.arccosh, order=2),
    Sample("Atanh", tf.atanh, [_f(2, 3, lo=-0.8, hi=0.8)], np.arctanh, order=2),
    Sample("Tanh", tf.tanh, [_A], np.tanh, order=2),
    Sample("Sigmoid", tf.sigmoid, [_A], _sigmoid, order=2),
    Sample("Sigmoid", tf.sigmoid, [np.array([-1000., -50., 0., 50., 1000.], np.float32)],
           lambda x: np.array([0., 1.9287499e-22, 0.5, 1., 1.], np.float32), grad=False,
           note="stable for large |x|"),
    Sample("Erf", tf.math.erf, [_A], _erf, order=2),
    Sample("Erfc", tf.math.erfc, [_A], np.vectorize(math.erfc), order=2),
    Sample("Lgamma", tf.math.lgamma, [_pos(2, 3)], np.vectorize(math.lgamma), order=2),
    Sample("Digamma", tf.math.digamma, [_pos(2, 3)],
           lambda a: _special("digamma")(a), order=2),
    Sample("Polygamma", lambda x: tf.math.polygamma(tf.constant(1., tf.float64), x),
           [_pos(2, 3)], lambda a: _special("polygamma")(1, a),
           note="no gradient for the order (TF neither)"),
    Sample("Abs", tf.abs, [_away_from_ties(2, 3)], np.abs, order=2),
    Sample("Abs", tf.abs, [_i(5)], np.abs),
    Sample("ComplexAbs", tf.abs, [np.array([3 + 4j, -1 - 1j])], np.abs, grad=False,
           note="complex inputs are not gradient-checked by the sweep"),
    Sample("Sign", tf.sign, [np.array([-2., 0., 3.])], np.sign, grad=False,
           note="TF gives zeros; checked in test_math_ops"),
    Sample("Sign", tf.sign, [_i(5)], np.sign),
    Sample("Floor", tf.floor, [_A], np.floor, grad=False, note="not differentiable"),
    Sample("Ceil", tf.math.ceil, [_A], np.ceil, grad=False, note="not differentiable"),
    Sample("Rint", tf.math.rint, [np.array([0.5, 1.5, 2.5, -0.5, -1.7])], np.rint,
           grad=False),
    Sample("Round", tf.round, [np.array([0.5, 1.5, 2.5, -0.5, -2.5, 0.4])], np.round,
           grad=False, note="banker's rounding, not differentiable"),
    Sample("IsNan", tf.math.is_nan, [np.array([1., np.nan, np.inf])], np.isnan, grad=False),
    Sample("IsInf", tf.math.is_inf, [np.array([1., np.nan, -np.inf])], np.isinf, grad=False),
    Sample("IsFinite", tf.math.is_finite, [np.array([1., np.nan, np.inf])], np.isfinite,
           grad=False),
    # -- complex parts --
    Sample("Real", tf.math.real, [np.array([1 + 2j, 3 - 4j])], np.real, grad=False),
    Sample("Imag", tf.math.imag, [np.array([1 + 2j, 3 - 4j])], np.imag, grad=False),
    Sample("Complex", tf.complex, [_f(3), _f(3)], lambda x, y: x + 1j * y, grad=False),
    Sample("Conj", tf.math.conj, [np.array([1 + 2j, 3 - 4j])], np.conj, grad=False),
    # -- comparisons and logic --
    Sample("Equal", tf.equal, [np.array([1., 2., 3.]), np.array([1., 0., 3.])], np.equal,
           grad=False),
    Sample("Equal", tf.equal, [_i(2, 3, lo=0, hi=2), _i(3, lo=0, hi=2)], np.equal),
    Sample("NotEqual", tf.not_equal, [_i(2, 3, lo=0, hi=2), _i(3, lo=0, hi=2)], np.not_equal),
    Sample("Less", tf.less, [_A, _B], np.less, grad=False),
    Sample("LessEqual", tf.less_equal, [_i(2, 3), _i(3)], np.less_equal),
    Sample("Greater", tf.greater, [_A, _B], np.greater, grad=False),
    Sample("GreaterEqual", tf.greater_equal, [_i(2, 3), _i(3)], np.greater_equal),
    Sample("LogicalAnd", tf.logical_and, [np.array([True, True, False, False]),
                                          np.array([True, False, True, False])],
           np.logical_and),
    Sample("LogicalOr", tf.logical_or, [np.array([True, True, False, False]),
                                        np.array([True, False, True, False])], np.logical_or),
    Sample("LogicalAnd", tf.math.logical_xor, [np.array([True, True, False, False]),
                                               np.array([True, False, True, False])],
           np.logical_xor),
    Sample("LogicalNot", tf.logical_not, [np.array([True, False])], np.logical_not),
    Sample("BitwiseAnd", lambda x, y: x & y, [_i(6, lo=0, hi=16), _i(6, lo=0, hi=16)],
           np.bitwise_and),
    Sample("BitwiseOr", lambda x, y: x | y, [_i(6, lo=0, hi=16), _i(6, lo=0, hi=16)],
           np.bitwise_or),
    Sample("BitwiseXor", lambda x, y: x ^ y, [_i(6, lo=0, hi=16), _i(6, lo=0, hi=16)],
           np.bitwise_xor),
    Sample("Invert", lambda x: ~x, [_i(6, dtype=np.int64)], np.invert),
    # -- reductions --
    Sample("Sum", lambda x: tf.reduce_sum(x, 1), [_f(2, 3)], lambda x: x.sum(1)),
    Sample("Sum", lambda x: tf.reduce_sum(x, [0, 2], keepdims=True), [_f(2, 3, 2)],
           lambda x: x.sum((0, 2), keepdims=True)),
    Sample("Mean", lambda x: tf.reduce_mean(x, -1), [_f(2, 3)], lambda x: x.mean(-1)),
    Sample("Mean", tf.reduce_mean, [_i(2, 3)],
           lambda x: np.trunc(x.sum() / x.size).astype(x.dtype)),
    Sample("Max", lambda x: tf.reduce_max(x, 0), [_away_from_ties(3, 2)], lambda x: x.max(0)),
    Sample("Max", lambda x: tf.reduce_max(x, 1, keepdims=True),
           [np.array([[1., 3., 3.], [2., 0., 1.]])], lambda x: x.max(1, keepdims=True)),
    Sample("Min", lambda x: tf.reduce_min(x, [0, 1]), [_away_from_ties(2, 3)],
           lambda x: x.min()),
    Sample("Prod", lambda x: tf.reduce_prod(x, 1), [_f(2, 3)], lambda x: x.prod(1), order=2),
    Sample("Prod", lambda x: tf.reduce_prod(x, [0, 2]), [_f(2, 2, 2)],
           lambda x: x.prod((0, 2))),
    Sample("Prod", lambda x: tf.reduce_prod(x, 0), [np.array([[0., 2.], [3., 0.], [4., 5.]])],
           lambda x: x.prod(0), note="zeros: zero-safe gradient"),
    Sample("Any", lambda x: tf.reduce_any(x, 1), [np.array([[True, False], [False, False]])],
           lambda x: x.any(1)),
    Sample("All", lambda x: tf.reduce_all(x, 1), [np.array([[True, False], [True, True]])],
           lambda x: x.all(1)),
    Sample("ArgMax", lambda x: tf.argmax(x, 1), [_away_from_ties(3, 4)],
           lambda x: x.argmax(1), grad=False),
    Sample("ArgMin", lambda x: tf.argmin(x, 0, output_type=tf.int32), [_i(3, 4)],
           lambda x: x.argmin(0).astype(np.int32)),
    # -- scans --
    Sample("Cumsum", lambda x: tf.cumsum(x, 1), [_f(2, 3)], lambda x: np.cumsum(x, 1)),
    Sample("Cumsum", lambda x: tf.cumsum(x, 0, exclusive=True, reverse=True), [_f(3, 2)],
           lambda x: np.flip(np.cumsum(np.flip(x, 0), 0) - np.flip(x, 0), 0)),
    Sample("Cumprod", lambda x: tf.math.cumprod(x, 1), [_pos(2, 3)],
           lambda x: np.cumprod(x, 1), order=2),
    Sample("Cumprod", lambda x: tf.math.cumprod(x, 0, exclusive=True), [_pos(3, 2)],
           lambda x: np.concatenate([np.ones((1, 2)), np.cumprod(x, 0)[:-1]])),
    # -- sorting --
    Sample("TopKV2", lambda x: tf.math.top_k(x, 2).values, [_away_from_ties(3, 4)],
           lambda x: -np.sort(-x, 1)[:, :2]),
    Sample("TakeAlongAxis", lambda x: tf.sort(x, axis=0), [_away_from_ties(3, 2)],
           lambda x: np.sort(x, 0)),
    Sample("ScatterAlongAxis", lambda x: _scatter_via_grad(x), [_f(2, 3)],
           lambda x: np.full((2, 3), 2.0), grad=False),
    Sample("ArgSort", lambda x: tf.argsort(x, direction="DESCENDING"),
           [np.array([[3, 1, 3, 2], [0, 0, 5, 5]], np.int32)],
           lambda x: np.array([[0, 2, 3, 1], [2, 3, 0, 1]], np.int32)),
    Sample("InTopKV2", lambda t, p: tf.math.in_top_k(t, p, 2),
           [np.array([0, 1, 2], np.int32),
            np.array([[.1, .5, .4], [.3, .3, .3], [.9, .2, .1]], np.float32)],
           lambda t, p: np.array([False, True, False])),
    Sample("Unique", lambda x: tf.unique(x).y, [np.array([4, 1, 4, 2, 1], np.int32)],
           lambda x: np.array([4, 1, 2], np.int32)),
    Sample("DenseBincount", lambda x: tf.math.bincount(x), [np.array([1, 1, 3, 0], np.int32)],
           lambda x: np.bincount(x).astype(np.int32)),
    # -- matmul and linalg --
    Sample("MatMul", tf.matmul, [_f(2, 3), _f(3, 2)], np.matmul, order=2),
    Sample("MatMul", tf.matmul, [_f(2, 1, 2, 3), _f(3, 3, 2)], np.matmul,
           note="batch dimensions broadcast"),
    Sample("MatMul", lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
           [_f(3, 2), _f(2, 3)], lambda a, b: a.T @ b.T, order=2),
    Sample("MatMul", lambda a, b: tf.matmul(a, b, adjoint_b=True),
           [np.array([[1 + 1j, 2]]), np.array([[1 - 2j, 1j]])],
           lambda a, b: a @ b.conj().T, grad=False),
    Sample("Einsum", lambda a, b: tf.einsum("ij,jk->ik", a, b), [_f(2, 3), _f(3, 2)],
           lambda a, b: a @ b, order=2),
    Sample("Einsum", lambda a, b: tf.einsum("bij,bkj->bik", a, b), [_f(2, 2, 3), _f(2, 2, 3)],
           lambda a, b: np.einsum("bij,bkj->bik", a, b)),
    Sample("Einsum", lambda a: tf.einsum("ij->", a), [_f(2, 3)], lambda a: a.sum()),
    Sample("Einsum", lambda a, b: tf.einsum("...ij,j->...i", a, b), [_f(2, 2, 3), _f(3)],
           lambda a, b: np.einsum("...ij,j->...i", a, b)),
    Sample("Einsum", lambda a, b: tf.tensordot(a, b, [[0, 2], [1, 0]]),
           [_f(2, 3, 2), _f(2, 2, 3)], lambda a, b: np.tensordot(a, b, [[0, 2], [1, 0]])),
    Sample("MatMul", lambda a, b: tf.linalg.matvec(a, b), [_f(2, 2, 3), _f(3)],
           lambda a, b: a @ b, note="matvec is MatMul on a column, as in TF"),
    Sample("Einsum", lambda a: tf.einsum("ii->i", a), [_f(3, 3)], np.diag,
           note="a repeated label: the gradient goes back onto the diagonal"),
    Sample("MatrixInverse", tf.linalg.inv, [_SQ], np.linalg.inv, order=2, rtol=1e-4),
    Sample("MatrixInverse", lambda a: tf.linalg.inv(a, adjoint=True), [_BATCH_SQ],
           lambda a: np.linalg.inv(np.swapaxes(a, -1, -2)), rtol=1e-4),
    Sample("MatrixDeterminant", tf.linalg.det, [_BATCH_SQ], np.linalg.det, order=2,
           rtol=1e-4),
    Sample("MatrixDiagV3", tf.linalg.diag, [_f(2, 3)],
           lambda d: np.stack([np.diag(r) for r in d])),
    Sample("MatrixDiagV3", lambda d: tf.linalg.diag(d, k=1), [_f(3)],
           lambda d: np.diag(d, k=1)),
    Sample("MatrixDiagPartV3", tf.linalg.diag_part, [_f(2, 3, 4)],
           lambda x: np.diagonal(x, axis1=-2, axis2=-1)),
    Sample("MatrixDiagPartV3", tf.linalg.trace, [_f(2, 3, 3)],
           lambda x: np.trace(x, axis1=-2, axis2=-1)),
]


def _scatter_via_grad(x):
    """ScatterAlongAxis is the gradient of sort/top_k: d sum(2 * sort(x)) / dx == 2."""
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.sort(x) * 2.0)
    return tape.gradient(y, x)
