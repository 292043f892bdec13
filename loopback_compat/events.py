"""Node's EventEmitter, for data sources and model classes.

# LoopBack: util.inherits(DataSource, EventEmitter) in lib/datasource.js, and
#           the EventEmitter functions lib/model-builder.js binds onto every
#           model class (``Model.on('dataSourceAttached', fn)``)

:class:`EventEmitter` is Node's, for instances (``ds.on('connected', fn)``);
model classes get the same methods from model_builder.py's ``ModelEvents``,
over :func:`add_listener`, :func:`remove_listener` and :func:`emit_event`.
Listeners are called in registration order, synchronously, with the
arguments given to ``emit``; as with any user function LoopBack calls, a
listener may declare fewer parameters than are passed (the extra ones are
dropped) or more (they are None).

Unlike Node, emitting ``'error'`` with no listener does not raise: juggler
emits it for a failed connection, and Node would crash the process.
"""

from .promise import _arity, _fit_args

__all__ = ['EventEmitter', 'add_listener', 'call_fitted', 'emit_event', 'remove_listener',
           'listeners_of']


def call_fitted(fn, *args):
    """``fn(*args)``, the arguments fitted to what ``fn`` declares (as
    JavaScript calls a function: extra arguments dropped, missing ones None)."""
    fit = _arity(fn)
    if fit is not None:
        args = _fit_args(args, fit)
    return fn(*args)


class _Once:
    """A listener registered with ``once``: removes itself before the call."""

    __slots__ = ('listener', 'events', 'event')

    def __init__(self, listener, events, event):
        self.listener = listener
        self.events = events
        self.event = event

    def __call__(self, *args):
        listeners = self.events.get(self.event)
        if listeners and self in listeners:
            listeners.remove(self)
        return call_fitted(self.listener, *args)


def add_listener(events, event, listener, once=False, prepend=False):
    """Register ``listener`` for ``event`` in ``events`` (a dict event -> list)."""
    if not callable(listener):
        from .errors import TypeError_
        raise TypeError_('The "listener" argument must be of type function',
                         code='ERR_INVALID_ARG_TYPE')
    entry = _Once(listener, events, event) if once else listener
    listeners = events.setdefault(event, [])
    if prepend:
        listeners.insert(0, entry)
    else:
        listeners.append(entry)


def remove_listener(events, event, listener):
    """Remove ``listener`` (its last registration) from ``event``."""
    listeners = events.get(event)
    if not listeners:
        return
    for i in range(len(listeners) - 1, -1, -1):
        entry = listeners[i]
        if entry is listener or isinstance(entry, _Once) and entry.listener is listener:
            del listeners[i]
            return


def emit_event(events, event, *args):
    """Call the listeners of ``event`` in ``events`` (a dict event -> list);
    True when there was at least one."""
    listeners = events.get(event) if events else None
    if not listeners:
        return False
    for listener in list(listeners):
        if isinstance(listener, _Once):
            listener(*args)
        else:
            call_fitted(listener, *args)
    return True


def listeners_of(listeners):
    """The functions of a listener list (``once`` wrappers unwrapped)."""
    return [entry.listener if isinstance(entry, _Once) else entry for entry in listeners]


class EventEmitter:
    """Node's EventEmitter (the parts LoopBack code uses)."""

    def _event_map(self):
        events = self.__dict__.get('_events')
        if events is None:
            events = self.__dict__['_events'] = {}
        return events

    def on(self, event, listener):
        add_listener(self._event_map(), event, listener)
        return self

    addListener = on

    def prependListener(self, event, listener):
        add_listener(self._event_map(), event, listener, prepend=True)
        return self

    def once(self, event, listener):
        add_listener(self._event_map(), event, listener, once=True)
        return self

    def removeListener(self, event, listener):
        remove_listener(self._event_map(), event, listener)
        return self

    off = removeListener

    def removeAllListeners(self, event=None):
        if event is None:
            self._event_map().clear()
        else:
            self._event_map().pop(event, None)
        return self

    def emit(self, event, *args):
        return emit_event(self.__dict__.get('_events'), event, *args)

    def listeners(self, event):
        return listeners_of(self._event_map().get(event, ()))

    def listenerCount(self, event):
        return len(self._event_map().get(event, ()))

    def eventNames(self):
        return [name for name, listeners in self._event_map().items() if listeners]

    def setMaxListeners(self, n):
        self.__dict__['_max_listeners'] = n
        return self

    def getMaxListeners(self):
        return self.__dict__.get('_max_listeners', 10)
