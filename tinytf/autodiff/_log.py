"""TF's Python logger (``logging.getLogger("tensorflow")``) and ``log_first_n``.

TF prints its Python-side warnings as ``WARNING:tensorflow:<message>`` on stderr; tapes
use this for the same warnings (watching an integer tensor, gradient inside a persistent
tape's context).
"""

import logging
import sys

_logger = None
_counts = {}


def get_logger():
    """The ``tensorflow`` logger, with TF's stderr handler when nothing else is set up."""
    global _logger
    if _logger is None:
        logger = logging.getLogger("tensorflow")
        if not logging.getLogger().handlers and not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT, None))
            logger.addHandler(handler)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.INFO)
        _logger = logger
    return _logger


def log_first_n(level, msg, n, *args):
    """Logs ``msg % args`` only the first ``n`` times this message is logged."""
    c = _counts.get(msg, 0)
    if c < n:
        _counts[msg] = c + 1
        get_logger().log(level, msg, *args)


WARN = logging.WARNING
