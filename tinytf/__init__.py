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
from tinytf.framework.tensor_spec import TensorSpec  # noqa: F401
from tinytf.framework.tensor import Tensor, is_tensor  # noqa: F401
from tinytf.framework.tensor_conversion import register_tensor_conversion_function  # noqa
from tinytf.framework.context import executing_eagerly  # noqa: F401
from tinytf.util import nest  # noqa: F401

newaxis = None

# == ops: array (creation, shape, layout, gather/scatter) ===============================
from tinytf.ops.array_ops import (  # noqa: F401
    boolean_mask, broadcast_to, cast, concat, constant, expand_dims, eye, fill, gather,
    gather_nd, identity, linspace, meshgrid, one_hot, ones, ones_like, pad, rank, repeat,
    reshape, reverse, roll, scatter_nd, searchsorted, shape, shape_n, size, split, squeeze,
    stack, stop_gradient, strided_slice, tensor_scatter_nd_add, tensor_scatter_nd_max,
    tensor_scatter_nd_min, tensor_scatter_nd_sub, tensor_scatter_nd_update, tile, transpose,
    unstack, where, zeros, zeros_like)
from tinytf.ops.array_ops import range_ as range, slice_ as slice  # noqa: F401,A001
from tinytf.ops.array_ops import convert_to_tensor_v2 as convert_to_tensor  # noqa: F401

# == ops: math and linalg ===============================================================
from tinytf.ops.math_ops import (  # noqa: F401
    abs, acos, acosh, add, add_n, argmax, argmin, argsort, asin, asinh, atan, atan2, atanh,
    clip_by_global_norm, clip_by_norm, clip_by_value, complex, cos, cosh, cumsum, divide,
    equal, exp, floor, greater, greater_equal, less, less_equal, logical_and, logical_not,
    logical_or, matmul, maximum, minimum, multiply, negative, not_equal, pow, realdiv,
    reduce_all, reduce_any, reduce_logsumexp, reduce_max, reduce_mean, reduce_min,
    reduce_prod, reduce_sum, round, scalar_mul, sigmoid, sign, sin, sinh, sort, sqrt, square,
    subtract, tan, tanh, truediv, truncatediv, truncatemod, unique, unique_with_counts)
from tinytf.ops.linalg_ops import einsum, norm, tensordot  # noqa: F401

# == ops: nn ============================================================================

# == ops: random ========================================================================

# == variables ==========================================================================
from tinytf.ops.variables import (  # noqa: F401
    Variable, VariableAggregation, VariableSynchronization)

# == autodiff ===========================================================================
from tinytf.autodiff.tape import GradientTape, UnconnectedGradients  # noqa: F401
from tinytf.autodiff.custom_gradient import custom_gradient  # noqa: F401
from tinytf import autodiff  # noqa: F401

# == graphs: tf.function, control flow, TF1 =============================================
from tinytf.graph.function import function  # noqa: F401,E402
from tinytf.graph.graph import Graph, Operation, name_scope  # noqa: F401,E402
from tinytf.graph.gradients import gradients  # noqa: F401,E402 - tf.gradients (graphs)
from tinytf.ops.control_flow_ops import (  # noqa: F401,E402
    case, cond, control_dependencies, group, no_op, while_loop)
from tinytf.ops.control_flow_ops import tuple_ as tuple  # noqa: F401,E402,A001
from tinytf.ops.logging_ops import print_v2 as print  # noqa: F401,E402,A001

# == devices and config =================================================================
from tinytf.framework.device import DeviceSpec, device  # noqa: F401

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
