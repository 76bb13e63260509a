"""Conv1D and Conv2D (channels_last; strides, 'valid'/'same' padding, dilation)."""


import tinytf as tf
from tinytf.keras import activations, backend, constraints, initializers, regularizers
from tinytf.keras.layers.core import _ser
from tinytf.keras.layers.layer import Layer


def normalize_tuple(value, n, name):
    if isinstance(value, int):
        return (value,) * n
    value = tuple(int(v) for v in value)
    if len(value) != n:
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. "
                         f"Received {name}={value}")
    return value


def conv_output_length(length, kernel, padding, stride, dilation=1):
    if length is None:
        return None
    dk = (kernel - 1) * dilation + 1
    if padding in ("same", "causal"):
        return (length + stride - 1) // stride
    return max(0, (length - dk) // stride + 1)


class _Conv(Layer):
    _rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        n = self._rank
        self.filters = int(filters)
        self.kernel_size = normalize_tuple(kernel_size, n, "kernel_size")
        self.strides = normalize_tuple(strides, n, "strides")
        padding = padding.lower()
        allowed = ("valid", "same", "causal") if n == 1 else ("valid", "same")
        if padding not in allowed:
            raise ValueError(f"The `padding` argument must be a list/tuple or one of "
                             f"{allowed}. Received: {padding}")
        self.padding = padding
        self.data_format = data_format or backend.image_data_format()
        self.dilation_rate = normalize_tuple(dilation_rate, n, "dilation_rate")
        self.groups = int(groups)
        if self.filters % self.groups:
            raise ValueError("The number of filters must be evenly divisible by the number of"
                             f" groups. Received: groups={groups}, filters={filters}.")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def _channel_axis(self):
        return -1 if self.data_format == "channels_last" else 1

    def build(self, input_shape):
        channels = input_shape[self._channel_axis()]
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found "
                             f"`None`. Full input shape received: {input_shape}")
        if channels % self.groups:
            raise ValueError("The number of input channels must be evenly divisible by the "
                             f"number of groups. Received groups={self.groups}, but the input"
                             f" has {channels} channels (full input shape is {input_shape}).")
        kshape = self.kernel_size + (channels // self.groups, self.filters)
        self.kernel = self.add_weight(name="kernel", shape=kshape,
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        else:
            self.bias = None

    def _finish(self, x):
        if self.bias is not None:
            x = tf.nn.bias_add(x, self.bias, data_format="NHWC" if self.data_format ==
                               "channels_last" else "NCHW")
        return self.activation(x)

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            spatial = input_shape[1:-1]
        else:
            spatial = input_shape[2:]
        out = tuple(conv_output_length(l, k, self.padding, s, d) for l, k, s, d in zip(
            spatial, self.kernel_size, self.strides, self.dilation_rate))
        if self.data_format == "channels_last":
            return (input_shape[0],) + out + (self.filters,)
        return (input_shape[0], self.filters) + out

    def get_config(self):
        config = super().get_config()
        config.update({
            "filters": self.filters, "kernel_size": self.kernel_size, "strides": self.strides,
            "padding": self.padding, "data_format": self.data_format,
            "dilation_rate": self.dilation_rate, "groups": self.groups,
            "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
            "kernel_initializer": _ser(self.kernel_initializer, initializers),
            "bias_initializer": _ser(self.bias_initializer, initializers),
            "kernel_regularizer": _ser(self.kernel_regularizer, regularizers),
            "bias_regularizer": _ser(self.bias_regularizer, regularizers),
            "activity_regularizer": _ser(self.activity_regularizer, regularizers),
            "kernel_constraint": _ser(self.kernel_constraint, constraints),
            "bias_constraint": _ser(self.bias_constraint, constraints)})
        return config


class Conv2D(_Conv):
    """2D convolution over (batch, height, width, channels) inputs."""

    _rank = 2

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), groups=1, activation=None, use_bias=True, **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, groups=groups,
                         activation=activation, use_bias=use_bias, **kwargs)

    def call(self, inputs):
        if not inputs.dtype.is_floating:
            inputs = tf.cast(inputs, self.dtype)
        fmt = "NHWC" if self.data_format == "channels_last" else "NCHW"
        if self.groups == 1:
            x = tf.nn.conv2d(inputs, self.kernel, strides=self.strides,
                             padding=self.padding.upper(), data_format=fmt,
                             dilations=self.dilation_rate)
        else:
            axis = 3 if fmt == "NHWC" else 1
            xs = tf.split(inputs, self.groups, axis=axis)
            ks = tf.split(self.kernel._read(), self.groups, axis=3)
            x = tf.concat([tf.nn.conv2d(a, k, strides=self.strides,
                                        padding=self.padding.upper(), data_format=fmt,
                                        dilations=self.dilation_rate)
                           for a, k in zip(xs, ks)], axis=axis)
        return self._finish(x)


class Conv1D(_Conv):
    """1D convolution over (batch, steps, channels) inputs ('causal' padding too)."""

    _rank = 1

    def call(self, inputs):
        if not inputs.dtype.is_floating:
            inputs = tf.cast(inputs, self.dtype)
        padding = self.padding
        if padding == "causal":
            left = (self.kernel_size[0] - 1) * self.dilation_rate[0]
            inputs = tf.pad(inputs, [[0, 0], [left, 0], [0, 0]])
            padding = "valid"
        fmt = "NWC" if self.data_format == "channels_last" else "NCW"
        x = tf.nn.conv1d(inputs, self.kernel, stride=self.strides[0],
                         padding=padding.upper(), data_format=fmt,
                         dilations=self.dilation_rate[0])
        if self.bias is not None:
            x = x + (self.bias if fmt == "NWC" else tf.reshape(self.bias, (-1, 1)))
        return self.activation(x)


Convolution1D = Conv1D
Convolution2D = Conv2D
