"""MNIST MLP with compile/fit/evaluate/predict: >= 97.5% test accuracy in 5 epochs.

    python examples/mnist_fit.py          (TINYTF_QUICK=1 for a few hundred samples)
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from tinytf import keras  # noqa: E402
from tinytf.keras import layers  # noqa: E402
from _mnist_data import epochs, load  # noqa: E402

(x_train, y_train), (x_test, y_test) = load()
keras.utils.set_random_seed(int(os.environ.get("TINYTF_SEED", "1")))   # reproducible weights
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
x_test = x_test.reshape(-1, 784).astype("float32") / 255.0

model = keras.Sequential([
    keras.Input((784,)),
    layers.Dense(256, activation="relu"),
    layers.Dense(128, activation="relu"),
    layers.Dense(10, activation="softmax"),
])
model.summary()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(x_train, y_train, batch_size=128, epochs=epochs(5),
                    validation_data=(x_test, y_test),
                    verbose=2)
loss, acc = model.evaluate(x_test, y_test, verbose=0)
print(f"test loss {loss:.4f} test accuracy {acc:.4f}")
pred = model.predict(x_test[:10], verbose=0)
print("predicted:", np.argmax(pred, -1).tolist(), "true:", y_test[:10].tolist())
