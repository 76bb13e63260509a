"""tf.cond / tf.case / tf.while_loop / tf.group / control dependencies, eager and traced."""

import numpy as np
import pytest

import tinytf as tf
from gradcheck import check_grad


def test_cond_eager_and_in_function():
    x = tf.constant([1., 2.])
    assert tf.cond(tf.constant(True), lambda: x * 2., lambda: x).numpy().tolist() == [2., 4.]

    @tf.function
    def f(x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2., lambda: x - 1.)

    np.testing.assert_allclose(f(tf.constant([1., 2.])).numpy(), [2., 4.])
    np.testing.assert_allclose(f(tf.constant([-1., -2.])).numpy(), [-2., -3.])
    assert f.experimental_get_tracing_count() == 1


def test_cond_structures_and_captures():
    a, b = tf.constant(3.), tf.constant(5.)

    @tf.function
    def f(p):
        return tf.cond(p, lambda: {"v": a, "w": (a + b, 1.)}, lambda: {"v": b, "w": (a, 2.)})

    out = f(tf.constant(True))
    assert float(out["v"]) == 3. and float(out["w"][0]) == 8. and float(out["w"][1]) == 1.
    out = f(tf.constant(False))
    assert float(out["v"]) == 5. and float(out["w"][1]) == 2.


def test_cond_branch_mismatch_raises():
    @tf.function
    def f(p):
        return tf.cond(p, lambda: tf.constant(1.), lambda: (tf.constant(1.), tf.constant(2.)))

    with pytest.raises(ValueError, match="same"):
        f(tf.constant(True))


def test_cond_runs_only_the_taken_side_effects(capsys):
    v = tf.Variable(0.)

    @tf.function
    def f(p):
        return tf.cond(p, lambda: v.assign_add(1.), lambda: v.assign_add(10.))

    f(tf.constant(True))
    f(tf.constant(True))
    f(tf.constant(False))
    assert float(v.numpy()) == 12.


def test_cond_gradient_matches_numerical():
    def fn(x):
        @tf.function
        def g(x):
            return tf.cond(tf.reduce_sum(x) > 0, lambda: x * x * x, lambda: tf.exp(x))
        return g(x)

    check_grad(fn, [np.array([0.5, 1.5])], order=2)
    check_grad(fn, [np.array([-0.5, -1.5])], order=2)


def test_cond_gradient_with_tape_inside_function():
    v = tf.Variable(2.)

    @tf.function
    def g(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = tf.cond(x > 0, lambda: x * x * v, lambda: x * 3.)
        return t.gradient(y, [x, v])

    gx, gv = g(tf.constant(3.))
    assert float(gx) == 12. and float(gv) == 9.
    gx, gv = g(tf.constant(-3.))
    assert float(gx) == 3. and float(gv) == 0.


def test_case():
    x = tf.constant(5)

    @tf.function
    def f(x):
        return tf.case([(x < 3, lambda: tf.constant(1)), (x < 10, lambda: tf.constant(2))],
                       default=lambda: tf.constant(3))

    assert int(f(tf.constant(1))) == 1 and int(f(x)) == 2 and int(f(tf.constant(50))) == 3


def test_while_loop_eager_and_graph():
    i, s = tf.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i),
                         (tf.constant(0), tf.constant(0)))
    assert int(i) == 5 and int(s) == 10

    @tf.function
    def f(n):
        return tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i),
                             [tf.constant(0), tf.constant(0)])

    out = f(tf.constant(10))
    assert isinstance(out, list) and int(out[1]) == 45
    assert int(f(tf.constant(4))[1]) == 6
    assert f.experimental_get_tracing_count() == 1


def test_while_loop_single_var_max_iterations_and_shape_check():
    @tf.function
    def f(x):
        return tf.while_loop(lambda x: x < 100., lambda x: x * 2., x, maximum_iterations=3)

    assert float(f(tf.constant(1.))) == 8.

    @tf.function
    def g(x):
        return tf.while_loop(lambda x: tf.reduce_sum(x) < 10., lambda x: tf.concat([x, x], 0),
                             [x])

    with pytest.raises(ValueError, match="shape_invariants"):
        g(tf.constant([1.]))


def test_while_loop_gradient_through_function_under_tape():
    @tf.function
    def power(x):
        _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x),
                             (tf.constant(0), tf.constant(1.)))
        return y

    x = tf.constant(2.)
    with tf.GradientTape() as t:
        t.watch(x)
        y = power(x)
    assert float(y) == 8. and float(t.gradient(y, x)) == 12.


def test_group_no_op_control_dependencies():
    v = tf.Variable(0.)

    @tf.function
    def f():
        a = v.assign_add(1.)
        with tf.control_dependencies([a]):
            b = v.read_value() * 10.
        tf.group(a, b)
        tf.no_op()
        return b

    assert float(f()) == 10.
    assert float(f()) == 20.
    assert tf.group() is None and tf.no_op() is None        # eager: nothing to group
    with tf.control_dependencies([tf.constant(1.)]):           # eager: a no-op context
        pass


def test_bool_of_symbolic_tensor_names_cond_and_while():
    @tf.function
    def f(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError,
                       match="tf.cond or tf.while_loop"):
        f(tf.constant(1.))


def test_cond_branches_with_side_effects_only():
    v = tf.Variable(0)

    @tf.function
    def f(p):
        def inc():
            v.assign_add(1)
            return None

        def dec():
            v.assign_add(-1)
            return None
        return tf.cond(p, inc, dec)

    assert f(tf.constant(True)) is None
    f(tf.constant(True))
    f(tf.constant(False))
    assert int(v.numpy()) == 1


def test_while_loop_gradient_with_tape_inside_function():
    w = tf.Variable(1.5)

    @tf.function
    def g(x):
        with tf.GradientTape() as t:
            t.watch(x)
            _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x * w),
                                 (tf.constant(0), tf.constant(1.)))
        return y, t.gradient(y, [x, w])

    y, (gx, gw) = g(tf.constant(2.))
    # y = (x w)^3: dy/dx = 3 x^2 w^3, dy/dw = 3 x^3 w^2
    np.testing.assert_allclose([float(y), float(gx), float(gw)],
                               [(2 * 1.5) ** 3, 3 * 4 * 1.5 ** 3, 3 * 8 * 1.5 ** 2], rtol=1e-6)


def test_eager_cond_takes_numpy_truth_value_like_tf():
    assert tf.cond(tf.constant([[True]]), lambda: 1, lambda: 2) == 1
    with pytest.raises(ValueError, match="truth value of an array with more than one"):
        tf.cond(tf.constant([True, False]), lambda: 1, lambda: 2)
    with pytest.raises(ValueError, match="truth value of an empty array"):
        tf.cond(tf.constant([], tf.bool), lambda: 1, lambda: 2)


def test_eager_while_loop_converts_initial_loop_vars_to_tensors():
    n, s = tf.while_loop(lambda n, s: n < 2, lambda n, s: (n + 1, s * 2.), [0, 1.5])
    assert isinstance(n, tf.Tensor) and n.dtype == tf.int32 and int(n) == 2
    assert s.dtype == tf.float32 and float(s) == 6.0
    (z,) = tf.while_loop(lambda n: n < 0, lambda n: (n + 1,), (0,))
    assert isinstance(z, tf.Tensor) and int(z) == 0
