"""pytest plugin for suites of ported LoopBack code.

    # LoopBack: mocha runs each it() with async functions and done callbacks

Enable it in your top-level ``conftest.py`` (or with ``-p``)::

    pytest_plugins = ['loopback_compat.testing.pytest_plugin']

It adds:

- the ``lb_fiber`` marker: a test marked ``@pytest.mark.lb_fiber`` (or a
  module with ``pytestmark = pytest.mark.lb_fiber``) runs its body in a fiber
  under ``lb.run``, exactly as :func:`loopback_compat.testing.fiber_test`
  does: it may ``lb.await_`` promises, and the loop runs until idle before the
  test ends.  A marked test must not call ``lb.run`` itself (the loop is
  already running);
- the ``lb_clock`` fixture: a :class:`~loopback_compat.VirtualClock` on the
  loop for the test (see :func:`loopback_compat.testing.virtual_clock`).
"""

import functools

import pytest

from ..loop import run
from . import virtual_clock


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'lb_fiber: run the test body in a fiber under lb.run '
        '(loopback_compat.testing.pytest_plugin)')


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if pyfuncitem.get_closest_marker('lb_fiber') is None:
        return None
    funcargs = pyfuncitem.funcargs
    testargs = {name: funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    run(functools.partial(pyfuncitem.obj, **testargs))
    return True


@pytest.fixture
def lb_clock():
    """A VirtualClock on this thread's loop for one test: timers fire without sleeping."""
    with virtual_clock() as clock:
        yield clock
