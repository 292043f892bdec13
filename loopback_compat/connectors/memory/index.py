"""Hash indexes for the memory connector: equality look-ups without a scan.

# LoopBack: none (juggler's memory connector scans every row for every query)

An index maps each row of one collection to the keys its value of one
property can be equal to under JavaScript ``==``, so that a where clause
``{prop: value}`` or ``{prop: {inq: [...]}}`` reads a few buckets instead of
every row.  The index narrows: the connector runs the full matcher on every
candidate, so results are exactly those of a scan.  For that the candidates
must be a SUPERSET of the matching rows, and come in the collection's own
order (the order a scan would see them in).  One case needs no matcher: a
where that is a single clause comparing to ints (``{p: 5}``,
``{p: {inq: [1, 2]}}``, the relation look-ups), when the property has no
"others" (see ``index_plan``'s ``exact``).

Keys (``value_keys``), chosen so that ``a == b`` implies a shared key:
- ``None`` and a missing property share ``NIL`` (only a ``None`` example
  matches them);
- int, float and bool key by their number (True -> 1; Python's 1 == 1.0
  hashing does the rest);
- a str keys by ``('s', text)`` and, when ``Number(text)`` is not NaN, also
  by that number ('' and '  ' are 0, as in JavaScript), so '1' is found
  both by '1' and by 1, while '1.0' is found by 1 but not by '1';
- anything else (lists, which match element-wise; dicts; dates; NaN;
  subclasses of the scalar types) has no key: such rows are "others" and
  are candidates of every look-up.

``probe_keys(example)`` gives the keys to read for one where value, or
None when the value cannot use an index (dates, objects, NaN...): the
caller then scans.
"""

from ...filters import _str_to_number, undefined

NIL = object()      # the key of None and of a missing property
_INT_ONLY = {int}


def value_keys(value):
    """The index keys of a row value, or None when it must stay a candidate always."""
    t = type(value)
    if t is int:
        return (value,)
    if t is str:
        n = _str_to_number(value)
        return (('s', value), n) if n == n else (('s', value),)
    if value is None or value is undefined:
        return (NIL,)
    if t is bool:
        return (int(value),)
    if t is float:
        return (value,) if value == value else None
    return None


def probe_keys(example):
    """The keys whose rows may equal ``example`` (JS ==), or None: do not use an index."""
    t = type(example)
    if t is int:
        return (example,)
    if t is str:
        n = _str_to_number(example)
        return (('s', example), n) if n == n else (('s', example),)
    if example is None:
        return (NIL,)
    if t is bool:
        return (int(example),)
    if t is float and example == example:
        return (example,)
    return None


def _is_scalar(value):
    t = type(value)
    return t is int or t is str or t is bool or (t is float and value == value)


def clause_probe(cond):
    """Probe keys for one top-level where value, or None when it cannot use an index.

    A plain scalar or None is an equality; ``{'inq': [scalars]}`` (that key
    alone) is the union of its elements' keys (NaN elements match nothing).
    """
    if type(cond) is dict:
        if len(cond) != 1 or 'inq' not in cond:
            return None
        values = cond['inq']
        if type(values) not in (list, tuple):
            return None
        if set(map(type, values)) == _INT_ONLY:
            return list(values)    # an int is its own key (probe_keys)
        keys = []
        for v in values:
            if v is None or v is undefined:
                keys.append(NIL)
            elif type(v) is float and v != v:
                continue
            elif _is_scalar(v):
                keys.extend(probe_keys(v))
            else:
                return None
        return keys
    return probe_keys(cond)


def _ints_only(cond):
    if type(cond) is dict:
        values = cond['inq']   # clause_probe accepted it: {'inq': list or tuple}
        return bool(values) and set(map(type, values)) == _INT_ONLY
    return type(cond) is int


def _safe_clause(key, cond):
    """True when this clause's matcher can never raise, whatever the row holds.

    A clause placed before the indexed one runs on every row of a scan; if it
    could raise (a None value against a list, a regexp against a number,
    and/or with null parts) the scan would raise where the index would not.
    A comparison (gt/gte/lt/lte/neq/between) with scalar bounds never raises:
    filters.match.compare answers NaN for what it cannot order.
    """
    if key in ('and', 'or') or '.' in key:
        return False
    if _is_scalar(cond):
        return True
    if type(cond) is not dict:
        return False
    return clause_probe(cond) is not None or _is_comparison(cond)


_COMPARISONS = frozenset(('gt', 'gte', 'lt', 'lte', 'neq'))


def _is_comparison(cond):
    """``{op: scalar}`` for one comparison operator, or ``{between: [a, b]}`` of scalars."""
    if len(cond) != 1:
        return False
    (op, bound), = cond.items()
    if op in _COMPARISONS:
        return _is_scalar(bound)
    return (op == 'between' and type(bound) is list and len(bound) == 2
            and all(map(_is_scalar, bound)))


def index_plan(where):
    """``(property, probe keys, exact)`` for the where clause an index can serve, or None.

    The first clause that can use an index is chosen, provided every clause
    before it is safe (see ``_safe_clause``): a row the index leaves out then
    fails that clause in a scan before anything could raise.  The clauses of
    an ``and`` list count in their order, as the matcher runs them: a
    relation's query (``{and: [{amount: {gte: 3}}, {customerId: 1}]}``, what
    a hasMany accessor with a where sends) is served by the index of its
    foreign key.

    ``exact``: ``where`` is that clause alone and it compares to ints only.
    Under JS ``==`` a row value equals the int ``k`` exactly when it is filed
    under the key ``k`` (an int or float k, True/False for 1/0, a string
    whose Number() is k: ``value_keys``), so every row filed under the probes
    matches; only the property's "others" (lists, objects...) would still
    need the matcher.
    """
    plan = _plan(where)
    return None if plan is _UNSAFE or plan is _SAFE else plan


_SAFE = ('safe',)       # no clause to index, none that could raise
_UNSAFE = ('unsafe',)   # a clause that could raise comes before any indexable one


def _plan(where):
    """index_plan's walk: a plan, or _SAFE / _UNSAFE when there is none."""
    for key, cond in where.items():
        if key == 'and' and type(cond) is list:
            plan = _and_plan(cond)
            if plan is not _SAFE:
                return plan
            continue
        if key in ('and', 'or') or '.' in key:
            return _UNSAFE
        if type(cond) is int:    # a relation look-up {fk: id}: its own key
            return key, (cond,), len(where) == 1
        probes = clause_probe(cond)
        if probes is not None:
            return key, probes, len(where) == 1 and _ints_only(cond)
        if not _safe_clause(key, cond):
            return _UNSAFE
    return _SAFE


def _and_plan(clauses):
    """The plan of an ``and`` list's first indexable clause (never exact)."""
    for clause in clauses:
        if type(clause) is not dict:
            return _UNSAFE
        plan = _plan(clause)
        if plan is _UNSAFE:
            return plan
        if plan is not _SAFE:
            prop, probes, _ = plan
            return prop, probes, False
    return _SAFE


class PropertyIndex:
    """One property's buckets, plus the keyless rows ("others").

    A bucket is the row key itself (a str) while one row is filed under its
    key, the usual case of a foreign key, and a dict ``{row key: None}``
    (in filing order) once there are more; it goes back to a str when one is
    left.  A single row so costs no dict to make, look in, or free.
    """

    __slots__ = ('prop', 'buckets', 'others', 'keys_of')

    def __init__(self, prop):
        self.prop = prop
        self.buckets = {}
        self.others = {}
        self.keys_of = {}   # row key -> the keys it was filed under (None: others)

    def add(self, rkey, row):
        keys = value_keys(row.get(self.prop, undefined))
        self.keys_of[rkey] = keys
        if keys is None:
            self.others[rkey] = None
            return
        buckets = self.buckets
        for k in keys:
            bucket = buckets.get(k)
            if bucket is None:
                buckets[k] = rkey
            elif type(bucket) is dict:
                bucket[rkey] = None
            elif bucket != rkey:
                buckets[k] = {bucket: None, rkey: None}

    def remove(self, rkey):
        keys = self.keys_of.pop(rkey, NIL)
        if keys is NIL:
            return
        if keys is None:
            self.others.pop(rkey, None)
            return
        buckets = self.buckets
        for k in keys:
            bucket = buckets.get(k)
            if bucket is None:
                continue
            if type(bucket) is not dict:
                if bucket == rkey:
                    del buckets[k]
                continue
            bucket.pop(rkey, None)
            if len(bucket) == 1:
                buckets[k] = next(iter(bucket))

    def update(self, rkey, row):
        """Refile ``rkey`` after its row changed (cheap when the value did not)."""
        keys = value_keys(row.get(self.prop, undefined))
        if keys is not None and keys == self.keys_of.get(rkey, NIL):
            return
        self.remove(rkey)
        self.add(rkey, row)


class CollectionIndex:
    """The indexes of one collection (one dict of rows), kept in step with it.

    ``rows`` is the collection dict itself; the connector calls ``added``,
    ``changed`` and ``removed`` after each write.  ``seq`` numbers the rows in
    the dict's order (a replaced row keeps its place, a re-inserted one goes
    last, as in the dict), so candidates come out in scan order.
    """

    MAX_PROPERTIES = 32

    def __init__(self, rows):
        self.rows = rows
        self.seq = {}
        self.next_seq = 0
        for rkey in rows:
            self.seq[rkey] = self.next_seq
            self.next_seq += 1
        self.props = {}

    def ensure(self, prop):
        """The index of ``prop``, built now (one pass) if missing; None past the cap."""
        pix = self.props.get(prop)
        if pix is None:
            if len(self.props) >= self.MAX_PROPERTIES:
                return None
            pix = PropertyIndex(prop)
            for rkey, row in self.rows.items():
                pix.add(rkey, row)
            self.props[prop] = pix
        return pix

    def added(self, rkey, row):
        """``rows[rkey] = row`` was done: a new row, or a replacement of one."""
        if rkey in self.seq:
            for pix in self.props.values():
                pix.update(rkey, row)
            return
        self.seq[rkey] = self.next_seq
        self.next_seq += 1
        for pix in self.props.values():
            pix.add(rkey, row)

    changed = added

    def removed(self, rkey):
        if self.seq.pop(rkey, None) is None:
            return
        for pix in self.props.values():
            pix.remove(rkey)

    def candidate_keys(self, prop, probes, exact=False):
        """``(keys, exact)``: the keys of the rows that may match (a superset),
        in collection order, or None when ``prop`` cannot be indexed (the
        caller scans instead); ``exact`` (index_plan's) holds when ``prop``
        has no "others": then every one of them matches."""
        pix = self.props.get(prop) or self.ensure(prop)
        if pix is None:
            return None, False
        buckets = pix.buckets
        if len(probes) == 1 and not pix.others:
            found = buckets.get(probes[0])
            if found is None:
                return [], exact
            if type(found) is not dict:
                return [found], exact
        else:
            found = dict(pix.others)
            for k in probes:
                bucket = buckets.get(k)
                if bucket is None:
                    continue
                if type(bucket) is dict:
                    found.update(bucket)
                else:
                    found[bucket] = None
        exact = exact and not pix.others
        if len(found) == 1:
            return list(found), exact
        return sorted(found, key=self.seq.__getitem__), exact
