"""``tf.print`` (the ``PrintV2`` op): prints tensors with TF's own formatting, to stderr by
default, every time the op runs (also inside ``tf.function``, unlike Python's ``print``)."""

import sys

import numpy as np

from tinytf.framework.context import _ctx
from tinytf.framework.execute import execute
from tinytf.framework.registry import not_differentiable, op
from tinytf.framework.tensor import Tensor


# -- TF's text for one tensor (tensor.cc: SummarizeValue with print_v2) ------------------------

def _float_text(v, double):
    if np.isnan(v):
        return "nan" if not np.signbit(v) else "-nan"
    if np.isinf(v):
        return "inf" if v > 0 else "-inf"
    lo, hi = (15, 17) if double else (6, 9)
    s = f"{float(v):.{lo}g}"
    cast = float if double else np.float32
    if cast(s) != v:
        s = f"{float(v):.{hi}g}"
    return s


def _element_text(v, kind, double):
    if kind == "f":
        return _float_text(v, double)
    if kind == "b":
        return "1" if v else "0"
    if kind == "c":
        return f"({_float_text(v.real, double)},{_float_text(v.imag, double)})"
    if kind == "O" or kind in "SU":
        if isinstance(v, bytes):
            v = v.decode("utf-8", "backslashreplace")
        return '"' + str(v).encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    return str(int(v))


def _spacing(dim, ndims):
    if dim == ndims - 1:
        return " "
    return "\n" * (ndims - dim - 1) + " " * (dim + 1)


def format_tensor(arr, summarize=3):
    """TF's ``tf.print`` text for an array: ``[1 2 ... 9 10]`` with ``summarize`` ends."""
    arr = np.asarray(arr)
    kind = arr.dtype.kind
    double = arr.dtype == np.float64
    if arr.dtype == np.float16:
        arr = arr.astype(np.float32)
    n = arr.ndim
    if n == 0:
        return _element_text(arr[()], kind, double)
    if summarize is None or summarize < 0:
        summarize = max(arr.shape) if arr.size else 0
    shape = arr.shape
    flat = arr.reshape(-1)
    strides = [1] * n
    for i in range(n - 2, -1, -1):
        strides[i] = strides[i + 1] * shape[i + 1]
    out = []

    def rec(dim, index):
        if dim == n:
            out.append(_element_text(flat[index], kind, double))
            return
        out.append("[")
        count = shape[dim]
        start_of_end = max(summarize, count - summarize)
        for i in range(min(summarize, count)):
            if i > 0:
                out.append(_spacing(dim, n))
            rec(dim + 1, index + strides[dim] * i)
        if count > 2 * summarize:
            out.append(_spacing(dim, n))
            out.append("...")
        for i in range(start_of_end, count):
            out.append(_spacing(dim, n))
            rec(dim + 1, index + strides[dim] * i)
        out.append("]")

    rec(0, 0)
    return "".join(out)


# -- the op ---------------------------------------------------------------------------------

_TENSOR_SLOT = object()


def _fill(template, texts):
    """Python's text for a nested structure whose tensor leaves are already formatted."""
    if template is _TENSOR_SLOT:
        return next(texts)
    if isinstance(template, _Text):
        return template.text
    if isinstance(template, dict):
        return "{" + ", ".join(f"{k!r}: {_fill(v, texts)}" for k, v in template.items()) + "}"
    if isinstance(template, list):
        return "[" + ", ".join(_fill(v, texts) for v in template) + "]"
    if isinstance(template, tuple):
        inner = ", ".join(_fill(v, texts) for v in template)
        return "(" + inner + ("," if len(template) == 1 else "") + ")"
    return repr(template)


class _Text:
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


def _stream(spec):
    if spec == "stderr":
        return sys.stderr
    if spec == "stdout":
        return sys.stdout
    return spec


@op("PrintV2", infer=lambda *a, **k: [], num_outputs=0, stateful=True)
def PrintV2(xp, *values, template, output_stream, sep, end, summarize):
    texts = iter([format_tensor(v if xp is np else xp.asnumpy(v), summarize) for v in values])
    parts = [_fill(t, texts) for t in template]
    text = sep.join(parts) + end
    if isinstance(output_stream, str) and output_stream.startswith("file://"):
        with open(output_stream[7:], "a") as f:
            f.write(text)
    elif callable(output_stream) and not hasattr(output_stream, "write"):
        output_stream(text.rstrip("\n") if end == "\n" else text)   # logging.info & co
    else:
        s = _stream(output_stream)
        s.write(text)
        if hasattr(s, "flush"):
            s.flush()
    return ()


not_differentiable(PrintV2)


_STDERR, _STDOUT = sys.stderr, sys.stdout   # the defaults as bound at import time


def print_v2(*inputs, output_stream=_STDERR, summarize=3, sep=" ", end="\n", name=None):
    """Prints the inputs (tensors formatted as TF does) each time it runs (``tf.print``)."""
    if output_stream is sys.stderr or output_stream is _STDERR:
        output_stream = "stderr"
    elif output_stream is sys.stdout or output_stream is _STDOUT:
        output_stream = "stdout"
    tensors = []

    def template(x, top):
        if isinstance(x, Tensor) or (hasattr(x, "_read") and hasattr(x, "dtype")):
            tensors.append(x._read() if not isinstance(x, Tensor) else x)
            return _TENSOR_SLOT
        if isinstance(x, dict):
            return {k: template(v, False) for k, v in x.items()}
        if isinstance(x, (list, tuple)) and not hasattr(x, "_fields"):
            items = [template(v, False) for v in x]
            return items if isinstance(x, list) else tuple(items)
        if isinstance(x, str) and top:
            return _Text(x)
        return _Text(repr(x) if isinstance(x, str) else str(x))

    tmpl = tuple(template(x, True) for x in inputs)
    result = execute(PrintV2, tuple(tensors),
                     {"template": tmpl, "output_stream": output_stream, "sep": sep,
                      "end": end, "summarize": summarize}, name=name)
    return None if _ctx().graph is None else result
