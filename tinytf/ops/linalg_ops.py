"""Linear algebra (TF's ``linalg_ops``): einsum, tensordot, inverse, determinant,
diagonals, trace, matvec, norms."""

import numpy as np

from tinytf.framework import dtypes, errors
from tinytf.framework.execute import execute
from tinytf.framework.registry import op
from tinytf.framework.shape import TensorShape
from tinytf.framework.tensor import Tensor
from tinytf.ops._convert import to_tensor
from tinytf.ops.array_ops import broadcast_like, reshape
from tinytf.ops.math_ops import (
    _axis_arg, _check, _group, abs, conj, matmul, reduce_max, reduce_sum, sqrt)
from tinytf.ops.shape_rules import broadcast_shapes


def _invalid(msg, op_name):
    return errors.op_error(errors.InvalidArgumentError, msg, op_name)


# -- einsum -----------------------------------------------------------------------------

_ELL = "."      # one token stands for "..." in parsed subscripts


def _tokens(sub):
    """'a...bc' -> ['a', '.', 'b', 'c']."""
    if sub.count("...") > 1 or sub.replace("...", "").count("."):
        raise ValueError(f"Invalid einsum subscripts: '{sub}'")
    out = []
    i = 0
    while i < len(sub):
        if sub.startswith("...", i):
            out.append(_ELL)
            i += 3
        else:
            if not sub[i].isalpha():
                raise ValueError(f"Invalid character '{sub[i]}' in einsum equation '{sub}'")
            out.append(sub[i])
            i += 1
    return out


def _parse(equation, n_inputs):
    """Explicit form of an einsum equation: (list of input token lists, output tokens)."""
    eq = equation.replace(" ", "")
    if "->" in eq:
        lhs, rhs = eq.split("->")
        out = _tokens(rhs)
    else:
        lhs, out = eq, None
    ins = [_tokens(s) for s in lhs.split(",")]
    if len(ins) != n_inputs:
        raise ValueError(f'Got {n_inputs} inputs for equation "{equation}", expecting '
                         f'{len(ins)}')
    if out is None:
        counts = {}
        for s in ins:
            for t in s:
                counts[t] = counts.get(t, 0) + 1
        out = ([_ELL] if _ELL in counts else []) + sorted(
            t for t, c in counts.items() if c == 1 and t != _ELL)
    return ins, out


def _join(tokens):
    return "".join("..." if t == _ELL else t for t in tokens)


def _einsum_rule(*inputs, equation):
    ins, out = _parse(equation, len(inputs))
    sizes = {}
    ell = TensorShape([])
    for x, sub in zip(inputs, ins):
        s = x.shape
        if s.rank is None:
            return TensorShape(None), inputs[0].dtype
        dims = list(s._dims)
        named = [t for t in sub if t != _ELL]
        if (_ELL in sub and len(dims) < len(named)) or (_ELL not in sub and
                                                        len(dims) != len(named)):
            raise ValueError(f"Input has rank {len(dims)} but the subscripts '{_join(sub)}' "
                             f"of einsum equation '{equation}' need rank {len(named)}")
        if _ELL in sub:
            k = sub.index(_ELL)
            n_ell = len(dims) - len(named)
            ell = broadcast_shapes(ell, TensorShape(dims[k:k + n_ell]))
            dims = dims[:k] + dims[k + n_ell:]
        for t, d in zip(named, dims):
            prev = sizes.get(t)
            if prev is not None and d is not None and prev != d and prev != 1 and d != 1:
                raise ValueError(f"Expected dimension {prev} at axis of the input shaped "
                                 f"{s} but got dimension {d} (label '{t}' of einsum "
                                 f"equation '{equation}')")
            if prev is None or prev == 1:
                sizes[t] = d
    dims = []
    for t in out:
        if t == _ELL:
            dims.extend(ell._dims)
        else:
            if t not in sizes:
                raise ValueError(f"Output subscript '{t}' does not appear in the inputs of "
                                 f"einsum equation '{equation}'")
            dims.append(sizes[t])
    return TensorShape(dims), inputs[0].dtype


@op("Einsum", infer=_einsum_rule)
def Einsum(xp, *inputs, equation):
    big = sum(x.size for x in inputs) > 4096 or len(inputs) > 2
    return xp.einsum(equation, *inputs, optimize=big)


@Einsum.gradient
def _einsum_grad(op, dy):
    equation = op.attrs["equation"]
    xs = op.inputs
    ins, out = _parse(equation, len(xs))
    grads = []
    for i, (x, sub) in enumerate(zip(xs, ins)):
        full_x, full_sub = x, None
        if len(set(sub)) != len(sub):
            # A repeated label reads a diagonal: take the gradient for the diagonal (labels
            # deduplicated), then put it back on the diagonal with identity matrices.
            full_sub = sub
            sub = list(dict.fromkeys(sub))
            x = einsum(_join(full_sub) + "->" + _join(sub), full_x)
        others = [s for j, s in enumerate(ins) if j != i]
        avail = set(out)
        for s in others:
            avail.update(s)
        target = [t for t in sub if t in avail]
        eq = ",".join(_join(s) for s in others + [out]) + "->" + _join(target)
        operands = [xs[j] for j in range(len(xs)) if j != i] + [dy]
        g = einsum(eq, *operands)
        if len(target) != len(sub):
            # Labels summed in this operand alone: put size-1 dims back, then broadcast.
            dims = x.shape.as_list()
            gdims = g.shape.as_list()
            shape, gi = [], 0
            for t in sub:
                if t == _ELL:
                    n_ell = len(dims) - (len(sub) - 1)
                    if t in target:
                        shape.extend(gdims[gi:gi + n_ell])
                        gi += n_ell
                    else:
                        shape.extend([1] * n_ell)
                elif t in target:
                    shape.append(gdims[gi])
                    gi += 1
                else:
                    shape.append(1)
            g = broadcast_like(reshape(g, shape), x)
        if full_sub is not None:
            g = _to_diagonal(g, sub, full_sub, full_x, set(equation))
        grads.append(g)
    return tuple(grads)


def _to_diagonal(g, sub, full_sub, like, used):
    """``g`` (labels ``sub``, each once) placed on the diagonals of an operand whose labels
    are ``full_sub`` (with repeats): each repeat gets a fresh label tied by an identity."""
    from tinytf.ops.array_ops import eye, shape as shape_of
    fresh = (c for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" if c not in used)
    seen, out_sub, eyes, eye_subs = set(), [], [], []
    dims = shape_of(like)
    n_ell = like.shape.rank - (len(full_sub) - 1) if _ELL in full_sub else 0
    pos = 0
    for t in full_sub:
        if t == _ELL:
            out_sub.append(t)
            pos += n_ell
            continue
        if t in seen:
            new = next(fresh)
            eyes.append(eye(dims[pos], dtype=g.dtype))
            eye_subs.append(t + new)
            out_sub.append(new)
        else:
            seen.add(t)
            out_sub.append(t)
        pos += 1
    eq = ",".join([_join(sub)] + eye_subs) + "->" + _join(out_sub)
    return einsum(eq, g, *eyes)


def einsum(equation, *inputs, **kwargs):
    """Tensor contraction over specified indices and outer product (``tf.einsum``).

    >>> tinytf.einsum('ij,jk->ik', a, b)  # matmul
    """
    name = kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError(f"Invalid keyword arguments for this function: "
                        f"{', '.join(sorted(kwargs))}. Expected: name, optimize")
    xs = tuple(to_tensor(x) for x in inputs)
    if not xs:
        raise ValueError("einsum needs at least one input")
    d = xs[0].dtype
    for x in xs[1:]:
        if x.dtype is not d:
            raise _invalid(f"cannot compute Einsum as input #1(zero-based) was expected to be a"
                           f" {d.name} tensor but is a {x.dtype.name} tensor", "Einsum")
    ins, out = _parse(equation, len(xs))
    ins, out = _expand_ellipsis(ins, out, xs)
    eq = ",".join(_join(s) for s in ins) + "->" + _join(out)
    return execute(Einsum, xs, {"equation": eq}, name=name)


def _expand_ellipsis(ins, out, xs):
    """Replaces '...' by explicit labels when ranks are known (right-aligned, as broadcasting
    aligns them), so that gradients and summed-out broadcast dims need no special case."""
    if not any(_ELL in s for s in ins) or any(x.shape.rank is None for x in xs):
        return ins, out
    used = {t for s in ins for t in s}
    free = [c for c in _LETTERS if c not in used]
    n_ell = [x.shape.rank - (len(s) - 1) if _ELL in s else 0 for x, s in zip(xs, ins)]
    if any(n < 0 for n in n_ell):
        raise ValueError(f"Input has fewer dimensions than its einsum subscripts "
                         f"{[_join(s) for s in ins]}")
    width = max(n_ell)
    if width > len(free):
        return ins, out
    labels = free[:width]

    def fill(s, n):
        if _ELL not in s:
            return s
        k = s.index(_ELL)
        return s[:k] + labels[width - n:] + s[k + 1:]
    return [fill(s, n) for s, n in zip(ins, n_ell)], fill(out, width)


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def tensordot(a, b, axes, name=None):
    """Tensor contraction of a and b along the given axes (``tf.tensordot``).

    ``axes`` is an int N (last N axes of a with the first N of b) or a pair of axis lists.
    """
    a, b = to_tensor(a), to_tensor(b)
    ra, rb = a.shape.rank, b.shape.rank
    if isinstance(axes, Tensor):
        axes = axes.numpy().tolist()
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0:
            raise ValueError(f"'axes' must be at least 0, got {n}.")
        if n > ra or n > rb:
            raise ValueError(f"'axes' must not be larger than the number of dimensions of "
                             f"tensor {a if n > ra else b}.")
        a_axes, b_axes = list(range(ra - n, ra)), list(range(n))
    else:
        if len(axes) != 2:
            raise ValueError(f"'axes' must be an integer or have length 2, got {axes}.")
        a_axes, b_axes = axes
        a_axes = [a_axes] if isinstance(a_axes, (int, np.integer)) else list(a_axes)
        b_axes = [b_axes] if isinstance(b_axes, (int, np.integer)) else list(b_axes)
        if len(a_axes) != len(b_axes):
            raise ValueError(f"Different number of contraction axes 'a' and 'b', "
                             f"{len(a_axes)} != {len(b_axes)}.")
        a_axes = [int(x) % ra for x in a_axes]
        b_axes = [int(x) % rb for x in b_axes]
    if ra + rb > len(_LETTERS):
        raise ValueError("tensordot: too many dimensions")
    sa = list(_LETTERS[:ra])
    sb = list(_LETTERS[ra:ra + rb])
    for i, j in zip(a_axes, b_axes):
        da, db = a.shape[i], b.shape[j]
        if da is not None and db is not None and da != db:
            raise _invalid(f"Matrix size-incompatible: In[0]: {a.shape.as_list()}, In[1]: "
                           f"{b.shape.as_list()}", "MatMul")
        sb[j] = sa[i]
    out = [t for k, t in enumerate(sa) if k not in a_axes] + \
        [t for k, t in enumerate(sb) if k not in b_axes]
    return einsum(f"{''.join(sa)},{''.join(sb)}->{''.join(out)}", a, b, name=name)


# -- transposes, matvec -----------------------------------------------------------------

def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Transposes the last two dimensions of a, optionally conjugating
    (``tf.linalg.matrix_transpose``)."""
    from tinytf.ops.array_ops import transpose
    a = to_tensor(a)
    rank = a.shape.rank
    if rank is not None and rank < 2:
        raise ValueError(f"Argument `a` should be a (batch) matrix with rank >= 2.  "
                         f"Received `a` = {a.numpy() if hasattr(a, 'numpy') else a} with "
                         f"shape: {a.shape}")
    perm = list(range(rank - 2)) + [rank - 1, rank - 2]
    return transpose(a, perm, conjugate=conjugate)


def adjoint(matrix, name=None):
    """Transposes the last two dimensions of and conjugates a tensor
    (``tf.linalg.adjoint``)."""
    return matrix_transpose(matrix, conjugate=True)


def matvec(a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False,
           name=None):
    """Multiplies matrix a by vector b, producing a @ b; batch dimensions broadcast
    (``tf.linalg.matvec``)."""
    from tinytf.ops.array_ops import expand_dims, squeeze
    a, b = to_tensor(a), to_tensor(b)
    if a.shape.rank is not None and a.shape.rank < 2:
        raise ValueError(f"Shape must be rank >= 2 but is rank {a.shape.rank} for 'MatMul'")
    # as TF: a column vector through MatMul (so errors name MatMul), then squeezed
    out = matmul(a, expand_dims(b, -1), transpose_a=transpose_a, adjoint_a=adjoint_a)
    return squeeze(out, -1, name=name)


# -- inverse and determinant ------------------------------------------------------------

_LINALG_TYPES = _group(dtypes.float64, dtypes.float32, dtypes.float16, dtypes.complex64,
                       dtypes.complex128)


def _square_rule(x, **attrs):
    s = x.shape
    if s.rank is not None:
        if s.rank < 2:
            raise ValueError(f"Shape must be at least rank 2 but is rank {s.rank}")
        if s[-1] is not None and s[-2] is not None and s[-1] != s[-2]:
            raise ValueError(f"Dimensions must be equal, but are {s[-2]} and {s[-1]}")
        n = s[-1] if s[-1] is not None else s[-2]      # square: one known side gives both
        return TensorShape(list(s)[:-2] + [n, n]), x.dtype
    return s, x.dtype


def _check_square(x, op_name):
    s = x.shape
    if s.rank is not None and s.rank < 2:
        raise _invalid(f"Input tensor 0 must have rank >= 2, got {s.rank}", op_name)
    if s.rank is not None and None not in (s[-1], s[-2]) and s[-1] != s[-2]:
        raise _invalid("Input matrix must be square.", op_name)


@op("MatrixInverse", infer=_square_rule)
def MatrixInverse(xp, x, *, adjoint):
    if adjoint:
        x = xp.conj(xp.swapaxes(x, -1, -2))
    try:
        return xp.linalg.inv(x)
    except Exception as e:  # noqa: BLE001 - numpy.linalg.LinAlgError
        if "Singular" in str(e):
            raise errors.InvalidArgumentError(None, None, "Input is not invertible.") from None
        raise


@MatrixInverse.gradient
def _matrix_inverse_grad(op, dy):
    y = op.outputs[0]
    if op.attrs["adjoint"]:
        return -matmul(y, matmul(dy, y, adjoint_a=True))
    return -matmul(y, matmul(dy, y, adjoint_b=True), adjoint_a=True)


def inv(input, adjoint=False, name=None):  # noqa: A002
    """Computes the inverse of one or more square invertible matrices or their adjoints
    (``tf.linalg.inv``)."""
    x = to_tensor(input)
    _check("MatrixInverse", x, _LINALG_TYPES)
    _check_square(x, "MatrixInverse")
    return execute(MatrixInverse, (x,), {"adjoint": bool(adjoint)}, name=name)


def _det_rule(x):
    s, d = _square_rule(x)
    return (s[:-2] if s.rank is not None else s), d


@op("MatrixDeterminant", infer=_det_rule)
def MatrixDeterminant(xp, x):
    return xp.linalg.det(x).astype(x.dtype, copy=False)


@MatrixDeterminant.gradient
def _matrix_determinant_grad(op, dy):
    # d det(A) / dA = det(A) * inv(A)^T
    x, y = op.inputs[0], op.outputs[0]
    scale = reshape(dy * y, y.shape.as_list() + [1, 1])
    return scale * inv(x, adjoint=True)


def det(input, name=None):  # noqa: A002
    """Computes the determinant of one or more square matrices (``tf.linalg.det``)."""
    x = to_tensor(input)
    _check("MatrixDeterminant", x, _LINALG_TYPES)
    _check_square(x, "MatrixDeterminant")
    return execute(MatrixDeterminant, (x,), name=name)


# -- diagonals and trace ----------------------------------------------------------------

def _diag_size(n, k, num_rows, num_cols):
    """TF's output size for MatrixDiagV3 with one diagonal of length n at offset k."""
    min_rows, min_cols = n + max(-k, 0), n + max(k, 0)
    if num_rows < 0 and num_cols < 0:
        size = max(min_rows, min_cols)
        return size, size
    return (num_rows if num_rows >= 0 else min_rows), (num_cols if num_cols >= 0 else min_cols)


def _diag_rule(x, *, k, num_rows, num_cols, padding_value):
    s = x.shape
    if s.rank is None or s[-1] is None:
        return TensorShape(None), x.dtype
    rows, cols = _diag_size(s[-1], k, num_rows, num_cols)
    return s[:-1].concatenate([rows, cols]), x.dtype


def _diag_index(xp, rows, cols, k, n):
    i = xp.arange(n) + max(-k, 0)
    j = xp.arange(n) + max(k, 0)
    return i, j


@op("MatrixDiagV3", infer=_diag_rule)
def MatrixDiagV3(xp, x, *, k, num_rows, num_cols, padding_value):
    n = x.shape[-1]
    rows, cols = _diag_size(n, k, num_rows, num_cols)
    out = xp.full(x.shape[:-1] + (rows, cols), padding_value, dtype=x.dtype)
    i, j = _diag_index(xp, rows, cols, k, n)
    m = min(n, rows - max(-k, 0), cols - max(k, 0))
    out[..., i[:m], j[:m]] = x[..., :m]
    return out


@MatrixDiagV3.gradient
def _matrix_diag_grad(op, dy):
    return _diag_part(dy, op.attrs["k"], 0)


def _diag_part_rule(x, *, k, padding_value):
    s = x.shape
    if s.rank is None:
        return TensorShape(None), x.dtype
    rows, cols = s[-2], s[-1]
    n = None if rows is None or cols is None else max(0, min(rows + min(k, 0), cols - max(k, 0)))
    return s[:-2].concatenate([n]), x.dtype


@op("MatrixDiagPartV3", infer=_diag_part_rule)
def MatrixDiagPartV3(xp, x, *, k, padding_value):
    return xp.diagonal(x, offset=k, axis1=-2, axis2=-1).copy()


@MatrixDiagPartV3.gradient
def _matrix_diag_part_grad(op, dy):
    x = op.inputs[0]
    rows, cols = x.shape[-2], x.shape[-1]
    return _diag(dy, op.attrs["k"], rows, cols, 0)


def _diag(x, k, num_rows, num_cols, padding_value):
    return execute(MatrixDiagV3, (x,), {"k": k, "num_rows": num_rows, "num_cols": num_cols,
                                        "padding_value": padding_value})


def _diag_part(x, k, padding_value):
    return execute(MatrixDiagPartV3, (x,), {"k": k, "padding_value": padding_value})


def _k_arg(k):
    if isinstance(k, Tensor):
        k = k.numpy().tolist()
    if isinstance(k, (list, tuple)):
        if len(k) == 1 or (len(k) == 2 and k[0] == k[1]):
            return int(k[0])
        raise NotImplementedError("tinytf supports a single diagonal (one k), not a band")
    return int(k)


def diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0,
         align="RIGHT_LEFT"):
    """Returns a batched diagonal tensor with the given diagonal values
    (``tf.linalg.diag``)."""
    x = to_tensor(diagonal)
    if x.shape.rank is not None and x.shape.rank < 1:
        raise _invalid("diagonal must be at least 1-dim, received shape: []", "MatrixDiagV3")
    return execute(MatrixDiagV3, (x,), {"k": _k_arg(k), "num_rows": int(num_rows),
                                        "num_cols": int(num_cols),
                                        "padding_value": padding_value})


def diag_part(input, name="diag_part", k=0, padding_value=0, align="RIGHT_LEFT"):  # noqa: A002
    """Returns the batched diagonal part of a batched tensor (``tf.linalg.diag_part``)."""
    x = to_tensor(input)
    if x.shape.rank is not None and x.shape.rank < 2:
        raise _invalid("input must be at least 2-dim, received shape: "
                       f"[{','.join(str(d) for d in x.shape.as_list())}]", "MatrixDiagPartV3")
    return execute(MatrixDiagPartV3, (x,), {"k": _k_arg(k), "padding_value": padding_value})


def trace(x, name=None):
    """Computes the trace of a tensor: the sum of its (batched) main diagonal
    (``tf.linalg.trace``)."""
    return reduce_sum(diag_part(x), axis=-1, name=name)


# -- norms ------------------------------------------------------------------------------

def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    """Computes the vector or matrix norm of a tensor (``tf.norm``, ``tf.linalg.norm``).

    ord: 'euclidean', 'fro', 1, 2, np.inf or any p >= 1 for vectors; 'euclidean', 'fro', 1,
    np.inf for matrices (``axis`` a pair).
    """
    x = to_tensor(tensor)
    keepdims = bool(keepdims)
    axis = _axis_arg(axis)
    is_matrix = isinstance(axis, tuple) and len(axis) == 2
    if isinstance(axis, tuple) and len(axis) not in (1, 2):
        raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique integers, "
                         f"got {axis}")
    if isinstance(axis, tuple) and len(axis) == 1:
        axis = axis[0]
    if is_matrix:
        rank = x.shape.rank
        a0, a1 = (a % rank for a in axis)
        if a0 == a1:
            raise ValueError(f"'axis' must be None, an integer, or a tuple of 2 unique "
                             f"integers, got {axis}")
        supported = ("euclidean", "fro", 1, np.inf)
        if ord not in supported:
            raise ValueError(f"'ord' must be a supported matrix norm in ['euclidean', 'fro', "
                             f"1, 2, inf], got {ord}" if ord != 2 else
                             "tinytf's norm does not support ord=2 for matrices")
    elif not (ord in ("euclidean", "fro") or
              (isinstance(ord, (int, float)) and ord > 0)):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    elif ord == "fro":
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    mag = abs(x) if x.dtype.is_complex or ord not in ("euclidean", "fro", 2) else x
    if ord in ("euclidean", "fro") or (not is_matrix and ord == 2):
        # complex inputs give a complex norm (zero imaginary part), as TF's sqrt(sum(x x*))
        sq = x * conj(x) if x.dtype.is_complex else x * x
        out = sqrt(reduce_sum(sq, axis, keepdims=keepdims))
    elif is_matrix:
        a0, a1 = (a % x.shape.rank for a in axis)
        # 1: max column sum; inf: max row sum (the summed axis has size 1 in the max).
        summed = reduce_sum(mag, a0 if ord == 1 else a1, keepdims=True)
        out = reduce_max(summed, [a0, a1], keepdims=keepdims)
    elif ord == np.inf:
        out = reduce_max(mag, axis, keepdims=keepdims)
    else:
        p = float(ord)
        out = reduce_sum(mag ** p, axis, keepdims=keepdims) ** (1.0 / p)
    return out


__all__ = ["einsum", "tensordot", "matrix_transpose", "adjoint", "matvec", "inv", "det",
           "diag", "diag_part", "trace", "norm"]
