"""GeoPoint and the ``near`` filter: juggler's lib/geo.js.

# LoopBack: lib/geo.js of loopback-datasource-juggler 3.x (GeoPoint,
#           nearFilter, filter, geoDistance); loopback.GeoPoint

``GeoPoint`` is a latitude/longitude pair in degrees.  It is built from
``GeoPoint(lat, lng)``, ``GeoPoint([lat, lng])``, ``GeoPoint({'lat': ..,
'lng': ..})`` (or ``GeoPoint(lat=.., lng=..)``), or a string: JSON text of
one of those, else ``'lat,lng'``.  Each part goes through JavaScript's
``Number()``; bad input raises juggler's assertion messages ('lat must be a
number when creating a GeoPoint', 'lng must be <= 180', ...) as
``AssertionError_`` (code ERR_ASSERTION), or, where juggler's constructor
fails on a property write (``GeoPoint('5')``: "Cannot create property 'lng'
on number '5'"), as ``TypeError_`` with V8's message.  Both carry
statusCode 400 (juggler's have none, so LB3 answers 500: a client's bad
coordinates are its own error here; docs/differences.md).

``nearFilter(where)`` lists the ``{prop: {near, maxDistance, minDistance,
unit}}`` clauses of a where (at any depth of and/or), ``filter(rows,
nears)`` keeps the rows within range of any of them, sorted by distance,
as juggler's memory connector and its DAO's in-memory geo query apply them.
Distances are haversine distances on juggler's sphere, in miles unless
``{'type': unit}`` names radians, kilometers, meters, feet or degrees (an
unknown unit gives NaN, as in juggler).

Two Python choices: juggler's constructor writes the Number()'d lat and lng
back into an object it is given; this one leaves the caller's dict alone.
And a GeoPoint reads as a mapping too (``point['lat']``), as the plain
``{'lat', 'lng'}`` dicts a GeoPoint property holds once read back from a
data source do.
"""

import functools
import math
import re

from .errors import AssertionError_, TypeError_
from .js.json import parse_json
from .js.numbers import WHITESPACE, is_number, number_to_string
from .js.values import UNDEFINED, to_number, to_string, truthy

__all__ = ['GeoPoint', 'nearFilter', 'filter', 'geoDistance', 'DEG2RAD', 'RAD2DEG',
           'EARTH_RADIUS']

# factor to convert degrees to radians, and back (juggler's rounded constants,
# kept so that distances equal juggler's to the last digit)
DEG2RAD = 0.01745329252
RAD2DEG = 57.29577951308

#: radius of the earth in each unit juggler knows
EARTH_RADIUS = {
    'kilometers': 6370.99056,
    'meters': 6370990.56,
    'miles': 3958.75,
    'feet': 20902200,
    'radians': 1,
    'degrees': RAD2DEG,
}

_NAN = float('nan')
_SPLIT = re.compile(',[%s]*' % re.escape(WHITESPACE))    # JavaScript's /,\s*/

_BAD_INPUT = ('must provide valid geo-coordinates array [lat, lng] or object '
              'or a "lat, lng" string')
_BAD_STRING = 'must provide a string "lat,lng" creating a GeoPoint with a string'


def _assert(ok, message):
    if not ok:
        raise AssertionError_(message, code='ERR_ASSERTION', statusCode=400)


def _typeof(value):
    if isinstance(value, bool):
        return 'boolean'
    if is_number(value):
        return 'number'
    if isinstance(value, str):
        return 'string'
    return 'object'


def _reject_constant(name):
    # JSON.parse knows no NaN / Infinity literals (Python's json does)
    raise ValueError('Unexpected token %s in JSON' % name)


def _json_parse(text):
    """``JSON.parse(text)``, or ValueError; numbers as JavaScript reads them."""
    return parse_json(text, parse_constant=_reject_constant,
                      parse_int=lambda s: to_number(s))


def _get(obj, name):
    """``obj[name]`` of a JavaScript object: a dict's key, else an attribute."""
    if isinstance(obj, dict):
        return obj.get(name, UNDEFINED)
    return getattr(obj, name, UNDEFINED)


class GeoPoint:
    """A physical location: ``lat`` and ``lng`` in degrees.

    # LoopBack: new GeoPoint(data) / new GeoPoint(lat, lng)
    """

    __slots__ = ('lat', 'lng')

    def __init__(self, *args, **kwargs):
        if len(args) == 2:
            data = {'lat': args[0], 'lng': args[1]}
        elif args:
            data = args[0]      # juggler reads only the first of 1 or 3+ arguments
        elif kwargs:
            data = kwargs
        else:
            data = UNDEFINED
        lat, lng = _coordinates(data)
        self.lat = lat
        self.lng = lng

    # -- distances --

    @staticmethod
    def distanceBetween(a, b, options=None, **kwargs):
        """The spherical distance between two points (anything GeoPoint takes).

        # LoopBack: GeoPoint.distanceBetween(pointA, pointB, {type: unit})
        """
        if not isinstance(a, GeoPoint):
            a = GeoPoint(a)
        if not isinstance(b, GeoPoint):
            b = GeoPoint(b)
        return geoDistance(a.lat, a.lng, b.lat, b.lng, options if options is not None else kwargs)

    def distanceTo(self, point, options=None, **kwargs):
        """The spherical distance from this point to ``point``.

        # LoopBack: geoPoint.distanceTo(point, {type: unit})
        """
        return GeoPoint.distanceBetween(self, point, options, **kwargs)

    # -- serialisation --

    def toString(self):
        """``'lat,lng'`` with JavaScript's number printing (``'-34,150'``)."""
        return number_to_string(self.lat) + ',' + number_to_string(self.lng)

    __str__ = toString

    def toJSON(self):
        """``{'lat': .., 'lng': ..}``: what JSON.stringify writes of juggler's."""
        return {'lat': self.lat, 'lng': self.lng}

    toObject = toJSON

    def __repr__(self):
        return 'GeoPoint { lat: %s, lng: %s }' % (number_to_string(self.lat),
                                                  number_to_string(self.lng))

    # -- read as a mapping, like the plain {lat, lng} objects juggler loads --

    def __getitem__(self, key):
        if key == 'lat':
            return self.lat
        if key == 'lng':
            return self.lng
        raise KeyError(key)

    def keys(self):
        return ['lat', 'lng']

    def get(self, key, default=None):
        return self[key] if key in ('lat', 'lng') else default

    def __eq__(self, other):
        if isinstance(other, GeoPoint):
            return self.lat == other.lat and self.lng == other.lng
        if isinstance(other, dict):
            return other == self.toJSON()
        return NotImplemented

    __hash__ = None     # mutable, as juggler's


def _coordinates(data):
    """(lat, lng) of any GeoPoint argument, with juggler's checks in its order."""
    # typeof data: 'object' (null included), or a string
    _assert(data is not UNDEFINED and _typeof(data) in ('object', 'string'), _BAD_INPUT)
    if isinstance(data, str):
        try:
            data = _json_parse(data)
        except ValueError:
            data = _SPLIT.split(data)
            _assert(len(data) == 2, _BAD_STRING)
    if isinstance(data, (list, tuple)):
        lat = to_number(data[0]) if len(data) > 0 else _NAN
        lng = to_number(data[1]) if len(data) > 1 else _NAN
    elif data is None:
        raise TypeError_("Cannot read properties of null (reading 'lng')", statusCode=400)
    elif _typeof(data) != 'object':
        # JSON text of a number, boolean or string: V8 refuses the property write
        raise TypeError_("Cannot create property 'lng' on %s '%s'"
                         % (_typeof(data), to_string(data)), statusCode=400)
    else:
        lng = to_number(_get(data, 'lng'))
        lat = to_number(_get(data, 'lat'))
    _assert(is_number(lat) and lat == lat, 'lat must be a number when creating a GeoPoint')
    _assert(is_number(lng) and lng == lng, 'lng must be a number when creating a GeoPoint')
    _assert(lng <= 180, 'lng must be <= 180')
    _assert(lng >= -180, 'lng must be >= -180')
    _assert(lat <= 90, 'lat must be <= 90')
    _assert(lat >= -90, 'lat must be >= -90')
    return lat, lng


# ---------------------------------------------------------------------------
# Distances

def _js(fn, x):
    """A Math function: NaN where Python's math raises (asin(1.0000001), sqrt(-0.1))."""
    try:
        return fn(x)
    except ValueError:
        return _NAN


def geoDistance(x1, y1, x2, y2, options=None):
    """Haversine distance between (x1, y1) and (x2, y2), degrees in.

    # LoopBack: geoDistance(x1, y1, x2, y2, options) in lib/geo.js
    The same operations in the same order as juggler's, so the result is
    juggler's double (up to the last bit of the platform's sin/cos/asin).
    """
    unit = options.get('type', UNDEFINED) if isinstance(options, dict) else UNDEFINED
    unit = to_string(unit) if truthy(unit) else 'miles'
    radius = EARTH_RADIUS.get(unit, _NAN)     # JavaScript: undefined * n is NaN
    x1 = x1 * DEG2RAD
    y1 = y1 * DEG2RAD
    x2 = x2 * DEG2RAD
    y2 = y2 * DEG2RAD

    def haversine(a):
        return math.pow(_js(math.sin, a / 2.0), 2)

    f = _js(math.sqrt, haversine(x2 - x1)
            + _js(math.cos, x2) * _js(math.cos, x1) * haversine(y2 - y1))
    return 2 * _js(math.asin, f) * radius


# ---------------------------------------------------------------------------
# The near filter

def nearFilter(where):
    """The near clauses of a where, or False when there is none.

    # LoopBack: geo.nearFilter(where) (for connectors)
    Each is ``{'near', 'maxDistance', 'minDistance', 'unit', 'mongoKey',
    'key'}`` (``lb.undefined`` for what the clause leaves out); ``key`` is
    the property, ``mongoKey`` its path from the root (the key itself at
    the root, else a list such as ``['and', 0, 'location']``).
    """
    if isinstance(where, dict):
        # a quick look first (every find on memory asks): the search below
        # only goes into lists (and/or) and into dicts that hold 'near'
        for value in where.values():
            if isinstance(value, (list, tuple)) or (isinstance(value, dict) and 'near' in value):
                break
        else:
            return False
    found = []
    _near_search(where, [], found)
    return found if found else False


def _near_search(clause, parent_keys, found):
    if isinstance(clause, dict):
        items = clause.items()
    elif isinstance(clause, (list, tuple)):
        items = ((str(i), v) for i, v in enumerate(clause))   # Object.keys of an array
    else:
        return
    for key, value in items:
        if isinstance(value, (list, tuple)):
            for index, element in enumerate(value):
                _near_search(element, parent_keys + [key, index], found)
        elif isinstance(value, dict) and 'near' in value:
            found.append({
                'near': value['near'],
                'maxDistance': value.get('maxDistance', UNDEFINED),
                'minDistance': value.get('minDistance', UNDEFINED),
                'unit': value.get('unit', UNDEFINED),
                'mongoKey': parent_keys + [key] if parent_keys else key,
                'key': key,
            })


def _bound(value):
    """``value > 0 ? value : false`` as a number (JavaScript compares the
    distance with the value's Number(): '5' and [5] are 5)."""
    if value is UNDEFINED or value is None:
        return None
    n = to_number(value)
    return n if n > 0 else None


def filter(rawResults, filters):  # noqa: A001 - juggler's name (geo.filter)
    """The rows within range of the near clauses, nearest first.

    # LoopBack: geo.filter(rawResults, filters)
    ``rawResults`` are rows (dicts; objects are read by attribute).  For
    each clause in turn, a row whose ``key`` value is falsy drops out, any
    other value is made a GeoPoint (invalid ones raise, as juggler's do);
    rows within [minDistance, maxDistance] are appended and the list so far
    is sorted by distance (stable).  As juggler's: a row within range of two
    clauses is listed twice, and distances are indexed by the row's ``id``
    property (whatever the model's id is called).
    """
    distances = {}
    results = []
    for flt in filters:
        origin = [_get(flt, 'near')]
        high = _bound(_get(flt, 'maxDistance'))
        low = _bound(_get(flt, 'minDistance'))
        unit = {'type': _get(flt, 'unit')}
        key = _get(flt, 'key')
        key = key if isinstance(key, str) else to_string(key)
        for result in rawResults:
            loc = _get(result, key)
            if not truthy(loc):
                continue        # no location: not a result
            if not isinstance(loc, GeoPoint):
                loc = GeoPoint(loc)
            if not isinstance(origin[0], GeoPoint):
                # made once, on the first row that needs it (as early as juggler's
                # per-row GeoPoint(origin) raises), since nothing changes it here
                origin[0] = GeoPoint(origin[0])
            d = GeoPoint.distanceBetween(origin[0], loc, unit)
            if (low is not None and d < low) or (high is not None and d > high):
                continue
            distances[to_string(_get(result, 'id'))] = d
            results.append(result)
        results.sort(key=functools.cmp_to_key(_by_distance(key, distances)))
    return results


def _by_distance(key, distances):
    def compare(res_a, res_b):
        if truthy(_get(res_a, key)) and truthy(_get(res_b, key)):
            da = distances.get(to_string(_get(res_a, 'id')), UNDEFINED)
            db = distances.get(to_string(_get(res_b, 'id')), UNDEFINED)
            if da is db or (da is not UNDEFINED and db is not UNDEFINED and da == db):
                return 0
            if da is not UNDEFINED and db is not UNDEFINED and da > db:
                return 1
            return -1
        return 0
    return compare
