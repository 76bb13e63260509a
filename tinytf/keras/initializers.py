"""``keras.initializers``: weight initializers by class and by name.

Values are drawn on the host with NumPy. A seeded initializer gives the same values on
every call; an unseeded one draws a fresh seed from Python's ``random`` module, so
``keras.utils.set_random_seed`` / ``random.seed`` make model creation reproducible.
"""

import math
import random as _pyrandom

import numpy as np

from tinytf.keras import backend
from tinytf.keras._lookup import Lookup


def _np_dtype(dtype):
    name = backend.standardize_dtype(dtype)
    return np.dtype(name)


def _compute_fans(shape, input_axes=None, output_axes=None):
    shape = tuple(int(s) for s in shape)
    if input_axes is not None and output_axes is not None:
        return (math.prod(shape[a] for a in input_axes),
                math.prod(shape[a] for a in output_axes))
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = math.prod(shape[:-2])
    return shape[-2] * receptive, shape[-1] * receptive


class Initializer:
    """Base class: ``initializer(shape, dtype=None)`` returns a tensor of that shape."""

    def __call__(self, shape, dtype=None):
        import tinytf as tf
        return tf.constant(self._generate(tuple(shape), _np_dtype(dtype)))

    def _generate(self, shape, np_dtype):
        raise NotImplementedError

    def _rng(self):
        seed = getattr(self, "seed", None)
        if seed is None:
            seed = _pyrandom.randint(1, 10 ** 9)
        return np.random.default_rng(seed)

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def clone(self):
        return self.__class__.from_config(self.get_config())


class Zeros(Initializer):
    def _generate(self, shape, np_dtype):
        return np.zeros(shape, np_dtype)


class Ones(Initializer):
    def _generate(self, shape, np_dtype):
        return np.ones(shape, np_dtype)


class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def _generate(self, shape, np_dtype):
        return np.broadcast_to(np.asarray(self.value, np_dtype), shape).copy()

    def get_config(self):
        v = self.value
        return {"value": v.tolist() if isinstance(v, np.ndarray) else v}


class RandomNormal(Initializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def _generate(self, shape, np_dtype):
        return self._rng().normal(self.mean, self.stddev, shape).astype(np_dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class RandomUniform(Initializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def _generate(self, shape, np_dtype):
        if np.issubdtype(np_dtype, np.integer):
            return self._rng().integers(self.minval, self.maxval, shape).astype(np_dtype)
        return self._rng().uniform(self.minval, self.maxval, shape).astype(np_dtype)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


def _truncated(rng, mean, stddev, shape):
    """Normal samples re-drawn until within two standard deviations (TF's rule)."""
    out = rng.standard_normal(shape)
    bad = np.abs(out) > 2.0
    while bad.any():
        out[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(out) > 2.0
    return out * stddev + mean


class TruncatedNormal(Initializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def _generate(self, shape, np_dtype):
        return _truncated(self._rng(), self.mean, self.stddev, shape).astype(np_dtype)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


class VarianceScaling(Initializer):
    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 input_axes=None, output_axes=None):
        if scale <= 0.0:
            raise ValueError("Argument `scale` must be positive float. "
                             f"Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError("Invalid `mode` argument: expected one of {'fan_in', 'fan_out', "
                             f"'fan_avg'}}. Received: mode={mode}")
        distribution = distribution.lower()
        if distribution == "normal":
            distribution = "truncated_normal"
        if distribution not in ("uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError("Invalid `distribution` argument: expected one of {'uniform', "
                             "'truncated_normal', 'untruncated_normal'}. Received: "
                             f"distribution={distribution}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed
        self.input_axes, self.output_axes = input_axes, output_axes

    def _generate(self, shape, np_dtype):
        fan_in, fan_out = _compute_fans(shape, self.input_axes, self.output_axes)
        n = {"fan_in": fan_in, "fan_out": fan_out,
             "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        scale = self.scale / max(1.0, n)
        rng = self._rng()
        if self.distribution == "truncated_normal":
            out = _truncated(rng, 0.0, math.sqrt(scale) / 0.87962566103423978, shape)
        elif self.distribution == "untruncated_normal":
            out = rng.normal(0.0, math.sqrt(scale), shape)
        else:
            limit = math.sqrt(3.0 * scale)
            out = rng.uniform(-limit, limit, shape)
        return out.astype(np_dtype)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class _Preset(VarianceScaling):
    _args = (1.0, "fan_avg", "uniform")

    def __init__(self, seed=None, input_axes=None, output_axes=None):
        super().__init__(*self._args, seed=seed, input_axes=input_axes,
                         output_axes=output_axes)

    def get_config(self):
        return {"seed": self.seed, "input_axes": self.input_axes,
                "output_axes": self.output_axes}


class GlorotUniform(_Preset):
    _args = (1.0, "fan_avg", "uniform")


class GlorotNormal(_Preset):
    _args = (1.0, "fan_avg", "truncated_normal")


class HeNormal(_Preset):
    _args = (2.0, "fan_in", "truncated_normal")


class HeUniform(_Preset):
    _args = (2.0, "fan_in", "uniform")


class LecunNormal(_Preset):
    _args = (1.0, "fan_in", "truncated_normal")


class LecunUniform(_Preset):
    _args = (1.0, "fan_in", "uniform")


class Orthogonal(Initializer):
    def __init__(self, gain=1.0, seed=None):
        self.gain, self.seed = gain, seed

    def _generate(self, shape, np_dtype):
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        rows = math.prod(shape[:-1])
        cols = shape[-1]
        a = self._rng().standard_normal((max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return (self.gain * q.reshape(shape)).astype(np_dtype)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    def __init__(self, gain=1.0):
        self.gain = gain

    def _generate(self, shape, np_dtype):
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={shape} of rank {len(shape)}.")
        return (self.gain * np.eye(*shape)).astype(np_dtype)

    def get_config(self):
        return {"gain": self.gain}


# snake_case names (and the Keras aliases)
zeros = Zeros
ones = Ones
constant = Constant
random_normal = RandomNormal
random_uniform = RandomUniform
truncated_normal = TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform = GlorotUniform
glorot_normal = GlorotNormal
he_normal = HeNormal
he_uniform = HeUniform
lecun_normal = LecunNormal
lecun_uniform = LecunUniform
orthogonal = Orthogonal
identity = Identity
IdentityInitializer = Identity
OrthogonalInitializer = Orthogonal

_CLASSES = [Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal,
            VarianceScaling, GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal,
            LecunUniform, Orthogonal, Identity]
_BY_NAME = {c.__name__: c for c in _CLASSES}
_BY_NAME.update({backend.to_snake_case(c.__name__): c for c in _CLASSES})
_BY_NAME.update({"uniform": RandomUniform, "normal": RandomNormal, "zero": Zeros,
                 "one": Ones, "IdentityInitializer": Identity,
                 "OrthogonalInitializer": Orthogonal})


_LOOKUP = Lookup("initializer", "keras.initializers", _BY_NAME, base=Initializer)
serialize = _LOOKUP.serialize
deserialize = _LOOKUP.deserialize
get = _LOOKUP.get


def generate(initializer, shape, dtype):
    """The initial value as a host array (fast path for our initializers) or a tensor."""
    if isinstance(initializer, Initializer):
        return initializer._generate(tuple(int(s) for s in shape), _np_dtype(dtype))
    return initializer(shape, dtype=dtype)
