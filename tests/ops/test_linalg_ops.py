"""Linear algebra: matmul broadcasting and adjoints, einsum/tensordot, inverse,
determinant, diagonals, trace, matvec, norms; values against NumPy, gradients numerically."""

import numpy as np
import pytest

import tinytf as tf
from gradcheck import check_grad

InvalidArgumentError = tf.errors.InvalidArgumentError
rng = np.random.default_rng(7)


def _f(*shape):
    return rng.standard_normal(shape)


# -- matmul -----------------------------------------------------------------------------

@pytest.mark.parametrize("sa,sb", [((2, 3), (3, 4)), ((5, 2, 3), (5, 3, 4)),
                                   ((2, 1, 2, 3), (3, 3, 2)), ((1, 2, 3), (4, 3, 2)),
                                   ((2, 3), (6, 3, 1))])
def test_matmul_broadcasts_batch_dims(sa, sb):
    a, b = _f(*sa), _f(*sb)
    np.testing.assert_allclose(tf.matmul(a, b).numpy(), np.matmul(a, b), rtol=1e-12)
    np.testing.assert_allclose((tf.constant(a) @ b).numpy(), a @ b, rtol=1e-12)


def test_matmul_gradient_with_broadcast_batch():
    check_grad(tf.matmul, [_f(2, 1, 2, 3), _f(3, 3, 2)])
    check_grad(lambda a, b: tf.matmul(a, b, transpose_a=True), [_f(3, 2), _f(3, 2)], order=2)
    check_grad(lambda a, b: tf.matmul(a, b, transpose_b=True), [_f(2, 3), _f(2, 3)], order=2)


def test_matmul_adjoint_conjugates():
    a = _f(2, 3) + 1j * _f(2, 3)
    b = _f(2, 4) + 1j * _f(2, 4)
    np.testing.assert_allclose(tf.matmul(a, b, adjoint_a=True).numpy(), a.conj().T @ b,
                               rtol=1e-12)
    np.testing.assert_allclose(tf.matmul(b, a, adjoint_a=True, adjoint_b=False).numpy(),
                               b.conj().T @ a, rtol=1e-12)
    np.testing.assert_allclose(tf.matmul(a, a, adjoint_b=True).numpy(), a @ a.conj().T,
                               rtol=1e-12)
    with pytest.raises(ValueError, match="Only one of transpose_a and adjoint_a"):
        tf.matmul(a, b, transpose_a=True, adjoint_a=True)


def test_matmul_errors():
    with pytest.raises(InvalidArgumentError,
                       match=r"Matrix size-incompatible: In\[0\]: \[2,3\], In\[1\]: \[2,3\]"):
        tf.matmul(tf.ones((2, 3)), tf.ones((2, 3)))
    with pytest.raises(InvalidArgumentError,
                       match=r"must have compatible batch dimensions: \[2,2,3\] vs. \[3,3,2\]"):
        tf.matmul(tf.ones((2, 2, 3)), tf.ones((3, 3, 2)))
    with pytest.raises(InvalidArgumentError, match=r"In\[0\] ndims must be >= 2"):
        tf.matmul(tf.ones((3,)), tf.ones((3, 2)))
    with pytest.raises(InvalidArgumentError, match=r"\[Op:MatMul\]"):
        tf.matmul(tf.ones((2, 2)), tf.ones((2, 2), tf.float64))
    with pytest.raises(InvalidArgumentError, match=r"of bool is not in the list"):
        tf.matmul(tf.constant([[True]]), tf.constant([[True]]))
    assert tf.matmul(tf.ones((2, 2), tf.int32), tf.ones((2, 2), tf.int32)).dtype == tf.int32


# -- einsum and tensordot ---------------------------------------------------------------

@pytest.mark.parametrize("eq,shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 2)]),                       # implicit output
    ("i,i->", [(4,), (4,)]),
    ("i,j->ij", [(2,), (3,)]),
    ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
    ("ij->ji", [(2, 3)]),
    ("ijk->k", [(2, 3, 4)]),
    ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
    ("...ij,...jk->...ik", [(5, 1, 2, 3), (4, 3, 2)]),
    ("b...i,i->b...", [(2, 3, 4), (4,)]),
    ("ii->i", [(3, 3)]),
])
def test_einsum_matches_numpy(eq, shapes):
    xs = [_f(*s) for s in shapes]
    np.testing.assert_allclose(tf.einsum(eq, *xs).numpy(), np.einsum(eq, *xs), rtol=1e-10,
                               atol=1e-12)


@pytest.mark.parametrize("eq,shapes", [
    ("ij,jk->ik", [(2, 3), (3, 2)]),
    ("ij->j", [(2, 3)]),                      # label summed in one operand only
    ("ij,j->", [(2, 3), (3,)]),
    ("ij,jk,kl->il", [(2, 3), (3, 2), (2, 2)]),
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 2)]),   # broadcast ellipsis
    ("bij,bkj->bik", [(2, 2, 3), (2, 2, 3)]),
    ("ij->ji", [(2, 3)]),
])
def test_einsum_gradients(eq, shapes):
    check_grad(lambda *ts: tf.einsum(eq, *ts), [_f(*s) for s in shapes])


def test_einsum_second_order():
    check_grad(lambda a, b: tf.einsum("ij,jk->ik", a, b), [_f(2, 3), _f(3, 2)], order=2)


def test_einsum_errors():
    with pytest.raises(ValueError, match='Got 1 inputs for equation "ij,jk->ik", expecting 2'):
        tf.einsum("ij,jk->ik", tf.ones((2, 3)))
    with pytest.raises(InvalidArgumentError, match=r"\[Op:Einsum\]"):
        tf.einsum("ij,jk->ik", tf.ones((2, 3)), tf.ones((4, 2)))
    with pytest.raises(InvalidArgumentError, match=r"\[Op:Einsum\]"):
        tf.einsum("ij,jk->ik", tf.ones((2, 3)), tf.ones((3, 2), tf.float64))


@pytest.mark.parametrize("sa,sb,axes", [((2, 3), (3, 4), 1), ((2, 3), (4, 5), 0),
                                        ((2, 3, 4), (3, 4, 5), 2),
                                        ((2, 3, 4), (4, 2), [[0, 2], [1, 0]]),
                                        ((3, 4), (4, 3), [1, 0])])
def test_tensordot_matches_numpy(sa, sb, axes):
    a, b = _f(*sa), _f(*sb)
    np.testing.assert_allclose(tf.tensordot(a, b, axes).numpy(), np.tensordot(a, b, axes),
                               rtol=1e-10)


def test_tensordot_gradient_and_errors():
    check_grad(lambda a, b: tf.tensordot(a, b, [[0], [1]]), [_f(3, 2), _f(2, 3)])
    with pytest.raises(InvalidArgumentError, match="Matrix size-incompatible"):
        tf.tensordot(tf.ones((2, 3)), tf.ones((4, 2)), 1)
    with pytest.raises(ValueError):
        tf.tensordot(tf.ones((2, 3)), tf.ones((3, 2)), 3)


# -- inverse, determinant ---------------------------------------------------------------

def _well(*shape):
    return _f(*shape) + 3 * np.eye(shape[-1])


def test_inv_det_values_and_gradients():
    a = _well(2, 3, 3)
    np.testing.assert_allclose(tf.linalg.inv(a).numpy(), np.linalg.inv(a), rtol=1e-10)
    np.testing.assert_allclose(tf.linalg.inv(a, adjoint=True).numpy(),
                               np.linalg.inv(np.swapaxes(a, -1, -2)), rtol=1e-10)
    np.testing.assert_allclose(tf.linalg.det(a).numpy(), np.linalg.det(a), rtol=1e-10)
    assert tf.linalg.det(tf.ones((2, 2))).dtype == tf.float32
    check_grad(tf.linalg.inv, [_well(3, 3)], order=2, rtol=1e-4)
    check_grad(lambda x: tf.linalg.inv(x, adjoint=True), [_well(2, 2)], order=2, rtol=1e-4)
    check_grad(tf.linalg.det, [_well(2, 3, 3)], order=2, rtol=1e-4)


def test_inv_det_errors():
    with pytest.raises(InvalidArgumentError, match=r"Input is not invertible. "
                                                   r"\[Op:MatrixInverse\]"):
        tf.linalg.inv(tf.zeros((2, 2)))
    with pytest.raises(InvalidArgumentError, match=r"must be square. \[Op:MatrixInverse\]"):
        tf.linalg.inv(tf.zeros((2, 3)))
    with pytest.raises(InvalidArgumentError, match=r"must be square. \[Op:MatrixDeterminant"):
        tf.linalg.det(tf.zeros((2, 3)))
    with pytest.raises(InvalidArgumentError, match=r"must have rank >= 2, got 1"):
        tf.linalg.det(tf.zeros((2,)))
    with pytest.raises(InvalidArgumentError, match=r"(?s)of int32 is not in the list of allowed"
                                                   r" values: double, float, half"):
        tf.linalg.inv(tf.zeros((2, 2), tf.int32))


# -- diagonals, trace, transpose, matvec ------------------------------------------------

def test_diag_and_diag_part():
    d = np.array([[1, 2], [3, 4]])
    np.testing.assert_array_equal(tf.linalg.diag(d).numpy(), np.stack([np.diag(r) for r in d]))
    np.testing.assert_array_equal(tf.linalg.diag([1, 2], k=-1).numpy(), np.diag([1, 2], -1))
    np.testing.assert_array_equal(tf.linalg.diag([1, 2], num_rows=3).numpy(),
                                  [[1, 0], [0, 2], [0, 0]])
    np.testing.assert_array_equal(tf.linalg.diag([1, 2], padding_value=9).numpy(),
                                  [[1, 9], [9, 2]])
    x = np.arange(12.).reshape(3, 4)
    np.testing.assert_array_equal(tf.linalg.diag_part(x).numpy(), np.diagonal(x))
    np.testing.assert_array_equal(tf.linalg.diag_part(x, k=1).numpy(), [1., 6., 11.])
    check_grad(tf.linalg.diag_part, [_f(2, 3, 4)])
    check_grad(lambda t: tf.linalg.diag_part(t, k=1), [_f(3, 4)])
    check_grad(tf.linalg.diag, [_f(2, 3)])
    with pytest.raises(InvalidArgumentError, match="input must be at least 2-dim"):
        tf.linalg.diag_part(tf.ones((3,)))


def test_trace_transpose_matvec():
    x = _f(2, 3, 3)
    np.testing.assert_allclose(tf.linalg.trace(x).numpy(), np.trace(x, axis1=1, axis2=2))
    check_grad(tf.linalg.trace, [x])
    np.testing.assert_array_equal(tf.linalg.matrix_transpose(x).numpy(),
                                  np.swapaxes(x, -1, -2))
    c = _f(2, 3) + 1j * _f(2, 3)
    np.testing.assert_array_equal(tf.linalg.adjoint(c).numpy(), c.conj().T)
    with pytest.raises(ValueError, match=r"should be a \(batch\) matrix with rank >= 2"):
        tf.linalg.matrix_transpose(tf.ones((3,)))
    a, v = _f(2, 3, 4), _f(4)
    np.testing.assert_allclose(tf.linalg.matvec(a, v).numpy(), a @ v, rtol=1e-12)
    np.testing.assert_allclose(tf.linalg.matvec(a, _f(2, 3), transpose_a=True).shape, (2, 4))
    check_grad(tf.linalg.matvec, [_f(2, 3), _f(3)])


# -- norms ------------------------------------------------------------------------------

@pytest.mark.parametrize("ord_,axis,ref", [
    ("euclidean", None, lambda x: np.sqrt((x * x).sum())),
    ("euclidean", 1, lambda x: np.linalg.norm(x, axis=1)),
    (1, 0, lambda x: np.linalg.norm(x, 1, axis=0)),
    (np.inf, -1, lambda x: np.linalg.norm(x, np.inf, axis=-1)),
    (3, 1, lambda x: np.linalg.norm(x, 3, axis=1)),
    (0.5, 1, lambda x: (np.abs(x) ** 0.5).sum(1) ** 2),
    ("fro", (0, 1), lambda x: np.linalg.norm(x, "fro")),
    (1, [0, 1], lambda x: np.linalg.norm(x, 1)),
    (np.inf, (0, 1), lambda x: np.linalg.norm(x, np.inf)),
])
def test_norm_matches_numpy(ord_, axis, ref):
    x = _f(3, 4)
    np.testing.assert_allclose(tf.norm(x, ord=ord_, axis=axis).numpy(), ref(x), rtol=1e-10)
    assert tf.linalg.norm is tf.norm


def test_norm_keepdims_complex_gradient_and_errors():
    x = _f(2, 3)
    assert tf.norm(x, axis=1, keepdims=True).shape == (2, 1)
    assert tf.norm(x, ord=1, axis=(0, 1), keepdims=True).shape == (1, 1)
    c = np.array([3 + 4j, 0j])
    r = tf.norm(c)     # TF: sqrt(sum(x * conj(x))) keeps the complex dtype
    assert r.dtype == tf.complex128 and r.numpy() == 5.0
    assert tf.norm(c, ord=1).dtype == tf.float64
    check_grad(lambda t: tf.norm(t, axis=1), [x])
    check_grad(lambda t: tf.norm(t, ord=3, axis=1), [x])
    with pytest.raises(ValueError, match="'ord' must be a supported vector norm, got 0"):
        tf.norm(x, ord=0)
    with pytest.raises(ValueError, match="got fro"):
        tf.norm(x, ord="fro", axis=0)
    with pytest.raises(InvalidArgumentError, match=r"\[Op:Sqrt\]"):
        tf.norm(tf.constant([3, 4]))


def test_l2_normalize():
    x = np.array([[3., 4.], [0., 0.]])
    np.testing.assert_allclose(tf.linalg.l2_normalize(x, axis=1).numpy(), [[.6, .8], [0, 0]])
    assert tf.math.l2_normalize is tf.linalg.l2_normalize
    check_grad(lambda t: tf.math.l2_normalize(t, axis=-1), [_f(2, 3)])


def test_matvec_goes_through_matmul_like_tf():
    a, v, u = _f(3, 4), _f(4), _f(3)
    np.testing.assert_allclose(tf.linalg.matvec(a, v).numpy(), a @ v, rtol=1e-12)
    np.testing.assert_allclose(tf.linalg.matvec(a, u, transpose_a=True).numpy(), a.T @ u,
                               rtol=1e-12)
    with pytest.raises(InvalidArgumentError, match=r"\[Op:MatMul\]"):
        tf.linalg.matvec(a, u)
    check_grad(tf.linalg.matvec, [a, v], order=2)


def test_einsum_gradient_through_repeated_labels():
    # diagonals and traces ('ii', 'bjjk,...'): the gradient lands on the diagonal
    check_grad(lambda t: tf.einsum("ii", t), [_f(3, 3)])
    check_grad(lambda t: tf.einsum("ii->i", t), [_f(3, 3)])
    check_grad(lambda t, u: tf.einsum("bjjk,jk->bk", t, u), [_f(2, 3, 3, 4), _f(3, 4)], order=2)
    check_grad(lambda t: tf.einsum("...jj->...j", t), [_f(2, 3, 3)])
    check_grad(lambda t: tf.einsum("iji->j", t), [_f(3, 2, 3)])


def test_square_matrix_rules_accept_unknown_dims_when_traced():
    spec = tf.TensorSpec([None, 4], tf.float32)
    inv = tf.function(lambda a: tf.linalg.inv(a[:, :3])).get_concrete_function(spec)
    assert inv.structured_outputs.shape.as_list() == [3, 3]     # one known side gives both
    det = tf.function(lambda a: tf.linalg.det(a[:, :3, :3]))
    out = det.get_concrete_function(tf.TensorSpec([None, None, 3])).structured_outputs
    assert out.shape.as_list() == [None]
    np.testing.assert_allclose(inv(tf.constant(np.eye(3, 4, dtype=np.float32))).numpy(), np.eye(3))
