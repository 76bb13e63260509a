"""The Keras 3 optimizer base class.

An optimizer owns an int64 ``iterations`` Variable, a ``learning_rate`` (a float32
Variable, a schedule of the step, or a callable) and slot variables that ``build``
creates lazily, one per trainable variable, with ``add_variable_from_reference``.
``apply_gradients`` filters ``None`` gradients, clips, applies decoupled weight decay,
calls the subclass's per-variable ``update_step(gradient, variable, learning_rate)``
(written in public tinytf ops and ``assign*``, so it traces into ``tf.function``) and
increments ``iterations``.
"""

import re
import warnings

import numpy as np

import tinytf as tf
from tinytf.framework.tensor import Tensor
from tinytf.keras.optimizers.schedules import LearningRateSchedule
from tinytf.keras.optimizers import schedules as _schedules
from tinytf.ops.variables import Variable

_name_counts = {}


def _auto_name(class_name):
    base = re.sub(r"(?<!^)(?=[A-Z][a-z])", "_", class_name).lower()
    base = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", base).lower()
    n = _name_counts.get(base, 0)
    _name_counts[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def pop_legacy_lr(learning_rate, kwargs, default):
    """Accepts TF2.0's ``lr=`` with a warning; returns the learning rate to use."""
    if "lr" in kwargs:
        lr = kwargs.pop("lr")
        warnings.warn("The `lr` argument is deprecated, use `learning_rate` instead.",
                      DeprecationWarning, stacklevel=3)
        if learning_rate is default:
            return lr
    return learning_rate


class Optimizer:
    """Base class for Keras optimizers (``keras.optimizers.Optimizer``)."""

    def __init__(self, learning_rate, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        if "lr" in kwargs:
            learning_rate = pop_legacy_lr(None, kwargs, None) or learning_rate
        if kwargs.pop("decay", None) is not None:
            warnings.warn("Argument `decay` is no longer supported and will be ignored.")
        if kwargs:
            raise ValueError(f"Argument(s) not recognized: {kwargs}")
        if gradient_accumulation_steps:
            raise NotImplementedError("tinytf does not support `gradient_accumulation_steps`")
        if use_ema and not 0 <= ema_momentum <= 1:
            raise ValueError("`ema_momentum` must be in the range [0, 1]. "
                             f"Received: ema_momentum={ema_momentum}")
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(
                "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                f"global_clipnorm={global_clipnorm}")
        self.name = name if name is not None else _auto_name(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = use_ema
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._variables = []
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        self._iterations = self._make_variable(np.int64(0), "iteration")
        self._learning_rate = self._init_learning_rate(learning_rate)

    # -- variables ----------------------------------------------------------------------
    def _make_variable(self, value, name):
        # a Keras variable: name 'iteration', path 'adam/iteration', Keras's repr
        from tinytf.keras.layers.layer import KerasVariable
        v = KerasVariable(value, name, trainable=False, path=f"{self.name}/{name}")
        self._variables.append(v)
        return v

    def _init_learning_rate(self, lr):
        if isinstance(lr, LearningRateSchedule) or (callable(lr) and
                                                     not isinstance(lr, Variable)):
            return lr
        if isinstance(lr, Variable):
            self._variables.append(lr)
            return lr
        if isinstance(lr, Tensor):
            lr = float(lr.numpy())
        if isinstance(lr, (int, np.integer)) and not isinstance(lr, bool):
            warnings.warn(f"`learning_rate` should be a float; got the int {lr}, used as "
                          f"{float(lr)}.", DeprecationWarning, stacklevel=4)
            lr = float(lr)
        if not isinstance(lr, (float, np.floating)):
            raise ValueError(
                "Argument `learning_rate` should be float, or an instance of "
                "LearningRateSchedule, or a callable (that takes in the current iteration "
                "value and returns the corresponding learning rate value). "
                f"Received instead: learning_rate={lr}")
        return self._make_variable(np.float32(lr), "learning_rate")

    @property
    def iterations(self):
        return self._iterations

    @property
    def variables(self):
        return self._variables[:]

    def build(self, variables):
        """Records the trainable variables; subclasses then add their slot variables."""
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(
                variables, "average")
        for i, v in enumerate(variables):
            self._trainable_variables_indices[id(v)] = i
        self._trainable_variables = list(variables)
        self.built = True

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[id(variable)]

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none",
                     layout=None, name=None):
        """Creates a non-trainable optimizer variable of ``shape`` filled by ``initializer``."""
        dt = tf.as_dtype(dtype or "float32")
        shape = tuple(tf.TensorShape(shape).as_list())
        if isinstance(initializer, (int, float)):
            value = np.full(shape, initializer, dt.as_numpy_dtype)
        elif initializer in ("zeros", "zeros_initializer", None):
            value = np.zeros(shape, dt.as_numpy_dtype)
        elif initializer == "ones":
            value = np.ones(shape, dt.as_numpy_dtype)
        elif callable(initializer):
            value = initializer(shape, dtype=dt)
        else:
            raise ValueError(f"Could not interpret initializer identifier: {initializer}")
        return self._make_variable(value, name or "variable")

    def add_variable_from_reference(self, reference_variable, name=None,
                                    initializer="zeros"):
        """A slot variable shaped like ``reference_variable``, named ``{ref}_{name}``."""
        name = name or "var"
        path = getattr(reference_variable, "path", None)
        if path is not None:
            name = f"{path.replace('/', '_')}_{name}"
        else:
            ref = str(reference_variable.name).replace("/", "_").replace(":", "_")
            name = f"{ref}_{name}"
        return self.add_variable(reference_variable.shape, initializer=initializer,
                                 dtype=reference_variable.dtype, name=name)

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One slot per variable for each name; a list, or a tuple of lists for several."""
        names = [name] if isinstance(name, str) else list(name)
        inits = initializer if isinstance(initializer, (list, tuple)) else \
            [initializer] * len(names)
        out = tuple([] for _ in names)
        for v in trainable_variables:
            for i, (n, init) in enumerate(zip(names, inits)):
                out[i].append(self.add_variable_from_reference(v, name=n, initializer=init))
        return out[0] if isinstance(name, str) else out

    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    # -- learning rate ------------------------------------------------------------------
    @property
    def learning_rate(self):
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            return lr(self._iterations)
        if isinstance(lr, Variable):
            return lr
        if callable(lr):
            return lr()
        return lr

    @learning_rate.setter
    def learning_rate(self, learning_rate):
        if isinstance(learning_rate, LearningRateSchedule) or (
                callable(learning_rate) and not isinstance(learning_rate, Variable)):
            if isinstance(self._learning_rate, Variable):
                self._variables = [v for v in self._variables
                                   if v is not self._learning_rate]
            self._learning_rate = learning_rate
            return
        if isinstance(self._learning_rate, LearningRateSchedule):
            raise TypeError(
                "This optimizer was created with a `LearningRateSchedule` object as its "
                "`learning_rate` constructor argument, hence its learning rate is not "
                "settable. If you need the learning rate to be settable, you should "
                "instantiate the optimizer with a float `learning_rate` argument.")
        if not isinstance(self._learning_rate, Variable):
            self._learning_rate = self._make_variable(np.float32(0.0), "learning_rate")
        if isinstance(learning_rate, Variable):
            learning_rate = learning_rate.read_value()
        self._learning_rate.assign(tf.cast(learning_rate, self._learning_rate.dtype)
                                   if isinstance(learning_rate, Tensor)
                                   else np.float32(learning_rate))

    # TF 2.0-era spelling
    @property
    def lr(self):
        warnings.warn("`optimizer.lr` is deprecated, use `optimizer.learning_rate` instead.",
                      DeprecationWarning, stacklevel=2)
        return self.learning_rate

    @lr.setter
    def lr(self, value):
        warnings.warn("`optimizer.lr` is deprecated, use `optimizer.learning_rate` instead.",
                      DeprecationWarning, stacklevel=2)
        self.learning_rate = value

    # -- applying gradients -------------------------------------------------------------
    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError

    def apply_gradients(self, grads_and_vars, name=None, **kwargs):
        """Applies ``(gradient, variable)`` pairs; returns the ``iterations`` Variable."""
        pairs = list(grads_and_vars)
        if not pairs:
            return self._iterations
        grads, variables = zip(*pairs)
        self.apply(list(grads), list(variables))
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Applies ``grads`` to ``trainable_variables`` (or to the variables built with)."""
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "When passing `grads` without `variables`, the optimizer must already "
                    "be built on a list of variables. Call `optimizer.build("
                    "trainable_variables)` first. ")
            if len(grads) != len(self._trainable_variables_indices):
                raise ValueError(
                    "When passing `grads` as a list of gradient tensors, the gradients must "
                    "match `optimizer.variables` one-to-on. Received a list of "
                    f"{len(grads)} gradients, but the optimizer is tracking "
                    f"{len(self._trainable_variables)} trainable variables.")
            trainable_variables = self._trainable_variables
        else:
            trainable_variables = list(trainable_variables)
            if not self.built:
                self.build(trainable_variables)
                self.built = True
            known = self._trainable_variables_indices
            for v in trainable_variables:
                if id(v) not in known:
                    raise ValueError(
                        f"Unknown variable: {v}. This optimizer can only be called for the "
                        "variables it was originally built with. When working with a new "
                        "set of variables, you should recreate a new optimizer instance.")
        grads, trainable_variables = self._filter_empty_gradients(grads, trainable_variables)
        grads = [g if isinstance(g, Tensor) else tf.convert_to_tensor(g) for g in grads]
        if self.loss_scale_factor is not None:
            grads = [g / self.loss_scale_factor for g in grads]
        grads = self._clip_gradients(grads)
        self._apply_weight_decay(trainable_variables)
        lr = self.learning_rate
        for g, v in zip(grads, trainable_variables):
            self.update_step(g, v, lr)
        for v in trainable_variables:
            c = getattr(v, "constraint", None)
            if c is not None:
                v.assign(c(v))
        if self.use_ema:
            self._update_model_variables_moving_average(self._trainable_variables)
        self._iterations.assign_add(np.int64(1))

    def _filter_empty_gradients(self, grads, variables):
        kept_g, kept_v, missing = [], [], []
        for g, v in zip(grads, variables):
            if g is None:
                missing.append(getattr(v, "path", None) or v.name)
            else:
                kept_g.append(g)
                kept_v.append(v)
        if not kept_g:
            raise ValueError("No gradients provided for any variable.")
        if missing:
            warnings.warn(
                f"Gradients do not exist for variables {missing} when minimizing the loss. "
                "If using `model.compile()`, did you forget to provide a `loss` argument?",
                stacklevel=3)
        return kept_g, kept_v

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return [_clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            c = self.clipvalue
            return [tf.clip_by_value(g, -c, c) for g in grads]
        return grads

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables (or names matching any of ``var_names``) from weight decay."""
        if self.built:
            raise ValueError("`exclude_from_weight_decay()` can only be configured before "
                             "the optimizer is built.")
        self._exclude_ids = {id(v) for v in var_list or ()}
        self._exclude_pattern = re.compile("|".join(set(var_names))) if var_names else None

    def _use_weight_decay(self, variable):
        if id(variable) in getattr(self, "_exclude_ids", ()):
            return False
        pat = getattr(self, "_exclude_pattern", None)
        return pat is None or pat.search(variable.name) is None

    def _apply_weight_decay(self, variables):
        if self.weight_decay is None:
            return
        for v in variables:
            if self._use_weight_decay(v):
                lr = tf.cast(self.learning_rate, v.dtype)
                wd = tf.cast(self.weight_decay, v.dtype)
                v.assign_sub(v * wd * lr)

    def _update_model_variables_moving_average(self, trainable_variables):
        not_first = tf.cast(tf.not_equal(self._iterations, 0), tf.float32)
        for var, avg in zip(trainable_variables, self._model_variables_moving_average):
            momentum = tf.cast(not_first, var.dtype) * self.ema_momentum
            avg.assign(momentum * avg + (1 - momentum) * var)
        if self.ema_overwrite_frequency and \
                int(self._iterations.numpy() + 1) % self.ema_overwrite_frequency == 0:
            self._overwrite_model_variables_with_average_value(trainable_variables)

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        for var, avg in zip(trainable_variables, self._model_variables_moving_average):
            var.assign(avg)

    def finalize_variable_values(self, var_list):
        """With ``use_ema``, copies the moving averages into the model's variables."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(var_list)

    def minimize(self, loss, var_list, tape=None):
        """Computes gradients of ``loss`` (a callable, or a tensor with ``tape``); applies them."""
        grads_and_vars = self.compute_gradients(loss, var_list, tape)
        self.apply_gradients(grads_and_vars)

    def compute_gradients(self, loss, var_list, tape=None):
        """``(gradient, variable)`` pairs for ``loss`` (TF 2.x Keras optimizers' helper)."""
        if not callable(loss) and tape is None:
            raise ValueError(f"`tape` is required when a `Tensor` loss is passed. Received: "
                             f"loss={loss}, tape={tape}.")
        if tape is None:
            tape = tf.GradientTape()
        if callable(loss):
            with tape:
                if not callable(var_list):
                    tape.watch(var_list)
                loss = loss()
                if callable(var_list):
                    var_list = var_list()
        var_list = list(var_list)
        grads = tape.gradient(loss, var_list)
        return list(zip(grads, var_list))

    # -- state and config ---------------------------------------------------------------
    def get_weights(self):
        return [v.numpy() for v in self._variables]

    def set_weights(self, weights):
        if not self.built:
            raise ValueError(
                "You are calling `set_weights()` on an optimizer that has not yet been "
                "built. Please call `optimizer.build(trainable_variables)` to create the "
                "optimizer weights before calling `set_weights()`.")
        for v, w in zip(self._variables, weights):
            if tuple(v.shape.as_list()) != tuple(np.shape(w)):
                raise ValueError(f"Optimizer variable {id(v)} has shape {v.shape} not "
                                 f"compatible with provided weight shape {np.shape(w)}.")
            v.assign(np.asarray(w, v.dtype.as_numpy_dtype))

    def save_own_variables(self, store):
        for i, v in enumerate(self._variables):
            store[str(i)] = v.numpy()

    def load_own_variables(self, store):
        if len(store.keys()) != len(self._variables):
            msg = (f"Skipping variable loading for optimizer '{self.name}', because it has "
                   f"{len(self._variables)} variables whereas the saved optimizer has "
                   f"{len(store.keys())} variables. ")
            if len(self._variables) == 0:
                msg += "This is likely because the optimizer has not been called/built yet."
            warnings.warn(msg, stacklevel=2)
            return
        for i, v in enumerate(self._variables):
            v.assign(np.asarray(store[str(i)], v.dtype.as_numpy_dtype))

    def get_config(self):
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            lr = _schedules.serialize(lr)
        elif isinstance(lr, Variable):
            lr = float(lr.numpy())
        elif isinstance(lr, Tensor):
            lr = float(lr)
        return {"name": self.name, "learning_rate": lr, "weight_decay": self.weight_decay,
                "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                "clipvalue": self.clipvalue, "use_ema": self.use_ema,
                "ema_momentum": self.ema_momentum,
                "ema_overwrite_frequency": self.ema_overwrite_frequency,
                "loss_scale_factor": self.loss_scale_factor,
                "gradient_accumulation_steps": self.gradient_accumulation_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _schedules.deserialize(config["learning_rate"],
                                                             custom_objects)
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__module__}.{type(self).__name__} object at {hex(id(self))}>"


def _clip_by_norm(g, clip_norm):
    """TF's ``clip_by_norm`` formula (safe for all-zero tensors)."""
    l2sum = tf.reduce_sum(g * g, keepdims=True)
    pred = l2sum > 0
    l2norm = tf.where(pred, tf.sqrt(tf.where(pred, l2sum, tf.ones_like(l2sum))), l2sum)
    return g * clip_norm / tf.maximum(l2norm, clip_norm)


def global_norm(value_list):
    """The L2 norm of all tensors in ``value_list`` together."""
    sq = [tf.reduce_sum(tf.square(v)) for v in value_list if v is not None]
    return tf.sqrt(tf.add_n(sq))


def clip_by_global_norm(value_list, clip_norm):
    """Scales all gradients by ``clip_norm / max(global_norm, clip_norm)`` (Keras's rule)."""
    use_norm = global_norm(value_list)
    scale = clip_norm * tf.minimum(1.0 / use_norm, 1.0 / clip_norm)
    scale = scale + (use_norm - use_norm)
    return [v * tf.cast(scale, v.dtype) if v is not None else v for v in value_list]
