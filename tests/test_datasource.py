"""DataSource: construction, model definition and registry, migration."""

import json

import pytest

import loopback_compat as lb
from loopback_compat.errors import LoopBackError


def test_construction_spellings():
    for ds in (lb.DataSource('memory'), lb.DataSource({'connector': 'memory'}),
               lb.createDataSource('memory'), lb.createDataSource('db', {'connector': 'memory'}),
               lb.DataSource()):
        assert ds.connector.name == 'memory'
    assert lb.createDataSource('db', {'connector': 'memory'}).name == 'db'


def test_unknown_connector():
    with pytest.raises(LoopBackError) as info:
        lb.DataSource('nosuchdb')
    assert 'connector "nosuchdb" is not installed' in info.value.message


def test_register_connector():
    from loopback_compat.connectors.memory import Memory

    class Custom(Memory):
        name = 'custom'
    lb.register_connector('custom-test', Custom)
    assert isinstance(lb.DataSource('custom-test').connector, Custom)


def test_create_model_and_registry(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    assert ds.getModel('Supplier') is Supplier and ds.models['Supplier'] is Supplier
    assert ds.getModel('supplier') is None
    assert Supplier.modelName == 'Supplier' and Supplier.dataSource is ds
    assert Supplier.getDataSource() is ds
    assert issubclass(Supplier, lb.PersistedModel)
    assert ds.define('Other', {}).modelName == 'Other'


def test_settings_as_keyword_arguments(ds):
    Thing = ds.createModel('Thing', {'name': str}, strict=True, hidden=['name'])
    assert Thing.settings['strict'] is True and Thing.settings['hidden'] == ['name']


def definition():
    return {
        'name': 'Supplier', 'base': 'PersistedModel', 'idInjection': True,
        'options': {'validateUpsert': True},
        'properties': {'name': {'type': 'string', 'required': True}, 'rank': 'number'},
        'validations': [], 'relations': {}, 'acls': [], 'methods': {},
    }


def test_create_model_from_definition_dict(ds):
    Supplier = ds.createModel(definition())
    assert Supplier.modelName == 'Supplier'
    assert Supplier.definition.properties['name'] == {'type': 'string', 'required': True}
    assert Supplier.settings['validateUpsert'] is True
    assert Supplier.settings['acls'] == []

    def main():
        try:
            lb.await_(Supplier.create({}))
        except lb.ValidationError as err:
            return err.details['codes']
    assert lb.run(main) == {'name': ['presence']}


def test_base_model_spelling(ds):
    Plain = ds.createModel({'name': 'Plain', 'base': 'Model', 'properties': {'x': 'string'}})
    assert issubclass(Plain, lb.Model)

    def main():
        return lb.await_(Plain.create({'x': 'a'})).id
    assert lb.run(main) == 1


def test_unknown_base(ds):
    with pytest.raises(LoopBackError) as info:
        ds.createModel('X', {}, {'base': 'Nope'})
    assert info.value.message == 'Base model is not found: Nope'


def test_load_model_definition(ds, tmp_path):
    path = tmp_path / 'supplier.json'
    path.write_text(json.dumps(definition()))
    Supplier = lb.loadModelDefinition(ds, str(path))
    assert ds.models['Supplier'] is Supplier


def test_load_model_definition_errors(ds, tmp_path):
    bad = tmp_path / 'bad.json'
    bad.write_text('{not json')
    with pytest.raises(LoopBackError) as info:
        lb.loadModelDefinition(ds, str(bad))
    assert str(bad) in info.value.message
    with pytest.raises(LoopBackError):
        lb.loadModelDefinition(ds, str(tmp_path / 'missing.json'))


def test_automigrate_empties_and_resets_ids(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Other = ds.createModel('Other', {'name': 'string'})

    def main():
        lb.await_(Supplier.create([{'name': 'a'}, {'name': 'b'}]))
        lb.await_(Other.create({'name': 'o'}))
        lb.await_(ds.automigrate('Supplier'))
        assert lb.await_(Supplier.count()) == 0
        assert lb.await_(Other.count()) == 1
        assert lb.await_(Supplier.create({'name': 'c'})).id == 1
        # juggler's memory connector has no autoupdate: data is kept
        lb.await_(ds.autoupdate())
        assert lb.await_(Other.count()) == 1
        lb.await_(ds.automigrate())
        assert lb.await_(Other.count()) == 0
    lb.run(main)


def test_automigrate_with_callback_and_unknown_model(ds):
    ds.createModel('Supplier', {'name': 'string'})
    seen = []

    def main():
        ds.automigrate(['Supplier'], lambda err=None: seen.append(err))
        ds.automigrate(['Nope'], lambda err=None: seen.append(err))
    lb.run(main)
    assert seen[0] is None
    assert seen[1].message == 'Cannot migrate models not attached to this datasource: Nope'


def test_models_from_different_data_sources_are_independent():
    a, b = lb.DataSource('memory'), lb.DataSource('memory')
    A = a.createModel('Thing', {'name': str})
    B = b.createModel('Thing', {'name': str})

    def main():
        lb.await_(A.create({'name': 'a'}))
        return lb.await_(B.count())
    assert lb.run(main) == 0
