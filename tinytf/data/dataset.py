"""``tf.data.Dataset``: a lazy chain of small iterator classes over nested structures.

Inside the chain, elements are nested structures of NumPy arrays (host memory); they
become EagerTensors only when the user iterates (or when a ``map``/``filter`` function
is called), so a pipeline costs little beyond NumPy's own work. A slice source followed by
``shuffle``/``take``/``skip``/``batch`` is run on index arrays: one fancy-indexing gather
per batch instead of one Python step per element.

Differences from TF: ``map``/``filter`` functions run eagerly per element (TF traces them
once into a graph, so their Python side effects happen once there); ``element_spec`` of a
mapped dataset is found by computing its first element.
"""

import collections
import os
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from tinytf.framework import dtypes, errors
from tinytf.framework.context import _ctx
from tinytf.framework.execute import execute
from tinytf.framework.registry import not_differentiable, op
from tinytf.framework.tensor import EagerTensor, Tensor, wrap
from tinytf.framework.device import CPU0
from tinytf.framework.shape import TensorShape
from tinytf.framework.tensor_conversion import constant_value_array
from tinytf.framework.tensor_spec import TensorSpec
from tinytf.util import nest

AUTOTUNE = -1
INFINITE_CARDINALITY = -1
UNKNOWN_CARDINALITY = -2
INFINITE = INFINITE_CARDINALITY
UNKNOWN = UNKNOWN_CARDINALITY

_seed_counter = [0]


# -- element helpers ---------------------------------------------------------------------

def _to_numpy(x):
    """A component value (tensor, Variable, array, Python value) as a NumPy array."""
    if isinstance(x, _ListLeaf):
        return constant_value_array(x.v)
    if type(x) is EagerTensor:
        return x._numpy()
    if isinstance(x, Tensor):
        raise TypeError(f"tf.data got a symbolic tensor {x!r}; pass eager values.")
    if hasattr(x, "_read") and hasattr(x, "numpy"):
        return np.asarray(x.numpy())
    return constant_value_array(x)


def _structure_to_numpy(value):
    """A user-provided structure as (template, flat list of arrays). Tuples, dicts and
    namedtuples are structure; lists are values (TF converts a list to one tensor)."""
    if isinstance(value, list):
        value = _to_numpy(value)
    return nest.map_structure(_to_numpy, _lists_as_leaves(value))


def _lists_as_leaves(value):
    if isinstance(value, (tuple, dict)):
        if isinstance(value, dict):
            return type(value)((k, _leaf_or_struct(v)) for k, v in value.items())
        items = [_leaf_or_struct(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    return value


def _leaf_or_struct(v):
    if isinstance(v, list):
        return _ListLeaf(v)
    return _lists_as_leaves(v)


class _ListLeaf:
    """Marks a Python list as one value inside a structure (nest would split it)."""

    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v


def _to_tensor(a):
    if isinstance(a, np.ndarray):
        return wrap(a, CPU0)
    if isinstance(a, DatasetV2):   # elements of window()
        return a
    return wrap(np.asarray(a), CPU0)


def _to_tensors(element):
    if type(element) is np.ndarray:
        return wrap(element, CPU0)
    return nest.map_structure(_to_tensor, element)


def _from_fn_result(result):
    """What a map function returned, as a structure of arrays (lists become tuples as TF)."""
    if isinstance(result, list):
        result = tuple(result)
    if result is None:
        raise TypeError("The map function returned None; tf.data functions must return a "
                        "tensor or a (nested) tuple/dict of tensors.")
    try:
        return nest.map_structure(_to_numpy, _lists_as_leaves(result))
    except (ValueError, TypeError) as e:
        raise TypeError(f"Unsupported return value from function passed to Dataset.map(): "
                        f"{result!r}. ({e})") from None


def _call(fn, element):
    """TF's convention: a tuple element is unpacked into positional arguments."""
    args = _to_tensors(element)
    if isinstance(element, tuple) and not hasattr(element, "_fields"):
        return fn(*args)
    return fn(args)


def _spec_of(element, batch_unknown=False):
    def spec(a):
        shape = list(a.shape)
        return TensorSpec(shape, dtypes.as_dtype(a.dtype))
    return nest.map_structure(spec, element)


# -- iteration inside tf.function ----------------------------------------------------------

class _GraphIteration:
    """The run-time state behind one unrolled dataset loop in a traced function."""

    def __init__(self, dataset):
        self.dataset = dataset
        self.spec = dataset.element_spec
        self._it = None

    def next_flat(self, restart):
        if restart or self._it is None:
            self._it = self.dataset._elements()
        try:
            return nest.flatten(next(self._it))
        except StopIteration:
            raise errors.OutOfRangeError(None, None, "End of sequence") from None


def _next_rule(*, iteration, index):
    return [(s.shape, s.dtype) for s in nest.flatten(iteration.spec)]


@op("IteratorGetNext", infer=_next_rule, num_outputs=-1, stateful=True)
def IteratorGetNext(xp, *, iteration, index):
    """The next element of a dataset loop unrolled in a graph (index 0 starts a new pass)."""
    return tuple(xp.asarray(a) for a in iteration.next_flat(index == 0))


not_differentiable(IteratorGetNext)


# -- the base class ----------------------------------------------------------------------

class DatasetV2:
    """Represents a potentially large set of elements (``tf.data.Dataset``)."""

    _spec_cache = None

    # subclasses implement _elements() (a fresh Python iterator of array structures),
    # _cardinality(), and may implement _spec() and the index protocol below.
    def _elements(self):
        raise NotImplementedError

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _spec(self):
        first = next(iter(self._elements()), None)
        if first is None:
            raise ValueError("Cannot determine the element_spec of an empty dataset.")
        return _spec_of(first)

    # Index protocol: datasets that are a reordering of a slice source.
    def _index_orders(self):
        """Returns (source, iterator over the epoch's index array) or None."""
        return None

    # -- inspection --------------------------------------------------------------------
    @property
    def element_spec(self):
        if self._spec_cache is None:
            self._spec_cache = self._spec()
        return self._spec_cache

    def cardinality(self):
        """Number of elements as a scalar int64 tensor; -1 infinite, -2 unknown."""
        return wrap(np.asarray(self._cardinality(), dtype=np.int64), CPU0)

    def __len__(self):
        n = self._cardinality()
        if n == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self):
        return True

    def __iter__(self):
        if _ctx().graph is not None:
            return self._graph_iter()
        return (_to_tensors(element) for element in self._elements())

    def _graph_iter(self):
        """Iteration while tracing a tf.function: one IteratorGetNext op per element, so each
        call of the function draws fresh elements (a new shuffle order, say). TF's AutoGraph
        turns such a loop into a graph loop; without AutoGraph tinytf unrolls it, which
        needs a known, finite cardinality."""
        from tinytf.graph.graph import FuncGraph
        n = self._cardinality()
        if not isinstance(_ctx().graph, FuncGraph) or n < 0:
            what = "infinite" if n == INFINITE_CARDINALITY else "unknown" if n < 0 else "known"
            raise errors.OperatorNotAllowedInGraphError(
                f"Iterating over a tf.data.Dataset of {what} cardinality is not supported "
                "while building this graph: tinytf unrolls dataset loops inside tf.function "
                "only for datasets of known finite cardinality (it has no AutoGraph). Iterate "
                "outside the function and pass each element in, or use dataset.take(n).")
        state = _GraphIteration(self)
        for k in range(n):
            outs = execute(IteratorGetNext, (), {"iteration": state, "index": k})
            yield nest.pack_sequence_as(state.spec, list(outs))

    def as_numpy_iterator(self):
        """Iterates over the elements as NumPy values (scalars as NumPy scalars)."""
        for element in self._elements():
            yield nest.map_structure(lambda a: a[()] if a.ndim == 0 else a, element)

    def reduce(self, initial_state, reduce_func):
        """Reduces all elements into one state: ``state = reduce_func(state, element)``.

        As in TF the initial state becomes tensors, so the result is a tensor structure."""
        from tinytf.framework.tensor_conversion import convert_to_tensor
        state = nest.map_structure(convert_to_tensor, initial_state)
        for element in self._elements():
            args = _to_tensors(element)
            if isinstance(element, tuple) and not hasattr(element, "_fields"):
                state = reduce_func(state, *args)
            else:
                state = reduce_func(state, args)
        return state

    def get_single_element(self):
        it = iter(self)
        first = next(it, None)
        if first is None:
            raise errors.op_error(errors.InvalidArgumentError, "Dataset was empty.",
                                  "DatasetToSingleElement")
        if next(it, None) is not None:
            raise errors.op_error(errors.InvalidArgumentError,
                                  "Dataset had more than one element.", "DatasetToSingleElement")
        return first

    def _tf_class_name(self):
        """The class name TF's repr shows (mostly ours with a leading underscore)."""
        return "_" + type(self).__name__

    def __repr__(self):
        spec = self.element_spec
        return f"<{self._tf_class_name()} element_spec={spec!r}>"

    # -- sources -----------------------------------------------------------------------
    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """A dataset whose elements are slices of ``tensors`` along their first axis."""
        return TensorSliceDataset(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset with a single element, ``tensors``."""
        return TensorDataset(tensors)

    @staticmethod
    def range(*args, output_type=dtypes.int64, name=None):
        """Like Python's range, producing int64 scalars: ``range(stop)``, ``range(a, b, s)``."""
        return RangeDataset(*args, output_type=output_type)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        """Elements from a Python generator function, checked against the signature."""
        return GeneratorDataset(generator, output_types, output_shapes, args,
                                output_signature)

    @staticmethod
    def zip(*datasets, name=None):
        """Zips datasets (a tuple or dict of them, or several arguments) element-wise."""
        if len(datasets) == 1:
            datasets = datasets[0]
        return ZipDataset(datasets)

    @staticmethod
    def list_files(file_pattern, shuffle=None, seed=None, name=None):
        """File names matching a glob pattern (shuffled unless ``shuffle=False``)."""
        return _list_files(file_pattern, shuffle, seed)

    # -- transformations ---------------------------------------------------------------
    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Applies ``map_func`` to each element (tuples are unpacked into arguments)."""
        return MapDataset(self, map_func, num_parallel_calls)

    def filter(self, predicate, name=None):
        """Keeps the elements for which ``predicate`` returns True."""
        return FilterDataset(self, predicate)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Stacks consecutive elements into batches of ``batch_size``."""
        return BatchDataset(self, batch_size, drop_remainder)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        """Batches elements of different shapes, padding each to a common shape."""
        return PaddedBatchDataset(self, batch_size, padded_shapes, padding_values,
                                  drop_remainder)

    def unbatch(self, name=None):
        """Splits each element into its slices along the first axis."""
        return UnbatchDataset(self)

    def rebatch(self, batch_size, drop_remainder=False, name=None):
        return self.unbatch().batch(batch_size, drop_remainder)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=None, name=None):
        """Shuffles with TF's buffer: each output is drawn at random from a buffer of
        ``buffer_size`` elements, which is refilled from the input."""
        return ShuffleDataset(self, buffer_size, seed, reshuffle_each_iteration)

    def repeat(self, count=None, name=None):
        """Repeats the dataset ``count`` times (forever when None or -1)."""
        return RepeatDataset(self, count)

    def take(self, count, name=None):
        return TakeDataset(self, count)

    def skip(self, count, name=None):
        return SkipDataset(self, count)

    def prefetch(self, buffer_size, name=None):
        """Produces elements on a background thread, ``buffer_size`` ahead."""
        return PrefetchDataset(self, buffer_size)

    def cache(self, filename="", name=None):
        """Keeps the elements after the first pass, in memory or in ``filename``."""
        return CacheDataset(self, filename)

    def concatenate(self, dataset, name=None):
        return ConcatenateDataset(self, dataset)

    def enumerate(self, start=0, name=None):
        """Pairs each element with its index: ``(i, element)`` with i int64."""
        return ZipDataset((RangeDataset(start, np.iinfo(np.int64).max), self))

    def flat_map(self, map_func, name=None):
        """Maps each element to a dataset and flattens the result."""
        return FlatMapDataset(self, map_func)

    def interleave(self, map_func, cycle_length=None, block_length=None,
                   num_parallel_calls=None, deterministic=None, name=None):
        """Maps elements to datasets and interleaves ``cycle_length`` of them at a time."""
        return InterleaveDataset(self, map_func, cycle_length, block_length)

    def window(self, size, shift=None, stride=1, drop_remainder=False, name=None):
        """Groups elements into windows, each a dataset of up to ``size`` elements."""
        return WindowDataset(self, size, shift, stride, drop_remainder)

    def apply(self, transformation_func):
        """Applies a function that takes and returns a Dataset."""
        ds = transformation_func(self)
        if not isinstance(ds, DatasetV2):
            raise TypeError("`transformation_func` must return a `tf.data.Dataset` object. "
                            f"Got {type(ds)}.")
        return ds

    def with_options(self, options, name=None):
        return self

    def options(self):
        return Options()


Dataset = DatasetV2


class Options:
    """``tf.data.Options``: accepted and ignored (tinytf has nothing to tune)."""

    def __init__(self):
        self.experimental_deterministic = None
        self.deterministic = None


# -- sources -----------------------------------------------------------------------------

class TensorSliceDataset(DatasetV2):
    def __init__(self, tensors):
        if isinstance(tensors, DatasetV2):
            raise TypeError("from_tensor_slices does not accept a Dataset")
        self._struct = _structure_to_numpy(tensors)
        flat = nest.flatten(self._struct)
        if not flat:
            raise ValueError("Unbatching a dataset is only supported for rank >= 1")
        for a in flat:
            if a.ndim == 0:
                raise ValueError("Unbatching a tensor is only supported for rank >= 1")
        n = flat[0].shape[0]
        for a in flat[1:]:
            if a.shape[0] != n:
                raise ValueError(f"Dimensions {n} and {a.shape[0]} are not compatible")
        self._flat = flat
        self._n = n

    def _cardinality(self):
        return self._n

    def _spec(self):
        return nest.map_structure(
            lambda a: TensorSpec(a.shape[1:], dtypes.as_dtype(a.dtype)), self._struct)

    def _index_orders(self):
        return self, iter([np.arange(self._n)])

    def _gather(self, idx):
        return nest.pack_sequence_as(self._struct, [a[idx] for a in self._flat])

    def _elements(self):
        flat, struct = self._flat, self._struct
        if len(flat) == 1 and not nest.is_nested(struct):
            a = flat[0]
            for i in range(self._n):
                yield a[i, ...]   # `...` keeps 0-d results arrays (object dtype too)
            return
        for i in range(self._n):
            yield nest.pack_sequence_as(struct, [a[i, ...] for a in flat])


class TensorDataset(DatasetV2):
    def __init__(self, tensors):
        self._struct = _structure_to_numpy(tensors)

    def _cardinality(self):
        return 1

    def _spec(self):
        return _spec_of(self._struct)

    def _elements(self):
        yield self._struct


class RangeDataset(DatasetV2):
    def __init__(self, *args, output_type=dtypes.int64):
        if not 1 <= len(args) <= 3:
            raise ValueError(f"Invalid arguments to RangeDataset: {args}")
        start, stop, step = (0, args[0], 1) if len(args) == 1 else (
            args[0], args[1], args[2] if len(args) == 3 else 1)
        start, stop, step = (int(_to_numpy(v)) for v in (start, stop, step))
        if step == 0:
            raise errors.InvalidArgumentError(None, None, "step must be a non-zero integer. "
                                              "[Op:RangeDataset]")
        self._r = range(start, stop, step)
        self._dtype = dtypes.as_dtype(output_type)

    def _cardinality(self):
        return len(self._r)

    def _spec(self):
        return TensorSpec([], self._dtype)

    def _elements(self):
        t = self._dtype._np
        for i in self._r:
            yield np.asarray(i, dtype=t)


class GeneratorDataset(DatasetV2):
    def _tf_class_name(self):
        return "_FlatMapDataset"        # TF builds from_generator as a flat_map

    def __init__(self, generator, output_types, output_shapes, args, output_signature):
        if not callable(generator):
            raise TypeError("`generator` must be a Python callable.")
        if output_signature is None and output_types is None:
            raise TypeError("To specify the output signature you need to provide either the "
                            "`output_signature` argument or the `output_types` argument.")
        if output_signature is not None and (output_types is not None
                                             or output_shapes is not None):
            raise TypeError("The `output_types` and `output_shapes` arguments must not be "
                            "specified alongside `output_signature`.")
        if output_signature is None:
            shapes = output_shapes if output_shapes is not None else nest.map_structure(
                lambda _: None, output_types)
            output_signature = nest.map_structure(
                lambda t, s: TensorSpec(TensorShape(s), t), output_types, shapes)
        self._sig = output_signature
        self._gen = generator
        self._args = tuple(args) if args is not None else ()

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _spec(self):
        return self._sig

    def _elements(self):
        flat_sig = nest.flatten(self._sig)
        args = [_to_tensors(_to_numpy(a)) for a in self._args]
        for value in self._gen(*args):
            if isinstance(value, list) and nest.is_nested(self._sig) and \
                    isinstance(self._sig, tuple):
                value = tuple(value)
            flat = nest.flatten(value) if nest.is_nested(self._sig) else [value]
            if len(flat) != len(flat_sig):
                raise TypeError(f"`generator` yielded an element that did not match the "
                                f"expected structure. The expected structure was "
                                f"{self._sig}, but the yielded element was {value!r}.")
            arrays = []
            for v, spec in zip(flat, flat_sig):
                a = constant_value_array(v if not isinstance(v, Tensor) else v.numpy(),
                                         None)
                if a.dtype != spec.dtype._np:
                    try:
                        a = constant_value_array(v, spec.dtype)
                    except (TypeError, ValueError):
                        raise TypeError(f"`generator` yielded an element of type {a.dtype} "
                                        f"where an element of type {spec.dtype.name} was "
                                        "expected.") from None
                if not spec.shape.is_compatible_with(a.shape):
                    raise TypeError(f"`generator` yielded an element of shape {a.shape} "
                                    f"where an element of shape {spec.shape} was expected.")
                arrays.append(a)
            yield nest.pack_sequence_as(self._sig, arrays) if nest.is_nested(self._sig) \
                else arrays[0]


class ZipDataset(DatasetV2):
    def __init__(self, datasets):
        for d in nest.flatten(datasets):
            if not isinstance(d, DatasetV2):
                raise TypeError(f"Invalid `datasets`. `datasets` is expected to be a "
                                f"(nested) structure of `tf.data.Dataset` objects. Python "
                                f"`list` is not supported and you should use `tuple` "
                                f"instead. Received: {datasets!r}")
        self._datasets = datasets

    def _cardinality(self):
        cards = [d._cardinality() for d in nest.flatten(self._datasets)]
        finite = [c for c in cards if c >= 0]
        if finite:
            return min(finite)
        return UNKNOWN_CARDINALITY if UNKNOWN_CARDINALITY in cards else INFINITE_CARDINALITY

    def _spec(self):
        return nest.map_structure(lambda d: d.element_spec, self._datasets)

    def _elements(self):
        flat = nest.flatten(self._datasets)
        for items in zip(*(d._elements() for d in flat)):
            yield nest.pack_sequence_as(self._datasets, list(items))


def _list_files(pattern, shuffle, seed):
    import glob
    patterns = [pattern] if isinstance(pattern, (str, bytes)) else list(
        np.asarray(_to_numpy(pattern)).reshape(-1))
    names = []
    for p in patterns:
        p = p.decode() if isinstance(p, bytes) else str(p)
        names.extend(sorted(glob.glob(p)))
    if not names:
        raise errors.InvalidArgumentError(None, None, f"Expected 'tf.Tensor({pattern!r}, "
                                          "shape=(), dtype=string)' to be a non-empty "
                                          "pattern that matches files.")
    ds = TensorSliceDataset(np.array([n.encode() for n in names], dtype=object))
    if shuffle is None or shuffle:
        ds = ShuffleDataset(ds, len(names), seed, None)
    return ds


class TextLineDataset(DatasetV2):
    """Lines of one or more text files, without the line endings (``tf.data.TextLineDataset``)."""

    def __init__(self, filenames, compression_type=None, buffer_size=None,
                 num_parallel_reads=None, name=None):
        if isinstance(filenames, DatasetV2):
            self._names = [n for n in filenames.as_numpy_iterator()]
        else:
            arr = _to_numpy(filenames) if not isinstance(filenames, (str, bytes)) else \
                np.array([filenames], dtype=object)
            self._names = list(np.asarray(arr).reshape(-1))
        self._compression = compression_type or ""

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _spec(self):
        return TensorSpec([], dtypes.string)

    def _elements(self):
        import gzip
        import zlib
        for name in self._names:
            name = name.decode() if isinstance(name, bytes) else str(name)
            if not os.path.exists(name):
                raise errors.NotFoundError(None, None, f"{name}; No such file or directory")
            with open(name, "rb") as f:
                data = f.read()
            if self._compression == "GZIP":
                data = gzip.decompress(data)
            elif self._compression == "ZLIB":
                data = zlib.decompress(data)
            lines = data.split(b"\n")
            if lines and lines[-1] == b"":
                lines.pop()
            for line in lines:
                yield np.asarray(line[:-1] if line.endswith(b"\r") else line, dtype=object)


# -- transformations ---------------------------------------------------------------------

class _Unary(DatasetV2):
    def __init__(self, input_dataset):
        if not isinstance(input_dataset, DatasetV2):
            raise TypeError(f"Expected a tf.data.Dataset, got {type(input_dataset)}")
        self._input = input_dataset

    def _cardinality(self):
        return self._input._cardinality()

    def _spec(self):
        return self._input.element_spec


class MapDataset(_Unary):
    def _tf_class_name(self):
        return "_MapDataset" if self._parallel in (None, 1) else "_ParallelMapDataset"

    def __init__(self, input_dataset, fn, num_parallel_calls):
        super().__init__(input_dataset)
        if not callable(fn):
            raise TypeError(f"`map_func` must be callable, got {fn!r}")
        self._fn = fn
        self._parallel = num_parallel_calls

    def _spec(self):
        return DatasetV2._spec(self)

    def _elements(self):
        fn = self._fn
        if self._parallel in (None, 1):
            for element in self._input._elements():
                yield _from_fn_result(_call(fn, element))
            return
        workers = os.cpu_count() or 2 if self._parallel == AUTOTUNE else int(self._parallel)
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = collections.deque()
            for element in self._input._elements():
                pending.append(pool.submit(_call, fn, element))
                if len(pending) >= 2 * workers:
                    yield _from_fn_result(pending.popleft().result())
            while pending:
                yield _from_fn_result(pending.popleft().result())


class FilterDataset(_Unary):
    def __init__(self, input_dataset, predicate):
        super().__init__(input_dataset)
        self._pred = predicate

    def _cardinality(self):
        c = self._input._cardinality()
        return INFINITE_CARDINALITY if c == INFINITE_CARDINALITY else UNKNOWN_CARDINALITY

    def _elements(self):
        for element in self._input._elements():
            keep = _call(self._pred, element)
            k = _to_numpy(keep)
            if k.dtype != np.bool_ or k.ndim != 0:
                raise ValueError(f"Invalid `predicate`. `predicate` must return a "
                                 f"`tf.bool` scalar tensor, but its return type is "
                                 f"{TensorSpec(k.shape, dtypes.as_dtype(k.dtype))}.")
            if k:
                yield element


class BatchDataset(_Unary):
    def __init__(self, input_dataset, batch_size, drop_remainder):
        super().__init__(input_dataset)
        batch_size = int(_to_numpy(batch_size))
        if batch_size <= 0:
            raise errors.InvalidArgumentError(None, None, "Batch size must be greater than "
                                              "zero. [Op:BatchDatasetV2]")
        self._b = batch_size
        self._drop = bool(drop_remainder)

    def _cardinality(self):
        c = self._input._cardinality()
        if c < 0:
            return c
        return c // self._b if self._drop else -(-c // self._b)

    def _spec(self):
        b = self._b if self._drop else None
        return nest.map_structure(lambda s: TensorSpec([b] + s.shape.as_list(), s.dtype)
                                  if s.shape.rank is not None else TensorSpec(None, s.dtype),
                                  self._input.element_spec)

    def _elements(self):
        b, drop = self._b, self._drop
        plan = self._input._index_orders()
        if plan is not None:
            source, orders = plan
            for order in orders:
                n = len(order)
                stop = n - n % b if drop else n
                for i in range(0, stop, b):
                    yield source._gather(order[i:i + b])
            return
        buf = []
        for element in self._input._elements():
            buf.append(element)
            if len(buf) == b:
                yield _stack(buf)
                buf = []
        if buf and not drop:
            yield _stack(buf)


def _stack(elements):
    flats = [nest.flatten(e) for e in elements]
    try:
        cols = [np.stack(col) for col in zip(*flats)]
    except ValueError:
        shapes = [tuple(a.shape for a in f) for f in flats]
        raise errors.InvalidArgumentError(
            None, None, f"Cannot batch tensors with different shapes in component 0. First "
            f"element had shape {list(shapes[0][0])} and a later element had shape "
            f"{next(list(s[0]) for s in shapes if s != shapes[0])}. Use padded_batch or "
            "ragged batching instead.") from None
    return nest.pack_sequence_as(elements[0], cols)


class PaddedBatchDataset(_Unary):
    def __init__(self, input_dataset, batch_size, padded_shapes, padding_values, drop):
        super().__init__(input_dataset)
        self._b = int(batch_size)
        if self._b <= 0:
            raise errors.InvalidArgumentError(None, None, "Batch size must be greater than "
                                              "zero. [Op:PaddedBatchDatasetV2]")
        self._shapes = padded_shapes
        self._values = padding_values
        self._drop = bool(drop)

    def _cardinality(self):
        c = self._input._cardinality()
        if c < 0:
            return c
        return c // self._b if self._drop else -(-c // self._b)

    def _spec(self):
        b = self._b if self._drop else None
        spec = self._input.element_spec
        shapes = self._shapes if self._shapes is not None else nest.map_structure(
            lambda s: s.shape, spec)
        return nest.map_structure(
            lambda s, p: TensorSpec([b] + TensorShape(p).as_list(), s.dtype), spec, shapes)

    def _pad(self, buf):
        flats = [nest.flatten(e) for e in buf]
        spec = nest.flatten(self._input.element_spec)
        shapes = nest.flatten(self._shapes) if self._shapes is not None and nest.is_nested(
            self._shapes) and not isinstance(self._shapes, list) else (
            [self._shapes] if self._shapes is not None else [None] * len(spec))
        if self._shapes is not None and isinstance(self._shapes, list) and \
                not nest.is_nested(self._input.element_spec):
            shapes = [self._shapes]
        values = nest.flatten(self._values) if self._values is not None else [None] * len(spec)
        cols = []
        for j, col in enumerate(zip(*flats)):
            target = shapes[j] if j < len(shapes) else None
            rank = col[0].ndim
            dims = [max(a.shape[k] for a in col) for k in range(rank)]
            if target is not None:
                tdims = TensorShape(target).as_list()
                for k, d in enumerate(tdims):
                    if d is not None:
                        if d < dims[k]:
                            raise errors.InvalidArgumentError(
                                None, None, f"Attempted to pad to a smaller size than the "
                                f"input element. [Op:PaddedBatchDatasetV2]")
                        dims[k] = d
            pad = values[j] if j < len(values) and values[j] is not None else (
                b"" if col[0].dtype == object else 0)
            out = np.full([len(col)] + dims, _to_numpy(pad), dtype=col[0].dtype)
            for i, a in enumerate(col):
                out[(i,) + tuple(slice(0, s) for s in a.shape)] = a
            cols.append(out)
        return nest.pack_sequence_as(buf[0], cols)

    def _elements(self):
        buf = []
        for element in self._input._elements():
            buf.append(element)
            if len(buf) == self._b:
                yield self._pad(buf)
                buf = []
        if buf and not self._drop:
            yield self._pad(buf)


class UnbatchDataset(_Unary):
    def _cardinality(self):
        c = self._input._cardinality()
        return c if c == INFINITE_CARDINALITY else UNKNOWN_CARDINALITY

    def _spec(self):
        return nest.map_structure(lambda s: TensorSpec(s.shape[1:], s.dtype),
                                  self._input.element_spec)

    def _elements(self):
        for element in self._input._elements():
            flat = nest.flatten(element)
            for i in range(flat[0].shape[0]):
                yield nest.pack_sequence_as(element, [a[i, ...] for a in flat])


class ShuffleDataset(_Unary):
    def __init__(self, input_dataset, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(input_dataset)
        self._buffer = int(_to_numpy(buffer_size))
        if self._buffer <= 0 and self._buffer != AUTOTUNE:
            raise errors.InvalidArgumentError(None, None, "buffer_size must be greater than "
                                              "zero. [Op:ShuffleDatasetV3]")
        self._reshuffle = True if reshuffle_each_iteration is None else \
            bool(reshuffle_each_iteration)
        self._base_seed = _op_seed(seed)
        self._epoch = 0

    def _rng(self):
        seed = self._base_seed
        if seed is None:
            return np.random.default_rng()
        epoch = self._epoch if self._reshuffle else 0
        self._epoch += 1
        return np.random.default_rng([seed, epoch])

    def _index_orders(self):
        plan = self._input._index_orders()
        if plan is None:
            return None
        source, orders = plan
        return source, (self._shuffle_order(o, self._rng()) for o in orders)

    def _shuffle_order(self, order, rng):
        if self._buffer >= len(order) or self._buffer == AUTOTUNE:
            return order[rng.permutation(len(order))]
        return np.fromiter(self._buffered(iter(order), rng), dtype=order.dtype,
                           count=len(order))

    def _buffered(self, it, rng):
        buf = []
        for x in it:
            buf.append(x)
            if len(buf) == self._buffer:
                break
        draws = rng.integers(0, 2 ** 62, size=1024)
        k = 0
        for x in it:
            if k == len(draws):
                draws, k = rng.integers(0, 2 ** 62, size=1024), 0
            j = int(draws[k] % len(buf))
            k += 1
            yield buf[j]
            buf[j] = x
        rng.shuffle(buf)
        yield from buf

    def _elements(self):
        plan = self._index_orders()
        if plan is not None:
            source, orders = plan
            for order in orders:
                for i in order:
                    yield source._gather((i, Ellipsis))
            return
        yield from self._buffered(self._input._elements(), self._rng())


def _op_seed(seed):
    """The seed a shuffle uses: its own, else one derived from tf.random.set_seed, else None."""
    if seed is not None:
        return int(_to_numpy(seed))
    try:
        from tinytf.ops import random_ops
        g = getattr(random_ops, "_global_seed", None)
        gseed = g() if callable(g) else g
    except ImportError:
        gseed = None
    if gseed is None:
        return None
    _seed_counter[0] += 1
    return int(gseed) * 1000003 + _seed_counter[0]


class RepeatDataset(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = -1 if count is None else int(_to_numpy(count))

    def _cardinality(self):
        c = self._input._cardinality()
        if self._count == 0:
            return 0
        if self._count < 0:
            return 0 if c == 0 else INFINITE_CARDINALITY
        return c * self._count if c >= 0 else c

    def _index_orders(self):
        if self._count < 0:
            return None
        plan = self._input._index_orders()
        if plan is None:
            return None
        source = plan[0]

        def orders():
            for i in range(self._count):
                yield from (self._input._index_orders()[1] if i else plan[1])
        return source, orders()

    def _elements(self):
        i = 0
        while self._count < 0 or i < self._count:
            empty = True
            for element in self._input._elements():
                empty = False
                yield element
            if empty:
                return
            i += 1


class TakeDataset(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = int(_to_numpy(count))

    def _cardinality(self):
        c = self._input._cardinality()
        if self._count < 0:
            return c
        if c == INFINITE_CARDINALITY:
            return self._count
        if c == UNKNOWN_CARDINALITY:
            return c
        return min(c, self._count)

    def _index_orders(self):
        plan = self._input._index_orders()
        if plan is None or self._count < 0:
            return plan
        source, orders = plan
        return source, _slice_orders(orders, 0, self._count)

    def _elements(self):
        if self._count < 0:
            yield from self._input._elements()
            return
        if self._count == 0:
            return
        for i, element in enumerate(self._input._elements()):
            yield element
            if i + 1 >= self._count:
                return


def _slice_orders(orders, start, stop):
    """The index arrays of a whole pass, limited to positions [start, stop) overall."""
    seen = 0
    for order in orders:
        n = len(order)
        lo, hi = max(start - seen, 0), n if stop is None else min(stop - seen, n)
        if hi > lo:
            yield order[lo:hi]
        seen += n
        if stop is not None and seen >= stop:
            return


class SkipDataset(_Unary):
    def __init__(self, input_dataset, count):
        super().__init__(input_dataset)
        self._count = int(_to_numpy(count))

    def _cardinality(self):
        c = self._input._cardinality()
        if c < 0:
            return c
        if self._count < 0:
            return 0
        return max(c - self._count, 0)

    def _index_orders(self):
        plan = self._input._index_orders()
        if plan is None:
            return None
        source, orders = plan
        if self._count < 0:
            return source, iter([])
        return source, _slice_orders(orders, self._count, None)

    def _elements(self):
        if self._count < 0:
            for _ in self._input._elements():
                pass
            return
        for i, element in enumerate(self._input._elements()):
            if i >= self._count:
                yield element


class PrefetchDataset(_Unary):
    def __init__(self, input_dataset, buffer_size):
        super().__init__(input_dataset)
        n = int(_to_numpy(buffer_size))
        self._n = 2 if n == AUTOTUNE else max(n, 1)

    def _index_orders(self):
        return None

    def _elements(self):
        q = queue.Queue(maxsize=self._n)
        done = object()
        stop = threading.Event()

        def produce():
            try:
                for element in self._input._elements():
                    while not stop.is_set():
                        try:
                            q.put(element, timeout=0.1)
                            break
                        except queue.Full:
                            continue
                    if stop.is_set():
                        return
                q.put(done)
            except BaseException as e:  # noqa: BLE001 - re-raised in the consumer
                q.put(_Raise(e))

        t = threading.Thread(target=produce, daemon=True)
        t.start()
        try:
            while True:
                item = q.get()
                if item is done:
                    return
                if isinstance(item, _Raise):
                    raise item.e
                yield item
        finally:
            stop.set()


class _Raise:
    def __init__(self, e):
        self.e = e


class CacheDataset(_Unary):
    def _tf_class_name(self):
        return "CacheDataset"

    def __init__(self, input_dataset, filename):
        super().__init__(input_dataset)
        self._file = _to_numpy(filename)[()] if not isinstance(filename, str) else filename
        if isinstance(self._file, bytes):
            self._file = self._file.decode()
        self._mem = None

    def _index_orders(self):
        return self._input._index_orders()

    def _gather(self, idx):
        return self._input._gather(idx)

    def _elements(self):
        if self._file:
            yield from self._file_elements()
            return
        if self._mem is not None:
            yield from self._mem
            return
        items = []
        for element in self._input._elements():
            items.append(element)
            yield element
        self._mem = items   # only a complete pass is cached, as TF does

    def _file_elements(self):
        import pickle
        path = self._file + ".tinytf-cache"
        if os.path.exists(path):
            with open(path, "rb") as f:
                yield from pickle.load(f)
            return
        items = []
        for element in self._input._elements():
            items.append(element)
            yield element
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "wb") as f:
            pickle.dump(items, f, protocol=4)
        os.replace(tmp, path)


class ConcatenateDataset(DatasetV2):
    def __init__(self, a, b):
        sa, sb = nest.flatten(a.element_spec), nest.flatten(b.element_spec)
        if len(sa) != len(sb) or any(x.dtype != y.dtype for x, y in zip(sa, sb)):
            raise TypeError(f"Incompatible dataset elements:\n  {a.element_spec} vs. "
                            f"  {b.element_spec}")
        self._a, self._b = a, b

    def _cardinality(self):
        ca, cb = self._a._cardinality(), self._b._cardinality()
        if INFINITE_CARDINALITY in (ca, cb):
            return INFINITE_CARDINALITY
        if UNKNOWN_CARDINALITY in (ca, cb):
            return UNKNOWN_CARDINALITY
        return ca + cb

    def _spec(self):
        return nest.map_structure(
            lambda x, y: TensorSpec(x.shape.most_specific_compatible_shape(y.shape), x.dtype),
            self._a.element_spec, self._b.element_spec)

    def _elements(self):
        yield from self._a._elements()
        yield from self._b._elements()


class FlatMapDataset(_Unary):
    def __init__(self, input_dataset, fn):
        super().__init__(input_dataset)
        self._fn = fn

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _spec(self):
        return DatasetV2._spec(self)

    def _datasets(self):
        for element in self._input._elements():
            ds = _call(self._fn, element)
            if not isinstance(ds, DatasetV2):
                raise TypeError(f"The `map_func` argument must return a `Dataset` object. Got "
                                f"{type(ds)}.")
            yield ds

    def _elements(self):
        for ds in self._datasets():
            yield from ds._elements()


class InterleaveDataset(FlatMapDataset):
    def __init__(self, input_dataset, fn, cycle_length, block_length):
        super().__init__(input_dataset, fn)
        self._cycle = int(cycle_length) if cycle_length not in (None, AUTOTUNE) else (
            os.cpu_count() or 2)
        self._block = 1 if block_length is None else int(block_length)

    def _elements(self):
        sources = self._datasets()
        active = []
        exhausted = False
        while True:
            while not exhausted and len(active) < self._cycle:
                ds = next(sources, None)
                if ds is None:
                    exhausted = True
                else:
                    active.append(ds._elements())
            if not active:
                return
            i = 0
            while i < len(active):
                it = active[i]
                ended = False
                for _ in range(self._block):
                    element = next(it, None)
                    if element is None:
                        ended = True
                        break
                    yield element
                if ended:
                    active.pop(i)
                    if not exhausted:
                        ds = next(sources, None)
                        if ds is None:
                            exhausted = True
                        else:
                            active.insert(i, ds._elements())
                            i += 1
                else:
                    i += 1


class _ListDataset(DatasetV2):
    def __init__(self, items, spec):
        self._items = items
        self._spec_cache = spec

    def _cardinality(self):
        return len(self._items)

    def _elements(self):
        return iter(self._items)


class WindowDataset(_Unary):
    def __init__(self, input_dataset, size, shift, stride, drop_remainder):
        super().__init__(input_dataset)
        self._size = int(size)
        self._shift = self._size if shift is None else int(shift)
        self._stride = int(stride)
        self._drop = bool(drop_remainder)
        if self._size <= 0 or self._shift <= 0 or self._stride <= 0:
            raise errors.InvalidArgumentError(None, None, "Window size, shift and stride must "
                                              "be positive. [Op:WindowDataset]")

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _spec(self):
        return DatasetSpec(self._input.element_spec)

    def _elements(self):
        items = list(self._input._elements())
        spec = self._input.element_spec
        span = (self._size - 1) * self._stride + 1
        for start in range(0, len(items), self._shift):
            window = items[start:start + span:self._stride]
            if not window or (self._drop and len(window) < self._size):
                break
            ds = _ListDataset(window, spec)
            if isinstance(spec, tuple):
                yield tuple(_ListDataset([w[i] for w in window], s) for i, s in
                            enumerate(spec))
            else:
                yield ds

    def __iter__(self):
        return iter(self._elements())


class DatasetSpec:
    """The element_spec of a dataset of datasets (``tf.data.DatasetSpec``)."""

    def __init__(self, element_spec):
        self.element_spec = element_spec

    def __repr__(self):
        return f"DatasetSpec({self.element_spec!r}, TensorShape([]))"

