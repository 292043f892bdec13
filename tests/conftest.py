"""Shared fixtures: ``ds``, a fresh, empty data source per test and connector.

DAO and relation tests take ``ds`` and so run once per entry of CONNECTORS.
Each factory returns a new DataSource with no models and no data; SQL
connectors (added later) must give the same guarantee (e.g. a new temporary
database or an automigrate of every model defined during the test).
"""

import pytest

import loopback_compat as lb

# @pytest.mark.lb_fiber and the lb_clock fixture (loopback_compat.testing)
pytest_plugins = ['loopback_compat.testing.pytest_plugin']


def _memory(tmp_path):
    return lb.DataSource('memory')


#: connector name -> factory(tmp_path) returning a fresh, empty DataSource
CONNECTOR_FACTORIES = {
    'memory': _memory,
}

#: the connectors every ``ds`` test runs against
CONNECTORS = ['memory', 'sqlite', 'postgresql']


@pytest.fixture(params=CONNECTORS)
def ds(request, tmp_path):
    """A fresh, empty data source for the connector named by the param."""
    source = CONNECTOR_FACTORIES[request.param](tmp_path)
    yield source
    disconnect = getattr(source, 'disconnect', None)
    if disconnect is not None:
        disconnect(lambda *args: None)
        lb.run(lambda: None)


@pytest.fixture
def connector_name(ds):
    """The name of the connector behind ``ds`` ('memory', 'sqlite', ...)."""
    return ds.settings.get('connector')


# -- SQL connectors ---------------------------------------------------------
# sqlite: a new database file per test.  postgresql: a new schema per test in
# the database of LB_TEST_PG_URL (default: the local trust-auth server's
# 'test' database); the schemas are dropped when the session ends.  Without a
# reachable server the postgresql tests skip, printing why -- unless the CI
# environment variable is set, where they fail instead.

import os  # noqa: E402
import uuid  # noqa: E402

PG_URL = os.environ.get('LB_TEST_PG_URL', 'postgresql://postgres@127.0.0.1:5432/test')
_pg_state = {'checked': False, 'error': None, 'schemas': []}


def pg_unavailable():
    """None when PostgreSQL at PG_URL answers, else the reason it does not."""
    if not _pg_state['checked']:
        _pg_state['checked'] = True
        try:
            import psycopg
            with psycopg.connect(PG_URL, connect_timeout=3) as conn:
                conn.execute('SELECT 1')
        except Exception as exc:  # ImportError, OperationalError...
            _pg_state['error'] = 'PostgreSQL at %s is not available: %s' % (PG_URL, exc)
    return _pg_state['error']


def require_pg():
    reason = pg_unavailable()
    if reason:
        if os.environ.get('CI'):
            pytest.fail(reason + ' (CI is set, so this is a failure)')
        pytest.skip(reason)


def new_pg_schema():
    schema = 'lbt_' + uuid.uuid4().hex[:12]
    _pg_state['schemas'].append(schema)
    return schema


def _sqlite(tmp_path):
    return lb.DataSource('sqlite', file=str(tmp_path / 'test.db'), createTables=True)


def _postgresql(tmp_path):
    require_pg()
    return lb.DataSource('postgresql', url=PG_URL, schema=new_pg_schema(),
                         createTables=True, min=1, max=4)


CONNECTOR_FACTORIES['sqlite'] = _sqlite
CONNECTOR_FACTORIES['postgresql'] = _postgresql


@pytest.fixture(scope='session', autouse=True)
def _drop_pg_schemas():
    yield
    if not _pg_state['schemas'] or pg_unavailable():
        return
    import psycopg
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        for schema in _pg_state['schemas']:
            conn.execute('DROP SCHEMA IF EXISTS "%s" CASCADE' % schema)


@pytest.fixture
def pg_url():
    """LB_TEST_PG_URL (or the local default); skips/fails as require_pg does."""
    require_pg()
    return PG_URL


@pytest.fixture
def pg_schema(pg_url):
    """A schema name of its own for one test (dropped when the session ends)."""
    return new_pg_schema()
