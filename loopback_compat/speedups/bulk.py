"""Per-row steps of a batch run as loops in C.

A Python ``for`` loop pays a few bytecodes per step; ``map`` over a builtin
that takes its arguments directly (``operator.setitem``, ``dict.setdefault``,
``dict.get``, ``dict.copy``) makes the same calls without leaving C.  (Slot
wrappers such as ``dict.__setitem__`` are called through an argument tuple
and gain little.)  Used on the 10,000-row batches of a find with include:
building the instances, giving them their relation cache, linking targets.
"""

from collections import deque
from itertools import repeat
from operator import attrgetter, is_, setitem

_exhaust = deque(maxlen=0).extend

#: batches smaller than this are looped over in Python: setting the C loops
#: up costs about as much as building a few instances
LOOP_MIN = 256

#: ``obj.__dict__`` (an instance's slots: ``__data``, ``__cachedRelations``...)
slots_of = attrgetter('__dict__')


def set_in_each(dicts, key, values):
    """``d[key] = v`` for each ``d`` of ``dicts`` and ``v`` of ``values``
    (in step; ``repeat(v)`` gives all the same value)."""
    _exhaust(map(setitem, dicts, repeat(key), values))


def new_dicts(count):
    """``[{} for _ in range(count)]``."""
    return list(map(dict.copy, repeat({}, count)))


def new_lists(count):
    """``[[] for _ in range(count)]``."""
    return list(map(list.copy, repeat([], count)))


def append_each(lists, values):
    """``l.append(v)`` for each ``l`` of ``lists`` and ``v`` of ``values`` (in step)."""
    _exhaust(map(list.append, lists, values))


def new_instances(cls, slot_dicts):
    """An instance of ``cls`` for each dict, which becomes its ``__dict__``;
    neither ``__init__`` nor a ``__setattr__`` of the class is run."""
    out = list(map(object.__new__, repeat(cls, len(slot_dicts))))
    _exhaust(map(object.__setattr__, out, repeat('__dict__'), slot_dicts))
    return out


def without_none_pairs(firsts, seconds):
    """``(firsts, seconds)``, two lists of equal length, less the pairs where
    either item is None (by identity: an item's ``__eq__`` is never asked)."""
    if not any_none(firsts) and not any_none(seconds):
        return firsts, seconds
    kept = [(a, b) for a, b in zip(firsts, seconds) if a is not None and b is not None]
    return [a for a, _ in kept], [b for _, b in kept]


def any_none(values):
    """True when an item of ``values`` is None (by identity: no ``__eq__`` asked)."""
    return any(map(is_, values, repeat(None)))


def instances_over(cls, template, key, values):
    """An instance of ``cls`` for each value, whose ``__dict__`` is a copy of
    ``template`` with ``template[key]`` set to the value; neither ``__init__``
    nor a ``__setattr__`` of the class is run.  (From ``LOOP_MIN`` values
    on, the loop runs in C; below, in Python: both give the same.)"""
    if len(values) >= LOOP_MIN:
        slots = list(map(dict.copy, repeat(template, len(values))))
        set_in_each(slots, key, values)
        return new_instances(cls, slots)
    new, set_slots, copy = object.__new__, object.__setattr__, template.copy
    out = []
    for value in values:
        slots = copy()
        slots[key] = value
        inst = new(cls)
        set_slots(inst, '__dict__', slots)
        out.append(inst)
    return out
