"""The reverse pass over recorded ops, shared by ``GradientTape`` (eager entries) and
``tf.gradients`` (graph Operations): both hand it entries in execution order.

An entry is a tuple ``(op_def, inputs, attrs, outputs)`` with ``outputs`` a tuple.
Gradients are keyed by ``id`` of the tensor (or Variable) they belong to; the tape keeps
every recorded tensor alive, so ids are stable for the pass.
"""

from tinytf.framework.context import _ctx
from tinytf.framework.registry import OpView
from tinytf.framework.tensor import EagerTensor


def _same_shape(g, x):
    try:
        return g._value.shape == x._value.shape          # eager (tensors and Variables)
    except AttributeError:
        gs, xs = g.shape, x.shape                        # graph tensors: static shapes
        return gs.is_fully_defined() and gs == xs


def add_grads(a, b):
    """``a + b`` for two gradients; raw array addition when nothing records it."""
    ctx = _ctx()
    if not ctx.tapes and ctx.graph is None:
        try:
            if a._device is b._device:
                t = EagerTensor()
                t._value = a._value + b._value
                t._device = a._device
                return t
        except AttributeError:
            pass
    return a + b


def accumulate(grads, key, g):
    """Adds ``g`` into ``grads[key]`` (a framework op when a tape or graph records it)."""
    prev = grads.get(key)
    grads[key] = g if prev is None else add_grads(prev, g)


def backward(entries, seeds, keep_ids=(), unbroadcast=None, zeros_like=None, needed=None,
             array_grads=None):
    """Runs the gradient functions of ``entries`` in reverse.

    entries: list of (op_def, inputs, attrs, outputs) with outputs a tuple.
    seeds: dict id(tensor) -> upstream gradient; taken over (the result is built in it).
    keep_ids: ids whose gradients must stay in the result (the sources).
    unbroadcast(g, x): sums a broadcast gradient back to ``x``'s shape.
    zeros_like(t): zeros for the outputs of a multi-output op that got no gradient.
    needed: optional set of ids that can carry gradients (watched tensors and recorded
        outputs); gradients for other inputs are dropped without being summed.
    array_grads: ``ARRAY_GRADS`` when nothing records the gradients (see below): the
        array-level gradients are tried first, and sums are plain array additions.
    Returns the dict id -> accumulated gradient.
    """
    grads = seeds
    view = None                 # the OpView handed to gradient functions, made on first use
    get, pop = grads.get, grads.pop
    add = add_grads if array_grads is None else _add_unrecorded
    fast_get = array_grads.get if array_grads is not None else None
    for entry in reversed(entries):
        op_def, inputs, attrs, outputs = entry
        if len(outputs) == 1:
            k = id(outputs[0])
            g = get(k) if k in keep_ids else pop(k, None)
            if g is None:
                continue
            if fast_get is not None and type(g) is EagerTensor:
                fast = fast_get(op_def)
                if fast is not None and fast(entry, g, grads, needed):
                    continue                 # it added its gradients into grads
            dys = (g,)
        else:
            dys = None
            for i, out in enumerate(outputs):
                k = id(out)
                g = get(k) if k in keep_ids else pop(k, None)
                if g is not None:
                    if dys is None:
                        dys = [None] * len(outputs)
                    dys[i] = g
            if dys is None:
                continue
            for i, g in enumerate(dys):
                if g is None:
                    dys[i] = zeros_like(outputs[i])
        grad_fn = op_def.grad
        if grad_fn is None:
            continue
        if view is None:
            view = OpView(op_def, inputs, outputs, attrs)
            view._needed = needed
        else:
            view.op_def, view.inputs, view.outputs, view.attrs = op_def, inputs, outputs, attrs
        in_grads = grad_fn(view, *dys)
        if type(in_grads) is not tuple and type(in_grads) is not list:
            in_grads = (in_grads,)
        for x, g in zip(inputs, in_grads):
            if g is None:
                continue
            k = id(x)
            if needed is not None and k not in needed:
                continue
            try:
                same = g._value.shape == x._value.shape
            except AttributeError:
                same = _same_shape(g, x)
            if not same:
                g = unbroadcast(g, x)
            prev = get(k)
            grads[k] = g if prev is None else add(prev, g)
    return grads


# -- eager backward pass ------------------------------------------------------------------
#
# ``GradientTape.gradient`` usually runs with nothing recording (a non-persistent tape has
# left its context; a persistent one is asked outside it). Then no gradient needs to be a
# recorded op, and the few hottest gradients (those of + - * and ``x**2``) can be computed
# straight on the arrays with the ops' own kernels: the same array operations as their
# tinytf-op gradients in ops/math_ops.py, without an ``execute`` per step. This is most of
# the cost of a small tape round (issue 3's speed goal). Each array gradient gives up
# (returns None) whenever the op-level gradient could behave differently (dtypes or devices
# that differ, an exotic case), and the entry then takes the ordinary path.

ARRAY_GRADS = {}    # OpDef -> fn(entry, dz, grads, needed) -> True if it handled the entry


def array_gradient(op_def):
    """Decorator: registers the array-level gradient of ``op_def`` used by ``backward_eager``.

    ``fn(entry, dz, grads, needed)`` gets the tape entry ``(op_def, inputs, attrs,
    outputs)``, the upstream gradient (an eager tensor), the pass's dict of gradients and
    the ids that take gradients. It adds the gradients of the inputs in ``needed`` into
    ``grads`` and returns True, or returns False, having written nothing, to let the
    op-level gradient run instead.
    """
    def deco(fn):
        ARRAY_GRADS[op_def] = fn
        return fn
    return deco


def backward_eager(entries, seeds, keep_ids, needed, unbroadcast, zeros_like):
    """``backward`` for eager tape entries while nothing records the gradients, with
    ``ARRAY_GRADS`` tried before an op's gradient function. Callers ensure that no tape is
    recording, no graph is being built and no device scope is active."""
    return backward(entries, seeds, keep_ids, unbroadcast, zeros_like, needed, ARRAY_GRADS)


def _add_unrecorded(a, b):
    """``add_grads`` for a caller that knows that nothing records (no tape, no graph)."""
    try:
        if a._device is b._device:
            t = EagerTensor()
            t._value = a._value + b._value
            t._device = a._device
            return t
    except AttributeError:
        pass
    return a + b
