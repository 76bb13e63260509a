"""CIFAR-10: 50,000 training and 10,000 test 32x32x3 uint8 images in 10 classes."""

import os

import numpy as np

from tinytf.keras.datasets._common import load_pickle
from tinytf.keras.utils.data_utils import get_file

ORIGIN = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
FILE_HASH = "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce"


def load_batch(fpath, label_key="labels"):
    """Parses one CIFAR pickle batch into ``(data (N, 3, 32, 32) uint8, labels)``."""
    with open(fpath, "rb") as f:
        d = load_pickle(f)
    d = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in d.items()}
    data = np.asarray(d["data"]).reshape(-1, 3, 32, 32)
    return data, d[label_key]


def load_data():
    """Returns ``(x_train, y_train), (x_test, y_test)``: x uint8 (N, 32, 32, 3), y uint8 (N, 1)."""
    path = get_file(fname="cifar-10-batches-py-target", origin=ORIGIN, extract=True,
                    file_hash=FILE_HASH)
    path = os.path.join(path, "cifar-10-batches-py")
    x_train = np.empty((50000, 3, 32, 32), dtype="uint8")
    y_train = np.empty((50000,), dtype="uint8")
    for i in range(1, 6):
        x_train[(i - 1) * 10000:i * 10000], y_train[(i - 1) * 10000:i * 10000] = load_batch(
            os.path.join(path, f"data_batch_{i}"))
    x_test, y_test = load_batch(os.path.join(path, "test_batch"))
    y_train = y_train.reshape(-1, 1)
    y_test = np.asarray(y_test).reshape(-1, 1).astype(y_train.dtype)
    return (x_train.transpose(0, 2, 3, 1), y_train), \
        (np.asarray(x_test).astype(x_train.dtype).transpose(0, 2, 3, 1), y_test)
