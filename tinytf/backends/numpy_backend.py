"""NumPy (CPU) versions of the functions whose NumPy and CuPy spellings differ.

Every function takes and returns arrays of this backend; ``cupy_backend`` has the same
names with the same meaning.
"""

import math

import numpy as np

xp = np
name = "numpy"


def scatter_add(out, indices, values):
    """``out[indices] += values`` with repeated indices accumulated (in place)."""
    np.add.at(out, indices, values)
    return out


def scatter_max(out, indices, values):
    np.maximum.at(out, indices, values)
    return out


def scatter_min(out, indices, values):
    np.minimum.at(out, indices, values)
    return out


def to_host(a):
    return a


def from_host(a):
    return np.asarray(a)


def synchronize():
    """Waits for queued kernels (nothing to wait for on the CPU)."""


class _LazySpecial:
    """scipy.special, imported on first use (SciPy is optional and slow to import); None
    when SciPy is missing, and the special functions fall back to vectorised math."""

    _mod = False

    def __getattr__(self, name):
        return getattr(self.module(), name)

    def module(self):
        if _LazySpecial._mod is False:
            try:
                from scipy import special   # noqa: PLC0415
            except ImportError:  # pragma: no cover - SciPy is installed on the dev machine
                special = None
            _LazySpecial._mod = special
        return _LazySpecial._mod


_lazy = _LazySpecial()


def erf(x):
    sp = _lazy.module()
    if sp is not None:
        return sp.erf(x).astype(x.dtype, copy=False)
    return np.vectorize(math.erf, otypes=[x.dtype])(x)


def erfc(x):
    sp = _lazy.module()
    if sp is not None:
        return sp.erfc(x).astype(x.dtype, copy=False)
    return np.vectorize(math.erfc, otypes=[x.dtype])(x)


def erfinv(x):
    sp = _lazy.module()
    if sp is not None:
        return sp.erfinv(x).astype(x.dtype, copy=False)
    raise NotImplementedError("erfinv needs SciPy on the CPU")


def lgamma(x):
    sp = _lazy.module()
    if sp is not None:
        return sp.gammaln(x).astype(x.dtype, copy=False)
    return np.vectorize(math.lgamma, otypes=[x.dtype])(x)


def digamma(x):
    sp = _lazy.module()
    if sp is not None:
        return sp.digamma(x).astype(x.dtype, copy=False)
    raise NotImplementedError("digamma needs SciPy on the CPU")


def pad_constant(x, paddings, c):
    """``x`` padded by ``paddings`` ((before, after) per axis) with the 0-d array ``c``."""
    return np.pad(x, paddings, mode="constant", constant_values=c)
