"""Port of juggler 3.36.1's test/default-scope.test.js (see conftest.py for the conventions).

juggler's top-level ``before`` is ``given_models`` (Category, Product with a
default scope and a named scope, its sub-models Tool, Widget and Thing stored
with Product's rows, Person, and the relations between them); each describe's
``before`` (an automigrate and, in most, ``setupProducts``) follows it.  The
cases of one describe run in order on shared data in mocha; each case here
starts from a fresh data source and first replays the cases before it in its
describe (``replay``), so it sees the data they left.

juggler's memory/mongodb/arangodb settings make the sub-models share
Product's collection; the ``sqlite3``/``postgresql`` table settings do the
same on the SQL connectors (juggler's "TODO add table for pgsql/mysql").

Default scopes (dao/default_scope.py), named scopes (relations/scope.py),
lookupModel overrides and hasMany (relations/has_many.py) all exist: every
case runs on every connector.
"""

import types

import pytest

from loopback_compat.testing import callback_outcome

pytestmark = pytest.mark.lb_fiber

def given_models(db):
    """juggler's top-level ``before``."""
    Category = db.define('Category', {
        'name': str,
    })

    Product = db.define('Product', {
        'name': str,
        'kind': str,
        'description': str,
        'active': {'type': bool, 'default': True},
    }, {
        'scope': {'order': 'name'},
        'scopes': {'active': {'where': {'active': True}}},
    })

    def lookup_model(cls, data):
        m = cls.dataSource.models[data['kind']]
        if m.base is cls:
            return m
        return cls
    Product.lookupModel = classmethod(lookup_model)

    Tool = db.define('Tool', Product.definition.properties, {
        'base': 'Product',
        'scope': {'where': {'kind': 'Tool'}, 'order': 'name'},
        'scopes': {'active': {'where': {'active': True}}},
        'arangodb': {'collection': 'Product'},
        'mongodb': {'collection': 'Product'},
        'memory': {'collection': 'Product'},
        'sqlite3': {'table': 'Product'},
        'postgresql': {'table': 'product'},
    })

    Widget = db.define('Widget', Product.definition.properties, {
        'base': 'Product',
        'properties': {'kind': 'Widget'},
        'scope': {'where': {'kind': 'Widget'}, 'order': 'name'},
        'scopes': {'active': {'where': {'active': True}}},
        'arangodb': {'collection': 'Product'},
        'mongodb': {'collection': 'Product'},
        'memory': {'collection': 'Product'},
        'sqlite3': {'table': 'Product'},
        'postgresql': {'table': 'product'},
    })

    Person = db.define('Person', {'name': str}, {
        'scope': {'include': 'things'},
        'forceId': False,
    })

    # inst is only valid for instance methods
    # like save, updateAttributes

    def scope_fn(model, target, inst):
        return {'where': {'kind': model.modelName}}

    def properties_fn(model, target, inst):
        return {'kind': model.modelName}

    Thing = db.define('Thing', Product.definition.properties, {
        'base': 'Product',
        'attributes': properties_fn,
        'scope': scope_fn,
        'arangodb': {'collection': 'Product'},
        'mongodb': {'collection': 'Product'},
        'memory': {'collection': 'Product'},
        'sqlite3': {'table': 'Product'},
        'postgresql': {'table': 'product'},
    })

    Category.hasMany(Product)
    Category.hasMany(Tool, {'scope': {'order': 'name DESC'}})
    Category.hasMany(Widget)
    Category.hasMany(Thing)

    Product.belongsTo(Category)
    Tool.belongsTo(Category)
    Widget.belongsTo(Category)
    Thing.belongsTo(Category)

    Person.hasMany(Thing)
    Thing.belongsTo(Person)

    assert callback_outcome(db.automigrate).err is None
    return types.SimpleNamespace(db=db, Category=Category, Product=Product, Tool=Tool,
                                 Widget=Widget, Thing=Thing, Person=Person, ids={})


def setup_products(m):
    """juggler's ``setupProducts(ids, done)``."""
    ids = m.ids
    inst = callback_outcome(m.Tool.create, {'name': 'Tool Z'}).result
    ids['toolZ'] = inst.id
    inst = callback_outcome(m.Widget.create, {'name': 'Widget Z'}).result
    ids['widgetZ'] = inst.id
    inst = callback_outcome(m.Tool.create, {'name': 'Tool A', 'active': False}).result
    ids['toolA'] = inst.id
    inst = callback_outcome(m.Widget.create, {'name': 'Widget A'}).result
    ids['widgetA'] = inst.id
    inst = callback_outcome(m.Widget.create, {'name': 'Widget B', 'active': False}).result
    ids['widgetB'] = inst.id


def given_products(db):
    """``before``: ``db.automigrate(setupProducts.bind(null, ids, done))``."""
    m = given_models(db)
    assert callback_outcome(m.db.automigrate).err is None
    setup_products(m)
    return m


def replay(m, *cases):
    """Run the cases mocha ran before this one in its describe, on the same data."""
    for case in cases:
        case(m)


# ---------------------------------------------------------------------------
# default scope / manipulation

def given_manipulation(db):
    m = given_models(db)
    assert callback_outcome(m.db.automigrate).err is None
    return m


def manipulation_should_return_a_scoped_instance(m):
    p = m.Tool({'name': 'Product A', 'kind': 'ignored'})
    assert p.name == 'Product A'
    assert p.kind == 'Tool'
    p.setAttributes({'kind': 'ignored'})
    assert p.kind == 'Tool'

    p.setAttribute('kind', 'other')  # currently not enforced
    assert p.kind == 'other'


def manipulation_should_create_a_scoped_instance_tool(m):
    err, (p,), _ = callback_outcome(m.Tool.create, {'name': 'Product A', 'kind': 'ignored'})
    assert err is None
    assert p.name == 'Product A'
    assert p.kind == 'Tool'
    m.ids['productA'] = p.id


def manipulation_should_create_a_scoped_instance_widget(m):
    err, (p,), _ = callback_outcome(m.Widget.create, {'name': 'Product B', 'kind': 'ignored'})
    assert err is None
    assert p.name == 'Product B'
    assert p.kind == 'Widget'
    m.ids['productB'] = p.id


def manipulation_should_update_a_scoped_instance_update_attributes(m):
    p = callback_outcome(m.Tool.findById, m.ids['productA']).result
    err = callback_outcome(p.updateAttributes,
                           {'description': 'A thing...', 'kind': 'ingored'}).err
    assert err is None
    assert p.name == 'Product A'
    assert p.kind == 'Tool'
    assert p.description == 'A thing...'


def manipulation_should_update_a_scoped_instance_save(m):
    p = callback_outcome(m.Tool.findById, m.ids['productA']).result
    p.description = 'Something...'
    p.kind = 'ignored'
    err = callback_outcome(p.save).err
    assert err is None
    assert p.name == 'Product A'
    assert p.kind == 'Tool'
    assert p.description == 'Something...'
    p = callback_outcome(m.Tool.findById, m.ids['productA']).result
    assert p.kind == 'Tool'


def manipulation_should_update_a_scoped_instance_update_or_create(m):
    data = {'id': m.ids['productA'], 'description': 'Anything...', 'kind': 'ingored'}
    err, (p,), _ = callback_outcome(m.Tool.updateOrCreate, data)
    assert err is None
    assert p.name == 'Product A'
    assert p.kind == 'Tool'
    assert p.description == 'Anything...'


def test_default_scope__manipulation__should_return_a_scoped_instance(db):
    m = given_manipulation(db)
    manipulation_should_return_a_scoped_instance(m)


def test_default_scope__manipulation__should_create_a_scoped_instance_tool(db):
    m = given_manipulation(db)
    replay(m, manipulation_should_return_a_scoped_instance)
    manipulation_should_create_a_scoped_instance_tool(m)


def test_default_scope__manipulation__should_create_a_scoped_instance_widget(db):
    m = given_manipulation(db)
    replay(m, manipulation_should_return_a_scoped_instance,
           manipulation_should_create_a_scoped_instance_tool)
    manipulation_should_create_a_scoped_instance_widget(m)


def test_default_scope__manipulation__should_update_a_scoped_instance_update_attributes(db):
    m = given_manipulation(db)
    replay(m, manipulation_should_return_a_scoped_instance,
           manipulation_should_create_a_scoped_instance_tool,
           manipulation_should_create_a_scoped_instance_widget)
    manipulation_should_update_a_scoped_instance_update_attributes(m)


def test_default_scope__manipulation__should_update_a_scoped_instance_save(db):
    m = given_manipulation(db)
    replay(m, manipulation_should_return_a_scoped_instance,
           manipulation_should_create_a_scoped_instance_tool,
           manipulation_should_create_a_scoped_instance_widget,
           manipulation_should_update_a_scoped_instance_update_attributes)
    manipulation_should_update_a_scoped_instance_save(m)


def test_default_scope__manipulation__should_update_a_scoped_instance_update_or_create(db):
    m = given_manipulation(db)
    replay(m, manipulation_should_return_a_scoped_instance,
           manipulation_should_create_a_scoped_instance_tool,
           manipulation_should_create_a_scoped_instance_widget,
           manipulation_should_update_a_scoped_instance_update_attributes,
           manipulation_should_update_a_scoped_instance_save)
    manipulation_should_update_a_scoped_instance_update_or_create(m)


# ---------------------------------------------------------------------------
# default scope / findById

def test_default_scope__find_by_id__should_apply_default_scope(db):
    m = given_products(db)
    err, (inst,), _ = callback_outcome(m.Product.findById, m.ids['toolA'])
    assert err is None
    assert inst.name == 'Tool A'
    assert isinstance(inst, m.Tool)


def test_default_scope__find_by_id__should_apply_default_scope_tool(db):
    m = given_products(db)
    err, (inst,), _ = callback_outcome(m.Tool.findById, m.ids['toolA'])
    assert err is None
    assert inst.name == 'Tool A'


def test_default_scope__find_by_id__should_apply_default_scope_no_match(db):
    m = given_products(db)
    outcome = callback_outcome(m.Widget.findById, m.ids['toolA'])
    assert outcome.err is None
    assert outcome.result is None


# ---------------------------------------------------------------------------
# default scope / find

def test_default_scope__find__should_apply_default_scope_order(db):
    m = given_products(db)
    err, (products,), _ = callback_outcome(m.Product.find)
    assert err is None
    assert len(products) == 5
    assert products[0].name == 'Tool A'
    assert products[1].name == 'Tool Z'
    assert products[2].name == 'Widget A'
    assert products[3].name == 'Widget B'
    assert products[4].name == 'Widget Z'

    assert isinstance(products[0], m.Product)
    assert isinstance(products[0], m.Tool)

    assert isinstance(products[2], m.Product)
    assert isinstance(products[2], m.Widget)


def test_default_scope__find__should_apply_default_scope_order_override(db):
    m = given_products(db)
    err, (products,), _ = callback_outcome(m.Product.find, {'order': 'name DESC'})
    assert err is None
    assert len(products) == 5
    assert products[0].name == 'Widget Z'
    assert products[1].name == 'Widget B'
    assert products[2].name == 'Widget A'
    assert products[3].name == 'Tool Z'
    assert products[4].name == 'Tool A'


def test_default_scope__find__should_apply_default_scope_tool(db):
    m = given_products(db)
    err, (products,), _ = callback_outcome(m.Tool.find)
    assert err is None
    assert len(products) == 2
    assert products[0].name == 'Tool A'
    assert products[1].name == 'Tool Z'


def test_default_scope__find__should_apply_default_scope_where_widget(db):
    m = given_products(db)
    err, (products,), _ = callback_outcome(m.Widget.find, {'where': {'active': True}})
    assert err is None
    assert len(products) == 2
    assert products[0].name == 'Widget A'
    assert products[1].name == 'Widget Z'


def test_default_scope__find__should_apply_default_scope_order_widget(db):
    m = given_products(db)
    err, (products,), _ = callback_outcome(m.Widget.find, {'order': 'name DESC'})
    assert err is None
    assert len(products) == 3
    assert products[0].name == 'Widget Z'
    assert products[1].name == 'Widget B'
    assert products[2].name == 'Widget A'


# ---------------------------------------------------------------------------
# default scope / exists

def test_default_scope__exists__should_apply_default_scope(db):
    m = given_products(db)
    err, (exists,), _ = callback_outcome(m.Product.exists, m.ids['widgetA'])
    assert err is None
    assert exists is True


def test_default_scope__exists__should_apply_default_scope_tool(db):
    m = given_products(db)
    err, (exists,), _ = callback_outcome(m.Tool.exists, m.ids['toolZ'])
    assert err is None
    assert exists is True


def test_default_scope__exists__should_apply_default_scope_widget(db):
    m = given_products(db)
    err, (exists,), _ = callback_outcome(m.Widget.exists, m.ids['widgetA'])
    assert err is None
    assert exists is True


def test_default_scope__exists__should_apply_default_scope_tool_no_match(db):
    m = given_products(db)
    err, (exists,), _ = callback_outcome(m.Tool.exists, m.ids['widgetA'])
    assert err is None
    assert exists is False


def test_default_scope__exists__should_apply_default_scope_widget_no_match(db):
    m = given_products(db)
    err, (exists,), _ = callback_outcome(m.Widget.exists, m.ids['toolZ'])
    assert err is None
    assert exists is False


# ---------------------------------------------------------------------------
# default scope / count

def test_default_scope__count__should_apply_default_scope_order(db):
    m = given_products(db)
    err, (count,), _ = callback_outcome(m.Product.count)
    assert err is None
    assert count == 5


def test_default_scope__count__should_apply_default_scope_tool(db):
    m = given_products(db)
    err, (count,), _ = callback_outcome(m.Tool.count)
    assert err is None
    assert count == 2


def test_default_scope__count__should_apply_default_scope_widget(db):
    m = given_products(db)
    err, (count,), _ = callback_outcome(m.Widget.count)
    assert err is None
    assert count == 3


def test_default_scope__count__should_apply_default_scope_where(db):
    m = given_products(db)
    err, (count,), _ = callback_outcome(m.Widget.count, {'name': 'Widget Z'})
    assert err is None
    assert count == 1


def test_default_scope__count__should_apply_default_scope_no_match(db):
    m = given_products(db)
    err, (count,), _ = callback_outcome(m.Tool.count, {'name': 'Widget Z'})
    assert err is None
    assert count == 0


# ---------------------------------------------------------------------------
# default scope / removeById

def is_deleted(m, id_):
    err, (exists,), _ = callback_outcome(m.Product.exists, id_)
    assert err is None
    assert exists is False


def remove_by_id_should_apply_default_scope(m):
    err = callback_outcome(m.Product.removeById, m.ids['widgetZ']).err
    assert err is None
    is_deleted(m, m.ids['widgetZ'])


def remove_by_id_should_apply_default_scope_tool(m):
    err = callback_outcome(m.Tool.removeById, m.ids['toolA']).err
    assert err is None
    is_deleted(m, m.ids['toolA'])


def remove_by_id_should_apply_default_scope_no_match(m):
    err = callback_outcome(m.Tool.removeById, m.ids['widgetA']).err
    assert err is None
    err, (exists,), _ = callback_outcome(m.Product.exists, m.ids['widgetA'])
    assert err is None
    assert exists is True


def remove_by_id_should_apply_default_scope_widget(m):
    err = callback_outcome(m.Widget.removeById, m.ids['widgetA']).err
    assert err is None
    is_deleted(m, m.ids['widgetA'])


def remove_by_id_should_apply_default_scope_verify(m):
    err, (products,), _ = callback_outcome(m.Product.find)
    assert err is None
    assert len(products) == 2
    assert products[0].name == 'Tool Z'
    assert products[1].name == 'Widget B'


def test_default_scope__remove_by_id__should_apply_default_scope(db):
    m = given_products(db)
    remove_by_id_should_apply_default_scope(m)


def test_default_scope__remove_by_id__should_apply_default_scope_tool(db):
    m = given_products(db)
    replay(m, remove_by_id_should_apply_default_scope)
    remove_by_id_should_apply_default_scope_tool(m)


def test_default_scope__remove_by_id__should_apply_default_scope_no_match(db):
    m = given_products(db)
    replay(m, remove_by_id_should_apply_default_scope,
           remove_by_id_should_apply_default_scope_tool)
    remove_by_id_should_apply_default_scope_no_match(m)


def test_default_scope__remove_by_id__should_apply_default_scope_widget(db):
    m = given_products(db)
    replay(m, remove_by_id_should_apply_default_scope,
           remove_by_id_should_apply_default_scope_tool,
           remove_by_id_should_apply_default_scope_no_match)
    remove_by_id_should_apply_default_scope_widget(m)


def test_default_scope__remove_by_id__should_apply_default_scope_verify(db):
    m = given_products(db)
    replay(m, remove_by_id_should_apply_default_scope,
           remove_by_id_should_apply_default_scope_tool,
           remove_by_id_should_apply_default_scope_no_match,
           remove_by_id_should_apply_default_scope_widget)
    remove_by_id_should_apply_default_scope_verify(m)


# ---------------------------------------------------------------------------
# default scope / update

def update_should_apply_default_scope(m):
    err = callback_outcome(m.Widget.update, {'active': False},
                           {'active': True, 'kind': 'ignored'}).err
    assert err is None
    err, (products,), _ = callback_outcome(m.Widget.find, {'where': {'active': True}})
    assert err is None
    assert len(products) == 3
    assert products[0].name == 'Widget A'
    assert products[1].name == 'Widget B'
    assert products[2].name == 'Widget Z'


def update_should_apply_default_scope_no_match(m):
    err = callback_outcome(m.Tool.update, {'name': 'Widget A'}, {'name': 'Ignored'}).err
    assert err is None
    err, (product,), _ = callback_outcome(m.Product.findById, m.ids['widgetA'])
    assert err is None
    assert product.name == 'Widget A'


def update_should_have_updated_within_scope(m):
    err, (products,), _ = callback_outcome(m.Product.find, {'where': {'active': True}})
    assert err is None
    assert len(products) == 4
    assert products[0].name == 'Tool Z'
    assert products[1].name == 'Widget A'
    assert products[2].name == 'Widget B'
    assert products[3].name == 'Widget Z'


def test_default_scope__update__should_apply_default_scope(db):
    m = given_products(db)
    update_should_apply_default_scope(m)


def test_default_scope__update__should_apply_default_scope_no_match(db):
    m = given_products(db)
    replay(m, update_should_apply_default_scope)
    update_should_apply_default_scope_no_match(m)


def test_default_scope__update__should_have_updated_within_scope(db):
    m = given_products(db)
    replay(m, update_should_apply_default_scope, update_should_apply_default_scope_no_match)
    update_should_have_updated_within_scope(m)


# ---------------------------------------------------------------------------
# default scope / remove

def remove_should_apply_default_scope_custom_where(m):
    err = callback_outcome(m.Widget.remove, {'name': 'Widget A'}).err
    assert err is None
    products = callback_outcome(m.Product.find).result
    assert len(products) == 4
    assert products[0].name == 'Tool A'
    assert products[1].name == 'Tool Z'
    assert products[2].name == 'Widget B'
    assert products[3].name == 'Widget Z'


def remove_should_apply_default_scope_custom_where_no_match(m):
    err = callback_outcome(m.Tool.remove, {'name': 'Widget Z'}).err
    assert err is None
    products = callback_outcome(m.Product.find).result
    assert len(products) == 4
    assert products[0].name == 'Tool A'
    assert products[1].name == 'Tool Z'
    assert products[2].name == 'Widget B'
    assert products[3].name == 'Widget Z'


def remove_should_apply_default_scope_delete_all(m):
    err = callback_outcome(m.Tool.deleteAll).err
    assert err is None
    products = callback_outcome(m.Product.find).result
    assert len(products) == 2
    assert products[0].name == 'Widget B'
    assert products[1].name == 'Widget Z'


def remove_should_create_a_scoped_instance_tool(m):
    err = callback_outcome(m.Tool.create, {'name': 'Tool B'}).err
    assert err is None
    products = callback_outcome(m.Product.find).result
    assert len(products) == 3
    assert products[0].name == 'Tool B'
    assert products[1].name == 'Widget B'
    assert products[2].name == 'Widget Z'


def remove_should_apply_default_scope_destroy_all(m):
    err = callback_outcome(m.Widget.destroyAll).err
    assert err is None
    products = callback_outcome(m.Product.find).result
    assert len(products) == 1
    assert products[0].name == 'Tool B'


def test_default_scope__remove__should_apply_default_scope_custom_where(db):
    m = given_products(db)
    remove_should_apply_default_scope_custom_where(m)


def test_default_scope__remove__should_apply_default_scope_custom_where_no_match(db):
    m = given_products(db)
    replay(m, remove_should_apply_default_scope_custom_where)
    remove_should_apply_default_scope_custom_where_no_match(m)


def test_default_scope__remove__should_apply_default_scope_delete_all(db):
    m = given_products(db)
    replay(m, remove_should_apply_default_scope_custom_where,
           remove_should_apply_default_scope_custom_where_no_match)
    remove_should_apply_default_scope_delete_all(m)


def test_default_scope__remove__should_create_a_scoped_instance_tool(db):
    m = given_products(db)
    replay(m, remove_should_apply_default_scope_custom_where,
           remove_should_apply_default_scope_custom_where_no_match,
           remove_should_apply_default_scope_delete_all)
    remove_should_create_a_scoped_instance_tool(m)


def test_default_scope__remove__should_apply_default_scope_destroy_all(db):
    m = given_products(db)
    replay(m, remove_should_apply_default_scope_custom_where,
           remove_should_apply_default_scope_custom_where_no_match,
           remove_should_apply_default_scope_delete_all,
           remove_should_create_a_scoped_instance_tool)
    remove_should_apply_default_scope_destroy_all(m)


# ---------------------------------------------------------------------------
# default scope / scopes

def test_default_scope__scopes__should_merge_with_default_scope(db):
    m = given_products(db)
    err, (products,), _ = callback_outcome(m.Product.active)
    assert err is None
    assert len(products) == 3
    assert products[0].name == 'Tool Z'
    assert products[1].name == 'Widget A'
    assert products[2].name == 'Widget Z'


def test_default_scope__scopes__should_merge_with_default_scope_tool(db):
    m = given_products(db)
    err, (products,), _ = callback_outcome(m.Tool.active)
    assert err is None
    assert len(products) == 1
    assert products[0].name == 'Tool Z'


def test_default_scope__scopes__should_merge_with_default_scope_widget(db):
    m = given_products(db)
    err, (products,), _ = callback_outcome(m.Widget.active)
    assert err is None
    assert len(products) == 2
    assert products[0].name == 'Widget A'
    assert products[1].name == 'Widget Z'


# ---------------------------------------------------------------------------
# default scope / scope function

def scope_function_should_create_a_scoped_instance_widget(m):
    p = callback_outcome(m.Widget.create, {'name': 'Product', 'kind': 'ignored'}).result
    assert p.name == 'Product'
    assert p.kind == 'Widget'


def scope_function_should_create_a_scoped_instance_thing(m):
    p = callback_outcome(m.Thing.create, {'name': 'Product', 'kind': 'ignored'}).result
    assert p.name == 'Product'
    assert p.kind == 'Thing'


def scope_function_should_find_a_scoped_instance_widget(m):
    p = callback_outcome(m.Widget.findOne, {'where': {'name': 'Product'}}).result
    assert p.name == 'Product'
    assert p.kind == 'Widget'


def scope_function_should_find_a_scoped_instance_thing(m):
    p = callback_outcome(m.Thing.findOne, {'where': {'name': 'Product'}}).result
    assert p.name == 'Product'
    assert p.kind == 'Thing'


def scope_function_should_find_a_scoped_instance_thing_2(m):
    products = callback_outcome(m.Product.find, {'where': {'name': 'Product'}}).result
    assert len(products) == 2
    assert products[0].name == 'Product'
    assert products[1].name == 'Product'
    kinds = [p.kind for p in products]
    kinds.sort()
    assert kinds == ['Thing', 'Widget']


def given_scope_function(db):
    m = given_models(db)
    assert callback_outcome(m.db.automigrate).err is None
    return m


def test_default_scope__scope_function__should_create_a_scoped_instance_widget(db):
    m = given_scope_function(db)
    scope_function_should_create_a_scoped_instance_widget(m)


def test_default_scope__scope_function__should_create_a_scoped_instance_thing(db):
    m = given_scope_function(db)
    replay(m, scope_function_should_create_a_scoped_instance_widget)
    scope_function_should_create_a_scoped_instance_thing(m)


def test_default_scope__scope_function__should_find_a_scoped_instance_widget(db):
    m = given_scope_function(db)
    replay(m, scope_function_should_create_a_scoped_instance_widget,
           scope_function_should_create_a_scoped_instance_thing)
    scope_function_should_find_a_scoped_instance_widget(m)


def test_default_scope__scope_function__should_find_a_scoped_instance_thing(db):
    m = given_scope_function(db)
    replay(m, scope_function_should_create_a_scoped_instance_widget,
           scope_function_should_create_a_scoped_instance_thing,
           scope_function_should_find_a_scoped_instance_widget)
    scope_function_should_find_a_scoped_instance_thing(m)


def test_default_scope__scope_function__should_find_a_scoped_instance_thing_2(db):
    # juggler has two cases of this title in this describe (eslint
    # mocha/no-identical-title disabled); the second is suffixed _2.
    m = given_scope_function(db)
    replay(m, scope_function_should_create_a_scoped_instance_widget,
           scope_function_should_create_a_scoped_instance_thing,
           scope_function_should_find_a_scoped_instance_widget,
           scope_function_should_find_a_scoped_instance_thing)
    scope_function_should_find_a_scoped_instance_thing_2(m)


# ---------------------------------------------------------------------------
# default scope / relations

def given_relations(db):
    m = given_models(db)
    assert callback_outcome(m.db.automigrate).err is None
    cat = callback_outcome(m.Category.create, {'name': 'Category A'}).result
    m.ids['categoryA'] = cat.id
    assert callback_outcome(cat.widgets.create, {'name': 'Widget B', 'kind': 'ignored'}).err is None
    assert callback_outcome(cat.widgets.create, {'name': 'Widget A'}).err is None
    assert callback_outcome(cat.tools.create, {'name': 'Tool A'}).err is None
    assert callback_outcome(cat.things.create, {'name': 'Thing A'}).err is None
    return m


def relations_should_apply_default_scope_products(m):
    err, (cat,), _ = callback_outcome(m.Category.findById, m.ids['categoryA'])
    assert err is None
    err, (products,), _ = callback_outcome(cat.products)
    assert err is None
    assert len(products) == 4
    assert products[0].name == 'Thing A'
    assert products[1].name == 'Tool A'
    assert products[2].name == 'Widget A'
    assert products[3].name == 'Widget B'

    assert isinstance(products[0], m.Product)
    assert isinstance(products[0], m.Thing)

    assert isinstance(products[1], m.Product)
    assert isinstance(products[1], m.Tool)

    assert isinstance(products[2], m.Product)
    assert isinstance(products[2], m.Widget)


def relations_should_apply_default_scope_widgets(m):
    err, (cat,), _ = callback_outcome(m.Category.findById, m.ids['categoryA'])
    assert err is None
    err, (products,), _ = callback_outcome(cat.widgets)
    assert err is None
    assert len(products) == 2
    assert isinstance(products[0], m.Widget)
    assert products[0].name == 'Widget A'
    assert products[1].name == 'Widget B'
    inst = callback_outcome(products[0].category).result
    assert inst.name == 'Category A'


def relations_should_apply_default_scope_tools(m):
    err, (cat,), _ = callback_outcome(m.Category.findById, m.ids['categoryA'])
    assert err is None
    err, (products,), _ = callback_outcome(cat.tools)
    assert err is None
    assert len(products) == 1
    assert isinstance(products[0], m.Tool)
    assert products[0].name == 'Tool A'
    inst = callback_outcome(products[0].category).result
    assert inst.name == 'Category A'


def relations_should_apply_default_scope_things(m):
    err, (cat,), _ = callback_outcome(m.Category.findById, m.ids['categoryA'])
    assert err is None
    err, (products,), _ = callback_outcome(cat.things)
    assert err is None
    assert len(products) == 1
    assert isinstance(products[0], m.Thing)
    assert products[0].name == 'Thing A'
    inst = callback_outcome(products[0].category).result
    assert inst.name == 'Category A'


def relations_should_create_related_item_with_default_scope(m):
    cat = callback_outcome(m.Category.findById, m.ids['categoryA']).result
    assert callback_outcome(cat.tools.create, {'name': 'Tool B'}).err is None


def relations_should_use_relation_scope_order(m):
    err, (cat,), _ = callback_outcome(m.Category.findById, m.ids['categoryA'])
    assert err is None
    err, (products,), _ = callback_outcome(cat.tools)
    assert err is None
    assert len(products) == 2
    assert products[0].name == 'Tool B'
    assert products[1].name == 'Tool A'


def test_default_scope__relations__should_apply_default_scope_products(db):
    m = given_relations(db)
    relations_should_apply_default_scope_products(m)


def test_default_scope__relations__should_apply_default_scope_widgets(db):
    m = given_relations(db)
    replay(m, relations_should_apply_default_scope_products)
    relations_should_apply_default_scope_widgets(m)


def test_default_scope__relations__should_apply_default_scope_tools(db):
    m = given_relations(db)
    replay(m, relations_should_apply_default_scope_products,
           relations_should_apply_default_scope_widgets)
    relations_should_apply_default_scope_tools(m)


def test_default_scope__relations__should_apply_default_scope_things(db):
    m = given_relations(db)
    replay(m, relations_should_apply_default_scope_products,
           relations_should_apply_default_scope_widgets,
           relations_should_apply_default_scope_tools)
    relations_should_apply_default_scope_things(m)


def test_default_scope__relations__should_create_related_item_with_default_scope(db):
    m = given_relations(db)
    replay(m, relations_should_apply_default_scope_products,
           relations_should_apply_default_scope_widgets,
           relations_should_apply_default_scope_tools,
           relations_should_apply_default_scope_things)
    relations_should_create_related_item_with_default_scope(m)


def test_default_scope__relations__should_use_relation_scope_order(db):
    m = given_relations(db)
    replay(m, relations_should_apply_default_scope_products,
           relations_should_apply_default_scope_widgets,
           relations_should_apply_default_scope_tools,
           relations_should_apply_default_scope_things,
           relations_should_create_related_item_with_default_scope)
    relations_should_use_relation_scope_order(m)


# ---------------------------------------------------------------------------
# default scope / with include option

def test_default_scope__with_include_option__should_find_a_scoped_instance_with_included_relation_things(  # noqa: E501
        db):
    m = given_models(db)
    assert callback_outcome(m.db.automigrate).err is None
    person = callback_outcome(m.Person.create, {'id': 1, 'name': 'Person A'}).result
    assert callback_outcome(person.things.create, {'name': 'Thing A'}).err is None

    err, (person,), _ = callback_outcome(m.Person.findById, 1)
    assert err is None
    assert person is not None
    things = person.things()
    assert things is not None
    assert isinstance(things, list)
    assert len(things) == 1
