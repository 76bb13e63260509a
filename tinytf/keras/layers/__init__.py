"""``keras.layers``: the Layer base class and the built-in layers."""

import warnings as _warnings

from tinytf.keras.layers.layer import InputSpec, KerasVariable, Layer  # noqa: F401
from tinytf.keras.layers.core import (  # noqa: F401
    Activation, Dense, Dropout, Embedding, Flatten, Identity, InputLayer, Lambda, LeakyReLU,
    Permute, ReLU, RepeatVector, Reshape, Softmax)
from tinytf.keras.layers.normalization import BatchNormalization, LayerNormalization  # noqa
from tinytf.keras.layers.convolutional import (  # noqa: F401
    Conv1D, Conv2D, Convolution1D, Convolution2D)
from tinytf.keras.layers.pooling import (  # noqa: F401
    AveragePooling1D, AveragePooling2D, AvgPool1D, AvgPool2D, GlobalAveragePooling1D,
    GlobalAveragePooling2D, GlobalAvgPool1D, GlobalAvgPool2D, GlobalMaxPool1D,
    GlobalMaxPool2D, GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPool1D, MaxPool2D,
    MaxPooling1D, MaxPooling2D)
from tinytf.keras.layers.reshaping import (  # noqa: F401
    Cropping2D, UpSampling1D, UpSampling2D, ZeroPadding1D, ZeroPadding2D)
from tinytf.keras.layers.merging import (  # noqa: F401
    Add, Average, Concatenate, Maximum, Minimum, Multiply, Subtract, add, average,
    concatenate, maximum, minimum, multiply, subtract)


def serialize(layer):
    from tinytf.keras.models import saving
    return saving.serialize_layer(layer)


def deserialize(config, custom_objects=None):
    from tinytf.keras.models import saving
    return saving.deserialize_layer(config, custom_objects)


def __getattr__(name):
    if name == "Input":
        # Loaded on first use: models/functional.py imports this package (for Layer), so an
        # import here would be circular when keras.models is imported first.
        from tinytf.keras.models.functional import Input
        return Input
    if name == "Sequential":
        _warnings.warn("`keras.layers.Sequential` is deprecated; use `keras.Sequential`.",
                       DeprecationWarning, stacklevel=2)
        from tinytf.keras.models.sequential import Sequential
        return Sequential
    raise AttributeError(f"module 'keras.layers' has no attribute '{name}'")
