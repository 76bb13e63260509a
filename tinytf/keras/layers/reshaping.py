"""UpSampling2D, ZeroPadding2D, Cropping2D (and their 1D forms)."""

import numpy as np

import tinytf as tf
from tinytf.keras import backend
from tinytf.keras.layers.convolutional import normalize_tuple
from tinytf.keras.layers.layer import Layer


def _mul(d, s):
    return None if d is None else d * s


def _lerp_axis(x, axis, n, scale):
    """Linear interpolation of ``x`` along ``axis`` (length ``n``) to ``n * scale`` samples
    at half-pixel centres, clamped at the edges (TF's bilinear resize, one axis)."""
    src = np.clip((np.arange(n * scale) + 0.5) / scale - 0.5, 0, n - 1)
    lo = np.floor(src).astype(np.int32)
    hi = np.minimum(lo + 1, n - 1)
    shape = [1] * len(x.shape)
    shape[axis] = n * scale
    frac = tf.constant((src - lo).reshape(shape), dtype=x.dtype)
    a, b = tf.gather(x, lo, axis=axis), tf.gather(x, hi, axis=axis)
    return a + (b - a) * frac


class UpSampling2D(Layer):
    """Repeats rows and columns ``size`` times (nearest-neighbour upsampling), or resizes
    with bilinear interpolation (half-pixel centres, as ``tf.image.resize``)."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = normalize_tuple(size, 2, "size")
        self.data_format = data_format or backend.image_data_format()
        if interpolation not in ("nearest", "bilinear"):
            raise NotImplementedError("tinytf's UpSampling2D supports interpolation='nearest'"
                                      f" and 'bilinear' only; got {interpolation!r}.")
        self.interpolation = interpolation

    def call(self, inputs):
        x = inputs
        if self.data_format == "channels_first":
            x = tf.transpose(x, (0, 2, 3, 1))
        _, h, w, c = x.shape
        sh, sw = self.size
        if self.interpolation == "bilinear":
            x = _lerp_axis(_lerp_axis(x, 1, h, sh), 2, w, sw)
        else:
            x = tf.reshape(x, (-1, h, 1, w, 1, c))
            x = tf.tile(x, (1, 1, sh, 1, sw, 1))
            x = tf.reshape(x, (-1, h * sh, w * sw, c))
        if self.data_format == "channels_first":
            x = tf.transpose(x, (0, 3, 1, 2))
        return x

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            b, h, w, c = input_shape
            return (b, _mul(h, self.size[0]), _mul(w, self.size[1]), c)
        b, c, h, w = input_shape
        return (b, c, _mul(h, self.size[0]), _mul(w, self.size[1]))

    def get_config(self):
        config = super().get_config()
        config.update({"size": self.size, "data_format": self.data_format,
                       "interpolation": self.interpolation})
        return config


class UpSampling1D(Layer):
    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int(size)

    def call(self, inputs):
        _, t, c = inputs.shape
        x = tf.tile(tf.reshape(inputs, (-1, t, 1, c)), (1, 1, self.size, 1))
        return tf.reshape(x, (-1, t * self.size, c))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], _mul(input_shape[1], self.size), input_shape[2])

    def get_config(self):
        config = super().get_config()
        config["size"] = self.size
        return config


def _pairs(padding, n, name):
    if isinstance(padding, int):
        return ((padding, padding),) * n
    out = []
    for p in padding:
        out.append((p, p) if isinstance(p, int) else tuple(p))
    if len(out) != n:
        raise ValueError(f"`{name}` should have {n} elements. Received: {padding}.")
    return tuple(out)


class ZeroPadding2D(Layer):
    """Pads rows and columns with zeros."""

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = _pairs(padding, 2, "padding")
        self.data_format = data_format or backend.image_data_format()

    def call(self, inputs):
        (t, b), (l, r) = self.padding
        if self.data_format == "channels_last":
            pads = [[0, 0], [t, b], [l, r], [0, 0]]
        else:
            pads = [[0, 0], [0, 0], [t, b], [l, r]]
        return tf.pad(inputs, pads)

    def compute_output_shape(self, input_shape):
        (t, b), (l, r) = self.padding
        s = list(input_shape)
        hi, wi = (1, 2) if self.data_format == "channels_last" else (2, 3)
        s[hi] = None if s[hi] is None else s[hi] + t + b
        s[wi] = None if s[wi] is None else s[wi] + l + r
        return tuple(s)

    def get_config(self):
        config = super().get_config()
        config.update({"padding": self.padding, "data_format": self.data_format})
        return config


class ZeroPadding1D(Layer):
    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        self.padding = _pairs([padding] if isinstance(padding, int) else [padding], 1,
                              "padding")[0]

    def call(self, inputs):
        return tf.pad(inputs, [[0, 0], list(self.padding), [0, 0]])

    def compute_output_shape(self, input_shape):
        t = input_shape[1]
        return (input_shape[0], None if t is None else t + sum(self.padding), input_shape[2])

    def get_config(self):
        config = super().get_config()
        config["padding"] = self.padding
        return config


class Cropping2D(Layer):
    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = _pairs(cropping, 2, "cropping")
        self.data_format = data_format or backend.image_data_format()

    def call(self, inputs):
        (t, b), (l, r) = self.cropping
        if self.data_format == "channels_last":
            h, w = inputs.shape[1], inputs.shape[2]
            return inputs[:, t:h - b, l:w - r, :]
        h, w = inputs.shape[2], inputs.shape[3]
        return inputs[:, :, t:h - b, l:w - r]

    def compute_output_shape(self, input_shape):
        (t, b), (l, r) = self.cropping
        s = list(input_shape)
        hi, wi = (1, 2) if self.data_format == "channels_last" else (2, 3)
        s[hi] = None if s[hi] is None else s[hi] - t - b
        s[wi] = None if s[wi] is None else s[wi] - l - r
        return tuple(s)

    def get_config(self):
        config = super().get_config()
        config.update({"cropping": self.cropping, "data_format": self.data_format})
        return config
