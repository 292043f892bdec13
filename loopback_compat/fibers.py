"""Fibers on greenlet: ``async_`` and ``await_``, so ``await`` code ports.

    // JavaScript                          # Python
    async function f(id) {                 @lb.async_
      const s = await Supplier.findById(id)  def f(id):
      return s.name                            s = lb.await_(Supplier.findById(id))
    }                                          return s.name

Contract, as in JavaScript:

* calling an ``@async_`` function returns a :class:`Promise` and runs its
  body at once, synchronously, up to its first ``await_``; control then
  returns to the caller;
* ``await_(p)`` suspends the current fiber until ``p`` settles and returns
  its value or raises its reason; even an already-settled promise resumes
  in a later microtask, never synchronously; a non-promise value is
  wrapped as ``Promise.resolve(value)``;
* an exception escaping the body rejects the returned promise;
* ``await_`` outside a fiber (plain top-level code, a plain callback)
  raises :class:`NotInFiberError` instead of blocking;
* context variables set before an ``async_`` call are visible in its body
  (each call runs in a copy of the caller's context).

Creating a greenlet costs several microseconds (a fresh stack), a switch a
fraction of one, so finished fibers go back to a small pool and serve the
next call; one pool per thread, as a greenlet never switches across threads.
"""

import contextvars
import functools
import threading

from greenlet import GreenletExit, getcurrent

from .errors import NotInFiberError, RejectedValue
from .loop import Fiber
from .promise import Promise

#: Idle fibers kept for reuse; more than this are let go when they finish.
POOL_LIMIT = 256

# Greenlets belong to the thread that made them, so each thread has its pool.
_local = threading.local()


def _pool():
    pool = getattr(_local, 'pool', None)
    if pool is None:
        pool = _local.pool = []
    return pool


class PooledFiber(Fiber):
    """A fiber that runs one ``async_`` call after another."""

    busy = False

    def __init__(self):
        super().__init__(self._serve)

    def _serve(self):
        pool = _pool()
        # The first job arrives by switch, not as a start argument: greenlet
        # keeps start arguments on the fiber's stack for its whole life, which
        # would pin that job's closure, arguments and promise while pooled.
        job = self.resumer.switch()
        while True:
            fn, args, kwargs, promise = job
            self.busy = True
            try:
                value = fn(*args, **kwargs)
            except GreenletExit:
                raise
            except BaseException as exc:
                promise._reject(exc)
            else:
                promise._resolve(value)
            # An idle pooled fiber must not keep its last call's arguments,
            # result and promise alive until it is next used.
            job = fn = args = kwargs = promise = value = None
            self.busy = False
            resumer, self.resumer = self.resumer, None
            if len(pool) >= POOL_LIMIT:
                # Finish for good: a finished greenlet returns to its parent.
                self.parent = resumer
                return None
            pool.append(self)
            job = resumer.switch()


def spawn(fn, *args, **kwargs):
    """Call ``fn(*args, **kwargs)`` in a fiber; return a Promise of its result.

    The body runs synchronously until its first ``await_`` (or its end).
    """
    promise = Promise()
    pool = _pool()
    if pool:
        fiber = pool.pop()
    else:
        fiber = PooledFiber()
        fiber.enter()               # start it; it waits for its first job
    fiber.gr_context = contextvars.copy_context()
    fiber.enter((fn, args, kwargs, promise))
    return promise


def async_(fn):
    """Decorator: make ``fn`` behave like a JavaScript ``async function``.

    # JS: async function fn(...) { ... }
    """
    @functools.wraps(fn)
    def call(*args, **kwargs):
        return spawn(fn, *args, **kwargs)

    call.__wrapped_async__ = fn
    return call


def in_fiber():
    """True when ``await_`` may be called here."""
    current = getcurrent()
    return isinstance(current, Fiber) and current.resumer is not None


def await_(value):
    """Suspend the current fiber until ``value`` settles; return or raise its outcome.

    # JS: const x = await value;
    """
    fiber = getcurrent()
    if not isinstance(fiber, Fiber) or fiber.resumer is None:
        raise NotInFiberError(
            'await_() was called outside a fiber, where nothing can be suspended. '
            'Call it inside a function decorated with @lb.async_, or inside the '
            'main function given to lb.run(main); elsewhere use a callback or '
            'promise.then().')
    promise = value if isinstance(value, Promise) else Promise.resolve(value)
    suspended = promise._loop.suspended_fibers
    suspended.add(fiber)
    promise._subscribe(fiber.resume_ok, fiber.resume_err)
    try:
        ok, outcome = fiber.resumer.switch()
    finally:
        suspended.discard(fiber)
    if ok:
        return outcome
    if isinstance(outcome, BaseException):
        raise outcome
    raise RejectedValue(outcome)
