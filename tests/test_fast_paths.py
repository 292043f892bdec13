"""Each declared fast path gives what its general path gives.

The speed tricks live in loopback_compat/speedups/; a module that uses them
keeps one general path and one declared fast path beside it.  These tests
run both on the same input and compare the outcome:

- include (relations/include.py): ``_Job._one_to_one_fast`` / ``_link_fast``
  against ``one_to_one`` / ``_link``;
- model loading (model/loading.py): ``_build_batch`` against the constructor
  on batches large enough for its C loops (tests/test_model.py covers the
  small ones), and ``speedups.bulk.instances_over``'s two loop forms;
- the old import paths of the speedups modules still give the same objects.

(filters._fast_normalize is checked in tests/test_filters.py, the other
bulk loops in tests/test_bulk.py.)
"""

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

import loopback_compat as lb
from loopback_compat.model import ModelBase
from loopback_compat.relations import include as include_module
from loopback_compat.speedups import bulk

_MISSING = '<not cached>'

#: foreign-key values: distinct non-zero ints take the fast path; zero, None,
#: duplicates, strings and floats send a batch down the general path
_keys = st.one_of(st.integers(-2, 6), st.none(), st.sampled_from(['1', '2', 'x', '', 2.0, 1.5]))


def _outcome(objects, name):
    """What include left on each parent: its JSON and its cached target."""
    out = []
    for obj in objects:
        cached = obj.__dict__.get('__cachedRelations', {}).get(name, _MISSING)
        out.append((obj.toJSON(), cached.toJSON() if isinstance(cached, ModelBase) else cached))
    return out


def _include_both_ways(model, load, name, monkeypatch):
    """Include ``name`` into two fresh loads of the same rows: as it runs, and
    with the fast path refused (every batch takes the general path)."""
    fast = load()
    lb.await_(model.include(fast, name))
    with monkeypatch.context() as patch:
        patch.setattr(include_module, '_by_distinct_int_key', lambda objects, keys: None)
        general = load()
        lb.await_(model.include(general, name))
    return _outcome(fast, name), _outcome(general, name)


def _models():
    ds = lb.DataSource('memory')
    Parent = ds.createModel('Parent', {'name': str})
    Child = ds.createModel('Child', {'name': str, 'parentId': 'any'})
    Parent.hasOne(Child, foreignKey='parentId', as_='child')
    Child.belongsTo(Parent, foreignKey='parentId', as_='parent')
    return Parent, Child


@pytest.mark.lb_fiber
def test_include_fast_path_links_what_the_general_path_links(monkeypatch):
    @settings(max_examples=60, deadline=None)
    @given(st.integers(1, 6), st.lists(_keys, max_size=8))
    def check(parents, child_keys):
        Parent, Child = _models()
        for i in range(parents):
            lb.await_(Parent.create({'name': 'p%d' % i}))
        for i, key in enumerate(child_keys):
            lb.await_(Child.create({'name': 'c%d' % i, 'parentId': key}))
        order = {'order': 'id ASC'}
        # hasOne: the parents' int ids (the fast one_to_one), targets keyed by anything
        fast, general = _include_both_ways(Parent, lambda: lb.await_(Parent.find(order)),
                                           'child', monkeypatch)
        assert fast == general
        # belongsTo: the children's keys decide the path
        fast, general = _include_both_ways(Child, lambda: lb.await_(Child.find(order)),
                                           'parent', monkeypatch)
        assert fast == general
    check()


@pytest.mark.lb_fiber
def test_include_fast_path_is_the_one_taken_for_distinct_int_keys(monkeypatch):
    Parent, Child = _models()
    for i in range(3):
        p = lb.await_(Parent.create({'name': 'p%d' % i}))
        lb.await_(Child.create({'name': 'c%d' % i, 'parentId': p.id}))
    taken = []
    for name in ('_one_to_one_fast', '_link_fast', '_link'):
        real = getattr(include_module._Job, name)
        monkeypatch.setattr(include_module._Job, name,
                            lambda self, *a, _real=real, _name=name: (taken.append(_name),
                                                                      _real(self, *a))[1])
    found = lb.await_(Parent.find({'include': 'child'}))
    assert taken == ['_one_to_one_fast', '_link_fast']
    assert [p.child().name for p in found] == ['c0', 'c1', 'c2']


def test_the_old_homes_of_the_speedups_give_the_same_objects():
    from loopback_compat import bulk, gc_pause
    from loopback_compat.speedups import bulk as new_bulk, gc_pause as new_gc_pause
    for name in bulk.__all__:
        assert getattr(bulk, name) is getattr(new_bulk, name)
    for name in gc_pause.__all__:
        assert getattr(gc_pause, name) is getattr(new_gc_pause, name)


_flat_values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text(max_size=3),
                         st.floats(allow_nan=False),
                         st.datetimes(timezones=st.just(dt.timezone.utc)))
_LOAD_OPTIONS = {'fields': None, 'applySetters': False, 'persisted': True,
                 'applyDefaultValues': True}


def _slots(inst):
    """An instance's slots, less the lazy ones the fast path leaves unmade."""
    return {k: v for k, v in inst.__dict__.items()
            if not (k in ('__unknownProperties', '__cachedRelations') and not v)}


@pytest.mark.parametrize('settings_', [{}, {'strict': True}])
def test_loading_fast_path_builds_big_batches_as_the_constructor_does(settings_):
    ds = lb.DataSource('memory')
    Row = ds.createModel('Row', {'s': str, 'n': float, 'b': bool, 'd': dt.datetime},
                         settings_)
    row = st.fixed_dictionaries({}, optional={'s': _flat_values, 'n': _flat_values,
                                              'b': _flat_values, 'd': _flat_values,
                                              'id': st.one_of(st.integers(1, 9),
                                                              st.sampled_from(['1', '7']))})

    @settings(max_examples=15, deadline=None)
    @given(st.lists(row, min_size=bulk.LOOP_MIN, max_size=bulk.LOOP_MIN + 40), st.booleans())
    def check(rows, adopt):
        wanted = [Row(dict(r), _LOAD_OPTIONS) for r in rows]
        given_rows = [dict(r) for r in rows]
        built = Row._build_loaded(given_rows, _LOAD_OPTIONS, adopt)
        assert [type(inst) for inst in built] == [Row] * len(rows)
        assert [_slots(i) for i in built] == [_slots(i) for i in wanted]
        assert all(i._data is r for i, r in zip(built, given_rows)) == adopt
    check()


def test_instances_over_gives_the_same_in_c_and_in_python():
    class Plain:
        pass
    template = {'__data': None, '__persisted': True}
    for count in (0, 1, bulk.LOOP_MIN - 1, bulk.LOOP_MIN, bulk.LOOP_MIN + 1):
        values = [{'i': i} for i in range(count)]
        made = bulk.instances_over(Plain, template, '__data', values)
        assert [type(inst) for inst in made] == [Plain] * count
        assert [inst.__dict__ for inst in made] == \
            [{'__data': v, '__persisted': True} for v in values]
        assert all(inst.__dict__['__data'] is v for inst, v in zip(made, values))
    assert template == {'__data': None, '__persisted': True}   # copied, never changed
