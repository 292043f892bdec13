"""Fibers (loopback_compat/fibers.py): async_ / await_ as JavaScript's async / await.

Where a test states "Node 20 prints ...", the equivalent JavaScript was run
with Node 20 on this machine (scratch script /work/scratch/runtime/o2.js) and
the expected order is Node's output.
"""

import contextvars
import gc
import threading
import traceback

import pytest
from greenlet import getcurrent

import loopback_compat as lb
from loopback_compat import fibers
from loopback_compat.errors import NotInFiberError
from loopback_compat.loop import get_loop
from loopback_compat.promise import Promise, RejectedValue

NOT_IN_FIBER = (
    'await_() was called outside a fiber, where nothing can be suspended. Call it inside '
    'a function decorated with @lb.async_, or inside the main function given to '
    'lb.run(main); elsewhere use a callback or promise.then().')


@pytest.fixture
def clock(lb_clock):
    return lb_clock


class Boom(Exception):
    pass


def later(value, ms=1, fail=False):
    return lb.Promise(lambda res, rej: lb.setTimeout(rej if fail else res, ms, value))


@pytest.mark.lb_fiber
def test_an_async_function_returns_a_promise_of_its_result():
    @lb.async_
    def add(a, b=0):
        return lb.await_(later(a)) + b

    promise = add(1, b=2)
    assert isinstance(promise, Promise)
    assert lb.await_(promise) == 3


def test_the_body_runs_synchronously_up_to_its_first_await_then_control_returns():
    """Node 20 prints outer-start inner-start outer-got-promise inner-end outer-end 5."""
    log = []

    @lb.async_
    def inner():
        log.append('inner-start')
        lb.await_(None)
        log.append('inner-end')
        return 5

    @lb.async_
    def outer():
        log.append('outer-start')
        promise = inner()
        log.append('outer-got-promise')
        log.append('outer-end %s' % lb.await_(promise))
    lb.run(lambda: lb.await_(outer()))
    assert log == ['outer-start', 'inner-start', 'outer-got-promise', 'inner-end', 'outer-end 5']


def test_a_body_without_await_finishes_before_the_call_returns():
    log = []

    @lb.async_
    def quick():
        log.append('body')
        return 'done'

    def main():
        promise = quick()
        log.append('returned')
        return lb.await_(promise)
    assert lb.run(main) == 'done'
    assert log == ['body', 'returned']


def test_awaiting_a_settled_promise_resumes_asynchronously():
    """After the ticks and earlier microtasks; Node 20 prints before tick micro after 7."""
    log = []

    def main():
        lb.nextTick(log.append, 'tick')
        lb.queueMicrotask(lambda: log.append('micro'))
        log.append('before')
        log.append('after %s' % lb.await_(7))
    lb.run(main)
    assert log == ['before', 'tick', 'micro', 'after 7']


@pytest.mark.lb_fiber
def test_an_error_rejects_the_promise_and_await_raises_it_at_the_call_site():
    error = Boom('inside')

    @lb.async_
    def failing():
        lb.await_(later(1))
        raise error

    promise = failing()
    with pytest.raises(Boom) as info:
        lb.await_(promise)
    assert info.value is error
    assert promise.state == 'rejected' and promise.value is error
    assert traceback.extract_tb(info.value.__traceback__)[-1].name == 'failing'


@pytest.mark.lb_fiber
def test_await_raises_a_non_exception_reason_as_rejected_value():
    with pytest.raises(RejectedValue) as info:
        lb.await_(lb.Promise.reject({'code': 'E'}))
    assert info.value.value == {'code': 'E'}


def test_an_unawaited_failing_async_function_is_an_unhandled_rejection():
    with pytest.raises(Boom):
        lb.run(lambda: lb.async_(lambda: (_ for _ in ()).throw(Boom('lost')))())


def test_await_outside_a_fiber_raises_not_in_fiber_error():
    assert not lb.in_fiber()
    with pytest.raises(NotInFiberError) as info:
        lb.await_(lb.Promise.resolve(1))
    assert str(info.value) == NOT_IN_FIBER


def test_await_in_a_plain_loop_callback_is_an_uncaught_not_in_fiber_error():
    with pytest.raises(NotInFiberError, match='outside a fiber'):
        lb.run(lambda: lb.setImmediate(lb.await_, 1))


def test_in_fiber_is_true_in_main_and_async_functions():
    seen = []
    lb.run(lambda: (seen.append(lb.in_fiber()), lb.async_(lambda: seen.append(lb.in_fiber()))()))
    assert seen == [True, True]


request_id = contextvars.ContextVar('request_id', default=None)


def test_context_variables_are_visible_in_main_and_in_async_functions():
    seen = []

    @lb.async_
    def handler():
        lb.await_(later(None))
        seen.append(('handler', request_id.get()))
        request_id.set('changed inside')

    def main():
        seen.append(('main', request_id.get()))
        request_id.set('req-2')
        lb.await_(handler())
        seen.append(('main after', request_id.get()))
    token = request_id.set('req-1')
    try:
        lb.run(main)
    finally:
        request_id.reset(token)
    assert seen == [('main', 'req-1'), ('handler', 'req-2'), ('main after', 'req-2')]


def test_ten_thousand_fibers_at_once(clock):
    @lb.async_
    def worker(i):
        lb.await_(later(None, ms=i % 7 + 1))
        return i + lb.await_(i)

    def main():
        promises = [worker(i) for i in range(10000)]
        return lb.await_(lb.Promise.all(promises))
    assert lb.run(main) == [2 * i for i in range(10000)]
    assert len(fibers._pool()) <= fibers.POOL_LIMIT
    assert get_loop().suspended_fibers == set()


def test_finished_fibers_are_reused():
    used = []

    @lb.async_
    def where():
        used.append(getcurrent())
        lb.await_(None)

    def main():
        for _ in range(3):
            lb.await_(where())
    lb.run(main)
    assert used[0] is used[1] is used[2]


@pytest.mark.lb_fiber
def test_a_suspended_fiber_survives_garbage_collection(clock):
    @lb.async_
    def waiter():
        return lb.await_(later('woke', 10))

    promise = waiter()
    lb.setTimeout(gc.collect, 5)
    assert lb.await_(promise) == 'woke'


@pytest.mark.lb_fiber
def test_a_fiber_resumed_by_a_thread_completion():
    loop = get_loop()
    work = loop.begin_external()
    promise = lb.Promise(lambda res, rej: threading.Thread(
        target=work.post, args=(res, 'from thread')).start())
    assert lb.await_(promise) == 'from thread'


def test_fibers_work_on_another_thread_after_this_one_filled_its_pool():
    lb.run(lambda: lb.await_(lb.async_(lambda: lb.await_(1))()))
    assert fibers._pool()
    results = []

    def other_thread():
        results.append(lb.run(lambda: lb.await_(lb.async_(lambda: lb.await_('ok'))())))
    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert results == ['ok']


def test_spawn_calls_a_function_in_a_fiber():
    assert lb.run(lambda: lb.await_(lb.spawn(lambda a, b: lb.await_(a) * b, 6, b=7))) == 42


def test_a_failed_run_unwinds_its_stuck_fibers_and_drops_what_they_schedule():
    """Fibers stuck in await_ when a run fails are unwound at once (their
    finally blocks run during the reset), not later whenever the garbage
    collector finds them, in the middle of another run."""
    log = []

    @lb.async_
    def stuck():
        try:
            lb.await_(lb.Promise(lambda res, rej: None))
        finally:
            log.append('finally')
            lb.setTimeout(log.append, 1, 'scheduled by finally')

    def main():
        stuck()
        lb.setTimeout(lambda: 1 / 0, 1)
    with pytest.raises(ZeroDivisionError):
        lb.run(main)
    assert log == ['finally']
    gc.collect()
    lb.run(lambda: lb.setTimeout(lambda: None, 5))
    assert log == ['finally']
    assert get_loop().suspended_fibers == set()
