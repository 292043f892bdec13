"""Port of juggler 3.36.1's test/allow-extended-operators.test.js (issue 18).

No connector of ours: each case makes a ``new DataSource`` whose connector is
a test connector object, ``{initialize(dataSource, cb)}`` setting
``dataSource.connector`` to a ``TestConnector`` (create and updateAttributes
answer nothing, ``all`` answers the raw ``where.value``), as LB3 resolves
connector modules.  Like juggler's, the "reports invalid operator" cases
check the error in a ``.catch``.
"""

import re

import pytest

import loopback_compat as lb
from loopback_compat.testing import rejection

pytestmark = pytest.mark.lb_fiber


class TestConnector:
    __test__ = False   # not a pytest test class

    def __init__(self, data_source):
        pass

    def create(self, model, data, options, callback):
        callback()

    def updateAttributes(self, model, id, data, options, callback):
        callback()

    def all(self, model, filter, options, callback):
        # return the raw "value" query
        instance_found = {
            'value': filter['where']['value'],
        }
        callback(None, [instance_found])


class TestConnectorModule:
    """``{initialize: (dataSource, cb) => {dataSource.connector = new TestConnector(dataSource)}}``"""

    def initialize(self, data_source, cb=None):
        data_source.connector = TestConnector(data_source)


def create_test_data_source(connector_settings=None):
    connector_settings = connector_settings or {}
    connector_settings['connector'] = TestConnectorModule()
    return lb.DataSource(connector_settings)


def create_test_model(connector_settings=None, model_settings=None):
    ds = create_test_data_source(connector_settings)
    TestModel = ds.createModel('TestModel', {'value': 'String'}, model_settings)

    def persist(ctx, next):
        ctx.Model.lastPersistedData = ctx.data
        next()
    TestModel.observe('persist', persist)

    return TestModel


def extended_query():
    # datasource modifies the query,
    # we have to build a new object for each test
    return {'where': {'value': {'$exists': True}}}


def set_custom_data():
    return {'$set': {'value': 'changed'}}


def assert_operator_not_allowed(err):
    assert err is not None
    assert re.search(r'Operators "\$exists" are not allowed in query', err.message)
    assert err.code == 'OPERATOR_NOT_ALLOWED_IN_QUERY'
    assert err.statusCode == 400
    assert 'operators' in err.details
    assert 'where' in err.details



def test_allow_extended_operators__data_source_settings_allow_extended_operators__dao_find__reports_invalid_operator_by_default():  # noqa: E501
    TestModel = create_test_model()
    lb.await_(TestModel.find(extended_query()).catch(assert_operator_not_allowed))


def test_allow_extended_operators__data_source_settings_allow_extended_operators__dao_find__preserves_extended_operators_with_allow_extended_operators_set():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': True})
    results = lb.await_(TestModel.find(extended_query()))
    assert results[0].value == {'$exists': True}


def test_allow_extended_operators__data_source_settings_allow_extended_operators__dao_find__model_settings_allow_extended_operators_override_data_source_settings_reports_invalid_operator():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': True},
                                  {'allowExtendedOperators': False})
    lb.await_(TestModel.find(extended_query()).catch(assert_operator_not_allowed))


def test_allow_extended_operators__data_source_settings_allow_extended_operators__dao_find__model_settings_allow_extended_operators_override_data_source_settings_preserves_extended_operators():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': False},
                                  {'allowExtendedOperators': True})
    results = lb.await_(TestModel.find(extended_query()))
    assert results[0].value == {'$exists': True}


def test_allow_extended_operators__data_source_settings_allow_extended_operators__dao_find__options_allow_extended_operators_override_data_source_settings_reports_invalid_operator():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': True})
    lb.await_(TestModel.find(extended_query(), {'allowExtendedOperators': False})
              .catch(assert_operator_not_allowed))


def test_allow_extended_operators__data_source_settings_allow_extended_operators__dao_find__options_allow_extended_operators_override_data_source_settings_preserves_extended_operators():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': False})
    results = lb.await_(TestModel.find(extended_query(), {'allowExtendedOperators': True}))
    assert results[0].value == {'$exists': True}


def test_allow_extended_operators__data_source_settings_allow_extended_operators__dao_update_attributes__options_allow_extended_operators_override_data_source_settings_disable_strict_check():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': False}, {'strict': True})
    instance = lb.await_(TestModel.create({'value': 'test'}))
    lb.await_(instance.updateAttributes(set_custom_data(), {'allowExtendedOperators': True}))
    assert TestModel.lastPersistedData == set_custom_data()


def test_allow_extended_operators__data_source_settings_allow_extended_operators__dao_update_attributes__options_allow_extended_operators_override_data_source_settings_enable_strict_check():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': True}, {'strict': True})
    inst = lb.await_(TestModel.create({'value': 'test'}))
    # .then(updateShouldHaveFailed, onError)
    err = rejection(inst.updateAttributes(set_custom_data(), {'allowExtendedOperators': False}))
    assert err is not None
    assert err.name == 'ValidationError'


def test_allow_extended_operators__data_source_settings_allow_extended_operators__dao_update_attributes__model_settings_allow_extended_operators_override_data_source_settings_disable_strict_check():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': False},
                                  {'strict': True, 'allowExtendedOperators': True})
    instance = lb.await_(TestModel.create({'value': 'test'}))
    lb.await_(instance.updateAttributes(set_custom_data()))
    assert TestModel.lastPersistedData == set_custom_data()


def test_allow_extended_operators__data_source_settings_allow_extended_operators__dao_update_attributes__model_settings_allow_extended_operators_override_data_source_settings_enable_strict_check():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': True},
                                  {'strict': True, 'allowExtendedOperators': False})
    inst = lb.await_(TestModel.create({'value': 'test'}))
    # .then(updateShouldHaveFailed, onError)
    err = rejection(inst.updateAttributes(set_custom_data()))
    assert err is not None
    assert err.name == 'ValidationError'


def test_allow_extended_operators__model_settings_allow_extended_operators__dao_find__preserves_extended_operators_with_allow_extended_operators_set():  # noqa: E501
    TestModel = create_test_model({}, {'allowExtendedOperators': True})
    results = lb.await_(TestModel.find(extended_query()))
    assert results[0].value == {'$exists': True}


def test_allow_extended_operators__model_settings_allow_extended_operators__dao_find__data_source_settings_allow_extended_operators_honor_model_settings_reports_invalid_operator():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': True},
                                  {'allowExtendedOperators': False})
    lb.await_(TestModel.find(extended_query()).catch(assert_operator_not_allowed))


def test_allow_extended_operators__model_settings_allow_extended_operators__dao_find__data_source_settings_allow_extended_operators_honor_model_settings_preserves_extended_operators():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': False},
                                  {'allowExtendedOperators': True})
    results = lb.await_(TestModel.find(extended_query()))
    assert results[0].value == {'$exists': True}


def test_allow_extended_operators__model_settings_allow_extended_operators__dao_find__options_allow_extended_operators_override_model_settings_converts_extended_operators():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': True})
    lb.await_(TestModel.find(extended_query(), {'allowExtendedOperators': False})
              .catch(assert_operator_not_allowed))


def test_allow_extended_operators__model_settings_allow_extended_operators__dao_find__options_allow_extended_operators_model_settings_preserves_extended_operators():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': False})
    results = lb.await_(TestModel.find(extended_query(), {'allowExtendedOperators': True}))
    assert results[0].value == {'$exists': True}


def test_allow_extended_operators__model_settings_allow_extended_operators__dao_update_attributes__options_allow_extended_operators_override_model_settings_disable_strict_check():  # noqa: E501
    TestModel = create_test_model({}, {'strict': True, 'allowExtendedOperators': False})
    instance = lb.await_(TestModel.create({'value': 'test'}))
    lb.await_(instance.updateAttributes(set_custom_data(), {'allowExtendedOperators': True}))
    assert TestModel.lastPersistedData == set_custom_data()


def test_allow_extended_operators__model_settings_allow_extended_operators__dao_update_attributes__options_allow_extended_operators_override_model_settings_enabled_strict_check():  # noqa: E501
    TestModel = create_test_model({}, {'strict': True, 'allowExtendedOperators': True})
    inst = lb.await_(TestModel.create({'value': 'test'}))
    # .then(updateShouldHaveFailed, onError)
    err = rejection(inst.updateAttributes(set_custom_data(), {'allowExtendedOperators': False}))
    assert err is not None
    assert err.name == 'ValidationError'


def test_allow_extended_operators__model_settings_allow_extended_operators__dao_update_attributes__data_source_settings_allow_extended_operators_honor_model_settings_disable_strict_check():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': False},
                                  {'strict': True, 'allowExtendedOperators': True})
    instance = lb.await_(TestModel.create({'value': 'test'}))
    lb.await_(instance.updateAttributes(set_custom_data()))
    assert TestModel.lastPersistedData == set_custom_data()


def test_allow_extended_operators__model_settings_allow_extended_operators__dao_update_attributes__data_source_settings_allow_extended_operators_honor_model_settings_enable_strict_check():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': True},
                                  {'strict': True, 'allowExtendedOperators': False})
    inst = lb.await_(TestModel.create({'value': 'test'}))
    # .then(updateShouldHaveFailed, onError)
    err = rejection(inst.updateAttributes(set_custom_data()))
    assert err is not None
    assert err.name == 'ValidationError'


def test_allow_extended_operators__options_allow_extended_operators__dao_find__preserves_extended_operators_with_allow_extended_operators_set():  # noqa: E501
    TestModel = create_test_model()
    results = lb.await_(TestModel.find(extended_query(), {'allowExtendedOperators': True}))
    assert results[0].value == {'$exists': True}


def test_allow_extended_operators__options_allow_extended_operators__dao_find__data_source_settings_allow_extended_operators_honor_options_settings_converts_extended_operators():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': True})
    lb.await_(TestModel.find(extended_query(), {'allowExtendedOperators': False})
              .catch(assert_operator_not_allowed))


def test_allow_extended_operators__options_allow_extended_operators__dao_find__data_source_settings_allow_extended_operators_honor_options_settings_preserves_extended_operators():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': False})
    results = lb.await_(TestModel.find(extended_query(), {'allowExtendedOperators': True}))
    assert results[0].value == {'$exists': True}


def test_allow_extended_operators__options_allow_extended_operators__dao_find__model_settings_allow_extended_operators_honor_options_settings_converts_extended_operators():  # noqa: E501
    TestModel = create_test_model({}, {'allowExtendedOperators': True})
    lb.await_(TestModel.find(extended_query(), {'allowExtendedOperators': False})
              .catch(assert_operator_not_allowed))


def test_allow_extended_operators__options_allow_extended_operators__dao_find__model_settings_allow_extended_operators_honor_options_settings_preserves_extended_operators():  # noqa: E501
    TestModel = create_test_model({}, {'allowExtendedOperators': False})
    results = lb.await_(TestModel.find(extended_query(), {'allowExtendedOperators': True}))
    assert results[0].value == {'$exists': True}


def test_allow_extended_operators__options_allow_extended_operators__dao_update_attributes__model_settings_allow_extended_operators_honor_options_settings_disable_strict_check():  # noqa: E501
    TestModel = create_test_model({}, {'strict': True, 'allowExtendedOperators': False})
    instance = lb.await_(TestModel.create({'value': 'test'}))
    lb.await_(instance.updateAttributes(set_custom_data(), {'allowExtendedOperators': True}))
    assert TestModel.lastPersistedData == set_custom_data()


def test_allow_extended_operators__options_allow_extended_operators__dao_update_attributes__model_settings_allow_extended_operators_honor_options_settings_enable_strict_check():  # noqa: E501
    TestModel = create_test_model({}, {'strict': True, 'allowExtendedOperators': True})
    inst = lb.await_(TestModel.create({'value': 'test'}))
    # .then(updateShouldHaveFailed, onError)
    err = rejection(inst.updateAttributes(set_custom_data(), {'allowExtendedOperators': False}))
    assert err is not None
    assert err.name == 'ValidationError'


def test_allow_extended_operators__options_allow_extended_operators__dao_update_attributes__data_source_settings_allow_extended_operators_honor_options_settings_disable_strict_check():  # noqa: E501
    TestModel = create_test_model({}, {'strict': True})
    instance = lb.await_(TestModel.create({'value': 'test'}))
    lb.await_(instance.updateAttributes(set_custom_data(), {'allowExtendedOperators': True}))
    assert TestModel.lastPersistedData == set_custom_data()


def test_allow_extended_operators__options_allow_extended_operators__dao_update_attributes__data_source_settings_allow_extended_operators_honor_options_settings_enable_strict_check():  # noqa: E501
    TestModel = create_test_model({'allowExtendedOperators': True}, {'strict': True})
    inst = lb.await_(TestModel.create({'value': 'test'}))
    # .then(updateShouldHaveFailed, onError)
    err = rejection(inst.updateAttributes(set_custom_data(), {'allowExtendedOperators': False}))
    assert err is not None
    assert err.name == 'ValidationError'
