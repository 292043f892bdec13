"""The legacy model hooks: ``Model.beforeCreate = fn`` and the others.

# LoopBack: lib/hooks.js (Hookable, Hookable.prototype.trigger) of
#           loopback-datasource-juggler 3.x, and the inst.trigger(...) calls of
#           lib/dao.js (create, save, updateAttributes, destroy), lib/model.js
#           (_initProperties) and lib/validations.js (isValid)

A model may set, as plain class attributes, ``before<Action>`` /
``after<Action>`` (or the aliases ``pre<Action>`` / ``post<Action>``; for
validate also ``beforeValidation`` / ``afterValidation``) for the actions
``initialize`` (after only), ``validate``, ``create``, ``save``, ``update``
and ``destroy``.  juggler calls ``beforeHook.call(inst, next, data)`` and
``afterHook.call(inst, done)``; Python passes ``this`` first (DESIGN.md):
``Model.beforeCreate = fn(inst, next, data)``, ``Model.afterCreate =
fn(inst, next)``, ``Model.afterInitialize = fn(inst)``; a hook may declare
fewer parameters than are passed (JavaScript ignores the extra ones), or
more (they are None).

:func:`trigger` is juggler's ``trigger(actionName, work, data, callback)``:

- a before hook runs only when there is work; ``next()`` runs the work,
  ``next(*args)`` with any argument (even ``None``) skips it and ends the
  operation with ``callback(*args)`` (``next(err)``, or ``next(None, result)``);
- the work gets ``next(done)``, which runs the after hook with ``done`` as
  its ``next`` (or ``done()`` when there is no after hook);
- each trigger but ``initialize`` issues juggler's deprecation ('Model hook
  "User.beforeCreate" is deprecated, use Operation hooks instead. ...') as a
  DeprecationWarning (a Node 'deprecation' event is a DeprecationWarning
  here; Python's warning filters decide how often it shows: by default once
  per message where they show it at all);
- a hook that is set but is not callable is juggler's TypeError
  ('beforeHook.call is not a function').

Errors: juggler lets a hook's throw go up the stack (often uncaught).
Here an exception raised by a hook (or by the warning filter) before the
hook called its ``next`` goes to ``fail(err)`` (a DAO write passes its
callback), so it reaches the operation's callback instead of escaping the
loop; without ``fail`` it is raised (the instance constructor, a user's
own ``isValid()``).  An exception raised after ``next`` was called came
from the rest of the operation and is raised as it is (it must not end an
operation twice).

Speed: a model sets no legacy hook in the usual case, so the DAO asks
:func:`has_hooks` (a few class attribute reads) before it builds anything
for them.
"""

import warnings

from .errors import TypeError_
from .events import call_fitted

__all__ = ['Hookable', 'hook_names', 'has_hooks', 'trigger', 'trigger_nested']

_DEPRECATION = ('Model hook "%s" is deprecated, use Operation hooks instead. '
                'http://docs.strongloop.com/display/LB/Operation+hooks')

_NAMES = {}


def hook_names(action):
    """``(before names, after names)`` of an action, in juggler's order of
    precedence: ``('beforeSave', 'preSave'), ('afterSave', 'postSave')``."""
    names = _NAMES.get(action)
    if names is None:
        cap = action[:1].upper() + action[1:]
        before, after = ('before' + cap, 'pre' + cap), ('after' + cap, 'post' + cap)
        if action == 'validate':
            before, after = before + ('beforeValidation',), after + ('afterValidation',)
        names = _NAMES[action] = (before, after)
    return names


def names_of(*actions):
    """Every hook name of ``actions``, flat (what :func:`has_hooks` takes)."""
    return tuple(name for action in actions for group in hook_names(action) for name in group)


def has_hooks(model, names):
    """Whether ``model`` sets any of the hooks ``names`` (read on every call:
    ``Model.beforeSave = fn`` may come at any time)."""
    for name in names:
        if getattr(model, name, None):
            return True
    return False


def _first(model, names):
    # juggler: ctor['before' + X] || ctor['pre' + X] (|| ctor.beforeValidation)
    for name in names:
        hook = getattr(model, name, None)
        if hook:
            return hook, name
    return None, None


def _deprecate(model, name):
    """juggler's deprecateHook: depd's 'deprecated' line, as a DeprecationWarning."""
    model_name = getattr(model, 'modelName', None)
    label = '%s.%s' % (model_name, name) if model_name else name
    warnings.warn(_DEPRECATION % label, DeprecationWarning, stacklevel=3)


def trigger(inst, action, work=None, data=None, callback=None, fail=None):
    """Run ``action``'s legacy hooks of ``type(inst)`` around ``work``.

    # LoopBack: Hookable.prototype.trigger(actionName, work, data, callback)

    ``work(next)`` does the action; ``next(done)`` then runs the after hook
    (``after(inst, done)``) or ``done()``.  Without ``work`` only the after
    hook runs (with ``None``: juggler's ``initialize``).  ``before(inst,
    next, data)`` runs before the work; ``next(*args)`` with arguments ends
    there with ``callback(*args)``.  ``fail(err)`` receives an exception a
    hook raised before calling its ``next`` (None: it is raised).
    """
    if work is not None and action in _PARENT_ACTIONS:
        parent = getattr(inst, '__dict__', _NO_DICT).get('triggerParent')
        if parent is not None:   # an embedded instance (relations/embedded.py)
            work = _then_parent(work, parent, action)
    model = type(inst)
    before_names, after_names = hook_names(action)
    before, before_name = _first(model, before_names)
    after, after_name = _first(model, after_names)
    if action != 'initialize' and (before or after):
        try:
            if before:
                _deprecate(model, before_name)
            if after:
                _deprecate(model, after_name)
        except Exception as exc:  # noqa: BLE001 - a filter turning the warning into an error
            if fail is None:
                raise
            return fail(exc)

    def next_(done=None):
        if after:
            _call_hook(after, 'afterHook', fail, inst, done, ())
        elif done:
            done()

    if work is None:
        return next_()
    if not before:
        return work(next_)

    def proceed(*args):
        # juggler: if (arguments.length) return callback && callback.apply(null, arguments)
        if args:
            if callback:
                callback(*args)
            return
        work(next_)

    _call_hook(before, 'beforeHook', fail, inst, proceed, (data,))


#: the actions after whose work an embedded instance writes its owner
_PARENT_ACTIONS = frozenset(('save', 'destroy'))
_NO_DICT = {}


def _then_parent(work, parent, action):
    """juggler's wrapped ``inst.trigger`` of an embedded instance
    (prepareEmbeddedInstance): the work's ``next(done)`` first writes the
    owner (``inst.triggerParent(action, cb)``), then goes on; the owner
    write's error is ignored, as juggler ignores it."""
    def wrapped(next_):
        work(lambda done=None: parent(action, lambda *_: next_(done)))
    return wrapped


def _call_hook(hook, label, fail, inst, then, more):
    """``hook(inst, next, *more)`` fitted to what it declares, where ``next``
    is ``then`` (juggler passes an after hook's ``done`` as it is, even
    undefined); an exception before ``next`` was called goes to ``fail``."""
    called = [False]
    if then is None:
        step = None
    else:
        def step(*args):
            called[0] = True
            return then(*args) if label == 'beforeHook' else then()
    try:
        if not callable(hook):
            raise TypeError_('%s.call is not a function' % label)
        call_fitted(hook, inst, step, *more)
    except Exception as exc:  # noqa: BLE001 - a hook's error ends the operation
        if called[0] or fail is None:
            raise
        fail(exc)


def trigger_nested(inst, actions, data, work, callback, fail):
    """juggler's nested triggers of a write, outermost first::

        inst.trigger('create', function(createDone) {
          inst.trigger('save', function(saveDone) { ... work ... }, data, cb)
        }, data, cb)

    ``work(finish)``: ``finish(then)`` runs the after hooks, innermost first
    (``saveDone(() => createDone(then))``), then ``then()``.
    """
    dones = []

    def finish(then):
        chain = then
        for done in dones:   # outermost first: each wraps the chain so far
            chain = _bind(done, chain)
        chain()

    def step(index):
        if index == len(actions):
            return work(finish)

        def inner(done):
            dones.append(done)
            step(index + 1)
        trigger(inst, actions[index], inner, data, callback, fail)

    step(0)


def _bind(done, then):
    return lambda: done(then)


class Hookable:
    """The legacy hook slots of every model, None until a model sets them.

    # LoopBack: Hookable (mixed into ModelBaseClass): Hookable.afterInitialize = null...

    Declared here so that the look-ups on every write find None at once
    instead of failing through the MRO.
    """

    afterInitialize = postInitialize = None
    beforeValidate = preValidate = beforeValidation = None
    afterValidate = postValidate = afterValidation = None
    beforeSave = preSave = afterSave = postSave = None
    beforeCreate = preCreate = afterCreate = postCreate = None
    beforeUpdate = preUpdate = afterUpdate = postUpdate = None
    beforeDestroy = preDestroy = afterDestroy = postDestroy = None

    def trigger(self, actionName, work=None, data=None, callback=None):
        """Run the legacy hooks of ``actionName`` around ``work`` (deprecated in juggler).

        # LoopBack: inst.trigger(actionName, work, data, callback)

        ``work(inst, next)`` (``this`` first); ``next(done)`` runs the after
        hook, then ``done()``; ``callback(*args)`` receives what a before
        hook passed to its ``next``.  A hook's exception is raised.
        """
        if work is not None:
            user_work = work

            def work(next_):
                call_fitted(user_work, self, next_)
        trigger(self, actionName, work, data, callback)
