"""Fashion-MNIST: 60,000 training and 10,000 test 28x28 uint8 images of clothing."""

import gzip
import os

import numpy as np

from tinytf.keras.datasets._common import KERAS_ORIGIN, check_corrupt
from tinytf.keras.utils.data_utils import get_file

FILES = ["train-labels-idx1-ubyte.gz", "train-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"]


def load_data():
    """Returns ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays, like MNIST."""
    dirname = os.path.join("datasets", "fashion-mnist")
    paths = [get_file(f, origin=KERAS_ORIGIN + f, cache_subdir=dirname) for f in FILES]
    try:
        with gzip.open(paths[0], "rb") as f:
            y_train = np.frombuffer(f.read(), np.uint8, offset=8)
        with gzip.open(paths[1], "rb") as f:
            x_train = np.frombuffer(f.read(), np.uint8, offset=16).reshape(len(y_train), 28, 28)
        with gzip.open(paths[2], "rb") as f:
            y_test = np.frombuffer(f.read(), np.uint8, offset=8)
        with gzip.open(paths[3], "rb") as f:
            x_test = np.frombuffer(f.read(), np.uint8, offset=16).reshape(len(y_test), 28, 28)
    except (OSError, ValueError, EOFError) as e:
        check_corrupt(os.path.dirname(paths[0]), e)
    return (x_train, y_train), (x_test, y_test)
