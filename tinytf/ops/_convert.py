"""Argument conversion used by every public op wrapper (kept off ``execute``'s path).

``to_tensor`` is ``convert_to_tensor`` with a fast path for tensors; ``binary_args``
applies TF's rule for binary ops: Python scalars and lists take the tensor operand's dtype,
two tensors must already agree (no implicit promotion).
"""

import numbers

import numpy as np

from tinytf.framework import errors
from tinytf.framework.dtypes import type_string
from tinytf.framework.context import _ctx
from tinytf.framework.tensor import EagerTensor, Tensor
from tinytf.framework.tensor_conversion import convert_to_tensor, scalar_like


def to_tensor(x, dtype=None, name=None):
    if type(x) is EagerTensor and dtype is None:
        return x
    return convert_to_tensor(x, dtype=dtype, name=name)


def _is_py_scalar(y):
    return isinstance(y, (numbers.Number,)) and not isinstance(y, Tensor) \
        and type(y).__module__ == "builtins"


def binary_args(op_name, x, y):
    """Converts a pair of operands with TF's dtype rules; returns two tensors."""
    tx = type(x)
    if tx is EagerTensor:
        ty = type(y)
        if ty is EagerTensor:
            if x._value.dtype != y._value.dtype:
                raise _dtype_mismatch(op_name, x, y)
            return x, y
        if (ty is float or ty is int or ty is bool or ty is complex) and _ctx().graph is None:
            try:
                return x, scalar_like(y, x)
            except TypeError:
                if op_name != "AddV2":
                    raise
                # TF's AddV2 converts the scalar by its own type, then reports the mismatch
                raise _dtype_mismatch(op_name, x, convert_to_tensor(y)) from None
    elif (tx is float or tx is int) and type(y) is EagerTensor and _ctx().graph is None:
        try:                                   # hot path: 2.0 * t (reflected operators)
            return scalar_like(x, y), y
        except TypeError:
            pass                               # the general path reports TF's error
    if not isinstance(x, Tensor):
        if isinstance(y, Tensor) or hasattr(y, "_read"):
            y = to_tensor(y)
            x = convert_to_tensor(x, dtype_hint=y.dtype)
        else:
            x = to_tensor(x)
            y = convert_to_tensor(y, dtype_hint=x.dtype)
    elif op_name == "AddV2" or isinstance(y, (Tensor, np.ndarray, np.generic)) \
            or hasattr(y, "_read"):
        y = convert_to_tensor(y, dtype_hint=x.dtype)   # NumPy values are cast, as in TF
    else:
        y = convert_to_tensor(y, dtype=x.dtype)        # Python values: TypeError if lossy
    if x.dtype is not y.dtype:
        raise _dtype_mismatch(op_name, x, y)
    return x, y


def _dtype_mismatch(op_name, x, y):
    msg = (f"cannot compute {op_name} as input #1(zero-based) was expected to be a "
           f"{type_string(x.dtype)} tensor but is a {type_string(y.dtype)} tensor")
    if _ctx().graph is not None:
        return TypeError(f"Input 'y' of '{op_name}' Op has type {y.dtype.name} that does not "
                         f"match type {x.dtype.name} of argument 'x'.")
    return errors.op_error(errors.InvalidArgumentError, msg, op_name)


def check_dtype(op_name, x, allowed, arg="x"):
    """Raises TF's error when ``x``'s dtype is not one of ``allowed`` (DTypes)."""
    d = x.dtype
    for a in allowed:          # DTypes are singletons: identity first (DType.__eq__ is
        if a is d:             # Python code, and ``in`` would call it for each entry)
            return
    if d not in allowed:
        names = ", ".join(type_string(d) for d in allowed)
        msg = (f"Value for attr 'T' of {type_string(x.dtype)} is not in the list of allowed "
               f"values: "
               f"{names}\n\t; NodeDef: {{{{node {op_name}}}}}; Op<name={op_name}>")
        if _ctx().graph is not None:
            raise TypeError(msg)
        raise errors.op_error(errors.InvalidArgumentError, msg, op_name)
