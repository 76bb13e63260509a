"""CPU intra-op parallelism: tinytf's own threads for its big NumPy kernels, as TF's
intra-op thread pool does for its CPU kernels.

NumPy releases the GIL inside ufunc loops, copies and matmul, so a kernel split along its
batch (or GEMM row) axis runs its parts on separate cores: ``parallel`` for element-wise
and copy work, ``matmul`` for GEMMs.

Why tinytf also splits the GEMMs: OpenBLAS, the BLAS that NumPy's wheels link, starts its
own threads for every GEMM and leaves them busy-waiting for the next one (about 0.1 s).
During training a GEMM comes every millisecond, so one core spins all the time and the
element-wise work between GEMMs gets a single core. When tinytf's pool starts (the first
big kernel), it therefore sets OpenBLAS to one thread and splits large GEMMs over its own
threads; ``set_num_threads(1)`` hands OpenBLAS its threads back. The pool is off (one
thread) unless asked for with ``tf.config.threading.set_intra_op_parallelism_threads`` or
``TINYTF_INTRA_OP_THREADS``: see ``default_threads``.

Results do not depend on timing: each part writes its own slice, and partial GEMM sums
(``matmul`` split over the inner dimension) are added in a fixed order. They may differ in
the last bits between thread counts, as TF's do.
"""

import ctypes
import os
import threading

import numpy as np

_MIN_PART = 1 << 17          # elements per part below which a thread costs more than it saves
_MIN_MACS = 1 << 24          # multiply-adds below which a GEMM is not split
_MAX_THREADS = 8

_lock = threading.Lock()     # guards starting and stopping the workers (after _busy)
_busy = threading.Lock()     # held while a kernel uses the workers; others run serially
_local = threading.local()   # .worker is True on the pool's own threads (no nesting)
_workers = []
_blas_saved = None           # OpenBLAS's thread count before the pool took over


def _find_openblas():
    """(get_num_threads, set_num_threads) of the OpenBLAS NumPy loaded, or None."""
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f
                            if "openblas" in line.lower() and ".so" in line})
    except OSError:
        return None
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("64_", ""):
                get = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
                put = getattr(lib, f"{prefix}set_num_threads{suffix}", None)
                if get is not None and put is not None:
                    get.restype = ctypes.c_int
                    put.argtypes = [ctypes.c_int]
                    return get, put
    return None


_BLAS = _find_openblas()


def default_threads():
    """The thread count when none was set: ``TINYTF_INTRA_OP_THREADS``, else 1.

    One thread is the default because on the 2-core machine the project measures on, the
    pool made a LeNet training step no faster (``python bench/lenet_step_ab.py``)."""
    env = os.environ.get("TINYTF_INTRA_OP_THREADS")
    if env:
        return max(1, min(int(env), _MAX_THREADS))
    return 1


_threads = default_threads()


def num_threads():
    """Threads the big CPU kernels use (1: the calling thread only)."""
    return _threads


def set_num_threads(n):
    """Sets the pool's size (0: the default). Takes effect for the next kernel."""
    global _threads, _blas_saved
    n = default_threads() if not n else max(1, min(int(n), _MAX_THREADS))
    with _busy, _lock:                 # the order _run takes them in
        _stop_workers()
        _threads = n
        if n == 1 and _blas_saved is not None:
            _BLAS[1](_blas_saved)
            _blas_saved = None


class _Worker(threading.Thread):
    """A pool thread: waits on ``go``, runs ``fn``, releases ``done`` (two plain locks:
    less to do per hand-over than a ThreadPoolExecutor's queue and futures)."""

    def __init__(self, i):
        super().__init__(name=f"tinytf-intra-op-{i}", daemon=True)
        self.go = threading.Lock()
        self.go.acquire()
        self.done = threading.Lock()
        self.done.acquire()
        self.fn = self.result = self.error = None

    def run(self):
        _local.worker = True
        while True:
            self.go.acquire()
            fn = self.fn
            if fn is None:
                return
            try:
                self.result = fn()
            except BaseException as e:  # noqa: BLE001 - re-raised on the calling thread
                self.error = e
            self.done.release()


def _stop_workers():
    for w in _workers:
        w.fn = None
        w.go.release()
    for w in _workers:
        w.join()
    _workers.clear()


def _start_workers():
    """Starts the workers on first use, and sets OpenBLAS to one thread."""
    global _blas_saved
    with _lock:
        if not _workers:
            if _BLAS is not None and _blas_saved is None:
                _blas_saved = _BLAS[0]()
                _BLAS[1](1)
            for i in range(_threads - 1):
                w = _Worker(i)
                w.start()
                _workers.append(w)


def _after_fork():
    """A forked child has none of the parent's threads: start afresh when needed."""
    global _lock, _busy
    _lock, _busy = threading.Lock(), threading.Lock()
    _workers.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def _parts(n, work, min_part):
    """How many parts to split ``range(n)`` into (1: run on the calling thread)."""
    if _threads < 2 or getattr(_local, "worker", False):
        return 1
    return min(_threads, n, work // min_part)


def _run(fns):
    """Runs ``fns[1:]`` on the workers and ``fns[0]`` here; returns their results in order.
    While another thread's kernel holds the workers, runs them all here instead."""
    if not _busy.acquire(blocking=False):
        return [f() for f in fns]
    try:
        if len(_workers) < len(fns) - 1:
            _start_workers()
        used = _workers[:len(fns) - 1]
        for w, f in zip(used, fns[1:]):
            w.fn, w.error = f, None
            w.go.release()
        try:
            first = fns[0]()
        finally:
            for w in used:
                w.done.acquire()
        results, errors = [first], []
        for w in used:                 # drop the workers' references to arrays
            results.append(w.result)
            errors.append(w.error)
            w.fn = w.result = w.error = None
        for e in errors:
            if e is not None:
                raise e
        return results
    finally:
        _busy.release()


def parallel(xp, n, work, fn):
    """Calls ``fn(slice)`` for parts of ``range(n)`` covering it: on several threads when
    ``work`` (elements touched) is large and the arrays are NumPy's, else once."""
    k = _parts(n, work, _MIN_PART) if xp is np else 1
    if k < 2:
        fn(slice(0, n))
        return
    bounds = [n * i // k for i in range(k + 1)]
    _run([lambda i=i: fn(slice(bounds[i], bounds[i + 1])) for i in range(k)])


def matmul(xp, a, b):
    """``a @ b`` for 2-D arrays: split over rows (or, for few rows, over the inner
    dimension, partial sums added in order) across the pool's threads when large."""
    if _threads < 2 or xp is not np or a.ndim != 2 or b.ndim != 2:
        return xp.matmul(a, b)          # first: MatMul's eager path calls this every time
    m, kk = a.shape
    n = b.shape[1]
    k = _parts(m * kk * n, m * kk * n, _MIN_MACS)
    if k < 2 or max(m, kk) < 64 * k:
        return np.matmul(a, b)
    if m >= 64 * k:
        out = np.empty((m, n), dtype=np.result_type(a, b))
        bounds = [m * i // k for i in range(k + 1)]
        _run([lambda lo=bounds[i], hi=bounds[i + 1]: np.matmul(a[lo:hi], b, out=out[lo:hi])
              for i in range(k)])
        return out
    bounds = [kk * i // k for i in range(k + 1)]
    parts = _run([lambda lo=bounds[i], hi=bounds[i + 1]: np.matmul(a[:, lo:hi], b[lo:hi])
                  for i in range(k)])
    total = parts[0]
    for p in parts[1:]:
        total += p
    return total
