"""Seconds per epoch of MNIST through from_tensor_slices -> shuffle(60000) -> batch(512) ->
prefetch, for tinytf and (when importable) TensorFlow, in one run.

    python bench/data_pipeline.py [--epochs 3]

Compare with an MLP training epoch (bench/train_mnist.py): the pipeline alone should cost
under 10% of it.
"""

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

MNIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "data",
                     "mnist.npz")


def load():
    if os.path.exists(MNIST):
        d = np.load(MNIST)
        return d["x_train"].astype(np.float32) / 255., d["y_train"]
    rng = np.random.default_rng(0)
    return rng.random((60000, 28, 28), dtype=np.float32), rng.integers(0, 10, 60000)


def time_epochs(tf, x, y, epochs):
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(60000).batch(512).prefetch(1)
    times = []
    for _ in range(epochs):
        t = time.perf_counter()
        for xb, yb in ds:
            pass
        times.append(time.perf_counter() - t)
    return min(times)


def figures(quick=False):
    """Rows for bench/run.py: seconds per MNIST pipeline epoch."""
    x, y = load()
    epochs = 1 if quick else 3
    import tinytf
    row = {"figure": "tf.data MNIST epoch (shuffle, batch 512, prefetch)", "unit": "s",
           "tinytf": time_epochs(tinytf, x, y, epochs), "tensorflow": None, "pytorch": None}
    try:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow
        row["tensorflow"] = time_epochs(tensorflow, x, y, epochs)
    except ImportError:
        pass
    return [row]


def main(argv=None):
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=3)
    args = p.parse_args(argv)
    x, y = load()
    import tinytf
    rows = [("tinytf", time_epochs(tinytf, x, y, args.epochs))]
    try:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow
        rows.append(("tensorflow", time_epochs(tensorflow, x, y, args.epochs)))
    except ImportError:
        pass
    base = rows[0][1]
    print(f"{'framework':<12}{'s/epoch':>10}{'ratio to tinytf':>18}")
    for name, t in rows:
        print(f"{name:<12}{t:>10.3f}{t / base:>18.2f}")
    return rows


if __name__ == "__main__":
    main()
