"""PostgreSQL faults: every request answers in bounded time, reads are retried,
and a write is never reported failed when it may have been applied (issue 16, item 8).

The deterministic cases break a connection at a chosen moment from inside
the server: a function that terminates its own backend the first N times it
runs (counted by a sequence, which a rollback does not undo), called from a
view (a read), a trigger (a write) or a deferred constraint trigger (the
COMMIT).  The last test serves an app over real HTTP while another thread
terminates every connection of the app (found by its application_name) every
50 ms, and then checks each answer against the database.

Needs the PostgreSQL of trust_support.PG_URL; without one the tests skip.
"""

import json
import os
import random
import sys
import threading
import time
import urllib.parse
import uuid

import pytest

import loopback_compat as lb
from loopback_compat.connectors.postgresql import conninfo_from_settings, time_limits
from loopback_compat.testing import rejection
from trust_support import PG_URL, close_ds, make_ds, pg_connect, require_pg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'rest'))
from live import LiveApp  # noqa: E402

psycopg = pytest.importorskip('psycopg')

FAULT_CODES = ('DB_UNAVAILABLE', 'WRITE_OUTCOME_UNKNOWN', 'QUERY_TIMEOUT')


def app_name():
    return 'lbt_faults_' + uuid.uuid4().hex[:10]


def kill_backends(name):
    """Terminate every connection whose application_name is ``name``: how many."""
    with pg_connect() as conn:
        rows = conn.execute(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
            'WHERE datname = current_database() AND application_name = %s', [name]).fetchall()
    return sum(1 for (killed,) in rows if killed)


@pytest.fixture
def pg_ds(tmp_path):
    """make_ds for PostgreSQL with a distinct application_name; schema objects via ``sql``."""
    require_pg()
    made = []

    def make(**settings):
        settings.setdefault('application_name', app_name())
        ds = make_ds('postgresql', tmp_path, **settings)
        made.append(ds)
        schema = ds.settings['schema']
        ds.sql = lambda text: _sql(text.replace('S.', '"%s".' % schema))
        ds.sql('CREATE SCHEMA IF NOT EXISTS "%s"' % schema)
        # die(n): terminate this backend the first n times it runs
        ds.sql("CREATE SEQUENCE S.calls")
        ds.sql("CREATE FUNCTION S.die(n int) RETURNS boolean LANGUAGE plpgsql AS $$ "
               "BEGIN IF nextval('S.calls') <= n THEN "
               "PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5); END IF; "
               "RETURN true; END $$")
        ds.calls = lambda: _sql("SELECT last_value, is_called FROM %s" % (
            '"%s".calls' % schema))[0]
        return ds
    yield make
    for ds in made:
        close_ds(ds)


def _sql(text, params=None):
    with pg_connect() as conn:
        cur = conn.execute(text, params)
        return cur.fetchall() if cur.description else None


def calls(ds):
    value, called = ds.calls()
    return value if called else 0


def note_model(ds):
    return ds.createModel('Note', {'text': 'string'})


def die_on_insert(ds, times, deferred=False):
    """Make an insert into note (or, ``deferred``, its COMMIT) lose its connection."""
    ds.sql('CREATE TABLE IF NOT EXISTS S.note (id SERIAL PRIMARY KEY, text TEXT)')
    ds.sql('CREATE OR REPLACE FUNCTION S.die_row() RETURNS trigger LANGUAGE plpgsql AS $$ '
           'BEGIN PERFORM S.die(%d); RETURN NEW; END $$' % times)
    if deferred:
        ds.sql('CREATE CONSTRAINT TRIGGER die_at_commit AFTER INSERT ON S.note '
               'DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION S.die_row()')
    else:
        ds.sql('CREATE TRIGGER die_now BEFORE INSERT ON S.note '
               'FOR EACH ROW EXECUTE FUNCTION S.die_row()')


def rows_of(ds, table='note'):
    return _sql('SELECT text FROM "%s".%s ORDER BY id' % (ds.settings['schema'], table))


# -- settings ---------------------------------------------------------------------------

def test_time_limits_have_bounded_defaults_and_reach_every_connection(pg_ds):
    limits = time_limits({})
    assert limits == {'connect': 5.0, 'acquire': 5.0, 'statement': 30.0, 'query': 35.0}
    assert time_limits({'connectionTimeoutMillis': 2000, 'acquireTimeout': 1500,
                        'statement_timeout': 800, 'query_timeout': 0}) == \
        {'connect': 2.0, 'acquire': 1.5, 'statement': 0.8, 'query': None}
    assert time_limits({'statementTimeout': 0})['query'] is None
    info = psycopg.conninfo.conninfo_to_dict(conninfo_from_settings({'url': PG_URL}))
    assert (info['connect_timeout'], info['keepalives'], info['keepalives_idle']) == \
        ('5', '1', '10')

    ds = pg_ds(statementTimeout=1500)
    name = ds.settings['application_name']
    rows = lb.run(lambda: lb.await_(ds.connector.execute(
        "SELECT current_setting('statement_timeout'), current_setting('application_name')")))
    assert rows == [['1500ms', name]]


# -- reads --------------------------------------------------------------------------------

def fragile_view(ds, times):
    """A model on a view whose read loses its connection the first ``times`` times."""
    ds.sql('CREATE TABLE S.note (id SERIAL PRIMARY KEY, text TEXT)')
    ds.sql("INSERT INTO S.note (text) VALUES ('a'), ('b')")
    ds.sql('CREATE VIEW S.fragile AS SELECT * FROM S.note WHERE (SELECT S.die(%d))' % times)
    return ds.createModel('Fragile', {'text': 'string'}, {'postgresql': {'table': 'fragile'}})


def test_a_read_whose_connection_breaks_runs_again_on_a_fresh_connection(pg_ds):
    ds = pg_ds()
    Fragile = fragile_view(ds, 2)
    found = lb.run(lambda: [f.text for f in lb.await_(Fragile.find({'order': 'id'}))])
    assert found == ['a', 'b']
    assert calls(ds) == 3          # broken twice, answered on the third connection


def test_a_read_that_keeps_breaking_gives_up_with_DB_UNAVAILABLE(pg_ds):
    ds = pg_ds(readRetries=1)
    Fragile = fragile_view(ds, 100)
    started = time.monotonic()
    err = lb.run(lambda: rejection(Fragile.count()))
    assert (err.statusCode, err.code) == (503, 'DB_UNAVAILABLE')
    assert isinstance(err.cause, psycopg.OperationalError)
    assert calls(ds) == 2          # the read and one retry
    assert time.monotonic() - started < 3


# -- writes -------------------------------------------------------------------------------

def test_a_write_whose_connection_breaks_after_sending_is_WRITE_OUTCOME_UNKNOWN(pg_ds):
    ds = pg_ds()
    die_on_insert(ds, 1)
    Note = note_model(ds)

    def main():
        err = rejection(Note.create({'text': 'lost'}))
        again = lb.await_(Note.create({'text': 'kept'}))
        return err, again.id
    err, new_id = lb.run(main)
    assert (err.statusCode, err.code) == (503, 'WRITE_OUTCOME_UNKNOWN')
    assert 'may or may not have been applied' in err.message
    assert err.name == 'Error' and isinstance(err.cause, psycopg.OperationalError)
    assert calls(ds) == 2          # the lost write was never sent again
    assert new_id is not None and rows_of(ds) == [('kept',)]


def test_a_transaction_that_breaks_before_commit_is_a_plain_failure(pg_ds):
    ds = pg_ds()
    die_on_insert(ds, 1)
    Note = note_model(ds)
    # findOrCreate: BEGIN, lock, SELECT, INSERT (breaks here), COMMIT never sent
    err = lb.run(lambda: rejection(Note.findOrCreate({'where': {'text': 'x'}}, {'text': 'x'})))
    assert (err.statusCode, err.code) == (503, 'DB_UNAVAILABLE')
    assert 'nothing was written' in err.message
    assert rows_of(ds) == []


def test_a_commit_that_breaks_on_the_wire_is_WRITE_OUTCOME_UNKNOWN(pg_ds):
    ds = pg_ds()
    die_on_insert(ds, 2, deferred=True)    # the constraint trigger runs inside COMMIT
    Note = note_model(ds)

    def main():
        atomic = rejection(Note.findOrCreate({'where': {'text': 'x'}}, {'text': 'x'}))
        tx = lb.await_(Note.beginTransaction({}))
        lb.await_(Note.create({'text': 'y'}, {'transaction': tx}))
        commit = rejection(tx.commit())
        return atomic, commit
    atomic, commit = lb.run(main)
    assert (atomic.statusCode, atomic.code) == (503, 'WRITE_OUTCOME_UNKNOWN')
    assert (commit.statusCode, commit.code) == (503, 'WRITE_OUTCOME_UNKNOWN')
    assert 'may or may not have been committed' in commit.message
    assert calls(ds) == 2


def test_a_transaction_whose_connection_was_killed_rolls_back_quietly(pg_ds):
    ds = pg_ds()
    Note = note_model(ds)

    def main():
        lb.await_(ds.automigrate())
        tx = lb.await_(Note.beginTransaction({}))
        lb.await_(Note.create({'text': 'in tx'}, {'transaction': tx}))
        kill_backends(ds.settings['application_name'])
        time.sleep(0.05)
        create = rejection(Note.create({'text': 'more'}, {'transaction': tx}))
        lb.await_(tx.rollback())           # the server rolled back already: no error
        return create, lb.await_(Note.count())
    create, count = lb.run(main)
    assert (create.statusCode, create.code) == (503, 'DB_UNAVAILABLE')
    assert count == 0


def test_connections_killed_while_idle_are_replaced_before_anything_is_sent(pg_ds):
    ds = pg_ds()
    Note = note_model(ds)

    def main():
        lb.await_(ds.automigrate())
        lb.await_(lb.Promise.all([Note.create({'text': 'n%d' % i}) for i in range(8)]))
        killed = kill_backends(ds.settings['application_name'])
        time.sleep(0.05)
        # every pooled connection is dead: writes and reads still just work
        lb.await_(lb.Promise.all([Note.create({'text': 'after%d' % i}) for i in range(4)]))
        return killed, lb.await_(Note.count())
    killed, count = lb.run(main)
    assert killed >= 1 and count == 12


# -- bounded time ---------------------------------------------------------------------------

def test_no_server_is_DB_UNAVAILABLE_within_the_acquire_timeout():
    ds = lb.DataSource('postgresql', url='postgresql://postgres@127.0.0.1:1/none',
                       acquireTimeout=600)
    Note = note_model(ds)
    started = time.monotonic()
    err = lb.run(lambda: rejection(Note.create({'text': 'x'})))
    elapsed = time.monotonic() - started
    lb.run(lambda: lb.await_(ds.disconnect()))
    assert (err.statusCode, err.code) == (503, 'DB_UNAVAILABLE')
    assert 'nothing was sent' in err.message
    assert 0.5 < elapsed < 3


def test_a_full_pool_is_DB_UNAVAILABLE_after_the_acquire_timeout(pg_ds):
    ds = pg_ds(acquireTimeout=400)
    Note = note_model(ds)

    def main():
        lb.await_(ds.automigrate())
        # make_ds's pool has 4 connections: four transactions hold them all
        txs = lb.await_(lb.Promise.all([Note.beginTransaction({}) for _ in range(4)]))
        started = time.monotonic()
        err = rejection(Note.count())
        waited = time.monotonic() - started
        for tx in txs:
            lb.await_(tx.rollback())
        return err, waited, lb.await_(Note.count())
    err, waited, count = lb.run(main)
    assert (err.statusCode, err.code) == (503, 'DB_UNAVAILABLE')
    assert 0.3 < waited < 2 and count == 0


def slow_view(ds):
    ds.sql('CREATE TABLE S.note (id SERIAL PRIMARY KEY, text TEXT)')
    ds.sql("INSERT INTO S.note (text) VALUES ('a')")
    ds.sql('CREATE VIEW S.slow AS SELECT * FROM S.note WHERE pg_sleep(1.5) IS NOT NULL')
    return ds.createModel('Slow', {'text': 'string'}, {'postgresql': {'table': 'slow'}})


def test_statement_timeout_cancels_on_the_server_and_is_not_retried(pg_ds):
    ds = pg_ds(statementTimeout=300)
    Slow = slow_view(ds)
    table = '"%s".note' % ds.settings['schema']

    def main():
        started = time.monotonic()
        read = rejection(Slow.find())
        read_time = time.monotonic() - started
        write = rejection(ds.connector.execute(
            "INSERT INTO %s (text) SELECT 'slow' FROM pg_sleep(3)" % table))
        # migrations are exempt: a DDL job may take longer
        slow_ddl = lb.Promise(lambda ok, fail: ds.connector._run_ddl(
            lambda s: s.execute('SELECT pg_sleep(0.5)', []),
            lambda e, r=None: fail(e) if e else ok(r)))
        lb.await_(slow_ddl)
        return read, read_time, write
    read, read_time, write = lb.run(main)
    assert (read.statusCode, read.code) == (503, 'QUERY_TIMEOUT') and read_time < 2
    # canceled by the server: certainly not applied, so not "unknown"
    assert (write.statusCode, write.code) == (503, 'QUERY_TIMEOUT')
    assert rows_of(ds) == [('a',)]


def test_query_timeout_frees_the_worker_when_the_server_does_not_answer(pg_ds):
    # statement_timeout off: only the client's own limit can end these
    ds = pg_ds(statementTimeout=0, queryTimeout=300)
    Slow = slow_view(ds)
    table = '"%s".note' % ds.settings['schema']

    def main():
        started = time.monotonic()
        read = rejection(Slow.find())
        read_time = time.monotonic() - started
        write = rejection(ds.connector.execute(
            "INSERT INTO %s (text) SELECT 'slow' FROM pg_sleep(1)" % table))
        after = lb.await_(ds.connector.execute('SELECT 1'))
        return read, read_time, write, after
    read, read_time, write, after = lb.run(main)
    assert (read.statusCode, read.code) == (503, 'QUERY_TIMEOUT') and read_time < 2
    assert (write.statusCode, write.code) == (503, 'WRITE_OUTCOME_UNKNOWN')
    assert after == [[1]]
    # the server finishes the abandoned statements later; let them end before the
    # schema is dropped
    wait_until_idle(ds.settings['application_name'])


def wait_until_idle(name, seconds=5):
    end = time.monotonic() + seconds
    while time.monotonic() < end and _sql(
            "SELECT 1 FROM pg_stat_activity WHERE application_name = %s AND state = 'active'",
            [name]):
        time.sleep(0.05)


# -- over HTTP, with every connection killed every 50 ms -------------------------------------

KILL_EVERY = 0.05
DURATION = 4.0
CLIENTS = 6
ANSWER_BOUND = 10.0


def test_http_requests_under_a_connection_kill_loop(tmp_path):
    require_pg()
    name = app_name()
    schema = 'lbt_faults_' + uuid.uuid4().hex[:10]

    def setup(app, done):
        app.set('errorHandler', {'safeFields': ['code']})    # show 5xx codes to clients
        ds = app.dataSource('db', {'connector': 'postgresql', 'url': PG_URL, 'schema': schema,
                                   'application_name': name, 'max': 4})
        Note = ds.createModel('Note', {'id': {'type': 'string', 'id': True},
                                       'text': 'string'})
        app.model(Note, dataSource='db')
        ds.automigrate(lambda err=None: done(err))

    live = LiveApp(setup).start()
    try:
        outcome = _kill_loop_run(live, name, schema)
    finally:
        live.stop()
        _sql('DROP SCHEMA IF EXISTS "%s" CASCADE' % schema)
    results, stored, kills, after = outcome

    slowest = max(r['secs'] for r in results)
    by_outcome = {}
    misreported = []
    unknown_applied = 0
    for r in results:
        code = r['code']
        assert r['status'] is not None, r                       # every request answered
        assert r['secs'] < ANSWER_BOUND, r
        if r['status'] < 400:
            outcome = 'ok'
        else:
            # a LoopBack fault error: never a raw driver error (500)
            assert r['status'] == 503 and code in FAULT_CODES, r
            outcome = 'unknown' if code == 'WRITE_OUTCOME_UNKNOWN' else 'failed'
            if outcome == 'unknown':
                assert r['kind'] in ('create', 'update', 'delete'), r
        by_outcome[(r['kind'], outcome)] = by_outcome.get((r['kind'], outcome), 0) + 1
        if r['kind'] in ('create', 'update', 'delete'):
            applied = {'create': stored.get(r['key']) == r['token'],
                       'update': stored.get(r['key']) == r['token'],
                       'delete': r['key'] not in stored}[r['kind']]
            if outcome == 'unknown':
                unknown_applied += applied
            elif applied != (outcome == 'ok'):
                misreported.append(r)
    print('\n%d requests in %.1f s, %d connections killed; slowest answer %.2f s; %s; '
          '%d of the unknown writes had been applied'
          % (len(results), DURATION, kills, slowest, sorted(by_outcome.items()),
             unknown_applied))
    assert kills >= 20, 'the kill loop did not hit the app'
    assert not misreported, misreported[:5]
    for kind in ('create', 'update', 'delete', 'find', 'count', 'get'):
        assert by_outcome.get((kind, 'ok')), (kind, by_outcome)
    assert after == (200, {'count': len(stored)})


def _kill_loop_run(live, name, schema):
    # rows for updates and deletes (each used once), and one never touched
    _sql('INSERT INTO "%s".note (id, text) SELECT \'seed\' || i, \'seed\' '
         'FROM generate_series(1, 1500) AS i' % schema)
    _sql('INSERT INTO "%s".note (id, text) VALUES (\'keep\', \'keep\')' % schema)
    seeds = ['seed%d' % i for i in range(1, 1501)]
    random.Random(16).shuffle(seeds)
    stop = threading.Event()
    kills = [0]

    def killer():
        with pg_connect() as conn:
            while not stop.is_set():
                rows = conn.execute(
                    'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
                    'WHERE datname = current_database() AND application_name = %s',
                    [name]).fetchall()
                kills[0] += sum(1 for (killed,) in rows if killed)
                stop.wait(KILL_EVERY)

    results = []
    lock = threading.Lock()
    find = '/api/Notes?filter=' + urllib.parse.quote(json.dumps({'limit': 5}))

    def client(k):
        rnd = random.Random(k)
        end = time.monotonic() + DURATION
        while time.monotonic() < end:
            kind = rnd.choice(('create', 'create', 'update', 'delete', 'find', 'count', 'get'))
            key = token = uuid.uuid4().hex[:12]
            if kind in ('update', 'delete'):
                with lock:
                    if not seeds:
                        kind = 'find'
                    else:
                        key = seeds.pop()
            request = {'create': ('POST', '/api/Notes', {'id': key, 'text': token}),
                       'update': ('PATCH', '/api/Notes/' + key, {'text': token}),
                       'delete': ('DELETE', '/api/Notes/' + key, None),
                       'find': ('GET', find, None),
                       'count': ('GET', '/api/Notes/count', None),
                       'get': ('GET', '/api/Notes/keep', None)}[kind]
            started = time.monotonic()
            try:
                status, body = live.json(*request)
            except Exception as exc:   # no answer (the client gives up after 30 s)
                status, body = None, repr(exc)
            code = body.get('error', {}).get('code') if isinstance(body, dict) else None
            results.append({'kind': kind, 'key': key, 'token': token, 'status': status,
                            'code': code, 'secs': time.monotonic() - started})

    kill_thread = threading.Thread(target=killer, daemon=True)
    kill_thread.start()
    clients = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    stop.set()
    kill_thread.join()
    stored = dict(_sql('SELECT id, text FROM "%s".note' % schema))
    after = live.json('GET', '/api/Notes/count')     # the app recovers at once
    return results, stored, kills[0], after
