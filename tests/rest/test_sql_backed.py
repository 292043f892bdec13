"""The example app booted on SQLite instead of memory: the REST answers do not change.

The REST layer only uses the public model API, so the hasOne endpoints and
their errors must come out the same on a SQL data source.  (Whole-scenario
differences between connectors belong to the connector tests.)
"""

import json
import os
import shutil

import pytest

import loopback_compat as lb
from live import EXAMPLE_APP, LiveApp
from scenario import q


@pytest.fixture
def sqlite_app(tmp_path):
    shutil.copytree(EXAMPLE_APP, tmp_path / 'app')
    with open(tmp_path / 'app' / 'server' / 'datasources.json', 'w') as fh:
        json.dump({'db': {'name': 'db', 'connector': 'sqlite',
                          'file': str(tmp_path / 'db.sqlite'), 'createTables': True}}, fh)
    server_dir = os.path.join(str(tmp_path), 'app', 'server')
    live = LiveApp(lambda app, done: lb.boot(app, server_dir, done)).start()
    yield live
    live.stop()


def test_has_one_over_rest_on_sqlite(sqlite_app):
    live = sqlite_app
    assert live.app.dataSources.db.settings['connector'] == 'sqlite'
    assert live.json('POST', '/api/Suppliers', {'name': 's1'}) == (200, {'name': 's1', 'id': 1})
    assert live.json('GET', '/api/Suppliers/1/account') == (404, {'error': {
        'statusCode': 404, 'name': 'Error', 'message': 'No "Account" instance(s) found',
        'code': 'MODEL_NOT_FOUND'}})
    assert live.json('POST', '/api/Suppliers/1/account', {'acctmgr': 'm1'}) == \
        (200, {'acctmgr': 'm1', 'supplierId': 1, 'id': 1})
    assert live.json('POST', '/api/Suppliers/1/account', {'acctmgr': 'm2'}) == \
        (500, {'error': {'statusCode': 500, 'message': 'Internal Server Error'}})
    assert live.json('PUT', '/api/Suppliers/1/account', {'acctmgr': 'm3'}) == \
        (200, {'acctmgr': 'm3', 'supplierId': 1, 'id': 1})
    # read back from SQL, an unset property is null, as LB3's SQL connectors return it
    assert live.json('GET', '/api/Suppliers?filter=' + q({'include': 'account'})) == \
        (200, [{'name': 's1', 'rating': None, 'id': 1,
                'account': {'acctmgr': 'm3', 'supplierId': 1, 'id': 1}}])
    assert live.json('GET', '/api/Accounts/1/supplier') == \
        (200, {'name': 's1', 'rating': None, 'id': 1})
    status, _h, data = live.request('DELETE', '/api/Suppliers/1/account')
    assert (status, data) == (204, b'')
    assert live.json('GET', '/api/Accounts') == (200, [])
    assert live.json('GET', '/api/Suppliers/999/account')[1]['error']['message'] == \
        'could not find a model with id 999'
    status, body = live.json('GET', '/api/Suppliers?filter=' + q(
        {'where': {'name': "s1' OR '1'='1"}}))
    assert (status, body) == (200, [])
