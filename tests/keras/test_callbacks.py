"""keras.callbacks with a fake model (the attributes fit sets): hooks, History, progress
bar text (golden from Keras 3.15 with the same fake clock), EarlyStopping, ModelCheckpoint,
LearningRateScheduler, ReduceLROnPlateau, CSVLogger, LambdaCallback, TerminateOnNaN."""

import io
import os
import sys

import numpy as np
import pytest

import tinytf as tf
from tinytf.keras import callbacks as C
from tinytf.keras import optimizers

GOLDEN = os.path.join(os.path.dirname(__file__), "progbar_keras3_golden.txt")


class FakeModel:
    """What fit sets on a model: optimizer, stop_training, weights, save methods."""

    def __init__(self, lr=0.1):
        self.optimizer = optimizers.SGD(learning_rate=lr)
        self.stop_training = False
        self.weights = [np.zeros(2)]
        self.saved = []

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [w.copy() for w in weights]

    def save(self, path, overwrite=True):
        self.saved.append(("model", path))

    def save_weights(self, path, overwrite=True):
        self.saved.append(("weights", path))


def _fit(model, callbacks, epoch_logs, steps=2, verbose=0):
    """A minimal fit loop driving a CallbackList the way Keras 3's fit does."""
    cbs = C.CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=model,
                         verbose=verbose, epochs=len(epoch_logs), steps=steps)
    cbs.on_train_begin()
    for epoch, logs in enumerate(epoch_logs):
        cbs.on_epoch_begin(epoch)
        for b in range(steps):
            cbs.on_train_batch_begin(b)
            cbs.on_train_batch_end(b, {"loss": logs.get("loss", 0.0)})
        # weights change every epoch so restore_best_weights can be observed
        model.weights = [np.full(2, float(epoch))]
        cbs.on_epoch_end(epoch, dict(logs))
        if model.stop_training:
            break
    cbs.on_train_end()
    return model.history


class _Clock:
    def __init__(self):
        self.t = 1000.0

    def time(self):
        self.t += 0.037
        return self.t


def test_progbar_text_matches_keras3(monkeypatch):
    monkeypatch.setattr(C, "time", _Clock())
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdout", out)

    class M:
        stop_training = False

    for verbose in (1, 2):
        cbs = C.CallbackList([], add_history=True, add_progbar=True, model=M(),
                             verbose=verbose, epochs=2, steps=3)
        cbs.on_train_begin()
        for ep in range(2):
            cbs.on_epoch_begin(ep)
            for b in range(3):
                cbs.on_train_batch_begin(b)
                cbs.on_train_batch_end(b, {"loss": 1.0 / (b + 1 + ep), "accuracy": 0.5 + 0.1 * b})
            cbs.on_epoch_end(ep, {"loss": 0.5, "accuracy": 0.7, "val_loss": 0.6,
                                  "val_accuracy": 0.00012})
        cbs.on_train_end()
    pb = C.Progbar(None, verbose=1)
    pb.update(5, [("x", 2.0)])
    pb.update(12, [("x", 3.0)], finalize=True)
    pb = C.Progbar(1000, verbose=1, interval=0)
    pb.update(1, [("loss", 123.4)])
    pb.update(999, [("loss", 2.0)])
    pb.update(1000, [("loss", 1.0)])
    with open(GOLDEN, encoding="utf-8", newline="") as f:
        assert out.getvalue() == f.read()


def test_hooks_order_and_history():
    calls = []

    class Rec(C.Callback):
        def on_train_begin(self, logs=None):
            calls.append("train_begin")

        def on_epoch_begin(self, epoch, logs=None):
            calls.append(f"epoch_begin{epoch}")

        def on_batch_end(self, batch, logs=None):   # TF 1.x name: called via train_batch_end
            calls.append(f"batch_end{batch}")

        def on_epoch_end(self, epoch, logs=None):
            calls.append(f"epoch_end{epoch}:{sorted(logs)}")

        def on_train_end(self, logs=None):
            calls.append("train_end")

    m = FakeModel()
    rec = Rec()
    hist = _fit(m, [rec], [{"loss": 1.0, "acc": 0.5}, {"loss": 0.5, "acc": 0.7}])
    assert rec.model is m and rec.params == {"verbose": 0, "epochs": 2, "steps": 2}
    assert calls == ["train_begin", "epoch_begin0", "batch_end0", "batch_end1",
                     "epoch_end0:['acc', 'loss']", "epoch_begin1", "batch_end0", "batch_end1",
                     "epoch_end1:['acc', 'loss']", "train_end"]
    assert isinstance(hist, C.History)
    assert hist.history == {"acc": [0.5, 0.7], "loss": [1.0, 0.5]} and hist.epoch == [0, 1]


def test_logs_are_pythonified():
    seen = {}
    cb = C.LambdaCallback(on_epoch_end=lambda e, logs: seen.update(logs))
    _fit(FakeModel(), [cb], [{"loss": tf.constant(0.25), "acc": np.float32(0.5)}])
    assert seen == {"acc": 0.5, "loss": 0.25} and type(seen["loss"]) is float


def test_early_stopping_patience_and_restore():
    m = FakeModel()
    es = C.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    logs = [{"val_loss": v} for v in (1.0, 0.5, 0.6, 0.7, 0.4)]
    hist = _fit(m, [es], logs)
    assert hist.epoch == [0, 1, 2, 3]          # stopped after two epochs without improvement
    assert es.stopped_epoch == 3 and es.best == 0.5 and es.best_epoch == 1
    np.testing.assert_array_equal(m.weights[0], np.full(2, 1.0))   # weights of epoch 1


def test_early_stopping_mode_delta_baseline_start():
    es = C.EarlyStopping(monitor="val_accuracy", min_delta=0.1, patience=1)
    hist = _fit(FakeModel(), [es], [{"val_accuracy": v} for v in (0.5, 0.55, 0.9)])
    assert hist.epoch == [0, 1]                 # 0.55 is not 0.1 better than 0.5
    es = C.EarlyStopping(monitor="loss", patience=1, baseline=0.1)
    hist = _fit(FakeModel(), [es], [{"loss": v} for v in (0.5, 0.4, 0.3)])
    assert hist.epoch == [0, 1, 2]    # Keras: improving epochs never stop, baseline or not
    es = C.EarlyStopping(monitor="loss", patience=0, start_from_epoch=2)
    hist = _fit(FakeModel(), [es], [{"loss": v} for v in (0.5, 0.6, 0.7, 0.8)])
    assert hist.epoch == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="automatically determine"):
        _fit(FakeModel(), [C.EarlyStopping(monitor="weird")], [{"weird": 1.0}])


def test_model_checkpoint(tmp_path):
    m = FakeModel()
    path = str(tmp_path / "ck-{epoch:02d}-{val_loss:.2f}.keras")
    ck = C.ModelCheckpoint(path, monitor="val_loss", save_best_only=True)
    _fit(m, [ck], [{"val_loss": v} for v in (0.9, 0.5, 0.7, 0.3)])
    assert m.saved == [("model", str(tmp_path / "ck-01-0.90.keras")),
                       ("model", str(tmp_path / "ck-02-0.50.keras")),
                       ("model", str(tmp_path / "ck-04-0.30.keras"))]
    m = FakeModel()
    ck = C.ModelCheckpoint(str(tmp_path / "w.weights.h5"), save_weights_only=True)
    _fit(m, [ck], [{"val_loss": 1.0}, {"val_loss": 2.0}])
    assert [s[0] for s in m.saved] == ["weights", "weights"]
    with pytest.warns(DeprecationWarning, match=".weights.h5"):
        C.ModelCheckpoint(str(tmp_path / "old.ckpt"), save_weights_only=True)
    with pytest.raises(ValueError, match="save_freq"):
        C.ModelCheckpoint(str(tmp_path / "m.keras"), save_freq="sometimes")


def test_learning_rate_scheduler():
    m = FakeModel(lr=0.1)
    seen = []
    sched = C.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr)
    rec = C.LambdaCallback(on_epoch_begin=lambda e, logs: seen.append(
        float(m.optimizer.learning_rate.numpy())))
    hist = _fit(m, [sched, rec], [{"loss": 1.0}] * 3)
    np.testing.assert_allclose(seen, [0.1, 0.05, 0.025], rtol=1e-6)
    np.testing.assert_allclose(hist.history["learning_rate"], [0.1, 0.05, 0.025], rtol=1e-6)
    m = FakeModel(lr=0.1)
    _fit(m, [C.LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1))], [{}] * 2)
    np.testing.assert_allclose(m.optimizer.learning_rate.numpy(), 0.02, rtol=1e-6)


def test_reduce_lr_on_plateau():
    m = FakeModel(lr=1.0)
    cb = C.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=1, min_lr=0.2)
    hist = _fit(m, [cb], [{"val_loss": v} for v in (1.0, 1.0, 1.0, 1.0, 1.0)])
    # logged before that epoch's reduction, as Keras 3 does (checked against Keras 3.15)
    np.testing.assert_allclose(hist.history["learning_rate"], [1.0, 1.0, 0.5, 0.25, 0.2],
                               rtol=1e-6)
    np.testing.assert_allclose(m.optimizer.learning_rate.numpy(), 0.2, rtol=1e-6)
    with pytest.raises(ValueError, match="factor >= 1.0"):
        C.ReduceLROnPlateau(factor=1.0)


def test_csv_logger(tmp_path):
    path = tmp_path / "log.csv"
    _fit(FakeModel(), [C.CSVLogger(str(path))], [{"loss": 0.5, "acc": 0.25}, {"loss": 0.25,
                                                                              "acc": 0.5}])
    assert path.read_text().splitlines() == [
        "epoch,acc,loss,val_acc,val_loss", "0,0.25,0.5,NA,NA", "1,0.5,0.25,NA,NA"]
    _fit(FakeModel(), [C.CSVLogger(str(path), append=True)], [{"loss": 0.125, "acc": 1.0}])
    assert path.read_text().splitlines()[-1] == "0,1.0,0.125,NA,NA"


def test_terminate_on_nan(capsys):
    m = FakeModel()
    hist = _fit(m, [C.TerminateOnNaN()], [{"loss": 1.0}, {"loss": float("nan")}, {"loss": 1.0}])
    assert m.stop_training and hist.epoch == [0, 1]
    assert "Batch 0: Invalid loss, terminating training" in capsys.readouterr().out
    with pytest.raises(RuntimeError, match="NaN or Inf loss"):
        _fit(FakeModel(), [C.TerminateOnNaN(raise_error=True)], [{"loss": float("inf")}])


def test_lambda_callback_and_callback_list():
    got = []
    cb = C.LambdaCallback(on_train_begin=lambda logs: got.append("begin"),
                          on_train_batch_end=lambda b, logs: got.append(b))
    _fit(FakeModel(), [cb], [{"loss": 1.0}])
    assert got == ["begin", 0, 1]
    hist = C.History()
    cl = C.CallbackList([hist], add_history=True, add_progbar=True)
    assert sum(isinstance(c, C.History) for c in cl.callbacks) == 1
    assert any(isinstance(c, C.ProgbarLogger) for c in cl.callbacks)
    with pytest.raises(ValueError, match="without corresponding"):
        cl.on_train_end()
    assert tf.keras.callbacks.EarlyStopping is C.EarlyStopping
