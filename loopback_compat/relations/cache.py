"""The relation cache on model instances, and the instance hooks relations need.

# LoopBack: instance.__cachedRelations, instance.__data, Relation.resetCache/getCache

juggler keeps, per instance, ``__cachedRelations[name]``: absent (undefined)
when the relation was never loaded, ``null`` when a lookup found nothing
(include), else the related instance.  ``__data[name]`` holds what ``include``
loaded so that ``toJSON()`` shows it.  These helpers are the only place that
knows how the model layer stores them.
"""

CACHE_ATTRS = ('__cachedRelations', '_cachedRelations', '__cached_relations__')
DATA_ATTRS = ('__data', '_data', '__data__')


_model_base = []
_NO_SLOTS = {}


def is_model_instance(value):
    """True for an instance of any model class (juggler ``instanceof ModelBaseClass``)."""
    if not _model_base:
        # Imported late: the model layer mixes RelationMixin in, so it imports this package.
        from ..model.instance import ModelBase
        _model_base.append(ModelBase)
    return isinstance(value, _model_base[0])


def cached_relations(instance):
    """The instance's relation-cache dict (created when missing).

    A plain dict (a raw row given to ``Model.include``) keeps it under the
    key ``__cachedRelations``, as juggler does with plain objects.
    """
    try:   # a model instance that has one: every relation call asks
        cache = instance.__dict__[CACHE_ATTRS[0]]
        if cache is not None:
            return cache
    except (AttributeError, KeyError):
        pass
    if isinstance(instance, dict):
        return instance.setdefault(CACHE_ATTRS[0], {})
    slots = getattr(instance, '__dict__', _NO_SLOTS)
    if '__data' in slots:
        # a model instance loaded without one: made on first use
        return slots.setdefault(CACHE_ATTRS[0], {})
    for attr in CACHE_ATTRS:
        try:
            cache = object.__getattribute__(instance, attr)
        except AttributeError:
            continue
        if cache is None:
            cache = {}
            object.__setattr__(instance, attr, cache)
        return cache
    cache = {}
    object.__setattr__(instance, CACHE_ATTRS[0], cache)
    return cache


def data_of(instance):
    """The instance's raw property dict (juggler ``__data``)."""
    if isinstance(instance, dict):
        return instance
    data = getattr(instance, '__dict__', _NO_SLOTS).get(DATA_ATTRS[0])
    if data is not None:
        return data
    for attr in DATA_ATTRS:
        try:
            return object.__getattribute__(instance, attr)
        except AttributeError:
            continue
    raise AttributeError('model instance without a data dict')


def get_cache(instance, name, default=None):
    """The cached value: ``default`` when never loaded (undefined), else value or None."""
    return cached_relations(instance).get(name, default)


def has_cache(instance, name):
    """True when the relation was loaded, even if it found nothing (null)."""
    return name in cached_relations(instance)


def reset_cache(instance, name, value=None):
    """juggler ``resetCache(x)``: store ``x``, or forget the relation when x is falsy."""
    cache = cached_relations(instance)
    if value is None or value is False:
        cache.pop(name, None)
    else:
        cache[name] = value


def set_cache(instance, name, value):
    """Store ``value`` as is, including None (= loaded, nothing found)."""
    cached_relations(instance)[name] = value


def set_included(instance, name, value):
    """Make ``value`` part of the instance's JSON (include found it)."""
    data_of(instance)[name] = value


def set_include_data(obj, name, value):
    """What an include found for ``obj``: a plain object (a row given to
    ``Model.include``) gets ``obj[name] = value``, an instance :func:`set_included`.

    # LoopBack: the ``obj.__data[relationName] = ...`` / ``obj[relationName] = ...`` of include.js
    """
    if isinstance(obj, dict):
        obj[name] = value
    else:
        set_included(obj, name, value)


def all_instances(objects):
    """True when every object is a model instance: their relation cache and
    data are then the ``__cachedRelations``/``__data`` entries of their slots."""
    is_model_instance(None)   # imports the base class
    base = _model_base[0]
    return all(issubclass(kind, base) for kind in set(map(type, objects)))


def read_all(objects, key):
    """``[read(obj, key) for obj in objects]``, made for bulk use.

    When every object is an instance of one model class that declares
    ``key`` without a custom getter, the values are taken straight from the
    instances' data; anything else goes through :func:`read`.
    """
    kinds = set(map(type, objects))
    if len(kinds) == 1 and is_model_instance(objects[0]) and _stored_as_is(kinds.pop(), key):
        data = DATA_ATTRS[0]
        return [obj.__dict__[data].get(key) for obj in objects]
    return [read(obj, key) for obj in objects]


def _stored_as_is(kind, key):
    """Whether ``instance[key]`` of a ``kind`` instance is its stored value: a
    declared property with no custom getter (``Model.getter``)."""
    definition = getattr(kind, 'definition', None)
    return definition is not None and key in definition.properties and \
        not getattr(kind, 'getter', None)


def read(instance, key):
    """``instance[key]`` for model instances and dicts; None when unset."""
    if isinstance(instance, dict):
        return instance.get(key)
    data = getattr(instance, '__dict__', _NO_SLOTS).get(DATA_ATTRS[0])
    if data is not None and _stored_as_is(type(instance), key):
        return data.get(key)
    try:
        return instance[key]
    except (KeyError, AttributeError):
        return None
