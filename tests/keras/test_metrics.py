"""keras.metrics: stateful metrics against NumPy, weights, reset, config, lookup."""

import warnings

import numpy as np
import pytest

import tinytf as tf
from tinytf.keras import metrics


@pytest.fixture
def data():
    rng = np.random.default_rng(3)
    p = rng.random((8, 5)).astype(np.float32)
    lab = rng.integers(0, 5, 8)
    bt = rng.integers(0, 2, (8, 1)).astype(np.float32)
    bp = rng.random((8, 1)).astype(np.float32)
    w = rng.random(8).astype(np.float32)
    return p, lab, np.eye(5, dtype=np.float32)[lab], bt, bp, w


def _val(m):
    return np.asarray(m.result().numpy())


def _wmean(v, w=None):
    return np.mean(v) if w is None else np.sum(v * w) / np.sum(w)


def test_mean_and_sum():
    m = metrics.Mean()
    m.update_state([1.0, 2.0, 3.0])
    m.update_state([[4.0, 6.0]], sample_weight=[2.0])   # rows averaged, then weighted
    assert m.name == "mean"
    np.testing.assert_allclose(_val(m), (6.0 + 2 * 5.0) / 5.0)
    assert [v.name for v in m.variables] == ["total:0", "count:0"]
    assert all(not v.trainable for v in m.variables)
    s = metrics.Sum()
    s.update_state([1.0, 2.0, 3.0], sample_weight=[1.0, 0.0, 2.0])
    np.testing.assert_allclose(_val(s), 7.0)
    m.reset_state()
    np.testing.assert_allclose(_val(m), 0.0)
    assert float(m(np.array([2.0, 4.0]))) == 3.0          # __call__ = update + result


def test_accuracies(data):
    p, lab, oh, bt, bp, w = data
    hits = (p.argmax(-1) == lab).astype(np.float64)
    for m, args in [(metrics.SparseCategoricalAccuracy(), (lab, p)),
                    (metrics.CategoricalAccuracy(), (oh, p)),
                    (metrics.Accuracy(), (lab, p.argmax(-1)))]:
        m.update_state(*args)
        np.testing.assert_allclose(_val(m), hits.mean(), rtol=1e-6)
        m.update_state(*args, sample_weight=w)
        np.testing.assert_allclose(_val(m), (hits.sum() + (hits * w).sum()) / (8 + w.sum()),
                                   rtol=1e-6)
    b = metrics.BinaryAccuracy(threshold=0.3)
    b.update_state(bt, bp)
    np.testing.assert_allclose(_val(b), ((bp > 0.3) == bt).mean(), rtol=1e-6)
    sp = metrics.SparseCategoricalAccuracy()
    sp.update_state(lab.reshape(8, 1), p)
    np.testing.assert_allclose(_val(sp), hits.mean(), rtol=1e-6)


def test_top_k(data):
    p, lab, oh, _, _, _ = data
    for k in (1, 2, 3):
        greater = (p > p[np.arange(8), lab][:, None]).sum(-1)
        want = (greater < k).mean()
        m = metrics.SparseTopKCategoricalAccuracy(k=k)
        m.update_state(lab, p)
        np.testing.assert_allclose(_val(m), want, rtol=1e-6)
        m = metrics.TopKCategoricalAccuracy(k=k)
        m.update_state(oh, p)
        np.testing.assert_allclose(_val(m), want, rtol=1e-6)
    ties = np.array([[0.5, 0.5, 0.1]], np.float32)     # ties at the boundary count as in
    assert float(metrics.sparse_top_k_categorical_accuracy([1], ties, k=1).numpy()[0]) == 1.0


def test_regression_metrics(data):
    p, _, oh, _, _, w = data
    d = (oh - p).astype(np.float64)
    for m, per in [(metrics.MeanSquaredError(), (d ** 2).mean(-1)),
                   (metrics.MeanAbsoluteError(), np.abs(d).mean(-1))]:
        m.update_state(oh, p, sample_weight=w)
        np.testing.assert_allclose(_val(m), _wmean(per, w), rtol=1e-5)
    r = metrics.RootMeanSquaredError()
    r.update_state(oh, p)
    np.testing.assert_allclose(_val(r), np.sqrt((d ** 2).mean()), rtol=1e-5)


def test_precision_recall(data):
    _, _, _, bt, bp, w = data
    t, pr = bt[:, 0].astype(bool), bp[:, 0]
    prec = metrics.Precision()
    prec.update_state(bt, bp)
    pos = pr > 0.5
    np.testing.assert_allclose(_val(prec), (pos & t).sum() / pos.sum(), rtol=1e-6)
    rec = metrics.Recall(thresholds=[0.3, 0.6])
    rec.update_state(bt, bp, sample_weight=w)
    want = [((pr > th) & t).astype(float) @ w / (t.astype(float) @ w) for th in (0.3, 0.6)]
    np.testing.assert_allclose(_val(rec), want, rtol=1e-5)
    rec.reset_state()
    np.testing.assert_allclose(_val(rec), [0.0, 0.0])
    with pytest.raises(ValueError, match="Threshold values must be in"):
        metrics.Precision(thresholds=1.5)


def test_auc_roc(data):
    _, _, _, bt, bp, _ = data
    m = metrics.AUC(num_thresholds=200)
    m.update_state(bt, bp)
    t, s = bt[:, 0].astype(bool), bp[:, 0].astype(np.float64)
    th = np.array([-1e-7] + [(i + 1) / 199 for i in range(198)] + [1 + 1e-7])
    tp = np.array([((s > x) & t).sum() for x in th], float)
    fp = np.array([((s > x) & ~t).sum() for x in th], float)
    tpr, fpr = tp / t.sum(), fp / (~t).sum()
    want = np.sum((fpr[:-1] - fpr[1:]) * (tpr[:-1] + tpr[1:]) / 2)
    np.testing.assert_allclose(_val(m), want, rtol=1e-5)


def test_auc_pr_interpolates_precision(data):
    # Keras's PR-AUC (summation_method="interpolation") integrates precision with TP and
    # predicted positives varying linearly per bucket (Davis & Goadrich), not a trapezoid
    _, _, _, bt, bp, _ = data
    m = metrics.AUC(num_thresholds=50, curve="PR")
    m.update_state(bt, bp)
    t, s = bt[:, 0].astype(bool), bp[:, 0].astype(np.float64)
    th = np.array([-1e-7] + [(i + 1) / 49 for i in range(48)] + [1 + 1e-7])
    tp = np.array([((s > x) & t).sum() for x in th], float)
    pp = np.array([(s > x).sum() for x in th], float)
    want = 0.0
    for a in range(len(th) - 1):
        dtp, dp = tp[a] - tp[a + 1], pp[a] - pp[a + 1]
        if dp <= 0 or dtp == 0:
            continue
        slope = dtp / dp
        icpt = tp[a + 1] - slope * pp[a + 1]
        ratio = pp[a] / pp[a + 1] if pp[a + 1] > 0 else 1.0
        want += slope * (dtp + icpt * np.log(ratio)) / t.sum()
    np.testing.assert_allclose(_val(m), want, rtol=1e-5)
    trapezoid = metrics.AUC(num_thresholds=50, curve="PR", summation_method="majoring")
    trapezoid.update_state(bt, bp)
    assert _val(trapezoid) >= _val(m) - 1e-6


def test_reset_states_alias_warns():
    m = metrics.Mean()
    m.update_state([3.0])
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        m.reset_states()
    assert any("reset_state()" in str(r.message) for r in rec)
    np.testing.assert_allclose(_val(m), 0.0)


def test_functions_config_and_get(data):
    p, lab, _, _, _, _ = data
    got = metrics.sparse_categorical_accuracy(lab, p).numpy()
    np.testing.assert_array_equal(got, (p.argmax(-1) == lab).astype(np.float32))
    assert metrics.get("sparse_categorical_accuracy") is metrics.sparse_categorical_accuracy
    assert isinstance(metrics.get("BinaryAccuracy"), metrics.BinaryAccuracy)
    assert metrics.get("mse") is metrics.mean_squared_error
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        metrics.get("nope")
    cfg = metrics.BinaryAccuracy(threshold=0.7, name="ba").get_config()
    assert cfg == {"name": "ba", "dtype": "float32", "threshold": 0.7}
    assert metrics.BinaryAccuracy.from_config(cfg).threshold == 0.7
    ser = metrics.serialize(metrics.TopKCategoricalAccuracy(k=3))
    assert metrics.deserialize(ser).k == 3
    assert tf.metrics.Mean is metrics.Mean


def test_update_state_traced():
    if not hasattr(tf, "function"):
        pytest.skip("tf.function not available")
    m = metrics.SparseCategoricalAccuracy()

    @tf.function
    def step(y, p):
        m.update_state(y, p)

    step(tf.constant([0, 1]), tf.constant([[0.9, 0.1], [0.8, 0.2]]))
    step(tf.constant([1, 1]), tf.constant([[0.1, 0.9], [0.3, 0.7]]))
    np.testing.assert_allclose(_val(m), 0.75)


def test_precision_recall_top_k(data):
    # Keras: only each row's top_k predictions count; with no thresholds, all of them
    p, _, onehot, _, _, _ = data
    t = onehot.astype(bool)
    top2 = np.argsort(-p, axis=1)[:, :2]
    kept = np.zeros_like(t)
    np.put_along_axis(kept, top2, True, axis=1)
    m = metrics.Precision(top_k=2)
    m.update_state(onehot, p)
    np.testing.assert_allclose(_val(m), (kept & t).sum() / kept.sum(), rtol=1e-6)
    r = metrics.Recall(top_k=2, thresholds=0.5)
    r.update_state(onehot, p)
    np.testing.assert_allclose(_val(r), (kept & t & (p > 0.5)).sum() / t.sum(), rtol=1e-6)
