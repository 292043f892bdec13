"""include never runs one query per parent: a correctness check at scale.

For 1,000 parents, each included relation costs one query per page of
``inqLimit`` keys (256 by default), on every connector: counted as the
connector's ``all`` calls (juggler's own include performance tests count
them so) and, on SQLite and PostgreSQL, as the SELECT statements that reach
the database (their sessions' ``execute``).  Each case also checks that
every parent got its own related data, so a batched query that links the
wrong rows cannot pass.  An include scope's ``limit``/``skip`` (juggler: one
query per key) is batched the same way.
"""

import math

import pytest

import loopback_compat as lb
from loopback_compat.connectors.sql import pg_pool, sqlite

pytestmark = pytest.mark.lb_fiber

N = 1000
INQ_LIMIT = 256


def pages(keys, inq_limit=INQ_LIMIT):
    return math.ceil(keys / inq_limit)


class Counter:
    """The connector's ``all`` calls and the SELECTs the database ran."""

    def __init__(self, ds, monkeypatch):
        self.calls = 0
        self.selects = []
        connector = ds.connector
        original = connector.all

        def all_(model, flt, options, cb):
            self.calls += 1
            return original(model, flt, options, cb)
        monkeypatch.setattr(connector, 'all', all_)
        self.sql = ds.settings.get('connector') in ('sqlite', 'postgresql')
        for session in (sqlite.Session, pg_pool.PgSession):
            self._watch(monkeypatch, session)

    def _watch(self, monkeypatch, session):
        execute = session.execute

        def counting(this, sql, *args, **kwargs):
            if sql.lstrip().upper().startswith('SELECT'):
                self.selects.append(sql)   # list.append: safe from the worker threads
            return execute(this, sql, *args, **kwargs)
        monkeypatch.setattr(session, 'execute', counting)

    def reset(self):
        self.calls = 0
        del self.selects[:]

    def check(self, expected):
        """``expected`` connector calls, and as many SELECTs on SQL."""
        assert self.calls == expected
        if self.sql:
            assert len(self.selects) == expected


@pytest.fixture(scope='module', params=['memory', 'sqlite', 'postgresql'])
def ds(request, tmp_path_factory):
    """One data source per connector for the module: the cases only read
    the data :func:`given_shop` writes once (``ds`` of tests/conftest.py,
    module-wide)."""
    factories = next(plugin.CONNECTOR_FACTORIES
                     for plugin in request.config.pluginmanager.get_plugins()
                     if hasattr(plugin, 'CONNECTOR_FACTORIES'))
    source = factories[request.param](tmp_path_factory.mktemp(request.param))
    yield source
    source.disconnect(lambda *args: None)
    lb.run(lambda: None)


_shops = {}


def given_shop(ds):
    """N customers; each has a profile (hasOne), two orders (hasMany; the
    order's belongsTo back) and a picture (polymorphic belongsTo).  Made
    once per data source."""
    if ds not in _shops:
        _shops[ds] = _make_shop(ds)
    return _shops[ds]


def _create(Model, rows):
    """Model.create in chunks: a pool of a few connections takes its time
    over thousands of concurrent inserts."""
    made = []
    for start in range(0, len(rows), 100):
        made.extend(lb.await_(Model.create(rows[start:start + 100])))
    return made


def _make_shop(ds):
    Customer = ds.createModel('Customer', {'name': str, 'rank': 'number'})
    Profile = ds.createModel('Profile', {'bio': str})
    Order = ds.createModel('Order', {'label': str, 'amount': 'number'})
    Picture = ds.createModel('Picture', {'file': str})
    Customer.hasOne(Profile, {'as': 'profile', 'foreignKey': 'customerId'})
    Customer.hasMany(Order, {'as': 'orders', 'foreignKey': 'customerId'})
    Order.belongsTo(Customer, {'as': 'customer', 'foreignKey': 'customerId'})
    Picture.belongsTo('imageable', {'polymorphic': True})
    lb.await_(ds.automigrate())
    customers = _create(Customer, [{'name': 'c%d' % i, 'rank': i % 7} for i in range(N)])
    _create(Profile, [{'bio': 'b-' + c.name, 'customerId': c.id} for c in customers])
    _create(Order, [{'label': '%s-%d' % (c.name, k), 'amount': k, 'customerId': c.id}
                    for c in customers for k in (1, 2)])
    _create(Picture, [{'file': 'p-' + c.name, 'imageableId': c.id, 'imageableType': 'Customer'}
                      for c in customers])
    return Customer, Profile, Order, Picture


def test_has_one_is_one_query_per_page(ds, monkeypatch):
    Customer = given_shop(ds)[0]
    counter = Counter(ds, monkeypatch)
    found = lb.await_(Customer.find({'include': 'profile'}))
    counter.check(1 + pages(N))
    assert len(found) == N
    assert all(c.profile().bio == 'b-' + c.name for c in found)


def test_belongs_to_is_one_query_per_page_of_distinct_keys(ds, monkeypatch):
    Order = given_shop(ds)[2]
    counter = Counter(ds, monkeypatch)
    found = lb.await_(Order.find({'include': 'customer'}))
    counter.check(1 + pages(N))     # 2,000 orders, 1,000 distinct customer ids
    assert len(found) == 2 * N
    assert all(o.label.startswith(o.customer().name + '-') for o in found)


def test_has_many_is_one_query_per_page(ds, monkeypatch):
    Customer = given_shop(ds)[0]
    counter = Counter(ds, monkeypatch)
    found = lb.await_(Customer.find({'include': 'orders'}))
    counter.check(1 + pages(N))
    assert all(sorted(o.label for o in c.orders()) == [c.name + '-1', c.name + '-2']
               for c in found)


def test_nested_include_is_one_query_per_page_per_level(ds, monkeypatch):
    Customer = given_shop(ds)[0]
    counter = Counter(ds, monkeypatch)
    found = lb.await_(Customer.find({'include': {'orders': 'customer'}}))
    # customers, their orders, the orders' customers (1,000 distinct keys)
    counter.check(1 + pages(N) + pages(N))
    for c in found:
        assert [o.customer().id for o in c.orders()] == [c.id, c.id]


def test_several_relations_and_a_scope(ds, monkeypatch):
    Customer = given_shop(ds)[0]
    counter = Counter(ds, monkeypatch)
    found = lb.await_(Customer.find({'include': [
        'profile',
        {'relation': 'orders', 'scope': {'where': {'amount': 2}, 'fields': ['label'],
                                         'order': 'label DESC'}},
    ]}))
    counter.check(1 + 2 * pages(N))
    for c in found:
        assert [o.label for o in c.orders()] == [c.name + '-2']
        assert c.profile().customerId == c.id


def test_a_scope_limit_or_skip_is_still_one_query_per_page(ds, monkeypatch):
    # juggler queries each key alone for an include scope's limit/skip
    Customer = given_shop(ds)[0]
    counter = Counter(ds, monkeypatch)
    found = lb.await_(Customer.find({'include': [
        {'relation': 'orders', 'scope': {'order': 'amount DESC', 'limit': 1}},
        {'relation': 'profile', 'scope': {'skip': 1}},
    ]}))
    counter.check(1 + 2 * pages(N))
    for c in found:
        assert [o.label for o in c.orders()] == [c.name + '-2']
        assert c.profile() is None      # each customer's one profile is skipped


def test_polymorphic_belongs_to_is_one_query_per_page_per_type(ds, monkeypatch):
    Picture = given_shop(ds)[3]
    counter = Counter(ds, monkeypatch)
    found = lb.await_(Picture.find({'include': 'imageable'}))
    counter.check(1 + pages(N))
    assert all(p.file == 'p-' + p.imageable().name for p in found)


def test_the_page_size_is_the_data_source_s_inq_limit(ds, monkeypatch):
    Customer = given_shop(ds)[0]
    ds.settings['inqLimit'] = 100
    try:
        counter = Counter(ds, monkeypatch)
        found = lb.await_(Customer.find({'include': ['profile', 'orders']}))
        counter.check(1 + 2 * pages(N, 100))
        assert sum(len(c.orders()) for c in found) == 2 * N
    finally:
        del ds.settings['inqLimit']


def test_the_query_count_does_not_grow_with_the_parents(ds, monkeypatch):
    Customer = given_shop(ds)[0]
    counter = Counter(ds, monkeypatch)
    for limit in (10, 100, 256, N):
        counter.reset()
        found = lb.await_(Customer.find({'include': ['profile', 'orders'], 'limit': limit,
                                         'order': 'id'}))
        assert len(found) == limit
        counter.check(1 + 2 * pages(limit))
