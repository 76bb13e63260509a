"""``tf.nest``: flatten and rebuild nested structures (lists, tuples, namedtuples, dicts).

Dicts flatten in sorted key order, as in TF. Strings and tensors are leaves.
"""

import collections.abc


def _is_namedtuple(x):
    return isinstance(x, tuple) and hasattr(x, "_fields")


def is_nested(x):
    return isinstance(x, (list, tuple, dict, collections.abc.Mapping)) and \
        not isinstance(x, (str, bytes))


def _children(x):
    if isinstance(x, (dict, collections.abc.Mapping)):
        return [x[k] for k in _sorted(x)]
    return list(x)


def _sorted(d):
    try:
        return sorted(d)
    except TypeError:
        return list(d)


def flatten(structure, expand_composites=False):
    """Returns a flat list of the leaves of ``structure``; a leaf gives ``[leaf]``."""
    if not is_nested(structure):
        return [structure]
    out = []
    _flatten_into(structure, out)
    return out


def _flatten_into(x, out):
    if is_nested(x):
        for c in _children(x):
            _flatten_into(c, out)
    else:
        out.append(x)


def _pack(structure, flat, i):
    if not is_nested(structure):
        return flat[i], i + 1
    if isinstance(structure, (dict, collections.abc.Mapping)):
        res = {}
        for k in _sorted(structure):
            res[k], i = _pack(structure[k], flat, i)
        if type(structure) is dict:
            return {k: res[k] for k in structure}, i
        return type(structure)((k, res[k]) for k in structure), i
    items = []
    for c in structure:
        v, i = _pack(c, flat, i)
        items.append(v)
    if _is_namedtuple(structure):
        return type(structure)(*items), i
    if isinstance(structure, tuple):
        return tuple(items), i
    return items, i


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """Rebuilds ``structure``'s shape around the leaves in ``flat_sequence``."""
    flat = list(flat_sequence)
    n = len(flatten(structure))
    if len(flat) != n:
        raise ValueError(f"The target structure has {n} leaves, but the flat sequence has "
                         f"{len(flat)} items.")
    out, _ = _pack(structure, flat, 0)
    return out


def map_structure(func, *structures, **kwargs):
    """Applies ``func`` leaf-wise to structures of the same shape."""
    if not structures:
        raise ValueError("Must provide at least one structure")
    for s in structures[1:]:
        assert_same_structure(structures[0], s)
    flats = [flatten(s) for s in structures]
    return pack_sequence_as(structures[0], [func(*xs) for xs in zip(*flats)])


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    def sig(x):
        if not is_nested(x):
            return None
        if isinstance(x, (dict, collections.abc.Mapping)):
            return ("dict", tuple((k, sig(x[k])) for k in _sorted(x)))
        t = type(x).__name__ if check_types else "seq"
        return (t, tuple(sig(c) for c in x))
    if sig(nest1) != sig(nest2):
        raise ValueError(f"The two structures don't have the same nested structure.\n\n"
                         f"First structure: {nest1!r}\n\nSecond structure: {nest2!r}")
