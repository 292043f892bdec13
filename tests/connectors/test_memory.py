"""The memory connector: ids, matching, copies, file persistence, the interface."""

import json
import os

import pytest

import loopback_compat as lb
from loopback_compat.connectors.memory import Memory
from loopback_compat.errors import LoopBackError
from loopback_compat.types import FlatRows


def make(ds=None, **settings):
    ds = ds or lb.DataSource('memory', **settings)
    Thing = ds.createModel('Thing', {'name': 'string', 'n': 'number'})
    return ds, Thing


def connector_call(method, *args):
    """Call a connector method with a callback; (results, called_synchronously)."""
    out = {}

    def main():
        state = {'returned': False}
        waiter = lb.Promise(lambda resolve, reject: out.update(resolve=resolve))

        def cb(*results):
            out['results'] = results
            out['sync'] = not state['returned']
            out['resolve'](None)
        method(*(args + ({},) if method.__name__ not in ('automigrate',) else args), cb)
        state['returned'] = True
        lb.await_(waiter)
    lb.run(main)
    return out['results'], out['sync']


def test_interface_create_find_count_destroy():
    ds, Thing = make()
    conn = ds.connector
    (err, id_value), sync = connector_call(conn.create, 'Thing', {'name': 'a'})
    assert (err, id_value, sync) == (None, 1, False)
    (err, row), _ = connector_call(conn.find, 'Thing', 1)
    assert row == {'name': 'a', 'id': 1}
    (err, exists), _ = connector_call(conn.exists, 'Thing', '1')
    assert exists is True
    (err, n), _ = connector_call(conn.count, 'Thing', {'name': 'a'})
    assert n == 1
    (err, info), _ = connector_call(conn.destroy, 'Thing', 1)
    assert info == {'count': 1}
    (err, row), _ = connector_call(conn.find, 'Thing', 1)
    assert row is None


def test_interface_save_update_replace():
    ds, Thing = make()
    conn = ds.connector
    connector_call(conn.create, 'Thing', {'name': 'a', 'n': 1})
    (err, row, info), _ = connector_call(conn.save, 'Thing', {'id': 1, 'name': 'b'})
    assert row == {'id': 1, 'name': 'b', 'n': 1} and info == {'isNewInstance': False}
    (err, row), _ = connector_call(conn.updateAttributes, 'Thing', 1, {'n': 5})
    assert row == {'id': 1, 'name': 'b', 'n': 5}
    (err, row), _ = connector_call(conn.replaceById, 'Thing', 1, {'name': 'r'})
    assert row == {'id': 1, 'name': 'r'}
    (err, info), _ = connector_call(conn.updateAll, 'Thing', {'name': 'r'}, {'n': 2})
    assert info == {'count': 1}
    (err, rows), _ = connector_call(conn.all, 'Thing', {})
    assert rows == [{'id': 1, 'name': 'r', 'n': 2}]
    (err,), _ = connector_call(conn.updateAttributes, 'Thing', 9, {'n': 5})
    assert (err.message, err.statusCode) == \
        ('Could not update attributes. Object with id 9 does not exist!', 404)
    (err,), _ = connector_call(conn.updateAttributes, 'Thing', None, {'n': 5})
    assert err.message == 'You must provide an id when updating attributes!'
    (err,), _ = connector_call(conn.replaceById, 'Thing', 9, {})
    assert (err.message, err.statusCode) == ('Could not replace. Object with id 9 does not exist!', 404)


def test_interface_find_or_create_and_or_create_variants():
    ds, Thing = make()
    conn = ds.connector
    (err, row, created), _ = connector_call(conn.findOrCreate, 'Thing', {'where': {'name': 'x'}},
                                            {'name': 'x'})
    assert (row, created) == ({'name': 'x', 'id': 1}, True)
    (err, row, created), _ = connector_call(conn.findOrCreate, 'Thing', {'where': {'name': 'x'}},
                                            {'name': 'x'})
    assert (row['id'], created) == (1, False)
    (err, row, info), _ = connector_call(conn.updateOrCreate, 'Thing', {'id': 5, 'name': 'u'})
    assert row['id'] == 5 and info == {'isNewInstance': True}
    (err, row, info), _ = connector_call(conn.replaceOrCreate, 'Thing', {'id': 5, 'n': 1})
    assert row == {'id': 5, 'n': 1} and info == {'isNewInstance': False}


@pytest.mark.lb_fiber
def test_counter_per_model_and_explicit_id_bumps_it():
    ds, Thing = make()
    Other = ds.createModel('Other', {'name': 'string'}, {'forceId': False})
    assert lb.await_(Thing.create({})).id == 1
    assert lb.await_(Other.create({})).id == 1
    assert lb.await_(Other.create({'id': 10})).id == 10
    assert lb.await_(Other.create({})).id == 11
    assert lb.await_(Other.create({'id': 3})).id == 3
    # juggler advances the counter on every insert, even an explicit lower id
    assert lb.await_(Other.create({})).id == 13
    assert lb.await_(Thing.create({})).id == 2


@pytest.mark.lb_fiber
def test_undeclared_properties_of_non_strict_models_are_stored():
    ds = lb.DataSource('memory')
    Thing = ds.createModel('Thing', {'name': 'string'})
    t = lb.await_(Thing.create({'name': 'a', 'extra': 1}))
    assert lb.await_(Thing.findById(t.id)).toJSON() == {'id': 1, 'name': 'a', 'extra': 1}


def test_duplicate_entry_message():
    ds = lb.DataSource('memory')
    Other = ds.createModel('Other', {'name': 'string'}, {'forceId': False})

    def main():
        lb.await_(Other.create({'id': 2}))
        try:
            lb.await_(Other.create({'id': '2'}))
        except LoopBackError as err:
            return err.message, err.statusCode
    assert lb.run(main) == ('Duplicate entry for Other.id', 409)


@pytest.mark.lb_fiber
def test_loose_matching_of_ids_and_numbers():
    ds, Thing = make()
    lb.await_(Thing.create({'name': '1', 'n': 1}))
    by_string = lb.await_(Thing.findById('1'))
    # an untyped where value is compared loosely, as juggler's memory does
    loose = lb.await_(Thing.find({'where': {'n': '1'}}))
    assert (by_string.id, len(loose)) == (1, 1)


@pytest.mark.lb_fiber
def test_default_order_is_by_id():
    ds = lb.DataSource('memory')
    Item = ds.createModel('Item', {'id': {'type': 'number', 'id': True}, 'name': 'string'})
    for i in (3, 1, 2):
        lb.await_(Item.create({'id': i, 'name': str(i)}))
    assert [i.id for i in lb.await_(Item.find())] == [1, 2, 3]


@pytest.mark.lb_fiber
def test_rows_are_stored_and_returned_as_copies():
    ds, Thing = make()
    Doc = ds.createModel('Doc', {'meta': 'object'})
    data = {'meta': {'a': 1}}
    doc = lb.await_(Doc.create(data))
    data['meta']['a'] = 2
    doc.meta['a'] = 3
    first = lb.await_(Doc.findById(doc.id))
    first.meta['a'] = 4
    assert lb.await_(Doc.findById(doc.id)).meta == {'a': 1}


def test_found_rows_say_whether_they_are_flat():
    # a FlatRows list tells the model's bulk load that its rows hold flat
    # values only (checked here once); nested values give a plain list
    ds, Thing = make()
    Doc = ds.createModel('Doc', {'meta': 'object'})
    for i in range(3):
        lb.run(lambda: lb.await_(Thing.create({'name': str(i), 'n': i})))
    lb.run(lambda: lb.await_(Doc.create({'meta': {'a': [1]}})))
    (err, things), _ = connector_call(ds.connector.all, 'Thing', {})
    (err2, docs), _ = connector_call(ds.connector.all, 'Doc', {})
    assert err is None and err2 is None
    assert type(things) is FlatRows and [t['n'] for t in things] == [0, 1, 2]
    assert type(docs) is list and docs == [{'id': 1, 'meta': {'a': [1]}}]


def test_calls_complete_asynchronously():
    ds, Thing = make()
    for method, args in ((ds.connector.all, ('Thing', {})),
                         (ds.connector.count, ('Thing', None)),
                         (ds.connector.destroyAll, ('Thing', None))):
        _, sync = connector_call(method, *args)
        assert sync is False


def test_collection_setting():
    ds = lb.DataSource('memory')
    A = ds.createModel('A', {'name': 'string'}, {'memory': {'collection': 'shared'}})

    def main():
        lb.await_(A.create({'name': 'x'}))
    lb.run(main)
    assert list(ds.connector.cache) == ['shared']


# -- file persistence ---------------------------------------------------------

def test_file_is_written_and_reloaded(tmp_path):
    path = str(tmp_path / 'db.json')
    ds, Thing = make(file=path)

    def main():
        lb.await_(Thing.create([{'name': 'a', 'n': 1}, {'name': 'b', 'n': 2}]))
        lb.await_(Thing.destroyById(1))
    lb.run(main)
    content = json.load(open(path))
    assert content['ids'] == {'Thing': 3}
    assert json.loads(content['models']['Thing']['2']) == {'name': 'b', 'n': 2, 'id': 2}

    ds2, Thing2 = make(file=path)

    def again():
        rows = [t.toJSON() for t in lb.await_(Thing2.find())]
        new = lb.await_(Thing2.create({'name': 'c'}))
        return rows, new.id
    assert lb.run(again) == ([{'name': 'b', 'n': 2, 'id': 2}], 3)


def test_dates_survive_the_file(tmp_path):
    import datetime as dt
    path = str(tmp_path / 'db.json')
    ds = lb.DataSource('memory', file=path)
    Ev = ds.createModel('Ev', {'when': 'date'})
    lb.run(lambda: lb.await_(Ev.create({'when': '2020-01-02T03:04:05.678Z'})))
    ds2 = lb.DataSource('memory', file=path)
    Ev2 = ds2.createModel('Ev', {'when': 'date'})
    when = lb.run(lambda: lb.await_(Ev2.findById(1)).when)
    assert when == dt.datetime(2020, 1, 2, 3, 4, 5, 678000, tzinfo=dt.timezone.utc)


def test_write_is_atomic_rename(tmp_path, mocker):
    path = str(tmp_path / 'db.json')
    ds, Thing = make(file=path)
    replace = mocker.spy(os, 'replace')
    fsync = mocker.spy(os, 'fsync')
    lb.run(lambda: lb.await_(Thing.create({'name': 'a'})))
    assert replace.call_count == 1 and replace.call_args[0][1] == path
    assert fsync.call_count == 1
    assert os.listdir(str(tmp_path)) == ['db.json']


def test_corrupt_file_is_a_clear_error_and_is_kept(tmp_path):
    path = tmp_path / 'db.json'
    path.write_text('{"ids": {"Thing": 2}, "models": {"Thing": {"1": "{broken')
    with pytest.raises(LoopBackError) as info:
        lb.DataSource('memory', file=str(path))
    assert 'db.json' in info.value.message and 'not valid JSON' in info.value.message
    assert path.read_text().endswith('{broken')


def test_missing_file_starts_empty(tmp_path):
    ds, Thing = make(file=str(tmp_path / 'new.json'))
    assert lb.run(lambda: lb.await_(Thing.count())) == 0


def test_automigrate_resets_file_counters(tmp_path):
    path = str(tmp_path / 'db.json')
    ds, Thing = make(file=path)
    lb.run(lambda: lb.await_(Thing.create({'name': 'a'})))
    lb.run(lambda: lb.await_(ds.automigrate()))
    assert json.load(open(path)) == {'ids': {'Thing': 1}, 'models': {'Thing': {}}}


def test_get_default_id_type():
    assert Memory().getDefaultIdType() == 'number'


def test_writes_in_one_tick_share_one_file_write(tmp_path, mocker):
    path = str(tmp_path / 'db.json')
    ds, Thing = make(file=path)
    replace = mocker.spy(os, 'replace')
    order = []

    def main():
        lb.await_(Thing.create([{'name': str(i)} for i in range(50)]))
        order.append(replace.call_count)
    lb.run(main)
    assert order == [1]
    assert len(json.load(open(path))['models']['Thing']) == 50


def test_callback_comes_after_the_write(tmp_path):
    path = str(tmp_path / 'db.json')
    ds, Thing = make(file=path)
    seen = []

    def main():
        Thing.create({'name': 'a'}, lambda err, inst: seen.append(
            json.loads(json.load(open(path))['models']['Thing']['1'])))
    lb.run(main)
    assert seen == [{'name': 'a', 'id': 1}]


def test_write_error_reaches_every_waiting_callback(tmp_path, mocker):
    path = tmp_path / 'db.json'
    ds, Thing = make(file=str(path))
    mocker.patch('os.replace', side_effect=OSError('disk full'))
    errors = []

    def main():
        for name in 'ab':
            Thing.create({'name': name}, lambda err, *_: errors.append(err))
    lb.run(main)
    assert [e.message for e in errors] == [
        'Cannot write memory data source file %s: disk full' % path] * 2
    assert os.listdir(str(tmp_path)) == []     # the temporary file was removed


# -- hash indexes -----------------------------------------------------------------
# An indexed look-up must return exactly what a scan returns (same rows, same
# order, same errors), for every filter, after any sequence of writes; and it
# must run the matcher on the candidates only, not on every row (none at all
# when the index answers exactly).

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from loopback_compat import filters  # noqa: E402
from loopback_compat.connectors import memory_index  # noqa: E402

# Values chosen to hit every corner of JavaScript ==: numbers and the strings
# that convert to them ('1', '1.0', ' 1 ', '', '0x1'), booleans, null, NaN,
# and values no index key covers (lists match element-wise, objects, dates).
SCALARS = st.sampled_from([0, 1, 2, -0.0, 1.0, 2.5, float('nan'), float('inf'),
                           '0', '1', '1.0', ' 1 ', '', '  ', '2', 'a', 'b', '0x1', 'Infinity',
                           True, False, None])
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3),
                   st.just({'x': 1}), st.just(filters.undefined))
WHERE_VALUE = st.one_of(
    SCALARS,
    st.fixed_dictionaries({'inq': st.lists(SCALARS, max_size=4)}),
    st.fixed_dictionaries({'neq': SCALARS}),
    st.fixed_dictionaries({'gt': SCALARS}),
    st.fixed_dictionaries({'lte': SCALARS}),
    st.fixed_dictionaries({'between': st.lists(SCALARS, min_size=2, max_size=2)}),
    st.just({'inq': [[1], 2]}),
    st.just({'regexp': '^1'}),
)
PROPS = ('a', 'b')


def where_strategy():
    clause = st.tuples(st.sampled_from(PROPS + ('id',)), WHERE_VALUE)
    plain = st.lists(clause, min_size=1, max_size=3).map(dict)
    combined = plain.map(lambda w: {'and': [w]} if len(w) == 1 and 'a' in w else w)
    # a relation's query: {and: [the caller's where, {fk: id}]}, each clause its own conjunct
    conjuncts = st.lists(clause, min_size=1, max_size=3).map(
        lambda cs: {'and': [{k: v} for k, v in cs]})
    return st.one_of(plain, combined, conjuncts)


ROW = st.fixed_dictionaries({}, optional={'a': VALUES, 'b': VALUES})
ORDERS = st.sampled_from([None, 'a ASC', 'b DESC', ['a DESC', 'b'], 'id DESC'])


def twin_connectors():
    """Two memory data sources with an 'any'-typed model: one indexed, one scanning."""
    pair = []
    for indexed in (True, False):
        ds = lb.DataSource('memory')
        ds.createModel('Thing', {'a': 'any', 'b': 'any'})
        if not indexed:
            ds.connector._index_lookup = lambda model, where: (None, False)
        pair.append(ds.connector)
    return pair


def outcome(fn):
    """fn()'s value, or the error it raised (type and message), for comparison."""
    try:
        return ('ok', fn())
    except LoopBackError as err:
        return ('error', type(err).__name__, err.message)


def ignore_callback(*args):
    pass


def apply_write(conn, op):
    kind, arg, data = op
    if kind == 'create':
        row = dict(data)
        row.pop('id', None)
        conn.create('Thing', row, {}, ignore_callback)
    elif kind == 'save':
        conn.save('Thing', dict(data, id=arg), {}, ignore_callback)
    elif kind == 'replace':
        if conn.collection('Thing').get(str(arg)) is not None:
            conn.replaceById('Thing', arg, dict(data), {}, ignore_callback)
    elif kind == 'destroy':
        conn.destroy('Thing', arg, {}, ignore_callback)
    elif kind == 'updateAll':
        conn.updateAll('Thing', {'a': arg}, dict(data), {}, ignore_callback)
    elif kind == 'destroyAll':
        conn.destroyAll('Thing', {'b': arg}, {}, ignore_callback)
    elif kind == 'replaceOrCreate':
        conn.replaceOrCreate('Thing', dict(data, id=arg), {}, ignore_callback)


WRITES = st.tuples(
    st.sampled_from(['create', 'create', 'create', 'save', 'replace', 'destroy',
                     'updateAll', 'destroyAll', 'replaceOrCreate']),
    st.one_of(st.integers(1, 12), SCALARS.filter(lambda v: not isinstance(v, float))),
    ROW)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(writes=st.lists(WRITES, min_size=1, max_size=25),
       queries=st.lists(st.tuples(where_strategy(), ORDERS,
                                  st.sampled_from([None, 1, 2]), st.sampled_from([None, 1])),
                        min_size=1, max_size=6))
@pytest.mark.lb_fiber
def test_indexed_and_scanned_results_agree(writes, queries):
    fast, slow = twin_connectors()
    for i, op in enumerate(writes):
        # a write whose matcher raises (null against a list...) raises on both
        assert outcome(lambda: apply_write(fast, op)) == outcome(lambda: apply_write(slow, op))
        # query between writes so that the index exists while rows change
        where = queries[i % len(queries)][0]
        assert outcome(lambda: fast._find_all('Thing', {'where': where})) == \
            outcome(lambda: slow._find_all('Thing', {'where': where}))
    for where, order, limit, skip in queries:
        flt = {'where': where}
        if order:
            flt['order'] = order
        if limit:
            flt['limit'] = limit
        if skip:
            flt['skip'] = skip
        got = outcome(lambda: fast._find_all('Thing', flt))
        want = outcome(lambda: slow._find_all('Thing', flt))
        assert got == want, flt
        counts = [outcome(lambda: conn_count(c, where)) for c in (fast, slow)]
        assert counts[0] == counts[1], where
    assert fast.collection('Thing') == slow.collection('Thing')


def conn_count(conn, where):
    box = {}
    conn.count('Thing', where, {}, lambda err, n=None: box.update(err=err, n=n))
    lb.await_(lb.Promise(lambda resolve, reject: lb.nextTick(resolve, None)))
    if box['err'] is not None:
        raise box['err']
    return box['n']


@given(value=VALUES, example=SCALARS)
def test_index_keys_cover_every_loose_match(value, example):
    """JS ``example == value`` implies the value's keys meet the probe's keys
    (or the value has no keys and is always a candidate)."""
    test = filters.make_matcher({'p': example})
    row = {} if value is filters.undefined else {'p': value}
    keys = memory_index.value_keys(row.get('p', filters.undefined))
    probes = memory_index.clause_probe(example)
    if probes is None or keys is None:
        return
    if test(row):
        assert set(keys) & set(probes)


def counting_matchers(monkeypatch):
    """Count every call of every matcher the memory connector builds."""
    calls = {'n': 0}
    real = filters.make_matcher

    def make_matcher(where, info=None):
        match = real(where, info)

        def counted(row):
            calls['n'] += 1
            return match(row)
        return counted
    monkeypatch.setattr(filters, 'make_matcher', make_matcher)
    return calls


def supplier_models(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'balance': 'number', 'supplierId': 'number'})
    Supplier.hasOne(Account, foreignKey='supplierId', as_='account')
    return Supplier, Account


@pytest.mark.parametrize('n', [200, 2000])
def test_relation_lookups_run_no_matcher(monkeypatch, n):
    ds = lb.DataSource('memory')
    Supplier, Account = supplier_models(ds)

    def setup():
        sups = lb.await_(Supplier.create([{'name': str(i)} for i in range(n)]))
        for s in sups:
            lb.await_(s.account.create({'balance': 1}))
        return sups
    sups = lb.run(setup)
    calls = counting_matchers(monkeypatch)

    def main():
        s = sups[n // 2]
        start = calls['n']
        acct = lb.await_(s.account.get())
        assert acct.supplierId == s.id
        per_get = calls['n'] - start
        start = calls['n']
        lb.await_(s.account.update({'balance': 7}))
        lb.await_(s.account.destroy())
        per_write = calls['n'] - start
        start = calls['n']
        found = lb.await_(Account.find({'where': {'supplierId': {'inq': [1, 2, 3]}}}))
        assert [a.supplierId for a in found] == [1, 2, 3]
        per_inq = calls['n'] - start
        start = calls['n']
        with_accounts = lb.await_(Supplier.find({'include': 'account'}))
        assert sum(1 for x in with_accounts if x.toJSON().get('account')) == n - 1
        per_include = calls['n'] - start
        return per_get, per_write, per_inq, per_include
    per_get, per_write, per_inq, per_include = lb.run(main)
    # int foreign keys with no "others" filed: the index answers exactly
    assert (per_get, per_write, per_inq, per_include) == (0, 0, 0, 0)


@pytest.mark.parametrize('n', [200, 2000])
@pytest.mark.lb_fiber
def test_unfiled_rows_turn_the_matcher_back_on(monkeypatch, n):
    # values no key covers (a list matches element-wise) are candidates of
    # every look-up: while any is filed, the candidates go through the matcher
    ds = lb.DataSource('memory')
    Thing = ds.createModel('Thing', {'p': 'any', 'q': 'any'})
    lb.await_(Thing.create([{'p': i, 'q': i % 3} for i in range(n)]))
    lb.await_(Thing.create([{'p': [5, 6]}, {'p': {'x': 5}}, {'p': [7]}]))
    calls = counting_matchers(monkeypatch)
    found = lb.await_(Thing.find({'where': {'p': 5}}))
    assert [t.p for t in found] == [5, [5, 6]]
    assert calls['n'] == 1 + 3      # the filed 5 and the 3 unfiled rows
    assert lb.await_(Thing.count({'p': {'inq': [6, 7]}})) == 4
    assert calls['n'] == 4 + 2 + 3
    lb.await_(Thing.destroyAll({'q': None}))
    assert lb.await_(Thing.count({'p': {'inq': [6, 7]}})) == 2
    # destroyAll matched the 3 rows filed under null; the count was exact
    assert calls['n'] == 9 + 3
    # more than one clause: the candidates go through the matcher
    found = lb.await_(Thing.find({'where': {'p': 5, 'q': 2}}))
    assert [t.p for t in found] == [5]
    assert calls['n'] == 12 + 1


def test_index_follows_every_kind_of_write(tmp_path):
    path = str(tmp_path / 'db.json')
    ds = lb.DataSource('memory', file=path)
    Supplier, Account = supplier_models(ds)

    def ids(where):
        return [a.id for a in lb.await_(Account.find({'where': where}))]

    def main():
        lb.await_(Account.create([{'supplierId': 1}, {'supplierId': 2}, {'supplierId': 1}]))
        assert ids({'supplierId': 1}) == [1, 3]             # builds the index
        lb.await_(Account.create({'supplierId': 1}))
        assert ids({'supplierId': 1}) == [1, 3, 4]
        a1 = lb.await_(Account.findById(1))
        lb.await_(a1.updateAttributes({'supplierId': 2}))
        assert ids({'supplierId': 2}) == [1, 2]
        lb.await_(Account.replaceById(2, {'supplierId': 5}))
        assert ids({'supplierId': 5}) == [2] and ids({'supplierId': 2}) == [1]
        lb.await_(Account.updateAll({'supplierId': 1}, {'supplierId': 9}))
        assert ids({'supplierId': 9}) == [3, 4] and ids({'supplierId': 1}) == []
        lb.await_(Account.upsert({'id': 3, 'supplierId': 1}))
        lb.await_(Account.replaceOrCreate({'id': 4, 'supplierId': 1}))
        assert ids({'supplierId': 1}) == [3, 4]
        lb.await_(Account.destroyById(3))
        lb.await_(Account.destroyAll({'supplierId': 5}))
        assert ids({'supplierId': {'inq': [1, 5]}}) == [4]
        a = lb.await_(Account.findById(4))
        a.supplierId = 7
        lb.await_(a.save())
        assert ids({'supplierId': 7}) == [4] and ids({'supplierId': '7'}) == [4]
    lb.run(main)

    ds2 = lb.DataSource('memory', file=path)         # file reload
    Supplier2, Account2 = supplier_models(ds2)
    assert lb.run(lambda: [a.id for a in lb.await_(
        Account2.find({'where': {'supplierId': 7}}))]) == [4]

    def migrate():
        lb.await_(ds.automigrate())
        assert ids({'supplierId': 7}) == []
        lb.await_(Account.create({'supplierId': 7}))
        assert ids({'supplierId': 7}) == [1]
        lb.await_(Account.destroyAll())
        assert ids({'supplierId': 7}) == []
    lb.run(migrate)


@pytest.mark.lb_fiber
def test_index_keeps_scan_order_for_ties():
    """Rows sharing an order value come out in insertion order, as in a scan,
    even after a row moved into the looked-up bucket late."""
    fast, slow = twin_connectors()
    for conn in (fast, slow):
        for i in range(6):
            conn.create('Thing', {'a': i % 2, 'b': 'same'}, {}, ignore_callback)
        fast._find_all('Thing', {'where': {'a': 0}})
        conn.save('Thing', {'id': 1, 'a': 0, 'b': 'same'}, {}, ignore_callback)
        conn.save('Thing', {'id': 2, 'a': 0, 'b': 'same'}, {}, ignore_callback)
    flt = {'where': {'a': 0}, 'order': 'b'}
    assert fast._find_all('Thing', flt) == slow._find_all('Thing', flt)
    assert [r['id'] for r in fast._find_all('Thing', flt)] == [1, 2, 3, 5]


INT_EXAMPLES = st.one_of(st.integers(-3, 3), st.sampled_from([0, 1, 2, 16, 2 ** 53]))


@given(value=VALUES, example=INT_EXAMPLES, ints=st.lists(INT_EXAMPLES, min_size=1, max_size=4))
def test_an_int_matches_exactly_the_values_filed_under_its_key(value, example, ints):
    """index_plan's ``exact``: for a value that has keys, sharing a key with
    an int probe is the same as matching it (so the matcher can be skipped)."""
    keys = memory_index.value_keys(value)
    if keys is None:
        return      # an "other": exact look-ups are off while any is filed
    row = {} if value is filters.undefined else {'p': value}
    for where_value in (example, {'inq': ints}):
        filed = bool(set(keys) & set(memory_index.clause_probe(where_value)))
        assert filed == filters.make_matcher({'p': where_value})(row), (value, where_value)
        assert memory_index.index_plan({'p': where_value})[2] is True


def test_index_plan_is_exact_only_for_one_clause_of_ints():
    plan = memory_index.index_plan
    assert plan({'p': 1}) == ('p', (1,), True)
    assert plan({'p': {'inq': [1, 2]}}) == ('p', [1, 2], True)
    assert plan({'p': True}) == ('p', (1,), False)    # ints only, by design
    assert not plan({'p': '1'})[2]            # '1' must not match ' 1 ' or '1.0'
    assert not plan({'p': 1.5})[2]
    assert not plan({'p': True})[2]
    assert not plan({'p': None})[2]
    assert not plan({'p': {'inq': [1, '2']}})[2]
    assert not plan({'p': {'inq': []}})[2]
    assert not plan({'p': 1, 'q': 2})[2]      # the other clause still has to match


@given(value=VALUES, ints=st.lists(st.integers(-3, 3), min_size=1, max_size=4))
def test_int_inq_takes_the_same_keys_and_matches_as_any_inq(value, ints):
    # all-int inq lists (include pages) have fast paths in the probe and the
    # matcher; both must agree with the element-by-element definitions
    assert memory_index.clause_probe({'inq': ints}) == \
        [k for v in ints for k in memory_index.probe_keys(v)]
    row = {} if value is filters.undefined else {'p': value}
    expected = any(filters.make_matcher({'p': v})(row) for v in ints) \
        if not isinstance(value, list) else None
    if expected is not None:
        assert filters.make_matcher({'p': {'inq': ints}})(row) == expected
        assert filters.make_matcher({'p': {'nin': ints}})(row) == (not expected)


def test_create_coerces_given_ids_to_the_id_type_and_bumps_the_counter():
    ds = lb.DataSource('memory')
    ds.createModel('Num', {'name': 'string'}, {'forceId': False})
    ds.createModel('Text', {'id': {'type': 'string', 'id': True}, 'name': 'string'})
    conn = ds.connector
    ids = []

    def create(model, data):
        conn.create(model, data, {}, lambda err, id_value=None: ids.append((err, id_value)))

    def main():
        create('Num', {'id': '7'})      # a numeric string: stored as the number
        create('Num', {})               # the counter went past the given id
        create('Num', {'id': 3})
        create('Text', {'id': 5})       # a number for a string id: its text
        create('Text', {'id': 'x'})
        lb.await_(lb.Promise(lambda resolve, reject: lb.setImmediate(resolve, None)))
    lb.run(main)
    assert ids == [(None, 7), (None, 8), (None, 3), (None, '5'), (None, 'x')]
    assert [type(v) for _, v in ids] == [int, int, int, str, str]
    assert list(conn.collection('Num')) == ['7', '8', '3']
    assert list(conn.collection('Text')) == ['5', 'x']


def test_index_plan_looks_into_and_lists_in_their_order():
    """A hasMany accessor's query is an and-list ending with the foreign key:
    the fk's index serves it when every clause before it is safe."""
    plan = memory_index.index_plan
    assert plan({'and': [{'amount': {'gte': 3}}, {'customerId': 1}]}) == ('customerId', (1,), False)
    assert plan({'and': [{'a': {'between': [1, 5]}}, {'b': {'inq': [1, 2]}}]}) == ('b', [1, 2], False)
    assert plan({'and': [{'a': {'lt': 2}}], 'b': 7}) == ('b', (7,), False)
    # a clause that could raise in a scan before the indexed one: scan
    assert plan({'and': [{'a': {'regexp': '^x'}}, {'customerId': 1}]}) is None
    assert plan({'and': [None, {'customerId': 1}]}) is None
    assert plan({'and': [{'or': [{'a': 1}]}, {'customerId': 1}]}) is None
    assert plan({'and': [{'a': {'gte': [1]}}, {'customerId': 1}]}) is None
    assert plan({'and': [{'a.b': {'gte': 1}}, {'customerId': 1}]}) is None
    assert plan({'and': [{'a': {'gte': 1}}]}) is None


@given(value=VALUES, op=st.sampled_from(['gt', 'gte', 'lt', 'lte', 'neq']), bound=SCALARS,
       low=SCALARS, high=SCALARS)
def test_a_safe_comparison_never_raises_on_any_row(value, op, bound, low, high):
    """_safe_clause's comparisons: a scan over any row value cannot raise,
    so rows the index leaves out could not have raised either."""
    row = {} if value is filters.undefined else {'p': value}
    for cond in ({op: bound}, {'between': [low, high]}):
        if memory_index._safe_clause('p', cond):     # scalar bounds; None is left out
            filters.make_matcher({'p': cond})(row)
    assert memory_index._safe_clause('p', {op: 1}) and memory_index._safe_clause('p', {'between': [0, 'a']})
