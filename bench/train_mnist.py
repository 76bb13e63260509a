"""Seconds per MNIST epoch: the MLP of issue 6 in three styles and a LeNet CNN, for tinytf
beside a hand-written NumPy loop, TensorFlow and PyTorch.

    python bench/train_mnist.py            # tinytf + NumPy here; TF/PyTorch via the peers venv
    python bench/train_mnist.py --quick    # a quarter epoch each
    python bench/train_mnist.py --lenet-pairs 3 --quick   # LeNet only: tinytf and PyTorch
                                           # in turn, each in a fresh process, 3 pairs
    /work/peers/bin/python bench/train_mnist.py   # everything in one process

MLP: 784-256-128-10 (relu), inputs in [-1, 1], one-hot targets, MSE, SGD(0.001), batch 512
    (118 steps); styles: hand loop eager, hand loop in tf.function, model.fit.
CNN: LeNet (conv 6@5x5 same, pool, conv 16@5x5, pool, 120, 84, 10), Adam, sparse softmax
    cross entropy from logits, batch 128 (469 steps), model.fit (torch: a hand loop).
Each figure is the best of TINYTF_BENCH_REPEAT (2) epochs for the MLP, one epoch for
LeNet, after a warm-up of a few steps (tracing excluded).
"""

import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
PEERS = os.environ.get("TINYTF_PEERS_PYTHON", "/work/peers/bin/python")
MNIST = os.environ.get("TINYTF_MNIST", os.path.join(ROOT, "..", "shared", "data", "mnist.npz"))
MLP_BATCH, CNN_BATCH = 512, 128


def _data(frac=1.0):
    import numpy as np
    with np.load(MNIST) as d:
        x, y = d["x_train"], d["y_train"]
    n = int(len(x) * frac)
    x, y = x[:n], y[:n]
    x_mlp = (x.reshape(-1, 784).astype(np.float32) / 127.5 - 1.0)
    onehot = np.eye(10, dtype=np.float32)[y]
    x_cnn = (x.astype(np.float32) / 255.0)[..., None]
    return x_mlp, onehot, x_cnn, y.astype(np.int64)


def _batches(n, bs):
    return [(i, min(i + bs, n)) for i in range(0, n, bs)]


REPEAT = int(os.environ.get("TINYTF_BENCH_REPEAT", "2"))


def _epoch(step, x, y, bs, warmup=3, repeat=None):
    """Best of ``repeat`` timed epochs (the machine may be shared), after a warm-up."""
    for a, b in _batches(len(x), bs)[:warmup]:
        step(x[a:b], y[a:b])
    best = None
    for _ in range(repeat or REPEAT):
        t = time.perf_counter()
        for a, b in _batches(len(x), bs):
            step(x[a:b], y[a:b])
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best


def _fit_epoch(model, x, y, bs, repeat=None):
    model.fit(x[:bs * 3], y[:bs * 3], batch_size=bs, epochs=1, verbose=0)
    best = None
    for _ in range(repeat or REPEAT):
        t = time.perf_counter()
        model.fit(x, y, batch_size=bs, epochs=1, verbose=0)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best


# -- NumPy -------------------------------------------------------------------------------
def numpy_mlp(x, y):
    import numpy as np
    rng = np.random.default_rng(0)

    def glorot(i, o):
        lim = np.sqrt(6 / (i + o))
        return rng.uniform(-lim, lim, (i, o)).astype(np.float32)
    w = [glorot(784, 256), np.zeros(256, np.float32), glorot(256, 128),
         np.zeros(128, np.float32), glorot(128, 10), np.zeros(10, np.float32)]
    lr = np.float32(0.001)

    def step(xb, yb):
        h1 = np.maximum(xb @ w[0] + w[1], 0)
        h2 = np.maximum(h1 @ w[2] + w[3], 0)
        out = h2 @ w[4] + w[5]
        d = (2.0 / len(xb)) * (out - yb)
        g4, g5 = h2.T @ d, d.sum(0)
        d2 = (d @ w[4].T) * (h2 > 0)
        g2, g3 = h1.T @ d2, d2.sum(0)
        d1 = (d2 @ w[2].T) * (h1 > 0)
        g0, g1 = xb.T @ d1, d1.sum(0)
        for p, g in zip(w, (g0, g1, g2, g3, g4, g5)):
            p -= lr * g
    return _epoch(step, x, y, MLP_BATCH)


# -- tinytf --------------------------------------------------------------------------------
def _tinytf():
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    import tinytf
    return tinytf


def _tt_mlp(tf):
    from tinytf import keras
    from tinytf.keras import layers
    return keras.Sequential([layers.Dense(256, activation="relu"),
                             layers.Dense(128, activation="relu"), layers.Dense(10)])


def tinytf_mlp(x, y, style):
    tf = _tinytf()
    from tinytf import keras
    model = _tt_mlp(tf)
    optimizer = keras.optimizers.SGD(learning_rate=0.001)
    if style == "fit":
        model.compile(optimizer, "mse")
        return _fit_epoch(model, x, y, MLP_BATCH)

    def step(xb, yb):
        with tf.GradientTape() as tape:
            out = model(tf.reshape(xb, (-1, 28 * 28)))
            loss = tf.reduce_sum(tf.square(out - yb)) / xb.shape[0]
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss
    if style == "function":
        step = tf.function(step)
    conv = tf.convert_to_tensor
    return _epoch(lambda a, b: step(conv(a), conv(b)), x, y, MLP_BATCH)


def _tt_lenet():
    from tinytf import keras
    from tinytf.keras import layers
    return keras.Sequential([
        keras.Input((28, 28, 1)),
        layers.Conv2D(6, 5, padding="same", activation="relu"), layers.MaxPooling2D(),
        layers.Conv2D(16, 5, activation="relu"), layers.MaxPooling2D(), layers.Flatten(),
        layers.Dense(120, activation="relu"), layers.Dense(84, activation="relu"),
        layers.Dense(10)])


def tinytf_cnn(x, y):
    _tinytf()
    from tinytf import keras
    model = _tt_lenet()
    model.compile(keras.optimizers.Adam(), keras.losses.SparseCategoricalCrossentropy(
        from_logits=True))
    return _fit_epoch(model, x, y, CNN_BATCH, repeat=1)


# -- TensorFlow ------------------------------------------------------------------------------
def tf_mlp(x, y, style):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf
    keras = tf.keras
    model = keras.Sequential([keras.layers.Dense(256, activation="relu"),
                              keras.layers.Dense(128, activation="relu"),
                              keras.layers.Dense(10)])
    optimizer = keras.optimizers.SGD(learning_rate=0.001)
    if style == "fit":
        model.compile(optimizer, "mse")
        return _fit_epoch(model, x, y, MLP_BATCH)

    def step(xb, yb):
        with tf.GradientTape() as tape:
            out = model(tf.reshape(xb, (-1, 28 * 28)))
            loss = tf.reduce_sum(tf.square(out - yb)) / xb.shape[0]
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss
    if style == "function":
        step = tf.function(step)
    return _epoch(lambda a, b: step(tf.constant(a), tf.constant(b)), x, y, MLP_BATCH)


def tf_cnn(x, y):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf
    L = tf.keras.layers
    model = tf.keras.Sequential([
        tf.keras.Input((28, 28, 1)), L.Conv2D(6, 5, padding="same", activation="relu"),
        L.MaxPooling2D(), L.Conv2D(16, 5, activation="relu"), L.MaxPooling2D(), L.Flatten(),
        L.Dense(120, activation="relu"), L.Dense(84, activation="relu"), L.Dense(10)])
    model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    return _fit_epoch(model, x, y, CNN_BATCH, repeat=1)


# -- PyTorch ---------------------------------------------------------------------------------
def torch_mlp(x, y):
    import torch
    torch.set_num_threads(os.cpu_count())
    model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                                torch.nn.Linear(256, 128), torch.nn.ReLU(),
                                torch.nn.Linear(128, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.001)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)

    def step(xb, yb):
        opt.zero_grad()
        loss = ((model(xb) - yb) ** 2).sum() / xb.shape[0]
        loss.backward()
        opt.step()
    return _epoch(step, xt, yt, MLP_BATCH)


def torch_cnn(x, y):
    import torch
    nn = torch.nn
    model = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                          nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                          nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                          nn.Linear(84, 10))
    opt = torch.optim.Adam(model.parameters())
    xt = torch.from_numpy(x.transpose(0, 3, 1, 2).copy())
    yt = torch.from_numpy(y)
    lossf = nn.CrossEntropyLoss()

    def step(xb, yb):
        opt.zero_grad()
        lossf(model(xb), yb).backward()
        opt.step()
    return _epoch(step, xt, yt, CNN_BATCH, repeat=1)


# -- driver ------------------------------------------------------------------------------------
def _importable(name):
    import importlib.util
    return importlib.util.find_spec(name) is not None


def peer_figures(frac):
    x, onehot, xc, y = _data(frac)
    out = {}
    if _importable("tensorflow"):
        out["tf_mlp_eager"] = tf_mlp(x, onehot, "eager")
        out["tf_mlp_function"] = tf_mlp(x, onehot, "function")
        out["tf_mlp_fit"] = tf_mlp(x, onehot, "fit")
        out["tf_cnn_fit"] = tf_cnn(xc, y)
    if _importable("torch"):
        out["torch_mlp"] = torch_mlp(x, onehot)
        out["torch_cnn"] = torch_cnn(xc, y)
    return out


def _peers(frac):
    if _importable("tensorflow") or _importable("torch"):
        return peer_figures(frac)
    if not os.path.exists(PEERS):
        return {}
    try:
        r = subprocess.run([PEERS, os.path.abspath(__file__), "--peer-json", str(frac)],
                           capture_output=True, text=True, timeout=1800)
        return json.loads(r.stdout.strip().splitlines()[-1])
    except Exception:  # noqa: BLE001
        return {}


def figures(quick=False, peers=True):
    frac = 0.25 if quick else 1.0
    x, onehot, xc, y = _data(frac)
    ours = {"numpy_mlp": numpy_mlp(x, onehot),
            "mlp_eager": tinytf_mlp(x, onehot, "eager"),
            "mlp_function": tinytf_mlp(x, onehot, "function"),
            "mlp_fit": tinytf_mlp(x, onehot, "fit"),
            "cnn_fit": tinytf_cnn(xc, y)}
    p = _peers(frac) if peers else {}
    unit = "s/epoch" if not quick else "s/quarter epoch"
    rows = [
        {"figure": "MLP hand loop, eager", "unit": unit, "tinytf": ours["mlp_eager"],
         "tensorflow": p.get("tf_mlp_eager"), "pytorch": p.get("torch_mlp"),
         "numpy": ours["numpy_mlp"]},
        {"figure": "MLP hand loop, tf.function", "unit": unit, "tinytf": ours["mlp_function"],
         "tensorflow": p.get("tf_mlp_function"), "pytorch": p.get("torch_mlp"),
         "numpy": ours["numpy_mlp"]},
        {"figure": "MLP model.fit", "unit": unit, "tinytf": ours["mlp_fit"],
         "tensorflow": p.get("tf_mlp_fit"), "pytorch": p.get("torch_mlp"),
         "numpy": ours["numpy_mlp"]},
        {"figure": "LeNet model.fit", "unit": unit, "tinytf": ours["cnn_fit"],
         "tensorflow": p.get("tf_cnn_fit"), "pytorch": p.get("torch_cnn")},
    ]
    return rows


def lenet_pairs(pairs, frac):
    """LeNet epochs of tinytf and PyTorch in turn, each in a fresh process: on a noisy
    machine, neighbouring runs see the same conditions."""
    def run(python, flag):
        r = subprocess.run([python, os.path.abspath(__file__), flag, str(frac)],
                           capture_output=True, text=True, timeout=1800)
        return json.loads(r.stdout.strip().splitlines()[-1]) if r.returncode == 0 else None
    torch_python = sys.executable if _importable("torch") else PEERS
    print(f"{'pair':>4s} {'tinytf':>8s} {'torch':>8s} {'tinytf/torch':>12s}  (LeNet fit, "
          f"{'quarter ' if frac < 1 else ''}epoch, s)")
    for i in range(pairs):
        ours, theirs = run(sys.executable, "--lenet-json"), run(torch_python, "--torch-lenet-json")
        ratio = f"{ours / theirs:.2f}" if ours and theirs else "-"
        print(f"{i + 1:>4d} {ours or float('nan'):8.3f} {theirs or float('nan'):8.3f} {ratio:>12s}")


def main(argv):
    quick = "--quick" in argv
    if "--lenet-pairs" in argv:
        lenet_pairs(int(argv[argv.index("--lenet-pairs") + 1]), 0.25 if quick else 1.0)
        return
    rows = figures(quick=quick, peers="--no-peers" not in argv)

    def f(v):
        return "-" if v is None else f"{v:.3f}"

    def r(a, b):
        return "-" if a is None or b is None else f"{a / b:.2f}"
    print(f"{'figure':30s} {'tinytf':>8s} {'NumPy':>8s} {'TF':>8s} {'torch':>8s} "
          f"{'tinytf/NumPy':>12s} {'tinytf/TF':>9s} {'tinytf/torch':>12s}")
    for row in rows:
        print(f"{row['figure']:30s} {f(row['tinytf']):>8s} {f(row.get('numpy')):>8s} "
              f"{f(row.get('tensorflow')):>8s} {f(row.get('pytorch')):>8s} "
              f"{r(row['tinytf'], row.get('numpy')):>12s} "
              f"{r(row['tinytf'], row.get('tensorflow')):>9s} "
              f"{r(row['tinytf'], row.get('pytorch')):>12s}")
    print(f"({rows[0]['unit']}; goals: MLP within 1.15x NumPy in all three styles, "
          "LeNet at most 1.0x PyTorch)")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--peer-json":
        print(json.dumps(peer_figures(float(sys.argv[2]))))
    elif len(sys.argv) > 2 and sys.argv[1] in ("--lenet-json", "--torch-lenet-json"):
        _x, _o, _xc, _y = _data(float(sys.argv[2]))
        fn = tinytf_cnn if sys.argv[1] == "--lenet-json" else torch_cnn
        print(json.dumps(fn(_xc, _y)))
    else:
        main(sys.argv[1:])
