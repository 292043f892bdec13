"""JSON as JavaScript reads and writes it: ``JSON.parse`` with a depth bound,
``JSON.stringify`` (juggler's ``%j`` in messages), and a string's JSON text.

# LoopBack: JSON.stringify in juggler's error messages (util.format('%j'));
#           JSON.parse of REST bodies and filters
"""

import datetime as _dt
import json
import re

from ..errors import json_too_deep
from .dates import iso_string
from .numbers import is_number, number_to_string
from .values import UNDEFINED, own_keys

__all__ = ['MAX_JSON_DEPTH', 'parse_json', 'nesting_exceeds', 'stringify', 'quote']

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
    if isinstance(value, (dict, list)) and nesting_exceeds(value, MAX_JSON_DEPTH):
        raise json_too_deep()
    return value


def nesting_exceeds(value, limit):
    """Whether parsed JSON nests deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((c, depth + 1) for c in children if isinstance(c, (dict, list)))
    return False


_ESCAPES = {'"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r',
            '\t': '\\t'}
_NEEDS_ESCAPE = re.compile('["\\\\\x00-\x1f\ud800-\udfff]')


def quote(text):
    """``JSON.stringify(text)`` for a string: Node's well-formed output, with
    control characters and lone surrogates as ``\\uXXXX`` escapes."""
    if not _NEEDS_ESCAPE.search(text):
        return '"' + text + '"'
    out = ['"']
    for ch in text:
        esc = _ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif ch < ' ' or '\ud800' <= ch <= '\udfff':
            out.append('\\u%04x' % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return ''.join(out)


def stringify(v):
    """``JSON.stringify(v)``, compact; 'undefined' for a value JSON leaves out
    (as juggler's ``%j`` prints it).  Dates give their ISO text, NaN and
    Infinity null, RegExps {}, objects with ``toJSON`` what it returns; dict
    keys come in JavaScript's order; undefined and functions are left out of
    objects and are null in arrays."""
    out = []
    if not _write(v, out):
        return 'undefined'
    return ''.join(out)


def _write(v, out):
    """Append ``v``'s JSON to ``out``; False when it has none (undefined, a function)."""
    if v is None:
        out.append('null')
    elif v is True:
        out.append('true')
    elif v is False:
        out.append('false')
    elif isinstance(v, str):
        out.append(quote(v))
    elif is_number(v):
        out.append(number_to_string(v) if v == v and v not in (_INF, -_INF) else 'null')
    elif v is UNDEFINED or (callable(v) and not isinstance(v, type)
                             and not hasattr(v, 'toJSON')):
        return False
    elif isinstance(v, (_dt.datetime, _dt.date)):
        out.append(quote(iso_string(v)))
    elif isinstance(v, dict):
        out.append('{')
        first = True
        for k in own_keys(v):
            mark = len(out)
            if not first:
                out.append(',')
            out.append(quote(str(k)))
            out.append(':')
            if _write(v[k], out):
                first = False
            else:
                del out[mark:]
        out.append('}')
    elif isinstance(v, (list, tuple)):
        out.append('[')
        for i, e in enumerate(v):
            if i:
                out.append(',')
            if not _write(e, out):
                out.append('null')
        out.append(']')
    elif isinstance(v, re.Pattern):
        out.append('{}')
    elif hasattr(v, 'toJSON'):
        return _write(v.toJSON(), out)
    else:
        out.append(quote(str(v)))
    return True


_INF = float('inf')
