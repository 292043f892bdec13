"""Port of juggler 3.36.1's test/datatype.test.js (issue 18).

juggler's ``before`` defines the models once on ``getSchema()``; its cases do
not depend on each other's data, so here each case runs that ``before``
(:func:`datatypes_before`) on a fresh ``db``; the cases that start with
``db = getSchema()`` (a new data source) use their fresh ``db`` as it.

Spellings: ``Model.definition.properties.x.type`` is the LoopBack type name
(``'string'``; an array type is ``'array'`` with ``itemType``), as
docs/models.md says; JavaScript's ``undefined`` as a value is ``lb.undefined``;
``inst.__data`` is ``inst._data``; ``should.have.properties({p: null})`` is
"``p`` is set (``'p' in inst``) and None", Python's closest to ``=== null``;
``Date#toString()`` equality is datetime equality; the dates juggler builds
from zone-less strings are UTC (the suite's time zone).
"""

import datetime

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome

pytestmark = pytest.mark.lb_fiber

UTC = datetime.timezone.utc


def datatypes_before(db):
    """describe('datatypes')'s before."""
    Nested = db.define('Nested', {})
    model_table_schema = {
        'str': 'String',
        'date': 'Date',
        'num': 'Number',
        'bool': 'Boolean',
        'list': {'type': ['String']},
        'arr': 'Array',
        'nested': Nested,
    }
    models = {}
    models['Model'] = db.define('Model', model_table_schema)
    # 'modelWithDecimalArray' is too long an identifier name for Oracle DB
    models['modelWithDecimalArray'] = db.define('modelWithDecArr', {
        'randomReview': {
            'type': ['String'],
            'mongodb': {
                'dataType': 'Decimal128',
            },
        },
    })
    models['dateArrayModel'] = db.define('dateArrayModel', {
        'bunchOfDates': ['Date'],
        'bunchOfOtherDates': {
            'type': ['Date'],
        },
    })
    models['numArrayModel'] = db.define('numArrayModel', {
        'bunchOfNums': ['Number'],
    })
    lb.await_(db.automigrate(['Model', 'modelWithDecArr', 'dateArrayModel', 'numArrayModel']))
    return models


def test_datatypes__should_resolve_top_level_type_property_correctly(db):
    datatypes_before(db)
    Account = db.define('Account', {
        'type': 'String',
        'id': 'String',
    })
    # juggler: Account.definition.properties.type.type.should.equal(String)
    assert Account.definition.properties['type']['type'] == 'string'


def test_datatypes__should_resolve_type_sub_property_correctly(db):
    datatypes_before(db)
    Account = db.define('Account', {
        'item': {'type': {
            'itemname': {'type': 'String'},
            'type': {'type': 'String'},
        }},
    })
    assert Account.definition.properties['item']['type'] != 'string'


def test_datatypes__should_resolve_array_prop_with_connector_specific_metadata(db):
    models = datatypes_before(db)
    props = models['modelWithDecimalArray'].definition.properties
    # juggler: props.randomReview.type.should.deepEqual(Array(String))
    assert (props['randomReview']['type'], props['randomReview']['itemType']) == \
        ('array', 'string')
    assert props['randomReview']['mongodb'] == {'dataType': 'Decimal128'}


def test_datatypes__should_coerce_array_of_dates_from_string(db):
    models = datatypes_before(db)
    date_val = '2019-02-21T12:00:00.000Z'
    created = lb.await_(models['dateArrayModel'].create({
        'bunchOfDates': [date_val,
                         date_val,
                         date_val],
        'bunchOfOtherDates': [date_val,
                              date_val,
                              date_val],
    }))
    expected = datetime.datetime(2019, 2, 21, 12, tzinfo=UTC)
    assert isinstance(created.bunchOfDates[0], datetime.datetime)
    assert created.bunchOfDates[0] == expected
    assert isinstance(created.bunchOfOtherDates[0], datetime.datetime)
    assert created.bunchOfOtherDates[0] == expected


def test_datatypes__should_coerce_array_of_numbers_from_string(db):
    models = datatypes_before(db)
    created = lb.await_(models['numArrayModel'].create({
        'bunchOfNums': ['1',
                        '2',
                        '3'],
    }))
    assert isinstance(created.bunchOfNums[0], (int, float)) and \
        not isinstance(created.bunchOfNums[0], bool)
    assert created.bunchOfNums[0] == 1


def test_datatypes__should_return_400_when_property_of_type_array_is_set_to_string_value(db):
    datatypes_before(db)
    my_model = db.define('myModel', {
        'list': {'type': ['object']},
    })
    err = callback_outcome(my_model.create, {'list': 'This string will crash the server'}).err
    assert err.statusCode == 400


def test_datatypes__should_return_400_when_property_of_type_array_is_set_to_object_value(db):
    datatypes_before(db)
    my_model = db.define('myModel', {
        'list': {'type': ['object']},
    })
    err = callback_outcome(my_model.create,
                           {'list': {'key': 'This string will crash the server'}}).err
    assert err.statusCode == 400


def test_datatypes__should_keep_types_when_get_read_data_from_db(db):
    Model = datatypes_before(db)['Model']
    d = datetime.datetime(2015, 1, 1, 12, tzinfo=UTC)

    err, (m,), _ = callback_outcome(Model.create, {
        'str': 'hello', 'date': d, 'num': '3', 'bool': 1, 'list': ['test'], 'arr': [1, 'str'],
    })
    assert err is None
    assert m is not None and m.id is not None
    assert isinstance(m.str, str)
    assert isinstance(m.num, (int, float)) and not isinstance(m.num, bool)
    assert isinstance(m.bool, bool)
    assert m.list[0] == 'test'
    assert m.arr[0] == 1
    assert m.arr[1] == 'str'
    id_ = m.id

    # testFind
    err, (m,), _ = callback_outcome(Model.findById, id_)
    assert err is None
    assert m is not None
    assert isinstance(m.str, str)
    assert isinstance(m.num, (int, float)) and not isinstance(m.num, bool)
    assert isinstance(m.bool, bool)
    assert m.list[0] == 'test'
    assert m.arr[0] == 1
    assert m.arr[1] == 'str'
    assert isinstance(m.date, datetime.datetime)
    assert m.date == d, 'Time must match'

    # testAll
    err, (m,), _ = callback_outcome(Model.findOne)
    assert err is None
    assert m is not None
    assert isinstance(m.str, str)
    assert isinstance(m.num, (int, float)) and not isinstance(m.num, bool)
    assert isinstance(m.bool, bool)
    assert isinstance(m.date, datetime.datetime)
    assert m.date == d, 'Time must match'


def test_datatypes__should_respect_data_types_when_updating_attributes(db):
    Model = datatypes_before(db)['Model']
    d = datetime.datetime.now(UTC)

    err, (m,), _ = callback_outcome(Model.create, {
        'str': 'hello', 'date': d, 'num': '3', 'bool': 1})
    assert err is None
    assert m is not None and m.id is not None

    # sanity check initial types
    assert isinstance(m.str, str)
    assert isinstance(m.num, (int, float)) and not isinstance(m.num, bool)
    assert isinstance(m.bool, bool)
    id_ = m.id

    def test_data_in_db():
        # verify that the value stored in the db is still an object
        # (juggler: db.connector.find(Model.modelName, id, {}, cb) when find takes 4 arguments)
        _, (data,), _ = callback_outcome(db.connector.find, Model.modelName, id_, {})
        assert data is not None
        assert isinstance(data['num'], (int, float)) and not isinstance(data['num'], bool)

    def test_update():
        err, (m,), _ = callback_outcome(Model.findById, id_)
        assert err is None
        # update using updateAttributes
        err, (m,), _ = callback_outcome(m.updateAttributes, {
            'id': m.id, 'num': 10,
        })
        assert err is None
        assert isinstance(m.num, (int, float)) and not isinstance(m.num, bool)

    test_data_in_db()
    test_update()
    test_data_in_db()


def test_datatypes__should_not_coerce_nested_objects_into_model_constructor_types(db):
    Model = datatypes_before(db)['Model']
    coerced = Model._coerce({'nested': {'foo': 'bar'}})
    # coerced.nested.constructor.name.should.equal('Object')
    assert type(coerced['nested']) is dict


def test_datatypes__rejects_array_value_converted_to_na_n_for_a_required_property(db):
    # juggler: db = getSchema(), a new data source (the describe's before
    # defined its models on the previous one): this case's fresh db
    Model = db.define('RequiredNumber', {
        'num': {'type': 'Number', 'required': True},
    })
    callback_outcome(db.automigrate, ['Model'])
    err, (inst,), _ = callback_outcome(Model.create, {'num': [1, 2, 3]})
    assert err is not None
    assert err.name == 'ValidationError'


def test_datatypes__handles_null_data(db):
    # juggler: db = getSchema(), a new data source: this case's fresh db
    Model = db.define('HandleNullModel', {
        'data': {'type': 'string'},
    })
    callback_outcome(db.automigrate, ['HandleNullModel'])
    Model(None)


# -- describe('model option persistUndefinedAsNull') --------------------------

def persist_undefined_as_null_before(db):
    """describe('model option persistUndefinedAsNull')'s before, on a new
    getSchema() (this case's fresh db)."""
    TestModel = db.define(
        'TestModel',
        {
            'name': {'type': 'String', 'required': False},
            'desc': {'type': 'String', 'required': False},
            'stars': {'type': 'Number', 'required': False},
        },
        {
            'persistUndefinedAsNull': True,
        },
    )
    is_strict = TestModel.definition.settings.get('strict')
    lb.await_(db.automigrate(['TestModel']))
    return TestModel, is_strict


def assert_properties(obj, expected):
    """should.have.properties(expected): each name is set (not undefined), to that value."""
    for name, value in expected.items():
        assert name in obj, name
        assert obj[name] == value, name


def test_datatypes__model_option_persist_undefined_as_null__should_set_missing_optional_properties_to_null(  # noqa: E501
        db):
    TestModel, is_strict = persist_undefined_as_null_before(db)
    EXPECTED = {'desc': None, 'stars': None}
    err, (created,), _ = callback_outcome(TestModel.create, {'name': 'a-test-name'})
    assert err is None
    assert_properties(created, EXPECTED)

    err, (found,), _ = callback_outcome(TestModel.findById, created.id)
    assert err is None
    assert_properties(found, EXPECTED)


def test_datatypes__model_option_persist_undefined_as_null__should_convert_property_value_undefined_to_null(  # noqa: E501
        db):
    TestModel, is_strict = persist_undefined_as_null_before(db)
    EXPECTED = {'desc': None, 'extra': None}
    data = {'desc': lb.undefined, 'extra': lb.undefined}
    if is_strict:
        # SQL-based connectors don't support dynamic properties
        del EXPECTED['extra']
        del data['extra']
    err, (created,), _ = callback_outcome(TestModel.create, data)
    assert err is None

    assert_properties(created, EXPECTED)

    err, (found,), _ = callback_outcome(TestModel.findById, created.id)
    assert err is None
    assert_properties(found, EXPECTED)


def test_datatypes__model_option_persist_undefined_as_null__should_convert_undefined_to_null_in_the_setter(  # noqa: E501
        db):
    TestModel, is_strict = persist_undefined_as_null_before(db)
    inst = TestModel()
    inst.desc = lb.undefined
    assert 'desc' in inst and inst.desc is None
    assert inst.toObject()['desc'] is None


def test_datatypes__model_option_persist_undefined_as_null__should_use_null_in_unset_attribute(
        db):
    TestModel, is_strict = persist_undefined_as_null_before(db)
    inst = TestModel()
    inst.unsetAttribute('stars')
    assert 'stars' in inst and inst.stars is None
    assert inst.toObject()['stars'] is None


def test_datatypes__model_option_persist_undefined_as_null__should_convert_undefined_to_null_on_save(  # noqa: E501
        db):
    TestModel, is_strict = persist_undefined_as_null_before(db)
    EXPECTED = {'desc': None, 'stars': None, 'extra': None, 'dx': None}
    if is_strict:
        # SQL-based connectors don't support dynamic properties
        del EXPECTED['extra']
        del EXPECTED['dx']

    err, (created,), _ = callback_outcome(TestModel.create, {})
    assert err is None
    created.desc = lb.undefined  # Note: this is may be a no-op
    created.unsetAttribute('stars')
    created.extra = lb.undefined
    created._data['dx'] = lb.undefined

    err, (saved,), _ = callback_outcome(created.save)
    assert err is None

    assert_properties(created, EXPECTED)
    assert_properties(saved, EXPECTED)

    # juggler: connector.all(modelName, {where: {id}}, {}, cb) when all takes 4 arguments
    err, (found,), _ = callback_outcome(
        TestModel.dataSource.connector.all, TestModel.modelName,
        {'where': {'id': created.id}}, {})
    assert err is None
    assert found[0] is not None
    assert_properties(found[0], EXPECTED)


def test_datatypes__model_option_persist_undefined_as_null__should_convert_undefined_to_null_in_to_object(  # noqa: E501
        db):
    TestModel, is_strict = persist_undefined_as_null_before(db)
    inst = TestModel()
    inst.desc = lb.undefined  # Note: this may be a no-op
    inst.unsetAttribute('stars')
    inst.extra = lb.undefined
    inst._data['dx'] = lb.undefined

    assert_properties(inst.toObject(False), {
        'desc': None, 'stars': None, 'extra': None, 'dx': None,
    })
