"""``tf.test``: numerical gradient checking and device queries."""

# -- gradient checking (autodiff helper) ------------------------------------------------
from tinytf.autodiff.gradient_checker import compute_gradient  # noqa: F401,E402


# -- device queries (devices helper) ----------------------------------------------------
def is_built_with_cuda():
    """True when CuPy is installed (tinytf's CUDA backend); does not import it."""
    from tinytf.framework import device as _dev
    return _dev.cupy_installed()


def is_built_with_gpu_support():
    return is_built_with_cuda()


def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """True when a GPU is visible (simulated GPUs count unless ``cuda_only``)."""
    from tinytf.framework import device as _dev
    gpus = [d for d in _dev.visible_devices() if d.device_type == "GPU"]
    if cuda_only or min_cuda_compute_capability is not None:
        gpus = [d for d in gpus if d.is_cupy]
    if min_cuda_compute_capability is not None:
        want = tuple(min_cuda_compute_capability)
        gpus = [d for d in gpus if (lambda p: (p["major"], p["minor"]))(
            d.xp.cuda.runtime.getDeviceProperties(d.index)) >= want]
    return bool(gpus)


def gpu_device_name():
    """'/device:GPU:0' when a GPU is visible, else ''."""
    from tinytf.framework import device as _dev
    for d in _dev.visible_devices():
        if d.device_type == "GPU":
            return f"/device:GPU:{d.index}"
    return ""
