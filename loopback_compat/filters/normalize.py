"""Parsing a REST filter and normalising a filter (juggler's ``_normalize``).

# LoopBack: Model._normalize(filter, options); strong-remoting's coercion of
#           the JSON-encoded `filter` argument

:func:`normalize_filter` checks limit/skip/offset, order and fields, bounds
the filter's size, sanitises it and coerces its where.  The filters relations
and findById send on every call take :func:`_fast_normalize`, which gives the
same result without the general path's recursive walk (its domain is stated
there; tests/test_filters.py checks it equals the general path).
"""

import math
import re

from ..errors import bad_request
from ..js.json import parse_json, stringify
from ..js.values import UNDEFINED as undefined, to_number, to_string, truthy
from .apply import fields_to_array
from .coerce import _COERCERS, _coerce, _coerce_number, _identity
from .info import _REGEXP_OPERATORS, ModelInfo
from .sanitize import _WS_SPLIT, _check_order_allowed, check_complexity, sanitize_query


def _valid_count(num, allow_zero):
    if num != num:
        return False
    if num < 0 or (num == 0 and not allow_zero):
        return False
    return math.isinf(num) or float(num).is_integer()


def _as_int(num):
    return num if isinstance(num, float) and math.isinf(num) else int(num)


def normalize_filter(filter, model_info, options=None):
    """A normalised copy of a filter (juggler's ``_normalize``); never mutates the input.

    # LoopBack: Model._normalize(filter, options)  (called by find/findOne/...)

    - None/falsy -> {} (juggler: the DAO turns a missing filter into {}).
    - Not a dict -> 400 'The query filter <json> is not an object'.
    - When limit, skip or offset is truthy: limit = Number(limit || 100) must be a
      positive integer ('The limit parameter <json> is not valid'), skip =
      Number(skip || offset || 0) a non-negative integer ('The offset/skip
      parameter <json> is not valid'); then limit, skip and offset are all set
      (skip wins over offset).  limit 0 alone is left as is (= no limit).
    - order: 'a DESC, b' or a list -> list of 'prop' / 'prop ASC|DESC' strings
      (a single string stays a string); bad direction -> 400
      'The order "<token>" has invalid direction'; non-string -> 400
      'The order <json> is not valid'.
    - fields: see :func:`fields_to_array`; an empty list/dict drops the key.
    - the whole filter is sanitised, then ``where`` coerced (:func:`coerce_where`).
    """
    options = options or {}
    model_info = model_info or ModelInfo('', {}, [])
    fast = _fast_normalize(filter, model_info, options)
    if fast is not None:
        return fast
    if not truthy(filter):
        return {}
    if not isinstance(filter, dict):
        raise bad_request('The query filter %s is not an object' % stringify(filter))
    f = dict(filter)
    limit, skip, offset = (f.get(k, undefined) for k in ('limit', 'skip', 'offset'))
    if truthy(limit) or truthy(skip) or truthy(offset):
        num_limit = to_number(limit if truthy(limit) else 100)
        num_skip = to_number(skip if truthy(skip) else offset if truthy(offset) else 0)
        if not _valid_count(num_limit, False):
            raise bad_request('The limit parameter %s is not valid' % stringify(limit))
        if not _valid_count(num_skip, True):
            raise bad_request('The offset/skip parameter %s is not valid'
                              % stringify(skip if truthy(skip) else offset))
        f['limit'] = _as_int(num_limit)
        f['offset'] = f['skip'] = _as_int(num_skip)
    if truthy(f.get('order')):
        f['order'] = _normalize_order(f['order'])
        _check_order_allowed(f['order'], model_info, options)
    check_complexity(f)
    if truthy(f.get('fields')):
        fields = fields_to_array(f['fields'], model_info)
        if fields is None:
            del f['fields']
        else:
            f['fields'] = fields
    f = sanitize_query(f, model_info, options)
    if 'where' in f:
        f['where'] = _coerce(f['where'], model_info, options, model_info)
    return f


# Fast path of normalize_filter for the filters relations and findById send on
# every call ({'where': {fk: value}}, maybe with a positive int limit): the
# same result as the general path, without its recursive sanitising walk.
# Anything outside that narrow shape (operators other than a lone inq,
# and/or, dotted or regexp-operator keys, undefined values, nested or array
# properties, query settings that change sanitising) takes the general path.

_FAST_FILTER_KEYS = frozenset(('where', 'limit'))
_FAST_SCALARS = (int, str, bool, float, type(None))
#: coercer -> the type it returns its argument unchanged for
_COERCED_AS_IS = {_coerce_number: int, to_string: str}
_SLOW_KEYS = frozenset(('and', 'or', 'nor') + _REGEXP_OPERATORS)
_QUERY_SETTINGS = ('prohibitHiddenPropertiesInQuery', 'maxDepthOfQuery',
                   'normalizeUndefinedInQuery', 'allowExtendedOperators')


def _fast_normalize(filter, model_info, options):
    """normalize_filter's result for a simple filter, or None (use the general path)."""
    if type(filter) is not dict or not filter.keys() <= _FAST_FILTER_KEYS:
        return None
    for key in _QUERY_SETTINGS:
        if model_info.setting(key, options) is not None:
            return None
    f = dict(filter)
    if 'limit' in f:
        limit = f['limit']
        if type(limit) is not int or limit < 1:
            return None
        f['offset'] = f['skip'] = 0
    if 'where' not in f:
        return f
    where = f['where']
    if type(where) is not dict:
        return None
    out = {}
    for p, clause in where.items():
        if type(p) is not str or p in _SLOW_KEYS or '.' in p:
            return None
        ptype = model_info.prop_type(p)
        if ptype is None:
            coerce = _identity
        elif type(ptype) is str:
            coerce = _COERCERS.get(ptype)
            if coerce is None:
                return None
        else:
            return None
        if type(clause) in _FAST_SCALARS:
            # None stays; an int for a number (a str for a string) is its own coercion
            out[p] = clause if clause is None or _COERCED_AS_IS.get(coerce) is type(clause) \
                else coerce(clause)
        elif type(clause) is dict and len(clause) == 1 and type(clause.get('inq')) is list:
            values = clause['inq']
            kinds = set(map(type, values))
            if not kinds <= _FLAT:
                return None
            if len(kinds) == 1 and _COERCED_AS_IS.get(coerce) in kinds:
                out[p] = {'inq': list(values)}   # e.g. int keys of a number property
            else:
                out[p] = {'inq': [v if v is None else coerce(v) for v in values]}
        else:
            return None
    f['where'] = out
    return f


_ORDER_SPLIT = re.compile(r'(?:\s*,\s*)+')


def _normalize_order(order):
    items = order if isinstance(order, list) else [order]
    fields = []
    for item in items:
        if not isinstance(item, str):
            raise bad_request('The order %s is not valid' % stringify(item))
        for token in _ORDER_SPLIT.split(item):
            if not token:
                continue
            parts = _WS_SPLIT.split(token)
            if len(parts) >= 2:
                direction = parts[1].upper()
                if direction not in ('ASC', 'DESC'):
                    raise bad_request('The order %s has invalid direction' % stringify(token))
                token = parts[0] + ' ' + direction
            fields.append(token)
    if len(fields) == 1 and isinstance(order, str):
        return fields[0]
    return fields


# ---------------------------------------------------------------------------
# parse (REST: strong-remoting's object coercion)

_LOOKS_LIKE_OBJECT = re.compile(r'^\s*\{[\s\S]*\}\s*$')


def looks_like_json_object(value):
    """Whether ``value`` is a string :func:`parse_filter` reads as a JSON object."""
    return isinstance(value, str) and _LOOKS_LIKE_OBJECT.match(value) is not None


def parse_filter(filter):
    """A fresh filter dict from None, a dict or a JSON string (as REST passes it).

    # LoopBack: strong-remoting coercing the `filter` argument (type 'object')

    None, '' and 'null' -> {}; a string that looks like a JSON object but does
    not parse -> 400 'Cannot parse JSON-encoded object value.'; anything else
    that is not an object (other strings, lists, numbers) -> 400
    'Value is not an object.'.  The caller's dict is deep-copied, never mutated.
    """
    if filter is None or filter is undefined:
        return {}
    if isinstance(filter, str):
        if filter in ('', 'null'):
            return {}
        if _LOOKS_LIKE_OBJECT.match(filter):
            try:
                filter = parse_json(filter, parse_constant=_reject_constant)
            except ValueError:
                raise bad_request('Cannot parse JSON-encoded object value.')
        else:
            raise bad_request('Value is not an object.')
    if not isinstance(filter, dict):
        raise bad_request('Value is not an object.')
    return _deep_copy(filter)


def _reject_constant(name):
    raise ValueError('%s is not JSON' % name)


def _deep_copy(v):
    if isinstance(v, dict):
        return {k: _deep_copy(x) for k, x in v.items()}
    if isinstance(v, list):
        if set(map(type, v)) <= _FLAT:
            return list(v)   # an inq list of keys: nothing inside to copy
        return [_deep_copy(x) for x in v]
    return v


_FLAT = frozenset(_FAST_SCALARS)   # immutable: a list of them is copied shallowly
