"""Pooling layers: Max/Average 1D and 2D, global average/max 1D and 2D."""

import tinytf as tf
from tinytf.keras import backend
from tinytf.keras.layers.convolutional import conv_output_length, normalize_tuple
from tinytf.keras.layers.layer import Layer


class _Pool(Layer):
    _rank = 2
    _kind = "max"

    def __init__(self, pool_size=2, strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        n = self._rank
        self.pool_size = normalize_tuple(pool_size, n, "pool_size")
        self.strides = normalize_tuple(strides, n, "strides") if strides is not None \
            else self.pool_size
        self.padding = padding.lower()
        if self.padding not in ("valid", "same"):
            raise ValueError("The `padding` argument must be a list/tuple or one of ['valid',"
                             f" 'same']. Received: {padding}")
        self.data_format = data_format or backend.image_data_format()

    def call(self, inputs):
        pad = self.padding.upper()
        if self._rank == 2:
            fmt = "NHWC" if self.data_format == "channels_last" else "NCHW"
            fn = tf.nn.max_pool2d if self._kind == "max" else tf.nn.avg_pool2d
            return fn(inputs, self.pool_size, self.strides, pad, data_format=fmt)
        # 1D: pool as 2D over a unit height
        x = tf.expand_dims(inputs, 1 if self.data_format == "channels_last" else 2)
        fmt = "NHWC" if self.data_format == "channels_last" else "NCHW"
        fn = tf.nn.max_pool2d if self._kind == "max" else tf.nn.avg_pool2d
        y = fn(x, (1, self.pool_size[0]), (1, self.strides[0]), pad, data_format=fmt)
        return tf.squeeze(y, 1 if self.data_format == "channels_last" else 2)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            spatial, head, tail = input_shape[1:-1], input_shape[:1], input_shape[-1:]
        else:
            spatial, head, tail = input_shape[2:], input_shape[:2], ()
        out = tuple(conv_output_length(l, k, self.padding, s) for l, k, s in zip(
            spatial, self.pool_size, self.strides))
        return tuple(head) + out + tuple(tail)

    def get_config(self):
        config = super().get_config()
        config.update({"pool_size": self.pool_size, "padding": self.padding,
                       "strides": self.strides, "data_format": self.data_format})
        return config


class MaxPooling2D(_Pool):
    """Max pooling over 2D windows (default 2x2, strides = pool_size)."""

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 name=None, **kwargs):
        super().__init__(pool_size, strides, padding, data_format, name=name, **kwargs)


class AveragePooling2D(MaxPooling2D):
    """Average pooling over 2D windows."""
    _kind = "avg"


class MaxPooling1D(_Pool):
    _rank = 1


class AveragePooling1D(_Pool):
    _rank = 1
    _kind = "avg"


class _GlobalPool(Layer):
    _rank = 2
    _kind = "avg"

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or backend.image_data_format()
        self.keepdims = keepdims

    def _axes(self):
        if self.data_format == "channels_last":
            return list(range(1, self._rank + 1))
        return list(range(2, self._rank + 2))

    def call(self, inputs):
        fn = tf.reduce_mean if self._kind == "avg" else tf.reduce_max
        return fn(inputs, axis=self._axes(), keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        axes = self._axes()
        if self.keepdims:
            return tuple(1 if i in axes else d for i, d in enumerate(input_shape))
        return tuple(d for i, d in enumerate(input_shape) if i not in axes)

    def get_config(self):
        config = super().get_config()
        config.update({"data_format": self.data_format, "keepdims": self.keepdims})
        return config


class GlobalAveragePooling2D(_GlobalPool):
    """Mean over the spatial dimensions."""


class GlobalMaxPooling2D(_GlobalPool):
    """Max over the spatial dimensions."""
    _kind = "max"


class GlobalAveragePooling1D(_GlobalPool):
    _rank = 1


class GlobalMaxPooling1D(_GlobalPool):
    _rank = 1
    _kind = "max"


MaxPool2D = MaxPooling2D
AvgPool2D = AveragePooling2D
MaxPool1D = MaxPooling1D
AvgPool1D = AveragePooling1D
GlobalAvgPool2D = GlobalAveragePooling2D
GlobalMaxPool2D = GlobalMaxPooling2D
GlobalAvgPool1D = GlobalAveragePooling1D
GlobalMaxPool1D = GlobalMaxPooling1D
