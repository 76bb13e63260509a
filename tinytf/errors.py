"""``tf.errors``: TF's error classes (re-exported from ``tinytf.framework.errors``)."""

from tinytf.framework.errors import *  # noqa: F401,F403
from tinytf.framework.errors import (  # noqa: F401
    AbortedError, AlreadyExistsError, CancelledError, DataLossError, DeadlineExceededError,
    FailedPreconditionError, InternalError, InvalidArgumentError, NotFoundError, OpError,
    OperatorNotAllowedInGraphError, OutOfRangeError, PermissionDeniedError,
    ResourceExhaustedError, UnauthenticatedError, UnavailableError, UnimplementedError,
    UnknownError)
