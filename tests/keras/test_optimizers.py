"""keras.optimizers: Keras 3 update rules against NumPy, schedules, clipping, config."""

import warnings

import numpy as np
import pytest

import tinytf as tf
from tinytf.keras import optimizers
from tinytf.keras.optimizers import schedules


def _setup(seed=1, steps=3):
    rng = np.random.default_rng(seed)
    w0 = rng.standard_normal((3, 4)).astype(np.float32)
    grads = [rng.standard_normal((3, 4)).astype(np.float32) for _ in range(steps)]
    return w0, grads


def _run(opt, w0, grads):
    w = tf.Variable(w0)
    for g in grads:
        opt.apply_gradients([(tf.constant(g), w)])
    return w.numpy()


def _np_sgd(w, grads, lr, momentum=0.0, nesterov=False):
    w, m = w.astype(np.float64), np.zeros_like(w, np.float64)
    for g in grads:
        if momentum == 0:
            w = w - lr * g
            continue
        m = momentum * m - lr * g
        w = w + (momentum * m - lr * g if nesterov else m)
    return w


def _np_adam(w, grads, learning_rate=0.001, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False, wd=None):
    lr = learning_rate
    w, m, v, vh = (w.astype(np.float64), 0.0, 0.0, 0.0)
    for t, g in enumerate(grads, 1):
        if wd is not None:
            w = w - w * wd * lr
        m = m + (g - m) * (1 - b1)
        v = v + (g * g - v) * (1 - b2)
        alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        if amsgrad:
            vh = np.maximum(vh, v)
        w = w - m * alpha / (np.sqrt(vh if amsgrad else v) + eps)
    return w


def _np_rmsprop(w, grads, lr=0.001, rho=0.9, momentum=0.0, eps=1e-7, centered=False):
    w, v, mg, mom = w.astype(np.float64), 0.0, 0.0, 0.0
    for g in grads:
        v = rho * v + (1 - rho) * g * g
        den = v + eps
        if centered:
            mg = rho * mg + (1 - rho) * g
            den = v - mg * mg + eps
        inc = lr * g / np.sqrt(den)
        if momentum > 0:
            mom = momentum * mom + inc
            w = w - mom
        else:
            w = w - inc
    return w


def _np_adagrad(w, grads, lr=0.001, init=0.1, eps=1e-7):
    w, acc = w.astype(np.float64), init
    for g in grads:
        acc = acc + g * g
        w = w - lr * g / np.sqrt(acc + eps)
    return w


@pytest.mark.parametrize("kw", [{}, {"momentum": 0.9}, {"momentum": 0.9, "nesterov": True}])
def test_sgd(kw):
    w0, grads = _setup()
    got = _run(optimizers.SGD(learning_rate=0.1, **kw), w0, grads)
    np.testing.assert_allclose(got, _np_sgd(w0, grads, 0.1, **kw), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kw", [{}, {"amsgrad": True, "learning_rate": 0.1}])
def test_adam(kw):
    w0, grads = _setup(steps=4)
    got = _run(optimizers.Adam(**kw), w0, grads)
    np.testing.assert_allclose(got, _np_adam(w0, grads, **kw), rtol=1e-5, atol=1e-6)


def test_adamw():
    w0, grads = _setup()
    got = _run(optimizers.AdamW(learning_rate=0.05), w0, grads)
    np.testing.assert_allclose(got, _np_adam(w0, grads, learning_rate=0.05, wd=0.004), rtol=1e-5,
                               atol=1e-6)
    with pytest.raises(ValueError, match="weight_decay"):
        optimizers.AdamW(weight_decay=None)


@pytest.mark.parametrize("kw", [{}, {"momentum": 0.5}, {"centered": True, "momentum": 0.5}])
def test_rmsprop(kw):
    w0, grads = _setup()
    got = _run(optimizers.RMSprop(learning_rate=0.01, **kw), w0, grads)
    np.testing.assert_allclose(got, _np_rmsprop(w0, grads, lr=0.01, **kw), rtol=1e-5,
                               atol=1e-6)


def test_adagrad():
    w0, grads = _setup()
    got = _run(optimizers.Adagrad(learning_rate=0.1), w0, grads)
    np.testing.assert_allclose(got, _np_adagrad(w0, grads, lr=0.1), rtol=1e-5, atol=1e-6)


def test_clipping():
    w0, grads = _setup(steps=1)
    g = grads[0].astype(np.float64)
    got = _run(optimizers.SGD(learning_rate=1.0, clipnorm=0.5), w0, grads)
    np.testing.assert_allclose(got, w0 - g * 0.5 / max(np.linalg.norm(g), 0.5), rtol=1e-5)
    got = _run(optimizers.SGD(learning_rate=1.0, clipvalue=0.3), w0, grads)
    np.testing.assert_allclose(got, w0 - np.clip(g, -0.3, 0.3), rtol=1e-5)
    w, b = tf.Variable(w0), tf.Variable(w0[0])
    opt = optimizers.SGD(learning_rate=1.0, global_clipnorm=1.0)
    opt.apply_gradients([(tf.constant(grads[0]), w), (tf.constant(grads[0][0]), b)])
    n = np.sqrt((g ** 2).sum() + (g[0] ** 2).sum())
    np.testing.assert_allclose(w.numpy(), w0 - g / n, rtol=1e-5)
    with pytest.raises(ValueError, match="Only one of"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)


def test_state_variables_and_names():
    opt = optimizers.Adam()
    assert opt.name.startswith("adam")
    assert opt.iterations.dtype == tf.int64 and int(opt.iterations.numpy()) == 0
    assert isinstance(opt.learning_rate, tf.Variable)
    np.testing.assert_allclose(opt.learning_rate.numpy(), 0.001)
    w = tf.Variable(np.ones((2, 2), np.float32), name="w")
    opt.apply_gradients([(tf.ones((2, 2)), w)])
    names = [v.name for v in opt.variables]
    # Keras variables (TF 2.21 / Keras 3): no ':0' suffix, a path under the optimizer
    assert names == ["iteration", "learning_rate", "w_0_momentum", "w_0_velocity"]
    assert opt.iterations.path == f"{opt.name}/iteration"
    assert repr(optimizers.SGD(0.25, name="o").iterations) == \
        "<Variable path=o/iteration, shape=(), dtype=int64, value=0>"
    assert int(opt.iterations.numpy()) == 1
    with pytest.raises(ValueError, match="Unknown variable"):
        opt.apply_gradients([(tf.ones((2, 2)), tf.Variable(np.ones((2, 2), np.float32)))])


def test_none_gradients_are_skipped_with_warning():
    a, b = tf.Variable([1.0, 2.0]), tf.Variable(3.0, name="b")
    opt = optimizers.SGD(learning_rate=0.5)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        opt.apply_gradients([(tf.constant([1.0, 1.0]), a), (None, b)])
    assert any("Gradients do not exist for variables ['b:0']" in str(r.message) for r in rec)
    np.testing.assert_allclose(a.numpy(), [0.5, 1.5])
    assert float(b.numpy()) == 3.0
    with pytest.raises(ValueError, match="No gradients provided for any variable."):
        opt.apply_gradients([(None, a)])


def test_learning_rate_setter_and_legacy_lr():
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        opt = optimizers.SGD(lr=0.2)
    assert any("learning_rate" in str(r.message) for r in rec)
    np.testing.assert_allclose(opt.learning_rate.numpy(), 0.2)
    opt.learning_rate = 0.05
    np.testing.assert_allclose(opt.learning_rate.numpy(), 0.05)
    with pytest.raises(ValueError, match="Argument\\(s\\) not recognized"):
        optimizers.SGD(foo=1)
    sched = optimizers.SGD(learning_rate=schedules.ExponentialDecay(0.1, 10, 0.5))
    with pytest.raises(TypeError, match="not settable"):
        sched.learning_rate = 0.1


def test_minimize():
    x = tf.Variable(3.0)
    opt = optimizers.SGD(learning_rate=0.1)
    opt.minimize(lambda: x * x, [x])
    np.testing.assert_allclose(x.numpy(), 3.0 - 0.1 * 6.0, rtol=1e-6)
    with tf.GradientTape() as tape:
        loss = x * x
    opt.minimize(loss, [x], tape=tape)
    np.testing.assert_allclose(x.numpy(), 2.4 - 0.1 * 4.8, rtol=1e-6)
    with pytest.raises(ValueError, match="`tape` is required"):
        opt.minimize(x * x, [x])


def test_weight_decay_and_exclusion():
    w0 = np.ones((2,), np.float32)
    w, bias = tf.Variable(w0, name="kernel"), tf.Variable(w0, name="bias")
    opt = optimizers.SGD(learning_rate=0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    opt.apply_gradients([(tf.zeros((2,)), w), (tf.zeros((2,)), bias)])
    np.testing.assert_allclose(w.numpy(), w0 - w0 * 0.5 * 0.1)
    np.testing.assert_allclose(bias.numpy(), w0)


@pytest.mark.parametrize("sched, fn", [
    (schedules.ExponentialDecay(0.1, 4, 0.5), lambda s: 0.1 * 0.5 ** (s / 4)),
    (schedules.ExponentialDecay(0.1, 4, 0.5, staircase=True),
     lambda s: 0.1 * 0.5 ** np.floor(s / 4)),
    (schedules.PiecewiseConstantDecay([2, 5], [1.0, 0.5, 0.1]),
     lambda s: 1.0 if s <= 2 else (0.5 if s <= 5 else 0.1)),
    (schedules.InverseTimeDecay(0.1, 2, 0.5), lambda s: 0.1 / (1 + 0.5 * s / 2)),
    (schedules.PolynomialDecay(0.1, 6, end_learning_rate=0.01, power=2.0),
     lambda s: (0.1 - 0.01) * (1 - min(s, 6) / 6) ** 2 + 0.01),
    (schedules.CosineDecay(0.1, 6, alpha=0.1),
     lambda s: 0.1 * (0.9 * 0.5 * (1 + np.cos(np.pi * min(s, 6) / 6)) + 0.1)),
    (schedules.CosineDecay(0.1, 6, warmup_target=0.2, warmup_steps=2),
     lambda s: 0.1 + 0.1 * s / 2 if s < 2 else
     0.2 * 0.5 * (1 + np.cos(np.pi * (min(s, 8) - 2) / 6))),
])
def test_schedules(sched, fn):
    for s in range(0, 10):
        np.testing.assert_allclose(float(sched(s).numpy()), fn(s), rtol=1e-5, atol=1e-7)
    again = type(sched).from_config(sched.get_config())
    np.testing.assert_allclose(float(again(3).numpy()), fn(3), rtol=1e-5)


def test_schedule_drives_optimizer_steps():
    sched = schedules.ExponentialDecay(0.1, 1, 0.5)
    opt = optimizers.SGD(learning_rate=sched)
    w = tf.Variable(0.0)
    for _ in range(3):
        opt.apply_gradients([(tf.constant(1.0), w)])
    np.testing.assert_allclose(w.numpy(), -(0.1 + 0.05 + 0.025), rtol=1e-6)
    cfg = opt.get_config()
    assert cfg["learning_rate"]["class_name"] == "ExponentialDecay"
    again = optimizers.SGD.from_config(cfg)
    assert isinstance(again._learning_rate, schedules.ExponentialDecay)


def test_get_serialize_and_aliases():
    assert isinstance(optimizers.get("adam"), optimizers.Adam)
    assert isinstance(optimizers.get("RMSprop"), optimizers.RMSprop)
    opt = optimizers.Adam(learning_rate=0.01, amsgrad=True)
    assert optimizers.get(opt) is opt
    ser = optimizers.serialize(opt)
    assert ser["class_name"] == "Adam" and ser["config"]["amsgrad"] is True
    again = optimizers.deserialize(ser)
    assert isinstance(again, optimizers.Adam) and again.amsgrad
    np.testing.assert_allclose(again.learning_rate.numpy(), 0.01)
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier: foo"):
        optimizers.get("foo")
    assert tf.optimizers.Adam is optimizers.Adam
    assert tf.keras.optimizers.schedules.CosineDecay is schedules.CosineDecay
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        legacy = tf.keras.optimizers.legacy.Adam(learning_rate=0.01)
    assert isinstance(legacy, optimizers.Adam)


def test_traced_update_step_matches_eager():
    if not hasattr(tf, "function"):
        pytest.skip("tf.function not available")
    w0, grads = _setup(steps=3)
    w = tf.Variable(w0)
    opt = optimizers.Adam(learning_rate=0.01)

    @tf.function
    def step(g):
        opt.apply_gradients([(g, w)])

    for g in grads:
        step(tf.constant(g))
    np.testing.assert_allclose(w.numpy(), _np_adam(w0, grads, learning_rate=0.01), rtol=1e-5, atol=1e-6)
    assert int(opt.iterations.numpy()) == 3
