"""MNIST handwritten digits: 60,000 training and 10,000 test 28x28 uint8 images."""

import zipfile

import numpy as np

from tinytf.keras.datasets._common import KERAS_ORIGIN, check_corrupt
from tinytf.keras.utils.data_utils import get_file

FILE_HASH = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"


def load_data(path="mnist.npz"):
    """Returns ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
    (60000, 28, 28), (60000,), (10000, 28, 28), (10000,)."""
    path = get_file(fname=path, origin=f"{KERAS_ORIGIN}mnist.npz", file_hash=FILE_HASH)
    try:
        with np.load(path, allow_pickle=False) as f:
            return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as e:
        check_corrupt(path, e)
