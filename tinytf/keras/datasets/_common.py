"""Shared pieces of the dataset loaders."""

import pickle

import numpy as np

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"


class _ArrayOnlyUnpickler(pickle.Unpickler):
    """Unpickles NumPy arrays and plain containers only (CIFAR batches, ragged npz)."""

    _ALLOWED = {("numpy", "ndarray"), ("numpy", "dtype"), ("numpy.core.multiarray", "_reconstruct"),
                ("numpy._core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
                ("numpy._core.multiarray", "scalar"), ("builtins", "list"),
                ("collections", "OrderedDict")}

    def find_class(self, module, name):
        if (module, name) in self._ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing to unpickle {module}.{name}")


def load_pickle(f, encoding="bytes"):
    return _ArrayOnlyUnpickler(f, encoding=encoding).load()


def load_npz_object_arrays(path):
    """Loads an npz whose arrays may be ragged (dtype=object), with a restricted unpickler."""
    out = {}
    with np.load(path, allow_pickle=False) as f:
        names = list(f.files)
    import zipfile
    with zipfile.ZipFile(path) as z:
        for name in names:
            with z.open(name + ".npy") as fh:
                version = np.lib.format.read_magic(fh)
                read = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                        else np.lib.format.read_array_header_2_0)
                shape, fortran, dtype = read(fh)
                if dtype.hasobject:
                    arr = load_pickle(fh, encoding="latin1")
                else:
                    data = fh.read()
                    arr = np.frombuffer(data, dtype=dtype).reshape(
                        shape, order="F" if fortran else "C").copy()
            out[name] = arr
    return out


def remove_long_seq(maxlen, seq, label):
    """Keeps the sequences shorter than ``maxlen`` (and their labels), as Keras does."""
    new_seq, new_label = [], []
    for x, y in zip(seq, label):
        if len(x) < maxlen:
            new_seq.append(x)
            new_label.append(y)
    return new_seq, new_label


def check_corrupt(path, exc):
    raise ValueError(f"The dataset file {path} is corrupt or not the expected file ({exc}). "
                     "Delete it so that it is downloaded again, or replace it with a good "
                     "copy.") from None
