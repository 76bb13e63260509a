"""Devices: names, tf.device scopes, placement, copies, soft placement, tf.config, tf.test.

Expected names and messages were taken from TF 2.21 (CPU build). Placement across GPUs is
tested on two simulated GPUs (the ``simulated_gpus`` fixture), so it runs everywhere.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

import tinytf as tf
from tinytf.framework import device as _device
from tinytf.framework import execute as _execute
from tinytf.framework.context import _ctx

CPU = "/job:localhost/replica:0/task:0/device:CPU:0"
GPU0 = "/job:localhost/replica:0/task:0/device:GPU:0"
GPU1 = "/job:localhost/replica:0/task:0/device:GPU:1"


# -- names ------------------------------------------------------------------------------

@pytest.mark.parametrize("spec,text", [
    ("/gpu:0", "/device:GPU:0"), ("cpu:0", "/device:CPU:0"), ("/device:GPU:1", "/device:GPU:1"),
    ("GPU", "/device:GPU:*"), ("/cpu:*", "/device:CPU:*"), ("/job:worker", "/job:worker"),
    (GPU0, GPU0), ("TPU:0", "/device:TPU:0")])
def test_device_spec_to_string_like_tf(spec, text):
    assert tf.DeviceSpec.from_string(spec).to_string() == text


def test_device_spec_fields_and_merge():
    s = tf.DeviceSpec.from_string("gpu:1")
    assert (s.job, s.replica, s.task, s.device_type, s.device_index) == \
        (None, None, None, "GPU", 1)
    assert repr(s) == ("<DeviceSpec(job=None, replica=None, task=None, device_type=GPU, "
                       "device_index=1)>")
    assert tf.DeviceSpec(job="w", device_type="gpu", device_index=2).to_string() == \
        "/job:w/device:GPU:2"
    merged = tf.DeviceSpec.from_string("/gpu:0").make_merged_spec(
        tf.DeviceSpec.from_string("/job:w"))
    assert merged.to_string() == "/job:w/device:GPU:0"
    assert tf.DeviceSpec.from_string("/gpu:0").replace(device_index=3).to_string() == \
        "/device:GPU:3"
    assert tf.DeviceSpec.from_string("/gpu:0") == tf.DeviceSpec.from_string("/device:GPU:0")


@pytest.mark.parametrize("spec,msg", [
    ("/foo:0", "Unknown attribute 'foo' is encountered while parsing the device spec: '/foo:0'."),
    ("xyz", "Unknown attribute 'xyz' is encountered while parsing the device spec: 'xyz'."),
    ("/cpu:0/gpu:1", "Multiple device types are not allowed while parsing the device spec: "
                     "/cpu:0/gpu:1."),
    ("/device:CPU", "Unknown attribute 'device' is encountered while parsing the device spec: "
                    "'/device:CPU'."),
])
def test_bad_device_names_raise_tf_errors(spec, msg):
    with pytest.raises(ValueError) as e:
        with tf.device(spec):
            pass
    assert str(e.value) == msg


@pytest.mark.parametrize("spec", ["/cpu:0", "/CPU:0", "cpu:0", "/device:CPU:0", CPU,
                                  "/job:localhost", "CPU", "/cpu", "", None, "/device:cpu:0"])
def test_cpu_names_place_on_cpu(spec):
    with tf.device(spec):
        x = tf.constant([1.])
        y = x * 2.
    assert x.device == CPU and y.device == CPU


def test_device_rejects_functions():
    with pytest.raises(RuntimeError, match="tf.device does not support functions."):
        tf.device(lambda op: "/cpu:0")


def test_importing_tinytf_does_not_import_cupy():
    code = "import sys, tinytf as tf; tf.constant(1.) + 1.; print('cupy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
                         check=True).stdout.strip()
    assert out == "False"


# -- soft placement (no GPU needed) --------------------------------------------------------

def _no_gpus(monkeypatch):
    monkeypatch.setenv("TINYTF_DISABLE_GPU", "1")
    monkeypatch.delenv("TINYTF_SIMULATED_GPUS", raising=False)
    saved = (_device._devices, _device._visible)
    _device.reset()
    return saved


@pytest.fixture
def cpu_only(monkeypatch):
    from tinytf.framework.context import _global
    saved = _no_gpus(monkeypatch)
    soft = _global["soft_placement"]
    yield
    _device._devices, _device._visible = saved
    _global["soft_placement"] = soft


def test_soft_placement_runs_gpu_requests_on_cpu(cpu_only):
    assert tf.config.get_soft_device_placement() is True
    with tf.device("/gpu:0"):
        a = tf.constant(1.)
        b = a + 1.
        v = tf.Variable(2.)
    assert a.device == b.device == v.device == CPU


def test_hard_placement_fails_with_tfs_error(cpu_only):
    tf.config.set_soft_device_placement(False)
    assert tf.config.get_soft_device_placement() is False
    msg = ("Could not satisfy device specification "
           "'/job:localhost/replica:0/task:0/device:GPU:0'. enable_soft_placement=0. "
           "Supported device types [CPU]. All available devices "
           "[/job:localhost/replica:0/task:0/device:CPU:0].")
    with tf.device("/gpu:0"):
        a = tf.constant(1.)                    # TF still makes constants (on the host)
        assert a.device == CPU
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            a + 1.
        assert str(e.value) == msg + " [Op:AddV2] name: "
        with pytest.raises(tf.errors.InvalidArgumentError) as e:
            tf.Variable(1.)
        assert str(e.value) == msg + " [Op:VarHandleOp] name: Variable/"
    with tf.device("/cpu:1"):
        with pytest.raises(tf.errors.InvalidArgumentError, match="device:CPU:1'"):
            tf.constant(1.)
    tf.config.set_soft_device_placement(True)
    with tf.device("/gpu:0"):
        assert (tf.constant(1.) + 1.).device == CPU


def test_config_on_cpu_only_machine(cpu_only):
    cpu = tf.config.list_physical_devices("CPU")
    assert repr(cpu) == "[PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')]"
    assert repr(tf.config.list_logical_devices()) == \
        "[LogicalDevice(name='/device:CPU:0', device_type='CPU')]"
    assert tf.config.list_physical_devices("GPU") == []
    assert tf.config.get_visible_devices() == cpu
    assert tf.config.experimental.get_memory_info("CPU:0") == {"current": 0, "peak": 0}
    assert tf.config.experimental.get_memory_info("/cpu:0") == {"current": 0, "peak": 0}
    with pytest.raises(ValueError, match="No matching devices found for 'GPU:5'"):
        tf.config.experimental.get_memory_info("GPU:5")
    with pytest.raises(ValueError, match="Failed parsing device name: 'foo'"):
        tf.config.experimental.get_memory_info("foo")
    with pytest.raises(ValueError, match="Cannot set memory growth on non-GPU and "
                                         "non-Pluggable devices"):
        tf.config.experimental.set_memory_growth(cpu[0], True)
    assert tf.test.is_gpu_available() is False
    assert tf.test.gpu_device_name() == ""
    assert isinstance(tf.test.is_built_with_cuda(), bool)


def test_eager_scope_names_like_tf():
    # TF's eager device names: job/replica/task filled in, index 0 by default, partial
    # inner names merge with the outer scope, None clears it.
    with tf.device("/gpu:1"):
        with tf.device("cpu"):
            assert _ctx().device_spec.to_string() == "/device:CPU:1"
        with tf.device("/job:localhost"):
            assert _ctx().device_spec.to_string() == "/job:localhost/device:GPU:1"
        with tf.device(None):
            assert _ctx().device is None and _ctx().device_name is None
        assert _ctx().device_name == "/device:GPU:1"
    assert _ctx().device is None and _ctx().device_name is None


# -- placement on simulated GPUs ----------------------------------------------------------

def test_simulated_gpus_are_listed(simulated_gpus):
    assert [d.name for d in tf.config.list_physical_devices("GPU")] == \
        ["/physical_device:GPU:0", "/physical_device:GPU:1"]
    assert [d.name for d in tf.config.list_logical_devices()] == \
        ["/device:CPU:0", "/device:GPU:0", "/device:GPU:1"]
    assert tf.test.is_gpu_available() and not tf.test.is_gpu_available(cuda_only=True)
    assert tf.test.gpu_device_name() == "/device:GPU:0"


def test_ops_follow_inputs_unless_scoped(simulated_gpus):
    with tf.device("/gpu:0"):
        a = tf.constant([1., 2.])
        r = tf.random.normal([2])
    with tf.device("/GPU:1"):
        b = tf.constant([3., 4.])
    assert a.device == r.device == GPU0 and b.device == GPU1
    assert (a * 2.).device == GPU0                     # follows its input
    assert (b + a).device == GPU1                      # first input's device
    with tf.device("/cpu:0"):
        c = a + b                                      # the scope wins; inputs copied
    assert c.device == CPU
    np.testing.assert_allclose(c.numpy(), [4., 6.])
    with tf.device("/device:GPU:1"):
        d = tf.matmul(tf.reshape(a, [1, 2]), tf.reshape(a, [2, 1]))
    assert d.device == GPU1 and d.numpy()[0, 0] == 5.


def test_cross_device_inputs_are_copied(simulated_gpus):
    with tf.device("/gpu:0"):
        a = tf.constant([1., 2.])
    before = _execute.copies
    with tf.device("/gpu:1"):
        b = a + 1.
    assert b.device == GPU1
    assert _execute.copies == before + 1
    assert isinstance(b.numpy(), np.ndarray)
    assert a.cpu().device == CPU and a.gpu(1).device == GPU1


def test_variables_live_where_created(simulated_gpus):
    with tf.device("/gpu:1"):
        v = tf.Variable([1., 2.])
    assert v.device == GPU1
    with tf.device("/gpu:0"):
        v.assign_add(tf.constant([1., 1.]))            # value copied to the variable
    assert v.device == GPU1
    np.testing.assert_allclose(v.numpy(), [2., 3.])
    assert (v * 2.).device == GPU1                     # reads happen on its device
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v * v)
    g = tape.gradient(y, v)
    np.testing.assert_allclose(g.numpy(), [4., 6.])


def test_soft_placement_picks_another_gpu(simulated_gpus):
    with tf.device("/gpu:7"):
        assert tf.constant(1.).device == GPU0
    tf.config.set_soft_device_placement(False)
    with tf.device("/gpu:7"):
        with pytest.raises(tf.errors.InvalidArgumentError,
                           match=r"Supported device types \[CPU, GPU\]"):
            tf.constant(1.) * 2.


def test_random_seed_contract_same_on_every_device(simulated_gpus):
    out = {}
    try:
        for name in ("/cpu:0", "/gpu:0", "/gpu:1"):
            tf.random.set_seed(7)
            with tf.device(name):
                x = tf.random.normal([3], seed=1)
                y = tf.random.uniform([2], seed=2)
            assert x.device.endswith(name.upper()[1:])
            out[name] = (x.numpy(), y.numpy())
    finally:
        tf.random.set_seed(None)
    for name in ("/gpu:0", "/gpu:1"):
        np.testing.assert_array_equal(out[name][0], out["/cpu:0"][0])
        np.testing.assert_array_equal(out[name][1], out["/cpu:0"][1])


def test_set_visible_devices(simulated_gpus):
    gpus = tf.config.list_physical_devices("GPU")
    tf.config.set_visible_devices(gpus[1], "GPU")
    assert tf.config.get_visible_devices("GPU") == [gpus[1]]
    assert [d.name for d in tf.config.list_logical_devices("GPU")] == ["/device:GPU:1"]
    with tf.device("/gpu:0"):                          # hidden: soft placement -> GPU:1
        assert tf.constant(1.).device == GPU1
    tf.config.set_visible_devices([], "GPU")
    assert tf.config.list_logical_devices("GPU") == []


def test_memory_settings_on_simulated_gpus(simulated_gpus):
    g = tf.config.list_physical_devices("GPU")[0]
    tf.config.experimental.set_memory_growth(g, True)
    assert tf.config.experimental.get_memory_growth(g) is True
    assert tf.config.experimental.get_memory_info("GPU:0") == {"current": 0, "peak": 0}
    tf.config.set_logical_device_configuration(
        g, [tf.config.LogicalDeviceConfiguration(memory_limit=1024)])
    assert tf.config.get_logical_device_configuration(g)[0].memory_limit == 1024


def test_strings_stay_on_host(simulated_gpus):
    with tf.device("/gpu:0"):
        s = tf.constant(["a", "b"])
    assert s.device == CPU


# -- the whole suite on every device ---------------------------------------------------------

def test_device_fixture_runs_ops(device):
    with tf.device(device):
        x = tf.constant([[1., 2.], [3., 4.]])
        y = tf.matmul(x, x) + 1.
    assert y.device.endswith(device.upper()[1:])
    np.testing.assert_allclose(y.numpy(), np.array([[7., 10.], [15., 22.]]) + 1.)


@pytest.mark.skipif(not _device.cupy_installed(), reason="CuPy is not installed")
def test_cupy_gpu_roundtrip():
    gpus = [d for d in _device.physical_devices() if d.is_cupy]
    if not gpus:
        pytest.skip("no CUDA device")
    import cupy
    with tf.device("/gpu:0"):
        a = tf.random.normal([64, 64], seed=3)
        b = tf.matmul(a, a)
        v = tf.Variable(tf.ones([2]))
    assert isinstance(b._value, cupy.ndarray) and b.device == GPU0
    assert isinstance(b.numpy(), np.ndarray) and isinstance(np.asarray(b), np.ndarray)
    np.testing.assert_allclose(b.numpy(), a.numpy() @ a.numpy(), rtol=1e-4, atol=1e-4)
    assert v.device == GPU0 and isinstance(v.numpy(), np.ndarray)
    info = tf.config.experimental.get_memory_info("GPU:0")
    assert info["current"] > 0 and info["peak"] >= info["current"]
    with tf.GradientTape() as t:
        y = tf.reduce_sum(v * v)
    np.testing.assert_allclose(t.gradient(y, v).numpy(), [2., 2.])


def test_cpu_vs_gpu_example_runs_quick():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONPATH=root, TINYTF_QUICK="1")
    r = subprocess.run([sys.executable, os.path.join(root, "examples", "cpu_vs_gpu.py")],
                       capture_output=True, text=True, env=env, cwd=root, timeout=120)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith(CPU + " /job:localhost/replica:0/task:0/device:")
    assert lines[1].split() == ["n", "cpu", "(s)", "gpu", "(s)", "cpu/gpu"]
    assert [int(x.split()[0]) for x in lines[2:6]] == [10, 100, 1000, 10000]
