"""The TF1 world: Graph, placeholder, Session.run, v1 variables and initializers,
tf.gradients and TF1 optimizers. Expected messages are TF 2.21's."""

import collections
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import tinytf as tf
import tinytf.compat.v1 as v1


@pytest.fixture
def graph():
    g = tf.Graph()
    with g.as_default():
        yield g


def test_issue_example_prints_a_plus_b():
    # The exact program of issue 4, in a fresh process (it switches eager off globally).
    code = textwrap.dedent("""
        import tinytf.compat.v1 as tf
        tf.disable_eager_execution()
        a_ph = tf.placeholder(tf.float32, name='variable_a')
        b_ph = tf.placeholder(tf.float32, name='variable_b')
        c_op = tf.add(a_ph, b_ph, name='variable_c')
        sess = tf.InteractiveSession()
        init = tf.global_variables_initializer()
        sess.run(init)
        c_numpy = sess.run(c_op, feed_dict={a_ph: 2., b_ph: 4.})
        print('a+b=', c_numpy)
        print(tf.executing_eagerly(), c_op.name, c_op.eval({a_ph: 1., b_ph: 1.}))
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=str(__import__("pathlib").Path(__file__).parents[2]))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "a+b= 6.0\nFalse variable_c:0 2.0\n"


def test_graph_structure_names_and_dump(graph):
    x = v1.placeholder(tf.float32, shape=(2,), name="x")
    y = x * 2.
    z = x * 3.
    with tf.name_scope("scope"):
        a = tf.add(x, 1., name="a")
        b = tf.identity(x)
    assert repr(x) == "<tf.Tensor 'x:0' shape=(2,) dtype=float32>"
    assert str(x) == 'Tensor("x:0", shape=(2,), dtype=float32)'
    assert (y.name, z.name, a.name, b.name) == ("mul:0", "mul_1:0", "scope/a:0",
                                                "scope/Identity:0")
    assert repr(y.op) == "<tf.Operation 'mul' type=Mul>"
    assert y.op.inputs[0] is x and y.graph is graph and x.op.type == "Placeholder"
    assert graph.get_operation_by_name("mul") is y.op
    assert graph.get_tensor_by_name("scope/a:0") is a
    assert 'op: "Mul"' in y.op.node_def and 'input: "x"' in y.op.node_def
    assert "node {" in graph.as_graph_def()
    assert [o.name for o in graph.get_operations()][:3] == ["x", "Const", "mul"]
    p = v1.placeholder(tf.int32, [None, 3])
    assert repr(p) == "<tf.Tensor 'Placeholder:0' shape=(None, 3) dtype=int32>"


def test_session_run_fetch_structures_and_feeds(graph):
    x = v1.placeholder(tf.float32, shape=(2,), name="x")
    y = x * 2.
    Pair = collections.namedtuple("Pair", "a b")
    with v1.Session() as sess:
        r = sess.run([y, {"a": y, "b": (x, y)}, Pair(x, y.op)], {x: [1., 2.]})
        np.testing.assert_allclose(r[0], [2., 4.])
        np.testing.assert_allclose(r[1]["b"][1], [2., 4.])
        assert isinstance(r[2], Pair) and r[2].b is None
        np.testing.assert_allclose(sess.run(y, {"x:0": np.array([3., 4.])}), [6., 8.])
        assert sess.run(y.op, {x: [1., 1.]}) is None
        s = sess.run(tf.reduce_sum(y), {x: [1., 1.]})
        assert isinstance(s, np.float32) and s == 4.
    with pytest.raises(RuntimeError, match="Attempted to use a closed Session."):
        sess.run(y, {x: [1., 2.]})


def test_session_errors_match_tf(graph):
    x = v1.placeholder(tf.float32, shape=(2,), name="x")
    y = x * 2.
    sess = v1.Session()
    with pytest.raises(ValueError, match=r"^Cannot feed value of shape \(3,\) for Tensor x:0, "
                                         r"which has shape \(2,\)$"):
        sess.run(y, {x: [1., 2., 3.]})
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match="You must feed a value for placeholder tensor 'x' with dtype "
                             r"float and shape \[2\]"):
        sess.run(y)
    other = tf.Graph()
    with other.as_default():
        z = tf.zeros([1]) + 1.
    with pytest.raises(ValueError, match=r"is not an element of this graph"):
        sess.run(z)
    with pytest.raises(ValueError, match="must be from the same graph"):
        x + z


def test_placeholder_with_default_and_unknown_shape(graph):
    d = v1.placeholder_with_default(tf.constant([1., 2.]), shape=[None])
    p = v1.placeholder(tf.float32)
    assert repr(d) == "<tf.Tensor 'PlaceholderWithDefault:0' shape=(None,) dtype=float32>"
    with v1.Session() as sess:
        np.testing.assert_allclose(sess.run(d * 2.), [2., 4.])
        np.testing.assert_allclose(sess.run(d * 2., {d: [5., 6., 7.]}), [10., 12., 14.])
        np.testing.assert_allclose(sess.run(p + 1., {p: [[1.]]}), [[2.]])


def test_v1_variables_and_initializers(graph):
    v = v1.Variable(1.0, name="v")
    w = v1.get_variable("w", shape=[2, 3], initializer=v1.zeros_initializer())
    u = v1.Variable(tf.ones([2]) * 3., name="v")             # symbolic initial value
    assert repr(v) == "<tf.Variable 'v:0' shape=() dtype=float32>"
    assert repr(w) == "<tf.Variable 'w:0' shape=(2, 3) dtype=float32>"
    assert u.name == "v_1:0" and v.initializer.type == "AssignVariableOp"
    assert v.initializer.name == "v/Assign"
    with pytest.raises(ValueError, match="already exists"):
        v1.get_variable("w", shape=[2, 3])
    sess = v1.Session()
    with pytest.raises(tf.errors.FailedPreconditionError, match="Could not find variable v"):
        sess.run(v)
    sess.run(v1.variables_initializer([v]))
    assert sess.run(v) == 1.0
    with pytest.raises(tf.errors.FailedPreconditionError):
        sess.run(w)
    assert sess.run(v1.global_variables_initializer()) is None
    np.testing.assert_allclose(sess.run(w), np.zeros((2, 3)))
    np.testing.assert_allclose(sess.run(u), [3., 3.])
    inc = v.assign_add(2.)
    assert sess.run(inc) == 3.0 and sess.run(v) == 3.0
    assert len(v1.global_variables()) == 3 and len(v1.trainable_variables()) == 3
    with v1.variable_scope("layer"):
        k = v1.get_variable("kernel", [2], initializer=v1.constant_initializer(7.))
    assert k.name == "layer/kernel:0"
    with v1.variable_scope("layer", reuse=True):
        assert v1.get_variable("kernel", [2]) is k


def test_tf_gradients(graph):
    x = v1.placeholder(tf.float32, shape=(3,), name="x")
    y = tf.reduce_sum(x * x * x)
    [g] = v1.gradients(y, [x])
    g2 = v1.gradients(g, x)[0]
    assert g.name.startswith("gradients/") and g2.name.startswith("gradients_1/")
    xv = np.array([1., 2., 3.], np.float32)
    with v1.Session() as s:
        gv, g2v = s.run([g, g2], {x: xv})
    np.testing.assert_allclose(gv, 3 * xv ** 2)
    np.testing.assert_allclose(g2v, 6 * xv)
    z = v1.placeholder(tf.float32, shape=())
    assert v1.gradients(y, [z]) == [None]


def test_tf_gradients_needs_a_graph():
    with pytest.raises(RuntimeError, match="tf.gradients is not supported when eager"):
        v1.gradients(tf.constant(1.), tf.constant(1.))


def test_tf1_linear_regression_trains(graph):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 1)).astype(np.float32)
    Y = (3 * X + 2).astype(np.float32)
    x = v1.placeholder(tf.float32, [None, 1], name="x")
    y = v1.placeholder(tf.float32, [None, 1], name="y")
    W = v1.Variable(tf.zeros([1, 1]), name="W")
    b = v1.Variable(0.0, name="b")
    loss = v1.reduce_mean(tf.square(tf.matmul(x, W) + b - y))
    train = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        l0 = sess.run(loss, {x: X, y: Y})
        for _ in range(200):
            _, l = sess.run([train, loss], {x: X, y: Y})
        # the first step against NumPy's mean squared error at W=0, b=0
        np.testing.assert_allclose(l0, np.mean(Y ** 2), rtol=1e-5)
        assert l < 1e-6
        np.testing.assert_allclose(sess.run(W), [[3.]], atol=1e-3)
        np.testing.assert_allclose(sess.run(b), 2., atol=1e-3)


def test_adam_and_momentum_minimize(graph):
    x = v1.Variable([3., -2.], name="x")
    loss = tf.reduce_sum(tf.square(x))
    step = v1.train.AdamOptimizer(0.1).minimize(loss)
    mstep = v1.train.MomentumOptimizer(0.05, 0.9).minimize(loss)
    gs = v1.train.get_or_create_global_step()
    gstep = v1.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=gs)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        sess.run(step)
        # TF1 Adam's first step moves each coordinate by ~lr against the gradient's sign.
        np.testing.assert_allclose(sess.run(x), [2.9, -1.9], rtol=1e-5)
        for _ in range(300):
            sess.run(step)
        assert sess.run(loss) < 1e-2
        sess.run(mstep)
        sess.run(gstep)
        assert sess.run(gs) == 1


def test_eager_switch_in_subprocess():
    code = textwrap.dedent("""
        import tinytf.compat.v1 as tf
        assert tf.executing_eagerly()
        tf.disable_eager_execution()
        assert not tf.executing_eagerly()
        g = tf.get_default_graph()
        x = tf.placeholder(tf.float32, ())
        assert x.graph is g
        tf.reset_default_graph()
        assert tf.get_default_graph() is not g
        tf.enable_eager_execution()
        assert tf.executing_eagerly()
        print("ok")
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       cwd=str(__import__("pathlib").Path(__file__).parents[2]))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "ok\n"


def test_compat_v1_reexports_top_level():
    assert v1.add is tf.add and v1.float32 is tf.float32 and v1.matmul is tf.matmul
    assert v1.constant is tf.constant
    assert tf.compat.v1 is v1
    with pytest.raises(AttributeError):
        v1.no_such_thing_here
    with pytest.raises(RuntimeError, match="not compatible with eager execution"):
        v1.placeholder(tf.float32)
