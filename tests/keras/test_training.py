"""compile/fit/evaluate/predict, train_on_batch, callbacks, hand-written loops."""

import warnings

import numpy as np
import pytest

import tinytf as tf
from tinytf import keras
from tinytf.keras import layers


@pytest.fixture(autouse=True)
def _fresh():
    keras.backend.clear_session()


def _blobs(rng, n=256):
    """Three separable Gaussian clusters in 4-D with integer labels."""
    centers = np.array([[3, 0, 0, 0], [0, 3, 0, 0], [0, 0, 3, 0]], np.float64)
    y = rng.integers(0, 3, n)
    x = centers[y] + rng.standard_normal((n, 4)) * 0.5
    return x, y


def _mlp():
    return keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(3)])


@pytest.mark.parametrize("run_eagerly", [True, False])
def test_fit_learns_and_returns_history(rng, run_eagerly):
    x, y = _blobs(rng)
    m = _mlp()
    m.compile(optimizer=keras.optimizers.Adam(0.05),
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"], run_eagerly=run_eagerly)
    h = m.fit(x, y, batch_size=32, epochs=5, verbose=0, validation_split=0.25)
    assert sorted(h.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert h.epoch == [0, 1, 2, 3, 4] and h.params["epochs"] == 5 and h.params["steps"] == 6
    assert h.history["loss"][-1] < h.history["loss"][0]
    assert h.history["val_accuracy"][-1] > 0.9
    loss, acc = m.evaluate(x, y, verbose=0)
    d = m.evaluate(x, y, verbose=0, return_dict=True)
    assert d == {"loss": loss, "accuracy": acc} or (
        d["loss"] == pytest.approx(loss) and d["accuracy"] == pytest.approx(acc))
    assert acc > 0.9
    p = m.predict(x, batch_size=100, verbose=0)
    assert isinstance(p, np.ndarray) and p.shape == (256, 3) and p.dtype == np.float32
    assert (p.argmax(-1) == y).mean() == pytest.approx(acc, abs=1e-6)


def test_evaluate_loss_is_weighted_by_batch_size(rng):
    x, y = _blobs(rng, 70)
    m = _mlp()
    m.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    full = m.evaluate(x, y, batch_size=70, verbose=0)
    batched = m.evaluate(x, y, batch_size=32, verbose=0)
    assert full == pytest.approx(batched, rel=1e-5)
    logits = m.predict(x, verbose=0)
    ref = np.mean(np.log(np.exp(logits).sum(-1)) - logits[np.arange(70), y])
    assert full == pytest.approx(ref, rel=1e-4)


def test_accuracy_resolution_by_loss(rng):
    x, y = _blobs(rng, 64)
    onehot = np.eye(3, dtype=np.float32)[y]
    m = _mlp()
    m.compile("adam", "categorical_crossentropy", metrics=["accuracy"])
    m.fit(x, onehot, verbose=0)
    assert type(m.metrics[1]).__name__ == "CategoricalAccuracy"
    b = keras.Sequential([layers.Dense(1, activation="sigmoid")])
    b.compile("adam", "binary_crossentropy", metrics=["acc"])
    h = b.fit(x, (y == 0).astype("float32"), verbose=0)
    assert "acc" in h.history and type(b.metrics[1]).__name__ == "BinaryAccuracy"


def test_fit_with_tensors_and_dataset(rng):
    x, y = _blobs(rng, 96)
    m = _mlp()
    m.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
    h = m.fit(tf.constant(x.astype(np.float32)), tf.constant(y), epochs=1, batch_size=32,
              verbose=0)
    assert len(h.history["loss"]) == 1
    ds = tf.data.Dataset.from_tensor_slices((x.astype(np.float32), y)).batch(32)
    h2 = m.fit(ds, epochs=2, verbose=0, validation_data=ds)
    assert len(h2.history["val_loss"]) == 2
    r = m.evaluate(ds, verbose=0, return_dict=True)
    assert set(r) == {"loss", "accuracy"}
    assert m.predict(ds, verbose=0).shape == (96, 3)


def test_train_test_predict_on_batch(rng):
    x, y = _blobs(rng, 32)
    m = _mlp()
    m.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
    out = m.train_on_batch(x, y)
    assert isinstance(out, list) and len(out) == 2 and all(isinstance(v, float) for v in out)
    d = m.test_on_batch(x, y, return_dict=True)
    assert set(d) == {"loss", "accuracy"}
    p = m.predict_on_batch(x)
    assert isinstance(p, np.ndarray) and p.shape == (32, 3)
    m2 = _mlp()
    m2.compile("sgd", "mse")
    assert isinstance(m2.train_on_batch(x, np.zeros((32, 3))), float)


def test_callbacks_early_stopping_and_custom(rng):
    x, y = _blobs(rng, 64)
    events = []

    class Recorder(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            events.append((epoch, sorted(logs)))

        def on_train_batch_end(self, batch, logs=None):
            events.append("b")

    m = _mlp()
    m.compile(keras.optimizers.SGD(0.0), keras.losses.SparseCategoricalCrossentropy(
        from_logits=True))
    h = m.fit(x, y, epochs=20, batch_size=32, verbose=0,
              callbacks=[Recorder(), keras.callbacks.EarlyStopping(monitor="loss",
                                                                   patience=1)])
    assert len(h.epoch) < 20           # zero learning rate: no improvement, stops early
    assert events[:3] == ["b", "b", (0, ["loss"])]


def test_progress_output(rng, capsys):
    x, y = _blobs(rng, 64)
    m = _mlp()
    m.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
    m.fit(x, y, epochs=2, batch_size=32, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "Epoch 2/2" in out and "accuracy:" in out and "loss:" in out


def test_sample_and_class_weights(rng):
    x, y = _blobs(rng, 64)
    m = _mlp()
    m.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    base = m.evaluate(x, y, verbose=0)
    zero = m.evaluate(x, y, sample_weight=np.zeros(64), verbose=0)
    assert zero == pytest.approx(0.0, abs=1e-7) and base > 0
    m.fit(x, y, class_weight={0: 1.0, 1: 2.0, 2: 0.5}, verbose=0)


def test_regularization_losses_in_training(rng):
    x, y = _blobs(rng, 32)
    m = keras.Sequential([layers.Dense(3, kernel_regularizer=keras.regularizers.l2(10.0))])
    m.compile("sgd", "mse")
    loss = m.evaluate(x, np.zeros((32, 3)), verbose=0)
    pred = m.predict(x, verbose=0)
    reg = 10.0 * np.sum(m.layers[0].kernel.numpy() ** 2)
    assert loss == pytest.approx(np.mean(pred ** 2) + reg, rel=1e-4)


def test_hand_written_loops(rng):
    x, y = _blobs(rng, 128)
    x = x.astype(np.float32)
    onehot = np.eye(3, dtype=np.float32)[y]
    model = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(3)])
    optimizer = keras.optimizers.SGD(learning_rate=0.05)

    def step(xb, yb):
        with tf.GradientTape() as tape:
            out = model(tf.reshape(xb, (-1, 4)))
            loss = tf.reduce_sum(tf.square(out - yb)) / xb.shape[0]
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    first = float(step(x, onehot))
    for _ in range(30):
        last = float(step(x, onehot))
    assert last < first / 2
    compiled = tf.function(step)
    for _ in range(30):
        c = float(compiled(tf.constant(x), tf.constant(onehot)))
    assert c < last


def test_predict_classes_deprecated(rng):
    x, _ = _blobs(rng, 8)
    m = _mlp()
    with pytest.warns(DeprecationWarning, match="predict_classes"):
        cls = m.predict_classes(x)
    assert cls.shape == (8,)
    with pytest.warns(DeprecationWarning, match="predict_proba"):
        assert m.predict_proba(x).shape == (8, 3)


def test_compile_required_and_bad_kwargs():
    m = _mlp()
    with pytest.raises(ValueError, match="compile"):
        m.fit(np.zeros((2, 4)), np.zeros(2), verbose=0)
    with pytest.raises(TypeError, match="Invalid keyword"):
        m.compile("sgd", "mse", bogus=1)


def test_untraceable_step_falls_back_to_eager_with_warning(rng):
    class Odd(layers.Layer):
        def call(self, x):
            if float(tf.reduce_sum(x)) > -1e9:     # needs a concrete value: not traceable
                return x
            return -x

    x, y = _blobs(rng, 32)
    m = keras.Sequential([Odd(), layers.Dense(3)])
    m.compile("sgd", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    with pytest.warns(UserWarning, match="running it eagerly"):
        h = m.fit(x, y, epochs=2, verbose=0)
    assert len(h.history["loss"]) == 2


def test_multi_output_losses_and_weights(rng):
    x, y = _blobs(rng, 64)
    inp = keras.Input((4,))
    h = layers.Dense(8, activation="relu")(inp)
    cls = layers.Dense(3, name="cls")(h)
    reg = layers.Dense(1, name="reg")(h)
    m = keras.Model(inp, [cls, reg])
    m.compile("adam", loss={"cls": keras.losses.SparseCategoricalCrossentropy(
        from_logits=True), "reg": "mse"}, loss_weights={"cls": 1.0, "reg": 0.5},
        metrics={"cls": ["accuracy"]})
    target = x[:, :1].astype(np.float32)
    hist = m.fit(x, [y, target], epochs=3, verbose=0)
    assert "loss" in hist.history and "cls_accuracy" in hist.history
    total = m.evaluate(x, [y, target], verbose=0, return_dict=True)["loss"]
    p_cls, p_reg = m.predict(x, verbose=0)
    ce = np.mean(np.log(np.exp(p_cls).sum(-1)) - p_cls[np.arange(64), y])
    assert total == pytest.approx(ce + 0.5 * np.mean((p_reg - target) ** 2), rel=1e-4)
