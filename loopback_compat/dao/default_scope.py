"""The default scope: the model settings ``scope`` and ``properties``/``attributes``.

# LoopBack: DataAccessObject.defaultScope / applyScope / applyProperties
#           (lib/dao.js), utils.setScopeValuesFromWhere (lib/utils.js)

A model's ``scope`` setting is a filter (or a function called with the
model first, as juggler's ``this``, then the target and the instance,
returning one).  juggler puts it to work in two ways, and so does the DAO:

- :func:`apply_scope` merges it into the query of find, findOne, findById,
  findOrCreate and of count, exists, updateAll, destroyAll, destroyById
  (``filters.merge_query``: the wheres ANDed, its order when the query has
  none, its include merged, its fields, limit and skip replacing the
  query's), before the 'access' hook sees the query;
- :func:`apply_properties` writes the values the scope's where fixes
  (``{'where': {'kind': 'Tool'}}`` -> ``kind = 'Tool'``) into the data of
  new instances (the constructor), setAttributes, create, save,
  updateAttributes, upsert, replaceOrCreate, replaceById, findOrCreate,
  upsertWithWhere and updateAll.  The ``properties`` setting (or
  ``attributes``: a dict, or a function of ``(model, data, inst)``) takes
  the scope's place there when set.

As juggler: replaceById and upsertWithWhere (on a connector with its own
upsertWithWhere) do not narrow their where by the scope, they only enforce
its values.  Port's part: the scope's where, order and fields are
normalised (coerced to the property types) before they join a query, as a
client's are, since the connectors take normalised filters.

Cost for a model without a default scope: the check of
:func:`loopback_compat.model.definition.enforces_values` (or one settings
lookup) per call.  Settings are read on every call, as juggler does, so a
scope set after the model was defined applies from the next call on.
"""

import datetime as _dt

from .. import filters
from ..filters.merge import merge_query
from ..filters.normalize import _deep_copy, _normalize_order
from ..js.values import UNDEFINED as undefined, truthy

# The scope's where is the model's own: nothing in it is prohibited.
_SCOPE_OPTIONS = {'prohibitHiddenPropertiesInQuery': False}


def default_scope(model, target, inst=None):
    """The model's ``scope`` setting, called when it is a function.

    # LoopBack: Model.defaultScope(target, inst) -> scope.call(Model, target, inst)
    """
    scope = model.settings.get('scope')
    if callable(scope):
        scope = scope(model, target, inst)
    return scope


def apply_scope(model, query, inst=None):
    """Merge the model's default scope into ``query`` (mutated, as juggler's).

    # LoopBack: Model.applyScope(query, inst)

    Raises the LoopBackError of a malformed scope (bad order, bad where);
    callers deliver it through their callback.
    """
    scope = default_scope(model, query, inst)
    if not scope or not isinstance(scope, dict):
        return query
    spec = model.settings.get('scope')
    return merge_query(query, normalized_scope(model, scope),
                       spec if isinstance(spec, dict) else None)


def scoped_where(model, where, inst=None):
    """``where`` narrowed by the default scope: juggler's ``query = {where};
    applyScope(query); where = query.where`` (count, updateAll, destroyAll)."""
    query = {'where': where}
    apply_scope(model, query, inst)
    return query.get('where')


def normalized_scope(model, scope):
    """A fresh copy of ``scope`` whose where is coerced, order and fields
    normalised as a client's filter is (the settings' dict is never handed
    to a query, so nothing downstream can change it)."""
    scope = _deep_copy(scope)
    info = model._info()
    where = scope.get('where')
    if isinstance(where, dict) and where:
        scope['where'] = filters.coerce_where(where, info, _SCOPE_OPTIONS)
    if truthy(scope.get('order')):
        scope['order'] = _normalize_order(scope['order'])
    if truthy(scope.get('fields')):
        fields = filters.fields_to_array(scope['fields'], info)
        if fields is None:
            del scope['fields']
        else:
            scope['fields'] = fields
    return scope


def apply_properties(model, data, inst=None):
    """Write the values the model enforces into ``data`` (mutated).

    # LoopBack: Model.applyProperties(data, inst)

    The ``properties`` setting, else ``attributes``: a dict is merged into
    ``data``; a function is called ``fn(model, data, inst)`` and its dict
    merged.  Without either (and unless ``attributes`` is False), the plain
    values of the default scope's where are set (see
    :func:`set_scope_values_from_where`).
    """
    settings = model.settings
    props = settings.get('properties')
    if not truthy(props):
        props = settings.get('attributes', undefined)
    if isinstance(props, dict):
        data.update(props)
    elif callable(props):
        data.update(props(model, data, inst) or {})
    elif props is not False:
        scope = default_scope(model, data, inst) or {}
        where = scope.get('where') if isinstance(scope, dict) else None
        if isinstance(where, dict):
            set_scope_values_from_where(data, where, model)


def set_scope_values_from_where(data, where, model):
    """Copy the ``{property: value}`` pairs of ``where`` into ``data``.

    # LoopBack: utils.setScopeValuesFromWhere(data, where, targetModel)

    Clauses of an ``and`` count too; operator clauses (``{'gt': 1}``), None
    and other objects are skipped unless the value is of the property's
    type (a datetime for a date, any object for an object property:
    juggler's ``val instanceof prop.type``).
    """
    props = model.definition.properties
    for key, value in where.items():
        if key == 'and':
            if isinstance(value, (list, tuple)):
                for clause in value:
                    if isinstance(clause, dict):
                        set_scope_values_from_where(data, clause, model)
            continue
        prop = props.get(key)
        if prop is not None and (_is_plain_value(value) or _of_property_type(value, prop)):
            data[key] = value


def _is_plain_value(value):
    """JavaScript's ``typeof value !== 'object'`` (null is an object there)."""
    return value is undefined or isinstance(value, (str, int, float, bool))


def _of_property_type(value, prop):
    """``value instanceof prop.type`` for an object value (null never is)."""
    if value is None:
        return False
    kind = prop.get('type')
    if kind == 'date':
        return isinstance(value, _dt.datetime)
    # every JavaScript object is an instance of Object
    return kind == 'object'
