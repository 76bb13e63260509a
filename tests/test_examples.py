"""Every example runs (quick mode where it trains) and prints what the textbook shows."""

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")


def run_example(name, *args, via_cli=False, env=None):
    e = dict(os.environ, PYTHONPATH=ROOT, TINYTF_QUICK="1", **(env or {}))
    path = os.path.join(EXAMPLES, name)
    cmd = [sys.executable, "-m", "tinytf", "run", path, *args] if via_cli else \
        [sys.executable, path, *args]
    r = subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=600, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


@pytest.mark.parametrize("via_cli", [False, True])
def test_eager_add(via_cli):
    assert run_example("eager_add.py", via_cli=via_cli).strip() == \
        "a+b= tf.Tensor(6.0, shape=(), dtype=float32)"


@pytest.mark.parametrize("via_cli", [False, True])
def test_gradient_tape(via_cli):
    assert run_example("gradient_tape.py", via_cli=via_cli).strip() == \
        "tf.Tensor(10.0, shape=(), dtype=float32)"


def test_tf1_graph_session():
    assert run_example("tf1_graph_session.py").strip() == "a+b= 6.0"


@pytest.mark.parametrize("name", ["linear_regression_numpy.py", "linear_regression.py"])
def test_linear_regression_recovers_w_and_b(name):
    out = run_example(name)
    lines = [ln for ln in out.splitlines() if ln.startswith("iteration:")]
    assert len(lines) == 20                      # every 50 of 1000 iterations
    w, b = map(float, re.search(r"w:([-\d.e]+), b:([-\d.e]+)", out.splitlines()[-1]).groups())
    assert abs(w - 1.477) < 0.01 and abs(b - 0.089) < 0.01
