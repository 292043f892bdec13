"""Model validations: the ``Validatable`` mixin and ``ValidationError`` building.

# LoopBack: lib/validations.js of loopback-datasource-juggler 3.x
#           (Validatable, Model.validatesXxxOf, inst.isValid, ValidationError)

Declaring validations (class methods of every model; options as a dict or as
keyword arguments, ``with_``/``in_``/``is_``/``if_`` for Python keywords)::

    User.validatesPresenceOf('name', 'email')             # "can't be blank"
    User.validatesAbsenceOf('reserved', {'if': 'locked'})  # "can't be set"
    User.validatesLengthOf('name', min=3, max=10)          # too short / too long / length is wrong
    User.validatesFormatOf('email', with_=r'^\\S+@\\S+$')    # is invalid
    User.validatesInclusionOf('gender', in_=['m', 'f'])    # is not included in the list
    User.validatesExclusionOf('domain', in_=['www'])       # is reserved
    User.validatesNumericalityOf('age', int=True)          # is not a number / is not an integer
    User.validatesDateOf('when')                           # is not a valid date
    User.validatesUniquenessOf('email', scopedTo=['siteId'], ignoreCase=True)  # is not unique
    User.validate('name', lambda inst, err: inst.name == 'bad' and err())
    User.validateAsync('name', lambda inst, err, done: (err(), done()))

They are stored in juggler's shape on the class itself (never inherited by a
subclass, as juggler's ``Model.extend`` does not inherit them)::

    User.validations == {'name': [{'validation': 'presence', 'options': {}}]}

and ``del User.validations`` drops them all.  Common options: ``message`` (a
string, or a dict per kind for length/numericality), ``code``, ``allowNull``,
``allowBlank``, ``if``/``unless`` (a property or method name, or a function
``fn(inst)``).

Checking: ``inst.isValid(cb=None, data=None, options=None)`` fills
``inst.errors`` (an :class:`Errors`; ``False`` once valid) and returns True or
False, or None when asynchronous validations (uniqueness, validateAsync) are
configured; ``cb(valid)`` receives the boolean only, never synchronously.

Integration points for the model layer (model.py / dao.py / datasource.py):

* model base class: ``class ModelBase(Validatable)``.  The mixin reads
  ``type(inst).modelName``, ``type(inst).definition`` (``idName()``),
  ``inst._data`` (absent key = undefined), ``inst._strict`` and
  ``inst._unknown_properties``, ``inst.isNewRecord()``, ``inst.toJSON()``,
  and for uniqueness ``Model.find(filter, options, cb)`` with a compiled
  ``re.Pattern`` as the where value when ``ignoreCase`` is set.
* model building (juggler's ModelBuilder): for every property call
  ``Model._add_property_validations(name, prop)`` (``required`` -> presence,
  with ``required`` itself as options when it is a dict; type 'date' ->
  validatesDateOf), and when forceId is on,
  ``Model.validatesAbsenceOf(idName, {'if': 'isNewRecord'})``.
* DAO (create, save, updateAttributes, replace..., upsert when
  validateUpsert)::

      inst.isValid(lambda valid: go_on() if valid else
                   cb(validation_error(inst), inst), data, options)

Juggler behaviours kept on purpose (they look odd, but are juggler's):

* a plain-string ``message`` for length or numericality is replaced by
  'is invalid' for the min/max/is/number/int kinds (only a dict message is
  looked up per kind); blank/null kinds still say 'is blank'/'is null';
* ``if: 'prop'`` naming a property absent from the data runs the validation,
  ``unless: 'prop'`` with an absent property skips it;
* ``validatesFormatOf`` only knows ``with``; a ``without`` option is ignored;
* uniqueness compares the ``id`` attribute whatever the id property's name.

Differences: ``cb`` of ``isValid`` is delivered on the next tick even when
every validation is synchronous (juggler calls it synchronously); a
uniqueness check with ``ignoreCase`` on a non-string value reports a failed
validation (code 'uniqueness.TypeError: Expected a string') instead of
throwing an uncaught TypeError; validatesDateOf approximates V8's lenient
``Date.parse`` for strings (ISO forms exactly, legacy forms by their words).
Values in messages are printed by :mod:`loopback_compat.js_text` as Node would.
"""

import datetime as _dt
import inspect
import keyword
import math
import re

from .errors import TypeError_, ValidationError
from .js_text import (
    UNDEFINED, is_invalid_date, is_model, is_nan, is_number, iso_string, js_string, json_string,
    node_inspect)
from .loop import nextTick

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


def _set_errors(inst, value):
    # Bypass the model's __setattr__, which would store a dynamic property.
    object.__setattr__(inst, 'errors', value)


# ---------------------------------------------------------------------------
# JavaScript semantics the validators depend on

def _js_truthy(value):
    """JavaScript truthiness: empty lists and dicts are truthy, NaN is not."""
    if value is True:
        return True
    if value is None or value is UNDEFINED or value is False:
        return False
    if is_number(value):
        return value != 0 and not is_nan(value)
    if isinstance(value, str):
        return value != ''
    return True


def _js_length(value):
    """``value.length``: UTF-16 code units of a string, items of a list."""
    if isinstance(value, str):
        return len(value.encode('utf-16-le')) // 2
    if isinstance(value, (list, tuple)):
        return len(value)
    return UNDEFINED


def _strict_equal(a, b):
    """JavaScript ``===`` for primitives; identity for objects."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if a is None or b is None or a is UNDEFINED or b is UNDEFINED:
        return a is b
    return a is b


def _index_of(container, value):
    """``container.indexOf(value)`` for an array or a string."""
    if isinstance(container, str):
        return container.find(js_string(value))
    if container is None or container is UNDEFINED:
        raise TypeError_("Cannot read properties of %s (reading 'indexOf')"
                         % js_string(container))
    for i, item in enumerate(container):
        if _strict_equal(item, value):
            return i
    return -1


def _positional_arity(fn):
    """How many positional arguments ``fn`` takes (None: any number)."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    count = 0
    for p in params:
        if p.kind == p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            count += 1
    return count


def _call_with_this(fn, inst, *args):
    """Call a JavaScript-style ``fn`` whose ``this`` is ``inst``: fn(inst, *args).

    Extra arguments are dropped when ``fn`` declares fewer (JavaScript ignores
    them); ``inst`` itself is always passed unless ``fn`` takes nothing.
    """
    arity = _positional_arity(fn)
    if arity is None:
        return fn(inst, *args)
    if arity == 0:
        return fn()
    return fn(inst, *args[:arity - 1])


# ---------------------------------------------------------------------------
# Reading the instance

def _own_data(inst):
    # a model instance's __data straight from its slots; else its _data
    data = getattr(inst, '__dict__', _NO_SLOTS).get('__data')
    if data is None:
        data = getattr(inst, '_data', None)
    return data if isinstance(data, dict) else None


_NO_SLOTS = {}


def _value(inst, name):
    """``this[name]``: the property value, UNDEFINED when it is not set."""
    try:
        value = getattr(inst, name)
    except AttributeError:
        return UNDEFINED
    if value is None:
        data = _own_data(inst)
        if data is not None and name not in data:
            return UNDEFINED
    return value


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


# ---------------------------------------------------------------------------
# Running one validation

def _message_for(conf, kind):
    """The message and code juggler records for ``err(kind)``."""
    code = conf.get('code') or conf['validation']
    message = conf.get('message') if _js_truthy(conf.get('message')) else None
    if message is None:
        message = DEFAULT_MESSAGES.get(conf['validation'])
    if message is None:
        message = 'is invalid'
    if _js_truthy(kind):
        code = '%s.%s' % (code, js_string(kind))
        deeper = _lookup(message, kind)
        if _js_truthy(deeper):
            message = deeper
        elif isinstance(kind, str) and kind in DEFAULT_MESSAGES['common']:
            message = DEFAULT_MESSAGES['common'][kind]
        else:
            message = 'is invalid'
    return message, code


def _lookup(message, kind):
    """``message[kind]`` in JavaScript: a dict key, or a string's character."""
    if isinstance(message, dict):
        return message.get(kind if isinstance(kind, str) else js_string(kind))
    if isinstance(message, str) and is_number(kind) and \
            float(kind).is_integer() and 0 <= kind < len(message):
        return message[int(kind)]
    return None


def _is_async(conf):
    """Whether one validation is asynchronous (``options.async``)."""
    return bool((conf.get('options') or {}).get('async'))


def _any_async(validations):
    """Whether any of a model's validations is asynchronous."""
    if not isinstance(validations, dict):
        return False
    for confs in validations.values():
        for conf in confs or ():
            if _is_async(conf):
                return True
    return False


def _should_skip(inst, conf, kind):
    """Whether the ``if``/``unless`` condition of ``conf`` skips the validation."""
    condition = conf.get(kind)
    do_validate = True
    if callable(condition):
        do_validate = _js_truthy(_call_with_this(condition, inst))
        if kind == 'unless':
            do_validate = not do_validate
    elif isinstance(condition, str):
        member = _value(inst, condition)
        if callable(member) and not isinstance(member, type):
            result = member()   # isNewRecord and the like answer a bool
            do_validate = result if type(result) is bool else _js_truthy(result)
            if kind == 'unless':
                do_validate = not do_validate
        elif (data := _own_data(inst)) is not None and condition in data:
            do_validate = _js_truthy(data[condition])
            if kind == 'unless':
                do_validate = not do_validate
        else:
            do_validate = kind == 'if'
    return not do_validate


def _run_validation(inst, attr, conf, options, cb=None):
    """Run one validation; return whether it failed (async: also cb(failed))."""
    if not isinstance(attr, str):
        return False
    if ('if' in conf and _should_skip(inst, conf, 'if')) or \
            ('unless' in conf and _should_skip(inst, conf, 'unless')):
        if cb:
            cb(False)
        return False
    state = {'fail': False}

    def err(kind=None):
        message, code = _message_for(conf, kind)
        if kind is not False:
            inst.errors.add(attr, message, code)
        state['fail'] = True

    validator = _VALIDATORS[conf['validation']]
    if cb:
        validator(inst, attr, conf, err, options, lambda *a: cb(state['fail']))
    else:
        validator(inst, attr, conf, err, options)
    return state['fail']


_BEFORE_HOOKS = ('beforeValidate', 'preValidate', 'beforeValidation')
_AFTER_HOOKS = ('afterValidate', 'postValidate', 'afterValidation')
_VALIDATE_HOOKS = _BEFORE_HOOKS + _AFTER_HOOKS


def _first_hook(model, names):
    for name in names:
        hook = getattr(model, name, None)
        if hook:
            return hook
    return None


def _has_validate_hooks(model):
    """Whether a legacy before/after validate hook is set (read on each call:
    ``Model.beforeValidate = fn`` may come at any time)."""
    for name in _VALIDATE_HOOKS:
        if getattr(model, name, None):
            return True
    return False


def _trigger_validate(inst, work, data, callback):
    """juggler's ``trigger('validate', ...)`` with the legacy model hooks.

    ``Model.beforeValidate(inst, next, data)`` and ``Model.afterValidate(inst,
    next)`` (deprecated in juggler, still honoured); a ``next(*args)`` with
    arguments from beforeValidate cuts the validation short and hands them to
    ``callback``, as juggler does.
    """
    model = type(inst)
    before = _first_hook(model, _BEFORE_HOOKS)
    after = _first_hook(model, _AFTER_HOOKS)

    def next_(done=None):
        if after:
            _call_with_this(after, inst, done)
        elif done:
            done()

    if not before:
        return work(next_)

    def proceed(*args):
        if args:
            if callback:
                callback(*args)
            return None
        return work(next_)

    _call_with_this(before, inst, proceed, data)


# ---------------------------------------------------------------------------
# The mixin

def _normalize_options(options):
    """A fresh options dict; ``with_``-style keys lose their underscore."""
    out = {}
    for key, value in options.items():
        if key.endswith('_') and keyword.iskeyword(key[:-1]):
            key = key[:-1]
        out[key] = value
    return out


def _configurator(name, async_=False):
    def configure(cls, *args, **kwargs):
        args = list(args)
        # juggler: args[1] = args[1] || {}
        if len(args) < 2:
            args.append({})
        elif not _js_truthy(args[1]):
            args[1] = {}
        _configure(cls, name, args, kwargs, {'async': True} if async_ else {})
    configure.__name__ = name
    return classmethod(configure)


def _configure(cls, validation, args, kwargs, opts):
    if not isinstance(cls.__dict__.get('validations'), dict):
        # A model's own validations only: juggler does not inherit them.
        cls.validations = {}
    conf = _normalize_options(args.pop()) if isinstance(args[-1], dict) else {}
    conf.update(_normalize_options(kwargs))
    if validation == 'custom' and args and callable(args[-1]):
        conf['customValidator'] = args.pop()
    conf['validation'] = validation
    for attr in args:
        if isinstance(attr, str):
            entry = dict(conf)
            entry['options'] = dict(opts)
            cls.validations.setdefault(attr, []).append(entry)


class Validatable:
    """Validation class methods and ``isValid`` for model classes.

    # LoopBack: Validatable (mixed into ModelBaseClass)
    """

    #: ``inst.errors`` before any isValid() (JavaScript: undefined).
    errors = None
    #: ``Model.validations`` of a model that declared none.  A model's own
    #: dict lives in its class __dict__; isValid never looks at a base's.
    validations = None

    #: juggler's legacy model-level validation hooks (``Model.beforeValidate =
    #: fn``...), None when a model sets none.  Declared here so that the
    #: look-ups on every isValid find None instead of failing through the MRO.
    beforeValidate = preValidate = beforeValidation = None
    afterValidate = postValidate = afterValidation = None

    validatesPresenceOf = _configurator('presence')
    validatesAbsenceOf = _configurator('absence')
    validatesLengthOf = _configurator('length')
    validatesNumericalityOf = _configurator('numericality')
    validatesInclusionOf = _configurator('inclusion')
    validatesExclusionOf = _configurator('exclusion')
    validatesFormatOf = _configurator('format')
    validate = _configurator('custom')
    validateAsync = _configurator('custom', async_=True)
    validatesUniquenessOf = _configurator('uniqueness', async_=True)
    validatesDateOf = _configurator('date')

    @classmethod
    def _add_property_validations(cls, name, prop):
        """The validations juggler's ModelBuilder derives from a property.

        ``required`` -> validatesPresenceOf (``required`` is the options when
        it is a dict); type 'date' -> validatesDateOf.
        """
        required = prop.get('required')
        if _js_truthy(required):
            cls.validatesPresenceOf(name, required if isinstance(required, dict) else None)
        if prop.get('type') == 'date':
            cls.validatesDateOf(name)

    def _discarded_properties(self):
        """Unknown properties a strict model reports (juggler's __unknownProperties)."""
        if not _js_truthy(getattr(self, '_strict', None)):
            return []
        return list(getattr(self, '_unknown_properties', None) or [])

    def isValid(self, callback=None, data=None, options=None):
        """Run the validations; fill ``self.errors``; return the verdict.

        # LoopBack: inst.isValid([callback], [data], [options])

        Returns True/False, or None when asynchronous validations exist (the
        verdict then only reaches ``callback``).  ``callback(valid)`` is
        called on a later tick.  ``options`` reach custom and uniqueness
        validators.  When valid, ``self.errors`` becomes False.
        """
        later = None
        if callback:
            def later(*verdict):
                nextTick(callback, *verdict)
        return self._check_validity(later, data, options)

    def _check_validity(self, callback=None, data=None, options=None):
        """isValid, with ``callback(valid)`` called as soon as the verdict is known.

        That is synchronously when every validation is synchronous, as
        juggler's isValid does; the DAO's saves continue that way (the
        public isValid defers its callback to a later tick).
        """
        if not options:
            options = {}
        validations = type(self).__dict__.get('validations')
        # a model instance that is not strict (the usual) has nothing to report
        discarded = self._discarded_properties() if self.__dict__.get('__strict', True) else ()
        if not isinstance(validations, dict) and not discarded:
            _set_errors(self, False)
            if callback and not _has_validate_hooks(type(self)):
                callback(True)
            elif callback:
                _trigger_validate(
                    self, lambda finish: finish(lambda: callback(True)),
                    data, callback)
            return True
        _set_errors(self, Errors())
        if not _any_async(validations):
            return self._validate_sync(validations or {}, discarded, options, data, callback)
        state = {'valid': True, 'async': False, 'wait': 0, 'async_fail': False}
        _trigger_validate(self, lambda finish: self._validate_all(
            validations or {}, discarded, options, state, finish, callback),
            data, callback)
        return None if state['async'] else state['valid']

    def _validate_sync(self, validations, discarded, options, data, callback):
        """_validate_all for validations that are all synchronous: same steps, no bookkeeping."""
        if not _has_validate_hooks(type(self)):
            # what _trigger_validate does without legacy hooks, minus its closures
            valid = self._run_sync(validations, discarded, options)
            if valid:
                _set_errors(self, False)
            if callback:
                callback(valid)
            return valid
        verdict = []

        def work(finish):
            valid = self._run_sync(validations, discarded, options)
            verdict.append(valid)

            def conclude():
                if valid:
                    _set_errors(self, False)
                if callback:
                    callback(valid)
            finish(conclude)
        _trigger_validate(self, work, data, callback)
        return verdict[0] if verdict else True

    def _run_sync(self, validations, discarded, options):
        """Run synchronous validations and the unknown-property check; the verdict."""
        valid = True
        for attr, confs in list(validations.items()):
            for conf in list(confs or ()):
                if _run_validation(self, attr, conf, options):
                    valid = False
        for key in discarded:
            self.errors.add(key, DEFAULT_MESSAGES['unknown-property'], 'unknown-property')
            valid = False
        return valid

    def _validate_all(self, validations, discarded, options, state, finish, callback):
        def conclude(valid):
            if valid:
                _set_errors(self, False)
            if callback:
                callback(valid)

        def done(fail):
            state['async_fail'] = state['async_fail'] or fail
            state['wait'] -= 1
            if state['wait'] == 0:
                finish(lambda: conclude(state['valid'] and not state['async_fail']))

        for attr, confs in list(validations.items()):
            for conf in list(confs or []):
                if _is_async(conf):
                    state['async'] = True
                    state['wait'] += 1
                    nextTick(_run_validation, self, attr, conf, options, done)
                elif _run_validation(self, attr, conf, options):
                    state['valid'] = False
        for key in discarded:
            self.errors.add(key, DEFAULT_MESSAGES['unknown-property'], 'unknown-property')
            state['valid'] = False
        if not state['async']:
            finish(lambda: conclude(state['valid']))


# ---------------------------------------------------------------------------
# ValidationError

def validation_error(obj):
    """The ValidationError juggler builds for an invalid instance.

    # LoopBack: new ValidationError(inst)

    Message: 'The `Model` instance is not valid. Details: `prop` can't be
    blank (value: undefined).' (several messages joined by '; ', values
    shown as juggler does, long values truncated); statusCode 422; details =
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
    return ValidationError(message, details)


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
        shown = json_string(_truncate(value))
    elif isinstance(value, (_dt.datetime, _dt.date)):
        shown = iso_string(value)
    elif is_invalid_date(value):
        shown = 'Invalid Date'
    elif isinstance(value, (dict, list, tuple)) or is_model(value):
        shown = _truncate(node_inspect(value, 1 if isinstance(value, (list, tuple)) else 0))
    else:
        shown = _truncate(js_string(value))
    return '`%s` %s (value: %s)' % (name, js_string(message), shown)


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
