"""Clients that probe the edges, served for real on 127.0.0.1 (issue 16, item 7).

- a model property named ``toJSON`` (LB3 answers the instance's internals,
  ``{"__cachedRelations": {}, "__data": {...}, "__strict": false, ...}``;
  here the usual JSON object), on every connector;
- swagger.json leaves out hidden properties and non-public models;
- 150 idle TCP connections do not lock new clients out, and idle connections
  are closed by the server (keep-alive and header timeouts, room made at the
  connection limit);
- Content-Length together with Transfer-Encoding is a 400 and the connection
  is closed (request smuggling).
"""

import http.client
import json
import shutil
import socket
import time
import uuid

import pytest

import loopback_compat as lb
from live import EXAMPLE_APP, LiveApp
from scenario import q
from trust_support import ALL_CONNECTORS, PG_URL, pg_connect, require_pg


def _settings(connector, tmp_path):
    if connector == 'memory':
        return {'connector': 'memory'}
    if connector == 'sqlite':
        return {'connector': 'sqlite', 'file': str(tmp_path / 'hostile.sqlite'),
                'createTables': True}
    return {'connector': 'postgresql', 'url': PG_URL, 'min': 1, 'max': 4,
            'schema': 'lbhostile_' + uuid.uuid4().hex[:12], 'createTables': True}


@pytest.fixture(params=ALL_CONNECTORS)
def connector(request):
    if request.param == 'postgresql':
        require_pg()
    return request.param


def widgets_app(settings):
    """Widget (a property named toJSON, a hidden one) hasOne Part (toJSON too)."""
    def setup(app, done):
        ds = app.dataSource('db', settings)
        widget = ds.createModel('Widget', {'name': 'string', 'toJSON': 'string',
                                           'secret': 'string'}, hidden=['secret'])
        part = ds.createModel('Part', {'label': 'string', 'toJSON': 'string',
                                       'widgetId': 'number'})
        widget.hasOne(part, foreignKey='widgetId', as_='part')
        app.model(widget, dataSource='db')
        app.model(part, dataSource='db')
        ds.automigrate(lambda err=None: done(err))
    return setup


@pytest.fixture
def widgets(connector, tmp_path):
    settings = _settings(connector, tmp_path)
    live = LiveApp(widgets_app(settings)).start()
    yield live
    live.stop()
    if connector == 'postgresql':
        with pg_connect() as conn:
            conn.execute('DROP SCHEMA IF EXISTS "%s" CASCADE' % settings['schema'])


def json_answer(live, method, path, body=None):
    status, headers, data = live.request(method, path, body)
    assert headers['content-type'] == 'application/json; charset=utf-8', (path, data)
    return status, json.loads(data)


# -- 1. a property named toJSON ------------------------------------------------------

def test_property_named_toJSON_answers_plain_json(widgets):
    live = widgets
    w1 = {'name': 'a', 'toJSON': 'x', 'id': 1}
    assert json_answer(live, 'POST', '/api/Widgets',
                       {'name': 'a', 'toJSON': 'x', 'secret': 's'}) == (200, w1)
    assert json_answer(live, 'GET', '/api/Widgets') == (200, [w1])
    assert json_answer(live, 'GET', '/api/Widgets/1') == (200, w1)
    assert json_answer(live, 'GET', '/api/Widgets/findOne?filter=' + q(
        {'where': {'toJSON': 'x'}})) == (200, w1)
    assert json_answer(live, 'GET', '/api/Widgets?filter=' + q({'fields': ['toJSON']})) == \
        (200, [{'toJSON': 'x'}])
    assert json_answer(live, 'PATCH', '/api/Widgets/1', {'toJSON': 'y'}) == \
        (200, dict(w1, toJSON='y'))
    p1 = {'label': 'p', 'toJSON': 'z', 'widgetId': 1, 'id': 1}
    assert json_answer(live, 'POST', '/api/Widgets/1/part', {'label': 'p', 'toJSON': 'z'}) == \
        (200, p1)
    assert json_answer(live, 'GET', '/api/Widgets/1/part') == (200, p1)
    assert json_answer(live, 'GET', '/api/Widgets?filter=' + q({'include': 'part'})) == \
        (200, [dict(w1, toJSON='y', part=p1)])
    # the data is as written; on the instance, toJSON is the property (as in
    # juggler), the method is still the class's
    def read(done):
        widget = live.app.models.Widget
        widget.find(lambda err, items: done(err or [
            (i.toJSON, i.toObject(), widget.toJSON(i)) for i in items]))
    assert live.on_loop(read) == [('y', {'name': 'a', 'toJSON': 'y', 'secret': 's', 'id': 1},
                                   dict(w1, toJSON='y'))]
    # an instance without a value for it answers normally too
    status, body = json_answer(live, 'POST', '/api/Widgets', {'name': 'b'})
    assert (status, body) == (200, {'name': 'b', 'id': 2})
    status, body = json_answer(live, 'GET', '/api/Widgets/2')
    assert status == 200 and body['name'] == 'b' and body.get('toJSON') is None


# -- 2. swagger.json: hidden properties, non-public models ----------------------------

@pytest.fixture
def partly_private_app(tmp_path):
    """examples/lb3_app with Supplier.rating hidden, Account and a new Audit not public."""
    app_dir = tmp_path / 'app'
    shutil.copytree(EXAMPLE_APP, app_dir)
    models = app_dir / 'common' / 'models'
    with open(models / 'supplier.json') as fh:
        supplier = json.load(fh)
    supplier['properties']['secret'] = {'type': 'string', 'required': True}
    supplier['hidden'] = ['rating', 'secret']
    with open(models / 'supplier.json', 'w') as fh:
        json.dump(supplier, fh)
    with open(models / 'audit.json', 'w') as fh:
        json.dump({'name': 'Audit', 'base': 'PersistedModel',
                   'properties': {'what': 'string'}}, fh)
    with open(app_dir / 'server' / 'model-config.json') as fh:
        config = json.load(fh)
    config['Account']['public'] = False
    config['Audit'] = {'dataSource': 'db', 'public': False}
    with open(app_dir / 'server' / 'model-config.json', 'w') as fh:
        json.dump(config, fh)
    server_dir = str(app_dir / 'server')
    live = LiveApp(lambda app, done: lb.boot(app, server_dir, done)).start()
    yield live
    live.stop()


def _refs(value):
    if isinstance(value, dict):
        for key, item in value.items():
            if key == '$ref':
                yield item
            else:
                yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def test_swagger_leaves_out_hidden_properties_and_private_models(partly_private_app):
    live = partly_private_app
    status, doc = live.json('GET', '/explorer/swagger.json')
    assert status == 200
    assert sorted(doc['definitions']) == ['Supplier', 'x-any']
    supplier = doc['definitions']['Supplier']
    assert sorted(supplier['properties']) == ['id', 'name']
    assert supplier['required'] == ['name']           # the hidden required one is not listed
    assert doc['tags'] == [{'name': 'Supplier'}]
    assert all(path.startswith('/Suppliers') for path in doc['paths'])
    text = json.dumps(doc)
    assert 'Account' not in text and 'Audit' not in text and 'secret' not in text
    # every reference still resolves; the relation to the private model is an object
    assert set(_refs(doc)) <= {'#/definitions/' + name for name in doc['definitions']}
    relation = doc['paths']['/Suppliers/{id}/account']
    assert relation['get']['responses']['200']['schema'] == {'type': 'object'}
    body = [p for p in relation['post']['parameters'] if p['in'] == 'body'][0]
    assert body['schema'] == {'type': 'object'}
    # and the REST API agrees: no routes for private models, hidden values not shown
    assert live.json('GET', '/api/Accounts')[0] == 404
    assert live.json('GET', '/api/Audits')[0] == 404
    assert live.json('POST', '/api/Suppliers', {'name': 's', 'rating': 3, 'secret': 'k'}) == \
        (200, {'name': 's', 'id': 1})


# -- 3. idle connections ------------------------------------------------------------------

def widgets_memory_app(app, done):
    widgets_app({'connector': 'memory'})(app, done)


def open_idle(port, count):
    socks = []
    for _ in range(count):
        sock = socket.create_connection(('127.0.0.1', port), timeout=5)
        socks.append(sock)
    return socks


def closed_by_server(sock, wait):
    """True when the server closes ``sock`` within ``wait`` seconds (nothing else read)."""
    sock.settimeout(wait)
    try:
        return sock.recv(1024) == b''
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def still_open(sock):
    sock.settimeout(0)
    try:
        return sock.recv(1024) != b''
    except BlockingIOError:
        return True
    except OSError:
        return False


def timed_get(live, path='/api/Widgets'):
    started = time.monotonic()
    conn = http.client.HTTPConnection('127.0.0.1', live.port, timeout=10)
    try:
        conn.request('GET', path)
        resp = conn.getresponse()
        resp.read()
        return resp.status, time.monotonic() - started
    finally:
        conn.close()


def test_idle_connections_do_not_lock_out_new_clients():
    live = LiveApp(widgets_memory_app, {'headersTimeout': 1500}).start()
    socks = open_idle(live.port, 150)
    try:
        status, took = timed_get(live)
        assert status == 200 and took < 2
        opened = time.monotonic()
        assert all(still_open(s) for s in socks[:10])       # not closed at once...
        # ...but within headersTimeout (plus the server's checking interval)
        assert all(closed_by_server(s, max(0.1, opened + 4 - time.monotonic()))
                   for s in socks)
        assert timed_get(live)[0] == 200
    finally:
        for sock in socks:
            sock.close()
        live.stop()


def test_at_the_connection_limit_the_longest_idle_are_closed():
    live = LiveApp(widgets_memory_app, {'connection_limit': 40}).start()
    socks = open_idle(live.port, 150)
    try:
        status, took = timed_get(live)
        assert status == 200 and took < 2
        # room was made by closing idle connections (headersTimeout is still 60 s)
        closed = sum(closed_by_server(s, 0.05) for s in socks)
        assert closed >= 100
        statuses = [timed_get(live) for _ in range(5)]
        assert all(status == 200 and took < 2 for status, took in statuses)
    finally:
        for sock in socks:
            sock.close()
        live.stop()


def test_idle_keep_alive_connection_is_closed_after_keepAliveTimeout():
    live = LiveApp(widgets_memory_app, {'keepAliveTimeout': 500}).start()
    conn = http.client.HTTPConnection('127.0.0.1', live.port, timeout=10)
    try:
        for _ in range(3):              # kept alive between requests
            conn.request('GET', '/api/Widgets')
            resp = conn.getresponse()
            assert (resp.status, resp.read()) == (200, b'[]')
        sock = conn.sock
        answered = time.monotonic()
        assert closed_by_server(sock, 4)
        assert 0.4 < time.monotonic() - answered < 4
    finally:
        conn.close()
        live.stop()


def test_slow_headers_are_closed_after_headersTimeout():
    live = LiveApp(widgets_memory_app, {'headersTimeout': 1000}).start()
    sock = socket.create_connection(('127.0.0.1', live.port), timeout=5)
    try:
        started = time.monotonic()
        sock.sendall(b'GET /api/Widgets HTTP/1.1\r\nHost: x\r\n')
        closed = False
        for i in range(40):             # a header line every 0.1 s keeps it busy, not complete
            try:
                sock.sendall(b'X-Slow-%d: y\r\n' % i)
            except OSError:
                closed = True
                break
            if closed_by_server(sock, 0.1):
                closed = True
                break
        assert closed
        assert 0.9 < time.monotonic() - started < 3.5
        assert timed_get(live)[0] == 200
    finally:
        sock.close()
        live.stop()


# -- 4. Content-Length with Transfer-Encoding ------------------------------------------

def exchange(port, raw):
    """Send ``raw`` on a new connection; everything read until the server closes it."""
    sock = socket.create_connection(('127.0.0.1', port), timeout=5)
    try:
        sock.sendall(raw)
        data = b''
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
        return data
    finally:
        sock.close()


def widget_names(live):
    return live.on_loop(lambda done: live.app.models.Widget.find(
        lambda err, items: done(err or [i.name for i in items])))


SMUGGLED = b'POST /api/Widgets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
NEXT = b'GET /api/Widgets HTTP/1.1\r\nHost: x\r\n\r\n'


@pytest.mark.parametrize('headers, body', [
    (b'Content-Length: 4\r\nTransfer-Encoding: chunked\r\n', b'0\r\n\r\n'),
    (b'Transfer-Encoding: chunked\r\nContent-Length: 15\r\n', b'f\r\n{"name": "bad"}\r\n0\r\n\r\n'),
    (b'Content-Length: 15\r\nTransfer-Encoding: gzip, chunked\r\n', b'{"name": "bad"}'),
    (b'Content-Length: 15\r\nTransfer-Encoding: \r\n', b'{"name": "bad"}'),
    (b'content-length: 15\r\ntransfer-encoding: identity\r\n', b'{"name": "bad"}'),
], ids=['cl-te', 'te-cl', 'te-gzip', 'te-empty', 'te-identity'])
def test_content_length_with_transfer_encoding_is_refused(headers, body):
    live = LiveApp(widgets_memory_app).start()
    try:
        data = exchange(live.port, SMUGGLED + headers + b'\r\n' + body + NEXT)
        assert data.startswith(b'HTTP/1.1 400 Bad Request\r\n'), data
        assert b'Connection: close' in data
        assert data.count(b'HTTP/1.1') == 1, data          # the request behind it: unanswered
        assert widget_names(live) == []
        # HTTP/1.0 too
        data = exchange(live.port, SMUGGLED.replace(b'1.1', b'1.0') + headers + b'\r\n' + body)
        assert data.startswith(b'HTTP/1.0 400 Bad Request\r\n'), data
        assert widget_names(live) == []
        # either one alone is fine
        chunked = exchange(live.port, SMUGGLED + b'Transfer-Encoding: chunked\r\n'
                           b'Connection: close\r\n\r\nd\r\n{"name": "c"}\r\n0\r\n\r\n')
        assert chunked.startswith(b'HTTP/1.1 200 OK\r\n'), chunked
        plain = exchange(live.port, SMUGGLED + b'Content-Length: 13\r\nConnection: close\r\n'
                         b'\r\n{"name": "l"}')
        assert plain.startswith(b'HTTP/1.1 200 OK\r\n'), plain
        assert widget_names(live) == ['c', 'l']
    finally:
        live.stop()


def test_listen_options_are_node_names():
    live = LiveApp(widgets_memory_app, {'keepAliveTimeout': 1234, 'headersTimeout': 4321}).start()
    try:
        server = live.server
        assert (server.keepAliveTimeout, server.headersTimeout) == (1234, 4321)
        server.keepAliveTimeout = 5000            # settable later, as on Node's http.Server
        assert server.keepAliveTimeout == 5000
    finally:
        live.stop()


def test_defaults_follow_node():
    live = LiveApp(widgets_memory_app).start()
    try:
        server = live.server
        assert (server.keepAliveTimeout, server.headersTimeout) == (5000, 60000)
        assert server._server.adj.connection_limit >= 100
    finally:
        live.stop()

