"""Gradient descent with optional (Nesterov) momentum, Keras 3's update rule."""

import tinytf as tf
from tinytf.keras.optimizers.optimizer import Optimizer, pop_legacy_lr

_LR = 0.01


class SGD(Optimizer):
    """Gradient descent (with momentum) optimizer (``keras.optimizers.SGD``).

    ``velocity = momentum * velocity - learning_rate * g``; ``w += velocity``
    (Nesterov: ``w += momentum * velocity - learning_rate * g``).
    """

    def __init__(self, learning_rate=_LR, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        learning_rate = pop_legacy_lr(learning_rate, kwargs, _LR)
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) \
                or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        gradient = tf.cast(gradient, dt)
        if self.momentum == 0:
            self.assign_sub(variable, gradient * lr)
            return
        m = self.momentums[self._get_variable_index(variable)]
        mom = tf.cast(self.momentum, dt)
        self.assign(m, m * mom - gradient * lr)
        if self.nesterov:
            self.assign_add(variable, m * mom - gradient * lr)
        else:
            self.assign_add(variable, m)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
