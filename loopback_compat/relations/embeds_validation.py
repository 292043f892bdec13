"""The owner's validations of an embedsMany list, with juggler's messages.

# LoopBack: the three modelFrom.validate(propertyName, ...) calls of
#           RelationDefinition.embedsMany (lib/relation-definition.js)

In juggler's order, each a custom validation of the owner's property:

1. when the embedded model's connector cannot generate ids (no
   ``generateId``: memory, SQL): ``contains invalid item at index `<i>`:
   `<id>` is blank`` for each instance without an id (code 'invalid');
2. unless the relation is polymorphic: ``contains duplicate `<id>``` once
   when two items have equal ids (code 'uniqueness'): ids compare as
   juggler's ``idEquals`` of ``id && String(id)``, so two items without an
   id count as duplicates;
3. unless ``options.validate`` is False: for each invalid instance
   ``contains invalid item: `<id>` (`<name>` <message>)`` (``at index
   `<i>``` for an item without a truthy id), and ``contains invalid item``
   for an item that is not an instance of the embedded model (code 'invalid').

juggler's duplicate check compares every id with those before it; here it
is one pass over the list (thousands of items stay fast), with the same
answer.
"""

from ..js.values import to_number, to_string, truthy
from . import cache
from .embedded import can_generate_id, item_error_text

__all__ = ['define_validations', 'has_duplicate_ids']


def define_validations(model_from, definition, polymorphic=False):
    """Add the owner's validations of ``definition``'s list (see the module docstring)."""
    prop = definition.keyFrom
    if not can_generate_id(definition.modelTo):
        model_from.validate(prop, _blank_ids(definition))
    if not polymorphic:
        model_from.validate(prop, _unique_ids(definition), {'code': 'uniqueness'})
    if definition.options.get('validate') is not False:
        model_from.validate(prop, _valid_items(definition))


def _items(owner, definition):
    items = cache.read(owner, definition.keyFrom)
    return items if isinstance(items, list) else []


def _blank_ids(definition):
    def validate_ids(owner, err):
        model_to, pk, prop = definition.modelTo, definition.keyTo, definition.keyFrom
        failed = False
        for index, item in enumerate(_items(owner, definition)):
            if isinstance(item, model_to) and cache.read(item, pk) is None:
                failed = True
                owner.errors.add(prop, 'contains invalid item at index `%d`: `%s` is blank'
                                 % (index, pk), 'invalid')
        if failed:
            err(False)
    return validate_ids


def _unique_ids(definition):
    def validate_unique(owner, err):
        if has_duplicate_ids(_items(owner, definition), definition.keyTo):
            owner.errors.add(definition.keyFrom, 'contains duplicate `%s`' % definition.keyTo,
                             'uniqueness')
            err(False)
    return validate_unique


def _valid_items(definition):
    def validate_items(owner, err):
        model_to, pk, prop = definition.modelTo, definition.keyTo, definition.keyFrom
        failed = False
        for index, item in enumerate(_items(owner, definition)):
            if not isinstance(item, model_to):
                failed = True
                owner.errors.add(prop, 'contains invalid item', 'invalid')
                continue
            if item.isValid():
                continue
            failed = True
            item_id = cache.read(item, pk)
            if truthy(item_id):
                message = 'contains invalid item: `%s`' % to_string(item_id)
            else:
                message = 'contains invalid item at index `%d`' % index
            owner.errors.add(prop, '%s (%s)' % (message, item_error_text(item)), 'invalid')
        if failed:
            err(False)
    return validate_items


# ---------------------------------------------------------------- duplicates

_UNDEFINED = ('undefined',)
_NULL = ('null',)   # null and NaN (JSON.stringify gives 'null' for both)


def has_duplicate_ids(items, pk):
    """Whether two of ``items`` have ids juggler's check calls equal.

    juggler maps each item to ``m[pk] && m[pk].toString()``: a truthy id
    becomes its string, a falsy one stays (undefined, null, 0, NaN, false,
    '').  Two of those are equal by ``idEquals``: ``===``, a number and a
    string by ``==``, else by their JSON text.
    """
    strings = set()
    zeros = 0
    seen = {}
    for item in items:
        value = _mapped_id(item, pk)
        if isinstance(value, str):
            if value in strings:
                return True
            strings.add(value)
            continue
        if value == 0 and not isinstance(value, bool):   # 0, -0: === each other
            zeros += 1
            if zeros > 1:
                return True
            continue
        key = value if isinstance(value, tuple) else ('false',)
        if key in seen:
            return True
        seen[key] = True
    if zeros:
        # 0 == '0', '', ' ', '0x0'...: a string whose Number() is 0
        return any(to_number(text) == 0 for text in strings)
    return False


def _mapped_id(item, pk):
    """``m[pk] && m[pk].toString()`` as: a str, 0, or a tuple for the others."""
    data = cache.data_of(item) if cache.is_model_instance(item) else \
        (item if isinstance(item, dict) else {})
    if pk not in data:
        return _UNDEFINED
    value = data[pk]
    if value is None:
        return _NULL
    if isinstance(value, bool):
        return to_string(value) if value else False
    if isinstance(value, float) and value != value:
        return _NULL
    if isinstance(value, (int, float)) and value == 0:
        return 0
    if isinstance(value, str) and value == '':
        return ''
    return to_string(value)
