"""Web-server threads that grow while requests wait for a late answer.

# Node: one thread serves every connection; a request whose handler has not
# answered yet costs nothing but its socket.

waitress serves each request on one of a fixed number of worker threads, and
that thread waits until the loop thread has finished the response.  A route
that answers after a slow call (or never) would hold a worker each, and with
``threads`` such requests every other client would queue behind them.  So a
worker whose request has waited ``PARK_AFTER`` seconds is *parked*: the
dispatcher starts one more thread while it waits and lets one go when it is
answered, so ``threads`` workers stay free for new requests (at most
``limit`` parked, the server's connection limit: no more requests can be in
flight).  Only servers started by ``app.listen`` do this; under another WSGI
server (``app.wsgi``) ``parked()`` does nothing.
"""

import contextlib
import threading

#: Seconds a request waits for its answer before its worker is parked.
PARK_AFTER = 0.05

_local = threading.local()


def elastic_dispatcher(threads, limit):
    """A waitress task dispatcher running ``threads`` workers plus one per parked request."""
    from waitress.task import ThreadedTaskDispatcher

    class ElasticDispatcher(ThreadedTaskDispatcher):
        def __init__(self):
            super().__init__()
            self.base = threads
            self.limit = limit
            self.parked = 0
            self.closed = False
            self._park_lock = threading.Lock()

        def handler_thread(self, thread_no):
            _local.dispatcher = self        # lets parked() find this dispatcher
            return super().handler_thread(thread_no)

        def park(self, delta):
            with self._park_lock:
                self.parked += delta
                if not self.closed:         # once shut down, start nothing
                    self.set_thread_count(self.base + min(self.parked, self.limit))

        def shutdown(self, cancel_pending=True, timeout=5):
            with self._park_lock:
                self.closed = True
            return super().shutdown(cancel_pending, timeout)

    dispatcher = ElasticDispatcher()
    dispatcher.set_thread_count(threads)
    return dispatcher


@contextlib.contextmanager
def parked():
    """While the calling worker waits inside, another worker serves new requests."""
    dispatcher = getattr(_local, 'dispatcher', None)
    if dispatcher is None:
        yield
        return
    dispatcher.park(1)
    try:
        yield
    finally:
        dispatcher.park(-1)
