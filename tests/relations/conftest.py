"""Helpers for relation tests (the ``ds`` fixture comes from tests/conftest.py)."""

import pytest

import loopback_compat as lb
from promise_support import rejection as promise_rejection


class Outcome:
    """What an error-first callback API did: its return value and the callback."""

    def __init__(self):
        self.returned = None
        self.calls = []          # (err, results, came_after_return)

    @property
    def err(self):
        return self.calls[0][0]

    @property
    def result(self):
        results = self.calls[0][1]
        return results[0] if results else None

    @property
    def results(self):
        return self.calls[0][1]

    @property
    def sync(self):
        """True when the callback ran before the call returned."""
        return not self.calls[0][2]


def _errback(fn, *args):
    """Call ``fn(*args, cb)`` inside a fiber and wait for ``cb``; an Outcome."""
    outcome = Outcome()
    state = {'returned': False}
    settled = {}
    waiter = lb.Promise(lambda resolve, reject: settled.update(resolve=resolve))

    def cb(err=None, *results):
        outcome.calls.append((err, results, state['returned']))
        settled['resolve'](None)

    outcome.returned = fn(*args, cb)
    state['returned'] = True
    lb.await_(waiter)
    # Let a wrongly repeated callback show up before the caller checks.
    lb.await_(lb.Promise(lambda resolve, reject: lb.setImmediate(resolve, None)))
    assert len(outcome.calls) == 1, 'callback called %d times' % len(outcome.calls)
    return outcome


@pytest.fixture
def errback():
    """``errback(fn, *args)`` -> Outcome; use inside ``lb.run``."""
    return _errback


@pytest.fixture
def rejection():
    """``rejection(promise)`` -> the error; use inside ``lb.run``."""
    return promise_rejection
