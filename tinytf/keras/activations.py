"""``keras.activations``: activation functions by name and by function."""

import tinytf as tf


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit: max(x, 0), with optional slope, cap and threshold."""
    if negative_slope == 0.0 and max_value is None and threshold == 0.0:
        return tf.nn.relu(x)
    x = tf.convert_to_tensor(x)
    if threshold != 0.0:
        y = tf.where(x > threshold, x, tf.zeros_like(x))
    else:
        y = tf.nn.relu(x)
    if max_value is not None:
        y = tf.minimum(y, tf.cast(max_value, y.dtype))
    if negative_slope != 0.0:
        y = y + tf.cast(negative_slope, x.dtype) * tf.minimum(x - threshold, tf.zeros_like(x))
    return y


def leaky_relu(x, negative_slope=0.2):
    return tf.nn.leaky_relu(x, alpha=negative_slope)


def relu6(x):
    return tf.nn.relu6(x)


def elu(x, alpha=1.0):
    y = tf.nn.elu(x)
    return y if alpha == 1.0 else tf.where(x > 0, y, y * alpha)


def selu(x):
    return tf.nn.selu(x)


def gelu(x, approximate=False):
    return tf.nn.gelu(x, approximate=approximate)


def sigmoid(x):
    return tf.math.sigmoid(x)


def hard_sigmoid(x):
    x = tf.convert_to_tensor(x)
    return tf.clip_by_value(x / 6.0 + 0.5, 0.0, 1.0)


def softmax(x, axis=-1):
    return tf.nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    return tf.nn.log_softmax(x, axis=axis)


def softplus(x):
    return tf.nn.softplus(x)


def softsign(x):
    return tf.nn.softsign(x)


def silu(x):
    return x * tf.math.sigmoid(x)


swish = silu


def tanh(x):
    return tf.math.tanh(x)


def exponential(x):
    return tf.math.exp(x)


def mish(x):
    return x * tf.math.tanh(tf.nn.softplus(x))


def linear(x):
    """The identity (what ``activation=None`` means)."""
    return x


_ALL = {f.__name__: f for f in (relu, leaky_relu, relu6, elu, selu, gelu, sigmoid,
                                 hard_sigmoid, softmax, log_softmax, softplus, softsign,
                                 silu, tanh, exponential, mish, linear)}
_ALL = {k: v for k, v in _ALL.items() if k != "swish"}
_BY_NAME = dict(_ALL, swish=silu)


def serialize(activation):
    """The activation's name (Keras stores activations by name in layer configs)."""
    if activation is None:
        return "linear"
    for k, f in _ALL.items():
        if f is activation:
            return k
    name = getattr(activation, "__name__", None)
    if name in _BY_NAME:
        return name
    if hasattr(activation, "get_config"):
        return {"module": type(activation).__module__, "class_name": type(activation).__name__,
                "config": activation.get_config(), "registered_name": None}
    return name


def deserialize(config, custom_objects=None):
    if isinstance(config, dict):
        config = config.get("config", config).get("name", config.get("class_name"))
    return get(config, custom_objects)


def get(identifier, custom_objects=None):
    """An activation function from a name, a function, or None (linear)."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        if custom_objects and identifier in custom_objects:
            return custom_objects[identifier]
        f = _BY_NAME.get(identifier)
        if f is None:
            raise ValueError(f"Could not interpret activation function identifier: "
                             f"{identifier}")
        return f
    if isinstance(identifier, dict):
        return deserialize(identifier, custom_objects)
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier}")
