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
set reads as None, as ``undefined`` would in JavaScript.
"""

from .promise import is_thenable


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

        ``operation`` may be a list of names, run one after the other.
        ``context`` may be a dict or a HookContext.  With no callback the
        call returns a Promise of the context.  When there is no observer
        the callback is called synchronously, as in juggler (the DAO's own
        callback delivery is what keeps user callbacks asynchronous).
        """
        if callback is not None and type(context) is dict and type(operation) is str \
                and not observes(cls, operation):
            # The common case in the DAO: nobody observes, so the callback
            # gets its context at once, without the general path below.
            ctx = _new_context(HookContext)
            ctx.__dict__.update(context)
            callback(None, ctx)
            return None
        promise = None
        if callback is None:
            from .promise import callback_and_promise
            callback, promise = callback_and_promise(None)
        if type(context) is dict:
            fields, context = context, _new_context(HookContext)
            context.__dict__.update(fields)
        elif isinstance(context, dict):
            context = HookContext(**context)
        if isinstance(operation, (list, tuple)):
            _run_series(cls, list(operation), context, callback)
            return promise
        if not observes(cls, operation):
            callback(None, context)
            return promise
        # the base models' observers first, base-most first: the classes of
        # the MRO (a model attached after it was defined has PersistedModel
        # among its bases besides its base model: both count, as observes() says)
        listeners = []
        for klass in reversed(cls.__mro__):
            observers = klass.__dict__.get('_observers')
            if observers and observers.get(operation):
                listeners.extend(observers[operation])
        _run_listeners(listeners, context, callback)
        return promise


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


def _run_series(model, operations, context, callback):
    def step(index, err=None):
        if err is not None or index == len(operations):
            return callback(err, context)
        model.notifyObserversOf(operations[index], context,
                                lambda e=None, *_: step(index + 1, e))
    step(0)


def _run_listeners(listeners, context, callback):
    """Call each listener with (ctx, next), one after the other."""
    state = {'index': 0}

    def run_next():
        while True:
            if state['index'] >= len(listeners):
                return callback(None, context)
            fn = listeners[state['index']]
            state['index'] += 1
            outcome = _call_listener(fn, context)
            if outcome is _ASYNC:
                return
            if outcome is not _SYNC:
                return callback(outcome, context)
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
                return callback(err, context)
            run_next()

        def on_reject(reason):
            next_(reason)

        try:
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
