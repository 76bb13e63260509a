"""MNIST LeNet-style CNN with model.fit: >= 98.5% test accuracy.

    python examples/mnist_cnn.py          (TINYTF_QUICK=1 for a few hundred samples)
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tinytf import keras  # noqa: E402
from tinytf.keras import layers  # noqa: E402
from _mnist_data import epochs, load  # noqa: E402

(x_train, y_train), (x_test, y_test) = load()
keras.utils.set_random_seed(int(os.environ.get("TINYTF_SEED", "1")))   # reproducible weights
x_train = x_train[..., None].astype("float32") / 255.0
x_test = x_test[..., None].astype("float32") / 255.0

model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.Conv2D(6, 5, padding="same", activation="relu"),
    layers.MaxPooling2D(),
    layers.Conv2D(16, 5, activation="relu"),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(120, activation="relu"),
    layers.Dense(84, activation="relu"),
    layers.Dense(10),
], name="lenet")
model.summary()
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=128, epochs=epochs(5), verbose=2,
          validation_data=(x_test, y_test))
loss, acc = model.evaluate(x_test, y_test, verbose=0)
print(f"test loss {loss:.4f} test accuracy {acc:.4f}")
