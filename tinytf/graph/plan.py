"""Compiling a graph into a flat plan, and running it.

A plan is the needed part of a graph in creation (program) order, as a list of steps
``(kernel, input_slots, attrs, output_slot(s))`` over a list of slots: feeds first, then
constants (filled in once, at compile time), then every op's outputs. Running it is one
loop of kernel calls: no graph walking, no shape inference, no tape checks.

``replay`` is the other way to run a graph: op by op through ``execute``, so that tapes
record primitives (gradients through a function call) or so that the ops are copied into
the graph being built (inlining a function into another graph).
"""

import numpy as np

from tinytf.framework import errors
from tinytf.framework.execute import execute, kernel_error
from tinytf.framework.tensor import EagerTensor, wrap
from tinytf.graph.graph import Const, NoOp, Placeholder, SymbolicTensor, _is_variable
from tinytf.ops.variables import ReadVariableOp


def _load_var(xp, *, var):
    v = var._value
    if v is None:
        name = var._name[:-2] if var._name.endswith(":0") else var._name
        raise errors.FailedPreconditionError(
            None, None, f"Could not find variable {name}. This could mean that the variable "
            "has been deleted. In TF1, it can also mean the variable is uninitialized. Debug "
            f"info: container=localhost, status error message=Container localhost does not "
            f"exist. (Could not find resource: localhost/{name})")
    return v


class Plan:
    """A compiled subgraph: call ``run(feed_arrays)`` to get the fetched arrays."""

    __slots__ = ("steps", "ops", "template", "n_feeds", "fetch_slots", "xp", "single", "run")

    def run_steps(self, feeds):
        """The interpreter (reference) version of ``run``."""
        slots = self.template[:]
        slots[:self.n_feeds] = feeds
        xp = self.xp
        step = None
        try:
            # Steps are specialised by arity: star-args and list building cost more than
            # a small kernel, so the common shapes get direct calls.
            for step in self.steps:
                kernel, mode, a, b, ins, attrs, out = step
                if mode == 2:
                    if attrs is None:
                        slots[out] = kernel(xp, slots[a], slots[b])
                    else:
                        slots[out] = kernel(xp, slots[a], slots[b], **attrs)
                elif mode == 1:
                    if attrs is None:
                        slots[out] = kernel(xp, slots[a])
                    else:
                        slots[out] = kernel(xp, slots[a], **attrs)
                elif mode == 0:
                    slots[out] = kernel(xp, **attrs)
                else:
                    r = kernel(xp, *[slots[i] for i in ins], **(attrs or _EMPTY))
                    if out.__class__ is int:
                        slots[out] = r
                    else:
                        for o, v in zip(out, r):
                            slots[o] = v
        except Exception as e:  # noqa: BLE001 - every kernel failure becomes TF's error
            raise self._error(step, slots, e) from None
        return [slots[i] for i in self.fetch_slots]

    def _error(self, step, slots, exc, i=None):
        if i is None:
            i = next((k for k, s in enumerate(self.steps) if s is step), None)
        else:
            step = self.steps[i]
        op = self.ops[i] if i is not None else None
        if op is None:
            return exc
        if isinstance(exc, errors.OpError):
            msg = exc.message
            if "[[{{node" not in msg:
                msg = f"{msg}\n\t [[{{{{node {op.name}}}}}]]"
            return type(exc)(None, op, msg)
        if isinstance(exc, errors.OperatorNotAllowedInGraphError):
            return exc
        ins = [wrap(slots[k]) for k in step[4]]
        err = kernel_error(op.op_def, ins, step[5] or {}, exc)
        msg = err.message.rsplit(" [Op:", 1)[0]
        return type(err)(None, op, f"{msg}\n\t [[{{{{node {op.name}}}}}]]")


_EMPTY = {}


def _step(kernel, ins, attrs, out):
    """A plan step: (kernel, mode, in0, in1, ins, attrs or None, out)."""
    ins = tuple(ins)
    attrs = attrs or None
    single = out.__class__ is int
    if single and len(ins) == 2:
        return (kernel, 2, ins[0], ins[1], ins, attrs, out)
    if single and len(ins) == 1:
        return (kernel, 1, ins[0], None, ins, attrs, out)
    if single and not ins:
        return (kernel, 0, None, None, ins, attrs or _EMPTY, out)
    return (kernel, 9, None, None, ins, attrs, out)


def needed_ops(graph, fetch_ops, feeds_ids, keep_stateful=False):
    """The operations that fetches (ops) depend on, in program order."""
    needed = set()
    stack = list(fetch_ops)
    if keep_stateful:
        stack += [o for o in graph._ops if o.op_def.stateful]
    while stack:
        op = stack.pop()
        if id(op) in needed:
            continue
        needed.add(id(op))
        for x in op.inputs:
            if type(x) is SymbolicTensor and id(x) not in feeds_ids:
                stack.append(x._op)
        stack.extend(op.control_inputs)
    return [o for o in graph._ops if id(o) in needed]


def compile_plan(graph, feeds, fetches, targets=(), keep_stateful=False, xp=np):
    """Compiles what ``fetches`` (tensors) and ``targets`` (operations) need, given ``feeds``
    (tensors whose values the caller provides, in order)."""
    feed_ids = {id(t) for t in feeds}
    fetch_ops = [t._op for t in fetches if type(t) is SymbolicTensor and id(t) not in feed_ids]
    ops = needed_ops(graph, fetch_ops + list(targets), feed_ids, keep_stateful)
    slot_of = {id(t): i for i, t in enumerate(feeds)}
    template = [None] * len(feeds)
    steps, step_ops = [], []
    keep = []   # keeps ids in slot_of alive while compiling

    def slot(t):
        s = slot_of.get(id(t))
        if s is None:
            raise errors.InvalidArgumentError(None, None, f"Tensor {t.name} is not computed "
                                              "by this plan")
        return s

    def new_slot(t):
        slot_of[id(t)] = len(template)
        template.append(None)
        keep.append(t)
        return slot_of[id(t)]

    for op in ops:
        d = op.op_def
        outs = op.outputs
        if all(id(o) in feed_ids for o in outs) and outs:
            continue
        if d is Const:
            s = new_slot(outs[0])
            v = op.attrs["value"]
            template[s] = v if xp is np or not isinstance(v, np.ndarray) else xp.asarray(v)
            continue
        if d is NoOp:
            continue
        if d is ReadVariableOp and _is_variable(op.inputs[0]):
            steps.append(_step(_load_var, (), {"var": op.inputs[0]}, new_slot(outs[0])))
            step_ops.append(op)
            continue
        ins = []
        for x in op.inputs:
            if _is_variable(x):
                keep.append(x)
                tmp = len(template)
                template.append(None)
                steps.append(_step(_load_var, (), {"var": x}, tmp))
                step_ops.append(op)
                ins.append(tmp)
            else:
                ins.append(slot(x))
        if d.num_outputs == 1 and len(outs) == 1:
            out = new_slot(outs[0])
        else:
            out = tuple(new_slot(o) for o in outs)
            if d is Placeholder:
                out = new_slot(outs[0])
        steps.append(_step(d.kernel, ins, op.attrs, out))
        step_ops.append(op)
    p = Plan()
    p.steps = steps
    p.ops = step_ops
    p.template = template
    p.n_feeds = len(feeds)
    p.fetch_slots = [slot(t) for t in fetches]
    p.xp = xp
    p.run = _codegen(p)
    return p


def _codegen(p):
    """Straight-line Python for the plan: each step is one kernel call on local variables
    (kernels, attrs and constants are bound as default arguments, i.e. locals).
    Measured: about half the per-step cost of the interpreter loop in ``run_steps``."""
    binds = {"xp": p.xp}
    lines = []
    n = p.n_feeds
    if n:
        lines.append(f"    {', '.join(f's{i}' for i in range(n))}{',' if n == 1 else ''} = feeds")
    for i, v in enumerate(p.template):
        if i >= n and v is not None:
            binds[f"s{i}"] = v
    lines.append("    i = 0")
    lines.append("    try:")
    lines.append("        pass")
    # Free each intermediate after its last use (eager frees as it goes; so do we).
    last = {}
    for k, st in enumerate(p.steps):
        for j in st[4]:
            last[j] = k
    keep = set(p.fetch_slots) | {i for i, v in enumerate(p.template) if i >= n and
                                 v is not None}
    free_after = {}
    for j, k in last.items():
        if j not in keep:
            free_after.setdefault(k, []).append(j)
    for k, (kernel, mode, a, b, ins, attrs, out) in enumerate(p.steps):
        if k - 1 in free_after:
            lines.append("        " + "; ".join(f"s{j} = None" for j in free_after[k - 1]))
        if kernel is _load_var:
            binds[f"v{k}"] = attrs["var"]
            lines.append(f"        i = {k}; s{out} = v{k}._value")
            lines.append(f"        if s{out} is None: _load_var(xp, var=v{k})")
            continue
        binds[f"k{k}"] = kernel
        args = ["xp"] + [f"s{j}" for j in ins]
        if attrs:
            binds[f"a{k}"] = attrs
            args.append(f"**a{k}")
        call = f"k{k}({', '.join(args)})"
        if out.__class__ is int:
            lines.append(f"        i = {k}; s{out} = {call}")
        elif len(out) == 0:
            lines.append(f"        i = {k}; {call}")
        else:
            lhs = ", ".join(f"s{o}" for o in out) + ("," if len(out) == 1 else "")
            lines.append(f"        i = {k}; {lhs} = {call}")
    lines.append("    except Exception as e:")
    lines.append("        raise _fail(i, locals(), e) from None")
    lines.append(f"    return [{', '.join(f's{j}' for j in p.fetch_slots)}]")
    params = ", ".join(f"{k}={k}" for k in binds)
    src = f"def run(feeds, {params}, _fail=_fail, _load_var=_load_var):\n" + \
        "\n".join(lines) + "\n"

    def _fail(i, loc, exc):
        slots = [loc.get(f"s{j}") for j in range(len(p.template))]
        return p._error(None, slots, exc, i)

    ns = dict(binds)
    ns["_fail"] = _fail
    ns["_load_var"] = _load_var
    exec(compile(src, "<tinytf plan>", "exec"), ns)   # noqa: S102 - our own generated code
    return ns["run"]


def replay(graph, env, fetches, keep_stateful=True, feeds=()):
    """Runs the ops of ``graph`` that ``fetches`` need through ``execute``.

    ``env`` maps id(symbolic tensor) -> tensor (eager, or symbolic in the graph being built)
    for the fed tensors (placeholders). Returns the fetched tensors. Eagerly, active tapes
    record every primitive; inside another graph, the ops are copied into it.
    """
    from tinytf.framework.context import _ctx
    fed = set(env)
    fetch_ops = [t._op for t in fetches if type(t) is SymbolicTensor and id(t) not in fed]
    for op in needed_ops(graph, fetch_ops, fed, keep_stateful):
        d = op.op_def
        outs = op.outputs
        if outs and all(id(o) in env for o in outs):
            continue
        if d is Const:
            v = op.attrs["value"]
            env[id(outs[0])] = _eager(v) if _ctx().graph is None else \
                _ctx().graph.create_op(Const, (), op.attrs, "Const")
            continue
        if d is NoOp:
            continue
        if d is ReadVariableOp and _is_variable(op.inputs[0]):
            env[id(outs[0])] = op.inputs[0]._read()
            continue
        special = _REPLAY_SPECIAL.get(d.name)
        ins = tuple(x if _is_variable(x) else env[id(x)] for x in op.inputs)
        if special is not None and _ctx().graph is None:
            res = special(op, ins)
        else:
            res = execute(d, ins, op.attrs)
        if not outs:
            continue
        if type(res) is not tuple:
            res = (res,)
        for o, r in zip(outs, res):
            env[id(o)] = r
    out = []
    for t in fetches:
        if type(t) is SymbolicTensor:
            out.append(env[id(t)])
        else:
            out.append(t)
    return out


_REPLAY_SPECIAL = {}   # op type -> fn(op, inputs) used when replaying eagerly (cond, loops)


def _eager(v):
    t = EagerTensor()
    t._value = v
    from tinytf.framework.device import CPU0
    t._device = CPU0
    return t
