"""The per-thread context: the graph being built (None when eager), the active tapes, and
the device scope. Everything on the hot path reads it through ``_ctx()``.

It lives in a ``contextvars.ContextVar`` rather than a ``threading.local``: getting the
object and reading three attributes costs about 45 ns against about 210 ns for three
``threading.local`` reads, and every eager op reads it. Threads start with an empty
context, so a thread that never changed anything sees ``_FRESH``, a shared read-only
context in the default state; code that changes the context calls ``_own()``, which gives
the thread (or the asyncio task's context) its own ``_Context`` first.
"""

import contextvars


class _Context:
    __slots__ = ("graph", "tapes", "device", "device_name", "device_spec", "graph_stack",
                 "name_scope")

    def __init__(self):
        self.graph = None            # a Graph while building one (tf.function, TF1 mode)
        self.tapes = []              # GradientTapes that are recording, innermost last
        self.device = None           # Device chosen by tf.device(...), None = follow inputs
        self.device_name = None      # the string that scope asked for (graphs record it)
        self.device_spec = None      # the merged DeviceSpec of the device scopes
        self.graph_stack = []        # graphs entered with as_default()
        self.name_scope = ""         # eager name scope (only used for naming)


class _FreshContext(_Context):
    """The default state, shared by threads that never changed their context."""
    __slots__ = ()

    def __init__(self):
        for k, v in (("graph", None), ("tapes", ()), ("device", None), ("device_name", None),
                     ("device_spec", None), ("graph_stack", ()), ("name_scope", "")):
            object.__setattr__(self, k, v)

    def __setattr__(self, name, value):
        raise RuntimeError("tinytf internal error: the context is changed through _own()")


_FRESH = _FreshContext()
_var = contextvars.ContextVar("tinytf_context", default=_FRESH)
_ctx = _var.get          # _ctx() -> this thread's _Context (or _FRESH): read only


def _own():
    """This thread's own, mutable context (created on first change)."""
    ctx = _var.get()
    if ctx is _FRESH:
        ctx = _Context()
        _var.set(ctx)
    return ctx


_own()       # the importing (main) thread owns one from the start

# Process-wide switches (TF's are global too).
_global = {"eager": True, "soft_placement": True, "run_functions_eagerly": False}


def context():
    return _ctx()


def executing_eagerly():
    """True when ops run immediately (no graph is being built)."""
    return _var.get().graph is None
