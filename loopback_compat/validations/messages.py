"""What a failed validation reports: messages and codes, ``inst.errors``, ValidationError.

# LoopBack: lib/validations.js (defaultMessages, Errors, ValidationError,
#           formatErrors / formatPropertyError)

- :data:`DEFAULT_MESSAGES` are juggler's ``defaultMessages``;
  :func:`_message_for` gives the message and code juggler records for a
  validator's ``err(kind)`` (a dict message is looked up per kind, a plain
  string is replaced by 'is invalid' for a kind, as juggler does);
- :class:`Errors` is ``inst.errors``: messages per property plus ``codes``;
- :func:`validation_error` builds the ValidationError (statusCode 422) for an
  invalid instance, its message text as juggler's, values printed as Node
  would (by :mod:`loopback_compat.js`) and truncated to
  ``ValidationError.maxPropertyStringLength``.
"""

import datetime as _dt
import re

from ..errors import ValidationError
from ..js.dates import iso_string
from ..js.inspect import is_invalid_date, is_model, node_inspect
from ..js.json import quote
from ..js.numbers import is_number
from ..js.values import UNDEFINED, to_string, truthy
from .js_semantics import _own_data

#: juggler's default messages (``defaultMessages`` in lib/validations.js).
DEFAULT_MESSAGES = {
    'presence': "can't be blank",
    'absence': "can't be set",
    'unknown-property': 'is not defined in the model',
    'length': {'min': 'too short', 'max': 'too long', 'is': 'length is wrong'},
    'common': {'blank': 'is blank', 'null': 'is null'},
    'numericality': {'int': 'is not an integer', 'number': 'is not a number'},
    'inclusion': 'is not included in the list',
    'exclusion': 'is reserved',
    'uniqueness': 'is not unique',
    'date': 'is not a valid date',
}

#: Longest value text shown in a ValidationError message, as juggler's
#: ``ValidationError.maxPropertyStringLength``; setting
#: ``lb.ValidationError.maxPropertyStringLength`` overrides it.
MAX_PROPERTY_STRING_LENGTH = 32


# ---------------------------------------------------------------------------
# The errors collection

class Errors(dict):
    """Messages per property, plus ``codes`` per property (juggler's Errors).

    # LoopBack: inst.errors.name -> ["can't be blank"]; inst.errors.codes

    A dict ``{prop: [message, ...]}``, so it compares equal to a plain dict;
    properties also read as attributes (None when absent, as JavaScript's
    undefined).  ``codes`` is an attribute, not a key.
    """

    def __init__(self):
        super().__init__()
        self.codes = {}

    def add(self, field, message, code=None):
        """Record ``message`` (and ``code``, default 'invalid') for ``field``."""
        code = code or 'invalid'
        if field not in self:
            self[field] = []
            self.codes[field] = []
        self[field].append(message)
        self.codes[field].append(code)

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        return self.get(name)

    def toJSON(self):
        return {k: list(v) for k, v in self.items()}


# ---------------------------------------------------------------------------
# The message of one failure

def _message_for(conf, kind):
    """The message and code juggler records for ``err(kind)``."""
    code = conf.get('code') or conf['validation']
    message = conf.get('message') if truthy(conf.get('message')) else None
    if message is None:
        message = DEFAULT_MESSAGES.get(conf['validation'])
    if message is None:
        message = 'is invalid'
    if truthy(kind):
        code = '%s.%s' % (code, to_string(kind))
        deeper = _lookup(message, kind)
        if truthy(deeper):
            message = deeper
        elif isinstance(kind, str) and kind in DEFAULT_MESSAGES['common']:
            message = DEFAULT_MESSAGES['common'][kind]
        else:
            message = 'is invalid'
    return message, code


def _lookup(message, kind):
    """``message[kind]`` in JavaScript: a dict key, or a string's character."""
    if isinstance(message, dict):
        return message.get(kind if isinstance(kind, str) else to_string(kind))
    if isinstance(message, str) and is_number(kind) and \
            float(kind).is_integer() and 0 <= kind < len(message):
        return message[int(kind)]
    return None


# ---------------------------------------------------------------------------
# ValidationError

def validation_error(obj):
    """The ValidationError juggler builds for an invalid instance: the same
    as ``ValidationError(obj)`` (:func:`describe_invalid` gives its fields).

    # LoopBack: new ValidationError(inst)
    """
    return ValidationError(*describe_invalid(obj))


def describe_invalid(obj):
    """``(message, details)`` of the ValidationError of the invalid ``obj``.

    # LoopBack: the ValidationError constructor (lib/validations.js)

    Message: 'The `Model` instance is not valid. Details: `prop` can't be
    blank (value: undefined).' (several messages joined by '; ', values
    shown as juggler does, long values truncated; the model name is that of
    ``obj``'s class, 'model' when it has none); details =
    {'context': modelName, 'codes': errors.codes, 'messages': errors}.
    """
    context = getattr(type(obj), 'modelName', None)
    errors = getattr(obj, 'errors', None)
    has_errors = errors is not None and errors is not False
    formatted = _format_errors(errors if has_errors else {}, _values_of(obj))
    message = 'The %s instance is not valid. Details: %s.' % (
        '`%s`' % context if context else 'model', formatted or '(unknown)')
    codes = getattr(errors, 'codes', None) if has_errors else errors
    details = {'context': context, 'codes': codes, 'messages': errors}
    return message, details


# ValidationError(inst) builds its fields here (errors.py imports nothing).
ValidationError._describe = staticmethod(describe_invalid)


def _values_of(obj):
    """``obj.toJSON()``, but with Invalid Dates kept (juggler's toJSON keeps Dates)."""
    to_json = getattr(obj, 'toJSON', None)
    values = to_json() if callable(to_json) else {}
    data = _own_data(obj)
    if isinstance(values, dict) and data:
        for name, value in data.items():
            if is_invalid_date(value) and values.get(name) is None:
                values[name] = value
    return values


def _format_errors(errors, values):
    parts = []
    for name, messages in errors.items():
        if not isinstance(messages, list):
            continue
        value = values.get(name, UNDEFINED) if isinstance(values, dict) else UNDEFINED
        parts.append('; '.join(_format_property_error(name, value, m) for m in messages))
    return '; '.join(parts)


def _format_property_error(name, value, message):
    if isinstance(value, str):
        shown = quote(_truncate(value))
    elif isinstance(value, (_dt.datetime, _dt.date)):
        shown = iso_string(value)
    elif is_invalid_date(value):
        shown = 'Invalid Date'
    elif isinstance(value, (dict, list, tuple)) or is_model(value):
        shown = _truncate(node_inspect(value, 1 if isinstance(value, (list, tuple)) else 0))
    else:
        shown = _truncate(to_string(value))
    return '`%s` %s (value: %s)' % (name, to_string(message), shown)


def _max_length():
    return getattr(ValidationError, 'maxPropertyStringLength', MAX_PROPERTY_STRING_LENGTH)


def _truncate(text):
    limit = _max_length()
    if len(text) <= limit:
        return text
    # keep a short tail such as '} ]' so the shape stays readable
    match = re.search(r'([ \t})\]]+)$', text)
    tail = match.group(1)[-3:] if match else text[-3:]
    limit -= len(tail)
    return text[:max(limit - 4, 0)] + '...' + tail
