"""``tf.linalg``: matrix ops."""

from tinytf.ops.math_ops import matmul  # noqa: F401
