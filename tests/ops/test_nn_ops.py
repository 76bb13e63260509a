"""tf.nn activations, softmax, cross entropies, bias_add, dropout and normalisation:
values against NumPy, gradients against finite differences, and TF's printed text and
errors (read from TF 2.21 on this machine)."""

import math

import numpy as np
import pytest

import nn_ref
import tinytf as tf
from gradcheck import check_grad

rng = np.random.default_rng(11)
_erf = np.vectorize(math.erf)


def _f(*shape, dtype=np.float64):
    return rng.standard_normal(shape).astype(dtype)


def _away(*shape):
    v = _f(*shape)
    return np.where(np.abs(v) < 0.2, v + np.sign(v + 1e-12) * 0.2, v)


def _sig(x):
    return 1 / (1 + np.exp(-x))


ACTIVATIONS = [
    (tf.nn.relu, lambda x: np.maximum(x, 0)),
    (tf.nn.relu6, lambda x: np.clip(x, 0, 6)),
    # TF's float attrs and cast Python constants are float32: float64 inputs see
    # float32(0.2), float32(1/sqrt(2)) and float32(0.044715) (checked by conformance/)
    (tf.nn.leaky_relu, lambda x: np.where(x > 0, x, float(np.float32(0.2)) * x)),
    (tf.nn.elu, lambda x: np.where(x > 0, x, np.expm1(x))),
    (tf.nn.selu, lambda x: 1.0507009873554805 * np.where(x > 0, x,
                                                         1.6732632423543772 * np.expm1(x))),
    (tf.nn.softplus, lambda x: np.log1p(np.exp(x))),
    (tf.nn.softsign, lambda x: x / (1 + np.abs(x))),
    (tf.nn.gelu, lambda x: 0.5 * x * (1 + _erf(x * float(np.float32(1 / np.sqrt(2)))))),
    (lambda x: tf.nn.gelu(x, approximate=True),
     lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) *
                                      (x + float(np.float32(0.044715)) * x ** 3)))),
    (tf.nn.silu, lambda x: x * _sig(x)),
    (lambda x: tf.nn.swish(x, beta=2.0), lambda x: x * _sig(2 * x)),
    (tf.nn.sigmoid, _sig),
    (tf.nn.tanh, np.tanh),
]


@pytest.mark.parametrize("fn,ref", ACTIVATIONS)
def test_activation_values_and_dtype(fn, ref):
    x = _away(3, 5) * 3
    np.testing.assert_allclose(fn(x).numpy(), ref(x), rtol=1e-12, atol=1e-12)
    y = fn(x.astype(np.float32))
    assert y.dtype == tf.float32
    np.testing.assert_allclose(y.numpy(), ref(x), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("fn,ref", ACTIVATIONS)
def test_activation_gradients(fn, ref):
    smooth = fn not in (tf.nn.relu, tf.nn.relu6, tf.nn.leaky_relu)
    check_grad(fn, [_away(2, 4)], order=2 if smooth else 1, rtol=1e-5, atol=1e-6)


def test_activation_printing_and_ints_match_tf():
    assert str(tf.nn.relu([-1., 2.])) == "tf.Tensor([0. 2.], shape=(2,), dtype=float32)"
    assert str(tf.nn.relu(tf.constant([-1, 2]))) == \
        "tf.Tensor([0 2], shape=(2,), dtype=int32)"
    assert str(tf.nn.leaky_relu([-1, 2])) == \
        "tf.Tensor([-0.2  2. ], shape=(2,), dtype=float32)"
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[Op:Elu\]"):
        tf.nn.elu(tf.constant([1, 2]))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[Op:Relu\]"):
        tf.nn.relu(tf.constant([True]))


def test_relu_gradient_at_zero_is_zero_like_tf():
    _, g = _value_and_grad(tf.nn.relu, np.array([-1., 0., 2.]))
    np.testing.assert_array_equal(g, [0., 0., 1.])


def test_softplus_is_stable():
    y = tf.nn.softplus(tf.constant([-100., 0., 100.])).numpy()
    np.testing.assert_allclose(y, [np.exp(-100.), np.log(2.), 100.], rtol=1e-6, atol=1e-40)


# -- softmax --------------------------------------------------------------------------------

def test_softmax_matches_tf_and_is_stable():
    # TF 2.21 prints [0.09003057 0.24472848 0.6652409 ]; its vectorised exp differs from
    # NumPy's in the last bit, so compare values, not text.
    np.testing.assert_allclose(tf.nn.softmax([1., 2., 3.]).numpy(),
                               [0.09003057, 0.24472848, 0.6652409], rtol=2e-7)
    big = tf.constant([[1000., 1001., 1002.]])
    np.testing.assert_allclose(tf.nn.softmax(big).numpy(), nn_ref.softmax(np.array(
        [[0., 1., 2.]])), rtol=1e-6)
    assert np.isfinite(tf.nn.log_softmax(big).numpy()).all()


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_axis(axis):
    x = _f(3, 4, 2)
    np.testing.assert_allclose(tf.nn.softmax(x, axis=axis).numpy(), nn_ref.softmax(x, axis))
    np.testing.assert_allclose(tf.nn.log_softmax(x, axis=axis).numpy(),
                               nn_ref.log_softmax(x, axis))
    check_grad(lambda t: tf.nn.softmax(t, axis=axis), [x[:2, :2]], order=2)


def test_softmax_errors_match_tf():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"`dim` must be in the range \[-2, 2\) where 2 is the number of "
                             r"dimensions in the input\. Received: dim=2"):
        tf.nn.softmax(tf.ones((2, 3)), axis=2)
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Value for attr 'T' of int32 is not in the list"):
        tf.nn.softmax(tf.constant([1, 2]))


# -- cross entropies --------------------------------------------------------------------------

def test_softmax_cross_entropy_values_and_gradients():
    x, z = _f(4, 5), rng.dirichlet(np.ones(5), size=4)
    got = tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x)
    np.testing.assert_allclose(got.numpy(), -(z * nn_ref.log_softmax(x)).sum(-1))
    check_grad(lambda x, z: tf.nn.softmax_cross_entropy_with_logits(z, x), [x, z], order=2)
    x3, z3 = _f(2, 3, 4), rng.dirichlet(np.ones(4), size=(2, 3))
    got = tf.nn.softmax_cross_entropy_with_logits(z3, x3)
    assert got.shape == (2, 3)
    np.testing.assert_allclose(got.numpy(), -(z3 * nn_ref.log_softmax(x3)).sum(-1))
    got = tf.nn.softmax_cross_entropy_with_logits(z3.transpose(0, 2, 1),
                                                  x3.transpose(0, 2, 1), axis=1)
    np.testing.assert_allclose(got.numpy(), -(z3 * nn_ref.log_softmax(x3)).sum(-1))


def test_sparse_softmax_cross_entropy_values_and_gradients():
    x, z = _f(4, 5), np.array([0, 4, 2, 2], np.int32)
    want = -nn_ref.log_softmax(x)[np.arange(4), z]
    np.testing.assert_allclose(tf.nn.sparse_softmax_cross_entropy_with_logits(z, x).numpy(),
                               want)
    np.testing.assert_allclose(
        tf.nn.sparse_softmax_cross_entropy_with_logits(z.astype(np.int64), x).numpy(), want)
    check_grad(lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(z, x), [x], order=2)
    x3, z3 = _f(2, 3, 4), rng.integers(0, 4, (2, 3)).astype(np.int32)
    got = tf.nn.sparse_softmax_cross_entropy_with_logits(z3, x3)
    want = -np.take_along_axis(nn_ref.log_softmax(x3), z3[..., None], -1)[..., 0]
    np.testing.assert_allclose(got.numpy(), want)


def test_cross_entropy_errors_match_tf():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Received a label value of 5 which is outside the valid range "
                             r"of \[0, 3\)\.  Label values: 1 5"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 5], logits=tf.ones((2, 3)))
    with pytest.raises(ValueError,
                       match=r"`labels.shape.rank` must equal `logits.shape.rank - 1`\. "
                             r"Received: labels.shape=\(1, 2\) of rank 2 and "
                             r"logits.shape=\(2, 3\) of rank 2"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[1, 2]], logits=tf.ones((2, 3)))
    with pytest.raises(ValueError, match=r"`labels.shape` must equal `logits.shape` except for "
                                         r"the last dimension\. Received: labels.shape=\(3,\) "
                                         r"and logits.shape=\(2, 3\)"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1, 2, 0], logits=tf.ones((2, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="attr 'Tlabels' of float"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[1., 2.], logits=tf.ones((2, 3)))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"logits and labels must be broadcastable: logits_size=\[2,3\] "
                             r"labels_size=\[2,4\] \[Op:SoftmaxCrossEntropyWithLogits\]"):
        tf.nn.softmax_cross_entropy_with_logits(labels=tf.ones((2, 4)), logits=tf.ones((2, 3)))
    with pytest.raises(ValueError, match=r"`logits` and `labels` must have the same shape, "
                                         r"received \(\(2, 3\) vs \(2, 4\)\)\."):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.ones((2, 4)), logits=tf.ones((2, 3)))


def test_sigmoid_cross_entropy_matches_tf():
    # TF 2.21: values and gradient (note 0.5 - z at logits == 0).
    x, z = tf.constant([0., 1., -1.]), tf.constant([0., 1., 1.])
    with tf.GradientTape() as g:
        g.watch(x)
        loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    np.testing.assert_allclose(loss.numpy(), [0.6931472, 0.3132617, 1.3132617], rtol=1e-6)
    np.testing.assert_allclose(g.gradient(loss, x).numpy(), [0.5, -0.26894143, -0.7310586],
                               rtol=1e-6)
    xs, zs = _away(3, 4) * 10, rng.random((3, 4))
    got = tf.nn.sigmoid_cross_entropy_with_logits(labels=zs, logits=xs).numpy()
    np.testing.assert_allclose(got, np.maximum(xs, 0) - xs * zs + np.log1p(np.exp(-abs(xs))))
    check_grad(lambda x, z: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
               [xs / 10, zs])


# -- bias_add, l2, moments, batch normalization -----------------------------------------------

def test_bias_add_and_errors():
    x, b = _f(2, 3, 4), _f(4)
    np.testing.assert_allclose(tf.nn.bias_add(x, b).numpy(), x + b)
    b3 = _f(3)
    np.testing.assert_allclose(tf.nn.bias_add(x, b3, data_format="NCHW").numpy(),
                               x + b3[:, None])
    np.testing.assert_allclose(tf.nn.bias_add(x, b3, data_format="NC...").numpy(),
                               x + b3[:, None])
    check_grad(tf.nn.bias_add, [x, b])
    check_grad(lambda x, b: tf.nn.bias_add(x, b, data_format="NCHW"), [_f(2, 3, 2, 2), _f(3)])
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Must provide as many biases as the last dimension of the input "
                             r"tensor: \[4\] vs\. \[2,3\] \[Op:BiasAdd\]"):
        tf.nn.bias_add(tf.ones((2, 3)), tf.ones(4))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"Biases must be 1D: \[3,1\]"):
        tf.nn.bias_add(tf.ones((2, 3)), tf.ones((3, 1)))
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"Input tensor must be at least 2D: \[3\]"):
        tf.nn.bias_add(tf.ones((3,)), tf.ones(3))


def test_l2_loss_l2_normalize():
    x = _f(3, 4)
    np.testing.assert_allclose(tf.nn.l2_loss(x).numpy(), (x ** 2).sum() / 2)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"\[Op:L2Loss\]"):
        tf.nn.l2_loss(tf.constant([1, 2]))
    got = tf.nn.l2_normalize(tf.constant([[3., 4.], [0., 0.]]), axis=1)
    np.testing.assert_allclose(got.numpy(), [[0.6, 0.8], [0., 0.]])
    np.testing.assert_allclose(tf.nn.l2_normalize(x).numpy(), x / np.sqrt((x ** 2).sum()))
    check_grad(lambda t: tf.nn.l2_normalize(t, axis=0), [x], order=2)


def test_moments_and_batch_normalization():
    mean, var = tf.nn.moments(tf.constant([[1., 2.], [3., 5.]]), axes=[0])
    np.testing.assert_allclose(mean.numpy(), [2., 3.5])
    np.testing.assert_allclose(var.numpy(), [1., 2.25])
    mean, var = tf.nn.moments(tf.constant([[1., 2.], [3., 5.]]), axes=[0, 1], keepdims=True)
    assert mean.shape == (1, 1) and var.shape == (1, 1)
    np.testing.assert_allclose([mean.numpy()[0, 0], var.numpy()[0, 0]], [2.75, 2.1875])
    x = _f(4, 3)
    m, v = tf.nn.moments(x, axes=[0])
    np.testing.assert_allclose(v.numpy(), x.var(0))
    off, sc = _f(3), _f(3)
    y = tf.nn.batch_normalization(x, m, v, off, sc, 1e-3)
    np.testing.assert_allclose(y.numpy(), (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3) * sc + off)
    y = tf.nn.batch_normalization(x, m, v, None, None, 1e-3)
    np.testing.assert_allclose(y.numpy(), (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3))

    def bn(t):
        m, v = tf.nn.moments(t, axes=[0])
        return tf.nn.batch_normalization(t, m, v, None, None, 1e-3)
    check_grad(bn, [x])


# -- dropout ------------------------------------------------------------------------------------

def test_dropout_scales_kept_units_and_matches_mask_gradient():
    x = tf.ones((200, 50))
    y = tf.nn.dropout(x, 0.25, seed=3).numpy()
    assert set(np.unique(y)) <= {0., np.float32(1 / 0.75)}
    assert abs((y > 0).mean() - 0.75) < 0.02
    xv = tf.constant(_f(4, 5))
    tf.random.set_seed(5)
    with tf.GradientTape() as g:
        g.watch(xv)
        out = tf.nn.dropout(xv, 0.5, seed=1)
    grad = g.gradient(out, xv).numpy()
    np.testing.assert_allclose(grad, (out.numpy() != 0) * 2.0)


def test_dropout_seeds_noise_shape_and_rate_zero():
    tf.random.set_seed(1)
    a = tf.nn.dropout(tf.ones((3, 8)), 0.5, seed=7).numpy()
    tf.random.set_seed(1)
    b = tf.nn.dropout(tf.ones((3, 8)), 0.5, seed=7).numpy()
    np.testing.assert_array_equal(a, b)
    y = tf.nn.dropout(tf.ones((3, 8)), 0.5, noise_shape=[3, 1]).numpy()
    assert all(len(set(row)) == 1 for row in y)            # whole rows kept or dropped
    x = tf.constant([1., 2., 3.])
    np.testing.assert_array_equal(tf.nn.dropout(x, 0.0).numpy(), x.numpy())


def test_dropout_errors_match_tf():
    with pytest.raises(ValueError, match=r"`rate` must be a scalar tensor or a float in the "
                                         r"range \[0, 1\)\. Received: rate=1\.0"):
        tf.nn.dropout(tf.ones(3), 1.0)
    with pytest.raises(ValueError, match=r"Received: rate=-0\.1"):
        tf.nn.dropout(tf.ones(3), -0.1)
    with pytest.raises(ValueError, match=r"`x\.dtype` must be a floating point tensor as `x` "
                                         r"will be scaled\. Received: x_dtype=<dtype: 'int32'>"):
        tf.nn.dropout(tf.constant([1, 2]), 0.5)


def _value_and_grad(fn, x):
    t = tf.constant(x)
    with tf.GradientTape() as g:
        g.watch(t)
        y = fn(t)
    return y.numpy(), g.gradient(y, t).numpy()


def test_sparse_ce_checks_ranks_before_dtypes_like_tf():
    logits = tf.zeros([3, 4])
    with pytest.raises(ValueError, match="`labels.shape.rank` must equal"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(tf.zeros([3, 4]), logits)
    with pytest.raises(tf.errors.InvalidArgumentError, match="'Tlabels' of float32"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(tf.zeros([3]), logits)
