"""Unit tests of loopback_compat.filters (pure functions, no loop).

Expected values and messages were checked against loopback-datasource-juggler
3.36.1 (Model._normalize / _coerce and the memory connector's find).
"""

import datetime as dt
import re
import warnings
from decimal import Decimal

import pytest

from loopback_compat import filters as F
from loopback_compat.errors import LoopBackError, UnknownOperatorWarning
from loopback_compat.filters import ModelInfo, undefined
from loopback_compat.filters import match as filters_match
from loopback_compat.js import regexp as js_regexp

UTC = dt.timezone.utc


def d(*args):
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture
def info():
    return ModelInfo.from_definition(
        {'s': 'string', 'n': 'number', 'b': 'boolean', 'd': 'date', 'o': 'object',
         'a': 'array', 'x': 'any', 'sa': ['string'], 'na': ['number'], 'j': 'json',
         'tags': ['string'], 'nums': ['number'], 'addr': 'object', 'id': 'number'},
        ['id'], 'M')


def rows():
    data = [
        {'s': 'apple', 'n': 1, 'b': True, 'd': d(2020, 1, 1), 'tags': ['a', 'b'], 'nums': [1, 2],
         'addr': {'city': 'Paris', 'zip': '75'}, 'x': '5'},
        {'s': 'Banana', 'n': 2, 'b': False, 'd': d(2020, 2, 1), 'tags': [], 'nums': [],
         'addr': {'city': 'Rome'}, 'x': 5},
        {'s': 'cherry.pie', 'n': None, 'b': None, 'd': None, 'tags': ['c'],
         'addr': [{'city': 'Oslo'}, {'city': 'Bergen'}], 'x': None},
        {'s': None, 'n': 10, 'tags': None, 'x': True},
        {'s': 'a_b%c', 'n': -3, 'b': True, 'd': d(2019, 6, 1), 'x': 'abc'},
        {'n': 2, 's': '12'},
    ]
    for i, r in enumerate(data):
        r['id'] = i + 1
    return data


def ids(where, info):
    """Ids of the sample rows a where selects, through the whole pipeline."""
    f = F.normalize_filter({'where': where}, info)
    return [r['id'] for r in F.apply_filter(rows(), f, info)]


def error_of(fn, *args):
    with pytest.raises(LoopBackError) as exc:
        fn(*args)
    return exc.value


# ---------------------------------------------------------------- undefined

def test_undefined_is_a_falsy_singleton():
    import copy
    assert repr(undefined) == 'undefined'
    assert not undefined
    assert copy.deepcopy({'a': undefined})['a'] is undefined
    assert type(undefined)() is undefined


# ---------------------------------------------------------------- ModelInfo

def test_model_info_from_definition_normalises_type_spellings():
    mi = ModelInfo.from_definition(
        {'a': str, 'b': {'type': 'Number', 'required': True}, 'c': 'boolean', 'e': dt.datetime,
         'f': dict, 'g': list, 'h': [int], 'i': {'type': 'String'}}, ['b'], 'X', {'strict': True})
    assert [mi.prop_type(k) for k in 'abcefg'] == ['string', 'number', 'boolean', 'date', 'object', 'array']
    assert mi.prop_type('h') == ['number']
    assert mi.prop_type('i') == 'string'
    assert mi.properties['b']['required'] is True
    assert mi.prop_type('zz') is None
    assert mi.id_names == ['b'] and mi.name == 'X' and mi.settings == {'strict': True}


def test_model_info_constructor_normalises_too():
    raw = {'n': {'type': 'Number'}}
    mi = ModelInfo('M', raw, ['id'])
    assert mi.prop_type('n') == 'number' and raw == {'n': {'type': 'Number'}}
    assert F.coerce_where({'n': '5'}, mi) == {'n': 5}


def test_model_info_setting_prefers_options():
    mi = ModelInfo('M', {}, ['id'], {'allowExtendedOperators': False})
    assert mi.setting('allowExtendedOperators', {'allowExtendedOperators': True}) is True
    assert mi.setting('allowExtendedOperators', {}) is False
    assert mi.setting('missing') is None


# ---------------------------------------------------------------- parse_filter

def test_parse_filter_accepts_none_dict_and_json():
    assert F.parse_filter(None) == {}
    assert F.parse_filter('') == {}
    assert F.parse_filter('null') == {}
    assert F.parse_filter('{"where": {"n": 1}, "limit": 2}') == {'where': {'n': 1}, 'limit': 2}
    assert F.parse_filter('  {"a": 1}  ') == {'a': 1}


def test_parse_filter_copies_deeply():
    original = {'where': {'n': {'inq': [1, 2]}}}
    parsed = F.parse_filter(original)
    parsed['where']['n']['inq'].append(3)
    assert original == {'where': {'n': {'inq': [1, 2]}}}


@pytest.mark.parametrize('raw', ['{bad}', '{"a": NaN}', '{"a": 1,}'])
def test_parse_filter_malformed_json(raw):
    err = error_of(F.parse_filter, raw)
    assert (err.message, err.statusCode) == ('Cannot parse JSON-encoded object value.', 400)


@pytest.mark.parametrize('raw', ['abc', '[1]', '{unterminated', 5, [1], True])
def test_parse_filter_non_object(raw):
    err = error_of(F.parse_filter, raw)
    assert (err.message, err.statusCode) == ('Value is not an object.', 400)


# ---------------------------------------------------------------- normalize: limit/skip

@pytest.mark.parametrize('flt, expected', [
    ({'limit': '5'}, {'limit': 5, 'offset': 0, 'skip': 0}),
    ({'limit': '1e1'}, {'limit': 10, 'offset': 0, 'skip': 0}),
    ({'limit': True}, {'limit': 1, 'offset': 0, 'skip': 0}),
    ({'limit': [3]}, {'limit': 3, 'offset': 0, 'skip': 0}),
    ({'limit': 0}, {'limit': 0}),
    ({'limit': None}, {'limit': None}),
    ({'limit': ''}, {'limit': ''}),
    ({'offset': 3}, {'offset': 3, 'limit': 100, 'skip': 3}),
    ({'skip': '3'}, {'skip': 3, 'limit': 100, 'offset': 3}),
    ({'skip': 2, 'offset': 5}, {'skip': 2, 'offset': 2, 'limit': 100}),
    ({'skip': 0}, {'skip': 0}),
])
def test_normalize_limit_skip(info, flt, expected):
    assert F.normalize_filter(flt, info) == expected


def test_normalize_limit_infinity_is_valid(info):
    assert F.normalize_filter({'limit': 'Infinity'}, info)['limit'] == float('inf')


@pytest.mark.parametrize('flt, message', [
    ({'limit': -1}, 'The limit parameter -1 is not valid'),
    ({'limit': 'abc'}, 'The limit parameter "abc" is not valid'),
    ({'limit': 1.5}, 'The limit parameter 1.5 is not valid'),
    ({'limit': []}, 'The limit parameter [] is not valid'),
    ({'limit': {}}, 'The limit parameter {} is not valid'),
    ({'skip': -1}, 'The offset/skip parameter -1 is not valid'),
    ({'skip': 'x', 'limit': 3}, 'The offset/skip parameter "x" is not valid'),
    ({'offset': -2}, 'The offset/skip parameter -2 is not valid'),
    ({'skip': 0.5}, 'The offset/skip parameter 0.5 is not valid'),
])
def test_normalize_limit_skip_errors(info, flt, message):
    err = error_of(F.normalize_filter, flt, info)
    assert (err.message, err.statusCode) == (message, 400)


def test_normalize_never_mutates_input(info):
    flt = {'limit': '5', 'order': 'n desc', 'where': {'n': '1', 's': undefined}, 'fields': {'n': True}}
    snapshot = {'limit': '5', 'order': 'n desc', 'where': {'n': '1', 's': undefined}, 'fields': {'n': True}}
    out = F.normalize_filter(flt, info)
    assert flt == snapshot
    assert out == {'limit': 5, 'offset': 0, 'skip': 0, 'order': 'n DESC', 'where': {'n': 1},
                   'fields': ['n']}


def test_normalize_falsy_filter_is_empty(info):
    assert F.normalize_filter(None, info) == {}
    assert F.normalize_filter({}, info) == {}


@pytest.mark.parametrize('flt, message', [
    ('abc', 'The query filter "abc" is not an object'),
    ([1], 'The query filter [1] is not an object'),
    ({'where': 'x'}, 'The where clause "x" is not an object'),
])
def test_normalize_shape_errors(info, flt, message):
    err = error_of(F.normalize_filter, flt, info)
    assert (err.message, err.statusCode) == (message, 400)


def test_normalize_keeps_unknown_keys_and_null_where(info):
    assert F.normalize_filter({'where': None, 'include': 'x', 'extra': 1}, info) == \
        {'where': None, 'include': 'x', 'extra': 1}


# ---------------------------------------------------------------- normalize: order

@pytest.mark.parametrize('order, expected', [
    ('n DESC', 'n DESC'),
    ('n desc, s', ['n DESC', 's']),
    (['n desc', 's ASC'], ['n DESC', 's ASC']),
    ('n  DESC  extra', 'n DESC'),
    (',,n', 'n'),
    ('', ''),
    (['n'], ['n']),
])
def test_normalize_order(info, order, expected):
    assert F.normalize_filter({'order': order}, info)['order'] == expected


@pytest.mark.parametrize('order, message', [
    ('n up', 'The order "n up" has invalid direction'),
    (' n DESC', 'The order " n DESC" has invalid direction'),
    (5, 'The order 5 is not valid'),
    ([5], 'The order 5 is not valid'),
    ({'n': 1}, 'The order {"n":1} is not valid'),
])
def test_normalize_order_errors(info, order, message):
    err = error_of(F.normalize_filter, {'order': order}, info)
    assert (err.message, err.statusCode) == (message, 400)


# ---------------------------------------------------------------- normalize: fields

@pytest.fixture
def small():
    return ModelInfo.from_definition({'s': 'string', 'n': 'number', 'b': 'boolean', 'd': 'date',
                                      'id': 'number'}, ['id'], 'M')


@pytest.mark.parametrize('fields, expected', [
    ('n', ['n']),
    (['n', 'zz'], ['n', 'zz']),
    ({'n': True}, ['n']),
    ({'n': False}, ['s', 'b', 'd', 'id']),
    ({'zz': False}, ['s', 'n', 'b', 'd', 'id']),
    ({'n': 1, 's': 0}, ['n']),
    (5, ['s', 'n', 'b', 'd', 'id']),
])
def test_normalize_fields(small, fields, expected):
    assert F.normalize_filter({'fields': fields}, small)['fields'] == expected


@pytest.mark.parametrize('fields', [{}, []])
def test_normalize_empty_fields_are_dropped(small, fields):
    assert F.normalize_filter({'fields': fields}, small) == {}


def test_fields_strict_model_drops_unknown():
    strict = ModelInfo.from_definition({'n': 'number'}, ['id'], 'S', {'strict': True})
    assert F.fields_to_array(['n', 'zz'], strict) == ['n']


# ---------------------------------------------------------------- coerce_where: values

@pytest.mark.parametrize('where, expected', [
    ({'n': '5'}, {'n': 5}),
    ({'n': ''}, {'n': 0}),
    ({'n': ' 12 '}, {'n': 12}),
    ({'n': '1.5'}, {'n': 1.5}),
    ({'n': '0x10'}, {'n': 16}),
    ({'n': 'abc'}, {'n': 'abc'}),
    ({'n': '1_000'}, {'n': '1_000'}),
    ({'n': 'inf'}, {'n': 'inf'}),
    ({'n': True}, {'n': 1}),
    ({'n': {'eq': '5'}}, {'n': 5}),
    ({'n': [1, '2']}, {'n': [1, 2]}),
    ({'s': 5}, {'s': '5'}),
    ({'s': True}, {'s': 'true'}),
    ({'s': 1.5e-7}, {'s': '1.5e-7'}),
    ({'s': 1e21}, {'s': '1e+21'}),
    ({'s': 0.00001}, {'s': '0.00001'}),
    ({'s': [1, 'a']}, {'s': ['1', 'a']}),
    ({'s': d(1970, 1, 1)}, {'s': 'Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)'}),
    ({'s': {'neq': 5}}, {'s': {'neq': '5'}}),
    ({'b': 'true'}, {'b': True}),
    ({'b': '1'}, {'b': True}),
    ({'b': '0'}, {'b': False}),
    ({'b': 'false'}, {'b': False}),
    ({'b': 'yes'}, {'b': True}),
    ({'b': ''}, {'b': False}),
    ({'b': 0}, {'b': False}),
    ({'b': {'inq': ['1', 'false']}}, {'b': {'inq': [True, False]}}),
    ({'x': {'gt': '5'}}, {'x': {'gt': '5'}}),
    ({'o': {'gt': '5'}}, {'o': {'gt': '5'}}),
    ({'o': {'foo': 1}}, {'o': {'foo': 1}}),
    ({'j': {'foo': 1}}, {'j': {'foo': 1}}),
    ({'a': ['1', 2]}, {'a': ['1', 2]}),
    ({'a': {'inq': 5}}, {'a': {'inq': 5}}),
    ({'sa': {'inq': [1, 2]}}, {'sa': {'inq': ['1', '2']}}),
    ({'na': {'inq': ['1', 'x']}}, {'na': {'inq': [1, 'x']}}),
    ({'unknown': {'gt': '1'}, 'addr.city': 5}, {'unknown': {'gt': '1'}, 'addr.city': 5}),
    ({'n': None}, {'n': None}),
    ({'n': {'neq': None}}, {'n': {'neq': None}}),
    ({'n': {'gt': None}}, {'n': {'gt': None}}),
])
def test_coerce_values(info, where, expected):
    assert F.coerce_where(where, info) == expected


@pytest.mark.parametrize('where, expected', [
    ({'n': {'foo': 1}}, {'n': {'foo': 1}}),
    ({'s': {'foo': 1}}, {'s': '[object Object]'}),
])
def test_coerce_unknown_operator_keeps_juggler_value_and_warns(info, where, expected):
    prop = next(iter(where))
    with pytest.warns(UnknownOperatorWarning,
                      match='Unknown operator "foo" for property %s of model M' % prop):
        assert F.coerce_where(where, info) == expected


def test_coerce_keeps_only_the_first_operator_in_juggler_order(info):
    assert F.coerce_where({'n': {'gt': 1, 'lt': 5}}, info) == {'n': {'gt': 1}}
    assert F.coerce_where({'n': {'lt': 5, 'gt': 1}}, info) == {'n': {'gt': 1}}
    assert F.coerce_where({'n': {'inq': [1], 'nin': [1]}}, info) == {'n': {'inq': [1]}}


def test_coerce_keeps_options(info):
    assert F.coerce_where({'s': {'like': 'a', 'options': 'i'}}, info) == {'s': {'like': 'a', 'options': 'i'}}
    assert F.coerce_where({'n': {'neq': 'x', 'options': 'i'}}, info) == {'n': {'neq': 'x', 'options': 'i'}}


def test_coerce_array_like_dicts(info):
    assert F.coerce_where({'n': {'inq': {'0': '1', '1': '2'}}}, info) == {'n': {'inq': [1, 2]}}
    assert F.coerce_where({'and': {'0': {'n': '1'}}}, info) == {'and': [{'n': 1}]}


def test_coerce_logical_operators_recurse(info):
    assert F.coerce_where({'or': [{'n': '1'}, {'and': [{'n': '2'}]}]}, info) == \
        {'or': [{'n': 1}, {'and': [{'n': 2}]}]}
    assert F.coerce_where({'nor': [{'n': '1'}]}, info) == {'nor': [{'n': 1}]}
    assert F.coerce_where({'and': [None]}, info) == {'and': [None]}


def test_coerce_dates(info):
    assert F.coerce_where({'d': '2020-01-01'}, info) == {'d': d(2020, 1, 1)}
    assert F.coerce_where({'d': 0}, info) == {'d': d(1970, 1, 1)}
    assert F.coerce_where({'d': {'between': ['2020-01-01', '2020-02-01T10:00:00']}}, info) == \
        {'d': {'between': [d(2020, 1, 1), d(2020, 2, 1, 10)]}}
    assert F.coerce_where({'d': '2020-01-01T10:00:00+02:00'}, info) == {'d': d(2020, 1, 1, 8)}
    assert F.coerce_where({'d': '2020-01-01T10:00:00.5Z'}, info) == {'d': d(2020, 1, 1, 10, 0, 0, 500000)}
    assert F.coerce_where({'d': 'Thu, 02 Jan 2020 00:00:00 GMT'}, info) == {'d': d(2020, 1, 2)}
    assert F.coerce_where({'d': dt.date(2020, 3, 4)}, info) == {'d': d(2020, 3, 4)}
    assert F.coerce_where({'d': {'gt': None}}, info) == {'d': {'gt': None}}


@pytest.mark.parametrize('value, shown', [('foo', 'foo'), ({'gt': 'x'}, 'x'), ('2020-13-01', '2020-13-01')])
def test_coerce_invalid_date_has_no_status(info, value, shown):
    err = error_of(F.coerce_where, {'d': value}, info)
    assert (err.message, err.statusCode) == ('Invalid date: %s' % shown, None)


def test_coerce_regexp_values(info):
    out = F.coerce_where({'s': {'regexp': '/ab/i'}}, info)
    pattern = out['s']['regexp']
    assert isinstance(pattern, re.Pattern) and pattern.search('xABy')
    bare = re.compile('^a')
    assert F.coerce_where({'s': bare}, info) == {'s': {'regexp': bare}}
    assert F.coerce_where({'s': {'like': bare}}, info) == {'s': {'like': bare}}
    inq = F.coerce_where({'s': {'inq': [bare, 1]}}, info)
    assert inq == {'s': {'inq': [bare, '1']}}
    assert F.coerce_where({'s': {'regexp': '/abc/'}}, info)['s']['regexp'].search('xabc')


def test_coerce_escapes_invalid_regex_strings(info):
    assert F.coerce_where({'s': {'like': 'a('}}, info) == {'s': {'like': 'a\\('}}
    assert F.coerce_where({'n': {'like': 'a['}}, info) == {'n': {'like': 'a\\['}}
    assert F.coerce_where({'s': {'like': 'a.b'}}, info) == {'s': {'like': 'a.b'}}


@pytest.mark.parametrize('where, message', [
    ({'n': {'inq': '1'}}, 'The n property has invalid clause {"inq":"1"}: Error: Value is not an array '
                          'or object with sequential numeric indices'),
    ({'s': {'nin': 5}}, 'The s property has invalid clause {"nin":5}: Error: Value is not an array '
                        'or object with sequential numeric indices'),
    ({'n': {'inq': {}}}, 'The n property has invalid clause {"inq":{}}: Error: Value is an empty object'),
    ({'n': {'inq': None}}, 'The n property has invalid clause {"inq":null}: Error: Value is not an array '
                           'or object with sequential numeric indices'),
    ({'n': {'between': [1]}}, 'The n property has invalid clause {"between":[1]}: Expected precisely 2 '
                              'values, received 1'),
    ({'n': {'between': 'x'}}, 'The n property has invalid clause {"between":"x"}: Error: Value is not an '
                              'array or object with sequential numeric indices'),
    ({'s': {'like': 5}}, 'The s property has invalid clause {"like":5}: Expected a string or RegExp'),
    ({'s': {'nilike': None}}, 'The s property has invalid clause {"nilike":null}: Expected a string or RegExp'),
    ({'s': {'regexp': '/a/x'}}, 'Invalid regex flags: x'),
    ({'s': {'regexp': 'a/b'}}, 'Invalid regex flags: b'),
    ({'s': {'regexp': 5}}, 'Invalid argument, must be a string, regex literal, or RegExp object'),
    ({'and': {}}, 'The and operator has invalid clauses {}: Value is an empty object'),
    ({'and': 'x'}, 'The and operator has invalid clauses "x": Value is not an array or object with '
                   'sequential numeric indices'),
    ({'or': {'1': {}}}, 'The or operator has invalid clauses {"1":{}}: Value is not an array or object '
                        'with sequential numeric indices'),
    ({'and': [{'n': '1'}, 'x']}, 'The where clause "x" is not an object'),
    ('abc', 'The where clause "abc" is not an object'),
    ([1], 'The where clause [1] is not an object'),
    (5, 'The where clause 5 is not an object'),
])
def test_coerce_errors(info, where, message):
    err = error_of(F.coerce_where, where, info)
    assert (err.message, err.statusCode) == (message, 400)


def test_coerce_rejects_dollar_operators(info):
    err = error_of(F.coerce_where, {'s': {'$gt': 1, '$lt': 2}}, info)
    assert (err.message, err.statusCode, err.code) == \
        ('Operators "$gt, $lt" are not allowed in query', 400, 'OPERATOR_NOT_ALLOWED_IN_QUERY')
    assert err.details['operators'] == ['$gt', '$lt']
    err = error_of(F.coerce_where, {'n': {'gt': {'$foo': 1}}}, info)
    assert err.message == 'Operators "$foo" are not allowed in query'


def test_coerce_dollar_operators_unchecked_where_juggler_skips(info):
    # unknown properties are not coerced at all; inq elements are not checked
    assert F.coerce_where({'unknown': {'$gt': 1}}, info) == {'unknown': {'$gt': 1}}
    assert F.coerce_where({'n': {'inq': [{'$foo': 1}]}}, info) == {'n': {'inq': [{'$foo': 1}]}}


def test_coerce_allow_extended_operators(info):
    assert F.coerce_where({'n': {'$gt': 1}}, info, {'allowExtendedOperators': True}) == {'n': {'$gt': 1}}
    lenient = ModelInfo(info.name, info.properties, info.id_names, {'allowExtendedOperators': True})
    assert F.coerce_where({'s': {'$regex': 'a'}}, lenient) == {'s': {'$regex': 'a'}}
    err = error_of(F.coerce_where, {'s': {'$regex': 'a'}}, lenient, {'allowExtendedOperators': False})
    assert err.code == 'OPERATOR_NOT_ALLOWED_IN_QUERY'


def test_coerce_nested_model_properties():
    address = ModelInfo.from_definition({'zip': 'number'}, [], 'Address')
    mi = ModelInfo.from_definition({'addr': {'type': address}, 'addrs': {'type': [address]}}, ['id'], 'P')
    assert F.coerce_where({'addr': {'zip': '75'}}, mi) == {'addr': {'zip': 75}}
    assert F.coerce_where({'addrs': [{'zip': '1'}, {'zip': '2'}]}, mi) == {'addrs': [{'zip': 1}, {'zip': 2}]}


def test_coerce_where_never_mutates(info):
    where = {'n': {'inq': ['1', '2']}, 'and': [{'s': 1}]}
    F.coerce_where(where, info)
    assert where == {'n': {'inq': ['1', '2']}, 'and': [{'s': 1}]}


# ---------------------------------------------------------------- sanitize / undefined

def test_undefined_values_are_dropped(info):
    assert F.coerce_where({'n': {'inq': [1, undefined, 2]}, 's': undefined}, info) == {'n': {'inq': [1, 2]}}
    assert F.coerce_where({'n': undefined}, info) == {}


def test_normalize_undefined_nullify_and_throw(info):
    assert F.coerce_where({'s': undefined}, info, {'normalizeUndefinedInQuery': 'nullify'}) == {'s': None}
    err = error_of(F.coerce_where, {'s': undefined}, info, {'normalizeUndefinedInQuery': 'throw'})
    assert (err.message, err.statusCode) == ('Unexpected `undefined` in query', None)
    by_setting = ModelInfo('M', info.properties, ['id'], {'normalizeUndefinedInQuery': 'nullify'})
    assert F.coerce_where({'s': undefined}, by_setting) == {'s': None}


def test_query_depth_limit(info):
    err = error_of(F.normalize_filter, {'where': {'n': {'gt': 1}}, 'limit': 3}, info, {'maxDepthOfQuery': 2})
    assert (err.message, err.statusCode, err.code) == \
        ('The query object exceeds maximum depth 2', 400, 'QUERY_OBJECT_TOO_DEEP')
    assert F.normalize_filter({'where': {'n': {'gt': 1}}}, info, {'maxDepthOfQuery': 3}) == \
        {'where': {'n': {'gt': 1}}}
    deep = {'n': 1}
    for _ in range(40):
        deep = {'and': [deep]}
    assert error_of(F.coerce_where, deep, info).message == 'The query object exceeds maximum depth 32'


def test_circular_query(info):
    where = {'n': 1}
    where['self'] = where
    err = error_of(F.coerce_where, where, info)
    assert (err.message, err.statusCode, err.code) == \
        ('The query object is circular', 400, 'QUERY_OBJECT_IS_CIRCULAR')


def test_prohibit_hidden_properties():
    mi = ModelInfo.from_definition({'secret': 'string', 'n': 'number'}, ['id'], 'M',
                                   {'hidden': ['secret'], 'prohibitHiddenPropertiesInQuery': True})
    assert F.coerce_where({'secret': 'x', 'n': 1, 'or': [{'secret.a': 1}]}, mi) == {'n': 1, 'or': [{}]}
    open_model = ModelInfo.from_definition({'secret': 'string'}, ['id'], 'M', {'hidden': ['secret']})
    assert F.coerce_where({'secret': 'x'}, open_model) == {'secret': 'x'}


# ---------------------------------------------------------------- matching (memory connector)

@pytest.mark.parametrize('where, expected', [
    ({'n': '2'}, [2, 6]),
    ({'n': None}, [3]),
    ({'n': {'neq': None}}, [1, 2, 4, 5, 6]),
    ({'n': {'neq': 2}}, [1, 3, 4, 5]),
    ({'n': {'gt': 1, 'lt': 5}}, [2, 4, 6]),
    ({'n': {'gte': '2'}}, [2, 4, 6]),
    ({'n': {'lte': '2'}}, [1, 2, 5, 6]),
    ({'n': {'between': [0, 5]}}, [1, 2, 6]),
    ({'n': {'between': [2, 1]}}, []),
    ({'n': {'lt': None}}, []),
    ({'n': {'gte': None}}, [3]),
    ({'n': {'inq': ['2', 10]}}, [2, 4, 6]),
    ({'n': {'nin': [2]}}, [1, 3, 4, 5]),
    ({'n': [1, 2]}, []),
    ({'s': 12}, [6]),
    ({'s': {'gt': 'b'}}, [3]),
    ({'s': {'lt': 'b'}}, [1, 2, 5, 6]),
    ({'s': {'between': ['a', 'c']}}, [1, 5]),
    ({'s': {'neq': 'apple'}}, [2, 3, 4, 5, 6]),
    ({'s': {'eq': None}}, [4]),
    ({'s': {'inq': []}}, []),
    ({'s': {'nin': []}}, [1, 2, 3, 4, 5, 6]),
    ({'b': True}, [1, 5]),
    ({'b': 'false'}, [2]),
    ({'b': 1}, [1, 5]),
    ({'b': {'inq': [1]}}, [1, 5]),
    ({'b': {'neq': True}}, [2, 3, 4, 6]),
    ({'b': None}, [3, 4, 6]),
    ({'x': 5}, [1, 2]),
    ({'x': '5'}, [1, 2]),
    ({'x': {'gt': 4}}, [1, 2]),
    ({'x': 1}, [4]),
    ({'x': 'true'}, []),
    ({'x': {'inq': [True]}}, [4]),
    ({'x': {'inq': [1]}}, [4]),
    ({'x': {'nin': ['abc', 5]}}, [3, 4, 6]),
    ({'unknown': None}, [1, 2, 3, 4, 5, 6]),
    ({'unknown': {'neq': 1}}, [1, 2, 3, 4, 5, 6]),
    ({'unknown': {'gt': 1}}, []),
])
def test_match_comparisons(info, where, expected):
    assert ids(where, info) == expected


def test_match_unknown_operator_matches_nothing_and_warns(info):
    with pytest.warns(UnknownOperatorWarning, match='Unknown operator "foo" for property n'):
        assert ids({'n': {'foo': 1}}, info) == []


@pytest.mark.parametrize('where, expected', [
    ({'d': '2020-01-01'}, [1]),
    ({'d': {'gt': '2019-12-01'}}, [1, 2]),
    ({'d': {'lt': '2020-01-01'}}, [5]),
    ({'d': {'between': ['2019-01-01', '2020-01-15']}}, [1, 5]),
    ({'d': {'neq': '2020-01-01'}}, [2, 3, 4, 5, 6]),
    ({'d': None}, [3, 4, 6]),
    ({'d': {'inq': ['2020-01-01']}}, []),      # JS compares Date objects by identity
])
def test_match_dates(info, where, expected):
    assert ids(where, info) == expected


def test_match_naive_row_dates_read_as_utc(info):
    match = F.make_matcher(F.coerce_where({'d': {'gte': '2020-01-01'}}, info))
    assert match({'d': dt.datetime(2020, 1, 1)})
    assert not match({'d': dt.datetime(2019, 12, 31, 23, 59)})


@pytest.mark.parametrize('where, expected', [
    ({'s': {'like': 'an'}}, [2]),                # unanchored
    ({'s': {'like': 'APPLE'}}, []),
    ({'s': {'ilike': 'APPLE'}}, [1]),
    ({'s': {'ilike': 'b%'}}, [2, 5]),
    ({'s': {'nlike': 'a'}}, [3, 4, 6]),          # null reads 'null'
    ({'s': {'nilike': 'B'}}, [1, 3, 4, 6]),
    ({'s': {'like': 'a.p'}}, [1]),               # '.' keeps its regex meaning
    ({'s': {'like': 'a\\_b'}}, []),
    ({'s': {'like': 'ch%y.p'}}, [3]),
    ({'s': {'like': '%'}}, [1, 2, 3, 4, 5, 6]),
    ({'s': {'like': ''}}, []),
    ({'s': {'like': 'nul'}}, [4]),
    ({'s': {'like': 'undef%'}}, []),
    ({'s': {'like': '^a'}}, [1, 5]),
    ({'s': {'like': '%e$'}}, [1, 3]),
    ({'x': {'like': 'tr'}}, [4]),                # true reads 'true'
    ({'s': {'regexp': '^a'}}, [1, 5]),
    ({'s': {'regexp': '/^A/i'}}, [1, 5]),
    ({'s': {'regexp': '/E$/i'}}, [1, 3]),
    ({'tags': {'regexp': 'a'}}, [1]),
    ({'tags': {'like': 'c'}}, [3]),
])
def test_match_like_and_regexp(info, where, expected):
    assert ids(where, info) == expected


def test_like_on_missing_value_reads_undefined(info):
    match = F.make_matcher(F.coerce_where({'s': {'like': 'undef%'}}, info))
    assert match({'n': 1}) and not match({'s': None})


def test_like_with_compiled_pattern(info):
    assert ids({'s': {'like': re.compile('^b', re.I)}}, info) == [2]
    assert ids({'s': {'ilike': re.compile('^b')}}, info) == [2]
    assert ids({'s': re.compile('an')}, info) == [2]


@pytest.mark.parametrize('where, expected', [
    ({'tags': 'a'}, [1]),
    ({'tags': {'neq': 'a'}}, [1, 2, 3, 4, 5, 6]),   # an empty list matches neq
    ({'tags': {'nin': ['a']}}, [1, 3, 4, 5, 6]),    # but nothing else
    ({'tags': {'inq': ['c', 'b']}}, [1, 3]),
    ({'tags': {'neq': None}}, [1, 2, 3]),
    ({'nums': {'gt': 1}}, [1]),
    ({'nums': 2}, [1]),
    ({'nums': '2'}, [1]),
    ({'tags.0': 'a'}, [1]),
])
def test_match_list_values(info, where, expected):
    assert ids(where, info) == expected


def test_match_nested_lists():
    match = F.make_matcher({'m': 3})
    assert match({'m': [[1, 2], [3]]}) and not match({'m': [[1], []]})


@pytest.mark.parametrize('where, expected', [
    ({'addr.city': 'Paris'}, [1]),
    ({'addr.city': 'Bergen'}, [3]),       # falls back to objects inside the list
    ({'addr.city': {'inq': ['Oslo']}}, [3]),
    ({'addr.city': {'like': 'o'}}, [2, 3]),
    ({'addr.zip': {'like': '7'}}, [1]),
    ({'addr.city': {'neq': 'Paris'}}, [2, 3, 4, 5, 6]),
    ({'addr.zip': None}, [2, 3, 4, 5, 6]),
    ({'addr': {'city': 'Paris'}}, []),    # objects compare by identity
])
def test_match_nested_paths(info, where, expected):
    assert ids(where, info) == expected


@pytest.mark.parametrize('where, expected', [
    ({'or': [{'n': 1}, {'s': 'Banana'}]}, [1, 2]),
    ({'and': [{'n': {'gt': 0}}, {'b': True}]}, [1]),
    ({'or': [{'n': 1}], 's': 'apple'}, [1]),
    ({'or': [{'n': 1}], 's': 'Banana'}, []),
    ({'or': [{'and': [{'n': 2}, {'s': '12'}]}, {'n': -3}]}, [5, 6]),
    ({'nor': [{'n': 1}]}, []),                  # memory does not know nor
    ({'and': []}, [1, 2, 3, 4, 5, 6]),
])
def test_match_logical(info, where, expected):
    assert ids(where, info) == expected


@pytest.mark.parametrize('where, message', [
    ({'n': {'regexp': '1'}}, 'value.match is not a function'),
    ({'x': {'regexp': 'b'}}, 'value.match is not a function'),
    ({'tags': None}, "Cannot read properties of null (reading 'neq')"),
    ({'or': [{'n': 5}, None]}, 'Cannot convert undefined or null to object'),
])
def test_match_errors_juggler_throws(info, where, message):
    err = error_of(ids, where, info)
    assert (err.message, err.name, err.statusCode) == (message, 'TypeError', None)


def test_short_circuit_avoids_the_null_clause():
    match = F.make_matcher({'or': [{'n': 1}, None]})
    assert match({'n': 1})
    with pytest.raises(LoopBackError):
        match({'n': 2})


def test_match_empty_and_missing_where():
    assert F.make_matcher({})({'a': 1})
    assert F.make_matcher(None)({'a': 1})


def test_undefined_where_value_matches_everything(info):
    assert ids({'n': undefined}, info) == [1, 2, 3, 4, 5, 6]
    assert ids({'n': undefined, 's': 'apple'}, info) == [1]


def test_matcher_compiles_patterns_once(info, mocker):
    match = F.make_matcher(F.coerce_where({'s': {'like': 'a%'}, 'x': {'regexp': 'z'}}, info))
    spies = [mocker.spy(js_regexp, 'compile_js'), mocker.spy(filters_match, 'compile_js')]
    data = [{'s': 'a%d' % i, 'x': 'q'} for i in range(500)]
    assert sum(1 for r in data if match(r)) == 0
    assert [spy.call_count for spy in spies] == [0, 0]


def test_inq_fast_path_agrees_with_loose_equality():
    values = [1, '2', True, None, 'x', 2.5, '']
    match_in = F.make_matcher({'v': {'inq': values}})
    match_out = F.make_matcher({'v': {'nin': values}})
    for candidate in [1, '1', 2, '2', '2.0', True, False, 0, None, 'x', 2.5, '2.5', ' 1 ', undefined,
                      [1], {'a': 1}]:
        expected = any(F.js_loose_equal(v, candidate) for v in values)
        row = {} if candidate is undefined else {'v': candidate}
        if isinstance(candidate, list):
            expected = any(F.js_loose_equal(v, 1) for v in values)
        assert match_in(row) is expected, candidate
        assert match_out(row) is (not expected), candidate


# ---------------------------------------------------------------- JavaScript semantics helpers

@pytest.mark.parametrize('a, b, expected', [
    (1, '1', True), ('1', 1, True), ('1.0', 1, True), ('', 0, True), (' ', 0, True),
    (True, 1, True), (True, '1', True), (True, 'true', False), (False, '', True), (True, 2, False),
    (None, None, True), (None, undefined, True), (None, 0, False), (None, '', False), (undefined, False, False),
    (float('nan'), float('nan'), False), ('abc', 'abc', True), ('a', 'A', False),
    ([1, 2], '1,2', True), ({'a': 1}, '[object Object]', True), ({'a': 1}, {'a': 1}, False),
    ('0x10', 16, True), ('Infinity', float('inf'), True), ('1e3', 1000, True), ('1_0', 10, False),
])
def test_js_loose_equal(a, b, expected):
    assert F.js_loose_equal(a, b) is expected


@pytest.mark.parametrize('value, expected', [
    (1.0, '1'), (0.1, '0.1'), (-2.5, '-2.5'), (1e21, '1e+21'), (1.5e-7, '1.5e-7'), (123e-20, '1.23e-18'),
    (1e-6, '0.000001'), (2 ** 60 * 1.0, '1152921504606847000'), (float('nan'), 'NaN'),
    (float('-inf'), '-Infinity'), (None, 'null'), (undefined, 'undefined'), (True, 'true'),
    ([1, None, 'a'], '1,,a'),
])
def test_js_to_string(value, expected):
    assert F.js_to_string(value) == expected


def test_js_json_matches_json_stringify():
    assert F.js_json({'b': 1, '1': 2, 'a': undefined, 'c': [undefined, d(2020, 1, 1)], 'r': re.compile('x')}) == \
        '{"1":2,"b":1,"c":[null,"2020-01-01T00:00:00.000Z"],"r":{}}'
    assert F.js_json('x') == '"x"' and F.js_json(1.0) == '1' and F.js_json(undefined) == 'undefined'


@pytest.mark.parametrize('src, text, expected', [
    ('^a.c$', 'abc', True), ('^a.c$', 'a\nc', False), ('a$', 'a\n', False), ('\\d+', '٣', False),
    ('(?<y>\\d{4})-\\k<y>', '2020-2020', True), ('[^]', '\n', True), ('a[]', 'a', False), ('\\e', 'e', True),
    ('[a[]+', '[a', True),
])
def test_js_regex_translation(src, text, expected):
    pattern = F.to_regexp(src)
    assert (pattern.search(text) is not None) is expected


def test_to_regexp_flags():
    assert F.to_regexp('/^ab$/mi').search('x\nAB\ny')
    assert F.to_regexp('/ab/g').search('xaby')
    assert F.to_regexp('a/i').search('anything')     # juggler: empty source, flag i
    assert isinstance(F.to_regexp('/a/q'), LoopBackError)
    with pytest.raises(LoopBackError) as exc:
        F.to_regexp('(')
    assert exc.value.name == 'SyntaxError'


def test_like_to_regexp():
    assert F.like_to_regexp('a%b_').search('xaZZbc')
    assert not F.like_to_regexp('a%b_').search('ab')
    assert F.like_to_regexp('ABC', ignore_case=True).search('xabc')


# ---------------------------------------------------------------- sorting, fields, pipeline

@pytest.fixture
def sort_rows_data():
    data = [
        {'s': 'b', 'n': 3, 'addr': {'c': 2}, 'b': True}, {'s': 'a', 'n': None, 'addr': {'c': 1}, 'b': False},
        {'s': 'B', 'n': -1}, {'n': 0, 's': None, 'b': True}, {'s': 'a', 'n': 2, 'd': d(2020, 1, 1)},
        {'s': 'é', 'n': 10, 'd': d(2019, 1, 1)}, {'s': '10', 'n': 1, 'b': False}, {'s': '9'},
    ]
    for i, r in enumerate(data):
        r['id'] = i + 1
    return data


@pytest.mark.parametrize('order, expected', [
    ('n', [8, 3, 2, 4, 7, 5, 1, 6]),            # undefined first, null like 0
    ('n DESC', [6, 1, 5, 7, 2, 4, 3, 8]),
    ('s', [7, 8, 3, 2, 5, 1, 4, 6]),
    ('s DESC', [6, 1, 2, 3, 4, 5, 8, 7]),
    (['s', 'n DESC'], [5, 4, 7, 8, 3, 2, 1, 6]),
    ('d', [1, 2, 3, 4, 7, 8, 6, 5]),
    ('d DESC', [5, 6, 1, 2, 3, 4, 7, 8]),
    ('addr.c', [3, 4, 5, 6, 7, 8, 2, 1]),
    ('zz', [1, 2, 3, 4, 5, 6, 7, 8]),
    (['n DESC', 'id DESC'], [6, 1, 5, 7, 4, 2, 3, 8]),
    ('b', [3, 5, 6, 8, 2, 7, 1, 4]),
    (['b DESC', 'n'], [4, 1, 2, 7, 8, 3, 5, 6]),
    (None, [1, 2, 3, 4, 5, 6, 7, 8]),
    ([], [1, 2, 3, 4, 5, 6, 7, 8]),
])
def test_sort_rows(small, sort_rows_data, order, expected):
    assert [r['id'] for r in F.sort_rows(sort_rows_data, order, small)] == expected


def test_sort_default_is_by_id(small, sort_rows_data):
    assert [r['id'] for r in F.sort_rows(sort_rows_data[::-1], None, small)] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [r['id'] for r in F.sort_rows(sort_rows_data[::-1], [], small)] == [8, 7, 6, 5, 4, 3, 2, 1]


def test_sort_is_stable_and_handles_mixed_types(small):
    data = [{'id': 1, 'v': 2}, {'id': 2, 'v': '10'}, {'id': 3, 'v': 2}, {'id': 4, 'v': '1'}, {'id': 5, 'v': True}]
    assert [r['id'] for r in F.sort_rows(data, 'v', small)] == [4, 5, 1, 3, 2]
    assert [r['id'] for r in F.sort_rows(data, 'v DESC', small)] == [2, 1, 3, 4, 5]


def test_sort_utf16_order(small):
    data = [{'id': 1, 's': '\U0001F600'}, {'id': 2, 's': '\uff01'}]
    # JS compares UTF-16 code units: the surrogate 0xD83D sorts before 0xFF01
    assert [r['id'] for r in F.sort_rows(data, 's', small)] == [1, 2]


def test_select_fields(small):
    row = {'id': 1, 'n': 2, 's': 'a'}
    assert F.select_fields(row, ['n', 'zz']) == {'n': 2}
    assert F.select_fields(row, None) == row and F.select_fields(row, None) is not row
    assert F.select_fields(row, {'n': False}, small) == {'id': 1, 's': 'a'}
    assert F.select_fields(row, 's', small) == {'s': 'a'}


@pytest.mark.parametrize('flt, expected', [
    ({'order': 'id DESC', 'limit': 2, 'skip': 1}, [7, 6]),
    ({'limit': 3, 'offset': 6}, [7, 8]),
    ({'where': {'n': {'gt': 0}}, 'order': 'n DESC', 'skip': 1}, [1, 5, 7]),
    ({'skip': 10}, []),
    ({'limit': 0}, [1, 2, 3, 4, 5, 6, 7, 8]),
    ({'limit': 'Infinity', 'skip': 7}, [8]),
])
def test_apply_filter_pipeline(small, sort_rows_data, flt, expected):
    out = F.apply_filter(sort_rows_data[::-1], F.normalize_filter(flt, small), small)
    assert [r['id'] for r in out] == expected


def test_apply_filter_projects_after_matching(small, sort_rows_data):
    out = F.apply_filter(sort_rows_data, F.normalize_filter(
        {'fields': ['s'], 'limit': 2, 'where': {'n': {'gte': 2}}}, small), small)
    assert out == [{'s': 'b'}, {'s': 'a'}]
    out = F.apply_filter(sort_rows_data, F.normalize_filter({'fields': {'n': False}, 'limit': 1}, small), small)
    assert out == [{'s': 'b', 'b': True, 'id': 1}]


def test_apply_filter_does_not_mutate(small, sort_rows_data):
    flt = F.normalize_filter({'order': ['s DESC'], 'where': {'s': 'a'}}, small)
    before = repr(flt), repr(sort_rows_data)
    F.apply_filter(sort_rows_data, flt, small)
    assert (repr(flt), repr(sort_rows_data)) == before


def test_apply_filter_none_keeps_order(small, sort_rows_data):
    assert F.apply_filter(sort_rows_data[::-1], None, small) == sort_rows_data[::-1]


def test_apply_filter_many_rows(small):
    data = [{'id': i, 'n': i % 7, 's': 'name%d' % i} for i in range(5000)]
    flt = F.normalize_filter({'where': {'or': [{'n': {'inq': [1, '2']}}, {'s': {'like': 'name1%'}}]},
                              'order': 'n DESC', 'limit': 5}, small)
    out = F.apply_filter(data, flt, small)
    assert [r['n'] for r in out] == [6, 6, 6, 6, 6]
    assert all(r['s'].startswith('name1') for r in out)


# -- normalize_filter's fast path (simple where/limit filters) ------------------

from hypothesis import given as _given, settings as _settings  # noqa: E402
from hypothesis import strategies as _st  # noqa: E402

_FAST_INFO = F.ModelInfo('M', {'n': 'number', 's': 'string', 'd': 'date', 'b': 'boolean',
                               'arr': ['string'], 'o': 'object', 'like': 'string'}, ['id'])
_FAST_SCALAR = _st.one_of(_st.integers(-3, 3), _st.sampled_from(
    ['1', ' 2 ', '', 'x', '2020-01-02', 'true', '0', True, False, None, 1.5,
     float('nan'), F.undefined]))
_FAST_CLAUSE = _st.one_of(_FAST_SCALAR, _st.fixed_dictionaries({'inq': _st.lists(_FAST_SCALAR)}),
                          _st.fixed_dictionaries({'gt': _FAST_SCALAR}), _st.lists(_FAST_SCALAR))
_FAST_FILTER = _st.fixed_dictionaries({}, optional={
    'where': _st.one_of(_st.dictionaries(
        _st.sampled_from(['n', 's', 'd', 'b', 'arr', 'o', 'like', 'zz', 'a.b', 'or']),
        _FAST_CLAUSE, max_size=3), _st.none()),
    'limit': _st.sampled_from([1, 2, 0, -1, '1', True, None]),
    'skip': _st.sampled_from([1, 0])})


def _normalized(flt, fast):
    """What normalize_filter gives on one path: its result or error, and its warnings
    (an unknown-operator clause warns; both paths must say the same)."""
    saved = F._fast_normalize
    if not fast:
        F._fast_normalize = lambda *args: None
    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter('always')
        try:
            out = F.normalize_filter(flt, _FAST_INFO, {})
            outcome = 'ok', repr(out), list(out)
        except Exception as err:  # noqa: BLE001 - compare whatever either path raises
            outcome = 'error', type(err).__name__, str(err)
        finally:
            F._fast_normalize = saved
    return outcome + ([(w.category, str(w.message)) for w in warned],)


@_settings(max_examples=400, deadline=None)
@_given(_FAST_FILTER)
def test_normalize_fast_path_equals_general_path(flt):
    assert _normalized(flt, True) == _normalized(flt, False)


# -- the equality matcher for plain int/str conditions ---------------------------

_ROW_VALUE = _st.recursive(
    _st.one_of(_FAST_SCALAR, _st.sampled_from(['01', ' 1 ', '1.0', 'a', 'A', -0.0, 1.0])),
    lambda inner: _st.lists(inner, max_size=3), max_leaves=6)


@_settings(max_examples=500, deadline=None)
@_given(_st.one_of(_st.integers(-2, 2), _st.sampled_from(['1', 'a', '', ' 1 ', '0'])),
        _st.one_of(_st.none(), _ROW_VALUE), _st.sampled_from(['k', 'and', 'or']))
def test_equality_matcher_equals_general_clause(example, value, key):
    row = {} if value is None else {key: value}
    assert F._compile_equality(key, example)(row) == F._compile_clause(key, example)(row)


@pytest.mark.parametrize('row, expected', [
    ({'k': 1}, True), ({'k': '1'}, True), ({'k': ' 1 '}, True), ({'k': '01'}, True),
    ({'k': 1.0}, True), ({'k': True}, True), ({'k': [2, [1]]}, True),
    ({'k': []}, False), ({'k': None}, False), ({}, False), ({'k': 'a'}, False),
])
def test_equality_matcher_is_javascript_loose_equality(row, expected):
    assert F.make_matcher({'k': 1})(row) is expected


# -- sanitize_data: the flat-data fast path equals the walk -------------------

@pytest.mark.parametrize('data', [
    {}, {'a': 1, 'b': 'x', 'c': None}, {'a': 1.5, 'b': True, 'u': undefined},
    {'d': dt.datetime(2020, 1, 2), 'n': Decimal('1.5')},
    {'o': {'x': 1}, 'u': undefined}, {'l': [1, {'y': undefined}]}, {'t': (1, 2)},
])
def test_sanitize_data_fast_path_equals_the_walk(data):
    from loopback_compat.filters.sanitize import _Sanitizer
    info = ModelInfo('M', {}, [])
    expected = _Sanitizer(info, 64, None, [], False).walk(data, False)
    got = F.sanitize_data(data, info)
    assert got == expected and got is not data


def test_sanitize_data_walks_container_subclasses():
    class Sub(dict):
        pass
    deep = value = Sub()
    for _ in range(70):
        value['a'] = Sub()
        value = value['a']
    with pytest.raises(LoopBackError) as info:
        F.sanitize_data({'x': deep}, ModelInfo('M', {}, []))
    assert info.value.code == 'QUERY_OBJECT_TOO_DEEP'
