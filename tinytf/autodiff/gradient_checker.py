"""``tf.test.compute_gradient``: theoretical (tape) and numerical (central difference)
Jacobians of a function, as TF's ``gradient_checker_v2`` computes them.

Each Jacobian is a 2-D NumPy array with one row per element of ``f(*x)`` and one column
per element of the argument; complex values count as two reals (real, imaginary).
"""

import numpy as np

from tinytf.framework import dtypes
from tinytf.framework.tensor import EagerTensor, Tensor
from tinytf.framework.tensor_conversion import convert_to_tensor

_ALLOWED = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.complex64,
            dtypes.complex128)
_BF16 = getattr(dtypes, "bfloat16", None)


def _real_np(dtype):
    return {dtypes.complex64: np.float32, dtypes.complex128: np.float64}.get(
        dtype, dtype.as_numpy_dtype)


def _to_numpy(a):
    if isinstance(a, EagerTensor):
        return a.numpy()
    return a


def _product(shape):
    n = 1
    for d in shape:
        n *= d
    return n


def _theoretical(f, y_shape, y_dtype, xs, param):
    from tinytf.autodiff.tape import GradientTape
    x = xs[param]
    x_shape = tuple(x.shape) + ((2,) if x.dtype.is_complex else ())
    y_size = _product(y_shape) * (2 if y_dtype.is_complex else 1)
    jac = np.zeros((y_size, _product(x_shape)), dtype=_real_np(x.dtype))
    dy = np.zeros(y_shape, dtype=y_dtype.as_numpy_dtype)
    dy_flat = dy.ravel().view(_real_np(y_dtype))
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = f(*xs)
    for row in range(y_size):
        dy_flat[row] = 1
        g = tape.gradient(y, x, output_gradients=convert_to_tensor(dy.copy()))
        if g is not None:
            jac[row, :] = np.ascontiguousarray(_to_numpy(g)).ravel().view(jac.dtype)
        dy_flat[row] = 0
    if y_size == 0:
        g = tape.gradient(y, x, output_gradients=convert_to_tensor(dy))
        if g is not None:
            g = np.asarray(_to_numpy(g))
            if g.shape != tuple(x.shape):
                raise ValueError(f"Empty gradient has wrong shape: expected {x.shape}, got "
                                 f"{g.shape}")
            if np.any(g):
                raise ValueError("Empty tensor with nonzero gradients")
    return jac


def _numeric(f, y_size, y_dtype, xs, param, delta):
    x_dtype = xs[param].dtype
    x_size = _product(xs[param].shape) * (2 if x_dtype.is_complex else 1)
    y_size = y_size * (2 if y_dtype.is_complex else 1)
    xr, yr = _real_np(x_dtype), _real_np(y_dtype)
    arrays = [np.array(_to_numpy(t)) for t in xs]
    x = arrays[param]
    scale = np.asarray(2 * delta, dtype=yr)[()]
    jac = np.zeros((y_size, x_size), dtype=xr)

    def run():
        return np.asarray(_to_numpy(f(*[convert_to_tensor(a) for a in arrays])))

    flat = x.reshape(-1).view(xr)
    for col in range(x_size):
        original = flat[col]
        flat[col] += delta
        y_pos = run()
        flat[col] = original
        flat[col] -= delta
        y_neg = run()
        flat[col] = original
        diff = (y_pos - y_neg) / scale
        jac[:, col] = np.ascontiguousarray(diff).ravel().view(yr)
    return jac


def _check_type(dtype, what):
    if dtype not in _ALLOWED and dtype is not _BF16:
        raise AssertionError(f"Cannot compute gradient for unsupported type {dtype.name} "
                             f"of {what}")


def compute_gradient(f, x, delta=None):
    """Computes the theoretical and numeric Jacobian of ``f`` at ``x`` (a list or tuple
    of arguments); returns ``(theoretical, numerical)``, tuples of 2-D arrays."""
    if not isinstance(x, (list, tuple)):
        raise ValueError("`x` must be a list or tuple of values convertible to a Tensor "
                         f"(arguments to `f`), not a {type(x)}")
    if delta is None:
        delta = 1.0 / 1024
    xs = [t if isinstance(t, Tensor) else convert_to_tensor(t) for t in x]
    y = f(*xs)
    y_shape, y_dtype = tuple(y.shape), y.dtype
    out = []
    for i in range(len(xs)):
        _check_type(xs[i].dtype, f"argument {i}")
        _check_type(y_dtype, "y")
        out.append((_theoretical(f, y_shape, y_dtype, xs, i),
                    _numeric(f, _product(y_shape), y_dtype, xs, i, delta)))
    return tuple(zip(*out))


def max_error(grad1, grad2):
    """The largest element-wise gap between two lists of Jacobians."""
    error = 0
    for a, b in zip(grad1, grad2):
        if a.size or b.size:
            error = np.maximum(error, np.fabs(a - b).max())
    return error
