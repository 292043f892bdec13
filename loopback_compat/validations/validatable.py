"""The Validatable mixin: declaring validations and running them (``isValid``).

# LoopBack: lib/validations.js (Validatable, Model.validatesXxxOf,
#           Validatable.prototype.isValid, the 'validate' hooks)

Declaring: ``Model.validatesXxxOf(*names, options)`` appends
``{'validation': kind, **options, 'options': {'async': ...}}`` to the
model's own ``validations`` dict (in its class ``__dict__``; never a base's).

Running: ``inst.isValid(cb, data, options)`` / the DAO's ``_check_validity``
run every validation through :func:`_run_validation` (``if``/``unless``,
then the validator of validations/validators.py), fill ``inst.errors`` and
give the verdict: synchronously when every validation is synchronous, else
only through the callback once every asynchronous one called ``done``.  The
legacy model hooks (``Model.beforeValidate`` / ``afterValidate`` and their
aliases) wrap the run as juggler's ``trigger('validate')`` does (hooks.py).
"""

import keyword

from ..hooks import has_hooks, names_of, trigger
from ..js.values import truthy
from ..loop import nextTick
from .js_semantics import _call_with_this, _own_data, _value
from .messages import DEFAULT_MESSAGES, Errors, _message_for
from .validators import _VALIDATORS


def _set_errors(inst, value):
    # Bypass the model's __setattr__, which would store a dynamic property.
    object.__setattr__(inst, 'errors', value)


# ---------------------------------------------------------------------------
# Running one validation

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
        do_validate = truthy(_call_with_this(condition, inst))
        if kind == 'unless':
            do_validate = not do_validate
    elif isinstance(condition, str):
        member = _value(inst, condition)
        if callable(member) and not isinstance(member, type):
            result = member()   # isNewRecord and the like answer a bool
            do_validate = result if type(result) is bool else truthy(result)
            if kind == 'unless':
                do_validate = not do_validate
        elif (data := _own_data(inst)) is not None and condition in data:
            do_validate = truthy(data[condition])
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


_VALIDATE_HOOKS = names_of('validate')


def _has_validate_hooks(model):
    """Whether a legacy before/after validate hook is set (read on each call:
    ``Model.beforeValidate = fn`` may come at any time)."""
    return has_hooks(model, _VALIDATE_HOOKS)


def _trigger_validate(inst, work, data, callback, fail=None):
    """juggler's ``trigger('validate', work, data, callback)``: the legacy
    model hooks (``Model.beforeValidate(inst, next, data)``,
    ``Model.afterValidate(inst, next)``, hooks.py) around the run; a
    ``next(*args)`` with arguments from beforeValidate cuts the validation
    short and hands them to ``callback``, as juggler does.  ``fail(err)``:
    where a hook's exception goes (None: raised)."""
    trigger(inst, 'validate', work, data, callback, fail)


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
        elif not truthy(args[1]):
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
        if truthy(required):
            cls.validatesPresenceOf(name, required if isinstance(required, dict) else None)
        if prop.get('type') == 'date':
            cls.validatesDateOf(name)

    def _discarded_properties(self):
        """Unknown properties a strict model reports (juggler's __unknownProperties)."""
        if not truthy(getattr(self, '_strict', None)):
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

    def _check_validity(self, callback=None, data=None, options=None, fail=None):
        """isValid, with ``callback(valid)`` called as soon as the verdict is known.

        That is synchronously when every validation is synchronous, as
        juggler's isValid does; the DAO's saves continue that way (the
        public isValid defers its callback to a later tick).  ``fail(err)``
        receives an exception a legacy validate hook raised (the DAO passes
        its callback; None: raised, as juggler's throw).
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
                    data, callback, fail)
            return True
        _set_errors(self, Errors())
        if not _any_async(validations):
            return self._validate_sync(validations or {}, discarded, options, data, callback,
                                       fail)
        state = {'valid': True, 'async': False, 'wait': 0, 'async_fail': False}
        _trigger_validate(self, lambda finish: self._validate_all(
            validations or {}, discarded, options, state, finish, callback),
            data, callback, fail)
        return None if state['async'] else state['valid']

    def _validate_sync(self, validations, discarded, options, data, callback, fail=None):
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
        _trigger_validate(self, work, data, callback, fail)
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

