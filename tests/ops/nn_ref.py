"""Plain NumPy references for the nn tests: convolution and pooling written the slow,
obvious way (loops over kernel offsets and windows), NHWC."""

import numpy as np


def same_pads(n, k, s, d=1):
    """TF's SAME padding along one axis: (out, before, after); the odd element goes after."""
    ek = (k - 1) * d + 1
    out = -(-n // s)
    total = max((out - 1) * s + ek - n, 0)
    return out, total // 2, total - total // 2


def pads_for(shape, k, s, d, padding):
    """(pt, pb, pl, pr) for NHWC ``shape``; ``padding`` a string or an explicit 4-list."""
    if isinstance(padding, str):
        if padding == "VALID":
            return 0, 0, 0, 0
        _, pt, pb = same_pads(shape[1], k[0], s[0], d[0])
        _, pl, pr = same_pads(shape[2], k[1], s[1], d[1])
        return pt, pb, pl, pr
    return padding[1][0], padding[1][1], padding[2][0], padding[2][1]


def _out(n, k, s, d):
    return (n - (k - 1) * d - 1) // s + 1


def conv2d(x, w, strides=(1, 1), padding="VALID", dilations=(1, 1)):
    """NHWC x, HWIO w; groups when x has a multiple of w's input channels."""
    kh, kw, ci, co = w.shape
    groups = x.shape[3] // ci
    if groups > 1:
        og = co // groups
        return np.concatenate([conv2d(x[..., g * ci:(g + 1) * ci], w[..., g * og:(g + 1) * og],
                                      strides, padding, dilations) for g in range(groups)], -1)
    pt, pb, pl, pr = pads_for(x.shape, (kh, kw), strides, dilations, padding)
    xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    (sh, sw), (dh, dw) = strides, dilations
    oh, ow = _out(xp.shape[1], kh, sh, dh), _out(xp.shape[2], kw, sw, dw)
    out = np.zeros((x.shape[0], oh, ow, co), dtype=np.result_type(x, w))
    for i in range(kh):
        for j in range(kw):
            sl = xp[:, i * dh:i * dh + (oh - 1) * sh + 1:sh, j * dw:j * dw + (ow - 1) * sw + 1:sw]
            out += sl @ w[i, j]
    return out


def conv2d_backprop_input(xshape, w, dy, strides=(1, 1), padding="VALID", dilations=(1, 1)):
    kh, kw, ci, co = w.shape
    pt, pb, pl, pr = pads_for(xshape, (kh, kw), strides, dilations, padding)
    (sh, sw), (dh, dw) = strides, dilations
    n, h, wd, c = xshape
    oh, ow = dy.shape[1:3]
    dxp = np.zeros((n, h + pt + pb + kh * dh + sh, wd + pl + pr + kw * dw + sw, c))
    for i in range(kh):
        for j in range(kw):
            dxp[:, i * dh:i * dh + (oh - 1) * sh + 1:sh,
                j * dw:j * dw + (ow - 1) * sw + 1:sw] += dy @ w[i, j].T
    return dxp[:, pt:pt + h, pl:pl + wd]


def conv2d_backprop_filter(x, wshape, dy, strides=(1, 1), padding="VALID", dilations=(1, 1)):
    kh, kw, ci, co = wshape
    pt, pb, pl, pr = pads_for(x.shape, (kh, kw), strides, dilations, padding)
    xp = np.pad(x, ((0, 0), (pt, pb), (pl, pr), (0, 0)))
    (sh, sw), (dh, dw) = strides, dilations
    oh, ow = dy.shape[1:3]
    dw_ = np.zeros(wshape)
    for i in range(kh):
        for j in range(kw):
            sl = xp[:, i * dh:i * dh + (oh - 1) * sh + 1:sh, j * dw:j * dw + (ow - 1) * sw + 1:sw]
            dw_[i, j] = np.einsum("nyxc,nyxo->co", sl, dy)
    return dw_


def _pool_windows(x, k, s, padding, fill):
    """Yields (oy, ox, (rows, cols) of the window in x's coordinates) for NHWC x."""
    n, h, w, c = x.shape
    if padding == "VALID":
        oh, ow, pt, pl = _out(h, k[0], s[0], 1), _out(w, k[1], s[1], 1), 0, 0
    else:
        (oh, pt, _), (ow, pl, _) = same_pads(h, k[0], s[0]), same_pads(w, k[1], s[1])
    for oy in range(oh):
        for ox in range(ow):
            r0, c0 = oy * s[0] - pt, ox * s[1] - pl
            rows = [r for r in range(r0, r0 + k[0]) if 0 <= r < h]
            cols = [q for q in range(c0, c0 + k[1]) if 0 <= q < w]
            yield oy, ox, rows, cols, oh, ow


def max_pool(x, k, s, padding):
    out = None
    for oy, ox, rows, cols, oh, ow in _pool_windows(x, k, s, padding, -np.inf):
        if out is None:
            out = np.zeros((x.shape[0], oh, ow, x.shape[3]), x.dtype)
        out[:, oy, ox] = x[:, rows][:, :, cols].max(axis=(1, 2))
    return out


def avg_pool(x, k, s, padding):
    out = None
    for oy, ox, rows, cols, oh, ow in _pool_windows(x, k, s, padding, 0):
        if out is None:
            out = np.zeros((x.shape[0], oh, ow, x.shape[3]), x.dtype)
        out[:, oy, ox] = x[:, rows][:, :, cols].mean(axis=(1, 2))
    return out


def max_pool_grad(x, dy, k, s, padding):
    """Each window's gradient goes to its first maximum in row-major order (TF's choice)."""
    dx = np.zeros_like(x, dtype=dy.dtype)
    for oy, ox, rows, cols, oh, ow in _pool_windows(x, k, s, padding, -np.inf):
        for b in range(x.shape[0]):
            for ch in range(x.shape[3]):
                win = x[b][np.ix_(rows, cols)][:, :, ch]
                r, q = np.unravel_index(np.argmax(win), win.shape)
                dx[b, rows[r], cols[q], ch] += dy[b, oy, ox, ch]
    return dx


def avg_pool_grad(xshape, dy, k, s, padding):
    dx = np.zeros(xshape, dtype=dy.dtype)
    for oy, ox, rows, cols, oh, ow in _pool_windows(np.zeros(xshape), k, s, padding, 0):
        cnt = len(rows) * len(cols)
        for r in rows:
            for q in cols:
                dx[:, r, q] += dy[:, oy, ox] / cnt
    return dx


def softmax(x, axis=-1):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis=-1):
    s = x - x.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))
