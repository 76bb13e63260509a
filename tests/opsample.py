"""The sample table format that the registry sweep (tests/ops/test_registry.py) reads.

Each op family keeps a ``tests/ops/samples_<family>.py`` with ``SAMPLES = [Sample(...)]``.
Every registered op must appear in at least one Sample (by its OpDef name), so a new op
without samples, gradient or not_differentiable mark fails the sweep.
"""

from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence


@dataclass
class Sample:
    op: str                              # OpDef name, e.g. "AddV2"
    fn: Callable                         # fn(*tensors) -> tensor (calls the public API)
    inputs: Sequence                     # NumPy arrays; float64 ones are gradient-checked
    ref: Optional[Callable] = None       # ref(*arrays) -> expected NumPy result
    grad: bool = True                    # check the gradient numerically (float inputs)
    order: int = 1                       # 2: also check the second derivative
    wrt: Optional[Sequence[int]] = None  # argument indices to differentiate (default: floats)
    rtol: float = 1e-5
    atol: float = 1e-6
    note: str = field(default="")        # why grad=False, or anything unusual
