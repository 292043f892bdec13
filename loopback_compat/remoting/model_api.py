"""The remoting statics LoopBack adds to every model class.

# LoopBack: loopback lib/model.js (Model.remoteMethod, disableRemoteMethodByName,
#           beforeRemote, afterRemote, afterRemoteError)

:func:`enable_remoting(Model)` installs, on that model class only:

- ``Model.remoteMethod(name, {accepts, returns, http, description, ...})``
  (``'prototype.name'`` or ``isStatic: False`` for instance methods; the
  function is ``Model.<name>`` or ``Model.<name>`` on the instance, called
  with the converted arguments and an error-first callback, or returning a
  Promise);
- ``Model.disableRemoteMethodByName(name)`` (and the deprecated
  ``disableRemoteMethod(name, isStatic)``);
- ``Model.beforeRemote(name, fn(ctx, unused, next))``, ``afterRemote`` and
  ``afterRemoteError(name, fn(ctx, next))``; ``name`` may use ``*`` / ``**``
  wildcards.  Hooks registered before the model is attached to an app are
  kept and registered when it is (LB3 waits for the 'attached' event);
- ``Model.nestRemoting(relationName, [options], [filterCallback])``: the
  relation target's relation routes nested under this model's
  (``GET /books/{id}/pages/{nk}/notes``, remoting/nest_remoting.py);
- ``Model.checkAccess(token, modelId, sharedMethod, ctx, cb)`` and
  ``Model._getAccessTypeForMethod(method)`` (auth/check_access.py).

Remote methods listed in a model definition's ``methods`` block are defined
at once.
"""

from .nest_remoting import nest_remoting
from .shared_class import shared_class_for
from .types import UNDEFINED


def enable_remoting(model):
    """Give ``model`` the remoting statics (idempotent); returns its SharedClass."""
    shared = shared_class_for(model)
    if model.__dict__.get('_remoting_enabled'):
        return shared
    model._remoting_enabled = True
    model._pending_remote_hooks = []
    model.remoteMethod = classmethod(_remote_method)
    model.disableRemoteMethodByName = classmethod(_disable_by_name)
    model.disableRemoteMethod = classmethod(_disable)
    model.beforeRemote = classmethod(_hook_adder('before'))
    model.afterRemote = classmethod(_hook_adder('after'))
    model.afterRemoteError = classmethod(_hook_adder('afterError', raw=True))
    model.nestRemoting = classmethod(nest_remoting)
    from ..auth.check_access import install_on   # auth builds on remoting: imported late
    install_on(model)
    methods = (getattr(model, 'settings', None) or {}).get('methods')
    if isinstance(methods, dict):
        for name, options in methods.items():
            if isinstance(options, dict):
                _remote_method(model, name, dict(options))
    return shared


def _remote_method(cls, name, options=None, **kwargs):
    """# LoopBack: Model.remoteMethod(name, options)"""
    options = dict(options or {})
    options.update(kwargs)
    return shared_class_for(cls).defineMethod(name, options)


def _disable_by_name(cls, name):
    """# LoopBack: Model.disableRemoteMethodByName(name)"""
    shared_class_for(cls).disableMethodByName(name)


def _disable(cls, name, is_static=True):
    """# LoopBack: Model.disableRemoteMethod(name, isStatic) (deprecated in LB3)"""
    shared_class_for(cls).disableMethodByName(name if is_static else 'prototype.' + name)


def _hook_adder(when, raw=False):
    def add(cls, name, fn):
        pattern = '%s.%s' % (cls.modelName, name)
        if raw:
            hook = lambda ctx, next_, method: fn(ctx, next_)   # noqa: E731
        else:
            def hook(ctx, next_, method):
                result = ctx.result
                return fn(ctx, None if result is UNDEFINED else result, next_)
        app = cls.__dict__.get('_lb_app')
        if app is not None:
            app.remotes()._add(when, pattern, hook)
        else:
            cls._pending_remote_hooks.append((when, pattern, hook))
    add.__name__ = {'before': 'beforeRemote', 'after': 'afterRemote'}.get(when, 'afterRemoteError')
    return add


def attach_hooks(model, app):
    """Register the hooks ``model`` collected before it joined ``app``."""
    pending = model.__dict__.get('_pending_remote_hooks') or []
    for when, pattern, hook in pending:
        app.remotes()._add(when, pattern, hook)
    model._pending_remote_hooks = []
