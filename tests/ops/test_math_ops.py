"""Math ops: values against NumPy, TF's dtype and error rules, gradients at ties, the
Tensor operators, and a hypothesis broadcasting sweep over the binary element-wise ops.

Per-op values and gradients come from samples_math.py, run by test_registry.py."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinytf as tf
from gradcheck import check_grad

InvalidArgumentError = tf.errors.InvalidArgumentError


# -- dtype rules ------------------------------------------------------------------------

@pytest.mark.parametrize("dt,out", [(tf.int8, tf.float32), (tf.int16, tf.float32),
                                    (tf.uint8, tf.float32), (tf.int32, tf.float64),
                                    (tf.int64, tf.float64)])
def test_integer_true_division_dtype(dt, out):
    r = tf.constant([1, 3], dt) / tf.constant([2, 2], dt)
    assert r.dtype == out
    np.testing.assert_allclose(r.numpy(), [0.5, 1.5])


def test_floor_division_and_mod_on_ints_follow_python():
    x, y = np.array([-7, 7, -7, 7]), np.array([2, 2, -2, -2])
    np.testing.assert_array_equal((tf.constant(x) // tf.constant(y)).numpy(), x // y)
    np.testing.assert_array_equal((tf.constant(x) % tf.constant(y)).numpy(), x % y)
    assert (7 // tf.constant(2)).numpy() == 3 and (7 % tf.constant(4)).numpy() == 3


def test_integer_division_by_zero_raises():
    with pytest.raises(InvalidArgumentError, match=r"Integer division by zero \[Op:FloorDiv\]"):
        tf.constant([1, 2]) // tf.constant([0, 1])
    with pytest.raises(InvalidArgumentError, match=r"\[Op:FloorMod\]"):
        tf.constant([1, 2]) % tf.constant([0, 1])


def test_integer_pow_negative_exponent_raises():
    with pytest.raises(InvalidArgumentError,
                       match=r"Integers to negative integer powers are not allowed \[Op:Pow\]"):
        tf.constant(2) ** -1
    assert (tf.constant([2, 3]) ** 2).numpy().tolist() == [4, 9]


def test_no_promotion_between_tensors():
    with pytest.raises(InvalidArgumentError, match=r"\[Op:Maximum\]"):
        tf.maximum(tf.constant([1]), tf.constant([1.]))
    with pytest.raises(InvalidArgumentError, match=r"\[Op:Equal\]"):
        tf.equal(tf.constant([1]), tf.constant([1.]))
    with pytest.raises(TypeError, match="Cannot convert 1.5 to EagerTensor of dtype int32"):
        tf.constant([1, 2]) == 1.5


@pytest.mark.parametrize("fn,op_name", [(tf.sqrt, "Sqrt"), (tf.exp, "Exp"),
                                        (tf.math.log, "Log"), (tf.sigmoid, "Sigmoid"),
                                        (tf.floor, "Floor"), (tf.math.is_nan, "IsNan"),
                                        (tf.tanh, "Tanh"), (tf.math.erf, "Erf")])
def test_float_ops_refuse_ints(fn, op_name):
    with pytest.raises(InvalidArgumentError,
                       match=rf"(?s)Value for attr 'T' of int32 is not in the list of allowed "
                             rf"values: bfloat16, half, float, double.*\[Op:{op_name}\]"):
        fn(tf.constant([1, 2]))


def test_logical_and_bitwise_dtypes():
    with pytest.raises(InvalidArgumentError, match=r"expected to be a bool tensor but is a "
                                                   r"int32 tensor \[Op:LogicalAnd\]"):
        tf.logical_and(tf.constant([1]), tf.constant([1]))
    with pytest.raises(InvalidArgumentError, match=r"\[Op:BitwiseOr\]"):
        tf.constant([1.]) | tf.constant([1.])
    with pytest.raises(InvalidArgumentError, match=r"\[Op:Invert\]"):
        ~tf.constant([1.])


def test_round_is_bankers_and_identity_on_ints():
    x = np.array([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999])
    np.testing.assert_array_equal(tf.round(x).numpy(), np.round(x))
    i = tf.constant([1, 2])
    assert tf.round(i) is i


def test_abs_of_complex_is_real():
    r = abs(tf.constant([3 + 4j, 1j], tf.complex64))
    assert r.dtype == tf.float32
    np.testing.assert_allclose(r.numpy(), [5., 1.])


def test_sigmoid_has_no_overflow_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for dt in (tf.float16, tf.float32, tf.float64):
            y = tf.sigmoid(tf.constant([-1e4, -100., 0., 100., 1e4], dt)).numpy()
            np.testing.assert_allclose(y.astype(np.float64), [0, 0, .5, 1, 1], atol=1e-30)


# -- operators --------------------------------------------------------------------------

def test_equality_operators_are_elementwise():
    a = tf.constant([1, 2, 3])
    r = a == 2
    assert r.dtype == tf.bool and r.numpy().tolist() == [False, True, False]
    assert (a != tf.constant([1, 0, 3])).numpy().tolist() == [False, True, False]
    assert (a == None) is False and (a != None) is True  # noqa: E711
    # Shapes that cannot broadcast: a scalar False / True (incompatible_shape_error=False).
    r = a == tf.constant([1, 2])
    assert r.shape == () and r.dtype == tf.bool and not bool(r)
    assert bool(a != tf.constant([1, 2]))
    with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes: \[3\] vs. \[2\]"):
        tf.equal(a, tf.constant([1, 2]))


def test_tensor_stays_unhashable():
    with pytest.raises(TypeError, match="ref"):
        hash(tf.constant(1))


def test_comparison_and_bitwise_operators_with_reflected_forms():
    a, b = tf.constant([1, 5, 3]), tf.constant([2, 5, 1])
    assert (a < b).numpy().tolist() == [True, False, False]
    assert (a <= b).numpy().tolist() == [True, True, False]
    assert (a > b).numpy().tolist() == [False, False, True]
    assert (a >= b).numpy().tolist() == [False, True, True]
    assert (2 < a).numpy().tolist() == [False, True, True]       # reflected via __gt__
    assert (6 & a).numpy().tolist() == [0, 4, 2]
    assert (a | 8).numpy().tolist() == [9, 13, 11]
    assert (1 ^ a).numpy().tolist() == [0, 4, 2]
    assert (~a).numpy().tolist() == [-2, -6, -4]
    t, f = tf.constant([True, False]), tf.constant([True, True])
    assert (t & f).numpy().tolist() == [True, False]
    assert (False | t).numpy().tolist() == [True, False]
    assert (t ^ f).numpy().tolist() == [False, True]
    assert (~t).numpy().tolist() == [False, True]
    assert (2. ** tf.constant([1., 3.])).numpy().tolist() == [2., 8.]
    assert (tf.constant([2., 3.]) ** 2).numpy().tolist() == [4., 9.]
    assert abs(tf.constant([-2, 3])).numpy().tolist() == [2, 3]


def test_variable_uses_operators():
    v = tf.Variable([1., 2.])
    assert (v == 2.).numpy().tolist() == [False, True]
    assert (v // 2.).numpy().tolist() == [0., 1.]
    assert (v ** 2).numpy().tolist() == [1., 4.]


# -- gradients at ties and special points -----------------------------------------------

def _grads(f, *xs):
    ts = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        for t in ts:
            tape.watch(t)
        y = f(*ts)
    return [None if g is None else g.numpy() for g in tape.gradient(y, ts)]


def test_maximum_minimum_ties_go_to_x():
    x, y = np.array([1., 2., 3.]), np.array([1., 1., 4.])
    gx, gy = _grads(lambda a, b: tf.reduce_sum(tf.maximum(a, b)), x, y)
    assert gx.tolist() == [1., 1., 0.] and gy.tolist() == [0., 0., 1.]
    gx, gy = _grads(lambda a, b: tf.reduce_sum(tf.minimum(a, b)), x, y)
    assert gx.tolist() == [1., 0., 1.] and gy.tolist() == [0., 1., 0.]


def test_reduce_max_min_split_gradient_among_ties():
    x = np.array([[1., 3., 3.], [2., 2., 2.]])
    [g] = _grads(lambda a: tf.reduce_sum(tf.reduce_max(a, axis=1)), x)
    np.testing.assert_allclose(g, [[0, .5, .5], [1 / 3, 1 / 3, 1 / 3]])
    [g] = _grads(lambda a: tf.reduce_min(a), x)
    np.testing.assert_allclose(g, [[1, 0, 0], [0, 0, 0]])


def test_non_differentiable_ops_give_none_and_sign_gives_zeros():
    x = np.array([1.5, -2.])
    for f in (tf.floor, tf.math.ceil, tf.round, lambda a: tf.cast(a > 0, tf.float64),
              lambda a: tf.cast(tf.argmax(a), tf.float64),
              lambda a: tf.cast(tf.math.is_nan(a), tf.float64)):
        assert _grads(f, x) == [None]
    [g] = _grads(tf.sign, x)
    assert g.tolist() == [0., 0.]
    [g] = _grads(tf.abs, np.array([0., -2., 3.]))
    assert g.tolist() == [0., -1., 1.]


def test_top_k_and_sort_gradients_scatter_back():
    x = np.array([[1., 4., 2., 3.]])
    [g] = _grads(lambda a: tf.reduce_sum(tf.math.top_k(a, 2).values * [[10., 1.]]), x)
    assert g.tolist() == [[0., 10., 0., 1.]]
    [g] = _grads(lambda a: tf.reduce_sum(tf.sort(a, direction="DESCENDING") *
                                         [[1., 2., 3., 4.]]), x)
    assert g.tolist() == [[4., 1., 3., 2.]]


def test_cumsum_cumprod_gradients():
    check_grad(lambda a: tf.cumsum(a, 1, exclusive=True, reverse=True), [np.ones((2, 3))])
    check_grad(lambda a: tf.math.cumprod(a, 0, reverse=True), [np.full((3, 2), 1.5)])


@pytest.mark.filterwarnings("ignore:divide by zero encountered in log")
def test_reduce_logsumexp_variance_std():
    x = np.array([[1., 2., 3.], [-1., 0., 10.]])
    np.testing.assert_allclose(tf.reduce_logsumexp(x, 1).numpy(),
                               np.log(np.exp(x).sum(1)))
    r = tf.reduce_logsumexp(tf.constant([[-np.inf, -np.inf]]), axis=1, keepdims=True)
    assert r.shape == (1, 1) and r.numpy()[0, 0] == -np.inf
    np.testing.assert_allclose(tf.math.reduce_variance(x, 0).numpy(), x.var(0))
    np.testing.assert_allclose(tf.math.reduce_std(x, keepdims=True).numpy(),
                               x.std(keepdims=True))
    check_grad(lambda a: tf.reduce_logsumexp(a, 1), [x], order=2)
    check_grad(lambda a: tf.math.reduce_std(a, 0), [x])
    with pytest.raises(TypeError, match="Input must be either real or complex"):
        tf.math.reduce_std(tf.constant([1, 2]))


# -- reductions: axes and errors --------------------------------------------------------

def test_reduction_axes():
    x = np.arange(24.).reshape(2, 3, 4)
    assert tf.reduce_sum(x, axis=[]).shape == (2, 3, 4)           # empty list: identity
    np.testing.assert_allclose(tf.reduce_sum(x, axis=tf.constant([0, -1])).numpy(),
                               x.sum((0, 2)))
    np.testing.assert_allclose(tf.reduce_mean(x, axis=-2, keepdims=True).numpy(),
                               x.mean(-2, keepdims=True))
    assert tf.reduce_max(tf.zeros((0,))).numpy() == -np.inf
    assert tf.reduce_min(tf.zeros((0,), tf.int32)).numpy() == np.iinfo(np.int32).max
    assert np.isnan(tf.reduce_mean(tf.zeros((0,))).numpy())
    assert tf.reduce_mean(tf.constant([1, 2, -3, -4])).numpy() == -1


def test_reduction_errors():
    x = tf.constant([1., 2.])
    with pytest.raises(InvalidArgumentError,
                       match=r"Invalid reduction dimension \(1 for input with 1 dimension\(s\) "
                             r"\[Op:Sum\]"):
        tf.reduce_sum(x, 1)
    with pytest.raises(InvalidArgumentError, match=r"\(-2 for input .*\[Op:Max\]"):
        tf.reduce_max(x, -2)
    with pytest.raises(InvalidArgumentError, match="duplicate dimension: 0"):
        tf.reduce_sum(tf.ones((2, 2)), [0, 0])
    with pytest.raises(InvalidArgumentError, match=r"expected to be a bool tensor.*\[Op:Any\]"):
        tf.reduce_any(x)


def test_argmax_argmin():
    x = np.array([[1, 3, 3], [4, 2, 0]])
    r = tf.argmax(x)
    assert r.dtype == tf.int64 and r.numpy().tolist() == [1, 0, 0]
    assert tf.argmin(x, axis=-1, output_type=tf.int32).numpy().tolist() == [0, 2]
    assert tf.argmax(tf.constant([True, False])).numpy() == 0
    with pytest.raises(InvalidArgumentError,
                       match=r"Expected dimension in the range \[-2, 2\), but got 2"):
        tf.argmax(x, axis=2)
    with pytest.raises(InvalidArgumentError, match=r"Reduction axis 0 is empty in shape \[0\]"):
        tf.argmax(tf.zeros((0,)))
    with pytest.raises(InvalidArgumentError, match="output_type"):
        tf.argmax(x, output_type=tf.float32)


def test_count_nonzero_and_add_n():
    x = np.array([[0, 1, 2], [0, 0, 3]])
    r = tf.math.count_nonzero(x, axis=1)
    assert r.dtype == tf.int64 and r.numpy().tolist() == [2, 1]
    assert tf.math.count_nonzero(tf.constant([b"", b"a"])).numpy() == 1
    assert tf.add_n([tf.constant([1, 2])] * 3).numpy().tolist() == [3, 6]
    with pytest.raises(TypeError, match="don't all match"):
        tf.add_n([tf.constant([1]), tf.constant([1.])])


# -- sorting, unique, top_k -------------------------------------------------------------

def test_top_k_namedtuple_and_ties():
    r = tf.math.top_k(tf.constant([[1., 3., 3., 2.]]), k=3)
    values, indices = r
    assert r.values is values and indices.dtype == tf.int32
    assert values.numpy().tolist() == [[3., 3., 2.]]
    assert indices.numpy().tolist() == [[1, 2, 3]]                # ties: lower index first
    assert tf.nn.top_k is tf.math.top_k if hasattr(tf.nn, "top_k") else True
    with pytest.raises(InvalidArgumentError, match="at least k columns"):
        tf.math.top_k(tf.constant([1., 2.]), 3)


def test_sort_argsort_directions():
    x = np.array([[3, 1, 2, 1], [5, 5, 0, 9]], np.int32)
    assert tf.sort(x).numpy().tolist() == np.sort(x).tolist()
    assert tf.sort(x, direction="DESCENDING").numpy().tolist() == (-np.sort(-x)).tolist()
    assert tf.argsort(x, stable=True).numpy().tolist() == np.argsort(x, kind="stable").tolist()
    u = np.array([0, 255, 7], np.uint8)
    assert tf.sort(u, direction="DESCENDING").numpy().tolist() == [255, 7, 0]
    assert tf.sort(x, axis=0).numpy().tolist() == np.sort(x, 0).tolist()
    with pytest.raises(ValueError):
        tf.sort(x, direction="UP")


def test_unique():
    y, idx = tf.unique(tf.constant([1, 1, 2, 4, 4, 4, 7, 8, 8]))
    assert y.numpy().tolist() == [1, 2, 4, 7, 8]
    assert idx.numpy().tolist() == [0, 0, 1, 2, 2, 2, 3, 4, 4]
    r = tf.unique(tf.constant([3., 1., 3.]), out_idx=tf.int64)
    assert r.y.numpy().tolist() == [3., 1.] and r.idx.dtype == tf.int64
    s = tf.unique(tf.constant([b"b", b"a", b"b"]))
    assert s.y.numpy().tolist() == [b"b", b"a"] and s.idx.numpy().tolist() == [0, 1, 0]
    y, idx, count = tf.unique_with_counts(tf.constant([5, 3, 5]))
    assert count.numpy().tolist() == [2, 1]
    with pytest.raises(InvalidArgumentError, match="unique expects a 1D vector"):
        tf.unique(tf.ones((2, 2)))


def test_in_top_k_ties_and_bad_targets():
    p = tf.constant([[1., 2., 2., 0.], [1., np.nan, 0., 0.]])
    r = tf.math.in_top_k(tf.constant([2, 1]), p, 1)
    assert r.numpy().tolist() == [True, False]
    assert tf.math.in_top_k(tf.constant([7, 0]), p, 2).numpy().tolist() == [False, True]


def test_bincount():
    x = tf.constant([1, 2, 2, 5])
    assert tf.math.bincount(x).numpy().tolist() == [0, 1, 2, 0, 0, 1]
    assert tf.math.bincount(x, minlength=8).shape == (8,)
    assert tf.math.bincount(x, maxlength=3).numpy().tolist() == [0, 1, 2]
    w = tf.math.bincount(x, weights=tf.constant([1., 2., 3., 4.]))
    assert w.dtype == tf.float32 and w.numpy().tolist() == [0, 1, 5, 0, 0, 4]
    assert tf.math.bincount(x, binary_output=True).numpy().tolist() == [0, 1, 1, 0, 0, 1]


# -- cumulative ops, clipping -----------------------------------------------------------

def test_cumsum_cumprod_options():
    x = np.array([1., 2., 3.])
    assert tf.cumsum(x).numpy().tolist() == [1., 3., 6.]
    assert tf.cumsum(x, exclusive=True).numpy().tolist() == [0., 1., 3.]
    assert tf.cumsum(x, reverse=True).numpy().tolist() == [6., 5., 3.]
    assert tf.cumsum(x, exclusive=True, reverse=True).numpy().tolist() == [5., 3., 0.]
    assert tf.math.cumprod(x, exclusive=True).numpy().tolist() == [1., 1., 2.]
    assert tf.math.cumprod(x, reverse=True).numpy().tolist() == [6., 6., 3.]
    assert tf.cumsum(tf.constant([[1, 2], [3, 4]]), axis=-1).numpy().tolist() == [[1, 3],
                                                                                   [3, 7]]


def test_clip_by_value_and_norm():
    x = np.array([-2., 0.5, 3.])
    assert tf.clip_by_value(x, -1., 1.).numpy().tolist() == [-1., 0.5, 1.]
    gx = _grads(lambda a: tf.reduce_sum(tf.clip_by_value(a, -1., 1.)),
                np.array([-2., 1., 0.5, -1.]))[0]
    assert gx.tolist() == [0., 1., 1., 1.]                       # ties at the bounds pass
    with pytest.raises(TypeError):
        tf.clip_by_value(tf.constant([1, 2]), 0.5, 1.5)
    with pytest.raises(ValueError):
        tf.clip_by_value(tf.constant([1., 2.]), tf.zeros((3, 2)), 1.)
    c = tf.clip_by_norm(tf.constant([[3., 4.], [0., 0.]]), 1.)
    np.testing.assert_allclose(c.numpy(), [[.6, .8], [0., 0.]], rtol=1e-6)
    c = tf.clip_by_norm(tf.constant([[3., 4.], [0.3, 0.4]]), 1., axes=[1])
    np.testing.assert_allclose(c.numpy(), [[.6, .8], [.3, .4]], rtol=1e-6)
    check_grad(lambda a: tf.clip_by_norm(a, 1.), [np.array([3., 4.])])
    [g] = _grads(lambda a: tf.clip_by_norm(a, 1.), np.zeros(2))
    assert np.isfinite(g).all()
    out, n = tf.clip_by_global_norm([tf.constant([3.]), None, tf.constant([4.])], 1.)
    assert out[1] is None and n.numpy() == 5.
    np.testing.assert_allclose([out[0].numpy()[0], out[2].numpy()[0]], [.6, .8], rtol=1e-6)


def test_misc_wrappers():
    assert tf.scalar_mul(2, tf.constant([1., 2.])).numpy().tolist() == [2., 4.]
    assert tf.math.divide_no_nan(tf.constant([1, 2]), tf.constant([0, 4])).dtype == tf.float64
    assert tf.math.real(tf.constant([1., 2.])).numpy().tolist() == [1., 2.]
    assert tf.math.imag(tf.constant([1., 2.])).numpy().tolist() == [0., 0.]
    assert tf.math.squared_difference(tf.constant([1, 5]), 2).numpy().tolist() == [1, 9]
    assert tf.math.logical_xor(True, tf.constant([True, False])).numpy().tolist() == [False,
                                                                                       True]


# -- hypothesis: broadcasting of the binary element-wise ops ----------------------------

_BINARY = [
    (tf.add, np.add), (tf.subtract, np.subtract), (tf.multiply, np.multiply),
    (tf.maximum, np.maximum), (tf.minimum, np.minimum),
    (tf.math.squared_difference, lambda x, y: (x - y) ** 2),
    (tf.less, np.less), (tf.equal, np.equal), (tf.greater_equal, np.greater_equal),
    (tf.math.atan2, np.arctan2), (tf.divide, np.divide), (tf.pow, np.power),
    (tf.math.floormod, np.mod), (tf.math.floordiv, np.floor_divide),
]


@st.composite
def _shape_pairs(draw):
    rank = draw(st.integers(0, 4))
    base = draw(st.lists(st.integers(1, 4), min_size=rank, max_size=rank))
    a, b = list(base), list(base)
    for i in range(rank):
        k = draw(st.integers(0, 3))
        if k == 1:
            a[i] = 1
        elif k == 2:
            b[i] = 1
        elif k == 3 and draw(st.booleans()):
            b[i] = base[i] + draw(st.integers(1, 2))        # may not broadcast
    a = a[draw(st.integers(0, rank)):]
    b = b[draw(st.integers(0, rank)):]
    return tuple(a), tuple(b)


@settings(max_examples=60, deadline=None)
@given(pair=_shape_pairs(), which=st.integers(0, len(_BINARY) - 1), seed=st.integers(0, 99))
def test_binary_broadcasting_matches_numpy(pair, which, seed):
    sa, sb = pair
    tf_fn, np_fn = _BINARY[which]
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.5, 2.0, sa).astype(np.float32)
    y = rng.uniform(0.5, 2.0, sb).astype(np.float32)
    try:
        expected = np_fn(x, y)
    except ValueError:
        with pytest.raises(InvalidArgumentError, match=r"Incompatible shapes"):
            tf_fn(x, y)
        return
    got = tf_fn(tf.constant(x), tf.constant(y))
    assert got.shape == expected.shape
    assert got.numpy().dtype == np.asarray(expected).dtype
    np.testing.assert_allclose(got.numpy(), expected, rtol=1e-5, atol=1e-6)


def test_dtype_rules_of_reductions_and_sorting():
    with pytest.raises(InvalidArgumentError, match=r"(?s)of bool is not in the list.*\[Op:Sum\]"):
        tf.reduce_sum(tf.constant([True]))
    with pytest.raises(InvalidArgumentError, match=r"(?s)of bool .*\[Op:Max\]"):
        tf.reduce_max(tf.constant([True]))
    with pytest.raises(InvalidArgumentError, match=r"(?s)of bool .*\[Op:TopKV2\]"):
        tf.math.top_k(tf.constant([True]))
    with pytest.raises(InvalidArgumentError, match=r"expected to be a float tensor but is a "
                                                   r"double tensor \[Op:InTopKV2\]"):
        tf.math.in_top_k(tf.constant([0]), tf.constant([[1., 2.]], tf.float64), 1)
    with pytest.raises(ValueError, match=r"must be a 0-D value. Received shape \(2,\)"):
        tf.scalar_mul(tf.constant([2., 1.]), tf.constant([1., 2.]))
    y, idx = tf.unique(tf.constant([np.nan, 1., np.nan]))          # NaNs stay distinct
    assert y.shape == (3,) and idx.numpy().tolist() == [0, 1, 2]


def test_v1_graph_tensors_compare_by_identity():
    v1 = tf.compat.v1
    with v1.Graph().as_default():
        p = v1.placeholder(tf.float32, [2])
        q = p * 2.
        assert (p == p) is True and (p == q) is False and (p != q) is True
        assert {p: 1}[p] == 1                                   # usable as feed_dict keys


def test_elementwise_equality_inside_tf_function():
    f = tf.function(lambda x: x == 2.)
    assert f(tf.constant([1., 2.])).numpy().tolist() == [False, True]


# -- special functions and complex gradients (found by the conformance suite) -----------

def test_lgamma_digamma_polygamma_erfc_values_and_gradients():
    from scipy import special
    x = np.array([0.3, 1.0, 2.5, 7.0])
    two = tf.constant(2., tf.float64)
    np.testing.assert_allclose(tf.math.lgamma(x).numpy(), special.gammaln(x), rtol=1e-12)
    np.testing.assert_allclose(tf.math.digamma(x).numpy(), special.digamma(x), rtol=1e-12)
    np.testing.assert_allclose(tf.math.polygamma(two, x).numpy(), special.polygamma(2, x),
                               rtol=1e-12)
    np.testing.assert_allclose(tf.math.erfc(x).numpy(), special.erfc(x), rtol=1e-12)
    assert tf.math.lgamma(tf.constant([1.5])).dtype == tf.float32
    assert np.isnan(tf.math.digamma([0., -2.]).numpy()).all()     # TF: nan at the poles
    check_grad(tf.math.lgamma, [x], order=2)
    check_grad(tf.math.digamma, [x], order=2)
    check_grad(tf.math.erfc, [x], order=2)
    check_grad(lambda t: tf.math.polygamma(two, t), [x])
    with pytest.raises(InvalidArgumentError, match=r"\[Op:Lgamma\]"):
        tf.math.lgamma(tf.constant([1, 2]))


def _complex_grad_numeric(f, z, eps=1e-6):
    """TF's gradient of a real scalar L(z): dL/da + i dL/db for z = a + ib."""
    g = np.zeros_like(z)
    for k in range(z.size):
        for unit in (1, 1j):
            zp, zm = z.copy(), z.copy()
            zp.reshape(-1)[k] += eps * unit
            zm.reshape(-1)[k] -= eps * unit
            d = (f(zp) - f(zm)) / (2 * eps)
            g.reshape(-1)[k] += d * unit
    return g


@pytest.mark.parametrize("fn", ["exp", "square", "sqrt", "sin", "log", "tanh", "reciprocal",
                                "sigmoid", "mul", "div", "pow", "matmul"])
def test_complex_gradients_follow_tf_conjugate_convention(fn):
    rng = np.random.default_rng(5)
    z = rng.standard_normal((2, 2)) + 1j * rng.standard_normal((2, 2)) + 1.5
    w = np.array([[0.5 - 1j, 2 + 0.5j], [1j, -1.5 + 0j]])
    ops = {"mul": lambda t: t * tf.constant(w), "div": lambda t: tf.constant(w) / t,
           "pow": lambda t: t ** tf.constant(w), "matmul": lambda t: tf.matmul(t, t)}
    op_ = ops[fn] if fn in ops else getattr(tf.math, fn)
    loss = lambda t: tf.reduce_sum(tf.abs(op_(t)) ** 2)  # noqa: E731 - real, non-holomorphic
    zt = tf.constant(z)
    with tf.GradientTape() as tape:
        tape.watch(zt)
        r = loss(zt)
    want = _complex_grad_numeric(lambda a: float(loss(tf.constant(a)).numpy()), z)
    np.testing.assert_allclose(tape.gradient(r, zt).numpy(), want, rtol=1e-5, atol=1e-6)


def test_operators_pick_ops_like_tf():
    i, x, b = tf.constant([1, 2]), tf.constant([1., 2.]), tf.constant([True, False])
    with pytest.raises(TypeError, match="bad operand type for unary \\+"):
        +x  # noqa: B018 - TF tensors have no unary plus
    with pytest.raises(InvalidArgumentError, match=r"\[Op:BitwiseAnd\]"):
        i & x  # noqa: B018
    with pytest.raises(InvalidArgumentError, match=r"\[Op:LogicalOr\]"):
        b | x  # noqa: B018
    np.testing.assert_array_equal((True & b).numpy(), [True, False])
    np.testing.assert_array_equal((np.bool_(True) ^ b).numpy(), [False, True])
    np.testing.assert_array_equal((3 & i).numpy(), [1, 2])


def test_polygamma_without_scipy_matches_scipy():
    # the NumPy fallback used where SciPy is absent (TF always has digamma)
    from scipy import special
    from tinytf.backends import numpy_backend
    x = np.concatenate([np.linspace(-5.3, 30., 301), [1e-3, 0.5, 1e4, -0.5]])
    for n in range(4):
        np.testing.assert_allclose(numpy_backend._polygamma_np(n, x), special.polygamma(n, x),
                                   rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(numpy_backend.polygamma(np.array([0., 2.]), np.array([2.5, 2.5])),
                               special.polygamma([0, 2], 2.5), rtol=1e-13)
    assert numpy_backend._polygamma_np(0, np.array([1.5], np.float32)).dtype == np.float32


def test_lgamma_without_scipy_has_infinite_poles():
    from tinytf.backends import numpy_backend
    x = np.array([0., -1., -2., 0.5, np.inf, np.nan], np.float32)
    got = np.vectorize(numpy_backend._lgamma_scalar, otypes=[np.float32])(x)
    np.testing.assert_allclose(got[:5], [np.inf, np.inf, np.inf, 0.5723649, np.inf], rtol=1e-6)
    assert np.isnan(got[5])


def test_float_floordiv_is_floor_of_the_quotient_like_tf():
    x = tf.constant([np.inf, -np.inf, -1., 5., 7., -7.])
    y = tf.constant([88.8, -2.5, np.inf, -np.inf, 2., 2.])
    got = tf.math.floordiv(x, y).numpy()
    np.testing.assert_array_equal(got, [np.inf, np.inf, -0., -0., 3., -4.])
    assert np.signbit(got[2]) and np.signbit(got[3])


def test_full_reduction_of_unknown_rank_is_a_scalar_when_traced():
    spec = tf.TensorSpec(None, tf.float32)
    shape = lambda f: f.get_concrete_function(spec).structured_outputs.shape  # noqa: E731
    assert shape(tf.function(lambda a: tf.reduce_sum(a))).as_list() == []
    assert shape(tf.function(lambda a: tf.reduce_max(a, keepdims=True))).rank is None
    assert shape(tf.function(lambda a: tf.reduce_mean(a, 0))).rank is None


def test_in_top_k_traced_with_unknown_batch():
    f = tf.function(lambda p: tf.math.in_top_k(tf.constant([0, 1]), p, 1))
    out = f.get_concrete_function(tf.TensorSpec([None, 3], tf.float32)).structured_outputs
    assert out.shape.as_list() == [2]
    assert f(tf.constant([[1., 0., 0.], [1., 0., 0.]])).numpy().tolist() == [True, False]
