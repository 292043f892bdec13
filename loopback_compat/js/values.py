"""JavaScript values: ``undefined``, ``String(v)``, ``Number(v)``, truthiness,
``==``, ``===``, ``<`` and the order of an object's keys.

# LoopBack: the JavaScript operators juggler relies on (its filters, messages,
#           validations and relation key checks all use them)

Values are the Python spellings of JavaScript ones: None is ``null``,
:data:`UNDEFINED` is ``undefined``, ``bool`` is a boolean, ``int`` and
``float`` are numbers (:mod:`.numbers`), ``str`` is a string, ``dict`` is
an object, ``list`` (or tuple) an array, ``datetime`` / ``date`` a Date
(:mod:`.dates`), ``re.Pattern`` a RegExp.  Anything else is an object
printed by ``str()``.  An exception prints as ``Error.prototype.toString``.
"""

import datetime as _dt
import re

from .dates import date_ms, date_to_string
from .numbers import is_number, number_to_string, string_to_number

__all__ = ['UNDEFINED', 'is_object', 'truthy', 'to_primitive', 'to_string', 'to_number',
           'loose_equal', 'strict_equal', 'less_than', 'own_keys', 'ASTRAL', 'INDEX_KEY']

_NAN = float('nan')


class _Undefined:
    """JavaScript's ``undefined``: one object for the whole package.

    A key absent from instance data, an argument not given over REST, a where
    value juggler drops: all are this object (``lb.undefined``), so every
    ``is UNDEFINED`` test agrees.  Copies and pickles stay the same object.
    """

    __slots__ = ()
    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return 'undefined'

    def __bool__(self):
        return False

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce__(self):
        return 'UNDEFINED'


UNDEFINED = _Undefined()


def is_object(v):
    """``typeof v === 'object' && v !== null`` (dicts, lists, dates, regexps...)."""
    return not (v is None or v is UNDEFINED or isinstance(v, (str, bool, int, float)))


def truthy(v):
    """JavaScript truthiness (ToBoolean): 0, NaN, '', null, undefined and false
    are false; everything else, empty lists and dicts included, is true."""
    if v is True:
        return True
    if v is None or v is UNDEFINED or v is False:
        return False
    kind = type(v)
    if kind is str:
        return v != ''
    if kind is int or kind is float:
        return v == v and v != 0
    if isinstance(v, str):
        return v != ''
    if is_number(v):
        return v == v and v != 0
    return True


def to_primitive(v, hint='default'):
    """ToPrimitive: primitives come back unchanged; a Date gives its time
    value for the 'number' hint and its toString() otherwise; an array joins
    its elements with ','; a RegExp gives '/source/'; a dict '[object Object]'."""
    if not is_object(v):
        return v
    if isinstance(v, (_dt.datetime, _dt.date)):
        return date_ms(v) if hint == 'number' else date_to_string(v)
    if isinstance(v, (list, tuple)):
        return ','.join('' if e is None or e is UNDEFINED else to_string(e) for e in v)
    if isinstance(v, re.Pattern):
        return '/%s/' % v.pattern
    if isinstance(v, dict):
        return '[object Object]'
    return str(v)


def to_string(v):
    """JavaScript ``String(v)``: 1e-7 -> '1e-7', 1.0 -> '1', None -> 'null',
    [1, None, 'a'] -> '1,,a', a datetime -> its toString() (UTC)."""
    kind = type(v)
    if kind is str:
        return v
    if kind is int:
        return str(v) if -10 ** 21 < v < 10 ** 21 else number_to_string(v)
    if v is None:
        return 'null'
    if v is UNDEFINED:
        return 'undefined'
    if v is True:
        return 'true'
    if v is False:
        return 'false'
    if kind is float or is_number(v):
        return number_to_string(v)
    if isinstance(v, str):
        return v
    if isinstance(v, BaseException):
        name = getattr(v, 'name', None) or type(v).__name__
        message = getattr(v, 'message', None)
        if message is None:
            message = str(v)
        return '%s: %s' % (name, message) if message else name
    return to_primitive(v, 'string')


def to_number(v):
    """JavaScript ``Number(v)``: '' and null are 0, undefined NaN, true 1,
    ' 12 ' 12, '0x10' 16, '1_0' NaN, a Date its time value, [5] 5, [1, 2] NaN."""
    kind = type(v)
    if kind is int or kind is float:
        return v
    if kind is str:
        return string_to_number(v)
    if v is None:
        return 0
    if v is UNDEFINED:
        return _NAN
    if isinstance(v, bool):
        return int(v)
    if is_number(v):
        return v
    if isinstance(v, str):
        return string_to_number(v)
    if isinstance(v, (_dt.datetime, _dt.date)):
        return date_ms(v)
    return to_number(to_primitive(v, 'number'))


def loose_equal(a, b):
    """JavaScript ``a == b`` ('1' == 1 and true == 1, but 'true' != true;
    null == undefined only; objects by identity)."""
    a_nil = a is None or a is UNDEFINED
    b_nil = b is None or b is UNDEFINED
    if a_nil or b_nil:
        return a_nil and b_nil
    if isinstance(a, bool):
        if isinstance(b, bool):
            return a is b
        return loose_equal(int(a), b)
    if isinstance(b, bool):
        return loose_equal(a, int(b))
    a_obj, b_obj = is_object(a), is_object(b)
    if a_obj and b_obj:
        return a is b
    if a_obj:
        return loose_equal(to_primitive(a), b)
    if b_obj:
        return loose_equal(a, to_primitive(b))
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if isinstance(a, str):
        a = string_to_number(a)
    if isinstance(b, str):
        b = string_to_number(b)
    return a == b


def strict_equal(a, b):
    """JavaScript ``a === b``: same type and value for primitives (NaN never,
    0 === -0), identity for objects."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    return a is b


#: A character outside the BMP: JavaScript compares strings by UTF-16 code
#: units, which order such characters differently from code points (where
#: ``ASTRAL.search`` finds none, Python's ``<`` on the strings is JavaScript's).
ASTRAL = re.compile('[\U00010000-\U0010ffff]')


def less_than(a, b):
    """JavaScript ``a < b`` (false when either side is NaN after conversion)."""
    a, b = to_primitive(a, 'number'), to_primitive(b, 'number')
    if isinstance(a, str) and isinstance(b, str):
        if ASTRAL.search(a) or ASTRAL.search(b):
            return a.encode('utf-16-be') < b.encode('utf-16-be')
        return a < b
    return to_number(a) < to_number(b)


#: A canonical array index ('0', '7', not '07'): such keys come first in an
#: object's key order, in numeric order.
INDEX_KEY = re.compile(r'(0|[1-9][0-9]*)\Z')


def own_keys(d):
    """``Object.keys(d)``'s order: array-index keys ascending, then the rest
    in insertion order."""
    index = sorted((k for k in d if isinstance(k, str) and INDEX_KEY.match(k)
                    and int(k) < 2 ** 32 - 1), key=int)
    if not index:
        return list(d)
    index_set = set(index)
    return index + [k for k in d if k not in index_set]
