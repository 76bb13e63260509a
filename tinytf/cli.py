"""The ``tinytf`` command: ``tinytf run script.py [args]`` and ``tinytf info``.

``run`` executes an unmodified TensorFlow program: ``import tensorflow``, ``tensorflow.*``,
``import keras``/``tf_keras`` and their submodules resolve to tinytf's modules. When the
program reaches something tinytf does not have, the error names the API and where to ask.
"""

import importlib
import importlib.abc
import importlib.util
import os
import runpy
import sys

ASK_URL = "the tinytf issue tracker (see README.md, \"Missing an API?\")"

_PREFIXES = (
    ("tensorflow.compat.v2", "tinytf"),
    ("tensorflow", "tinytf"),
    ("tf_keras", "tinytf.keras"),
    ("keras", "tinytf.keras"),
)


def alias_of(fullname):
    """The tinytf module that stands for ``fullname`` (None if it is not TF's or Keras's)."""
    for prefix, target in _PREFIXES:
        if fullname == prefix or fullname.startswith(prefix + "."):
            return target + fullname[len(prefix):]
    return None


class MissingAPIError(ImportError):
    """A TensorFlow module that tinytf does not provide (yet)."""


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, fullname, target):
        self.fullname = fullname
        self.target = target

    def create_module(self, spec):
        try:
            return importlib.import_module(self.target)
        except ModuleNotFoundError as e:
            if e.name and e.name.startswith("tinytf"):
                raise MissingAPIError(
                    f"tinytf does not provide the module `{self.fullname}` yet. Ask for it in "
                    f"{ASK_URL}") from None
            raise

    def exec_module(self, module):
        pass


class AliasFinder(importlib.abc.MetaPathFinder):
    """Makes ``import tensorflow`` (and keras) import tinytf."""

    def find_spec(self, fullname, path, target=None):
        alias = alias_of(fullname)
        if alias is None:
            return None
        return importlib.util.spec_from_loader(fullname, _AliasLoader(fullname, alias))


def install_aliases():
    """Puts the alias finder first on ``sys.meta_path`` (idempotent)."""
    if not any(isinstance(f, AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, AliasFinder())


def _missing_api_message(exc):
    msg = str(exc)
    if isinstance(exc, MissingAPIError):
        return msg
    if isinstance(exc, AttributeError) and "tinytf" in msg:
        # "module 'tinytf.keras.layers' has no attribute 'ConvLSTM2D'"
        parts = msg.split("'")
        if len(parts) >= 4:
            mod = alias_back(parts[1])
            return (f"tinytf does not implement `{mod}.{parts[3]}` yet. Ask for it in "
                    f"{ASK_URL}")
    return None


def alias_back(module_name):
    if module_name.startswith("tinytf.keras"):
        return "tf.keras" + module_name[len("tinytf.keras"):]
    if module_name.startswith("tinytf"):
        return "tf" + module_name[len("tinytf"):]
    return module_name


def run(script, args):
    """Runs ``script`` as ``__main__`` with TensorFlow imports resolved to tinytf."""
    if not os.path.exists(script):
        print(f"tinytf run: no such file: {script}", file=sys.stderr)
        return 2
    install_aliases()
    sys.argv = [script] + list(args)
    sys.path.insert(0, os.path.dirname(os.path.abspath(script)))
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except (AttributeError, ImportError) as e:
        msg = _missing_api_message(e)
        if msg is None:
            raise
        import traceback
        traceback.print_exc()
        print(f"\n{msg}", file=sys.stderr)
        return 1
    return 0


def info():
    """Prints the version, backends, devices, and the NumPy/CuPy/BLAS in use."""
    import numpy as np

    import tinytf
    from tinytf.framework import device as _device
    lines = [f"tinytf {tinytf.__version__}", f"Python {sys.version.split()[0]}",
             f"NumPy {np.__version__}"]
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        lines.append(f"BLAS {blas.get('name', '?')} {blas.get('version', '')}".rstrip())
    except Exception:  # noqa: BLE001 - older NumPy: no dict mode
        lines.append("BLAS unknown")
    try:
        import cupy
        lines.append(f"CuPy {cupy.__version__}")
    except Exception:  # noqa: BLE001 - no CuPy, or no CUDA driver
        lines.append("CuPy not installed (GPU support: pip install tinytf[gpu])")
    lines.append("Devices:")
    for d in _device.physical_devices():
        kind = "NumPy" if d.xp is np else "CuPy"
        sim = " (simulated)" if getattr(d, "simulated", False) else ""
        lines.append(f"  {d.name}  [{kind}]{sim}")
    print("\n".join(lines))
    return 0


USAGE = """usage: tinytf run SCRIPT [ARGS...]   run a TensorFlow program on tinytf
       tinytf info                  versions, backends and devices"""


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "run":
        if not rest:
            print(USAGE, file=sys.stderr)
            return 2
        return run(rest[0], rest[1:])
    if cmd == "info":
        return info()
    print(f"tinytf: unknown command {cmd!r}\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
