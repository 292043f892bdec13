"""The shared SQL connector base of the SQLite and PostgreSQL connectors.

# LoopBack: loopback-connector's lib/sql.js (SQLConnector), as
#           loopback-connector-postgresql and -sqlite3 use it

:class:`SqlConnector` implements the contract of connectors/base.py (every
CRUD method, ``findOrCreate`` atomically, migration, ``isActual``, ``ping``,
``execute``, transactions (connectors/transaction.py) and discovery) over
dialect hooks that sqlite.py and postgresql.py fill in.  SQL text comes from
compiler.py (names, where/order/fields/paging, and the documented
differences from the memory connector); value conversion is rows.py's, DDL
and migration schema.py's.  Blocking driver calls run on worker threads
(workers.py, running.py); every callback is delivered on the loop thread,
never synchronously.
"""

from ... import filters
from ...errors import LoopBackError
from ...promise import callback_and_promise
from ...types import js_string
from ..base import Connector
from .compiler import Compiler, Table
from .rows import SqlRows
from .running import later, lock_key
from .schema import SqlSchema, table_first


class SqlConnector(SqlRows, SqlSchema, Connector):
    """The connector contract of connectors/base.py over SQL (see module doc).

    Subclasses provide the dialect -- ``placeholder``, ``COLUMN_TYPES`` /
    ``DEFAULT_COLUMN_TYPE``, ``column_ddl``, ``primary_key_clause``,
    ``to_db``, ``from_db``, ``json_path_sql``, ``equals_sql``,
    ``compare_expr``, ``regexp_sql``, ``order_term``, ``paging_sql``,
    ``in_sql``, ``array_contains_sql``, ``array_contains_any_sql``,
    ``array_element_sql``, ``array_exists_sql``, ``array_empty_sql``,
    ``unknown_order_property``, ``is_unique_violation``,
    ``violated_primary_key``, ``after_explicit_id`` -- the schema
    introspection run on a worker (``table_columns``, ``list_tables``,
    ``list_columns``, ``list_primary_keys``), and the connection plumbing
    (``_run``, ``_run_atomic``, ``beginTransaction``, ``end_transaction``,
    ``connect``, ``disconnect``, ``ping``).  ``_run(options, job, done, write)`` runs
    ``job(session)`` on a worker thread with the right connection (the
    transaction's when ``options['transaction']`` is one of this connector's)
    and calls ``done(err, result)`` on the loop thread; ``write`` is False for
    reads, else the model name (or True): writes to one model run in call
    order, as the memory connector applies them.  ``_run_atomic(options,
    key, job, done, model)`` does the same inside a transaction holding an
    exclusive lock for ``key``, so check-then-write steps are atomic across
    processes.
    A session has ``execute(sql, params) -> (rows, rowcount)`` and
    ``in_transaction``.
    """

    # handsOutCopies: the rows ``all`` calls back with are built for that call
    # (row_to_data), so the DAO may keep them as instance data instead of
    # copying them again.  findOrCreate is atomic against every connection
    # (a lock on the query), but not declared ``atomicFindOrCreate``: hasOne
    # create chains its creates in this process as well.
    capabilities = frozenset({
        'handsOutCopies', 'relational', 'automigrate', 'autoupdate', 'isActual', 'execute',
        'discoverModelDefinitions', 'discoverModelProperties', 'discoverPrimaryKeys',
        'transactions'})

    name = 'sql'
    settings_key = 'sql'
    default_schema = None
    placeholder = '?'

    def __init__(self, settings=None, data_source=None):
        self.settings = dict(settings or {})
        self.dataSource = data_source
        self._models = {}
        self._tables = {}
        self._compilers = {}
        self.connected = False
        self.auto_tables = bool(self.settings.get('createTables'))
        self._ensured = {}

    # -- definitions --

    @staticmethod
    def quote(name):
        """An SQL identifier in double quotes (standard SQL; SQLite and PostgreSQL)."""
        return '"' + str(name).replace('"', '""') + '"'

    def getTypes(self):
        return ['db', 'rdbms', 'sql']

    def getDefaultIdType(self):
        return 'number'

    def define(self, definition):
        model = definition['model']
        self._models[model.modelName] = definition
        self._tables.pop(model.modelName, None)
        self._compilers.pop(model.modelName, None)
        self._ensured.pop(model.modelName, None)

    def defineProperty(self, model, name, spec):
        self._tables.pop(model, None)
        self._compilers.pop(model, None)

    def table(self, model):
        table = self._tables.get(model)
        if table is None:
            definition = self._models.get(model)
            if definition is None:
                raise LoopBackError('Model %s is not attached to this data source' % model)
            table = self._tables[model] = Table(self, definition['model'])
        return table

    def compiler(self, model):
        comp = self._compilers.get(model)
        if comp is None:
            comp = self._compilers[model] = Compiler(self, self.table(model))
        return comp

    def idName(self, model):
        col = self.table(model).id_column
        return col.prop if col else 'id'

    def idNames(self, model):
        return list(self.table(model).id_names)

    # -- dialect hooks (values: rows.py; DDL: schema.py) --

    def unknown_order_property(self, table, name):
        """Hook: ``order`` names something that is not a property of the model.

        # LoopBack: SQLConnector.buildOrderBy quotes the name as a column
        The default leaves the term out: loopback-connector-sqlite3 sends
        ``ORDER BY "name"``, which SQLite reads as a constant string, so the
        term changes nothing (as the memory connector ignores it).  The name
        itself never reaches the SQL text.
        """
        return None

    def in_sql(self, col, values, wanted):
        """Hook: ``col`` equals one of ``values`` (``wanted``), or none of them.

        # LoopBack: SQLConnector.buildExpression's IN (?, ?, ...) / NOT IN
        ``values`` are stored values (``to_db``), at least one, no None.  The
        default binds one placeholder each; a dialect whose driver limits
        the number of parameters (PostgreSQL: 65,535; SQLite: 32,766 by
        default) passes long lists as one parameter instead.
        """
        ph = self.placeholder
        return '%s %s (%s)' % (col.quoted, 'IN' if wanted else 'NOT IN',
                               ', '.join([ph] * len(values))), list(values)

    def array_contains_any_sql(self, col, items):
        """Hook: the array in ``col`` holds one of ``items`` (an ``inq`` on an
        array property; at least one item, no None): by default one
        ``array_contains_sql`` test each, OR-ed."""
        sqls, params = [], []
        for item in items:
            sql, p = self.array_contains_sql(col, item)
            sqls.append(sql)
            params.extend(p)
        return '(' + ' OR '.join(sqls) + ')', params

    # -- running --

    def _query(self, model, options, build, convert, cb, write=False, point=None):
        """Compile on the loop thread, run on a worker, convert on the loop thread.

        ``point`` (a read's :meth:`_point_column`) lets the dialect run a read
        that can match at most one row without the worker (see ``_run``).
        """
        try:
            sql, params, extra = build()
        except LoopBackError as err:
            return later(cb, err)

        def job(session):
            return session.execute(sql, params)

        def done(err, result):
            if err is not None:
                return cb(self.translate_error(model, err))
            try:
                value = convert(result, extra)
            except LoopBackError as exc:
                return cb(exc)
            cb(None, value)
        if point is None:
            return self._run(options, job, done, model if write else False)
        self._run(options, job, done, model if write else False, point)

    def _point_column(self, model, flt):
        """``(table, column)`` when ``flt`` pins one column to one value, else None.

        That is a where of one property compared by equality with a string or
        a number (``{'supplierId': 7}``, a relation lookup), on a column that
        holds plain values.  On a column with a unique index such a read
        matches at most one row.
        """
        where = flt.get('where') if isinstance(flt, dict) else None
        if type(where) is not dict or len(where) != 1:
            return None
        for prop, value in where.items():
            kind = type(value)
            if kind is not int and kind is not str and (kind is not float or value != value):
                return None
            table = self._tables.get(model)
            col = table.columns.get(prop) if table is not None else None
            if col is None or col.is_json:
                return None
            return table, col
        return None

    def translate_error(self, model, err):
        """Driver errors -> LoopBack errors where juggler's memory has a text."""
        if self.is_unique_violation(err):
            table = self._tables.get(model)
            id_name = table.id_column.prop if table and table.id_column else 'id'
            if table is None or self.violated_primary_key(err, table):
                return LoopBackError('Duplicate entry for %s.%s' % (model, id_name),
                                     statusCode=409, code='ER_DUP_ENTRY')
            return LoopBackError(str(err).strip(), statusCode=409, code='ER_DUP_ENTRY')
        if isinstance(err, UnicodeEncodeError) and 'surrogate' in str(err):
            # A lone UTF-16 surrogate ("\ud800" in JSON) has no UTF-8 form, so
            # the driver refuses the text before sending it: bad input, not a
            # server fault.  (Memory stores and serves it, as LB3 does.)
            return LoopBackError('Text containing a lone surrogate (\\u%04x) cannot be stored '
                                 'in SQL: send well-formed Unicode'
                                 % ord(err.object[err.start]),
                                 statusCode=400, code='INVALID_TEXT')
        return err

    def is_unique_violation(self, err):
        return False

    def violated_primary_key(self, err, table):
        return True

    def execute(self, sql, params=None, options=None, cb=None):
        """Run raw SQL with bound parameters: ``cb(err, rows)``.

        # LoopBack: dataSource.connector.execute(sql, params, options, cb)
        Rows are lists of column values; for statements without a result set
        ``rows`` is ``{'count': affected rows}``.
        """
        if callable(params) and cb is None:
            params, cb = None, params
        elif callable(options) and cb is None:
            options, cb = None, options
        cb, promise = callback_and_promise(cb)
        params = list(params or [])

        def job(session):
            return session.execute(sql, params, raw=True)

        def done(err, result):
            if err is not None:
                return cb(err)
            rows, count, has_rows = result
            cb(None, [list(r) for r in rows] if has_rows else {'count': count})
        self._run(options or {}, job, done, True)
        return promise

    # -- CRUD --

    def _insert_sql(self, table, data):
        cols, params = [], []
        for prop, value in data.items():
            col = table.columns.get(prop)
            if col is None or value is filters.undefined:
                continue
            if col.generated and value in (None, '', 0, False):
                continue
            cols.append(col)
            params.append(self.to_db(col, value))
        all_cols = list(table.columns.values())
        returning = ' RETURNING ' + ', '.join(c.quoted for c in all_cols)
        if cols:
            sql = 'INSERT INTO %s (%s) VALUES (%s)' % (
                table.quoted, ', '.join(c.quoted for c in cols),
                ', '.join([self.placeholder] * len(cols)))
        else:
            sql = 'INSERT INTO %s DEFAULT VALUES' % table.quoted
        return sql + returning, params, all_cols, [c for c in cols if c.generated]

    def _insert(self, session, table, data):
        """Insert on a worker; returns the stored row as a tuple."""
        sql, params, cols, explicit_generated = self._insert_sql(table, data)
        rows, _ = session.execute(sql, params)
        if explicit_generated:
            self.after_explicit_id(session, table, explicit_generated[0])
        return rows[0]

    def after_explicit_id(self, session, table, col):
        """Hook: an explicit value went into a generated id column."""

    @table_first
    def create(self, model, data, options, cb):
        try:
            table = self.table(model)
            id_col = table.id_column
            self._insert_sql(table, data)
        except LoopBackError as err:
            return later(cb, err)

        def job(session):
            row = self._insert(session, table, data)
            return row

        def done(err, row=None):
            if err is not None:
                return cb(self.translate_error(model, err))
            stored = self.row_to_data(table, list(table.columns.values()), row, nulls=False)
            id_value = stored.get(id_col.prop) if id_col else None
            if id_col is not None:
                data[id_col.prop] = id_value
            cb(None, id_value)
        self._run(options, job, done, model)

    def _id_where(self, table, id_value):
        col = table.id_col()
        return '%s = %s' % (col.quoted, self.placeholder), [self.to_db(col, id_value)]

    def _select_by_id(self, session, table, id_value):
        where, params = self._id_where(table, id_value)
        cols = list(table.columns.values())
        rows, _ = session.execute('SELECT %s FROM %s WHERE %s' % (
            ', '.join(c.quoted for c in cols), table.quoted, where), params)
        return rows[0] if rows else None

    @table_first
    def find(self, model, id_value, options, cb):
        try:
            table = self.table(model)
            self._id_where(table, id_value)
        except LoopBackError as err:
            return later(cb, err)

        def job(session):
            return self._select_by_id(session, table, id_value)

        def done(err, row=None):
            if err is not None:
                return cb(err)
            cb(None, None if row is None else
               self.row_to_data(table, list(table.columns.values()), row))
        self._run(options, job, done, False)

    @table_first
    def exists(self, model, id_value, options, cb):
        self.find(model, id_value, options,
                  lambda err, row=None: cb(err) if err else cb(None, row is not None))

    @table_first
    def all(self, model, flt, options, cb):
        def build():
            sql, params, cols = self.compiler(model).select(flt)
            return sql, params, cols

        def convert(result, cols):
            rows, _ = result
            table = self.table(model)
            return [self.row_to_data(table, cols, row) for row in rows]
        self._query(model, options, build, convert, cb, point=self._point_column(model, flt))

    @table_first
    def count(self, model, where, options, cb):
        def build():
            return self.compiler(model).select({'where': where}, count=True)

        def convert(result, _):
            rows, _count = result
            return int(rows[0][0])
        self._query(model, options, build, convert, cb)

    def _set_clause(self, table, data, skip_ids=True):
        sets, params = [], []
        for prop, value in data.items():
            col = table.columns.get(prop)
            if col is None or value is filters.undefined or (skip_ids and col.is_id):
                continue
            sets.append('%s = %s' % (col.quoted, self.placeholder))
            params.append(self.to_db(col, value))
        return sets, params

    @table_first
    def updateAll(self, model, where, data, options, cb):
        def build():
            table = self.table(model)
            where_sql, where_params = self.compiler(model).where(where)
            sets, params = self._set_clause(table, data)
            if not sets:
                sql = 'SELECT COUNT(*) FROM %s' % table.quoted
                if where_sql:
                    sql += ' WHERE ' + where_sql
                return sql, where_params, 'count'
            sql = 'UPDATE %s SET %s' % (table.quoted, ', '.join(sets))
            if where_sql:
                sql += ' WHERE ' + where_sql
            return sql, params + where_params, 'rowcount'

        def convert(result, kind):
            rows, rowcount = result
            return {'count': int(rows[0][0]) if kind == 'count' else rowcount}
        self._query(model, options, build, convert, cb, write=True)

    update = updateAll

    @table_first
    def destroyAll(self, model, where, options, cb):
        def build():
            table = self.table(model)
            where_sql, params = self.compiler(model).where(where)
            sql = 'DELETE FROM %s' % table.quoted
            if where_sql:
                sql += ' WHERE ' + where_sql
            return sql, params, None

        def convert(result, _):
            return {'count': result[1]}
        self._query(model, options, build, convert, cb, write=True)

    @table_first
    def destroy(self, model, id_value, options, cb):
        def build():
            table = self.table(model)
            where, params = self._id_where(table, id_value)
            return 'DELETE FROM %s WHERE %s' % (table.quoted, where), params, None

        def convert(result, _):
            return {'count': result[1]}
        self._query(model, options, build, convert, cb, write=True)

    def _update_row(self, session, table, id_value, data, replace=False):
        """UPDATE one row by id; returns the new row tuple or None when missing."""
        cols = list(table.columns.values())
        if replace:
            data = {c.prop: data.get(c.prop) for c in cols if not c.is_id}
        sets, params = self._set_clause(table, data)
        if not sets:
            return self._select_by_id(session, table, id_value)
        where, where_params = self._id_where(table, id_value)
        rows, _ = session.execute('UPDATE %s SET %s WHERE %s RETURNING %s' % (
            table.quoted, ', '.join(sets), where, ', '.join(c.quoted for c in cols)),
            params + where_params)
        return rows[0] if rows else None

    def _row_op(self, model, id_value, options, cb, job, missing, atomic_key=None):
        try:
            table = self.table(model)
            self._id_where(table, id_value)
        except LoopBackError as err:
            return later(cb, err)
        cols = list(table.columns.values())

        def done(err, result=None):
            if err is not None:
                return cb(self.translate_error(model, err))
            row, extra = result
            if row is None:
                return cb(missing())
            data = self.row_to_data(table, cols, row)
            if extra is None:
                cb(None, data)
            else:
                cb(None, data, extra)
        if atomic_key is not None:
            self._run_atomic(options, atomic_key, lambda s: job(s, table), done, model)
        else:
            self._run(options, lambda s: job(s, table), done, model)

    @table_first
    def updateAttributes(self, model, id_value, data, options, cb):
        if id_value is None or id_value == '' or id_value == 0 or id_value is False:
            return later(cb, LoopBackError('You must provide an id when updating attributes!'))

        def job(session, table):
            return self._update_row(session, table, id_value, data), None

        def missing():
            return LoopBackError('Could not update attributes. Object with id %s does not exist!'
                                 % js_string(id_value), statusCode=404)
        self._row_op(model, id_value, options, cb, job, missing)

    @table_first
    def replaceById(self, model, id_value, data, options, cb):
        if id_value is None or id_value == '' or id_value == 0 or id_value is False:
            return later(cb, LoopBackError('You must provide an id when replacing!'))

        def job(session, table):
            return self._update_row(session, table, id_value, data, replace=True), None

        def missing():
            return LoopBackError('Could not replace. Object with id %s does not exist!'
                                 % js_string(id_value), statusCode=404)
        self._row_op(model, id_value, options, cb, job, missing)

    def _upsert(self, model, data, options, cb, replace, info_key):
        """save / updateOrCreate / replaceOrCreate: update by id, else insert, atomically."""
        try:
            table = self.table(model)
            id_col = table.id_col()
        except LoopBackError as err:
            return later(cb, err)
        id_value = data.get(id_col.prop)
        has_id = id_value not in (None, '', filters.undefined)

        def job(session, table):
            if has_id:
                row = self._update_row(session, table, id_value, data, replace=replace)
                if row is not None:
                    return row, False
            return self._insert(session, table, data), True

        def done(err, result=None):
            if err is not None:
                return cb(self.translate_error(model, err))
            row, created = result
            # LB3's SQL connectors leave these to juggler: an update loads the
            # row first (nulls kept), a create or replace builds the instance
            # from the data given (no nulls)
            out = self.row_to_data(table, list(table.columns.values()), row,
                                   nulls=not created and not replace)
            if info_key:
                cb(None, out, {'isNewInstance': created})
            else:
                cb(None, out, created)
        key = lock_key(table.schema, table.name, 'id', js_string(id_value)) if has_id else None
        if key is None:
            self._run(options, lambda s: job(s, table), done, model)
        else:
            self._run_atomic(options, key, lambda s: job(s, table), done, model)

    @table_first
    def save(self, model, data, options, cb):
        self._upsert(model, data, options, cb, False, True)

    @table_first
    def updateOrCreate(self, model, data, options, cb):
        self._upsert(model, data, options, cb, False, True)

    upsert = updateOrCreate

    @table_first
    def replaceOrCreate(self, model, data, options, cb):
        self._upsert(model, data, options, cb, True, True)

    @table_first
    def findOrCreate(self, model, flt, data, options, cb):
        """Atomic: the lookup and the insert run under one exclusive lock.

        The lock key is the table plus the canonical where, so concurrent
        calls for the same query (from any process or connection) queue
        behind each other while unrelated ones run in parallel; no unique
        index is needed.
        """
        flt = dict(flt or {}, limit=1)
        try:
            table = self.table(model)
            sql, params, cols = self.compiler(model).select(flt)
        except LoopBackError as err:
            return later(cb, err)
        key = lock_key(table.schema, table.name, 'where', filters.js_json(flt.get('where') or {}))
        all_cols = list(table.columns.values())

        def job(session):
            rows, _ = session.execute(sql, params)
            if rows:
                return rows[0], False
            return self._insert(session, table, data), True

        def done(err, result=None):
            if err is not None:
                return cb(self.translate_error(model, err))
            row, created = result
            # found: the stored row as find returns it; created: the data given
            out = self.row_to_data(table, all_cols if created else cols, row, nulls=not created)
            cb(None, out, created)
        self._run_atomic(options, key, job, done, model)

    # -- transactions --

    def beginTransaction(self, isolation_level, cb):
        raise NotImplementedError

    def end_transaction(self, connection, verb):
        """Run ``verb`` (COMMIT or ROLLBACK) for ``connection``; called on its lane."""
        raise NotImplementedError

    def _end(self, connection, verb, cb):
        # The transaction's lane ends with it, whatever the outcome of verb.
        lane = connection.lane

        def done(err, _=None):
            lane.close()
            cb(err)
        lane.submit(self.end_transaction, (connection, verb), done)

    def commit(self, connection, cb):
        self._end(connection, 'COMMIT', cb)

    def rollback(self, connection, cb):
        self._end(connection, 'ROLLBACK', cb)

    def transaction_of(self, options):
        tx = (options or {}).get('transaction') if isinstance(options, dict) else None
        if tx is None:
            return None
        if getattr(tx, 'connector', None) is not self:
            return None
        return tx

