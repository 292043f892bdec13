"""An include scope's ``limit``/``skip``/``offset``: applied per parent key.

# LoopBack: findWithForeignKeysByPage (lib/include.js): "Force the find to be
#           performed per FK to honor the pagination" (pageSize = 1)

juggler answers an include scope with paging by one ``find`` per foreign key
(``{where: {fk: key}, limit, skip}``), so each key's targets are cut on
their own.  Here each page of keys stays one ``inq`` query without the
paging, sorted by the scope's ``order`` (ties by id, as every connector
sorts), and its rows are cut per key afterwards: a key's rows keep in the
combined query the relative order its own query gives them, so each key
gets the same targets, read in one query (the rows past a key's limit are
read and dropped).  A deliberate difference: the related model's hooks see
one query per page, not one per parent (docs/differences.md).
"""

from ..filters import normalize_filter
from ..js.values import truthy
from . import cache
from .definition import js_string

PAGING = ('limit', 'skip', 'offset')


def take_paging(model_to, query, options):
    """Remove limit/skip/offset from ``query``; ``(start, stop)`` to cut
    each key's targets with, or None when the scope pages nothing (juggler:
    ``filter.limit || filter.skip || filter.offset``).  The values are
    checked as ``find`` would check them (a LoopBackError)."""
    if not any(truthy(query.get(k)) for k in PAGING):
        for k in PAGING:
            query.pop(k, None)
        return None
    checked = normalize_filter({k: query[k] for k in PAGING if k in query},
                               model_to._info(), options)
    for k in PAGING:
        query.pop(k, None)
    start = checked.get('skip') or 0
    limit = checked.get('limit')
    return start, (start + limit if limit else None)


def cut_per_key(targets, key_name, paging):
    """``targets`` with each value of ``key_name`` keeping only its
    ``paging`` slice (``(start, stop)`` of take_paging), in their order."""
    start, stop = paging
    seen = {}
    kept = []
    for target, key in zip(targets, cache.read_all(targets, key_name)):
        text = js_string(key)
        index = seen.get(text, 0)
        seen[text] = index + 1
        if index >= start and (stop is None or index < stop):
            kept.append(target)
    return kept
