"""``tf.compat.v1.train``: TF1 optimizers (``minimize`` = gradients + assign ops) and the
global step. In a graph they build update ops; eagerly, ``minimize(loss_fn)`` applies
the update at once."""

import numpy as np

from tinytf.framework import dtypes
from tinytf.framework.context import _ctx
from tinytf.graph.gradients import gradients
from tinytf.graph.graph import get_default_graph
from tinytf.ops.control_flow_ops import control_dependencies, group


class Optimizer:
    """Base class for TF1 optimizers."""

    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def __init__(self, use_locking, name):
        if not name:
            raise ValueError(f"Must specify the optimizer name, got {name!r}")
        self._use_locking = use_locking
        self._name = name
        self._slots = {}       # slot name -> {id(var): slot variable}

    def get_name(self):
        return self._name

    # -- gradients -------------------------------------------------------------------------
    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        """A list of (gradient, variable) pairs for ``loss``."""
        if callable(loss):
            from tinytf.autodiff.tape import GradientTape
            with GradientTape() as tape:
                if var_list is not None:
                    tape.watch(var_list)
                value = loss()
            if var_list is None:
                var_list = tape.watched_variables()
            if callable(var_list):
                var_list = var_list()
            grads = tape.gradient(value, list(var_list), output_gradients=grad_loss)
            return list(zip(grads, var_list))
        if _ctx().graph is None:
            raise RuntimeError("`loss` passed to Optimizer.compute_gradients should be a "
                               "function when eager execution is enabled.")
        if var_list is None:
            var_list = get_default_graph().get_collection("trainable_variables")
        var_list = list(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, var_list, grad_ys=grad_loss)
        return list(zip(grads, var_list))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Applies the gradients; returns the update op (None eagerly)."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[v.name for _, v in grads_and_vars]}.")
        self._create_slots([v for _, v in pairs])
        self._prepare()
        updates = [self._apply_dense(g, v) for g, v in pairs]
        fin = self._finish(updates)
        if global_step is not None:
            if _ctx().graph is None:
                global_step.assign_add(1)
            else:
                with control_dependencies([u for u in updates + fin if u is not None]):
                    updates.append(global_step.assign_add(1))
        if _ctx().graph is None:
            return None
        return group(*[u for u in updates + fin if u is not None], name=name or self._name)

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """``compute_gradients`` then ``apply_gradients``: one training step op."""
        gv = self.compute_gradients(loss, var_list=var_list, grad_loss=grad_loss)
        vars_with_grad = [v for g, v in gv if g is not None]
        if not vars_with_grad:
            raise ValueError(f"No gradients provided for any variable, check your graph for "
                             f"ops that do not support gradients, between variables "
                             f"{[str(v) for _, v in gv]} and loss {loss}.")
        return self.apply_gradients(gv, global_step=global_step, name=name)

    # -- slots -----------------------------------------------------------------------------
    def _zeros_slot(self, var, slot_name, op_name):
        from tinytf.compat.v1 import Variable
        d = self._slots.setdefault(slot_name, {})
        if id(var) not in d:
            base = var.name[:-2] if var.name.endswith(":0") else var.name
            d[id(var)] = Variable(np.zeros(var.shape.as_list(), var.dtype._np),
                                  trainable=False, name=f"{base}/{op_name}")
        return d[id(var)]

    def get_slot(self, var, name):
        return self._slots.get(name, {}).get(id(var))

    def get_slot_names(self):
        return sorted(self._slots)

    def variables(self):
        return [v for d in self._slots.values() for v in d.values()]

    def _create_slots(self, var_list):
        pass

    def _prepare(self):
        pass

    def _finish(self, updates):
        return []

    def _apply_dense(self, grad, var):
        raise NotImplementedError


def _lr(value, like):
    if callable(value):
        value = value()
    from tinytf.ops.array_ops import cast
    from tinytf.framework.tensor import Tensor
    if isinstance(value, Tensor):
        return value if value.dtype is like.dtype else cast(value, like.dtype)
    return value


class GradientDescentOptimizer(Optimizer):
    """Optimizer that implements the gradient descent algorithm: ``var -= lr * grad``."""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate

    def _apply_dense(self, grad, var):
        return var.assign_sub(grad * _lr(self._learning_rate, grad))


class MomentumOptimizer(Optimizer):
    """``accum = momentum * accum + grad; var -= lr * accum`` (Nesterov optional)."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        super().__init__(use_locking, name)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._nesterov = use_nesterov

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _apply_dense(self, grad, var):
        acc = self.get_slot(var, "momentum")
        lr = _lr(self._learning_rate, grad)
        new = acc.assign(acc * self._momentum + grad)
        if _ctx().graph is None:
            new = acc.read_value()
        if self._nesterov:
            return var.assign_sub(grad * lr + new * self._momentum * lr)
        return var.assign_sub(new * lr)


class AdamOptimizer(Optimizer):
    """Adam (Kingma & Ba) with TF1's update: ``lr_t = lr * sqrt(1 - b2^t) / (1 - b1^t)``."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        super().__init__(use_locking, name)
        self._lr, self._beta1, self._beta2, self._epsilon = learning_rate, beta1, beta2, \
            epsilon
        self._b1p = self._b2p = None

    def _create_slots(self, var_list):
        from tinytf.compat.v1 import Variable
        if self._b1p is None:
            dt = var_list[0].dtype
            self._b1p = Variable(np.asarray(self._beta1, dt._np), trainable=False,
                                 name="beta1_power")
            self._b2p = Variable(np.asarray(self._beta2, dt._np), trainable=False,
                                 name="beta2_power")
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        import tinytf as tf
        b1p, b2p = self._b1p.read_value(), self._b2p.read_value()
        self._lr_t = _lr(self._lr, b1p) * tf.math.sqrt(1 - b2p) / (1 - b1p)

    def _apply_dense(self, grad, var):
        import tinytf as tf
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        b1, b2 = self._beta1, self._beta2
        m_t = m.assign(m * b1 + grad * (1 - b1))
        v_t = v.assign(v * b2 + grad * grad * (1 - b2))
        if _ctx().graph is None:
            m_t, v_t = m.read_value(), v.read_value()
        lr_t = self._lr_t if self._lr_t.dtype is var.dtype else tf.cast(self._lr_t, var.dtype)
        return var.assign_sub(lr_t * m_t / (tf.math.sqrt(v_t) + self._epsilon))

    def _finish(self, updates):
        if _ctx().graph is None:
            self._b1p.assign(self._b1p * self._beta1)
            self._b2p.assign(self._b2p * self._beta2)
            return []
        with control_dependencies([u for u in updates if u is not None]):
            return [self._b1p.assign(self._b1p * self._beta1),
                    self._b2p.assign(self._b2p * self._beta2)]


def get_global_step(graph=None):
    g = graph or get_default_graph()
    c = g.get_collection("global_step")
    return c[0] if c else None


def get_or_create_global_step(graph=None):
    """The graph's global step variable (an int64 scalar), created when missing."""
    g = graph or get_default_graph()
    step = get_global_step(g)
    if step is None:
        from tinytf.compat.v1 import Variable
        step = Variable(np.int64(0), trainable=False, name="global_step",
                        dtype=dtypes.int64)
        g.add_to_collection("global_step", step)
    return step


create_global_step = get_or_create_global_step
