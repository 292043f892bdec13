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

from ..errors import LoopBackError
from ..filters import normalize_filter
from ..js.json import stringify
from ..js.values import truthy
from . import cache
from .definition import js_string

_PAGING = ('limit', 'skip', 'offset')


def include_has_many(job):
    """Include ``job.relation`` (a hasMany without ``through``) into ``job.objects``.

    ``job`` is include.py's ``_Job``: its query (the include scope's filter,
    ``where`` set, the foreign key among ``fields``) is completed here and
    ``job.cb(err)`` is called once.
    """
    relation = job.relation
    simple = not truthy(job.sub_include)
    groups, keys, err = _group_parents(job.objects, relation.keyFrom, job.name, simple)
    if err is not None:
        return job.cb(err)
    query = job.query
    query['where'][relation.keyTo] = {'inq': keys}
    relation.applyScope(None, query)
    try:
        paging = _take_paging(job, query)
    except LoopBackError as error:
        return job.cb(error)
    model_to = relation.modelTo
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
            if not _truthy_key(key):
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
    """juggler's include_utils getId error (400)."""
    return LoopBackError(
        'ID property "%s" is missing for included item: %s. Please make sure `fields` '
        'include "%s" if it\'s present in the `filter`'
        % (key_name, stringify(obj), key_name), statusCode=400)


def _take_paging(job, query):
    """Remove limit/skip/offset from ``query`` (validated as find would);
    returns ``(skip, limit)`` to cut each parent's list with, or None."""
    if not any(truthy(query.get(k)) for k in _PAGING):
        for k in _PAGING:
            query.pop(k, None)
        return None
    model_to = job.relation.modelTo
    checked = normalize_filter({k: query[k] for k in _PAGING if k in query},
                               model_to._info(), job.options)
    for k in _PAGING:
        query.pop(k, None)
    skip = checked.get('skip') or 0
    limit = checked.get('limit')
    return skip, (skip + limit if limit else None)


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
            _set_include_data(obj, name, list(found))
    job.cb()


def _set_include_data(obj, name, targets):
    if isinstance(obj, dict):
        obj[name] = targets
    else:
        cache.set_included(obj, name, targets)


def _truthy_key(key):
    """juggler's ``if (sourceId)``: unset, null, 0, '' and false are skipped."""
    return key is not None and key is not False and key != 0 and key != ''
