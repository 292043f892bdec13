"""Model classes, property definitions, type coercion and instances.

# LoopBack: lib/model.js (ModelBaseClass), lib/model-builder.js,
#           lib/model-definition.js of loopback-datasource-juggler 3.x

A model class is built by :func:`build_model_class` (the data source calls
it; users call ``ds.createModel``).  It carries:

- ``modelName``, ``settings`` and ``definition`` (a :class:`ModelDefinition`
  whose ``properties[name]`` dicts have ``'type'`` set to the LoopBack type
  name: 'string', 'number', 'boolean', 'date', 'object', 'array', 'any', ...;
  arrays also have ``'itemType'``);
- one data descriptor per property, which coerces on assignment exactly as
  juggler's setters do ('1' -> 1 for a number, a non-numeric string -> None,
  which is what juggler's NaN serialises to);
- ``relations`` (a dict filled by the relations package) and ``_observers``.

Instances keep their values in ``__data`` (a dict; a key that is absent is
JavaScript's ``undefined``, ``None`` is ``null``), plus juggler's other
private slots ``__cachedRelations``, ``__persisted``, ``__strict``,
``__unknownProperties``.  Because Python mangles ``self.__x`` inside class
bodies, code in other modules should reach them through the unmangled
accessors ``_data``, ``_cached_relations``, ``_persisted``, ``_strict`` and
``_unknown_properties`` (the same objects).

Properties are read and written as attributes or items (``inst.name``,
``inst['name']``).  Undeclared names are dynamic properties kept in
``__data`` (juggler keeps them as own properties); whether they survive is
governed by the model's ``strict`` setting (False keeps them, True records
them as unknown properties for validation, 'filter' drops them silently).

Custom accessors as juggler's: ``Model.setter['password'] = fn`` is called
as ``fn(inst, value)`` and stores with ``inst['$password'] = raw``;
``Model.getter[name] = fn`` is called as ``fn(inst)``.

Differences from juggler (Python has no ``undefined`` or ``NaN`` in JSON):
``toObject()`` leaves out properties that are undefined (juggler lists them
with the value undefined, which JSON drops anyway); a value that JavaScript
would coerce to NaN for a number property is stored as None; an unparsable
date is :data:`INVALID_DATE` (serialised as None, rejected by validatesDateOf).
"""

import datetime as _dt
import json
import re
import uuid
from itertools import chain, repeat

from .bulk import new_instances, set_in_each
from .errors import LoopBackError
from .filters import undefined
from .gc_pause import BATCH_MIN, gc_paused
from .types import (
    _STRUCTURED,
    ALREADY_COERCED,
    FLAT_VALUE_TYPES,
    FlatRows,
    _parse_json_text,
    coerce_list,
    coerce_value,
    js_string,
    normalize_properties,
    normalize_property)
from .validations import Validatable


class ModelDefinition:
    """A model's name, normalised properties and settings.

    # LoopBack: ModelDefinition (model.definition)
    """

    _ids_cache = None   # _id_info's answer, while the properties stay the same

    def __init__(self, name, properties, settings):
        self.name = name
        self.properties = properties
        self.rawProperties = properties
        self.settings = settings
        self.relations = {}

    def ids(self):
        return self._id_info()[1]

    def _id_info(self):
        """``(property count, ids, id names, id name)``, cached.

        Every DAO call asks.  Adding a property invalidates the cache; the
        property count guards against dicts edited in place.
        """
        cached = self._ids_cache
        if cached is not None and cached[0] == len(self.properties):
            return cached
        ids = self._compute_ids()
        names = [entry['name'] for entry in ids]
        if self.properties.get('id', {}).get('id'):
            name = 'id'
        else:
            name = names[0] if names else None
        cached = self._ids_cache = (len(self.properties), ids, names, name)
        return cached

    def _compute_ids(self):
        found = []
        for name, prop in self.properties.items():
            rank = prop.get('id')
            if not rank:
                continue
            if isinstance(rank, bool) or not isinstance(rank, (int, float)):
                rank = 1
            found.append((rank, len(found), name))
        found.sort()
        return [{'name': n, 'id': r, 'property': self.properties[n]} for r, _, n in found]

    def idNames(self):
        return list(self._id_info()[2])

    def idName(self):
        cached = self._ids_cache   # _id_info's cache, read here first:
        if cached is not None and cached[0] == len(self.properties):   # every DAO call asks
            return cached[3]
        return self._id_info()[3]

    def hasPK(self):
        return bool(self._id_info()[2])

    def defineProperty(self, name, spec):
        self.properties[name] = normalize_property(name, spec)
        self._ids_cache = None
        definitions_changed()

    def toJSON(self):
        return {'name': self.name, 'properties': self.properties, 'settings': self.settings}


# ---------------------------------------------------------------------------
# Instance slots

def data_of(inst):
    """The instance's ``__data`` dict (its property values)."""
    return inst.__dict__['__data']


class PropertyDescriptor:
    """Accessor for one declared property; coerces on assignment.

    Read on the class, it yields whatever the base classes define under the
    same name (so a property called ``count`` does not hide ``Model.count``).
    """

    def __init__(self, name, fallback=None):
        self.name = name
        self.fallback = fallback

    def __get__(self, inst, owner):
        if inst is None:
            if self.fallback is not None and hasattr(self.fallback, '__get__'):
                return self.fallback.__get__(None, owner)
            if self.fallback is not None:
                return self.fallback
            return self
        getter = owner.__dict__.get('getter')
        if getter and self.name in getter:
            return getter[self.name](inst)
        return inst.__dict__['__data'].get(self.name)

    def __set__(self, inst, value):
        inst._set_property(self.name, value)


class IdAlias:
    """``inst.id`` for a model whose id property has another name."""

    def __get__(self, inst, owner):
        if inst is None:
            return self
        id_names = owner.definition.idNames()
        data = inst.__dict__['__data']
        if len(id_names) == 1:
            return data.get(id_names[0])
        return {n: data.get(n) for n in id_names}

    def __set__(self, inst, value):
        id_names = type(inst).definition.idNames()
        if len(id_names) == 1:
            inst._set_property(id_names[0], value)


class hybridmethod:
    """A method bound to the class when read on the class, else to the instance.

    juggler has static and prototype methods of the same name
    (``Model.getDataSource()`` and ``inst.getDataSource()``).
    """

    def __init__(self, func):
        self.func = func
        self.__doc__ = func.__doc__

    def __get__(self, inst, owner):
        return self.func.__get__(owner if inst is None else inst)


# Values that are never undefined nor callable (skip those checks per value).
_PLAIN_TYPES = frozenset((str, int, float, bool, type(None)))

_SLOT_NAMES = ('__data', '__cachedRelations', '__persisted', '__strict',
               '__unknownProperties', '__dataSource')


class ModelBase(Validatable):
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

    @classmethod
    def _build_loaded(cls, rows, options, adopt=False):
        """``[cls(row, options) for row in rows]`` for rows read from a connector.

        ``options`` are the DAO's load options (``applySetters`` False,
        ``persisted`` True, ``applyDefaultValues``, ``fields``).  Rows made
        only of declared properties holding plain values (str, number, bool,
        None, datetime) are built without the constructor's per-value walk,
        when the model has no custom setter, no structured property (object,
        array and any values are JSON-parsed on load) and nothing would fill
        in or drop a missing value: the instances are the same, except that
        ``__unknownProperties`` and ``__cachedRelations`` are left to be
        created on first use (most loaded instances never need them).  Rows are
        copied, unless ``adopt`` says they are the caller's to give away (a
        connector's fresh rows): those become the instances' data.
        """
        plan = _load_plan(cls)
        if plan is None or options.get('fields') is not None or cls.__dict__.get('setter'):
            return [cls(row, options) for row in rows]
        if len(rows) >= BATCH_MIN:
            with gc_paused():
                return cls._build_plainly(plan, rows, options, adopt)
        return cls._build_plainly(plan, rows, options, adopt)

    @classmethod
    def _build_plainly(cls, plan, rows, options, adopt):
        """_build_loaded's loop, for a class with a load plan."""
        names, count, ids = plan.names, plan.count, plan.ids
        fills = plan.fills_missing and options.get('applyDefaultValues') or \
            cls.settings.get('persistUndefinedAsNull')
        strict = cls.settings.get('strict', False)
        if len(rows) > 1 and _all_plain(plan, rows, fills):
            return cls._build_batch(plan, rows, strict, adopt)
        stored_types, id_types = FLAT_VALUE_TYPES, ALREADY_COERCED
        items = []   # a plain row's store, or the constructor's instance
        append = items.append
        for row in rows:
            if type(row) is not dict or not row.keys() <= names or \
                    not set(map(type, row.values())) <= stored_types or \
                    fills and len(row) != count:
                append(cls(row, options))
                continue
            store = row if adopt else dict(row)
            for name, tname in ids:
                value = store.get(name)
                if value is not None and id_types.get(tname) is not type(value):
                    store[name] = coerce_value(tname, value)
            append(store)
        return cls._instances_of(items, strict)

    @classmethod
    def _build_batch(cls, plan, rows, strict, adopt):
        """_build_plainly for rows that passed _all_plain as a whole: the
        per-row checks are already done, so each row costs only its copy,
        the instance and (rarely) an id coercion."""
        stores = rows if adopt else list(map(dict, rows))
        for name, tname in plan.ids:
            kinds = set(map(type, map(dict.get, stores, repeat(name))))
            kinds.discard(_NONE_TYPE)
            if kinds and kinds != {ALREADY_COERCED.get(tname)}:
                _coerce_ids(stores, name, tname)
        return cls._instances_of(stores, strict, only_stores=True)

    @classmethod
    def _instances_of(cls, items, strict, only_stores=False):
        """A loaded instance for each store (a dict) among ``items``, which
        becomes its data; other items are instances already, kept as they are
        (``only_stores``: the caller knows every item is a store)."""
        if len(items) >= BATCH_MIN and (only_stores or set(map(type, items)) <= _DICT_ONLY):
            return cls._instances_of_stores(items, strict)
        new, set_slots = object.__new__, object.__setattr__
        out = []
        append = out.append
        for store in items:
            if type(store) is not dict:
                append(store)
                continue
            inst = new(cls)
            set_slots(inst, '__dict__', {
                '__data': store, '__persisted': True, '__dataSource': None,
                '__strict': strict})
            append(inst)
        return out

    @classmethod
    def _instances_of_stores(cls, stores, strict):
        """_instances_of for a batch of stores only, its loop run in C (bulk.py:
        setting the loops up costs about as much as building a few instances)."""
        slots = list(map(dict.copy, repeat({'__data': None, '__persisted': True,
                                            '__dataSource': None, '__strict': strict},
                                           len(stores))))
        set_in_each(slots, '__data', stores)
        return new_instances(cls, slots)

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
            if type(value) not in _PLAIN_TYPES and (
                    value is undefined or callable(value) and not isinstance(value, type)):
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

    @staticmethod
    def _structured(prop, value):
        if prop['type'] == 'array':
            if value is None:
                return None
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
        store[name] = value if ALREADY_COERCED.get(tname) is type(value) \
            else coerce_value(tname, value, prop.get('itemType'))

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
                isinstance(type(self).__dict__.get(name), PropertyDescriptor):
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
        if isinstance(name, str) and name.startswith('$'):
            # juggler's raw accessor: this.$prop bypasses getter and setter
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
                out[name] = value if type(value) in flat else \
                    _plain(value, not schema_less, removeHidden)
            elif undef_null:
                out[name] = None
        if schema_less:
            for name, value in store.items():
                if name in out or name.startswith('__') or callable(value) and \
                        not isinstance(value, ModelBase):
                    continue
                if removeHidden and name in hidden or removeProtected and name in protected:
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
        """Assign several properties (juggler's setAttributes)."""
        if not isinstance(data, dict):
            return
        cls = type(self)
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


_MISSING = object()

_NO_DESCRIPTORS = {}
_NONE_TYPE = type(None)
_DICT_ONLY = {dict}


# Bumped whenever a model definition may have changed (a property added or
# retyped, a class built or attached); _load_plan answers are reused only
# while it stays the same.
_definitions_generation = [0]


def definitions_changed():
    """Forget the cached load plans (a property was added, retyped or removed)."""
    _definitions_generation[0] += 1


class _LoadPlan:
    """What ModelBase._build_loaded needs to know of a model class."""

    __slots__ = ('generation', 'names', 'count', 'ids', 'fills_missing')


def _load_plan(cls):
    """The class's load plan, or None when its rows need the full constructor."""
    plan = cls.__dict__.get('_load_plan_cache')
    if plan is not None and plan.generation == _definitions_generation[0]:
        return plan if plan.names is not None else None
    plan = _LoadPlan()
    plan.generation = _definitions_generation[0]
    props = cls.definition.properties
    plan.names = frozenset(props) if _loads_plainly(cls, props) else None
    plan.count = len(props)
    plan.ids = tuple((name, props[name]['type']) for name in cls.definition.idNames())
    plan.fills_missing = any(
        'default' in prop or prop.get('defaultFn') for prop in props.values())
    type.__setattr__(cls, '_load_plan_cache', plan)
    return plan if plan.names is not None else None


def _all_plain(plan, rows, fills):
    """Whether every row passes _build_plainly's per-row test: a dict of
    declared names holding plain values (and all of them, when ``fills``).
    Checked over all rows at once, so the work is done in C, not per row;
    what a connector's FlatRows says is not checked again."""
    checked = type(rows) is FlatRows
    return (checked or set(map(type, rows)) == _DICT_ONLY) and \
        set(chain.from_iterable(rows)) <= plan.names and \
        (checked or set(map(type, chain.from_iterable(map(dict.values, rows))))
         <= FLAT_VALUE_TYPES) and \
        not (fills and set(map(len, rows)) != {plan.count})


def _coerce_ids(stores, name, tname):
    wanted = ALREADY_COERCED.get(tname)
    for store in stores:
        value = store.get(name)
        if value is not None and type(value) is not wanted:
            store[name] = coerce_value(tname, value)


def _nothing_to_fill(cls):
    """Whether _initProperties' pass over the properties has nothing to do for
    ``cls`` (besides persistUndefinedAsNull, checked by the caller): no
    default or defaultFn, no structured property to parse, no
    persistDefaultValues: false (what its load plan knows)."""
    plan = _load_plan(cls)
    return plan is not None and not plan.fills_missing


def _loads_plainly(cls, props):
    if cls.__init__ is not ModelBase.__init__ or \
            cls._initProperties is not ModelBase._initProperties:
        return False  # a subclass that builds its instances its own way
    for prop in props.values():
        if prop['type'] in _STRUCTURED or prop.get('persistDefaultValues') is False:
            return False
    return True


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
    return value


def id_equals(a, b):
    """juggler's utils.idEquals: ids are equal when equal as strings."""
    if a == b:
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return js_string(a) == js_string(b)


# ---------------------------------------------------------------------------
# Building model classes

def build_model_class(name, properties, settings, base):
    """A new model class ``name`` deriving from ``base`` (a ModelBase subclass).

    # LoopBack: ModelBuilder.prototype.define(name, properties, settings)

    Base-model properties are inherited (a subclass defining its own id
    replaces the inherited ids).  idInjection adds ``id`` ({type number,
    id, generated}); a generated id gets ``forceId: 'auto'`` unless
    forceId is False.  The data source finishes the job (id type from the
    connector, forceId validation, relations).
    """
    settings = dict(settings or {})
    own = normalize_properties(properties, name)
    base_def = getattr(base, 'definition', None)
    merged = {}
    if base_def is not None and base is not ModelBase:
        redefines_id = any(p.get('id') for p in own.values())
        for key, prop in base_def.properties.items():
            if redefines_id and prop.get('id'):
                continue
            merged[key] = dict(prop)
        base_settings = {k: v for k, v in base_def.settings.items()
                         if k not in ('base',)}
        settings = dict(base_settings, **settings)
    for key in list((properties or {}).keys()):
        if (properties or {})[key] is None or (properties or {})[key] is False:
            merged.pop(key, None)
    merged.update(own)
    for key in settings.get('excludeBaseProperties') or []:
        merged.pop(key, None)

    definition = ModelDefinition(name, merged, settings)
    if settings.get('idInjection') is not False and not definition.idNames():
        definition.properties['id'] = {'type': 'number', 'id': 1, 'generated': True}
        definition._ids_cache = None

    namespace = {
        'modelName': name,
        'definition': definition,
        'settings': settings,
        'relations': {},
        '_observers': {},
        '_warned': {},
        'getter': {},
        'setter': {},
        '__module__': getattr(base, '__module__', __name__),
        '__qualname__': name,
    }
    cls = type(_class_identifier(name), (base,), namespace)
    definitions_changed()
    for prop_name in definition.properties:
        register_property(cls, prop_name)
    id_names = definition.idNames()
    if id_names and 'id' not in definition.properties:
        setattr(cls, 'id', IdAlias())
    for prop_name, prop in definition.properties.items():
        cls._add_property_validations(prop_name, prop)
    _setup_force_id(cls)
    return cls


def _setup_force_id(cls):
    """juggler's forceId: a generated id can't be set on create ('auto')."""
    definition = cls.definition
    id_name = definition.idName()
    if not id_name:
        return
    force_id = cls.settings.get('forceId')
    id_prop = definition.properties[id_name]
    if id_prop.get('generated') and force_id is not False:
        force_id = 'auto'
    elif not id_prop.get('generated') and force_id == 'auto':
        force_id = False
    if force_id:
        cls.validatesAbsenceOf(id_name, {'if': 'isNewRecord'})
    id_prop['updateOnly'] = bool(force_id)
    cls.settings['forceId'] = force_id


def shadowed_method(inst, name):
    """``inst``'s method ``name`` even when a declared property of that name
    hides it on the instance (``inst.toJSON`` is then the property's value,
    as in juggler); None when the class has no such method."""
    for klass in type(inst).__mro__:
        attr = klass.__dict__.get(name)
        if isinstance(attr, PropertyDescriptor):
            attr = attr.fallback
        if attr is not None and hasattr(attr, '__get__'):
            return attr.__get__(inst, type(inst))
    return None


def register_property(cls, prop_name):
    """Install the accessor for one declared property on ``cls``."""
    fallback = None
    for klass in cls.__mro__[1:]:
        if prop_name in klass.__dict__:
            candidate = klass.__dict__[prop_name]
            if isinstance(candidate, PropertyDescriptor):
                fallback = candidate.fallback
            else:
                fallback = candidate
            break
    setattr(cls, prop_name, PropertyDescriptor(prop_name, fallback))


def _class_identifier(name):
    ident = re.sub(r'\W', '_', name)
    if not ident or ident[0].isdigit():
        ident = '_' + ident
    return ident
