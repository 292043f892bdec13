"""Operation hooks: order and context of each DAO operation, as juggler 3.x.

The expected sequences were recorded from loopback-datasource-juggler
3.36.1 on the memory connector (same scenario, same models); see
test/persistence-hooks.suite.js in juggler for the suite they mirror.
"""

import pytest

import loopback_compat as lb
from loopback_compat.model import ModelBase
from loopback_compat.observer import HookContext
from loopback_compat.testing import rejection

OPS = ('access', 'before save', 'persist', 'loaded', 'after save',
       'before delete', 'after delete')


def plain(value, nulls=True):
    """Hook context values as plain data.  ``nulls`` False drops None values:
    LB3's SQL connectors return every column of a row (NULL as null) where
    the memory connector, on which these sequences were recorded, returns
    only what was stored, so on SQL a null equals a missing key."""
    if isinstance(value, ModelBase):
        return plain(value.toObject(True), nulls)
    if isinstance(value, dict):
        return {k: plain(v, nulls) for k, v in value.items()
                if v is not lb.undefined and (nulls or v is not None)}
    if isinstance(value, list):
        return [plain(v, nulls) for v in value]
    return value


def recorder(Model):
    """Observe every operation of Model; returns the log of (op, fields)."""
    log = []
    nulls = not Model.dataSource.isRelational()

    def observer(op):
        def fn(ctx, next_):
            fields = {}
            for key in ctx.keys():
                value = ctx[key]
                if key in ('Model', 'hookState', 'options') or value is None:
                    continue
                fields[key] = plain(value, nulls)
            assert ctx.Model is Model
            assert isinstance(ctx.hookState, dict)
            log.append((op, fields))
            next_()
        return fn
    for op in OPS:
        Model.observe(op, observer(op))
    return log


def setup(ds):
    Model = ds.createModel('TestModel', {'name': str, 'extra': str})
    return Model


def run_logged(Model, log, fn):
    def main():
        lb.await_(fn())
    del log[:]
    lb.run(main)
    return list(log)


def seeded(ds):
    Model = setup(ds)
    lb.run(lambda: lb.await_(Model.create({'name': 'first'})))
    log = recorder(Model)
    return Model, log


def test_create(ds):
    Model = setup(ds)
    log = recorder(Model)
    assert run_logged(Model, log, lambda: Model.create({'name': 'first'})) == [
        ('before save', {'instance': {'name': 'first'}, 'isNewInstance': True}),
        ('persist', {'currentInstance': {'name': 'first'}, 'data': {'name': 'first'},
                     'isNewInstance': True}),
        ('loaded', {'data': {'id': 1, 'name': 'first'}, 'isNewInstance': True}),
        ('after save', {'instance': {'id': 1, 'name': 'first'}, 'isNewInstance': True}),
    ]


def test_find(ds):
    Model, log = seeded(ds)
    assert run_logged(Model, log, lambda: Model.find({'where': {'name': 'first'}})) == [
        ('access', {'query': {'where': {'name': 'first'}}}),
        ('loaded', {'data': {'id': 1, 'name': 'first'}, 'isNewInstance': False}),
    ]


def test_find_by_id(ds):
    Model, log = seeded(ds)
    assert run_logged(Model, log, lambda: Model.findById(1)) == [
        ('access', {'query': {'where': {'id': 1}, 'limit': 1, 'offset': 0, 'skip': 0}}),
        ('loaded', {'data': {'id': 1, 'name': 'first'}, 'isNewInstance': False}),
    ]


def test_count_and_exists(ds):
    Model, log = seeded(ds)
    assert run_logged(Model, log, lambda: Model.count({'name': 'first'})) == [
        ('access', {'query': {'where': {'name': 'first'}}})]
    assert run_logged(Model, log, lambda: Model.exists(1)) == [
        ('access', {'query': {'where': {'id': 1}}})]


def test_find_or_create_found(ds):
    Model, log = seeded(ds)
    assert run_logged(Model, log, lambda: Model.findOrCreate(
            {'where': {'name': 'first'}}, {'name': 'first'})) == [
        ('access', {'query': {'where': {'name': 'first'}, 'limit': 1, 'offset': 0, 'skip': 0}}),
        ('before save', {'instance': {'name': 'first'}, 'isNewInstance': True}),
        ('persist', {'currentInstance': {'name': 'first'}, 'data': {'name': 'first'},
                     'isNewInstance': True, 'where': {'name': 'first'}}),
        ('loaded', {'data': {'id': 1, 'name': 'first'}, 'isNewInstance': False}),
    ]


def test_find_or_create_new(ds):
    Model, log = seeded(ds)
    assert run_logged(Model, log, lambda: Model.findOrCreate(
            {'where': {'name': 'new'}}, {'name': 'new'})) == [
        ('access', {'query': {'where': {'name': 'new'}, 'limit': 1, 'offset': 0, 'skip': 0}}),
        ('before save', {'instance': {'name': 'new'}, 'isNewInstance': True}),
        ('persist', {'currentInstance': {'name': 'new'}, 'data': {'name': 'new'},
                     'isNewInstance': True, 'where': {'name': 'new'}}),
        ('loaded', {'data': {'id': 2, 'name': 'new'}, 'isNewInstance': True}),
        ('after save', {'instance': {'id': 2, 'name': 'new'}, 'isNewInstance': True}),
    ]


def test_save_existing(ds):
    Model, log = seeded(ds)
    inst = lb.run(lambda: lb.await_(Model.findById(1)))
    inst.name = 'changed'
    seen = []
    Model.observe('before save', lambda ctx, next_: (seen.append(dict(ctx.options)), next_()))
    assert run_logged(Model, log, lambda: inst.save()) == [
        ('before save', {'instance': {'id': 1, 'name': 'changed'}}),
        ('persist', {'currentInstance': {'id': 1, 'name': 'changed'},
                     'data': {'id': 1, 'name': 'changed'}, 'where': {'id': 1}}),
        ('loaded', {'data': {'id': 1, 'name': 'changed'}, 'isNewInstance': False}),
        ('after save', {'instance': {'id': 1, 'name': 'changed'}, 'isNewInstance': False}),
    ]
    assert seen == [{'validate': True, 'throws': False}]


def test_update_attributes(ds):
    Model, log = seeded(ds)
    inst = lb.run(lambda: lb.await_(Model.findById(1)))
    assert run_logged(Model, log, lambda: inst.updateAttributes({'name': 'ua'})) == [
        ('before save', {'currentInstance': {'id': 1, 'name': 'first'}, 'data': {'name': 'ua'},
                         'where': {'id': 1}}),
        ('persist', {'currentInstance': {'id': 1, 'name': 'ua'}, 'data': {'name': 'ua'},
                     'isNewInstance': False, 'where': {'id': 1}}),
        ('loaded', {'data': {'name': 'ua'}, 'isNewInstance': False}),
        ('after save', {'instance': {'id': 1, 'name': 'ua'}, 'isNewInstance': False}),
    ]


def test_replace_by_id(ds):
    Model, log = seeded(ds)
    assert run_logged(Model, log, lambda: Model.replaceById(1, {'name': 'rbi'})) == [
        ('before save', {'instance': {'id': 1, 'name': 'rbi'}, 'isNewInstance': False}),
        ('persist', {'currentInstance': {'id': 1, 'name': 'rbi'},
                     'data': {'id': 1, 'name': 'rbi'}, 'isNewInstance': False,
                     'where': {'id': 1}}),
        ('loaded', {'data': {'id': 1, 'name': 'rbi'}, 'isNewInstance': False}),
        ('after save', {'instance': {'id': 1, 'name': 'rbi'}, 'isNewInstance': False}),
    ]


def test_upsert_existing_with_force_id_goes_through_update_attributes(ds):
    Model, log = seeded(ds)
    assert run_logged(Model, log, lambda: Model.upsert({'id': 1, 'name': 'up'})) == [
        ('access', {'query': {'where': {'id': 1}, 'limit': 1, 'offset': 0, 'skip': 0}}),
        ('loaded', {'data': {'id': 1, 'name': 'first'}, 'isNewInstance': False}),
        ('before save', {'currentInstance': {'id': 1, 'name': 'first'},
                         'data': {'id': 1, 'name': 'up'}, 'where': {'id': 1}}),
        ('persist', {'currentInstance': {'id': 1, 'name': 'up'},
                     'data': {'id': 1, 'name': 'up'}, 'isNewInstance': False,
                     'where': {'id': 1}}),
        ('loaded', {'data': {'id': 1, 'name': 'up'}, 'isNewInstance': False}),
        ('after save', {'instance': {'id': 1, 'name': 'up'}, 'isNewInstance': False}),
    ]


def test_upsert_without_force_id(ds):
    Model = ds.createModel('NoForce', {'id': {'type': 'number', 'id': True}, 'name': str})
    log = recorder(Model)
    assert run_logged(Model, log, lambda: Model.upsert({'id': 1, 'name': 'a'})) == [
        ('access', {'query': {'where': {'id': 1}}}),
        ('before save', {'data': {'id': 1, 'name': 'a'}, 'where': {'id': 1}}),
        ('persist', {'currentInstance': {'id': 1, 'name': 'a'},
                     'data': {'id': 1, 'name': 'a'}, 'where': {'id': 1}}),
        ('loaded', {'data': {'id': 1, 'name': 'a'}, 'isNewInstance': True}),
        ('after save', {'instance': {'id': 1, 'name': 'a'}, 'isNewInstance': True}),
    ]
    assert run_logged(Model, log, lambda: Model.upsert({'id': 1, 'name': 'b'}))[-1] == \
        ('after save', {'instance': {'id': 1, 'name': 'b'}, 'isNewInstance': False})


def test_replace_or_create_without_force_id(ds):
    Model = ds.createModel('NoForce', {'id': {'type': 'number', 'id': True}, 'name': str})
    log = recorder(Model)
    assert run_logged(Model, log, lambda: Model.replaceOrCreate({'id': 2, 'name': 'a'})) == [
        ('access', {'query': {'where': {'id': 2}}}),
        ('before save', {'instance': {'id': 2, 'name': 'a'}}),
        ('persist', {'currentInstance': {'id': 2, 'name': 'a'},
                     'data': {'id': 2, 'name': 'a'}, 'where': {'id': 2}}),
        ('loaded', {'data': {'id': 2, 'name': 'a'}, 'isNewInstance': True}),
        ('after save', {'instance': {'id': 2, 'name': 'a'}, 'isNewInstance': True}),
    ]


def test_update_all(ds):
    Model, log = seeded(ds)
    assert run_logged(Model, log, lambda: Model.updateAll({'name': 'first'},
                                                          {'extra': 'x'})) == [
        ('access', {'query': {'where': {'name': 'first'}}}),
        ('before save', {'data': {'extra': 'x'}, 'where': {'name': 'first'}}),
        ('persist', {'data': {'extra': 'x'}, 'where': {'name': 'first'}}),
        ('after save', {'data': {'extra': 'x'}, 'info': {'count': 1},
                        'where': {'name': 'first'}}),
    ]


def test_destroy_instance(ds):
    Model, log = seeded(ds)
    inst = lb.run(lambda: lb.await_(Model.findById(1)))
    assert run_logged(Model, log, lambda: inst.destroy()) == [
        ('access', {'query': {'where': {'id': 1}}}),
        ('before delete', {'instance': {'id': 1, 'name': 'first'}, 'where': {'id': 1}}),
        ('after delete', {'info': {'count': 1}, 'instance': {'id': 1, 'name': 'first'},
                          'where': {'id': 1}}),
    ]


def test_destroy_all_and_by_id(ds):
    Model, log = seeded(ds)
    assert run_logged(Model, log, lambda: Model.destroyById(1)) == [
        ('access', {'query': {'where': {'id': 1}}}),
        ('before delete', {'where': {'id': 1}}),
        ('after delete', {'info': {'count': 1}, 'where': {'id': 1}}),
    ]
    assert run_logged(Model, log, lambda: Model.destroyAll()) == [
        ('access', {'query': {'where': {}}}),
        ('before delete', {'where': {}}),
        ('after delete', {'info': {'count': 0}, 'where': {}}),
    ]


# -- hook behaviour -----------------------------------------------------------

@pytest.mark.lb_fiber
def test_next_with_error_aborts_and_nothing_is_written(ds):
    Model = setup(ds)
    Model.observe('before save', lambda ctx, next_: next_(lb.LoopBackError('nope', statusCode=418)))
    err = rejection(Model.create({'name': 'x'}))
    assert isinstance(err, lb.LoopBackError)
    assert (err.message, err.statusCode) == ('nope', 418)
    Model.clearObservers('before save')
    assert lb.await_(Model.count()) == 0


@pytest.mark.lb_fiber
def test_hook_returning_promise(ds):
    Model = setup(ds)
    order = []

    @lb.async_
    def slow(ctx):
        lb.await_(lb.Promise(lambda resolve, reject: lb.setTimeout(resolve, 5, None)))
        order.append('hook')
        ctx.instance.extra = 'from-hook'

    Model.observe('before save', lambda ctx, next_: slow(ctx))
    inst = lb.await_(Model.create({'name': 'x'}))
    order.append('created')
    assert inst.extra == 'from-hook'
    assert order == ['hook', 'created']


@pytest.mark.lb_fiber
def test_hook_returning_rejected_promise_aborts(ds):
    Model = setup(ds)
    Model.observe('access', lambda ctx, next_: lb.Promise.reject(lb.LoopBackError('denied')))
    err = rejection(Model.find())
    assert isinstance(err, lb.LoopBackError) and err.message == 'denied'


@pytest.mark.lb_fiber
def test_hook_raising_aborts_through_callback(ds):
    Model = setup(ds)

    def bad(ctx, next_):
        raise lb.LoopBackError('boom')
    Model.observe('persist', bad)
    err = rejection(Model.create({'name': 'x'}))
    assert isinstance(err, lb.LoopBackError) and err.message == 'boom'


def test_hooks_run_in_registration_order_with_shared_hook_state(ds):
    Model = setup(ds)
    seen = []

    def first(ctx, next_):
        ctx.hookState['mark'] = 1
        seen.append('first')
        next_()

    def second(ctx, next_):
        seen.append(('second', ctx.hookState.get('mark')))
        next_()

    def after(ctx, next_):
        seen.append(('after', ctx.hookState.get('mark')))
        next_()
    Model.observe('before save', first)
    Model.observe('before save', second)
    Model.observe('after save', after)
    lb.run(lambda: lb.await_(Model.create({'name': 'x'})))
    assert seen == ['first', ('second', 1), ('after', 1)]


def test_options_reach_hooks(ds):
    Model = setup(ds)
    seen = []
    Model.observe('access', lambda ctx, next_: (seen.append(ctx.options), next_()))
    options = {'accessToken': 'abc'}
    lb.run(lambda: lb.await_(Model.find({}, options)))
    assert seen == [options] and seen[0] is options


@pytest.mark.lb_fiber
def test_access_hook_can_change_query(ds):
    Model = setup(ds)
    lb.await_(Model.create([{'name': 'a'}, {'name': 'b'}]))

    def only_b(ctx, next_):
        ctx.query['where'] = {'name': 'b'}
        next_()
    Model.observe('access', only_b)
    assert [m.name for m in lb.await_(Model.find())] == ['b']


@pytest.mark.lb_fiber
def test_persist_hook_can_change_stored_data(ds):
    Model = setup(ds)

    def stamp(ctx, next_):
        ctx.data['extra'] = 'stamped'
        next_()
    Model.observe('persist', stamp)
    created = lb.await_(Model.create({'name': 'a'}))
    stored = lb.await_(Model.findById(created.id))
    # juggler: the created instance is not updated unless updateOnLoad is set
    assert (created.extra, stored.extra) == (None, 'stamped')


@pytest.mark.lb_fiber
def test_loaded_hook_can_change_found_data(ds):
    Model = setup(ds)

    def upper(ctx, next_):
        ctx.data['name'] = ctx.data['name'].upper()
        next_()

    lb.await_(Model.create({'name': 'a'}))
    Model.observe('loaded', upper)
    assert lb.await_(Model.findById(1)).name == 'A'


def test_notify_false_skips_hooks(ds):
    Model = setup(ds)
    log = recorder(Model)

    def main():
        lb.await_(Model.create({'name': 'a'}, {'notify': False}))
        del log[:]
        lb.await_(Model.find({}, {'notify': False}))
        lb.await_(Model.destroyAll({}, {'notify': False}))
    lb.run(main)
    assert log == []


def test_base_model_observers_run_first(ds):
    Base = ds.createModel('Base', {'name': str})
    Child = ds.createModel('Child', {}, {'base': 'Base'})
    seen = []
    Child.observe('before save', lambda ctx, next_: (seen.append('child'), next_()))
    Base.observe('before save', lambda ctx, next_: (seen.append('base'), next_()))
    lb.run(lambda: lb.await_(Child.create({'name': 'x'})))
    assert seen == ['base', 'child']
    seen.clear()
    lb.run(lambda: lb.await_(Base.create({'name': 'y'})))
    assert seen == ['base']


def test_observers_added_after_a_quiet_call_are_seen(ds):
    """Whether an operation is observed is cached; adding an observer (on the
    model or on its base) or removing it must show on the next call."""
    Base = ds.createModel('Base', {'name': str})
    Child = ds.createModel('Child', {}, {'base': 'Base'})
    seen = []

    def record(ctx, next_):
        seen.append(ctx.Model.modelName)
        next_()

    def destroy_one():
        made = lb.await_(Child.create({'name': 'x'}))
        lb.await_(made.destroy())
    lb.run(destroy_one)                      # quiet: nothing observes delete
    Base.observe('before delete', record)
    lb.run(destroy_one)
    assert seen == ['Child']
    Base.removeObserver('before delete', record)
    lb.run(destroy_one)
    assert seen == ['Child']


def test_remove_observer(ds):
    Model = setup(ds)
    seen = []

    def fn(ctx, next_):
        seen.append(1)
        next_()
    Model.observe('access', fn)
    Model.removeObserver('access', fn)
    lb.run(lambda: lb.await_(Model.find()))
    assert seen == []


@pytest.mark.lb_fiber
def test_notify_observers_of_without_callback_returns_promise(ds):
    Model = setup(ds)
    Model.observe('custom', lambda ctx, next_: (ctx.__setitem__('seen', True), next_()))
    context = {'x': 1}
    ctx = lb.await_(Model.notifyObserversOf('custom', context))
    assert ctx is context and ctx == {'x': 1, 'seen': True}    # the caller's dict, as juggler
    ctx = lb.await_(Model.notifyObserversOf('custom', HookContext(x=1)))
    assert ctx.seen is True and ctx.x == 1 and ctx.missing is None


# -- effects of hooks on results (recorded from juggler) ----------------------

@pytest.mark.lb_fiber
def test_before_save_changes_reach_instance_and_storage(ds):
    Model = setup(ds)

    def stamp(ctx, next_):
        if ctx.instance is not None:
            ctx.instance.extra = 'bs'
        else:
            ctx.data['extra'] = 'bs'
        next_()
    Model.observe('before save', stamp)
    a = lb.await_(Model.create({'name': 'a'}))
    assert a.toJSON() == {'name': 'a', 'extra': 'bs', 'id': 1}
    assert lb.await_(Model.findById(1)).toJSON() == {'name': 'a', 'extra': 'bs', 'id': 1}
    lb.await_(a.updateAttributes({'name': 'b'}))
    lb.await_(Model.updateAll({'name': 'b'}, {'extra': 'other'}))
    assert lb.await_(Model.findById(1)).toJSON() == {'name': 'b', 'extra': 'bs', 'id': 1}


@pytest.mark.lb_fiber
def test_loaded_changes_reach_save_but_not_create_or_update_attributes(ds):
    Model = setup(ds)

    def mark(ctx, next_):
        if ctx.data is not None:
            ctx.data['extra'] = 'L'
        next_()
    Model.observe('loaded', mark)
    a = lb.await_(Model.create({'name': 'a'}))
    assert a.toJSON() == {'name': 'a', 'id': 1}
    lb.await_(a.updateAttributes({'name': 'b'}))
    assert a.toJSON() == {'name': 'b', 'id': 1}
    a.name = 'c'
    lb.await_(a.save())
    found, _ = lb.await_(Model.findOrCreate({'where': {'name': 'zz'}}, {'name': 'zz'}))
    assert a.toJSON() == {'name': 'c', 'extra': 'L', 'id': 1}
    assert found.toJSON() == {'name': 'zz', 'extra': 'L', 'id': 2}


@pytest.mark.lb_fiber
def test_after_save_error_is_reported_after_the_write(ds):
    Model = setup(ds)
    Model.observe('after save', lambda ctx, next_: next_(lb.LoopBackError('as')))
    err = rejection(Model.create({'name': 'a'}))
    assert isinstance(err, lb.LoopBackError) and err.message == 'as'
    assert lb.await_(Model.count()) == 1


@pytest.mark.lb_fiber
def test_before_delete_can_redirect_an_instance_delete(ds):
    Model = setup(ds)

    def redirect(ctx, next_):
        ctx.where = {'name': 'keep'}
        next_()
    Model.observe('before delete', redirect)
    lb.await_(Model.create([{'name': 'keep'}, {'name': 'x'}]))
    x = lb.await_(Model.findById(2))
    info = lb.await_(x.destroy())
    assert (info, [m.name for m in lb.await_(Model.find())]) == ({'count': 1}, ['x'])


def test_upsert_with_where_hooks(ds):
    Model = setup(ds)
    log = recorder(Model)
    if not hasattr(ds.connector, 'upsertWithWhere'):
        # juggler's generic path: a silent find, then create / updateAttributes
        assert [op for op, _ in run_logged(Model, log, lambda: Model.upsertWithWhere(
            {'name': 'a'}, {'name': 'a', 'extra': 'x'}))] == \
            ['access', 'before save', 'persist', 'loaded', 'after save']
        return
    assert run_logged(Model, log, lambda: Model.upsertWithWhere(
            {'name': 'a'}, {'name': 'a', 'extra': 'x'})) == [
        ('access', {'query': {'where': {'name': 'a'}}}),
        ('before save', {'where': {'name': 'a'}, 'data': {'name': 'a', 'extra': 'x'}}),
        ('persist', {'where': {'name': 'a'}, 'data': {'name': 'a', 'extra': 'x'},
                     'currentInstance': {'name': 'a', 'extra': 'x'}}),
        ('loaded', {'data': {'name': 'a', 'extra': 'x', 'id': 1}, 'isNewInstance': True}),
        ('after save', {'instance': {'name': 'a', 'extra': 'x', 'id': 1},
                        'isNewInstance': True}),
    ]
    assert run_logged(Model, log, lambda: Model.upsertWithWhere({'name': 'a'},
                                                                {'extra': 'y'}))[3:] == [
        ('loaded', {'data': {'name': 'a', 'extra': 'y', 'id': 1}, 'isNewInstance': False}),
        ('after save', {'instance': {'name': 'a', 'extra': 'y', 'id': 1},
                        'isNewInstance': False}),
    ]
