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


def _lgamma_scalar(v):
    try:
        return math.lgamma(v)
    except ValueError:          # the poles 0, -1, -2, ...: +inf, as SciPy and TF
        return math.inf


def lgamma(x):
    sp = _lazy.module()
    if sp is not None:
        return sp.gammaln(x).astype(x.dtype, copy=False)
    return np.vectorize(_lgamma_scalar, otypes=[x.dtype])(x)


def digamma(x):
    sp = _lazy.module()
    if sp is not None:
        return sp.digamma(x).astype(x.dtype, copy=False)
    return _polygamma_np(0, x)


def polygamma(n, x):
    sp = _lazy.module()
    if sp is not None:
        return sp.polygamma(n, x).astype(x.dtype, copy=False)
    n = np.asarray(n)
    if n.ndim == 0:
        return _polygamma_np(int(n), x)
    n, xb = np.broadcast_arrays(n, x)
    out = np.empty(xb.shape, x.dtype)
    for k in np.unique(n):              # one vectorised pass per distinct order
        m = n == k
        out[m] = _polygamma_np(int(k), xb[m])
    return out


# Bernoulli numbers B2, B4, ..., B14 for the asymptotic series of the polygamma functions
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)


def _polygamma_np(n, x):
    """psi^(n)(x) without SciPy: recurrence up to x >= 16, then the asymptotic series
    (float64 accuracy ~1e-15); digamma uses the reflection formula for x < 0.5."""
    z = np.asarray(x, np.float64)
    with np.errstate(all="ignore"):
        if n == 0:
            refl = z < 0.5
            w = np.where(refl, 1.0 - z, z)
        else:
            refl, w = None, z.copy()
        acc = np.zeros_like(w)
        sign = -1.0 if n % 2 == 0 else 1.0          # (-1)^(n+1)
        fact = math.factorial(n)
        steps = int(np.ceil(16.0 - np.nanmin(w, initial=16.0))) if w.size else 0
        for _ in range(max(0, min(steps, 100000))):
            small = w < 16.0
            if not small.any():
                break
            term = 1.0 / w ** (n + 1) if n else 1.0 / w
            acc = np.where(small, acc + (sign * fact * term if n else -term), acc)
            w = np.where(small, w + 1.0, w)
        if n == 0:
            w2 = 1.0 / (w * w)
            series = sum(b / (2 * (k + 1)) * w2 ** (k + 1) for k, b in enumerate(_BERNOULLI))
            out = np.log(w) - 0.5 / w - series + acc
            out = np.where(refl, out - np.pi / np.tan(np.pi * z), out)
            out = np.where((z <= 0) & (z == np.floor(z)), np.nan, out)
        else:
            series = math.factorial(n - 1) / w ** n + fact / (2 * w ** (n + 1))
            for k, b in enumerate(_BERNOULLI, 1):
                series = series + b * math.factorial(2 * k + n - 1) / (
                    math.factorial(2 * k) * w ** (2 * k + n))
            out = sign * series + acc
            out = np.where((z <= 0) & (z == np.floor(z)), np.inf, out)
    return out.astype(np.asarray(x).dtype, copy=False)


def pad_constant(x, paddings, c):
    """``x`` padded by ``paddings`` ((before, after) per axis) with the 0-d array ``c``."""
    return np.pad(x, paddings, mode="constant", constant_values=c)
