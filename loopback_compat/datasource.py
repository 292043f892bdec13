"""Data sources: connector registry, model definition and registry.

# LoopBack: lib/datasource.js (DataSource) and the define path of
#           lib/model-builder.js of loopback-datasource-juggler 3.x

This is the top of the data layer: it wires each model to its connector
and its relations.  The model classes themselves come from the data
source's model builder (model_builder.py: ``Model``, ``PersistedModel``,
``ModelBuilder``); ``ds.models`` is ``ds.modelBuilder.models``.

    ds = DataSource('memory')                   # or DataSource({'connector': 'memory'})
    ds = DataSource('memory', file='db.json')   # persisted memory store
    ds = DataSource('db', {'connector': 'memory'}, builder)   # a ModelBuilder of one's own
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Supplier = ds.createModel({'name': 'Supplier', 'base': 'PersistedModel',
                               'properties': {...}, 'relations': {...}})
    Supplier = loadModelDefinition(ds, 'common/models/supplier.json')
    Color.attachTo(ds)                          # a model defined elsewhere

Connectors are registered by name (``register_connector('sqlite', Sqlite)``);
a connector is constructed as ``factory(settings, data_source)`` and
implements the contract of connectors/base.py (a ``Connector``).  What it
can do beyond the required methods is ``connector.capabilities``, which the
calls below test (juggler's ``if (connector.ping)``...).  A name is resolved
as juggler resolves it (connector_registry.py: the registered connector,
``loopback-connector-<name>``, then the name as a module or path).  As LB3
resolves connector modules, ``settings['connector']`` may also be an object
with ``initialize(dataSource, cb)``: it is called, sets ``ds.connector`` and
calls back ``cb(err, [result])`` (``result`` False: connected later).
"""

import json
import re
import warnings
from urllib.parse import parse_qs, unquote, urlsplit

from .connector_registry import CONNECTORS, register_connector, resolve_connector  # noqa: F401
from .connectors.base import adopt
from .connectors.memory import Memory
from .connectors.mail import MailConnector
from .connectors.transient import Transient
from .discovery import SchemaDiscovery
from .errors import LoopBackError, ModelRedefinedWarning  # noqa: F401 - re-exported
from .events import EventEmitter
from .invocation_queue import queue_invocation
from .loop import nextTick
from .model import definitions_changed
from .model_builder import (  # noqa: F401 - Model and PersistedModel are re-exported
    ClassOnly, Model, ModelBuilder, PersistedModel, _extend, emit_model_event,
    ensure_data_access)
from .promise import callback_and_promise
from .relations import define_relations, define_scopes, model_defined

register_connector('memory', Memory)
register_connector('transient', Transient)
register_connector('mail', MailConnector)


# Keys of a model-definition dict that are not settings.
_DEFINITION_KEYS = ('name', 'properties')


class DataSource(EventEmitter):
    """A connection to one storage, and the registry of its models.

    # LoopBack: new DataSource([name], settings, [modelBuilder])

    ``DataSource('memory')``, ``DataSource({'connector': 'memory'})``,
    ``DataSource('db', {'connector': 'memory'})``, ``DataSource('memory',
    file='db.json')``; the connector may also be given as a connector class
    or instance in ``settings['connector']``, or as an object with
    ``initialize(dataSource, cb)`` (LB3's connector modules) in place of the
    settings or of the name.  ``modelBuilder`` (default: a new
    :class:`ModelBuilder`) holds the models (``ds.models``).  An unknown
    connector name raises LoopBackError at once, as juggler refuses to set
    up the data source; an error raised while the connector is set up is
    re-raised with ``Cannot initialize connector "<name>": `` in front of
    its message.

    States (juggler's): ``initialized`` once the connector is set up,
    ``connected`` once it is connected (at once for the built-in
    connectors), ``connecting`` while ``connect()`` waits; the events
    ``initialized``, ``connected`` and ``error`` (``ds.on(event, fn)``).
    """

    # juggler carries these type names over from ModelBuilder
    Text = ModelBuilder.Text
    JSON = ModelBuilder.JSON
    Any = ModelBuilder.Any

    def __init__(self, name=None, settings=None, modelBuilder=None, **kwargs):
        self.modelBuilder = modelBuilder if modelBuilder is not None else ModelBuilder()
        self.models = self.modelBuilder.models
        self.definitions = self.modelBuilder.definitions
        self.connector = None
        self.connected = False
        self.connecting = False
        self.initialized = False
        self._pending_connect = []
        self._setup(name, settings, kwargs)

    def _setup(self, name, settings, kwargs):
        """juggler's ``setup(dsName, settings)``: settings, name, connector."""
        connector = None
        if isinstance(name, str) and '://' in name:    # DataSource(url, [settings])
            parsed = _parse_url_settings(name)
            if isinstance(settings, dict):
                name, settings = None, dict(parsed, **settings)
            else:
                name = parsed
        if isinstance(settings, str) and '://' in settings:
            settings = _parse_url_settings(settings)
        if isinstance(name, dict) and settings is None:
            name, settings = None, name         # DataSource(settings)
        elif name is not None and not isinstance(name, str):
            connector, name = name, None        # DataSource(connector, [settings])
        if settings is not None and not isinstance(settings, dict):
            connector, settings = settings, None  # DataSource(name, connector)
        settings = dict(settings) if isinstance(settings, dict) else {}
        settings.update(kwargs)
        if connector is None:
            connector = settings.get('connector') or settings.get('adapter')
        self.settings = settings
        self.name = name or (settings['name'] if isinstance(settings.get('name'), str) else None)
        if isinstance(connector, str):
            connector_name, connector = connector, None
        elif connector is not None and not isinstance(connector, type):
            connector_name = getattr(connector, 'name', None)
        else:
            connector_name = name
        if connector is None and not connector_name:
            connector_name = 'memory'
        if connector is None:
            found = resolve_connector(connector_name)
            connector = found['connector']
            if connector is None:
                raise LoopBackError(found['error'])
            settings['connector'] = connector_name
        try:
            if _is_connector_module(connector):
                connector.initialize(self, self._post_init)
            else:
                if callable(connector):   # a class, or a registered factory
                    self.connector = connector(settings, self)
                else:
                    self.connector = connector
                self._post_init()
        except Exception as err:
            _prefix_message(err, 'Cannot initialize connector "%s": ' % (connector_name,))
            raise
        if not self.name:
            self.name = connector_name or getattr(self.connector, 'name', None)

    def _post_init(self, err=None, result=None, *_):
        """juggler's postInit: the connector is set up (``cb(err, result)``)."""
        connector = self.connector
        if connector is None:
            raise LoopBackError('Connector is not defined correctly: it should create '
                                '`connector` member of dataSource')
        if getattr(connector, 'dataSource', None) is None:
            try:
                connector.dataSource = self
            except AttributeError:
                pass
        if err is None:
            self.initialized = True
            self.emit('initialized')
        if not self.settings.get('lazyConnect'):
            self.connected = err is None and result is not False
        if self.connected:
            self.emit('connected')
        elif err is not None:
            self.connecting = False
            self.emit('error', err)

    def __repr__(self):
        return 'DataSource(%r)' % (self.name,)

    #: ``DataSource._resolveConnector(name, [loader])``: ``{'connector', 'error'}``
    #: (connector_registry.py: the registry, then modules, in juggler's order)
    _resolveConnector = staticmethod(resolve_connector)

    def __setattr__(self, name, value):
        # However a connector arrives (constructed here, or set by a connector
        # module's initialize), it has what callers read: ``capabilities`` and
        # the flags (connectors/base.py adopt).  Not on any per-call path.
        if name == 'connector' and value is not None:
            adopt(value)
        super().__setattr__(name, value)

    # -- models -----------------------------------------------------------

    def createModel(self, name, properties=None, settings=None, **kwargs):
        """Define a model attached to this data source and return its class.

        # LoopBack: ds.createModel(name, properties, settings) / ds.define(...)

        ``name`` may instead be a model-definition dict (as in
        common/models/<name>.json: name, base, idInjection, properties,
        relations, validations, acls, methods, options...).  Settings may be
        keyword arguments.  ``base`` is 'PersistedModel' (default), 'Model'
        or the name or class of a model defined before (in this data
        source's model builder): the new model extends it, its settings
        merged as juggler merges them (:meth:`Model.extend`).  On a
        relational data source (SQLite, PostgreSQL) ``strict`` defaults to
        True and an explicit False becomes 'throw', as juggler's ``define``
        does.  The ``mixins`` setting is applied; the ``relations`` setting
        defines the model's relations.
        """
        return self._create_model(name, properties, settings, kwargs)

    define = createModel

    def _create_model(self, name, properties, settings, kwargs, relational_strict=True):
        """createModel; ``relational_strict`` False skips the relational
        ``strict`` default, as LB3's loopback.createModel + app.model path
        (the one loopback-boot takes) never applies it: the model builder
        makes ``strict`` False and ``ds.attach`` leaves it.  That path also
        derives the model as LB3's registry does (``Base.extend``), so a
        sub-model inherits ``strict`` and the other settings of its base."""
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
        existing = self.models.get(name)
        if existing is not None and not (existing.__dict__.get('settings') or {}).get('unresolved'):
            # juggler replaces the model silently; old references keep the old class.
            warnings.warn(
                'Model "%s" is already defined on this data source; the new definition '
                'replaces it, while code holding the old class keeps the old one. Define '
                'each model once (or use a new DataSource).' % name, ModelRedefinedWarning,
                stacklevel=3)
        builder = self.modelBuilder
        if relational_strict:
            default_base = PersistedModel if builder.defaultModelBaseClass is Model else None
            model = builder._define(name, properties, settings, None, default_base)
        else:
            # LB3's registry.createModel: BaseModel.extend(name, properties, options)
            base = builder._resolve_base(settings.get('base') or settings.get('super')
                                         or PersistedModel)
            model = _extend(base, name, properties, settings, builder)
        if model.settings.get('unresolved'):
            return model
        model.dataSource = self
        self._setup_data_access(model, model.settings)
        emit_model_event(model, 'dataSourceAttached', model)
        model_defined(model)
        return model

    def _setup_data_access(self, model, settings):
        """juggler's setupDataAccess: the DAO methods, the id type from the
        connector, connector.define, the relations and scopes of ``settings``.
        A connector with a ``DataAccessObject`` of its own (the mail
        connector's Mailer) gives its methods instead of the database DAO's."""
        dao = getattr(self.connector, 'DataAccessObject', None)
        if dao is not None and hasattr(dao, 'members'):
            _mixin_connector_dao(model, dao)
        else:
            ensure_data_access(model)
        self._attach(model)
        relations = settings.get('relationships') or settings.get('relations')
        if relations:
            define_relations(model, relations)
        emit_model_event(model, 'dataAccessConfigured', model)
        scopes = settings.get('scopes')
        if scopes:
            define_scopes(model, scopes)

    def defineScopes(self, modelClass, scopes):
        """Define a named scope on ``modelClass`` for each ``name -> filter`` of ``scopes``.

        # LoopBack: dataSource.defineScopes(modelClass, scopes)
        """
        define_scopes(modelClass, scopes)

    def _attach(self, model):
        """The id type from the connector, the registry, connector.define."""
        model.dataSource = self
        if '_filter_info' in model.__dict__:
            del model._filter_info   # it reads this data source's settings
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
        """Attach a model class defined elsewhere (``Model.attachTo(ds)``):
        it joins this data source's registry and gets the data-access
        methods (PersistedModel among its bases), the connector's id type
        and the relations of its settings; ``dataSourceAttached`` is emitted
        (mixins waiting for a data source run then).

        # LoopBack: ds.attach(modelClass)
        """
        if getattr(model, 'dataSource', None) is self:
            return model
        if getattr(model, 'modelBuilder', None) is not self.modelBuilder:
            self.modelBuilder.definitions[model.modelName] = model.definition
            self.modelBuilder.models[model.modelName] = model
            type.__setattr__(model, 'modelBuilder', ClassOnly(self.modelBuilder))
        model.dataSource = self
        self._setup_data_access(model, model.settings)
        emit_model_event(model, 'dataSourceAttached', model)
        model_defined(model)
        return model

    def getModel(self, name, forceCreate=False):
        """The model called exactly ``name``, or None (with ``forceCreate``,
        a placeholder defined later: ModelBuilder.getModel).

        # LoopBack: ds.getModel(name, [forceCreate])
        """
        return self.modelBuilder.getModel(name, forceCreate)

    def getModelDefinition(self, name):
        return self.definitions.get(name)

    def deleteModelByName(self, modelName):
        """Remove a model from the registry and from the connector's.

        # LoopBack: ds.deleteModelByName(modelName)
        """
        self.modelBuilder.deleteModelByName(modelName)
        models = getattr(self.connector, '_models', None)
        if isinstance(models, dict):
            models.pop(modelName, None)

    def getMaxOfflineRequests(self):
        """``settings['maxOfflineRequests']`` (default 16).

        # LoopBack: ds.getMaxOfflineRequests()
        """
        value = self.settings.get('maxOfflineRequests')
        if not value:
            return 16
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise LoopBackError('maxOfflineRequests must be a number')
        return value

    def getTypes(self):
        """The connector's types, e.g. ['db', 'nosql', 'memory'].

        # LoopBack: ds.getTypes()
        """
        get_types = getattr(self.connector, 'getTypes', None)
        types = (get_types() if callable(get_types) else None) or []
        if isinstance(types, str):
            types = [t for t in re.split(r'[\s,/]+', types) if t]
        return list(types)

    def supportTypes(self, types):
        """Whether the connector has all of ``types`` (a name or a list).

        # LoopBack: ds.supportTypes(types)
        """
        supported = self.getTypes()
        if isinstance(types, (list, tuple)):
            return all(t in supported for t in types)
        return types in supported

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
        """juggler's automigrate/autoupdate: a connector without the method
        has nothing to do; one that keeps ``_models`` (its attached models)
        gets the names (all of them by default), after the check that each
        is attached ('Cannot migrate models not attached to this
        datasource: a b')."""
        if cb is None and callable(models):
            models, cb = None, models
        done, promise = callback_and_promise(cb)
        if isinstance(models, str):
            models = [models]
        if method not in self.connector.capabilities:
            done(None)
            return promise
        attached = getattr(self.connector, '_models', None)
        if isinstance(attached, dict):
            models = list(models) if models else list(attached)
            if not models:
                done(None)
                return promise
            invalid = [name for name in models if name not in attached]
            if invalid:
                # a tick later, as a connector's answer would come
                nextTick(done, LoopBackError(
                    'Cannot migrate models not attached to this datasource: %s'
                    % ' '.join(map(str, invalid))))
                return promise
        getattr(self.connector, method)(models, lambda err=None, *_: done(err))
        return promise

    def isActual(self, models=None, cb=None):
        """cb(err, True) when the storage needs no migration for ``models``.

        # LoopBack: ds.isActual([models], cb)
        A connector without ``isActual`` is always up to date (True).
        """
        if cb is None and callable(models):
            models, cb = None, models
        done, promise = callback_and_promise(cb)
        if 'isActual' not in self.connector.capabilities:
            done(None, True)
        else:
            self.connector.isActual(models, done)
        return promise

    # -- connector capabilities -------------------------------------------

    def isRelational(self):
        """True when the connector is a relational database.

        # LoopBack: ds.isRelational() (the connector's ``relational`` flag)
        """
        return bool(self.connector.relational)

    def ping(self, cb=None):
        """cb(err) once the storage answers.

        # LoopBack: ds.ping([cb])
        Without a connector ``ping`` juggler asks for the properties of a
        table called 'dummy' (when the connector discovers), else reports
        'Not connected' unless the data source is connected.
        """
        done, promise = callback_and_promise(cb)
        connector = self.connector
        if 'ping' in connector.capabilities:
            connector.ping(done)
        elif 'discoverModelProperties' in connector.capabilities:
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
        if 'execute' not in self.connector.capabilities:
            done(LoopBackError(
                'The connector "%s" used by dataSource "%s" does not implement "execute()" API.'
                % (getattr(self.connector, 'name', None), self.name), code='NOT_IMPLEMENTED'))
        else:
            self.connector.execute(command, list(args or []), dict(options or {}),
                                   lambda err=None, *result: done(err, *result[:1]))
        return promise

    # -- discovery --------------------------------------------------------

    def _discover(self, method, args, cb):
        """Forward a discovery call; a connector without it answers nothing."""
        done, promise = callback_and_promise(cb)
        if method not in self.connector.capabilities:
            done(None)
        else:
            getattr(self.connector, method)(*args, done)
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
        if 'discoverSchemas' in self.connector.capabilities:
            self.connector.discoverSchemas(table, options, done)
            return promise
        SchemaDiscovery(self, table, options, done).start()
        return promise

    # -- connection -------------------------------------------------------

    def ready(self, fn, *args):
        """Defer ``fn(*args)`` until this data source is connected: True when
        deferred, False when connected already (the caller goes on at once).

        # LoopBack: dataSource.ready(obj, args) / queueInvocation -- what
        #           juggler's DAO methods call first (stillConnecting)

        See :func:`loopback_compat.invocation_queue.queue_invocation`.
        """
        if self.connected:
            return False
        return queue_invocation(self, fn, args)

    queueInvocation = ready

    def connect(self, cb=None):
        """Connect (once) to the storage: ``cb(err)``.

        # LoopBack: ds.connect([cb])

        Already connected: ``cb()`` on the next tick.  Else the connector's
        ``connect`` is called once for all the calls made meanwhile
        (``ds.connecting`` is True until it answers), then ``connected`` or
        ``error`` is emitted and every waiting callback called.
        """
        done, promise = callback_and_promise(cb)
        if self.connected:
            done(None)
            return promise
        connect = getattr(self.connector, 'connect', None)
        if not callable(connect):
            self.connected = True
            self.connecting = False

            def connected_now():
                self.emit('connected')
                done(None)
            nextTick(connected_now)
            return promise
        self._pending_connect.append(done)
        if self.connecting:
            return promise

        def connected(err=None, *_):
            self.connecting = False
            if err is None:
                self.connected = True
            waiting, self._pending_connect = self._pending_connect, []
            self.emit('connected' if err is None else 'error', *(() if err is None else (err,)))
            for fn in waiting:
                fn(err)
        self.connecting = True
        connect(connected)
        return promise

    def disconnect(self, cb=None):
        """# LoopBack: ds.disconnect([cb])"""
        done, promise = callback_and_promise(cb)
        self.connected = False
        self.connector.disconnect(lambda err=None, *_: done(err))
        return promise


def _parse_url_settings(url):
    """juggler's utils.parseSettings: the settings a connection URL spells
    ('memory://localhost/mydb?x=1' -> connector 'memory', host, database, x...)."""
    parts = urlsplit(url)
    settings = {'connector': parts.scheme or None, 'host': parts.hostname,
                'hostname': parts.hostname, 'url': url}
    try:
        port = parts.port
    except ValueError:
        port = None
    if port:
        settings['port'] = port
    if parts.username:
        settings['user'] = settings['username'] = unquote(parts.username)
    if parts.password:
        settings['password'] = unquote(parts.password)
    database = parts.path.split('/')[1] if parts.path.startswith('/') else None
    if database:
        settings['database'] = database
    for key, value in parse_qs(parts.query).items():
        settings[key] = value[0] if len(value) == 1 else value
    return {key: value for key, value in settings.items() if value is not None}


def _mixin_connector_dao(model, dao):
    """juggler's ``mixin(ModelCtor)`` with a connector's own DataAccessObject:
    its members (descriptors that answer the class and its instances),
    overriding what the model had."""
    for name, member in dao.members.items():
        type.__setattr__(model, name, member)


def _is_connector_module(value):
    """An LB3 connector module: an object (not a class, not settings) with
    ``initialize(dataSource, cb)``."""
    return value is not None and not isinstance(value, (dict, str, type)) and \
        callable(getattr(value, 'initialize', None))


def _prefix_message(err, prefix):
    """juggler rewrites ``err.message`` of a failed connector set-up."""
    message = getattr(err, 'message', None)
    if isinstance(message, str):
        try:
            err.message = prefix + message
        except AttributeError:
            return
        if err.args and err.args[0] == message:
            err.args = (err.message,) + err.args[1:]
    elif err.args and isinstance(err.args[0], str):
        err.args = (prefix + err.args[0],) + err.args[1:]


def _relational_strict(settings):
    """juggler's default for models defined on a relational data source:
    ``strict`` unset -> True, ``strict`` False -> 'throw' (which juggler 3
    then treats like True: unknown properties fail validation)."""
    if settings.get('strict') is None:
        settings['strict'] = True
    if settings.get('strict') is False:
        settings['strict'] = 'throw'


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
from .connectors.sql.sqlite import SQLite  # noqa: E402
from .connectors.sql.postgresql import PostgreSQL  # noqa: E402

register_connector('sqlite', SQLite)
register_connector('sqlite3', SQLite)
register_connector('postgresql', PostgreSQL)
