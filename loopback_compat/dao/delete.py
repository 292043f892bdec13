"""Deletes: destroyAll, destroyById, destroy.

# LoopBack: DataAccessObject.destroyAll / destroyById /
#           DataAccessObject.prototype.remove (lib/dao.js)

A delete's hooks are ``access -> before delete -> (connector) -> after
delete``; an instance's destroy by its id also runs the legacy model hooks
``beforeDestroy`` / ``afterDestroy`` around the connector call (hooks.py).
With none of them observed or set (and no strictDelete check to make), an
instance's destroy hands its callback to the connector directly.
"""

from functools import partial

from .. import filters
from ..errors import AssertionError_, LoopBackError
from ..hooks import has_hooks, names_of, trigger
from ..model import hybridmethod
from ..observer import observes
from .arguments import NOARG, api
from .default_scope import scoped_where
from .helpers import (by_id_query, check, check_object_argument, err_or_result, invalid_id_error,
                      is_where_by_given_id, not_found_for_delete, pk_missing, where_is_empty)
from .pipeline import DELETE_HOOKS

_DESTROY_HOOK_NAMES = names_of('destroy')


class DeleteMixin:
    """destroyAll (deleteAll, and remove on the class), destroyById
    (deleteById, removeById), destroy (delete, and remove on an instance)."""

    @hybridmethod
    def remove(self_or_cls, *args, **kw):
        """Static: destroyAll; on an instance: destroy (juggler has both)."""
        if isinstance(self_or_cls, type):
            return self_or_cls.destroyAll(*args, **kw)
        return self_or_cls.destroy(*args, **kw)

    @classmethod
    @api(None, cb_in_last=True)
    def destroyAll(cls, where, options, done):
        """Delete every instance matching ``where``; result ``{'count': n}``.

        # LoopBack: Model.destroyAll([where], [options], [cb]) (aliases deleteAll, remove)

        Hooks: access (query), before delete (where), after delete (where, info).
        """
        where = where if where is not None else {}
        try:
            check_object_argument(where, 'where')
            where = filters.parse_filter(where)
            check(isinstance(where, dict), 'The where argument must be an object')
        except LoopBackError as err:
            return done(err)
        destroy_all(cls, where, options, done)

    deleteAll = destroyAll

    @classmethod
    @api(NOARG)
    def destroyById(cls, id, options, done):
        """Delete the instance with ``id``; result ``{'count': 0 or 1}``.

        # LoopBack: Model.destroyById(id, [options], [cb]) (aliases deleteById, removeById)

        With the ``strictDelete`` setting a missing instance is a 404
        NOT_FOUND 'No instance with id X found for Model'.
        """
        if id is NOARG:
            return done(AssertionError_('The id argument is required', code='ERR_ASSERTION'))
        if pk_missing(cls, done):
            return
        if id is None or id == '':
            return done(LoopBackError('Model::deleteById requires the id argument'))
        if invalid_id_error(cls, id):
            return done(invalid_id_error(cls, id))

        def removed(err=None, info=None):
            if err is not None:
                return done(err)
            deleted = bool(info) and info.get('count', 0) > 0
            if cls.settings.get('strictDelete') and not deleted:
                return done(not_found_for_delete(cls, id))
            done(None, info)
        cls.destroyAll(by_id_query(cls, id)['where'], options, removed)

    deleteById = destroyById
    removeById = destroyById

    @api()
    def destroy(self, options, done):
        """Delete this instance; result ``{'count': 0 or 1}``.

        # LoopBack: inst.destroy([options], [cb]) (alias delete, remove)

        Hooks: access (query by id), before delete (where, instance),
        after delete (where, instance, info).
        """
        destroy_instance(self, options, done)

    delete = destroy


def destroy_all(model, where, options, done):
    """destroyAll on a parsed where: the default scope, access, before
    delete, the connector, after delete (``options.notify === false``: no hooks)."""
    hook_state = {}
    if model.settings.get('scope'):
        try:
            where = scoped_where(model, where)
        except Exception as exc:  # noqa: BLE001 - juggler try/catch: any error goes to cb
            return done(exc)

    def do_delete(where):
        if where_is_empty(where):
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
            'Model': model, 'where': ctx.get('query').get('where'), 'hookState': hook_state,
            'options': options,
        }, lambda err=None, c=None: done(err) if err is not None else do_delete(c.get('where')))
    model.notifyObserversOf('access', {
        'Model': model, 'query': {'where': {} if where_is_empty(where) else where},
        'hookState': hook_state, 'options': options}, after_access)


def destroy_instance(inst, options, done, trim=True):
    """inst.destroy's work; ``trim=False``: ``done`` drops a connector's extra
    results itself (the quiet path then hands it to the connector)."""
    model = type(inst)
    id_name = model.definition.idName()
    if id_name is None and pk_missing(model, done):
        return None
    # (a model without an id whose definition.hasPK() says it has one: juggler's id 'id')
    id_value = inst.__dict__['__data'].get(id_name or 'id')   # inst.getId()
    if observes(model, DELETE_HOOKS) or model.settings.get('strictDelete') or \
            has_hooks(model, _DESTROY_HOOK_NAMES) or 'triggerParent' in inst.__dict__:
        return _destroy_observed(inst, id_value, options, done)
    # nothing observes: no hook contexts, the connector's answer as it is
    # (this function keeps no closure, so a call makes no cells)
    model._connector().destroy(model.modelName, id_value, options,
                               partial(err_or_result, done) if trim else done)


def _destroy_observed(inst, id_value, options, done):
    """destroy with its hooks, legacy ones included (or strictDelete's check)."""
    model = type(inst)
    hook_state = {}

    def strict_check(info):
        deleted = bool(info) and info.get('count', 0) > 0
        if model.settings.get('strictDelete') and not deleted:
            return not_found_for_delete(model, id_value)
        return None

    def after_access(err=None, ctx=None):
        if err is not None:
            return done(err)
        model.notifyObserversOf('before delete', {
            'Model': model, 'where': ctx.get('query').get('where'), 'instance': inst,
            'hookState': hook_state, 'options': options,
        }, lambda err=None, c=None: done(err) if err is not None else do_delete(c.get('where')))

    def do_delete(where):
        if not is_where_by_given_id(model, where, id_value):
            def by_query(err=None, info=None):
                if err is not None:
                    return done(err, False)
                failure = strict_check(info)
                if failure is not None:
                    return done(failure, False)
                after(where, info)
            return model.destroyAll(where, {'notify': False}, by_query)

        def send(finish):
            def destroyed(err=None, info=None):
                if err is not None:
                    return done(err)
                failure = strict_check(info)
                if failure is not None:
                    return done(failure)
                finish(lambda: after(where, info))   # afterDestroy, then 'after delete'
            model._connector().destroy(model.modelName, id_value, options, destroyed)
        # juggler: inst.trigger('destroy', work, null, cb)
        trigger(inst, 'destroy', send, None, done, done)

    def after(where, info):
        model.notifyObserversOf('after delete', {
            'Model': model, 'where': where, 'instance': inst, 'hookState': hook_state,
            'options': options, 'info': info,
        }, lambda err=None, c=None: done(err, info))

    model.notifyObserversOf('access', {
        'Model': model, 'query': by_id_query(model, id_value), 'hookState': hook_state,
        'options': options}, after_access)
