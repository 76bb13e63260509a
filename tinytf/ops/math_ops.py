"""Element-wise math, reductions and matmul (TF's ``math_ops``), with their gradients."""

from tinytf.framework import dtypes
from tinytf.framework.execute import execute
from tinytf.framework.registry import op
from tinytf.framework.shape import TensorShape
from tinytf.framework.tensor import Tensor
from tinytf.ops._convert import binary_args, to_tensor
from tinytf.ops.array_ops import broadcast_like, reshape
from tinytf.ops.shape_rules import broadcast_binary, reduce_rule, reduced_shape, same_as_input


# -- binary arithmetic ------------------------------------------------------------------

@op("AddV2", infer=broadcast_binary)
def AddV2(xp, x, y):
    return xp.add(x, y)


@AddV2.gradient
def _add_grad(op, dz):
    return dz, dz                       # the engine sums each back to its input's shape


def add(x, y, name=None):
    """Returns x + y element-wise, with broadcasting (``tf.math.add``)."""
    x, y = binary_args("AddV2", x, y)
    return execute(AddV2, (x, y), name=name)


@op("Sub", infer=broadcast_binary)
def Sub(xp, x, y):
    return xp.subtract(x, y)


@Sub.gradient
def _sub_grad(op, dz):
    return dz, -dz


def subtract(x, y, name=None):
    """Returns x - y element-wise (``tf.math.subtract``)."""
    x, y = binary_args("Sub", x, y)
    return execute(Sub, (x, y), name=name)


@op("Mul", infer=broadcast_binary)
def Mul(xp, x, y):
    return xp.multiply(x, y)


@Mul.gradient
def _mul_grad(op, dz):
    x, y = op.inputs
    return dz * y, dz * x


def multiply(x, y, name=None):
    """Returns x * y element-wise (``tf.math.multiply``)."""
    x, y = binary_args("Mul", x, y)
    return execute(Mul, (x, y), name=name)


@op("RealDiv", infer=broadcast_binary)
def RealDiv(xp, x, y):
    return xp.true_divide(x, y)


@RealDiv.gradient
def _realdiv_grad(op, dz):
    x, y = op.inputs
    return dz / y, -dz * op.outputs[0] / y      # d(x/y)/dy = -x/y^2 = -z/y


def divide(x, y, name=None):
    """Computes Python style division of x by y (``tf.math.divide``)."""
    x, y = binary_args("RealDiv", x, y)
    if x.dtype.is_integer:
        from tinytf.ops.array_ops import cast
        f = dtypes.float64 if x.dtype.size >= 4 else dtypes.float32
        x, y = cast(x, f), cast(y, f)
    return execute(RealDiv, (x, y), name=name)


truediv = divide


@op("Neg", infer=same_as_input)
def Neg(xp, x):
    return xp.negative(x)


@Neg.gradient
def _neg_grad(op, dy):
    return -dy


def negative(x, name=None):
    """Computes numerical negative value element-wise (``tf.math.negative``)."""
    return execute(Neg, (to_tensor(x),), name=name)


@op("Exp", infer=same_as_input)
def Exp(xp, x):
    return xp.exp(x)


@Exp.gradient
def _exp_grad(op, dy):
    return dy * op.outputs[0]          # y = e^x: reuse the forward output


def exp(x, name=None):
    """Computes exponential of x element-wise, y = e^x (``tf.math.exp``)."""
    return execute(Exp, (to_tensor(x),), name=name)


# -- reductions -------------------------------------------------------------------------

def _axis_arg(axis):
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        axis = axis.numpy().tolist()
    if isinstance(axis, (list, tuple)):
        return tuple(int(a) for a in axis)
    return int(axis)


@op("Sum", infer=reduce_rule)
def Sum(xp, x, *, axis, keepdims):
    return xp.sum(x, axis=axis, keepdims=keepdims, dtype=x.dtype)


@Sum.gradient
def _sum_grad(op, dy):
    x = op.inputs[0]
    if not op.attrs["keepdims"]:
        dy = reshape(dy, reduced_shape(x.shape.as_list(), op.attrs["axis"]))
    return broadcast_like(dy, x)


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Computes the sum of elements across dimensions of a tensor (``tf.math.reduce_sum``)."""
    x = to_tensor(input_tensor)
    return execute(Sum, (x,), {"axis": _axis_arg(axis), "keepdims": bool(keepdims)},
                   name=name)


# -- matmul -----------------------------------------------------------------------------

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
        raise ValueError(f"Matrix size-incompatible: In[0]: {sa.as_list()}, In[1]: "
                         f"{sb.as_list()}")
    if a.dtype is not b.dtype:
        raise TypeError(f"Input 'b' of 'MatMul' Op has type {b.dtype.name} that does not match "
                        f"type {a.dtype.name} of argument 'a'.")
    from tinytf.ops.shape_rules import broadcast_shapes
    batch = broadcast_shapes(sa[:-2], sb[:-2])
    return batch.concatenate([m, n]), a.dtype


@op("MatMul", infer=_matmul_rule)
def MatMul(xp, a, b, *, transpose_a, transpose_b):
    if transpose_a:
        a = xp.swapaxes(a, -1, -2)
    if transpose_b:
        b = xp.swapaxes(b, -1, -2)
    return xp.matmul(a, b)


@MatMul.gradient
def _matmul_grad(op, dc):
    a, b = op.inputs
    ta, tb = op.attrs["transpose_a"], op.attrs["transpose_b"]
    if not ta and not tb:
        return matmul(dc, b, transpose_b=True), matmul(a, dc, transpose_a=True)
    if not ta and tb:
        return matmul(dc, b), matmul(dc, a, transpose_a=True)
    if ta and not tb:
        return matmul(b, dc, transpose_b=True), matmul(a, dc)
    return matmul(b, dc, transpose_a=True, transpose_b=True), \
        matmul(dc, a, transpose_a=True, transpose_b=True)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, grad_a=False,
           grad_b=False, name=None):
    """Multiplies matrix a by matrix b, producing a @ b (``tf.linalg.matmul``)."""
    a, b = binary_args("MatMul", a, b)
    if adjoint_a:
        a, transpose_a = _conj(a), True
    if adjoint_b:
        b, transpose_b = _conj(b), True
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


# -- operators on tensors ---------------------------------------------------------------

def _install_operators():
    T = Tensor
    T._override_operator("__add__", lambda x, y: add(x, y))
    T._override_operator("__radd__", lambda y, x: add(x, y))
    T._override_operator("__sub__", lambda x, y: subtract(x, y))
    T._override_operator("__rsub__", lambda y, x: subtract(x, y))
    T._override_operator("__mul__", lambda x, y: multiply(x, y))
    T._override_operator("__rmul__", lambda y, x: multiply(x, y))
    T._override_operator("__truediv__", lambda x, y: divide(x, y))
    T._override_operator("__rtruediv__", lambda y, x: divide(x, y))
    T._override_operator("__matmul__", lambda x, y: matmul(x, y))
    T._override_operator("__rmatmul__", lambda y, x: matmul(x, y))
    T._override_operator("__neg__", lambda x: negative(x))
    T._override_operator("__pos__", lambda x: x)


_install_operators()
