"""The registry sweep: every registered op has a gradient (or the not_differentiable mark)
and at least one Sample, and every Sample passes forward, shape-rule and gradient checks.

Samples come from every ``tests/ops/samples_*.py`` (format: tests/opsample.py). Tests are
parametrised by sample (``Mul-0``, ``Mul-1``, ...), so a failure names the op.
"""

import glob
import importlib
import importlib.util
import os
import pkgutil

import numpy as np
import pytest

import tinytf as tf
from gradcheck import check_grad
from tinytf.framework import dtypes
from tinytf.framework.registry import REGISTRY
from tinytf.framework.tensor import EagerTensor, Tensor, wrap

HERE = os.path.dirname(os.path.abspath(__file__))


def _import_all():
    """Imports tinytf's op-defining modules, so REGISTRY holds every op."""
    import tinytf.keras  # noqa: F401
    for pkg_name in ("tinytf.graph", "tinytf.keras", "tinytf.ops"):
        try:
            pkg = importlib.import_module(pkg_name)
        except ImportError:
            continue
        for m in pkgutil.iter_modules(pkg.__path__):
            try:
                importlib.import_module(f"{pkg_name}.{m.name}")
            except ImportError:
                pass


def _load_samples():
    samples = []
    for path in sorted(glob.glob(os.path.join(HERE, "samples_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(f"_registry_{name}", path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        samples.extend(getattr(mod, "SAMPLES", []))
    return samples


_import_all()
SAMPLES = _load_samples()
_counts = {}
_IDS = []
for _s in SAMPLES:
    _IDS.append(f"{_s.op}-{_counts.get(_s.op, 0)}")
    _counts[_s.op] = _counts.get(_s.op, 0) + 1

# Ops that need no Sample here, with the reason (keep this short).
EXEMPT = {
    "ReadVariableOp": "state op: tests/framework (Variable reads) and every tape test",
    "AssignVariableOp": "state op: Variable.assign tests",
    "AssignAddVariableOp": "state op: Variable.assign_add tests",
    "AssignSubVariableOp": "state op: Variable.assign_sub tests",
    "Placeholder": "graph-only: fed by Session.run (tests/graph)",
    "PlaceholderWithDefault": "graph-only (tests/graph)",
    "Const": "graph-only constant node (tests/graph)",
    "NoOp": "graph-only control node (tests/graph)",
    "If": "control flow with function attrs (tests/graph)",
    "StatelessIf": "control flow with function attrs (tests/graph)",
    "While": "control flow with function attrs (tests/graph)",
    "WhileGrad": "While's gradient by recomputation (tests/graph)",
    "PrintV2": "prints; no value (tests/graph)",
    "IteratorGetNext": "dataset loops inside tf.function (tests/data/test_dataset.py)",
}


# -- registry-wide checks -------------------------------------------------------------------

def test_every_op_has_gradient_or_mark():
    missing = sorted(n for n, d in REGISTRY.items() if d.grad is None and not d.nondiff)
    assert not missing, f"ops with neither a gradient nor not_differentiable: {missing}"


def test_no_op_is_both_differentiable_and_marked():
    both = sorted(n for n, d in REGISTRY.items() if d.grad is not None and d.nondiff)
    assert not both, f"ops with a gradient that are also marked not_differentiable: {both}"


def test_every_op_has_a_sample():
    sampled = {s.op for s in SAMPLES}
    missing = sorted(set(REGISTRY) - sampled - set(EXEMPT))
    assert not missing, f"ops without a Sample in tests/ops/samples_*.py: {missing}"


def test_samples_name_registered_ops():
    unknown = sorted({s.op for s in SAMPLES} - set(REGISTRY))
    assert not unknown, f"Samples name ops that are not registered: {unknown}"


def test_every_op_has_a_shape_rule():
    missing = sorted(n for n, d in REGISTRY.items() if d.infer is None)
    assert not missing, f"ops without an infer rule: {missing}"


# -- per-sample checks ----------------------------------------------------------------------

def _tensors(sample):
    return [tf.constant(x) for x in sample.inputs]


def _as_list(out):
    if isinstance(out, (list, tuple)):
        return list(out)
    return [out]


def _np(x):
    if isinstance(x, EagerTensor):
        return x.numpy()
    if hasattr(x, "_read") and hasattr(x, "numpy"):
        return x.numpy()
    return np.asarray(x)


class _Capture:
    """Wraps an OpDef's kernel to record the arrays and attrs ``execute`` gives it."""

    def __init__(self, op_def):
        self.op_def = op_def
        self.calls = []

    def __enter__(self):
        self.orig = orig = self.op_def.kernel
        calls = self.calls

        def kernel(xp, *arrays, **attrs):
            out = orig(xp, *arrays, **attrs)
            calls.append((arrays, attrs, out))
            return out
        self.op_def.kernel = kernel
        return self

    def __exit__(self, *exc):
        self.op_def.kernel = self.orig


@pytest.mark.parametrize("sample", SAMPLES, ids=_IDS)
def test_forward_and_shape_rule(sample):
    op_def = REGISTRY[sample.op]
    with _Capture(op_def) as cap:
        out = sample.fn(*_tensors(sample))
    if not cap.calls:             # eager shortcut (e.g. tf.shape): the op runs in graphs
        with _Capture(op_def) as cap:
            tf.function(sample.fn)(*_tensors(sample))
    assert cap.calls, f"the sample for {sample.op} never ran the {sample.op} kernel"
    if sample.ref is not None:
        got = _as_list(out)
        want = sample.ref(*[np.asarray(x) for x in sample.inputs])
        want = list(want) if isinstance(want, (list, tuple)) else [want]
        assert len(got) == len(want), f"{sample.op}: {len(got)} outputs, ref gives {len(want)}"
        for g, w in zip(got, want):
            g = _np(g)
            w = np.asarray(w)
            assert g.shape == w.shape, f"{sample.op}: shape {g.shape}, expected {w.shape}"
            if g.dtype == object or w.dtype == object:
                assert g.tolist() == w.tolist()
            else:
                np.testing.assert_allclose(g, w, rtol=sample.rtol, atol=sample.atol,
                                           err_msg=f"{sample.op} forward")
    if op_def.infer is None:
        pytest.fail(f"{sample.op} has no infer rule")
    for arrays, attrs, result in cap.calls[:3]:
        specs = op_def.infer(*[wrap(a) for a in arrays], **attrs)
        outs = result if isinstance(result, tuple) else (result,)
        if not isinstance(specs, list):
            specs = [specs]
        assert len(specs) == len(outs), f"{sample.op}: infer gives {len(specs)} outputs, " \
                                        f"kernel {len(outs)}"
        for (shape, dtype), o in zip(specs, outs):
            o = np.asarray(o)
            assert dtype is dtypes._BY_NP[o.dtype], \
                f"{sample.op}: infer says dtype {dtype}, kernel gave {o.dtype}"
            assert tf.TensorShape(shape).is_compatible_with(o.shape), \
                f"{sample.op}: infer says shape {shape}, kernel gave {o.shape}"


def _float_indices(sample):
    if sample.wrt is not None:
        return list(sample.wrt)
    return [i for i, x in enumerate(sample.inputs) if np.asarray(x).dtype == np.float64]


def _scalar_fn(fn):
    """``fn`` with several outputs seen as one flat float tensor (gradcheck wants one)."""
    def f(*ts):
        out = fn(*ts)
        if isinstance(out, (list, tuple)):
            parts = [tf.reshape(o, [-1]) for o in out
                     if isinstance(o, Tensor) and o.dtype.is_floating]
            return parts[0] if len(parts) == 1 else tf.concat(parts, 0)
        return out
    return f


_GRAD = [(s, i) for s, i in zip(SAMPLES, _IDS) if s.grad and _float_indices(s)
         and not REGISTRY[s.op].nondiff]


@pytest.mark.parametrize("sample", [s for s, _ in _GRAD], ids=[i for _, i in _GRAD])
def test_gradient_matches_numerical(sample):
    check_grad(_scalar_fn(sample.fn), [np.asarray(x) for x in sample.inputs],
               rtol=max(sample.rtol, 1e-5), atol=max(sample.atol, 1e-6),
               order=sample.order, wrt=_float_indices(sample))


_SMALL = [(s, i) for s, i in _GRAD
          if all(np.asarray(x).size <= 12 for x in s.inputs) and s.order == 2]


@pytest.mark.parametrize("sample", [s for s, _ in _SMALL], ids=[i for _, i in _SMALL])
def test_compute_gradient_jacobians(sample):
    """Full Jacobians from ``tf.test.compute_gradient`` (theoretical vs numerical)."""
    wrt = _float_indices(sample)
    arrays = [np.asarray(x) for x in sample.inputs]
    fn = _scalar_fn(sample.fn)
    for i in wrt:
        def f_i(xi, i=i):
            args = [tf.constant(a) for a in arrays]
            args[i] = xi
            return fn(*args)
        theo, num = tf.test.compute_gradient(f_i, [arrays[i]], delta=1e-6)
        np.testing.assert_allclose(theo[0], num[0], rtol=1e-4, atol=1e-5,
                                   err_msg=f"{sample.op}: Jacobian w.r.t. argument {i}")


@pytest.mark.parametrize("sample", SAMPLES, ids=_IDS)
def test_same_results_in_tf_function(sample):
    eager = _as_list(sample.fn(*_tensors(sample)))
    graph = _as_list(tf.function(sample.fn)(*_tensors(sample)))
    assert len(eager) == len(graph)
    for e, g in zip(eager, graph):
        e, g = _np(e), _np(g)
        assert e.shape == g.shape and e.dtype == g.dtype, \
            f"{sample.op}: eager {e.dtype}{e.shape}, tf.function {g.dtype}{g.shape}"
        if e.dtype == object:
            assert e.tolist() == g.tolist()
        else:
            np.testing.assert_allclose(g, e, rtol=1e-12, atol=0, err_msg=sample.op)


_GRAPH_GRAD = [(s, i) for s, i in _GRAD if s.order == 1]


@pytest.mark.parametrize("sample", [s for s, _ in _GRAPH_GRAD], ids=[i for _, i in _GRAPH_GRAD])
def test_gradient_through_tf_function(sample):
    """A tape over a tf.function call gives the eager gradient."""
    wrt = _float_indices(sample)
    fn = _scalar_fn(sample.fn)
    ts = _tensors(sample)
    results = []
    for f in (fn, tf.function(fn)):
        with tf.GradientTape() as tape:
            tape.watch([ts[i] for i in wrt])
            out = f(*ts)
            s = tf.reduce_sum(out * tf.constant(np.cos(np.arange(int(np.prod(out.shape))))
                                                .reshape(tuple(out.shape))))
        results.append(tape.gradient(s, [ts[i] for i in wrt]))
    for i, e, g in zip(wrt, *results):
        assert (e is None) == (g is None), f"{sample.op}: argument {i}"
        if e is not None:
            np.testing.assert_allclose(_np(g), _np(e), rtol=1e-9, atol=1e-12,
                                       err_msg=f"{sample.op}: argument {i}")


def test_nondifferentiable_ops_are_not_recorded():
    for name, d in REGISTRY.items():
        if d.nondiff:
            assert d.grad is None, name
