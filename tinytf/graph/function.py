"""``tf.function``: trace a Python function into a ``FuncGraph`` once per input signature,
then run its compiled plan on every call.

The per-call path for the common case (positional eager tensors, no tape, eager
context): build a key from the arrays' shapes and dtypes, one dict lookup, one plan run,
wrap the results. Everything else (Python values, nested structures, ``input_signature``,
``reduce_retracing``, calls under a tape or inside another graph) takes the general path.
"""

import functools
import inspect
import logging
import weakref

import numpy as np

from tinytf.framework.context import _ctx, _global
from tinytf.framework.device import CPU0
from tinytf.framework.tensor import EagerTensor, Tensor, wrap
from tinytf.framework.tensor_spec import TensorSpec
from tinytf.graph.graph import FuncGraph, Operation, SymbolicTensor, _is_variable, building
from tinytf.graph.plan import compile_plan, replay
from tinytf.util import nest

_logger = logging.getLogger("tinytf")

_VAR_MSG = ("tf.function only supports singleton tf.Variables created on the first call. Make "
            "sure the tf.Variable is only created once or created outside tf.function. See "
            "https://www.tensorflow.org/guide/function#creating_tfvariables for more "
            "information.")

_RETRACE_MSG = ("{} out of the last {} calls to {} triggered tf.function retracing. Tracing "
                "is expensive and the excessive number of tracings could be due to (1) "
                "creating @tf.function repeatedly in a loop, (2) passing tensors with "
                "different shapes, (3) passing Python objects instead of tensors. For (1), "
                "please define your @tf.function outside of the loop. For (2), @tf.function "
                "has reduce_retracing=True option that can avoid unnecessary retracing. For "
                "(3), please refer to https://www.tensorflow.org/guide/function"
                "#controlling_retracing and https://www.tensorflow.org/api_docs/python/tf/"
                "function for  more details.")


class _CallCounter:
    """TF's frequent-retracing detector, shared by all Functions of one Python function."""

    __slots__ = ("calls_per_tracing", "call_count")

    def __init__(self):
        self.calls_per_tracing = []
        self.call_count = 0

    def traced(self, fn):
        self.call_count += 1
        cpt = self.calls_per_tracing
        cpt.append(1)
        while cpt and self.call_count - cpt[0] > 10:
            self.call_count -= cpt.pop(0)
        n = len(cpt)
        if n >= 5:
            _logger.warning(_RETRACE_MSG.format(n, self.call_count, fn))


_counters = {}   # id(python function) -> _CallCounter


def _counter_for(fn):
    c = _counters.get(id(fn))
    if c is None:
        c = _counters[id(fn)] = _CallCounter()
        try:
            weakref.finalize(fn, _counters.pop, id(fn), None)
        except TypeError:
            pass
    return c


# -- signature keys ------------------------------------------------------------------------

_TENSOR = object()


def _encode(x, leaves):
    """A hashable key for one argument; tensors go to ``leaves`` in flatten order."""
    if isinstance(x, Tensor):
        leaves.append(x)
        return (_TENSOR, x.shape._dims, x.dtype)
    if isinstance(x, np.ndarray):
        t = wrap(x)
        leaves.append(t)
        return (_TENSOR, x.shape, t.dtype)
    if _is_variable(x):
        return ("var", id(x))
    if x is None or isinstance(x, (bool, int, float, str, bytes, complex)):
        return (type(x), x)
    if isinstance(x, TensorSpec):
        leaves.append(x)
        return (_TENSOR, x.shape._dims, x.dtype)
    if isinstance(x, (list, tuple)):
        return (type(x), tuple(_encode(c, leaves) for c in x))
    if isinstance(x, dict):
        return (type(x), tuple((k, _encode(x[k], leaves)) for k in _sorted(x)))
    try:
        hash(x)
        return ("obj", x)
    except TypeError:
        return ("id", id(x))


def _sorted(d):
    try:
        return sorted(d)
    except TypeError:
        return list(d)


def _substitute(x, it):
    """Rebuilds an argument with its tensor leaves (in ``_encode`` order) from ``it``."""
    if isinstance(x, (Tensor, np.ndarray, TensorSpec)):
        return next(it)
    if _is_variable(x) or x is None or isinstance(x, (bool, int, float, str, bytes)):
        return x
    if isinstance(x, (list, tuple)):
        items = [_substitute(c, it) for c in x]
        if hasattr(x, "_fields"):
            return type(x)(*items)
        return type(x)(items)
    if isinstance(x, dict):
        vals = {k: _substitute(x[k], it) for k in _sorted(x)}
        return type(x)((k, vals[k]) for k in x)
    return x


def _is_leaf_output(x):
    return isinstance(x, (Tensor, Operation)) or _is_variable(x)


# -- concrete functions ----------------------------------------------------------------------

class ConcreteFunction:
    """One traced graph of a ``tf.function`` with its compiled plans (one per device)."""

    def __init__(self, graph, arg_placeholders, args_structure, function_spec_name):
        self.graph = graph
        self.inputs = list(arg_placeholders)
        self._args_structure = args_structure
        self._name = function_spec_name
        structured = graph.structured_outputs
        flat = nest.flatten(structured) if structured is not None else []
        outputs, kinds = [], []
        with building(graph):
            for leaf in flat:
                if isinstance(leaf, Operation):
                    kinds.append(None)
                    continue
                if _is_variable(leaf):
                    leaf = leaf._read()
                if isinstance(leaf, Tensor):
                    if type(leaf) is not SymbolicTensor or leaf.graph is not graph:
                        leaf = graph.create_op(_identity_op(), (leaf,), {})
                    kinds.append(len(outputs))
                    outputs.append(leaf)
                elif leaf is None:
                    kinds.append(("py", None))
                else:                         # TF returns Python values as tensors
                    from tinytf.framework.tensor_conversion import convert_to_tensor
                    t = graph.create_op(_identity_op(), (convert_to_tensor(leaf),), {})
                    kinds.append(len(outputs))
                    outputs.append(t)
        self.outputs = outputs
        self._kinds = kinds
        self._flat_structure = structured
        self._single = (isinstance(structured, Tensor) or _is_variable(structured))
        self._plans = {}

    # -- properties ------------------------------------------------------------------------
    @property
    def structured_outputs(self):
        return self.graph.structured_outputs

    @property
    def structured_input_signature(self):
        return self._args_structure

    @property
    def captured_inputs(self):
        return [t for t, _ in self.graph._const_cache.values()]

    @property
    def variables(self):
        return tuple(_graph_variables(self.graph))

    @property
    def trainable_variables(self):
        return tuple(v for v in _graph_variables(self.graph) if v.trainable)

    @property
    def name(self):
        return self._name

    def pretty_printed_signature(self, verbose=True):
        args = ", ".join(f"{t.op.name}: TensorSpec(shape={t.shape}, dtype={t.dtype!r})"
                         for t in self.inputs)
        return f"Input Parameters:\n  {args}\nOutput Type:\n  {self.outputs}"

    # -- running ---------------------------------------------------------------------------
    def _plan(self, xp):
        p = self._plans.get(xp)
        if p is None:
            p = self._plans[xp] = compile_plan(self.graph, self.inputs, self.outputs,
                                               keep_stateful=True, xp=xp)
        return p

    def _call_flat(self, tensors):
        """Runs the function on flat tensors (EagerTensors, or symbolic inside a graph)."""
        ctx = _ctx()
        if ctx.tapes and ctx.graph is None and len(ctx.tapes) == 1:
            res = self._call_recorded(tensors)
            if res is not None:
                return res
        if ctx.graph is not None or ctx.tapes:
            # Inside another graph: copy the ops in. Under several tapes (higher order):
            # run op by op so every tape records primitives.
            env = {id(p): t for p, t in zip(self.inputs, tensors)}
            outs = replay(self.graph, env, self.outputs)
            return self._pack(outs, wrapped=True)
        device = ctx.device
        if device is None:
            device = tensors[0]._device if tensors else CPU0
        arrays = [t._value if t._device is device else _to_device(t, device)
                  for t in tensors]
        return self._pack(self._plan(device.xp).run(arrays), device=device)

    # -- one op on the tape: compiled forward, compiled backward -----------------------------
    def _call_recorded(self, tensors):
        """Under one tape: run the forward plan (keeping what the backward graph needs) and
        record the whole call as one op whose gradient runs the traced backward plan."""
        fwd = self._forward_backward()
        if fwd is None:
            return None
        ctx = _ctx()
        tape = ctx.tapes[0]
        variables = fwd.variables
        if tape._watch_accessed:
            for v in variables:
                if v.trainable:
                    tape._watch_variable(v)
        srcs = tuple(tensors) + tuple(variables)
        watched = tape._watched
        if not any(id(t) in watched for t in srcs):
            return None            # nothing to differentiate: the plain path is cheaper
        device = ctx.device or (tensors[0]._device if tensors else CPU0)
        arrays = [t._value if t._device is device else _to_device(t, device)
                  for t in tensors]
        vals = fwd.plan(device.xp).run(arrays)
        n = len(self.outputs)
        outs = []
        for v in vals[:n]:
            t = EagerTensor()
            t._value = v
            t._device = device
            outs.append(t)
        from tinytf.framework.execute import _record
        _record(ctx.tapes, fwd.op_def, srcs, {"saved": vals[n:], "device": device},
                tuple(outs) if fwd.op_def.num_outputs != 1 else outs[0])
        return self._pack(outs, wrapped=True)

    def _forward_backward(self):
        fb = self.__dict__.get("_fb", False)
        if fb is False:
            try:
                fb = _ForwardBackward(self)
            except Exception:  # noqa: BLE001 - an op without a graph gradient: replay
                fb = None
            self._fb = fb
        return fb

    def _pack(self, values, device=CPU0, wrapped=False):
        if not wrapped:
            vals = []
            for v in values:
                t = EagerTensor()
                t._value = v
                t._device = device
                vals.append(t)
            values = vals
        flat = [None if k is None else (k[1] if type(k) is tuple else values[k])
                for k in self._kinds]
        if self._flat_structure is None:
            return None
        return nest.pack_sequence_as(self._flat_structure, flat)

    def __call__(self, *args, **kwargs):
        leaves = []
        for a in args:
            _encode(a, leaves)
        for k in _sorted(kwargs):
            _encode(kwargs[k], leaves)
        tensors = [_as_tensor(t, p.dtype) for t, p in zip(leaves, self.inputs)]
        if len(tensors) != len(self.inputs):
            raise TypeError(f"{self._name}() takes {len(self.inputs)} tensor arguments, got "
                            f"{len(tensors)}")
        for t, p in zip(tensors, self.inputs):
            if t.dtype is not p.dtype or not p.shape.is_compatible_with(t.shape):
                raise TypeError(
                    f"Binding inputs to tf.function failed due to `Can not cast "
                    f"TensorSpec(shape={t.shape}, dtype={t.dtype!r}, name=None) to "
                    f"TensorSpec(shape={p.shape}, dtype={p.dtype!r}, name=None)`.")
        return self._call_flat(tensors)

    def __repr__(self):
        return f"<ConcreteFunction {self._name} at {id(self):#x}>"


class _ForwardBackward:
    """The backward graph of a ConcreteFunction, traced once with the registered gradients:
    inputs are the upstream gradients and the forward tensors the gradients use; outputs
    are the gradients w.r.t. the function's inputs and the variables it reads."""

    def __init__(self, cf):
        from tinytf.autodiff.backprop import backward
        from tinytf.framework.registry import OpDef
        from tinytf.ops.array_ops import sum_to_shape, zeros_like_tensor
        g = cf.graph
        self.variables = [op.inputs[0] for op in g._ops
                          if op.type == "ReadVariableOp" and _is_variable(op.inputs[0])]
        seen = set()
        self.variables = [v for v in self.variables if not (id(v) in seen or seen.add(id(v)))]
        sources = list(cf.inputs) + self.variables
        bg = FuncGraph(f"{cf._name}_backward", outer_graph=g)
        with building(bg):
            dys = [bg.placeholder(o.dtype, o.shape, name="dy") for o in cf.outputs]
            seeds = {}
            for o, dy in zip(cf.outputs, dys):
                seeds[id(o)] = dy if id(o) not in seeds else seeds[id(o)] + dy
            entries = [(op.op_def, op.inputs, op.attrs, op.outputs) for op in g._ops
                       if not op.op_def.nondiff and op.outputs]
            grads = backward(entries, seeds, {id(s) for s in sources},
                             unbroadcast=sum_to_shape, zeros_like=zeros_like_tensor)
            outs, self.has_grad = [], []
            for s in sources:
                gr = grads.get(id(s))
                self.has_grad.append(gr is not None)
                if gr is not None:
                    if type(gr) is not SymbolicTensor or gr.graph is not bg:
                        gr = bg.create_op(_identity_op(), (gr,), {})
                    outs.append(gr)
        self.saved = [outer for outer, _ in bg.captures]
        self.bwd_graph = bg
        self.bwd_outputs = outs
        self.n_dys = len(dys)
        self._fwd_plans, self._bwd_plans = {}, {}
        self.cf = cf
        n_out = len(cf.outputs)
        op_def = OpDef(f"PartitionedCall_{cf._name}", None, None,
                       1 if n_out == 1 else n_out, True)
        op_def.grad = self._grad
        self.op_def = op_def

    def plan(self, xp):
        p = self._fwd_plans.get(xp)
        if p is None:
            p = self._fwd_plans[xp] = compile_plan(
                self.cf.graph, self.cf.inputs, list(self.cf.outputs) + self.saved,
                keep_stateful=True, xp=xp)
        return p

    def _grad(self, view, *dys):
        device = view.attrs["device"]
        xp = device.xp
        p = self._bwd_plans.get(xp)
        if p is None:
            p = self._bwd_plans[xp] = compile_plan(self.bwd_graph, self.bwd_graph.inputs,
                                                   self.bwd_outputs, keep_stateful=True,
                                                   xp=xp)
        feeds = [d._value if d._device is device else _to_device(d, device) for d in dys]
        res = iter(p.run(feeds + list(view.attrs["saved"])))
        out = []
        for has in self.has_grad:
            if has:
                t = EagerTensor()
                t._value = next(res)
                t._device = device
                out.append(t)
            else:
                out.append(None)
        return tuple(out)


def _graph_variables(graph):
    seen, out = set(), []
    for op in graph._ops:
        for x in list(op.inputs) + [op.attrs.get("var")]:
            if x is not None and _is_variable(x) and id(x) not in seen:
                seen.add(id(x))
                out.append(x)
    return out


def _identity_op():
    from tinytf.ops.array_ops import Identity
    return Identity


def _to_device(t, device):
    from tinytf.framework.execute import _copy_value
    return _copy_value(t, device)


def _as_tensor(x, dtype=None):
    if isinstance(x, Tensor):
        return x
    from tinytf.framework.tensor_conversion import convert_to_tensor
    return convert_to_tensor(x, dtype=dtype)


# -- tf.function -------------------------------------------------------------------------------

class Function:
    """A callable that traces ``python_function`` into graphs (``tf.function``)."""

    def __init__(self, python_function, name=None, input_signature=None, autograph=True,
                 jit_compile=None, reduce_retracing=False, experimental_attributes=None):
        self._python_function = python_function
        self._name = name or getattr(python_function, "__name__", "function")
        if input_signature is not None:
            input_signature = list(input_signature)
            for s in nest.flatten(input_signature):
                if not isinstance(s, TensorSpec):
                    raise TypeError(f"input_signature must be a possibly nested sequence of "
                                    f"TensorSpec objects, got invalid args {s!r}")
        self._input_signature = input_signature
        self._reduce_retracing = reduce_retracing
        self._jit_compile = jit_compile
        self._autograph = autograph
        self._fast = {}                # (shape, np dtype, ...) -> ConcreteFunction
        self._cache = {}               # general key -> ConcreteFunction
        self._relaxed = {}             # reduce_retracing: skeleton -> (specs, concrete)
        self._tracing_count = 0
        self._created_variables = None
        self._instances = weakref.WeakKeyDictionary()
        self._counter = _counter_for(python_function)
        try:
            self._sig = inspect.signature(python_function)
        except (TypeError, ValueError):
            self._sig = None
        self._simple_sig = self._sig is None or all(
            p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and p.default is p.empty
            for p in self._sig.parameters.values())
        functools.update_wrapper(self, python_function, updated=())

    @property
    def python_function(self):
        return self._python_function

    @property
    def input_signature(self):
        return self._input_signature

    def experimental_get_tracing_count(self):
        """The number of times this function has been traced."""
        return self._tracing_count

    # -- calling ---------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        # Fast path: positional eager tensors on one device, no tape, eager context; the
        # key is the arrays' shapes and dtypes, the entry holds the compiled plan.
        fast = self._fast
        if fast and not kwargs:
            n = len(args)
            try:
                if n == 2:
                    a, b = args
                    va, vb = a._value, b._value
                    key = (va.shape, va.dtype, vb.shape, vb.dtype)
                    arrays = [va, vb]
                    dev = a._device
                    same = b._device is dev
                elif n == 1:
                    a = args[0]
                    va = a._value
                    key = (va.shape, va.dtype)
                    arrays = [va]
                    dev = a._device
                    same = True
                else:
                    arrays = [a._value for a in args]
                    key = tuple(x for v in arrays for x in (v.shape, v.dtype))
                    dev = args[0]._device if args else CPU0
                    same = all(a._device is dev for a in args) and all(
                        type(a) is EagerTensor for a in args)
            except AttributeError:     # a Python value, a Variable or a symbolic tensor
                key = None
            if key is not None and same:
                entry = fast.get(key)
                if entry is not None and entry[1] is dev:
                    ctx = _ctx()
                    if ctx.graph is None and not ctx.tapes and ctx.device is None \
                            and not _global["run_functions_eagerly"] \
                            and (n > 2 or n == 0 or type(args[0]) is EagerTensor and (
                                n == 1 or type(args[1]) is EagerTensor)):
                        c = self._counter
                        c.calls_per_tracing[-1] += 1
                        c.call_count += 1
                        outs = entry[2].run(arrays)
                        cf = entry[0]
                        if cf._single:
                            t = EagerTensor()
                            t._value = outs[0]
                            t._device = dev
                            return t
                        return cf._pack(outs, device=dev)
        return self._call_general(args, kwargs)

    def _call_general(self, args, kwargs):
        if _global["run_functions_eagerly"]:
            return self._python_function(*args, **kwargs)
        cf, tensors, fast_key = self._lookup(args, kwargs)
        if fast_key is not None and self._input_signature is None \
                and _ctx().device is None and all(a._device is args[0]._device for a in args):
            dev = args[0]._device if args else CPU0
            self._fast[fast_key] = (cf, dev, cf._plan(dev.xp))
        return cf._call_flat(tensors)

    def _lookup(self, args, kwargs, trace_ok=True):
        if self._input_signature is not None:
            return self._lookup_signature(args, kwargs)
        if self._sig is not None and (kwargs or not self._simple_sig):
            try:
                b = self._sig.bind(*args, **kwargs)
            except TypeError as e:
                raise TypeError(f"Binding inputs to tf.function failed due to `{e}`. Received "
                                f"args: {args!r} and kwargs: {kwargs!r} for signature: "
                                f"{self._sig}.") from None
            args, kwargs = b.args, b.kwargs
        leaves = []
        key = (tuple(_encode(a, leaves) for a in args),
               tuple((k, _encode(kwargs[k], leaves)) for k in _sorted(kwargs)))
        tensors = [t if isinstance(t, Tensor) else t for t in leaves]
        fast_key = None
        if not kwargs and all(type(a) is EagerTensor for a in args):
            fast_key = tuple(x for a in args for x in (a._value.shape, a._value.dtype))
        cf = self._cache.get(key)
        if cf is None:
            specs = [TensorSpec(t.shape, t.dtype) for t in leaves]
            if self._reduce_retracing:
                skeleton = _skeleton(key)
                prev = self._relaxed.get(skeleton)
                if prev is not None:
                    pspecs, pcf = prev
                    if all(p.is_compatible_with(s) for p, s in zip(pspecs, specs)):
                        cf = pcf
                    else:
                        specs = [p.most_specific_compatible_type(s)
                                 for p, s in zip(pspecs, specs)]
                if cf is None:
                    cf = self._trace(args, kwargs, specs)
                    self._relaxed[skeleton] = (specs, cf)
            else:
                cf = self._trace(args, kwargs, specs)
            self._cache[key] = cf
        else:
            c = self._counter
            c.calls_per_tracing[-1] += 1
            c.call_count += 1
        if any(isinstance(t, TensorSpec) for t in tensors):
            tensors = None
        return cf, tensors, fast_key

    def _lookup_signature(self, args, kwargs):
        sig = self._input_signature
        if kwargs and self._sig is not None:
            try:
                bound = self._sig.bind(*args, **kwargs)
            except TypeError as e:
                raise TypeError(f"Binding inputs to tf.function failed due to `{e}`.") \
                    from None
            args = tuple(bound.arguments.values())
            kwargs = {}
        if len(args) > len(sig):
            raise TypeError(f"{self._name}() takes {len(sig)} positional arguments but "
                            f"{len(args)} were given (input_signature={sig})")
        flat_specs = nest.flatten(sig[:len(args)])
        flat_args = []
        _flatten_up_to(list(sig[:len(args)]), list(args), flat_args)
        if len(flat_specs) != len(flat_args):
            raise TypeError(f"Binding inputs to tf.function failed: the arguments {args!r} do "
                            f"not match the input_signature {sig}.")
        tensors = []
        for a, s in zip(flat_args, flat_specs):
            if isinstance(a, TensorSpec):
                tensors = None
                break
            try:
                t = _as_tensor(a, s.dtype)
            except (TypeError, ValueError) as e:
                raise TypeError(f"Binding inputs to tf.function failed due to `{e}`.") \
                    from None
            if t.dtype is not s.dtype or not s.shape.is_compatible_with(t.shape):
                raise TypeError(
                    f"Binding inputs to tf.function failed due to `Can not cast "
                    f"TensorSpec(shape={t.shape}, dtype={t.dtype!r}, name=None) to "
                    f"{s!r}`. Received args: {args!r} and kwargs: {{}} for signature: "
                    f"{self._signature_text()}.")
            tensors.append(t)
        key = len(args)
        cf = self._cache.get(key)
        if cf is None:
            cf = self._cache[key] = self._trace(tuple(sig[:len(args)]), {}, flat_specs)
        return cf, tensors, None

    def _signature_text(self):
        names = list(self._sig.parameters) if self._sig is not None else []
        parts = [f"{n}: {s!r}" for n, s in zip(names, self._input_signature)]
        return "(" + ", ".join(parts) + ")"

    # -- tracing ---------------------------------------------------------------------------
    def _trace(self, args, kwargs, specs, _again=False):
        graph = FuncGraph(self._name)
        names = self._arg_names(args, kwargs)
        first = self._tracing_count == 0 and not _again
        with building(graph):
            placeholders = [graph.placeholder(s.dtype, s.shape, name=n)
                            for s, n in zip(specs, names)]
            it = iter(placeholders)
            targs = tuple(_substitute(a, it) for a in args)
            tkwargs = {k: _substitute(kwargs[k], it) for k in _sorted(kwargs)}
            n_vars = len(graph.variables)
            graph.structured_outputs = self._python_function(*targs, **tkwargs)
            created = len(graph.variables) > n_vars
            if created and not first:
                raise ValueError(_VAR_MSG)
            cf = ConcreteFunction(graph, placeholders, (targs, tkwargs), self._name)
        if created:
            # as TF: a first trace that creates variables is traced again, and that trace
            # must create none (so a function making a new tf.Variable per call is refused);
            # both traces count, as in TF's experimental_get_tracing_count
            self._tracing_count += 1
            return self._trace(args, kwargs, specs, _again=True)
        self._tracing_count += 1
        self._counter.traced(self._python_function)
        return cf

    def _arg_names(self, args, kwargs):
        names = []
        params = list(self._sig.parameters) if self._sig is not None else []
        for i, a in enumerate(args):
            base = params[i] if i < len(params) and self._sig.parameters[params[i]].kind in (
                inspect.Parameter.POSITIONAL_ONLY,
                inspect.Parameter.POSITIONAL_OR_KEYWORD) else f"args_{i}"
            n = len(_flat_tensors(a))
            names += [base] if n == 1 and isinstance(a, (Tensor, np.ndarray, TensorSpec)) \
                else [f"{base}_{j}" for j in range(n)]
        for k in _sorted(kwargs):
            n = len(_flat_tensors(kwargs[k]))
            names += [k] if n == 1 else [f"{k}_{j}" for j in range(n)]
        return names

    def get_concrete_function(self, *args, **kwargs):
        """The ConcreteFunction for these arguments (tensors or TensorSpecs), tracing if new."""
        if self._input_signature is not None and not args and not kwargs:
            args = tuple(self._input_signature)
        cf, _, _ = self._lookup(args, kwargs)
        return cf

    def experimental_get_compiler_ir(self, *args, **kwargs):
        raise NotImplementedError("tinytf has no XLA compiler IR")

    # -- methods ---------------------------------------------------------------------------
    def __get__(self, instance, owner):
        if instance is None:
            return self
        try:
            bound = self._instances.get(instance)
        except TypeError:
            bound = instance.__dict__.get(f"_tinytf_fn_{id(self)}")
            if bound is None:
                bound = self._bind(instance)
                instance.__dict__[f"_tinytf_fn_{id(self)}"] = bound
            return bound
        if bound is None:
            bound = self._bind(instance)
            self._instances[instance] = bound
        return bound

    def _bind(self, instance):
        fn = self._python_function.__get__(instance, type(instance))
        f = Function(fn, name=self._name, input_signature=None if self._input_signature
                     is None else self._input_signature, reduce_retracing=self._reduce_retracing)
        f._counter = self._counter
        return f

    def __repr__(self):
        return f"<tinytf.function {self._name} at {id(self):#x}>"


def _flatten_up_to(spec, value, out):
    if isinstance(spec, TensorSpec):
        out.append(value)
    elif isinstance(spec, dict):
        for k in _sorted(spec):
            _flatten_up_to(spec[k], value[k], out)
    elif isinstance(spec, (list, tuple)):
        if not isinstance(value, (list, tuple)) or len(value) != len(spec):
            raise TypeError(f"Binding inputs to tf.function failed: {value!r} does not match "
                            f"the input_signature structure {spec!r}.")
        for s, v in zip(spec, value):
            _flatten_up_to(s, v, out)
    else:
        out.append(value)


def _flat_tensors(x):
    leaves = []
    _encode(x, leaves)
    return leaves


def _skeleton(key):
    if type(key) is tuple and len(key) == 3 and key[0] is _TENSOR:
        dims = key[1]
        return (_TENSOR, None if dims is None else len(dims), key[2])
    if type(key) is tuple:
        return tuple(_skeleton(k) for k in key)
    return key


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_implements=None,
             experimental_autograph_options=None, experimental_attributes=None,
             experimental_relax_shapes=None, experimental_compile=None,
             experimental_follow_type_hints=None):
    """Compiles a function into a callable TensorFlow graph (``tf.function``).

    Unlike TF there is no AutoGraph: Python ``if``/``for``/``while`` on tensor values raise
    OperatorNotAllowedInGraphError (as TF with ``autograph=False``); use tf.cond/while_loop."""
    if experimental_relax_shapes:
        reduce_retracing = True

    def deco(f):
        if isinstance(f, Function):
            f = f._python_function
        return Function(f, input_signature=input_signature, autograph=autograph,
                        jit_compile=jit_compile, reduce_retracing=reduce_retracing)
    if func is None:
        return deco
    return deco(func)
