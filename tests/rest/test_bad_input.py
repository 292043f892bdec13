"""Bad input over HTTP gets the right 4xx and leaves the data exactly as it was.

Runs against examples/lb3_app served on 127.0.0.1.  The expected statuses and
messages are the ones recorded from LoopBack 3 (see test_lb3_conformance.py);
here the point is the data: after every rejected request, every row of every
model is unchanged, checked both through the API and directly on the models.
"""

import json

import pytest

from scenario import BIG_NAME, q

S = '/api/Suppliers'


@pytest.fixture
def seeded(example_app):
    live = example_app
    assert live.json('POST', S, {'name': 's1', 'rating': 3})[0] == 200
    assert live.json('POST', S, {'name': 's2'})[0] == 200
    assert live.json('POST', S + '/1/account', {'acctmgr': 'm1'})[0] == 200
    return live


def snapshot(live):
    return {'Supplier': live.rows('Supplier'), 'Account': live.rows('Account')}


BAD_REQUESTS = [
    # (method, path, json body or None, raw bytes or None, content type, status, message part)
    ('POST', S, None, b'{"name": ', 'application/json', 400, 'Unexpected end of JSON input'),
    ('POST', S, None, b'{name: "x"}', 'application/json', 400,
     "Expected property name or '}' in JSON at position 1"),
    ('PATCH', S + '/1', None, b'{"rating": 7', 'application/json', 400,
     "Expected ',' or '}' after property value in JSON at position 12"),
    ('PUT', S + '/1', None, b'[1, 2', 'application/json', 400,
     "Expected ',' or ']' after array element in JSON at position 5"),
    ('POST', S, None, b'42', 'application/json', 400, 'Value is not an object.'),
    ('PATCH', S + '/1', None, b'"str"', 'application/json', 400, 'Value is not an object.'),
    ('POST', S, [{'name': 'ok'}, 'nope'], None, None, 400, 'Some of array items are not an object.'),
    ('POST', S, {'name': BIG_NAME}, None, None, 413, 'request entity too large'),
    ('PUT', S + '/1', {'name': BIG_NAME}, None, None, 413, 'request entity too large'),
    ('POST', S, {'rating': 1}, None, None, 422, "`name` can't be blank"),
    ('PUT', S + '/2', {'rating': 1}, None, None, 422, "`name` can't be blank"),
    ('PATCH', S + '/1', {'name': None}, None, None, 422, "`name` can't be blank"),
    ('POST', S + '/replaceOrCreate', {'id': 1}, None, None, 422, "`name` can't be blank"),
    ('PATCH', S + '/999', {'rating': 1}, None, None, 404, 'could not find a model with id 999'),
    ('PUT', S + '/999', {'name': 'x'}, None, None, 404,
     'Could not replace. Object with id 999 does not exist!'),
    ('POST', S + '/999/account', {'acctmgr': 'x'}, None, None, 404,
     'could not find a model with id 999'),
    ('GET', S + '/999/account', None, None, None, 404, 'could not find a model with id 999'),
    ('PUT', S + '/2/account', {'acctmgr': 'x'}, None, None, 500, 'Internal Server Error'),
    ('POST', S + '/1/account', {'acctmgr': 'again'}, None, None, 500, 'Internal Server Error'),
    ('PUT', S + '/1/account', {'supplierId': 2}, None, None, 500, 'Internal Server Error'),
    ('POST', S + '/update?where=' + q('{"name":'), {'rating': 0}, None, None, 400,
     'Value is not an object.'),
    ('GET', S + '?filter=' + q('{"where":{"name":"s1"'), None, None, None, 400,
     'Value is not an object.'),
    ('GET', S + '?filter=' + q({'order': "name; DROP TABLE Supplier; --"}), None, None, None,
     400, 'has invalid direction'),
    ('GET', S + '?filter=' + q({'limit': "1; DELETE FROM Supplier"}), None, None, None, 400,
     'The limit parameter'),
    ('GET', S + '/1/account?refresh=yes', None, None, None, 400, 'Value is not a boolean.'),
    ('GET', S + '/add?a=1%3B%20DROP&b=2', None, None, None, 400, 'Value is not a number.'),
    ('GET', S + '/greet', None, None, None, 400, 'msg is a required argument'),
    ('DELETE', S, None, None, None, 404, 'has no method handling DELETE /'),
    ('POST', '/api/Nope', {'name': 'x'}, None, None, 404, 'There is no method to handle POST /Nope'),
]


def test_bad_requests_are_rejected_without_touching_data(seeded):
    before = snapshot(seeded)
    api_before = seeded.json('GET', S + '?filter=' + q({'include': 'account'}))
    for method, path, body, raw, ctype, status, message in BAD_REQUESTS:
        headers = {'Content-Type': ctype} if ctype else {}
        got_status, _h, data = seeded.request(method, path, body, headers, raw)
        payload = json.loads(data)
        assert got_status == status, (method, path, payload)
        assert payload['error']['statusCode'] == status
        assert message in payload['error']['message'], (method, path, payload)
        assert snapshot(seeded) == before, (method, path)
    assert seeded.json('GET', S + '?filter=' + q({'include': 'account'})) == api_before


SQL_LIKE_FILTERS = [
    {'where': {'name': "s1' OR '1'='1"}},
    {'where': {'name': {'like': "%' OR 1=1 --"}}},
    {'where': {'name': {'inq': ["s1'); DROP TABLE Supplier; --"]}}},
    {'where': {'id': {'gt': '0 OR 1=1'}}},
    {'where': {'or': [{'name': 'nobody'}, {'name': '" OR ""="'}]}},
    {'where': {'name; DELETE FROM Supplier': 'x'}},
]


@pytest.mark.parametrize('flt', SQL_LIKE_FILTERS)
def test_sql_like_strings_in_filters_match_nothing_and_change_nothing(seeded, flt):
    before = snapshot(seeded)
    status, body = seeded.json('GET', S + '?filter=' + q(flt))
    assert status == 200
    assert body == []
    status, body = seeded.json('GET', S + '/count?where=' + q(flt['where']))
    assert (status, body) == (200, {'count': 0})
    assert snapshot(seeded) == before


def test_sql_like_strings_are_stored_verbatim(seeded):
    name = "Robert'); DROP TABLE Supplier;--"
    status, created = seeded.json('POST', S, {'name': name})
    assert status == 200 and created['name'] == name
    status, found = seeded.json('GET', S + '?filter=' + q({'where': {'name': name}}))
    assert status == 200 and [s['id'] for s in found] == [created['id']]
    assert len(seeded.rows('Supplier')) == 3


def test_unknown_ids_are_404_or_zero_counts(seeded):
    before = snapshot(seeded)
    assert seeded.json('GET', S + '/12345') == (404, {'error': {
        'statusCode': 404, 'name': 'Error', 'message': 'Unknown "Supplier" id "12345".',
        'code': 'MODEL_NOT_FOUND'}})
    assert seeded.json('DELETE', S + '/12345') == (200, {'count': 0})
    assert seeded.json('GET', S + '/12345/exists') == (200, {'exists': False})
    status, _h, data = seeded.request('HEAD', S + '/12345')
    assert (status, data) == (404, b'')
    assert snapshot(seeded) == before


def test_wrong_json_types_are_coerced_like_loopback(seeded):
    # juggler keeps the instance and stores NaN (null) for a non-numeric number;
    # a string id in the path is looked up as given.
    status, body = seeded.json('POST', S, {'name': 'typed', 'rating': 'abc'})
    assert status == 200 and body['rating'] is None
    status, body = seeded.json('POST', S, {'name': 'numeric', 'rating': '12'})
    assert status == 200 and body['rating'] == 12
    status, body = seeded.json('GET', S + '/abc')
    assert status == 404


def test_huge_body_over_a_raw_socket_is_refused(seeded):
    import socket
    before = snapshot(seeded)
    sock = socket.create_connection(('127.0.0.1', seeded.port), timeout=10)
    body = b'{"name": "' + b'y' * 200000 + b'"}'
    sock.sendall(b'POST /api/Suppliers HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
                 b'Content-Length: %d\r\nConnection: close\r\n\r\n' % len(body) + body)
    data = b''
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    assert data.startswith(b'HTTP/1.1 413')
    assert snapshot(seeded) == before
