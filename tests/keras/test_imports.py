"""Every public Keras entry point imports on its own, in a fresh interpreter (no import
order dependence, no circular imports)."""

import subprocess
import sys

import pytest

ENTRY_POINTS = [
    "import tinytf as tf; tf.keras.Sequential",
    "import tinytf as tf; tf.keras.Model",
    "import tinytf as tf; tf.keras.Input",
    "from tinytf import keras; keras.Sequential",
    "from tinytf.keras import layers; layers.Input",
    "from tinytf.keras.layers import Dense, Input",
    "from tinytf.keras.models import Sequential, load_model",
    "from tinytf.keras import optimizers, losses, metrics, callbacks, datasets, utils",
    "import tinytf as tf; tf.keras.optimizers.Adam; tf.losses.MeanSquaredError",
    "import tinytf.compat.v1 as tf; tf.placeholder",
]


@pytest.mark.parametrize("code", ENTRY_POINTS)
def test_entry_point_imports_alone(code):
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
