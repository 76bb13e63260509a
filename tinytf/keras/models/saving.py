"""Saving: ``save_weights``/``load_weights`` (an npz container under the user's file name)
and ``model.save``/``load_model`` (a ``.keras`` zip holding ``config.json``,
``metadata.json``, ``model.weights.npz`` and ``optimizer.npz``).

Every write goes to a temporary file in the same folder first and is then moved over the
target with ``os.replace``, so a crash mid-save leaves the previous file intact.
"""

import datetime
import io
import json
import os
import tempfile
import warnings
import zipfile

import numpy as np

_REGISTERED = {}


def register_keras_serializable(package="Custom", name=None):
    """Decorator: makes a custom class known to ``load_model`` by its name."""
    def deco(cls):
        key = f"{package}>{name or cls.__name__}"
        _REGISTERED[key] = cls
        _REGISTERED[name or cls.__name__] = cls
        cls._registered_name = key
        return cls
    return deco


def get_registered_object(name, custom_objects=None):
    if custom_objects and name in custom_objects:
        return custom_objects[name]
    return _REGISTERED.get(name)


# -- layer (de)serialization ---------------------------------------------------------------
def _json_default(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    if hasattr(o, "name") and hasattr(o, "as_numpy_dtype"):
        return o.name
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")


def serialize_layer(layer):
    cls = type(layer)
    from tinytf.keras import layers as layers_mod
    from tinytf.keras import models as models_mod
    module = "keras.layers" if layers_mod.__dict__.get(cls.__name__) is cls else \
        "keras" if getattr(models_mod, cls.__name__, None) is cls else cls.__module__
    out = {"module": module, "class_name": cls.__name__, "config": layer.get_config(),
           "registered_name": getattr(cls, "_registered_name", None)}
    build = layer.get_build_config() if hasattr(layer, "get_build_config") else None
    if build is not None and layer.built and cls.__name__ != "InputLayer":
        out["build_config"] = build
    return out


def _find_class(name, custom_objects=None, registered=None):
    from tinytf.keras import layers as layers_mod
    from tinytf.keras.models.functional import Functional
    from tinytf.keras.models.model import Model
    from tinytf.keras.models.sequential import Sequential
    for key in (registered, name):
        if key:
            obj = get_registered_object(key, custom_objects)
            if obj is not None:
                return obj
    builtin = {"Sequential": Sequential, "Functional": Functional, "Model": Model}
    if name in builtin:
        return builtin[name]
    cls = layers_mod.__dict__.get(name)
    if isinstance(cls, type):
        return cls
    raise TypeError(f"Could not locate class '{name}'. Make sure custom classes are "
                    "decorated with `@keras.saving.register_keras_serializable()` or passed "
                    "in `custom_objects`. Full object config: "
                    f"{{'class_name': '{name}'}}")


def deserialize_layer(config, custom_objects=None, safe_mode=True):
    from tinytf.keras.models.functional import Functional
    from tinytf.keras.models.sequential import Sequential
    from tinytf.keras.layers.core import Lambda
    cls = _find_class(config["class_name"], custom_objects, config.get("registered_name"))
    inner = config.get("config", {})
    if cls is Functional or (isinstance(cls, type) and issubclass(cls, Functional)) or (
            config["class_name"] == "Functional"):
        layer = functional_from_config(inner, custom_objects)
    elif isinstance(cls, type) and issubclass(cls, Sequential):
        layer = cls.from_config(inner, custom_objects)
    elif isinstance(cls, type) and issubclass(cls, Lambda):
        layer = cls.from_config(inner, safe_mode=safe_mode)
    else:
        layer = cls.from_config(inner)
    build = config.get("build_config")
    if build and not layer.built:
        _build_from_config(layer, build)
    return layer


def _build_from_config(layer, build):
    if hasattr(layer, "build_from_config") and type(layer).build_from_config is not \
            _layer_base().build_from_config:
        layer.build_from_config(build)
        return
    shape = build.get("input_shape")
    if shape is None:
        return
    if isinstance(shape, list) and shape and isinstance(shape[0], list):
        shape = [tuple(s) for s in shape]
    else:
        shape = tuple(shape)
    layer.build(shape)
    layer._build_shapes_dict = {"input_shape": shape}
    layer.built = True


def _layer_base():
    from tinytf.keras.layers.layer import Layer
    return Layer


def functional_config(model):
    from tinytf.keras.models.functional import _replace
    ordinals = {}
    counts = {}
    for node in model._node_order:
        name = node.layer.name
        ordinals[id(node)] = counts.get(name, 0)
        counts[name] = counts.get(name, 0) + 1

    def ref(kt):
        layer, node_index, tensor_index = kt._keras_history
        node = layer._inbound_nodes[node_index]
        return {"__kt__": [layer.name, ordinals[id(node)], tensor_index]}

    def ser(struct):
        out = _replace(struct, ref)
        return _listify(out)

    nodes = []
    for node in model._node_order:
        nodes.append([node.layer.name, ser(node.args), ser(node.kwargs)])
    return {"name": model.name, "trainable": model.trainable,
            "layers": [serialize_layer(l) for l in model._functional_layers],
            "nodes": nodes, "input_layers": ser(model._input_struct),
            "output_layers": ser(model._output_struct)}


def _listify(x):
    if isinstance(x, tuple):
        return {"__tuple__": [_listify(v) for v in x]}
    if isinstance(x, list):
        return [_listify(v) for v in x]
    if isinstance(x, dict):
        return {k: _listify(v) for k, v in x.items()}
    return x


def _unlistify(x, resolve):
    if isinstance(x, dict):
        if "__kt__" in x:
            return resolve(x["__kt__"])
        if "__tuple__" in x:
            return tuple(_unlistify(v, resolve) for v in x["__tuple__"])
        return {k: _unlistify(v, resolve) for k, v in x.items()}
    if isinstance(x, list):
        return [_unlistify(v, resolve) for v in x]
    return x


def functional_from_config(config, custom_objects=None):
    from tinytf.keras.layers.layer import _flatten
    from tinytf.keras.models.functional import Functional
    from tinytf.keras.layers.core import InputLayer
    layers = {}
    for lc in config["layers"]:
        layer = deserialize_layer(lc, custom_objects)
        layers[lc["config"].get("name", layer.name)] = layer
    produced = {}
    counts = {}

    def resolve(r):
        name, ordinal, index = r
        return produced[(name, ordinal)][index]

    for name, args, kwargs in config["nodes"]:
        layer = layers[name]
        k = counts.get(name, 0)
        counts[name] = k + 1
        if isinstance(layer, InputLayer):
            produced[(name, k)] = [layer.output]
            continue
        a = _unlistify(args, resolve)
        kw = _unlistify(kwargs, resolve)
        out = layer(*a, **kw)
        produced[(name, k)] = _flatten(out)
    inputs = _unlistify(config["input_layers"], resolve)
    outputs = _unlistify(config["output_layers"], resolve)
    return Functional(inputs, outputs, name=config.get("name"),
                      trainable=config.get("trainable", True))


def model_from_config(config, custom_objects=None):
    return deserialize_layer(config, custom_objects)


def model_from_json(json_string, custom_objects=None):
    return deserialize_layer(json.loads(json_string), custom_objects)


def clone_model(model, input_tensors=None, clone_function=None):
    """A new model with the same architecture and freshly initialized weights."""
    config = serialize_layer(model)
    return deserialize_layer(json.loads(json.dumps(config, default=_json_default)))


# -- atomic writes -------------------------------------------------------------------------
def _atomic_write(path, write):
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=os.path.basename(path) + ".", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _weights_npz(variables):
    buf = io.BytesIO()
    arrays = {f"w{i:05d}": np.asarray(v.numpy()) for i, v in enumerate(variables)}
    arrays["__paths__"] = np.array(json.dumps([getattr(v, "path", v.name)
                                               for v in variables]))
    np.savez(buf, **arrays)
    return buf.getvalue()


def _read_npz(data):
    with np.load(io.BytesIO(data), allow_pickle=False) as z:
        n = len([k for k in z.files if k.startswith("w")])
        arrays = [z[f"w{i:05d}"] for i in range(n)]
        paths = json.loads(str(z["__paths__"])) if "__paths__" in z.files else [None] * n
    return arrays, paths


def _check_overwrite(path, overwrite):
    if not overwrite and os.path.exists(path):
        raise FileExistsError(f"File {path} exists and overwrite=False.")


def save_weights(model, filepath, overwrite=True):
    filepath = os.fspath(filepath)
    if not model.built:
        raise ValueError("You are calling `save_weights()` on a model that has not been built "
                         "yet: call the model on data (or `model.build(input_shape)`) first.")
    _check_overwrite(filepath, overwrite)
    data = _weights_npz(model.weights)
    _atomic_write(filepath, lambda f: f.write(data))


def _resolve_weights_path(filepath):
    filepath = os.fspath(filepath)
    if os.path.exists(filepath):
        return filepath
    for suffix in (".index", ".npz"):
        if os.path.exists(filepath + suffix):
            return filepath + suffix
    raise FileNotFoundError(f"The weights file {filepath} does not exist (nothing was saved "
                            "under that name).")


def load_weights(model, filepath, skip_mismatch=False):
    path = _resolve_weights_path(filepath)
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"PK") and _is_keras_zip(data):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            data = z.read("model.weights.npz")
    try:
        arrays, paths = _read_npz(data)
    except Exception as e:  # noqa: BLE001
        raise ValueError(f"{path} is not a weights file written by tinytf "
                         f"(save_weights or model.save): {e}") from None
    pending = (arrays, paths, path, skip_mismatch)
    if not model.built or (not model.weights and arrays):
        model.__dict__["_deferred_weights"] = pending   # restored when the model is built
        return None
    assign_weights(model, pending)
    return None


def _is_keras_zip(data):
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return "model.weights.npz" in z.namelist()
    except zipfile.BadZipFile:
        return False


def assign_weights(model, pending):
    arrays, paths, source, skip_mismatch = pending
    variables = model.weights
    if len(variables) != len(arrays):
        raise ValueError(
            f"Weights file {source} does not match the model '{model.name}': the model has "
            f"{len(variables)} weight variables, the file holds {len(arrays)}. Model "
            f"weights: {[getattr(v, 'path', v.name) for v in variables]}; file: {paths}")
    for v, a, p in zip(variables, arrays, paths):
        want = tuple(v.shape.as_list())
        if want != a.shape:
            if skip_mismatch:
                warnings.warn(f"Skipping loading weights for {v.path}: shape {want} in the "
                              f"model, {a.shape} in the file.", stacklevel=3)
                continue
            raise ValueError(
                f"Weights file {source} does not match the model '{model.name}': variable "
                f"'{getattr(v, 'path', v.name)}' has shape {want} in the model but the file's "
                f"'{p}' has shape {a.shape}.")
        v.assign(a.astype(v.dtype.as_numpy_dtype, copy=False))


# -- whole-model saving --------------------------------------------------------------------
def _serialize_obj(obj):
    if obj is None or isinstance(obj, (str, int, float, bool)):
        return obj
    if isinstance(obj, (list, tuple)):
        return [_serialize_obj(o) for o in obj]
    if isinstance(obj, dict):
        return {k: _serialize_obj(v) for k, v in obj.items()}
    if hasattr(obj, "get_config") and not isinstance(obj, type):
        try:
            cfg = obj.get_config()
        except NotImplementedError:
            cfg = {}
        return {"class_name": type(obj).__name__, "config": cfg,
                "module": type(obj).__module__}
    name = getattr(obj, "__name__", None)
    if name:
        return name
    raise TypeError(f"Cannot serialize {obj!r}")


def _deserialize_obj(conf, module, custom_objects=None):
    if conf is None or isinstance(conf, (int, float, bool)):
        return conf
    if isinstance(conf, str):
        if custom_objects and conf in custom_objects:
            return custom_objects[conf]
        return conf
    if isinstance(conf, list):
        return [_deserialize_obj(c, module, custom_objects) for c in conf]
    if isinstance(conf, dict) and "class_name" in conf:
        name = conf["class_name"]
        cls = (custom_objects or {}).get(name) or getattr(module, name, None) or \
            _REGISTERED.get(name)
        if cls is None:
            raise TypeError(f"Could not locate class '{name}' in {module.__name__}.")
        return cls.from_config(conf.get("config", {}))
    if isinstance(conf, dict):
        return {k: _deserialize_obj(v, module, custom_objects) for k, v in conf.items()}
    return conf


def save_model(model, filepath, overwrite=True, include_optimizer=True, **kwargs):
    """Writes the model's architecture, weights and optimizer state to one file."""
    filepath = os.fspath(filepath)
    if filepath.endswith(".h5") or filepath.endswith(".hdf5"):
        warnings.warn("The `.h5` format is legacy: tinytf writes its `.keras` zip under that "
                      "name. Use `model.save('my_model.keras')` instead.",
                      DeprecationWarning, stacklevel=3)
    elif not filepath.endswith(".keras"):
        raise ValueError("Invalid filepath extension for saving. Please add either a `.keras` "
                         "extension for the native Keras format (recommended) or a `.h5` "
                         "extension. Use `model.export(filepath)` if you want to export a "
                         f"SavedModel for use with TFLite/TFServing/etc. Received: "
                         f"filepath={filepath}.")
    _check_overwrite(filepath, overwrite)
    config = serialize_layer(model)
    compile_config = model.__dict__.get("_compile_config") if model.compiled else None
    if compile_config is not None:
        cc = dict(compile_config)
        opt = model.optimizer
        cc["optimizer"] = {"class_name": type(opt).__name__, "config": opt.get_config()}
        cc["loss"] = _serialize_obj(cc.get("loss"))
        cc["metrics"] = _serialize_obj(cc.get("metrics"))
        cc["weighted_metrics"] = _serialize_obj(cc.get("weighted_metrics"))
        config["compile_config"] = cc
    meta = {"keras_version": "3.15.0", "tinytf": True,
            "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S")}
    weights = _weights_npz(model.weights) if model.built else None
    opt_vars = None
    if include_optimizer and model.compiled and getattr(model.optimizer, "built", False):
        opt_vars = _weights_npz(list(model.optimizer.variables))
    cfg_text = json.dumps(config, default=_json_default)

    def write(f):
        with zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as z:
            z.writestr("metadata.json", json.dumps(meta))
            z.writestr("config.json", cfg_text)
            if weights is not None:
                z.writestr("model.weights.npz", weights)
            if opt_vars is not None:
                z.writestr("optimizer.npz", opt_vars)
    _atomic_write(filepath, write)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):  # noqa: A002
    """Rebuilds a model saved with ``model.save``: architecture, weights, optimizer state."""
    filepath = os.fspath(filepath)
    if not os.path.exists(filepath):
        raise ValueError(f"File not found: filepath={filepath}. Please ensure the file is an "
                         "accessible `.keras` zip file.")
    if filepath.endswith(".h5") or filepath.endswith(".hdf5"):
        warnings.warn("The `.h5` format is legacy: save and load `.keras` files instead.",
                      DeprecationWarning, stacklevel=2)
    if not zipfile.is_zipfile(filepath):
        raise ValueError(f"{filepath} is not a model file written by `model.save` (expected a"
                         " `.keras` zip archive).")
    with zipfile.ZipFile(filepath) as z:
        names = z.namelist()
        config = json.loads(z.read("config.json"))
        weights = z.read("model.weights.npz") if "model.weights.npz" in names else None
        opt_data = z.read("optimizer.npz") if "optimizer.npz" in names else None
    compile_config = config.pop("compile_config", None)
    model = deserialize_layer(config, custom_objects, safe_mode=safe_mode)
    if weights is not None:
        arrays, paths = _read_npz(weights)
        pending = (arrays, paths, filepath, False)
        if model.built and (model.weights or not arrays):
            assign_weights(model, pending)
        else:
            model.__dict__["_deferred_weights"] = pending
    if compile and compile_config is not None:
        from tinytf.keras import losses, metrics, optimizers
        oc = compile_config["optimizer"]
        opt_cls = getattr(optimizers, oc["class_name"], None) or \
            (custom_objects or {}).get(oc["class_name"])
        optimizer = opt_cls.from_config(oc["config"]) if opt_cls is not None else \
            optimizers.get(oc["class_name"].lower())
        model.compile(optimizer=optimizer,
                      loss=_deserialize_obj(compile_config.get("loss"), losses, custom_objects),
                      loss_weights=compile_config.get("loss_weights"),
                      metrics=_deserialize_obj(compile_config.get("metrics"), metrics,
                                               custom_objects),
                      weighted_metrics=_deserialize_obj(compile_config.get("weighted_metrics"),
                                                        metrics, custom_objects),
                      run_eagerly=compile_config.get("run_eagerly", False),
                      steps_per_execution=compile_config.get("steps_per_execution", 1))
        if opt_data is not None and model.built:
            arrays, _ = _read_npz(opt_data)
            optimizer.build(model.trainable_variables)
            ovars = list(optimizer.variables)
            if len(ovars) == len(arrays):
                for v, a in zip(ovars, arrays):
                    v.assign(a.astype(v.dtype.as_numpy_dtype, copy=False).reshape(
                        v.shape.as_list()))
            else:
                warnings.warn(f"Skipping the optimizer state in {filepath}: it holds "
                              f"{len(arrays)} variables, the rebuilt optimizer has "
                              f"{len(ovars)}.", stacklevel=2)
    return model
