"""TF computes inf/nan silently; tinytf's kernels must not leak NumPy's RuntimeWarnings,
while a user's own NumPy code keeps them. Run in a fresh interpreter: pytest installs its
own warning filters, which would hide what a user sees."""

import subprocess
import sys

CODE = """
import numpy as np
import tinytf as tf
a = tf.math.log(tf.constant([0., 1.]))
b = tf.constant([1.]) / tf.constant([0.])
c = tf.exp(tf.constant([1000.]))
d = tf.sqrt(tf.constant([-1.]))
print(a.numpy()[0], b.numpy()[0], c.numpy()[0], d.numpy()[0])
np.log(np.zeros(1))
"""


def test_kernels_do_not_warn_but_user_numpy_still_does():
    r = subprocess.run([sys.executable, "-W", "default", "-c", CODE], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["-inf", "inf", "inf", "nan"]
    warned = [ln for ln in r.stderr.splitlines() if "RuntimeWarning" in ln]
    assert len(warned) == 1 and "<string>" in warned[0] and "divide by zero" in warned[0]
