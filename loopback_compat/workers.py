"""Worker threads for blocking drivers, with completions delivered on the loop.

# Node/libuv: uv_queue_work() on the libuv thread pool (UV_THREADPOOL_SIZE, 4)

Connectors hand blocking driver calls (sqlite3, psycopg) to a
:class:`WorkerPool`.  ``pool.submit(fn, args, done)`` is called on the loop
thread; one of the pool's threads runs ``fn(*args)``, and ``done(err,
result)`` then runs back on the loop thread, delivered through the loop's
thread-safe completion path (``loop.begin_external()`` /
``ExternalWork.post``).  While a job is pending it keeps the loop alive, as a
pending libuv request keeps Node alive.  ``done`` is never called
synchronously.

``pool.submit_batch(calls, done)`` runs several calls in one hand-off (one
queue round trip, one completion): ``done(err, [result, ...])`` with the
first error stopping the batch.

A pool may give each of its threads private state (a database connection
that must stay on the thread that opened it, as sqlite3's
``check_same_thread`` requires): ``thread_init()`` runs on the thread when it
starts, its return value is what ``pool.context()`` returns on that thread,
and ``thread_exit(context)`` runs on the same thread when the pool closes.
A pool of size 1 is a "lane": every job runs on the same thread, in
submission order.

Sizes: :func:`default_pool` is shared, sized by ``UV_THREADPOOL_SIZE`` (4 when
unset, as libuv) or :func:`set_default_size`.  Threads are started lazily,
are daemons, and are named after the pool.
"""

import os
import queue
import threading

from .loop import get_loop

_STOP = object()


def _env_size():
    try:
        size = int(os.environ.get('UV_THREADPOOL_SIZE', '4'))
    except ValueError:
        size = 4
    return min(max(size, 1), 1024)


class WorkerPool:
    """``size`` threads running blocking calls for the loop thread."""

    def __init__(self, size=None, name='lb-worker', thread_init=None, thread_exit=None):
        self.size = int(size) if size else _env_size()
        if self.size < 1:
            raise ValueError('a worker pool needs at least one thread')
        self.name = name
        self._thread_init = thread_init
        self._thread_exit = thread_exit
        self._jobs = queue.SimpleQueue()
        self._threads = []
        self._local = threading.local()
        self._lock = threading.Lock()
        self.closed = False

    # -- loop thread -----------------------------------------------------

    def submit(self, fn, args, done):
        """Run ``fn(*args)`` on a worker; ``done(err, result)`` on the loop thread."""
        self._enqueue(('one', fn, args), done)

    def submit_batch(self, calls, done):
        """Run ``[(fn, args), ...]`` in order on one worker; ``done(err, results)``."""
        self._enqueue(('batch', list(calls), None), done)

    def _enqueue(self, job, done):
        loop = get_loop()
        if self.closed:
            err = RuntimeError('worker pool %s is closed' % self.name)
            loop.nextTick(done, err, None)
            return
        work = loop.begin_external()
        self._start_threads()
        self._jobs.put((job, work, done))

    def close(self):
        """Stop the threads once the queued jobs have run (thread_exit runs on each)."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            threads = list(self._threads)
        for _ in threads:
            self._jobs.put(_STOP)

    def join(self, timeout=None):
        for thread in list(self._threads):
            thread.join(timeout)

    # -- worker threads --------------------------------------------------

    def context(self):
        """The calling worker thread's ``thread_init()`` value (None elsewhere)."""
        return getattr(self._local, 'context', None)

    def _start_threads(self):
        if len(self._threads) >= self.size:
            return
        with self._lock:
            while len(self._threads) < self.size and not self.closed:
                index = len(self._threads) + 1
                thread = threading.Thread(
                    target=self._work, name='%s-%d' % (self.name, index), daemon=True)
                self._threads.append(thread)
                thread.start()

    def _work(self):
        init_error = None
        if self._thread_init is not None:
            try:
                self._local.context = self._thread_init()
            except Exception as err:  # reported to every job this thread takes
                init_error = err
        try:
            while True:
                item = self._jobs.get()
                if item is _STOP:
                    break
                (kind, fn, args), work, done = item
                if init_error is not None:
                    work.post(done, init_error, None)
                    continue
                err, result = _run(kind, fn, args)
                work.post(done, err, result)
                # Drop the finished job while waiting for the next one: an idle
                # thread must not keep its callback, result and promise alive.
                item = fn = args = work = done = err = result = None
        finally:
            if self._thread_exit is not None and init_error is None:
                try:
                    self._thread_exit(self._local.context)
                except Exception:
                    pass


def _run(kind, fn, args):
    """(err, result) of one job; exceptions become the error, never escape the thread."""
    try:
        if kind == 'one':
            return None, fn(*args)
        results = []
        for call, call_args in fn:
            results.append(call(*call_args))
        return None, results
    except Exception as err:
        return err, None


_default = [None]


def default_pool():
    """The shared pool (libuv's: 4 threads unless UV_THREADPOOL_SIZE says otherwise)."""
    pool = _default[0]
    if pool is None or pool.closed:
        pool = _default[0] = WorkerPool(name='lb-worker')
    return pool


def set_default_size(size):
    """Resize the shared pool: later jobs go to a new pool of ``size`` threads."""
    old = _default[0]
    _default[0] = WorkerPool(size=size, name='lb-worker')
    if old is not None:
        old.close()
    return _default[0]
