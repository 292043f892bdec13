"""The event loop: Node's queues, timers and exit rules, on one thread.

Ordering is Node's (>= 11):

* after every callback the loop runs (timer, immediate, cross-thread
  completion, the main function) it drains the ``nextTick`` queue completely,
  then the microtask (promise) queue, and repeats until both are empty; then
  it reports unhandled promise rejections;
* one turn of the loop runs the due timers (by due time, then insertion
  order), then the completions posted by other threads (the "poll" phase,
  which sleeps on a condition when there is nothing else to do), then the
  immediates that were queued before the phase began;
* the loop ends when nothing referenced is left: ref'd timers, ref'd
  immediates and pending cross-thread work.  Unref'd handles still fire while
  the loop runs, but do not keep it alive; what is left when it ends dies
  with it, as with Node's process.

An exception that escapes any callback is "uncaught": it propagates out of
the loop, the loop is reset (queued work is dropped, fibers stuck in
``await_`` are unwound, late thread completions are ignored), and :func:`run`
re-raises it with its original traceback.  A plain script that schedules work and never calls :func:`run`
has that work drained at interpreter exit, as Node does after the main
module; an uncaught error there prints its traceback and exits with status 1.

This module is the only one that keeps a queue.  Everything else schedules
through it: promises put their reactions on :meth:`Loop.queue_microtask`,
connectors hand blocking work to threads and get the results back through
:meth:`Loop.begin_external`.
"""

import atexit
import contextvars
import heapq
import os
import sys
import threading
import time
import traceback
from collections import deque

from greenlet import GreenletExit, getcurrent, greenlet

from .errors import LoopError, TypeError_, UnhandledPromiseRejection  # noqa: F401 - re-exported
from .speedups import gc_pause

#: Node clamps delays outside [1, TIMEOUT_MAX] ms to 1 ms.
TIMEOUT_MAX = 2 ** 31 - 1


class MonotonicClock:
    """Real time in milliseconds; the default clock."""

    virtual = False

    def now(self):
        return time.monotonic() * 1000.0


class VirtualClock:
    """Virtual milliseconds for tests: timers fire without sleeping.

    When the loop has nothing to do but wait for a timer (and no thread work
    is pending), the clock jumps straight to that timer's due time, as trio's
    ``MockClock(autojump_threshold=0)`` does.  ``advance(ms)`` moves it by hand.
    """

    virtual = True

    def __init__(self, start=0.0):
        self._now = float(start)

    def now(self):
        return self._now

    def advance(self, ms):
        self._now += ms


class Handle:
    """Base of timer and immediate handles: ``ref()`` / ``unref()`` / ``hasRef()``.

    # LoopBack/Node: const t = setTimeout(fn, 10); t.unref();
    """

    __slots__ = ('_loop', '_fn', '_args', '_ref', '_active')

    def __init__(self, loop, fn, args):
        if not callable(fn):
            _check_callback(fn)
        self._loop = loop
        self._fn = fn
        self._args = args
        self._ref = True
        self._active = True

    def ref(self):
        if not self._ref:
            self._ref = True
            if self._active:
                self._loop._refs += 1
        return self

    def unref(self):
        if self._ref:
            self._ref = False
            if self._active:
                self._loop._refs -= 1
        return self

    def hasRef(self):
        return self._ref

    def _deactivate(self):
        if self._active:
            self._active = False
            if self._ref:
                self._loop._refs -= 1

    def _activate(self):
        if not self._active:
            self._active = True
            if self._ref:
                self._loop._refs += 1


def _check_callback(fn):
    if not callable(fn):
        raise TypeError_(
            'The "callback" argument must be of type function. Received %r' % (fn,),
            code='ERR_INVALID_ARG_TYPE')


class Timeout(Handle):
    """A ``setTimeout`` / ``setInterval`` handle.

    ``_seq`` names the timer's one live heap entry; older entries (left by
    ``refresh``) and cleared timers are skipped when they reach the top.
    """

    __slots__ = ('_due', '_delay', '_repeat', '_seq', '_cleared')

    def refresh(self):
        """Restart the timer from now with its original delay (Node's ``refresh``).

        As in Node, this also re-arms a timeout that has already fired; a
        cleared timer stays cleared.
        """
        if not self._cleared:
            self._activate()
            self._loop._push_timer(self, self._delay)
        return self

    def close(self):
        self._loop.clearTimeout(self)
        return self


class Immediate(Handle):
    """A ``setImmediate`` handle."""

    __slots__ = ()


class ExternalWork:
    """One piece of work running outside the loop thread.

    Created on the loop thread by :meth:`Loop.begin_external`; while it is
    pending it keeps the loop alive.  Any thread may call :meth:`post` once to
    run ``fn(*args)`` back on the loop thread.
    """

    __slots__ = ('_loop', '_posted', '_generation')

    def __init__(self, loop):
        self._loop = loop
        self._posted = False
        self._generation = loop._generation

    def post(self, fn, *args):
        """Thread-safe: schedule ``fn(*args)`` on the loop thread (once).

        Work begun before a failed ``run`` reset the loop is dropped: the run
        it belonged to is over, and it must not disturb the next one.
        """
        loop = self._loop
        with loop._cond:
            if self._posted:
                raise LoopError('ExternalWork.post() called twice for the same work')
            self._posted = True
            if self._generation != loop._generation:
                return
            loop._external.append((fn, args, True))
            loop._cond.notify()


def _clamp_delay(ms):
    try:
        ms = float(ms) if ms is not None else 1.0
    except (TypeError, ValueError):
        ms = 1.0
    if not (1 <= ms <= TIMEOUT_MAX):  # also catches NaN
        return 1
    return int(ms)


class Loop:
    """A Node-like event loop bound to the thread that created it."""

    def __init__(self, clock=None):
        self.clock = clock or MonotonicClock()
        self.thread_id = threading.get_ident()
        self._cond = threading.Condition(threading.Lock())
        self._generation = 0
        self._reset()

    def _reset(self):
        """Forget all work (after an uncaught error), as a new Node process would."""
        if hasattr(self, '_timers'):
            self._kill_fibers()
            self._kill_handles()
        if getattr(self, '_drain_end', None):
            self._end_drain()
        with self._cond:
            self._generation += 1
            self._external = deque()   # (fn, args, counts_as_ref) posted by any thread
        self._ticks = deque()
        self._microtasks = deque()
        self._immediates = deque()
        self._timers = []          # heap of (due, seq, Timeout)
        self._timer_seq = 0
        self._cancelled_timers = 0
        self._refs = 0             # ref'd timers + ref'd immediates + pending external work
        self._external_pending = 0
        self._rejections = []      # promises rejected with no handler yet
        self._draining = 0         # drain() calls under way (they nest)
        self._drain_end = []       # at_drain_end's callbacks
        self.running = False
        self.hub = None            # the greenlet that drives the loop while it runs
        # Fibers waiting in await_: held strongly so the garbage collector never
        # throws GreenletExit into one mid-wait.
        self.suspended_fibers = set()

    # -- scheduling -------------------------------------------------------

    def nextTick(self, fn, *args):
        """Queue ``fn(*args)`` to run before any promise reaction or I/O.

        # LoopBack/Node: process.nextTick(fn, ...args)
        """
        if not callable(fn):
            _check_callback(fn)
        self._ticks.append((fn, args))

    def queue_microtask(self, fn, *args):
        """Queue a promise reaction; runs after the nextTick queue drains."""
        self._microtasks.append((fn, args))

    def setImmediate(self, fn, *args):
        handle = Immediate(self, fn, args)
        self._refs += 1
        self._immediates.append(handle)
        return handle

    def clearImmediate(self, handle):
        if isinstance(handle, Immediate):
            handle._deactivate()

    def setTimeout(self, fn, ms=1, *args):
        return self._add_timer(fn, ms, args, repeat=False)

    def setInterval(self, fn, ms=1, *args):
        return self._add_timer(fn, ms, args, repeat=True)

    def clearTimeout(self, handle):
        if isinstance(handle, Timeout) and not handle._cleared:
            handle._cleared = True
            if handle._active:
                handle._deactivate()
                self._cancelled_timers += 1
                self._maybe_compact_timers()

    clearInterval = clearTimeout

    def _add_timer(self, fn, ms, args, repeat):
        timer = Timeout(self, fn, args)
        delay = _clamp_delay(ms)
        timer._delay = delay
        timer._repeat = delay if repeat else None
        timer._cleared = False
        timer._seq = 0
        self._refs += 1
        self._push_timer(timer, delay)
        return timer

    def _push_timer(self, timer, delay):
        # A timer already in the heap (refresh) leaves its old entry stale.
        if timer._seq:
            self._cancelled_timers += 1
        timer._due = self.clock.now() + delay
        self._timer_seq += 1
        timer._seq = self._timer_seq
        heapq.heappush(self._timers, (timer._due, self._timer_seq, timer))
        self._maybe_compact_timers()

    def _maybe_compact_timers(self):
        # Lazy deletion keeps clearTimeout O(1); rebuild once stale entries dominate.
        if self._cancelled_timers > 1000 and self._cancelled_timers * 2 > len(self._timers):
            self._timers = [e for e in self._timers if _live(e)]
            heapq.heapify(self._timers)
            self._cancelled_timers = 0

    # -- cross-thread work --------------------------------------------------

    def begin_external(self):
        """Register work that another thread will finish; keeps the loop alive.

        Call on the loop thread; hand the returned :class:`ExternalWork` to the
        worker, which calls ``work.post(fn, *args)`` when done.
        """
        self._refs += 1
        self._external_pending += 1
        return ExternalWork(self)

    def call_soon_threadsafe(self, fn, *args):
        """Thread-safe: run ``fn(*args)`` on the loop thread soon.

        Unlike :meth:`begin_external` this does not keep the loop alive: if the
        loop has already finished, the call runs when it next runs.
        """
        with self._cond:
            self._external.append((fn, args, False))
            self._cond.notify()

    # -- running ------------------------------------------------------------

    def drain(self):
        """Run nextTicks, then microtasks, until both queues are empty.

        Node's ``processTicksAndRejections``: ticks queued by microtasks run
        after the microtask queue empties, then microtasks again, and so on.
        """
        ticks = self._ticks
        micro = self._microtasks
        self._draining += 1
        try:
            while True:
                while ticks:
                    fn, args = ticks.popleft()
                    fn(*args)
                while micro:
                    fn, args = micro.popleft()
                    fn(*args)
                if not ticks:
                    break
        finally:
            self._draining -= 1
            if self._drain_end and not self._draining:
                self._end_drain()
        if self._rejections:
            self._report_rejections()

    # -- the end of a drain ---------------------------------------------------

    @property
    def draining(self):
        """Whether a drain (a cascade of ticks and microtasks) is under way."""
        return self._draining > 0

    def at_drain_end(self, fn):
        """Call ``fn()`` once the drain under way ends (the outermost one;
        outside a drain, the next one), or when the loop resets after an
        uncaught error: for work that must not outlive the cascade of ticks
        that started it nor span a wait for I/O (speedups.gc_pause's hold)."""
        self._drain_end.append(fn)

    def _end_drain(self):
        pending, self._drain_end = self._drain_end, []
        for fn in pending:
            fn()

    def hold_gc(self):
        """:func:`loopback_compat.speedups.gc_pause.hold_gc` on this loop."""
        return gc_pause.hold_gc(self)

    def release_gc(self, hold):
        """:func:`loopback_compat.speedups.gc_pause.release_gc` on this loop."""
        gc_pause.release_gc(self, hold)

    def _report_rejections(self):
        pending, self._rejections = self._rejections, []
        for promise in pending:
            if not promise._handled:
                raise unhandled_rejection_error(promise._value)

    def _alive(self):
        return self._refs > 0

    def run_until_idle(self):
        """Drive the loop until nothing referenced is left.

        The caller must have drained after its own synchronous work.
        """
        self.running = True
        self.hub = getcurrent()
        try:
            while self._refs > 0 or self._ticks or self._microtasks:
                self.drain()
                self._run_timers()
                self._poll()
                self._run_immediates()
        finally:
            self.running = False
        # What is left is unref'd: it dies with the run, as with Node's process.
        self._kill_handles()

    def _kill_fibers(self):
        """Unwind the fibers stuck in ``await_`` now (their ``finally`` blocks
        run here, and what they schedule is dropped with the rest), rather than
        whenever the garbage collector finds them, in the middle of a later run.
        """
        hub = getcurrent()
        for fiber in list(self.suspended_fibers):
            if fiber.dead:
                continue
            try:
                fiber.parent = hub          # the unwound fiber ends here
                fiber.throw(GreenletExit)
            except Exception:  # noqa: BLE001 - the run already failed with its own error
                pass
        self.suspended_fibers = set()

    def _kill_handles(self):
        """Deactivate every queued timer and immediate, so no ref() revives one."""
        for entry in self._timers:
            entry[2]._cleared = True
            entry[2]._deactivate()
        for handle in self._immediates:
            handle._deactivate()
        self._timers = []
        self._cancelled_timers = 0
        self._immediates.clear()

    def _run_timers(self):
        timers = self._timers
        if not timers:
            return
        now = self.clock.now()
        while timers and timers[0][0] <= now:
            entry = heapq.heappop(timers)
            timer = entry[2]
            if not _live(entry):
                self._cancelled_timers = max(0, self._cancelled_timers - 1)
                continue
            timer._seq = 0
            if timer._repeat is None:
                timer._deactivate()
            else:
                self._push_timer(timer, timer._repeat)
            timer._fn(*timer._args)
            if self._ticks or self._microtasks or self._rejections:
                self.drain()

    def _poll(self):
        timeout = self._poll_timeout()
        external = self._external
        with self._cond:
            if not external and timeout != 0:
                self._wait(timeout)
            if not external:
                return
            batch = list(external)
            external.clear()
        for fn, args, counted in batch:
            if counted:
                self._external_pending -= 1
                self._refs -= 1
            fn(*args)
            if self._ticks or self._microtasks or self._rejections:
                self.drain()

    def _poll_timeout(self):
        """Milliseconds the poll phase may sleep: 0, a timer's distance, or None (forever)."""
        if self._immediates or self._ticks or self._microtasks:
            return 0
        if self._external_pending == 0 and self._refs == 0:
            return 0
        next_due = self._next_timer_due()
        if next_due is None:
            return None if self._external_pending else 0
        return max(0.0, next_due - self.clock.now())

    def _next_timer_due(self):
        timers = self._timers
        while timers and not _live(timers[0]):
            heapq.heappop(timers)
            self._cancelled_timers = max(0, self._cancelled_timers - 1)
        return timers[0][0] if timers else None

    def _wait(self, timeout_ms):
        """Sleep on the condition (lock held) until thread work or a timer is due."""
        clock = self.clock
        if clock.virtual and timeout_ms is not None and self._external_pending == 0:
            clock.advance(timeout_ms)
            return
        self._cond.wait(None if timeout_ms is None else timeout_ms / 1000.0)
        if clock.virtual and timeout_ms is not None and not self._external:
            clock.advance(timeout_ms)

    def _run_immediates(self):
        immediates = self._immediates
        ticks, micro = self._ticks, self._microtasks
        # Immediates queued while this phase runs wait for the next turn.
        for _ in range(len(immediates)):
            handle = immediates.popleft()
            if not handle._active:
                continue
            handle._active = False          # inline _deactivate(): the hot path
            if handle._ref:
                self._refs -= 1
            handle._fn(*handle._args)
            if ticks or micro or self._rejections:
                self.drain()

    def stats(self):
        """Counts of what the loop holds, for leak checks in tests."""
        return {
            'ticks': len(self._ticks),
            'microtasks': len(self._microtasks),
            'immediates': sum(1 for h in self._immediates if h._active),
            'timers': sum(1 for e in self._timers if _live(e)),
            'external_pending': self._external_pending,
            'refs': self._refs,
        }


def _live(entry):
    """True if a timer-heap entry is its timer's current, uncancelled one."""
    timer = entry[2]
    return timer._active and timer._seq == entry[1]


def unhandled_rejection_error(reason):
    """The exception the loop raises for an unhandled rejection with ``reason``."""
    if isinstance(reason, BaseException):
        return reason
    return UnhandledPromiseRejection(reason)


class Fiber(greenlet):
    """A greenlet the loop can suspend and resume.

    ``resumer`` is the greenlet that last switched into this fiber: ``await_``
    switches back to it, so an ``async_`` function called from another fiber
    returns control to its caller at its first ``await_``, as in JavaScript.
    """

    resumer = None

    def enter(self, *args):
        """Switch into this fiber from the current greenlet, passing ``args``."""
        self.resumer = getcurrent()
        return self.switch(*args)

    def resume_ok(self, value):
        """Resume a fiber suspended in ``await_`` with a value (a promise reaction)."""
        self.resumer = getcurrent()
        return self.switch((True, value))

    def resume_err(self, reason):
        """Resume a fiber suspended in ``await_`` by raising ``reason`` there."""
        self.resumer = getcurrent()
        return self.switch((False, reason))


# -- the loop of the current thread --------------------------------------------

_local = threading.local()


def get_loop():
    """The loop of the calling thread, created on first use."""
    try:
        return _local.loop
    except AttributeError:
        loop = _local.loop = Loop()
        return loop


def set_clock(clock):
    """Give the current thread's loop another clock (e.g. :class:`VirtualClock`).

    Only allowed while the loop holds no timers, so due times stay consistent.
    """
    loop = get_loop()
    if loop.running or loop._timers:
        raise LoopError('set_clock() needs an idle loop with no timers')
    loop.clock = clock or MonotonicClock()
    return loop


class _MainNotFinished:
    pass


def run(main, *args):
    """Run ``main(*args)`` in a fiber, drive the loop until idle, return main's value.

    # Node: the main module, then the event loop until nothing is left.

    An exception escaping ``main`` or any callback, or an unhandled promise
    rejection, stops the loop and is raised here with its original traceback;
    the loop is then reset, so a later ``run`` starts clean.  ``main`` may
    ``await_`` promises.  If the loop runs dry while ``main`` is still waiting
    on a promise nothing will settle, ``run`` raises :class:`LoopError` (Node
    would exit silently; a test would then pass without running its asserts).
    """
    loop = get_loop()
    if loop.running:
        raise LoopError(
            'lb.run() was called from inside the running event loop; '
            'call it once at top level, and inside the loop use callbacks, '
            'promises or await_ instead')
    result = [_MainNotFinished]

    def body():
        result[0] = main(*args)

    fiber = Fiber(body)
    # A new greenlet starts with an empty context; main sees the caller's.
    fiber.gr_context = contextvars.copy_context()
    loop.running = True
    try:
        loop.hub = getcurrent()
        fiber.enter()
        loop.drain()
        loop.run_until_idle()
    except BaseException:
        loop._reset()
        raise
    finally:
        loop.running = False
    if result[0] is _MainNotFinished:
        loop._reset()
        raise LoopError(
            'lb.run(): main did not finish: it is waiting (await_) on a promise '
            'that nothing left in the event loop will settle')
    return result[0]


# -- draining at interpreter exit -------------------------------------------------

_main_crashed = [False]
_previous_excepthook = sys.excepthook


def _excepthook(exc_type, exc, tb):
    # Node stops at an error in the main module: remember not to drain after it.
    _main_crashed[0] = True
    _previous_excepthook(exc_type, exc, tb)


def _drain_at_exit():
    """Run work a plain script left scheduled, like Node after the main module."""
    loop = getattr(_local, 'loop', None)
    if loop is None or loop.running or _main_crashed[0]:
        return
    if not (loop._refs or loop._ticks or loop._microtasks or loop._rejections):
        return
    try:
        loop.hub = getcurrent()
        loop.drain()
        loop.run_until_idle()
    except BaseException:
        traceback.print_exc()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(1)


sys.excepthook = _excepthook
atexit.register(_drain_at_exit)


# -- module-level functions on the current thread's loop ------------------------

def nextTick(fn, *args):
    """# Node: process.nextTick(fn, ...args)"""
    if not callable(fn):
        _check_callback(fn)
    get_loop()._ticks.append((fn, args))


def queueMicrotask(fn):
    """# Node: queueMicrotask(fn)"""
    _check_callback(fn)
    get_loop()._microtasks.append((fn, ()))


def setImmediate(fn, *args):
    """# Node: setImmediate(fn, ...args) -> Immediate"""
    return get_loop().setImmediate(fn, *args)


def clearImmediate(handle):
    get_loop().clearImmediate(handle)


def setTimeout(fn, ms=1, *args):
    """# Node: setTimeout(fn, ms, ...args) -> Timeout (delays < 1 ms become 1 ms)"""
    return get_loop().setTimeout(fn, ms, *args)


def clearTimeout(handle):
    get_loop().clearTimeout(handle)


def setInterval(fn, ms=1, *args):
    """# Node: setInterval(fn, ms, ...args) -> Timeout"""
    return get_loop().setInterval(fn, ms, *args)


def clearInterval(handle):
    get_loop().clearTimeout(handle)
