"""Data sources: connector registry, model definition and registry.

# LoopBack: lib/datasource.js (DataSource) and the define path of
#           lib/model-builder.js of loopback-datasource-juggler 3.x

This is the top of the data layer: it composes the final model base
classes (``Model`` = relations + observers + validations + ModelBase,
``PersistedModel`` = Model + the DAO) and wires each new model to its
connector and its relations.

    ds = DataSource('memory')                   # or DataSource({'connector': 'memory'})
    ds = DataSource('memory', file='db.json')   # persisted memory store
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Supplier = ds.createModel({'name': 'Supplier', 'base': 'PersistedModel',
                               'properties': {...}, 'relations': {...}})
    Supplier = loadModelDefinition(ds, 'common/models/supplier.json')

Connectors are registered by name (``register_connector('sqlite', Sqlite)``);
a connector is constructed as ``factory(settings, data_source)`` and must
implement the interface documented in connectors/memory.py.
"""

import json
import re
import warnings

from .connectors.memory import Memory
from .dao import DataAccessObject
from .errors import LoopBackError, ModelRedefinedWarning  # noqa: F401 - re-exported
from .model import ModelBase, ModelDefinition, build_model_class, definitions_changed
from .observer import ObserverMixin
from .promise import callback_and_promise
from .relations import RelationMixin, define_relations, model_defined

#: connector name -> factory(settings, data_source)
CONNECTORS = {'memory': Memory}


def register_connector(name, factory):
    """Make a connector available to ``DataSource(name)``.

    ``factory(settings, data_source)`` returns the connector instance.
    """
    CONNECTORS[name] = factory


class Model(RelationMixin, ObserverMixin, ModelBase):
    """LoopBack's base ``Model``: properties, validations, hooks, relations."""

    modelName = 'Model'
    definition = ModelDefinition('Model', {}, {})
    settings = definition.settings
    relations = {}
    _observers = {}


class PersistedModel(DataAccessObject, Model):
    """LoopBack's ``PersistedModel``: a Model with the DAO methods."""

    modelName = 'PersistedModel'
    definition = ModelDefinition('PersistedModel', {}, {})
    settings = definition.settings
    relations = {}
    _observers = {}


_BASES = {'Model': PersistedModel, 'PersistedModel': PersistedModel}

# Keys of a model-definition dict that are not settings.
_DEFINITION_KEYS = ('name', 'properties')


class DataSource:
    """A connection to one storage, and the registry of its models.

    # LoopBack: new DataSource([name], settings)

    ``DataSource('memory')``, ``DataSource({'connector': 'memory', ...})``,
    ``DataSource('memory', file='db.json')``; the connector may also be
    given as a connector class or instance in ``settings['connector']``.
    An unknown connector name raises LoopBackError at once, as juggler
    refuses to set up the data source.
    """

    def __init__(self, name=None, settings=None, **kwargs):
        if isinstance(name, dict) and settings is None:
            name, settings = None, name
        settings = dict(settings or {})
        settings.update(kwargs)
        connector = settings.get('connector') or name or 'memory'
        if isinstance(connector, str):
            factory = CONNECTORS.get(connector)
            if factory is None:
                raise LoopBackError('LoopBack connector "%s" is not installed' % connector)
            settings['connector'] = connector
            self.connector = factory(settings, self)
        elif isinstance(connector, type):
            self.connector = connector(settings, self)
        else:
            self.connector = connector
        self.name = settings.get('name') or name or getattr(self.connector, 'name', None)
        self.settings = settings
        self.models = {}
        self.definitions = {}
        self.connected = True

    def __repr__(self):
        return 'DataSource(%r)' % (self.name,)

    # -- models -----------------------------------------------------------

    def createModel(self, name, properties=None, settings=None, **kwargs):
        """Define a model attached to this data source and return its class.

        # LoopBack: ds.createModel(name, properties, settings) / ds.define(...)

        ``name`` may instead be a model-definition dict (as in
        common/models/<name>.json: name, base, idInjection, properties,
        relations, validations, acls, methods, options...).  Settings may be
        keyword arguments.  ``base`` is 'PersistedModel' (default), 'Model'
        or the name or class of a model defined before.  On a relational
        data source (SQLite, PostgreSQL) ``strict`` defaults to True and an
        explicit False becomes 'throw', as juggler's ``define`` does.
        """
        return self._create_model(name, properties, settings, kwargs)

    define = createModel

    def _create_model(self, name, properties, settings, kwargs, relational_strict=True):
        """createModel; ``relational_strict`` False skips the relational
        ``strict`` default, as LB3's loopback.createModel + app.model path
        (the one loopback-boot takes) never applies it: the model builder
        makes ``strict`` False and ``ds.attach`` leaves it."""
        if isinstance(name, dict):
            definition = name
            name = definition.get('name')
            properties = definition.get('properties')
            settings = {k: v for k, v in definition.items() if k not in _DEFINITION_KEYS}
            if isinstance(settings.get('options'), dict):
                settings = dict(settings, **settings.pop('options'))
        if not isinstance(name, str) or not name:
            raise LoopBackError('A model name is required')
        settings = dict(settings or {})
        settings.update(kwargs)
        if relational_strict and self.isRelational():
            _relational_strict(settings)
        if name in self.models:
            # juggler replaces the model silently; old references keep the old class.
            warnings.warn(
                'Model "%s" is already defined on this data source; the new definition '
                'replaces it, while code holding the old class keeps the old one. Define '
                'each model once (or use a new DataSource).' % name, ModelRedefinedWarning,
                stacklevel=3)
        base = self._resolve_base(settings.get('base') or settings.get('super'))
        relations = settings.get('relations') or settings.get('relationships')
        model = build_model_class(name, properties, settings, base)
        self._attach(model)
        if relations:
            define_relations(model, relations)
        model_defined(model)
        return model

    def _resolve_base(self, base):
        if base is None:
            return PersistedModel
        if isinstance(base, type) and issubclass(base, ModelBase):
            if not issubclass(base, DataAccessObject):
                return PersistedModel
            return base
        if isinstance(base, str):
            if base in self.models:
                return self.models[base]
            if base in _BASES:
                return _BASES[base]
        raise LoopBackError('Base model is not found: %s' % (base,))

    def _attach(self, model):
        """juggler's setupDataAccess: id type from the connector, connector.define."""
        model.dataSource = self
        definition = model.definition
        id_name = definition.idName()
        if id_name:
            id_prop = definition.properties[id_name]
            get_type = getattr(self.connector, 'getDefaultIdType', None)
            if id_prop.get('generated') and get_type is not None:
                id_prop['type'] = get_type() or 'string'
                definitions_changed()
        self.models[model.modelName] = model
        self.definitions[model.modelName] = definition
        define = getattr(self.connector, 'define', None)
        if define is not None:
            define({'model': model, 'properties': definition.properties,
                    'settings': model.settings})

    def defineProperty(self, model_name, name, spec):
        """Add a property to a model of this data source.

        # LoopBack: ds.defineProperty(model, prop, params)
        """
        model = self.models[model_name]
        model._define_property(name, spec)
        hook = getattr(self.connector, 'defineProperty', None)
        if hook is not None:
            hook(model_name, name, model.definition.properties[name])

    def attach(self, model):
        """Attach a model class built elsewhere (juggler's ds.attach)."""
        self._attach(model)
        return model

    def getModel(self, name, forceCreate=False):
        """The model called exactly ``name``, or None.

        # LoopBack: ds.getModel(name)
        """
        return self.models.get(name)

    def getModelDefinition(self, name):
        return self.definitions.get(name)

    # -- migration --------------------------------------------------------

    def automigrate(self, models=None, cb=None):
        """Create (memory: empty, counters reset) the storage of models.

        # LoopBack: ds.automigrate([models], [cb])

        ``models``: a name, a list of names, or None for all.  A name not
        attached here is an error 'Cannot migrate models not attached to
        this datasource: X'.
        """
        return self._migrate('automigrate', models, cb)

    def autoupdate(self, models=None, cb=None):
        """Create missing storage and keep the data (memory: nothing to do).

        # LoopBack: ds.autoupdate([models], [cb])
        """
        return self._migrate('autoupdate', models, cb)

    def _migrate(self, method, models, cb):
        if cb is None and callable(models):
            models, cb = None, models
        done, promise = callback_and_promise(cb)
        if isinstance(models, str):
            models = [models]
        fn = getattr(self.connector, method, None)
        if fn is None:
            done(None)
        else:
            fn(models, lambda err=None, *_: done(err))
        return promise

    def isActual(self, models=None, cb=None):
        """cb(err, True) when the storage needs no migration for ``models``.

        # LoopBack: ds.isActual([models], cb)
        A connector without ``isActual`` is always up to date (True).
        """
        if cb is None and callable(models):
            models, cb = None, models
        done, promise = callback_and_promise(cb)
        fn = getattr(self.connector, 'isActual', None)
        if fn is None:
            done(None, True)
        else:
            fn(models, done)
        return promise

    # -- connector capabilities -------------------------------------------

    def isRelational(self):
        """True when the connector is a relational database.

        # LoopBack: ds.isRelational() (the connector's ``relational`` flag)
        """
        return bool(getattr(self.connector, 'relational', False))

    def ping(self, cb=None):
        """cb(err) once the storage answers.

        # LoopBack: ds.ping([cb])
        Without a connector ``ping`` juggler asks for the properties of a
        table called 'dummy' (when the connector discovers), else reports
        'Not connected' unless the data source is connected.
        """
        done, promise = callback_and_promise(cb)
        connector = self.connector
        if getattr(connector, 'ping', None) is not None:
            connector.ping(done)
        elif getattr(connector, 'discoverModelProperties', None) is not None:
            self.discoverModelProperties('dummy', {}, done)
        else:
            done(None if self.connected else LoopBackError('Not connected'))
        return promise

    def execute(self, command, args=None, options=None, cb=None):
        """Run a native command (SQL text with parameters) on the connector.

        # LoopBack 4 juggler: ds.execute(command, [args], [options]) -> Promise
        (juggler 3.x has no such method; LB3 code calls
        ``ds.connector.execute(sql, params, cb)``, which works here too).
        A connector without ``execute`` gives an error with code
        'NOT_IMPLEMENTED'.  The result is the connector's: rows for a query.
        """
        if cb is None and callable(options):
            options, cb = None, options
        if cb is None and callable(args):
            args, cb = None, args
        done, promise = callback_and_promise(cb)
        fn = getattr(self.connector, 'execute', None)
        if fn is None:
            done(LoopBackError(
                'The connector "%s" used by dataSource "%s" does not implement "execute()" API.'
                % (getattr(self.connector, 'name', None), self.name), code='NOT_IMPLEMENTED'))
        else:
            fn(command, list(args or []), dict(options or {}),
               lambda err=None, *result: done(err, *result[:1]))
        return promise

    # -- discovery --------------------------------------------------------

    def _discover(self, method, args, cb):
        """Forward a discovery call; a connector without it answers nothing."""
        done, promise = callback_and_promise(cb)
        fn = getattr(self.connector, method, None)
        if fn is None:
            done(None)
        else:
            fn(*args, done)
        return promise

    def discoverModelDefinitions(self, options=None, cb=None):
        """cb(err, [{'type': 'table'|'view', 'name', 'owner'}]).

        # LoopBack: ds.discoverModelDefinitions([options], [cb])
        Options: ``owner``/``schema``, ``all``, ``views``.  A connector that
        cannot discover calls back with no result.
        """
        if cb is None and callable(options):
            options, cb = None, options
        return self._discover('discoverModelDefinitions', (dict(options or {}),), cb)

    def discoverModelProperties(self, table, options=None, cb=None):
        """cb(err, [{owner, tableName, columnName, dataType, dataLength,
        dataPrecision, dataScale, nullable, type}]).

        # LoopBack: ds.discoverModelProperties(table, [options], [cb])
        """
        if cb is None and callable(options):
            options, cb = None, options
        return self._discover('discoverModelProperties', (table, dict(options or {})), cb)

    def discoverPrimaryKeys(self, table, options=None, cb=None):
        """cb(err, [{owner, tableName, columnName, keySeq, pkName}]).

        # LoopBack: ds.discoverPrimaryKeys(table, [options], [cb])
        """
        if cb is None and callable(options):
            options, cb = None, options
        return self._discover('discoverPrimaryKeys', (table, dict(options or {})), cb)

    def discoverForeignKeys(self, table, options=None, cb=None):
        """cb(err, [{fkOwner, fkName, fkTableName, fkColumnName, keySeq,
        pkOwner, pkName, pkTableName, pkColumnName}]).

        # LoopBack: ds.discoverForeignKeys(table, [options], [cb])
        """
        if cb is None and callable(options):
            options, cb = None, options
        return self._discover('discoverForeignKeys', (table, dict(options or {})), cb)

    def discoverSchema(self, table, options=None, cb=None):
        """cb(err, model definition) of one table, relations not followed.

        # LoopBack: ds.discoverSchema(tableName, [options], [cb])
        See :meth:`discoverSchemas` for the definition's shape.
        """
        if cb is None and callable(options):
            options, cb = None, options
        options = dict(options or {}, visited={}, relations=False)
        done, promise = callback_and_promise(cb)

        def found(err, schemas=None):
            if err is not None or not schemas:
                return done(err, schemas)
            done(None, next(iter(schemas.values())))
        self.discoverSchemas(table, options, found)
        return promise

    def discoverSchemas(self, table, options=None, cb=None):
        """cb(err, {'owner.table': definition, ...}) read from the database.

        # LoopBack: ds.discoverSchemas(tableName, [options], [cb])
        A definition is ``{'name': 'InventoryItem', 'options': {'idInjection':
        False, <connector name>: {'schema': owner, 'table': table}},
        'properties': {'productId': {'type', 'required', 'length',
        'precision', 'scale', 'id'?, <connector name>: {columnName,
        dataType, dataLength, dataPrecision, dataScale, nullable}}}}``.
        Names go through ``options['nameMapper']`` (None: unchanged; default:
        product_id -> productId, inventory_item -> InventoryItem).  With
        ``relations``/``associations`` the foreign keys become belongsTo
        relations and the referenced tables are discovered too.  A table
        without columns is the error "Table 'x' does not exist." (no
        statusCode), as juggler.
        """
        if cb is None and callable(options):
            options, cb = None, options
        options = options if isinstance(options, dict) else {}
        done, promise = callback_and_promise(cb)
        fn = getattr(self.connector, 'discoverSchemas', None)
        if fn is not None:
            fn(table, options, done)
            return promise
        _SchemaDiscovery(self, table, options, done).start()
        return promise

    # -- connection -------------------------------------------------------

    def connect(self, cb=None):
        done, promise = callback_and_promise(cb)
        self.connector.connect(lambda err=None, *_: done(err))
        return promise

    def disconnect(self, cb=None):
        """# LoopBack: ds.disconnect([cb])"""
        done, promise = callback_and_promise(cb)
        self.connected = False
        self.connector.disconnect(lambda err=None, *_: done(err))
        return promise


def _relational_strict(settings):
    """juggler's default for models defined on a relational data source:
    ``strict`` unset -> True, ``strict`` False -> 'throw' (which juggler 3
    then treats like True: unknown properties fail validation)."""
    if settings.get('strict') is None:
        settings['strict'] = True
    if settings.get('strict') is False:
        settings['strict'] = 'throw'


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


class _SchemaDiscovery:
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
            DataSource.discoverSchemas(self.ds, table, options, answer(i))


def createDataSource(name=None, settings=None, **kwargs):
    """# LoopBack: loopback.createDataSource(name, settings)"""
    return DataSource(name, settings, **kwargs)


def loadModelDefinition(ds, path):
    """Define a model from a LoopBack model-definition JSON file.

    # LoopBack: the model config of common/models/<name>.json

    A missing file or invalid JSON raises LoopBackError naming the file.
    """
    try:
        with open(path, 'r', encoding='utf-8') as fh:
            definition = json.load(fh)
    except OSError as exc:
        raise LoopBackError('Cannot read model definition %s: %s' % (path, exc))
    except ValueError as exc:
        raise LoopBackError('Invalid JSON in model definition %s: %s' % (path, exc))
    if not isinstance(definition, dict):
        raise LoopBackError('Model definition %s is not a JSON object' % path)
    return ds.createModel(definition)


# The SQL connectors (their drivers are imported when a data source is created).
from .connectors.sqlite import SQLite  # noqa: E402
from .connectors.postgresql import PostgreSQL  # noqa: E402

register_connector('sqlite', SQLite)
register_connector('sqlite3', SQLite)
register_connector('postgresql', PostgreSQL)
