"""How long a PostgreSQL operation may wait for its connection (``poolTimeout``).

# LoopBack: none (node-postgres's pool waits connectionTimeoutMillis, which
#           defaults to 0: without limit)

Before anything is sent an operation waits twice: in a queue for a thread
(the worker pool for reads, its model's write lane for writes) and then, on
that thread, for a pooled connection (pg_pool.py).  ``poolTimeout``
(``acquireTimeout``) bounds that wait *while the database makes no
progress*: it is counted from the call, and starts again every time a
connection comes back to the pool in working order (:class:`Progress`).  So
a burst of any size behind a working database waits its turn, as on
node-postgres, while a database that stops answering fails every waiting
operation with ``DB_UNAVAILABLE`` within ``poolTimeout`` of the last
operation that completed.

:class:`Wait` is one operation's ticket: the thread that picks the
operation up calls :meth:`Wait.begin` first, and ``pool.acquire`` reads
:meth:`Wait.deadline` again whenever it wakes.  :class:`Waits` also expires,
on the loop thread, tickets still queued past their deadline (one timer per
loop), so an operation queued behind a statement that hangs (a server gone
from the network, until ``queryTimeout``) is answered in time too.  A ticket
whose thread has begun is never expired from outside: it may have sent a
write.
"""

import threading
import time
import weakref
from collections import deque

from ...loop import get_loop
from .pg_pool import db_unavailable

_monotonic = time.monotonic
_QUEUED, _STARTED, _EXPIRED = 0, 1, 2
_LOCK = threading.Lock()     # begin (a worker) against expire (the loop thread)


class Progress:
    """When a connection last came back to this data source's pool in working order."""

    __slots__ = ('last',)

    def __init__(self):
        self.last = 0.0

    def tick(self):
        self.last = _monotonic()


class Wait:
    """One operation's wait for a connection; ``done(err, result)`` answers it once."""

    __slots__ = ('start', 'limit', 'progress', 'state', 'done')

    def __init__(self, limit, progress, done):
        self.start = _monotonic()
        self.limit = limit
        self.progress = progress
        self.state = _QUEUED
        self.done = done

    def deadline(self):
        """The call's time or the last progress, whichever is later, plus poolTimeout."""
        last = self.progress.last
        return (last if last > self.start else self.start) + self.limit

    def begin(self):
        """On the thread that runs the operation: False when it was answered already."""
        with _LOCK:
            if self.state == _EXPIRED:
                return False
            self.state = _STARTED
            return True

    def expire(self):
        with _LOCK:
            if self.state != _QUEUED:
                return False
            self.state = _EXPIRED
            return True

    def finish(self, err, result=None):
        """The thread's completion (on the loop thread), unless the loop answered first."""
        done, self.done = self.done, None    # a finished ticket holds nothing alive
        if self.state != _EXPIRED and done is not None:
            done(err, result)

    def answer_expired(self):
        """The loop's answer to a ticket :meth:`expire` took (on the loop thread)."""
        done, self.done = self.done, None
        if done is not None:
            done(self.timed_out())

    def timed_out(self):
        return db_unavailable('No database connection within the acquire timeout (%g s, '
                              'counted from the call or the last operation that completed); '
                              'nothing was sent' % self.limit)


class _Queue:
    """The waits one loop has queued, in call order, and the timer that expires them."""

    def __init__(self, loop):
        self.loop = loop
        self.waits = deque()
        self.timer = None
        self.generation = None

    def add(self, wait):
        loop = self.loop
        if self.generation != loop._generation:
            # the loop was reset (a failed run): that run's waits are over
            self.waits.clear()
            self.timer = None
            self.generation = loop._generation
        waits = self.waits
        # tickets already taken by a thread leave from the front as new ones
        # come, so a steady stream of operations keeps no trail behind it
        while waits and waits[0].state != _QUEUED:
            waits.popleft()
        waits.append(wait)
        if self.timer is None:
            self._arm(wait.deadline())

    def _arm(self, due):
        delay = max(1.0, (due - _monotonic()) * 1000.0 + 1.0)
        self.timer = self.loop.setTimeout(self._check, delay)
        self.timer.unref()      # pending driver work keeps the loop alive, not this

    def _check(self):
        self.timer = None
        waits, now, expired = self.waits, _monotonic(), []
        while waits:
            head = waits[0]
            if head.state == _QUEUED:
                if head.deadline() > now:
                    break
                if head.expire():
                    expired.append(head)
            waits.popleft()
        if waits:
            self._arm(waits[0].deadline())
        for wait in expired:
            wait.answer_expired()


class Waits:
    """This data source's tickets: :meth:`enter` one per operation (on the loop thread)."""

    def __init__(self, limit, progress):
        self.limit = limit
        self.progress = progress
        self._queues = weakref.WeakKeyDictionary()

    def enter(self, done):
        loop = get_loop()
        queue = self._queues.get(loop)
        if queue is None:
            queue = self._queues[loop] = _Queue(loop)
        wait = Wait(self.limit, self.progress, done)
        queue.add(wait)
        return wait
