"""Neural-network ops (TF's ``nn_ops``): activations, softmax, losses, convolution, pooling.

Convolutions run on NHWC arrays (NCHW is transposed at the kernel's edges). The kernels
turn a convolution into one GEMM over *blocks* of the output row: the input rows that a
block of ``B`` output columns reads are copied once (long contiguous runs), and the filter
is laid out as a small banded ("Toeplitz") matrix, so that

    out[n, y, b*B:(b+1)*B, :] = rows[n, y, b] @ T        (one matmul for all n, y, b)

``B = 1`` is classic im2col; ``B = OW`` is a full row-Toeplitz product. ``_block`` picks
``B`` from a small cost model (copy elements, copy runs, multiply-adds). The filter and
input gradients reuse the same layout, so all three convolution ops are one GEMM plus
cheap reshapes.
"""

import functools
import threading

import numpy as np

from tinytf.backends import intra_op
from tinytf.framework import dtypes, errors
from tinytf.framework.context import _ctx
from tinytf.framework.execute import execute
from tinytf.framework.registry import op
from tinytf.framework.shape import TensorShape
from tinytf.framework.tensor import EagerTensor, Tensor
from tinytf.ops import array_ops, math_ops
from tinytf.ops._convert import binary_args, check_dtype, to_tensor
from tinytf.ops.shape_rules import same_as_input

_FLOATS = (dtypes.float16, dtypes.float32, dtypes.float64)


def _invalid(msg):
    return errors.InvalidArgumentError(None, None, msg)


def _dims(shape):
    """A shape as TF prints it in kernel messages: ``[2,3]``."""
    return "[" + ",".join(str(d) for d in shape) + "]"


def _shape_of(x):
    """``tf.shape(x)`` as int32 (a constant when eager)."""
    return array_ops.shape(x)


def _skip(op, i):
    """True when the backward pass says input ``i`` needs no gradient (TF's
    ``skip_input_indices``); graph ops without the hint compute every gradient."""
    skip = getattr(op, "skip_input_indices", None)
    return skip is not None and i in skip


# =====================================================================================
# Convolution geometry and attributes
# =====================================================================================

def _axis_size(n, k, s, d, padding, p0=0, p1=0):
    """Output size and (pad_before, pad_after) along one spatial axis (TF's rules: SAME
    puts the odd padding element after)."""
    ek = (k - 1) * d + 1
    if padding == "SAME":
        out = -(-n // s)
        total = max((out - 1) * s + ek - n, 0)
        return out, total // 2, total - total // 2
    if padding == "VALID":
        return (n - ek) // s + 1, 0, 0
    return (n + p0 + p1 - ek) // s + 1, p0, p1


def _geometry(h, w, kh, kw, strides, dilations, padding, pads, op_name="Conv2D"):
    """(sh, sw, dh, dw, pt, pb, pl, pr, oh, ow) for NHWC sizes; raises TF's error when the
    output would be empty."""
    sh, sw = strides
    dh, dw = dilations
    p = pads or (0, 0, 0, 0)
    oh, pt, pb = _axis_size(h, kh, sh, dh, padding, p[0], p[1])
    ow, pl, pr = _axis_size(w, kw, sw, dw, padding, p[2], p[3])
    for o, n, k, s, d in ((oh, h, kh, sh, dh), (ow, w, kw, sw, dw)):
        if o < 0 or (o == 0 and padding != "SAME"):
            raise _invalid(f"Computed output size would be negative: {o - 1 if o == 0 else o} "
                           f"[input_size: {n}, effective_filter_size: {(k - 1) * d + 1}, "
                           f"stride: {s}]")
    return sh, sw, dh, dw, pt, pb, pl, pr, oh, ow


def _norm_list(value, n, name, data_format, default=1):
    """TF's handling of ``strides``/``dilations``/``ksize``: an int, or a list of length 1,
    ``n`` or ``n + 2``; returns the full (n + 2)-tuple in ``data_format`` order."""
    if value is None:
        value = default
    if isinstance(value, Tensor):
        value = value.numpy().tolist()
    if isinstance(value, (int, np.integer)):
        vals = [int(value)] * n
    else:
        vals = [int(v) for v in value]
        if len(vals) == 1:
            vals = vals * n
        elif len(vals) == n + 2:
            return tuple(vals)
        elif len(vals) != n:
            raise ValueError(f"{name} should be of length 1, {n} or {n + 2}. Received: "
                             f"{name}={list(value)} of length {len(vals)}")
    if data_format.startswith("NC"):
        return (1, 1) + tuple(vals)
    return (1,) + tuple(vals) + (1,)


def _spatial(full, data_format):
    """The two spatial entries of a 4-tuple attr."""
    return (full[2], full[3]) if data_format == "NCHW" else (full[1], full[2])


def _padding_attrs(padding, data_format):
    """(padding string, explicit_paddings tuple of 8 ints) from TF's padding argument."""
    if isinstance(padding, (list, tuple)):
        pads = [list(map(int, p)) for p in padding]
        if len(pads) != 4 or any(len(p) != 2 for p in pads):
            raise ValueError(f"When padding is explicit, it must be a list of 4 pairs "
                             f"(one per dimension). Received: padding={padding}")
        batch, chan = (0, 1) if data_format == "NCHW" else (0, 3)
        if pads[batch] != [0, 0] or pads[chan] != [0, 0]:
            raise ValueError(f"The padding of the batch and channel dimensions must be 0. "
                             f"Received: padding={padding}")
        return "EXPLICIT", tuple(v for p in pads for v in p)
    if isinstance(padding, bytes):
        padding = padding.decode()
    if padding not in ("SAME", "VALID"):          # case-sensitive, as in TF
        raise _padding_error(padding)
    return padding, ()


def _padding_error(padding, op_name="Conv2D", explicit=True):
    allowed = '"SAME", "VALID", "EXPLICIT"' if explicit else '"SAME", "VALID"'
    msg = (f"Value for attr 'padding' of \"{padding}\" is not in the list of allowed values: "
           f"{allowed}\n\t; NodeDef: {{{{node {op_name}}}}}")
    if _ctx().graph is not None:
        return ValueError(msg)
    return errors.op_error(errors.InvalidArgumentError, msg, op_name)


def _explicit_hw(explicit_paddings, data_format):
    """(top, bottom, left, right) from TF's flat explicit_paddings attr."""
    if not explicit_paddings:
        return None
    p = explicit_paddings
    if data_format == "NCHW":
        return p[4], p[5], p[6], p[7]
    return p[2], p[3], p[4], p[5]


def _conv_attrs(strides, padding, data_format, dilations, n=2):
    if data_format is None:
        data_format = "NHWC"
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"data_format must be 'NHWC' or 'NCHW'. Received: "
                         f"data_format={data_format}")
    strides = _norm_list(strides, n, "strides", data_format)
    dilations = _norm_list(dilations, n, "dilations", data_format)
    padding, explicit = _padding_attrs(padding, data_format)
    return {"strides": strides, "padding": padding, "explicit_paddings": explicit,
            "data_format": data_format, "dilations": dilations}


# =====================================================================================
# Convolution kernels (NHWC, numpy or cupy)
# =====================================================================================

@functools.lru_cache(maxsize=256)
def _block(rows, ow, kh, kw, c, o, sw, dw, input_grad=False):
    """Picks the output-column block B for a convolution (see the module docstring).

    Cost model in nanoseconds, fitted on this kind of machine: 0.3 per copied element,
    8 per contiguous run, 0.02 per multiply-add with a penalty for narrow GEMMs.

    ``input_grad``: for Conv2DBackpropInput, the col2im adds replace the row copies, and
    each strided add costs about 35 ns per contiguous run (kh * chunks runs per output
    block; one chunk when a single block spans the row, more when neighbouring blocks
    overlap), so wider blocks win more often than in the forward (LeNet's conv2: B = OW,
    1.3x faster).
    """
    best, best_cost = 1, None
    for B in range(1, ow + 1):
        nb = -(-ow // B)
        if B > 1 and (nb - 1) * B >= ow:
            continue
        wb = (B - 1) * sw + (kw - 1) * dw + 1
        m, k, n = rows * nb, kh * wb * c, B * o
        if input_grad:
            runs = m * kh * (1 if nb == 1 else -(-wb // (B * sw))) * 35
        else:
            runs = m * kh * 8
        cost = m * k * 0.3 + runs + m * k * n * 0.02 * (1 + 16 / n)
        if best_cost is None or cost < best_cost:
            best, best_cost = B, cost
    nb = -(-ow // best)
    return best, nb, (best - 1) * sw + (kw - 1) * dw + 1


@functools.lru_cache(maxsize=256)
def _toeplitz_index(B, kw, sw, dw):
    xi = np.arange(B)[:, None]
    ji = np.arange(kw)[None, :]
    return xi * sw + ji * dw, np.broadcast_to(xi, (B, kw)).copy()


def _toeplitz(xp, w, B, wb, sw, dw):
    """Banded filter matrix T (kh*wb*c, B*o): T[i, x*sw + j*dw, c, x, o] = w[i, j, c, o]."""
    kh, kw, c, o = w.shape
    T = xp.zeros((kh, wb, c, B, o), dtype=w.dtype)
    wi, xi = _toeplitz_index(B, kw, sw, dw)
    T[:, xp.asarray(wi), :, xp.asarray(xi), :] = w.transpose(1, 0, 2, 3)[None]
    return T.reshape(kh * wb * c, B * o)


def _as_strided(xp, a, shape, strides):
    return xp.lib.stride_tricks.as_strided(a, shape=shape, strides=strides)


def _padded(xp, x, top, bottom, left, right, fill=0):
    if not (top or bottom or left or right):
        return xp.ascontiguousarray(x)
    n, h, w, c = x.shape
    out = xp.full((n, top + h + bottom, left + w + right, c), fill, dtype=x.dtype) if fill \
        else xp.zeros((n, top + h + bottom, left + w + right, c), dtype=x.dtype)
    out[:, top:top + h, left:left + w] = x
    return out


def _conv_rows(xp, x, kh, g, B, nb, wb):
    """The (n*oh*nb, kh*wb*c) matrix of input rows read by each output block."""
    sh, sw, dh, dw, pt, pb, pl, pr, oh, ow = g
    n, h, w, c = x.shape
    need_h = (oh - 1) * sh + (kh - 1) * dh + 1
    need_w = (nb - 1) * B * sw + wb
    xpad = _padded(xp, x, pt, max(need_h - pt - h, 0), pl, max(need_w - pl - w, 0))
    s0, s1, s2, s3 = xpad.strides
    view = _as_strided(xp, xpad, (n, oh, nb, kh, wb * c), (s0, s1 * sh, s2 * B * sw, s1 * dh, s3))
    rows = xp.empty((n, oh, nb, kh, wb * c), dtype=x.dtype)

    def copy(s):
        rows[s] = view[s]
    intra_op.parallel(xp, n, rows.size, copy)
    return rows.reshape(n * oh * nb, kh * wb * c)


def _dy_blocks(xp, dy, B, nb):
    n, oh, ow, o = dy.shape
    if nb * B != ow:
        full = xp.zeros((n, oh, nb * B, o), dtype=dy.dtype)
        full[:, :, :ow] = dy
        dy = full
    return dy.reshape(n * oh * nb, B * o)


# Conv2D's forward keeps its rows matrix for the Conv2DBackpropFilter that usually follows
# on the same input array (eager tapes and compiled gradient plans alike). The backward
# takes the entry out; at most a few recent entries and 64 MiB stay otherwise.
_ROWS_CACHE = {}
_ROWS_CACHE_BYTES = 64 << 20


_ROWS_LOCK = threading.Lock()


def _cached_rows(xp, x, kh, g, B, nb, wb, keep):
    key = (id(x), x.shape, kh, g, B)
    with _ROWS_LOCK:
        hit = _ROWS_CACHE.pop(key, None)
    if hit is not None and hit[0] is x:
        return hit[1]
    rows = _conv_rows(xp, x, kh, g, B, nb, wb)
    if keep and rows.nbytes <= _ROWS_CACHE_BYTES // 4:
        with _ROWS_LOCK:
            while len(_ROWS_CACHE) >= 4 or (_ROWS_CACHE and rows.nbytes + sum(
                    r.nbytes for _, r in _ROWS_CACHE.values()) > _ROWS_CACHE_BYTES):
                _ROWS_CACHE.pop(next(iter(_ROWS_CACHE)))
            _ROWS_CACHE[key] = (x, rows)
    return rows


def _conv_fwd(xp, x, w, g, cache=False):
    kh, kw, c, o = w.shape
    n = x.shape[0]
    sh, sw, dh, dw, pt, pb, pl, pr, oh, ow = g
    B, nb, wb = _block(n * oh, ow, kh, kw, c, o, sw, dw)
    rows = _cached_rows(xp, x, kh, g, B, nb, wb, True) if cache else \
        _conv_rows(xp, x, kh, g, B, nb, wb)
    out = intra_op.matmul(xp, rows, _toeplitz(xp, w, B, wb, sw, dw)).reshape(n, oh, nb * B, o)
    return out[:, :, :ow] if nb * B != ow else out


def _conv_filter_grad(xp, x, dy, kshape, g, cache=False):
    kh, kw, c, o = kshape
    n = x.shape[0]
    sh, sw, dh, dw, pt, pb, pl, pr, oh, ow = g
    B, nb, wb = _block(n * oh, ow, kh, kw, c, o, sw, dw)
    rows = _cached_rows(xp, x, kh, g, B, nb, wb, False) if cache else \
        _conv_rows(xp, x, kh, g, B, nb, wb)
    dT = intra_op.matmul(xp, rows.T, _dy_blocks(xp, dy, B, nb)).reshape(kh, wb, c, B, o)
    wi, xi = _toeplitz_index(B, kw, sw, dw)
    dw_ = dT[:, xp.asarray(wi), :, xp.asarray(xi), :].sum(axis=0)     # (kw, kh, c, o)
    return xp.ascontiguousarray(dw_.transpose(1, 0, 2, 3))


def _conv_input_grad(xp, xshape, w, dy, g):
    kh, kw, c, o = w.shape
    n, h, wd, _ = xshape
    sh, sw, dh, dw, pt, pb, pl, pr, oh, ow = g
    B, nb, wb = _block(n * oh, ow, kh, kw, c, o, sw, dw, input_grad=True)
    G = intra_op.matmul(xp, _dy_blocks(xp, dy, B, nb), _toeplitz(xp, w, B, wb, sw, dw).T)
    G = G.reshape(n, oh, nb, kh, wb, c)
    step = B * sw                                  # input columns between blocks
    # chunks of a window that do not overlap the next block's (one when there is one block)
    nq = 1 if nb == 1 else -(-wb // step)
    hp = max(pt + h, (oh - 1) * sh + (kh - 1) * dh + 1)
    wp = max(pl + wd, (nb - 1) * step + wb)
    dxp = xp.zeros((n, hp, wp, c), dtype=dy.dtype)
    s0, s1, s2, s3 = dxp.strides

    def scatter(s):                # col2im: add each kernel row's chunk at its offset
        part, gp = dxp[s], G[s]
        m = part.shape[0]
        for i in range(kh):
            for q in range(nq):
                u0, u1 = q * step, wb if q + 1 == nq else (q + 1) * step
                tgt = _as_strided(xp, part[:, i * dh:, u0:], (m, oh, nb, u1 - u0, c),
                                  (s0, s1 * sh, s2 * step, s2, s3))
                tgt += gp[:, :, :, i, u0:u1, :]
    intra_op.parallel(xp, n, G.size, scatter)
    return dxp[:, pt:pt + h, pl:pl + wd]


def _to_nhwc(x, data_format):
    return x.transpose(0, 2, 3, 1) if data_format == "NCHW" else x


def _from_nhwc(x, data_format):
    return x.transpose(0, 3, 1, 2) if data_format == "NCHW" else x


def _conv_setup(xshape_nhwc, kshape, strides, padding, explicit_paddings, data_format,
                dilations, op_name):
    """Checks a Conv2D-family call on concrete shapes; returns (geometry, groups)."""
    if len(xshape_nhwc) != 4:
        raise _invalid(f"input must be 4-dimensional{_dims(xshape_nhwc)}")
    if len(kshape) != 4:
        raise _invalid(f"filter must be 4-dimensional: {_dims(kshape)}")
    c, kc = xshape_nhwc[3], kshape[2]
    if kc == 0 or c % kc:
        raise _invalid(f"input depth must be evenly divisible by filter depth: {c} vs {kc}")
    groups = c // kc
    if kshape[3] % groups:
        raise _invalid(f"output depth must be evenly divisible by number of groups: "
                       f"{kshape[3]} vs {groups}")
    if strides[0] != 1 or strides[3 if data_format == "NHWC" else 1] != 1:
        raise errors.UnimplementedError(None, None, "Current implementation does not yet "
                                        "support strides in the batch and depth dimensions.")
    g = _geometry(xshape_nhwc[1], xshape_nhwc[2], kshape[0], kshape[1],
                  _spatial(strides, data_format), _spatial(dilations, data_format), padding,
                  _explicit_hw(explicit_paddings, data_format), op_name)
    return g, groups


def _conv2d_kernel(xp, x, w, strides, padding, explicit_paddings, data_format, dilations):
    x = _to_nhwc(x, data_format)
    g, groups = _conv_setup(x.shape, w.shape, strides, padding, explicit_paddings,
                            data_format, dilations, "Conv2D")
    if groups == 1:
        out = _conv_fwd(xp, x, w, g, cache=data_format == "NHWC")
    else:
        kc, og = w.shape[2], w.shape[3] // groups
        out = xp.concatenate([_conv_fwd(xp, x[..., i * kc:(i + 1) * kc],
                                        w[..., i * og:(i + 1) * og], g)
                              for i in range(groups)], axis=-1)
    return _from_nhwc(out, data_format)


def _conv_filter_kernel(xp, x, kshape, dy, strides, padding, explicit_paddings, data_format,
                        dilations):
    x, dy = _to_nhwc(x, data_format), _to_nhwc(dy, data_format)
    g, groups = _conv_setup(x.shape, kshape, strides, padding, explicit_paddings,
                            data_format, dilations, "Conv2DBackpropFilter")
    _check_out_backprop(dy.shape, (x.shape[0], g[8], g[9], kshape[3]), "Conv2DBackpropFilter")
    if groups == 1:
        return _conv_filter_grad(xp, x, dy, kshape, g, cache=data_format == "NHWC")
    kc, og = kshape[2], kshape[3] // groups
    return xp.concatenate([_conv_filter_grad(xp, x[..., i * kc:(i + 1) * kc],
                                             dy[..., i * og:(i + 1) * og],
                                             kshape[:3] + (og,), g)
                           for i in range(groups)], axis=-1)


def _conv_input_kernel(xp, xshape, w, dy, strides, padding, explicit_paddings, data_format,
                       dilations):
    dy = _to_nhwc(dy, data_format)
    if len(xshape) != 4:
        raise _invalid(f"input_sizes must be 4-dimensional, got: {len(xshape)}")
    xshape = tuple(xshape)
    xs = (xshape[0], xshape[2], xshape[3], xshape[1]) if data_format == "NCHW" else xshape
    g, groups = _conv_setup(xs, w.shape, strides, padding, explicit_paddings, data_format,
                            dilations, "Conv2DBackpropInput")
    _check_out_backprop(dy.shape, (xs[0], g[8], g[9], w.shape[3]), "Conv2DBackpropInput")
    if groups == 1:
        dx = _conv_input_grad(xp, xs, w, dy, g)
    else:
        kc, og = w.shape[2], w.shape[3] // groups
        dx = xp.concatenate([_conv_input_grad(xp, xs[:3] + (kc,), w[..., i * og:(i + 1) * og],
                                              dy[..., i * og:(i + 1) * og], g)
                             for i in range(groups)], axis=-1)
    return _from_nhwc(dx, data_format)


def _check_out_backprop(got, want, op_name):
    """TF's check that the incoming gradient has the forward output's NHWC shape."""
    kind = "Input" if "Input" in op_name else "Filter"
    if len(got) != 4:
        raise _invalid(f"Conv2DCustomBackprop{kind}: out_backprop must be 4-dimensional")
    for i in range(4):
        if got[i] != want[i]:
            raise _invalid(f"Conv2DCustomBackprop{kind}: Size of out_backprop doesn't match "
                           f"computed: actual = {got[i]}, computed = {want[i]} spatial_dim: "
                           f"{i} (out_backprop {_dims(got)}, expected {_dims(want)})")


def _sizes(a):
    return tuple(int(v) for v in a.tolist())


# -- shape rules -----------------------------------------------------------------------

def _static_geometry_dim(n, k, s, d, padding, p0, p1):
    if n is None or k is None:
        return None
    out, _, _ = _axis_size(n, k, s, d, padding, p0, p1)
    if out < 0 or (out == 0 and padding != "SAME"):
        raise ValueError(f"Computed output size would be negative: {out} [input_size: {n}, "
                         f"effective_filter_size: {(k - 1) * d + 1}, stride: {s}]")
    return out


def _conv_out_shape(xdims, kdims, strides, padding, explicit_paddings, data_format,
                    dilations):
    """Static NHWC/NCHW output dims of a Conv2D from input and filter dims (None allowed)."""
    if data_format == "NCHW":
        n, c, h, w = xdims
    else:
        n, h, w, c = xdims
    kh, kw, kc, o = kdims
    if c is not None and kc is not None and (kc == 0 or c % kc):
        raise ValueError(f"Depth of input ({c}) is not a multiple of input depth of filter "
                         f"({kc})")
    sh, sw = _spatial(strides, data_format)
    dh, dw = _spatial(dilations, data_format)
    p = _explicit_hw(explicit_paddings, data_format) or (0, 0, 0, 0)
    oh = _static_geometry_dim(h, kh, sh, dh, padding, p[0], p[1])
    ow = _static_geometry_dim(w, kw, sw, dw, padding, p[2], p[3])
    return [n, o, oh, ow] if data_format == "NCHW" else [n, oh, ow, o]


def _conv2d_rule(x, w, **attrs):
    xs = x.shape.with_rank(4) if x.shape.rank is not None else TensorShape([None] * 4)
    ks = w.shape.with_rank(4) if w.shape.rank is not None else TensorShape([None] * 4)
    if x.dtype is not w.dtype:
        raise TypeError(f"Input 'filter' of 'Conv2D' Op has type {w.dtype.name} that does not "
                        f"match type {x.dtype.name} of argument 'input'.")
    return TensorShape(_conv_out_shape(xs.as_list(), ks.as_list(), **attrs)), x.dtype


def _sizes_shape(sizes, rank):
    """Static value of a sizes input (eager, a constant, or ``tf.shape(t)`` of a tensor
    whose static shape is partly known); unknown dims otherwise."""
    if isinstance(sizes, EagerTensor):
        return TensorShape([int(d) for d in np.asarray(sizes._value).reshape(-1)])
    op = getattr(sizes, "_op", None)
    if op is not None and op.op_def.name == "Shape":
        return op.inputs[0].shape
    from tinytf.graph.graph import constant_value, constant_value_as_shape
    value = constant_value(sizes)
    if value is not None:
        return TensorShape([int(d) for d in np.asarray(value).reshape(-1)])
    partial = constant_value_as_shape(sizes)    # e.g. tf.stack([tf.shape(x)[0], 14, 14, 5])
    if partial.rank == rank:
        return partial
    return TensorShape([None] * rank)


def _conv_input_rule(sizes, w, dy, **attrs):
    return _sizes_shape(sizes, 4), w.dtype


def _conv_filter_rule(x, sizes, dy, **attrs):
    return _sizes_shape(sizes, 4), x.dtype


# -- the ops ---------------------------------------------------------------------------

@op("Conv2D", infer=_conv2d_rule)
def Conv2D(xp, x, w, *, strides, padding, explicit_paddings, data_format, dilations):
    return _conv2d_kernel(xp, x, w, strides, padding, explicit_paddings, data_format,
                          dilations)


@op("Conv2DBackpropInput", infer=_conv_input_rule)
def Conv2DBackpropInput(xp, input_sizes, w, dy, *, strides, padding, explicit_paddings,
                        data_format, dilations):
    return _conv_input_kernel(xp, _sizes(input_sizes), w, dy, strides, padding,
                              explicit_paddings, data_format, dilations)


@op("Conv2DBackpropFilter", infer=_conv_filter_rule)
def Conv2DBackpropFilter(xp, x, filter_sizes, dy, *, strides, padding, explicit_paddings,
                         data_format, dilations):
    return _conv_filter_kernel(xp, x, _sizes(filter_sizes), dy, strides, padding,
                               explicit_paddings, data_format, dilations)


@Conv2D.gradient
def _conv2d_grad(op, dy):
    x, w = op.inputs
    a = op.attrs
    dx = None if _skip(op, 0) else execute(Conv2DBackpropInput, (_shape_of(x), w, dy), a)
    dw = None if _skip(op, 1) else execute(Conv2DBackpropFilter, (x, _shape_of(w), dy), a)
    return dx, dw


@Conv2DBackpropInput.gradient
def _conv2d_backprop_input_grad(op, g):
    # dx = conv^T(dy; w) is linear in w and dy.
    _, w, dy = op.inputs
    a = op.attrs
    dw = None if _skip(op, 1) else execute(Conv2DBackpropFilter, (g, _shape_of(w), dy), a)
    ddy = None if _skip(op, 2) else execute(Conv2D, (g, w), a)
    return None, dw, ddy


@Conv2DBackpropFilter.gradient
def _conv2d_backprop_filter_grad(op, g):
    x, _, dy = op.inputs
    a = op.attrs
    dx = None if _skip(op, 0) else execute(Conv2DBackpropInput, (_shape_of(x), g, dy), a)
    ddy = None if _skip(op, 2) else execute(Conv2D, (x, g), a)
    return dx, None, ddy


def _check_conv_dtypes(op_name, x, w):
    if x.dtype is not w.dtype:
        msg = (f"cannot compute {op_name} as input #1(zero-based) was expected to be a "
               f"{x.dtype.name} tensor but is a {w.dtype.name} tensor")
        if _ctx().graph is not None:
            raise TypeError(msg)
        raise errors.op_error(errors.InvalidArgumentError, msg, op_name)
    check_dtype(op_name, x, _FLOATS + (dtypes.int32,), "input")


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None,  # noqa: A002
           name=None):
    """Computes a 2-D convolution given 4-D ``input`` and ``filters`` (``tf.nn.conv2d``).

    >>> tf.nn.conv2d(tf.ones((1, 5, 5, 1)), tf.ones((3, 3, 1, 2)), 1, 'SAME').shape
    TensorShape([1, 5, 5, 2])
    """
    x, w = to_tensor(input), to_tensor(filters)
    _check_conv_dtypes("Conv2D", x, w)
    attrs = _conv_attrs(strides, padding, data_format, dilations)
    return execute(Conv2D, (x, w), attrs, name=name)


def _sizes_tensor(sizes):
    if isinstance(sizes, Tensor):
        return sizes if sizes.dtype in (dtypes.int32, dtypes.int64) else \
            array_ops.cast(sizes, dtypes.int32)
    if isinstance(sizes, TensorShape):
        sizes = sizes.as_list()
    return array_ops.constant(np.asarray([int(s) for s in sizes], dtype=np.int32))


def conv2d_backprop_input(input_sizes, filters, out_backprop, strides, padding,
                          data_format="NHWC", dilations=None, name=None):
    """The gradient of conv2d with respect to its input (``tf.nn.conv2d_backprop_input``)."""
    w, dy = to_tensor(filters), to_tensor(out_backprop)
    _check_conv_dtypes("Conv2DBackpropInput", dy, w)
    attrs = _conv_attrs(strides, padding, data_format, dilations)
    return execute(Conv2DBackpropInput, (_sizes_tensor(input_sizes), w, dy), attrs, name=name)


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           data_format="NHWC", dilations=None, name=None):
    """The gradient of conv2d with respect to its filter (``tf.nn.conv2d_backprop_filter``)."""
    x, dy = to_tensor(input), to_tensor(out_backprop)
    _check_conv_dtypes("Conv2DBackpropFilter", x, dy)
    attrs = _conv_attrs(strides, padding, data_format, dilations)
    return execute(Conv2DBackpropFilter, (x, _sizes_tensor(filter_sizes), dy), attrs,
                   name=name)


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", dilations=None, name=None):
    """The transpose of conv2d: the gradient of conv2d w.r.t. its input
    (``tf.nn.conv2d_transpose``). ``filters`` is [height, width, output_channels, in_channels].
    """
    return conv2d_backprop_input(output_shape, filters, input, strides, padding, data_format,
                                 dilations, name=name)


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None,  # noqa: A002
           name=None):
    """Computes a 1-D convolution of 3-D ``input`` and ``filters`` (``tf.nn.conv1d``), via
    conv2d on a height-1 image."""
    if data_format not in (None, "NWC", "NCW"):
        raise ValueError(f"data_format must be \"NWC\" or \"NCW\". Received: "
                         f"data_format={data_format}")
    x, w = to_tensor(input), to_tensor(filters)
    ncw = data_format == "NCW"
    stride = _conv1d_list(stride, ncw, "stride")
    dilations = _conv1d_list(dilations, ncw, "dilations")
    if isinstance(padding, (list, tuple)):
        padding = _conv1d_padding(padding, ncw)
    x4 = _expand(x, 2 if ncw else 1)
    w4 = _expand(w, 0)
    y = conv2d(x4, w4, stride, padding, "NCHW" if ncw else "NHWC", dilations, name=name)
    return _squeeze_axis(y, 2 if ncw else 1)


def _conv1d_list(v, ncw, name):
    if v is None:
        return None
    if isinstance(v, (int, np.integer)):
        return [1, int(v)]
    v = [int(a) for a in v]
    if len(v) == 1:
        return [1, v[0]]
    if len(v) == 3:
        return [1, 1, 1, v[2]] if ncw else [1, 1, v[1], 1]
    raise ValueError(f"{name} should be of length 1 or 3. Received: {name}={v} of length "
                     f"{len(v)}")


def _conv1d_padding(padding, ncw):
    p = [list(a) for a in padding]
    if len(p) != 3:
        raise ValueError(f"When padding is explicit, it must be a list of 3 pairs. Received: "
                         f"padding={padding}")
    return [p[0], p[1], [0, 0], p[2]] if ncw else [p[0], [0, 0], p[1], p[2]]


def _expand(x, axis):
    shape = list(x.shape)
    if None in shape:
        from tinytf.ops import array_ops as A
        return A.expand_dims(x, axis)
    return array_ops.reshape(x, shape[:axis] + [1] + shape[axis:])


def _squeeze_axis(x, axis):
    shape = list(x.shape)
    if None in shape:
        return array_ops.squeeze(x, [axis])
    return array_ops.reshape(x, shape[:axis] + shape[axis + 1:])


def convolution(input, filters, strides=None, padding="VALID", data_format=None,  # noqa: A002
                dilations=None, name=None):
    """N-D convolution for N = 1 or 2 (``tf.nn.convolution``)."""
    x = to_tensor(input)
    rank = x.shape.rank
    if rank == 3:
        return conv1d(x, filters, 1 if strides is None else strides, padding,
                      data_format or "NWC", dilations, name=name)
    if rank == 4:
        return conv2d(x, filters, 1 if strides is None else strides, padding,
                      data_format or "NHWC", dilations, name=name)
    raise NotImplementedError(f"tinytf's convolution supports 1-D and 2-D inputs (rank 3 or 4)"
                              f"; got rank {rank}")


def depthwise_conv2d(input, filter, strides, padding, data_format=None,  # noqa: A002
                     dilations=None, name=None):
    """Depthwise 2-D convolution (``tf.nn.depthwise_conv2d``): filter [kh, kw, in, mult];
    each input channel is convolved with its own ``mult`` filters (a grouped conv2d)."""
    x, w = to_tensor(input), to_tensor(filter)
    kh, kw, c, m = w.shape.as_list()
    # grouped conv2d with groups = c: filter [kh, kw, 1, c*m], output channel k*m + j.
    w2 = array_ops.reshape(w, [kh, kw, 1, c * m])
    return conv2d(x, w2, strides, padding, data_format or "NHWC", dilations, name=name)


# =====================================================================================
# Pooling
# =====================================================================================

def _pool_setup(xshape, ksize, strides, padding, explicit_paddings, data_format, op_name):
    """NHWC geometry (sh, sw, kh, kw, pt, pb, pl, pr, oh, ow) of a 2-D pooling op."""
    if len(xshape) != 4:
        raise _invalid(f"input must be 4-dimensional{_dims(xshape)}")
    b, c = (0, 1) if data_format == "NCHW" else (0, 3)
    if ksize[b] != 1 or strides[b] != 1:
        raise errors.UnimplementedError(None, None, "Pooling is not yet supported on the "
                                        "batch dimension.")
    if ksize[c] != 1 or strides[c] != 1:
        raise errors.UnimplementedError(None, None, "MaxPooling supports exactly one of "
                                        "pooling across depth or pooling across width/height.")
    kh, kw = _spatial(ksize, data_format)
    if kh <= 0 or kw <= 0:
        raise _invalid(f"Sliding window ksize for dimension 1 was zero.")
    g = _geometry(xshape[1], xshape[2], kh, kw, _spatial(strides, data_format), (1, 1),
                  padding, _explicit_hw(explicit_paddings, data_format), op_name)
    sh, sw, _, _, pt, pb, pl, pr, oh, ow = g
    return sh, sw, kh, kw, pt, pb, pl, pr, oh, ow


def _lowest(xp, dtype):
    if dtype.kind == "f":
        return -np.inf
    if dtype.kind == "b":
        return False
    return np.iinfo(dtype).min


def _pool_padded(xp, x, pg, fill):
    """The padded input, big enough for every window (extra rows/cols are never read)."""
    sh, sw, kh, kw, pt, pb, pl, pr, oh, ow = pg
    n, h, w, c = x.shape
    bottom = max((oh - 1) * sh + kh - pt - h, 0)
    right = max((ow - 1) * sw + kw - pl - w, 0)
    if not (pt or bottom or pl or right):
        return x
    if fill == 0:
        out = xp.zeros((n, pt + h + bottom, pl + w + right, c), dtype=x.dtype)
    else:
        out = xp.full((n, pt + h + bottom, pl + w + right, c), fill, dtype=x.dtype)
    out[:, pt:pt + h, pl:pl + w] = x
    return out


def _windows(a, pg):
    """(offset index, view) for each window offset, views of shape (n, oh, ow, c)."""
    sh, sw, kh, kw, pt, pb, pl, pr, oh, ow = pg
    k = 0
    for i in range(kh):
        for j in range(kw):
            yield k, a[:, i:i + (oh - 1) * sh + 1:sh, j:j + (ow - 1) * sw + 1:sw]
            k += 1


def _tiles_exactly(pg, hp, wp):
    """Windows are disjoint and cover the (padded) input exactly."""
    sh, sw, kh, kw, pt, pb, pl, pr, oh, ow = pg
    return sh == kh and sw == kw and hp == oh * kh and wp == ow * kw


def _max_pool_kernel(xp, x, pg):
    n, c = x.shape[0], x.shape[3]
    if xp is not np or intra_op.num_threads() < 2 or x.size < 2 * intra_op._MIN_PART:
        return _max_pool_one(xp, x, pg)
    out = xp.empty((n, pg[8], pg[9], c), dtype=x.dtype)

    def part(s):
        out[s] = _max_pool_one(xp, x[s], pg)
    intra_op.parallel(xp, n, x.size, part)
    return out


def _max_pool_one(xp, x, pg):
    sh, sw, kh, kw, pt, pb, pl, pr, oh, ow = pg
    n, h, w, c = x.shape
    if sh == kh and sw == kw and h == oh * kh and w == ow * kw:
        # Disjoint windows tiling the input (the usual 2x2/2): fold rows, then columns,
        # on a reshaped view whose inner runs are kw*c long.
        r = x.reshape(n, oh, kh, ow, kw * c)
        m = r[:, :, 0]
        for i in range(1, kh):
            m = xp.fmax(m, r[:, :, i], out=m if i > 1 else None)
        out = m[..., :c]
        for j in range(1, kw):
            out = xp.fmax(out, m[..., j * c:(j + 1) * c], out=out if j > 1 else None)
        return out if kw > 1 else xp.ascontiguousarray(out)
    xpad = _pool_padded(xp, x, pg, _lowest(xp, x.dtype))
    out = None
    for k, v in _windows(xpad, pg):
        # TF skips NaN in a window (its comparisons are false); fmax does the same.
        out = v.copy() if out is None else xp.fmax(out, v, out=out)
    return out


def _max_pool_selections(xp, x, y, pg):
    """Yields (offset, window view of x's padded buffer, mask): the mask marks the one
    element per window that receives the gradient, the first maximum in row-major window
    order (as TF's CPU kernel picks on ties)."""
    xpad = _pool_padded(xp, x, pg, _lowest(xp, x.dtype))
    kk = pg[2] * pg[3]
    taken = None
    for k, v in _windows(xpad, pg):
        eq = v == y
        if taken is None:
            sel, taken = eq, eq.copy() if kk > 1 else eq
        else:
            sel = eq > taken                       # equal here and not taken before
            if k + 1 < kk:
                taken |= eq
        yield k, sel


def _max_pool_grad_kernel(xp, x, y, dy, pg):
    n, h, w, c = x.shape
    sh, sw, kh, kw, pt, pb, pl, pr, oh, ow = pg
    hp = max(pt + h, (oh - 1) * sh + kh)
    wp = max(pl + w, (ow - 1) * sw + kw)
    # Disjoint windows and a finite dy: each element is written once, as g * sel (the
    # fastest pass); g * 0 gives -0 where g < 0, turned into TF's +0 at the end. Otherwise
    # the elements that get nothing must stay +0 (inf * 0 would be NaN): xp.where.
    floating = dy.dtype.kind in "fc"
    fast = _tiles_exactly(pg, hp, wp) and not (floating and not bool(xp.isfinite(dy).all()))
    dxp = (xp.empty if fast else xp.zeros)((n, hp, wp, c), dtype=dy.dtype)

    rows = fast and xp is np and hp == h and wp == w and c < 16 and \
        dy.dtype in _ROW_DTYPES and x.dtype == y.dtype == dy.dtype and \
        bool(np.isfinite(y).all())

    def part(s):
        if rows:
            _max_pool_grad_rows(x[s], y[s], dy[s], dxp[s], kh, kw)
            return
        views = dict(_windows(dxp[s], pg))
        g = dy[s]
        for k, sel in _max_pool_selections(xp, x[s], y[s], pg):
            if fast:
                xp.multiply(g, sel, out=views[k])
            else:
                views[k] += xp.where(sel, g, 0)
    intra_op.parallel(xp, n, dxp.size, part)
    if fast and floating:
        xp.add(dxp, 0, out=dxp)                        # -0 + 0 is +0
    return dxp[:, pt:pt + h, pl:pl + w] if (pt or pl or hp != h or wp != w) else dxp


_ROW_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


@functools.lru_cache(maxsize=64)
def _spread_matrix(c, kw, dtype):
    """(c, kw*c): a (m, c) array times this is each row repeated kw times, side by side."""
    e = np.tile(np.eye(c, dtype=dtype), (1, kw))
    e.flags.writeable = False                      # shared by every call (cached)
    return e


@functools.lru_cache(maxsize=64)
def _column_masks(L, c, kw):
    """For s = 1..kw-1: (window column >= s, window column < kw - s) over a row of L."""
    col = (np.arange(L) // c) % kw
    masks = [(col >= s, col < kw - s) for s in range(1, kw)]
    for m in masks:
        m[0].flags.writeable = m[1].flags.writeable = False   # shared (cached)
    return masks


def _max_pool_grad_rows(x, y, dy, out, kh, kw):
    """MaxPoolGrad for windows that tile x exactly, float32/64, finite y and dy, writing
    into ``out``. The window loop above works on (n, oh, ow, c) views whose inner runs are
    only c elements long, which NumPy runs slowly for LeNet's c = 6; here every pass runs
    along whole rows of W*c elements instead (from c = 16 on, the loop's runs are long
    enough and it is used; for LeNet's step, compare the settings off and window-loop of
    ``python bench/lenet_step_ab.py``):

    - y and dy are spread over their windows' columns by a GEMM with [I I ...] (exact:
      one product by 1, the rest by 0, as y and dy are finite);
    - ``eq`` marks the elements equal to their window's maximum; the first one in
      row-major window order takes the gradient, as in the window loop: an element is
      dropped when an equal one sits earlier in its window row (the shifted slices by
      s*c), or anywhere in an earlier window row (``taken``).
    """
    n, H, W, c = x.shape
    R, L = n * (H // kh), W * c
    X = x.reshape(R, kh, L)
    E = _spread_matrix(c, kw, dy.dtype)
    yu = np.matmul(y.reshape(-1, c), E).reshape(R, L)
    gu = np.matmul(dy.reshape(-1, c), E).reshape(R, L)
    eq = X == yu[:, None, :]
    masks = _column_masks(L, c, kw)
    first = eq.copy()
    for s, (after, _) in enumerate(masks, 1):
        k = s * c
        np.greater(first[..., k:], eq[..., :-k] & after[k:], out=first[..., k:])
    dx = out.reshape(R, kh, L)
    taken = None
    for i in range(kh):
        sel = first[:, i] if taken is None else first[:, i] > taken
        np.multiply(sel.view(np.uint8), gu, out=dx[:, i])
        if i + 1 < kh:
            row = eq[:, i].copy()                  # the window has an equal element in row i
            for s, (after, before) in enumerate(masks, 1):
                k = s * c
                row[:, k:] |= eq[:, i, :-k] & after[k:]
                row[:, :-k] |= eq[:, i, k:] & before[:-k]
            taken = row if taken is None else taken | row


def _max_pool_grad_grad_kernel(xp, x, y, gg, pg):
    ggp = _pool_padded(xp, gg, pg, 0)
    gviews = dict(_windows(ggp, pg))
    out = xp.zeros(y.shape, dtype=gg.dtype)
    for k, sel in _max_pool_selections(xp, x, y, pg):
        out = xp.where(sel, gviews[k], out)
    return out


def _avg_counts(xp, h, w, pg, dtype):
    """1 / (number of real input elements) per output window, shape (1, oh, ow, 1)."""
    sh, sw, kh, kw, pt, pb, pl, pr, oh, ow = pg
    if not (pt or pb or pl or pr):
        return None
    y0 = np.arange(oh) * sh - pt
    x0 = np.arange(ow) * sw - pl
    rows = np.minimum(y0 + kh, h) - np.maximum(y0, 0)
    cols = np.minimum(x0 + kw, w) - np.maximum(x0, 0)
    inv = 1.0 / np.outer(rows, cols).astype(np.float64)
    return xp.asarray(inv.astype(dtype)[None, :, :, None])


def _avg_pool_kernel(xp, x, pg):
    n, h, w, c = x.shape
    xpad = _pool_padded(xp, x, pg, 0)
    out = None
    for k, v in _windows(xpad, pg):
        out = v.copy() if out is None else xp.add(out, v, out=out)
    inv = _avg_counts(xp, h, w, pg, x.dtype)
    if inv is None:
        out *= x.dtype.type(1.0 / (pg[2] * pg[3]))
    else:
        out *= inv
    return out


def _avg_pool_grad_kernel(xp, xshape, dy, pg):
    n, h, w, c = xshape
    sh, sw, kh, kw, pt, pb, pl, pr, oh, ow = pg
    inv = _avg_counts(xp, h, w, pg, dy.dtype)
    dz = dy * (dy.dtype.type(1.0 / (kh * kw)) if inv is None else inv)
    hp = max(pt + h, (oh - 1) * sh + kh)
    wp = max(pl + w, (ow - 1) * sw + kw)
    exact = _tiles_exactly(pg, hp, wp)
    dxp = (xp.empty if exact else xp.zeros)((n, hp, wp, c), dtype=dy.dtype)

    def part(s):
        g = dz[s] if dz.shape[0] == n else dz
        for k, v in _windows(dxp[s], pg):
            if exact:
                v[...] = g
            else:
                v += g
    intra_op.parallel(xp, n, dxp.size, part)
    return dxp[:, pt:pt + h, pl:pl + w] if (pt or pl or hp != h or wp != w) else dxp


def _pool_call(kernel, xp, x, others, ksize, strides, padding, explicit_paddings,
               data_format, op_name, xshape=None):
    """Runs an NHWC pooling kernel on NHWC or NCHW arrays."""
    nchw = data_format == "NCHW"
    if xshape is None:
        x = _to_nhwc(x, data_format)
        shape = x.shape
    else:
        shape = (xshape[0], xshape[2], xshape[3], xshape[1]) if nchw else tuple(xshape)
    others = [_to_nhwc(o, data_format) for o in others]
    pg = _pool_setup(shape, ksize, strides, padding, explicit_paddings, data_format, op_name)
    for o in others[:1]:
        if tuple(o.shape[1:3]) != (pg[8], pg[9]) and op_name != "MaxPoolGradGrad":
            raise _invalid(f"{op_name}: expected a gradient of shape "
                           f"{[shape[0], pg[8], pg[9], shape[3]]}, got {list(o.shape)}")
    out = kernel(xp, x if xshape is None else shape, *others, pg)
    return _from_nhwc(out, data_format)


def _pool_rule(x, *, ksize, strides, padding, data_format, explicit_paddings=()):
    if x.shape.rank is None:
        return TensorShape([None] * 4), x.dtype
    dims = x.shape.with_rank(4).as_list()
    if data_format == "NCHW":
        n, c, h, w = dims
    else:
        n, h, w, c = dims
    kh, kw = _spatial(ksize, data_format)
    sh, sw = _spatial(strides, data_format)
    p = _explicit_hw(explicit_paddings, data_format) or (0, 0, 0, 0)
    oh = _static_geometry_dim(h, kh, sh, 1, padding, p[0], p[1])
    ow = _static_geometry_dim(w, kw, sw, 1, padding, p[2], p[3])
    return TensorShape([n, c, oh, ow] if data_format == "NCHW" else [n, oh, ow, c]), x.dtype


@op("MaxPool", infer=_pool_rule)
def MaxPool(xp, x, *, ksize, strides, padding, explicit_paddings, data_format):
    return _pool_call(lambda xp, x, pg: _max_pool_kernel(xp, x, pg), xp, x, (), ksize,
                      strides, padding, explicit_paddings, data_format, "MaxPool")


@op("MaxPoolGrad", infer=lambda x, y, dy, **a: (x.shape, x.dtype))
def MaxPoolGrad(xp, x, y, dy, *, ksize, strides, padding, explicit_paddings, data_format):
    return _pool_call(_max_pool_grad_kernel, xp, x, (y, dy), ksize, strides, padding,
                      explicit_paddings, data_format, "MaxPoolGrad")


@op("MaxPoolGradGrad", infer=lambda x, y, gg, **a: (y.shape, y.dtype))
def MaxPoolGradGrad(xp, x, y, gg, *, ksize, strides, padding, explicit_paddings,
                    data_format):
    return _pool_call(_max_pool_grad_grad_kernel, xp, x, (y, gg), ksize, strides, padding,
                      explicit_paddings, data_format, "MaxPoolGradGrad")


@MaxPool.gradient
def _max_pool_grad(op, dy):
    return execute(MaxPoolGrad, (op.inputs[0], op.outputs[0], dy), op.attrs)


@MaxPoolGrad.gradient
def _max_pool_grad_grad(op, g):
    # Linear in dy; the routing (which element won) is piecewise constant in x.
    x, y, _ = op.inputs
    return None, None, execute(MaxPoolGradGrad, (x, y, g), op.attrs)


@MaxPoolGradGrad.gradient
def _max_pool_grad_grad_grad(op, g):
    x, y, _ = op.inputs
    return None, None, execute(MaxPoolGrad, (x, y, g), op.attrs)


@op("AvgPool", infer=lambda x, **a: _pool_rule(x, **a))
def AvgPool(xp, x, *, ksize, strides, padding, data_format):
    return _pool_call(lambda xp, x, pg: _avg_pool_kernel(xp, x, pg), xp, x, (), ksize,
                      strides, padding, (), data_format, "AvgPool")


@op("AvgPoolGrad", infer=lambda sizes, dy, **a: (_sizes_shape(sizes, 4), dy.dtype))
def AvgPoolGrad(xp, orig_input_shape, dy, *, ksize, strides, padding, data_format):
    return _pool_call(_avg_pool_grad_kernel, xp, None, (dy,), ksize, strides, padding, (),
                      data_format, "AvgPoolGrad", xshape=_sizes(orig_input_shape))


@AvgPool.gradient
def _avg_pool_grad(op, dy):
    return execute(AvgPoolGrad, (_shape_of(op.inputs[0]), dy), op.attrs)


@AvgPoolGrad.gradient
def _avg_pool_grad_grad(op, g):
    return None, execute(AvgPool, (g,), op.attrs)


def _pool_attrs(ksize, strides, padding, data_format, n, op_name, explicit_ok):
    if data_format is None:
        data_format = "NHWC"
    if data_format not in ("NHWC", "NCHW"):
        raise ValueError(f"data_format must be 'NHWC' or 'NCHW'. Received: "
                         f"data_format={data_format}")
    ksize = _norm_list(ksize, n, "ksize", data_format)
    strides = _norm_list(strides, n, "strides", data_format)
    if isinstance(padding, (list, tuple)) and explicit_ok:
        pad, explicit = _padding_attrs(padding, data_format)
    else:
        if isinstance(padding, bytes):
            padding = padding.decode()
        if padding not in ("SAME", "VALID"):      # case-sensitive, as in TF
            raise _padding_error(padding, op_name, explicit_ok)
        pad, explicit = padding, ()
    return {"ksize": ksize, "strides": strides, "padding": pad, "data_format": data_format}, \
        explicit


_POOL_DTYPES = _FLOATS + (dtypes.int32, dtypes.int64, dtypes.uint8, dtypes.int16, dtypes.int8,
                          dtypes.uint16)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """Max pooling over 2-D windows of a 4-D tensor (``tf.nn.max_pool2d``)."""
    x = to_tensor(input)
    check_dtype("MaxPool", x, _POOL_DTYPES, "input")
    attrs, explicit = _pool_attrs(ksize, strides, padding, data_format, 2, "MaxPool", True)
    attrs["explicit_paddings"] = explicit
    if explicit:
        attrs["padding"] = "EXPLICIT"
    return execute(MaxPool, (x,), attrs, name=name)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """Average pooling over 2-D windows; SAME windows average only real elements
    (``tf.nn.avg_pool2d``)."""
    x = to_tensor(input)
    check_dtype("AvgPool", x, _FLOATS, "value")
    attrs, _ = _pool_attrs(ksize, strides, padding, data_format, 2, "AvgPool", False)
    return execute(AvgPool, (x,), attrs, name=name)


def _pool1d(fn, x, ksize, strides, padding, data_format, name):
    if data_format is None:
        data_format = "NWC"
    if data_format not in ("NWC", "NCW"):
        raise ValueError(f"data_format must be \"NWC\" or \"NCW\". Received: "
                         f"data_format={data_format}")
    x = to_tensor(x)
    ncw = data_format == "NCW"

    def one(v, nm):
        if isinstance(v, (int, np.integer)):
            return [1, int(v)]
        v = [int(a) for a in v]
        if len(v) == 1:
            return [1, v[0]]
        if len(v) == 3:
            return [1, 1, 1, v[2]] if ncw else [1, 1, v[1], 1]
        raise ValueError(f"{nm} should be of length 1 or 3. Received: {nm}={v} of length "
                         f"{len(v)}")
    if isinstance(padding, (list, tuple)):
        padding = _conv1d_padding(padding, ncw)
    axis = 2 if ncw else 1
    y = fn(_expand(x, axis), one(ksize, "ksize"), one(strides, "strides"), padding,
           "NCHW" if ncw else "NHWC", name=name)
    return _squeeze_axis(y, axis)


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """Max pooling over 1-D windows of a 3-D tensor (``tf.nn.max_pool1d``)."""
    return _pool1d(max_pool2d, input, ksize, strides, padding, data_format, name)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):  # noqa: A002
    """Average pooling over 1-D windows of a 3-D tensor (``tf.nn.avg_pool1d``)."""
    return _pool1d(avg_pool2d, input, ksize, strides, padding, data_format, name)


def _pool_nd(fn1, fn2, input, ksize, strides, padding, data_format, name, what):
    x = to_tensor(input)
    rank = x.shape.rank
    if rank == 3:
        return fn1(x, ksize, strides, padding, data_format or "NWC", name=name)
    if rank == 4:
        return fn2(x, ksize, strides, padding, data_format or "NHWC", name=name)
    if rank is None:
        raise ValueError(f"The input of {what} must have a known rank.")
    raise NotImplementedError(f"tinytf's {what} supports 1-D and 2-D pooling (input rank 3 "
                              f"or 4); got rank {rank}")


def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """Max pooling for 1-D or 2-D inputs, chosen by rank (``tf.nn.max_pool``)."""
    return _pool_nd(max_pool1d, max_pool2d, input, ksize, strides, padding, data_format,
                    name, "max_pool")


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """Average pooling for 1-D or 2-D inputs, chosen by rank (``tf.nn.avg_pool``)."""
    return _pool_nd(avg_pool1d, avg_pool2d, input, ksize, strides, padding, data_format,
                    name, "avg_pool")


# =====================================================================================
# Activations: each is one op with a fused gradient op (TF's *Grad ops), and each grad op
# has its own gradient, so any order of derivative works.
# =====================================================================================

def _unary(op_def, x, name, allowed=_FLOATS, attrs=None):
    x = to_tensor(x)
    check_dtype(op_def.name, x, allowed, "features")
    return execute(op_def, (x,), attrs or {}, name=name) if attrs else \
        execute(op_def, (x,), name=name)


def _grad_rule(dy, x, **attrs):
    return x.shape, x.dtype


def _zero(a):
    return a.dtype.type(0)


_RELU_DTYPES = _FLOATS + (dtypes.int8, dtypes.int16, dtypes.int32, dtypes.int64,
                          dtypes.uint8, dtypes.uint16, dtypes.uint32, dtypes.uint64)


_NP_ZEROS = {}    # NumPy dtype -> read-only 0-d zero: cheaper than a new dtype.type(0)


def _np_zero(dtype):
    z = _NP_ZEROS.get(dtype)
    if z is None:
        z = np.zeros((), dtype)
        z.flags.writeable = False
        _NP_ZEROS[dtype] = z
    return z


@op("Relu", infer=same_as_input)
def Relu(xp, x):
    if xp is np and x.size < 2 * intra_op._MIN_PART:     # small arrays (and 0-d): the common case
        return np.maximum(x, _np_zero(x.dtype))
    if x.ndim == 0 or xp is not np or x.size < 2 * intra_op._MIN_PART:
        return xp.maximum(x, _zero(x))
    out = xp.empty(x.shape, dtype=x.dtype)
    intra_op.parallel(xp, x.shape[0], x.size,
                    lambda s: xp.maximum(x[s], _zero(x), out=out[s]))
    return out


@op("ReluGrad", infer=_grad_rule)
def ReluGrad(xp, dy, y):
    # A multiply by the mask: where() is branchy and ~6x slower on noisy data. For big
    # arrays the mask is written as 0/1 straight into the output, which is then scaled in
    # place (no bool temporary, no bool->float cast in the multiply: ~20% faster).
    if y.ndim == 0 or xp is not np or y.size < 1 << 15 or dy.shape != y.shape:
        return dy * (y > 0)
    out = xp.empty(y.shape, dtype=xp.result_type(dy, y))

    def part(s):
        o = out[s]
        xp.greater(y[s], _zero(y), out=o)
        xp.multiply(o, dy[s], out=o)
    intra_op.parallel(xp, y.shape[0], y.size, part)
    return out


@Relu.gradient
def _relu_grad(op, dy):
    return execute(ReluGrad, (dy, op.outputs[0]))


@ReluGrad.gradient
def _relu_grad_grad(op, g):
    return execute(ReluGrad, (g, op.inputs[1])), None


def relu(features, name=None):
    """Computes rectified linear: max(features, 0) (``tf.nn.relu``)."""
    return _unary(Relu, features, name, _RELU_DTYPES)


@op("Relu6", infer=same_as_input)
def Relu6(xp, x):
    return xp.clip(x, _zero(x), x.dtype.type(6))


@op("Relu6Grad", infer=_grad_rule)
def Relu6Grad(xp, dy, x):
    return xp.where((x > 0) & (x < 6), dy, _zero(dy))


@Relu6.gradient
def _relu6_grad(op, dy):
    return execute(Relu6Grad, (dy, op.inputs[0]))


@Relu6Grad.gradient
def _relu6_grad_grad(op, g):
    return execute(Relu6Grad, (g, op.inputs[1])), None


def relu6(features, name=None):
    """Computes Rectified Linear 6: min(max(features, 0), 6) (``tf.nn.relu6``)."""
    return _unary(Relu6, features, name, _RELU_DTYPES)


@op("LeakyRelu", infer=same_as_input)
def LeakyRelu(xp, x, *, alpha):
    return xp.where(x > 0, x, x * x.dtype.type(alpha))


@op("LeakyReluGrad", infer=_grad_rule)
def LeakyReluGrad(xp, dy, x, *, alpha):
    return xp.where(x > 0, dy, dy * dy.dtype.type(alpha))


@LeakyRelu.gradient
def _leaky_relu_grad(op, dy):
    return execute(LeakyReluGrad, (dy, op.inputs[0]), op.attrs)


@LeakyReluGrad.gradient
def _leaky_relu_grad_grad(op, g):
    return execute(LeakyReluGrad, (g, op.inputs[1]), op.attrs), None


def leaky_relu(features, alpha=0.2, name=None):
    """Computes the Leaky ReLU: x if x > 0 else alpha * x (``tf.nn.leaky_relu``)."""
    x = to_tensor(features)
    if x.dtype.is_integer:
        x = array_ops.cast(x, dtypes.float32)
    check_dtype("LeakyRelu", x, _FLOATS, "features")
    # alpha is a 32-bit float attr in TF: float64 inputs see float32(alpha) too
    return execute(LeakyRelu, (x,), {"alpha": float(np.float32(alpha))}, name=name)


@op("Elu", infer=same_as_input)
def Elu(xp, x):
    return xp.where(x > 0, x, xp.expm1(xp.minimum(x, _zero(x))))


@op("EluGrad", infer=_grad_rule)
def EluGrad(xp, dy, y):
    return xp.where(y > 0, dy, dy * (y + y.dtype.type(1)))


@Elu.gradient
def _elu_grad(op, dy):
    return execute(EluGrad, (dy, op.outputs[0]))


@EluGrad.gradient
def _elu_grad_grad(op, g):
    dy, y = op.inputs
    return execute(EluGrad, (g, y)), _where_negative(y, g * dy)


def elu(features, name=None):
    """Computes the exponential linear function: x if x > 0 else exp(x) - 1 (``tf.nn.elu``)."""
    return _unary(Elu, features, name)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


@op("Selu", infer=same_as_input)
def Selu(xp, x):
    t = x.dtype.type
    return xp.where(x > 0, x * t(_SELU_SCALE),
                    xp.expm1(xp.minimum(x, _zero(x))) * t(_SELU_SCALE * _SELU_ALPHA))


@op("SeluGrad", infer=_grad_rule)
def SeluGrad(xp, dy, y):
    t = y.dtype.type
    return xp.where(y > 0, dy * t(_SELU_SCALE), dy * (y + t(_SELU_SCALE * _SELU_ALPHA)))


@Selu.gradient
def _selu_grad(op, dy):
    return execute(SeluGrad, (dy, op.outputs[0]))


@SeluGrad.gradient
def _selu_grad_grad(op, g):
    dy, y = op.inputs
    return execute(SeluGrad, (g, y)), _where_negative(y, g * dy)


def selu(features, name=None):
    """Computes the scaled exponential linear unit (``tf.nn.selu``)."""
    return _unary(Selu, features, name)


@op("SelectNegative", infer=_grad_rule)
def SelectNegative(xp, v, y):
    """v where y < 0, else 0 (the second derivative term of Elu/Selu)."""
    return xp.where(y < 0, v, _zero(v))


@SelectNegative.gradient
def _select_negative_grad(op, g):
    return execute(SelectNegative, (g, op.inputs[1])), None


def _where_negative(y, v):
    return execute(SelectNegative, (v, y))


@op("Softplus", infer=same_as_input)
def Softplus(xp, x):
    return xp.logaddexp(x, _zero(x))           # log(1 + e^x) without overflow


@op("SoftplusGrad", infer=_grad_rule)
def SoftplusGrad(xp, dy, x):
    return dy / (1 + xp.exp(-x))               # dy * sigmoid(x)


@Softplus.gradient
def _softplus_grad(op, dy):
    return execute(SoftplusGrad, (dy, op.inputs[0]))


@SoftplusGrad.gradient
def _softplus_grad_grad(op, g):
    dy, x = op.inputs
    s = math_ops.sigmoid(x)
    return execute(SoftplusGrad, (g, x)), g * dy * s * (1 - s)


def softplus(features, name=None):
    """Computes log(exp(features) + 1) (``tf.math.softplus``)."""
    return _unary(Softplus, features, name)


@op("Softsign", infer=same_as_input)
def Softsign(xp, x):
    return x / (1 + xp.abs(x))


@op("SoftsignGrad", infer=_grad_rule)
def SoftsignGrad(xp, dy, x):
    d = 1 + xp.abs(x)
    return dy / (d * d)


@Softsign.gradient
def _softsign_grad(op, dy):
    return execute(SoftsignGrad, (dy, op.inputs[0]))


@SoftsignGrad.gradient
def _softsign_grad_grad(op, g):
    # d/dx [dy / (1 + |x|)^2] = -2 dy sign(x) / (1 + |x|)^3 = -2 sign(x) SoftsignGrad / (1+|x|)
    dy, x = op.inputs
    d = 1 + math_ops.abs(x)
    return (execute(SoftsignGrad, (g, x)),
            -2 * g * execute(SoftsignGrad, (dy, x)) * math_ops.sign(x) / d)


def softsign(features, name=None):
    """Computes features / (abs(features) + 1) (``tf.nn.softsign``)."""
    return _unary(Softsign, features, name)


def gelu(features, approximate=False, name=None):
    """Gaussian error linear unit (``tf.nn.gelu``): x * Phi(x), or its tanh approximation."""
    x = to_tensor(features)
    # TF casts its constants from float32 Python conversions, so float64 inputs see the
    # float32-rounded 0.044715 and 1/sqrt(2); the exact form is TF's erfc one
    if approximate:
        c = float(np.float32(0.044715))
        return 0.5 * x * (1.0 + math_ops.tanh(0.7978845608028654 * (x + c * (x * x * x))))
    return 0.5 * x * math_ops.erfc(-x * float(np.float32(0.7071067811865476)))


def silu(features, beta=1.0):
    """Computes the SiLU or Swish activation: x * sigmoid(beta * x) (``tf.nn.silu``)."""
    x = to_tensor(features)
    if isinstance(beta, (int, float)) and beta == 1.0:
        return x * math_ops.sigmoid(x)
    beta = to_tensor(beta, dtype=x.dtype) if not isinstance(beta, (int, float)) else beta
    return x * math_ops.sigmoid(beta * x)


swish = silu


def sigmoid(x, name=None):
    """Computes sigmoid of x element-wise: 1 / (1 + exp(-x)) (``tf.math.sigmoid``)."""
    return math_ops.sigmoid(x, name=name)


def tanh(x, name=None):
    """Computes hyperbolic tangent of x element-wise (``tf.math.tanh``)."""
    return math_ops.tanh(x, name=name)


# =====================================================================================
# Softmax family
# =====================================================================================

def _axis_rule(x, *, axis):
    return x.shape, x.dtype


def _softmax_axis(x, axis, op_name):
    rank = x.shape.rank
    if axis is None:
        axis = -1
    axis = int(axis)
    if rank is not None:
        if rank == 0:
            raise errors.op_error(errors.InvalidArgumentError,
                                  "logits must have >= 1 dimension, got []", op_name) \
                if _ctx().graph is None else ValueError("Shape must be at least rank 1 but is "
                                                      "rank 0")
        if not -rank <= axis < rank:
            msg = (f"`dim` must be in the range [{-rank}, {rank}) where {rank} is the number "
                   f"of dimensions in the input. Received: dim={axis}")
            raise _invalid(msg) if _ctx().graph is None else ValueError(msg)
        axis %= rank
    return axis


@op("Softmax", infer=_axis_rule)
def Softmax(xp, x, *, axis):
    e = xp.exp(x - x.max(axis=axis, keepdims=True))
    e /= e.sum(axis=axis, keepdims=True)
    return e


@Softmax.gradient
def _softmax_grad(op, dy):
    y = op.outputs[0]
    axis = op.attrs["axis"]
    return (dy - math_ops.reduce_sum(dy * y, axis, keepdims=True)) * y


@op("LogSoftmax", infer=_axis_rule)
def LogSoftmax(xp, x, *, axis):
    s = x - x.max(axis=axis, keepdims=True)
    return s - xp.log(xp.exp(s).sum(axis=axis, keepdims=True))


@LogSoftmax.gradient
def _log_softmax_grad(op, dy):
    axis = op.attrs["axis"]
    return dy - math_ops.reduce_sum(dy, axis, keepdims=True) * math_ops.exp(op.outputs[0])


def softmax(logits, axis=None, name=None):
    """Computes softmax activations along ``axis`` (default -1) (``tf.nn.softmax``)."""
    x = to_tensor(logits)
    check_dtype("Softmax", x, _FLOATS, "logits")
    return execute(Softmax, (x,), {"axis": _softmax_axis(x, axis, "Softmax")}, name=name)


def log_softmax(logits, axis=None, name=None):
    """Computes log softmax activations: logits - log(reduce_sum(exp(logits), axis))
    (``tf.nn.log_softmax``)."""
    x = to_tensor(logits)
    check_dtype("LogSoftmax", x, _FLOATS, "logits")
    return execute(LogSoftmax, (x,), {"axis": _softmax_axis(x, axis, "LogSoftmax")},
                   name=name)


# =====================================================================================
# Cross entropies
# =====================================================================================

def _xent_rule(x, labels, **attrs):
    return [(x.shape[:-1] if x.shape.rank is not None else TensorShape(None), x.dtype),
            (x.shape, x.dtype)]


@op("SoftmaxCrossEntropyWithLogits", infer=_xent_rule, num_outputs=2)
def SoftmaxCrossEntropyWithLogits(xp, x, labels):
    if x.shape != labels.shape:
        raise _invalid(f"logits and labels must be broadcastable: logits_size="
                       f"{_dims(x.shape)} labels_size={_dims(labels.shape)}")
    s = x - x.max(axis=-1, keepdims=True)
    e = xp.exp(s)
    total = e.sum(axis=-1, keepdims=True)
    loss = (labels * (xp.log(total) - s)).sum(axis=-1)
    return loss, e / total - labels


def _xent_logits_grad(op, dloss, dbackprop, logits):
    """Gradient w.r.t. logits of (loss, backprop); ``backprop`` = softmax - labels (+ const)."""
    g = array_ops.expand_dims(dloss, -1) * op.outputs[1]
    sm = softmax(logits)
    # d(backprop)/d(logits) is the softmax Jacobian.
    g2 = (dbackprop - math_ops.reduce_sum(dbackprop * sm, -1, keepdims=True)) * sm
    return g + g2


@SoftmaxCrossEntropyWithLogits.gradient
def _softmax_xent_grad(op, dloss, dbackprop):
    x = op.inputs[0]
    dx = None if _skip(op, 0) else _xent_logits_grad(op, dloss, dbackprop, x)
    dlabels = None if _skip(op, 1) else \
        array_ops.expand_dims(dloss, -1) * -log_softmax(x) - dbackprop
    return dx, dlabels


def _move_axis_last(x, axis):
    rank = x.shape.rank
    axis = axis % rank
    if axis == rank - 1:
        return x, None
    perm = list(range(rank))
    perm[axis], perm[-1] = perm[-1], perm[axis]
    return array_ops.transpose(x, perm), perm


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """Softmax cross entropy between ``logits`` and ``labels`` (a distribution per row);
    gradients flow into both (``tf.nn.softmax_cross_entropy_with_logits``)."""
    x = to_tensor(logits)
    check_dtype("SoftmaxCrossEntropyWithLogits", x, _FLOATS, "features")
    z = to_tensor(labels, dtype=x.dtype) if not isinstance(labels, Tensor) else labels
    if z.dtype is not x.dtype:
        z = array_ops.cast(z, x.dtype)
    if x.shape.rank == 0:
        raise ValueError("Logits cannot be scalars - received shape ().")
    x, perm = _move_axis_last(x, axis)
    if perm is not None:
        z = array_ops.transpose(z, perm)
    shape = x.shape
    if shape.rank != 2:
        n = shape[-1]
        lead = list(shape[:-1])
        x2, z2 = array_ops.reshape(x, [-1, n]), array_ops.reshape(z, [-1, n])
        loss, _ = execute(SoftmaxCrossEntropyWithLogits, (x2, z2))
        return array_ops.reshape(loss, lead if None not in lead else array_ops.shape(x)[:-1])
    loss, _ = execute(SoftmaxCrossEntropyWithLogits, (x, z), name=name)
    return loss


def _sparse_xent_rule(x, labels):
    return _xent_rule(x, labels)


@op("SparseSoftmaxCrossEntropyWithLogits", infer=_sparse_xent_rule, num_outputs=2)
def SparseSoftmaxCrossEntropyWithLogits(xp, x, labels):
    n, k = x.shape
    if labels.shape != (n,):
        raise _invalid(f"logits and labels must have the same first dimension, got logits "
                       f"shape {list(x.shape)} and labels shape {list(labels.shape)}")
    if n and (labels.min() < 0 or labels.max() >= k):
        bad = labels[(labels < 0) | (labels >= k)][0]
        values = " ".join(str(int(v)) for v in labels.tolist())
        raise _invalid(f"Received a label value of {int(bad)} which is outside the valid "
                       f"range of [0, {k}).  Label values: {values}")
    s = x - x.max(axis=-1, keepdims=True)
    e = xp.exp(s)
    total = e.sum(axis=-1, keepdims=True)
    rows = xp.arange(n)
    loss = xp.log(total[:, 0]) - s[rows, labels]
    backprop = e / total
    backprop[rows, labels] -= 1
    return loss, backprop


@SparseSoftmaxCrossEntropyWithLogits.gradient
def _sparse_softmax_xent_grad(op, dloss, dbackprop):
    return _xent_logits_grad(op, dloss, dbackprop, op.inputs[0]), None


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """Softmax cross entropy with integer class ``labels`` of shape logits.shape[:-1]
    (``tf.nn.sparse_softmax_cross_entropy_with_logits``)."""
    x = to_tensor(logits)
    z = to_tensor(labels)
    xr, zr = x.shape.rank, z.shape.rank     # TF checks the ranks before the op's dtypes
    if xr == 0:
        raise ValueError(f"Logits cannot be scalars - received shape {tuple(x.shape)}.")
    if xr is not None and zr is not None:
        if zr != xr - 1:
            raise ValueError(f"`labels.shape.rank` must equal `logits.shape.rank - 1`. "
                             f"Received: labels.shape={_tuple(z.shape)} of rank {zr} and "
                             f"logits.shape={_tuple(x.shape)} of rank {xr}")
        if not z.shape.is_compatible_with(x.shape[:-1]):
            raise ValueError(f"`labels.shape` must equal `logits.shape` except for the last "
                             f"dimension. Received: labels.shape={_tuple(z.shape)} and "
                             f"logits.shape={_tuple(x.shape)}")
    check_dtype("SparseSoftmaxCrossEntropyWithLogits", x, _FLOATS, "features")
    if z.dtype not in (dtypes.int32, dtypes.int64):
        raise errors.op_error(
            errors.InvalidArgumentError,
            f"Value for attr 'Tlabels' of {z.dtype.name} is not in the list of allowed "
            f"values: int32, int64", "SparseSoftmaxCrossEntropyWithLogits") \
            if _ctx().graph is None else TypeError(
                f"Value for attr 'Tlabels' of {z.dtype.name} is not in the list of allowed "
                f"values: int32, int64")
    if xr != 2:
        n = x.shape[-1]
        x2 = array_ops.reshape(x, [-1, n])
        z2 = array_ops.reshape(z, [-1])
        loss, _ = execute(SparseSoftmaxCrossEntropyWithLogits, (x2, z2))
        lead = list(z.shape)
        return array_ops.reshape(loss, lead if None not in lead else array_ops.shape(z))
    loss, _ = execute(SparseSoftmaxCrossEntropyWithLogits, (x, z), name=name)
    return loss


def _tuple(shape):
    return tuple(shape.as_list()) if shape.rank is not None else shape


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Sigmoid cross entropy: max(x, 0) - x * z + log(1 + exp(-|x|)), computed stably
    (``tf.nn.sigmoid_cross_entropy_with_logits``)."""
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")
    x = to_tensor(logits)
    z = to_tensor(labels, dtype=x.dtype) if not isinstance(labels, Tensor) else labels
    if not x.shape.is_compatible_with(z.shape):
        raise ValueError(f"`logits` and `labels` must have the same shape, received "
                         f"({_tuple(x.shape)} vs {_tuple(z.shape)}).")
    x, z = binary_args("Mul", x, z)
    cond = math_ops.greater_equal(x, array_ops.zeros_like(x))
    zeros = array_ops.zeros_like(x)
    relu_logits = array_ops.where(cond, x, zeros)
    neg_abs_logits = array_ops.where(cond, -x, x)
    return math_ops.add(relu_logits - x * z, math_ops.log1p(math_ops.exp(neg_abs_logits)),
                        name=name)


# =====================================================================================
# Bias, normalisation, losses, dropout
# =====================================================================================

def _bias_rule(x, b, *, data_format):
    return x.shape, x.dtype


@op("BiasAdd", infer=_bias_rule)
def BiasAdd(xp, x, b, *, data_format):
    if b.ndim != 1:
        raise _invalid(f"Biases must be 1D: {_dims(b.shape)}")
    if x.ndim < 2:
        raise _invalid(f"Input tensor must be at least 2D: {_dims(x.shape)}")
    c = x.shape[1] if data_format == "NCHW" else x.shape[-1]
    if c != b.shape[0]:
        where = "channel" if data_format == "NCHW" else "last"
        raise _invalid(f"Must provide as many biases as the {where} dimension of the input "
                       f"tensor: {_dims(b.shape)} vs. {_dims(x.shape)}")
    if data_format == "NCHW":
        b = b.reshape((-1,) + (1,) * (x.ndim - 2))
    elif x.ndim >= 3 and x.flags.c_contiguous and x.size:
        # Add a bias tiled along the second-to-last axis: NumPy's inner loop then runs over
        # W*C elements instead of C (2x faster for LeNet's 6 channels).
        n = x.shape[-2]
        x2, bt = x.reshape(-1, n * c), xp.tile(b, n)
        out = xp.empty(x2.shape, dtype=xp.result_type(x, b))
        intra_op.parallel(xp, x2.shape[0], x.size, lambda s: xp.add(x2[s], bt, out=out[s]))
        return out.reshape(x.shape)
    return x + b


@op("BiasAddGrad", infer=lambda dy, *, data_format: (
    TensorShape([dy.shape[1] if data_format == "NCHW" else dy.shape[-1]]), dy.dtype))
def BiasAddGrad(xp, dy, *, data_format):
    if data_format == "NCHW":
        axes = (0,) + tuple(range(2, dy.ndim))
        return dy.sum(axis=axes)
    c = dy.shape[-1]
    if dy.ndim >= 3 and dy.flags.c_contiguous and dy.size:
        n = dy.shape[-2]                 # sum rows of W*C elements, then fold W (10x faster)
        d2 = dy.reshape(-1, n * c)
        parts = {}                       # keyed by start row: a fixed summation order

        def part(s):
            parts[s.start] = d2[s].sum(axis=0)
        intra_op.parallel(xp, d2.shape[0], dy.size, part)
        total = None
        for k in sorted(parts):
            total = parts[k] if total is None else total + parts[k]
        return total.reshape(n, c).sum(axis=0)
    return dy.reshape(-1, c).sum(axis=0) if dy.flags.c_contiguous else \
        dy.sum(axis=tuple(range(dy.ndim - 1)))


@BiasAdd.gradient
def _bias_add_grad(op, dy):
    db = None if _skip(op, 1) else execute(BiasAddGrad, (dy,), op.attrs)
    return dy, db


@BiasAddGrad.gradient
def _bias_add_grad_grad(op, g):
    dy = op.inputs[0]
    if op.attrs["data_format"] == "NCHW":
        g = array_ops.reshape(g, [-1] + [1] * (dy.shape.rank - 2))
    return array_ops.broadcast_like(g, dy)


def bias_add(value, bias, data_format=None, name=None):
    """Adds ``bias`` (1-D) to ``value`` along its channel axis (last, or 1 for NC...)
    (``tf.nn.bias_add``)."""
    if data_format is None or data_format in ("NHWC", "N...C", "NWC", "NDHWC"):
        fmt = "NHWC"
    elif data_format in ("NCHW", "NC...", "NCW", "NCDHW"):
        fmt = "NCHW"
    else:
        raise ValueError(f"data_format must be of the form `N...C` or `NC...`. Received: "
                         f"data_format={data_format}")
    x, b = binary_args("BiasAdd", value, bias)
    return execute(BiasAdd, (x, b), _NHWC if fmt == "NHWC" else _NCHW, name=name)


_NHWC, _NCHW = {"data_format": "NHWC"}, {"data_format": "NCHW"}   # bias_add's attrs


@op("L2Loss", infer=lambda x: (TensorShape([]), x.dtype))
def L2Loss(xp, x):
    return (xp.vdot(x, x) / 2).astype(x.dtype) if x.dtype.kind == "f" else \
        (x * x).sum() / 2


@L2Loss.gradient
def _l2_loss_grad(op, dy):
    return op.inputs[0] * dy


def l2_loss(t, name=None):
    """Computes half the L2 norm of a tensor without the sqrt: sum(t ** 2) / 2
    (``tf.nn.l2_loss``)."""
    return _unary(L2Loss, t, name)


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """Normalizes along ``axis``: x / sqrt(max(sum(x ** 2), epsilon))
    (``tf.math.l2_normalize``)."""
    if dim is not None:
        axis = dim
    x = to_tensor(x)
    square_sum = math_ops.reduce_sum(x * x, axis, keepdims=True)
    inv_norm = math_ops.rsqrt(math_ops.maximum(square_sum,
                                                array_ops.cast(epsilon, x.dtype)))
    return math_ops.multiply(x, inv_norm, name=name)


def moments(x, axes, shift=None, keepdims=False, name=None):
    """Mean and variance of ``x`` over ``axes`` (``tf.nn.moments``); float16 is computed in
    float32 as TF does."""
    x = to_tensor(x)
    y = array_ops.cast(x, dtypes.float32) if x.dtype is dtypes.float16 else x
    axes = list(axes) if isinstance(axes, (list, tuple)) else axes
    mean = math_ops.reduce_mean(y, axes, keepdims=True)
    variance = math_ops.reduce_mean(
        math_ops.squared_difference(y, array_ops.stop_gradient(mean)), axes, keepdims=True)
    if not keepdims:
        mean = array_ops.squeeze(mean, axes)
        variance = array_ops.squeeze(variance, axes)
    if x.dtype is dtypes.float16:
        return array_ops.cast(mean, dtypes.float16), array_ops.cast(variance, dtypes.float16)
    return mean, variance


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) * scale / sqrt(variance + epsilon) + offset (``tf.nn.batch_normalization``);
    ``offset`` and ``scale`` may be None."""
    x = to_tensor(x)
    inv = math_ops.rsqrt(to_tensor(variance, dtype=x.dtype) + variance_epsilon)
    if scale is not None:
        inv = inv * scale
    mean = to_tensor(mean, dtype=x.dtype)
    shift = (offset - mean * inv) if offset is not None else -mean * inv
    return math_ops.add(x * array_ops.cast(inv, x.dtype), array_ops.cast(shift, x.dtype),
                        name=name)


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Randomly zeroes elements with probability ``rate`` and scales the rest by
    1 / (1 - rate) (``tf.nn.dropout``). Uses ``tf.random.uniform`` for the mask."""
    from tinytf.ops import random_ops
    x = to_tensor(x)
    if not x.dtype.is_floating:
        raise ValueError(f"`x.dtype` must be a floating point tensor as `x` will be scaled. "
                         f"Received: x_dtype={x.dtype}")
    if isinstance(rate, (int, float)):
        if isinstance(rate, bool) or not 0 <= rate < 1:
            raise ValueError(f"`rate` must be a scalar tensor or a float in the range [0, 1). "
                             f"Received: rate={rate}")
        if rate == 0:
            return x
        scale = 1.0 / (1.0 - rate)
        keep_scale = None
    else:
        rate = to_tensor(rate, dtype=x.dtype)
        scale = None
        keep_scale = 1 / (1 - rate)
    shape = noise_shape
    if shape is None:
        shape = array_ops.shape(x) if not x.shape.is_fully_defined() else x.shape.as_list()
    else:
        shape = _noise_shape(x, noise_shape)
    r = random_ops.uniform(shape, seed=seed, dtype=x.dtype)
    keep = array_ops.cast(math_ops.greater_equal(r, rate), x.dtype)
    if scale is not None:
        return math_ops.multiply(x * scale, keep, name=name)
    return math_ops.multiply(x * keep_scale, keep, name=name)


def _noise_shape(x, noise_shape):
    if isinstance(noise_shape, Tensor):
        if not isinstance(noise_shape, EagerTensor):
            return noise_shape          # a graph tensor: the shape is known at run time
        noise_shape = noise_shape.numpy().tolist()
    dims = list(noise_shape)
    if x.shape.rank is not None and len(dims) == x.shape.rank:
        xs = x.shape.as_list()
        dims = [xs[i] if d is None else d for i, d in enumerate(dims)]
    if all(d is None or isinstance(d, int) for d in dims):
        return TensorShape(dims)        # TF: a partially known one cannot become a tensor
    return dims
