"""``keras.optimizers.schedules``: learning rates as functions of the optimizer step.

Every schedule is a one-argument callable of the step (a Python number, a tensor or the
optimizer's int64 ``iterations`` Variable) written in tinytf ops, so it traces into a
``tf.function`` as well as running eagerly. Formulas follow Keras 3 exactly.
"""

import math

import tinytf as tf


class LearningRateSchedule:
    """The learning rate schedule base class (``keras.optimizers.schedules``)."""

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override "
            "`__call__(self, step)`.")

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule '{self.__class__.__name__}' must override "
            "`get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _check_steps(arg, value):
    if value <= 0:
        raise ValueError(f"Argument `{arg}` must be > 0. Received: {arg}={value}")


def _lr_and_step(initial_learning_rate, step):
    lr = tf.convert_to_tensor(initial_learning_rate)
    return lr, tf.cast(step, lr.dtype)


class ExponentialDecay(LearningRateSchedule):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)`` (floored if staircase)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_steps("decay_steps", decay_steps)

    def __call__(self, step):
        lr, s = _lr_and_step(self.initial_learning_rate, step)
        p = s / tf.cast(self.decay_steps, lr.dtype)
        if self.staircase:
            p = tf.math.floor(p)
        return lr * tf.math.pow(tf.cast(self.decay_rate, lr.dtype), p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[i]`` while ``boundaries[i-1] < step <= boundaries[i]``."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        super().__init__()
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}.")
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = tf.convert_to_tensor(step)
        bounds = [tf.cast(b, step.dtype) for b in self.boundaries]
        vals = [tf.convert_to_tensor(v) for v in self.values]
        dt = vals[0].dtype
        out = tf.cast(step <= bounds[0], dt) * vals[0]
        out = out + tf.cast(step > bounds[-1], dt) * vals[-1]
        for lo, hi, v in zip(bounds[:-1], bounds[1:], vals[1:-1]):
            out = out + tf.cast(tf.logical_and(step > lo, step <= hi), dt) * v
        return out

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """Polynomial decay from ``initial_learning_rate`` to ``end_learning_rate``."""

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001,
                 power=1.0, cycle=False, name="PolynomialDecay"):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name
        _check_steps("decay_steps", decay_steps)

    def __call__(self, step):
        lr, s = _lr_and_step(self.initial_learning_rate, step)
        dt = lr.dtype
        end = tf.cast(self.end_learning_rate, dt)
        steps = tf.cast(self.decay_steps, dt)
        if self.cycle:
            mult = tf.where(tf.equal(s, 0.0), tf.ones_like(s), tf.math.ceil(s / steps))
            steps = steps * mult
        else:
            s = tf.minimum(s, steps)
        p = s / steps
        return (lr - end) * tf.math.pow(1.0 - p, tf.cast(self.power, dt)) + end

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name
        _check_steps("decay_steps", decay_steps)

    def __call__(self, step):
        lr, s = _lr_and_step(self.initial_learning_rate, step)
        p = s / tf.cast(self.decay_steps, lr.dtype)
        if self.staircase:
            p = tf.math.floor(p)
        return lr / (1.0 + tf.cast(self.decay_rate, lr.dtype) * p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Cosine decay to ``alpha * initial``, after an optional linear warmup."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        super().__init__()
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_steps = warmup_steps
        self.warmup_target = warmup_target
        _check_steps("decay_steps", decay_steps)

    def _decay(self, s, steps, start):
        frac = s / steps
        cosine = 0.5 * (1.0 + tf.math.cos(math.pi * frac))
        return start * ((1 - self.alpha) * cosine + self.alpha)

    def __call__(self, step):
        lr, s = _lr_and_step(self.initial_learning_rate, step)
        dt = lr.dtype
        steps = tf.cast(self.decay_steps, dt)
        if self.warmup_target is None:
            return self._decay(tf.minimum(s, steps), steps, lr)
        target = tf.cast(self.warmup_target, dt)
        wsteps = tf.cast(self.warmup_steps, dt)
        s = tf.minimum(s, steps + wsteps)
        warm = (target - lr) * (s / wsteps) + lr
        decay = self._decay(s - wsteps, steps, target)
        return tf.where(s < wsteps, warm, decay)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR), as Keras computes it."""

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        super().__init__()
        _check_steps("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        lr, s = _lr_and_step(self.initial_learning_rate, step)
        dt = lr.dtype
        frac = s / tf.cast(self.first_decay_steps, dt)
        if self._t_mul == 1.0:
            i_restart = tf.math.floor(frac)
            frac = frac - i_restart
        else:
            t_mul = tf.cast(self._t_mul, dt)
            i_restart = tf.math.floor(tf.math.log(1.0 - frac * (1.0 - t_mul))
                                      / tf.math.log(t_mul))
            sum_r = (1.0 - tf.math.pow(t_mul, i_restart)) / (1.0 - t_mul)
            frac = (frac - sum_r) / tf.math.pow(t_mul, i_restart)
        m_fac = tf.math.pow(tf.cast(self._m_mul, dt), i_restart)
        cosine = 0.5 * m_fac * (1.0 + tf.math.cos(math.pi * frac))
        return lr * ((1 - self.alpha) * cosine + self.alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self._t_mul,
                "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}


def serialize(learning_rate_schedule):
    """A ``{"module", "class_name", "config", "registered_name"}`` dict for a schedule."""
    return {"module": "keras.optimizers.schedules",
            "class_name": type(learning_rate_schedule).__name__,
            "config": learning_rate_schedule.get_config(),
            "registered_name": None}


def deserialize(config, custom_objects=None):
    """Rebuilds a schedule from ``serialize``'s dict."""
    name = config["class_name"]
    cls = (custom_objects or {}).get(name) or globals().get(name)
    if cls is None or not (isinstance(cls, type) and issubclass(cls, LearningRateSchedule)):
        raise ValueError(f"Unknown learning rate schedule: '{name}'")
    return cls.from_config(config["config"])
