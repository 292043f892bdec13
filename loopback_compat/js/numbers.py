"""JavaScript numbers: what is one, how ``String(n)`` prints it, how ``Number(s)`` reads a string.

# LoopBack: (ECMAScript) Number::toString, StringToNumber; juggler prints
#           numbers with them in messages and compares with them in queries

A JavaScript number is a Python ``int`` or ``float`` (never a ``bool``).  A
float is a double, as in JavaScript.  A Python int is exact: below 2**53 it
is the same number JavaScript would hold; past it JavaScript has no such
number (it would have rounded it when it was parsed), and this module prints
the int's own digits up to 10**21 and the double's shortest form beyond.
"""

import math
import re

__all__ = ['is_number', 'is_nan', 'number_to_string', 'string_to_number', 'WHITESPACE',
           'MAX_SAFE_INTEGER']

#: Number.MAX_SAFE_INTEGER: every int up to it is exact as a double.
MAX_SAFE_INTEGER = 2 ** 53 - 1

_NAN = float('nan')
_INF = float('inf')

#: The characters String.prototype.trim and Number() skip: WhiteSpace
#: (including every Unicode Zs space and U+FEFF) and LineTerminator.
WHITESPACE = ' \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007' \
             '\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'

# StrDecimalLiteral without Infinity: ASCII digits only (Python's \d and float()
# also take other scripts' digits, JavaScript does not), no '_' separators.
_DECIMAL = re.compile(r'[+-]?(?:[0-9]+\.?[0-9]*(?:[eE][+-]?[0-9]+)?'
                      r'|\.[0-9]+(?:[eE][+-]?[0-9]+)?)\Z')
# NonDecimalIntegerLiteral: no sign, no separators.
_RADIX = re.compile(r'0(?:([xX])([0-9a-fA-F]+)|([oO])([0-7]+)|([bB])([01]+))\Z')


def is_number(value):
    """``typeof value === 'number'``: an int or float that is not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def is_nan(value):
    """``Number.isNaN(value)``."""
    return isinstance(value, float) and value != value


def number_to_string(value):
    """``String(n)`` (Number::toString): the shortest digits that read back as ``n``.

    ``1e-7`` -> ``'1e-7'``, ``1e21`` -> ``'1e+21'``, ``123456789012345680000.0``
    -> ``'123456789012345680000'``, ``-0.0`` -> ``'0'``, NaN -> ``'NaN'``.
    """
    if type(value) is int or isinstance(value, int):
        if -10 ** 21 < value < 10 ** 21:
            return str(int(value))
        value = float(value)
    if value != value:
        return 'NaN'
    if value == _INF:
        return 'Infinity'
    if value == -_INF:
        return '-Infinity'
    if value == 0:
        return '0'
    if value.is_integer() and -9007199254740992.0 <= value <= 9007199254740992.0:
        return str(int(value))
    sign = '-' if value < 0 else ''
    # repr gives the shortest digits that round-trip, as JavaScript requires;
    # only the layout differs.
    mantissa, _, exp = repr(abs(value)).partition('e')
    whole, _, frac = mantissa.partition('.')
    if whole == '0':
        stripped = frac.lstrip('0')
        n = len(stripped) - len(frac)      # decimal point position: digits * 10**n
        digits = stripped
    else:
        n = len(whole)
        digits = whole + frac
    if exp:
        n += int(exp)
    digits = digits.rstrip('0')
    k = len(digits)
    if k <= n <= 21:
        text = digits + '0' * (n - k)
    elif 0 < n <= 21:
        text = digits[:n] + '.' + digits[n:]
    elif -6 < n <= 0:
        text = '0.' + '0' * -n + digits
    else:
        e = n - 1
        text = digits[0] + ('.' + digits[1:] if k > 1 else '') + \
            ('e+' if e >= 0 else 'e-') + str(abs(e))
    return sign + text


def string_to_number(text):
    """``Number(text)`` for a string (StringToNumber).

    Surrounding JavaScript whitespace is ignored; '' is 0; decimal literals
    with an optional sign and exponent, 'Infinity' with an optional sign, and
    unsigned 0x / 0o / 0b literals are numbers; anything else (separators
    '1_0', '0x1_0', a sign before 0x, other scripts' digits) is NaN.  An
    integral result below 2**53 is an int; -0 stays a float.
    """
    s = text.strip(WHITESPACE)
    if not s:
        return 0
    if _DECIMAL.match(s):
        f = float(s)
        if f.is_integer() and -9007199254740992.0 <= f <= 9007199254740992.0 and \
                (f or s[0] != '-'):
            return int(f)
        return f
    if s == 'Infinity' or s == '+Infinity':
        return _INF
    if s == '-Infinity':
        return -_INF
    m = _RADIX.match(s)
    if m:
        if m.group(2):
            n = int(m.group(2), 16)
        elif m.group(4):
            n = int(m.group(4), 8)
        else:
            n = int(m.group(6), 2)
        return n if n <= 9007199254740992 else float(n)
    return _NAN
