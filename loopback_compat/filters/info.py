"""What filter handling knows about a model, and juggler's operator table.

# LoopBack: the property definitions Model._coerce and the memory connector read

``ModelInfo(name, properties, id_names, settings=None)`` describes one model:
``properties`` maps a property name to a dict whose ``'type'`` is a LoopBack
type name ('string', 'text', 'number', 'boolean', 'date', 'object', 'array',
'any', 'json'), a one-element list for typed arrays (``['string']``, also made from
a model definition's ``{'type': 'array', 'itemType': 'string'}``), or a nested
``ModelInfo`` for embedded models.
"""

import datetime as _dt

from ..js.values import UNDEFINED as undefined


# Juggler's operator table; its order decides which operator wins when a
# clause names several ({gt: 1, lt: 5} keeps only gt).
OPERATORS = ('eq', 'gt', 'gte', 'lt', 'lte', 'between', 'inq', 'nin', 'neq',
             'like', 'nlike', 'ilike', 'nilike', 'regexp')
_REGEXP_OPERATORS = ('like', 'nlike', 'ilike', 'nilike', 'regexp')


_TYPE_NAMES = {
    'string': 'string', 'str': 'string', 'text': 'text',
    'number': 'number', 'int': 'number', 'integer': 'number', 'float': 'number',
    'boolean': 'boolean', 'bool': 'boolean',
    'date': 'date', 'datetime': 'date',
    'object': 'object', 'dict': 'object',
    'json': 'json',
    'array': 'array', 'list': 'array',
    'any': 'any',
    'geopoint': 'geopoint',
    'buffer': 'any',
}
_PY_TYPES = {str: 'string', int: 'number', float: 'number', bool: 'boolean',
             _dt.datetime: 'date', _dt.date: 'date', dict: 'object', list: 'array',
             object: 'any'}


# item types of an array property (``'itemType'`` of a normalised definition)
# whose where values juggler's _coerce coerces, item by item
_TYPED_ITEMS = frozenset(('string', 'text', 'number', 'boolean', 'date'))


def _type_name(t):
    """A LoopBack type name, a one-element list of one, a ModelInfo, or None."""
    if t is None:
        return None
    if isinstance(t, ModelInfo):
        return t
    if isinstance(t, (list, tuple)):
        return [_type_name(t[0])] if t else 'array'
    if isinstance(t, type):
        return _PY_TYPES.get(t, 'any')
    if isinstance(t, str):
        return _TYPE_NAMES.get(t.lower(), 'any')
    return 'any'


class ModelInfo:
    """What filter handling needs to know about a model.

    ``properties``: name -> dict with a normalised ``'type'`` (see module doc);
    the constructor normalises type spellings itself (copies, never mutates).
    ``id_names``: id property names, in order (default sort order).
    ``settings``: model settings (dict).
    ``ds_settings``: the settings of the model's data source, the last place
    :meth:`setting` looks (kept by reference: juggler reads them live).
    """

    __slots__ = ('name', 'properties', 'id_names', 'settings', 'ds_settings')

    def __init__(self, name, properties, id_names, settings=None, ds_settings=None):
        self.name = name
        self.properties = {}
        for key, spec in (properties or {}).items():
            spec = dict(spec) if isinstance(spec, dict) else {'type': spec}
            spec['type'] = _type_name(spec.get('type'))
            if spec['type'] == 'array' and spec.get('itemType') in _TYPED_ITEMS:
                # a typed array ([Number]): juggler's _coerce coerces its items
                spec['type'] = [_TYPE_NAMES[spec['itemType']]]
            self.properties[key] = spec
        self.id_names = list(id_names or [])
        self.settings = dict(settings or {})
        self.ds_settings = ds_settings if ds_settings is not None else {}

    @classmethod
    def from_definition(cls, properties, id_names, name, settings=None, ds_settings=None):
        """Build one from juggler-style property definitions (types in any spelling)."""
        return cls(name, properties, id_names, settings, ds_settings)

    def prop_type(self, name):
        spec = self.properties.get(name)
        return spec.get('type') if isinstance(spec, dict) else None

    def setting(self, key, options=None):
        """Method option, else model setting, else data source setting.

        # LoopBack: Model._getSetting(key, options) (lib/model-utils.js)
        """
        if options and options.get(key, undefined) is not undefined:
            return options[key]
        value = self.settings.get(key)
        if value is not None:
            return value
        return self.ds_settings.get(key)

    def __repr__(self):
        return 'ModelInfo(%r, %r, %r)' % (self.name, list(self.properties), self.id_names)
