"""Putting LB3's methods on a built-in model class (and on its sub-models).

LB3 adds a built-in model's statics and prototype methods in its
``<name>.js`` (``User.login = function ...``, ``User.prototype.hasPassword =
...``).  Here a module lists them and :func:`install` puts them on the model
class that ``setup`` runs for: a static as a class-only method (instances do
not see it, as juggler's statics live on the constructor), a prototype
method as a plain method.
"""

from ..model_builder import static


class InstanceOnly:
    """A prototype method whose name is also a static of the base classes.

    LB3's ``AccessToken.prototype.validate`` (is this token still valid)
    lives beside the static ``AccessToken.validate`` (declare a validation):
    an instance sees the former, the class the base classes' static.
    """

    __slots__ = ('fn', 'name')

    def __init__(self, fn, name):
        self.fn = fn
        self.name = name

    def __get__(self, inst, owner):
        if inst is not None:
            return self.fn.__get__(inst, owner)
        for klass in owner.__mro__:
            found = klass.__dict__.get(self.name)
            if found is not None and not isinstance(found, InstanceOnly):
                return found.__get__(None, owner)
        raise AttributeError(self.name)


class StaticAndMethod:
    """A static and a prototype method of the same name (``User.setPassword(id,
    pw, cb)`` and ``user.setPassword(pw, cb)``)."""

    __slots__ = ('static', 'method')

    def __init__(self, static_fn, method_fn):
        self.static = static_fn
        self.method = method_fn

    def __get__(self, inst, owner):
        if inst is None:
            return self.static.__get__(owner, type(owner))
        return self.method.__get__(inst, owner)


def install(model, statics=None, methods=None, constants=None):
    """Put ``statics`` (name -> fn(Model, ...)), ``methods`` (name -> fn(inst, ...))
    and ``constants`` (name -> value) on ``model``.  A method named like an
    inherited static keeps that static on the class (:class:`InstanceOnly`)."""
    statics = statics or {}
    for name, fn in statics.items():
        type.__setattr__(model, name, static(fn))
    for name, fn in (methods or {}).items():
        if name in statics:          # LB3's User.changePassword and its prototype's
            type.__setattr__(model, name, StaticAndMethod(statics[name], fn))
            continue
        inherited = any(name in klass.__dict__ for klass in model.__mro__[1:])
        type.__setattr__(model, name, InstanceOnly(fn, name) if inherited else fn)
    for name, value in (constants or {}).items():
        type.__setattr__(model, name, value)
    return model


def enable_remoting(model):
    """The remoting statics (remoteMethod, beforeRemote...) on ``model``."""
    from ..remoting import enable_remoting as enable
    return enable(model)
