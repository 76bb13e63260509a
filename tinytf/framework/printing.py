"""TF's text for tensors: ``str`` gives ``tf.Tensor(10.0, shape=(), dtype=float32)``,
``repr`` gives ``<tf.Tensor: shape=(), dtype=float32, numpy=10.0>``."""

import numpy as np


def numpy_text(value, is_repr=False):
    """The NumPy text TF embeds; multi-line text starts on a new line, as in TF."""
    with np.printoptions(legacy="1.25"):
        if value.ndim == 0:
            v = value[()]
            text = repr(v) if is_repr else str(v)
        else:
            text = repr(value) if is_repr else str(value)
    if "\n" in text:
        text = "\n" + text
    return text


def tensor_str(t):
    return (f"tf.Tensor({numpy_text(t._numpy())}, shape={t.shape}, "
            f"dtype={t.dtype.name})")


def tensor_repr(t):
    return (f"<tf.Tensor: shape={t.shape}, dtype={t.dtype.name}, "
            f"numpy={numpy_text(t._numpy(), is_repr=True)}>")
