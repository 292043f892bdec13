"""Connector set-up shared by the trust tests (differential, crash, load, security).

These tests need several data sources side by side (one per connector) in
one test, so they cannot use the one-connector-per-test ``ds`` fixture.
PostgreSQL: a fresh schema in the database of LB_TEST_PG_URL (default: the
local trust-auth server's 'test' database), dropped by :func:`drop_pg_schema`.
Without a reachable server the PostgreSQL part skips with the reason printed,
unless the CI environment variable is set, where it fails instead.
"""

import os
import uuid

import pytest

import loopback_compat as lb

PG_URL = os.environ.get('LB_TEST_PG_URL', 'postgresql://postgres@127.0.0.1:5432/test')
SQL_CONNECTORS = ['sqlite', 'postgresql']
ALL_CONNECTORS = ['memory'] + SQL_CONNECTORS
_pg = {}


def pg_unavailable():
    """None when PostgreSQL at PG_URL answers, else the reason it does not."""
    if 'error' not in _pg:
        _pg['error'] = None
        try:
            import psycopg
            with psycopg.connect(PG_URL, connect_timeout=3) as conn:
                conn.execute('SELECT 1')
        except Exception as exc:  # ImportError, OperationalError...: all mean "no server"
            _pg['error'] = 'PostgreSQL at %s is not available: %s' % (PG_URL, exc)
    return _pg['error']


def require_pg():
    """Skip (or, with CI set, fail) the calling test when PostgreSQL is absent."""
    reason = pg_unavailable()
    if reason:
        print(reason)
        if os.environ.get('CI'):
            pytest.fail(reason + ' (CI is set, so this is a failure)')
        pytest.skip(reason)


def make_ds(name, tmp_path, **settings):
    """A fresh, empty data source of connector ``name``."""
    if name == 'memory':
        return lb.DataSource('memory', **settings)
    if name == 'sqlite':
        return lb.DataSource('sqlite', file=str(tmp_path / ('trust-%s.db' % uuid.uuid4().hex[:8])),
                             createTables=True, **settings)
    if name == 'postgresql':
        require_pg()
        schema = 'lbtrust_' + uuid.uuid4().hex[:12]
        return lb.DataSource('postgresql', url=PG_URL, schema=schema, createTables=True,
                             min=1, max=4, **settings)
    raise ValueError(name)


def close_ds(ds):
    """Disconnect ``ds`` and drop its PostgreSQL schema, if any."""
    lb.run(lambda: lb.await_(ds.disconnect()))
    schema = ds.settings.get('schema')
    if ds.settings.get('connector') == 'postgresql' and schema:
        import psycopg
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute('DROP SCHEMA IF EXISTS "%s" CASCADE' % schema)


def pg_connect():
    """A plain psycopg connection to the test database (autocommit)."""
    import psycopg
    return psycopg.connect(PG_URL, autocommit=True)
