"""The expressions the conformance suite runs in both frameworks.

Each case is ``(id, source)``: a Python expression where ``tf`` is the framework and ``x``,
``y``, ``m``, ``p``, ``i`` are inputs built by the same framework from the same NumPy arrays.
"""

import numpy as np

RNG = np.random.default_rng(0)
ARRAYS = {
    "x": RNG.standard_normal((3, 4)).astype(np.float32),
    "y": RNG.standard_normal((3, 4)).astype(np.float32),
    "m": RNG.standard_normal((4, 5)).astype(np.float32),
    "p": RNG.uniform(0.1, 2.0, (3, 4)).astype(np.float32),
    "u": RNG.uniform(-0.9, 0.9, (3, 4)).astype(np.float32),
    "i": RNG.integers(-5, 6, (3, 4)).astype(np.int32),
    "j": RNG.integers(1, 6, (3, 4)).astype(np.int32),
    "b": RNG.integers(0, 2, (3, 4)).astype(bool),
    "v": RNG.standard_normal((4,)).astype(np.float32),
    "img": RNG.standard_normal((2, 8, 8, 3)).astype(np.float32),
    "ker": RNG.standard_normal((3, 3, 3, 4)).astype(np.float32),
    "lab": RNG.integers(0, 4, (3,)).astype(np.int32),
}

UNARY_FLOAT = ["abs", "negative", "sign", "square", "exp", "expm1", "tanh", "sigmoid", "sin",
               "cos", "atan", "sinh", "floor", "ceil", "round", "softplus", "erf",
               "reciprocal", "is_nan", "is_finite", "logical_not"]
UNARY_POSITIVE = ["sqrt", "rsqrt", "log", "log1p", "lgamma", "digamma"]
UNARY_UNIT = ["asin", "acos", "atanh"]
BINARY_FLOAT = ["add", "subtract", "multiply", "divide", "maximum", "minimum", "pow",
                "squared_difference", "atan2", "floordiv", "floormod", "equal", "not_equal",
                "less", "less_equal", "greater", "greater_equal", "divide_no_nan",
                "truediv"]
BINARY_INT = ["add", "subtract", "multiply", "floordiv", "floormod", "maximum", "minimum",
              "truediv", "divide", "equal", "less"]
REDUCE = ["reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
          "reduce_std", "reduce_variance", "reduce_logsumexp"]
NN = ["relu", "relu6", "elu", "selu", "gelu", "softsign", "silu", "leaky_relu", "softmax",
      "log_softmax", "sigmoid", "tanh", "l2_normalize"]

CASES = []


def case(cid, src):
    CASES.append((cid, src))


for name in UNARY_FLOAT:
    src_in = "b" if name == "logical_not" else "x"
    case(f"math.{name}", f"tf.math.{name}({src_in})")
for name in UNARY_POSITIVE:
    case(f"math.{name}", f"tf.math.{name}(p)")
for name in UNARY_UNIT:
    case(f"math.{name}", f"tf.math.{name}(u)")
for name in BINARY_FLOAT:
    second = "p" if name in ("pow",) else "y"
    first = "p" if name == "pow" else "x"
    case(f"math.{name}", f"tf.math.{name}({first}, {second})")
    case(f"math.{name}.broadcast", f"tf.math.{name}({first}, {second}[0])")
for name in BINARY_INT:
    case(f"math.{name}.int32", f"tf.math.{name}(i, j)")
for name in REDUCE:
    case(f"math.{name}", f"tf.math.{name}(x)")
    case(f"math.{name}.axis0", f"tf.math.{name}(x, axis=0)")
    case(f"math.{name}.axis1.keepdims", f"tf.math.{name}(x, axis=1, keepdims=True)")
for name in ["reduce_any", "reduce_all"]:
    case(f"math.{name}", f"tf.math.{name}(b, axis=1)")
for name in NN:
    case(f"nn.{name}", f"tf.nn.{name}(x)")

# operators, dtype rules, conversion
for src in ["x + y", "x - 1", "2 * x", "x / 2", "x // 2", "x % 2", "x ** 2", "-x", "abs(x)",
            "x @ m", "x > y", "x == y", "x != 1.0", "i & j", "i | j", "i ^ j", "~i", "b & b",
            "i // j", "i % j", "i / j", "x[1]", "x[:, 1:3]", "x[::-1, ::2]", "x[..., 0]",
            "x[tf.newaxis, 1]", "x[-1, -2]"]:
    case(f"op[{src}]", src)
for src in ["tf.constant(1.5)", "tf.constant(3)", "tf.constant([1, 2.5])",
            "tf.constant([[1, 2], [3, 4]])", "tf.constant(True)", "tf.constant(2**40)",
            "tf.constant(np.float64(1.0))", "tf.constant(np.arange(3))",
            "tf.constant([1, 2], dtype=tf.float64)", "tf.constant(1, dtype=tf.float16)",
            "tf.convert_to_tensor([1., 2.])", "tf.zeros([2, 3])", "tf.ones((2,), tf.int32)",
            "tf.fill([2, 2], 7)", "tf.eye(3)", "tf.range(5)", "tf.range(1, 4, 0.5)",
            "tf.linspace(0., 1., 5)", "tf.one_hot([0, 2, -1], 3)", "tf.zeros_like(i)",
            "tf.ones(2) + np.ones(2)", "tf.constant(b'hi')", "tf.constant(['a', 'bc'])",
            "tf.cast(x, tf.int32)", "tf.cast(i, tf.float32)", "tf.cast(b, tf.float32)",
            "tf.cast(x, tf.bool)", "tf.cast(tf.constant([-1.7, 2.5]), tf.int32)"]:
    case(f"create[{src}]", src)

# shape and layout
for src in ["tf.reshape(x, [2, -1])", "tf.transpose(x)", "tf.transpose(img, [0, 3, 1, 2])",
            "tf.expand_dims(x, 1)", "tf.squeeze(tf.zeros([1, 3, 1]))", "tf.concat([x, y], 0)",
            "tf.concat([x, y], -1)", "tf.stack([x, y], axis=1)", "tf.unstack(x)",
            "tf.split(x, 2, axis=1)", "tf.split(x, [1, 3], axis=1)", "tf.tile(v, [2])",
            "tf.pad(x, [[1, 0], [0, 2]])", "tf.pad(x, [[1, 1], [2, 2]], 'REFLECT')",
            "tf.pad(x, [[1, 1], [2, 2]], 'SYMMETRIC')", "tf.reverse(x, [1])",
            "tf.slice(x, [1, 0], [2, -1])", "tf.broadcast_to(v, [3, 4])", "tf.shape(x)",
            "tf.size(x)", "tf.rank(x)", "tf.gather(x, [2, 0])", "tf.gather(x, [3, 1], axis=1)",
            "tf.gather_nd(x, [[0, 1], [2, 3]])", "tf.where(x > 0)", "tf.where(x > 0, x, y)",
            "tf.boolean_mask(x, b)", "tf.boolean_mask(x, [True, False, True])",
            "tf.scatter_nd([[1], [3]], [9., 8.], [5])",
            "tf.tensor_scatter_nd_update(x, [[0, 0]], [100.])",
            "tf.tensor_scatter_nd_add(x, [[0, 0], [0, 0]], [1., 2.])",
            "tf.meshgrid([1, 2, 3], [4, 5])", "tf.sort(v)", "tf.argsort(v)",
            "tf.sort(x, direction='DESCENDING')", "tf.argmax(x)", "tf.argmin(x, axis=1)",
            "tf.math.cumsum(x, axis=1)", "tf.math.cumsum(x, exclusive=True, reverse=True)",
            "tf.math.cumprod(x)", "tf.math.top_k(v, 2)", "tf.unique([1, 3, 1, 2, 3])",
            "tf.math.count_nonzero(i)", "tf.clip_by_value(x, -0.5, 0.5)",
            "tf.clip_by_norm(x, 1.0)", "tf.add_n([x, y, x])", "tf.matmul(x, m)",
            "tf.matmul(x, y, transpose_b=True)", "tf.tensordot(x, m, 1)",
            "tf.einsum('ij,jk->ik', x, m)", "tf.linalg.norm(x)", "tf.norm(x, axis=1)",
            "tf.linalg.inv(tf.eye(3) * 2.)", "tf.linalg.det(tf.eye(3) * 2.)",
            "tf.linalg.diag(v)", "tf.linalg.trace(x[:, :3])", "tf.linalg.matvec(x, v)",
            "tf.nn.bias_add(x, v)", "tf.nn.l2_loss(x)", "tf.nn.moments(x, axes=[0])",
            "tf.nn.softmax_cross_entropy_with_logits(tf.nn.softmax(y), x)",
            "tf.nn.sparse_softmax_cross_entropy_with_logits(lab, x)",
            "tf.nn.sigmoid_cross_entropy_with_logits(tf.nn.sigmoid(y), x)",
            "tf.nn.conv2d(img, ker, 1, 'SAME')", "tf.nn.conv2d(img, ker, 2, 'VALID')",
            "tf.nn.conv2d(img, ker, 1, 'SAME', dilations=2)",
            "tf.nn.max_pool2d(img, 2, 2, 'VALID')", "tf.nn.max_pool2d(img, 3, 2, 'SAME')",
            "tf.nn.avg_pool2d(img, 2, 2, 'SAME')", "tf.nn.avg_pool2d(img, 3, 1, 'SAME')"]:
    case(f"op[{src}]", src)

# errors: the exception class must match
ERROR_CASES = [
    "tf.constant(1) + tf.constant(1.)", "tf.constant(1) + 1.5", "tf.reshape(x, [5, -1])",
    "tf.matmul(x, y)", "x + tf.zeros([5])", "tf.concat([x, m], 0)", "x[5]", "x[[1, 2]]",
    "tf.constant([[1], [1, 2]])", "tf.constant(1.5, dtype=tf.int32)",
    "tf.reduce_sum(x, axis=3)", "tf.gather(x, [7])", "hash(x)", "len(tf.constant(1.))",
    "iter(tf.constant(1.))", "tf.transpose(x, [0, 0])", "tf.squeeze(x, 0)",
    "tf.split(x, 3, axis=1)", "tf.one_hot(x, 3)", "tf.Variable(1.).assign([1., 2.])",
    "tf.random.uniform([2], maxval=3, dtype=tf.int32) + tf.constant(1.)",
]

# gradients: source is the body of a tape block computing `out` from watched `x`
GRAD_CASES = {
    "square": "tf.reduce_sum(x * x)",
    "matmul": "tf.reduce_sum(tf.matmul(x, m))",
    "softmax": "tf.reduce_sum(tf.nn.softmax(x) * y)",
    "max_ties": "tf.reduce_max(tf.constant([[1., 1.], [0., 2.]]) * 0. + tf.reduce_max(x) * 0. + tf.ones([2, 2])) + tf.reduce_max(tf.maximum(x, 0.))",
    "maximum_ties": "tf.reduce_sum(tf.maximum(x, x))",
    "abs": "tf.reduce_sum(tf.abs(x))",
    "gather": "tf.reduce_sum(tf.gather(x, [0, 0, 2]))",
    "slice": "tf.reduce_sum(x[1:, ::2] * 3.)",
    "where": "tf.reduce_sum(tf.where(x > 0, x * 2., x * x))",
    "boolean_mask": "tf.reduce_sum(tf.boolean_mask(x, x > 0))",
    "sigmoid_ce": "tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(tf.nn.sigmoid(y), x))",
    "sparse_ce": "tf.reduce_sum(tf.nn.sparse_softmax_cross_entropy_with_logits(lab, x))",
    "log_softmax": "tf.reduce_sum(tf.nn.log_softmax(x) * y)",
    "relu": "tf.reduce_sum(tf.nn.relu(x) * y)",
    "reduce_mean_keep": "tf.reduce_sum(tf.reduce_mean(x, axis=0, keepdims=True) * y)",
    "broadcast": "tf.reduce_sum(x + v)",
    "pow": "tf.reduce_sum(tf.pow(tf.abs(x) + 1., 3.))",
    "concat_split": "tf.reduce_sum(tf.split(tf.concat([x, y], 1), 2, axis=1)[0] * 2.)",
    "transpose_reshape": "tf.reduce_sum(tf.reshape(tf.transpose(x), [-1]) * tf.range(12.))",
    "cumsum": "tf.reduce_sum(tf.math.cumsum(x, axis=1) * y)",
    "norm": "tf.norm(x)",
    "logsumexp": "tf.reduce_logsumexp(x)",
    "top_k": "tf.reduce_sum(tf.math.top_k(x, 2).values)",
    "clip": "tf.reduce_sum(tf.clip_by_value(x, -0.5, 0.5))",
    "conv2d": "tf.reduce_sum(tf.nn.conv2d(tf.reshape(tf.tile(x, [2, 4]), [1, 6, 16, 1]), tf.ones([3, 3, 1, 2]), 1, 'SAME') ** 2)",
    "max_pool_ties": "tf.reduce_sum(tf.nn.max_pool2d(tf.reshape(tf.tile(x * 0. + 1., [2, 2]), [1, 6, 8, 1]) * tf.reshape(tf.tile(x, [2, 2]), [1, 6, 8, 1]) * 0. + tf.reshape(tf.tile(tf.round(x), [2, 2]), [1, 6, 8, 1]) + tf.reshape(tf.tile(x, [2, 2]), [1, 6, 8, 1]) * 0.01, 2, 2, 'VALID'))",
}

PRINT_CASES = [
    "tf.constant(10.)", "tf.constant([1., 2.5])", "tf.constant([[1, 2], [3, 4]])",
    "tf.constant(True)", "tf.constant([True, False])", "tf.constant(b'hi')",
    "tf.constant(['a', 'bc'])", "tf.constant(np.arange(2000.))", "tf.zeros([2, 3, 4])",
    "tf.constant(1e-8)", "tf.constant([1e10, 1.])", "tf.constant(np.float64(3.25))",
    "tf.constant(3, dtype=tf.int64)", "tf.constant([1, 2], dtype=tf.uint8)",
    "tf.constant(1 + 2j)", "tf.constant(0.1, dtype=tf.float16)", "tf.range(1500)",
    "tf.Variable(1.)", "tf.Variable([[1, 2]], name='w')", "tf.constant(np.zeros((0, 3)))",
    "tf.constant([[np.nan, np.inf]])", "tf.constant(-0.)", "tf.ones([1001])",
]
