"""Properties typed by a model: named models, anonymous models, lists of them.

# LoopBack: ModelBuilder.prototype.resolveType (lib/model-builder.js), the
#           setter registerProperty generates (``DataType(value)``, ``List``),
#           the last pass of ModelBaseClass.prototype._initProperties
#           (lib/model.js) and lib/list.js of loopback-datasource-juggler 3.x

A property may be typed by a model class (``{'address': Address}``,
``{'address': {'type': Address}}``, ``{'addresses': [Address]}``), by the
name of a model of the model builder (``{'type': 'Address'}``, as model JSON
says it: :func:`named_model`; a name not defined yet is the builder's
placeholder, which becomes the model when it is defined), or by a
plain dict of properties, which juggler turns into an *anonymous model*
(``AnonymousModel_<n>``: ``idInjection`` False, ``strict`` False unless the
model builder's ``strictEmbeddedModels`` setting says otherwise)::

    'address': {'street': str, 'city': str}          # no 'type' key
    'address': {'type': {'street': str}, 'required': True}
    'friends': [{'name': str}]                       # a list of them
    'friends': {'type': [{'name': str}]}

:func:`resolve_property_types` (called by ``build_model_class`` and
``ModelDefinition.defineProperty`` before they normalise the properties)
replaces those dicts by the anonymous model classes, and model names by the
models (only where a builder is given: ``defineProperty`` has none, so a name
stays a name there); types.normalize_property
then records the class as ``prop['model']`` (``'type'`` is its model name)
or, for a list, ``prop['itemModel']`` (``'type'`` 'array', ``'itemType'``
its name).  juggler treats *every* plain object without a truthy ``type`` as
an anonymous model, even ``{'required': True}``, which makes a model with a
property called ``required`` of type ``true`` (and garbles every value); here
a dict only defines an anonymous model when each of its values is a type
spelling (a string, a type or class, a list or a dict); others keep their
old meaning (type 'any'), as listed in docs/differences.md.

Values: assigning a model-typed property builds an instance of the model
(:func:`assigned_value`, juggler's ``DataType(value)``: an instance of that
model is kept, anything else goes through the model's constructor); a list
property of a model builds each item (juggler's ``List``).  Values loaded
from a connector (the constructor with ``applySetters`` False) take
juggler's last pass (:func:`loaded_value`): a string is JSON-parsed, then an
object is built into the model.  ``toObject``/``toJSON`` give plain data
back (the nested instances' own ``toObject``).  Connectors see plain dicts
and lists: the SQL connectors store such a property as JSON (any type that
is not string, number, boolean, date or buffer gets a JSON column).
"""

import itertools
import json

from ..js.values import to_string, truthy
from ..types import TYPE_NAMES, coerce_list, type_name

__all__ = ['resolve_property_types', 'resolve_property_type', 'define_anonymous_model',
           'named_model', 'assigned_value', 'loaded_value', 'is_sub_model_property']

_anonymous_count = itertools.count()

# The values whose JavaScript typeof is not 'object' (juggler's last pass
# JSON-parses them; the model constructor turns them into keyed data).
_SCALARS = (str, int, float, bool)


def is_sub_model_property(prop):
    """Whether the normalised property ``prop`` is typed by a model or a list of one."""
    return 'model' in prop or 'itemModel' in prop


# ---------------------------------------------------------------------------
# Definition time (juggler's resolveType)

def _is_type_spelling(value):
    return isinstance(value, (str, list, dict, type))


def _anonymous_definition(spec):
    """Whether the dict ``spec`` reads as the properties of an anonymous model."""
    return all(map(_is_type_spelling, spec.values()))


def named_model(name, builder):
    """The model of ``builder`` called ``name``, a type name that is no LoopBack type
    (juggler: ``schemaTypes[name.toLowerCase()] || this.models[name]``, else
    a placeholder that becomes the model once it is defined: the builder's
    ``getModel(name, True)``); None without a builder or for a type name."""
    if builder is None or type_name(name) in TYPE_NAMES:
        return None
    get_model = getattr(builder, 'getModel', None)
    if callable(get_model):
        model = get_model(name, True)
    else:
        model = (getattr(builder, 'models', None) or {}).get(name)
    return model if isinstance(model, type) and getattr(model, 'modelName', None) else None


def resolve_property_type(spec, builder=None):
    """``spec`` with any anonymous model definition in it replaced by the model
    class (:func:`define_anonymous_model`), and a model named by a string
    replaced by the builder's model of that name (:func:`named_model`);
    ``spec`` itself when there is none."""
    if isinstance(spec, str):
        return named_model(spec, builder) or spec
    if isinstance(spec, list):
        if spec and isinstance(spec[0], dict) and spec[0].get('type') is not None \
                and truthy(spec[0]['type']):
            # [{type: 'string', trim: true}]: the item type is the definition's
            # type (juggler's resolveType(prop[0]); the other keys are dropped)
            return resolve_property_type([spec[0]['type']] + spec[1:], builder)
        if spec and isinstance(spec[0], dict) and _anonymous_definition(spec[0]):
            return [define_anonymous_model(spec[0], builder)] + spec[1:]
        if spec and isinstance(spec[0], str):
            model = named_model(spec[0], builder)
            return [model] + spec[1:] if model is not None else spec
        return spec
    if not isinstance(spec, dict):
        return spec
    kind = spec.get('type')
    if kind is not None and truthy(kind):
        # {type: {...}} is always a sub-model definition (juggler's isSubProperty),
        # even one with a property called 'type'
        if isinstance(kind, dict) and _anonymous_definition(kind):
            return dict(spec, type=define_anonymous_model(kind, builder))
        if isinstance(kind, (list, str)):
            resolved = resolve_property_type(kind, builder)
            return spec if resolved is kind else dict(spec, type=resolved)
        return spec
    if 'type' in spec and kind is None or not _anonymous_definition(spec):
        return spec     # {type: None, ...} and {required: True}: type 'any', as before
    return {'type': define_anonymous_model(spec, builder)}


def resolve_property_types(properties, builder=None):
    """``properties`` with their anonymous model definitions resolved
    (:func:`resolve_property_type`); the same dict when there are none."""
    if not properties:
        return properties
    out = None
    for name, spec in properties.items():
        if isinstance(spec, (dict, list)) or builder is not None and isinstance(spec, str):
            resolved = resolve_property_type(spec, builder)
            if resolved is not spec:
                if out is None:
                    out = dict(properties)
                out[name] = resolved
    return properties if out is None else out


def define_anonymous_model(properties, builder=None):
    """A new anonymous model class with ``properties``.

    # LoopBack: modelBuilder.define(modelBuilder.getSchemaName(null), prop,
    #           {anonymous: true, idInjection: false,
    #            strict: modelBuilder.settings.strictEmbeddedModels || false})

    ``builder`` is the model builder defining the model that holds the
    property, when there is one (anything with ``define``; its
    ``getSchemaName()`` names the model and its ``settings`` may hold
    ``strictEmbeddedModels``); without one the class is built directly, on
    :class:`~loopback_compat.model.instance.ModelBase`, and named from a
    counter of this module.
    """
    if builder is not None and callable(getattr(builder, 'define', None)):
        settings = getattr(builder, 'settings', None) or {}
        get_name = getattr(builder, 'getSchemaName', None)
        name = get_name(None) if callable(get_name) else _next_name()
        return builder.define(name, properties, {
            'anonymous': True, 'idInjection': False,
            'strict': settings.get('strictEmbeddedModels') or False})
    from .builder import build_model_class
    from .instance import ModelBase
    return build_model_class(_next_name(), properties, {
        'anonymous': True, 'idInjection': False, 'strict': False}, ModelBase)


def _next_name():
    return 'AnonymousModel_%d' % next(_anonymous_count)


# ---------------------------------------------------------------------------
# Values

def _constructor_data(value):
    """What ``new Model(value)`` reads from a value that is not an instance of
    the model: a dict as it is, another model instance's data, the indexed
    items of a string or list (Object.keys), nothing of other values."""
    if isinstance(value, dict):
        return value
    to_object = getattr(value, 'toObject', None)
    if callable(to_object) and hasattr(value, '_initProperties'):
        return to_object(False)
    if isinstance(value, (str, list, tuple)):
        return {str(i): item for i, item in enumerate(value)}
    return {}


def _build(model, value):
    return value if isinstance(value, model) else model(_constructor_data(value))


def _list_of(model, value):
    """juggler's ``List(value, [Model])``: JSON text parsed, anything but a
    list refused (400), each item built into the model, except a list, which
    List's toItem keeps as it is."""
    items = coerce_list(value, None)
    return [item if isinstance(item, (model, list)) else model(_constructor_data(item))
            for item in items]


def assigned_value(prop, value):
    """The value a model-typed property holds once ``value`` is assigned
    (juggler's setter: ``value instanceof DataType ? value : DataType(value)``,
    ``List(value, [Model])``); None stays None."""
    if value is None:
        return None
    model = prop.get('model')
    if model is not None:
        return _build(model, value)
    return _list_of(prop['itemModel'], value)


def loaded_value(prop, value):
    """The value a model-typed property holds after the constructor's last pass
    when no setter built it (a row loaded from a connector, a default): a
    string, number or boolean is JSON-parsed (kept as text if it is no JSON),
    then an object becomes an instance of the model (a list, a list of them)."""
    if value is None:
        return None
    if isinstance(value, _SCALARS) and value:
        text = to_string(value)
        try:
            value = json.loads(text)
        except ValueError:
            value = text
        if value is None:
            return None
    model = prop.get('model')
    if model is not None:
        if isinstance(value, _SCALARS):
            return value
        return _build(model, value)
    return _list_of(prop['itemModel'], value)
