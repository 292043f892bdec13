"""SQL text from model definitions and LoopBack filters, for the SQL connectors.

# LoopBack: loopback-connector's lib/sql.js (buildWhere, buildOrderBy,
#           buildColumnNames, applyPagination) as loopback-connector-postgresql
#           specialises them

:class:`Table` describes a model's table and columns; :class:`Compiler` turns
a normalised filter (``filters.normalize_filter`` output) into SQL text with
bound parameters.  Identifiers come only from the model definition and are
always quoted; every value is a parameter.  A where key that is not a
property of the model (or a path into an object property), or an operator
the compiler does not know, is a 400 LoopBackError -- never text pasted into
SQL.  The dialect (quoting, placeholders, regular expressions, JSON, NULL
ordering, paging) comes from the connector the compiler is given.

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

Known differences from memory (documented, not bugs; the list in the README
is kept from this one):

* NULL columns come back as None, so toJSON shows ``"rating": null`` where
  memory leaves an unset property out -- as LB3's SQL connectors do
  (loopback-connector's fromRow); a row just inserted keeps the data given;
* undeclared (dynamic) properties are never stored (no column): on models
  defined with ``ds.createModel`` juggler's relational default ``strict:
  True`` refuses them (422); booted models are not strict, as in LB3, and
  only the create response echoes them;
* where keys must be declared properties: an unknown key is a 400
  INVALID_PROPERTY (memory matches nothing; LB3's SQL connectors drop the
  condition and match every row, which this port refuses to do); dotted
  paths ('address.city') reach into object properties, typed by the value
  compared with, but not into lists of objects (memory's embedded models
  fallback);
* an unknown ``order`` property: PostgreSQL fails with 'column "x" does not
  exist' (code 42703, no statusCode) as LB3 on PostgreSQL; SQLite ignores it
  as LB3's SQLite connector (and memory) do;
* array properties match when some element matches, as memory (dates inside
  arrays are compared as their JSON text); a list compared with a list is
  JSON equality; equality on object properties compares the JSON value
  (memory never matches objects);
* like/regexp never match NULL (memory matches the text 'null' /
  'undefined'), and non-string columns are matched through their text form;
* a NULL sorts as a missing value (memory compares null like 0 against
  numbers and leaves it unordered among strings); dates in inq/nin lists
  match equal dates (memory compares Date objects by identity, so they
  never match there);
* strings compare by code point (memory: by UTF-16 code unit; they differ
  only between astral characters and U+E000..U+FFFF);
* regular expressions run on the database's engine on PostgreSQL (the
  memory connector's Python translation of the JavaScript source is passed
  to ``~``/``~*``; exotic constructs such as named groups may differ);
* upsertWithWhere matching several rows reports 'There are multiple
  instances found...' (400) before validating the data: the SQL connectors
  have no upsertWithWhere, so juggler's find-then-update fallback runs, as
  in LB3 (memory's connector method validates first, 422).
"""

import datetime as _dt
import math
import re

from ... import filters
from ...errors import LoopBackError, bad_request

_JSON_TYPES = ('object', 'array', 'any', 'json', 'geopoint')


class Column:
    """One property's column: names, LoopBack type, and its definition."""

    __slots__ = ('prop', 'name', 'quoted', 'type', 'item_type', 'spec', 'is_id',
                 'generated', 'db_type', 'settings', 'text')

    def __init__(self, prop, name, quoted, spec, is_id, settings):
        self.prop = prop
        self.name = name
        self.quoted = quoted
        self.spec = spec
        self.type = spec.get('type') if isinstance(spec.get('type'), str) else 'any'
        # juggler's Text is a TEXT column as a String is (loopback-connector-
        # postgresql's buildColumnType): the column is a string one, only the
        # values it is given are not String()-coerced by the model (rows.py)
        self.text = self.type == 'text'
        if self.text:
            self.type = 'string'
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
    text = False

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
        if filters.js_truthy(cond.get('near')) and not filters.js_truthy(cond.get('regexp')):
            # memory's test: a near clause (maxDistance, unit...) matches every
            # row; find applies it in memory (dao/near.py), count and the
            # where-based writes ignore it, as juggler's memory connector
            return '', []
        for op in ops:
            if op not in filters.OPERATORS and op != 'near':
                raise bad_request('Unknown operator "%s" for property %s of model %s'
                                  % (op, col.prop, self.t.model), code='INVALID_OPERATOR')
        # The memory connector tests operators in this order; the first present wins.
        if filters.js_truthy(cond.get('regexp')):
            return self.c.regexp_sql(col, self._pattern(cond['regexp']), False)
        if filters.js_truthy(cond.get('inq')):
            return self._in(col, cond['inq'], True)
        if filters.js_truthy(cond.get('nin')):
            return self._in(col, cond['nin'], False)
        if 'neq' in cond:
            value = cond['neq']
            if value is None or value is filters.undefined:
                return '%s IS NOT NULL' % col.quoted, []
            db_value = self.value(col, value)
            if db_value is None:
                # a value with no SQL form ('x' for a number: NaN) equals nothing
                return '', []
            sql, params = self.c.equals_sql(col, db_value)
            return '(%s IS NULL OR NOT (%s))' % (col.quoted, sql), params
        if 'between' in cond:
            low, high = (list(cond['between']) + [None, None])[:2]
            if low is None and high is None:
                # juggler compares null with null (or undefined) as equal
                return '%s IS NULL' % col.quoted, []
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
                    # juggler: null compares equal to null and undefined, so
                    # gte/lte null match a missing value, gt/lt null nothing
                    if op in ('gte', 'lte'):
                        return '%s IS NULL' % col.quoted, []
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
        # a value with no SQL form ('x' for a number: NaN) equals nothing
        values = [v for v in values if v is not None]
        parts, params = [], []
        if values:
            # the dialect's form holds any number of values (one array or JSON
            # parameter where a list of placeholders would pass the driver's limit)
            sql, params = self.c.in_sql(col, values, wanted)
            parts.append(sql)
        if wanted:
            if has_null:
                parts.append('%s IS NULL' % col.quoted)
            if not parts:
                return '1=0', []
            return '(' + ' OR '.join(parts) + ')', params
        if has_null:
            parts.append('%s IS NOT NULL' % col.quoted)
            return '(' + ' AND '.join(parts) + ')', params
        if not parts:
            return '', []
        return '(%s IS NULL OR %s)' % (col.quoted, parts[0]), params

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
                return self.c.array_contains_any_sql(col, items)
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
            name = m.group(1)
            col = self.t.columns.get(name)
            if col is None and name.partition('.')[0] not in self.t.columns:
                # not a property: the dialect decides (raise, or leave it out)
                self.c.unknown_order_property(self.t, name)
                continue
            col = col or self._path_column(name, None)
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


_MAX_ROWS = 2 ** 63 - 1


def _paging(flt):
    def number(v):
        if not filters.js_truthy(v):
            return 0
        n = filters.js_to_number(v)
        if n != n or n <= 0:
            return 0
        # 64-bit SQL integers: a larger count means "all rows" (or none, as skip)
        return None if math.isinf(n) else min(int(n), _MAX_ROWS)
    limit = number(flt.get('limit'))
    skip = number(flt.get('skip')) or number(flt.get('offset'))
    return limit, skip
