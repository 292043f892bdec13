"""The SQLite connector (stdlib ``sqlite3``): the embedded database for one machine.

# LoopBack: loopback-connector-sqlite3 over loopback-connector's SQLConnector

    ds = lb.DataSource('sqlite', file='app.db')      # or file=':memory:'
    ds = lb.DataSource({'connector': 'sqlite', 'file': 'app.db'})

Settings: ``file`` (also ``database``/``filename``; ':memory:' is a private
temporary database file removed on disconnect, so that every worker thread
sees the same data), ``busyTimeout`` (ms a writer waits for another
process's lock, default 60000), ``readers`` (reader threads, default the
libuv-sized pool size), ``createTables`` (create a model's table, if
missing, before its first use).

Threads and locking: a ``sqlite3`` connection is only ever used on the
thread that opened it (the worker threads keep ``check_same_thread`` on;
the loop thread's point-read connection below is closed by ``disconnect``
from whatever thread calls it, so it turns the check off).  Writes go to one
dedicated writer thread with its own connection, so writes from this data
source are serialised and never race each other into "database is locked";
reads run on reader threads (one connection each) and, with the WAL journal,
never block or get blocked by the writer.  Check-then-write operations
(findOrCreate, save/updateOrCreate/replaceOrCreate, migrations) run inside
``BEGIN IMMEDIATE``, which takes the database's write lock first, so they
are atomic against every other connection and process too.  A transaction
(``Model.beginTransaction``) gets a thread and connection of its own and
holds ``BEGIN IMMEDIATE`` until commit or rollback; other writers wait for
it (up to ``busyTimeout``).

Point reads: a read whose where pins one column with a unique index (the
primary key, or a hasOne foreign key, which migrations index uniquely) to
one value is a single index look-up, cheaper than the hand-off to a reader
thread and back (two thread wake-ups).  It runs on the loop thread's own
connection, which never waits for a lock (when busy, the read goes to the
readers after all); its callback still comes on a later tick.  Which
columns are unique is read from the database (``PRAGMA index_list``) and
re-read whenever its schema version changes.

Storage (as loopback-connector-sqlite3): number -> REAL (INTEGER for ids and
``dataType: 'integer'``), boolean -> INTEGER 0/1, date -> INTEGER
milliseconds since the epoch (microseconds kept as a fraction; read back as
timezone-aware UTC datetimes), string -> TEXT, object/array/any -> JSON TEXT,
buffer -> BLOB.  A generated numeric id is ``INTEGER PRIMARY KEY
AUTOINCREMENT`` (never reused, like the memory connector's counter).
"""

import atexit
import datetime as _dt
import functools
import json
import math
import os
import re
import shutil
import sqlite3
import time
import tempfile
import threading

from ... import filters, safe_regex
from ...errors import LoopBackError
from ...types import parse_date
from ...promise import callback_and_promise
from ...workers import WorkerPool, _env_size
from .connector import SqlConnector
from .rows import UTC, _int_if_integral, to_json_text
from .running import Lane, later

_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)


def _text(value):
    """The text a regex is matched against (JavaScript's String(value) for numbers)."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _regexp(pattern, flags, value):
    """SQL ``lb_regexp(pattern, flags, value)``: in bounded time (safe_regex),
    on the budget of the statement running on this thread."""
    if value is None:
        return 0
    return 1 if safe_regex.statement_search(pattern, flags, _text(value)) else 0


#: The longest inq/nin list bound one placeholder per value (sqlite.in_sql).
IN_LIST_MAX = 500


def _json_scalar(value):
    """A value JSON carries exactly into json_each: an integer, a finite float, or
    text without U+0000 (json_each's text ends there)."""
    kind = type(value)
    if kind is str:
        return '\x00' not in value
    return kind is int or (kind is float and math.isfinite(value))


def _array_item(item):
    """An item compared with the elements of a stored JSON array (json_each values)."""
    if isinstance(item, bool):
        return 1 if item else 0
    if isinstance(item, (_dt.datetime, _dt.date)):
        return to_json_text(item)[1:-1]
    return item


def date_to_ms(value):
    delta = value.astimezone(UTC) - _EPOCH
    us = (delta.days * 86400 + delta.seconds) * 1000000 + delta.microseconds
    return _int_if_integral(us / 1000.0)


def ms_to_date(value):
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return parse_date(value)
    us = round(float(value) * 1000)
    return _EPOCH + _dt.timedelta(microseconds=us)


def _use_wal(conn, busy_ms):
    """Put the database in WAL mode (it stays so: the mode is kept in the file).

    Switching the journal mode can fail with "database is locked" without
    SQLite's busy handler being consulted, when many connections open at
    once; so the mode is switched only when it is not WAL already, and a
    locked switch is retried until ``busy_ms`` has passed.
    """
    deadline = time.monotonic() + busy_ms / 1000.0
    while True:
        try:
            if conn.execute('PRAGMA journal_mode').fetchone()[0].lower() != 'wal':
                conn.execute('PRAGMA journal_mode=WAL')
            return
        except sqlite3.OperationalError as exc:
            if 'locked' not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.01)


class Session:
    """One thread's connection: ``execute(sql, params) -> (rows, rowcount)``."""

    def __init__(self, path, busy_ms, check_same_thread=True):
        self.conn = sqlite3.connect(path, timeout=busy_ms / 1000.0, isolation_level=None,
                                    check_same_thread=check_same_thread)
        self.conn.execute('PRAGMA busy_timeout=%d' % int(busy_ms))
        _use_wal(self.conn, busy_ms)
        self.conn.execute('PRAGMA synchronous=NORMAL')
        self.conn.create_function('lb_regexp', 3, _regexp, deterministic=True)

    @property
    def in_transaction(self):
        return self.conn.in_transaction

    def execute(self, sql, params, raw=False):
        safe_regex.begin_statement()
        try:
            cur = self.conn.execute(sql, params)
            try:
                has_rows = cur.description is not None
                rows = cur.fetchall() if has_rows else []
                count = cur.rowcount
            finally:
                cur.close()
        except sqlite3.OperationalError:
            # SQLite reports a failed lb_regexp only as 'user-defined function
            # raised exception': answer the 400 it raised instead
            err = safe_regex.statement_error()
            if err is not None:
                raise err from None
            raise
        if raw:
            return rows, count, has_rows
        return rows, count

    def atomic(self, job):
        """Run ``job(self)`` inside BEGIN IMMEDIATE ... COMMIT (nested: inline)."""
        if self.conn.in_transaction:
            return job(self)
        self.conn.execute('BEGIN IMMEDIATE')
        try:
            result = job(self)
        except BaseException:
            self.conn.execute('ROLLBACK')
            raise
        self.conn.execute('COMMIT')
        return result

    def close(self):
        try:
            self.conn.close()
        except sqlite3.Error:
            pass


class TxConnection:
    """A transaction's lane (thread) and its session."""

    def __init__(self, lane):
        self.lane = lane


class SQLite(SqlConnector):
    """The ``sqlite`` connector (see the module docstring)."""

    name = 'sqlite3'
    settings_key = 'sqlite3'
    placeholder = '?'
    capabilities = SqlConnector.capabilities | {'ping'}

    def __init__(self, settings=None, data_source=None):
        super().__init__(settings, data_source)
        s = self.settings
        path = s.get('file') or s.get('database') or s.get('filename') or ':memory:'
        self._tempdir = None
        if path == ':memory:' or path == '':
            self._tempdir = tempfile.mkdtemp(prefix='lb-sqlite-')
            path = os.path.join(self._tempdir, 'memory.db')
            atexit.register(shutil.rmtree, self._tempdir, True)
        self.path = path
        self.busy_ms = int(s.get('busyTimeout') or 60000)
        self._writer = self._readers = None
        self._open_lanes()
        # Point reads on the loop thread: its connection, and which (table,
        # column) pairs have a unique index, valid for one schema version.
        self._here = threading.local()
        self._here_sessions = []
        self._unique_columns = (None, {})

    def _open_lanes(self):
        """The writer lane and reader threads (again after a disconnect)."""
        if self._writer is not None and not self._writer.closed:
            return
        init = functools.partial(Session, self.path, self.busy_ms)
        self._writer = Lane('lb-sqlite-writer', init, Session.close)
        self._readers = WorkerPool(int(self.settings.get('readers') or _env_size()),
                                   'lb-sqlite-reader', init, Session.close)

    # -- dialect --

    COLUMN_TYPES = {'number': 'REAL', 'boolean': 'INTEGER', 'date': 'INTEGER',
                    'buffer': 'BLOB'}
    DEFAULT_COLUMN_TYPE = 'TEXT'

    def column_ddl(self, table, col, strict=True):
        if col.generated and col.type == 'number' and len(table.id_columns) == 1:
            return 'INTEGER PRIMARY KEY AUTOINCREMENT'
        return super().column_ddl(table, col, strict)

    def primary_key_clause(self, table):
        ids = table.id_columns
        if len(ids) == 1 and ids[0].generated and ids[0].type == 'number':
            return None
        return super().primary_key_clause(table)

    def to_db(self, col, value):
        value = super().to_db(col, value)
        if value is None:
            return None
        t = col.type
        if t == 'boolean':
            return 1 if value else 0
        if t == 'date':
            return date_to_ms(value)
        if col.is_json:
            return to_json_text(value)
        return value

    def from_db(self, col, value):
        t = col.type
        if t == 'number':
            if isinstance(value, str):
                n = filters.js_to_number(value)
                return None if n != n else _int_if_integral(n)
            return _int_if_integral(value)
        if t == 'boolean':
            return bool(value) if not isinstance(value, str) else value in ('1', 't', 'T', 'y', 'Y', 'true')
        if t == 'date':
            return ms_to_date(value)
        return super().from_db(col, value)

    def json_path_sql(self, col, segments, kind):
        """json_extract over a validated path (segments are identifiers or indexes)."""
        path = '$' + ''.join('[%s]' % s if s.isdigit() else '.' + s for s in segments)
        return "json_extract(%s, '%s')" % (col.quoted, path)

    def equals_sql(self, col, value):
        return '%s = ?' % col.quoted, [value]

    def compare_expr(self, col):
        return col.quoted

    def regexp_sql(self, col, pattern, negate):
        flags = pattern.flags & (re.I | re.M | re.S)
        sql = 'lb_regexp(?, ?, %s)' % col.quoted
        if negate:
            return '(%s IS NULL OR NOT %s)' % (col.quoted, sql), [pattern.pattern, flags]
        return sql, [pattern.pattern, flags]

    def order_term(self, col, desc):
        # SQLite sorts NULL first ascending and last descending, as memory sorts missing values.
        return '%s %s' % (col.quoted, 'DESC' if desc else 'ASC')

    def paging_sql(self, limit, skip):
        return ' LIMIT ? OFFSET ?', [limit if limit else -1, skip or 0]

    def in_sql(self, col, values, wanted):
        """Up to IN_LIST_MAX values: IN (?, ...); more: one JSON parameter.

        # LoopBack: loopback-connector-sqlite3 sends IN (?, ..., ?), which
        # fails past SQLITE_MAX_VARIABLE_NUMBER (32,766 by default)
        ``IN (SELECT value FROM json_each(?))`` compares as the list does: the
        values have no affinity either way, so the column's applies.  Values
        JSON cannot carry exactly (buffers, text holding U+0000) keep a
        placeholder each.
        """
        if len(values) <= IN_LIST_MAX:
            return super().in_sql(col, values, wanted)
        carried = [v for v in values if _json_scalar(v)]
        rest = [v for v in values if not _json_scalar(v)]
        sql = '%s IN (SELECT value FROM json_each(?))' % col.quoted
        params = [json.dumps(carried, ensure_ascii=False, allow_nan=False)]
        if rest:
            more, more_params = super().in_sql(col, rest, True)
            sql = '(%s OR %s)' % (sql, more)
            params.extend(more_params)
        return (sql if wanted else 'NOT (%s)' % sql), params

    def array_contains_sql(self, col, item):
        return ('EXISTS (SELECT 1 FROM json_each(%s) WHERE json_each.value = ?)' % col.quoted,
                [_array_item(item)])

    def array_contains_any_sql(self, col, items):
        items = [_array_item(item) for item in items]
        if len(items) <= IN_LIST_MAX or not all(_json_scalar(i) for i in items):
            return super().array_contains_any_sql(col, items)
        return ('EXISTS (SELECT 1 FROM json_each(%s) AS lb_a WHERE lb_a.value IN '
                '(SELECT value FROM json_each(?)))' % col.quoted,
                [json.dumps(items, ensure_ascii=False, allow_nan=False)])

    def array_element_sql(self, col, kind):
        return 'json_each.value'

    def array_exists_sql(self, col, condition):
        return 'EXISTS (SELECT 1 FROM json_each(%s) WHERE %s)' % (col.quoted, condition)

    def array_empty_sql(self, col):
        return 'json_array_length(%s) = 0' % col.quoted

    def is_unique_violation(self, err):
        return isinstance(err, sqlite3.IntegrityError) and 'UNIQUE constraint failed' in str(err)

    def violated_primary_key(self, err, table):
        text = str(err).split('UNIQUE constraint failed:', 1)[-1].strip()
        names = [n.strip() for n in text.split(',')]
        return names == ['%s.%s' % (table.name, c.name) for c in table.id_columns]

    # -- running --

    def _run(self, options, job, done, write=False, point=None):
        tx = self.transaction_of(options)
        if tx is not None:
            if tx.connection is None:
                return later(done, LoopBackError('Transaction is not active'), None)
            lane = tx.connection.lane
        else:
            self._open_lanes()
            if point is not None and not write and self._run_here(point, job, done):
                return
            lane = self._writer if write else self._readers
        lane.submit(lambda: job(lane.context()), (), done)

    def _run_here(self, point, job, done):
        """Run a read that can match at most one row on this thread; False: it can't be.

        Handing a statement to a worker thread and back costs two thread
        wake-ups (tens of microseconds on a small VM), far more than an
        index look-up.  A read pinned to one value of a column with a unique
        index (a relation lookup by its foreign key, a find by id) is one
        such look-up, and in WAL mode a reader neither waits for nor blocks
        the writer; so it runs here, on a connection of this thread that
        does not wait when the database is busy (it falls back to the
        workers then).  The callback still comes on a later tick.
        """
        session = self._session_here()
        if session is None:
            return False
        try:
            if not self._has_unique_index(session, point):
                return False
            result = job(session)
        except sqlite3.OperationalError as exc:
            if 'locked' in str(exc) or 'busy' in str(exc):
                return False     # the workers wait for the lock as usual
            later(done, exc, None)
            return True
        except Exception as exc:  # as the worker reports any failure of a job
            later(done, exc, None)
            return True
        later(done, None, result)
        return True

    def _session_here(self):
        """This thread's connection for point reads (None when it can't be opened)."""
        session = getattr(self._here, 'session', None)
        if session is None:
            try:
                session = Session(self.path, 0, check_same_thread=False)
            except sqlite3.Error:
                return None
            self._here.session = session
            self._here_sessions.append(session)
        return session

    def _has_unique_index(self, session, point):
        """Whether ``point``'s column is the table's single primary key or has a
        unique index of its own (re-read whenever the schema version changes)."""
        table, col = point
        version = session.conn.execute('PRAGMA schema_version').fetchone()[0]
        known_version, known = self._unique_columns
        if known_version != version:
            known = {}
            self._unique_columns = (version, known)
        key = (table.name, col.name)
        answer = known.get(key)
        if answer is None:
            answer = known[key] = _unique_column(session.conn, table.name, col.name)
        return answer

    def _run_atomic(self, options, key, job, done, model=True):
        tx = self.transaction_of(options)
        if tx is not None:
            return self._run(options, job, done, True)
        self._open_lanes()
        lane = self._writer
        lane.submit(lambda: lane.context().atomic(job), (), done)

    def beginTransaction(self, isolation_level, cb):
        lane = Lane('lb-sqlite-tx', functools.partial(Session, self.path, self.busy_ms),
                    Session.close)

        def begin():
            lane.context().execute('BEGIN IMMEDIATE', [])

        def done(err, _=None):
            if err is not None:
                lane.close()
                return cb(err)
            cb(None, TxConnection(lane))
        lane.submit(begin, (), done)

    def end_transaction(self, connection, verb):
        session = connection.lane.context()
        if session.in_transaction:
            session.execute(verb, [])

    # -- connection --

    def connect(self, cb=None):
        self._open_lanes()
        self._writer.submit(lambda: self._writer.context().execute('SELECT 1', []), (),
                            lambda err, _=None: cb and cb(err))

    def ping(self, cb=None):
        """# LoopBack: ds.ping(cb) -- cb(err), or a Promise."""
        cb, promise = callback_and_promise(cb)
        self._open_lanes()
        self._readers.submit(lambda: self._readers.context().execute('SELECT 1', []), (),
                             lambda err, _=None: cb(err))
        return promise

    def disconnect(self, cb=None):
        """Close the connections (their threads end); a file database reopens on
        the next operation, a ':memory:' one is deleted."""
        self._writer.close()
        self._readers.close()
        sessions, self._here_sessions = self._here_sessions, []
        self._here = threading.local()
        for session in sessions:
            session.close()
        if self._tempdir is not None:
            tempdir = self._tempdir

            def cleanup():
                self._writer.join(5)
                self._readers.join(5)
                shutil.rmtree(tempdir, True)
            # Removing the files must wait for the threads to close their connections.
            pool = WorkerPool(1, 'lb-sqlite-cleanup')
            pool.submit(cleanup, (), lambda *_: (pool.close(), cb and cb(None)))
            return
        if cb:
            later(cb, None)

    # -- schema introspection (run on a worker) --

    def table_columns(self, session, table):
        rows, _ = session.execute('PRAGMA table_info(%s)' % self.quote(table.name), [])
        return [r[1] for r in rows]

    def list_tables(self, session, options):
        views = options.get('views', True)
        kinds = "('table', 'view')" if views else "('table')"
        rows, _ = session.execute(
            "SELECT type, name FROM sqlite_master WHERE type IN %s "
            "AND name NOT LIKE 'sqlite_%%' ORDER BY name" % kinds, [])
        return [{'type': r[0], 'name': r[1], 'owner': None} for r in rows]

    def list_columns(self, session, table_name, options):
        rows, _ = session.execute('PRAGMA table_info(%s)' % self.quote(table_name), [])
        out = []
        for cid, name, dtype, notnull, default, pk in rows:
            out.append({
                'owner': None, 'tableName': table_name, 'columnName': name,
                'dataType': dtype, 'dataLength': None, 'dataPrecision': None,
                'dataScale': None, 'nullable': 'NO' if notnull or pk else 'YES',
                'type': _lb_type(dtype),
            })
        return out

    def list_primary_keys(self, session, table_name, options):
        rows, _ = session.execute('PRAGMA table_info(%s)' % self.quote(table_name), [])
        return [{'owner': None, 'tableName': table_name, 'columnName': r[1], 'keySeq': r[5],
                 'pkName': None} for r in rows if r[5]]


def _unique_column(conn, table, column):
    """Whether ``column`` alone is ``table``'s primary key or has a unique,
    non-partial index of its own: equality on it matches at most one row."""
    quoted = '"%s"' % table.replace('"', '""')
    keys = [row[1] for row in conn.execute('PRAGMA table_info(%s)' % quoted) if row[5]]
    if keys == [column]:
        return True
    for row in conn.execute('PRAGMA index_list(%s)' % quoted).fetchall():
        name, unique, partial = row[1], row[2], row[4]
        if not unique or partial:
            continue
        info = conn.execute('PRAGMA index_info("%s")' % name.replace('"', '""')).fetchall()
        if [r[2] for r in info] == [column]:
            return True
    return False


def _lb_type(dtype):
    d = (dtype or '').upper()
    if 'INT' in d:
        return 'Number'
    if any(k in d for k in ('REAL', 'FLOA', 'DOUB', 'NUM', 'DEC')):
        return 'Number'
    if 'BOOL' in d:
        return 'Boolean'
    if 'DATE' in d or 'TIME' in d:
        return 'Date'
    if 'BLOB' in d:
        return 'Binary'
    return 'String'

