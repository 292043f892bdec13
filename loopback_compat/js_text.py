"""How JavaScript and Node print values: ``String(v)``, ``JSON.stringify`` of a
string, ``Date#toISOString`` and ``util.inspect``.

juggler puts such text into error messages (a ValidationError shows each
invalid value), so the Python port prints values the same way.  Values are
the Python spellings of JavaScript ones: None is null, :data:`UNDEFINED` is
undefined, floats are numbers (NaN and Infinity included), dicts are
objects, lists are arrays, datetimes are Dates; an object with ``getTime()``
returning NaN is an Invalid Date, and an object with ``toObject()`` (a model
instance) prints as its plain data.
"""

import datetime as _dt
import json
import math
import re

from .errors import json_too_deep


class _Undefined:
    """JavaScript's ``undefined``: one object for the whole package.

    A key absent from instance data, an argument not given over REST, a where
    value juggler drops: all are this object (``lb.undefined``), so every
    ``is UNDEFINED`` test agrees.  Copies and pickles stay the same object.
    """

    __slots__ = ()
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return 'undefined'

    def __bool__(self):
        return False

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return 'UNDEFINED'


UNDEFINED = _Undefined()


#: Deepest JSON a client may send (LB3 refuses queries past 12 levels and data
#: past 32 after parsing; this bound keeps every recursive walk of a parsed
#: value far from Python's recursion limit).
MAX_JSON_DEPTH = 256


def parse_json(text, **kwargs):
    """``json.loads(text, **kwargs)`` refusing nesting past :data:`MAX_JSON_DEPTH`.

    Raises the 400 JSON_TOO_DEEP error for deeper text; ValueError (and
    json.JSONDecodeError) as json.loads does for malformed text.
    """
    try:
        value = json.loads(text, **kwargs)
    except RecursionError:
        raise json_too_deep() from None
    if isinstance(value, (dict, list)) and _nesting_exceeds(value, MAX_JSON_DEPTH):
        raise json_too_deep()
    return value


def _nesting_exceeds(value, limit):
    """Whether parsed JSON nests deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


def is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_nan(value):
    return isinstance(value, float) and math.isnan(value)


def js_number_string(value):
    """``String(n)`` for a JavaScript number (shortest round-trip digits)."""
    if isinstance(value, int):
        if abs(value) < 10 ** 21:
            return str(value)
        value = float(value)
    if math.isnan(value):
        return 'NaN'
    if math.isinf(value):
        return 'Infinity' if value > 0 else '-Infinity'
    if value == 0:
        return '0'
    sign = '-' if value < 0 else ''
    mantissa, _, exp = repr(abs(value)).partition('e')
    whole, _, frac = mantissa.partition('.')
    digits = (whole + frac).lstrip('0')
    # n: position of the decimal point relative to the digit string
    if whole == '0':
        n = -(len(frac) - len(frac.lstrip('0')))
    else:
        n = len(whole)
    n += int(exp) if exp else 0
    digits = digits.rstrip('0') or '0'
    k = len(digits)
    if k <= n <= 21:
        text = digits + '0' * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + '.' + digits[n:]
    elif -6 < n <= 0:
        text = '0.' + '0' * -n + digits
    else:
        e = n - 1
        text = digits[0] + ('.' + digits[1:] if k > 1 else '') + \
            'e' + ('+' if e >= 0 else '-') + str(abs(e))
    return sign + text


def js_string(value):
    """``'' + value`` in JavaScript, for the values validations meet."""
    if value is UNDEFINED:
        return 'undefined'
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if is_number(value):
        return js_number_string(value)
    if isinstance(value, str):
        return value
    if isinstance(value, BaseException):
        name = getattr(value, 'name', None) or type(value).__name__
        message = getattr(value, 'message', None)
        if message is None:
            message = str(value)
        return '%s: %s' % (name, message) if message else name
    if isinstance(value, (list, tuple)):
        return ','.join('' if v is None or v is UNDEFINED else js_string(v) for v in value)
    if isinstance(value, dict):
        return '[object Object]'
    return str(value)


def json_string(text):
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == '\\':
            out.append('\\\\')
        elif ch in _JSON_ESCAPES:
            out.append(_JSON_ESCAPES[ch])
        elif code < 0x20 or 0xD800 <= code <= 0xDFFF:
            out.append('\\u%04x' % code)
        else:
            out.append(ch)
    out.append('"')
    return ''.join(out)


_JSON_ESCAPES = {'\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t'}


def iso_string(value):
    if not isinstance(value, _dt.datetime):
        value = _dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is not None:
        value = value.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return value.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (value.microsecond // 1000)


def is_model(value):
    return hasattr(value, 'toObject') and not isinstance(value, type) \
        and not is_invalid_date(value)


def is_invalid_date(value):
    get_time = getattr(value, 'getTime', None)
    return callable(get_time) and not isinstance(value, type) and is_nan(get_time())


# -- a port of Node's util.inspect (defaults: breakLength 80, compact 3) ------

_BREAK_LENGTH = 80
_IDENTIFIER = re.compile(r'^[a-zA-Z_][a-zA-Z_0-9]*$')


def node_inspect(value, depth):
    """``util.inspect(value, {depth})`` as Node 20 prints plain data."""
    return _inspect_value(value, depth, 0, 0)


def _inspect_value(value, depth, level, indent):
    if is_model(value):
        value = value.toObject()
    if isinstance(value, str):
        return _inspect_string(value, indent)
    if value is UNDEFINED:
        return 'undefined'
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if is_number(value):
        if isinstance(value, float) and value == 0 and math.copysign(1, value) < 0:
            return '-0'
        return js_number_string(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return iso_string(value)
    if is_invalid_date(value):
        return 'Invalid Date'
    if isinstance(value, dict):
        if not value:
            return '{}'
        if level > depth:
            return '[Object]'
        entries = ['%s: %s' % (_inspect_key(k), _inspect_value(v, depth, level + 1, indent + 2))
                   for k, v in value.items()]
        return _reduce(entries, '{', '}', indent, None)
    if isinstance(value, (list, tuple)):
        if not value:
            return '[]'
        if level > depth:
            return '[Array]'
        entries = [_inspect_value(v, depth, level + 1, indent + 2) for v in value[:100]]
        if len(value) > 100:
            more = len(value) - 100
            entries.append('... %d more item%s' % (more, 's' if more > 1 else ''))
        return _reduce(entries, '[', ']', indent, list(value))
    return js_string(value)


def _inspect_key(key):
    key = js_string(key)
    return key if _IDENTIFIER.match(key) else _quote(key)


_META = {'\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r',
         '\x0b': '\\x0B', '\\': '\\\\'}


def _quote(text):
    """Node's strEscape: single quotes unless the text contains them."""
    quote = "'"
    if "'" in text:
        if '"' not in text:
            quote = '"'
        elif '`' not in text and '${' not in text:
            quote = '`'
    out = []
    for ch in text:
        if ch == quote:
            out.append('\\' + ch)
        elif ch in _META:
            out.append(_META[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append('\\x%02X' % ord(ch))
        else:
            out.append(ch)
    return quote + ''.join(out) + quote


def _inspect_string(text, indent):
    if len(text) > 16 and len(text) > _BREAK_LENGTH - indent - 4:
        lines = re.split(r'(?<=\n)', text)
        lines = [line for line in lines if line != ''] or ['']
        return (' +\n' + ' ' * (indent + 2)).join(_quote(line) for line in lines)
    return _quote(text)


def _reduce(entries, open_, close, indent, array):
    count = len(entries)
    if array is not None and count > 6:
        entries = _group_array_elements(entries, indent, array)
    if count == len(entries):
        start = len(entries) + indent + len(open_) + 10
        if _below_break_length(entries, start):
            joined = ', '.join(entries)
            if '\n' not in joined:
                return '%s %s %s' % (open_, joined, close)
    pad = '\n' + ' ' * indent
    return open_ + pad + '  ' + (',' + pad + '  ').join(entries) + pad + close


def _below_break_length(entries, start):
    total = len(entries) + start
    if total + len(entries) > _BREAK_LENGTH:
        return False
    for entry in entries:
        total += len(entry)
        if total > _BREAK_LENGTH:
            return False
    return True


def _group_array_elements(output, indent, array):
    total = 0
    max_length = 0
    output_length = len(output) - (1 if len(array) > 100 else 0)
    separator_space = 2
    data_len = []
    for entry in output[:output_length]:
        data_len.append(len(entry))
        total += len(entry) + separator_space
        max_length = max(max_length, len(entry))
    actual_max = max_length + separator_space
    if not (actual_max * 3 + indent < _BREAK_LENGTH and
            (total / actual_max > 5 or max_length <= 6)):
        return output
    average_bias = math.sqrt(actual_max - total / len(output))
    biased_max = max(actual_max - 3 - average_bias, 1)
    columns = min(
        _js_round(math.sqrt(2.5 * biased_max * output_length) / biased_max),
        (_BREAK_LENGTH - indent) // actual_max,
        3 * 4,
        15,
    )
    if columns <= 1:
        return output
    max_line_length = []
    for i in range(columns):
        line_length = 0
        for j in range(i, len(output), columns):
            if j < len(data_len) and data_len[j] > line_length:
                line_length = data_len[j]
        max_line_length.append(line_length + separator_space)
    numeric = all(is_number(v) for v in array[:len(output)])
    grouped = []
    for i in range(0, output_length, columns):
        last = min(i + columns, output_length)
        line = ''
        for j in range(i, last - 1):
            cell = output[j] + ', '
            width = max_line_length[j - i]
            line += cell.rjust(width) if numeric else cell.ljust(width)
        j = last - 1
        if numeric:
            line += output[j].rjust(max_line_length[j - i] - separator_space)
        else:
            line += output[j]
        grouped.append(line)
    if len(array) > 100:
        grouped.append(output[output_length])
    return grouped


def _js_round(x):
    return int(math.floor(x + 0.5))
