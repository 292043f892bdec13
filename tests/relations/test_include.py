"""include for hasOne (and belongsTo): juggler's test/include.test.js hasOne
tests, the transcript's include_shape scenarios, and query batching."""

import pytest

import loopback_compat as lb
from loopback_compat.errors import LoopBackError


@pytest.fixture
def users(ds):
    """include.test.js setup: Users A-E, Profiles A (user 1), B (user 2), Z (none)."""
    User = ds.createModel('User', {'name': str, 'age': 'number'})
    Profile = ds.createModel('Profile', {'profileName': str})
    Profile.belongsTo('user', {'model': User})
    User.hasOne('profile', {'foreignKey': 'userId'})
    created = {}

    def seed():
        created['users'] = [lb.await_(User.create({'name': 'User %s' % c, 'age': 21 + i}))
                            for i, c in enumerate('ABCDE')]
        u = created['users']
        created['profiles'] = [
            lb.await_(Profile.create({'profileName': 'Profile A', 'userId': u[0].id})),
            lb.await_(Profile.create({'profileName': 'Profile B', 'userId': u[1].id})),
            lb.await_(Profile.create({'profileName': 'Profile Z'})),
        ]
        return created
    return User, Profile, seed


def count_queries(Model):
    """A list that gets one entry per query (access hook) on ``Model``."""
    log = []

    def hook(ctx, next_):
        log.append(ctx.query.get('where') if ctx.query else None)
        next_()
    Model.observe('access', hook)
    return log


# -- include.test.js -------------------------------------------------------------

@pytest.mark.lb_fiber
def test_should_fetch_user_profile_has_one(users):
    User, Profile, seed = users
    seed()
    found = lb.await_(User.find({'include': ['profile']}))
    assert found
    with_profile = 0
    for user in found:
        assert callable(user.profile)
        as_json = user.toJSON()
        profile = user.profile()
        if profile is not None:
            assert isinstance(profile, Profile)
            with_profile += 1
        else:
            assert profile is None
        assert '__cachedRelations' not in as_json
        assert 'profile' in user._cached_relations
        cached = user._cached_relations['profile']
        if cached is not None:
            assert str(cached.userId) == str(user.id)
            with_profile += 1
    assert with_profile == 2 * 2


@pytest.mark.lb_fiber
def test_works_when_has_one_is_called(users):
    User, Profile, seed = users
    created = seed()
    user = lb.await_(User.findOne({'include': {'relation': 'profile'}, 'order': 'id'}))
    assert (user.name, user.age, user.id) == ('User A', 21, created['users'][0].id)
    profile = user.profile()
    first = created['profiles'][0]
    assert profile.profileName == 'Profile A'
    assert profile.userId == first.userId and profile.id == first.id


@pytest.mark.lb_fiber
def test_does_not_return_included_item_if_has_one_is_missing_the_id_property(users):
    User, Profile, seed = users
    seed()
    user = lb.await_(User.findOne({'include': {'relation': 'profile'}, 'fields': 'name'}))
    assert user is not None
    assert 'profile' not in user.toJSON()


# -- shape (transcript include_shape) -----------------------------------------------

@pytest.fixture
def suppliers(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'acctmgr': 'string', 'balance': 'number'})
    Supplier.hasOne(Account)

    def seed():
        s1 = lb.await_(Supplier.create({'name': 'with account'}))
        lb.await_(s1.account.create({'acctmgr': 'm1', 'balance': 100}))
        s2 = lb.await_(Supplier.create({'name': 'without account'}))
        return s1, s2
    return Supplier, Account, seed


EXPECTED = [{'name': 'with account', 'id': 1,
             'account': {'acctmgr': 'm1', 'balance': 100, 'id': 1, 'supplierId': 1}},
            {'name': 'without account', 'id': 2}]


@pytest.mark.lb_fiber
def test_include_json_shape_and_cache(suppliers, errback):
    Supplier, Account, seed = suppliers
    log = count_queries(Account)
    s1, s2 = seed()
    log.clear()
    found = lb.await_(Supplier.find({'include': 'account'}))
    assert [s.toJSON() for s in found] == EXPECTED
    assert log == [{'supplierId': {'inq': [s1.id, s2.id]}}]
    assert isinstance(found[0].account(), Account)
    assert found[0].account().acctmgr == 'm1'
    assert found[1].account() is None
    assert found[1]._cached_relations == {'account': None}
    out = errback(found[1].account)
    assert out.result is None and out.returned is None
    assert len(log) == 1, 'cached null must not query again'


@pytest.mark.parametrize('include', [
    'account', ['account'], {'account': True}, {'relation': 'account'},
    {'relation': 'account', 'scope': {}}])
@pytest.mark.lb_fiber
def test_include_spellings(suppliers, include):
    Supplier, Account, seed = suppliers
    seed()
    found = lb.await_(Supplier.find({'include': include}))
    assert [s.toJSON() for s in found] == EXPECTED


@pytest.mark.lb_fiber
def test_find_by_id_with_include(suppliers):
    Supplier, Account, seed = suppliers
    s1, _ = seed()
    assert lb.await_(Supplier.findById(s1.id, {'include': 'account'})).toJSON() == \
        EXPECTED[0]


@pytest.mark.lb_fiber
def test_include_scope_fields_keep_the_foreign_key(suppliers):
    Supplier, Account, seed = suppliers
    seed()
    found = lb.await_(Supplier.find({'include': {
        'relation': 'account', 'scope': {'fields': ['acctmgr']}}}))
    assert found[0].toJSON()['account'] == {'acctmgr': 'm1', 'supplierId': 1}
    as_text = lb.await_(Supplier.find({'include': {
        'relation': 'account', 'scope': {'fields': 'acctmgr'}}}))
    assert as_text[0].toJSON()['account'] == {'acctmgr': 'm1', 'supplierId': 1}


@pytest.mark.lb_fiber
def test_include_scope_where_filters_targets(suppliers):
    Supplier, Account, seed = suppliers
    seed()
    found = lb.await_(Supplier.find({'include': {
        'relation': 'account', 'scope': {'where': {'balance': {'gt': 500}}}}}))
    assert [s.toJSON() for s in found] == [
        {'name': 'with account', 'id': 1}, {'name': 'without account', 'id': 2}]
    assert found[0].account() is None


@pytest.mark.lb_fiber
def test_getter_loaded_relation_is_not_serialised(suppliers):
    Supplier, Account, seed = suppliers
    s1, _ = seed()
    assert s1.account() is not None
    assert s1.toJSON() == {'name': 'with account', 'id': 1}
    plain = lb.await_(Supplier.find())
    assert plain[0].toJSON() == {'name': 'with account', 'id': 1}


@pytest.mark.lb_fiber
def test_unknown_relation(suppliers, errback, rejection):
    Supplier, Account, seed = suppliers
    seed()
    err = rejection(Supplier.find({'include': 'nope'}))
    assert isinstance(err, LoopBackError)
    assert err.message == 'Relation "nope" is not defined for Supplier model'
    # juggler sets no statusCode (REST: 500); a 400 is a deliberate fix
    assert err.statusCode == 400 and err.code is None
    out = errback(Supplier.include, lb.await_(Supplier.find()), 'nope', {})
    assert out.err.message == 'Relation "nope" is not defined for Supplier model'


@pytest.mark.lb_fiber
def test_model_include_directly(suppliers, errback):
    Supplier, Account, seed = suppliers
    seed()
    found = lb.await_(Supplier.find())
    out = errback(Supplier.include, found, 'account')
    assert out.err is None and out.result == found
    assert found[0].account().acctmgr == 'm1'
    assert found[0].toJSON() == EXPECTED[0]
    empty = errback(Supplier.include, [], 'account')
    assert empty.result == []
    assert lb.await_(Supplier.include(found, None)) == found


@pytest.mark.lb_fiber
def test_last_duplicate_wins_in_include(suppliers):
    # juggler: include keeps the last target per key (highest id on memory),
    # the getter the first.
    Supplier, Account, seed = suppliers
    s = lb.await_(Supplier.create({'name': 'dup'}))
    lb.await_(Account.create({'acctmgr': 'dup-a', 'supplierId': s.id}))
    lb.await_(Account.create({'acctmgr': 'dup-b', 'supplierId': s.id}))
    found = lb.await_(Supplier.findById(s.id, {'include': 'account'}))
    assert found.account().acctmgr == 'dup-b'


@pytest.mark.lb_fiber
def test_disable_include_skips_silently(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'acctmgr': 'string'})
    Supplier.hasOne(Account, options={'disableInclude': True})
    log = count_queries(Account)
    s = lb.await_(Supplier.create({'name': 's'}))
    lb.await_(s.account.create({'acctmgr': 'm'}))
    log.clear()
    found = lb.await_(Supplier.find({'include': 'account'}))
    assert found[0].toJSON() == {'name': 's', 'id': s.id}
    assert found[0].account() is None and log == []


@pytest.mark.lb_fiber
def test_sub_include(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'acctmgr': 'string'})
    Manager = ds.createModel('Manager', {'name': 'string'})
    Supplier.hasOne(Account)
    Account.hasOne(Manager)
    s = lb.await_(Supplier.create({'name': 's'}))
    act = lb.await_(s.account.create({'acctmgr': 'm'}))
    lb.await_(act.manager.create({'name': 'Boss'}))
    for spec in ({'account': 'manager'},
                 {'relation': 'account', 'scope': {'include': 'manager'}}):
        found = lb.await_(Supplier.findOne({'include': spec}))
        assert found.toJSON()['account']['manager']['name'] == 'Boss'
        assert found.account().manager().name == 'Boss'


@pytest.mark.lb_fiber
def test_dict_with_several_keys_includes_only_the_first(ds):
    # juggler quirk kept: {a: true, b: true} includes 'a' (twice), never 'b'.
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'acctmgr': 'string'})
    Boss = ds.createModel('Boss', {'x': 'string'})
    Supplier.hasOne(Account)
    Supplier.hasOne(Boss)
    s = lb.await_(Supplier.create({'name': 'a'}))
    lb.await_(s.account.create({'acctmgr': 'm'}))
    lb.await_(s.boss.create({'x': 'y'}))
    found = lb.await_(Supplier.find({'include': {'account': True, 'boss': True}}))
    assert 'account' in found[0].toJSON() and 'boss' not in found[0].toJSON()


# -- batching --------------------------------------------------------------------

@pytest.mark.lb_fiber
def test_one_query_per_relation_for_many_parents(ds, mocker):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'acctmgr': 'string'})
    Supplier.hasOne(Account)
    log = count_queries(Account)
    for i in range(30):
        s = lb.await_(Supplier.create({'name': 's%d' % i}))
        if i % 3:
            lb.await_(s.account.create({'acctmgr': 'm%d' % i}))
    log.clear()
    spy = mocker.spy(ds.connector, 'all')
    found = lb.await_(Supplier.find({'include': 'account'}))
    assert len(log) == 1
    assert sorted(log[0]['supplierId']['inq']) == sorted(s.id for s in found)
    assert spy.call_count == 2  # suppliers, then accounts
    assert sum(1 for s in found if 'account' in s.toJSON()) == 20


@pytest.mark.lb_fiber
def test_inq_limit_pages_the_keys(ds):
    ds.settings['inqLimit'] = 4
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'acctmgr': 'string'})
    Supplier.hasOne(Account)
    log = count_queries(Account)
    for i in range(10):
        s = lb.await_(Supplier.create({'name': 's%d' % i}))
        lb.await_(s.account.create({'acctmgr': 'm%d' % i}))
    log.clear()
    found = lb.await_(Supplier.find({'include': 'account'}))
    assert len(log) == 3
    assert all(s.account().acctmgr == 'm%d' % i for i, s in enumerate(found))


@pytest.mark.lb_fiber
def test_no_query_when_no_parent_has_a_key(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'acctmgr': 'string'})
    Supplier.hasOne(Account)
    log = count_queries(Account)
    lb.await_(Supplier.create({'name': 's'}))
    found = lb.await_(Supplier.find({'fields': ['name'], 'include': 'account'}))
    assert log == []
    assert found[0].toJSON() == {'name': 's'}


@pytest.mark.lb_fiber
def test_include_scope_with_limit_applies_to_each_key_in_one_query(suppliers):
    # juggler honours limit/skip in an include scope by querying key by key;
    # here one query reads them all and each key's targets are cut alone
    # (relations/include_paging.py): the same accounts, one query.
    Supplier, Account, seed = suppliers
    log = count_queries(Account)
    seed()
    s3 = lb.await_(Supplier.create({'name': 'third'}))
    lb.await_(s3.account.create({'acctmgr': 'm3'}))
    lb.await_(Account.create({'acctmgr': 'm3b', 'supplierId': s3.id}))
    log.clear()
    found = lb.await_(Supplier.find({'include': {
        'relation': 'account', 'scope': {'limit': 1}}}))
    assert len(log) == 1
    assert [s.account() and s.account().acctmgr for s in found] == ['m1', None, 'm3']
    found = lb.await_(Supplier.find({'include': {
        'relation': 'account', 'scope': {'skip': 1}}}))
    assert [s.account() and s.account().acctmgr for s in found] == [None, None, 'm3b']


@pytest.mark.lb_fiber
def test_include_on_plain_dicts(suppliers, errback):
    Supplier, Account, seed = suppliers
    s1, s2 = seed()
    rows = [{'id': s1.id, 'name': s1.name}, {'id': s2.id, 'name': s2.name}]
    out = errback(Supplier.include, rows, 'account')
    assert out.err is None
    assert rows[0]['account'].acctmgr == 'm1'
    assert 'account' not in rows[1]


@pytest.mark.lb_fiber
def test_belongs_to_scope_fields_keep_keys_for_sub_includes(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'acctmgr': 'string'})
    Region = ds.createModel('Region', {'label': 'string'})
    Account.belongsTo(Supplier)
    Supplier.belongsTo(Region)
    region = lb.await_(Region.create({'label': 'EU'}))
    s = lb.await_(Supplier.create({'name': 'Acme', 'regionId': region.id}))
    lb.await_(Account.create({'acctmgr': 'm', 'supplierId': s.id}))
    found = lb.await_(Account.findOne({'include': {'relation': 'supplier', 'scope': {
        'fields': ['name'], 'include': ['region']}}}))
    supplier = found.toJSON()['supplier']
    assert supplier['name'] == 'Acme' and supplier['region'] == {'label': 'EU', 'id': 1}


@pytest.mark.parametrize('extra', ['nothing', 'a dict row', 'a second copy'])
def test_include_links_every_parent_of_a_mixed_or_repeated_list(suppliers, errback, extra):
    # instances only take the bulk path; a dict among them takes the general
    # one; parents sharing a key all get the target
    Supplier, Account, seed = suppliers

    def main():
        s1, s2 = seed()
        parents = lb.await_(Supplier.find({'order': 'id ASC'}))
        if extra == 'a dict row':
            parents.append({'id': s1.id, 'name': 'row'})
        elif extra == 'a second copy':
            parents.append(lb.await_(Supplier.findById(s1.id)))
        out = errback(Supplier.include, parents, 'account')
        assert out.err is None
        return parents
    parents = lb.run(main)
    managers = [(p if isinstance(p, dict) else p.toJSON()).get('account') for p in parents]
    managers = [getattr(m, 'acctmgr', None) or (m or {}).get('acctmgr') for m in managers]
    assert managers[:2] == ['m1', None]
    if extra != 'nothing':
        assert managers[2] == 'm1'
    assert parents[0].account().acctmgr == 'm1' and parents[1].account() is None


def test_inq_keys_are_deduplicated_per_type():
    from loopback_compat.relations.include import _uniq
    assert _uniq([3, 1, 3, 2, 1]) == [3, 1, 2]
    assert _uniq(['b', 'a', 'b']) == ['b', 'a']
    assert _uniq([1, '1', True, 1, 1.0]) == [1, '1', True, 1.0]   # types kept apart
    assert _uniq([]) == []


# -- the bulk paths of one_to_one (int keys, one parent each) -----------------------
# Loaded parents whose keys are distinct non-zero ints are indexed in bulk, and
# int-keyed targets are linked in bulk; anything else takes the general loop.
# Either way each parent gets the LAST target whose key reads as its key
# (String(key) in juggler), or None.

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from loopback_compat.types import coerce_value  # noqa: E402

FK_VALUES = st.one_of(st.integers(0, 6), st.sampled_from(['1', '2', ' 3', '4.0', None]))


def _expected_links(parent_keys, target_keys):
    """{parent key: index of its last target, or None}; falsy keys link nothing."""
    out = {}
    for key in parent_keys:
        matches = [i for i, k in enumerate(target_keys)
                   if k is not None and k != 0 and str(k) == str(key)]
        out[key] = matches[-1] if matches else None
    return out


def _linked(parent_model, parent_key, name):
    """{parent key: the 'n' of its included target, or None}, checking that the
    relation cache holds the same target."""
    def main():
        found = lb.await_(parent_model.find({'order': 'id ASC', 'include': name}))
        out = {}
        for parent in found:
            target = parent.toJSON().get(name)
            cached = parent.__dict__['__cachedRelations'][name]
            assert (target is None and cached is None) or target is cached or \
                target == cached.toJSON()
            out[parent[parent_key]] = None if target is None else target['n']
        return out
    return lb.run(main)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fks=st.lists(FK_VALUES, max_size=10))
def test_has_one_include_links_the_last_target_per_key(fks):
    ds = lb.DataSource('memory')
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'n': 'number', 'supplierId': 'any'})
    Supplier.hasOne(Account, foreignKey='supplierId', as_='account')

    def seed():
        lb.await_(Supplier.create([{'name': str(i)} for i in range(5)]))
        for n, fk in enumerate(fks):
            lb.await_(Account.create({'n': n, 'supplierId': fk}))
    lb.run(seed)
    # hasOne retypes the foreign key to the id's type (juggler's defineForeignKey)
    stored = [coerce_value('number', fk) for fk in fks]
    assert _linked(Supplier, 'id', 'account') == \
        _expected_links([1, 2, 3, 4, 5], stored)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fks=st.lists(st.integers(0, 6), max_size=8))
def test_belongs_to_include_links_parents_that_share_or_lack_a_key(fks):
    # parents here are the accounts: their keys may repeat or be 0
    ds = lb.DataSource('memory')
    Supplier = ds.createModel('Supplier', {'n': 'number'})
    Account = ds.createModel('Account', {'supplierId': 'number'})
    Account.belongsTo(Supplier, foreignKey='supplierId', as_='supplier')

    def seed():
        lb.await_(Supplier.create([{'n': i} for i in range(5)]))
        lb.await_(Account.create([{'supplierId': fk} for fk in fks]))
        found = lb.await_(Account.find({'order': 'id ASC', 'include': 'supplier'}))
        return [(a.toJSON().get('supplier') or {}).get('id') for a in found]
    got = lb.run(seed)
    assert got == [fk if 1 <= fk <= 5 else None for fk in fks]


def test_include_bulk_paths_on_every_connector(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'n': 'number', 'supplierId': 'number'})
    Supplier.hasOne(Account, foreignKey='supplierId', as_='account')
    Account.belongsTo(Supplier, foreignKey='supplierId', as_='supplier')

    def main():
        lb.await_(Supplier.create([{'name': str(i)} for i in range(4)]))
        # supplier 1 twice (the last wins), 3 none, a 0 key and an unset one
        lb.await_(Account.create([{'n': 0, 'supplierId': 1}, {'n': 1, 'supplierId': 2},
                                  {'n': 2, 'supplierId': 1}, {'n': 3, 'supplierId': 4},
                                  {'n': 4, 'supplierId': 0}, {'n': 5}]))
        sups = lb.await_(Supplier.find({'order': 'id ASC', 'include': 'account'}))
        accts = lb.await_(Account.find({'order': 'id ASC', 'include': 'supplier'}))
        return ([(s.id, (s.toJSON().get('account') or {}).get('n')) for s in sups],
                [(a.n, (a.toJSON().get('supplier') or {}).get('id')) for a in accts])
    sups, accts = lb.run(main)
    assert sups == [(1, 2), (2, 1), (3, None), (4, 3)]
    assert accts == [(0, 1), (1, 2), (2, 1), (3, 4), (4, None), (5, None)]


def test_a_zero_key_is_left_out_of_the_include_query(ds):
    # distinct int keys with a 0 among them: the 0 is not looked up (juggler
    # skips falsy keys) and its parent gets no target
    Supplier = ds.createModel('Supplier', {'n': 'number'})
    Account = ds.createModel('Account', {'supplierId': 'number'})
    Account.belongsTo(Supplier, foreignKey='supplierId', as_='supplier')
    queries = count_queries(Supplier)

    def main():
        lb.await_(Supplier.create([{'n': i} for i in range(3)]))
        lb.await_(Account.create([{'supplierId': 2}, {'supplierId': 0}, {'supplierId': 3}]))
        del queries[:]
        found = lb.await_(Account.find({'order': 'id ASC', 'include': 'supplier'}))
        return [(a.toJSON().get('supplier') or {}).get('id') for a in found]
    assert lb.run(main) == [2, None, 3]
    assert queries == [{'id': {'inq': [2, 3]}}]


def test_distinct_int_parent_keys_find_targets_keyed_by_number_text(ds):
    # parents' keys are distinct ints (the bulk index) while a target's key is
    # the float 2.0: it still links by String(key), '2' as in JavaScript
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'n': 'number', 'supplierId': 'number'})
    Supplier.hasOne(Account, foreignKey='supplierId', as_='account')

    def main():
        lb.await_(Supplier.create([{'name': 'a'}, {'name': 'b'}, {'name': 'c'}]))
        lb.await_(Account.create([{'n': 10, 'supplierId': 1}, {'n': 20, 'supplierId': 2.0}]))
        found = lb.await_(Supplier.find({'order': 'id ASC', 'include': 'account'}))
        return [(s.id, (s.toJSON().get('account') or {}).get('n')) for s in found]
    assert lb.run(main) == [(1, 10), (2, 20), (3, None)]


# -- the order of hooks, options, the caller's list ------------------------------

def _blog(ds):
    """Users with posts (hasMany) and profiles (hasOne); posts' author (belongsTo)."""
    User = ds.createModel('User', {'name': str})
    Post = ds.createModel('Post', {'title': str})
    Profile = ds.createModel('Profile', {'pn': str})
    User.hasMany(Post, {'as': 'posts', 'foreignKey': 'userId'})
    User.hasOne(Profile, {'as': 'profile', 'foreignKey': 'userId'})
    Post.belongsTo(User, {'as': 'author', 'foreignKey': 'userId'})
    lb.await_(ds.automigrate())
    u1 = lb.await_(User.create({'name': 'a'}))
    u2 = lb.await_(User.create({'name': 'b'}))
    lb.await_(User.create({'name': 'c'}))
    lb.await_(Post.create({'title': 't1', 'userId': u1.id}))
    lb.await_(Post.create({'title': 't2', 'userId': u1.id}))
    lb.await_(Post.create({'title': 't3', 'userId': u2.id}))
    lb.await_(Profile.create({'pn': 'p', 'userId': u2.id}))
    return User, Post, Profile


def _hook_log(*models):
    log = []
    for model in models:
        def access(ctx, next_, name=model.modelName):
            log.append((name, 'access'))
            next_()

        def loaded(ctx, next_, name=model.modelName):
            data = ctx.data
            log.append((name, 'loaded', sorted(k for k in data if k != '__cachedRelations'),
                        sorted(data.get('__cachedRelations') or ())))
            next_()
        model.observe('access', access)
        model.observe('loaded', loaded)
    return log


@pytest.mark.lb_fiber
def test_include_runs_before_the_parents_loaded_hooks(ds):
    # juggler: the connector's all() includes into its rows, then find runs
    # 'loaded' on each row, related data in it (Node 20, juggler 3.36.1)
    User, Post, Profile = _blog(ds)
    log = _hook_log(User, Post, Profile)
    lb.await_(User.find({'include': ['posts', 'profile'], 'order': 'id'}))
    assert log == [
        ('User', 'access'),
        ('Post', 'access'),
        ('Profile', 'access'),
        ('Post', 'loaded', ['id', 'title', 'userId'], []),
        ('Post', 'loaded', ['id', 'title', 'userId'], []),
        ('Post', 'loaded', ['id', 'title', 'userId'], []),
        ('Profile', 'loaded', ['id', 'pn', 'userId'], []),
        ('User', 'loaded', ['id', 'name', 'posts'], ['posts', 'profile']),
        ('User', 'loaded', ['id', 'name', 'posts', 'profile'], ['posts', 'profile']),
        ('User', 'loaded', ['id', 'name', 'posts'], ['posts', 'profile']),
    ]


@pytest.mark.lb_fiber
def test_a_loaded_hook_sees_and_changes_the_included_data(ds):
    User, Post, Profile = _blog(ds)

    def loaded(ctx, next_):
        for post in ctx.data.get('posts') or []:
            post.title = post.title.upper()
        next_()
    User.observe('loaded', loaded)
    found = lb.await_(User.find({'include': 'posts', 'order': 'id'}))
    assert [[p['title'] for p in u.toJSON()['posts']] for u in found] == [
        ['T1', 'T2'], ['T3'], []]


INCLUDES = [
    'profile', 'posts', ['posts', 'profile'], {'posts': 'author'},
    {'relation': 'posts', 'scope': {'fields': ['title'], 'order': 'title DESC', 'limit': 1}},
    {'relation': 'profile', 'scope': {'where': {'pn': 'p'}}},
    [{'posts': {'author': 'profile'}}, 'profile'],
]


@pytest.mark.parametrize('include', INCLUDES)
@pytest.mark.lb_fiber
def test_include_before_loaded_gives_what_include_after_building_gives(ds, include):
    """With a 'loaded' observer include runs on the connector's rows (juggler's
    order); without one on the built instances (faster, and nothing can tell):
    both give the same instances, JSON and caches."""
    User, Post, Profile = _blog(ds)
    flt = {'include': include, 'order': 'id'}
    plain = lb.await_(User.find(flt))
    User.observe('loaded', lambda ctx, next_: next_())
    observed = lb.await_(User.find(flt))
    assert [u.toJSON() for u in observed] == [u.toJSON() for u in plain]
    for a, b in zip(observed, plain):
        assert sorted(a._cached_relations) == sorted(b._cached_relations)
        for name, value in a._cached_relations.items():
            other = b._cached_relations[name]
            if isinstance(value, list):
                assert [v.toJSON() for v in value] == [v.toJSON() for v in other]
            else:
                assert (value and value.toJSON()) == (other and other.toJSON())


@pytest.mark.lb_fiber
def test_include_errors_alike_before_or_after_loaded(ds, rejection):
    User, Post, Profile = _blog(ds)
    flt = {'include': ['profile', 'posts'], 'fields': ['name'], 'order': 'id'}
    plain = rejection(User.find(flt))
    log = _hook_log(User)
    observed = rejection(User.find(flt))
    assert observed.message == plain.message == (
        'ID property "id" is missing for included item: {"name":"a"}. Please make sure '
        '`fields` include "id" if it\'s present in the `filter`')
    assert observed.statusCode == 400
    assert log == [('User', 'access')], 'no loaded hook after a failed include (juggler)'


@pytest.mark.lb_fiber
def test_has_many_with_a_sub_include_sets_partition_by_on_the_options(ds):
    # juggler's includeHasMany: options.partitionBy = relation.keyTo
    User, Post, Profile = _blog(ds)
    seen = []
    Post.observe('access', lambda ctx, next_: (seen.append(dict(ctx.options)), next_()))
    options = {'x': 1}
    lb.await_(User.find({'include': 'posts'}, options))
    assert seen[-1] == {'x': 1} and options == {'x': 1}
    lb.await_(User.find({'include': {'posts': 'author'}}, options))
    assert seen[-1] == {'x': 1, 'partitionBy': 'userId'}
    assert options == {'x': 1, 'partitionBy': 'userId'}


@pytest.mark.lb_fiber
def test_model_include_calls_back_with_the_callers_list(suppliers, errback):
    Supplier, Account, seed = suppliers
    s1, s2 = seed()
    for rows, spec in (([], 'account'), ([{'id': s1.id}], []), ([{'id': s1.id}], 'account')):
        out = errback(Supplier.include, rows, spec)
        assert out.err is None
        assert out.result is rows
