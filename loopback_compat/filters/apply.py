"""The memory connector's pipeline on rows: sort, match, project, skip/limit.

# LoopBack: connectors/memory.js _findAllSkippingIncludes (sorting, selectFields,
#           slice); utils.fieldsToArray
"""

import datetime as _dt
import functools
import math
import re

from .. import geo
from ..js.dates import date_ms
from ..js.numbers import is_number
from ..js.values import ASTRAL, UNDEFINED as undefined, less_than, to_number, to_string, truthy
from .match import _get_fast, make_matcher


_DIRECTION = re.compile(r'\s+(A|DE)SC$', re.I)
_DIRECTION_SUB = re.compile(r'\s+(A|DE)SC', re.I)


def _order_keys(order, model_info):
    if not truthy(order):
        order = list(model_info.id_names) if model_info is not None else []
    if isinstance(order, str):
        order = [order]
    keys = []
    for item in order:
        item = to_string(item)
        reverse = 1
        m = _DIRECTION.search(item)
        if m:
            item = _DIRECTION_SUB.sub('', item, count=1)
            if m.group(1).lower() == 'de':
                reverse = -1
        keys.append((item, reverse))
    return keys


def sort_rows(rows, order, model_info=None):
    """A new list of rows sorted as the memory connector sorts (stable).

    # LoopBack: memory connector's sorting(a, b) with filter.order

    No order (None, '') sorts by the model's id properties ascending; an empty
    list leaves the order unchanged.  Each key is 'prop', 'prop ASC' or
    'prop DESC' (dotted paths allowed).  Comparison is JavaScript's < and >:
    a missing (undefined) value sorts FIRST ascending (last descending);
    null compares like 0 against numbers and is neither smaller nor greater
    than strings, so rows mixing null and strings keep an order that depends
    on the sort algorithm (as in juggler); mixed types compare as JS does.
    """
    keys = _order_keys(order, model_info)
    rows = list(rows)
    if not keys:
        return rows
    values = [[_get_fast(r, k) for k, _ in keys] for r in rows]
    idx = list(range(len(rows)))
    fast = [_fast_key(values, i) for i in range(len(keys))]
    if all(f is not None for f in fast):
        for i in reversed(range(len(keys))):
            key_fn = fast[i]
            idx.sort(key=lambda j: key_fn(values[j][i]), reverse=keys[i][1] < 0)
    else:
        def cmp(a, b):
            for i, (_, reverse) in enumerate(keys):
                av, bv = values[a][i], values[b][i]
                if (bv is undefined and av is not undefined) or less_than(bv, av):
                    return reverse
                if (av is undefined and bv is not undefined) or less_than(av, bv):
                    return -reverse
            return 0
        idx.sort(key=functools.cmp_to_key(cmp))
    return [rows[j] for j in idx]


def _fast_key(values, i):
    """A total-order sort key matching JS comparisons for homogeneous columns."""
    col = [v[i] for v in values if v[i] is not undefined]
    if all((is_number(v) and v == v) or v is None or isinstance(v, bool) for v in col):
        return lambda v: (0, 0) if v is undefined else (1, to_number(v))
    if all(isinstance(v, str) for v in col):
        if any(ASTRAL.search(v) for v in col):
            return lambda v: (0, b'') if v is undefined else (1, v.encode('utf-16-be'))
        return lambda v: (0, '') if v is undefined else (1, v)
    if all(isinstance(v, (_dt.datetime, _dt.date)) for v in col):
        return lambda v: (0, 0) if v is undefined else (1, date_ms(v))
    return None


def fields_to_array(fields, model_info):
    """Juggler's fieldsToArray: the list of property names to return, or None for all.

    A string -> [it]; a non-empty list -> itself; a dict -> the truthy keys,
    or when none is truthy all model properties minus the falsy ones; an
    empty list or dict -> None (all fields).  Other values -> all properties.
    Unknown names are kept unless the model setting ``strict`` is truthy.
    """
    if not truthy(fields):
        return None
    props = list(model_info.properties) if model_info is not None else []
    result = props
    if isinstance(fields, str):
        result = [fields]
    elif isinstance(fields, (list, tuple)) and fields:
        result = list(fields)
    elif isinstance(fields, (dict, list, tuple)):
        if not fields:
            return None
        included = [k for k, v in fields.items() if truthy(v)]
        excluded = [k for k, v in fields.items() if not truthy(v)]
        if included:
            result = included
        elif excluded:
            result = [p for p in props if p not in excluded]
    strict = model_info.settings.get('strict') if model_info is not None else None
    if truthy(strict):
        result = [k for k in result if k in props]
    return list(result)


def select_fields(row, fields, model_info=None):
    """The row projected on ``fields`` (juggler's utils.selectFields).

    ``fields`` is a list (dicts and strings are normalised first with
    :func:`fields_to_array`); None means the whole row (a shallow copy).
    Names missing from the row are left out (juggler sets them to undefined).
    """
    if fields is not None and not isinstance(fields, list):
        fields = fields_to_array(fields, model_info)
    if fields is None:
        return dict(row)
    return {k: row[k] for k in fields if k in row}


def apply_filter(rows, filter, model_info):
    """The memory connector's query pipeline: sort, near, match, project, skip/limit.

    # LoopBack: Memory.prototype._findAllSkippingIncludes(model, filter)

    ``filter`` should come from :func:`normalize_filter`.  None returns the
    rows unchanged (a new list).  Rows are not copied unless projected with
    ``fields``; the caller copies before handing data out.  ``include`` is
    ignored here (the DAO resolves it).  Matching errors propagate as
    LoopBackError (see :func:`make_matcher`).  ``near`` clauses of the where
    keep the rows within range, nearest first (geo.filter, after the sort
    and before the match, as juggler's); their GeoPoint errors (400)
    propagate too.
    """
    rows = list(rows)
    if filter is None:
        return rows
    rows = sort_rows(rows, filter.get('order'), model_info)
    where = filter.get('where')
    near = geo.nearFilter(where) if truthy(where) else False
    if near:
        rows = geo.filter(rows, near)
    if truthy(where):
        match = make_matcher(where, model_info)
        rows = [r for r in rows if match(r)]
    fields = filter.get('fields')
    if truthy(fields):
        if not isinstance(fields, list):
            fields = fields_to_array(fields, model_info)
        if fields is not None:
            rows = [select_fields(r, fields) for r in rows]
    skip = filter.get('skip') if truthy(filter.get('skip')) else filter.get('offset')
    skip = to_number(skip) if truthy(skip) else 0
    limit = filter.get('limit')
    limit = to_number(limit) if truthy(limit) else len(rows)
    start = _slice_index(skip, len(rows))
    stop = _slice_index(skip + limit, len(rows))
    return rows[start:stop]


def _slice_index(n, length):
    """Array.prototype.slice's index clamping."""
    if n != n:
        return 0
    if n < 0:
        return max(0, length + math.floor(n)) if not math.isinf(n) else 0
    return length if math.isinf(n) else min(length, int(n))
