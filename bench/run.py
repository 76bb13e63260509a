"""Runs every benchmark in bench/ and prints one table: figure, tinytf, TensorFlow, PyTorch,
and the ratios peer/tinytf (above 1: tinytf is faster).

    python -m bench                  # tinytf alone (and peers if importable)
    PYTHONPATH=. /path/to/peers-venv/bin/python -m bench     # beside TensorFlow and PyTorch
    python -m bench --only eager_overhead,function_overhead --quick

Each module bench/NAME.py offers ``figures(quick=False)`` returning rows
``{"figure": str, "unit": str, "tinytf": float, "tensorflow": float|None,
"pytorch": float|None}``; times are in the row's unit, lower is better.
"""

import argparse
import importlib
import os
import platform
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

MODULES = ["eager_overhead", "autodiff_overhead", "function_overhead", "data_pipeline",
           "conv_ops", "train_mnist", "matmul_devices"]


def fmt(v):
    if v is None:
        return "-"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 1:
        return f"{v:.2f}"
    return f"{v:.3g}"


def ratio(peer, ours):
    return "-" if peer is None or not ours else f"{peer / ours:.2f}x"


def machine():
    import numpy as np
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, NumPy {np.__version__}")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default="", help="comma-separated module names")
    p.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = p.parse_args(argv)
    names = [n for n in (args.only.split(",") if args.only else MODULES) if n]
    rows = []
    for name in names:
        try:
            mod = importlib.import_module(f"bench.{name}")
        except ImportError as e:
            print(f"# {name}: not available ({e})", file=sys.stderr)
            continue
        if not hasattr(mod, "figures"):
            print(f"# {name}: has no figures(); run `python bench/{name}.py`", file=sys.stderr)
            continue
        t = time.perf_counter()
        rows.extend(mod.figures(quick=args.quick))
        print(f"# {name}: {time.perf_counter() - t:.1f} s", file=sys.stderr)
    head = ["figure", "unit", "tinytf", "TensorFlow", "PyTorch", "TF/tinytf", "torch/tinytf"]
    table = [[r["figure"], r.get("unit", "s"), fmt(r["tinytf"]), fmt(r.get("tensorflow")),
              fmt(r.get("pytorch")), ratio(r.get("tensorflow"), r["tinytf"]),
              ratio(r.get("pytorch"), r["tinytf"])] for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *table)]
    print(f"machine: {machine()}")
    for line in [head] + table:
        print("  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(line, widths))))
    return rows


if __name__ == "__main__":
    main()
