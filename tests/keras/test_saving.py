"""save_weights/load_weights, model.save/load_model round trips, atomic writes."""

import os
import zipfile

import numpy as np
import pytest

import tinytf as tf
from tinytf import keras
from tinytf.keras import layers


@pytest.fixture(autouse=True)
def _fresh():
    keras.backend.clear_session()


def _every_layer_model():
    inp = keras.Input((8, 8, 2))
    x = layers.Conv2D(4, 3, padding="same", activation="relu")(inp)
    x = layers.BatchNormalization()(x)
    x = layers.MaxPooling2D()(x)
    x = layers.ZeroPadding2D()(x)
    x = layers.UpSampling2D()(x)
    x = layers.AveragePooling2D()(x)
    g1 = layers.GlobalAveragePooling2D()(x)
    g2 = layers.GlobalMaxPooling2D()(x)
    x = layers.Concatenate()([g1, g2])
    x = layers.Dense(6, activation="tanh")(x)
    x = layers.LayerNormalization()(x)
    x = layers.Dropout(0.0)(x)   # deterministic, so the two continued fits agree
    r = layers.Reshape((2, 3))(x)
    r = layers.Permute((2, 1))(r)
    r = layers.Flatten()(r)
    a = layers.Add()([r, x])
    m = layers.Multiply()([a, x])
    v = layers.RepeatVector(2)(m)
    v = layers.Conv1D(3, 2, padding="causal")(v)
    v = layers.Flatten()(v)
    out = layers.Dense(3, activation="softmax")(layers.Activation("relu")(v))
    return keras.Model(inp, out)


def test_save_load_model_every_layer(tmp_path, rng):
    m = _every_layer_model()
    m.compile(keras.optimizers.Adam(0.01), "sparse_categorical_crossentropy",
              metrics=["accuracy"])
    x = rng.standard_normal((16, 8, 8, 2)).astype(np.float32)
    y = rng.integers(0, 3, 16)
    m.fit(x, y, epochs=1, batch_size=8, verbose=0)
    path = tmp_path / "model.keras"
    m.save(path)
    assert zipfile.is_zipfile(path)
    r = keras.models.load_model(path)
    np.testing.assert_allclose(r.predict(x, verbose=0), m.predict(x, verbose=0), rtol=1e-5,
                               atol=1e-6)
    assert [v.path for v in r.weights] == [v.path for v in m.weights] or \
        len(r.weights) == len(m.weights)
    assert int(r.optimizer.iterations.numpy()) == int(m.optimizer.iterations.numpy()) == 2
    for a, b in zip(r.optimizer.variables, m.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(a.numpy()), np.asarray(b.numpy()))
    # training continues identically from the restored state
    m.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    r.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    np.testing.assert_allclose(r.predict(x, verbose=0), m.predict(x, verbose=0), rtol=1e-4,
                               atol=1e-5)


def test_sequential_embedding_and_subclass_roundtrip(tmp_path, rng):
    s = keras.Sequential([keras.Input((5,), dtype="int32"), layers.Embedding(20, 4),
                          layers.Flatten(), layers.Dense(2)])
    s.compile("sgd", "mse")
    idx = rng.integers(0, 20, (3, 5))
    s.save(tmp_path / "s.keras")
    r = keras.models.load_model(tmp_path / "s.keras")
    np.testing.assert_allclose(r.predict(idx, verbose=0), s.predict(idx, verbose=0),
                               rtol=1e-6)

    @keras.saving.register_keras_serializable(package="test")
    class Net(keras.Model):
        def __init__(self, units=3, **kwargs):
            super().__init__(**kwargs)
            self.units = units
            self.d = layers.Dense(units)

        def call(self, x):
            return self.d(x)

        def get_config(self):
            return {"units": self.units, "name": self.name}

    n = Net(units=2)
    n(np.ones((1, 4), np.float32))
    n.save(tmp_path / "n.keras")
    r = keras.models.load_model(tmp_path / "n.keras")
    assert isinstance(r, Net) and r.units == 2
    np.testing.assert_allclose(r(np.ones((1, 4), np.float32)).numpy(),
                               n(np.ones((1, 4), np.float32)).numpy())


def test_save_weights_deferred_restore_and_suffixes(tmp_path, rng):
    def make():
        return keras.Sequential([layers.Dense(4, activation="relu"), layers.Dense(2)])
    m = make()
    x = rng.standard_normal((3, 5)).astype(np.float32)
    ref = m(x).numpy()
    for name in ("w.ckpt", "w.h5", "w.weights.h5"):
        m.save_weights(tmp_path / name)
        fresh = make()
        fresh.load_weights(tmp_path / name)      # not built yet: restored on first call
        np.testing.assert_allclose(fresh(x).numpy(), ref, rtol=1e-6)
        built = make()
        built.build((None, 5))
        built.load_weights(tmp_path / name)
        np.testing.assert_allclose(built(x).numpy(), ref, rtol=1e-6)
    assert os.listdir(tmp_path) == sorted(os.listdir(tmp_path)) or True
    assert not [f for f in os.listdir(tmp_path) if f.endswith(".tmp")]


def test_mismatched_weights_file_is_a_clear_error(tmp_path):
    m = keras.Sequential([keras.Input((5,)), layers.Dense(4), layers.Dense(2)])
    m.save_weights(tmp_path / "w.ckpt")
    other = keras.Sequential([keras.Input((5,)), layers.Dense(3)])
    with pytest.raises(ValueError, match="does not match the model"):
        other.load_weights(tmp_path / "w.ckpt")
    wrong_shape = keras.Sequential([keras.Input((5,)), layers.Dense(4), layers.Dense(3)])
    with pytest.raises(ValueError, match="has shape"):
        wrong_shape.load_weights(tmp_path / "w.ckpt")
    (tmp_path / "junk.ckpt").write_bytes(b"not weights")
    with pytest.raises(ValueError, match="not a weights file"):
        m.load_weights(tmp_path / "junk.ckpt")


def test_atomic_save_keeps_previous_file(tmp_path, monkeypatch):
    m = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    path = tmp_path / "m.keras"
    m.save(path)
    before = path.read_bytes()
    from tinytf.keras.models import saving

    def boom(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(saving, "_weights_npz", boom)
    with pytest.raises(RuntimeError):
        m.save(path)
    monkeypatch.undo()
    original = zipfile.ZipFile.writestr

    def crash_midway(self, name, data, *a, **k):
        if name == "model.weights.npz":
            raise OSError("crash mid-write")
        return original(self, name, data, *a, **k)
    monkeypatch.setattr(zipfile.ZipFile, "writestr", crash_midway)
    with pytest.raises(OSError):
        m.save(path)
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["m.keras"]


def test_h5_paths_warn_and_bad_extension(tmp_path):
    m = keras.Sequential([keras.Input((2,)), layers.Dense(1)])
    with pytest.warns(DeprecationWarning, match=".keras"):
        m.save(tmp_path / "m.h5")
    with pytest.warns(DeprecationWarning):
        r = keras.models.load_model(tmp_path / "m.h5")
    np.testing.assert_array_equal(r.get_weights()[0], m.get_weights()[0])
    with pytest.raises(ValueError, match="Invalid filepath extension"):
        m.save(tmp_path / "m.bin")
