"""Writes to existing instances: save, updateAttributes, replaceById and
updateAll.

# LoopBack: DataAccessObject.prototype.save / updateAttributes /
#           replaceAttributes, DataAccessObject.replaceById / updateAll (lib/dao.js)
"""

import logging

from ..errors import AssertionError_, LoopBackError, bad_request
from ..model import ModelBase, id_equals
from ..js.values import UNDEFINED, strict_equal
from ..js.values import to_string as js_string
from ..validations import validation_error
from .arguments import NOARG, REQUIRED, api
from .create import Create
from .default_scope import scoped_where
from .helpers import (allow_extended_operators, apply_strict_check, by_id_query,
                      data_for_where, id_name, invalid_id_error, is_object, keep_invalid_dates,
                      pk_missing, typed_subset, validation_setting)
from .pipeline import ACCESS_AND_UPDATE_HOOKS, Write

log = logging.getLogger('loopback_compat.dao')


def _update_all_shift(where, data, options, cb):
    """updateAll's shuffle: ``(data)`` and ``(data, cb)`` update everything."""
    if data is NOARG:
        data, where = where, {}
    elif callable(data) and options is None and cb is None:
        cb, data, where = data, where, {}
    return where, data, options, cb


class UpdateMixin:
    """save, updateAttribute(s), replaceAttributes, replaceById, updateAll."""

    @api()
    def save(self, options, done):
        """Persist the instance: create() when new, else update it in place.

        # LoopBack: inst.save([options], [cb]) -> cb(err, inst)
        """
        save_instance(self, options, done)

    def updateAttribute(self, name, value, options=None, cb=None, **kw):
        """# LoopBack: inst.updateAttribute(name, value, [options], [cb])"""
        return self.updateAttributes({name: value}, options, cb, **kw)

    @api(NOARG, cb_in_last=True)
    def updateAttributes(self, data, options, done):
        """Patch some properties and persist them.

        # LoopBack: inst.updateAttributes(data, [options], [cb]) (alias patchAttributes)

        Changing an id is a 400 'id cannot be updated from 1 to 2 when
        forceId is set to true'.  Hooks: before save (where, data,
        currentInstance), persist, loaded, after save (instance).
        """
        if data is NOARG or not is_object(data):
            return done(AssertionError_('The data argument must be an object',
                                        code='ERR_ASSERTION'))
        UpdateAttributes(self, data, options, done)

    patchAttributes = updateAttributes

    def replaceAttributes(self, data, options=None, cb=None, **kw):
        """# LoopBack: inst.replaceAttributes(data, [options], [cb])"""
        return type(self).replaceById(self.getId(), data, options, cb, **kw)

    @classmethod
    @api(REQUIRED, None, cb_in_last=True)
    def replaceById(cls, id, data, options, done):
        """Replace all the properties of the instance with ``id``.

        # LoopBack: Model.replaceById(id, data, [options], [cb])

        404 'Could not replace. Object with id X does not exist!' when
        missing; 400 'id property (id) cannot be updated from 1 to 2' when
        data carries another id.
        """
        if not is_object(data):
            return done(AssertionError_('The data argument must be an object',
                                        code='ERR_ASSERTION'))
        if isinstance(data, ModelBase):
            data = data.toObject(False)
        if invalid_id_error(cls, id):
            return done(invalid_id_error(cls, id))
        ReplaceById(cls, id, dict(data), options, done)

    @classmethod
    @api(None, NOARG, shift=_update_all_shift)
    def updateAll(cls, where, data, options, done):
        """Update every instance matching ``where``; result ``{'count': n}``.

        # LoopBack: Model.updateAll([where], data, [options], [cb]) (alias update)

        Hooks: access, before save (where, data), persist, after save
        (where, data, info).  Validation only when validateUpdate (or
        options.validate) asks for it.
        """
        where = where if where is not None else {}
        data = data if data is not None else {}
        try:
            data = data_for_where(where, data)
        except LoopBackError as err:
            return done(err)
        UpdateAll(cls, where, data, options, done)

    update = updateAll


def save_instance(inst, options, done):
    """inst.save's work: Create for a new instance, else :class:`Save`."""
    model = type(inst)
    if pk_missing(model, done):
        return
    if inst.isNewRecord():
        return Create(model, inst, options, done)
    Save(inst, options, done)


class Save(Write):
    """save() of an instance already stored: ``done(err, instance)``.

    # LoopBack: DataAccessObject.prototype.save
    """

    __slots__ = ()
    # juggler: inst.trigger('save', ... inst.trigger('update', ..., data, cb), data, cb);
    # its after hooks (updateDone, saveDone) once 'after save' ran
    triggers = ('save', 'update')
    after_hooks_last = True

    def __init__(self, inst, options, done):
        Write.__init__(self, type(inst), options, done)
        if options.get('validate') is None:
            auto = self.model.settings.get('automaticValidation')
            options['validate'] = True if auto is None else auto
        if options.get('throws') is None:
            options['throws'] = False
        self.instance = inst
        self.before_save()

    def before_save_context(self):
        return {'Model': self.model, 'instance': self.instance,
                'hookState': self.hook_state, 'options': self.options}

    def before_saved(self):
        inst = self.instance
        data = keep_invalid_dates(self.model, inst, inst.toObject(True))
        self.model.applyProperties(data, inst)
        try:
            inst.setAttributes(data)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return self.done(exc)
        self.data = data
        if not self.options.get('validate'):
            return self.write_hooked()
        self.validate(inst, data, self.write_hooked, self.invalid)

    def invalid(self):
        err = validation_error(self.instance)
        if self.options.get('throws'):
            # juggler: "throws option is dangerous for async usage" - raised
            # where the verdict came (synchronously: out of save() itself)
            raise err
        self.done(err, self.instance)

    def persist_context(self):
        return {'Model': self.model, 'data': self.data,
                'where': by_id_query(self.model, self.instance.getId())['where'],
                'currentInstance': self.instance, 'hookState': self.hook_state,
                'options': self.options}

    def send(self):
        model = self.model
        try:
            connector = instance_connector(self.instance)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return self.done(exc)
        connector.save(model.modelName, model._forDB(self.data), self.options, self.saved)

    def saved(self, err=None, _unused=None, result=None):
        if err is not None:
            return self.done(err, self.instance)
        self.is_new = (result or {}).get('isNewInstance')
        self.loaded()

    def merge_loaded(self):
        self.instance._initProperties(self.data, {'persisted': True})
        self.after_save(self.instance)


def _warn_once(model, flag, message):
    """juggler's ``if (!Model._warned[flag]) { Model._warned[flag] = true;
    g.warn(message) }``: the console warning once per model, as a warning
    of the ``loopback_compat.dao`` logger (as upsert's g.warn)."""
    warned = model.__dict__.get('_warned')
    if warned is None:
        warned = {}
        type.__setattr__(model, '_warned', warned)
    if warned.get(flag):
        return
    warned[flag] = True
    log.warning(message)


def instance_connector(inst):
    """juggler's ``inst.getConnector()``: a function the instance holds
    (``inst.getConnector = fn``) wins over the model's connector."""
    own = inst.__dict__.get('getConnector')
    return own() if own is not None else type(inst)._connector()


class UpdateAttributes(Write):
    """inst.updateAttributes(data): ``done(err, instance)``.

    # LoopBack: DataAccessObject.prototype.updateAttributes
    """

    __slots__ = ()
    reads = dict(Write.reads, **{'before save': ('data',)})
    # juggler: inst.trigger('save', ... inst.trigger('update', ..., data, cb), data, cb)
    triggers = ('save', 'update')

    def __init__(self, inst, data, options, done):
        model = type(inst)
        Write.__init__(self, model, options, done)
        if pk_missing(model, done):
            return
        if isinstance(data, ModelBase):
            data = data.toObject(False)
        data = self.sanitized(dict(data))
        if data is None:
            return
        for name in model.definition.idNames():
            if name in data and not id_equals(data[name], inst[name]):
                return done(bad_request(
                    'id cannot be updated from %s to %s when forceId is set to true'
                    % (js_string(inst[name]), js_string(data[name]))))
        self.instance = inst
        self.data = data
        self.is_new = False
        self.before_save()

    def before_save_context(self):
        inst = self.instance
        return {'Model': self.model, 'where': by_id_query(self.model, inst.getId())['where'],
                'data': self.data, 'currentInstance': inst, 'hookState': self.hook_state,
                'options': self.options}

    def before_saved(self):
        inst = self.instance
        payload = self.data
        strict = inst._strict
        # extended operators ({$set: ...}) pass a strict model's check as juggler's do
        if strict and not allow_extended_operators(self.model, self.options):
            payload = self.data = apply_strict_check(self.model, strict, payload, inst)
        do_validate = validation_setting(self.model, self.options, default=True)
        try:
            inst.setAttributes(payload)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return self.done(exc)
        if do_validate:
            self.validate(inst, payload, self.write_hooked)
        else:
            self.write_hooked()

    def write(self):
        inst = self.instance
        inst.setAttributes(self.data)
        typed = self.sanitized(typed_subset(inst, self.data))
        if typed is None:
            return
        self.data = typed
        self.persist()

    def persist_context(self):
        inst = self.instance
        return {'Model': self.model, 'where': by_id_query(self.model, inst.getId())['where'],
                'data': self.data, 'currentInstance': inst, 'isNewInstance': False,
                'hookState': self.hook_state, 'options': self.options}

    def send(self):
        model = self.model
        try:
            connector = instance_connector(self.instance)   # juggler: inst.getConnector()
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return self.done(exc)
        connector.updateAttributes(model.modelName, self.instance.getId(),
                                   model._forDB(self.data), self.options, self.updated)

    def updated(self, err=None, _row=None):
        if err is not None:
            return self.done(err)
        self.loaded()

    def loaded_context(self):
        return {'Model': self.model, 'data': self.data, 'hookState': self.hook_state,
                'options': self.options, 'isNewInstance': False}

    def merge_loaded(self):
        inst = self.instance
        inst._persisted = True
        if self.model.settings.get('updateOnLoad'):
            inst.setAttributes(self.data)
        self.after_save(inst)   # (the after hooks first: done, saveDone)


class ReplaceById(Write):
    """replaceById(id, data): ``done(err, instance)``.

    # LoopBack: DataAccessObject.replaceById
    """

    __slots__ = ('id_value', 'pk')

    def __init__(self, model, id_value, data, options, done):
        Write.__init__(self, model, options, done)
        self.id_value = id_value
        self.pk = pk = id_name(model)
        if not data.get(pk):
            data[pk] = id_value
        try:
            inst = model(data, {'persisted': True})
            enforced = {}
            model.applyProperties(enforced, inst)
            inst.setAttributes(enforced)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return done(exc)
        if pk_missing(model, done):
            return
        if id_value != data[pk]:
            return done(bad_request('id property (%s) cannot be updated from %s to %s'
                                    % (pk, js_string(id_value), js_string(data[pk]))))
        self.instance = inst
        self.is_new = False
        self.before_save()

    def before_save_context(self):
        return {'Model': self.model, 'instance': self.instance, 'isNewInstance': False,
                'hookState': self.hook_state, 'options': self.options}

    def before_saved(self):
        inst = self.instance
        if not strict_equal(inst[self.pk], self.id_value):
            _warn_once(self.model, 'cannotOverwritePKInBeforeSaveHook',
                       "WARNING: id property cannot be changed from %s to %s for model:%s "
                       "in 'before save' operation hook"
                       % (js_string(self.id_value), js_string(inst[self.pk]),
                          self.model.modelName))
        values = keep_invalid_dates(self.model, inst, inst.toObject(False))
        strict = inst._strict
        if strict:
            values = apply_strict_check(self.model, strict, values, inst)
        values = self.sanitized(values)
        if values is None:
            return
        inst.setAttributes(values)
        self.data = values
        if validation_setting(self.model, self.options, default=True):
            self.validate(inst, values, self.write)
        else:
            self.write()

    def write(self):
        inst = self.instance
        inst.setAttributes(self.data)
        self.data = typed_subset(inst, self.data)
        self.persist()

    def persist_context(self):
        return {'Model': self.model, 'where': {self.pk: self.id_value}, 'data': self.data,
                'isNewInstance': False, 'currentInstance': self.instance,
                'hookState': self.hook_state, 'options': self.options}

    def send(self):
        model = self.model
        model._connector().replaceById(model.modelName, self.id_value, model._forDB(self.data),
                                       self.options, self.replaced)

    def replaced(self, err=None, *_):
        if err is not None:
            return self.done(err)
        self.loaded()

    def loaded_context(self):
        return {'Model': self.model, 'hookState': self.hook_state, 'data': self.data,
                'isNewInstance': False, 'options': self.options}

    def merge_loaded(self):
        inst = self.instance
        loaded_id = self.data.get(self.pk, UNDEFINED)
        if not strict_equal(loaded_id, self.id_value):
            _warn_once(self.model, 'cannotOverwritePKInLoadedHook',
                       "WARNING: id property cannot be changed from %s to %s for model:%s "
                       "in 'loaded' operation hook"
                       % (js_string(self.id_value), js_string(loaded_id), self.model.modelName))
        inst._persisted = True
        self.data[self.pk] = self.id_value
        inst.setAttributes(self.data)
        self.after_save(inst)


class UpdateAll(Write):
    """updateAll(where, data): ``done(err, {'count': n})``.

    # LoopBack: DataAccessObject.updateAll
    """

    __slots__ = ('do_validate', 'target')
    hooks = ACCESS_AND_UPDATE_HOOKS
    reads = dict(Write.reads, **{'before save': ('where', 'data'),
                                 'persist': ('where', 'data')})

    def __init__(self, model, where, data, options, done):
        Write.__init__(self, model, options, done)
        try:
            if model.settings.get('scope'):
                where = scoped_where(model, where)
            model.applyProperties(data)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return done(exc)
        self.do_validate = validation_setting(model, options, 'validateUpdate', default=False)
        self.query = {'where': where}
        self.data = data
        self.access()

    def accessed(self):
        self.where = self.query.get('where')
        self.before_save()

    def before_save_context(self):
        return {'Model': self.model, 'where': self.where, 'data': self.data,
                'hookState': self.hook_state, 'options': self.options}

    def before_saved(self):
        model, payload = self.model, self.data
        try:
            inst = payload if isinstance(payload, model) else \
                model(payload, {'applyDefaultValues': False})
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return self.done(exc)
        if self.do_validate is False:
            return self.write()
        self.validate(inst, None, self.write,
                      lambda: self.done(validation_error(inst)))

    def write(self):
        if self.write_coerced():
            self.target = self.where
            self.persist()

    def persist_context(self):
        return {'Model': self.model, 'where': self.where, 'data': self.data,
                'hookState': self.hook_state, 'options': self.options}

    def send(self):
        # the connector is given the where as coerced; 'after save' reports
        # the persist context's where and data
        self.model._connector().update(self.model.modelName, self.target, self.data,
                                       self.options, self.updated)

    def updated(self, err=None, info=None):
        if err is not None:
            return self.done(err)
        self.after_save(info)   # no 'loaded': updateAll returns no rows

    def after_save_context(self, info):
        return {'Model': self.model, 'where': self.where, 'data': self.data,
                'hookState': self.hook_state, 'options': self.options, 'info': info}
