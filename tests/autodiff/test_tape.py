"""GradientTape semantics (TF 2.21): watching, nesting, reuse, structures, errors.

Expected values are derived by hand (calculus) or were read off TF 2.21 running the same
code (the probes behind the comments)."""

import gc
import logging
import weakref

import numpy as np
import pytest

import tinytf as tf
from tinytf.autodiff import _log
from tinytf.framework.context import _ctx


def _np(t):
    return None if t is None else np.asarray(t.numpy())


def test_seed_example():
    a, b, c = tf.constant(1.), tf.constant(2.), tf.constant(3.)
    w = tf.constant(4.)
    with tf.GradientTape() as tape:
        tape.watch([w])
        y = a * w ** 2 + b * w + c
    [dy_dw] = tape.gradient(y, [w])
    assert str(dy_dw) == "tf.Tensor(10.0, shape=(), dtype=float32)"


def test_python_scalar_coefficients():
    w = tf.constant(4.)
    with tf.GradientTape() as tape:
        tape.watch(w)
        y = 1. * w ** 2 + 2. * w + 3.
    assert float(tape.gradient(y, w)) == 10.0


def test_constants_need_watch_variables_do_not():
    x = tf.constant(3.0)
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * v
    gx, gv = tape.gradient(y, [x, v])
    assert gx is None and float(gv) == 3.0


def test_watch_accessed_variables_false():
    v = tf.Variable(2.0)
    w = tf.Variable(5.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w)
        y = v * v + w * w
    gv, gw = tape.gradient(y, [v, w])
    assert gv is None and float(gw) == 10.0
    assert tape.watched_variables() == (w,)


def test_non_trainable_variable_not_watched():
    v = tf.Variable(2.0, trainable=False)
    with tf.GradientTape() as tape:
        y = v * v
    assert tape.gradient(y, v) is None
    assert tape.watched_variables() == ()


def test_watched_variables_in_creation_order():
    v1 = tf.Variable(1.0)
    v2 = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = v2 * v1
    assert tape.watched_variables() == (v1, v2)
    tape.gradient(y, [v1, v2])
    assert tape.watched_variables() == (v1, v2)     # kept after the tape is used


def test_watch_nested_structure():
    x = tf.constant(1.0)
    y = tf.constant(2.0)
    v = tf.Variable(3.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch({"a": [x, (y,)], "b": v})
        out = x * y * v
    g = tape.gradient(out, {"x": x, "rest": [y, v]})
    assert set(g) == {"x", "rest"}
    assert float(g["x"]) == 6.0 and float(g["rest"][0]) == 3.0 and float(g["rest"][1]) == 2.0


def test_nested_sources_and_targets():
    x = tf.constant(3.)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    g = t.gradient([y, {"k": y}], {"a": x, "b": [x, (x,)]})      # TF: 12 everywhere
    assert isinstance(g, dict) and isinstance(g["b"], list) and isinstance(g["b"][1], tuple)
    assert [float(v) for v in (g["a"], g["b"][0], g["b"][1][0])] == [12.0, 12.0, 12.0]


def test_tuple_sources_keep_structure():
    x = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x + x
    g = t.gradient(y, (x,))
    assert isinstance(g, tuple) and float(g[0]) == 2.0


def test_non_scalar_target_is_summed():
    x = tf.constant([1., 2., 3.])
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    np.testing.assert_allclose(_np(t.gradient(y, x)), [2., 4., 6.])


def test_output_gradients():
    x = tf.constant([1., 2.])
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    g = t.gradient(y, x, output_gradients=tf.constant([10., 100.]))
    np.testing.assert_allclose(_np(g), [20., 400.])


def test_output_gradients_python_value():
    x = tf.constant(3.)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    assert float(t.gradient(y, x, output_gradients=2.0)) == 12.0     # TF: 12.0


def test_unconnected_none_and_zero():
    x = tf.constant([1., 2.])
    z = tf.constant([3., 4., 5.])
    with tf.GradientTape(persistent=True) as t:
        t.watch([x, z])
        y = x * x
    assert t.gradient(y, z) is None
    g = t.gradient(y, z, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert g.dtype == tf.float32 and _np(g).tolist() == [0., 0., 0.]
    g = t.gradient(y, z, unconnected_gradients="zero")
    assert _np(g).tolist() == [0., 0., 0.]
    v = tf.Variable([[1., 2.]])
    g = t.gradient(y, v, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert g.shape == (1, 2) and g.dtype == tf.float32
    del t


def test_unconnected_gradients_enum():
    assert tf.UnconnectedGradients.NONE.value == "none"
    assert tf.UnconnectedGradients.ZERO.value == "zero"
    assert repr(tf.UnconnectedGradients.NONE) == "<UnconnectedGradients.NONE: 'none'>"
    assert list(tf.UnconnectedGradients) == [tf.UnconnectedGradients.NONE,
                                             tf.UnconnectedGradients.ZERO]


def test_integer_sources_give_none(caplog):
    i = tf.constant(3)
    x = tf.constant(3.)
    with tf.GradientTape(persistent=True) as t:
        t.watch(i)
        t.watch(x)
        y = i * i
        z = x * x
    assert t.gradient(y, i) is None
    g = t.gradient(z, [x, i], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert float(g[0]) == 6.0 and g[1].dtype == tf.int32 and int(g[1]) == 0


def test_integer_target_gives_none():
    x = tf.constant(3.)
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.cast(x, tf.int32)
    assert t.gradient(y, x) is None


def test_gradient_dtype_matches_source():
    for dt in (tf.float16, tf.float32, tf.float64):
        x = tf.constant([1., 2.], dtype=dt)
        with tf.GradientTape() as t:
            t.watch(x)
            y = x * x * 3.0
        g = t.gradient(y, x)
        assert g.dtype == dt
        np.testing.assert_allclose(_np(g).astype(np.float64), [6., 12.])


def test_broadcast_gradients_reduce_to_input_shapes():
    x = tf.constant(np.arange(3.).reshape(3, 1))
    y = tf.constant(np.arange(4.).reshape(1, 4))
    s = tf.constant(2.0, dtype=tf.float64)
    with tf.GradientTape() as t:
        t.watch([x, y, s])
        z = (x + y) * s
    gx, gy, gs = t.gradient(z, [x, y, s])
    assert gx.shape == (3, 1) and gy.shape == (1, 4) and gs.shape == ()
    np.testing.assert_allclose(_np(gx), np.full((3, 1), 8.))
    np.testing.assert_allclose(_np(gy), np.full((1, 4), 6.))
    np.testing.assert_allclose(float(gs), (np.arange(3.)[:, None] + np.arange(4.)).sum())


def test_non_persistent_reuse_raises():
    x = tf.constant(3.)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    t.gradient(y, x)
    with pytest.raises(RuntimeError, match=r"^A non-persistent GradientTape can only be "
                       r"used to compute one set of gradients \(or jacobians\)$"):
        t.gradient(y, x)


def test_gradient_on_never_entered_tape_raises():
    x = tf.constant(3.)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        tf.GradientTape(persistent=True).gradient(x, x)


def test_persistent_many_times_and_del():
    x = tf.constant(3.)
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y = x * x
        z = y * y
    assert float(t.gradient(z, x)) == 108.0       # 4 x^3
    assert float(t.gradient(y, x)) == 6.0
    assert float(t.gradient(z, y)) == 18.0
    ref = weakref.ref(t)
    del t
    gc.collect()
    assert ref() is None


def test_gradient_inside_non_persistent_context_stops_recording():
    x = tf.constant(3.)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
        g = t.gradient(y, x)
        assert t not in _ctx().tapes
    assert float(g) == 6.0


def test_gradient_inside_persistent_context_warns(caplog):
    _log._counts.clear()
    x = tf.constant(3.)
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            y = x * x
            g = t.gradient(y, x)
    assert float(g) == 6.0
    assert any(r.getMessage().startswith("Calling GradientTape.gradient on a persistent tape "
                                         "inside its context is significantly less efficient")
               for r in caplog.records)


def test_target_is_source():
    x = tf.constant(3.)
    with tf.GradientTape() as t:
        t.watch(x)
    assert float(t.gradient(x, x)) == 1.0


def test_empty_sources():
    x = tf.constant(3.)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
    assert t.gradient(y, []) == []


def test_stop_recording():
    x = tf.constant(4.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x * x
        z = x * x
    assert float(tape.gradient([y, z], x)) == 8.0         # only z was recorded


def test_stop_recording_target_gives_none():
    x = tf.constant(4.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x ** 2
    assert tape.gradient(y, x) is None                     # TF's docstring example


def test_stop_recording_errors():
    with pytest.raises(RuntimeError, match="^Trying to stop recording a tape which is not "
                       "recording.$"):
        with tf.GradientTape().stop_recording():
            pass
    with tf.GradientTape() as t:
        pass
    with pytest.raises(ValueError, match="^Tape is not recording.$"):
        with t.stop_recording():
            pass


def test_reset():
    x = tf.constant(3.)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * x
        t.reset()
        t.watch(x)
        z = x * x * x
    assert float(t.gradient(z, x)) == 27.0
    with pytest.raises(ValueError, match="^Tape is not recording.$"):
        tf.GradientTape().reset()


def test_reenter_active_tape_raises():
    with tf.GradientTape() as t:
        with pytest.raises(ValueError, match="^Tape is still recording, This can happen if "
                           "you try to re-enter an already-active tape.$"):
            with t:
                pass


def test_reenter_persistent_tape_continues():
    x = tf.constant([1., 2.])
    t = tf.GradientTape(persistent=True)
    with t:
        t.watch(x)
        y = x * x
    with t:
        y2 = y * x
    np.testing.assert_allclose(_np(t.gradient(y2, x)), [3., 12.])   # 3 x^2


def test_non_persistent_tape_reentered_after_use_starts_fresh():
    x = tf.constant([1., 2.])
    t = tf.GradientTape()
    with t:
        t.watch(x)
        y = x * x
    t.gradient(y, x)
    with t:
        y = x * x * x
    assert t.gradient(y, x) is None        # TF: x is no longer watched


def test_higher_order():
    x = tf.constant(3.0)
    with tf.GradientTape() as t3:
        t3.watch(x)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = x ** 3
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    assert (float(d1), float(d2), float(d3)) == (27.0, 18.0, 6.0)


def test_higher_order_persistent_outer():
    x = tf.constant([0.5, 1.5], dtype=tf.float64)
    with tf.GradientTape(persistent=True) as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.exp(x) * x
        g = inner.gradient(y, x)                  # (1 + x) e^x
    h = outer.gradient(g, x)                      # (2 + x) e^x
    np.testing.assert_allclose(_np(h), (2 + _np(x)) * np.exp(_np(x)))


def test_stop_gradient():
    x = tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = x * tf.stop_gradient(x * x)
    assert float(t.gradient(y, x)) == 4.0


def test_variable_target_and_source():
    v = tf.Variable([1., 2.])
    with tf.GradientTape() as t:
        y = v * v
    np.testing.assert_allclose(_np(t.gradient(y, v)), [2., 4.])


def test_assign_breaks_nothing():
    v = tf.Variable(2.0)
    with tf.GradientTape() as t:
        y = v * v
        v.assign(10.0)
        z = y * v
    assert float(t.gradient(z, v)) == 2 * 2.0 * 10.0 + 4.0


# -- bad input: TF's errors and messages ---------------------------------------------------

def _tape_xy():
    x = tf.constant(3.)
    t = tf.GradientTape(persistent=True)
    with t:
        t.watch(x)
        y = x * x
    return t, x, y


def test_target_not_a_tensor():
    t, x, y = _tape_xy()
    with pytest.raises(AttributeError, match="^'float' object has no attribute 'dtype'$"):
        t.gradient(3.0, x)
    with pytest.raises(TypeError, match=r"^Argument `target` should be a list or nested "
                       r"structure of Tensors, Variables or CompositeTensors to be "
                       r"differentiated, but received None.$"):
        t.gradient(None, x)


def test_sources_python_numbers():
    t, x, y = _tape_xy()
    with pytest.raises(AttributeError, match="^'float' object has no attribute 'dtype'$"):
        t.gradient(y, 3.0)
    with pytest.raises(AttributeError, match="^'float' object has no attribute 'dtype'$"):
        t.gradient(y, [x, 3.0])
    with pytest.raises(TypeError, match="^Cannot convert the argument `type_value`: None to "
                       "a TensorFlow DType.$"):
        t.gradient(y, [None, x])


def test_bad_unconnected_value():
    t, x, y = _tape_xy()
    with pytest.raises(ValueError, match="^Unknown value for unconnected_gradients: 'foo'$"):
        t.gradient(y, x, unconnected_gradients="foo")


def test_output_gradients_with_none():
    x = tf.constant(3.)
    with tf.GradientTape() as t:
        t.watch(x)
        y, y2 = x * x, x * x * x
    with pytest.raises(ValueError, match=r"^Attempt to convert a value \(None\)"):
        t.gradient([y, y2], x, output_gradients=[2.0, None])


def test_watch_non_tensor():
    with tf.GradientTape() as t:
        with pytest.raises(ValueError, match="^Passed in object 3.0 of type 'float', not "
                           "tf.Tensor or tf.Variable or ExtensionType.$"):
            t.watch(3.0)


def test_watch_integer_tensor_warns(caplog):
    _log._counts.clear()
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        with tf.GradientTape() as t:
            t.watch(tf.constant(3))
            t.watch(tf.constant([True]))
    msgs = [r.getMessage() for r in caplog.records if r.name == "tensorflow"]
    assert "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.int32" \
        in msgs
    assert "The dtype of the watched tensor must be floating (e.g. tf.float32), got tf.bool" \
        in msgs


# -- recording cost and memory -------------------------------------------------------------

def test_no_tape_records_nothing():
    assert _ctx().tapes == []
    x = tf.constant(1.0)
    y = x * x
    assert y is not None and _ctx().tapes == []


def test_only_ops_on_watched_inputs_are_recorded():
    x, c = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as t:
        t.watch(x)
        _ = c * c                 # not recorded
        _ = x * c                 # recorded
        _ = tf.stop_gradient(x)   # not differentiable: not recorded
    assert [e[0].name for e in t._entries] == ["Mul"]


def test_non_persistent_tape_releases_memory():
    x = tf.constant(np.ones(1000))
    with tf.GradientTape() as t:
        t.watch(x)
        mid = x * x
        y = tf.exp(mid)
    ref = weakref.ref(mid)
    del mid
    gc.collect()
    assert ref() is not None          # the tape keeps what backward needs
    t.gradient(y, x)
    gc.collect()
    assert ref() is None              # ... and drops it once used
    assert t._entries is None


def test_persistent_tape_releases_memory_on_del():
    x = tf.constant(np.ones(10))
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        mid = x * x
    ref = weakref.ref(mid)
    del mid, t
    gc.collect()
    assert ref() is None
