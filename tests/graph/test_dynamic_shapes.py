"""Shapes known only at run time inside graphs: tf.function with None dimensions and TF1
placeholders of shape [None, ...]. Static shapes asserted here are what TF 2.21 prints
while tracing the same code (checked with /work/peers/bin/python); values against NumPy."""

import numpy as np
import pytest

import tinytf as tf
import tinytf.compat.v1 as v1
from gradcheck import check_grad

SPEC = tf.TensorSpec([None, 784], tf.float32)


def _trace(fn, spec=SPEC):
    """Traces ``fn`` under ``spec``; returns (function, static shapes seen while tracing)."""
    seen = []

    @tf.function(input_signature=[spec])
    def f(x):
        out = fn(x)
        seen.extend(o.shape.as_list() for o in tf.nest.flatten(out))
        return out
    f.get_concrete_function()
    return f, seen


@pytest.mark.parametrize("fn, static", [
    (lambda x: tf.reshape(x, [tf.shape(x)[0], -1, 28]), [None, None, 28]),
    (lambda x: tf.reshape(x, [-1, 28, 28, 1]), [None, 28, 28, 1]),
    (lambda x: tf.reshape(x, tf.stack([tf.shape(x)[1], tf.shape(x)[0]])), [784, None]),
    (lambda x: tf.reshape(x, [tf.shape(x)[1] * 2, -1]), [1568, None]),
    (lambda x: tf.reshape(x, tf.shape(x)), [None, 784]),
    (lambda x: tf.reshape(x, [-1, tf.shape(x)[0]]), [None, None]),
    (lambda x: tf.zeros([tf.shape(x)[1], tf.shape(x)[0], 3]), [784, None, 3]),
    (lambda x: tf.zeros(tf.concat([tf.shape(x)[:1], [5]], 0)), [None, 5]),
    (lambda x: tf.zeros(tf.shape(x)[1:]), [784]),
    (lambda x: tf.ones([tf.shape(x)[0], 3]), [None, 3]),
    (lambda x: tf.fill(tf.shape(x), 3), [None, 784]),
    (lambda x: tf.random.uniform(tf.shape(x)), [None, 784]),
    (lambda x: tf.random.normal([tf.shape(x)[0], 10]), [None, 10]),
    (lambda x: tf.broadcast_to(x[:, :1], [tf.shape(x)[0], 4]), [None, 4]),
    (lambda x: tf.tile(x, [tf.shape(x)[0], 1]), [None, 784]),
    (lambda x: tf.range(1, tf.shape(x)[0], 2), [None]),
    (lambda x: tf.one_hot(tf.shape(x), tf.shape(x)[0], axis=0), [None, 2]),
    (lambda x: tf.slice(x, [0, tf.shape(x)[0]], [-1, 3]), [None, 3]),
    (lambda x: tf.slice(x, [0, 0], [tf.shape(x)[0], -1]), [None, None]),
    (lambda x: tf.slice(x, tf.stack([0, tf.shape(x)[0]]), [2, -1]), [2, None]),
    (lambda x: x[:tf.shape(x)[0] // 2], [None, 784]),
    (lambda x: x[1:tf.shape(x)[0], 0], [None]),
    (lambda x: x[tf.shape(x)[0] - 1], [784]),
    (lambda x: x[tf.shape(x)[0] - 1, 2:5], [None]),
    (lambda x: tf.strided_slice(x, [0, 0], [tf.shape(x)[0] // 2, 3]), [None, None]),
    (lambda x: tf.expand_dims(x, 1), [None, 1, 784]),
    (lambda x: tf.squeeze(x[:, None, :], 1), [None, 784]),
    (lambda x: tf.nn.dropout(x, 0.5), [None, 784]),
])
def test_static_shapes_while_tracing_match_tf(fn, static):
    _, seen = _trace(fn)
    assert seen == [static]


def test_split_static_shapes_match_tf():
    _, seen = _trace(lambda x: tf.split(x, [tf.shape(x)[0], 784 - tf.shape(x)[0]], axis=1))
    assert seen == [[None, None], [None, None]]
    _, seen = _trace(lambda x: tf.split(x, [tf.shape(x)[1] - 4, 4], axis=1))
    assert seen == [[None, 780], [None, 4]]


@pytest.mark.parametrize("n", [3, 5])
def test_values_for_two_batch_sizes(n):
    rng = np.random.default_rng(n)
    xv = rng.standard_normal((n, 784)).astype(np.float32)

    @tf.function(input_signature=[SPEC])
    def f(x):
        b = tf.shape(x)[0]
        return (tf.reshape(x, [b, -1, 28]), tf.zeros([b, 3]), tf.ones(tf.shape(x)[:1]),
                tf.fill([2, b], 7.), tf.broadcast_to(x[:, :1], [b, 4]),
                tf.tile(x[:, :2], [1, b]), tf.range(b), tf.range(1, b, 2, dtype=tf.float32),
                tf.one_hot([0, 2], b), tf.slice(x, [1, 2], [b - 1, 3]),
                tf.slice(x, [0, b], [-1, 2]), tf.strided_slice(x, [0, 1], [b, 9], [2, 3]),
                x[1:b, b], tf.split(x[:, :10], [b, 10 - b], axis=1))
    out = f(tf.constant(xv))
    want = (xv.reshape(n, -1, 28), np.zeros((n, 3)), np.ones(n), np.full((2, n), 7.),
            np.broadcast_to(xv[:, :1], (n, 4)), np.tile(xv[:, :2], (1, n)), np.arange(n),
            np.arange(1, n, 2, dtype=np.float32), np.eye(n)[[0, 2]], xv[1:, 2:5],
            xv[:, n:n + 2], xv[0:n:2, 1:9:3], xv[1:n, n],
            [xv[:, :n], xv[:, n:10]])
    for got, exp in zip(tf.nest.flatten(out), tf.nest.flatten(want)):
        assert got.shape == np.shape(exp)
        np.testing.assert_allclose(got.numpy(), exp, rtol=1e-6)
    assert out[6].dtype == tf.int32 and out[7].dtype == tf.float32
    assert f.experimental_get_tracing_count() == 1


def test_random_ops_with_run_time_shapes():
    @tf.function(input_signature=[SPEC])
    def f(x):
        b = tf.shape(x)[0]
        return (tf.random.uniform(tf.shape(x)), tf.random.normal([b, 10]),
                tf.random.truncated_normal([b, 2]), tf.random.uniform([b], 0, 5, tf.int32),
                tf.random.stateless_uniform([b, 3], seed=[1, 2]),
                tf.random.stateless_normal([b, 3], seed=[1, 2]),
                tf.random.Generator.from_seed(3).normal([b, 2]))
    for n in (2, 6):
        out = f(tf.zeros([n, 784]))
        shapes = [o.shape.as_list() for o in out]
        assert shapes == [[n, 784], [n, 10], [n, 2], [n], [n, 3], [n, 3], [n, 2]]
        u = out[0].numpy()
        assert 0 <= u.min() and u.max() < 1 and u.std() > 0.2
        assert np.abs(out[2].numpy()).max() <= 2
        assert 0 <= out[3].numpy().min() and out[3].numpy().max() < 5
    # stateless: the same seed gives the same numbers whatever the batch (prefix rows agree
    # with an eager call of the same shape)
    np.testing.assert_allclose(f(tf.zeros([4, 784]))[4].numpy(),
                               tf.random.stateless_uniform([4, 3], seed=[1, 2]).numpy())


def test_gradients_through_run_time_shapes():
    w = tf.Variable(np.arange(12.).reshape(3, 4) / 10)

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float64)])
    def f(x):
        with tf.GradientTape() as tape:
            b = tf.shape(x)[0]
            h = tf.reshape(tf.matmul(x, w), [b, 2, 2])                        # Reshape
            h = h * tf.broadcast_to(tf.constant(2., tf.float64), [b, 2, 2])     # BroadcastTo
            h = tf.tile(h, [1, b, 1])                                           # Tile
            h = tf.slice(h, [0, 1, 0], [b, -1, 2])                               # Slice
            h = h + tf.fill([b, 1, 1], tf.reduce_sum(w))                         # Fill
            loss = tf.reduce_sum(h * h)
        return loss, tape.gradient(loss, w)

    for n in (2, 3):
        xv = np.random.default_rng(n).standard_normal((n, 3))
        loss, g = f(tf.constant(xv))

        def ref(wv):
            h = (xv @ wv).reshape(n, 2, 2) * 2
            h = np.tile(h, (1, n, 1))[:, 1:, :] + wv.sum()
            return (h * h).sum()
        wv = w.numpy()
        np.testing.assert_allclose(loss.numpy(), ref(wv))
        num = np.zeros_like(wv)
        for idx in np.ndindex(*wv.shape):
            e = np.zeros_like(wv)
            e[idx] = 1e-6
            num[idx] = (ref(wv + e) - ref(wv - e)) / 2e-6
        np.testing.assert_allclose(g.numpy(), num, rtol=1e-5)


def test_eager_gradient_of_run_time_ops_matches_numeric():
    # The dynamic forms replayed eagerly (what tapes see when a function is called under one)
    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float64)])
    def g(x):
        b = tf.shape(x)[0]
        y = tf.slice(tf.tile(tf.reshape(x * x, [b, 2, 2]), [1, 1, b]), [0, 0, 1], [b, 2, -1])
        return tf.split(y, [b - 1, 2 * b - 1 - (b - 1)], axis=2)[0] * \
            tf.broadcast_to(x[:1, :1], [b, 2, 1])
    check_grad(g, [np.random.default_rng(0).standard_normal((3, 4))], order=2)


def test_keras_dropout_trains_with_none_batch_signature():
    tf.random.set_seed(0)
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 784)).astype(np.float32)
    y = (x[:, :10].argmax(1)).astype(np.int64)
    layers = tf.keras.layers     # (importing keras.layers first: see the report)
    model = tf.keras.Sequential([layers.Dense(32, activation="relu"), layers.Dropout(0.3),
                                 layers.Dense(10)])
    model.build((None, 784))
    opt = tf.keras.optimizers.Adam(0.01)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function(input_signature=[tf.TensorSpec([None, 784]), tf.TensorSpec([None], tf.int64)])
    def step(xb, yb):
        with tf.GradientTape() as tape:
            logits = model(xb, training=True)
            assert logits.shape.as_list() == [None, 10]
            loss = loss_fn(yb, logits)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    losses = [float(step(x[i:i + b], y[i:i + b])) for _ in range(15)
              for i, b in ((0, 32), (32, 20), (52, 12))]
    # one signature, but the first trace creates the optimizer's slots, so it runs twice
    # (TF counts 2 as well)
    assert step.experimental_get_tracing_count() == 2
    assert np.mean(losses[-3:]) < 0.5 * np.mean(losses[:3])


def test_keras_dropout_under_reduce_retracing():
    layer = tf.keras.layers.Dropout(0.5)

    @tf.function(reduce_retracing=True)
    def f(x):
        return layer(x, training=True)

    for n in (4, 6, 9):
        out = f(tf.ones([n, 784])).numpy()
        assert out.shape == (n, 784)
        assert set(np.unique(out)) <= {0.0, 2.0} and 0.3 < (out == 0).mean() < 0.7
    assert f.experimental_get_tracing_count() <= 2


def test_tf1_placeholder_reshape_with_two_batch_sizes():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [None, 784])
        img = tf.reshape(x, [-1, 28, 28, 1])
        flat = tf.reshape(x, [tf.shape(x)[0], -1])
        noise = tf.random.uniform(tf.shape(x))
        assert img.shape.as_list() == [None, 28, 28, 1]
        assert flat.shape.as_list() == [None, None]
        assert noise.shape.as_list() == [None, 784]
        with v1.Session() as sess:
            for n in (2, 5):
                xv = np.random.default_rng(n).standard_normal((n, 784)).astype(np.float32)
                a, b, c = sess.run([img, flat, noise], feed_dict={x: xv})
                np.testing.assert_array_equal(a, xv.reshape(n, 28, 28, 1))
                np.testing.assert_array_equal(b, xv)
                assert c.shape == (n, 784)


def test_tf1_gradients_through_run_time_reshape():
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float64, [None, 6])
        y = tf.reshape(x, [tf.shape(x)[0], 3, 2]) * tf.constant([1., 2.], tf.float64)
        dx, = v1.gradients(tf.reduce_sum(y), [x])
        assert dx.shape.as_list() == [None, 6]
        with v1.Session() as sess:
            got = sess.run(dx, {x: np.ones((4, 6))})
    np.testing.assert_array_equal(got, np.tile([1., 2.], (4, 3)))


def test_run_time_shape_errors_are_tf_errors():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        return tf.reshape(x, [tf.shape(x)[0] + 1, 2])

    with pytest.raises(tf.errors.InvalidArgumentError):
        f(tf.zeros([4]))

    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
    def z(s):
        return tf.zeros(s)

    assert z(tf.constant([2, 3])).shape == (2, 3)
    with pytest.raises(tf.errors.InvalidArgumentError):
        z(tf.constant([2, -3]))


def test_eager_paths_keep_attributes():
    # Eagerly (and when the value folds) the shape stays an attribute: one input.
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2, 3])
        r = tf.reshape(x, [tf.shape(x)[0], -1])
        z = tf.zeros(tf.shape(x))
    assert len(r.op.inputs) == 1 and r.op.get_attr("shape") == (2, -1)
    assert len(z.op.inputs) == 1 and r.shape.as_list() == [2, 3]
    assert tf.reshape(tf.zeros([6]), tf.constant([2, 3])).shape == (2, 3)


def test_nn_dropout_noise_shapes_in_graphs():
    @tf.function(input_signature=[tf.TensorSpec([None, 8])])
    def f(x):
        a = tf.nn.dropout(x, 0.5, noise_shape=[tf.shape(x)[0], 1])
        b = tf.nn.dropout(x, 0.5, noise_shape=tf.stack([tf.shape(x)[0], 1]))
        assert a.shape.as_list() == b.shape.as_list() == [None, 8]
        return a, b

    for n in (3, 40):
        for out in f(tf.ones([n, 8])):
            v = out.numpy()
            assert v.shape == (n, 8)
            assert set(np.unique(v)) <= {0.0, 2.0}
            assert (v == v[:, :1]).all()          # one draw per row: rows all kept or dropped

    @tf.function(input_signature=[tf.TensorSpec([None, 8])])
    def g(x):
        return tf.nn.dropout(x, 0.5, noise_shape=[None, 1])

    # TF 2.21: "Cannot convert a partially known TensorShape (None, 1) to a Tensor."
    with pytest.raises(ValueError, match=r"partially known TensorShape \(None, 1\)"):
        g.get_concrete_function()
