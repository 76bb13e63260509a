"""``keras.models``: Model, Sequential, load_model, clone_model, model_from_json."""

from tinytf.keras.models.model import Model  # noqa: F401
from tinytf.keras.models.functional import Functional  # noqa: F401
from tinytf.keras.models.sequential import Sequential  # noqa: F401
from tinytf.keras.models.saving import (  # noqa: F401
    clone_model, load_model, model_from_config, model_from_json, save_model)
