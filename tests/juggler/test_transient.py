"""juggler 3.36.1 test/transient.test.js, ported (issue 18).

juggler builds ``new DataSource('transient')`` itself, so these cases do not
run per connector.  Its ``before`` hook is :func:`transient_models`, called at
the start of each case.  ``Model.definition.properties.id.type`` is juggler's
constructor (``String``, ``Number``); here it is the LoopBack type name
(docs/models.md).
"""

import re

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome

def get_transient_data_source(settings=None):
    return lb.DataSource('transient', settings)


def transient_models():
    """describe('Transient connector')'s ``before``."""
    db = get_transient_data_source()
    TransientModel = db.define('TransientModel', {}, {'idInjection': False})

    Person = TransientModel.extend('Person', {'name': str})
    Person.attachTo(db)

    Widget = db.define('Widget', {'name': str})
    Item = db.define('Item', {'id': {'type': float, 'id': True}, 'name': str})
    return Person, Widget, Item


@pytest.mark.lb_fiber
def test_transient_connector__should_respect_idinjection_being_false():
    Person, Widget, Item = transient_models()
    assert Person.definition.properties.get('id') is None
    assert Person.definition.properties.get('name') is not None

    err, (inst,), _ = callback_outcome(Person.create, {'name': 'Wilma'})
    assert err is None
    assert inst.toObject() == {'name': 'Wilma'}

    err, (count,), _ = callback_outcome(Person.count)
    assert err is None
    assert count == 0


@pytest.mark.lb_fiber
def test_transient_connector__should_generate_a_random_string_id():
    Person, Widget, Item = transient_models()
    assert Widget.definition.properties.get('id') is not None
    assert Widget.definition.properties.get('name') is not None

    assert Widget.definition.properties['id']['type'] == 'string'

    err, (inst,), _ = callback_outcome(Widget.create, {'name': 'Thing'})
    assert err is None
    assert re.search(r'^[0-9a-fA-F]{24}$', inst.id)
    assert inst.name == 'Thing'

    err, (widget,), _ = callback_outcome(Widget.findById, inst.id)
    assert err is None
    assert widget is None


@pytest.mark.lb_fiber
def test_transient_connector__should_generate_a_random_number_id():
    Person, Widget, Item = transient_models()
    assert Item.definition.properties.get('id') is not None
    assert Item.definition.properties.get('name') is not None

    assert Item.definition.properties['id']['type'] == 'number'

    err, (inst,), _ = callback_outcome(Item.create, {'name': 'Example'})
    assert err is None
    assert inst.name == 'Example'

    err, (count,), _ = callback_outcome(Item.count)
    assert err is None
    assert count == 0
