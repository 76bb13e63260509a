"""MaxPool and MaxPoolGrad at LeNet sizes (2x2 window, stride 2, VALID, NHWC, float32,
batch 128): milliseconds per call, the best of many repeats.

    python bench/pool_ops.py                                     # tinytf
    PYTHONPATH=$PWD /work/peers/bin/python bench/pool_ops.py     # + PyTorch max_pool2d

Shapes are the two pooling layers of the LeNet training step: x (128, 28, 28, 6) and
(128, 10, 10, 16). MaxPoolGrad is timed twice, interleaved in one process (A, B, A, B, ...,
so that load from other processes on a shared machine hits both alike): the 2x2 fast path
(``nn_ops._POOL22``) and the generic window-view path it replaced; the ratio is the speedup.
Inputs are ReLU-like (many zeros, so many ties inside windows, as with MNIST).
"""

import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHAPES = [(128, 28, 28, 6), (128, 10, 10, 16)]
ROUNDS = 40          # interleaved rounds
REPEAT = 5           # calls per round and variant


def _best(fns, rounds=ROUNDS, repeat=REPEAT):
    """Interleaves the callables ``fns`` (a dict); the best time of each in ms."""
    best = {k: float("inf") for k in fns}
    for f in fns.values():
        f()
    for _ in range(rounds):
        for k, f in fns.items():
            for _ in range(repeat):
                t0 = time.perf_counter()
                f()
                best[k] = min(best[k], time.perf_counter() - t0)
    return {k: v * 1e3 for k, v in best.items()}


def bench_tinytf():
    sys.path.insert(0, ROOT)
    import numpy as np

    import tinytf as tf
    from tinytf.framework.execute import execute
    from tinytf.ops import nn_ops

    attrs = dict(ksize=(1, 2, 2, 1), strides=(1, 2, 2, 1), padding="VALID",
                 explicit_paddings=(), data_format="NHWC")
    rng = np.random.default_rng(0)
    rows = []
    for shape in SHAPES:
        x = tf.constant(np.maximum(rng.standard_normal(shape, dtype=np.float32), 0))
        y = tf.nn.max_pool2d(x, 2, 2, "VALID")
        dy = tf.constant(rng.standard_normal(y.shape.as_list(), dtype=np.float32))

        def fwd():
            return tf.nn.max_pool2d(x, 2, 2, "VALID")

        def grad():
            return execute(nn_ops.MaxPoolGrad, (x, y, dy), attrs)

        def grad_generic():
            nn_ops._POOL22 = False
            try:
                return execute(nn_ops.MaxPoolGrad, (x, y, dy), attrs)
            finally:
                nn_ops._POOL22 = True

        a, b = grad().numpy(), grad_generic().numpy()
        assert np.array_equal(a.view(np.uint32), b.view(np.uint32)), "paths disagree"
        t = _best({"fwd": fwd, "grad": grad, "grad_generic": grad_generic})
        rows.append((shape, t))
    print("tinytf (ms per call, best of %d)" % (ROUNDS * REPEAT))
    print(f"{'x shape':>20} {'MaxPool':>9} {'MaxPoolGrad':>12} {'generic':>9} {'speedup':>8}")
    for shape, t in rows:
        print(f"{str(shape):>20} {t['fwd']:9.3f} {t['grad']:12.3f} {t['grad_generic']:9.3f} "
              f"{t['grad_generic'] / t['grad']:7.2f}x")
    return rows


def bench_torch():
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(int(os.environ.get("TORCH_THREADS", "2")))
    rows = []
    for shape in SHAPES:
        n, h, w, c = shape
        x = torch.relu(torch.randn(n, c, h, w)).contiguous(memory_format=torch.channels_last)
        xg = x.clone().requires_grad_(True)
        y = torch.nn.functional.max_pool2d(xg, 2, 2)
        dy = torch.randn_like(y)

        def fwd():
            with torch.no_grad():
                return torch.nn.functional.max_pool2d(x, 2, 2)

        def grad():
            return torch.autograd.grad(y, xg, dy, retain_graph=True)

        rows.append((shape, _best({"fwd": fwd, "grad": grad}, rounds=10)))
    print("PyTorch %s max_pool2d, channels_last (ms per call)" % torch.__version__)
    print(f"{'x shape':>20} {'forward':>9} {'backward':>12}")
    for shape, t in rows:
        print(f"{str(shape):>20} {t['fwd']:9.3f} {t['grad']:12.3f}")
    return rows


if __name__ == "__main__":
    bench_tinytf()
    bench_torch()
