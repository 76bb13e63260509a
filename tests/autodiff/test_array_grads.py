"""The eager backward pass's array-level gradients (autodiff/_array_grads.py) give the same
values, dtypes and errors as the op-level gradients they stand in for, and the tape's fast
paths for flat sources keep the sources' structure."""

import numpy as np
import pytest

import tinytf as tf
from tinytf.autodiff import backprop

FNS = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "square_pow": lambda x, y: x ** 2 * y,
    "neg": lambda x, y: -x * y,
    "mixed": lambda x, y: 3. * x ** 2 - y * x + 1.,
}
SHAPES = [((), ()), ((3,), ()), ((3, 1), (1, 4)), ((2, 3), (2, 3))]
DTYPES = [np.float16, np.float32, np.float64, np.complex64]


def _grads(fn, xv, yv, seed=None):
    x, y = tf.constant(xv), tf.constant(yv)
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = fn(x, y)
    return tape.gradient(z, [x, y], output_gradients=seed)


@pytest.mark.parametrize("name", sorted(FNS))
@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_array_grads_match_op_level_grads(name, dtype, shapes, monkeypatch):
    rng = np.random.default_rng(7)
    xv = rng.standard_normal(shapes[0]).astype(dtype)
    yv = rng.standard_normal(shapes[1]).astype(dtype)
    fast = _grads(FNS[name], xv, yv)
    monkeypatch.setattr(backprop, "ARRAY_GRADS", {})
    slow = _grads(FNS[name], xv, yv)
    for f, s in zip(fast, slow):
        assert f.dtype == s.dtype and f.shape == s.shape
        np.testing.assert_array_equal(f.numpy(), s.numpy())     # bit for bit


def test_array_grads_are_used_and_skip_unneeded_inputs(monkeypatch):
    calls = []
    for op_def, fn in list(backprop.ARRAY_GRADS.items()):
        def spy(entry, dz, grads, needed, _fn=fn, _name=op_def.name):
            calls.append(_name)
            return _fn(entry, dz, grads, needed)
        monkeypatch.setitem(backprop.ARRAY_GRADS, op_def, spy)
    a, b, c = tf.constant(1.), tf.constant(2.), tf.constant(3.)
    w = tf.constant(4.)
    with tf.GradientTape() as tape:
        tape.watch([w])
        y = a * w ** 2 + b * w + c
    [g] = tape.gradient(y, [w])
    assert float(g) == 10.0 and g.dtype == tf.float32
    assert sorted(calls) == ["AddV2", "AddV2", "Mul", "Mul", "Pow"]


def test_watched_exponent_and_other_powers_take_the_op_level_gradient():
    x, p = tf.constant([1.5, 2.]), tf.constant(3.)
    with tf.GradientTape() as tape:
        tape.watch([x, p])
        z = tf.reduce_sum(x ** p) + tf.reduce_sum(x ** 2.)
    gx, gp = tape.gradient(z, [x, p])
    xv = np.array([1.5, 2.], np.float32)
    np.testing.assert_allclose(gx.numpy(), 3 * xv ** 2 + 2 * xv, rtol=1e-6)
    np.testing.assert_allclose(gp.numpy(), np.sum(xv ** 3 * np.log(xv)), rtol=1e-6)


def test_mismatched_output_gradient_raises_as_the_op_level_gradient(monkeypatch):
    x, y = np.float32([1., 2.]), np.float32([3., 4.])
    seed = tf.constant([1., 1.], tf.float64)
    with pytest.raises(tf.errors.InvalidArgumentError) as fast:
        _grads(FNS["mul"], x, y, seed)
    monkeypatch.setattr(backprop, "ARRAY_GRADS", {})
    with pytest.raises(tf.errors.InvalidArgumentError) as slow:
        _grads(FNS["mul"], x, y, seed)
    assert str(fast.value) == str(slow.value)


def test_second_order_still_records_through_the_op_level_gradients():
    x = tf.constant(3.)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x - 2. * x
        dy = inner.gradient(y, x)          # outer records: the op-level gradients run
    assert float(dy) == 25.0 and float(outer.gradient(dy, x)) == 18.0


def test_gradient_keeps_the_sources_structure():
    w, v = tf.constant(1.), tf.constant(2.)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([w, v])
        y = w * v
    nested = tape.gradient(y, [w, [v]])
    assert isinstance(nested, list) and isinstance(nested[1], list)
    assert float(nested[0]) == 2.0 and float(nested[1][0]) == 1.0
    as_tuple = tape.gradient(y, (w, v))
    assert type(as_tuple) is tuple and [float(g) for g in as_tuple] == [2.0, 1.0]
    as_dict = tape.gradient(y, {"b": v, "a": w})
    assert float(as_dict["a"]) == 2.0 and float(as_dict["b"]) == 1.0
    assert float(tape.gradient(y, w)) == 2.0


def test_gradient_for_a_list_of_variables():
    v1, v2 = tf.Variable([1., 2.]), tf.Variable(3.)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v1 * v2)
    g1, g2 = grads = tape.gradient(y, [v1, v2])
    assert type(grads) is list
    np.testing.assert_array_equal(g1.numpy(), [3., 3.])
    assert float(g2) == 3.0
