"""Shared fixtures. ``device`` parametrises a test over every available device
(CPU:0 always; GPUs when CuPy finds them; simulated GPUs under TINYTF_SIMULATED_GPUS)."""

import numpy as np
import pytest

from tinytf.framework import device as _device


def _device_names():
    return [f"/{d.device_type}:{d.index}" for d in _device.physical_devices()]


@pytest.fixture(params=_device_names())
def device(request):
    """The device name to run under: use ``with tf.device(device): ...``."""
    return request.param


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def simulated_gpus(monkeypatch):
    """Two simulated (NumPy-backed) GPUs for the duration of a test, whatever the machine
    has; the device list, visibility and soft placement are restored afterwards."""
    from tinytf.framework.context import _global, _own
    monkeypatch.setenv("TINYTF_SIMULATED_GPUS", "2")
    saved = (_device._devices, _device._visible, _global["soft_placement"])
    _device.reset()
    yield [d for d in _device.physical_devices() if d.device_type == "GPU"]
    _device._devices, _device._visible, _global["soft_placement"] = saved
    _own().device = _own().device_name = _own().device_spec = None
