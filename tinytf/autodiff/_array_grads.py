"""Array-level gradients of the hottest ops, for ``backprop.backward_eager``.

Each one mirrors its op-level gradient in ops/math_ops.py step by step, calling the same
kernels on the arrays instead of tinytf ops, so the values (and dtypes) are the same bit
for bit; ``tests/autodiff/test_array_grads.py`` checks that. Each adds its input gradients
into the pass's ``grads`` itself (``_put``) and returns True; it returns False before
writing anything, handing the entry back to the op-level gradient, whenever that gradient
could behave differently: the upstream gradient's dtype or device differs from the op's
(the op-level path would raise or copy), the dtype is not a real floating one (complex
gradients conjugate), or the case is not the common one.
"""

import numpy as np

from tinytf.autodiff.backprop import array_gradient
from tinytf.framework.dtypes import _SCALAR_KIND
from tinytf.framework.tensor import EagerTensor
from tinytf.ops.array_ops import sum_to_shape
from tinytf.ops.math_ops import AddV2, Mul, Neg, Pow, Sub

_FLOATS = frozenset(t for t, k in _SCALAR_KIND.items() if k == "f")  # NumPy float scalars
_ndarray = np.ndarray

# The kernels of AddV2, Sub, Mul and Neg are NumPy's (and CuPy's) operators, so ``a * b``
# below is the Mul kernel itself, spelled inline: a Python call costs as much as the
# arithmetic on small arrays. test_array_grads.py checks the bits against the op-level
# gradients.


def _put(grads, x, value, dev, t=None):
    """Adds ``value`` (an array on ``dev``; ``t``, if given, a tensor holding it), a
    gradient for input ``x``, into ``grads[id(x)]``: summed back to ``x``'s shape where it
    was broadcast, and added to what is there, as the generic loop of ``backward`` does."""
    k = id(x)
    prev = grads.get(k)
    xv = x._value
    # two NumPy scalars have one shape, (); .shape on them costs as much as the sum
    tv = type(value)
    if tv is type(xv) and tv is not _ndarray or value.shape == xv.shape:
        if prev is None:
            if t is None:
                t = EagerTensor()
                t._value = value
                t._device = dev
            grads[k] = t
            return
        if type(prev) is EagerTensor and prev._device is dev:
            s = EagerTensor()
            s._value = prev._value + value
            s._device = dev
            grads[k] = s
            return
    if t is None:
        t = EagerTensor()
        t._value = value
        t._device = dev
    if value.shape != xv.shape:
        t = sum_to_shape(t, x)
    grads[k] = t if prev is None else prev + t


def _same(x, y, dz):
    """Whether ``dz`` matches both inputs in device and real floating dtype (what the
    op-level gradient's ``dz * y`` needs to run without conversions)."""
    dev = dz._device
    if x._device is not dev or y._device is not dev:
        return False
    d, xv, yv = dz._value, x._value, y._value
    t = type(d)
    if t in _FLOATS:                    # NumPy float scalars: the type is the dtype
        return type(xv) is t and type(yv) is t
    dt = d.dtype
    return xv.dtype is dt and yv.dtype is dt and dt.kind == "f"


@array_gradient(AddV2)
def _add_grad(entry, dz, grads, needed):
    x, y = entry[1]
    dev = dz._device
    if id(x) in needed:
        _put(grads, x, dz._value, dev, dz)      # as the op-level gradient: dz, dz
    if id(y) in needed:
        _put(grads, y, dz._value, dev, dz)
    return True


@array_gradient(Sub)
def _sub_grad(entry, dz, grads, needed):
    x, y = entry[1]
    dev = dz._device
    if id(x) in needed:
        _put(grads, x, dz._value, dev, dz)
    if id(y) in needed:
        _put(grads, y, -dz._value, dev)
    return True


@array_gradient(Mul)
def _mul_grad(entry, dz, grads, needed):
    x, y = entry[1]
    if not _same(x, y, dz):
        return False     # the op-level dz * y would convert or raise; complex: conjugates
    dev = dz._device
    d, xv, yv = dz._value, x._value, y._value
    if id(x) in needed:
        _put(grads, x, d * yv, dev)                                   # dz * y
    if id(y) in needed:
        _put(grads, y, d * xv, dev)                                   # dz * x
    return True


@array_gradient(Pow)
def _pow_grad(entry, dz, grads, needed):
    """Only ``x**2`` with a constant exponent (the op-level gradient's own shortcut:
    ``dz * (x + x)``); every other power takes the op-level gradient."""
    x, y = entry[1]
    if id(y) in needed or not _same(x, y, dz):
        return False
    yv = y._value
    if yv.ndim != 0 or yv != 2:
        return False
    if id(x) in needed:
        xv = x._value
        _put(grads, x, dz._value * (xv + xv), dz._device)             # dz * (x + x)
    return True


@array_gradient(Neg)
def _neg_grad(entry, dz, grads, needed):
    x = entry[1][0]
    if id(x) in needed:
        _put(grads, x, -dz._value, dz._device)
    return True
