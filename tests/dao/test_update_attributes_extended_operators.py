"""updateAttributes and allowExtendedOperators on a strict model, on every connector.

juggler skips its strict check when extended operators are allowed (the
method option, else the model setting, else the data source's): the data
``{$set: {...}}`` reaches 'persist' and the connector as given (a MongoDB
connector applies it; memory and SQL leave the row as it was).  Without
them, ``$set`` is an unknown property of a strict model: a 422
ValidationError and nothing written.
"""

import pytest

import loopback_compat as lb
from loopback_compat.errors import ValidationError
from loopback_compat.testing import rejection

SET = {'$set': {'value': 'changed'}}


def model(ds, **settings):
    Thing = ds.createModel('Thing', {'value': 'string'}, dict({'strict': True}, **settings))
    lb.await_(ds.automigrate('Thing'))
    persisted = []

    def persist(ctx, next):
        persisted.append(ctx.data)
        next()
    Thing.observe('persist', persist)
    return Thing, persisted


def rows(Thing):
    return [t.toJSON() for t in lb.await_(Thing.find())]


@pytest.mark.parametrize('settings, options', [
    ({}, {'allowExtendedOperators': True}),
    ({'allowExtendedOperators': True}, {}),
    ({'allowExtendedOperators': False}, {'allowExtendedOperators': True}),
])
@pytest.mark.lb_fiber
def test_allowed_extended_operators_reach_the_connector_as_given(ds, settings, options):
    Thing, persisted = model(ds, **settings)
    inst = lb.await_(Thing.create({'value': 'test'}))
    out = lb.await_(inst.updateAttributes(dict(SET), options))
    assert out is inst and persisted[-1] == SET
    # juggler: an own property of the instance, shown by toJSON, not by toObject()
    assert inst['$set'] == {'value': 'changed'}
    assert inst.toJSON() == {'value': 'test', 'id': 1, '$set': {'value': 'changed'}}
    assert inst.toObject() == {'value': 'test', 'id': 1}
    assert rows(Thing) == [{'value': 'test', 'id': 1}]


@pytest.mark.parametrize('settings, options', [
    ({}, {}),
    ({'allowExtendedOperators': True}, {'allowExtendedOperators': False}),
    ({}, {'allowExtendedOperators': None}),
])
@pytest.mark.lb_fiber
def test_otherwise_an_extended_operator_is_an_unknown_property(ds, settings, options):
    Thing, persisted = model(ds, **settings)
    inst = lb.await_(Thing.create({'value': 'test'}))
    err = rejection(inst.updateAttributes(dict(SET), options))
    assert isinstance(err, ValidationError) and err.statusCode == 422
    assert err.details['codes'] == {'$set': ['unknown-property']}
    assert len(persisted) == 1    # the create's only
    assert rows(Thing) == [{'value': 'test', 'id': 1}]


@pytest.mark.lb_fiber
def test_dollar_accessor_reads_declared_properties_raw_only(ds):
    Thing, _ = model(ds)
    inst = lb.await_(Thing.create({'value': 'v'}))
    assert inst['$value'] == 'v'                     # juggler's raw accessor
    assert inst['$set'] is None                      # none for what is not declared
    inst['$set'] = 1                                 # a JS own property '$set'
    assert inst['$set'] == 1 and inst['$value'] == 'v' and inst['set'] is None
