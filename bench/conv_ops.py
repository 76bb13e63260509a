"""Convolution and pooling at LeNet-on-MNIST sizes: tinytf beside PyTorch (CPU).

    python bench/conv_ops.py                          # tinytf here, PyTorch via the peers venv
    /work/peers/bin/python bench/conv_ops.py          # both in one process

Times per batch of 128 (the best of repeats, in milliseconds: the least disturbed by other
processes on a shared machine), forward and forward+backward:

    conv1   28x28x1 -> 6@5x5 'SAME'       (gradient for the filter only: the input is data)
    pool1   2x2/2 max pool on 28x28x6
    conv2   14x14x6 -> 16@5x5 'VALID'     (gradients for input and filter)
    pool2   2x2/2 max pool on 10x10x16
    stack   conv1+bias+relu+pool+conv2+bias+relu+pool, gradients for the 4 weights
    step    a whole LeNet training step: the stack, dense 400-120-84-10, softmax cross
            entropy, plain SGD update (x 469 = one MNIST epoch at batch 128)

and tinytf's time as a multiple of PyTorch's (goal: the step at most 1.0x).
"""

import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.environ.get("TINYTF_PEERS_PYTHON", "/work/peers/bin/python")
BATCH = 128
STEPS_PER_EPOCH = 469


def _time(fn, repeat=15, warmup=3):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t0)
    return min(ts) * 1e3


def _data(np):
    rng = np.random.default_rng(0)
    x = rng.random((BATCH, 28, 28, 1), dtype=np.float32)
    x[:, :4] = 0.0                         # MNIST-like constant background (pooling ties)
    y = rng.integers(0, 10, BATCH)
    return rng, x, y


def bench_tinytf():
    sys.path.insert(0, ROOT)
    import numpy as np

    import tinytf as tf

    rng, xn, yn = _data(np)
    x = tf.constant(xn)
    labels = tf.constant(yn.astype(np.int32))
    w1 = tf.Variable(rng.standard_normal((5, 5, 1, 6), dtype=np.float32) * 0.2)
    b1 = tf.Variable(np.zeros(6, np.float32))
    w2 = tf.Variable(rng.standard_normal((5, 5, 6, 16), dtype=np.float32) * 0.08)
    b2 = tf.Variable(np.zeros(16, np.float32))
    d1 = tf.Variable(rng.standard_normal((400, 120), dtype=np.float32) * 0.05)
    c1 = tf.Variable(np.zeros(120, np.float32))
    d2 = tf.Variable(rng.standard_normal((120, 84), dtype=np.float32) * 0.09)
    c2 = tf.Variable(np.zeros(84, np.float32))
    d3 = tf.Variable(rng.standard_normal((84, 10), dtype=np.float32) * 0.1)
    c3 = tf.Variable(np.zeros(10, np.float32))
    a1 = tf.constant(rng.standard_normal((BATCH, 14, 14, 6), dtype=np.float32))
    p1 = tf.constant(np.maximum(rng.standard_normal((BATCH, 28, 28, 6), dtype=np.float32), 0))
    p2 = tf.constant(np.maximum(rng.standard_normal((BATCH, 10, 10, 16), dtype=np.float32), 0))

    def grad_of(fn, sources):
        def run():
            with tf.GradientTape() as tape:
                tape.watch(sources)
                s = tf.reduce_sum(fn())
            return tape.gradient(s, sources)
        return run

    def stack():
        h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w1, 1, "SAME"), b1))
        h = tf.nn.max_pool2d(h, 2, 2, "VALID")
        h = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(h, w2, 1, "VALID"), b2))
        return tf.nn.max_pool2d(h, 2, 2, "VALID")

    params = [w1, b1, w2, b2, d1, c1, d2, c2, d3, c3]

    def step():
        with tf.GradientTape() as tape:
            h = tf.reshape(stack(), (BATCH, 400))
            h = tf.nn.relu(tf.matmul(h, d1) + c1)
            h = tf.nn.relu(tf.matmul(h, d2) + c2)
            logits = tf.matmul(h, d3) + c3
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits))
        grads = tape.gradient(loss, params)
        for v, g in zip(params, grads):
            v.assign_sub(0.01 * g)

    res = {
        "conv1 fwd": _time(lambda: tf.nn.conv2d(x, w1, 1, "SAME")),
        "conv1 fwd+bwd": _time(grad_of(lambda: tf.nn.conv2d(x, w1, 1, "SAME"), [w1])),
        "pool1 fwd": _time(lambda: tf.nn.max_pool2d(p1, 2, 2, "VALID")),
        "pool1 fwd+bwd": _time(grad_of(lambda: tf.nn.max_pool2d(p1, 2, 2, "VALID"), [p1])),
        "conv2 fwd": _time(lambda: tf.nn.conv2d(a1, w2, 1, "VALID")),
        "conv2 fwd+bwd": _time(grad_of(lambda: tf.nn.conv2d(a1, w2, 1, "VALID"), [a1, w2])),
        "pool2 fwd+bwd": _time(grad_of(lambda: tf.nn.max_pool2d(p2, 2, 2, "VALID"), [p2])),
        "stack fwd": _time(stack),
        "stack fwd+bwd": _time(grad_of(stack, [w1, b1, w2, b2])),
        "step": _time(step, repeat=25),
    }
    return res


def bench_torch():
    import numpy as np
    import torch
    import torch.nn.functional as F

    torch.manual_seed(0)
    rng, xn, yn = _data(np)
    x = torch.from_numpy(xn.transpose(0, 3, 1, 2).copy())
    labels = torch.from_numpy(yn)

    def param(*shape, scale=0.1):
        return (torch.randn(*shape) * scale).requires_grad_()

    w1, b1 = param(6, 1, 5, 5, scale=0.2), param(6, scale=0.0)
    w2, b2 = param(16, 6, 5, 5, scale=0.08), param(16, scale=0.0)
    d1, c1 = param(120, 400, scale=0.05), param(120, scale=0.0)
    d2, c2 = param(84, 120, scale=0.09), param(84, scale=0.0)
    d3, c3 = param(10, 84), param(10, scale=0.0)
    a1 = torch.randn(BATCH, 6, 14, 14, requires_grad=True)
    p1 = torch.randn(BATCH, 6, 28, 28).clamp_min(0).requires_grad_()
    p2 = torch.randn(BATCH, 16, 10, 10).clamp_min(0).requires_grad_()

    def grad_of(fn, sources):
        def run():
            return torch.autograd.grad(fn().sum(), sources)
        return run

    def stack():
        h = F.max_pool2d(F.relu(F.conv2d(x, w1, b1, padding=2)), 2)
        return F.max_pool2d(F.relu(F.conv2d(h, w2, b2)), 2)

    params = [w1, b1, w2, b2, d1, c1, d2, c2, d3, c3]

    def step():
        h = stack().reshape(BATCH, 400)
        h = F.relu(F.linear(h, d1, c1))
        h = F.relu(F.linear(h, d2, c2))
        loss = F.cross_entropy(F.linear(h, d3, c3), labels)
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for v, g in zip(params, grads):
                v.sub_(0.01 * g)

    def nograd(fn):
        def run():
            with torch.no_grad():
                return fn()
        return run

    return {
        "conv1 fwd": _time(nograd(lambda: F.conv2d(x, w1, padding=2))),
        "conv1 fwd+bwd": _time(grad_of(lambda: F.conv2d(x, w1, padding=2), [w1])),
        "pool1 fwd": _time(nograd(lambda: F.max_pool2d(p1, 2))),
        "pool1 fwd+bwd": _time(grad_of(lambda: F.max_pool2d(p1, 2), [p1])),
        "conv2 fwd": _time(nograd(lambda: F.conv2d(a1, w2))),
        "conv2 fwd+bwd": _time(grad_of(lambda: F.conv2d(a1, w2), [a1, w2])),
        "pool2 fwd+bwd": _time(grad_of(lambda: F.max_pool2d(p2, 2), [p2])),
        "stack fwd": _time(nograd(stack)),
        "stack fwd+bwd": _time(grad_of(stack, [w1, b1, w2, b2])),
        "step": _time(step, repeat=25),
    }


def _torch_results():
    try:
        import torch  # noqa: F401
        return bench_torch()
    except ImportError:
        if os.path.exists(PEERS):
            out = subprocess.run([PEERS, os.path.abspath(__file__), "--torch-json"],
                                 capture_output=True, text=True)
            if out.returncode == 0:
                return json.loads(out.stdout.strip().splitlines()[-1])
    return None


def figures(quick=False):
    """Rows for bench/run.py: ms per batch of LeNet-sized conv/pool work, and the step."""
    mine, theirs = bench_tinytf(), _torch_results()
    return [{"figure": f"LeNet {k} (batch {BATCH})", "unit": "ms", "tinytf": v,
             "tensorflow": None, "pytorch": theirs.get(k) if theirs else None}
            for k, v in mine.items()]


def main():
    if "--torch-json" in sys.argv:
        print(json.dumps(bench_torch()))
        return
    mine = bench_tinytf()
    try:
        import torch  # noqa: F401
        theirs = bench_torch()
    except ImportError:
        theirs = None
        if os.path.exists(PEERS):
            out = subprocess.run([PEERS, os.path.abspath(__file__), "--torch-json"],
                                 capture_output=True, text=True)
            if out.returncode == 0:
                theirs = json.loads(out.stdout.strip().splitlines()[-1])
            else:
                print("PyTorch run failed:", out.stderr[-500:])
    print(f"{'ms per batch of ' + str(BATCH):<22}{'tinytf':>10}{'PyTorch':>10}{'ratio':>8}")
    for k, v in mine.items():
        t = theirs.get(k) if theirs else None
        ratio = f"{v / t:7.2f}x" if t else "      -"
        print(f"{k:<22}{v:>10.2f}{(t if t else float('nan')):>10.2f}{ratio:>8}")
    ep = mine["step"] * STEPS_PER_EPOCH / 1e3
    line = f"LeNet epoch estimate ({STEPS_PER_EPOCH} steps): tinytf {ep:.2f} s"
    if theirs:
        line += f", PyTorch {theirs['step'] * STEPS_PER_EPOCH / 1e3:.2f} s"
    print(line)


if __name__ == "__main__":
    main()
