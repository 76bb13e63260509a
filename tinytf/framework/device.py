"""Devices: a name plus the array module (``xp``) its kernels run on; ``tf.device`` scopes.

CPU:0 is NumPy. GPUs are found lazily: CuPy is imported the first time something asks
for a GPU (``tf.device('/gpu:0')``, ``tf.config.list_physical_devices()``), never at import
time. ``TINYTF_SIMULATED_GPUS=N`` adds N simulated GPUs backed by NumPy (sharing host
memory), so placement, copy and soft-placement logic is tested on machines without a GPU;
``TINYTF_DISABLE_GPU=1`` hides real GPUs.

Placement (see docs/gpu.md): an op runs on the device of its first input unless a
``tf.device`` scope names one; ops with no inputs (constants, random numbers) run on the
scope's device, else on CPU:0.
"""

import os

import numpy as np

from tinytf.framework import errors
from tinytf.framework.context import _ctx, _global, _own

_PREFIX = "/job:localhost/replica:0/task:0/device:"


class Device:
    """One device. ``name`` is TF's full name; ``xp`` is numpy or cupy."""

    __slots__ = ("name", "device_type", "index", "xp", "simulated", "_cupy_device",
                 "memory_growth", "logical_config")

    def __init__(self, device_type, index, xp, simulated=False, cupy_device=None):
        self.device_type = device_type
        self.index = index
        self.name = f"{_PREFIX}{device_type}:{index}"
        self.xp = xp
        self.simulated = simulated
        self._cupy_device = cupy_device
        self.memory_growth = None
        self.logical_config = None

    @property
    def is_cupy(self):
        return self._cupy_device is not None

    def to_host(self, value):
        """Returns ``value`` (an array on this device) as a NumPy array."""
        if self._cupy_device is None or type(value) is np.ndarray:
            return value
        return value.get()

    def from_host(self, value):
        """Copies a NumPy array (or an array on another device) onto this device."""
        if self._cupy_device is None:
            if type(value) is np.ndarray:
                return value
            return value.get() if hasattr(value, "get") else np.asarray(value)
        with self._cupy_device:
            return self.xp.asarray(value)

    def __repr__(self):
        return f"Device({self.name!r})"


class _Unsatisfiable(Device):
    """What a ``tf.device`` scope resolves to when soft placement is off and the device is
    missing: running a kernel on it (reading ``xp``) raises TF's InvalidArgumentError."""

    __slots__ = ("message",)

    def __init__(self, device_type, index, message):
        super().__init__(device_type, index, None)
        self.message = message

    def fail(self):
        raise errors.InvalidArgumentError(None, None, self.message)

    def __getattribute__(self, item):
        if item == "xp":
            object.__getattribute__(self, "fail")()
        return object.__getattribute__(self, item)


CPU0 = Device("CPU", 0, np)


def _keep_freed_host_memory():
    """Lets glibc reuse freed array memory instead of returning it to the OS.

    By default glibc trims freed heap memory above a few MiB and maps fresh pages for the
    next large array, so every step of a training loop page-faults on all its temporaries
    (measured here: ~4800 faults and ~10 ms of system time per LeNet step at batch 128).
    Fixed thresholds keep that memory for reuse. Skipped when the user sets MALLOC_*
    variables or the C library is not glibc.
    """
    if any(k.startswith("MALLOC_") for k in os.environ):
        return
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-1, 512 << 20)      # M_TRIM_THRESHOLD: keep up to 512 MiB free
        libc.mallopt(-3, 32 << 20)       # M_MMAP_THRESHOLD: heap (reused) below 32 MiB
    except (OSError, AttributeError):
        pass


_keep_freed_host_memory()

_devices = None          # list of all physical devices, built lazily
_visible = None          # the subset made visible by tf.config.set_visible_devices


def _discover():
    global _devices
    if _devices is not None:
        return _devices
    devs = [CPU0]
    n_sim = int(os.environ.get("TINYTF_SIMULATED_GPUS", "0") or 0)
    if n_sim:
        devs += [Device("GPU", i, np, simulated=True) for i in range(n_sim)]
    elif os.environ.get("TINYTF_DISABLE_GPU", "") not in ("1", "true"):
        cupy = _import_cupy()
        count = 0
        if cupy is not None:
            try:
                count = cupy.cuda.runtime.getDeviceCount()
            except Exception:  # noqa: BLE001 - no driver or no device: CPU only
                count = 0
        for i in range(count):
            devs.append(Device("GPU", i, cupy, cupy_device=cupy.cuda.Device(i)))
    _devices = devs
    return devs


def _import_cupy():
    try:
        import cupy  # noqa: PLC0415 - lazy on purpose: CPU users never pay for it
    except Exception:  # noqa: BLE001 - not installed or broken CUDA libraries
        return None
    return cupy


def cupy_installed():
    """True when CuPy can be imported (``tf.test.is_built_with_cuda``); no import done."""
    import importlib.util
    return importlib.util.find_spec("cupy") is not None


def reset():
    """Forgets discovered and visible devices (tests switch TINYTF_SIMULATED_GPUS)."""
    global _devices, _visible
    _devices = None
    _visible = None
    _scope_cache.clear()


def physical_devices():
    return list(_discover())


def visible_devices():
    return list(_visible) if _visible is not None else list(_discover())


def set_visible(devs):
    global _visible
    devs = list(devs)
    if CPU0 not in devs:
        devs.insert(0, CPU0)      # TF refuses to hide the CPU; we keep it silently
    _visible = devs
    _scope_cache.clear()


# -- names ------------------------------------------------------------------------------

_VALID_TYPES = ("CPU", "GPU", "TPU", "XLA_CPU", "XLA_GPU")


class DeviceSpec:
    """A (possibly partial) device specification (``tf.DeviceSpec``)."""

    __slots__ = ("_job", "_replica", "_task", "_device_type", "_device_index")

    def __init__(self, job=None, replica=None, task=None, device_type=None,
                 device_index=None):
        self._job = None if job is None else str(job)
        self._replica = None if replica is None else int(replica)
        self._task = None if task is None else int(task)
        if device_type is not None:
            device_type = str(device_type)
            if device_type.upper() in _VALID_TYPES:
                device_type = device_type.upper()
        self._device_type = device_type
        self._device_index = None if device_index is None else int(device_index)

    job = property(lambda self: self._job)
    replica = property(lambda self: self._replica)
    task = property(lambda self: self._task)
    device_type = property(lambda self: self._device_type)
    device_index = property(lambda self: self._device_index)

    @classmethod
    def from_string(cls, spec):
        """Parses '/cpu:0', 'GPU:1', '/device:GPU:0' or a full name (TF's grammar)."""
        return cls(*_parse_components(spec))

    def to_string(self):
        out = ""
        if self._job is not None:
            out += f"/job:{self._job}"
        if self._replica is not None:
            out += f"/replica:{self._replica}"
        if self._task is not None:
            out += f"/task:{self._task}"
        if self._device_type is not None:
            idx = "*" if self._device_index is None else self._device_index
            out += f"/device:{self._device_type}:{idx}"
        return out

    def parse_from_string(self, spec):
        return DeviceSpec.from_string(spec)

    def make_merged_spec(self, dev):
        """A spec with ``dev``'s fields where set, else this spec's fields."""
        return DeviceSpec(*(b if b is not None else a
                            for a, b in zip(self._fields(), dev._fields())))

    def replace(self, **kwargs):
        f = dict(zip(("job", "replica", "task", "device_type", "device_index"),
                     self._fields()))
        f.update(kwargs)
        return DeviceSpec(**f)

    def _fields(self):
        return (self._job, self._replica, self._task, self._device_type, self._device_index)

    def __eq__(self, other):
        return isinstance(other, DeviceSpec) and self._fields() == other._fields()

    def __hash__(self):
        return hash(self._fields())

    def __repr__(self):
        return (f"<DeviceSpec(job={self._job}, replica={self._replica}, task={self._task}, "
                f"device_type={self._device_type}, device_index={self._device_index})>")


def _parse_components(spec):
    job = replica = task = device_type = device_index = None
    for part in str(spec).split("/"):
        y = part.split(":")
        n = len(y)
        if n == 2 and y[0] == "job":
            job = y[1]
        elif n == 2 and y[0] == "replica":
            replica = int(y[1])
        elif n == 2 and y[0] == "task":
            task = int(y[1])
        elif n in (1, 2) and y[0].upper() in _VALID_TYPES:
            if device_type is not None:
                raise ValueError("Multiple device types are not allowed while parsing the "
                                 f"device spec: {spec}.")
            device_type = y[0].upper()
            if n == 2 and y[1] != "*":
                device_index = int(y[1])
        elif n == 3 and y[0] == "device":
            if device_type is not None:
                raise ValueError("Multiple device types are not allowed while parsing the "
                                 f"device spec: {spec}.")
            device_type = y[1]
            if y[2] != "*":
                device_index = int(y[2])
        elif n and y[0] != "":
            raise ValueError(f"Unknown attribute '{y[0]}' is encountered while parsing the "
                             f"device spec: '{spec}'.")
    return job, replica, task, device_type, device_index


def parse(name):
    """Parses a device name into (TYPE, index or None); (None, None) if it names no device."""
    s = DeviceSpec.from_string(name)
    t = s.device_type
    return (None, None) if t is None else (t.upper(), s.device_index)


def canonical_name(device_type, index):
    return f"{_PREFIX}{device_type}:{index}"


def full_name(spec):
    """TF's eager canonical name of a spec: job/replica/task filled in, index 0 by default."""
    return (f"/job:{spec.job or 'localhost'}/replica:{spec.replica or 0}/task:{spec.task or 0}"
            f"/device:{spec.device_type.upper()}:{spec.device_index or 0}")


def find(device_type, index):
    """The visible device of that type and index (None means 0), or None."""
    index = index or 0
    if device_type == "CPU" and index == 0:
        return CPU0
    for d in visible_devices():
        if d.device_type == device_type and d.index == index:
            return d
    return None


def resolve(spec):
    """The Device a spec places ops on (None: no device named, follow the inputs).

    With soft placement (TF's default) a missing device falls back to another device of
    the same type, then to CPU:0; without it, an ``_Unsatisfiable`` device that raises
    TF's InvalidArgumentError when an op runs on it.
    """
    t = spec.device_type
    if t is None:
        return None
    t = t.upper()
    d = find(t, spec.device_index)
    if d is not None:
        return d
    if _global["soft_placement"]:
        same = [d for d in visible_devices() if d.device_type == t]
        return same[0] if same else CPU0
    devs = visible_devices()
    types = ", ".join(dict.fromkeys(d.device_type for d in devs))
    names = ", ".join(d.name for d in devs)
    msg = (f"Could not satisfy device specification '{full_name(spec)}'. "
           f"enable_soft_placement=0. Supported device types [{types}]. "
           f"All available devices [{names}].")
    return _Unsatisfiable(t, spec.device_index or 0, msg)


def default_device():
    """Where ops with no inputs and no scope run: CPU:0 (TF would pick GPU:0; see docs)."""
    return CPU0


def placement_device():
    """Where a new tensor made from host data goes: the scope's device, else CPU:0.

    Under an unsatisfiable GPU scope TF still creates constants (on the host); an
    unsatisfiable CPU scope fails at once.
    """
    d = _ctx().device
    if d is None:
        return CPU0
    if type(d) is _Unsatisfiable:
        if d.device_type == "GPU":
            return CPU0
        d.fail()
    return d


# -- tf.device ------------------------------------------------------------------------

class device:  # noqa: N801 - TF's public name
    """``tf.device(name)``: runs the ops created in the block on the named device.

    Nestable; partial names merge with the enclosing scope (``'/gpu:1'`` then ``'cpu'``
    gives CPU:1 as in TF); ``None`` clears the scope; ``''`` keeps it. While a graph is
    built the merged name is recorded on new ops (``_ctx().device_name``).
    """

    __slots__ = ("_name", "_saved")

    def __init__(self, device_name):
        if callable(device_name) and not isinstance(device_name, DeviceSpec):
            raise RuntimeError("tf.device does not support functions.")
        self._name = device_name
        self._saved = None

    def __enter__(self):
        ctx = _own()
        outer = getattr(ctx, "device_spec", None)
        self._saved = (ctx.device, ctx.device_name, outer)
        name = self._name
        if name is None:
            ctx.device, ctx.device_name, ctx.device_spec = None, None, None
            return self
        key = (outer, name, _global["soft_placement"])
        hit = _scope_cache.get(key)
        # A cached resolution holds only while the device lists it came from are current.
        if hit is None or hit[3] is not _devices or hit[4] is not _visible:
            spec = name if isinstance(name, DeviceSpec) else DeviceSpec.from_string(name)
            if outer is not None:
                spec = outer.make_merged_spec(spec)
            dev = resolve(spec)
            hit = (spec, spec.to_string() or None, dev, _devices, _visible)
            if len(_scope_cache) < 4096:
                _scope_cache[key] = hit
        ctx.device_spec, ctx.device_name, dev = hit[:3]
        if dev is None:
            ctx.device = self._saved[0]
        else:
            ctx.device = dev
            if dev._cupy_device is not None and _cuda_current[0] != dev.index:
                _use_cuda(dev)
        return self

    def __exit__(self, *exc):
        ctx = _own()
        ctx.device, ctx.device_name, ctx.device_spec = d, _, _ = self._saved
        if d is not None and d._cupy_device is not None and _cuda_current[0] != d.index \
                and type(d) is Device:
            _use_cuda(d)
        return False


_scope_cache = {}          # (outer spec, name, soft placement) -> (spec, name, Device)
_cuda_current = [None]     # the CUDA device CuPy was last switched to by a scope


def _use_cuda(dev):
    dev._cupy_device.use()
    _cuda_current[0] = dev.index
