"""Numerical gradient checks shared by the op tests (float64, central differences).

    check_grad(lambda x, y: tf.math.atan2(x, y), [x_np, y_np])

compares the tape's vector-Jacobian product along a random direction with finite
differences of the same scalar; ``order=2`` also checks the gradient of the gradient.
"""

import numpy as np

import tinytf as tf


def _scalarize(out, direction):
    return tf.reduce_sum(out * tf.constant(direction))


def _value_and_grads(f, xs, dirs):
    ts = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        for t in ts:
            tape.watch(t)
        out = f(*ts)
        if dirs is None:
            dirs = np.random.default_rng(1).standard_normal(out.shape).astype(out.dtype.as_numpy_dtype)
        s = _scalarize(out, dirs)
    grads = tape.gradient(s, ts)
    return s, grads, dirs


def numeric_grads(f, xs, dirs, eps=1e-6):
    out = []
    for i, x in enumerate(xs):
        g = np.zeros_like(x)
        flat = g.reshape(-1)
        for j in range(x.size):
            xp_, xm_ = [a.copy() for a in xs], [a.copy() for a in xs]
            xp_[i].reshape(-1)[j] += eps
            xm_[i].reshape(-1)[j] -= eps
            fp = float(_scalarize(f(*[tf.constant(a) for a in xp_]), dirs).numpy())
            fm = float(_scalarize(f(*[tf.constant(a) for a in xm_]), dirs).numpy())
            flat[j] = (fp - fm) / (2 * eps)
        out.append(g)
    return out


def check_grad(f, xs, rtol=1e-5, atol=1e-6, order=1, wrt=None):
    """Asserts that tape gradients of ``f`` at ``xs`` (float64 arrays) match finite differences.

    ``wrt`` lists the argument indices to check (default: all float arguments).
    """
    xs = [np.asarray(x) for x in xs]
    wrt = [i for i, x in enumerate(xs) if x.dtype.kind in "fc"] if wrt is None else wrt
    _, grads, dirs = _value_and_grads(f, xs, None)
    num = numeric_grads(f, xs, dirs)
    for i in wrt:
        assert grads[i] is not None, f"no gradient for argument {i}"
        np.testing.assert_allclose(grads[i].numpy(), num[i], rtol=rtol, atol=atol,
                                   err_msg=f"gradient of argument {i}")
    if order >= 2:
        # Second order: check the gradient of g(x) = <grad f(x), v> numerically.
        def g(*ts):
            with tf.GradientTape() as inner:
                for t in ts:
                    inner.watch(t)
                s = _scalarize(f(*ts), dirs)
            gs = inner.gradient(s, list(ts))
            total = None
            for k in wrt:
                term = tf.reduce_sum(gs[k] * tf.constant(np.cos(np.arange(xs[k].size)).reshape(xs[k].shape)))
                total = term if total is None else total + term
            return total
        check_grad(g, xs, rtol=max(rtol, 1e-4), atol=max(atol, 1e-5), order=1, wrt=wrt)
