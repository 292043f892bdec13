"""How the SQL connectors run statements: lanes, lock keys, later callbacks.

A :class:`Lane` is a worker pool of one thread, for a connection that must
stay on its thread (SQLite's writer, a transaction's connection) or for
statements that must run in call order (PostgreSQL's writes per model,
migrations).  :func:`lock_key` names an exclusive lock (PostgreSQL advisory
locks) the same way in every process.
"""

import hashlib

from ...loop import nextTick
from ...workers import WorkerPool
from .rows import to_json_text


def later(cb, *args):
    """Call ``cb(*args)`` on a later tick (connectors never call back synchronously)."""
    nextTick(cb, *args)


def lock_key(*parts):
    """A stable signed 64-bit key (same in every process) for advisory locks."""
    digest = hashlib.sha1(to_json_text(list(parts)).encode('utf-8')).digest()
    return int.from_bytes(digest[:8], 'big', signed=True)


class Lane(WorkerPool):
    """One dedicated thread (a connection that must stay on its thread)."""

    def __init__(self, name, thread_init=None, thread_exit=None):
        super().__init__(size=1, name=name, thread_init=thread_init, thread_exit=thread_exit)
