"""TensorFlow's error classes (``tf.errors``): ``OpError`` and its subclasses.

Eager ops raise these with TF's ``[Op:Name]`` suffix; builders of graphs raise
``ValueError``/``TypeError`` as TF does.
"""

OK = 0
CANCELLED = 1
UNKNOWN = 2
INVALID_ARGUMENT = 3
DEADLINE_EXCEEDED = 4
NOT_FOUND = 5
ALREADY_EXISTS = 6
PERMISSION_DENIED = 7
RESOURCE_EXHAUSTED = 8
FAILED_PRECONDITION = 9
ABORTED = 10
OUT_OF_RANGE = 11
UNIMPLEMENTED = 12
INTERNAL = 13
UNAVAILABLE = 14
DATA_LOSS = 15
UNAUTHENTICATED = 16


class OpError(Exception):
    """The base class for errors raised while running an op (``tf.errors.OpError``)."""

    error_code = UNKNOWN

    def __init__(self, node_def=None, op=None, message=None, *args):
        # TF's signature is (node_def, op, message); a lone argument is the message.
        if message is None and op is None:
            message, node_def = node_def, None
        super().__init__(message)
        self.node_def = node_def
        self.op = op
        self.message = message

    def __str__(self):
        return str(self.message)


def _make(name, code, doc):
    cls = type(name, (OpError,), {"error_code": code, "__doc__": doc})
    return cls


CancelledError = _make("CancelledError", CANCELLED, "Raised when an operation is cancelled.")
UnknownError = _make("UnknownError", UNKNOWN, "Unknown error.")
InvalidArgumentError = _make("InvalidArgumentError", INVALID_ARGUMENT,
                             "Raised when an operation receives an invalid argument.")
DeadlineExceededError = _make("DeadlineExceededError", DEADLINE_EXCEEDED,
                              "Raised when a deadline expires before an operation completes.")
NotFoundError = _make("NotFoundError", NOT_FOUND,
                      "Raised when a requested entity (a file or device) was not found.")
AlreadyExistsError = _make("AlreadyExistsError", ALREADY_EXISTS,
                           "Raised when an entity that we attempted to create already exists.")
PermissionDeniedError = _make("PermissionDeniedError", PERMISSION_DENIED,
                              "Raised when the caller does not have permission to run an op.")
ResourceExhaustedError = _make("ResourceExhaustedError", RESOURCE_EXHAUSTED,
                               "Raised when some resource (memory) has been exhausted.")
FailedPreconditionError = _make("FailedPreconditionError", FAILED_PRECONDITION,
                                "Raised when the system is not in a state to run an op "
                                "(an uninitialized variable is read).")
AbortedError = _make("AbortedError", ABORTED, "Raised when an operation was aborted.")
OutOfRangeError = _make("OutOfRangeError", OUT_OF_RANGE,
                        "Raised when an operation iterates past the valid input range.")
UnimplementedError = _make("UnimplementedError", UNIMPLEMENTED,
                           "Raised when an operation has not been implemented.")
InternalError = _make("InternalError", INTERNAL, "Raised when the system experiences an "
                      "internal error.")
UnavailableError = _make("UnavailableError", UNAVAILABLE,
                         "Raised when the runtime is currently unavailable.")
DataLossError = _make("DataLossError", DATA_LOSS,
                      "Raised when unrecoverable data loss or corruption is encountered.")
UnauthenticatedError = _make("UnauthenticatedError", UNAUTHENTICATED,
                             "The request does not have valid authentication credentials.")


class OperatorNotAllowedInGraphError(TypeError):
    """Raised when a symbolic tensor is used as a Python bool or iterated in a graph."""


def op_error(cls, message, op_name, name=None):
    """Builds an eager OpError with TF's message suffix: ``... [Op:AddV2] name: foo``
    (TF writes ``name: `` with nothing after it when the op was not named)."""
    return cls(None, None, f"{message} [Op:{op_name}] name: {name or ''}")
