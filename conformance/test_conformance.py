"""Differential tests: tinytf against TensorFlow on the expressions in cases.py."""

import numpy as np
import pytest

import tinytf
from cases import ARRAYS, CASES, ERROR_CASES, GRAD_CASES, PRINT_CASES


def env(tf):
    scope = {"tf": tf, "np": np}
    for name, arr in ARRAYS.items():
        scope[name] = tf.constant(arr)
    return scope


def evaluate(tf, src):
    return eval(src, env(tf))  # noqa: S307 - expressions from cases.py only


def as_numpy(v):
    if hasattr(v, "numpy"):
        return np.asarray(v.numpy())
    if isinstance(v, (list, tuple)):
        return [as_numpy(e) for e in v]
    return np.asarray(v)


def dtype_name(v):
    return getattr(getattr(v, "dtype", None), "name", None)


def assert_same(a, b, src):
    if isinstance(b, (list, tuple)):
        assert isinstance(a, (list, tuple)) and len(a) == len(b), src
        for x, y in zip(a, b):
            assert_same(x, y, src)
        return
    assert dtype_name(a) == dtype_name(b), f"{src}: dtype {dtype_name(a)} vs {dtype_name(b)}"
    na, nb = as_numpy(a), as_numpy(b)
    assert na.shape == nb.shape, f"{src}: shape {na.shape} vs {nb.shape}"
    if na.dtype.kind in "fc":
        np.testing.assert_allclose(na, nb, rtol=2e-5, atol=1e-6, err_msg=src)
    else:
        np.testing.assert_array_equal(na, nb, err_msg=src)


@pytest.mark.parametrize("cid,src", CASES, ids=[c[0] for c in CASES])
def test_value(ref_tf, cid, src):
    expected = evaluate(ref_tf, src)
    got = evaluate(tinytf, src)
    assert_same(got, expected, src)


@pytest.mark.parametrize("src", ERROR_CASES)
def test_error_class(ref_tf, src):
    with pytest.raises(Exception) as ref:
        evaluate(ref_tf, src)
    with pytest.raises(Exception) as got:
        evaluate(tinytf, src)
    assert type(got.value).__name__ == type(ref.value).__name__, \
        f"{src}: tinytf raised {type(got.value).__name__}: {got.value}; " \
        f"TF raised {type(ref.value).__name__}: {ref.value}"


def grad(tf, body):
    scope = env(tf)
    x = scope["x"]
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = eval(body, scope)  # noqa: S307
    return out, tape.gradient(out, x)


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_gradient(ref_tf, name):
    body = GRAD_CASES[name]
    out_ref, g_ref = grad(ref_tf, body)
    out, g = grad(tinytf, body)
    assert_same(out, out_ref, body)
    assert_same(g, g_ref, body)


@pytest.mark.parametrize("src", PRINT_CASES)
def test_printed_text(ref_tf, src):
    a, b = evaluate(tinytf, src), evaluate(ref_tf, src)
    assert str(a) == str(b)
    assert repr(a) == repr(b)


def test_small_model_with_fixed_weights(ref_tf):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((5, 8)).astype(np.float32)
    outs = []
    for tf in (tinytf, ref_tf):
        model = tf.keras.Sequential([tf.keras.Input((8,)),
                                     tf.keras.layers.Dense(6, activation="relu"),
                                     tf.keras.layers.Dense(3, activation="softmax")])
        ws = [np.linspace(-1, 1, w.size, dtype=np.float32).reshape(w.shape)
              for w in model.get_weights()]
        model.set_weights(ws)
        outs.append(np.asarray(model(x)))
    np.testing.assert_allclose(outs[0], outs[1], rtol=1e-5, atol=1e-6)
