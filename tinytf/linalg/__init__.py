"""``tf.linalg``: matrix ops."""

from tinytf.ops.linalg_ops import (  # noqa: F401
    adjoint, det, diag, diag_part, einsum, inv, matrix_transpose, matvec, norm, tensordot,
    trace)
from tinytf.ops.nn_ops import l2_normalize  # noqa: F401
from tinytf.ops.math_ops import global_norm, matmul  # noqa: F401
from tinytf.ops.array_ops import eye  # noqa: F401
