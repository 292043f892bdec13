"""The shared SQL layer of the SQLite and PostgreSQL connectors.

# LoopBack: loopback-connector's lib/sql.js (SQLConnector) and
#           lib/transaction.js, as loopback-connector-postgresql uses them

Two halves:

* :class:`Table` and :class:`Compiler` turn a model definition and a
  normalised filter (``filters.normalize_filter`` output) into SQL text with
  bound parameters.  Identifiers come only from the model definition and
  are always quoted; every value is a parameter.  A where key that is not a
  property of the model, or an operator the compiler does not know, is a 400
  LoopBackError -- never text pasted into SQL.
* :class:`SqlConnector` implements the connector interface documented in
  connectors/memory.py (create, all, count, updateAll, destroyAll,
  findOrCreate, save, updateOrCreate, replaceOrCreate, replaceById,
  updateAttributes, exists, find, destroy, automigrate, autoupdate) plus
  ``execute``, ``beginTransaction``/``commit``/``rollback``, discovery and
  migration, over a few dialect hooks that sqlite.py and postgresql.py fill
  in.  Blocking driver calls run on worker threads (workers.py); every
  callback is delivered on the loop thread, never synchronously.

Names (as loopback-connector-postgresql): the table is the lower-cased model
name, a column the lower-cased property name; model settings
``{'postgresql': {'schema': s, 'table': t}}`` (or ``sqlite3``) and property
settings ``{'postgresql': {'columnName': c, 'dataType': d}}`` override them.

Matching follows the memory connector (filters.make_matcher) wherever SQL
can reproduce it:

* like/nlike/ilike/nilike use the memory connector's translation (``%`` ->
  ``.*``, ``_`` -> ``.``, other regex characters keep their meaning) and are
  searched unanchored, as regular expressions; regexp uses the same
  translated pattern;
* neq and nin also match NULL (a missing value), inq matches NULL when the
  list holds None; ordering puts NULL first ascending and last descending;
  ties are broken by id ascending, as the memory connector's stable sort over
  its id-ordered rows does; strings compare by code point (``COLLATE "C"`` on
  PostgreSQL, BINARY on SQLite).

Known differences from memory (documented, not bugs):

* NULL columns are left out of returned rows (memory returns what was
  stored: a property set to None explicitly reads back as missing here);
* undeclared (dynamic) properties of non-strict models are not stored;
* where keys must be declared properties (memory silently matches nothing);
  dotted paths ('address.city') reach into object properties, typed by the
  value compared with, but not into lists of objects (memory's embedded
  models fallback);
* array properties match when some element matches, as memory (dates inside
  arrays are compared as their JSON text); a list compared with a list is
  JSON equality; equality on object properties compares the JSON value
  (memory never matches objects);
* like/regexp never match NULL (memory matches the text 'null' /
  'undefined'), and non-string columns are matched through their text form;
* a property explicitly set to None sorts as a missing value (memory
  compares null like 0 against numbers and leaves it unordered among
  strings); dates in inq/nin lists match equal dates (memory compares Date
  objects by identity, so they never match there);
* strings compare by code point (memory: by UTF-16 code unit; they differ
  only between astral characters and U+E000..U+FFFF);
* regular expressions run on the database's engine on PostgreSQL (the
  memory connector's Python translation of the JavaScript source is passed
  to ``~``/``~*``; exotic constructs such as named groups may differ).
"""

import datetime as _dt
import functools
import hashlib
import json
import math
import re
import uuid

from .. import filters
from ..errors import LoopBackError, bad_request
from ..loop import get_loop, nextTick
from ..model import js_string, parse_date, to_iso
from ..promise import Promise, callback_and_promise
from ..workers import WorkerPool

UTC = _dt.timezone.utc
_JSON_TYPES = ('object', 'array', 'any', 'json', 'geopoint')


def json_default(value):
    """json.dumps fallback: dates as ISO text, model instances as their JSON."""
    if isinstance(value, _dt.datetime):
        return to_iso(value)
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return list(value)
    if hasattr(value, 'toJSON'):
        return value.toJSON()
    if value is filters.undefined:
        return None
    raise TypeError('%r is not JSON serializable' % (value,))


def to_json_text(value):
    return json.dumps(value, default=json_default, separators=(',', ':'))


def later(cb, *args):
    """Call ``cb(*args)`` on a later tick (connectors never call back synchronously)."""
    nextTick(cb, *args)


def lock_key(*parts):
    """A stable signed 64-bit key (same in every process) for advisory locks."""
    digest = hashlib.sha1(to_json_text(list(parts)).encode('utf-8')).digest()
    return int.from_bytes(digest[:8], 'big', signed=True)


# ---------------------------------------------------------------------------
# Tables and columns

class Column:
    """One property's column: names, LoopBack type, and its definition."""

    __slots__ = ('prop', 'name', 'quoted', 'type', 'item_type', 'spec', 'is_id',
                 'generated', 'db_type', 'settings')

    def __init__(self, prop, name, quoted, spec, is_id, settings):
        self.prop = prop
        self.name = name
        self.quoted = quoted
        self.spec = spec
        self.type = spec.get('type') if isinstance(spec.get('type'), str) else 'any'
        self.item_type = spec.get('itemType')
        self.is_id = is_id
        self.generated = bool(spec.get('generated')) and is_id
        self.settings = settings
        self.db_type = None

    @property
    def is_json(self):
        return self.type in _JSON_TYPES or self.type not in (
            'string', 'number', 'boolean', 'date', 'buffer')

    def __repr__(self):
        return 'Column(%s -> %s)' % (self.prop, self.name)


_SEGMENT = re.compile(r'^(?:[A-Za-z_$][A-Za-z0-9_$]*|\d+)$')


def _value_kind(cond):
    """'string' / 'number' / 'boolean' / 'date' for the first scalar in a condition."""
    values = [cond]
    while values:
        v = values.pop(0)
        if isinstance(v, dict):
            values.extend(v.values())
        elif isinstance(v, (list, tuple)):
            values.extend(v)
        elif isinstance(v, bool):
            return 'boolean'
        elif isinstance(v, (int, float)):
            return 'number'
        elif isinstance(v, (str, re.Pattern)):
            return 'string'
        elif isinstance(v, (_dt.datetime, _dt.date)):
            return 'date'
    return None


class PathColumn:
    """A value inside a JSON column, addressed by a dotted key, used like a Column."""

    is_id = False
    generated = False
    is_json = False
    item_type = None

    def __init__(self, prop, expression, kind):
        self.prop = prop
        self.name = prop
        self.quoted = expression
        self.type = kind or 'any'
        self.db_type = 'TEXT' if kind in ('string', None) else kind.upper()
        self.spec = {'type': self.type}
        self.settings = {}

    def __repr__(self):
        return 'PathColumn(%s)' % self.prop


class Table:
    """A model's table: qualified name and columns, built from its definition."""

    def __init__(self, connector, model_cls):
        definition = model_cls.definition
        settings = definition.settings or {}
        key = connector.settings_key
        dbmeta = settings.get(key) if isinstance(settings.get(key), dict) else {}
        self.model = model_cls.modelName
        self.model_cls = model_cls
        self.schema = (dbmeta.get('schema') or dbmeta.get('schemaName')
                       or connector.settings.get('schema') or connector.default_schema)
        self.name = dbmeta.get('table') or dbmeta.get('tableName') or self.model.lower()
        self.quoted = connector.quote(self.name)
        if self.schema:
            self.quoted = connector.quote(self.schema) + '.' + self.quoted
        self.id_names = definition.idNames()
        self.columns = {}
        for prop, spec in definition.properties.items():
            if not isinstance(spec, dict):
                continue
            pmeta = spec.get(key) if isinstance(spec.get(key), dict) else {}
            name = pmeta.get('columnName') or pmeta.get('column') or prop.lower()
            col = Column(prop, name, connector.quote(name), spec, prop in self.id_names, pmeta)
            col.db_type = connector.column_type(col)
            self.columns[prop] = col
        self.by_column = {c.name: c for c in self.columns.values()}
        ids = [self.columns[n] for n in self.id_names if n in self.columns]
        if len(ids) == 1 and ids[0].type == 'number' and ids[0].spec.get('generated') is not False:
            # The memory connector generates any missing numeric id; so does
            # the table (SERIAL / AUTOINCREMENT), explicit values still allowed.
            ids[0].generated = True
            ids[0].db_type = connector.column_type(ids[0])
        self.id_columns = ids
        self.id_column = ids[0] if ids else None
        self.info = filters.ModelInfo.from_definition(
            definition.properties, self.id_names, self.model, settings)

    def column(self, prop):
        col = self.columns.get(prop)
        if col is None:
            raise bad_request('Unknown property "%s" of model %s in the query'
                              % (prop, self.model), code='INVALID_PROPERTY')
        return col

    def id_col(self):
        if self.id_column is None:
            raise LoopBackError('Model %s has no id property' % self.model, statusCode=400)
        return self.id_column

    def select_list(self, fields=None):
        cols = list(self.columns.values())
        if fields:
            wanted = set(fields)
            cols = [c for c in cols if c.prop in wanted]
        return cols


# ---------------------------------------------------------------------------
# The compiler

_ORDER_RE = re.compile(r'^\s*(\S+)(?:\s+(ASC|DESC))?\s*$', re.I)


class Compiler:
    """Filter -> SQL for one table, with the connector's dialect hooks."""

    def __init__(self, connector, table):
        self.c = connector
        self.t = table

    # -- values --

    def value(self, col, value):
        return self.c.to_db(col, value)

    # -- where --

    def where(self, where):
        """(sql, params) for a coerced where; sql is '' when it matches everything."""
        if where is None or where is filters.undefined or where == {}:
            return '', []
        if not isinstance(where, dict):
            raise bad_request('The where clause %s is not an object' % filters.js_json(where))
        parts, params = [], []
        for key, cond in where.items():
            sql, p = self._key(key, cond)
            if sql:
                parts.append(sql)
                params.extend(p)
        return ' AND '.join(parts), params

    def _key(self, key, cond):
        if key in ('and', 'or') and isinstance(cond, list):
            subs, params = [], []
            for clause in cond:
                if clause is None or not isinstance(clause, dict):
                    raise bad_request('The %s operator has invalid clauses %s'
                                      % (key, filters.js_json(cond)))
                sql, p = self.where(clause)
                subs.append('(%s)' % (sql or '1=1'))
                params.extend(p)
            if not subs:
                return ('1=1' if key == 'and' else '1=0'), []
            return '(' + (' AND ' if key == 'and' else ' OR ').join(subs) + ')', params
        if cond is filters.undefined:
            return '', []
        col = self.t.columns.get(key) or self._path_column(key, cond)
        if col.type == 'array':
            return self._array_condition(col, cond)
        return self._condition(col, cond)

    def _condition(self, col, cond):
        """One column (or column-like expression) against one where value."""
        if isinstance(cond, re.Pattern):
            return self.c.regexp_sql(col, cond, False)
        if isinstance(cond, dict):
            return self._operator(col, cond)
        if cond is None:
            return '%s IS NULL' % col.quoted, []
        if isinstance(cond, (list, tuple)):
            raise bad_request('Invalid value %s for property %s of model %s'
                              % (filters.js_json(cond), col.prop, self.t.model))
        return self.c.equals_sql(col, self.value(col, cond))

    def _path_column(self, key, cond):
        """A dotted key into an object property ('address.city'), as a column-like
        expression typed by the value it is compared with (400 otherwise)."""
        head, _, rest = key.partition('.')
        base = self.t.column(head)
        segments = rest.split('.') if rest else []
        if not segments or not base.is_json or not all(_SEGMENT.match(s) for s in segments):
            raise bad_request('Unknown property "%s" of model %s in the query'
                              % (key, self.t.model), code='INVALID_PROPERTY')
        kind = _value_kind(cond)
        return PathColumn(key, self.c.json_path_sql(base, segments, kind), kind)

    def _operator(self, col, cond):
        ops = [op for op in cond if op != 'options']
        if not ops:
            if col.is_json:
                return self.c.equals_sql(col, self.value(col, cond))
            raise bad_request('Invalid value %s for property %s of model %s'
                              % (filters.js_json(cond), col.prop, self.t.model))
        for op in ops:
            if op not in filters.OPERATORS and op != 'near':
                raise bad_request('Unknown operator "%s" for property %s of model %s'
                                  % (op, col.prop, self.t.model), code='INVALID_OPERATOR')
        # The memory connector tests operators in this order; the first present wins.
        if filters.js_truthy(cond.get('regexp')):
            return self.c.regexp_sql(col, self._pattern(cond['regexp']), False)
        if filters.js_truthy(cond.get('near')):
            return '', []
        if filters.js_truthy(cond.get('inq')):
            return self._in(col, cond['inq'], True)
        if filters.js_truthy(cond.get('nin')):
            return self._in(col, cond['nin'], False)
        if 'neq' in cond:
            value = cond['neq']
            if value is None or value is filters.undefined:
                return '%s IS NOT NULL' % col.quoted, []
            sql, params = self.c.equals_sql(col, self.value(col, value))
            return '(%s IS NULL OR NOT (%s))' % (col.quoted, sql), params
        if 'between' in cond:
            low, high = (list(cond['between']) + [None, None])[:2]
            if low is None or high is None:
                return '1=0', []
            left = self.c.compare_expr(col)
            ph = self.c.placeholder
            return ('%s >= %s AND %s <= %s' % (left, ph, left, ph),
                    [self.value(col, low), self.value(col, high)])
        for op in ('like', 'nlike', 'ilike', 'nilike'):
            if filters.js_truthy(cond.get(op)):
                pattern = cond[op]
                regex = filters._like_regex(pattern, op in ('ilike', 'nilike'))
                return self.c.regexp_sql(col, regex, op in ('nlike', 'nilike'))
        for op, sym in (('gt', '>'), ('gte', '>='), ('lt', '<'), ('lte', '<=')):
            if op in cond:
                value = cond[op]
                if value is None or value is filters.undefined:
                    return '1=0', []
                return ('%s %s %s' % (self.c.compare_expr(col), sym, self.c.placeholder),
                        [self.value(col, value)])
        if 'eq' in cond:
            return self._key(col.prop, cond['eq'])
        # An operator with a falsy operand (like '', regexp None...): the memory
        # connector falls back to loose equality with the clause object,
        # which never holds.
        return '1=0', []

    @staticmethod
    def _pattern(value):
        if isinstance(value, re.Pattern):
            return value
        pattern = filters.to_regexp(value)
        if isinstance(pattern, LoopBackError):
            raise pattern
        return pattern

    def _in(self, col, values, wanted):
        if isinstance(values, dict):
            values = [values[k] for k in sorted(values, key=lambda k: int(k))] \
                if all(str(k).isdigit() for k in values) else []
        values = list(values) if isinstance(values, (list, tuple)) else [values]
        has_null = any(v is None or v is filters.undefined for v in values)
        values = [self.value(col, v) for v in values if v is not None and v is not filters.undefined]
        ph = self.c.placeholder
        parts = []
        if values:
            parts.append('%s %s (%s)' % (col.quoted, 'IN' if wanted else 'NOT IN',
                                         ', '.join([ph] * len(values))))
        if wanted:
            if has_null:
                parts.append('%s IS NULL' % col.quoted)
            if not parts:
                return '1=0', []
            return '(' + ' OR '.join(parts) + ')', values
        if has_null:
            parts.append('%s IS NOT NULL' % col.quoted)
            return '(' + ' AND '.join(parts) + ')', values
        if not parts:
            return '', []
        return '(%s IS NULL OR %s)' % (col.quoted, parts[0]), values

    def _array_condition(self, col, cond):
        """Arrays: a value, inq or any operator matches when some element matches."""
        if cond is None:
            return '%s IS NULL' % col.quoted, []
        if isinstance(cond, dict):
            ops = [op for op in cond if op != 'options']
            if ops == ['inq'] and isinstance(cond['inq'], (list, tuple)):
                items = [v for v in cond['inq'] if v is not None]
                if not items:
                    return '1=0', []
                sqls, params = [], []
                for item in items:
                    s, p = self.c.array_contains_sql(col, item)
                    sqls.append(s)
                    params.extend(p)
                return '(' + ' OR '.join(sqls) + ')', params
            return self._array_elements(col, cond)
        if isinstance(cond, (list, tuple)):
            return self.c.equals_sql(col, self.value(col, list(cond)))
        if isinstance(cond, re.Pattern):
            return self._array_elements(col, cond)
        return self.c.array_contains_sql(col, cond)

    def _array_elements(self, col, cond):
        """Any element satisfies ``cond`` (memory's rule for list values); an
        empty list satisfies only neq; a missing list is tested as undefined."""
        kind = _value_kind(cond)
        element = PathColumn(col.prop, self.c.array_element_sql(col, kind), kind)
        inner, params = self._condition(element, cond)
        parts = [self.c.array_exists_sql(col, inner or '1=1')]
        if isinstance(cond, dict) and cond.get('neq', filters.undefined) is not filters.undefined:
            parts.append(self.c.array_empty_sql(col))
        try:
            on_missing = filters.make_matcher({'v': cond})({})
        except LoopBackError:
            on_missing = False
        if on_missing:
            parts.append('%s IS NULL' % col.quoted)
        return '(' + ' OR '.join(parts) + ')', params

    # -- order, fields, paging --

    def order(self, order):
        """ORDER BY text (never empty: id ascending breaks ties as memory's stable sort)."""
        if not filters.js_truthy(order):
            order = []
        if isinstance(order, str):
            order = [order]
        terms, seen = [], set()
        for item in order:
            m = _ORDER_RE.match(item) if isinstance(item, str) else None
            if not m:
                raise bad_request('The order %s is not valid' % filters.js_json(item))
            col = self.t.columns.get(m.group(1)) or self._path_column(m.group(1), None)
            desc = (m.group(2) or '').upper() == 'DESC'
            if col.prop in seen:
                continue
            seen.add(col.prop)
            terms.append(self.c.order_term(col, desc))
        for col in self.t.id_columns:
            if col.prop not in seen:
                terms.append(self.c.order_term(col, False))
        return ' ORDER BY ' + ', '.join(terms) if terms else ''

    def select(self, flt, count=False, lock=False):
        """(sql, params, columns) for a normalised filter."""
        flt = flt or {}
        fields = flt.get('fields')
        if fields is not None and not isinstance(fields, list):
            fields = filters.fields_to_array(fields, self.t.info)
        cols = self.t.select_list(fields or None)
        where_sql, params = self.where(flt.get('where'))
        if count:
            sql = 'SELECT COUNT(*) FROM %s' % self.t.quoted
            if where_sql:
                sql += ' WHERE ' + where_sql
            return sql, params, []
        if not cols:
            # fields named nothing the table has: memory returns empty objects
            sql = 'SELECT 1 FROM %s' % self.t.quoted
        else:
            sql = 'SELECT %s FROM %s' % (', '.join(c.quoted for c in cols), self.t.quoted)
        if where_sql:
            sql += ' WHERE ' + where_sql
        sql += self.order(flt.get('order'))
        limit, skip = _paging(flt)
        if limit or skip:
            paging, paging_params = self.c.paging_sql(limit, skip)
            sql += paging
            params = params + paging_params
        return sql, params, cols


def _paging(flt):
    def number(v):
        if not filters.js_truthy(v):
            return 0
        n = filters.js_to_number(v)
        if n != n or n <= 0:
            return 0
        return None if math.isinf(n) else int(n)
    limit = number(flt.get('limit'))
    skip = number(flt.get('skip')) or number(flt.get('offset'))
    return limit, skip


# ---------------------------------------------------------------------------
# Transactions

class Transaction:
    """A database transaction bound to one connection.

    # LoopBack: loopback-connector Transaction (tx.commit(cb), tx.rollback(cb),
    #           tx.isActive(), options {transaction: tx}, timeout)

    Pass ``{'transaction': tx}`` in a DAO call's options to run it inside.
    ``commit``/``rollback`` take an optional callback and return a Promise
    without one.  With ``timeout`` (ms) the transaction rolls back by itself
    when it is still open then (observers of 'timeout' run first, as juggler).
    """

    SERIALIZABLE = 'SERIALIZABLE'
    REPEATABLE_READ = 'REPEATABLE READ'
    READ_COMMITTED = 'READ COMMITTED'
    READ_UNCOMMITTED = 'READ UNCOMMITTED'

    def __init__(self, connector, connection):
        self.connector = connector
        self.connection = connection
        self.id = str(uuid.uuid1())
        self.timeout = None
        self._observers = {}

    def isActive(self):
        return self.connection is not None

    def observe(self, operation, listener):
        self._observers.setdefault(operation, []).append(listener)

    def _notify(self, operation, done):
        listeners = list(self._observers.get(operation, ()))
        context = _TxContext(transaction=self, operation=operation)

        def step(i, err=None):
            if err is not None or i >= len(listeners):
                return done(err)
            result = listeners[i](context, lambda e=None: step(i + 1, e))
            if result is not None and hasattr(result, 'then'):
                result.then(lambda _=None: step(i + 1), lambda e: step(i + 1, e))
        step(0)

    def _finish(self, verb, cb):
        cb, promise = callback_and_promise(cb)
        if self.timeout is not None:
            get_loop().clearTimeout(self.timeout)
            self.timeout = None

        def ended(err=None, *_):
            self._notify('after ' + verb, lambda _err=None: cb(err))

        def start(err=None):
            if err is not None:
                return cb(err)
            if self.connection is None:
                return cb(LoopBackError('Transaction is not active'))
            conn, self.connection = self.connection, None
            getattr(self.connector, verb)(conn, ended)
        self._notify('before ' + verb, start)
        return promise

    def commit(self, cb=None):
        return self._finish('commit', cb)

    def rollback(self, cb=None):
        return self._finish('rollback', cb)

    def toJSON(self):
        return self.id

    def __repr__(self):
        return '<Transaction %s%s>' % (self.id, '' if self.isActive() else ' (ended)')


class _TxContext(dict):
    """The ``ctx`` of transaction observers: ``ctx.transaction`` or ``ctx['transaction']``."""

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return self.get(name)


_LEVELS = (Transaction.SERIALIZABLE, Transaction.REPEATABLE_READ,
           Transaction.READ_COMMITTED, Transaction.READ_UNCOMMITTED)


def begin_transaction(connector, options=None, cb=None, **kwargs):
    """Start a transaction on ``connector``: ``cb(err, tx)`` or a Promise.

    # LoopBack: Model.beginTransaction(options, cb) / Transaction.begin
    ``options`` is an isolation level string or a dict with ``isolationLevel``
    (default READ COMMITTED) and ``timeout`` (ms).
    """
    if callable(options) and cb is None:
        options, cb = None, options
    if isinstance(options, str):
        options = {'isolationLevel': options}
    options = dict(options or {}, **kwargs)
    cb, promise = callback_and_promise(cb)
    level = options.get('isolationLevel') or Transaction.READ_COMMITTED
    if level not in _LEVELS:
        cb(LoopBackError('Invalid isolationLevel', statusCode=400))
        return promise

    def begun(err, connection=None):
        if err is not None:
            return cb(err)
        tx = Transaction(connector, connection)
        timeout = options.get('timeout')
        if timeout:
            def expire():
                tx.timeout = None
                if not tx.isActive():
                    return

                def after(err=None):
                    if err is None and tx.isActive():
                        tx.rollback(lambda *_: None)
                tx._notify('timeout', after)
            tx.timeout = get_loop().setTimeout(expire, timeout)
        cb(None, tx)
    connector.beginTransaction(level, begun)
    return promise


# ---------------------------------------------------------------------------
# The connector base

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


class SqlConnector:
    """The connector interface of connectors/memory.py over SQL (see module doc).

    Subclasses provide the dialect (``quote``, ``placeholder``, ``column_type``,
    ``to_db``, ``from_db``, ``equals_sql``, ``regexp_sql``, ``order_term``,
    ``paging_sql``, ``compare_expr``, ``array_contains_sql``) and the
    connection plumbing (``_run``, ``_run_atomic``, ``beginTransaction``,
    ``commit``, ``rollback``).  ``_run(options, job, done, write)`` runs
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

    name = 'sql'
    settings_key = 'sql'
    default_schema = None
    placeholder = '?'
    relational = True

    def __init__(self, settings=None, data_source=None):
        self.settings = dict(settings or {})
        self.dataSource = data_source
        self._models = {}
        self._tables = {}
        self._compilers = {}
        self.connected = False
        self.auto_tables = bool(self.settings.get('createTables'))
        self._ensured = {}
        self._expose_on_data_source()

    #: juggler's DataSource methods that forward to the connector
    DATA_SOURCE_METHODS = ('discoverModelDefinitions', 'discoverSchema',
                           'discoverModelProperties', 'discoverPrimaryKeys',
                           'isActual', 'ping', 'execute')

    def _expose_on_data_source(self):
        """Stopgap: give the data source juggler's forwarding methods it lacks.

        # LoopBack: ds.discoverSchema(...), ds.isActual(...), ds.execute(...)
        juggler's DataSource forwards these to its connector; until
        datasource.py does, the connector binds them on its data source
        instance (never over a method the DataSource class defines).
        """
        ds = self.dataSource
        if ds is None:
            return
        for name in self.DATA_SOURCE_METHODS:
            if not hasattr(type(ds), name):
                setattr(ds, name, getattr(self, name))
        if not hasattr(type(ds), 'isRelational'):
            ds.isRelational = lambda: True

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

    # -- definitions --

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
        if 'beginTransaction' not in vars(model) and not hasattr(model, 'beginTransaction'):
            # juggler mixes TransactionMixin into models; the DAO has no such
            # method yet, so the connector that supports transactions adds it.
            model.beginTransaction = classmethod(_model_begin_transaction)

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

    # -- values (defaults; dialects refine) --

    def to_db(self, col, value):
        if value is None or value is filters.undefined:
            return None
        t = col.type
        if t == 'number':
            if isinstance(value, bool):
                return int(value)
            if isinstance(value, str):
                n = filters.js_to_number(value)
                return None if n != n else _int_if_integral(n)
            if isinstance(value, float) and (value != value or math.isinf(value)):
                return None
            return value
        if t == 'string':
            return value if isinstance(value, str) else js_string(value)
        if t == 'boolean':
            return bool(value)
        if t == 'date':
            return parse_date(value)
        if t == 'buffer':
            return bytes(value) if not isinstance(value, str) else value.encode('utf-8')
        return value

    def row_to_data(self, table, cols, row):
        out = {}
        for col, value in zip(cols, row):
            if value is None:
                continue
            out[col.prop] = self.from_db(col, value)
        return out

    # -- running --

    def _query(self, model, options, build, convert, cb, write=False):
        """Compile on the loop thread, run on a worker, convert on the loop thread."""
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
        self._run(options, job, done, model if write else False)

    def translate_error(self, model, err):
        """Driver errors -> LoopBack errors where juggler's memory has a text."""
        if self.is_unique_violation(err):
            table = self._tables.get(model)
            id_name = table.id_column.prop if table and table.id_column else 'id'
            if table is None or self.violated_primary_key(err, table):
                return LoopBackError('Duplicate entry for %s.%s' % (model, id_name),
                                     statusCode=409, code='ER_DUP_ENTRY')
            return LoopBackError(str(err).strip(), statusCode=409, code='ER_DUP_ENTRY')
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
            stored = self.row_to_data(table, list(table.columns.values()), row)
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
        self._query(model, options, build, convert, cb)

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
            out = self.row_to_data(table, list(table.columns.values()), row)
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
            out = self.row_to_data(table, all_cols if created else cols, row)
            cb(None, out, created)
        self._run_atomic(options, key, job, done, model)

    # -- transactions --

    def beginTransaction(self, isolation_level, cb):
        raise NotImplementedError

    def transaction_of(self, options):
        tx = (options or {}).get('transaction') if isinstance(options, dict) else None
        if tx is None:
            return None
        if getattr(tx, 'connector', None) is not self:
            return None
        return tx

    # -- migration --

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

    def discoverSchema(self, table_name, options=None, cb=None):
        """cb(err, model definition) read from an existing table, as LoopBack's.

        # LoopBack: dataSource.discoverSchema(tableName, options, cb)
        The definition: ``{'name': 'CamelCase', 'options': {'idInjection': False,
        <key>: {'schema': s, 'table': t}}, 'properties': {camelCase: {'type',
        'required', 'length', 'precision', 'scale', 'id'?, <key>: {columnName,
        dataType, dataLength, dataPrecision, dataScale, nullable}}}}``.
        """
        if callable(options) and cb is None:
            options, cb = None, options
        options = dict(options or {})
        cb, promise = callback_and_promise(cb)
        key = self.settings_key

        def job(session):
            columns = self.list_columns(session, table_name, options)
            pks = self.list_primary_keys(session, table_name, options)
            return columns, pks

        def done(err, result=None):
            if err is not None:
                return cb(err)
            columns, pks = result
            if not columns:
                return cb(LoopBackError('Table %s does not exist' % table_name, statusCode=404))
            pk_names = [p['columnName'] for p in sorted(pks, key=lambda p: p['keySeq'])]
            props = {}
            for c in columns:
                prop = {
                    'type': c['type'], 'required': c['nullable'] == 'N',
                    'length': c.get('dataLength'), 'precision': c.get('dataPrecision'),
                    'scale': c.get('dataScale'),
                }
                if c['columnName'] in pk_names:
                    prop['id'] = pk_names.index(c['columnName']) + 1
                prop[key] = {
                    'columnName': c['columnName'], 'dataType': c['dataType'],
                    'dataLength': c.get('dataLength'), 'dataPrecision': c.get('dataPrecision'),
                    'dataScale': c.get('dataScale'),
                    'nullable': 'NO' if c['nullable'] == 'N' else 'YES',
                }
                props[_camel(c['columnName'])] = prop
            owner = columns[0].get('owner')
            dbmeta = {'table': table_name}
            if owner:
                dbmeta = {'schema': owner, 'table': table_name}
            cb(None, {'name': _camel(table_name, upper_first=True),
                      'options': {'idInjection': False, key: dbmeta},
                      'properties': props})
        self._run({}, job, done, False)
        return promise



def _raiser(err):
    def job(session):
        raise err
    return job


def _model_begin_transaction(cls, options=None, cb=None, **kwargs):
    """# LoopBack: Model.beginTransaction(options, cb) -> cb(err, tx) / Promise"""
    return begin_transaction(cls.getDataSource().connector, options, cb, **kwargs)


def _int_if_integral(n):
    if isinstance(n, float) and n.is_integer() and abs(n) < 2 ** 53:
        return int(n)
    return n


def _camel(name, upper_first=False):
    """juggler's discovery name mapping: product_id -> productId, inventory -> Inventory."""
    parts = [p for p in re.split(r'[_\s-]+', name) if p]
    if not parts:
        return name
    words = [parts[0].lower()] + [p[:1].upper() + p[1:].lower() for p in parts[1:]]
    text = ''.join(words)
    return text[:1].upper() + text[1:] if upper_first else text


class Lane(WorkerPool):
    """One dedicated thread (a connection that must stay on its thread)."""

    def __init__(self, name, thread_init=None, thread_exit=None):
        super().__init__(size=1, name=name, thread_init=thread_init, thread_exit=thread_exit)
