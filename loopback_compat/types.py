"""Property types and value coercion, as juggler's model setters do them.

# LoopBack: lib/model-builder.js (type resolution), lib/types.js, and the
#           setters lib/model.js generates for each property

Every spelling of a property type (LoopBack names, 'String', Python types,
``{'type': ...}``, ``[type]`` arrays) is normalised to a LoopBack type name,
and values are coerced to a type the way JavaScript would (``Number()``,
``String()``, ``new Date()``: :mod:`loopback_compat.js`).  Models and connectors both use these
functions, so they live below both.
"""

import datetime as _dt
import json
import math

from .date_string import DateString
from .errors import LoopBackError
from .geo import GeoPoint
from .js.dates import iso_string, new_date
from .js.numbers import string_to_number
from .js.values import to_number, to_string, truthy

# LoopBack type names every spelling is normalised to.
TYPE_NAMES = ('string', 'text', 'number', 'boolean', 'date', 'object', 'array', 'any',
              'buffer', 'geopoint', 'json', 'datestring')
# 'text' is juggler's Text, a type of its own (not a spelling of 'string'):
# its values are kept as given (Text(value) returns value), and it is a base
# type, so string input is not JSON-parsed either.
_TYPE_ALIASES = {
    'string': 'string', 'text': 'text', 'number': 'number',
    'boolean': 'boolean', 'date': 'date', 'object': 'object', 'json': 'json',
    'array': 'array', 'any': 'any', 'buffer': 'buffer', 'binary': 'buffer',
    'geopoint': 'geopoint', 'datestring': 'datestring',
}
_PY_TYPES = {
    str: 'string', int: 'number', float: 'number', bool: 'boolean',
    _dt.datetime: 'date', _dt.date: 'date', dict: 'object', list: 'array',
    tuple: 'array', bytes: 'buffer', object: 'any', GeoPoint: 'geopoint',
}
# Types whose stored value is structured (juggler's non-BASE_TYPES):
# string input is JSON-parsed when an instance is built.  (Properties typed
# by a model are too: model/sub_models.py.)  GeoPoint is one of them: a
# loaded value is kept as read (juggler's {lat, lng} object), JSON text parsed.
_STRUCTURED = frozenset(('object', 'array', 'any', 'json', 'datestring', 'geopoint'))

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
        if raw and isinstance(raw[0], type) and getattr(raw[0], 'modelName', None):
            prop['itemModel'] = raw[0]      # a list of a model (model/sub_models.py)
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

def _js_number(value):
    """JavaScript ``Number(value)`` (:func:`js.values.to_number`): a value
    that is no number is NaN (``float('nan')``), as juggler's setter stores
    it, so that validatesNumericalityOf says 'is not a number'.  Storage
    gets null: the memory connector stores rows as juggler's JSON text
    would give them back, the SQL connectors write NULL."""
    kind = type(value)
    if kind is int or kind is float:
        return value
    return string_to_number(value) if kind is str else to_number(value)


#: JavaScript ``String(value)``: the one implementation, in loopback_compat.js.
js_string = to_string


def _js_boolean(value):
    """juggler's relaxed BooleanType: 'true'/'1' and 'false'/'0' strings;
    anything else by JavaScript truthiness."""
    if isinstance(value, str):
        if value in ('true', '1'):
            return True
        if value in ('false', '0'):
            return False
        return value != ''
    return truthy(value)


#: A datetime as JavaScript's Date#toISOString() prints it (UTC, ms, 'Z').
to_iso = iso_string


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
    """JavaScript ``new Date(value)`` as an aware UTC datetime; INVALID_DATE when
    invalid (:func:`js.dates.new_date`).  An aware datetime is kept as it is,
    a naive one is taken as UTC."""
    if isinstance(value, _dt.datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=_dt.timezone.utc)
        return value
    if value is None:
        return INVALID_DATE
    date = new_date(value)
    return INVALID_DATE if date is None else date


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
        return json.dumps(value, default=str, separators=(",", ":"))   # JSON.stringify
    except (TypeError, ValueError):
        return str(value)


def coerce_value(tname, value, item_type=None):
    """Coerce ``value`` to the LoopBack type ``tname`` as juggler's setter does.

    None stays None.  'text' (juggler's Text) keeps the value as given, where
    'string' is ``String(value)``.  'datestring' builds a :class:`DateString` (raising
    'Invalid date' / 'Input must be a string' as juggler's does), 'geopoint'
    a :class:`~loopback_compat.geo.GeoPoint` (raising its 400 errors); 'json',
    'object', 'any' and unknown type names (custom types; model types are
    built by the model: model/sub_models.py) leave the value unchanged.
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
    if tname == 'datestring':
        return value if type(value) is DateString else DateString(value)
    if tname == 'geopoint':
        # juggler's setter: GeoPoint(value), raising its assertion on bad input
        return value if type(value) is GeoPoint else GeoPoint(value)
    return value


# ---------------------------------------------------------------------------
# Model definition
