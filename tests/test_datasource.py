"""DataSource: construction, model definition and registry, migration."""

import json
import re

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


@pytest.mark.lb_fiber
def test_base_model_spelling(ds):
    Plain = ds.createModel({'name': 'Plain', 'base': 'Model', 'properties': {'x': 'string'}})
    assert issubclass(Plain, lb.Model)
    assert lb.await_(Plain.create({'x': 'a'})).id == 1


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


@pytest.mark.lb_fiber
def test_automigrate_empties_and_resets_ids(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Other = ds.createModel('Other', {'name': 'string'})
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


def test_automigrate_with_callback_and_unknown_model(ds):
    ds.createModel('Supplier', {'name': 'string'})
    seen = []

    def main():
        ds.automigrate(['Supplier'], lambda err=None: seen.append(('Supplier', err)))
        ds.automigrate(['Nope'], lambda err=None: seen.append(('Nope', err)))
    lb.run(main)
    # (the data source refuses Nope itself, as juggler's: on SQL before the
    # connector has migrated Supplier)
    outcomes = dict(seen)
    assert len(seen) == 2 and outcomes['Supplier'] is None
    assert outcomes['Nope'].message == 'Cannot migrate models not attached to this datasource: Nope'


@pytest.mark.lb_fiber
def test_models_from_different_data_sources_are_independent():
    a, b = lb.DataSource('memory'), lb.DataSource('memory')
    A = a.createModel('Thing', {'name': str})
    B = b.createModel('Thing', {'name': str})
    lb.await_(A.create({'name': 'a'}))
    assert lb.await_(B.count()) == 0


# -- juggler's forwarding methods (the connector's work, juggler's fallbacks) ---------

def _outcome(promise):
    try:
        return 'ok', lb.await_(promise)
    except Exception as err:  # noqa: BLE001 - the rejection is the outcome
        return 'err', err


def test_forwarding_methods_without_connector_support():
    # the memory connector discovers nothing and has no execute/isActual/ping:
    # juggler's fallbacks answer
    ds = lb.DataSource('memory')

    def main():
        return {
            'isActual': _outcome(ds.isActual()),
            'ping': _outcome(ds.ping()),
            'definitions': _outcome(ds.discoverModelDefinitions()),
            'properties': _outcome(ds.discoverModelProperties('t')),
            'keys': _outcome(ds.discoverPrimaryKeys('t', {})),
            'schema': _outcome(ds.discoverSchema('t')),
            'execute': _outcome(ds.execute('SELECT 1')),
        }
    got = lb.run(main)
    assert ds.isRelational() is False
    assert got['isActual'] == ('ok', True)
    assert got['ping'] == got['definitions'] == got['properties'] == got['keys'] == ('ok', None)
    assert got['schema'][0] == 'err'
    assert got['schema'][1].message == "Table 't' does not exist."
    assert got['execute'][0] == 'err'
    assert got['execute'][1].code == 'NOT_IMPLEMENTED'
    assert got['execute'][1].message == ('The connector "memory" used by dataSource "memory" '
                                         'does not implement "execute()" API.')


def test_ping_reports_a_disconnected_source_without_connector_ping():
    ds = lb.DataSource('memory')

    def main():
        lb.await_(ds.disconnect())
        return _outcome(ds.ping())
    status, err = lb.run(main)
    assert status == 'err' and err.message == 'Not connected'


def test_discover_schemas_builds_juggler_definitions_from_connector_answers():
    """The generic discovery of juggler's DataSource over a connector that only
    lists columns, keys and foreign keys (as most LB3 SQL connectors)."""
    from loopback_compat.connectors.memory import Memory

    class Listing(Memory):
        name = 'listing'
        columns = {
            'order_line': [('order_id', 'N'), ('product_code', 'YES'), ('QTY', 'NO')],
            'order_head': [('id', 'N'), ('placed_at', 'Y')],
        }

        def discoverModelProperties(self, table, options, cb):
            lb.nextTick(cb, None, [
                {'owner': 'shop', 'tableName': table, 'columnName': c, 'dataType': 'text',
                 'dataLength': 10, 'dataPrecision': None, 'dataScale': None,
                 'nullable': n, 'type': 'String'} for c, n in self.columns.get(table, [])])

        def discoverPrimaryKeys(self, table, options, cb):
            key = {'order_line': 'order_id', 'order_head': 'id'}.get(table)
            lb.nextTick(cb, None, [{'owner': 'shop', 'tableName': table, 'columnName': key,
                                    'keySeq': 1, 'pkName': None}])

        def discoverForeignKeys(self, table, options, cb):
            fks = [{'fkOwner': 'shop', 'fkName': 'line_head', 'fkTableName': 'order_line',
                    'fkColumnName': 'order_id', 'keySeq': 1, 'pkOwner': 'shop',
                    'pkName': None, 'pkTableName': 'order_head', 'pkColumnName': 'id'}]
            lb.nextTick(cb, None, fks if table == 'order_line' else [])

    ds = lb.DataSource({'connector': Listing})

    def main():
        return (lb.await_(ds.discoverSchema('order_line')),
                lb.await_(ds.discoverSchemas('order_line', {'relations': True})),
                lb.await_(ds.discoverSchema('order_line', {'nameMapper': None}))['name'])
    one, many, unmapped = lb.run(main)
    assert one['name'] == 'OrderLine'
    assert one['options'] == {'idInjection': False,
                              'listing': {'schema': 'shop', 'table': 'order_line'}}
    assert list(one['properties']) == ['orderId', 'productCode', 'qty']
    assert one['properties']['orderId']['id'] == 1
    assert [p['required'] for p in one['properties'].values()] == [True, False, True]
    assert one['properties']['productCode']['listing'] == {
        'columnName': 'product_code', 'dataType': 'text', 'dataLength': 10,
        'dataPrecision': None, 'dataScale': None, 'nullable': 'YES'}
    assert 'relations' not in one['options']
    assert sorted(many) == ['shop.order_head', 'shop.order_line']
    # juggler's naming lower-cases all but the first letter of each part: 'Headrel'
    assert many['shop.order_line']['options']['relations'] == {
        'lineHeadrel': {'model': 'OrderHead', 'type': 'belongsTo', 'foreignKey': 'orderId'}}
    assert unmapped == 'order_line'


def test_begin_transaction_is_a_model_static_and_needs_connector_support():
    ds = lb.DataSource('memory')
    Thing = ds.createModel('Thing', {'name': 'string'})
    assert 'beginTransaction' not in vars(Thing)
    errors = []

    def main():
        errors.append(_outcome(Thing.beginTransaction()))
        errors.append(_outcome(Thing.beginTransaction('SOMETIMES')))
    lb.run(main)
    assert [(s, e.name, e.message) for s, e in errors] == [
        ('err', 'AssertionError', 'beginTransaction must be function implemented by the connector'),
        ('err', 'AssertionError', 'Invalid isolationLevel')]


# -- connector modules, states, URLs (juggler's DataSource.setup) ---------------

class MemoryModule:
    """An LB3 connector module: ``initialize(dataSource, cb)`` sets ds.connector."""

    name = 'memory-module'

    def __init__(self, later=False, fail=None):
        self.later, self.fail, self.calls = later, fail, []

    def initialize(self, data_source, cb):
        from loopback_compat.connectors.memory import Memory
        self.calls.append(data_source)
        data_source.connector = Memory(data_source.settings, data_source)
        if self.later:
            lb.nextTick(cb, self.fail)
        else:
            cb(self.fail)


@pytest.mark.lb_fiber
def test_connector_module_in_settings_is_initialized():
    module = MemoryModule()
    ds = lb.DataSource({'connector': module, 'name': 'mod'})
    assert module.calls == [ds] and ds.name == 'mod'
    assert ds.initialized and ds.connected and ds.connector.dataSource is ds
    Note = ds.createModel('Note', {'text': str})
    lb.await_(Note.create({'text': 'a'}))
    assert lb.await_(Note.count()) == 1


@pytest.mark.lb_fiber
def test_connector_module_calling_back_later_and_failing():
    seen = []
    ds = lb.DataSource('late', MemoryModule(later=True, fail=LoopBackError('no route')))
    ds.on('error', lambda err: seen.append(('error', err.message)))
    ds.on('initialized', lambda: seen.append('initialized'))
    assert (ds.connected, ds.initialized, ds.name) == (False, False, 'late')
    lb.await_(lb.Promise(lambda resolve, reject: lb.setImmediate(resolve)))
    assert seen == [('error', 'no route')] and not ds.connected


def test_connector_module_that_throws_names_the_connector():
    class Broken:
        name = 'broken'

        def initialize(self, data_source, cb):
            raise LoopBackError('bad settings')
    with pytest.raises(LoopBackError) as info:
        lb.DataSource({'connector': Broken()})
    assert info.value.message == 'Cannot initialize connector "broken": bad settings'


@pytest.mark.lb_fiber
def test_connect_calls_the_connector_once_for_waiting_callers():
    ds = lb.DataSource('memory')
    calls = []
    ds.connector.connect = lambda cb: (calls.append(1), lb.setTimeout(cb, 5))
    ds.connected = False
    events = []
    ds.on('connected', lambda: events.append('connected'))
    first, second = ds.connect(), ds.connect()
    assert ds.connecting and calls == [1]
    lb.await_(lb.Promise.all([first, second]))
    assert (ds.connected, ds.connecting, events, calls) == (True, False, ['connected'], [1])
    lb.await_(ds.connect())        # connected: nothing more to do
    assert calls == [1]


def test_url_and_loopback_connector_prefix():
    ds = lb.DataSource('memory://localhost:3000/mydb?x=1')
    assert ds.connector.name == 'memory'
    assert (ds.settings['database'], ds.settings['port'], ds.settings['x']) == ('mydb', 3000, '1')
    lb.register_connector('loopback-connector-prefixed', lambda settings, data_source:
                          __import__('loopback_compat').Memory(settings, data_source))
    assert lb.DataSource({'connector': 'prefixed'}).connector.name == 'memory'


def test_data_sources_sharing_a_model_builder():
    builder = lb.ModelBuilder()
    a = lb.DataSource('a', {'connector': 'memory'}, builder)
    b = lb.DataSource('b', {'connector': lb.Memory}, builder)
    Thing = a.createModel('Thing', {'name': str})
    assert a.models is builder.models and b.getModel('Thing') is Thing
    b.deleteModelByName('Thing')
    assert 'Thing' not in a.models and a.getModelDefinition('Thing') is None


def test_connector_types(ds):
    assert 'db' in ds.getTypes() and ds.supportTypes('db')
    assert not ds.supportTypes(['db', 'no-such-type'])


# -- the transient connector -------------------------------------------------------

@pytest.mark.lb_fiber
def test_transient_connector_stores_nothing():
    ds = lb.DataSource('transient')
    Widget = ds.createModel('Widget', {'name': str})
    Item = ds.createModel('Item', {'id': {'type': 'number', 'id': True}, 'name': str})
    widget = lb.await_(Widget.create({'name': 'w'}))
    assert re.fullmatch('[0-9a-f]{24}', widget.id)
    assert 0 <= lb.await_(Item.create({'name': 'i'})).id < 10000
    assert lb.await_(Item.create({'id': '12', 'name': 'i'})).id == 12
    assert lb.await_(Widget.findById(widget.id)) is None
    assert (lb.await_(Widget.find()), lb.await_(Widget.count())) == ([], 0)
    assert lb.await_(Widget.exists(widget.id)) is False
    assert lb.await_(Widget.updateAll({'name': 'w'}, {'name': 'v'})) == {'count': 0}
    found, created = lb.await_(Widget.findOrCreate({'where': {'name': 'x'}}, {'name': 'x'}))
    assert created is True and len(found.id) == 24
    widget.name = 'changed'
    assert lb.await_(widget.save()).name == 'changed'
    assert lb.await_(Widget.destroyAll()) is None
    with pytest.raises(LoopBackError, match='does not support replaceById'):
        lb.await_(Widget.replaceById(widget.id, {'name': 'r'}))


@pytest.mark.lb_fiber
def test_transient_connector_id_settings():
    seen = []

    def generate(connector, model, data, id_name):   # juggler: this is the connector
        seen.append((connector.name, model, id_name))
        return '4' + data['name']
    ds = lb.DataSource('transient', {'defaultIdType': 'number', 'generateId': generate})
    Thing = ds.createModel('Thing', {'name': str})
    assert Thing.definition.properties['id']['type'] == 'number'
    assert lb.await_(Thing.create({'name': '2'})).id == 42      # coerced to the id's type
    assert seen == [('transient', 'Thing', 'id')]


# -- DataSource._resolveConnector: the registry, then modules (connector_registry.py) --

_MODULE = '''
from loopback_compat.connectors.memory import Memory

def initialize(dataSource, cb=None):
    dataSource.connector = Memory(dataSource.settings, dataSource)
    dataSource.connector.name = %r
    if cb:
        cb(None)
'''


def test_connector_module_names_in_juggler_s_order():
    from loopback_compat.connector_registry import connector_module_names
    assert connector_module_names('xyz') == ['./connectors/xyz', 'loopback-connector-xyz', 'xyz']
    assert connector_module_names('mysql') == ['./connectors/mysql', 'loopback-connector-mysql']
    assert connector_module_names('loopback-connector-a') == ['./connectors/loopback-connector-a',
                                                              'loopback-connector-a']
    assert connector_module_names('/x/y') == ['/x/y']


def test_unknown_connector_has_juggler_s_text():
    found = lb.DataSource._resolveConnector('nosuchdb')
    assert found['connector'] is None
    assert found['error'].startswith(
        '\nWARNING: LoopBack connector "nosuchdb" is not installed as any of the following '
        'modules:\n\n ./connectors/nosuchdb\nloopback-connector-nosuchdb\nnosuchdb\n')
    with pytest.raises(LoopBackError) as info:
        lb.DataSource({'connector': 'nosuchdb'})
    assert info.value.message == found['error']


@pytest.mark.lb_fiber
def test_connector_modules_by_python_name_and_by_path(tmp_path, monkeypatch):
    (tmp_path / 'loopback_connector_h18shop.py').write_text(_MODULE % 'h18shop')
    (tmp_path / 'h18_plain.py').write_text(_MODULE % 'plain')
    (tmp_path / 'h18_no_initialize.py').write_text('VALUE = 1\n')
    elsewhere = tmp_path / 'elsewhere'
    elsewhere.mkdir()
    (elsewhere / 'by_path.py').write_text(_MODULE % 'by-path')
    monkeypatch.syspath_prepend(str(tmp_path))
    ds = lb.DataSource('h18shop')                     # loopback-connector-h18shop
    assert ds.connector.name == 'h18shop' and ds.settings['connector'] == 'h18shop'
    assert lb.DataSource({'connector': 'h18-plain'}).connector.name == 'plain'
    assert lb.DataSource._resolveConnector('h18_no_initialize')['connector'] is None
    monkeypatch.setattr('sys.path', [p for p in __import__('sys').path if p != str(tmp_path)])
    by_path = lb.DataSource(str(elsewhere / 'by_path'))
    assert by_path.connector.name == 'by-path'
    Note = by_path.createModel('Note', {'text': str})
    lb.await_(Note.create({'text': 'a'}))
    assert lb.await_(Note.count()) == 1


def test_the_memory_connector_module_by_path_is_the_package_s_own():
    import inspect
    from loopback_compat.connectors.memory import connector
    path = inspect.getfile(connector)[:-3]
    assert lb.DataSource._resolveConnector(path)['connector'] is connector


def test_a_connector_module_that_fails_to_import_is_not_passed_over(tmp_path, monkeypatch):
    (tmp_path / 'h18_broken.py').write_text('import h18_missing_dependency\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match='h18_missing_dependency'):
        lb.DataSource._resolveConnector('h18-broken')


# -- the memory connector: connect reads the file again; migration's check -----

@pytest.mark.lb_fiber
def test_memory_connect_reads_the_file_again(tmp_path):
    path = str(tmp_path / 'db.json')
    first, second = lb.DataSource('memory', file=path), lb.DataSource('memory', file=path)
    A = first.createModel('Note', {'text': str})
    B = second.createModel('Note', {'text': str, 'when': 'date'})
    lb.await_(A.create({'text': 'a'}))                 # the file: a
    lb.await_(second.disconnect())
    # the next operation on second reads the file first (juggler: connect on demand)
    lb.await_(B.create({'text': 'b', 'when': '2020-01-02T00:00:00.000Z'}))   # the file: a, b
    assert [n.text for n in lb.await_(A.find())] == ['a']     # first has not read it again
    first.connected = False
    lb.await_(first.connect())                         # juggler's Memory.connect: loadFromFile
    assert [n.text for n in lb.await_(A.find())] == ['a', 'b']
    assert lb.await_(A.findById(2)).toObject()['when'] == '2020-01-02T00:00:00.000Z'
    assert lb.await_(B.findById(2)).when.year == 2020   # rows read back get their types
    assert first.connector.getCollection('Note') == 'Note'


def test_migration_checks_the_models_are_attached():
    ds = lb.DataSource('memory')
    ds.createModel('A', {})
    out = callback_outcome_sync(ds.autoupdate, ['A', 'B', 'C'])
    assert out.message == 'Cannot migrate models not attached to this datasource: B C'
    assert callback_outcome_sync(ds.automigrate, []) is None       # none named: all


def callback_outcome_sync(method, *args):
    seen = []
    lb.run(lambda: method(*args, lambda err=None, *_: seen.append(err)))
    return seen[0]


# -- ds.ready: an invocation deferred until the data source is connected --------

@pytest.mark.lb_fiber
def test_ready_defers_until_connected_and_times_out():
    ds = lb.DataSource('memory')
    assert ds.ready(lambda cb: cb('ran'), lambda *a: None) is False    # connected: go on
    calls = []
    ds.connector.connect = lambda cb: lb.setTimeout(cb, 20)
    ds.connected = False
    done = lb.Promise(lambda resolve, reject: ds.ready(
        lambda x, cb: cb(None, x * 2), 21, lambda err=None, result=None: resolve((err, result))))
    assert ds.connecting is True
    assert lb.await_(done) == (None, 42) and ds.connected is True
    ds.connected = False
    ds.settings['connectionTimeout'] = 10
    ds.connector.connect = lambda cb: lb.setTimeout(cb, 100)
    done = lb.Promise(lambda resolve, reject: ds.ready(
        lambda cb: calls.append('ran'), lambda err=None: resolve(err)))
    err = lb.await_(done)
    assert err.message == 'Timeout in connecting after 10 ms' and calls == []


@pytest.mark.lb_fiber
def test_ready_reports_a_connection_error():
    ds = lb.DataSource('memory')
    ds.connector.connect = lambda cb: lb.nextTick(cb, LoopBackError('refused'))
    ds.connected = False
    ds.on('error', lambda err: None)
    done = lb.Promise(lambda resolve, reject: ds.queueInvocation(
        lambda cb: cb(None), lambda err=None: resolve(err)))
    assert lb.await_(done).message == 'refused'


# -- connect on demand: a DAO call waits for its data source (juggler's stillConnecting) --

def _lazy_twin(ds):
    """A data source on the same storage as ``ds``, with ``lazyConnect``: not
    connected until something asks for it; its connects are counted."""
    lazy = lb.DataSource(dict(ds.settings, lazyConnect=True))
    connect, lazy.connects = lazy.connector.connect, []

    def counted(cb=None):
        lazy.connects.append(1)
        return connect(cb)
    lazy.connector.connect = counted
    return lazy


@pytest.mark.lb_fiber
def test_a_dao_call_before_connect_connects_first(ds):
    lazy = _lazy_twin(ds)
    try:
        assert lazy.connected is False
        Note = lazy.createModel('Note', {'text': str})
        created = Note.create({'text': 'a'})                 # a promise...
        assert lazy.connecting is True and lazy.connects == [1]
        seen = lb.Promise(lambda resolve, reject: Note.find(   # ...and a callback wait
            lambda err=None, found=None: resolve((err, found))))
        assert lb.await_(created).text == 'a'
        err, found = lb.await_(seen)
        assert err is None and lazy.connected is True and lazy.connects == [1]
        assert lb.await_(Note.count()) == 1 and lazy.connects == [1]  # connected: at once
        # after a disconnect the next call connects again (juggler: connected is false)
        lb.await_(lazy.disconnect())
        assert [n.text for n in lb.await_(Note.find())] == ['a']
        assert lazy.connects == [1, 1]
        note = lb.await_(Note.findOne())
        lazy.connected = False                                # prototype methods wait too
        assert lb.await_(note.updateAttributes({'text': 'b'})).text == 'b'
        assert lazy.connects == [1, 1, 1]
    finally:
        lb.await_(lazy.disconnect())


@pytest.mark.lb_fiber
def test_a_dao_call_times_out_when_the_connection_does_not_come(ds):
    lazy = _lazy_twin(ds)
    try:
        Note = lazy.createModel('Note', {'text': str})
        lazy.settings['connectionTimeout'] = 30
        lazy.connector.connect = lambda cb=None: lb.setTimeout(cb, 100)
        ran = []
        Note.observe('access', lambda ctx, next_: (ran.append(1), next_()))
        with pytest.raises(LoopBackError, match='^Timeout in connecting after 30 ms$'):
            lb.await_(Note.find())
        seen = lb.Promise(lambda resolve, reject: Note.create(
            {'text': 'a'}, lambda err=None, inst=None: resolve((err, inst))))
        err, inst = lb.await_(seen)
        assert err.message == 'Timeout in connecting after 30 ms' and inst is None
        assert ran == [] and lazy.connecting is False
    finally:
        lb.await_(lb.Promise(lambda resolve, reject: lb.setTimeout(resolve, 120)))
        lb.await_(lazy.disconnect())


@pytest.mark.lb_fiber
def test_a_dao_call_gets_the_connection_error():
    ds = lb.DataSource('memory', lazyConnect=True)
    Note = ds.createModel('Note', {'text': str})
    ds.connector.connect = lambda cb=None: lb.nextTick(cb, LoopBackError('refused'))
    with pytest.raises(LoopBackError, match='^refused$'):
        lb.await_(Note.create({'text': 'a'}))
    assert ds.connected is False and ds.connecting is False
