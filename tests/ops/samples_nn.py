"""Registry-sweep samples for the nn family (format: tests/opsample.py).

Every OpDef in tinytf/ops/nn_ops.py appears at least once. Inputs of ops with kinks
(relu, pooling) stay away from the kinks and from ties, so finite differences are exact.
"""

import numpy as np

import nn_ref
import tinytf as tf
from opsample import Sample
from tinytf.framework.execute import execute
from tinytf.ops import nn_ops as N

_rng = np.random.default_rng(4321)


def _f(*shape, lo=-2.0, hi=2.0, dtype=np.float64):
    return _rng.uniform(lo, hi, size=shape).astype(dtype)


def _away(*shape, gap=0.2):
    """Values at least ``gap`` away from 0 and from each other's kinks."""
    v = _f(*shape)
    return np.where(np.abs(v) < gap, np.sign(v + 1e-9) * gap + v, v)


def _distinct(*shape):
    """Distinct values (no ties between pooling candidates), spaced for finite differences."""
    n = int(np.prod(shape))
    return (_rng.permutation(n) * 0.13 - 0.05 * n).reshape(shape)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


_SELU_A, _SELU_S = 1.6732632423543772, 1.0507009873554805


def _op(op_def, **attrs):
    return lambda *ts: execute(op_def, ts, attrs)


def _conv_attrs(strides=1, padding="VALID", dilations=1, fmt="NHWC"):
    return N._conv_attrs(strides, padding, fmt, dilations)


def _pool_attrs(k, s, padding, fmt="NHWC"):
    attrs, explicit = N._pool_attrs(k, s, padding, fmt, 2, "MaxPool", True)
    return attrs, explicit


def _max_attrs(k, s, padding):
    attrs, explicit = _pool_attrs(k, s, padding)
    attrs["explicit_paddings"] = explicit
    return attrs


_X = _f(2, 5, 6, 3)
_W = _f(3, 2, 3, 4)
_XS = _f(2, 7, 6, 3)
_WS = _f(3, 3, 3, 4)
_DY_SAME = _f(2, 4, 2, 4)       # conv of _XS with _WS, strides (2, 3), SAME
_P = _distinct(2, 5, 6, 2)
_PY = nn_ref.max_pool(_P, (2, 2), (2, 2), "SAME")
_PDY = _f(*_PY.shape)
_P3 = _distinct(1, 5, 5, 2)
_P3Y = nn_ref.max_pool(_P3, (3, 3), (2, 2), "SAME")
_LOGITS = _f(3, 4)
_LABELS = _rng.dirichlet(np.ones(4), size=3)
_SPARSE = np.array([1, 0, 3], np.int32)


def _xent_ref(x, z):
    return -(z * nn_ref.log_softmax(x)).sum(-1)


def _sparse_xent_ref(x, z):
    return -nn_ref.log_softmax(x)[np.arange(len(z)), z]


SAMPLES = [
    # -- activations and their gradient ops --
    Sample("Relu", tf.nn.relu, [_away(3, 4)], lambda x: np.maximum(x, 0)),
    Sample("Relu", tf.nn.relu, [np.array([-3, 0, 5], np.int32)], lambda x: np.maximum(x, 0)),
    Sample("ReluGrad", _op(N.ReluGrad), [_f(3, 4), _away(3, 4)],
           lambda dy, y: dy * (y > 0), wrt=[0]),
    Sample("Relu6", tf.nn.relu6, [_away(3, 4) * 4], lambda x: np.clip(x, 0, 6)),
    Sample("Relu6Grad", _op(N.Relu6Grad), [_f(3, 4), _away(3, 4) * 4],
           lambda dy, x: dy * ((x > 0) & (x < 6)), wrt=[0]),
    Sample("LeakyRelu", lambda x: tf.nn.leaky_relu(x, 0.3), [_away(3, 4)],
           lambda x: np.where(x > 0, x, 0.3 * x)),
    Sample("LeakyReluGrad", _op(N.LeakyReluGrad, alpha=0.3), [_f(3, 4), _away(3, 4)],
           lambda dy, x: np.where(x > 0, dy, 0.3 * dy), wrt=[0]),
    Sample("Elu", tf.nn.elu, [_away(3, 4)], lambda x: np.where(x > 0, x, np.expm1(x)), order=2),
    Sample("EluGrad", _op(N.EluGrad), [_f(3, 4), _away(3, 4)],
           lambda dy, y: np.where(y > 0, dy, dy * (y + 1)), order=2),
    Sample("Selu", tf.nn.selu, [_away(3, 4)],
           lambda x: _SELU_S * np.where(x > 0, x, _SELU_A * np.expm1(x)), order=2),
    Sample("SeluGrad", _op(N.SeluGrad), [_f(3, 4), _away(3, 4)],
           lambda dy, y: np.where(y > 0, dy * _SELU_S, dy * (y + _SELU_S * _SELU_A)), order=2),
    Sample("SelectNegative", _op(N.SelectNegative), [_f(3, 4), _away(3, 4)],
           lambda v, y: np.where(y < 0, v, 0), wrt=[0]),
    Sample("Softplus", tf.nn.softplus, [_f(3, 4) * 5], lambda x: np.log1p(np.exp(x)), order=2),
    Sample("Softplus", tf.nn.softplus, [np.array([-100., 0., 100.], np.float32)],
           lambda x: np.logaddexp(x, 0).astype(np.float32)),
    Sample("SoftplusGrad", _op(N.SoftplusGrad), [_f(3, 4), _f(3, 4)],
           lambda dy, x: dy * _sigmoid(x), order=2),
    Sample("Softsign", tf.nn.softsign, [_away(3, 4)], lambda x: x / (1 + np.abs(x)), order=2),
    Sample("SoftsignGrad", _op(N.SoftsignGrad), [_f(3, 4), _away(3, 4)],
           lambda dy, x: dy / (1 + np.abs(x)) ** 2, order=2),
    # -- softmax family --
    Sample("Softmax", tf.nn.softmax, [_f(3, 4)], nn_ref.softmax, order=2),
    Sample("Softmax", lambda x: tf.nn.softmax(x, axis=0), [_f(3, 4)],
           lambda x: nn_ref.softmax(x, 0), order=2),
    Sample("LogSoftmax", tf.nn.log_softmax, [_f(3, 4)], nn_ref.log_softmax, order=2),
    Sample("LogSoftmax", lambda x: tf.nn.log_softmax(x, axis=1), [_f(2, 3, 4)],
           lambda x: nn_ref.log_softmax(x, 1)),
    Sample("SoftmaxCrossEntropyWithLogits",
           lambda x, z: tf.nn.softmax_cross_entropy_with_logits(z, x), [_LOGITS, _LABELS],
           _xent_ref, order=2),
    Sample("SoftmaxCrossEntropyWithLogits",
           lambda x, z: execute(N.SoftmaxCrossEntropyWithLogits, (x, z)), [_LOGITS, _LABELS],
           lambda x, z: (_xent_ref(x, z), nn_ref.softmax(x) - z), order=2),
    Sample("SparseSoftmaxCrossEntropyWithLogits",
           lambda x, z: tf.nn.sparse_softmax_cross_entropy_with_logits(z, x),
           [_LOGITS, _SPARSE], _sparse_xent_ref, order=2),
    Sample("SparseSoftmaxCrossEntropyWithLogits",
           lambda x, z: execute(N.SparseSoftmaxCrossEntropyWithLogits, (x, z)),
           [_LOGITS, _SPARSE],
           lambda x, z: (_sparse_xent_ref(x, z), nn_ref.softmax(x) - np.eye(4)[z]), order=2),
    # -- bias, l2 --
    Sample("BiasAdd", tf.nn.bias_add, [_f(2, 3, 4), _f(4)], lambda x, b: x + b),
    Sample("BiasAdd", lambda x, b: tf.nn.bias_add(x, b, data_format="NCHW"),
           [_f(2, 3, 4, 2), _f(3)], lambda x, b: x + b[:, None, None]),
    Sample("BiasAddGrad", _op(N.BiasAddGrad, data_format="NHWC"), [_f(2, 3, 4)],
           lambda dy: dy.sum(axis=(0, 1))),
    Sample("BiasAddGrad", _op(N.BiasAddGrad, data_format="NCHW"), [_f(2, 3, 4, 2)],
           lambda dy: dy.sum(axis=(0, 2, 3))),
    Sample("L2Loss", tf.nn.l2_loss, [_f(3, 4)], lambda x: (x * x).sum() / 2, order=2),
    Sample("L2Loss", tf.nn.l2_loss, [_f(5, dtype=np.float32)],
           lambda x: np.float32((x * x).sum() / 2), rtol=1e-6),
    # -- convolution: forward and both backprops (each is linear in both arguments) --
    Sample("Conv2D", lambda x, w: tf.nn.conv2d(x, w, 1, "VALID"), [_X, _W],
           lambda x, w: nn_ref.conv2d(x, w), order=2),
    Sample("Conv2D", lambda x, w: tf.nn.conv2d(x, w, [2, 3], "SAME"), [_XS, _WS],
           lambda x, w: nn_ref.conv2d(x, w, (2, 3), "SAME"), order=2),
    Sample("Conv2D", lambda x, w: tf.nn.conv2d(x, w, 1, "SAME", dilations=2), [_XS, _WS],
           lambda x, w: nn_ref.conv2d(x, w, (1, 1), "SAME", (2, 2))),
    Sample("Conv2D", lambda x, w: tf.nn.conv2d(x, w, 1, "VALID"),
           [_f(2, 5, 5, 3, dtype=np.float32), _f(2, 2, 3, 2, dtype=np.float32)],
           lambda x, w: nn_ref.conv2d(x, w).astype(np.float32), rtol=1e-5, atol=1e-5),
    Sample("Conv2DBackpropInput",
           lambda w, dy: execute(N.Conv2DBackpropInput,
                                 (tf.constant([2, 7, 6, 3]), w, dy),
                                 _conv_attrs([2, 3], "SAME")),
           [_WS, _DY_SAME],
           lambda w, dy: nn_ref.conv2d_backprop_input((2, 7, 6, 3), w, dy, (2, 3), "SAME"),
           order=2),
    Sample("Conv2DBackpropFilter",
           lambda x, dy: execute(N.Conv2DBackpropFilter, (x, tf.constant([3, 3, 3, 4]), dy),
                                 _conv_attrs([2, 3], "SAME")),
           [_XS, _DY_SAME],
           lambda x, dy: nn_ref.conv2d_backprop_filter(x, (3, 3, 3, 4), dy, (2, 3), "SAME"),
           order=2),
    # -- pooling --
    Sample("MaxPool", lambda x: tf.nn.max_pool2d(x, 2, 2, "SAME"), [_P],
           lambda x: nn_ref.max_pool(x, (2, 2), (2, 2), "SAME")),
    Sample("MaxPool", lambda x: tf.nn.max_pool2d(x, 3, 2, "SAME"), [_P3],
           lambda x: nn_ref.max_pool(x, (3, 3), (2, 2), "SAME")),
    Sample("MaxPool", lambda x: tf.nn.max_pool2d(x, 2, 2, "VALID"),
           [np.array([[1, 5], [7, 2]], np.int32).reshape(1, 2, 2, 1)],
           lambda x: np.array([7], np.int32).reshape(1, 1, 1, 1)),
    Sample("MaxPoolGrad", _op(N.MaxPoolGrad, **_max_attrs(2, 2, "SAME")), [_P, _PY, _PDY],
           lambda x, y, dy: nn_ref.max_pool_grad(x, dy, (2, 2), (2, 2), "SAME"), wrt=[2]),
    Sample("MaxPoolGrad", _op(N.MaxPoolGrad, **_max_attrs(3, 2, "SAME")),
           [_P3, _P3Y, _f(*_P3Y.shape)],
           lambda x, y, dy: nn_ref.max_pool_grad(x, dy, (3, 3), (2, 2), "SAME"), wrt=[2]),
    Sample("MaxPoolGradGrad", _op(N.MaxPoolGradGrad, **_max_attrs(3, 2, "SAME")),
           [_P3, _P3Y, _f(*_P3.shape)], None, wrt=[2]),
    Sample("AvgPool", lambda x: tf.nn.avg_pool2d(x, 2, 2, "SAME"), [_f(2, 5, 6, 2)],
           lambda x: nn_ref.avg_pool(x, (2, 2), (2, 2), "SAME")),
    Sample("AvgPool", lambda x: tf.nn.avg_pool2d(x, 3, 2, "SAME"), [_f(1, 5, 5, 2)],
           lambda x: nn_ref.avg_pool(x, (3, 3), (2, 2), "SAME")),
    Sample("AvgPoolGrad",
           lambda dy: execute(N.AvgPoolGrad, (tf.constant([1, 5, 5, 2]), dy),
                              _pool_attrs(3, 2, "SAME")[0]),
           [_f(1, 3, 3, 2)],
           lambda dy: nn_ref.avg_pool_grad((1, 5, 5, 2), dy, (3, 3), (2, 2), "SAME")),
]
