"""tf.data.Dataset: sources, transformations, inspection, errors (values from TF 2.21)."""

import os

import numpy as np
import pytest

import tinytf as tf

D = tf.data.Dataset


def vals(ds):
    return [np.asarray(v).tolist() for v in ds.as_numpy_iterator()]


def test_from_tensor_slices_tuple_spec_and_repr():
    ds = D.from_tensor_slices((np.zeros((5, 3), np.float32), np.arange(5)))
    assert repr(ds) == ("<_TensorSliceDataset element_spec=(TensorSpec(shape=(3,), "
                        "dtype=tf.float32, name=None), TensorSpec(shape=(), dtype=tf.int64, "
                        "name=None))>")
    assert len(ds) == 5
    x, y = next(iter(ds))
    assert isinstance(x, tf.Tensor) and x.shape == (3,) and y.dtype == tf.int64


def test_python_lists_follow_tf_dtype_rules():
    d = D.from_tensor_slices({"a": [1, 2], "b": [1., 2.]})
    assert d.element_spec == {"a": tf.TensorSpec([], tf.int32), "b": tf.TensorSpec([], tf.float32)}
    assert [e["a"].numpy() for e in d] == [1, 2]


def test_batch_spec_and_remainder():
    ds = D.from_tensor_slices((np.zeros((5, 3), np.float32), np.arange(5)))
    assert ds.batch(2).element_spec[0] == tf.TensorSpec([None, 3], tf.float32)
    assert ds.batch(2, drop_remainder=True).element_spec[1] == tf.TensorSpec([2], tf.int64)
    assert vals(D.range(10).batch(4)) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert vals(D.range(10).batch(4, drop_remainder=True)) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert D.range(10).batch(4).cardinality().numpy() == 3


def test_range_take_skip_repeat_cardinality():
    assert vals(D.range(3)) == [0, 1, 2]
    assert vals(D.range(2, 8, 3)) == [2, 5]
    assert vals(D.range(10).skip(7)) == [7, 8, 9]
    assert vals(D.range(3).repeat(2)) == [0, 1, 2, 0, 1, 2]
    assert vals(D.range(3).repeat().take(7)) == [0, 1, 2, 0, 1, 2, 0]
    assert D.range(3).repeat().cardinality().numpy() == tf.data.INFINITE_CARDINALITY
    assert D.range(3).filter(lambda x: x > 0).cardinality().numpy() == \
        tf.data.UNKNOWN_CARDINALITY
    with pytest.raises(TypeError, match="infinite"):
        len(D.range(3).repeat())
    with pytest.raises(TypeError, match="unknown"):
        len(D.range(3).filter(lambda x: x > 0))


def test_map_filter_with_tensor_functions():
    ds = D.from_tensor_slices(([1., 2., 3.], [1, 2, 3])).map(lambda x, y: (x * 2., y + 1))
    assert vals(ds) == [[2.0, 2], [4.0, 3], [6.0, 4]]
    assert vals(D.range(6).filter(lambda x: x % 2 == 0)) == [0, 2, 4]
    par = D.range(50).map(lambda x: x * x, num_parallel_calls=tf.data.AUTOTUNE)
    assert vals(par) == [i * i for i in range(50)]   # order kept


def test_shuffle_is_a_permutation_and_seeded():
    a = vals(D.range(100).shuffle(10, seed=3))
    b = vals(D.range(100).shuffle(10, seed=3))
    assert sorted(a) == list(range(100)) and a == b and a != list(range(100))
    # buffer semantics: element i cannot appear before position i - buffer_size
    assert all(pos >= v - 10 for pos, v in enumerate(a))
    ds = D.range(20).shuffle(20, seed=1)
    assert vals(ds) != vals(ds)  # reshuffle_each_iteration defaults to True
    fixed = D.range(20).shuffle(20, seed=1, reshuffle_each_iteration=False)
    assert vals(fixed) == vals(fixed)


def test_shuffle_batch_fast_path_matches_generic_path():
    x = np.arange(40).reshape(20, 2)
    fast = vals(D.from_tensor_slices(x).shuffle(7, seed=5).batch(3))
    generic = vals(D.from_tensor_slices(x).map(lambda r: r).shuffle(7, seed=5).batch(3))
    assert fast == generic


def test_zip_enumerate_concatenate():
    z = D.zip((D.range(3), D.range(10, 15)))
    assert vals(z) == [[0, 10], [1, 11], [2, 12]]
    assert vals(D.range(2).enumerate(start=5)) == [[5, 0], [6, 1]]
    assert vals(D.range(2).concatenate(D.range(5, 6))) == [0, 1, 5]
    with pytest.raises(TypeError):
        D.range(2).concatenate(D.from_tensor_slices([1.0]))


def test_unbatch_padded_batch_flat_map_interleave_window():
    assert vals(D.range(5).batch(2).unbatch()) == [0, 1, 2, 3, 4]
    ragged = D.from_generator(lambda: ([1] * n for n in range(1, 4)),
                              output_signature=tf.TensorSpec([None], tf.int32))
    assert vals(ragged.padded_batch(3)) == [[[1, 0, 0], [1, 1, 0], [1, 1, 1]]]
    fm = D.range(3).flat_map(lambda x: D.from_tensors(x).repeat(2))
    assert vals(fm) == [0, 0, 1, 1, 2, 2]
    il = D.range(1, 3).interleave(lambda x: D.from_tensors(x).repeat(3), cycle_length=2)
    assert vals(il) == [1, 2, 1, 2, 1, 2]
    w = D.range(7).window(3, shift=2).flat_map(lambda w: w.batch(3))
    assert vals(w) == [[0, 1, 2], [2, 3, 4], [4, 5, 6], [6]]


def test_from_generator_checks_signature():
    ok = D.from_generator(lambda: iter([(1, 2.0), (3, 4.0)]),
                          output_signature=(tf.TensorSpec([], tf.int64),
                                            tf.TensorSpec([], tf.float32)))
    first = next(iter(ok))
    assert first[0].dtype == tf.int64 and first[1].dtype == tf.float32
    bad = D.from_generator(lambda: iter([[1, 2]]), output_signature=tf.TensorSpec([3], tf.int32))
    with pytest.raises(TypeError):
        list(bad)


def test_prefetch_cache_reduce_and_files(tmp_path):
    assert vals(D.range(5).map(lambda x: x + 1).prefetch(2)) == [1, 2, 3, 4, 5]
    calls = []
    c = D.range(3).map(lambda x: (calls.append(1), x)[1]).cache()
    assert vals(c) == vals(c) == [0, 1, 2] and len(calls) == 3
    fc = D.range(3).cache(str(tmp_path / "c"))
    assert vals(fc) == [0, 1, 2] and vals(fc) == [0, 1, 2]
    assert D.range(10).reduce(np.int64(0), lambda s, x: s + x).numpy() == 45
    for i in range(2):
        (tmp_path / f"f{i}.txt").write_text(f"a{i}\nb{i}\n")
    files = D.list_files(str(tmp_path / "*.txt"), shuffle=False)
    assert vals(files) == [str(tmp_path / "f0.txt").encode(), str(tmp_path / "f1.txt").encode()]
    lines = tf.data.TextLineDataset([str(tmp_path / "f0.txt"), str(tmp_path / "f1.txt")])
    assert vals(lines) == [b"a0", b"b0", b"a1", b"b1"]


def test_bad_input_errors():
    with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
        D.from_tensor_slices((np.zeros(3), np.zeros(4)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Batch size must be greater"):
        D.range(3).batch(0)
    with pytest.raises(TypeError, match="map"):
        list(D.range(3).map(lambda x: object()))
    with pytest.raises(TypeError):
        list(D.range(3).map(lambda x: None))


def test_mnist_style_pipeline_shapes():
    x = np.random.default_rng(0).integers(0, 255, (1000, 28, 28)).astype(np.uint8)
    y = np.arange(1000) % 10
    xt = 2 * tf.convert_to_tensor(x, dtype=tf.float32) / 255. - 1
    ds = D.from_tensor_slices((xt, y)).shuffle(10000).batch(512)
    shapes = [(xb.shape.as_list(), yb.shape.as_list()) for xb, yb in ds]
    assert shapes == [([512, 28, 28], [512]), ([488, 28, 28], [488])]
    assert os.environ.get("TINYTF_HOME", "") != "/"  # no side effects on the cache


def test_dataset_loop_inside_tf_function_draws_fresh_elements():
    ds = D.range(4)

    @tf.function
    def total():
        s = tf.constant(0, tf.int64)
        for x in ds:
            s += x
        return s
    assert total().numpy() == 6 and total().numpy() == 6
    shuffled = D.from_tensor_slices(np.arange(8.)).shuffle(8).batch(4)

    @tf.function
    def order():
        return tf.concat([b for b in shuffled], 0)
    orders = {tuple(order().numpy()) for _ in range(6)}
    assert all(sorted(o) == list(range(8)) for o in orders)
    assert len(orders) > 1          # each call iterates again: new shuffle order
    assert total.experimental_get_tracing_count() == 1


def test_dataset_loop_of_unknown_length_in_tf_function_is_refused():
    @tf.function
    def f():
        for x in D.range(3).repeat():
            return x
    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="cardinality"):
        f()


def test_reduce_initial_state_becomes_tensors_and_single_element_errors_name_the_op():
    r = D.range(5).reduce(0., lambda s, e: s + 1.)
    assert isinstance(r, tf.Tensor) and r.dtype == tf.float32 and float(r) == 5.0
    n, d = D.range(3).reduce((0, {"a": 1.}), lambda s, e: (s[0] + 1, {"a": s[1]["a"] * 2}))
    assert n.dtype == tf.int32 and int(n) == 3 and float(d["a"]) == 8.0
    with pytest.raises(tf.errors.InvalidArgumentError,
                       match=r"more than one element. \[Op:DatasetToSingleElement\]"):
        D.range(2).get_single_element()
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"empty. \[Op:Dataset"):
        D.range(0).get_single_element()


def test_repr_uses_tf_class_names():
    r = D.range(3)
    spec = "element_spec=TensorSpec(shape=(), dtype=tf.int64, name=None)>"
    assert repr(r) == "<_RangeDataset " + spec
    assert repr(r.cache()) == "<CacheDataset " + spec
    assert repr(r.map(lambda e: e)) == "<_MapDataset " + spec
    assert repr(r.map(lambda e: e, num_parallel_calls=2)) == "<_ParallelMapDataset " + spec
    gen = D.from_generator(lambda: iter([1]), output_signature=tf.TensorSpec([], tf.int64))
    assert repr(gen) == "<_FlatMapDataset " + spec
