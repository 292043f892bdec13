"""Promises/A+ (loopback_compat/promise.py) and the callback-or-promise helper.

Where a test states "Node 20 prints ...", the equivalent JavaScript was run
with Node 20 on this machine (scratch scripts /work/scratch/runtime/o*.js);
microtask ordering is deterministic, and the expected list is Node's output.
"""

import traceback

import pytest

import loopback_compat as lb
from loopback_compat.errors import AssertionError_, TypeError_
from loopback_compat.loop import UnhandledPromiseRejection, get_loop
from loopback_compat.promise import (
    AggregateError, CallbackCalledTwice, Promise, callback_and_promise, is_thenable)


class Boom(Exception):
    pass


def settle(make):
    """Build a promise inside lb.run and return its final (state, value)."""
    box = []
    lb.run(lambda: box.extend([make()]))
    promise = box[0]
    return promise.state, promise.value


# -- construction and settling ----------------------------------------------------

def test_the_executor_runs_synchronously():
    log = []

    def main():
        Promise(lambda resolve, reject: log.append('executor'))
        log.append('after')
    lb.run(main)
    assert log == ['executor', 'after']


def test_a_non_callable_executor_raises_at_once():
    """Node 20: new Promise(5) throws TypeError: Promise resolver 5 is not a function."""
    with pytest.raises(TypeError_, match='^Promise resolver 5 is not a function$'):
        Promise(5)


def test_an_exception_in_the_executor_rejects():
    state, value = settle(lambda: _caught(Promise(lambda res, rej: 1 / 0)))
    assert state == 'rejected' and isinstance(value, ZeroDivisionError)


def _caught(promise):
    promise.catch(lambda e: None)
    return promise


@pytest.mark.parametrize('calls, expected', [
    (['resolve 1', 'reject x', 'resolve 2'], ('fulfilled', 1)),
    (['reject x', 'resolve 1', 'reject y'], ('rejected', 'x')),
])
def test_a_promise_settles_once(calls, expected):
    def make():
        def executor(resolve, reject):
            for call in calls:
                kind, arg = call.split()
                (resolve if kind == 'resolve' else reject)(int(arg) if arg.isdigit() else arg)
        return _caught(Promise(executor))
    assert settle(make) == expected


def test_an_exception_after_resolve_in_the_executor_is_ignored():
    def executor(resolve, reject):
        resolve('first')
        raise Boom('ignored')
    assert settle(lambda: Promise(executor)) == ('fulfilled', 'first')


def test_handlers_never_run_synchronously_even_on_a_settled_promise():
    log = []

    def main():
        lb.Promise.resolve('v').then(log.append)
        lb.Promise.reject(Boom('r')).catch(lambda e: log.append(str(e)))
        log.append('sync end')
    lb.run(main)
    assert log == ['sync end', 'v', 'r']


def test_handlers_run_in_registration_order_and_each_gets_the_value():
    log = []

    def main():
        resolvers = []
        promise = Promise(lambda resolve, reject: resolvers.append(resolve))
        for i in range(3):
            promise.then(lambda v, i=i: log.append((i, v)))
        lb.setImmediate(resolvers[0], 'x')
    lb.run(main)
    assert log == [(0, 'x'), (1, 'x'), (2, 'x')]


def test_then_returns_a_new_promise_resolved_with_the_handlers_result():
    assert settle(lambda: lb.Promise.resolve(2).then(lambda v: v * 10).then(lambda v: v + 1)) \
        == ('fulfilled', 21)


def test_an_exception_in_a_handler_rejects_the_derived_promise():
    error = Boom('in handler')
    state, value = settle(lambda: _caught(lb.Promise.resolve(1).then(_raiser(error))))
    assert state == 'rejected' and value is error


def _raiser(error):
    def handler(*_):
        raise error
    return handler


@pytest.mark.parametrize('args', [(None, None), (5, 'x'), ()])
def test_non_callable_handlers_pass_the_outcome_through(args):
    assert settle(lambda: lb.Promise.resolve('v').then(*args)) == ('fulfilled', 'v')
    error = Boom('r')
    assert settle(lambda: _caught(lb.Promise.reject(error).then(*args))) == ('rejected', error)


def test_a_handler_returning_its_own_promise_rejects_with_a_chaining_cycle_type_error():
    def make():
        box = []
        derived = lb.Promise.resolve(1).then(lambda _: box[0])
        box.append(derived)
        return _caught(derived)
    state, value = settle(make)
    assert state == 'rejected' and isinstance(value, TypeError_)
    assert value.message == 'Chaining cycle detected for promise #<Promise>'


def test_resolving_with_a_promise_adopts_it_with_javascripts_microtask_hops():
    """The classic puzzle; Node 20 prints 0 1 2 3 4 5 6."""
    log = []

    def main():
        lb.Promise.resolve().then(lambda _: (log.append(0), lb.Promise.resolve(4))[1]) \
            .then(log.append)
        chain = lb.Promise.resolve()
        for n in (1, 2, 3, 5, 6):
            chain = chain.then(lambda _, n=n: log.append(n))
    lb.run(main)
    assert log == [0, 1, 2, 3, 4, 5, 6]


class Thenable:
    def __init__(self, then):
        self._then = then

    def then(self, resolve, reject=None):
        return self._then(resolve, reject)


def test_a_thenable_is_adopted_in_a_later_microtask():
    """Node 20 prints sync, then called, a, t, b, c."""
    log = []

    def main():
        def then(resolve, reject):
            log.append('then called')
            resolve('t')
        lb.Promise.resolve(Thenable(then)).then(log.append)
        lb.Promise.resolve().then(lambda _: log.append('a')).then(lambda _: log.append('b')) \
            .then(lambda _: log.append('c'))
        log.append('sync')
    lb.run(main)
    assert log == ['sync', 'then called', 'a', 't', 'b', 'c']


def test_a_thenable_calling_both_callbacks_and_throwing_counts_only_the_first_call():
    def then(resolve, reject):
        resolve('a')
        reject(Boom('b'))
        resolve('c')
        raise Boom('after')
    assert settle(lambda: lb.Promise.resolve(Thenable(then))) == ('fulfilled', 'a')


def test_a_thenable_resolving_with_another_thenable_is_followed():
    inner = Thenable(lambda resolve, reject: lb.setTimeout(resolve, 1, 'deep'))
    outer = Thenable(lambda resolve, reject: resolve(inner))
    assert settle(lambda: lb.Promise.resolve(outer)) == ('fulfilled', 'deep')


def test_a_thenable_whose_then_throws_rejects():
    error = Boom('then threw')
    state, value = settle(lambda: _caught(lb.Promise.resolve(Thenable(_raiser(error)))))
    assert state == 'rejected' and value is error


def test_a_then_getter_that_throws_rejects():
    error = Boom('getter')

    class Getter:
        @property
        def then(self):
            raise error
    state, value = settle(lambda: _caught(lb.Promise.resolve(Getter())))
    assert state == 'rejected' and value is error


def test_a_dict_subclass_with_then_is_a_thenable_but_a_non_callable_then_is_a_value():
    class Record(dict):
        def then(self, resolve, reject):
            resolve('adopted')

    class Plain:
        then = 'not callable'
    plain = Plain()
    assert settle(lambda: lb.Promise.resolve(Record())) == ('fulfilled', 'adopted')
    assert settle(lambda: lb.Promise.resolve(plain)) == ('fulfilled', plain)
    assert settle(lambda: lb.Promise.resolve({'then': 1})) == ('fulfilled', {'then': 1})


def test_is_thenable():
    assert is_thenable(lb.Promise.resolve()) and is_thenable(Thenable(None))
    assert not is_thenable({'then': 1}) and not is_thenable(None) and not is_thenable(3)


# -- catch and finally_ ----------------------------------------------------------------

def test_catch_handles_a_rejection_and_recovers():
    assert settle(lambda: lb.Promise.reject(Boom('x')).catch(lambda e: 'recovered: %s' % e)) \
        == ('fulfilled', 'recovered: x')


def test_catch_is_skipped_on_fulfilment():
    assert settle(lambda: lb.Promise.resolve(1).catch(lambda e: 2)) == ('fulfilled', 1)


def test_finally_is_called_without_arguments_and_passes_the_outcome_through():
    calls = []
    assert settle(lambda: lb.Promise.resolve('v').finally_(lambda: calls.append('f') or 'x')) \
        == ('fulfilled', 'v')
    error = Boom('r')
    assert settle(lambda: _caught(lb.Promise.reject(error).finally_(lambda: calls.append('f')))) \
        == ('rejected', error)
    assert calls == ['f', 'f']


def test_finally_that_throws_or_returns_a_rejection_overrides_the_outcome():
    thrown, rejected = Boom('thrown'), Boom('rejected')
    assert settle(lambda: _caught(lb.Promise.resolve(1).finally_(_raiser(thrown)))) \
        == ('rejected', thrown)
    assert settle(lambda: _caught(lb.Promise.resolve(1).finally_(
        lambda: lb.Promise.reject(rejected)))) == ('rejected', rejected)


def test_finally_waits_for_a_returned_promise():
    log = []

    def main():
        def slow():
            return lb.Promise(lambda res, rej: lb.setTimeout(lambda: (log.append('slow'), res())
                                                             , 5))
        lb.Promise.resolve('v').finally_(slow).then(log.append)
    lb.run(main)
    assert log == ['slow', 'v']


def test_finally_with_a_non_callable_passes_through():
    assert settle(lambda: lb.Promise.resolve(3).finally_(None)) == ('fulfilled', 3)


def test_finally_hops_like_javascript():
    """Node 20 prints f x1 x2 x3 fv1 x4."""
    log = []

    def main():
        lb.Promise.resolve(1).finally_(lambda: log.append('f')) \
            .then(lambda v: log.append('fv%s' % v))
        chain = lb.Promise.resolve()
        for n in range(1, 5):
            chain = chain.then(lambda _, n=n: log.append('x%d' % n))
    lb.run(main)
    assert log == ['f', 'x1', 'x2', 'x3', 'fv1', 'x4']


# -- statics -------------------------------------------------------------------------

def later(value, ms=1, fail=False):
    return lb.Promise(lambda res, rej: lb.setTimeout(rej if fail else res, ms, value))


def test_resolve_returns_a_promise_unchanged_and_wraps_values():
    box = []

    def main():
        promise = lb.Promise.resolve(1)
        box.append(lb.Promise.resolve(promise) is promise)
    lb.run(main)
    assert box == [True]
    assert settle(lambda: lb.Promise.resolve()) == ('fulfilled', None)


def test_reject_does_not_adopt_a_promise_reason():
    reasons = []

    def main():
        inner = lb.Promise.resolve(1)
        lb.Promise.reject(inner).catch(reasons.append)
        return inner
    inner = lb.run(main)
    assert reasons == [inner]


def test_all_keeps_input_order_and_accepts_plain_values():
    assert settle(lambda: lb.Promise.all([later('slow', 9), 'plain', later('fast', 1)])) \
        == ('fulfilled', ['slow', 'plain', 'fast'])


def test_all_rejects_with_the_first_rejection():
    first = Boom('first')
    assert settle(lambda: _caught(lb.Promise.all([
        later('ok', 1), later(Boom('second'), 9, fail=True), later(first, 5, fail=True)]))) \
        == ('rejected', first)


def test_all_orders_like_javascript():
    """Node 20 prints y1, all 1,2, race r1, y2, y3."""
    log = []

    def main():
        lb.Promise.all([1, lb.Promise.resolve(2)]).then(lambda v: log.append(('all', v)))
        lb.Promise.race([lb.Promise.resolve('r1'), 'r2']).then(lambda v: log.append(('race', v)))
        lb.Promise.resolve().then(lambda _: log.append('y1')).then(lambda _: log.append('y2')) \
            .then(lambda _: log.append('y3'))
    lb.run(main)
    assert log == ['y1', ('all', [1, 2]), ('race', 'r1'), 'y2', 'y3']


def test_all_settled_reports_every_outcome():
    error = Boom('no')
    assert settle(lambda: lb.Promise.allSettled([later(1, 5), later(error, 1, fail=True), 3])) \
        == ('fulfilled', [{'status': 'fulfilled', 'value': 1},
                          {'status': 'rejected', 'reason': error},
                          {'status': 'fulfilled', 'value': 3}])


def test_race_settles_like_the_first_to_settle():
    assert settle(lambda: lb.Promise.race([later('slow', 9), later('fast', 2)])) \
        == ('fulfilled', 'fast')
    error = Boom('fast failure')
    assert settle(lambda: _caught(lb.Promise.race([later('slow', 9),
                                                   later(error, 2, fail=True)]))) \
        == ('rejected', error)


def test_any_fulfils_with_the_first_fulfilment():
    assert settle(lambda: lb.Promise.any([later(Boom('x'), 1, fail=True), later('b', 5),
                                          later('c', 9)])) == ('fulfilled', 'b')


def test_any_rejects_with_an_aggregate_error_in_input_order():
    e1, e2 = Boom('1'), Boom('2')
    state, value = settle(lambda: _caught(lb.Promise.any([later(e1, 9, fail=True),
                                                          later(e2, 1, fail=True)])))
    assert state == 'rejected' and isinstance(value, AggregateError)
    assert value.errors == [e1, e2]
    assert value.message == 'All promises were rejected' and value.name == 'AggregateError'


@pytest.mark.parametrize('static, expected', [
    ('all', ('fulfilled', [])), ('allSettled', ('fulfilled', []))])
def test_empty_inputs_fulfil_at_once(static, expected):
    assert settle(lambda: getattr(lb.Promise, static)(iter([]))) == expected


def test_any_of_nothing_rejects_with_an_empty_aggregate_error():
    state, value = settle(lambda: _caught(lb.Promise.any([])))
    assert state == 'rejected' and isinstance(value, AggregateError) and value.errors == []


@pytest.mark.parametrize('static', ['all', 'allSettled', 'any', 'race'])
def test_a_non_iterable_input_rejects_instead_of_raising(static):
    """Node 20: Promise.all(5) returns a promise rejected with a TypeError."""
    state, value = settle(lambda: _caught(getattr(lb.Promise, static)(5)))
    assert state == 'rejected' and isinstance(value, TypeError)


def test_race_of_nothing_stays_pending_and_does_not_keep_the_loop_alive():
    assert settle(lambda: lb.Promise.race([])) == ('pending', None)


# -- unhandled rejections -----------------------------------------------------------

def test_a_rejection_passed_down_an_unhandled_chain_is_raised_by_run():
    error = Boom('deep')
    with pytest.raises(Boom) as info:
        lb.run(lambda: lb.Promise.resolve(1).then(_raiser(error)).then(lambda v: v))
    assert info.value is error
    assert traceback.extract_tb(info.value.__traceback__)[-1].name == 'handler'


def test_a_caught_rejection_is_not_reported():
    lb.run(lambda: lb.Promise.reject(Boom('x')).then(lambda v: v).catch(lambda e: None))


def test_an_adopted_rejected_promise_is_reported_once_through_the_adopter():
    with pytest.raises(UnhandledPromiseRejection) as info:
        lb.run(lambda: lb.Promise.resolve(lb.Promise.reject('inner')).then(lambda v: v))
    assert info.value.reason == 'inner'


# -- callback_and_promise -----------------------------------------------------------

def api(value, cb=None, fail=None, calls=1):
    """A LoopBack-style async API that completes synchronously (the Zalgo case)."""
    done, promise = callback_and_promise(cb)
    for _ in range(calls):
        if fail is not None:
            done(fail)
        else:
            done(None, value, 'extra')
    return promise


def test_a_callback_is_never_called_synchronously():
    log = []

    def main():
        assert api('v', lambda err, *results: log.append((err,) + results)) is None
        log.append('returned')
    lb.run(main)
    assert log == ['returned', (None, 'v', 'extra')]


def test_a_callback_gets_the_error():
    error = Boom('failed')
    log = []
    lb.run(lambda: api(None, lambda err, *results: log.append((err, results)), fail=error))
    assert log == [(error, ())]


def test_an_exception_from_the_users_callback_is_an_uncaught_loop_error_not_redelivered():
    calls = []
    error = Boom('user callback failed')

    def cb(err, *results):
        calls.append(err)
        raise error
    with pytest.raises(Boom) as info:
        lb.run(lambda: api('v', cb))
    assert info.value is error and calls == [None]


def test_a_second_call_raises_in_the_caller_and_is_not_delivered():
    calls, raised = [], []

    def main():
        done, _ = callback_and_promise(lambda err, *r: calls.append(r))
        done(None, 1)
        try:
            done(None, 2)
        except CallbackCalledTwice as exc:
            raised.append(exc.message)
    lb.run(main)
    assert calls == [(1,)]
    assert raised == [
        'Callback was already called: a completion callback was invoked twice; the second '
        'call was not delivered. Call it exactly once per operation.']


@pytest.mark.parametrize('bad', ['not a function', 42, {'cb': 1}])
def test_a_non_callable_callback_raises_an_assertion_error(bad):
    with pytest.raises(AssertionError_) as info:
        callback_and_promise(bad)
    assert info.value.code == 'ERR_ASSERTION'
    assert info.value.message == 'The cb argument must be a function'   # juggler's text


def test_without_a_callback_the_promise_resolves_with_the_first_result():
    assert settle(lambda: api('first')) == ('fulfilled', 'first')


def test_without_a_callback_the_promise_rejects_with_the_error():
    error = Boom('failed')
    assert settle(lambda: _caught(api(None, fail=error))) == ('rejected', error)


def test_without_a_callback_a_second_call_raises_even_while_adopting():
    raised = []

    def main():
        done, promise = callback_and_promise(None)
        done(None, later('slow', 5))         # still pending: adopting a promise
        try:
            done(Boom('second'))
        except CallbackCalledTwice:
            raised.append(True)
        return promise
    box = []
    lb.run(lambda: box.append(main()))
    assert raised == [True] and box[0].value == 'slow'


def test_the_callback_runs_on_the_loop_after_the_current_macrotask():
    log = []

    def main():
        lb.Promise.resolve().then(lambda _: log.append('microtask'))
        api('v', lambda err, value, extra: log.append('callback'))
        lb.nextTick(log.append, 'tick after')
    lb.run(main)
    assert log == ['callback', 'tick after', 'microtask']
    assert get_loop().stats()['ticks'] == 0


# -- callbacks take JavaScript's view of arity -----------------------------------

def _deliver_to(cb, *args):
    done, promise = callback_and_promise(cb)
    assert promise is None
    done(*args)


def test_callback_with_fewer_parameters_gets_the_leading_arguments():
    seen = []

    def main():
        _deliver_to(lambda err: seen.append(('one', err)), None, 'result', 'extra')
    lb.run(main)
    assert seen == [('one', None)]


def test_callback_with_more_parameters_gets_none_for_missing_ones():
    seen = []

    def main():
        _deliver_to(lambda err, result: seen.append((err, result)), None)
    lb.run(main)
    assert seen == [(None, None)]


def test_bound_method_and_defaults_are_fitted():
    seen = []

    class Listener:
        def on_done(self, err, result=None, info='default'):
            seen.append((err, result, info))

    def main():
        _deliver_to(Listener().on_done, None, 1, 2, 3)
        _deliver_to(Listener().on_done, None)
    lb.run(main)
    assert seen == [(None, 1, 2), (None, None, 'default')]


def test_varargs_callback_gets_every_argument():
    seen = []

    def main():
        _deliver_to(lambda *args: seen.append(args), None, 1, 2)
    lb.run(main)
    assert seen == [(None, 1, 2)]
