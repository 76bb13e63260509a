"""tf.random: TF's seed contract, distributions, Generator, stateless ops, devices, graphs."""

import numpy as np
import pytest

import tinytf as tf
from tinytf.framework import errors


@pytest.fixture(autouse=True)
def _no_global_seed():
    tf.random.set_seed(None)
    yield
    tf.random.set_seed(None)


def _np(t):
    return t.numpy()


# -- the seed contract ---------------------------------------------------------------------

def test_no_seed_gives_fresh_values():
    a, b = _np(tf.random.uniform([8])), _np(tf.random.uniform([8]))
    assert not np.array_equal(a, b)


def test_global_seed_sequence_repeats_after_set_seed():
    tf.random.set_seed(1234)
    a1, a2 = _np(tf.random.uniform([4])), _np(tf.random.uniform([4]))
    n1 = _np(tf.random.normal([4]))
    assert not np.array_equal(a1, a2)
    tf.random.set_seed(1234)
    b1, b2 = _np(tf.random.uniform([4])), _np(tf.random.uniform([4]))
    np.testing.assert_array_equal(a1, b1)
    np.testing.assert_array_equal(a2, b2)
    np.testing.assert_array_equal(n1, _np(tf.random.normal([4])))
    tf.random.set_seed(99)
    assert not np.array_equal(a1, _np(tf.random.uniform([4])))


def test_op_seed_alone_is_deterministic_per_program():
    a1 = _np(tf.random.uniform([4], seed=7))
    a2 = _np(tf.random.uniform([4], seed=7))
    assert not np.array_equal(a1, a2)             # one stream, successive values differ
    tf.random.set_seed(None)                        # restarts the op-seed streams
    np.testing.assert_array_equal(a1, _np(tf.random.uniform([4], seed=7)))
    np.testing.assert_array_equal(a2, _np(tf.random.uniform([4], seed=7)))
    assert not np.array_equal(a1, _np(tf.random.uniform([4], seed=8)))


def test_global_and_op_seed_pair():
    tf.random.set_seed(5)
    a = _np(tf.random.normal([3], seed=1))
    tf.random.set_seed(6)
    b = _np(tf.random.normal([3], seed=1))
    tf.random.set_seed(5)
    c = _np(tf.random.normal([3], seed=1))
    np.testing.assert_array_equal(a, c)
    assert not np.array_equal(a, b)


def test_compiled_graph_gets_fresh_numbers_each_run():
    tf.random.set_seed(3)

    @tf.function
    def f():
        return tf.random.normal([4], seed=2)
    r1, r2 = _np(f()), _np(f())
    assert not np.array_equal(r1, r2)


def test_same_seed_same_numbers_on_every_device():
    from tinytf.framework import device as _device
    names = [f"/{d.device_type}:{d.index}" for d in _device.physical_devices()]
    outs = []
    for name in names:
        tf.random.set_seed(11)
        with tf.device(name):
            outs.append(_np(tf.random.normal([5], seed=3)))
    for o in outs[1:]:
        np.testing.assert_array_equal(outs[0], o)


# -- distributions, dtypes, shapes --------------------------------------------------------

def test_normal_statistics_and_dtype():
    x = tf.random.normal([20000], mean=2.0, stddev=3.0, seed=1)
    assert x.dtype == tf.float32 and x.numpy().dtype == np.float32
    assert abs(float(np.mean(x.numpy())) - 2.0) < 0.1
    assert abs(float(np.std(x.numpy())) - 3.0) < 0.1
    assert tf.random.normal([2], dtype=tf.float64).dtype == tf.float64
    assert tf.random.normal([2], dtype=tf.float16).dtype == tf.float16
    assert tf.random.normal(tf.constant([2, 2])).shape == (2, 2)
    with pytest.raises(TypeError, match="Cannot convert 0.0 to EagerTensor of dtype int32"):
        tf.random.normal([2], dtype=tf.int32)


def test_uniform_float_and_int():
    u = tf.random.uniform([10000], minval=-1.0, maxval=3.0, seed=2).numpy()
    assert u.min() >= -1.0 and u.max() < 3.0 and abs(u.mean() - 1.0) < 0.1
    i = tf.random.uniform([1000], minval=2, maxval=5, dtype=tf.int32, seed=2)
    assert i.dtype == tf.int32 and set(np.unique(i.numpy())) == {2, 3, 4}
    assert tf.random.uniform([2], maxval=10, dtype=tf.int64).dtype == tf.int64
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype tf.int32"):
        tf.random.uniform([2], dtype=tf.int32)
    with pytest.raises(ValueError, match=r"Argument `dtype` got invalid value <dtype: "
                                         r"'string'>. Accepted dtypes are \(tf.float16"):
        tf.random.uniform([2], dtype=tf.string)
    with pytest.raises(errors.InvalidArgumentError, match="Need minval < maxval: 3 >= 3"):
        tf.random.uniform([2], 3, 3, dtype=tf.int32)


def test_tensor_bounds_get_gradients():
    lo = tf.constant(1.0)
    hi = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([lo, hi])
        u = tf.random.uniform([100], lo, hi, seed=4)
        y = tf.reduce_sum(u)
    g_lo, g_hi = tape.gradient(y, [lo, hi])
    r = (u.numpy() - 1.0) / 2.0
    np.testing.assert_allclose(float(g_hi), r.sum(), rtol=1e-4)
    np.testing.assert_allclose(float(g_lo), (1 - r).sum(), rtol=1e-4)


def test_truncated_normal_is_within_two_stddevs():
    t = tf.random.truncated_normal([20000], mean=1.0, stddev=0.5, seed=3).numpy()
    assert np.all(np.abs(t - 1.0) <= 1.0 + 1e-6)
    assert abs(t.mean() - 1.0) < 0.02


def test_shuffle_is_a_permutation_of_rows():
    x = tf.reshape(tf.range(20), [10, 2])
    s = tf.random.shuffle(x, seed=5).numpy()
    assert sorted(map(tuple, s)) == sorted(map(tuple, x.numpy()))
    assert float(tf.random.shuffle(1.0)) == 1.0


def test_categorical_frequencies_and_errors():
    logits = tf.constant(np.log([[0.1, 0.2, 0.7], [0.5, 0.5, 1e-30]]), tf.float32)
    s = tf.random.categorical(logits, 20000, seed=6)
    assert s.dtype == tf.int64 and s.shape == (2, 20000)
    freq = np.bincount(s.numpy()[0], minlength=3) / 20000
    np.testing.assert_allclose(freq, [0.1, 0.2, 0.7], atol=0.02)
    assert not np.any(s.numpy()[1] == 2)
    assert tf.random.categorical([[0.0, 0.0]], 3, dtype=tf.int32).dtype == tf.int32
    with pytest.raises(errors.InvalidArgumentError,
                       match=r"logits should be a matrix, got shape \[2\] \[Op:Multinomial\]"):
        tf.random.categorical([1.0, 2.0], 3)


# -- stateless ops and Generator ------------------------------------------------------------

def test_stateless_ops_repeat_exactly():
    a = tf.random.stateless_normal([3, 2], seed=[1, 2])
    np.testing.assert_array_equal(a.numpy(), tf.random.stateless_normal([3, 2], seed=[1, 2]))
    assert not np.array_equal(a.numpy(), tf.random.stateless_normal([3, 2], seed=[1, 3]))
    u = tf.random.stateless_uniform([5], seed=tf.constant([4, 5]), minval=2, maxval=9,
                                    dtype=tf.int32)
    assert u.dtype == tf.int32 and np.all((u.numpy() >= 2) & (u.numpy() < 9))
    t = tf.random.stateless_truncated_normal([1000], seed=[0, 0]).numpy()
    assert np.all(np.abs(t) <= 2.0)


def test_generator_from_seed_split_and_seeds():
    g1, g2 = tf.random.Generator.from_seed(42), tf.random.Generator.from_seed(42)
    np.testing.assert_array_equal(g1.normal([4]).numpy(), g2.normal([4]).numpy())
    a, b = g1.uniform([4]).numpy(), g1.uniform([4]).numpy()
    assert not np.array_equal(a, b)
    children = g1.split(2)
    assert len(children) == 2
    assert not np.array_equal(children[0].normal([3]).numpy(), children[1].normal([3]).numpy())
    seeds = g1.make_seeds(3)
    assert seeds.dtype == tf.int64 and seeds.shape == (2, 3)
    ints = g1.uniform([100], minval=0, maxval=3, dtype=tf.int64).numpy()
    assert set(np.unique(ints)) <= {0, 1, 2}
    assert np.all(np.abs(g1.truncated_normal([100]).numpy()) <= 2.0)
    g1.reset_from_seed(42)
    np.testing.assert_array_equal(g1.normal([4]).numpy(),
                                  tf.random.Generator.from_seed(42).normal([4]).numpy())
    nd1 = tf.random.Generator.from_non_deterministic_state().normal([4]).numpy()
    nd2 = tf.random.Generator.from_non_deterministic_state().normal([4]).numpy()
    assert not np.array_equal(nd1, nd2)


def test_global_generator():
    g = tf.random.get_global_generator()
    assert g is tf.random.get_global_generator()
    new = tf.random.Generator.from_seed(1)
    tf.random.set_global_generator(new)
    assert tf.random.get_global_generator() is new
    tf.random.set_global_generator(g)


def test_generator_inside_function_advances():
    g = tf.random.Generator.from_seed(7)

    @tf.function
    def f():
        return g.normal([3])
    assert not np.array_equal(f().numpy(), f().numpy())


def test_stateless_seed_must_be_a_pair():
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"seed must have shape \[2\], not \[1\] \[Op:StatelessRandomGetKey"):
        tf.random.stateless_uniform([2], seed=[1])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"not \[2, 1\]"):
        tf.random.stateless_normal([2], seed=[[1], [2]])
