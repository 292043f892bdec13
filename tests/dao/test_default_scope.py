"""The default scope (the ``scope`` model setting) on every read and write.

# LoopBack: DataAccessObject.applyScope / applyProperties (juggler 3.x lib/dao.js)

Every test runs on each connector through the ``ds`` fixture.  The models
follow juggler's default-scope.test.js: ``Product`` (scope: order by name),
and ``Tool`` (scope: ``kind = 'tool'``, order by name) stored in Product's
table, so rows outside Tool's scope (widgets) sit beside its own.  What
juggler 3.36.1 answers for these calls was checked under Node 20.
"""

import pytest

import loopback_compat as lb
from loopback_compat.errors import LoopBackError
from loopback_compat.model import loading
from loopback_compat.testing import callback_outcome, rejection

pytestmark = pytest.mark.lb_fiber

SHARED_TABLE = {'memory': {'collection': 'Product'}, 'sqlite3': {'table': 'Product'},
                'postgresql': {'table': 'product'}}
PROPERTIES = {'name': 'string', 'kind': 'string', 'rank': 'number',
              'active': {'type': 'boolean', 'default': True}}


def shop(ds, tool_settings=None, seed=True):
    """Product, and Tool (Product's rows of kind 'tool'); seeded with two tools
    and two widgets.  Returns (Product, Tool, ids by name)."""
    Product = ds.define('Product', dict(PROPERTIES), {'scope': {'order': 'name'}})
    settings = {'base': 'Product', 'scope': {'where': {'kind': 'tool'}, 'order': 'name'}}
    settings.update(SHARED_TABLE)
    settings.update(tool_settings or {})
    Tool = ds.define('Tool', Product.definition.properties, settings)
    lb.await_(ds.automigrate())
    return Product, Tool, (reseed(Product) if seed else {})


def reseed(Product):
    """Empty the table, then two tools and two widgets; their ids by name."""
    lb.await_(Product.destroyAll())
    ids = {}
    for name, kind in (('saw', 'tool'), ('gear', 'widget'), ('hammer', 'tool'),
                       ('bolt', 'widget')):
        ids[name] = lb.await_(Product.create({'name': name, 'kind': kind})).id
    return ids


def names(instances):
    return [i.name for i in instances]


def stored(Product):
    """Every row, as (name, kind, rank), by name."""
    return [(p.name, p.kind, p.rank) for p in lb.await_(Product.find({'order': 'name'}))]


# -- reads --------------------------------------------------------------------

def test_find_is_narrowed_and_ordered_by_the_scope(ds):
    Product, Tool, _ = shop(ds)
    assert names(lb.await_(Product.find())) == ['bolt', 'gear', 'hammer', 'saw']
    assert names(lb.await_(Tool.find())) == ['hammer', 'saw']
    assert names(lb.await_(Tool.find({'order': 'name DESC'}))) == ['saw', 'hammer']
    assert lb.await_(Tool.find({'where': {'kind': 'widget'}})) == []
    # a client's where is ANDed with the scope's: an `or` cannot widen it
    escape = {'where': {'or': [{'kind': 'widget'}, {'name': 'gear'}, {'name': 'saw'}]}}
    assert names(lb.await_(Tool.find(escape))) == ['saw']


def test_find_one_find_by_id_and_find_by_ids_are_narrowed(ds):
    _, Tool, ids = shop(ds)
    assert lb.await_(Tool.findOne({'where': {'name': 'gear'}})) is None
    assert lb.await_(Tool.findOne()).name == 'hammer'   # the scope's order
    assert lb.await_(Tool.findById(ids['gear'])) is None
    assert lb.await_(Tool.findById(ids['saw'])).name == 'saw'
    assert names(lb.await_(Tool.findByIds([ids['gear'], ids['saw']]))) == ['saw']
    assert lb.await_(Tool.findById(ids['saw'])).reload  # an instance of Tool
    assert names([lb.await_(lb.await_(Tool.findById(ids['saw'])).reload())]) == ['saw']


def test_exists_and_count_are_narrowed(ds):
    Product, Tool, ids = shop(ds)
    assert lb.await_(Tool.exists(ids['saw'])) is True
    assert lb.await_(Tool.exists(ids['gear'])) is False
    assert lb.await_(Product.exists(ids['gear'])) is True
    assert lb.await_(Tool.count()) == 2
    assert lb.await_(Tool.count({'name': 'gear'})) == 0
    assert lb.await_(Tool.count({'or': [{'kind': 'widget'}, {'name': 'saw'}]})) == 1
    assert lb.await_(Product.count()) == 4


def test_the_access_hook_sees_the_scoped_query(ds):
    _, Tool, ids = shop(ds)
    seen = []

    def access(ctx, next):
        seen.append(ctx.query)
        next()
    Tool.observe('access', access)
    lb.await_(Tool.find({'where': {'name': 'saw'}}))
    lb.await_(Tool.count())
    lb.await_(Tool.destroyAll({'name': 'gear'}))
    assert seen[0]['where'] == {'and': [{'name': 'saw'}, {'kind': 'tool'}]}
    assert seen[0]['order'] == 'name'
    assert seen[1] == {'where': {'kind': 'tool'}}
    assert seen[2] == {'where': {'and': [{'name': 'gear'}, {'kind': 'tool'}]}}


def test_the_scope_s_fields_limit_and_where_values_are_coerced(ds):
    Product, Tool, _ = shop(ds, {'scope': {'where': {'kind': 'tool', 'active': 'true'},
                                           'fields': ['name'], 'limit': 1,
                                           'order': 'name DESC'}})
    found = lb.await_(Tool.find())
    assert [i.toJSON() for i in found] == [{'name': 'saw'}]
    # the scope's limit replaces the query's, as juggler's mergeQuery does
    assert names(lb.await_(Tool.find({'limit': 5}))) == ['saw']


# -- writes -------------------------------------------------------------------

def test_new_instances_and_set_attributes_take_the_scope_s_values(ds):
    _, Tool, _ = shop(ds, seed=False)
    data = {'name': 'x', 'kind': 'widget'}
    tool = Tool(data)
    assert tool.kind == 'tool'
    assert data == {'name': 'x', 'kind': 'widget'}   # the caller's dict is left alone
    update = {'kind': 'widget', 'rank': 2}
    tool.setAttributes(update)
    assert (tool.kind, tool.rank) == ('tool', 2)
    assert update == {'kind': 'tool', 'rank': 2}     # juggler writes them into the data
    tool.setAttribute('kind', 'other')               # juggler: not enforced
    assert tool.kind == 'other'


def test_create_save_and_update_attributes_enforce_the_scope_s_values(ds):
    Product, Tool, _ = shop(ds, seed=False)
    tool = lb.await_(Tool.create({'name': 'saw', 'kind': 'widget'}))
    assert tool.kind == 'tool'
    many = lb.await_(Tool.create([{'name': 'awl', 'kind': 'x'}, {'name': 'vise'}]))
    assert [t.kind for t in many] == ['tool', 'tool']
    tool.kind = 'widget'
    tool.rank = 3
    assert lb.await_(tool.save()).kind == 'tool'
    lb.await_(tool.updateAttributes({'kind': 'widget', 'rank': 4}))
    assert (tool.kind, tool.rank) == ('tool', 4)
    lb.await_(tool.updateAttribute('kind', 'widget'))
    assert tool.kind == 'tool'
    assert stored(Product) == [('awl', 'tool', None), ('saw', 'tool', 4), ('vise', 'tool', None)]


def test_upsert_goes_through_the_scope(ds):
    Product, Tool, ids = shop(ds)
    # forceId (a generated id): findById, narrowed by the scope, then updateAttributes
    err = rejection(Tool.upsert({'id': ids['gear'], 'rank': 1}))
    assert err.statusCode == 404
    assert 'Could not update attributes' in err.message
    done = lb.await_(Tool.upsert({'id': ids['saw'], 'rank': 2, 'kind': 'widget'}))
    assert (done.kind, done.rank) == ('tool', 2)
    assert lb.await_(Tool.upsert({'name': 'awl', 'kind': 'widget'})).kind == 'tool'
    assert ('gear', 'widget', None) in stored(Product)
    assert ('saw', 'tool', 2) in stored(Product)
    assert ('awl', 'tool', None) in stored(Product)


def test_upsert_without_force_id_enforces_the_scope_s_values(ds):
    Product, Tool, ids = shop(ds, {'forceId': False})
    done = lb.await_(Tool.upsert({'id': ids['saw'], 'name': 'saw', 'kind': 'widget'}))
    assert done.kind == 'tool'
    done = lb.await_(Tool.replaceOrCreate({'id': ids['hammer'], 'name': 'hammer',
                                           'kind': 'widget', 'rank': 7}))
    assert done.kind == 'tool'
    assert [row for row in stored(Product) if row[1] == 'tool'] == [
        ('hammer', 'tool', 7), ('saw', 'tool', None)]


def test_replace_by_id_enforces_values_without_narrowing_its_id(ds):
    # as juggler: replaceById replaces the row with that id, in the scope or not
    Product, Tool, ids = shop(ds)
    done = lb.await_(Tool.replaceById(ids['gear'], {'name': 'gear', 'kind': 'widget'}))
    assert done.kind == 'tool'
    assert ('gear', 'tool', None) in stored(Product)


def test_find_or_create_looks_in_the_scope_and_creates_in_it(ds):
    Product, Tool, _ = shop(ds)
    found, created = lb.await_(Tool.findOrCreate({'where': {'name': 'gear'}},
                                                 {'name': 'gear', 'kind': 'widget'}))
    assert created is True
    assert found.kind == 'tool'
    found, created = lb.await_(Tool.findOrCreate({'where': {'name': 'saw'}}, {'name': 'saw'}))
    assert created is False and found.name == 'saw'
    assert [row[:2] for row in stored(Product)].count(('gear', 'tool')) == 1
    assert lb.await_(Product.count({'name': 'gear'})) == 2


def test_update_all_is_narrowed_and_enforces_the_scope_s_values(ds):
    Product, Tool, _ = shop(ds)
    assert lb.await_(Tool.updateAll({}, {'rank': 5, 'kind': 'widget'})) == {'count': 2}
    assert lb.await_(Tool.updateAll({'name': 'gear'}, {'rank': 9})) == {'count': 0}
    assert lb.await_(Tool.update({'or': [{'kind': 'widget'}, {'name': 'saw'}]},
                                 {'rank': 6})) == {'count': 1}
    assert stored(Product) == [('bolt', 'widget', None), ('gear', 'widget', None),
                               ('hammer', 'tool', 5), ('saw', 'tool', 6)]


def test_deletes_are_narrowed(ds):
    Product, Tool, ids = shop(ds)
    assert lb.await_(Tool.destroyById(ids['gear'])) == {'count': 0}
    assert lb.await_(Tool.destroyAll({'name': 'bolt'})) == {'count': 0}
    assert lb.await_(Tool.remove({'or': [{'kind': 'widget'}, {'name': 'saw'}]})) == {'count': 1}
    assert lb.await_(Tool.deleteAll()) == {'count': 1}
    assert names(lb.await_(Product.find())) == ['bolt', 'gear']


def test_strict_delete_reports_a_row_outside_the_scope_as_missing(ds):
    _, Tool, ids = shop(ds, {'strictDelete': True})
    err = rejection(Tool.destroyById(ids['gear']))
    assert (err.statusCode, err.code) == (404, 'NOT_FOUND')


def test_upsert_with_where_enforces_the_scope_s_values(ds):
    Product, Tool, _ = shop(ds)
    done = lb.await_(Tool.upsertWithWhere({'name': 'saw'}, {'rank': 3, 'kind': 'widget'}))
    assert (done.name, done.kind, done.rank) == ('saw', 'tool', 3)
    # juggler narrows the where only on its generic path (a connector without
    # upsertWithWhere of its own: find, then create or updateAttributes)
    lb.await_(Tool.upsertWithWhere({'name': 'gear'}, {'name': 'gear', 'rank': 1}))
    gears = sorted(row for row in stored(Product) if row[0] == 'gear')
    if 'upsertWithWhere' in ds.connector.capabilities:
        assert gears == [('gear', 'tool', 1)]
    else:
        assert gears == [('gear', 'tool', 1), ('gear', 'widget', None)]


# -- the scope's other forms ----------------------------------------------------

def test_a_scope_function_is_called_with_the_model_first(ds):
    calls = []

    def scope(model, target, inst):
        calls.append((model, inst))
        return {'where': {'kind': model.modelName.lower()}, 'order': 'name'}
    Product, Tool, ids = shop(ds, {'scope': scope})
    assert names(lb.await_(Tool.find())) == ['hammer', 'saw']
    assert lb.await_(Tool.count()) == 2
    assert lb.await_(Tool.create({'name': 'awl', 'kind': 'widget'})).kind == 'tool'
    assert all(model is Tool for model, _ in calls)
    saw = lb.await_(Tool.findById(ids['saw']))
    calls.clear()
    lb.await_(saw.updateAttributes({'kind': 'widget'}))
    assert saw.kind == 'tool'
    assert (Tool, saw) in calls   # setAttributes passes the instance


def test_the_attributes_setting_takes_the_place_of_the_scope_s_values(ds):
    def attributes(model, data, inst):
        # the constructor passes no instance; create then passes the new one
        return {'kind': model.modelName.lower(), 'rank': 0 if inst is None else 1}
    Product, Tool, _ = shop(ds, {'attributes': attributes, 'scope': {'where': {'kind': 'x'}}})
    assert (Tool({'kind': 'widget'}).kind, Tool({}).rank) == ('tool', 0)
    tool = lb.await_(Tool.create({'name': 'awl', 'kind': 'widget'}))
    assert (tool.kind, tool.rank) == ('tool', 1)
    Widget = ds.define('Widget', Product.definition.properties,
                       dict(SHARED_TABLE, base='Product', properties={'kind': 'widget'},
                            scope={'where': {'kind': 'widget'}}))
    assert Widget({'kind': 'tool'}).kind == 'widget'
    assert names(lb.await_(Widget.find({'order': 'name'}))) == ['bolt', 'gear']


def test_the_scope_s_include_loads_the_relation(ds):
    Account = ds.define('Account', {'label': 'string', 'supplierId': 'number'})
    Supplier = ds.define('Supplier', {'name': 'string'}, {'scope': {'include': 'account'}})
    Supplier.hasOne(Account, {'as': 'account', 'foreignKey': 'supplierId'})
    lb.await_(ds.automigrate())
    acme = lb.await_(Supplier.create({'name': 'acme'}))
    lb.await_(Account.create({'label': 'a1', 'supplierId': acme.id}))
    found = lb.await_(Supplier.findById(acme.id))
    assert found.toJSON()['account']['label'] == 'a1'
    assert lb.await_(Supplier.find())[0].toJSON()['account']['label'] == 'a1'
    # the query's include and the scope's are merged (one entry per relation)
    assert lb.await_(Supplier.find({'include': 'account'}))[0].toJSON()['account']['label'] == 'a1'


def test_a_scope_set_after_the_definition_applies_from_the_next_call(ds):
    Product, Tool, _ = shop(ds, {'scope': None})
    assert len(lb.await_(Tool.find())) == 4
    Tool.settings['scope'] = {'where': {'kind': 'widget'}}
    assert names(lb.await_(Tool.find({'order': 'name'}))) == ['bolt', 'gear']
    assert Tool({'kind': 'x'}).kind == 'widget'
    del Tool.settings['scope']
    assert len(lb.await_(Tool.find())) == 4


def test_a_malformed_scope_is_an_error_through_the_callback(ds):
    _, Tool, _ = shop(ds, {'scope': {'order': 'name SIDEWAYS'}})
    outcome = callback_outcome(Tool.find)
    assert isinstance(outcome.err, LoopBackError)
    assert outcome.err.statusCode == 400
    assert 'invalid direction' in outcome.err.message


# -- fast paths -----------------------------------------------------------------

def test_quiet_and_observed_writes_give_the_same_rows(ds):
    results = []
    Product, Tool, _ = shop(ds, seed=False)
    for observed in (False, True):
        ids = reseed(Product)
        if observed:
            for hook in ('access', 'before save', 'persist', 'loaded', 'after save'):
                Tool.observe(hook, lambda ctx, next: next())
        saw = lb.await_(Tool.findById(ids['saw']))
        saw.kind = 'widget'
        lb.await_(saw.save())
        lb.await_(saw.updateAttributes({'kind': 'widget', 'rank': 1}))
        lb.await_(Tool.create({'name': 'awl', 'kind': 'widget'}))
        lb.await_(Tool.upsert({'id': ids['hammer'], 'kind': 'widget', 'rank': 2}))
        lb.await_(Tool.updateAll({}, {'kind': 'widget', 'active': False}))
        lb.await_(Tool.findOrCreate({'where': {'name': 'bolt'}}, {'name': 'bolt'}))
        results.append(stored(Product))
    assert results[0] == results[1]
    assert ('bolt', 'tool', None) in results[0]


def test_loading_takes_the_constructor_for_a_scoped_model_only(ds, mocker):
    Product, Tool, _ = shop(ds)
    batch = mocker.spy(loading, '_build_batch')
    lb.await_(Product.find())
    assert batch.call_count == 1          # no enforced values: the fast path
    lb.await_(Tool.find())
    assert batch.call_count == 1          # the constructor applies the scope's values
    Plain = ds.define('Plain', {'name': 'string'})
    lb.await_(ds.automigrate('Plain'))
    lb.await_(Plain.create({'name': 'p'}))
    lb.await_(Plain.find())
    assert batch.call_count == 2


# -- settings -----------------------------------------------------------------------

def test_get_setting_falls_back_to_the_data_source(ds):
    _, Tool, _ = shop(ds, seed=False)
    ds.settings['someSetting'] = 'ds'
    assert Tool._getSetting('someSetting') == 'ds'
    Tool.settings['someSetting'] = 'model'
    assert Tool._getSetting('someSetting') == 'model'
    assert Tool._getSetting('someSetting', {'someSetting': 'option'}) == 'option'
    assert Tool._getSetting('missing') is None


def test_query_settings_of_the_data_source_apply(ds):
    ds.settings['normalizeUndefinedInQuery'] = 'throw'
    _, Tool, _ = shop(ds)
    err = rejection(Tool.find({'where': {'name': lb.undefined}}))
    assert 'undefined' in err.message
