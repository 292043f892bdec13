"""``include`` of a hasMany through (and hasAndBelongsToMany) relation.

# LoopBack: includeHasManyThrough (lib/include.js, Inclusion.include)

Two batched reads, never one per parent:

1. the links: ``Through.find({where: {keyTo: {'inq': [parent keys...]}}})``
   (a polymorphic relation also filters its discriminator); the through
   model's default scope applies, the relation's ``scope`` does not (juggler);
2. the targets: ``Target.find`` with the include scope (where, fields,
   order...) and ``{id: {'inq': [the links' keyThrough values...]}}``.

Both are paged by the data source's ``inqLimit`` as every include is
(include.py ``_Job._find``); as juggler, an include scope with
``limit``/``skip``/``offset`` reads the targets one id at a time.  Each
parent's cache starts as ``[]``; each target then joins the list of every
parent its links name, in the order the targets were read (a pair linked
twice lists its target twice, as juggler); a parent that got targets shows
them in ``toJSON()``.  Parents whose key is falsy get ``[]``.  A target
read without its id is an error: ``LinkManyToMany received target that
doesn't contain required "id"``.

Deliberate fixes (docs/differences.md): parents sharing a key all get the
list (juggler: the last of them); an inverted polymorphic relation
(``Picture.hasMany(Article, {through, polymorphic, invert: true})``) filters
the links by its own discriminator value, the target's name (juggler filters
by the source's name there, so that include always found nothing).
"""

from ..errors import LoopBackError
from . import cache
from .definition import id_name, js_string, truthy_key


def include_has_many_through(job):
    """Include ``job.relation`` (a hasMany with ``modelThrough``) into ``job.objects``.

    ``job`` is include.py's ``_Job`` (its query: the include scope's filter
    with ``where`` set, the relation's keyTo among ``fields``, as juggler
    leaves it); ``job.cb(err)`` is called once.
    """
    relation = job.relation
    name = job.name
    by_source = {}
    source_keys = []
    for obj, key in zip(job.objects, cache.read_all(job.objects, relation.keyFrom)):
        if truthy_key(key):
            source_keys.append(key)
            by_source.setdefault(js_string(key), []).append(obj)
        cache.cached_relations(obj)[name] = []
    through_query = {'where': {relation.keyTo: {'inq': _uniq(source_keys)}}}
    polymorphic = relation.polymorphic
    if isinstance(polymorphic, dict):
        through_query['where'][polymorphic['discriminator']] = relation._discriminator_value()
    job._find(relation.modelThrough, through_query, relation.keyTo,
              lambda links: _fetch_targets(job, links, by_source))


def _fetch_targets(job, links, by_source):
    """Second read: the targets the links name, with the include scope."""
    relation = job.relation
    target_ids = []
    parents_of = {}     # target id text -> the parents of each of its links
    for source_key, target_id in zip(cache.read_all(links, relation.keyTo),
                                     cache.read_all(links, relation.keyThrough)):
        if not truthy_key(target_id):
            continue
        target_ids.append(target_id)
        parents = by_source.get(js_string(source_key))
        if parents:
            parents_of.setdefault(js_string(target_id), []).extend(parents)
    model_to = relation.modelTo
    pk = id_name(model_to)
    query = job.query
    query['where'][pk] = {'inq': _uniq(target_ids)}
    fields = query.get('fields')
    if isinstance(fields, list) and pk not in fields:
        fields.append(pk)
    elif isinstance(fields, dict) and not fields.get(pk):
        fields[pk] = True
    job._find(model_to, query, pk, lambda targets: _after_fetch(job, targets, parents_of, pk))


def _after_fetch(job, targets, parents_of, pk):
    if job.sub_include and targets:
        return job.relation.modelTo.include(
            targets, job.sub_include, job.options,
            lambda err=None, *_: job.cb(err) if err is not None
            else _link(job, targets, parents_of, pk))
    _link(job, targets, parents_of, pk)


def _link(job, targets, parents_of, pk):
    """Each target joins the cached list of the parents its links name."""
    name = job.name
    linked = {}
    for target, target_id in zip(targets, cache.read_all(targets, pk)):
        if not truthy_key(target_id):
            return job.cb(LoopBackError(
                'LinkManyToMany received target that doesn\'t contain required "%s"' % pk))
        for obj in parents_of.get(js_string(target_id), ()):
            cache.cached_relations(obj)[name].append(target)
            linked[id(obj)] = obj
    for obj in linked.values():
        found = cache.cached_relations(obj)[name]
        if isinstance(obj, dict):
            obj[name] = found
        else:
            cache.set_included(obj, name, list(found))
    job.cb()


def _uniq(values):
    """juggler's utils.uniq: the first of each value (strict equality, so
    1 and '1' are two values)."""
    seen = set()
    out = []
    for value in values:
        marker = (type(value), js_string(value))
        if marker not in seen:
            seen.add(marker)
            out.append(value)
    return out
