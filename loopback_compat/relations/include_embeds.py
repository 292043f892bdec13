"""``include`` of embedsOne and embedsMany relations: no query, the data is
in the owners already.

# LoopBack: includeEmbeds and processTargetObj of lib/include.js

For each owner, the relation's accessor is called (an embedsMany with an
include scope gets the scope's filter: its ``where`` filters the list, its
``include`` loads the items' relations); the answer is cached as the
relation's value and put in the owner's data under the relation name, so
``toJSON()`` shows it beside the property (``{addresses: [...],
addressList: [...]}``), as juggler does.  An owner whose relation cache has
a value (data given under the relation name) keeps that value.  A plain
object (``Model.include(rows, ...)``) gets the value as a key.
"""

from . import cache

__all__ = ['include_embeds']


def include_embeds(model, objects, name, relation, scope, options, cb):
    """Include relation ``name`` (embedsOne/embedsMany) into ``objects``; ``cb(err)``."""
    objects = list(objects)
    condition = scope.conditions() if (scope is not None and relation.multiple) else None
    state = {'index': 0}

    def step(err=None, *_):
        if err is not None:
            return cb(err)
        while state['index'] < len(objects):
            obj = objects[state['index']]
            state['index'] += 1
            if _from_cache(obj, name):
                continue
            inst = obj if isinstance(obj, model) else model(obj)
            accessor = getattr(inst, name)
            if relation.multiple:
                return accessor(condition, options, _store(obj, name, step))
            return accessor(_store(obj, name, step))
        cb(None)
    step()


def _from_cache(obj, name):
    """juggler: a value already in ``__cachedRelations`` is used as it is."""
    relations = obj.get('__cachedRelations') if isinstance(obj, dict) else \
        cache.cached_relations(obj)
    if not isinstance(relations, dict) or relations.get(name) is None:
        return False
    cache.set_include_data(obj, name, relations[name])
    return True


def _store(obj, name, then):
    def stored(err=None, result=None, *_):
        if err is not None:
            return then(err)
        if not isinstance(obj, dict):
            cache.set_cache(obj, name, result)
        cache.set_include_data(obj, name, result)
        then()
    return stored
