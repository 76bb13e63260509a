"""Small named shape/dtype rules shared by many ops (used while building graphs, and to
explain a kernel's failure in eager mode). Each takes objects with ``.shape`` (a
TensorShape, dims may be None) and ``.dtype`` and returns ``(shape, dtype)``."""

from tinytf.framework import dtypes
from tinytf.framework.shape import TensorShape


def same_as_input(x, **attrs):
    return x.shape, x.dtype


def bool_like_input(x, **attrs):
    return x.shape, dtypes.bool


def broadcast_shapes(a, b, op_name="", dtype_check=None):
    """TF's static broadcasting of two TensorShapes; ValueError when incompatible."""
    if a.rank is None or b.rank is None:
        return TensorShape(None)
    da, db = a._dims, b._dims
    if da == db:
        return a
    n = max(len(da), len(db))
    da = (1,) * (n - len(da)) + da
    db = (1,) * (n - len(db)) + db
    out = []
    for x, y in zip(da, db):
        if x == 1:
            out.append(y)
        elif y == 1 or y == x:
            out.append(x)
        elif x is None:
            out.append(y if y is not None else None)
        elif y is None:
            out.append(x)
        else:
            raise ValueError(f"Incompatible shapes: {_fmt(a)} vs. {_fmt(b)}")
    return TensorShape(out)


def _fmt(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape._dims) + "]"


def check_same_dtype(op_name, x, y):
    if x.dtype is not y.dtype:
        raise TypeError(f"cannot compute {op_name} as input #1(zero-based) was expected to be "
                        f"a {x.dtype.name} tensor but is a {y.dtype.name} tensor")


def broadcast_binary(x, y, **attrs):
    return broadcast_shapes(x.shape, y.shape), x.dtype


def broadcast_compare(x, y, **attrs):
    return broadcast_shapes(x.shape, y.shape), dtypes.bool


def normalize_axis(axis, rank, op_name="op"):
    """Axis or axes (ints, may be negative) as a sorted tuple of non-negative ints."""
    if axis is None:
        return tuple(range(rank))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out = []
    for a in axes:
        if not -rank <= a < max(rank, 1) and not (rank == 0 and a in (0, -1)):
            raise ValueError(f"Invalid reduction dimension {a} for input with {rank} "
                             "dimensions.")
        out.append(a % rank if rank else 0)
    return tuple(sorted(set(out)))


def reduce_rule(x, *, axis, keepdims, **attrs):
    """Reductions: ``axis`` is None (all), an int or a tuple; ``keepdims`` keeps size-1 dims."""
    if x.shape.rank is None:     # a full reduction is a scalar whatever the rank
        return TensorShape([] if axis is None and not keepdims else None), x.dtype
    rank = x.shape.rank
    axes = normalize_axis(axis, rank)
    dims = []
    for i, d in enumerate(x.shape._dims):
        if i in axes:
            if keepdims:
                dims.append(1)
        else:
            dims.append(d)
    return TensorShape(dims), x.dtype


def reduced_shape(shape, axis):
    """The shape with reduced axes set to 1 (used by reduction gradients)."""
    rank = len(shape)
    axes = normalize_axis(axis, rank)
    return [1 if i in axes else d for i, d in enumerate(shape)]
