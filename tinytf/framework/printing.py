"""TF's str/repr text for tensors: ``str`` gives ``tf.Tensor(10.0, shape=(), dtype=float32)``,
``repr`` gives ``<tf.Tensor: shape=(), dtype=float32, numpy=10.0>``.

The array text is NumPy's own (with NumPy's summarisation: arrays over 1000 elements show
``...``), as TF's is: ``str`` of the host value, and for ``repr`` the ``repr`` of the value,
with scalars turned into Python objects first (``numpy=0.10000000149011612`` for float32 0.1).
"""

import numpy as np


def numpy_text(value, is_repr=False):
    """TF's ``numpy_text``: the text of a host array; multi-line text starts on a new line."""
    if value.ndim == 0:
        value = value[()]
        if is_repr and not isinstance(value, bytes):
            text = repr(value.item() if isinstance(value, np.generic) else value)
        else:
            text = repr(value) if is_repr else str(value)
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
