"""An invocation waiting for its data source to connect.

# LoopBack: DataSource.prototype.ready / queueInvocation (lib/datasource.js),
#           what juggler's DAO methods call first (stillConnecting in lib/dao.js)

``queue_invocation(ds, fn, args)`` runs ``fn(*args)`` once ``ds`` emits
'connected' (and starts the connection unless one is under way).  The last
of ``args`` is ``fn``'s error-first callback: it gets the connection's error
instead (on the next tick), or ``Timeout in connecting after <n> ms`` when
``ds`` is not connected within ``settings['connectionTimeout']`` ms (default
5000; the data source then stops waiting: ``connecting`` is False).  An
exception ``fn`` raises once connected goes to that callback too.
"""

from .errors import LoopBackError
from .loop import clearTimeout, nextTick, setTimeout

__all__ = ['queue_invocation']


def queue_invocation(ds, fn, args):
    """Run ``fn(*args)`` once ``ds`` is connected (see the module docstring); True."""
    cb = args[-1] if args and callable(args[-1]) else None
    timeout = ds.settings.get('connectionTimeout') or 5000
    state = {'timer': None}

    def settle(err=None):
        ds.removeListener('connected', on_connected)
        ds.removeListener('error', on_error)
        if state['timer'] is not None:
            clearTimeout(state['timer'])
        if err is not None:
            if cb is not None:
                cb(err)
            return
        try:
            fn(*args)
        except Exception as exc:  # noqa: BLE001 - juggler reports it through the callback
            if cb is None:
                raise
            nextTick(cb, exc)

    def on_connected(*_):
        settle()

    def on_error(err=None, *_):
        nextTick(settle, err)

    def on_timeout():
        state['timer'] = None
        ds.connecting = False
        settle(LoopBackError('Timeout in connecting after %s ms' % timeout))

    ds.once('connected', on_connected)
    ds.once('error', on_error)
    state['timer'] = setTimeout(on_timeout, timeout)
    if not ds.connecting:
        ds.connect(_ignore)     # the outcome reaches the listeners above
    return True


def _ignore(*_):
    """A callback that needs nothing done."""
