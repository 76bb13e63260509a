"""``tf.custom_gradient``: a function that supplies its own gradient.

As TF does: ``f`` runs normally (its ops are recorded, so a grad_fn that uses tensors
computed inside ``f`` still differentiates at higher order), then its results go through
one ``IdentityN`` op whose inputs are the results, the tensor arguments and the trainable
Variables ``f`` read, and whose gradient is ``grad_fn`` (None for the results, so nothing
flows into ``f``'s own ops). The same op works eagerly, on tapes, and in graphs
(``tf.function``, ``tf.gradients``), since it is an ordinary op with a per-call OpDef.
"""

import functools
import inspect

from tinytf.framework.context import _ctx, _own
from tinytf.framework.registry import OpDef
from tinytf.framework.tensor import Tensor
from tinytf.util import nest


class _VariableWatcher:
    """Sits on the tape stack while ``f`` runs and collects the trainable Variables it
    reads (TF's ``VariableWatcher``). Records nothing itself."""

    _watch_accessed = True

    def __init__(self):
        self._watched = frozenset()
        self._entries = None
        self.variables = {}

    def _watch_variable(self, v):
        self.variables.setdefault(id(v), v)

    def __enter__(self):
        _own().tapes.append(self)
        return self

    def __exit__(self, *exc):
        tapes = _own().tapes
        for i in range(len(tapes) - 1, -1, -1):
            if tapes[i] is self:
                del tapes[i]
                break


def _accepts_variables(fn):
    try:
        spec = inspect.getfullargspec(fn)
    except TypeError:
        return True
    return "variables" in spec.args or "variables" in spec.kwonlyargs or bool(spec.varkw)


def _is_variable(x):
    return hasattr(x, "_read") and not isinstance(x, Tensor)


def _identity_n_kernel(n_out):
    def kernel(xp, *values):
        return values[0] if n_out == 1 else tuple(values[:n_out])
    return kernel


def _identity_n_infer(n_out):
    def infer(*ins):
        specs = [(t.shape, t.dtype) for t in ins[:n_out]]
        return specs[0] if n_out == 1 else specs
    return infer


def _call(f, args, kwargs):
    from tinytf.framework.execute import execute
    from tinytf.framework.tensor_conversion import convert_to_tensor

    with _VariableWatcher() as watcher:
        result, grad_fn = f(*args, **kwargs)
    flat_args = nest.flatten(args)
    all_inputs = flat_args + nest.flatten(kwargs)
    variables = [v for v in watcher.variables.values()
                 if all(v is not i for i in all_inputs)]
    if variables and not _accepts_variables(grad_fn):
        raise TypeError("@tf.custom_gradient grad_fn must accept keyword argument "
                        f"'variables', since function uses variables: {variables}")
    flat_result = [x if isinstance(x, Tensor) else convert_to_tensor(x)
                   for x in nest.flatten(result)]
    arg_tensors = [x if isinstance(x, Tensor) or _is_variable(x) else convert_to_tensor(x)
                   for x in flat_args]
    arg_count = len(flat_args)
    n_out = len(flat_result)
    if n_out == 0:
        return result

    def actual_grad_fn(op, *result_grads):
        result_grads = list(result_grads[:n_out])
        if variables:
            input_grads, variable_grads = grad_fn(*result_grads, variables=variables)
            if len(variable_grads) != len(variables):
                raise ValueError("Must return gradient for each variable from "
                                 "@custom_gradient grad_fn.")
        else:
            input_grads = grad_fn(*result_grads)
            variable_grads = []
        flat_grads = nest.flatten(input_grads)
        if len(flat_grads) != arg_count:
            raise ValueError(f"custom_gradient function expected to return {arg_count} "
                             f"gradients, but returned {len(flat_grads)} instead.")
        flat_grads = [g if g is None or isinstance(g, Tensor) else convert_to_tensor(g)
                      for g in flat_grads]
        # nothing flows into f's own ops through its results
        return [None] * n_out + flat_grads + list(variable_grads)

    # TF's graph-mode form: IdentityN over the results, with the gradient overridden.
    op_def = OpDef("IdentityN", _identity_n_kernel(n_out), _identity_n_infer(n_out), n_out,
                   False)
    op_def.grad = actual_grad_fn
    outs = execute(op_def, tuple(flat_result) + tuple(arg_tensors) + tuple(variables))
    outs = list(outs) if n_out > 1 else [outs]
    return nest.pack_sequence_as(result, outs)


def custom_gradient(f=None):
    """Decorator to define a function with a custom gradient (``tf.custom_gradient``).

    ``f(*x)`` returns ``(y, grad_fn)``; ``grad_fn(*dy)`` returns the gradients for ``x``
    (one per argument), or ``(grads_x, grads_vars)`` with a ``variables=`` keyword when
    ``f`` reads trainable Variables.
    """
    if f is None:
        return custom_gradient

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        if _ctx().graph is not None:
            hook = getattr(_ctx().graph, "custom_gradient", None)
            if hook is not None:
                return hook(f, args, kwargs)
        return _call(f, args, kwargs)

    return decorated
