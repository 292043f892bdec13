"""Each declared fast path gives what its general path gives.

The speed tricks live in loopback_compat/speedups/; a module that uses them
keeps one general path and one declared fast path beside it.  These tests
run both on the same input and compare the outcome:

- include (relations/include.py): ``_Job._one_to_one_fast`` / ``_link_fast``
  against ``one_to_one`` / ``_link``; hasMany (relations/include_many.py):
  ``_link_fast`` against ``_after_fetch`` / ``_link``;
- the write pipeline (dao/pipeline.py): each write operation's quiet class
  (nobody observes its hooks) against the same write observed;
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
from loopback_compat.relations import include as include_module, include_many
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


def _many_outcome(objects, name):
    """What a hasMany include left on each parent: its JSON, its cached list
    (as JSON), and whether cache and data hold lists of its own."""
    out = []
    for obj in objects:
        cached = obj.__dict__.get('__cachedRelations', {}).get(name, _MISSING)
        data = obj.__dict__['__data'].get(name, _MISSING)
        own = isinstance(cached, list) and cached is not data
        out.append((obj.toJSON(), [c.toJSON() for c in cached]
                    if isinstance(cached, list) else cached, own))
    lists = [id(obj.__dict__['__cachedRelations'][name]) for obj in objects
             if name in obj.__dict__.get('__cachedRelations', {})]
    assert len(set(lists)) == len(lists)    # no two parents share a list
    return out


def _has_many_both_ways(model, load, name, monkeypatch):
    """``_include_both_ways`` for hasMany (relations/include_many.py): its
    outcome, or the error, with the fast path taken where it can be and refused."""
    def run():
        objects = load()
        try:
            lb.await_(model.include(objects, name))
        except lb.LoopBackError as err:
            return ('error', err.statusCode, str(err))
        return _many_outcome(objects, name)
    fast = run()
    with monkeypatch.context() as patch:
        patch.setattr(include_many, '_parents_by_int_key', lambda objects, key_from: None)
        general = run()
    return fast, general


@pytest.mark.lb_fiber
def test_has_many_include_fast_path_links_what_the_general_path_links(monkeypatch):
    big = 2 ** 53
    keys = st.one_of(_keys, st.sampled_from([big, big + 1, -big, big - 1]))

    codes = st.one_of(st.integers(-2, 6), st.sampled_from([big, big + 1, None]))

    @settings(max_examples=60, deadline=None)
    @given(st.lists(codes, min_size=1, max_size=6), st.lists(keys, max_size=10))
    def check(codes, child_keys):
        ds = lb.DataSource('memory')
        Parent = ds.createModel('Parent', {'name': str, 'code': 'any'})
        Child = ds.createModel('Child', {'name': str, 'parentId': 'any', 'parentCode': 'any'})
        Parent.hasMany(Child, foreignKey='parentId', as_='children')
        Parent.hasMany(Child, foreignKey='parentCode', primaryKey='code', as_='coded')
        for i, code in enumerate(codes):
            lb.await_(Parent.create({'name': 'p%d' % i, 'code': code}))
        for i, key in enumerate(child_keys):
            lb.await_(Child.create({'name': 'c%d' % i, 'parentId': key, 'parentCode': key}))
        load = lambda: lb.await_(Parent.find({'order': 'id ASC'}))   # noqa: E731
        for name in ('children', 'coded'):
            fast, general = _has_many_both_ways(Parent, load, name, monkeypatch)
            assert fast == general
    check()


@pytest.mark.lb_fiber
def test_has_many_include_fast_path_is_the_one_taken_for_int_ids(monkeypatch):
    ds = lb.DataSource('memory')
    Parent = ds.createModel('Parent', {'name': str})
    Child = ds.createModel('Child', {'name': str})
    Parent.hasMany(Child, foreignKey='parentId', as_='children')
    for i in range(3):
        p = lb.await_(Parent.create({'name': 'p%d' % i}))
        for j in range(2):
            lb.await_(Child.create({'name': 'c%d%d' % (i, j), 'parentId': p.id}))
    taken = []
    for name in ('_link_fast', '_link'):
        real = getattr(include_many, name)
        monkeypatch.setattr(include_many, name,
                            lambda *a, _real=real, _name=name: (taken.append(_name), _real(*a))[1])
    found = lb.await_(Parent.find({'include': 'children'}))
    assert taken == ['_link_fast']
    assert [[c['name'] for c in p.toJSON()['children']] for p in found] == \
        [['c00', 'c01'], ['c10', 'c11'], ['c20', 'c21']]
    cached = found[0].__dict__['__cachedRelations']['children']
    assert cached is not found[0].__dict__['__data']['children']


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

    @settings(max_examples=30, deadline=None)
    @given(st.lists(row, min_size=1, max_size=8), st.integers(0, 40), st.booleans())
    def check(some_rows, extra, adopt):
        # a batch big enough for the C loops, made of a few generated rows
        count = bulk.LOOP_MIN + extra
        rows = [dict(some_rows[i % len(some_rows)]) for i in range(count)]
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


# -- the write pipeline's quiet classes ----------------------------------------

def _plain(value):
    if isinstance(value, ModelBase):
        return value.toJSON()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _stored(M, i):
    return lb.await_(M.findById(i))


#: every write operation of the pipeline, on rows {1: 'a', 2: 'b'}
WRITES = {
    'create': lambda M: M.create({'name': 'c'}),
    'create with an id': lambda M: M.create({'id': 9, 'name': 'c'}),
    'create a list': lambda M: M.create([{'name': 'c'}, {'name': 'd'}]),
    'create, invalid': lambda M: M.create({'name': ''}),
    'save a new instance': lambda M: M({'name': 'c'}).save(),
    'save a stored instance': lambda M: _stored(M, 1).save(),
    'updateAttributes': lambda M: _stored(M, 1).updateAttributes({'name': 'x'}),
    'updateAttributes, invalid': lambda M: _stored(M, 1).updateAttributes({'name': ''}),
    'replaceById': lambda M: M.replaceById(1, {'name': 'x'}),
    'replaceOrCreate, stored': lambda M: M.replaceOrCreate({'id': 1, 'name': 'x'}),
    'replaceOrCreate, new id': lambda M: M.replaceOrCreate({'id': 7, 'name': 'n'}),
    'replaceOrCreate, no id': lambda M: M.replaceOrCreate({'name': 'n'}),
    'upsert, stored': lambda M: M.upsert({'id': 1, 'name': 'x'}),
    'upsert, new id': lambda M: M.upsert({'id': 7, 'name': 'n'}),
    'upsert, no id': lambda M: M.upsert({'name': 'n'}),
    'upsertWithWhere, one match': lambda M: M.upsertWithWhere({'name': 'a'}, {'name': 'x'}),
    'upsertWithWhere, none': lambda M: M.upsertWithWhere({'name': 'zz'}, {'name': 'new'}),
    'findOrCreate, found': lambda M: M.findOrCreate({'where': {'name': 'a'}}, {'name': 'a'}),
    'findOrCreate, created': lambda M: M.findOrCreate({'where': {'name': 'q'}}, {'name': 'q'}),
    'updateAll': lambda M: M.updateAll({'name': 'a'}, {'name': 'x'}),
}


def _write_outcome(observed, settings_, write, quiet):
    """``write``'s result (or error) and the rows after it; ``quiet`` gets
    whether each Write it made was quiet."""
    ds = lb.DataSource('memory')
    M = ds.createModel('Thing', {'name': str}, settings_)
    M.validatesLengthOf('name', min=1, allow_blank=False)
    lb.await_(M.create([{'name': 'a'}, {'name': 'b'}]))
    if observed:   # observers that change nothing: the pipeline notifies every hook
        for hook in ('access', 'before save', 'persist', 'loaded', 'after save'):
            M.observe(hook, lambda ctx, next_: next_())
    del quiet[:]
    try:
        result = ('ok', _plain(lb.await_(write(M))))
    except Exception as err:  # noqa: BLE001 - the outcome compared is the error
        result = ('error', type(err).__name__, str(err))
    return result, _plain(lb.await_(M.find({'order': 'id ASC'}))), list(quiet)


@pytest.mark.lb_fiber
@pytest.mark.parametrize('settings_', [{}, {'forceId': False}])
@pytest.mark.parametrize('write', sorted(WRITES))
def test_a_quiet_write_does_what_an_observed_one_does(write, settings_, monkeypatch):
    from loopback_compat.dao import pipeline
    quiet = []
    real_init = pipeline.Write.__init__

    def recording_init(self, *args):
        real_init(self, *args)
        quiet.append(self.quiet)
    monkeypatch.setattr(pipeline.Write, '__init__', recording_init)

    result, rows, quiet_writes = _write_outcome(False, settings_, WRITES[write], quiet)
    assert (result, rows) == _write_outcome(True, settings_, WRITES[write], quiet)[:2]
    # the first run's writes went through the quiet classes, the second's not
    # (upsert of a new id under forceId is a 404 before any write)
    assert all(quiet_writes) and not any(quiet) and len(quiet_writes) == len(quiet)


#: deletes: an instance's destroy hands its callback to the connector when
#: nobody observes access / before delete / after delete (dao/delete.py)
DELETES = {
    'destroy': lambda M: _stored(M, 1).destroy(),
    'destroy, already gone': lambda M: M({'id': 5, 'name': 'e'}).destroy(),
    'destroyById': lambda M: M.destroyById(2),
    'destroyAll': lambda M: M.destroyAll({'name': 'a'}),
}


@pytest.mark.lb_fiber
@pytest.mark.parametrize('settings_', [{}, {'strictDelete': True}])
@pytest.mark.parametrize('delete', sorted(DELETES))
def test_an_unobserved_delete_does_what_an_observed_one_does(delete, settings_):
    def outcome(observed):
        ds = lb.DataSource('memory')
        M = ds.createModel('Thing', {'name': str}, settings_)
        lb.await_(M.create([{'name': 'a'}, {'name': 'b'}]))
        if observed:
            for hook in ('access', 'before delete', 'after delete'):
                M.observe(hook, lambda ctx, next_: next_())
        try:
            result = ('ok', _plain(lb.await_(DELETES[delete](M))))
        except Exception as err:  # noqa: BLE001 - the outcome compared is the error
            result = ('error', type(err).__name__, str(err))
        return result, _plain(lb.await_(M.find({'order': 'id ASC'})))
    assert outcome(False) == outcome(True)
