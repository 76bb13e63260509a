"""``keras.datasets``: small classic datasets, as NumPy arrays, exactly as Keras returns them.

Each ``load_data()`` reads its file from ``$TINYTF_HOME/datasets`` (default
``~/.tinytf/datasets``), downloading it from Keras's address and checking its hash when it
is missing (see ``keras.utils.get_file``).
"""

from tinytf.keras.datasets import (  # noqa: F401
    boston_housing, cifar10, cifar100, fashion_mnist, imdb, mnist, reuters)
