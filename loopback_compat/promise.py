"""Promises/A+ on the loop's microtask queue, and the callback-or-promise helper.

``Promise`` behaves as JavaScript's: it settles once; ``then`` handlers always
run asynchronously (as microtasks, after the nextTick queue); a handler's
return value resolves the derived promise, adopting promises and thenables;
an exception in a handler rejects it.  A promise rejected with no handler by
the end of a microtask drain is an unhandled rejection, which stops the loop
(Node >= 15).

Python spellings: ``finally`` is a keyword, so it is ``finally_``; ``catch``
is not, so it stays ``catch``.  A rejection reason is normally an exception;
``await_`` raises a non-exception reason wrapped in :class:`RejectedValue`.
"""

from functools import partial
from types import FunctionType

from .errors import AggregateError, AssertionError_, CallbackCalledTwice, TypeError_
from .errors import RejectedValue  # noqa: F401 - its old home: fibers and users import it from here
from .loop import get_loop

PENDING = 'pending'
FULFILLED = 'fulfilled'
REJECTED = 'rejected'

# Values that can never be thenables: resolved without looking for ``then``.
# Exact types only: a dict subclass may well define ``then``.
_PLAIN = frozenset([str, int, float, bool, dict, list, tuple, bytes, type(None)])


def is_thenable(value):
    """True for a Promise or any object with a callable ``then`` (JS thenable)."""
    if isinstance(value, Promise):
        return True
    then = getattr(value, 'then', None)
    return callable(then)


class Promise:
    """# JS: new Promise((resolve, reject) => ...)

    ``Promise(executor)`` calls ``executor(resolve, reject)`` synchronously; an
    exception from the executor rejects the promise.  ``Promise()`` with no
    executor makes a pending promise settled through ``_resolve``/``_reject``
    (used internally by the callback helper).
    """

    __slots__ = ('_state', '_value', '_reactions', '_handled', '_loop', '__weakref__')

    def __init__(self, executor=None):
        self._state = PENDING
        self._value = None
        self._reactions = None
        self._handled = False
        self._loop = get_loop()
        if executor is not None:
            if not callable(executor):
                raise TypeError_('Promise resolver %s is not a function' % (executor,))
            resolve, reject = self._resolving_functions()
            try:
                executor(resolve, reject)
            except Exception as exc:
                reject(exc)

    # -- settling ------------------------------------------------------------

    def _resolving_functions(self):
        """A resolve/reject pair of which only the first call counts."""
        done = [False]

        def resolve(value=None):
            if not done[0]:
                done[0] = True
                self._resolve(value)

        def reject(reason=None):
            if not done[0]:
                done[0] = True
                self._reject(reason)

        return resolve, reject

    def _resolve(self, value):
        if self._state is not PENDING:
            return
        if type(value) in _PLAIN:
            self._fulfill(value)
        elif value is self:
            self._reject(TypeError_('Chaining cycle detected for promise #<Promise>'))
        elif isinstance(value, Promise):
            # JS adopts in a job that calls value.then(): two extra microtask
            # hops before this promise settles, which ordering can observe.
            value._handled = True
            self._loop._microtasks.append((value._subscribe, (self._fulfill, self._reject)))
        else:
            try:
                then = value.then
            except AttributeError:
                then = None
            except Exception as exc:  # a throwing ``then`` getter rejects (A+ 2.3.3.2)
                self._reject(exc)
                return
            if callable(then):
                self._loop._microtasks.append((self._adopt_thenable, (value, then)))
            else:
                self._fulfill(value)

    def _adopt_thenable(self, thenable, then):
        resolve, reject = self._resolving_functions()
        try:
            then(resolve, reject)
        except Exception as exc:
            reject(exc)

    def _fulfill(self, value):
        if self._state is not PENDING:
            return
        self._state = FULFILLED
        self._value = value
        self._flush()

    def _reject(self, reason):
        if self._state is not PENDING:
            return
        self._state = REJECTED
        self._value = reason
        if not self._handled:
            self._loop._rejections.append(self)
        self._flush()

    def _flush(self):
        reactions = self._reactions
        if reactions is not None:
            self._reactions = None
            append = self._loop._microtasks.append
            react = self._react
            for reaction in reactions:
                append((react, (reaction,)))

    def _react(self, reaction):
        """One microtask: run a reaction ``(child, on_ok, on_err)``.

        With a ``child`` (from ``then``) the handler's outcome settles it and a
        missing handler passes the outcome through; without one (from
        ``_subscribe``) the handler is called bare.
        """
        child, on_ok, on_err = reaction
        value = self._value
        handler = on_ok if self._state is FULFILLED else on_err
        if child is None:
            handler(value)
        elif handler is None:
            if self._state is FULFILLED:
                child._resolve(value)
            else:
                child._reject(value)
        else:
            try:
                result = handler(value)
            except Exception as exc:
                child._reject(exc)
            else:
                child._resolve(result)

    def _add_reaction(self, reaction):
        self._handled = True
        if self._state is PENDING:
            if self._reactions is None:
                self._reactions = [reaction]
            else:
                self._reactions.append(reaction)
        else:
            self._loop._microtasks.append((self._react, (reaction,)))

    def _subscribe(self, on_ok, on_err):
        """Run ``on_ok(value)`` or ``on_err(reason)`` as a microtask once settled.

        The bare mechanism under ``then``: no derived promise, no exception
        handling (callers pass functions that do not raise).
        """
        state = self._state
        if state is PENDING:
            self._add_reaction((None, on_ok, on_err))
        else:
            # Settled: the outcome is fixed, so queue the handler itself (the
            # same microtask slot a reaction would take; await_'s hot path).
            self._handled = True
            self._loop._microtasks.append(
                (on_ok if state is FULFILLED else on_err, (self._value,)))

    # -- public API ----------------------------------------------------------

    def then(self, on_fulfilled=None, on_rejected=None):
        """# JS: promise.then(onFulfilled, onRejected) -> new Promise

        A handler that is not callable is ignored (the outcome passes through).
        """
        child = Promise.__new__(Promise)
        child._state = PENDING
        child._value = None
        child._reactions = None
        child._handled = False
        child._loop = self._loop
        self._add_reaction((
            child,
            on_fulfilled if callable(on_fulfilled) else None,
            on_rejected if callable(on_rejected) else None))
        return child

    def catch(self, on_rejected):
        """# JS: promise.catch(onRejected)"""
        return self.then(None, on_rejected)

    def finally_(self, on_finally):
        """# JS: promise.finally(fn): fn() runs either way; the outcome passes through
        unless fn throws or returns a rejected promise.  A non-callable fn is
        ignored, as in JS."""
        if not callable(on_finally):
            return self.then(on_finally, on_finally)

        def ok(value):
            return Promise.resolve(on_finally()).then(lambda _: value)

        def err(reason):
            return Promise.resolve(on_finally()).then(lambda _: Promise.reject(reason))

        return self.then(ok, err)

    @property
    def state(self):
        """'pending', 'fulfilled' or 'rejected' (for tests and debugging)."""
        return self._state

    @property
    def value(self):
        """The fulfilment value or rejection reason once settled (None while pending)."""
        return self._value

    def __repr__(self):
        if self._state is PENDING:
            return 'Promise { <pending> }'
        if self._state is FULFILLED:
            return 'Promise { %r }' % (self._value,)
        return 'Promise { <rejected> %r }' % (self._value,)

    # -- statics -------------------------------------------------------------

    @staticmethod
    def resolve(value=None):
        """# JS: Promise.resolve(value) (a Promise is returned as it is)"""
        if isinstance(value, Promise):
            return value
        promise = Promise()
        promise._resolve(value)
        return promise

    @staticmethod
    def reject(reason=None):
        """# JS: Promise.reject(reason)"""
        promise = Promise()
        promise._reject(reason)
        return promise

    @staticmethod
    def all(iterable):
        """# JS: Promise.all(iterable) -> list of values, or the first rejection"""
        return _combine(iterable, _AllCollector)

    @staticmethod
    def allSettled(iterable):
        """# JS: Promise.allSettled -> [{'status': 'fulfilled', 'value': v} |
        {'status': 'rejected', 'reason': r}]"""
        return _combine(iterable, _AllSettledCollector)

    @staticmethod
    def any(iterable):
        """# JS: Promise.any -> first fulfilment, or AggregateError of all rejections"""
        return _combine(iterable, _AnyCollector)

    @staticmethod
    def race(iterable):
        """# JS: Promise.race -> settles like the first of them to settle"""
        items = _listed(iterable)
        if not isinstance(items, list):
            return items
        result = Promise()
        for item in items:
            Promise.resolve(item)._subscribe(result._fulfill_or_adopt, result._reject)
        return result

    def _fulfill_or_adopt(self, value):
        self._resolve(value)


def _listed(iterable):
    """The items as a list, or (as JS) a rejected promise if they cannot be iterated."""
    try:
        return list(iterable)
    except Exception as exc:
        return Promise.reject(exc)


def _combine(iterable, collector_class):
    items = _listed(iterable)
    if not isinstance(items, list):
        return items
    result = Promise()
    collector = collector_class(result, len(items))
    if not items:
        collector.empty()
    for index, item in enumerate(items):
        Promise.resolve(item)._subscribe(
            lambda v, i=index: collector.fulfilled(i, v),
            lambda r, i=index: collector.rejected(i, r))
    return result


class _AllCollector:
    def __init__(self, result, count):
        self.result = result
        self.values = [None] * count
        self.left = count

    def empty(self):
        self.result._resolve([])

    def fulfilled(self, index, value):
        self.values[index] = value
        self.left -= 1
        if self.left == 0:
            self.result._resolve(self.values)

    def rejected(self, index, reason):
        self.result._reject(reason)


class _AllSettledCollector(_AllCollector):
    def fulfilled(self, index, value):
        self._record(index, {'status': FULFILLED, 'value': value})

    def rejected(self, index, reason):
        self._record(index, {'status': REJECTED, 'reason': reason})

    def _record(self, index, outcome):
        _AllCollector.fulfilled(self, index, outcome)


class _AnyCollector(_AllCollector):
    def empty(self):
        self.result._reject(AggregateError([]))

    def fulfilled(self, index, value):
        self.result._resolve(value)

    def rejected(self, index, reason):
        self.values[index] = reason
        self.left -= 1
        if self.left == 0:
            self.result._reject(AggregateError(self.values))


# -- the callback-or-promise helper ------------------------------------------------

def callback_and_promise(cb):
    """Support both of LoopBack's call styles in one asynchronous API method.

    # LoopBack: cb = cb || utils.createPromiseCallback(); ...; return cb.promise;

    Returns ``(done, promise)``.  The API calls ``done(err)`` or
    ``done(None, result, *more)`` exactly once, at any moment (even before it
    returns), and returns ``promise`` to its caller.

    * With no user callback (``cb is None``), ``promise`` is a new Promise that
      ``done`` rejects with ``err`` or resolves with ``result`` (the first
      result only, as juggler's promise callback).
    * With a user callback, ``promise`` is None and ``done`` delivers
      ``cb(err, result, *more)`` on the next tick, never synchronously, and
      directly from the loop, so an exception raised by ``cb`` is an uncaught
      exception of the loop (it is not swallowed by the code that called
      ``done``, nor fed back to ``cb``).
    * As in JavaScript, ``cb`` may declare fewer parameters than are passed
      (extra results are dropped) or more (the missing ones are None).
    * A second call of ``done`` is not delivered: it raises
      :class:`CallbackCalledTwice` in the code that made it.

    A ``cb`` that is neither None nor callable raises an AssertionError_ at
    once, with juggler's message ('The cb argument must be a function').
    """
    if cb is None:
        return _promise_settler()
    if not callable(cb):
        # juggler: assert(typeof cb === 'function', 'The cb argument must be a function')
        raise AssertionError_('The cb argument must be a function', code='ERR_ASSERTION')
    return callback_done(cb), None


def callback_done(cb):
    """callback_and_promise's ``done`` for a ``cb`` known to be callable (for
    callers that told it apart already)."""
    # a partial, not a closure: cheaper to make, and every API call makes one
    return partial(_deliver, cb, _arity(cb), get_loop()._ticks, [False])


def _deliver(cb, fit, ticks, called, err=None, *results):
    """callback_and_promise's ``done`` with a callback: queue ``cb(err, *results)``
    (fitted to its arity) as the loop's next tick; ``called``: [once yet]."""
    if called[0]:
        raise _called_twice()
    called[0] = True
    args = (err,) + results
    if fit is not None:
        args = _fit_args(args, fit)
    ticks.append((cb, args))


def _promise_settler():
    """callback_and_promise without a callback: ``(settle, promise)``.  (Its
    own function, so the callback path makes no cells for these names.)"""
    promise = Promise()
    settled = [False]

    def settle(err=None, result=None, *more):
        if settled[0]:
            raise _called_twice()
        settled[0] = True
        if err is not None:
            promise._reject(err)
        else:
            promise._resolve(result)

    return settle, promise


def _arity(fn):
    """``(required, accepted)`` positional counts of a plain callable, else None.

    JavaScript ignores extra arguments and leaves missing ones undefined, so
    ``function(err) {...}`` ports to ``lambda err: ...`` even where the API
    calls back with ``(err, result)``, and ``function(err, result)`` still
    works where it calls back with ``(err)`` alone.  Callables whose signature
    cannot be read cheaply (builtins, partials), or that take ``*args``, get
    the arguments as they are.
    """
    kind = type(fn)
    if kind is FunctionType:   # the usual lambda: no attribute lookups that miss
        func, skip = fn, 0
    elif kind is partial:
        return None
    else:
        func = getattr(fn, '__func__', None)
        skip = 1 if func is not None else 0  # a bound method already has self
        func = func if func is not None else fn
    code = getattr(func, '__code__', None)
    if code is None or code.co_flags & 0x04:  # CO_VARARGS
        return None
    defaults = getattr(func, '__defaults__', None)
    key = (code, skip, len(defaults) if defaults else 0)
    fit = _ARITIES.get(key)
    if fit is None:
        accepted = code.co_argcount - skip
        fit = (max(0, accepted - key[2]), accepted)
        if len(_ARITIES) >= 4096:
            _ARITIES.clear()    # code made on the fly (exec) must not pile up
        _ARITIES[key] = fit
    return fit


# (code object, bound, number of defaults) -> (required, accepted): callbacks
# are usually lambdas written once in the source and made anew on every call.
_ARITIES = {}


def _fit_args(args, fit):
    required, accepted = fit
    if len(args) > accepted:
        return args[:accepted]
    if len(args) < required:
        return args + (None,) * (required - len(args))
    return args


def _called_twice():
    return CallbackCalledTwice(
        'Callback was already called: a completion callback was invoked twice; '
        'the second call was not delivered. Call it exactly once per operation.')
