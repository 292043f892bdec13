"""Writes that update or create: upsert, upsertWithWhere, replaceOrCreate,
findOrCreate.

# LoopBack: DataAccessObject.upsert / upsertWithWhere / replaceOrCreate /
#           findOrCreate (lib/dao.js)
"""

import logging

from .. import filters
from ..errors import AssertionError_, LoopBackError, bad_request
from ..model import ModelBase
from ..validations import validation_error
from .arguments import NOARG, api
from .create import Create
from .default_scope import apply_scope
from .helpers import (QUERY_GUARDS, apply_strict_check, by_id_query, check_object_argument,
                      data_for_where, id_name, invalid_id_error, is_object,
                      is_where_by_given_id, load_options, model_not_found, validation_setting)
from .pipeline import ACCESS_AND_UPDATE_HOOKS, Write
from .update import ReplaceById, UpdateAttributes, save_instance

log = logging.getLogger('loopback_compat.dao')


def _find_or_create_shift(query, data, options, cb):
    """findOrCreate's shuffle: ``(data)`` and ``(data, cb)`` look for ``{where: data}``."""
    if data is NOARG:
        data, query = query, {'where': query}
    elif callable(data) and options is None and cb is None:
        cb, data, query = data, query, {'where': query}
    return query, data, options, cb


def _upsert_with_where_shift(where, data, options, cb):
    """upsertWithWhere's arguments: a function alone in the place of the where
    or the data is the callback, which gets juggler's assertion ('The where|data
    argument must be an object'; juggler throws it)."""
    if options is None and cb is None:
        if callable(data):
            cb, data = data, None
        elif callable(where) and data is None:
            cb, where = where, None
    return where, data, options, cb


class UpsertMixin:
    """upsert (updateOrCreate, patchOrCreate), upsertWithWhere, replaceOrCreate,
    findOrCreate."""

    @classmethod
    @api(None, cb_in_last=True)
    def upsert(cls, data, options, done):
        """Update the instance with data's id, or create it.

        # LoopBack: Model.upsert(data, [options], [cb]) (alias updateOrCreate, patchOrCreate)

        Without an id this is create().  With forceId (the default for a
        generated id) a missing id is a 404 'Could not update attributes.
        Object with id X does not exist!' and an existing one is patched
        with updateAttributes.
        """
        if data is None:
            data = {}
        if isinstance(data, list):
            return done(LoopBackError('updateOrCreate does not support bulk mode or any '
                                      'array input'))
        if not is_object(data):
            return done(AssertionError_('The data argument must be an object',
                                        code='ERR_ASSERTION'))
        upsert(cls, data, options, done)

    updateOrCreate = upsert
    patchOrCreate = upsert

    @classmethod
    @api(None, None, shift=_upsert_with_where_shift)
    def upsertWithWhere(cls, where, data, options, done):
        """Update the single instance matching ``where``, or create one.

        # LoopBack: Model.upsertWithWhere(where, data, [options], [cb])
        #           (alias patchOrCreateWithWhere)

        Several matches are a 400 'There are multiple instances found.Upsert
        Operation will not be performed!' (juggler's text, missing space
        included); empty data is a 400 'data object cannot be empty!'.
        """
        try:
            data = data_for_where(where, data)
        except LoopBackError as err:
            return done(err)
        if not data:
            return done(bad_request('data object cannot be empty!'))
        UpsertWithWhere(cls, where, data, options, done)

    patchOrCreateWithWhere = upsertWithWhere

    @classmethod
    @api(None)
    def replaceOrCreate(cls, data, options, done):
        """Replace the instance with data's id, or create it.

        # LoopBack: Model.replaceOrCreate(data, [options], [cb])
        """
        if data is None:
            data = {}
        if not is_object(data):
            return done(AssertionError_('The data argument must be an object',
                                        code='ERR_ASSERTION'))
        replace_or_create(cls, data, options, done)

    @classmethod
    @api(None, NOARG, shift=_find_or_create_shift, results_as_list=True)
    def findOrCreate(cls, query, data, options, done):
        """Find the first instance matching ``query``, or create it from ``data``.

        # LoopBack: Model.findOrCreate([query], data, [options], [cb])
        #           -> cb(err, instance, created); promise of [instance, created]

        ``findOrCreate(data)`` / ``findOrCreate(data, cb)`` use ``{where: data}``
        as the query.  Atomic on the connector: the lookup and the insert are
        one connector call.
        """
        find_or_create(cls, query, data, options, done)


# -- upsert -------------------------------------------------------------------

def upsert(model, data, options, done):
    """upsert's work after its argument checks."""
    pk = id_name(model)
    id_value = data[pk] if isinstance(data, ModelBase) else data.get(pk)
    if id_value is None:
        return Create(model, data, options, done)
    if invalid_id_error(model, id_value):
        return done(invalid_id_error(model, id_value))
    do_validate = validation_setting(model, options, 'validateUpsert')
    if model.settings.get('forceId'):
        opts = dict(options, validate=bool(do_validate))

        def found(err=None, inst=None, *_):
            if err is not None:
                return done(err)
            if inst is None:
                return done(model_not_found(id_value))
            UpdateAttributes(inst, data, opts, done)
        return model.findById(id_value, opts, found)
    UpsertById(model, id_value, data, do_validate, options, done)


def _update_or_save(model, data, options, done, err=None, inst=None, *_):
    """The generic upsert once ``findOne`` answered: update the instance found,
    else save a new one built from ``data``, without its id: an ``access``
    observer rewrote the query away from it, and the query may hide that an
    instance with that id exists (juggler: ``delete data[idName(Model)]``,
    here on a copy, as replaceOrCreate's fallback)."""
    if err is not None:
        return done(err)
    payload = data.toObject(False) if isinstance(data, ModelBase) else dict(data)
    payload.pop(id_name(model), None)
    if inst is not None:
        return UpdateAttributes(inst, payload, options, done)
    try:
        obj = model(payload)
    except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
        return done(exc)
    save_instance(obj, options, done)


class UpsertById(Write):
    """upsert of data with an id, on the connector's updateOrCreate:
    ``done(err, instance)``.

    # LoopBack: DataAccessObject.upsert (the connector's updateOrCreate path)
    """

    __slots__ = ('id_value', 'do_validate', 'payload')
    hooks = ACCESS_AND_UPDATE_HOOKS
    reads = dict(Write.reads, **{'before save': ('data',)})
    notify_option = True

    def __init__(self, model, id_value, data, do_validate, options, done):
        Write.__init__(self, model, options, done)
        self.id_value = id_value
        self.do_validate = do_validate
        self.payload = data
        self.query = by_id_query(model, id_value)
        self.access()

    def accessed(self):
        model = self.model
        self.where = where = self.query.get('where')
        if not is_where_by_given_id(model, where, self.id_value):
            # juggler's generic path: find, then updateAttributes or save
            return model.findOne({'where': where}, {'notify': False},
                                 lambda *a: _update_or_save(model, self.payload, self.options,
                                                            self.done, *a))
        self.data = self.payload
        self.before_save()

    def before_save_context(self):
        return {'Model': self.model, 'where': self.where, 'data': self.data,
                'hookState': self.hook_state, 'options': self.options}

    def before_saved(self):
        model = self.model
        payload = self.data
        try:
            inst = payload if isinstance(payload, model) else \
                model(payload, {'applyDefaultValues': False})
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return self.done(exc)
        update = inst.toObject(False)
        model.applyProperties(update, inst)
        self.instance = inst
        self.data = update
        if self.do_validate is False:
            return self.write()
        self.validate(inst, update, self.write, self.invalid)

    def invalid(self):
        if self.do_validate:
            return self.done(validation_error(self.instance), self.instance)
        log.warning('Ignoring validation errors in updateOrCreate(): %s',
                    validation_error(self.instance).message)
        self.write()

    def send(self):
        self.model._connector().updateOrCreate(self.model.modelName, self.data, self.options,
                                               self.saved)

    def merge_loaded(self):
        self.after_save(self.loaded_instance(self.instance))


# -- upsertWithWhere ----------------------------------------------------------

class UpsertWithWhere(Write):
    """upsertWithWhere(where, data): ``done(err, instance)``.

    # LoopBack: DataAccessObject.upsertWithWhere
    """

    __slots__ = ()
    hooks = ACCESS_AND_UPDATE_HOOKS
    reads = dict(Write.reads, **{'before save': ('where', 'data')})

    def __init__(self, model, where, data, options, done):
        Write.__init__(self, model, options, done)
        self.query = {'where': where}
        self.data = data
        self.access()

    def accessed(self):
        self.where = self.query.get('where')
        if 'upsertWithWhere' not in self.model._connector().capabilities:
            return self.without_connector_support()
        self.before_save()

    def without_connector_support(self):
        """juggler's generic path: find, then create or updateAttributes."""
        model, data, options, done = self.model, self.data, self.options, self.done

        def found(err=None, instances=None):
            if err is not None:
                return done(err)
            if not instances:
                return Create(model, data, options, done)
            if len(instances) == 1:
                return UpdateAttributes(instances[0], data, options, done)
            done(bad_request('There are multiple instances found.'
                             'Upsert Operation will not be performed!'))
        # juggler passes only notify and the transaction; the query guards
        # go along too, so a REST where on a hidden property fails here as
        # it does on memory (juggler: silently used as is)
        opts = {k: options[k] for k in QUERY_GUARDS if k in options}
        opts['notify'] = False
        model.find({'where': self.where}, opts, found)

    def before_save_context(self):
        return {'Model': self.model, 'where': self.where, 'data': self.data,
                'hookState': self.hook_state, 'options': self.options}

    def before_saved(self):
        model = self.model
        try:
            inst = self.data if isinstance(self.data, model) else \
                model(self.data, {'applyDefaultValues': False})
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return self.done(exc)
        update = inst.toObject(False)
        model.applyProperties(update, inst)
        self.instance = inst
        self.data = update
        if validation_setting(model, self.options) is False:
            return self.write()
        self.validate(inst, update, self.write)

    def write(self):
        if self.write_coerced():
            self.persist()

    def send(self):
        self.model._connector().upsertWithWhere(self.model.modelName, self.where, self.data,
                                                self.options, self.saved)

    def merge_loaded(self):
        self.after_save(self.loaded_instance(self.instance))


# -- replaceOrCreate ----------------------------------------------------------

def replace_or_create(model, data, options, done):
    """replaceOrCreate's work after its argument checks."""
    pk = id_name(model)
    id_value = data[pk] if isinstance(data, ModelBase) else data.get(pk)
    if id_value is None:
        return Create(model, data, options, done)
    if invalid_id_error(model, id_value):
        return done(invalid_id_error(model, id_value))
    if model.settings.get('forceId'):
        payload = data.toObject(False) if isinstance(data, ModelBase) else data
        return ReplaceById(model, id_value, payload, options, done)
    try:
        inst = data if isinstance(data, model) else model(data)
    except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
        return done(exc)
    ReplaceOrCreate(model, id_value, data, inst, options, done)


class ReplaceOrCreate(Write):
    """replaceOrCreate of data with an id, on the connector's replaceOrCreate:
    ``done(err, instance, info)``.

    # LoopBack: DataAccessObject.replaceOrCreate
    """

    __slots__ = ('id_value', 'given', 'info')
    hooks = ACCESS_AND_UPDATE_HOOKS

    def __init__(self, model, id_value, data, inst, options, done):
        Write.__init__(self, model, options, done)
        self.id_value = id_value
        self.given = data
        self.instance = inst
        self.query = by_id_query(model, id_value)
        self.access()

    def accessed(self):
        self.where = self.query.get('where')
        if is_where_by_given_id(self.model, self.where, self.id_value):
            return self.before_save()
        self.model.findOne({'where': self.where}, {'notify': False}, self.fallback)

    def fallback(self, err=None, found=None, *_):
        """juggler's generic path: replaceById on the instance found, else save."""
        model, data, done = self.model, self.given, self.done
        if err is not None:
            return done(err)
        pk = id_name(model)
        payload = data.toObject(False) if isinstance(data, ModelBase) else dict(data)
        target = self.id_value
        if not is_where_by_given_id(model, self.where, self.id_value):
            payload.pop(pk, None)
            if found is not None:
                target = found[pk]
        if found is not None:
            return ReplaceById(model, target, payload, self.options,
                               lambda err=None, obj=None, *_: done(err, obj))
        try:
            obj = model(payload)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return done(exc)
        save_instance(obj, self.options, done)

    def before_save_context(self):
        return {'Model': self.model, 'instance': self.instance,
                'hookState': self.hook_state, 'options': self.options}

    def before_saved(self):
        model, inst = self.model, self.instance
        update = inst.toObject(False)
        strict = inst._strict
        if strict:
            update = apply_strict_check(model, strict, update, inst)
        model.applyProperties(update, inst)
        self.data = update
        if validation_setting(model, self.options) is False:
            return self.write()
        self.validate(inst, update, self.write)

    def send(self):
        self.model._connector().replaceOrCreate(self.model.modelName, self.data, self.options,
                                                self.saved)

    def saved(self, err=None, row=None, info=None):
        self.info = info
        Write.saved(self, err, row, info)

    def merge_loaded(self):
        self.after_save(self.loaded_instance(self.instance), self.info)


# -- findOrCreate -------------------------------------------------------------

def find_or_create(model, query, data, options, done, fresh=False):
    """findOrCreate after the argument shuffle: check, normalise, run.

    ``fresh``: ``query`` is a dict built for this call (a relation's), so
    it is used as it is rather than deep-copied first.
    """
    query = query if query is not None else {'where': {}}
    data = data if data is not None else {}
    try:
        check_object_argument(query, 'query')
        if not isinstance(data, (dict, ModelBase)):
            raise AssertionError_('The data argument must be an object', code='ERR_ASSERTION')
        if not fresh:
            query = filters.parse_filter(query)
        query['limit'] = 1
        # already parsed (a fresh dict): normalise it without a second deep copy
        query = dict(filters.normalize_filter(query, model._info(), options) or {})
    except LoopBackError as err:
        return done(err)
    if model.settings.get('scope'):
        try:
            apply_scope(model, query)   # juggler: after _normalize, before 'access'
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return done(exc)
    FindOrCreate(model, query, data, options, done)


class FindOrCreate(Write):
    """findOrCreate on the connector's atomic findOrCreate:
    ``done(err, instance, created)``.

    # LoopBack: DataAccessObject.findOrCreate
    """

    __slots__ = ('given', 'connector_used')
    hooks = ACCESS_AND_UPDATE_HOOKS
    reads = dict(Write.reads, **{'before save': ('instance',)})

    def __init__(self, model, query, data, options, done):
        Write.__init__(self, model, options, done)
        self.query = query
        self.given = data
        self.access()

    def accessed(self):
        model, data = self.model, self.given
        try:
            obj = data if isinstance(data, model) else model(data)
            enforced = {}
            model.applyProperties(enforced, obj)
            obj.setAttributes(enforced)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return self.done(exc)
        self.instance = obj
        self.is_new = True
        self.before_save()

    def before_save_context(self):
        return {'Model': self.model, 'instance': self.instance, 'isNewInstance': True,
                'hookState': self.hook_state, 'options': self.options}

    def before_saved(self):
        obj = self.instance
        values = obj.toObject(True)
        self.data = values
        if validation_setting(self.model, self.options) is False:
            return self.write()
        self.validate(obj, values, self.write)

    def persist_context(self):
        return {'Model': self.model, 'where': self.query.get('where'), 'data': self.data,
                'isNewInstance': True, 'currentInstance': self.instance,
                'hookState': self.hook_state, 'options': self.options}

    def send(self):
        model = self.model
        connector = self.connector_used = model._connector()
        connector.findOrCreate(model.modelName, self.query, model._forDB(self.data),
                               self.options, self.found)

    def found(self, err=None, row=None, created=False):
        if err is not None:
            return self.done(err)
        self.data = row
        self.is_new = created
        self.loaded()

    def merge_loaded(self):
        model, query, created = self.model, self.query, self.is_new
        obj = None
        if self.data is not None:
            # rows nobody observed are the connector's to give away (when it
            # hands out copies): they become the instance's data
            adopt = self.quiet and self.connector_used.handsOutCopies
            try:
                obj = model._build_loaded([self.data], load_options(model, query.get('fields')),
                                          adopt)[0]
            except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
                return self.done(exc)
        if created:
            return self.after_save(obj, created)
        if query.get('include') and obj is not None:
            return model._include([obj], query['include'], self.options,
                                  lambda err=None, *_: self.done(err, obj, created)
                                  if err is None else self.done(err))
        self.done(None, obj, created)
