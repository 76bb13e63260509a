"""``tf.GradientTape``: records ops whose inputs are watched, then runs them backwards.

State of a tape (``None`` until first entered, and again after a non-persistent tape is
used, exactly when TF's ``self._tape`` is None):

- ``_entries``: ``(op_def, inputs, attrs, outputs)`` for every op with a watched input,
  in execution order (``framework/execute.py:_record`` appends them);
- ``_watched``: ids of watched tensors/Variables and of recorded outputs. Entries and
  ``_sources`` keep those objects alive, so the ids stay unique while the tape lives.

A non-persistent tape drops all of it once ``gradient`` (or ``jacobian``) has run.
"""

import enum

import numpy as np

from tinytf.autodiff import _log
from tinytf.autodiff import _array_grads  # noqa: F401 - registers backward_eager's gradients
from tinytf.autodiff.backprop import backward, backward_eager
from tinytf.framework.context import _ctx, _own
from tinytf.framework.dtypes import _SCALAR_KIND
from tinytf.framework.tensor import EagerTensor, Tensor
from tinytf.ops.array_ops import sum_to_shape, zeros_like_tensor
from tinytf.ops.variables import Variable
from tinytf.util import nest


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for sources the target does not depend on."""
    NONE = "none"
    ZERO = "zero"


def _is_variable(x):
    return hasattr(x, "_read") and not isinstance(x, Tensor)


def _trainable(dtype):
    return dtype.is_floating or dtype.is_complex


def _is_trainable(t):
    """Whether tensor/Variable ``t`` has a floating or complex dtype (fast for eager)."""
    v = getattr(t, "_value", None)
    if v is not None:
        k = _SCALAR_KIND.get(type(v)) or v.dtype.kind
        if k == "f" or k == "c":
            return True
        if k != "V":                       # 'V': extension types such as bfloat16
            return False
    d = t.dtype
    return d.is_floating or d.is_complex


def _check_unconnected(u):
    try:
        return UnconnectedGradients(u)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {u!r}") from None


_NONE = UnconnectedGradients.NONE
_ZERO = UnconnectedGradients.ZERO
_ONES = {}      # NumPy scalar type -> NumPy scalar one: the seed of 0-d targets

_REUSE_MSG = ("A non-persistent GradientTape can only be used to compute one set of "
              "gradients (or jacobians)")


def _ones_seed(t):
    """Ones shaped like ``t`` (a tensor or Variable) on its device: the default seed."""
    value = getattr(t, "_value", None)
    if value is not None and _ctx().graph is None:
        dev = t._device
        if dev.xp is np:
            st = type(value)                 # NumPy scalar type, or ndarray
            if st is np.ndarray and value.ndim == 0:
                st = value.dtype.type
            if st is not np.ndarray:
                arr = _ONES.get(st)
                if arr is None:      # a NumPy scalar (immutable; fast operators)
                    arr = _ONES[st] = value.dtype.type(1)
            else:
                arr = np.ones(value.shape, value.dtype)
        else:
            arr = dev.xp.ones(value.shape, value.dtype)
        out = EagerTensor()
        out._value = arr
        out._device = dev
        return out
    from tinytf.ops.array_ops import ones_like
    return ones_like(t._read() if _is_variable(t) else t)


def _zeros_for(s):
    """Zeros with the shape and dtype of source ``s`` (``UnconnectedGradients.ZERO``)."""
    value = getattr(s, "_value", None)
    if value is not None and _ctx().graph is None:
        out = EagerTensor()
        out._value = s._device.xp.zeros(value.shape, value.dtype)
        out._device = s._device
        return out
    return zeros_like_tensor(s._read() if _is_variable(s) else s)


def _flatten(x):
    """``nest.flatten`` with fast paths for a tensor and a flat list or tuple of tensors or
    Variables (``model.trainable_variables``), which is returned itself (callers only read
    it; ``_pack`` recognises it)."""
    if type(x) is EagerTensor:
        return [x]
    if type(x) is list or type(x) is tuple:
        for t in x:
            if type(t) is not EagerTensor and type(t) is not Variable:
                return nest.flatten(x)
        return x
    return nest.flatten(x)


def _pack(structure, flat, values):
    """``nest.pack_sequence_as(structure, values)``, where ``flat = _flatten(structure)``:
    fast for what ``_flatten`` took its fast path on."""
    if flat is structure:                        # a flat list or tuple of tensors
        return values if type(structure) is list else tuple(values)
    if type(structure) is EagerTensor or _is_variable(structure):
        return values[0]
    return nest.pack_sequence_as(structure, values)


class GradientTape:
    """Records operations for automatic differentiation (``tf.GradientTape``)."""

    # State before the first __enter__ (class attributes: a new tape sets only its options)
    _recording = False
    _entries = None          # None: no tape yet (TF's ``self._tape is None``)
    _watched = None
    _sources = None
    _variables = None
    _watched_variables = ()

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables

    # -- context -----------------------------------------------------------------------
    def __enter__(self):
        if self._entries is None and not self._recording:     # a new tape: _push, inlined
            self._start()
            _own().tapes.append(self)
            self._recording = True
        else:
            self._push()
        return self

    def __exit__(self, typ, value, tb):
        if self._recording:
            tapes = _ctx().tapes
            if tapes and tapes[-1] is self:        # the innermost tape: _pop, inlined
                tapes.pop()
                self._recording = False
            else:
                self._pop()

    def _start(self):
        self._entries = []
        self._watched = set()
        self._sources = []
        self._variables = {}

    def _drop(self):
        if self._variables:
            self._watched_variables = self._sorted_variables()
        elif self._watched_variables:
            self._watched_variables = ()
        self._entries = self._watched = self._sources = self._variables = None

    def _push(self):
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to re-enter "
                             "an already-active tape.")
        if self._entries is None:
            self._start()
        _own().tapes.append(self)
        self._recording = True

    def _pop(self):
        if not self._recording:
            raise ValueError("Tape is not recording.")
        tapes = _own().tapes
        if tapes and tapes[-1] is self:          # the innermost tape, as usual
            tapes.pop()
        else:
            for i in range(len(tapes) - 2, -1, -1):
                if tapes[i] is self:
                    del tapes[i]
                    break
        self._recording = False

    # -- recording ---------------------------------------------------------------------
    def _record(self, op_def, inputs, attrs, outputs):
        """Appends an op (``outputs`` a tuple); ``execute`` inlines this for speed."""
        self._entries.append((op_def, inputs, attrs, outputs))
        for o in outputs:
            self._watched.add(id(o))

    def _watch_variable(self, v):
        """Called when a trainable variable is read under this tape."""
        k = id(v)
        if k not in self._watched:
            self._watched.add(k)
            self._sources.append(v)
            self._variables[k] = v

    def watch(self, tensor):
        """Ensures that ``tensor`` (a Tensor, Variable, or nested structure of them) is
        traced by this tape."""
        for t in _flatten(tensor):
            if type(t) is EagerTensor:
                k = t._value.dtype.kind           # the common case, without .dtype
                trainable = k == "f" or k == "c" or k == "V" and _is_trainable(t)
            elif isinstance(t, Tensor) or _is_variable(t):
                trainable = _trainable(t.dtype)
            else:
                raise ValueError(f"Passed in object {t} of type {type(t).__name__!r}, not "
                                 "tf.Tensor or tf.Variable or ExtensionType.")
            if not trainable:
                _log.log_first_n(_log.WARN, "The dtype of the watched tensor must be "
                                 "floating (e.g. tf.float32), got %r", 5, t.dtype)
                continue      # TF never records ops on non-trainable dtypes
            if self._entries is None:
                raise AttributeError("'NoneType' object has no attribute '_tape'")
            k = id(t)
            if k in self._watched:
                continue
            self._watched.add(k)
            self._sources.append(t)
            if type(t) is not EagerTensor and _is_variable(t):
                self._variables[k] = t

    def _sorted_variables(self):
        vs = list(self._variables.values())
        vs.sort(key=lambda v: getattr(v, "_uid", 0))
        return tuple(vs)

    def watched_variables(self):
        """Variables watched by this tape (in creation order, as TF orders them)."""
        if self._variables is not None:
            self._watched_variables = self._sorted_variables()
        return self._watched_variables

    def stop_recording(self):
        """Context manager that temporarily stops recording operations on this tape."""
        return _StopRecording(self)

    def reset(self):
        """Clears all information stored in this tape (as if exited and re-entered with a
        new tape)."""
        self._pop()
        self._entries = None
        self._push()

    # -- gradients ---------------------------------------------------------------------
    def _begin_use(self):
        """TF's preamble of gradient/jacobian: reuse check, leave the context if needed."""
        if self._entries is None:
            raise RuntimeError(_REUSE_MSG)
        if self._recording:
            if not self._persistent:
                self._pop()
            else:
                _log.log_first_n(
                    _log.WARN, "Calling GradientTape.gradient on a persistent tape inside "
                    "its context is significantly less efficient than calling it outside "
                    "the context (it causes the gradient ops to be recorded on the tape, "
                    "leading to increased CPU and memory usage). Only call "
                    "GradientTape.gradient inside the context if you actually want to "
                    "trace the gradient in order to compute higher order derivatives.", 1)

    def _end_use(self):
        if not self._persistent:
            self._drop()

    def _backward(self, seeds, flat_sources):
        if len(flat_sources) == 1:
            keep = {id(flat_sources[0])}
        else:
            keep = {id(s) for s in flat_sources}
        ctx = _ctx()
        if not ctx.tapes and ctx.graph is None and ctx.device is None:
            # Nothing records the gradients: the array-level shortcuts may run.
            return backward_eager(self._entries, seeds, keep, self._watched, sum_to_shape,
                                  zeros_like_tensor)
        return backward(self._entries, seeds, keep, unbroadcast=sum_to_shape,
                        zeros_like=zeros_like_tensor, needed=self._watched)

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """Computes the gradient of ``target`` w.r.t. ``sources`` (nested structures).

        Non-scalar targets are summed; the result has the structure of ``sources``, with
        None (or zeros, for ``UnconnectedGradients.ZERO``) where no gradient flows.
        """
        if self._entries is None or self._recording:
            self._begin_use()
        if target is None:
            raise TypeError("Argument `target` should be a list or nested structure of "
                            "Tensors, Variables or CompositeTensors to be differentiated, "
                            "but received None.")
        unconnected = unconnected_gradients
        if unconnected is not _NONE and unconnected is not _ZERO:
            unconnected = _check_unconnected(unconnected)
        flat_targets = [target] if type(target) is EagerTensor else _flatten(target)
        flat_sources = _flatten(sources)
        for s in flat_sources:
            if type(s) is not EagerTensor:
                if s is None:
                    raise TypeError("Cannot convert the argument `type_value`: None to a "
                                    "TensorFlow DType.")
                s.dtype        # noqa: B018 - TF's AttributeError for non-tensors
        flat_og = None
        if output_gradients is not None:
            flat_og = [None if g is None else _as_seed(g, t)
                       for g, t in zip(_flatten(output_gradients), flat_targets)]
            if any(g is None for g in flat_og):
                raise ValueError("Attempt to convert a value (None) with an unsupported type "
                                 "(<class 'NoneType'>) to a Tensor.")
            flat_og += [None] * (len(flat_targets) - len(flat_og))

        seeds = {}
        if flat_og is None and len(flat_targets) == 1:     # one target, seeded with ones
            t = flat_targets[0]
            if _is_trainable(t):
                seeds[id(t)] = _ones_seed(t)
        else:
            for i, t in enumerate(flat_targets):
                if not _is_trainable(t):
                    continue
                g = flat_og[i] if flat_og is not None and flat_og[i] is not None \
                    else _ones_seed(t)
                k = id(t)
                prev = seeds.get(k)
                seeds[k] = g if prev is None else prev + g
        grads = self._backward(seeds, flat_sources)
        if not self._persistent:
            self._drop()        # before the loop: frees the entries while grads are hot
        results = []
        for s in flat_sources:
            g = grads.get(id(s))
            if g is not None and not (type(s) is EagerTensor and _SCALAR_KIND.get(
                    type(s._value)) == "f" or _is_trainable(s)):
                g = None
            if g is None and unconnected is _ZERO:
                g = _zeros_for(s)
            results.append(g)
        if flat_sources is sources:               # _pack's first case, inline
            return results if type(sources) is list else tuple(results)
        return _pack(sources, flat_sources, results)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """The Jacobian of ``target`` w.r.t. each of ``sources``: shape
        ``target.shape + source.shape`` (None, or zeros, where unconnected)."""
        if self._entries is None:
            raise RuntimeError(_REUSE_MSG)
        unconnected = _check_unconnected(unconnected_gradients)
        if not experimental_use_pfor and not self._persistent and _ctx().graph is None:
            raise RuntimeError("GradientTape must be created with persistent=True to compute "
                               "the jacobian with eager execution enabled and with  "
                               "experimental_use_pfor set to False.")
        flat_sources = nest.flatten(sources)
        tdtype = target.dtype
        tshape = target.shape
        self._begin_use()
        n = tshape.num_elements()
        rows = [[] for _ in flat_sources]
        if _trainable(tdtype):
            tval = _seed_template(target)
            for r in range(n):
                grads = self._backward({id(target): _one_hot(tval, (r,))}, flat_sources)
                for i, s in enumerate(flat_sources):
                    rows[i].append(grads.get(id(s)))
        out = []
        for i, s in enumerate(flat_sources):
            shape = tshape.as_list() + s.shape.as_list()
            got = [g for g in rows[i] if g is not None]
            if not got or not _trainable(s.dtype):
                out.append(_zeros_shaped(shape, s) if unconnected is _ZERO else None)
                continue
            filled = [g if g is not None else _zeros_for(s) for g in rows[i]]
            out.append(_stack_reshape(filled, shape, s))
        self._end_use()
        return nest.pack_sequence_as(sources, out)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobians: ``[b, y1..yn, x1..xm]`` for target ``[b, y...]`` and
        source ``[b, x...]``, assuming ``target[i]`` depends only on ``source[i]``."""
        if self._entries is None:
            raise RuntimeError("A non-persistent GradientTape can only be used to"
                               "compute one set of gradients (or jacobians)")
        tshape, sshape = target.shape, source.shape
        tshape.with_rank_at_least(2)
        sshape.with_rank_at_least(2)
        if not _dims_compatible(tshape[0], sshape[0]):
            raise ValueError(f"Need first dimension of target shape ({tshape}) and source "
                             f"shape ({sshape}) to match.")
        unconnected = _check_unconnected(unconnected_gradients)
        if not experimental_use_pfor and not self._persistent and _ctx().graph is None:
            raise RuntimeError("GradientTape must be created with persistent=True to compute "
                               "the batch_jacobian with eager execution enabled and  with "
                               "experimental_use_pfor set to False.")
        del unconnected     # TF returns zeros for an unconnected source either way
        self._begin_use()
        b = tshape[0]
        row = tshape.num_elements() // b if b else 0
        new_shape = tshape.as_list() + sshape.as_list()[1:]
        rows = []
        if _trainable(tdtype := target.dtype) and _trainable(source.dtype):
            tval = _seed_template(target)
            for j in range(row):
                g = self._backward({id(target): _one_hot(tval, (slice(None), j), 2)},
                                   [source]).get(id(source))
                rows.append(g)
        got = [g for g in rows if g is not None]
        if not got:
            self._end_use()
            return _zeros_shaped(new_shape, source, tdtype)
        filled = [g if g is not None else _zeros_for(source) for g in rows]
        out = _stack_reshape(filled, None, source, axis=1)
        out = _reshape(out, new_shape)
        self._end_use()
        return out


def _dims_compatible(a, b):
    return a is None or b is None or a == b


def _as_seed(g, t):
    from tinytf.framework.tensor_conversion import convert_to_tensor
    if _is_variable(g):
        return g._read()
    if isinstance(g, Tensor):
        return g
    return convert_to_tensor(g, dtype_hint=t.dtype)


def _seed_template(target):
    """(numpy dtype, shape, device or None) of a target, for one-hot seeds."""
    v = getattr(target, "_value", None)
    if v is not None:
        return v.dtype, v.shape, target._device
    shape = target.shape
    if not shape.is_fully_defined():
        raise ValueError(f"jacobian needs a target with a fully defined shape inside "
                         f"tf.function, got {shape}")
    return target.dtype._np, tuple(shape.as_list()), None


def _one_hot(tval, index, rows=1):
    """A seed that is 1 at ``index`` of the target flattened to ``rows`` dimensions."""
    dtype, shape, dev = tval
    flat = np.zeros((shape[0], int(np.prod(shape[1:]))) if rows == 2 else (int(np.prod(shape)),),
                    dtype)
    flat[index] = 1
    arr = flat.reshape(shape)
    if dev is None:                       # building a graph: a constant node
        from tinytf.framework.tensor_conversion import convert_to_tensor
        return convert_to_tensor(arr)
    if dev.xp is not np:
        arr = dev.from_host(arr)
    t = EagerTensor()
    t._value = arr
    t._device = dev
    return t


def _zeros_shaped(shape, like, dtype=None):
    dtype = like.dtype if dtype is None else dtype
    if _ctx().graph is not None:
        from tinytf.ops.array_ops import zeros
        return zeros(shape, dtype)
    dev = getattr(like, "_device", None)
    from tinytf.framework.device import CPU0
    dev = dev or CPU0
    t = EagerTensor()
    t._value = dev.xp.zeros(shape, dtype._np)
    t._device = dev
    return t


def _reshape(t, shape):
    from tinytf.ops.array_ops import reshape
    return reshape(t, shape)


def _stack_reshape(parts, shape, like, axis=0):
    """Stacks per-row gradients and reshapes them (differentiable while a tape records)."""
    from tinytf.ops.array_ops import reshape, stack
    if _ctx().tapes or _ctx().graph is not None:
        out = stack(parts, axis=axis)
    else:
        dev = parts[0]._device
        out = EagerTensor()
        out._value = dev.xp.stack([p._value for p in parts], axis=axis)
        out._device = dev
    return out if shape is None else reshape(out, shape)


class _StopRecording:
    def __init__(self, tape):
        self._tape = tape

    def __enter__(self):
        if self._tape._entries is None:
            raise RuntimeError("Trying to stop recording a tape which is not recording.")
        self._tape._pop()

    def __exit__(self, *exc):
        self._tape._push()
