"""Moved to :mod:`loopback_compat.js`: this module re-exports the old names.

``String(v)`` is :func:`js.values.to_string`, number printing
:func:`js.numbers.number_to_string`, ``toISOString`` :func:`js.dates.iso_string`,
JSON :mod:`js.json`, ``util.inspect`` :mod:`js.inspect`.
"""

from .js.dates import iso_string
from .js.inspect import is_invalid_date, is_model, node_inspect
from .js.json import MAX_JSON_DEPTH, nesting_exceeds as _nesting_exceeds, parse_json
from .js.json import quote as json_string
from .js.numbers import is_nan, is_number, number_to_string as js_number_string
from .js.values import UNDEFINED, _Undefined
from .js.values import to_string as js_string

__all__ = ['UNDEFINED', 'MAX_JSON_DEPTH', 'parse_json', 'is_number', 'is_nan',
           'js_number_string', 'js_string', 'json_string', 'iso_string', 'is_model',
           'is_invalid_date', 'node_inspect']
