"""``tf.dtypes``: the DType objects (re-exported from ``tinytf.framework.dtypes``)."""

from tinytf.framework.dtypes import (  # noqa: F401
    DType, as_dtype, bool, complex64, complex128, double, float16, float32, float64, half,
    int8, int16, int32, int64, string, uint8, uint16, uint32, uint64)

qint8 = int8  # quantized types are not modelled; qint8 aliases int8 for name lookups


def cast(x, dtype, name=None):
    from tinytf.ops.array_ops import cast as _cast
    return _cast(x, dtype, name=name)
