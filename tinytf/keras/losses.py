"""``keras.losses`` (also ``tf.losses``): Keras 3 losses as classes and functions.

A loss class wraps a per-sample function (``fn(y_true, y_pred) -> values`` with the last
axis reduced) and reduces it with ``reduction`` and ``sample_weight`` exactly as Keras 3
does: ``'sum_over_batch_size'`` (default) divides the weighted sum by the number of
loss values, ``'sum'`` sums, ``'mean_with_sample_weight'`` divides by the sum of the
weights, ``'none'``/``None`` returns the values. Probabilities are clipped to
``[epsilon, 1 - epsilon]`` (``epsilon = 1e-7``); ``from_logits`` goes through the
stable ``tf.nn.*_cross_entropy_with_logits``.
"""

import math
import re
import warnings

import numpy as np

import tinytf as tf
from tinytf.framework.tensor import Tensor
from tinytf.keras._lookup import Lookup

EPSILON = 1e-7


def _epsilon():
    try:
        from tinytf.keras import backend
        return backend.epsilon()
    except (ImportError, AttributeError):
        return EPSILON


# -- helpers ------------------------------------------------------------------------------

def _tensor(x, dtype=None):
    """``x`` as a tensor; cast to ``dtype`` (a DType) when given."""
    if hasattr(x, "_read") and not isinstance(x, Tensor):   # a Variable
        x = x.read_value()
    if isinstance(x, Tensor):
        if dtype is not None and x.dtype is not dtype:
            x = tf.cast(x, dtype)
        return x
    if dtype is not None:
        return tf.convert_to_tensor(np.asarray(x, dtype=dtype.as_numpy_dtype))
    arr = np.asarray(x)
    if arr.dtype == np.float64 and not isinstance(x, np.ndarray):
        arr = arr.astype(np.float32)      # Python floats become float32, as in TF
    return tf.convert_to_tensor(arr)


def _like(y_true, y_pred):
    """``y_pred`` as a tensor and ``y_true`` cast to its dtype."""
    y_pred = _tensor(y_pred)
    return _tensor(y_true, y_pred.dtype), y_pred


def _rank(x):
    return x.shape.rank


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Squeezes or expands the last axis of one tensor when ranks differ by one."""
    r1, r2 = _rank(x1), _rank(x2)
    if r1 is None or r2 is None or r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = tf.expand_dims(x2, -1)
        else:
            x1 = tf.squeeze(x1, axis=-1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = tf.expand_dims(x1, -1)
        else:
            x2 = tf.squeeze(x2, axis=-1)
    return x1, x2


def _num_elements(values):
    n = values.shape.num_elements()
    if n is not None:
        return float(n)
    return tf.cast(tf.size(values), values.dtype)


class Reduction:
    """TF 2.x's ``tf.keras.losses.Reduction`` constants (Keras 3 takes the strings)."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"

    @classmethod
    def all(cls):
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f'Invalid Reduction Key: {key}. Expected keys are "{cls.all()}"')


_REDUCTIONS = {"sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight"}


def standardize_reduction(reduction):
    if reduction == "auto":
        warnings.warn("`reduction='auto'` (Reduction.AUTO) is deprecated, use "
                      "`reduction='sum_over_batch_size'` instead.", DeprecationWarning,
                      stacklevel=4)
        return "sum_over_batch_size"
    if reduction not in _REDUCTIONS:
        raise ValueError("Invalid value for argument `reduction`. Expected one of "
                         f"{_REDUCTIONS}. Received: reduction={reduction}")
    return reduction


def reduce_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Reduces loss ``values`` (already weighted) as Keras 3 does."""
    rank = values.shape.rank
    if reduction is None or reduction == "none" or rank == 0 or \
            (rank == 1 and values.shape[0] == 0):
        return values
    loss = tf.reduce_sum(values)
    if reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):
        if reduction == "mean_with_sample_weight" and sample_weight is not None:
            divisor = tf.cast(tf.reduce_sum(sample_weight), loss.dtype)
        else:
            divisor = _num_elements(values)
            if isinstance(divisor, float):
                return loss / divisor if divisor else loss * 0.0
        loss = tf.math.divide_no_nan(loss, divisor)
    return loss


def reduce_weighted_values(values, sample_weight=None, mask=None,
                           reduction="sum_over_batch_size", dtype=None):
    """Applies ``sample_weight`` (squeezed/expanded to ``values``' rank) and reduces."""
    reduction = standardize_reduction(reduction)
    values = _tensor(values, dtype)
    if mask is not None:
        m = tf.cast(mask, values.dtype)
        if reduction in ("mean", "sum_over_batch_size"):
            total = _num_elements(m)
            m = m * (total / tf.reduce_sum(m))
        sample_weight = m if sample_weight is None else \
            tf.cast(_tensor(sample_weight), values.dtype) * m
    if sample_weight is not None:
        sample_weight = _tensor(sample_weight, values.dtype)
        values, sample_weight = squeeze_or_expand_to_same_rank(values, sample_weight)
        values = values * sample_weight
    return reduce_values(values, sample_weight, reduction)


# -- the base classes ---------------------------------------------------------------------

def _snake(name):
    s = re.sub(r"(?<!^)(?=[A-Z][a-z])", "_", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", s).lower()


class Loss:
    """Loss base class (``keras.losses.Loss``): subclasses implement ``call``."""

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        self.name = name or _snake(type(self).__name__)
        self.reduction = standardize_reduction(reduction)
        self._dtype = tf.as_dtype(dtype or "float32")

    @property
    def dtype(self):
        return self._dtype.name

    def __call__(self, y_true, y_pred, sample_weight=None):
        y_pred = _tensor(y_pred, self._dtype)
        y_true = _tensor(y_true, self._dtype)
        losses = self.call(y_true, y_pred)
        return reduce_weighted_values(losses, sample_weight=sample_weight,
                                      reduction=self.reduction, dtype=self._dtype)

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def get_config(self):
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class LossFunctionWrapper(Loss):
    """A ``Loss`` around a per-sample function ``fn(y_true, y_pred, **kwargs)``."""

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None,
                 **kwargs):
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        config = super().get_config()
        config.update({"fn": getattr(self.fn, "__name__", str(self.fn))})
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            fn = config.pop("fn")
            config["fn"] = get(fn) if isinstance(fn, str) else fn
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"


# -- per-sample loss functions --------------------------------------------------------------

def mean_squared_error(y_true, y_pred):
    """``mean(square(y_true - y_pred), axis=-1)``."""
    y_true, y_pred = _like(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """``mean(abs(y_true - y_pred), axis=-1)``."""
    y_true, y_pred = _like(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """``100 * mean(abs((y_true - y_pred) / max(abs(y_true), epsilon)), axis=-1)``."""
    y_true, y_pred = _like(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    diff = tf.abs((y_true - y_pred) / tf.maximum(tf.abs(y_true), _epsilon()))
    return 100.0 * tf.reduce_mean(diff, axis=-1)


def mean_squared_logarithmic_error(y_true, y_pred):
    """``mean(square(log(max(y_pred, eps) + 1) - log(max(y_true, eps) + 1)), axis=-1)``."""
    y_true, y_pred = _like(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    eps = _epsilon()
    first = tf.math.log(tf.maximum(y_pred, eps) + 1.0)
    second = tf.math.log(tf.maximum(y_true, eps) + 1.0)
    return tf.reduce_mean(tf.square(first - second), axis=-1)


def _l2_normalize(x, axis):
    inv = tf.math.rsqrt(tf.reduce_sum(tf.square(x), axis=axis, keepdims=True))
    return x * tf.minimum(inv, 1.0 / _epsilon())


def cosine_similarity(y_true, y_pred, axis=-1):
    """``-sum(l2_normalize(y_true) * l2_normalize(y_pred), axis)``."""
    y_true, y_pred = _like(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return -tf.reduce_sum(_l2_normalize(y_true, axis) * _l2_normalize(y_pred, axis),
                          axis=axis)


def huber(y_true, y_pred, delta=1.0):
    """Quadratic for ``|error| <= delta``, linear beyond; mean over the last axis."""
    y_true, y_pred = _like(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    delta = tf.cast(delta, y_pred.dtype)
    error = y_pred - y_true
    abs_error = tf.abs(error)
    return tf.reduce_mean(tf.where(abs_error <= delta, 0.5 * tf.square(error),
                                   delta * abs_error - 0.5 * tf.square(delta)), axis=-1)


def log_cosh(y_true, y_pred):
    """``mean(log(cosh(y_pred - y_true)), axis=-1)``, computed stably."""
    y_true, y_pred = _like(y_true, y_pred)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    x = y_pred - y_true
    return tf.reduce_mean(x + _softplus(x * -2.0) - math.log(2.0), axis=-1)


def _softplus(x):
    fn = getattr(tf.nn, "softplus", None)
    if fn is not None:
        return fn(x)
    return tf.maximum(x, 0.0) + tf.math.log1p(tf.exp(-tf.abs(x)))


def kl_divergence(y_true, y_pred):
    """``sum(y_true * log(y_true / y_pred), axis=-1)`` with both clipped to [eps, 1]."""
    y_true, y_pred = _like(y_true, y_pred)
    eps = _epsilon()
    y_true = tf.clip_by_value(y_true, eps, 1.0)
    y_pred = tf.clip_by_value(y_pred, eps, 1.0)
    return tf.reduce_sum(y_true * tf.math.log(y_true / y_pred), axis=-1)


def poisson(y_true, y_pred):
    """``mean(y_pred - y_true * log(y_pred + eps), axis=-1)``."""
    y_true, y_pred = _like(y_true, y_pred)
    return tf.reduce_mean(y_pred - y_true * tf.math.log(y_pred + _epsilon()), axis=-1)


def _hinge_labels(y_true):
    is_binary = tf.reduce_all(tf.logical_or(tf.equal(y_true, 0.0), tf.equal(y_true, 1.0)))
    return tf.where(is_binary, 2.0 * y_true - 1.0, y_true)


def hinge(y_true, y_pred):
    """``mean(maximum(1 - y_true * y_pred, 0), axis=-1)``; 0/1 labels become -1/1."""
    y_true, y_pred = _like(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return tf.reduce_mean(tf.maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def squared_hinge(y_true, y_pred):
    """``mean(square(maximum(1 - y_true * y_pred, 0)), axis=-1)``."""
    y_true, y_pred = _like(y_true, y_pred)
    y_true = _hinge_labels(y_true)
    return tf.reduce_mean(tf.square(tf.maximum(1.0 - y_true * y_pred, 0.0)), axis=-1)


def categorical_hinge(y_true, y_pred):
    """``maximum(max((1 - y_true) * y_pred) - sum(y_true * y_pred) + 1, 0)``."""
    y_true, y_pred = _like(y_true, y_pred)
    pos = tf.reduce_sum(y_true * y_pred, axis=-1)
    neg = tf.reduce_max((1.0 - y_true) * y_pred, axis=-1)
    return tf.maximum(neg - pos + 1.0, 0.0)


# -- cross entropies ----------------------------------------------------------------------

def _logits_of(output, from_logits, op_type, fn_name):
    """Keras's trick: use the logits behind a Softmax/Sigmoid output when it can see them."""
    logits = getattr(output, "_keras_logits", None)
    found = logits is not None
    if not found:
        op = getattr(output, "op", None) if not hasattr(output, "_value") else None
        if op is not None and getattr(op, "type", None) == op_type and \
                len(op.inputs) == 1:
            logits, found = op.inputs[0], True
    if not found:
        return output, from_logits
    if from_logits:
        warnings.warn(f'"`{fn_name}` received `from_logits=True`, but the `output` argument '
                      f"was produced by a {op_type} activation and thus does not represent "
                      "logits. Was this intended?", stacklevel=3)
    return logits, True


def _check_same_shape(target, output):
    if target.shape.rank != output.shape.rank:
        raise ValueError("Arguments `target` and `output` must have the same rank (ndim). "
                         f"Received: target.shape={target.shape}, output.shape={output.shape}")
    for a, b in zip(target.shape.as_list(), output.shape.as_list()):
        if a is not None and b is not None and a != b:
            raise ValueError("Arguments `target` and `output` must have the same shape. "
                             f"Received: target.shape={target.shape}, "
                             f"output.shape={output.shape}")


def _softmax_xent(labels, logits, axis):
    fn = getattr(tf.nn, "softmax_cross_entropy_with_logits", None)
    if fn is not None:
        return fn(labels=labels, logits=logits, axis=axis)
    m = tf.stop_gradient(tf.reduce_max(logits, axis=axis, keepdims=True))
    shifted = logits - m
    lse = tf.math.log(tf.reduce_sum(tf.exp(shifted), axis=axis, keepdims=True))
    return -tf.reduce_sum(labels * (shifted - lse), axis=axis)


def _backend_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    if target.shape.rank is not None and target.shape.rank < 1:
        raise ValueError("Arguments `target` and `output` must be at least rank 1. "
                         f"Received: target.shape={target.shape}, output.shape={output.shape}")
    _check_same_shape(target, output)
    output, from_logits = _logits_of(output, from_logits, "Softmax",
                                     "categorical_crossentropy")
    if from_logits:
        return _softmax_xent(target, output, axis)
    output = output / tf.reduce_sum(output, axis=axis, keepdims=True)
    eps = _epsilon()
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    return -tf.reduce_sum(target * tf.math.log(output), axis=axis)


def _backend_sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    rank = output.shape.rank
    if axis != -1 and axis != rank - 1:
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    output, from_logits = _logits_of(output, from_logits, "Softmax",
                                     "sparse_categorical_crossentropy")
    target = tf.cast(target, tf.int64)
    if target.shape.rank == rank and target.shape[-1] == 1:
        target = tf.squeeze(target, axis=-1)
    if rank is not None and rank < 1:
        raise ValueError(f"Argument `output` must be at least rank 1. Received: "
                         f"output.shape={output.shape}")
    if target.shape.rank != rank - 1:
        raise ValueError("Argument `output` must have rank (ndim) `target.ndim - 1`. "
                         f"Received: target.shape={target.shape}, output.shape={output.shape}")
    for a, b in zip(target.shape.as_list(), output.shape.as_list()[:-1]):
        if a is not None and b is not None and a != b:
            raise ValueError("Arguments `target` and `output` must have the same shape up "
                             f"until the last dimension: target.shape={target.shape}, "
                             f"output.shape={output.shape}")
    if not from_logits:
        eps = _epsilon()
        output = tf.math.log(tf.clip_by_value(output, eps, 1.0 - eps))
    fn = getattr(tf.nn, "sparse_softmax_cross_entropy_with_logits", None)
    if fn is not None:
        return fn(labels=target, logits=output)
    depth = output.shape[-1]
    return _softmax_xent(tf.one_hot(target, depth, dtype=output.dtype), output, -1)


def _backend_binary_crossentropy(target, output, from_logits=False):
    _check_same_shape(target, output)
    output, from_logits = _logits_of(output, from_logits, "Sigmoid", "binary_crossentropy")
    if from_logits:
        fn = getattr(tf.nn, "sigmoid_cross_entropy_with_logits", None)
        if fn is not None:
            return fn(labels=target, logits=output)
        return tf.maximum(output, 0.0) - output * target + \
            tf.math.log1p(tf.exp(-tf.abs(output)))
    eps = _epsilon()
    output = tf.clip_by_value(output, eps, 1.0 - eps)
    bce = target * tf.math.log(output)
    bce = bce + (1 - target) * tf.math.log(1 - output)
    return -bce


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0,
                             axis=-1):
    """Cross entropy between one-hot ``y_true`` and probabilities (or logits) ``y_pred``."""
    if isinstance(axis, bool):
        raise ValueError(f"`axis` must be of type `int`. Received: axis={axis} of type "
                         f"{type(axis)}")
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    if y_pred.shape.rank and y_pred.shape[-1] == 1:
        warnings.warn("In loss categorical_crossentropy, expected y_pred.shape to be "
                      "(batch_size, num_classes) with num_classes > 1. Received: "
                      f"y_pred.shape={y_pred.shape}. Consider using 'binary_crossentropy' "
                      "if you only have 2 classes.", SyntaxWarning, stacklevel=2)
    if label_smoothing:
        n = y_true.shape[-1]
        n = float(n) if n is not None else tf.cast(tf.shape(y_true)[-1], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / n
    return _backend_categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                             axis=axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """Cross entropy between integer labels ``y_true`` and probabilities/logits ``y_pred``."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true)
    if y_true.shape.rank == y_pred.shape.rank and y_true.shape[axis] == 1:
        y_true = tf.squeeze(y_true, axis=axis)
    if ignore_class is not None:
        valid = tf.not_equal(y_true, tf.cast(ignore_class, y_true.dtype))
        y_true = tf.where(valid, y_true, tf.zeros_like(y_true))
        y_pred = tf.where(tf.expand_dims(valid, axis), y_pred, tf.zeros_like(y_pred))
    res = _backend_sparse_categorical_crossentropy(y_true, y_pred, from_logits=from_logits,
                                                   axis=axis)
    if ignore_class is not None:
        res = tf.where(tf.reshape(valid, tf.shape(res)), res, tf.zeros_like(res))
    return res


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Element-wise binary cross entropy, averaged over ``axis``."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    return tf.reduce_mean(_backend_binary_crossentropy(y_true, y_pred,
                                                       from_logits=from_logits), axis=axis)


def binary_focal_crossentropy(y_true, y_pred, apply_class_balancing=False, alpha=0.25,
                              gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1):
    """Binary cross entropy scaled by ``(1 - p_t) ** gamma`` (and alpha if balancing)."""
    y_pred = _tensor(y_pred)
    y_true = _tensor(y_true, y_pred.dtype)
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        y_pred = tf.sigmoid(y_pred)
    bce = _backend_binary_crossentropy(y_true, y_pred, from_logits=False)
    p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
    focal = tf.math.pow(1.0 - p_t, gamma) * bce
    if apply_class_balancing:
        focal = (y_true * alpha + (1 - y_true) * (1 - alpha)) * focal
    return tf.reduce_mean(focal, axis=axis)


# -- loss classes ---------------------------------------------------------------------------


class _FixedLoss(LossFunctionWrapper):
    """A loss whose config is only Loss's own (name, reduction, dtype): the function is
    fixed by the class, so it is not serialised."""

    def get_config(self):
        return Loss.get_config(self)

class MeanSquaredError(_FixedLoss):
    """Mean of squares of errors between labels and predictions."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error",
                 dtype=None):
        super().__init__(mean_squared_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsoluteError(_FixedLoss):
    """Mean of absolute differences between labels and predictions."""

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error",
                 dtype=None):
        super().__init__(mean_absolute_error, name=name, reduction=reduction, dtype=dtype)


class MeanAbsolutePercentageError(_FixedLoss):
    """Mean absolute percentage error between labels and predictions."""

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, name=name, reduction=reduction,
                         dtype=dtype)


class MeanSquaredLogarithmicError(_FixedLoss):
    """Mean squared logarithmic error between labels and predictions."""

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, name=name, reduction=reduction,
                         dtype=dtype)


class CosineSimilarity(_FixedLoss):
    """Negative cosine similarity between labels and predictions."""

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, name=name, reduction=reduction, dtype=dtype,
                         axis=axis)


class Huber(_FixedLoss):
    """Huber loss with threshold ``delta``."""

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        super().__init__(huber, name=name, reduction=reduction, dtype=dtype, delta=delta)


class LogCosh(_FixedLoss):
    """Logarithm of the hyperbolic cosine of the prediction error."""

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, name=name, reduction=reduction, dtype=dtype)


class Hinge(_FixedLoss):
    """Hinge loss between labels (-1/1 or 0/1) and predictions."""

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, name=name, reduction=reduction, dtype=dtype)


class SquaredHinge(_FixedLoss):
    """Squared hinge loss between labels (-1/1 or 0/1) and predictions."""

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, name=name, reduction=reduction, dtype=dtype)


class CategoricalHinge(_FixedLoss):
    """Categorical hinge loss between one-hot labels and predictions."""

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge",
                 dtype=None):
        super().__init__(categorical_hinge, name=name, reduction=reduction, dtype=dtype)


class KLDivergence(_FixedLoss):
    """Kullback-Leibler divergence between labels and predictions."""

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, name=name, reduction=reduction, dtype=dtype)


class Poisson(_FixedLoss):
    """Poisson loss between labels and predictions."""

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, name=name, reduction=reduction, dtype=dtype)


class BinaryCrossentropy(LossFunctionWrapper):
    """Binary cross entropy between 0/1 labels and probabilities (or logits)."""

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, name=name, reduction=reduction, dtype=dtype,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        config = Loss.get_config(self)
        config.update({"from_logits": self.from_logits,
                       "label_smoothing": self.label_smoothing, "axis": self.axis})
        return config


class BinaryFocalCrossentropy(LossFunctionWrapper):
    """Binary focal cross entropy (Lin et al., 2018)."""

    def __init__(self, apply_class_balancing=False, alpha=0.25, gamma=2.0, from_logits=False,
                 label_smoothing=0.0, axis=-1, reduction="sum_over_batch_size",
                 name="binary_focal_crossentropy", dtype=None):
        super().__init__(binary_focal_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, apply_class_balancing=apply_class_balancing,
                         alpha=alpha, gamma=gamma, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis
        self.apply_class_balancing = apply_class_balancing
        self.alpha = alpha
        self.gamma = gamma

    def get_config(self):
        config = Loss.get_config(self)
        config.update({"from_logits": self.from_logits,
                       "label_smoothing": self.label_smoothing, "axis": self.axis,
                       "apply_class_balancing": self.apply_class_balancing,
                       "alpha": self.alpha, "gamma": self.gamma})
        return config


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross entropy between one-hot labels and probabilities (or logits)."""

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy",
                 dtype=None):
        super().__init__(categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits = from_logits
        self.label_smoothing = label_smoothing
        self.axis = axis

    def get_config(self):
        config = Loss.get_config(self)
        config.update({"from_logits": self.from_logits,
                       "label_smoothing": self.label_smoothing, "axis": self.axis})
        return config


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross entropy between integer labels and probabilities (or logits)."""

    def __init__(self, from_logits=False, ignore_class=None,
                 reduction="sum_over_batch_size", axis=-1,
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, name=name, reduction=reduction,
                         dtype=dtype, from_logits=from_logits, ignore_class=ignore_class,
                         axis=axis)
        self.from_logits = from_logits
        self.ignore_class = ignore_class

    def get_config(self):
        config = Loss.get_config(self)
        config.update({"from_logits": self.from_logits, "ignore_class": self.ignore_class})
        return config


# -- aliases, lookup and serialization ------------------------------------------------------

mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

_CLASSES = [Loss, LossFunctionWrapper, MeanSquaredError, MeanAbsoluteError,
            MeanAbsolutePercentageError, MeanSquaredLogarithmicError, CosineSimilarity, Huber,
            LogCosh, Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson,
            BinaryCrossentropy, BinaryFocalCrossentropy, CategoricalCrossentropy,
            SparseCategoricalCrossentropy]
_FUNCTIONS = [mean_squared_error, mean_absolute_error, mean_absolute_percentage_error,
              mean_squared_logarithmic_error, cosine_similarity, huber, log_cosh,
              kl_divergence, poisson, hinge, squared_hinge, categorical_hinge,
              binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
              sparse_categorical_crossentropy]
_ALL = {c.__name__: c for c in _CLASSES}
_ALL.update({f.__name__: f for f in _FUNCTIONS})
_ALL.update({"bce": binary_crossentropy, "BCE": binary_crossentropy, "mse": mse, "MSE": mse,
             "mae": mae, "MAE": mae, "mape": mape, "MAPE": mape, "msle": msle, "MSLE": msle,
             "kld": kld, "KLD": kld, "kullback_leibler_divergence": kld,
             "logcosh": log_cosh, "huber_loss": huber})


_LOOKUP = Lookup("loss", "keras.losses", _ALL)
serialize = _LOOKUP.serialize
deserialize = _LOOKUP.deserialize
get = _LOOKUP.get

