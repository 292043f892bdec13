"""Port of juggler 3.36.1's test/datasource.test.js (memory only: each case
builds its own ``new DataSource``).

juggler's connector modules become registered connectors here
(``lb.register_connector``): ``require('loopback-connector-throwing')``
failing is a registered factory raising; a connector object with
``initialize(ds, cb)`` is an instance with that method.
"""

import pytest

import loopback_compat as lb
from loopback_compat import datasource as datasource_module


def deferred():
    """mocha's ``done``: a promise and the callback that settles it."""
    box = {}
    promise = lb.Promise(lambda resolve, reject: box.update(resolve=resolve, reject=reject))

    def done(err=None, *_):
        if err is not None:
            box['reject'](err)
        else:
            box['resolve'](None)
    return promise, done


@pytest.fixture
def throwing_connector(monkeypatch):
    """test/fixtures/loopback-connector-throwing: loading it throws."""
    def factory(settings, data_source):
        raise Exception('expected test error')
    monkeypatch.setitem(datasource_module.CONNECTORS, 'loopback-connector-throwing', factory)


def test_data_source__reports_helpful_error_when_connector_init_throws():
    class ThrowingConnector:
        name = 'loopback-connector-throwing'

        def initialize(self, ds, cb):
            raise Exception('expected test error')

    with pytest.raises(Exception, match='loopback-connector-throwing'):
        # this is what LoopBack does
        lb.DataSource({'name': 'dsname', 'connector': ThrowingConnector()})


def test_data_source__reports_helpful_error_when_connector_init_via_short_name_throws(
        throwing_connector):
    with pytest.raises(Exception, match='expected test error'):
        lb.DataSource({'name': 'dsname', 'connector': 'throwing'})


def test_data_source__reports_helpful_error_when_connector_init_via_long_name_throws(
        throwing_connector):
    with pytest.raises(Exception, match='expected test error'):
        lb.DataSource({'name': 'dsname', 'connector': 'loopback-connector-throwing'})


# new DataSource(dsName, settings) without settings.name
def test_data_source__should_retain_the_name_assigned_to_it():
    dataSource = lb.DataSource('myDataSource', {'connector': 'memory'})
    assert dataSource.name == 'myDataSource'


# new DataSource(dsName, settings)
def test_data_source__should_allow_the_name_assigned_to_it_to_take_precedence_over_the_settings_name():  # noqa: E501
    dataSource = lb.DataSource('myDataSource', {'name': 'defaultDataSource',
                                                'connector': 'memory'})
    assert dataSource.name == 'myDataSource'


# new DataSource(settings) with settings.name
def test_data_source__should_retain_the_name_from_the_settings_if_no_name_is_assigned():
    dataSource = lb.DataSource({'name': 'defaultDataSource', 'connector': 'memory'})
    assert dataSource.name == 'defaultDataSource'


# new DataSource(undefined, settings)
def test_data_source__should_retain_the_name_from_the_settings_if_name_is_undefined():
    dataSource = lb.DataSource(None, {'name': 'defaultDataSource', 'connector': 'memory'})
    assert dataSource.name == 'defaultDataSource'


# new DataSource(settings) without settings.name
def test_data_source__should_use_the_connector_name_if_no_name_is_provided():
    dataSource = lb.DataSource({'connector': 'memory'})
    assert dataSource.name == 'memory'


class MockConnector:
    name = 'loopback-connector-mock'

    def initialize(self, ds, cb):
        ds.connector = self
        return cb(None)


# new DataSource(connectorInstance)
def test_data_source__should_accept_resolved_connector():
    mockConnector = MockConnector()
    dataSource = lb.DataSource(mockConnector)
    assert dataSource.name == 'loopback-connector-mock'
    assert dataSource.connector is mockConnector


# new DataSource(dsName, connectorInstance)
def test_data_source__should_accept_ds_name_and_resolved_connector():
    mockConnector = MockConnector()
    dataSource = lb.DataSource('myDataSource', mockConnector)
    assert dataSource.name == 'myDataSource'
    assert dataSource.connector is mockConnector


# new DataSource(connectorInstance, settings)
def test_data_source__should_accept_resolved_connector_and_settings():
    mockConnector = MockConnector()
    dataSource = lb.DataSource(mockConnector, {'name': 'myDataSource'})
    assert dataSource.name == 'myDataSource'
    assert dataSource.connector is mockConnector


def _check_states(dataSource, connected, connecting, initialized=None):
    assert dataSource.connected is connected
    assert dataSource.connecting is connecting
    if initialized is not None:
        assert dataSource.initialized is initialized


@pytest.mark.lb_fiber
def test_data_source__should_set_states_correctly_with_eager_connect():
    finished, done = deferred()

    class Mock:
        name = 'loopback-connector-mock'

        def initialize(self, ds, cb):
            ds.connector = self
            self.connect(cb)

        def connect(self, cb):
            lb.nextTick(lambda: cb(None))

    dataSource = lb.DataSource(Mock())
    # DataSource is instantiated
    _check_states(dataSource, False, False, False)

    def on_initialized(*args):
        # DataSource is initialized with lazyConnect
        _check_states(dataSource, False, False, True)
    dataSource.on('initialized', on_initialized)

    def on_connected(*args):
        _check_states(dataSource, True, False)
    dataSource.on('connected', on_connected)

    def later():
        # At this point, the datasource is already connected by the
        # connector's initialize function
        def connected(*args):
            _check_states(dataSource, True, False)
            done()
        dataSource.connect(connected)
        # As the datasource is already connected, no connecting will happen
        _check_states(dataSource, True, False)
    lb.nextTick(later)
    lb.await_(finished)


@pytest.mark.lb_fiber
def test_data_source__should_set_states_correctly_with_deferred_connect():
    finished, done = deferred()

    class Mock:
        name = 'loopback-connector-mock'

        def initialize(self, ds, cb):
            ds.connector = self
            # Explicitly call back with false to denote connection is not ready
            lb.nextTick(lambda: cb(None, False))

        def connect(self, cb):
            lb.nextTick(lambda: cb(None))

    dataSource = lb.DataSource(Mock())
    _check_states(dataSource, False, False, False)
    dataSource.on('initialized', lambda *a: _check_states(dataSource, False, False, True))
    dataSource.on('connected', lambda *a: _check_states(dataSource, True, False))

    def later():
        def connected(*args):
            _check_states(dataSource, True, False)
            done()
        dataSource.connect(connected)
        # As the datasource is not connected, connecting will happen
        _check_states(dataSource, False, True)
    lb.nextTick(later)
    lb.await_(finished)


@pytest.mark.lb_fiber
def test_data_source__should_set_states_correctly_with_lazy_connect_true():
    finished, done = deferred()

    class Mock:
        name = 'loopback-connector-mock'

        def initialize(self, ds, cb):
            ds.connector = self
            lb.nextTick(lambda: cb(None))

        def connect(self, cb):
            lb.nextTick(lambda: cb(None))

    dataSource = lb.DataSource(Mock(), {'lazyConnect': True})
    _check_states(dataSource, False, False, False)
    dataSource.on('initialized', lambda *a: _check_states(dataSource, False, False, True))
    dataSource.on('connected', lambda *a: _check_states(dataSource, True, False))

    def later():
        def connected(*args):
            _check_states(dataSource, True, False)
            done()
        dataSource.connect(connected)
        # DataSource is now connecting
        _check_states(dataSource, False, True)
    lb.nextTick(later)
    lb.await_(finished)


def test_data_source__delete_model_by_name__removes_the_model_from_model_builder_registry():
    ds = lb.DataSource('ds', {'connector': 'memory'})
    ds.createModel('TestModel')
    assert 'TestModel' in ds.modelBuilder.models
    assert 'TestModel' in ds.modelBuilder.definitions
    ds.deleteModelByName('TestModel')
    assert 'TestModel' not in ds.modelBuilder.models
    assert 'TestModel' not in ds.modelBuilder.definitions


def test_data_source__delete_model_by_name__removes_the_model_from_connector_registry():
    ds = lb.DataSource('ds', {'connector': 'memory'})
    ds.createModel('TestModel')
    assert 'TestModel' in ds.connector._models
    ds.deleteModelByName('TestModel')
    assert 'TestModel' not in ds.connector._models


@pytest.fixture
def offline_ds():
    return lb.DataSource('ds', {'connector': 'memory'})


def test_data_source__get_max_offline_requests__sets_the_default_maximum_number_of_event_listeners_to_16(
        offline_ds):
    assert offline_ds.getMaxOfflineRequests() == 16


def test_data_source__get_max_offline_requests__uses_provided_number_of_listeners(
        offline_ds):
    offline_ds.settings['maxOfflineRequests'] = 17
    assert offline_ds.getMaxOfflineRequests() == 17


def test_data_source__get_max_offline_requests__throws_an_error_if_a_non_number_is_provided_for_the_max_number_of_listeners(
        offline_ds):
    offline_ds.settings['maxOfflineRequests'] = '17'
    with pytest.raises(Exception, match='maxOfflineRequests must be a number'):
        offline_ds.getMaxOfflineRequests()
