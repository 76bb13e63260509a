"""``keras.Model``: a Layer that can be trained (compile/fit/evaluate/predict), printed
(summary) and saved. ``Model(inputs, outputs)`` makes a functional model; subclasses
define ``call``.

The training loop converts the data once (float64 arrays become float32), draws one
permutation per epoch and slices batches from it; each step runs one compiled train
function (``tf.function`` unless ``run_eagerly=True``).
"""

import math
import warnings

import numpy as np

import tinytf as tf
from tinytf.framework.tensor import EagerTensor, Tensor
from tinytf.keras.layers.layer import Layer, _CALL_CTX, _flatten, _map
from tinytf.keras.models import summary_utils


class Model(Layer):
    """A layer with training and inference features (``keras.Model``)."""

    _lazy_build = True

    def __new__(cls, *args, **kwargs):
        if cls is Model and (len(args) >= 2 or "inputs" in kwargs or "outputs" in kwargs):
            from tinytf.keras.models.functional import Functional
            return Functional.__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs:
            raise TypeError("Model(inputs, outputs) is the functional API; subclasses of "
                            "Model take no positional arguments here.")
        trainable = kwargs.pop("trainable", True)
        name = kwargs.pop("name", None)
        dtype = kwargs.pop("dtype", None)
        Layer.__init__(self, trainable=trainable, name=name, dtype=dtype, **kwargs)
        self._reset_compile_state()

    def _reset_compile_state(self):
        d = self.__dict__
        d["optimizer"] = d.get("optimizer")
        d["_compiled"] = d.get("_compiled", False)
        d["stop_training"] = False
        d["_train_fn"] = None
        d["_test_fn"] = None
        d["_predict_fn"] = None

    def _ensure_base(self):
        if "_own_weights" not in self.__dict__:
            Layer.__init__(self)
            self._reset_compile_state()

    # -- building ------------------------------------------------------------------------
    def build(self, input_shape=None):
        """Builds a subclassed model by running ``call`` once on zeros of ``input_shape``."""
        if input_shape is None:
            raise ValueError("You must provide an `input_shape` argument.")
        if self.__dict__.get("_building"):
            return
        self.__dict__["_building"] = True
        try:
            def zeros(shape):
                return tf.zeros([1 if d is None else d for d in shape], dtype=self.dtype)
            if isinstance(input_shape, (list, tuple)) and input_shape and \
                    isinstance(input_shape[0], (list, tuple)):
                x = [zeros(s) for s in input_shape]
            elif isinstance(input_shape, dict):
                x = {k: zeros(s) for k, s in input_shape.items()}
            else:
                x = zeros(tuple(input_shape))
            prev = _CALL_CTX.training
            _CALL_CTX.training = False
            try:
                self.call(x)
            finally:
                _CALL_CTX.training = prev
                self._clear_losses()
            self._build_shapes_dict = {"input_shape": input_shape}
        finally:
            self.__dict__["_building"] = False
        self.built = True

    @property
    def layers(self):
        return self._flatten_layers(include_self=False, recursive=False)

    def get_layer(self, name=None, index=None):
        """A layer by name or by index."""
        if index is not None and name is not None:
            raise ValueError("Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model "
                                 f"only has {len(self.layers)} layers.")
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: "
                             f"{[l.name for l in self.layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    # -- compile -------------------------------------------------------------------------
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True, **kwargs):
        """Configures the model for training."""
        from tinytf.keras import optimizers
        for k in ("experimental_run_tf_function", "distribute"):
            kwargs.pop(k, None)
        if kwargs:
            raise TypeError(f"Invalid keyword argument(s) in `compile()`: {tuple(kwargs)}. "
                            "Valid keyword arguments include \"cloning\", "
                            "\"experimental_run_tf_function\", \"distribute\", "
                            "\"target_tensors\", or \"sample_weight_mode\".")
        self.optimizer = optimizers.get(optimizer)
        self.loss = loss
        self._loss_weights = loss_weights
        self._compile_metrics_arg = metrics
        self._weighted_metrics_arg = weighted_metrics
        self.run_eagerly = bool(run_eagerly)
        self.steps_per_execution = steps_per_execution
        self.jit_compile = jit_compile
        self._loss_fns = None
        self._tracked_metrics = None
        self._train_fn = self._test_fn = self._predict_fn = None
        self._compiled = True
        self._compile_config = {"optimizer": optimizer, "loss": loss,
                                "loss_weights": loss_weights, "metrics": metrics,
                                "weighted_metrics": weighted_metrics,
                                "run_eagerly": run_eagerly,
                                "steps_per_execution": steps_per_execution}

    @property
    def compiled(self):
        return self.__dict__.get("_compiled", False)

    def _assert_compiled(self):
        if not self.compiled:
            raise ValueError("You must call `compile()` before using the model.")

    def _resolve_losses(self, y_true, y_pred):
        """Turns the compile() loss argument into one callable per output."""
        from tinytf.keras import losses
        flat_pred = _flatten(y_pred)
        loss = self.loss
        if loss is None:
            return []
        if isinstance(loss, dict):
            names = self._output_names()
            fns = [losses.get(loss[n]) if loss.get(n) is not None else None for n in names]
        elif isinstance(loss, (list, tuple)):
            fns = [None if l is None else losses.get(l) for l in loss]
        else:
            fns = [losses.get(loss)] * len(flat_pred)
        fns = [_wrap_loss(f, losses) for f in fns]
        weights = self._loss_weights
        if isinstance(weights, dict):
            weights = [weights.get(n, 1.0) for n in self._output_names()]
        elif weights is None:
            weights = [1.0] * len(fns)
        return list(zip(fns, weights))

    def _output_names(self):
        outs = self.__dict__.get("_output_kts")
        if outs:
            return [kt._keras_history[0].name for kt in outs]
        return [f"output_{i}" for i in range(len(self.outputs))] if hasattr(
            self, "outputs") else ["output_0"]

    def _resolve_metrics(self, y_true, y_pred):
        from tinytf.keras import losses, metrics as metrics_mod
        out = [metrics_mod.Mean(name="loss")]
        flat_true, flat_pred = _flatten(y_true), _flatten(y_pred)
        arg = self._compile_metrics_arg
        per_output = []
        if arg is None:
            per_output = [[] for _ in flat_pred]
        elif isinstance(arg, dict):
            names = self._output_names()
            per_output = [_as_list(arg.get(n)) for n in names]
        elif isinstance(arg, (list, tuple)) and arg and all(
                isinstance(a, (list, tuple)) or a is None for a in arg) and len(flat_pred) > 1:
            per_output = [_as_list(a) for a in arg]
        else:
            per_output = [_as_list(arg)] + [[] for _ in flat_pred[1:]] if len(flat_pred) == 1 \
                else [_as_list(arg) for _ in flat_pred]
        loss_fns = self._loss_fns or []
        multi = len(flat_pred) > 1
        names = self._output_names() if multi else [None]
        wrapped = []
        for i, ms in enumerate(per_output):
            if i >= len(flat_pred):
                break
            lf = loss_fns[i][0] if i < len(loss_fns) else None
            for m in ms:
                obj = _get_metric(m, flat_true[i] if i < len(flat_true) else None,
                                  flat_pred[i], lf, metrics_mod, losses)
                if multi:
                    obj._keras_display_name = f"{names[i]}_{obj.name}"
                wrapped.append((i, obj))
        return out, wrapped

    # -- the steps -----------------------------------------------------------------------
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The total loss: compiled losses (per output, weighted) plus ``self.losses``."""
        total = None
        if self._loss_fns:
            flat_true, flat_pred = _flatten(y), _flatten(y_pred)
            for (fn, w), yt, yp in zip(self._loss_fns, flat_true, flat_pred):
                if fn is None:
                    continue
                value = _apply_loss(fn, yt, yp, sample_weight)
                if w != 1.0:
                    value = value * w
                total = value if total is None else total + value
        reg = self.losses
        if reg:
            r = tf.add_n([tf.cast(l, tf.float32) for l in reg]) if len(reg) > 1 else \
                tf.cast(reg[0], tf.float32)
            total = r if total is None else total + r
        if total is None:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return total

    def _prepare_step_state(self, x, y):
        """Resolves losses/metrics and builds the model and optimizer (eagerly, once)."""
        if self._tracked_metrics is not None:
            return
        if not self.built:
            self._first_build_call(x)
        y_pred = self._output_spec_sample(x)
        self._loss_fns = self._resolve_losses(y, y_pred)
        loss_tracker, compile_metrics = self._resolve_metrics(y, y_pred)
        self._loss_tracker = loss_tracker[0]
        self._compile_metric_list = compile_metrics
        self._tracked_metrics = [self._loss_tracker] + [m for _, m in compile_metrics]
        if self.optimizer is not None and not getattr(self.optimizer, "built", True):
            self.optimizer.build(self.trainable_variables)

    def _first_build_call(self, x):
        from tinytf.keras.models.sequential import Sequential
        if isinstance(self, Sequential) and hasattr(x, "shape"):
            self.build((None,) + tuple(x.shape)[1:])
            return
        xb = _map(lambda a: a[:1] if hasattr(a, "shape") else a, x)
        prev = _CALL_CTX.training
        _CALL_CTX.training = False
        try:
            self(xb)
        finally:
            _CALL_CTX.training = prev
            self._clear_losses()

    def _output_spec_sample(self, x):
        xb = _map(lambda a: a[:2] if hasattr(a, "shape") else a, x)
        prev = _CALL_CTX.training
        _CALL_CTX.training = False
        try:
            out = self(xb)
        finally:
            _CALL_CTX.training = prev
            self._clear_losses()
        return out

    @property
    def metrics(self):
        m = self.__dict__.get("_tracked_metrics")
        return list(m) if m else []

    @property
    def metrics_names(self):
        return [_display_name(m) for m in self.metrics]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    def _metric_results(self):
        out = {}
        for m in self._tracked_metrics:
            r = m.result()
            if isinstance(r, dict):
                out.update(r)
            else:
                out[_display_name(m)] = r
        return out

    def train_step(self, data):
        """One optimization step on a batch ``(x, y, sample_weight)``; returns the logs."""
        x, y, sw = _unpack(data)
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sw)
            self._clear_losses()
        tvars = self.trainable_variables
        grads = tape.gradient(loss, tvars)
        self.optimizer.apply_gradients(zip(grads, tvars))
        return self._update_metrics(loss, x, y, y_pred, sw)

    def test_step(self, data):
        x, y, sw = _unpack(data)
        y_pred = self(x, training=False)
        loss = self.compute_loss(x, y, y_pred, sw, training=False)
        self._clear_losses()
        return self._update_metrics(loss, x, y, y_pred, sw)

    def predict_step(self, data):
        x, _, _ = _unpack(data)
        return self(x, training=False)

    def _update_metrics(self, loss, x, y, y_pred, sw):
        n = tf.shape(_flatten(x)[0])[0]
        self._loss_tracker.update_state(loss, sample_weight=tf.cast(n, loss.dtype))
        if self._compile_metric_list:
            flat_true, flat_pred = _flatten(y), _flatten(y_pred)
            for i, m in self._compile_metric_list:
                m.update_state(flat_true[i], flat_pred[i], sample_weight=sw)
        return self._metric_results()

    def _make_function(self, step, kind):
        if self.__dict__.get("run_eagerly") or _functions_run_eagerly():
            return step
        fn = getattr(tf, "function", None)
        if fn is None:
            return step
        try:
            # One trace per batch shape (usually two: full and last batch), so shapes are
            # static inside the graph.
            compiled = fn(step)
        except Exception:  # noqa: BLE001
            return step
        state = {"ok": None}

        def run(data):
            if state["ok"] is False:
                return step(data)
            if state["ok"] is None:
                try:
                    out = compiled(data)
                    state["ok"] = True
                    return out
                except Exception as e:  # noqa: BLE001 - fall back to the eager step
                    state["ok"] = False
                    first = str(e).splitlines()[0] if str(e) else ""
                    warnings.warn(f"tf.function could not trace the {kind} step "
                                  f"({type(e).__name__}: {first}); running it eagerly.",
                                  stacklevel=3)
                    return step(data)
            return compiled(data)
        return run

    def make_train_function(self, force=False):
        if self._train_fn is None or force:
            self._train_fn = self._make_function(self.train_step, "train")
        return self._train_fn

    def make_test_function(self, force=False):
        if self._test_fn is None or force:
            self._test_fn = self._make_function(self.test_step, "test")
        return self._test_fn

    def make_predict_function(self, force=False):
        if self._predict_fn is None or force:
            self._predict_fn = self._make_function(self.predict_step, "predict")
        return self._predict_fn

    # -- fit / evaluate / predict --------------------------------------------------------
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None,
            validation_steps=None, validation_batch_size=None, validation_freq=1):
        """Trains the model for a fixed number of epochs; returns a ``History``."""
        from tinytf.keras import callbacks as callbacks_module
        self._assert_compiled()
        if validation_split and validation_data is None:
            if not _is_array_like(x):
                raise ValueError("`validation_split` is only supported for Tensors or NumPy "
                                 f"arrays, found following types in the input: {type(x)}")
            (x, y, sample_weight), val = _split(x, y, sample_weight, validation_split)
            validation_data = val
        data = DataHandler(x, y, sample_weight, batch_size=batch_size or 32,
                           steps_per_epoch=steps_per_epoch, shuffle=shuffle,
                           class_weight=class_weight, model=self)
        val_handler = None
        if validation_data is not None:
            vx, vy, vsw = _unpack_validation(validation_data)
            val_handler = DataHandler(vx, vy, vsw,
                                      batch_size=validation_batch_size or batch_size or 32,
                                      steps_per_epoch=validation_steps, shuffle=False,
                                      model=self)
        first = data.peek()
        self._prepare_step_state(first[0], first[1])
        train_fn = self.make_train_function()
        if not isinstance(callbacks, callbacks_module.CallbackList):
            callbacks = callbacks_module.CallbackList(
                callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                verbose=verbose, epochs=epochs, steps=data.steps)
        self.stop_training = False
        callbacks.on_train_begin()
        training_logs = None
        logs = {}
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            callbacks.on_epoch_begin(epoch)
            if _needs_batch_hooks(callbacks, "train"):
                for step, batch in data.epoch():
                    callbacks.on_train_batch_begin(step)
                    logs = train_fn(batch)
                    callbacks.on_train_batch_end(step, logs)
                    if self.stop_training:
                        break
            else:       # nobody listens per batch: no log conversion (no device sync)
                for step, batch in data.epoch():
                    train_fn(batch)
            epoch_logs = _pythonify(self._metric_results())
            if val_handler is not None and (epoch + 1) % validation_freq == 0 \
                    if isinstance(validation_freq, int) else epoch + 1 in validation_freq:
                val_logs = self._evaluate_handler(val_handler, callbacks)
                epoch_logs.update({"val_" + k: v for k, v in val_logs.items()})
            callbacks.on_epoch_end(epoch, epoch_logs)
            training_logs = epoch_logs
            if self.stop_training:
                break
        callbacks.on_train_end(logs=training_logs)
        for cb in getattr(callbacks, "callbacks", []):
            if isinstance(cb, callbacks_module.History):
                return cb
        return getattr(self, "history", None)

    def _evaluate_handler(self, handler, callbacks):
        test_fn = self.make_test_function()
        self.reset_metrics()
        callbacks.on_test_begin()
        logs = {}
        hooks = _needs_batch_hooks(callbacks, "test")
        for step, batch in handler.epoch():
            if hooks:
                callbacks.on_test_batch_begin(step)
                logs = test_fn(batch)
                callbacks.on_test_batch_end(step, logs)
            else:
                test_fn(batch)
        logs = _pythonify(self._metric_results())
        callbacks.on_test_end(logs)
        return logs

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, **kwargs):
        """Returns the loss (and metrics) on the given data."""
        from tinytf.keras import callbacks as callbacks_module
        self._assert_compiled()
        data = DataHandler(x, y, sample_weight, batch_size=batch_size or 32,
                           steps_per_epoch=steps, shuffle=False, model=self)
        first = data.peek()
        self._prepare_step_state(first[0], first[1])
        if not isinstance(callbacks, callbacks_module.CallbackList):
            callbacks = callbacks_module.CallbackList(
                callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                steps=data.steps)
        logs = self._evaluate_handler(data, callbacks)
        if return_dict:
            return logs
        return _flatten_in_order(logs, self)

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """Generates output predictions (NumPy arrays) for the inputs, in batches."""
        from tinytf.keras import callbacks as callbacks_module
        data = DataHandler(x, None, None, batch_size=batch_size or 32, steps_per_epoch=steps,
                           shuffle=False, model=self)
        if not self.built:
            self._first_build_call(data.peek()[0])
        predict_fn = self.make_predict_function()
        if not isinstance(callbacks, callbacks_module.CallbackList):
            callbacks = callbacks_module.CallbackList(
                callbacks, add_progbar=verbose != 0, model=self, verbose=verbose, epochs=1,
                steps=data.steps)
        callbacks.on_predict_begin()
        outputs = []
        for step, batch in data.epoch():
            callbacks.on_predict_batch_begin(step)
            out = predict_fn(batch)
            outputs.append(_map(_to_numpy, out))
            callbacks.on_predict_batch_end(step, {"outputs": out})
        callbacks.on_predict_end()
        if not outputs:
            raise ValueError("Unexpected result of `predict_function` (Empty batch_outputs). "
                             "Please use `Model.compile(..., run_eagerly=True)`, or "
                             "`tf.config.run_functions_eagerly(True)` for more information of"
                             " where went wrong, or file a issue/bug to `tf.keras`.")
        return _concat_structure(outputs)

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """Runs a single gradient update on one batch; returns the metrics so far."""
        self._assert_compiled()
        data = DataHandler(x, y, sample_weight, batch_size=None, shuffle=False,
                           class_weight=class_weight, model=self, whole=True)
        batch = data.peek()
        self._prepare_step_state(batch[0], batch[1])
        logs = _pythonify(self.make_train_function()(batch))
        return logs if return_dict else _flatten_in_order(logs, self)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Evaluates on one batch; returns the metrics so far."""
        self._assert_compiled()
        data = DataHandler(x, y, sample_weight, batch_size=None, shuffle=False, model=self,
                           whole=True)
        batch = data.peek()
        self._prepare_step_state(batch[0], batch[1])
        logs = _pythonify(self.make_test_function()(batch))
        return logs if return_dict else _flatten_in_order(logs, self)

    def predict_on_batch(self, x):
        """Predictions (NumPy) for one batch."""
        data = DataHandler(x, None, None, batch_size=None, shuffle=False, model=self,
                           whole=True)
        out = self.predict_step(data.peek())
        return _map(_to_numpy, out)

    # Keras 2 spellings
    def fit_generator(self, generator, *args, **kwargs):
        warnings.warn("`Model.fit_generator` is deprecated; use `Model.fit`, which supports "
                      "generators.", DeprecationWarning, stacklevel=2)
        return self.fit(generator, *args, **kwargs)

    def evaluate_generator(self, generator, *args, **kwargs):
        warnings.warn("`Model.evaluate_generator` is deprecated; use `Model.evaluate`.",
                      DeprecationWarning, stacklevel=2)
        return self.evaluate(generator, *args, **kwargs)

    def predict_generator(self, generator, *args, **kwargs):
        warnings.warn("`Model.predict_generator` is deprecated; use `Model.predict`.",
                      DeprecationWarning, stacklevel=2)
        return self.predict(generator, *args, **kwargs)

    # -- summary and saving ---------------------------------------------------------------
    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False,
                show_trainable=False, layer_range=None):
        """Prints Keras's table of layers, output shapes and parameter counts."""
        summary_utils.print_summary(self, line_length=line_length, positions=positions,
                                    print_fn=print_fn, expand_nested=expand_nested,
                                    show_trainable=show_trainable, layer_range=layer_range)

    def save(self, filepath, overwrite=True, zipped=None, **kwargs):
        """Saves architecture, weights and optimizer state (``.keras`` zip; ``.h5`` too)."""
        from tinytf.keras.models import saving
        saving.save_model(self, filepath, overwrite=overwrite, **kwargs)

    def save_weights(self, filepath, overwrite=True, **kwargs):
        """Saves the weights (an npz container under the given name)."""
        from tinytf.keras.models import saving
        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads weights saved by ``save_weights`` (deferred until built if needed)."""
        from tinytf.keras.models import saving
        return saving.load_weights(self, filepath, skip_mismatch=skip_mismatch)

    def get_config(self):
        config = {"name": self.name, "trainable": self.trainable}
        return config

    def to_json(self, **kwargs):
        import json
        from tinytf.keras.models import saving
        return json.dumps(saving.serialize_layer(self), default=saving._json_default, **kwargs)

    def get_compile_config(self):
        return self.__dict__.get("_compile_config")

    def __reduce__(self):
        raise TypeError("Keras models are saved with model.save(path), not pickled.")


# -- helpers -------------------------------------------------------------------------------
def _needs_batch_hooks(callbacks, kind):
    """False when every callback's per-batch hooks are the base class's no-ops."""
    from tinytf.keras import callbacks as callbacks_module
    cbs = getattr(callbacks, "callbacks", None)
    if cbs is None:
        return True
    base = callbacks_module.Callback
    names = (f"on_{kind}_batch_begin", f"on_{kind}_batch_end", "on_batch_begin",
             "on_batch_end") if kind == "train" else (f"on_{kind}_batch_begin",
                                                      f"on_{kind}_batch_end")
    for cb in cbs:
        for n in names:
            if n in getattr(cb, "__dict__", {}) or \
                    getattr(type(cb), n, None) is not getattr(base, n, None):
                return True
    return False


def _functions_run_eagerly():
    f = getattr(tf.config, "functions_run_eagerly", None)
    try:
        return bool(f()) if f is not None else False
    except Exception:  # noqa: BLE001
        return False


def _as_list(x):
    if x is None:
        return []
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _display_name(m):
    return getattr(m, "_keras_display_name", None) or m.name


def _loss_name(fn):
    if fn is None:
        return ""
    name = getattr(fn, "name", None) or getattr(fn, "__name__", "")
    if not isinstance(name, str):
        name = ""
    return type(fn).__name__.lower() + " " + name.lower()


def _get_metric(m, y_true, y_pred, loss_fn, metrics_mod, losses_mod):
    if isinstance(m, str) and m in ("accuracy", "acc"):
        lname = _loss_name(loss_fn)
        pshape = tuple(y_pred.shape)
        tshape = tuple(y_true.shape) if y_true is not None else None
        if "sparse" in lname:
            cls = metrics_mod.SparseCategoricalAccuracy
        elif "binary" in lname or "hinge" in lname:
            cls = metrics_mod.BinaryAccuracy
        elif "categorical" in lname:
            cls = metrics_mod.CategoricalAccuracy
        elif pshape and pshape[-1] == 1:
            cls = metrics_mod.BinaryAccuracy
        elif tshape is not None and (len(tshape) == len(pshape) - 1 or (
                tshape and tshape[-1] == 1 and len(tshape) == len(pshape))):
            cls = metrics_mod.SparseCategoricalAccuracy
        else:
            cls = metrics_mod.CategoricalAccuracy
        return cls(name=m)
    if isinstance(m, str) and m in ("crossentropy", "ce"):
        lname = _loss_name(loss_fn)
        if "sparse" in lname:
            return metrics_mod.SparseCategoricalCrossentropy(name=m)
        if "binary" in lname:
            return metrics_mod.BinaryCrossentropy(name=m)
        return metrics_mod.CategoricalCrossentropy(name=m)
    obj = metrics_mod.get(m)
    if isinstance(obj, type):
        obj = obj()
    if not hasattr(obj, "update_state"):
        name = m if isinstance(m, str) else getattr(obj, "__name__", "metric")
        obj = metrics_mod.MeanMetricWrapper(obj, name=name)
    return obj


def _wrap_loss(fn, losses):
    if fn is None or isinstance(fn, getattr(losses, "Loss", ())):
        return fn
    wrapper = getattr(losses, "LossFunctionWrapper", None)
    if wrapper is None:
        return fn
    return wrapper(fn, name=getattr(fn, "__name__", None))


def _apply_loss(fn, y_true, y_pred, sample_weight):
    if hasattr(fn, "reduction") or hasattr(fn, "get_config") and not isinstance(
            fn, type(lambda: 0)):
        return fn(y_true, y_pred, sample_weight=sample_weight)
    values = fn(y_true, y_pred)
    if sample_weight is not None:
        sw = tf.cast(sample_weight, values.dtype)
        while len(sw.shape) < len(values.shape):
            sw = tf.expand_dims(sw, -1)
        values = values * sw
    return tf.reduce_mean(values)


def _unpack(data):
    if isinstance(data, tuple):
        if len(data) == 1:
            return data[0], None, None
        if len(data) == 2:
            return data[0], data[1], None
        return data[0], data[1], data[2]
    return data, None, None


def _unpack_validation(validation_data):
    if isinstance(validation_data, (tuple, list)):
        if len(validation_data) == 2:
            return validation_data[0], validation_data[1], None
        if len(validation_data) == 3:
            return validation_data
        raise ValueError("When passing a `validation_data` argument, it must contain either "
                         "2 items (x_val, y_val), or 3 items (x_val, y_val, "
                         f"val_sample_weights). Received: validation_data={validation_data}")
    return validation_data, None, None


def _pythonify(logs):
    out = {}
    for k, v in logs.items():
        try:
            out[k] = float(v)
        except (TypeError, ValueError):
            out[k] = v
    return out


def _flatten_in_order(logs, model):
    names = model.metrics_names
    vals = [logs[n] for n in names if n in logs]
    extra = [v for k, v in logs.items() if k not in names]
    vals += extra
    return vals[0] if len(vals) == 1 else vals


def _to_numpy(t):
    if isinstance(t, EagerTensor):
        return t._numpy()
    return np.asarray(t)


def _concat_structure(outputs):
    first = outputs[0]
    if isinstance(first, dict):
        return {k: np.concatenate([o[k] for o in outputs]) for k in first}
    if isinstance(first, (list, tuple)):
        return type(first)(np.concatenate([o[i] for o in outputs])
                           for i in range(len(first)))
    return np.concatenate(outputs)


def _is_array_like(x):
    return all(isinstance(a, (np.ndarray, Tensor, list)) or hasattr(a, "__array__")
               for a in _flatten(x))


def _split(x, y, sw, frac):
    n = len(_flatten(x)[0])
    cut = int(math.floor(n * (1.0 - frac)))
    if cut <= 0 or cut >= n:
        raise ValueError(f"Training data contains {cut} samples, which is not sufficient to "
                         f"split it into a validation and training set as specified by "
                         f"`validation_split={frac}`. Either provide more data, or a "
                         "different value for the `validation_split` argument.")

    def head(a):
        return None if a is None else _map(lambda v: _host(v)[:cut], a)

    def tail(a):
        return None if a is None else _map(lambda v: _host(v)[cut:], a)
    return (head(x), head(y), head(sw)), (tail(x), tail(y), tail(sw))


def _host(a):
    if isinstance(a, EagerTensor):
        return a._numpy()
    if isinstance(a, np.ndarray):
        return a
    return np.asarray(a)


def _standardize_array(a, target_dtype=None):
    """Host array for training: float64 -> float32 (floatx), small uints for labels kept."""
    a = _host(a)
    if a.dtype == np.float64 or a.dtype == np.float16 and target_dtype is None:
        return a.astype(np.float32)
    if target_dtype is not None and a.dtype != target_dtype and a.dtype.kind in "fiub" \
            and np.dtype(target_dtype).kind == "f":
        return a.astype(target_dtype)
    return a


def _standardize_labels(a):
    a = _host(a)
    if a.dtype == np.float64:
        return a.astype(np.float32)
    if a.dtype.kind in "ub" or a.dtype in (np.int8, np.int16):
        return a.astype(np.int32)
    return a


class DataHandler:
    """Turns fit/evaluate/predict inputs into batches of eager tensors.

    Arrays are converted once; each epoch draws one permutation and slices batches from
    it. Datasets, generators and ``keras.utils.Sequence``/``PyDataset`` objects are
    iterated as they are.
    """

    def __init__(self, x, y=None, sample_weight=None, batch_size=32, steps_per_epoch=None,
                 shuffle=True, class_weight=None, model=None, whole=False):
        self._steps_arg = steps_per_epoch
        self.shuffle = shuffle
        self._iterable = None
        self._first = None
        if _is_dataset_like(x):
            if y is not None:
                raise ValueError("`y` argument is not supported when using dataset as input.")
            self._iterable = x
            self.steps = steps_per_epoch if steps_per_epoch is not None else _cardinality(x)
            self.kind = "iter"
            return
        if x is None:
            raise ValueError("Unrecognized data type: x=None (of type <class 'NoneType'>)")
        in_dtype = _model_input_dtype(model)
        self.x = _map(lambda a: _standardize_array(a, in_dtype), x)
        self.y = None if y is None else _map(_standardize_labels, y)
        self.sw = None if sample_weight is None else _standardize_array(sample_weight)
        if class_weight is not None and self.y is not None:
            labels = _flatten(self.y)[0]
            lab = labels.argmax(-1) if labels.ndim > 1 and labels.shape[-1] > 1 else \
                labels.reshape(len(labels), -1)[:, 0]
            cw = np.array([class_weight.get(int(c), 1.0) for c in lab], np.float32)
            self.sw = cw if self.sw is None else self.sw * cw
        sizes = {len(a) for a in _flatten(self.x)} | (
            {len(a) for a in _flatten(self.y)} if self.y is not None else set())
        if len(sizes) > 1:
            raise ValueError("Data cardinality is ambiguous. Make sure all arrays contain the "
                             f"same number of samples. Sizes: {sorted(sizes)}")
        self.n = sizes.pop()
        self.batch_size = self.n if whole or batch_size is None else int(batch_size)
        full = max(1, math.ceil(self.n / self.batch_size)) if self.n else 0
        self.steps = min(full, steps_per_epoch) if steps_per_epoch else full
        self.kind = "array"

    def _batch(self, idx):
        conv = tf.convert_to_tensor
        x, y, sw = self.x, self.y, self.sw
        if type(x) is np.ndarray and (y is None or type(y) is np.ndarray) and sw is None:
            return (conv(x[idx]),) if y is None else (conv(x[idx]), conv(y[idx]))

        def take(a):
            return conv(a[idx])
        xb = _map(take, self.x)
        if self.y is None:
            return (xb,)
        yb = _map(take, self.y)
        if self.sw is None:
            return (xb, yb)
        return (xb, yb, take(self.sw))

    def peek(self):
        if self.kind == "array":
            return self._batch(slice(0, min(self.n, self.batch_size)))
        if self._first is None:
            for b in self._iter_once():
                self._first = b
                break
        return self._first

    def _iter_once(self):
        for b in self._iterable:
            yield _as_batch(b)

    def epoch(self):
        if self.kind == "array":
            bs, n = self.batch_size, self.n
            if self.shuffle and self.shuffle != "batch":
                perm = np.random.permutation(n)
                for step in range(self.steps):
                    yield step, self._batch(perm[step * bs:(step + 1) * bs])
            else:
                for step in range(self.steps):
                    yield step, self._batch(slice(step * bs, (step + 1) * bs))
            return
        it = iter(self._iterable)
        step = 0
        while self._steps_arg is None or step < self._steps_arg:
            try:
                b = next(it)
            except StopIteration:
                break
            yield step, _as_batch(b)
            step += 1
        if self.steps is None:
            self.steps = step


def _as_batch(b):
    if isinstance(b, dict):
        return (b,)
    if isinstance(b, list):
        b = tuple(b)
    if not isinstance(b, tuple):
        b = (b,)
    return tuple(_map(_to_tensor_leaf, v) for v in b)


def _to_tensor_leaf(a):
    if isinstance(a, Tensor):
        if a.dtype.name == "float64":
            return tf.cast(a, tf.float32)
        return a
    return tf.convert_to_tensor(_standardize_labels(a) if isinstance(a, np.ndarray) and
                                a.dtype.kind in "ub" else _standardize_array(a))


def _model_input_dtype(model):
    kts = model.__dict__.get("_input_kts") if model is not None else None
    if kts and len(kts) == 1 and kts[0].dtype.startswith("float"):
        return np.dtype(kts[0].dtype)
    return None


def _is_dataset_like(x):
    if isinstance(x, (np.ndarray, Tensor, list, tuple, dict)) or x is None:
        return False
    return hasattr(x, "__iter__") or hasattr(x, "__getitem__") and hasattr(x, "__len__")


def _cardinality(ds):
    try:
        c = ds.cardinality()
        c = int(c)
        return c if c >= 0 else None
    except Exception:  # noqa: BLE001
        pass
    try:
        return len(ds)
    except Exception:  # noqa: BLE001
        return None
