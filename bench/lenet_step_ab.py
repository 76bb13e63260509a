"""LeNet's `fit` step under different kernel settings, alternated in one process.

    python bench/lenet_step_ab.py                 # 8 rounds of every setting
    python bench/lenet_step_ab.py 20 off,pool     # more rounds, some settings

The settings take turns, each timing 20 steps of LeNet `fit` (batch 128, Adam) per round,
so that a noisy, shared machine disturbs them alike; on this project's 2-core machine the
same command gives times up to 1.5x apart from one minute to the next, so only settings
timed side by side are compared. Prints the minimum and median ms per step of each, and
the median of the process's CPU time over wall time (cores kept busy, spinning included).

    off          the defaults: kernels on the calling thread, OpenBLAS with its own threads
    pool         tinytf's intra-op pool on every usable core (at most 8), OpenBLAS at one
                 thread, large GEMMs split over the pool (set_intra_op_parallelism_threads)
    pool+blas    the pool, but OpenBLAS left with its threads and GEMMs not split
    window-loop  MaxPoolGrad without its row-wise path (the window loop for every shape)

The measurement behind the pool's default (off, tinytf/backends/intra_op.py) and behind
MaxPoolGrad's row-wise path (tinytf/ops/nn_ops.py).
"""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MNIST = os.environ.get("TINYTF_MNIST", os.path.join(ROOT, "..", "shared", "data", "mnist.npz"))
STEPS = 20


def _setting(name, cores, saved):
    """Puts the process in setting ``name`` (from the defaults, whatever ran before)."""
    from tinytf.backends import intra_op
    from tinytf.ops import nn_ops
    blas, min_macs, row_dtypes = saved
    intra_op.set_num_threads(1)                  # stops the workers, gives BLAS back
    intra_op._BLAS = None if name == "pool+blas" else blas
    intra_op._MIN_MACS = 1 << 62 if name == "pool+blas" else min_macs
    intra_op.set_num_threads(cores if name.startswith("pool") else 1)
    nn_ops._ROW_DTYPES = () if name == "window-loop" else row_dtypes


SETTINGS = ["off", "pool", "pool+blas", "window-loop"]


def main(rounds=8, names=None):
    sys.path.insert(0, ROOT)
    import numpy as np

    from tinytf import keras
    from tinytf.backends import intra_op
    from tinytf.ops import nn_ops

    sys.path.insert(0, HERE)
    from train_mnist import _tt_lenet          # the LeNet of the epoch benchmark

    names = names or SETTINGS
    with np.load(MNIST) as d:
        x, y = d["x_train"][:128 * STEPS], d["y_train"][:128 * STEPS]
    x = (x.astype(np.float32) / 255.0)[..., None]
    y = y.astype(np.int64)
    model = _tt_lenet()
    model.compile(keras.optimizers.Adam(),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, batch_size=128, epochs=1, verbose=0)         # traces the step

    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    cores = max(2, min(cores, intra_op._MAX_THREADS))
    saved = (intra_op._BLAS, intra_op._MIN_MACS, nn_ops._ROW_DTYPES)
    times = {n: [] for n in names}
    cores_used = {n: [] for n in names}     # process CPU time / wall time
    try:
        for _ in range(rounds):
            for name in names:
                _setting(name, cores, saved)
                model.fit(x[:256], y[:256], batch_size=128, epochs=1, verbose=0)  # warm-up
                t, c = time.perf_counter(), time.process_time()
                model.fit(x, y, batch_size=128, epochs=1, verbose=0)
                wall = time.perf_counter() - t
                times[name].append(wall / STEPS * 1e3)
                cores_used[name].append((time.process_time() - c) / wall)
    finally:
        _setting("off", cores, saved)
        intra_op.set_num_threads(0)
    print(f"LeNet fit, ms per step ({rounds} rounds; the pool: {cores} threads; "
          f"OpenBLAS found: {saved[0] is not None})")
    for name in names:
        v = sorted(times[name])
        u = sorted(cores_used[name])
        print(f"  {name:12s} min {v[0]:6.2f}  median {v[len(v) // 2]:6.2f}   "
              f"CPU time / wall time {u[len(u) // 2]:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8,
         sys.argv[2].split(",") if len(sys.argv) > 2 else None)
