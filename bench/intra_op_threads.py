"""LeNet's `fit` step with tinytf's intra-op pool off and on, alternated in one process.

    python bench/intra_op_threads.py            # 8 rounds
    python bench/intra_op_threads.py 20         # more rounds

Three settings take turns, each timing 20 steps of LeNet `fit` (batch 128, Adam) per round,
so that a noisy, shared machine disturbs them alike:

    off        one thread: the kernels on the calling thread, OpenBLAS with its own threads
    pool       tinytf's pool on every usable core (at most 8), OpenBLAS at one thread,
               large GEMMs split over the pool (what set_intra_op_parallelism_threads does)
    pool+blas  the pool, OpenBLAS left with its threads and GEMMs not split

Prints the minimum and median ms per step of each. This is the measurement behind the pool's
default (off): see tinytf/backends/intra_op.py.
"""

import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MNIST = os.environ.get("TINYTF_MNIST", os.path.join(ROOT, "..", "shared", "data", "mnist.npz"))
STEPS = 20


def _model(keras, layers):
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(6, 5, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(16, 5, activation="relu"), layers.MaxPooling2D(), layers.Flatten(),
        layers.Dense(120, activation="relu"), layers.Dense(84, activation="relu"),
        layers.Dense(10)])


def _setting(intra_op, name, cores, blas, min_macs):
    intra_op.set_num_threads(1)                  # stops the workers, gives BLAS back
    intra_op._BLAS = blas if name == "pool" else None
    intra_op._MIN_MACS = min_macs if name == "pool" else 1 << 62
    intra_op.set_num_threads(1 if name == "off" else cores)


def main(rounds=8):
    sys.path.insert(0, ROOT)
    import numpy as np

    from tinytf import keras
    from tinytf.backends import intra_op
    from tinytf.keras import layers

    with np.load(MNIST) as d:
        x, y = d["x_train"][:128 * STEPS], d["y_train"][:128 * STEPS]
    x = (x.astype(np.float32) / 255.0)[..., None]
    y = y.astype(np.int64)
    model = _model(keras, layers)
    model.compile(keras.optimizers.Adam(),
                  keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x, y, batch_size=128, epochs=1, verbose=0)         # traces the step

    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    cores = max(2, min(cores, intra_op._MAX_THREADS))
    blas, min_macs = intra_op._BLAS, intra_op._MIN_MACS
    names = ["off", "pool", "pool+blas"]
    times = {n: [] for n in names}
    try:
        for _ in range(rounds):
            for name in names:
                _setting(intra_op, name, cores, blas, min_macs)
                model.fit(x[:256], y[:256], batch_size=128, epochs=1, verbose=0)  # warm-up
                t = time.perf_counter()
                model.fit(x, y, batch_size=128, epochs=1, verbose=0)
                times[name].append((time.perf_counter() - t) / STEPS * 1e3)
    finally:
        intra_op.set_num_threads(1)
        intra_op._BLAS, intra_op._MIN_MACS = blas, min_macs
        intra_op.set_num_threads(0)
    print(f"LeNet fit, ms per step ({rounds} rounds, {cores} threads when on; "
          f"OpenBLAS found: {blas is not None})")
    for name in names:
        v = sorted(times[name])
        print(f"  {name:10s} min {v[0]:6.2f}  median {v[len(v) // 2]:6.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 8)
