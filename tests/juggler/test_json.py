"""Port of juggler 3.36.1's test/json.test.js (issue 18).

juggler's first case defines ``Model`` (on ``getSchema()``) for the others;
here each case runs that definition first (:func:`define_model`) on a fresh
``db``.  ``ModelBuilder.JSON`` is spelt by its type name ``'JSON'``, which
juggler resolves to the same type (the port has no ``ModelBuilder``); JS's
``'propertyName' in m`` (the property's accessor) is ``hasattr``.
"""

import pytest

pytestmark = pytest.mark.lb_fiber


def define_model(db):
    """describe('JSON property')'s first case: Model with a JSON property."""
    return db.define('Model', {'propertyName': 'JSON'})


def test_json_property__should_be_defined(db):
    Model = define_model(db)
    m = Model()
    assert hasattr(m, 'propertyName') is True
    assert m.propertyName is None


def test_json_property__should_accept_json_in_constructor_and_return_object(db):
    Model = define_model(db)
    m = Model({
        'propertyName': '{"foo": "bar"}',
    })
    assert isinstance(m.propertyName, dict)
    assert m.propertyName['foo'] == 'bar'


def test_json_property__should_accept_object_in_setter_and_return_object(db):
    Model = define_model(db)
    m = Model()
    m.propertyName = {'foo': 'bar'}
    assert isinstance(m.propertyName, dict)
    assert m.propertyName['foo'] == 'bar'


def test_json_property__should_accept_string_in_setter_and_return_string(db):
    Model = define_model(db)
    m = Model()
    m.propertyName = '{"foo": "bar"}'
    assert isinstance(m.propertyName, str)
    assert m.propertyName == '{"foo": "bar"}'
