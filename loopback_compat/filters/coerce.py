"""Coercing a where's values to the property types (juggler's ``_coerce``).

# LoopBack: ModelUtils._coerce(where, options), utils.coerceArray
"""

import re
import warnings

from ..errors import LoopBackError, UnknownOperatorWarning, bad_request
from ..js.dates import new_date
from ..js.numbers import is_number
from ..js.regexp import to_regexp
from ..js.values import (
    UNDEFINED as undefined, is_object, own_keys, to_number, to_string, truthy)
from ..js.json import stringify
from .info import _REGEXP_OPERATORS, OPERATORS, ModelInfo
from .sanitize import sanitize_query


def _coerce_array(val):
    """Juggler's coerceArray: a list, or a dict with keys '0'..'n-1'; else ValueError."""
    if isinstance(val, (list, tuple)):
        return list(val)
    if not isinstance(val, dict):
        raise ValueError('Value is not an array or object with sequential numeric indices')
    if not val:
        raise ValueError('Value is an empty object')
    out = []
    for i in range(len(val)):
        if str(i) in val:
            out.append(val[str(i)])
        elif i in val:
            out.append(val[i])
        else:
            raise ValueError('Value is not an array or object with sequential numeric indices')
    return out


def _coerce_number(v):
    if type(v) is int:
        return v
    num = to_number(v)
    if num != num:
        return v
    if isinstance(num, float) and num.is_integer() and abs(num) < 1e21 and not is_number(v):
        return int(num)
    return num


def _coerce_boolean(v):
    if isinstance(v, str):
        if v in ('true', '1'):
            return True
        if v in ('false', '0'):
            return False
    if v is None or v is undefined:
        return None
    return truthy(v)


def _coerce_date(v):
    d = new_date(v)
    if d is None:
        raise LoopBackError('Invalid date: %s' % to_string(v))
    return d


def _identity(v):
    return v


_COERCERS = {
    'string': to_string,
    'text': _identity,       # juggler's Text(value) is value
    'number': _coerce_number,
    'boolean': _coerce_boolean,
    'date': _coerce_date,
    'object': _identity,
    'json': _identity,
    'any': _identity,
}


def _nested(t):
    if isinstance(t, list):
        return _nested(t[0]) if t else None
    return t if isinstance(t, ModelInfo) else None


def _allow_extended(info, options):
    flag = info.setting('allowExtendedOperators', options)
    return truthy(flag) if flag is not None else False


def coerce_where(where, model_info, options=None):
    """A new where with values coerced to property types (juggler's ``_coerce``).

    # LoopBack: Model._coerce(Model._sanitizeQuery(where))

    - number: ``Number(v)`` when numeric ('' -> 0, ' 12 ' -> 12), else left as is;
      string: ``String(v)``; boolean: 'true'/'1' -> True, 'false'/'0' -> False,
      else truthiness; date: ``new Date(v)`` (aware UTC datetime; an invalid
      one raises 'Invalid date: x' with NO statusCode, as juggler); text
      (juggler's Text), object, json and any: unchanged; 'array' and unknown properties: not checked at all.
    - ``{op: value}`` clauses keep only the FIRST operator in juggler's table
      order (eq, gt, gte, lt, lte, between, inq, nin, neq, like, nlike, ilike,
      nilike, regexp) plus ``options``; ``{eq: v}`` becomes ``v``; a bare
      re.Pattern becomes ``{regexp: pattern}``; regexp strings become patterns.
    - inq/nin/between must be lists (or dicts with keys '0'..'n-1'), between of
      exactly 2; like-family values must be str or re.Pattern; and/or/nor
      must be list-like; each -> 400 with juggler's message.
    - '$'-prefixed keys in a clause -> 400 OPERATOR_NOT_ALLOWED_IN_QUERY unless
      ``allowExtendedOperators`` (then object values pass uncoerced).  Other
      unknown keys ({gt5: 1}) are not rejected: the clause is coerced as a
      value (NaN for numbers, so left as is; '[object Object]' for strings).
    """
    model_info = model_info or ModelInfo('', {}, [])
    where = sanitize_query(where, model_info, options, is_where=True)
    options = options or {}
    return _coerce(where, model_info, options, model_info)


def coerce_only(where, model_info, options=None):
    """:func:`coerce_where` without the sanitising pass: undefined values,
    hidden properties and the depth bound are left as they are.

    # LoopBack: Model._coerce(where, options) called by itself
    """
    model_info = model_info or ModelInfo('', {}, [])
    return _coerce(where, model_info, options or {}, model_info)


def _coerce(where, info, options, target):
    if where is None or where is undefined:
        return where
    if not isinstance(where, dict):
        raise bad_request('The where clause %s is not an object' % stringify(where))
    out = {}
    for p, clause in where.items():
        if p in ('and', 'or', 'nor'):
            try:
                clauses = _coerce_array(clause)
            except ValueError as e:
                raise bad_request('The %s operator has invalid clauses %s: %s' % (p, stringify(clause), e))
            # juggler recurses with the root model's properties, not the nested one
            out[p] = [_coerce(c, info, options, info) for c in clauses]
            continue
        out[p] = _coerce_property(p, clause, where, info, options, target)
    return out


def _coerce_property(p, clause, where, info, options, target):
    ptype = target.prop_type(p) if target is not None else None
    if ptype is None:
        return clause
    nested = _nested(ptype)
    if isinstance(ptype, list) and nested is None:
        ptype = ptype[0]
    if ptype in ('array', None, 'geopoint'):
        return clause
    coerce = _COERCERS.get(ptype) if nested is None else None
    if clause is None or clause is undefined:
        return clause
    operator = None
    val = clause
    if isinstance(clause, dict):
        for op in OPERATORS:
            if op in clause:
                operator = op
                val = _check_operator(p, op, clause[op], clause)
                break
    try:
        val = _coerce_array(val)
    except ValueError:
        pass
    allow_ext = _allow_extended(info, options)
    if isinstance(val, list) and nested is None:
        val = [v if v is None or v is undefined or isinstance(v, re.Pattern) else coerce(v)
               for v in val]
    elif val is not None and val is not undefined:
        if operator is None and isinstance(val, re.Pattern):
            operator = 'regexp'
        elif isinstance(val, re.Pattern) and operator in _REGEXP_OPERATORS:
            pass
        elif allow_ext and is_object(val):
            pass
        else:
            if not allow_ext and isinstance(val, dict):
                ext = [k for k in own_keys(val) if isinstance(k, str) and k.startswith('$')]
                if ext:
                    raise LoopBackError(
                        'Operators "%s" are not allowed in query' % ', '.join(ext),
                        statusCode=400, code='OPERATOR_NOT_ALLOWED_IN_QUERY',
                        details={'operators': ext, 'where': where})
            if nested is not None:
                if isinstance(ptype, list) and isinstance(val, list):
                    val = [_coerce(it, info, options, nested) for it in val]
                else:
                    val = _coerce(val, info, options, nested)
                return _rebuild(operator, val, clause)
            if isinstance(val, dict) and operator is None and ptype in _SCALAR_TYPES:
                _warn_unknown_operators(p, val, target)
            val = coerce(val)
    return _rebuild(operator, val, clause)


_SCALAR_TYPES = ('string', 'number', 'boolean', 'date')


def _warn_unknown_operators(p, clause, target):
    # juggler coerces such a clause as a plain value ('[object Object]' for a
    # string, true for a boolean); the SQL connectors refuse what is left of it
    # for a number with a 400.  Keep juggler's result, but say why.
    warnings.warn(
        'Unknown operator %s for property %s of model %s: LoopBack compares the whole '
        'clause as a plain value. Use one of %s, and, or.' % (', '.join('"%s"' % k for k in own_keys(clause)), p,
                                     target.name, ', '.join(OPERATORS)),
        UnknownOperatorWarning, stacklevel=2)


def _rebuild(operator, val, clause):
    if operator and operator != 'eq':
        out = {operator: val}
        if isinstance(clause, dict) and truthy(clause.get('options')):
            out['options'] = clause['options']
        return out
    return val


def _check_operator(p, op, val, clause):
    if op in ('inq', 'nin', 'between'):
        try:
            val = _coerce_array(val)
        except ValueError as e:
            raise bad_request('The %s property has invalid clause %s: Error: %s' % (p, stringify(clause), e))
        if op == 'between' and len(val) != 2:
            raise bad_request('The %s property has invalid clause %s: Expected precisely 2 values, '
                              'received %d' % (p, stringify(clause), len(val)))
    elif op in ('like', 'nlike', 'ilike', 'nilike'):
        if not isinstance(val, (str, re.Pattern)):
            raise bad_request('The %s property has invalid clause %s: Expected a string or RegExp'
                              % (p, stringify(clause)))
    elif op == 'regexp':
        val = to_regexp(val)
        if isinstance(val, LoopBackError):
            raise val
    return val
