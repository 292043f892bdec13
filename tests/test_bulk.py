"""The C-level batch loops of bulk.py."""

from itertools import repeat

from loopback_compat.bulk import (new_dicts, new_instances, set_in_each, slots_of,
                                  without_none_pairs)
from loopback_compat.speedups.bulk import any_none, append_each, new_lists


class Touchy:
    """Refuses __init__, __setattr__ and comparisons: the helpers must not call them."""

    def __init__(self):
        raise AssertionError('__init__ called')

    def __setattr__(self, name, value):
        raise AssertionError('__setattr__ called')

    def __eq__(self, other):
        raise AssertionError('__eq__ called')

    __hash__ = object.__hash__


def test_set_in_each_pairs_dicts_and_values():
    dicts = [{}, {'k': 0}, {'other': 1}]
    set_in_each(dicts, 'k', [1, 2, 3])
    assert dicts == [{'k': 1}, {'k': 2}, {'other': 1, 'k': 3}]
    set_in_each(dicts, 'z', repeat(None))
    assert [d['z'] for d in dicts] == [None, None, None]


def test_new_dicts_are_distinct():
    made = new_dicts(3)
    assert made == [{}, {}, {}] and len(set(map(id, made))) == 3
    made[0]['a'] = 1
    assert made[1] == {}
    assert new_dicts(0) == []


def test_new_instances_take_their_dicts_without_init_or_setattr():
    slots = [{'a': 1}, {'a': 2}]
    made = new_instances(Touchy, slots)
    assert [type(m) for m in made] == [Touchy, Touchy]
    assert list(map(slots_of, made)) == slots and made[0].__dict__ is slots[0]
    assert [m.a for m in made] == [1, 2]


def test_without_none_pairs_drops_pairs_with_a_none_by_identity():
    a, b = object.__new__(Touchy), object.__new__(Touchy)
    firsts, seconds = [a, None, b, 1], [10, 20, None, 0]
    assert without_none_pairs(firsts, seconds) == ([a, 1], [10, 0])
    whole = ([a, b], [0, False])
    assert without_none_pairs(*whole) == whole   # falsy values are kept
    assert without_none_pairs(*whole)[0] is whole[0]


def test_new_lists_append_each_and_any_none():
    lists = new_lists(3)
    assert lists == [[], [], []] and len(set(map(id, lists))) == 3
    append_each([lists[0], lists[2], lists[0]], ['a', 'b', 'c'])
    assert lists == [['a', 'c'], [], ['b']]
    assert any_none([1, None]) and not any_none([Touchy.__new__(Touchy), 0, []])
