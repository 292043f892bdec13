"""SQL injection through every user-controlled input leaves the query's meaning alone.

Against both SQL connectors (sqlite, postgresql) through the model API, and
through the REST layer (the example app booted on each SQL connector): where
values and keys (also inside and/or and dotted paths), operators, order,
fields, include names, limit/skip, ids, and data written.  After every attempt
the tables are intact (checked with the connector's own raw SQL, not the code
under test), row counts are unchanged, and no row is returned that the filter,
read literally, does not select.  An attempt may be refused with a 4xx error;
it may never run.

The guarantee this checks is written in docs/guarantees.md.
"""

import contextlib
import json
import os
import shutil
import sys
import urllib.parse

import pytest

import loopback_compat as lb
from loopback_compat.errors import UnknownOperatorWarning
from trust_support import PG_URL, SQL_CONNECTORS, close_ds, make_ds, require_pg

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'rest'))

# Payloads aimed at string literals, identifiers, statement ends and comments
# of both dialects.
PAYLOADS = [
    "x' OR '1'='1",
    "x' OR 1=1 --",
    "'; DROP TABLE item; --",
    '"; DROP TABLE "item"; --',
    "a'); DELETE FROM item; --",
    "1 OR 1=1",
    "1; DELETE FROM item",
    "' UNION SELECT secret, secret, 1, 1 FROM item --",
    "\\'; DROP TABLE item; --",
    "%' OR name LIKE '%",
    "x\x00'; DROP TABLE item; --",
    "$$; DROP TABLE item; $$",
    "*/ OR 1=1 /*",
]
SEED = [{'name': 'alpha', 'n': 1, 'secret': 's1'},
        {'name': 'beta', 'n': 2, 'secret': 's2'},
        {'name': 'gamma', 'n': 3, 'secret': 's3'}]


# One seeded data source (and one app) per connector for the whole module:
# every test checks that nothing changed, so they can share it.
@pytest.fixture(scope='module', params=SQL_CONNECTORS)
def world(request, tmp_path_factory):
    ds = make_ds(request.param, tmp_path_factory.mktemp('security'))
    Item = ds.createModel('Item', {'name': 'string', 'n': 'number', 'secret': 'string',
                                   'meta': 'object'})
    Account = ds.createModel('Account', {'label': 'string'})
    Item.hasOne(Account, as_='account', foreignKey='itemId')

    def seed():
        lb.await_(ds.automigrate())
        lb.await_(Item.create([dict(row, meta={'x': row['n']}) for row in SEED]))
        lb.await_(Account.create({'label': 'acct', 'itemId': 1}))
    lb.run(seed)
    yield ds, Item, Account
    close_ds(ds)


def raw_counts(ds):
    """Row counts of both tables, read with the connector's raw SQL."""
    def main():
        out = {}
        for name in ('Item', 'Account'):
            table = ds.connector.table(name).quoted
            rows = lb.await_(ds.connector.execute('SELECT COUNT(*) FROM %s' % table))
            out[name] = rows[0][0] if isinstance(rows[0], (list, tuple)) else list(rows[0].values())[0]
        return out
    return lb.run(main)


def attempt(fn):
    """('ok', value) or ('error', err) of ``fn()``'s promise, run on the loop."""
    def main():
        try:
            return 'ok', lb.await_(fn())
        except Exception as err:  # a refusal is an acceptable outcome
            return 'error', err
    return lb.run(main)


def assert_refused_or(outcome, allowed_ids):
    """The attempt failed with a 4xx error, or returned only ``allowed_ids``."""
    kind, value = outcome
    if kind == 'error':
        status = getattr(value, 'statusCode', None)
        assert status is None or 400 <= status < 500, value
        assert 'syntax' not in str(value).lower(), 'SQL reached the database: %s' % value
        return
    ids = sorted(row.id for row in value) if isinstance(value, list) else value
    assert ids == allowed_ids, 'query meaning changed: %r' % (ids,)


def refused_for_nul(ds, payload, outcome):
    """PostgreSQL text cannot hold NUL: such a value is refused with a 400 (True then)."""
    if '\x00' not in payload or ds.settings['connector'] != 'postgresql':
        return False
    kind, err = outcome
    assert kind == 'error' and err.statusCode == 400 and 'NUL' in str(err), outcome
    return True


def untouched(ds):
    assert raw_counts(ds) == {'Item': 3, 'Account': 1}


def warns_unknown_operator(payload, used_as_operator):
    """pytest.warns for a where clause ``{prop: {payload: value}}``: LoopBack compares
    such a clause as a plain value, and we say so (UnknownOperatorWarning) -- unless
    the payload starts with '$', which is refused first as juggler does."""
    if used_as_operator and not payload.startswith('$'):
        return pytest.warns(UnknownOperatorWarning, match='Unknown operator')
    return contextlib.nullcontext()


# -- values ---------------------------------------------------------------------

@pytest.mark.parametrize('payload', PAYLOADS)
def test_where_values(world, payload):
    ds, Item, _ = world
    # (where, the ids it selects when the payload is read as a plain value)
    cases = [({'name': payload}, []), ({'name': {'neq': payload}}, [1, 2, 3]),
             ({'name': {'inq': [payload, 'alpha']}}, [1]), ({'name': {'nin': [payload]}}, [1, 2, 3]),
             ({'name': {'between': [payload, payload]}}, []),
             ({'or': [{'name': payload}, {'secret': payload}]}, []),
             ({'and': [{'name': 'alpha'}, {'secret': payload}]}, []),
             ({'n': payload}, []), ({'meta.x': payload}, [])]
    for where, expected in cases:
        assert_refused_or(attempt(lambda: Item.find({'where': where})), expected)
        untouched(ds)
    # as a like pattern the payload may match what it matches as a pattern, no more
    kind, rows = attempt(lambda: Item.find({'where': {'name': {'like': payload}}}))
    if kind == 'ok':
        names = [r.name for r in rows]
        assert all(n in ('alpha', 'beta', 'gamma') for n in names)
        assert payload != "x' OR '1'='1" or names == []
    untouched(ds)


@pytest.mark.parametrize('payload', PAYLOADS)
def test_count_update_and_destroy_where_values(world, payload):
    ds, Item, _ = world
    calls = [(lambda: Item.count({'name': payload}), 0),
             (lambda: Item.updateAll({'name': payload}, {'secret': 'owned'}), {'count': 0}),
             (lambda: Item.destroyAll({'name': payload}), {'count': 0})]
    for call, nothing in calls:
        outcome = attempt(call)
        if not refused_for_nul(ds, payload, outcome):
            assert outcome == ('ok', nothing)
    untouched(ds)
    secrets = lb.run(lambda: sorted(i.secret for i in lb.await_(Item.find())))
    assert secrets == ['s1', 's2', 's3']


@pytest.mark.parametrize('payload', PAYLOADS)
def test_written_data_is_stored_verbatim(world, payload):
    ds, Item, _ = world
    if '\x00' in payload and ds.settings['connector'] == 'postgresql':
        assert refused_for_nul(ds, payload, attempt(lambda: Item.create({'name': payload})))
        untouched(ds)
        return

    def main():
        item = lb.await_(Item.create({'name': payload, 'secret': payload, 'meta': {payload: payload}}))
        again = lb.await_(Item.findById(item.id))
        lb.await_(again.updateAttributes({'secret': payload + payload}))
        found = lb.await_(Item.find({'where': {'name': payload}}))
        lb.await_(Item.destroyById(item.id))
        return again.toJSON(), [f.id for f in found], item.id
    stored, found, item_id = lb.run(main)
    assert stored['name'] == payload and stored['meta'] == {payload: payload}
    assert found == [item_id]
    untouched(ds)


# -- identifiers ----------------------------------------------------------------

@pytest.mark.parametrize('payload', PAYLOADS + ['name', 'name OR 1=1', 'id"', 'meta.x\') OR 1=1 --'])
def test_where_keys_and_operators(world, payload):
    ds, Item, _ = world
    wheres = [{payload: 'alpha'}, {'and': [{payload: 1}]}, {'or': [{'name': 'zzz'}, {payload: 1}]},
              {'name': {payload: 'alpha'}}, {'meta.' + payload: 1}]
    for where in wheres:
        with warns_unknown_operator(payload, where == {'name': {payload: 'alpha'}}):
            outcome = attempt(lambda: Item.find({'where': where}))
        if where == {payload: 'alpha'} and payload == 'name':
            assert_refused_or(outcome, [1])
        else:
            assert_refused_or(outcome, [])
        untouched(ds)


@pytest.mark.parametrize('payload', PAYLOADS + ['name; DROP TABLE item', 'name DESC, (SELECT 1)',
                                                'id ASC; DELETE FROM item', 'name ASC NULLS'])
def test_order(world, payload):
    ds, Item, _ = world
    for order in (payload, [payload], ['name ASC', payload]):
        assert_refused_or(attempt(lambda: Item.find({'order': order})), [1, 2, 3])
        untouched(ds)


@pytest.mark.parametrize('payload', PAYLOADS + ['*', 'secret FROM item --', 'name, secret'])
def test_fields(world, payload):
    ds, Item, _ = world
    for fields in ([payload], {payload: True}, ['name', payload], payload):
        outcome = attempt(lambda: Item.find({'fields': fields, 'order': 'id'}))
        assert_refused_or(outcome, [1, 2, 3]) if outcome[0] == 'error' else None
        if outcome[0] == 'ok':     # unknown names select nothing more than the columns
            rows = [r.toJSON() for r in outcome[1]]
            assert len(rows) == 3
            for row in rows:
                assert set(row) <= {'id', 'name', 'n', 'secret', 'meta'}
        untouched(ds)


@pytest.mark.parametrize('payload', PAYLOADS + ['account; DROP TABLE account'])
def test_include_names(world, payload):
    ds, Item, _ = world
    for include in (payload, [payload], {payload: 'account'}, {'account': payload}):
        outcome = attempt(lambda: Item.find({'include': include}))
        assert outcome[0] == 'error', 'include %r was accepted: %r' % (include, outcome)
        untouched(ds)


@pytest.mark.parametrize('payload', PAYLOADS + ["1' OR '1'='1", '1 OR 1=1', '2; DROP TABLE item'])
def test_ids(world, payload):
    ds, Item, _ = world
    for call, empty in ((lambda: Item.findById(payload), None),
                        (lambda: Item.exists(payload), False),
                        (lambda: Item.destroyById(payload), {'count': 0})):
        kind, value = attempt(call)
        assert kind == 'error' or value == empty, value
        untouched(ds)
    kind, _ = attempt(lambda: Item.replaceById(payload, {'name': 'x'}))
    assert kind == 'error'
    kind, value = attempt(lambda: Item.updateAll({'id': payload}, {'secret': 'owned'}))
    assert kind == 'error' or value == {'count': 0}
    untouched(ds)
    assert lb.run(lambda: sorted(i.secret for i in lb.await_(Item.find()))) == ['s1', 's2', 's3']


@pytest.mark.parametrize('payload', ['1; DROP TABLE item', '1 OR 1=1', "1' --", '-1 UNION SELECT 1'])
def test_limit_and_skip(world, payload):
    ds, Item, _ = world
    for flt in ({'limit': payload}, {'skip': payload}, {'offset': payload}):
        outcome = attempt(lambda: Item.find(dict(flt, order='id')))
        if outcome[0] == 'ok':
            assert [r.id for r in outcome[1]] in ([1, 2, 3], [1], [2, 3], [])
        untouched(ds)


def test_table_and_column_names_are_quoted_identifiers(tmp_path):
    """A model and property whose names are SQL keywords still work (quoting)."""
    ds = make_ds('sqlite', tmp_path)
    Order = ds.createModel('Select', {'from': 'string', 'where': 'number'})

    def main():
        lb.await_(ds.automigrate())
        lb.await_(Order.create({'from': "x'; DROP TABLE select; --", 'where': 1}))
        return [o.toJSON() for o in lb.await_(Order.find({'where': {'from': {'like': 'x%'}},
                                                        'order': 'where DESC'}))]
    rows = lb.run(main)
    close_ds(ds)
    assert rows == [{'from': "x'; DROP TABLE select; --", 'where': 1, 'id': 1}]


# -- REST -------------------------------------------------------------------------

@pytest.fixture(scope='module', params=SQL_CONNECTORS)
def rest_app(request, tmp_path_factory):
    from live import EXAMPLE_APP, LiveApp
    tmp_path = tmp_path_factory.mktemp('security-rest')
    shutil.copytree(EXAMPLE_APP, tmp_path / 'app')
    if request.param == 'sqlite':
        settings = {'name': 'db', 'connector': 'sqlite', 'file': str(tmp_path / 'db.sqlite'),
                    'createTables': True}
    else:
        require_pg()
        ds = make_ds('postgresql', tmp_path)       # only for a fresh schema name
        settings = {'name': 'db', 'connector': 'postgresql', 'url': PG_URL,
                    'schema': ds.settings['schema'], 'createTables': True}
        close_ds(ds)
    with open(tmp_path / 'app' / 'server' / 'datasources.json', 'w') as fh:
        json.dump({'db': settings}, fh)
    server_dir = os.path.join(str(tmp_path), 'app', 'server')
    live = LiveApp(lambda app, done: lb.boot(app, server_dir, done)).start()
    for name in ('s1', 's2', 's3'):
        assert live.json('POST', '/api/Suppliers', {'name': name})[0] == 200
    assert live.json('POST', '/api/Suppliers/1/account', {'acctmgr': 'm1'})[0] == 200
    yield live
    live.stop()
    if request.param == 'postgresql':
        from trust_support import pg_connect
        with pg_connect() as conn:
            conn.execute('DROP SCHEMA IF EXISTS "%s" CASCADE' % settings['schema'])


def q(value):
    return urllib.parse.quote(json.dumps(value) if not isinstance(value, str) else value, safe='')


def rest_counts(live):
    suppliers = live.json('GET', '/api/Suppliers/count')[1]['count']
    accounts = live.json('GET', '/api/Accounts/count')[1]['count']
    return suppliers, accounts


def assert_rest_refused_or(status, body, allowed_ids):
    if status >= 400:
        assert status < 500 or status == 404, (status, body)
        return
    assert sorted(row['id'] for row in body) == allowed_ids, body


@pytest.mark.parametrize('payload', PAYLOADS)
def test_rest_filters(rest_app, payload):
    live = rest_app
    checks = [({'where': {'name': payload}}, []),
              ({'where': {payload: 's1'}}, []),
              ({'where': {'name': {payload: 1}}}, []),
              ({'order': payload}, [1, 2, 3]),
              ({'fields': [payload]}, None),
              ({'include': payload}, 'error'),   # LB3: 500 (no statusCode), recorded
              ({'limit': payload}, None)]
    for flt, expected in checks:
        with warns_unknown_operator(payload, flt == {'where': {'name': {payload: 1}}}):
            status, body = live.json('GET', '/api/Suppliers?filter=' + q(flt))
        if expected == 'error':
            assert 400 <= status <= 500, (flt, status, body)
            assert body['error']['message'] in ('Internal Server Error',) or status < 500
        elif expected is not None:
            assert_rest_refused_or(status, body, expected)
        else:
            assert status >= 400 or len(body) == 3, (flt, status, body)
        assert rest_counts(live) == (3, 1)
    status, body = live.json('GET', '/api/Suppliers/count?where=' + q({'name': payload}))
    assert (status, body) == (200, {'count': 0}) or 400 <= status < 500
    status, body = live.json('POST', '/api/Suppliers/update?where=' + q({'name': payload}),
                             {'name': 'owned'})
    assert (status, body) == (200, {'count': 0}) or 400 <= status < 500
    assert rest_counts(live) == (3, 1)


@pytest.mark.parametrize('payload', PAYLOADS + ['1 OR 1=1', '1; DROP TABLE supplier'])
def test_rest_ids_in_urls(rest_app, payload):
    live = rest_app
    path = urllib.parse.quote(payload, safe='')
    for method, suffix in (('GET', ''), ('GET', '/account'), ('HEAD', ''), ('DELETE', ''),
                           ('DELETE', '/account'), ('GET', '/exists')):
        status, _h, _data = live.request(method, '/api/Suppliers/%s%s' % (path, suffix))
        assert status in (200, 204, 400, 404), (method, suffix, status)
        if method == 'GET' and suffix == '/exists':
            assert json.loads(_data) == {'exists': False}
        assert rest_counts(live) == (3, 1)
    status, body = live.json('PATCH', '/api/Suppliers/%s' % path, {'name': 'owned'})
    assert status in (400, 404), (status, body)
    names = sorted(s['name'] for s in live.json('GET', '/api/Suppliers')[1])
    assert names == ['s1', 's2', 's3']
