"""Shared fixtures: ``ds``, a fresh, empty data source per test and connector.

DAO and relation tests take ``ds`` and so run once per entry of CONNECTORS.
Each factory returns a new DataSource with no models and no data; SQL
connectors (added later) must give the same guarantee (e.g. a new temporary
database or an automigrate of every model defined during the test).
"""

import pytest

import loopback_compat as lb


def _memory(tmp_path):
    return lb.DataSource('memory')


#: connector name -> factory(tmp_path) returning a fresh, empty DataSource
CONNECTOR_FACTORIES = {
    'memory': _memory,
}

#: the connectors every ``ds`` test runs against
CONNECTORS = ['memory']


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
