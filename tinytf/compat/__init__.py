"""``tf.compat``: ``v1`` (the TF1 surface), ``v2`` (tinytf itself) and the byte/text
helpers."""

import numbers as _numbers


def as_bytes(bytes_or_text, encoding="utf-8"):
    """Converts bytes or text to bytes (``tf.compat.as_bytes``)."""
    if isinstance(bytes_or_text, bytearray):
        return bytes(bytes_or_text)
    if isinstance(bytes_or_text, str):
        return bytes_or_text.encode(encoding)
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


def as_text(bytes_or_text, encoding="utf-8"):
    """Converts bytes or text to text (``tf.compat.as_text``)."""
    if isinstance(bytes_or_text, str):
        return bytes_or_text
    if isinstance(bytes_or_text, bytes):
        return bytes_or_text.decode(encoding)
    raise TypeError(f"Expected binary or unicode string, got {bytes_or_text!r}")


as_str = as_text
as_str_any = str
integral_types = (_numbers.Integral,)
real_types = (_numbers.Real,)
complex_types = (_numbers.Complex,)
bytes_or_text_types = (bytes, str)


def forward_compatible(year, month, day):
    return True


def __getattr__(name):
    import importlib
    if name == "v1":
        m = importlib.import_module("tinytf.compat.v1")
    elif name == "v2":
        m = importlib.import_module("tinytf")
    else:
        raise AttributeError(f"module 'tinytf.compat' has no attribute '{name}'")
    globals()[name] = m
    return m
