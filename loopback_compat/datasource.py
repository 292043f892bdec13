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
import warnings

from .connectors.memory import Memory
from .dao import DataAccessObject
from .errors import LoopBackError
from .model import ModelBase, ModelDefinition, build_model_class
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


class ModelRedefinedWarning(UserWarning):
    """A model name was defined a second time on one data source."""


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
        or the name or class of a model defined before.
        """
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
        if name in self.models:
            # juggler replaces the model silently; old references keep the old class.
            warnings.warn(
                'Model "%s" is already defined on this data source; the new definition '
                'replaces it, while code holding the old class keeps the old one. Define '
                'each model once (or use a new DataSource).' % name, ModelRedefinedWarning,
                stacklevel=2)
        base = self._resolve_base(settings.get('base') or settings.get('super'))
        relations = settings.get('relations') or settings.get('relationships')
        model = build_model_class(name, properties, settings, base)
        self._attach(model)
        if relations:
            define_relations(model, relations)
        model_defined(model)
        return model

    define = createModel

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
