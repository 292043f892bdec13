"""Pausing the cyclic garbage collector while one batch of objects is built.

CPython runs a young-generation collection every 700 new container objects,
an older one every ten of those and a full one when enough objects have
survived.  A query that builds 10,000 model instances allocates some 30,000
containers, none of them garbage yet, so the collector keeps walking objects
it cannot free and promotes them towards the full collections: about a third
of ``Supplier.find({'include': 'account'})`` went there.  While the batch is
built nothing is collected; afterwards the collector goes on as before, and
its next young collection walks the batch once.  Reference counting frees
what is dropped meanwhile; only reference cycles wait for the collector.

Each pause that allocated more than the young threshold still costs one
collection when it ends, and every tenth of those an older one: so work
made of many small batches done together (the pages of an include, asked
for at once) is paused as one.  When those batches arrive over several
ticks (the memory connector answers each page on a tick of its own), the
pause is :func:`hold_gc`'s: it lasts until released, and at the latest
until the event loop's drain of ticks under way ends (``Loop.at_drain_end``),
so it never spans a wait for I/O.
"""

import gc
import weakref
from functools import partial

#: batches smaller than this are built without pausing (not worth the calls)
BATCH_MIN = 256


class gc_paused:
    """``with gc_paused(): ...`` runs the block with the collector disabled.

    A collector that was already disabled (by the application, or by an
    enclosing pause) stays disabled, and one that was enabled is enabled
    again however the block ends.  The collector is process-wide: other
    threads are not collected during the block either, and one that
    disables the collector during the block finds it enabled afterwards; the
    blocks are single synchronous batches, so this window is short.
    """

    __slots__ = ('_resume',)

    def __enter__(self):
        self._resume = gc.isenabled()
        if self._resume:
            gc.disable()
        return self

    def __exit__(self, *exc):
        if self._resume:
            gc.enable()
        return False


class _Hold:
    """One hold_gc pause: the number of holds not released yet."""

    __slots__ = ('holders',)

    def __init__(self):
        self.holders = 0


#: loop -> its pause under way (a new _Hold per pause: a late release
#: cannot end a later pause)
_pauses = weakref.WeakKeyDictionary()


def hold_gc(loop):
    """Pause the cyclic garbage collector for work spread over the ticks
    that follow (an include's pages, which the memory connector answers
    one tick each): until ``release_gc(loop, hold)`` or, at the latest, the
    end of ``loop``'s drain under way, so a pause never outlives the cascade
    of ticks that asked for it nor spans a wait for I/O.

    Returns the hold to pass to ``release_gc``, or None when nothing was
    paused: outside a drain, or with the collector already off (the
    application's choice, left as it is).  Holds nest.
    """
    if not loop.draining:
        return None
    hold = _pauses.get(loop)
    if hold is None:
        if not gc.isenabled():
            return None
        gc.disable()
        hold = _pauses[loop] = _Hold()
        loop.at_drain_end(partial(_end, loop, hold))
    hold.holders += 1
    return hold


def release_gc(loop, hold):
    """End one ``hold_gc`` hold (None, or a hold already ended: nothing)."""
    if hold is not None and _pauses.get(loop) is hold:
        hold.holders -= 1
        if not hold.holders:
            _end(loop, hold)


def _end(loop, hold):
    if _pauses.get(loop) is hold:
        del _pauses[loop]
        gc.enable()
