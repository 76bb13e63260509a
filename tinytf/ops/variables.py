"""``tf.Variable`` and its state ops (ReadVariableOp, AssignVariableOp, AssignAdd/Sub).

A Variable holds an array on a device (``_value``, ``_device``), so ``execute`` can take
it as the input of ``ReadVariableOp`` directly: the tape sees the variable itself as the
source, and a graph sees it as a by-reference capture. Assignments replace ``_value`` with
a new array, so tensors read earlier keep their values (TF's snapshot semantics).
"""

import sys

from tinytf.framework import dtypes, errors
from tinytf.framework.context import _ctx, _own
from tinytf.framework.device import CPU0, _Unsatisfiable
from tinytf.framework.execute import copy_to, execute
from tinytf.framework.registry import not_differentiable, op
from tinytf.framework.shape import TensorShape
from tinytf.framework.tensor import EagerTensor, Tensor, wrap
from tinytf.framework.tensor_conversion import (convert_to_tensor,
                                                register_tensor_conversion_function)
from tinytf.framework.printing import numpy_text


@op("ReadVariableOp", infer=lambda v: (v.shape, v.dtype))
def ReadVariableOp(xp, value):
    return value


@ReadVariableOp.gradient
def _read_variable_grad(op, dy):
    return dy


def _assign_rule(value, *, var):
    return var.shape, var.dtype


@op("AssignVariableOp", infer=_assign_rule, stateful=True)
def AssignVariableOp(xp, value, *, var):
    var._value = value
    return value


@op("AssignAddVariableOp", infer=_assign_rule, stateful=True)
def AssignAddVariableOp(xp, value, *, var):
    old = var._value
    if _private(xp, old, value):
        return xp.add(old, value, out=old)
    var._value = new = old + value
    return new


@op("AssignSubVariableOp", infer=_assign_rule, stateful=True)
def AssignSubVariableOp(xp, value, *, var):
    old = var._value
    if _private(xp, old, value):
        return xp.subtract(old, value, out=old)
    var._value = new = old - value
    return new


def _private(xp, old, value):
    """True when nothing but the variable can see its array, so an update may be made in
    place (an optimizer step then allocates nothing). Any tensor read earlier, a tape entry,
    a view or a caller's array keeps a reference, and then the update copies as usual, which
    keeps TF's snapshot semantics. The count 4 is: the variable, the kernel's ``old``, this
    function's argument, and getrefcount's own."""
    return (type(old) is xp.ndarray and sys.getrefcount(old) <= 4 and old.base is None
            and old.shape == value.shape and old.dtype == value.dtype)


not_differentiable(AssignVariableOp, AssignAddVariableOp, AssignSubVariableOp)


class VariableSynchronization:
    AUTO = 0
    NONE = 1
    ON_WRITE = 2
    ON_READ = 3


class VariableAggregation:
    NONE = 0
    SUM = 1
    MEAN = 2
    ONLY_FIRST_REPLICA = 3


class Variable:
    """A mutable tensor-like value that persists across calls (``tf.Variable``)."""

    _in_graph_init_hook = None   # set by the graph layer: v1 variables register here
    _tf_tensor_like = True       # tf.is_tensor(v) is True, as in TF
    _created = 0                 # creation counter: tapes list watched variables in this order

    def __init__(self, initial_value=None, trainable=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None,
                 import_scope=None, constraint=None,
                 synchronization=VariableSynchronization.AUTO,
                 aggregation=VariableAggregation.NONE, shape=None,
                 experimental_enable_variable_lifting=True):
        self._uid = Variable._created = Variable._created + 1
        if initial_value is None:
            raise ValueError("The `initial_value` arg to `tf.Variable` must be specified "
                             "except when you are not providing a `variable_def`. You "
                             "provided neither.")
        if constraint is not None and not callable(constraint):
            raise ValueError(f"Argument `constraint` must be None or a callable. a callable. "
                             f"Got a {type(constraint)}:  {constraint}")
        if callable(initial_value):
            initial_value = initial_value()
        if dtype is not None:
            dtype = dtypes.as_dtype(dtype)
        if isinstance(initial_value, Variable):
            initial_value = initial_value.read_value()
        if _ctx().graph is not None and isinstance(initial_value, Tensor) \
                and not isinstance(initial_value, EagerTensor):
            self._init_symbolic(initial_value, trainable, name, dtype, shape, constraint)
            return
        device = _ctx().device or CPU0
        if type(device) is _Unsatisfiable:
            raise errors.op_error(errors.InvalidArgumentError, device.message, "VarHandleOp",
                                  f"{'Variable' if name is None else name}/")
        if isinstance(initial_value, EagerTensor):
            t = initial_value
            if dtype is not None and t.dtype is not dtype:
                raise ValueError(f"initial_value: Tensor conversion requested dtype "
                                 f"{dtype.name} for Tensor with dtype {t.dtype.name}: {t!r}")
            value = copy_to(t, device)._value if t._device is not device else t._value
        else:
            with _EagerScope():
                t = convert_to_tensor(initial_value, dtype=dtype)
            value = copy_to(t, device)._value
        self._value = value
        self._device = device
        self._dtype = dtypes._BY_NP[value.dtype]
        self._shape = TensorShape._known(value.shape) if shape is None else TensorShape(shape)
        if shape is not None and validate_shape and not self._shape.is_compatible_with(
                value.shape):
            raise ValueError(f"In this `tf.Variable` creation, the initial value's shape "
                             f"({TensorShape(value.shape)}) is not compatible with the "
                             f"explicitly supplied `shape` argument ({list(self._shape)}).")
        self._trainable = True if trainable is None else bool(trainable)
        if synchronization == VariableSynchronization.ON_READ and trainable:
            raise ValueError("Synchronization value can be set to "
                             "VariableSynchronization.ON_READ only for non-trainable variables.")
        self._name = _full_name(name)
        self._constraint = constraint
        self._initializer_value = None
        self.synchronization = synchronization
        self.aggregation = aggregation
        if _ctx().graph is not None:          # created while building: the graph may adopt it
            _ctx().graph._variable_created(self)

    def _init_symbolic(self, initial_value, trainable, name, dtype, shape, constraint):
        """A variable created while building a TF1 graph: initialised by its initializer op."""
        hook = Variable._in_graph_init_hook
        if hook is None:
            raise ValueError("tf.Variable with a symbolic initial value needs a graph that "
                             "supports variable initializers")
        hook(self, initial_value, trainable, name, dtype, shape, constraint)

    # -- reading -----------------------------------------------------------------------
    def _read(self):
        ctx = _ctx()
        if ctx.tapes and self._trainable:
            for tape in ctx.tapes:
                if tape._watch_accessed:
                    tape._watch_variable(self)
        return execute(ReadVariableOp, (self,))

    def read_value(self):
        """The current value, as a tensor (a snapshot: later assigns do not change it)."""
        return self._read()

    def value(self):
        return self._read()

    def numpy(self):
        if self._value is None:
            raise errors.FailedPreconditionError(
                None, None, f"Could not find variable {self._name[:-2]}. This could mean that "
                "the variable has been deleted or was never initialized.")
        v = self._device.to_host(self._value)
        return v[()] if v.ndim == 0 else v

    def __array__(self, dtype=None, copy=None):
        v = self._device.to_host(self._value)
        return v.astype(dtype) if dtype is not None else v

    # -- writing -----------------------------------------------------------------------
    def _prepare(self, value, check_shape):
        if isinstance(value, Variable):
            value = value._read()
        # TF converts the value with the variable's dtype: tensors of another dtype raise
        # ValueError, Python values TypeError, NumPy arrays are cast.
        t = convert_to_tensor(value, dtype=self._dtype)
        if check_shape:
            if not self._shape.is_compatible_with(t.shape):
                raise ValueError(f"Cannot assign value to variable ' {self._name}': Shape "
                                 f"mismatch.The variable shape {self._shape}, and the assigned"
                                 f" value shape {t.shape} are incompatible.")
        elif op_shape_mismatch(self, t):
            name = "AssignAddVariableOp" if check_shape is None else "AssignSubVariableOp"
            raise errors.op_error(
                errors.InvalidArgumentError,
                f"Cannot update variable with shape {_dbg(self._shape)} using a Tensor "
                f"with shape {_dbg(t.shape)}, shapes must be equal.", name)
        if isinstance(t, EagerTensor) and t._device is not self._device:
            t = copy_to(t, self._device)
        return t

    def _after_write(self, out, read_value):
        if _ctx().graph is not None:
            return out
        return _unread(self) if read_value else None

    def assign(self, value, use_locking=None, name=None, read_value=True):
        """Assigns a new value to the variable (shape and dtype must agree with it)."""
        t = self._prepare(value, True)
        return self._after_write(execute(AssignVariableOp, (t,), {"var": self}, name=name),
                                 read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        """Adds a value to this variable."""
        t = self._prepare(delta, None)
        return self._after_write(execute(AssignAddVariableOp, (t,), {"var": self}, name=name),
                                 read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        """Subtracts a value from this variable."""
        t = self._prepare(delta, False)
        return self._after_write(execute(AssignSubVariableOp, (t,), {"var": self}, name=name),
                                 read_value)

    def _scatter(self, sparse_delta, fn_name, name):
        from tinytf.ops import array_ops
        indices = array_ops.expand_dims(convert_to_tensor(sparse_delta.indices), -1)
        fn = getattr(array_ops, fn_name)
        return self.assign(fn(self._read(), indices, sparse_delta.values), name=name)

    def scatter_update(self, sparse_delta, use_locking=False, name=None):
        """Sets the rows ``sparse_delta.indices`` to ``sparse_delta.values``."""
        return self._scatter(sparse_delta, "tensor_scatter_nd_update", name)

    def scatter_add(self, sparse_delta, use_locking=False, name=None):
        return self._scatter(sparse_delta, "tensor_scatter_nd_add", name)

    def scatter_sub(self, sparse_delta, use_locking=False, name=None):
        return self._scatter(sparse_delta, "tensor_scatter_nd_sub", name)

    def scatter_max(self, sparse_delta, use_locking=False, name=None):
        return self._scatter(sparse_delta, "tensor_scatter_nd_max", name)

    def scatter_min(self, sparse_delta, use_locking=False, name=None):
        return self._scatter(sparse_delta, "tensor_scatter_nd_min", name)

    def sparse_read(self, indices, name=None):
        """Gathers rows of the variable (``tf.gather(v, indices)``)."""
        from tinytf.ops.array_ops import gather
        return gather(self._read(), indices, name=name)

    def gather_nd(self, indices, name=None):
        from tinytf.ops.array_ops import gather_nd
        return gather_nd(self._read(), indices, name=name)

    def is_initialized(self, name=None):
        from tinytf.ops.array_ops import constant
        return constant(self._value is not None)

    def set_shape(self, shape):
        """Narrows the static shape (it must stay compatible)."""
        self._shape = self._shape.merge_with(shape)

    def initialized_value(self):
        return self._read()

    def eval(self, session=None):
        if session is None:
            return self.numpy()
        return session.run(self)

    def load(self, value, session=None):
        self.assign(value)

    # -- properties --------------------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return self._shape

    def get_shape(self):
        return self._shape

    @property
    def ndim(self):
        return self._shape.rank

    @property
    def trainable(self):
        return self._trainable

    @property
    def constraint(self):
        return self._constraint

    @property
    def device(self):
        return self._device.name

    @property
    def initial_value(self):
        if _ctx().graph is None and self._initializer_value is None:
            raise RuntimeError("This property is not supported when eager execution is "
                               "enabled.")
        return self._initializer_value

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    @property
    def op(self):
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    def ref(self):
        from tinytf.framework.tensor import Reference
        return Reference(self)

    def experimental_ref(self):
        return self.ref()

    # Make NumPy defer to our reflected operators (np_array + variable -> tensor).
    __array_priority__ = 100

    def __hash__(self):
        raise TypeError(f"Variable is unhashable. Instead, use variable.ref() as the key. "
                        f"(Variable: {self!r})")

    def __iter__(self):
        return iter(self._read())

    def __bool__(self):
        return bool(self._read())

    def __float__(self):
        return float(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __repr__(self):
        if _ctx().graph is not None or self._value is None:
            return (f"<tf.Variable '{self._repr_name()}' shape={self._shape} "
                    f"dtype={self._dtype.name}>")
        return (f"<tf.Variable '{self._repr_name()}' shape={self._shape} "
                f"dtype={self._dtype.name}, "
                f"numpy={numpy_text(self._device.to_host(self._value), is_repr=True)}>")

    __str__ = __repr__

    def _repr_name(self):
        return self._name

    def __format__(self, format_spec):
        if format_spec:
            raise TypeError("unsupported format string passed to Variable.__format__")
        return str(self)

    def __deepcopy__(self, memo):
        v = Variable(wrap(self._value.copy(), self._device), trainable=self._trainable,
                     name=self._name[:-2])
        return v

    def __reduce__(self):
        return _rebuild_variable, (self.numpy(), self._trainable, self._name[:-2])


def _rebuild_variable(value, trainable, name):
    return Variable(value, trainable=trainable, name=name)


class _UnreadVariable(Variable):
    """What ``assign*`` return in eager mode: the same variable (state shared), printed as
    TF prints it (``<tf.Variable 'UnreadVariable' ...>``)."""

    def _repr_name(self):
        return "UnreadVariable"


def _unread(var):
    u = object.__new__(_UnreadVariable)
    u.__dict__ = var.__dict__           # one shared state: reads and writes go to ``var``
    return u


def _dbg(shape):
    """TF's debug text of a shape: ``[2,3]``."""
    return "[" + ",".join("?" if d is None else str(d) for d in shape) + "]"


def op_shape_mismatch(var, t):
    return var._shape.is_fully_defined() and t.shape.is_fully_defined() and \
        var._shape != t.shape


def _full_name(name):
    return f"{'Variable' if name is None else name}:0"


class _EagerScope:
    """Initial values of Variables are computed eagerly even inside tf.function tracing."""

    def __enter__(self):
        self._g = _ctx().graph
        if self._g is not None and getattr(self._g, "_lift_variables", True):
            _own().graph = None

    def __exit__(self, *exc):
        _own().graph = self._g


# Binary operators whose tensor versions would read a Variable operand themselves (through
# binary_args); reading it here, in the same order, lets ``v1 * v2`` take their fast path.
_READS_OTHER = frozenset({"__add__", "__sub__", "__mul__", "__truediv__", "__floordiv__",
                          "__mod__", "__pow__", "__matmul__", "__lt__", "__le__", "__gt__",
                          "__ge__"})


def _forward_operator(name):
    if name in _READS_OTHER:
        def f(self, other):
            t = self._read()
            if type(other) is Variable:
                other = other._read()
            return getattr(t, name)(other)
    else:
        def f(self, *args):
            return getattr(self._read(), name)(*args)
    f.__name__ = name
    return f


for _name in Tensor.OVERLOADABLE_OPERATORS:
    setattr(Variable, _name, _forward_operator(_name))


def _convert_variable(v, dtype=None, name=None, as_ref=False):
    t = v._read()
    if dtype is not None and t.dtype is not dtype:
        raise ValueError(f"Incompatible type conversion requested to type {dtype.name} for "
                         f"`tf.Variable of type {v.dtype.name}. (Variable: {v!r})")
    return t


register_tensor_conversion_function(Variable, _convert_variable)

