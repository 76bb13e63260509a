"""Random number ops (TF's ``random_ops``, ``stateless_random_ops`` and
``stateful_random_ops``): ``tf.random.normal``, ``uniform``, ``truncated_normal``,
``shuffle``, ``categorical``, the stateless variants, ``tf.random.Generator`` and seeds.

Numbers are generated on the host with NumPy's ``Generator`` and copied to the op's
device, so the same seeds give the same numbers on every device (they are not TF's
numbers: TF's Philox streams differ). float32 results are drawn as float32.

Seeds follow TF's contract (``tf.random.set_seed``):
- no global seed, no op seed: fresh values on every call;
- global seed set, no op seed: each new op gets the next seed of a sequence that
  ``set_seed`` restarts, so a program that reruns gets the same numbers;
- op seed alone: the global seed defaults to ``DEFAULT_GRAPH_SEED``;
- an op with the same (global, op) seeds continues one stream: successive calls differ,
  and ``set_seed`` restarts it.
The stream lives in an ``_RNG`` attr object, so a compiled graph that reruns the kernel
gets fresh numbers on every run.
"""

import numpy as np

from tinytf.framework import dtypes
from tinytf.framework.execute import execute
from tinytf.framework.registry import not_differentiable, op
from tinytf.framework.shape import TensorShape
from tinytf.ops._convert import to_tensor
from tinytf.ops.array_ops import _invalid, _NotStatic, _run_dims, _shape_attr, _shape_tensor
from tinytf.framework.tensor_conversion import convert_to_tensor

DEFAULT_GRAPH_SEED = 87654321
_MAXINT32 = 2 ** 31 - 1

_global = {"seed": None, "op_rng": None}
_streams = {}              # (op name, dtype, seed, seed2) -> _RNG: TF's per-kernel state


class _RNG:
    """The state of one random stream (a NumPy Generator), kept in an op's attrs."""

    __slots__ = ("gen",)

    def __init__(self, gen):
        self.gen = gen

    def __repr__(self):
        return f"<RNG state {id(self):#x}>"


_UNSEEDED = _RNG(np.random.default_rng())


def set_seed(seed):
    """Sets the global random seed (``tf.random.set_seed``); restarts every seeded stream."""
    if seed is None:
        _global["seed"] = None
        _global["op_rng"] = None
    else:
        seed = int(seed)
        _global["seed"] = seed
        _global["op_rng"] = np.random.default_rng(seed & 0xFFFFFFFFFFFFFFFF)
    _streams.clear()


def get_seed(op_seed):
    """TF's ``get_seed``: the (global seed, op seed) pair an op uses; (None, None) if unseeded."""
    g = _global["seed"]
    if g is not None:
        if op_seed is None:
            op_seed = int(_global["op_rng"].integers(0, _MAXINT32))
        return g, int(op_seed)
    if op_seed is not None:
        return DEFAULT_GRAPH_SEED, int(op_seed)
    return None, None


def _stream(kind, dtype, seed):
    """The _RNG an op with this op-level ``seed`` draws from (shared by repeated calls)."""
    s1, s2 = get_seed(seed)
    if s1 is None:
        return _UNSEEDED
    key = (kind, dtype, s1, s2)
    st = _streams.get(key)
    if st is None:
        st = _streams[key] = _RNG(np.random.default_rng(
            [s1 & 0xFFFFFFFFFFFFFFFF, s2 & 0xFFFFFFFFFFFFFFFF]))
    return st


# -- host-side drawing, shared by stateful, stateless and Generator ops ------------------

_NATIVE = (np.float32, np.float64)


def _draw(gen, kind, shape, dtype, lo=None, hi=None):
    """A NumPy array of ``shape`` and ``dtype`` from ``gen`` (normal/uniform/truncated/int)."""
    npdt = dtype._np
    for d in shape:
        if d < 0:
            raise _invalid(f"Dimension {d} must be >= 0")
    draw_dt = npdt if npdt in _NATIVE else np.float32
    if kind == "normal":
        out = gen.standard_normal(shape, dtype=draw_dt)
    elif kind == "uniform":
        out = gen.random(shape, dtype=draw_dt)
    elif kind == "truncated":
        out = gen.standard_normal(shape, dtype=draw_dt)
        bad = np.abs(out) > 2.0
        while bad.any():   # resample the (about 4.6%) values beyond two standard deviations
            out[bad] = gen.standard_normal(int(bad.sum()), dtype=draw_dt)
            bad = np.abs(out) > 2.0
    elif kind == "int":
        return gen.integers(lo, hi, size=shape, dtype=npdt)
    elif kind == "full_int":
        info = np.iinfo(npdt)
        return gen.integers(info.min, info.max, size=shape, dtype=npdt, endpoint=True)
    else:
        raise ValueError(kind)
    return out.astype(npdt, copy=False)


def _to_device(xp, arr):
    return arr if xp is np else xp.asarray(arr)


def _random_rule(*args, shape, dtype, **attrs):
    return TensorShape(None if shape is None else list(shape)), dtype


def _random_kernel(kind):
    def kernel(xp, *dyn, shape, dtype, rng):
        if dyn:      # the shape as a 1-D tensor when it is known only at run time
            shape = _run_dims(dyn[0])
        return _to_device(xp, _draw(rng.gen, kind, shape, dtype))
    return kernel


def _shape_io(shape):
    """``(inputs, shape attr)`` for a random op: ``()`` and a tuple of ints when the shape
    is known while building; else the shape tensor and what is known of it (graphs)."""
    try:
        return (), _shape_attr(shape)
    except _NotStatic:
        part, t = _shape_tensor(shape)
        return (t,), part


RandomStandardNormal = op("RandomStandardNormal", infer=_random_rule, stateful=True)(
    _random_kernel("normal"))
RandomUniform = op("RandomUniform", infer=_random_rule, stateful=True)(
    _random_kernel("uniform"))
TruncatedNormal = op("TruncatedNormal", infer=_random_rule, stateful=True)(
    _random_kernel("truncated"))


def _uniform_int_kernel(xp, *dyn, shape, dtype, rng, minval, maxval):
    if dyn:
        shape = _run_dims(dyn[0])
    if minval >= maxval:
        raise _invalid(f"Need minval < maxval: {minval} >= {maxval}")
    return _to_device(xp, _draw(rng.gen, "int", shape, dtype, minval, maxval))


RandomUniformInt = op("RandomUniformInt", infer=_random_rule, stateful=True)(
    _uniform_int_kernel)


@op("RandomShuffle", infer=lambda x, *, rng: (x.shape, x.dtype), stateful=True)
def RandomShuffle(xp, x, *, rng):
    if x.ndim == 0 or x.shape[0] <= 1:
        return x
    perm = rng.gen.permutation(x.shape[0])
    return x[_to_device(xp, perm)]


def _multinomial_rule(logits, *, num_samples, output_dtype, rng):
    return TensorShape([logits.shape[0] if logits.shape.rank else None, num_samples]), \
        output_dtype


@op("Multinomial", infer=_multinomial_rule, stateful=True)
def Multinomial(xp, logits, *, num_samples, output_dtype, rng):
    if logits.ndim != 2:
        raise _invalid(f"logits should be a matrix, got shape [{','.join(map(str, logits.shape))}]")
    host = logits if xp is np else xp.asnumpy(logits)
    batch, classes = host.shape
    if classes == 0 and num_samples:
        raise _invalid("num_classes should be positive, got 0")
    if batch == 0 or num_samples == 0:
        return _to_device(xp, np.zeros((batch, num_samples), dtype=output_dtype._np))
    # Inverse CDF per row: one uniform per sample, a vectorized search in the row's CDF.
    h = host.astype(np.float64)
    h = h - np.max(np.where(np.isfinite(h), h, -np.inf), axis=1, keepdims=True)
    p = np.exp(h)
    cdf = np.cumsum(p, axis=1)
    u = rng.gen.random((batch, num_samples)) * cdf[:, -1:]
    out = (cdf[:, None, :] <= u[:, :, None]).sum(axis=-1)
    return _to_device(xp, np.minimum(out, classes - 1).astype(output_dtype._np))


not_differentiable(RandomStandardNormal, RandomUniform, TruncatedNormal, RandomUniformInt,
                   RandomShuffle, Multinomial)


# -- stateless ops: the same seed pair gives the same numbers -----------------------------

def _stateless_gen(seed):
    a, b = seed
    return np.random.Generator(np.random.Philox(key=[a & 0xFFFFFFFFFFFFFFFF,
                                                     b & 0xFFFFFFFFFFFFFFFF]))


def _stateless_kernel(kind):
    def kernel(xp, *dyn, shape, dtype, seed, minval=None, maxval=None):
        if dyn:
            shape = _run_dims(dyn[0])
        return _to_device(xp, _draw(_stateless_gen(seed), kind, shape, dtype, minval, maxval))
    return kernel


StatelessRandomNormalV2 = op("StatelessRandomNormalV2", infer=_random_rule)(
    _stateless_kernel("normal"))
StatelessRandomUniformV2 = op("StatelessRandomUniformV2", infer=_random_rule)(
    _stateless_kernel("uniform"))
StatelessTruncatedNormalV2 = op("StatelessTruncatedNormalV2", infer=_random_rule)(
    _stateless_kernel("truncated"))
StatelessRandomUniformIntV2 = op("StatelessRandomUniformIntV2", infer=_random_rule)(
    _stateless_kernel("int"))
not_differentiable(StatelessRandomNormalV2, StatelessRandomUniformV2,
                   StatelessTruncatedNormalV2, StatelessRandomUniformIntV2)


# -- public API ---------------------------------------------------------------------------

_UNIFORM_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64, dtypes.int32,
                   dtypes.int64)
_FLOAT_DTYPES = (dtypes.float16, dtypes.float32, dtypes.float64)


def _float_dtype(dtype, arg_value=0.0):
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _FLOAT_DTYPES:
        # TF converts `mean` (0.0) to the dtype first and fails there.
        convert_to_tensor(arg_value, dtype=dtype)
        raise ValueError(f"Argument `dtype` got invalid value {_dt_repr(dtype)}. Accepted "
                         "dtypes are (tf.float16, tf.bfloat16, tf.float32, tf.float64).")
    return dtype


def _dt_repr(dtype):
    return f"<dtype: '{dtype.name}'>"


def _scale_shift(x, scale, shift, dtype):
    """x * scale + shift with tinytf ops (so gradients reach tensor mean/stddev/bounds)."""
    if not (isinstance(scale, (int, float)) and scale == 1):
        x = x * convert_to_tensor(scale, dtype=dtype)
    if not (isinstance(shift, (int, float)) and shift == 0):
        x = x + convert_to_tensor(shift, dtype=dtype)
    return x


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Random values from a normal distribution (``tf.random.normal``)."""
    dtype = _float_dtype(dtype, mean)
    ins, shape = _shape_io(shape)
    rnd = execute(RandomStandardNormal, ins, {"shape": shape, "dtype": dtype,
                                              "rng": _stream("normal", dtype, seed)}, name=name)
    return _scale_shift(rnd, stddev, mean, dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None,
                     name=None):
    """Normal values, redrawn when more than two standard deviations from the mean
    (``tf.random.truncated_normal``)."""
    dtype = _float_dtype(dtype, mean)
    ins, shape = _shape_io(shape)
    rnd = execute(TruncatedNormal, ins, {"shape": shape, "dtype": dtype,
                                         "rng": _stream("truncated", dtype, seed)}, name=name)
    return _scale_shift(rnd, stddev, mean, dtype)


def _py_number(v):
    if hasattr(v, "numpy"):
        return v.numpy()[()] if hasattr(v.numpy(), "shape") else v.numpy()
    return v


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform values in ``[minval, maxval)`` (``tf.random.uniform``); integer dtypes need
    ``maxval``."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _UNIFORM_DTYPES:
        raise ValueError(f"Argument `dtype` got invalid value {_dt_repr(dtype)}. Accepted "
                         "dtypes are (tf.float16, tf.bfloat16, tf.float32, tf.float64, "
                         "tf.int32, tf.int64).")
    ins, shape = _shape_io(shape)
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        return execute(RandomUniformInt, ins, {
            "shape": shape, "dtype": dtype, "rng": _stream("int", dtype, seed),
            "minval": int(_py_number(minval)), "maxval": int(_py_number(maxval))}, name=name)
    if maxval is None:
        maxval = 1
    rnd = execute(RandomUniform, ins, {"shape": shape, "dtype": dtype,
                                       "rng": _stream("uniform", dtype, seed)}, name=name)
    if isinstance(minval, (int, float)) and isinstance(maxval, (int, float)):
        return _scale_shift(rnd, maxval - minval, minval, dtype)
    lo = convert_to_tensor(minval, dtype=dtype)
    hi = convert_to_tensor(maxval, dtype=dtype)
    return rnd * (hi - lo) + lo


def shuffle(value, seed=None, name=None):
    """Randomly shuffles a tensor along its first dimension (``tf.random.shuffle``)."""
    x = to_tensor(value)
    return execute(RandomShuffle, (x,), {"rng": _stream("shuffle", x.dtype, seed)},
                   name=name)


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Draws ``num_samples`` class indices per row of ``logits`` [batch, classes]
    (``tf.random.categorical``); int64 unless ``dtype`` says otherwise."""
    logits = to_tensor(logits)
    dtype = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype)
    n = int(_py_number(num_samples))
    return execute(Multinomial, (logits,), {"num_samples": n, "output_dtype": dtype,
                                            "rng": _stream("multinomial", dtype, seed)},
                   name=name)


def _seed_pair(seed):
    s = np.asarray(seed.numpy() if hasattr(seed, "numpy") else seed)
    if s.shape != (2,):         # TF's error, from the op that splits the seed
        from tinytf.framework import errors
        raise errors.op_error(errors.InvalidArgumentError, f"seed must have shape [2], not "
                              f"{list(s.shape)}", "StatelessRandomGetKeyCounter")
    return int(s[0]), int(s[1])


def stateless_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None,
                     alg="auto_select"):
    """Deterministic normal values: the same ``seed`` [2] gives the same numbers
    (``tf.random.stateless_normal``)."""
    dtype = _float_dtype(dtype, mean)
    ins, shape = _shape_io(shape)
    rnd = execute(StatelessRandomNormalV2, ins, {"shape": shape, "dtype": dtype,
                                                 "seed": _seed_pair(seed)}, name=name)
    return _scale_shift(rnd, stddev, mean, dtype)


def stateless_truncated_normal(shape, seed, mean=0.0, stddev=1.0, dtype=dtypes.float32,
                               name=None, alg="auto_select"):
    """Deterministic truncated normal values (``tf.random.stateless_truncated_normal``)."""
    dtype = _float_dtype(dtype, mean)
    ins, shape = _shape_io(shape)
    rnd = execute(StatelessTruncatedNormalV2, ins, {"shape": shape, "dtype": dtype,
                                                    "seed": _seed_pair(seed)}, name=name)
    return _scale_shift(rnd, stddev, mean, dtype)


def stateless_uniform(shape, seed, minval=0, maxval=None, dtype=dtypes.float32, name=None,
                      alg="auto_select"):
    """Deterministic uniform values in ``[minval, maxval)`` (``tf.random.stateless_uniform``)."""
    dtype = dtypes.as_dtype(dtype)
    if dtype not in _UNIFORM_DTYPES:
        raise ValueError(f"Argument `dtype` got invalid value {_dt_repr(dtype)}. Accepted "
                         "dtypes are (tf.float16, tf.bfloat16, tf.float32, tf.float64, "
                         "tf.int32, tf.int64).")
    ins, shape = _shape_io(shape)
    if dtype.is_integer:
        if maxval is None:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        return execute(StatelessRandomUniformIntV2, ins, {
            "shape": shape, "dtype": dtype, "seed": _seed_pair(seed),
            "minval": int(_py_number(minval)), "maxval": int(_py_number(maxval))}, name=name)
    rnd = execute(StatelessRandomUniformV2, ins, {"shape": shape, "dtype": dtype,
                                                  "seed": _seed_pair(seed)}, name=name)
    maxval = 1 if maxval is None else maxval
    lo = convert_to_tensor(minval, dtype=dtype)
    hi = convert_to_tensor(maxval, dtype=dtype)
    return rnd * (hi - lo) + lo


# -- tf.random.Generator ---------------------------------------------------------------------

StatefulStandardNormalV2 = op("StatefulStandardNormalV2", infer=_random_rule, stateful=True)(
    _random_kernel("normal"))
StatefulUniform = op("StatefulUniform", infer=_random_rule, stateful=True)(
    _random_kernel("uniform"))
StatefulTruncatedNormal = op("StatefulTruncatedNormal", infer=_random_rule, stateful=True)(
    _random_kernel("truncated"))


StatefulUniformInt = op("StatefulUniformInt", infer=_random_rule, stateful=True)(
    _uniform_int_kernel)


StatefulUniformFullInt = op("StatefulUniformFullInt", infer=_random_rule, stateful=True)(
    _random_kernel("full_int"))
not_differentiable(StatefulStandardNormalV2, StatefulUniform, StatefulTruncatedNormal,
                   StatefulUniformInt, StatefulUniformFullInt)


class Algorithm:
    """``tf.random.Algorithm``: tinytf draws with NumPy's Philox whatever is asked."""
    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


def _key_from_seed(seed):
    if hasattr(seed, "numpy"):
        seed = seed.numpy()
    arr = np.asarray(seed, dtype=np.int64).reshape(-1)
    ss = np.random.SeedSequence([int(v) & 0xFFFFFFFFFFFFFFFF for v in arr])
    return [int(v) for v in ss.generate_state(2, np.uint64)]


class Generator:
    """A random number generator with explicit state (``tf.random.Generator``).

    The state is a NumPy ``Philox`` bit generator on the host; ``state`` shows its counter
    and key as an int64 tensor (a snapshot, not a ``tf.Variable`` as in TF).
    """

    def __init__(self, copy_from=None, state=None, alg=None):
        if copy_from is not None:
            bg = np.random.Philox()
            bg.state = copy_from._rng.gen.bit_generator.state
        elif state is not None:
            s = np.asarray(state.numpy() if hasattr(state, "numpy") else state,
                           dtype=np.int64).reshape(-1)
            bg = np.random.Philox(key=[int(s[-1]) & 0xFFFFFFFFFFFFFFFF, 0],
                                  counter=[int(v) & 0xFFFFFFFFFFFFFFFF for v in s[:-1]] +
                                  [0] * (4 - len(s[:-1])))
        else:
            bg = np.random.Philox()
        self._rng = _RNG(np.random.Generator(bg))
        self._alg = Algorithm.PHILOX if alg is None else alg

    @classmethod
    def from_seed(cls, seed, alg=None):
        """A generator whose stream is determined by ``seed`` (an int or ints)."""
        g = cls.__new__(cls)
        g._rng = _RNG(np.random.Generator(np.random.Philox(key=_key_from_seed(seed))))
        g._alg = Algorithm.PHILOX if alg is None else alg
        return g

    @classmethod
    def from_non_deterministic_state(cls, alg=None):
        """A generator seeded from the operating system's entropy."""
        return cls(alg=alg)

    @classmethod
    def from_state(cls, state, alg):
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg):
        k = np.asarray(key.numpy() if hasattr(key, "numpy") else key).reshape(-1)
        c = np.asarray(counter.numpy() if hasattr(counter, "numpy") else counter).reshape(-1)
        return cls(state=list(c) + list(k), alg=alg)

    def reset_from_seed(self, seed):
        """Restarts the stream from ``seed``."""
        self._rng.gen = np.random.Generator(np.random.Philox(key=_key_from_seed(seed)))

    def reset(self, state):
        self._rng.gen = Generator(state=state)._rng.gen

    @property
    def state(self):
        st = self._rng.gen.bit_generator.state["state"]
        c, k = st["counter"], st["key"]
        return to_tensor(np.array([c[0], c[1], k[0]], dtype=np.uint64).view(np.int64))

    @property
    def algorithm(self):
        return self._alg

    def _run(self, opdef, shape, dtype, name, **extra):
        ins, shape = _shape_io(shape)
        return execute(opdef, ins, {"shape": shape, "dtype": dtype, "rng": self._rng,
                                    **extra}, name=name)

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Normal values drawn from this generator's stream."""
        dtype = _float_dtype(dtype, mean)
        return _scale_shift(self._run(StatefulStandardNormalV2, shape, dtype, name),
                            stddev, mean, dtype)

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, name=None):
        """Truncated normal values (redrawn beyond two standard deviations)."""
        dtype = _float_dtype(dtype, mean)
        return _scale_shift(self._run(StatefulTruncatedNormal, shape, dtype, name),
                            stddev, mean, dtype)

    def uniform(self, shape, minval=0, maxval=None, dtype=dtypes.float32, name=None):
        """Uniform values in ``[minval, maxval)``; integer dtypes need ``maxval``."""
        dtype = dtypes.as_dtype(dtype)
        if dtype.is_integer:
            if maxval is None:
                raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
            return self._run(StatefulUniformInt, shape, dtype, name,
                             minval=int(_py_number(minval)), maxval=int(_py_number(maxval)))
        rnd = self._run(StatefulUniform, shape, dtype, name)
        maxval = 1 if maxval is None else maxval
        if isinstance(minval, (int, float)) and isinstance(maxval, (int, float)):
            return _scale_shift(rnd, maxval - minval, minval, dtype)
        lo = convert_to_tensor(minval, dtype=dtype)
        hi = convert_to_tensor(maxval, dtype=dtype)
        return rnd * (hi - lo) + lo

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None):
        """Integers over the dtype's whole range."""
        return self._run(StatefulUniformFullInt, shape, dtypes.as_dtype(dtype), name)

    def make_seeds(self, count=1):
        """``count`` seeds (an int64 tensor [2, count]) for the stateless ops."""
        return self._run(StatefulUniformFullInt, (2, int(count)), dtypes.int64, None)

    def split(self, count=1):
        """``count`` new generators with independent streams; advances this one."""
        keys = self._rng.gen.integers(0, 2 ** 63, size=(count, 2), dtype=np.int64)
        out = []
        for k in keys:
            g = Generator.__new__(Generator)
            g._rng = _RNG(np.random.Generator(np.random.Philox(key=[int(v) for v in k])))
            g._alg = self._alg
            out.append(g)
        return out


_global_generator = [None]


def get_global_generator():
    """The process-wide Generator (``tf.random.get_global_generator``), created lazily."""
    if _global_generator[0] is None:
        _global_generator[0] = Generator.from_non_deterministic_state()
    return _global_generator[0]


def set_global_generator(generator):
    """Replaces the global Generator (``tf.random.set_global_generator``)."""
    _global_generator[0] = generator


def create_rng_state(seed, alg):
    return Generator.from_seed(seed, alg).state
