"""The PostgreSQL connector's connections: its pool, sessions and faults.

# LoopBack: none (loopback-connector-postgresql uses node-postgres's pg.Pool)

:class:`PgPool` lends connections to one operation at a time (psycopg 3,
autocommit) and checks an idle one by polling its socket, no round trip;
:class:`PgSession` runs statements on a borrowed connection and records what
reached the server, which decides what a broken connection means for the
operation (see "Faults" in postgresql.py); the watchdog shuts down the socket
of a statement past its ``queryTimeout``.  The errors an operation fails
with when the database is gone are made here: ``DB_UNAVAILABLE`` (nothing
applied), ``WRITE_OUTCOME_UNKNOWN`` (a write sent, its answer lost) and
``QUERY_TIMEOUT``, all 503 with the driver's error as ``err.cause``; a
statement's own error (:func:`statement_error`) is never one of them.
psycopg is imported on first use (:func:`_driver`).
"""

import itertools
import os
import select
import socket
import threading
import time

from ...errors import LoopBackError

_psycopg = {}
_monotonic = time.monotonic
_HAS_POLL = hasattr(select, 'poll')


def _driver():
    """psycopg and helpers, imported on first use."""
    if not _psycopg:
        try:
            import psycopg
            from psycopg.types.json import Jsonb
        except ImportError as exc:  # pragma: no cover - depends on the machine
            raise LoopBackError('The postgresql connector needs psycopg 3: '
                                'pip install "psycopg[binary]" (%s)' % exc)
        _psycopg.update(psycopg=psycopg, Jsonb=Jsonb)
    return _psycopg


# -- faults --------------------------------------------------------------------------------

def db_unavailable(message, cause=None):
    """Nothing was applied (nothing sent, or a transaction the server rolled back)."""
    return _fault(message, 'DB_UNAVAILABLE', cause)


def write_outcome_unknown(message, cause=None):
    """The write was sent and its answer lost: it may or may not have been applied."""
    return _fault(message, 'WRITE_OUTCOME_UNKNOWN', cause)


def query_timeout(message, cause=None):
    return _fault(message, 'QUERY_TIMEOUT', cause)


def _fault(message, code, cause):
    if cause is not None:
        text = str(cause).strip().splitlines()
        if text:
            message = '%s (%s)' % (message, text[0])
    err = LoopBackError(message, statusCode=503, code=code, cause=cause)
    err.__cause__ = cause
    return err


def _lost_while_idle(conn):
    """True when the server has closed ``conn`` (or it is closed here).

    An idle connection has nothing to read: readable means the server spoke
    first, which in practice is its FATAL goodbye (pg_terminate_backend,
    shutdown) followed by the end of the stream.  No round trip.
    """
    if conn.closed or getattr(conn, 'broken', False):
        return True
    pgconn = conn.pgconn
    try:
        fd = pgconn.socket
        if _HAS_POLL:
            poller = select.poll()
            poller.register(fd, select.POLLIN | select.POLLERR | select.POLLHUP)
            if not poller.poll(0):
                return False
        elif not select.select([fd], [], [], 0)[0]:
            return False
        pgconn.consume_input()
    except Exception:
        return True
    return pgconn.status != 0   # not CONNECTION_OK


def _connection_lost(conn, err):
    """Did ``err`` come from ``conn`` breaking (rather than from the statement)?

    A statement the server refused (a syntax error, a bad value...) or the
    driver refused before sending it ("number of parameters must be between
    0 and 65535") leaves the connection working: that is the statement's
    error, never retried.  A lost connection is a closed or broken one, an
    08/57P error from the server, or a driver error that left libpq's
    connection in a bad state or mid-statement.
    """
    if conn.closed or getattr(conn, 'broken', False):
        return True
    state = getattr(err, 'sqlstate', None) or ''
    if state.startswith('08') or state.startswith('57P'):
        return True
    if isinstance(err, _driver()['psycopg'].OperationalError):
        return not _still_working(conn)
    return False


def _still_working(conn):
    """libpq's connection is OK and between statements (idle, in or failed in a transaction)."""
    try:
        pgconn = conn.pgconn
        return pgconn.status == 0 and pgconn.transaction_status in (0, 2, 3)
    except Exception:
        return False


def statement_error(err):
    """A statement's own error as a LoopBack error: the driver's message and sqlstate.

    # LoopBack: loopback-connector-postgresql hands node-postgres's error on:
    # its message, ``code`` the SQLSTATE (no statusCode: a 500 over REST)
    The driver's error stays as ``err.cause``; a refusal by the driver
    itself (no SQLSTATE) has no code.
    """
    diag = getattr(err, 'diag', None)
    message = getattr(diag, 'message_primary', None) if diag is not None else None
    if not message:
        lines = str(err).strip().splitlines()
        message = lines[0] if lines else type(err).__name__
    fields = {}
    for name in ('detail', 'hint', 'constraint_name', 'table_name', 'column_name'):
        value = getattr(diag, 'message_' + name, None) if name in ('detail', 'hint') else \
            getattr(diag, name, None)
        if value:
            fields[name.replace('_name', '')] = value
    out = LoopBackError(message, code=getattr(err, 'sqlstate', None) or None, cause=err, **fields)
    out.__cause__ = err
    return out


def _close_quietly(conn):
    try:
        conn.close()
    except Exception:
        pass


class _Watchdog:
    """Shuts down the socket of a statement that outlived its ``queryTimeout``.

    A blocked driver call cannot be interrupted from outside, and a server
    gone from the network never answers; shutting the socket down (from this
    thread, on a duplicate descriptor) makes the call fail at once with a
    lost connection.  Entries are added and removed by the worker running
    the statement, under the lock the shutdown also takes, so the socket is
    always still the statement's own.  The thread runs only while statements
    are watched (and a few seconds after).
    """

    TICK = 0.05

    def __init__(self):
        self._lock = threading.Lock()
        self._watched = {}
        self._keys = itertools.count()
        self._thread = None

    def watch(self, session, seconds):
        key = next(self._keys)
        fd = session.conn.pgconn.socket
        with self._lock:
            self._watched[key] = (_monotonic() + seconds, fd, session)
            if self._thread is None:
                self._thread = threading.Thread(target=self._patrol, daemon=True,
                                                name='lb-pg-watchdog')
                self._thread.start()
        return key

    def unwatch(self, key):
        with self._lock:
            self._watched.pop(key, None)

    def _patrol(self):
        idle_since = None
        while True:
            time.sleep(self.TICK)
            now = _monotonic()
            with self._lock:
                if not self._watched:
                    if idle_since is None:
                        idle_since = now
                    elif now - idle_since > 5:
                        self._thread = None
                        return
                    continue
                idle_since = None
                for key, (deadline, fd, session) in list(self._watched.items()):
                    if deadline <= now:
                        del self._watched[key]
                        session.timed_out = True
                        _shut_down(fd)


def _shut_down(fd):
    try:
        sock = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.close()


_WATCHDOG = _Watchdog()


class PgPool:
    """This data source's connections: at most ``max_size`` open, idle ones reused.

    ``acquire(deadline)`` runs on a worker thread: an idle connection the
    server has not closed (checked without a round trip), else a new one
    connected right there, retried with a short backoff while the deadline
    allows (psycopg_pool's reconnect backoff starts at one second and grows,
    which under repeated connection kills left requests waiting for tens of
    seconds).  ``deadline()`` is asked again whenever the wait wakes: it
    moves on while the pool makes progress (pg_waiting.py).  Past it:
    ``DB_UNAVAILABLE``.  Every connection given back in working order ticks
    ``progress``.
    """

    def __init__(self, connect, min_size, max_size, max_idle, max_lifetime, progress=None):
        self._connect = connect
        self.min_size = min_size
        self.max_size = max(1, max_size)
        self.max_idle = max_idle
        self.max_lifetime = max_lifetime
        self._idle = []         # [(conn, born, last used)], most recently used last
        self._born = {}         # lent connection -> when it was opened
        self._size = 0          # connections open or being opened
        self._cond = threading.Condition(threading.Lock())
        self.closed = False
        self.progress = progress

    def acquire(self, deadline, fresh=False):
        """A connection; ``fresh``: a new one, even if an idle one has to be closed for it."""
        delay = 0.005
        while True:
            conn = stale = None
            with self._cond:
                while True:
                    if self.closed:
                        raise db_unavailable('The data source was disconnected; nothing was sent')
                    if self._idle:
                        conn, born, _used = self._idle.pop()
                        if fresh:       # its slot goes to the new connection
                            stale, conn = conn, None
                        break
                    if self._size < self.max_size:
                        self._size += 1
                        break
                    remaining = deadline() - _monotonic()
                    if remaining <= 0:
                        raise db_unavailable(
                            'No database connection was free within the acquire timeout '
                            '(all %d in use, none given back); nothing was sent'
                            % self.max_size)
                    self._cond.wait(remaining)
            if stale is not None:
                _close_quietly(stale)
            if conn is not None:
                if not _lost_while_idle(conn):
                    with self._cond:
                        self._born[conn] = born
                    return conn
                self._forget(conn)
                continue
            try:
                conn = self._connect(deadline() - _monotonic())
            except Exception as err:
                self._forget(None)
                remaining = deadline() - _monotonic()
                state = getattr(err, 'sqlstate', None) or ''
                if remaining <= 0 or not isinstance(err, _driver()['psycopg'].OperationalError) \
                        or (state and not state.startswith(('08', '57P'))):
                    raise db_unavailable('Could not connect to the database; nothing was sent', err)
                time.sleep(min(delay, remaining))
                delay = min(delay * 2, 0.25)
                continue
            with self._cond:
                self._born[conn] = _monotonic()
            return conn

    def release(self, conn):
        """Back to the idle list, or closed when broken, busy, too old or the pool closed."""
        now = _monotonic()
        to_close = []
        with self._cond:
            born = self._born.pop(conn, now)
            working = not (conn.closed or getattr(conn, 'broken', False))
            if working and self.progress is not None:
                self.progress.tick()
            if self.closed or not working or \
                    conn.pgconn.transaction_status != 0 or now - born > self.max_lifetime:
                self._size -= 1
                to_close.append(conn)
            else:
                self._idle.append((conn, born, now))
                idle = self._idle
                while len(idle) > self.min_size and now - idle[0][2] > self.max_idle:
                    to_close.append(idle.pop(0)[0])
                    self._size -= 1
            self._cond.notify()
        for old in to_close:
            _close_quietly(old)

    def _forget(self, conn):
        with self._cond:
            self._size -= 1
            self._cond.notify()
        if conn is not None:
            _close_quietly(conn)

    def close(self):
        with self._cond:
            self.closed = True
            idle, self._idle = self._idle, []
            self._size -= len(idle)
            self._cond.notify_all()
        for conn, _born, _used in idle:
            _close_quietly(conn)


class PgSession:
    """One borrowed connection: ``execute(sql, params) -> (rows, rowcount)``.

    It records what reached the server (``sent``, ``committing``), whether
    the connection was found closed before a statement (``lost``) and
    whether the watchdog cut a statement off (``timed_out``): what a broken
    connection means for the operation depends on it.
    """

    def __init__(self, conn, timeout=None):
        self.conn = conn
        self.timeout = timeout
        self.sent = False
        self.committing = False
        self.lost = False
        self.timed_out = False

    @property
    def in_transaction(self):
        return self.conn.info.transaction_status != 0

    def execute(self, sql, params, raw=False, commit=False):
        conn = self.conn
        if _lost_while_idle(conn):
            self.lost = True
            raise _driver()['psycopg'].OperationalError(
                'the server closed the connection before the statement was sent')
        self.sent = True
        if commit:
            self.committing = True
        watch = _WATCHDOG.watch(self, self.timeout) if self.timeout else None
        try:
            with conn.cursor() as cur:
                cur.execute(sql, params or None)
                has_rows = cur.description is not None
                rows = cur.fetchall() if has_rows else []
                count = cur.rowcount
        finally:
            if watch is not None:
                _WATCHDOG.unwatch(watch)
        if raw:
            return rows, count, has_rows
        return rows, count

    def lock(self, key):
        self.execute('SELECT pg_advisory_xact_lock(%s)', [key])

    def rollback_quietly(self):
        """ROLLBACK an open transaction after a failure (if that fails, the pool drops it)."""
        try:
            if not self.conn.closed and self.conn.info.transaction_status != 0:
                self.execute('ROLLBACK', None)
        except Exception:
            pass


class TxConnection:
    """A transaction's lane (its thread), its pooled connection and that pool."""

    def __init__(self, lane, conn, pool=None):
        self.lane = lane
        self.conn = conn
        self.pool = pool
