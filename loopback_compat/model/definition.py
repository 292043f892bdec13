"""A model's definition: its name, normalised properties, settings and ids.

# LoopBack: lib/model-definition.js (ModelDefinition) of juggler 3.x

``Model.definition`` is a :class:`ModelDefinition`.  Its ``properties[name]``
dicts are already normalised by :func:`loopback_compat.types.normalize_property`
(``'type'`` is the LoopBack type name; arrays also have ``'itemType'``).

Contract kept here for the layers above:

- ``ids()`` / ``idNames()`` / ``idName()`` answer from one cache, valid while
  the number of properties stays the same; ``defineProperty`` drops it.
  Code that edits ``properties`` in place must reset ``_ids_cache`` itself
  (build_model_class does, after idInjection).
- :func:`definitions_changed` is the one signal that a definition may have
  changed (a property added or retyped, a class built or attached).  It bumps
  :data:`_definitions_generation`; the load planner (model/loading.py)
  reuses a class's load plan only while the generation is the same.
- :func:`id_equals` is juggler's ``utils.idEquals``.
- :func:`enforces_values` says whether a model's settings fix property
  values (a default scope, ``properties``/``attributes``).
"""

from ..errors import AssertionError_
from ..js.values import to_string
from ..types import normalize_properties, normalize_property
from .sub_models import resolve_property_type, resolve_property_types


class ModelDefinition:
    """A model's name, normalised properties and settings.

    # LoopBack: ModelDefinition (model.definition)

    Two ways to make one:

    * juggler's, ``ModelDefinition(modelBuilder, name, [properties],
      [settings])`` (or ``ModelDefinition(modelBuilder, {'name', 'properties',
      'settings'})``): ``rawProperties`` are the properties as given, and
      :meth:`build` normalises them into ``properties`` (types resolved by
      the model builder: models by name, anonymous models), as juggler's
      constructor does; ``defineProperty`` adds a raw property and rebuilds;
    * the model classes' own, ``ModelDefinition(name, properties, settings)``
      with properties normalised already (build_model_class): ``properties``
      and ``rawProperties`` are one dict.

    ``toJSON()`` gives juggler's JSON form: type names as juggler's type
    functions are named ('String', 'Number', ['String'], a model's name, an
    anonymous model's properties); ``tableName``/``columnName`` read a
    connector's section of the settings and properties
    (``{'oracle': {'table': 'USER'}}``, ``{'oracle': {'column': 'ID'}}``).
    """

    _ids_cache = None   # _id_info's answer, while the properties stay the same
    modelBuilder = None
    _raw = False        # juggler's form: properties are built from rawProperties
    _json = None

    def __init__(self, *args):
        if args and isinstance(args[0], str) and len(args) == 3:
            name, properties, settings = args   # the model classes' own form
            self.name = name
            self.properties = properties
            self.rawProperties = properties
            self.settings = settings
            self.relations = {}
            return
        self._init_raw(*args)

    def _init_raw(self, modelBuilder=None, name=None, properties=None, settings=None, *_):
        """juggler's ``new ModelDefinition(modelBuilder, name, properties, settings)``."""
        self.modelBuilder = modelBuilder
        if not name:
            raise AssertionError_('name is missing', code='ERR_ASSERTION')
        if isinstance(name, dict) and properties is None and settings is None:
            schema = name
            name = schema.get('name')
            properties, settings = schema.get('properties'), schema.get('settings')
        elif not isinstance(name, str):
            raise AssertionError_('name must be a string', code='ERR_ASSERTION')
        self.name = name
        self.rawProperties = properties if properties is not None else {}
        self.settings = settings if settings is not None else {}
        self.relations = {}
        self._raw = True
        self.properties = None
        self.build()

    def build(self, forceRebuild=False):
        """The normalised properties, built from ``rawProperties`` when they
        are not yet (or again, with ``forceRebuild``).

        # LoopBack: modelDefinition.build([forceRebuild])
        """
        if forceRebuild and self._raw:
            self.properties = None
            self._ids_cache = None
            self._json = None
        if self.properties is None:
            raw = resolve_property_types(self.rawProperties, self.modelBuilder)
            self.properties = normalize_properties(raw, self.name)
            self._ids_cache = None
        return self.properties

    def tableName(self, connectorType):
        """The table of this model for ``connectorType`` ('oracle', 'mysql'...):
        ``settings[connectorType].table`` (or ``.tableName``), else the name.

        # LoopBack: modelDefinition.tableName(connectorType)
        """
        section = self.settings.get(connectorType)
        if section:
            return section.get('table') or section.get('tableName') or self.name
        return self.name

    def columnName(self, connectorType, propertyName):
        """The column of ``propertyName`` for ``connectorType``:
        ``properties[p][connectorType].column`` (or ``.columnName``), else the name.

        # LoopBack: modelDefinition.columnName(connectorType, propertyName)
        """
        if not propertyName:
            return propertyName
        section = self.columnMetadata(connectorType, propertyName)
        if section:
            return section.get('column') or section.get('columnName') or propertyName
        return propertyName

    def columnMetadata(self, connectorType, propertyName):
        """``properties[p][connectorType]``, else None.

        # LoopBack: modelDefinition.columnMetadata(connectorType, propertyName)
        """
        if not propertyName:
            return propertyName
        prop = self.build().get(propertyName)
        return (prop.get(connectorType) or None) if prop else None

    def columnNames(self, connectorType):
        """# LoopBack: modelDefinition.columnNames(connectorType)"""
        return [self.columnName(connectorType, name) for name in self.build()]

    def idColumnName(self, connectorType):
        """# LoopBack: modelDefinition.idColumnName(connectorType)"""
        return self.columnName(connectorType, self.idName())

    def indexes(self):
        """The ``indexes`` setting, plus ``<prop>_index`` for each property with ``index``.

        # LoopBack: modelDefinition.indexes()
        """
        found = dict(self.settings.get('indexes') or {})
        for name, prop in self.build().items():
            if prop.get('index'):
                found[name + '_index'] = prop['index']
        return found

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
        """Add (or replace) property ``name``.

        # LoopBack: modelDefinition.defineProperty(propertyName, propertyDefinition)
        """
        if self._raw:
            self.rawProperties[name] = spec
            self.build(True)
        else:
            self.properties[name] = normalize_property(name, resolve_property_type(spec))
            self._ids_cache = None
        definitions_changed()

    def toJSON(self, forceRebuild=False):
        """``{'name', 'properties', 'settings'}`` with juggler's type names.

        # LoopBack: modelDefinition.toJSON([forceRebuild])
        """
        if self._raw:
            if forceRebuild:
                self._json = None
            if self._json is not None:
                return self._json
            self.build(forceRebuild)
        out = {'name': self.name, 'settings': self.settings,
               'properties': {name: property_json(prop) for name, prop in self.properties.items()}}
        if self._raw:
            self._json = out
        return out


# juggler's type functions by the LoopBack type names of properties
_JSON_TYPE_NAMES = {
    'string': 'String', 'text': 'Text', 'number': 'Number', 'boolean': 'Boolean', 'date': 'Date',
    'object': 'Object', 'array': 'Array', 'any': 'Any', 'json': 'JSON', 'buffer': 'Buffer',
    'geopoint': 'GeoPoint', 'datestring': 'DateString',
}
# keys of a normalised property that the port adds (juggler has the type alone)
_PORT_KEYS = ('model', 'itemModel', 'itemType')


def _model_json(model):
    """A model as a type in JSON: its name, or an anonymous model's properties."""
    if (getattr(model, 'settings', None) or {}).get('anonymous'):
        return model.definition.toJSON()['properties']
    return model.modelName


def _type_json(prop):
    if 'model' in prop:
        return _model_json(prop['model'])
    if 'itemModel' in prop:
        return [_model_json(prop['itemModel'])]
    kind = prop.get('type')
    if kind == 'array' and prop.get('itemType'):
        return [_JSON_TYPE_NAMES.get(prop['itemType'], prop['itemType'])]
    return _JSON_TYPE_NAMES.get(kind, kind)


def _value_json(value):
    """juggler's traverse(...).map(mapper): what has toJSON gives its answer, a
    function its name, containers are walked."""
    to_json = getattr(value, 'toJSON', None)
    if callable(to_json) and not isinstance(value, type):
        return to_json()
    if isinstance(value, dict):
        return {key: _value_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_value_json(item) for item in value]
    if isinstance(value, type) and getattr(value, 'modelName', None):
        return _model_json(value)
    if callable(value):
        return getattr(value, '__name__', None)
    return value


def property_json(prop):
    """A normalised property in juggler's JSON form (``{'type': 'String', ...}``)."""
    out = {'type': _type_json(prop)}
    for key, value in prop.items():
        if key != 'type' and key not in _PORT_KEYS:
            out[key] = _value_json(value)
    return out


# Bumped whenever a model definition may have changed (a property added or
# retyped, a class built or attached); _load_plan answers are reused only
# while it stays the same.
_definitions_generation = [0]


def definitions_changed():
    """Forget the cached load plans (a property was added, retyped or removed)."""
    _definitions_generation[0] += 1


def enforces_values(settings):
    """Whether the model's settings may fix property values: a default
    ``scope`` (its where's values), or ``properties`` / ``attributes``.

    The one cheap check (three lookups, made per call: settings may change
    at any time, as juggler reads them per call) that lets a model without
    any skip juggler's ``applyProperties`` in the constructor, setAttributes
    and the load fast path (dao/default_scope.py does the work).
    """
    if settings.get('properties') or settings.get('attributes'):
        return True
    scope = settings.get('scope')
    # a scope dict fixes values through its where only (a function may always)
    return bool(scope) and (not isinstance(scope, dict) or bool(scope.get('where')))


def id_equals(a, b):
    """juggler's utils.idEquals: ids are equal when equal as strings."""
    if a == b:
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return to_string(a) == to_string(b)
