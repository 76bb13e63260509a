"""Eager dispatch cost per op: ``a + b`` on (10,) float32, ``tf.matmul`` on (1, 1), and a
3-layer MLP forward (784-256-128-10) at batch 1; tinytf beside NumPy, and TensorFlow and
PyTorch when they are importable in the same interpreter.

    python bench/eager_overhead.py
    PYTHONPATH=. /path/to/peers-venv/bin/python bench/eager_overhead.py   # with TF, torch
"""

import os
import sys
import timeit

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def us(fn, quick=False):
    """Best-of-repeats µs per call (the least disturbed estimate on a shared machine)."""
    fn()
    number = 2000 if quick else 20000
    return min(timeit.repeat(fn, number=number, repeat=3 if quick else 7)) / number * 1e6


def _mlp_weights():
    rng = np.random.default_rng(0)
    sizes = [784, 256, 128, 10]
    return [(rng.standard_normal((i, o)).astype(np.float32) * 0.05,
             np.zeros(o, np.float32)) for i, o in zip(sizes, sizes[1:])]


def cases_numpy():
    a, b = np.ones(10, np.float32), np.ones(10, np.float32)
    m1, m2 = np.ones((1, 1), np.float32), np.ones((1, 1), np.float32)
    ws = _mlp_weights()
    x = np.ones((1, 784), np.float32)

    def mlp():
        h = x
        for i, (w, bias) in enumerate(ws):
            h = h @ w + bias
            if i < 2:
                h = np.maximum(h, 0)
        return h
    return {"add": lambda: a + b, "matmul": lambda: m1 @ m2, "mlp": mlp}


def cases_tf(tf):
    a = tf.constant(np.ones(10, np.float32))
    b = tf.constant(np.ones(10, np.float32))
    m1 = tf.constant(np.ones((1, 1), np.float32))
    ws = [(tf.constant(w), tf.constant(bb)) for w, bb in _mlp_weights()]
    x = tf.constant(np.ones((1, 784), np.float32))

    def mlp():
        h = x
        for i, (w, bias) in enumerate(ws):
            h = tf.matmul(h, w) + bias
            if i < 2:
                h = tf.nn.relu(h)
        return h
    return {"add": lambda: a + b, "matmul": lambda: tf.matmul(m1, m1), "mlp": mlp}


def cases_torch(torch):
    a, b = torch.ones(10), torch.ones(10)
    m1 = torch.ones((1, 1))
    ws = [(torch.from_numpy(w), torch.from_numpy(bb)) for w, bb in _mlp_weights()]
    x = torch.ones((1, 784))

    def mlp():
        h = x
        for i, (w, bias) in enumerate(ws):
            h = h @ w + bias
            if i < 2:
                h = torch.relu(h)
        return h
    return {"add": lambda: a + b, "matmul": lambda: torch.matmul(m1, m1), "mlp": mlp}


LABELS = {"add": "eager a + b, (10,) float32", "matmul": "eager tf.matmul (1,1)x(1,1)",
          "mlp": "eager MLP forward 784-256-128-10, batch 1"}


def figures(quick=False):
    import tinytf
    results = {"tinytf": cases_tf(tinytf), "numpy": cases_numpy()}
    try:
        import tensorflow
        results["tensorflow"] = cases_tf(tensorflow)
    except ImportError:
        pass
    try:
        import torch
        torch.set_num_threads(1)
        results["pytorch"] = cases_torch(torch)
    except ImportError:
        pass
    rows = []
    for key, label in LABELS.items():
        row = {"figure": label, "unit": "µs"}
        for fw, cases in results.items():
            row[fw] = us(cases[key], quick)
        rows.append(row)
    return rows


def main():
    rows = figures()
    fws = ["tinytf", "numpy", "tensorflow", "pytorch"]
    print(f"{'figure':<44}" + "".join(f"{f:>12}" for f in fws) + f"{'torch/tinytf':>14}")
    for r in rows:
        cells = "".join(f"{r[f]:>12.2f}" if r.get(f) is not None else f"{'-':>12}" for f in fws)
        ratio = f"{r['pytorch'] / r['tinytf']:.2f}" if r.get("pytorch") else "-"
        print(f"{r['figure']:<44}{cells}{ratio:>14}")


if __name__ == "__main__":
    main()
