"""The memory connector: juggler's in-process store.

# LoopBack: lib/connectors/memory.js of loopback-datasource-juggler 3.x

It implements the whole contract of connectors/base.py (the reference for
the interface, callbacks and errors) plus ``upsertWithWhere``, migration and
a ``file=`` store (store_file.py).

Rows live in one dict per model keyed by the id's string form (so ``'1'``
and ``1`` address the same row, as JavaScript object keys do); they are
stored and returned as copies (rows.py).  Ids come from a counter per model
starting at 1; an explicit numeric id above the counter moves it past that
id.  Queries whose where pins properties to values go through per-property
indexes built on first use (index.py); others scan the collection in
insertion order.  ``findOrCreate`` looks up and inserts in one synchronous
step, so it is atomic (``atomicFindOrCreate``).
"""

import datetime as _dt
import json

from ... import filters, geo, safe_regex
from ...errors import LoopBackError
from ...loop import nextTick
from ...types import ALREADY_COERCED, coerce_value, js_string, parse_date
from ..base import Connector
from .index import CollectionIndex, index_plan
from .rows import _copy_row, _copy_rows, _in_id_order, _stored_row
from .store_file import FileStore

# Connector callbacks come on the next tick, as juggler's memory connector
# makes them (process.nextTick).
_later = nextTick


class Memory(FileStore, Connector):
    """juggler's memory connector (see the module docstring; the interface is
    connectors/base.py's)."""

    name = 'memory'

    # handsOutCopies: the rows ``all`` calls back with are copies made for
    # that call, so the DAO may keep them as instance data instead of copying
    # them again.  atomicFindOrCreate: findOrCreate looks up and inserts in
    # one synchronous step, so two calls for one query never both create
    # (hasOne create relies on it).
    capabilities = frozenset({
        'handsOutCopies', 'atomicFindOrCreate', 'upsertWithWhere', 'automigrate', 'autoupdate',
        'buildNearFilter'})

    def __init__(self, settings=None, data_source=None):
        self.settings = dict(settings or {})
        self.dataSource = data_source
        self.cache = {}     # collection -> {id key: row}
        self.ids = {}       # collection -> next generated id
        self._models = {}   # model name -> {'model', 'properties', 'settings'}
        self._info = {}     # model name -> filters.ModelInfo
        self._pending = []  # (cb, results) waiting for the next file write
        self._ix = {}       # collection -> CollectionIndex (built on first use)
        self._colls = {}    # model name -> collection name (settings.memory.collection)
        self._stale = False  # disconnected with a file: read it again before the next use
        if self.settings.get('file'):
            self._load_file()

    # -- set-up -----------------------------------------------------------

    def getDefaultIdType(self):
        return 'number'

    def getTypes(self):
        return ['db', 'nosql', 'memory']

    def connect(self, cb=None):
        """With ``file=``, read the store from the file again: what other
        processes (or data sources) wrote there is what this one sees now.

        # LoopBack: Memory.prototype.connect -> loadFromFile
        """
        if self.settings.get('file'):
            try:
                self._reload()
            except LoopBackError as err:
                if cb:
                    _later(cb, err)
                return
        if cb:
            _later(cb, None)

    def disconnect(self, cb=None):
        """Nothing to close; with ``file=``, the next operation (or ``connect``)
        reads the file again, as juggler's data source reconnects first."""
        if self.settings.get('file'):
            self._stale = True
        if cb:
            _later(cb, None)

    def _reload(self):
        """The store as the file holds it now, rows typed by their models;
        writes still waiting for the file go out first."""
        if self._pending:
            self._flush()
        self._stale = False
        self._load_file()
        for name in self._models:
            coll = self._collection_name(name)
            rows = self.cache.get(coll)
            if rows is None:
                self.cache[coll] = {}
                self.ids.setdefault(coll, 1)
            else:
                self.cache[coll] = {k: self._from_json(name, row) for k, row in rows.items()}

    def getCollection(self, model):
        """The collection (store) of ``model``: ``settings.memory.collection``,
        else the model's name.

        # LoopBack: Memory.prototype.getCollection(model)
        """
        return self._collection_name(model)

    def define(self, definition):
        model = definition['model']
        name = model.modelName
        self._models[name] = definition
        self._info.pop(name, None)
        self._colls.pop(name, None)
        coll = self._collection_name(name)
        if coll not in self.cache:
            self.cache[coll] = {}
            self.ids[coll] = 1
        else:
            # rows reloaded from a file are plain JSON: restore property types
            self.cache[coll] = {k: self._from_json(name, row)
                                for k, row in self.cache[coll].items()}
            self._ix.pop(coll, None)

    def defineProperty(self, model, name, spec):
        """A property was added to ``model``: forget its cached filter info."""
        self._info.pop(model, None)

    def _collection_name(self, model):
        coll = self._colls.get(model)
        if coll is None:
            coll = self._colls[model] = self._find_collection_name(model)
        return coll

    def _find_collection_name(self, model):
        definition = self._models.get(model)
        if definition is not None:
            memory = (definition.get('settings') or {}).get('memory')
            if isinstance(memory, dict) and memory.get('collection'):
                return memory['collection']
        return model

    def collection(self, model):
        if self._stale:
            self._reload()
        coll = self._colls.get(model) or self._collection_name(model)
        rows = self.cache.get(coll)
        if rows is None:
            rows = self.cache[coll] = {}
        return rows

    def _name_and_rows(self, model):
        """``(collection name, collection)`` in one call, for the hot paths."""
        if self._stale:
            self._reload()
        coll = self._colls.get(model) or self._collection_name(model)
        rows = self.cache.get(coll)
        if rows is None:
            rows = self.cache[coll] = {}
        return coll, rows

    def model_info(self, model):
        info = self._info.get(model)
        if info is None:
            cls = self._models[model]['model']
            info = filters.ModelInfo.from_definition(
                cls.definition.properties, cls.definition.idNames(), model, cls.settings)
            self._info[model] = info
        return info

    def idName(self, model):
        return self._models[model]['model'].definition.idName() or 'id'

    def idNames(self, model):
        return self._models[model]['model'].definition.idNames()

    def _properties(self, model):
        return self._models[model]['model'].definition.properties

    # -- rows -------------------------------------------------------------

    def _from_json(self, model, row):
        """Restore dates/numbers/booleans in a row read back from JSON."""
        if isinstance(row, str):
            row = json.loads(row)
        props = self._properties(model)
        for key, value in row.items():
            prop = props.get(key)
            if prop is None or value is None:
                continue
            tname = prop['type']
            if tname == 'date' and not isinstance(value, _dt.datetime):
                row[key] = parse_date(value)
            elif tname in ('number', 'boolean'):
                row[key] = coerce_value(tname, value)
        return row

    def _key(self, id_value):
        kind = type(id_value)
        if kind is str:
            return id_value
        if kind is int:
            return str(id_value)   # what js_string gives an int, without the walk
        return js_string(id_value)

    def _rows(self, model):
        return _copy_rows(self.collection(model).values())

    # -- indexes ------------------------------------------------------------
    # Every write to a collection goes through _put/_changed/_remove/_drop so
    # that its CollectionIndex (index.py), when one was built, stays in
    # step; a collection dict that is replaced wholesale loses its index,
    # which is rebuilt on the next indexed query.

    def _put(self, model, key, row):
        """``rows[key] = row`` (insert, or replace keeping the row's place)."""
        coll, rows = self._name_and_rows(model)
        rows[key] = row
        ix = self._ix.get(coll)
        if ix is not None:
            if ix.rows is rows:
                ix.added(key, row)
            else:
                del self._ix[coll]

    def _changed(self, model, key, row):
        """``row`` (stored under ``key``) was updated in place."""
        ix = self._ix.get(self._collection_name(model))
        if ix is not None:
            ix.changed(key, row)

    def _remove(self, model, key):
        """Delete and return the row under ``key`` (None when there is none)."""
        if self._stale:
            self._reload()
        coll = self._colls.get(model) or self._collection_name(model)
        rows = self.cache.get(coll)
        row = rows.pop(key, None) if rows is not None else None
        ix = self._ix.get(coll)
        if row is not None and ix is not None:
            ix.removed(key)
        return row

    def _drop_index(self, model):
        self._ix.pop(self._collection_name(model), None)

    def _index_lookup(self, model, where):
        """``(keys, exact)``: the keys of the rows that may match ``where`` (a
        superset, in scan order) through an index, or None when no index
        applies (the caller scans); ``exact`` when all of them match, so no
        matcher needs to run (see index.index_plan)."""
        if not isinstance(where, dict):
            return None, False
        plan = index_plan(where)
        if plan is None:
            return None, False
        coll, rows = self._name_and_rows(model)
        ix = self._ix.get(coll)
        if ix is None or ix.rows is not rows:
            ix = self._ix[coll] = CollectionIndex(rows)
        return ix.candidate_keys(*plan)

    def _candidate_keys(self, model, where):
        """The keys of :meth:`_index_lookup` (a superset), or None."""
        return self._index_lookup(model, where)[0]

    def _candidates(self, model, where):
        """``(rows, exact)`` of :meth:`_index_lookup`: the rows, or None."""
        keys, exact = self._index_lookup(model, where)
        if keys is None:
            return None, False
        rows = self.collection(model)
        return [rows[k] for k in keys], exact

    def _matching(self, model, where, matcher):
        """``[(key, row)]`` of the rows ``matcher`` accepts, in collection order."""
        rows = self.collection(model)
        keys = self._candidate_keys(model, where)
        if keys is None:
            return [(key, row) for key, row in rows.items() if matcher(row)]
        return [(key, rows[key]) for key in keys if matcher(rows[key])]

    def _create_sync(self, model, data):
        """Insert ``data`` (mutated to carry its id); return (err, id)."""
        coll, rows = self._name_and_rows(model)
        current = self.ids.get(coll) or 1
        id_name = self.idName(model)
        given = data.get(id_name)
        # juggler: getIdValue(...) || generateId(...): a falsy id (NaN too) is generated
        id_value = given if given not in (None, '', 0, False) and given == given else current
        if type(id_value) is int:
            numeric = id_value   # what coerce_value('number', ...) gives an int
        else:
            numeric = coerce_value('number', id_value) if not isinstance(id_value, bool) else None
        if isinstance(numeric, (int, float)) and numeric > current:
            current = numeric
        if isinstance(current, float) and current.is_integer():
            current = int(current)
        self.ids[coll] = current + 1
        prop = self._properties(model).get(id_name)
        if prop is not None and prop['type'] in ALREADY_COERCED and \
                ALREADY_COERCED[prop['type']] is not type(id_value):
            id_value = coerce_value(prop['type'], id_value)
        data[id_name] = id_value
        key = self._key(id_value)
        if key in rows:
            return LoopBackError('Duplicate entry for %s.%s' % (model, id_name),
                                 statusCode=409), None
        self._put(model, key, _stored_row(data))
        return None, id_value

    # -- CRUD -------------------------------------------------------------

    def create(self, model, data, options, cb):
        err, id_value = self._create_sync(model, data)
        self._done(cb, err, id_value)

    def save(self, model, data, options, cb):
        rows = self.collection(model)
        key = self._key(data.get(self.idName(model)))
        existing = rows.get(key)
        row = dict(existing) if existing is not None else {}
        row.update(_stored_row(data))
        self._put(model, key, row)
        self._done(cb, None, _copy_row(row), {'isNewInstance': existing is None})

    def exists(self, model, id_value, options, cb):
        _later(cb, None, self._key(id_value) in self.collection(model))

    def find(self, model, id_value, options, cb):
        row = self.collection(model).get(self._key(id_value))
        _later(cb, None, _copy_row(row) if row is not None else None)

    def destroy(self, model, id_value, options, cb):
        removed = self._remove(model, self._key(id_value))
        self._done(cb, None, {'count': 1 if removed is not None else 0})

    def _find_all(self, model, flt):
        """Rows matching a normalised filter, ordered (default: by id), sliced."""
        flt = dict(flt or {})
        where = flt.get('where')
        # near clauses go through apply_filter's whole pipeline (geo.filter
        # runs over every row, after the sort and before the match, as juggler's)
        near = bool(where) and bool(geo.nearFilter(where))
        direct = self._lookup_by_id(model, where)
        if direct is not None:
            rows = direct
            flt.pop('where', None)
            if len(rows) <= 1 and not flt.get('fields') and not flt.get('skip') \
                    and not flt.get('offset'):
                return [_copy_row(r) for r in rows]   # none or one
        elif where and not near:
            # Matching before sorting gives the rows juggler's sort-then-match
            # gives (the sort is stable) and sorts far fewer of them.
            cands, exact = self._candidates(model, where)
            if exact:
                rows = cands
            else:
                match = filters.make_matcher(where, self.model_info(model))
                rows = [r for r in (self.collection(model).values() if cands is None else cands)
                        if match(r)]
            if not rows:
                return []   # whatever else the filter says
            flt.pop('where', None)
            if len(rows) == 1 and not flt.get('fields') and not flt.get('skip') \
                    and not flt.get('offset'):
                # nothing to sort or slice (limit is at least 1 once normalised)
                return [_copy_row(rows[0])]
        else:
            rows = self.collection(model).values()
        id_names = self.idNames(model)
        if not flt.get('order') and id_names:
            flt['order'] = [] if _in_id_order(rows, id_names) else list(id_names)
        # apply_filter never mutates rows; copy only what is handed out
        found = filters.apply_filter(rows, flt, self.model_info(model))
        if flt.get('fields'):
            return found
        return _copy_rows(found)

    def _lookup_by_id(self, model, where):
        """The rows for ``{id: value}`` through the id dict, else None."""
        if not isinstance(where, dict) or len(where) != 1:
            return None
        id_name = self.idName(model)
        value = where.get(id_name, filters.undefined)
        if value is filters.undefined or isinstance(value, (dict, list)) or value is None:
            return None
        row = self.collection(model).get(self._key(value))
        return [row] if row is not None else []

    def buildNearFilter(self, filter, near):
        """Nothing to build: ``all`` applies the near clauses itself.

        # LoopBack: Memory.prototype.buildNearFilter (a no-op)
        """

    def all(self, model, flt, options, cb):
        try:
            rows = self._find_all(model, flt)
        except LoopBackError as err:
            return _later(cb, err)
        _later(cb, None, rows)

    def count(self, model, where, options, cb):
        try:
            if where:
                cands, exact = self._candidates(model, where)
                if exact:
                    n = len(cands)
                else:
                    matcher = filters.make_matcher(where, self.model_info(model))
                    if cands is None:
                        cands = self.collection(model).values()
                    n = sum(1 for row in cands if matcher(row))
            else:
                n = len(self.collection(model))
        except LoopBackError as err:
            return _later(cb, err)
        _later(cb, None, n)

    def destroyAll(self, model, where, options, cb):
        rows = self.collection(model)
        if where:
            try:
                matcher = filters.make_matcher(where, self.model_info(model))
            except LoopBackError as err:
                return _later(cb, err)
            try:
                doomed = self._matching(model, where, matcher)
            except LoopBackError as err:
                if err.code != safe_regex.CODE:
                    raise
                return _later(cb, err)     # regexp over budget: nothing removed
            for key, _ in doomed:
                self._remove(model, key)
            count = len(doomed)
        else:
            count = len(rows)
            rows.clear()
            self._drop_index(model)
        self._done(cb, None, {'count': count})

    def updateAll(self, model, where, data, options, cb):
        rows = self.collection(model)
        try:
            matcher = filters.make_matcher(where or {}, self.model_info(model))
        except LoopBackError as err:
            return _later(cb, err)
        count = 0
        id_name = self.idName(model)
        keys = self._candidate_keys(model, where)
        items = rows.items() if keys is None else [(k, rows[k]) for k in keys]
        # A matcher error stops juggler's loop half way, the rows before it
        # updated; so do the rows matched before one here.  A regexp over its
        # time budget is a 400 instead, with nothing updated.
        matched, failure = [], None
        try:
            for key, row in items:
                if matcher(row):
                    matched.append((key, row))
        except LoopBackError as err:
            if err.code == safe_regex.CODE:
                return _later(cb, err)
            failure = err
        for key, row in matched:
            count += 1
            update = _stored_row(data)
            update[id_name] = row.get(id_name)
            row.update(update)
            self._changed(model, key, row)
        if failure is not None:
            raise failure
        self._done(cb, None, {'count': count})

    update = updateAll

    def updateAttributes(self, model, id_value, data, options, cb):
        if id_value is None or id_value == '' or id_value == 0 or id_value is False:
            return _later(cb, LoopBackError('You must provide an id when updating attributes!'))
        key = self._key(id_value)
        existing = self.collection(model).get(key)
        if existing is None:
            return _later(cb, LoopBackError(
                'Could not update attributes. Object with id %s does not exist!'
                % js_string(id_value), statusCode=404))
        row = dict(existing)
        row.update(_stored_row(data))
        row[self.idName(model)] = id_value
        self._put(model, key, row)
        self._done(cb, None, _copy_row(row))

    def replaceById(self, model, id_value, data, options, cb):
        if id_value is None or id_value == '' or id_value == 0 or id_value is False:
            return _later(cb, LoopBackError('You must provide an id when replacing!'))
        rows = self.collection(model)
        key = self._key(id_value)
        if key not in rows:
            return _later(cb, LoopBackError(
                'Could not replace. Object with id %s does not exist!' % js_string(id_value),
                statusCode=404))
        row = _stored_row(data)
        row[self.idName(model)] = id_value
        self._put(model, key, row)
        self._done(cb, None, _copy_row(row))

    def updateOrCreate(self, model, data, options, cb):
        key = self._key(data.get(self.idName(model)))
        if key in self.collection(model):
            self.save(model, data, options,
                      lambda err, row=None, info=None: cb(err, row, {'isNewInstance': False}))
            return
        data = dict(data)
        err, _ = self._create_sync(model, data)
        self._done(cb, err, None if err else _copy_row(data), {'isNewInstance': True})

    def replaceOrCreate(self, model, data, options, cb):
        id_name = self.idName(model)
        rows = self.collection(model)
        key = self._key(data.get(id_name))
        data = _stored_row(data)
        if key not in rows:
            err, _ = self._create_sync(model, data)
            return self._done(cb, err, None if err else _copy_row(data), {'isNewInstance': True})
        self._put(model, key, data)
        self._done(cb, None, _copy_row(data), {'isNewInstance': False})

    def upsertWithWhere(self, model, where, data, options, cb):
        try:
            found = self._find_all(model, {'where': where})
        except LoopBackError as err:
            return _later(cb, err)
        if not found:
            data = _copy_row(data)
            err, _ = self._create_sync(model, data)
            return self._done(cb, err, None if err else _copy_row(data), {'isNewInstance': True})
        if len(found) > 1:
            return _later(cb, LoopBackError(
                'There are multiple instances found.Upsert Operation will not be performed!',
                statusCode=400))
        id_value = found[0].get(self.idName(model))
        self.updateAttributes(model, id_value, data, options,
                              lambda err=None, row=None: cb(err, row, {'isNewInstance': False}))

    patchOrCreateWithWhere = upsertWithWhere

    def findOrCreate(self, model, flt, data, options, cb):
        # The lookup and the insert run in one synchronous step: no other
        # operation can slip in between, which is what makes this atomic.
        try:
            found = self._find_all(model, dict(flt or {}, limit=1))
        except LoopBackError as err:
            return _later(cb, err)
        if found:
            return _later(cb, None, found[0], False)
        data = _copy_row(data)
        err, _ = self._create_sync(model, data)
        self._done(cb, err, None if err else _copy_row(data), True)

    # -- migration --------------------------------------------------------

    def automigrate(self, models=None, cb=None):
        if callable(models) and cb is None:
            models, cb = None, models
        if isinstance(models, str):
            models = [models]
        models = list(models) if models else list(self._models)
        missing = [m for m in models if m not in self._models]
        if missing:
            err = LoopBackError('Cannot migrate models not attached to this datasource: %s'
                                % ' '.join(missing))
            if cb:
                _later(cb, err)
            return
        for m in models:
            coll = self._collection_name(m)
            self.cache[coll] = {}
            self.ids[coll] = 1
            self._ix.pop(coll, None)
        self._done(cb or (lambda *args: None), None)

    def autoupdate(self, models=None, cb=None):
        """Nothing to do: juggler's memory connector has no autoupdate, so
        ``ds.autoupdate()`` keeps rows and counters and never fails."""
        if callable(models) and cb is None:
            models, cb = None, models
        if cb:
            _later(cb, None)


def initialize(dataSource, callback=None):
    """This module as an LB3 connector module (``DataSource(<its path>)``,
    ``DataSource({'connector': <this module>})``).

    # LoopBack: exports.initialize of lib/connectors/memory.js -- a Memory
    #           connector on the data source's settings, connected before
    #           ``callback``
    """
    dataSource.connector = Memory(dataSource.settings, dataSource)
    dataSource.connector.connect(callback)
