"""``tf.compat.v1``: the TF1 public surface (placeholders, Sessions, v1 variables and
initializers, ``tf.gradients``, TF1 optimizers), over the same graph machinery as
``tf.function``. Every other name falls back to the top-level ``tinytf`` namespace, so
``import tinytf.compat.v1 as tf`` gives ``tf.add``, ``tf.float32``, ``tf.matmul``, ...
"""

import contextlib
import logging as _pylogging
import sys as _sys
import types as _types

import numpy as _np

import tinytf as _tf
from tinytf.framework import dtypes as _dtypes
from tinytf.framework.context import _ctx
from tinytf.graph import session as _session
from tinytf.graph.gradients import gradients  # noqa: F401
from tinytf.graph.graph import Graph, get_default_graph, reset_default_graph  # noqa: F401
from tinytf.graph.graph import name_scope_v1 as name_scope  # noqa: F401
from tinytf.graph.session import (  # noqa: F401
    InteractiveSession, Session, disable_eager_execution, enable_eager_execution,
    executing_eagerly, executing_eagerly_outside_functions, get_default_session,
    global_variables, global_variables_initializer, is_variable_initialized,
    local_variables_initializer, placeholder, placeholder_with_default,
    report_uninitialized_variables, trainable_variables, variables_initializer)
from tinytf.ops.variables import Variable as _VariableV2

initialize_all_variables = global_variables_initializer
initialize_variables = variables_initializer
all_variables = global_variables


def disable_v2_behavior():
    """Turns TF2 behaviour off: graph mode by default (only the eager switch here)."""
    disable_eager_execution()


def enable_v2_behavior():
    enable_eager_execution()


def disable_resource_variables():
    pass


def enable_resource_variables():
    pass


def disable_v2_tensorshape():
    pass


def enable_v2_tensorshape():
    pass


def disable_control_flow_v2():
    pass


def disable_tensor_equality():
    pass


class ConfigProto:
    """Session configuration; accepted and ignored (tinytf has no session options)."""

    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)
        self.gpu_options = GPUOptions()


class GPUOptions:
    def __init__(self, **kwargs):
        self.allow_growth = False
        self.per_process_gpu_memory_fraction = 1.0
        self.__dict__.update(kwargs)


class RunOptions:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


RunMetadata = RunOptions


# -- variables -------------------------------------------------------------------------------

class Variable(_VariableV2):
    """A TF1 variable: in a graph, it has no value until its ``initializer`` runs."""

    def __init__(self, initial_value=None, trainable=None, collections=None,
                 validate_shape=True, caching_device=None, name=None, variable_def=None,
                 dtype=None, expected_shape=None, import_scope=None, constraint=None,
                 use_resource=None, synchronization=0, aggregation=0, shape=None):
        super().__init__(initial_value, trainable=trainable, validate_shape=validate_shape,
                         name=name, dtype=dtype, constraint=constraint, shape=shape)

    def eval(self, session=None):
        return _session._session_for(session, self).run(self)

    def load(self, value, session=None):
        self._value = _np.asarray(value, dtype=self.dtype._np)


VariableV1 = Variable
AUTO_REUSE = "AUTO_REUSE"


class _VarScope:
    def __init__(self, name, reuse, initializer):
        self.name = name
        self.reuse = reuse
        self.initializer = initializer
        self.original_name_scope = name + "/" if name else ""

    def reuse_variables(self):
        self.reuse = True


_scope_stack = [_VarScope("", False, None)]


def get_variable_scope():
    return _scope_stack[-1]


@contextlib.contextmanager
def variable_scope(name_or_scope, default_name=None, values=None, initializer=None,
                   regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                   reuse=None, dtype=None, use_resource=None, constraint=None,
                   auxiliary_name_scope=True):
    """Prefixes variable names (``get_variable``) and op names; controls ``reuse``."""
    outer = _scope_stack[-1]
    name = name_or_scope.name if isinstance(name_or_scope, _VarScope) else (
        name_or_scope or default_name)
    full = f"{outer.name}/{name}" if outer.name else name
    r = outer.reuse if reuse is None else reuse
    scope = _VarScope(full, r, initializer or outer.initializer)
    _scope_stack.append(scope)
    try:
        with name_scope(name):
            yield scope
    finally:
        _scope_stack.pop()


def _graph_vars():
    g = get_default_graph()
    d = getattr(g, "_v1_vars_by_name", None)
    if d is None:
        d = g._v1_vars_by_name = {}
    return d


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                 synchronization=0, aggregation=0):
    """Gets an existing variable with these parameters or creates a new one (TF1)."""
    scope = _scope_stack[-1]
    full = f"{scope.name}/{name}" if scope.name else name
    known = _graph_vars()
    if full in known:
        if scope.reuse:
            return known[full]
        raise ValueError(f"Variable {full} already exists, disallowed. Did you mean to set "
                         "reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
    if scope.reuse is True:
        raise ValueError(f"Variable {full} does not exist, or was not created with "
                         "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                         "VarScope?")
    dtype = _dtypes.as_dtype(dtype) if dtype is not None else _dtypes.float32
    init = initializer if initializer is not None else scope.initializer
    if init is None:
        init = glorot_uniform_initializer() if dtype.is_floating else zeros_initializer()
    if callable(init):
        if shape is None:
            raise ValueError(f"Shape of a new variable ({full}) must be fully defined, but "
                             "instead was <unknown>.")
        shape = list(_tf.TensorShape(shape).as_list())
        try:
            value = init(shape, dtype=dtype)
        except TypeError:
            value = init(shape)
    else:
        value = init
    g = _ctx().graph
    saved = g._name_stack if g is not None else None
    if g is not None:
        g._name_stack = ""
    try:
        v = Variable(value, trainable=trainable, name=full, dtype=dtype, constraint=constraint)
    finally:
        if g is not None:
            g._name_stack = saved
    known[full] = v
    return v


# -- initializers (TF1 classes; values computed with NumPy) ------------------------------------

def _np_dtype(dtype):
    return _dtypes.as_dtype(dtype or _dtypes.float32)._np


def _rng(seed):
    return _np.random.default_rng(seed)


class _Init:
    def get_config(self):
        return dict(self.__dict__)

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class zeros_initializer(_Init):  # noqa: N801
    def __init__(self, dtype=_dtypes.float32):
        self.dtype = dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        return _np.zeros(shape, _np_dtype(dtype or self.dtype))


class ones_initializer(_Init):  # noqa: N801
    def __init__(self, dtype=_dtypes.float32):
        self.dtype = dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        return _np.ones(shape, _np_dtype(dtype or self.dtype))


class constant_initializer(_Init):  # noqa: N801
    def __init__(self, value=0, dtype=_dtypes.float32, verify_shape=False):
        self.value = value
        self.dtype = dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        v = _np.asarray(self.value, _np_dtype(dtype or self.dtype))
        return _np.broadcast_to(v, shape).copy() if v.size == 1 else v.reshape(shape)


class random_normal_initializer(_Init):  # noqa: N801
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=_dtypes.float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        return _rng(self.seed).normal(self.mean, self.stddev, shape).astype(
            _np_dtype(dtype or self.dtype))


class truncated_normal_initializer(random_normal_initializer):  # noqa: N801
    def __call__(self, shape, dtype=None, partition_info=None):
        r = _rng(self.seed)
        v = r.normal(0, 1, shape)
        bad = _np.abs(v) > 2
        while bad.any():
            v[bad] = r.normal(0, 1, int(bad.sum()))
            bad = _np.abs(v) > 2
        return (self.mean + self.stddev * v).astype(_np_dtype(dtype or self.dtype))


class random_uniform_initializer(_Init):  # noqa: N801
    def __init__(self, minval=0.0, maxval=None, seed=None, dtype=_dtypes.float32):
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        hi = 1.0 if self.maxval is None else self.maxval
        return _rng(self.seed).uniform(self.minval, hi, shape).astype(
            _np_dtype(dtype or self.dtype))


def _fans(shape):
    if len(shape) < 1:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    rf = int(_np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * rf, shape[-1] * rf


class variance_scaling_initializer(_Init):  # noqa: N801
    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=_dtypes.float32):
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.seed, self.dtype = seed, dtype

    def __call__(self, shape, dtype=None, partition_info=None):
        fan_in, fan_out = _fans(list(shape))
        n = {"fan_in": fan_in, "fan_out": fan_out}.get(self.mode, (fan_in + fan_out) / 2)
        var = self.scale / max(1.0, n)
        dt = _np_dtype(dtype or self.dtype)
        r = _rng(self.seed)
        if self.distribution == "uniform":
            lim = _np.sqrt(3.0 * var)
            return r.uniform(-lim, lim, shape).astype(dt)
        if self.distribution in ("normal", "untruncated_normal"):
            return r.normal(0, _np.sqrt(var), shape).astype(dt)
        return truncated_normal_initializer(0.0, _np.sqrt(var) / .87962566103423978,
                                            self.seed)(shape, dt)


def glorot_uniform_initializer(seed=None, dtype=_dtypes.float32):
    return variance_scaling_initializer(1.0, "fan_avg", "uniform", seed, dtype)


def glorot_normal_initializer(seed=None, dtype=_dtypes.float32):
    return variance_scaling_initializer(1.0, "fan_avg", "truncated_normal", seed, dtype)


initializers = _types.SimpleNamespace(
    zeros=zeros_initializer, ones=ones_initializer, constant=constant_initializer,
    random_normal=random_normal_initializer, random_uniform=random_uniform_initializer,
    truncated_normal=truncated_normal_initializer, glorot_uniform=glorot_uniform_initializer,
    glorot_normal=glorot_normal_initializer, variance_scaling=variance_scaling_initializer,
    global_variables=global_variables_initializer, local_variables=local_variables_initializer,
    variables=variables_initializer)


# -- TF1 spellings of common ops ----------------------------------------------------------------

def set_random_seed(seed):
    """Sets the graph-level random seed (``tf.compat.v1.set_random_seed``)."""
    get_default_graph().seed = seed
    _tf.random.set_seed(seed)


def _v1_reduce(name):
    def fn(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
           keep_dims=None):
        if axis is None:
            axis = reduction_indices
        if keepdims is None:
            keepdims = bool(keep_dims)
        return getattr(_tf, fn.__name__)(input_tensor, axis=axis, keepdims=keepdims, name=name)
    fn.__name__ = name
    fn.__doc__ = f"TF1 ``{name}`` (accepts ``reduction_indices`` and ``keep_dims``)."
    return fn


reduce_sum = _v1_reduce("reduce_sum")
reduce_mean = _v1_reduce("reduce_mean")
reduce_max = _v1_reduce("reduce_max")
reduce_min = _v1_reduce("reduce_min")
reduce_prod = _v1_reduce("reduce_prod")
reduce_any = _v1_reduce("reduce_any")
reduce_all = _v1_reduce("reduce_all")
reduce_logsumexp = _v1_reduce("reduce_logsumexp")


def to_float(x, name="ToFloat"):
    return _tf.cast(x, _tf.float32)


def to_int32(x, name="ToInt32"):
    return _tf.cast(x, _tf.int32)


def to_int64(x, name="ToInt64"):
    return _tf.cast(x, _tf.int64)


def to_double(x, name="ToDouble"):
    return _tf.cast(x, _tf.float64)


def random_normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None, name=None):
    return _tf.random.normal(shape, mean, stddev, dtype, seed, name)


def random_uniform(shape, minval=0, maxval=None, dtype=_dtypes.float32, seed=None, name=None):
    return _tf.random.uniform(shape, minval, maxval, dtype, seed, name)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=_dtypes.float32, seed=None,
                     name=None):
    return _tf.random.truncated_normal(shape, mean, stddev, dtype, seed, name)


def div(x, y, name=None):
    """TF1 ``div``: true division for floats, floor division for integers."""
    x = _tf.convert_to_tensor(x)
    if x.dtype.is_floating or x.dtype.is_complex:
        return _tf.math.divide(x, y)
    return _tf.math.floordiv(x, y)


def arg_max(input, dimension, output_type=_dtypes.int64, name=None):  # noqa: A002
    return _tf.math.argmax(input, dimension, output_type=output_type)


def arg_min(input, dimension, output_type=_dtypes.int64, name=None):  # noqa: A002
    return _tf.math.argmin(input, dimension, output_type=output_type)


# -- tf.compat.v1.logging ---------------------------------------------------------------------

def _make_logging():
    lg = _pylogging.getLogger("tinytf")
    m = _types.ModuleType("tinytf.compat.v1.logging")
    m.DEBUG, m.INFO, m.WARN, m.ERROR, m.FATAL = 10, 20, 30, 40, 50
    m.set_verbosity = lg.setLevel
    m.get_verbosity = lg.getEffectiveLevel
    m.debug, m.info, m.warning, m.warn = lg.debug, lg.info, lg.warning, lg.warning
    m.error, m.fatal = lg.error, lg.critical
    m.log = lg.log
    return m


logging = _make_logging()
app = _types.SimpleNamespace(run=lambda main=None, argv=None: _sys.exit(
    (main or _sys.modules["__main__"].main)(argv or _sys.argv)))
flags = None


# -- train --------------------------------------------------------------------------------------

from tinytf.compat.v1 import train  # noqa: E402,F401


def __getattr__(name):
    if name in ("nn", "math", "linalg", "random", "keras", "data", "config", "layers",
                "losses", "metrics", "image", "io", "summary", "test", "dtypes", "errors",
                "nest", "compat", "saved_model", "distribute"):
        import importlib
        try:
            mod = importlib.import_module(f"tinytf.compat.v1.{name}")
        except ImportError:
            mod = getattr(_tf, name)
        globals()[name] = mod
        return mod
    try:
        value = getattr(_tf, name)
    except AttributeError:
        raise AttributeError(f"module 'tinytf.compat.v1' has no attribute '{name}'") from None
    return value
