"""``keras.utils``: file download, one-hot encoding, normalisation and friends."""

from tinytf.keras.utils.data_utils import get_file, validate_file  # noqa: F401
from tinytf.keras.utils.numerical_utils import normalize, to_categorical  # noqa: F401
from tinytf.keras.preprocessing.sequence import pad_sequences  # noqa: F401


def set_random_seed(seed):
    """Seeds Python's, NumPy's and tinytf's random generators (``keras.utils.set_random_seed``)."""
    import random
    import numpy as np
    random.seed(seed)
    np.random.seed(seed)
    from tinytf.ops import random_ops
    random_ops.set_seed(seed)


def __getattr__(name):
    if name in ("Progbar",):
        from tinytf.keras import callbacks
        return getattr(callbacks, name)
    raise AttributeError(f"module 'tinytf.keras.utils' has no attribute '{name}'")
