"""``keras.regularizers``: L1, L2, L1L2 (``l1``, ``l2``, ``l1_l2``)."""

import tinytf as tf
from tinytf.keras._lookup import Lookup


class Regularizer:
    """Base class: ``regularizer(weight)`` returns a scalar penalty added to the loss."""

    def __call__(self, x):
        return 0.0

    def get_config(self):
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config()")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check(value, name):
    value = float(value)
    if value < 0 or value != value:
        raise ValueError(f"Value for `{name}` must be a non-negative float; received "
                         f"{name}={value}")
    return value


class L1(Regularizer):
    """``l1 * reduce_sum(abs(x))``."""

    def __init__(self, l1=0.01):
        self.l1 = _check(l1, "l1")

    def __call__(self, x):
        return self.l1 * tf.reduce_sum(tf.abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """``l2 * reduce_sum(square(x))``."""

    def __init__(self, l2=0.01):
        self.l2 = _check(l2, "l2")

    def __call__(self, x):
        return self.l2 * tf.reduce_sum(tf.square(x))

    def get_config(self):
        return {"l2": self.l2}


class L1L2(Regularizer):
    """``l1 * reduce_sum(abs(x)) + l2 * reduce_sum(square(x))``."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _check(l1, "l1")
        self.l2 = _check(l2, "l2")

    def __call__(self, x):
        out = 0.0
        if self.l1:
            out = self.l1 * tf.reduce_sum(tf.abs(x))
        if self.l2:
            out = out + self.l2 * tf.reduce_sum(tf.square(x))
        if isinstance(out, float):
            return tf.zeros((), dtype=x.dtype)
        return out

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    def __init__(self, factor=0.01, mode="rows"):
        self.factor = factor
        self.mode = mode

    def __call__(self, x):
        if self.mode == "columns":
            x = tf.transpose(x)
        x = x / tf.maximum(tf.sqrt(tf.reduce_sum(tf.square(x), axis=1, keepdims=True)),
                           1e-12)
        prod = tf.matmul(x, x, transpose_b=True)
        n = x.shape[0]
        eye = tf.eye(n, dtype=x.dtype)
        return self.factor * tf.reduce_sum(tf.abs(prod * (1 - eye))) / (n * (n - 1) / 2)

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_BY_NAME = {"l1": L1, "l2": L2, "l1_l2": L1L2, "L1": L1, "L2": L2, "L1L2": L1L2,
            "OrthogonalRegularizer": OrthogonalRegularizer,
            "orthogonal_regularizer": OrthogonalRegularizer}


_LOOKUP = Lookup("regularizer", "keras.regularizers", _BY_NAME)
serialize = _LOOKUP.serialize
deserialize = _LOOKUP.deserialize
get = _LOOKUP.get

