"""The PostgreSQL connector (psycopg 3, with a connection pool of its own: pg_pool.py).

# LoopBack: loopback-connector-postgresql over loopback-connector's SQLConnector

    ds = lb.DataSource('postgresql', url='postgres://user:pw@host:5432/db')
    ds = lb.DataSource('postgresql', host='127.0.0.1', port=5432, database='db',
                       user='postgres', password='', min=1, max=10)

Settings (LoopBack's keys): ``url`` (or ``connectionString``), ``host``/
``hostname``, ``port``, ``database``/``db``, ``user``/``username``,
``password``, ``ssl`` (sslmode=require), ``min``/``max`` (connection pool size, default 1/10),
``schema`` (default 'public'), ``workers`` (a private worker pool of that
many threads instead of the shared libuv-sized one), ``createTables`` (create
a model's table, if missing, before its first use), ``application_name``
(or ``applicationName``: shown in pg_stat_activity).  psycopg is imported
when the first data source is created (``pip install loopback_compat[postgresql]``).

Time limits (node-postgres's names, which an LB3 datasources.json passes
through loopback-connector-postgresql, or this connector's own in seconds):

* ``connectTimeout`` (s) or ``connectionTimeoutMillis`` (ms): one connection
  attempt (libpq's connect_timeout, whole seconds, at least 2).  Default 5 s.
* ``poolTimeout`` (s) or ``acquireTimeout`` (ms): how long an operation
  waits for a connection (for a worker thread or its write lane, a free
  pool slot, (re)connecting) while the pool makes no progress: counted from
  the call, and again from each time a connection comes back to the pool
  in working order (pg_waiting.py).  So a burst of any size waits its turn
  behind a working database, as on node-postgres (whose pool waits without
  limit by default), while one that stops answering fails every waiting
  operation within poolTimeout of the last that completed, having sent
  nothing.  Default 5 s.
* ``statementTimeout`` or ``statement_timeout`` (ms): PostgreSQL's
  statement_timeout, set on every connection; the server cancels a longer
  statement (nothing it wrote is kept).  Default 30000; 0 leaves the
  server's own setting.  Migrations run without it.
* ``queryTimeout`` or ``query_timeout`` (ms): the client's own limit per
  statement, for a server that cannot answer at all (gone from the network,
  hung): the connection is then shut down from another thread, so no worker
  thread waits forever.  Default statementTimeout + 5000 (none when
  statementTimeout is 0).  TCP keepalives (``keepAlive``, default true;
  ``keepAliveInitialDelayMillis``, default 10000) also find dead idle peers.
* ``readRetries``: how many times a read whose connection was lost is run
  again on a fresh connection (default 2).
* ``idleTimeoutMillis`` (default 600000) and ``maxLifetimeSeconds`` (default
  3600): idle connections above ``min`` are closed after the first, every
  connection is replaced after the second.

Driver calls run on worker threads; each takes a connection from the pool
for the duration of one operation (autocommit), except inside a transaction,
which owns one connection on a thread of its own until commit or rollback.
Check-then-write operations (findOrCreate, save/updateOrCreate/
replaceOrCreate, migrations) run in a transaction that first takes
``pg_advisory_xact_lock`` on a key derived from the table and the query, so
concurrent calls for the same row or query -- from any connection, process or
machine -- run one after the other: hasOne's create is race-free with no
unique index at all.

Faults (a connection the server dropped: pg_terminate_backend, restart,
network).  Before each statement the connection's socket is polled: a
server that closed it has already said so, and the statement goes to a
fresh connection instead, which is always safe since nothing was sent.
When a connection breaks after a statement was sent:

* a read (find, count, exists, discovery, ping) runs again on a fresh
  connection, up to ``readRetries`` times within the acquire time, then
  fails with code ``DB_UNAVAILABLE`` (statusCode 503);
* a write in autocommit (create, update, delete, raw ``execute``) is never
  run again: it fails with code ``WRITE_OUTCOME_UNKNOWN`` (503), because it
  may or may not have been applied;
* a transaction (the check-then-write operations, migrations, and
  ``beginTransaction``'s) that breaks before its COMMIT was sent is rolled
  back by the server: ``DB_UNAVAILABLE``, nothing written; one that breaks
  while its COMMIT is on the wire is ``WRITE_OUTCOME_UNKNOWN``.  A rollback
  whose connection is gone succeeds (the server rolled back already).

No connection within the acquire time is ``DB_UNAVAILABLE`` (nothing sent);
a statement over statementTimeout or queryTimeout is ``QUERY_TIMEOUT``
(503; a write cut off by queryTimeout is ``WRITE_OUTCOME_UNKNOWN``).  Each
such error has the driver's error as ``err.cause``.  A statement the server
(or psycopg, before sending it) refuses is never taken for a lost
connection: it fails at once, not run again, with the driver's message and
SQLSTATE as ``code`` (no statusCode, as LB3's errors from node-postgres).

inq/nin lists are one array parameter per type of value (``= ANY(%s)``,
:meth:`PostgreSQL.in_sql`), so they may hold any number of values (the
protocol binds at most 65,535 parameters per statement).

Types: string -> TEXT, number -> DOUBLE PRECISION (INTEGER for ids and for
``dataType: 'integer'``; a generated id is SERIAL), boolean -> BOOLEAN,
date -> TIMESTAMP WITH TIME ZONE (read back as UTC datetimes),
object/array/any -> JSONB, buffer -> BYTEA, GeoPoint -> POINT (as
loopback-connector-postgresql: ``point(lng, lat)`` written, read back as
``{'lng': x, 'lat': y}``, equality by ``~=``); ``postgresql.dataType`` on a
property overrides the column type.  An existing column of another type
(TEXT holding JSON as LB3 wrote it, INTEGER, ...) is read back by property
type.
"""

import datetime as _dt
import math
import zlib
from decimal import Decimal

from ...errors import LoopBackError
from ...geo import GeoPoint
from ...js.numbers import number_to_string
from ...promise import callback_and_promise
from ...workers import WorkerPool, default_pool
from .connector import SqlConnector
from .pg_pool import (PgPool, PgSession, TxConnection, _close_quietly, _connection_lost, _driver,
                      _lost_while_idle, _monotonic, db_unavailable, query_timeout, statement_error,
                      write_outcome_unknown)
from .rows import UTC, _int_if_integral, to_json_text
from .pg_settings import _setting, conninfo_from_settings, time_limits  # noqa: F401 - re-exported
from .pg_waiting import Progress, Waits
from .running import Lane, later, lock_key


_LEVELS = ('SERIALIZABLE', 'REPEATABLE READ', 'READ COMMITTED', 'READ UNCOMMITTED')


class PostgreSQL(SqlConnector):
    """The ``postgresql`` connector (see the module docstring)."""

    name = 'postgresql'
    settings_key = 'postgresql'
    default_schema = 'public'
    placeholder = '%s'
    capabilities = SqlConnector.capabilities | {'ping'}

    def __init__(self, settings=None, data_source=None):
        super().__init__(settings, data_source)
        drv = _driver()
        s = self.settings
        self.conninfo = conninfo_from_settings(s)
        limits = time_limits(s)
        self.connect_timeout = float(
            drv['psycopg'].conninfo.conninfo_to_dict(self.conninfo).get('connect_timeout')
            or limits['connect'])
        self.acquire_timeout = limits['acquire']
        self.statement_timeout = limits['statement']
        self.query_timeout = limits['query']
        self.read_retries = int(s.get('readRetries', 2))
        self._progress = Progress()
        self._waits = Waits(self.acquire_timeout, self._progress)
        self.pool = self._make_pool()
        self._private_workers = WorkerPool(int(s['workers']), 'lb-pg-worker') \
            if s.get('workers') else None
        self.Jsonb = drv['Jsonb']
        self._ddl_lane = None
        self._write_lanes = []
        self._lane_count = max(1, min(int(s.get('max') or 10) - 1, 4))

    def _make_pool(self):
        """A connection pool; it connects on first use (a closed one is replaced)."""
        s = self.settings
        return PgPool(self._connect, int(s.get('min') or 1), int(s.get('max') or 10),
                      _setting(s, ('idleTimeoutMillis',), (0.001,), 600.0),
                      _setting(s, ('maxLifetimeSeconds',), (1,), 3600.0), self._progress)

    def _connect(self, remaining):
        """A new connection (on a worker): autocommit, statement_timeout set."""
        psycopg = _driver()['psycopg']
        seconds = max(1, int(math.ceil(min(self.connect_timeout, max(remaining, 0)))))
        conn = psycopg.Connection.connect(self.conninfo, autocommit=True,
                                          prepare_threshold=None, connect_timeout=seconds)
        try:
            if self.statement_timeout:
                conn.execute("SELECT set_config('statement_timeout', %s, false)",
                             ['%dms' % int(self.statement_timeout * 1000)])
        except BaseException:
            _close_quietly(conn)
            raise
        return conn

    @property
    def workers(self):
        """The shared worker pool, or this data source's own (``workers`` setting)."""
        private = self._private_workers
        if private is None:
            return default_pool()
        if private.closed:
            private = self._private_workers = WorkerPool(private.size, private.name)
        return private

    def _submit(self, lane, mode, job, done, key=None):
        """Queue ``job`` on ``lane`` with a ticket for its wait (pg_waiting.py)."""
        wait = self._waits.enter(done)
        lane.submit(self._attempt, (job, mode, wait, key), wait.finish)

    def _attempt(self, job, mode, wait, key=None):
        """Run ``job(session)`` on a pooled connection (on a worker thread).

        ``mode``: 'read' (run again on a fresh connection when the connection
        breaks), 'write' (autocommit; never run again once sent), 'atomic'
        and 'ddl' (in a transaction holding the advisory lock ``key``).
        A broken connection that had been sent nothing is replaced whatever
        the mode.  See "Faults" in the module docstring for the errors.
        Nothing runs when the loop has answered ``wait`` already.
        """
        if not wait.begin():
            return None
        losses = 0
        while True:
            if _monotonic() > wait.deadline():
                raise wait.timed_out()
            pool = self.pool
            # after a loss, a new connection: the idle ones may be going down with it
            conn = pool.acquire(wait.deadline, fresh=losses > 0)
            session = PgSession(conn, None if mode == 'ddl' else self.query_timeout)
            try:
                if mode == 'read' or mode == 'write':
                    result = job(session)
                else:
                    result = self._transaction(session, job, key, mode == 'ddl')
            except Exception as err:
                lost = session.lost or session.timed_out or _connection_lost(conn, err)
                if lost:
                    _close_quietly(conn)        # never lent again
                pool.release(conn)
                if not lost:
                    raise self._statement_error(err)
                if not session.sent:
                    continue
                losses += 1
                if mode == 'read' and not session.timed_out and losses <= self.read_retries:
                    continue
                raise self._lost_error(mode, session, err, losses)
            pool.release(conn)
            return result

    def _transaction(self, session, job, key, ddl):
        session.execute('BEGIN', None)
        try:
            if ddl:
                session.execute('SET LOCAL statement_timeout = 0', None)
            if key is not None:
                session.lock(key)
            result = job(session)
        except BaseException:
            session.rollback_quietly()
            raise
        session.execute('COMMIT', None, commit=True)
        return result

    def _statement_error(self, err):
        """A statement's own error (never retried): statement_timeout's cancel
        becomes QUERY_TIMEOUT, any other driver error a LoopBack error with the
        driver's message and SQLSTATE (pg_pool.statement_error)."""
        psycopg = _driver()['psycopg']
        if isinstance(err, psycopg.errors.QueryCanceled) and 'statement timeout' in str(err):
            limit = ('statementTimeout (%d ms)' % int(self.statement_timeout * 1000)) \
                if self.statement_timeout else "the server's statement_timeout"
            return query_timeout('The statement ran longer than %s and was canceled; nothing '
                                 'it wrote was kept' % limit, err)
        if isinstance(err, psycopg.Error):
            return statement_error(err)
        return err

    def _lost_error(self, mode, session, err, losses):
        if session.timed_out and mode == 'read':
            return query_timeout('No answer from the database within queryTimeout (%d ms)'
                                 % int(self.query_timeout * 1000), err)
        if mode == 'read':
            return db_unavailable('The connection to the database was lost %d times; the '
                                  'read was given up' % losses, err)
        why = ('no answer from the database within queryTimeout (%d ms)'
               % int(self.query_timeout * 1000)) if session.timed_out else \
            'the connection to the database was lost'
        if mode == 'write' or session.committing:
            return write_outcome_unknown(
                'The write may or may not have been applied: %s after it was sent. Read the '
                'data back before retrying' % why, err)
        return db_unavailable('The transaction was rolled back, nothing was written: %s '
                              'before it committed' % why, err)

    # -- dialect --

    COLUMN_TYPES = {'number': 'DOUBLE PRECISION', 'string': 'TEXT', 'boolean': 'BOOLEAN',
                    'date': 'TIMESTAMP WITH TIME ZONE', 'buffer': 'BYTEA', 'geopoint': 'POINT'}
    DEFAULT_COLUMN_TYPE = 'JSONB'

    def column_ddl(self, table, col, strict=True):
        if col.generated and col.type == 'number' and col.db_type == 'INTEGER':
            return 'SERIAL'
        return super().column_ddl(table, col, strict)

    def create_schema_sql(self, table):
        if table.schema:
            return ['CREATE SCHEMA IF NOT EXISTS %s' % self.quote(table.schema)]
        return []

    def create_index_sql(self, table, name, cols, unique):
        # Index names are per schema; keep them short of PostgreSQL's 63 bytes.
        return 'CREATE %sINDEX IF NOT EXISTS %s ON %s (%s)' % (
            'UNIQUE ' if unique else '', self.quote(name[:63]), table.quoted,
            ', '.join(c.quoted for c in cols))

    def to_db(self, col, value):
        value = super().to_db(col, value)
        if value is None:
            return None
        if col.db_type == 'POINT':
            return _point_text(value)
        if col.is_json:
            if col.db_type in ('JSON', 'JSONB'):
                return self.Jsonb(value, dumps=to_json_text)
            return to_json_text(value)
        return value

    def from_db(self, col, value):
        t = col.type
        if t == 'number':
            if isinstance(value, Decimal):
                value = float(value)
            if isinstance(value, str):
                try:
                    value = float(value)
                except ValueError:
                    return None
            return _int_if_integral(value)
        if t == 'date':
            if isinstance(value, _dt.datetime):
                if value.tzinfo is None:
                    return value.replace(tzinfo=UTC)
                return value.astimezone(UTC)
            if isinstance(value, _dt.date):
                return _dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
            if isinstance(value, (int, float)):
                return _dt.datetime.fromtimestamp(value / 1000.0, tz=UTC)
            return value
        if t == 'boolean':
            if isinstance(value, str):
                return value in ('t', 'T', 'y', 'Y', '1', 'true')
            return bool(value)
        if t == 'geopoint' and isinstance(value, str) and value.startswith('('):
            return _point_value(value)
        return super().from_db(col, value)

    def json_path_sql(self, col, segments, kind):
        """The value at a validated path (identifiers or indexes), typed by ``kind``:
        text for strings, double precision / boolean when the JSON value has
        that type (NULL otherwise, as memory's comparisons then fail)."""
        if col.db_type == 'POINT':
            # 'location.lat' / 'location.lng' of a GeoPoint: the point's y / x
            part = {('lat',): 1, ('lng',): 0}.get(tuple(segments))
            if part is None:
                return 'NULL'
            return '(%s[%d])%s' % (col.quoted, part, '::text' if kind == 'string' else '')
        doc = col.quoted if col.db_type in ('JSON', 'JSONB') else '%s::jsonb' % col.quoted
        path = "'{%s}'" % ','.join(segments)
        text = '(%s #>> %s)' % (doc, path)
        if kind == 'number':
            return ("(CASE WHEN jsonb_typeof(%s #> %s) = 'number' THEN %s::double precision END)"
                    % (doc, path, text))
        if kind == 'boolean':
            return ("(CASE WHEN jsonb_typeof(%s #> %s) = 'boolean' THEN %s::boolean END)"
                    % (doc, path, text))
        if kind is None:
            # JSON null reads as SQL NULL, so {'a.b': None} matches it (as memory)
            return "NULLIF(%s #> %s, 'null'::jsonb)" % (doc, path)
        return text

    def equals_sql(self, col, value):
        if col.db_type == 'POINT':
            # loopback-connector-postgresql: points are the same by ~=
            return '%s ~= %%s' % col.quoted, [value]
        return '%s = %%s' % col.quoted, [value]

    def compare_expr(self, col):
        # Code-point order, as JavaScript compares strings (not the locale's).
        if col.type == 'string' and col.db_type == 'TEXT':
            return '%s COLLATE "C"' % col.quoted
        return col.quoted

    def regexp_sql(self, col, pattern, negate):
        expr = col.quoted if col.db_type == 'TEXT' else '%s::text' % col.quoted
        op = '~*' if pattern.flags & 2 else '~'   # re.I
        sql = '%s %s %%s' % (expr, op)
        if negate:
            return '(%s IS NULL OR NOT (%s))' % (col.quoted, sql), [pattern.pattern]
        return sql, [pattern.pattern]

    def unknown_order_property(self, table, name):
        """An ``order`` on a name the model does not have fails as in LB3.

        # LoopBack: loopback-connector-postgresql sends ORDER BY "name" (the
        # lower-cased name) and PostgreSQL answers 42703
        Same message and code, no statusCode (REST: 500); raised before any
        SQL is sent, so the name never reaches the database.
        """
        raise LoopBackError('column "%s" does not exist' % name.lower(), code='42703')

    def order_term(self, col, desc):
        # NULL (a missing value) first ascending, last descending, as memory sorts.
        return '%s %s' % (self.compare_expr(col),
                          'DESC NULLS LAST' if desc else 'ASC NULLS FIRST')

    def paging_sql(self, limit, skip):
        return ' LIMIT %s OFFSET %s', [limit if limit else None, skip or 0]

    def in_sql(self, col, values, wanted):
        """``col = ANY(%s)`` with one array parameter per type of value, however many.

        # LoopBack: loopback-connector-postgresql sends IN ($1, ..., $n), one
        # parameter each, which fails past 65,535 values (the protocol counts
        # them in 16 bits)
        An array holds values of one Python type, typed as each would be
        alone: integers as smallint/bigint/numeric[], floats as double
        precision[], dates as timestamptz[], JSON as jsonb[], and strings as
        an array of unknown type that the server reads as the column's own
        (text[], uuid[], point[]...), as it reads a lone string parameter.
        Values of another type keep a placeholder each.
        """
        op = '~=' if col.db_type == 'POINT' else '='
        groups = {}
        for value in values:
            groups.setdefault(self._array_kind(value), []).append(value)
        parts, params = [], []
        for kind, group in groups.items():
            if kind is None:
                parts.append('%s IN (%s)' % (col.quoted, ', '.join(['%s'] * len(group))))
                params.extend(group)
            else:
                parts.append('%s %s ANY(%%s)' % (col.quoted, op))
                params.append(group)
        sql = parts[0] if len(parts) == 1 else '(%s)' % ' OR '.join(parts)
        return (sql if wanted else 'NOT (%s)' % sql), params

    def _array_kind(self, value):
        """What an array of ``value`` is typed by (None: psycopg makes no such array)."""
        kind = type(value)
        if kind is _dt.datetime:
            return kind, value.tzinfo is None
        if kind in (bool, int, float, str, bytes, Decimal, _dt.date) or kind is self.Jsonb:
            return kind
        return None

    def array_contains_any_sql(self, col, items):
        """One jsonb[] parameter: an element equals one of the scalar items (as
        ``@> [item]`` tests a scalar, on a server-side hash of the items), or
        the array contains one of the object/list items (``@> ANY``)."""
        doc, Jsonb = self._doc(col), self.Jsonb
        scalars = [i for i in items if not isinstance(i, (dict, list, tuple))]
        others = [i for i in items if isinstance(i, (dict, list, tuple))]
        parts, params = [], []
        if scalars:
            parts.append("CASE WHEN jsonb_typeof(%s) = 'array' THEN EXISTS (SELECT 1 "
                         "FROM jsonb_array_elements(%s) AS lb_e(v) WHERE lb_e.v = ANY(%%s)) "
                         "ELSE false END" % (doc, doc))
            params.append([Jsonb(item, dumps=to_json_text) for item in scalars])
        if others:
            parts.append('%s @> ANY(%%s)' % doc)
            params.append([Jsonb([item], dumps=to_json_text) for item in others])
        return (parts[0] if len(parts) == 1 else '(%s)' % ' OR '.join(parts)), params

    def array_contains_sql(self, col, item):
        if col.db_type not in ('JSON', 'JSONB'):
            return '%s::jsonb @> %%s' % col.quoted, [self.Jsonb([item], dumps=to_json_text)]
        return '%s @> %%s' % col.quoted, [self.Jsonb([item], dumps=to_json_text)]

    def _doc(self, col):
        return col.quoted if col.db_type in ('JSON', 'JSONB') else '%s::jsonb' % col.quoted

    def array_element_sql(self, col, kind):
        text = "(lb_e.v #>> '{}')"
        if kind == 'number':
            return ("(CASE WHEN jsonb_typeof(lb_e.v) = 'number' THEN %s::double precision END)"
                    % text)
        if kind == 'boolean':
            return "(CASE WHEN jsonb_typeof(lb_e.v) = 'boolean' THEN %s::boolean END)" % text
        if kind is None:
            return 'lb_e.v'
        return text

    def array_exists_sql(self, col, condition):
        return ('EXISTS (SELECT 1 FROM jsonb_array_elements(%s) AS lb_e(v) WHERE %s)'
                % (self._doc(col), condition))

    def array_empty_sql(self, col):
        return 'jsonb_array_length(%s) = 0' % self._doc(col)

    def is_unique_violation(self, err):
        errors = _driver()['psycopg'].errors
        return isinstance(err, errors.UniqueViolation)

    def translate_error(self, model, err):
        # the driver's error a statement error carries (_statement_error)
        psycopg = _driver()['psycopg']
        raw = err.cause if isinstance(err, LoopBackError) and \
            isinstance(getattr(err, 'cause', None), psycopg.Error) else err
        # PostgreSQL text cannot hold U+0000; psycopg refuses such a parameter
        # before sending it.  That is bad input (400), not a server fault.
        if isinstance(raw, psycopg.DataError) and 'NUL (0x00)' in str(raw):
            return LoopBackError('PostgreSQL text cannot contain the NUL character (\\u0000): '
                                 'remove it from the value', statusCode=400, code='INVALID_TEXT')
        out = super().translate_error(model, raw)
        return err if out is raw else out

    def violated_primary_key(self, err, table):
        diag = getattr(err, 'diag', None)
        return getattr(diag, 'constraint_name', None) == '%s_pkey' % table.name

    def after_explicit_id(self, session, table, col):
        # An explicit id must move the SERIAL past it, as memory's counter moves.
        session.execute(
            'SELECT setval(pg_get_serial_sequence(%%s, %%s), '
            'GREATEST((SELECT MAX(%s) FROM %s), 1))' % (col.quoted, table.quoted),
            [table.quoted, col.name])

    # -- running --

    def _run(self, options, job, done, write=False, point=None):
        # ``point`` reads go to the workers too: a network round trip is never
        # safe to wait for on the loop thread.
        tx = self.transaction_of(options)
        if tx is not None:
            if tx.connection is None:
                return later(done, LoopBackError('Transaction is not active'), None)
            conn = tx.connection
            conn.lane.submit(self._in_transaction, (conn, job), done)
            return
        self._submit(self._lane_for(write), 'write' if write else 'read', job, done)

    def _in_transaction(self, connection, job):
        """A statement of a user's transaction (on its lane)."""
        session = PgSession(connection.conn, self.query_timeout)
        try:
            return job(session)
        except Exception as err:
            if session.lost or session.timed_out or _connection_lost(connection.conn, err):
                _close_quietly(connection.conn)     # commit/rollback then see it closed
                raise db_unavailable('The transaction\'s connection to the database was lost: '
                                     'the transaction was rolled back, nothing was written', err)
            raise self._statement_error(err)

    def _lane_for(self, write):
        """Reads: the worker pool.  Writes: one of a few lanes chosen by model,
        so writes to one model are applied in call order (ids follow it)."""
        if not write:
            return self.workers
        lanes = self._write_lanes
        if not lanes or lanes[0].closed:
            lanes[:] = [Lane('lb-pg-writer') for _ in range(self._lane_count)]
        return lanes[zlib.crc32(str(write).encode('utf-8')) % len(lanes)]

    def _run_atomic(self, options, key, job, done, model=True):
        tx = self.transaction_of(options)
        if tx is not None:
            def locked(session):
                session.lock(key)
                return job(session)
            return self._run(options, locked, done, True)
        self._submit(self._lane_for(model), 'atomic', job, done, key)

    def _run_ddl(self, job, done):
        # A lane of its own keeps migrations in call order (the pool would not).
        if self._ddl_lane is None or self._ddl_lane.closed:
            self._ddl_lane = Lane('lb-pg-ddl')
        self._submit(self._ddl_lane, 'ddl', job, done, lock_key('migrate'))

    def beginTransaction(self, isolation_level, cb):
        level = isolation_level if isolation_level in _LEVELS else 'READ COMMITTED'
        lane = Lane('lb-pg-tx')

        def begin(wait):
            if not wait.begin():
                return None
            # BEGIN changes nothing: on a broken connection it is sent again on a new one
            fresh = False
            while True:
                pool = self.pool
                conn = pool.acquire(wait.deadline, fresh)
                fresh = True
                session = PgSession(conn, self.query_timeout)
                try:
                    session.execute('BEGIN ISOLATION LEVEL ' + level, None)
                    return TxConnection(lane, conn, pool)
                except Exception as err:
                    lost = session.lost or session.timed_out or _connection_lost(conn, err)
                    if lost:
                        _close_quietly(conn)
                    pool.release(conn)
                    if not lost:
                        raise self._statement_error(err)
                    if _monotonic() > wait.deadline():
                        raise db_unavailable('Could not begin a transaction: the connection '
                                             'to the database was lost', err)

        def done(err, conn=None):
            if err is not None:
                lane.close()
                return cb(err)
            cb(None, conn)
        wait = self._waits.enter(done)
        lane.submit(begin, (wait,), wait.finish)

    def end_transaction(self, connection, verb):
        conn = connection.conn
        pool = connection.pool or self.pool
        commit = verb == 'COMMIT'
        session = PgSession(conn, self.query_timeout)
        try:
            if conn.info.transaction_status == 0 and not _lost_while_idle(conn):
                return
            session.execute(verb, None, commit=commit)
        except Exception as err:
            lost = session.lost or session.timed_out or _connection_lost(conn, err)
            if not lost:
                raise self._statement_error(err)
            _close_quietly(conn)
            if not commit:
                return      # the server rolls back a transaction whose connection ended
            if session.committing:
                raise write_outcome_unknown(
                    'The transaction may or may not have been committed: the connection to '
                    'the database was lost while COMMIT was sent. Read the data back before '
                    'retrying', err)
            raise db_unavailable('The transaction was not committed, nothing was written: '
                                 'its connection to the database was lost before COMMIT', err)
        finally:
            pool.release(conn)

    # -- connection --

    def connect(self, cb=None):
        self._run({}, lambda s: s.execute('SELECT 1', []), lambda err, _=None: cb and cb(err))

    def ping(self, cb=None):
        """# LoopBack: ds.ping(cb) -- cb(err), or a Promise."""
        cb, promise = callback_and_promise(cb)
        self._run({}, lambda s: s.execute('SELECT 1 AS result', []),
                  lambda err, _=None: cb(err))
        return promise

    def disconnect(self, cb=None):
        """Close the pool's connections (on a worker); the next operation opens new ones.

        Connections lent out at that moment are closed when they come back.
        """
        pool, private = self.pool, self._private_workers
        self.pool = self._make_pool()

        def done(err, _=None):
            if private is not None:
                private.close()
            if self._ddl_lane is not None:
                self._ddl_lane.close()
            for lane in self._write_lanes:
                lane.close()
            if cb:
                cb(err)
        self.workers.submit(pool.close, (), done)

    def alter_table_sql(self, session, table, actual):
        """Add/drop columns and indexes (shared), then fix column types and
        nullability as loopback-connector-postgresql's autoupdate does.

        Only the connector's own type names are compared (a ``dataType``
        override is left alone); existing values are converted with
        ``USING column::type``, and a failed conversion rolls the whole
        autoupdate back.
        """
        stmts = super().alter_table_sql(session, table, actual)
        rows, _ = session.execute(
            'SELECT column_name, data_type, is_nullable FROM information_schema.columns '
            'WHERE table_schema = %s AND table_name = %s', [table.schema or 'public', table.name])
        for name, data_type, nullable in rows:
            col = table.by_column.get(name)
            if col is None or col.generated or col.settings.get('dataType'):
                continue
            want = col.db_type.lower()
            if want == 'point' and data_type in ('jsonb', 'json', 'text'):
                # a GeoPoint column of an older version of this connector, JSON {lat, lng}
                stmts.append("ALTER TABLE %s ALTER COLUMN %s TYPE POINT USING point("
                             "(%s::jsonb->>'lng')::float8, (%s::jsonb->>'lat')::float8)" % (
                                 table.quoted, col.quoted, col.quoted, col.quoted))
            elif want in _OWN_TYPES and data_type != want:
                stmts.append('ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s::%s' % (
                    table.quoted, col.quoted, col.db_type, col.quoted, col.db_type))
            required = bool(col.spec.get('required'))
            if required and nullable == 'YES':
                stmts.append('ALTER TABLE %s ALTER COLUMN %s SET NOT NULL'
                             % (table.quoted, col.quoted))
            elif not required and nullable == 'NO' and not col.is_id:
                stmts.append('ALTER TABLE %s ALTER COLUMN %s DROP NOT NULL'
                             % (table.quoted, col.quoted))
        return stmts

    # -- schema introspection (run on a worker) --

    def table_columns(self, session, table):
        rows, _ = session.execute(
            'SELECT column_name FROM information_schema.columns '
            'WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position',
            [table.schema or 'public', table.name])
        return [r[0] for r in rows]

    def _owner(self, options):
        return options.get('owner') or options.get('schema') or \
            self.settings.get('schema') or 'public'

    def list_tables(self, session, options):
        views = options.get('views', True)
        kinds = ['BASE TABLE', 'VIEW'] if views else ['BASE TABLE']
        if options.get('all'):
            rows, _ = session.execute(
                'SELECT table_type, table_name, table_schema FROM information_schema.tables '
                "WHERE table_type = ANY(%s) AND table_schema NOT IN "
                "('pg_catalog', 'information_schema') ORDER BY table_schema, table_name",
                [kinds])
        else:
            rows, _ = session.execute(
                'SELECT table_type, table_name, table_schema FROM information_schema.tables '
                'WHERE table_type = ANY(%s) AND table_schema = %s ORDER BY table_name',
                [kinds, self._owner(options)])
        return [{'type': 'view' if r[0] == 'VIEW' else 'table', 'name': r[1], 'owner': r[2]}
                for r in rows]

    def list_columns(self, session, table_name, options):
        rows, _ = session.execute(
            'SELECT table_schema, table_name, column_name, data_type, '
            'character_maximum_length, numeric_precision, numeric_scale, is_nullable '
            'FROM information_schema.columns WHERE table_schema = %s AND table_name = %s '
            'ORDER BY ordinal_position', [self._owner(options), table_name])
        return [{
            'owner': r[0], 'tableName': r[1], 'columnName': r[2], 'dataType': r[3],
            'dataLength': r[4], 'dataPrecision': r[5], 'dataScale': r[6],
            'nullable': r[7], 'type': _lb_type(r[3]),
        } for r in rows]

    def list_primary_keys(self, session, table_name, options):
        rows, _ = session.execute(
            'SELECT kc.table_schema, kc.table_name, kc.column_name, kc.ordinal_position, '
            'tc.constraint_name FROM information_schema.table_constraints tc '
            'JOIN information_schema.key_column_usage kc '
            'ON kc.constraint_name = tc.constraint_name AND kc.table_schema = tc.table_schema '
            "WHERE tc.constraint_type = 'PRIMARY KEY' AND kc.table_schema = %s "
            'AND kc.table_name = %s ORDER BY kc.ordinal_position',
            [self._owner(options), table_name])
        return [{'owner': r[0], 'tableName': r[1], 'columnName': r[2], 'keySeq': r[3],
                 'pkName': r[4]} for r in rows]


_OWN_TYPES = ('text', 'integer', 'double precision', 'boolean', 'timestamp with time zone',
              'jsonb', 'bytea')


def _lb_type(data_type):
    """LoopBack type name of a PostgreSQL type, as loopback-connector-postgresql maps it."""
    d = (data_type or '').upper()
    if d == 'BOOLEAN':
        return 'Boolean'
    if d in ('JSON', 'JSONB'):
        return 'Object'
    if d == 'BYTEA':
        return 'Binary'
    if d in ('SMALLINT', 'INTEGER', 'BIGINT', 'DECIMAL', 'NUMERIC', 'REAL',
             'DOUBLE PRECISION', 'SERIAL', 'BIGSERIAL'):
        return 'Number'
    if d.startswith('TIMESTAMP') or d.startswith('TIME') or d == 'DATE':
        return 'Date'
    if d == 'POINT':
        return 'GeoPoint'
    return 'String'


def _point_text(value):
    """A GeoPoint value as PostgreSQL's point text ``(lng,lat)``.

    # LoopBack: loopback-connector-postgresql toColumnValue: point(lng, lat)
    Anything GeoPoint takes ('10,20', [lat, lng], {lat, lng}) is accepted
    (updateAll data reaches the connector uncoerced, as in juggler); anything
    else raises GeoPoint's 400 error.
    """
    point = value if isinstance(value, GeoPoint) else GeoPoint(value)
    return '(%s,%s)' % (number_to_string(point.lng), number_to_string(point.lat))


def _point_value(text):
    """PostgreSQL's ``(x,y)`` text as ``{'lng': x, 'lat': y}``.

    # LoopBack: loopback-connector-postgresql fromColumnValue, given node-pg's
    # {x, y}: {lng: val.x, lat: val.y} (that key order, JSON shows it)
    """
    x, _, y = text.strip('()').partition(',')
    return {'lng': _int_if_integral(float(x)), 'lat': _int_if_integral(float(y))}
