"""The differential suite: the same expressions in tinytf and TensorFlow, compared.

Needs TensorFlow importable in the same interpreter (it is never a dependency of tinytf):

    PYTHONPATH=. /path/to/venv-with-tensorflow/bin/python -m pytest conformance/

Without TensorFlow the whole module is skipped, with one reason line (``-rs`` shows it).
"""

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

try:
    import tensorflow as _tf
except ImportError:  # the normal case in tinytf's own CI
    _tf = None

REASON = ("TensorFlow is not installed: the conformance suite compares tinytf with it "
          "(see conformance/README.md)")


def pytest_report_header(config):
    if _tf is None:
        return "conformance: " + REASON
    return f"conformance: comparing with TensorFlow {_tf.__version__}"


@pytest.fixture(scope="session")
def ref_tf():
    return _tf
