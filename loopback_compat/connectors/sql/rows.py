"""Model data <-> stored values for the SQL connectors (dialects refine them).

# LoopBack: SQLConnector.toColumnValue / fromColumnValue / fromRow
#           (loopback-connector's lib/sql.js)
"""

import datetime as _dt
import json
import math

from ... import filters
from ...js.dates import iso_string
from ...types import INVALID_DATE, js_string, parse_date
from ..base import json_default

UTC = _dt.timezone.utc


def to_json_text(value):
    """Compact JSON text of stored data (dates as ISO text: base.json_default).

    NaN and the infinities are written null, as JavaScript's JSON.stringify
    (and the memory connector) writes them: ``json.dumps`` would write
    ``NaN``, which is no JSON (PostgreSQL refuses it).
    """
    try:
        return json.dumps(value, default=json_default, separators=(',', ':'), allow_nan=False)
    except ValueError as err:
        if 'Out of range float' not in str(err):
            raise   # a circular reference: as before
        return json.dumps(_finite(value), separators=(',', ':'), allow_nan=False)


def _finite(value):
    """``value`` with NaN and the infinities as None, other values as their JSON
    (json_default) would give them."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    if value is None or isinstance(value, (str, int)):
        return value
    return _finite(json_default(value))


def _int_if_integral(n):
    if isinstance(n, float) and n.is_integer() and abs(n) < 2 ** 53:
        return int(n)
    return n


def _text_value(value):
    """What a TEXT column stores for a Text property's value that is no string
    (juggler keeps it as given): objects and arrays as their JSON text, a date
    as its ISO text (what the memory connector's JSON holds), other values as
    ``String()`` gives them ('123', 'true').

    # LoopBack: loopback-connector-postgresql passes a Text value to the pg
    # driver unchanged, which sends numbers and booleans as their text and
    # objects as JSON.stringify
    """
    if isinstance(value, (dict, list, tuple)):
        return to_json_text(value)
    if isinstance(value, _dt.datetime):
        return iso_string(parse_date(value))
    return js_string(value)


class SqlRows:
    """The value conversions of :class:`~.connector.SqlConnector` (a mixin):
    ``to_db`` for parameters, ``from_db`` and ``row_to_data`` for rows read."""

    def to_db(self, col, value):
        if value is None or value is filters.undefined:
            return None
        t = col.type
        if t == 'number':
            if isinstance(value, bool):
                return int(value)
            if isinstance(value, str):
                n = filters.js_to_number(value)
                return None if n != n else _int_if_integral(n)
            if isinstance(value, float) and (value != value or math.isinf(value)):
                return None
            if isinstance(value, (dict, list, tuple)):
                # as memory's loose equality: Number([2]) is 2, Number({}) NaN
                n = filters.js_to_number(list(value) if isinstance(value, tuple) else value)
                return None if n != n else _int_if_integral(n)
            return value
        if t == 'string':
            if isinstance(value, str):
                return value
            return _text_value(value) if col.text else js_string(value)
        if t == 'boolean':
            return bool(value)
        if t == 'date':
            # an Invalid Date is stored as its JSON, null (as memory stores it)
            date = parse_date(value)
            return None if date is INVALID_DATE else date
        if t == 'buffer':
            return bytes(value) if not isinstance(value, str) else value.encode('utf-8')
        return value

    def from_db(self, col, value):
        """A non-NULL stored value as model data: strings, buffers and JSON
        text; dialects convert numbers, booleans and dates first."""
        if col.type == 'string':
            return value if isinstance(value, str) else js_string(value)
        if col.type == 'buffer':
            return bytes(value)
        if col.is_json and isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                return value
        return value

    def row_to_data(self, table, cols, row, nulls=True):
        """A stored row as model data: every selected column, NULL as None.

        # LoopBack: SQLConnector.fromRow (loopback-connector), where
        # fromColumnValue keeps null, so toJSON shows ``"rating": null``
        ``nulls`` False leaves NULL columns out: for a row just inserted,
        whose instance LB3 builds from the data given (no nulls added).
        """
        out = {}
        for col, value in zip(cols, row):
            if value is None:
                if nulls:
                    out[col.prop] = None
                continue
            out[col.prop] = self.from_db(col, value)
        return out
