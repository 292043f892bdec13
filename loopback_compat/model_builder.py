"""The base model classes and the model builder: define, extend, attach, mixins.

# LoopBack: lib/model-builder.js (ModelBuilder: define, extend, mergeSettings)
#           and the statics of lib/model.js (mixin, getMergePolicy) of
#           loopback-datasource-juggler 3.x

This module composes the base classes every model derives from:

- :class:`Model` -- juggler's ModelBaseClass (properties, validations,
  operation hooks, relations, model events) with the class statics
  ``extend``, ``attachTo``, ``mixin``, ``getMergePolicy``;
- :class:`PersistedModel` -- a Model with the data-access methods (the DAO).

and :class:`ModelBuilder`, the registry the models of a data source live in
(``ds.modelBuilder``; ``ds.models`` is ``ds.modelBuilder.models``)::

    builder = ModelBuilder()
    User = builder.define('User', {'name': str})               # no data source
    Customer = User.extend('Customer', {'vip': bool})          # or base='User'
    ds = DataSource('db', {'connector': 'memory'}, builder)    # shares the registry
    Customer.attachTo(ds)                                      # now it has find(), create()...

Inheritance is Python's: ``Customer.base is User`` and ``issubclass(Customer,
User)``.  A sub-model gets a copy of its base's properties (a property set
to None or False in the sub-model removes it; a sub-model with an id of its
own drops the inherited ids) and its base's settings merged by the base's
merge policy (:meth:`Model.getMergePolicy`), as juggler's ``extend`` does.
Observers of a base model run before a sub-model's own (observer.py).

A model defined without a data source has no data-access methods;
attaching it (``ds.attach(M)``, ``M.attachTo(ds)``, or its base attached
through ``ds.createModel``) adds :class:`PersistedModel` to its bases (juggler
copies the DAO functions onto the class instead).  Methods a model class
defines itself therefore keep precedence over the DAO's.
"""

from .dao import DataAccessObject
from .errors import AssertionError_, LoopBackError
from .events import (EventEmitter, add_listener, call_fitted, emit_event, listeners_of,
                     remove_listener)
from .inflection import pluralize
from .js.values import UNDEFINED, strict_equal
from .mixins import MixinProvider, is_model_class, mix_into
from .model import ModelBase, ModelDefinition, build_model_class, definitions_changed
from .model.loading import BASE_LOOKUPS
from .model.properties import PropertyDescriptor, register_property
from .observer import ObserverMixin
from .observer import _changed as _observers_changed
from .relations import RelationMixin

__all__ = ['Model', 'PersistedModel', 'ModelBuilder', 'ModelEvents', 'ClassOnly', 'deep_merge',
           'emit_model_event', 'ensure_data_access', 'merge_settings']


# ---------------------------------------------------------------------------
# Merge policies (ModelBaseClass.getMergePolicy)

def _legacy_merge_policy():
    return {
        'description': {'replace': True},
        'properties': {'patch': True},
        'hidden': {'replace': False},
        'protected': {'replace': False},
        'relations': {'patch': True},
        'acls': {'rank': True},
    }


def _recommended_merge_policy():
    return {
        'description': {'replace': True},
        'options': {'patch': True},
        'hidden': {'replace': False},
        'protected': {'replace': False},
        'indexes': {'patch': True},
        'methods': {'patch': True},
        'mixins': {'patch': True},
        'relations': {'patch': True},
        'scope': {'replace': True},
        'scopes': {'patch': True},
        'acls': {'rank': True},
        '__delete': None,
        '__default': {'replace': True},
    }


# ---------------------------------------------------------------------------
# Statics and model events

class ClassOnly:
    """A static of model classes that their instances do not see.

    juggler's statics live on the constructor, not on the prototype, so
    ``inst.base`` or ``inst.on`` is an instance's own (dynamic) property or
    undefined; read on an instance, such a name falls through to the
    instance's data here too.  Wraps a value or a classmethod.
    """

    __slots__ = ('value',)

    def __init__(self, value):
        self.value = value

    def __get__(self, inst, owner):
        if inst is not None:
            raise AttributeError(self)
        value = self.value
        if isinstance(value, classmethod):
            return value.__get__(None, owner)
        return value


def static(fn):
    """A classmethod that only the class sees (see :class:`ClassOnly`)."""
    return ClassOnly(classmethod(fn))


class ModelEvents:
    """Node's EventEmitter methods on model classes (``Model.on('attached',
    fn)``): each class keeps listeners of its own, never its base's nor its
    subclasses' (juggler binds one emitter per class)."""

    def _event_map(cls):
        events = cls.__dict__.get('_events')
        if events is None:
            events = {}
            type.__setattr__(cls, '_events', events)
        return events

    _event_map = static(_event_map)

    @static
    def on(cls, event, listener):
        add_listener(cls._event_map(), event, listener)
        return cls

    addListener = on

    @static
    def prependListener(cls, event, listener):
        add_listener(cls._event_map(), event, listener, prepend=True)
        return cls

    @static
    def once(cls, event, listener):
        add_listener(cls._event_map(), event, listener, once=True)
        return cls

    @static
    def removeListener(cls, event, listener):
        remove_listener(cls._event_map(), event, listener)
        return cls

    off = removeListener

    @static
    def removeAllListeners(cls, event=None):
        if event is None:
            cls._event_map().clear()
        else:
            cls._event_map().pop(event, None)
        return cls

    @static
    def emit(cls, event, *args):
        return emit_event(cls.__dict__.get('_events'), event, *args)

    @static
    def listeners(cls, event):
        return listeners_of(cls._event_map().get(event, ()))

    @static
    def listenerCount(cls, event):
        return len(cls._event_map().get(event, ()))

    @static
    def setMaxListeners(cls, n):
        return cls

    @static
    def getMaxListeners(cls):
        return 32


def emit_model_event(model, event, *args):
    """``model.emit(event, *args)``, even when a property of the model is
    called ``emit`` (its descriptor hides the static on that class)."""
    return emit_event(model.__dict__.get('_events'), event, *args)


# ---------------------------------------------------------------------------
# The base classes

class Model(ModelEvents, RelationMixin, ObserverMixin, ModelBase):
    """LoopBack's base ``Model``: properties, validations, hooks, relations,
    model events, and the statics that derive and attach models."""

    modelName = 'Model'
    definition = ModelDefinition('Model', {}, {})
    settings = definition.settings
    relations = {}
    _observers = {}
    _mixins = []
    _rank = 1
    base = ClassOnly(None)
    super_ = ClassOnly(None)
    modelBuilder = ClassOnly(None)   # the default ModelBuilder (set below)

    @static
    def extend(cls, className, subClassProperties=None, subClassSettings=None, **kwargs):
        """A sub-model of this model, defined in this model's builder.

        # LoopBack: Model.extend(className, subClassProperties, subClassSettings)

        The properties are this model's (copied) plus ``subClassProperties``
        (None or False removes an inherited one; an id of its own replaces
        the inherited ids); the settings are this model's merged with
        ``subClassSettings`` by ``getMergePolicy(subClassSettings)``.
        ``settings['base']`` is this model unless given.  The sub-model is
        not attached to a data source (``attachTo``), and its ``setup()``,
        when it has one, is called.  Settings may be keyword arguments.
        """
        settings = dict(subClassSettings or {}, **kwargs)
        return _extend(cls, className, subClassProperties, settings,
                       _builder_of(cls))

    @static
    def attachTo(cls, dataSource):
        """Attach this model to ``dataSource`` (its data-access methods work
        on that data source from now on).

        # LoopBack: Model.attachTo(dataSource)
        """
        dataSource.attach(cls)

    @static
    def mixin(cls, anotherClass, options=None, **kwargs):
        """Mix a named mixin (see mixins.py) or a class into this model.

        # LoopBack: Model.mixin(anotherClass, options)

        A model class contributes the properties this model lacks
        (``defineProperty``) and its methods; any other class its methods.
        """
        if kwargs:
            options = dict(options or {}, **kwargs)
        if isinstance(anotherClass, str):
            _builder_of(cls).mixins.applyMixin(cls, anotherClass, options)
            return None
        if is_model_class(anotherClass):
            mine = cls.definition.properties
            for name, prop in list(anotherClass.definition.properties.items()):
                if name in mine:
                    continue
                cls.defineProperty(name, dict(prop))
        return mix_into(cls, anotherClass, options)

    @static
    def getMergePolicy(cls, options=None):
        """How a sub-model's settings are merged with this model's.

        # LoopBack: ModelBaseClass.getMergePolicy(options)

        Without ``options['configureModelMerge']``: juggler's legacy policy;
        ``True``: the recommended one; a dict: that dict.  A model may
        override it (``Base.getMergePolicy = fn``, reading
        ``Base.base.getMergePolicy(options)``).
        """
        config = (options or {}).get('configureModelMerge') if isinstance(options, dict) \
            else None
        policy = _legacy_merge_policy()
        if config is True:
            policy = _recommended_merge_policy()
        if isinstance(config, dict):
            policy = config
        return policy

    @static
    def forEachProperty(cls, cb):
        """``cb(name, definition)`` for each property.

        # LoopBack: ModelClass.forEachProperty(cb)
        """
        for name, prop in list(cls.definition.properties.items()):
            cb(name, prop)

    @static
    def getUpdateOnlyProperties(cls):
        """The names of the properties flagged ``updateOnly`` (a generated
        id with forceId).

        # LoopBack: ModelBaseClass.getUpdateOnlyProperties()
        """
        return [name for name, prop in cls.definition.properties.items()
                if prop.get('updateOnly')]


class PersistedModel(DataAccessObject, Model):
    """LoopBack's ``PersistedModel``: a Model with the DAO methods."""

    modelName = 'PersistedModel'
    definition = ModelDefinition('PersistedModel', {}, {})
    settings = definition.settings
    relations = {}
    _observers = {}
    _mixins = []
    _rank = 1
    base = ClassOnly(Model)
    super_ = ClassOnly(Model)


#: base names every builder knows besides its own models
_BUILTIN_BASES = {'Model': Model, 'PersistedModel': PersistedModel}

# The DAO's lookupModel answers the model itself: the load planner may build
# rows without asking it (model/loading.py)
BASE_LOOKUPS.add(DataAccessObject.__dict__['lookupModel'].__func__)


class HttpOptions(dict):
    """``Model.http``: ``{'path': '/accounts'}``, its keys also attributes
    (``Model.http.path``)."""

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return self.get(name)


def _http_of(name, settings):
    """``Model.http``, set when the model is defined: the path of its REST
    routes, ``settings.http.path`` (a '/' added in front when it has none),
    else '/' + the ``plural`` setting or the name pluralised.

    # LoopBack: hiddenProperty(ModelClass, 'http', {path: pathName}) in
    #           ModelBuilder.prototype.define
    """
    http = settings.get('http')
    path = http.get('path') if isinstance(http, dict) else None
    if not path:
        path = settings.get('plural') or pluralize(name)
    return HttpOptions(path=path if path.startswith('/') else '/' + path)


def _rank(model):
    """juggler's ``Model.__rank``: 1 for the base classes, one more per level."""
    return model.__dict__.get('_rank') or getattr(model, '_rank', 1) or 1


def _builder_of(model):
    builder = getattr(model, 'modelBuilder', None)
    return builder if isinstance(builder, ModelBuilder) else ModelBuilder.defaultInstance


# ---------------------------------------------------------------------------
# The builder

class ModelBuilder(EventEmitter):
    """A registry of model classes and the mixins they may use.

    # LoopBack: new ModelBuilder() (require('loopback-datasource-juggler').ModelBuilder)

    ``models`` and ``definitions`` map names to classes and to their
    ``ModelDefinition``; ``settings['strictEmbeddedModels']`` is read by
    embedded models; ``mixins`` is the :class:`~loopback_compat.mixins.MixinProvider`;
    ``defaultModelBaseClass`` (default :class:`Model`) is the base of models
    defined without one.  ``ModelBuilder.Text``, ``.JSON`` and ``.Any`` are
    the type names juggler exports there; ``Text`` is the name its properties
    get (``properties[name]['type'] == ModelBuilder.Text``, as in juggler).
    """

    Text = 'text'
    JSON = 'JSON'
    Any = 'Any'

    #: the builder of ``Model`` and ``PersistedModel`` (juggler's ModelBuilder.defaultInstance)
    defaultInstance = None

    def __init__(self):
        self.models = {}
        self.definitions = {}
        self.settings = {}
        self.mixins = MixinProvider(self)
        self.defaultModelBaseClass = Model
        self._nameCount = None

    def __repr__(self):
        return 'ModelBuilder(%s)' % ', '.join(sorted(self.models))

    def getModel(self, name, forceCreate=False):
        """The model called ``name``; with ``forceCreate``, a placeholder
        (``settings['unresolved']``) that a later ``define`` of that name
        turns into the model itself.

        # LoopBack: modelBuilder.getModel(name, forceCreate)
        """
        model = self.models.get(name)
        if model is None and forceCreate:
            model = self.define(name, {}, {'unresolved': True})
        return model

    def getModelDefinition(self, name):
        """# LoopBack: modelBuilder.getModelDefinition(name)"""
        return self.definitions.get(name)

    def define(self, className, properties=None, settings=None, parent=None, **kwargs):
        """Define a model class and register it under ``className``.

        # LoopBack: modelBuilder.define(className, properties, settings, parent)

        ``settings['base']`` (or ``'super'``) names a model of this builder
        (or 'Model' / 'PersistedModel'), or is a model class: the new model
        extends it (:meth:`Model.extend`); so does giving ``parent``.
        ``strict`` defaults to False.  ``idInjection`` (default True) adds a
        generated ``id``.  ``mixins`` are applied (mixins.py); ``models``
        (name -> class or model name) become class attributes.  An unknown
        base is AssertionError_ ``Base model is not found: X``.  Settings may
        be keyword arguments.
        """
        settings = dict(settings or {}, **kwargs)
        return self._define(className, properties, settings, parent)

    def _define(self, className, properties, settings, parent, default_base=None):
        if not className:
            raise LoopBackError('Class name required')
        properties = dict(properties or {})
        settings = dict(settings or {})
        if settings.get('strict') is None:
            settings['strict'] = False
        base = parent or default_base or self.defaultModelBaseClass
        named = settings.get('base') or settings.get('super')
        if named:
            settings['base'] = named
            settings.pop('super', None)
            base = self._resolve_base(named)
        if (parent is not None) != bool(named):
            # juggler: "Make sure base properties are inherited"
            return _extend(base, className, properties, settings, self)
        return self._build(className, properties, settings, base)

    def _resolve_base(self, named):
        if is_model_class(named):
            return named
        if isinstance(named, str):
            found = self.models.get(named) or _BUILTIN_BASES.get(named)
            if found is not None:
                return found
        raise AssertionError_('Base model is not found: %s' % (
            named if isinstance(named, str) else getattr(named, '__name__', named),),
            code='ERR_ASSERTION')

    def _build(self, className, properties, settings, base):
        existing = self.models.get(className)
        placeholder = existing if existing is not None and \
            (existing.__dict__.get('settings') or {}).get('unresolved') else None
        if settings.get('unresolved'):
            if placeholder is not None:
                return placeholder
            cls = _placeholder_class(className, base)
            type.__setattr__(cls, 'modelBuilder', ClassOnly(self))
            self.models[className] = cls
            return cls
        cls = build_model_class(className, properties, settings, base, inherit=False,
                                builder=self)
        own = {
            'modelBuilder': ClassOnly(self), 'dataSource': None, 'base': ClassOnly(base),
            'super_': ClassOnly(base), '_rank': _rank(base) + 1, '_mixins': [],
            'http': ClassOnly(_http_of(className, settings)),
        }
        for name, value in own.items():
            if not isinstance(cls.__dict__.get(name), PropertyDescriptor):
                type.__setattr__(cls, name, value)
        injected = settings.get('models')
        if isinstance(injected, dict):
            for name, model in injected.items():
                type.__setattr__(cls, name, self.getModel(model, True)
                                 if isinstance(model, str) else model)
        if placeholder is not None:
            cls = _become(placeholder, cls)
        self.models[className] = cls
        self.definitions[className] = cls.definition
        self._apply_mixins(cls, settings.get('mixins'))
        emit_model_event(cls, 'defined', cls)
        return cls

    def _apply_mixins(self, cls, mixins):
        """The ``mixins`` setting: name -> True, an options dict, or a list of them."""
        if not isinstance(mixins, dict):
            return
        for name, value in list(mixins.items()):
            if value is True:
                value = {}
            if isinstance(value, list):
                for options in value:
                    if options is True:
                        options = {}
                    if options is None or isinstance(options, (dict, list)):
                        self.mixins.applyMixin(cls, name, options)
            elif value is None or isinstance(value, dict):
                self.mixins.applyMixin(cls, name, value)

    def defineProperty(self, model, propertyName, propertyDefinition):
        """Add a property to the model called ``model``.

        # LoopBack: modelBuilder.defineProperty(model, propertyName, propertyDefinition)
        """
        self.models[model]._define_property(propertyName, propertyDefinition)

    def extendModel(self, model, props):
        """Add several properties to the model called ``model``.

        # LoopBack: modelBuilder.extendModel(model, props)
        """
        for name, spec in (props or {}).items():
            self.defineProperty(model, name, spec)

    def deleteModelByName(self, modelName):
        """Remove a model from the registry.

        # LoopBack: modelBuilder.deleteModelByName(modelName)
        """
        self.models.pop(modelName, None)
        self.definitions.pop(modelName, None)

    def getSchemaName(self, name=None):
        """``name``, or a new ``AnonymousModel_<n>``.

        # LoopBack: modelBuilder.getSchemaName([name])
        """
        if name:
            return name
        self._nameCount = 0 if self._nameCount is None else self._nameCount + 1
        return 'AnonymousModel_%d' % self._nameCount

    def buildModels(self, schemas, createModel=None):
        """Define models from schema definitions: a list of ``{name,
        properties, options}``, one such dict, or the properties of one
        anonymous model.  Returns ``{name: model}``.

        # LoopBack: modelBuilder.buildModels(schemas, createModel)

        ``createModel(name, properties, options)`` (e.g. ``ds.createModel``)
        replaces ``self.define``.
        """
        if not isinstance(schemas, list):
            if isinstance(schemas, dict) and schemas.get('properties') and schemas.get('name'):
                schemas = [schemas]
            else:
                schemas = [{'name': self.getSchemaName(), 'properties': schemas,
                            'options': {'anonymous': True}}]
        models = {}
        for schema in schemas:
            name = self.getSchemaName(schema.get('name'))
            schema['name'] = name
            define = createModel if callable(createModel) else self.define
            models[name] = define(name, schema.get('properties'), schema.get('options'))
        return models


ModelBuilder.defaultInstance = ModelBuilder()
Model.modelBuilder = ClassOnly(ModelBuilder.defaultInstance)
PersistedModel.modelBuilder = ClassOnly(ModelBuilder.defaultInstance)


# ---------------------------------------------------------------------------
# extend and its settings merge

def _extend(ModelClass, className, subClassProperties, subClassSettings, builder):
    """juggler's ``ModelClass.extend``, defining in ``builder``."""
    props = dict(subClassProperties or {})
    settings = dict(subClassSettings or {})
    id_found = any(isinstance(p, dict) and p.get('id') for p in props.values())
    for key, prop in ModelClass.definition.properties.items():
        if id_found and prop.get('id'):
            continue   # don't inherit id properties
        if key not in props:
            props[key] = deep_merge(prop) if isinstance(prop, dict) else prop
    original_base = settings.get('base')
    policy = ModelClass.getMergePolicy(settings)
    merged = merge_settings(ModelClass.definition.settings, settings, policy,
                            _rank(ModelClass) - 1)
    if not original_base:
        merged['base'] = ModelClass
    sub = builder._define(className, props, merged, ModelClass)
    _call_setup(sub)
    return sub


def _call_setup(model):
    """``model.setup()`` when the model has one (juggler: ``subClass.setup.call(subClass)``);
    a plain function set as ``Base.setup = fn`` is called as ``fn(model)``."""
    for klass in model.__mro__:
        if 'setup' in klass.__dict__:
            raw = klass.__dict__['setup']
            break
    else:
        return
    if isinstance(raw, (classmethod, staticmethod)):
        getattr(model, 'setup')()
    elif callable(raw) and not isinstance(raw, type):
        call_fitted(raw, model)


def _index_of(items, value):
    for i, item in enumerate(items):
        if strict_equal(item, value):
            return i
    return -1


def deep_merge(base, extras=UNDEFINED):
    """juggler's utils.deepMerge: a deep copy of ``base`` with ``extras``
    merged in (lists: the distinct members of both, by JavaScript's ``===``;
    dicts: key by key, recursively)."""
    if extras is UNDEFINED:
        extras = None
    if isinstance(base, list) and (isinstance(extras, list) or not extras):
        dst = list(base)
        for item in extras or []:
            if _index_of(dst, item) == -1:
                dst.append(item)
        return dst
    dst = {}
    if isinstance(base, dict):
        for key, value in base.items():
            dst[key] = deep_merge(value) if isinstance(value, (dict, list)) else value
    if isinstance(extras, dict):
        for key, extra in extras.items():
            if not isinstance(extra, (dict, list)):
                dst[key] = extra
            elif not isinstance(base, dict) or base.get(key) is None:
                dst[key] = extra
            else:
                dst[key] = deep_merge(base[key], extra)
    return dst


def deep_merge_property(base, extras):
    """juggler's utils.deepMergeProperty: deep_merge of single values."""
    return deep_merge({'key': base}, {'key': extras})['key']


def rank_array_elements(items, rank):
    """juggler's utils.rankArrayElements: ``'__rank': rank`` on each dict of
    ``items`` that has none yet (in place).  (juggler's ``__rank`` is a
    non-enumerable property; here it is a key.)"""
    if not isinstance(items, list) or not isinstance(rank, int):
        return items
    for item in items:
        if isinstance(item, dict) and not item.get('__rank'):
            item['__rank'] = rank
    return items


def merge_settings(base_settings, sub_settings, policy, base_rank):
    """juggler's mergeSettings: ``sub_settings`` merged into a deep copy of
    ``base_settings`` key by key, each as ``policy[key]`` says (replace,
    patch, rank, else a deep merge; ``policy['__default']`` for keys it does
    not list; a value equal to ``policy['__delete']`` removes the key).
    Array elements of ranked keys get ``__rank`` (``base_rank`` for the
    base's, one more for the sub-model's)."""
    merged = deep_merge(base_settings)
    for key in list(base_settings):
        rule = policy.get(key)
        if isinstance(rule, dict) and rule.get('rank'):
            base_settings[key] = rank_array_elements(base_settings[key], base_rank)
    deleting = '__delete' in policy
    for key in list(sub_settings):
        if policy.get(key) is None:
            policy[key] = policy.get('__default') or {}
        rule = policy[key] if isinstance(policy[key], dict) else {}
        value = sub_settings[key]
        if deleting and strict_equal(value, policy['__delete']):
            merged.pop(key, None)
            continue
        if rule.get('rank'):
            value = sub_settings[key] = rank_array_elements(value, base_rank + 1)
        if rule.get('replace'):
            merged[key] = value
            continue
        if rule.get('patch'):
            target = merged.get(key)
            if not isinstance(target, dict):
                target = merged[key] = {}
            if isinstance(value, dict):
                for inner, inner_value in value.items():
                    target[inner] = inner_value
            continue
        merged[key] = deep_merge_property(base_settings.get(key), value)
    return merged


# ---------------------------------------------------------------------------
# Placeholders (getModel(name, True)) and attaching

def _placeholder_class(name, base):
    """A model not defined yet: ``settings['unresolved']``; building an
    instance is the error ``Model <name> is not defined.``"""
    cls = build_model_class(name, {}, {'unresolved': True, 'idInjection': False}, base,
                            inherit=False)
    type.__setattr__(cls, 'settings', {'unresolved': True})

    def __init__(self, *args, **kwargs):
        raise LoopBackError('Model %s is not defined.' % name)
    type.__setattr__(cls, '__init__', __init__)
    return cls


def _become(placeholder, cls):
    """Turn the placeholder class into ``cls`` (juggler resolves an
    unresolved model in place, so references taken before see the model)."""
    keep = {'__dict__', '__weakref__', '_events'}
    for name in list(placeholder.__dict__):
        if name not in keep and name not in cls.__dict__:
            type.__delattr__(placeholder, name)
    placeholder.__bases__ = cls.__bases__
    for name, value in cls.__dict__.items():
        if name not in keep:
            type.__setattr__(placeholder, name, value)
    placeholder.__name__ = cls.__name__
    definitions_changed()
    _observers_changed()
    return placeholder


def ensure_data_access(model):
    """Give ``model`` the DAO methods (PersistedModel among its bases), as
    juggler's ``dataSource.mixin(ModelCtor)`` copies them in on attach."""
    if issubclass(model, DataAccessObject):
        return model
    bases = model.__bases__
    if Model in bases:
        bases = tuple(PersistedModel if b is Model else b for b in bases)
    else:
        bases = bases + (PersistedModel,)
    model.__bases__ = bases
    # a property named like a DAO method keeps reaching the method on the class
    for name in model.definition.properties:
        if isinstance(model.__dict__.get(name), PropertyDescriptor):
            register_property(model, name)
    definitions_changed()
    _observers_changed()
    return model
