"""``tf.config.threading``: the sizes of the CPU thread pools.

The intra-op pool is tinytf's own (``tinytf/backends/intra_op.py``): its threads share the
big CPU kernels (convolutions, pooling, large GEMMs and element-wise ops). While it has
more than one thread, OpenBLAS runs single-threaded and tinytf splits the GEMMs itself.
It is off (one thread) by default.
tinytf runs ops one at a time, so the inter-op setting is recorded and changes nothing.
Unlike TF, both may be changed at any time, not only before the first op.
"""

from tinytf.backends import intra_op as _intra_op

_settings = {"intra": 0, "inter": 0}


def get_intra_op_parallelism_threads():
    """The number of threads one op may use; 0 means the system picks."""
    return _settings["intra"]


def set_intra_op_parallelism_threads(num_threads):
    """Sets the threads one op may use (at most 8). 0, TF's default, means one thread in
    tinytf, or ``TINYTF_INTRA_OP_THREADS``; unlike TF, which then uses every core (see
    ``tinytf/backends/intra_op.py`` for why)."""
    n = int(num_threads)
    if n < 0:
        raise ValueError(f"num_threads must be >= 0, got {num_threads}")
    _settings["intra"] = n
    _intra_op.set_num_threads(n)


def get_inter_op_parallelism_threads():
    """The number of threads for running independent ops; 0 means the system picks."""
    return _settings["inter"]


def set_inter_op_parallelism_threads(num_threads):
    """Recorded for ``get_inter_op_parallelism_threads``; tinytf runs ops one at a time."""
    n = int(num_threads)
    if n < 0:
        raise ValueError(f"num_threads must be >= 0, got {num_threads}")
    _settings["inter"] = n
