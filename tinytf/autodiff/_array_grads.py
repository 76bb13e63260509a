"""Array-level gradients of the hottest ops, for ``backprop.backward_eager``.

Each one mirrors its op-level gradient in ops/math_ops.py step by step, calling the same
kernels on the arrays instead of tinytf ops, so the values (and dtypes) are the same bit
for bit; ``tests/autodiff/test_array_grads.py`` checks that. Each returns None, handing
the entry back to the op-level gradient, whenever that gradient could behave differently:
the upstream gradient's dtype or device differs from the op's (the op-level path would
raise or copy), the dtype is not a real floating one (complex gradients conjugate), or the
case is not the common one.
"""

from tinytf.autodiff.backprop import array_gradient
from tinytf.framework.tensor import EagerTensor, _new
from tinytf.ops.math_ops import AddV2, Mul, Neg, Pow, Sub

_add, _mul, _neg = AddV2.kernel, Mul.kernel, Neg.kernel


def _tensor(value, device):
    t = _new(EagerTensor)
    t._value = value
    t._device = device
    return t


def _binary(entry, dz):
    """``(x, y, device)`` of a binary entry when ``dz`` matches both inputs in dtype and
    device (what the op-level gradient's ``dz * y`` requires to run without conversions);
    None otherwise."""
    x, y = entry[1]
    dev = dz._device
    if x._device is not dev or y._device is not dev:
        return None
    dt = dz._value.dtype
    if x._value.dtype is not dt or y._value.dtype is not dt or dt.kind == "c":
        return None     # complex: the op-level gradient conjugates (dz * conj(y))
    return x, y, dev


@array_gradient(AddV2)
def _add_grad(entry, dz, needed):
    return dz, dz                       # as the op-level gradient: no op at all


@array_gradient(Sub)
def _sub_grad(entry, dz, needed):
    if id(entry[1][1]) not in needed:
        return dz, None
    return dz, _tensor(_neg(dz._device.xp, dz._value), dz._device)     # -dz


@array_gradient(Mul)
def _mul_grad(entry, dz, needed):
    x, y = entry[1]
    dev = dz._device
    d = dz._value
    dt = d.dtype
    if x._device is not dev or y._device is not dev or x._value.dtype is not dt \
            or y._value.dtype is not dt or dt.kind != "f":
        return None      # the op-level dz * y would convert or raise; complex: conjugates
    xp = dev.xp
    gx = _tensor(_mul(xp, d, y._value), dev) if id(x) in needed else None     # dz * y
    gy = _tensor(_mul(xp, d, x._value), dev) if id(y) in needed else None     # dz * x
    return gx, gy


@array_gradient(Pow)
def _pow_grad(entry, dz, needed):
    """Only ``x**2`` with a constant exponent (the op-level gradient's own shortcut:
    ``dz * (x + x)``); every other power takes the op-level gradient."""
    x, y = entry[1]
    if id(y) in needed:
        return None
    xyd = _binary(entry, dz)
    if xyd is None:
        return None
    yv = y._value
    if x._value.dtype.kind != "f" or yv.ndim != 0 or yv != 2:
        return None
    xp, xv = xyd[2].xp, x._value
    return _tensor(_mul(xp, dz._value, _add(xp, xv, xv)), xyd[2]), None


@array_gradient(Neg)
def _neg_grad(entry, dz, needed):
    return _tensor(_neg(dz._device.xp, dz._value), dz._device)             # -dz
