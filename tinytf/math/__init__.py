"""``tf.math``: element-wise math, reductions, comparisons and segment-free helpers."""

from tinytf.ops.math_ops import (  # noqa: F401
    add, conj, divide, exp, multiply, negative, reduce_sum, subtract, truediv)
