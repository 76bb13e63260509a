"""``tf.config``: devices and runtime settings.

Physical devices are CPU:0 plus one GPU per CUDA device CuPy finds (or the simulated GPUs
of ``TINYTF_SIMULATED_GPUS``). Memory settings map onto CuPy's memory pool: memory growth
is what CuPy always does (``set_memory_growth`` records the flag and changes nothing), a
logical device configuration's ``memory_limit`` becomes the pool's limit. See docs/gpu.md.
"""

import collections

from tinytf.framework import device as _dev
from tinytf.framework.context import _global

from tinytf.config import experimental  # noqa: F401,E402  (filled in below)
from tinytf.config import threading  # noqa: F401,E402

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])


class LogicalDeviceConfiguration(
        collections.namedtuple("LogicalDeviceConfiguration",
                               ["memory_limit", "experimental_priority",
                                "experimental_device_ordinal"])):
    """Configuration of one logical device (``memory_limit`` in MiB)."""

    def __new__(cls, memory_limit=None, experimental_priority=None,
                experimental_device_ordinal=None):
        return super().__new__(cls, memory_limit, experimental_priority,
                               experimental_device_ordinal)


def _physical(d):
    return PhysicalDevice(f"/physical_device:{d.device_type}:{d.index}", d.device_type)


def _logical(d):
    return LogicalDevice(f"/device:{d.device_type}:{d.index}", d.device_type)


def _device_of(pd):
    """The tinytf Device behind a PhysicalDevice, or None."""
    for d in _dev.physical_devices():
        if _physical(d) == tuple(pd):
            return d
    return None


def list_physical_devices(device_type=None):
    """The physical devices of that type ('CPU', 'GPU') or all of them."""
    return [_physical(d) for d in _dev.physical_devices()
            if device_type is None or d.device_type == device_type]


def list_logical_devices(device_type=None):
    """The visible devices as logical devices ('/device:GPU:0')."""
    return [_logical(d) for d in _dev.visible_devices()
            if device_type is None or d.device_type == device_type]


def get_visible_devices(device_type=None):
    return [_physical(d) for d in _dev.visible_devices()
            if device_type is None or d.device_type == device_type]


def set_visible_devices(devices, device_type=None):
    """Makes only ``devices`` visible (of ``device_type`` when given; CPU stays visible)."""
    if isinstance(devices, PhysicalDevice):
        devices = [devices]
    chosen = []
    for pd in devices:
        d = _device_of(pd)
        if d is None:
            raise ValueError(f"Unrecognized device: {pd!r}")
        chosen.append(d)
    if device_type is not None:
        keep = [d for d in _dev.visible_devices() if d.device_type != device_type]
        chosen = keep + [d for d in chosen if d not in keep]
    _dev.set_visible(sorted(chosen, key=lambda d: (d.device_type != "CPU", d.index)))


def get_soft_device_placement():
    """Whether a missing device falls back to another one (True by default, as in TF2)."""
    return _global["soft_placement"]


def set_soft_device_placement(enabled):
    """Turns soft placement on or off; off, ``tf.device('/gpu:0')`` with no GPU fails."""
    _global["soft_placement"] = bool(enabled)


def get_logical_device_configuration(device):
    d = _device_of(device)
    if d is None:
        raise ValueError(f"Unrecognized device: {device!r}")
    return d.logical_config


def set_logical_device_configuration(device, logical_devices):
    """One configuration per physical GPU: its ``memory_limit`` (MiB) caps CuPy's pool."""
    d = _device_of(device)
    if d is None:
        raise ValueError(f"Unrecognized device: {device!r}")
    logical_devices = list(logical_devices)
    if len(logical_devices) != 1 and d.device_type == "GPU":
        raise NotImplementedError("tinytf maps one logical device onto each physical GPU")
    d.logical_config = logical_devices
    limit = logical_devices[0].memory_limit if logical_devices else None
    if d.is_cupy and limit is not None:
        with d._cupy_device:
            d.xp.get_default_memory_pool().set_limit(size=int(limit) * (1 << 20))


def _device_from_name(name):
    """Parses 'GPU:0' / '/device:GPU:0' for the memory queries (TF's errors)."""
    try:
        spec = _dev.DeviceSpec.from_string(name)
    except ValueError:
        spec = None
    if spec is None or spec.device_type is None or spec.device_index is None:
        raise ValueError(f"Failed parsing device name: '{name}'. Note a valid device string "
                         "should at least contain a device type and a device index, like "
                         "\"GPU:0\".")
    d = _dev.find(spec.device_type.upper(), spec.device_index)
    if d is None:
        raise ValueError(f"No matching devices found for '{name}'")
    return d


def _memory_info(name):
    d = _device_from_name(name)
    if not d.is_cupy:
        return {"current": 0, "peak": 0}
    with d._cupy_device:
        pool = d.xp.get_default_memory_pool()
        return {"current": int(pool.used_bytes()), "peak": int(pool.total_bytes())}


def _reset_memory_stats(name):
    d = _device_from_name(name)
    if d.is_cupy:
        with d._cupy_device:
            d.xp.get_default_memory_pool().free_all_blocks()


def _set_memory_growth(device, enable):
    d = _device_of(device)
    if d is None:
        raise ValueError(f"Unrecognized device: {device!r}")
    if d.device_type != "GPU":
        raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")
    d.memory_growth = bool(enable)   # CuPy's pool always grows on demand: nothing to change


def _get_memory_growth(device):
    d = _device_of(device)
    if d is None or d.device_type != "GPU":
        raise KeyError(device)
    return bool(d.memory_growth)


def _populate_experimental():
    e = experimental
    e.list_physical_devices = list_physical_devices
    e.list_logical_devices = list_logical_devices
    e.get_visible_devices = get_visible_devices
    e.set_visible_devices = set_visible_devices
    e.set_memory_growth = _set_memory_growth
    e.get_memory_growth = _get_memory_growth
    e.get_memory_info = _memory_info
    e.reset_memory_stats = _reset_memory_stats
    e.get_memory_usage = lambda device: _memory_info(device)["current"]
    e.get_device_policy = lambda: "silent"
    e.set_device_policy = lambda policy: None
    e.enable_op_determinism = lambda: None
    e.VirtualDeviceConfiguration = LogicalDeviceConfiguration
    e.set_virtual_device_configuration = set_logical_device_configuration
    e.get_virtual_device_configuration = get_logical_device_configuration
    e.get_device_details = _device_details


def _device_details(device):
    d = _device_of(device)
    if d is None or not d.is_cupy:
        return {}
    props = d.xp.cuda.runtime.getDeviceProperties(d.index)
    name = props["name"]
    return {"device_name": name.decode() if isinstance(name, bytes) else name,
            "compute_capability": (props["major"], props["minor"])}


_populate_experimental()


def run_functions_eagerly(run_eagerly):
    """Makes every ``tf.function`` run its Python function eagerly (for debugging)."""
    _global["run_functions_eagerly"] = bool(run_eagerly)


def functions_run_eagerly():
    """Whether ``tf.function``s run eagerly (see ``run_functions_eagerly``)."""
    return bool(_global["run_functions_eagerly"])
