"""The reverse pass over recorded ops, shared by ``GradientTape`` (eager entries) and
``tf.gradients`` (graph Operations): both hand it objects with ``op_def``, ``inputs``,
``outputs`` and ``attrs``, in execution order."""

from tinytf.framework.registry import OpView


def _same_shape(g, x):
    gs, xs = g.shape, x.shape
    return gs.is_fully_defined() and gs == xs


def accumulate(grads, key, g):
    """Adds ``g`` into ``grads[key]`` with a framework op (so accumulation is differentiable)."""
    prev = grads.get(key)
    grads[key] = g if prev is None else prev + g


def backward(entries, seeds, keep_ids=(), unbroadcast=None, zeros_like=None):
    """Runs the gradient functions of ``entries`` in reverse.

    entries: iterable of (op_def, inputs, attrs, outputs) with outputs a tuple.
    seeds: dict id(tensor) -> upstream gradient.
    keep_ids: ids whose gradients must stay in the result (the sources).
    Returns the dict id -> accumulated gradient.
    """
    grads = dict(seeds)
    for op_def, inputs, attrs, outputs in reversed(entries):
        dys = None
        for i, out in enumerate(outputs):
            k = id(out)
            g = grads.get(k) if k in keep_ids else grads.pop(k, None)
            if g is not None:
                if dys is None:
                    dys = [None] * len(outputs)
                dys[i] = g
        if dys is None or op_def.grad is None:
            continue
        for i, g in enumerate(dys):
            if g is None:
                dys[i] = zeros_like(outputs[i])
        in_grads = op_def.grad(OpView(op_def, inputs, outputs, attrs), *dys)
        if not isinstance(in_grads, (tuple, list)):
            in_grads = (in_grads,)
        for x, g in zip(inputs, in_grads):
            if g is None:
                continue
            if not _same_shape(g, x):
                g = unbroadcast(g, x)
            accumulate(grads, id(x), g)
    return grads
