"""JavaScript semantics the validations depend on, and how they read an instance.

# LoopBack: the JavaScript operators lib/validations.js relies on (truthiness,
#           ``===``, ``indexOf``, ``length``, ``this[name]``, ``fn.call(this, ...)``)

These are the validations' own copies of JavaScript's value rules (other
modules have theirs; they are to be merged into one JavaScript-semantics
module, so keep them together here until then):

- :func:`_js_truthy`: JavaScript truthiness (empty lists and dicts are
  truthy, NaN is not);
- :func:`_js_length`, :func:`_strict_equal`, :func:`_index_of`: ``length``,
  ``===`` and ``indexOf`` as the length, inclusion and exclusion validators
  use them;
- :func:`_call_with_this`: a user function called with ``this`` as its
  first argument, extra arguments dropped when it declares fewer;
- :func:`_value`: ``this[name]`` (UNDEFINED when the property is not set)
  and :func:`_own_data` (the instance's ``__data``).
"""

import inspect

from ..errors import TypeError_
from ..js_text import UNDEFINED, is_nan, is_number, js_string


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
