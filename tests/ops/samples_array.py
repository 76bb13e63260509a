"""Registry-sweep samples for the array family (tinytf/ops/array_ops.py) and the random
family (tinytf/ops/random_ops.py). Format: tests/opsample.py.

Random ops cannot be compared with NumPy value by value; their samples check a
deterministic property (the shape, or stateless values against themselves is done in
test_random_ops.py) and say so in ``note``.
"""

import numpy as np

import tinytf as tf
from opsample import Sample
from tinytf.framework.execute import execute
from tinytf.ops import array_ops as A
from tinytf.ops import random_ops as R

_r = np.random.default_rng(42)


def f64(*shape):
    return _r.standard_normal(shape)


def f32(*shape):
    return _r.standard_normal(shape).astype(np.float32)


def i32(*vals):
    return np.array(vals, dtype=np.int32)


X = f64(2, 3, 4)
M = f64(3, 4)
V = f64(5)


def _np_mirror(x, p, mode):
    return np.pad(x, p, mode="reflect" if mode == "REFLECT" else "symmetric")


def _np_gather_batch(params, indices, axis, batch_dims):
    out = []
    for b in range(params.shape[0]):
        out.append(np.take(params[b], indices[b], axis=axis - 1))
    return np.stack(out)


def _np_scatter_nd(indices, updates, shape):
    out = np.zeros(shape, updates.dtype)
    np.add.at(out, tuple(indices[..., k] for k in range(indices.shape[-1])), updates)
    return out


def _np_tsu(t, indices, updates, mode):
    out = t.copy()
    idx = tuple(indices[..., k] for k in range(indices.shape[-1]))
    if mode == "update":
        out[idx] = updates
    elif mode == "add":
        np.add.at(out, idx, updates)
    elif mode == "sub":
        np.add.at(out, idx, -updates)
    elif mode == "max":
        np.maximum.at(out, idx, updates)
    else:
        np.minimum.at(out, idx, updates)
    return out


def _shape_of(t):
    return tf.constant(np.array(t.shape.as_list(), dtype=np.int32))


SCATTER_IDX = np.array([[0, 1], [2, 3], [0, 1]], dtype=np.int32)    # duplicates add up
UNIQUE_IDX = np.array([[0, 1], [2, 3], [1, 0]], dtype=np.int32)


SAMPLES = [
    # -- existing basics ---------------------------------------------------------------
    Sample("Identity", lambda x: tf.identity(x), [M], lambda x: x),
    Sample("StopGradient", lambda x: tf.stop_gradient(x), [M], lambda x: x, grad=False,
           note="no gradient by definition"),
    Sample("Cast", lambda x: tf.cast(x, tf.float32), [M], lambda x: x.astype(np.float32),
           grad=False, atol=1e-6),
    Sample("Cast", lambda x: tf.cast(tf.cast(x, tf.float32), tf.float64), [M],
           lambda x: x.astype(np.float32).astype(np.float64), rtol=1e-6, grad=False,
           note="float32 round trip is too coarse for finite differences; see test_cast_grad"),
    Sample("Reshape", lambda x: tf.reshape(x, [4, -1]), [X], lambda x: x.reshape(4, -1)),
    Sample("ReshapeLike", lambda x, y: A.reshape_like(x, y), [M, f64(12)],
           lambda x, y: x.reshape(12), wrt=[0]),
    Sample("BroadcastLike", lambda x, y: A.broadcast_like(x, y), [f64(4), M],
           lambda x, y: np.broadcast_to(x, y.shape), wrt=[0]),
    Sample("SumToShape", lambda x, y: A.sum_to_shape(x, y), [M, f64(1, 4)],
           lambda x, y: x.sum(0, keepdims=True), wrt=[0]),
    Sample("Shape", lambda x: tf.shape(x), [X], lambda x: np.array(x.shape, np.int32),
           grad=False),
    Sample("ZerosLike", lambda x: tf.zeros_like(x), [M], np.zeros_like, grad=False),
    Sample("OnesLike", lambda x: tf.ones_like(x), [M], np.ones_like, grad=False),
    # -- creation ----------------------------------------------------------------------
    Sample("Fill", lambda v: tf.fill([2, 3], v), [np.array(1.5)],
           lambda v: np.full((2, 3), v)),
    Sample("Fill", lambda: tf.zeros([2, 3], tf.int64), [], lambda: np.zeros((2, 3), np.int64)),
    Sample("Eye", lambda: tf.eye(3, 4, batch_shape=[2], dtype=tf.float64), [],
           lambda: np.broadcast_to(np.eye(3, 4), (2, 3, 4))),
    Sample("Range", lambda: tf.range(1, 10, 3), [], lambda: np.arange(1, 10, 3, dtype=np.int32)),
    Sample("Range", lambda: tf.range(0.5, 2.0, 0.25), [],
           lambda: np.arange(0.5, 2.0, 0.25, dtype=np.float32)),
    Sample("LinSpace", lambda a, b: tf.linspace(a, b, 5, axis=-1), [f64(3), f64(3)],
           lambda a, b: np.linspace(a, b, 5, axis=-1)),
    Sample("OneHot", lambda i: tf.one_hot(i, 4, axis=0), [i32(0, 3, -1, 2)],
           lambda i: (np.arange(4)[:, None] == i[None]).astype(np.float32)),
    # -- layout ------------------------------------------------------------------------
    Sample("Transpose", lambda x: tf.transpose(x, [2, 0, 1]), [X],
           lambda x: x.transpose(2, 0, 1)),
    Sample("ExpandDims", lambda x: tf.expand_dims(x, -2), [X], lambda x: x[:, :, None]),
    Sample("Squeeze", lambda x: tf.squeeze(x, [1]), [f64(3, 1, 2)], lambda x: x[:, 0]),
    Sample("ConcatV2", lambda x, y: tf.concat([x, y], -1), [M, f64(3, 2)],
           lambda x, y: np.concatenate([x, y], -1)),
    Sample("SplitLike", lambda d, a, b: execute(A.SplitLike, (d, a, b), {"axis": 1})[1],
           [f64(3, 6), M, f64(3, 2)], lambda d, a, b: d[:, 4:], wrt=[0]),
    Sample("Pack", lambda x, y: tf.stack([x, y], axis=1), [M, f64(3, 4)],
           lambda x, y: np.stack([x, y], 1)),
    Sample("Unpack", lambda x: tf.unstack(x, axis=1)[2], [M], lambda x: x[:, 2]),
    Sample("Split", lambda x: tf.split(x, 2, axis=2)[1], [X], lambda x: x[:, :, 2:]),
    Sample("SplitV", lambda x: tf.split(x, [1, -1], axis=1)[1], [X], lambda x: x[:, 1:]),
    Sample("Tile", lambda x: tf.tile(x, [2, 1, 3]), [X], lambda x: np.tile(x, [2, 1, 3])),
    Sample("TileGrad", lambda d, x: execute(A.TileGrad, (d, x), {"multiples": (2, 3)}),
           [f64(6, 12), M], lambda d, x: d.reshape(2, 3, 3, 4).sum((0, 2)), wrt=[0]),
    Sample("PadV2", lambda x: tf.pad(x, [[1, 0], [2, 1]], constant_values=3.0), [M],
           lambda x: np.pad(x, [[1, 0], [2, 1]], constant_values=3.0)),
    Sample("MirrorPad", lambda x: tf.pad(x, [[2, 1], [3, 2]], "REFLECT"), [M],
           lambda x: _np_mirror(x, [[2, 1], [3, 2]], "REFLECT")),
    Sample("MirrorPad", lambda x: tf.pad(x, [[3, 2], [1, 4]], "SYMMETRIC"), [M],
           lambda x: _np_mirror(x, [[3, 2], [1, 4]], "SYMMETRIC")),
    Sample("MirrorPadGrad", lambda d: execute(A.MirrorPadGrad, (d,), {
        "paddings": ((1, 2), (2, 0)), "mode": "SYMMETRIC"}), [f64(6, 6)], None),
    Sample("ReverseV2", lambda x: tf.reverse(x, [0, -1]), [X], lambda x: x[::-1, :, ::-1]),
    Sample("Roll", lambda x: tf.roll(x, [1, -2], [0, 2]), [X],
           lambda x: np.roll(x, (1, -2), (0, 2))),
    Sample("BroadcastTo", lambda x: tf.broadcast_to(x, [2, 3, 4]), [f64(3, 1)],
           lambda x: np.broadcast_to(x, (2, 3, 4))),
    Sample("Size", lambda x: tf.size(x), [X], lambda x: np.int32(x.size), grad=False),
    Sample("Rank", lambda x: tf.rank(x), [X], lambda x: np.int32(x.ndim), grad=False),
    # -- slicing -----------------------------------------------------------------------
    Sample("StridedSlice", lambda x: x[1, ::-2, tf.newaxis, 1:3], [X],
           lambda x: x[1, ::-2, None, 1:3]),
    Sample("StridedSlice", lambda x: tf.strided_slice(x, [0, 1], [2, 3], [1, 1],
                                                      shrink_axis_mask=1), [X],
           lambda x: x[0, 1:3]),
    Sample("StridedSliceGrad", lambda d, x: execute(A.StridedSliceGrad, (d, x), {
        "key": (("s", 1, None, None), ("i", 0))}), [f64(2, 4), f64(3, 3, 4)],
        lambda d, x: np.concatenate([np.zeros((1, 3, 4)),
                                     np.stack([np.concatenate([d[i:i + 1], np.zeros((2, 4))])
                                               for i in range(2)])]), wrt=[0]),
    Sample("Slice", lambda x: tf.slice(x, [0, 1, 1], [-1, 2, 2]), [X],
           lambda x: x[:, 1:3, 1:3]),
    # -- run-time shapes (graphs pass a shape known only at run time as an input) -------
    Sample("SliceGrad", lambda d, x: execute(A.SliceGrad, (d, x, tf.constant([1, 1]))),
           [f64(2, 2), f64(3, 4)], lambda d, x: np.pad(d, [[1, 0], [1, 1]]), wrt=[0]),
    Sample("Slice", lambda x: execute(A.Slice, (x, tf.constant([0, 1, 1]),
                                                tf.constant([-1, 2, 2])),
                                      {"begin": None, "size": None}),
           [X], lambda x: x[:, 1:3, 1:3]),
    Sample("Reshape", lambda x: execute(A.Reshape, (x, tf.constant([4, -1])),
                                        {"shape": (None, None)}),
           [X], lambda x: x.reshape(4, 6)),
    Sample("Tile", lambda x: execute(A.Tile, (x, tf.constant([2, 1])),
                                     {"multiples": (None, None)}),
           [M], lambda x: np.tile(x, [2, 1])),
    Sample("BroadcastTo", lambda x: execute(A.BroadcastTo, (x, tf.constant([2, 3, 4])),
                                            {"shape": None}),
           [f64(3, 1)], lambda x: np.broadcast_to(x, (2, 3, 4))),
    # -- gather / scatter ----------------------------------------------------------------
    Sample("GatherV2", lambda x, i: tf.gather(x, i, axis=1), [X, i32(2, 0, 2)],
           lambda x, i: np.take(x, i, axis=1)),
    Sample("GatherV2", lambda x, i: tf.gather(x, i, axis=2, batch_dims=1),
           [X, np.array([[0, 3], [2, 2]], np.int32)],
           lambda x, i: _np_gather_batch(x, i, 2, 1)),
    Sample("GatherGrad", lambda d, i, p: execute(A.GatherGrad, (d, i, p),
                                                 {"axis": 0, "batch_dims": 0}),
           [f64(3, 4), i32(2, 0, 2), M], None, wrt=[0]),
    Sample("GatherNd", lambda x, i: tf.gather_nd(x, i), [X, np.array([[1, 2], [0, 0], [1, 2]],
                                                                     np.int32)],
           lambda x, i: x[i[:, 0], i[:, 1]]),
    Sample("GatherNd", lambda x, i: tf.gather_nd(x, i, batch_dims=1),
           [X, np.array([[[1]], [[2]]], np.int32)],
           lambda x, i: np.stack([x[0][[1]], x[1][[2]]])),
    Sample("GatherNdGrad", lambda d, i, p: execute(A.GatherNdGrad, (d, i, p),
                                                   {"batch_dims": 0}),
           [f64(3, 4), np.array([[1, 2], [0, 0], [1, 2]], np.int32), X], None, wrt=[0]),
    Sample("ScatterNd", lambda i, u: tf.scatter_nd(i, u, [3, 4, 2]),
           [SCATTER_IDX, f64(3, 2)], lambda i, u: _np_scatter_nd(i, u, (3, 4, 2))),
    Sample("TensorScatterUpdate", lambda t, i, u: tf.tensor_scatter_nd_update(t, i, u),
           [f64(3, 4), UNIQUE_IDX, f64(3)], lambda t, i, u: _np_tsu(t, i, u, "update")),
    Sample("TensorScatterAdd", lambda t, i, u: tf.tensor_scatter_nd_add(t, i, u),
           [f64(3, 4), SCATTER_IDX, f64(3)], lambda t, i, u: _np_tsu(t, i, u, "add")),
    Sample("TensorScatterSub", lambda t, i, u: tf.tensor_scatter_nd_sub(t, i, u),
           [f64(3, 4), SCATTER_IDX, f64(3)], lambda t, i, u: _np_tsu(t, i, u, "sub")),
    Sample("TensorScatterMax", lambda t, i, u: tf.tensor_scatter_nd_max(t, i, u),
           [f64(3, 4), UNIQUE_IDX, f64(3)], lambda t, i, u: _np_tsu(t, i, u, "max")),
    Sample("TensorScatterMin", lambda t, i, u: tf.tensor_scatter_nd_min(t, i, u),
           [f64(3, 4), UNIQUE_IDX, f64(3)], lambda t, i, u: _np_tsu(t, i, u, "min")),
    Sample("Where", lambda c: tf.where(c), [np.array([[True, False], [True, True]])],
           lambda c: np.argwhere(c).astype(np.int64), grad=False),
    Sample("SelectV2", lambda x, y: tf.where(np.array([True, False, True, False]), x, y),
           [M, f64(1, 4)], lambda x, y: np.where([True, False, True, False], x, y)),
    Sample("GatherV2", lambda x: tf.boolean_mask(x, np.array([True, False, True]), axis=1),
           [X], lambda x: x[:, [0, 2]], note="boolean_mask is Where + GatherV2"),
    Sample("LowerBound", lambda s, v: tf.searchsorted(s, v),
           [np.array([[1, 3, 3, 7], [0, 2, 4, 6]], np.int32),
            np.array([[3, 8], [-1, 4]], np.int32)],
           lambda s, v: np.stack([np.searchsorted(s[i], v[i]) for i in range(2)]).astype(
               np.int32), grad=False),
    Sample("UpperBound", lambda s, v: tf.searchsorted(s, v, side="right"),
           [np.array([1., 3., 3., 7.]), np.array([3., 0., 9.])],
           lambda s, v: np.searchsorted(s, v, side="right").astype(np.int32), grad=False),
    # -- random (properties only; values are tested in test_random_ops.py) ---------------
    Sample("RandomStandardNormal", lambda: _shape_of(tf.random.normal([2, 3])), [],
           lambda: i32(2, 3), grad=False, note="random: shape only"),
    Sample("RandomUniform", lambda: _shape_of(tf.random.uniform([4])), [],
           lambda: i32(4), grad=False, note="random: shape only"),
    Sample("RandomUniformInt", lambda: _shape_of(tf.random.uniform([4], 0, 5, tf.int64)), [],
           lambda: i32(4), grad=False, note="random: shape only"),
    Sample("TruncatedNormal", lambda: _shape_of(tf.random.truncated_normal([3])), [],
           lambda: i32(3), grad=False, note="random: shape only"),
    Sample("RandomShuffle", lambda x: tf.reduce_sum(tf.random.shuffle(x) * 0.0 + 1.0),
           [np.arange(5.0)], lambda x: np.float64(x.size), grad=False,
           note="random: a permutation keeps the element count"),
    Sample("Multinomial", lambda: _shape_of(tf.random.categorical([[0., 1.], [1., 0.]], 3)),
           [], lambda: i32(2, 3), grad=False, note="random: shape only"),
    Sample("StatelessRandomNormalV2", lambda: _shape_of(
        tf.random.stateless_normal([2], seed=[1, 2])), [], lambda: i32(2), grad=False,
        note="random: shape only"),
    Sample("StatelessRandomUniformV2", lambda: _shape_of(
        tf.random.stateless_uniform([2], seed=[1, 2])), [], lambda: i32(2), grad=False,
        note="random: shape only"),
    Sample("StatelessRandomUniformIntV2", lambda: _shape_of(
        tf.random.stateless_uniform([2], seed=[1, 2], maxval=4, dtype=tf.int32)), [],
        lambda: i32(2), grad=False, note="random: shape only"),
    Sample("StatelessTruncatedNormalV2", lambda: _shape_of(
        tf.random.stateless_truncated_normal([2], seed=[1, 2])), [], lambda: i32(2),
        grad=False, note="random: shape only"),
    Sample("StatefulStandardNormalV2", lambda: _shape_of(
        tf.random.Generator.from_seed(1).normal([2])), [], lambda: i32(2), grad=False,
        note="random: shape only"),
    Sample("StatefulUniform", lambda: _shape_of(
        tf.random.Generator.from_seed(1).uniform([2])), [], lambda: i32(2), grad=False,
        note="random: shape only"),
    Sample("StatefulUniformInt", lambda: _shape_of(
        tf.random.Generator.from_seed(1).uniform([2], maxval=3, dtype=tf.int32)), [],
        lambda: i32(2), grad=False, note="random: shape only"),
    Sample("StatefulTruncatedNormal", lambda: _shape_of(
        tf.random.Generator.from_seed(1).truncated_normal([2])), [], lambda: i32(2),
        grad=False, note="random: shape only"),
    Sample("StatefulUniformFullInt", lambda: _shape_of(
        tf.random.Generator.from_seed(1).make_seeds(3)), [], lambda: i32(2, 3), grad=False,
        note="random: shape only"),
]

# Ops that live in these two modules (the sweep checks each appears above).
OPS = sorted({name for name, d in __import__("tinytf.framework.registry", fromlist=["x"])
              .REGISTRY.items() if d.kernel.__module__ in (A.__name__, R.__name__)})
