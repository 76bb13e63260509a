"""``tf.autodiff``: GradientTape and friends (the implementation lives in this package)."""

from tinytf.autodiff.tape import GradientTape, UnconnectedGradients  # noqa: F401
from tinytf.autodiff.forwardprop import ForwardAccumulator  # noqa: F401,E402
