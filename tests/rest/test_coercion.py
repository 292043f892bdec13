"""Argument coercion matches strong-remoting's converters value for value.

``strong_remoting_coercion.json`` was produced by running strong-remoting
3.17.0's own TypeRegistry converters (``fromSloppyValue`` for query/path/
header strings, ``fromTypedValue`` for JSON bodies) in Node over the inputs
it lists; this test feeds the same inputs to loopback_compat.remoting.types.
"""

import datetime as dt
import json
import math
import os

import pytest

from loopback_compat.types import to_iso
from loopback_compat.remoting.types import UNDEFINED, InvalidDateValue, get_converter

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, 'strong_remoting_coercion.json')) as fh:
    CASES = json.load(fh)


def _show(value, err):
    if err is not None:
        return {'error': err.message}
    if value is UNDEFINED:
        return {'undefined': True}
    if isinstance(value, InvalidDateValue):
        return {'value': 'Invalid Date'}
    if isinstance(value, dt.datetime):
        return {'value': {'$date': to_iso(value)}}
    if isinstance(value, float) and math.isnan(value):
        return {'NaN': True}
    return {'value': value}


def _id(case):
    return '%s-%s-%r' % (case['type'], case['mode'], case['input'].get('value', 'undefined'))


@pytest.mark.parametrize('case', CASES, ids=[_id(c) for c in CASES])
def test_converter_matches_strong_remoting(case):
    value = UNDEFINED if case['input'].get('undefined') else case['input']['value']
    conv = get_converter(case['type'])
    if case['mode'] == 'sloppy':
        got = conv.from_sloppy(value, {})
    else:
        got = conv.from_typed(value, {})
    assert _show(*got) == case['result']
