"""PersistedModel's data access methods (statics and prototype).

# LoopBack: lib/dao.js (DataAccessObject) of loopback-datasource-juggler 3.x

Every method takes ``(args..., [options], [cb])``: ``options`` is a dict
(keyword arguments are merged into it), ``cb`` an error-first callback; the
callback may also be given in the place of ``options`` (or of the filter /
data argument where juggler allows that).  Without a callback the method
returns an ``lb.Promise`` of the first result.  Callbacks are never called
synchronously.  Bad arguments or filters are errors delivered through the
callback/promise (400 for malformed filters, as juggler).

Operation hooks are notified in juggler's order with juggler's context
fields (see observer.py); the connector is reached through the interface
documented in connectors/memory.py.

Methods that are both static and prototype in juggler (``remove``) or are
shared by class and instance (``getConnector``) are hybrid: read on the
class they are the static, on an instance the prototype method.

Differences from juggler: argument errors that juggler throws synchronously
(``assert``) are delivered through the callback/promise as AssertionError_;
``include`` is resolved after the instances are built (juggler's memory
connector resolves it on raw rows first), so the parent's ``loaded`` hooks
run before the related model's ``access`` hook; an unknown relation in
``include`` gives juggler's 'Relation "x" is not defined for Y model' as a
400 (juggler sets no statusCode, so LB3's REST answered 500: a deliberate fix).
"""

import logging
from functools import partial
from itertools import repeat
from operator import itemgetter

from . import filters
from .bulk import set_in_each, slots_of, without_none_pairs
from .connectors.transaction import begin_transaction
from .errors import AssertionError_, LoopBackError, bad_request
from .model import ModelBase, hybridmethod, id_equals
from .observer import observes
from .types import coerce_value, js_string
from .promise import callback_and_promise
from .validations import Validatable, validation_error

log = logging.getLogger('loopback_compat.dao')

_NOARG = object()


# ---------------------------------------------------------------------------
# small helpers

#: Options that make a query safer, kept when juggler calls find with options of its own.
_QUERY_GUARDS = ('transaction', 'prohibitHiddenPropertiesInQuery',
                 'prohibitProtectedPropertiesInQuery', filters.REJECT_PROHIBITED,
                 'maxDepthOfQuery')


def _options_and_cb(options, cb, extra):
    """Shift ``(cb)`` into place of options; merge keyword options."""
    if cb is None and callable(options) and not isinstance(options, dict):
        cb, options = options, None
    if options is None:
        options = {}
    if extra and isinstance(options, dict):
        options.update(extra)
    return options, cb


def _begin(options, cb, extra):
    """``(options, done, promise)`` for an API call; options None when invalid.

    An options argument that is not a dict is juggler's assertion error,
    delivered through the callback/promise.
    """
    if cb is None and not extra and (options is None or callable(options)
                                     and not isinstance(options, dict)):
        # the usual calls, (data) and (data, cb): _options_and_cb's answer
        cb, options = options, {}
    else:
        options, cb = _options_and_cb(options, cb, extra)
    done, promise = callback_and_promise(cb)
    if not isinstance(options, dict):
        done(AssertionError_('The options argument must be an object', code='ERR_ASSERTION'))
        return None, done, promise
    return options, done, promise


def _assert(condition, message):
    if not condition:
        raise AssertionError_(message, code='ERR_ASSERTION')


def _is_object(value):
    return isinstance(value, (dict, ModelBase))


def _id_name(model):
    return model.definition.idName() or 'id'


def _by_id_query(model, id_value):
    return {'where': {_id_name(model): id_value}}


def invalid_id_error(model, id_value):
    """A 400 INVALID_ID error when ``id_value`` is not a scalar, else None.

    Deliberate fix: juggler puts the id into ``{where: {id: value}}``, so an
    object id such as ``{"gt": 0}`` (from a URL: ``DELETE /Items/{"gt":0}``)
    acts as a filter and reaches (or deletes) every row.  Here an id must be
    a string, number, boolean or date; anything else fails and touches nothing.
    """
    if isinstance(id_value, (dict, list, tuple, set, ModelBase)):
        shown = id_value.toJSON() if isinstance(id_value, ModelBase) else id_value
        return bad_request('Invalid id %s for %s: an id must be a string or a number, '
                           'not an %s' % (filters.js_json(shown), model.modelName,
                                          'array' if isinstance(id_value, (list, tuple, set))
                                          else 'object'), code='INVALID_ID')
    return None


def _is_where_by_given_id(model, where, id_value):
    if not isinstance(where, dict) or len(where) != 1:
        return False
    pk = _id_name(model)
    return pk in where and where[pk] == id_value and type(where[pk]) is type(id_value)


def _where_is_empty(where):
    return not where or (isinstance(where, dict) and len(where) == 0)


class PKMissingError(LoopBackError):
    """juggler's PKMissingError (a model without an id property)."""

    name = 'PKMissingError'


def _pk_missing(model, done):
    if model.definition.hasPK():
        return False
    done(PKMissingError('Primary key is missing for the %s model' % model.modelName))
    return True


def _model_not_found(id_value):
    return LoopBackError('Could not update attributes. Object with id %s does not exist!'
                         % js_string(id_value), statusCode=404)


def _not_found_for_delete(model, id_value):
    return LoopBackError('No instance with id %s found for %s'
                         % (js_string(id_value), model.modelName),
                         statusCode=404, code='NOT_FOUND')


def _sanitize_data(model, data, options):
    """Data to write without undefined values, depth-checked (juggler's _sanitizeData).

    Raises the 400 QUERY_OBJECT_TOO_DEEP of :func:`filters.sanitize_data`.
    """
    if not isinstance(data, dict):
        return data
    return filters.sanitize_data(data, model._info(), options)


def _sanitized(model, data, options, done):
    """:func:`_sanitize_data`'s result, or None once its error went to ``done``."""
    try:
        return _sanitize_data(model, data, options)
    except LoopBackError as err:
        done(err)
        return None


def _coerce_data(model, data):
    """Coerce data values to their property types (juggler's _coerce on data)."""
    props = model.definition.properties
    out = {}
    for key, value in data.items():
        prop = props.get(key)
        if prop is not None and not isinstance(value, dict):
            value = coerce_value(prop['type'], value, prop.get('itemType'))
        out[key] = value
    return out


# The operation hooks of a write, asked about together (one cached answer).
# frozensets: observes() keys its answers by them, and a frozenset hashes once
_DELETE_HOOKS = frozenset(('access', 'before delete', 'after delete'))
_UPDATE_HOOKS = frozenset(('before save', 'persist', 'loaded', 'after save'))
_FIND_OR_CREATE_HOOKS = _UPDATE_HOOKS | {'access'}


def _data_for_where(where, data):
    """The data of a where-based write as a fresh plain dict, after juggler's
    assertions on both arguments (updateAll, upsertWithWhere)."""
    _assert(isinstance(where, dict), 'The where argument must be an object')
    _assert(_is_object(data), 'The data argument must be an object')
    if isinstance(data, ModelBase):
        data = data.toObject(False)
    return dict(data)


def _err_or_result(done, err=None, result=None, *_):
    """A connector's ``(err, result, ...)`` passed on as ``done(err)`` or
    ``done(None, result)`` (bound with functools.partial: no closure)."""
    if err is not None:
        return done(err)
    done(None, result)


def _own_method(target, name):
    """True while ``target.<name>`` is DataAccessObject's own method."""
    return getattr(getattr(target, name, None), '__func__', None) is _DAO_FUNCTIONS.get(name)


def _validate(inst, data, options, on_valid, on_invalid):
    verdict = lambda valid: on_valid() if valid else on_invalid()  # noqa: E731
    if type(inst).isValid is _IS_VALID:
        # juggler's saves go on in the same turn when validation is synchronous
        inst._check_validity(verdict, data, options)
    else:
        inst.isValid(verdict, data, options)   # overridden: as the model says


def _validation_failed(inst, done):
    done(validation_error(inst), inst)


def _typed_subset(inst, data):
    """juggler's convertSubsetOfPropertiesByType: values as the instance holds them."""
    out = {}
    for key in data:
        value = inst[key]
        if isinstance(value, ModelBase):
            value = value.toObject()
        out[key] = value
    return out


def _apply_strict_check(model, strict, data, inst):
    """Keep declared properties; strict models record the others as unknown."""
    props = model.definition.properties
    result = {}
    for key, value in data.items():
        if key in props:
            result[key] = value
        elif strict and strict != 'filter':
            inst._unknown_properties.append(key)
    return result


def _apply_defaults_on_writes(data, model):
    for key, prop in model.definition.properties.items():
        if prop.get('applyDefaultOnWrites') is False and 'default' in prop and \
                key in data and data[key] == prop['default']:
            del data[key]
    return data


def _include_names(include):
    """Top-level relation names of an include spec (juggler ignores true, 1, functions)."""
    if include is None or isinstance(include, (bool, int, float)) or callable(include):
        return []
    if isinstance(include, str):
        return [include]
    if isinstance(include, dict):
        if 'relation' in include:
            return [include['relation']]
        return list(include.keys())
    names = []
    for item in include:
        names.extend(_include_names(item))
    return names


def _promote_included(instances, names):
    """juggler's find after include: each relation's cached target, when not
    null, becomes part of the instance's data (its toJSON shows it).  Run in
    C (bulk.py): a find includes into every instance it loaded."""
    slots = list(map(slots_of, instances))
    caches = list(map(dict.get, slots, repeat('__cachedRelations'), repeat(_NO_CACHE)))
    datas = list(map(itemgetter('__data'), slots))
    for name in names:
        found_in, found = without_none_pairs(datas, list(map(dict.get, caches, repeat(name))))
        set_in_each(found_in, name, found)


_NO_CACHE = {}   # read only: the cache of an instance that has none


def _validation_setting(model, options, specific=None, default=None):
    """juggler's doValidate: options.validate, then the model settings."""
    if options.get('validate') is not None:
        return options['validate']
    if specific is not None and model.settings.get(specific) is not None:
        return model.settings[specific]
    if model.settings.get('automaticValidation') is not None:
        return model.settings['automaticValidation']
    return default



def _notify_loaded(model, data, is_new, hook_state, options, done, then):
    """Fire 'loaded' for data the connector returned, then ``then(ctx)``.

    An observer error goes to ``done(err)`` instead.  The ctx fields are
    juggler's: Model, data, isNewInstance, hookState, options.
    """
    def loaded(err=None, ctx=None):
        if err is not None:
            return done(err)
        then(ctx)
    model.notifyObserversOf('loaded', {
        'Model': model, 'data': data, 'isNewInstance': is_new,
        'hookState': hook_state, 'options': options}, loaded)


def _loaded_instance(model, inst, ctx):
    """The instance a write reports once 'loaded' ran.

    juggler: a plain row from the observers is merged into ``inst``; an
    instance of the model put in ``ctx.data`` replaces it.
    """
    if ctx.data is not None and not isinstance(ctx.data, model):
        inst._initProperties(ctx.data, {'persisted': True})
    elif ctx.data is not None:
        return ctx.data
    return inst


def _notify_after_save(model, inst, is_new, hook_state, options, done, *results):
    """Fire 'after save' for inst, then ``done(err, inst, *results)``.

    juggler passes the instance to the callback even with an observer error.
    """
    model.notifyObserversOf('after save', {
        'Model': model, 'instance': inst, 'isNewInstance': is_new,
        'hookState': hook_state, 'options': options,
    }, lambda err=None, ctx=None: done(err, inst, *results))


class DataAccessObject:
    """The persistence methods mixed into PersistedModel classes.

    Expects the model class to provide (ModelBase, ObserverMixin and the
    data source do): ``modelName``, ``definition``, ``settings``,
    ``dataSource``, ``notifyObserversOf`` and, for ``include``,
    ``include(instances, include, options, cb)``.
    """

    # -- entry points for the relations package -------------------------
    #
    # A relation method calls the target model's findOne / findOrCreate /
    # updateAttributes / destroy.  Through the public method each nested
    # call would add a loop turn before its callback (the public methods
    # never call back synchronously); juggler calls back in the same turn
    # as the connector.  These go straight to the method's body, unless the
    # model overrides (or a test patches) the public method, or the options
    # are not a dict (the public method reports that).

    @classmethod
    def _related_find_one(cls, query, options, cb):
        """``cls.findOne(query, options, cb)`` for a relation lookup.

        ``query`` is a dict the relation built for this call (its scope
        deep-copied in), so it is used as it is rather than copied again.
        """
        if type(options) is not dict or not _own_method(cls, 'findOne'):
            return cls.findOne(query, options, cb)
        if type(query) is not dict:
            try:
                query = filters.parse_filter(query)
            except LoopBackError as err:
                return cb(err)
        cls._find_one(query, options, cb)

    @classmethod
    def _find_or_create_is_atomic(cls):
        """Whether ``findOrCreate`` is the DAO's own, on a connector that declares
        its findOrCreate atomic (``atomicFindOrCreate``): then two of them for
        one query can never both create."""
        ds = cls.dataSource
        return ds is not None and getattr(ds.connector, 'atomicFindOrCreate', False) and \
            _own_method(cls, 'findOrCreate')

    @classmethod
    def _related_find_or_create(cls, query, data, options, cb):
        """``cls.findOrCreate(query, data, options, cb)`` for hasOne create."""
        if type(options) is not dict or not _own_method(cls, 'findOrCreate'):
            return cls.findOrCreate(query, data, options, cb)
        cls._checked_find_or_create(query, data, options, cb, False, fresh=True)

    def _related_update(self, data, options, cb):
        """``self.updateAttributes(data, options, cb)`` for a relation update."""
        # The model's own updateAttributes, asked of the class (no bound
        # method is made): an instance cannot hide it, ModelBase.__setattr__
        # keeps ``inst.updateAttributes = fn`` in __data, as a JS own property.
        if type(options) is not dict or not _is_object(data) or \
                type(self).updateAttributes is not _DAO_UPDATE_ATTRIBUTES:
            return self.updateAttributes(data, options, cb)
        self._update_attributes(data, options, cb)

    def _related_destroy(self, options, cb):
        """``self.destroy(options, cb)`` for a relation destroy.  ``cb`` takes
        ``(err, info, *more)``: it may be given the connector's answer as it
        is, extra results included (it drops them, as destroy would)."""
        if type(options) is not dict or type(self).destroy is not _DAO_DESTROY:
            return self.destroy(options, cb)   # overridden (see _related_update)
        self._destroy(options, cb, False)

    # -- connector --------------------------------------------------------

    @hybridmethod
    def getConnector(self_or_cls):
        return self_or_cls.getDataSource().connector

    @classmethod
    def beginTransaction(cls, options=None, cb=None, **kwargs):
        """Start a transaction on the model's connector: ``cb(err, tx)`` or a Promise.

        # LoopBack: Model.beginTransaction(options, cb) (juggler's TransactionMixin)
        ``options``: an isolation level ('READ COMMITTED' by default,
        'READ UNCOMMITTED', 'REPEATABLE READ', 'SERIALIZABLE') or a dict with
        ``isolationLevel`` and ``timeout`` (ms; the transaction rolls back by
        itself when still open then).  Pass ``{'transaction': tx}`` as the
        options of CRUD calls to run them inside; end it with
        ``tx.commit([cb])`` or ``tx.rollback([cb])``.  A connector without
        transactions (memory) gives juggler's error 'beginTransaction must
        be function implemented by the connector'.
        """
        connector = cls.dataSource.connector if cls.dataSource is not None else None
        return begin_transaction(connector, options, cb, **kwargs)

    @classmethod
    def _connector(cls):
        ds = cls.dataSource
        if ds is None:
            raise LoopBackError('Model %s is not attached to a data source' % cls.modelName)
        return ds.connector

    @classmethod
    def _info(cls):
        info = cls.__dict__.get('_filter_info')
        if info is None:
            info = filters.ModelInfo.from_definition(
                cls.definition.properties, cls.definition.idNames(), cls.modelName,
                cls.settings)
            cls._filter_info = info
        return info

    @classmethod
    def _forDB(cls, data):
        return data

    @classmethod
    def _normalize_query(cls, query, options=None):
        query = filters.parse_filter(query)
        return filters.normalize_filter(query, cls._info(), options)

    @classmethod
    def _coerce_where(cls, where, options=None):
        return filters.coerce_where(where, cls._info(), options)

    @classmethod
    def lookupModel(cls, data):
        return cls

    @classmethod
    def applyProperties(cls, data, inst=None):
        """Enforced values from settings.properties (juggler's applyProperties)."""
        props = cls.settings.get('properties') or cls.settings.get('attributes')
        if isinstance(props, dict):
            data.update(props)
        elif callable(props):
            data.update(props(data, inst) or {})

    # -- create -----------------------------------------------------------

    @classmethod
    def create(cls, data=None, options=None, cb=None, **kw):
        """Create one instance (or a list) and persist it.

        # LoopBack: Model.create([data], [options], [cb]) -> cb(err, instance)

        Hooks: before save (instance, isNewInstance), persist (data,
        currentInstance), loaded (data), after save (instance).  A list is
        created item by item; ``cb(errors, instances)`` where ``errors`` is
        None or a list with the error at the failing positions.
        """
        if cb is None and options is None and callable(data):
            cb, data = data, None
        options, done, promise = _begin(options, cb, kw)
        if options is None:   # _begin reported the options assertion
            return promise
        if data is None:
            data = {}
        if not isinstance(data, (dict, ModelBase, list)):   # _is_object, or a list
            done(AssertionError_('The data argument must be an object or array',
                                 code='ERR_ASSERTION'))
            return promise
        if isinstance(data, list):
            cls._create_many(data, options, done)
        else:
            cls._create_one(data, options, done)
        return promise

    @classmethod
    def _create_many(cls, items, options, done):
        results = [None] * len(items)
        errors = [None] * len(items)
        state = {'left': len(items)}
        if not items:
            return done(None, [])

        def one(index, item):
            def cb(err=None, result=None, *_):
                errors[index] = err
                results[index] = result if result is not None else item
                state['left'] -= 1
                if state['left'] == 0:
                    failed = any(e is not None for e in errors)
                    done(errors if failed else None, results)
            cls._create_one(item if item is not None else {}, options, cb)

        for index, item in enumerate(items):
            one(index, item)

    @classmethod
    def _create_one(cls, data, options, done):
        model = cls
        hook_state = {}
        id_name = _id_name(model)
        id_value = data[id_name] if isinstance(data, ModelBase) else data.get(id_name)
        try:
            if isinstance(data, model) and not id_value:
                obj = data
            else:
                obj = model(data)
            enforced = {}
            model.applyProperties(enforced, obj)
            obj.setAttributes(enforced)
        except Exception as err:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return done(err)
        state = {'val': None}
        # With no observer of any of its hooks each step calls the next
        # directly instead of building a context nobody reads.
        quiet = not observes(model, _UPDATE_HOOKS)

        def before_save_done(err=None, ctx=None):
            if err is not None:
                return done(err)
            data = obj.toObject(True)
            if options.get('validate') is False:
                return persist()
            if options.get('validate') is None and \
                    model.settings.get('automaticValidation') is False:
                return persist()
            _validate(obj, data, options, persist, lambda: _validation_failed(obj, done))

        def persist():
            val = _sanitized(model, obj.toObject(True), options, done)
            if val is None:
                return
            val = _apply_defaults_on_writes(val, model)
            state['val'] = val
            if quiet:
                return call_connector(None, None, val)
            model.notifyObserversOf('persist', {
                'Model': model, 'data': val, 'isNewInstance': True,
                'currentInstance': obj, 'hookState': hook_state, 'options': options,
            }, call_connector)

        def call_connector(err=None, ctx=None, val=None):
            if err is not None:
                return done(err)
            if ctx is not None:
                val = state['val'] = ctx.data
            try:
                connector = model._connector()
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            connector.create(model.modelName, model._forDB(val), options, created)

        def created(err=None, id_value=None, rev=None):
            slots = obj.__dict__   # _data and _persisted, without the accessors
            if id_value is not None:
                slots['__data'][id_name] = id_value
            if err is not None:
                return done(err, obj)
            slots['__persisted'] = True
            if quiet:
                return loaded(None, state['val'])
            _notify_loaded(model, state['val'], True, hook_state, options, done, loaded)

        def loaded(ctx, data=None):
            if model.settings.get('updateOnLoad'):
                obj.setAttributes(ctx.data if ctx is not None else data)
            if options.get('notify') is False or quiet:
                return done(None, obj)   # quiet: 'after save' has no observer
            _notify_after_save(model, obj, True, hook_state, options, done)

        if quiet:
            return before_save_done()
        model.notifyObserversOf('before save', {
            'Model': model, 'instance': obj, 'isNewInstance': True,
            'hookState': hook_state, 'options': options,
        }, before_save_done)

    # -- upsert -----------------------------------------------------------

    @classmethod
    def upsert(cls, data=None, options=None, cb=None, **kw):
        """Update the instance with data's id, or create it.

        # LoopBack: Model.upsert(data, [options], [cb]) (alias updateOrCreate, patchOrCreate)

        Without an id this is create().  With forceId (the default for a
        generated id) a missing id is a 404 'Could not update attributes.
        Object with id X does not exist!' and an existing one is patched
        with updateAttributes.
        """
        if cb is None and options is None and callable(data):
            cb, data = data, None
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        if data is None:
            data = {}
        if isinstance(data, list):
            done(LoopBackError('updateOrCreate does not support bulk mode or any array input'))
            return promise
        if not _is_object(data) or not isinstance(options, dict):
            done(AssertionError_('The data argument must be an object'
                                 if not _is_object(data) else
                                 'The options argument must be an object',
                                 code='ERR_ASSERTION'))
            return promise
        cls._upsert(data, options, done)
        return promise

    updateOrCreate = upsert
    patchOrCreate = upsert

    @classmethod
    def _upsert(cls, data, options, done):
        model = cls
        id_name = _id_name(model)
        id_value = data[id_name] if isinstance(data, ModelBase) else data.get(id_name)
        if id_value is None:
            return model._create_one(data, options, done)
        if invalid_id_error(model, id_value):
            return done(invalid_id_error(model, id_value))
        do_validate = _validation_setting(model, options, 'validateUpsert')
        if model.settings.get('forceId'):
            opts = dict(options, validate=bool(do_validate))

            def found(err=None, inst=None, *_):
                if err is not None:
                    return done(err)
                if inst is None:
                    return done(_model_not_found(id_value))
                inst._update_attributes(data, opts, done)
            model.findById(id_value, opts, found)
            return
        hook_state = {}

        def after_access(err=None, ctx=None):
            if err is not None:
                return done(err)
            where = ctx.query.get('where')
            if _is_where_by_given_id(model, where, id_value):
                return with_connector(where)
            model.findOne({'where': where}, {'notify': False}, fallback)

        def fallback(err=None, inst=None, *_):
            if err is not None:
                return done(err)
            payload = data.toObject(False) if isinstance(data, ModelBase) else dict(data)
            if inst is not None:
                inst._update_attributes(payload, options, done)
            else:
                try:
                    obj = model(payload)
                except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                    return done(exc)
                obj._save(options, done)

        def with_connector(where):
            model.notifyObserversOf('before save', {
                'Model': model, 'where': where, 'data': data,
                'hookState': hook_state, 'options': options,
            }, lambda err=None, ctx=None: before_saved(err, ctx, where))

        def before_saved(err, ctx, where):
            if err is not None:
                return done(err)
            payload = ctx.data
            try:
                inst = payload if isinstance(payload, model) else \
                    model(payload, {'applyDefaultValues': False})
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            update = inst.toObject(False)
            model.applyProperties(update, inst)

            def call_connector():
                clean = _sanitized(model, update, options, done)
                if clean is None:
                    return

                def persisted(err=None, c=None):
                    if err is not None:
                        return done(err)
                    model._connector().updateOrCreate(model.modelName, c.data, options,
                                                      lambda *a: saved(inst, *a))
                model.notifyObserversOf('persist', {
                    'Model': model, 'where': where, 'data': clean, 'currentInstance': inst,
                    'hookState': hook_state, 'options': options,
                }, persisted)

            if do_validate is False:
                return call_connector()

            def on_invalid():
                if do_validate:
                    return _validation_failed(inst, done)
                log.warning('Ignoring validation errors in updateOrCreate(): %s',
                            validation_error(inst).message)
                call_connector()
            _validate(inst, update, options, call_connector, on_invalid)

        def saved(inst, err=None, row=None, info=None):
            if err is not None:
                return done(err)
            is_new = (info or {}).get('isNewInstance')

            def loaded(ctx):
                obj = _loaded_instance(model, inst, ctx)
                if options.get('notify') is False:
                    return done(None, obj)
                _notify_after_save(model, obj, is_new, hook_state, options, done)
            _notify_loaded(model, row, is_new, hook_state, options, done, loaded)

        model.notifyObserversOf('access', {
            'Model': model, 'query': _by_id_query(model, id_value),
            'hookState': hook_state, 'options': options,
        }, after_access)

    @classmethod
    def upsertWithWhere(cls, where=None, data=None, options=None, cb=None, **kw):
        """Update the single instance matching ``where``, or create one.

        # LoopBack: Model.upsertWithWhere(where, data, [options], [cb])
        #           (alias patchOrCreateWithWhere)

        Several matches are a 400 'There are multiple instances found.Upsert
        Operation will not be performed!' (juggler's text, missing space
        included); empty data is a 400 'data object cannot be empty!'.
        """
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        try:
            data = _data_for_where(where, data)
        except LoopBackError as err:
            done(err)
            return promise
        if not data:
            done(bad_request('data object cannot be empty!'))
            return promise
        cls._upsert_with_where(where, data, options, done)
        return promise

    patchOrCreateWithWhere = upsertWithWhere

    @classmethod
    def _upsert_with_where(cls, where, data, options, done):
        model = cls
        hook_state = {}

        def after_access(err=None, ctx=None):
            if err is not None:
                return done(err)
            if not hasattr(model._connector(), 'upsertWithWhere'):
                return without_connector_support(ctx.query.get('where'))
            model.notifyObserversOf('before save', {
                'Model': model, 'where': ctx.query.get('where'), 'data': data,
                'hookState': hook_state, 'options': options,
            }, before_saved)

        def without_connector_support(where):
            # juggler's generic path: find, then create or updateAttributes
            def found(err=None, instances=None):
                if err is not None:
                    return done(err)
                if not instances:
                    return model._create_one(data, options, done)
                if len(instances) == 1:
                    return instances[0]._update_attributes(data, options, done)
                done(bad_request('There are multiple instances found.'
                                 'Upsert Operation will not be performed!'))
            # juggler passes only notify and the transaction; the query guards
            # go along too, so a REST where on a hidden property fails here as
            # it does on memory (juggler: silently used as is)
            opts = {k: options[k] for k in _QUERY_GUARDS if k in options}
            opts['notify'] = False
            model.find({'where': where}, opts, found)

        def before_saved(err=None, ctx=None):
            if err is not None:
                return done(err)
            try:
                inst = ctx.data if isinstance(ctx.data, model) else \
                    model(ctx.data, {'applyDefaultValues': False})
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            update = inst.toObject(False)
            model.applyProperties(update, inst)

            def call_connector():
                try:
                    clean_where = model._coerce_where(ctx.where or {}, options)
                    clean = _coerce_data(model, _sanitize_data(model, update, options))
                except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                    return done(exc)

                def persisted(err=None, c=None):
                    if err is not None:
                        return done(err)
                    model._connector().upsertWithWhere(
                        model.modelName, clean_where, c.data, options,
                        lambda err=None, row=None, info=None: saved(inst, err, row, info))
                model.notifyObserversOf('persist', {
                    'Model': model, 'where': clean_where, 'data': clean,
                    'currentInstance': inst, 'hookState': hook_state, 'options': options,
                }, persisted)
            if _validation_setting(model, options) is False:
                return call_connector()
            _validate(inst, update, options, call_connector,
                      lambda: _validation_failed(inst, done))

        def saved(inst, err, row, info):
            if err is not None:
                return done(err)
            is_new = (info or {}).get('isNewInstance')
            _notify_loaded(model, row, is_new, hook_state, options, done,
                           lambda ctx: _notify_after_save(
                               model, _loaded_instance(model, inst, ctx), is_new,
                               hook_state, options, done))

        model.notifyObserversOf('access', {
            'Model': model, 'query': {'where': where}, 'hookState': hook_state,
            'options': options}, after_access)

    # -- replaceOrCreate / replaceById ------------------------------------

    @classmethod
    def replaceOrCreate(cls, data=None, options=None, cb=None, **kw):
        """Replace the instance with data's id, or create it.

        # LoopBack: Model.replaceOrCreate(data, [options], [cb])
        """
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        if data is None:
            data = {}
        if not _is_object(data):
            done(AssertionError_('The data argument must be an object', code='ERR_ASSERTION'))
            return promise
        cls._replace_or_create(data, options, done)
        return promise

    @classmethod
    def _replace_or_create(cls, data, options, done):
        model = cls
        pk = _id_name(model)
        id_value = data[pk] if isinstance(data, ModelBase) else data.get(pk)
        if id_value is None:
            return model._create_one(data, options, done)
        if invalid_id_error(model, id_value):
            return done(invalid_id_error(model, id_value))
        if model.settings.get('forceId'):
            payload = data.toObject(False) if isinstance(data, ModelBase) else data
            return model._replace_by_id(id_value, payload, options, done)
        try:
            inst = data if isinstance(data, model) else model(data)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return done(exc)
        strict = inst._strict
        hook_state = {}

        def after_access(err=None, ctx=None):
            if err is not None:
                return done(err)
            where = ctx.query.get('where')
            if _is_where_by_given_id(model, where, id_value):
                return model.notifyObserversOf('before save', {
                    'Model': model, 'instance': inst,
                    'hookState': hook_state, 'options': options,
                }, lambda err=None, c=None: before_saved(err, where))
            model.findOne({'where': where}, {'notify': False},
                          lambda err=None, found=None, *_: fallback(err, found, where))

        def fallback(err, found, where):
            if err is not None:
                return done(err)
            payload = data.toObject(False) if isinstance(data, ModelBase) else dict(data)
            target = id_value
            if not _is_where_by_given_id(model, where, id_value):
                payload.pop(pk, None)
                if found is not None:
                    target = found[pk]
            if found is not None:
                return model._replace_by_id(target, payload, options,
                                            lambda err=None, obj=None, *_: done(err, obj))
            try:
                obj = model(payload)
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            obj._save(options, done)

        def before_saved(err, where):
            if err is not None:
                return done(err)
            update = inst.toObject(False)
            if strict:
                update = _apply_strict_check(model, strict, update, inst)
            model.applyProperties(update, inst)

            def call_connector():
                clean = _sanitized(model, update, options, done)
                if clean is None:
                    return
                ctx = {'Model': model, 'where': where, 'data': clean, 'currentInstance': inst,
                       'hookState': hook_state, 'options': options}
                model.notifyObserversOf('persist', ctx, lambda err=None, c=None: (
                    done(err) if err is not None else
                    model._connector().replaceOrCreate(model.modelName, c.data, options,
                                                       saved)))
            if _validation_setting(model, options) is False:
                return call_connector()
            _validate(inst, update, options, call_connector,
                      lambda: _validation_failed(inst, done))

        def saved(err=None, row=None, info=None):
            if err is not None:
                return done(err)
            is_new = (info or {}).get('isNewInstance')
            _notify_loaded(model, row, is_new, hook_state, options, done,
                           lambda ctx: _notify_after_save(
                               model, _loaded_instance(model, inst, ctx), is_new,
                               hook_state, options, done, info))

        model.notifyObserversOf('access', {
            'Model': model, 'query': _by_id_query(model, id_value),
            'hookState': hook_state, 'options': options,
        }, after_access)

    @classmethod
    def replaceById(cls, id, data=None, options=None, cb=None, **kw):
        """Replace all the properties of the instance with ``id``.

        # LoopBack: Model.replaceById(id, data, [options], [cb])

        404 'Could not replace. Object with id X does not exist!' when
        missing; 400 'id property (id) cannot be updated from 1 to 2' when
        data carries another id.
        """
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        if not _is_object(data):
            done(AssertionError_('The data argument must be an object', code='ERR_ASSERTION'))
            return promise
        if isinstance(data, ModelBase):
            data = data.toObject(False)
        if invalid_id_error(cls, id):
            done(invalid_id_error(cls, id))
            return promise
        cls._replace_by_id(id, dict(data), options, done)
        return promise

    @classmethod
    def _replace_by_id(cls, id_value, data, options, done):
        model = cls
        pk = _id_name(model)
        if not data.get(pk):
            data[pk] = id_value
        try:
            inst = model(data, {'persisted': True})
            enforced = {}
            model.applyProperties(enforced, inst)
            inst.setAttributes(enforced)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return done(exc)
        strict = inst._strict
        if _pk_missing(model, done):
            return
        hook_state = {}
        if id_value != data[pk]:
            return done(bad_request('id property (%s) cannot be updated from %s to %s'
                                    % (pk, js_string(id_value), js_string(data[pk]))))

        def before_saved(err=None, ctx=None):
            if err is not None:
                return done(err)
            values = inst.toObject(False)
            if strict:
                values = _apply_strict_check(model, strict, values, inst)
            values = _sanitized(model, values, options, done)
            if values is None:
                return
            inst.setAttributes(values)

            def call_connector():
                inst.setAttributes(values)
                typed = _typed_subset(inst, values)
                ctx = {'Model': model, 'where': {pk: id_value}, 'data': typed,
                       'isNewInstance': False, 'currentInstance': inst,
                       'hookState': hook_state, 'options': options}

                def persisted(err=None, c=None):
                    if err is not None:
                        return done(err)
                    model._connector().replaceById(
                        model.modelName, id_value, model._forDB(c.data), options,
                        lambda err=None, *_: replaced(err, c.data))
                model.notifyObserversOf('persist', ctx, persisted)

            if _validation_setting(model, options, default=True):
                _validate(inst, values, options, call_connector,
                          lambda: _validation_failed(inst, done))
            else:
                call_connector()

        def replaced(err, data):
            if err is not None:
                return done(err)
            ctx = {'Model': model, 'hookState': hook_state, 'data': data,
                   'isNewInstance': False, 'options': options}

            def loaded(err=None, c=None):
                if err is not None:
                    return done(err)
                inst._persisted = True
                c.data[pk] = id_value
                inst.setAttributes(c.data)
                _notify_after_save(model, inst, False, hook_state, options, done)
            model.notifyObserversOf('loaded', ctx, loaded)

        model.notifyObserversOf('before save', {
            'Model': model, 'instance': inst, 'isNewInstance': False,
            'hookState': hook_state, 'options': options,
        }, before_saved)

    # -- findOrCreate -----------------------------------------------------

    @classmethod
    def findOrCreate(cls, query=None, data=_NOARG, options=None, cb=None, **kw):
        """Find the first instance matching ``query``, or create it from ``data``.

        # LoopBack: Model.findOrCreate([query], data, [options], [cb])
        #           -> cb(err, instance, created); promise of [instance, created]

        ``findOrCreate(data)`` / ``findOrCreate(data, cb)`` use ``{where: data}``
        as the query.  Atomic on the connector: the lookup and the insert are
        one connector call.
        """
        if data is _NOARG:
            data, query = query, {'where': query}
        elif callable(data) and options is None and cb is None:
            cb, data, query = data, query, {'where': query}
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        cls._checked_find_or_create(query, data, options, done, promise is not None)
        return promise

    @classmethod
    def _checked_find_or_create(cls, query, data, options, done, as_list, fresh=False):
        """findOrCreate after the argument shuffle: check, normalise, run.

        ``fresh``: ``query`` is a dict built for this call (a relation's), so
        it is used as it is rather than deep-copied first.
        """
        query = query if query is not None else {'where': {}}
        data = data if data is not None else {}
        try:
            # juggler's two argument assertions, inline (every hasOne create passes here)
            if not isinstance(data, (dict, ModelBase)):
                raise AssertionError_('The data argument must be an object', code='ERR_ASSERTION')
            if not isinstance(options, dict):
                raise AssertionError_('The options argument must be an object',
                                      code='ERR_ASSERTION')
            if not fresh:
                query = filters.parse_filter(query)
            query['limit'] = 1
            # already parsed (a fresh dict): normalise it without a second deep copy
            query = dict(filters.normalize_filter(query, cls._info(), options) or {})
        except LoopBackError as err:
            return done(err)
        cls._find_or_create(query, data, options, done, as_list)

    @classmethod
    def _find_or_create(cls, query, data, options, done, as_list):
        model = cls
        hook_state = {}
        # With no observer of any of its hooks each step calls the next
        # directly instead of building a context nobody reads.
        quiet = not observes(model, _FIND_OR_CREATE_HOOKS)

        def finish(err, obj, created):
            if as_list:
                done(err, [obj, created])
            else:
                done(err, obj, created)

        def after_access(q):
            try:
                obj = data if isinstance(data, model) else model(data)
                enforced = {}
                model.applyProperties(enforced, obj)
                obj.setAttributes(enforced)
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            if quiet:
                return before_saved(obj, q)
            model.notifyObserversOf('before save', {
                'Model': model, 'instance': obj, 'isNewInstance': True,
                'hookState': hook_state, 'options': options,
            }, lambda err=None, c=None: done(err) if err is not None
                else before_saved(c.instance, q))

        def before_saved(obj, q):
            values = obj.toObject(True)
            if _validation_setting(model, options) is False:
                return run(q, values, obj)
            _validate(obj, values, options, lambda: run(q, values, obj),
                      lambda: _validation_failed(obj, done))

        def run(q, values, obj):
            values = _sanitized(model, values, options, done)
            if values is None:
                return
            if quiet:
                return persisted(q, values)
            model.notifyObserversOf('persist', {
                'Model': model, 'where': q.get('where'), 'data': values,
                'isNewInstance': True, 'currentInstance': obj,
                'hookState': hook_state, 'options': options,
            }, lambda err=None, c=None: done(err) if err is not None else persisted(q, c.data))

        def persisted(q, values):
            connector = model._connector()
            connector.findOrCreate(model.modelName, q, model._forDB(values), options,
                                   lambda *a: found(q, connector, *a))

        def found(q, connector, err=None, row=None, created=False):
            if err is not None:
                return done(err)
            if quiet:
                return loaded(q, row, created, getattr(connector, 'handsOutCopies', False))
            _notify_loaded(model, row, created, hook_state, options, done,
                           lambda c: loaded(q, c.data, created, False))

        def loaded(q, row, created, adopt):
            obj = None
            if row is not None:
                fields = q.get('fields')
                try:
                    obj = model._build_loaded([row], {
                        'fields': fields if isinstance(fields, list) else None,
                        'applySetters': False, 'persisted': True,
                        'applyDefaultValues':
                            model.settings.get('applyDefaultsOnReads') is not False}, adopt)[0]
                except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                    return done(exc)
            if created:
                if quiet:
                    return finish(None, obj, created)   # 'after save' has no observer
                return _notify_after_save(model, obj, True, hook_state, options,
                                          finish, created)
            if q.get('include') and obj is not None:
                return model._include([obj], q['include'], options,
                                      lambda err=None, *_: finish(err, obj, created)
                                      if err is None else done(err))
            finish(None, obj, created)

        if quiet:
            return after_access(query)
        model.notifyObserversOf('access', {
            'Model': model, 'query': query, 'hookState': hook_state, 'options': options,
        }, lambda err=None, ctx=None: done(err) if err is not None else after_access(ctx.query))

    # -- queries ----------------------------------------------------------

    @classmethod
    def exists(cls, id=_NOARG, options=None, cb=None, **kw):
        """Whether an instance with ``id`` exists.

        # LoopBack: Model.exists(id, [options], [cb]) -> cb(err, bool)
        """
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        if id is _NOARG:
            done(AssertionError_('The id argument is required', code='ERR_ASSERTION'))
        elif invalid_id_error(cls, id):
            done(invalid_id_error(cls, id))
        elif id is not None and id != '':
            cls.count(_by_id_query(cls, id)['where'], options,
                      lambda err=None, n=None: done(err, False if err else n == 1))
        else:
            done(LoopBackError('Model::exists requires the id argument'))
        return promise

    @classmethod
    def findById(cls, id=_NOARG, filter=None, options=None, cb=None, **kw):
        """The instance with ``id``, or None.

        # LoopBack: Model.findById(id, [filter], [options], [cb])

        Only ``include`` and ``fields`` of the filter are used; a filter
        without either given together with a callback is taken as options,
        as juggler does.
        """
        if cb is None and options is None and callable(filter):
            cb, filter = filter, None
        elif cb is None and callable(options):
            cb, options = options, None
            if isinstance(filter, dict) and not (filter.get('include') or filter.get('fields')):
                options, filter = filter, None
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        filter = filter or {}
        if id is _NOARG:
            done(AssertionError_('The id argument is required', code='ERR_ASSERTION'))
            return promise
        if _pk_missing(cls, done):
            return promise
        if id is None or id == '':
            done(LoopBackError('Model::findById requires the id argument'))
            return promise
        if invalid_id_error(cls, id):
            done(invalid_id_error(cls, id))
            return promise
        try:
            filter = filters.parse_filter(filter)
        except LoopBackError as err:
            done(err)
            return promise
        query = _by_id_query(cls, id)
        if isinstance(filter, dict):
            if filter.get('include'):
                query['include'] = filter['include']
            if filter.get('fields'):
                query['fields'] = filter['fields']
        cls._find_one(query, options, done)
        return promise

    @classmethod
    def findByIds(cls, ids, query=None, options=None, cb=None, **kw):
        """Instances for a list of ids, in the order of the ids.

        # LoopBack: Model.findByIds(ids, [query], [options], [cb])
        """
        if cb is None and options is None and callable(query):
            cb, query = query, None
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        if not isinstance(ids, (list, tuple)):
            done(AssertionError_('The ids argument must be an array', code='ERR_ASSERTION'))
            return promise
        if _pk_missing(cls, done):
            return promise
        if not ids:
            done(None, [])
            return promise
        bad = next(filter(None, (invalid_id_error(cls, i) for i in ids)), None)
        if bad is not None:
            done(bad)
            return promise
        pk = _id_name(cls)
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
            done(None, [by_id[str(i)] for i in ids if str(i) in by_id])
        cls.find(flt, options, got)
        return promise

    @classmethod
    def find(cls, query=None, options=None, cb=None, **kw):
        """Instances matching a LoopBack filter.

        # LoopBack: Model.find([filter], [options], [cb]) -> cb(err, instances)

        Hooks: access (query), then loaded (data) per row.  ``include`` is
        resolved by ``Model.include`` after the instances are built;
        included data is promoted into each instance's data (toJSON shows
        it).  A malformed filter is a 400 error.
        """
        if cb is None and options is None and callable(query):
            cb, query = query, None
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        try:
            _assert(isinstance(options, dict), 'The options argument must be an object')
            query = dict(cls._normalize_query(query if query is not None else {}, options) or {})
        except LoopBackError as err:
            done(err)
            return promise
        cls._find(query, options, done)
        return promise

    all = find

    @classmethod
    def _find(cls, query, options, done):
        model = cls
        hook_state = {}

        def rows_loaded(err=None, rows=None):
            if err is not None:
                return done(err)
            rows = rows or []
            if options.get('notify') is False or not observes(model, 'loaded'):
                # straight from the connector: its fresh rows can become the data
                return build_all(rows, getattr(model._connector(), 'handsOutCopies', False))
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
                    results[index] = c.data
                    state['left'] -= 1
                    if state['left'] == 0:
                        build_all(results)
                model.notifyObserversOf('loaded', ctx, loaded)
            for index, row in enumerate(rows):
                one(index, row)

        def build_all(rows, adopt=False):
            fields = query.get('fields')
            ctor_opts = {'fields': fields if isinstance(fields, list) else None,
                         'applySetters': False, 'persisted': True,
                         'applyDefaultValues':
                             model.settings.get('applyDefaultsOnReads') is not False}
            try:
                instances = model._build_loaded(rows, ctor_opts, adopt)
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            include = query.get('include')
            if not include or not instances:
                return done(None, instances)

            def included(err=None, *_):
                if err is not None:
                    return done(err)
                _promote_included(instances, _include_names(include))
                done(None, instances)
            model._include(instances, include, options, included)

        def call_all(err=None, ctx=None):
            if err is not None:
                return done(err)
            try:
                connector = model._connector()
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            connector.all(model.modelName, ctx.query if ctx is not None else query,
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
            names = _include_names(include)
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
    def findOne(cls, query=None, options=None, cb=None, **kw):
        """The first instance matching a filter, or None.

        # LoopBack: Model.findOne([filter], [options], [cb])
        """
        if cb is None and options is None and callable(query):
            cb, query = query, None
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        try:
            query = filters.parse_filter(query if query is not None else {})
        except LoopBackError as err:
            done(err)
            return promise
        cls._find_one(query, options, done)
        return promise

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
    def count(cls, where=None, options=None, cb=None, **kw):
        """Number of instances matching ``where``.

        # LoopBack: Model.count([where], [options], [cb]) -> cb(err, n)
        """
        if cb is None and options is None and callable(where):
            cb, where = where, None
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        where = where if where is not None else {}
        try:
            where = filters.parse_filter(where)
            _assert(isinstance(where, dict), 'The where argument must be an object')
            where = cls._coerce_where(where, options)
        except LoopBackError as err:
            done(err)
            return promise
        hook_state = {}

        def after_access(err=None, ctx=None):
            if err is not None:
                return done(err)
            cls._connector().count(cls.modelName, ctx.query.get('where'), options, done)
        cls.notifyObserversOf('access', {
            'Model': cls, 'query': {'where': where}, 'hookState': hook_state,
            'options': options}, after_access)
        return promise

    # -- bulk update / delete ---------------------------------------------

    @classmethod
    def updateAll(cls, where=None, data=_NOARG, options=None, cb=None, **kw):
        """Update every instance matching ``where``; result ``{'count': n}``.

        # LoopBack: Model.updateAll([where], data, [options], [cb]) (alias update)

        Hooks: access, before save (where, data), persist, after save
        (where, data, info).  Validation only when validateUpdate (or
        options.validate) asks for it.
        """
        if data is _NOARG:
            data, where = where, {}
        elif callable(data) and options is None and cb is None:
            cb, data, where = data, where, {}
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        where = where if where is not None else {}
        data = data if data is not None else {}
        try:
            data = _data_for_where(where, data)
        except LoopBackError as err:
            done(err)
            return promise
        cls._update_all(where, data, options, done)
        return promise

    update = updateAll

    @classmethod
    def _update_all(cls, where, data, options, done):
        model = cls
        hook_state = {}
        model.applyProperties(data)
        do_validate = _validation_setting(model, options, 'validateUpdate', default=False)

        def after_access(err=None, ctx=None):
            if err is not None:
                return done(err)
            model.notifyObserversOf('before save', {
                'Model': model, 'where': ctx.query.get('where'), 'data': data,
                'hookState': hook_state, 'options': options,
            }, before_saved)

        def before_saved(err=None, ctx=None):
            if err is not None:
                return done(err)
            payload = ctx.data
            try:
                inst = payload if isinstance(payload, model) else \
                    model(payload, {'applyDefaultValues': False})
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            if do_validate is False:
                return do_update(ctx.where, payload)
            _validate(inst, None, options, lambda: do_update(ctx.where, payload),
                      lambda: done(validation_error(inst)))

        def do_update(where, payload):
            try:
                where = model._coerce_where(where or {}, options)
                payload = _coerce_data(model, _sanitize_data(model, payload, options))
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)

            def persisted(err=None, c=None):
                if err is not None:
                    return done(err)
                model._connector().update(model.modelName, where, c.data, options,
                                          lambda err=None, info=None: updated(err, info, c))
            model.notifyObserversOf('persist', {
                'Model': model, 'where': where, 'data': payload,
                'hookState': hook_state, 'options': options}, persisted)

        def updated(err, info, ctx):
            if err is not None:
                return done(err)
            model.notifyObserversOf('after save', {
                'Model': model, 'where': ctx.where, 'data': ctx.data,
                'hookState': hook_state, 'options': options, 'info': info,
            }, lambda err=None, c=None: done(err, info))

        model.notifyObserversOf('access', {
            'Model': model, 'query': {'where': where}, 'hookState': hook_state,
            'options': options}, after_access)

    @hybridmethod
    def remove(self_or_cls, *args, **kw):
        """Static: destroyAll; on an instance: destroy (juggler has both)."""
        if isinstance(self_or_cls, type):
            return self_or_cls.destroyAll(*args, **kw)
        return self_or_cls.destroy(*args, **kw)

    @classmethod
    def destroyAll(cls, where=None, options=None, cb=None, **kw):
        """Delete every instance matching ``where``; result ``{'count': n}``.

        # LoopBack: Model.destroyAll([where], [options], [cb]) (aliases deleteAll, remove)

        Hooks: access (query), before delete (where), after delete (where, info).
        """
        if cb is None and options is None and callable(where):
            cb, where = where, None
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        where = where if where is not None else {}
        try:
            where = filters.parse_filter(where)
            _assert(isinstance(where, dict), 'The where argument must be an object')
            _assert(isinstance(options, dict), 'The options argument must be an object')
        except LoopBackError as err:
            done(err)
            return promise
        cls._destroy_all(where, options, done)
        return promise

    deleteAll = destroyAll

    @classmethod
    def _destroy_all(cls, where, options, done):
        model = cls
        hook_state = {}

        def do_delete(where):
            if _where_is_empty(where):
                where = {}
            else:
                try:
                    where = model._coerce_where(where, options)
                except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                    return done(exc)

            def deleted(err=None, info=None):
                if err is not None:
                    return done(err)
                if options.get('notify') is False:
                    return done(None, info)
                model.notifyObserversOf('after delete', {
                    'Model': model, 'where': where, 'hookState': hook_state,
                    'options': options, 'info': info,
                }, lambda err=None, c=None: done(err, info))
            model._connector().destroyAll(model.modelName, where, options, deleted)

        if options.get('notify') is False:
            return do_delete(where)

        def after_access(err=None, ctx=None):
            if err is not None:
                return done(err)
            model.notifyObserversOf('before delete', {
                'Model': model, 'where': ctx.query.get('where'), 'hookState': hook_state,
                'options': options,
            }, lambda err=None, c=None: done(err) if err is not None else do_delete(c.where))
        model.notifyObserversOf('access', {
            'Model': model, 'query': {'where': {} if _where_is_empty(where) else where},
            'hookState': hook_state, 'options': options}, after_access)

    @classmethod
    def destroyById(cls, id=_NOARG, options=None, cb=None, **kw):
        """Delete the instance with ``id``; result ``{'count': 0 or 1}``.

        # LoopBack: Model.destroyById(id, [options], [cb]) (aliases deleteById, removeById)

        With the ``strictDelete`` setting a missing instance is a 404
        NOT_FOUND 'No instance with id X found for Model'.
        """
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        if id is _NOARG:
            done(AssertionError_('The id argument is required', code='ERR_ASSERTION'))
            return promise
        if _pk_missing(cls, done):
            return promise
        if id is None or id == '':
            done(LoopBackError('Model::deleteById requires the id argument'))
            return promise
        if invalid_id_error(cls, id):
            done(invalid_id_error(cls, id))
            return promise

        def removed(err=None, info=None):
            if err is not None:
                return done(err)
            deleted = bool(info) and info.get('count', 0) > 0
            if cls.settings.get('strictDelete') and not deleted:
                return done(_not_found_for_delete(cls, id))
            done(None, info)
        cls.destroyAll(_by_id_query(cls, id)['where'], options, removed)
        return promise

    deleteById = destroyById
    removeById = destroyById

    # -- prototype --------------------------------------------------------

    def save(self, options=None, cb=None, **kw):
        """Persist the instance: create() when new, else update it in place.

        # LoopBack: inst.save([options], [cb]) -> cb(err, inst)
        """
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        self._save(options, done)
        return promise

    def _save(self, options, done):
        model = type(self)
        if _pk_missing(model, done):
            return
        if self.isNewRecord():
            return model._create_one(self, options, done)
        if options.get('validate') is None:
            auto = model.settings.get('automaticValidation')
            options['validate'] = True if auto is None else auto
        if options.get('throws') is None:
            options['throws'] = False
        inst = self
        hook_state = {}
        state = {}

        def before_saved(err=None, ctx=None):
            if err is not None:
                return done(err)
            data = inst.toObject(True)
            model.applyProperties(data, inst)
            try:
                inst.setAttributes(data)
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            if not options.get('validate'):
                return do_save(data)
            _validate(inst, data, options, lambda: do_save(data),
                      lambda: _validation_failed(inst, done))

        def do_save(data):
            data = _sanitized(model, data, options, done)
            if data is None:
                return
            state['data'] = data
            model.notifyObserversOf('persist', {
                'Model': model, 'data': data,
                'where': _by_id_query(model, inst.getId())['where'],
                'currentInstance': inst, 'hookState': hook_state, 'options': options,
            }, persisted)

        def persisted(err=None, ctx=None):
            if err is not None:
                return done(err)
            state['data'] = ctx.data
            model._connector().save(model.modelName, model._forDB(ctx.data), options, saved)

        def saved(err=None, _unused=None, result=None):
            if err is not None:
                return done(err, inst)
            is_new = (result or {}).get('isNewInstance')

            def loaded(c):
                inst._initProperties(c.data, {'persisted': True})
                _notify_after_save(model, inst, is_new, hook_state, options, done)
            _notify_loaded(model, state['data'], is_new, hook_state, options, done, loaded)

        model.notifyObserversOf('before save', {
            'Model': model, 'instance': inst, 'hookState': hook_state, 'options': options,
        }, before_saved)

    def updateAttribute(self, name, value, options=None, cb=None, **kw):
        """# LoopBack: inst.updateAttribute(name, value, [options], [cb])"""
        return self.updateAttributes({name: value}, options, cb, **kw)

    def updateAttributes(self, data=_NOARG, options=None, cb=None, **kw):
        """Patch some properties and persist them.

        # LoopBack: inst.updateAttributes(data, [options], [cb]) (alias patchAttributes)

        Changing an id is a 400 'id cannot be updated from 1 to 2 when
        forceId is set to true'.  Hooks: before save (where, data,
        currentInstance), persist, loaded, after save (instance).
        """
        if callable(data) and options is None and cb is None:
            cb, data = data, None
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        if data is _NOARG or not _is_object(data):
            done(AssertionError_('The data argument must be an object', code='ERR_ASSERTION'))
            return promise
        self._update_attributes(data, options, done)
        return promise

    patchAttributes = updateAttributes

    def _update_attributes(self, data, options, done):
        inst = self
        model = type(self)
        if _pk_missing(model, done):
            return
        strict = inst._strict
        hook_state = {}
        if isinstance(data, ModelBase):
            data = data.toObject(False)
        data = _sanitized(model, dict(data), options, done)
        if data is None:
            return
        for name in model.definition.idNames():
            if name in data and not id_equals(data[name], inst[name]):
                return done(bad_request(
                    'id cannot be updated from %s to %s when forceId is set to true'
                    % (js_string(inst[name]), js_string(data[name]))))
        # With no observer of any of the four hooks, each step calls the next
        # directly instead of building a context nobody reads.
        quiet = not observes(model, _UPDATE_HOOKS)

        def before_saved(payload):
            if strict:
                payload = _apply_strict_check(model, strict, payload, inst)
            do_validate = _validation_setting(model, options, default=True)
            try:
                inst.setAttributes(payload)
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return done(exc)
            if do_validate:
                _validate(inst, payload, options, lambda: trigger_save(payload),
                          lambda: _validation_failed(inst, done))
            else:
                trigger_save(payload)

        def trigger_save(payload):
            inst.setAttributes(payload)
            typed = _sanitized(model, _typed_subset(inst, payload), options, done)
            if typed is None:
                return
            if quiet:
                return persisted(typed)
            model.notifyObserversOf('persist', {
                'Model': model, 'where': _by_id_query(model, inst.getId())['where'],
                'data': typed, 'currentInstance': inst, 'isNewInstance': False,
                'hookState': hook_state, 'options': options,
            }, lambda err=None, c=None: done(err) if err is not None else persisted(c.data))

        def persisted(saved):
            model._connector().updateAttributes(
                model.modelName, inst.getId(), model._forDB(saved), options,
                lambda err=None, _row=None: done(err) if err is not None else updated(saved))

        def updated(saved):
            if quiet:
                inst._persisted = True
                if model.settings.get('updateOnLoad'):
                    inst.setAttributes(saved)
                return done(None, inst)   # 'after save' has no observer either
            model.notifyObserversOf('loaded', {
                'Model': model, 'data': saved, 'hookState': hook_state,
                'options': options, 'isNewInstance': False},
                lambda err=None, c=None: done(err) if err is not None else loaded(c))

        def loaded(ctx):
            inst._persisted = True
            if model.settings.get('updateOnLoad'):
                inst.setAttributes(ctx.data)
            _notify_after_save(model, inst, False, hook_state, options, done)

        if quiet:
            return before_saved(data)
        model.notifyObserversOf('before save', {
            'Model': model, 'where': _by_id_query(model, inst.getId())['where'], 'data': data,
            'currentInstance': inst, 'hookState': hook_state, 'options': options,
        }, lambda err=None, ctx=None: done(err) if err is not None else before_saved(ctx.data))

    def replaceAttributes(self, data, options=None, cb=None, **kw):
        """# LoopBack: inst.replaceAttributes(data, [options], [cb])"""
        return type(self).replaceById(self.getId(), data, options, cb, **kw)

    def destroy(self, options=None, cb=None, **kw):
        """Delete this instance; result ``{'count': 0 or 1}``.

        # LoopBack: inst.destroy([options], [cb]) (alias delete, remove)

        Hooks: access (query by id), before delete (where, instance),
        after delete (where, instance, info).
        """
        options, done, promise = _begin(options, cb, kw)
        if options is None:
            return promise
        self._destroy(options, done)
        return promise

    delete = destroy

    def _destroy(self, options, done, trim=True):
        """destroy's work; ``trim=False``: ``done`` drops a connector's extra
        results itself (the quiet path then hands it to the connector)."""
        model = type(self)
        id_name = model.definition._id_info()[3]
        if id_name is None:
            return _pk_missing(model, done)
        id_value = self.__dict__['__data'].get(id_name)   # self.getId()
        if observes(model, _DELETE_HOOKS) or model.settings.get('strictDelete'):
            return self._destroy_observed(id_value, options, done)
        # nothing observes: no hook contexts, the connector's answer as it is
        # (this function keeps no closure, so a call makes no cells)
        model._connector().destroy(model.modelName, id_value, options,
                                   partial(_err_or_result, done) if trim else done)

    def _destroy_observed(self, id_value, options, done):
        """_destroy with its hooks (or strictDelete's check)."""
        inst = self
        model = type(self)
        hook_state = {}

        def strict_check(info):
            deleted = bool(info) and info.get('count', 0) > 0
            if model.settings.get('strictDelete') and not deleted:
                return _not_found_for_delete(model, id_value)
            return None

        def after_access(err=None, ctx=None):
            if err is not None:
                return done(err)
            model.notifyObserversOf('before delete', {
                'Model': model, 'where': ctx.query.get('where'), 'instance': inst,
                'hookState': hook_state, 'options': options,
            }, lambda err=None, c=None: done(err) if err is not None else do_delete(c.where))

        def do_delete(where):
            if not _is_where_by_given_id(model, where, id_value):
                def by_query(err=None, info=None):
                    if err is not None:
                        return done(err, False)
                    failure = strict_check(info)
                    if failure is not None:
                        return done(failure, False)
                    after(where, info)
                return model.destroyAll(where, {'notify': False}, by_query)

            def destroyed(err=None, info=None):
                if err is not None:
                    return done(err)
                failure = strict_check(info)
                if failure is not None:
                    return done(failure)
                after(where, info)
            model._connector().destroy(model.modelName, id_value, options, destroyed)

        def after(where, info):
            model.notifyObserversOf('after delete', {
                'Model': model, 'where': where, 'instance': inst, 'hookState': hook_state,
                'options': options, 'info': info,
            }, lambda err=None, c=None: done(err, info))

        model.notifyObserversOf('access', {
            'Model': model, 'query': _by_id_query(model, id_value), 'hookState': hook_state,
            'options': options}, after_access)

    def reload(self, options=None, cb=None, **kw):
        """The instance as stored now (a new object), or None.

        # LoopBack: inst.reload([cb])
        """
        options, cb = _options_and_cb(options, cb, kw)
        return type(self).findById(self.getId(), {}, options, cb)



_DAO_FUNCTIONS = {name: getattr(DataAccessObject.__dict__[name], '__func__',
                                DataAccessObject.__dict__[name])
                  for name in ('findOne', 'findOrCreate', 'updateAttributes', 'destroy')}
_DAO_UPDATE_ATTRIBUTES = _DAO_FUNCTIONS['updateAttributes']
_DAO_DESTROY = _DAO_FUNCTIONS['destroy']
_IS_VALID = Validatable.isValid
