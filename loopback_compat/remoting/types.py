"""Argument conversion as strong-remoting's type registry does it.

# LoopBack: strong-remoting lib/types/*.js, lib/type-registry.js

Every accepted argument has a LoopBack type ('string', 'number', 'boolean',
'date', 'object', 'array', 'any', 'integer', a model name, or ``[itemType]``).
A value arrives either *typed* (taken from a JSON body: it already has its
JSON type) or *sloppy* (from the query string, the path, a header or a
urlencoded body: strings that need coercing).  Each converter turns a raw
value into ``(value, None)`` or ``(None, error)``; ``validate`` checks a
value already converted.  Errors are 400s with strong-remoting's messages.

``UNDEFINED`` stands for JavaScript's ``undefined`` (argument absent); the
invoker passes ``None`` to Python code in its place.
"""

import datetime as _dt
import math
import re

from ..errors import LoopBackError
from ..js.dates import new_date
from ..js.json import parse_json
from ..js.numbers import is_number
from ..js.values import UNDEFINED, to_number, to_string

MAX_SAFE_INTEGER = 2 ** 53 - 1



_INT_RE = re.compile(r'-?(?:[0-9]|[1-9][0-9]*)\Z')
_FLOAT_RE = re.compile(r'-?([0-9]+)?\.[0-9]+\Z')
_DIGITS_RE = re.compile(r'-?[0-9]+\Z')


def _bad(message):
    return LoopBackError(message, statusCode=400)


def looks_like_json_object(value):
    return isinstance(value, str) and value[:1] == '{' and value[-1:] == '}'


def looks_like_json_array(value):
    return isinstance(value, str) and value[:1] == '[' and value[-1:] == ']'


class Converter:
    """Base converter: typed values pass through ``validate``."""

    def from_typed(self, value, options=None):
        err = self.validate(value, options)
        return (None, err) if err else (value, None)

    def from_sloppy(self, value, options=None):
        return self.from_typed(value, options)

    def validate(self, value, options=None):
        return None


class NumberConverter(Converter):
    def from_sloppy(self, value, options=None):
        if value is UNDEFINED or value == '':
            return UNDEFINED, None
        if isinstance(value, (list, dict)):
            return self.from_typed(math.nan, options)
        return self.from_typed(to_number(value), options)

    def validate(self, value, options=None):
        if value is UNDEFINED:
            return None
        if is_number(value) and not (isinstance(value, float) and math.isnan(value)):
            return None
        return _bad('Value is not a number.')


class IntegerConverter(NumberConverter):
    def validate(self, value, options=None):
        err = NumberConverter.validate(self, value, options)
        if err or value is UNDEFINED:
            return err
        if isinstance(value, float) and (math.isinf(value) or not value.is_integer()):
            return _bad('Value is not a safe integer.')
        if abs(value) > MAX_SAFE_INTEGER:
            return _bad('Value is not a safe integer.')
        return None


class BooleanConverter(Converter):
    def from_sloppy(self, value, options=None):
        if value is UNDEFINED or value == '':
            return UNDEFINED, None
        if isinstance(value, str):
            low = value.lower()
            if low in ('false', '0'):
                return False, None
            if low in ('true', '1'):
                return True, None
        return None, _bad('Value is not a boolean.')

    def validate(self, value, options=None):
        if value is UNDEFINED or isinstance(value, bool):
            return None
        return _bad('Value is not a boolean.')


class StringConverter(Converter):
    def from_sloppy(self, value, options=None):
        if value == '':
            return UNDEFINED, None
        if value is not UNDEFINED and value is not None and not isinstance(value, str):
            value = to_string(value)
        return self.from_typed(value, options)

    def validate(self, value, options=None):
        if value is UNDEFINED or isinstance(value, str):
            return None
        return _bad('Value is not a string.')


class InvalidDateValue:
    """``new Date('garbage')``: accepted by conversion, rejected by validation.

    strong-remoting's date converter calls its validator with the wrong
    arguments, so an invalid date string only fails when the method is
    invoked (after the before-remote hooks).  This keeps that order.
    """

    def __repr__(self):
        return 'Invalid Date'


class DateConverter(Converter):
    def from_typed(self, value, options=None):
        if value is UNDEFINED:
            return value, None
        if value is None or isinstance(value, bool) or not (
                is_number(value) or isinstance(value, str)):
            return None, _bad('Value is not a valid date.')
        parsed = new_date(value)
        return (InvalidDateValue() if parsed is None else parsed), None

    def from_sloppy(self, value, options=None):
        if value == '':
            return UNDEFINED, None
        if isinstance(value, str) and _DIGITS_RE.match(value):
            value = int(value)
        return self.from_typed(value, options)

    def validate(self, value, options=None):
        if value is UNDEFINED or isinstance(value, _dt.datetime):
            return None
        return _bad('Value is not a valid date.')


class ObjectConverter(Converter):
    def from_sloppy(self, value, options=None):
        if value is UNDEFINED or value == '':
            return UNDEFINED, None
        if value is None or value == 'null':
            return None, None
        if looks_like_json_object(value):
            try:
                parsed = parse_json(value)
            except ValueError:
                return None, _bad('Cannot parse JSON-encoded object value.')
            return self.from_typed(parsed, options)
        return self.from_typed(value, options)

    def validate(self, value, options=None):
        if value is UNDEFINED or value is None:
            return None
        if isinstance(value, list):
            if not (options or {}).get('allowArray'):
                return _bad('Value is not an object.')
            if any(self.validate(item) for item in value):
                return _bad('Some of array items are not an object.')
            return None
        if not isinstance(value, dict):
            return _bad('Value is not an object.')
        return None


class AnyConverter(Converter):
    def from_sloppy(self, value, options=None):
        if value == 'null' or value is None:
            return None, None
        if not isinstance(value, str):
            return value, None
        if value == '':
            return UNDEFINED, None
        if value.lower() == 'true':
            return True, None
        if value.lower() == 'false':
            return False, None
        if _FLOAT_RE.match(value) or _INT_RE.match(value):
            num = to_number(value)
            if -MAX_SAFE_INTEGER <= num <= MAX_SAFE_INTEGER:
                return num, None
        if looks_like_json_object(value) or looks_like_json_array(value):
            try:
                return parse_json(value), None
            except ValueError:
                pass
        return value, None


class ArrayConverter(Converter):
    def __init__(self, item_type):
        self.item_type = item_type

    def _items(self):
        return get_converter(self.item_type)

    def from_typed(self, value, options=None):
        if value is UNDEFINED or value is None:
            return value, None
        if not isinstance(value, list):
            return None, _bad('Value is not an array.')
        items = []
        conv = self._items()
        for item in value:
            out, err = conv.from_typed(item, options)
            if err:
                return None, err
            items.append(out)
        return items, None

    def from_sloppy(self, value, options=None):
        if value is UNDEFINED or value == '':
            return UNDEFINED, None
        if value is None or value == 'null':
            return None, None
        if looks_like_json_array(value):
            try:
                parsed = parse_json(value)
            except ValueError:
                return None, _bad('Cannot parse JSON-encoded array value.')
            return self.from_typed(parsed, options)
        if not isinstance(value, list):
            value = [value]
        items = []
        conv = self._items()
        for item in value:
            out, err = conv.from_sloppy(item, options)
            if err:
                return None, err
            items.append(out)
        return items, None

    def validate(self, value, options=None):
        if value is UNDEFINED or value is None:
            return None
        if not isinstance(value, list):
            return _bad('Value is not an array.')
        conv = self._items()
        for item in value:
            err = conv.validate(item, options)
            if err:
                return err
        return None


_BASIC = {
    'number': NumberConverter(), 'integer': IntegerConverter(),
    'boolean': BooleanConverter(), 'string': StringConverter(),
    'date': DateConverter(), 'object': ObjectConverter(), 'any': AnyConverter(),
}
_PY_TYPES = {str: 'string', int: 'number', float: 'number', bool: 'boolean',
             dict: 'object', list: 'array', _dt.datetime: 'date', object: 'any'}


def type_key(type_):
    """Normalise a type spec to a lower-case name or a one-item list."""
    if isinstance(type_, type):
        if type_ in _PY_TYPES:
            return _PY_TYPES[type_]
        return getattr(type_, 'modelName', type_.__name__).lower()
    if isinstance(type_, dict):
        return 'object'          # an inline definition is a free-form object
    if isinstance(type_, (list, tuple)):
        return [type_[0] if type_ else 'any']
    if type_ is None:
        return 'any'
    return str(type_).lower()


def get_converter(type_):
    """The converter for a type spec; unknown names (model names) act as 'object'."""
    key = type_key(type_)
    if key == 'array':
        key = ['any']
    if isinstance(key, list):
        return ArrayConverter(key[0])
    return _BASIC.get(key, _BASIC['object'] if key not in ('file',) else _BASIC['any'])
