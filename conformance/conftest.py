"""The differential suite: the same expressions in tinytf and TensorFlow, compared.

Needs TensorFlow importable in the same interpreter (it is never a dependency of tinytf):

    PYTHONPATH=. /path/to/venv-with-tensorflow/bin/python -m pytest conformance/

Without TensorFlow every test here is skipped, with one reason line.
"""

import os

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

try:
    import tensorflow as _tf
except ImportError:  # the normal case in tinytf's own CI
    _tf = None

REASON = ("TensorFlow is not installed: the conformance suite compares tinytf with it "
          "(see bench/README.md for the peers virtualenv)")


def pytest_collection_modifyitems(config, items):
    if _tf is None:
        for item in items:
            if "conformance" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=REASON))


def pytest_report_header(config):
    if _tf is None:
        return "conformance: " + REASON
    return f"conformance: comparing with TensorFlow {_tf.__version__}"


@pytest.fixture(scope="session")
def ref_tf():
    return _tf
