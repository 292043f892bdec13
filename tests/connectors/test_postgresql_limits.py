"""PostgreSQL at its limits: 100,000-value inq lists, statement errors, bursts.

* psycopg (like node-postgres) binds at most 65,535 parameters; LB3's
  loopback-connector-postgresql sends IN ($1, ..., $n), so a longer inq fails
  there (node-postgres answers "bind message has 34464 parameter formats but
  0 parameters", code 08P01, or never).  Here a list is one array parameter
  per type of value (postgresql.in_sql) on every path, answering as memory.
* A statement the server (or the driver) refuses is that statement's error:
  a LoopBack error with the driver's message, never taken for a lost
  connection, never run again.
* A burst far larger than the pool waits its turn (poolTimeout counts only
  while no connection comes back, pg_waiting.py), and a server that dies
  or goes silent under a burst still answers every waiting call within
  poolTimeout of the last completed one.  The server is reached through a
  relay (:class:`Relay`) the tests can kill or silence without touching it.

Needs the PostgreSQL of trust_support.PG_URL; without one the tests skip.
"""

import socket
import threading
import time
import uuid

import pytest

import loopback_compat as lb
from loopback_compat.errors import LoopBackError
from loopback_compat.testing import rejection
from trust_support import PG_URL, close_ds, make_ds, pg_connect, require_pg
import large_inq

psycopg = pytest.importorskip('psycopg')

FAULT_CODES = ('DB_UNAVAILABLE', 'WRITE_OUTCOME_UNKNOWN', 'QUERY_TIMEOUT')


@pytest.fixture
def pg(tmp_path):
    """make_ds('postgresql', ...) (a pool of 4): fresh data sources, closed at the end."""
    require_pg()
    made = []

    def make(**settings):
        settings.setdefault('application_name', 'lbt_limits_' + uuid.uuid4().hex[:10])
        ds = make_ds('postgresql', tmp_path, **settings)
        made.append(ds)
        return ds
    yield make
    for ds in made:
        close_ds(ds)


def _sql(text, params=None):
    with pg_connect() as conn:
        cur = conn.execute(text, params)
        return cur.fetchall() if cur.description else None


def _schema_sql(ds, text):
    _sql('CREATE SCHEMA IF NOT EXISTS "%s"' % ds.settings['schema'])
    return _sql(text.replace('S.', '"%s".' % ds.settings['schema']))


# -- inq/nin of any length ----------------------------------------------------------------

def test_a_100000_value_inq_or_nin_answers_as_memory_everywhere(pg):
    large_inq.check(pg, large_inq.memory_answers())


def test_the_array_is_typed_as_the_column_would_type_each_value(pg):
    ds = pg()
    Tag = ds.createModel('Tag', {
        'code': {'type': 'string', 'postgresql': {'dataType': 'uuid'}},
        'short': {'type': 'string', 'postgresql': {'dataType': 'varchar(3)'}},
        'big': 'number', 'where': 'GeoPoint', 'meta': 'object'})
    codes = [str(uuid.UUID(int=i)) for i in range(3)]
    many = [str(uuid.uuid4()) for _ in range(70000)]

    def ids(where):
        return sorted(t.id for t in lb.await_(Tag.find({'where': where})))

    def main():
        lb.await_(ds.automigrate())
        lb.await_(Tag.create([
            {'code': codes[0], 'short': 'abc', 'big': 2 ** 60, 'where': {'lat': 1, 'lng': 2},
             'meta': {'a': 1}},
            {'code': codes[1], 'short': 'ab', 'big': 2.5, 'where': {'lat': 3, 'lng': 4},
             'meta': {'a': [1, 2]}},
            {'code': codes[2], 'short': 'x', 'big': 7, 'meta': {'b': None}}]))
        return {
            'uuid': ids({'code': {'inq': many + codes[:2]}}),
            'uuid nin': ids({'code': {'nin': many + codes[:2]}}),
            # compared as text: 'abcd' is not 'abc' (a cast to varchar(3) would cut it)
            'varchar': ids({'short': {'inq': ['abcd', 'ab']}}),
            'numbers': ids({'big': {'inq': [2 ** 60, 2 ** 70, 2.5, 2]}}),
            'points': ids({'where': {'inq': ['3,4', {'lat': 9, 'lng': 9}]}}),
            'objects': ids({'meta': {'inq': [{'a': [1, 2]}, {'b': None}]}}),
        }
    assert lb.run(main) == {'uuid': [1, 2], 'uuid nin': [3], 'varchar': [2],
                            'numbers': [1, 2], 'points': [2], 'objects': [2, 3]}


def test_an_inq_is_one_array_parameter_per_type_of_value(pg):
    ds = pg()
    ds.createModel('Note', {'n': 'number'})
    compiler = ds.connector.compiler('Note')
    sql, params, _ = compiler.select({'where': {'n': {'inq': list(range(100000)) + [0.5]}}})
    assert sql.count('ANY(%s)') == 2 and len(params) == 2
    sql, params, _ = compiler.select({'where': {'n': {'nin': [1, 2]}}})
    assert '"n" IS NULL OR NOT ("n" = ANY(%s))' in sql and params == [[1, 2]]


# -- statement errors are never connection faults -------------------------------------------

def test_a_statement_the_server_refuses_is_its_error_and_never_run_again(pg):
    ds = pg()
    _schema_sql(ds, 'CREATE SEQUENCE S.calls')
    _schema_sql(ds, "CREATE FUNCTION S.refuse() RETURNS boolean LANGUAGE plpgsql AS $$ "
                    "BEGIN PERFORM nextval('S.calls'); RAISE EXCEPTION 'refused by the test' "
                    "USING HINT = 'none'; END $$")
    _schema_sql(ds, 'CREATE TABLE S.note (id SERIAL PRIMARY KEY, text TEXT)')
    _schema_sql(ds, "INSERT INTO S.note (text) VALUES ('a')")
    _schema_sql(ds, 'CREATE VIEW S.refusing AS SELECT * FROM S.note WHERE S.refuse()')
    Refusing = ds.createModel('Refusing', {'text': 'string'},
                              {'postgresql': {'table': 'refusing'}})

    def main():
        pid = lb.await_(ds.connector.execute('SELECT pg_backend_pid()'))
        started = time.monotonic()
        read = rejection(Refusing.find())
        count = rejection(Refusing.count())
        raw = rejection(ds.connector.execute('SELECT 1/0'))
        return pid, time.monotonic() - started, read, count, raw, \
            lb.await_(ds.connector.execute('SELECT pg_backend_pid()'))
    pid, took, read, count, raw, pid_after = lb.run(main)
    for err in (read, count):
        assert isinstance(err, LoopBackError) and err.statusCode is None     # REST: 500
        assert (err.message, err.code, err.hint) == ('refused by the test', 'P0001', 'none')
        assert isinstance(err.cause, psycopg.errors.RaiseException)
    assert (raw.message, raw.code) == ('division by zero', '22012')
    assert _schema_sql(ds, 'SELECT last_value FROM S.calls') == [(2,)]   # once each
    assert pid_after == pid and took < 2       # the same connection, no reconnect


def test_more_parameters_than_the_driver_binds_is_a_statement_error(pg):
    ds = pg()

    def main():
        pid = lb.await_(ds.connector.execute('SELECT pg_backend_pid()'))
        marks = ', '.join(['%s'] * 70000)
        started = time.monotonic()
        err = rejection(ds.connector.execute('SELECT 1 WHERE 1 IN (%s)' % marks, [1] * 70000))
        took = time.monotonic() - started
        return pid, err, took, lb.await_(ds.connector.execute('SELECT pg_backend_pid()'))
    pid, err, took, pid_after = lb.run(main)
    # psycopg refuses it before sending: not a lost connection (no 503, no retry)
    assert isinstance(err, LoopBackError) and err.statusCode is None and err.code is None
    assert 'number of parameters must be between 0 and 65535' in err.message
    assert isinstance(err.cause, psycopg.OperationalError)
    assert pid_after == pid and took < 2


def test_a_unique_violation_is_still_409_and_the_driver_error_its_cause(pg):
    ds = pg()
    Note = ds.createModel('Note', {'id': {'type': 'string', 'id': True}, 'text': 'string'})

    def main():
        lb.await_(ds.automigrate())
        lb.await_(Note.create({'id': 'a', 'text': 'a'}))
        return rejection(Note.create({'id': 'a', 'text': 'b'})), rejection(
            Note.create({'id': 'b', 'text': 'nul \x00'}))
    dup, nul = lb.run(main)
    assert (dup.statusCode, dup.code, dup.message) == (409, 'ER_DUP_ENTRY',
                                                       'Duplicate entry for Note.id')
    assert (nul.statusCode, nul.code) == (400, 'INVALID_TEXT')


# -- bursts ---------------------------------------------------------------------------------

BURST = 3000


def test_3000_concurrent_creates_on_a_pool_of_4_all_succeed(pg):
    # acquireTimeout far below the time the burst takes: it counts only while
    # no connection comes back to the pool
    ds = pg(acquireTimeout=300)
    Note = ds.createModel('Note', {'text': 'string'})
    Other = ds.createModel('Other', {'text': 'string'})

    def main():
        lb.await_(ds.automigrate())
        started = time.monotonic()
        calls = [Note.create({'text': 'n%d' % i}) for i in range(BURST)]
        calls += [Other.create({'text': 'o%d' % i}) for i in range(300)]
        calls += [Note.count() for _ in range(100)]
        settled = lb.await_(lb.Promise.allSettled(calls))
        return settled, time.monotonic() - started
    settled, took = lb.run(main)
    failed = [s['reason'] for s in settled if s['status'] != 'fulfilled']
    assert not failed, (len(failed), failed[:3])
    ids = {s['value'].id for s in settled[:BURST]}
    assert len(ids) == BURST
    schema = ds.settings['schema']
    assert _sql('SELECT count(*), count(DISTINCT text) FROM "%s".note' % schema) == \
        [(BURST, BURST)]
    assert _sql('SELECT count(*) FROM "%s".other' % schema) == [(300,)]
    assert took > 0.3      # it did outlast the acquire timeout


class Relay:
    """A TCP relay to the test server that a test can kill or silence.

    ``kill()``: every relayed connection is reset and new ones are refused
    (a server that crashed); ``silence()``: bytes are no longer passed on
    either way and new connections are accepted but never answered (a
    server gone from the network).
    """

    def __init__(self):
        info = psycopg.conninfo.conninfo_to_dict(PG_URL)
        self.target = (info.get('host') or '127.0.0.1', int(info.get('port') or 5432))
        self.listener = socket.create_server(('127.0.0.1', 0))
        self.port = self.listener.getsockname()[1]
        self.sockets = []
        self.mode = 'relay'
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            with self.lock:
                self.sockets.append(client)
                if self.mode != 'relay':
                    continue
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets.append(upstream)
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                if self.mode == 'relay':
                    dst.sendall(data)
        except OSError:
            pass
        if self.mode == 'relay':
            for sock in (src, dst):
                _close(sock)

    def silence(self):
        self.mode = 'silent'

    def kill(self):
        self.mode = 'dead'
        _close(self.listener)
        with self.lock:
            for sock in self.sockets:
                _close(sock)

    close = kill


def _close(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def _burst_through(pg, relay, fault, **settings):
    """3,000 creates, a few finds and counts through ``relay``; ``fault()`` once
    100 creates are done.  The answers, with their times after the fault."""
    ds = pg(host='127.0.0.1', port=relay.port, acquireTimeout=1000, **settings)
    Note = ds.createModel('Note', {'text': 'string'})
    answers, fault_at = [], []

    def answer(kind, i):
        def ok(value):
            answers.append((kind, i, None, time.monotonic()))
            if kind == 'create' and len(answers) == 100 and not fault_at:
                fault_at.append(time.monotonic())
                fault()

        def failed(err):
            answers.append((kind, i, err, time.monotonic()))
        return ok, failed

    def main():
        lb.await_(ds.automigrate())
        calls = []
        for i in range(BURST):
            calls.append(Note.create({'text': 'n%d' % i}).then(*answer('create', i)))
            if i % 100 == 0:
                calls.append(Note.find({'limit': 1}).then(*answer('find', i)))
                calls.append(Note.count().then(*answer('count', i)))
        lb.await_(lb.Promise.all(calls))
    lb.run(main)
    stored = {text for (text,) in _sql('SELECT text FROM "%s".note' % ds.settings['schema'])}
    return answers, fault_at[0], stored


def _check_outcomes(answers, stored):
    """Every answer a success or a fault error, and no write misreported."""
    for kind, i, err, _ in answers:
        if err is not None:
            assert err.statusCode == 503 and err.code in FAULT_CODES, (kind, err)
        if kind == 'create' and (err is None or err.code == 'DB_UNAVAILABLE'):
            assert (('n%d' % i) in stored) == (err is None), (i, err)


def test_a_burst_while_the_server_dies_answers_within_the_acquire_timeout(pg):
    relay = Relay()
    try:
        answers, fault_at, stored = _burst_through(pg, relay, relay.kill)
    finally:
        relay.close()
    assert len(answers) == BURST + 60
    _check_outcomes(answers, stored)
    late = max(at for *_, at in answers) - fault_at
    print('\nkill: last answer %.2f s after the fault' % late)
    # documented: poolTimeout (here 1 s) after the last operation that completed
    assert late < 1.0 + 1.0, late
    assert sum(1 for a in answers if a[2] is None) >= 100
    assert sum(1 for a in answers if a[2] is not None and a[2].code == 'DB_UNAVAILABLE') > 2000


def test_a_burst_while_the_server_goes_silent_answers_the_queued_calls_in_time(pg):
    # the statements in flight wait for queryTimeout (3 s); the thousands of
    # calls queued behind them are answered by the loop within poolTimeout
    relay = Relay()
    try:
        answers, fault_at, stored = _burst_through(pg, relay, relay.silence,
                                                   queryTimeout=3000, statementTimeout=0)
    finally:
        relay.close()
    assert len(answers) == BURST + 60
    _check_outcomes(answers, stored)
    after = sorted(at - fault_at for *_, at in answers if at > fault_at)
    in_flight = [a for a in after if a >= 1.0 + 1.0]
    print('\nsilence: %d answers after the fault, %d after 2 s, the last %.2f s after it'
          % (len(after), len(in_flight), after[-1]))
    assert len(in_flight) <= 8, after[-10:]          # the write lane's and the readers'
    assert after[-1] < 3.0 + 1.5, after[-1]
