"""Operation hooks: ``Model.observe(name, fn(ctx, next))``.

# LoopBack: lib/observer.js (ObserverMixin) of loopback-datasource-juggler 3.x

Observers registered on a model run in registration order, after the
observers of its base models (juggler notifies the base chain first; here
the classes of the model's MRO, base-most first).
Each observer is called as ``fn(ctx, next)``; it continues the operation by
calling ``next()`` and aborts it with ``next(err)``.  It may instead return
a Promise (e.g. an ``@lb.async_`` function): fulfilment continues,
rejection aborts with the reason.  An exception raised by the observer
itself aborts the operation with that exception (juggler would let it
escape; here it goes to the operation's callback, never half-way out of a
DAO call).

The context is a :class:`HookContext`: fields are attributes (``ctx.instance``,
``ctx.where``, ``ctx.isNewInstance``...); a field the operation does not
set reads as None, as ``undefined`` would in JavaScript.  A plain dict given
as the context is the HookContext's storage (not a copy): what observers set
reaches the caller's dict, and the final callback gets that dict itself, as
juggler hands the caller's object through (the DAO reads the contexts its
callbacks get with ``ctx.get(name)``, which both answer).  An observer may
declare ``(ctx)`` alone, as in JavaScript (it then continues by returning a
promise).

``notifyObserversAround(operation, context, work, cb)`` runs 'before <op>'
observers, ``work([ctx,] done)``, then 'after <op>' observers (which see
``ctx.results`` and may replace them), and calls ``cb(err, *results)``; an
observer may end the whole call early with ``ctx.end(err, *results)``.

Connectors have the same methods, with observers of their own per connector
object (:class:`ConnectorObservers`; juggler mixes ObserverMixin into every
connector): 'before execute' / 'after execute' and the like.
"""

from .promise import _arity, _fit_args, callback_and_promise, is_thenable


class HookContext:
    """The ``ctx`` object passed to operation hooks.

    Attribute and item access are equivalent (``ctx.data`` / ``ctx['data']``);
    ``'where' in ctx`` tells whether the operation set that field.
    """

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return None

    def __getitem__(self, name):
        return self.__dict__.get(name)

    def __setitem__(self, name, value):
        self.__dict__[name] = value

    def __contains__(self, name):
        return name in self.__dict__

    def get(self, name, default=None):
        return self.__dict__.get(name, default)

    def keys(self):
        return self.__dict__.keys()

    def __repr__(self):
        return 'HookContext(%s)' % ', '.join(sorted(self.__dict__))


class ObserverMixin:
    """``observe`` / ``removeObserver`` / ``clearObservers`` / ``notifyObserversOf``.

    Each model class owns its ``_observers`` dict (set when the class is
    built), so observers of a subclass never leak into its base.
    """

    @classmethod
    def _own_observers(cls):
        if '_observers' not in cls.__dict__:
            cls._observers = {}
        return cls.__dict__['_observers']

    @classmethod
    def observe(cls, operation, listener):
        """Register ``listener(ctx, next)`` for ``operation``.

        # LoopBack: Model.observe('before save', function(ctx, next) {...})
        """
        cls._own_observers().setdefault(operation, []).append(listener)
        _changed()

    @classmethod
    def removeObserver(cls, operation, listener):
        listeners = cls._own_observers().get(operation)
        if listeners and listener in listeners:
            listeners.remove(listener)
            _changed()
            return [listener]
        return None

    @classmethod
    def clearObservers(cls, operation):
        listeners = cls._own_observers().get(operation)
        if listeners:
            del listeners[:]
            _changed()

    @classmethod
    def notifyObserversOf(cls, operation, context, callback=None):
        """Run the observers of ``operation`` in order; then ``callback(err, ctx)``.

        # LoopBack: Model.notifyObserversOf(operation, context, callback)

        ``operation`` may be a list of names, run one after the other.
        ``context`` may be a dict (the storage of the HookContext the
        observers get) or a HookContext; the callback gets the caller's
        own object, as juggler's (a plain dict: that dict, with what the
        observers set in it).  With no callback the call returns a Promise
        of it.  When there is no observer the callback is called
        synchronously, as in juggler (the DAO's own callback delivery is
        what keeps user callbacks asynchronous).
        """
        if callback is not None and type(context) is dict and type(operation) is str \
                and not observes(cls, operation):
            # The common case in the DAO: nobody observes, so the callback
            # gets its context at once, without the general path below.
            callback(None, context)
            return None
        return notify_of(cls, cls._observers_of, operation, context, callback)

    @classmethod
    def _observers_of(cls, operation):
        """The listeners of ``operation``, the base models' first, base-most first."""
        if not observes(cls, operation):
            return ()
        # the classes of the MRO (a model attached after it was defined has
        # PersistedModel among its bases besides its base model: both count,
        # as observes() says)
        listeners = []
        for klass in reversed(cls.__mro__):
            observers = klass.__dict__.get('_observers')
            if observers and observers.get(operation):
                listeners.extend(observers[operation])
        return listeners

    @classmethod
    def notifyObserversAround(cls, operation, context, fn, callback=None):
        """'before <operation>' observers, ``fn([ctx,] done)``, 'after
        <operation>' observers, then ``callback(err, *results)``.

        # LoopBack: Model.notifyObserversAround(operation, context, fn, callback)

        See :func:`notify_around`.  Without a callback, a Promise of the
        first result.
        """
        return notify_around(cls.notifyObserversOf, operation, context, fn, callback)


class ConnectorObservers:
    """juggler's ObserverMixin on a connector object: ``connector.observe(op,
    fn(ctx, next))``, ``removeObserver``, ``clearObservers``,
    ``notifyObserversOf``, ``notifyObserversAround``, each connector object
    with observers of its own (there is no base to notify first).

    # LoopBack: jutil.mixin(this.connector, ObserverMixin) in
    #           DataSource.prototype._setupConnector
    """

    def _connector_observers(self):
        observers = self.__dict__.get('_observers')
        if observers is None:
            observers = {}
            object.__setattr__(self, '_observers', observers)
        return observers

    def observe(self, operation, listener):
        """# LoopBack: connector.observe(operation, listener)"""
        self._connector_observers().setdefault(operation, []).append(listener)

    def removeObserver(self, operation, listener):
        """# LoopBack: connector.removeObserver(operation, listener)"""
        listeners = self._connector_observers().get(operation)
        if listeners and listener in listeners:
            listeners.remove(listener)
            return [listener]
        return None

    def clearObservers(self, operation):
        """# LoopBack: connector.clearObservers(operation)"""
        listeners = self._connector_observers().get(operation)
        if listeners:
            del listeners[:]

    def notifyObserversOf(self, operation, context, callback=None):
        """Run this connector's observers of ``operation``; ``callback(err, ctx)``
        with the caller's own context object, as the model's method does.

        # LoopBack: connector.notifyObserversOf(operation, context, callback)
        """
        observers = self._connector_observers()
        return notify_of(self, lambda op: list(observers.get(op) or ()), operation, context,
                         callback)

    def notifyObserversAround(self, operation, context, fn, callback=None):
        """# LoopBack: connector.notifyObserversAround(operation, context, fn, callback)"""
        return notify_around(self.notifyObserversOf, operation, context, fn, callback)


def notify_of(target, observers_of, operation, context, callback):
    """notifyObserversOf's body, for models and connectors alike: the
    listeners ``observers_of(operation)`` gives (each name of a list of
    operations in turn, on ``target``), then ``callback(err, ctx)`` with the
    caller's own context object; with no callback, a Promise of it."""
    promise = None
    if callback is None:
        callback, promise = callback_and_promise(None)
    handed = context
    context = as_context(context)
    if type(handed) is not dict:
        handed = context
    if isinstance(operation, (list, tuple)):
        _run_series(target, list(operation), context, callback, handed)
        return promise
    listeners = observers_of(operation)
    if listeners:
        _run_listeners(listeners, context, callback, handed)
    else:
        callback(None, handed)
    return promise


def as_context(context):
    """The HookContext for ``context``: a plain dict becomes the storage of a
    new one (changes reach the caller's dict); a HookContext stays itself."""
    if type(context) is dict:
        ctx = _new_context(HookContext)
        ctx.__dict__ = context
        return ctx
    if isinstance(context, dict):
        return HookContext(**context)
    if context is None:
        return HookContext()
    return context


def notify_around(notify, operation, context, fn, callback=None):
    """juggler's notifyObserversAround over ``notify`` (a notifyObserversOf).

    # LoopBack: ObserverMixin.notifyObserversAround (lib/observer.js)

    ``ctx.end`` is ``callback`` unless the context has an ``end`` already:
    an observer calling ``ctx.end(err, *results)`` finishes the call (the
    other observers and ``fn`` are skipped).  ``fn`` declaring one
    parameter is called ``fn(done)``, else ``fn(ctx, done)``; ``done(err,
    *results)`` sets ``ctx.results``, which the 'after' observers may
    replace (a list); ``callback(err, *results)`` gets them.  An error
    from ``fn`` or an observer goes to ``callback``.
    """
    promise = None
    if callback is None:
        settle, promise = callback_and_promise(None)
        callback = lambda err=None, *results: settle(err, *results[:1])  # noqa: E731
    context = as_context(context)
    if 'end' not in context:
        context.end = callback
    finish = _fitted(callback)

    def work_done(err=None, *results):
        if err is not None:
            return finish(err, *results)
        context.results = list(results)

        def after(err=None, ctx=None):
            if err is not None:
                return finish(err, ctx)
            final = ctx.results if ctx is not None and isinstance(ctx.results, list) \
                else results
            finish(None, *final)
        notify('after ' + operation, context, after)

    def before(err=None, ctx=None):
        if err is not None:
            return finish(err)
        fit = _arity(fn)
        if fit is not None and fit[1] == 1:
            fn(work_done)
        else:
            fn(context, work_done)

    notify('before ' + operation, context, before)
    return promise


def _fitted(fn):
    """``fn`` called as JavaScript calls a function: extra arguments dropped,
    missing ones None."""
    fit = _arity(fn)
    if fit is None:
        return fn
    return lambda *args: fn(*_fit_args(args, fit))


_new_context = object.__new__

# (model, operation) -> whether it is observed; emptied whenever any model's
# observers change (a base class's observers count for its subclasses).
_answers = {}


def _changed():
    _answers.clear()


def observes(model, operation):
    """Whether ``model`` or a base class observes ``operation`` (cached).

    ``operation`` may also be a frozenset of names (its hash is computed
    once, a tuple's on every call): whether any of them is observed.  The
    DAO asks before building hook contexts: an operation nobody observes
    skips its notifications altogether.
    """
    key = (model, operation)
    answer = _answers.get(key)
    if answer is None:
        if type(operation) is not str:
            answer = any(_walk_observers(model, op) for op in operation)
        else:
            answer = _walk_observers(model, operation)
        if len(_answers) >= 4096:
            _answers.clear()    # models made on the fly (tests) must not pile up
        _answers[key] = answer
    return answer


def _walk_observers(model, operation):
    for klass in model.__mro__:
        observers = klass.__dict__.get('_observers')
        if observers and observers.get(operation):
            return True
    return False


_SYNC = object()
_ASYNC = object()


def _run_series(model, operations, context, callback, handed):
    """juggler's waterfall over ``operations``: ``callback(err, handed)`` at the end."""
    def step(index, err=None):
        if err is not None or index == len(operations):
            return callback(err, handed)
        model.notifyObserversOf(operations[index], context,
                                lambda e=None, *_: step(index + 1, e))
    step(0)


def _run_listeners(listeners, context, callback, handed):
    """Call each listener with (ctx, next), one after the other; then
    ``callback(err, handed)`` (``handed``: the caller's own context object)."""
    state = {'index': 0}

    def run_next():
        while True:
            if state['index'] >= len(listeners):
                return callback(None, handed)
            fn = listeners[state['index']]
            state['index'] += 1
            outcome = _call_listener(fn, context)
            if outcome is _ASYNC:
                return
            if outcome is not _SYNC:
                return callback(outcome, handed)
            # next() was called synchronously: keep looping (no deep recursion)

    def _call_listener(fn, ctx):
        sync = {'done': False, 'err': None, 'inside': True, 'called': False}

        def next_(err=None, *_):
            if sync['called']:
                return
            sync['called'] = True
            if sync['inside']:
                sync['done'] = True
                sync['err'] = err
                return
            if err is not None:
                return callback(err, handed)
            run_next()

        def on_reject(reason):
            next_(reason)

        try:
            fit = _arity(fn)
            if fit is not None and fit[1] < 2:
                # declared (ctx) or (): called as JavaScript would, extra arguments dropped
                retval = fn(*(ctx, next_)[:fit[1]])
            else:
                retval = fn(ctx, next_)
        except Exception as exc:  # a throwing hook aborts the operation
            sync['inside'] = False
            if sync['called']:
                raise
            sync['called'] = True
            return exc
        sync['inside'] = False
        if not sync['called'] and is_thenable(retval):
            retval.then(lambda _v=None: next_(), on_reject)
        if sync['done']:
            return sync['err'] if sync['err'] is not None else _SYNC
        return _ASYNC

    run_next()
