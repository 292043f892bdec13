"""The class builder: a model class from a name, properties and settings.

# LoopBack: lib/model-builder.js (ModelBuilder.prototype.define)

:func:`build_model_class` is called by the data source (users call
``ds.createModel`` / ``ds.define``).  The class it returns carries
``modelName``, ``settings``, ``definition`` (a
:class:`~loopback_compat.model.definition.ModelDefinition`), one
descriptor per property (model/properties.py), the validations juggler
derives from the properties (``required``, dates, forceId), and empty
``relations``, ``_observers``, ``getter`` and ``setter`` dicts of its own
(the relations package and the observer mixin fill the first two).  The data
source finishes the job: the id type from the connector, relations, the
attachment.
"""

import re
import warnings

from ..types import normalize_properties
from .definition import ModelDefinition, definitions_changed
from .instance import ModelBase
from .properties import IdAlias, register_property
from .sub_models import resolve_property_types


def build_model_class(name, properties, settings, base, inherit=True, builder=None):
    """A new model class ``name`` deriving from ``base`` (a ModelBase subclass).

    # LoopBack: ModelBuilder.prototype.define(name, properties, settings)

    Base-model properties are inherited (a subclass defining its own id
    replaces the inherited ids), and base settings under the subclass's;
    ``inherit=False`` when the caller merged them already (the model
    builder's ``extend``, model_builder.py).  idInjection adds ``id`` ({type
    number, id, generated}); a generated id gets ``forceId: 'auto'`` unless
    forceId is False.  The data source finishes the job (id type from the
    connector, forceId validation, relations).  A property typed by a dict
    of properties gets an anonymous model (model/sub_models.py), defined by
    ``builder`` (the model builder, when there is one).
    """
    settings = dict(settings or {})
    if properties and 'constructor' in properties:
        # juggler: deprecated('Property name should not be "constructor" in Model: X')
        warnings.warn('Property name should not be "constructor" in Model: %s' % name,
                      DeprecationWarning, stacklevel=3)
    properties = resolve_property_types(properties, builder)
    own = normalize_properties(properties, name)
    base_def = getattr(base, 'definition', None)
    merged = {}
    if inherit and base_def is not None and base is not ModelBase:
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



def _class_identifier(name):
    ident = re.sub(r'\W', '_', name)
    if not ident or ident[0].isdigit():
        ident = '_' + ident
    return ident
