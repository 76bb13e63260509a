"""``tf.random``: random number ops and ``tf.random.Generator``."""

from tinytf.ops.random_ops import (  # noqa: F401
    Algorithm, Generator, categorical, create_rng_state, get_global_generator, normal,
    set_global_generator, set_seed, shuffle, stateless_normal, stateless_truncated_normal,
    stateless_uniform, truncated_normal, uniform)
from tinytf.ops.random_ops import get_seed as _get_seed  # noqa: F401


class experimental:  # noqa: N801 - TF's module name, kept small
    """``tf.random.experimental``: the Generator API under its older names."""
    Generator = Generator
    Algorithm = Algorithm
    get_global_generator = staticmethod(get_global_generator)
    set_global_generator = staticmethod(set_global_generator)
    create_rng_state = staticmethod(create_rng_state)
