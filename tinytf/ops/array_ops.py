"""Creation, shape and layout ops (TF's ``array_ops``): constant, reshape, cast, ..."""

import numpy as np

from tinytf.framework import dtypes
from tinytf.framework.context import _ctx
from tinytf.framework.device import CPU0
from tinytf.framework.execute import execute
from tinytf.framework.registry import not_differentiable, op
from tinytf.framework.shape import TensorShape
from tinytf.framework.tensor import EagerTensor
from tinytf.framework.tensor_conversion import _place, _to_array, convert_to_tensor
from tinytf.ops._convert import to_tensor
from tinytf.ops.shape_rules import same_as_input


# -- constants -------------------------------------------------------------------------

def constant(value, dtype=None, shape=None, name="Const"):
    """Creates a constant tensor from a tensor-like object (``tf.constant``).

    >>> tinytf.constant([1, 2])  # <tf.Tensor: shape=(2,), dtype=int32, numpy=array([1, 2], ...)>
    """
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
    if dtype is dtypes.string:
        raise TypeError("Cast to string is not supported")
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
    x = to_tensor(x) if not isinstance(x, (int, float)) else constant(x)
    if x.dtype is dtype:
        return x
    return execute(Cast, (x,), {"dtype": dtype}, name=name)


def _reshape_rule(x, *, shape):
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


@op("Reshape", infer=_reshape_rule)
def Reshape(xp, x, *, shape):
    return xp.reshape(x, shape)


@Reshape.gradient
def _reshape_grad(op, dy):
    return reshape_like(dy, op.inputs[0])


def _shape_arg(shape):
    """A shape argument (list, tuple, TensorShape, tensor) as a tuple of Python ints."""
    if isinstance(shape, EagerTensor):
        return tuple(int(d) for d in shape._numpy().reshape(-1))
    if isinstance(shape, TensorShape):
        return tuple(shape.as_list())
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(d) if not isinstance(d, EagerTensor) else int(d) for d in shape)


def reshape(tensor, shape, name=None):
    """Reshapes a tensor; one dimension may be -1 (``tf.reshape``)."""
    return execute(Reshape, (to_tensor(tensor),), {"shape": _shape_arg(shape)}, name=name)


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
    if _ctx.graph is None:
        return EagerTensor(np.asarray(x.shape.as_list(), dtype=dtypes.as_dtype(out_type)._np),
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
