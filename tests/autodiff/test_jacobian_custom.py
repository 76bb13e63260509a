"""jacobian / batch_jacobian, tf.custom_gradient and tf.test.compute_gradient."""

import numpy as np
import pytest

import tinytf as tf


def _np(t):
    return None if t is None else np.asarray(t.numpy())


# -- jacobian ----------------------------------------------------------------------------

def test_jacobian_elementwise():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    j = g.jacobian(y, x)
    assert j.shape == (2, 2) and j.dtype == tf.float32
    np.testing.assert_allclose(_np(j), [[2., 0.], [0., 4.]])


def test_jacobian_matmul_matches_numpy(rng):
    a = rng.standard_normal((3, 4))
    b = rng.standard_normal((4, 2))
    x = tf.constant(a)
    w = tf.constant(b)
    with tf.GradientTape() as g:
        g.watch([x, w])
        y = tf.matmul(x, w)
    jx, jw = g.jacobian(y, [x, w])
    assert jx.shape == (3, 2, 3, 4) and jw.shape == (3, 2, 4, 2)
    ex = np.einsum("ik,jl->ijkl", np.eye(3), b.T)       # d y_ij / d x_kl = d_ik w_lj
    ew = np.einsum("ik,jl->ijkl", a, np.eye(2))         # d y_ij / d w_kl = x_ik d_jl
    np.testing.assert_allclose(_np(jx), ex)
    np.testing.assert_allclose(_np(jw), ew)


def test_jacobian_scalar_target_and_structures():
    x = tf.constant([1., 2.], tf.float64)
    z = tf.constant([3., 4., 5.])
    with tf.GradientTape(persistent=True) as g:
        g.watch([x, z])
        y = tf.reduce_sum(x * x)
    j = g.jacobian(y, {"x": x, "z": z})
    assert j["z"] is None
    np.testing.assert_allclose(_np(j["x"]), [2., 4.])
    j = g.jacobian(y, [x, z], unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert j[1].shape == (3,) and j[1].dtype == tf.float32 and not _np(j[1]).any()


def test_jacobian_of_variable():
    v = tf.Variable([1., 2.])
    with tf.GradientTape() as g:
        y = v * v
    np.testing.assert_allclose(_np(g.jacobian(y, v)), [[2., 0.], [0., 4.]])


def test_jacobian_non_persistent_used_once():
    x = tf.constant([1., 2.])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    g.jacobian(y, x)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        g.gradient(y, x)


def test_jacobian_without_pfor_needs_persistent():
    x = tf.constant([1., 2.])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    with pytest.raises(RuntimeError, match=r"^GradientTape must be created with "
                       r"persistent=True to compute the jacobian with eager execution "
                       r"enabled and with  experimental_use_pfor set to False.$"):
        g.jacobian(y, x, experimental_use_pfor=False)
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
    np.testing.assert_allclose(_np(g.jacobian(y, x, experimental_use_pfor=False,
                                              parallel_iterations=2)), [[2., 0.], [0., 4.]])


def test_hessian_by_nested_jacobian():
    x = tf.constant([1.0, 2.0], tf.float64)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x[0] * x[0] * x[1] if hasattr(tf.Tensor, "__getitem__") else None
        g = inner.gradient(y, x)                # [2 x0 x1, x0^2]
    h = outer.jacobian(g, x)
    np.testing.assert_allclose(_np(h), [[2 * 2., 2 * 1.], [2 * 1., 0.]])


def test_batch_jacobian():
    xs = np.array([[1., 2.], [3., 4.]])
    x = tf.constant(xs)
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    bj = g.batch_jacobian(y, x)
    assert bj.shape == (2, 2, 2)
    np.testing.assert_allclose(_np(bj), np.stack([np.diag(2 * r) for r in xs]))


def test_batch_jacobian_matmul(rng):
    a = rng.standard_normal((5, 3))
    b = rng.standard_normal((3, 4))
    x = tf.constant(a)
    with tf.GradientTape() as g:
        g.watch(x)
        y = tf.matmul(x, tf.constant(b))
    bj = g.batch_jacobian(y, x)
    assert bj.shape == (5, 4, 3)
    np.testing.assert_allclose(_np(bj), np.broadcast_to(b.T, (5, 4, 3)))


def test_batch_jacobian_unconnected_is_zeros():
    x = tf.constant([[1., 2.], [3., 4.]])
    s = tf.constant([[1., 2.], [3., 4.]])
    with tf.GradientTape() as g:
        g.watch(x)
        y = x * x
    bj = g.batch_jacobian(y, s)                    # TF: zeros, even with NONE
    assert bj.shape == (2, 2, 2) and bj.dtype == tf.float32 and not _np(bj).any()


def test_batch_jacobian_errors():
    x = tf.constant([1., 2.])
    with tf.GradientTape(persistent=True) as g:
        g.watch(x)
        y = x * x
    with pytest.raises(ValueError, match=r"^Shape \(2,\) must have rank at least 2$"):
        g.batch_jacobian(y, x)
    xx = tf.constant([[1., 2.], [3., 4.]])
    with tf.GradientTape(persistent=True) as g:
        g.watch(xx)
        y = tf.concat([xx, xx], 0)
    with pytest.raises(ValueError, match=r"^Need first dimension of target shape \(\(4, 2\)\) "
                       r"and source shape \(\(2, 2\)\) to match.$"):
        g.batch_jacobian(y, xx)


# -- custom_gradient ------------------------------------------------------------------------

def test_custom_gradient_basic():
    @tf.custom_gradient
    def f(a):
        def grad(dy):
            return dy * 100
        return a * a, grad

    x = tf.constant([1., 2.])
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    np.testing.assert_allclose(_np(y), [1., 4.])
    np.testing.assert_allclose(_np(t.gradient(y, x)), [100., 100.])
    assert f.__name__ == "f"
    np.testing.assert_allclose(_np(f(x)), [1., 4.])      # no tape: just the value


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_custom_gradient_log1pexp_is_stable():
    @tf.custom_gradient
    def log1pexp(x):
        e = tf.exp(x)

        def grad(upstream):
            return upstream * (1 - 1 / (1 + e))
        return tf.math.log(1 + e), grad

    x = tf.constant(100.)
    with tf.GradientTape() as t:
        t.watch(x)
        y = log1pexp(x)
    assert float(t.gradient(y, x)) == 1.0


def test_custom_gradient_with_variables():
    v = tf.Variable(2.)

    @tf.custom_gradient
    def f(a):
        y = a * v

        def grad(dy, variables=None):
            assert variables == [v]
            return dy * 100, [tf.reduce_sum(dy) * 7]
        return y, grad

    x = tf.constant([1., 2.])
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    gx, gv = t.gradient(y, [x, v])
    np.testing.assert_allclose(_np(gx), [100., 100.])
    assert float(gv) == 14.0                               # TF: 14.0


def test_custom_gradient_errors():
    v = tf.Variable(2.)
    x = tf.constant([1., 2.])

    @tf.custom_gradient
    def uses_var(a):
        return a * v, lambda dy: dy

    with tf.GradientTape() as t:
        t.watch(x)
        with pytest.raises(TypeError, match="^@tf.custom_gradient grad_fn must accept keyword "
                           "argument 'variables', since function uses variables: "):
            uses_var(x)

    @tf.custom_gradient
    def two_args(a, b):
        return a * b, lambda dy: dy

    with tf.GradientTape() as t:
        t.watch(x)
        y = two_args(x, x)
    with pytest.raises(ValueError, match="^custom_gradient function expected to return 2 "
                       "gradients, but returned 1 instead.$"):
        t.gradient(y, x)

    @tf.custom_gradient
    def bad_vars(a):
        def grad(dy, variables=None):
            return dy, []
        return a * v, grad

    with tf.GradientTape() as t:
        t.watch(x)
        y = bad_vars(x)
    with pytest.raises(ValueError, match="^Must return gradient for each variable from "
                       "@custom_gradient grad_fn.$"):
        t.gradient(y, [x, v])


def test_custom_gradient_two_outputs():
    @tf.custom_gradient
    def f(a):
        def grad(dy1, dy2):
            return dy1 * 100 + dy2
        return (a * a, a), grad

    x = tf.constant([1., 2.])
    with tf.GradientTape(persistent=True) as t:
        t.watch(x)
        y1, y2 = f(x)
    np.testing.assert_allclose(_np(t.gradient(y1, x)), [100., 100.])   # dy2 = zeros
    np.testing.assert_allclose(_np(t.gradient([y1, y2], x)), [101., 101.])


def test_custom_gradient_second_order_under_nested_tapes():
    @tf.custom_gradient
    def cube(a):
        def grad(dy):
            return dy * 3 * a * a              # uses the input: differentiable again
        return a * a * a, grad

    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = cube(x)
        g = inner.gradient(y, x)
    assert float(g) == 27.0
    assert float(outer.gradient(g, x)) == 18.0


def test_custom_gradient_decorator_with_parentheses():
    @tf.custom_gradient()
    def f(a):
        return a + 0.0, lambda dy: dy * 2

    x = tf.constant(1.0)
    with tf.GradientTape() as t:
        t.watch(x)
        y = f(x)
    assert float(t.gradient(y, x)) == 2.0


# -- tf.test.compute_gradient ---------------------------------------------------------------

def test_compute_gradient_scalar():
    theo, num = tf.test.compute_gradient(lambda x: x * x, [1.0])
    # TF: ((array([[2.]], dtype=float32),), (array([[2.]], dtype=float32),))
    assert isinstance(theo, tuple) and isinstance(num, tuple)
    assert theo[0].dtype == np.float32 and theo[0].shape == (1, 1)
    np.testing.assert_allclose(theo[0], [[2.]])
    np.testing.assert_allclose(num[0], [[2.]])


def test_compute_gradient_two_args():
    theo, num = tf.test.compute_gradient(lambda x, y: x * y,
                                         [np.array([1., 2.]), np.array([3., 4.])])
    np.testing.assert_allclose(theo[0], [[3., 0.], [0., 4.]])
    np.testing.assert_allclose(theo[1], [[1., 0.], [0., 2.]])
    for t, n in zip(theo, num):
        np.testing.assert_allclose(t, n, atol=1e-6)


def test_compute_gradient_reduction_and_delta():
    theo, num = tf.test.compute_gradient(lambda x: tf.reduce_sum(x * x),
                                         [tf.constant([1., 2.], tf.float64)], delta=1e-4)
    np.testing.assert_allclose(theo[0], [[2., 4.]])
    np.testing.assert_allclose(num[0], [[2., 4.]], rtol=1e-7)


def test_compute_gradient_complex_layout():
    theo, num = tf.test.compute_gradient(lambda x: x + x, [np.array([1 + 2j])])
    np.testing.assert_allclose(theo[0], [[2., 0.], [0., 2.]])
    np.testing.assert_allclose(num[0], theo[0])


def test_compute_gradient_errors():
    with pytest.raises(ValueError, match=r"^`x` must be a list or tuple of values convertible "
                       r"to a Tensor \(arguments to `f`\), not a <class 'float'>$"):
        tf.test.compute_gradient(lambda x: x, 1.0)
    with pytest.raises(AssertionError, match="^Cannot compute gradient for unsupported type "
                       "int32 of argument 0$"):
        tf.test.compute_gradient(lambda x: x * x, [1])


# -- inside tf.function ----------------------------------------------------------------------

def test_tape_inside_tf_function():
    v = tf.Variable(2.0)

    @tf.function
    def f(x):
        with tf.GradientTape() as t:
            t.watch(x)
            y = x * x * v
        return t.gradient(y, [x, v])

    gx, gv = f(tf.constant([1., 2.]))
    np.testing.assert_allclose(_np(gx), [4., 8.])
    assert float(gv) == 5.0


def test_jacobians_inside_tf_function():
    @tf.function
    def f(x):
        with tf.GradientTape(persistent=True) as t:
            t.watch(x)
            y = x * x
        return t.jacobian(y, x), t.batch_jacobian(y, x)

    j, bj = f(tf.constant([[1., 2.], [3., 4.]]))
    assert j.shape == (2, 2, 2, 2) and bj.shape == (2, 2, 2)
    np.testing.assert_allclose(_np(bj), [[[2., 0.], [0., 4.]], [[6., 0.], [0., 8.]]])


def test_custom_gradient_through_tf_function():
    v = tf.Variable(2.)

    @tf.custom_gradient
    def f(a):
        def grad(dy, variables=None):
            return dy * 100, [tf.reduce_sum(dy) * 7]
        return a * v, grad

    x = tf.constant([1., 2.])
    with tf.GradientTape() as t:
        t.watch(x)
        y = tf.function(lambda a: f(a))(x)
    gx, gv = t.gradient(y, [x, v])
    np.testing.assert_allclose(_np(gx), [100., 100.])
    assert float(gv) == 14.0

    @tf.function
    def inner(a):
        with tf.GradientTape() as t:
            t.watch(a)
            y = f(a)
        return t.gradient(y, a)

    np.testing.assert_allclose(_np(inner(x)), [100., 100.])
