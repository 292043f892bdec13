"""The SQLite connector: storage, threads, atomicity, transactions, migration, discovery.

DAO, relation and include behaviour is covered by the connector-parametrized
suites (tests/test_dao.py, tests/relations/...); these tests cover what is
specific to SQLite.
"""

import datetime as dt
import sqlite3
import threading
import time

import pytest

import loopback_compat as lb
from loopback_compat.errors import LoopBackError
from loopback_compat.promise import Promise
from loopback_compat.testing import rejection, sleep






def close(*sources):
    for ds in sources:
        ds.disconnect(lambda *a: None)
    lb.run(lambda: None)


@pytest.fixture
def db_file(tmp_path):
    return str(tmp_path / 'app.db')


@pytest.fixture
def ds(db_file):
    source = lb.DataSource('sqlite', file=db_file)
    yield source
    close(source)


def supplier_account(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'acctNo': 'string'})
    Supplier.hasOne(Account, foreignKey='supplierId', as_='account')
    return Supplier, Account


def raw(db_file, sql, params=()):
    conn = sqlite3.connect(db_file, timeout=30)
    try:
        rows = conn.execute(sql, params).fetchall()
        conn.commit()
        return rows
    finally:
        conn.close()


# -- data sources ---------------------------------------------------------------

def test_file_database_persists_across_data_sources(db_file):
    first = lb.DataSource('sqlite', file=db_file)
    Note = first.createModel('Note', {'text': 'string'})

    def write():
        lb.await_(first.automigrate())
        lb.await_(Note.create({'text': 'kept'}))
    lb.run(write)
    close(first)

    second = lb.DataSource({'connector': 'sqlite', 'file': db_file})
    Note2 = second.createModel('Note', {'text': 'string'})
    found = lb.run(lambda: [n.toJSON() for n in lb.await_(Note2.find())])
    close(second)
    assert found == [{'id': 1, 'text': 'kept'}]
    assert raw(db_file, 'SELECT id, text FROM note') == [(1, 'kept')]


def test_reconnects_after_disconnect(ds):
    Note = ds.createModel('Note', {'text': 'string'})
    lb.run(lambda: (lb.await_(ds.automigrate()), lb.await_(Note.create({'text': 'a'}))))
    lb.run(lambda: lb.await_(ds.disconnect()))
    assert lb.run(lambda: lb.await_(Note.count())) == 1


def test_memory_database_is_private_and_removed_on_disconnect():
    ds = lb.DataSource('sqlite', file=':memory:')
    Note = ds.createModel('Note', {'text': 'string'})

    def main():
        lb.await_(ds.automigrate())
        lb.await_(Note.create([{'text': 'a'}, {'text': 'b'}]))
        return lb.await_(Note.count())
    assert lb.run(main) == 2
    path = ds.connector.path
    close(ds)
    import os
    assert not os.path.exists(path)


def test_data_source_forwards_ping_execute_and_discovery(ds):
    ds.createModel('Thing', {'name': 'string'})

    def main():
        lb.await_(ds.automigrate())
        lb.await_(ds.ping())
        return (lb.await_(ds.execute('SELECT ? + ?', [1, 2])),
                [t['name'] for t in lb.await_(ds.discoverModelDefinitions())],
                lb.await_(ds.isActual()), ds.isRelational())
    assert lb.run(main) == ([[3]], ['thing'], True, True)
    # juggler's DataSource and PersistedModel have these methods; the connector
    # patches neither the data source nor its models
    names = ('discoverModelDefinitions', 'discoverSchema', 'discoverModelProperties',
             'discoverPrimaryKeys', 'isActual', 'ping', 'execute', 'isRelational')
    assert not set(vars(ds)) & set(names)
    assert 'beginTransaction' not in vars(ds.models['Thing'])


def test_sqlite3_is_an_alias_and_unknown_connector_fails():
    ds = lb.DataSource('sqlite3', file=':memory:')
    assert ds.connector.name == 'sqlite3'     # as loopback-connector-sqlite3
    close(ds)
    with pytest.raises(LoopBackError):
        lb.DataSource('nosuchdb')


# -- types ------------------------------------------------------------------------

def test_types_round_trip(ds, db_file):
    Thing = ds.createModel('Thing', {
        'text': 'string', 'whole': 'number', 'real': 'number', 'flag': 'boolean',
        'off': 'boolean', 'when': 'date', 'meta': 'object', 'tags': ['string'],
        'anything': 'any', 'nothing': 'string',
    })
    when = dt.datetime(2021, 3, 4, 5, 6, 7, 123456, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    data = {'text': 'h\u00e9llo \U0001f600', 'whole': 2 ** 40, 'real': -1.25, 'flag': True,
            'off': False, 'when': when, 'meta': {'a': [1, {'b': None}], 'c': 'd'},
            'tags': ['x', 'y'], 'anything': [1, 'two', {'three': 3}], 'nothing': None}

    def main():
        lb.await_(ds.automigrate())
        created = lb.await_(Thing.create(data))
        return lb.await_(Thing.findById(created.id))
    found = lb.run(main)
    assert found.text == data['text']
    assert found.whole == 2 ** 40 and isinstance(found.whole, int)
    assert found.real == -1.25
    assert found.flag is True and found.off is False
    assert found.when == when and found.when.utcoffset() == dt.timedelta(0)
    assert found.meta == data['meta'] and found.tags == ['x', 'y']
    assert found.anything == data['anything']
    assert found.nothing is None
    # stored as loopback-connector-sqlite3 stores them
    (row,) = raw(db_file, 'SELECT flag, "when", meta FROM thing')
    assert row[0] == 1
    assert row[1] == pytest.approx(when.timestamp() * 1000)
    assert row[2] == '{"a":[1,{"b":null}],"c":"d"}'


def test_reads_an_lb3_sqlite3_table(db_file):
    raw(db_file, 'CREATE TABLE customer (id INTEGER PRIMARY KEY AUTOINCREMENT, '
                 'name TEXT, vip INTEGER, joined INTEGER, prefs TEXT)')
    raw(db_file, 'INSERT INTO customer (name, vip, joined, prefs) VALUES (?, ?, ?, ?)',
        ('Ann', 1, 1577836800000, '{"theme":"dark"}'))
    ds = lb.DataSource('sqlite', file=db_file)
    Customer = ds.createModel('Customer', {'name': 'string', 'vip': 'boolean',
                                           'joined': 'date', 'prefs': 'object'})
    found = lb.run(lambda: lb.await_(Customer.findOne({'where': {'vip': True}})))
    close(ds)
    assert found.toJSON() == {'id': 1, 'name': 'Ann', 'vip': True,
                              'joined': dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
                              'prefs': {'theme': 'dark'}}


# -- errors -------------------------------------------------------------------------

def test_errors_come_through_the_callback_asynchronously(ds):
    Thing = ds.createModel('Thing', {'id': {'type': 'number', 'id': True}, 'name': 'string'})
    seen = []

    def main():
        lb.await_(ds.automigrate())
        Thing.find({'where': {'bogus': 1}}, lambda err, res=None: seen.append(err))
        seen.append('returned')
        lb.await_(sleep(20))
        lb.await_(Thing.create({'id': 1, 'name': 'a'}))
        return rejection(Thing.create({'id': 1, 'name': 'b'}))
    dup = lb.run(main)
    assert seen[0] == 'returned'
    assert seen[1].statusCode == 400
    assert dup.statusCode == 409 and dup.message == 'Duplicate entry for Thing.id'


# -- threads and locking --------------------------------------------------------------

def test_connections_keep_check_same_thread(ds):
    Thing = ds.createModel('Thing', {'name': 'string'})
    lb.run(lambda: lb.await_(ds.automigrate()))
    writer = ds.connector._writer
    got = []
    writer.submit(lambda: writer.context(), (), lambda err, session: got.append(session))
    lb.run(lambda: None)
    with pytest.raises(sqlite3.ProgrammingError):
        got[0].conn.execute('SELECT 1')   # this is not the connection's thread
    assert Thing is not None


def test_many_concurrent_writes_and_reads_never_hit_database_is_locked(ds):
    Thing = ds.createModel('Thing', {'n': 'number'})

    def main():
        lb.await_(ds.automigrate())
        work = []
        for i in range(200):
            work.append(Thing.create({'n': i}))
            work.append(Thing.count())
        results = lb.await_(Promise.all(work))
        created = results[0::2]
        return [c.id for c in created], lb.await_(Thing.count())
    ids, count = lb.run(main)
    assert ids == list(range(1, 201))      # writes applied in call order
    assert count == 200


def test_two_data_sources_write_the_same_file_concurrently(db_file):
    a = lb.DataSource('sqlite', file=db_file)
    b = lb.DataSource('sqlite', file=db_file)
    ThingA = a.createModel('Thing', {'n': 'number'})
    ThingB = b.createModel('Thing', {'n': 'number'})

    def main():
        lb.await_(a.automigrate())
        work = []
        for i in range(100):
            work.append(ThingA.create({'n': i}))
            work.append(ThingB.updateAll({'n': i}, {'n': -i}))
        lb.await_(Promise.all(work))
        return lb.await_(ThingA.count())
    assert lb.run(main) == 100
    close(a, b)


# -- atomicity ------------------------------------------------------------------------

def test_find_or_create_is_atomic_across_20_connections(db_file):
    first = lb.DataSource('sqlite', file=db_file)
    supplier_account(first)
    # Tables as LB3 left them: no unique index on the foreign key.
    raw(db_file, 'CREATE TABLE supplier (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)')
    raw(db_file, 'CREATE TABLE account (id INTEGER PRIMARY KEY AUTOINCREMENT, '
                 'acctno TEXT, supplierid REAL)')
    raw(db_file, "INSERT INTO supplier (name) VALUES ('s1')")
    sources = [first] + [lb.DataSource('sqlite', file=db_file) for _ in range(19)]
    suppliers = [supplier_account(ds)[0] for ds in sources[1:]]
    suppliers.insert(0, first.models['Supplier'])

    def main():
        parents = [lb.await_(S.findById(1)) for S in suppliers]
        attempts = [p.account.create({'acctNo': 'n%d' % i}) for i, p in enumerate(parents)]
        return lb.await_(Promise.allSettled(attempts))
    outcomes = lb.run(main)
    close(*sources)
    assert raw(db_file, 'SELECT COUNT(*) FROM account') == [(1,)]
    assert [o['status'] for o in outcomes].count('fulfilled') == 1
    assert all(o['status'] == 'rejected' for o in outcomes if o['status'] != 'fulfilled')


# -- transactions ------------------------------------------------------------------------

def test_transaction_commit_and_rollback(ds):
    Thing = ds.createModel('Thing', {'name': 'string'})

    def main():
        lb.await_(ds.automigrate())
        tx = lb.await_(Thing.beginTransaction({'isolationLevel': 'READ COMMITTED'}))
        lb.await_(Thing.create({'name': 'in tx'}, {'transaction': tx}))
        inside = lb.await_(Thing.count({}, {'transaction': tx}))
        outside = lb.await_(Thing.count())
        lb.await_(tx.commit())
        after_commit = lb.await_(Thing.count())
        tx2 = lb.await_(Thing.beginTransaction())
        lb.await_(Thing.create({'name': 'dropped'}, {'transaction': tx2}))
        lb.await_(tx2.rollback())
        names = [t.name for t in lb.await_(Thing.find())]
        late = rejection(Thing.create({'name': 'x'}, {'transaction': tx2}))
        return inside, outside, after_commit, names, late, tx.isActive()
    inside, outside, after_commit, names, late, active = lb.run(main)
    assert (inside, outside, after_commit) == (1, 0, 1)
    assert names == ['in tx']
    assert late.message == 'Transaction is not active'
    assert active is False


def test_transaction_with_callbacks(ds):
    Thing = ds.createModel('Thing', {'name': 'string'})
    seen = []

    def main():
        lb.await_(ds.automigrate())

        def begun(err, tx):
            seen.append(err)
            Thing.create({'name': 'a'}, {'transaction': tx},
                         lambda err, t=None: tx.commit(lambda err=None: seen.append(err)))
        Thing.beginTransaction('SERIALIZABLE', begun)
    lb.run(main)
    assert seen == [None, None]
    assert lb.run(lambda: lb.await_(Thing.count())) == 1


def test_transaction_timeout_rolls_back(ds):
    Thing = ds.createModel('Thing', {'name': 'string'})

    def main():
        lb.await_(ds.automigrate())
        tx = lb.await_(Thing.beginTransaction({'timeout': 50}))
        lb.await_(Thing.create({'name': 'slow'}, {'transaction': tx}))
        lb.await_(sleep(200))
        late = rejection(tx.commit())
        return tx.isActive(), lb.await_(Thing.count()), late
    active, count, late = lb.run(main)
    assert active is False and count == 0
    assert late.message == 'Transaction is not active'


def test_transaction_observers(ds):
    Thing = ds.createModel('Thing', {'name': 'string'})
    seen = []

    def main():
        lb.await_(ds.automigrate())
        tx = lb.await_(Thing.beginTransaction())
        for hook in ('before commit', 'after commit'):
            tx.observe(hook, lambda ctx, next, hook=hook: (
                seen.append((hook, ctx.transaction is tx)), next()))
        tx.observe('before commit', lambda ctx, next: next(LoopBackError('vetoed')))
        err = rejection(tx.commit())
        active = tx.isActive()
        lb.await_(tx.rollback())
        return err, active
    err, active = lb.run(main)
    assert err.message == 'vetoed' and active is True
    assert seen == [('before commit', True)]


def test_find_or_create_inside_a_transaction(ds):
    Thing = ds.createModel('Thing', {'name': 'string'})

    def main():
        lb.await_(ds.automigrate())
        tx = lb.await_(Thing.beginTransaction())
        first, created = lb.await_(Thing.findOrCreate({'where': {'name': 'a'}}, {'name': 'a'},
                                                      {'transaction': tx}))
        again, created_again = lb.await_(Thing.findOrCreate(
            {'where': {'name': 'a'}}, {'name': 'a'}, {'transaction': tx}))
        lb.await_(tx.rollback())
        return first.id, created, again.id, created_again, lb.await_(Thing.count())
    assert lb.run(main) == (1, True, 1, False, 0)


# -- migration ---------------------------------------------------------------------------

def index_list(db_file, table):
    return {r[1]: bool(r[2]) for r in raw(db_file, 'PRAGMA index_list(%s)' % table)}


def test_automigrate_adds_unique_index_on_has_one_foreign_key(ds, db_file):
    Supplier, Account = supplier_account(ds)

    def main():
        lb.await_(ds.automigrate())
        lb.await_(Account.create({'acctNo': 'a', 'supplierId': 1}))
        return rejection(Account.create({'acctNo': 'b', 'supplierId': 1}))
    err = lb.run(main)
    assert index_list(db_file, 'account') == {'account_supplierid_hasone_uniq': True}
    assert err.statusCode == 409


@pytest.mark.lb_fiber
def test_automigrate_drops_data_and_resets_ids(ds):
    Thing = ds.createModel('Thing', {'name': 'string'})
    lb.await_(ds.automigrate())
    lb.await_(Thing.create([{'name': 'a'}, {'name': 'b'}]))
    lb.await_(ds.automigrate('Thing'))
    assert (lb.await_(Thing.count()), lb.await_(Thing.create({'name': 'c'})).id) == (0, 1)


def test_autoupdate_adds_columns_and_keeps_data(db_file):
    v1 = lb.DataSource('sqlite', file=db_file)
    Thing = v1.createModel('Thing', {'name': 'string'})
    lb.run(lambda: (lb.await_(v1.automigrate()), lb.await_(Thing.create({'name': 'a'}))))
    close(v1)
    v2 = lb.DataSource('sqlite', file=db_file)
    Thing2 = v2.createModel('Thing', {'name': 'string', 'size': 'number'})

    def main():
        lb.await_(v2.autoupdate())
        lb.await_(Thing2.updateAll({'name': 'a'}, {'size': 3}))
        return [t.toJSON() for t in lb.await_(Thing2.find())], lb.await_(v2.connector.isActual())
    rows, actual = lb.run(main)
    close(v2)
    assert rows == [{'id': 1, 'name': 'a', 'size': 3}]
    assert actual is True


def test_autoupdate_reports_has_one_duplicates_and_changes_nothing(db_file):
    raw(db_file, 'CREATE TABLE supplier (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT)')
    raw(db_file, 'CREATE TABLE account (id INTEGER PRIMARY KEY AUTOINCREMENT, '
                 'acctno TEXT, supplierid REAL)')
    raw(db_file, 'INSERT INTO account (acctno, supplierid) VALUES '
                 "('a', 1), ('b', 1), ('c', 2), ('d', 3), ('e', 3)")
    ds = lb.DataSource('sqlite', file=db_file)
    Supplier, Account = supplier_account(ds)
    Account.defineProperty('opened', {'type': 'date'})
    err = lb.run(lambda: rejection(ds.autoupdate()))
    close(ds)
    assert err.statusCode == 409 and err.code == 'DUPLICATE_HAS_ONE'
    assert err.details == {'duplicates': {'Account': {'supplierId': [1, 3]}}}
    assert 'Account.supplierId: 1, 3' in err.message
    columns = [r[1] for r in raw(db_file, 'PRAGMA table_info(account)')]
    assert 'opened' not in columns
    assert index_list(db_file, 'account') == {}


def test_automigrate_unknown_model(ds):
    ds.createModel('Thing', {'name': 'string'})
    err = lb.run(lambda: rejection(ds.automigrate(['Nope'])))
    assert err.message == 'Cannot migrate models not attached to this datasource: Nope'


# -- discovery --------------------------------------------------------------------------

def test_discover_model_definitions_and_schema(db_file):
    raw(db_file, 'CREATE TABLE inventory_item (product_id TEXT NOT NULL PRIMARY KEY, '
                 'qty INTEGER, price REAL, added DATETIME, note TEXT)')
    raw(db_file, 'CREATE VIEW cheap AS SELECT * FROM inventory_item WHERE price < 1')
    ds = lb.DataSource('sqlite', file=db_file)

    def main():
        tables = lb.await_(ds.discoverModelDefinitions())
        schema = lb.await_(ds.discoverSchema('inventory_item'))
        missing = rejection(ds.discoverSchema('nope'))
        return tables, schema, missing
    tables, schema, missing = lb.run(main)
    close(ds)
    assert [(t['type'], t['name']) for t in tables] == [('view', 'cheap'),
                                                        ('table', 'inventory_item')]
    assert schema['name'] == 'InventoryItem'
    # juggler's shape: the connector's name, and the owner (SQLite has none) as schema
    assert schema['options'] == {'idInjection': False,
                                 'sqlite3': {'schema': None, 'table': 'inventory_item'}}
    props = schema['properties']
    assert list(props) == ['productId', 'qty', 'price', 'added', 'note']
    assert props['productId']['id'] == 1 and props['productId']['required'] is True
    assert props['productId']['sqlite3']['columnName'] == 'product_id'
    assert [props[p]['type'] for p in props] == ['String', 'Number', 'Number', 'Date', 'String']
    assert missing.message == "Table 'nope' does not exist." and missing.statusCode is None

    # the discovered definition opens the table
    ds2 = lb.DataSource('sqlite', file=db_file)
    Item = ds2.createModel(schema['name'], schema['properties'], schema['options'])
    raw(db_file, "INSERT INTO inventory_item (product_id, qty, price) VALUES ('p1', 5, 0.5)")
    found = lb.run(lambda: lb.await_(Item.find({'where': {'qty': {'gt': 1}}})))
    close(ds2)
    assert [f.productId for f in found] == ['p1']


# -- the loop keeps running ------------------------------------------------------------------

def test_loop_serves_timers_and_requests_during_a_slow_query(ds):
    Thing = ds.createModel('Thing', {'name': 'string'})
    ticks = []
    slow_sql = ('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c '
                'WHERE x < 1000000) SELECT COUNT(*) FROM c')

    def main():
        lb.await_(ds.automigrate())
        lb.await_(Thing.create({'name': 'quick'}))
        started = time.monotonic()
        interval = lb.setInterval(lambda: ticks.append(time.monotonic() - started), 10)
        slow = ds.connector.execute(slow_sql)
        quick = lb.await_(Thing.find())
        quick_at = time.monotonic() - started
        rows = lb.await_(slow)
        slow_at = time.monotonic() - started
        lb.clearInterval(interval)
        return quick, quick_at, rows, slow_at
    quick, quick_at, rows, slow_at = lb.run(main)
    assert rows == [[1000000]]
    assert [q.name for q in quick] == ['quick']
    assert quick_at < slow_at
    assert len([t for t in ticks if t < slow_at]) >= 3


# -- point reads on the loop thread --------------------------------------------
# A read that can match at most one row through a unique index (a relation
# lookup by its foreign key, a find by id) runs on the loop thread's own
# connection; every other statement goes to the worker threads.  These tests
# tell the two apart by keeping every reader thread busy.

def make_point_models(tmp_path, readers=2):
    ds = lb.DataSource('sqlite', file=str(tmp_path / 'db.sqlite'), readers=readers)
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'balance': 'number', 'supplierId': 'number'})
    Supplier.hasOne(Account, foreignKey='supplierId', as_='account')
    lb.run(lambda: lb.await_(ds.automigrate()))

    def seed():
        for i in range(3):
            s = lb.await_(Supplier.create({'name': 's%d' % i}))
            lb.await_(s.account.create({'balance': i}))
    lb.run(seed)
    return ds, Supplier, Account


def busy_readers(ds):
    """Occupy every reader thread until the returned event is set."""
    release = threading.Event()
    started = threading.Semaphore(0)
    pool = ds.connector._readers

    def hold():
        started.release()
        release.wait(30)
    for _ in range(pool.size):
        pool.submit(hold, (), lambda *_: None)
    for _ in range(pool.size):
        assert started.acquire(timeout=10), 'a reader thread did not start'
    return release


def settles_within(promise, ms):
    """Whether ``promise`` settles before ``ms`` of loop time pass (inside lb.run)."""
    box = {}
    promise.then(lambda v: box.setdefault('value', v), lambda e: box.setdefault('error', e))
    lb.await_(sleep(ms))
    return box


def test_point_reads_answer_while_every_reader_thread_is_busy(tmp_path):
    ds, Supplier, Account = make_point_models(tmp_path)

    def main():
        release = busy_readers(ds)
        try:
            supplier = lb.await_(Supplier.findById(2))
            by_fk = settles_within(supplier.account.get(), 200)
            assert by_fk['value'].balance == 1          # unique index on supplierId
            by_id = settles_within(Account.findOne({'where': {'id': 3}}), 200)
            assert by_id['value'].supplierId == 3      # the primary key
            scan = Account.find({'where': {'balance': 1}})
            assert settles_within(scan, 100) == {}      # no unique index: waits for a worker
        finally:
            release.set()
        assert [a.supplierId for a in lb.await_(scan)] == [2]
    lb.run(main)


def test_a_dropped_unique_index_sends_the_lookup_back_to_the_workers(tmp_path):
    ds, Supplier, Account = make_point_models(tmp_path)

    def main():
        assert lb.await_(Account.findOne({'where': {'supplierId': 1}})).balance == 0
        indexes = lb.await_(ds.connector.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'account'"))
        for (name,) in indexes:
            lb.await_(ds.connector.execute('DROP INDEX "%s"' % name))
        release = busy_readers(ds)
        try:
            lookup = Account.findOne({'where': {'supplierId': 1}})
            assert settles_within(lookup, 100) == {}
        finally:
            release.set()
        assert lb.await_(lookup).balance == 0
    lb.run(main)


def test_a_busy_database_sends_point_reads_to_the_workers(tmp_path, mocker):
    """In WAL mode readers are not locked out, but should this thread's
    connection ever find the database busy, the read goes to the workers
    (which wait for the lock as usual) instead of failing."""
    ds, Supplier, Account = make_point_models(tmp_path)

    def main():
        assert lb.await_(Account.findOne({'where': {'supplierId': 1}})).balance == 0
        here = ds.connector._session_here()
        busy = mocker.patch.object(here, 'execute',
                                   side_effect=sqlite3.OperationalError('database is locked'))
        found = lb.await_(Account.findOne({'where': {'supplierId': 2}}))
        assert busy.call_count == 1
        return found.balance
    assert lb.run(main) == 1


def test_other_errors_of_a_point_read_reach_the_callback(tmp_path, mocker):
    ds, Supplier, Account = make_point_models(tmp_path)

    def main():
        lb.await_(Account.findOne({'where': {'supplierId': 1}}))
        here = ds.connector._session_here()
        mocker.patch.object(here, 'execute', side_effect=sqlite3.OperationalError('disk I/O error'))
        try:
            lb.await_(Account.findOne({'where': {'supplierId': 2}}))
        except sqlite3.OperationalError as err:
            return str(err)
    assert lb.run(main) == 'disk I/O error'
