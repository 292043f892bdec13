"""The load planner: instances from rows a connector read.

# LoopBack: the ``new Model(data, {applySetters: false, persisted: true})``
#           calls of lib/dao.js (find's and findOrCreate's results)

``Model._build_loaded(rows, options, adopt)`` (a classmethod of every model,
see model/instance.py) is ``[cls(row, options) for row in rows]``, built
faster where that gives the same instances.  It has one general path and
one declared fast path:

    _build_loaded(cls, rows, options, adopt)
      |-- the general path: cls(row, options) per row
      `-- _build_batch, the fast path: a class with a load plan, no fields, no
          custom setter, no enforced values (default scope, ``properties``
          setting: the constructor writes them), no afterInitialize hook (the
          constructor calls it), and every row plain:
          each row's copy (or the row, adopted) becomes an instance's data
          (speedups.bulk.instances_over)

Contract: the fast path gives what the constructor gives, except that the
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

from itertools import chain

from ..speedups.bulk import instances_over
from ..speedups.gc_pause import BATCH_MIN, gc_paused
from ..types import _STRUCTURED, ALREADY_COERCED, FLAT_VALUE_TYPES, FlatRows, coerce_value
from .definition import _definitions_generation, enforces_values

_DICT_ONLY = {dict}

#: the functions behind the ``lookupModel`` that answers the model itself
#: (the DAO's; model_builder.py registers it, this module cannot import the DAO)
BASE_LOOKUPS = set()

# The class whose constructor the routes stand in for.  model/instance.py
# binds it as soon as it has defined ModelBase (it imports this module, so
# this module cannot import it).
ModelBase = None


# ---------------------------------------------------------------------------
# The two paths (ModelBase._build_loaded is the first)

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

    A model whose ``lookupModel`` is its own (not the DAO's, which answers
    the model itself) picks each row's class: ``lookupModel(row)(row,
    options)``, as juggler's find builds ``new (Model.lookupModel(data))(data)``.
    """
    lookup = getattr(cls, 'lookupModel', None)
    if lookup is not None and getattr(lookup, '__func__', None) not in BASE_LOOKUPS:
        return [lookup(row)(row, options) for row in rows]
    plan = _load_plan(cls)
    if plan is not None and options.get('fields') is None and not cls.__dict__.get('setter') \
            and not enforces_values(cls.settings) \
            and not (cls.afterInitialize or cls.postInitialize):   # the constructor applies those
        if len(rows) >= BATCH_MIN:
            with gc_paused():
                built = _build_batch(cls, plan, rows, options, adopt)
        else:
            built = _build_batch(cls, plan, rows, options, adopt)
        if built is not None:
            return built
    return [cls(row, options) for row in rows]


def _build_batch(cls, plan, rows, options, adopt):
    """_build_loaded's fast path: the instances when every row is plain, else
    None (the batch then takes the general path).

    A plain row is a dict of declared names holding plain values (and all
    of them, when something would fill in a missing one); what a
    connector's FlatRows says of its values is not checked again.  A single
    row (a lookup by id, a relation's get) is checked as it is; a batch is
    checked over all its rows at once, in C.  Each row then costs only its
    copy, its instance and (rarely) an id coercion.
    """
    names = plan.names
    fills = plan.fills_missing and options.get('applyDefaultValues') or \
        cls.settings.get('persistUndefinedAsNull')
    checked = type(rows) is FlatRows
    if len(rows) == 1:
        row = rows[0]
        plain = type(row) is dict and row.keys() <= names \
            and (checked or set(map(type, row.values())) <= FLAT_VALUE_TYPES) \
            and not (fills and len(row) != plan.count)
    else:
        plain = (checked or set(map(type, rows)) == _DICT_ONLY) \
            and set(chain.from_iterable(rows)) <= names \
            and (checked or set(map(type, chain.from_iterable(map(dict.values, rows))))
                 <= FLAT_VALUE_TYPES) \
            and not (fills and set(map(len, rows)) != {plan.count})
    if not plain:
        return None
    stores = rows if adopt else list(map(dict, rows))
    for name, tname in plan.ids:
        wanted = ALREADY_COERCED.get(tname)
        for store in stores:
            value = store.get(name)
            if value is not None and type(value) is not wanted:
                store[name] = coerce_value(tname, value)
    return instances_over(cls, {'__data': None, '__persisted': True, '__dataSource': None,
                                '__strict': cls.settings.get('strict', False)},
                          '__data', stores)


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
        if prop['type'] in _STRUCTURED or prop.get('persistDefaultValues') is False or \
                'model' in prop or 'itemModel' in prop:   # typed by a model: sub_models.py
            return False
    return True
