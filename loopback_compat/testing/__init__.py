"""Helpers for test suites of LoopBack code ported to loopback_compat.

    # LoopBack: mocha's it('...', function(done) {...}) / async () => {...},
    #           should.js / chai for errors, sinon's fake timers

A test of a port usually wants four things, each one a function here:

- :func:`fiber_test` -- run the test body in a fiber on the event loop, so
  it can ``lb.await_`` promises (``lb.run(main)`` around a nested ``main``,
  without the nesting);
- :func:`callback_outcome` -- call an error-first API with a callback and
  get back what the callback received, and whether it came synchronously;
- :func:`rejection` -- the error a promise rejects with (a test failure when
  it resolves);
- :func:`virtual_clock` -- timers fire without the test sleeping.

:func:`sleep` is a promise of a few milliseconds of loop time.

With pytest, ``loopback_compat.testing.pytest_plugin`` adds the
``@pytest.mark.lb_fiber`` marker (a marked test runs as with
:func:`fiber_test`) and the ``lb_clock`` fixture (a :func:`virtual_clock`).
Enable it in your top-level ``conftest.py``::

    pytest_plugins = ['loopback_compat.testing.pytest_plugin']

``callback_outcome``, ``rejection`` and ``sleep`` suspend the calling fiber;
``callback_outcome`` and ``rejection`` called outside a fiber run the event
loop themselves (``lb.run``) until they have their answer.
"""

import contextlib
import functools

from ..fibers import await_, in_fiber
from ..loop import VirtualClock, get_loop, run, set_clock, setImmediate, setTimeout
from ..promise import Promise

__all__ = ['Outcome', 'callback_outcome', 'fiber_test', 'rejection', 'sleep', 'virtual_clock']


def fiber_test(fn):
    """Decorate a test so that its body runs in a fiber under ``lb.run``.

    # LoopBack: it('creates', async () => { const s = await Supplier.create(...); })

    ::

        @fiber_test
        def test_create(ds):
            Supplier = ds.createModel('Supplier', {'name': 'string'})
            assert lb.await_(Supplier.create({'name': 'a'})).id == 1

    The body may ``lb.await_`` promises; when it returns, the loop runs until
    no work is left, as ``lb.run`` does, so a callback that fails later still
    fails the test.  An error escaping the body or any callback, or an
    unhandled promise rejection, is raised from the test.  Arguments (pytest
    fixtures included) are passed through; the body's return value is
    returned.  ``@pytest.mark.lb_fiber`` does the same with the pytest plugin.
    """
    @functools.wraps(fn)
    def test(*args, **kwargs):
        return run(functools.partial(fn, *args, **kwargs))
    return test


class Outcome:
    """What an error-first callback API did (see :func:`callback_outcome`).

    - ``err``: the callback's first argument (``None`` on success);
    - ``results``: a tuple of the callback's other arguments, ``result`` the
      first of them (``None`` when there is none);
    - ``sync``: True when the callback ran before the call returned (Zalgo:
      loopback_compat never does that);
    - ``returned``: what the call itself returned;
    - ``calls``: every ``(err, results, sync)`` the callback received.

    It unpacks as ``err, results, sync = callback_outcome(...)``.
    """

    __slots__ = ('returned', 'calls')

    def __init__(self):
        self.returned = None
        self.calls = []

    @property
    def err(self):
        return self.calls[0][0]

    @property
    def results(self):
        return self.calls[0][1]

    @property
    def result(self):
        results = self.calls[0][1]
        return results[0] if results else None

    @property
    def sync(self):
        return self.calls[0][2]

    def __iter__(self):
        return iter(self.calls[0])

    def __repr__(self):
        return 'Outcome(err=%r, results=%r, sync=%r)' % tuple(self.calls[0])


def callback_outcome(fn, *args):
    """Call ``fn(*args, cb)``, wait for ``cb``, return an :class:`Outcome`.

    # LoopBack: Supplier.create(data, function(err, supplier) { ...; done(); });

    ::

        err, results, sync = callback_outcome(Supplier.create, {'name': 'a'})
        assert err is None and not sync and results[0].name == 'a'

        outcome = callback_outcome(supplier.account.create, {})
        assert outcome.err.statusCode == 422

    After the first call it lets the loop turn once (one ``setImmediate``), so
    a callback wrongly called twice shows up, and then asserts that it was
    called exactly once.  Inside a fiber it suspends that fiber; outside one
    it runs the event loop (``lb.run``) until it has the answer.  A callback
    that is never called fails as ``lb.run`` does when main waits forever.
    """
    if not in_fiber():
        return run(callback_outcome, fn, *args)
    outcome = Outcome()
    returned = [False]
    settle = []
    called = Promise(lambda resolve, reject: settle.append(resolve))

    def cb(err=None, *results):
        outcome.calls.append((err, results, not returned[0]))
        settle[0](None)

    outcome.returned = fn(*args, cb)
    returned[0] = True
    await_(called)
    await_(Promise(lambda resolve, reject: setImmediate(resolve, None)))
    assert len(outcome.calls) == 1, 'callback called %d times: %r' % (
        len(outcome.calls), outcome.calls)
    return outcome


def rejection(promise):
    """The error ``promise`` rejects with; an AssertionError when it resolves.

    # LoopBack: await Supplier.create(bad).should.be.rejectedWith(/is not valid/)
    #           (should.js; chai-as-promised: .to.be.rejectedWith)

    ::

        err = rejection(Supplier.create({'name': ''}))
        assert err.statusCode == 422

    Inside a fiber it suspends that fiber; outside one it runs the loop.
    A promise rejected with a non-exception value gives
    :class:`~loopback_compat.errors.RejectedValue` (its ``value`` is the reason).
    """
    if not in_fiber():
        return run(rejection, promise)
    try:
        value = await_(promise)
    except Exception as err:  # noqa: BLE001 - the rejection reason is the result
        return err
    raise AssertionError('promise resolved with %r instead of rejecting' % (value,))


def sleep(ms):
    """A promise that resolves after ``ms`` milliseconds of loop time.

    # JS: await new Promise(resolve => setTimeout(resolve, ms))

    With a :func:`virtual_clock` no real time passes.
    """
    return Promise(lambda resolve, reject: setTimeout(resolve, ms))


@contextlib.contextmanager
def virtual_clock(start=0.0):
    """Give this thread's loop a :class:`~loopback_compat.VirtualClock` for a while.

    # LoopBack: const clock = sinon.useFakeTimers(); ...; clock.restore();

    ::

        with virtual_clock() as clock:
            lb.run(main)            # a setTimeout(fn, 60000) fires at once
            assert clock.now() == 60000

    When the loop has nothing to do but wait for a timer, the clock jumps to
    that timer's due time, so tests never sleep; ``clock.advance(ms)`` moves
    it by hand (sinon's ``clock.tick``).  The loop must be idle with no timers
    on entry and on exit (``lb.set_clock``'s rule); the previous clock comes
    back on exit.  It also decorates a function (``@virtual_clock()``).
    """
    loop = get_loop()
    previous = loop.clock
    clock = VirtualClock(start)
    set_clock(clock)
    try:
        yield clock
    finally:
        set_clock(previous)
