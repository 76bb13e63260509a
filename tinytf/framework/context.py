"""One thread-local context: the graph being built (None when eager), the active
tapes, and the device scope. Everything on the hot path reads ``_ctx`` attributes."""

import threading


class _Context(threading.local):
    def __init__(self):
        self.graph = None            # a Graph while building one (tf.function, TF1 mode)
        self.tapes = []              # GradientTapes that are recording, innermost last
        self.device = None           # Device chosen by tf.device(...), None = follow inputs
        self.device_name = None      # the string that scope asked for (graphs record it)
        self.graph_stack = []        # graphs entered with as_default()
        self.name_scope = ""         # eager name scope (only used for naming)


_ctx = _Context()

# Process-wide switches (TF's are global too).
_global = {"eager": True, "soft_placement": True, "run_functions_eagerly": False}


def context():
    return _ctx


def executing_eagerly():
    """True when ops run immediately (no graph is being built)."""
    return _ctx.graph is None
