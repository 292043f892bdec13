"""JavaScript semantics the validations depend on, and how they read an instance.

# LoopBack: the JavaScript operators lib/validations.js relies on (truthiness,
#           ``===``, ``indexOf``, ``length``, ``this[name]``, ``fn.call(this, ...)``)

JavaScript's value rules themselves (truthiness, ``String()``, ``===``) are
:mod:`loopback_compat.js`'s; these are the validators' uses of them:

- :func:`_js_length`, :func:`_index_of`: ``length`` and ``indexOf`` as the
  length, inclusion and exclusion validators use them;
- :func:`_call_with_this`: a user function called with ``this`` as its
  first argument, extra arguments dropped when it declares fewer;
- :func:`_value`: ``this[name]`` (UNDEFINED when the property is not set)
  and :func:`_own_data` (the instance's ``__data``).
"""

import inspect

from ..errors import TypeError_
from ..js.values import UNDEFINED, strict_equal, to_string, truthy


#: the old name of :func:`js.values.truthy`
_js_truthy = truthy


def _js_length(value):
    """``value.length``: UTF-16 code units of a string, items of a list."""
    if isinstance(value, str):
        return len(value.encode('utf-16-le')) // 2
    if isinstance(value, (list, tuple)):
        return len(value)
    return UNDEFINED


def _index_of(container, value):
    """``container.indexOf(value)`` for an array or a string."""
    if isinstance(container, str):
        return container.find(to_string(value))
    if container is None or container is UNDEFINED:
        raise TypeError_("Cannot read properties of %s (reading 'indexOf')"
                         % to_string(container))
    for i, item in enumerate(container):
        if strict_equal(item, value):
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
