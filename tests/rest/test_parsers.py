"""Query strings and JSON bodies are parsed as Express (qs) and V8's JSON.parse do.

``node_parsers.json`` holds what Node 20 printed for each input: ``qs.parse``
(the qs version Express 4 uses, as Express calls it) and the message of the
SyntaxError thrown by ``JSON.parse``, which body-parser sends back to clients.
"""

import json
import os

import pytest

from loopback_compat.errors import LoopBackError
from loopback_compat.remoting import json_text
from loopback_compat.remoting.hooks import pattern_matches
from loopback_compat.remoting.http import parse_qs

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, 'node_parsers.json')) as fh:
    NODE = json.load(fh)


@pytest.mark.parametrize('case', NODE['qs'], ids=[c['input'] for c in NODE['qs']])
def test_query_string_like_qs(case):
    assert parse_qs(case['input']) == case['output']


@pytest.mark.parametrize('case', NODE['json'], ids=[repr(c['input']) for c in NODE['json']])
def test_json_errors_like_v8(case):
    if case.get('ok'):
        json_text.parse(case['input'])
        return
    with pytest.raises(LoopBackError) as info:
        json_text.parse(case['input'])
    assert info.value.message == case['message']
    assert info.value.statusCode == 400 and info.value.name == 'SyntaxError'


@pytest.mark.parametrize('pattern, name, expected', [
    ('Supplier.create', 'Supplier.create', True),
    ('Supplier.*', 'Supplier.create', True),
    ('Supplier.*', 'Supplier.prototype.__get__account', False),
    ('Supplier.prototype.*', 'Supplier.prototype.__get__account', True),
    ('Supplier.prototype.*', 'Supplier.find', False),
    ('**', 'Supplier.prototype.__get__account', True),
    ('Supplier.**', 'Supplier.find', True),
    ('*.find', 'Account.find', True),
    ('*.find', 'Account.findOne', False),
    ('Account.*', 'Supplier.find', False),
])
def test_hook_patterns(pattern, name, expected):
    assert pattern_matches(pattern, name) is expected


def test_json_stringify_rules():
    import datetime as dt
    value = {'n': float('nan'), 'i': float('inf'), 'f': 2.0, 'd': dt.datetime(
        2020, 1, 2, 3, 4, 5, 6000, tzinfo=dt.timezone.utc), 'l': [1, None], 's': 'é'}
    assert json_text.dumps(value) == \
        '{"n":null,"i":null,"f":2,"d":"2020-01-02T03:04:05.006Z","l":[1,null],"s":"é"}'.encode()
