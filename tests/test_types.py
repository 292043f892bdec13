"""Property types beyond the scalars: sub-models (named and anonymous), DateString,
JSON, persistUndefinedAsNull for undeclared properties, Model._coerce.

Expected values were checked against loopback-datasource-juggler 3.36.1 in
Node (the same definitions and data; ``JSON.stringify`` of its results).
"""

import datetime as dt

import pytest

import loopback_compat as lb
from loopback_compat.errors import LoopBackError
from loopback_compat.model import ModelBase
from loopback_compat.types import DateString

pytestmark = pytest.mark.lb_fiber

UTC = dt.timezone.utc


def User(ds):
    return ds.define('User', {
        'name': str,
        'address': {'street': str, 'city': str, 'zip': 'number'},
        'friends': [{'name': str}],
        'tags': [str],
    })


# -- anonymous models: definition ---------------------------------------------

def test_a_dict_of_properties_is_an_anonymous_model(ds):
    props = User(ds).definition.properties
    address = props['address']['model']
    assert isinstance(address, type) and issubclass(address, ModelBase)
    assert props['address']['type'] == address.modelName
    assert address.modelName.startswith('AnonymousModel_')
    assert address.settings['anonymous'] is True
    assert address.settings['idInjection'] is False
    assert address.settings['strict'] is False
    assert set(address.definition.properties) == {'street', 'city', 'zip'}   # no id
    friend = props['friends']['itemModel']
    assert props['friends']['type'] == 'array'
    assert props['friends']['itemType'] == friend.modelName
    assert friend.definition.properties['name']['type'] == 'string'
    assert 'itemModel' not in props['tags'] and 'model' not in props['tags']


def test_type_given_as_a_dict_keeps_the_other_attributes(ds):
    M = ds.define('M', {
        'item': {'type': {'itemname': {'type': 'String'}, 'type': {'type': 'String'}},
                 'required': True},
        'list': {'type': [{'x': 'number'}]},
    })
    item = M.definition.properties['item']
    assert item['required'] is True and item['type'] != 'string'
    assert set(item['model'].definition.properties) == {'itemname', 'type'}   # 'type' is a property
    assert M.definition.properties['list']['itemModel'].definition.properties['x']['type'] == \
        'number'
    inst = M({'list': [{'x': '2'}]})
    assert inst.isValid() is False and inst.errors.codes['item'] == ['presence']
    assert inst.toJSON()['list'] == [{'x': 2}]


def test_nested_anonymous_models(ds):
    M = ds.define('M', {'address': {'tags': [{'tag': str}]}})
    inst = M({'address': {'tags': [{'tag': 5}]}})
    tag = inst.address.tags[0]
    assert isinstance(tag, ModelBase) and tag.tag == '5'
    assert inst.toJSON() == {'address': {'tags': [{'tag': '5'}]}}   # (id undefined: left out)


def test_a_dict_that_is_no_definition_keeps_type_any(ds):
    # juggler would make {required: true} an anonymous model with a property
    # called "required" typed `true` (docs/differences.md)
    M = ds.define('M', {'a': {'required': True}, 'b': {'type': None}})
    assert M.definition.properties['a'] == {'type': 'any', 'required': True}
    assert M.definition.properties['b']['type'] == 'any'


def test_a_top_level_type_property_is_a_type(ds):
    # {type: 'String', ...}: the dict is a property definition, not a model
    M = ds.define('M', {'kind': {'type': 'String', 'street': 'String'}})
    assert M.definition.properties['kind']['type'] == 'string'


def test_define_property_takes_an_anonymous_model(ds):
    M = ds.define('M', {'name': str})
    M.defineProperty('address', {'city': str})
    assert M({'address': {'city': 1}}).address.city == '1'


# -- anonymous models: values -------------------------------------------------

@pytest.mark.parametrize('value, expected', [
    ({'city': 'a', 'zip': '12', 'extra': 1}, {'city': 'a', 'zip': 12, 'extra': 1}),
    ('{"city":"x"}', {str(i): c for i, c in enumerate('{"city":"x"}')}),   # new Model(string)
    ('abc', {'0': 'a', '1': 'b', '2': 'c'}),
    (5, {}),
    ([1, 2], {'0': 1, '1': 2}),
    (None, None),
])
def test_assigned_object_values(ds, value, expected):
    U = User(ds)
    inst = U({'address': value})
    assert inst.toJSON()['address'] == expected
    if value is not None:
        assert isinstance(inst.address, U.definition.properties['address']['model'])
    later = U()
    later.address = value
    assert later.toJSON()['address'] == expected


@pytest.mark.parametrize('value, expected', [
    ([{'name': 'a'}, {'name': 5}], [{'name': 'a'}, {'name': '5'}]),
    ('[{"name":"a"}]', [{'name': 'a'}]),
    (['x'], [{'0': 'x'}]),
    ([None], [{}]),
])
def test_assigned_list_values(ds, value, expected):
    U = User(ds)
    inst = U({'friends': value})
    assert inst.toJSON()['friends'] == expected
    friend = U.definition.properties['friends']['itemModel']
    assert all(isinstance(f, friend) for f in inst.friends)


def test_a_list_property_refuses_an_object(ds):
    with pytest.raises(LoopBackError) as info:
        User(ds)({'friends': {'name': 'a'}})
    assert info.value.statusCode == 400
    assert info.value.message.startswith('Items must be an array')


def test_loaded_values_are_json_parsed_then_built(ds):
    U = User(ds)
    inst = U({'address': '{"city":"x"}', 'friends': '[{"name":"f"}]'}, {'applySetters': False})
    assert isinstance(inst.address, U.definition.properties['address']['model'])
    assert inst.toJSON()['address'] == {'city': 'x'}
    assert inst.toJSON()['friends'] == [{'name': 'f'}]
    kept = U({'address': 'not json'}, {'applySetters': False})
    assert kept.address == 'not json'


def test_sub_models_round_trip_through_the_connector(ds):
    U = User(ds)
    lb.await_(ds.automigrate())
    created = lb.await_(U.create({
        'name': 'a', 'address': {'city': 'SJ', 'zip': '95131', 'extra': True},
        'friends': [{'name': 'p'}], 'tags': ['t']}))
    expected = {'name': 'a', 'address': {'city': 'SJ', 'zip': 95131, 'extra': True},
                'friends': [{'name': 'p'}], 'tags': ['t'], 'id': created.id}
    assert created.toJSON() == expected
    found = lb.await_(U.findById(created.id))
    assert found.toJSON() == expected
    assert isinstance(found.address, U.definition.properties['address']['model'])
    assert isinstance(found.friends[0], U.definition.properties['friends']['itemModel'])

    updated = lb.await_(found.updateAttributes({'address': {'city': 'SF'},
                                                'friends': [{'name': 'g'}, {'name': 'h'}]}))
    assert isinstance(updated.friends[1], U.definition.properties['friends']['itemModel'])
    again = lb.await_(U.findById(created.id))
    assert again.toJSON()['address'] == {'city': 'SF'}
    assert again.toJSON()['friends'] == [{'name': 'g'}, {'name': 'h'}]

    lb.await_(U.updateAll({'id': created.id}, {'address': {'city': 'LA'}}))
    assert lb.await_(U.findById(created.id)).address.city == 'LA'
    assert [u.name for u in lb.await_(U.find({'where': {'address.city': 'LA'}}))] == ['a']


# -- properties typed by a named model ------------------------------------------

def test_a_property_typed_by_a_model_builds_its_instances(ds):
    Address = ds.define('Address', {
        'id': {'type': str, 'id': True, 'default': 1},
        'city': str,
    })
    Person = ds.define('Person', {'address': {'type': Address}, 'past': [Address]})
    lb.await_(ds.automigrate())
    person = Person({'address': {'city': 5}, 'past': [{'city': 'x'}]})
    assert isinstance(person.address, Address)
    assert person.address.city == '5' and person.address.id == 1   # defaults are not coerced
    assert isinstance(person.past[0], Address)
    given = Address({'city': 'y'})
    person.address = given
    assert person.address is given              # an instance of the model is kept
    created = lb.await_(Person.create({'address': {'city': 'z'}}))
    assert created.toJSON()['address'] == {'id': 1, 'city': 'z'}
    found = lb.await_(Person.findById(created.id))
    assert isinstance(found.address, Address)
    # rebuilt by new Address(data): now the id goes through its setter
    assert found.toJSON()['address'] == {'id': '1', 'city': 'z'}


def test_a_model_named_by_a_string_is_resolved(ds):
    Address = ds.define('Address', {'city': str})
    Person = ds.define('Person', {
        'home': 'Address', 'work': {'type': 'Address', 'required': True}, 'past': ['Address']})
    props = Person.definition.properties
    assert props['home'] == {'type': 'Address', 'model': Address}
    assert props['work']['model'] is Address and props['work']['required'] is True
    assert props['past']['itemModel'] is Address
    person = Person({'home': {'city': 1}, 'past': [{'city': 'x'}]})
    assert isinstance(person.home, Address) and person.home.city == '1'
    assert isinstance(person.past[0], Address)


def test_a_model_named_before_it_is_defined(ds):
    # as in LB3 model JSON loaded in any order: a placeholder that becomes the model
    Person = ds.createModel({'name': 'Person', 'properties': {'home': {'type': 'Place'}}})
    with pytest.raises(LoopBackError, match='^Model Place is not defined.$'):
        Person({'home': {'city': 'x'}})
    Place = ds.createModel({'name': 'Place', 'properties': {'city': 'string'}})
    assert Person.definition.properties['home']['model'] is Place
    lb.await_(ds.automigrate())
    created = lb.await_(Person.create({'home': {'city': 'x'}}))
    found = lb.await_(Person.findById(created.id))
    assert isinstance(found.home, Place) and found.home.city == 'x'


# -- DateString ---------------------------------------------------------------

def test_date_string_class():
    date = DateString('2015-01-01 20:00:00 GMT-5')
    assert date.when == '2015-01-01 20:00:00 GMT-5' and str(date) == date.when
    assert date._date == dt.datetime(2015, 1, 2, 1, tzinfo=UTC)
    date.when = '2016-01-01'
    assert date._date == dt.datetime(2016, 1, 1, tzinfo=UTC)
    assert date.toJSON() == '{"when":"2016-01-01"}'
    assert str(DateString(date)) == '2016-01-01'
    with pytest.raises(LoopBackError, match='^Invalid date$'):
        date.when = 'notadate'
    assert date.when == '2016-01-01'
    with pytest.raises(LoopBackError, match='^Input must be a string$'):
        DateString(20150101)


def test_date_string_property(ds):
    M = ds.define('M', {'born': 'DateString'})
    lb.await_(ds.automigrate())
    assert M.definition.properties['born']['type'] == 'datestring'
    inst = M({'born': '2015-01-01'})
    assert isinstance(inst.born, DateString) and inst.born.when == '2015-01-01'
    with pytest.raises(LoopBackError, match='^Invalid date$'):
        M({'born': 'bad'})
    with pytest.raises(LoopBackError, match='^Input must be a string$'):
        inst.born = 5
    # as juggler: its toJSON is JSON text, which is what is stored and read back
    created = lb.await_(M.create({'born': '2015-01-01'}))
    assert created.toJSON()['born'] == '{"when":"2015-01-01"}'
    found = lb.await_(M.findById(created.id))
    assert found.born == {'when': '2015-01-01'}


# -- JSON ---------------------------------------------------------------------

def test_json_type(ds):
    M = ds.define('M', {'meta': 'JSON'})
    lb.await_(ds.automigrate())
    assert M.definition.properties['meta']['type'] == 'json'
    assert M({'meta': '{"foo": "bar"}'}).meta == {'foo': 'bar'}   # the constructor parses
    inst = M()
    inst.meta = '{"foo": "bar"}'
    assert inst.meta == '{"foo": "bar"}'                          # the setter does not
    created = lb.await_(M.create({'meta': {'a': [1, 2]}}))
    assert lb.await_(M.findById(created.id)).meta == {'a': [1, 2]}


# -- persistUndefinedAsNull and undefined -------------------------------------

def test_undefined_dynamic_properties(ds):
    M = ds.define('M', {'desc': str}, {'persistUndefinedAsNull': True, 'strict': False})
    inst = M({'desc': lb.undefined, 'extra': lb.undefined})
    # (a relational data source makes strict: false 'throw': no dynamic properties)
    dynamic = {'extra': None} if M.settings['strict'] is False else {}
    assert inst.toObject(False) == dict({'desc': None, 'id': None}, **dynamic)
    inst.later = lb.undefined
    inst._data['raw'] = lb.undefined
    assert inst.toObject(False) == dict({'desc': None, 'later': None, 'raw': None, 'id': None},
                                        **dynamic)
    if dynamic:
        lb.await_(ds.automigrate())
        created = lb.await_(M.create({'extra': lb.undefined}))
        assert created.toObject(False) == {'desc': None, 'extra': None, 'id': created.id}
        found = lb.await_(M.findById(created.id))
        assert found.toObject(False) == {'desc': None, 'extra': None, 'id': created.id}
    plain = ds.define('Plain', {'desc': str}, {'strict': False})({'desc': 'x'})
    plain.later = lb.undefined
    plain._data['raw'] = lb.undefined
    assert plain.toObject(False) == {'desc': 'x'}   # JSON drops undefined


# -- Model._coerce --------------------------------------------------------------

def test_coerce_is_juggler_s_name_for_the_where_coercion(ds):
    M = ds.define('M', {'age': 'number', 'vip': bool, 'address': {'city': str}})
    assert M._coerce({'age': '10', 'vip': 'true'}) == {'age': 10, 'vip': True}
    assert type(M._coerce({'address': {'city': 'x'}})['address']) is dict


# -- NaN: a number property given what is no number ------------------------------
# juggler's setter stores Number(value), NaN; validatesNumericalityOf then says
# 'is not a number'.  Storage is the connector's: juggler's memory connector
# keeps JSON text (null); the SQL connectors store NULL as memory does
# (connectors/sql/rows.py; loopback-connector-postgresql would pass NaN on).

def test_a_number_property_holds_nan_for_what_is_no_number(ds):
    Thing = ds.define('Thing', {'n': 'number', 'ns': ['number']})
    thing = Thing({'n': 'abc', 'ns': ['1', 'x']})
    assert thing.n != thing.n
    assert thing.ns[0] == 1 and thing.ns[1] != thing.ns[1]
    Thing.validatesNumericalityOf('n')
    assert thing.isValid() is False and thing.errors == {'n': ['is not a number']}


def test_nan_is_stored_as_null(ds):
    Thing = ds.define('Thing', {'n': 'number', 'name': str})
    lb.await_(ds.automigrate())
    created = lb.await_(Thing.create({'n': 'abc', 'name': 'x'}))
    assert created.n != created.n        # the instance keeps NaN, as juggler's
    found = lb.await_(Thing.findById(created.id))
    assert found.n is None and found.name == 'x'


def test_nan_in_a_list_or_object_is_stored_as_null(ds):
    # juggler's JSON.stringify writes null at any depth; PostgreSQL refused
    # the text 'NaN' in a JSON column (a raw driver error)
    Thing = ds.define('Thing', {'ns': ['number'], 'meta': 'object'})
    lb.await_(ds.automigrate())
    created = lb.await_(Thing.create({'ns': ['x', 2, float('inf')],
                                      'meta': {'a': [float('nan')], 'b': {'c': float('-inf')}}}))
    assert created.ns[0] != created.ns[0]   # the instance keeps NaN
    found = lb.await_(Thing.findById(created.id))
    assert found.ns == [None, 2, None]
    assert found.meta == {'a': [None], 'b': {'c': None}}


def test_memory_file_stores_nan_as_null(tmp_path):
    import json
    path = tmp_path / 'db.json'
    ds = lb.DataSource('memory', file=str(path))
    Thing = ds.define('Thing', {'n': 'number'})
    lb.await_(Thing.create({'n': 'abc'}))
    lb.await_(Thing.create({'n': float('inf')}))
    rows = json.loads(path.read_text())['models']['Thing']
    assert [json.loads(row)['n'] for row in rows.values()] == [None, None]


def test_a_nan_id_is_generated_by_memory():
    ds = lb.DataSource('memory')
    Thing = ds.define('Thing', {'id': {'type': 'number', 'id': True}, 'name': str})
    created = lb.await_(Thing.create({'id': 'abc', 'name': 'x'}))
    assert created.id == 1


# -- typed arrays: an item type given as a property definition; where coercion --

def test_an_array_item_may_be_a_property_definition(ds):
    # test2-schemas.json: "emails": [{"type": "string", "trim": true}] -- the
    # item type is the definition's type (juggler's resolveType of prop[0])
    Customer = ds.define('Customer', {'emails': [{'type': 'string', 'trim': True}],
                                      'homes': [{'type': {'city': str}}]})
    props = Customer.definition.properties
    assert props['emails'] == {'type': 'array', 'itemType': 'string'}
    assert props['homes']['itemModel'].settings['anonymous'] is True
    assert Customer({'emails': [1, 'a']}).emails == ['1', 'a']


@pytest.mark.parametrize('where, coerced', [
    ({'scores': ['10', '20']}, {'scores': [10, 20]}),
    ({'scores': '7'}, {'scores': 7}),
    ({'scores': {'0': '10', '1': '20'}}, {'scores': [10, 20]}),
    ({'scores': {'between': {'0': '0', '1': '42'}}}, {'scores': {'between': [0, 42]}}),
    ({'scores': {'inq': ['x', '1']}}, {'scores': {'inq': ['x', 1]}}),   # NaN: left as given
    ({'flags': ['true', '0']}, {'flags': [True, False]}),
    ({'names': [1, 'a']}, {'names': ['1', 'a']}),
    ({'any': ['1', {'0': 'x'}]}, {'any': ['1', {'0': 'x'}]}),            # no item type: as given
])
def test_the_where_coerces_the_items_of_a_typed_array(ds, where, coerced):
    Thing = ds.define('Thing', {'scores': ['number'], 'flags': [bool], 'names': [str],
                                'any': 'array'})
    assert Thing._coerce(where) == coerced


@pytest.mark.parametrize('where', [
    {'scores': {'inq': {'0': '10', '1': '20', '4': '30'}}},
    {'scores': {'inq': {'0': '10', '1': '20', 'bogus': 'true'}}},
    {'scores': {'between': {'0': '10', '1': '20', '2': '30'}}},
])
def test_a_malformed_clause_on_a_typed_array_is_a_400(ds, where):
    Thing = ds.define('Thing', {'scores': ['number']})
    with pytest.raises(LoopBackError, match='The scores property has invalid clause') as info:
        Thing._coerce(where)
    assert info.value.statusCode == 400


# -- Text -----------------------------------------------------------------------
# juggler's Text is a type of its own: Text(value) is value, so neither the
# model nor the where coercion touches a Text value (a String is String()-ed);
# SQL stores it in a TEXT column, as loopback-connector-postgresql does.

def test_text_is_a_type_of_its_own(ds):
    M = ds.define('M', {'a': 'Text', 'b': lb.ModelBuilder.Text, 'c': {'type': 'text'}, 's': str})
    props = M.definition.properties
    assert [props[p]['type'] for p in 'abc'] == [lb.ModelBuilder.Text] * 3 == ['text'] * 3
    assert props['s']['type'] == 'string'
    assert M.definition.toJSON()['properties']['a'] == {'type': 'Text'}
    assert M.getPropertyType('a') == 'text'
    assert lb.DataSource.Text == lb.ModelBuilder.Text


@pytest.mark.parametrize('value, string', [
    (123, '123'), (True, 'true'), ({'a': 1}, '[object Object]'), ([1, 2], '1,2'),
    ('{"a":1}', '{"a":1}'), ('[1,2]', '[1,2]'), (None, None),
])
def test_text_values_are_kept_as_given(ds, value, string):
    M = ds.define('M', {'t': 'Text', 's': str})
    inst = M({'t': value, 's': value})
    assert inst.t == value and type(inst.t) is type(value)   # JSON text not parsed either
    assert inst.s == string
    inst.t = 5
    assert inst.t == 5


def test_text_where_values_are_not_coerced(ds):
    M = ds.define('M', {'t': 'Text', 's': str, 'ts': ['Text']})
    assert M._coerce({'t': 123, 's': 123}) == {'t': 123, 's': '123'}
    assert M._coerce({'t': {'inq': [1, '2']}, 'ts': {'inq': [1]}}) == \
        {'t': {'inq': [1, '2']}, 'ts': {'inq': [1]}}
    with pytest.raises(LoopBackError, match='The t property has invalid clause'):
        M._coerce({'t': {'between': [1]}})


def test_text_round_trip(ds, connector_name):
    M = ds.define('Note', {'t': 'Text', 's': str})
    lb.await_(ds.automigrate())
    lb.await_(M.create([{'t': 'abc', 's': 'abc'}, {'t': 123, 's': 123}, {'t': {'a': [1]}}]))
    rows = [(n.t, n.s) for n in lb.await_(M.find({'order': 'id'}))]
    if connector_name == 'memory':
        assert rows == [('abc', 'abc'), (123, '123'), ({'a': [1]}, None)]
    else:
        # a TEXT column: what the database gives back is text
        assert rows == [('abc', 'abc'), ('123', '123'), ('{"a":[1]}', None)]

    def ts(where):
        return sorted(str(n.t) for n in lb.await_(M.find({'where': where})))
    assert ts({'t': 'abc'}) == ['abc']
    assert ts({'t': 123}) == ts({'t': '123'}) == ['123']
    assert ts({'t': {'like': 'ab%'}}) == ['abc']
    assert ts({'t': {'inq': [123, 'abc']}}) == ['123', 'abc']
    if connector_name != 'memory':
        cols = lb.await_(ds.discoverModelProperties('note'))
        kinds = {c['columnName']: c['dataType'].lower() for c in cols}
        assert kinds['t'] == kinds['s'] == 'text'
