"""``keras.utils.to_categorical`` and ``keras.utils.normalize``."""

import numpy as np


def to_categorical(x, num_classes=None):
    """Converts a class vector (integers) to a binary class matrix (float32 one-hot)."""
    x = np.asarray(x.numpy() if hasattr(x, "numpy") else x, dtype="int64")
    input_shape = x.shape
    if input_shape and input_shape[-1] == 1 and len(input_shape) > 1:
        input_shape = input_shape[:-1]
    x = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(x)) + 1
    out = np.zeros((x.shape[0], num_classes), dtype="float32")
    out[np.arange(x.shape[0]), x] = 1
    return out.reshape(input_shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Normalizes an array to unit ``order``-norm along ``axis`` (zero vectors stay zero)."""
    x = np.asarray(x.numpy() if hasattr(x, "numpy") else x)
    norm = np.atleast_1d(np.linalg.norm(x, order, axis))
    norm[norm == 0] = 1
    return x / np.expand_dims(norm, axis)
