"""The connector contract (connectors/base.py): every built-in connector meets it.

Each declared capability has its method(s), each method has the base's (or
OptionalOperations') signature, the capability checks answer what the
``hasattr``/``getattr`` probes they replaced answered, and the old module
names still reach the same modules.
"""

import importlib
import inspect

import pytest

import loopback_compat as lb
from loopback_compat.connectors import base
from loopback_compat.connectors.base import (CRUD_METHODS, FLAGS, OPTIONAL_OPERATIONS,
                                             SETUP_METHODS, Connector, OptionalOperations)
from loopback_compat.connectors.memory import Memory
from loopback_compat.datasource import CONNECTORS
from loopback_compat.testing import callback_outcome

BUILT_IN = ['memory', 'sqlite', 'sqlite3', 'postgresql', 'transient']


def connector_class(name):
    return CONNECTORS[name]


def parameters(fn):
    """(name, kind, default) of each parameter (through decorators' __wrapped__)."""
    return [(p.name, p.kind, p.default) for p in inspect.signature(fn).parameters.values()]


#: What the probes the capabilities replaced answered before connectors/base.py
#: (hasattr(cls, method) / getattr(cls, flag, False)), per built-in connector.
PROBES_BEFORE = {
    'memory': {
        'upsertWithWhere': True, 'automigrate': True, 'autoupdate': True, 'isActual': False,
        'ping': False, 'execute': False, 'discoverModelDefinitions': False,
        'discoverModelProperties': False, 'discoverPrimaryKeys': False,
        'discoverForeignKeys': False, 'discoverSchemas': False, 'transactions': False,
        'handsOutCopies': True, 'atomicFindOrCreate': True, 'relational': False,
        'buildNearFilter': True,    # added since, with GeoPoint (juggler's memory has it)
    },
    'sql': {
        'upsertWithWhere': False, 'automigrate': True, 'autoupdate': True, 'isActual': True,
        'ping': True, 'execute': True, 'discoverModelDefinitions': True,
        'discoverModelProperties': True, 'discoverPrimaryKeys': True,
        'discoverForeignKeys': False, 'discoverSchemas': False, 'transactions': True,
        'handsOutCopies': True, 'atomicFindOrCreate': False, 'relational': True,
        'buildNearFilter': False,
    },
}


PROBES_CAPABILITIES = {key: frozenset(cap for cap, has in probes.items() if has)
                       for key, probes in PROBES_BEFORE.items()}


@pytest.mark.parametrize('name', BUILT_IN)
def test_every_built_in_connector_is_a_connector(name):
    assert issubclass(connector_class(name), Connector)


@pytest.mark.parametrize('name', BUILT_IN)
def test_required_methods_have_the_base_signature(name):
    cls = connector_class(name)
    for method in CRUD_METHODS + SETUP_METHODS:
        assert parameters(getattr(cls, method)) == parameters(getattr(Connector, method)), \
            '%s.%s' % (cls.__name__, method)


@pytest.mark.parametrize('name', BUILT_IN)
def test_each_capability_has_its_methods_with_the_documented_signature(name):
    cls = connector_class(name)
    assert cls.capabilities <= base.CAPABILITIES
    for cap in cls.capabilities:
        if cap in FLAGS:
            assert getattr(cls, cap) is True
            continue
        for method in OPTIONAL_OPERATIONS[cap]:
            assert callable(getattr(cls, method, None)), '%s lacks %s' % (cls.__name__, method)
            assert parameters(getattr(cls, method)) == \
                parameters(getattr(OptionalOperations, method)), '%s.%s' % (cls.__name__, method)
    for flag in FLAGS:
        assert getattr(cls, flag) is (flag in cls.capabilities)


@pytest.mark.parametrize('name', BUILT_IN)
def test_optional_methods_exist_exactly_when_declared(name):
    """``hasattr`` keeps answering as for juggler's connectors: an optional
    operation's method is there exactly when the capability is."""
    cls = connector_class(name)
    for op, methods in OPTIONAL_OPERATIONS.items():
        for method in methods:
            assert hasattr(cls, method) is (op in cls.capabilities), '%s.%s' % (cls.__name__,
                                                                                method)


@pytest.mark.parametrize('name', ['memory', 'sqlite', 'sqlite3', 'postgresql'])
def test_capability_checks_answer_as_the_probes_did(name):
    cls = connector_class(name)
    before = PROBES_BEFORE['memory' if name == 'memory' else 'sql']
    assert {cap: cap in cls.capabilities for cap in before} == before
    assert {flag: getattr(cls, flag) for flag in FLAGS} == \
        {flag: before[flag] for flag in FLAGS}


def test_old_module_names_are_the_new_modules():
    for old, new in [('memory_index', 'memory.index'), ('sqlite', 'sql.sqlite'),
                     ('postgresql', 'sql.postgresql'), ('sql_compiler', 'sql.compiler')]:
        assert importlib.import_module('loopback_compat.connectors.' + old) is \
            importlib.import_module('loopback_compat.connectors.' + new)
    from loopback_compat.connectors import sql
    from loopback_compat.connectors.sql.connector import SqlConnector
    assert sql.SqlConnector is SqlConnector
    for name in ('json_default', 'to_json_text', 'later', 'lock_key', 'table_first', 'Lane',
                 'UTC', '_int_if_integral', '_raiser'):
        assert hasattr(sql, name), name


def test_the_registry_finds_every_built_in_connector(tmp_path):
    assert type(lb.DataSource('memory').connector) is Memory
    ds = lb.DataSource('sqlite', file=str(tmp_path / 'db.sqlite'))
    try:
        assert ds.connector.name == 'sqlite3' and 'transactions' in ds.connector.capabilities
    finally:
        lb.run(lambda: lb.await_(ds.disconnect()))
    assert CONNECTORS['postgresql'].name == 'postgresql'


# -- declaring capabilities ----------------------------------------------------

def test_a_declared_operation_must_be_implemented():
    with pytest.raises(TypeError, match="declares 'ping' but does not implement ping"):
        class NoPing(Connector):
            capabilities = frozenset({'ping'})


def test_an_unknown_capability_is_refused():
    with pytest.raises(TypeError, match='unknown regexps'):
        class Typo(Connector):
            capabilities = frozenset({'regexps'})


def test_a_declared_flag_is_set_and_may_not_be_contradicted():
    class Atomic(Connector):
        capabilities = frozenset({'atomicFindOrCreate'})
    assert Atomic.atomicFindOrCreate is True and Atomic.capabilities == {'atomicFindOrCreate'}
    with pytest.raises(TypeError, match='sets handsOutCopies = False'):
        class Both(Connector):
            capabilities = frozenset({'handsOutCopies'})
            handsOutCopies = False


def test_a_subclass_gains_the_methods_it_adds_and_loses_the_flags_it_clears():
    class Listing(Memory):
        handsOutCopies = False

        def discoverModelProperties(self, table, options, cb):
            lb.nextTick(cb, None, [])

    assert Listing.capabilities == Memory.capabilities - {'handsOutCopies'} | {
        'discoverModelProperties'}
    assert Listing.handsOutCopies is False and Memory.handsOutCopies is True


def test_transactions_need_all_three_methods():
    class Half(Connector):
        def beginTransaction(self, isolation_level, cb):
            pass
    assert 'transactions' not in Half.capabilities


# -- the defaults ----------------------------------------------------------------

def test_missing_crud_methods_call_back_with_juggler_assertion_later():
    connector = Connector({}, None)
    for method in CRUD_METHODS:
        args = {'create': ({},), 'save': ({},), 'find': (1,), 'exists': (1,), 'all': ({},),
                'count': ({},), 'update': ({}, {}), 'updateAll': ({}, {}),
                'updateAttributes': (1, {}), 'replaceById': (1, {}), 'updateOrCreate': ({},),
                'replaceOrCreate': ({},), 'findOrCreate': ({}, {}), 'destroy': (1,),
                'destroyAll': ({},)}[method]
        err, results, sync = callback_outcome(getattr(connector, method), 'M', *args, {})
        assert not sync and results == ()
        if method == 'replaceById':
            assert err.message.startswith(
                'The connector None does not support replaceById operation. This is not a '
                'bug in LoopBack.')
        else:
            expected = 'update' if method == 'updateAll' else method
            assert (err.name, err.code, err.message) == (
                'AssertionError', 'ERR_ASSERTION',
                '%s() must be implemented by the connector' % expected)


def test_a_bare_connector_through_the_data_source():
    class Bare(Connector):
        name = 'bare'

    ds = lb.DataSource({'connector': Bare})
    Thing = ds.createModel('Thing', {'name': 'string'})
    assert Thing.definition.properties['id']['type'] == 'string'   # juggler's String
    assert callback_outcome(Thing.create, {'name': 'a'}).err.message == \
        'create() must be implemented by the connector'
    assert callback_outcome(ds.isActual).results == (True,)
    assert callback_outcome(ds.execute, 'SELECT 1').err.code == 'NOT_IMPLEMENTED'
    assert callback_outcome(ds.automigrate).err is None
    assert callback_outcome(ds.discoverModelDefinitions).results == ()
    assert callback_outcome(Thing.beginTransaction, {}).err.message == \
        'beginTransaction must be function implemented by the connector'
    assert not ds.isRelational()


def test_a_duck_typed_connector_is_adopted_with_the_capabilities_of_its_methods():
    class Duck:
        name = 'duck'
        relational = True

        def ping(self, cb=None):
            lb.nextTick(cb, None)

    duck = Duck()
    ds = lb.DataSource({'connector': duck})
    assert ds.connector is duck
    assert duck.capabilities == {'ping', 'relational'}
    assert (duck.handsOutCopies, duck.atomicFindOrCreate) == (False, False)
    assert ds.isRelational() and callback_outcome(ds.ping).err is None
    assert callback_outcome(ds.execute, 'x').err.code == 'NOT_IMPLEMENTED'


def test_methods_set_on_an_instance_change_its_capabilities():
    """juggler's tests give a connector object methods, or switch them off."""
    ds = lb.DataSource('memory')
    other = lb.DataSource('memory')
    ds.connector.ping = lambda cb: lb.nextTick(cb, Exception('bad connection'))
    assert 'ping' in ds.connector.capabilities and 'ping' not in other.connector.capabilities
    assert str(callback_outcome(ds.ping).err) == 'bad connection'
    ds.connector.upsertWithWhere = None
    assert 'upsertWithWhere' not in ds.connector.capabilities
    del ds.connector.upsertWithWhere
    assert 'upsertWithWhere' in ds.connector.capabilities
    ds.connector.handsOutCopies = False
    assert 'handsOutCopies' not in ds.connector.capabilities
    assert Memory.capabilities == PROBES_CAPABILITIES['memory']


def test_an_instance_may_switch_upsert_with_where_off(ds):
    """A connector switched to juggler's generic upsertWithWhere (as juggler's
    'Unoptimized connector' suite does: ``connector.upsertWithWhere = false``)
    still answers the same, without the connector method."""
    Thing = ds.createModel('Thing', {'name': 'string', 'n': 'number'})
    lb.run(lambda: lb.await_(ds.automigrate()))
    ds.connector.upsertWithWhere = None
    assert 'upsertWithWhere' not in ds.connector.capabilities

    def main():
        lb.await_(Thing.upsertWithWhere({'name': 'a'}, {'name': 'a', 'n': 1}))
        lb.await_(Thing.upsertWithWhere({'name': 'a'}, {'name': 'a', 'n': 2}))
        return [(t.name, t.n) for t in lb.await_(Thing.find())]
    assert lb.run(main) == [('a', 2)]
