"""``convert_to_tensor`` and TF's conversion rules.

Python floats become float32, ints int32 (int64 when they do not fit), bools bool,
complex complex128, str/bytes string; NumPy arrays keep their dtype; nested lists take
the widest kind they hold (any float makes float32). ``dtype=`` converts where TF allows
and raises ``TypeError``/``ValueError`` where TF does.
"""

import numbers
import warnings

import numpy as np

from tinytf.framework import dtypes
from tinytf.framework.context import _ctx
from tinytf.framework.device import CPU0, _Unsatisfiable, placement_device
from tinytf.framework.tensor import EagerTensor, Tensor

_conversion_funcs = {}   # type -> fn(value, dtype, name, as_ref) (TF's registry)

_INT32_MIN, _INT32_MAX = -(2 ** 31), 2 ** 31 - 1


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """Registers ``conversion_func(value, dtype=None, name=None, as_ref=False)``."""
    _conversion_funcs[base_type] = conversion_func


def _infer_python(value):
    """The DType TF gives a Python scalar (None for other values)."""
    k = _kind(value)
    if k is None:
        return None
    if k == "i":
        return dtypes.int32 if _INT32_MIN <= value <= _INT32_MAX else dtypes.int64
    return _KIND_DTYPE[k]


_FAST_KIND = {float: "f", int: "i", bool: "b", complex: "c", str: "s", bytes: "s"}


def _kind(v):
    """'b', 'i', 'f', 'c' or 's' for a Python (or NumPy) scalar, else None."""
    k = _FAST_KIND.get(type(v))
    if k is not None:
        return k
    if isinstance(v, (bool, np.bool_)):
        return "b"
    if type(v) is np.float64:
        return "d"
    if isinstance(v, numbers.Integral):
        return "i"
    if isinstance(v, numbers.Real):
        return "f"
    if isinstance(v, numbers.Complex):
        return "c"
    if isinstance(v, (str, bytes)):
        return "s"
    return None


_KIND_DTYPE = {"b": dtypes.bool, "f": dtypes.float32, "d": dtypes.float32, "c": dtypes.complex128,
               "s": dtypes.string}
# Which kinds of Python values each kind of target dtype accepts (TF's converter).
_ACCEPTS = {"b": "b", "i": "bi", "u": "bi", "f": "bif", "c": "bifc", "O": "s"}


def _encode(arr):
    return np.vectorize(lambda s: s.encode() if isinstance(s, str) else s,
                        otypes=[object])(arr) if arr.size else arr.astype(object)


_F32_MAX = 3.4028234663852886e38
# np.float32(x) costs 300-500 ns; 1.0f * x (x a Python float within float32's range) is the
# same correctly rounded float32 scalar in 80 ns (NumPy 2 casts the Python float to float32).
_F32_ONE = np.float32(1.0)


def _to_array(value, dtype):
    """NumPy array for ``value`` with TF's dtype rules; dtype may be None."""
    if type(value) is float and dtype is None and -_F32_MAX <= value <= _F32_MAX:
        # hot path: a Python float (tf.constant(4.)). A NumPy scalar rather than a 0-d array,
        # like the results of ops on 0-d values: their operators are ten times faster.
        return _F32_ONE * value
    if isinstance(value, np.ndarray):
        arr = value
        if arr.dtype.kind in "US":
            arr = _encode(arr)
        elif arr.dtype.kind == "O":
            for v in arr.flat:
                if not isinstance(v, (bytes, str)):
                    raise ValueError("Failed to convert a NumPy array to a Tensor "
                                     f"(Unsupported object type {type(v).__name__}).")
            arr = _encode(arr)
        if dtype is not None and arr.dtype != dtype._np:
            arr = _cast_checked(arr, dtype, value)
        return arr
    if isinstance(value, np.generic):
        return _to_array(np.asarray(value), dtype)
    if type(value) is list:          # what _kind would find after six isinstance checks
        return _nested_to_array(value, dtype)
    k = _kind(value)
    if k is not None:
        return _python_to_array(value, {"f" if k == "d" else k}, dtype)
    if isinstance(value, (list, tuple)):
        return _nested_to_array(value, dtype)
    if value is None:
        raise ValueError("Attempt to convert a value (None) with an unsupported type "
                         "(<class 'NoneType'>) to a Tensor.")
    if hasattr(value, "__array__"):
        return _to_array(np.asarray(value), dtype)
    raise ValueError(f"Attempt to convert a value ({value!r}) with an unsupported type "
                     f"({type(value)}) to a Tensor.")


def _python_to_array(value, kinds, dtype):
    """Python scalars or nested lists of them (of the given kinds) -> NumPy array."""
    if dtype is None:
        if "s" in kinds or "c" in kinds:
            if len(kinds) > 1:
                raise ValueError("Can't convert Python sequence with mixed types to Tensor.")
            if "s" in kinds:
                return _encode(np.array(value, dtype=object))
            return np.array(value, dtype=np.complex128)
        if "d" in kinds:      # NumPy float64 scalars inside a list keep float64
            return np.array(value, dtype=np.float64)
        if not kinds or "f" in kinds:
            return _floats(value, np.float32, check=True)
        if kinds == {"b"}:
            return np.array(value, dtype=np.bool_)
        arr = _ints(value)
        if arr.dtype == np.uint64:
            raise ValueError("Can't convert Python sequence with out-of-range integer to "
                             "Tensor.")
        if arr.dtype == np.int64 and arr.size and _INT32_MIN <= arr.min() and \
                arr.max() <= _INT32_MAX:
            arr = arr.astype(np.int32)
        return arr
    npt = dtype._np
    kind = "O" if npt is object else np.dtype(npt).kind
    if "d" in kinds:
        kinds = (kinds - {"d"}) | {"f"}
    if not kinds <= set(_ACCEPTS[kind]) or ("b" in kinds and kind != "b" and
                                            dtype not in _TAKES_BOOL):
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype "
                        f"{dtypes.type_string(dtype)}")
    if kind == "O":
        return _encode(np.array(value, dtype=object))
    if kind in "iu":
        return _ints(value).astype(npt)      # ints wrap around, as in TF
    if kind == "f":
        return _floats(value, npt)
    return np.array(value, dtype=npt)


_TAKES_BOOL = (dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64)


def _ints(value):
    try:
        arr = np.array(value, dtype=np.int64)
    except OverflowError:
        try:
            arr = np.array(value, dtype=np.uint64)
        except OverflowError:
            raise ValueError("Can't convert Python sequence with out-of-range integer to "
                             "Tensor.") from None
    if arr.dtype == np.int64 and arr.ndim == 0 and not _INT32_MIN <= value <= _INT32_MAX:
        return arr
    return arr


def _floats(value, npt, check=False):
    arr64 = np.array(value, dtype=np.float64)
    if npt is np.float64:
        return arr64
    with np.errstate(over="ignore"):
        arr = arr64.astype(npt)
    if check and arr.size and np.isinf(arr).any() and not np.isinf(arr64[np.isinf(arr)]).all():
        raise ValueError("Can't convert Python sequence with a value out of range for a "
                         "double-precision float.")
    return arr


def _flatten_kinds(value, kinds):
    for v in value:
        k = _FAST_KIND.get(type(v))
        if k is not None:
            kinds.add(("py", k))
        elif isinstance(v, (list, tuple)):
            _flatten_kinds(v, kinds)
        elif isinstance(v, Tensor) or (hasattr(v, "_value") and hasattr(v, "_device")):
            kinds.add(("tensor", v.dtype))
        elif isinstance(v, np.ndarray):
            kinds.add(("tensor", dtypes.as_dtype(v.dtype)))
        else:
            kinds.add(("py", _kind(v)))


def _nested_to_array(value, dtype):
    kinds = set()
    if dtype is None and all(type(v) is float for v in value):   # fast path: [1., 2.]
        if all(-_F32_MAX <= v <= _F32_MAX for v in value):
            # within float32's range: the direct conversion rounds each double once, as
            # _floats does, without its overflow check (most of the cost on short lists)
            return np.array(value, np.float32)
        return _floats(value, np.float32, check=True)
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
        bad = next(v for v in _leaves(value) if _kind(v) is None)
        raise ValueError(f"Attempt to convert a value ({bad!r}) with an unsupported type "
                         f"({type(bad)}) to a Tensor.")
    try:
        return _python_to_array(value, pys, dtype)
    except ValueError:
        if _ragged(value):
            raise ValueError("Can't convert non-rectangular Python sequence to "
                             "Tensor.") from None
        raise


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
    """NumPy values are cast to ``dtype`` silently (even lossily), as TF's converter does."""
    if dtype is dtypes.string:
        if arr.dtype == object:
            return arr
        raise ValueError("Failed to convert a NumPy array to a Tensor (Unsupported object "
                         f"type {type(arr.flat[0].item()).__name__ if arr.size else 'float'}).")
    if arr.dtype == object:
        raise TypeError(f"Cannot convert {original!r} to EagerTensor of dtype "
                        f"{dtypes.type_string(dtype)}")
    with np.errstate(all="ignore"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
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
    device = _ctx().device
    if device is None:
        device = CPU0
    elif device is not CPU0:
        device = placement_device()
        if arr.dtype == object:   # strings live in host memory (as in TF)
            device = CPU0
        elif device.xp is not np:
            arr = device.from_host(arr)
    t = EagerTensor()
    t._value = arr
    t._device = device
    return t


# NumPy float scalar type -> {Python float or int -> CPU EagerTensor}: scalar_like's hot path
_SCALARS = {t: {} for t, kind in dtypes._SCALAR_KIND.items() if kind == "f"}
_INT64 = 1 << 63


def scalar_like(value, like):
    """A Python scalar as a tensor of ``like``'s dtype on ``like``'s device (hot path).

    TF's rule for a Python operand of a binary op: it takes the tensor's dtype. Ints wrap
    around into narrower integer types (``uint8 + 300`` is 44 + 1), bools go into any numeric
    type, while floats into integers, complex into reals and ints into bool raise TypeError.
    """
    tv = type(value)
    if (tv is float or tv is int and -_INT64 <= value < _INT64) and _ctx().device is None:
        # hot path: a Python float or int (within int64, where np.array cannot overflow)
        # into a float tensor
        arr = getattr(like, "_value", None)
        # The NumPy scalar type stands for the dtype: it is cheaper to read from a NumPy
        # scalar than .dtype, and hashes by identity (a dtype hashes its fields).
        st = type(arr)
        if st is np.ndarray:
            st = arr.dtype.type
        cache = _SCALARS.get(st)         # None: not a float dtype
        if cache is not None:
            dev = like._device
            if dev.xp is np:
                # Tensors are immutable, so `x * 2.` can reuse one constant (and `x ** 2`
                # the same one: 2 == 2.0 gives the same float array). Zero is left out
                # because -0.0 == 0.0 would share an entry.
                t = cache.get(value) if value else None
                if t is None:
                    t = EagerTensor()
                    t._value = st(value)                     # a NumPy scalar, as above
                    t._device = dev
                    if value and len(cache) < 256:
                        cache[value] = t
                return t
    dt = like.dtype
    npt = dt._np
    if tv is float:
        ok = dt.is_floating or dt.is_complex
    elif tv is int:
        if dt.is_integer:
            if not -0x8000000000000000 <= value <= 0x7FFFFFFFFFFFFFFF:
                value = value % (1 << 64)
                arr = np.array(value, dtype=np.uint64).astype(npt)
                return _on_device(arr, like)
            ok = True
        else:
            ok = not dt.is_bool and npt is not object
    elif tv is bool:
        ok = npt is not object
    elif tv is complex:
        ok = dt.is_complex
    else:
        ok = False
    if not ok:
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype "
                        f"{dtypes.type_string(dt)}")
    try:
        arr = np.array(value, dtype=npt)
    except OverflowError:
        arr = np.array(value, dtype=np.int64).astype(npt)
    return _on_device(arr, like)


def _on_device(arr, like):
    # Where the op will run: the scope's device, else the tensor operand's device.
    dev = _ctx().device
    if dev is None or type(dev) is _Unsatisfiable:
        dev = getattr(like, "_device", None) or CPU0
    if dev.xp is not np:
        arr = dev.from_host(arr)
    t = EagerTensor()
    t._value = arr
    t._device = dev
    return t
