"""The op registry: one ``OpDef`` per TF op type, holding its kernel, shape/dtype rule and
gradient side by side.

    @op("Exp", infer=same_as_input)
    def Exp(xp, x):
        return xp.exp(x)

    @Exp.gradient
    def _exp_grad(op, dy):
        return dy * op.outputs[0]

Kernels are pure array code on ``xp`` (numpy or cupy); attributes are keyword-only
arguments. ``infer(*inputs, **attrs)`` receives objects with ``.shape`` and ``.dtype``
(symbolic tensors while building a graph) and returns ``(shape, dtype)`` or a list of
them. Gradients are written in tinytf ops, so they work eagerly, in graphs, and at any order.
"""

REGISTRY = {}


class OpDef:
    __slots__ = ("name", "kernel", "infer", "grad", "num_outputs", "stateful", "nondiff")

    def __init__(self, name, kernel, infer, num_outputs, stateful):
        self.name = name
        self.kernel = kernel
        self.infer = infer
        self.grad = None
        self.nondiff = False
        self.num_outputs = num_outputs  # 1, a fixed count, or -1 when an attr decides
        self.stateful = stateful

    def gradient(self, fn):
        """Decorator: registers ``fn(op, *dys) -> grad or tuple of grads (None allowed)``."""
        self.grad = fn
        return fn

    def __call__(self, *args, **kwargs):
        raise TypeError(f"{self.name} is an op definition; call its public wrapper, or "
                        f"execute({self.name}, inputs, attrs).")

    def __repr__(self):
        return f"<OpDef {self.name}>"


def op(name, infer=None, num_outputs=1, stateful=False):
    """Registers a kernel as the op ``name`` (TF's op type, e.g. "AddV2")."""
    def deco(kernel):
        if name in REGISTRY:
            raise ValueError(f"op {name!r} is registered twice")
        d = OpDef(name, kernel, infer, num_outputs, stateful)
        REGISTRY[name] = d
        return d
    return deco


def not_differentiable(*ops):
    """Marks ops whose outputs carry no gradient (TF's ``NotDifferentiable``)."""
    for d in ops:
        d.nondiff = True


def get(name):
    return REGISTRY[name]


class OpView:
    """What a gradient function sees of an eager op: ``inputs``, ``outputs``, ``attrs``.

    Graph ``Operation`` objects offer the same attributes, so gradients work on both.
    """

    __slots__ = ("op_def", "inputs", "outputs", "attrs", "_needed")

    def __init__(self, op_def, inputs, outputs, attrs):
        self.op_def = op_def
        self.inputs = inputs
        self.outputs = outputs
        self.attrs = attrs
        self._needed = None      # set by the tape's backward pass: ids that take gradients

    @property
    def skip_input_indices(self):
        """TF's eager hint: indices of inputs whose gradient nobody needs (None: unknown).
        Gradients may return None there without computing it."""
        needed = self._needed
        if needed is None:
            return None
        inputs = self.inputs
        if len(inputs) == 2:
            a, b = id(inputs[0]) not in needed, id(inputs[1]) not in needed
            return ((0, 1) if b else (0,)) if a else ((1,) if b else ())
        return tuple(i for i, x in enumerate(inputs) if id(x) not in needed)

    @property
    def type(self):
        return self.op_def.name

    def get_attr(self, name):
        return self.attrs[name]
