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
