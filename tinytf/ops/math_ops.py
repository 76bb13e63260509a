"""Element-wise math, reductions, scans, sorting and matmul (TF's ``math_ops``), with their
gradients, and the arithmetic / comparison / bitwise operators of ``Tensor``."""

import collections
import math as _math
import numbers

import numpy as np

from tinytf.backends import intra_op
from tinytf.framework import dtypes, errors
from tinytf.framework.context import _ctx
from tinytf.framework.tensor_conversion import _SCALARS, scalar_like
from tinytf.framework.execute import execute, execute_binary
from tinytf.framework.registry import not_differentiable, op
from tinytf.framework.shape import TensorShape
from tinytf.framework.tensor import EagerTensor, Tensor
from tinytf.ops._convert import binary_args, to_tensor
from tinytf.ops.array_ops import ZerosLike, broadcast_like, cast, reshape
from tinytf.ops.variables import Variable
from tinytf.ops.shape_rules import (
    bool_like_input, broadcast_binary, broadcast_compare, broadcast_shapes, reduce_rule,
    reduced_shape, same_as_input)

# -- dtype groups, with TF's names for its "allowed values" messages --------------------

_f16, _f32, _f64 = dtypes.float16, dtypes.float32, dtypes.float64
_c64, _c128 = dtypes.complex64, dtypes.complex128
_i8, _i16, _i32, _i64 = dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64
_u8, _u16, _u32, _u64 = dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64

_TF_NAME = {_f16: "half", _f32: "float", _f64: "double"}


def _tfname(d):
    return _TF_NAME.get(d, d.name)


def _group(*ds):
    return frozenset(ds), ", ".join(["bfloat16"] + [_tfname(d) for d in ds]
                                    if ds and ds[0] is _f16 else [_tfname(d) for d in ds])


FLOAT = _group(_f16, _f32, _f64)
FLOAT_COMPLEX = _group(_f16, _f32, _f64, _c64, _c128)
SIGNED = _group(_f16, _f32, _f64, _i8, _i16, _i32, _i64)
SIGNED_COMPLEX = _group(_f16, _f32, _f64, _i8, _i16, _i32, _i64, _c64, _c128)
NUMERIC = _group(_f16, _f32, _f64, _i8, _i16, _i32, _i64, _u8, _u16, _u32, _u64, _c64, _c128)
REAL = _group(_f16, _f32, _f64, _i8, _u8, _i16, _u16, _i32, _u32, _i64, _u64)
INTEGER = _group(_i8, _i16, _i32, _i64, _u8, _u16, _u32, _u64)
# The reductions' and scans' lists, in the order TF prints them.
REDUCE = (frozenset((_f16, _f32, _f64, _i8, _i16, _i32, _i64, _u8, _u16, _u32, _u64, _c64,
                     _c128)),
          "float, double, int32, uint8, int16, int8, complex64, int64, qint8, quint8, qint32, "
          "bfloat16, qint16, quint16, uint16, complex128, half, uint32, uint64")
REDUCE_REAL = (frozenset((_f16, _f32, _f64, _i8, _i16, _i32, _i64, _u8, _u16, _u32, _u64)),
               "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
               "uint32, uint64, qint8, quint8, qint32, qint16, quint16")
COMPARE = (REAL[0], "float, double, int32, uint8, int16, int8, int64, bfloat16, uint16, half, "
           "uint32, uint64")
POW = _group(_f16, _f32, _f64, _i8, _i16, _i32, _i64, _c64, _c128)
FLOORMOD = _group(_i8, _i16, _i32, _i64, _u8, _u16, _u32, _u64, _f16, _f32, _f64)
SQDIFF = _group(_f16, _f32, _f64, _i32, _i64, _c64, _c128)


def _check(op_name, x, group, attr="T"):
    """Raises TF's error when ``x``'s dtype is not in ``group`` (a pair from ``_group``)."""
    allowed, names = group
    if x.dtype not in allowed:
        msg = (f"Value for attr '{attr}' of {_tfname(x.dtype)} is not in the list of allowed "
               f"values: {names}\n\t; NodeDef: {{{{node {op_name}}}}}; Op<name={op_name}>")
        if _ctx().graph is not None:
            raise TypeError(msg)
        raise errors.op_error(errors.InvalidArgumentError, msg, op_name)


def _expect_bool(op_name, x, index=0):
    if x.dtype is not dtypes.bool:
        msg = (f"cannot compute {op_name} as input #{index}(zero-based) was expected to be a "
               f"bool tensor but is a {_tfname(x.dtype)} tensor")
        if _ctx().graph is not None:
            raise TypeError(msg)
        raise errors.op_error(errors.InvalidArgumentError, msg, op_name)


def _invalid(msg, op_name):
    return errors.op_error(errors.InvalidArgumentError, msg, op_name)


def _zeros_like(x):
    return execute(ZerosLike, (x,))


def _float_for_int(d):
    """TF's truediv result for integer operands: float32 up to 16 bits, float64 beyond."""
    return _f64 if d.size >= 4 else _f32


# -- binary arithmetic ------------------------------------------------------------------

@op("AddV2", infer=broadcast_binary)
def AddV2(xp, x, y):
    return x + y       # the operator: same ufunc, 10x faster on NumPy scalars


@AddV2.gradient
def _add_grad(op, dz):
    return dz, dz                       # the engine sums each back to its input's shape


def add(x, y, name=None):
    """Returns x + y element-wise, with broadcasting (``tf.math.add``)."""
    x, y = binary_args("AddV2", x, y)
    return execute(AddV2, (x, y), name=name)


@op("Sub", infer=broadcast_binary)
def Sub(xp, x, y):
    return x - y


@Sub.gradient
def _sub_grad(op, dz):
    return dz, -dz


def subtract(x, y, name=None):
    """Returns x - y element-wise (``tf.math.subtract``)."""
    x, y = binary_args("Sub", x, y)
    return execute(Sub, (x, y), name=name)


@op("Mul", infer=broadcast_binary)
def Mul(xp, x, y):
    return x * y


@Mul.gradient
def _mul_grad(op, dz):
    x, y = op.inputs
    skip = getattr(op, "skip_input_indices", None)   # eager tapes: inputs nobody needs
    if skip:
        return (None if 0 in skip else dz * y), (None if 1 in skip else dz * x)
    return dz * y, dz * x


def multiply(x, y, name=None):
    """Returns x * y element-wise (``tf.math.multiply``)."""
    x, y = binary_args("Mul", x, y)
    return execute(Mul, (x, y), name=name)


@op("RealDiv", infer=broadcast_binary)
def RealDiv(xp, x, y):
    return x / y


@RealDiv.gradient
def _realdiv_grad(op, dz):
    x, y = op.inputs
    return dz / y, -dz * op.outputs[0] / y      # d(x/y)/dy = -x/y^2 = -z/y


def divide(x, y, name=None):
    """Computes Python style division of x by y (``tf.math.divide``)."""
    x, y = binary_args("RealDiv", x, y)
    if x.dtype.is_integer:
        f = _float_for_int(x.dtype)
        x, y = cast(x, f), cast(y, f)
    return execute(RealDiv, (x, y), name=name)


truediv = divide


def _int_div_check(xp, y):
    if y.dtype.kind in "iu" and not xp.all(y):
        raise errors.InvalidArgumentError(None, None, "Integer division by zero")


@op("FloorDiv", infer=broadcast_binary)
def FloorDiv(xp, x, y):
    _int_div_check(xp, y)
    if x.dtype.kind == "f":     # TF: floor(x / y), so inf // 2 = inf and -1 // inf = -0
        return xp.floor(xp.true_divide(x, y))
    return xp.floor_divide(x, y)


def floordiv(x, y, name=None):
    """Divides x / y element-wise, rounding toward the most negative integer
    (``tf.math.floordiv``)."""
    x, y = binary_args("FloorDiv", x, y)
    _check("FloorDiv", x, NUMERIC)
    return execute(FloorDiv, (x, y), name=name)


@op("FloorMod", infer=broadcast_binary)
def FloorMod(xp, x, y):
    _int_div_check(xp, y)
    return xp.mod(x, y)


@FloorMod.gradient
def _floormod_grad(op, dz):
    x, y = op.inputs
    return dz, -dz * floordiv(x, y)


def floormod(x, y, name=None):
    """Element-wise remainder of division, with the sign of the divisor (``tf.math.floormod``)."""
    x, y = binary_args("FloorMod", x, y)
    _check("FloorMod", x, FLOORMOD)
    return execute(FloorMod, (x, y), name=name)


mod = floormod


@op("Pow", infer=broadcast_binary)
def Pow(xp, x, y):
    if type(x) is type(y) and type(x) is not xp.ndarray and x.dtype.kind == "f" and y == 2:
        # x**2 on two NumPy float scalars: x * x is ten times faster than the ufunc and
        # bit-identical to it (the scalar ``**`` is not: it calls libm's pow)
        return x * x
    if y.dtype.kind == "i" and (y < 0).any():
        raise errors.InvalidArgumentError(
            None, None, "Integers to negative integer powers are not allowed")
    return xp.power(x, y)


@Pow.gradient
def _pow_grad(op, dz):
    x, y = op.inputs
    if not (x.dtype.is_floating or x.dtype.is_complex):
        return None, None
    z = op.outputs[0]
    skip = getattr(op, "skip_input_indices", None)   # eager tapes: y needs no gradient
    if skip and 1 in skip:
        yv = getattr(y, "_value", None)
        if yv is not None and yv.ndim == 0 and yv == 2:
            return dz * (x + x), None                # x**2: the common case, 2 ops
        return dz * y * pow(x, y - 1), None
    gx = dz * y * pow(x, y - 1)
    if x.dtype.is_complex:
        mask = cast(not_equal(x, 0), x.dtype)
    else:
        mask = cast(greater(x, 0), x.dtype)
    log_x = log(x * mask + (1 - mask))          # log(x) where x > 0, else 0
    return gx, dz * z * log_x


def pow(x, y, name=None):  # noqa: A001 - TF's name
    """Computes the power of one value to another, x ** y element-wise (``tf.math.pow``)."""
    x, y = binary_args("Pow", x, y)
    _check("Pow", x, POW)
    return execute(Pow, (x, y), name=name)


@op("Maximum", infer=broadcast_binary)
def Maximum(xp, x, y):
    return xp.maximum(x, y)


@Maximum.gradient
def _maximum_grad(op, dz):
    x, y = op.inputs
    mask = cast(greater_equal(x, y), dz.dtype)  # ties go to x, as in TF
    gx = dz * mask
    return gx, dz - gx


def maximum(x, y, name=None):
    """Returns the max of x and y element-wise (``tf.math.maximum``)."""
    x, y = binary_args("Maximum", x, y)
    _check("Maximum", x, REAL)
    return execute(Maximum, (x, y), name=name)


@op("Minimum", infer=broadcast_binary)
def Minimum(xp, x, y):
    return xp.minimum(x, y)


@Minimum.gradient
def _minimum_grad(op, dz):
    x, y = op.inputs
    mask = cast(less_equal(x, y), dz.dtype)     # ties go to x, as in TF
    gx = dz * mask
    return gx, dz - gx


def minimum(x, y, name=None):
    """Returns the min of x and y element-wise (``tf.math.minimum``)."""
    x, y = binary_args("Minimum", x, y)
    _check("Minimum", x, REAL)
    return execute(Minimum, (x, y), name=name)


@op("SquaredDifference", infer=broadcast_binary)
def SquaredDifference(xp, x, y):
    d = xp.subtract(x, y)
    return d * xp.conj(d) if d.dtype.kind == "c" else d * d


@SquaredDifference.gradient
def _squared_difference_grad(op, dz):
    x, y = op.inputs
    g = dz * (2 * (x - y))
    return g, -g


def squared_difference(x, y, name=None):
    """Returns conj(x - y)(x - y) element-wise (``tf.math.squared_difference``)."""
    x, y = binary_args("SquaredDifference", x, y)
    _check("SquaredDifference", x, SQDIFF)
    return execute(SquaredDifference, (x, y), name=name)


@op("Atan2", infer=broadcast_binary)
def Atan2(xp, y, x):
    return xp.arctan2(y, x)


@Atan2.gradient
def _atan2_grad(op, dz):
    y, x = op.inputs
    inv = dz / (x * x + y * y)
    return x * inv, -y * inv


def atan2(y, x, name=None):
    """Computes arctangent of y/x element-wise, respecting signs (``tf.math.atan2``)."""
    y, x = binary_args("Atan2", y, x)
    _check("Atan2", y, FLOAT)
    return execute(Atan2, (y, x), name=name)


@op("DivNoNan", infer=broadcast_binary)
def DivNoNan(xp, x, y):
    nz = y != 0
    return xp.where(nz, x / xp.where(nz, y, 1), 0).astype(x.dtype, copy=False)


@DivNoNan.gradient
def _div_no_nan_grad(op, dz):
    x, y = op.inputs
    return divide_no_nan(dz, y), dz * divide_no_nan(divide_no_nan(-x, y), y)


def divide_no_nan(x, y, name=None):
    """Computes x / y, returning 0 where y is zero (``tf.math.divide_no_nan``)."""
    x, y = binary_args("DivNoNan", x, y)
    if x.dtype.is_integer:
        f = _float_for_int(x.dtype)
        x, y = cast(x, f), cast(y, f)
    if not (x.dtype.is_floating or x.dtype.is_complex):
        raise TypeError(f"Invalid dtype {x.dtype!r} in tf.math.divide_no_nan. Expected a "
                        "numeric type.")
    return execute(DivNoNan, (x, y), name=name)


@op("MulNoNan", infer=broadcast_binary)
def MulNoNan(xp, x, y):
    with np.errstate(invalid="ignore"):       # inf * 0 is masked out below
        return xp.where(y != 0, x * y, 0).astype(x.dtype, copy=False)


@MulNoNan.gradient
def _mul_no_nan_grad(op, dz):
    x, y = op.inputs
    return multiply_no_nan(y, dz), multiply_no_nan(x, dz)


def multiply_no_nan(x, y, name=None):
    """Computes x * y, returning 0 where y is zero even if x is inf or nan
    (``tf.math.multiply_no_nan``)."""
    x, y = binary_args("MulNoNan", x, y)
    _check("MulNoNan", x, FLOAT_COMPLEX)
    return execute(MulNoNan, (x, y), name=name)


@op("TruncateDiv", infer=broadcast_binary)
def TruncateDiv(xp, x, y):
    _int_div_check(xp, y)
    if x.dtype.kind in "iu":
        q = xp.abs(x) // xp.abs(y)
        return xp.where((x < 0) != (y < 0), -q, q).astype(x.dtype, copy=False)
    return xp.trunc(x / y)


@op("TruncateMod", infer=broadcast_binary)
def TruncateMod(xp, x, y):
    _int_div_check(xp, y)
    return xp.fmod(x, y)


not_differentiable(TruncateDiv, TruncateMod)


def truncatediv(x, y, name=None):
    """Divides x / y element-wise, rounding toward zero (``tf.truncatediv``)."""
    x, y = binary_args("TruncateDiv", x, y)
    _check("TruncateDiv", x, NUMERIC)
    return execute(TruncateDiv, (x, y), name=name)


def truncatemod(x, y, name=None):
    """Element-wise remainder of division, with the sign of the dividend (``tf.truncatemod``)."""
    x, y = binary_args("TruncateMod", x, y)
    _check("TruncateMod", x, FLOORMOD)
    return execute(TruncateMod, (x, y), name=name)


def realdiv(x, y, name=None):
    """Returns x / y element-wise for real types, no integer conversion (``tf.realdiv``)."""
    x, y = binary_args("RealDiv", x, y)
    return execute(RealDiv, (x, y), name=name)


def scalar_mul(scalar, x, name=None):
    """Multiplies a scalar by a tensor (``tf.math.scalar_mul``)."""
    s = scalar if isinstance(scalar, numbers.Number) else to_tensor(scalar)
    if isinstance(s, Tensor) and s.shape.rank not in (None, 0):
        raise ValueError(f"The input scalar must be a 0-D value. Received shape "
                         f"{tuple(s.shape.as_list())}.")
    return multiply(s, x, name=name) if isinstance(s, Tensor) else multiply(x, s, name=name)


def _add_n_rule(*xs):
    shape = xs[0].shape
    for x in xs[1:]:
        shape = shape.merge_with(x.shape)
    return shape, xs[0].dtype


@op("AddN", infer=_add_n_rule)
def AddN(xp, *xs):
    if len(xs) == 1:
        return xs[0]
    out = xp.add(xs[0], xs[1])
    for x in xs[2:]:
        out += x
    return out


@AddN.gradient
def _add_n_grad(op, dz):
    return (dz,) * len(op.inputs)


def add_n(inputs, name=None):
    """Adds all input tensors element-wise; all must have the same shape and dtype
    (``tf.math.add_n``)."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError("Inputs must be an iterable of at least one Tensor/IndexedSlices "
                         "with the same dtype and shape.")
    xs = [to_tensor(x) for x in inputs]
    d, s = xs[0].dtype, xs[0].shape
    for x in xs[1:]:
        if x.dtype is not d:
            raise TypeError(f"Tensors in list passed to 'inputs' of 'AddN' Op have types "
                            f"[{', '.join(t.dtype.name for t in xs)}] that don't all match.")
    for i, x in enumerate(xs[1:], 1):
        if not x.shape.is_compatible_with(s):
            msg = (f"Inputs to operation AddN of type AddN must have the same size and shape."
                   f"  Input 0: {_dims(s)} != input {i}: {_dims(x.shape)}")
            if _ctx().graph is not None:
                raise ValueError(msg)
            raise _invalid(msg, "AddN")
    return execute(AddN, tuple(xs), name=name)


# -- unary element-wise ops -------------------------------------------------------------

def _unary(op_name, fn, group=None, infer=same_as_input):
    """Registers an element-wise op whose kernel is ``xp.<fn>(x)``; returns (OpDef, wrapper)."""
    def kernel(xp, x):
        return getattr(xp, fn)(x)

    kernel.__name__ = op_name
    d = op(op_name, infer=infer)(kernel)

    if group is None:
        def wrapper(x, name=None):
            return execute(d, (to_tensor(x),), name=name)
    else:
        def wrapper(x, name=None):
            x = to_tensor(x)
            _check(op_name, x, group)
            return execute(d, (x,), name=name)
    return d, wrapper


def _doc(fn, name, text):
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = text
    return fn


@op("Neg", infer=same_as_input)
def Neg(xp, x):
    return -x


@Neg.gradient
def _neg_grad(op, dy):
    return -dy


def negative(x, name=None):
    """Computes numerical negative value element-wise (``tf.math.negative``).

    Unlike TF, unsigned integer inputs are not rejected (they wrap around): ``-x`` is on
    the eager hot path, which does no per-call dtype check."""
    return execute(Neg, (to_tensor(x),), name=name)


@op("Exp", infer=same_as_input)
def Exp(xp, x):
    return xp.exp(x)


@Exp.gradient
def _exp_grad(op, dy):
    return dy * op.outputs[0]          # y = e^x: reuse the forward output


def exp(x, name=None):
    """Computes exponential of x element-wise, y = e^x (``tf.math.exp``)."""
    x = to_tensor(x)
    _check("Exp", x, FLOAT_COMPLEX)
    return execute(Exp, (x,), name=name)


Square, square = _unary("Square", "square", NUMERIC)
_doc(square, "square", "Computes square of x element-wise, x * x (``tf.math.square``).")


@Square.gradient
def _square_grad(op, dy):
    return dy * (2 * op.inputs[0])


Sqrt, sqrt = _unary("Sqrt", "sqrt", FLOAT_COMPLEX)
_doc(sqrt, "sqrt", "Computes element-wise square root of x (``tf.math.sqrt``).")


@Sqrt.gradient
def _sqrt_grad(op, dy):
    return dy * 0.5 / op.outputs[0]      # y = sqrt(x): dy/dx = 0.5 / y


@op("Rsqrt", infer=same_as_input)
def Rsqrt(xp, x):
    return xp.reciprocal(xp.sqrt(x))


def rsqrt(x, name=None):
    """Computes reciprocal of square root of x element-wise (``tf.math.rsqrt``)."""
    x = to_tensor(x)
    _check("Rsqrt", x, FLOAT_COMPLEX)
    return execute(Rsqrt, (x,), name=name)


@Rsqrt.gradient
def _rsqrt_grad(op, dy):
    y = op.outputs[0]
    return dy * (-0.5 * y * y * y)


Log, log = _unary("Log", "log", FLOAT_COMPLEX)
_doc(log, "log", "Computes natural logarithm of x element-wise (``tf.math.log``).")


@Log.gradient
def _log_grad(op, dy):
    return dy / op.inputs[0]


Log1p, log1p = _unary("Log1p", "log1p", FLOAT_COMPLEX)
_doc(log1p, "log1p", "Computes natural logarithm of (1 + x) element-wise (``tf.math.log1p``).")


@Log1p.gradient
def _log1p_grad(op, dy):
    return dy / (1 + op.inputs[0])


Expm1, expm1 = _unary("Expm1", "expm1", FLOAT_COMPLEX)
_doc(expm1, "expm1", "Computes exp(x) - 1 element-wise (``tf.math.expm1``).")


@Expm1.gradient
def _expm1_grad(op, dy):
    return dy * exp(op.inputs[0])


Reciprocal, reciprocal = _unary("Reciprocal", "reciprocal", SIGNED_COMPLEX)
_doc(reciprocal, "reciprocal", "Computes the reciprocal of x element-wise, 1 / x "
     "(``tf.math.reciprocal``).")


@Reciprocal.gradient
def _reciprocal_grad(op, dy):
    y = op.outputs[0]
    return -dy * y * y


Sin, sin = _unary("Sin", "sin", FLOAT_COMPLEX)
_doc(sin, "sin", "Computes sine of x element-wise (``tf.math.sin``).")
Cos, cos = _unary("Cos", "cos", FLOAT_COMPLEX)
_doc(cos, "cos", "Computes cosine of x element-wise (``tf.math.cos``).")
Tan, tan = _unary("Tan", "tan", FLOAT_COMPLEX)
_doc(tan, "tan", "Computes tangent of x element-wise (``tf.math.tan``).")
Asin, asin = _unary("Asin", "arcsin", FLOAT_COMPLEX)
_doc(asin, "asin", "Computes the inverse sine of x element-wise (``tf.math.asin``).")
Acos, acos = _unary("Acos", "arccos", FLOAT_COMPLEX)
_doc(acos, "acos", "Computes the inverse cosine of x element-wise (``tf.math.acos``).")
Atan, atan = _unary("Atan", "arctan", FLOAT_COMPLEX)
_doc(atan, "atan", "Computes the inverse tangent of x element-wise (``tf.math.atan``).")
Sinh, sinh = _unary("Sinh", "sinh", FLOAT_COMPLEX)
_doc(sinh, "sinh", "Computes hyperbolic sine of x element-wise (``tf.math.sinh``).")
Cosh, cosh = _unary("Cosh", "cosh", FLOAT_COMPLEX)
_doc(cosh, "cosh", "Computes hyperbolic cosine of x element-wise (``tf.math.cosh``).")
Asinh, asinh = _unary("Asinh", "arcsinh", FLOAT_COMPLEX)
_doc(asinh, "asinh", "Computes inverse hyperbolic sine of x element-wise (``tf.math.asinh``).")
Acosh, acosh = _unary("Acosh", "arccosh", FLOAT_COMPLEX)
_doc(acosh, "acosh", "Computes inverse hyperbolic cosine of x element-wise "
     "(``tf.math.acosh``).")
Atanh, atanh = _unary("Atanh", "arctanh", FLOAT_COMPLEX)
_doc(atanh, "atanh", "Computes inverse hyperbolic tangent of x element-wise "
     "(``tf.math.atanh``).")
Tanh, tanh = _unary("Tanh", "tanh", FLOAT_COMPLEX)
_doc(tanh, "tanh", "Computes hyperbolic tangent of x element-wise (``tf.math.tanh``).")


@Sin.gradient
def _sin_grad(op, dy):
    return dy * cos(op.inputs[0])


@Cos.gradient
def _cos_grad(op, dy):
    return -dy * sin(op.inputs[0])


@Tan.gradient
def _tan_grad(op, dy):
    sec = reciprocal(cos(op.inputs[0]))
    return dy * sec * sec


@Asin.gradient
def _asin_grad(op, dy):
    x = op.inputs[0]
    return dy * rsqrt(1 - x * x)


@Acos.gradient
def _acos_grad(op, dy):
    x = op.inputs[0]
    return -dy * rsqrt(1 - x * x)


@Atan.gradient
def _atan_grad(op, dy):
    x = op.inputs[0]
    return dy / (1 + x * x)


@Sinh.gradient
def _sinh_grad(op, dy):
    return dy * cosh(op.inputs[0])


@Cosh.gradient
def _cosh_grad(op, dy):
    return dy * sinh(op.inputs[0])


@Asinh.gradient
def _asinh_grad(op, dy):
    return dy / cosh(op.outputs[0])


@Acosh.gradient
def _acosh_grad(op, dy):
    return dy / sinh(op.outputs[0])


@Atanh.gradient
def _atanh_grad(op, dy):
    x = op.inputs[0]
    return dy / (1 - x * x)


@Tanh.gradient
def _tanh_grad(op, dy):
    y = op.outputs[0]
    return dy * (1 - y * y)


@op("Sigmoid", infer=same_as_input)
def Sigmoid(xp, x):
    # Stable for large |x|: exp never sees a positive argument.
    e = xp.exp(-xp.abs(x)) if x.dtype.kind != "c" else None
    if e is None:
        return 1 / (1 + xp.exp(-x))
    return xp.where(x >= 0, 1, e) / (1 + e)


@Sigmoid.gradient
def _sigmoid_grad(op, dy):
    y = op.outputs[0]
    return dy * (y * (1 - y))


def sigmoid(x, name=None):
    """Computes sigmoid of x element-wise, 1 / (1 + exp(-x)) (``tf.math.sigmoid``)."""
    x = to_tensor(x)
    _check("Sigmoid", x, FLOAT_COMPLEX)
    return execute(Sigmoid, (x,), name=name)


@op("Erf", infer=same_as_input)
def Erf(xp, x):
    if xp is np:
        return _np_erf(x)
    import cupyx.scipy.special as sp  # GPU only
    return sp.erf(x)


def _np_erf(x):
    try:
        from scipy.special import erf as _erf
        return _erf(x).astype(x.dtype, copy=False)
    except ImportError:  # pragma: no cover - scipy is optional
        return np.vectorize(_math.erf, otypes=[x.dtype])(x)


@Erf.gradient
def _erf_grad(op, dy):
    x = op.inputs[0]
    return dy * (2 / _math.sqrt(_math.pi)) * exp(-(x * x))


def erf(x, name=None):
    """Computes the Gauss error function of x element-wise (``tf.math.erf``)."""
    x = to_tensor(x)
    _check("Erf", x, FLOAT)
    return execute(Erf, (x,), name=name)


@op("Erfc", infer=same_as_input)
def Erfc(xp, x):
    from tinytf.backends import shims
    return shims(xp).erfc(x)


@Erfc.gradient
def _erfc_grad(op, dy):
    x = op.inputs[0]
    return dy * (-2 / _math.sqrt(_math.pi)) * exp(-(x * x))


def erfc(x, name=None):
    """Computes the complementary error function of x element-wise (``tf.math.erfc``)."""
    x = to_tensor(x)
    _check("Erfc", x, FLOAT)
    return execute(Erfc, (x,), name=name)


@op("Lgamma", infer=same_as_input)
def Lgamma(xp, x):
    from tinytf.backends import shims
    return shims(xp).lgamma(x)


@Lgamma.gradient
def _lgamma_grad(op, dy):
    return dy * digamma(op.inputs[0])


def lgamma(x, name=None):
    """Computes the log of the absolute value of Gamma(x) element-wise (``tf.math.lgamma``)."""
    x = to_tensor(x)
    _check("Lgamma", x, FLOAT)
    return execute(Lgamma, (x,), name=name)


@op("Digamma", infer=same_as_input)
def Digamma(xp, x):
    from tinytf.backends import shims
    out = shims(xp).digamma(x)
    return xp.where((x <= 0) & (x == xp.floor(x)), xp.nan, out).astype(x.dtype, copy=False)


@Digamma.gradient
def _digamma_grad(op, dy):
    x = op.inputs[0]
    return dy * polygamma(1., x)


def digamma(x, name=None):
    """Computes Psi, the derivative of lgamma, element-wise (``tf.math.digamma``)."""
    x = to_tensor(x)
    _check("Digamma", x, FLOAT)
    return execute(Digamma, (x,), name=name)


def _polygamma_kernel(xp, a, x):
    from tinytf.backends import shims
    return shims(xp).polygamma(a, x)


Polygamma = op("Polygamma", infer=broadcast_binary)(_polygamma_kernel)


@Polygamma.gradient
def _polygamma_grad(op, dy):
    a, x = op.inputs
    return None, dy * polygamma(a + 1, x)      # TF has no gradient for the order a


def polygamma(a, x, name=None):
    """Computes the polygamma function psi^(a)(x) element-wise (``tf.math.polygamma``)."""
    a, x = binary_args("Polygamma", a, x)
    _check("Polygamma", x, _group(_f32, _f64))
    return execute(Polygamma, (a, x), name=name)


# abs: real inputs keep their dtype; complex inputs give the real magnitude (ComplexAbs).
Abs, _abs_real = _unary("Abs", "abs", SIGNED)


@Abs.gradient
def _abs_grad(op, dy):
    return dy * sign(op.inputs[0])


def _complex_abs_rule(x):
    return x.shape, x.dtype.real_dtype


@op("ComplexAbs", infer=_complex_abs_rule)
def ComplexAbs(xp, x):
    return xp.abs(x)


@ComplexAbs.gradient
def _complex_abs_grad(op, dy):
    x, y = op.inputs[0], op.outputs[0]
    return divide_no_nan(cast(dy, x.dtype) * x, cast(y, x.dtype))


def abs(x, name=None):  # noqa: A001 - TF's name
    """Computes the absolute value of a tensor; the magnitude for complex inputs
    (``tf.math.abs``)."""
    x = to_tensor(x)
    if x.dtype.is_complex:
        return execute(ComplexAbs, (x,), name=name)
    _check("Abs", x, SIGNED)
    return execute(Abs, (x,), name=name)


Sign, sign = _unary("Sign", "sign", SIGNED_COMPLEX)
_doc(sign, "sign", "Returns an element-wise indication of the sign of a number "
     "(``tf.math.sign``).")


@Sign.gradient
def _sign_grad(op, dy):
    return _zeros_like(op.inputs[0])      # TF: zeros, not None


Floor, floor = _unary("Floor", "floor", FLOAT)
_doc(floor, "floor", "Returns element-wise largest integer not greater than x "
     "(``tf.math.floor``).")
Ceil, ceil = _unary("Ceil", "ceil", FLOAT)
_doc(ceil, "ceil", "Returns element-wise smallest integer not less than x (``tf.math.ceil``).")
Rint, rint = _unary("Rint", "rint", FLOAT)
_doc(rint, "rint", "Returns element-wise integer closest to x, ties to even "
     "(``tf.math.rint``).")


@op("Round", infer=same_as_input)
def Round(xp, x):
    return xp.round(x)                     # half to even, as TF


def round(x, name=None):  # noqa: A001 - TF's name
    """Rounds the values of a tensor to the nearest integer, ties to even
    (``tf.math.round``)."""
    x = to_tensor(x)
    if x.dtype.is_integer:
        return x
    _check("Round", x, SIGNED_COMPLEX)
    return execute(Round, (x,), name=name)


IsNan, is_nan = _unary("IsNan", "isnan", FLOAT, infer=bool_like_input)
_doc(is_nan, "is_nan", "Returns which elements of x are NaN (``tf.math.is_nan``).")
IsInf, is_inf = _unary("IsInf", "isinf", FLOAT, infer=bool_like_input)
_doc(is_inf, "is_inf", "Returns which elements of x are Inf (``tf.math.is_inf``).")
IsFinite, is_finite = _unary("IsFinite", "isfinite", FLOAT, infer=bool_like_input)
_doc(is_finite, "is_finite", "Returns which elements of x are finite (``tf.math.is_finite``).")

not_differentiable(Floor, Ceil, Rint, Round, IsNan, IsInf, IsFinite, FloorDiv)


# -- complex parts ----------------------------------------------------------------------

def _real_rule(x):
    return x.shape, x.dtype.real_dtype


@op("Real", infer=_real_rule)
def Real(xp, x):
    return xp.real(x)


@op("Imag", infer=_real_rule)
def Imag(xp, x):
    return xp.imag(x)


def _complex_rule(x, y):
    shape, _ = broadcast_binary(x, y)
    return shape, _c128 if x.dtype is _f64 else _c64


@op("Complex", infer=_complex_rule)
def Complex(xp, x, y):
    out = x + 1j * y
    return out.astype(xp.complex128 if x.dtype == xp.float64 else xp.complex64, copy=False)


@Real.gradient
def _real_grad(op, dy):
    return complex(dy, _zeros_like(dy))


@Imag.gradient
def _imag_grad(op, dy):
    return complex(_zeros_like(dy), dy)


@Complex.gradient
def _complex_grad(op, dz):
    return real(dz), imag(dz)


def real(input, name=None):  # noqa: A002
    """Returns the real part of a complex tensor; real tensors are returned as they are
    (``tf.math.real``)."""
    x = to_tensor(input)
    if x.dtype.is_complex:
        return execute(Real, (x,), name=name)
    if x.dtype is dtypes.string:
        raise TypeError(f"input must be a numeric tensor, but got tensor with dtype {x.dtype!r}")
    return x


def imag(input, name=None):  # noqa: A002
    """Returns the imaginary part of a complex tensor; zeros for real tensors
    (``tf.math.imag``)."""
    x = to_tensor(input)
    if x.dtype.is_complex:
        return execute(Imag, (x,), name=name)
    return _zeros_like(x)


def complex(real, imag, name=None):  # noqa: A001,A002 - TF's names
    """Converts two real tensors to a complex tensor, real + imag * 1j (``tf.dtypes.complex``)."""
    x, y = binary_args("Complex", real, imag)
    if x.dtype not in (_f32, _f64):
        raise TypeError(f"real and imag have incorrect types: {x.dtype.name} "
                        f"{y.dtype.name}")
    return execute(Complex, (x, y), name=name)


# -- comparisons, logical and bitwise ops ---------------------------------------------

def _compare(op_name, np_fn, group=None):
    def kernel(xp, x, y):
        return getattr(xp, np_fn)(x, y)

    kernel.__name__ = op_name
    d = op(op_name, infer=broadcast_compare)(kernel)
    not_differentiable(d)

    if group is None:
        def wrapper(x, y, name=None):
            x, y = binary_args(op_name, x, y)
            return execute(d, (x, y), name=name)
    else:
        def wrapper(x, y, name=None):
            x, y = binary_args(op_name, x, y)
            _check(op_name, x, group)
            return execute(d, (x, y), name=name)
    return d, wrapper


def _equal_rule(x, y, *, incompatible_shape_error=True):
    try:
        return broadcast_shapes(x.shape, y.shape), dtypes.bool
    except ValueError:
        if incompatible_shape_error:
            raise
        return TensorShape([]), dtypes.bool


@op("Equal", infer=_equal_rule)
def Equal(xp, x, y, *, incompatible_shape_error=True):
    if incompatible_shape_error:
        return xp.equal(x, y)
    try:
        return xp.equal(x, y)
    except ValueError:
        return xp.asarray(False)


@op("NotEqual", infer=_equal_rule)
def NotEqual(xp, x, y, *, incompatible_shape_error=True):
    if incompatible_shape_error:
        return xp.not_equal(x, y)
    try:
        return xp.not_equal(x, y)
    except ValueError:
        return xp.asarray(True)


_STRICT = {"incompatible_shape_error": True}
_LOOSE = {"incompatible_shape_error": False}


def equal(x, y, name=None):
    """Returns the truth value of (x == y) element-wise (``tf.math.equal``)."""
    x, y = binary_args("Equal", x, y)
    return execute(Equal, (x, y), _STRICT, name=name)


def not_equal(x, y, name=None):
    """Returns the truth value of (x != y) element-wise (``tf.math.not_equal``)."""
    x, y = binary_args("NotEqual", x, y)
    return execute(NotEqual, (x, y), _STRICT, name=name)


Less, less = _compare("Less", "less", COMPARE)
_doc(less, "less", "Returns the truth value of (x < y) element-wise (``tf.math.less``).")
LessEqual, less_equal = _compare("LessEqual", "less_equal", COMPARE)
_doc(less_equal, "less_equal", "Returns the truth value of (x <= y) element-wise "
     "(``tf.math.less_equal``).")
Greater, greater = _compare("Greater", "greater", COMPARE)
_doc(greater, "greater", "Returns the truth value of (x > y) element-wise "
     "(``tf.math.greater``).")
GreaterEqual, greater_equal = _compare("GreaterEqual", "greater_equal", COMPARE)
_doc(greater_equal, "greater_equal", "Returns the truth value of (x >= y) element-wise "
     "(``tf.math.greater_equal``).")
not_differentiable(Equal, NotEqual)


def _logical(op_name, np_fn):
    def kernel(xp, x, y):
        return getattr(xp, np_fn)(x, y)

    kernel.__name__ = op_name
    d = op(op_name, infer=broadcast_compare)(kernel)
    not_differentiable(d)

    def wrapper(x, y, name=None):
        x, y = binary_args(op_name, x, y)
        _expect_bool(op_name, x, 0)
        return execute(d, (x, y), name=name)
    return d, wrapper


LogicalAnd, logical_and = _logical("LogicalAnd", "logical_and")
_doc(logical_and, "logical_and", "Returns the truth value of x AND y element-wise "
     "(``tf.math.logical_and``).")
LogicalOr, logical_or = _logical("LogicalOr", "logical_or")
_doc(logical_or, "logical_or", "Returns the truth value of x OR y element-wise "
     "(``tf.math.logical_or``).")


@op("LogicalNot", infer=same_as_input)
def LogicalNot(xp, x):
    return xp.logical_not(x)


def logical_not(x, name=None):
    """Returns the truth value of NOT x element-wise (``tf.math.logical_not``)."""
    x = to_tensor(x)
    _expect_bool("LogicalNot", x)
    return execute(LogicalNot, (x,), name=name)


def logical_xor(x, y, name="LogicalXor"):
    """Logical XOR of x and y element-wise, (x | y) & ~(x & y) (``tf.math.logical_xor``)."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)))


def _bitwise(op_name, np_fn):
    def kernel(xp, x, y):
        return getattr(xp, np_fn)(x, y)

    kernel.__name__ = op_name
    d = op(op_name, infer=broadcast_binary)(kernel)
    not_differentiable(d)

    def wrapper(x, y, name=None):
        x, y = binary_args(op_name, x, y)
        _check(op_name, x, INTEGER)
        return execute(d, (x, y), name=name)
    return d, wrapper


BitwiseAnd, bitwise_and = _bitwise("BitwiseAnd", "bitwise_and")
BitwiseOr, bitwise_or = _bitwise("BitwiseOr", "bitwise_or")
BitwiseXor, bitwise_xor = _bitwise("BitwiseXor", "bitwise_xor")
Invert, invert = _unary("Invert", "invert", INTEGER)
not_differentiable(LogicalNot, Invert)


def _is_bool_op(x, y):
    """Whether ``x & y`` is logical: the left tensor operand's dtype picks the op (and the
    op that a dtype-mismatch error names), as in TF."""
    d = getattr(x, "dtype", None)
    if not isinstance(d, dtypes.DType):     # a Python/NumPy left operand (``True & t``)
        d = getattr(y, "dtype", None)
    return d is dtypes.bool


def _and(x, y):
    if not _is_bool_op(x, y):
        return bitwise_and(x, y)
    x, y = binary_args("LogicalAnd", x, y)
    return logical_and(x, y)


def _or(x, y):
    if not _is_bool_op(x, y):
        return bitwise_or(x, y)
    x, y = binary_args("LogicalOr", x, y)
    return logical_or(x, y)


def _xor(x, y):
    if not _is_bool_op(x, y):
        return bitwise_xor(x, y)
    x, y = binary_args("LogicalXor", x, y)
    return logical_xor(x, y)


def _invert(x):
    return logical_not(x) if x.dtype is dtypes.bool else invert(x)


# -- reductions -------------------------------------------------------------------------

def _axis_arg(axis):
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    elif isinstance(axis, np.ndarray):
        axis = axis.tolist()
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return int(axis)


def _reduce_axes(op_name, x, axis):
    """Checks ``axis`` against ``x``'s rank (when known) as TF does; returns the attr value."""
    if axis is None:
        return None
    if type(axis) is not int:
        axis = _axis_arg(axis)
    # eager tensors: the array's rank, without building a TensorShape (a hot path)
    rank = x._value.ndim if type(x) is EagerTensor else x.shape.rank
    if rank is None:
        return axis
    axes = (axis,) if isinstance(axis, int) else axis
    out = []
    for a in axes:
        if not -max(rank, 1) <= a < max(rank, 1):
            raise _invalid(f"Invalid reduction dimension ({a} for input with {rank} "
                           "dimension(s)", op_name)
        a = a % rank if rank else 0
        if a in out:
            raise _invalid(f"Invalid reduction arguments: Axes contains duplicate dimension: "
                           f"{a}", op_name)
        out.append(a)
    return tuple(sorted(out)) if rank else ()


def _reduce_attrs(op_name, x, axis, keepdims):
    return {"axis": _reduce_axes(op_name, x, axis), "keepdims": bool(keepdims)}


def _kept(dy, op):
    """``dy`` reshaped to the keepdims layout of a reduction's input (size 1 where reduced)."""
    if op.attrs["keepdims"]:
        return dy
    x = op.inputs[0]
    dims = x.shape.as_list()
    shape = reduced_shape(dims, op.attrs["axis"])
    if shape.count(None) == 1:
        shape = [-1 if d is None else d for d in shape]
    return reshape(dy, shape)


def _num_reduced(op):
    x = op.inputs[0]
    dims = x.shape.as_list()
    axis = op.attrs["axis"]
    axes = range(len(dims)) if axis is None else ((axis,) if isinstance(axis, int) else axis)
    n = 1
    for a in axes:
        if dims[a] is None:
            return None           # unknown in a graph: the gradient counts at run time
        n *= dims[a]
    return n


@op("Sum", infer=reduce_rule)
def Sum(xp, x, *, axis, keepdims):
    # the method, not xp.sum: the same reduction without xp.sum's Python dispatch layer
    # (half the cost on small arrays)
    return x.sum(axis=axis, keepdims=keepdims, dtype=x.dtype)


@Sum.gradient
def _sum_grad(op, dy):
    return broadcast_like(_kept(dy, op), op.inputs[0])


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the sum of elements across dimensions of a tensor (``tf.math.reduce_sum``)."""
    x = to_tensor(input_tensor)
    _check("Sum", x, REDUCE)
    return execute(Sum, (x,), _reduce_attrs("Sum", x, axis, keepdims), name=name)


@op("Mean", infer=reduce_rule)
def Mean(xp, x, *, axis, keepdims):
    if x.dtype.kind in "iu":
        s = xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
        n = x.size // max(s.size, 1) if x.size else 0
        if n == 0:
            return s
        q = xp.abs(s) // n                    # integer mean truncates toward zero, as TF
        return (xp.sign(s) * q).astype(x.dtype, copy=False)
    if x.size == 0:                           # NaN, as TF, without NumPy's warning
        s = xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)
        return xp.full_like(s, xp.nan) if s.size else s
    if xp is np:
        # np.mean's own two steps (numpy/_core/_methods.py: sum, then divide by the count
        # as an intp) without its Python layers: 40% faster on small arrays, same values
        s = x.sum(axis=axis, keepdims=keepdims, dtype=x.dtype)
        n = np.intp(x.size // s.size)
        if type(s) is np.ndarray:
            return np.true_divide(s, n, out=s, casting="unsafe", subok=False)
        return s.dtype.type(s / n)
    return xp.mean(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


@Mean.gradient
def _mean_grad(op, dy):
    n = _num_reduced(op)
    g = broadcast_like(_kept(dy, op), op.inputs[0])
    if n is None:
        from tinytf.ops.array_ops import size
        n = cast(size(op.inputs[0]), g.dtype) / cast(size(op.outputs[0]), g.dtype)
        return g / n
    return g / n if n else g


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the mean of elements across dimensions of a tensor; integer tensors give
    the integer (truncated) mean (``tf.math.reduce_mean``)."""
    x = to_tensor(input_tensor)
    _check("Mean", x, REDUCE)
    return execute(Mean, (x,), _reduce_attrs("Mean", x, axis, keepdims), name=name)


def _extreme_identity(xp, x, largest):
    k = x.dtype.kind
    if k == "f":
        return -xp.inf if largest else xp.inf
    if k in "iu":
        info = xp.iinfo(x.dtype)
        return info.min if largest else info.max
    if k == "b":
        return not largest
    return 0


@op("Max", infer=reduce_rule)
def Max(xp, x, *, axis, keepdims):
    if x.size == 0:
        return xp.max(x, axis=axis, keepdims=keepdims,
                      initial=_extreme_identity(xp, x, True))
    return xp.max(x, axis=axis, keepdims=keepdims)


@op("Min", infer=reduce_rule)
def Min(xp, x, *, axis, keepdims):
    if x.size == 0:
        return xp.min(x, axis=axis, keepdims=keepdims,
                      initial=_extreme_identity(xp, x, False))
    return xp.min(x, axis=axis, keepdims=keepdims)


def _minmax_grad(op, dy):
    # TF splits the gradient equally among the elements equal to the extreme value.
    x = op.inputs[0]
    y = _kept(op.outputs[0], op)
    ind = cast(equal(x, y), dy.dtype)
    num = reduce_sum(ind, op.attrs["axis"], keepdims=True)
    return ind / num * _kept(dy, op)


Max.gradient(_minmax_grad)
Min.gradient(_minmax_grad)


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the maximum of elements across dimensions of a tensor
    (``tf.math.reduce_max``)."""
    x = to_tensor(input_tensor)
    _check("Max", x, REDUCE_REAL)
    return execute(Max, (x,), _reduce_attrs("Max", x, axis, keepdims), name=name)


def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the minimum of elements across dimensions of a tensor
    (``tf.math.reduce_min``)."""
    x = to_tensor(input_tensor)
    _check("Min", x, REDUCE_REAL)
    return execute(Min, (x,), _reduce_attrs("Min", x, axis, keepdims), name=name)


@op("Prod", infer=reduce_rule)
def Prod(xp, x, *, axis, keepdims):
    return xp.prod(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


@Prod.gradient
def _prod_grad(op, dy):
    # Zero-safe: the product of all other elements is the product of the exclusive
    # cumulative products from both sides; several axes are reduced one after another.
    x = op.inputs[0]
    rank = x.shape.rank
    axis = op.attrs["axis"]
    axes = tuple(range(rank)) if axis is None else ((axis,) if isinstance(axis, int) else axis)
    zs = [x]
    for a in axes[:-1]:
        zs.append(reduce_prod(zs[-1], a, keepdims=True))
    g = _kept(dy, op)
    for a, z in zip(reversed(axes), reversed(zs)):
        others = cumprod(z, a, exclusive=True) * cumprod(z, a, exclusive=True, reverse=True)
        g = others * g
    return g


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the product of elements across dimensions of a tensor
    (``tf.math.reduce_prod``)."""
    x = to_tensor(input_tensor)
    _check("Prod", x, REDUCE)
    return execute(Prod, (x,), _reduce_attrs("Prod", x, axis, keepdims), name=name)


def _bool_reduce_rule(x, *, axis, keepdims):
    return reduce_rule(x, axis=axis, keepdims=keepdims)[0], dtypes.bool


@op("Any", infer=_bool_reduce_rule)
def Any(xp, x, *, axis, keepdims):
    return xp.any(x, axis=axis, keepdims=keepdims)


@op("All", infer=_bool_reduce_rule)
def All(xp, x, *, axis, keepdims):
    return xp.all(x, axis=axis, keepdims=keepdims)


not_differentiable(Any, All)


def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    """Computes logical OR across dimensions of a bool tensor (``tf.math.reduce_any``)."""
    x = to_tensor(input_tensor)
    _expect_bool("Any", x)
    return execute(Any, (x,), _reduce_attrs("Any", x, axis, keepdims), name=name)


def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    """Computes logical AND across dimensions of a bool tensor (``tf.math.reduce_all``)."""
    x = to_tensor(input_tensor)
    _expect_bool("All", x)
    return execute(All, (x,), _reduce_attrs("All", x, axis, keepdims), name=name)


def _real_or_complex(x):
    if not (x.dtype.is_floating or x.dtype.is_complex):
        raise TypeError(f"Input must be either real or complex. Received integer type "
                        f"{x.dtype!r}.")


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the variance of elements across dimensions of a tensor
    (``tf.math.reduce_variance``)."""
    x = to_tensor(input_tensor)
    _real_or_complex(x)
    means = reduce_mean(x, axis, keepdims=True)
    d = x - means
    sq = real(d * conj(d)) if x.dtype.is_complex else square(d)
    return reduce_mean(sq, axis, keepdims=keepdims, name=name)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the standard deviation of elements across dimensions of a tensor
    (``tf.math.reduce_std``)."""
    return sqrt(reduce_variance(input_tensor, axis, keepdims), name=name)


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """Computes log(sum(exp(x))) across dimensions, stably (``tf.math.reduce_logsumexp``)."""
    from tinytf.ops.array_ops import stop_gradient
    x = to_tensor(input_tensor)
    _check("IsFinite", x, FLOAT)
    raw_max = reduce_max(x, axis, keepdims=True)
    # The shift is a constant: 0 where the max is not finite (all -inf rows stay -inf).
    shift = stop_gradient(multiply_no_nan(raw_max, cast(is_finite(raw_max), x.dtype)))
    out = log(reduce_sum(exp(x - shift), axis, keepdims=keepdims))
    # shift has size 1 on the reduced axes: summing over them just drops them.
    return out + (shift if keepdims else reduce_sum(shift, axis))


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """Computes sqrt(sum(x * x)) across dimensions (``tf.math.reduce_euclidean_norm``)."""
    x = to_tensor(input_tensor)
    return sqrt(reduce_sum(x * conj(x) if x.dtype.is_complex else x * x, axis, keepdims))


def count_nonzero(input, axis=None, keepdims=None, dtype=dtypes.int64, name=None):  # noqa: A002
    """Computes the number of nonzero elements across dimensions (``tf.math.count_nonzero``)."""
    x = to_tensor(input)
    nz = cast(not_equal(x, _zeros_like(x) if x.dtype is not dtypes.string else b""),
              dtypes.int64)
    return cast(reduce_sum(nz, axis, keepdims=bool(keepdims)), dtypes.as_dtype(dtype))


# -- argmax / argmin --------------------------------------------------------------------

def _arg_rule(x, *, axis, output_type):
    if x.shape.rank is None:
        return TensorShape(None), output_type
    dims = list(x.shape._dims)
    del dims[axis]
    return TensorShape(dims), output_type


@op("ArgMax", infer=_arg_rule)
def ArgMax(xp, x, *, axis, output_type):
    return xp.argmax(x, axis=axis).astype(output_type._np, copy=False)


@op("ArgMin", infer=_arg_rule)
def ArgMin(xp, x, *, axis, output_type):
    return xp.argmin(x, axis=axis).astype(output_type._np, copy=False)


not_differentiable(ArgMax, ArgMin)

_ARG_OUT = _group(_i16, _u16, _i32, _i64)


def _arg_reduce(d, x, axis, output_type, name):
    x = to_tensor(x)
    if axis is None:
        axis = 0
    axis = int(_axis_arg(axis))
    output_type = dtypes.as_dtype(output_type)
    if output_type not in _ARG_OUT[0]:
        raise _invalid(f"Value for attr 'output_type' of {_tfname(output_type)} is not in the "
                       f"list of allowed values: int16, uint16, int32, int64\n\t; NodeDef: "
                       f"{{{{node {d.name}}}}}; Op<name={d.name}>", d.name)
    rank = x.shape.rank
    if rank is not None:
        if not -max(rank, 1) <= axis < max(rank, 1):
            raise _invalid(f"Expected dimension in the range [{-max(rank, 1)}, {max(rank, 1)}),"
                           f" but got {axis}", d.name)
        axis = axis % rank if rank else 0
        if rank and x.shape[axis] == 0:
            raise _invalid(f"Reduction axis {axis} is empty in shape "
                           f"[{','.join(str(s) for s in x.shape.as_list())}]", d.name)
        if rank == 0:
            axis = 0
    return execute(d, (x,), {"axis": axis, "output_type": output_type}, name=name)


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    """Returns the index with the largest value across an axis (``tf.math.argmax``)."""
    return _arg_reduce(ArgMax, input, axis, output_type, name)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    """Returns the index with the smallest value across an axis (``tf.math.argmin``)."""
    return _arg_reduce(ArgMin, input, axis, output_type, name)


# -- cumulative sums and products -------------------------------------------------------

def _scan(xp, fn, x, axis, exclusive, reverse, fill):
    if reverse:
        x = xp.flip(x, axis)
    y = fn(x, axis=axis, dtype=x.dtype)
    if exclusive:
        n = x.shape[axis]
        pad = [(0, 0)] * x.ndim
        pad[axis] = (1, 0)
        idx = [slice(None)] * x.ndim
        idx[axis] = slice(0, max(n - 1, 0))
        y = xp.pad(y[tuple(idx)], pad, constant_values=fill)
    if reverse:
        y = xp.flip(y, axis)
    return y


def _scan_rule(x, *, axis, exclusive, reverse):
    return x.shape, x.dtype


@op("Cumsum", infer=_scan_rule)
def Cumsum(xp, x, *, axis, exclusive, reverse):
    return _scan(xp, xp.cumsum, x, axis, exclusive, reverse, 0)


@Cumsum.gradient
def _cumsum_grad(op, dy):
    a = op.attrs
    return cumsum(dy, a["axis"], exclusive=a["exclusive"], reverse=not a["reverse"])


@op("Cumprod", infer=_scan_rule)
def Cumprod(xp, x, *, axis, exclusive, reverse):
    return _scan(xp, xp.cumprod, x, axis, exclusive, reverse, 1)


@Cumprod.gradient
def _cumprod_grad(op, dy):
    # As TF: exact where x != 0 (division by x).
    a = op.attrs
    x = op.inputs[0]
    out = cumsum(op.outputs[0] * dy, a["axis"], exclusive=a["exclusive"],
                 reverse=not a["reverse"])
    return out / x


def _scan_attrs(op_name, x, axis, exclusive, reverse):
    axis = int(_axis_arg(axis))
    rank = x.shape.rank
    if rank is not None:
        if not -rank <= axis < rank:
            raise _invalid(f"ScanOp: Expected scan axis in the range [{-rank}, {rank}), but "
                           f"got {axis}", op_name)
        axis %= rank
    return {"axis": axis, "exclusive": bool(exclusive), "reverse": bool(reverse)}


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Computes the cumulative sum of x along axis (``tf.math.cumsum``)."""
    x = to_tensor(x)
    _check("Cumsum", x, REDUCE)
    return execute(Cumsum, (x,), _scan_attrs("Cumsum", x, axis, exclusive, reverse), name=name)


def cumprod(x, axis=0, exclusive=False, reverse=False, name=None):
    """Computes the cumulative product of x along axis (``tf.math.cumprod``)."""
    x = to_tensor(x)
    _check("Cumprod", x, REDUCE)
    return execute(Cumprod, (x,), _scan_attrs("Cumprod", x, axis, exclusive, reverse),
                   name=name)


# -- sorting, top_k, unique -------------------------------------------------------------

def _take_rule(x, indices, *, axis):
    return indices.shape, x.dtype


@op("TakeAlongAxis", infer=_take_rule)
def TakeAlongAxis(xp, x, indices, *, axis):
    return xp.take_along_axis(x, indices.astype(xp.intp, copy=False), axis=axis)


def _scatter_rule(updates, indices, like, *, axis):
    return like.shape, updates.dtype


@op("ScatterAlongAxis", infer=_scatter_rule)
def ScatterAlongAxis(xp, updates, indices, like, *, axis):
    """Zeros of ``like``'s shape with ``updates`` put at ``indices`` along ``axis`` (the
    indices along that axis are distinct, as top_k's and sort's are)."""
    out = xp.zeros(like.shape, dtype=updates.dtype)
    xp.put_along_axis(out, indices.astype(xp.intp, copy=False), updates, axis=axis)
    return out


@TakeAlongAxis.gradient
def _take_along_axis_grad(op, dy):
    x, indices = op.inputs
    return _scatter_along_axis(dy, indices, x, op.attrs["axis"]), None


@ScatterAlongAxis.gradient
def _scatter_along_axis_grad(op, dy):
    _, indices, _ = op.inputs
    return _take_along_axis(dy, indices, op.attrs["axis"]), None, None


def _take_along_axis(x, indices, axis):
    return execute(TakeAlongAxis, (x, indices), {"axis": axis})


def _scatter_along_axis(updates, indices, like, axis):
    return execute(ScatterAlongAxis, (updates, indices, like), {"axis": axis})


def _descending_order(xp, x, axis):
    # Stable descending order (ties keep increasing index) without negating the values,
    # which would overflow for unsigned and minimal integers.
    n = x.shape[axis]
    r = xp.flip(x, axis)
    idx = xp.argsort(r, axis=axis, kind="stable")
    return xp.flip(n - 1 - idx, axis)


def _topk_rule(x, *, k, sorted, index_type):
    s = x.shape
    if s.rank is None:
        return [(TensorShape(None), x.dtype), (TensorShape(None), index_type)]
    out = TensorShape(list(s._dims[:-1]) + [k])
    return [(out, x.dtype), (out, index_type)]


@op("TopKV2", infer=_topk_rule, num_outputs=2)
def TopKV2(xp, x, *, k, sorted, index_type):
    idx = _descending_order(xp, x, -1)[..., :k]
    return xp.take_along_axis(x, idx, axis=-1), idx.astype(index_type._np, copy=False)


@TopKV2.gradient
def _topk_grad(op, dvalues, dindices):
    x = op.inputs[0]
    return _scatter_along_axis(dvalues, op.outputs[1], x, -1)


TopKV2Result = collections.namedtuple("TopKV2", ["values", "indices"])


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """Finds values and indices of the k largest entries along the last dimension
    (``tf.math.top_k``); ties go to the lower index."""
    x = to_tensor(input)
    _check("TopKV2", x, REDUCE_REAL)
    k = int(k)
    index_type = dtypes.as_dtype(index_type)
    if x.shape.rank == 0:
        raise _invalid("input must be >= 1-D, got shape []", "TopKV2")
    if k < 0:
        raise _invalid(f"Need k >= 0, got {k}", "TopKV2")
    n = x.shape[-1] if x.shape.rank is not None else None
    if n is not None and n < k:
        raise _invalid(f"input must have at least k columns. Had {n}, needed {k}", "TopKV2")
    v, i = execute(TopKV2, (x,), {"k": k, "sorted": bool(sorted), "index_type": index_type},
                   name=name)
    return TopKV2Result(v, i)


def _in_top_k_rule(predictions, targets, *, k):
    p = predictions.shape[0] if predictions.shape.rank else None
    t = targets.shape[0] if targets.shape.rank else None
    return TensorShape([p if p is not None else t]), dtypes.bool


@op("InTopKV2", infer=_in_top_k_rule)
def InTopKV2(xp, predictions, targets, *, k):
    n = predictions.shape[1]
    ok = (targets >= 0) & (targets < n)
    t = xp.where(ok, targets, 0).astype(xp.intp, copy=False)
    p = xp.take_along_axis(predictions, t[:, None], axis=1)
    higher = xp.sum(predictions > p, axis=1)
    return ok & xp.isfinite(p[:, 0]) & (higher < k)


not_differentiable(InTopKV2)


def in_top_k(targets, predictions, k, name=None):
    """Says whether each target is among the top k predictions; ties at the boundary
    count as in (``tf.math.in_top_k``)."""
    predictions = to_tensor(predictions)
    targets = to_tensor(targets)
    if predictions.shape.rank not in (2, None):
        raise _invalid("predictions must be 2-dimensional", "InTopKV2")
    if targets.shape.rank not in (1, None):
        raise _invalid("targets must be 1-dimensional", "InTopKV2")
    n, m = (targets.shape[0] if targets.shape.rank else None,
            predictions.shape[0] if predictions.shape.rank else None)
    if n is not None and m is not None and n != m:     # unknown (traced) sizes: no check
        raise _invalid(f"First dimension of predictions {predictions.shape[0]} must match "
                       f"length of targets {targets.shape[0]}", "InTopKV2")
    if predictions.dtype is not _f32:
        raise _invalid(f"cannot compute InTopKV2 as input #0(zero-based) was expected to be a "
                       f"float tensor but is a {_tfname(predictions.dtype)} tensor",
                       "InTopKV2")
    return execute(InTopKV2, (predictions, targets), {"k": int(k)}, name=name)


def _argsort_rule(x, *, axis, descending):
    return x.shape, dtypes.int32


@op("ArgSort", infer=_argsort_rule)
def ArgSort(xp, x, *, axis, descending):
    if descending:
        idx = _descending_order(xp, x, axis)
    else:
        idx = xp.argsort(x, axis=axis, kind="stable")
    return idx.astype(xp.int32, copy=False)


not_differentiable(ArgSort)


def _sort_attrs(x, axis, direction):
    if direction not in ("ASCENDING", "DESCENDING"):
        raise ValueError(f"Argument `direction` should be one of ASCENDING, DESCENDING. "
                         f"Received: direction={direction}")
    rank = x.shape.rank
    axis = int(_axis_arg(axis))
    if rank is not None:
        if not -rank <= axis < rank:       # TF fails in the StridedSlice it builds
            raise _invalid(f"slice index {axis if axis >= 0 else axis + rank} of dimension 0 "
                           "out of bounds.", "StridedSlice")
        axis %= rank
    return {"axis": axis, "descending": direction == "DESCENDING"}


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """Returns the indices that sort a tensor along an axis (``tf.argsort``); ties keep
    their order (always stable)."""
    x = to_tensor(values)
    return execute(ArgSort, (x,), _sort_attrs(x, axis, direction), name=name)


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """Sorts a tensor along an axis (``tf.sort``)."""
    x = to_tensor(values)
    attrs = _sort_attrs(x, axis, direction)
    idx = execute(ArgSort, (x,), attrs)
    return execute(TakeAlongAxis, (x, idx), {"axis": attrs["axis"]}, name=name)


def _unique_rule(x, *, out_idx):
    return [(TensorShape([None]), x.dtype), (x.shape, out_idx)]


@op("Unique", infer=_unique_rule, num_outputs=2)
def Unique(xp, x, *, out_idx):
    if x.dtype == object:
        keys = {}
        idx = np.array([keys.setdefault(v, len(keys)) for v in x.tolist()], dtype=out_idx._np)
        return np.array(list(keys), dtype=object), idx
    kw = {"equal_nan": False} if xp is np else {}     # TF: every NaN is its own value
    u, first, inv = xp.unique(x, return_index=True, return_inverse=True, **kw)
    order = xp.argsort(first, kind="stable")          # TF keeps first-occurrence order
    rank = xp.empty_like(order)
    rank[order] = xp.arange(order.size)
    return u[order], rank[inv.reshape(-1)].astype(out_idx._np, copy=False)


not_differentiable(Unique)

UniqueResult = collections.namedtuple("Unique", ["y", "idx"])
UniqueWithCountsResult = collections.namedtuple("UniqueWithCounts", ["y", "idx", "count"])


def unique(x, out_idx=dtypes.int32, name=None):
    """Finds the unique elements of a 1-D tensor, in order of first occurrence, and each
    element's index into them (``tf.unique``)."""
    x = to_tensor(x)
    out_idx = dtypes.as_dtype(out_idx)
    if x.shape.rank != 1:
        raise _invalid("unique expects a 1D vector.", "Unique")
    y, idx = execute(Unique, (x,), {"out_idx": out_idx}, name=name)
    return UniqueResult(y, idx)


def unique_with_counts(x, out_idx=dtypes.int32, name=None):
    """Like ``unique``, with the number of times each unique element occurs
    (``tf.unique_with_counts``)."""
    y, idx = unique(x, out_idx)
    count = bincount(idx, minlength=y.shape[0], dtype=out_idx)
    return UniqueWithCountsResult(y, idx, count)


def _bincount_rule(arr, *weights, minlength, maxlength, dtype, binary_output):
    size = None
    if minlength is not None and maxlength is not None and minlength >= maxlength:
        size = maxlength
    return TensorShape([size]), dtype


@op("DenseBincount", infer=_bincount_rule)
def DenseBincount(xp, arr, *weights, minlength, maxlength, dtype, binary_output):
    # The output length depends on the data (max + 1), so it is computed here, not in attrs.
    flat = arr.reshape(-1)
    if flat.size and flat.min() < 0:
        raise errors.InvalidArgumentError(None, None, "Input arr must be non-negative!")
    size = int(flat.max()) + 1 if flat.size else 0
    if minlength is not None:
        size = max(size, minlength)
    if maxlength is not None:
        size = min(size, maxlength)
    keep = flat < size
    w = weights[0].reshape(-1)[keep] if weights else None
    out = xp.bincount(flat[keep].astype(xp.intp), weights=w, minlength=size)[:size]
    if binary_output:
        out = out > 0
    return out.astype(dtype._np, copy=False)


not_differentiable(DenseBincount)


def bincount(arr, weights=None, minlength=None, maxlength=None, dtype=dtypes.int32,
             name=None, axis=None, binary_output=False):
    """Counts the number of occurrences of each value in an integer tensor
    (``tf.math.bincount``); only ``axis=None`` is supported."""
    if axis not in (None, 0, -1):
        raise NotImplementedError("tinytf's bincount supports axis=None only")
    arr = to_tensor(arr)
    if not arr.dtype.is_integer:
        arr = cast(arr, _i32)
    inputs = (arr,)
    dtype = dtypes.as_dtype(dtype)
    if weights is not None:
        w = to_tensor(weights)
        inputs = (arr, w)
        dtype = w.dtype
    return execute(DenseBincount, inputs, {
        "minlength": None if minlength is None else max(int(minlength), 0),
        "maxlength": None if maxlength is None else max(int(maxlength), 0),
        "dtype": dtype, "binary_output": bool(binary_output)}, name=name)


# -- clipping ---------------------------------------------------------------------------

def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clips tensor values to [clip_value_min, clip_value_max] (``tf.clip_by_value``)."""
    values = to_tensor(t)
    t_min = minimum(values, clip_value_max)
    values.shape.assert_is_compatible_with(t_min.shape)
    t_max = maximum(t_min, clip_value_min, name=name)
    values.shape.assert_is_compatible_with(t_max.shape)
    return t_max


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """Clips values so that their L2-norm over ``axes`` is at most ``clip_norm``
    (``tf.clip_by_norm``)."""
    values = to_tensor(t)
    clip_norm = to_tensor(clip_norm, dtype=values.dtype) if not isinstance(clip_norm, Tensor) \
        else clip_norm
    l2sum = reduce_sum(values * values, axes, keepdims=True)
    pred = cast(greater(l2sum, 0), values.dtype)
    l2sum_safe = l2sum * pred + (1 - pred)        # 1 where the sum is 0: keeps sqrt's grad
    l2norm = sqrt(l2sum_safe) * pred + l2sum * (1 - pred)
    out = values * clip_norm / maximum(l2norm, clip_norm)
    values.shape.assert_is_compatible_with(out.shape)
    return out


def global_norm(t_list, name=None):
    """The global L2 norm of several tensors: sqrt(sum of their squared L2 norms)
    (``tf.linalg.global_norm``); None entries are ignored."""
    if isinstance(t_list, Tensor) or not isinstance(t_list, (list, tuple)):
        raise TypeError("t_list should be a sequence")
    ts = [to_tensor(t) for t in t_list if t is not None]
    if not ts:
        from tinytf.ops.array_ops import constant
        return constant(0.0)
    half_sq = [reduce_sum(t * t) for t in ts]
    return sqrt(add_n(half_sq) if len(half_sq) > 1 else half_sq[0], name=name)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """Scales tensors so that their global norm is at most ``clip_norm``; returns
    (clipped list, global norm) (``tf.clip_by_global_norm``)."""
    if isinstance(t_list, Tensor) or not isinstance(t_list, (list, tuple)):
        raise TypeError("`t_list` should be a sequence of tensors. Received "
                        f"{type(t_list)}.")
    use_norm = global_norm(t_list) if use_norm is None else to_tensor(use_norm)
    clip_norm = cast(to_tensor(clip_norm, dtype=use_norm.dtype)
                     if not isinstance(clip_norm, Tensor) else clip_norm, use_norm.dtype)
    # With a non-finite global norm, TF returns NaNs.
    scale = clip_norm * minimum(1.0 / use_norm, 1.0 / clip_norm)
    bad = cast(logical_not(is_finite(use_norm)), use_norm.dtype)
    scale = scale + multiply_no_nan(to_tensor(float("nan"), dtype=use_norm.dtype), bad)
    out = [None if t is None else to_tensor(t) * cast(scale, to_tensor(t).dtype)
           for t in t_list]
    return out, use_norm


# -- matmul -----------------------------------------------------------------------------

def _dims(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def _matmul_rule(a, b, *, transpose_a, transpose_b):
    sa, sb = a.shape, b.shape
    if sa.rank is None or sb.rank is None:
        return TensorShape(None), a.dtype
    if sa.rank < 2 or sb.rank < 2:
        raise ValueError(f"Shape must be rank >= 2 but is rank {min(sa.rank, sb.rank)} for "
                         f"'MatMul' with input shapes: {sa}, {sb}.")
    m, k = (sa[-1], sa[-2]) if transpose_a else (sa[-2], sa[-1])
    k2, n = (sb[-1], sb[-2]) if transpose_b else (sb[-2], sb[-1])
    if k is not None and k2 is not None and k != k2:
        raise ValueError(f"Matrix size-incompatible: In[0]: {_dims(sa)}, In[1]: {_dims(sb)}")
    if a.dtype is not b.dtype:
        raise TypeError(f"Input 'b' of 'MatMul' Op has type {b.dtype.name} that does not match "
                        f"type {a.dtype.name} of argument 'a'.")
    try:
        batch = broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        raise ValueError(f"In[0] and In[1] must have compatible batch dimensions: "
                         f"{_dims(sa)} vs. {_dims(sb)}") from None
    return batch.concatenate([m, n]), a.dtype


@op("MatMul", infer=_matmul_rule)
def MatMul(xp, a, b, *, transpose_a, transpose_b):
    if transpose_a:
        a = xp.swapaxes(a, -1, -2)
    if transpose_b:
        b = xp.swapaxes(b, -1, -2)
    return intra_op.matmul(xp, a, b)


@MatMul.gradient
def _matmul_grad(op, dc):
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    skip = getattr(op, "skip_input_indices", None)   # eager tapes: e.g. the data input
    if skip and not ta and not tb:
        return (None if 0 in skip else matmul(dc, b, transpose_b=True),
                None if 1 in skip else matmul(a, dc, transpose_a=True))
    if not ta and not tb:
        return matmul(dc, b, transpose_b=True), matmul(a, dc, transpose_a=True)
    if not ta and tb:
        return matmul(dc, b), matmul(dc, a, transpose_a=True)
    if ta and not tb:
        return matmul(b, dc, transpose_b=True), matmul(a, dc)
    return matmul(b, dc, transpose_a=True, transpose_b=True), \
        matmul(dc, a, transpose_a=True, transpose_b=True)


_MATMUL_TYPES = _group(_f16, _f32, _f64, _i32, _i64, _u8, _u16, _u32, _u64, _c64, _c128)
_MATMUL_NP = frozenset(np.dtype(d.as_numpy_dtype) for d in _MATMUL_TYPES[0])
_MATMUL_ATTRS = {(ta, tb): {"transpose_a": ta, "transpose_b": tb}   # shared, never mutated
                 for ta in (False, True) for tb in (False, True)}


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False,
           grad_b=False, name=None):
    """Multiplies matrix a by matrix b, producing a @ b; leading dimensions broadcast
    (``tf.linalg.matmul``)."""
    if type(a) is not EagerTensor or type(b) is not EagerTensor:
        # Variables (a Dense layer's kernel) are read here, as binary_args would read
        # them, so that they take the hot path below too
        if type(a) is Variable:
            a = a._read()
        if type(b) is Variable:
            b = b._read()
    if type(a) is EagerTensor and type(b) is EagerTensor and not (adjoint_a or adjoint_b):
        av, bv = a._value, b._value     # hot path: the checks below, on arrays directly
        if av.dtype is bv.dtype and av.ndim >= 2 and bv.ndim >= 2 and av.dtype in _MATMUL_NP:
            return execute(MatMul, (a, b), _MATMUL_ATTRS[bool(transpose_a), bool(transpose_b)],
                           name=name)
    a, b = binary_args("MatMul", a, b)
    if transpose_a and adjoint_a:
        raise ValueError("Only one of transpose_a and adjoint_a can be True.")
    if transpose_b and adjoint_b:
        raise ValueError("Only one of transpose_b and adjoint_b can be True.")
    if adjoint_a:
        a, transpose_a = _conj(a), True
    if adjoint_b:
        b, transpose_b = _conj(b), True
    ra, rb = a.shape.rank, b.shape.rank
    if (ra is not None and ra < 2) or (rb is not None and rb < 2):
        raise _invalid(f"In[{0 if ra is not None and ra < 2 else 1}] ndims must be >= 2",
                       "MatMul")
    _check("MatMul", a, _MATMUL_TYPES)
    return execute(MatMul, (a, b), {"transpose_a": bool(transpose_a),
                                    "transpose_b": bool(transpose_b)}, name=name)


def _conj(x):
    if x.dtype.is_complex:
        return conj(x)
    return x


@op("Conj", infer=same_as_input)
def Conj(xp, x):
    return xp.conj(x)


@Conj.gradient
def _conj_grad(op, dy):
    return conj(dy)


def conj(x, name=None):
    """Returns the complex conjugate of a complex number (``tf.math.conj``)."""
    x = to_tensor(x)
    if not x.dtype.is_complex:
        return x
    return execute(Conj, (x,), name=name)


def _holomorphic(*defs):
    """TF's convention for complex inputs: the gradient of a holomorphic op is
    ``dy * conj(f'(x))``. The real-valued gradients above compute ``dy * f'(x)``, and are
    linear in ``dy``, so the complex case is ``conj(grad(conj(dy)))``."""
    for d in defs:
        def wrapped(op, *dys, _fn=d.grad):
            if not op.inputs[0].dtype.is_complex:
                return _fn(op, *dys)
            g = _fn(op, *[None if dy is None else conj(dy) for dy in dys])
            if isinstance(g, (tuple, list)):
                return tuple(None if e is None else conj(e) for e in g)
            return None if g is None else conj(g)
        d.grad = wrapped


_holomorphic(Mul, RealDiv, Pow, MatMul, Exp, Square, Sqrt, Rsqrt, Log, Log1p, Expm1,
             Reciprocal, Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh,
             Tanh, Sigmoid)


# -- operators on tensors ---------------------------------------------------------------

def _v1_graph_tensor(t):
    """True for tensors of TF1 graphs, where ``==`` is identity (they are dict keys there)."""
    if type(t) is EagerTensor:
        return False
    op_ = getattr(t, "_op", None)
    return op_ is not None and not op_.graph._building_function


def _tensor_equals(self, other):
    # TF2: element-wise; None compares unequal; shapes that cannot broadcast give False.
    if other is None:
        return False
    if _v1_graph_tensor(self):
        return self is other
    x, y = binary_args("Equal", self, other)
    return execute(Equal, (x, y), _LOOSE)


def _tensor_not_equals(self, other):
    if other is None:
        return True
    if _v1_graph_tensor(self):
        return self is not other
    x, y = binary_args("NotEqual", self, other)
    return execute(NotEqual, (x, y), _LOOSE)


_SCALAR_KIND = dtypes._SCALAR_KIND      # NumPy scalar type -> kind (see dtypes.py)


def _fast_operator(op_def, wrapper, kinds=None):
    """``x <op> y``: two eager tensors of one dtype go straight to ``execute`` (the wrapper
    would only confirm that), and so does a float tensor with a Python float or int (which
    takes the tensor's dtype, as the wrapper's ``binary_args`` would give it); everything
    else takes the wrapper's conversions and checks. ``kinds``: the NumPy dtype kinds the
    wrapper accepts without further checks (None: all)."""
    def operator(x, y):
        if type(x) is EagerTensor:
            ty = type(y)
            xv = x._value
            if ty is EagerTensor:
                yv = y._value
                tx = type(xv)
                if tx is type(yv) and tx in _SCALAR_KIND:    # NumPy scalars of one type
                    ok = kinds is None or _SCALAR_KIND[tx] in kinds
                else:
                    ok = xv.dtype is yv.dtype and (kinds is None or xv.dtype.kind in kinds)
                if ok:
                    return execute_binary(op_def, x, y)
            elif (ty is float or ty is int) and _ctx().graph is None:
                # a float tensor and a Python number: scalar_like's cached operand (its
                # hot path, inline: the cache only holds float NumPy scalar types)
                cache = _SCALARS.get(type(xv))
                s = cache.get(y) if cache is not None else None
                if s is not None:
                    return execute_binary(op_def, x, s)
                if (_SCALAR_KIND.get(type(xv)) or xv.dtype.kind) == "f":
                    return execute_binary(op_def, x, scalar_like(y, x))
        return wrapper(x, y)

    def reflected(y, x):          # x <op> y with x not a tensor, e.g. 2. * t
        tx = type(x)
        if (tx is float or tx is int) and type(y) is EagerTensor and _ctx().graph is None:
            yv = y._value
            cache = _SCALARS.get(type(yv))                    # as in operator
            s = cache.get(x) if cache is not None else None
            if s is not None:
                return execute_binary(op_def, s, y)
            if (_SCALAR_KIND.get(type(yv)) or yv.dtype.kind) == "f":
                return execute_binary(op_def, scalar_like(x, y), y)
        return wrapper(x, y)
    operator.__name__ = wrapper.__name__
    reflected.__name__ = "r" + wrapper.__name__
    return operator, reflected


def _install_operators():
    T = Tensor
    for name, op_def, wrapper in (("add", AddV2, add), ("sub", Sub, subtract),
                                  ("mul", Mul, multiply)):
        forward, reflected = _fast_operator(op_def, wrapper)
        T._override_operator(f"__{name}__", forward)
        T._override_operator(f"__r{name}__", reflected)
    forward, reflected = _fast_operator(Pow, pow, kinds="fc")   # pow checks other dtypes
    T._override_operator("__pow__", forward)
    T._override_operator("__rpow__", reflected)
    T._override_operator("__truediv__", lambda x, y: divide(x, y))
    T._override_operator("__rtruediv__", lambda y, x: divide(x, y))
    T._override_operator("__floordiv__", lambda x, y: floordiv(x, y))
    T._override_operator("__rfloordiv__", lambda y, x: floordiv(x, y))
    T._override_operator("__mod__", lambda x, y: floormod(x, y))
    T._override_operator("__rmod__", lambda y, x: floormod(x, y))
    T._override_operator("__matmul__", lambda x, y: matmul(x, y))
    T._override_operator("__rmatmul__", lambda y, x: matmul(x, y))
    T._override_operator("__neg__", lambda x: negative(x))
    # no __pos__: TF's tensors have no unary + (``+x`` raises TypeError)
    T._override_operator("__abs__", lambda x: abs(x))
    T._override_operator("__invert__", _invert)
    T._override_operator("__and__", lambda x, y: _and(x, y))
    T._override_operator("__rand__", lambda y, x: _and(x, y))
    T._override_operator("__or__", lambda x, y: _or(x, y))
    T._override_operator("__ror__", lambda y, x: _or(x, y))
    T._override_operator("__xor__", lambda x, y: _xor(x, y))
    T._override_operator("__rxor__", lambda y, x: _xor(x, y))
    for name, op_def, wrapper in (("lt", Less, less), ("le", LessEqual, less_equal),
                                  ("gt", Greater, greater), ("ge", GreaterEqual, greater_equal)):
        # real dtypes (kinds f, i, u) are exactly the ones the comparisons' wrappers allow;
        # Python handles reflected comparisons itself (2 < t is t > 2)
        T._override_operator(f"__{name}__", _fast_operator(op_def, wrapper, kinds="fiu")[0])
    T._override_operator("__eq__", _tensor_equals)
    T._override_operator("__ne__", _tensor_not_equals)


_install_operators()
