"""Sequential, functional and subclassed models; summary() against Keras 3's text."""

import numpy as np
import pytest

import tinytf as tf
from tinytf import keras
from tinytf.keras import layers


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    keras.backend.clear_session()
    monkeypatch.setenv("COLUMNS", "80")     # summary width follows the terminal, as Keras


# Printed by Keras 3.15 (TF backend) for the same models, 80-column terminal.
LENET_SUMMARY = """\
Model: "lenet"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ img (InputLayer)                │ (None, 28, 28, 1)      │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ conv2d (Conv2D)                 │ (None, 28, 28, 6)      │           156 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ max_pooling2d (MaxPooling2D)    │ (None, 14, 14, 6)      │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ batch_normalization             │ (None, 14, 14, 6)      │            24 │
│ (BatchNormalization)            │                        │               │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ flatten (Flatten)               │ (None, 1176)           │             0 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense (Dense)                   │ (None, 10)             │        11,770 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 11,950 (46.68 KB)
 Trainable params: 11,938 (46.63 KB)
 Non-trainable params: 12 (48.00 B)
"""

MULTI_SUMMARY = """\
Model: "functional"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ input_layer         │ (None, 3)         │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ input_layer_1       │ (None, 3)         │          0 │ -                 │
│ (InputLayer)        │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ add (Add)           │ (None, 3)         │          0 │ input_layer[0][0… │
│                     │                   │            │ input_layer_1[0]… │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ concatenate         │ (None, 6)         │          0 │ input_layer[0][0… │
│ (Concatenate)       │                   │            │ add[0][0]         │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
"""

SEQ_SUMMARY = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ (None, 256)            │       200,960 │
├─────────────────────────────────┼────────────────────────┼───────────────┤
│ dense_1 (Dense)                 │ (None, 10)             │         2,570 │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 203,530 (795.04 KB)
 Trainable params: 203,530 (795.04 KB)
 Non-trainable params: 0 (0.00 B)
"""

UNBUILT_SUMMARY = """\
Model: "sequential"
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓
┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩
│ dense (Dense)                   │ ?                      │   0 (unbuilt) │
└─────────────────────────────────┴────────────────────────┴───────────────┘
 Total params: 0 (0.00 B)
 Trainable params: 0 (0.00 B)
 Non-trainable params: 0 (0.00 B)
"""


def test_summary_sequential(capsys):
    m = keras.Sequential([keras.Input((784,)), layers.Dense(256, activation="relu"),
                          layers.Dense(10)])
    m.summary()
    assert capsys.readouterr().out == SEQ_SUMMARY
    assert m.weights[0].path == "sequential/dense/kernel"


def test_summary_unbuilt(capsys):
    keras.Sequential([layers.Dense(4)]).summary()
    assert capsys.readouterr().out == UNBUILT_SUMMARY


def test_summary_functional(capsys):
    i = keras.Input((28, 28, 1), name="img")
    x = layers.Conv2D(6, 5, padding="same", activation="relu")(i)
    x = layers.MaxPooling2D()(x)
    x = layers.BatchNormalization()(x)
    x = layers.Flatten()(x)
    m = keras.Model(i, layers.Dense(10)(x), name="lenet")
    m.summary()
    assert capsys.readouterr().out == LENET_SUMMARY
    a, b = keras.Input((3,)), keras.Input((3,))
    c = layers.Add()([a, b])
    g = keras.Model([a, b], [c, layers.Concatenate()([a, c])])
    lines = []
    g.summary(print_fn=lines.append)
    assert lines[0] == MULTI_SUMMARY


def test_sequential_add_pop_build():
    m = keras.Sequential()
    m.add(layers.Dense(4))
    m.add(layers.Dense(2))
    assert not m.built
    m.build((None, 3))
    assert m.built and m.output_shape == (None, 2) and len(m.weights) == 4
    popped = m.pop()
    assert popped.units == 2 and len(m.layers) == 1
    with pytest.raises(ValueError, match="unique names"):
        m.add(layers.Dense(1, name=m.layers[0].name))
    m2 = keras.Sequential([layers.Dense(3)])
    y = m2(np.ones((5, 2)))
    assert y.shape == (5, 3) and m2.built


def test_functional_multi_io_and_shared_layers(rng):
    a, b = keras.Input((4,), name="a"), keras.Input((4,), name="b")
    shared = layers.Dense(3, name="shared")
    ha, hb = shared(a), shared(b)
    out1 = layers.Add()([ha, hb])
    out2 = layers.Dense(1)(layers.Concatenate()([ha, hb]))
    m = keras.Model(inputs=[a, b], outputs=[out1, out2])
    assert len(shared._inbound_nodes) == 2
    assert len(m.weights) == 4
    xa, xb = (rng.standard_normal((2, 4)).astype(np.float32) for _ in range(2))
    y1, y2 = m([xa, xb])
    k, bias = shared.get_weights()
    np.testing.assert_allclose(y1.numpy(), (xa @ k + bias) + (xb @ k + bias), rtol=1e-5,
                               atol=1e-6)
    assert y2.shape == (2, 1)
    d = keras.Model({"a": a, "b": b}, out1)
    np.testing.assert_allclose(d({"a": xa, "b": xb}).numpy(), y1.numpy(), rtol=1e-6)


def test_keras_tensor_operators_and_errors():
    x = keras.Input((3,))
    assert x.shape == (None, 3) and x.dtype == "float32"
    y = (x * 2.0 + 1.0)[:, :2]
    m = keras.Model(x, y)
    np.testing.assert_allclose(m(np.ones((1, 3), np.float32)).numpy(), [[3.0, 3.0]])
    other = keras.Input((3,))
    with pytest.raises(ValueError, match="disconnected"):
        keras.Model(x, layers.Add()([x, other]))


def test_subclassed_model_training_flag_and_tracking(rng):
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.body = [layers.Dense(8, activation="relu"), layers.Dropout(0.99)]
            self.head = layers.Dense(2)

        def call(self, x, training=False):
            for layer in self.body:
                x = layer(x, training=training)
            return self.head(x)

    net = Net()
    assert net.name == "net"
    x = rng.standard_normal((4, 3)).astype(np.float32)
    np.testing.assert_allclose(net(x).numpy(), net(x, training=False).numpy())
    assert [v.path for v in net.trainable_variables][:2] == ["net/dense/kernel",
                                                            "net/dense/bias"]
    assert net.count_params() == 3 * 8 + 8 + 8 * 2 + 2
    assert [l.name for l in net.layers] == ["dense", "dropout", "dense_1"]


def test_nested_models(rng):
    inner = keras.Sequential([layers.Dense(3)])
    inp = keras.Input((2,))
    out = layers.Dense(1)(inner(inp))
    m = keras.Model(inp, out)
    assert len(m.weights) == 4
    assert m(rng.standard_normal((5, 2))).shape == (5, 1)


def test_get_layer_and_config_roundtrip():
    m = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="d")])
    assert m.get_layer("d") is m.layers[0] and m.get_layer(index=0) is m.layers[0]
    cfg = m.get_config()
    assert cfg["layers"][0]["class_name"] == "InputLayer"
    assert cfg["layers"][1]["config"]["units"] == 2
    m2 = keras.Sequential.from_config(cfg)
    assert m2.output_shape == (None, 2)
    clone = keras.models.clone_model(m)
    assert clone.output_shape == (None, 2) and clone.weights[0] is not m.weights[0]


def test_namespaces():
    from tinytf.keras import (activations, backend, callbacks, constraints,  # noqa: F401
                              initializers, losses, metrics, models, optimizers, regularizers)
    assert tf.keras.Sequential is keras.Sequential is models.Sequential
    assert tf.keras.layers.Dense is layers.Dense
    assert keras.Model is models.Model and keras.Input is layers.Input
    assert backend.floatx() == "float32" and backend.epsilon() == 1e-7
    backend.set_floatx("float64")
    try:
        assert layers.Dense(1).dtype == "float64"
    finally:
        backend.set_floatx("float32")
    keras.backend.clear_session()
    assert layers.Dense(1).name == "dense"


def test_variable_repr_and_keras2_positional_add_weight():
    class L(layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", (2,), initializer="zeros")

        def call(self, x):
            return x + self.w

    layer = L()
    layer(np.ones((1, 2), np.float32))
    assert repr(layer.w) == "<Variable path=l/w, shape=(2,), dtype=float32, value=[0. 0.]>"
    assert isinstance(layer.w, tf.Variable)
