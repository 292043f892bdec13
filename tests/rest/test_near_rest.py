"""GeoPoint properties and the near filter through the REST API, on every connector.

A near query sent as a REST filter answers what the model API answers (the
same rows, in the same order, as JSON); garbage coordinates come back as a
400 LoopBack error with juggler's message (LB3: its AssertionError without
a statusCode, so a 500), never as a Python exception; counts ignore near
clauses as LB3's do.  The expected orders were checked against a real LB3
3.28 app on the memory connector.
"""

import json
import urllib.parse

import pytest

import loopback_compat as lb
from live import LiveApp
from trust_support import ALL_CONNECTORS, close_ds, make_ds

PLACES = [
    {'name': 'a', 'loc': {'lat': 10, 'lng': 20}},
    {'name': 'b', 'loc': '10.01,20.01'},
    {'name': 'c'},
    {'name': 'd', 'loc': [11, 21]},
]


@pytest.fixture(scope='module', params=ALL_CONNECTORS)
def live(request, tmp_path_factory):
    ds = make_ds(request.param, tmp_path_factory.mktemp('near'))

    def setup(app, done):
        Place = ds.createModel('Place', {'name': 'string', 'loc': 'GeoPoint'})
        app.dataSources['db'] = ds
        app.model(Place, dataSource='db')

        def seed():
            lb.await_(ds.automigrate())
            lb.await_(Place.create(PLACES))
        lb.async_(seed)().then(lambda _=None: done(), done)

    app = LiveApp(setup).start()
    app.connector = request.param
    yield app
    app.stop()
    close_ds(ds)


def url(path, **query):
    return path + ('?' + urllib.parse.urlencode(
        {k: v if isinstance(v, str) else json.dumps(v) for k, v in query.items()})
        if query else '')


def model_find(live, flt):
    """What Place.find(flt) gives, as JSON, read on the loop thread."""
    def read(done):
        live.app.models['Place'].find(flt, lambda err, items=None: done(
            err or [i.toJSON() for i in items]))
    out = live.on_loop(read)
    if isinstance(out, BaseException):
        raise out
    return out


def names(body):
    return [row['name'] for row in body]


def as_stored(live, loc):
    """A {lat, lng} location as the connector reads it back (PostgreSQL: {lng, lat})."""
    if live.connector == 'postgresql':
        return {'lng': loc['lng'], 'lat': loc['lat']}
    return loc


NEAR_QUERIES = [
    ({'where': {'loc': {'near': '10,20', 'maxDistance': 5}}}, ['a', 'b']),
    ({'where': {'loc': {'near': '10,20'}}}, ['a', 'b', 'd']),
    ({'where': {'loc': {'near': '10,20', 'maxDistance': 1e308}}}, ['a', 'b', 'd']),
    ({'where': {'loc': {'near': '10,20', 'maxDistance': 'NaN'}}}, ['a', 'b', 'd']),
    ({'where': {'loc': {'near': '10,20', 'unit': 'parsecs'}}}, ['d', 'b', 'a']),
    ({'where': {'nope': {'near': '10,20'}}}, []),
    ({'where': {'loc': {'near': '10,20'}}, 'limit': 1, 'skip': 1}, ['b']),
    ({'where': {'loc': {'near': {'lat': 11, 'lng': 21}, 'maxDistance': 200,
                        'unit': 'kilometers'}}}, ['d', 'b', 'a']),
]


@pytest.mark.parametrize('flt,expected', NEAR_QUERIES, ids=lambda v: json.dumps(v)[:50])
def test_near_filter_answers_as_the_model_api(live, flt, expected):
    status, body = live.json('GET', url('/api/Places', filter=flt))
    assert status == 200, body
    assert names(body) == expected
    assert body == model_find(live, json.loads(json.dumps(flt)))


def test_near_filter_in_query_string_form(live):
    status, body = live.json(
        'GET', '/api/Places?filter[where][loc][near]=10,20&filter[where][loc][maxDistance]=5')
    assert status == 200, body
    assert names(body) == ['a', 'b']
    assert body[0]['loc'] == as_stored(live, {'lat': 10, 'lng': 20})


def test_near_with_fields_and_find_one(live):
    flt = {'where': {'loc': {'near': '10,20'}}, 'fields': {'loc': False}}
    assert live.json('GET', url('/api/Places', filter=flt)) == \
        (200, [{'name': 'a', 'id': 1}, {'name': 'b', 'id': 2}, {'name': 'd', 'id': 4}])
    status, body = live.json('GET', url('/api/Places/findOne',
                                        filter={'where': {'loc': {'near': '11,21'}}}))
    assert (status, body['name']) == (200, 'd')


def test_count_ignores_near(live):
    where = {'loc': {'near': '10,20', 'maxDistance': 5}}
    assert live.json('GET', url('/api/Places/count', where=where)) == (200, {'count': 4})


GARBAGE = [
    ('abc', 'must provide a string "lat,lng" creating a GeoPoint with a string'),
    ([None, 'x'], 'lng must be a number when creating a GeoPoint'),
    ({'lat': 'NaN', 'lng': 1}, 'lat must be a number when creating a GeoPoint'),
    ('91,0', 'lat must be <= 90'),
    ('NaN,NaN', 'lat must be a number when creating a GeoPoint'),
    ('5', "Cannot create property 'lng' on number '5'"),
    (None, "Cannot read properties of null (reading 'lng')"),
    ('[' * 1500 + ']' * 1500, 'JSON nested too deeply to parse'),
    ('1,' + '9' * 3000, 'lng must be <= 180'),
]


@pytest.mark.parametrize('near,message', GARBAGE, ids=lambda v: json.dumps(v)[:40])
def test_garbage_near_is_a_400(live, near, message):
    flt = {'where': {'loc': {'near': near, 'maxDistance': 5}}}
    status, body = live.json('GET', url('/api/Places', filter=flt))
    assert status == 400, body
    assert body['error']['message'] == message
    # the app still answers
    assert live.json('GET', url('/api/Places/count'))[0] == 200


def test_geopoint_data_through_rest(live):
    status, body = live.json('POST', '/api/Places', {'name': 'new', 'loc': '1.5, -2.5'})
    assert status == 200, body
    assert body['loc'] == {'lat': 1.5, 'lng': -2.5}
    status, got = live.json('GET', '/api/Places/%s' % body['id'])
    assert got['loc'] == as_stored(live, {'lat': 1.5, 'lng': -2.5})
    for bad, message in [('abc', 'must provide a string "lat,lng" creating a GeoPoint with a '
                                 'string'),
                         ({'lat': 91, 'lng': 0}, 'lat must be <= 90'),
                         (7, 'must provide valid geo-coordinates array [lat, lng] or object or '
                             'a "lat, lng" string')]:
        status, err = live.json('POST', '/api/Places', {'name': 'bad', 'loc': bad})
        assert status == 400, err
        assert err['error']['message'] == message
    assert live.json('DELETE', '/api/Places/%s' % body['id'])[0] == 200
    assert live.json('GET', url('/api/Places/count'))[1] == {'count': 4}


def test_swagger_refers_to_the_geopoint_definition(live):
    # loopback-swagger's type registry: {$ref: '#/definitions/GeoPoint'}, defined once
    status, doc = live.json('GET', '/explorer/swagger.json')
    assert status == 200
    assert doc['definitions']['Place']['properties']['loc'] == {'$ref': '#/definitions/GeoPoint'}
    assert doc['definitions']['GeoPoint'] == {'properties': {'lat': {'type': 'number'},
                                                             'lng': {'type': 'number'}}}
