"""The per-thread context (framework/context.py): each thread has its own tapes, graph
and device scope; threads that never changed it share a read-only default."""

import threading

import pytest

import tinytf as tf
from tinytf.framework import context


def _in_thread(fn):
    out = {}

    def run():
        try:
            out["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - re-raised in the test's thread
            out["error"] = e
    t = threading.Thread(target=run)
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


def test_new_thread_starts_in_the_default_state():
    def body():
        c = context._ctx()
        return c is context._FRESH, c.graph, tuple(c.tapes), c.device
    assert _in_thread(body) == (True, None, (), None)


def test_default_context_refuses_changes():
    with pytest.raises(RuntimeError, match="_own"):
        context._FRESH.graph = object()


def test_tape_device_and_function_work_in_a_fresh_thread():
    def body():
        x = tf.constant(3.)
        with tf.device("/cpu:0"):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = x * x
        g = tape.gradient(y, x)
        f = tf.function(lambda a: a + 1.)
        owned = context._ctx() is not context._FRESH
        return float(g), float(f(x)), owned, list(context._ctx().tapes)
    assert _in_thread(body) == (6.0, 4.0, True, [])


def test_threads_do_not_record_on_each_others_tapes():
    x = tf.constant(2.)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        other = _in_thread(lambda: x * x)      # another thread: not on this tape
        mine = x * x
    assert tape.gradient(other, x) is None
    assert float(tape.gradient(mine, x)) == 4.0
    assert context._ctx().tapes == []


def test_graph_building_in_a_thread_leaves_the_main_thread_eager():
    seen = {}
    barrier = threading.Event()
    done = threading.Event()

    @tf.function
    def f(a):
        seen["thread_eager"] = tf.executing_eagerly()
        barrier.set()
        done.wait(5)               # keep the thread's graph open while the main thread looks
        return a * 2.

    t = threading.Thread(target=lambda: f(tf.constant(1.)))
    t.start()
    barrier.wait(5)
    seen["main_eager"] = tf.executing_eagerly()
    done.set()
    t.join()
    assert seen == {"thread_eager": False, "main_eager": True}
