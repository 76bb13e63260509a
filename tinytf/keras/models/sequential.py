"""``keras.Sequential``: a linear stack of layers."""

import warnings

from tinytf.keras import backend
from tinytf.keras.layers.keras_tensor import KerasTensor
from tinytf.keras.layers.layer import Layer
from tinytf.keras.models.model import Model


class Sequential(Model):
    """A plain stack of layers, each with one input and one output (``keras.Sequential``)."""

    _lazy_build = False

    def __init__(self, layers=None, trainable=True, name=None):
        Model.__init__(self, trainable=trainable,
                       name=name or backend.unique_object_name("sequential"))
        self._seq_layers = []
        self._functional = None
        if layers:
            for layer in layers:
                self.add(layer, rebuild=False)
            self._maybe_rebuild()

    def add(self, layer, rebuild=True):
        """Adds a layer (or a ``keras.Input`` tensor) on top of the stack."""
        from tinytf.keras.layers.core import InputLayer
        if isinstance(layer, KerasTensor):
            layer = layer._keras_history[0]
        if not isinstance(layer, Layer):
            raise ValueError("Only instances of `keras.Layer` can be added to a Sequential "
                             f"model. Received: {layer} (of type {type(layer)})")
        if isinstance(layer, InputLayer) and self._seq_layers and isinstance(
                self._seq_layers[0], InputLayer):
            raise ValueError(f"Sequential model '{self.name}' has already been configured to"
                             f" use input shape {self._seq_layers[0].batch_shape}. You cannot"
                             f" add a different Input layer to it.")
        if not self._seq_layers and not isinstance(layer, InputLayer) and \
                layer.__dict__.get("_input_shape_arg") is not None:
            self._seq_layers.append(InputLayer(batch_shape=layer._input_shape_arg))
        names = {l.name for l in self._seq_layers}
        if layer.name in names:
            raise ValueError("All layers added to a Sequential model should have unique "
                             f"names. Name '{layer.name}' is already the name of a layer in "
                             "this model. Update the `name` argument to pass a unique name.")
        self._seq_layers.append(layer)
        self.built = False
        self._functional = None
        self._input_kts = self._output_kts = None
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Removes the last layer."""
        from tinytf.keras.layers.core import InputLayer
        layers = self.layers
        if not layers:
            raise TypeError("There are no layers in the model.")
        layer = self._seq_layers.pop()
        self.built = False
        self._functional = None
        self._input_kts = self._output_kts = None
        if rebuild:
            self._maybe_rebuild()
        if len(self._seq_layers) == 1 and isinstance(self._seq_layers[0], InputLayer):
            pass
        return layer

    def _maybe_rebuild(self):
        from tinytf.keras.layers.core import InputLayer
        if self._seq_layers and isinstance(self._seq_layers[0], InputLayer) and \
                len(self._seq_layers) > 1:
            self.build(self._seq_layers[0].batch_shape)

    @property
    def layers(self):
        from tinytf.keras.layers.core import InputLayer
        ls = self.__dict__.get("_seq_layers", [])
        return ls[1:] if ls and isinstance(ls[0], InputLayer) else list(ls)

    def build(self, input_shape=None):
        """Builds every layer by running the stack symbolically on ``input_shape``."""
        from tinytf.keras.layers.core import InputLayer
        if input_shape is None:
            if self._seq_layers and isinstance(self._seq_layers[0], InputLayer):
                input_shape = self._seq_layers[0].batch_shape
            else:
                raise ValueError("You must provide an `input_shape` argument.")
        input_shape = tuple(input_shape)
        if not self._seq_layers or not isinstance(self._seq_layers[0], InputLayer):
            dtype = None
            self._seq_layers.insert(0, InputLayer(batch_shape=input_shape, dtype=dtype))
        x = self._seq_layers[0].output
        with backend.name_scope(self.name, caller=self):
            for layer in self._seq_layers[1:]:
                try:
                    x = layer(x)
                except NotImplementedError:
                    x = None
                    break
                if isinstance(x, (list, tuple)):
                    raise ValueError("All layers in a Sequential model should have a single "
                                     f"output tensor. Layer '{layer.name}' has multiple "
                                     "outputs.")
        if x is not None:
            backend.unique_object_name("functional")   # Keras builds a Functional here
            self._input_kts = [self._seq_layers[0].output]
            self._output_kts = [x]
        self._build_shapes_dict = {"input_shape": input_shape}
        self.built = True

    def call(self, inputs, training=None, mask=None):
        x = inputs
        for layer in self.layers:
            x = layer(x, training=training) if training is not None else layer(x)
        return x

    @property
    def inputs(self):
        kts = self.__dict__.get("_input_kts")
        if not kts:
            raise AttributeError(f"Sequential model '{self.name}' has no defined inputs yet.")
        return list(kts)

    @property
    def outputs(self):
        kts = self.__dict__.get("_output_kts")
        if not kts:
            raise AttributeError(f"Sequential model '{self.name}' has no defined outputs yet.")
        return list(kts)

    @property
    def input_shape(self):
        return self.inputs[0].shape

    @property
    def output_shape(self):
        return self.outputs[0].shape

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self.layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def predict_classes(self, x, batch_size=32, verbose=0):
        """Keras 2 spelling: class indices (argmax, or > 0.5 for one output unit)."""
        warnings.warn("`Sequential.predict_classes` is deprecated; use "
                      "`np.argmax(model.predict(x), axis=-1)` (or "
                      "`(model.predict(x) > 0.5).astype('int32')` for a sigmoid output).",
                      DeprecationWarning, stacklevel=2)
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        if proba.shape[-1] > 1:
            return proba.argmax(axis=-1)
        return (proba > 0.5).astype("int32")

    def predict_proba(self, x, batch_size=32, verbose=0):
        """Keras 2 spelling of ``predict``."""
        warnings.warn("`Sequential.predict_proba` is deprecated; use `model.predict(x)`.",
                      DeprecationWarning, stacklevel=2)
        return self.predict(x, batch_size=batch_size, verbose=verbose)

    def get_config(self):
        from tinytf.keras.models import saving
        config = {"name": self.name, "trainable": self.trainable,
                  "layers": [saving.serialize_layer(l) for l in self._seq_layers]}
        if self._build_shapes_dict is not None:
            config["build_input_shape"] = self._build_shapes_dict["input_shape"]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tinytf.keras.models import saving
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for lc in config["layers"]:
            model.add(saving.deserialize_layer(lc, custom_objects), rebuild=False)
        model._maybe_rebuild()
        shape = config.get("build_input_shape")
        if not model.built and shape is not None:
            model.build(tuple(shape))
        return model
