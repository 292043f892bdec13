"""``include`` of a referencesMany relation: each parent's list of referenced targets.

# LoopBack: includeReferencesMany (lib/include.js, Inclusion.include)

The ids of all parents are gathered and the targets fetched with
``{<target id>: {'inq': [ids...]}}`` (plus the relation's scope and the
include scope), in pages of the data source's ``inqLimit`` ids, as for the
other relations (include.py ``_Job._find``): one query per page, never one
per parent.  Each parent's relation cache then holds its list (``[]`` when it
references nothing found) and ``toJSON()`` shows it.

As juggler: ids match by their text (``String(id)``); an ids value stored as
JSON text is parsed; ids missing from the target table are skipped; a parent
that lists an id twice gets that target twice; the include scope's ``order``
does not reorder the lists, and its ``limit``/``skip`` apply to each id's
query (so every referenced target is still included).

Deliberate fix (docs/differences.md): each parent's list follows its own ids'
order; juggler sorts the targets of all parents by their first place in the
ids of the whole batch, so a second parent with ``[2, 3]`` after one with
``[3, 2]`` gets ``[3, 2]``.
"""

import json

from ..errors import LoopBackError
from . import cache
from .definition import js_string


def include_references_many(job):
    """Include ``job.relation`` (a referencesMany) into ``job.objects``.

    ``job`` is include.py's ``_Job``: its query (the include scope's filter,
    ``where`` set, the target id among ``fields``) is completed here and
    ``job.cb(err)`` is called once.
    """
    relation = job.relation
    try:
        parents = _parent_ids(job.objects, relation.keyFrom, job.name)
    except LoopBackError as err:
        return job.cb(err)
    query = job.query
    query['where'][relation.keyTo] = {'inq': _uniq(i for _, ids in parents for i in ids)}
    relation.applyScope(None, query)
    model_to = relation.modelTo
    job._find(model_to, query, relation.keyTo,
              lambda targets: _after_fetch(job, model_to, targets, parents))


def _parent_ids(objects, key_from, name):
    """``[(parent, [ids...])]``; every parent's cache starts with ``[]``."""
    parents = []
    for obj, ids in zip(objects, cache.read_all(objects, key_from)):
        if isinstance(ids, str) and ids:
            ids = _parse_ids(ids, key_from)
        ids = [i for i in ids if i is not None] if isinstance(ids, list) else []
        parents.append((obj, ids))
        cache.cached_relations(obj)[name] = []
    return parents


def _parse_ids(text, key_from):
    """An ids list a relational store kept as JSON text (juggler: JSON.parse)."""
    try:
        return json.loads(text)
    except ValueError:
        raise LoopBackError('The %s property holds no JSON list of ids: %s'
                            % (key_from, text[:100]), statusCode=400) from None


def _uniq(ids):
    """juggler's ``utils.uniq`` (``indexOf``: strict equality; NaN is never kept)."""
    seen, out = set(), []
    for value in ids:
        if value != value or isinstance(value, (dict, list)):
            continue
        key = (isinstance(value, str), value)
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _after_fetch(job, model_to, targets, parents):
    if job.sub_include and targets:
        return model_to.include(
            targets, job.sub_include, job.options,
            lambda err=None, *_: job.cb(err) if err is not None
            else _link(job, targets, parents))
    _link(job, targets, parents)


def _link(job, targets, parents):
    """Each parent's cache (and, when it found any, its data) gets its
    targets in the order of its own ids."""
    by_key = {}
    for target, key in zip(targets, cache.read_all(targets, job.relation.keyTo)):
        if key is not None:
            by_key.setdefault(js_string(key), target)
    name = job.name
    for obj, ids in parents:
        found = [by_key[text] for text in map(js_string, ids) if text in by_key]
        cache.cached_relations(obj)[name] = found
        if found:
            cache.set_include_data(obj, name, list(found))
    job.cb()
