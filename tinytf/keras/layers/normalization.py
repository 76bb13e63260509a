"""BatchNormalization and LayerNormalization."""

import tinytf as tf
from tinytf.keras import constraints, initializers, regularizers
from tinytf.keras.layers.core import _ser
from tinytf.keras.layers.layer import Layer


def _moments(x, axes):
    mean = tf.reduce_mean(x, axis=axes, keepdims=True)
    var = tf.reduce_mean(tf.square(x - tf.stop_gradient(mean)), axis=axes, keepdims=True)
    return mean, var


class BatchNormalization(Layer):
    """Normalizes with batch statistics while training and moving statistics otherwise."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, **kwargs):
        for k in ("fused", "renorm", "virtual_batch_size", "adjustment"):
            kwargs.pop(k, None)
        super().__init__(**kwargs)
        self.axis = int(axis) if not isinstance(axis, (list, tuple)) else list(axis)
        self.momentum = float(momentum)
        self.epsilon = float(epsilon)
        self.center, self.scale, self.synchronized = center, scale, synchronized
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        rank = len(input_shape)
        axis = self.axis if isinstance(self.axis, int) else self.axis[0]
        if axis < 0:
            axis += rank
        self._axis = axis
        dim = input_shape[axis]
        if dim is None:
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined "
                             f"dimension but the layer received an input with shape "
                             f"{input_shape}.")
        shape = (dim,)
        self._reduction_axes = [i for i in range(rank) if i != axis]
        self._bshape = [1] * rank
        self._bshape[axis] = dim
        self.gamma = self.add_weight(shape=shape, name="gamma",
                                     initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint) if self.scale else None
        self.beta = self.add_weight(shape=shape, name="beta", initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint) if self.center else None
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)

    def _param(self, v):
        t = v._read() if hasattr(v, "_read") else v
        return t if self._axis == len(self._bshape) - 1 else tf.reshape(t, self._bshape)

    def call(self, inputs, training=None, mask=None):
        training = bool(training) and self.trainable
        last = self._axis == len(self._bshape) - 1
        if training:
            mean, var = _moments(inputs, self._reduction_axes)
            flat_mean = tf.reshape(mean, [-1])
            flat_var = tf.reshape(var, [-1])
            m = self.momentum
            self.moving_mean.assign(self.moving_mean * m + tf.stop_gradient(flat_mean) *
                                    (1.0 - m))
            self.moving_variance.assign(self.moving_variance * m +
                                        tf.stop_gradient(flat_var) * (1.0 - m))
            if last:
                mean, var = flat_mean, flat_var
        else:
            mean, var = self._param(self.moving_mean), self._param(self.moving_variance)
        inv = tf.math.rsqrt(var + self.epsilon)
        if self.gamma is not None:
            inv = inv * self._param(self.gamma)
        out = inputs * inv
        shift = -mean * inv
        if self.beta is not None:
            shift = shift + self._param(self.beta)
        return out + shift

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis, "momentum": self.momentum, "epsilon": self.epsilon,
            "center": self.center, "scale": self.scale,
            "beta_initializer": _ser(self.beta_initializer, initializers),
            "gamma_initializer": _ser(self.gamma_initializer, initializers),
            "moving_mean_initializer": _ser(self.moving_mean_initializer, initializers),
            "moving_variance_initializer": _ser(self.moving_variance_initializer,
                                                initializers),
            "beta_regularizer": _ser(self.beta_regularizer, regularizers),
            "gamma_regularizer": _ser(self.gamma_regularizer, regularizers),
            "beta_constraint": _ser(self.beta_constraint, constraints),
            "gamma_constraint": _ser(self.gamma_constraint, constraints),
            "synchronized": self.synchronized})
        return config


class LayerNormalization(Layer):
    """Normalizes each sample over ``axis`` (the last by default)."""

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.epsilon = float(epsilon)
        self.center, self.scale, self.rms_scaling = center, scale, rms_scaling
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = regularizers.get(beta_regularizer)
        self.gamma_regularizer = regularizers.get(gamma_regularizer)
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)

    def build(self, input_shape):
        rank = len(input_shape)
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        self._axes = sorted(a + rank if a < 0 else a for a in axes)
        shape = tuple(input_shape[a] for a in self._axes)
        self._bshape = [input_shape[i] if i in self._axes else 1 for i in range(rank)]
        self._trailing = self._axes == list(range(rank - len(self._axes), rank))
        self.gamma = self.add_weight(shape=shape, name="gamma",
                                     initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint) if self.scale else None
        self.beta = self.add_weight(shape=shape, name="beta", initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint) \
            if self.center and not self.rms_scaling else None

    def _param(self, v):
        t = v._read()
        return t if self._trailing else tf.reshape(t, self._bshape)

    def call(self, inputs):
        if self.rms_scaling:
            var = tf.reduce_mean(tf.square(inputs), axis=self._axes, keepdims=True)
            out = inputs * tf.math.rsqrt(var + self.epsilon)
            return out * self._param(self.gamma) if self.gamma is not None else out
        mean = tf.reduce_mean(inputs, axis=self._axes, keepdims=True)
        centered = inputs - mean
        var = tf.reduce_mean(tf.square(centered), axis=self._axes, keepdims=True)
        out = centered * tf.math.rsqrt(var + self.epsilon)
        if self.gamma is not None:
            out = out * self._param(self.gamma)
        if self.beta is not None:
            out = out + self._param(self.beta)
        return out

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({
            "axis": self.axis, "epsilon": self.epsilon, "center": self.center,
            "scale": self.scale, "rms_scaling": self.rms_scaling,
            "beta_initializer": _ser(self.beta_initializer, initializers),
            "gamma_initializer": _ser(self.gamma_initializer, initializers),
            "beta_regularizer": _ser(self.beta_regularizer, regularizers),
            "gamma_regularizer": _ser(self.gamma_regularizer, regularizers),
            "beta_constraint": _ser(self.beta_constraint, constraints),
            "gamma_constraint": _ser(self.gamma_constraint, constraints)})
        return config
