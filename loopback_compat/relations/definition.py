"""Relation definitions: the object stored in ``Model.relations[name]``.

# LoopBack: lib/relation-definition.js RelationDefinition, lookupModelTo,
#           normalizePolymorphic; lib/datasource.js defineForeignKey

This module holds what every relation type shares: parameter normalisation
(dict or keyword arguments, ``as_`` for ``as``), juggler's naming defaults
(``camelize``), target lookup by name, polymorphic normalisation, the
foreign-key property juggler adds to a model, and the query/property helpers
(``applyScope``, ``applyProperties``) the per-instance relation objects use.
"""

import copy

from ..errors import AssertionError_, LoopBackError
from ..filters.merge import merge_query
from ..inflection import pluralize, singularize
from ..js.values import to_string

RELATION_TYPES = ('belongsTo', 'hasMany', 'hasOne', 'hasAndBelongsToMany',
                  'referencesMany', 'embedsOne', 'embedsMany')

#: juggler's ``RelationClasses``: relation type -> the class of its per-instance
#: object; each relation module registers its own (``'hasManyThrough'`` too)
RELATION_CLASSES = {}

MISSING = object()
"""Stands for JavaScript's ``undefined`` where it differs from ``None`` (null)."""


# ---------------------------------------------------------------- JS semantics

def js_string(value):
    """``String(value)`` (:func:`js.values.to_string`) for messages and key
    matching, where None means a value not set yet, which juggler prints as
    ``undefined`` (an unsaved instance has no id); MISSING is undefined too."""
    if value is MISSING or value is None:
        return 'undefined'
    return to_string(value)


def truthy_key(key):
    """juggler's ``if (sourceId)`` on a key an include collects: unset, null,
    0, '' and false are skipped (NaN and other values are kept)."""
    return key is not None and key is not False and key != 0 and key != ''


def id_equals(a, b):
    """juggler's ``idEquals``: number and string ids compare loosely."""
    if a == b and type(a) is type(b):
        return True
    numeric = (int, float)
    if (isinstance(a, numeric) and isinstance(b, str)) or \
            (isinstance(a, str) and isinstance(b, numeric)):
        try:
            return float(a) == float(b)
        except ValueError:
            return False
    return js_string(a) == js_string(b) and a == b


def camelize(text, low_first=True):
    """``inflection.camelize(text, lowFirst)`` as juggler uses it.

    Splits on ``_`` (segments after the first are lower-cased), upper-cases
    each segment's first letter and lower-cases the very first one:
    ``Supplier_id`` -> ``supplierId``, ``my_supplier_id`` -> ``mySupplierId``,
    ``ABCModel`` -> ``aBCModel``.  Hyphens are left alone.
    """
    paths = text.split('/')
    out = []
    for i, path in enumerate(paths):
        parts = path.split('_')
        for k, part in enumerate(parts):
            if k:
                part = part.lower()
            first = part[:1]
            first = first.lower() if (low_first and i == 0 and k == 0) else first.upper()
            parts[k] = first + part[1:]
        out.append(''.join(parts))
    return '::'.join(out)


# ------------------------------------------------------------------ parameters

def normalize_params(params=None, kwargs=None):
    """Relation params from a dict and/or keyword arguments (``as_`` -> ``as``).

    Returns a new dict; the caller's dict is not modified.
    """
    if params is not None and not isinstance(params, dict):
        raise LoopBackError('Relation params must be an object')
    out = dict(params or {})
    for key, value in (kwargs or {}).items():
        out['as' if key == 'as_' else key] = value
    if 'as_' in out:
        out.setdefault('as', out.pop('as_'))
    return out


def normalize_relation_as(params, ref):
    """A target given by name also names the relation (``hasOne('profile')``)."""
    if isinstance(ref, str) and not params.get('as'):
        params['as'] = ref
    return params


def normalize_polymorphic(polymorphic, relation_name):
    """juggler's ``normalizePolymorphic``: a dict {selector, foreignKey, discriminator}.

    ``'imageable'`` -> selector 'imageable'; ``True`` -> selector = relation
    name; a dict keeps its other keys (idType, invert...) and takes
    ``selector`` or ``as`` as selector.  Defaults: ``<selector>Id`` and
    ``<selector>Type``.  The caller's dict is copied, not mutated.
    """
    if not polymorphic:
        raise AssertionError_("polymorphic param can't be false, null or undefined",
                              code='ERR_ASSERTION')
    selector = None
    if isinstance(polymorphic, str):
        selector = polymorphic
    if polymorphic is True:
        selector = relation_name
    if isinstance(polymorphic, dict):
        selector = polymorphic.get('selector') or polymorphic.get('as')
        polymorphic = dict(polymorphic)
    else:
        polymorphic = {}
    selector = selector or relation_name or 'reference'
    polymorphic['selector'] = selector
    polymorphic['foreignKey'] = polymorphic.get('foreignKey') or camelize(selector + '_id')
    polymorphic['discriminator'] = (polymorphic.get('discriminator')
                                    or camelize(selector + '_type'))
    return polymorphic


# ---------------------------------------------------------------- model access

def models_of(model):
    """The registry of models visible from ``model``'s data source, by name."""
    ds = getattr(model, 'dataSource', None)
    if ds is None:
        return {}
    builder = getattr(ds, 'modelBuilder', None)
    models = getattr(builder, 'models', None) if builder is not None else None
    if models is None:
        models = getattr(ds, 'models', None)
    return models or {}


def lookup_model(models, name):
    """A model by exact name, else case-insensitively (juggler ``lookupModel``)."""
    if not isinstance(name, str):
        return None
    if name in models:
        return models[name]
    lower = name.lower()
    for key, model in models.items():
        if key.lower() == lower:
            return model
    return None


def lookup_model_to(model_from, ref, params, singularize=False):
    """Resolve a relation target given as a class or a name.

    # LoopBack: lookupModelTo(modelFrom, modelToRef, params, singularize)

    A name is tried as ``params['model'] or ref``, then as ``params['as'] or
    ref``; each exactly, then case-insensitively; with ``singularize``
    (hasMany) each name is made singular first (``'readers'`` -> reader).
    Raises ``Could not find relation <as> for model <Source>``.
    """
    if not isinstance(ref, str):
        target = ref
    else:
        models = models_of(model_from)
        fix = _singular if singularize else _same
        target = params.get('model') or ref
        if isinstance(target, str):
            target = lookup_model(models, fix(target).lower())
        if not target:
            target = lookup_model(models, fix(params.get('as') or ref).lower())
    if not isinstance(target, type):
        raise LoopBackError('Could not find relation %s for model %s' % (
            js_string(params.get('as')), model_from.modelName))
    return target


def _singular(name):
    return singularize(name)


def _same(name):
    return name


def plural_model_name(model):
    """``Model.pluralModelName``: the ``plural`` setting, else the name pluralised.

    # LoopBack: ModelClass.pluralModelName (lib/model-builder.js)
    """
    plural = getattr(model, 'pluralModelName', None)
    if isinstance(plural, str) and plural:
        return plural
    settings = getattr(model, 'settings', None) or {}
    return settings.get('plural') or pluralize(model.modelName)


def properties_of(model):
    """``Model.definition.properties`` (name -> property dict)."""
    return model.definition.properties


def id_name(model):
    """The name of the model's id property, or None."""
    getter = getattr(model, 'getIdName', None) or getattr(model, 'idName', None)
    if callable(getter):
        try:
            return getter()
        except TypeError:
            pass
    definition = getattr(model, 'definition', None)
    getter = getattr(definition, 'idName', None)
    if callable(getter):
        return getter()
    for name, prop in properties_of(model).items():
        if prop.get('id'):
            return name
    return None


def define_property(model, name, spec):
    """Add (or replace) a property on ``model`` through the model layer."""
    ds = getattr(model, 'dataSource', None)
    hook = getattr(ds, 'defineProperty', None)
    if callable(hook):
        hook(model.modelName, name, spec)
        return
    model.defineProperty(name, spec)


def define_foreign_key(model, key, foreign_model, pk_name=None):
    """Give ``model`` a foreign-key property typed like ``foreign_model[pk_name]``.

    # LoopBack: dataSource.defineForeignKey(className, key, foreignClassName, pkName)

    An existing property keeps its other settings but its type is replaced
    by the foreign key's type (``supplierId: 'string'`` becomes 'number' when
    Supplier's id is a number), as juggler does.
    """
    pk_name = pk_name or id_name(foreign_model)
    pk_type = None
    if pk_name:
        pk_prop = properties_of(foreign_model).get(pk_name)
        pk_type = pk_prop.get('type') if pk_prop else None
    existing = properties_of(model).get(key)
    if existing is not None:
        if pk_type is not None:
            existing['type'] = pk_type
            raw = getattr(model.definition, 'rawProperties', None)
            if isinstance(raw, dict) and isinstance(raw.get(key), dict):
                raw[key]['type'] = pk_type
            retype = getattr(model, '_retypeProperty', None)
            if callable(retype):
                retype(key, pk_type)
        return
    define_property(model, key, {'type': pk_type})


def own_relations(model):
    """``model.relations`` as a dict owned by this class (not a base class's)."""
    relations = model.__dict__.get('relations')
    if not isinstance(relations, dict):
        inherited = getattr(model, 'relations', None)
        relations = dict(inherited) if isinstance(inherited, dict) else {}
        setattr(model, 'relations', relations)
    return relations


# ------------------------------------------------------------ the definition

class RelationDefinition:
    """One relation of a model, as stored in ``Model.relations[name]``.

    # LoopBack: new RelationDefinition({name, type, modelFrom, keyFrom, ...})

    Attributes mirror juggler's: ``name``, ``type``, ``modelFrom``,
    ``keyFrom``, ``modelTo`` (None for a polymorphic belongsTo), ``keyTo``,
    ``multiple``, ``properties``, ``options``, ``scope``, ``polymorphic``
    (a dict or None), ``methods``, ``keyThrough`` and ``modelThrough``
    (hasMany).  ``toJSON()`` gives juggler's dict.
    """

    def __init__(self, name, type, modelFrom, keyFrom=None, modelTo=None, keyTo=None,
                 multiple=False, properties=None, options=None, scope=None,
                 polymorphic=None, methods=None, relation_class=None, keyThrough=None,
                 modelThrough=None):
        if not name:
            raise AssertionError_('Relation name is missing', code='ERR_ASSERTION')
        self.name = name
        self.type = normalize_type(type)
        if not self.type:
            raise AssertionError_('Invalid relation type: %s' % js_string(type),
                                  code='ERR_ASSERTION')
        self.modelFrom = modelFrom
        self.keyFrom = keyFrom
        self.modelTo = modelTo
        self.keyTo = keyTo
        self.multiple = multiple
        self.properties = properties if properties is not None else {}
        self.options = options or {}
        self.scope = scope
        self.polymorphic = polymorphic
        self.methods = dict(methods or {})
        self.relation_class = relation_class
        self.keyThrough = keyThrough
        self.modelThrough = modelThrough

    def __repr__(self):
        return '<RelationDefinition %r>' % (self.toJSON(),)

    def toJSON(self):
        """``{name, type, modelFrom, keyFrom, modelTo, keyTo, multiple[, polymorphic]}``."""
        polymorphic = isinstance(self.polymorphic, dict)
        model_to = self.modelTo.modelName if self.modelTo is not None else None
        if model_to is None and polymorphic and self.type == 'belongsTo':
            model_to = '<polymorphic>'
        out = {
            'name': self.name,
            'type': self.type,
            'modelFrom': self.modelFrom.modelName,
            'keyFrom': self.keyFrom,
            'modelTo': model_to,
            'keyTo': self.keyTo,
            'multiple': self.multiple,
        }
        if self.modelThrough is not None:
            out['modelThrough'] = self.modelThrough.modelName
            out['keyThrough'] = self.keyThrough
        if polymorphic:
            out['polymorphic'] = dict(self.polymorphic)
        return out

    def defineMethod(self, name, fn):
        """Add a custom method to the relation accessor (``s.account.<name>()``).

        # LoopBack: Supplier.relations.account.defineMethod(name, fn)

        ``fn`` receives the accessor as its first argument.  When
        ``fn.shared`` is true it is also installed as
        ``__<name>__<relation>`` on the model, for the REST layer, carrying
        ``fn``'s ``shared``, ``accepts``, ``returns``, ``http`` and
        ``description`` (juggler's sharedMethod).  Returns a function
        ``method(instance, *args)`` calling it for an instance.
        """
        relation_name = self.name
        if self.multiple:
            from .relation import define_scope_method
            method = define_scope_method(self, name, fn)
        else:
            self.methods[name] = fn

            def method(instance, *args, **kwargs):
                accessor = getattr(instance, relation_name)
                return getattr(accessor, name)(*args, **kwargs)

        if getattr(fn, 'shared', False):
            share_method(method, fn)
            setattr(self.modelFrom, '__%s__%s' % (name, relation_name), method)
        return method

    # -- helpers used by the relation objects ---------------------------------

    def _discriminator_value(self):
        if self.polymorphic.get('invert'):
            return self.modelTo.modelName
        return self.modelFrom.modelName

    def _targets_polymorphic(self):
        """True for the side that writes/filters the discriminator (not belongsTo)."""
        return self.type != 'belongsTo' and isinstance(self.polymorphic, dict)

    def applyScope(self, instance, filter):
        """Add the discriminator and the relation ``scope`` to ``filter`` (in place).

        # LoopBack: definition.applyScope(modelInstance, filter)

        ``scope`` may be a dict or ``fn(instance, filter) -> dict``;
        ``instance`` is None during include.
        """
        if filter.get('where') is None:
            filter['where'] = {}
        # (a non-polymorphic relation's polymorphic is None: no call needed)
        if self.polymorphic and self._targets_polymorphic():
            filter['where'][self.polymorphic['discriminator']] = self._discriminator_value()
        scope = self.scope
        if callable(scope):
            scope = scope(instance, filter)
        if isinstance(scope, dict):
            merge_query(filter, copy.deepcopy(scope))
        return filter

    def applyProperties(self, instance, target):
        """Copy ``properties`` from the source onto ``target`` (dict or instance).

        # LoopBack: definition.applyProperties(modelInstance, obj)

        ``properties`` may be ``{srcProp: targetProp}``, a list of names
        copied as-is, or ``fn(source, target) -> dict``.  These values win
        over the caller's data; the polymorphic discriminator is always set.
        """
        source = instance
        if self.options.get('invertProperties'):
            source, target = target, source
        if self.options.get('embedsProperties'):
            embedded = {self.keyTo: _read(source, self.keyTo)}
            _data_of(target)[self.name] = embedded
            target = embedded
        props = self.properties
        if callable(props):
            for key, value in (props(source, target) or {}).items():
                _write(target, key, value)
        elif isinstance(props, (list, tuple)):
            for key in props:
                _write(target, key, _read(source, key))
        elif isinstance(props, dict):
            for src_key, target_key in props.items():
                _write(target, target_key, _read(source, src_key))
        if self.polymorphic and self._targets_polymorphic():
            _write(target, self.polymorphic['discriminator'], self._discriminator_value())


def share_method(method, fn):
    """Mark ``method`` shared with ``fn``'s remoting metadata.

    # LoopBack: sharedMethod(definition, methodName, method, relationMethod)
    """
    method.shared = True
    for attr in ('accepts', 'returns', 'http', 'description'):
        setattr(method, attr, getattr(fn, attr, None))
    return method


def normalize_type(type):
    """The canonical relation type for any casing of it, else None."""
    if not isinstance(type, str):
        return None
    for known in RELATION_TYPES:
        if known.lower() == type.lower():
            return known
    return None


def _read(obj, key):
    if isinstance(obj, dict):
        return obj.get(key)
    try:
        return obj[key]
    except (KeyError, TypeError):
        return getattr(obj, key, None)


def _write(obj, key, value):
    obj[key] = value


def _data_of(instance):
    from .cache import data_of
    return data_of(instance)
