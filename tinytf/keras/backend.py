"""``keras.backend``: global settings (floatx, epsilon, image data format), unique layer
names, the name-scope stack that gives variables their ``path``, and ``clear_session``."""

import collections
import re

_FLOATX = "float32"
_EPSILON = 1e-7
_IMAGE_DATA_FORMAT = "channels_last"
_UIDS = collections.defaultdict(int)
_SCOPES = []          # (name, caller) pairs: Keras name scopes, outermost first


def floatx():
    """The default float type, as a string (``'float32'``)."""
    return _FLOATX


def set_floatx(value):
    """Sets the default float type ('float16', 'bfloat16', 'float32' or 'float64')."""
    global _FLOATX
    accepted = {"bfloat16", "float16", "float32", "float64"}
    if value not in accepted:
        raise ValueError(f"Unknown `floatx` value: {value}. Expected one of {accepted}")
    _FLOATX = str(value)


def epsilon():
    """The fuzz factor used in numeric expressions (1e-7)."""
    return _EPSILON


def set_epsilon(value):
    global _EPSILON
    _EPSILON = value


def image_data_format():
    """'channels_last' (the only layout tinytf's convolutions use by default)."""
    return _IMAGE_DATA_FORMAT


def set_image_data_format(data_format):
    global _IMAGE_DATA_FORMAT
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError("The `data_format` argument must be one of {'channels_first', "
                         f"'channels_last'}}. Received: data_format={data_format}")
    _IMAGE_DATA_FORMAT = data_format


def backend():
    """The name of the backend: always 'tensorflow'."""
    return "tensorflow"


def to_snake_case(name):
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    name = re.sub("([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def get_uid(prefix="default"):
    """1, 2, 3, ... per prefix (Keras' counter behind unique layer names)."""
    _UIDS[prefix] += 1
    return _UIDS[prefix]


def unique_object_name(prefix):
    """'dense', then 'dense_1', 'dense_2', ... (Keras' naming of layers and models)."""
    n = get_uid(prefix)
    return prefix if n == 1 else f"{prefix}_{n - 1}"


def clear_session(free_memory=True):
    """Resets the name counters (so layer names start again at 'dense')."""
    _UIDS.clear()
    del _SCOPES[:]
    import gc
    if free_memory:
        gc.collect()


class name_scope:
    """Keras name scope: variables created inside get paths like 'sequential/dense/kernel'.

    A scope entered again by the same caller that opened the current one is not repeated.
    """

    def __init__(self, name, caller=None):
        self.name = name
        self.caller = caller
        self._pushed = False

    def __enter__(self):
        if not (_SCOPES and self.caller is not None and _SCOPES[-1][1] is self.caller):
            _SCOPES.append((self.name, self.caller))
            self._pushed = True
        return self

    def __exit__(self, *exc):
        if self._pushed:
            _SCOPES.pop()


def current_path(name):
    return "/".join([s[0] for s in _SCOPES] + [name])


def is_keras_tensor(x):
    from tinytf.keras.models.functional import KerasTensor
    return isinstance(x, KerasTensor)


def int_shape(x):
    s = x.shape
    return tuple(s) if isinstance(s, tuple) else tuple(s.as_list())


def get_value(x):
    import numpy as np
    return np.asarray(x)


def set_value(x, value):
    x.assign(value)


def standardize_dtype(dtype):
    if dtype is None:
        return floatx()
    name = getattr(dtype, "name", None)
    if isinstance(name, str) and not isinstance(dtype, str):
        return name
    import numpy as np
    if isinstance(dtype, str):
        return dtype
    return np.dtype(dtype).name
