"""``tf.math``: element-wise math, reductions, comparisons and segment-free helpers."""

from tinytf.ops.math_ops import (  # noqa: F401
    abs, acos, acosh, add, add_n, argmax, argmin, asin, asinh, atan, atan2, atanh, bincount,
    ceil, conj, cos, cosh, count_nonzero, cumprod, cumsum, digamma, divide, divide_no_nan,
    equal, erf, erfc, lgamma, polygamma,
    exp, expm1, floor, floordiv, floormod, greater, greater_equal, imag, in_top_k, is_finite,
    is_inf, is_nan, less, less_equal, log, log1p, logical_and, logical_not, logical_or,
    logical_xor, maximum, minimum, mod, multiply, multiply_no_nan, negative, not_equal, pow,
    real, reciprocal, reduce_all, reduce_any, reduce_euclidean_norm, reduce_logsumexp,
    reduce_max, reduce_mean, reduce_min, reduce_prod, reduce_std, reduce_sum,
    reduce_variance, rint, round, rsqrt, scalar_mul, sigmoid, sign, sin, sinh, sqrt, square,
    squared_difference, subtract, tan, tanh, top_k, truediv)
from tinytf.ops.nn_ops import l2_normalize, log_softmax, softmax, softplus, softsign  # noqa: F401
