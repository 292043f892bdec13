"""A client's filter cannot reach past a model's default scope (REST, over real HTTP).

``Tool`` is Product's rows of kind 'tool' (the ``scope`` setting); widgets
share its table.  Whatever where a client sends (``or`` included), the
default scope is ANDed to it: reads, counts, lookups by id, updates and
deletes through /api/Tools only ever see or touch tools.  On memory, SQLite
and PostgreSQL.
"""

import json
import urllib.parse

import pytest

import loopback_compat as lb
from live import LiveApp
from trust_support import ALL_CONNECTORS, close_ds, make_ds

SHARED_TABLE = {'memory': {'collection': 'Product'}, 'sqlite3': {'table': 'Product'},
                'postgresql': {'table': 'product'}}
SEED = [('saw', 'tool'), ('gear', 'widget'), ('hammer', 'tool'), ('bolt', 'widget')]
ESCAPES = [
    {'or': [{'kind': 'widget'}, {'name': 'gear'}]},
    {'or': [{'kind': {'neq': 'tool'}}, {'id': {'gt': 0}}]},
    {'kind': 'widget'},
    {'and': [{'or': [{'kind': 'widget'}, {'kind': 'tool'}]}]},
]


def q(value):
    return urllib.parse.quote(json.dumps(value))


@pytest.fixture(scope='module', params=ALL_CONNECTORS)
def live(request, tmp_path_factory):
    ds = make_ds(request.param, tmp_path_factory.mktemp('scope'))

    def setup(app, done):
        Product = ds.createModel('Product', {'name': 'string', 'kind': 'string',
                                             'rank': 'number'})
        Tool = ds.createModel('Tool', Product.definition.properties, dict(
            SHARED_TABLE, base='Product', scope={'where': {'kind': 'tool'}, 'order': 'name'}))
        app.dataSources['db'] = ds
        app.model(Product, dataSource='db')
        app.model(Tool, dataSource='db')

        def seed():
            lb.await_(ds.automigrate())
            for name, kind in SEED:
                lb.await_(Product.create({'name': name, 'kind': kind}))
        lb.async_(seed)().then(lambda _=None: done(), done)

    app = LiveApp(setup).start()
    yield app
    app.stop()
    close_ds(ds)


def products(live):
    return sorted((row['name'], row['kind'], row.get('rank')) for row in live.rows('Product'))


def ids(live):
    return {row['name']: row['id'] for row in live.rows('Product')}


@pytest.mark.parametrize('where', ESCAPES, ids=json.dumps)
def test_reads_stay_in_the_scope(live, where):
    status, body = live.json('GET', '/api/Tools?filter=' + q({'where': where}))
    assert status == 200, body
    assert {row['kind'] for row in body} <= {'tool'}
    status, body = live.json('GET', '/api/Tools/count?where=' + q(where))
    assert status == 200 and body['count'] <= 2
    status, body = live.json('GET', '/api/Tools/findOne?filter=' + q({'where': where}))
    assert status in (200, 404)
    if status == 200:
        assert body['kind'] == 'tool'


def test_a_plain_read_is_the_scope(live):
    status, body = live.json('GET', '/api/Tools')
    assert status == 200
    assert [row['name'] for row in body] == ['hammer', 'saw']
    assert live.json('GET', '/api/Tools/count')[1] == {'count': 2}


def test_ids_outside_the_scope_are_not_found(live):
    gear = ids(live)['gear']
    before = products(live)
    assert live.json('GET', '/api/Tools/%s' % gear)[0] == 404
    assert live.json('GET', '/api/Tools/%s/exists' % gear) == (200, {'exists': False})
    assert live.json('PATCH', '/api/Tools/%s' % gear, {'rank': 1})[0] == 404
    assert live.json('DELETE', '/api/Tools/%s' % gear) == (200, {'count': 0})
    assert products(live) == before


@pytest.mark.parametrize('where', ESCAPES, ids=json.dumps)
def test_writes_by_where_stay_in_the_scope(live, where):
    before = products(live)
    status, body = live.json('POST', '/api/Tools/update?where=' + q(where),
                             {'rank': 7, 'kind': 'widget'})
    assert status == 200, body
    after = products(live)
    widgets = [row for row in after if row[1] == 'widget']
    assert widgets == [row for row in before if row[1] == 'widget']
    # the scope's value wins over the client's: updated rows are still tools
    assert len([row for row in after if row[1] == 'tool']) == 2
    live.json('POST', '/api/Tools/update', {'rank': None})
