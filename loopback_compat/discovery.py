"""Model definitions built from a database's own schema (discovery).

# LoopBack: DataSource.prototype.discoverSchemas (juggler lib/datasource.js)

:class:`SchemaDiscovery` is juggler's generic ``discoverSchemas`` over the
connector's discovery calls (``discoverModelProperties``,
``discoverPrimaryKeys``, ``discoverForeignKeys``): it asks for them together,
builds juggler's schema dicts (names through ``nameMapper``; by default
juggler's ``inventory_item`` -> ``InventoryItem``) and, with
``relations``/``associations``, follows foreign keys to the other tables.
"""

import re

from .errors import LoopBackError


def _from_db_name(name, camel):
    """juggler's discovery naming: 'inventory_item' -> 'InventoryItem' (camel:
    'inventoryItem'); parts split at '-' and '_', each lower-cased but its
    first letter."""
    if not name:
        return name
    parts = re.split('-|_', name)
    head = parts[0]
    parts[0] = head.lower() if camel else head[:1].upper() + head[1:].lower()
    return parts[0] + ''.join(p[:1].upper() + p[1:].lower() for p in parts[1:])


def _default_name_mapper(kind, name):
    if kind in ('table', 'model'):
        return _from_db_name(name, False)
    if kind == 'fk':
        return _from_db_name(name + 'Rel', True)
    return _from_db_name(name, True)


class SchemaDiscovery:
    """juggler's generic discoverSchemas over a connector's discovery calls."""

    def __init__(self, ds, table, options, done):
        self.ds = ds
        self.table = table
        self.options = options
        self.done = done
        mapper = options.get('nameMapper', _default_name_mapper)
        if mapper is None:
            mapper = lambda kind, name: name  # noqa: E731
        elif not callable(mapper):
            mapper = _default_name_mapper
        self.name = mapper
        self.follow = bool(options.get('associations') or options.get('relations'))

    def start(self):
        """Ask for columns, primary keys (and foreign keys) together."""
        calls = [self.ds.discoverModelProperties, self.ds.discoverPrimaryKeys]
        if self.follow:
            calls.append(self.ds.discoverForeignKeys)
        results = [None] * len(calls)
        state = {'left': len(calls), 'failed': False}

        def answer(i):
            def cb(err=None, value=None):
                if state['failed']:
                    return
                if err is not None:
                    state['failed'] = True
                    return self.done(err)
                results[i] = value
                state['left'] -= 1
                if state['left'] == 0:
                    self.build(*results)
            return cb
        for i, call in enumerate(calls):
            call(self.table, self.options, answer(i))

    def build(self, columns, primary_keys, foreign_keys=None):
        if not columns:
            return self.done(LoopBackError("Table '%s' does not exist." % self.table))
        db_type = getattr(self.ds.connector, 'name', None)
        pks = {pk['columnName']: pk['keySeq'] for pk in primary_keys or []}
        owner = columns[0].get('owner')
        schema = {'name': self.name('table', self.table),
                  'options': {'idInjection': False,
                              db_type: {'schema': owner, 'table': self.table}},
                  'properties': {}}
        for item in columns:
            prop = {'type': item.get('type'),
                    'required': item.get('nullable') in ('N', 'NO', 0, False),
                    'length': item.get('dataLength'),
                    'precision': item.get('dataPrecision'),
                    'scale': item.get('dataScale')}
            if pks.get(item['columnName']):
                prop['id'] = pks[item['columnName']]
            specific = prop[db_type] = {
                'columnName': item['columnName'], 'dataType': item.get('dataType'),
                'dataLength': item.get('dataLength'),
                'dataPrecision': item.get('dataPrecision'),
                'dataScale': item.get('dataScale'), 'nullable': item.get('nullable')}
            if isinstance(item.get(db_type), dict):
                specific.update(item[db_type])
            schema['properties'][self.name('column', item['columnName'])] = prop
        visited = self.options.setdefault('visited', {})
        visited.setdefault('%s.%s' % (owner, self.table), schema)
        others = self.relations(schema, foreign_keys or []) if self.follow else {}
        if not others:
            return self.done(None, visited)
        self.discover_others(others)

    def relations(self, schema, foreign_keys):
        """belongsTo relations from foreign keys; the tables still to discover."""
        visited = self.options['visited']
        schema['options']['relations'] = {}
        others = {}
        for fk in foreign_keys:
            name = self.name('fk', fk.get('fkName') or fk.get('pkTableName'))
            schema['options']['relations'][name] = {
                'model': self.name('table', fk.get('pkTableName')), 'type': 'belongsTo',
                'foreignKey': self.name('column', fk.get('fkColumnName'))}
            key = '%s.%s' % (fk.get('pkOwner'), fk.get('pkTableName'))
            if key not in visited and key not in others:
                others[key] = (fk.get('pkOwner'), fk.get('pkTableName'))
        return others

    def discover_others(self, others):
        """Discover the referenced tables; juggler answers with the first one's result."""
        results = [None] * len(others)
        state = {'left': len(others), 'err': None}

        def answer(i):
            def cb(err=None, value=None):
                state['err'] = state['err'] or err
                results[i] = value
                state['left'] -= 1
                if state['left'] == 0:
                    self.done(state['err'], results[0])
            return cb
        for i, (owner, table) in enumerate(others.values()):
            options = dict(self.options, owner=owner)
            self.ds.discoverSchemas(table, options, answer(i))
