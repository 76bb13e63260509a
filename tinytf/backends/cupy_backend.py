"""CuPy (NVIDIA GPU) versions of the functions in ``numpy_backend`` (same names, same
meaning). Importing this module imports CuPy; tinytf does so only when a GPU is used."""

import cupy
import cupyx
import cupyx.scipy.special as _special

xp = cupy
name = "cupy"
# CuPy >= 14 has ufunc.at (cupyx.scatter_* are deprecated there); older CuPy has only cupyx.
_HAS_AT = hasattr(cupy.add, "at")


def scatter_add(out, indices, values):
    """``out[indices] += values`` with repeated indices accumulated (in place)."""
    if _HAS_AT:
        cupy.add.at(out, indices, values)
    else:
        cupyx.scatter_add(out, indices, values)
    return out


def scatter_max(out, indices, values):
    if _HAS_AT:
        cupy.maximum.at(out, indices, values)
    else:
        cupyx.scatter_max(out, indices, values)
    return out


def scatter_min(out, indices, values):
    if _HAS_AT:
        cupy.minimum.at(out, indices, values)
    else:
        cupyx.scatter_min(out, indices, values)
    return out


def to_host(a):
    return cupy.asnumpy(a)


def from_host(a):
    return cupy.asarray(a)


def synchronize():
    """Waits until every queued kernel on the current device has finished."""
    cupy.cuda.get_current_stream().synchronize()


def erf(x):
    return _special.erf(x)


def erfc(x):
    return _special.erfc(x)


def erfinv(x):
    return _special.erfinv(x)


def lgamma(x):
    return _special.gammaln(x)


def digamma(x):
    return _special.digamma(x)


def polygamma(n, x):
    return _special.polygamma(n, x).astype(x.dtype, copy=False)


def pad_constant(x, paddings, c):
    """``x`` padded with the 0-d device array ``c`` (cupy.pad would copy ``c`` to the host)."""
    shape = tuple(n + a + b for n, (a, b) in zip(x.shape, paddings))
    out = cupy.empty(shape, dtype=x.dtype)
    out[...] = c
    out[tuple(slice(a, a + n) for n, (a, _) in zip(x.shape, paddings))] = x
    return out
