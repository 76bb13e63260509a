"""tinytf: TensorFlow 2 in plain Python on NumPy (CPU) and CuPy (GPU).

    import tinytf as tf

This module only re-exports; each name lives in the module of its TF family.
Sub-namespaces (``tf.math``, ``tf.nn``, ``tf.random``, ``tf.linalg``, ``tf.config``,
``tf.keras``, ``tf.data``, ``tf.compat.v1``, ...) are packages beside this file; the
heavy ones (keras, data, compat) load on first use, so ``import tinytf`` stays fast.
"""

__version__ = "0.1.0"

# == framework =========================================================================
from tinytf import dtypes, errors  # noqa: F401
from tinytf.dtypes import (  # noqa: F401
    DType, as_dtype, bool, complex64, complex128, double, float16, float32, float64, half,
    int8, int16, int32, int64, string, uint8, uint16, uint32, uint64)
from tinytf.framework.shape import TensorShape  # noqa: F401
from tinytf.framework.tensor import Tensor, is_tensor  # noqa: F401
from tinytf.framework.tensor_conversion import register_tensor_conversion_function  # noqa
from tinytf.framework.context import executing_eagerly  # noqa: F401
from tinytf.util import nest  # noqa: F401

newaxis = None

# == ops: array (creation, shape, layout, gather/scatter) ===============================
from tinytf.ops.array_ops import (  # noqa: F401
    cast, constant, identity, reshape, shape, stop_gradient)
from tinytf.ops.array_ops import convert_to_tensor_v2 as convert_to_tensor  # noqa: F401

# == ops: math and linalg ===============================================================
from tinytf.ops.math_ops import (  # noqa: F401
    add, conj, divide, exp, matmul, multiply, negative, reduce_sum, subtract, truediv)

# == ops: nn ============================================================================

# == ops: random ========================================================================

# == variables ==========================================================================
from tinytf.ops.variables import (  # noqa: F401
    Variable, VariableAggregation, VariableSynchronization)

# == autodiff ===========================================================================
from tinytf.autodiff.tape import GradientTape, UnconnectedGradients  # noqa: F401

# == graphs: tf.function, control flow, TF1 =============================================

# == devices and config =================================================================

# == sub-namespaces =====================================================================
from tinytf import math, linalg, nn, random, config, test  # noqa: F401,E402

_LAZY = {"keras": "tinytf.keras", "data": "tinytf.data", "compat": "tinytf.compat",
         "distribute": "tinytf.distribute", "losses": "tinytf.keras.losses",
         "optimizers": "tinytf.keras.optimizers", "metrics": "tinytf.keras.metrics",
         "initializers": "tinytf.keras.initializers", "train": "tinytf.train",
         "summary": "tinytf.summary", "io": "tinytf.io", "image": "tinytf.image",
         "saved_model": "tinytf.saved_model", "experimental": "tinytf.experimental"}


def __getattr__(name):
    mod = _LAZY.get(name)
    if mod is None:
        raise AttributeError(f"module 'tinytf' has no attribute '{name}'")
    import importlib
    m = importlib.import_module(mod)
    globals()[name] = m
    return m
