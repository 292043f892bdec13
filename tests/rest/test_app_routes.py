"""app.get(path, fn(req, res, next)) over real HTTP: Express 4 routing semantics.

A route may answer at a later tick (after Model.find, a timer); next() falls
through to the next route and finally to LoopBack's urlNotFound 404; next(err)
and a raised exception reach strong-error-handler; a response is sent once;
slow routes do not hold the server's workers.  The expected bodies are LB3's
(3.28, express 4), recorded with tests/rest/lb3_recording/routes.js.
"""

import http.client
import json
import threading
import time

import pytest

import loopback_compat as lb
from loopback_compat import LoopBackError
from live import LiveApp

#: LB3's answers to routes.js (status, content type, body)
LB3 = {
    '/later': (200, 'application/json; charset=utf-8', [{'name': 'a', 'id': 1},
                                                         {'name': 'b', 'id': 2}]),
    '/timeout': (200, 'text/html; charset=utf-8', 'late'),
    '/chain': (200, 'application/json; charset=utf-8', {'second': True}),
    '/fall': (404, 'application/json; charset=utf-8', {'error': {
        'statusCode': 404, 'name': 'Error', 'message': 'Cannot GET /fall'}}),
    '/err': (422, 'application/json; charset=utf-8', {'error': {
        'statusCode': 422, 'name': 'Error', 'message': 'boom'}}),
    '/err500': (500, 'application/json; charset=utf-8', {'error': {
        'statusCode': 500, 'message': 'Internal Server Error'}}),
    '/throw': (500, 'application/json; charset=utf-8', {'error': {
        'statusCode': 500, 'message': 'Internal Server Error'}}),
    '/skip': (200, 'text/html; charset=utf-8', 'next route'),
    '/nothing': (404, 'application/json; charset=utf-8', {'error': {
        'statusCode': 404, 'name': 'Error', 'message': 'Cannot GET /nothing'}}),
    '/twice': (200, 'text/html; charset=utf-8', 'one'),
    '/twicejson': (200, 'application/json; charset=utf-8', {'a': 1}),
}


def routes_js(app, Customer):
    """The routes of routes.js, in Python."""
    app.get('/later', lambda req, res: Customer.find(
        lambda err, rows: res.json([r.toJSON() for r in rows])))
    app.get('/timeout', lambda req, res: lb.setTimeout(lambda: res.send('late'), 20))
    app.get('/chain', lambda req, res, next: next())
    app.get('/chain', lambda req, res: res.json({'second': True}))
    app.get('/fall', lambda req, res, next: lb.setTimeout(lambda: next(), 5))

    def err(req, res, next):
        next(LoopBackError('boom', statusCode=422))
    app.get('/err', err)
    app.get('/err500', lambda req, res, next: next(Exception('plain')))

    def throw(req, res):
        raise Exception('thrown')
    app.get('/throw', throw)

    def twice(req, res):
        res.send('one')
        res.send('two')
    app.get('/twice', twice)

    def twicejson(req, res):
        res.json({'a': 1})
        res.json({'a': 2})
    app.get('/twicejson', twicejson)
    app.get('/skip', lambda req, res, next: next('route'),
            lambda req, res: res.send('skipped?'))
    app.get('/skip', lambda req, res: res.send('next route'))


def customer_app(connector_config):
    def setup(app, done):
        app.dataSource('db', connector_config)
        Customer = app.dataSources.db.createModel('Customer', {'name': 'string'})
        app.model(Customer, dataSource='db')
        routes_js(app, Customer)

        def slow(req, res):
            lb.setTimeout(lambda: res.send('slow'), 1500)
        app.get('/slow', slow)
        app.get('/fast', lambda req, res: res.send('fast'))

        def created(err, *_):
            done(err)

        def migrated(err=None):
            if err:
                return done(err)
            Customer.create([{'name': 'a'}, {'name': 'b'}], created)
        if connector_config['connector'] == 'memory':
            migrated()
        else:
            app.dataSources.db.automigrate(migrated)
    return setup


@pytest.fixture(params=['memory', 'sqlite'])
def live(request, tmp_path):
    config = {'connector': request.param}
    if request.param == 'sqlite':
        config['file'] = str(tmp_path / 'db.sqlite')
    app = LiveApp(customer_app(config)).start()
    yield app
    app.stop()


def answer(live, path, method='GET'):
    status, headers, data = live.request(method, path)
    ctype = headers.get('content-type')
    body = json.loads(data) if ctype and 'json' in ctype else data.decode('utf-8')
    return status, ctype, body


@pytest.mark.parametrize('path', sorted(LB3))
def test_routes_answer_as_lb3(live, path):
    assert answer(live, path) == LB3[path]


def test_second_send_is_logged_not_sent(live, caplog):
    assert answer(live, '/twice')[2] == 'one'
    deadline = time.monotonic() + 5     # logged on the loop thread, after the answer went
    while 'Cannot set headers after they are sent' not in caplog.text and \
            time.monotonic() < deadline:
        time.sleep(0.01)
    assert 'Cannot set headers after they are sent to the client' in caplog.text


def test_head_runs_the_get_route_answering_later(live):
    status, headers, data = live.request('HEAD', '/later')
    assert (status, data) == (200, b'') and headers['content-length'] != '0'


def test_error_handler_route_gets_next_err(serve_app):
    def setup(app, done):
        app.get('/bad', lambda req, res, next: next(LoopBackError('nope', statusCode=409)))
        app.get('/bad', lambda req, res: res.send('skipped: not an error handler'))
        app.get('/bad', lambda err, req, res, next: res.status(err.statusCode).json(
            {'handled': str(err)}))
        app.get('/redirect', lambda req, res: lb.setImmediate(res.redirect, '/there'))
        done()
    live = serve_app(setup)
    assert live.json('GET', '/bad') == (409, {'handled': 'nope'})
    status, headers, data = live.request('GET', '/redirect')
    assert (status, headers['location'], data) == (302, '/there', b'Found. Redirecting to /there')


@pytest.fixture
def serve_app():
    started = []

    def start(setup):
        app = LiveApp(setup).start()
        started.append(app)
        return app
    yield start
    for app in started:
        app.stop()


def test_slow_routes_do_not_hold_the_server(live):
    """50 requests waiting on a 1.5 s timer; a fast route still answers at once."""
    results = []

    def slow():
        conn = http.client.HTTPConnection('127.0.0.1', live.port, timeout=30)
        conn.request('GET', '/slow')
        resp = conn.getresponse()
        results.append((resp.status, resp.read()))
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=slow) for _ in range(50)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    begin = time.monotonic()
    assert answer(live, '/fast') == (200, 'text/html; charset=utf-8', 'fast')
    assert time.monotonic() - begin < 1.0
    for thread in threads:
        thread.join(30)
    assert results == [(200, b'slow')] * 50
    assert time.monotonic() - started < 8      # concurrent, not 50 x 1.5 s
