"""keras.datasets loaders and keras.utils.get_file, tested offline: the real MNIST file, and
small files served by a local HTTP server that each test starts."""

import hashlib
import http.server
import os
import shutil
import tarfile
import threading
import warnings

import numpy as np
import pytest

from tinytf.keras.datasets import boston_housing, imdb, mnist, reuters
from tinytf.keras.datasets import _common
from tinytf.keras.preprocessing.sequence import pad_sequences
from tinytf.keras.utils import get_file, normalize, to_categorical

MNIST = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data", "mnist.npz")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("TINYTF_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "www"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **k):
            super().__init__(*a, directory=str(root), **k)

        def log_message(self, *a):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()


def sha256(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


@pytest.mark.skipif(not os.path.exists(MNIST), reason="shared/data/mnist.npz not present")
def test_mnist_from_the_real_file(home, monkeypatch, server):
    _, url = server
    monkeypatch.setattr(mnist, "KERAS_ORIGIN", url)   # never reach the internet
    (home / "datasets").mkdir(parents=True)
    shutil.copy(MNIST, home / "datasets" / "mnist.npz")
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        (x, y), (xt, yt) = mnist.load_data()
    assert (x.shape, x.dtype, y.shape, y.dtype) == ((60000, 28, 28), np.uint8, (60000,), np.uint8)
    assert (xt.shape, yt.shape) == ((10000, 28, 28), (10000,))
    assert set(np.unique(y)) == set(range(10))


def test_get_file_downloads_checks_hash_and_caches(home, server):
    root, url = server
    (root / "data.bin").write_bytes(b"hello" * 100)
    h = sha256(root / "data.bin")
    path = get_file("data.bin", origin=url + "data.bin", file_hash=h)
    assert path == str(home / "datasets" / "data.bin") and open(path, "rb").read() == b"hello" * 100
    (root / "data.bin").unlink()          # cached: no second download needed
    assert get_file("data.bin", origin=url + "data.bin", file_hash=h) == path


def test_get_file_rejects_corrupt_download_and_leaves_nothing(home, server):
    root, url = server
    (root / "bad.bin").write_bytes(b"not what we expect")
    with pytest.raises(ValueError, match="corrupted"):
        get_file("bad.bin", origin=url + "bad.bin", file_hash="0" * 64)
    assert os.listdir(home / "datasets") == []


def test_get_file_offline_says_where_to_put_the_file(home, server):
    _, url = server
    with pytest.raises(Exception, match="put it at .*missing.npz"):
        get_file("missing.npz", origin=url + "missing.npz")
    assert os.listdir(home / "datasets") == []


def test_get_file_extracts_archives(home, server, tmp_path):
    root, url = server
    src = tmp_path / "pkg"
    src.mkdir()
    (src / "a.txt").write_text("A")
    with tarfile.open(root / "pkg.tar.gz", "w:gz") as t:
        t.add(src, arcname="pkg")
    out = get_file("pkg-target", origin=url + "pkg.tar.gz", extract=True)
    assert open(os.path.join(out, "pkg", "a.txt")).read() == "A"


def _ragged_npz(path, **arrays):
    np.savez(path, **{k: np.array(v + [None], dtype=object)[:-1] if isinstance(v, list) else v
                      for k, v in arrays.items()})


def test_imdb_processing_like_keras(home, monkeypatch, server):
    _, url = server
    monkeypatch.setattr(imdb, "KERAS_ORIGIN", url)
    (home / "datasets").mkdir(parents=True)
    xs = [[1, 2, 3], [4, 5], [6, 7, 8, 9], [1]]
    _ragged_npz(home / "datasets" / "imdb.npz", x_train=xs, y_train=np.array([0, 1, 0, 1]),
                x_test=[[2, 3], [9, 9, 9]], y_test=np.array([1, 0]))
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        (x, y), (xt, yt) = imdb.load_data(num_words=8)
    assert x.dtype == object and len(x) == 4 and len(xt) == 2
    # Keras: start_char=1, words shifted by index_from=3, ids >= num_words become oov_char=2
    rng = np.random.RandomState(113)
    idx = np.arange(4)
    rng.shuffle(idx)
    expect = [[1] + [w + 3 if w + 3 < 8 else 2 for w in xs[i]] for i in idx]
    assert [list(s) for s in x] == expect
    assert list(y) == [[0, 1, 0, 1][i] for i in idx]
    (x2, _), (xt2, _) = imdb.load_data(maxlen=4)
    assert sorted(len(s) for s in x2) == [2, 3] and [len(s) for s in xt2] == [3]
    with pytest.raises(ValueError, match="Increase maxlen"):
        imdb.load_data(maxlen=3)


def test_reuters_and_boston_split(home, monkeypatch, server):
    _, url = server
    for mod in (reuters, boston_housing):
        monkeypatch.setattr(mod, "KERAS_ORIGIN", url)
    (home / "datasets").mkdir(parents=True)
    _ragged_npz(home / "datasets" / "reuters.npz", x=[[1, 2]] * 7 + [[3]] * 3,
                y=np.arange(10))
    np.savez(home / "datasets" / "boston_housing.npz", x=np.ones((10, 13)), y=np.arange(10.))
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        (x, y), (xt, yt) = reuters.load_data(test_split=0.2)
        (bx, by), (bxt, byt) = boston_housing.load_data()
    assert (len(x), len(xt)) == (8, 2)
    assert bx.shape == (8, 13) and bxt.shape == (2, 13) and sorted(np.r_[by, byt]) == list(range(10))


def test_corrupt_dataset_file_gives_clear_error(home, monkeypatch, server):
    _, url = server
    monkeypatch.setattr(mnist, "KERAS_ORIGIN", url)
    (home / "datasets").mkdir(parents=True)
    (home / "datasets" / "mnist.npz").write_bytes(b"garbage")
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        with pytest.raises(ValueError, match="corrupt"):
            mnist.load_data()


def test_restricted_unpickler_refuses_code(tmp_path):
    import pickle
    p = tmp_path / "evil.pkl"
    p.write_bytes(pickle.dumps(os.system))
    with pytest.raises(pickle.UnpicklingError):
        _common.load_pickle(open(p, "rb"))


def test_preprocessing_helpers_match_keras():
    np.testing.assert_array_equal(to_categorical([0, 2, 1], 4),
                                  np.eye(4, dtype=np.float32)[[0, 2, 1]])
    assert to_categorical(np.array([[1], [0]])).shape == (2, 2)
    np.testing.assert_allclose(normalize([[3., 4.]]), [[0.6, 0.8]])
    np.testing.assert_array_equal(pad_sequences([[1, 2, 3], [4, 5], [6]], maxlen=2),
                                  [[2, 3], [4, 5], [0, 6]])
    np.testing.assert_array_equal(pad_sequences([[1, 2, 3], [6]], padding="post",
                                                truncating="post", maxlen=2), [[1, 2], [6, 0]])
    assert pad_sequences([[1], [1, 2]]).dtype == np.int32
