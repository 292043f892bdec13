"""juggler's ``assert(typeof x === 'object', 'The x argument must be an object')``
on the query, filter, where, data and options arguments, on every connector.

juggler throws these synchronously; here they reach the callback (or reject
the promise) as an AssertionError_ (code ERR_ASSERTION, no statusCode), and
nothing is read or written (docs/differences.md).  A function alone in the
place of upsertWithWhere's where or data, or of replaceById's data, is the
callback that gets the error.  What passes juggler's check passes here: any
JavaScript object, so a model instance or a list as options.
"""

import os
import sys
from urllib.parse import quote

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome, rejection

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rest'))
from live import LiveApp  # noqa: E402


def things(ds):
    Thing = ds.createModel('Thing', {'name': 'string'})
    lb.await_(ds.automigrate('Thing'))
    lb.await_(Thing.create({'name': 'a'}))
    return Thing


def names(Thing):
    return [t.name for t in lb.await_(Thing.find({'order': 'id ASC'}))]


def assertion(err, message):
    assert (err.name, err.code, err.message, err.statusCode) == \
        ('AssertionError', 'ERR_ASSERTION', message, None)


@pytest.mark.parametrize('call, message', [
    (lambda T, cb: T.find('invalid query', cb), 'The query argument must be an object'),
    (lambda T, cb: T.find(5, cb), 'The query argument must be an object'),
    (lambda T, cb: T.find(True, cb), 'The query argument must be an object'),
    (lambda T, cb: T.find('', cb), 'The query argument must be an object'),
    (lambda T, cb: T.findOne('x', cb), 'The query argument must be an object'),
    (lambda T, cb: T.findById(1, '123', cb), 'The filter argument must be an object'),
    (lambda T, cb: T.findById(1, 7, {}, cb), 'The filter argument must be an object'),
    (lambda T, cb: T.findByIds([1], 'x', cb), 'The query argument must be an object'),
    (lambda T, cb: T.count('x', cb), 'The where argument must be an object'),
    (lambda T, cb: T.destroyAll('x', cb), 'The where argument must be an object'),
    (lambda T, cb: T.findOrCreate('x', {'name': 'b'}, cb), 'The query argument must be an object'),
    (lambda T, cb: T.upsertWithWhere(cb), 'The where argument must be an object'),
    (lambda T, cb: T.upsertWithWhere({'name': 'a'}, cb), 'The data argument must be an object'),
    (lambda T, cb: T.replaceById(1, cb), 'The data argument must be an object'),
])
@pytest.mark.lb_fiber
def test_non_object_arguments_are_juggler_assertions_through_the_callback(ds, call, message):
    Thing = things(ds)
    err, results, sync = callback_outcome(lambda cb: call(Thing, cb))
    assertion(err, message)
    assert results == () and not sync
    assert names(Thing) == ['a']


@pytest.mark.lb_fiber
def test_without_a_callback_the_promise_rejects(ds):
    Thing = things(ds)
    assertion(rejection(Thing.find('invalid query')), 'The query argument must be an object')
    assertion(rejection(Thing.findById(1, '123')), 'The filter argument must be an object')
    assertion(rejection(Thing.upsertWithWhere({'name': 'a'})),
              'The data argument must be an object')
    assert names(Thing) == ['a']


@pytest.mark.lb_fiber
def test_a_filter_as_a_json_object_string_still_works(ds):
    # the port's addition (docs/models.md): a filter as a query string carries it
    Thing = things(ds)
    lb.await_(Thing.create({'name': 'b'}))
    assert [t.name for t in lb.await_(Thing.find('{"where": {"name": "b"}}'))] == ['b']
    assert lb.await_(Thing.findOne(' {"order": "name DESC"} ')).name == 'b'
    assert lb.await_(Thing.findById(1, '{"fields": ["name"]}')).toJSON() == {'name': 'a'}
    assert lb.await_(Thing.count('{"name": "a"}')) == 1
    assert rejection(Thing.find('{"where":}')).message == \
        'Cannot parse JSON-encoded object value.'


@pytest.mark.lb_fiber
def test_upsert_with_where_still_takes_where_data_and_callback(ds):
    Thing = things(ds)
    err, (saved,), _ = callback_outcome(Thing.upsertWithWhere, {'name': 'a'}, {'name': 'z'})
    assert err is None and saved.name == 'z'
    err, (saved,), _ = callback_outcome(Thing.upsertWithWhere, {'name': 'q'}, {'name': 'q'}, {})
    assert err is None and saved.name == 'q'
    assert names(Thing) == ['z', 'q']


@pytest.mark.lb_fiber
def test_save_takes_a_model_instance_or_a_list_as_options(ds):
    # juggler: assert(typeof options === 'object'): any object passes
    Thing = things(ds)
    inst = lb.await_(Thing.findById(1))
    inst.name = 'b'
    err, (saved,), _ = callback_outcome(inst.save, inst)
    assert err is None and saved is inst
    assert inst.toJSON() == {'name': 'b', 'id': 1}   # the options' writes stay off it
    inst.name = 'c'
    assert lb.await_(inst.save([])) is inst
    new = Thing({'name': 'n'})
    assert lb.await_(new.save(new)).id == 2
    assert lb.await_(Thing.find({}, inst)) and lb.await_(Thing.count({}, []))== 2
    assert names(Thing) == ['c', 'n']
    for bad in ('x', 5, True):
        assertion(rejection(inst.save(bad)), 'The options argument must be an object')


def test_rest_filters_that_are_not_objects_keep_lb3s_answers(ds):
    settings = dict(ds.settings)

    def setup(app, done):
        source = app.dataSource('db', settings)
        app.model(source.createModel('Thing', {'name': 'string'}), dataSource='db')
        source.automigrate('Thing', lambda err=None: done(err))
    live = LiveApp(setup).start()
    try:
        assert live.json('POST', '/api/Things', {'name': 'a'})[0] == 200
        not_object = {'error': {'statusCode': 400, 'name': 'Error',
                                'message': 'Value is not an object.'}}
        for path in ('/api/Things?filter=invalid', '/api/Things?filter=' + quote('"invalid"'),
                     '/api/Things/1?filter=123', '/api/Things/findOne?filter=5',
                     '/api/Things/count?where=x', '/api/Things/update?where=x'):
            method = 'POST' if 'update' in path else 'GET'
            assert live.json(method, path, {'name': 'z'} if method == 'POST' else None) == \
                (400, not_object), path
        assert live.json('GET', '/api/Things?filter=' + quote('{"where":{"name":"a"}}')) == \
            (200, [{'name': 'a', 'id': 1}])
        assert live.rows('Thing') == [{'name': 'a', 'id': 1}]
    finally:
        live.stop()
