"""Queries: find, findOne, findById, findByIds, exists, count, and the glue
that resolves ``include`` once the instances are built.

# LoopBack: DataAccessObject.find / findOne / findById / findByIds /
#           exists / count (lib/dao.js)
"""

from itertools import repeat
from operator import itemgetter

from .. import filters
from ..errors import AssertionError_, LoopBackError
from ..js.values import to_string, truthy
from ..observer import observes
from ..loop import get_loop
from ..speedups.bulk import set_in_each, slots_of, without_none_pairs
from ..speedups.gc_pause import BATCH_MIN, hold_gc, release_gc
from .arguments import NOARG, REQUIRED, api
from .default_scope import apply_scope, scoped_where
from .helpers import (by_id_query, check, check_object_argument, id_name, invalid_id_error,
                      load_options, pk_missing)
from .near import near_query


def _find_by_id_shift(id, filter, options, cb):
    """findById's shuffle: ``(id, cb)``; ``(id, filter, cb)`` where a filter
    without include or fields is taken as the options, as juggler does."""
    if cb is None and options is None and callable(filter):
        cb, filter = filter, None
    elif cb is None and callable(options):
        cb, options = options, None
        if isinstance(filter, dict) and not (filter.get('include') or filter.get('fields')):
            options, filter = filter, None
    return id, filter, options, cb


class FindMixin:
    """The query methods."""

    @classmethod
    @api(NOARG)
    def exists(cls, id, options, done):
        """Whether an instance with ``id`` exists.

        # LoopBack: Model.exists(id, [options], [cb]) -> cb(err, bool)
        """
        if id is NOARG:
            done(AssertionError_('The id argument is required', code='ERR_ASSERTION'))
        elif invalid_id_error(cls, id):
            done(invalid_id_error(cls, id))
        elif id is not None and id != '':
            cls.count(by_id_query(cls, id)['where'], options,
                      lambda err=None, n=None: done(err, False if err else n == 1))
        else:
            done(LoopBackError('Model::exists requires the id argument'))

    @classmethod
    @api(NOARG, None, shift=_find_by_id_shift)
    def findById(cls, id, filter, options, done):
        """The instance with ``id``, or None.

        # LoopBack: Model.findById(id, [filter], [options], [cb])

        Only ``include`` and ``fields`` of the filter are used; a filter
        without either given together with a callback is taken as options,
        as juggler does.
        """
        filter = filter or {}
        if id is NOARG:
            return done(AssertionError_('The id argument is required', code='ERR_ASSERTION'))
        try:
            check_object_argument(filter, 'filter')
        except LoopBackError as err:
            return done(err)
        if pk_missing(cls, done):
            return
        if id is None or id == '':
            return done(LoopBackError('Model::findById requires the id argument'))
        if invalid_id_error(cls, id):
            return done(invalid_id_error(cls, id))
        try:
            filter = filters.parse_filter(filter)
        except LoopBackError as err:
            return done(err)
        query = by_id_query(cls, id)
        if isinstance(filter, dict):
            if filter.get('include'):
                query['include'] = filter['include']
            if filter.get('fields'):
                query['fields'] = filter['fields']
        cls._find_one(query, options, done)

    @classmethod
    @api(REQUIRED, None, cb_in_last=True)
    def findByIds(cls, ids, query, options, done):
        """Instances for a list of ids, in the order of the ids.

        # LoopBack: Model.findByIds(ids, [query], [options], [cb])
        """
        if not isinstance(ids, (list, tuple)):
            return done(AssertionError_('The ids argument must be an array',
                                        code='ERR_ASSERTION'))
        try:
            check_object_argument(query, 'query')
        except LoopBackError as err:
            return done(err)
        if pk_missing(cls, done):
            return
        if not ids:
            return done(None, [])
        bad = next(filter(None, (invalid_id_error(cls, i) for i in ids)), None)
        if bad is not None:
            return done(bad)
        pk = id_name(cls)
        flt = dict(query or {})
        sort = not flt.get('order')
        where = {pk: {'inq': list(ids)}}
        if flt.get('where'):
            where = {'and': [where, flt['where']]}
        flt['where'] = where

        def got(err=None, rows=None):
            if err is not None or not sort:
                return done(err, rows)
            by_id = {}
            for row in rows:
                by_id.setdefault(str(row[pk]), row)
            # each row once, at its id's first place (juggler's sortObjectsByIds)
            done(None, [by_id.pop(str(i)) for i in ids if str(i) in by_id])
        cls.find(flt, options, got)

    @classmethod
    @api(None, cb_in_last=True)
    def find(cls, query, options, done):
        """Instances matching a LoopBack filter.

        # LoopBack: Model.find([filter], [options], [cb]) -> cb(err, instances)

        Hooks: access (query), then loaded (data) per row.  ``include`` is
        resolved by ``Model.include`` after the instances are built;
        included data is promoted into each instance's data (toJSON shows
        it); with ``collect`` (a relation name, beside an ``include`` of it)
        the included instances are answered instead of the rows, as a
        hasMany through reads its targets.  A malformed filter is a 400 error.
        """
        try:
            check_object_argument(query, 'query')
            query = dict(cls._normalize_query(query if query is not None else {}, options) or {})
        except LoopBackError as err:
            return done(err)
        cls._find(query, options, done)

    all = find

    @classmethod
    def _find(cls, query, options, done):
        """find on a normalised filter: the default scope, access, the
        connector's rows, loaded per row, the instances, include."""
        model = cls
        hook_state = {}
        if truthy(query.get('collect')) and truthy(query.get('include')):
            done = _collecting(done, query['collect'])    # a hasMany through's query
        if model.settings.get('scope'):
            try:
                apply_scope(model, query)   # juggler: after _normalize, before 'access'
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
        try:
            near = near_query(model, query)     # dao/near.py: None unless queried in memory
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return done(exc)

        rows_included = []   # [True] once include ran on the rows (include_rows)

        def rows_loaded(err=None, rows=None):
            if err is not None:
                return done(err)
            rows = rows or []
            if rows and near is None and includes_embedded(model, query.get('include')):
                # juggler includes an embedded relation into a model built from
                # the row, so the instance find answers has items of its own
                return include_rows(rows)
            if options.get('notify') is False or not observes(model, 'loaded'):
                # straight from the connector: its fresh rows can become the data
                return build_all(rows, model._connector().handsOutCopies)
            if rows and near is None and include_names(query.get('include')):
                return include_rows(rows)
            notify_loaded(rows)

        def include_rows(rows):
            """juggler's order where 'loaded' hooks can see it: the connector
            includes into its rows (its ``all`` does), so the related models'
            hooks run first and each row reaches 'loaded' with its related
            data (``row[name]``, ``row['__cachedRelations']``); the
            constructor then takes them from the row.  Without 'loaded'
            observers nothing can tell the orders apart, and include runs on
            the built instances (build_all), which is faster."""
            if not model._connector().handsOutCopies:
                rows = list(map(dict, rows))    # never write into a connector's own rows

            def done_including(err=None, *_):
                if err is not None:
                    return done(err)
                rows_included.append(True)
                if options.get('notify') is False or not observes(model, 'loaded'):
                    return build_all(rows)      # (an include of an embedded relation)
                notify_loaded(rows)
            model._include(rows, query['include'], options, done_including)

        def notify_loaded(rows):
            results = [None] * len(rows)
            state = {'left': len(rows), 'failed': False}
            if not rows:
                return build_all([])

            def one(index, row):
                ctx = {'Model': model, 'data': row, 'isNewInstance': False,
                       'hookState': hook_state, 'options': options}

                def loaded(err=None, c=None):
                    if state['failed']:
                        return
                    if err is not None:
                        state['failed'] = True
                        return done(err)
                    results[index] = c.get('data')
                    state['left'] -= 1
                    if state['left'] == 0:
                        build_all(results)
                model.notifyObserversOf('loaded', ctx, loaded)
            for index, row in enumerate(rows):
                one(index, row)

        def build_all(rows, adopt=False):
            try:
                if near is not None:
                    rows = near.apply(rows)     # juggler's queryGeo: the query over every row
                instances = model._build_loaded(rows, load_options(model, query.get('fields')),
                                                adopt)
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            include = query.get('include')
            if not include or not instances:
                return done(None, instances)
            # A big batch: no collection from here until its targets are
            # promoted (the include's pages, its links, promote_included
            # allocate a few containers per instance, none of them garbage):
            # one young collection afterwards instead of one every 700 of
            # them walking the batch built so far (speedups.gc_pause.hold_gc;
            # the end of the drain under way ends it at the latest)
            loop = get_loop()
            hold = hold_gc(loop) if len(instances) >= BATCH_MIN else None

            def included(err=None, *_):
                try:
                    if err is None:
                        promote_included(instances, include_names(include))
                finally:
                    release_gc(loop, hold)   # an ended hold: nothing
                if err is not None:
                    return done(err)
                done(None, instances)
            if rows_included:
                return included()   # include_rows did it before 'loaded'
            model._include(instances, include, options, included)

        def call_all(err=None, ctx=None):
            nonlocal near
            if err is not None:
                return done(err)
            try:
                connector = model._connector()
                if ctx is not None and near is None:
                    near = near_query(model, ctx.get('query'))   # a near the 'access' hook added
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            if near is not None:
                # juggler's queryGeo: every row, loaded, then the query in memory
                near.query = ctx.get('query') if ctx is not None else query
                return connector.all(model.modelName, {}, options, rows_loaded)
            connector.all(model.modelName, ctx.get('query') if ctx is not None else query,
                          options, rows_loaded)

        if options.get('notify') is False or not observes(model, 'access'):
            return call_all()
        model.notifyObserversOf('access', {
            'Model': model, 'query': query, 'hookState': hook_state, 'options': options,
        }, call_all)

    @classmethod
    def _include(cls, instances, include, options, cb):
        """Resolve ``include`` through ``Model.include`` (relations package)."""
        include_fn = getattr(cls, 'include', None)
        if include_fn is None or not callable(include_fn):
            names = include_names(include)
            missing = [n for n in names if n not in (cls.relations or {})]
            name = missing[0] if missing else (names[0] if names else '')
            # juggler sets no statusCode on this error; a 400 is a deliberate fix
            return cb(LoopBackError('Relation "%s" is not defined for %s model'
                                    % (name, cls.modelName), statusCode=400))
        try:
            include_fn(instances, include, options, cb)
        except LoopBackError as err:
            cb(err)

    @classmethod
    @api(None, cb_in_last=True)
    def findOne(cls, query, options, done):
        """The first instance matching a filter, or None.

        # LoopBack: Model.findOne([filter], [options], [cb])
        """
        try:
            check_object_argument(query, 'query')
            query = filters.parse_filter(query if query is not None else {})
        except LoopBackError as err:
            return done(err)
        cls._find_one(query, options, done)

    @classmethod
    def _find_one(cls, query, options, done):
        """findOne on a parsed (dict) filter, without another API hop."""
        query['limit'] = 1
        try:
            query = dict(filters.normalize_filter(query, cls._info(), options) or {})
        except LoopBackError as err:
            return done(err)

        def got(err=None, rows=None):
            if err is not None or not rows:
                return done(err, None)
            done(None, rows[0])
        cls._find(query, options, got)

    @classmethod
    @api(None, cb_in_last=True)
    def count(cls, where, options, done):
        """Number of instances matching ``where``.

        # LoopBack: Model.count([where], [options], [cb]) -> cb(err, n)
        """
        where = where if where is not None else {}
        try:
            check_object_argument(where, 'where')
            where = filters.parse_filter(where)
            check(isinstance(where, dict), 'The where argument must be an object')
            where = cls._coerce_where(where, options)
        except LoopBackError as err:
            return done(err)
        if cls.settings.get('scope'):
            try:
                where = scoped_where(cls, where)
            except Exception as exc:  # noqa: BLE001 - a scope function's error goes to cb too
                return done(exc)

        def after_access(err=None, ctx=None):
            if err is not None:
                return done(err)
            cls._connector().count(cls.modelName, ctx.get('query').get('where'), options, done)
        cls.notifyObserversOf('access', {
            'Model': cls, 'query': {'where': where}, 'hookState': {},
            'options': options}, after_access)


def includes_embedded(model, include):
    """Whether ``include`` names an embedsOne/embedsMany relation of ``model``."""
    relations = model.relations or {}
    return any(getattr(relations.get(name), 'embed', False)
               for name in include_names(include) if isinstance(name, str))


def include_names(include):
    """Top-level relation names of an include spec (juggler ignores true, 1,
    symbols, functions: here any value but a string, dict or list)."""
    if not isinstance(include, (str, dict, list, tuple)):
        return []
    if isinstance(include, str):
        return [include]
    if isinstance(include, dict):
        if 'relation' in include:
            return [include['relation']]
        return list(include.keys())
    names = []
    for item in include:
        names.extend(include_names(item))
    return names


def promote_included(instances, names):
    """juggler's find after include: each relation's cached target, when not
    null, becomes part of the instance's data (its toJSON shows it).  Run in
    C (speedups.bulk): a find includes into every instance it loaded."""
    slots = list(map(slots_of, instances))
    caches = list(map(dict.get, slots, repeat('__cachedRelations'), repeat(_NO_CACHE)))
    datas = list(map(itemgetter('__data'), slots))
    for name in names:
        found_in, found = without_none_pairs(datas, list(map(dict.get, caches, repeat(name))))
        if list in set(map(type, found)):
            # a hasMany list: the data gets a copy (juggler: new List(included)),
            # so a later addToCache (relation create) does not change toJSON
            found = [list(v) if type(v) is list else v for v in found]
        set_in_each(found_in, name, found)


def _collecting(done, name):
    """find's callback for a filter with ``collect`` (a hasMany through's
    query of its through model): each instance's included relation ``name``
    in its place; those whose relation is null or was not loaded are left
    out (juggler's find)."""
    if not isinstance(name, str):
        name = to_string(name)     # a JavaScript property key

    def collected(err=None, instances=None):
        if err is not None:
            return done(err)
        caches = map(dict.get, map(slots_of, instances), repeat('__cachedRelations'),
                     repeat(_NO_CACHE))
        done(None, [value for value in map(dict.get, caches, repeat(name))
                    if value is not None])
    return collected


_NO_CACHE = {}   # read only: the cache of an instance that has none
