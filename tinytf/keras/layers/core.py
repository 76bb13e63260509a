"""Core layers: Dense, Activation, Flatten, Reshape, Permute, RepeatVector, Dropout,
Lambda, InputLayer, Embedding."""

import warnings

import numpy as np

import tinytf as tf
from tinytf.keras import activations, backend, constraints, initializers, regularizers
from tinytf.keras.layers.keras_tensor import KerasTensor
from tinytf.keras.layers.layer import Layer


def _ser(obj, module):
    return module.serialize(obj) if obj is not None else None


class InputLayer(Layer):
    """The layer behind ``keras.Input``: holds the input's batch shape and dtype."""

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, **kwargs):
        if "input_shape" in kwargs:
            warnings.warn("Argument `input_shape` is deprecated. Use `shape` instead.",
                          stacklevel=2)
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        kwargs.pop("ragged", None)
        super().__init__(name=name or backend.unique_object_name("input_layer"), dtype=dtype,
                         **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same "
                             "time.")
        if batch_size is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `batch_size` and `batch_shape` at the same "
                             "time.")
        if shape is None and batch_shape is None:
            if input_tensor is not None:
                batch_shape = input_tensor.shape
            else:
                raise ValueError("You must pass a `shape` argument.")
        if shape is not None:
            if isinstance(shape, int):
                shape = (shape,)
            batch_shape = (batch_size,) + tuple(shape)
        self.batch_shape = tuple(None if d is None else int(d) for d in batch_shape)
        self.sparse = bool(sparse)
        self.optional = optional
        self._input_tensor = KerasTensor(self.batch_shape, self.dtype, name=name,
                                         history=(self, 0, 0))
        from tinytf.keras.models.functional import Node
        self._inbound_nodes.append(Node(self, (), {}, [self._input_tensor], "single"))
        self.built = True

    @property
    def output(self):
        return self._input_tensor

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return self.batch_shape

    def get_config(self):
        return {"batch_shape": self.batch_shape, "dtype": self.dtype, "sparse": self.sparse,
                "ragged": False, "name": self.name, "optional": self.optional}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config.pop("ragged", None)
        return cls(**config)


class Dense(Layer):
    """A densely-connected layer: ``activation(inputs @ kernel + bias)``."""

    _cast_int_inputs = True

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, lora_rank=None, **kwargs):
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = int(units)
        if self.units <= 0:
            raise ValueError("Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units}")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self._linear = self.activation is activations.linear
        self._relu = self.activation is activations.relu

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError("The last dimension of the inputs to a Dense layer should be "
                             f"defined. Found None. Full input shape received: {input_shape}")
        self.kernel = self.add_weight(name="kernel", shape=(input_dim, self.units),
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.units,),
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)
        else:
            self.bias = None

    def call(self, inputs):
        if inputs.dtype.is_integer or inputs.dtype.is_bool:
            inputs = tf.cast(inputs, self.dtype)
        if len(inputs.shape) == 2:
            x = tf.matmul(inputs, self.kernel)
        else:
            if len(inputs.shape) < 2:       # Keras's input_spec: min_ndim=2
                raise ValueError(f"Input 0 with name 'None' of layer '{self.name}' is "
                                 f"incompatible with the layer: expected min_ndim=2, found "
                                 f"ndim={len(inputs.shape)}. Full shape received: "
                                 f"{tuple(inputs.shape)}")
            x = tf.tensordot(inputs, self.kernel, [[len(inputs.shape) - 1], [0]])
        if self.bias is not None:
            x = tf.nn.bias_add(x, self.bias)
        if self._linear:
            return x
        if self._relu:
            return tf.nn.relu(x)
        return self.activation(x)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update({
            "units": self.units, "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": _ser(self.kernel_initializer, initializers),
            "bias_initializer": _ser(self.bias_initializer, initializers),
            "kernel_regularizer": _ser(self.kernel_regularizer, regularizers),
            "bias_regularizer": _ser(self.bias_regularizer, regularizers),
            "kernel_constraint": _ser(self.kernel_constraint, constraints),
            "bias_constraint": _ser(self.bias_constraint, constraints)})
        return config


class Activation(Layer):
    """Applies an activation function."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(inputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["activation"] = activations.serialize(self.activation)
        return config


class ReLU(Layer):
    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, \
            threshold

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"max_value": self.max_value, "negative_slope": self.negative_slope,
                       "threshold": self.threshold})
        return config


class Softmax(Layer):
    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def call(self, inputs, mask=None):
        return tf.nn.softmax(inputs, axis=self.axis)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["axis"] = self.axis
        return config


class LeakyReLU(Layer):
    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
            warnings.warn("Argument `alpha` is deprecated. Use `negative_slope` instead.",
                          stacklevel=2)
        super().__init__(**kwargs)
        self.negative_slope = negative_slope

    def call(self, inputs):
        return tf.nn.leaky_relu(inputs, alpha=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config["negative_slope"] = self.negative_slope
        return config


class Flatten(Layer):
    """Flattens every dimension but the batch one."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format or backend.image_data_format()

    def call(self, inputs):
        shape = inputs.shape
        if self.data_format == "channels_first" and len(shape) > 2:
            perm = [0] + list(range(2, len(shape))) + [1]
            inputs = tf.transpose(inputs, perm)
        rest = shape[1:]
        if all(d is not None for d in rest):
            return tf.reshape(inputs, (-1, int(np.prod(rest)) if len(rest) else 1))
        return tf.reshape(inputs, tf.stack([tf.shape(inputs)[0], -1]))

    def compute_output_shape(self, input_shape):
        rest = input_shape[1:]
        n = None if any(d is None for d in rest) else int(np.prod(rest)) if rest else 1
        return (input_shape[0], n)

    def get_config(self):
        config = super().get_config()
        config["data_format"] = self.data_format
        return config


class Reshape(Layer):
    """Reshapes the non-batch dimensions to ``target_shape`` (one entry may be -1)."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(target_shape)

    def call(self, inputs):
        target = self.target_shape
        self._check_size(tuple(inputs.shape)[1:])
        if -1 in target:
            resolved = self.compute_output_shape(tuple(inputs.shape))[1:]
            if None not in resolved:
                target = resolved
            else:
                return tf.reshape(inputs, tf.concat([tf.shape(inputs)[:1],
                                                     tf.constant(target, tf.int32)], 0))
        return tf.reshape(inputs, (-1,) + tuple(target))

    def _check_size(self, known):
        """Keras's error when the non-batch size cannot take ``target_shape``."""
        if any(d is None for d in known):
            return
        size = int(np.prod(known))
        rest = int(np.prod([d for d in self.target_shape if d != -1]))
        if -1 not in self.target_shape and size != rest:
            raise ValueError(f"The total size of the tensor must be unchanged. Received: "
                             f"input_shape={tuple(known)}, target_shape={self.target_shape}")
        if -1 in self.target_shape and (rest == 0 or size % rest):
            raise ValueError("The total size of the tensor must be unchanged, however, the "
                             "input size cannot by divided by the specified dimensions in "
                             f"target_shape. Received: input_shape={tuple(known)}, "
                             f"target_shape={self.target_shape}")

    def compute_output_shape(self, input_shape):
        target = list(self.target_shape)
        if -1 in target:
            known = input_shape[1:]
            if any(d is None for d in known):
                target[target.index(-1)] = None
            else:
                rest = int(np.prod([d for d in target if d != -1]))
                target[target.index(-1)] = int(np.prod(known)) // rest
        return (input_shape[0],) + tuple(target)

    def get_config(self):
        config = super().get_config()
        config["target_shape"] = self.target_shape
        return config


class Permute(Layer):
    """Permutes the non-batch dimensions (``dims`` counts from 1)."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError("Invalid permutation argument `dims` for Permute Layer. The set "
                             "of indices in `dims` must be consecutive and start from 1. "
                             f"Received dims={dims}")

    def call(self, inputs):
        return tf.transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        config = super().get_config()
        config["dims"] = self.dims
        return config


class RepeatVector(Layer):
    """Repeats a (batch, features) input ``n`` times: (batch, n, features)."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        self.n = int(n)

    def call(self, inputs):
        return tf.tile(tf.expand_dims(inputs, 1), [1, self.n, 1])

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        config = super().get_config()
        config["n"] = self.n
        return config


class Dropout(Layer):
    """Zeroes a fraction ``rate`` of the inputs while training, scaling the rest up."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not 0 <= rate <= 1:
            raise ValueError(f"Invalid value received for argument `rate`. Expected a float "
                             f"value between 0 and 1. Received: rate={rate}")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed

    def call(self, inputs, training=False):
        if not training or self.rate == 0:
            return inputs
        if self.rate == 1:
            return tf.zeros_like(inputs)
        shape = tf.shape(inputs) if self.noise_shape is None else self._noise(inputs)
        keep = tf.random.uniform(shape, dtype=inputs.dtype) >= self.rate
        return inputs * tf.cast(keep, inputs.dtype) * (1.0 / (1.0 - self.rate))

    def _noise(self, inputs):
        dyn = tf.shape(inputs)
        return tf.stack([dyn[i] if d is None else d for i, d in enumerate(self.noise_shape)])

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"rate": self.rate, "seed": self.seed, "noise_shape": self.noise_shape})
        return config


class Lambda(Layer):
    """Wraps an arbitrary function of the inputs as a layer."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        self.function = function
        self.arguments = arguments or {}
        self._output_shape = output_shape

    def call(self, inputs, mask=None, training=None):
        return self.function(inputs, **self.arguments)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            raise NotImplementedError
        if callable(self._output_shape):
            return self._output_shape(input_shape)
        return (input_shape[0],) + tuple(self._output_shape) if not isinstance(
            input_shape, list) else tuple(self._output_shape)

    def get_config(self):
        config = super().get_config()
        import marshal
        import base64
        fn = self.function
        if getattr(fn, "__name__", "") == "<lambda>" or not hasattr(fn, "__module__"):
            code = base64.b64encode(marshal.dumps(fn.__code__)).decode("ascii")
            config["function"] = {"class_name": "__lambda__", "config": {"code": code}}
        else:
            config["function"] = {"class_name": "function",
                                  "config": {"module": fn.__module__, "name": fn.__name__}}
        config["arguments"] = self.arguments
        config["output_shape"] = self._output_shape if not callable(self._output_shape) \
            else None
        return config

    @classmethod
    def from_config(cls, config, safe_mode=None):
        config = dict(config)
        fn = config.pop("function")
        if isinstance(fn, dict) and fn.get("class_name") == "__lambda__":
            if safe_mode:
                raise ValueError("Requested the deserialization of a `Lambda` layer whose "
                                 "`function` is a Python lambda. This carries a potential risk"
                                 " of arbitrary code execution and thus it is disallowed by "
                                 "default. Pass `safe_mode=False` to `load_model` if you "
                                 "trust the source of the file.")
            import base64
            import marshal
            import types
            code = marshal.loads(base64.b64decode(fn["config"]["code"]))
            fn = types.FunctionType(code, {"tf": tf, "np": np, **vars(tf)})
        elif isinstance(fn, dict):
            import importlib
            fn = getattr(importlib.import_module(fn["config"]["module"]), fn["config"]["name"])
        dt = config.get("dtype")
        if isinstance(dt, dict):
            config["dtype"] = dt.get("config", {}).get("name")
        return cls(fn, **config)


class _OpLambda(Lambda):
    """An operator applied to KerasTensors (``x + y``) recorded as a layer."""

    def __init__(self, fn, op_name="op", name=None, **kwargs):
        super().__init__(fn, name=name or backend.unique_object_name(op_name), **kwargs)


class Embedding(Layer):
    """Maps integer indices to dense vectors: ``embeddings[inputs]``."""

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 weights=None, lora_rank=None, **kwargs):
        if "input_length" in kwargs:
            warnings.warn("Argument `input_length` is deprecated. Just remove it.",
                          stacklevel=2)
            kwargs.pop("input_length")
        super().__init__(**kwargs)
        self.input_dim = int(input_dim)
        self.output_dim = int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self._initial_weights = weights

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(shape=(self.input_dim, self.output_dim),
                                          initializer=self.embeddings_initializer,
                                          name="embeddings",
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        if self._initial_weights is not None:
            w = self._initial_weights
            self.set_weights(w if isinstance(w, list) else [w])
            self._initial_weights = None

    def call(self, inputs):
        if not inputs.dtype.is_integer:
            inputs = tf.cast(inputs, tf.int32)
        return tf.gather(self.embeddings, inputs)

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return tf.not_equal(inputs, 0)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        config = super().get_config()
        config.update({
            "input_dim": self.input_dim, "output_dim": self.output_dim,
            "embeddings_initializer": _ser(self.embeddings_initializer, initializers),
            "embeddings_regularizer": _ser(self.embeddings_regularizer, regularizers),
            "activity_regularizer": _ser(self.activity_regularizer, regularizers),
            "embeddings_constraint": _ser(self.embeddings_constraint, constraints),
            "mask_zero": self.mask_zero})
        return config


class Identity(Layer):
    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return input_shape
