"""Instructions per call of tinytf's hot paths, counted by valgrind (callgrind): a figure
that, unlike time on a shared machine, does not move from run to run.

    python bench/count_instructions.py            # every case below
    python bench/count_instructions.py tape_tensor op_tensor

Each case runs twice under ``valgrind --tool=callgrind`` (N calls after a warm-up, and none)
and the difference is divided by N; the same hash seed and a single OpenBLAS thread keep
the two runs alike. Needs valgrind (``apt install valgrind``); about 15 s per case.
"""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
N = 3000

CASES = {
    # issue 3's round (bench/autodiff_overhead.py) with a, b, c as tensors and as floats
    "tape_tensor": "w = tf.constant(4.)\n"
                   "with tf.GradientTape() as tape:\n"
                   "    tape.watch([w]); y = A * w ** 2 + B * w + C\n"
                   "tape.gradient(y, [w])",
    "tape_py": "w = tf.constant(4.)\n"
               "with tf.GradientTape() as tape:\n"
               "    tape.watch([w]); y = 1. * w ** 2 + 2. * w + 3.\n"
               "tape.gradient(y, [w])",
    "notape_tensor": "y = A * W ** 2 + B * W + C",
    "op_tensor": "W * A",
    "constant": "tf.constant(4.)",
}

_CHILD = """
import os, sys
sys.path.insert(0, {root!r})
import tinytf as tf
A, B, C, W = tf.constant(1.), tf.constant(2.), tf.constant(3.), tf.constant(4.)
def case():
{body}
for _ in range(200):
    case()
for _ in range(int(os.environ["TINYTF_COUNT_N"])):
    case()
"""


def _collected(src, n):
    env = dict(os.environ, PYTHONHASHSEED="0", OPENBLAS_NUM_THREADS="1",
               TINYTF_COUNT_N=str(n))
    out = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          sys.executable, "-c", src], capture_output=True, text=True,
                         env=env, check=False)
    m = re.search(r"Collected : (\d+)", out.stderr)
    if m is None:
        raise RuntimeError(f"valgrind gave no count:\n{out.stderr[-2000:]}")
    return int(m.group(1))


def count(name):
    body = "\n".join("    " + line for line in CASES[name].splitlines())
    src = _CHILD.format(root=ROOT, body=body)
    return (_collected(src, N) - _collected(src, 0)) / N


def main(argv):
    names = argv or list(CASES)
    print(f"{'case':<16}{'instructions/call':>20}")
    for name in names:
        print(f"{name:<16}{count(name):>20,.0f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
