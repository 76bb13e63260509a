"""The MNIST examples in quick mode (TINYTF_QUICK=1): they run and print what they should."""

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MNIST = os.path.join(ROOT, "..", "shared", "data", "mnist.npz")

pytestmark = pytest.mark.skipif(not os.path.exists(MNIST), reason="MNIST file not present")


def _run(name):
    env = dict(os.environ, TINYTF_QUICK="1", COLUMNS="80")
    r = subprocess.run([sys.executable, os.path.join(ROOT, "examples", name)], env=env,
                       capture_output=True, text=True, timeout=240)
    assert r.returncode == 0, r.stderr[-2000:]
    return r.stdout


def _accuracies(text, prefix):
    return [float(v) for v in re.findall(prefix + r"[^\n]*?test accuracy\D*(\d\.\d+)", text)]


def test_mnist_mlp_hand_loops_learn():
    out = _run("mnist_mlp.py")
    seed = _accuracies(out, "seed-style loop:")
    assert len(seed) == 2 and seed[1] > seed[0]
    adam = _accuracies(out, "adam loop: epoch")
    assert adam and adam[-1] > 0.4            # 600 samples, one epoch


def test_mnist_fit_prints_summary_progress_and_accuracy():
    out = _run("mnist_fit.py")
    assert 'Model: "sequential"' in out and "Total params: 235,146" in out
    # one epoch: Keras prints no "Epoch 1/1" line, only the verbose=2 summary line
    assert re.search(r"\d+/\d+ - \d+s - \d+m?s/step - accuracy: [\d.]+ - loss: [\d.]+ - "
                     r"val_accuracy: [\d.]+ - val_loss: [\d.]+", out)
    acc = float(re.search(r"test accuracy (\d\.\d+)", out).group(1))
    assert acc > 0.4
    assert re.search(r"predicted: \[[\d, ]+\] true: \[[\d, ]+\]", out)


def test_mnist_cnn_runs():
    out = _run("mnist_cnn.py")
    assert 'Model: "lenet"' in out and "Total params: 61,706" in out
    assert re.search(r"test accuracy (\d\.\d+)", out)
