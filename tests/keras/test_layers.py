"""Keras layers: building, weights, tracking, config, values against NumPy."""

import warnings

import numpy as np
import pytest

import tinytf as tf
from tinytf import keras
from tinytf.keras import layers


@pytest.fixture(autouse=True)
def _fresh_names():
    keras.backend.clear_session()


def test_dense_lazy_build_names_and_values(rng):
    d = layers.Dense(3, activation="relu")
    assert not d.built and d.weights == []
    x = rng.standard_normal((4, 5))          # float64 NumPy input is cast to float32
    y = d(x)
    assert d.built and y.dtype == tf.float32
    assert [v.name for v in d.weights] == ["kernel", "bias"]
    assert [v.path for v in d.weights] == ["dense/kernel", "dense/bias"]
    k, b = d.get_weights()
    assert k.shape == (5, 3) and np.all(b == 0)
    np.testing.assert_allclose(y.numpy(), np.maximum(x.astype(np.float32) @ k + b, 0),
                               rtol=1e-5, atol=1e-6)
    assert d.count_params() == 18
    assert layers.Dense(2).name == "dense_1"


def test_dense_rank3_and_int_input():
    d = layers.Dense(2, kernel_initializer="ones", use_bias=False)
    y = d(np.ones((2, 3, 4), np.float32))
    assert y.shape == (2, 3, 2)
    np.testing.assert_allclose(y.numpy(), 4.0)
    assert d(np.ones((1, 4), np.int64)).dtype == tf.float32


def test_glorot_uniform_limits_and_seeds():
    init = keras.initializers.GlorotUniform(seed=1)
    a = init((100, 50)).numpy()
    limit = np.sqrt(6 / 150)
    assert a.max() <= limit and a.min() >= -limit and a.std() > limit / 3
    np.testing.assert_array_equal(a, keras.initializers.get("glorot_uniform").__class__(
        seed=1)((100, 50)).numpy())
    he = keras.initializers.HeNormal(seed=0)((400, 300)).numpy()
    assert abs(he.std() - np.sqrt(2 / 400)) < 0.1 * np.sqrt(2 / 400)
    t = keras.initializers.TruncatedNormal(stddev=1.0, seed=3)((1000,)).numpy()
    assert np.abs(t).max() <= 2.0
    q = keras.initializers.Orthogonal(seed=0)((6, 6)).numpy()
    np.testing.assert_allclose(q @ q.T, np.eye(6), atol=1e-5)
    assert keras.initializers.Constant(3.0)((2,)).numpy().tolist() == [3.0, 3.0]


def test_tracking_lists_dicts_and_trainable():
    class Block(layers.Layer):
        def __init__(self):
            super().__init__()
            self.parts = [layers.Dense(2), layers.Dense(3)]
            self.table = {"a": layers.Dense(1)}
            self.scale = tf.Variable(2.0)

        def call(self, x):
            return self.table["a"](self.parts[1](self.parts[0](x))) * self.scale

    b = Block()
    b(np.ones((1, 4), np.float32))
    assert len(b.weights) == 7 and len(b.trainable_weights) == 7
    b.parts[0].trainable = False
    assert len(b.trainable_weights) == 5 and len(b.non_trainable_weights) == 2
    b.trainable = False
    assert b.trainable_weights == [] and len(b.non_trainable_weights) == 7


def test_add_weight_regularizer_and_add_loss():
    class L(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 2), initializer="ones",
                                     regularizer=keras.regularizers.l2(0.1), name="w")

        def call(self, x):
            self.add_loss(tf.reduce_sum(x))
            return tf.matmul(x, self.w)

    layer = L()
    layer(np.ones((1, 3), np.float32))
    assert layer.w.path == "l/w"
    vals = sorted(float(v) for v in layer.losses)
    np.testing.assert_allclose(vals, [0.6, 3.0], rtol=1e-6)
    with pytest.warns(DeprecationWarning, match="add_weight"):
        layer.add_variable(shape=(1,), name="extra")


def test_training_flag_propagates():
    seen = []

    class Probe(layers.Layer):
        def call(self, x, training=None):
            seen.append(training)
            return x

    class Outer(layers.Layer):
        def __init__(self):
            super().__init__()
            self.p = Probe()

        def call(self, x):
            return self.p(x)

    o = Outer()
    o(np.ones((1, 1), np.float32), training=True)
    o(np.ones((1, 1), np.float32))
    assert seen == [True, None]


def test_batchnorm_train_vs_inference(rng):
    bn = layers.BatchNormalization(momentum=0.5)
    x = (rng.standard_normal((64, 3)) * 3 + 5).astype(np.float32)
    y = bn(x, training=True).numpy()
    ref = (x - x.mean(0)) / np.sqrt(x.var(0) + 1e-3)
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(bn.moving_mean.numpy(), 0.5 * x.mean(0), rtol=1e-5)
    np.testing.assert_allclose(bn.moving_variance.numpy(), 0.5 + 0.5 * x.var(0), rtol=1e-4)
    inf = bn(x, training=False).numpy()
    ref2 = (x - bn.moving_mean.numpy()) / np.sqrt(bn.moving_variance.numpy() + 1e-3)
    np.testing.assert_allclose(inf, ref2, rtol=1e-4, atol=1e-4)
    assert [w.name for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    assert len(bn.trainable_weights) == 2


def test_batchnorm_conv_gradients(rng):
    bn = layers.BatchNormalization()
    x = tf.constant(rng.standard_normal((4, 3, 3, 2)).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.square(bn(x, training=True)))
    gx, gg = tape.gradient(y, [x, bn.gamma])
    assert gx.shape == x.shape and gg.shape == (2,)


def test_layer_normalization(rng):
    ln = layers.LayerNormalization()
    x = rng.standard_normal((3, 5)).astype(np.float32)
    ref = (x - x.mean(-1, keepdims=True)) / np.sqrt(x.var(-1, keepdims=True) + 1e-3)
    np.testing.assert_allclose(ln(x).numpy(), ref, rtol=1e-4, atol=1e-5)


def test_conv2d_matches_numpy(rng):
    conv = layers.Conv2D(2, 3, padding="valid", strides=1)
    x = rng.standard_normal((1, 5, 5, 3)).astype(np.float32)
    y = conv(x).numpy()
    k = conv.kernel.numpy()
    ref = np.zeros((1, 3, 3, 2), np.float32)
    for i in range(3):
        for j in range(3):
            ref[0, i, j] = np.tensordot(x[0, i:i + 3, j:j + 3], k, axes=3)
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)
    assert conv.kernel.shape == (3, 3, 3, 2)
    same = layers.Conv2D(4, 3, strides=2, padding="same", dilation_rate=1)
    assert same(np.zeros((2, 7, 7, 1), np.float32)).shape == (2, 4, 4, 4)
    dil = layers.Conv2D(1, 3, dilation_rate=2)
    assert dil(np.zeros((1, 9, 9, 1), np.float32)).shape == (1, 5, 5, 1)


def test_conv1d_causal_and_pooling_shapes(rng):
    x = rng.standard_normal((2, 10, 3)).astype(np.float32)
    assert layers.Conv1D(4, 3, padding="causal")(x).shape == (2, 10, 4)
    assert layers.Conv1D(4, 3)(x).shape == (2, 8, 4)
    assert layers.MaxPooling1D()(x).shape == (2, 5, 3)
    assert layers.GlobalMaxPooling1D()(x).shape == (2, 3)
    img = rng.standard_normal((2, 6, 6, 3)).astype(np.float32)
    mp = layers.MaxPooling2D()(img).numpy()
    np.testing.assert_allclose(mp, img.reshape(2, 3, 2, 3, 2, 3).max(axis=(2, 4)))
    ap = layers.AveragePooling2D()(img).numpy()
    np.testing.assert_allclose(ap, img.reshape(2, 3, 2, 3, 2, 3).mean(axis=(2, 4)),
                               rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layers.GlobalAveragePooling2D()(img).numpy(),
                               img.mean(axis=(1, 2)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layers.GlobalMaxPooling2D(keepdims=True)(img).numpy(),
                               img.max(axis=(1, 2), keepdims=True))


def test_reshaping_layers(rng):
    x = rng.standard_normal((2, 2, 3, 1)).astype(np.float32)
    up = layers.UpSampling2D((2, 3))(x).numpy()
    np.testing.assert_array_equal(up, x.repeat(2, axis=1).repeat(3, axis=2))
    zp = layers.ZeroPadding2D(((1, 0), (2, 1)))(x).numpy()
    np.testing.assert_array_equal(zp, np.pad(x, ((0, 0), (1, 0), (2, 1), (0, 0))))
    assert layers.Flatten()(x).shape == (2, 6)
    assert layers.Reshape((3, -1))(x).shape == (2, 3, 2)
    np.testing.assert_array_equal(layers.Permute((2, 1, 3))(x).numpy(),
                                  x.transpose(0, 2, 1, 3))
    v = rng.standard_normal((2, 4)).astype(np.float32)
    np.testing.assert_array_equal(layers.RepeatVector(3)(v).numpy(),
                                  np.repeat(v[:, None], 3, axis=1))


def test_merging_layers(rng):
    a, b = (rng.standard_normal((2, 3)).astype(np.float32) for _ in range(2))
    np.testing.assert_allclose(layers.Add()([a, b]).numpy(), a + b)
    np.testing.assert_allclose(layers.Subtract()([a, b]).numpy(), a - b)
    np.testing.assert_allclose(layers.Multiply()([a, b]).numpy(), a * b)
    np.testing.assert_allclose(layers.Average()([a, b]).numpy(), (a + b) / 2, rtol=1e-6)
    np.testing.assert_allclose(layers.Concatenate()([a, b]).numpy(), np.concatenate([a, b], -1))
    np.testing.assert_allclose(layers.Maximum()([a, b]).numpy(), np.maximum(a, b))


def test_dropout_training_only(rng):
    d = layers.Dropout(0.5)
    x = np.ones((200, 50), np.float32)
    np.testing.assert_array_equal(d(x).numpy(), x)
    y = d(x, training=True).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0} and 0.4 < (y == 0).mean() < 0.6


def test_embedding_lambda_activation(rng):
    e = layers.Embedding(10, 4)
    idx = np.array([[1, 2], [3, 9]])
    out = e(idx).numpy()
    np.testing.assert_array_equal(out, e.embeddings.numpy()[idx])
    assert np.abs(e.embeddings.numpy()).max() <= 0.05
    lam = layers.Lambda(lambda t: t * 2.0)
    np.testing.assert_allclose(lam(np.ones((1, 2), np.float32)).numpy(), 2.0)
    act = layers.Activation("softmax")
    s = act(np.array([[1.0, 2.0]], np.float32)).numpy()
    np.testing.assert_allclose(s, np.exp([[1, 2]]) / np.exp([[1, 2]]).sum(), rtol=1e-5)


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "softmax", "gelu", "elu",
                                  "selu", "softplus", "softsign", "swish", "linear"])
def test_activations_by_name(name):
    x = np.linspace(-2, 2, 6, dtype=np.float32).reshape(2, 3)
    f = keras.activations.get(name)
    out = f(tf.constant(x)).numpy()
    ref = {"relu": np.maximum(x, 0), "sigmoid": 1 / (1 + np.exp(-x)), "tanh": np.tanh(x),
           "linear": x, "softplus": np.log1p(np.exp(x)), "softsign": x / (1 + np.abs(x)),
           "swish": x / (1 + np.exp(-x)),
           "softmax": np.exp(x) / np.exp(x).sum(-1, keepdims=True),
           "elu": np.where(x > 0, x, np.exp(x) - 1),
           "selu": 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 *
                                                 (np.exp(x) - 1))}.get(name)
    if ref is not None:
        np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)
    assert keras.activations.serialize(f) == {"swish": "silu"}.get(name, name)


def test_regularizers():
    w = tf.constant([[1.0, -2.0]])
    assert float(keras.regularizers.L1(0.5)(w)) == pytest.approx(1.5)
    assert float(keras.regularizers.l2()(w)) == pytest.approx(0.05)
    assert float(keras.regularizers.l1_l2(l1=1.0, l2=1.0)(w)) == pytest.approx(8.0)
    assert isinstance(keras.regularizers.get("l1"), keras.regularizers.L1)


def test_get_config_roundtrip():
    d = layers.Dense(4, activation="tanh", kernel_regularizer="l2", name="dd")
    cfg = d.get_config()
    assert cfg["units"] == 4 and cfg["activation"] == "tanh" and cfg["name"] == "dd"
    assert cfg["kernel_initializer"]["class_name"] == "GlorotUniform"
    d2 = layers.Dense.from_config(cfg)
    assert d2.units == 4 and d2.activation is keras.activations.tanh
    c = layers.Conv2D.from_config(layers.Conv2D(3, 5, padding="same").get_config())
    assert c.kernel_size == (5, 5) and c.padding == "same"


def test_set_weights_errors():
    d = layers.Dense(2)
    d.build((None, 3))
    with pytest.raises(ValueError, match="expecting 2 weights"):
        d.set_weights([np.zeros((3, 2))])
    with pytest.raises(ValueError, match="not compatible"):
        d.set_weights([np.zeros((3, 3)), np.zeros(2)])


def test_input_shape_kwarg_builds_sequential():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = keras.Sequential([layers.Dense(3, input_shape=(4,)), layers.Dense(1)])
    assert m.built and m.output_shape == (None, 1)
    with pytest.warns(DeprecationWarning, match="keras.Sequential"):
        assert keras.layers.Sequential is keras.Sequential


def test_reshape_and_dense_reject_bad_shapes_like_keras():
    x = np.ones((3, 4), np.float32)
    with pytest.raises(ValueError, match=r"total size of the tensor must be unchanged. "
                                         r"Received: input_shape=\(4,\), target_shape=\(4, 3\)"):
        layers.Reshape((4, 3))(x)
    with pytest.raises(ValueError, match="cannot by divided"):
        layers.Reshape((-1, 5))(x)
    assert layers.Reshape((-1, 2))(x).shape == (3, 2, 2)
    with pytest.raises(ValueError, match="expected min_ndim=2, found ndim=1"):
        layers.Dense(3)(np.ones(4, np.float32))


def test_upsampling2d_bilinear_half_pixel_centres():
    # tf.image.resize's bilinear (half-pixel centres, edges clamped), as Keras uses
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4, 1)

    def ref_axis(a, axis, scale):
        n = a.shape[axis]
        src = np.clip((np.arange(n * scale) + 0.5) / scale - 0.5, 0, n - 1)
        lo = np.floor(src).astype(int)
        hi = np.minimum(lo + 1, n - 1)
        w = (src - lo).reshape([-1 if d == axis else 1 for d in range(a.ndim)])
        return np.take(a, lo, axis) * (1 - w) + np.take(a, hi, axis) * w

    got = layers.UpSampling2D((3, 2), interpolation="bilinear")(x).numpy()
    np.testing.assert_allclose(got, ref_axis(ref_axis(x, 1, 3), 2, 2), rtol=1e-6)
    # TF's values at the corners and the first interior sample
    np.testing.assert_allclose(got[0, [0, 1, 2, -1], 0, 0], [0., 0., 4 / 3, 8.], rtol=1e-6)
    with pytest.raises(NotImplementedError, match="'nearest' and 'bilinear' only"):
        layers.UpSampling2D(interpolation="bicubic")
