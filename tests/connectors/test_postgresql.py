"""The PostgreSQL connector: settings, types, atomicity, transactions, lost
connections, migration, discovery, and a loop that keeps running.

Needs a server: LB_TEST_PG_URL, default postgresql://postgres@127.0.0.1:5432/test
(trust auth).  Each test works in a schema of its own (``pg_schema``; dropped
at the end of the session) or a database it creates and drops.  Without a
server these tests skip with the reason; with CI set they fail instead.
"""

import datetime as dt
import time
import uuid

import pytest
from hypothesis import HealthCheck, given, settings

import loopback_compat as lb
from loopback_compat.promise import Promise
from loopback_compat.testing import rejection, sleep

psycopg = pytest.importorskip('psycopg')






def close(*sources):
    for ds in sources:
        ds.disconnect(lambda *a: None)
    lb.run(lambda: None)


def sql(url, statement, params=None):
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else None


@pytest.fixture
def pg(pg_url, pg_schema):
    sources = []

    def make(**settings):
        settings.setdefault('url', pg_url)
        settings.setdefault('schema', pg_schema)
        ds = lb.DataSource('postgresql', **settings)
        sources.append(ds)
        return ds
    make.url = pg_url
    make.schema = pg_schema
    yield make
    close(*sources)


def supplier_account(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'acctNo': 'string'})
    Supplier.hasOne(Account, foreignKey='supplierId', as_='account')
    return Supplier, Account


# -- settings --------------------------------------------------------------------------

def test_connects_with_loopback_settings_to_a_database_it_creates(pg_url):
    conninfo = psycopg.conninfo.conninfo_to_dict(pg_url)
    name = 'lbt_db_' + uuid.uuid4().hex[:10]
    sql(pg_url, 'CREATE DATABASE "%s"' % name)
    try:
        # the shape of a server/datasources.json entry
        ds = lb.DataSource({'connector': 'postgresql', 'host': conninfo.get('host', '127.0.0.1'),
                            'port': int(conninfo.get('port', 5432)), 'database': name,
                            'user': conninfo.get('user', 'postgres'),
                            'password': conninfo.get('password', ''), 'min': 1, 'max': 2})
        Thing = ds.createModel('Thing', {'name': 'string'})

        def main():
            lb.await_(ds.automigrate())
            lb.await_(Thing.create({'name': 'a'}))
            return lb.await_(ds.connector.execute('SELECT current_database()'))
        assert lb.run(main) == [[name]]
        close(ds)
    finally:
        sql(pg_url, 'DROP DATABASE IF EXISTS "%s" WITH (FORCE)' % name)


def test_reconnects_after_disconnect(pg):
    ds = pg()
    Note = ds.createModel('Note', {'text': 'string'})
    lb.run(lambda: (lb.await_(ds.automigrate()), lb.await_(Note.create({'text': 'a'}))))
    lb.run(lambda: lb.await_(ds.disconnect()))
    lb.run(lambda: lb.await_(ds.connect()))
    assert lb.run(lambda: lb.await_(Note.count())) == 1


def test_unreachable_server_is_an_error_through_the_callback():
    ds = lb.DataSource('postgresql', url='postgresql://postgres@127.0.0.1:1/none',
                       connectTimeout=1, poolTimeout=1)
    Thing = ds.createModel('Thing', {'name': 'string'})
    seen = []

    def main():
        Thing.find(lambda err, rows=None: seen.append(err))
        seen.append('returned')
    lb.run(main)
    assert seen[0] == 'returned'
    assert isinstance(seen[1], Exception)
    close(ds)


# -- types -------------------------------------------------------------------------------

def test_types_round_trip_and_column_types(pg):
    ds = pg()
    Thing = ds.createModel('Thing', {
        'text': 'string', 'count': {'type': 'number', 'dataType': 'integer'},
        'real': 'number', 'flag': 'boolean', 'when': 'date', 'meta': 'object',
        'tags': ['string'], 'anything': 'any', 'nothing': 'string',
    })
    when = dt.datetime(2021, 3, 4, 5, 6, 7, 123456, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    data = {'text': 'h\u00e9llo \U0001f600', 'count': 7, 'real': 0.1, 'flag': False,
            'when': when, 'meta': {'a': [1, {'b': None}]}, 'tags': ['x', 'y'],
            'anything': 'plain', 'nothing': None}

    def main():
        lb.await_(ds.automigrate())
        created = lb.await_(Thing.create(data))
        return lb.await_(Thing.findById(created.id))
    found = lb.run(main)
    for key, value in data.items():
        assert getattr(found, key) == value, key
    assert found.when.utcoffset() == dt.timedelta(0)
    types = dict(sql(pg.url, 'SELECT column_name, data_type FROM information_schema.columns '
                             'WHERE table_schema = %s AND table_name = %s', [pg.schema, 'thing']))
    assert types == {'id': 'integer', 'text': 'text', 'count': 'integer',
                     'real': 'double precision', 'flag': 'boolean',
                     'when': 'timestamp with time zone', 'meta': 'jsonb', 'tags': 'jsonb',
                     'anything': 'jsonb', 'nothing': 'text'}


def test_explicit_ids_move_the_sequence_and_duplicates_are_409(pg):
    ds = pg()
    Item = ds.createModel('Item', {'id': {'type': 'number', 'id': True}, 'name': 'string'})

    def main():
        lb.await_(ds.automigrate())
        assert lb.await_(Item.create({'id': 10})).id == 10
        assert lb.await_(Item.create({})).id == 11
        return rejection(Item.create({'id': 10}))
    err = lb.run(main)
    assert err.statusCode == 409 and err.message == 'Duplicate entry for Item.id'


def test_concurrent_creates_get_ids_in_call_order(pg):
    ds = pg()
    Thing = ds.createModel('Thing', {'n': 'number'})

    def main():
        lb.await_(ds.automigrate())
        created = lb.await_(Promise.all([Thing.create({'n': i}) for i in range(50)]))
        return [c.id for c in created], [c.n for c in created]
    ids, ns = lb.run(main)
    assert ids == list(range(1, 51)) and ns == list(range(50))


# -- atomicity -------------------------------------------------------------------------------

def test_has_one_create_is_atomic_across_20_connections_without_unique_index(pg):
    first = pg(createTables=True)
    Supplier, Account = supplier_account(first)

    def seed():
        lb.await_(Supplier.create({'name': 's1'}))
        lb.await_(Account.count())
    lb.run(seed)
    indexes = sql(pg.url, 'SELECT indexdef FROM pg_indexes WHERE schemaname = %s '
                          'AND tablename = %s', [pg.schema, 'account'])
    assert [i for (i,) in indexes if 'supplierid' in i] == []   # as LB3 left it

    sources = [first] + [pg() for _ in range(19)]
    models = [first.models['Supplier']] + [supplier_account(ds)[0] for ds in sources[1:]]

    def main():
        parents = [lb.await_(S.findById(1)) for S in models]
        attempts = [p.account.create({'acctNo': 'n%d' % i}) for i, p in enumerate(parents)]
        return lb.await_(Promise.allSettled(attempts))
    outcomes = lb.run(main)
    rows = sql(pg.url, 'SELECT COUNT(*) FROM "%s".account' % pg.schema)
    assert rows == [(1,)]
    assert [o['status'] for o in outcomes].count('fulfilled') == 1
    backends = sql(pg.url, 'SELECT COUNT(DISTINCT pid) FROM pg_stat_activity '
                           'WHERE datname = current_database() AND pid <> pg_backend_pid()')
    assert backends[0][0] >= 20   # every data source had its own connection


def test_find_or_create_concurrent_same_query(pg):
    ds = pg()
    Tag = ds.createModel('Tag', {'label': 'string'})

    def main():
        lb.await_(ds.automigrate())
        results = lb.await_(Promise.all([
            Tag.findOrCreate({'where': {'label': 'x'}}, {'label': 'x'}) for _ in range(10)]))
        return [created for _, created in results], [t.id for t, _ in results]
    created, ids = lb.run(main)
    assert created.count(True) == 1 and set(ids) == {1}


# -- transactions ----------------------------------------------------------------------------

def test_transactions_commit_rollback_and_isolation(pg):
    ds = pg()
    Thing = ds.createModel('Thing', {'name': 'string'})

    def main():
        lb.await_(ds.automigrate())
        tx = lb.await_(Thing.beginTransaction({'isolationLevel': 'READ COMMITTED'}))
        lb.await_(Thing.create({'name': 'in tx'}, {'transaction': tx}))
        inside = lb.await_(Thing.count({}, {'transaction': tx}))
        outside = lb.await_(Thing.count())
        lb.await_(tx.commit())
        committed = lb.await_(Thing.count())
        tx2 = lb.await_(Thing.beginTransaction('SERIALIZABLE'))
        lb.await_(Thing.updateAll({}, {'name': 'changed'}, {'transaction': tx2}))
        lb.await_(tx2.rollback())
        names = [t.name for t in lb.await_(Thing.find())]
        return inside, outside, committed, names
    assert lb.run(main) == (1, 0, 1, ['in tx'])


def test_transaction_timeout_rolls_back(pg):
    ds = pg()
    Thing = ds.createModel('Thing', {'name': 'string'})

    def main():
        lb.await_(ds.automigrate())
        tx = lb.await_(Thing.beginTransaction({'timeout': 50}))
        lb.await_(Thing.create({'name': 'slow'}, {'transaction': tx}))
        lb.await_(sleep(300))
        late = rejection(Thing.create({'name': 'late'}, {'transaction': tx}))
        return tx.isActive(), lb.await_(Thing.count()), late.message
    assert lb.run(main) == (False, 0, 'Transaction is not active')


# -- lost connections ----------------------------------------------------------------------------

def terminate_later(url, needle, ms):
    """Terminate, after ``ms``, the backend whose query contains ``needle``."""
    def kill():
        sql(url, 'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                 'WHERE query LIKE %s AND pid <> pg_backend_pid()', ['%' + needle + '%'])
    return lb.setTimeout(kill, ms)


def test_lost_connection_mid_statement_errors_leaves_no_rows_and_pool_recovers(pg):
    ds = pg(max=2)
    Thing = ds.createModel('Thing', {'name': 'string'})
    marker = 'lbt_' + uuid.uuid4().hex[:8]

    def main():
        lb.await_(ds.automigrate())
        terminate_later(pg.url, marker, 300)
        # five rows, one statement, cut off half-way through
        err = rejection(ds.connector.execute(
            "INSERT INTO %s.thing (name) SELECT '%s' FROM generate_series(1, 5) "
            'WHERE pg_sleep(0.2) IS NOT NULL' % ('"%s"' % pg.schema, marker)))
        counts = [lb.await_(Thing.count()) for _ in range(4)]
        lb.await_(Thing.create({'name': 'after'}))
        return err, counts, [t.name for t in lb.await_(Thing.find())]
    err, counts, names = lb.run(main)
    # the statement was sent, then its connection broke: applied or not, nobody knows
    assert (err.statusCode, err.code) == (503, 'WRITE_OUTCOME_UNKNOWN')
    assert isinstance(err.cause, psycopg.OperationalError)
    assert counts == [0, 0, 0, 0]
    assert names == ['after']


def test_lost_connection_inside_a_transaction(pg):
    ds = pg()
    Thing = ds.createModel('Thing', {'name': 'string'})

    def main():
        lb.await_(ds.automigrate())
        tx = lb.await_(Thing.beginTransaction())
        lb.await_(Thing.create({'name': 'half'}, {'transaction': tx}))
        (pid,), = lb.await_(ds.connector.execute('SELECT pg_backend_pid()', [],
                                                 {'transaction': tx}))
        sql(pg.url, 'SELECT pg_terminate_backend(%s)', [pid])
        lb.await_(sleep(50))
        create_err = rejection(Thing.create({'name': 'more'}, {'transaction': tx}))
        commit_err = rejection(tx.commit())
        return create_err, commit_err, lb.await_(Thing.count()), \
            lb.await_(Thing.create({'name': 'fresh'})).id
    create_err, commit_err, count, fresh_id = lb.run(main)
    # before COMMIT: the server rolled the transaction back, so these are plain failures
    assert (create_err.statusCode, create_err.code) == (503, 'DB_UNAVAILABLE')
    assert (commit_err.statusCode, commit_err.code) == (503, 'DB_UNAVAILABLE')
    assert 'not committed' in commit_err.message
    assert count == 0
    assert fresh_id is not None


# -- migration ------------------------------------------------------------------------------------

def index_defs(pg, table):
    return [d for (d,) in sql(pg.url, 'SELECT indexdef FROM pg_indexes WHERE schemaname = %s '
                                      'AND tablename = %s', [pg.schema, table])]


def test_automigrate_adds_unique_index_on_has_one_foreign_key(pg):
    ds = pg()
    Supplier, Account = supplier_account(ds)

    def main():
        lb.await_(ds.automigrate())
        s = lb.await_(Supplier.create({'name': 's'}))
        lb.await_(s.account.create({'acctNo': 'a'}))
        return rejection(Account.create({'acctNo': 'b', 'supplierId': s.id}))
    err = lb.run(main)
    assert err.statusCode == 409
    assert any('UNIQUE' in d and '(supplierid)' in d for d in index_defs(pg, 'account'))


def test_autoupdate_adds_columns_and_reports_duplicates_without_changes(pg):
    v1 = pg(createTables=True)
    Supplier, Account = supplier_account(v1)

    def seed():
        lb.await_(Account.create([{'acctNo': 'a', 'supplierId': 1},
                                  {'acctNo': 'b', 'supplierId': 1},
                                  {'acctNo': 'c', 'supplierId': 2}]))
        lb.await_(Supplier.count())
    lb.run(seed)

    v2 = pg()
    Supplier2, Account2 = supplier_account(v2)
    Account2.defineProperty('opened', {'type': 'date'})
    Supplier2.defineProperty('rating', {'type': 'number'})
    err = lb.run(lambda: rejection(v2.autoupdate()))
    assert err.code == 'DUPLICATE_HAS_ONE' and err.statusCode == 409
    assert err.details == {'duplicates': {'Account': {'supplierId': [1]}}}
    columns = [c for (c,) in sql(pg.url, 'SELECT column_name FROM information_schema.columns '
                                         'WHERE table_schema = %s', [pg.schema])]
    assert 'opened' not in columns and 'rating' not in columns

    def fix_and_update():
        lb.await_(Account2.destroyAll({'acctNo': 'b'}))
        lb.await_(v2.autoupdate())
        return lb.await_(v2.connector.isActual()), [a.toJSON() for a in lb.await_(Account2.find())]
    actual, rows = lb.run(fix_and_update)
    assert actual is True
    assert [r['acctNo'] for r in rows] == ['a', 'c']
    assert any('UNIQUE' in d and '(supplierid)' in d for d in index_defs(pg, 'account'))


def test_autoupdate_changes_column_types_and_nullability(pg):
    s = '"%s"' % pg.schema
    sql(pg.url, 'CREATE SCHEMA IF NOT EXISTS %s' % s)
    sql(pg.url, 'CREATE TABLE %s.thing (id SERIAL PRIMARY KEY, name TEXT, size TEXT NOT NULL, '
                'meta TEXT)' % s)
    sql(pg.url, "INSERT INTO %s.thing (name, size, meta) VALUES ('a', '3', '{\"k\": 1}')" % s)
    ds = pg()
    Thing = ds.createModel('Thing', {'name': {'type': 'string', 'required': True},
                                     'size': 'number', 'meta': 'object'})

    def main():
        lb.await_(ds.autoupdate())
        return [t.toJSON() for t in lb.await_(Thing.find({'where': {'size': {'gt': 2}}}))]
    assert lb.run(main) == [{'id': 1, 'name': 'a', 'size': 3, 'meta': {'k': 1}}]
    columns = {c: (t, n) for c, t, n in sql(
        pg.url, 'SELECT column_name, data_type, is_nullable FROM information_schema.columns '
                'WHERE table_schema = %s AND table_name = %s', [pg.schema, 'thing'])}
    assert columns['size'] == ('double precision', 'YES')
    assert columns['name'] == ('text', 'NO')
    assert columns['meta'] == ('jsonb', 'YES')


# -- discovery ------------------------------------------------------------------------------------

def test_discovery(pg):
    ds = pg()
    s = '"%s"' % pg.schema
    sql(pg.url, 'CREATE SCHEMA IF NOT EXISTS %s' % s)
    sql(pg.url, 'CREATE TABLE %s.inventory_item (product_id VARCHAR(20) PRIMARY KEY, '
                'qty INTEGER NOT NULL, price NUMERIC(8, 2), added TIMESTAMPTZ, tags JSONB)' % s)
    sql(pg.url, 'CREATE VIEW %s.cheap AS SELECT * FROM %s.inventory_item WHERE price < 1' % (s, s))

    def main():
        tables = lb.await_(ds.discoverModelDefinitions({'owner': pg.schema}))
        schema = lb.await_(ds.discoverSchema('inventory_item', {'owner': pg.schema}))
        return tables, schema
    tables, schema = lb.run(main)
    assert [(t['type'], t['name'], t['owner']) for t in tables] == [
        ('view', 'cheap', pg.schema), ('table', 'inventory_item', pg.schema)]
    assert schema['name'] == 'InventoryItem'
    assert schema['options'] == {'idInjection': False,
                                 'postgresql': {'schema': pg.schema, 'table': 'inventory_item'}}
    props = schema['properties']
    assert list(props) == ['productId', 'qty', 'price', 'added', 'tags']
    assert props['productId']['id'] == 1
    assert props['productId']['length'] == 20
    assert props['qty']['required'] is True
    assert props['price']['precision'] == 8 and props['price']['scale'] == 2
    assert [props[p]['type'] for p in props] == ['String', 'Number', 'Number', 'Date', 'Object']

    Item = ds.createModel(schema['name'], schema['properties'], schema['options'])
    sql(pg.url, "INSERT INTO %s.inventory_item VALUES ('p1', 5, 0.5, now(), '[1]')" % s)
    found = lb.run(lambda: lb.await_(Item.find({'where': {'price': {'lt': 1}}})))
    assert [(f.productId, f.price, f.tags) for f in found] == [('p1', 0.5, [1])]


# -- the loop keeps running -----------------------------------------------------------------------

def test_loop_serves_timers_and_requests_during_pg_sleep(pg):
    ds = pg()
    Thing = ds.createModel('Thing', {'name': 'string'})
    ticks = []

    def main():
        lb.await_(ds.automigrate())
        lb.await_(Thing.create({'name': 'quick'}))
        started = time.monotonic()
        interval = lb.setInterval(lambda: ticks.append(time.monotonic() - started), 20)
        slow = ds.connector.execute('SELECT pg_sleep(0.6)')
        quick = lb.await_(Thing.find())
        quick_at = time.monotonic() - started
        lb.await_(slow)
        slow_at = time.monotonic() - started
        lb.clearInterval(interval)
        return [q.name for q in quick], quick_at, slow_at
    names, quick_at, slow_at = lb.run(main)
    assert names == ['quick']
    assert quick_at < 0.3 <= 0.6 <= slow_at
    assert len([t for t in ticks if t < 0.6]) >= 10


# -- results equal the memory connector's ---------------------------------------------------------

# The strategies and the comparison live beside the compiler tests.
from test_sql import (FILTER, ROWS, _no_null_name_like, equivalence_check,  # noqa: E402
                      array_results, nested_results)


def test_array_properties_match_memory(pg):
    expected = array_results(lb.DataSource('memory'))
    assert array_results(pg()) == expected


def test_dotted_paths_match_memory(pg):
    expected = nested_results(lb.DataSource('memory'))
    assert nested_results(pg()) == expected


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(rows=ROWS, flt=FILTER)
def test_postgresql_results_equal_memory(pg_url, rows, flt):
    rows = [{k: v for k, v in r.items() if v is not None} for r in rows]
    if not _no_null_name_like(rows, flt):
        return
    schema = 'lbt_eq_' + uuid.uuid4().hex[:10]
    try:
        equivalence_check(lambda: lb.DataSource('postgresql', url=pg_url, schema=schema,
                                                min=1, max=2), rows, flt)
    finally:
        sql(pg_url, 'DROP SCHEMA IF EXISTS "%s" CASCADE' % schema)
