"""Linear regression by hand in NumPy: fit y = w*x + b to 100 noisy points of
y = 1.477x + 0.089 with gradient descent (lr 0.01, 1000 iterations)."""

import os

import numpy as np

ITERATIONS = int(os.environ.get("TINYTF_EXAMPLE_ITERS", "1000"))


def make_data(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-10., 10., 100)
    eps = rng.normal(0., 0.01, 100)
    y = 1.477 * x + 0.089 + eps
    return np.stack([x, y], axis=1)


def mse(b, w, points):
    x, y = points[:, 0], points[:, 1]
    return np.mean((y - (w * x + b)) ** 2)


def step_gradient(b, w, points, lr):
    x, y = points[:, 0], points[:, 1]
    n = float(len(points))
    err = (w * x + b) - y
    b_grad = 2 / n * err.sum()
    w_grad = 2 / n * (err * x).sum()
    return b - lr * b_grad, w - lr * w_grad


def gradient_descent(points, b, w, lr, iterations):
    for step in range(iterations):
        b, w = step_gradient(b, w, points, lr)
        if step % 50 == 0:
            print(f"iteration:{step}, loss:{mse(b, w, points)}, w:{w}, b:{b}")
    return b, w


def main():
    points = make_data()
    b, w = gradient_descent(points, 0., 0., 0.01, ITERATIONS)
    print(f"Final loss:{mse(b, w, points)}, w:{w}, b:{b}")


if __name__ == "__main__":
    main()
