"""tf.print: TF's formatting (expected strings from TF 2.21), stderr by default, and
printing on every call of a tf.function."""

import sys

import numpy as np

import tinytf as tf


def out(capsys, *args, **kw):
    tf.print(*args, output_stream=sys.stdout, **kw)
    return capsys.readouterr().out


def test_formats_like_tf(capsys):
    assert out(capsys, tf.constant([[1.5, 2], [3, 4]]), tf.range(20), "s", 3) == \
        "[[1.5 2]\n [3 4]] [0 1 2 ... 17 18 19] s 3\n"
    assert out(capsys, tf.constant(1.0), tf.constant(True), tf.constant("ab"),
               tf.range(2000)) == '1 1 "ab" [0 1 2 ... 1997 1998 1999]\n'
    assert out(capsys, "a", "b", sep="-", end="!\n") == "a-b!\n"
    assert out(capsys, tf.constant([1.25, 1e-8, 3e10]), tf.constant([0.1, 0.2], tf.float64),
               tf.constant([], tf.float32)) == "[1.25 1e-08 3e+10] [0.1 0.2] []\n"
    assert out(capsys, tf.constant([True, False]), tf.constant(["a", "b"]),
               tf.constant([1, 2], tf.int64), tf.constant(2.5, tf.float16)) == \
        '[1 0] ["a" "b"] [1 2] 2.5\n'
    assert out(capsys, tf.Variable([1., 2.]), (1, tf.constant(2))) == "[1 2] (1, 2)\n"
    assert out(capsys, tf.constant(1 / 3), tf.constant([1 / 3, 2 / 3]),
               tf.constant(1e20)) == "0.333333343 [0.333333343 0.666666687] 1e+20\n"
    assert out(capsys, tf.constant([[1, 2, 3, 4, 5, 6, 7, 8]] * 8)) == (
        "[[1 2 3 ... 6 7 8]\n [1 2 3 ... 6 7 8]\n [1 2 3 ... 6 7 8]\n ...\n"
        " [1 2 3 ... 6 7 8]\n [1 2 3 ... 6 7 8]\n [1 2 3 ... 6 7 8]]\n")


def test_summarize_and_3d(capsys):
    text = out(capsys, tf.reshape(tf.range(1000.), (10, 10, 10)), summarize=2)
    expected_head = ("[[[0 1 ... 8 9]\n  [10 11 ... 18 19]\n  ...\n  [80 81 ... 88 89]\n"
                     "  [90 91 ... 98 99]]\n\n [[100 101 ... 108 109]\n")
    assert text.startswith(expected_head)
    assert text.endswith("  [990 991 ... 998 999]]]\n")
    assert "\n\n ...\n\n" in text
    assert out(capsys, tf.range(10), summarize=-1) == "[0 1 2 3 4 5 6 7 8 9]\n"


def test_default_stream_is_stderr(capsys):
    tf.print("hello", tf.constant([1, 2]))
    cap = capsys.readouterr()
    assert cap.err == "hello [1 2]\n" and cap.out == ""


def test_prints_on_every_call_of_a_function(capsys):
    @tf.function
    def f(x):
        print("traced")
        tf.print("x =", x, {"a": x}, output_stream=sys.stdout)
        return x + 1

    f(tf.constant([1, 2]))
    f(tf.constant([3, 4]))
    # TF prints "{'a': [1 2]}" for a dict holding a tensor.
    assert capsys.readouterr().out == ("traced\nx = [1 2] {'a': [1 2]}\n"
                                       "x = [3 4] {'a': [3 4]}\n")
    np.testing.assert_array_equal(f(tf.constant([0, 0])).numpy(), [1, 1])
