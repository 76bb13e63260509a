"""TensorFlow's DType objects, each a singleton wrapping a NumPy dtype.

Compare with ``is`` or ``==``; ``as_dtype`` accepts a DType, a NumPy dtype or type,
or a TF name such as ``"float32"``.
"""

import numpy as np


class DType:
    """Represents the type of the elements in a Tensor (``tf.dtypes.DType``)."""

    __slots__ = ("name", "_np", "is_floating", "is_integer", "is_complex", "is_bool",
                 "is_unsigned", "_enum")

    def __init__(self, name, np_dtype, enum):
        self.name = name
        self._np = np_dtype
        self._enum = enum
        kind = np.dtype(np_dtype).kind if np_dtype is not object else "O"
        self.is_floating = kind == "f"
        self.is_integer = kind in "iu"
        self.is_unsigned = kind == "u"
        self.is_complex = kind == "c"
        self.is_bool = kind == "b"

    @property
    def as_numpy_dtype(self):
        """The NumPy scalar type for this dtype (``np.float32`` for ``tf.float32``)."""
        return self._np

    @property
    def as_datatype_enum(self):
        return self._enum

    @property
    def base_dtype(self):
        return self

    @property
    def real_dtype(self):
        return {"complex64": float32, "complex128": float64}.get(self.name, self)

    @property
    def is_numpy_compatible(self):
        return True

    @property
    def is_quantized(self):
        return False

    @property
    def size(self):
        return 0 if self._np is object else np.dtype(self._np).itemsize

    @property
    def min(self):
        """The smallest representable value (TF raises for bool, complex and string)."""
        if self.is_floating:
            return np.finfo(self._np).min
        if self.is_integer:
            return int(np.iinfo(self._np).min)
        raise TypeError(f"Cannot find minimum value of {self} with type {self}.")

    @property
    def max(self):
        """The largest representable value (TF raises for bool, complex and string)."""
        if self.is_floating:
            return np.finfo(self._np).max
        if self.is_integer:
            return int(np.iinfo(self._np).max)
        raise TypeError(f"Cannot find maximum value of {self} with type {self}.")

    @property
    def limits(self):
        """TF's ``dtype.limits`` (its ``dtype_range`` with negatives clipped to 0)."""
        if self.is_integer:
            return 0, int(np.iinfo(self._np).max)
        if self.is_bool:
            return 0, True
        if self.is_floating and self is not float16:
            return 0, 1
        raise ValueError(f"{self} does not have defined limits.")

    def is_compatible_with(self, other):
        return as_dtype(other) is self

    def __eq__(self, other):
        if other is self:
            return True
        if other is None:
            return False
        try:
            return as_dtype(other) is self
        except TypeError:
            return False

    def __ne__(self, other):
        return not self.__eq__(other)

    def __hash__(self):
        return self._enum

    def __repr__(self):
        return f"tf.{self.name}"

    def __str__(self):
        return f"<dtype: '{self.name}'>"

    def __reduce__(self):
        return as_dtype, (self.name,)


float16 = DType("float16", np.float16, 19)
half = float16
float32 = DType("float32", np.float32, 1)
float64 = DType("float64", np.float64, 2)
double = float64
int8 = DType("int8", np.int8, 6)
int16 = DType("int16", np.int16, 5)
int32 = DType("int32", np.int32, 3)
int64 = DType("int64", np.int64, 9)
uint8 = DType("uint8", np.uint8, 4)
uint16 = DType("uint16", np.uint16, 17)
uint32 = DType("uint32", np.uint32, 22)
uint64 = DType("uint64", np.uint64, 23)
bool = DType("bool", np.bool_, 10)  # noqa: A001 - TF's public name
complex64 = DType("complex64", np.complex64, 8)
complex128 = DType("complex128", np.complex128, 18)
string = DType("string", object, 7)

ALL = (float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
       bool, complex64, complex128, string)
FLOATS = (float16, float32, float64)
INTS = (int8, int16, int32, int64, uint8, uint16, uint32, uint64)

_BY_NAME = {d.name: d for d in ALL}
_BY_NAME.update(half=float16, double=float64, float=float32)
# NumPy dtype objects hash like their type objects, so one dict answers both.
_BY_NP = {np.dtype(d._np): d for d in ALL if d._np is not object}
# NumPy scalar type -> dtype kind, for hot paths: two NumPy scalars of one type have one
# dtype, and type(v) costs a third of a NumPy scalar's v.dtype.
_SCALAR_KIND = {t: np.dtype(t).kind for t in (
    np.float16, np.float32, np.float64, np.complex64, np.complex128, np.int8, np.int16,
    np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64, np.bool_)}
_BY_NP[np.dtype(object)] = string
_BY_ENUM = {d._enum: d for d in ALL}


def as_dtype(type_value):
    """Converts ``type_value`` (DType, NumPy dtype or type, TF name, Python type) to a DType."""
    if type(type_value) is DType:
        return type_value
    try:
        d = _BY_NAME.get(type_value) if isinstance(type_value, str) else _BY_NP.get(type_value)
    except TypeError:     # unhashable
        d = None
    if d is not None:
        return d
    if type_value is float:
        return float32
    if type_value is builtins_bool:
        return bool
    if type_value is int or type_value is complex or type_value is str \
            or type_value is bytes or isinstance(type_value, str):
        d = None    # TF refuses these Python types and unknown names
    elif isinstance(type_value, int) and type_value in _BY_ENUM:
        return _BY_ENUM[type_value]
    elif isinstance(type_value, (np.generic, np.dtype, type)):
        try:
            npd = np.dtype(type_value)
        except TypeError:
            npd = None
        if npd is not None:
            d = _BY_NP.get(npd) or (string if npd.kind in "USO" else None)
    if d is not None:
        return d
    raise TypeError(f"Cannot convert the argument `type_value`: {type_value!r} to a "
                    "TensorFlow DType.")


# TF's C++ type names, used in kernel error messages ("... but is a float tensor").
_TYPE_STRING = {float16: "half", float32: "float", float64: "double"}


def type_string(dtype):
    """TF's C++ name of a DType (``float`` for float32, ``double`` for float64)."""
    return _TYPE_STRING.get(dtype, dtype.name)


import builtins as _builtins  # noqa: E402

builtins_bool = _builtins.bool


def from_numpy(np_dtype):
    """DType of a NumPy dtype on the hot path (no validation)."""
    return _BY_NP[np_dtype]
