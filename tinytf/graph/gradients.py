"""``tf.gradients`` (TF1, graph mode): symbolic gradients of ``ys`` w.r.t. ``xs`` built in
the graph with the same registered gradient functions the tape uses."""

from tinytf.autodiff.backprop import backward
from tinytf.framework.context import _ctx
from tinytf.graph.graph import SymbolicTensor, _is_variable, _graph_scope
from tinytf.graph.plan import needed_ops
from tinytf.util import nest


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients="none"):
    """Constructs symbolic derivatives of sum of ``ys`` w.r.t. each x in ``xs``."""
    from tinytf.ops.array_ops import OnesLike, sum_to_shape, zeros_like_tensor
    from tinytf.framework.execute import execute
    g = _ctx().graph
    if g is None:
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. "
                           "Use tf.GradientTape instead.")
    flat_ys = [y._read() if _is_variable(y) else y for y in nest.flatten(ys)]
    flat_xs = nest.flatten(xs)
    for y in flat_ys:
        if type(y) is SymbolicTensor and y.graph is not g:
            raise ValueError(f"{y} must be from the same graph as the current graph.")
    stops = {id(s) for s in nest.flatten(stop_gradients)} if stop_gradients is not None \
        else set()
    reach = {id(x) for x in flat_xs}
    between = []
    for op in g._ops:
        if op.op_def.nondiff:
            continue
        if any(id(i) in reach for i in op.inputs):
            outs = [o for o in op.outputs if id(o) not in stops]
            reach.update(id(o) for o in outs)
            between.append(op)
    need = {id(o) for o in needed_ops(g, [y.op for y in flat_ys if type(y) is SymbolicTensor],
                                      set())}
    entries = [(op.op_def, op.inputs, op.attrs, op.outputs) for op in between
               if id(op) in need]
    with _graph_scope(g, name):
        seeds = {}
        gys = nest.flatten(grad_ys) if grad_ys is not None else [None] * len(flat_ys)
        for y, gy in zip(flat_ys, gys):
            if gy is None:
                gy = execute(OnesLike, (y,))
            seeds[id(y)] = gy if id(y) not in seeds else seeds[id(y)] + gy
        grads = backward(entries, seeds, {id(x) for x in flat_xs}, unbroadcast=sum_to_shape,
                         zeros_like=zeros_like_tensor)
        out = []
        for x in flat_xs:
            r = grads.get(id(x))
            if r is None and unconnected_gradients in ("zero", "ZERO") or (
                    r is None and getattr(unconnected_gradients, "value", None) == "zero"):
                r = zeros_like_tensor(x._read() if _is_variable(x) else x)
            out.append(r)
    return out
