"""CPU vs GPU: the textbook program of issue 5, for growing n, on every device.

    python bench/matmul_devices.py [--max-n 10000000] [--square 1024,4096,8192]

For each n it builds ``a`` [1, n] and ``b`` [n, 1] with ``tf.random.normal`` under
``tf.device('/cpu:0')`` and ``tf.device('/gpu:0')`` and times ``tf.matmul(a, b)`` ten times
with ``timeit`` exactly as the program does (TF's GPU ops are asynchronous too), for tinytf
and, when importable, TensorFlow. Where no GPU exists the '/gpu:0' column runs on the CPU
(soft placement), as TF's would; the device used is printed.

On a CUDA GPU it also times large square float32 matmuls through tinytf and through CuPy's
own ``cupy.matmul`` (both synchronised) and prints our fraction of CuPy's speed (the goal is
at least 70%: the difference is tinytf's per-op overhead).
"""

import argparse
import os
import sys
import timeit

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

import tinytf  # noqa: E402

SIZES = (10, 100, 1000, 10000, 1_000_000, 10_000_000)


def textbook(tf, n, number=10):
    """The issue-5 program; returns (cpu seconds, gpu seconds, gpu tensor's device)."""
    with tf.device("/cpu:0"):
        cpu_a = tf.random.normal([1, n])
        cpu_b = tf.random.normal([n, 1])
    with tf.device("/gpu:0"):
        gpu_a = tf.random.normal([1, n])
        gpu_b = tf.random.normal([n, 1])

    def cpu_run():
        with tf.device("/cpu:0"):
            return tf.matmul(cpu_a, cpu_b)

    def gpu_run():
        with tf.device("/gpu:0"):
            return tf.matmul(gpu_a, gpu_b)

    cpu_run(), gpu_run()                                 # warm up (kernels, pools)
    _ = gpu_run().numpy()
    t_cpu = timeit.timeit(cpu_run, number=number)
    t_gpu = timeit.timeit(gpu_run, number=number)
    dev = gpu_run().device
    _ = gpu_run().numpy()                                # drain the queue before moving on
    return t_cpu, t_gpu, dev


def _short(dev):
    return dev.rsplit("device:", 1)[-1]


def _import_tf():
    try:
        import tensorflow as real_tf  # noqa: PLC0415 - optional comparison
    except Exception:  # noqa: BLE001 - not installed here
        return None
    return real_tf


def square_vs_cupy(sizes, repeat=20):
    import cupy  # noqa: PLC0415 - only on a CUDA machine
    tf = tinytf
    rows = []
    for n in sizes:
        with tf.device("/gpu:0"):
            a = tf.random.normal([n, n])
            b = tf.random.normal([n, n])
        ca, cb = a._value, b._value
        stream = cupy.cuda.get_current_stream()

        def ours():
            with tf.device("/gpu:0"):
                return tf.matmul(a, b)

        def theirs():
            return cupy.matmul(ca, cb)

        for f in (ours, theirs):                          # warm up
            f()
        stream.synchronize()
        best = {}
        for label, f in (("tinytf", ours), ("cupy", theirs), ("tinytf2", ours)):
            stream.synchronize()
            t0 = timeit.default_timer()
            for _ in range(repeat):
                f()
            stream.synchronize()
            best[label] = (timeit.default_timer() - t0) / repeat
        t_ours = min(best["tinytf"], best["tinytf2"])
        flops = 2 * n ** 3
        rows.append((n, t_ours, best["cupy"], flops / t_ours / 1e12, best["cupy"] / t_ours))
    return rows


def figures(quick=False):
    """Rows for bench/run.py: ms per textbook matmul on /cpu:0 and /gpu:0."""
    real_tf = _import_tf()
    rows = []
    for n in (1000, 1_000_000) if quick else SIZES:
        c, g, dev = textbook(tinytf, n)
        peer = textbook(real_tf, n) if real_tf is not None else None
        for i, label in ((0, "/cpu:0"), (1, f"/gpu:0 (ran on {_short(dev)})")):
            rows.append({"figure": f"matmul [1,n]x[n,1] n={n} {label}", "unit": "ms",
                         "tinytf": (c, g)[i] / 10 * 1e3,
                         "tensorflow": None if peer is None else peer[i] / 10 * 1e3,
                         "pytorch": None})
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-n", type=float, default=1e7)
    ap.add_argument("--square", default="1024,2048,4096,8192")
    ap.add_argument("--number", type=int, default=10)
    args = ap.parse_args()
    real_tf = _import_tf()
    devs = [d.name for d in tinytf.config.list_logical_devices()]
    print(f"tinytf devices: {devs}")
    if real_tf is not None:
        print(f"TensorFlow {real_tf.__version__} devices: "
              f"{[d.name for d in real_tf.config.list_logical_devices()]}")
    head = f"{'n':>10} | {'tinytf cpu':>11} {'tinytf gpu':>11} {'(ran on)':>9}"
    if real_tf is not None:
        head += f" | {'TF cpu':>11} {'TF gpu':>11} {'(ran on)':>9}"
    print("\ntimeit(matmul [1,n]x[n,1], number=%d), seconds" % args.number)
    print(head)
    print("-" * len(head))
    for n in SIZES:
        if n > args.max_n:
            break
        c, g, dev = textbook(tinytf, n, args.number)
        line = f"{n:>10} | {c:11.6f} {g:11.6f} {_short(dev):>9}"
        if real_tf is not None:
            c2, g2, dev2 = textbook(real_tf, n, args.number)
            line += f" | {c2:11.6f} {g2:11.6f} {_short(dev2):>9}"
        print(line, flush=True)

    cuda = [d for d in tinytf.framework.device.physical_devices() if d.is_cupy]
    if not cuda:
        print("\nNo CUDA GPU: skipped the comparison with cupy.matmul.")
        return
    sizes = [int(s) for s in args.square.split(",") if s]
    print("\nsquare float32 matmul on GPU:0, synchronised, seconds per call")
    print(f"{'n':>6} | {'tinytf':>10} {'cupy':>10} | {'TFLOP/s':>8} | {'ours/cupy speed':>15}")
    worst = 1.0
    for n, ours, theirs, tflops, frac in square_vs_cupy(sizes):
        worst = min(worst, frac)
        print(f"{n:>6} | {ours:10.6f} {theirs:10.6f} | {tflops:8.2f} | {frac:15.1%}",
              flush=True)
    print(f"\nworst fraction of cupy.matmul: {worst:.1%} (goal >= 70%): "
          f"{'PASS' if worst >= 0.7 else 'FAIL'}")


if __name__ == "__main__":
    np.set_printoptions(precision=4)
    main()
