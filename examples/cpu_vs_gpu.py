"""CPU vs GPU: the textbook timing program, for growing n.

    python examples/cpu_vs_gpu.py            # n up to 10^7 (TINYTF_QUICK=1: up to 10^4)

Only the import differs from the TensorFlow version. On a machine without a GPU,
'/gpu:0' runs on the CPU (soft placement), exactly as TensorFlow does. When matplotlib is
installed the timings are also drawn to cpu_vs_gpu.png (in the current directory).
"""

import os
import timeit

import tinytf as tf

QUICK = os.environ.get("TINYTF_QUICK") == "1"
SIZES = [10, 100, 1000, 10000] if QUICK else [10, 100, 1000, 10000, 100000, 1000000, 10000000]

rows = []
for n in SIZES:
    with tf.device('/cpu:0'):
        cpu_a = tf.random.normal([1, n])
        cpu_b = tf.random.normal([n, 1])
    with tf.device('/gpu:0'):
        gpu_a = tf.random.normal([1, n])
        gpu_b = tf.random.normal([n, 1])

    def cpu_run():
        with tf.device('/cpu:0'):
            c = tf.matmul(cpu_a, cpu_b)
        return c

    def gpu_run():
        with tf.device('/gpu:0'):
            c = tf.matmul(gpu_a, gpu_b)
        return c

    cpu_run(), gpu_run()                   # warm up
    cpu_time = timeit.timeit(cpu_run, number=10)
    gpu_time = timeit.timeit(gpu_run, number=10)
    rows.append((n, cpu_time, gpu_time))

print(cpu_a.device, gpu_a.device)
print(f"{'n':>10} {'cpu (s)':>12} {'gpu (s)':>12} {'cpu/gpu':>8}")
for n, c, g in rows:
    print(f"{n:>10} {c:12.6f} {g:12.6f} {c / g:8.2f}")

try:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    plt = None
if plt is not None and not QUICK:
    ns = [r[0] for r in rows]
    plt.loglog(ns, [r[1] for r in rows], "o-", label="/cpu:0")
    plt.loglog(ns, [r[2] for r in rows], "s-", label=f"/gpu:0 ({gpu_a.device[-5:]})")
    plt.xlabel("n")
    plt.ylabel("time for 10 matmuls [1,n]x[n,1] (s)")
    plt.legend()
    plt.savefig("cpu_vs_gpu.png", dpi=100)
    print("saved cpu_vs_gpu.png")
