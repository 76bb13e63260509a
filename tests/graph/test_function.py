"""tf.function: tracing, caching, retracing, signatures, variables, gradients, methods."""

import logging

import numpy as np
import pytest

import tinytf as tf


def test_trace_once_per_signature_and_python_side_effects(capsys):
    calls = []

    @tf.function
    def f(x, y):
        calls.append(1)                     # a Python side effect: trace time only
        return x * y + x

    a, b = tf.constant([1., 2.]), tf.constant([3., 4.])
    for _ in range(3):
        np.testing.assert_allclose(f(a, b).numpy(), [4., 10.])
    assert len(calls) == 1 and f.experimental_get_tracing_count() == 1
    f(tf.constant([1., 2., 3.]), tf.constant([1., 1., 1.]))       # new shape: retrace
    assert f.experimental_get_tracing_count() == 2
    f(tf.constant([1, 2]), tf.constant([3, 4]))                    # new dtype: retrace
    assert f.experimental_get_tracing_count() == 3


def test_python_values_are_part_of_the_key():
    @tf.function
    def f(x, n, flag=False):
        out = x
        for _ in range(n):                  # Python loop on a Python value unrolls
            out = out * 2.
        return -out if flag else out

    x = tf.constant(1.)
    assert float(f(x, 3)) == 8. and float(f(x, 3)) == 8.
    assert f.experimental_get_tracing_count() == 1
    assert float(f(x, 2)) == 4.
    assert float(f(x, 2, flag=True)) == -4.
    assert f.experimental_get_tracing_count() == 3


def test_nested_structures_in_and_out():
    @tf.function
    def f(d, pair):
        a, b = pair
        return {"sum": d["x"] + a, "both": (a * b, b)}

    out = f({"x": tf.constant(1.)}, (tf.constant(2.), tf.constant(3.)))
    assert float(out["sum"]) == 3.
    assert float(out["both"][0]) == 6. and float(out["both"][1]) == 3.


def test_input_signature_with_none_dims():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        return tf.reduce_sum(x * x)

    assert float(f(tf.constant([1., 2.]))) == 5.
    assert float(f(tf.constant([1., 2., 3.]))) == 14.
    assert float(f([3.])) == 9.                      # Python lists convert to the spec
    assert f.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError, match="Binding inputs to tf.function failed"):
        f(tf.constant([[1.]]))
    with pytest.raises(TypeError):
        f(tf.constant([1, 2]))
    cf = f.get_concrete_function()
    assert cf.inputs[0].shape.as_list() == [None]


def test_reduce_retracing_generalises_shapes():
    @tf.function(reduce_retracing=True)
    def f(x):
        return x + 1.

    f(tf.constant([1.]))
    f(tf.constant([1., 2.]))
    f(tf.constant([1., 2., 3.]))
    assert f.experimental_get_tracing_count() == 2
    np.testing.assert_allclose(f(tf.constant([5., 6., 7., 8.])).numpy(), [6., 7., 8., 9.])
    assert f.experimental_get_tracing_count() == 2


def test_get_concrete_function_with_specs():
    @tf.function
    def f(x):
        return x * 2.

    cf = f.get_concrete_function(tf.TensorSpec([None, 2], tf.float32))
    assert f.experimental_get_tracing_count() == 1
    assert str(cf.outputs[0].shape) == "(None, 2)"
    np.testing.assert_allclose(cf(tf.constant([[1., 2.]])).numpy(), [[2., 4.]])
    assert cf.graph.get_operations()[0].type == "Placeholder"


def test_retracing_warning(caplog):
    f = tf.function(lambda x: x * 2)
    with caplog.at_level(logging.WARNING):
        for i in range(6):
            f(tf.constant([1.] * (i + 1)))
    msgs = [r.getMessage() for r in caplog.records if "retracing" in r.getMessage()]
    # TF: warnings from the 5th trace on, "5 out of the last 5 calls ..." then "6 ... 6".
    assert len(msgs) == 2
    assert msgs[0].startswith("5 out of the last 5 calls to <function ")
    assert "triggered tf.function retracing. Tracing is expensive" in msgs[0]
    assert msgs[1].startswith("6 out of the last 6 calls to")


def test_symbolic_tensor_rules_inside_function():
    seen = {}

    @tf.function
    def f(x):
        seen["repr"], seen["str"] = repr(x), str(x)
        with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="tf.cond"):
            bool(x)
        with pytest.raises(tf.errors.OperatorNotAllowedInGraphError):
            iter(x)
        with pytest.raises(TypeError, match="unhashable"):
            hash(x)
        assert not hasattr(x, "numpy")
        assert x.ref().deref() is x
        y = x + 1.
        seen["op"] = (repr(y.op), y.op.type, y.name)
        return y

    f(tf.constant([1., 2.]))
    # What TF 2.21 prints for the same function.
    assert seen["repr"] == "<tf.Tensor 'x:0' shape=(2,) dtype=float32>"
    assert seen["str"] == 'Tensor("x:0", shape=(2,), dtype=float32)'
    assert seen["op"] == ("<tf.Operation 'add' type=AddV2>", "AddV2", "add:0")


def test_variables_by_reference_and_created_once():
    v = tf.Variable(1.)

    @tf.function
    def add(x):
        v.assign_add(x)
        return v.read_value()

    assert float(add(tf.constant(2.))) == 3.
    assert float(add(tf.constant(2.))) == 5.
    v.assign(10.)
    assert float(add(tf.constant(1.))) == 11.     # reads the live value

    class M:
        def __init__(self):
            self.w = None

        @tf.function
        def __call__(self, x):
            if self.w is None:
                self.w = tf.Variable(tf.ones([2]) * 3.)   # symbolic init: lifted out
            return self.w * x

    m1, m2 = M(), M()
    np.testing.assert_allclose(m1(tf.constant([1., 2.])).numpy(), [3., 6.])
    np.testing.assert_allclose(m1(tf.constant([1., 2., 3.][:2])).numpy(), [3., 6.])
    m2.w = tf.Variable([1., 1.])
    np.testing.assert_allclose(m2(tf.constant([1., 2.])).numpy(), [1., 2.])   # per instance

    @tf.function
    def bad(x):
        tf.Variable(1.)
        return x

    # TF traces a variable-creating first call again, and refuses a second creation: so a
    # function that makes a tf.Variable on every call fails at once (checked against TF)
    for arg in (tf.constant(1.), tf.constant([1., 2.])):
        with pytest.raises(ValueError, match="only supports singleton tf.Variables created "
                                             "on the first call"):
            bad(arg)


def test_run_functions_eagerly():
    calls = []

    @tf.function
    def f(x):
        calls.append(tf.executing_eagerly())
        return x + 1

    tf.config.run_functions_eagerly(True)
    try:
        f(tf.constant(1)); f(tf.constant(1))
    finally:
        tf.config.run_functions_eagerly(False)
    f(tf.constant(1)); f(tf.constant(1))
    assert calls == [True, True, False]


def test_gradient_of_function_under_outer_tape():
    v = tf.Variable([1., 2.])

    @tf.function
    def f(x):
        return tf.reduce_sum(x * x * v)

    x = tf.constant([1., 3.])
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    gx, gv = t.gradient(y, [x, v])
    np.testing.assert_allclose(gx.numpy(), 2 * np.array([1., 3.]) * [1., 2.])
    np.testing.assert_allclose(gv.numpy(), [1., 9.])


def test_tape_inside_function_compiled_train_step():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 3)).astype(np.float32)
    true_w = np.array([[1.], [-2.], [0.5]], np.float32)
    Y = X @ true_w
    w = tf.Variable(np.zeros((3, 1), np.float32))

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
        g = tape.gradient(loss, w)
        w.assign_sub(0.1 * g)
        return loss

    x, y = tf.constant(X), tf.constant(Y)
    # one step against NumPy's gradient of the same loss
    expected_g = 2 * X.T @ (X @ np.zeros((3, 1), np.float32) - Y) / 64
    step(x, y)
    np.testing.assert_allclose(w.numpy(), -0.1 * expected_g, rtol=1e-5)
    for _ in range(300):
        loss = step(x, y)
    assert float(loss) < 1e-6
    np.testing.assert_allclose(w.numpy(), true_w, atol=1e-3)
    assert step.experimental_get_tracing_count() == 1


def test_higher_order_through_function():
    @tf.function
    def cube(x):
        return x * x * x

    x = tf.constant(2.)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = cube(x)
        dy = t1.gradient(y, x)
    assert float(dy) == 12. and float(t2.gradient(dy, x)) == 12.


def test_nested_function_call_and_method_descriptor():
    @tf.function
    def inner(x):
        return x * 3.

    @tf.function
    def outer(x):
        return inner(x) + 1.

    assert float(outer(tf.constant(2.))) == 7.

    class C:
        def __init__(self, k):
            self.k = k

        @tf.function
        def scale(self, x):
            return x * self.k

    c1, c2 = C(2.), C(5.)
    assert float(c1.scale(tf.constant(1.))) == 2.
    assert float(c2.scale(tf.constant(1.))) == 5.
    assert c1.scale is c1.scale


def test_kernel_error_at_run_time_names_the_node():
    @tf.function
    def f(x, y):
        return tf.matmul(x, y)

    with pytest.raises(ValueError, match="Matrix size-incompatible"):
        f(tf.ones([2, 3]), tf.ones([2, 3]))        # static shapes: caught while tracing


def test_graph_building_errors_are_value_errors():
    @tf.function
    def f(x):
        return x + tf.ones([3])

    with pytest.raises(ValueError, match="Incompatible shapes"):
        f(tf.ones([2]))


def test_call_under_one_tape_is_one_recorded_op_with_traced_backward():
    v = tf.Variable([[1., 2.], [3., 4.]])

    @tf.function
    def f(x):
        h = tf.matmul(x, v)
        return tf.reduce_sum(h * h), tf.shape(h), h

    x = tf.constant([[1., -1.]])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        loss, shape, h = f(x)
    assert len(t._entries) == 1                       # the whole call is one op
    gx, gv = t.gradient(loss, [x, v])
    # d/dx sum((xV)^2) = 2 (xV) V^T ; d/dV = 2 x^T (xV)   (NumPy)
    xv = np.array([[1., -1.]]) @ np.array([[1., 2.], [3., 4.]])
    np.testing.assert_allclose(gx.numpy(), 2 * xv @ np.array([[1., 2.], [3., 4.]]).T)
    np.testing.assert_allclose(gv.numpy(), 2 * np.array([[1.], [-1.]]) @ xv)
    gh = t.gradient(h, x)                             # a second output, same tape
    np.testing.assert_allclose(gh.numpy(), np.ones((1, 2)) @ np.array([[1., 2.], [3., 4.]]).T)
    assert shape.numpy().tolist() == [1, 2]


def test_gradcheck_through_function():
    from gradcheck import check_grad

    @tf.function
    def f(a, b):
        return tf.matmul(a, b) * tf.exp(a)

    check_grad(lambda a, b: f(a, b), [np.random.default_rng(1).normal(size=(2, 2)),
                                       np.random.default_rng(2).normal(size=(2, 2))], order=2)


def test_keyword_and_positional_calls_share_a_trace_and_python_returns_become_tensors():
    @tf.function
    def f(x, n=2):
        return x * n, 3, None

    x = tf.constant(1.)
    assert float(f(x, 2)[0]) == 2. and float(f(x, n=2)[0]) == 2.
    assert f.experimental_get_tracing_count() == 1
    _, three, none = f(x, n=2)
    assert repr(three) == "<tf.Tensor: shape=(), dtype=int32, numpy=3>" and none is None
    with pytest.raises(TypeError, match="Binding inputs to tf.function failed due to "
                                        "`missing a required argument: 'x'`"):
        f(n=3)


def test_tf_gradients_at_top_level_inside_functions():
    f = tf.function(lambda a: tf.gradients(tf.reduce_sum(a * a), a))
    np.testing.assert_allclose(f(tf.constant([1., 2.]))[0].numpy(), [2., 4.])
    with pytest.raises(RuntimeError, match="not supported when eager execution is enabled"):
        tf.gradients(tf.constant(1.), tf.constant(2.))


def test_a_variable_creating_first_trace_is_traced_twice_like_tf():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        if not hasattr(f, "v"):
            f.v = tf.Variable(2.)
        return f.v * x

    assert float(f(tf.constant(1.))) == 2.
    assert len(calls) == 2 and f.experimental_get_tracing_count() == 2
    assert float(f(tf.constant(3.))) == 6. and len(calls) == 2
