"""``keras.preprocessing``: the TF2-era helpers tutorials use next to datasets."""

from tinytf.keras.preprocessing import sequence  # noqa: F401
