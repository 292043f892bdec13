"""The load planner: instances from rows a connector read.

# LoopBack: the ``new Model(data, {applySetters: false, persisted: true})``
#           calls of lib/dao.js (find's and findOrCreate's results)

``Model._build_loaded(rows, options, adopt)`` (a classmethod of every model,
see model/instance.py) is ``[cls(row, options) for row in rows]``, built
faster where that gives the same instances.  The routes from a row to an
instance, all here together:

    _build_loaded(cls, rows, options, adopt)
      |-- no load plan / fields / custom setter --> cls(row, options) per row
      `-- _build_plainly: per-row checks; a row that fails them --> cls(row, options)
            |-- every row plain (_all_plain, checked in C) --> _build_batch
            `-- _instances_of(items): stores -> instances, instances kept
                  `-- a batch of stores only --> _instances_of_stores (C loops, bulk.py)

Contract: each route gives what the constructor gives, except that the
lazy slots ``__unknownProperties`` and ``__cachedRelations`` are left to be
created on first use (``ModelBase._unknown_properties`` and
``_cached_relations`` create them).  tests/test_model.py proves that
with hypothesis (``test_loaded_row_shortcut_builds_what_the_constructor_builds``,
``test_loaded_rows_in_bulk_are_the_constructor_s_instances``).

A class's load plan (:func:`_load_plan`) is computed once and kept while
:func:`loopback_compat.model.definition.definitions_changed` has not been
called; a class whose rows need the full constructor has none.  The
constructor asks the plan too (:func:`_nothing_to_fill`), to skip its pass
over the properties.
"""

from itertools import chain, repeat

from ..bulk import new_instances, set_in_each
from ..gc_pause import BATCH_MIN, gc_paused
from ..types import _STRUCTURED, ALREADY_COERCED, FLAT_VALUE_TYPES, FlatRows, coerce_value
from .definition import _definitions_generation

_NONE_TYPE = type(None)
_DICT_ONLY = {dict}

# The class whose constructor the routes stand in for.  model/instance.py
# binds it as soon as it has defined ModelBase (it imports this module, so
# this module cannot import it).
ModelBase = None


# ---------------------------------------------------------------------------
# The routes (ModelBase's classmethods of the same names)

def _build_loaded(cls, rows, options, adopt=False):
    """``[cls(row, options) for row in rows]`` for rows read from a connector.

    ``options`` are the DAO's load options (``applySetters`` False,
    ``persisted`` True, ``applyDefaultValues``, ``fields``).  Rows made
    only of declared properties holding plain values (str, number, bool,
    None, datetime) are built without the constructor's per-value walk,
    when the model has no custom setter, no structured property (object,
    array and any values are JSON-parsed on load) and nothing would fill
    in or drop a missing value: the instances are the same, except that
    ``__unknownProperties`` and ``__cachedRelations`` are left to be
    created on first use (most loaded instances never need them).  Rows are
    copied, unless ``adopt`` says they are the caller's to give away (a
    connector's fresh rows): those become the instances' data.
    """
    plan = _load_plan(cls)
    if plan is None or options.get('fields') is not None or cls.__dict__.get('setter'):
        return [cls(row, options) for row in rows]
    if len(rows) >= BATCH_MIN:
        with gc_paused():
            return cls._build_plainly(plan, rows, options, adopt)
    return cls._build_plainly(plan, rows, options, adopt)


def _build_plainly(cls, plan, rows, options, adopt):
    """_build_loaded's loop, for a class with a load plan."""
    names, count, ids = plan.names, plan.count, plan.ids
    fills = plan.fills_missing and options.get('applyDefaultValues') or \
        cls.settings.get('persistUndefinedAsNull')
    strict = cls.settings.get('strict', False)
    if len(rows) > 1 and _all_plain(plan, rows, fills):
        return cls._build_batch(plan, rows, strict, adopt)
    stored_types, id_types = FLAT_VALUE_TYPES, ALREADY_COERCED
    items = []   # a plain row's store, or the constructor's instance
    append = items.append
    for row in rows:
        if type(row) is not dict or not row.keys() <= names or \
                not set(map(type, row.values())) <= stored_types or \
                fills and len(row) != count:
            append(cls(row, options))
            continue
        store = row if adopt else dict(row)
        for name, tname in ids:
            value = store.get(name)
            if value is not None and id_types.get(tname) is not type(value):
                store[name] = coerce_value(tname, value)
        append(store)
    return cls._instances_of(items, strict)


def _build_batch(cls, plan, rows, strict, adopt):
    """_build_plainly for rows that passed _all_plain as a whole: the
    per-row checks are already done, so each row costs only its copy,
    the instance and (rarely) an id coercion."""
    stores = rows if adopt else list(map(dict, rows))
    for name, tname in plan.ids:
        kinds = set(map(type, map(dict.get, stores, repeat(name))))
        kinds.discard(_NONE_TYPE)
        if kinds and kinds != {ALREADY_COERCED.get(tname)}:
            _coerce_ids(stores, name, tname)
    return cls._instances_of(stores, strict, only_stores=True)


def _instances_of(cls, items, strict, only_stores=False):
    """A loaded instance for each store (a dict) among ``items``, which
    becomes its data; other items are instances already, kept as they are
    (``only_stores``: the caller knows every item is a store)."""
    if len(items) >= BATCH_MIN and (only_stores or set(map(type, items)) <= _DICT_ONLY):
        return cls._instances_of_stores(items, strict)
    new, set_slots = object.__new__, object.__setattr__
    out = []
    append = out.append
    for store in items:
        if type(store) is not dict:
            append(store)
            continue
        inst = new(cls)
        set_slots(inst, '__dict__', {
            '__data': store, '__persisted': True, '__dataSource': None,
            '__strict': strict})
        append(inst)
    return out


def _instances_of_stores(cls, stores, strict):
    """_instances_of for a batch of stores only, its loop run in C (bulk.py:
    setting the loops up costs about as much as building a few instances)."""
    slots = list(map(dict.copy, repeat({'__data': None, '__persisted': True,
                                        '__dataSource': None, '__strict': strict},
                                       len(stores))))
    set_in_each(slots, '__data', stores)
    return new_instances(cls, slots)


# ---------------------------------------------------------------------------
# The plan

class _LoadPlan:
    """What ModelBase._build_loaded needs to know of a model class."""

    __slots__ = ('generation', 'names', 'count', 'ids', 'fills_missing')


def _load_plan(cls):
    """The class's load plan, or None when its rows need the full constructor."""
    plan = cls.__dict__.get('_load_plan_cache')
    if plan is not None and plan.generation == _definitions_generation[0]:
        return plan if plan.names is not None else None
    plan = _LoadPlan()
    plan.generation = _definitions_generation[0]
    props = cls.definition.properties
    plan.names = frozenset(props) if _loads_plainly(cls, props) else None
    plan.count = len(props)
    plan.ids = tuple((name, props[name]['type']) for name in cls.definition.idNames())
    plan.fills_missing = any(
        'default' in prop or prop.get('defaultFn') for prop in props.values())
    type.__setattr__(cls, '_load_plan_cache', plan)
    return plan if plan.names is not None else None


def _all_plain(plan, rows, fills):
    """Whether every row passes _build_plainly's per-row test: a dict of
    declared names holding plain values (and all of them, when ``fills``).
    Checked over all rows at once, so the work is done in C, not per row;
    what a connector's FlatRows says is not checked again."""
    checked = type(rows) is FlatRows
    return (checked or set(map(type, rows)) == _DICT_ONLY) and \
        set(chain.from_iterable(rows)) <= plan.names and \
        (checked or set(map(type, chain.from_iterable(map(dict.values, rows))))
         <= FLAT_VALUE_TYPES) and \
        not (fills and set(map(len, rows)) != {plan.count})


def _coerce_ids(stores, name, tname):
    wanted = ALREADY_COERCED.get(tname)
    for store in stores:
        value = store.get(name)
        if value is not None and type(value) is not wanted:
            store[name] = coerce_value(tname, value)


def _nothing_to_fill(cls):
    """Whether _initProperties' pass over the properties has nothing to do for
    ``cls`` (besides persistUndefinedAsNull, checked by the caller): no
    default or defaultFn, no structured property to parse, no
    persistDefaultValues: false (what its load plan knows)."""
    plan = _load_plan(cls)
    return plan is not None and not plan.fills_missing


def _loads_plainly(cls, props):
    if cls.__init__ is not ModelBase.__init__ or \
            cls._initProperties is not ModelBase._initProperties:
        return False  # a subclass that builds its instances its own way
    for prop in props.values():
        if prop['type'] in _STRUCTURED or prop.get('persistDefaultValues') is False:
            return False
    return True
