"""The Keras ``Layer`` base class and the variables it owns.

A layer stores its configuration in ``__init__``, creates its weights in
``build(input_shape)`` (run once, on the first call, from the real input shape) and
computes in ``call``. ``__call__`` converts and casts inputs, builds, propagates
``training`` to sublayers, and adds activity-regularization losses. Sublayers and
variables set as attributes (also inside lists and dicts) are found by walking the
instance's attributes, so nothing has to be registered by hand.
"""

import inspect
import warnings

import numpy as np

import tinytf as tf
from tinytf.framework.context import _ctx, _own
from tinytf.framework.tensor import EagerTensor, Tensor
from tinytf.keras import backend, constraints, initializers, regularizers
from tinytf.ops.variables import Variable


class KerasVariable(Variable):
    """A ``tf.Variable`` with Keras 3 naming: ``name`` is 'kernel', ``path`` 'dense/kernel'."""

    def __init__(self, initial_value, name, trainable=True, dtype=None, constraint=None,
                 path=None):
        super().__init__(initial_value, trainable=trainable, name=name, dtype=dtype,
                         constraint=constraint)
        self._keras_name = name
        self._path = path or name

    @property
    def name(self):
        return self._keras_name

    @property
    def path(self):
        return self._path

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        self._trainable = bool(value)

    @property
    def value(self):
        return self._read()

    def __repr__(self):
        if _ctx().graph is not None or self._value is None:
            return (f"<Variable path={self._path}, shape={tuple(self._shape.as_list())}, "
                    f"dtype={self._dtype.name}>")
        return (f"<Variable path={self._path}, shape={tuple(self._shape.as_list())}, "
                f"dtype={self._dtype.name}, value={self.numpy()}>")

    __str__ = __repr__

    def __reduce__(self):
        return _rebuild_keras_variable, (self.numpy(), self._keras_name, self._trainable,
                                         self._path)


def _rebuild_keras_variable(value, name, trainable, path):
    return KerasVariable(value, name, trainable=trainable, path=path)


class InputSpec:
    """Describes the rank/shape/dtype a layer accepts (checked loosely)."""

    def __init__(self, dtype=None, shape=None, ndim=None, max_ndim=None, min_ndim=None,
                 axes=None, allow_last_axis_squeeze=False, name=None, optional=False):
        self.dtype, self.shape, self.ndim = dtype, shape, ndim
        self.max_ndim, self.min_ndim, self.axes = max_ndim, min_ndim, axes or {}
        self.name, self.optional = name, optional
        if shape is not None:
            self.ndim = len(shape)


class _CallContext:
    training = None


_CALL_CTX = _CallContext()
_VERSION = [0]
_ATOMIC = frozenset({str, int, float, bool, type(None), bytes})
_SIG_CACHE = {}

# Attributes that hold bookkeeping, not children: skipped when looking for sublayers.
_NO_TRACK = frozenset({"_children_cache", "_inbound_nodes", "_own_weights", "_build_shapes_dict",
                       "_losses", "_keras_output_shape", "_node_order", "_functional_inputs",
                       "_functional_outputs", "_deferred_weights", "optimizer",
                       "_compiled", "_train_fn", "_test_fn", "_predict_fn", "history",
                       "_tracked_metrics", "stop_training", "_output_kts", "_input_kts",
                       "compiled_loss", "compiled_metrics", "loss"})


def _call_signature(cls):
    sig = _SIG_CACHE.get(cls)
    if sig is None:
        params = inspect.signature(cls.call).parameters
        has_training = "training" in params or any(
            p.kind is p.VAR_KEYWORD for p in params.values())
        has_mask = "mask" in params
        sig = (has_training, has_mask)
        _SIG_CACHE[cls] = sig
    return sig


def _shape_tuple(x):
    s = x.shape
    if isinstance(s, tuple):
        return s
    return tuple(s.as_list()) if s.rank is not None else None


def _map(fn, x):
    if isinstance(x, (list, tuple)):
        return type(x)(_map(fn, v) for v in x) if type(x) in (list, tuple) else \
            type(x)(*[_map(fn, v) for v in x])
    if isinstance(x, dict):
        return {k: _map(fn, v) for k, v in x.items()}
    return fn(x)


def _flatten(x):
    if isinstance(x, (list, tuple)):
        out = []
        for v in x:
            out.extend(_flatten(v))
        return out
    if isinstance(x, dict):
        out = []
        for k in x:
            out.extend(_flatten(x[k]))
        return out
    return [x]


class Layer:
    """The base class of all Keras layers (``keras.layers.Layer``)."""

    def __init__(self, *, activity_regularizer=None, trainable=True, dtype=None,
                 autocast=True, name=None, **kwargs):
        input_shape = kwargs.pop("input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        batch_size = kwargs.pop("batch_size", None)
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        kwargs.pop("input_length", None) if type(self).__name__ != "Embedding" else None
        for k in ("weights", "input_dtype"):
            kwargs.pop(k, None)
        if kwargs:
            raise ValueError(f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                             f"{kwargs}")
        if input_shape is not None or input_dim is not None:
            warnings.warn("Do not pass an `input_shape`/`input_dim` argument to a layer. When "
                          "using Sequential models, prefer using an `Input(shape)` object as "
                          "the first layer in the model instead.", stacklevel=3)
        if input_dim is not None and input_shape is None:
            input_shape = (input_dim,)
        if input_shape is not None:
            batch_input_shape = (batch_size,) + tuple(input_shape)
        self._input_shape_arg = None if batch_input_shape is None else tuple(batch_input_shape)
        self.name = name or backend.unique_object_name(backend.to_snake_case(
            type(self).__name__))
        self._dtype = _dtype_name(dtype)
        self._np_dtype = np.dtype(self._dtype) if self._dtype != "bfloat16" else None
        self.autocast = autocast
        self._trainable = trainable
        self.built = False
        self._own_weights = []
        self._losses = []
        self._inbound_nodes = []
        self._build_shapes_dict = None
        self._keras_output_shape = None
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self.supports_masking = False
        self.input_spec = None

    # -- construction helpers ------------------------------------------------------------
    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        build = cls.__dict__.get("build")
        if build is not None and not getattr(build, "_wrapped", False):
            def wrapped(self, *args, _orig=build, **kwargs):
                with backend.name_scope(self.name, caller=self):
                    out = _orig(self, *args, **kwargs)
                self.built = True
                if "_deferred_weights" in self.__dict__ and self.weights:
                    self._apply_deferred_weights()
                return out
            wrapped._wrapped = True
            wrapped.__doc__ = build.__doc__
            wrapped.__name__ = "build"
            cls.build = wrapped

    def _ensure_base(self):
        if "_own_weights" not in self.__dict__:
            Layer.__init__(self)

    @property
    def dtype(self):
        """The layer's variable dtype, as a string ('float32')."""
        return self.__dict__.get("_dtype", backend.floatx())

    @property
    def compute_dtype(self):
        return self.dtype

    @property
    def variable_dtype(self):
        return self.dtype

    @property
    def dtype_policy(self):
        return _DTypePolicy(self.dtype)

    @property
    def trainable(self):
        return self.__dict__.get("_trainable", True)

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        for layer in self._flatten_layers(include_self=True):
            layer.__dict__["_trainable"] = value

    def build(self, input_shape=None):
        """Creates the layer's weights from the input shape (override in subclasses)."""
        self.built = True

    def call(self, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not have a `call()` "
                                  "method implemented.")

    def compute_output_shape(self, input_shape):
        raise NotImplementedError

    _K3_ORDER = ("shape", "initializer", "dtype", "trainable", "autocast", "regularizer",
                 "constraint", "aggregation", "overwrite_with_gradient", "name")
    _K2_ORDER = ("name", "shape", "dtype", "initializer", "regularizer", "trainable",
                 "constraint")

    def add_weight(self, *args, **kwargs):
        """Creates a weight variable tracked by this layer and returns it.

        ``add_weight(shape=None, initializer=None, dtype=None, trainable=True,
        autocast=True, regularizer=None, constraint=None, aggregation='none',
        overwrite_with_gradient=False, name=None)``; Keras 2's positional order
        ``add_weight(name, shape, dtype, initializer, ...)`` is accepted too.
        """
        order = self._K2_ORDER if args and isinstance(args[0], str) else self._K3_ORDER
        if len(args) > len(order):
            raise TypeError(f"add_weight() takes at most {len(order)} positional arguments")
        for k, v in zip(order, args):
            if k in kwargs:
                raise TypeError(f"add_weight() got multiple values for argument '{k}'")
            kwargs[k] = v
        return self._add_weight(**kwargs)

    def _add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                    autocast=True, regularizer=None, constraint=None, aggregation="none",
                    overwrite_with_gradient=False, name=None, **kwargs):
        self._ensure_base()
        for k in ("use_resource", "synchronization", "partitioner", "experimental_autocast",
                  "caching_device"):
            kwargs.pop(k, None)
        if kwargs:
            raise TypeError(f"add_weight() got unexpected keyword arguments {list(kwargs)}")
        trainable = True if trainable is None else trainable
        shape = () if shape is None else tuple(int(s) for s in shape)
        dtype = _dtype_name(dtype or self.dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.startswith("float") and len(shape) > 1 \
                else "zeros"
        init = initializers.get(initializer)
        if name is None:
            n = len(self._own_weights)
            name = "variable" if n == 0 else f"variable_{n}"
        with backend.name_scope(self.name, caller=self):
            path = backend.current_path(name)
            value = initializers.generate(init, shape, dtype)
            var = KerasVariable(value, name, trainable=trainable, dtype=dtype,
                                constraint=constraints.get(constraint), path=path)
        reg = regularizers.get(regularizer)
        if reg is not None:
            var._keras_regularizer = reg
        self._own_weights.append(var)
        return var

    def add_variable(self, *args, **kwargs):
        """Keras 2 spelling of ``add_weight``."""
        warnings.warn("`Layer.add_variable` is deprecated; use `Layer.add_weight` instead.",
                      DeprecationWarning, stacklevel=2)
        return self.add_weight(*args, **kwargs)

    def add_loss(self, loss):
        """Adds a loss tensor (or a zero-argument callable) to ``layer.losses``."""
        self._ensure_base()
        self._losses.append(loss)

    # -- calling -------------------------------------------------------------------------
    def __call__(self, *args, **kwargs):
        if args:
            inputs = args[0]
        elif "inputs" in kwargs:
            inputs = kwargs.pop("inputs")
        else:
            inputs = None
            for v in kwargs.values():
                inputs = v
                break
        else_args = args[1:]
        from tinytf.keras.models.functional import KerasTensor, symbolic_call
        if isinstance(inputs, KerasTensor) or any(
                isinstance(t, KerasTensor) for t in _flatten((args, kwargs))):
            return symbolic_call(self, args, kwargs)
        if "_own_weights" not in self.__dict__:
            raise RuntimeError(f"It looks like the `Layer.__init__()` of {type(self).__name__}"
                               " was not called: call `super().__init__()` first.")
        if args:
            inputs = self._convert_inputs(inputs)
        elif inputs is not None:
            for k in kwargs:
                kwargs[k] = self._convert_inputs(kwargs[k])
                break
        if not self.built:
            return self._first_call(inputs, args, kwargs)
        has_training, _ = _call_signature(type(self))
        training = kwargs.pop("training", None)
        ctx = _CALL_CTX
        outer = ctx.training
        if training is None:
            training = outer
        ctx.training = training
        try:
            if has_training and training is not None:
                kwargs["training"] = training
            if args:
                out = self.call(inputs, *else_args, **kwargs)
            else:
                out = self.call(**kwargs)
        finally:
            ctx.training = outer
        if self.activity_regularizer is not None:
            for o in _flatten(out):
                self._losses.append(self.activity_regularizer(o) /
                                    tf.cast(tf.shape(o)[0], o.dtype))
        return out

    def _first_call(self, inputs, args, kwargs):
        """The first call: build under this layer's name scope, then call."""
        with backend.name_scope(self.name, caller=self):
            if getattr(type(self), "_lazy_build", False):
                shapes = _map(_shape_tuple, inputs) if inputs is not None else None
                self._build_shapes_dict = {"input_shape": shapes}
                self.built = True          # sublayers build during the call itself
            else:
                self._maybe_build(inputs)
            call_args = (inputs,) + tuple(args[1:]) if args else ()
            out = self(*call_args, **kwargs)
        if "_deferred_weights" in self.__dict__:
            self._apply_deferred_weights()
        return out

    def _convert_inputs(self, x):
        if type(x) is EagerTensor:
            if self.autocast and x._value.dtype != self._np_dtype and \
                    x._value.dtype.kind == "f" and self._np_dtype is not None:
                return tf.cast(x, self._dtype)
            return x
        if isinstance(x, (list, tuple, dict)):
            return _map(self._convert_inputs, x)
        if x is None:
            return x
        if isinstance(x, np.ndarray):
            if x.dtype.kind == "f" and self.autocast:
                return tf.convert_to_tensor(x.astype(self._np_dtype, copy=False))
            return tf.convert_to_tensor(x)
        if isinstance(x, Tensor):
            if self.autocast and x.dtype.is_floating and x.dtype.name != self._dtype:
                return tf.cast(x, self._dtype)
            return x
        if isinstance(x, Variable):
            return self._convert_inputs(x._read())
        if isinstance(x, (int, float, bool, list, np.generic)) or hasattr(x, "__array__"):
            t = tf.convert_to_tensor(x)
            return self._convert_inputs(t)
        return x

    def _maybe_build(self, inputs):
        shapes = _map(_shape_tuple, inputs) if inputs is not None else None
        if type(self).build is Layer.build:
            self.built = True
        else:
            self._build_shapes_dict = {"input_shape": shapes}
            g = _ctx().graph
            lift = g is not None and not getattr(g, "_keras_allow_graph_build", False)
            if lift:
                _own().graph = None   # weights are created eagerly even while tracing
            try:
                self.build(shapes)
            finally:
                if lift:
                    _own().graph = g
        self.built = True
        self._apply_deferred_weights()

    def _apply_deferred_weights(self):
        pending = self.__dict__.get("_deferred_weights")
        if pending is not None:
            del self.__dict__["_deferred_weights"]
            from tinytf.keras.models import saving
            saving.assign_weights(self, pending)

    # -- tracking ------------------------------------------------------------------------
    def _flatten_layers(self, include_self=True, recursive=True):
        out = [self] if include_self else []
        seen = {id(self)}
        self._collect_layers(out, seen, recursive)
        return out

    def _direct_children(self):
        d = self.__dict__
        cache = d.get("_children_cache")
        if cache is not None and cache[0] == _VERSION[0]:
            for container, n in cache[3]:
                if len(container) != n:
                    break
            else:
                return cache[1], cache[2]
        layers, variables, containers = [], [], []
        for k, v in d.items():
            if k in _NO_TRACK:
                continue
            if type(v) in _ATOMIC:
                continue
            if isinstance(v, (list, dict, tuple)):
                containers.append((v, len(v)))
            _scan(v, layers, variables, 0)
        d["_children_cache"] = (_VERSION[0], layers, variables, containers)
        return layers, variables

    def __setattr__(self, name, value):
        object.__setattr__(self, name, value)
        _VERSION[0] += 1          # tracking caches are rebuilt after any attribute change

    def _collect_layers(self, out, seen, recursive):
        for layer in self._direct_children()[0]:
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            out.append(layer)
            if recursive:
                layer._collect_layers(out, seen, recursive)

    @property
    def _layers(self):
        return self._flatten_layers(include_self=False, recursive=False)

    @property
    def _tracked_own_variables(self):
        own = list(self.__dict__.get("_own_weights", ()))
        ids = {id(v) for v in own}
        for v in self._direct_children()[1]:
            if id(v) not in ids:
                ids.add(id(v))
                own.append(v)
        return own

    @property
    def weights(self):
        """All weight variables of the layer and its sublayers (own first, trainable first)."""
        own = self._tracked_own_variables
        weights = [v for v in own if v.trainable] + [v for v in own if not v.trainable]
        seen = {id(v) for v in weights}
        for layer in self._layers:
            for w in layer.weights:
                if id(w) not in seen:
                    seen.add(id(w))
                    weights.append(w)
        return weights

    @property
    def trainable_weights(self):
        if not self.trainable:
            return []
        out = [v for v in self._tracked_own_variables if v.trainable]
        seen = {id(v) for v in out}
        for layer in self._layers:
            for w in layer.trainable_weights:
                if id(w) not in seen:
                    seen.add(id(w))
                    out.append(w)
        return out

    @property
    def non_trainable_weights(self):
        if not self.trainable:
            return self.weights
        tw = {id(v) for v in self.trainable_weights}
        return [v for v in self.weights if id(v) not in tw]

    @property
    def variables(self):
        return self.weights

    @property
    def trainable_variables(self):
        return self.trainable_weights

    @property
    def non_trainable_variables(self):
        return self.non_trainable_weights

    @property
    def losses(self):
        """Regularization losses of the weights plus losses added with ``add_loss``."""
        out = []
        for layer in self._flatten_layers(include_self=True):
            for v in layer._tracked_own_variables:
                reg = getattr(v, "_keras_regularizer", None)
                if reg is not None:
                    out.append(reg(v))
            for loss in layer.__dict__.get("_losses", ()):
                out.append(loss() if callable(loss) else loss)
        return out

    def _clear_losses(self):
        for layer in self._flatten_layers(include_self=True):
            if layer.__dict__.get("_losses"):
                layer._losses = []

    @property
    def metrics(self):
        return []

    @property
    def submodules(self):
        return self._flatten_layers(include_self=False)

    def count_params(self):
        """The number of scalars in the layer's weights."""
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but "
                             "the layer isn't built. You can build it manually via: "
                             f"`layer.build(input_shape)`.")
        return int(sum(int(np.prod(v.shape.as_list())) for v in self.weights))

    def get_weights(self):
        """The weights as a list of NumPy arrays."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of NumPy arrays (the order of ``get_weights``)."""
        params = self.weights
        if len(params) != len(weights):
            raise ValueError(f"You called `set_weights(weights)` on layer '{self.name}' with a "
                             f"weight list of length {len(weights)}, but the layer was "
                             f"expecting {len(params)} weights.")
        for v, w in zip(params, weights):
            w = np.asarray(w)
            if tuple(v.shape.as_list()) != w.shape:
                raise ValueError(f"Layer {self.name} weight shape {tuple(v.shape.as_list())} "
                                 f"is not compatible with provided weight shape {w.shape}.")
            v.assign(w.astype(v.dtype.as_numpy_dtype, copy=False))

    # -- properties of the functional graph ----------------------------------------------
    @property
    def input(self):
        nodes = self.__dict__.get("_inbound_nodes") or []
        if not nodes:
            raise AttributeError(f"Layer {self.name} has no defined input.")
        ins = nodes[0].inputs
        return ins[0] if len(ins) == 1 else ins

    @property
    def output(self):
        nodes = self.__dict__.get("_inbound_nodes") or []
        if not nodes:
            raise AttributeError(f"Layer {self.name} has no defined output.")
        outs = nodes[0].outputs
        return outs[0] if len(outs) == 1 else outs

    @property
    def input_shape(self):
        return _map(lambda t: t.shape, self.input)

    @property
    def output_shape(self):
        if self.__dict__.get("_keras_output_shape") is not None:
            return self._keras_output_shape
        return _map(lambda t: t.shape, self.output)

    # -- config --------------------------------------------------------------------------
    def get_config(self):
        """The constructor arguments as a dict (``from_config`` makes an equal layer)."""
        config = {"name": self.name, "trainable": self.trainable,
                  "dtype": {"module": "keras", "class_name": "DTypePolicy",
                            "config": {"name": self.dtype}, "registered_name": None}}
        if self.activity_regularizer is not None and type(self).get_config is Layer.get_config:
            config["activity_regularizer"] = regularizers.serialize(self.activity_regularizer)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        dt = config.get("dtype")
        if isinstance(dt, dict):
            config["dtype"] = dt.get("config", {}).get("name", "float32")
        try:
            return cls(**config)
        except TypeError as e:
            raise TypeError(f"Error when deserializing class '{cls.__name__}' using "
                            f"config={config}.\n\nException encountered: {e}") from None

    def get_build_config(self):
        if self._build_shapes_dict is not None:
            shapes = self._build_shapes_dict
            if len(shapes) == 1:
                return {"input_shape": next(iter(shapes.values()))}
            return {"shapes_dict": shapes}
        return None

    def build_from_config(self, config):
        if config and not self.built:
            shape = config.get("input_shape")
            if shape is not None:
                self.build(_as_shape(shape))
                self._build_shapes_dict = {"input_shape": _as_shape(shape)}
                self.built = True

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _as_shape(shape):
    if isinstance(shape, list) and shape and isinstance(shape[0], (list, tuple)):
        return [tuple(s) for s in shape]
    return tuple(shape) if isinstance(shape, list) else shape


def _scan(v, layers, variables, depth):
    if isinstance(v, Layer):
        layers.append(v)
    elif isinstance(v, Variable):
        variables.append(v)
    elif depth < 4:
        if isinstance(v, (list, tuple)):
            for x in v:
                if type(x) not in _ATOMIC:
                    _scan(x, layers, variables, depth + 1)
        elif isinstance(v, dict):
            for x in v.values():
                if type(x) not in _ATOMIC:
                    _scan(x, layers, variables, depth + 1)


class _DTypePolicy:
    def __init__(self, name):
        self.name = name
        self.compute_dtype = name
        self.variable_dtype = name

    def __repr__(self):
        return f'<DTypePolicy "{self.name}">'


def _dtype_name(dtype):
    if dtype is None:
        return backend.floatx()
    if isinstance(dtype, dict):
        return dtype.get("config", {}).get("name", backend.floatx())
    if isinstance(dtype, _DTypePolicy):
        return dtype.name
    if isinstance(dtype, str):
        if dtype == "mixed_float16":
            return "float32"
        return tf.as_dtype(dtype).name
    return tf.as_dtype(dtype).name
