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
"""

from ..js.values import to_string
from ..types import normalize_property
from .sub_models import resolve_property_type


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
        self.properties[name] = normalize_property(name, resolve_property_type(spec))
        self._ids_cache = None
        definitions_changed()

    def toJSON(self):
        return {'name': self.name, 'properties': self.properties, 'settings': self.settings}


# Bumped whenever a model definition may have changed (a property added or
# retyped, a class built or attached); _load_plan answers are reused only
# while it stays the same.
_definitions_generation = [0]


def definitions_changed():
    """Forget the cached load plans (a property was added, retyped or removed)."""
    _definitions_generation[0] += 1


def id_equals(a, b):
    """juggler's utils.idEquals: ids are equal when equal as strings."""
    if a == b:
        return True
    if isinstance(a, bool) or isinstance(b, bool):
        return False
    return to_string(a) == to_string(b)
