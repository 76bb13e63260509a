"""Creation, shape and layout ops (TF's ``array_ops``): constant, reshape, cast, ..."""

import numpy as np

from tinytf.framework import dtypes
from tinytf.framework.context import _ctx
from tinytf.framework.device import CPU0
from tinytf.backends import shims
from tinytf.framework.execute import execute
from tinytf.framework.registry import not_differentiable, op
from tinytf.framework.shape import TensorShape
from tinytf.framework.tensor import EagerTensor, wrap
from tinytf.framework.tensor import Tensor as _TensorBase
from tinytf.framework.tensor_conversion import _F32_MAX, _F32_ONE, _place, _to_array, \
    convert_to_tensor
from tinytf.ops._convert import to_tensor
from tinytf.ops.shape_rules import same_as_input


# -- constants -------------------------------------------------------------------------

def constant(value, dtype=None, shape=None, name="Const"):
    """Creates a constant tensor from a tensor-like object (``tf.constant``).

    >>> tinytf.constant([1, 2])  # <tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], ...)>
    """
    if type(value) is float and dtype is None and shape is None \
            and -_F32_MAX <= value <= _F32_MAX:
        return _place(_F32_ONE * value)     # hot path: tf.constant(4.), as _to_array makes it
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, EagerTensor):
        arr = value._numpy()
        if dtype is not None and arr.dtype != dtype._np:
            arr = arr.astype(dtype._np)
    elif hasattr(value, "_read") and hasattr(value, "_value"):  # a Variable
        arr = value.numpy()
        if dtype is not None:
            arr = np.asarray(arr, dtype=dtype._np)
    else:
        arr = _to_array(value, dtype)
    if shape is not None:
        shape = tuple(TensorShape(shape).as_list())
        if arr.size == 1 and arr.shape != shape:
            arr = np.full(shape, arr.reshape(()), dtype=arr.dtype)
        elif arr.shape != shape:
            if arr.size != int(np.prod(shape)):
                raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor "
                                f"{value!r} (converted from {value!r}) has {arr.size} elements, "
                                f"but got `shape` {TensorShape(shape)} with "
                                f"{int(np.prod(shape))} elements).")
            arr = arr.reshape(shape)
    return _place(arr)


@op("StopGradient", infer=same_as_input)
def StopGradient(xp, x):
    return x


not_differentiable(StopGradient)


def stop_gradient(input, name=None):  # noqa: A002
    """Stops gradient computation: the output is the input, with no gradient flowing back."""
    return execute(StopGradient, (to_tensor(input),), name=name)


# -- identity, cast, reshape -----------------------------------------------------------

@op("Identity", infer=same_as_input)
def Identity(xp, x):
    return x


@Identity.gradient
def _identity_grad(op, dy):
    return dy


def identity(input, name=None):  # noqa: A002 - TF's argument name
    """Returns a tensor with the same shape and contents as input (``tf.identity``)."""
    return execute(Identity, (to_tensor(input),), name=name)


def _cast_rule(x, *, dtype):
    return x.shape, dtype


@op("Cast", infer=_cast_rule)
def Cast(xp, x, *, dtype):
    if (dtype is dtypes.string) != (x.dtype == object):     # string <-> anything else
        from tinytf.framework import errors
        tf_names = {"float16": "half", "float32": "float", "float64": "double"}
        src, dst = dtypes.as_dtype(x.dtype).name, dtype.name
        raise errors.op_error(errors.UnimplementedError, f"Cast {tf_names.get(src, src)} to "
                              f"{tf_names.get(dst, dst)} is not supported", "Cast")
    if x.dtype.kind == "c" and dtype._np not in (np.complex64, np.complex128):
        x = x.real  # TF drops the imaginary part
    return x.astype(dtype._np, copy=False)


@Cast.gradient
def _cast_grad(op, dy):
    src = op.inputs[0].dtype
    if src.is_floating or src.is_complex:
        return cast(dy, src)
    return None


def cast(x, dtype, name=None):
    """Casts a tensor to a new type (``tf.cast``); floats to ints truncate toward zero."""
    dtype = dtypes.as_dtype(dtype)
    if type(x) is not EagerTensor:           # eager tensors need no conversion (hot path)
        x = to_tensor(x) if not isinstance(x, (int, float)) else constant(x)
    if x.dtype is dtype:
        return x
    attrs = _CAST_ATTRS.get(dtype)
    if attrs is None:
        attrs = _CAST_ATTRS[dtype] = {"dtype": dtype}
    return execute(Cast, (x,), attrs, name=name)


_CAST_ATTRS = {}     # DType -> Cast's attrs (one dict per target dtype, shared by calls)


def _reshape_rule(x, *dyn, shape):
    if dyn:
        if hasattr(dyn[0], "_value"):      # explaining an eager/run-time failure
            shape = _run_dims(dyn[0]._value)
        else:
            return _partial_reshape(x, shape), x.dtype
    n = x.shape.num_elements()
    dims = list(shape)
    if -1 in dims:
        known = 1
        for d in dims:
            if d != -1:
                known *= d
        if n is not None:
            if known == 0 or n % known:
                raise ValueError(f"Cannot reshape a tensor with {n} elements to shape "
                                 f"{list(shape)} ({n} elements)")
            dims[dims.index(-1)] = n // known
        else:
            dims[dims.index(-1)] = None
    elif n is not None and n != int(np.prod(dims)):
        raise ValueError(f"Cannot reshape a tensor with {n} elements to shape {list(shape)} "
                         f"({int(np.prod(dims))} elements)")
    return TensorShape(dims), x.dtype


def _partial_reshape(x, shape):
    """The static shape of reshaping ``x`` to a target known only in part (None entries;
    None: not even its length): one unknown entry is inferred when the rest are known."""
    if shape is None:
        return TensorShape(None)
    n = x.shape.num_elements()
    dims = list(shape)
    unknown = [i for i, d in enumerate(dims) if d is None]
    known = int(np.prod([d for d in dims if d is not None]))
    if n is not None and len(unknown) == 1 and known > 0 and n % known == 0:
        dims[unknown[0]] = n // known
    elif n is not None and not unknown and n != known:
        raise ValueError(f"Cannot reshape a tensor with {n} elements to shape {dims} "
                         f"({known} elements)")
    return TensorShape(dims)


def _run_dims(a):
    """A run-time shape tensor's array (1-D, or a scalar) as a tuple of Python ints."""
    return tuple(int(v) for v in np.ravel(a.tolist()))


@op("Reshape", infer=_reshape_rule)
def Reshape(xp, x, *dyn, shape):
    """``dyn``: the target shape as a 1-D tensor when it is known only at run time (then
    ``shape`` holds what is known of it while building)."""
    if dyn:
        shape = _run_dims(dyn[0])
    try:
        return xp.reshape(x, shape)
    except ValueError:
        return xp.reshape(x, _reshape_failure(x, shape))


def _reshape_failure(x, shape):
    """TF's run-time checks, once NumPy has refused: raises TF's message, or returns the
    shape TF gives (a -1 next to a 0 in the target of an empty tensor)."""
    n = x.size
    neg = [i for i, d in enumerate(shape) if d == -1]
    if len(neg) > 1:
        raise _invalid(f"Only one input size may be -1, not both {neg[0]} and {neg[1]}")
    for i, d in enumerate(shape):
        if d < -1:
            raise _invalid(f"Size {i} must be non-negative, not {d}")
    product = int(np.prod([d for d in shape if d != -1]))
    if neg:
        if n == 0 and product == 0:
            out = list(shape)
            out[neg[0]] = int(np.prod([d for d in x.shape if d])) // \
                int(np.prod([d for d in shape if d > 0]))
            return tuple(out)
        if product > 0 and n % product:
            raise _invalid(f"Input to reshape is a tensor with {n} values, but the requested "
                           f"shape requires a multiple of {product}")
    raise _invalid(f"Input to reshape is a tensor with {n} values, but the requested shape "
                   f"has {product}")


@Reshape.gradient
def _reshape_grad(op, dy):
    return reshape_like(dy, op.inputs[0])


class _NotStatic(ValueError):
    """A graph tensor whose value is known only at run time was given for an argument that
    tinytf keeps as an attribute when it can; wrappers catch it and pass a tensor input."""


def _shape_tensor(value):
    """A shape-like argument known only at run time as ``(partial, tensor)``: ``tensor`` a
    1-D int32/int64 tensor holding it, ``partial`` what is known of it while building (a
    tuple with None for unknown entries, or None when even its length is unknown)."""
    from tinytf.graph.graph import constant_value_as_shape  # lazy: graphs sit above ops
    if isinstance(value, _TensorBase):
        t = value
    else:
        items = list(value)
        kinds = [v.dtype for v in items if isinstance(v, _TensorBase)]
        bad = [v for v in items if isinstance(v, _TensorBase)
               and v.dtype not in (dtypes.int32, dtypes.int64)]
        if bad:
            raise TypeError(f"Cannot convert a list containing a tensor of dtype "
                            f"{bad[0].dtype} to <dtype: 'int32'> (Tensor is: {bad[0]!r})")
        want = dtypes.int64 if dtypes.int64 in kinds else dtypes.int32
        items = [v if not isinstance(v, _TensorBase) or v.dtype is want else cast(v, want)
                 for v in items]
        t = stack(items)
    if t.dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Value passed to a shape argument has DataType {t.dtype.name} not in "
                        "list of allowed values: int32, int64")
    if t.shape.rank == 0:
        t = stack([t])
    part = constant_value_as_shape(t)
    return (None if part.rank is None else tuple(part.as_list())), t


def _shape_arg(shape):
    """A shape argument (list, tuple, TensorShape, tensor) as a tuple of Python ints."""
    if isinstance(shape, EagerTensor):
        return tuple(int(d) for d in shape._numpy().reshape(-1))
    if isinstance(shape, TensorShape):
        return tuple(shape.as_list())
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    if isinstance(shape, _TensorBase):          # a graph tensor: folded while building
        return tuple(int(d) for d in _static_value(shape).reshape(-1))
    out = []
    for d in shape:
        if isinstance(d, _TensorBase) and not isinstance(d, EagerTensor):
            from tinytf.graph.graph import constant_value  # lazy: graphs sit above ops
            v = constant_value(d)
            out.append(None if v is None else int(v))
        else:
            out.append(int(d))
    if None in out:      # known only at run time: the wrapper passes a shape tensor
        raise _NotStatic("reshape target known only at run time")
    return tuple(out)


def reshape(tensor, shape, name=None):
    """Reshapes a tensor; one dimension may be -1 (``tf.reshape``)."""
    try:
        shape_attr = _shape_arg(shape)
    except _NotStatic:       # graphs: a target known only at run time is a tensor input
        part, t = _shape_tensor(shape)
        return execute(Reshape, (to_tensor(tensor), t), {"shape": part}, name=name)
    return execute(Reshape, (to_tensor(tensor),), {"shape": shape_attr}, name=name)


@op("ReshapeLike", infer=lambda x, like: (like.shape, x.dtype))
def ReshapeLike(xp, x, like):
    return xp.reshape(x, like.shape)


@ReshapeLike.gradient
def _reshape_like_grad(op, dy):
    return reshape_like(dy, op.inputs[0]), None


def reshape_like(x, like):
    """Reshapes ``x`` to the run-time shape of ``like`` (gradients use this; graphs too)."""
    return execute(ReshapeLike, (x, like))


# -- broadcasting pair: each is the other's gradient ------------------------------------

@op("BroadcastLike", infer=lambda x, like: (like.shape, x.dtype))
def BroadcastLike(xp, x, like):
    return xp.broadcast_to(x, like.shape)


@op("SumToShape", infer=lambda x, like: (like.shape, x.dtype))
def SumToShape(xp, x, like):
    """Sums ``x`` over the axes along which ``like`` was broadcast to reach ``x``'s shape."""
    shape = like.shape
    if x.shape == shape:
        return x
    lead = x.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, d in enumerate(shape)
                                      if d == 1 and x.shape[i + lead] != 1)
    out = x.sum(axis=axes, keepdims=True) if axes else x
    return out.reshape(shape)


@BroadcastLike.gradient
def _broadcast_like_grad(op, dy):
    return sum_to_shape(dy, op.inputs[0]), None


@SumToShape.gradient
def _sum_to_shape_grad(op, dy):
    return broadcast_like(dy, op.inputs[0]), None


def broadcast_like(x, like):
    return execute(BroadcastLike, (x, like))


def sum_to_shape(x, like):
    """Sums ``x`` down to ``like``'s shape: the engine's un-broadcasting step."""
    return execute(SumToShape, (x, like))


# -- shape ------------------------------------------------------------------------------

def _shape_rule(x, *, out_type):
    return TensorShape([x.shape.rank]), out_type


@op("Shape", infer=_shape_rule)
def Shape(xp, x, *, out_type):
    return xp.asarray(x.shape, dtype=out_type._np)


not_differentiable(Shape)


def shape(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """Returns the run-time shape of a tensor as a 1-D int32 tensor (``tf.shape``)."""
    x = to_tensor(input)
    if _ctx().graph is None:
        return wrap(np.asarray(x.shape.as_list(), dtype=dtypes.as_dtype(out_type)._np),
                           CPU0)
    return execute(Shape, (x,), {"out_type": dtypes.as_dtype(out_type)}, name=name)


def zeros_like_tensor(x):
    """Zeros with ``x``'s shape, dtype and device (used for unconnected gradients)."""
    return execute(ZerosLike, (x,))


@op("ZerosLike", infer=same_as_input)
def ZerosLike(xp, x):
    return xp.zeros_like(x)


@op("OnesLike", infer=same_as_input)
def OnesLike(xp, x):
    return xp.ones_like(x)


not_differentiable(ZerosLike, OnesLike)


def convert_to_tensor_v2(value, dtype=None, dtype_hint=None, name=None):
    """Converts the given value to a Tensor (``tf.convert_to_tensor``)."""
    return convert_to_tensor(value, dtype=dtype, dtype_hint=dtype_hint, name=name)


# ======================================================================================
# Helpers shared by the ops below
# ======================================================================================

_TF_TYPE = {"float32": "float", "float64": "double", "float16": "half"}


def _tname(dtype):
    """TF's DataTypeString (what its kernels print): float32 -> 'float'."""
    return _TF_TYPE.get(dtype.name, dtype.name)


def _invalid(msg):
    """An InvalidArgumentError raised from a kernel (``execute`` adds ``[Op:Name]``)."""
    from tinytf.framework import errors
    return errors.InvalidArgumentError(None, None, msg)


def _fmt_shape(shape):
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


_INDEX_TYPES = (dtypes.int16, dtypes.int32, dtypes.int64)


def _check_attr_type(op_name, attr, x, allowed):
    """TF's 'Value for attr ... is not in the list of allowed values' error."""
    if x.dtype not in allowed:
        from tinytf.framework import errors
        names = ", ".join(d.name for d in allowed)
        msg = (f"Value for attr '{attr}' of {_tname(x.dtype)} is not in the list of allowed "
               f"values: {names}\n\t; NodeDef: {{{{node {op_name}}}}}; Op<name={op_name}>")
        if _ctx().graph is not None:
            raise TypeError(msg)
        raise errors.op_error(errors.InvalidArgumentError, msg, op_name)


def _static_value(t):
    """The value of a graph tensor known at build time (constant folding), else an error.

    Attributes such as shapes, axes and multiples are Python values in tinytf; a graph
    tensor may stand for one only when its value can be folded while building.
    """
    from tinytf.graph.graph import constant_value  # lazy: graphs sit above ops
    v = constant_value(t)
    if v is None:
        raise _NotStatic(f"tinytf needs the value of {getattr(t, 'name', t)!r} while building "
                         "the graph (shapes, axes and similar arguments are static here); "
                         "compute it from Python values or static shapes.")
    return np.asarray(v)


def _int_list(value):
    """A list/tuple/tensor/array/int of integers as a tuple of Python ints (eager values)."""
    if isinstance(value, _TensorBase) and not isinstance(value, EagerTensor) \
            and not hasattr(value, "_read"):
        return tuple(int(v) for v in _static_value(value).reshape(-1))
    if isinstance(value, EagerTensor):
        return tuple(int(v) for v in value._numpy().reshape(-1))
    if isinstance(value, (int, np.integer)):
        return (int(value),)
    if isinstance(value, np.ndarray):
        return tuple(int(v) for v in value.reshape(-1))
    if hasattr(value, "numpy") and not isinstance(value, (list, tuple)):
        return tuple(int(v) for v in np.asarray(value.numpy()).reshape(-1))
    return tuple(_int_scalar(v) if isinstance(v, _TensorBase) else int(v) for v in value)


def _int_scalar(value):
    if isinstance(value, _TensorBase) and not isinstance(value, EagerTensor) \
            and not hasattr(value, "_read"):
        return int(_static_value(value))
    if isinstance(value, EagerTensor):
        return int(value._numpy())
    if hasattr(value, "numpy"):
        return int(value.numpy())
    if not isinstance(value, (int, np.integer)):
        raise TypeError(f"Cannot convert {value!r} to EagerTensor of dtype int32")
    return int(value)


def _scatter_add(xp, target, idx, updates):
    """target[idx] += updates with repeated indices accumulating (in place)."""
    shims(xp).scatter_add(target, idx, updates)


def _conv_list(values, name="values"):
    """Converts a list of tensor-likes; Python values take the first tensor's dtype."""
    first = next((v for v in values if isinstance(v, (EagerTensor,)) or
                  hasattr(v, "dtype") and hasattr(v, "shape") and not isinstance(v, np.ndarray)),
                 None)
    hint = first.dtype if first is not None else None
    strict = None
    out = []
    for v in values:
        if type(v) is EagerTensor or isinstance(v, _TensorBase):
            out.append(v)
        elif hint is None:
            # No tensors: the first value's dtype binds the rest, as TF's list conversion.
            t = convert_to_tensor(v, dtype=strict)
            strict = strict or t.dtype
            out.append(t)
        else:
            out.append(convert_to_tensor(v, dtype_hint=hint))
    return out


def _dtype_list_check(op_name, xs):
    d0 = xs[0].dtype
    for i, x in enumerate(xs[1:], 1):
        if x.dtype is not d0:
            from tinytf.framework import errors
            msg = (f"cannot compute {op_name} as input #{i}(zero-based) was expected to be a "
                   f"{_tname(d0)} tensor but is a {_tname(x.dtype)} tensor")
            if _ctx().graph is not None:
                raise TypeError(msg)
            raise errors.op_error(errors.InvalidArgumentError, msg, op_name)


# ======================================================================================
# Creation: fill, zeros, ones, eye, range, linspace, one_hot
# ======================================================================================

def _fill_rule(value, *dyn, dims):
    if value.shape.rank not in (None, 0):
        raise ValueError(f"value must represent a scalar, got shape {_fmt_shape(value.shape)}")
    return TensorShape(None if dims is None else list(dims)), value.dtype


@op("Fill", infer=_fill_rule)
def Fill(xp, value, *dyn, dims):
    """``dyn``: the shape as a 1-D tensor when it is known only at run time."""
    if dyn:
        dims = _run_dims(dyn[0])
    if value.ndim != 0:
        raise _invalid(f"value must represent a scalar, got shape {_fmt_shape(value.shape)}")
    for d in dims:
        if d < 0:
            raise _invalid(f"Dimension {d} must be >= 0")
    return xp.full(dims, value, dtype=value.dtype)


@Fill.gradient
def _fill_grad(op, dy):
    return sum_to_shape(dy, op.inputs[0])


def _shape_attr(shape):
    """Shape argument of zeros/ones/fill/random ops as a tuple of ints (-1 allowed here)."""
    if isinstance(shape, TensorShape):
        if not shape.is_fully_defined():
            raise ValueError(f"Cannot convert a partially known TensorShape {shape} to a "
                             "Tensor.")
        return tuple(shape.as_list())
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    if isinstance(shape, _TensorBase) and not isinstance(shape, EagerTensor) \
            and not hasattr(shape, "_read"):
        return tuple(int(v) for v in _static_value(shape).reshape(-1))
    if isinstance(shape, EagerTensor):
        if not shape.dtype.is_integer:
            raise TypeError(f"shape must be an integer tensor, got {shape.dtype.name}")
        return tuple(int(v) for v in shape._numpy().reshape(-1))
    if isinstance(shape, np.ndarray):
        return tuple(int(v) for v in shape.reshape(-1))
    return tuple(_int_scalar(d) for d in shape)


def _fill_dynamic(dims, value, name):
    part, t = _shape_tensor(dims)
    return execute(Fill, (value, t), {"dims": part}, name=name)


def fill(dims, value, name=None):
    """Creates a tensor of shape ``dims`` filled with the scalar ``value`` (``tf.fill``)."""
    try:
        dims_attr = _shape_attr(dims)
    except _NotStatic:
        return _fill_dynamic(dims, to_tensor(value), name)
    return execute(Fill, (to_tensor(value),), {"dims": dims_attr}, name=name)


def _scalar_of(value, dtype):
    return _place(np.array(value, dtype=dtype._np))


def zeros(shape, dtype=dtypes.float32, name=None, layout=None):
    """Creates a tensor with all elements set to zero (``tf.zeros``)."""
    dtype = dtypes.as_dtype(dtype)
    zero = b"" if dtype is dtypes.string else 0
    try:
        dims = _shape_attr(shape)
    except _NotStatic:
        return _fill_dynamic(shape, _scalar_of(zero, dtype), name)
    return execute(Fill, (_scalar_of(zero, dtype),), {"dims": dims}, name=name)


def ones(shape, dtype=dtypes.float32, name=None, layout=None):
    """Creates a tensor with all elements set to one (``tf.ones``)."""
    dtype = dtypes.as_dtype(dtype)
    try:
        dims = _shape_attr(shape)
    except _NotStatic:
        return _fill_dynamic(shape, _scalar_of(1, dtype), name)
    return execute(Fill, (_scalar_of(1, dtype),), {"dims": dims}, name=name)


def zeros_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    """Creates a tensor of zeros with the shape of ``input`` (``tf.zeros_like``)."""
    x = to_tensor(input)
    if dtype is not None and dtypes.as_dtype(dtype) is not x.dtype:
        x = cast(x, dtype)
    return execute(ZerosLike, (x,), name=name)


def ones_like(input, dtype=None, name=None, layout=None):  # noqa: A002
    """Creates a tensor of ones with the shape of ``input`` (``tf.ones_like``)."""
    x = to_tensor(input)
    if dtype is not None and dtypes.as_dtype(dtype) is not x.dtype:
        x = cast(x, dtype)
    return execute(OnesLike, (x,), name=name)


def _eye_rule(*, num_rows, num_columns, batch_shape, dtype):
    return TensorShape(list(batch_shape) + [num_rows, num_columns]), dtype


@op("Eye", infer=_eye_rule)
def Eye(xp, *, num_rows, num_columns, batch_shape, dtype):
    for d in (num_rows, num_columns) + tuple(batch_shape):
        if d < 0:       # TF builds eye from Fill, whose error this is
            from tinytf.framework import errors
            raise errors.op_error(errors.InvalidArgumentError, f"Dimension {d} must be >= 0",
                                  "Fill")
    m = xp.eye(num_rows, num_columns, dtype=dtype._np)
    return xp.broadcast_to(m, tuple(batch_shape) + m.shape).copy() if batch_shape else m


not_differentiable(Eye)


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """An identity matrix, or a batch of them (``tf.eye``)."""
    rows = _int_scalar(num_rows)
    cols = rows if num_columns is None else _int_scalar(num_columns)
    batch = () if batch_shape is None else _shape_attr(batch_shape)
    return execute(Eye, (), {"num_rows": rows, "num_columns": cols, "batch_shape": batch,
                             "dtype": dtypes.as_dtype(dtype)}, name=name)


def _range_len(start, limit, delta):
    n = int(np.ceil((limit - start) / delta)) if delta else 0
    return max(n, 0)


def _range_rule(*dyn, start, limit, delta, dtype):
    if dyn:
        return TensorShape([None]), dtype
    return TensorShape([_range_len(start, limit, delta)]), dtype


@op("Range", infer=_range_rule)
def Range(xp, *dyn, start, limit, delta, dtype):
    """``dyn``: (start, limit, delta) as scalar tensors when they are known only at run
    time (the attributes are None then)."""
    if dyn:
        conv = int if dtype.is_integer else float
        start, limit, delta = (conv(v.item()) for v in dyn)
    if delta == 0:
        raise _invalid(f"Requires delta != 0: {delta}")
    if delta > 0 and start > limit:
        raise _invalid(f"Requires start <= limit when delta > 0: {start}/{limit}")
    if delta < 0 and start < limit:
        raise _invalid(f"Requires start >= limit when delta < 0: {start}/{limit}")
    n = _range_len(start, limit, delta)
    if dtype.is_integer:
        return xp.arange(start, start + n * delta, delta, dtype=dtype._np)[:n]
    # Compute in the output dtype like TF's kernel: start + i * delta.
    return (xp.arange(n, dtype=dtype._np) * dtype._np(delta)
            + dtype._np(start)).astype(dtype._np, copy=False)


not_differentiable(Range)


def _fold_scalar(v):
    """A graph tensor's value when it folds while building (a NumPy scalar), else itself."""
    if isinstance(v, _TensorBase) and not isinstance(v, EagerTensor) \
            and not hasattr(v, "_read"):
        from tinytf.graph.graph import constant_value  # lazy: graphs sit above ops
        c = constant_value(v)
        return v if c is None else np.asarray(c)[()]
    return v


_RANGE_ORDER = [dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64]


def _range_dtype(v):
    if isinstance(v, EagerTensor) or hasattr(v, "dtype") and not isinstance(v, (int, float)):
        return dtypes.as_dtype(v.dtype)
    if isinstance(v, (bool, np.bool_)):
        return dtypes.int32
    if isinstance(v, (int, np.integer)):
        return dtypes.int32 if -2 ** 31 <= int(v) < 2 ** 31 else dtypes.int64
    return dtypes.float32


def range_(start, limit=None, delta=1, dtype=None, name="range"):
    """A sequence of numbers from ``start`` up to (not including) ``limit`` (``tf.range``;
    named ``range_`` here so the module keeps the builtin).

    Without ``dtype``, the widest of the arguments' dtypes: Python ints give int32, any
    Python float gives float32, tensors keep theirs.
    """
    if limit is None:
        start, limit = 0, start
    if dtype is None:
        ds = [_range_dtype(v) for v in (start, limit, delta)]
        dtype = max(ds, key=lambda d: _RANGE_ORDER.index(d) if d in _RANGE_ORDER else 0)
    else:
        dtype = dtypes.as_dtype(dtype)

    def val(v):
        v = v._numpy()[()] if isinstance(v, EagerTensor) else v
        return int(v) if dtype.is_integer else float(v)
    if _ctx().graph is not None:
        args = [_fold_scalar(v) for v in (start, limit, delta)]
        if any(isinstance(v, _TensorBase) for v in args):   # known only at run time
            ins = tuple(cast(v, dtype) if isinstance(v, _TensorBase)
                        else convert_to_tensor(val(v), dtype=dtype) for v in args)
            return execute(Range, ins, {"start": None, "limit": None, "delta": None,
                                        "dtype": dtype}, name=name)
        start, limit, delta = args
    return execute(Range, (), {"start": val(start), "limit": val(limit), "delta": val(delta),
                               "dtype": dtype}, name=name)


def _linspace_rule(start, stop, *, num, axis):
    from tinytf.ops.shape_rules import broadcast_shapes
    s = broadcast_shapes(start.shape, stop.shape)
    if s.rank is None:
        return TensorShape(None), start.dtype
    dims = list(s)
    a = axis % (len(dims) + 1) if axis < 0 else axis
    dims.insert(a, num)
    return TensorShape(dims), start.dtype


@op("LinSpace", infer=_linspace_rule)
def LinSpace(xp, start, stop, *, num, axis):
    start, stop = xp.broadcast_arrays(start, stop)
    if num < 0:
        raise _invalid(f"Requires num >= 0: {num}")
    return xp.linspace(start, stop, num, axis=axis).astype(start.dtype, copy=False)


def _linspace_weights(op, dy):
    num, axis = op.attrs["num"], op.attrs["axis"]
    rank = dy.shape.rank
    a = axis % rank
    t = np.linspace(0.0, 1.0, num) if num > 1 else np.zeros(num)
    shape = [1] * rank
    shape[a] = num
    return constant(t.reshape(shape).astype(dy.dtype.as_numpy_dtype)), a


@LinSpace.gradient
def _linspace_grad(op, dy):
    # y = start + (stop - start) * t  with t = i / (num - 1) along `axis`
    from tinytf.ops.math_ops import reduce_sum
    t, a = _linspace_weights(op, dy)
    return reduce_sum(dy * (1.0 - t), axis=a), reduce_sum(dy * t, axis=a)


def linspace(start, stop, num, name=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` inclusive (``tf.linspace``).

    ``start``/``stop`` may be tensors (batched); integer inputs give float64 as in TF.
    """
    start = to_tensor(start)
    stop = convert_to_tensor(stop, dtype_hint=start.dtype)
    if start.dtype.is_integer:
        start = cast(start, dtypes.float64)
    if stop.dtype.is_integer:
        stop = cast(stop, dtypes.float64)
    _dtype_list_check("LinSpace", [start, stop])
    return execute(LinSpace, (start, stop), {"num": _int_scalar(num), "axis": int(axis)},
                   name=name)


def _one_hot_rule(indices, on, off, *dyn, depth, axis):
    if indices.shape.rank is None:
        return TensorShape(None), on.dtype
    dims = list(indices.shape)
    dims.insert(len(dims) if axis == -1 else axis, depth)
    return TensorShape(dims), on.dtype


@op("OneHot", infer=_one_hot_rule)
def OneHot(xp, indices, on, off, *dyn, depth, axis):
    """``dyn``: the depth as a scalar tensor when it is known only at run time."""
    if dyn:
        depth = int(dyn[0].item())
    if depth < 0:
        raise _invalid(f"depth must be non-negative, got: {depth}")
    if not -1 <= axis <= indices.ndim:
        raise _invalid(f"Expected axis to be -1 or between [0, {indices.ndim + 1}).  "
                       f"But received: {axis}")
    a = indices.ndim if axis == -1 else axis
    shape = [1] * (indices.ndim + 1)
    shape[a] = depth
    classes = xp.arange(depth).reshape(shape)
    hit = xp.expand_dims(indices, a) == classes
    return xp.where(hit, on, off).astype(on.dtype, copy=False)


not_differentiable(OneHot)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """One-hot encoding: ``on_value`` where index == class, ``off_value`` elsewhere
    (``tf.one_hot``); indices out of ``[0, depth)`` (e.g. -1) give all-off rows."""
    indices = to_tensor(indices)
    _check_attr_type("OneHot", "TI", indices,
                     (dtypes.uint8, dtypes.int8, dtypes.int32, dtypes.int64))
    on_t = to_tensor(on_value) if isinstance(on_value, EagerTensor) else None
    off_t = to_tensor(off_value) if isinstance(off_value, EagerTensor) else None
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    else:
        on_dt = on_t.dtype if on_t is not None else (
            None if on_value is None else convert_to_tensor(on_value).dtype)
        off_dt = off_t.dtype if off_t is not None else (
            None if off_value is None else convert_to_tensor(off_value).dtype)
        if on_dt is not None and off_dt is not None and on_dt is not off_dt:
            raise TypeError(f"dtype {on_dt!r} of on_value does not match dtype {off_dt!r} "
                            "of off_value")
        dtype = on_dt or off_dt or dtypes.float32
    on = convert_to_tensor(1 if on_value is None else on_value, dtype=dtype) \
        if on_t is None else on_t
    off = convert_to_tensor(0 if off_value is None else off_value, dtype=dtype) \
        if off_t is None else off_t
    if on.dtype is not dtype or off.dtype is not dtype:
        raise TypeError(f"dtype {dtype!r} of on_value/off_value does not match dtype of "
                        "the one_hot output")
    axis = -1 if axis is None else int(axis)
    try:
        depth = _int_scalar(depth)
    except _NotStatic:       # graphs: a depth known only at run time is a tensor input
        d = depth if depth.dtype is dtypes.int32 else cast(depth, dtypes.int32)
        return execute(OneHot, (indices, on, off, d), {"depth": None, "axis": axis},
                       name=name)
    return execute(OneHot, (indices, on, off), {"depth": depth, "axis": axis}, name=name)


# ======================================================================================
# Shape and layout: transpose, expand_dims, squeeze, concat, stack, unstack, split, tile,
# pad, reverse, broadcast_to, roll, size, rank
# ======================================================================================

def _check_perm(perm, rank):
    if len(perm) != rank:
        raise ValueError(f"transpose expects a vector of size {rank}. But input(1) is a "
                         f"vector of size {len(perm)}")
    for i in range(rank):
        if i not in perm:
            raise ValueError(f"{i} is missing from {{{','.join(str(p) for p in perm)}}}.")


def _transpose_rule(x, *, perm):
    if x.shape.rank is None:
        return TensorShape(None), x.dtype
    _check_perm(perm, x.shape.rank)
    return TensorShape([x.shape[p] for p in perm]), x.dtype


@op("Transpose", infer=_transpose_rule)
def Transpose(xp, x, *, perm):
    return xp.transpose(x, perm)


@Transpose.gradient
def _transpose_grad(op, dy):
    perm = op.attrs["perm"]
    return execute(Transpose, (dy,), {"perm": tuple(int(i) for i in np.argsort(perm))})


def transpose(a, perm=None, conjugate=False, name="transpose"):
    """Permutes the dimensions of ``a`` (reversed by default) (``tf.transpose``)."""
    a = to_tensor(a)
    rank = a.shape.rank
    if perm is None:
        perm = tuple(range(rank - 1, -1, -1))
    else:
        perm = _int_list(perm)
        if rank is not None:
            perm = tuple(p % rank if -rank <= p < 0 else p for p in perm)
    out = execute(Transpose, (a,), {"perm": perm}, name=name)
    if conjugate and a.dtype.is_complex:
        from tinytf.ops.math_ops import conj
        out = conj(out)
    return out


def _expand_dims_rule(x, *, axis):
    if x.shape.rank is None:
        return TensorShape(None), x.dtype
    rank = x.shape.rank
    if not -rank - 1 <= axis <= rank:
        raise ValueError(f"Tried to expand dim index {axis} for tensor with {rank} "
                         "dimensions.")
    dims = list(x.shape)
    dims.insert(axis % (rank + 1), 1)
    return TensorShape(dims), x.dtype


@op("ExpandDims", infer=_expand_dims_rule)
def ExpandDims(xp, x, *, axis):
    return xp.expand_dims(x, axis)


@ExpandDims.gradient
def _expand_dims_grad(op, dy):
    return reshape_like(dy, op.inputs[0])


def expand_dims(input, axis, name=None):  # noqa: A002
    """Inserts a dimension of length 1 at ``axis`` (``tf.expand_dims``)."""
    return execute(ExpandDims, (to_tensor(input),), {"axis": _int_scalar(axis)}, name=name)


def _squeeze_rule(x, *, axis):
    if x.shape.rank is None:
        return TensorShape(None), x.dtype
    rank = x.shape.rank
    dims = list(x.shape)
    if not axis:
        if None in dims:    # an unknown dimension may be 1 at run time: rank unknown (TF)
            return TensorShape(None), x.dtype
        return TensorShape([d for d in dims if d != 1]), x.dtype
    axes = set()
    for a in axis:
        if not -rank <= a < rank:
            raise ValueError(f"Tried to squeeze dim index {a} for tensor with {rank} "
                             "dimensions.")
        a %= rank
        if dims[a] is not None and dims[a] != 1:
            raise ValueError(f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                             f"{dims[a]}")
        axes.add(a)
    return TensorShape([d for i, d in enumerate(dims) if i not in axes]), x.dtype


@op("Squeeze", infer=_squeeze_rule)
def Squeeze(xp, x, *, axis):
    if not axis:
        return xp.squeeze(x)
    rank = x.ndim
    for a in axis:
        if not -rank <= a < rank:
            raise _invalid(f"Tried to squeeze dim index {a} for tensor with {rank} "
                           "dimensions.")
        if x.shape[a] != 1:
            raise _invalid(f"Can not squeeze dim[{a % rank}], expected a dimension of 1, got "
                           f"{x.shape[a]}")
    return xp.squeeze(x, axis=tuple(a % rank for a in axis))


@Squeeze.gradient
def _squeeze_grad(op, dy):
    return reshape_like(dy, op.inputs[0])


def squeeze(input, axis=None, name=None):  # noqa: A002
    """Removes dimensions of size 1 (all of them, or those in ``axis``) (``tf.squeeze``)."""
    axis = () if axis is None else _int_list(axis)
    return execute(Squeeze, (to_tensor(input),), {"axis": axis}, name=name)


# -- concat / split family ---------------------------------------------------------------

def _concat_rule(*xs, axis):
    known = [x for x in xs if x.shape.rank is not None]
    if not known:
        return TensorShape(None), xs[0].dtype
    rank = known[0].shape.rank
    if not -rank <= axis < rank:
        raise ValueError(f"ConcatOp : Expected concatenating dimensions in the range "
                         f"[{-rank}, {rank}), but got {axis}")
    a = axis % rank
    dims = list(known[0].shape)
    total = 0
    for i, x in enumerate(known):
        s = list(x.shape)
        if len(s) != rank:
            raise ValueError(f"ConcatOp : Ranks of all input tensors should match: shape[0] = "
                             f"{_fmt_shape(known[0].shape)} vs. shape[{i}] = {_fmt_shape(s)}")
        for j, (d0, d) in enumerate(zip(dims, s)):
            if j == a:
                continue
            if d0 is not None and d is not None and d0 != d:
                raise ValueError(f"ConcatOp : Dimension {j} in both shapes must be equal: "
                                 f"shape[0] = {_fmt_shape(known[0].shape)} vs. shape[{i}] = "
                                 f"{_fmt_shape(s)}")
            if d0 is None:
                dims[j] = d
        total = None if total is None or s[a] is None else total + s[a]
    if len(known) < len(xs):
        total = None
    dims[a] = total
    return TensorShape(dims), xs[0].dtype


@op("ConcatV2", infer=_concat_rule)
def ConcatV2(xp, *xs, axis):
    try:
        return xp.concatenate(xs, axis=axis)
    except (ValueError, IndexError, np.exceptions.AxisError):
        _concat_rule(*[_Spec(x) for x in xs], axis=axis)
        raise


@ConcatV2.gradient
def _concat_grad(op, dy):
    return execute(SplitLike, (dy,) + tuple(op.inputs), {"axis": op.attrs["axis"]})


def _split_like_rule(dy, *likes, axis):
    out = []
    for like in likes:
        if dy.shape.rank is None:
            out.append((TensorShape(None), dy.dtype))
            continue
        dims = list(dy.shape)
        dims[axis] = like.shape[axis] if like.shape.rank is not None else None
        out.append((TensorShape(dims), dy.dtype))
    return out


@op("SplitLike", infer=_split_like_rule, num_outputs=-1)
def SplitLike(xp, dy, *likes, axis):
    """Splits ``dy`` along ``axis`` into pieces as long as each ``like`` (concat's gradient)."""
    cuts = np.cumsum([like.shape[axis] for like in likes])[:-1]
    return tuple(xp.split(dy, [int(c) for c in cuts], axis=axis))


@SplitLike.gradient
def _split_like_grad(op, *dys):
    return (execute(ConcatV2, tuple(dys), {"axis": op.attrs["axis"]}),) + \
        (None,) * (len(op.inputs) - 1)


class _Spec:
    """A shape/dtype stand-in so kernels can reuse the graph-time rules for messages."""

    __slots__ = ("shape", "dtype")

    def __init__(self, arr):
        self.shape = TensorShape._known(arr.shape)
        self.dtype = dtypes._BY_NP.get(arr.dtype)


def concat(values, axis, name="concat"):
    """Concatenates tensors along one dimension (``tf.concat``)."""
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 0:
        raise ValueError("List argument 'values' to 'ConcatV2' Op with length 0 shorter than "
                         "minimum length 1.")
    xs = _conv_list(values)
    if len(xs) == 1:
        return identity(xs[0], name=name)
    _dtype_list_check("ConcatV2", xs)
    axis = _int_scalar(axis)
    if _ctx().graph is None:
        rank = xs[0]._value.ndim
        if not -rank <= axis < rank or any(x._value.ndim != rank for x in xs):
            try:
                _concat_rule(*xs, axis=axis)
            except ValueError as e:
                from tinytf.framework import errors
                raise errors.op_error(errors.InvalidArgumentError, str(e), "ConcatV2",
                                      name) from None
        if axis < 0:
            axis += rank
    elif xs[0].shape.rank is not None and axis < 0:
        axis += xs[0].shape.rank
    return execute(ConcatV2, tuple(xs), {"axis": axis}, name=name)


def _pack_rule(*xs, axis):
    s = xs[0].shape
    for i, x in enumerate(xs[1:], 1):
        if not s.is_compatible_with(x.shape):
            raise ValueError(f"Shapes of all inputs must match: values[0].shape = "
                             f"{_fmt_shape(s)} != values[{i}].shape = {_fmt_shape(x.shape)}")
    if s.rank is None:
        return TensorShape(None), xs[0].dtype
    dims = list(s)
    dims.insert(axis, len(xs))
    return TensorShape(dims), xs[0].dtype


@op("Pack", infer=_pack_rule)
def Pack(xp, *xs, axis):
    s = xs[0].shape
    for i, x in enumerate(xs[1:], 1):
        if x.shape != s:
            raise _invalid(f"Shapes of all inputs must match: values[0].shape = "
                           f"{_fmt_shape(s)} != values[{i}].shape = {_fmt_shape(x.shape)}")
    return xp.stack(xs, axis=axis)


@Pack.gradient
def _pack_grad(op, dy):
    return execute(Unpack, (dy,), {"num": len(op.inputs), "axis": op.attrs["axis"]})


def _holds_tensor(values):
    for v in values:
        if isinstance(v, (list, tuple)):
            if _holds_tensor(v):
                return True
        elif isinstance(v, _TensorBase) or hasattr(v, "_read"):
            return True
    return False


def stack(values, axis=0, name="stack"):
    """Stacks a list of rank-R tensors into one rank-(R+1) tensor (``tf.stack``)."""
    if isinstance(values, (list, tuple)) and _int_scalar(axis) == 0 and \
            not _holds_tensor(values):
        return constant(values, name=name)          # TF packs a constant list directly
    xs = _conv_list(values) if isinstance(values, (list, tuple)) else \
        list(unstack(to_tensor(values)))
    if not xs:
        raise ValueError("List argument 'values' to 'Pack' Op with length 0 shorter than "
                         "minimum length 1.")
    _dtype_list_check("Pack", xs)
    rank = xs[0].shape.rank
    axis = _int_scalar(axis)
    if rank is not None:
        if not -rank - 1 <= axis <= rank:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-rank - 1}, {rank + 1})")
        axis %= rank + 1
    return execute(Pack, tuple(xs), {"axis": axis}, name=name)


def _unpack_rule(x, *, num, axis):
    dims = list(x.shape)
    if dims[axis] is not None and dims[axis] != num:
        raise ValueError(f"Input shape axis {axis} must equal {num}, got shape "
                         f"{_fmt_shape(dims)}")
    del dims[axis]
    return [(TensorShape(dims), x.dtype)] * num


@op("Unpack", infer=_unpack_rule, num_outputs=-1)
def Unpack(xp, x, *, num, axis):
    if x.shape[axis] != num:
        raise _invalid(f"Input shape axis {axis} must equal {num}, got shape "
                       f"{_fmt_shape(x.shape)}")
    if axis == 0:
        return tuple(x[i] for i in range(num))
    return tuple(xp.moveaxis(x, axis, 0))


@Unpack.gradient
def _unpack_grad(op, *dys):
    return execute(Pack, tuple(dys), {"axis": op.attrs["axis"]})


def unstack(value, num=None, axis=0, name="unstack"):
    """Unpacks the dimension ``axis`` of a tensor into a list of tensors (``tf.unstack``)."""
    x = to_tensor(value)
    rank = x.shape.rank
    axis = _int_scalar(axis)
    if rank is not None:
        if not -rank <= axis < rank:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
        axis %= rank
    if num is None:
        num = x.shape[axis] if rank is not None else None
        if num is None:
            raise ValueError(f"Cannot infer argument `num` from shape {x.shape}")
    return list(execute(Unpack, (x,), {"num": int(num), "axis": axis}, name=name))


def _split_rule(x, *, num_split, axis):
    if x.shape.rank is None:
        return [(TensorShape(None), x.dtype)] * num_split
    dims = list(x.shape)
    d = dims[axis]
    if d is not None:
        if d % num_split:
            raise ValueError(f"Number of ways to split should evenly divide the split "
                             f"dimension, but got split_dim {axis} (size = {d}) and "
                             f"num_split {num_split}")
        dims[axis] = d // num_split
    return [(TensorShape(dims), x.dtype)] * num_split


@op("Split", infer=_split_rule, num_outputs=-1)
def Split(xp, x, *, num_split, axis):
    d = x.shape[axis]
    if d % num_split:
        raise _invalid(f"Number of ways to split should evenly divide the split dimension, "
                       f"but got split_dim {axis} (size = {d}) and num_split {num_split}")
    return tuple(xp.split(x, num_split, axis=axis))


@Split.gradient
def _split_grad(op, *dys):
    return execute(ConcatV2, tuple(dys), {"axis": op.attrs["axis"]})


def _splitv_sizes(sizes, d):
    if sizes.count(-1) > 1:
        raise ValueError("There can only be one -1 in the input.")
    known = sum(s for s in sizes if s != -1)
    if d is None:
        return list(sizes)
    if -1 in sizes:
        if known > d:
            raise ValueError("Determined shape must either match input shape along split_dim "
                             "exactly if fully specified, or be less than the size of the "
                             f"input along split_dim if not fully specified.  Got: {known}")
        return [d - known if s == -1 else s for s in sizes]
    if known != d:
        raise ValueError("Determined shape must either match input shape along split_dim "
                         "exactly if fully specified, or be less than the size of the input "
                         f"along split_dim if not fully specified.  Got: {known}")
    return list(sizes)


def _splitv_rule(x, *dyn, sizes, axis):
    if x.shape.rank is None:
        return [(TensorShape(None), x.dtype)] * len(sizes)
    dims = list(x.shape)
    if dyn and not hasattr(dyn[0], "_value"):   # sizes known only at run time
        return [(TensorShape(dims[:axis] + [s] + dims[axis + 1:]), x.dtype)
                for s in (None if s is None or s < 0 else s for s in sizes)]
    if dyn:
        sizes = _run_dims(dyn[0]._value)
    out = []
    for s in _splitv_sizes(list(sizes), dims[axis]):
        d = list(dims)
        d[axis] = None if s == -1 else s
        out.append((TensorShape(d), x.dtype))
    return out


@op("SplitV", infer=_splitv_rule, num_outputs=-1)
def SplitV(xp, x, *dyn, sizes, axis):
    """``dyn``: the sizes as a 1-D tensor when they are known only at run time."""
    if dyn:
        sizes = _run_dims(dyn[0])
    try:
        real = _splitv_sizes(list(sizes), x.shape[axis])
    except ValueError as e:
        raise _invalid(str(e)) from None
    cuts = np.cumsum(real)[:-1]
    return tuple(xp.split(x, [int(c) for c in cuts], axis=axis))


@SplitV.gradient
def _splitv_grad(op, *dys):
    return execute(ConcatV2, tuple(dys), {"axis": op.attrs["axis"]})


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """Splits a tensor into a number of equal pieces or pieces of given sizes (one may be
    -1) along ``axis`` (``tf.split``)."""
    x = to_tensor(value)
    axis = _int_scalar(axis)
    rank = x.shape.rank
    if rank is not None:
        if not -rank <= axis < rank:
            raise ValueError(f"Argument `axis` = {axis} not in range [{-rank}, {rank})")
        axis %= rank
    if isinstance(num_or_size_splits, (int, np.integer)) or (
            isinstance(num_or_size_splits, EagerTensor) and num_or_size_splits.ndim == 0):
        n = _int_scalar(num_or_size_splits)
        if n <= 0:
            from tinytf.framework import errors
            raise errors.op_error(
                errors.InvalidArgumentError,
                f"Value for attr 'num_split' of {n} must be at least minimum 1\n\t; NodeDef: "
                "{{node Split}}; Op<name=Split; signature=split_dim:int32, value:T -> "
                "output:num_split*T; attr=num_split:int,min=1; attr=T:type>", "Split", name)
        return list(execute(Split, (x,), {"num_split": n, "axis": axis}, name=name))
    try:
        sizes = _int_list(num_or_size_splits)
    except _NotStatic:       # graphs: sizes known only at run time are a tensor input
        part, t = _shape_tensor(num_or_size_splits)
        if part is None:
            raise ValueError(f"Cannot infer argument `num` from shape {t.shape}") from None
        return list(execute(SplitV, (x, t), {"sizes": part, "axis": axis}, name=name))
    return list(execute(SplitV, (x,), {"sizes": sizes, "axis": axis}, name=name))


# -- tile ------------------------------------------------------------------------------

def _check_multiples(multiples, rank):
    if len(multiples) != rank:
        raise ValueError(f"Expected multiples argument to be a vector of length {rank} but "
                         f"got length {len(multiples)}")
    for i, m in enumerate(multiples):
        if m is not None and m < 0:
            raise ValueError(f"Expected multiples[{i}] >= 0, but got {m}")


def _tile_rule(x, *dyn, multiples):
    if dyn and hasattr(dyn[0], "_value"):      # explaining an eager/run-time failure
        multiples = _run_dims(dyn[0]._value)
    if multiples is None:
        return TensorShape(None if x.shape.rank is None else [None] * x.shape.rank), x.dtype
    if x.shape.rank is None:
        return TensorShape([None] * len(multiples)), x.dtype
    _check_multiples(multiples, x.shape.rank)
    return TensorShape([None if d is None or m is None else d * m
                        for d, m in zip(x.shape, multiples)]), x.dtype


@op("Tile", infer=_tile_rule)
def Tile(xp, x, *dyn, multiples):
    """``dyn``: the multiples as a 1-D tensor when they are known only at run time."""
    if dyn:
        multiples = _run_dims(dyn[0])
        if len(multiples) != x.ndim:
            raise _invalid(f"Expected multiples argument to be a vector of length {x.ndim} "
                           f"but got length {len(multiples)}")
    return xp.tile(x, multiples)


@Tile.gradient
def _tile_grad(op, dy):
    return execute(TileGrad, (dy,) + tuple(op.inputs),
                   {"multiples": op.attrs["multiples"]})


@op("TileGrad", infer=lambda dy, x, *dyn, multiples: (x.shape, dy.dtype))
def TileGrad(xp, dy, x, *dyn, multiples):
    """Sums the tiles of ``dy`` back to ``x``'s shape (Tile's gradient)."""
    if dyn:
        multiples = _run_dims(dyn[0])
    inter = []
    for m, d in zip(multiples, x.shape):
        inter += [m, d]
    return dy.reshape(inter).sum(axis=tuple(range(0, 2 * x.ndim, 2)))


@TileGrad.gradient
def _tile_grad_grad(op, ddx):
    return execute(Tile, (ddx,) + tuple(op.inputs[2:]), {"multiples": op.attrs["multiples"]}),\
        None


def tile(input, multiples, name=None):  # noqa: A002
    """Repeats ``input`` ``multiples[i]`` times along dimension i (``tf.tile``)."""
    x = to_tensor(input)
    try:
        multiples = _int_list(multiples)
    except _NotStatic:       # graphs: multiples known only at run time are a tensor input
        part, t = _shape_tensor(multiples)
        if part is not None and x.shape.rank is not None:
            _check_multiples(part, x.shape.rank)
        return execute(Tile, (x, t), {"multiples": part}, name=name)
    if _ctx().graph is None:
        try:
            _check_multiples(multiples, x._value.ndim)
        except ValueError as e:
            from tinytf.framework import errors
            raise errors.op_error(errors.InvalidArgumentError, str(e), "Tile") from None
    return execute(Tile, (x,), {"multiples": multiples}, name=name)


# -- pad ---------------------------------------------------------------------------------

def _check_paddings(paddings, shape, mode=None):
    rank = len(shape)
    if len(paddings) != rank:
        raise ValueError(f"The first dimension of paddings must be the rank of inputs"
                         f"[{len(paddings)},2] {_fmt_shape(shape)}")
    for (b, a), d in zip(paddings, shape):
        if b < 0 or a < 0:
            raise ValueError(f"Paddings must be non-negative: {b} {a}")
        if mode == "REFLECT" and d is not None and (b >= d or a >= d):
            raise ValueError(f"paddings must be less than the dimension size: {b}, {a} not "
                             f"less than {d}")
        if mode == "SYMMETRIC" and d is not None and (b > d or a > d):
            raise ValueError(f"paddings must be no greater than the dimension size: {b}, {a} "
                             f"greater than {d}")


def _pad_rule(x, c, *, paddings):
    if x.shape.rank is None:
        return TensorShape([None] * len(paddings)), x.dtype
    _check_paddings(paddings, list(x.shape))
    return TensorShape([None if d is None else d + b + a
                        for d, (b, a) in zip(x.shape, paddings)]), x.dtype


@op("PadV2", infer=_pad_rule)
def PadV2(xp, x, c, *, paddings):
    try:
        _check_paddings(paddings, x.shape)
    except ValueError as e:
        raise _invalid(str(e)) from None
    return shims(xp).pad_constant(x, paddings, c)   # cupy.pad would pull ``c`` to the host


def _unpad_key(paddings):
    return tuple(("s", b, -a if a else None, None) for b, a in paddings)


@PadV2.gradient
def _pad_grad(op, dy):
    return strided_slice_key(dy, _unpad_key(op.attrs["paddings"])), None


def _mirror_rule(x, *, paddings, mode):
    if x.shape.rank is None:
        return TensorShape([None] * len(paddings)), x.dtype
    _check_paddings(paddings, list(x.shape), mode)
    return TensorShape([None if d is None else d + b + a
                        for d, (b, a) in zip(x.shape, paddings)]), x.dtype


@op("MirrorPad", infer=_mirror_rule)
def MirrorPad(xp, x, *, paddings, mode):
    try:
        _check_paddings(paddings, x.shape, mode)
    except ValueError as e:
        raise _invalid(str(e)) from None
    return xp.pad(x, paddings, mode="reflect" if mode == "REFLECT" else "symmetric")


@MirrorPad.gradient
def _mirror_pad_grad(op, dy):
    return execute(MirrorPadGrad, (dy,), {"paddings": op.attrs["paddings"],
                                          "mode": op.attrs["mode"]})


def _mirror_grad_rule(dy, *, paddings, mode):
    return TensorShape([None if d is None else d - b - a
                        for d, (b, a) in zip(dy.shape, paddings)]), dy.dtype


@op("MirrorPadGrad", infer=_mirror_grad_rule)
def MirrorPadGrad(xp, dy, *, paddings, mode):
    """Folds the mirrored borders of ``dy`` back onto the interior (MirrorPad's gradient)."""
    off = 1 if mode == "REFLECT" else 0
    out = dy
    for ax, (b, a) in enumerate(paddings):
        n = out.shape[ax] - b - a
        idx = [slice(None)] * out.ndim
        idx[ax] = slice(b, b + n)
        core = out[tuple(idx)].copy()
        if b:
            idx[ax] = slice(0, b)
            left = xp.flip(out[tuple(idx)], axis=ax)          # left[k] mirrors index off+k
            tgt = [slice(None)] * out.ndim
            tgt[ax] = slice(off, off + b)
            core[tuple(tgt)] += left
        if a:
            idx[ax] = slice(b + n, b + n + a)
            right = xp.flip(out[tuple(idx)], axis=ax)         # right[-1-k] mirrors n-1-off-k
            tgt = [slice(None)] * out.ndim
            tgt[ax] = slice(n - off - a, n - off)
            core[tuple(tgt)] += right
        out = core
    return out


@MirrorPadGrad.gradient
def _mirror_pad_grad_grad(op, ddx):
    return execute(MirrorPad, (ddx,), {"paddings": op.attrs["paddings"],
                                       "mode": op.attrs["mode"]})


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """Pads a tensor: ``paddings[i] = [before, after]`` for dimension i, filled with
    ``constant_values`` (CONSTANT) or mirrored (REFLECT / SYMMETRIC) (``tf.pad``)."""
    x = to_tensor(tensor)
    p = np.asarray(paddings.numpy() if hasattr(paddings, "numpy") else paddings)
    if p.ndim != 2 or p.shape[-1] != 2:
        from tinytf.framework import errors
        raise errors.op_error(errors.InvalidArgumentError,
                              f"paddings must be a matrix with 2 columns: {list(p.shape)}",
                              "Pad")
    paddings = tuple((int(b), int(a)) for b, a in p)
    m = mode.upper() if isinstance(mode, str) else mode
    if m not in ("CONSTANT", "REFLECT", "SYMMETRIC"):
        raise ValueError('Value of argument `mode` expected to be one of "CONSTANT", '
                         f'"REFLECT", or "SYMMETRIC". Received `mode` = {mode}')
    if m == "CONSTANT":
        if getattr(x, "_value", None) is not None:
            # TF runs Pad for a constant 0 and PadV2 otherwise: its errors name that op
            try:
                _check_paddings(paddings, x._value.shape)
            except ValueError as e:
                from tinytf.framework import errors
                zero = not isinstance(constant_values, _TensorBase) and \
                    np.ndim(constant_values) == 0 and constant_values == 0
                raise errors.op_error(errors.InvalidArgumentError, str(e),
                                      "Pad" if zero else "PadV2") from None
        c = convert_to_tensor(constant_values, dtype_hint=x.dtype)
        if c.dtype is not x.dtype:
            _dtype_list_check("PadV2", [x, c])
        return execute(PadV2, (x, c), {"paddings": paddings}, name=name)
    return execute(MirrorPad, (x,), {"paddings": paddings, "mode": m}, name=name)


# -- reverse, roll, broadcast_to ---------------------------------------------------------

def _reverse_check(axis, rank):
    seen = set()
    for i, a in enumerate(axis):
        if not -rank <= a < rank:
            raise ValueError(f"'axis'[{i}] = {a} is out of valid range [0, {rank - 1}")
        if a % rank in seen:
            raise ValueError(f"axis {a % rank} specified more than once.")
        seen.add(a % rank)


def _reverse_rule(x, *, axis):
    if x.shape.rank is not None:
        _reverse_check(axis, x.shape.rank)
    return x.shape, x.dtype


@op("ReverseV2", infer=_reverse_rule)
def ReverseV2(xp, x, *, axis):
    try:
        _reverse_check(axis, x.ndim)
    except ValueError as e:
        raise _invalid(str(e)) from None
    return xp.flip(x, axis=axis) if axis else x


@ReverseV2.gradient
def _reverse_grad(op, dy):
    return execute(ReverseV2, (dy,), op.attrs)


def reverse(tensor, axis, name=None):
    """Reverses the given dimensions of a tensor (``tf.reverse``)."""
    return execute(ReverseV2, (to_tensor(tensor),), {"axis": _int_list(axis)}, name=name)


def _roll_rule(x, *, shift, axis):
    if len(shift) != len(axis):
        raise ValueError("shift and axis must have the same size")
    return x.shape, x.dtype


@op("Roll", infer=_roll_rule)
def Roll(xp, x, *, shift, axis):
    if len(shift) != len(axis):
        raise _invalid("shift and axis must have the same size")
    for a in axis:
        if not -x.ndim <= a < x.ndim:
            raise _invalid(f"axis {a} is out of range")
    return xp.roll(x, shift, axis=axis) if axis else x


@Roll.gradient
def _roll_grad(op, dy):
    return execute(Roll, (dy,), {"shift": tuple(-s for s in op.attrs["shift"]),
                                 "axis": op.attrs["axis"]})


def roll(input, shift, axis, name=None):  # noqa: A002
    """Rolls elements along ``axis`` by ``shift`` positions (``tf.roll``)."""
    return execute(Roll, (to_tensor(input),), {"shift": _int_list(shift),
                                               "axis": _int_list(axis)}, name=name)


def _broadcast_to_rule(x, *dyn, shape):
    from tinytf.ops.shape_rules import broadcast_shapes
    if dyn:
        if hasattr(dyn[0], "_value"):      # explaining an eager/run-time failure
            shape = _run_dims(dyn[0]._value)
        else:
            return TensorShape(None if shape is None else list(shape)), x.dtype
    target = TensorShape(list(shape))
    try:
        out = broadcast_shapes(x.shape, target)
    except ValueError:
        out = None
    if out is None or out.rank != target.rank or (
            out.is_fully_defined() and out != target):
        raise ValueError(f"Incompatible shapes: {_fmt_shape(x.shape)} vs. "
                         f"{_fmt_shape(target)}")
    return target, x.dtype


@op("BroadcastTo", infer=_broadcast_to_rule)
def BroadcastTo(xp, x, *dyn, shape):
    if dyn:
        shape = _run_dims(dyn[0])
    try:
        return xp.broadcast_to(x, shape)
    except ValueError:
        raise _invalid(f"Incompatible shapes: {_fmt_shape(x.shape)} vs. "
                       f"{_fmt_shape(shape)}") from None


@BroadcastTo.gradient
def _broadcast_to_grad(op, dy):
    return sum_to_shape(dy, op.inputs[0])


def broadcast_to(input, shape, name=None):  # noqa: A002
    """Broadcasts ``input`` to ``shape`` with NumPy's rules (``tf.broadcast_to``)."""
    try:
        shape_attr = _shape_attr(shape)
    except _NotStatic:
        part, t = _shape_tensor(shape)
        return execute(BroadcastTo, (to_tensor(input), t), {"shape": part}, name=name)
    return execute(BroadcastTo, (to_tensor(input),), {"shape": shape_attr}, name=name)


def meshgrid(*args, **kwargs):
    """Coordinate grids from 1-D tensors; ``indexing='xy'`` (default) or ``'ij'``
    (``tf.meshgrid``)."""
    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        key = next(iter(kwargs))
        raise TypeError(f"'{key}' is an invalid keyword argument for this function")
    if indexing not in ("xy", "ij"):
        raise ValueError("Argument `indexing` parameter must be either 'xy' or 'ij', got "
                         f"'{indexing}'")
    xs = [reshape(to_tensor(a), [-1]) for a in args]
    n = len(xs)
    if n == 0:
        return []
    cols = []
    for i, x in enumerate(xs):
        shp = [1] * n
        pos = i
        if indexing == "xy" and n > 1 and i < 2:
            pos = 1 - i
        shp[pos] = -1
        cols.append(reshape(x, shp))
    if any(x.shape[0] is None for x in xs):
        # sizes known only at run time (graphs): broadcast like the sum of zeros of every
        # column, whose static shape keeps the known sizes ([None, 4] as in TF)
        like = None
        for c in cols:
            z = zeros_like(c, dtype=dtypes.float32)
            like = z if like is None else like + z
        return [broadcast_like(c, like) for c in cols]
    sizes = [int(x.shape[0]) for x in xs]
    if indexing == "xy" and n > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    return [broadcast_to(c, sizes) for c in cols]


# -- size, rank, shape_n -----------------------------------------------------------------

@op("Size", infer=lambda x, *, out_type: (TensorShape([]), out_type))
def Size(xp, x, *, out_type):
    return xp.asarray(x.size, dtype=out_type._np)


@op("Rank", infer=lambda x: (TensorShape([]), dtypes.int32))
def Rank(xp, x):
    return xp.asarray(x.ndim, dtype=np.int32)


not_differentiable(Size, Rank)


def size(input, out_type=None, name=None):  # noqa: A002
    """The number of elements of a tensor (``tf.size``); int32 by default."""
    x = to_tensor(input)
    out_type = dtypes.int32 if out_type is None else dtypes.as_dtype(out_type)
    if _ctx().graph is None:
        return wrap(np.asarray(x._value.size, dtype=out_type._np), CPU0)
    return execute(Size, (x,), {"out_type": out_type}, name=name)


def rank(input, name=None):  # noqa: A002
    """The number of dimensions of a tensor, as a scalar int32 tensor (``tf.rank``)."""
    x = to_tensor(input)
    if _ctx().graph is None:
        return wrap(np.asarray(x._value.ndim, dtype=np.int32), CPU0)
    return execute(Rank, (x,), name=name)


def shape_n(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The shapes of a list of tensors (``tf.shape_n``)."""
    return [shape(x, out_type=out_type) for x in input]




# ======================================================================================
# Slicing: Slice, StridedSlice (and Tensor.__getitem__), StridedSliceGrad
# ======================================================================================
# A slice spec is kept as a hashable tuple of entries: ("s", start, stop, step),
# ("i", index), ("n",) for tf.newaxis and ("e",) for Ellipsis. Kernels index with the
# equivalent NumPy key, whose semantics (clamping, negative steps) match TF's.

_NP_KEYS = {}


def _np_key(key):
    k = _NP_KEYS.get(key)
    if k is None:
        k = tuple(slice(e[1], e[2], e[3]) if e[0] == "s" else e[1] if e[0] == "i"
                  else None if e[0] == "n" else Ellipsis for e in key)
        if len(_NP_KEYS) < 4096:
            _NP_KEYS[key] = k
    return k


def _is_dyn(v):
    return type(v) is tuple


def _resolve_key(key, dyn):
    """Replaces ("t", j) bounds in ``key`` by the run-time values of ``dyn[j]``."""
    def val(v):
        return int(dyn[v[1]]) if type(v) is tuple else v
    return tuple((e[0],) + tuple(val(v) for v in e[1:]) for e in key)


def _slice_spec_shape(dims, key, strict):
    """Output dims of slicing ``dims`` with ``key``; raises ValueError with TF's message.

    ``strict``: dims are all known (run time), so out-of-range indices are errors.
    """
    n_ell = sum(1 for e in key if e[0] == "e")
    if n_ell > 1:
        raise ValueError("Multiple ellipses in slice spec not allowed")
    consumed = sum(1 for e in key if e[0] in "si")
    rank = len(dims)
    if rank == 0 and consumed:
        raise ValueError("Attempting to slice scalar input.")
    if consumed > rank:
        raise ValueError(f"Index out of range using input dim {rank}; input has only {rank} "
                         "dims")
    out = []
    d = 0
    for pos, e in enumerate(key):
        kind = e[0]
        if kind == "e":
            skip = rank - consumed
            out.extend(dims[d:d + skip])
            d += skip
        elif kind == "n":
            out.append(1)
        elif kind == "i":
            n = dims[d]
            if n is not None and not _is_dyn(e[1]) and not -n <= e[1] < n:
                raise ValueError(f"slice index {e[1]} of dimension {d} out of bounds.")
            d += 1
        else:
            step = 1 if e[3] is None else e[3]
            if step == 0:
                raise ValueError(f"strides[{pos}] must be non-zero")
            n = dims[d]
            if n is None or _is_dyn(e[1]) or _is_dyn(e[2]) or _is_dyn(step):
                out.append(None)
            else:
                out.append(len(range(*slice(e[1], e[2], step).indices(n))))
            d += 1
    out.extend(dims[d:])
    return out


def _strided_slice_rule(x, *dyn, key):
    if x.shape.rank is None:
        return TensorShape(None), x.dtype
    dims = _slice_spec_shape(list(x.shape), key, False)
    if dyn and not hasattr(dyn[0], "_value"):
        # TF: with bounds known only at run time, every sliced (not indexed) dim is unknown.
        dims = _dyn_slice_dims(list(x.shape), key, dims)
    return TensorShape(dims), x.dtype


def _dyn_slice_dims(in_dims, key, dims):
    """``dims`` (the output dims of ``key``) with every dim that a slice entry made set to
    None; indexed, new-axis and ellipsis dims keep what is known."""
    out, i = [], 0
    consumed = sum(1 for e in key if e[0] in "si")
    for e in key:
        if e[0] == "e":
            skip = len(in_dims) - consumed
            out.extend(dims[i:i + skip])
            i += skip
        elif e[0] == "n":
            out.append(dims[i])
            i += 1
        elif e[0] == "s":
            out.append(None)
            i += 1
    out.extend(dims[i:])
    return out


@op("StridedSlice", infer=_strided_slice_rule)
def StridedSlice(xp, x, *dyn, key):
    """``x[key]``; ``dyn`` holds scalar bounds known only at run time (graph tensors)."""
    if dyn:
        key = _resolve_key(key, dyn)
    try:
        return x[_np_key(key)]
    except (IndexError, ValueError, TypeError) as e:
        try:
            _slice_spec_shape(list(x.shape), key, True)
        except ValueError as tf_msg:
            raise _invalid(str(tf_msg)) from None
        raise _invalid(str(e)) from None


@StridedSlice.gradient
def _strided_slice_grad(op, dy):
    dyn = tuple(op.inputs[1:])
    return (execute(StridedSliceGrad, (dy, op.inputs[0]) + dyn, {"key": op.attrs["key"]}),) \
        + (None,) * len(dyn)


@op("StridedSliceGrad", infer=lambda dy, x, *dyn, key: (x.shape, dy.dtype))
def StridedSliceGrad(xp, dy, x, *dyn, key):
    """Zeros shaped like ``x`` with ``dy`` written where the slice ``key`` took its values."""
    if dyn:
        key = _resolve_key(key, dyn)
    out = xp.zeros(x.shape, dtype=dy.dtype)
    out[_np_key(key)] = dy
    return out


@StridedSliceGrad.gradient
def _strided_slice_grad_grad(op, ddx):
    dyn = tuple(op.inputs[2:])
    return (execute(StridedSlice, (ddx,) + dyn, {"key": op.attrs["key"]}), None) \
        + (None,) * len(dyn)


def strided_slice_key(x, key, name=None):
    """Slices ``x`` with an encoded slice spec (see ``_np_key``); used by gradients."""
    return execute(StridedSlice, (x,), {"key": key}, name=name)


def strided_slice(input_, begin, end, strides=None, begin_mask=0, end_mask=0,
                  ellipsis_mask=0, new_axis_mask=0, shrink_axis_mask=0, var=None,
                  name=None):
    """Extracts a strided slice of a tensor, NumPy-style, driven by the masks' bits
    (``tf.strided_slice``)."""
    dyn = []
    try:
        begin, end = _int_list(begin), _int_list(end)
        strides = (1,) * len(begin) if strides is None else _int_list(strides)
    except _NotStatic:       # graphs: bounds known only at run time are tensor inputs
        begin, end = _bound_list(begin, dyn), _bound_list(end, dyn)
        strides = (1,) * len(begin) if strides is None else _bound_list(strides, dyn)
    if not len(begin) == len(end) == len(strides):
        raise ValueError(f"Shape must be rank 1 with {len(begin)} elements: begin, end and "
                         "strides must have the same length")
    key = []
    for i, (b, e, s) in enumerate(zip(begin, end, strides)):
        bit = 1 << i
        if ellipsis_mask & bit:
            key.append(("e",))
        elif new_axis_mask & bit:
            key.append(("n",))
        elif shrink_axis_mask & bit:
            key.append(("i", b))
        else:
            key.append(("s", None if begin_mask & bit else b, None if end_mask & bit else e,
                        s))
    if dyn:
        dyn = tuple(d if d.dtype is dtypes.int32 else cast(d, dtypes.int32) for d in dyn)
        return execute(StridedSlice, (to_tensor(input_),) + dyn, {"key": tuple(key)},
                       name=name)
    return execute(StridedSlice, (to_tensor(input_),), {"key": tuple(key)}, name=name)


def _bound_list(value, dyn):
    """begin/end/strides of ``strided_slice`` as entries of a slice key: ints, or ("t", j)
    for scalars known only at run time (appended to ``dyn``)."""
    try:
        return _int_list(value)
    except _NotStatic:
        pass
    if isinstance(value, _TensorBase):
        n = value.shape.as_list()[0] if value.shape.rank == 1 else None
        if n is None:
            raise ValueError(f"tinytf needs the length of {getattr(value, 'name', value)!r} "
                             "while building the graph (strided_slice bounds)")
        value = [value[i] for i in range(n)]
    return tuple(_slice_bound(v, dyn) for v in value)


def _slice_check(shape, begin, size):
    rank = len(shape)
    if len(begin) != rank or len(size) != rank:
        raise ValueError(f"Expected begin and size arguments to be 1-D tensors of size "
                         f"{rank}, but got shapes [{len(begin)}] and [{len(size)}] instead.")
    out = []
    for i, (d, b, s) in enumerate(zip(shape, begin, size)):
        if d is None:
            out.append(None if s == -1 else s)
            continue
        if s == -1:
            s = d - b
        if not 0 <= b <= d:
            raise ValueError(f"Expected begin[{i}] in [0, {d}], but got {b}")
        if not 0 <= s <= d - b:
            raise ValueError(f"Expected size[{i}] in [0, {d - b}], but got {s}")
        out.append(s)
    return out


def _slice_rule(x, *dyn, begin, size):
    if dyn:
        if hasattr(dyn[0], "_value"):      # explaining an eager/run-time failure
            begin, size = _run_dims(dyn[0]._value), _run_dims(dyn[1]._value)
        elif size is None:
            n = x.shape.rank if begin is None else len(begin)
            return TensorShape(None if n is None else [None] * n), x.dtype
        else:   # TF: known sizes give dims; -1 is unknown when begin or size is dynamic
            return TensorShape([s if s is not None and s >= 0 else None
                                for s in size]), x.dtype
    if x.shape.rank is None:
        return TensorShape([None if s == -1 else s for s in size]), x.dtype
    return TensorShape(_slice_check(list(x.shape), begin, size)), x.dtype


@op("Slice", infer=_slice_rule)
def Slice(xp, x, *dyn, begin, size):
    """``dyn``: (begin, size) as 1-D tensors when they are known only at run time."""
    if dyn:
        begin, size = _run_dims(dyn[0]), _run_dims(dyn[1])
    try:
        sizes = _slice_check(x.shape, begin, size)
    except ValueError as e:
        raise _invalid(str(e)) from None
    return x[tuple(slice(b, b + s) for b, s in zip(begin, sizes))]


@Slice.gradient
def _slice_op_grad(op, dy):
    if len(op.inputs) > 1:
        return execute(SliceGrad, (dy, op.inputs[0], op.inputs[1])), None, None
    key = tuple(("s", b, None if s == -1 else b + s, None)
                for b, s in zip(op.attrs["begin"], op.attrs["size"]))
    return execute(StridedSliceGrad, (dy, op.inputs[0]), {"key": key})


@op("SliceGrad", infer=lambda dy, x, begin: (x.shape, dy.dtype))
def SliceGrad(xp, dy, x, begin):
    """Zeros shaped like ``x`` with ``dy`` written at ``begin`` (a run-time Slice's
    gradient)."""
    out = xp.zeros(x.shape, dtype=dy.dtype)
    out[tuple(slice(b, b + n) for b, n in zip(_run_dims(begin), dy.shape))] = dy
    return out


@SliceGrad.gradient
def _slice_grad_grad(op, ddx):
    like = op.inputs[0]
    size = shape(like) if _ctx().graph is not None else constant(like.shape.as_list())
    return execute(Slice, (ddx, op.inputs[2], size), {"begin": None, "size": None}), \
        None, None


def slice_(input_, begin, size, name=None):
    """Extracts ``size`` elements starting at ``begin``; size -1 takes the rest
    (``tf.slice``; named ``slice_`` so the module keeps the builtin)."""
    try:
        attrs = {"begin": _int_list(begin), "size": _int_list(size)}
    except _NotStatic:       # graphs: bounds known only at run time are tensor inputs
        (b_part, b), (s_part, s) = _shape_tensor(begin), _shape_tensor(size)
        if b.dtype is not s.dtype:
            b, s = cast(b, dtypes.int64), cast(s, dtypes.int64)
        return execute(Slice, (to_tensor(input_), b, s), {"begin": b_part, "size": s_part},
                       name=name)
    return execute(Slice, (to_tensor(input_),), attrs, name=name)


_BAD_INDEX = ("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) and "
              "scalar tf.int32/tf.int64 tensors are valid indices, got ")


def _index_int(k):
    """An index entry as a Python int, or None when it is not an integer index."""
    if isinstance(k, (int, np.integer)):
        return int(k)
    if isinstance(k, EagerTensor):
        if k.dtype in (dtypes.int32, dtypes.int64) and k._value.ndim == 0:
            return int(k._numpy())
        return None
    if hasattr(k, "_read") and hasattr(k, "dtype"):   # a Variable
        if k.dtype in (dtypes.int32, dtypes.int64) and k.shape.rank == 0:
            return int(k.numpy())
        return None
    if isinstance(k, _TensorBase) and k.dtype in (dtypes.int32, dtypes.int64) \
            and k.shape.rank == 0:
        # A graph tensor: slice specs are static in tinytf, so its value must fold.
        return int(_static_value(k))
    return None


def _slice_bound(v, dyn):
    if v is None:
        return None
    try:
        i = _index_int(v)
    except ValueError:          # a graph tensor whose value is known only at run time
        dyn.append(v)
        return ("t", len(dyn) - 1)
    if i is None:
        raise TypeError(_BAD_INDEX + repr(v))
    return i


def _encode_index(key, dyn):
    if not isinstance(key, tuple):
        key = tuple(key) if isinstance(key, list) else (key,)
    enc = []
    for k in key:
        if k is None:
            enc.append(("n",))
        elif k is Ellipsis:
            enc.append(("e",))
        elif type(k) is slice:
            enc.append(("s", _slice_bound(k.start, dyn), _slice_bound(k.stop, dyn),
                        _slice_bound(k.step, dyn)))
        else:
            i = _slice_bound(k, dyn)
            enc.append(("i", i))
    return tuple(enc)


def _getitem(tensor, slice_spec):
    """``tensor[slice_spec]`` with TF's semantics (a StridedSlice op)."""
    if type(slice_spec) is int:               # fast path: iteration, x[i]
        return execute(StridedSlice, (tensor,), {"key": (("i", slice_spec),)},
                       name="strided_slice/")
    if isinstance(slice_spec, (bool, np.bool_)) or (
            isinstance(slice_spec, (EagerTensor, np.ndarray)) and slice_spec.dtype in (
                dtypes.bool, np.bool_)):
        return boolean_mask(tensor, slice_spec)
    if hasattr(slice_spec, "dtype") and not isinstance(slice_spec, (np.ndarray, np.generic)) \
            and slice_spec.dtype is dtypes.bool:
        return boolean_mask(tensor, slice_spec)
    dyn = []
    key = _encode_index(slice_spec, dyn)
    if dyn:
        from tinytf.ops.array_ops import cast as _cast
        dyn = [d if d.dtype is dtypes.int32 else _cast(d, dtypes.int32) for d in dyn]
    return execute(StridedSlice, (tensor,) + tuple(dyn), {"key": key}, name="strided_slice/")


_TensorBase._override_operator("__getitem__", _getitem)


# ======================================================================================
# Gather and scatter: gather, gather_nd, scatter_nd, tensor_scatter_nd_*, where,
# boolean_mask, searchsorted, repeat
# ======================================================================================

def _fmt_pos(shape, flat_pos):
    return ",".join(str(int(i)) for i in np.unravel_index(int(flat_pos), shape)) \
        if len(shape) else ""


def _gather_rule(params, indices, *, axis, batch_dims):
    if params.shape.rank is None or indices.shape.rank is None:
        return TensorShape(None), params.dtype
    if params.shape.rank < axis + 1:
        raise ValueError(f"Shape must be at least rank {axis + 1} but is rank "
                         f"{params.shape.rank}")
    p, i = list(params.shape), list(indices.shape)
    return TensorShape(p[:axis] + i[batch_dims:] + p[axis + 1:]), params.dtype


def _gather_perm(batch_dims, axis, n_idx):
    """Order that takes [B, I, mid, rest] (fancy-indexing order) to [B, mid, I, rest]."""
    b, n_mid = batch_dims, axis - batch_dims
    B = list(range(b))
    Idx = list(range(b, b + n_idx))
    mid = list(range(b + n_idx, b + n_idx + n_mid))
    return B + mid + Idx


def _batch_index(xp, shape, batch_dims, ndim):
    """Broadcastable aranges over the leading ``batch_dims`` dims (for fancy indexing)."""
    out = []
    for k in range(batch_dims):
        s = [1] * ndim
        s[k] = shape[k]
        out.append(xp.arange(shape[k]).reshape(s))
    return tuple(out)


def _check_gather_indices(xp, indices, n):
    if indices.size:
        bad = (indices < 0) | (indices >= n)
        if bool(bad.any()):
            pos = int(xp.argmax(bad.reshape(-1)))
            val = int(indices.reshape(-1)[pos])
            raise _invalid(f"indices[{_fmt_pos(indices.shape, pos)}] = {val} is not in "
                           f"[0, {n})")


@op("GatherV2", infer=_gather_rule)
def GatherV2(xp, params, indices, *, axis, batch_dims):
    if params.ndim < axis + 1:
        raise _invalid(f"Shape must be at least rank {axis + 1} but is rank {params.ndim}")
    _check_gather_indices(xp, indices, params.shape[axis])
    if batch_dims == 0:
        return xp.take(params, indices, axis=axis)
    if params.shape[:batch_dims] != indices.shape[:batch_dims]:
        raise _invalid(f"params.shape[:{batch_dims}] should match indices.shape"
                       f"[:{batch_dims}], but got {_fmt_shape(params.shape)} vs "
                       f"{_fmt_shape(indices.shape)}")
    p = xp.moveaxis(params, axis, batch_dims)
    idx = _batch_index(xp, indices.shape, batch_dims, indices.ndim) + (indices,)
    g = p[idx]
    perm = _gather_perm(batch_dims, axis, indices.ndim - batch_dims)
    return xp.transpose(g, perm + list(range(len(perm), g.ndim)))


@GatherV2.gradient
def _gather_grad(op, dy):
    params, indices = op.inputs
    return execute(GatherGrad, (dy, indices, params), op.attrs), None


@op("GatherGrad", infer=lambda dy, indices, params, **a: (params.shape, dy.dtype))
def GatherGrad(xp, dy, indices, params, *, axis, batch_dims):
    """Dense gradient of GatherV2: ``dy`` scatter-added into zeros shaped like ``params``."""
    out = xp.zeros(params.shape, dtype=dy.dtype)
    if batch_dims == 0:
        _scatter_add(xp, out, (slice(None),) * axis + (indices,), dy)
        return out
    perm = _gather_perm(batch_dims, axis, indices.ndim - batch_dims)
    perm = perm + list(range(len(perm), dy.ndim))
    d = xp.transpose(dy, list(np.argsort(perm)))
    target = xp.moveaxis(out, axis, batch_dims)          # a view: writes reach ``out``
    idx = _batch_index(xp, indices.shape, batch_dims, indices.ndim) + (indices,)
    _scatter_add(xp, target, idx, d)
    return out


@GatherGrad.gradient
def _gather_grad_grad(op, ddx):
    return execute(GatherV2, (ddx, op.inputs[1]), op.attrs), None, None


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Gathers slices of ``params`` along ``axis`` at ``indices`` (``tf.gather``).

    Unlike TF, whose gradient for ``params`` is an ``IndexedSlices``, the gradient here is
    a dense tensor (a scatter-add of the upstream gradient into zeros).
    """
    params = to_tensor(params)
    indices = to_tensor(indices)
    _check_attr_type("GatherV2", "Tindices", indices, _INDEX_TYPES)
    batch_dims = _int_scalar(batch_dims)
    axis = batch_dims if axis is None else _int_scalar(axis)
    prank, irank = params.shape.rank, indices.shape.rank
    if irank is not None and batch_dims < 0:
        batch_dims += irank
    if prank is not None and axis < 0:
        axis += prank
    if irank is not None and batch_dims > irank:
        raise ValueError(f"batch_dims ({batch_dims}) must be less than or equal to rank"
                         f"(indices) ({irank}).")
    if batch_dims > axis:
        raise ValueError(f"batch_dims ({batch_dims}) must be less than or equal to axis "
                         f"({axis}).")
    return execute(GatherV2, (params, indices), {"axis": axis, "batch_dims": batch_dims},
                   name=name)


def _nd_index(xp, indices, batch_dims, base_shape):
    """Fancy-index tuple for gather_nd/scatter_nd (batch aranges + index columns)."""
    K = indices.shape[-1]
    lead = indices.ndim - 1
    idx = _batch_index(xp, indices.shape, batch_dims, lead)
    return idx + tuple(indices[..., k] for k in range(K))


def _check_nd_indices(xp, indices, shape, what, node=""):
    """TF's 'indices[i] = [..] does not index into ...' check (one vectorized pass)."""
    K = indices.shape[-1]
    if indices.size == 0 or K == 0:
        return
    limit = xp.asarray(shape[:K]).reshape((1,) * (indices.ndim - 1) + (K,))
    bad = ((indices < 0) | (indices >= limit)).any(axis=-1)
    if bool(bad.any()):
        pos = int(xp.argmax(bad.reshape(-1)))
        row = indices.reshape(-1, K)[pos]
        vals = ", ".join(str(int(v)) for v in row)
        raise _invalid(f"indices[{_fmt_pos(bad.shape, pos)}] = [{vals}] does not index into "
                       f"{what} {_fmt_shape(shape)}{node}")


def _gather_nd_rule(params, indices, *, batch_dims):
    if params.shape.rank is None or indices.shape.rank is None:
        return TensorShape(None), params.dtype
    K = indices.shape[-1]
    if K is None:
        return TensorShape(None), params.dtype
    if K > params.shape.rank - batch_dims:
        raise ValueError(f"index innermost dimension length must be <= params rank; saw: "
                         f"{K} vs. {params.shape.rank}")
    i = list(indices.shape)
    return TensorShape(i[:-1] + list(params.shape)[batch_dims + K:]), params.dtype


@op("GatherNd", infer=_gather_nd_rule)
def GatherNd(xp, params, indices, *, batch_dims):
    K = indices.shape[-1]
    if K > params.ndim - batch_dims:
        raise _invalid(f"index innermost dimension length must be <= params rank; saw: {K} "
                       f"vs. {params.ndim}")
    if K == 0:
        return xp.broadcast_to(params, indices.shape[:-1] + params.shape).copy()
    if batch_dims:
        sub = params.shape[batch_dims:]
        _check_nd_indices(xp, indices, sub, "param shape", ", node name: GatherNd")
    else:
        _check_nd_indices(xp, indices, params.shape, "param shape", ", node name: GatherNd")
    return params[_nd_index(xp, indices, batch_dims, params.shape)]


@GatherNd.gradient
def _gather_nd_grad(op, dy):
    params, indices = op.inputs
    return execute(GatherNdGrad, (dy, indices, params), op.attrs), None


@op("GatherNdGrad", infer=lambda dy, indices, params, **a: (params.shape, dy.dtype))
def GatherNdGrad(xp, dy, indices, params, *, batch_dims):
    """Dense gradient of GatherNd: ``dy`` scatter-added into zeros shaped like ``params``."""
    out = xp.zeros(params.shape, dtype=dy.dtype)
    if indices.shape[-1] == 0:
        return dy.reshape((-1,) + params.shape).sum(axis=0).astype(dy.dtype, copy=False)
    _scatter_add(xp, out, _nd_index(xp, indices, batch_dims, params.shape), dy)
    return out


@GatherNdGrad.gradient
def _gather_nd_grad_grad(op, ddx):
    return execute(GatherNd, (ddx, op.inputs[1]), op.attrs), None, None


def gather_nd(params, indices, batch_dims=0, name=None):
    """Gathers slices of ``params`` addressed by the last axis of ``indices``
    (``tf.gather_nd``); the ``params`` gradient is dense, as for ``gather``."""
    params = to_tensor(params)
    indices = to_tensor(indices)
    _check_attr_type("GatherNd", "Tindices", indices, _INDEX_TYPES)
    return execute(GatherNd, (params, indices), {"batch_dims": _int_scalar(batch_dims)},
                   name=name)


def _check_scatter_shapes(ishape, ushape, shape, tensor_name="shape"):
    """TF's checks that indices/updates/output shapes agree (ValueError with its message).

    ``tensor_name`` is "shape" for ScatterNd and "params" for the TensorScatter ops, whose
    kernels word their messages differently.
    """
    ishape, ushape, shape = list(ishape), list(ushape), list(shape)
    if not ishape:
        raise ValueError(f"Indices shape must have rank at least one. Indices shape: "
                         f"{_fmt_shape(ishape)}")
    K = ishape[-1]
    if K is None:
        return
    batch = len(ishape) - 1
    inner = (f"Inner dimensions of output shape must match inner dimensions of updates "
             f"shape. Output: {_fmt_shape(shape)} updates: {_fmt_shape(ushape)}")
    outer = (f"Outer dimensions of indices and update must match. Indices shape: "
             f"{_fmt_shape(ishape)}, updates shape:{_fmt_shape(ushape)}")
    if tensor_name == "shape":
        inner = (f"Dimensions [{min(K, len(shape))},{len(shape)}) of input[shape="
                 f"{_fmt_shape(shape)}] must match dimensions [{batch},{len(ushape)}) of "
                 f"updates[shape={_fmt_shape(ushape)}]")
        outer = (f"Dimensions [0,{batch}) of indices[shape={_fmt_shape(ishape)}] must match "
                 f"dimensions [0,{batch}) of updates[shape={_fmt_shape(ushape)}]")
    if len(ushape) < batch:
        raise ValueError(outer)
    if len(shape) < K + (len(ushape) - batch) or len(ushape) != batch + len(shape) - K:
        raise ValueError(inner)
    for a, b in zip(ishape[:batch], ushape[:batch]):
        if a is not None and b is not None and a != b:
            raise ValueError(outer)
    for a, b in zip(shape[K:], ushape[batch:]):
        if a is not None and b is not None and a != b:
            raise ValueError(inner)


def _scatter_nd_rule(indices, updates, *, shape):
    if indices.shape.rank is not None and updates.shape.rank is not None:
        _check_scatter_shapes(indices.shape, updates.shape, shape)
    return TensorShape(list(shape)), updates.dtype


@op("ScatterNd", infer=_scatter_nd_rule)
def ScatterNd(xp, indices, updates, *, shape):
    try:
        _check_scatter_shapes(indices.shape, updates.shape, shape)
    except ValueError as e:
        raise _invalid(str(e)) from None
    _check_nd_indices(xp, indices, tuple(shape), "shape")
    out = xp.zeros(shape, dtype=updates.dtype)
    _scatter_add(xp, out, _nd_index(xp, indices, 0, shape), updates)
    return out


@ScatterNd.gradient
def _scatter_nd_grad(op, dy):
    return None, execute(GatherNd, (dy, op.inputs[0]), {"batch_dims": 0})


def scatter_nd(indices, updates, shape, name=None):
    """Scatters ``updates`` into zeros of ``shape`` at ``indices``; duplicates add up
    (``tf.scatter_nd``)."""
    indices = to_tensor(indices)
    _check_attr_type("ScatterNd", "Tindices", indices, _INDEX_TYPES)
    return execute(ScatterNd, (indices, to_tensor(updates)), {"shape": _shape_attr(shape)},
                   name=name)


def _tensor_scatter_rule(tensor, indices, updates):
    if None not in (tensor.shape.rank, indices.shape.rank, updates.shape.rank):
        _check_scatter_shapes(indices.shape, updates.shape, tensor.shape, "params")
    return tensor.shape, tensor.dtype


def _tensor_scatter_kernel(mode):
    def kernel(xp, tensor, indices, updates):
        try:
            _check_scatter_shapes(indices.shape, updates.shape, tensor.shape, "params")
        except ValueError as e:
            raise _invalid(str(e)) from None
        _check_nd_indices(xp, indices, tensor.shape, "shape")
        out = tensor.copy()
        idx = _nd_index(xp, indices, 0, tensor.shape)
        if mode == "update":
            out[idx] = updates
        elif mode == "add":
            _scatter_add(xp, out, idx, updates)
        elif mode == "sub":
            _scatter_add(xp, out, idx, -updates)
        elif mode == "max":
            shims(xp).scatter_max(out, idx, updates)
        else:
            shims(xp).scatter_min(out, idx, updates)
        return out
    return kernel


TensorScatterUpdate = op("TensorScatterUpdate", infer=_tensor_scatter_rule)(
    _tensor_scatter_kernel("update"))
TensorScatterAdd = op("TensorScatterAdd", infer=_tensor_scatter_rule)(
    _tensor_scatter_kernel("add"))
TensorScatterSub = op("TensorScatterSub", infer=_tensor_scatter_rule)(
    _tensor_scatter_kernel("sub"))
TensorScatterMax = op("TensorScatterMax", infer=_tensor_scatter_rule)(
    _tensor_scatter_kernel("max"))
TensorScatterMin = op("TensorScatterMin", infer=_tensor_scatter_rule)(
    _tensor_scatter_kernel("min"))


def _gnd(x, indices):
    return execute(GatherNd, (x, indices), {"batch_dims": 0})


@TensorScatterUpdate.gradient
def _tensor_scatter_update_grad(op, dy):
    tensor, indices, updates = op.inputs
    return (execute(TensorScatterUpdate, (dy, indices, zeros_like_tensor(updates))),
            None, _gnd(dy, indices))


@TensorScatterAdd.gradient
def _tensor_scatter_add_grad(op, dy):
    return dy, None, _gnd(dy, op.inputs[1])


@TensorScatterSub.gradient
def _tensor_scatter_sub_grad(op, dy):
    return dy, None, -_gnd(dy, op.inputs[1])


def _tensor_scatter_minmax_grad(op, dy):
    # Ties share the gradient equally, as in TF.
    from tinytf.ops.math_ops import equal
    x, indices, y = op.inputs
    out = op.outputs[0]
    x_ind = cast(equal(x, out), dy.dtype)
    y_ind = cast(equal(y, _gnd(out, indices)), dy.dtype)
    ys_ind = execute(TensorScatterAdd, (zeros_like_tensor(x_ind), indices, y_ind))
    ind = x_ind + ys_ind
    return dy * x_ind / ind, None, _gnd(dy / ind, indices) * y_ind


TensorScatterMax.gradient(_tensor_scatter_minmax_grad)
TensorScatterMin.gradient(_tensor_scatter_minmax_grad)


def _tensor_scatter(opdef):
    def fn(tensor, indices, updates, name=None):
        tensor = to_tensor(tensor)
        indices = to_tensor(indices)
        _check_attr_type(opdef.name, "Tindices", indices, _INDEX_TYPES)
        updates = convert_to_tensor(updates, dtype_hint=tensor.dtype)
        _dtype_list_check(opdef.name, [tensor, updates])
        return execute(opdef, (tensor, indices, updates), name=name)
    return fn


tensor_scatter_nd_update = _tensor_scatter(TensorScatterUpdate)
tensor_scatter_nd_update.__doc__ = ("Copy of ``tensor`` with ``updates`` written at "
                                    "``indices`` (``tf.tensor_scatter_nd_update``).")
tensor_scatter_nd_add = _tensor_scatter(TensorScatterAdd)
tensor_scatter_nd_add.__doc__ = ("Copy of ``tensor`` with ``updates`` added at ``indices`` "
                                 "(``tf.tensor_scatter_nd_add``).")
tensor_scatter_nd_sub = _tensor_scatter(TensorScatterSub)
tensor_scatter_nd_sub.__doc__ = ("Copy of ``tensor`` with ``updates`` subtracted at "
                                 "``indices`` (``tf.tensor_scatter_nd_sub``).")
tensor_scatter_nd_max = _tensor_scatter(TensorScatterMax)
tensor_scatter_nd_max.__doc__ = ("Element-wise maximum of ``tensor`` and ``updates`` at "
                                 "``indices`` (``tf.tensor_scatter_nd_max``).")
tensor_scatter_nd_min = _tensor_scatter(TensorScatterMin)
tensor_scatter_nd_min.__doc__ = ("Element-wise minimum of ``tensor`` and ``updates`` at "
                                 "``indices`` (``tf.tensor_scatter_nd_min``).")


# -- where / select ----------------------------------------------------------------------

@op("Where", infer=lambda cond: (TensorShape([None, cond.shape.rank]), dtypes.int64))
def Where(xp, cond):
    return xp.argwhere(cond).astype(np.int64, copy=False)


not_differentiable(Where)


def _select_rule(cond, x, y):
    from tinytf.ops.shape_rules import broadcast_shapes
    try:
        return broadcast_shapes(broadcast_shapes(cond.shape, x.shape), y.shape), x.dtype
    except ValueError:
        raise ValueError(f"condition {_fmt_shape(cond.shape)}, then {_fmt_shape(x.shape)}, "
                         f"and else {_fmt_shape(y.shape)} must be broadcastable") from None


@op("SelectV2", infer=_select_rule)
def SelectV2(xp, cond, x, y):
    try:
        return xp.where(cond, x, y)
    except ValueError:
        raise _invalid(f"condition {_fmt_shape(cond.shape)}, then {_fmt_shape(x.shape)}, "
                       f"and else {_fmt_shape(y.shape)} must be broadcastable") from None


@SelectV2.gradient
def _select_grad(op, dy):
    cond = op.inputs[0]
    zeros = zeros_like_tensor(dy)
    return (None, execute(SelectV2, (cond, dy, zeros)), execute(SelectV2, (cond, zeros, dy)))


def where(condition, x=None, y=None, name=None):
    """With one argument, the int64 coordinates of true elements; with three, ``x`` where
    ``condition`` holds and ``y`` elsewhere, broadcasting all three (``tf.where``)."""
    if x is None and y is None:
        return execute(Where, (to_tensor(condition),), name=name)
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")
    cond = condition if isinstance(condition, EagerTensor) else \
        convert_to_tensor(condition, dtype=dtypes.bool)
    if cond.dtype is not dtypes.bool:
        _check_attr_type("SelectV2", "T", cond, (dtypes.bool,))
    if isinstance(y, _TensorBase) and not isinstance(x, _TensorBase):
        y = to_tensor(y)
        x = convert_to_tensor(x, dtype_hint=y.dtype)
    else:
        x, y = _conv_list([x, y])
    _dtype_list_check("SelectV2", [x, y])
    return execute(SelectV2, (cond, x, y), name=name)


def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The elements (or slices along ``axis``) of ``tensor`` where ``mask`` is true
    (``tf.boolean_mask``); a reshape, ``where`` and ``gather``, as in TF."""
    tensor = to_tensor(tensor)
    mask = to_tensor(mask)
    nm = mask.shape.rank
    if nm == 0:
        raise ValueError("mask cannot be scalar.")
    if nm is None:
        raise ValueError("Number of mask dimensions must be specified, even if some "
                         "dimensions are None.  E.g. shape=[None] is ok, but shape=None is "
                         "not.")
    axis = 0 if axis is None else _int_scalar(axis)
    rank = tensor.shape.rank
    if axis < 0:
        axis += rank
    part = tensor.shape[axis:axis + nm]
    if not part.is_compatible_with(mask.shape):
        raise ValueError(f"Shapes {part} and {mask.shape} are incompatible")
    dims = list(tensor.shape)
    lead, rest = dims[:axis], dims[axis + nm:]
    merged = np.prod(part.as_list()) if part.is_fully_defined() else -1
    flat = reshape(tensor, [d if d is not None else -1 for d in lead] + [int(merged)] +
                   [d if d is not None else -1 for d in rest]) if nm != 1 else tensor
    idx = execute(Where, (reshape(mask, [-1]),))
    idx = execute(Squeeze, (idx,), {"axis": (1,)})
    return gather(flat, idx, axis=axis, name=name)


# -- searchsorted, repeat -----------------------------------------------------------------

def _bound_kernel(side):
    def kernel(xp, seq, values, *, out_type):
        if seq.ndim == 1 and values.ndim == 1:
            return xp.searchsorted(seq, values, side=side).astype(out_type._np)
        # as TF: both become matrices (rows = the product of the leading dims) that must
        # have as many rows, and the result takes the shape of ``values``
        s2 = seq.reshape(-1, seq.shape[-1])
        v2 = values.reshape(-1, values.shape[-1]) if values.ndim else values.reshape(1, 1)
        if s2.shape[0] != v2.shape[0]:
            raise _invalid("Leading dim_size of both tensors must match.")
        cmp = s2[:, None, :] < v2[:, :, None] if side == "left" else \
            s2[:, None, :] <= v2[:, :, None]
        return cmp.sum(axis=-1).astype(out_type._np).reshape(values.shape)
    return kernel


def _bound_rule(seq, values, *, out_type):
    return values.shape, out_type


LowerBound = op("LowerBound", infer=_bound_rule)(_bound_kernel("left"))
UpperBound = op("UpperBound", infer=_bound_rule)(_bound_kernel("right"))
not_differentiable(LowerBound, UpperBound)


def searchsorted(sorted_sequence, values, side="left", out_type=dtypes.int32, name=None):
    """Where ``values`` would be inserted in each row of ``sorted_sequence`` to keep it
    sorted (``tf.searchsorted``)."""
    if side not in ("left", "right"):
        raise ValueError(f"Argument `side` must be either 'right' or 'left'. Received: "
                         f"`side` = '{side}'.")
    seq = to_tensor(sorted_sequence)
    values = convert_to_tensor(values, dtype_hint=seq.dtype)
    _dtype_list_check("LowerBound" if side == "left" else "UpperBound", [seq, values])
    return execute(LowerBound if side == "left" else UpperBound, (seq, values),
                   {"out_type": dtypes.as_dtype(out_type)}, name=name)


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """Repeats each element (or slice along ``axis``) ``repeats`` times (``tf.repeat``);
    a gather with repeated indices, so its gradient sums the copies."""
    x = to_tensor(input)
    if axis is None:
        x = reshape(x, [-1])
        axis = 0
    axis = _int_scalar(axis)
    if axis < 0:
        axis += x.shape.rank
    n = x.shape[axis]
    reps = np.asarray(repeats.numpy() if hasattr(repeats, "numpy") else repeats)
    if reps.ndim == 0 or reps.size == 1:
        reps = np.full(n, int(reps.reshape(())) if reps.ndim == 0 else int(reps[0]))
    elif reps.size != n:
        raise ValueError(f"Dimensions {n} and {reps.size} are not compatible")
    if (reps < 0).any():
        raise ValueError("repeats must be non-negative")
    idx = np.repeat(np.arange(n, dtype=np.int32), reps.astype(np.int64))
    return gather(x, _place(idx), axis=axis, name=name)
