"""Adagrad, Keras 3's update rule."""

import tinytf as tf
from tinytf.keras.optimizers.optimizer import Optimizer, pop_legacy_lr

_LR = 0.001


class Adagrad(Optimizer):
    """Adagrad optimizer (``keras.optimizers.Adagrad``).

    ``acc += g^2``; ``w -= lr g / sqrt(acc + epsilon)``; ``acc`` starts at
    ``initial_accumulator_value``.
    """

    def __init__(self, learning_rate=_LR, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        learning_rate = pop_legacy_lr(learning_rate, kwargs, _LR)
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializer=float(self.initial_accumulator_value))

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        gradient = tf.cast(gradient, dt)
        acc = self._accumulators[self._get_variable_index(variable)]
        self.assign_add(acc, tf.square(gradient))
        self.assign_sub(variable, (lr * gradient) / tf.sqrt(acc + self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update({"initial_accumulator_value": self.initial_accumulator_value,
                       "epsilon": self.epsilon})
        return config
