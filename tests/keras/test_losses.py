"""keras.losses: values against NumPy formulas (Keras 3's), reductions, weights, config."""

import warnings

import numpy as np
import pytest

import tinytf as tf
from tinytf import keras  # noqa: F401
from tinytf.keras import losses

EPS = 1e-7


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    yt = rng.integers(0, 2, (6, 4)).astype(np.float32)
    yp = rng.uniform(0.01, 0.99, (6, 4)).astype(np.float32)
    logits = rng.standard_normal((6, 4)).astype(np.float32) * 3
    labels = rng.integers(0, 4, (6,))
    return yt, yp, logits, labels


def _np_softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def _np_log_softmax(z):
    m = z.max(-1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(-1, keepdims=True))


NP_FUNCS = {
    "mean_squared_error": lambda t, p: np.mean((t - p) ** 2, -1),
    "mean_absolute_error": lambda t, p: np.mean(np.abs(t - p), -1),
    "mean_absolute_percentage_error":
        lambda t, p: 100 * np.mean(np.abs((t - p) / np.maximum(np.abs(t), EPS)), -1),
    "mean_squared_logarithmic_error":
        lambda t, p: np.mean((np.log(np.maximum(p, EPS) + 1) -
                              np.log(np.maximum(t, EPS) + 1)) ** 2, -1),
    "huber": lambda t, p: np.mean(np.where(np.abs(p - t) <= 1, 0.5 * (p - t) ** 2,
                                           np.abs(p - t) - 0.5), -1),
    "log_cosh": lambda t, p: np.mean(np.log(np.cosh(p - t)), -1),
    "kl_divergence": lambda t, p: np.sum(np.clip(t, EPS, 1) *
                                         np.log(np.clip(t, EPS, 1) / np.clip(p, EPS, 1)), -1),
    "poisson": lambda t, p: np.mean(p - t * np.log(p + EPS), -1),
    "hinge": lambda t, p: np.mean(np.maximum(1 - (2 * t - 1) * p, 0), -1),
    "squared_hinge": lambda t, p: np.mean(np.maximum(1 - (2 * t - 1) * p, 0) ** 2, -1),
    "categorical_hinge": lambda t, p: np.maximum(np.max((1 - t) * p, -1) -
                                                 np.sum(t * p, -1) + 1, 0),
    "binary_crossentropy":
        lambda t, p: -np.mean(t * np.log(np.clip(p, EPS, 1 - EPS)) +
                              (1 - t) * np.log(1 - np.clip(p, EPS, 1 - EPS)), -1),
    "categorical_crossentropy":
        lambda t, p: -np.sum(t * np.log(np.clip(p / p.sum(-1, keepdims=True), EPS, 1 - EPS)),
                             -1),
}


@pytest.mark.parametrize("name", sorted(NP_FUNCS))
def test_functions_match_numpy(name, data):
    yt, yp, _, _ = data
    got = getattr(losses, name)(yt, yp).numpy()
    want = NP_FUNCS[name](yt.astype(np.float64), yp.astype(np.float64))
    assert got.dtype == np.float32 and got.shape == (6,)
    np.testing.assert_allclose(got, want, rtol=2e-5, atol=1e-6)


def test_cosine_similarity(data):
    yt, yp, _, _ = data
    yt = yt + 0.5
    n = lambda x: x / np.linalg.norm(x, axis=-1, keepdims=True)  # noqa: E731
    np.testing.assert_allclose(losses.cosine_similarity(yt, yp).numpy(),
                               -np.sum(n(yt) * n(yp), -1), rtol=1e-5)


def test_crossentropy_from_logits(data):
    yt, _, logits, labels = data
    onehot = np.eye(4, dtype=np.float32)[labels]
    want = -np.sum(onehot * _np_log_softmax(logits.astype(np.float64)), -1)
    np.testing.assert_allclose(losses.categorical_crossentropy(onehot, logits,
                                                               from_logits=True).numpy(),
                               want, rtol=1e-5)
    np.testing.assert_allclose(losses.sparse_categorical_crossentropy(
        labels, logits, from_logits=True).numpy(), want, rtol=1e-5)
    z = logits.astype(np.float64)
    want_b = np.mean(np.maximum(z, 0) - z * yt + np.log1p(np.exp(-np.abs(z))), -1)
    np.testing.assert_allclose(losses.binary_crossentropy(yt, logits,
                                                          from_logits=True).numpy(),
                               want_b, rtol=1e-5)
    # stable for huge logits
    big = np.array([[1000.0, -1000.0]], np.float32)
    assert np.isfinite(losses.categorical_crossentropy([[0.0, 1.0]], big,
                                                       from_logits=True).numpy()).all()


def test_sparse_probabilities_and_label_shapes(data):
    _, _, logits, labels = data
    p = _np_softmax(logits.astype(np.float64)).astype(np.float32)
    want = -np.log(np.clip(p[np.arange(6), labels], EPS, 1 - EPS))
    for lab in (labels, labels.reshape(6, 1), labels.astype(np.float32)):
        np.testing.assert_allclose(
            losses.sparse_categorical_crossentropy(lab, p).numpy(), want, rtol=1e-5)


def test_label_smoothing(data):
    yt, yp, logits, labels = data
    onehot = np.eye(4)[labels]
    smooth = onehot * 0.8 + 0.2 / 4
    want = -np.sum(smooth * _np_log_softmax(logits.astype(np.float64)), -1).mean()
    got = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.2)(onehot, logits)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5)
    sm = yt * 0.9 + 0.05
    p = np.clip(yp.astype(np.float64), EPS, 1 - EPS)
    want_b = -np.mean(sm * np.log(p) + (1 - sm) * np.log(1 - p))
    np.testing.assert_allclose(losses.BinaryCrossentropy(label_smoothing=0.1)(yt, yp).numpy(),
                               want_b, rtol=1e-5)


def test_binary_focal(data):
    yt, yp, _, _ = data
    t, p = yt.astype(np.float64), yp.astype(np.float64)
    pc = np.clip(p, EPS, 1 - EPS)
    bce = -(t * np.log(pc) + (1 - t) * np.log(1 - pc))
    pt = t * p + (1 - t) * (1 - p)
    w = t * 0.25 + (1 - t) * 0.75
    want = np.mean(w * (1 - pt) ** 2 * bce)
    got = losses.BinaryFocalCrossentropy(apply_class_balancing=True)(yt, yp)
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-5)


def test_reductions_and_sample_weight(data):
    yt, yp, _, _ = data
    per = np.mean((yt - yp).astype(np.float64) ** 2, -1)
    w = np.arange(1, 7, dtype=np.float32)
    cases = {
        "sum_over_batch_size": (per * w).sum() / 6,
        "sum": (per * w).sum(),
        "mean_with_sample_weight": (per * w).sum() / w.sum(),
    }
    for red, want in cases.items():
        got = losses.MeanSquaredError(reduction=red)(yt, yp, sample_weight=w)
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5)
    none = losses.MeanSquaredError(reduction=None)(yt, yp, sample_weight=w.reshape(6, 1))
    # Keras expands rank-1 values to the (6, 1) weights rather than squeezing the weights
    np.testing.assert_allclose(none.numpy(), (per * w).reshape(6, 1), rtol=1e-5)
    np.testing.assert_allclose(losses.MeanSquaredError()(yt, yp).numpy(), per.mean(), rtol=1e-5)
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        losses.MeanSquaredError(reduction="bogus")


def test_tf2_reduction_constants(data):
    yt, yp, _, _ = data
    R = tf.keras.losses.Reduction
    assert (R.NONE, R.SUM, R.SUM_OVER_BATCH_SIZE) == ("none", "sum", "sum_over_batch_size")
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        loss = losses.MeanAbsoluteError(reduction=R.AUTO)
    assert loss.reduction == "sum_over_batch_size"
    assert any("sum_over_batch_size" in str(r.message) for r in rec)
    assert losses.MeanAbsoluteError(reduction=R.SUM)(yt, yp).shape == ()


def test_classes_config_and_names():
    assert losses.MeanSquaredError().name == "mean_squared_error"
    assert losses.Huber().name == "huber_loss"
    cfg = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=0.1).get_config()
    assert cfg == {"name": "categorical_crossentropy", "reduction": "sum_over_batch_size",
                   "from_logits": True, "label_smoothing": 0.1, "axis": -1}
    again = losses.CategoricalCrossentropy.from_config(cfg)
    assert again.from_logits and again.label_smoothing == 0.1
    ser = losses.serialize(losses.Huber(delta=2.0))
    assert ser["class_name"] == "Huber"
    assert isinstance(losses.deserialize(ser), losses.Huber)


def test_get_and_aliases():
    assert losses.get("mse") is losses.mean_squared_error
    assert losses.get("categorical_crossentropy") is losses.categorical_crossentropy
    assert isinstance(losses.get("MeanSquaredError"), losses.MeanSquaredError)
    assert losses.get(None) is None
    f = lambda a, b: a  # noqa: E731
    assert losses.get(f) is f
    with pytest.raises(ValueError, match="Could not interpret loss identifier: nope"):
        losses.get("nope")
    assert tf.losses.MeanSquaredError is losses.MeanSquaredError
    assert tf.keras.losses.mse is losses.mean_squared_error


def test_rank_mismatch_is_squeezed():
    yt = np.array([[1.0], [2.0], [3.0]], np.float32)
    yp = np.array([1.5, 2.0, 2.0], np.float32)
    got = losses.MeanSquaredError()(yt, yp).numpy()
    np.testing.assert_allclose(got, np.mean((yt[:, 0] - yp) ** 2), rtol=1e-6)


def test_loss_gradient_flows(data):
    yt, _, logits, _ = data
    x = tf.Variable(logits)
    t = (yt + 0.1) / (yt + 0.1).sum(-1, keepdims=True)        # label distributions
    with tf.GradientTape() as tape:
        loss = losses.CategoricalCrossentropy(from_logits=True)(t, x)
    g = tape.gradient(loss, x).numpy()
    want = (_np_softmax(logits.astype(np.float64)) - t) / 6
    np.testing.assert_allclose(g, want, rtol=1e-4, atol=1e-6)
