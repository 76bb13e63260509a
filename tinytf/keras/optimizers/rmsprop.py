"""RMSprop (plain, with momentum, or centered), Keras 3's update rule."""

import tinytf as tf
from tinytf.keras.optimizers.optimizer import Optimizer, pop_legacy_lr

_LR = 0.001


class RMSprop(Optimizer):
    """RMSprop optimizer (``keras.optimizers.RMSprop``).

    ``v = rho v + (1 - rho) g^2``; ``w -= lr g / sqrt(v + epsilon)`` (centered: subtract
    the squared running mean of g inside the root; momentum accumulates the increment).
    """

    def __init__(self, learning_rate=_LR, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        learning_rate = pop_legacy_lr(learning_rate, kwargs, _LR)
        super().__init__(learning_rate=learning_rate, name=name, weight_decay=weight_decay,
                         clipnorm=clipnorm, clipvalue=clipvalue,
                         global_clipnorm=global_clipnorm, use_ema=use_ema,
                         ema_momentum=ema_momentum,
                         ema_overwrite_frequency=ema_overwrite_frequency,
                         loss_scale_factor=loss_scale_factor,
                         gradient_accumulation_steps=gradient_accumulation_steps, **kwargs)
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(var_list,
                                                                   "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        dt = variable.dtype
        lr = tf.cast(learning_rate, dt)
        gradient = tf.cast(gradient, dt)
        i = self._get_variable_index(variable)
        velocity = self._velocities[i]
        rho = self.rho
        self.assign(velocity, rho * velocity + (1 - rho) * tf.square(gradient))
        if self.centered:
            avg = self._average_gradients[i]
            self.assign(avg, rho * avg + (1 - rho) * gradient)
            denominator = velocity - tf.square(avg) + self.epsilon
        else:
            denominator = velocity + self.epsilon
        increment = (lr * gradient) / tf.sqrt(denominator)
        if self.momentum > 0:
            mom = self._momentums[i]
            self.assign(mom, self.momentum * mom + increment)
            self.assign_sub(variable, mom)
        else:
            self.assign_sub(variable, increment)

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "momentum": self.momentum, "epsilon": self.epsilon,
                       "centered": self.centered})
        return config
