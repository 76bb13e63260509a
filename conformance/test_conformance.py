"""Differential tests: tinytf against TensorFlow on the expressions in cases.py.

Every result is turned into a canonical structure (``canon``) that keeps what a TF user can
observe: for a tensor its dtype, shape and values; for shapes, dtypes and specs their
contents; for containers their type and elements. Both canonical forms must agree, floats
to a dtype-dependent tolerance (NaNs and infinities in the same places).
"""

import linecache

import numpy as np
import pytest

try:
    import tensorflow  # noqa: F401 - the reference; conftest.py gives it to the tests
except ImportError:
    pytest.skip("TensorFlow is not installed: the conformance suite compares tinytf with it "
                "(see conformance/README.md)", allow_module_level=True)

import tinytf  # noqa: E402 - after the skip
from cases import (ARRAYS, CASES, ERROR_CASES, GRAD_CASES, HELPERS,  # noqa: E402
                   PRINT_CASES, TOLERANCE)


def env(tf):
    scope = {"tf": tf, "np": np}
    for name, arr in ARRAYS.items():
        scope[name] = tf.constant(arr)
    exec(HELPERS, scope)  # noqa: S102 - helper functions from cases.py only
    return scope


def _compile(src, mode):
    """Compiles a case under a file name that linecache knows, so that inspect.getsource
    works on functions it defines (TF's autograph converts only what it can read)."""
    filename = f"<conformance-case-{abs(hash(src)):x}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    return compile(src, filename, mode)


def evaluate(tf, src):
    scope = env(tf)
    if "\n" in src or src.lstrip().startswith(("def ", "for ", "with ")):
        exec(_compile(src, "exec"), scope)  # noqa: S102 - a statement case assigns `out`
        return scope["out"]
    return eval(_compile(src, "eval"), scope)  # noqa: S307 - expressions from cases.py only


# -- canonical forms -------------------------------------------------------------------

def _is_tensor_like(v):
    return hasattr(v, "numpy") and hasattr(v, "dtype") and hasattr(v, "shape")


def canon(v):
    """A comparable structure for a result of either framework."""
    kind = type(v).__name__
    if _is_tensor_like(v):  # tensors, tf.Variables, Keras variables (whose dtype is a str)
        return ("tensor", getattr(v.dtype, "name", v.dtype), np.asarray(v.numpy()))
    if kind == "IndexedSlices":
        # tinytf returns dense gradients where TF returns IndexedSlices (documented in
        # tinytf/ops/array_ops.py, gather's gradient); the dense values must still agree.
        return canon(tinytf_or_tf(v).convert_to_tensor(v))
    if kind == "TensorShape":
        return ("shape", None if v.rank is None else list(v.as_list()))
    if kind == "DType":
        return ("dtype", v.name)
    if kind == "TensorSpec":
        return ("spec", canon(v.shape), v.dtype.name, v.name)
    if isinstance(v, dict):
        return ("dict", sorted((k, canon(e)) for k, e in v.items()))
    if isinstance(v, tuple) and hasattr(v, "_fields"):
        return ("namedtuple", tuple(v._fields), [canon(e) for e in v])
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, [canon(e) for e in v])
    if isinstance(v, np.ndarray) or isinstance(v, np.generic):
        return ("numpy", np.asarray(v).dtype.name, np.asarray(v))
    if isinstance(v, (bool, int, float, complex, str, bytes, type(None))):
        return ("py", type(v).__name__, v)
    if isinstance(v, type):
        return ("class", v.__name__)
    return ("object", kind, str(v))


def tinytf_or_tf(v):
    import tensorflow
    return tensorflow if type(v).__module__.startswith("tensorflow") else tinytf


def _close(a, b, dtype, where):
    tol = TOLERANCE.get(dtype, (2e-5, 1e-6))
    if a.dtype.kind in "fc" or b.dtype.kind in "fc":
        np.testing.assert_allclose(a, b, rtol=tol[0], atol=tol[1], err_msg=where)
    else:
        np.testing.assert_array_equal(a, b, err_msg=where)


def assert_same(got, ref, where):
    """``got`` (tinytf, canonical) must match ``ref`` (TF, canonical)."""
    if isinstance(ref, tuple) and ref and ref[0] in ("tensor", "numpy"):
        assert isinstance(got, tuple) and got[0] == ref[0], f"{where}: {got[:2]} vs {ref[:2]}"
        assert got[1] == ref[1], f"{where}: dtype {got[1]} vs {ref[1]}"
        assert got[2].shape == ref[2].shape, f"{where}: shape {got[2].shape} vs {ref[2].shape}"
        _close(got[2], ref[2], ref[1], where)
        return
    if isinstance(ref, tuple) and ref and ref[0] == "py" and ref[1] == "float":
        assert isinstance(got, tuple) and got[:2] == ref[:2], f"{where}: {got} vs {ref}"
        _close(np.asarray(got[2]), np.asarray(ref[2]), "float64", where)
        return
    if isinstance(ref, (list, tuple)) and not isinstance(ref, str):
        assert type(got) is type(ref) and len(got) == len(ref), f"{where}: {got!r} vs {ref!r}"
        for i, (g, r) in enumerate(zip(got, ref)):
            assert_same(g, r, f"{where}[{i}]")
        return
    assert got == ref, f"{where}: {got!r} vs {ref!r}"


# -- the tests -------------------------------------------------------------------------

@pytest.mark.parametrize("cid,src", CASES, ids=[c[0] for c in CASES])
def test_value(ref_tf, cid, src):
    try:
        expected = canon(evaluate(ref_tf, src))
    except (AttributeError, NameError, SyntaxError) as e:
        pytest.fail(f"broken case (TensorFlow cannot run it): {type(e).__name__}: {e}")
    except Exception as e:  # TF rejects it: tinytf must reject it the same way
        with pytest.raises(Exception) as got:
            evaluate(tinytf, src)
        _same_error(src, got.value, e)
        return
    got = canon(evaluate(tinytf, src))
    assert_same(got, expected, src)


def _op_suffix(msg):
    """The ``[Op:Name]`` tag of an eager op error, if any (TF may add `` name: ...``)."""
    msg = str(msg)
    if "[Op:" not in msg:
        return None
    tag = msg[msg.rindex("[Op:"):]
    return tag[:tag.index("]") + 1] if "]" in tag else None


@pytest.mark.parametrize("src", ERROR_CASES)
def test_error_class(ref_tf, src):
    with pytest.raises(Exception) as ref:
        evaluate(ref_tf, src)
    with pytest.raises(Exception) as got:
        evaluate(tinytf, src)
    _same_error(src, got.value, ref.value)


def _same_error(src, got, ref):
    detail = (f"{src}: tinytf raised {type(got).__name__}: {got}; "
              f"TF raised {type(ref).__name__}: {ref}")
    assert type(got).__name__ == type(ref).__name__, detail
    # an eager op error names its op the way TF does: "... [Op:AddV2]"
    if _op_suffix(ref) is not None:
        assert _op_suffix(got) == _op_suffix(ref), detail


def grad(tf, wrt, body):
    scope = env(tf)
    sources = [scope[n] for n in wrt]
    with tf.GradientTape(persistent=True) as tape:
        for s in sources:
            tape.watch(s)
        out = eval(body, scope)  # noqa: S307
    return out, tape.gradient(out, sources)


@pytest.mark.parametrize("name", list(GRAD_CASES))
def test_gradient(ref_tf, name):
    wrt, body = GRAD_CASES[name]
    out_ref, g_ref = grad(ref_tf, wrt, body)
    out, g = grad(tinytf, wrt, body)
    assert_same(canon(out), canon(out_ref), body)
    assert_same(canon(g), canon(g_ref), f"d/d{wrt} {body}")


@pytest.mark.parametrize("src", PRINT_CASES)
def test_printed_text(ref_tf, src):
    a, b = evaluate(tinytf, src), evaluate(ref_tf, src)
    assert str(a) == str(b)
    assert repr(a) == repr(b)
