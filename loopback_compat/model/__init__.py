"""Model classes, property definitions and instances.

# LoopBack: lib/model.js (ModelBaseClass), lib/model-builder.js,
#           lib/model-definition.js of loopback-datasource-juggler 3.x

A model class is built by :func:`build_model_class` (the data source calls
it; users call ``ds.createModel``).  It carries:

- ``modelName``, ``settings`` and ``definition`` (a :class:`ModelDefinition`
  whose ``properties[name]`` dicts have ``'type'`` set to the LoopBack type
  name: 'string', 'number', 'boolean', 'date', 'object', 'array', 'any', ...;
  arrays also have ``'itemType'``);
- one data descriptor per property, which coerces on assignment exactly as
  juggler's setters do ('1' -> 1 for a number, a non-numeric string -> NaN,
  which connectors store as null);
- ``relations`` (a dict filled by the relations package) and ``_observers``.

One concept per module (imports go down the list):

    definition.py   ModelDefinition (properties, settings, ids), definitions_changed, id_equals
    properties.py   the property descriptors and accessors (PropertyDescriptor, IdAlias,
                    hybridmethod, register_property, shadowed_method, data_of)
    loading.py      the load planner: every route from a connector's row to an instance
                    (ModelBase._build_loaded and the routes under it)
    instance.py     ModelBase: construction, property access, identity, toObject/toJSON
    builder.py      build_model_class (juggler's ModelBuilder.define)

This package re-exports the names other modules use, so
``from loopback_compat.model import ModelBase`` (and the others below) works
as it did when the package was one module.
"""

from .definition import ModelDefinition, definitions_changed, id_equals
from .properties import (
    IdAlias, PropertyDescriptor, data_of, hybridmethod, register_property, shadowed_method)
from .instance import ModelBase
from .builder import build_model_class

__all__ = [
    'IdAlias', 'ModelBase', 'ModelDefinition', 'PropertyDescriptor', 'build_model_class',
    'data_of', 'definitions_changed', 'hybridmethod', 'id_equals', 'register_property',
    'shadowed_method',
]
