"""juggler 3.36.1 test/geo.test.js, ported (issue 18).

juggler tests its lib/geo.js directly (``GeoPoint``, ``nearFilter``,
``filter``), with no data source, so these cases run once, not per connector.
Here that module is spelt ``loopback_compat.geo``; each case imports it
itself (when it was missing, the import failing marked the gap, not the file).
``point.toString()`` is ``str(point)``; ``nearFilter``'s entries are dicts.
"""

import importlib

import pytest

DELTA = 0.0000001


class _Geo:
    """``require('../lib/geo')``, imported when a case first uses it (in the
    test's body, so that the missing module fails the case, not its setup)."""

    def __getattr__(self, name):
        return getattr(importlib.import_module('loopback_compat.geo'), name)


@pytest.fixture
def geo():
    return _Geo()


# -- GeoPoint / constructor ----------------------------------------------------------

def test_geopoint__constructor__should_support_a_valid_array(geo):
    point = geo.GeoPoint([-34, 150])
    assert point.lat == -34
    assert point.lng == 150


def test_geopoint__constructor__should_support_a_valid_object(geo):
    point = geo.GeoPoint({'lat': -34, 'lng': 150})
    assert point.lat == -34
    assert point.lng == 150


def test_geopoint__constructor__should_support_valid_string_geo_coordinates(geo):
    point = geo.GeoPoint('-34,150')
    assert point.lat == -34
    assert point.lng == 150


def test_geopoint__constructor__should_support_coordinates_as_inline_parameters(geo):
    point = geo.GeoPoint(-34, 150)
    assert point.lat == -34
    assert point.lng == 150


def test_geopoint__constructor__should_reject_invalid_parameters(geo):
    GeoPoint = geo.GeoPoint
    with pytest.raises(Exception):
        GeoPoint('150,-34')
    with pytest.raises(Exception):
        GeoPoint('invalid_string')
    with pytest.raises(Exception):
        GeoPoint([150, -34])
    with pytest.raises(Exception):
        GeoPoint({'lat': 150, 'lng': None})
    with pytest.raises(Exception):
        GeoPoint(150, -34)
    with pytest.raises(Exception):
        GeoPoint()


# -- GeoPoint / toString() -----------------------------------------------------------

def test_geopoint__tostring__should_return_a_string_in_the_form_lat_lng(geo):
    point = geo.GeoPoint({'lat': -34, 'lng': 150})
    assert str(point) == '-34,150'


# -- GeoPoint / distance calculation between two points -------------------------------

def here_and_there(geo):
    here = geo.GeoPoint({'lat': 40.77492964101182, 'lng': -73.90950187151662})
    there = geo.GeoPoint({'lat': 40.7753227, 'lng': -73.909217})
    return here, there


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def test_geopoint__distance_calculation_between_two_points__should_return_value_in_miles_by_default(geo):
    here, there = here_and_there(geo)
    distance = geo.GeoPoint.distanceBetween(here, there)
    assert is_number(distance)
    assert distance == pytest.approx(0.03097916611592679, abs=DELTA)


def test_geopoint__distance_calculation_between_two_points__should_return_value_using_specified_unit(geo):
    # Supported units: radians, kilometers, meters, miles, feet, degrees
    here, there = here_and_there(geo)
    for unit, expected in [('radians', 0.000007825491914348416),
                           ('kilometers', 0.04985613511367009),
                           ('meters', 49.856135113670085),
                           ('miles', 0.03097916611592679),
                           ('feet', 163.56999709209347),
                           ('degrees', 0.0004483676593058972)]:
        distance = here.distanceTo(there, {'type': unit})
        assert is_number(distance), unit
        assert distance == pytest.approx(expected, abs=DELTA), unit


# -- GeoPoint / nearFilter() ---------------------------------------------------------

def test_geopoint__nearfilter__should_return_a_filter_includes_mindistance_if_where_contains_mindistance_option(geo):
    where = {
        'location': {
            'near': {'lat': 40.77492964101182, 'lng': -73.90950187151662},
            'minDistance': 100,
        },
    }
    flt = geo.nearFilter(where)
    assert flt[0]['key'] == 'location'
    # should.have.properties({key, near, minDistance})
    assert flt[0]['key'] == 'location'
    assert flt[0]['near'] == {'lat': 40.77492964101182, 'lng': -73.90950187151662}
    assert flt[0]['minDistance'] == 100


# -- GeoPoint / filter() -------------------------------------------------------------

def test_geopoint__filter__should_be_able_to_filter_geo_points_via_mindistance(geo):
    points = [
        {'location': {'lat': 30.283552, 'lng': 120.126048}},
        {'location': {'lat': 30.380307, 'lng': 119.979445}},
        {'location': {'lat': 30.229896, 'lng': 119.744592}},
        {'location': {'lat': 30.250863, 'lng': 120.129498}},
        {'location': {'lat': 31.244209, 'lng': 121.483687}},
    ]
    flt = [{
        'key': 'location',
        'near': {'lat': 30.278562, 'lng': 120.139846},
        'unit': 'meters',
        'minDistance': 10000,
    }]
    results = geo.filter(points, flt)
    assert len(results) == 3
