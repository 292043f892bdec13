"""Node's ``util.inspect`` for plain data, as juggler's messages print values.

# LoopBack: util.inspect(value, {depth}) in ValidationError messages (Node 20's
#           defaults: breakLength 80, compact 3)

Model instances print as their plain data (``toObject()``), an object whose
``getTime()`` is NaN as ``Invalid Date``.
"""

import datetime as _dt
import math
import re

from .dates import iso_string
from .numbers import is_nan, is_number, number_to_string
from .values import UNDEFINED, to_string

__all__ = ['node_inspect', 'is_model', 'is_invalid_date']


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
    return _inspect_value(value, depth, 0, 0, [0])


def _inspect_value(value, depth, level, indent, current):
    # current[0]: Node's ctx.currentDepth, the level of the object formatted
    # last; an object with objects 3 levels below it is not put on one line
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
        return number_to_string(value)
    if isinstance(value, (_dt.datetime, _dt.date)):
        return iso_string(value)
    if is_invalid_date(value):
        return 'Invalid Date'
    if isinstance(value, dict):
        if not value:
            return '{}'
        if level > depth:
            return '[Object]'
        current[0] = level + 1
        entries = ['%s: %s' % (_inspect_key(k),
                               _inspect_value(v, depth, level + 1, indent + 2, current))
                   for k, v in value.items()]
        return _reduce(entries, '{', '}', indent, None, current[0] - level - 1)
    if isinstance(value, (list, tuple)):
        if not value:
            return '[]'
        if level > depth:
            return '[Array]'
        current[0] = level + 1
        entries = [_inspect_value(v, depth, level + 1, indent + 2, current) for v in value[:100]]
        if len(value) > 100:
            more = len(value) - 100
            entries.append('... %d more item%s' % (more, 's' if more > 1 else ''))
        return _reduce(entries, '[', ']', indent, list(value), current[0] - level - 1)
    return to_string(value)


def _inspect_key(key):
    key = to_string(key)
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


def _reduce(entries, open_, close, indent, array, levels_below):
    count = len(entries)
    if array is not None and count > 6:
        entries = _group_array_elements(entries, indent, array)
    if levels_below < 3 and count == len(entries):
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
