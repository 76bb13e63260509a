"""0-d float values are NumPy scalars on the hot paths (tf.constant of a Python float,
cached Python operands, the tape's seed); they must be the same float32 bits that
np.float32 gives, and behave as 0-d tensors everywhere."""

import numpy as np
import pytest

import tinytf as tf

EDGES = [0.0, -0.0, 1.0, -2.5, 0.1, 1e-45, -1e-45, 1.4e-45, 5e-324, 1e-38, 3.4028234663852886e38,
         -3.4028234663852886e38, 16777217.0, 3.4028235e38 * 0.99999]


def test_constant_of_python_floats_is_np_float32_bit_for_bit():
    rng = np.random.default_rng(0)
    xs = (rng.standard_normal(2000) * 10.0 ** rng.integers(-45, 38, 2000)).tolist() + EDGES
    for x in xs:
        if abs(x) > 3.4028234663852886e38:
            continue
        t = tf.constant(x)
        assert t.dtype == tf.float32 and t.shape == ()
        assert t.numpy().tobytes() == np.float32(x).tobytes(), x


@pytest.mark.parametrize("x", [float("inf"), float("-inf")])
def test_constant_of_infinities_keeps_the_general_path(x):
    t = tf.constant(x)
    assert t.dtype == tf.float32 and t.numpy() == x


def test_constant_outside_float32_range_raises_as_tf():
    with pytest.raises(ValueError, match="out of range for a double-precision float"):
        tf.constant(1e39)


def test_python_operands_and_zero_d_values():
    x = tf.constant(3.)
    assert isinstance(x.numpy(), np.float32)
    assert float(x * 2.) == 6.0 and float(2. * x) == 6.0 and float(x ** 2) == 9.0
    assert (x - 0.).numpy().tobytes() == np.float32(3.).tobytes()
    y = x * -0.0
    assert np.signbit(y.numpy())                      # -0.0 is not shared with 0.0
    assert (tf.constant(1.5, tf.float64) * 2.).dtype == tf.float64
    v = tf.Variable(x)
    v.assign_add(1.)
    assert float(v) == 4.0 and float(x) == 3.0
    assert tf.reshape(x, [1]).numpy().tolist() == [3.0]
