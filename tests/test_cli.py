"""`tinytf run` resolves TensorFlow/Keras imports to tinytf; `tinytf info` reports devices."""

import os
import subprocess
import sys
import textwrap

import pytest

from tinytf.cli import alias_of, main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, "-m", "tinytf", *args], capture_output=True,
                          text=True, cwd=cwd, env=env, timeout=120)


def test_alias_table():
    assert alias_of("tensorflow") == "tinytf"
    assert alias_of("tensorflow.keras.layers") == "tinytf.keras.layers"
    assert alias_of("tensorflow.compat.v1") == "tinytf.compat.v1"
    assert alias_of("keras") == "tinytf.keras"
    assert alias_of("keras.optimizers") == "tinytf.keras.optimizers"
    assert alias_of("tensorflowx") is None and alias_of("numpy") is None


def test_run_script_with_tensorflow_imports(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text(textwrap.dedent("""
        import sys
        import tensorflow as tf
        from tensorflow.keras import datasets
        import keras
        print('a+b=', tf.constant(2.) + tf.constant(4.))
        print(sys.argv[1:], __name__, tf.__name__, keras.__name__)
    """))
    r = run_cli("run", str(script), "--flag", "x")
    assert r.returncode == 0, r.stderr
    assert "a+b= tf.Tensor(6.0, shape=(), dtype=float32)" in r.stdout
    assert "['--flag', 'x'] __main__ tinytf tinytf.keras" in r.stdout


def test_missing_api_is_named(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text("import tensorflow as tf\ntf.definitely_not_an_api(1)\n")
    r = run_cli("run", str(script))
    assert r.returncode == 1
    assert "tinytf does not implement `tf.definitely_not_an_api` yet" in r.stderr
    script.write_text("import tensorflow.no_such_module\n")
    r = run_cli("run", str(script))
    assert r.returncode == 1
    assert "tinytf does not provide the module `tensorflow.no_such_module` yet" in r.stderr


def test_script_exit_code_is_kept(tmp_path):
    script = tmp_path / "prog.py"
    script.write_text("import sys\nsys.exit(3)\n")
    assert run_cli("run", str(script)).returncode == 3


def test_info_lists_cpu(capsys):
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("tinytf ") and "device:CPU:0" in out and "NumPy" in out


def test_usage_errors(capsys):
    assert main(["bogus"]) == 2
    assert main(["run"]) == 2
    assert main(["run", "/no/such/file.py"]) == 2


@pytest.mark.parametrize("entry", ["python -m tinytf", "tinytf"])
def test_entry_points_exist(entry):
    if entry == "tinytf":
        import shutil
        if shutil.which("tinytf") is None:
            pytest.skip("console script not installed (package not pip-installed)")
        r = subprocess.run(["tinytf", "info"], capture_output=True, text=True, timeout=60)
    else:
        r = run_cli("info")
    assert r.returncode == 0 and "tinytf" in r.stdout
