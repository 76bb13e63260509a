"""The TF1 world: ``Session`` / ``InteractiveSession`` running a ``Graph`` with
``feed_dict``, ``placeholder``, variable initializers and the eager on/off switch.

A Session prunes the graph to what the fetches need, compiles that into a plan once per
(fetches, feeds) and runs the plan. Variables keep their values in themselves (not per
Session, unlike TF: see docs).
"""

import numpy as np

from tinytf.framework import dtypes
from tinytf.framework.context import _ctx, _global, _own
from tinytf.framework.shape import TensorShape
from tinytf.framework.tensor import EagerTensor, Tensor
from tinytf.graph.graph import (Operation, Placeholder, PlaceholderWithDefault, NoOp,
                                SymbolicTensor, _is_variable, get_default_graph,
                                _default_graph)
from tinytf.graph.plan import compile_plan
from tinytf.util import nest

_session_stack = []


def get_default_session():
    """The session ``Tensor.eval()`` / ``Operation.run()`` use, or None."""
    return _session_stack[-1] if _session_stack else None


def _session_for(session, what):
    s = session or get_default_session()
    if s is None:
        raise ValueError("Cannot evaluate tensor using `eval()`: No default session is "
                         "registered. Use `with sess.as_default()` or pass an explicit "
                         "session to `eval(session=sess)`")
    return s


class _DefaultSession:
    def __init__(self, sess):
        self._sess = sess

    def __enter__(self):
        _session_stack.append(self._sess)
        return self._sess

    def __exit__(self, *exc):
        if self._sess in _session_stack:
            _session_stack.remove(self._sess)
        return False


class Session:
    """A class for running TensorFlow operations (``tf.compat.v1.Session``)."""

    def __init__(self, target="", graph=None, config=None):
        self._graph = graph if graph is not None else get_default_graph()
        self._closed = False
        self._plans = {}
        self._graph_cm = None
        self._default_cm = None
        self.sess_str = target

    @property
    def graph(self):
        return self._graph

    @property
    def graph_def(self):
        return self._graph.as_graph_def()

    def as_default(self):
        return _DefaultSession(self)

    def __enter__(self):
        self._default_cm = _DefaultSession(self)
        self._default_cm.__enter__()
        if _ctx().graph is not None and _ctx().graph is not self._graph:
            self._graph_cm = self._graph.as_default()
            self._graph_cm.__enter__()
        return self

    def __exit__(self, *exc):
        if self._graph_cm is not None:
            self._graph_cm.__exit__(*exc)
            self._graph_cm = None
        if self._default_cm is not None:
            self._default_cm.__exit__(*exc)
            self._default_cm = None
        self.close()
        return False

    def close(self):
        self._closed = True
        self._plans.clear()

    def list_devices(self):
        return []

    # -- running ---------------------------------------------------------------------------
    def _fetch_element(self, f):
        g = self._graph
        if isinstance(f, str):
            try:
                return g.as_graph_element(f)
            except KeyError as e:
                raise ValueError(f"Fetch argument {f!r} cannot be interpreted as a Tensor. "
                                 f"({e.args[0]})") from None
        if isinstance(f, Operation):
            if f.graph is not g:
                raise ValueError(f"Fetch argument {f!r} cannot be interpreted as a Tensor. "
                                 f"(Operation {f!r} is not an element of this graph.)")
            return f
        if type(f) is SymbolicTensor:
            if f.graph is not g:
                raise ValueError(f"Argument `fetch` = {f} cannot be interpreted as a Tensor. "
                                 f"(Tensor {f} is not an element of this graph.)")
            return f
        if isinstance(f, EagerTensor):
            return f
        if _is_variable(f):
            r = getattr(f, "_v1_read", None)
            if r is None or r.graph is not g:
                prev = _ctx().graph
                _own().graph = g
                try:
                    r = f._read()
                finally:
                    _own().graph = prev
                f._v1_read = r
            return r
        if f is None:
            raise TypeError("Argument `fetch` = None has invalid type \"NoneType\". Cannot "
                            "be None")
        raise TypeError(f"Argument `fetch` = {f!r} has invalid type "
                        f"\"{type(f).__name__}\", must be a string or Tensor. (Can not "
                        f"convert a {type(f).__name__} into a Tensor or Operation.)")

    def _feed_key(self, k):
        g = self._graph
        if isinstance(k, str):
            try:
                k = g.as_graph_element(k, allow_operation=False)
            except (KeyError, ValueError) as e:
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {e.args[0]}") \
                    from None
        if _is_variable(k):
            k = self._fetch_element(k)
        if type(k) is not SymbolicTensor:
            raise TypeError(f"Cannot interpret feed_dict key as Tensor: Can not convert a "
                            f"{type(k).__name__} into a Tensor.")
        if k.graph is not g:
            raise TypeError(f"Cannot interpret feed_dict key as Tensor: Tensor {k} is not an "
                            "element of this graph.")
        return k

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Runs the ops and evaluates the tensors in ``fetches`` (any nesting of lists,
        tuples, namedtuples and dicts); returns NumPy values in the same structure."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        flat = nest.flatten(fetches)
        elems = [self._fetch_element(f) for f in flat]
        feeds, arrays = [], []
        if feed_dict:
            for k, v in feed_dict.items():
                for kk, vv in _expand_feed(k, v):
                    t = self._feed_key(kk)
                    feeds.append(t)
                    arrays.append(_feed_array(t, vv))
        tensors, targets = [], []
        seen = set()
        for e in elems:
            if id(e) in seen:
                continue
            seen.add(id(e))
            if isinstance(e, Operation):
                targets.append(e)
            elif type(e) is SymbolicTensor:
                tensors.append(e)
        key = (tuple(map(id, tensors)), tuple(map(id, targets)), tuple(map(id, feeds)))
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = compile_plan(self._graph, feeds, tensors, targets)
        values = plan.run(arrays)
        by_id = {id(t): v for t, v in zip(tensors, values)}
        out = []
        for e in elems:
            if isinstance(e, Operation):
                out.append(None)
            elif type(e) is SymbolicTensor:
                out.append(_result(by_id[id(e)]))
            else:
                out.append(e.numpy())
        return nest.pack_sequence_as(fetches, out) if nest.is_nested(fetches) else out[0]

    def make_callable(self, fetches, feed_list=None, accept_options=False):
        feed_list = list(feed_list or [])

        def call(*args):
            return self.run(fetches, dict(zip(feed_list, args)))
        return call

    def partial_run_setup(self, fetches, feeds=None):
        raise NotImplementedError("partial_run is not supported by tinytf")


def _expand_feed(k, v):
    if isinstance(k, (list, tuple)):
        return list(zip(k, v))
    return [(k, v)]


def _result(v):
    if not isinstance(v, np.ndarray):
        v = v.get() if hasattr(v, "get") else np.asarray(v)
    return v[()] if v.ndim == 0 else v


def _feed_array(t, value):
    if isinstance(value, EagerTensor):
        value = value.numpy()
    elif isinstance(value, Tensor):
        raise TypeError(f"The value of a feed cannot be a tf.Tensor object. Acceptable feed "
                        f"values include Python scalars, strings, lists, numpy ndarrays, or "
                        f"TensorHandles. For reference, the tensor object was {value} which "
                        f"was passed to the argument `feed_dict` with key {t}.")
    if t.dtype is dtypes.string:
        arr = np.asarray(value, dtype=object)
    else:
        try:
            arr = np.asarray(value, dtype=t.dtype._np)
        except (TypeError, ValueError) as e:
            raise ValueError(f"could not convert the feed for {t.name}: {e}") from None
    if not t.shape.is_compatible_with(arr.shape):
        raise ValueError(f"Cannot feed value of shape {arr.shape} for Tensor {t.name}, which "
                         f"has shape {t.shape}")
    return arr


class InteractiveSession(Session):
    """A Session that installs itself as the default session on construction."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        self._cm = _DefaultSession(self)
        self._cm.__enter__()

    def close(self):
        super().close()
        self._cm.__exit__(None, None, None)


# -- building blocks of TF1 graphs --------------------------------------------------------------

def _graph_or_raise(what):
    g = _ctx().graph
    if g is None:
        raise RuntimeError(f"tf.{what}() is not compatible with eager execution.")
    return g


def placeholder(dtype, shape=None, name=None):
    """A placeholder tensor that must be fed in ``Session.run`` (TF1)."""
    g = _graph_or_raise("placeholder")
    dtype = dtypes.as_dtype(dtype)
    shape = TensorShape(shape)
    t = g._add_op(Placeholder, (), {"dtype": dtype, "shape": shape, "node_name": ""},
                  name or "Placeholder", (shape, dtype))
    t._op.attrs["node_name"] = t._op.name
    return t


def placeholder_with_default(input, shape, name=None):  # noqa: A002
    """A placeholder that passes ``input`` through when it is not fed."""
    from tinytf.ops._convert import to_tensor
    g = _ctx().graph
    x = to_tensor(input)
    if g is None:
        return x
    shape = TensorShape(shape)
    if not shape.is_compatible_with(x.shape):
        raise ValueError(f"Shapes must be equal rank, but are {x.shape.rank} and "
                         f"{shape.rank}")
    return g.create_op(PlaceholderWithDefault, (x,), {"shape": shape},
                       name or "PlaceholderWithDefault")


def global_variables(scope=None):
    return get_default_graph().get_collection("variables", scope)


def trainable_variables(scope=None):
    return get_default_graph().get_collection("trainable_variables", scope)


def variables_initializer(var_list, name="init"):
    """An op that runs the initializers of ``var_list``."""
    g = _ctx().graph
    if g is None:
        return None
    inits = [v.initializer for v in var_list if getattr(v, "initializer", None) is not None]
    with g.control_dependencies(inits):
        return g.create_op(NoOp, (), {}, name)


def global_variables_initializer():
    """An op that initializes all global variables (``tf.compat.v1.global_variables_
    initializer``)."""
    return variables_initializer(global_variables(), name="init")


def local_variables_initializer():
    return variables_initializer(get_default_graph().get_collection("local_variables"),
                                 name="init_1")


def is_variable_initialized(variable):
    return variable._value is not None


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    vs = global_variables() if var_list is None else var_list
    return np.array([v.name[:-2].encode() for v in vs if v._value is None], dtype=object)


# -- eager switch -----------------------------------------------------------------------------

def disable_eager_execution():
    """Switches to TF1 graph mode: ops build the default graph, run with a Session."""
    _global["eager"] = False
    if _ctx().graph is None:
        if _default_graph[0] is None:
            _default_graph[0] = get_default_graph()
        _own().graph = _default_graph[0]


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Switches back to eager execution (TF2's default)."""
    _global["eager"] = True
    if _ctx().graph is _default_graph[0] and not _ctx().graph_stack:
        _own().graph = None


def executing_eagerly():
    return _ctx().graph is None


def executing_eagerly_outside_functions():
    return _global["eager"]
