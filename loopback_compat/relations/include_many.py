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
from ..js.json import stringify
from ..js.values import truthy
from . import cache
from .definition import js_string
from .include_paging import take_paging


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
    if not simple:
        # juggler's includeHasMany sets this on the caller's options: the
        # related find's hooks and connector see it, and so does the caller
        job.options['partitionBy'] = relation.keyTo
    try:
        paging = take_paging(relation.modelTo, query, job.options) if keys else None
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


def _truthy_key(key):
    """juggler's ``if (sourceId)``: unset, null, 0, '' and false are skipped."""
    return key is not None and key is not False and key != 0 and key != ''
