"""The HTTP conversation recorded against a real LoopBack 3 app and replayed here.

Each step is ``(label, method, path, body, headers)``.  ``body`` is None (no
body), ``bytes`` (sent as is) or any JSON value (sent as application/json).
Steps run in order against one freshly booted app (the examples/lb3_app layout,
memory connector), so ids are deterministic.

``record_lb3.py`` sends exactly these requests to the Node app built from the
same JSON files (loopback 3.28.0, loopback-boot 2.28, strong-remoting 3.17.0,
strong-error-handler 6.0.2, juggler 3.36.1) and writes what came back to
``lb3_recorded.json``; ``test_lb3_conformance.py`` replays them against the
Python app and compares.
"""

import json
from urllib.parse import quote


def q(value):
    """A query-string value: JSON-encode dicts/lists, percent-encode everything."""
    if not isinstance(value, str):
        value = json.dumps(value, separators=(',', ':'))
    return quote(value, safe='')


S = '/api/Suppliers'
A = '/api/Accounts'
BIG_NAME = 'x' * (120 * 1024)

STEPS = [
    ('empty list', 'GET', S, None, {}),
    ('create s1', 'POST', S, {'name': 's1', 'rating': 3}, {}),
    ('create s2', 'POST', S, {'name': 's2'}, {}),
    ('create array', 'POST', S, [{'name': 'a1'}, {'name': 'a2'}], {}),
    ('create invalid (422)', 'POST', S, {'rating': 1}, {}),
    ('create blocked by beforeRemote', 'POST', S, {'name': 'blocked'}, {}),
    ('create malformed JSON', 'POST', S, b'{"name": "x",', {'Content-Type': 'application/json'}),
    ('create non-object body', 'POST', S, b'"hello"', {'Content-Type': 'application/json'}),
    ('create array with a non-object', 'POST', S, [{'name': 'ok'}, 5], {}),
    ('create huge body (413)', 'POST', S, {'name': BIG_NAME}, {}),
    ('create wrong type number', 'POST', S, {'name': 'typed', 'rating': 'abc'}, {}),
    ('create form-encoded', 'POST', S, b'name=form1&rating=7',
     {'Content-Type': 'application/x-www-form-urlencoded'}),
    ('list all', 'GET', S, None, {}),
    ('find where', 'GET', S + '?filter=' + q({'where': {'name': 's1'}}), None, {}),
    ('find order/limit/skip', 'GET', S + '?filter=' + q({'order': 'name DESC', 'limit': 2, 'skip': 1}), None, {}),
    ('find fields', 'GET', S + '?filter=' + q({'fields': {'name': True}}), None, {}),
    ('find qs-style filter', 'GET', S + '?filter[where][name]=s2', None, {}),
    ('find malformed filter', 'GET', S + '?filter=' + q('{"where":'), None, {}),
    ('find filter not object', 'GET', S + '?filter=' + q('[1,2]'), None, {}),
    ('find sql-ish where', 'GET', S + '?filter=' + q({'where': {'name': "s1' OR '1'='1"}}), None, {}),
    ('find sql-ish like', 'GET', S + '?filter=' + q({'where': {'name': {'like': "%' OR 1=1 --"}}}), None, {}),
    ('find sql-ish order', 'GET', S + '?filter=' + q({'order': 'name; DROP TABLE Supplier'}), None, {}),
    ('find inq', 'GET', S + '?filter=' + q({'where': {'id': {'inq': [1, 3]}}}), None, {}),
    ('find gt', 'GET', S + '?filter=' + q({'where': {'rating': {'gt': 2}}}), None, {}),
    ('find by id', 'GET', S + '/1', None, {}),
    ('find by id with filter', 'GET', S + '/1?filter=' + q({'fields': ['name']}), None, {}),
    ('find by unknown id', 'GET', S + '/999', None, {}),
    ('find by non-numeric id', 'GET', S + '/abc', None, {}),
    ('exists yes', 'GET', S + '/1/exists', None, {}),
    ('exists no', 'GET', S + '/999/exists', None, {}),
    ('head yes', 'HEAD', S + '/1', None, {}),
    ('head no', 'HEAD', S + '/999', None, {}),
    ('count', 'GET', S + '/count', None, {}),
    ('count where', 'GET', S + '/count?where=' + q({'name': 's1'}), None, {}),
    ('count malformed where', 'GET', S + '/count?where=' + q('{"name"'), None, {}),
    ('findOne', 'GET', S + '/findOne?filter=' + q({'where': {'name': 's2'}}), None, {}),
    ('findOne none', 'GET', S + '/findOne?filter=' + q({'where': {'name': 'nobody'}}), None, {}),
    ('patch by id', 'PATCH', S + '/1', {'rating': 5}, {}),
    ('patch invalid', 'PATCH', S + '/1', {'name': None}, {}),
    ('patch unknown id', 'PATCH', S + '/999', {'rating': 5}, {}),
    ('put replaces', 'PUT', S + '/2', {'name': 's2b'}, {}),
    ('put invalid', 'PUT', S + '/2', {}, {}),
    ('put unknown id', 'PUT', S + '/999', {'name': 'zz'}, {}),
    ('post replace', 'POST', S + '/2/replace', {'name': 's2c', 'rating': 1}, {}),
    ('update where', 'POST', S + '/update?where=' + q({'name': 'a1'}), {'rating': 1}, {}),
    ('update where none', 'POST', S + '/update?where=' + q({'name': 'nobody'}), {'rating': 1}, {}),
    ('update invalid data', 'POST', S + '/update?where=' + q({'name': 'a1'}), {'name': None}, {}),
    ('put upsert (replaceOrCreate) existing', 'PUT', S, {'id': 3, 'name': 'a1r'}, {}),
    ('patch upsert existing', 'PATCH', S, {'id': 4, 'rating': 9}, {}),
    ('patch upsert new', 'PATCH', S, {'name': 'new'}, {}),
    ('replaceOrCreate new', 'POST', S + '/replaceOrCreate', {'name': 'roc'}, {}),
    ('replaceOrCreate invalid', 'POST', S + '/replaceOrCreate', {'rating': 2}, {}),
    ('delete by id', 'DELETE', S + '/7', None, {}),
    ('delete again', 'DELETE', S + '/7', None, {}),
    ('list after writes', 'GET', S, None, {}),
    # hasOne
    ('hasOne get none', 'GET', S + '/1/account', None, {}),
    ('hasOne update none', 'PUT', S + '/1/account', {'acctmgr': 'zz'}, {}),
    ('hasOne destroy none', 'DELETE', S + '/1/account', None, {}),
    ('hasOne create', 'POST', S + '/1/account', {'acctmgr': 'm1'}, {}),
    ('hasOne create twice', 'POST', S + '/1/account', {'acctmgr': 'm2'}, {}),
    ('hasOne get', 'GET', S + '/1/account', None, {}),
    ('hasOne get refresh', 'GET', S + '/1/account?refresh=true', None, {}),
    ('hasOne get bad refresh', 'GET', S + '/1/account?refresh=maybe', None, {}),
    ('hasOne update', 'PUT', S + '/1/account', {'acctmgr': 'm3'}, {}),
    ('hasOne update fk change', 'PUT', S + '/1/account', {'supplierId': 99}, {}),
    ('include one', 'GET', S + '/1?filter=' + q({'include': 'account'}), None, {}),
    ('include list', 'GET', S + '?filter=' + q({'include': 'account', 'where': {'id': {'lte': 2}}}), None, {}),
    ('include unknown relation', 'GET', S + '?filter=' + q({'include': 'nope'}), None, {}),
    ('hasOne unknown parent get', 'GET', S + '/999/account', None, {}),
    ('hasOne unknown parent create', 'POST', S + '/999/account', {'acctmgr': 'x'}, {}),
    ('hasOne create for s2', 'POST', S + '/2/account', {'acctmgr': 'm2'}, {}),
    ('belongsTo get', 'GET', A + '/2/supplier', None, {}),
    ('belongsTo unknown parent', 'GET', A + '/999/supplier', None, {}),
    ('orphan account', 'POST', A, {'acctmgr': 'orphan'}, {}),
    ('belongsTo none', 'GET', A + '/3/supplier', None, {}),
    ('hasOne destroy', 'DELETE', S + '/1/account', None, {}),
    ('hasOne get after destroy', 'GET', S + '/1/account', None, {}),
    ('accounts list', 'GET', A, None, {}),
    # custom remote methods, hooks, coercion
    ('greet', 'GET', S + '/greet?msg=hi', None, {}),
    ('greet missing arg', 'GET', S + '/greet', None, {}),
    ('add', 'GET', S + '/add?a=1&b=2.5', None, {}),
    ('add bad number', 'GET', S + '/add?a=abc&b=1', None, {}),
    ('add missing b', 'GET', S + '/add?a=4', None, {}),
    ('echo', 'POST', S + '/echo?flag=true&when=2020-01-02', {'x': [1, 2]}, {}),
    ('echo bad boolean', 'POST', S + '/echo?flag=perhaps', {'x': 1}, {}),
    ('echo bad date', 'POST', S + '/echo?when=notadate', {'x': 1}, {}),
    ('echo ms date', 'POST', S + '/echo?when=86400000', {'x': 1}, {}),
    ('prototype method', 'GET', S + '/1/shout', None, {}),
    ('prototype method unknown id', 'GET', S + '/999/shout', None, {}),
    # unknown routes
    ('unknown sub-path', 'GET', S + '/1/nope', None, {}),
    ('unknown verb', 'DELETE', S, None, {}),
    ('unknown model', 'GET', '/api/Nope', None, {}),
    # more hostile input (read-only or rejected: the final lists prove nothing changed)
    ('filter limit not a number', 'GET', S + '?filter=' + q({'limit': 'abc'}), None, {}),
    ('filter negative skip', 'GET', S + '?filter=' + q({'skip': -1}), None, {}),
    ('filter regexp', 'GET', S + '?filter=' + q({'where': {'name': {'regexp': '^s'}}}), None, {}),
    ('filter unknown operator', 'GET', S + '?filter=' + q({'where': {'name': {'foo': 1}}}), None, {}),
    ('filter unknown order property', 'GET', S + '?filter=' + q({'order': 'nope ASC'}), None, {}),
    ('filter sql-ish fields', 'GET', S + '?filter=' + q({'fields': {'name; DROP': True}}), None, {}),
    ('filter sql-ish gt', 'GET', S + '?filter=' + q({'where': {'id': {'gt': '1; DROP TABLE'}}}), None, {}),
    ('filter too deep', 'GET', S + '?filter=' + q({'where': {'a': {'b': {'c': {'d': {'e': {'f': {'g': {'h': {'i': {'j': {'k': {'l': {'m': 1}}}}}}}}}}}}}}), None, {}),
    ('filter sql-ish or', 'GET', S + '?filter=' + q({'where': {'or': [{'name': 's1'}, {'name': 'x" OR "1"="1'}]}}), None, {}),
    ('include with scope', 'GET', S + '?filter=' + q({'include': {'relation': 'account', 'scope': {'where': {'acctmgr': 'm2'}}}}), None, {}),
    ('patch malformed JSON', 'PATCH', S + '/1', b'{"rating": 7', {'Content-Type': 'application/json'}),
    ('patch non-object body', 'PATCH', S + '/1', b'"str"', {'Content-Type': 'application/json'}),
    ('put huge body', 'PUT', S + '/1', {'name': BIG_NAME}, {}),
    ('update malformed where', 'POST', S + '/update?where=' + q('{"name":'), {'rating': 0}, {}),
    ('delete unknown id', 'DELETE', S + '/999', None, {}),
    ('replace unknown id', 'POST', S + '/999/replace', {'name': 'x'}, {}),
    ('hasOne create bad body', 'POST', S + '/2/account', b'[1]', {'Content-Type': 'application/json'}),
    ('not acceptable', 'GET', S, None, {'Accept': 'text/plain'}),
    ('url not found', 'GET', '/nope', None, {}),
    ('html error 404', 'GET', S + '/999', None, {'Accept': 'text/html'}),
    ('html error 422', 'POST', S, {'rating': 1}, {'Accept': 'text/html'}),
    ('html error 500', 'POST', S + '/2/account', {'acctmgr': 'again'}, {'Accept': 'text/html'}),
    ('browser url not found', 'GET', '/nope?x=<b>', None, {
        'Accept': 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'}),
    ('json preferred over html', 'GET', S + '/999', None,
     {'Accept': 'application/json, text/html'}),
    ('html by _format', 'GET', S + '/999?_format=html', None, {}),
    ('cors simple', 'GET', S + '/count', None, {'Origin': 'http://client.example'}),
    ('cors preflight', 'OPTIONS', S + '/1', None, {
        'Origin': 'http://client.example', 'Access-Control-Request-Method': 'PATCH',
        'Access-Control-Request-Headers': 'content-type,x-token'}),
    ('cors on an error', 'GET', S + '/999', None, {'Origin': 'http://client.example'}),
    ('options without origin', 'OPTIONS', S, None, {}),
    ('if-none-match any', 'GET', S + '/1', None, {'If-None-Match': '*'}),
    ('if-none-match stale', 'GET', S + '/1', None, {'If-None-Match': 'W/"1-x"'}),
    ('if-none-match on POST', 'POST', S + '/echo', {'x': 1}, {'If-None-Match': '*'}),
    ('encoded sub-path', 'GET', S + '/a%20b/nope', None, {}),
    ('encoded slash in id', 'GET', S + '/a%2Fb', None, {}),
    ('unicode id', 'GET', S + '/%C3%A9t%C3%A9', None, {}),
    ('final list', 'GET', S, None, {}),
    ('final accounts', 'GET', A, None, {}),
] + [
    # Last, so that a DAO without upsertWithWhere only affects these steps.
    ('upsertWithWhere update', 'POST', S + '/upsertWithWhere?where=' + q({'name': 'roc'}), {'name': 'roc', 'rating': 2}, {}),
    ('upsertWithWhere create', 'POST', S + '/upsertWithWhere?where=' + q({'name': 'uww'}), {'name': 'uww'}, {}),
    ('upsertWithWhere two matches', 'POST', S + '/upsertWithWhere?where=' + q({'rating': {'gt': 0}}), {'rating': 3}, {}),
    ('upsertWithWhere invalid', 'POST', S + '/upsertWithWhere?where=' + q({'name': 'uww'}), {'name': None}, {}),
    ('list after upsertWithWhere', 'GET', S, None, {}),
]

#: Steps that need the DAO's upsertWithWhere.
UPSERT_WITH_WHERE_STEPS = 5

#: Response headers worth comparing (others are server noise: Date, ETag...).
COMPARED_HEADERS = ('content-type', 'etag', 'x-remote-method', 'x-static-method', 'vary',
                    'access-control-allow-origin', 'access-control-allow-credentials',
                    'access-control-allow-methods', 'access-control-allow-headers',
                    'access-control-max-age')


def send(conn, method, path, body, headers):
    """Send one step over an ``http.client.HTTPConnection``; return (status, headers, bytes)."""
    headers = dict(headers)
    payload = None
    if isinstance(body, bytes):
        payload = body
    elif body is not None:
        payload = json.dumps(body).encode('utf-8')
        headers.setdefault('Content-Type', 'application/json')
    conn.request(method, path, body=payload, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data


def parse_body(data):
    if not data:
        return None
    try:
        return json.loads(data)
    except ValueError:
        return data.decode('utf-8', 'replace')


#: Steps where the answer differs from the recording on purpose: each is a
#: deliberate fix listed in docs/differences.md.  label -> what replaces the
#: recorded status and body (the recorded headers still apply).
DELIBERATE_FIXES = {
    # juggler's unknown-include error has no statusCode, so LB3 answers 500
    'include unknown relation': {
        'status': 400,
        'body': {'error': {'statusCode': 400, 'name': 'Error',
                           'message': 'Relation "nope" is not defined for Supplier model'}}},
}


def expected_answer(label, recorded):
    """The recorded LB3 answer for a step, with :data:`DELIBERATE_FIXES` applied."""
    want = {k: recorded[k] for k in ('status', 'headers', 'body')}
    want.update(DELIBERATE_FIXES.get(label, {}))
    return want
