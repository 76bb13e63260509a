"""MNIST with hand-written training loops (GradientTape), as TF2 tutorials write them.

1. The seed-style loop of issue 6: inputs scaled to [-1, 1], one-hot targets, MSE, SGD.
2. An MLP 784-256-128-10 with Adam and softmax cross-entropy: >= 97% test accuracy in 5
   epochs.

    python examples/mnist_mlp.py          (TINYTF_QUICK=1 for a few hundred samples)
"""

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tinytf as tf  # noqa: E402
from tinytf import keras  # noqa: E402
from tinytf.keras import layers, optimizers  # noqa: E402
from _mnist_data import epochs, load  # noqa: E402

(x_train, y_train), (x_test, y_test) = load()
keras.utils.set_random_seed(int(os.environ.get("TINYTF_SEED", "1")))   # reproducible weights


def seed_style_loop():
    x = x_train.astype(np.float32) / 127.5 - 1.0          # [-1, 1]
    y = np.eye(10, dtype=np.float32)[y_train]               # one-hot
    model = keras.Sequential([layers.Dense(256, activation="relu"),
                              layers.Dense(128, activation="relu"),
                              layers.Dense(10)])
    optimizer = optimizers.SGD(learning_rate=0.001)

    def evaluate():
        out = model(tf.reshape(x_test.astype(np.float32) / 127.5 - 1.0, (-1, 28 * 28)))
        return float(np.mean(np.argmax(out.numpy(), -1) == y_test))

    print(f"seed-style loop: test accuracy before training {evaluate():.4f}")
    for epoch in range(epochs(3)):
        perm = np.random.permutation(len(x))
        losses = []
        for i in range(0, len(x), 32):
            idx = perm[i:i + 32]
            xb, yb = tf.constant(x[idx]), tf.constant(y[idx])
            with tf.GradientTape() as tape:
                out = model(tf.reshape(xb, (-1, 28 * 28)))
                loss = tf.reduce_sum(tf.square(out - yb)) / xb.shape[0]
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            losses.append(float(loss))
        print(f"seed-style loop: epoch {epoch + 1} loss {np.mean(losses):.4f} "
              f"test accuracy {evaluate():.4f}")


def adam_loop():
    x = (x_train.reshape(-1, 784) / 255.0).astype(np.float32)
    xt = (x_test.reshape(-1, 784) / 255.0).astype(np.float32)
    model = keras.Sequential([layers.Dense(256, activation="relu"),
                              layers.Dense(128, activation="relu"),
                              layers.Dense(10)])
    optimizer = optimizers.Adam(1e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    for epoch in range(epochs(5)):
        t = time.perf_counter()
        perm = np.random.permutation(len(x))
        total, n = 0.0, 0
        for i in range(0, len(x), 128):
            idx = perm[i:i + 128]
            loss = train_step(tf.constant(x[idx]), tf.constant(y_train[idx].astype(np.int64)))
            total += float(loss) * len(idx)
            n += len(idx)
        acc = np.mean(np.argmax(model(xt).numpy(), -1) == y_test)
        print(f"adam loop: epoch {epoch + 1} loss {total / n:.4f} test accuracy {acc:.4f} "
              f"({time.perf_counter() - t:.1f} s)")
    print(f"adam loop: final test accuracy {acc:.4f}")
    return acc


if __name__ == "__main__":
    seed_style_loop()
    adam_loop()
