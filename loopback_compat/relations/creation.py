"""Atomic "create unless one exists" for hasOne ``create``.

# LoopBack: modelTo.findOrCreate(query, data, options, cb) in HasOne.prototype.create

juggler's hasOne ``create`` is only as atomic as the connector's
``findOrCreate``: two concurrent creates can both succeed on a connector
whose ``findOrCreate`` is a find followed by a create.  Here creates for the
same target model and the same uniqueness query are chained one after the
other inside this process (each waits for the previous one to finish), so
the second one always sees the first one's row, on every connector.  On the
memory connector the connector's own atomic ``findOrCreate`` would suffice;
the chain costs one promise per create.
"""

import json

from ..promise import Promise

# (model, query) -> the promise of the last create started for that key.
_last_create = {}


def _key(model, query):
    try:
        text = json.dumps(query, sort_keys=True, default=repr)
    except (TypeError, ValueError):
        text = repr(query)
    return (id(model), text)


def find_or_create(model, query, data, options, cb):
    """``model.findOrCreate(query, data, options, cb)``, serialised per query.

    ``cb(err, instance, created)`` is called once, as findOrCreate calls it.
    """
    key = _key(model, query)
    previous = _last_create.get(key)
    finished = {}
    mine = Promise(lambda resolve, reject: finished.update(resolve=resolve))
    _last_create[key] = mine

    def release():
        if _last_create.get(key) is mine:
            del _last_create[key]
        finished['resolve'](None)

    def completed(err=None, instance=None, created=None, *rest):
        release()
        cb(err, instance, created)

    def start(_=None):
        try:
            model.findOrCreate(query, data, options, completed)
        except Exception as err:  # a synchronous failure must not stall the chain
            release()
            cb(err)

    if previous is None:
        start()
    else:
        previous.then(start, start)
