"""Graphs: ``Graph`` (a list of ``Operation``s in creation order), ``SymbolicTensor`` and
``FuncGraph`` (the graph a ``tf.function`` / cond branch / loop body is traced into).

While a graph is current (``_ctx().graph``), ``execute`` calls ``Graph.create_op``, which
runs the op's shape rule to make symbolic outputs. Inputs may be symbolic tensors of this
graph, eager tensors (baked in as ``Const`` ops), Variables (kept by reference: plans read
their live value) or, in a nested FuncGraph, tensors of an enclosing graph (captured as
placeholders that the enclosing op feeds).
"""

import contextlib
import re

import numpy as np

from tinytf.framework import dtypes, errors
from tinytf.framework.context import _ctx, _own
from tinytf.framework.execute import _record
from tinytf.framework.registry import op as _register_op
from tinytf.framework.shape import TensorShape
from tinytf.framework.tensor import EagerTensor, Tensor, wrap

# TF's default node names for ops whose Python wrappers open a lower-case name scope.
_DEFAULT_NAMES = {"AddV2": "add", "Sub": "sub", "Mul": "mul", "RealDiv": "truediv",
                  "FloorDiv": "floordiv", "FloorMod": "mod", "Pow": "pow",
                  "Less": "Less", "Greater": "Greater"}

_BOOL_MSG = ("Using a symbolic `tf.Tensor` as a Python `bool` is not allowed. You can "
             "attempt the following resolutions to the problem: If you are running in Graph "
             "mode, use Eager execution mode or decorate this function with @tf.function. "
             "Data-dependent Python control flow is not converted (no AutoGraph): use "
             "tf.cond or tf.while_loop instead.")
_ITER_MSG = ("Iterating over a symbolic `tf.Tensor` is not allowed. You can attempt the "
             "following resolutions to the problem: If you are running in Graph mode, use "
             "Eager execution mode or decorate this function with @tf.function. "
             "Data-dependent Python loops are not converted (no AutoGraph): use "
             "tf.while_loop (or tf.unstack for a known length) instead.")


def _cpu0():
    from tinytf.framework.device import CPU0
    return CPU0


def _is_variable(x):
    return hasattr(x, "_read") and not isinstance(x, Tensor)


# -- placeholders and constants as ops ---------------------------------------------------

def _placeholder_rule(*, dtype, shape, **attrs):
    return shape, dtype


@_register_op("Placeholder", infer=_placeholder_rule)
def Placeholder(xp, *, dtype, shape, node_name=""):
    dims = "" if shape.rank is None else \
        " and shape [" + ",".join("?" if d is None else str(d) for d in shape) + "]"
    raise errors.InvalidArgumentError(
        None, None, f"You must feed a value for placeholder tensor '{node_name}' with dtype "
        f"{_TF_TYPE_NAMES.get(dtype.name, dtype.name)}{dims}\n\t [[{{{{node {node_name}}}}}]]")


_TF_TYPE_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


@_register_op("PlaceholderWithDefault", infer=lambda x, *, shape, **a: (shape, x.dtype))
def PlaceholderWithDefault(xp, x, *, shape):
    return x


@_register_op("Const", infer=lambda *, value, dtype: (TensorShape._known(value.shape), dtype))
def Const(xp, *, value, dtype):
    return value


@_register_op("NoOp", infer=lambda **a: [], num_outputs=0)
def NoOp(xp):
    return ()


@PlaceholderWithDefault.gradient
def _pwd_grad(op, dy):
    return dy


Placeholder.nondiff = True
Const.nondiff = True
NoOp.nondiff = True


# -- tensors and operations ----------------------------------------------------------------

class SymbolicTensor(Tensor):
    """A tensor of a graph: the ``value_index``-th output of ``op`` (``tf.Tensor`` in graphs)."""

    __slots__ = ("_op", "_value_index", "_shape", "_dtype")

    def __init__(self, op, value_index, shape, dtype):
        self._op = op
        self._value_index = value_index
        self._shape = shape
        self._dtype = dtype

    @property
    def op(self):
        return self._op

    @property
    def graph(self):
        return self._op.graph

    @property
    def value_index(self):
        return self._value_index

    @property
    def name(self):
        return f"{self._op.name}:{self._value_index}"

    @property
    def dtype(self):
        return self._dtype

    @property
    def shape(self):
        return self._shape

    @property
    def device(self):
        return self._op.device

    def get_shape(self):
        return self._shape

    def set_shape(self, shape):
        """Refines the static shape (TF's ``set_shape``); ValueError when incompatible."""
        shape = TensorShape(shape)
        if not self._shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self._shape} is not compatible with supplied "
                             f"shape {shape}.")
        self._shape = self._shape.merge_with(shape)

    def consumers(self):
        return [o for o in self._op.graph._ops if any(t is self for t in o.inputs)]

    def eval(self, feed_dict=None, session=None):
        """Runs the graph up to this tensor in ``session`` (default: the default session)."""
        from tinytf.graph.session import _session_for
        return _session_for(session, self).run(self, feed_dict)

    def __hash__(self):
        # TF: graph tensors of TF1 graphs are hashable (feed_dict keys); inside functions not.
        if self._op.graph._building_function:
            raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")
        return id(self)

    def __bool__(self):
        raise errors.OperatorNotAllowedInGraphError(_BOOL_MSG)

    def __iter__(self):
        raise errors.OperatorNotAllowedInGraphError(_ITER_MSG)

    def __len__(self):
        raise TypeError(f"len is not well defined for a symbolic Tensor ({self.name}). Please "
                        "call `x.shape` rather than `len(x)` for shape information.")

    def __index__(self):
        raise TypeError(f"Only integer scalar tensors with a known value can be used as an "
                        f"index; {self.name} is symbolic.")

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self._dtype.name}>"

    def __str__(self):
        return f'Tensor("{self.name}", shape={self._shape}, dtype={self._dtype.name})'

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __format__(self, spec):
        return format(str(self), spec)


class Operation:
    """A node of a graph: ``type`` (the op's name in the registry), ``inputs``, ``outputs``,
    ``attrs`` and ``control_inputs`` (``tf.Operation``)."""

    __slots__ = ("graph", "name", "op_def", "inputs", "attrs", "outputs", "control_inputs",
                 "device", "_index", "__weakref__")

    def __init__(self, graph, name, op_def, inputs, attrs, control_inputs, device):
        self.graph = graph
        self.name = name
        self.op_def = op_def
        self.inputs = inputs
        self.attrs = attrs
        self.outputs = ()
        self.control_inputs = control_inputs
        self.device = device
        self._index = len(graph._ops)

    @property
    def type(self):
        return self.op_def.name

    def get_attr(self, name):
        try:
            return self.attrs[name]
        except KeyError:
            raise ValueError(f"Operation '{self.name}' has no attr named '{name}'.") from None

    def values(self):
        return tuple(self.outputs)

    @property
    def node_def(self):
        """A readable NodeDef-like dump: name, op, inputs and attrs."""
        lines = [f'name: "{self.name}"', f'op: "{self.type}"']
        for t in self.inputs:
            lines.append(f'input: "{_input_name(t)}"')
        for c in self.control_inputs:
            lines.append(f'input: "^{c.name}"')
        for k, v in self.attrs.items():
            lines.append(f"attr {{ key: \"{k}\" value: {_attr_text(v)} }}")
        return "\n".join(lines) + "\n"

    def run(self, feed_dict=None, session=None):
        from tinytf.graph.session import _session_for
        _session_for(session, self).run(self, feed_dict)

    def __repr__(self):
        return f"<tf.Operation '{self.name}' type={self.type}>"

    def __str__(self):
        return self.node_def


def _input_name(t):
    if _is_variable(t):
        return t.name.rsplit(":", 1)[0]
    name = t.name
    return name[:-2] if name.endswith(":0") else name


def _attr_text(v):
    if isinstance(v, np.ndarray):
        return f"tensor<{dtypes.as_dtype(v.dtype).name}{list(v.shape)}>"
    if _is_variable(v):
        return f"resource<{v.name}>"
    if isinstance(v, dtypes.DType):
        return f"DT_{v.name.upper()}"
    return repr(v)


# -- graphs ----------------------------------------------------------------------------------

class Graph:
    """A TensorFlow computation as a dataflow graph (``tf.Graph``)."""

    _lift_variables = False   # TF1 graphs initialise variables by running initializer ops
    _building_function = False

    def __init__(self):
        self._ops = []
        self._by_name = {}
        self._names_in_use = {}
        self._name_stack = ""
        self._control_stack = []      # lists of control inputs (tf.control_dependencies)
        self._const_cache = {}        # id(EagerTensor) -> (tensor, symbolic Const output)
        self._collections = {}
        self._finalized = False
        self.seed = None
        self._version = 0             # bumps on every new op (plans cache by it)
        self.outer_graph = None

    # -- building --------------------------------------------------------------------------
    def as_default(self):
        """Returns a context manager that makes this graph the default (current) graph."""
        return _as_default(self)

    def unique_name(self, name, mark_as_used=True):
        """``name`` made unique in this graph (add, add_1, ...) under the name scope."""
        if self._name_stack:
            name = f"{self._name_stack}/{name}"
        key = name.lower()
        i = self._names_in_use.get(key, 0)
        if mark_as_used:
            self._names_in_use[key] = i + 1
        if i > 0:
            base = key
            while key in self._names_in_use:
                key = f"{base}_{i}"
                i += 1
            if mark_as_used:
                self._names_in_use[key] = 1
            name = f"{name}_{i - 1}"
        return name

    def get_name_scope(self):
        return self._name_stack

    def create_op(self, op_def, inputs, attrs, name=None):
        """Adds an operation; returns its output (or a tuple, or the op when it has none)."""
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        ins = []
        for t in inputs:
            ty = type(t)
            if ty is SymbolicTensor:
                if t._op.graph is not self:
                    t = self._capture(t)
            elif ty is EagerTensor:
                t = self._capture_eager(t)
            elif _is_variable(t):
                if op_def is _READ_OP and self._capture_variable_reads:
                    return self._capture(self.outer_graph.create_op(op_def, (t,), attrs))
            elif isinstance(t, Tensor):
                t = self._capture(t)
            else:
                raise TypeError(f"Expected a tensor as input of '{op_def.name}', got {t!r}")
            ins.append(t)
        ins = tuple(ins)
        if op_def.infer is not None:
            try:
                specs = op_def.infer(*ins, **attrs)
            except errors.OpError as e:
                raise ValueError(f"{e.message} for '{{{{node {name or op_def.name}}}}} = "
                                 f"{op_def.name}[]' with input shapes: "
                                 f"{', '.join(str(_shape_of(t)) for t in ins)}.") from None
        else:
            specs = _infer_by_running(op_def, ins, attrs)
        return self._add_op(op_def, ins, attrs, name, specs)

    def _add_op(self, op_def, ins, attrs, name, specs):
        if name is None or name == "":
            name = _DEFAULT_NAMES.get(op_def.name, op_def.name)
        elif name.endswith("/"):
            name = name[:-1]
        name = self.unique_name(_clean(name))
        control = []
        for deps in self._control_stack:
            control.extend(deps)
        op = Operation(self, name, op_def, ins, attrs, tuple(control), _ctx().device_name)
        single = not isinstance(specs, list)
        if single:
            specs = [specs]
        outs = tuple(SymbolicTensor(op, i, TensorShape(s), dtypes.as_dtype(d))
                     for i, (s, d) in enumerate(specs))
        op.outputs = outs
        self._ops.append(op)
        self._by_name[name] = op
        self._version += 1
        if not outs:
            return op
        result = outs[0] if single and op_def.num_outputs == 1 else outs
        tapes = _ctx().tapes
        if tapes and not op_def.nondiff:
            _record(tapes, op_def, ins, attrs, result)
        return result

    _capture_variable_reads = False

    def _capture_eager(self, t):
        hit = self._const_cache.get(id(t))
        if hit is not None:
            return hit[1]
        value = t._value
        if t._device.xp is not np:
            value = value   # kept on its device; plans run where the caller runs
        out = self._add_op(Const, (), {"value": value, "dtype": t.dtype}, "Const",
                           (TensorShape._known(value.shape), t.dtype))
        self._const_cache[id(t)] = (t, out)
        return out

    def _capture(self, t):
        raise ValueError(f"{t} must be from the same graph as Tensors of {self!r}.")

    # -- variables (TF1: initialised by running their initializer op) ----------------------
    def _variable_created(self, var):
        """A Variable was created eagerly while this graph was current: make it a v1
        variable of this graph (no value until its initializer runs)."""
        value = var._value
        init = wrap(value, var._device)
        var._value = None
        self._adopt_variable(var, init, var._name)

    def _init_variable_symbolic(self, var, initial_value, trainable, name, dtype, shape,
                                constraint):
        from tinytf.ops.variables import VariableAggregation, VariableSynchronization
        from tinytf.framework.device import CPU0
        if dtype is not None and initial_value.dtype is not dtype:
            from tinytf.ops.array_ops import cast
            initial_value = cast(initial_value, dtype)
        var._value = None
        var._device = _ctx().device or CPU0
        var._dtype = initial_value.dtype
        var._shape = initial_value.shape if shape is None else TensorShape(shape)
        var._trainable = True if trainable is None else bool(trainable)
        var._constraint = constraint
        var.synchronization = VariableSynchronization.AUTO
        var.aggregation = VariableAggregation.NONE
        self._adopt_variable(var, initial_value, name)

    def _adopt_variable(self, var, init, name):
        base = "Variable" if name is None else str(name)
        if base.endswith(":0"):
            base = base[:-2]
        vname = self.unique_name(_clean(base))
        var._name = vname + ":0"
        saved = self._name_stack
        self._name_stack = vname
        try:
            if type(init) is EagerTensor:
                init = self._add_op(Const, (), {"value": init._value, "dtype": init.dtype},
                                    "Initializer/initial_value",
                                    (TensorShape._known(init._value.shape), init.dtype))
            saved_ctrl, self._control_stack = self._control_stack, []
            var.initializer = self.create_op(_ASSIGN_OP, (init,), {"var": var},
                                             "Assign")._op
            self._control_stack = saved_ctrl
        finally:
            self._name_stack = saved
        var._initializer_value = init
        var._graph = self
        self.add_to_collection("variables", var)
        if var._trainable:
            self.add_to_collection("trainable_variables", var)

    # -- lookups ---------------------------------------------------------------------------
    def get_operations(self):
        return list(self._ops)

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings (or similar), not "
                            f"{type(name).__name__}.")
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"The name '{name}' refers to an Operation not in the graph.") \
                from None

    def get_tensor_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Tensor names are strings (or similar), not "
                            f"{type(name).__name__}.")
        return self.as_graph_element(name, allow_tensor=True, allow_operation=False)

    def as_graph_element(self, obj, allow_tensor=True, allow_operation=True):
        if isinstance(obj, str):
            if ":" in obj:
                op_name, idx = obj.rsplit(":", 1)
                op = self._by_name.get(op_name)
                if op is None:
                    raise KeyError(f"The name '{obj}' refers to a Tensor which does not exist."
                                   f" The operation, '{op_name}', does not exist in the graph.")
                i = int(idx)
                if i >= len(op.outputs):
                    raise KeyError(f"The name '{obj}' refers to a Tensor which does not exist."
                                   f" The operation, '{op_name}', exists but only has "
                                   f"{len(op.outputs)} outputs.")
                return op.outputs[i]
            op = self._by_name.get(obj)
            if op is None:
                raise KeyError(f"The name '{obj}' refers to an Operation not in the graph.")
            if not allow_operation:
                raise ValueError(f"The name '{obj}' appears to refer to an Operation, not a "
                                 "Tensor. Tensor names must be of the form "
                                 '"<op_name>:<output_index>".')
            return op
        return obj

    def get_all_collection_keys(self):
        return list(self._collections)

    def get_collection(self, name, scope=None):
        items = list(self._collections.get(name, ()))
        if scope is not None:
            items = [i for i in items if getattr(i, "name", "").startswith(scope)]
        return items

    def get_collection_ref(self, name):
        return self._collections.setdefault(name, [])

    def add_to_collection(self, name, value):
        self._collections.setdefault(name, []).append(value)

    def finalize(self):
        self._finalized = True

    @property
    def finalized(self):
        return self._finalized

    @property
    def version(self):
        return self._version

    def name_scope(self, name):
        return name_scope_v1(name) if _ctx().graph is self else _graph_scope(self, name)

    def control_dependencies(self, control_inputs):
        return _control_deps(self, control_inputs)

    def as_graph_def(self):
        """A readable dump of every node (TF's GraphDef text, simplified)."""
        return "\n".join("node {\n  " + o.node_def.strip().replace("\n", "\n  ") + "\n}"
                         for o in self._ops)

    def __repr__(self):
        return f"<tinytf.Graph object at {id(self):#x}>"


def _clean(name):
    return re.sub(r"[^A-Za-z0-9_.\-/>]", "_", name)


def _shape_of(t):
    s = t.shape
    if s.rank is None:
        return "?"
    return "[" + ",".join("?" if d is None else str(d) for d in s) + "]"


def _infer_by_running(op_def, ins, attrs):
    """An op with no shape rule: run its kernel on zeros when all input shapes are known."""
    arrays = []
    for t in ins:
        s = t.shape
        if not s.is_fully_defined():
            return [] if op_def.num_outputs == 0 else (
                (TensorShape(None), ins[0].dtype) if op_def.num_outputs == 1 else
                [(TensorShape(None), ins[0].dtype)] * op_def.num_outputs)
        arrays.append(np.zeros(s.as_list(), dtype=t.dtype._np))
    out = op_def.kernel(np, *arrays, **attrs)
    if op_def.num_outputs == 1:
        return TensorShape._known(np.shape(out)), dtypes.as_dtype(np.asarray(out).dtype)
    return [(TensorShape._known(np.shape(o)), dtypes.as_dtype(np.asarray(o).dtype))
            for o in out]


from tinytf.ops.variables import AssignVariableOp as _ASSIGN_OP  # noqa: E402
from tinytf.ops.variables import ReadVariableOp as _READ_OP  # noqa: E402
from tinytf.ops.variables import Variable as _Variable  # noqa: E402


def _graph_init_hook(var, initial_value, trainable, name, dtype, shape, constraint):
    _ctx().graph._init_variable_symbolic(var, initial_value, trainable, name, dtype, shape,
                                       constraint)


_Variable._in_graph_init_hook = staticmethod(_graph_init_hook)


class FuncGraph(Graph):
    """The graph of a traced function, a cond branch or a loop body.

    ``inputs`` are its placeholders (arguments first, then captures of tensors of
    ``outer_graph``); ``captures`` lists (outer tensor, inner placeholder) pairs.
    """

    _lift_variables = True
    _building_function = True

    def __init__(self, name, outer_graph=None, capture_variable_reads=False):
        super().__init__()
        self.name = name
        self.outer_graph = outer_graph
        self.inputs = []
        self.outputs = []
        self.structured_outputs = None
        self.captures = []
        self._capture_map = {}
        self.variables = []              # variables created while tracing
        self._capture_variable_reads = capture_variable_reads
        if outer_graph is not None:
            self.seed = outer_graph.seed

    def _variable_created(self, var):
        self.variables.append(var)

    def _init_variable_symbolic(self, var, initial_value, trainable, name, dtype, shape,
                                constraint):
        """Variables are lifted out of functions: compute the initial value now."""
        from tinytf.graph.plan import compile_plan, needed_ops
        ops = needed_ops(self, [initial_value._op], set())
        try:
            value = compile_plan(self, [], [initial_value]).run([])[0]
        except errors.InvalidArgumentError:
            raise ValueError("tf.function only supports singleton tf.Variables created on "
                             "the first call, with initial values that do not depend on the "
                             "function's arguments. Make sure the tf.Variable is only created "
                             "once or created outside tf.function. See https://www.tensorflow"
                             ".org/guide/function#creating_tfvariables for more information.") \
                from None
        ids = {id(o) for o in ops}
        used_elsewhere = any(id(x._op) in ids for o in self._ops if id(o) not in ids
                             for x in o.inputs if type(x) is SymbolicTensor)
        if not used_elsewhere:
            self._ops = [o for o in self._ops if id(o) not in ids]
        _Variable.__init__(var, wrap(value, _ctx().device or _cpu0()),
                           trainable=trainable, name=name, dtype=dtype, shape=shape,
                           constraint=constraint)

    def placeholder(self, dtype, shape, name=None):
        name = self.unique_name(_clean(name or "Placeholder"), mark_as_used=False)
        t = self._add_op(Placeholder, (), {"dtype": dtype, "shape": TensorShape(shape),
                                           "node_name": name}, name, (shape, dtype))
        t._op.attrs["node_name"] = t._op.name
        self.inputs.append(t)
        return t

    def _capture(self, t):
        hit = self._capture_map.get(id(t))
        if hit is not None:
            return hit[1]
        outer = self.outer_graph
        if outer is None or type(t) is not SymbolicTensor:
            raise ValueError(f"{t} must be from the same graph as Tensors of {self.name} "
                             f"(graphs are {getattr(t, 'graph', None)!r} and {self!r}).")
        src = t
        if t._op.graph is not outer:
            src = outer._capture(t)     # raises unless an enclosing graph owns t
        inner = self.placeholder(t.dtype, t.shape, name=t._op.name.rsplit("/", 1)[-1])
        self.captures.append((src, inner))
        self._capture_map[id(t)] = (t, inner)
        return inner

    def __repr__(self):
        return f"<FuncGraph {self.name!r} at {id(self):#x}>"


# -- default graph, name scopes, control dependencies -----------------------------------------

_default_graph = [None]   # the process-wide TF1 default graph (built lazily)


def get_default_graph():
    """The graph ops are added to: the innermost ``as_default`` one, else the global one."""
    g = _ctx().graph
    if g is not None:
        return g
    if _ctx().graph_stack:
        return _ctx().graph_stack[-1]
    if _default_graph[0] is None:
        _default_graph[0] = Graph()
    return _default_graph[0]


def reset_default_graph():
    """Clears the default graph stack and resets the global default graph."""
    if _ctx().graph_stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If "
                             "you need a cleared graph, exit the nesting and create a new "
                             "graph.")
    from tinytf.framework.context import _global
    _default_graph[0] = Graph()
    if not _global["eager"]:
        _own().graph = _default_graph[0]


@contextlib.contextmanager
def _as_default(graph):
    ctx = _own()
    prev = ctx.graph
    ctx.graph_stack.append(graph)
    ctx.graph = graph
    try:
        yield graph
    finally:
        ctx.graph_stack.pop()
        ctx.graph = prev


@contextlib.contextmanager
def building(graph):
    """Makes ``graph`` current for building, with its own (empty) tape stack."""
    ctx = _own()
    prev_graph, prev_tapes, prev_dev = ctx.graph, ctx.tapes, ctx.device
    ctx.graph = graph
    ctx.tapes = []
    try:
        yield graph
    finally:
        ctx.graph = prev_graph
        ctx.tapes = prev_tapes
        ctx.device = prev_dev


class name_scope:  # noqa: N801 - TF's name
    """A context manager for use when defining a Python op (``tf.name_scope``)."""

    def __init__(self, name):
        if not isinstance(name, str) and name is not None:
            raise ValueError(f"name for name_scope must be a string, got {name!r}")
        self._name = name

    @property
    def name(self):
        return self._name

    def __enter__(self):
        g = _ctx().graph
        if g is None:
            self._prev = _ctx().name_scope
            n = self._name or ""
            scope = n if n.endswith("/") or not n else (
                f"{self._prev}{n}/")
            _own().name_scope = scope
            return scope
        self._graph = g
        self._prev = g._name_stack
        return _enter_graph_scope(g, self._name)

    def __exit__(self, *exc):
        if hasattr(self, "_graph"):
            self._graph._name_stack = self._prev
        else:
            _own().name_scope = self._prev
        return False


def _enter_graph_scope(g, name):
    if not name:
        g._name_stack = ""
        return ""
    if name.endswith("/"):
        g._name_stack = name[:-1]
        return name
    scope = g.unique_name(_clean(name))
    g._name_stack = scope
    return scope + "/"


class name_scope_v1(name_scope):  # noqa: N801
    """``tf.compat.v1.name_scope(name, default_name=None, values=None)``."""

    def __init__(self, name, default_name=None, values=None):
        super().__init__(name if name is not None else default_name)


@contextlib.contextmanager
def _graph_scope(g, name):
    prev = g._name_stack
    try:
        yield _enter_graph_scope(g, name)
    finally:
        g._name_stack = prev


@contextlib.contextmanager
def _control_deps(g, control_inputs):
    if control_inputs is None:
        saved, g._control_stack = g._control_stack, []
        try:
            yield
        finally:
            g._control_stack = saved
        return
    ops = []
    for c in control_inputs:
        if isinstance(c, Operation):
            ops.append(c)
        elif isinstance(c, SymbolicTensor):
            ops.append(c._op)
        elif _is_variable(c):
            continue
        elif isinstance(c, EagerTensor) or c is None:
            continue
        elif callable(c):
            ops.append(c())
        else:
            raise TypeError(f"Can not convert a {type(c).__name__} into a Tensor or "
                            "Operation.")
    g._control_stack.append(ops)
    try:
        yield
    finally:
        g._control_stack.pop()


# -- constant folding -------------------------------------------------------------------------

def constant_value(t):
    """The NumPy value of ``t`` when it is known while building (eager tensors, Const ops and
    simple ops on them); None otherwise. Op wrappers use it for shape/axis arguments."""
    if isinstance(t, EagerTensor):
        return t._numpy()
    if type(t) is not SymbolicTensor:
        if isinstance(t, (list, tuple)):
            vals = [constant_value(x) if isinstance(x, Tensor) else x for x in t]
            if any(v is None for v in vals):
                return None
            return np.array(vals)
        return None
    op = t._op
    typ = op.op_def.name
    if typ == "Const":
        v = op.attrs["value"]
        return v if isinstance(v, np.ndarray) else np.asarray(v)
    if typ == "Shape":
        s = op.inputs[0].shape
        if s.is_fully_defined():
            return np.array(s.as_list(), dtype=op.attrs["out_type"]._np)
        return None
    if typ == "StridedSlice" and len(op.inputs) == 1 and \
            type(op.inputs[0]) is SymbolicTensor and \
            op.inputs[0]._op.op_def.name in _SHAPE_LIKE:
        # A slice of a partially known shape (``tf.shape(x)[1]`` with x [None, 784]) folds
        # when the elements it takes are known, as TF's shape inference does.
        part = _partial_vector(op.inputs[0])
        if part is not None and None in part:
            from tinytf.ops.array_ops import _np_key
            try:
                got = np.array(part, dtype=object)[_np_key(op.attrs["key"])]
            except Exception:  # noqa: BLE001 - not foldable: say unknown
                return None
            if any(v is None for v in np.ravel(got)):
                return None
            got = got.tolist() if isinstance(got, np.ndarray) else got
            return np.asarray(got, dtype=op.inputs[0].dtype._np)
    if typ in ("Identity", "StopGradient", "Cast", "Pack", "ConcatV2", "StridedSlice",
               "AddV2", "Sub", "Mul", "Neg", "Reshape", "ExpandDims", "Squeeze", "Prod",
               "Size", "Rank", "Fill") and not op.op_def.stateful:
        if typ == "Rank":
            r = op.inputs[0].shape.rank
            return None if r is None else np.array(r, dtype=np.int32)
        if typ == "Size":
            n = op.inputs[0].shape.num_elements()
            return None if n is None else np.array(n, dtype=op.attrs.get(
                "out_type", dtypes.int32)._np)
        vals = []
        for x in op.inputs:
            v = constant_value(x)
            if v is None:
                return None
            vals.append(v)
        try:
            out = op.op_def.kernel(np, *vals, **op.attrs)
        except Exception:  # noqa: BLE001 - not foldable: say unknown
            return None
        if isinstance(out, tuple):
            out = out[t._value_index]
        return np.asarray(out)
    return None


_SHAPE_LIKE = frozenset(("Shape", "Pack", "ConcatV2", "StridedSlice", "Cast", "Identity",
                         "StopGradient"))


def _partial_vector(t):
    """What is known of the 1-D integer tensor ``t`` while building: a list of ints and
    Nones (one per element), or None when its length is unknown. Follows TF's partial
    shape evaluation: Shape of a partially known tensor, Pack of scalars, ConcatV2 along 0,
    static slices of these, Cast and Identity."""
    v = constant_value(t)
    if v is not None:
        v = np.asarray(v)
        return [int(d) for d in v.reshape(-1)] if v.ndim == 1 else None
    if type(t) is not SymbolicTensor:
        return None
    op = t._op
    typ = op.op_def.name
    if typ == "Shape":
        s = op.inputs[0].shape
        return None if s.rank is None else list(s.as_list())
    if typ in ("Identity", "StopGradient", "Cast"):
        return _partial_vector(op.inputs[0])
    if typ == "Pack" and op.attrs.get("axis", 0) == 0:
        out = []
        for x in op.inputs:
            if x.shape.rank != 0:
                return None
            c = constant_value(x)
            out.append(None if c is None else int(c))
        return out
    if typ == "ConcatV2" and op.attrs.get("axis") in (0, -1):
        out = []
        for x in op.inputs:
            p = _partial_vector(x)
            if p is None:
                return None
            out.extend(p)
        return out
    if typ == "StridedSlice" and len(op.inputs) == 1 and \
            type(op.inputs[0]) is SymbolicTensor and \
            op.inputs[0]._op.op_def.name in _SHAPE_LIKE:
        p = _partial_vector(op.inputs[0])
        if p is not None:
            from tinytf.ops.array_ops import _np_key
            try:
                got = np.array(p, dtype=object)[_np_key(op.attrs["key"])]
            except Exception:  # noqa: BLE001 - not foldable: say unknown
                got = None
            if got is not None and np.ndim(got) == 1:
                return list(got)
    n = t.shape.as_list()[0] if t.shape.rank == 1 else None
    return None if n is None else [None] * n


def constant_value_as_shape(t):
    """The shape that the 1-D integer tensor ``t`` describes, as far as it is known while
    building (TF's ``constant_value_as_shape``): ``tf.stack([tf.shape(x)[0], 10])`` gives
    ``[None, 10]``; -1 entries count as unknown."""
    if getattr(t, "shape", None) is not None and t.shape.rank == 0:
        c = constant_value(t)
        return TensorShape(None) if c is None or int(c) == -1 else TensorShape([int(c)])
    p = _partial_vector(t)
    if p is None:
        return TensorShape(None)
    return TensorShape([None if d is None or d < 0 else d for d in p])
