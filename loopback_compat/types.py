"""Property types and value coercion, as juggler's model setters do them.

# LoopBack: lib/model-builder.js (type resolution), lib/types.js, and the
#           setters lib/model.js generates for each property

Every spelling of a property type (LoopBack names, 'String', Python types,
``{'type': ...}``, ``[type]`` arrays) is normalised to a LoopBack type name,
and values are coerced to a type the way JavaScript would (``Number()``,
``String()``, ``new Date()``).  Models and connectors both use these
functions, so they live below both.
"""

import datetime as _dt
import json
import math
import re

from .errors import LoopBackError

# LoopBack type names every spelling is normalised to.
TYPE_NAMES = ('string', 'number', 'boolean', 'date', 'object', 'array', 'any',
              'buffer', 'geopoint')
_TYPE_ALIASES = {
    'string': 'string', 'text': 'string', 'number': 'number',
    'boolean': 'boolean', 'date': 'date', 'object': 'object', 'json': 'object',
    'array': 'array', 'any': 'any', 'buffer': 'buffer', 'binary': 'buffer',
    'geopoint': 'geopoint', 'datestring': 'string',
}
_PY_TYPES = {
    str: 'string', int: 'number', float: 'number', bool: 'boolean',
    _dt.datetime: 'date', _dt.date: 'date', dict: 'object', list: 'array',
    tuple: 'array', bytes: 'buffer', object: 'any',
}
# Types whose stored value is structured (juggler's non-BASE_TYPES):
# string input is JSON-parsed when an instance is built.
_STRUCTURED = ('object', 'array', 'any')

# The types of values that hold no other values (what a row of a model
# without object/array properties is made of): a dict of them is copied by
# dict(), and stored as such it needs no JSON parsing.
FLAT_VALUE_TYPES = frozenset((str, int, float, bool, type(None), _dt.datetime))


class FlatRows(list):
    """A connector's list of rows (dicts) whose values it has checked to be
    all of FLAT_VALUE_TYPES: a bulk load of them need not check again."""

    __slots__ = ()


# A value of this Python type is already what coerce_value makes of it for
# that property type, so callers on hot paths may skip the call.
ALREADY_COERCED = {'number': int, 'string': str}


# ---------------------------------------------------------------------------
# Type names

def type_name(spec, prop_name='?'):
    """The LoopBack type name for any accepted spelling of a type.

    Accepts 'string' / 'String', Python types (str, int, float, bool,
    datetime, dict, list), model classes (embedded models: their name) and
    list spellings ([str], ['string'], [] -> 'array').
    """
    if isinstance(spec, list):
        return 'array'
    if isinstance(spec, str):
        return _TYPE_ALIASES.get(spec.lower(), spec)
    if isinstance(spec, type):
        if getattr(spec, 'modelName', None):
            return spec.modelName
        for klass, name in _PY_TYPES.items():
            if spec is klass:
                return name
        if issubclass(spec, bool):
            return 'boolean'
        if issubclass(spec, (int, float)):
            return 'number'
        if issubclass(spec, str):
            return 'string'
        if issubclass(spec, _dt.date):
            return 'date'
        if issubclass(spec, dict):
            return 'object'
        if issubclass(spec, (list, tuple)):
            return 'array'
    raise LoopBackError('Invalid type for property %s' % prop_name)


def normalize_property(name, spec):
    """One property definition as a dict with ``'type'`` = LoopBack type name.

    ``spec`` may be a type in any spelling, a list (array of the item type)
    or a dict with a ``'type'`` key.  The caller's dict is never modified.
    """
    if isinstance(spec, dict):
        prop = dict(spec)
        if 'type' not in prop or prop['type'] is None:
            # juggler resolves a missing type to its default (Any-like)
            prop['type'] = 'any'
            return prop
        raw = prop['type']
    else:
        prop = {}
        raw = spec
    prop['type'] = type_name(raw, name)
    if isinstance(raw, list):
        prop['itemType'] = type_name(raw[0], name) if raw else 'any'
    elif isinstance(raw, type) and getattr(raw, 'modelName', None):
        prop['model'] = raw
    return prop


def normalize_properties(properties, model_name='?'):
    """All property definitions of a model, normalised (None/False entries dropped)."""
    out = {}
    for name, spec in (properties or {}).items():
        if spec is None or spec is False:
            continue
        if '.' in name:
            raise LoopBackError('Property names containing dot(s) are not supported. '
                                'Model: %s, property: %s' % (model_name, name))
        out[name] = normalize_property(name, spec)
    return out


# ---------------------------------------------------------------------------
# Coercion (juggler's setters: Number(), String(), BooleanType, DateType, List)

_NUM_RE = re.compile(r'^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$')


def _js_number(value):
    """JavaScript ``Number(value)``; NaN is returned as None (JSON's null)."""
    if isinstance(value, bool):
        return 1 if value else 0
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, str):
        text = value.strip()
        if text == '':
            return 0
        if _NUM_RE.match(text):
            num = float(text)
            if num.is_integer() and abs(num) < 2 ** 53:
                return int(num)
            return num
        low = text.lower()
        if low.startswith(('0x', '0o', '0b')):
            try:
                return int(text, 0)
            except ValueError:
                return None
        if text in ('Infinity', '+Infinity'):
            return math.inf
        if text == '-Infinity':
            return -math.inf
        return None
    if isinstance(value, _dt.datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, (list, tuple)):
        if len(value) == 0:
            return 0
        if len(value) == 1:
            return _js_number(js_string(value[0]))
        return None
    return None


def js_string(value):
    """JavaScript ``String(value)`` for the values a model can hold."""
    if isinstance(value, str):
        return value
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, float):
        if math.isnan(value):
            return 'NaN'
        if math.isinf(value):
            return 'Infinity' if value > 0 else '-Infinity'
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, _dt.datetime):
        return to_iso(value)
    if isinstance(value, (list, tuple)):
        return ','.join('' if v is None else js_string(v) for v in value)
    if isinstance(value, dict):
        return '[object Object]'
    return str(value)


def _js_boolean(value):
    """juggler's relaxed BooleanType: 'true'/'1' and 'false'/'0' strings."""
    if isinstance(value, str):
        if value in ('true', '1'):
            return True
        if value in ('false', '0'):
            return False
        return value != ''
    if isinstance(value, float) and math.isnan(value):
        return False
    if isinstance(value, (list, dict, tuple)):
        return True     # JavaScript objects are always truthy
    return bool(value)


def to_iso(value):
    """A datetime as JavaScript's Date#toISOString() prints it (UTC, ms, 'Z')."""
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (value.microsecond // 1000)


class InvalidDate:
    """JavaScript's ``Invalid Date``: kept so that validatesDateOf can reject it.

    It serialises to None (JSON.stringify gives null) and ``getTime()`` is NaN.
    """

    def getTime(self):
        return math.nan

    def toJSON(self):
        return None

    def toObject(self):
        return None

    def __eq__(self, other):
        return False

    __hash__ = object.__hash__

    def __repr__(self):
        return 'Invalid Date'


INVALID_DATE = InvalidDate()


def parse_date(value):
    """JavaScript ``new Date(value)`` as an aware UTC datetime; INVALID_DATE when invalid."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=_dt.timezone.utc)
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime(value.year, value.month, value.day, tzinfo=_dt.timezone.utc)
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, (int, float)):
        try:
            return _dt.datetime.fromtimestamp(value / 1000.0, tz=_dt.timezone.utc)
        except (OverflowError, OSError, ValueError):
            return INVALID_DATE
    if isinstance(value, str):
        text = value.strip()
        if text.endswith('Z') or text.endswith('z'):
            text = text[:-1] + '+00:00'
        try:
            parsed = _dt.datetime.fromisoformat(text)
        except ValueError:
            return INVALID_DATE
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=_dt.timezone.utc)
        return parsed
    return INVALID_DATE


def _parse_json_text(value):
    try:
        return json.loads(value)
    except (ValueError, TypeError):
        return None


def coerce_list(value, item_type):
    """juggler's ``List(items, itemType)``: items coerced, JSON strings parsed."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise LoopBackError('could not create List from JSON string: %s'
                                % json.dumps(value), statusCode=400)
    if value is None:
        value = []
    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, list):
        raise LoopBackError('Items must be an array: %s' % _json_text(value), statusCode=400)
    if item_type in (None, 'any', 'array', 'object'):
        return list(value)
    return [coerce_value(item_type, v) for v in value]


def _json_text(value):
    try:
        return json.dumps(value, default=str)
    except (TypeError, ValueError):
        return str(value)


def coerce_value(tname, value, item_type=None):
    """Coerce ``value`` to the LoopBack type ``tname`` as juggler's setter does.

    None stays None.  Unknown type names (embedded models, custom types)
    leave the value unchanged.
    """
    if value is None:
        return None
    if tname == 'string':
        return js_string(value)
    if tname == 'number':
        return _js_number(value)
    if tname == 'boolean':
        return _js_boolean(value)
    if tname == 'date':
        return parse_date(value)
    if tname == 'array':
        return coerce_list(value, item_type)
    return value


# ---------------------------------------------------------------------------
# Model definition
