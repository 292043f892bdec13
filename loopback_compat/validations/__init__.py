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

Integration points for the model layer (the model package, the DAO, datasource.py):

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
throwing an uncaught TypeError.  validatesDateOf reads strings as V8's
``Date.parse`` does (:mod:`loopback_compat.js.dates`), values in messages
are printed by :mod:`loopback_compat.js` as Node would.

One concept per module (imports go down the list):

    js_semantics.py  the JavaScript value rules the validations use (truthiness, ===,
                     indexOf, length, this[name], calling with this)
    messages.py      juggler's messages and codes, Errors (inst.errors), validation_error
    validators.py    one function per kind of validation, and their table
    validatable.py   the Validatable mixin: declaring validations, isValid, the hooks

This package re-exports the names other modules use, so
``from loopback_compat.validations import Validatable`` (and the others
below) works as it did when the package was one module.
"""

from .messages import DEFAULT_MESSAGES, MAX_PROPERTY_STRING_LENGTH, Errors, validation_error
from .validatable import Validatable

__all__ = ['DEFAULT_MESSAGES', 'MAX_PROPERTY_STRING_LENGTH', 'Errors', 'Validatable',
           'validation_error']
