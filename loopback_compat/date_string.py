"""DateString: a string that must be a valid date, kept as written.

# LoopBack: lib/date-string.js of loopback-datasource-juggler 3.x

``DateString('2015-01-01')`` keeps its text in ``when`` and the date it
stands for (JavaScript's ``new Date(when)``, an aware UTC datetime) in
``_date``.  Assigning ``when`` checks the new text the same way.  A text
that is no date raises ``Invalid date``; anything but a string (or another
DateString) raises ``Input must be a string`` (plain errors, as juggler's).

It is also the ``'DateString'`` property type (types.py): assignment builds
one, so a bad value raises from the setter (or from the constructor of the
model instance), as in juggler.  Like juggler's, ``toJSON()`` returns the
*JSON text* ``{"when":"..."}`` (a string), which is what a connector that
serialises the instance stores; read back, that text is JSON-parsed into a
plain ``{'when': ...}`` dict (juggler's memory connector gives the same).

Importable as ``loopback_compat.types.DateString``.
"""

import json

from .errors import LoopBackError
from .js.dates import new_date

__all__ = ['DateString']


class DateString:
    """A string whose value is a valid representation of a date.

    # LoopBack: new DateString(value)
    """

    __slots__ = ('_when', '_date')

    def __init__(self, value):
        if isinstance(value, DateString):
            value = value.when
        if not isinstance(value, str):
            raise LoopBackError('Input must be a string')
        self.when = value

    @property
    def when(self):
        return self._when

    @when.setter
    def when(self, val):
        try:
            date = new_date(val)      # new Date(val): any value, as juggler's setter
        except Exception:  # noqa: BLE001 - a value ToPrimitive refuses
            date = None
        if date is None:
            raise LoopBackError('Invalid date')
        self._when = val
        self._date = date

    def toString(self):
        """The date in its original form."""
        return self._when

    __str__ = toString

    def toJSON(self):
        """The JSON text ``{"when":"..."}`` (a string, as juggler's toJSON returns)."""
        return json.dumps({'when': self._when}, separators=(',', ':'), ensure_ascii=False)

    def inspect(self, *args):
        return 'DateString ' + repr({'when': self._when, '_date': self._date})

    __repr__ = inspect

    def __eq__(self, other):
        if isinstance(other, DateString):
            return self._when == other._when
        return NotImplemented

    def __hash__(self):
        return hash(self._when)
