"""LoopBack filters: parsing, normalising, coercing and matching, as pure functions.

# LoopBack: Model._normalize(filter), Model._coerce(where), Model._sanitizeQuery(q)
#           and the memory connector's applyFilter / sorting / selectFields.

Nothing here does I/O or touches the loop.  Errors are raised as
``LoopBackError`` (statusCode 400 where juggler sets it); the DAO catches them
and delivers them through the callback.

Interface
---------
``ModelInfo(name, properties, id_names, settings=None)`` describes one model:
``properties`` maps a property name to a dict whose ``'type'`` is a LoopBack
type name ('string', 'number', 'boolean', 'date', 'object', 'array', 'any',
'json'), a one-element list for typed arrays (``['string']``), or a nested
``ModelInfo`` for embedded models.  ``ModelInfo.from_definition(properties,
id_names, name, settings=None)`` accepts juggler-style definitions too
(Python types, capitalised names, ``{'type': ...}`` or a bare type) and
normalises them.  ``settings`` are model settings consulted for
``allowExtendedOperators``, ``normalizeUndefinedInQuery``,
``maxDepthOfQuery``, ``prohibitHiddenPropertiesInQuery``, ``hidden``,
``protected`` and ``strict`` (method ``options`` win over settings, as in
juggler's ``_getSetting``; data source settings are not consulted).

Pipeline::

    f = parse_filter(raw)                      # REST: JSON string -> dict
    f = normalize_filter(f, info, options)     # validate limit/skip/order/fields, coerce where
    rows = apply_filter(rows, f, info)         # memory connector: match, sort, project, slice
    where = coerce_where(where, info, options) # count/updateAll/destroyAll
    match = make_matcher(where, info)          # fn(row) -> bool

Values follow JavaScript: ``None`` is ``null``; :data:`undefined` stands for
``undefined`` (a where value equal to it is dropped, so ``{'fk': undefined}``
matches every row); a missing row property reads as ``undefined``.  Rows hold
``datetime`` for date properties (juggler's memory connector revives Dates).
Regular expressions are ``re.Pattern`` objects; JavaScript regex sources
(``'/^a/i'`` strings, like-patterns) are translated to Python syntax.  The
matcher runs them through :mod:`safe_regex` (RE2, or a backtracking engine
on a time budget of 0.2 s per query: past it the query is a 400
REGEXP_TOO_COMPLEX), never through ``re``'s unbounded backtracking.

Where juggler's behaviour looks wrong it is kept on purpose; see the notes
on :func:`make_matcher` and :func:`sort_rows`.
"""

import datetime as _dt
import email.utils
import functools
import json
import math
import re
import threading
import warnings
from decimal import Decimal

from . import safe_regex
from .errors import LoopBackError, TypeError_, UnknownOperatorWarning, bad_request
from .js_text import UNDEFINED as undefined, parse_json

__all__ = [
    'undefined', 'ModelInfo', 'parse_filter', 'normalize_filter', 'sanitize_query',
    'sanitize_data',
    'coerce_where', 'make_matcher', 'sort_rows', 'select_fields', 'fields_to_array',
    'apply_filter', 'to_regexp', 'like_to_regexp', 'js_loose_equal', 'js_json',
    'js_to_number', 'js_to_string', 'js_truthy', 'js_new_date', 'OPERATORS',
]


# ---------------------------------------------------------------------------
# undefined



_UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
_NAN = float('nan')

# Juggler's operator table; its order decides which operator wins when a
# clause names several ({gt: 1, lt: 5} keeps only gt).
OPERATORS = ('eq', 'gt', 'gte', 'lt', 'lte', 'between', 'inq', 'nin', 'neq',
             'like', 'nlike', 'ilike', 'nilike', 'regexp')
_REGEXP_OPERATORS = ('like', 'nlike', 'ilike', 'nilike', 'regexp')


# ---------------------------------------------------------------------------
# ModelInfo

_TYPE_NAMES = {
    'string': 'string', 'str': 'string', 'text': 'string',
    'number': 'number', 'int': 'number', 'integer': 'number', 'float': 'number',
    'boolean': 'boolean', 'bool': 'boolean',
    'date': 'date', 'datetime': 'date',
    'object': 'object', 'dict': 'object',
    'json': 'json',
    'array': 'array', 'list': 'array',
    'any': 'any',
    'geopoint': 'geopoint',
    'buffer': 'any',
}
_PY_TYPES = {str: 'string', int: 'number', float: 'number', bool: 'boolean',
             _dt.datetime: 'date', _dt.date: 'date', dict: 'object', list: 'array',
             object: 'any'}


def _type_name(t):
    """A LoopBack type name, a one-element list of one, a ModelInfo, or None."""
    if t is None:
        return None
    if isinstance(t, ModelInfo):
        return t
    if isinstance(t, (list, tuple)):
        return [_type_name(t[0])] if t else 'array'
    if isinstance(t, type):
        return _PY_TYPES.get(t, 'any')
    if isinstance(t, str):
        return _TYPE_NAMES.get(t.lower(), 'any')
    return 'any'


class ModelInfo:
    """What filter handling needs to know about a model.

    ``properties``: name -> dict with a normalised ``'type'`` (see module doc);
    the constructor normalises type spellings itself (copies, never mutates).
    ``id_names``: id property names, in order (default sort order).
    ``settings``: model settings (dict).
    """

    __slots__ = ('name', 'properties', 'id_names', 'settings')

    def __init__(self, name, properties, id_names, settings=None):
        self.name = name
        self.properties = {}
        for key, spec in (properties or {}).items():
            spec = dict(spec) if isinstance(spec, dict) else {'type': spec}
            spec['type'] = _type_name(spec.get('type'))
            self.properties[key] = spec
        self.id_names = list(id_names or [])
        self.settings = dict(settings or {})

    @classmethod
    def from_definition(cls, properties, id_names, name, settings=None):
        """Build one from juggler-style property definitions (types in any spelling)."""
        return cls(name, properties, id_names, settings)

    def prop_type(self, name):
        spec = self.properties.get(name)
        return spec.get('type') if isinstance(spec, dict) else None

    def setting(self, key, options=None):
        """Method option, else model setting (juggler's ``_getSetting``)."""
        if options and options.get(key, undefined) is not undefined:
            return options[key]
        return self.settings.get(key)

    def __repr__(self):
        return 'ModelInfo(%r, %r, %r)' % (self.name, list(self.properties), self.id_names)


# ---------------------------------------------------------------------------
# JavaScript value semantics

def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_object(v):
    """typeof v === 'object' && v !== null (dicts, lists, dates, regexps...)."""
    return not (v is None or v is undefined or isinstance(v, (str, bool, int, float)))


def js_truthy(v):
    """JavaScript truthiness: [] and {} are true, 0/''/NaN/null/undefined false."""
    if v is None or v is undefined or v is False:
        return False
    if isinstance(v, str):
        return v != ''
    if _is_number(v):
        return not (v == 0 or v != v)
    return True


_JS_WS = ' \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007' \
         '\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'
_DEC_RE = re.compile(r'[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)\Z')
_RADIX_RE = re.compile(r'0([xXoObB])([0-9a-fA-F]+)\Z')


def _str_to_number(s):
    s = s.strip(_JS_WS)
    if s == '':
        return 0
    if _DEC_RE.match(s):
        f = float(s)
        return int(f) if f.is_integer() and abs(f) < 1e21 else f
    if s in ('Infinity', '+Infinity'):
        return float('inf')
    if s == '-Infinity':
        return float('-inf')
    m = _RADIX_RE.match(s)
    if m:
        base = {'x': 16, 'o': 8, 'b': 2}[m.group(1).lower()]
        try:
            return int(m.group(2), base)
        except ValueError:
            return _NAN
    return _NAN


def _date_ms(d):
    if not isinstance(d, _dt.datetime):
        d = _dt.datetime(d.year, d.month, d.day, tzinfo=_UTC)
    elif d.tzinfo is None:
        d = d.replace(tzinfo=_UTC)
    delta = d - _EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def js_to_number(v):
    """JavaScript ``Number(v)``."""
    kind = type(v)
    if kind is int or kind is float:
        return v
    if isinstance(v, bool):
        return int(v)
    if _is_number(v):
        return v
    if v is None:
        return 0
    if v is undefined:
        return _NAN
    if isinstance(v, str):
        return _str_to_number(v)
    if isinstance(v, (_dt.datetime, _dt.date)):
        return _date_ms(v)
    return js_to_number(_to_primitive(v))


def _num_str(x):
    """JavaScript's Number::toString for a Python int or float."""
    if isinstance(x, int):
        return str(x)
    if x != x:
        return 'NaN'
    if math.isinf(x):
        return 'Infinity' if x > 0 else '-Infinity'
    if x == 0:
        return '0'
    if x.is_integer() and abs(x) < 2 ** 53:
        return str(int(x))
    sign, digits, exp = Decimal(repr(x)).as_tuple()
    digits = list(digits)
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exp += 1
    d = ''.join(map(str, digits))
    k, n = len(d), len(d) + exp
    if k <= n <= 21:
        out = d + '0' * (n - k)
    elif 0 < n <= 21:
        out = d[:n] + '.' + d[n:]
    elif -6 < n <= 0:
        out = '0.' + '0' * (-n) + d
    else:
        e = n - 1
        out = (d if k == 1 else d[0] + '.' + d[1:]) + 'e' + ('+' if e >= 0 else '-') + str(abs(e))
    return ('-' if sign else '') + out


_DAYS = ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')
_MONTHS = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')


def _utc(d):
    if not isinstance(d, _dt.datetime):
        return _dt.datetime(d.year, d.month, d.day, tzinfo=_UTC)
    return d.replace(tzinfo=_UTC) if d.tzinfo is None else d.astimezone(_UTC)


def _date_to_string(d):
    """``Date.prototype.toString`` in a process whose time zone is UTC."""
    d = _utc(d)
    return '%s %s %02d %04d %02d:%02d:%02d GMT+0000 (Coordinated Universal Time)' % (
        _DAYS[d.weekday()], _MONTHS[d.month - 1], d.day, d.year, d.hour, d.minute, d.second)


def _date_iso(d):
    d = _utc(d)
    return '%04d-%02d-%02dT%02d:%02d:%02d.%03dZ' % (
        d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond // 1000)


def _regexp_source(p):
    return getattr(p, 'pattern', '')


def _to_primitive(v, hint='default'):
    """ToPrimitive for objects; primitives come back unchanged."""
    if not _is_object(v):
        return v
    if isinstance(v, (_dt.datetime, _dt.date)):
        return _date_ms(v) if hint == 'number' else _date_to_string(v)
    if isinstance(v, (list, tuple)):
        return ','.join('' if e is None or e is undefined else js_to_string(e) for e in v)
    if isinstance(v, re.Pattern):
        return '/%s/' % _regexp_source(v)
    if isinstance(v, dict):
        return '[object Object]'
    return str(v)


def js_to_string(v):
    """JavaScript ``String(v)``."""
    if isinstance(v, str):
        return v
    if v is None:
        return 'null'
    if v is undefined:
        return 'undefined'
    if isinstance(v, bool):
        return 'true' if v else 'false'
    if _is_number(v):
        return _num_str(v)
    return _to_primitive(v)


def js_loose_equal(a, b):
    """JavaScript ``a == b`` (so '1' == 1 and true == 1, but 'true' != true)."""
    a_nil = a is None or a is undefined
    b_nil = b is None or b is undefined
    if a_nil or b_nil:
        return a_nil and b_nil
    if isinstance(a, bool):
        if isinstance(b, bool):
            return a is b
        return js_loose_equal(int(a), b)
    if isinstance(b, bool):
        return js_loose_equal(a, int(b))
    a_obj, b_obj = _is_object(a), _is_object(b)
    if a_obj and b_obj:
        return a is b
    if a_obj:
        return js_loose_equal(_to_primitive(a), b)
    if b_obj:
        return js_loose_equal(a, _to_primitive(b))
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if isinstance(a, str):
        a = _str_to_number(a)
    if isinstance(b, str):
        b = _str_to_number(b)
    return a == b


_ASTRAL = re.compile('[\U00010000-\U0010ffff]')


def _js_less(a, b):
    """JavaScript ``a < b`` (False when either side is NaN after conversion)."""
    a, b = _to_primitive(a, 'number'), _to_primitive(b, 'number')
    if isinstance(a, str) and isinstance(b, str):
        if _ASTRAL.search(a) or _ASTRAL.search(b):
            return a.encode('utf-16-be') < b.encode('utf-16-be')
        return a < b
    a, b = js_to_number(a), js_to_number(b)
    return a < b


def _js_compare(v1, v2):
    """The memory connector's compare(): a number, 0 for equal, NaN if unknown."""
    t1, t2 = type(v1), type(v2)
    if (t1 is int or t1 is float) and (t2 is int or t2 is float):
        return v1 - v2
    if t1 is str and t2 is str and not (_ASTRAL.search(v1) or _ASTRAL.search(v2)):
        return 1 if v1 > v2 else -1 if v1 < v2 else 0
    if v1 is None or v1 is undefined or v2 is None or v2 is undefined:
        return 0 if js_loose_equal(v1, v2) else _NAN
    if isinstance(v1, (bool, int, float)):
        return js_to_number(v1) - js_to_number(v2)
    if isinstance(v1, str):
        if _js_less(v2, v1):
            return 1
        if _js_less(v1, v2):
            return -1
        return 0 if js_loose_equal(v1, v2) else _NAN
    if isinstance(v1, (_dt.datetime, _dt.date)):
        return _date_ms(v1) - js_to_number(v2)
    return 0 if js_loose_equal(v1, v2) else _NAN


def js_json(v):
    """``JSON.stringify(v)`` (used inside juggler's ``%j`` error messages)."""
    if v is undefined:
        return 'undefined'
    return json.dumps(_jsonable(v), separators=(',', ':'), ensure_ascii=False)


_INDEX_KEY = re.compile(r'(0|[1-9]\d*)\Z')


def _js_key_order(d):
    keys = [k for k in d]
    index = sorted((k for k in keys if isinstance(k, str) and _INDEX_KEY.match(k)
                    and int(k) < 2 ** 32 - 1), key=int)
    index_set = set(index)
    return index + [k for k in keys if k not in index_set]


def _jsonable(v):
    if v is None or isinstance(v, (str, bool)):
        return v
    if _is_number(v):
        if isinstance(v, float) and (v != v or math.isinf(v)):
            return None
        return v if isinstance(v, int) or not v.is_integer() else int(v)
    if isinstance(v, (_dt.datetime, _dt.date)):
        return _date_iso(v)
    if isinstance(v, dict):
        out = {}
        for k in _js_key_order(v):
            item = v[k]
            if item is undefined or callable(item) and not isinstance(item, type):
                continue
            out[str(k)] = _jsonable(item)
        return out
    if isinstance(v, (list, tuple)):
        return [None if e is undefined else _jsonable(e) for e in v]
    if isinstance(v, re.Pattern):
        return {}
    if hasattr(v, 'toJSON'):
        return _jsonable(v.toJSON())
    return str(v)


# ---------------------------------------------------------------------------
# Dates (new Date(x))

_ISO_RE = re.compile(
    r'([+-]\d{6}|\d{4})(?:-(\d\d)(?:-(\d\d))?)?'
    r'(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:\.(\d+))?)?)?'
    r'\s*([Zz]|[+-]\d\d:?\d\d)?\Z')
_MAX_MS = 8.64e15


def _from_ms(ms):
    if ms != ms or math.isinf(ms) or abs(ms) > _MAX_MS:
        return None
    try:
        return _EPOCH + _dt.timedelta(milliseconds=math.trunc(ms))
    except OverflowError:
        return None


def _parse_date_string(s):
    s = s.strip()
    m = _ISO_RE.match(s)
    if m:
        year, month, day, hh, mi, ss, frac, tz = m.groups()
        try:
            ms = int((frac or '0')[:3].ljust(3, '0'))
            d = _dt.datetime(int(year), int(month or 1), int(day or 1), int(hh or 0),
                             int(mi or 0), int(ss or 0), ms * 1000, tzinfo=_UTC)
        except ValueError:
            return None
        if hh is not None and (int(hh) > 23 or int(mi) > 59):
            return None
        if tz and tz not in 'Zz':
            sign = -1 if tz[0] == '-' else 1
            digits = tz[1:].replace(':', '')
            d -= sign * _dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return d
    try:
        d = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError, IndexError):
        return None
    if d is None:
        return None
    return d.replace(tzinfo=_UTC) if d.tzinfo is None else d.astimezone(_UTC)


def js_new_date(arg):
    """``new Date(arg)`` as an aware UTC datetime, or None for an Invalid Date.

    Strings: ISO 8601 forms (date-only and zone-less forms read as UTC, the
    process time zone being taken as UTC) and RFC 2822; numbers are epoch ms.
    """
    if isinstance(arg, _dt.datetime):
        return _utc(arg)
    if isinstance(arg, _dt.date):
        return _dt.datetime(arg.year, arg.month, arg.day, tzinfo=_UTC)
    if isinstance(arg, str):
        return _parse_date_string(arg)
    if arg is None:
        return _EPOCH
    num = js_to_number(_to_primitive(arg))
    return _from_ms(num)


# ---------------------------------------------------------------------------
# Regular expressions (JavaScript source -> Python re)

_PY_KNOWN_ESCAPES = set('dDwWsSbBnrtvf0123456789xu')
_LINE_TERMS = '\\n\\r\\u2028\\u2029'


def _translate_js_regex(src, flags):
    """Translate a JavaScript regex source to Python ``re`` syntax."""
    multiline = 'm' in flags
    dotall = 's' in flags
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == '\\':
            nxt = src[i + 1] if i + 1 < n else ''
            if nxt == 'k' and i + 2 < n and src[i + 2] == '<':
                end = src.find('>', i + 3)
                if end != -1:
                    out.append('(?P=%s)' % src[i + 3:end])
                    i = end + 1
                    continue
            if nxt == 'd':
                out.append('[0-9]')
            elif nxt == 'D':
                out.append('[^0-9]')
            elif nxt == 'w':
                out.append('[A-Za-z0-9_]')
            elif nxt == 'W':
                out.append('[^A-Za-z0-9_]')
            elif nxt == '':
                out.append('\\\\')
            elif nxt.isalpha() and nxt not in _PY_KNOWN_ESCAPES:
                out.append(re.escape(nxt))
            else:
                out.append('\\' + nxt)
            i += 2
            continue
        if c == '[':
            j = i + 1
            negate = j < n and src[j] == '^'
            if negate:
                j += 1
            if j < n and src[j] == ']':
                out.append('[\\s\\S]' if negate else '(?!)')
                i = j + 1
                continue
            body = []
            while j < n and src[j] != ']':
                ch = src[j]
                if ch == '\\' and j + 1 < n:
                    body.append(src[j:j + 2])
                    j += 2
                    continue
                body.append('\\' + ch if ch in '[&~|' else ch)
                j += 1
            if j >= n:      # JavaScript: 'Unterminated character class'
                raise re.error('Unterminated character class')
            out.append('[' + ('^' if negate else '') + ''.join(body) + ']')
            i = j + 1
            continue
        if c == '(' and src.startswith('(?<', i) and not src.startswith('(?<=', i) \
                and not src.startswith('(?<!', i):
            out.append('(?P<')
            i += 3
            continue
        if c == '.':
            out.append('[\\s\\S]' if dotall else '[^' + _LINE_TERMS + ']')
        elif c == '$':
            out.append('(?=[' + _LINE_TERMS + ']|\\Z)' if multiline else '\\Z')
        elif c == '^':
            out.append('(?:(?<=[' + _LINE_TERMS + '])|\\A)' if multiline else '\\A')
        else:
            out.append(c)
        i += 1
    return ''.join(out)


def _compile_js(src, flags=''):
    """Compile a JavaScript regex; raise a SyntaxError-shaped LoopBackError if invalid."""
    try:
        return re.compile(_translate_js_regex(src, flags), re.I if 'i' in flags else 0)
    except (re.error, OverflowError, RecursionError) as e:
        err = LoopBackError('Invalid regular expression: /%s/: %s' % (src, e))
        err.name = 'SyntaxError'
        raise err


def _is_valid_js_regex(src):
    try:
        _compile_js(src)
        return True
    except LoopBackError:
        return False


_ESCAPE_CHARS = re.compile(r'([\-\[\]/{}()+?.\\^$|])')


def _escape_invalid_regexp(s):
    """Juggler's escapeRegExp: an invalid pattern gets its specials escaped."""
    return s if _is_valid_js_regex(s) else _ESCAPE_CHARS.sub(r'\\\1', s)


_HAS_FLAGS = re.compile('/[^\n\r\u2028\u2029]+\\Z')


def to_regexp(value):
    """Juggler's utils.toRegExp: '/src/flags' or a bare source -> re.Pattern.

    Only the flags i, g and m are accepted ('Invalid regex flags: x').  As in
    juggler, any '/' followed by text counts as a flags delimiter, so 'a/b'
    is rejected and 'a/i' means an empty pattern with flag i.
    """
    if isinstance(value, re.Pattern):
        return value
    if not isinstance(value, str):
        return bad_request('Invalid argument, must be a string, regex literal, or RegExp object')
    if not _HAS_FLAGS.search(value):
        return _compile_js(value)
    flags = value.split('/')[-1]
    invalid = [f for f in flags if f not in 'igm']
    if invalid:
        return bad_request('Invalid regex flags: %s' % ','.join(invalid))
    last = value.rfind('/')
    source = value[1:1 + last - 1] if last - 1 > 0 else ''
    return _compile_js(source, flags)


def like_to_regexp(pattern, ignore_case=False):
    """The memory connector's LIKE translation: % -> .*, _ -> ., all else raw.

    Juggler escapes regex specials and then unescapes them again, so they
    keep their regex meaning ('a.c' matches 'abc'); the result is searched
    unanchored (like 'an' matches 'Banana').  A run of '%' is one '.*'
    (the same matches; 30,000 of them would make a huge pattern).
    """
    src = ''.join('.*' if c == '%' else '.' if c == '_' else c
                  for c in _collapse_percents(pattern))
    return _compile_js(src, 'i' if ignore_case else '')


def _collapse_percents(pattern):
    """``pattern`` with each run of unescaped '%' made one: '.*.*' matches what
    '.*' does.  Before a quantifier the run keeps two, so that the quantifier
    still applies to a '.*' of its own ('%%+' is '.*.*+')."""
    if '%%' not in pattern:
        return pattern
    out = []
    i, n, backslashes = 0, len(pattern), 0
    while i < n:
        c = pattern[i]
        if c == '%' and not backslashes % 2:
            j = i
            while j < n and pattern[j] == '%':
                j += 1
            out.append('%%' if j - i > 1 and j < n and pattern[j] in '*+?{' else '%')
            i, backslashes = j, 0
            continue
        out.append(c)
        backslashes = backslashes + 1 if c == '\\' else 0
        i += 1
    return ''.join(out)


# ---------------------------------------------------------------------------
# sanitize (utils.sanitizeQuery)

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
        return [k for k, v in value.items() if js_truthy(v)]
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
    return _Sanitizer(info, 32 if max_depth is None else js_to_number(max_depth),
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
    if type(data) is dict and not any(map(_is_nested, data.values())):
        return {k: v for k, v in data.items() if v is not undefined}
    max_depth = model_info.setting('maxDepthOfData', options)
    max_depth = 64 if max_depth is None else js_to_number(max_depth)
    # juggler: options.maxDepth || MAX_SAFE_INTEGER, so 0 (or NaN) means no limit
    if not js_truthy(max_depth):
        max_depth = math.inf
    return _Sanitizer(model_info, max_depth, options.get('normalizeUndefinedInQuery'),
                      [], False).walk(data, False)


def _is_nested(value):
    return isinstance(value, (dict, list, tuple))


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
        if _is_object(x) and any(a is x for a in self.ancestors):
            raise LoopBackError('The query object is circular', statusCode=400,
                                code='QUERY_OBJECT_IS_CIRCULAR')
        if level > self.max_depth:
            raise LoopBackError('The query object exceeds maximum depth %s'
                                % js_to_string(self.max_depth),
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
            return True, _escape_invalid_regexp(x)
        return True, x


#: Option the REST layer sets: a where or order naming a prohibited (hidden,
#: or protected) property is a 400 instead of being dropped (deliberate fix:
#: a dropped where widens a write, an order leaks the hidden value).
REJECT_PROHIBITED = 'rejectProhibitedPropertiesInQuery'


def prohibited_properties(info, options):
    """The property names a query may not use (juggler's hidden/protected lists)."""
    if not js_truthy(info.setting('prohibitHiddenPropertiesInQuery', options)):
        return []
    s = info.settings
    names = _as_key_list(s.get('hiddenProperties') or s.get('hidden') or [])
    if js_truthy(options.get('prohibitProtectedPropertiesInQuery')):
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


# ---------------------------------------------------------------------------
# coerce (ModelUtils._coerce)

def _coerce_array(val):
    """Juggler's coerceArray: a list, or a dict with keys '0'..'n-1'; else ValueError."""
    if isinstance(val, (list, tuple)):
        return list(val)
    if not isinstance(val, dict):
        raise ValueError('Value is not an array or object with sequential numeric indices')
    if not val:
        raise ValueError('Value is an empty object')
    out = []
    for i in range(len(val)):
        if str(i) in val:
            out.append(val[str(i)])
        elif i in val:
            out.append(val[i])
        else:
            raise ValueError('Value is not an array or object with sequential numeric indices')
    return out


def _coerce_number(v):
    if type(v) is int:
        return v
    num = js_to_number(v)
    if num != num:
        return v
    if isinstance(num, float) and num.is_integer() and abs(num) < 1e21 and not _is_number(v):
        return int(num)
    return num


def _coerce_boolean(v):
    if isinstance(v, str):
        if v in ('true', '1'):
            return True
        if v in ('false', '0'):
            return False
    if v is None or v is undefined:
        return None
    return js_truthy(v)


def _coerce_date(v):
    d = js_new_date(v)
    if d is None:
        raise LoopBackError('Invalid date: %s' % js_to_string(v))
    return d


def _identity(v):
    return v


_COERCERS = {
    'string': js_to_string,
    'number': _coerce_number,
    'boolean': _coerce_boolean,
    'date': _coerce_date,
    'object': _identity,
    'json': _identity,
    'any': _identity,
}


def _nested(t):
    if isinstance(t, list):
        return _nested(t[0]) if t else None
    return t if isinstance(t, ModelInfo) else None


def _allow_extended(info, options):
    flag = info.setting('allowExtendedOperators', options)
    return js_truthy(flag) if flag is not None else False


def coerce_where(where, model_info, options=None):
    """A new where with values coerced to property types (juggler's ``_coerce``).

    # LoopBack: Model._coerce(Model._sanitizeQuery(where))

    - number: ``Number(v)`` when numeric ('' -> 0, ' 12 ' -> 12), else left as is;
      string: ``String(v)``; boolean: 'true'/'1' -> True, 'false'/'0' -> False,
      else truthiness; date: ``new Date(v)`` (aware UTC datetime; an invalid
      one raises 'Invalid date: x' with NO statusCode, as juggler); object,
      json and any: unchanged; 'array' and unknown properties: not checked at all.
    - ``{op: value}`` clauses keep only the FIRST operator in juggler's table
      order (eq, gt, gte, lt, lte, between, inq, nin, neq, like, nlike, ilike,
      nilike, regexp) plus ``options``; ``{eq: v}`` becomes ``v``; a bare
      re.Pattern becomes ``{regexp: pattern}``; regexp strings become patterns.
    - inq/nin/between must be lists (or dicts with keys '0'..'n-1'), between of
      exactly 2; like-family values must be str or re.Pattern; and/or/nor
      must be list-like; each -> 400 with juggler's message.
    - '$'-prefixed keys in a clause -> 400 OPERATOR_NOT_ALLOWED_IN_QUERY unless
      ``allowExtendedOperators`` (then object values pass uncoerced).  Other
      unknown keys ({gt5: 1}) are not rejected: the clause is coerced as a
      value (NaN for numbers, so left as is; '[object Object]' for strings).
    """
    model_info = model_info or ModelInfo('', {}, [])
    where = sanitize_query(where, model_info, options, is_where=True)
    options = options or {}
    return _coerce(where, model_info, options, model_info)


def _coerce(where, info, options, target):
    if where is None or where is undefined:
        return where
    if not isinstance(where, dict):
        raise bad_request('The where clause %s is not an object' % js_json(where))
    out = {}
    for p, clause in where.items():
        if p in ('and', 'or', 'nor'):
            try:
                clauses = _coerce_array(clause)
            except ValueError as e:
                raise bad_request('The %s operator has invalid clauses %s: %s' % (p, js_json(clause), e))
            # juggler recurses with the root model's properties, not the nested one
            out[p] = [_coerce(c, info, options, info) for c in clauses]
            continue
        out[p] = _coerce_property(p, clause, where, info, options, target)
    return out


def _coerce_property(p, clause, where, info, options, target):
    ptype = target.prop_type(p) if target is not None else None
    if ptype is None:
        return clause
    nested = _nested(ptype)
    if isinstance(ptype, list) and nested is None:
        ptype = ptype[0]
    if ptype in ('array', None, 'geopoint'):
        return clause
    coerce = _COERCERS.get(ptype) if nested is None else None
    if clause is None or clause is undefined:
        return clause
    operator = None
    val = clause
    if isinstance(clause, dict):
        for op in OPERATORS:
            if op in clause:
                operator = op
                val = _check_operator(p, op, clause[op], clause)
                break
    try:
        val = _coerce_array(val)
    except ValueError:
        pass
    allow_ext = _allow_extended(info, options)
    if isinstance(val, list) and nested is None:
        val = [v if v is None or v is undefined or isinstance(v, re.Pattern) else coerce(v)
               for v in val]
    elif val is not None and val is not undefined:
        if operator is None and isinstance(val, re.Pattern):
            operator = 'regexp'
        elif isinstance(val, re.Pattern) and operator in _REGEXP_OPERATORS:
            pass
        elif allow_ext and _is_object(val):
            pass
        else:
            if not allow_ext and isinstance(val, dict):
                ext = [k for k in _js_key_order(val) if isinstance(k, str) and k.startswith('$')]
                if ext:
                    raise LoopBackError(
                        'Operators "%s" are not allowed in query' % ', '.join(ext),
                        statusCode=400, code='OPERATOR_NOT_ALLOWED_IN_QUERY',
                        details={'operators': ext, 'where': where})
            if nested is not None:
                if isinstance(ptype, list) and isinstance(val, list):
                    val = [_coerce(it, info, options, nested) for it in val]
                else:
                    val = _coerce(val, info, options, nested)
                return _rebuild(operator, val, clause)
            if isinstance(val, dict) and operator is None and ptype in _SCALAR_TYPES:
                _warn_unknown_operators(p, val, target)
            val = coerce(val)
    return _rebuild(operator, val, clause)


_SCALAR_TYPES = ('string', 'number', 'boolean', 'date')


def _warn_unknown_operators(p, clause, target):
    # juggler coerces such a clause as a plain value ('[object Object]' for a
    # string, true for a boolean); the SQL connectors refuse what is left of it
    # for a number with a 400.  Keep juggler's result, but say why.
    warnings.warn(
        'Unknown operator %s for property %s of model %s: LoopBack compares the whole '
        'clause as a plain value. Use one of %s, and, or.' % (', '.join('"%s"' % k for k in _js_key_order(clause)), p,
                                     target.name, ', '.join(OPERATORS)),
        UnknownOperatorWarning, stacklevel=2)


def _rebuild(operator, val, clause):
    if operator and operator != 'eq':
        out = {operator: val}
        if isinstance(clause, dict) and js_truthy(clause.get('options')):
            out['options'] = clause['options']
        return out
    return val


def _check_operator(p, op, val, clause):
    if op in ('inq', 'nin', 'between'):
        try:
            val = _coerce_array(val)
        except ValueError as e:
            raise bad_request('The %s property has invalid clause %s: Error: %s' % (p, js_json(clause), e))
        if op == 'between' and len(val) != 2:
            raise bad_request('The %s property has invalid clause %s: Expected precisely 2 values, '
                              'received %d' % (p, js_json(clause), len(val)))
    elif op in ('like', 'nlike', 'ilike', 'nilike'):
        if not isinstance(val, (str, re.Pattern)):
            raise bad_request('The %s property has invalid clause %s: Expected a string or RegExp'
                              % (p, js_json(clause)))
    elif op == 'regexp':
        val = to_regexp(val)
        if isinstance(val, LoopBackError):
            raise val
    return val


# ---------------------------------------------------------------------------
# normalize (ModelUtils._normalize)

def _valid_count(num, allow_zero):
    if num != num:
        return False
    if num < 0 or (num == 0 and not allow_zero):
        return False
    return math.isinf(num) or float(num).is_integer()


def _as_int(num):
    return num if isinstance(num, float) and math.isinf(num) else int(num)


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
    if not js_truthy(filter):
        return {}
    if not isinstance(filter, dict):
        raise bad_request('The query filter %s is not an object' % js_json(filter))
    f = dict(filter)
    limit, skip, offset = (f.get(k, undefined) for k in ('limit', 'skip', 'offset'))
    if js_truthy(limit) or js_truthy(skip) or js_truthy(offset):
        num_limit = js_to_number(limit if js_truthy(limit) else 100)
        num_skip = js_to_number(skip if js_truthy(skip) else offset if js_truthy(offset) else 0)
        if not _valid_count(num_limit, False):
            raise bad_request('The limit parameter %s is not valid' % js_json(limit))
        if not _valid_count(num_skip, True):
            raise bad_request('The offset/skip parameter %s is not valid'
                              % js_json(skip if js_truthy(skip) else offset))
        f['limit'] = _as_int(num_limit)
        f['offset'] = f['skip'] = _as_int(num_skip)
    if js_truthy(f.get('order')):
        f['order'] = _normalize_order(f['order'])
        _check_order_allowed(f['order'], model_info, options)
    check_complexity(f)
    if js_truthy(f.get('fields')):
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
_COERCED_AS_IS = {_coerce_number: int, js_to_string: str}
_SLOW_KEYS = frozenset(('and', 'or', 'nor') + _REGEXP_OPERATORS)
_QUERY_SETTINGS = ('prohibitHiddenPropertiesInQuery', 'maxDepthOfQuery',
                   'normalizeUndefinedInQuery', 'allowExtendedOperators')


def _fast_normalize(filter, model_info, options):
    """normalize_filter's result for a simple filter, or None (use the general path)."""
    if type(filter) is not dict or not filter.keys() <= _FAST_FILTER_KEYS:
        return None
    for key in _QUERY_SETTINGS:
        if model_info.settings.get(key) is not None or \
                (options and options.get(key, undefined) is not undefined):
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
_WS_SPLIT = re.compile(r'\s+')


def _normalize_order(order):
    items = order if isinstance(order, list) else [order]
    fields = []
    for item in items:
        if not isinstance(item, str):
            raise bad_request('The order %s is not valid' % js_json(item))
        for token in _ORDER_SPLIT.split(item):
            if not token:
                continue
            parts = _WS_SPLIT.split(token)
            if len(parts) >= 2:
                direction = parts[1].upper()
                if direction not in ('ASC', 'DESC'):
                    raise bad_request('The order %s has invalid direction' % js_json(token))
                token = parts[0] + ' ' + direction
            fields.append(token)
    if len(fields) == 1 and isinstance(order, str):
        return fields[0]
    return fields


def fields_to_array(fields, model_info):
    """Juggler's fieldsToArray: the list of property names to return, or None for all.

    A string -> [it]; a non-empty list -> itself; a dict -> the truthy keys,
    or when none is truthy all model properties minus the falsy ones; an
    empty list or dict -> None (all fields).  Other values -> all properties.
    Unknown names are kept unless the model setting ``strict`` is truthy.
    """
    if not js_truthy(fields):
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
        included = [k for k, v in fields.items() if js_truthy(v)]
        excluded = [k for k, v in fields.items() if not js_truthy(v)]
        if included:
            result = included
        elif excluded:
            result = [p for p in props if p not in excluded]
    strict = model_info.settings.get('strict') if model_info is not None else None
    if js_truthy(strict):
        result = [k for k in result if k in props]
    return list(result)


# ---------------------------------------------------------------------------
# parse (REST: strong-remoting's object coercion)

_LOOKS_LIKE_OBJECT = re.compile(r'^\s*\{[\s\S]*\}\s*$')


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


# ---------------------------------------------------------------------------
# matching (memory connector applyFilter)

def _get_value(obj, path):
    """getValue(obj, 'a.b'): None/undefined stop the walk, missing -> undefined."""
    if obj is None or obj is undefined:
        return undefined
    val = obj
    for key in path.split('.'):
        val = _get_key(val, key)
        if val is None or val is undefined:
            return val
    return val


def _get_fast(row, path):
    if type(row) is dict and '.' not in path:
        return row.get(path, undefined)
    return _get_value(row, path)


def _get_key(val, key):
    if isinstance(val, dict):
        return val.get(key, undefined)
    if isinstance(val, (list, tuple)):
        if _INDEX_KEY.match(key) and int(key) < len(val):
            return val[int(key)]
        if key == 'length':
            return len(val)
        return undefined
    if isinstance(val, str):
        if _INDEX_KEY.match(key) and int(key) < len(val):
            return val[int(key)]
        if key == 'length':
            return len(val)
    return undefined


def _js_type_error(message):
    return TypeError_(message)


def make_matcher(where, model_info=None):
    """``fn(row) -> bool`` with the memory connector's semantics, built once per query.

    Pass a coerced where (:func:`coerce_where` / :func:`normalize_filter`).
    Semantics kept from juggler 3.x's memory connector, odd parts included:
    - equality is JavaScript ``==``: '1' matches 1, true matches 1, null
      matches null and missing; a date matches an equal date;
    - gt/gte/lt/lte/between compare numbers, strings and dates; any null or
      missing side fails; only the first operator of a clause is honoured;
    - inq/nin use ``==`` element by element (dates never match: JS compares
      Date objects by identity);
    - neq: ``compare(neq, value) != 0``, so a missing value matches neq 5;
    - like/nlike/ilike/nilike: % -> .*, _ -> ., other characters keep their
      regex meaning, searched UNANCHORED; the row value is converted with
      String(), so null reads 'null' and a missing value 'undefined';
    - regexp: a non-empty non-string value raises TypeError
      'value.match is not a function' (juggler crashes the same way);
    - a list value matches when any element matches (nested lists too); an
      EMPTY list matches nothing except a neq clause; a null clause on a list
      value raises TypeError "Cannot read properties of null (reading 'neq')";
    - 'a.b' paths walk dicts, and when that fails fall back to matching 'b'
      against each object in a list 'a' (embedded models);
    - and/or take lists of clauses; 'nor' is NOT supported by memory (it is
      looked up as a property and never matches); a None clause inside
      and/or raises TypeError 'Cannot convert undefined or null to object'.
    Errors raised while matching are ``TypeError_`` (a LoopBackError), or the
    400 REGEXP_TOO_COMPLEX once the regular expressions of the matcher (all
    rows, all clauses) have spent :data:`safe_regex.BUDGET_SECONDS` backtracking.
    """
    if getattr(_BUILDING, 'budget', None) is not None:   # a nested clause
        return _make_matcher(where)
    _BUILDING.budget = safe_regex.Budget()
    try:
        return _make_matcher(where)
    finally:
        _BUILDING.budget = None


# The regex time budget shared by every clause of the matcher being built.
_BUILDING = threading.local()


def _regex_test(pattern):
    """``search(text) -> bool`` for a re.Pattern, in bounded time, on the
    budget of the matcher being built."""
    budget = getattr(_BUILDING, 'budget', None) or safe_regex.Budget()
    return safe_regex.compile_pattern(pattern).searcher(budget)


def _make_matcher(where):
    if where is None or where is undefined:
        return _always
    if not isinstance(where, dict):
        return _always
    if len(where) == 1:
        for key, cond in where.items():
            return _compile_key(key, cond)
    preds = [_compile_key(key, cond) for key, cond in where.items()]
    if not preds:
        return _always
    if len(preds) == 1:
        return preds[0]

    def match(row):
        for pred in preds:
            if not pred(row):
                return False
        return True
    return match


def _always(row):
    return True


def _clause_matcher(cond):
    """A sub-clause of and/or: juggler's Object.keys(null) throws when it is reached."""
    if cond is None or cond is undefined:
        def fail(row):
            raise _js_type_error('Cannot convert undefined or null to object')
        return fail
    return make_matcher(cond)


def _compile_key(key, cond):
    kind = type(cond)
    if (kind is int or kind is str) and '.' not in key:
        return _compile_equality(key, cond)
    return _compile_clause(key, cond)


def _compile_clause(key, cond):
    """The matcher of one where key, for any condition."""
    if key in ('and', 'or') and isinstance(cond, list):
        subs = [_clause_matcher(c) for c in cond]
        if key == 'and':
            def match_and(row):
                for m in subs:
                    if not m(row):
                        return False
                return True
            return match_and

        def match_or(row):
            for m in subs:
                if m(row):
                    return True
            return False
        return match_or
    test = _compile_test(cond)
    neq_defined = isinstance(cond, dict) and cond.get('neq', undefined) is not undefined
    cond_is_none = cond is None or cond is undefined

    def eval_value(value):
        if isinstance(value, list):
            if cond_is_none:
                raise _js_type_error("Cannot read properties of %s (reading 'neq')" % js_to_string(cond))
            if neq_defined and not value:
                return True
            return any(eval_value(v) for v in value)
        return test(value)

    dot = key.find('.')
    if dot == -1:
        return _key_matcher(key, test, eval_value)
    head, sub_match = key[:dot], make_matcher({key[dot + 1:]: cond})

    def match_path(row):
        value = _get_value(row, key)
        if isinstance(value, list) or eval_value(value):
            return eval_value(value)
        sub = _get_key(row, head) if row is not None else undefined
        if isinstance(sub, list):
            return any(sub_match(e) for e in sub)
        if isinstance(sub, dict):
            return sub_match(sub)
        return False
    return match_path


def _compile_equality(key, example):
    """``{key: example}`` for a plain int or str example: _compile_key's
    general matcher with the parts that cannot apply to it left out."""
    test = _compile_test(example)

    def any_equal(values):
        for v in values:
            if isinstance(v, list):
                if any_equal(v):
                    return True
            elif test(v):
                return True
        return False
    return _key_matcher(key, test, any_equal)


def _key_matcher(key, test, on_list):
    """``match(row)`` for an undotted key: a list value goes to ``on_list``,
    any other value (missing: undefined) to ``test``."""
    def match_key(row):
        value = row.get(key, undefined) if type(row) is dict else _get_value(row, key)
        if type(value) is list:
            return on_list(value)
        return test(value)
    return match_key


def _compile_test(example):
    """test(example, value) of the memory connector, specialised for one example."""
    if isinstance(example, re.Pattern):
        search = _regex_test(example)
        return lambda value: (isinstance(value, str) and search(value)) \
            or (not isinstance(value, str) and value is example)
    if example is None or example is undefined:
        return lambda value: value is None or value is undefined
    if isinstance(example, dict):
        return _compile_dict_test(example)
    if isinstance(example, (_dt.datetime, _dt.date)):
        ms = _date_ms(example)

        def test_date(value):
            if isinstance(value, (_dt.datetime, _dt.date)):
                return _date_ms(value) == ms
            return js_loose_equal(example, value)
        return test_date
    if isinstance(example, str):
        return lambda value: value == example if isinstance(value, str) else js_loose_equal(example, value)
    if _is_number(example) and not (isinstance(example, float) and example != example):
        return lambda value: (value == example if _is_number(value)
                              else js_loose_equal(example, value))
    return lambda value: js_loose_equal(example, value)


def _compile_dict_test(ex):
    fallback = functools.partial(js_loose_equal, ex)
    if js_truthy(ex.get('regexp')):
        pattern = ex['regexp']
        if not isinstance(pattern, re.Pattern):
            pattern = _compile_js(js_to_string(pattern))
        search = _regex_test(pattern)

        def test_regexp(value):
            if not js_truthy(value):
                return False
            if not isinstance(value, str):
                raise _js_type_error('value.match is not a function')
            return search(value)
        return test_regexp
    if js_truthy(ex.get('near')):
        return _always
    if js_truthy(ex.get('inq')):
        return _compile_in(ex['inq'], True)
    if js_truthy(ex.get('nin')):
        return _compile_in(ex['nin'], False)
    if 'neq' in ex:
        neq = ex['neq']
        return lambda value: not (_js_compare(neq, value) == 0)
    if 'between' in ex:
        between = ex['between']
        low = _get_key(between, '0') if not isinstance(between, dict) else between.get('0', undefined)
        high = _get_key(between, '1') if not isinstance(between, dict) else between.get('1', undefined)
        return lambda value: _js_compare(value, low) >= 0 and _js_compare(value, high) <= 0
    like_ops = [op for op in ('like', 'nlike', 'ilike', 'nilike') if js_truthy(ex.get(op))]
    if like_ops:
        pattern = ex[like_ops[0]]
        op = like_ops[0]
        search = _regex_test(_like_regex(pattern, op in ('ilike', 'nilike')))
        negate = op in ('nlike', 'nilike')
        return lambda value: search(js_to_string(value)) != negate
    for op, ok in (('gt', lambda c: c > 0), ('gte', lambda c: c >= 0),
                   ('lt', lambda c: c < 0), ('lte', lambda c: c <= 0)):
        if op in ex:
            bound = ex[op]
            return lambda value, ok=ok, bound=bound: ok(_js_compare(value, bound)) or fallback(value)
    return fallback


def _like_regex(pattern, ignore_case):
    if isinstance(pattern, re.Pattern):
        if not ignore_case:
            return pattern
        return re.compile(pattern.pattern, pattern.flags | re.I)
    if isinstance(pattern, str):
        return like_to_regexp(pattern, ignore_case)
    return _compile_js(js_to_string(pattern), 'i' if ignore_case else '')


def _compile_in(values, wanted):
    """inq (wanted=True) / nin (wanted=False) with JS == against each element."""
    if isinstance(values, dict):
        values = []
    elif isinstance(values, str):
        values = list(values)
    elif not isinstance(values, (list, tuple)):
        values = []
    values = list(values)
    kinds = set(map(type, values))
    if kinds == _INT_ONLY:
        # the usual include page: ints, each its own number (no nil, no NaN)
        has_nil, strings, plain_numbers = False, set(), set(values)
        all_numbers = plain_numbers
        return _in_test(values, wanted, has_nil, strings, plain_numbers, all_numbers)
    simple = all(v is None or v is undefined or isinstance(v, (str, bool, int, float)) for v in values)
    if not simple:
        def test_slow(value):
            for v in values:
                # juggler revives each row's date as a new Date, and == on two
                # Dates is identity: it never holds, even for the same instant.
                if isinstance(v, _dt.date) and isinstance(value, _dt.date):
                    continue
                if js_loose_equal(v, value):
                    return wanted
            return not wanted
        return test_slow
    has_nil = any(v is None or v is undefined for v in values)
    strings = {v for v in values if isinstance(v, str)}
    plain_numbers = {js_to_number(v) for v in values
                     if isinstance(v, (bool, int, float)) and not isinstance(v, str)}
    all_numbers = set(plain_numbers)
    all_numbers.update(_str_to_number(s) for s in strings)
    plain_numbers = {n for n in plain_numbers if n == n}
    all_numbers = {n for n in all_numbers if n == n}
    return _in_test(values, wanted, has_nil, strings, plain_numbers, all_numbers)


_INT_ONLY = {int}


def _in_test(values, wanted, has_nil, strings, plain_numbers, all_numbers):
    """inq/nin's test from the example values sorted by kind."""
    def test_in(value):
        if type(value) is int:
            return (value in all_numbers) == wanted
        if value is None or value is undefined:
            found = has_nil
        elif isinstance(value, str):
            found = value in strings or _str_to_number(value) in plain_numbers
        elif isinstance(value, (bool, int, float)):
            found = js_to_number(value) in all_numbers
        else:
            found = any(js_loose_equal(v, value) for v in values)
        return found == wanted
    return test_in


# ---------------------------------------------------------------------------
# sorting, projection, the whole pipeline

_DIRECTION = re.compile(r'\s+(A|DE)SC$', re.I)
_DIRECTION_SUB = re.compile(r'\s+(A|DE)SC', re.I)


def _order_keys(order, model_info):
    if not js_truthy(order):
        order = list(model_info.id_names) if model_info is not None else []
    if isinstance(order, str):
        order = [order]
    keys = []
    for item in order:
        item = js_to_string(item)
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
                if (bv is undefined and av is not undefined) or _js_less(bv, av):
                    return reverse
                if (av is undefined and bv is not undefined) or _js_less(av, bv):
                    return -reverse
            return 0
        idx.sort(key=functools.cmp_to_key(cmp))
    return [rows[j] for j in idx]


def _fast_key(values, i):
    """A total-order sort key matching JS comparisons for homogeneous columns."""
    col = [v[i] for v in values if v[i] is not undefined]
    if all((_is_number(v) and v == v) or v is None or isinstance(v, bool) for v in col):
        return lambda v: (0, 0) if v is undefined else (1, js_to_number(v))
    if all(isinstance(v, str) for v in col):
        if any(_ASTRAL.search(v) for v in col):
            return lambda v: (0, b'') if v is undefined else (1, v.encode('utf-16-be'))
        return lambda v: (0, '') if v is undefined else (1, v)
    if all(isinstance(v, (_dt.datetime, _dt.date)) for v in col):
        return lambda v: (0, 0) if v is undefined else (1, _date_ms(v))
    return None


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
    """The memory connector's query pipeline: sort, match, project, skip/limit.

    # LoopBack: Memory.prototype._findAllSkippingIncludes(model, filter)

    ``filter`` should come from :func:`normalize_filter`.  None returns the
    rows unchanged (a new list).  Rows are not copied unless projected with
    ``fields``; the caller copies before handing data out.  ``include`` is
    ignored here (the DAO resolves it).  Matching errors propagate as
    LoopBackError (see :func:`make_matcher`).
    """
    rows = list(rows)
    if filter is None:
        return rows
    rows = sort_rows(rows, filter.get('order'), model_info)
    where = filter.get('where')
    if js_truthy(where):
        match = make_matcher(where, model_info)
        rows = [r for r in rows if match(r)]
    fields = filter.get('fields')
    if js_truthy(fields):
        if not isinstance(fields, list):
            fields = fields_to_array(fields, model_info)
        if fields is not None:
            rows = [select_fields(r, fields) for r in rows]
    skip = filter.get('skip') if js_truthy(filter.get('skip')) else filter.get('offset')
    skip = js_to_number(skip) if js_truthy(skip) else 0
    limit = filter.get('limit')
    limit = js_to_number(limit) if js_truthy(limit) else len(rows)
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
