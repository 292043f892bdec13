"""JavaScript/Node value printing (loopback_compat/js_text.py).

Expected texts were printed by Node 20 (String(n) and util.inspect).
"""

import math

import pytest

from loopback_compat.js_text import UNDEFINED, js_number_string, js_string, node_inspect


@pytest.mark.parametrize('value, expected', [
    (0.1, '0.1'), (1e-7, '1e-7'), (1.5e-7, '1.5e-7'), (0.000001, '0.000001'),
    (123.456, '123.456'), (1e21, '1e+21'), (1.2345e25, '1.2345e+25'),
    (1e16, '10000000000000000'), (5e-324, '5e-324'), (0.00012, '0.00012'), (100.0, '100'),
    (2.5e-5, '0.000025'), (-0.5, '-0.5'), (0.1 + 0.2, '0.30000000000000004'),
    (math.nan, 'NaN'), (-math.inf, '-Infinity'), (10 ** 21, '1e+21'), (42, '42'),
])
def test_number_strings(value, expected):
    assert js_number_string(value) == expected


@pytest.mark.parametrize('value, expected', [
    (UNDEFINED, 'undefined'), (None, 'null'), (True, 'true'), ([1, None, 'a'], '1,,a'),
    ({}, '[object Object]'), (ValueError('boom'), 'ValueError: boom'), (3.0, '3'),
])
def test_js_string(value, expected):
    assert js_string(value) == expected


@pytest.mark.parametrize('value, depth, expected', [
    ([{'a': {'b': 'c'}}], 1, '[ { a: [Object] } ]'),
    ({'x': 'a`b\'"c'}, 0, "{ x: 'a`b\\'\"c' }"),
    ({'1a': 1, 'a1': 2, '$x': 3, '_y': 4, '': 5}, 0, "{ '1a': 1, a1: 2, '$x': 3, _y: 4, '': 5 }"),
    (list('abcdefg'), 1, "[\n  'a', 'b', 'c',\n  'd', 'e', 'f',\n  'g'\n]"),
    ({'s': 'line1 is long enough\nline2\n'}, 0, "{ s: 'line1 is long enough\\nline2\\n' }"),
    ([-0.0, 1e300], 1, '[ -0, 1e+300 ]'),
    ({'a': [1, 2], 'b': None, 'c': UNDEFINED, 'd': True}, 0,
     '{ a: [Array], b: null, c: undefined, d: true }'),
    (list(range(1, 11)), 1, '[\n  1, 2, 3, 4,  5,\n  6, 7, 8, 9, 10\n]'),
])
def test_node_inspect(value, depth, expected):
    assert node_inspect(value, depth) == expected
