"""Devices: a name plus the array module (``xp``) its kernels run on.

CPU:0 is NumPy. GPUs are found lazily (CuPy is imported on first use, never at import
time). ``TINYTF_SIMULATED_GPUS=N`` adds N simulated GPUs backed by NumPy, for testing the
placement and copy logic on machines without a GPU.
"""

import os
import re

import numpy as np

_PREFIX = "/job:localhost/replica:0/task:0/device:"


class Device:
    """One device. ``name`` is TF's full name; ``xp`` is numpy or cupy."""

    __slots__ = ("name", "device_type", "index", "xp", "simulated", "_cupy_device")

    def __init__(self, device_type, index, xp, simulated=False, cupy_device=None):
        self.device_type = device_type
        self.index = index
        self.name = f"{_PREFIX}{device_type}:{index}"
        self.xp = xp
        self.simulated = simulated
        self._cupy_device = cupy_device

    def to_host(self, value):
        """Returns ``value`` (an array on this device) as a NumPy array."""
        if self.xp is np:
            return value
        return self.xp.asnumpy(value)

    def from_host(self, value):
        """Copies a NumPy array (or array on another device) onto this device."""
        if self.xp is np:
            if type(value) is np.ndarray or np.isscalar(value):
                return np.asarray(value)
            return value.get() if hasattr(value, "get") else np.asarray(value)
        with self._cupy_device:
            return self.xp.asarray(value)

    def __repr__(self):
        return f"Device({self.name!r})"


CPU0 = Device("CPU", 0, np)

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
        try:
            import cupy  # noqa: PLC0415 - lazy on purpose: CPU users never pay for it
            count = cupy.cuda.runtime.getDeviceCount()
        except Exception:  # no CuPy, no driver, no device: CPU only
            count = 0
        for i in range(count):
            devs.append(Device("GPU", i, cupy, cupy_device=cupy.cuda.Device(i)))
    _devices = devs
    return devs


def physical_devices():
    return list(_discover())


def visible_devices():
    return list(_visible) if _visible is not None else list(_discover())


def set_visible(devs):
    global _visible
    _visible = list(devs)


_SPEC = re.compile(
    r"^(?:/job:(?P<job>[^/]+))?(?:/replica:(?P<replica>\d+))?(?:/task:(?P<task>\d+))?"
    r"(?:/(?:device:)?(?P<type>[A-Za-z_]+):(?P<index>\d+|\*))?/?$")


def parse(name):
    """Parses '/gpu:0', 'GPU:1', '/device:CPU:0' or a full name into (TYPE, index or None).

    Returns (None, None) for a spec that names no device (e.g. '/job:localhost').
    Raises ValueError for malformed names as TF does.
    """
    s = name.strip()
    if s and not s.startswith("/"):
        s = "/" + s
    m = _SPEC.match(s)
    if not m:
        raise ValueError(f"Failed to parse device spec: '{name}'")
    t = m.group("type")
    if t is None:
        return None, None
    idx = m.group("index")
    return t.upper(), (None if idx == "*" else int(idx))


def canonical_name(device_type, index):
    return f"{_PREFIX}{device_type}:{index}"


def find(device_type, index):
    """The visible device of that type and index, or None."""
    for d in visible_devices():
        if d.device_type == device_type and d.index == (index or 0):
            return d
    return None


def default_device():
    """Where ops with no inputs and no scope run: CPU:0 (TF would pick GPU:0; see docs)."""
    return CPU0
