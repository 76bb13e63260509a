"""``tf.GradientTape``: records ops whose inputs are watched, then runs them backwards."""

import warnings

from tinytf.autodiff.backprop import backward
from tinytf.framework.execute import execute
from tinytf.framework.context import _ctx
from tinytf.framework.tensor import Tensor
from tinytf.ops import array_ops
from tinytf.ops.array_ops import sum_to_shape, zeros_like_tensor
from tinytf.util import nest


class UnconnectedGradients:
    """What ``gradient`` returns for sources the target does not depend on."""
    NONE = "none"
    ZERO = "zero"


def _is_variable(x):
    return hasattr(x, "_read") and not isinstance(x, Tensor)


class GradientTape:
    """Records operations for automatic differentiation (``tf.GradientTape``)."""

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._entries = []
        self._watched = set()      # ids of watched tensors/variables and recorded outputs
        self._sources = []         # objects whose ids are in _watched (keeps ids alive)
        self._variables = {}       # id -> watched variable, in watch order
        self._recording = False
        self._used = False

    # -- context -----------------------------------------------------------------------
    def __enter__(self):
        self._push()
        return self

    def __exit__(self, typ, value, tb):
        if self._recording:
            self._pop()

    def _push(self):
        if self._recording:
            raise ValueError("Tape is still recording, This can happen if you try to re-enter "
                             "an already-active tape.")
        _ctx.tapes.append(self)
        self._recording = True

    def _pop(self):
        _ctx.tapes.remove(self)
        self._recording = False

    # -- recording ---------------------------------------------------------------------
    def _record(self, op_def, inputs, attrs, result):
        outs = result if type(result) is tuple else (result,)
        self._entries.append((op_def, inputs, attrs, outs))
        for o in outs:
            self._watched.add(id(o))
        self._sources.append(outs)

    def _watch_one(self, t):
        if id(t) in self._watched:
            return
        dt = t.dtype
        if not (dt.is_floating or dt.is_complex):
            warnings.warn(f"The dtype of the watched tensor must be floating (e.g. tf.float32), "
                          f"got {dt!r}", stacklevel=3)
        self._watched.add(id(t))
        self._sources.append(t)
        if _is_variable(t):
            self._variables[id(t)] = t

    def _watch_variable(self, v):
        """Called when a trainable variable is read under this tape."""
        if id(v) not in self._watched:
            self._watched.add(id(v))
            self._sources.append(v)
            self._variables[id(v)] = v

    def watch(self, tensor):
        """Ensures that ``tensor`` (or a nested structure of tensors/Variables) is traced."""
        for t in nest.flatten(tensor):
            if not (isinstance(t, Tensor) or _is_variable(t)):
                raise ValueError(f"Passed in object {t!r} of type {type(t).__name__!r}, not "
                                 "tf.Tensor or tf.Variable or ExtensionType.")
            self._watch_one(t)

    def watched_variables(self):
        """Variables watched by this tape, in the order they were first watched."""
        return tuple(self._variables.values())

    def stop_recording(self):
        """Context manager that temporarily stops recording on this tape."""
        return _StopRecording(self)

    def reset(self):
        """Clears all information stored in this tape (as if newly created in place)."""
        self._entries = []
        self._watched = set()
        self._sources = []
        self._variables = {}

    # -- gradients ---------------------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """Computes the gradient of ``target`` w.r.t. ``sources`` (nested structures)."""
        if self._used and not self._persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")
        if self._recording:
            if not self._persistent:
                self._pop()
            else:
                warnings.warn("Calling GradientTape.gradient on a persistent tape inside its "
                              "context is significantly less efficient than calling it "
                              "outside the context (it causes the gradient ops to be recorded "
                              "on the tape, leading to increased CPU and memory usage). Only "
                              "call GradientTape.gradient inside the context if you actually "
                              "want to trace the gradient in order to compute higher order "
                              "derivatives.", stacklevel=2)
        if unconnected_gradients not in (UnconnectedGradients.NONE, UnconnectedGradients.ZERO):
            raise ValueError(f"Unknown value for unconnected_gradients: "
                             f"{unconnected_gradients!r}")
        flat_sources = nest.flatten(sources)
        for s in flat_sources:
            if not (isinstance(s, Tensor) or _is_variable(s)):
                raise TypeError(f"Argument `sources` must contain tf.Tensor or tf.Variable "
                                f"objects, got {type(s).__name__}: {s!r}")
        flat_targets = [t._read() if _is_variable(t) else t for t in nest.flatten(target)]
        for t in flat_targets:
            if not isinstance(t, Tensor):
                raise TypeError(f"Argument `target` should be a list or nested structure of "
                                f"Tensors, Variables or CompositeTensors to be differentiated,"
                                f" but received {t!r}.")
        if output_gradients is not None:
            flat_og = [None if g is None else array_ops.convert_to_tensor_v2(g)
                       for g in nest.flatten(output_gradients)]
        else:
            flat_og = [None] * len(flat_targets)

        seeds = {}
        for t, g in zip(flat_targets, flat_og):
            if g is None:
                g = _ones_like(t)
            if id(t) in seeds:
                seeds[id(t)] = seeds[id(t)] + g
            else:
                seeds[id(t)] = g
        keep = {id(s) for s in flat_sources}
        grads = backward(self._entries, seeds, keep, unbroadcast=sum_to_shape,
                         zeros_like=zeros_like_tensor)
        results = []
        for s in flat_sources:
            g = grads.get(id(s))
            if s.dtype.is_integer or s.dtype.is_bool:
                g = None
            if g is None and unconnected_gradients == UnconnectedGradients.ZERO:
                g = zeros_like_tensor(s._read() if _is_variable(s) else s)
            results.append(g)
        if not self._persistent:
            self._used = True
            self.reset()   # release what the backward pass held
        return nest.pack_sequence_as(sources, results)


def _ones_like(t):
    return execute(array_ops.OnesLike, (t,))


class _StopRecording:
    def __init__(self, tape):
        self._tape = tape

    def __enter__(self):
        if not self._tape._recording:
            raise ValueError("Tape must be recording when stop_recording is called.")
        self._tape._pop()

    def __exit__(self, *exc):
        self._tape._push()

