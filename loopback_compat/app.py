"""LoopBack 3 applications: ``lb.loopback()``, models, data sources, and serving them.

# LoopBack: var app = loopback(); app.dataSource(...); app.model(...); app.listen(...)

An app holds settings (``app.set/get``), data sources (``app.dataSources``),
models (``app.models.Supplier``, ``app.models()``), remote hooks
(``app.remotes()``) and a few plain routes (``app.get('/', handler)``).

Serving.  ``app.listen(port, cb)`` (or ``app.start()``, which uses the
``host``/``port`` settings and emits 'started') starts a waitress server
whose worker threads read each request, hand it to the event loop thread
with the loop's thread-safe ``call_soon_threadsafe``, and wait for the
answer.  All model code therefore runs on the loop thread, one callback at
a time, exactly as in Node.  The listening server holds a reference on the
loop (``begin_external``), so ``lb.run`` keeps going until
``server.close(cb)``.

``app.wsgi`` is a plain WSGI callable for other servers (gunicorn,
``waitress-serve``, uwsgi).  If the app is not being served by ``listen``,
the first request starts a daemon thread that runs an event loop for the
app; requests are executed there the same way.  Boot the app at import time
(``lb.boot(app, dir)`` outside any loop completes before returning).

Errors outside the REST API (an unknown URL) are strong-error-handler 404s
``Cannot GET /path``, as loopback#urlNotFound produces.
"""

import logging
import re
import sys
import threading
import time

from .auth.check_access import warn_unenforced_acls
from .auth.token import enable_auth, run_token_step
from .datasource import DataSource
from .errors import LoopBackError, LoopError
from .loop import get_loop, run as run_loop, setImmediate
from .remoting import HookRegistry, RestAdapter, attach_hooks, enable_remoting
from .remoting.cors import apply_cors
from .remoting.error_handler import send_error
from .remoting.http import Request, Response, parse_limit
from .remoting.swagger import build_swagger
from .remoting.types import UNDEFINED
from .router import Router
from .server_threads import PARK_AFTER, elastic_dispatcher, parked

log = logging.getLogger('loopback_compat.app')

#: How long a worker thread waits between checks that the loop still runs.
_WAIT_SLICE = 1.0


class _Registry(dict):
    """A dict whose items are also attributes (``app.models.Supplier``), and callable.

    ``app.models()`` returns the list of models, as in LoopBack.
    """

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __call__(self):
        seen = []
        for value in self.values():
            if value not in seen:
                seen.append(value)
        return seen


def _camelize(name):
    return name[:1].lower() + name[1:]


def _classify(name):
    """underscore.string's classify: 'store-item' -> 'StoreItem', 'widget' -> 'Widget'."""
    words = re.sub(r'[\W_]', ' ', name).strip()
    words = re.sub(r'[-_\s]+(.)?', lambda m: (m.group(1) or '').upper(), words)
    return words[:1].upper() + words[1:]


class LoopBackApp:
    """A LoopBack 3 application (see the module docstring)."""

    def __init__(self):
        self.settings = {}
        self.models = _Registry()
        self.dataSources = _Registry()
        self._remotes = HookRegistry()
        self._rest = RestAdapter(self)
        self._public = {}
        self._order = []
        self._router = Router()
        self._listeners = {}
        self._lock = threading.Lock()
        self._serving_loop = None
        self._servers = []
        self._loop_thread = None
        self.booting = False
        self.booted = False
        # LB3 ignores ACLs silently without enableAuth(): say so once booted
        self.once('booted', lambda *_: warn_unenforced_acls(self))

    # -- settings -------------------------------------------------------------

    def set(self, name, value):
        """# LoopBack: app.set(name, value)"""
        self.settings[name] = value
        return self

    def get(self, name, *handlers):
        """``app.get(name)`` reads a setting; ``app.get(path, handler)`` adds a route."""
        if handlers:
            return self.route('GET', name, *handlers)
        return self.settings.get(name)

    def enable(self, name):
        return self.set(name, True)

    def disable(self, name):
        return self.set(name, False)

    def enabled(self, name):
        return bool(self.settings.get(name))

    def disabled(self, name):
        return not self.settings.get(name)

    # -- events -----------------------------------------------------------------

    def on(self, event, fn):
        self._listeners.setdefault(event, []).append(fn)
        return self

    def once(self, event, fn):
        def wrapper(*args):
            self.removeListener(event, wrapper)
            fn(*args)
        return self.on(event, wrapper)

    def removeListener(self, event, fn):
        if fn in self._listeners.get(event, []):
            self._listeners[event].remove(fn)
        return self

    def emit(self, event, *args):
        for fn in list(self._listeners.get(event, [])):
            fn(*args)
        return bool(self._listeners.get(event))

    # -- data sources and models -----------------------------------------------

    def dataSource(self, name, config=None, **kwargs):
        """Create and register a data source.

        # LoopBack: app.dataSource('db', {connector: 'memory'})
        """
        config = dict(config or {})
        config.update(kwargs)
        config.setdefault('name', name)
        ds = DataSource(config.get('name'), config)
        self.dataSources[name] = ds
        self.dataSources[_camelize(name)] = ds
        return ds

    def model(self, model, config=None, **kwargs):
        """Attach a model to the app (and to a data source), exposing it over REST.

        # LoopBack: app.model(Model, {dataSource: 'db', public: true})

        ``dataSource`` is a registered name or a DataSource; ``public``
        (default True) decides whether REST routes are generated; a string
        ``model`` names a model already registered with the app.
        """
        config = dict(config or {})
        config.update(kwargs)
        if isinstance(model, str):
            found = self.models.get(model)
            if found is None:
                raise LoopBackError('Model not found: %s' % model)
            model = found
        ds = config.get('dataSource', UNDEFINED)
        if isinstance(ds, str):
            if ds not in self.dataSources:
                raise LoopBackError('%s is referencing a dataSource that does not exist: '
                                    '"%s"' % (model.modelName, ds))
            ds = self.dataSources[ds]
        if isinstance(ds, DataSource) and getattr(model, 'dataSource', None) is not ds:
            ds.attach(model)
        enable_remoting(model)
        name = model.modelName
        self._public[name] = config.get('public', True) is not False
        if model not in self._order:
            self._order.append(model)
        self.models[name] = model
        # LoopBack: app.models[classify(name)] = app.models[camelize(name)] = Model
        self.models[_classify(name)] = model
        self.models[_camelize(name)] = model
        model._lb_app = self
        if 'app' not in model.definition.properties:
            # LoopBack's Model.app; a model property of that name keeps its descriptor.
            model.app = self
        attach_hooks(model, self)
        self.emit('modelRemoted', model)
        return model

    def enableAuth(self, options=None, **kwargs):
        """Enable authentication and authorization: find each REST request's
        access token (``req.accessToken``) and check the ACLs before every
        remote method (auth/check_access.py); with ``dataSource``, define the
        built-in User, AccessToken, ACL, Role and RoleMapping on it when not
        attached yet (docs/auth.md).

        # LoopBack: app.enableAuth([{dataSource: 'db'}])
        """
        return enable_auth(self, dict(options or {}, **kwargs))

    def public_models(self):
        return [m for m in self._order if self._public.get(m.modelName)]

    def remotes(self):
        """The hook registry: ``app.remotes().before('Supplier.*', fn(ctx, next))``."""
        return self._remotes

    # -- plain routes -------------------------------------------------------------

    def route(self, verb, path, *handlers):
        """Add handlers ``fn(req, res[, next])`` for ``verb path``, run as Express 4 does
        (loopback_compat/router.py): they may answer at any later tick."""
        self._router.add(verb, path, handlers)
        return self

    def post(self, path, *handlers):
        return self.route('POST', path, *handlers)

    def put(self, path, *handlers):
        return self.route('PUT', path, *handlers)

    def patch(self, path, *handlers):
        return self.route('PATCH', path, *handlers)

    def delete(self, path, *handlers):
        return self.route('DELETE', path, *handlers)

    def error_handler_options(self):
        """strong-error-handler options: the ``errorHandler`` setting (debug, log, safeFields)."""
        return dict(self.settings.get('errorHandler') or {})

    # -- request handling (loop thread) -----------------------------------------

    def handle(self, req, res, done):
        """Answer ``req`` into ``res``, then ``done()``; runs on the loop thread."""
        root = (self.get('restApiRoot') or '/api').rstrip('/')
        path = req.path
        try:
            if apply_cors(self.get('cors'), req, res):
                return done()
            if path == root or path.lower().startswith(root.lower() + '/'):
                req.mount(path[:len(root)])
                if getattr(self, 'isAuthEnabled', False):
                    # LoopBack: rest() runs loopback.token() first once auth is enabled
                    return run_token_step(
                        self, req, res, lambda: self._rest.handle(req, res, done),
                        lambda err: (send_error(req, res, err, self.error_handler_options()),
                                     done()))
                return self._rest.handle(req, res, done)
            explorer = self.get('explorerRoot')
            if explorer is None:
                explorer = '/explorer'
            if explorer and req.method in ('GET', 'HEAD') and \
                    path.rstrip('/') == explorer.rstrip('/') + '/swagger.json':
                res.json(build_swagger(self))
                return done()
            # The routes answer now or at a later tick: the request is done
            # when its response is finished (a route that never answers holds
            # it, as in Express).
            res.on('finish', done)
            return self._router.handle(req, res, lambda err: self._after_routes(req, res, err))
        except Exception as exc:       # a bug answering this request: report it as a 500
            send_error(req, res, exc, self.error_handler_options())
        done()

    def _after_routes(self, req, res, err):
        """No route answered: ``next(err)`` reaches strong-error-handler, ``next()``
        LoopBack's urlNotFound (a 404 ``Cannot GET /path``)."""
        if err is None:
            err = LoopBackError('Cannot %s %s' % (req.method, req.originalUrl), statusCode=404)
        if res.finished:
            # Express: the error handler only closes the connection once headers are sent
            log.error('Error after the response to %s %s was sent: %r',
                      req.method, req.originalUrl, err)
            return
        send_error(req, res, err, self.error_handler_options())

    # -- WSGI -------------------------------------------------------------------

    def _body_limit(self):
        remoting = self.get('remoting') or {}
        limits = [parse_limit((remoting.get('json') or {}).get('limit')),
                  parse_limit((remoting.get('urlencoded') or {}).get('limit'))]
        return max(limits)

    def wsgi(self, environ, start_response):
        """The app as a WSGI callable (runs each request on the app's loop thread)."""
        loop = self._serving_loop or self._start_loop_thread()
        if threading.get_ident() == loop.thread_id:
            raise LoopError('app.wsgi was called on the event loop thread; serve it from a '
                            'WSGI server thread (app.listen, waitress-serve, gunicorn)')
        try:
            length = int(environ.get('CONTENT_LENGTH') or 0)
        except ValueError:
            length = 0
        body = b''
        if length > 0:
            body = environ['wsgi.input'].read(min(length, self._body_limit() + 1))
        req = Request.from_environ(environ, body)
        res = Response(req)
        finished = threading.Event()

        def on_loop():
            try:
                self.handle(req, res, finished.set)
            except Exception as exc:
                send_error(req, res, exc, self.error_handler_options())
                finished.set()

        loop.call_soon_threadsafe(on_loop)
        if not finished.wait(PARK_AFTER):
            # answered later (or never): let another worker serve meanwhile
            with parked():
                while not finished.wait(_WAIT_SLICE):
                    if not loop.running and not loop._external_pending:
                        # The loop died (an uncaught error stopped lb.run): nothing will answer.
                        res = Response(req)
                        send_error(req, res, LoopBackError('Service Unavailable',
                                                           statusCode=503), {'log': False})
                        break
        start_response(res.status_line(), res.header_list())
        if req.method == 'HEAD':
            return [b'']
        return [res.body]

    def _start_loop_thread(self):
        """Run an event loop for this app on a daemon thread (for foreign WSGI servers)."""
        with self._lock:
            if self._serving_loop is not None:
                return self._serving_loop
            ready = threading.Event()
            holder = {}

            def main():
                loop = get_loop()
                holder['loop'] = loop
                holder['keepalive'] = loop.begin_external()
                ready.set()

            thread = threading.Thread(target=run_loop, args=(main,), daemon=True,
                                      name='loopback-loop')
            thread.start()
            ready.wait()
            self._serving_loop = holder['loop']
            self._loop_thread = (thread, holder['keepalive'])
            return self._serving_loop

    def stop_loop_thread(self, timeout=10):
        """Let the loop thread started by :meth:`wsgi` finish (for tests and clean exits)."""
        entry = getattr(self, '_loop_thread', None)
        if not entry:
            return
        thread, keepalive = entry
        self._loop_thread = None
        if self._serving_loop is not None and not self._servers:
            self._serving_loop = None
        keepalive.post(lambda: None)
        thread.join(timeout)

    # -- listening ----------------------------------------------------------------

    def listen(self, port=None, host=None, cb=None, **server_options):
        """Serve the app on ``host:port`` (settings by default); ``cb()`` once listening.

        # LoopBack: app.listen([port], [cb]) -> http.Server

        Call it on the loop thread (inside ``lb.run`` or a boot callback).  Port 0
        picks a free port: read it from ``server.address()['port']``.
        """
        if callable(port) and cb is None:
            port, cb = None, port
        if callable(host) and cb is None:
            host, cb = None, host
        if port is None:
            port = self.get('port')
        if port is None:
            port = 3000
        if host is None:
            host = self.get('host') or '0.0.0.0'
        server = Server(self, host, int(port), **server_options)
        self._servers.append(server)
        self.set('port', server.port)    # LB3: app.set('port', address().port) once listening
        shown = 'localhost' if host in ('0.0.0.0', '::') else host
        self.set('url', 'http://%s:%d/' % (shown, server.port))
        if cb is not None:
            setImmediate(cb)
        return server

    def start(self, cb=None):
        """Listen on the configured host/port, emit 'started', print the URL.

        # LoopBack: app.start() of the LB3 scaffold's server/server.js
        """
        def started():
            self.emit('started')
            print('Web server listening at: %s' % self.get('url'))
            sys.stdout.flush()
            if cb is not None:
                cb()
        return self.listen(cb=started)


#: Node's http.Server defaults, in milliseconds: an idle keep-alive connection
#: is closed after keepAliveTimeout; one whose request headers are not complete
#: headersTimeout after they started (or after it connected) is closed too.
KEEP_ALIVE_TIMEOUT = 5000
HEADERS_TIMEOUT = 60000
#: Open connections (at most, and bounded by the file-descriptor limit) before
#: the longest-idle ones are closed to admit new clients.
CONNECTION_LIMIT = 1000


def _connection_limit():
    try:
        import resource
        soft = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    except (ImportError, OSError, ValueError):
        return CONNECTION_LIMIT
    if soft == resource.RLIM_INFINITY:
        return CONNECTION_LIMIT
    # leave descriptors for data files, database connections and the like
    return max(100, min(CONNECTION_LIMIT, soft - 128))


#: Node 20's default maximum size of the request line and headers (bytes).
MAX_HEADER_SIZE = 16 * 1024


class Server:
    """A listening waitress server (Node's ``http.Server`` as LoopBack returns it).

    Hostile clients.  A request carrying both Content-Length and
    Transfer-Encoding is refused with a 400 and its connection closed (a
    request-smuggling vector; Node refuses it the same way).  Connections are
    reaped as Node reaps them: idle keep-alive ones after ``keepAliveTimeout``
    ms, ones whose request headers are not complete ``headersTimeout`` ms after
    they started (0 turns either off; both may be set on the server later, as
    in Node).  A connection receiving a body is closed after waitress's
    ``channel_timeout`` seconds without data.  When ``connection_limit``
    connections are open, the longest-idle ones (waiting for a request or for
    the rest of its headers, not being answered nor sending a body) are closed
    to admit the new client, instead of no longer accepting as waitress does.
    """

    def __init__(self, app, host, port, threads=8, keepAliveTimeout=KEEP_ALIVE_TIMEOUT,
                 headersTimeout=HEADERS_TIMEOUT, **options):
        from waitress.server import create_server
        self.app = app
        self.loop = get_loop()
        self.keepAliveTimeout = keepAliveTimeout
        self.headersTimeout = headersTimeout
        options.setdefault('max_request_body_size', 16 * 1024 * 1024)
        # Node's --max-http-header-size: request line and headers past 16 KiB
        # are a 431, so no query string (filter) is larger than that
        options.setdefault('max_request_header_size', MAX_HEADER_SIZE)
        options.setdefault('connection_limit', _connection_limit())
        options.setdefault('asyncore_use_poll', True)     # select() stops at descriptor 1024
        options.setdefault('cleanup_interval', 1)         # how often connections are checked
        queue_log = logging.getLogger('waitress.queue')
        if queue_log.level == logging.NOTSET:
            # waitress warns on every queued request; under load that is noise.
            queue_log.setLevel(logging.ERROR)
        options.setdefault('ident', None)
        # one more worker per request waiting for a late answer (server_threads.py)
        dispatcher = elastic_dispatcher(threads, options['connection_limit'])
        self._server = create_server(app.wsgi, host=host, port=port, threads=threads,
                                     clear_untrusted_proxy_headers=True,
                                     _dispatcher=dispatcher, **options)
        _guard(self._server, self)
        self._keepalive = self.loop.begin_external()
        self.host = host
        self.port = int(self._server.effective_port)
        self._closed = False
        app._serving_loop = self.loop
        self._thread = threading.Thread(target=self._server.run, daemon=True,
                                        name='waitress-%d' % self.port)
        self._thread.start()

    def address(self):
        """# Node: server.address() -> {address, family, port}"""
        return {'address': self.host, 'family': 'IPv6' if ':' in self.host else 'IPv4',
                'port': self.port}

    def _drain_and_stop(self, grace=10.0):
        """Stop accepting, let requests in flight finish, then close every connection."""
        from waitress import wasyncore
        server = self._server
        try:
            server.trigger.pull_trigger(lambda: wasyncore.dispatcher.close(server))
        except OSError:
            pass
        deadline = time.monotonic() + grace
        while _busy_channels(server) and time.monotonic() < deadline:
            time.sleep(0.01)
        try:
            server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        except OSError:
            pass
        self._thread.join(grace)
        server.task_dispatcher.shutdown(timeout=5)

    def close(self, cb=None):
        """Stop listening; ``cb()`` runs on the loop thread once workers are done.

        Requests already being answered complete first (Node lets them finish
        too); idle keep-alive connections are then closed.

        # Node: server.close([cb])
        """
        if self._closed:
            if cb is not None:
                setImmediate(cb, LoopBackError('Server is not running.',
                                               code='ERR_SERVER_NOT_RUNNING'))
            return self
        self._closed = True
        keepalive = self._keepalive

        def shutdown():
            self._drain_and_stop()
            keepalive.post(_closed, self, cb)

        threading.Thread(target=shutdown, daemon=True, name='waitress-close').start()
        return self


_GUARDED = {}      # waitress listener class -> its guarded subclass


def _guard(server, owner):
    """Give every listener in ``server``'s socket map the guarded classes below."""
    from waitress.server import BaseWSGIServer
    for listener in list(server._map.values()):
        if isinstance(listener, BaseWSGIServer):
            cls = type(listener)
            if cls not in _GUARDED:
                _GUARDED[cls] = type('Guarded' + cls.__name__, (_guard_classes()[0], cls), {})
            listener.__class__ = _GUARDED[cls]
            listener.owner = owner


_GUARD_CLASSES = []


def _guard_classes():
    """(listener mixin, channel class), built on first use (waitress is imported lazily)."""
    if _GUARD_CLASSES:
        return _GUARD_CLASSES[0]
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser, ParsingError
    from waitress.utilities import BadRequest

    class Parser(HTTPRequestParser):
        """waitress's parser; refuses Content-Length with Transfer-Encoding (smuggling)."""

        def __init__(self, adj):
            super().__init__(adj)
            self.started = time.time()      # created when a request's first bytes arrive

        def parse_header(self, header_plus):
            try:
                super().parse_header(header_plus)
            except Exception:
                if _length_and_encoding(self.headers, header_plus):
                    raise ParsingError(_SMUGGLING) from None
                raise
            if _length_and_encoding(self.headers, header_plus, self.chunked):
                raise ParsingError(_SMUGGLING)

        def received(self, data):
            consumed = super().received(data)
            if isinstance(self.error, BadRequest) and self.headers_finished:
                # a refused request's body is not read as a next request
                consumed = len(data)
            return consumed

    class Channel(HTTPChannel):
        parser_class = Parser
        answered = False        # a response was sent: keep-alive timing applies

        def service(self):
            super().service()
            self.answered = True

    class Listener:
        """Mixed into waitress's listener: Node-like reaping, room made at the limit."""

        channel_class = Channel
        owner = None
        _evicted = 0

        def readable(self):
            now = time.time()
            if now >= self.next_channel_cleanup:
                self.next_channel_cleanup = now + self.adj.cleanup_interval
                self.maintenance(now)
            if not self.accepting:
                return False
            if len(self._map) < self.adj.connection_limit:
                if self.in_connection_overflow:
                    self.in_connection_overflow = False
                    self.logger.info('%d idle connections closed to admit new clients '
                                     '(connection limit %d)', self._evicted,
                                     self.adj.connection_limit)
                    self._evicted = 0
                return True
            if not self._make_room() and not self.in_connection_overflow:
                self.logger.warning('connection limit %d reached and no connection is idle: '
                                    'not accepting until one closes',
                                    self.adj.connection_limit)
            self.in_connection_overflow = True
            return False

        def maintenance(self, now):
            owner = self.owner
            keep_alive = (owner.keepAliveTimeout or 0) / 1000.0
            headers = (owner.headersTimeout or 0) / 1000.0
            body = self.adj.channel_timeout
            for channel in list(self.active_channels.values()):
                if channel.requests or channel.total_outbufs_len or channel.will_close:
                    continue            # being answered, or already closing
                request = channel.request
                if request is None and getattr(channel, 'answered', False):
                    limit, since = keep_alive, channel.last_activity
                elif request is None:
                    limit, since = headers, channel.creation_time
                elif not request.headers_finished:
                    limit, since = headers, getattr(request, 'started', channel.creation_time)
                else:
                    limit, since = body, channel.last_activity
                if limit and now - since >= limit:
                    channel.will_close = True

        def _make_room(self):
            """At the limit: close the longest-waiting idle connections (a tenth of
            the limit, less those already closing); False when none can go."""
            idle = []
            closing = 0
            for channel in self.active_channels.values():
                request = channel.request
                if channel.will_close or channel.close_when_flushed:
                    closing += 1
                elif not (channel.requests or channel.total_outbufs_len or
                          request is not None and request.headers_finished):
                    since = channel.last_activity if request is None else \
                        getattr(request, 'started', channel.creation_time)
                    idle.append((since, channel))
            room = max(1, self.adj.connection_limit // 10) - closing
            idle.sort(key=lambda pair: pair[0])
            for _since, channel in idle[:max(0, room)]:
                channel.will_close = True
                self._evicted += 1
            return bool(closing or idle)

    _GUARD_CLASSES.append((Listener, Channel))
    return _GUARD_CLASSES[0]


_SMUGGLING = "Content-Length can't be present with Transfer-Encoding"


def _length_and_encoding(headers, header_plus, chunked=False):
    """Did the request carry both Content-Length and Transfer-Encoding?

    waitress removes Transfer-Encoding from ``headers`` (HTTP/1.1), so an
    empty one is looked for in the raw header block.
    """
    if 'CONTENT_LENGTH' not in headers:
        return False
    if chunked or 'TRANSFER_ENCODING' in headers:
        return True
    return any(line.split(b':', 1)[0].strip().lower() == b'transfer-encoding'
               for line in header_plus.split(b'\n')[1:])


def _busy_channels(server):
    from waitress.channel import HTTPChannel
    return [ch for ch in list(server._map.values())
            if isinstance(ch, HTTPChannel) and (ch.requests or ch.total_outbufs_len)]


def _closed(server, cb):
    app = server.app
    if server in app._servers:
        app._servers.remove(server)
    if app._serving_loop is server.loop and not app._servers:
        app._serving_loop = None
    if cb is not None:
        cb()


def loopback():
    """A new LoopBack application.

    # LoopBack: var app = loopback();
    """
    return LoopBackApp()
