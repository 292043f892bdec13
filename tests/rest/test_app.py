"""lb.loopback() apps: settings, models, serving on the loop thread, hooks, remote methods.

Every test drives a real server on 127.0.0.1 over HTTP (http.client).
"""

import http.client
import json
import os
import subprocess
import sys
import threading
import time

import pytest
from waitress.server import create_server

import loopback_compat as lb
from loopback_compat import LoopBackError
from loopback_compat.errors import LoopError
from live import LiveApp


def models_app(extra=None, **model_options):
    """A LiveApp setup: Supplier hasOne Account on a memory data source."""
    def setup(app, done):
        ds = app.dataSource('db', {'connector': 'memory'})
        supplier = ds.createModel('Supplier', {'name': {'type': 'string', 'required': True},
                                               'rating': 'number'}, **model_options)
        account = ds.createModel('Account', {'acctmgr': 'string', 'supplierId': 'number'})
        supplier.hasOne(account, foreignKey='supplierId', as_='account')
        app.model(supplier, dataSource='db')
        app.model(account, dataSource='db')
        if extra:
            extra(app, supplier, account)
        done()
    return setup


@pytest.fixture
def serve():
    started = []

    def start(setup, **options):
        live = LiveApp(setup, **options).start()
        started.append(live)
        return live
    yield start
    for live in started:
        live.stop()


def test_settings_models_and_datasources(serve):
    live = serve(models_app())
    app = live.app
    assert app.set('custom', 5) is app and app.get('custom') == 5
    app.enable('flag')
    assert app.enabled('flag') and not app.disabled('flag')
    assert app.models.Supplier is app.models['Supplier'] is app.models.supplier
    assert [m.modelName for m in app.models()] == ['Supplier', 'Account']
    assert app.dataSources.db is app.models.Supplier.dataSource
    assert app.models.Supplier.app is app


def test_private_model_has_no_routes(serve):
    def setup(app, done):
        ds = app.dataSource('db', {'connector': 'memory'})
        app.model(ds.createModel('Secret', {'x': 'string'}), dataSource='db', public=False)
        app.model(ds.createModel('Open', {'x': 'string'}), dataSource='db')
        done()
    live = serve(setup)
    assert live.json('GET', '/api/Secrets') == (404, {'error': {
        'statusCode': 404, 'name': 'Error', 'message': 'There is no method to handle GET /Secrets'}})
    assert live.json('GET', '/api/Opens') == (200, [])
    paths = live.json('GET', '/explorer/swagger.json')[1]['paths']
    assert '/Opens' in paths and not any(p.startswith('/Secrets') for p in paths)


def test_swagger_describes_a_text_property_as_a_string(serve):
    def setup(app, done):
        ds = app.dataSource('db', {'connector': 'memory'})
        app.model(ds.createModel('Note', {'body': 'Text', 'title': 'string'}), dataSource='db')
        done()
    live = serve(setup)
    note = live.json('GET', '/explorer/swagger.json')[1]['definitions']['Note']
    assert note['properties']['body'] == note['properties']['title'] == {'type': 'string'}


def test_start_listens_on_configured_port_and_emits_started(capsys):
    events = []

    def main():
        app = lb.loopback()
        app.set('host', '127.0.0.1').set('port', 0)
        app.on('started', lambda: events.append('started'))

        def after():
            events.append(app.get('url'))
            server.close()
        server = app.start(after)
    lb.run(main)
    assert events[0] == 'started' and events[1].startswith('http://127.0.0.1:')
    assert capsys.readouterr().out == 'Web server listening at: %s\n' % events[1]


def test_server_keeps_loop_alive_until_close():
    events = []
    box = {}

    def main():
        app = lb.loopback()
        server = app.listen(0, '127.0.0.1', lambda: events.append('listening'))
        events.append('listen returned')
        box['server'] = server

        def stop():
            server.close(lambda: events.append('closed'))
        lb.setTimeout(stop, 300)

    started = time.monotonic()
    lb.run(main)
    assert time.monotonic() - started >= 0.29
    assert events == ['listen returned', 'listening', 'closed']
    with pytest.raises(OSError):
        http.client.HTTPConnection('127.0.0.1', box['server'].port, timeout=2).request('GET', '/')


def test_requests_run_on_the_loop_thread_and_do_not_block_it(serve):
    seen = []

    def extra(app, supplier, account):
        def slow(ms, cb):
            seen.append(threading.get_ident())
            lb.setTimeout(cb, ms, None, ms)
        supplier.slow = slow
        supplier.remoteMethod('slow', accepts={'arg': 'ms', 'type': 'number'},
                              returns={'arg': 'waited', 'type': 'number'},
                              http={'verb': 'get'})
    live = serve(models_app(extra))
    loop_thread = live.loop.thread_id
    results = []

    def call():
        results.append(live.json('GET', '/api/Suppliers/slow?ms=300'))
    threads = [threading.Thread(target=call) for _ in range(8)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    assert results == [(200, {'waited': 300})] * 8
    assert set(seen) == {loop_thread}
    assert elapsed < 1.5, 'requests were serialised: %.2fs' % elapsed


def test_remote_methods_with_promises_and_fibers(serve):
    def extra(app, supplier, account):
        def total(cb=None):
            return supplier.count().then(lambda n: n * 10)
        supplier.total = total
        supplier.remoteMethod('total', returns={'arg': 'total', 'type': 'number'},
                              http={'verb': 'get'})

        @lb.async_
        def names():
            rows = lb.await_(supplier.find({'order': 'name ASC'}))
            return [r.name for r in rows]
        supplier.names = lambda cb=None: names()
        supplier.remoteMethod('names', returns={'arg': 'names', 'type': ['string'], 'root': True},
                              http={'verb': 'get'})

        def fails(cb):
            raise LoopBackError('nope', statusCode=409, code='CONFLICT')
        supplier.fails = fails
        supplier.remoteMethod('fails', http={'verb': 'post'})

        def vague(cb):
            cb(LoopBackError('no status here'))
        supplier.vague = vague
        supplier.remoteMethod('vague', http={'verb': 'get', 'errorStatus': 418})

        def by_name(name, limit, cb):
            supplier.find({'where': {'name': name}, 'limit': limit}, cb)
        supplier.byName = by_name
        supplier.remoteMethod('byName', {
            'accepts': [{'arg': 'name', 'type': 'string', 'http': {'source': 'path'}},
                        {'arg': 'limit', 'type': 'number', 'http': {'source': 'header'}}],
            'returns': {'arg': 'found', 'type': ['Supplier'], 'root': True},
            'http': {'verb': 'get', 'path': '/by-name/:name'}})
    live = serve(models_app(extra))
    live.json('POST', '/api/Suppliers', [{'name': 'b'}, {'name': 'a'}])
    assert live.json('GET', '/api/Suppliers/total') == (200, {'total': 20})
    assert live.json('GET', '/api/Suppliers/names') == (200, ['a', 'b'])
    assert live.json('POST', '/api/Suppliers/fails') == (409, {'error': {
        'statusCode': 409, 'name': 'Error', 'message': 'nope', 'code': 'CONFLICT'}})
    assert live.json('GET', '/api/Suppliers/by-name/a%20b') == (200, [])
    live.json('POST', '/api/Suppliers', [{'name': 'a b'}, {'name': 'a b'}])
    assert live.json('GET', '/api/Suppliers/by-name/a%20b', headers={'limit': '1'}) == \
        (200, [{'name': 'a b', 'id': 3}])
    assert live.json('GET', '/api/Suppliers/vague') == (418, {'error': {
        'statusCode': 418, 'name': 'Error', 'message': 'no status here'}})


def test_return_targets_status_header_and_no_content(serve):
    def extra(app, supplier, account):
        def make(cb):
            cb(None, 202, 'abc', {'ok': True})
        supplier.make = make
        supplier.remoteMethod('make', returns=[
            {'arg': 'status', 'type': 'number', 'http': {'target': 'status'}},
            {'arg': 'token', 'type': 'string', 'http': {'target': 'header', 'header': 'X-Token'}},
            {'arg': 'body', 'type': 'object', 'root': True}], http={'verb': 'post'})

        def ping(cb):
            cb()
        supplier.ping = ping
        supplier.remoteMethod('ping', http={'verb': 'post'})
    live = serve(models_app(extra))
    status, headers, data = live.request('POST', '/api/Suppliers/make')
    assert (status, headers['x-token'], json.loads(data)) == (202, 'abc', {'ok': True})
    status, headers, data = live.request('POST', '/api/Suppliers/ping')
    assert (status, data) == (204, b'')


def test_hooks_wildcards_errors_and_promises(serve):
    calls = []

    def extra(app, supplier, account):
        def record(tag):
            def hook(ctx, unused, next):
                calls.append((tag, ctx.method.stringName))
                next()
            return hook
        supplier.beforeRemote('*', record('static'))
        supplier.beforeRemote('prototype.*', record('proto'))
        supplier.beforeRemote('**', record('all'))
        supplier.beforeRemote('find', lambda ctx, unused, next: lb.Promise.resolve(
            calls.append(('promise', ctx.args.get('filter')))))

        def wrap_result(ctx, unused, next):
            ctx.result = {'wrapped': [r.toJSON() for r in ctx.result]}
            next()
        supplier.afterRemote('find', wrap_result)

        def on_error(ctx, next):
            calls.append(('error', ctx.error.statusCode))
            next()
        supplier.afterRemoteError('findById', on_error)
        supplier.afterRemoteError('prototype.patchAttributes', on_error)

        def deny(ctx, next):
            if ctx.req.get('x-deny'):
                return next(LoopBackError('Authorization Required', statusCode=401,
                                          code='AUTHORIZATION_REQUIRED'))
            next()
        app.remotes().before('**', deny)
    live = serve(models_app(extra))
    live.json('POST', '/api/Suppliers', {'name': 'a'})
    calls.clear()
    assert live.json('GET', '/api/Suppliers?filter=%7B%22limit%22%3A1%7D') == \
        (200, {'wrapped': [{'name': 'a', 'id': 1}]})
    assert calls == [('static', 'Supplier.find'), ('all', 'Supplier.find'),
                     ('promise', {'limit': 1})]
    calls.clear()
    assert live.json('GET', '/api/Suppliers/1/account')[0] == 404
    assert calls == [('proto', 'Supplier.prototype.__get__account'),
                     ('all', 'Supplier.prototype.__get__account')]
    calls.clear()
    # findById's 404 comes from rest.after, outside the invocation: no afterError (as LB3).
    assert live.json('GET', '/api/Suppliers/7')[0] == 404
    assert ('error', 404) not in calls
    assert live.json('PATCH', '/api/Suppliers/1', {'name': None})[0] == 422
    assert calls[-1] == ('error', 422)
    assert live.json('GET', '/api/Suppliers', headers={'X-Deny': '1'}) == (401, {'error': {
        'statusCode': 401, 'name': 'Error', 'message': 'Authorization Required',
        'code': 'AUTHORIZATION_REQUIRED'}})


def test_disable_remote_method_and_custom_paths(serve):
    def extra(app, supplier, account):
        supplier.disableRemoteMethodByName('deleteById')
        supplier.disableRemoteMethodByName('prototype.patchAttributes')
    live = serve(models_app(extra, http={'path': 'vendors'}))
    assert live.json('POST', '/api/vendors', {'name': 'v'})[0] == 200
    assert live.json('GET', '/api/Vendors/1')[0] == 200          # Express paths ignore case
    assert live.json('DELETE', '/api/vendors/1')[1]['error']['message'] == \
        'Shared class "Supplier" has no method handling DELETE /1'
    assert live.json('PATCH', '/api/vendors/1', {'name': 'w'})[0] == 404
    assert live.json('GET', '/api/Suppliers')[0] == 404


def test_normalize_http_path(serve):
    def extra(app, supplier, account):
        app.set('remoting', {'rest': {'normalizeHttpPath': True}})
    live = serve(models_app(extra))
    assert live.json('POST', '/api/suppliers', {'name': 'n'})[0] == 200
    assert live.json('GET', '/api/suppliers/find-one') == (200, {'name': 'n', 'id': 1})
    assert live.json('GET', '/api/suppliers/findOne')[0] == 404
    assert live.json('POST', '/api/suppliers/replace-or-create', {'name': 'm'})[0] == 200


def test_debug_error_handler_shows_5xx_details(serve):
    def extra(app, supplier, account):
        app.set('errorHandler', {'debug': True, 'log': False})
    live = serve(models_app(extra))
    live.json('POST', '/api/Suppliers', {'name': 'a'})
    status, body = live.json('POST', '/api/Suppliers/1/account', {'acctmgr': 'x'})
    status, body = live.json('POST', '/api/Suppliers/1/account', {'acctmgr': 'y'})
    assert status == 500
    err = body['error']
    assert err['statusCode'] == 500 and err['name'] == 'Error'
    assert err['message'] == 'HasOne relation cannot create more than one instance of Account'
    assert err['stack'].startswith('Error: HasOne relation cannot create more than one')
    # Key order as LB3 printed it with strong-error-handler {debug: true}.
    assert list(err) == ['statusCode', 'name', 'message', 'stack']
    status, body = live.json('POST', '/api/Suppliers', {})
    assert status == 422
    assert list(body['error']) == ['statusCode', 'name', 'message', 'details', 'stack']
    assert body['error']['stack'].startswith('ValidationError: The `Supplier` instance')


def test_options_from_remoting_context_reach_operation_hooks(serve):
    seen = []

    def extra(app, supplier, account):
        supplier.createOptionsFromRemotingContext = lambda ctx: {
            'currentUser': ctx.req.get('x-user')}

        def observe(ctx, next):
            seen.append(ctx.options.get('currentUser'))
            next()
        supplier.observe('before save', observe)
    live = serve(models_app(extra))
    assert live.json('POST', '/api/Suppliers', {'name': 'a'}, headers={'X-User': 'bob'})[0] == 200
    assert seen == ['bob']


def test_plain_routes_head_and_content_negotiation(serve):
    def extra(app, supplier, account):
        app.get('/', lambda req, res: res.json({'hello': req.query.get('who', 'world')}))
    live = serve(models_app(extra))
    assert live.json('GET', '/?who=you') == (200, {'hello': 'you'})
    status, headers, data = live.request('HEAD', '/api/Suppliers')
    assert status == 200 and data == b'' and headers['content-length'] == '2'
    # As in LB3, HEAD /:id (exists) is routed before GET /count: 'count' is an unknown id.
    status, headers, data = live.request('HEAD', '/api/Suppliers/count')
    assert (status, headers['x-static-method'] if 'x-static-method' in headers else None,
            data) == (404, None, b'')
    status, headers, data = live.request('GET', '/api/Suppliers', headers={'Accept': 'text/csv'})
    assert (status, data) == (406, b'Not Acceptable')
    assert live.json('GET', '/api/Suppliers', headers={
        'Accept': 'text/html, application/json;q=0.5'}) == (200, [])


def test_wsgi_under_another_server():
    app = lb.loopback()
    from live import EXAMPLE_APP
    lb.boot(app, os.path.join(EXAMPLE_APP, 'server'))      # no loop: returns when booted
    assert app.booted
    server = create_server(app.wsgi, host='127.0.0.1', port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        port = int(server.effective_port)

        def call(method, path, body=None):
            conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
            conn.request(method, path, json.dumps(body) if body is not None else None,
                         {'Content-Type': 'application/json'} if body is not None else {})
            resp = conn.getresponse()
            out = resp.status, json.loads(resp.read() or 'null')
            conn.close()
            return out
        assert call('POST', '/api/Suppliers', {'name': 'w'}) == (200, {'name': 'w', 'id': 1})
        assert call('POST', '/api/Suppliers/1/account', {'acctmgr': 'm'}) == \
            (200, {'acctmgr': 'm', 'supplierId': 1, 'id': 1})
        assert call('GET', '/api/Suppliers/1?filter=%7B%22include%22%3A%22account%22%7D') == \
            (200, {'name': 'w', 'id': 1, 'account': {'acctmgr': 'm', 'supplierId': 1, 'id': 1}})
    finally:
        server.close()
        app.stop_loop_thread()
    assert not app._loop_thread


def test_wsgi_on_the_loop_thread_is_refused():
    def main():
        app = lb.loopback()
        app.listen(0, '127.0.0.1').close()
        app._serving_loop = lb.get_loop()
        with pytest.raises(LoopError):
            app.wsgi({'REQUEST_METHOD': 'GET', 'PATH_INFO': '/'}, lambda *a: None)
    lb.run(main)


def test_plain_script_server_runs_until_closed(tmp_path):
    """No lb.run: the listening server keeps the exit-time loop alive, as in Node."""
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
    script = tmp_path / 'server.py'
    script.write_text('''
import sys
sys.path.insert(0, %r)
import loopback_compat as lb

app = lb.loopback()
ds = app.dataSource('db', {'connector': 'memory'})
app.model(ds.createModel('Note', {'text': 'string'}), dataSource='db')

def stop(req, res):
    res.json({'stopping': True})
    server.close(lambda: print('closed', flush=True))
app.get('/stop', stop)
server = app.listen(0, '127.0.0.1', lambda: print(server.port, flush=True))
''' % root)
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        port = int(proc.stdout.readline())

        def call(method, path, body=None):
            conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
            conn.request(method, path, json.dumps(body) if body else None,
                         {'Content-Type': 'application/json'} if body else {})
            resp = conn.getresponse()
            out = resp.status, json.loads(resp.read())
            conn.close()
            return out
        assert call('POST', '/api/Notes', {'text': 'hi'}) == (200, {'text': 'hi', 'id': 1})
        assert call('GET', '/stop') == (200, {'stopping': True})
        assert proc.wait(20) == 0
        assert proc.stdout.read() == 'closed\n'
    finally:
        if proc.poll() is None:
            proc.kill()
