"""``tf.keras`` (Keras 3 semantics): layers, models, training, saving.

Submodules load on first use: ``keras.layers``, ``keras.models``, ``keras.optimizers``,
``keras.losses``, ``keras.metrics``, ``keras.callbacks``, ``keras.datasets``,
``keras.utils``, ``keras.preprocessing``, ...
"""

import importlib as _importlib

__version__ = "3.15.0"

_SUBMODULES = {
    "layers": "tinytf.keras.layers", "models": "tinytf.keras.models",
    "optimizers": "tinytf.keras.optimizers", "losses": "tinytf.keras.losses",
    "metrics": "tinytf.keras.metrics", "callbacks": "tinytf.keras.callbacks",
    "datasets": "tinytf.keras.datasets", "utils": "tinytf.keras.utils",
    "preprocessing": "tinytf.keras.preprocessing",
    "initializers": "tinytf.keras.initializers", "regularizers": "tinytf.keras.regularizers",
    "constraints": "tinytf.keras.constraints", "activations": "tinytf.keras.activations",
    "backend": "tinytf.keras.backend", "saving": "tinytf.keras.saving",
}

_NAMES = {
    "Sequential": ("tinytf.keras.models.sequential", "Sequential"),
    "Model": ("tinytf.keras.models.model", "Model"),
    "Input": ("tinytf.keras.models.functional", "Input"),
    "Layer": ("tinytf.keras.layers.layer", "Layer"),
    "Variable": ("tinytf.keras.layers.layer", "KerasVariable"),
    "KerasTensor": ("tinytf.keras.layers.keras_tensor", "KerasTensor"),
    "InputSpec": ("tinytf.keras.layers.layer", "InputSpec"),
    "Loss": ("tinytf.keras.losses", "Loss"),
    "Metric": ("tinytf.keras.metrics", "Metric"),
    "Optimizer": ("tinytf.keras.optimizers", "Optimizer"),
    "Initializer": ("tinytf.keras.initializers", "Initializer"),
    "Regularizer": ("tinytf.keras.regularizers", "Regularizer"),
    "Constraint": ("tinytf.keras.constraints", "Constraint"),
    "clear_session": ("tinytf.keras.backend", "clear_session"),
}


def __getattr__(name):
    mod = _SUBMODULES.get(name)
    if mod is not None:
        if name == "saving":
            m = _importlib.import_module("tinytf.keras.models.saving")
        else:
            m = _importlib.import_module(mod)
        globals()[name] = m
        return m
    target = _NAMES.get(name)
    if target is not None:
        value = getattr(_importlib.import_module(target[0]), target[1])
        globals()[name] = value
        return value
    raise AttributeError(f"module 'tinytf.keras' has no attribute '{name}'")


def __dir__():
    return sorted(list(globals()) + list(_SUBMODULES) + list(_NAMES))
