"""The validators: one function per kind of validation, and their table.

# LoopBack: the validateXxx functions of lib/validations.js
#           (validatePresence, validateLength, validateUniqueness, ...)

Each validator is called as ``validator(inst, attr, conf, err, options)``,
asynchronous ones (custom with ``validateAsync``, uniqueness) with a trailing
``done`` that they call exactly once.  ``conf`` is the stored validation
(``{'validation': kind, ...options}``).  A validator reports a failure by
calling ``err()`` or ``err(kind)`` (``'min'``, ``'blank'``, ...), which picks
the message and code (validations/messages.py); it returns nothing useful.
:data:`_VALIDATORS` maps each ``conf['validation']`` to its function.

Values are read as JavaScript would (``this[attr]``, undefined when not
set) through validations/js_semantics.py; ``blank`` and ``nullCheck`` are
juggler's helpers of the same names.
"""

import datetime as _dt
import math
import re

from ..errors import TypeError_
from ..js_text import UNDEFINED, is_nan, is_number, js_string
from ..loop import nextTick
from .js_semantics import (
    _call_with_this, _index_of, _js_length, _js_truthy, _positional_arity, _value)


def _blank(value):
    """juggler's blank(): undefined, null, NaN, '' or an empty array."""
    if value is UNDEFINED or value is None:
        return True
    if isinstance(value, (list, tuple)) and len(value) == 0:
        return True
    if is_nan(value):
        return True
    return isinstance(value, str) and value == ''


def _null_check(value, conf, err):
    """True when the value is blank/null (reporting it unless allowed)."""
    if value is UNDEFINED or value == '' and isinstance(value, str):
        if not _js_truthy(conf.get('allowBlank')):
            err('blank')
        return True
    if value is None:
        if not _js_truthy(conf.get('allowNull')):
            err('null')
        return True
    return False


# ---------------------------------------------------------------------------
# The validators: (inst, attr, conf, err, options[, done])

def _validate_presence(inst, attr, conf, err, options):
    if _blank(_value(inst, attr)):
        err()


def _validate_absence(inst, attr, conf, err, options):
    if not _blank(_value(inst, attr)):
        err()


def _validate_length(inst, attr, conf, err, options):
    value = _value(inst, attr)
    if _null_check(value, conf, err):
        return
    length = _js_length(value)
    known = length is not UNDEFINED
    if _js_truthy(conf.get('min')) and known and length < conf['min']:
        err('min')
    if _js_truthy(conf.get('max')) and known and length > conf['max']:
        err('max')
    if _js_truthy(conf.get('is')) and (not known or length != conf['is']):
        err('is')


def _validate_numericality(inst, attr, conf, err, options):
    value = _value(inst, attr)
    if _null_check(value, conf, err):
        return
    if not is_number(value) or is_nan(value):
        return err('number')
    if _js_truthy(conf.get('int')) and isinstance(value, float) and \
            not math.isinf(value) and not value.is_integer():
        return err('int')


def _validate_inclusion(inst, attr, conf, err, options):
    value = _value(inst, attr)
    if _null_check(value, conf, err):
        return
    if _index_of(conf.get('in', UNDEFINED), value) == -1:
        err()


def _validate_exclusion(inst, attr, conf, err, options):
    value = _value(inst, attr)
    if _null_check(value, conf, err):
        return
    if _index_of(conf.get('in', UNDEFINED), value) != -1:
        err()


def _compile(pattern):
    """``new RegExp(pattern)``: a Pattern as is, a string compiled, None matches all."""
    if isinstance(pattern, re.Pattern):
        return pattern
    if pattern is None or pattern is UNDEFINED:
        return re.compile('')
    return re.compile(js_string(pattern))


def _validate_format(inst, attr, conf, err, options):
    value = _value(inst, attr)
    if _null_check(value, conf, err):
        return
    if isinstance(value, str) or is_number(value):
        if not _compile(conf.get('with')).search(js_string(value)):
            err()
    else:
        err()


def _validate_date(inst, attr, conf, err, options):
    value = _value(inst, attr)
    if value is None or value is UNDEFINED:
        return
    if not _is_valid_date(value):
        err()


def _is_valid_date(value):
    """Whether ``new Date(value)`` is a valid date."""
    if isinstance(value, (_dt.datetime, _dt.date)):
        return True
    if isinstance(value, bool):
        return True
    if is_number(value):
        return not math.isnan(value) and abs(value) <= 8.64e15
    if isinstance(value, str):
        return _parse_date_string(value)
    if isinstance(value, (list, tuple)):
        return _parse_date_string(js_string(value))
    if hasattr(value, 'getTime'):
        return not is_nan(value.getTime())
    return False


_ISO_DATE = re.compile(
    r'^([+-]\d{6}|\d{4})(?:-(\d\d)(?:-(\d\d))?)?'
    r'(?:[Tt ](\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?)?(Z|z|[+-]\d\d:?\d\d)?$')
_DATE_WORDS = re.compile(
    r'^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)',
    re.IGNORECASE)
_ZONE_WORDS = {'am', 'pm', 'ut', 'utc', 'gmt', 'z', 't', 'est', 'edt', 'cst', 'cdt',
               'mst', 'mdt', 'pst', 'pdt'}


def _parse_date_string(text):
    """An approximation of V8's ``Date.parse`` validity (ISO, then legacy forms)."""
    text = text.strip()
    iso = _ISO_DATE.match(text)
    if iso:
        month, day, hour, minute, sec = (int(g) if g else None for g in iso.groups()[1:6])
        return (month is None or 1 <= month <= 12) and (day is None or 1 <= day <= 31) \
            and (hour is None or hour <= 24) and (minute is None or minute <= 59) \
            and (sec is None or sec <= 59)
    if re.match(r'^[+-]?\d', text) and re.match(r'^[+-]?\d{4}-', text):
        return False    # ISO-shaped but out of range: V8 does not fall back
    seen_number = False
    for match in re.finditer(r'[A-Za-z]+|\d+', text):
        token = match.group()
        if token.isdigit():
            seen_number = True
            continue
        known = _DATE_WORDS.match(token) or token.lower() in _ZONE_WORDS
        glued = text[match.end():match.end() + 1].isdigit()
        if not known and (seen_number or glued):
            return False
    return seen_number


def _validate_custom(inst, attr, conf, err, options, done=None):
    validator = conf['customValidator']
    if done is None:
        _call_with_this(validator, inst, err, options)
    elif _positional_arity(validator) == 4:
        # declared as (this, err, options, done): it wants the options
        validator(inst, err, options, done)
    else:
        _call_with_this(validator, inst, err, done)


def _validate_uniqueness(inst, attr, conf, err, options, done):
    value = _value(inst, attr)
    if _blank(value):
        return nextTick(done)
    where = {}
    if _js_truthy(conf.get('ignoreCase')):
        if not isinstance(value, str):
            err(TypeError_('Expected a string'))
            return nextTick(done)
        where[attr] = re.compile('^' + _escape_regexp(value) + '$', re.IGNORECASE)
    else:
        where[attr] = value
    for key in conf.get('scopedTo') or []:
        scoped = _value(inst, key)
        if scoped is not UNDEFINED:
            where[key] = scoped
    model = type(inst)
    id_name = model.definition.idName()
    is_new = inst.isNewRecord()

    def found_cb(error, found=None):
        if error:
            err(error)
        elif len(found) > 1:
            err()
        elif len(found) == 1 and id_name == attr and is_new:
            err()
        elif len(found) == 1 and _other_record(inst, found[0]):
            err()
        done()

    model.find({'where': where}, options, found_cb)


def _escape_regexp(text):
    # juggler's escapeStringRegexp: a narrower set than re.escape, so the
    # source stays a valid JavaScript regex for connectors that translate it
    return re.sub(r'([|\\{}()[\]^$+*?.])', r'\\\1', text)


def _other_record(inst, found):
    mine = getattr(inst, 'id', None)
    theirs = getattr(found, 'id', None)
    if not _js_truthy(mine) or not _js_truthy(theirs):
        return True
    return js_string(theirs) != js_string(mine)


_VALIDATORS = {
    'presence': _validate_presence,
    'absence': _validate_absence,
    'length': _validate_length,
    'numericality': _validate_numericality,
    'inclusion': _validate_inclusion,
    'exclusion': _validate_exclusion,
    'format': _validate_format,
    'custom': _validate_custom,
    'uniqueness': _validate_uniqueness,
    'date': _validate_date,
}
