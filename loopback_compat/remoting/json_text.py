"""JSON in and out, with JavaScript's behaviour.

``parse(text)`` is ``JSON.parse``: NaN/Infinity literals are rejected, and a
syntax error becomes a 400 ``SyntaxError`` whose message is the one Node 20's
V8 prints (body-parser passes it through to the client).
``dumps(value)`` is ``JSON.stringify``: ``toJSON()`` is honoured, dates print
as ``toISOString()``, NaN and infinities become null, undefined members are
left out.
"""

import datetime as _dt
import json
import math
import re

from ..errors import JSONSyntaxError
from ..js.dates import iso_string
from ..js.json import parse_json
from .types import UNDEFINED


def _reject_constant(name):
    raise ValueError('constant %s' % name)


def parse(text):
    """``JSON.parse(text)``; raises :class:`JSONSyntaxError` (statusCode 400)."""
    try:
        return parse_json(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise JSONSyntaxError(v8_message(text, exc.msg, exc.pos), statusCode=400) from None
    except ValueError:
        pos = min((i for i in (text.find('NaN'), text.find('Infinity')) if i >= 0), default=0)
        raise JSONSyntaxError(_unexpected_token(text, pos), statusCode=400) from None


def _container_at(text, pos):
    """'{' or '[' : the innermost open container before ``pos`` (strings skipped)."""
    stack, in_str, esc = [], False, False
    for ch in text[:pos]:
        if in_str:
            if esc:
                esc = False
            elif ch == '\\':
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in '{[':
            stack.append(ch)
        elif ch in '}]' and stack:
            stack.pop()
    return stack[-1] if stack else None


def _previous_token(text, pos):
    i = pos - 1
    while i >= 0 and text[i] in ' \t\r\n':
        i -= 1
    return text[i] if i >= 0 else ''


def _unexpected_token(text, pos):
    if pos >= len(text):
        return 'Unexpected end of JSON input'
    for literal in ('true', 'false', 'null'):
        if text[pos] == literal[0]:
            # V8 reads the literal and reports its first wrong character.
            for offset, ch in enumerate(literal):
                if pos + offset >= len(text):
                    return 'Unexpected end of JSON input'
                if text[pos + offset] != ch:
                    pos += offset
                    break
            break
    token = text[pos]
    if token == '"':
        return 'Unexpected string in JSON at position %d' % pos
    if token.isdigit() or token == '-':
        return 'Unexpected number in JSON at position %d' % pos
    context = 10
    if len(text) <= 2 * context:
        return 'Unexpected token \'%s\', "%s" is not valid JSON' % (token, text)
    start = max(0, pos - context)
    end = min(len(text), pos + context)
    snippet = text[start:end]
    prefix = '...' if start > 0 else ''
    suffix = '...' if end < len(text) else ''
    return 'Unexpected token \'%s\', %s"%s"%s is not valid JSON' % (token, prefix, snippet, suffix)


def _number_error(text, pos):
    """V8's messages for a malformed number around ``pos`` (None if it is not one)."""
    if pos >= len(text):
        return None
    ch = text[pos]
    prev = text[pos - 1] if pos > 0 else ''
    nxt = text[pos + 1] if pos + 1 < len(text) else ''
    if ch == '-' and not nxt.isdigit():
        return 'No number after minus sign in JSON at position %d' % (pos + 1)
    if ch == '.' and prev.isdigit() and not nxt.isdigit():
        return 'Unterminated fractional number in JSON at position %d' % (pos + 1)
    if ch in 'eE' and prev.isdigit():
        j = pos + 1
        if j < len(text) and text[j] in '+-':
            j += 1
        if j >= len(text) or not text[j].isdigit():
            return 'Exponent part is missing a number in JSON at position %d' % j
    if ch.isdigit() and prev == '0' and (pos < 2 or not (text[pos - 2].isdigit() or
                                                        text[pos - 2] in '.eE')):
        return 'Unexpected number in JSON at position %d' % pos
    return None


def v8_message(text, msg, pos):
    """Translate a Python JSONDecodeError (``msg`` at ``pos``) to V8's wording."""
    number = _number_error(text, pos)
    if number:
        return number
    if msg.startswith('Expecting value'):
        if text.strip() == '':
            return 'Unexpected end of JSON input'
        return _unexpected_token(text, pos)
    if msg.startswith('Expecting property name'):
        if _previous_token(text, pos) == '{':
            return "Expected property name or '}' in JSON at position %d" % pos
        return 'Expected double-quoted property name in JSON at position %d' % pos
    if msg.startswith("Expecting ':'"):
        return "Expected ':' after property name in JSON at position %d" % pos
    if msg.startswith("Expecting ','"):
        if _container_at(text, pos) == '[':
            return "Expected ',' or ']' after array element in JSON at position %d" % pos
        return "Expected ',' or '}' after property value in JSON at position %d" % pos
    if msg.startswith('Extra data'):
        return 'Unexpected non-whitespace character after JSON at position %d' % pos
    if msg.startswith('Unterminated string'):
        return 'Unterminated string in JSON at position %d' % len(text)
    if msg.startswith('Invalid control character'):
        return 'Bad control character in string literal in JSON at position %d' % pos
    if 'escape' in msg:
        return 'Bad escaped character in JSON at position %d' % (pos + 1)
    return _unexpected_token(text, pos)


def plain(value):
    """A JSON-ready copy of ``value`` following JSON.stringify's rules."""
    if value is None or value is UNDEFINED or isinstance(value, (str, bool)):
        return None if value is UNDEFINED else value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        return int(value) if value.is_integer() and abs(value) < 1e21 else value
    if isinstance(value, _dt.datetime):
        return iso_string(value)
    if isinstance(value, _dt.date):
        return iso_string(value)
    to_json = getattr(value, 'toJSON', None)
    if callable(to_json) and not isinstance(value, type):
        return plain(to_json())
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()
                if v is not UNDEFINED and not (callable(v) and not isinstance(v, type))}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (bytes, bytearray)):
        return {'type': 'Buffer', 'data': list(value)}
    if hasattr(type(value), 'toObject'):
        # a model instance whose property named toJSON hides the method (juggler
        # would answer its internals, __data, __strict...): serialise it as usual
        from ..model.properties import shadowed_method
        to_json = shadowed_method(value, 'toJSON')
        if to_json is not None:
            return plain(to_json())
    return str(value)


_LONE_SURROGATE = re.compile('[\ud800-\udfff]')


def dumps(value):
    """``JSON.stringify(value)`` as UTF-8 bytes (compact, like Express's res.json).

    A lone surrogate (``"\\ud800"`` sent by a client; Python joins valid pairs
    into one character) is written as its ``\\udxxx`` escape, as Node's
    well-formed JSON.stringify does: UTF-8 cannot carry it raw.
    """
    text = json.dumps(plain(value), separators=(',', ':'), ensure_ascii=False, allow_nan=False)
    try:
        return text.encode('utf-8')
    except UnicodeEncodeError:
        return _LONE_SURROGATE.sub(lambda m: '\\u%04x' % ord(m.group()), text).encode('utf-8')
