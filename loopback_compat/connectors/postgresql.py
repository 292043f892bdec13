"""The PostgreSQL connector (psycopg 3 + psycopg_pool).

# LoopBack: loopback-connector-postgresql over loopback-connector's SQLConnector

    ds = lb.DataSource('postgresql', url='postgres://user:pw@host:5432/db')
    ds = lb.DataSource('postgresql', host='127.0.0.1', port=5432, database='db',
                       user='postgres', password='', min=1, max=10)

Settings (LoopBack's keys): ``url`` (or ``connectionString``), ``host``/
``hostname``, ``port``, ``database``/``db``, ``user``/``username``,
``password``, ``ssl`` (sslmode=require), ``min``/``max`` (connection pool size, default 1/10),
``schema`` (default 'public'), ``workers`` (a private worker pool of that
many threads instead of the shared libuv-sized one), ``createTables`` (create
a model's table, if missing, before its first use), ``connectTimeout`` and
``poolTimeout`` (seconds).  psycopg is imported when the first data source is
created (``pip install loopback_compat[postgresql]``).

Driver calls run on worker threads; each takes a connection from the pool
for the duration of one operation (autocommit), except inside a transaction,
which owns one connection on a thread of its own until commit or rollback.
Check-then-write operations (findOrCreate, save/updateOrCreate/
replaceOrCreate, migrations) run in a transaction that first takes
``pg_advisory_xact_lock`` on a key derived from the table and the query, so
concurrent calls for the same row or query -- from any connection, process or
machine -- run one after the other: hasOne's create is race-free with no
unique index at all.  A connection the server dropped (pg_terminate_backend,
restart) fails the operation that was using it, through its callback; the
pool checks connections before lending them, so the next operation gets a
fresh one, and an interrupted transaction never commits half its rows.

Types: string -> TEXT, number -> DOUBLE PRECISION (INTEGER for ids and for
``dataType: 'integer'``; a generated id is SERIAL), boolean -> BOOLEAN,
date -> TIMESTAMP WITH TIME ZONE (read back as UTC datetimes),
object/array/any -> JSONB, buffer -> BYTEA; ``postgresql.dataType`` on a
property overrides the column type.  An existing column of another type
(TEXT holding JSON as LB3 wrote it, INTEGER, ...) is read back by property
type.
"""

import datetime as _dt
import threading
import zlib
from decimal import Decimal

from ..errors import LoopBackError
from ..promise import callback_and_promise
from ..workers import WorkerPool, default_pool
from .sql import UTC, Lane, SqlConnector, _int_if_integral, later, lock_key, to_json_text

_psycopg = {}


def _driver():
    """psycopg, psycopg_pool and helpers, imported on first use."""
    if not _psycopg:
        try:
            import psycopg
            import psycopg_pool
            from psycopg.types.json import Jsonb
        except ImportError as exc:  # pragma: no cover - depends on the machine
            raise LoopBackError('The postgresql connector needs psycopg 3 and psycopg_pool: '
                                'pip install "psycopg[binary]" psycopg_pool (%s)' % exc)
        _psycopg.update(psycopg=psycopg, pool=psycopg_pool, Jsonb=Jsonb)
    return _psycopg


def conninfo_from_settings(settings):
    """A libpq connection string from LoopBack's settings keys (url wins)."""
    psycopg = _driver()['psycopg']
    url = settings.get('url') or settings.get('connectionString')
    params = {}
    for key, names in (('host', ('host', 'hostname')), ('port', ('port',)),
                       ('dbname', ('database', 'db')), ('user', ('user', 'username')),
                       ('password', ('password',))):
        for name in names:
            if settings.get(name) not in (None, ''):
                params[key] = str(settings[name])
                break
    if settings.get('ssl') and 'sslmode' not in (url or ''):
        params['sslmode'] = 'require'
    if settings.get('connectTimeout'):
        params['connect_timeout'] = str(int(settings['connectTimeout']))
    return psycopg.conninfo.make_conninfo(url or '', **params)


class PgSession:
    """One borrowed connection: ``execute(sql, params) -> (rows, rowcount)``."""

    def __init__(self, conn):
        self.conn = conn

    @property
    def in_transaction(self):
        return self.conn.info.transaction_status != 0

    def execute(self, sql, params, raw=False):
        with self.conn.cursor() as cur:
            cur.execute(sql, params or None)
            has_rows = cur.description is not None
            rows = cur.fetchall() if has_rows else []
            count = cur.rowcount
        if raw:
            return rows, count, has_rows
        return rows, count

    def lock(self, key):
        self.execute('SELECT pg_advisory_xact_lock(%s)', [key])


class TxConnection:
    """A transaction's lane (its thread) and its pooled connection."""

    def __init__(self, lane, conn):
        self.lane = lane
        self.conn = conn


_LEVELS = ('SERIALIZABLE', 'REPEATABLE READ', 'READ COMMITTED', 'READ UNCOMMITTED')


class PostgreSQL(SqlConnector):
    """The ``postgresql`` connector (see the module docstring)."""

    name = 'postgresql'
    settings_key = 'postgresql'
    default_schema = 'public'
    placeholder = '%s'

    def __init__(self, settings=None, data_source=None):
        super().__init__(settings, data_source)
        drv = _driver()
        s = self.settings
        self.conninfo = conninfo_from_settings(s)
        self.pool = self._make_pool()
        self._opened = False
        self._open_lock = threading.Lock()
        self._private_workers = WorkerPool(int(s['workers']), 'lb-pg-worker') \
            if s.get('workers') else None
        self.Jsonb = drv['Jsonb']
        self._ddl_lane = None
        self._write_lanes = []
        self._lane_count = max(1, min(int(s.get('max') or 10) - 1, 4))

    def _make_pool(self):
        """A connection pool, not yet open (psycopg_pool cannot reopen a closed one)."""
        s = self.settings
        pool_cls = _driver()['pool'].ConnectionPool
        return pool_cls(
            self.conninfo, min_size=int(s.get('min') or 1), max_size=int(s.get('max') or 10),
            kwargs={'autocommit': True, 'prepare_threshold': None}, open=False,
            check=pool_cls.check_connection, timeout=float(s.get('poolTimeout') or 30),
            name='lb-postgresql')

    @property
    def workers(self):
        """The shared worker pool, or this data source's own (``workers`` setting)."""
        private = self._private_workers
        if private is None:
            return default_pool()
        if private.closed:
            private = self._private_workers = WorkerPool(private.size, private.name)
        return private

    def _open(self):
        """Open the pool on first use (runs on a worker thread)."""
        if not self._opened:
            with self._open_lock:
                if not self._opened:
                    self.pool.open(wait=False)
                    self._opened = True
        return self.pool

    # -- dialect --

    COLUMN_TYPES = {'number': 'DOUBLE PRECISION', 'string': 'TEXT', 'boolean': 'BOOLEAN',
                    'date': 'TIMESTAMP WITH TIME ZONE', 'buffer': 'BYTEA'}
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
        return super().from_db(col, value)

    def json_path_sql(self, col, segments, kind):
        """The value at a validated path (identifiers or indexes), typed by ``kind``:
        text for strings, double precision / boolean when the JSON value has
        that type (NULL otherwise, as memory's comparisons then fail)."""
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
        # PostgreSQL text cannot hold U+0000; psycopg refuses such a parameter
        # before sending it.  That is bad input (400), not a server fault.
        if isinstance(err, _driver()['psycopg'].DataError) and 'NUL (0x00)' in str(err):
            return LoopBackError('PostgreSQL text cannot contain the NUL character (\\u0000): '
                                 'remove it from the value', statusCode=400, code='INVALID_TEXT')
        return super().translate_error(model, err)

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
            conn.lane.submit(lambda: job(PgSession(conn.conn)), (), done)
            return

        def work():
            with self._open().connection() as conn:
                return job(PgSession(conn))
        self._lane_for(write).submit(work, (), done)

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

        def work():
            with self._open().connection() as conn:
                with conn.transaction():
                    session = PgSession(conn)
                    session.lock(key)
                    return job(session)
        self._lane_for(model).submit(work, (), done)

    def _run_ddl(self, job, done):
        # A lane of its own keeps migrations in call order (the pool would not).
        if self._ddl_lane is None or self._ddl_lane.closed:
            self._ddl_lane = Lane('lb-pg-ddl')

        def work():
            with self._open().connection() as conn:
                with conn.transaction():
                    session = PgSession(conn)
                    session.lock(lock_key('migrate'))
                    return job(session)
        self._ddl_lane.submit(work, (), done)

    def beginTransaction(self, isolation_level, cb):
        level = isolation_level if isolation_level in _LEVELS else 'READ COMMITTED'
        lane = Lane('lb-pg-tx')

        def begin():
            conn = self._open().getconn()
            try:
                conn.execute('BEGIN ISOLATION LEVEL ' + level)
            except BaseException:
                self.pool.putconn(conn)
                raise
            return conn

        def done(err, conn=None):
            if err is not None:
                lane.close()
                return cb(err)
            cb(None, TxConnection(lane, conn))
        lane.submit(begin, (), done)

    def end_transaction(self, connection, verb):
        conn = connection.conn
        try:
            if not conn.closed and conn.info.transaction_status != 0:
                conn.execute(verb)
            elif conn.closed:
                raise _driver()['psycopg'].OperationalError(
                    'the connection is closed; the transaction was not committed'
                    if verb == 'COMMIT' else 'the connection is closed')
        finally:
            self.pool.putconn(conn)

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
        """Close the pool (on a worker: closing waits for lent connections)."""
        pool, private = self.pool, self._private_workers

        def close():
            with self._open_lock:
                if self._opened:
                    pool.close(timeout=5)
                    # a later operation (or ds.connect()) opens a new pool
                    self.pool = self._make_pool()
                    self._opened = False

        def done(err, _=None):
            if private is not None:
                private.close()
            if self._ddl_lane is not None:
                self._ddl_lane.close()
            for lane in self._write_lanes:
                lane.close()
            if cb:
                cb(err)
        self.workers.submit(close, (), done)

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
            if want in _OWN_TYPES and data_type != want:
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

