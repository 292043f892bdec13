"""Loading related instances for many parents at once (``include``).

# LoopBack: Inclusion.include(objects, include, options, cb) (lib/include.js)

``include`` may be a relation name, a list, ``{'account': <sub-include>}``,
``{'account': True}`` or ``{'relation': 'account', 'scope': {...}}`` (the
scope's where/fields/order/limit filter the targets; its ``include`` is a
sub-include).  For each relation, the targets of all parents are fetched
with one ``find`` using ``{keyTo: {'inq': [keys...]}}``, in pages of
``dataSource.settings['inqLimit']`` keys (256 by default); juggler falls
back to one query per parent only when the scope has limit/skip/offset.

Each parent's cache then holds its target, or None when none was found, so
``parent.account()`` answers without a query; a found target also becomes
part of ``parent.toJSON()``.  Parents whose key is falsy (unset, 0, '') are
skipped.  When several targets share one key, the last one wins.

Supported relation types: hasOne, belongsTo (polymorphic too) and hasMany
(include_many.py: each parent gets a list; with ``through``, and
hasAndBelongsToMany, include_through.py).  A relation whose
``options.disableInclude`` is set is skipped silently.
Unknown relation -> ``Relation "<name>" is not defined for <Model> model``, a 400
(juggler sets no statusCode; a deliberate fix, so REST answers 400, not 500).
"""

import copy
from itertools import repeat
from operator import itemgetter

from ..speedups.bulk import new_dicts, set_in_each, slots_of, without_none_pairs
from ..errors import LoopBackError
from ..filters.merge import merge_query
from ..filters.sanitize import prohibited_properties, sanitize_query
from ..speedups.gc_pause import gc_paused, hold_gc, release_gc
from ..loop import get_loop
from ..promise import callback_and_promise
from . import cache
from .definition import js_string, lookup_model, models_of, truthy_key
from .include_many import include_has_many
from .include_paging import cut_per_key, take_paging
from .include_through import include_has_many_through
from .include_references import include_references_many
from .include_embeds import include_embeds

DEFAULT_INQ_LIMIT = 256


class IncludeScope:
    """``{'relation': name, 'scope': {...}}``: the target filter and sub-include."""

    def __init__(self, scope):
        self._scope = copy.deepcopy(scope or {})
        sub = self._scope.pop('include', None)
        self._include = normalize_include(sub) if sub else None

    def conditions(self):
        return copy.deepcopy(self._scope)

    def include(self):
        return self._include


def normalize_include(include):
    """A list of relation names and ``{name: sub-include | IncludeScope}`` dicts.

    As juggler, a plain dict with several keys yields that same dict once
    per key, and only its first key is then included.
    """
    if isinstance(include, str):
        return [include]
    if isinstance(include, dict):
        rel = include.get('rel') or include.get('relation')
        if isinstance(rel, str):
            return [{rel: IncludeScope(include.get('scope'))}]
        whole = dict(include)
        return [whole for _ in include]
    if isinstance(include, (list, tuple)):
        out = []
        for item in include:
            out.extend(normalize_include(item))
        return out
    # juggler ignores booleans, numbers, symbols and functions; any other
    # value (JavaScript: a non-plain object) names no relation either
    return []


def include(model, objects, include_spec, options=None, cb=None):
    """Load ``include_spec`` relations of ``model`` into ``objects``.

    # LoopBack: Model.include(objects, include, [options], cb)

    Calls back ``cb(err, objects)`` with the caller's own list (juggler's
    array); without ``cb`` returns a Promise.
    """
    if callable(options) and cb is None:
        options, cb = {}, options
    options = {} if options is None else options
    done, promise = callback_and_promise(cb)
    given = [] if objects is None else objects
    objects = given if type(given) is list else list(given)
    if not include_spec or (isinstance(include_spec, (list, tuple, dict))
                            and len(include_spec) == 0) or not objects:
        done(None, given)
        return promise
    items = normalize_include(include_spec)
    _each(items, lambda item, next_: _process_item(model, objects, item, options, next_),
          lambda err=None: done(err) if err is not None else done(None, given))
    return promise


def _each(items, worker, finished):
    """Run ``worker(item, next)`` for all items at once; ``finished(err)`` once.

    # LoopBack: async.each
    """
    items = list(items)
    state = {'left': len(items), 'over': False}
    if not items:
        return finished()

    def next_(err=None, *_):
        if state['over']:
            return
        if err is not None:
            state['over'] = True
            return finished(err)
        state['left'] -= 1
        if state['left'] == 0:
            state['over'] = True
            finished()

    for item in items:
        if state['over']:
            break
        try:
            worker(item, next_)
        except Exception as err:  # a bad include must reach the callback
            next_(err)


def _process_item(model, objects, item, options, cb):
    if isinstance(item, dict):
        name = next(iter(item))
        value = item[name]
        if isinstance(value, IncludeScope):
            scope, sub_include = value, value.include()
        else:
            scope, sub_include = None, (None if value is True else value)
    else:
        name, scope, sub_include = item, None, None

    relations = getattr(model, 'relations', None) or {}
    relation = relations.get(name) if isinstance(name, str) else None
    if relation is None:
        # deliberate fix: juggler sets no statusCode (REST answered 500)
        return cb(LoopBackError('Relation "%s" is not defined for %s model'
                                % (js_string(name), model.modelName), statusCode=400))
    if relation.modelTo is None and not relation.polymorphic:
        return cb(LoopBackError('Relation.modelTo is not defined for relation %s '
                                'and is no polymorphic' % name))
    if relation.options.get('disableInclude'):
        return cb()
    if getattr(relation, 'embed', False):   # embedsOne/embedsMany: in the owners' data
        return include_embeds(model, objects, name, relation, scope, options, cb)
    has_many = relation.type == 'hasMany'    # through or not
    if relation.type not in ('hasOne', 'belongsTo', 'referencesMany') and not has_many:
        return cb(LoopBackError('Including a %s relation is not supported yet (%s)'
                                % (relation.type, name)))

    query = scope.conditions() if scope is not None else {}
    if (relation.multiple or relation.type == 'belongsTo') and scope is not None:
        _keep_sub_include_keys(relation, query, sub_include)
    if query.get('where') is None:
        query['where'] = {}
    fields = query.get('fields')
    if isinstance(fields, str):
        query['fields'] = fields = [fields]
    if isinstance(fields, list) and relation.keyTo not in fields:
        fields.append(relation.keyTo)
    elif isinstance(fields, dict) and not fields.get(relation.keyTo):
        fields[relation.keyTo] = True

    job = _Job(model, objects, name, relation, query, sub_include, options, cb)
    if relation.type == 'referencesMany':
        include_references_many(job)
    elif getattr(relation, 'modelThrough', None) is not None:
        include_has_many_through(job)
    elif has_many:
        include_has_many(job)
    elif relation.polymorphic and relation.type == 'belongsTo':
        job.polymorphic_belongs_to()
    else:
        job.one_to_one()


def _keep_sub_include_keys(relation, query, sub_include):
    """With ``fields`` in a belongsTo include scope, keep the keys that the
    target's own belongsTo sub-includes need (juggler does the same)."""
    if not query.get('fields') or not isinstance(sub_include, list) \
            or relation.modelTo is None:
        return
    target_relations = getattr(relation.modelTo, 'relations', None) or {}
    keys = []
    for name in sub_include:
        rel = target_relations.get(name) if isinstance(name, str) else None
        if rel is not None and rel.type == 'belongsTo':
            keys.append(rel.keyFrom)
    merge_query(query, {'fields': keys}, {'fields': False})


class _Job:
    """One relation being included into one batch of parents."""

    def __init__(self, model, objects, name, relation, query, sub_include, options, cb):
        self.model = model
        self.objects = objects
        self.name = name
        self.relation = relation
        self.query = query
        self.sub_include = sub_include
        self.options = options
        self.cb = cb

    def _inq_limit(self):
        settings = getattr(getattr(self.model, 'dataSource', None), 'settings', None) or {}
        return settings.get('inqLimit') or DEFAULT_INQ_LIMIT

    # -- hasOne / belongsTo ---------------------------------------------------
    #
    # One general path (one_to_one, _link: any parents, any keys, through
    # the cache helpers) and one declared fast path (_one_to_one_fast,
    # _link_fast: the usual page of model instances keyed by distinct
    # non-zero ints, the same steps as loops in C over speedups.bulk).
    # tests/speedups/test_fast_paths.py checks that both give the same parents.

    def one_to_one(self):
        relation = self.relation
        name = self.name
        keys_from = cache.read_all(self.objects, relation.keyFrom)
        by_key = _by_distinct_int_key(self.objects, keys_from) \
            if cache.all_instances(self.objects) else None
        if by_key is not None:
            return self._one_to_one_fast(keys_from, by_key)
        by_key = {}   # key text -> the parent, or a list of the parents with that key
        keys = []
        for obj, key in zip(self.objects, keys_from):
            cache.cached_relations(obj)[name] = None
            if not truthy_key(key):
                continue    # juggler skips falsy keys (unset, null, 0, '')
            keys.append(key)
            text = _key_text(key)
            group = by_key.get(text)
            if group is None:
                by_key[text] = obj
            elif type(group) is list:
                group.append(obj)
            else:
                by_key[text] = [group, obj]
        self._query_targets(keys, by_key, self._link)

    def _one_to_one_fast(self, keys, by_key):
        """one_to_one for model instances whose keys are distinct non-zero ints
        (``by_key``: _by_distinct_int_key's), its per-parent steps in C."""
        with gc_paused():   # a dict a parent: no collection every 700 of them
            caches = list(map(dict.setdefault, map(slots_of, self.objects),
                              repeat(_CACHE), new_dicts(len(self.objects))))
        set_in_each(caches, self.name, repeat(None))
        self._query_targets(keys, by_key, self._link_fast)

    def _query_targets(self, keys, by_key, link):
        """Fetch the targets of ``keys``; then ``link(model_to, targets, by_key)``
        gives them to the parents in ``by_key`` (after the sub-include, if any)."""
        relation = self.relation
        model_to = relation.modelTo
        self.query['where'][relation.keyTo] = {'inq': _uniq(keys)}
        relation.applyScope(None, self.query)
        self._find(model_to, self.query, relation.keyTo,
                   lambda targets: self._then_link(model_to, targets, by_key, link))

    def _then_link(self, model_to, targets, by_key, link):
        if self.sub_include and targets:
            return model_to.include(
                targets, self.sub_include, self.options,
                lambda err=None, *_: self.cb(err) if err is not None
                else link(model_to, targets, by_key))
        link(model_to, targets, by_key)

    def _link(self, model_to, targets, by_key):
        """Give each parent in ``by_key`` (keyed by key text) the target with
        its key, in its cache and its data; the last target of a key wins."""
        name = self.name
        for target, key in zip(targets, cache.read_all(targets, self.relation.keyTo)):
            if not truthy_key(key):
                continue
            group = by_key.get(_key_text(key))
            if group is None:
                continue
            for obj in group if type(group) is list else (group,):
                cache.cached_relations(obj)[name] = target
                cache.set_include_data(obj, name, target)
        self.cb()

    def _link_fast(self, model_to, targets, by_key):
        """_link for _one_to_one_fast's parents (``by_key``: one instance per
        int key): int-keyed targets are linked in C (a 0 key finds no
        parent: none has one); other keys take the general path."""
        keys = cache.read_all(targets, self.relation.keyTo)
        if set(map(type, keys)) <= _INT_ONLY:
            _link_distinct(self.name, targets, list(map(by_key.get, keys)))
            return self.cb()
        self._link(model_to, targets, dict(zip(map(str, by_key), by_key.values())))

    # -- polymorphic belongsTo ------------------------------------------------

    def polymorphic_belongs_to(self):
        relation = self.relation
        discriminator = relation.polymorphic['discriminator']
        keys_by_type = {}
        objs_by_type = {}
        for obj in self.objects:
            type_name = cache.read(obj, discriminator)
            if type_name:
                keys = keys_by_type.setdefault(type_name, [])
                by_key = objs_by_type.setdefault(type_name, {})
                key = cache.read(obj, relation.keyFrom)
                if truthy_key(key):
                    keys.append(key)
                    by_key.setdefault(js_string(key), []).append(obj)
            cache.set_cache(obj, self.name, None)

        def one_type(type_name, next_):
            model_to = lookup_model(models_of(relation.modelFrom), type_name)
            if model_to is None:
                return next_(LoopBackError('Discriminator type %s specified but no model '
                                           'exists with such name' % type_name))
            query = {'where': {}}
            merge_query(query, copy.deepcopy(self.query))
            query['where'][relation.keyTo] = {'inq': _uniq(keys_by_type[type_name])}
            relation.applyScope(None, query)
            sub = _Job(self.model, self.objects, self.name, relation, query,
                       self.sub_include, self.options, next_)
            sub._find(model_to, query, relation.keyTo,
                      lambda targets: sub._then_link(model_to, targets, objs_by_type[type_name],
                                                     sub._link))

        _each(list(keys_by_type), one_type, lambda err=None: self.cb(err))

    # -- fetching -------------------------------------------------------------

    def _find(self, model_to, query, fk_name, on_targets):
        """Fetch targets for the ``inq`` keys, in pages; ``on_targets(list)``.

        # LoopBack: findWithForeignKeysByPage(model, filter, fkName, 0, options, cb)

        Pages of ``inqLimit`` keys, one query each (one query when the keys
        fit in one page).  A scope's limit/skip/offset applies to each key's
        targets: juggler queries each key alone for that, here the pages
        stay one query each and are cut per key (include_paging.py).
        """
        try:
            _drop_protected(model_to, query, self.options)
        except LoopBackError as err:
            return self.cb(err)
        keys = _inq_keys(query['where'], fk_name)
        if not keys:
            return on_targets([])
        try:
            paging = take_paging(model_to, query, self.options)
        except LoopBackError as err:
            return self.cb(err)
        if paging is not None:
            on_targets = _cutting(on_targets, fk_name, paging)
        page = self._inq_limit()
        if len(keys) <= page:
            return model_to.find(query, self.options, self._found(on_targets))

        pages = [keys[i:i + page] for i in range(0, len(keys), page)]
        results = [None] * len(pages)

        def one_page(index, next_):
            chunk = pages[index]
            paged = dict(query)
            paged['where'] = dict(query['where'])
            paged['where'][fk_name] = chunk[0] if len(chunk) == 1 else {'inq': chunk}

            def got(err=None, found=None):
                if err is not None:
                    return next_(err)
                results[index] = list(found or [])
                next_()
            model_to.find(paged, self.options, got)

        def all_pages(err=None):
            try:
                if err is not None:
                    return self.cb(err)
                on_targets([t for chunk in results for t in chunk])
            finally:
                release_gc(loop, hold)

        # All pages are asked for now (async.each); the memory connector
        # answers them one tick each, and each page's instances would cost a
        # young collection (and every tenth page an older one) on a batch
        # nothing can free yet: one collector pause from here until the
        # targets are linked, or the end of this cascade of ticks at the
        # latest (speedups.gc_pause.hold_gc).  Outside a drain no hold is
        # taken, and gc_paused still covers the pages asked for right now.
        loop = get_loop()
        hold = hold_gc(loop)
        with gc_paused():
            _each(range(len(pages)), one_page, all_pages)

    def _found(self, on_targets):
        def found(err=None, targets=None):
            if err is not None:
                return self.cb(err)
            on_targets(list(targets or []))
        return found


def _cutting(on_targets, fk_name, paging):
    """``on_targets`` given each key's slice of the targets (include_paging)."""
    def cut(targets):
        on_targets(cut_per_key(targets, fk_name, paging))
    return cut


def _drop_protected(model_to, query, options):
    """juggler sanitises an include's where with ``prohibitProtectedPropertiesInQuery``
    on (unless the options turn it off): where the target's hidden properties
    are prohibited, its protected ones are too, and are dropped from the
    where (or, with the REST layer's reject option, refused with a 400).
    Only then is there anything to do that the target's find would not."""
    opts = {'prohibitProtectedPropertiesInQuery': True}
    opts.update(options)
    info = model_to._info()
    if prohibited_properties(info, opts):
        query['where'] = sanitize_query(query['where'], info, opts, is_where=True)


_PLAIN_KEYS = frozenset([int, str])
_CACHE = cache.CACHE_ATTRS[0]
_DATA = cache.DATA_ATTRS[0]


def _inq_keys(where, fk_name):
    cond = where.get(fk_name)
    if isinstance(cond, dict) and 'inq' in cond:
        return list(cond['inq'])
    for part in where.get('and') or []:
        cond = part.get(fk_name) if isinstance(part, dict) else None
        if isinstance(cond, dict) and isinstance(cond.get('inq'), list):
            return list(cond['inq'])
    return []


def _key_text(key):
    """The key as JavaScript's String() prints it: parents and targets match by it."""
    kind = type(key)
    if kind is str:
        return key
    if kind is int:
        return str(key)
    return js_string(key)


def _link_distinct(name, targets, parents):
    """Give ``parents[i]`` (an instance, or None: no parent) ``targets[i]``
    in its relation cache and its data."""
    parents, targets = without_none_pairs(parents, targets)
    slots = list(map(slots_of, parents))
    set_in_each(map(itemgetter(_CACHE), slots), name, targets)
    set_in_each(map(itemgetter(_DATA), slots), name, targets)


def _by_distinct_int_key(objects, keys):
    """``{key: obj}`` when the keys are ints, none 0 and no two alike (every
    parent then has a truthy key of its own), else None.  (Keyed by the int,
    not its text as the general path is: an int key is its text's only int.)"""
    if set(map(type, keys)) != _INT_ONLY or 0 in keys:
        return None
    by_key = dict(zip(keys, objects))
    return by_key if len(by_key) == len(keys) else None


_INT_ONLY = {int}


def _uniq(values):
    kinds = set(map(type, values))
    if len(kinds) == 1 and kinds <= _PLAIN_KEYS:
        return list(dict.fromkeys(values))   # all ints or all strs: equal is the same key
    seen = set()
    out = []
    for value in values:
        kind = type(value)
        marker = (kind, value if kind is int or kind is str else js_string(value))
        if marker not in seen:
            seen.add(marker)
            out.append(value)
    return out
