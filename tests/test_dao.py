"""PersistedModel CRUD (juggler's test/manipulation.test.js, basic-querying.test.js).

Every test runs against each connector through the ``ds`` fixture.
"""

import pytest

import loopback_compat as lb
from loopback_compat.errors import LoopBackError, ValidationError
from loopback_compat.testing import callback_outcome, rejection


def stored(ds, data, *unset):
    """What a read returns for a row with the properties ``unset`` never set:
    LB3's SQL connectors return every column (NULL as null), memory only
    what was stored."""
    if ds.isRelational():
        return dict(data, **{p: None for p in unset})
    return data


def supplier(ds, **settings):
    return ds.createModel('Supplier', {'name': 'string', 'age': 'number'}, settings)


# -- create -------------------------------------------------------------------

@pytest.mark.lb_fiber
def test_create_assigns_ids_from_1_and_persists(ds):
    Supplier = supplier(ds)
    a = lb.await_(Supplier.create({'name': 'a', 'age': '12'}))
    b = lb.await_(Supplier.create({'name': 'b'}))
    assert (a.id, b.id) == (1, 2)
    assert a.age == 12
    assert not a.isNewRecord()
    assert lb.await_(Supplier.count()) == 2
    assert a.toJSON() == {'id': 1, 'name': 'a', 'age': 12}


@pytest.mark.lb_fiber
def test_create_with_callback_is_async(ds):
    Supplier = supplier(ds)
    err, results, sync = callback_outcome(Supplier.create, {'name': 'a'})
    assert err is None and not sync
    assert isinstance(results[0], Supplier) and results[0].name == 'a'


@pytest.mark.lb_fiber
def test_create_without_data(ds):
    Supplier = supplier(ds)
    err, results, _ = callback_outcome(Supplier.create)
    assert err is None and results[0].id == 1
    assert lb.await_(Supplier.create()).id == 2


@pytest.mark.lb_fiber
def test_create_with_generated_id_rejects_explicit_id(ds):
    Supplier = supplier(ds)
    err = rejection(Supplier.create({'id': 5, 'name': 'b'}))
    assert isinstance(err, ValidationError)
    assert err.statusCode == 422
    assert err.message == ('The `Supplier` instance is not valid. '
                           "Details: `id` can't be set (value: 5).")
    assert err.details == {'context': 'Supplier', 'codes': {'id': ['absence']},
                           'messages': {'id': ["can't be set"]}}
    assert lb.await_(Supplier.count()) == 0


@pytest.mark.lb_fiber
def test_create_many(ds):
    Supplier = supplier(ds)
    err, results, _ = callback_outcome(Supplier.create, [{'name': 'a'}, {'name': 'b'}])
    assert err is None
    assert [s.name for s in results[0]] == ['a', 'b']
    assert [s.id for s in results[0]] == [1, 2]


@pytest.mark.lb_fiber
def test_create_many_reports_errors_by_position(ds):
    Supplier = ds.createModel('Supplier', {'name': {'type': 'string', 'required': True}})
    err, results, _ = callback_outcome(Supplier.create, [{'name': 'a'}, {}])
    assert err[0] is None and isinstance(err[1], ValidationError)
    assert results[0][0].id == 1


@pytest.mark.lb_fiber
def test_explicit_id_property_and_duplicate(ds):
    Item = ds.createModel('Item', {'id': {'type': 'number', 'id': True}, 'name': 'string'})
    assert lb.await_(Item.create({'id': 5})).id == 5
    assert lb.await_(Item.create({})).id == 6
    err = rejection(Item.create({'id': 5}))
    assert err.message == 'Duplicate entry for Item.id'
    assert err.statusCode == 409


@pytest.mark.lb_fiber
def test_string_id(ds):
    Code = ds.createModel('Code', {'code': {'type': 'string', 'id': True}, 'name': 'string'})
    c = lb.await_(Code.create({'code': 'x', 'name': 'y'}))
    assert c.code == 'x' and c.id == 'x'
    err = rejection(Code.create({'code': 'x'}))
    assert (err.message, err.statusCode) == ('Duplicate entry for Code.code', 409)
    found = lb.await_(Code.findById('x'))
    assert found.name == 'y'


@pytest.mark.lb_fiber
def test_create_required_property(ds):
    Thing = ds.createModel('Thing', {'name': {'type': 'string', 'required': True}})
    err = rejection(Thing.create({}))
    assert err.message == ("The `Thing` instance is not valid. "
                           "Details: `name` can't be blank (value: undefined).")
    assert err.details['codes'] == {'name': ['presence']}


@pytest.mark.lb_fiber
def test_create_strict_unknown_property(ds):
    Thing = ds.createModel('Thing', {'name': 'string'}, {'strict': True})
    err = rejection(Thing.create({'name': 'a', 'foo': 1}))
    assert err.message == ('The `Thing` instance is not valid. Details: '
                           '`foo` is not defined in the model (value: undefined).')
    assert err.details['codes'] == {'foo': ['unknown-property']}


@pytest.mark.lb_fiber
def test_create_unknown_property_follows_the_strict_default(ds):
    # juggler (DataSource.define): a model on a relational data source is strict
    # unless it says otherwise, so an undeclared property fails validation there;
    # elsewhere models are not strict and the instance keeps it.
    Thing = ds.createModel('Thing', {'name': 'string'})
    if ds.isRelational():
        err = rejection(Thing.create({'name': 'a', 'extra': 1}))
        assert isinstance(err, ValidationError) and err.statusCode == 422
        assert err.message == ('The `Thing` instance is not valid. Details: '
                               '`extra` is not defined in the model (value: undefined).')
        assert lb.await_(Thing.count()) == 0
    else:
        t = lb.await_(Thing.create({'name': 'a', 'extra': 1}))
        assert t.extra == 1 and t.toJSON() == {'id': 1, 'name': 'a', 'extra': 1}
        # whether storage keeps undeclared properties is the connector's business
        # (memory does: see tests/connectors/test_memory.py)
    assert Thing.settings.get('strict', False) is ds.isRelational()


@pytest.mark.lb_fiber
def test_strict_false_on_a_relational_source_becomes_throw(ds):
    # juggler turns an explicit strict: false into 'throw' on relational data
    # sources, which juggler 3 treats like strict: true
    Thing = ds.createModel('Thing', {'name': 'string'}, {'strict': False})
    assert Thing.settings.get('strict', False) == ('throw' if ds.isRelational() else False)
    if ds.isRelational():
        err = rejection(Thing.create({'name': 'a', 'extra': 1}))
        assert (err.statusCode, err.details['codes']) == (422, {'extra': ['unknown-property']})
    else:
        created = lb.await_(Thing.create({'name': 'a', 'extra': 1}))
        assert created.toJSON() == {'name': 'a', 'extra': 1, 'id': 1}


@pytest.mark.lb_fiber
def test_strict_filter_drops_unknown_properties_everywhere(ds):
    Thing = ds.createModel('Thing', {'name': 'string'}, {'strict': 'filter'})
    t = lb.await_(Thing.create({'name': 'a', 'extra': 1}))
    assert t.toJSON() == {'name': 'a', 'id': 1}
    assert lb.await_(Thing.findById(t.id)).toJSON() == {'name': 'a', 'id': 1}


@pytest.mark.lb_fiber
def test_validate_false_option_skips_validation(ds):
    Thing = ds.createModel('Thing', {'name': {'type': 'string', 'required': True}})
    t = lb.await_(Thing.create({}, {'validate': False}))
    assert t.id == 1


# -- find ---------------------------------------------------------------------

def seed(Supplier, names=('a', 'b', 'c')):
    return lb.await_(Supplier.create([{'name': n, 'age': i * 10}
                                      for i, n in enumerate(names, 1)]))


@pytest.mark.lb_fiber
def test_find_all_in_id_order(ds):
    Supplier = supplier(ds)
    seed(Supplier, ('c', 'a', 'b'))
    assert [s.name for s in lb.await_(Supplier.find())] == ['c', 'a', 'b']


@pytest.mark.lb_fiber
def test_find_with_where_order_limit_skip(ds):
    Supplier = supplier(ds)
    seed(Supplier, ('a', 'b', 'c', 'd'))
    found = lb.await_(Supplier.find({'where': {'age': {'gt': 10}},
                                     'order': 'name DESC', 'limit': 2, 'skip': 1}))
    assert [s.name for s in found] == ['c', 'b']


@pytest.mark.lb_fiber
def test_find_with_callback(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    err, results, sync = callback_outcome(Supplier.find, {'where': {'name': 'b'}})
    assert err is None and not sync
    assert [s.age for s in results[0]] == [20]


@pytest.mark.lb_fiber
def test_find_instances_are_persisted_copies(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    s = lb.await_(Supplier.findById(1))
    assert not s.isNewRecord()
    s.name = 'changed'
    assert lb.await_(Supplier.findById(1)).name == 'a'


@pytest.mark.lb_fiber
def test_find_bad_filter_is_400_through_callback(ds):
    Supplier = supplier(ds)
    err, _, sync = callback_outcome(Supplier.find, {'limit': 'x'})
    assert not sync
    assert (err.message, err.statusCode) == ('The limit parameter "x" is not valid', 400)
    err = rejection(Supplier.find({'order': 5}))
    assert (err.message, err.statusCode) == ('The order 5 is not valid', 400)


@pytest.mark.lb_fiber
def test_find_one(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    assert lb.await_(Supplier.findOne({'where': {'age': {'gte': 20}}})).name == 'b'
    assert lb.await_(Supplier.findOne({'where': {'name': 'zz'}})) is None


@pytest.mark.lb_fiber
def test_find_by_id(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    assert lb.await_(Supplier.findById(2)).name == 'b'
    assert lb.await_(Supplier.findById('2')).name == 'b'
    assert lb.await_(Supplier.findById(99)) is None
    s = lb.await_(Supplier.findById(2, {'fields': ['name']}))
    assert s.toJSON() == {'name': 'b'}


@pytest.mark.lb_fiber
def test_find_by_id_requires_id(ds):
    Supplier = supplier(ds)
    err = rejection(Supplier.findById(None))
    assert err.message == 'Model::findById requires the id argument'
    assert err.statusCode is None


@pytest.mark.lb_fiber
def test_find_by_ids_keeps_id_order(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    assert [s.name for s in lb.await_(Supplier.findByIds([3, 1]))] == ['c', 'a']
    # an id given twice: its row once, at its first place (juggler's sortObjectsByIds)
    assert [s.name for s in lb.await_(Supplier.findByIds([3, 1, 3]))] == ['c', 'a']


@pytest.mark.lb_fiber
def test_exists(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    assert lb.await_(Supplier.exists(1)) is True
    assert lb.await_(Supplier.exists(42)) is False
    err = rejection(Supplier.exists(None))
    assert err.message == 'Model::exists requires the id argument'


@pytest.mark.lb_fiber
def test_count_with_where(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    assert lb.await_(Supplier.count({'age': {'lt': 25}})) == 2
    err, results, _ = callback_outcome(Supplier.count, {'name': 'c'})
    assert results == (1,)


@pytest.mark.lb_fiber
def test_include_of_undefined_relation(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    err = rejection(Supplier.find({'include': 'foo'}))
    assert err.message == 'Relation "foo" is not defined for Supplier model'


# -- findOrCreate -------------------------------------------------------------

@pytest.mark.lb_fiber
def test_find_or_create_promise_gives_instance_and_created(ds):
    Supplier = supplier(ds)
    inst, created = lb.await_(Supplier.findOrCreate({'where': {'name': 'z'}}, {'name': 'z'}))
    assert created is True and inst.id == 1
    again, created = lb.await_(Supplier.findOrCreate({'where': {'name': 'z'}},
                                                     {'name': 'z'}))
    assert created is False and again.id == 1
    assert lb.await_(Supplier.count()) == 1


@pytest.mark.lb_fiber
def test_find_or_create_callback_gets_two_results(ds):
    Supplier = supplier(ds)
    err, results, sync = callback_outcome(
        Supplier.findOrCreate, {'where': {'name': 'z'}}, {'name': 'z'})
    assert err is None and not sync
    assert results[0].name == 'z' and results[1] is True


@pytest.mark.lb_fiber
def test_find_or_create_from_data_only(ds):
    Supplier = supplier(ds)
    inst, created = lb.await_(Supplier.findOrCreate({'name': 'q'}))
    assert created and inst.name == 'q'
    err, results, _ = callback_outcome(Supplier.findOrCreate, {'name': 'q'})
    assert results[0].id == inst.id and results[1] is False


@pytest.mark.lb_fiber
def test_find_or_create_is_atomic(ds):
    Supplier = supplier(ds)
    promises = [Supplier.findOrCreate({'where': {'name': 'x'}}, {'name': 'x'})
                for _ in range(5)]
    results = lb.await_(lb.Promise.all(promises))
    assert sum(1 for _, created in results if created) == 1
    assert {inst.id for inst, _ in results} == {1}
    assert lb.await_(Supplier.count()) == 1


# -- update -------------------------------------------------------------------

@pytest.mark.lb_fiber
def test_update_attributes(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    s = lb.await_(Supplier.findById(1))
    same = lb.await_(s.updateAttributes({'name': 'new', 'age': '7'}))
    assert same is s and s.age == 7
    assert lb.await_(Supplier.findById(1)).toJSON() == {'id': 1, 'name': 'new', 'age': 7}


@pytest.mark.lb_fiber
def test_update_attribute(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    s = lb.await_(Supplier.findById(1))
    err, results, _ = callback_outcome(s.updateAttribute, 'name', 'x')
    assert err is None and results[0].name == 'x'
    assert lb.await_(Supplier.findById(1)).name == 'x'


@pytest.mark.lb_fiber
def test_update_attributes_cannot_change_id(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    s = lb.await_(Supplier.findById(1))
    err = rejection(s.updateAttributes({'id': 99}))
    assert err.message == 'id cannot be updated from 1 to 99 when forceId is set to true'
    assert err.statusCode == 400


@pytest.mark.lb_fiber
def test_update_attributes_of_deleted_row_is_404(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    s = lb.await_(Supplier.findById(1))
    lb.await_(Supplier.destroyById(1))
    err = rejection(s.updateAttributes({'name': 'x'}))
    assert err.message == 'Could not update attributes. Object with id 1 does not exist!'
    assert err.statusCode == 404


@pytest.mark.lb_fiber
def test_save_new_and_existing(ds):
    Supplier = supplier(ds)
    s = Supplier({'name': 'a'})
    assert s.isNewRecord()
    lb.await_(s.save())
    assert s.id == 1 and not s.isNewRecord()
    s.name = 'b'
    err, results, _ = callback_outcome(s.save)
    assert results[0] is s
    assert lb.await_(Supplier.findById(1)).name == 'b'
    assert lb.await_(Supplier.count()) == 1


@pytest.mark.lb_fiber
def test_update_all(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    info = lb.await_(Supplier.updateAll({'age': {'gt': 10}}, {'name': 'old'}))
    assert info == {'count': 2}
    names = [s.name for s in lb.await_(Supplier.find())]
    assert names == ['a', 'old', 'old']
    assert lb.await_(Supplier.update({'name': 'zz'})) == {'count': 3}


@pytest.mark.lb_fiber
def test_upsert_creates_then_updates(ds):
    Item = ds.createModel('Item', {'id': {'type': 'number', 'id': True}, 'name': 'string'})
    a = lb.await_(Item.upsert({'id': 3, 'name': 'a'}))
    assert a.id == 3
    b = lb.await_(Item.updateOrCreate({'id': 3, 'name': 'b'}))
    assert b.name == 'b'
    assert lb.await_(Item.count()) == 1
    c = lb.await_(Item.upsert({'name': 'c'}))
    assert c.id == 4


@pytest.mark.lb_fiber
def test_upsert_with_forced_id_missing_is_404(ds):
    Supplier = supplier(ds)
    err = rejection(Supplier.upsert({'id': 999, 'name': 'q'}))
    assert err.message == 'Could not update attributes. Object with id 999 does not exist!'
    assert err.statusCode == 404
    seed(Supplier)
    s = lb.await_(Supplier.upsert({'id': 1, 'name': 'q'}))
    assert s.name == 'q' and s.age == 10


@pytest.mark.lb_fiber
def test_replace_by_id_and_missing(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    s = lb.await_(Supplier.replaceById(1, {'name': 'r'}))
    assert s.toJSON() == {'id': 1, 'name': 'r'}
    assert lb.await_(Supplier.findById(1)).toJSON() == stored(ds, {'id': 1, 'name': 'r'}, 'age')
    err = rejection(Supplier.replaceById(999, {'name': 'q'}))
    assert err.message == 'Could not replace. Object with id 999 does not exist!'
    assert err.statusCode == 404


@pytest.mark.lb_fiber
def test_replace_or_create(ds):
    Item = ds.createModel('Item', {'id': {'type': 'number', 'id': True},
                                   'name': 'string', 'n': 'number'})
    lb.await_(Item.replaceOrCreate({'id': 1, 'name': 'a', 'n': 1}))
    lb.await_(Item.replaceOrCreate({'id': 1, 'name': 'b'}))
    assert lb.await_(Item.findById(1)).toJSON() == stored(ds, {'id': 1, 'name': 'b'}, 'n')


@pytest.mark.lb_fiber
def test_replace_attributes(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    s = lb.await_(Supplier.findById(2))
    lb.await_(s.replaceAttributes({'name': 'only'}))
    assert lb.await_(Supplier.findById(2)).toJSON() == \
        stored(ds, {'id': 2, 'name': 'only'}, 'age')


@pytest.mark.lb_fiber
def test_order_on_an_unknown_property(ds):
    # juggler passes the name to the connector: memory and LB3's SQLite connector
    # ignore it, LB3's PostgreSQL connector fails with the database's error
    Supplier = supplier(ds)
    seed(Supplier)
    found = Supplier.find({'order': 'nope DESC'})
    if ds.connector.name == 'postgresql':
        err = rejection(found)
        assert (err.message, err.code, err.statusCode) == \
            ('column "nope" does not exist', '42703', None)
    else:
        assert [s.name for s in lb.await_(found)] == ['a', 'b', 'c']


# -- delete -------------------------------------------------------------------

@pytest.mark.lb_fiber
def test_destroy_instance(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    s = lb.await_(Supplier.findById(1))
    assert lb.await_(s.destroy()) == {'count': 1}
    assert lb.await_(s.delete()) == {'count': 0}
    assert lb.await_(Supplier.count()) == 2


@pytest.mark.lb_fiber
def test_destroy_all_and_by_id(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    assert lb.await_(Supplier.destroyById(2)) == {'count': 1}
    assert lb.await_(Supplier.deleteById(2)) == {'count': 0}
    assert lb.await_(Supplier.destroyAll({'name': 'a'})) == {'count': 1}
    assert lb.await_(Supplier.deleteAll()) == {'count': 1}
    assert lb.await_(Supplier.count()) == 0


@pytest.mark.lb_fiber
def test_strict_delete(ds):
    Supplier = supplier(ds, strictDelete=True)
    err = rejection(Supplier.destroyById(7))
    assert (err.message, err.statusCode, err.code) == \
        ('No instance with id 7 found for Supplier', 404, 'NOT_FOUND')


@pytest.mark.lb_fiber
def test_reload(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    s = lb.await_(Supplier.findById(1))
    lb.await_(Supplier.updateAll({'id': 1}, {'name': 'fresh'}))
    fresh = lb.await_(s.reload())
    assert fresh.name == 'fresh' and s.name == 'a'


def test_non_callable_callback_raises_type_error(ds):
    Supplier = supplier(ds)
    with pytest.raises(LoopBackError):
        Supplier.find({}, {}, 'not a function')


@pytest.mark.lb_fiber
def test_aliases(ds):
    Supplier = supplier(ds)
    assert Supplier.updateOrCreate == Supplier.upsert == Supplier.patchOrCreate
    assert Supplier.deleteById == Supplier.destroyById == Supplier.removeById
    assert Supplier.deleteAll == Supplier.destroyAll
    assert Supplier.update == Supplier.updateAll
    assert Supplier.all == Supplier.find
    seed(Supplier)
    s = lb.await_(Supplier.findById(1))
    assert lb.await_(s.remove()) == {'count': 1}
    assert lb.await_(Supplier.remove({'name': 'b'})) == {'count': 1}
    t = lb.await_(Supplier.findById(3))
    lb.await_(t.patchAttributes({'age': 1}))
    assert [x.toJSON() for x in lb.await_(Supplier.find())] == [{'id': 3, 'name': 'c', 'age': 1}]


@pytest.mark.lb_fiber
def test_options_as_keyword_arguments(ds):
    Thing = ds.createModel('Thing', {'name': {'type': 'string', 'required': True}})
    assert lb.await_(Thing.create({}, validate=False)).id == 1


@pytest.mark.lb_fiber
def test_model_without_data_source_errors_through_callback():
    from loopback_compat.model import build_model_class
    Loose = build_model_class('Loose', {'name': 'string'}, {}, lb.PersistedModel)
    err = rejection(Loose.create({'name': 'x'}))
    assert isinstance(err, LoopBackError)
    assert err.message == 'Model Loose is not attached to a data source'


@pytest.mark.lb_fiber
def test_upsert_with_where(ds):
    Thing = ds.createModel('Thing', {'name': 'string', 'n': 'number'})
    a = lb.await_(Thing.upsertWithWhere({'name': 'a'}, {'name': 'a', 'n': '1'}))
    assert a.toJSON() == {'name': 'a', 'n': 1, 'id': 1}
    b = lb.await_(Thing.patchOrCreateWithWhere({'name': 'a'}, {'n': 2}))
    assert b.toJSON() == {'name': 'a', 'n': 2, 'id': 1}
    lb.await_(Thing.create({'name': 'a'}))
    err = rejection(Thing.upsertWithWhere({'name': 'a'}, {'n': 3}))
    assert (err.message, err.statusCode) == (
        'There are multiple instances found.Upsert Operation will not be performed!', 400)
    err = rejection(Thing.upsertWithWhere({'name': 'a'}, {}))
    assert (err.message, err.statusCode) == ('data object cannot be empty!', 400)


@pytest.mark.parametrize('method', ['updateAll', 'upsertWithWhere'])
@pytest.mark.parametrize('where, data, message', [
    ('x', {'name': 'a'}, 'The where argument must be an object'),
    ({'name': 'a'}, 'x', 'The data argument must be an object'),
])
@pytest.mark.lb_fiber
def test_where_writes_assert_their_arguments_through_the_callback(ds, method, where, data,
                                                                  message):
    # juggler: assert(typeof where === 'object', ...) inside the promise
    # callback's reach, so Node's AssertionError (code ERR_ASSERTION) reaches cb
    Thing = ds.createModel('Thing', {'name': 'string'})
    lb.await_(Thing.create({'name': 'a'}))
    err, results, synchronous = callback_outcome(getattr(Thing, method), where, data)
    assert (err.name, err.code, err.message) == ('AssertionError', 'ERR_ASSERTION', message)
    assert results == () and not synchronous
    assert [t.toJSON() for t in lb.await_(Thing.find())] == [{'name': 'a', 'id': 1}]


@pytest.mark.parametrize('method, args, message', [
    ('updateOrCreate', ('x',), 'The data argument must be an object'),
    ('updateOrCreate', ({'name': 'b'}, 'x'), 'The options argument must be an object'),
    ('replaceOrCreate', ('x',), 'The data argument must be an object'),
    ('replaceById', (1, 'x'), 'The data argument must be an object'),
    ('findByIds', ('x',), 'The ids argument must be an array'),
])
@pytest.mark.lb_fiber
def test_argument_assertions_carry_node_assert_code(ds, method, args, message):
    # juggler throws these from Node's assert (code ERR_ASSERTION); here they
    # reach the callback, as every bad argument does (DESIGN.md), same shape
    Thing = ds.createModel('Thing', {'name': 'string'})
    lb.await_(Thing.create({'name': 'a'}))
    err = callback_outcome(getattr(Thing, method), *args).err
    assert (err.name, err.code, err.message) == ('AssertionError', 'ERR_ASSERTION', message)
    assert [t.toJSON() for t in lb.await_(Thing.find())] == [{'name': 'a', 'id': 1}]


@pytest.mark.lb_fiber
def test_options_that_are_not_a_dict_fail_through_the_callback(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    inst = lb.await_(Supplier.findById(1))
    for call_ in (lambda: Supplier.find({}, 'x'), lambda: Supplier.count({}, 5),
                  lambda: Supplier.findById(1, {}, 'x'), lambda: inst.save('x'),
                  lambda: Supplier.destroyAll({}, 7)):
        err = rejection(call_())
        assert err.message == 'The options argument must be an object'
    assert lb.await_(Supplier.count()) == 3


@pytest.mark.lb_fiber
def test_reload_with_callback(ds):
    Supplier = supplier(ds)
    seed(Supplier)
    inst = lb.await_(Supplier.findById(2))
    err, results, sync = callback_outcome(inst.reload)
    assert err is None and not sync and results[0].name == 'b'


def stub_user(ds):
    """juggler's manipulation.test.js StubUser: a password with a dynamic setter."""
    StubUser = ds.createModel('StubUser', {'password': str}, {'forceId': True})

    def hash_password(inst, plain):
        if len(plain) == 0:
            raise ValueError('password cannot be empty')
        head, sep, tail = plain.partition('-')
        if sep and head.upper() == tail:
            return
        inst['$password'] = plain + '-' + plain.upper()
    StubUser.setter['password'] = hash_password
    return StubUser


@pytest.mark.lb_fiber
def test_dynamic_setters_are_preserved(ds):
    StubUser = stub_user(ds)
    created = lb.await_(StubUser.create({'password': 'foo'}))
    assert created.password == 'foo-FOO'
    created.password = 'bar'
    saved = lb.await_(created.save())
    assert saved.id == created.id and saved.password == 'bar-BAR'
    assert lb.await_(StubUser.findById(created.id)).password == 'bar-BAR'
    lb.await_(saved.updateAttribute('password', 'baz'))
    assert lb.await_(StubUser.findById(created.id)).password == 'baz-BAZ'


@pytest.mark.lb_fiber
def test_setter_error_rejects_create(ds):
    StubUser = stub_user(ds)
    err = rejection(StubUser.create({'password': ''}))
    assert isinstance(err, ValueError) and str(err) == 'password cannot be empty'
    assert lb.await_(StubUser.count()) == 0


@pytest.mark.lb_fiber
def test_undefined_values_are_ignored(ds):
    Person = ds.createModel('Person', {'name': str, 'gender': str})
    created = lb.await_(Person.create({'name': 'a', 'gender': lb.undefined}))
    assert created.toObject() == {'id': 1, 'name': 'a'}
    lb.await_(created.updateAttributes({'name': 'b', 'gender': lb.undefined}))
    found = lb.await_(Person.findById(1))
    assert found.name == 'b' and found.gender is None


# -- shortcuts taken when nothing observes an operation -------------------------

@pytest.mark.lb_fiber
def test_found_instances_do_not_share_data_with_the_store(ds):
    """Loaded rows become instance data without a second copy: changing an
    unsaved instance must still leave the stored row and other finds alone."""
    Supplier = supplier(ds)
    lb.await_(Supplier.create({'name': 'a'}))
    first = lb.await_(Supplier.find())[0]
    first.name = 'changed'
    first._data['extra'] = 1
    again = lb.await_(Supplier.find())[0]
    assert (again.name, 'extra' in again._data, first._data is again._data) == ('a', False, False)


def _traced_save_model(ds, name, settings, observed):
    """A model whose 'name' setter records each value it gets (and upper-cases
    it), with, when ``observed``, an observer on each save hook recording its
    name: ``(Model, setter calls, hooks seen)``."""
    Model = ds.createModel(name, {'name': 'string', 'n': 'number'}, settings)
    calls = []

    def set_name(inst, value):
        calls.append(value)
        inst['$name'] = value.upper()
    Model.setter['name'] = set_name
    seen = []
    if observed:
        for op in ('before save', 'persist', 'loaded', 'after save'):
            Model.observe(op, lambda ctx, next_, op=op: (seen.append(op), next_()))
    return Model, calls, seen


@pytest.mark.parametrize('update_on_load', [False, True])
@pytest.mark.parametrize('observed', [False, True])
def test_create_runs_the_same_steps_observed_or_not(ds, observed, update_on_load):
    """create calls the next step directly when none of its hooks is
    observed: setters run as often, updateOnLoad applies, results agree."""
    Model, calls, seen = _traced_save_model(ds, 'Made', {'updateOnLoad': update_on_load},
                                            observed)

    def main():
        made = lb.await_(Model.create({'name': 'a', 'n': '1'}))
        quiet = lb.await_(Model.create({'name': 'q'}, {'notify': False}))
        stored = lb.await_(Model.findById(made.id))
        return made.toObject(), made._persisted, quiet.id, stored.toObject()
    made, persisted, quiet_id, stored = lb.run(main)
    assert made == stored == {'id': 1, 'name': 'A', 'n': 1}
    assert persisted is True and quiet_id == 2
    # at construction, then at updateOnLoad; 'q' likewise
    assert calls == (['a', 'A', 'q', 'Q'] if update_on_load else ['a', 'q'])
    hooks = ['before save', 'persist', 'loaded', 'after save']
    # notify: False leaves out 'after save' only; findById's own 'loaded' last
    assert seen == (hooks + hooks[:3] + ['loaded'] if observed else [])


@pytest.mark.parametrize('observed', [False, True])
def test_update_attributes_runs_the_same_steps_observed_or_not(ds, observed):
    """updateAttributes calls the next step directly when none of its hooks
    is observed: setters run as often, updateOnLoad applies, results agree."""
    Model, calls, seen = _traced_save_model(ds, 'Upd', {'updateOnLoad': True}, observed)

    def main():
        inst = lb.await_(Model.create({'name': 'a', 'n': 1}))
        calls.clear()
        seen.clear()
        updated = lb.await_(inst.updateAttributes({'name': 'b', 'n': '2'}))
        ops = list(seen)
        stored = lb.await_(Model.findById(inst.id))
        return updated is inst, updated.toObject(), stored.toObject(), ops
    same, updated, stored, seen = lb.run(main)
    assert same is True
    assert updated == stored == {'id': 1, 'name': 'B', 'n': 2}
    assert calls == ['b', 'b', 'B']   # before validation, at save, updateOnLoad
    assert seen == (['before save', 'persist', 'loaded', 'after save'] if observed else [])


# -- hostile ids and data (deliberate fixes, docs/differences.md) ----------------

@pytest.mark.parametrize('bad_id', [{'gt': 0}, {'neq': None}, {'inq': [1, 2]}, [1], (1,)])
@pytest.mark.lb_fiber
def test_non_scalar_id_is_a_400_and_touches_nothing(ds, bad_id):
    # juggler puts the id into {where: {id: value}}, so {gt: 0} deleted every row
    Supplier = supplier(ds)
    seed(Supplier)
    calls = [lambda: Supplier.findById(bad_id), lambda: Supplier.exists(bad_id),
             lambda: Supplier.destroyById(bad_id), lambda: Supplier.deleteById(bad_id),
             lambda: Supplier.replaceById(bad_id, {'name': 'x'}),
             lambda: Supplier.findByIds([1, bad_id]),
             lambda: Supplier.upsert({'id': bad_id, 'name': 'x'}),
             lambda: Supplier.replaceOrCreate({'id': bad_id, 'name': 'x'})]
    for fn in calls:
        err = rejection(fn())
        assert (err.statusCode, err.code) == (400, 'INVALID_ID'), err
        assert 'an id must be a string or a number' in err.message
    rows = lb.await_(Supplier.find({'order': 'id'}))
    assert [(r.id, r.name) for r in rows] == [(1, 'a'), (2, 'b'), (3, 'c')]


@pytest.mark.lb_fiber
def test_data_past_max_depth_of_data_is_refused_on_every_write(ds):
    # juggler's _sanitizeData: maxDepthOfData, default 64, as a method option or setting
    Supplier = ds.createModel('Supplier', {'name': 'string', 'meta': 'object'})

    def nested(depth):
        value = 1
        for _ in range(depth):
            value = {'a': value}
        return value

    lb.await_(ds.automigrate())
    ok = lb.await_(Supplier.create({'name': 'ok', 'meta': nested(63)}))
    deep = {'name': 'deep', 'meta': nested(64)}
    writes = [lambda: Supplier.create(deep), lambda: Supplier.upsert(dict(deep, id=ok.id)),
              lambda: Supplier.replaceById(ok.id, deep),
              lambda: Supplier.replaceOrCreate(dict(deep, id=ok.id)),
              lambda: Supplier.updateAll({'id': ok.id}, deep),
              lambda: Supplier.findOrCreate({'where': {'name': 'deep'}}, deep),
              lambda: Supplier.upsertWithWhere({'id': ok.id}, deep),
              lambda: ok.updateAttributes(deep),
              lambda: Supplier.create({'name': 'x', 'meta': nested(10)},
                                      {'maxDepthOfData': 8})]
    for fn in writes:
        err = rejection(fn())
        assert (err.statusCode, err.code) == (400, 'QUERY_OBJECT_TOO_DEEP'), err
        assert err.message.startswith('The query object exceeds maximum depth ')
    stored = lb.await_(Supplier.find())
    assert [(s.name, s.meta == nested(63)) for s in stored] == [('ok', True)]
