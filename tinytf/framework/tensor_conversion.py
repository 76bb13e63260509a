"""``convert_to_tensor`` and TF's conversion rules.

Python floats become float32, ints int32 (int64 when they do not fit), bools bool,
complex complex128, str/bytes string; NumPy arrays keep their dtype; nested lists take
the widest kind they hold (any float makes float32). ``dtype=`` converts where TF allows
and raises ``TypeError``/``ValueError`` where TF does.
"""

import numbers

import numpy as np

from tinytf.framework import dtypes
from tinytf.framework.context import _ctx
from tinytf.framework.device import CPU0
from tinytf.framework.tensor import EagerTensor, Tensor, _new

_conversion_funcs = {}   # type -> fn(value, dtype, name, as_ref) (TF's registry)

_INT32_MIN, _INT32_MAX = -(2 ** 31), 2 ** 31 - 1


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """Registers ``conversion_func(value, dtype=None, name=None, as_ref=False)``."""
    _conversion_funcs[base_type] = conversion_func


def _infer_python(value):
    """The DType TF gives a Python scalar or nested list, and the list's NumPy array."""
    if isinstance(value, bool) or isinstance(value, np.bool_):
        return dtypes.bool
    if isinstance(value, numbers.Integral):
        return dtypes.int32 if _INT32_MIN <= value <= _INT32_MAX else dtypes.int64
    if isinstance(value, numbers.Real):
        return dtypes.float32
    if isinstance(value, numbers.Complex):
        return dtypes.complex128
    if isinstance(value, (str, bytes)):
        return dtypes.string
    return None


def _to_array(value, dtype):
    """NumPy array for ``value`` with TF's dtype rules; dtype may be None."""
    if isinstance(value, np.ndarray):
        arr = value
        if arr.dtype.kind in "US":
            arr = np.vectorize(lambda s: s.encode() if isinstance(s, str) else s,
                               otypes=[object])(arr) if arr.size else arr.astype(object)
        if dtype is not None and arr.dtype != dtype._np:
            arr = _cast_checked(arr, dtype, value)
        return arr
    if isinstance(value, np.generic):
        return _to_array(np.asarray(value), dtype)
    py = _infer_python(value)
    if py is not None:
        if py is dtypes.string:
            arr = np.array(value.encode() if isinstance(value, str) else value, dtype=object)
            if dtype is not None and dtype is not dtypes.string:
                raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype "
                                f"{dtype.name}")
            return arr
        target = dtype or py
        return _python_to(value, target, py)
    if isinstance(value, (list, tuple)):
        return _nested_to_array(value, dtype)
    if value is None:
        raise ValueError("Attempt to convert a value (None) with an unsupported type "
                         "(<class 'NoneType'>) to a Tensor.")
    if hasattr(value, "__array__"):
        return _to_array(np.asarray(value), dtype)
    raise ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type "
                     f"({type(value)}) to a Tensor.")


def _python_to(value, target, py):
    if target is not py:
        bad = ((py.is_floating or py.is_complex) and (target.is_integer or target.is_bool)) \
            or (py.is_complex and target.is_floating) \
            or (py is dtypes.bool and not target.is_bool) \
            or (target.is_bool and py is not dtypes.bool) or target is dtypes.string
        if bad:
            raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {target.name}")
        if target.is_integer:
            info = np.iinfo(target._np)
            if not info.min <= value <= info.max:
                raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype "
                                f"{target.name}")
    return np.array(value, dtype=target._np)


def _flatten_kinds(value, kinds):
    for v in value:
        if isinstance(v, (list, tuple)):
            _flatten_kinds(v, kinds)
        elif isinstance(v, Tensor) or (hasattr(v, "_value") and hasattr(v, "_device")):
            kinds.add(("tensor", v.dtype))
        elif isinstance(v, (np.ndarray, np.generic)):
            kinds.add(("tensor", dtypes.as_dtype(v.dtype)))
        else:
            kinds.add(("py", _infer_python(v)))


def _nested_to_array(value, dtype):
    kinds = set()
    _flatten_kinds(value, kinds)
    if any(k == "tensor" for k, _ in kinds):
        # TF packs lists holding tensors; they must agree on dtype.
        tensor_dts = {d for k, d in kinds if k == "tensor"}
        if len(tensor_dts) > 1:
            raise TypeError(f"Tensors in list passed to 'values' of 'Pack' Op have types "
                            f"{sorted(d.name for d in tensor_dts)} that don't all match.")
        target = dtype or next(iter(tensor_dts))
        arr = np.array(_materialize(value), dtype=target._np)
        return arr
    pys = {d for _, d in kinds}
    if None in pys:
        bad = next(v for v in _leaves(value) if _infer_python(v) is None)
        raise ValueError(f"Attempt to convert a value ({bad!r}) with an unsupported type "
                         f"({type(bad)}) to a Tensor.")
    if not pys:
        inferred = dtypes.float32
    elif dtypes.string in pys:
        if len(pys) > 1:
            raise TypeError("Can't convert Python sequence with mixed types to Tensor.")
        arr = np.array(value, dtype=object)
        return np.vectorize(lambda s: s.encode() if isinstance(s, str) else s,
                            otypes=[object])(arr) if arr.size else arr
    elif dtypes.complex128 in pys:
        inferred = dtypes.complex128
    elif dtypes.float32 in pys:
        if dtypes.bool in pys:
            raise TypeError("Can't convert Python sequence with mixed types to Tensor.")
        inferred = dtypes.float32
    elif dtypes.bool in pys:
        if len(pys) > 1:
            raise TypeError("Can't convert Python sequence with mixed types to Tensor.")
        inferred = dtypes.bool
    elif dtypes.int64 in pys:
        inferred = dtypes.int64
    else:
        inferred = dtypes.int32
    try:
        arr = np.array(value, dtype=object if dtype is None else None)
    except ValueError:
        arr = None
    if arr is None or arr.dtype == object and _ragged(value):
        raise ValueError("Can't convert non-rectangular Python sequence to Tensor.")
    target = dtype or inferred
    if target is not inferred:
        # Same rule as for scalars: refuse float -> int and friends.
        probe = next(iter(_leaves(value)), 0)
        _python_to(probe, target, inferred) if inferred.is_floating or inferred.is_bool \
            or inferred.is_complex else None
    return np.array(value, dtype=target._np)


def _leaves(value):
    for v in value:
        if isinstance(v, (list, tuple)):
            yield from _leaves(v)
        else:
            yield v


def _ragged(value):
    def shape(v):
        if isinstance(v, (list, tuple)):
            subs = [shape(x) for x in v]
            if any(s != subs[0] for s in subs):
                return None
            return (len(v),) + (subs[0] if subs else ())
        return ()
    try:
        return shape(value) is None
    except TypeError:
        return True


def _materialize(value):
    if isinstance(value, (list, tuple)):
        return [_materialize(v) for v in value]
    if isinstance(value, Tensor):
        return value.numpy()
    if hasattr(value, "numpy"):
        return value.numpy()
    return value


def _cast_checked(arr, dtype, original):
    if dtype is dtypes.string:
        raise TypeError(f"Cannot convert {original!r} to EagerTensor of dtype string")
    return arr.astype(dtype._np)


def constant_value_array(value, dtype=None):
    """NumPy array for a Python/NumPy value with TF's dtype rules (no device placement)."""
    return _to_array(value, dtype)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None, preferred_dtype=None):
    """Converts ``value`` to a Tensor (``tf.convert_to_tensor``)."""
    if type(value) is EagerTensor and dtype is None:
        return value
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, Tensor):
        if dtype is not None and value.dtype is not dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtype.name} for Tensor with "
                             f"dtype {value.dtype.name}: {value!r}")
        return value
    fn = _conversion_funcs.get(type(value))
    if fn is None:
        for base, f in _conversion_funcs.items():
            if isinstance(value, base):
                fn = f
                break
    if fn is not None:
        return fn(value, dtype=dtype, name=name)
    hint = dtype_hint or preferred_dtype
    if dtype is None and hint is not None:
        try:
            arr = _to_array(value, dtypes.as_dtype(hint))
        except (TypeError, ValueError):
            arr = _to_array(value, None)
    else:
        arr = _to_array(value, dtype)
    return _place(arr)


def _place(arr):
    device = _ctx.device or CPU0
    if device is not CPU0 and device.xp is not np:
        arr = device.from_host(arr)
    t = _new(EagerTensor)
    t._value = arr
    t._device = device
    return t


def scalar_like(value, like):
    """A Python scalar as a tensor of ``like``'s dtype on ``like``'s device (hot path)."""
    dt = like.dtype
    try:
        arr = np.array(value, dtype=dt._np)
    except (TypeError, ValueError, OverflowError):
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dt.name}") from None
    if (dt.is_integer or dt.is_bool) and not isinstance(value, (bool, numbers.Integral,
                                                                   np.integer, np.bool_)):
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype {dt.name}")
    dev = getattr(like, "_device", None) or _ctx.device or CPU0
    if dev.xp is not np:
        arr = dev.from_host(arr)
    t = _new(EagerTensor)
    t._value = arr
    t._device = dev
    return t
