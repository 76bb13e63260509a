"""Reuters newswire topics: 11,228 newswires in 46 topics, as lists of word indices."""

import json

import numpy as np

from tinytf.keras.datasets._common import (KERAS_ORIGIN, check_corrupt,
                                           load_npz_object_arrays, remove_long_seq)
from tinytf.keras.datasets._sequences import prepare, shuffled
from tinytf.keras.utils.data_utils import get_file

FILE_HASH = "d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916"


def load_data(path="reuters.npz", num_words=None, skip_top=0, maxlen=None, test_split=0.2,
              seed=113, start_char=1, oov_char=2, index_from=3):
    """Returns ``(x_train, y_train), (x_test, y_test)`` split by ``test_split``."""
    path = get_file(fname=path, origin=f"{KERAS_ORIGIN}reuters.npz", file_hash=FILE_HASH)
    try:
        f = load_npz_object_arrays(path)
        xs, labels = f["x"], f["y"]
    except Exception as e:  # noqa: BLE001
        check_corrupt(path, e)
    xs, labels = shuffled(np.random.RandomState(seed), xs, labels)
    if maxlen:
        shifted = prepare(list(xs), start_char, None, index_from, 0, 10 ** 12)
        xs, labels = remove_long_seq(maxlen, shifted, labels)
        xs = prepare(xs, None, oov_char, 0, skip_top, num_words)
    else:
        xs = prepare(list(xs), start_char, oov_char, index_from, skip_top, num_words)
    idx = int(len(xs) * (1 - test_split))
    x = np.array(xs + [None], dtype="object")[:-1]
    labels = np.asarray(labels)
    return (x[:idx], np.array(labels[:idx])), (x[idx:], np.array(labels[idx:]))


def get_word_index(path="reuters_word_index.json"):
    """Returns the dict mapping words to their index in the Reuters dataset."""
    path = get_file(path, origin=f"{KERAS_ORIGIN}reuters_word_index.json",
                    file_hash="4d44cc38712099c9e383dc6e5f11a921")
    with open(path) as f:
        return json.load(f)


def get_label_names():
    """The 46 topic names, in label order."""
    return ("cocoa", "grain", "veg-oil", "earn", "acq", "wheat", "copper", "housing",
            "money-supply", "coffee", "sugar", "trade", "reserves", "ship", "cotton",
            "carcass", "crude", "nat-gas", "cpi", "money-fx", "interest", "gnp", "meal-feed",
            "alum", "oilseed", "gold", "tin", "strategic-metal", "livestock", "retail", "ipi",
            "iron-steel", "rubber", "heat", "jobs", "lei", "bop", "zinc", "orange",
            "pet-chem", "dlr", "gas", "silver", "wpi", "hog", "lead")
