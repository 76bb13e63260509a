"""``keras.metrics`` (also ``tf.metrics``): Keras 3 stateful metrics and metric functions.

A metric keeps its state in non-trainable ``tf.Variable``s: ``update_state`` adds to them
with ``assign_add`` (traceable in ``tf.function``), ``result`` computes the value,
``reset_state`` zeroes them. ``reset_states`` is TF 2.x's spelling, kept with a warning.
"""

import re
import warnings

import numpy as np

import tinytf as tf
from tinytf.framework.tensor import Tensor
from tinytf.keras import losses as _losses
from tinytf.keras.losses import squeeze_or_expand_to_same_rank, _tensor
from tinytf.ops.variables import Variable
from tinytf.keras._lookup import Lookup

_names = {}


def _auto_name(class_name):
    base = re.sub(r"(?<!^)(?=[A-Z][a-z])", "_", class_name)
    base = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", base).lower()
    n = _names.get(base, 0)
    _names[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


class Metric:
    """Base class of stateful metrics (``keras.metrics.Metric``)."""

    def __init__(self, dtype=None, name=None):
        self.name = name or _auto_name(type(self).__name__)
        self._dtype = tf.as_dtype(dtype or "float32")
        self._variables = []
        self._metrics = []

    @property
    def dtype(self):
        return self._dtype.name

    def add_variable(self, shape, initializer, dtype=None, aggregation="sum", name=None):
        """A non-trainable state Variable of ``shape`` (initializer 'zeros' or a number)."""
        dt = tf.as_dtype(dtype or self._dtype)
        shape = tuple(shape)
        if initializer in ("zeros", None) or getattr(initializer, "__class__", None) and \
                type(initializer).__name__ == "Zeros":
            value = np.zeros(shape, dt.as_numpy_dtype)
        elif isinstance(initializer, (int, float)):
            value = np.full(shape, initializer, dt.as_numpy_dtype)
        elif callable(initializer):
            value = initializer(shape, dtype=dt)
        else:
            raise ValueError(f"Could not interpret initializer identifier: {initializer}")
        v = Variable(value, trainable=False, name=name,
                     synchronization=tf.VariableSynchronization.ON_READ)
        self._variables.append(v)
        return v

    def add_weight(self, shape=(), initializer=None, dtype=None, name=None):
        return self.add_variable(shape=shape, initializer=initializer, dtype=dtype, name=name)

    @property
    def variables(self):
        out = list(self._variables)
        for m in self._metrics:
            out.extend(m.variables)
        return out

    def reset_state(self):
        """Zeroes every state variable."""
        for v in self.variables:
            v.assign(np.zeros(v.shape.as_list(), v.dtype.as_numpy_dtype))

    def reset_states(self):
        warnings.warn("`Metric.reset_states()` is deprecated, use `Metric.reset_state()` "
                      "instead.", DeprecationWarning, stacklevel=2)
        self.reset_state()

    def update_state(self, *args, **kwargs):
        raise NotImplementedError

    def result(self):
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"

    __str__ = __repr__


def _samplewise(values, sample_weight, reduce_fn, dtype):
    """Keras's ``reduce_to_samplewise_values``: per-sample values and weights."""
    values = tf.cast(_tensor(values), dtype)
    if sample_weight is not None:
        sample_weight = _tensor(sample_weight, dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        wnd, vnd = sample_weight.shape.rank, values.shape.rank
        if vnd > wnd:
            values = reduce_fn(values, axis=list(range(wnd, vnd)))
        sample_weight = tf.broadcast_to(sample_weight, tf.shape(values))
        values = values * sample_weight
        if wnd > 1:
            sample_weight = reduce_fn(sample_weight, axis=list(range(1, wnd)))
    if values.shape.rank > 1:
        values = reduce_fn(values, axis=list(range(1, values.shape.rank)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the given values."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = _samplewise(values, sample_weight, tf.reduce_sum, self._dtype)
        self.total.assign_add(tf.reduce_sum(values))

    def result(self):
        return tf.identity(self.total)


class Mean(Metric):
    """The (weighted) mean of the given values."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.total = self.add_variable((), "zeros", name="total")
        self.count = self.add_variable((), "zeros", name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = _samplewise(values, sample_weight, tf.reduce_mean,
                                            self._dtype)
        self.total.assign_add(tf.reduce_sum(values))
        if sample_weight is not None:
            n = tf.reduce_sum(sample_weight)
        elif values.shape.rank >= 1:
            n = values.shape[0]
            n = tf.cast(tf.shape(values)[0], self._dtype) if n is None else \
                np.asarray(n, self._dtype.as_numpy_dtype)
        else:
            n = np.asarray(1, self._dtype.as_numpy_dtype)
        self.count.assign_add(n if not isinstance(n, Tensor) else tf.cast(n, self._dtype))

    def result(self):
        return tf.math.divide_no_nan(tf.identity(self.total), tf.identity(self.count))


class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name, dtype=dtype)
        self._fn = fn
        self._fn_kwargs = kwargs
        if getattr(fn, "__module__", "") == _losses.__name__:
            self._direction = "down"        # EarlyStopping's mode='auto' reads this

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        return super().update_state(values, sample_weight=sample_weight)

    def get_config(self):
        config = super().get_config()
        config["fn"] = getattr(self._fn, "__name__", str(self._fn))
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config.get("fn"), str):
            config["fn"] = get(config["fn"])
        return cls(**config)


# -- accuracy functions -----------------------------------------------------------------

def _floatx():
    return tf.float32


def accuracy(y_true, y_pred):
    """1.0 where ``y_true == y_pred``, else 0.0."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return tf.cast(tf.equal(y_true, y_pred), _floatx())


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where ``y_true`` equals ``y_pred > threshold``."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    y_pred = tf.cast(y_pred > tf.cast(threshold, y_pred.dtype), y_true.dtype)
    return tf.cast(tf.equal(y_true, y_pred), _floatx())


def categorical_accuracy(y_true, y_pred):
    """1.0 where ``argmax(y_true) == argmax(y_pred)`` along the last axis."""
    y_true = tf.argmax(_tensor(y_true), axis=-1)
    y_pred = _tensor(y_pred)
    y_pred = tf.argmax(y_pred, axis=-1)
    return tf.cast(tf.equal(y_true, y_pred), _floatx())


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the integer label equals ``argmax(y_pred)``."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    reshape = False
    if y_true.shape.rank == y_pred.shape.rank and y_true.shape[-1] == 1:
        org_shape = tf.shape(y_true)
        y_true = tf.squeeze(y_true, -1)
        reshape = True
    y_pred = tf.cast(tf.argmax(y_pred, axis=-1), y_true.dtype)
    matches = tf.cast(tf.equal(y_true, y_pred), _floatx())
    if reshape:
        matches = tf.reshape(matches, org_shape)
    if matches.shape.rank > 1 and matches.shape[-1] == 1:
        matches = tf.squeeze(matches, -1)
    return matches


def _in_top_k(targets, predictions, k):
    """TF's ``in_top_k``: ties at the boundary count as in (fewer than k strictly greater)."""
    n = predictions.shape[-1]
    onehot = tf.one_hot(tf.cast(targets, tf.int32), n, dtype=predictions.dtype)
    target_score = tf.reduce_sum(onehot * predictions, axis=-1, keepdims=True)
    greater = tf.reduce_sum(tf.cast(predictions > target_score, tf.int32), axis=-1)
    return greater < k


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot target's class is among the ``k`` top predictions."""
    y_pred = _tensor(y_pred)
    y_true = tf.argmax(_tensor(y_true, y_pred.dtype), axis=-1)
    org_shape = tf.shape(y_true)
    reshape = False
    if y_pred.shape.rank > 2:
        y_pred = tf.reshape(y_pred, [-1, y_pred.shape[-1]])
    if y_true.shape.rank > 1:
        reshape = True
        y_true = tf.reshape(y_true, [-1])
    matches = tf.cast(_in_top_k(y_true, y_pred, k), _floatx())
    return tf.reshape(matches, org_shape) if reshape else matches


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5, from_sorted_ids=False):
    """1.0 where the integer target is among the ``k`` top predictions."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype if from_sorted_ids else tf.int32)
    org_shape = tf.shape(y_true)
    reshape = False
    if y_pred.shape.rank > 2:
        y_pred = tf.reshape(y_pred, [-1, y_pred.shape[-1]])
    if y_true.shape.rank > 1:
        reshape = True
        y_true = tf.reshape(y_true, [-1])
    if from_sorted_ids:
        matches = tf.reduce_any(tf.equal(tf.expand_dims(y_true, 1), y_pred[:, :k]), axis=1)
    else:
        matches = _in_top_k(y_true, y_pred, k)
    matches = tf.cast(matches, _floatx())
    return tf.reshape(matches, org_shape) if reshape else matches


class _FixedMetric(MeanMetricWrapper):
    """A metric whose function is fixed by its class: its config is only name and dtype."""

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype}


# -- accuracy classes --------------------------------------------------------------------

class Accuracy(_FixedMetric):
    """How often predictions equal labels."""

    _direction = "up"

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(fn=accuracy, name=name, dtype=dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often ``y_pred > threshold`` matches binary labels."""

    _direction = "up"

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(fn=binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "threshold": self.threshold}


class CategoricalAccuracy(_FixedMetric):
    """How often ``argmax(y_pred)`` matches one-hot labels."""

    _direction = "up"

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(fn=categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(_FixedMetric):
    """How often ``argmax(y_pred)`` matches integer labels."""

    _direction = "up"

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(fn=sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(MeanMetricWrapper):
    """How often one-hot targets are in the top ``k`` predictions."""

    _direction = "up"

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(fn=top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "k": self.k}


class SparseTopKCategoricalAccuracy(MeanMetricWrapper):
    """How often integer targets are in the top ``k`` predictions."""

    _direction = "up"

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None,
                 from_sorted_ids=False):
        super().__init__(fn=sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k,
                         from_sorted_ids=from_sorted_ids)
        self.k = k
        self.from_sorted_ids = from_sorted_ids

    def get_config(self):
        config = {"name": self.name, "dtype": self.dtype, "k": self.k}
        if self.from_sorted_ids:
            config["from_sorted_ids"] = True
        return config


# -- regression and probabilistic metrics (means of the loss functions) -------------------

def _wrapper(cls_name, fn, default_name, doc):
    def __init__(self, name=default_name, dtype=None):
        MeanMetricWrapper.__init__(self, fn, name=name, dtype=dtype)

    return type(cls_name, (_FixedMetric,),
                {"__init__": __init__, "__doc__": doc, "__module__": __name__})


MeanSquaredError = _wrapper("MeanSquaredError", _losses.mean_squared_error,
                            "mean_squared_error", "Mean of squared errors.")
MeanAbsoluteError = _wrapper("MeanAbsoluteError", _losses.mean_absolute_error,
                             "mean_absolute_error", "Mean of absolute errors.")
MeanAbsolutePercentageError = _wrapper(
    "MeanAbsolutePercentageError", _losses.mean_absolute_percentage_error,
    "mean_absolute_percentage_error", "Mean absolute percentage error.")
MeanSquaredLogarithmicError = _wrapper(
    "MeanSquaredLogarithmicError", _losses.mean_squared_logarithmic_error,
    "mean_squared_logarithmic_error", "Mean squared logarithmic error.")
Hinge = _wrapper("Hinge", _losses.hinge, "hinge", "Mean hinge loss.")
SquaredHinge = _wrapper("SquaredHinge", _losses.squared_hinge, "squared_hinge",
                        "Mean squared hinge loss.")
CategoricalHinge = _wrapper("CategoricalHinge", _losses.categorical_hinge,
                            "categorical_hinge", "Mean categorical hinge loss.")
KLDivergence = _wrapper("KLDivergence", _losses.kl_divergence, "kl_divergence",
                        "Mean Kullback-Leibler divergence.")
Poisson = _wrapper("Poisson", _losses.poisson, "poisson", "Mean Poisson loss.")
LogCoshError = _wrapper("LogCoshError", _losses.log_cosh, "logcosh", "Mean log-cosh error.")


class CosineSimilarity(_FixedMetric):
    """Mean cosine similarity between labels and predictions (positive, unlike the loss)."""

    _direction = "up"

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(cosine_similarity, name=name, dtype=dtype, axis=axis)


def cosine_similarity(y_true, y_pred, axis=-1):
    return -_losses.cosine_similarity(y_true, y_pred, axis=axis)


class RootMeanSquaredError(Mean):
    """Square root of the mean squared error."""

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = _tensor(y_pred, self._dtype)
        y_true = _tensor(y_true, self._dtype)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return super().update_state(tf.square(y_pred - y_true), sample_weight=sample_weight)

    def result(self):
        return tf.sqrt(super().result())


class BinaryCrossentropy(MeanMetricWrapper):
    """Mean binary cross entropy."""

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(_losses.binary_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing}


class CategoricalCrossentropy(MeanMetricWrapper):
    """Mean categorical cross entropy."""

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(_losses.categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing, "axis": self.axis}


class SparseCategoricalCrossentropy(MeanMetricWrapper):
    """Mean sparse categorical cross entropy."""

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None, from_logits=False,
                 axis=-1):
        super().__init__(_losses.sparse_categorical_crossentropy, name=name, dtype=dtype,
                         from_logits=from_logits, axis=axis)
        self.from_logits = from_logits
        self.axis = axis

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "from_logits": self.from_logits,
                "axis": self.axis}


# -- confusion-matrix metrics ---------------------------------------------------------------

_NEG_INF = -1e10      # Keras's stand-in for -inf in its confusion metrics


class _ConfusionMetric(Metric):
    """Counts of true/false positives/negatives at a list of thresholds."""

    _counts = ()

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.init_thresholds = thresholds
        self.top_k = top_k
        self.class_id = class_id
        default = thresholds is None
        if default:     # with top_k, every kept prediction counts as positive (Keras)
            thresholds = 0.5 if top_k is None else _NEG_INF
        self._single = not isinstance(thresholds, (list, tuple))
        self.thresholds = [float(thresholds)] if self._single else \
            [float(t) for t in thresholds]
        for t in self.thresholds:
            if not default and not 0 <= t <= 1:
                raise ValueError("Threshold values must be in [0, 1]. "
                                 f"Received: {thresholds}")
        n = len(self.thresholds)
        for c in self._counts:
            setattr(self, c, self.add_variable((n,), "zeros", name=c))
        self._thresholds_np = np.asarray(self.thresholds, np.float32)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_pred = _tensor(y_pred, self._dtype)
        y_true = tf.cast(_tensor(y_true), tf.bool)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        if self.top_k is not None:
            # only each row's top_k predictions stay; the rest fall below every threshold
            idx = tf.math.top_k(y_pred, self.top_k).indices
            keep = tf.reduce_sum(tf.one_hot(idx, y_pred.shape[-1], dtype=y_pred.dtype), axis=-2)
            y_pred = y_pred * keep + _NEG_INF * (1.0 - keep)
        if self.class_id is not None:
            y_true = y_true[..., self.class_id]
            y_pred = y_pred[..., self.class_id]
        pred = tf.reshape(y_pred, [1, -1])
        label = tf.cast(tf.reshape(y_true, [1, -1]), self._dtype)
        thresholds = tf.reshape(tf.constant(self._thresholds_np, dtype=self._dtype), [-1, 1])
        pred_pos = tf.cast(pred > thresholds, self._dtype)          # (T, N)
        if sample_weight is not None:
            _, w = squeeze_or_expand_to_same_rank(y_pred, _tensor(sample_weight, self._dtype))
            w = tf.broadcast_to(w, tf.shape(y_pred))
            w = tf.reshape(w, [1, -1])
        else:
            w = None

        def count(x):
            return tf.reduce_sum(x if w is None else x * w, axis=1)

        if "true_positives" in self._counts:
            self.true_positives.assign_add(count(pred_pos * label))
        if "false_positives" in self._counts:
            self.false_positives.assign_add(count(pred_pos * (1.0 - label)))
        if "false_negatives" in self._counts:
            self.false_negatives.assign_add(count((1.0 - pred_pos) * label))
        if "true_negatives" in self._counts:
            self.true_negatives.assign_add(count((1.0 - pred_pos) * (1.0 - label)))

    def _out(self, r):
        return r[0] if self._single else r

    def get_config(self):
        config = {"thresholds": self.init_thresholds, "top_k": self.top_k,
                  "class_id": self.class_id}
        config.update(super().get_config())
        return config


class Precision(_ConfusionMetric):
    """``true_positives / (true_positives + false_positives)`` at each threshold."""

    _direction = "up"

    _counts = ("true_positives", "false_positives")

    def result(self):
        tp = tf.identity(self.true_positives)
        return self._out(tf.math.divide_no_nan(tp, tp + tf.identity(self.false_positives)))


class Recall(_ConfusionMetric):
    """``true_positives / (true_positives + false_negatives)`` at each threshold."""

    _direction = "up"

    _counts = ("true_positives", "false_negatives")

    def result(self):
        tp = tf.identity(self.true_positives)
        return self._out(tf.math.divide_no_nan(tp, tp + tf.identity(self.false_negatives)))


class _Counts(_ConfusionMetric):
    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)

    def result(self):
        return self._out(tf.identity(getattr(self, self._counts[0])))

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.init_thresholds}


class TruePositives(_Counts):
    """Number of true positives."""
    _counts = ("true_positives",)


class FalsePositives(_Counts):
    """Number of false positives."""
    _counts = ("false_positives",)


class TrueNegatives(_Counts):
    """Number of true negatives."""
    _counts = ("true_negatives",)


class FalseNegatives(_Counts):
    """Number of false negatives."""
    _counts = ("false_negatives",)


class AUC(_ConfusionMetric):
    """Area under the ROC (or PR) curve, by a Riemann sum over ``num_thresholds``."""

    _direction = "up"

    _counts = ("true_positives", "false_positives", "true_negatives", "false_negatives")

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False,
                 num_labels=None, label_weights=None, from_logits=False):
        if multi_label or label_weights is not None:
            raise NotImplementedError("tinytf's AUC does not support multi_label")
        if num_thresholds <= 1 and thresholds is None:
            raise ValueError("Argument `num_thresholds` must be an integer > 1. "
                             f"Received: num_thresholds={num_thresholds}")
        if thresholds is None:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        else:
            inner = sorted(float(t) for t in thresholds)
            num_thresholds = len(inner) + 2
        eps = 1e-7
        self.num_thresholds = num_thresholds
        self.curve = curve.upper()
        self.summation_method = summation_method.lower()
        self.multi_label = multi_label
        self.from_logits = from_logits
        self._thresholds_given = thresholds
        Metric.__init__(self, name=name, dtype=dtype)
        self.init_thresholds, self.top_k, self.class_id = thresholds, None, None
        self.thresholds = [0.0 - eps] + inner + [1.0 + eps]
        self._single = False
        for c in self._counts:
            setattr(self, c, self.add_variable((num_thresholds,), "zeros", name=c))
        self._thresholds_np = np.asarray(self.thresholds, np.float32)

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self.from_logits:
            y_pred = tf.sigmoid(_tensor(y_pred, self._dtype))
        super().update_state(y_true, y_pred, sample_weight)

    def result(self):
        tp, fp = tf.identity(self.true_positives), tf.identity(self.false_positives)
        tn, fn = tf.identity(self.true_negatives), tf.identity(self.false_negatives)
        if self.curve == "PR" and self.summation_method == "interpolation":
            return self._interpolated_pr_auc(tp, fp, fn)
        recall = tf.math.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = tf.math.divide_no_nan(fp, fp + tn), recall
        else:
            x, y = recall, tf.math.divide_no_nan(tp, tp + fp)
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = tf.minimum(y[:-1], y[1:])
        else:
            heights = tf.maximum(y[:-1], y[1:])
        return tf.reduce_sum((x[:-1] - x[1:]) * heights)

    @staticmethod
    def _interpolated_pr_auc(tp, fp, fn):
        """PR area with precision interpolated between thresholds (Davis & Goadrich): TP
        and predicted positives P vary linearly within each bucket, so each bucket adds
        slope * (dTP + intercept * log(P_hi / P_lo)) / positives, as Keras computes it."""
        d_tp = tp[:-1] - tp[1:]
        pos = tp + fp
        d_pos = pos[:-1] - pos[1:]
        slope = tf.math.divide_no_nan(d_tp, tf.maximum(d_pos, 0.))
        intercept = tp[1:] - slope * pos[1:]
        ratio = tf.where(tf.logical_and(pos[:-1] > 0, pos[1:] > 0),
                         tf.math.divide_no_nan(pos[:-1], tf.maximum(pos[1:], 0.)),
                         tf.ones_like(pos[1:]))
        inc = tf.math.divide_no_nan(slope * (d_tp + intercept * tf.math.log(ratio)),
                                    tf.maximum(tp[1:] + fn[1:], 0.))
        return tf.reduce_sum(inc)

    def get_config(self):
        return {"num_thresholds": self.num_thresholds, "curve": self.curve,
                "summation_method": self.summation_method, "name": self.name,
                "dtype": self.dtype, "multi_label": self.multi_label,
                "label_weights": None, "from_logits": self.from_logits,
                "thresholds": self._thresholds_given}


# -- function aliases and lookup --------------------------------------------------------

mean_squared_error = mse = MSE = _losses.mean_squared_error
mean_absolute_error = mae = MAE = _losses.mean_absolute_error
mean_absolute_percentage_error = mape = MAPE = _losses.mean_absolute_percentage_error
mean_squared_logarithmic_error = msle = MSLE = _losses.mean_squared_logarithmic_error
binary_crossentropy = _losses.binary_crossentropy
categorical_crossentropy = _losses.categorical_crossentropy
sparse_categorical_crossentropy = _losses.sparse_categorical_crossentropy
binary_focal_crossentropy = _losses.binary_focal_crossentropy
hinge = _losses.hinge
squared_hinge = _losses.squared_hinge
categorical_hinge = _losses.categorical_hinge
kl_divergence = kld = KLD = _losses.kl_divergence
poisson = _losses.poisson
huber = _losses.huber
log_cosh = logcosh = _losses.log_cosh

_ALL = {k: v for k, v in dict(globals()).items()
        if not k.startswith("_") and (
            (isinstance(v, type) and issubclass(v, Metric)) or
            (callable(v) and getattr(v, "__module__", "").startswith("tinytf.keras")
             and not isinstance(v, type)))}
for _k in ("get", "serialize", "deserialize", "squeeze_or_expand_to_same_rank"):
    _ALL.pop(_k, None)


_LOOKUP = Lookup("metric", "keras.metrics", _ALL)
serialize = _LOOKUP.serialize
deserialize = _LOOKUP.deserialize
get = _LOOKUP.get

