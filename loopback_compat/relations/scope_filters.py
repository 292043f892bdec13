"""How a named scope's filter meets the caller's, and the values it fixes.

# LoopBack: utils.mergeQuery / setScopeValuesFromWhere / collectTargetIds as
#           lib/scope.js uses them (loopback-datasource-juggler 3.x)

relations/scope.py calls these: the caller's filter (``user_filter``) merged
with the scope's (``scope_query``, ``merge_user_filter``, ``and_where``,
juggler's mergeQuery rules on copies), the through-model query of a
collected relation (``collected_scope``, ``find_collected``), and the
values a scope's where fixes on new instances (``set_scope_values_from_where``).
"""

import datetime

from ..errors import LoopBackError
from ..filters.merge import merge_query
from ..filters.normalize import parse_filter
from ..js.values import UNDEFINED, to_string, truthy
from . import cache

__all__ = ['and_where', 'collected_scope', 'find_collected', 'get_key', 'merge_user_filter',
           'scope_query', 'set_scope_values_from_where', 'user_filter']


# ------------------------------------------------------------ merging filters

def has_keys(value):
    """``Object.keys(value).length > 0``."""
    if isinstance(value, (dict, list, tuple, str)):
        return len(value) > 0
    return False


def get_key(obj, key, default=None):
    """``obj[key]`` for a dict, else undefined (juggler reads properties of anything)."""
    return obj.get(key, default) if isinstance(obj, dict) else default


def and_where(base, where):
    """mergeQuery's where rule: ``where`` ANDed to ``base`` when both have keys."""
    if truthy(where) and has_keys(where):
        if truthy(base) and has_keys(base):
            return {'and': [base, where]}
        return where
    return base


def merge_user_filter(base, user):
    """``mergeQuery(base, user)`` for a filter the caller gave: not a dict ->
    nothing merged (juggler reads no property of it); a where that is not
    an object is ANDed as it is, so the target's find reports it."""
    if not isinstance(user, dict):
        return base
    merge_query(base, {key: value for key, value in user.items() if key != 'where'})
    base['where'] = and_where(base.get('where'), user.get('where'))
    if base['where'] is None:
        del base['where']
    return base


def user_filter(value):
    """The caller's filter as a fresh dict: falsy -> {}; a dict is copied; a
    JSON string is parsed; anything else is a 400 (juggler throws a TypeError)."""
    if not truthy(value):
        return {}
    return parse_filter(value)


def scope_query(cond, scope_params):
    """``mergeQuery(cond, scopeParams, {nestedInclude: true})`` on copies.

    An include of the scope nests the caller's include under it; juggler
    writes the scope's include as an object key, so a non-string one
    becomes its String() (``'[object Object]'``).
    """
    params = parse_filter(scope_params) if isinstance(scope_params, dict) else None
    if params is None:
        return cond
    include = params.get('include')
    if truthy(cond.get('include')) and truthy(include) and not isinstance(include, str):
        saved = cond.pop('include')
        merge_query(cond, params, {'nestedInclude': True})
        cond['include'] = {to_string(include): saved}
        return cond
    return merge_query(cond, params, {'nestedInclude': True})


# ------------------------------------------------- a through model's query

def collected_scope(params):
    """``(include, scope)`` when the query collects a relation and has a scope
    for the related model (juggler's scopeOnRelatedModel), else None.  The
    scope is taken out of the include: it is queried on its own."""
    include = params.get('include')
    if not truthy(params.get('collect')) or not isinstance(include, dict):
        return None
    scope = include.get('scope')
    if not isinstance(scope, (dict, list)):
        return None
    del include['scope']
    return include, scope


def find_collected(target, on_related, data, options, done):
    """Query the related model of a collected relation: its ids among the
    collected ones, and the call's filter.

    # LoopBack: the scopeOnRelatedModel branch of ScopeDefinition.related
    """
    include, query = on_related
    relation = (getattr(target, 'relations', None) or {}).get(include.get('relation'))
    model = getattr(relation, 'modelTo', None)
    if model is None:
        return done(LoopBackError('Relation "%s" is not defined for %s model' % (
            to_string(include.get('relation')), target.modelName)))
    id_key = model.definition.idName() or 'id'
    ids = {'inq': _uniq([cache.read(item, id_key) for item in data or []])}
    if not isinstance(query, dict):
        query = {}
    where = query.get('where', UNDEFINED)
    if where is not UNDEFINED:
        condition = _smart_merge(ids, where if isinstance(where, dict) else {}, id_key)
        if isinstance(condition, dict) and not condition:
            return done(None, [])
        rest = {k: v for k, v in where.items() if k != id_key} if isinstance(where, dict) \
            else {}
        query['where'] = {'and': [{id_key: condition}, rest]}
    else:
        query['where'] = {id_key: ids}
    model.find(query, options, done)


def _smart_merge(ids, where, id_key):
    """The collected ids narrowed by the call's condition on the id."""
    wanted = where.get(id_key)
    if not truthy(wanted):
        return ids
    wanted = wanted['inq'] if isinstance(wanted, dict) and truthy(wanted.get('inq')) \
        else [wanted]
    both = [value for value in ids['inq'] if any(_is_equal(value, w) for w in wanted)]
    if len(both) == 1:
        return both[0]
    return {'inq': both} if both else {}


def _is_equal(a, b):
    """lodash ``isEqual`` for ids: no bool/number mixing."""
    return isinstance(a, bool) == isinstance(b, bool) and a == b


def _uniq(values):
    """lodash ``uniq``: the first of each value, in order."""
    out = []
    for value in values:
        if not any(_is_equal(value, seen) for seen in out):
            out.append(value)
    return out


# ------------------------------------------------------- values a scope fixes

def set_scope_values_from_where(data, where, model):
    """Copy the scope's fixed values (``{prop: value}``, also inside ``and``) into ``data``.

    # LoopBack: utils.setScopeValuesFromWhere(data, where, targetModel)

    A value is fixed when it is a primitive, or an instance of the property's
    type (a date for a date property, any object for an object property, a
    model instance for a property typed by that model); operator clauses
    (``{'gt': 1}``) and null are not.
    """
    if not isinstance(where, dict):
        return
    properties = model.definition.properties
    for key, value in where.items():
        if key == 'and':
            for clause in value if isinstance(value, list) else ():
                set_scope_values_from_where(data, clause, model)
            continue
        prop = properties.get(key)
        if prop and (isinstance(value, (str, bool, int, float)) or value is UNDEFINED
                     or _instance_of_type(value, prop)):
            data[key] = value


def _instance_of_type(value, prop):
    """``value instanceof prop.type`` for a non-primitive value."""
    if value is None:
        return False
    kind = prop.get('type')
    if kind == 'object':
        return True
    if kind == 'date':
        return isinstance(value, datetime.date)
    if kind == 'buffer':
        return isinstance(value, (bytes, bytearray))
    model = prop.get('model')
    return isinstance(model, type) and isinstance(value, model)
