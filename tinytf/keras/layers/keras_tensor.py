"""``KerasTensor``: the symbolic value that flows through the functional API.

It holds a static shape (a tuple with ``None`` for unknown dims), a dtype name and its
history (the layer that made it, that layer's node index, the output index).
"""


def _auto_name():
    from tinytf.keras import backend
    return backend.unique_object_name("keras_tensor")


class KerasTensor:
    """A symbolic tensor of the functional API (``keras.Input(...)`` returns one)."""

    __array_priority__ = 200

    def __init__(self, shape, dtype="float32", name=None, history=None):
        self._shape = tuple(None if d is None else int(d) for d in shape)
        self._dtype = dtype if isinstance(dtype, str) else getattr(dtype, "name", str(dtype))
        self.name = name or _auto_name()
        self._keras_history = history

    @property
    def shape(self):
        return self._shape

    @property
    def dtype(self):
        return self._dtype

    @property
    def ndim(self):
        return len(self._shape)

    def __repr__(self):
        return (f"<KerasTensor shape={self._shape}, dtype={self._dtype}, sparse=False, "
                f"ragged=False, name={self.name}>")

    def __hash__(self):
        return id(self)

    def __len__(self):
        raise TypeError("A KerasTensor has no len(): its first dimension is the batch size.")

    def __iter__(self):
        raise TypeError("Iterating over a symbolic KerasTensor is not supported.")

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor cannot be used as a Python bool.")

    def __array__(self, dtype=None, copy=None):
        raise TypeError("A KerasTensor is symbolic: it's a placeholder for a shape and a "
                        "dtype. It doesn't have any actual numerical value. You cannot "
                        "convert it to a NumPy array.")


def _op(name, fn, reverse=False):
    def method(self, *other):
        from tinytf.keras.layers.core import _OpLambda
        if not other:
            return _OpLambda(lambda xs: fn(xs[0]), op_name=name)([self])
        y = other[0]
        if isinstance(y, KerasTensor):
            f = (lambda xs: fn(xs[1], xs[0])) if reverse else (lambda xs: fn(xs[0], xs[1]))
            return _OpLambda(f, op_name=name)([self, y])
        f = (lambda xs: fn(y, xs[0])) if reverse else (lambda xs: fn(xs[0], y))
        return _OpLambda(f, op_name=name)([self])
    return method


def _install():
    import operator as o
    for name, fn in [("add", o.add), ("sub", o.sub), ("mul", o.mul), ("truediv", o.truediv),
                     ("matmul", o.matmul), ("pow", o.pow), ("floordiv", o.floordiv),
                     ("mod", o.mod)]:
        setattr(KerasTensor, f"__{name}__", _op(name, fn))
        setattr(KerasTensor, f"__r{name}__", _op(name, fn, reverse=True))
    KerasTensor.__neg__ = _op("negative", o.neg)
    KerasTensor.__abs__ = _op("absolute", o.abs)

    def getitem(self, key):
        from tinytf.keras.layers.core import _OpLambda
        return _OpLambda(lambda xs: xs[0][key], op_name="get_item")([self])
    KerasTensor.__getitem__ = getitem


_install()
