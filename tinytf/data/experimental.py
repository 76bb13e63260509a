"""``tf.data.experimental``: the constants TF2-era code still reads from here."""

from tinytf.data.dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY  # noqa


def cardinality(dataset):
    """Returns the cardinality of ``dataset`` (TF 2.0-2.2 spelling)."""
    return dataset.cardinality()
