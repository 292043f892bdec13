"""loopback_compat.testing: the helpers porters' test suites (and ours) use."""

import pytest

import loopback_compat as lb
from loopback_compat.errors import LoopError, RejectedValue
from loopback_compat.loop import MonotonicClock, get_loop
from loopback_compat.testing import (
    Outcome, callback_outcome, fiber_test, rejection, sleep, virtual_clock)


def later(value, cb):
    """An error-first API done right: answers on a later tick."""
    lb.setImmediate(cb, None, value, 'extra')
    return 'returned'


def fails_later(cb):
    lb.setImmediate(cb, lb.LoopBackError('nope', statusCode=404))


def zalgo(cb):
    """An API that calls back before it returns (loopback_compat never does)."""
    cb(None, 1)


def twice(cb):
    lb.setImmediate(cb, None, 1)
    lb.setImmediate(cb, None, 2)


# -- fiber_test -------------------------------------------------------------------

def test_fiber_test_runs_the_body_in_a_fiber_with_its_arguments():
    seen = []

    @fiber_test
    def body(a, b=None):
        seen.append((lb.in_fiber(), a, b, lb.await_(lb.Promise.resolve(3))))
        return 'value'
    assert not lb.in_fiber()
    assert body(1, b=2) == 'value'
    assert seen == [(True, 1, 2, 3)]


def test_fiber_test_keeps_the_signature_pytest_reads_fixtures_from():
    def test_x(ds, tmp_path):
        pass
    wrapped = fiber_test(test_x)
    assert wrapped.__name__ == 'test_x' and wrapped.__wrapped__ is test_x
    import inspect
    assert list(inspect.signature(wrapped).parameters) == ['ds', 'tmp_path']


def test_fiber_test_drains_the_loop_so_a_later_error_fails_the_test():
    @fiber_test
    def body():
        lb.setTimeout(lambda: 1 / 0, 1)
    with pytest.raises(ZeroDivisionError):
        body()


def test_fiber_test_fails_when_the_body_waits_forever():
    @fiber_test
    def body():
        lb.await_(lb.Promise())
    with pytest.raises(LoopError, match='main did not finish'):
        body()


# -- callback_outcome -------------------------------------------------------------

@fiber_test
def test_callback_outcome_gives_what_the_callback_received():
    outcome = callback_outcome(later, 'v')
    assert isinstance(outcome, Outcome)
    assert (outcome.err, outcome.results, outcome.result) == (None, ('v', 'extra'), 'v')
    assert outcome.sync is False and outcome.returned == 'returned'
    assert outcome.calls == [(None, ('v', 'extra'), False)]
    err, results, sync = outcome
    assert (err, results, sync) == (None, ('v', 'extra'), False)


@fiber_test
def test_callback_outcome_of_an_error():
    outcome = callback_outcome(fails_later)
    assert outcome.err.statusCode == 404 and outcome.results == () and outcome.result is None
    assert 'nope' in repr(outcome)


@fiber_test
def test_callback_outcome_tells_a_synchronous_callback():
    assert callback_outcome(zalgo).sync is True


@fiber_test
def test_callback_outcome_fails_on_a_second_call():
    with pytest.raises(AssertionError, match='callback called 2 times'):
        callback_outcome(twice)


def test_callback_outcome_outside_a_fiber_runs_the_loop():
    outcome = callback_outcome(later, 'v')
    assert outcome.result == 'v' and not outcome.sync


def test_callback_outcome_of_a_real_model_method():
    Note = lb.DataSource('memory').createModel('Note', {'text': 'string'})
    err, results, sync = callback_outcome(Note.create, {'text': 'a'})
    assert err is None and not sync and results[0].text == 'a'


# -- rejection --------------------------------------------------------------------

@fiber_test
def test_rejection_gives_the_error():
    err = rejection(lb.Promise.reject(lb.LoopBackError('x', statusCode=422)))
    assert err.statusCode == 422


@fiber_test
def test_rejection_fails_when_the_promise_resolves():
    with pytest.raises(AssertionError, match='promise resolved with 5 instead of rejecting'):
        rejection(lb.Promise.resolve(5))


@fiber_test
def test_rejection_with_a_non_exception_reason():
    err = rejection(lb.Promise.reject('plain'))
    assert isinstance(err, RejectedValue) and err.value == 'plain'


def test_rejection_outside_a_fiber_runs_the_loop():
    assert str(rejection(lb.Promise.reject(ValueError('v')))) == 'v'


# -- sleep and the virtual clock --------------------------------------------------

def test_virtual_clock_fires_timers_without_sleeping_and_restores_the_clock():
    before = get_loop().clock
    with virtual_clock() as clock:
        assert get_loop().clock is clock

        def main():
            lb.await_(sleep(60000))
            return clock.now()
        assert lb.run(main) == 60000
        clock.advance(5)
        assert clock.now() == 60005
    assert get_loop().clock is before


def test_virtual_clock_starts_where_asked():
    with virtual_clock(start=1000) as clock:
        assert clock.now() == 1000


def test_virtual_clock_decorates_a_function():
    @virtual_clock()
    def body():
        return get_loop().clock.virtual
    assert body() is True
    assert not get_loop().clock.virtual


def test_virtual_clock_needs_a_loop_without_timers():
    def main():
        lb.setTimeout(lambda: None, 10)
        with pytest.raises(LoopError, match='needs an idle loop'):
            with virtual_clock():
                pass
    lb.run(main)


def test_sleep_waits_loop_time():
    def main():
        start = get_loop().clock.now()
        lb.await_(sleep(20))
        return get_loop().clock.now() - start
    assert isinstance(get_loop().clock, MonotonicClock)
    assert lb.run(main) >= 19


# -- the pytest plugin (tests/conftest.py enables it) -------------------------------

@pytest.mark.lb_fiber
def test_a_marked_test_runs_in_a_fiber(tmp_path):
    assert lb.in_fiber() and tmp_path.exists()
    assert lb.await_(lb.Promise.resolve(1)) == 1


@pytest.mark.lb_fiber
def test_a_marked_test_may_not_call_run_itself():
    with pytest.raises(LoopError, match='inside the running event loop'):
        lb.run(lambda: None)


@pytest.mark.lb_fiber
@pytest.mark.parametrize('n', [1, 2])
def test_a_marked_test_takes_parameters(n):
    assert lb.await_(lb.Promise.resolve(n)) == n


def test_lb_clock_is_a_virtual_clock_for_one_test(lb_clock):
    assert get_loop().clock is lb_clock

    def main():
        lb.await_(sleep(1000))
    lb.run(main)
    assert lb_clock.now() == 1000


def test_the_plugin_registers_its_marker(pytestconfig):
    assert any(line.startswith('lb_fiber:') for line in pytestconfig.getini('markers'))


def test_testing_is_reachable_from_the_package_root():
    assert lb.testing.fiber_test is fiber_test
    assert lb.testing.callback_outcome is callback_outcome
