"""IMDB movie reviews: 25,000 training and 25,000 test reviews as lists of word indices."""

import json

import numpy as np

from tinytf.keras.datasets._common import (KERAS_ORIGIN, check_corrupt,
                                           load_npz_object_arrays, remove_long_seq)
from tinytf.keras.datasets._sequences import prepare, shuffled
from tinytf.keras.utils.data_utils import get_file

FILE_HASH = "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f"


def load_data(path="imdb.npz", num_words=None, skip_top=0, maxlen=None, seed=113,
              start_char=1, oov_char=2, index_from=3, **kwargs):
    """Returns ``(x_train, y_train), (x_test, y_test)``: x object arrays of int lists,
    y int labels (1 positive, 0 negative), shuffled with ``seed`` as Keras does."""
    if kwargs:
        raise TypeError(f"Unrecognized keyword arguments: {kwargs}.")
    path = get_file(fname=path, origin=f"{KERAS_ORIGIN}imdb.npz", file_hash=FILE_HASH)
    try:
        f = load_npz_object_arrays(path)
        x_train, y_train, x_test, y_test = f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    except Exception as e:  # noqa: BLE001 - any parse failure means a bad file
        check_corrupt(path, e)
    rng = np.random.RandomState(seed)
    x_train, y_train = shuffled(rng, x_train, y_train)
    x_test, y_test = shuffled(rng, x_test, y_test)
    n_train = len(x_train)
    xs = list(x_train) + list(x_test)
    if maxlen:
        shifted = prepare(xs, start_char, None, index_from, 0, 10 ** 12)
        tr, ytr = remove_long_seq(maxlen, shifted[:n_train], y_train)
        te, yte = remove_long_seq(maxlen, shifted[n_train:], y_test)
        if not tr or not te:
            raise ValueError(f"After filtering for sequences shorter than maxlen={maxlen}, no "
                             "sequence was kept. Increase maxlen.")
        xs = prepare(tr + te, None, oov_char, 0, skip_top, num_words)
        y_train, y_test, n_train = np.asarray(ytr), np.asarray(yte), len(tr)
    else:
        xs = prepare(xs, start_char, oov_char, index_from, skip_top, num_words)
    labels = np.concatenate([y_train, y_test])
    return (np.array(xs[:n_train] + [None], dtype="object")[:-1], labels[:n_train]), \
        (np.array(xs[n_train:] + [None], dtype="object")[:-1], labels[n_train:])


def get_word_index(path="imdb_word_index.json"):
    """Returns the dict mapping words to their index in the IMDB dataset."""
    path = get_file(fname=path, origin=f"{KERAS_ORIGIN}imdb_word_index.json",
                    file_hash="bfafd718b763782e994055a2d397834f")
    with open(path) as f:
        return json.load(f)
