"""A LoopBack app served for real on 127.0.0.1, driven from the test thread.

The app runs inside ``lb.run`` on its own thread (its event loop thread);
``app.listen(0)`` picks a free port; tests talk to it over HTTP with
``http.client``.  ``on_loop(fn)`` runs ``fn(done)`` on the loop thread and
returns what it passes to ``done`` (used to read the data behind the API).
"""

import http.client
import json
import os
import threading

import loopback_compat as lb
from loopback_compat.loop import get_loop

EXAMPLE_APP = os.path.join(os.path.dirname(__file__), '..', '..', 'examples', 'lb3_app')


class LiveApp:
    def __init__(self, setup, server_options=None):
        """``setup(app, done)`` configures the app on the loop thread, then calls ``done(err)``."""
        self.setup = setup
        self.server_options = server_options or {}
        self.app = None
        self.server = None
        self.loop = None
        self.error = None
        self._ready = threading.Event()
        self._thread = None

    def start(self):
        def main():
            self.loop = get_loop()
            self.app = lb.loopback()

            def configured(err=None):
                if err:
                    self.error = err
                    self._ready.set()
                    return
                self.server = self.app.listen(0, '127.0.0.1', self._ready.set,
                                              **self.server_options)
            self.setup(self.app, configured)

        def target():
            try:
                lb.run(main)
            except BaseException as exc:       # surfaced by stop()
                self.error = exc
                self._ready.set()

        self._thread = threading.Thread(target=target, daemon=True, name='live-app')
        self._thread.start()
        if not self._ready.wait(20):
            raise RuntimeError('app did not start')
        if self.error:
            raise self.error
        return self

    @property
    def port(self):
        return self.server.port

    def request(self, method, path, body=None, headers=None, raw=None):
        """One HTTP exchange on a fresh connection -> (status, headers dict, body bytes)."""
        headers = dict(headers or {})
        payload = raw
        if body is not None:
            payload = json.dumps(body).encode('utf-8')
            headers.setdefault('Content-Type', 'application/json')
        conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=30)
        try:
            conn.request(method, path, body=payload, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
        finally:
            conn.close()

    def json(self, method, path, body=None, headers=None, raw=None):
        status, _headers, data = self.request(method, path, body, headers, raw)
        return status, (json.loads(data) if data else None)

    def on_loop(self, fn, timeout=10):
        """Run ``fn(done)`` on the loop thread; return the value given to ``done``."""
        box = {}
        finished = threading.Event()

        def done(value=None):
            box['value'] = value
            finished.set()

        def call():
            try:
                fn(done)
            except BaseException as exc:
                box['error'] = exc
                finished.set()

        self.loop.call_soon_threadsafe(call)
        if not finished.wait(timeout):
            raise RuntimeError('loop did not answer')
        if 'error' in box:
            raise box['error']
        return box['value']

    def rows(self, model_name):
        """Every row of a model, as plain dicts, read on the loop thread."""
        def read(done):
            model = self.app.models[model_name]
            model.find({'order': 'id ASC'}, lambda err, items: done(
                err or [i.toJSON() for i in items]))
        out = self.on_loop(read)
        if isinstance(out, BaseException):
            raise out
        return out

    def stop(self):
        closed = threading.Event()
        if self.server is not None:
            self.loop.call_soon_threadsafe(self.server.close, closed.set)
            closed.wait(20)
        self._thread.join(20)
        alive = self._thread.is_alive()
        if self.error and not isinstance(self.error, KeyboardInterrupt):
            raise self.error
        assert not alive, 'the event loop kept running after server.close()'


def boot_example(app, done):
    """Setup for LiveApp: boot examples/lb3_app (memory data source, fresh data)."""
    lb.boot(app, os.path.join(EXAMPLE_APP, 'server'), done)
