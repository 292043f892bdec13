"""``include`` of a hasMany relation: each parent's list of targets.

# LoopBack: includeHasManySimple / includeHasMany (lib/include.js, Inclusion.include)

The targets of all parents are fetched with ``{keyTo: {'inq': [keys...]}}``
(plus the relation's scope and the include scope), in pages of the data
source's ``inqLimit`` keys, as for hasOne (include.py ``_Job._find``): one
query per page of parents, never one per parent.  Each parent's relation
cache then holds its list (``[]`` when nothing matched) and ``toJSON()``
shows it.

As juggler:

- without a sub-include (juggler's "simple" path) a parent whose key is null
  is an error: 400 ``ID property "<key>" is missing for included item:
  <json>. Please make sure `fields` include "<key>" if it's present in the
  `filter``; with a sub-include such a parent (and one whose key is falsy:
  0, '') just gets ``[]``, and a target whose foreign key is a list is given
  to the parent of each of its values;
- keys match by their text (``String(key)``), so 1 and '1' are one key;
- the include scope's ``limit``/``skip``/``offset`` apply to each parent's
  list.  juggler runs one query per parent for that; here each page of
  parents is still one query, sorted by the scope's ``order`` (ties by id,
  as every connector sorts), whose rows are then cut per parent: the same
  lists, read in one query (the rows past each parent's limit are read and
  dropped).

Deliberate fix: parents that share a key (a ``primaryKey`` that is not the
id) all get the list; juggler gives it to the last of them only
(docs/differences.md).
"""

from itertools import repeat
from operator import itemgetter

from ..errors import LoopBackError
from ..js.json import stringify
from ..js.values import truthy
from ..speedups.bulk import any_none, append_each, new_dicts, new_lists, set_in_each, slots_of
from . import cache
from .definition import js_string, truthy_key
from .include_paging import take_paging


def include_has_many(job):
    """Include ``job.relation`` (a hasMany without ``through``) into ``job.objects``.

    ``job`` is include.py's ``_Job``: its query (the include scope's filter,
    ``where`` set, the foreign key among ``fields``) is completed here and
    ``job.cb(err)`` is called once.
    """
    relation = job.relation
    simple = not truthy(job.sub_include)
    by_int = _parents_by_int_key(job.objects, relation.keyFrom) if simple else None
    if by_int is not None:
        groups, keys, err = None, list(by_int), None   # the fast path's (_link_fast)
    else:
        groups, keys, err = _group_parents(job.objects, relation.keyFrom, job.name, simple)
    if err is not None:
        return job.cb(err)
    query = job.query
    query['where'][relation.keyTo] = {'inq': keys}
    relation.applyScope(None, query)
    if not simple:
        # juggler's includeHasMany sets this on the caller's options: the
        # related find's hooks and connector see it, and so does the caller
        job.options['partitionBy'] = relation.keyTo
    try:
        paging = take_paging(relation.modelTo, query, job.options) if keys else None
    except LoopBackError as error:
        return job.cb(error)
    model_to = relation.modelTo
    if by_int is not None and paging is None:
        return job._find(model_to, query, relation.keyTo,
                         lambda targets: _link_fast(job, model_to, targets, by_int))
    if groups is None:
        groups = _group_parents(job.objects, relation.keyFrom, job.name, simple)[0]
    job._find(model_to, query, relation.keyTo,
              lambda targets: _after_fetch(job, model_to, targets, groups, paging, simple))


def _group_parents(objects, key_from, name, simple):
    """``(groups, keys, err)``: parents by key text, the distinct keys in
    order.  The sub-include path first gives every parent an empty list."""
    groups = {}
    keys = []
    for obj, key in zip(objects, cache.read_all(objects, key_from)):
        if simple:
            if key is None:
                return None, None, _missing_key_error(key_from, obj)
        else:
            cache.cached_relations(obj)[name] = []
            if not truthy_key(key):
                continue
        text = js_string(key)
        group = groups.get(text)
        if group is None:
            groups[text] = [obj]
            keys.append(key)
        else:
            group.append(obj)
    return groups, keys, None


def _missing_key_error(key_name, obj):
    """juggler's include_utils getId error (400).  A row's relation cache is
    left out of its JSON (juggler's is a non-enumerable property)."""
    if isinstance(obj, dict) and '__cachedRelations' in obj:
        obj = {k: v for k, v in obj.items() if k != '__cachedRelations'}
    return LoopBackError(
        'ID property "%s" is missing for included item: %s. Please make sure `fields` '
        'include "%s" if it\'s present in the `filter`'
        % (key_name, stringify(obj), key_name), statusCode=400)


def _after_fetch(job, model_to, targets, groups, paging, simple):
    by_key = _targets_by_key(targets, job.relation.keyTo, spread=not simple)
    if paging is not None:
        start, stop = paging
        by_key = {text: found[start:stop] for text, found in by_key.items()}
        kept = {id(t) for found in by_key.values() for t in found}
        targets = [t for t in targets if id(t) in kept]
    if truthy(job.sub_include) and targets:
        return model_to.include(
            targets, job.sub_include, job.options,
            lambda err=None, *_: job.cb(err) if err is not None
            else _link(job, groups, by_key))
    _link(job, groups, by_key)


def _targets_by_key(targets, key_to, spread):
    """Key text -> the targets with that foreign key, in the order found.
    ``spread``: a list-valued key counts for each of its values (juggler's
    sub-include path, "fix for bug in hasMany with referencesMany")."""
    by_key = {}
    for target, key in zip(targets, cache.read_all(targets, key_to)):
        values = key if spread and isinstance(key, list) else (key,)
        for value in values:
            if value is None:
                continue
            by_key.setdefault(js_string(value), []).append(target)
    return by_key


def _link(job, groups, by_key):
    """Each parent's cache and data get its own list of its targets."""
    name = job.name
    for text, parents in groups.items():
        found = by_key.get(text, ())
        for obj in parents:
            cache.cached_relations(obj)[name] = list(found)
            cache.set_include_data(obj, name, list(found))
    job.cb()


# -- the fast path ---------------------------------------------------------
# The usual include, ``Customer.find({include: 'orders'})``: model instances
# whose keys are distinct ints, targets keyed by ints, no sub-include, no
# limit/skip in the include scope.  Keys are then matched by the int (each
# int below 2**53 has its own text) and the per-parent steps run as loops in
# C (speedups.bulk); each parent still gets its own lists in cache and data.
# Anything else takes the general path above; tests/test_fast_paths.py
# checks that both give the same parents.

_INT_ONLY = {int}
_JS_SAFE = 2 ** 53     # past it, two ints can print as the same JS number


def _parents_by_int_key(objects, key_from):
    """``{key: parent}`` when every parent is a model instance and their keys
    are distinct ints of JavaScript's exact range (0 included: the simple
    path matches it as '0'), else None."""
    if not objects or not cache.all_instances(objects):
        return None
    keys = cache.read_all(objects, key_from)
    if set(map(type, keys)) != _INT_ONLY or not -_JS_SAFE < min(keys) <= max(keys) < _JS_SAFE:
        return None
    by_key = dict(zip(keys, objects))
    return by_key if len(by_key) == len(keys) else None


def _link_fast(job, model_to, targets, by_int):
    """_link for _parents_by_int_key's parents: each parent's list of the
    targets with its key, in the order found, in its cache and (a copy) in
    its data.  A target whose key is not a parent's int sends the batch down
    the general path."""
    lists = new_lists(len(by_int))
    found = list(map(dict(zip(by_int, lists)).get, cache.read_all(targets, job.relation.keyTo)))
    if any_none(found):
        groups = _group_parents(job.objects, job.relation.keyFrom, job.name, True)[0]
        return _after_fetch(job, model_to, targets, groups, None, True)
    append_each(found, targets)
    slots = list(map(slots_of, by_int.values()))
    caches = list(map(dict.setdefault, slots, repeat(_CACHE), new_dicts(len(slots))))
    set_in_each(caches, job.name, lists)
    set_in_each(map(itemgetter(_DATA), slots), job.name, map(list.copy, lists))
    job.cb()


_CACHE, _DATA = cache.CACHE_ATTRS[0], cache.DATA_ATTRS[0]
