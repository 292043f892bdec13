"""find's ``near`` clauses: the connector's buildNearFilter, or juggler's
in-memory geo query.

# LoopBack: DataAccessObject.find (lib/dao.js): geo.nearFilter(query.where),
#           connector.buildNearFilter(query, near), else queryGeo

When a find's where holds ``{prop: {near: ...}}`` clauses (at any depth),
juggler asks the connector: one with ``buildNearFilter`` (the memory
connector) is handed them before the 'access' hook and answers the query
itself.  Any other (juggler's SQL connectors, PostgreSQL's included, have
none) gets the generic path: after 'access', the connector's ``all`` with
an empty filter reads EVERY row, 'loaded' runs on each, and the query the
'access' hook left is applied to them in memory, exactly as juggler's
memory connector would (``filters.apply_filter``: sort, geo.filter, where,
fields, skip/limit).  So rows without the property drop out, a row within
range of two or-ed clauses comes twice, and limit/skip count the rows left
after the distance filter.  A near clause the 'access' hook adds to a
query that had none takes the same path (juggler chooses before 'access' and
would send it to the SQL connector, which PostgreSQL refuses).

One difference (docs/differences.md): juggler's generic path calls back
with the memory connector's plain objects (its FIXME: no instances, no
include); here they become instances and ``include`` is resolved, as on
every other find.
"""

from .. import filters, geo


class InMemoryNear:
    """The generic path of one find: ``query`` is set once 'access' has run."""

    __slots__ = ('model', 'query')

    def __init__(self, model, query):
        self.model = model
        self.query = query

    def apply(self, rows):
        """The rows the query selects, as the memory connector would answer it."""
        return filters.apply_filter(rows, self.query, self.model._info())


def near_query(model, query):
    """None when find runs as usual, else the :class:`InMemoryNear` of this find.

    ``query`` is find's normalised filter (default scope applied).  A where
    with near clauses on a connector that declares ``buildNearFilter`` is
    handed to it (it may rewrite ``query``) and find runs as usual.
    """
    where = query.get('where')
    near = geo.nearFilter(where) if type(where) is dict else False
    if not near:
        return None
    connector = model._connector()
    if 'buildNearFilter' in connector.capabilities:
        connector.buildNearFilter(query, near)
        return None
    return InMemoryNear(model, query)

