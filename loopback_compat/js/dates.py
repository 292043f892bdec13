"""JavaScript Dates: ``new Date(x)``, ``Date.parse``, ``toISOString``, ``toString``.

# LoopBack: juggler's DateType is ``new Date(value)``; the memory connector
#           compares dates by ``getTime()``; messages print ``toISOString()``

A Date is a Python ``datetime`` (aware, UTC; a naive one is read as UTC,
as is a ``date``, at midnight).  JavaScript's time value, milliseconds since
1970 as a number, is what :func:`time_value` and :func:`parse` return; it
reaches years -271821 to 275760, while a ``datetime`` only holds years 1 to
9999, so :func:`new_date` answers None (Invalid Date) for an instant outside
them.

Strings are read as V8 (Node) reads them (:func:`parse`): first as the ES5
ISO format (``[+-yy]yyyy[-MM[-DD]][THH:mm[:ss[.sss]][Z|+hh:mm]]``: a date
alone is UTC, a date with a time and no offset local time), and when that
fails as a "legacy" date, V8's permissive grammar (``'Jan 5 2020 10:00
GMT+0100'``, ``'1/2/2020'``, ``'2020-01-01 10:00'``): month names, am/pm,
time zone names, numbers composed into day and time, words before the first
number ignored, parenthesised text ignored.  Days past the end of a month
roll over (``'2020-02-30'`` is March 1), as in V8.  The process time zone is
taken to be UTC, so local time is UTC (run Node with TZ=UTC to compare).
"""

import datetime as _dt
import math
import re

from .numbers import WHITESPACE

__all__ = ['UTC', 'EPOCH', 'MAX_TIME_MS', 'date_ms', 'from_ms', 'utc', 'iso_string',
           'date_to_string', 'parse', 'time_value', 'new_date']

UTC = _dt.timezone.utc
EPOCH = _dt.datetime(1970, 1, 1, tzinfo=UTC)
#: The largest time value a Date holds (100,000,000 days either side of 1970).
MAX_TIME_MS = 8.64e15
_NAN = float('nan')
_EPOCH_ORDINAL = EPOCH.toordinal()
_DAYS = ('Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun')
_MONTHS = ('Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec')


# ---------------------------------------------------------------------------
# datetime <-> time value, printing

def date_ms(d):
    """``d.getTime()`` for a datetime (naive: UTC) or a date (midnight UTC)."""
    if not isinstance(d, _dt.datetime):
        d = _dt.datetime(d.year, d.month, d.day, tzinfo=UTC)
    elif d.tzinfo is None:
        d = d.replace(tzinfo=UTC)
    delta = d - EPOCH
    return (delta.days * 86400 + delta.seconds) * 1000 + delta.microseconds // 1000


def from_ms(ms):
    """The datetime of a time value (truncated to whole ms, as TimeClip does),
    or None when it is NaN, out of a Date's range or out of datetime's years."""
    if ms != ms or ms in (math.inf, -math.inf) or abs(ms) > MAX_TIME_MS:
        return None
    try:
        return EPOCH + _dt.timedelta(milliseconds=math.trunc(ms))
    except OverflowError:
        return None


def utc(d):
    """A datetime or date as an aware UTC datetime (naive ones are UTC already)."""
    if not isinstance(d, _dt.datetime):
        return _dt.datetime(d.year, d.month, d.day, tzinfo=UTC)
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)


def iso_string(d):
    """``Date.prototype.toISOString``: '2020-01-02T03:04:05.006Z' (always UTC, ms)."""
    if not isinstance(d, _dt.datetime):
        d = _dt.datetime(d.year, d.month, d.day)
    elif d.tzinfo is not None:
        d = d.astimezone(UTC)
    return '%04d-%02d-%02dT%02d:%02d:%02d.%03dZ' % (
        d.year, d.month, d.day, d.hour, d.minute, d.second, d.microsecond // 1000)


def date_to_string(d):
    """``Date.prototype.toString`` (``String(date)``) in a process whose time zone is UTC."""
    d = utc(d)
    return '%s %s %02d %04d %02d:%02d:%02d GMT+0000 (Coordinated Universal Time)' % (
        _DAYS[d.weekday()], _MONTHS[d.month - 1], d.day, d.year, d.hour, d.minute, d.second)


# ---------------------------------------------------------------------------
# new Date(x)

# The canonical toISOString form with a day that every month has: read
# directly (parse() gives the same; tests/test_js.py checks it).
_CANONICAL = re.compile(r'([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})'
                        r'\.([0-9]{3})Z\Z')


def new_date(arg):
    """``new Date(arg)`` as an aware UTC datetime, or None for an Invalid Date
    (or an instant outside datetime's years 1 to 9999).

    A datetime is returned in UTC (a naive one is taken as UTC), a date as
    its midnight UTC; a string is parsed (:func:`parse`); None is the epoch;
    numbers are milliseconds; other objects go through ToPrimitive.
    """
    if isinstance(arg, _dt.datetime):
        return arg.replace(tzinfo=UTC) if arg.tzinfo is None else arg.astimezone(UTC)
    if isinstance(arg, str):
        m = _CANONICAL.match(arg)
        if m:
            year, month, day, hour, minute, second, ms = map(int, m.groups())
            if 1 <= month <= 12 and 1 <= day <= 28 and hour < 24 and minute < 60 \
                    and second < 60 and year:
                return _dt.datetime(year, month, day, hour, minute, second, ms * 1000,
                                    tzinfo=UTC)
        return from_ms(parse(arg))
    return from_ms(time_value(arg))


def time_value(arg):
    """``new Date(arg).getTime()``: milliseconds since 1970, NaN when invalid."""
    if isinstance(arg, _dt.date):
        return date_ms(arg)
    if isinstance(arg, str):
        return parse(arg)
    if arg is None:
        return 0
    if isinstance(arg, (bool, int, float)):
        return _time_clip(float(arg) if isinstance(arg, bool) else arg)
    get_time = getattr(arg, 'getTime', None)
    if callable(get_time) and not isinstance(arg, type):   # a Date-like (Invalid Date)
        return _time_clip(get_time())
    from .values import to_number, to_primitive       # values imports this module
    prim = to_primitive(arg)
    if isinstance(prim, str):
        return parse(prim)
    return _time_clip(to_number(prim))


def _time_clip(t):
    """TimeClip: NaN past +-8.64e15 ms, else the integer part."""
    if t != t or t in (math.inf, -math.inf) or abs(t) > MAX_TIME_MS:
        return _NAN
    return int(t)


# ---------------------------------------------------------------------------
# Date.parse: V8's date parser (src/date/dateparser*), ported
#
# Tokens are tuples (tag, length, value).  A word is a keyword token whose tag
# is its keyword type (an unknown word has type _WORD).

_NUM, _SYM, _WS, _END, _UNKNOWN, _INVALID = 'num', 'sym', 'ws', 'end', 'unknown', 'invalid'
_WORD, _MONTH, _ZONE, _T, _AMPM = 'word', 'month', 'zone', 't', 'ampm'
_KEYWORD_TAGS = (_WORD, _MONTH, _ZONE, _T, _AMPM)
_NONE = None            # V8's kNone: a slot with no value
_MAX_DIGITS = 9         # digits of a numeral that count; the rest are skipped
_SMI_MAX = 2 ** 31 - 1

# (three-letter prefix, type, value); a word longer than three letters only
# matches a month name.
_KEYWORDS = (
    ('jan', _MONTH, 1), ('feb', _MONTH, 2), ('mar', _MONTH, 3), ('apr', _MONTH, 4),
    ('may', _MONTH, 5), ('jun', _MONTH, 6), ('jul', _MONTH, 7), ('aug', _MONTH, 8),
    ('sep', _MONTH, 9), ('oct', _MONTH, 10), ('nov', _MONTH, 11), ('dec', _MONTH, 12),
    ('am', _AMPM, 0), ('pm', _AMPM, 12),
    ('ut', _ZONE, 0), ('utc', _ZONE, 0), ('z', _ZONE, 0), ('gmt', _ZONE, 0),
    ('cdt', _ZONE, -5), ('cst', _ZONE, -6), ('edt', _ZONE, -4), ('est', _ZONE, -5),
    ('mdt', _ZONE, -6), ('mst', _ZONE, -7), ('pdt', _ZONE, -7), ('pst', _ZONE, -8),
    ('t', _T, 0),
)
_END_TOKEN = (_END, 0, -1)


def _keyword(word):
    prefix = ''.join(chr(ord(c) | 0x20) for c in word[:3])
    for name, kind, value in _KEYWORDS:
        if prefix == name and (len(word) <= 3 or kind == _MONTH):
            return kind, value
    return _WORD, 0


class _Scanner:
    """V8's DateStringTokenizer over a string (a NUL ends the input, as there)."""

    __slots__ = ('s', 'i', 'n', 'next')

    def __init__(self, s):
        nul = s.find('\0')
        self.s = s if nul < 0 else s[:nul]
        self.i = 0
        self.n = len(self.s)
        self.next = self._scan()

    def _scan(self):
        s, i, n = self.s, self.i, self.n
        if i >= n:
            return _END_TOKEN
        c = s[i]
        if '0' <= c <= '9':
            j = i
            while j < n and '0' <= s[j] <= '9':
                j += 1
            self.i = j
            return (_NUM, j - i, int(s[i:min(j, i + _MAX_DIGITS)]))
        if c in ':-+.)':
            self.i = i + 1
            return (_SYM, 1, c)
        if c >= 'A' and c not in WHITESPACE:
            j = i
            while j < n and s[j] >= 'A' and s[j] not in WHITESPACE:
                j += 1
            self.i = j
            kind, value = _keyword(s[i:j])
            return (kind, j - i, value)
        if c in WHITESPACE:
            self.i = i + 1
            return (_WS, 1, -1)
        if c == '(':
            balance = 0
            while True:
                ch = s[i] if i < n else ''
                if ch == ')':
                    balance -= 1
                elif ch == '(':
                    balance += 1
                i += 1
                if not (balance > 0 and i < n):
                    break
            self.i = i
            return (_UNKNOWN, 1, -1)
        self.i = i + 1
        return (_UNKNOWN, 1, -1)

    def take(self):
        token = self.next
        self.next = self._scan()
        return token

    def skip(self, symbol):
        if self.next[0] == _SYM and self.next[2] == symbol:
            self.next = self._scan()
            return True
        return False

    def peek_number(self, length=None):
        t = self.next
        return t[0] == _NUM and (length is None or t[1] == length)


def _is_sign(token):
    return token[0] == _SYM and token[2] in '+-'


def _sign(token):
    return 1 if token[2] == '+' else -1


def _is_z(token):
    return token[0] == _ZONE and token[1] == 1 and token[2] == 0


def _between(x, lo, hi):
    return lo <= x <= hi


class _Day:
    __slots__ = ('comp', 'named_month', 'iso')

    def __init__(self):
        self.comp = []
        self.named_month = _NONE
        self.iso = False

    def add(self, n):
        if len(self.comp) < 3:
            self.comp.append(n)
            return True
        return False

    def write(self):
        if not self.comp:
            return None
        comp = self.comp + [1] * (3 - len(self.comp))
        year = 0          # V8's default (2000, after the two-digit rule below)
        if self.named_month is _NONE:
            if self.iso or not _between(comp[0], 1, 31):
                year, month, day = comp
            else:
                month, day, year = comp
        else:
            month = self.named_month
            if not _between(comp[0], 1, 31):
                year, day = comp[0], comp[1]
            else:
                day, year = comp[0], comp[1]
        if not self.iso:
            if _between(year, 0, 49):
                year += 2000
            elif _between(year, 50, 99):
                year += 1900
        if not (-_SMI_MAX - 1 <= year <= _SMI_MAX) or not _between(month, 1, 12) \
                or not _between(day, 1, 31):
            return None
        return year, month - 1, day


class _Time:
    __slots__ = ('comp', 'hour_offset')

    def __init__(self):
        self.comp = []
        self.hour_offset = _NONE

    def empty(self):
        return not self.comp

    def expecting(self, n):
        k = len(self.comp)
        return (k == 1 and _between(n, 0, 59)) or (k == 2 and _between(n, 0, 59)) or \
            (k == 3 and _between(n, 0, 999))

    def add(self, n):
        if len(self.comp) < 4:
            self.comp.append(n)
            return True
        return False

    def add_final(self, n):
        if not self.add(n):
            return False
        self.comp += [0] * (4 - len(self.comp))
        return True

    def write(self):
        hour, minute, second, ms = self.comp + [0] * (4 - len(self.comp))
        if self.hour_offset is not _NONE:
            if not _between(hour, 0, 12):
                return None
            hour = hour % 12 + self.hour_offset
        if not (_between(hour, 0, 23) and _between(minute, 0, 59) and _between(second, 0, 59)
                and _between(ms, 0, 999)):
            if hour != 24 or minute or second or ms:
                return None
        return hour, minute, second, ms


class _Zone:
    __slots__ = ('sign', 'hour', 'minute')

    def __init__(self):
        self.sign = self.hour = self.minute = _NONE

    def set(self, offset_hours):
        self.sign = -1 if offset_hours < 0 else 1
        self.hour = offset_hours * self.sign
        self.minute = 0

    def expecting(self, n):
        return self.hour is not _NONE and self.minute is _NONE and _between(n, 0, 59)

    def is_utc(self):
        return self.hour == 0 and self.minute == 0

    def empty(self):
        return self.hour is _NONE

    def write(self):
        """The offset in seconds, None for none, False when invalid."""
        if self.sign is _NONE:
            return None
        hour = 0 if self.hour is _NONE else self.hour
        minute = 0 if self.minute is _NONE else self.minute
        total = (hour * 3600 + minute * 60) & 0xFFFFFFFF     # V8 adds as unsigned ints
        if total > _SMI_MAX:
            return False
        return -total if self.sign < 0 else total


def _read_ms(token):
    """The first three significant digits of a fraction numeral, as ms."""
    number, length = token[2], token[1]
    if length == 1:
        return number * 100
    if length == 2:
        return number * 10
    if length > 3:
        return number // 10 ** (min(length, _MAX_DIGITS) - 3)
    return number


def _parse_iso(sc, day, time, tz):
    """V8's ParseES5DateTime: the token the legacy parser continues with,
    _END_TOKEN when the whole string was an ES5 date, or an _INVALID token."""
    invalid = (_INVALID, 0, -1)
    if _is_sign(sc.next):
        sign_token = sc.take()
        if not sc.peek_number(6):
            return sign_token
        year = sc.take()[2]
        if _sign(sign_token) < 0 and year == 0:
            return sign_token
        day.add(_sign(sign_token) * year)
    elif sc.peek_number(4):
        day.add(sc.take()[2])
    else:
        return sc.take()
    if sc.skip('-'):
        if not sc.peek_number(2) or not _between(sc.next[2], 1, 12):
            return sc.take()
        day.add(sc.take()[2])
        if sc.skip('-'):
            if not sc.peek_number(2) or not _between(sc.next[2], 1, 31):
                return sc.take()
            day.add(sc.take()[2])
    if sc.next[0] != _T:
        if sc.next[0] != _END:
            return sc.take()
    else:
        sc.take()
        if not sc.peek_number(2) or not _between(sc.next[2], 0, 24):
            return invalid
        hour_is_24 = sc.next[2] == 24
        time.add(sc.take()[2])
        if not sc.skip(':'):
            return invalid
        if not sc.peek_number(2) or not _between(sc.next[2], 0, 59) or \
                (hour_is_24 and sc.next[2] > 0):
            return invalid
        time.add(sc.take()[2])
        if sc.skip(':'):
            if not sc.peek_number(2) or not _between(sc.next[2], 0, 59) or \
                    (hour_is_24 and sc.next[2] > 0):
                return invalid
            time.add(sc.take()[2])
            if sc.skip('.'):
                if not sc.peek_number() or (hour_is_24 and sc.next[2] > 0):
                    return invalid
                time.add(_read_ms(sc.take()))
        if _is_z(sc.next):
            sc.take()
            tz.set(0)
        elif _is_sign(sc.next):
            tz.sign = _sign(sc.take())
            if sc.peek_number(4):
                hourmin = sc.take()[2]
                hour, minute = divmod(hourmin, 100)
                if not _between(hour, 0, 23) or not _between(minute, 0, 59):
                    return invalid
                tz.hour, tz.minute = hour, minute
            else:
                if not sc.peek_number(2) or not _between(sc.next[2], 0, 23):
                    return invalid
                tz.hour = sc.take()[2]
                if not sc.skip(':'):
                    return invalid
                if not sc.peek_number(2) or not _between(sc.next[2], 0, 59):
                    return invalid
                tz.minute = sc.take()[2]
        if sc.next[0] != _END:
            return invalid
    if tz.empty() and time.empty():
        tz.set(0)     # a date alone is UTC; a date and time without offset is local
    day.iso = True
    return _END_TOKEN


def _parse_fields(text):
    """V8's DateParser::Parse: (year, month0, day, hour, minute, second, ms,
    offset seconds or None) or None when the string is not a date."""
    sc = _Scanner(text)
    day, time, tz = _Day(), _Time(), _Zone()
    token = _parse_iso(sc, day, time, tz)
    if token[0] == _INVALID:
        return None
    has_read_number = bool(day.comp)
    while token[0] != _END:
        tag = token[0]
        if tag == _NUM:
            has_read_number = True
            n = token[2]
            if sc.skip(':'):
                if sc.skip(':'):
                    if not time.empty():
                        return None
                    time.add(n)
                    time.add(0)
                else:
                    if not time.add(n):
                        return None
                    if sc.next[0] == _SYM and sc.next[2] == '.':
                        sc.take()
            elif sc.skip('.') and time.expecting(n):
                time.add(n)
                if not sc.peek_number():
                    return None
                time.add_final(_read_ms(sc.take()))
            elif tz.expecting(n):
                tz.minute = n
            elif time.expecting(n):
                time.add_final(n)
                peek = sc.next
                if not (peek[0] in (_END, _WS) or _is_z(peek) or _is_sign(peek)):
                    return None
            else:
                if not day.add(n):
                    return None
                sc.skip('-')
        elif tag in _KEYWORD_TAGS:
            value = token[2]
            if tag == _AMPM and not time.empty():
                time.hour_offset = value
            elif tag == _MONTH:
                day.named_month = value
                sc.skip('-')
            elif tag == _ZONE and has_read_number:
                tz.set(value)
            else:
                # words are only allowed before the first number, apart from it
                if has_read_number or sc.next[0] == _NUM:
                    return None
        elif _is_sign(token) and (tz.is_utc() or not time.empty()):
            tz.sign = _sign(token)
            n = length = 0
            if sc.peek_number():
                _, length, n = sc.take()
            has_read_number = True
            if sc.next[0] == _SYM and sc.next[2] == ':':
                tz.hour, tz.minute = n, _NONE
            elif length in (1, 2):
                tz.hour, tz.minute = n, 0
            elif length in (3, 4):
                tz.hour, tz.minute = divmod(n, 100)
            else:
                return None
        elif (_is_sign(token) or (tag == _SYM and token[2] == ')')) and has_read_number:
            return None
        token = sc.take()
    ymd = day.write()
    hms = time.write() if ymd is not None else None
    offset = tz.write() if hms is not None else False
    if offset is False:
        return None
    return ymd + hms + (offset,)


_MAX_LOCAL_MS = MAX_TIME_MS + 864000000    # V8: a local time may be 10 days past the range


def _days_from_civil(year, month0):
    """Days from 1970-01-01 to the first of the month (any year, proleptic Gregorian)."""
    year += month0 // 12
    month = month0 % 12 + 1
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def parse(text):
    """``Date.parse(text)``: the time value in ms (an int), NaN when not a date."""
    fields = _parse_fields(text)
    if fields is None:
        return _NAN
    year, month0, day, hour, minute, second, ms, offset = fields
    if not -1000000 <= year <= 1000000:       # V8's MakeDay gives NaN past these
        return _NAN
    t = (_days_from_civil(year, month0) + day - 1) * 86400000 + \
        hour * 3600000 + minute * 60000 + second * 1000 + ms
    if offset is None:
        if abs(t) > _MAX_LOCAL_MS:
            return _NAN
    else:
        t -= offset * 1000
        if abs(t) > MAX_TIME_MS:
            return _NAN
    return _time_clip(t)
