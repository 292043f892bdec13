"""Tables, indexes and migration for the SQL connectors, and discovery.

# LoopBack: SQLConnector's automigrate/autoupdate/isActual and the discovery
#           methods (loopback-connector's lib/sql.js, as the PostgreSQL and
#           SQLite connectors specialise them)

Tables and columns themselves are described by compiler.Table (names, types,
ids); this module turns them into DDL: CREATE TABLE with the primary key,
indexes from property ``index`` settings, model ``indexes`` and a unique
index on every hasOne foreign key; ``automigrate`` (drop and re-create),
``autoupdate`` (create missing tables, add and drop columns, add indexes,
refusing a unique hasOne index over duplicates), ``isActual``, the
``createTables`` setting (a table made before its model's first operation,
:func:`table_first`) and the discovery calls.  Migrations run one at a time,
in call order, under the migration lock.
"""

import functools

from ...errors import LoopBackError
from ...promise import Promise, callback_and_promise
from ...types import js_string
from .running import lock_key


def table_first(method):
    """Run a CRUD method only once its model's table exists (``createTables``).

    With the data source setting ``createTables`` a model's table is created
    (CREATE TABLE IF NOT EXISTS, plain indexes) before the first operation
    on it; calls arriving meanwhile wait on the same promise.  The callback is
    the method's last argument.
    """
    @functools.wraps(method)
    def wrapper(self, model, *args):
        if not self.auto_tables or self._ensured.get(model) is True:
            return method(self, model, *args)
        self._ensure_table(model).then(
            lambda _=None: method(self, model, *args),
            lambda err: args[-1](err))
    return wrapper


class SqlSchema:
    """The DDL, migration and discovery half of :class:`~.connector.SqlConnector`
    (a mixin; dialects refine ``column_type``, ``column_ddl``,
    ``create_schema_sql``, ``create_index_sql``, ``alter_table_sql`` and the
    introspection hooks ``table_columns``, ``list_tables``, ``list_columns``,
    ``list_primary_keys``, which run on a worker with a session)."""

    def _ensure_table(self, model):
        """A promise settled once ``model``'s table exists (created if missing)."""
        pending = self._ensured.get(model)
        if pending is not None and pending is not True:
            return pending
        try:
            stmts = self.create_table_sql(self.table(model), if_not_exists=True, strict=False)
        except LoopBackError as err:
            return Promise.reject(err)
        settle = {}
        promise = Promise(lambda resolve, reject: settle.update(ok=resolve, fail=reject))
        self._ensured[model] = promise

        def job(session):
            for sql in stmts:
                session.execute(sql, [], raw=True)

        def done(err, _=None):
            if err is not None:
                self._ensured.pop(model, None)
                return settle['fail'](err)
            self._ensured[model] = True
            settle['ok'](None)
        self._run_ddl(job, done)
        return promise



    def _model_names(self, models):
        if isinstance(models, str):
            models = [models]
        names = list(models) if models else list(self._models)
        missing = [m for m in names if m not in self._models]
        if missing:
            raise LoopBackError('Cannot migrate models not attached to this datasource: %s'
                                % ' '.join(missing))
        return names

    def has_one_keys(self, model):
        """Columns that are the foreign key of a hasOne pointing at ``model``."""
        keys = []
        for definition in self._models.values():
            relations = getattr(definition['model'], 'relations', None) or {}
            for rel in list(relations.values()):
                if getattr(rel, 'type', None) != 'hasOne' or getattr(rel, 'polymorphic', None):
                    continue
                target = getattr(rel, 'modelTo', None)
                if getattr(target, 'modelName', None) != model:
                    continue
                key = getattr(rel, 'keyTo', None)
                if key and key not in keys and key in self.table(model).columns:
                    keys.append(key)
        return keys

    def index_specs(self, table, has_one=True):
        """[(name, [columns], unique)] from property ``index`` settings,
        model ``indexes`` and hasOne foreign keys."""
        specs = []
        for col in table.columns.values():
            idx = col.spec.get('index')
            if idx and not col.is_id:
                unique = isinstance(idx, dict) and bool(idx.get('unique'))
                specs.append(('%s_%s_idx' % (table.name, col.name), [col], unique))
            elif col.spec.get('unique') and not col.is_id:
                specs.append(('%s_%s_idx' % (table.name, col.name), [col], True))
        indexes = (table.model_cls.definition.settings or {}).get('indexes') or {}
        for name, spec in indexes.items():
            keys = spec.get('keys') if isinstance(spec, dict) and 'keys' in spec else spec
            options = spec.get('options') or {} if isinstance(spec, dict) else {}
            if isinstance(keys, dict):
                props = list(keys)
            elif isinstance(keys, str):
                props = [k.strip().split(' ')[0] for k in keys.split(',')]
            else:
                props = list(keys or [])
            cols = []
            for p in props:
                col = table.columns.get(p) or table.by_column.get(p)
                if col is not None:
                    cols.append(col)
            if cols:
                specs.append((name, cols, bool(options.get('unique') or
                                               (isinstance(spec, dict) and spec.get('unique')))))
        for prop in (self.has_one_keys(table.model) if has_one else ()):
            col = table.columns[prop]
            specs = [s for s in specs if [c.name for c in s[1]] != [col.name]]
            specs.append(('%s_%s_hasone_uniq' % (table.name, col.name), [col], True))
        return specs

    def create_table_sql(self, table, if_not_exists=False, strict=True):
        """[statements] that create the table and its indexes.

        ``strict`` False (``createTables``) leaves out NOT NULL constraints and
        the unique index on hasOne foreign keys: such tables accept whatever
        the model layer lets through, as the memory connector does.
        """
        defs = []
        for col in table.columns.values():
            defs.append('%s %s' % (col.quoted, self.column_ddl(table, col, strict)))
        pk = self.primary_key_clause(table)
        if pk:
            defs.append(pk)
        stmts = self.create_schema_sql(table)
        stmts.append('CREATE TABLE %s%s (\n  %s\n)' % (
            'IF NOT EXISTS ' if if_not_exists else '', table.quoted, ',\n  '.join(defs)))
        for name, cols, unique in self.index_specs(table, strict):
            stmts.append(self.create_index_sql(table, name, cols, unique))
        return stmts

    def primary_key_clause(self, table):
        if not table.id_columns:
            return None
        return 'PRIMARY KEY (%s)' % ', '.join(c.quoted for c in table.id_columns)

    def create_schema_sql(self, table):
        return []

    def create_index_sql(self, table, name, cols, unique):
        return 'CREATE %sINDEX IF NOT EXISTS %s ON %s (%s)' % (
            'UNIQUE ' if unique else '', self.quote(name), table.quoted,
            ', '.join(c.quoted for c in cols))

    #: LoopBack type name -> the dialect's column type; others get DEFAULT_COLUMN_TYPE.
    COLUMN_TYPES = {}
    DEFAULT_COLUMN_TYPE = 'TEXT'

    def column_type(self, col):
        """The column type for a property: its ``dataType`` override, INTEGER for
        numeric ids and integer-typed numbers, else the dialect's COLUMN_TYPES."""
        override = col.settings.get('dataType')
        if override:
            return str(override).upper()
        if col.type == 'number' and (
                col.is_id or str(col.spec.get('dataType', '')).lower() in ('int', 'integer')):
            return 'INTEGER'
        return self.COLUMN_TYPES.get(col.type, self.DEFAULT_COLUMN_TYPE)

    def column_ddl(self, table, col, strict=True):
        """A column's type, NOT NULL for required properties unless ``strict`` is off
        (tables made by ``createTables`` leave presence checks to validation)."""
        ddl = col.db_type
        if strict and col.spec.get('required') and not col.generated:
            ddl += ' NOT NULL'
        return ddl

    def _run_ddl(self, job, done):
        """Migrations: one at a time, in call order, under the migration lock."""
        self._run_atomic({}, lock_key('migrate'), job, done)

    def automigrate(self, models=None, cb=None):
        """Drop and re-create the tables of ``models`` (all when None), in one transaction.

        # LoopBack: dataSource.automigrate([models], cb)
        """
        if callable(models) and cb is None:
            models, cb = None, models
        cb, promise = callback_and_promise(cb)
        try:
            names = self._model_names(models)
            stmts = []
            for name in names:
                table = self.table(name)
                stmts.append('DROP TABLE IF EXISTS %s' % table.quoted)
                stmts.extend(self.create_table_sql(table))
                self._ensured[name] = True
        except LoopBackError as err:
            # through the migration path, so results arrive in call order
            self._run_ddl(_raiser(err), lambda e, _=None: cb(e))
            return promise

        def job(session):
            for sql in stmts:
                session.execute(sql, [], raw=True)
        self._run_ddl(job, lambda err, _=None: cb(err))
        return promise

    def autoupdate(self, models=None, cb=None):
        """Create missing tables, add missing columns and indexes, drop removed columns.

        # LoopBack: dataSource.autoupdate([models], cb)
        Before changing anything it checks that every hasOne foreign key that
        is to get a unique index holds no duplicates; if some do, the error
        (409, code 'DUPLICATE_HAS_ONE', ``details.duplicates`` = {model:
        {foreignKey: [values]}}) is reported and nothing is altered.
        """
        if callable(models) and cb is None:
            models, cb = None, models
        cb, promise = callback_and_promise(cb)
        try:
            names = self._model_names(models)
            tables = [self.table(n) for n in names]
        except LoopBackError as err:
            self._run_ddl(_raiser(err), lambda e, _=None: cb(e))
            return promise

        def job(session):
            duplicates = {}
            plans = []
            for table in tables:
                actual = self.table_columns(session, table)
                if not actual:
                    plans.append(self.create_table_sql(table))
                    continue
                for prop in self.has_one_keys(table.model):
                    col = table.columns[prop]
                    if col.name not in actual:
                        continue
                    rows, _ = session.execute(
                        'SELECT %s FROM %s WHERE %s IS NOT NULL GROUP BY %s HAVING COUNT(*) > 1'
                        % (col.quoted, table.quoted, col.quoted, col.quoted), [])
                    if rows:
                        duplicates.setdefault(table.model, {})[prop] = [
                            self.from_db(col, r[0]) for r in rows]
                plans.append(self.alter_table_sql(session, table, actual))
            if duplicates:
                return duplicates
            for stmts in plans:
                for sql in stmts:
                    session.execute(sql, [], raw=True)
            return None

        def done(err, duplicates=None):
            if err is None and duplicates:
                text = '; '.join('%s.%s: %s' % (m, k, ', '.join(js_string(v) for v in vals))
                                 for m, keys in duplicates.items() for k, vals in keys.items())
                err = LoopBackError(
                    'Cannot add unique index for hasOne foreign key: duplicate values in %s'
                    % text, statusCode=409, code='DUPLICATE_HAS_ONE',
                    details={'duplicates': duplicates})
            cb(err)
        self._run_ddl(job, done)
        return promise

    def alter_table_sql(self, session, table, actual):
        stmts = []
        for col in table.columns.values():
            if col.name not in actual:
                stmts.append('ALTER TABLE %s ADD COLUMN %s %s' % (
                    table.quoted, col.quoted, self.add_column_ddl(table, col)))
        known = {c.name for c in table.columns.values()}
        for name in actual:
            if name not in known:
                stmts.append('ALTER TABLE %s DROP COLUMN %s' % (table.quoted, self.quote(name)))
        for name, cols, unique in self.index_specs(table):
            stmts.append(self.create_index_sql(table, name, cols, unique))
        return stmts

    def add_column_ddl(self, table, col):
        return col.db_type

    def isActual(self, models=None, cb=None):
        """cb(err, True) when no table needs creating or altering."""
        if callable(models) and cb is None:
            models, cb = None, models
        cb, promise = callback_and_promise(cb)
        try:
            tables = [self.table(n) for n in self._model_names(models)]
        except LoopBackError as err:
            cb(err)
            return promise

        def job(session):
            for table in tables:
                actual = self.table_columns(session, table)
                if not actual or set(actual) != {c.name for c in table.columns.values()}:
                    return False
            return True
        self._run({}, job, cb, False)
        return promise

    # -- discovery --

    def discoverModelDefinitions(self, options=None, cb=None):
        """cb(err, [{'type': 'table'|'view', 'name': n, 'owner': schema}]).

        # LoopBack: dataSource.discoverModelDefinitions(options, cb)
        """
        if callable(options) and cb is None:
            options, cb = None, options
        options = dict(options or {})
        cb, promise = callback_and_promise(cb)

        def job(session):
            return self.list_tables(session, options)
        self._run({}, job, cb, False)
        return promise

    def discoverModelProperties(self, table_name, options=None, cb=None):
        """cb(err, [{owner, tableName, columnName, dataType, dataLength, nullable, type}])."""
        if callable(options) and cb is None:
            options, cb = None, options
        options = dict(options or {})
        cb, promise = callback_and_promise(cb)

        def job(session):
            return self.list_columns(session, table_name, options)
        self._run({}, job, cb, False)
        return promise

    def discoverPrimaryKeys(self, table_name, options=None, cb=None):
        if callable(options) and cb is None:
            options, cb = None, options
        options = dict(options or {})
        cb, promise = callback_and_promise(cb)
        self._run({}, lambda s: self.list_primary_keys(s, table_name, options), cb, False)
        return promise


def _raiser(err):
    def job(session):
        raise err
    return job
