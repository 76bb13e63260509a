"""The functional API: ``keras.Input``, symbolic layer calls and ``Model(inputs, outputs)``.

Calling a layer on ``KerasTensor``s builds it from their static shapes, infers the output
shape with ``compute_output_shape`` (or, for layers without one, by running the layer on
zeros) and records a ``Node``. A functional model keeps its nodes in execution order and
replays them on real tensors.
"""

import numpy as np

import tinytf as tf
from tinytf.framework.context import _ctx, _own
from tinytf.keras import backend
from tinytf.keras.layers.keras_tensor import KerasTensor
from tinytf.keras.layers.layer import Layer, _CALL_CTX, _flatten, _map
from tinytf.keras.models.model import Model


class Node:
    """One call of a layer in the functional graph."""

    __slots__ = ("layer", "args", "kwargs", "inputs", "outputs", "out_struct")

    def __init__(self, layer, args, kwargs, outputs, out_struct):
        self.layer = layer
        self.args = args
        self.kwargs = kwargs
        self.inputs = [t for t in _flatten((args, kwargs)) if isinstance(t, KerasTensor)]
        self.outputs = outputs
        self.out_struct = out_struct


def _replace(struct, fn):
    if isinstance(struct, KerasTensor):
        return fn(struct)
    if isinstance(struct, (list, tuple)):
        return type(struct)(_replace(v, fn) for v in struct)
    if isinstance(struct, dict):
        return {k: _replace(v, fn) for k, v in struct.items()}
    return struct


def _kt_shape(t):
    return t.shape if isinstance(t, KerasTensor) else tuple(getattr(t, "shape", ()))


def symbolic_call(layer, args, kwargs):
    """``layer(*args, **kwargs)`` where some arguments are KerasTensors."""
    layer._ensure_base()
    inputs = args[0] if args else next(iter(kwargs.values()))
    shapes = _map(lambda t: _kt_shape(t) if isinstance(t, KerasTensor) else t, inputs) \
        if not isinstance(inputs, KerasTensor) else inputs.shape
    if not layer.built:
        g = _ctx().graph
        _own().graph = None
        try:
            with backend.name_scope(layer.name, caller=layer):
                layer._build_shapes_dict = {"input_shape": shapes}
                if type(layer).build is not Layer.build:
                    layer.build(shapes)
                layer.built = True
                layer._apply_deferred_weights()
        finally:
            _own().graph = g
    try:
        out_shapes = layer.compute_output_shape(shapes)
        dtypes = None
    except NotImplementedError:
        out_shapes, dtypes = _shapes_by_running(layer, args, kwargs)
    # A single shape is a tuple of ints/None; several are a list/tuple of tuples.
    if _is_single_shape(out_shapes):
        struct = [out_shapes]
        single = True
    else:
        struct = list(out_shapes)
        single = False
    node_index = len(layer._inbound_nodes)
    outs = []
    for i, s in enumerate(struct):
        dt = dtypes[i] if dtypes else _out_dtype(layer, inputs)
        outs.append(KerasTensor(s, dt, history=(layer, node_index, i)))
    node = Node(layer, args, dict(kwargs), outs, "single" if single else type(out_shapes))
    layer._inbound_nodes.append(node)
    if single:
        return outs[0]
    return outs if not isinstance(out_shapes, tuple) else tuple(outs)


def _is_single_shape(s):
    return isinstance(s, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer))
                                                for d in s)


def _out_dtype(layer, inputs):
    dt = getattr(layer, "_output_dtype", None)
    if dt is not None:
        return dt
    return layer.compute_dtype


def _shapes_by_running(layer, args, kwargs):
    """Runs the layer on zeros (unknown dims as 1) to learn its output shapes and dtypes."""
    batch_unknown = []

    def zeros(kt):
        batch_unknown.append(kt.shape[:1] == (None,))
        shape = [1 if d is None else d for d in kt.shape]
        return tf.zeros(shape, dtype=kt.dtype)
    g = _ctx().graph
    _own().graph = None
    prev = _CALL_CTX.training
    _CALL_CTX.training = False
    try:
        a = _replace(args, zeros)
        k = _replace(kwargs, zeros)
        out = layer(*a, **k)
    finally:
        _own().graph = g
        _CALL_CTX.training = prev
        layer.__dict__.get("_losses", []).clear() if layer.__dict__.get("_losses") else None
    flat = _flatten(out)
    none_batch = any(batch_unknown)
    shapes = []
    for o in flat:
        s = list(o.shape.as_list()) if hasattr(o.shape, "as_list") else list(o.shape)
        if none_batch and s:
            s[0] = None
        shapes.append(tuple(s))
    dtypes = [o.dtype.name for o in flat]
    if not isinstance(out, (list, tuple)):
        return shapes[0], dtypes
    return (tuple(shapes) if isinstance(out, tuple) else shapes), dtypes


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None,
          tensor=None, optional=False, ragged=None):
    """A symbolic input of the functional API (``keras.Input``)."""
    from tinytf.keras.layers.core import InputLayer
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse,
                       batch_shape=batch_shape, name=name, input_tensor=tensor,
                       optional=optional)
    return layer.output


class Functional(Model):
    """A model defined by its inputs and outputs (``keras.Model(inputs, outputs)``)."""

    _lazy_build = False

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Model.__init__(self, name=name or backend.unique_object_name("functional"),
                       trainable=trainable)
        self._init_graph(inputs, outputs)

    def _init_graph(self, inputs, outputs):
        if isinstance(inputs, dict):
            self._input_struct = {k: v for k, v in inputs.items()}
        else:
            self._input_struct = inputs
        self._output_struct = outputs
        flat_in = _flatten(inputs)
        flat_out = _flatten(outputs)
        for t in flat_in + flat_out:
            if not isinstance(t, KerasTensor):
                raise ValueError("All `inputs` and `outputs` values must be KerasTensors. "
                                 f"Received: inputs={inputs} including invalid value {t} "
                                 f"of type {type(t)}")
        self._input_kts = flat_in
        self._output_kts = flat_out
        self._node_order = _topological_nodes(flat_in, flat_out)
        layers = []
        seen = set()
        for t in flat_in:
            lyr = t._keras_history[0]
            if id(lyr) not in seen:
                seen.add(id(lyr))
                layers.append(lyr)
        for node in self._node_order:
            if id(node.layer) not in seen:
                seen.add(id(node.layer))
                layers.append(node.layer)
        self._functional_layers = layers
        self.built = True
        self._build_shapes_dict = {"input_shape": _map(lambda t: t.shape, inputs)}

    @property
    def inputs(self):
        return list(self._input_kts)

    @property
    def outputs(self):
        return list(self._output_kts)

    @property
    def input_shape(self):
        s = [t.shape for t in self._input_kts]
        return s[0] if len(s) == 1 else s

    @property
    def output_shape(self):
        s = [t.shape for t in self._output_kts]
        return s[0] if len(s) == 1 else s

    @property
    def layers(self):
        return list(self._functional_layers)

    def _all_layers_in_order(self):
        return list(self._functional_layers)

    def _is_sequential_like(self):
        for node in self._node_order:
            if len(node.inputs) > 1:
                return False
        counts = {}
        for node in self._node_order:
            counts[id(node.layer)] = counts.get(id(node.layer), 0) + 1
            if counts[id(node.layer)] > 1:
                return False
        return len(self._input_kts) == 1 and len(self._output_kts) == 1

    def _connections(self, layer):
        mine = [n for n in layer._inbound_nodes if n in self._node_set()]
        parts = []
        for n in mine:
            for kt in n.inputs:
                lyr, ni, ti = kt._keras_history
                parts.append(f"{lyr.name}[{ni}][{ti}]")
        return ", ".join(parts) if parts else "-"

    def _node_set(self):
        return set(self._node_order)

    def call(self, inputs, training=None, mask=None):
        if isinstance(self._input_struct, dict) and isinstance(inputs, dict):
            flat = [inputs[k] for k in self._input_struct]
        else:
            flat = _flatten(inputs)
        if len(flat) != len(self._input_kts):
            raise ValueError(f"Layer \"{self.name}\" expects {len(self._input_kts)} input(s),"
                             f" but it received {len(flat)} input tensors. Inputs received: "
                             f"{inputs}")
        values = {}
        for kt, v in zip(self._input_kts, flat):
            if hasattr(v, "dtype") and getattr(v.dtype, "name", v.dtype) != kt.dtype and \
                    not isinstance(v, np.ndarray):
                v = tf.cast(v, kt.dtype)
            elif not hasattr(v, "dtype") or isinstance(v, np.ndarray):
                v = tf.convert_to_tensor(np.asarray(v, dtype=kt.dtype))
            values[id(kt)] = v
        get = values.__getitem__
        for node in self._node_order:
            if node.outputs and id(node.outputs[0]) in values:
                continue  # an input layer's node
            args = _replace(node.args, lambda t: get(id(t)))
            kwargs = _replace(node.kwargs, lambda t: get(id(t)))
            out = node.layer(*args, **kwargs)
            for kt, o in zip(node.outputs, _flatten(out)):
                values[id(kt)] = o
        return _replace(self._output_struct, lambda t: get(id(t)))

    def compute_output_shape(self, input_shape):
        s = [t.shape for t in self._output_kts]
        return s[0] if len(s) == 1 else s

    def build(self, input_shape=None):
        self.built = True

    def get_config(self):
        from tinytf.keras.models import saving
        return saving.functional_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from tinytf.keras.models import saving
        return saving.functional_from_config(config, custom_objects)


def _topological_nodes(inputs, outputs):
    """Nodes between inputs and outputs, in an order where producers come first."""
    order = []
    visited = set()
    input_ids = {id(t) for t in inputs}

    def visit(kt, stack):
        layer, node_index, _ = kt._keras_history
        node = layer._inbound_nodes[node_index]
        if id(node) in visited:
            return
        if id(kt) in stack:
            raise ValueError("The functional graph has a cycle.")
        if id(kt) not in input_ids:
            if not node.inputs and type(layer).__name__ != "InputLayer":
                pass
            if type(layer).__name__ == "InputLayer" and id(kt) not in input_ids:
                raise ValueError(f"Graph disconnected: cannot find the input "
                                 f"{kt} in the model's `inputs`: the model needs all "
                                 "keras.Input tensors its outputs depend on.")
            for t in node.inputs:
                visit(t, stack | {id(kt)})
        visited.add(id(node))
        order.append(node)

    for t in inputs:
        visit(t, set())
    for t in outputs:
        visit(t, set())
    return order
