"""MNIST for the examples: ``keras.datasets.mnist.load_data()`` when it can find the file,
else the copy in ../shared/data/mnist.npz (or $TINYTF_MNIST). ``TINYTF_QUICK=1`` keeps
a few hundred samples so the examples finish in seconds (the tests use that)."""

import os

import numpy as np

QUICK = os.environ.get("TINYTF_QUICK", "") not in ("", "0")
_HERE = os.path.dirname(os.path.abspath(__file__))
_SHARED = os.environ.get("TINYTF_MNIST",
                         os.path.join(_HERE, "..", "..", "shared", "data", "mnist.npz"))


def load():
    """((x_train, y_train), (x_test, y_test)) as Keras returns them (uint8 images)."""
    data = None
    if os.path.exists(_SHARED):
        with np.load(_SHARED) as d:
            data = (d["x_train"], d["y_train"]), (d["x_test"], d["y_test"])
    else:
        from tinytf.keras.datasets import mnist
        data = mnist.load_data()
    if QUICK:
        (x, y), (xt, yt) = data
        data = (x[:600], y[:600]), (xt[:500], yt[:500])
    return data


def epochs(n):
    return 1 if QUICK else n
