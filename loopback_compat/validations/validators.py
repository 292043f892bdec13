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
from ..js.dates import time_value
from ..js.numbers import is_nan, is_number
from ..js.regexp import compile_js, escape_string_regexp
from ..js.values import UNDEFINED, to_string, truthy
from ..loop import nextTick
from .js_semantics import _call_with_this, _index_of, _js_length, _positional_arity, _value


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
        if not truthy(conf.get('allowBlank')):
            err('blank')
        return True
    if value is None:
        if not truthy(conf.get('allowNull')):
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
    if truthy(conf.get('min')) and known and length < conf['min']:
        err('min')
    if truthy(conf.get('max')) and known and length > conf['max']:
        err('max')
    if truthy(conf.get('is')) and (not known or length != conf['is']):
        err('is')


def _validate_numericality(inst, attr, conf, err, options):
    value = _value(inst, attr)
    if _null_check(value, conf, err):
        return
    if not is_number(value) or is_nan(value):
        return err('number')
    if truthy(conf.get('int')) and isinstance(value, float) and \
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
    """``new RegExp(pattern)``: a Pattern as is, a string compiled as a JavaScript
    source, None matches all."""
    if isinstance(pattern, re.Pattern):
        return pattern
    if pattern is None or pattern is UNDEFINED:
        return re.compile('')
    return compile_js(to_string(pattern))


def _validate_format(inst, attr, conf, err, options):
    value = _value(inst, attr)
    if _null_check(value, conf, err):
        return
    if isinstance(value, str) or is_number(value):
        if not _compile(conf.get('with')).search(to_string(value)):
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
    """Whether ``new Date(value)`` is a valid date (juggler: ``isNaN(date.getTime())``)."""
    if isinstance(value, _dt.date):
        return True
    return not is_nan(float(time_value(value)))


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
    if truthy(conf.get('ignoreCase')):
        if not isinstance(value, str):
            err(TypeError_('Expected a string'))
            return nextTick(done)
        where[attr] = re.compile('^' + escape_string_regexp(value) + '$', re.IGNORECASE)
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


#: juggler's escapeStringRegexp (the old name of :func:`js.regexp.escape_string_regexp`)
_escape_regexp = escape_string_regexp


def _other_record(inst, found):
    mine = getattr(inst, 'id', None)
    theirs = getattr(found, 'id', None)
    if not truthy(mine) or not truthy(theirs):
        return True
    return to_string(theirs) != to_string(mine)


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
