"""Control flow (TF's ``control_flow_ops`` / ``cond_v2`` / ``while_v2``): ``tf.cond``,
``tf.case``, ``tf.while_loop``, ``tf.group``, ``tf.no_op``, ``tf.control_dependencies``.

Eagerly these are plain Python. While building a graph, each branch / loop body is traced
into its own ``FuncGraph`` (tensors of the enclosing graph it uses become captured inputs of
the op), and the op (``If``/``StatelessIf``, ``While``) holds the traced branches in its
attrs; its kernel runs their compiled plans.

Gradients: ``If`` differentiates into a ``tf.cond`` of the branches' gradients (any order);
``While`` into ``WhileGrad``, which re-runs the loop eagerly under a tape (first order).
Variables read inside a branch or body are read once, before the op, in the enclosing
graph (a read after an assign in the same branch sees the value from before the op).
"""

import contextlib

from tinytf.framework import dtypes
from tinytf.framework.context import _ctx, _own
from tinytf.framework.execute import execute
from tinytf.framework.registry import not_differentiable, op
from tinytf.framework.shape import TensorShape
from tinytf.framework.tensor import Tensor
from tinytf.graph.graph import (FuncGraph, NoOp, Operation, SymbolicTensor, _is_variable,
                                building, constant_value)
from tinytf.graph.plan import _REPLAY_SPECIAL, compile_plan, replay
from tinytf.ops._convert import to_tensor
from tinytf.util import nest


class _Branch:
    """A traced sub-function: its graph, output tensors and compiled plans (per ``xp``)."""

    def __init__(self, graph, outputs, n_args=0):
        self.graph = graph
        self.outputs = outputs          # symbolic tensors of ``graph``
        self.n_args = n_args            # leading placeholders that are arguments
        self.feed_index = None          # indices into the op's inputs, one per placeholder
        self._plans = {}

    def plan(self, xp):
        p = self._plans.get(xp)
        if p is None:
            p = self._plans[xp] = compile_plan(self.graph, self.graph.inputs, self.outputs,
                                               keep_stateful=True, xp=xp)
        return p

    @property
    def stateful(self):
        return any(o.op_def.stateful for o in self.graph._ops)

    def __repr__(self):
        return f"<branch {self.graph.name}>"


def _trace_branch(name, fn, arg_specs=()):
    """Traces ``fn(*placeholders)`` into a FuncGraph nested in the current graph."""
    outer = _ctx().graph
    g = FuncGraph(name, outer_graph=outer, capture_variable_reads=True)
    prev_tapes = _own().tapes
    with building(g):
        _own().tapes = prev_tapes        # tapes of the enclosing graph keep recording captures
        args = [g.placeholder(s.dtype, s.shape, name=f"{name}_arg{i}")
                for i, s in enumerate(arg_specs)]
        result = fn(*args)
    return g, args, result


def _to_outputs(g, result):
    """Flat graph tensors of a branch's result (eager values and captures made local)."""
    flat = nest.flatten(result)
    outs = []
    prev_tapes = _own().tapes
    with building(g):
        _own().tapes = prev_tapes
        for x in flat:
            if x is None or isinstance(x, Operation):
                raise ValueError("tf.cond / tf.while_loop branches must return tensors, not "
                                 f"{x!r}; use tf.no_op() outside the branch for side effects.")
            if _is_variable(x):
                x = x._read()
            if not isinstance(x, Tensor):
                x = to_tensor(x)
            if type(x) is not SymbolicTensor or x.graph is not g:
                from tinytf.ops.array_ops import Identity
                x = g.create_op(Identity, (x,), {})
            outs.append(x)
    return outs


# -- If ------------------------------------------------------------------------------------

def _if_rule(pred, *inputs, then_branch, else_branch, out_specs):
    return list(out_specs)


def _if_kernel(xp, pred, *inputs, then_branch, else_branch, out_specs):
    b = then_branch if bool(pred) else else_branch
    return tuple(b.plan(xp).run([inputs[i] for i in b.feed_index]))


If = op("If", infer=_if_rule, num_outputs=-1, stateful=True)(_if_kernel)
StatelessIf = op("StatelessIf", infer=_if_rule, num_outputs=-1)(_if_kernel)


def _if_grad(op_view, *dys):
    pred, inputs = op_view.inputs[0], op_view.inputs[1:]
    attrs = op_view.attrs
    wrt = [i for i, x in enumerate(inputs) if x.dtype.is_floating or x.dtype.is_complex]
    if not wrt:
        return (None,) * len(op_view.inputs)

    def grad_fn(branch):
        def fn():
            from tinytf.autodiff.tape import GradientTape
            from tinytf.ops.array_ops import zeros_like_tensor
            xs = [inputs[i] for i in branch.feed_index]
            with GradientTape(watch_accessed_variables=False) as tape:
                env = {}
                watched = {}
                for p, x in zip(branch.graph.inputs, xs):
                    if id(x) not in watched:
                        watched[id(x)] = _ctx().graph._capture(x) if _ctx().graph is not None \
                            and getattr(x, "graph", None) is not _ctx().graph else x
                        tape.watch(watched[id(x)])
                    env[id(p)] = watched[id(x)]
                outs = replay(branch.graph, env, branch.outputs)
            srcs = [watched.get(id(inputs[i])) for i in wrt]
            srcs_present = [s for s in srcs if s is not None]
            gs = tape.gradient(outs, srcs_present, output_gradients=list(dys)) \
                if srcs_present else []
            it = iter(gs)
            res = []
            for i, s in zip(wrt, srcs):
                g = next(it) if s is not None else None
                if g is None:
                    g = zeros_like_tensor(s if s is not None else inputs[i])
                res.append(g)
            return res
        return fn
    grads = cond(pred, grad_fn(attrs["then_branch"]), grad_fn(attrs["else_branch"]))
    grads = nest.flatten(grads)
    out = [None] * len(op_view.inputs)
    for i, g in zip(wrt, grads):
        out[1 + i] = g
    return tuple(out)


If.gradient(_if_grad)
StatelessIf.gradient(_if_grad)


def _if_replay(op, ins):
    """Eager replay of an If: run the taken branch op by op (tapes see its primitives)."""
    b = op.attrs["then_branch"] if bool(ins[0]) else op.attrs["else_branch"]
    env = {id(p): ins[1 + i] for p, i in zip(b.graph.inputs, b.feed_index)}
    return tuple(replay(b.graph, env, b.outputs))


_REPLAY_SPECIAL["If"] = _if_replay
_REPLAY_SPECIAL["StatelessIf"] = _if_replay


def _merge_specs(a, b, what):
    if a.dtype is not b.dtype:
        raise TypeError(f"{what}: true_fn and false_fn arguments to tf.cond must have the same "
                        f"number, type, and overall structure of return values. Output dtypes "
                        f"differ: {a.dtype.name} vs {b.dtype.name}")
    return a.shape.most_specific_compatible_shape(b.shape), a.dtype


def cond(pred, true_fn=None, false_fn=None, name=None):
    """Returns ``true_fn()`` if ``pred`` is true else ``false_fn()`` (``tf.cond``)."""
    if not callable(true_fn):
        raise TypeError("'true_fn' must be callable.")
    if not callable(false_fn):
        raise TypeError("'false_fn' must be callable.")
    if _ctx().graph is None:
        # eager TF asks NumPy's truth value of pred: a one-element tensor of any rank is
        # fine, several or no elements raise NumPy's ValueError
        if isinstance(pred, Tensor):
            pred = pred.numpy()
        return true_fn() if bool(pred) else false_fn()
    if isinstance(pred, (bool, int)) or (not isinstance(pred, Tensor) and pred is not None):
        return true_fn() if bool(pred) else false_fn()
    pred = to_tensor(pred)
    if pred.dtype is not dtypes.bool:
        raise TypeError(f"Input 'cond' of 'If' Op has type {pred.dtype.name} that does not "
                        "match expected type of bool.")
    if pred.shape.rank not in (0, None):
        raise ValueError(f"Shape must be rank 0 but is rank {pred.shape.rank} for 'cond' "
                         f"with input shapes: {pred.shape}.")
    tg, _, tres = _trace_branch("cond_true", true_fn)
    fg, _, fres = _trace_branch("cond_false", false_fn)
    try:
        nest.assert_same_structure(tres, fres)
    except ValueError as e:
        raise ValueError(f"true_fn and false_fn arguments to tf.cond must have the same "
                         f"number, type, and overall structure of return values.\n\n{e}") \
            from None
    # Leaves that are None (or ops, e.g. tf.group) in both branches carry no value.
    tflat, fflat = nest.flatten(tres), nest.flatten(fres)
    novalue = [(a is None or isinstance(a, Operation)) and (b is None or isinstance(
        b, Operation)) for a, b in zip(tflat, fflat)]
    touts = _to_outputs(tg, [a for a, n in zip(tflat, novalue) if not n])
    fouts = _to_outputs(fg, [b for b, n in zip(fflat, novalue) if not n])
    tb, fb = _Branch(tg, touts), _Branch(fg, fouts)
    inputs = _wire_captures([tb, fb])
    specs = [_merge_specs(a, b, "cond") for a, b in zip(touts, fouts)]
    opdef = If if (tb.stateful or fb.stateful) else StatelessIf
    outs = execute(opdef, (pred,) + tuple(inputs),
                   {"then_branch": tb, "else_branch": fb, "out_specs": tuple(specs)},
                   name=name or "cond")
    if isinstance(outs, Operation):
        outs = ()
    it = iter(outs)
    return nest.pack_sequence_as(tres, [None if n else next(it) for n in novalue])


def _wire_captures(branches, offset=1, n_args=0):
    """The enclosing-graph tensors the branches capture, deduplicated; sets feed indices."""
    inputs, index = [], {}
    for b in branches:
        fi = list(range(offset, offset + n_args))
        for outer, _inner in b.graph.captures:
            k = id(outer)
            if k not in index:
                index[k] = len(inputs)
                inputs.append(outer)
            fi.append(offset + n_args + index[k])
        b.feed_index = tuple(i - 1 for i in fi) if offset == 1 else tuple(fi)
    return inputs


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The first branch whose predicate is true (``tf.case``), as nested ``tf.cond``s."""
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else \
        list(pred_fn_pairs)
    for p, f in pairs:
        if not callable(f):
            raise TypeError(f"fn for pred {p} must be callable.")
    if default is None:
        if not pairs:
            raise ValueError("Must provide at least one pred_fn_pair or a default.")
        *pairs, (_, default) = pairs

    def build(i):
        if i == len(pairs):
            return default()
        p, f = pairs[i]
        return cond(p, f, lambda: build(i + 1))
    return build(0)


# -- While ---------------------------------------------------------------------------------

def _while_rule(*inputs, cond, body, n_vars, out_specs, maximum_iterations):
    return list(out_specs)


@op("While", infer=_while_rule, num_outputs=-1, stateful=True)
def While(xp, *inputs, cond, body, n_vars, out_specs, maximum_iterations):
    vals = list(inputs[:n_vars])
    cp, bp = cond.plan(xp), body.plan(xp)
    cfi, bfi = cond.feed_index, body.feed_index
    i = 0
    while maximum_iterations is None or i < maximum_iterations:
        allv = vals + list(inputs[n_vars:])
        if not bool(cp.run([allv[k] for k in cfi])[0]):
            break
        vals = bp.run([allv[k] for k in bfi])
        i += 1
    return tuple(vals)


def _while_replay(op, ins):
    a = op.attrs
    n = a["n_vars"]
    vals = list(ins[:n])
    i = 0
    cb, bb = a["cond"], a["body"]
    while a["maximum_iterations"] is None or i < a["maximum_iterations"]:
        allv = vals + list(ins[n:])
        env = {id(p): allv[k] for p, k in zip(cb.graph.inputs, cb.feed_index)}
        if not bool(replay(cb.graph, env, cb.outputs)[0]):
            break
        env = {id(p): allv[k] for p, k in zip(bb.graph.inputs, bb.feed_index)}
        vals = replay(bb.graph, env, bb.outputs)
        i += 1
    return tuple(vals)


_REPLAY_SPECIAL["While"] = _while_replay


class _AttrsView:
    __slots__ = ("attrs",)

    def __init__(self, attrs):
        self.attrs = attrs


def _is_diff(dtype):
    return dtype.is_floating or dtype.is_complex


def _while_grad_rule(*inputs, loop, n_in, wrt):
    return [(inputs[i].shape, inputs[i].dtype) for i in wrt]


@op("WhileGrad", infer=_while_grad_rule, num_outputs=-1)
def WhileGrad(xp, *arrays, loop, n_in, wrt):
    """Gradient of a While by recomputation: the loop is re-run eagerly under a tape (first
    order; the intermediates of every iteration live only inside this kernel)."""
    from tinytf.autodiff.tape import GradientTape
    from tinytf.framework import device as _device
    from tinytf.graph.plan import _eager
    dev = _device.CPU0 if xp.__name__ == "numpy" else next(
        d for d in _device.visible_devices() if d.xp is xp)

    def wrap(a):
        t = _eager(a)
        t._device = dev
        return t
    ins = [wrap(a) for a in arrays[:n_in]]
    dys = [wrap(a) for a in arrays[n_in:]]
    with GradientTape() as tape:
        for i in wrt:
            tape.watch(ins[i])
        outs = _while_replay(_AttrsView(loop), ins)
    pick = [j for j, o in enumerate(outs) if _is_diff(o.dtype)]
    gs = tape.gradient([outs[j] for j in pick], [ins[i] for i in wrt],
                       output_gradients=[dys[j] for j in pick], unconnected_gradients="zero")
    return tuple(g._value for g in gs)


not_differentiable(WhileGrad)


@While.gradient
def _while_grad(op_view, *dys):
    ins = op_view.inputs
    wrt = tuple(i for i, x in enumerate(ins) if _is_diff(x.dtype))
    out = [None] * len(ins)
    if not wrt:
        return tuple(out)
    gs = execute(WhileGrad, tuple(ins) + tuple(dys),
                 {"loop": op_view.attrs, "n_in": len(ins), "wrt": wrt})
    for i, g in zip(wrt, gs):
        out[i] = g
    return tuple(out)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """Repeats ``body`` while ``cond`` is true (``tf.while_loop``)."""
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    single = not isinstance(loop_vars, (list, tuple)) and not isinstance(loop_vars, dict)
    structure = loop_vars
    lv = [loop_vars] if single else loop_vars

    def call(fn, vals):
        return fn(*vals) if not isinstance(structure, dict) else fn(**vals)

    if _ctx().graph is None:
        # as TF: the initial loop variables become tensors (variables are read)
        structure = nest.map_structure(
            lambda v: v._read() if _is_variable(v) else to_tensor(v), structure)
        vals = structure
        i = 0
        while maximum_iterations is None or i < int(maximum_iterations):
            args = [vals] if single else vals
            if not bool(call(cond, args)):
                break
            out = call(body, args)
            if single and isinstance(out, (list, tuple)) and len(out) == 1:
                out = out[0]
            if not single and not isinstance(structure, dict) and not isinstance(
                    out, (list, tuple)):
                out = [out]
            nest.assert_same_structure(structure, out, check_types=False)
            vals = out
            i += 1
        return vals
    flat = [to_tensor(x) if not _is_variable(x) else x._read() for x in nest.flatten(structure)]
    if shape_invariants is not None:
        inv = [TensorShape(s) if not isinstance(s, TensorShape) else s
               for s in nest.flatten(shape_invariants)]
    else:
        inv = [t.shape for t in flat]

    class _Spec:
        def __init__(self, shape, dtype):
            self.shape, self.dtype = shape, dtype

    specs = [_Spec(s, t.dtype) for s, t in zip(inv, flat)]

    def pack(args):
        return nest.pack_sequence_as(structure, list(args))

    def cond_fn(*args):
        s = pack(args)
        return call(cond, [s] if single else s)

    def body_fn(*args):
        s = pack(args)
        out = call(body, [s] if single else s)
        if single and isinstance(out, (list, tuple)) and len(out) == 1:
            out = out[0]
        if not single and not isinstance(structure, dict) and not isinstance(out, (list,
                                                                                  tuple)):
            out = [out]
        return out

    cg, _, cres = _trace_branch("while_cond", cond_fn, specs)
    bg, _, bres = _trace_branch("while_body", body_fn, specs)
    couts = _to_outputs(cg, cres)
    if len(couts) != 1 or couts[0].dtype is not dtypes.bool:
        raise TypeError("The cond of tf.while_loop must return a boolean scalar tensor.")
    try:
        nest.assert_same_structure(structure, bres, check_types=False)
    except ValueError as e:
        raise ValueError(f"The body of tf.while_loop must return the same structure as "
                         f"loop_vars.\n\n{e}") from None
    bouts = _to_outputs(bg, bres)
    for t, o, s in zip(flat, bouts, specs):
        if o.dtype is not t.dtype:
            raise TypeError(f"Loop var {t.name if hasattr(t, 'op') else t!r} enters the loop "
                            f"with type {t.dtype!r}, but has type {o.dtype!r} after 1 "
                            "iteration. All loop vars must have a fixed type.")
        if not s.shape.is_compatible_with(o.shape):
            raise ValueError(f"Input tensor '{getattr(t, 'name', t)}' enters the loop with "
                             f"shape {s.shape}, but has shape {o.shape} after one iteration. "
                             "To allow the shape to vary across iterations, use the "
                             "`shape_invariants` argument of tf.while_loop to specify a "
                             "less-specific shape.")
    n = len(flat)
    cb, bb = _Branch(cg, couts, n), _Branch(bg, bouts, n)
    caps = _wire_captures([cb, bb], offset=0, n_args=n)
    mi = None if maximum_iterations is None else int(constant_value(
        to_tensor(maximum_iterations)))
    outs = execute(While, tuple(flat) + tuple(caps),
                   {"cond": cb, "body": bb, "n_vars": n,
                    "out_specs": tuple((s.shape, s.dtype) for s in specs),
                    "maximum_iterations": mi}, name=name or "while")
    return pack(outs)


# -- grouping and dependencies ---------------------------------------------------------------

def no_op(name=None):
    """Does nothing; in a graph, an op useful as a placeholder for control edges."""
    if _ctx().graph is None:
        return None
    return execute(NoOp, (), name=name or "NoOp")


def group(*inputs, name=None):
    """An op that runs all ``inputs`` (tensors or operations) when run (``tf.group``)."""
    g = _ctx().graph
    if g is None:
        return None
    deps = [x for x in nest.flatten(list(inputs)) if x is not None]
    with control_dependencies(deps):
        return execute(NoOp, (), name=name or "group_deps")


def tuple_(tensors, name=None, control_inputs=None):
    """Groups tensors: each output is available only when all are (``tf.tuple``)."""
    if _ctx().graph is None:
        return list(tensors)
    from tinytf.ops.array_ops import identity
    gate = group(*tensors, *(control_inputs or ()))
    with control_dependencies([gate]):
        return [identity(t) if isinstance(t, Tensor) else t for t in tensors]


def control_dependencies(control_inputs):
    """Ops created in the context run after ``control_inputs`` (a no-op eagerly)."""
    g = _ctx().graph
    if g is None:
        return _NullContext(control_inputs)
    return g.control_dependencies(control_inputs)


class _NullContext(contextlib.AbstractContextManager):
    def __init__(self, control_inputs):
        if control_inputs is not None:
            for c in control_inputs:
                if callable(c) and not isinstance(c, (Tensor, Operation)) and \
                        not _is_variable(c):
                    c()

    def __exit__(self, *exc):
        return False

