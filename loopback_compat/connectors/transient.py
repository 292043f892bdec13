"""The transient connector: models that are never stored.

# LoopBack: lib/connectors/transient.js of loopback-datasource-juggler 3.x

``DataSource('transient')``.  Writes succeed (on the next tick) and store
nothing; reads find nothing: ``find``/``findById`` give None, ``find`` [],
``count`` 0, ``exists`` False, ``updateAll`` ``{'count': 0}``.  Useful for
models that only validate, or are embedded in others.

``create`` (and the other writes that insert) gives the instance an id
when its model has an id property and the data none: a random number below
10000 for a number id, else 24 random hex characters.  Generated ids are
strings unless the data source says otherwise: ``defaultIdType`` ('string'
by default; 'number', ``int``...).  ``settings['generateId']`` replaces the
generator: it is called as ``fn(connector, model, data, idName)`` (juggler
binds it to the connector) and its value coerced to the id's type.

juggler's transient connector has no ``updateOrCreate``, ``findOrCreate`` or
``replaceOrCreate`` (its DAO then finds, and creates or updates); the
contract here requires them, so they do what that gives: ``findOrCreate``
and ``updateOrCreate`` create (nothing is ever found), ``replaceOrCreate``
and ``replaceById`` are juggler's "does not support replaceById" error.
``destroy`` and ``destroyAll`` call back with no result, as juggler's.
"""

import random
import secrets

from ..errors import LoopBackError
from ..js.values import truthy
from ..loop import nextTick
from ..types import coerce_value, type_name
from .base import Connector

__all__ = ['Transient']


class Transient(Connector):
    """juggler's transient connector (see the module docstring)."""

    name = 'transient'

    def __init__(self, settings=None, data_source=None):
        Connector.__init__(self, settings, data_source)
        self._models = {}
        generate = self.settings.get('generateId')
        if callable(generate):
            self._generate_id = generate
        id_type = self.settings.get('defaultIdType')
        self.defaultIdType = type_name(id_type) if id_type else 'string'

    # -- set-up -----------------------------------------------------------

    def getDefaultIdType(self):
        return self.defaultIdType

    def getTypes(self):
        return ['db', 'nosql', 'transient']

    def connect(self, cb=None):
        if cb:
            nextTick(cb, None)

    def define(self, definition):
        self._models[definition['model'].modelName] = definition

    # -- ids ------------------------------------------------------------------

    _generate_id = None

    def generateId(self, model, data, idName):
        """A new id for ``model``: a random number below 10000 for a number
        id, else 24 random hex characters (juggler's)."""
        if self._generate_id is not None:
            return self._generate_id(self, model, data, idName)
        prop = self._properties(model).get(idName) if idName else None
        id_type = (prop or {}).get('type') or self.getDefaultIdType()
        if id_type == 'number':
            return random.randrange(10000)
        return secrets.token_hex(12)

    def _properties(self, model):
        definition = self._models.get(model)
        return definition['model'].definition.properties if definition else {}

    def _id_name(self, model):
        definition = self._models.get(model)
        return definition['model'].definition.idName() if definition else None

    def _with_id(self, model, data):
        """Give ``data`` an id when its model has an id property; the id."""
        id_name = self._id_name(model)
        props = self._properties(model)
        if not id_name or id_name not in props:
            return None
        id_value = data.get(id_name)
        if not truthy(id_value):
            id_value = self.generateId(model, data, id_name)
        id_type = props[id_name].get('type')
        if id_type in ('number', 'string'):
            coerced = coerce_value(id_type, id_value)
            if truthy(coerced):
                id_value = coerced
        data[id_name] = id_value
        return id_value

    # -- CRUD -------------------------------------------------------------

    def create(self, model, data, options, cb):
        nextTick(cb, None, self._with_id(model, data))

    def save(self, model, data, options, cb):
        nextTick(cb, None, data, {'isNewInstance': False})

    def find(self, model, id_value, options, cb):
        nextTick(cb, None, None)

    def exists(self, model, id_value, options, cb):
        nextTick(cb, None, False)

    def all(self, model, flt, options, cb):
        nextTick(cb, None, [])

    def count(self, model, where, options, cb):
        nextTick(cb, None, 0)

    def updateAll(self, model, where, data, options, cb):
        nextTick(cb, None, {'count': 0})

    def update(self, model, where, data, options, cb):
        self.updateAll(model, where, data, options, cb)

    def updateAttributes(self, model, id_value, data, options, cb):
        if not truthy(id_value):
            return nextTick(cb, LoopBackError('You must provide an id when updating attributes!'))
        id_name = self._id_name(model)
        if id_name:
            data[id_name] = id_value
        nextTick(cb, None, data)

    def updateOrCreate(self, model, data, options, cb):
        data = dict(data)
        self._with_id(model, data)
        nextTick(cb, None, data, {'isNewInstance': True})

    def findOrCreate(self, model, flt, data, options, cb):
        data = dict(data)
        self._with_id(model, data)
        nextTick(cb, None, data, True)

    def replaceOrCreate(self, model, data, options, cb):
        id_name = self._id_name(model)
        if id_name and data.get(id_name) is not None:
            return self.replaceById(model, data.get(id_name), data, options, cb)
        data = dict(data)
        self._with_id(model, data)
        nextTick(cb, None, data, {'isNewInstance': True})

    def destroy(self, model, id_value, options, cb):
        nextTick(cb, None, None)

    def destroyAll(self, model, where, options, cb):
        nextTick(cb, None, None)
