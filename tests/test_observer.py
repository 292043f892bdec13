"""The observer API itself (observer.py): notifyObserversOf's context,
observers declaring fewer parameters, notifyObserversAround, and the
observers of connector objects (juggler's ObserverMixin, lib/observer.js)."""

import pytest

import loopback_compat as lb
from loopback_compat.observer import HookContext
from loopback_compat.testing import callback_outcome

pytestmark = pytest.mark.lb_fiber


@pytest.fixture
def Model():
    return lb.ModelBuilder().define('Observed', {'name': str})


def test_a_dict_context_is_the_storage_of_the_hook_context(Model):
    def observer(ctx, next_):
        ctx.seen = ctx.value + 1
        next_()
    Model.observe('event', observer)
    context = {'value': 1}
    out = callback_outcome(Model.notifyObserversOf, 'event', context)
    assert out.err is None and out.result is context   # handed back itself, as juggler
    assert context == {'value': 1, 'seen': 2}          # the caller's dict got the change


def test_the_final_callback_gets_the_caller_s_own_context(Model):
    # juggler hands the context object through: observed or not, one
    # operation or a list, a model's observers or a connector's
    connector = lb.DataSource('memory').connector
    for notify, op in ((Model.notifyObserversOf, 'unobserved'),
                       (Model.notifyObserversOf, ['a', 'b']),
                       (connector.notifyObserversOf, 'before execute')):
        context = {'n': 1}
        out = callback_outcome(notify, op, context)
        assert out.err is None and out.result is context
    Model.observe('fail', lambda ctx, next_: next_(lb.LoopBackError('no')))
    context = {}
    out = callback_outcome(Model.notifyObserversOf, 'fail', context)
    assert out.err.message == 'no' and out.result is context
    hook_context = HookContext(n=2)
    assert callback_outcome(Model.notifyObserversOf, 'event', hook_context).result \
        is hook_context


def test_an_observer_may_declare_only_ctx(Model):
    calls = []

    def observer(ctx):
        calls.append(ctx.value)
        return lb.Promise.resolve()
    Model.observe('event', observer)
    Model.observe('event', lambda: calls.append('none') or lb.Promise.resolve())
    out = callback_outcome(Model.notifyObserversOf, 'event', {'value': 7})
    assert out.err is None and calls == [7, 'none']
    boom = lb.LoopBackError('no')
    Model.observe('other', lambda ctx: lb.Promise.reject(boom))
    assert callback_outcome(Model.notifyObserversOf, 'other', {}).err is boom


def test_notify_observers_around(Model):
    events = []

    def before(ctx, next_):
        events.append(('before', ctx.step))
        next_()

    def after(ctx, next_):
        events.append(('after', list(ctx.results)))
        ctx.results = [ctx.results[0] * 10]
        next_()
    Model.observe('before run', before)
    Model.observe('after run', after)

    def work(ctx, done):
        events.append('work')
        lb.nextTick(done, None, 4, 5)
    out = callback_outcome(Model.notifyObserversAround, 'run', {'step': 1}, work)
    assert out.err is None and out.results == (40,)
    assert events == [('before', 1), 'work', ('after', [4, 5])]
    # without a callback: a promise of the first result
    assert lb.await_(Model.notifyObserversAround('run', {'step': 2},
                                                 lambda done: done(None, 3))) == 30


def test_notify_observers_around_errors_and_end(Model):
    failure = lb.LoopBackError('work failed')
    out = callback_outcome(Model.notifyObserversAround, 'op', {},
                           lambda done: done(failure, 'partial'))
    assert out.err is failure and out.results == ('partial',)
    Model.observe('before stop', lambda ctx, next_: ctx.end(None, 'early'))
    ran = []
    out = callback_outcome(Model.notifyObserversAround, 'stop', {},
                           lambda done: ran.append(1) or done(None, 'late'))
    assert out.err is None and out.results == ('early',) and ran == []
    Model.observe('before refuse', lambda ctx, next_: next_(failure))
    assert callback_outcome(Model.notifyObserversAround, 'refuse', {},
                            lambda done: done()).err is failure


def test_connector_objects_have_observers_of_their_own():
    a, b = lb.DataSource('memory').connector, lb.DataSource('memory').connector
    events = []

    def observer(ctx, next_):
        events.append(ctx.command)
        next_()
    a.observe('before execute', observer)
    out = callback_outcome(a.notifyObserversOf, 'before execute', {'command': 'x'})
    assert out.err is None and events == ['x']
    callback_outcome(b.notifyObserversOf, 'before execute', {'command': 'y'})
    assert events == ['x']                             # b has none
    out = callback_outcome(a.notifyObserversAround, 'execute', {'command': 'z'},
                           lambda done: done(None, 'rows'))
    assert out.results == ('rows',) and events == ['x', 'z']
    assert a.removeObserver('before execute', observer) == [observer]
    a.observe('after execute', observer)
    a.clearObservers('after execute')
    callback_outcome(a.notifyObserversOf, ['before execute', 'after execute'], {'command': 'w'})
    assert events == ['x', 'z']


def test_a_duck_typed_connector_gets_the_observer_methods():
    class Store:
        name = 'duck'

        def connect(self, cb=None):
            if cb:
                lb.nextTick(cb)

    class Module:
        @staticmethod
        def initialize(data_source, cb):
            data_source.connector = Store()
            cb(None)
    ds = lb.DataSource({'connector': Module()})
    seen = []
    ds.connector.observe('before execute', lambda ctx, next_: seen.append(ctx.n) or next_())
    out = callback_outcome(ds.connector.notifyObserversOf, 'before execute', {'n': 1})
    assert out.err is None and seen == [1]
