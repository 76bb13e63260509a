#!/usr/bin/env bash
# One prepared GPU check: on a machine with an NVIDIA GPU and no internet, run the whole
# test suite with the GPU among the devices, then bench/matmul_devices.py and the
# cpu_vs_gpu example. Logs (and the example's PNG) go to $OUT (default ./gpu_check_out).
#
#   bash scripts/gpu_check.sh            # from the repository root
#
# CuPy: the machine's own is used when `import cupy` works (the lab's CUDA image has
# cupy-cuda13x). Otherwise wheels carried in .whl/ are installed into /tmp/site (see
# docs/gpu.md for the `pip download` command); tinytf itself runs from the source tree
# through PYTHONPATH (no `pip install -e .` offline).
set -u
cd "$(dirname "$0")/.."
OUT=${OUT:-$PWD/gpu_check_out}
mkdir -p "$OUT"
PY=${PYTHON:-python3}
TEST_TIMEOUT=${TEST_TIMEOUT:-300}
BENCH_TIMEOUT=${BENCH_TIMEOUT:-150}

{
  date -u +"date: %Y-%m-%d %H:%M UTC"
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 \
    | sed 's/^/gpu: /'
  echo "python: $($PY --version 2>&1)"
} > "$OUT/env.txt"

if ! $PY -c "import cupy" >/dev/null 2>&1; then
  if ls .whl/*.whl >/dev/null 2>&1; then
    echo "installing carried wheels from .whl/" >> "$OUT/env.txt"
    $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade \
      --target /tmp/site .whl/*.whl >> "$OUT/env.txt" 2>&1
    export PYTHONPATH=/tmp/site
  else
    echo "WARNING: no CuPy and no .whl/: the GPU tests will skip" >> "$OUT/env.txt"
  fi
fi
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONUNBUFFERED=1

$PY - >> "$OUT/env.txt" 2>&1 <<'PYEOF'
import numpy, tinytf as tf
try:
    import cupy
    print("cupy:", cupy.__version__, "CUDA runtime", cupy.cuda.runtime.runtimeGetVersion())
except Exception as e:  # noqa: BLE001
    print("cupy: not importable:", e)
print("numpy:", numpy.__version__)
print("tinytf devices:", [d.name for d in tf.config.list_logical_devices()])
print("is_gpu_available:", tf.test.is_gpu_available(cuda_only=True),
      "gpu_device_name:", repr(tf.test.gpu_device_name()))
PYEOF
cat "$OUT/env.txt"

set -o pipefail
echo "== tests (every device-parametrised test also runs on /GPU:0)"
timeout "$TEST_TIMEOUT" $PY -m pytest -q -p no:cacheprovider -rfE tests 2>&1 \
  | tee "$OUT/tests.log" | tail -40
echo "tests exit status: $?" | tee -a "$OUT/tests.log"

echo "== bench/matmul_devices.py"
timeout "$BENCH_TIMEOUT" $PY bench/matmul_devices.py 2>&1 | tee "$OUT/bench.log"

echo "== examples/cpu_vs_gpu.py"
(cd "$OUT" && timeout "${EXAMPLE_TIMEOUT:-90}" $PY "$OLDPWD/examples/cpu_vs_gpu.py") 2>&1 | tee "$OUT/example.log"
