"""Atomic "create unless one exists" for hasOne ``create``.

# LoopBack: modelTo.findOrCreate(query, data, options, cb) in HasOne.prototype.create

juggler's hasOne ``create`` is only as atomic as the connector's
``findOrCreate``: two concurrent creates can both succeed on a connector
whose ``findOrCreate`` is a find followed by a create.  Here creates for the
same target model and the same uniqueness query are chained one after the
other inside this process (each waits for the previous one to finish), so
the second one always sees the first one's row, on every connector.  Where
the connector's own ``findOrCreate`` is atomic (``atomicFindOrCreate``: the
memory connector) and the model does not override ``findOrCreate``, that
suffices and nothing is chained; the chain costs a promise only when a
create has to wait for another.
"""

import json

from ..promise import Promise

# (model, query) -> the slot of the last create started for that key.
_last_create = {}


class _Slot:
    """One create in a chain; makes its "finished" promise only when a later
    create has to wait for it (an uncontended create allocates none)."""

    __slots__ = ('promise', 'resolve', 'done')

    def __init__(self):
        self.promise = self.resolve = None
        self.done = False

    def wait(self):
        if self.promise is None:
            box = {}
            self.promise = Promise(lambda resolve, reject: box.update(resolve=resolve))
            self.resolve = box['resolve']
            if self.done:
                self.resolve(None)
        return self.promise

    def release(self):
        self.done = True
        if self.resolve is not None:
            self.resolve(None)


def _key(model, query):
    # {'where': {fk: id}} (a hasOne without scope) keys without a JSON dump.
    if type(query) is dict and len(query) == 1:
        where = query.get('where')
        if type(where) is dict and len(where) == 1:
            for name, value in where.items():
                if type(value) is int or type(value) is str:
                    return (id(model), name, type(value), value)
    try:
        text = json.dumps(query, sort_keys=True, default=repr)
    except (TypeError, ValueError):
        text = repr(query)
    return (id(model), text)


def find_or_create(model, query, data, options, cb):
    """``model.findOrCreate(query, data, options, cb)``, serialised per query.

    ``cb(err, instance, created)`` is called once, as findOrCreate calls it.
    When the model's findOrCreate is already atomic (the DAO's own, on a
    connector whose findOrCreate is atomic) there is nothing to chain: it is
    called directly, as juggler calls it.
    """
    if model._find_or_create_is_atomic():
        try:
            model._related_find_or_create(
                query, data, options,
                lambda err=None, instance=None, created=None, *rest: cb(err, instance, created))
        except Exception as err:  # noqa: BLE001 - reported as the chain's start does
            cb(err)
        return
    key = _key(model, query)
    previous = _last_create.get(key)
    mine = _last_create[key] = _Slot()

    def release():
        if _last_create.get(key) is mine:
            del _last_create[key]
        mine.release()

    def completed(err=None, instance=None, created=None, *rest):
        release()
        cb(err, instance, created)

    def start(_=None):
        try:
            model._related_find_or_create(query, data, options, completed)
        except Exception as err:  # a synchronous failure must not stall the chain
            release()
            cb(err)

    if previous is None:
        start()
    else:
        previous.wait().then(start, start)
