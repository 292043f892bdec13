"""Sanitising queries and data, and the bounds on what one filter may ask for.

# LoopBack: lib/utils.js sanitizeQuery (Model._sanitizeQuery), Model._sanitizeData,
#           the hidden/protected property checks of Model._getHiddenProperties...

:func:`sanitize_query` is the recursive walk every general-path query takes:
``undefined`` values dropped (or nullified / refused, by setting), nesting
and circularity bounded, hidden and protected properties removed (or a 400),
invalid regexp operands escaped.  :func:`check_complexity` bounds a filter's
order terms, include entries and where terms (deliberate fixes: juggler has
no such bounds).
"""

import datetime as _dt
import math
import re
from decimal import Decimal

from ..errors import LoopBackError, bad_request
from ..js.regexp import escape_invalid
from ..js.values import UNDEFINED as undefined, is_object, to_number, to_string, truthy
from .info import _REGEXP_OPERATORS, ModelInfo


def _prohibited(key, prohibited):
    if not prohibited or not isinstance(key, str):
        return False
    parts = key.split('.')
    return any(k == key or k in parts for k in prohibited)


def _as_key_list(value):
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, dict):
        return [k for k, v in value.items() if truthy(v)]
    return []


def sanitize_query(query, model_info=None, options=None, is_where=False):
    """A sanitised deep copy of a filter or where (juggler's ``_sanitizeQuery``).

    - ``undefined`` values are dropped (also from lists), or with
      ``normalizeUndefinedInQuery`` 'nullify' become None, or with 'throw'
      raise ``Unexpected `undefined` in query`` (no statusCode, as juggler);
    - nesting deeper than ``maxDepthOfQuery`` (default 32) -> 400
      QUERY_OBJECT_TOO_DEEP; a circular structure -> 400 QUERY_OBJECT_IS_CIRCULAR;
    - with ``prohibitHiddenPropertiesInQuery`` hidden (and with
      ``prohibitProtectedPropertiesInQuery`` protected) properties are removed
      (with the REST layer's :data:`REJECT_PROHIBITED` option, one named in the
      where is a 400 instead: ``is_where`` says ``query`` is a where);
    - a string under like/nlike/ilike/nilike/regexp that is not a valid regex
      has its special characters escaped.
    Non-dict, non-list values (dates, regexps) are kept by reference.
    """
    options = options or {}
    info = model_info or ModelInfo('', {}, [])
    max_depth = info.setting('maxDepthOfQuery', options)
    prohibited = prohibited_properties(info, options)
    reject = bool(options.get(REJECT_PROHIBITED) and prohibited)
    return _Sanitizer(info, 32 if max_depth is None else to_number(max_depth),
                      info.setting('normalizeUndefinedInQuery', options),
                      prohibited, reject).walk(query, is_where)


def sanitize_data(data, model_info, options=None):
    """Data to write, sanitised as juggler's ``_sanitizeData`` does.

    # LoopBack: Model._sanitizeData(data, options)

    The query sanitiser's walk with ``maxDepthOfData`` (default 64; LB3's REST
    layer passes 32) and no prohibited keys: data nested deeper is a 400
    QUERY_OBJECT_TOO_DEEP ('The query object exceeds maximum depth N', juggler's
    text), so no connector stores a value it could not read back.  Flat data
    (no dict or list value) only has its ``undefined`` values dropped.
    """
    options = options or {}
    if type(data) is dict:
        kinds = set(map(type, data.values()))
        if kinds <= _FLAT_KINDS:          # nothing to walk (a write's usual data)
            if _UNDEFINED_KIND in kinds:
                return {k: v for k, v in data.items() if v is not undefined}
            return dict(data)
    max_depth = model_info.setting('maxDepthOfData', options)
    max_depth = 64 if max_depth is None else to_number(max_depth)
    # juggler: options.maxDepth || MAX_SAFE_INTEGER, so 0 (or NaN) means no limit
    if not truthy(max_depth):
        max_depth = math.inf
    return _Sanitizer(model_info, max_depth, options.get('normalizeUndefinedInQuery'),
                      [], False).walk(data, False)


_UNDEFINED_KIND = type(undefined)
#: Value types with nothing inside to walk; anything else (containers, their
#: subclasses, model instances...) takes the full walk.
_FLAT_KINDS = frozenset((str, int, float, bool, type(None), _dt.datetime, Decimal,
                         _UNDEFINED_KIND))


class _Sanitizer:
    """One walk of juggler's sanitizeQuery over a query or data object."""

    def __init__(self, info, max_depth, undefined_mode, prohibited, reject):
        self.info = info
        self.max_depth = max_depth
        self.mode = undefined_mode
        self.prohibited = prohibited
        self.reject = reject
        self.ancestors = []

    def walk(self, value, is_where):
        return self.visit(value, None, 0, is_where)[1]

    def visit(self, x, key, level, in_where):
        """``(keep, value)`` for ``x`` found under ``key`` at depth ``level``."""
        if is_object(x) and any(a is x for a in self.ancestors):
            raise LoopBackError('The query object is circular', statusCode=400,
                                code='QUERY_OBJECT_IS_CIRCULAR')
        if level > self.max_depth:
            raise LoopBackError('The query object exceeds maximum depth %s'
                                % to_string(self.max_depth),
                                statusCode=400, code='QUERY_OBJECT_TOO_DEEP')
        if level and _prohibited(key, self.prohibited):
            if self.reject and in_where:
                raise prohibited_property_error(self.info, key, 'where')
            return False, None
        if x is undefined:
            if self.mode == 'nullify':
                return True, None
            if self.mode == 'throw':
                raise LoopBackError('Unexpected `undefined` in query')
            return False, None
        if isinstance(x, dict):
            self.ancestors.append(x)
            out = {}
            for k, v in x.items():
                keep, nv = self.visit(v, k, level + 1, in_where or (level == 0 and k == 'where'))
                if keep:
                    out[k] = nv
            self.ancestors.pop()
            return True, out
        if isinstance(x, (list, tuple)):
            self.ancestors.append(x)
            out = []
            for idx, v in enumerate(x):
                keep, nv = self.visit(v, str(idx), level + 1, in_where)
                if keep:
                    out.append(nv)
            self.ancestors.pop()
            return True, out
        if key in _REGEXP_OPERATORS and isinstance(x, str):
            return True, escape_invalid(x)
        return True, x


#: Option the REST layer sets: a where or order naming a prohibited (hidden,
#: or protected) property is a 400 instead of being dropped (deliberate fix:
#: a dropped where widens a write, an order leaks the hidden value).
REJECT_PROHIBITED = 'rejectProhibitedPropertiesInQuery'


def prohibited_properties(info, options):
    """The property names a query may not use (juggler's hidden/protected lists)."""
    if not truthy(info.setting('prohibitHiddenPropertiesInQuery', options)):
        return []
    s = info.settings
    names = _as_key_list(s.get('hiddenProperties') or s.get('hidden') or [])
    if truthy(options.get('prohibitProtectedPropertiesInQuery')):
        names += _as_key_list(s.get('protectedProperties') or s.get('protected') or [])
    return names


def prohibited_property_error(info, key, where):
    hidden = info.settings.get('hiddenProperties') or info.settings.get('hidden') or []
    kind = 'hidden' if any(_prohibited(key, [h]) for h in _as_key_list(hidden)) else 'protected'
    return LoopBackError('The %s property "%s" of %s cannot be used in "%s"'
                         % (kind, key, info.name or 'the model', where),
                         statusCode=400, code='PROHIBITED_PROPERTY_IN_QUERY')


def _check_order_allowed(order, info, options):
    if not options.get(REJECT_PROHIBITED):
        return
    prohibited = prohibited_properties(info, options)
    for term in ([order] if isinstance(order, str) else order):
        prop = _WS_SPLIT.split(term.strip())[0]
        if _prohibited(prop, prohibited):
            raise prohibited_property_error(info, prop, 'order')


_WS_SPLIT = re.compile(r'\s+')


# Bounds on what one filter may ask for (not in juggler: deliberate fixes).  A
# legitimate filter stays far below them; past them a REST client could make
# one request stall the server (thousands of include entries or order terms).
MAX_ORDER_TERMS = 100
MAX_INCLUDE_ENTRIES = 100
MAX_WHERE_TERMS = 500


def _too_complex(what, limit):
    return bad_request('The query filter has more than %d %s' % (limit, what),
                       code='QUERY_TOO_COMPLEX')


def check_complexity(filter):
    """Raise a 400 QUERY_TOO_COMPLEX when ``filter`` (normalised order) is past the bounds."""
    order = filter.get('order')
    if isinstance(order, list) and len(order) > MAX_ORDER_TERMS:
        raise _too_complex('order terms', MAX_ORDER_TERMS)
    if _include_entries(filter.get('include'), MAX_INCLUDE_ENTRIES) > MAX_INCLUDE_ENTRIES:
        raise _too_complex('include entries', MAX_INCLUDE_ENTRIES)
    if _where_terms(filter.get('where'), MAX_WHERE_TERMS) > MAX_WHERE_TERMS:
        raise _too_complex('where terms', MAX_WHERE_TERMS)


def _include_entries(include, limit):
    """How many relations an include spec names, nested ones too (stops past ``limit``)."""
    count, stack = 0, [include]
    while stack and count <= limit:
        item = stack.pop()
        if isinstance(item, str):
            count += 1
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            if isinstance(item.get('relation') or item.get('rel'), str):
                count += 1
                scope = item.get('scope')
                if isinstance(scope, dict):
                    stack.append(scope.get('include'))
            else:
                count += len(item)
                stack.extend(item.values())
    return count


def _where_terms(where, limit):
    """How many property and and/or terms a where holds (operand lists not counted)."""
    count, stack = 0, [where]
    while stack and count <= limit:
        item = stack.pop()
        if isinstance(item, dict):
            count += len(item)
            for key, value in item.items():
                if key in ('and', 'or', 'nor') and isinstance(value, (list, tuple)):
                    stack.extend(value)
        elif isinstance(item, (list, tuple)):
            stack.extend(item)
    return count
