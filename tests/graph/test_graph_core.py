"""Graph core: symbolic tensors, op naming, constant folding, and common ops traced in a
tf.function giving the same values as eagerly."""

import numpy as np
import pytest

import tinytf as tf
from tinytf.graph.graph import constant_value

X = np.arange(12, dtype=np.float32).reshape(3, 4) / 10

CASES = {
    "reduce_max": lambda x: tf.reduce_max(x, axis=1),
    "argmax": lambda x: tf.argmax(x, axis=1),
    "softmax": lambda x: tf.nn.softmax(x),
    "concat_stack": lambda x: tf.stack([tf.concat([x, x], axis=0)] * 2),
    "gather_one_hot": lambda x: tf.gather(x, [0, 2]) + tf.one_hot([0, 2], 4),
    "where_clip": lambda x: tf.where(x > 0.5, tf.clip_by_value(x, 0.2, 0.8), -x),
    "sqrt_log_pow": lambda x: tf.sqrt(x + 1) + tf.math.log(x + 1) + x ** 2,
    "transpose_tile": lambda x: tf.tile(tf.transpose(x), [2, 1]),
    "expand_squeeze": lambda x: tf.squeeze(tf.expand_dims(x, 0), 0),
    "zeros_of_shape": lambda x: tf.zeros(tf.shape(x)) + tf.ones_like(x),
    "getitem": lambda x: x[1:, ::2] * x[0, 1],
    "matmul_T": lambda x: tf.matmul(x, x, transpose_b=True),
    "reshape_shape_tensor": lambda x: tf.reshape(x, tf.shape(x)[::-1]),
    "reshape_list_with_shape": lambda x: tf.reshape(x, [tf.shape(x)[0], 2, -1]),
    "split_unstack": lambda x: tf.split(x, 2, axis=1)[1] + tf.unstack(x)[0][:2],
    "sparse_ce": lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=tf.constant([0, 1, 2]), logits=x),
    "top_k_cumsum": lambda x: tf.math.top_k(tf.cumsum(x, axis=1), 2).values,
    "einsum_norm": lambda x: tf.einsum("ij,kj->ik", x, x) / tf.norm(x),
    "pad": lambda x: tf.pad(x, [[1, 1], [0, 0]]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_traced_ops_match_eager(name):
    fn = CASES[name]
    x = tf.constant(X)
    np.testing.assert_allclose(tf.function(fn)(x).numpy(), fn(x).numpy(), rtol=1e-6)


def test_names_are_unique_like_tf():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.) + 1.
        b = tf.constant(1.) + 1.
        c = tf.identity(a, name="add")
        with tf.name_scope("s") as scope:
            d = tf.identity(a)
            with tf.name_scope("t"):
                e = tf.identity(a)
        with tf.name_scope("s"):
            f = tf.identity(a)
    assert scope == "s/"
    assert [a.name, b.name, c.name] == ["add:0", "add_1:0", "add_2:0"]
    assert [d.name, e.name, f.name] == ["s/Identity:0", "s/t/Identity:0", "s_1/Identity:0"]
    with pytest.raises(KeyError, match="does not exist"):
        g.get_tensor_by_name("nope:0")
    with pytest.raises(ValueError, match="appears to refer to an Operation"):
        g.get_tensor_by_name("add")
    assert a.op.inputs[1].op.type == "Const"
    assert a.op.inputs[1].op.get_attr("value") == 1.


def test_constant_value_folds_consts_and_static_shapes():
    g = tf.Graph()
    with g.as_default():
        import tinytf.compat.v1 as v1
        p = v1.placeholder(tf.float32, [None, 3])
        q = v1.placeholder(tf.float32, [2, 3])
        s = tf.shape(q)
        assert constant_value(s).tolist() == [2, 3]
        assert constant_value(s[1]) == 3
        assert constant_value(tf.shape(p)) is None
        assert constant_value(tf.constant([1, 2]) * 2).tolist() == [2, 4]
        assert constant_value(p) is None
    assert constant_value(tf.constant(5)) == 5


def test_symbolic_tensor_attributes():
    @tf.function
    def f(x):
        y = x * 2.
        assert y.op.inputs[0] is x and y.value_index == 0 and y.graph is x.graph
        assert y.dtype is tf.float32 and y.shape.as_list() == [None, 2]
        y.set_shape([3, 2])
        assert y.shape.as_list() == [3, 2]
        with pytest.raises(ValueError):
            y.set_shape([4, 2])
        assert x in [x] and y.ref() in {y.ref(): 1}
        return y

    f.get_concrete_function(tf.TensorSpec([None, 2], tf.float32))
