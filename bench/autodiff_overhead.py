"""Overhead of one small GradientTape round, tinytf vs PyTorch autograd vs TensorFlow.

    python bench/autodiff_overhead.py          # tinytf here; peers via /work/peers/bin/python

The round (issue 3's seed example), with ``a, b, c`` as Python floats and as tensors:

    w = tf.constant(4.)
    with tf.GradientTape() as tape:
        tape.watch([w]); y = a * w**2 + b * w + c
    [dy_dw] = tape.gradient(y, [w])

PyTorch's round is ``w = torch.tensor(4., requires_grad=True); y = ...;
torch.autograd.grad(y, [w])``. Also timed: the same forward with no tape (tinytf), to
show that recording costs nothing when no tape is active. Prints CPU µs per round (median
of repeats; tinytf and the peers alternate five times, ``TINYTF_BENCH_ROUNDS``, and each
keeps its best, since this box is shared) and tinytf's time as a fraction of PyTorch's
(goal: at most 0.25). Each side runs in its own process.
"""

import json
import os
import subprocess
import sys
import time
import timeit

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.environ.get("TINYTF_PEERS_PYTHON", "/work/peers/bin/python")


def _time(fn, number=1000, repeat=7):
    """Median µs per call, in CPU time of this process (steadier than wall time on a busy
    machine; each side runs in one thread)."""
    fn()
    best = sorted(timeit.repeat(fn, number=number, repeat=repeat, timer=time.process_time))
    return best[len(best) // 2] / number * 1e6       # median of the repeats


def bench_tinytf():
    sys.path.insert(0, ROOT)
    import tinytf as tf

    has_pow = True
    try:
        tf.constant(2.) ** 2
    except TypeError:
        has_pow = False

    def sq(w):
        return w ** 2 if has_pow else w * w

    res = {}
    for kind, (a, b, c) in (("py", (1., 2., 3.)),
                            ("tensor", (tf.constant(1.), tf.constant(2.), tf.constant(3.)))):
        def round_():
            w = tf.constant(4.)
            with tf.GradientTape() as tape:
                tape.watch([w])
                y = a * sq(w) + b * w + c
            [dy_dw] = tape.gradient(y, [w])
            return dy_dw

        def no_tape():
            w = tf.constant(4.)
            return a * sq(w) + b * w + c

        assert float(round_()) == 10.0 if kind == "tensor" else True
        res[f"tape_{kind}"] = _time(round_)
        res[f"notape_{kind}"] = _time(no_tape)
    res["pow"] = has_pow
    return res


def bench_peers():
    res = {}
    try:
        import torch
        for kind, (a, b, c) in (("py", (1., 2., 3.)),
                                ("tensor", (torch.tensor(1.), torch.tensor(2.),
                                            torch.tensor(3.)))):
            def round_():
                w = torch.tensor(4., requires_grad=True)
                y = a * w ** 2 + b * w + c
                [g] = torch.autograd.grad(y, [w])
                return g
            res[f"torch_{kind}"] = _time(round_)
    except ImportError:
        pass
    try:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import tensorflow as tf
        for kind, (a, b, c) in (("py", (1., 2., 3.)),
                                ("tensor", (tf.constant(1.), tf.constant(2.),
                                            tf.constant(3.)))):
            def round_():
                w = tf.constant(4.)
                with tf.GradientTape() as tape:
                    tape.watch([w])
                    y = a * w ** 2 + b * w + c
                [g] = tape.gradient(y, [w])
                return g
            res[f"tf_{kind}"] = _time(round_, number=150, repeat=5)
    except ImportError:
        pass
    return res


def _peers_once():
    import importlib.util
    if importlib.util.find_spec("torch") is None and os.path.exists(PEERS):
        out = subprocess.run([PEERS, __file__, "--peers-json"], capture_output=True,
                             text=True, check=False)
        lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
        return json.loads(lines[-1]) if lines else {}
    return bench_peers()


def _merge_min(acc, new):
    for k, v in new.items():
        acc[k] = v if k not in acc or isinstance(v, bool) else min(acc[k], v)


def figures(quick=False):
    """Rows for bench/run.py: CPU µs per tape round, best of alternating runs."""
    mine, peers = {}, {}
    for _ in range(1 if quick else 3):
        _merge_min(mine, bench_tinytf())
        _merge_min(peers, _peers_once())
    return [{"figure": f"GradientTape round, a,b,c as {'Python floats' if k == 'py' else 'tensors'}",
             "unit": "µs", "tinytf": mine[f"tape_{k}"], "tensorflow": peers.get(f"tf_{k}"),
             "pytorch": peers.get(f"torch_{k}")} for k in ("py", "tensor")]


def main():
    if "--peers-json" in sys.argv:
        print(json.dumps(bench_peers()))
        return
    # alternate tinytf and the peers; keep each one's best (a busy box is noisy)
    rounds = int(os.environ.get("TINYTF_BENCH_ROUNDS", "5"))
    mine, peers = {}, {}
    for _ in range(rounds):
        _merge_min(mine, bench_tinytf())
        _merge_min(peers, _peers_once())
    print(f"tinytf round uses {'w**2' if mine['pow'] else 'w*w'}; CPU µs per round "
          f"(best of {rounds} alternating runs)")
    print(f"{'a, b, c':<10}{'tinytf':>10}{'no tape':>10}{'torch':>10}{'TF':>10}"
          f"{'tinytf/torch':>14}")
    for kind in ("py", "tensor"):
        t = peers.get(f"torch_{kind}")
        f = peers.get(f"tf_{kind}")
        ratio = f"{mine[f'tape_{kind}'] / t:.3f}" if t else "-"
        print(f"{kind:<10}{mine[f'tape_{kind}']:>10.1f}{mine[f'notape_{kind}']:>10.1f}"
              f"{t if t else float('nan'):>10.1f}{f if f else float('nan'):>10.1f}{ratio:>14}")


if __name__ == "__main__":
    main()
