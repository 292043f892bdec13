"""Transactions of the SQL connectors, as LoopBack 3 has them.

# LoopBack: loopback-connector's lib/transaction.js (Transaction.begin,
#           tx.commit, tx.rollback) and juggler's TransactionMixin

    tx = lb.await_(Model.beginTransaction({'isolationLevel': 'READ COMMITTED',
                                           'timeout': 30000}))
    lb.await_(Model.create(data, {'transaction': tx}))
    lb.await_(tx.commit())          # or tx.rollback(); both also take a callback

A connector that supports transactions (capability 'transactions', see
base.py) implements ``beginTransaction(isolationLevel, cb(err, connection))``,
``commit(connection, cb)`` and ``rollback(connection, cb)``, and runs every
operation whose options carry ``{'transaction': tx}`` on ``tx.connection``.
"""

import uuid

from ..errors import AssertionError_, LoopBackError
from ..loop import get_loop
from ..promise import callback_and_promise

class Transaction:
    """A database transaction bound to one connection.

    # LoopBack: loopback-connector Transaction (tx.commit(cb), tx.rollback(cb),
    #           tx.isActive(), options {transaction: tx}, timeout)

    Pass ``{'transaction': tx}`` in a DAO call's options to run it inside.
    ``commit``/``rollback`` take an optional callback and return a Promise
    without one.  With ``timeout`` (ms) the transaction rolls back by itself
    when it is still open then (observers of 'timeout' run first, as juggler).
    """

    SERIALIZABLE = 'SERIALIZABLE'
    REPEATABLE_READ = 'REPEATABLE READ'
    READ_COMMITTED = 'READ COMMITTED'
    READ_UNCOMMITTED = 'READ UNCOMMITTED'

    def __init__(self, connector, connection):
        self.connector = connector
        self.connection = connection
        self.id = str(uuid.uuid1())
        self.timeout = None
        self._observers = {}

    def isActive(self):
        return self.connection is not None

    def observe(self, operation, listener):
        self._observers.setdefault(operation, []).append(listener)

    def _notify(self, operation, done):
        listeners = list(self._observers.get(operation, ()))
        context = _TxContext(transaction=self, operation=operation)

        def step(i, err=None):
            if err is not None or i >= len(listeners):
                return done(err)
            result = listeners[i](context, lambda e=None: step(i + 1, e))
            if result is not None and hasattr(result, 'then'):
                result.then(lambda _=None: step(i + 1), lambda e: step(i + 1, e))
        step(0)

    def _finish(self, verb, cb):
        cb, promise = callback_and_promise(cb)
        if self.timeout is not None:
            get_loop().clearTimeout(self.timeout)
            self.timeout = None

        def ended(err=None, *_):
            self._notify('after ' + verb, lambda _err=None: cb(err))

        def start(err=None):
            if err is not None:
                return cb(err)
            if self.connection is None:
                return cb(LoopBackError('Transaction is not active'))
            conn, self.connection = self.connection, None
            getattr(self.connector, verb)(conn, ended)
        self._notify('before ' + verb, start)
        return promise

    def commit(self, cb=None):
        return self._finish('commit', cb)

    def rollback(self, cb=None):
        return self._finish('rollback', cb)

    def toJSON(self):
        return self.id

    def __repr__(self):
        return '<Transaction %s%s>' % (self.id, '' if self.isActive() else ' (ended)')


class _TxContext(dict):
    """The ``ctx`` of transaction observers: ``ctx.transaction`` or ``ctx['transaction']``."""

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return self.get(name)


_LEVELS = (Transaction.SERIALIZABLE, Transaction.REPEATABLE_READ,
           Transaction.READ_COMMITTED, Transaction.READ_UNCOMMITTED)


def begin_transaction(connector, options=None, cb=None, **kwargs):
    """Start a transaction on ``connector``: ``cb(err, tx)`` or a Promise.

    # LoopBack: loopback-connector's Transaction.begin(connector, options, cb),
    #           which juggler's Model.beginTransaction calls
    ``options`` is an isolation level string or a dict with ``isolationLevel``
    (default READ COMMITTED) and ``timeout`` (ms).  An unknown isolation
    level, or a connector without ``beginTransaction`` (memory), is juggler's
    assertion error ('Invalid isolationLevel' / 'beginTransaction must be
    function implemented by the connector'), delivered through the callback
    (juggler throws it synchronously).
    """
    if callable(options) and cb is None:
        options, cb = None, options
    if isinstance(options, str):
        options = {'isolationLevel': options}
    options = dict(options or {}, **kwargs)
    cb, promise = callback_and_promise(cb)
    level = options.get('isolationLevel') or Transaction.READ_COMMITTED
    if level not in _LEVELS:
        cb(AssertionError_('Invalid isolationLevel', code='ERR_ASSERTION'))
        return promise
    if connector is None or 'transactions' not in connector.capabilities:
        cb(AssertionError_('beginTransaction must be function implemented by the connector',
                           code='ERR_ASSERTION'))
        return promise

    def begun(err, connection=None):
        if err is not None:
            return cb(err)
        tx = Transaction(connector, connection)
        timeout = options.get('timeout')
        if timeout:
            def expire():
                tx.timeout = None
                if not tx.isActive():
                    return

                def after(err=None):
                    if err is None and tx.isActive():
                        tx.rollback(lambda *_: None)
                tx._notify('timeout', after)
            tx.timeout = get_loop().setTimeout(expire, timeout)
        cb(None, tx)
    connector.beginTransaction(level, begun)
    return promise
