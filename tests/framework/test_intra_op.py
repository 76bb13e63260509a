"""tinytf's intra-op thread pool (tinytf/backends/intra_op.py) and tf.config.threading."""

import threading

import numpy as np
import pytest

import tinytf as tf
from tinytf.backends import intra_op


@pytest.fixture
def pool(monkeypatch):
    """Three threads, and thresholds low enough that small test arrays are split."""
    before = intra_op.num_threads()
    monkeypatch.setattr(intra_op, "_MIN_PART", 4)
    monkeypatch.setattr(intra_op, "_MIN_MACS", 8)
    intra_op.set_num_threads(3)
    yield
    intra_op.set_num_threads(before)


def test_parallel_covers_the_range_once_on_several_threads(pool):
    seen, names = [], set()

    def fn(s):
        seen.append((s.start, s.stop))
        names.add(threading.current_thread().name)
    intra_op.parallel(np, 10, 10_000, fn)
    assert sorted(seen) == [(0, 3), (3, 6), (6, 10)]
    assert len(names) == 3


def test_parallel_is_serial_when_small_or_for_other_array_modules(pool):
    calls = []
    intra_op.parallel(np, 10, 3, calls.append)           # work below the threshold
    intra_op.parallel(object(), 10, 10_000, calls.append)  # not NumPy (CuPy runs async)
    assert calls == [slice(0, 10), slice(0, 10)]


def test_errors_from_a_worker_and_from_the_calling_thread_are_raised(pool):
    def bad_worker_part(s):
        if s.start > 0:
            raise ValueError(f"part {s.start}")
    with pytest.raises(ValueError, match="part"):
        intra_op.parallel(np, 9, 10_000, bad_worker_part)

    def bad_first_part(s):
        if s.start == 0:
            raise KeyError("first")
    with pytest.raises(KeyError):
        intra_op.parallel(np, 9, 10_000, bad_first_part)
    out = []                                       # the pool still works afterwards
    intra_op.parallel(np, 9, 10_000, lambda s: out.append(s.start))
    assert sorted(out) == [0, 3, 6]


def test_nested_calls_run_serially_instead_of_deadlocking(pool):
    inner = []

    def outer(s):
        intra_op.parallel(np, 4, 10_000, lambda t: inner.append((s.start, t.start, t.stop)))
    intra_op.parallel(np, 6, 10_000, outer)
    # Workers run their inner loop whole; the calling thread runs its inner parts one
    # after another, as the workers are busy with the outer kernel.
    for start in (0, 2, 4):
        parts = sorted((a, b) for s, a, b in inner if s == start)
        assert parts[0][0] == 0 and parts[-1][1] == 4
        assert all(p[1] == q[0] for p, q in zip(parts, parts[1:]))
    assert sorted(b for s, a, b in inner if s == 2) == [4]


@pytest.mark.parametrize("shape", [(300, 7, 5), (5, 300, 7), (9, 40, 600), (2, 3, 4)])
def test_matmul_matches_numpy(pool, shape):
    m, k, n = shape
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((m, k)), rng.standard_normal((k, n))
    np.testing.assert_allclose(intra_op.matmul(np, a, b), a @ b, rtol=1e-13, atol=1e-13)
    a32, b32 = a.astype(np.float32), b.astype(np.float32)
    got = intra_op.matmul(np, a32, b32)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, a32 @ b32, rtol=1e-5, atol=1e-5)
    at = np.asfortranarray(a)                       # transposed views, as the conv grads use
    np.testing.assert_allclose(intra_op.matmul(np, at.T.T, b), a @ b, rtol=1e-13, atol=1e-13)


def test_kernels_give_the_same_results_from_concurrent_user_threads(pool):
    rng = np.random.default_rng(1)
    xs = [rng.standard_normal((6, 12, 12, 3)).astype(np.float32) for _ in range(4)]
    w = tf.constant(rng.standard_normal((3, 3, 3, 5)).astype(np.float32))

    def run(x):
        return tf.nn.max_pool2d(tf.nn.relu(tf.nn.conv2d(x, w, 1, "SAME")), 2, 2,
                                "VALID").numpy()
    want = [run(x) for x in xs]
    got = [None] * len(xs)

    def worker(i):
        for _ in range(5):
            got[i] = run(xs[i])
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(xs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a, b in zip(want, got):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


@pytest.mark.skipif(intra_op._BLAS is None, reason="OpenBLAS not found in this process")
def test_the_pool_sets_openblas_to_one_thread_and_one_thread_gives_it_back(pool):
    get = intra_op._BLAS[0]
    intra_op.parallel(np, 9, 10_000, lambda s: None)       # starts the workers
    assert get() == 1
    saved = intra_op._blas_saved
    intra_op.set_num_threads(1)
    assert get() == saved and intra_op._blas_saved is None


def test_config_threading_api():
    th = tf.config.threading
    before = intra_op.num_threads()
    try:
        assert th.get_intra_op_parallelism_threads() == 0          # TF's default
        th.set_intra_op_parallelism_threads(1)
        assert th.get_intra_op_parallelism_threads() == 1
        assert intra_op.num_threads() == 1
        th.set_intra_op_parallelism_threads(2)
        assert intra_op.num_threads() == 2
        th.set_inter_op_parallelism_threads(4)
        assert th.get_inter_op_parallelism_threads() == 4
        with pytest.raises(ValueError):
            th.set_intra_op_parallelism_threads(-1)
    finally:
        th.set_intra_op_parallelism_threads(0)
        th.set_inter_op_parallelism_threads(0)
        intra_op.set_num_threads(before)
    assert th.get_intra_op_parallelism_threads() == 0


def test_resizing_the_pool_while_kernels_run_neither_deadlocks_nor_changes_results(pool):
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((300, 20)), rng.standard_normal((20, 30))
    want = a @ b
    bad, stop = [], threading.Event()

    def kernels():
        while not stop.is_set():
            got = intra_op.matmul(np, a, b)
            if not np.allclose(got, want, rtol=1e-12, atol=1e-12):
                bad.append(got)
    t = threading.Thread(target=kernels)
    t.start()
    try:
        for n in (1, 3, 2, 1, 3) * 4:
            intra_op.set_num_threads(n)
    finally:
        stop.set()
        t.join(timeout=30)
    assert not t.is_alive() and not bad
