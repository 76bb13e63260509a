"""Buffer forwarding in compiled plans: an op with an in-place kernel variant writes into
its first input when that input's buffer is the plan's own (its last use, nothing else
refers to it), and only then."""

import collections

import numpy as np
import pytest

import tinytf as tf
from tinytf.graph import plan
from tinytf.ops import nn_ops

pytestmark = pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")


@pytest.fixture
def inplace_calls(monkeypatch):
    """Counts the calls of the in-place variants (plans bind them when compiled)."""
    calls = collections.Counter()
    for d in (nn_ops.BiasAdd, nn_ops.Relu, nn_ops.ReluGrad):
        def counted(*a, _f=d.inplace, _n=d.name, **k):
            calls[_n] += 1
            return _f(*a, **k)
        monkeypatch.setattr(d, "inplace", counted)
    return calls


def _data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((4, 5, 6, 3)).astype(np.float32)
    b = rng.standard_normal(3).astype(np.float32)
    return x, b


def test_a_chain_of_temporaries_is_computed_in_place(inplace_calls):
    x, b = _data()
    f = tf.function(lambda x, b: tf.nn.relu(tf.nn.bias_add(tf.sin(x), b)))
    got = f(x, b).numpy()
    want = np.maximum(np.sin(x) + b, 0)
    np.testing.assert_array_equal(got, want)
    assert inplace_calls == {"BiasAdd": 1, "Relu": 1}


def test_feeds_are_never_overwritten(inplace_calls):
    x, b = _data()
    keep = x.copy()
    f = tf.function(lambda x, b: tf.nn.relu(tf.nn.bias_add(x, b)))
    f(tf.constant(x), b)
    f(x, b)
    np.testing.assert_array_equal(x, keep)
    assert inplace_calls["BiasAdd"] == 0 and inplace_calls["Relu"] == 2


def test_a_value_that_is_also_returned_keeps_its_own_buffer(inplace_calls):
    x, b = _data()
    f = tf.function(lambda x, b: (tf.nn.relu(h := tf.nn.bias_add(tf.sin(x), b)), h))
    r, h = f(x, b)
    np.testing.assert_array_equal(h.numpy(), np.sin(x) + b)          # not relu'd in place
    np.testing.assert_array_equal(r.numpy(), np.maximum(np.sin(x) + b, 0))
    assert inplace_calls["Relu"] == 0


def test_a_value_with_a_live_view_keeps_its_own_buffer(inplace_calls):
    x, b = _data()

    def fn(x, b):
        h = tf.nn.bias_add(tf.sin(x), b)
        v = tf.reshape(h, [-1])                  # a NumPy view of h's buffer
        return tf.nn.relu(h), v
    r, v = tf.function(fn)(x, b)
    np.testing.assert_array_equal(v.numpy(), (np.sin(x) + b).ravel())
    np.testing.assert_array_equal(r.numpy(), np.maximum(np.sin(x) + b, 0))
    assert inplace_calls["Relu"] == 0


def test_a_value_used_again_later_keeps_its_own_buffer(inplace_calls):
    x, b = _data()
    f = tf.function(lambda x, b: tf.nn.relu(h := tf.nn.bias_add(tf.sin(x), b)) + h)
    want = np.maximum(np.sin(x) + b, 0) + (np.sin(x) + b)
    np.testing.assert_array_equal(f(x, b).numpy(), want)
    assert inplace_calls["Relu"] == 0


def test_training_gradients_match_eager(inplace_calls):
    x, b = _data(1)
    w = tf.Variable(np.random.default_rng(2).standard_normal((3, 3, 3, 4)).astype(np.float32))
    bias = tf.Variable(np.linspace(-1, 1, 4).astype(np.float32))

    def step(x):
        with tf.GradientTape() as tape:
            h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, 1, "SAME"), bias))
            loss = tf.reduce_sum(tf.nn.max_pool2d(h, 2, 2, "VALID") ** 2)
        return [loss] + tape.gradient(loss, [w, bias])
    want = [t.numpy() for t in step(tf.constant(x))]
    got = [t.numpy() for t in tf.function(step)(tf.constant(x))]
    for a, g in zip(want, got):
        np.testing.assert_allclose(g, a, rtol=1e-6, atol=1e-6)
    assert inplace_calls["ReluGrad"] >= 1 and inplace_calls["BiasAdd"] >= 1


def test_the_ownership_check_counts_references():
    d = np.ones(3)
    assert plan._owned(d)                               # one local holds it, as in plans
    other = d
    assert not plan._owned(d)                           # a second reference
    del other
    v = d[1:]
    assert not plan._owned(d)                           # a live view holds d
    assert not plan._owned(v)                           # a view of a live array
    d = np.ones(4).reshape(2, 2)
    assert plan._owned(d)                               # a view of an owner only it holds
    d.flags.writeable = False
    assert not plan._owned(d)
    assert not plan._owned([1, 2])


# -- the in-place kernels give the kernels' results bit for bit ---------------------------

def _same(a, b):
    assert a.dtype == b.dtype and a.shape == b.shape
    bits = [np.ascontiguousarray(v).reshape(-1).view(np.uint8) for v in (a, b)]
    assert np.array_equal(*bits)


@pytest.mark.parametrize("shape,fmt", [((2, 5, 7, 3), "NHWC"), ((2, 3, 5, 7), "NCHW"),
                                       ((6, 3), "NHWC"), ((200, 30, 40, 3), "NHWC")])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_bias_add_inplace_matches_the_kernel(shape, fmt, dtype):
    rng = np.random.default_rng(3)
    x = (rng.standard_normal(shape) * 10).astype(dtype)
    b = (rng.standard_normal(shape[1] if fmt == "NCHW" else shape[-1]) * 10).astype(dtype)
    want = nn_ops.BiasAdd.kernel(np, x, b, data_format=fmt)
    got = nn_ops.BiasAdd.inplace(np, x.copy(), b, data_format=fmt)
    _same(got, want)
    xt = np.asfortranarray(x)                       # not C-contiguous: the plain add
    _same(nn_ops.BiasAdd.inplace(np, xt, b, data_format=fmt), want)


def test_bias_add_inplace_raises_the_kernels_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="as many biases"):
        nn_ops.BiasAdd.inplace(np, np.ones((2, 3), np.float32), np.ones(4, np.float32),
                               data_format="NHWC")


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int8, np.uint16])
@pytest.mark.parametrize("shape", [(), (7,), (4, 300, 300)])
def test_relu_inplace_matches_the_kernel(dtype, shape):
    x = (np.random.default_rng(4).standard_normal(shape) * 50).astype(dtype)
    if x.dtype.kind == "f" and x.ndim:
        x.ravel()[:3] = [np.nan, -0.0, np.inf]
    want = nn_ops.Relu.kernel(np, x)
    got = nn_ops.Relu.inplace(np, np.array(x, copy=True))
    _same(np.asarray(got), np.asarray(want))


@pytest.mark.parametrize("shape", [(5,), (4, 300, 300)])
def test_relu_grad_inplace_matches_the_kernel(shape):
    rng = np.random.default_rng(5)
    dy = rng.standard_normal(shape).astype(np.float32)
    y = np.maximum(rng.standard_normal(shape).astype(np.float32), 0)
    dy.ravel()[:3] = [np.nan, -1.0, np.inf]
    y.ravel()[:3] = [0.0, 0.0, 0.0]
    want = nn_ops.ReluGrad.kernel(np, dy, y)
    got = nn_ops.ReluGrad.inplace(np, dy.copy(), y)
    _same(got, want)
