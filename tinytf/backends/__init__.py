"""Backends: the array module a device runs on (NumPy on CPU, CuPy on NVIDIA GPUs) and the
few named shims where the two differ. Kernels call ``xp.*`` directly and reach for
``shims(xp)`` only for the functions listed in ``numpy_backend``.

    from tinytf.backends import shims
    shims(xp).scatter_add(out, indices, values)
"""

import numpy as np

from tinytf.backends import numpy_backend

_cupy_shims = None


def shims(xp):
    """The shim module for ``xp`` (numpy_backend or cupy_backend)."""
    if xp is np:
        return numpy_backend
    global _cupy_shims
    if _cupy_shims is None:
        from tinytf.backends import cupy_backend   # imports CuPy: only once a GPU is used
        _cupy_shims = cupy_backend
    return _cupy_shims
