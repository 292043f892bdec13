"""JavaScript's value rules, one implementation each.

The port promises JavaScript-exact behaviour wherever juggler's depends on
JavaScript: how a value prints, reads as a number, tests as true, compares
with ``==`` or ``<``, parses as a Date, and how a regex source matches.
Every module of the package asks these functions; tests/test_js.py pins
them to values recorded from Node 20 (tests/data/js_values_node20.json).

    values.py     undefined (UNDEFINED), String(v) to_string, Number(v) to_number,
                  truthiness truthy, == loose_equal, === strict_equal, < less_than,
                  ToPrimitive, Object.keys order (own_keys)
    numbers.py    typeof 'number' (is_number), Number::toString (number_to_string),
                  StringToNumber (string_to_number)
    dates.py      new Date(x) (new_date, time_value), Date.parse (V8's parser),
                  toISOString (iso_string), toString (date_to_string)
    regexp.py     JavaScript regex sources -> Python re (translate, compile_js),
                  juggler's toRegExp, LIKE patterns, escapeRegExp
    safe_regex.py the engine every regexp, like and ilike runs on: RE2, or a
                  backtracking engine on a time budget
    json.py       JSON.parse with a depth bound (parse_json), JSON.stringify
                  (stringify), a string's JSON text (quote)
    inspect.py    util.inspect (node_inspect), as ValidationError messages print values

Values use these Python spellings: None is null, UNDEFINED is undefined,
int/float are numbers, dict an object, list an array, datetime a Date,
re.Pattern a RegExp.  The process time zone is taken to be UTC.
"""

from .numbers import is_nan, is_number, number_to_string, string_to_number
from .dates import date_ms, iso_string, new_date, time_value
from .values import (
    UNDEFINED, is_object, less_than, loose_equal, own_keys, strict_equal, to_number,
    to_primitive, to_string, truthy)
from .json import parse_json, quote, stringify
from .regexp import compile_js, like_to_regexp, to_regexp, translate

__all__ = [
    'UNDEFINED', 'is_object', 'truthy', 'to_primitive', 'to_string', 'to_number',
    'loose_equal', 'strict_equal', 'less_than', 'own_keys',
    'is_number', 'is_nan', 'number_to_string', 'string_to_number',
    'date_ms', 'iso_string', 'new_date', 'time_value',
    'parse_json', 'quote', 'stringify',
    'compile_js', 'like_to_regexp', 'to_regexp', 'translate',
]
