"""``tf.autodiff.ForwardAccumulator``: forward-mode autodiff (Jacobian-vector products).

The accumulator sits on the tape stack like a GradientTape: ``execute`` hands it every op
with an input that has a tangent (through ``_entries.append``), and it computes the
outputs' tangents at once with the double-VJP trick TF also uses: for the op's gradient
``g(u) = VJP(u)`` (linear in the cotangent ``u``), ``JVP(t) = d/du <g(u), t>``. Both steps
are tinytf ops, so an outer GradientTape records them (reverse-over-forward works).
"""

from tinytf.autodiff.tape import GradientTape, UnconnectedGradients, _check_unconnected
from tinytf.framework.context import _own
from tinytf.framework.registry import OpView
from tinytf.framework.tensor import Tensor
from tinytf.util import nest


def _is_variable(x):
    return hasattr(x, "_read") and not isinstance(x, Tensor)


def _floating(t):
    d = t.dtype
    return d.is_floating or d.is_complex


class _JVPRecorder:
    """What ``execute`` appends recorded ops to: computes their output tangents."""

    def __init__(self, acc):
        self._acc = acc

    def append(self, entry):
        self._acc._forward(*entry)


class ForwardAccumulator:
    """Computes Jacobian-vector products with forward-mode autodiff
    (``tf.autodiff.ForwardAccumulator(primals, tangents)``)."""

    _watch_accessed = False

    def __init__(self, primals, tangents):
        self._watched = set()
        self._tangents = {}
        self._keep = []
        self._entries = _JVPRecorder(self)
        self._recording = False
        from tinytf.framework.tensor_conversion import convert_to_tensor
        flat_p, flat_t = nest.flatten(primals), nest.flatten(tangents)
        if len(flat_p) != len(flat_t):
            raise ValueError(f"primals and tangents must have the same structure, got "
                             f"{len(flat_p)} primals and {len(flat_t)} tangents")
        for p, t in zip(flat_p, flat_t):
            if not (isinstance(p, Tensor) or _is_variable(p)):
                raise ValueError(f"Passed in object {p} of type {type(p).__name__!r}, not "
                                 "tf.Tensor or tf.Variable or ExtensionType.")
            if _is_variable(t):
                t = t._read()
            elif not isinstance(t, Tensor):
                t = convert_to_tensor(t, dtype_hint=p.dtype)
            self._set(p, t)

    def _set(self, obj, tangent):
        k = id(obj)
        self._tangents[k] = tangent
        self._watched.add(k)
        self._keep.append(obj)

    def _watch_variable(self, v):
        pass

    def __enter__(self):
        if self._recording:
            raise ValueError("Accumulator is already recording.")
        _own().tapes.append(self)
        self._recording = True
        return self

    def __exit__(self, *exc):
        if self._recording:
            tapes = _own().tapes
            for i in range(len(tapes) - 1, -1, -1):
                if tapes[i] is self:
                    del tapes[i]
                    break
            self._recording = False

    def _forward(self, op_def, inputs, attrs, outputs):
        grad_fn = op_def.grad
        if grad_fn is None:
            return
        tangents = [self._tangents.get(id(x)) for x in inputs]
        outs = [o for o in outputs if _floating(o)]
        if not outs or all(t is None for t in tangents):
            return
        from tinytf.ops.array_ops import sum_to_shape, zeros_like_tensor
        from tinytf.ops.math_ops import reduce_sum
        tapes = _own().tapes
        pos = next(i for i in range(len(tapes) - 1, -1, -1) if tapes[i] is self)
        del tapes[pos]                               # our own work is not forward-traced
        try:
            us = [zeros_like_tensor(o) for o in outputs]
            with GradientTape() as inner:
                inner.watch(us)
                vjps = grad_fn(OpView(op_def, inputs, outputs, attrs), *us)
                if not isinstance(vjps, (list, tuple)):
                    vjps = (vjps,)
                total = None
                for x, g, t in zip(inputs, vjps, tangents):
                    if g is None or t is None:
                        continue
                    if tuple(g.shape) != tuple(x.shape):
                        g = sum_to_shape(g, x)
                    term = reduce_sum(g * t)
                    total = term if total is None else total + term
            if total is None:
                return
            jvps = inner.gradient(total, us)
        finally:
            tapes.insert(pos, self)
        for o, j in zip(outputs, jvps):
            if j is not None and _floating(o):
                self._set(o, j)

    def jvp(self, primals, unconnected_gradients=UnconnectedGradients.NONE):
        """The tangents of ``primals`` (a tensor or nested structure): None (or zeros with
        ``UnconnectedGradients.ZERO``) for tensors that do not depend on the watched ones."""
        unconnected = _check_unconnected(unconnected_gradients)
        out = []
        for p in nest.flatten(primals):
            if not (isinstance(p, Tensor) or _is_variable(p)):
                raise AttributeError(f"'{type(p).__name__}' object has no attribute '_id'")
            t = self._tangents.get(id(p))
            if t is None and unconnected is UnconnectedGradients.ZERO:
                from tinytf.ops.array_ops import zeros_like_tensor
                t = zeros_like_tensor(p._read() if _is_variable(p) else p)
            out.append(t)
        return nest.pack_sequence_as(primals, out)
