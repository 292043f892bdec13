"""Model instances: construction, property access, identity, toObject/toJSON.

# LoopBack: lib/model.js (ModelBaseClass) of loopback-datasource-juggler 3.x

:class:`ModelBase` is the base class of every model.  ``Model({'name': 'x'})``
and ``Model(name='x')`` build an instance (no persistence), as juggler's
``new Model(data, options)`` (``_initProperties``).

Instances keep their values in ``__data`` (a dict; a key that is absent is
JavaScript's ``undefined``, ``None`` is ``null``), plus juggler's other
private slots ``__cachedRelations``, ``__persisted``, ``__strict``,
``__unknownProperties``.  Because Python mangles ``self.__x`` inside class
bodies, code in other modules should reach them through the unmangled
accessors ``_data``, ``_cached_relations``, ``_persisted``, ``_strict`` and
``_unknown_properties`` (the same objects).  Instances loaded from a
connector may lack ``__cachedRelations`` and ``__unknownProperties`` until
those accessors create them (model/loading.py).

Properties are read and written as attributes or items (``inst.name``,
``inst['name']``).  Declared ones go through their descriptor
(model/properties.py) and :meth:`ModelBase._set_property`.  Undeclared
names are dynamic properties kept in ``__data`` (juggler keeps them as own
properties); whether they survive is governed by the model's ``strict``
setting (False keeps them, True records them as unknown properties for
validation, 'filter' drops them silently).

Custom accessors as juggler's: ``Model.setter['password'] = fn`` is called
as ``fn(inst, value)`` and stores with ``inst['$password'] = raw``;
``Model.getter[name] = fn`` is called as ``fn(inst)``.

Differences from juggler (Python has no ``undefined`` or ``NaN`` in JSON):
``toObject()`` leaves out properties that are undefined (juggler lists them
with the value undefined, which JSON drops anyway); a value that JavaScript
would coerce to NaN for a number property is NaN, as juggler's; an unparsable
date is :data:`INVALID_DATE` (serialised as None, rejected by validatesDateOf).
"""

import datetime as _dt
import json
import uuid

from ..date_string import DateString
from ..errors import LoopBackError
from ..js.values import UNDEFINED as undefined
from ..js.values import truthy
from ..types import (
    _STRUCTURED,
    ALREADY_COERCED,
    FLAT_VALUE_TYPES,
    _parse_json_text,
    coerce_list,
    coerce_value)
from ..hooks import Hookable, trigger
from ..validations import Validatable
from . import loading as _loading
from . import shortid
from .definition import ModelDefinition, definitions_changed, enforces_values, id_equals
from .loading import _nothing_to_fill
from .properties import PropertyDescriptor, hybridmethod, register_property
from .sub_models import assigned_value, loaded_value

def _refuse_constructor(cls, data):
    """juggler refuses data whose ``constructor`` is set to something that is
    not a function (a key of the data, or an attribute of a dict subclass).

    # LoopBack: ModelBaseClass.prototype._initProperties -- 'Property name
    #           "constructor" is not allowed in <Model> data'
    """
    ctor = data['constructor'] if 'constructor' in data else getattr(data, 'constructor', None)
    if truthy(ctor) and not callable(ctor):
        raise LoopBackError('Property name "constructor" is not allowed in %s data'
                            % cls.modelName)


# Values that are never undefined nor callable (skip those checks per value).
_PLAIN_TYPES = frozenset((str, int, float, bool, type(None)))

_SLOT_NAMES = ('__data', '__cachedRelations', '__persisted', '__strict',
               '__unknownProperties', '__dataSource')


class ModelBase(Hookable, Validatable):
    """Base class of every model: construction, properties, toObject/toJSON.

    # LoopBack: ModelBaseClass (new Model(data, options))

    ``Model({'name': 'x'})`` and ``Model(name='x')`` build an instance (no
    persistence).  Constructor options (juggler's): ``applySetters``
    (default True: values are coerced), ``applyDefaultValues`` (default
    True), ``strict`` (default: the model's setting), ``persisted``,
    ``fields`` (keep only these names).  Bad data (a list value for an array
    property that is not a list...) raises LoopBackError; DAO methods turn
    that into a callback error.
    """

    modelName = 'ModelBase'
    definition = ModelDefinition('ModelBase', {}, {})
    settings = definition.settings
    relations = {}

    def __init__(self, *args, **kwargs):
        # (data, options) positionally; keyword arguments are property values
        # (so properties called 'data' or 'options' work too).
        data = args[0] if args else None
        options = args[1] if len(args) > 1 else None
        if data is None:
            data = {}
        if kwargs:
            data = dict(data, **kwargs) if isinstance(data, dict) else kwargs
        if type(options) is not dict or 'applySetters' not in options \
                or 'applyDefaultValues' not in options:
            # only read below: a complete options dict needs no copy
            options = dict(options or {})
            options.setdefault('applySetters', True)
            options.setdefault('applyDefaultValues', True)
        self._initProperties(data, options)

    # -- loading rows from a connector (the two paths are in model/loading.py) --

    _build_loaded = classmethod(_loading._build_loaded)

    # -- private slots ----------------------------------------------------

    @property
    def _data(self):
        return self.__dict__['__data']

    @property
    def _cached_relations(self):
        return self.__dict__.setdefault('__cachedRelations', {})

    @property
    def _persisted(self):
        return self.__dict__['__persisted']

    @_persisted.setter
    def _persisted(self, value):
        self.__dict__['__persisted'] = value

    @property
    def _strict(self):
        return self.__dict__['__strict']

    @property
    def _unknown_properties(self):
        return self.__dict__.setdefault('__unknownProperties', [])

    # -- construction -----------------------------------------------------

    def _initProperties(self, data, options=None):
        """Fill the instance from ``data`` (juggler's _initProperties)."""
        options = options or {}
        cls = type(self)
        slots = self.__dict__
        if isinstance(data, ModelBase):
            data = data.toObject(False)
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise LoopBackError('The data argument must be an object')
        if 'constructor' in data or type(data) is not dict:
            _refuse_constructor(cls, data)
        settings = cls.settings
        if ('scope' in settings or 'properties' in settings or 'attributes' in settings) \
                and enforces_values(settings) and hasattr(cls, 'applyProperties'):
            # juggler: ctor.applyProperties(data), the default scope's values;
            # on a copy: the caller's dict (or a connector's row) stays as it was
            data = dict(data)
            cls.applyProperties(data)
        props = cls.definition.properties
        strict = options.get('strict')
        if strict is None:
            strict = cls.settings.get('strict', False)
        if '__data' not in slots or options.get('reset', True):
            slots['__data'] = {}
            slots['__cachedRelations'] = {}
            slots['__persisted'] = False
            slots['__dataSource'] = options.get('dataSource')
        slots['__strict'] = strict
        slots['__unknownProperties'] = []
        if options.get('persisted') is not None:
            slots['__persisted'] = options['persisted'] is True
        store = slots['__data']
        if '__cachedRelations' in data and isinstance(data['__cachedRelations'], dict):
            slots['__cachedRelations'] = data['__cachedRelations']
        fields = options.get('fields')
        keep = fields if isinstance(fields, list) else None
        apply_setters = options.get('applySetters')
        setters = cls.__dict__.get('setter')
        undef_null = cls.settings.get('persistUndefinedAsNull')
        relations = getattr(cls, 'relations', None) or {}
        for key, value in data.items():
            if keep is not None and key not in keep:
                continue
            if key == '__cachedRelations':
                continue
            if type(value) not in _PLAIN_TYPES:
                if value is undefined:
                    if not undef_null:
                        continue
                    value = None    # juggler: undefined is null under persistUndefinedAsNull
                elif callable(value) and not isinstance(value, type):
                    continue
            prop = props.get(key)
            if prop is not None:
                if apply_setters or prop.get('id'):
                    if setters and setters.get(key) is not None:
                        self._set_property(key, value)
                    else:
                        # _set_property without a custom setter, inlined; a
                        # value already of a number/string property's type
                        # is what coerce_value would return
                        tname = prop['type']
                        store[key] = value if ALREADY_COERCED.get(tname) is type(value) \
                            else coerce_value(tname, value, prop.get('itemType'))
                else:
                    store[key] = value
            elif key in relations:
                rel = relations[key]
                if getattr(rel, 'type', None) == 'belongsTo' and value is not None:
                    # a populated parent carries the foreign key (juggler does this)
                    target = value.get(rel.keyTo) if isinstance(value, dict) \
                        else getattr(value, rel.keyTo, None)
                    store[rel.keyFrom] = target
                slots['__cachedRelations'][key] = value
            elif strict is False:
                if '.' in key:
                    raise LoopBackError(
                        'Property names containing dot(s) are not supported. '
                        'Model: %s, dynamic property: %s' % (cls.modelName, key))
                store[key] = value
            elif strict != 'filter':
                slots['__unknownProperties'].append(key)
        if not undef_null and _nothing_to_fill(cls):
            if cls.afterInitialize or cls.postInitialize:
                trigger(self, 'initialize')   # juggler: this.trigger('initialize')
            return
        apply_defaults = options.get('applyDefaultValues')
        for key, prop in props.items():
            if keep is not None and key not in keep:
                continue
            if apply_defaults and key not in store and ('default' in prop or 'defaultFn' in prop):
                self._apply_default(key, prop, store)   # it sets nothing without either
            if prop.get('persistDefaultValues') is False and \
                    'default' in prop and store.get(key, _MISSING) == prop['default']:
                del store[key]
            if undef_null and key not in store:
                store[key] = None
            if prop['type'] in _STRUCTURED and key in store:
                # juggler's Object setter boxes strings, so only raw (stored)
                # object values are JSON-parsed; 'any' and arrays always are.
                if prop['type'] != 'object' or not apply_setters:
                    store[key] = self._structured(prop, store[key])
            elif ('model' in prop or 'itemModel' in prop) and key in store:
                # typed by a model (sub_models.py): what the setter built from
                # the given value, else juggler's last pass (loaded rows, defaults)
                if apply_setters and key in data and not (setters and setters.get(key)):
                    store[key] = assigned_value(prop, store[key])
                else:
                    store[key] = loaded_value(prop, store[key])
        if cls.afterInitialize or cls.postInitialize:
            trigger(self, 'initialize')   # juggler: this.trigger('initialize')

    def _apply_default(self, key, prop, store):
        if prop.get('applyDefaultOnWrites', True) is False:
            return
        if 'default' in prop and prop['default'] is not None:
            value = prop['default']
            if value is _dt.datetime or (prop['type'] == 'date' and value == '$now'):
                value = _dt.datetime.now(_dt.timezone.utc)
            elif callable(value) and not isinstance(value, type):
                value = value()
            elif isinstance(value, (dict, list)):
                value = json.loads(json.dumps(value))
            store[key] = value
            return
        generator = prop.get('defaultFn')
        if generator in ('guid', 'uuid'):
            store[key] = str(uuid.uuid1())
        elif generator == 'uuidv4':
            store[key] = str(uuid.uuid4())
        elif generator == 'now':
            store[key] = _dt.datetime.now(_dt.timezone.utc)
        elif generator == 'shortid':
            store[key] = shortid.generate()

    @staticmethod
    def _structured(prop, value):
        if prop['type'] == 'array':
            if value is None:
                return None
            if 'itemModel' in prop:
                return loaded_value(prop, value)    # a list of a model: sub_models.py
            return coerce_list(value, prop.get('itemType'))
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and value:
            if isinstance(value, str):
                parsed = _parse_json_text(value)
                return value if parsed is None and value != 'null' else parsed
            return value
        return value

    def _set_property(self, name, value):
        """Assign a declared property: the model's custom setter, else coercion.

        ``Model.setter[name] = fn`` is called as ``fn(inst, value)`` (juggler
        calls it with ``this`` = the instance); it stores the raw value with
        ``inst['$' + name] = raw``.  ``lb.undefined`` unsets the property.
        """
        cls = type(self)
        store = self.__dict__['__data']
        if value is undefined:
            if cls.settings.get('persistUndefinedAsNull'):
                store[name] = None
            else:
                store.pop(name, None)
            return
        setters = cls.__dict__.get('setter')
        custom = setters.get(name) if setters else None
        if custom is not None:
            custom(self, value)
            return
        prop = cls.definition.properties.get(name)
        if prop is None:
            store[name] = value
            return
        tname = prop['type']
        if ALREADY_COERCED.get(tname) is type(value):
            store[name] = value
        elif 'model' in prop or 'itemModel' in prop:
            store[name] = assigned_value(prop, value)   # typed by a model: sub_models.py
        else:
            store[name] = coerce_value(tname, value, prop.get('itemType'))

    # -- attribute and item access ---------------------------------------

    def __getattr__(self, name):
        if name.startswith('__') or name in _SLOT_NAMES:
            raise AttributeError(name)
        try:
            store = self.__dict__['__data']
        except KeyError:
            raise AttributeError(name) from None
        if name in store:
            return store[name]
        raise AttributeError("'%s' instance has no property '%s'"
                             % (type(self).modelName, name))

    def __setattr__(self, name, value):
        cls_attr = getattr(type(self), name, None)
        if name.startswith('_') or name in _SLOT_NAMES or \
                hasattr(type(cls_attr), '__set__') or \
                isinstance(type(self).__dict__.get(name), PropertyDescriptor) or \
                callable(value) and callable(cls_attr):
            # (the last: a function over a method shadows it on this instance,
            # as a JS own property shadows the prototype's: inst.isValid = fn)
            object.__setattr__(self, name, value)
            return
        if name in type(self).definition.properties:
            self._set_property(name, value)
            return
        # Undeclared: a dynamic property, as a JS own property would be.
        self.__dict__['__data'][name] = value

    def __delattr__(self, name):
        store = self.__dict__.get('__data', {})
        if name in store:
            del store[name]
        else:
            object.__delattr__(self, name)

    def __getitem__(self, name):
        if isinstance(name, str) and name.startswith('$') and \
                name[1:] in type(self).definition.properties:
            # juggler's raw accessor: this.$prop bypasses getter and setter
            # (declared properties only: inst['$set'] is a dynamic property)
            return self.__dict__['__data'].get(name[1:])
        if name in type(self).definition.properties or name == 'id':
            return getattr(self, name)
        store = self.__dict__['__data']
        if name in store:
            return store[name]
        value = getattr(self, name, None)
        return value

    def __setitem__(self, name, value):
        if isinstance(name, str) and name.startswith('$') and \
                name[1:] in type(self).definition.properties:
            self.__dict__['__data'][name[1:]] = value
            return
        setattr(self, name, value)

    def __delitem__(self, name):
        self.__dict__['__data'].pop(name, None)

    def __contains__(self, name):
        return name in self.__dict__['__data']

    def get(self, name, default=None):
        value = self[name]
        return default if value is None else value

    # -- identity ---------------------------------------------------------

    def getId(self):
        id_name = type(self).definition.idName() or 'id'
        return self.__dict__['__data'].get(id_name)

    def setId(self, value):
        id_name = type(self).definition.idName() or 'id'
        self._set_property(id_name, value)

    def __eq__(self, other):
        if self is other:
            return True
        if not isinstance(other, ModelBase):
            return NotImplemented
        if type(self).modelName != type(other).modelName:
            return False
        mine, theirs = self.getId(), other.getId()
        if mine is None or theirs is None:
            return False
        return id_equals(mine, theirs)

    def __hash__(self):
        return hash(type(self).modelName)

    # -- serialisation ----------------------------------------------------

    def toObject(self, onlySchema=True, removeHidden=False, removeProtected=False):
        """A plain dict of the instance (juggler's toObject).

        ``onlySchema`` (default True) keeps only declared properties unless
        the model is not strict.  Values that are undefined are left out
        (as JSON would); nested instances and lists are converted too.
        """
        if isinstance(onlySchema, dict):
            opts = onlySchema
            onlySchema = opts.get('onlySchema', True)
            removeHidden = opts.get('removeHidden', False)
            removeProtected = opts.get('removeProtected', False)
        if onlySchema is None:
            onlySchema = True
        cls = type(self)
        schema_less = self.__dict__['__strict'] is False or not onlySchema
        props = cls.definition.properties
        store = self.__dict__['__data']
        hidden = _name_set(cls.settings.get('hiddenProperties', cls.settings.get('hidden'))) \
            if removeHidden else ()
        protected = _name_set(cls.settings.get('protectedProperties',
                                               cls.settings.get('protected'))) \
            if removeProtected else ()
        undef_null = cls.settings.get('persistUndefinedAsNull')
        flat = FLAT_VALUE_TYPES
        out = {}
        for name in props:
            if removeHidden and name in hidden or removeProtected and name in protected:
                continue
            if name in store:
                value = store[name]
                # a plain value is its own plain form (what _plain returns)
                if type(value) in flat:
                    out[name] = value
                elif value is not undefined:
                    out[name] = _plain(value, not schema_less, removeHidden)
                elif undef_null:
                    out[name] = None
            elif undef_null:
                out[name] = None
        if schema_less:
            for name, value in store.items():
                if name in out or name.startswith('__') or callable(value) and \
                        not isinstance(value, ModelBase):
                    continue
                if removeHidden and name in hidden or removeProtected and name in protected:
                    continue
                if value is undefined:
                    # JSON drops undefined; persistUndefinedAsNull makes it null
                    if undef_null:
                        out[name] = None
                    continue
                out[name] = _plain(value, not schema_less, removeHidden)
        return out

    def toJSON(self):
        """toObject(False, True, False): all data, hidden properties removed."""
        return self.toObject(False, True, False)

    def __iter__(self):
        return iter(self.toObject(False).items())

    def __repr__(self):
        return '%s(%r)' % (type(self).modelName, self.__dict__.get('__data'))

    # -- misc juggler instance API ---------------------------------------

    def setStrict(self, strict):
        self.__dict__['__strict'] = strict

    @classmethod
    def defineProperty(cls, name, spec):
        """Add or replace a property of the model class.

        # LoopBack: Model.defineProperty(name, definition)

        The data source, when there is one, is told too (its connector may
        need the new column).
        """
        ds = getattr(cls, 'dataSource', None)
        if ds is not None and hasattr(ds, 'defineProperty'):
            ds.defineProperty(cls.modelName, name, spec)
        else:
            cls._define_property(name, spec)

    @classmethod
    def _define_property(cls, name, spec):
        cls.definition.defineProperty(name, spec)
        register_property(cls, name)
        cls._add_property_validations(name, cls.definition.properties[name])
        cls._properties_changed()

    @classmethod
    def _retypeProperty(cls, name, type_name):
        """Property ``name`` was retyped in place (a foreign key takes its target's id type)."""
        cls._properties_changed()

    @classmethod
    def _properties_changed(cls):
        """Drop what was cached from the properties: load plans, the DAO's filters.ModelInfo."""
        definitions_changed()
        if '_filter_info' in cls.__dict__:
            del cls._filter_info

    @classmethod
    def getPropertyType(cls, name):
        prop = cls.definition.properties.get(name)
        return prop['type'] if prop else None

    def fromObject(self, obj):
        for key, value in obj.items():
            setattr(self, key, value)

    def setAttribute(self, name, value):
        setattr(self, name, value)

    def setAttributes(self, data):
        """Assign several properties (juggler's setAttributes); a model's
        enforced values (default scope, ``properties`` setting) win, and are
        written into ``data`` too, as juggler does."""
        if not isinstance(data, dict):
            return
        cls = type(self)
        settings = cls.settings
        if ('scope' in settings or 'properties' in settings or 'attributes' in settings) \
                and enforces_values(settings) and hasattr(cls, 'applyProperties'):
            # juggler: the default scope's values, written into ``data`` itself
            # (updateAttributes then persists them)
            cls.applyProperties(data, self)
        # A declared property's own descriptor: setattr would come down to
        # _set_property (unless a subclass reroutes setAttribute/__setattr__).
        own = cls.__dict__ if cls.setAttribute is ModelBase.setAttribute and \
            cls.__setattr__ is ModelBase.__setattr__ else _NO_DESCRIPTORS
        for key, value in data.items():
            if type(own.get(key)) is PropertyDescriptor:
                self._set_property(key, value)
            else:
                self.setAttribute(key, value)

    def unsetAttribute(self, name, nullify=False):
        store = self.__dict__['__data']
        if nullify or type(self).settings.get('persistUndefinedAsNull'):
            store[name] = None
        else:
            store.pop(name, None)

    def isNewRecord(self):
        """True until the instance has been saved or loaded (juggler's isNewRecord)."""
        return not self.__dict__['__persisted']

    @hybridmethod
    def getDataSource(self_or_cls):
        """The data source of the model (or of this instance, if it has its own)."""
        if isinstance(self_or_cls, type):
            return self_or_cls.dataSource
        return self_or_cls.__dict__.get('__dataSource') or type(self_or_cls).dataSource

    dataSource = None


_loading.ModelBase = ModelBase   # what the load plans compare constructors with

_MISSING = object()

_NO_DESCRIPTORS = {}


def _name_set(value):
    if not value:
        return set()
    if isinstance(value, dict):
        return {k for k, v in value.items() if v}
    return set(value)


def _plain(value, only_schema, remove_hidden):
    if isinstance(value, ModelBase):
        return value.toObject(only_schema, remove_hidden, True)
    if isinstance(value, list):
        return [_plain(v, only_schema, remove_hidden) for v in value]
    if hasattr(value, 'toObject') and not isinstance(value, type):
        return value.toObject()
    if type(value) is DateString:
        # its JSON text, what juggler's connectors store (JSON.stringify calls
        # its toJSON); so no stored row shares the instance's mutable DateString
        return value.toJSON()
    return value

