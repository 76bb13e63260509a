"""Tensors: the shared ``Tensor`` base (operators, hashing rules) and ``EagerTensor``.

Graph tensors (``graph.graph.SymbolicTensor``) subclass ``Tensor`` too. Operators are
installed by the ops modules through ``_override_operator`` (TF's own mechanism), so
this layer never imports ``ops``.
"""

import numpy as np

from tinytf.framework import dtypes
from tinytf.framework.device import CPU0
from tinytf.framework.shape import TensorShape


class Tensor:
    """A multi-dimensional array of one dtype (``tf.Tensor``). Immutable."""

    __slots__ = ("__weakref__",)

    # Make NumPy defer to our reflected operators (np_array + tensor -> tensor).
    __array_priority__ = 100

    OVERLOADABLE_OPERATORS = frozenset({
        "__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
        "__truediv__", "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__",
        "__rmod__", "__pow__", "__rpow__", "__matmul__", "__rmatmul__", "__neg__",
        "__abs__", "__invert__", "__and__", "__rand__", "__or__", "__ror__", "__xor__",
        "__rxor__", "__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__",
        "__getitem__", "__div__", "__rdiv__", "__pos__"})

    @classmethod
    def _override_operator(cls, name, fn):
        if name not in cls.OVERLOADABLE_OPERATORS:
            raise ValueError(f"Overriding {name} is disallowed")
        setattr(cls, name, fn)

    def __hash__(self):
        raise TypeError(f"Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def ref(self):
        """A hashable reference to this tensor (``deref()`` gives it back)."""
        return Reference(self)

    def experimental_ref(self):
        return self.ref()

    @property
    def ndim(self):
        return self.shape.rank

    def get_shape(self):
        return self.shape

    # The dunders below are replaced by the ops modules; these stubs keep the class usable
    # even if ops were never imported (they are, by tinytf/__init__.py).
    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(
            f"Cannot convert a symbolic tf.Tensor ({getattr(self, 'name', '?')}) to a numpy "
            "array. This error may indicate that you're trying to pass a Tensor to a NumPy "
            "call, which is not supported.")


class Reference:
    """What ``Tensor.ref()`` returns: hashable by identity."""

    __slots__ = ("_t",)

    def __init__(self, t):
        self._t = t

    def deref(self):
        return self._t

    def __hash__(self):
        return id(self._t)

    def __eq__(self, other):
        return isinstance(other, Reference) and other._t is self._t

    def __repr__(self):
        return f"<Reference wrapping {self._t!r}>"


class EagerTensor(Tensor):
    """A tensor with a concrete value: ``_value`` is an array on ``_device``."""

    __slots__ = ("_value", "_device")

    # No __init__: ``EagerTensor()`` then allocates in C, without a Python call (about
    # 60 ns less than object.__new__ plus an __init__, on every op). Make one with
    # ``wrap(value, device)``, or ``EagerTensor()`` and set both slots.

    @property
    def dtype(self):
        return dtypes._BY_NP[self._value.dtype]

    @property
    def shape(self):
        return TensorShape._known(self._value.shape)

    @property
    def ndim(self):
        return self._value.ndim

    @property
    def device(self):
        """TF's full device name, e.g. '/job:localhost/replica:0/task:0/device:CPU:0'."""
        return self._device.name

    @property
    def backing_device(self):
        return self._device.name

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    @property
    def op(self):
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    def numpy(self):
        """The value as a NumPy array (a NumPy scalar for 0-d tensors), in host memory."""
        v = self._value if self._device.xp is np else self._device.to_host(self._value)
        return v[()] if v.ndim == 0 else v

    def _numpy(self):
        return self._value if self._device.xp is np else self._device.to_host(self._value)

    def __array__(self, dtype=None, copy=None):
        v = self._numpy()
        if dtype is not None and v.dtype != dtype:
            return np.asarray(v.astype(dtype))
        # Kernels may return NumPy scalars for 0-d results; __array__ must give an ndarray.
        return np.array(v, copy=True) if copy else np.asarray(v)

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return self._value.shape[0]

    def __iter__(self):
        # not a generator itself: iter(scalar) raises at once, as in TF
        if self._value.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor.")
        return self._iter_rows()

    def _iter_rows(self):
        if self._value.dtype == object:      # strings: no op needed (nor differentiable)
            for row in self._value:
                yield wrap(np.asarray(row, dtype=object), self._device)
            return
        for i in range(self._value.shape[0]):
            yield self[i]

    def __bool__(self):
        v = self._numpy()
        return False if v.size == 0 else bool(v)

    def __float__(self):
        return float(self._numpy())

    def __int__(self):
        return int(self._numpy())

    def __complex__(self):
        return complex(self._numpy())

    def __index__(self):
        # As TF: the NumPy value's __index__ (AttributeError for float/bool scalars,
        # TypeError for arrays).
        v = self._numpy()
        return (v[()] if v.ndim == 0 else v).__index__()

    def eval(self, feed_dict=None, session=None):
        raise NotImplementedError("eval is not supported when eager execution is enabled, is "
                                  ".numpy() what you're looking for?")

    @property
    def is_packed(self):
        return False

    def __format__(self, format_spec):
        # TF formats the NumPy value: '{:.2f}' works on scalars, '{}' prints the array.
        v = self._numpy()
        return format(v[()] if v.ndim == 0 else v, format_spec)

    def __str__(self):
        from tinytf.framework.printing import tensor_str
        return tensor_str(self)

    def __repr__(self):
        from tinytf.framework.printing import tensor_repr
        return tensor_repr(self)

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return wrap(self._value.copy(), self._device)

    def __reduce__(self):
        from tinytf.ops.array_ops import constant  # pickling only
        return constant, (self.numpy(),)

    def _rank(self):
        return self._value.ndim

    def set_shape(self, shape):
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied "
                             f"shape {TensorShape(shape)}.")

    def cpu(self):
        from tinytf.framework.execute import copy_to
        return copy_to(self, CPU0)

    def gpu(self, gpu_index=0):
        from tinytf.framework import device as _device
        from tinytf.framework.execute import copy_to
        d = _device.find("GPU", gpu_index)
        if d is None:
            raise RuntimeError(f"GPU:{gpu_index} is not available")
        return copy_to(self, d)


def wrap(value, device=CPU0):
    """Hot path: an EagerTensor around an array already on ``device``; no checks."""
    t = EagerTensor()
    t._value = value
    t._device = device
    return t


def is_tensor(x):
    """True for tensors and tensor-like objects such as ``tf.Variable`` (as in TF)."""
    return isinstance(x, Tensor) or getattr(type(x), "_tf_tensor_like", False)
