"""``tf.data``: input pipelines (``tf.data.Dataset`` and friends)."""

from tinytf.data.dataset import (  # noqa: F401
    AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, Dataset, DatasetSpec, DatasetV2,
    Options, TextLineDataset)
from tinytf.data import experimental  # noqa: F401
