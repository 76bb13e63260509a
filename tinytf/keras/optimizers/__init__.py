"""``keras.optimizers`` (also ``tf.optimizers``): SGD, Adam, AdamW, RMSprop, Adagrad."""

import types
import warnings

from tinytf.keras.optimizers import schedules  # noqa: F401
from tinytf.keras.optimizers.adagrad import Adagrad
from tinytf.keras.optimizers.adam import Adam, AdamW
from tinytf.keras.optimizers.optimizer import Optimizer
from tinytf.keras.optimizers.rmsprop import RMSprop
from tinytf.keras.optimizers.sgd import SGD

_ALL = {"SGD": SGD, "Adam": Adam, "AdamW": AdamW, "RMSprop": RMSprop, "Adagrad": Adagrad}
_BY_NAME = {k.lower(): v for k, v in _ALL.items()}


def serialize(optimizer):
    """The ``{"module", "class_name", "config", "registered_name"}`` dict of an optimizer."""
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(), "registered_name": None}


def deserialize(config, custom_objects=None, use_legacy_format=False):
    """Rebuilds an optimizer from ``serialize``'s dict (class names case-insensitive)."""
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or _BY_NAME.get(name.lower())
    if cls is None:
        raise ValueError(f"Could not interpret optimizer identifier: {config}")
    return cls.from_config(config["config"])


def get(identifier):
    """An optimizer from an instance, a name such as ``'adam'``, or a config dict."""
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.lower())
        if cls is not None:
            return cls()
    raise ValueError(f"Could not interpret optimizer identifier: {identifier}")


def _legacy_class(cls):
    class Legacy(cls):
        def __init__(self, *args, **kwargs):
            warnings.warn(f"`tf.keras.optimizers.legacy.{cls.__name__}` is deprecated, use "
                          f"`tf.keras.optimizers.{cls.__name__}` instead.", DeprecationWarning,
                          stacklevel=2)
            super().__init__(*args, **kwargs)
    Legacy.__name__ = Legacy.__qualname__ = cls.__name__
    return Legacy


legacy = types.ModuleType("tinytf.keras.optimizers.legacy",
                          "TF 2.x's legacy optimizers: aliases of the current ones.")
for _n, _c in _ALL.items():
    setattr(legacy, _n, _legacy_class(_c))
legacy.Optimizer = Optimizer
del _n, _c
