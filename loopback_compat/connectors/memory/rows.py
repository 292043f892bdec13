"""Copies of memory rows: what the memory connector hands out and takes in.

Rows are stored as the connector's own dicts; every row handed out (and every
row taken in) is a copy, so callers may mutate what they get.  A row taken in
is stored as juggler's JSON text would give it back (:func:`_stored_row`:
NaN and the infinities become None).  A row whose
values are all flat (str, numbers, None, datetimes...) is copied with one
``dict()``; nested dicts and lists are copied deeply, and a model instance
(an embedded model's) is stored as its data (``toObject(False)``).
"""

from itertools import chain, islice, repeat
from math import isfinite
from operator import lt

from ...gc_pause import BATCH_MIN, gc_paused
from ...types import FLAT_VALUE_TYPES, FlatRows


def _copy(value):
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if hasattr(value, '_initProperties'):
        # a model instance (an embedded model's, model/sub_models.py): its
        # data, as JSON text would keep it, never the live instance
        return _copy(value.toObject(False))
    return value


def _copy_row(row):
    out = dict(row)
    if set(map(type, out.values())) <= FLAT_VALUE_TYPES:
        return out    # nothing nested to copy (the usual row)
    for key, value in out.items():
        if type(value) not in FLAT_VALUE_TYPES:
            out[key] = _copy(value)
    return out


def _stored_row(data):
    """The copy of ``data`` a write stores: ``_copy_row``, with NaN and the
    infinities as None, since juggler's memory connector keeps each row as
    JSON text (``JSON.stringify`` writes them null) and reads null back.
    Only a row holding a float pays for the check."""
    out = _copy_row(data)
    kinds = set(map(type, out.values()))
    if float in kinds:
        for key, value in out.items():
            if type(value) is float and not isfinite(value):
                out[key] = None
    if list in kinds or dict in kinds:
        for value in out.values():
            if type(value) in _NESTED:
                _null_non_finite(value)
    return out


_NESTED = (list, dict)


def _null_non_finite(value):
    """In the row's own copy of a list or dict: NaN and the infinities at any
    depth become None (``[NaN]`` is ``[null]`` in JSON text)."""
    for key, item in (value.items() if type(value) is dict else enumerate(value)):
        if type(item) is float and not isfinite(item):
            value[key] = None
        elif type(item) in _NESTED:
            _null_non_finite(item)


def _copy_rows(rows):
    """``[_copy_row(row) for row in rows]``, flat rows copied without a call each."""
    if len(rows) >= BATCH_MIN:
        with gc_paused():
            return _copy_each(rows)
    return _copy_each(rows)


def _copy_each(rows):
    copies = FlatRows(map(dict, rows))
    # the usual case, all values flat, is checked over all rows at once (in C)
    if set(map(type, chain.from_iterable(map(dict.values, copies)))) <= FLAT_VALUE_TYPES:
        return copies
    return [_copy_row(row) for row in rows]


_INT_ONLY = {int}


def _in_id_order(rows, id_names):
    """True when the rows' single id is an int, strictly ascending: the default
    order by id would leave them as they are, so the sort can be skipped."""
    if len(id_names) != 1:
        return False
    ids = list(map(dict.get, rows, repeat(id_names[0])))
    return set(map(type, ids)) <= _INT_ONLY and all(map(lt, ids, islice(ids, 1, None)))

