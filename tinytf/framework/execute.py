"""``execute``: the one function every op goes through.

Eager path: pick the device, run the kernel, wrap the result, record on tapes if any
is active. No shape inference and no dtype checks here (public wrappers convert and
check their arguments; kernels' outputs already carry shape and dtype). While a graph
is being built, the call becomes ``graph.create_op``.
"""

import warnings

from tinytf.framework import errors
from tinytf.framework.context import _ctx
from tinytf.framework.device import CPU0
from tinytf.framework.tensor import EagerTensor

# TF computes inf and nan silently (log(0), x/0, exp overflow); NumPy warns. Ignore NumPy's
# floating-point warnings, but only those raised in tinytf's own modules (the kernels), so a
# user's NumPy code keeps its warnings. A filter costs nothing per op.
warnings.filterwarnings("ignore", message=".*encountered in", category=RuntimeWarning,
                        module=r"tinytf\.")

_NO_ATTRS = {}
DEBUG = False        # set True to check every eager result against the op's infer rule

copies = 0           # how many cross-device copies execute made (tests read this)


def execute(op, inputs, attrs=_NO_ATTRS, name=None):
    """Runs ``op`` (an OpDef) on ``inputs`` (tensors); returns a tensor or a tuple."""
    ctx = _ctx()
    if ctx.graph is not None:
        return ctx.graph.create_op(op, inputs, attrs, name)
    device = ctx.device or (inputs[0]._device if inputs else CPU0)
    try:
        # Unpacking one or two inputs by hand, instead of building an argument list, saves
        # about a third of this function's cost on small tensors (docs/architecture.md);
        # so does calling kernels without ``**attrs`` when there are none (another 10%).
        n = len(inputs)
        if n == 2:
            x, y = inputs
            if x._device is device and y._device is device:
                out = op.kernel(device.xp, x._value, y._value, **attrs) if attrs \
                    else op.kernel(device.xp, x._value, y._value)
            else:
                out = op.kernel(device.xp, _value_on(x, device), _value_on(y, device),
                                **attrs)
        elif n == 1:
            x = inputs[0]
            xv = x._value if x._device is device else _copy_value(x, device)
            out = op.kernel(device.xp, xv, **attrs) if attrs else op.kernel(device.xp, xv)
        else:
            out = op.kernel(device.xp, *[t._value if t._device is device
                                         else _copy_value(t, device) for t in inputs],
                            **attrs)
    except Exception as e:  # noqa: BLE001 - every kernel failure becomes TF's error class
        raise kernel_error(op, inputs, attrs, e, name) from None
    if op.num_outputs == 1:
        result = EagerTensor()
        result._value = out
        result._device = device
    else:
        result = tuple(_wrap(o, device) for o in out)
    tapes = ctx.tapes
    if tapes and not op.nondiff:
        if len(tapes) == 1 and type(result) is not tuple:
            # One tape and one output, the common case under GradientTape: the
            # loop of _record, inlined (it is a third of the cost of a recorded op).
            tape = tapes[0]
            watched = tape._watched
            for t in inputs:
                if id(t) in watched:
                    tape._entries.append((op, inputs, attrs, (result,)))
                    watched.add(id(result))
                    break
        else:
            _record(tapes, op, inputs, attrs, result)
    if DEBUG:
        _debug_check(op, inputs, attrs, result)
    return result


def execute_binary(op, x, y):
    """``execute(op, (x, y))`` for two eager tensors, no attrs and one output: the path of
    the arithmetic operators (``a * b``). Same semantics; about a third cheaper, since it
    skips the general input unpacking (it falls back to ``execute`` for anything else)."""
    ctx = _ctx()
    dev = x._device
    if ctx.graph is not None or ctx.device is not None or y._device is not dev or DEBUG:
        return execute(op, (x, y))
    try:
        out = op.kernel(dev.xp, x._value, y._value)
    except Exception as e:  # noqa: BLE001 - as in execute
        raise kernel_error(op, (x, y), _NO_ATTRS, e) from None
    result = EagerTensor()
    result._value = out
    result._device = dev
    tapes = ctx.tapes
    if tapes and not op.nondiff:
        if len(tapes) == 1:                      # as in execute: _record, inlined
            tape = tapes[0]
            watched = tape._watched
            if id(x) in watched or id(y) in watched:
                tape._entries.append((op, (x, y), _NO_ATTRS, (result,)))
                watched.add(id(result))
        else:
            _record(tapes, op, (x, y), _NO_ATTRS, result)
    return result


def _value_on(t, device):
    return t._value if t._device is device else _copy_value(t, device)


def _wrap(value, device):
    t = EagerTensor()
    t._value = value
    t._device = device
    return t


def _record(tapes, op, inputs, attrs, result):
    """Appends the op to every active tape that watches one of its inputs (inlines
    ``GradientTape._record``: entries are ``(op, inputs, attrs, outputs_tuple)``)."""
    outs = None
    for tape in tapes:
        watched = tape._watched
        for t in inputs:
            if id(t) in watched:
                if outs is None:
                    outs = result if type(result) is tuple else (result,)
                tape._entries.append((op, inputs, attrs, outs))
                for o in outs:
                    watched.add(id(o))
                break


def _copy_value(t, device):
    """Copies a tensor's array onto ``device``: the one place cross-device copies happen."""
    global copies
    try:
        src = t._device
    except AttributeError:
        raise TypeError(f"Cannot use the graph tensor {getattr(t, 'name', t)!r} in eager "
                        "execution: it belongs to a graph. Run it in a Session or call it "
                        "inside the tf.function that made it.") from None
    copies += 1
    if src.xp is device.xp and device.xp.__name__ == "numpy":
        return t._value  # simulated devices share host memory
    return device.from_host(src.to_host(t._value))


def copy_to(t, device):
    """A copy of eager tensor ``t`` on ``device`` (TF's implicit send/recv)."""
    if t._device is device:
        return t
    return _wrap(_copy_value(t, device), device)


def kernel_error(op, inputs, attrs, exc, name=None):
    """Turns a kernel's exception into TF's error, asking the shape rule for a clear message."""
    if isinstance(exc, errors.OpError):
        msg = exc.message
        if "[Op:" in msg:
            return exc
        return errors.op_error(type(exc), msg, op.name, name)
    if isinstance(exc, (TypeError, AttributeError)) and "graph tensor" in str(exc):
        return exc
    msg = None
    if op.infer is not None:
        try:
            op.infer(*inputs, **attrs)
        except (ValueError, TypeError, errors.OpError) as e:
            msg = str(e)
        except Exception:  # noqa: BLE001 - a rule that cannot judge these inputs
            msg = None
    if msg is None:
        shapes = ", ".join(f"{t.dtype.name}{list(t.shape)}" for t in inputs
                           if hasattr(t, "_value"))
        msg = f"{type(exc).__name__}: {exc} (inputs: {shapes})"
    return errors.op_error(errors.InvalidArgumentError, msg, op.name, name)


def _debug_check(op, inputs, attrs, result):
    if op.infer is None:
        return
    specs = op.infer(*inputs, **attrs)
    outs = result if isinstance(result, tuple) else (result,)
    if not isinstance(specs, list):
        specs = [specs]
    for (shape, dtype), t in zip(specs, outs):
        if dtype is not t.dtype or not t.shape.is_compatible_with(shape):
            raise AssertionError(f"{op.name}: infer says {shape} {dtype}, kernel gave "
                                 f"{t.shape} {t.dtype}")
