"""Matching rows against a where, as juggler's memory connector does.

# LoopBack: connectors/memory.js applyFilter's test()/testInEquality(), compare(),
#           getValue()

:func:`make_matcher` compiles a coerced where once per query into
``fn(row) -> bool``; its docstring lists the juggler semantics it keeps, odd
parts included.  Regular expressions run on :mod:`..js.safe_regex` with one
time budget for the whole matcher.
"""

import datetime as _dt
import functools
import re
import threading

from ..errors import TypeError_
from ..js import safe_regex
from ..js.dates import date_ms
from ..js.numbers import is_number, string_to_number
from ..js.regexp import compile_js, like_to_regexp
from ..js.values import (
    ASTRAL, INDEX_KEY, UNDEFINED as undefined, less_than, loose_equal, to_number, to_string,
    truthy)

_NAN = float('nan')


def _get_value(obj, path):
    """getValue(obj, 'a.b'): None/undefined stop the walk, missing -> undefined."""
    if obj is None or obj is undefined:
        return undefined
    val = obj
    for key in path.split('.'):
        val = _get_key(val, key)
        if val is None or val is undefined:
            return val
    return val


def _get_fast(row, path):
    if type(row) is dict and '.' not in path:
        return row.get(path, undefined)
    return _get_value(row, path)


def _get_key(val, key):
    if isinstance(val, dict):
        return val.get(key, undefined)
    if isinstance(val, (list, tuple)):
        if INDEX_KEY.match(key) and int(key) < len(val):
            return val[int(key)]
        if key == 'length':
            return len(val)
        return undefined
    if isinstance(val, str):
        if INDEX_KEY.match(key) and int(key) < len(val):
            return val[int(key)]
        if key == 'length':
            return len(val)
    return undefined


def _js_type_error(message):
    return TypeError_(message)


def make_matcher(where, model_info=None):
    """``fn(row) -> bool`` with the memory connector's semantics, built once per query.

    Pass a coerced where (:func:`coerce_where` / :func:`normalize_filter`).
    Semantics kept from juggler 3.x's memory connector, odd parts included:
    - equality is JavaScript ``==``: '1' matches 1, true matches 1, null
      matches null and missing; a date matches an equal date;
    - gt/gte/lt/lte/between compare numbers, strings and dates; any null or
      missing side fails; only the first operator of a clause is honoured;
    - inq/nin use ``==`` element by element (dates never match: JS compares
      Date objects by identity);
    - neq: ``compare(neq, value) != 0``, so a missing value matches neq 5;
    - like/nlike/ilike/nilike: % -> .*, _ -> ., other characters keep their
      regex meaning, searched UNANCHORED; the row value is converted with
      String(), so null reads 'null' and a missing value 'undefined';
    - regexp: a non-empty non-string value raises TypeError
      'value.match is not a function' (juggler crashes the same way);
    - a list value matches when any element matches (nested lists too); an
      EMPTY list matches nothing except a neq clause; a null clause on a list
      value raises TypeError "Cannot read properties of null (reading 'neq')";
    - 'a.b' paths walk dicts, and when that fails fall back to matching 'b'
      against each object in a list 'a' (embedded models);
    - and/or take lists of clauses; 'nor' is NOT supported by memory (it is
      looked up as a property and never matches); a None clause inside
      and/or raises TypeError 'Cannot convert undefined or null to object'.
    Errors raised while matching are ``TypeError_`` (a LoopBackError), or the
    400 REGEXP_TOO_COMPLEX once the regular expressions of the matcher (all
    rows, all clauses) have spent :data:`safe_regex.BUDGET_SECONDS` backtracking.
    """
    if getattr(_BUILDING, 'budget', None) is not None:   # a nested clause
        return _make_matcher(where)
    _BUILDING.budget = safe_regex.Budget()
    try:
        return _make_matcher(where)
    finally:
        _BUILDING.budget = None


# The regex time budget shared by every clause of the matcher being built.
_BUILDING = threading.local()


def _regex_test(pattern):
    """``search(text) -> bool`` for a re.Pattern, in bounded time, on the
    budget of the matcher being built."""
    budget = getattr(_BUILDING, 'budget', None) or safe_regex.Budget()
    return safe_regex.compile_pattern(pattern).searcher(budget)


def _make_matcher(where):
    if where is None or where is undefined:
        return _always
    if not isinstance(where, dict):
        return _always
    if len(where) == 1:
        for key, cond in where.items():
            return _compile_key(key, cond)
    preds = [_compile_key(key, cond) for key, cond in where.items()]
    if not preds:
        return _always
    if len(preds) == 1:
        return preds[0]

    def match(row):
        for pred in preds:
            if not pred(row):
                return False
        return True
    return match


def _always(row):
    return True


def _clause_matcher(cond):
    """A sub-clause of and/or: juggler's Object.keys(null) throws when it is reached."""
    if cond is None or cond is undefined:
        def fail(row):
            raise _js_type_error('Cannot convert undefined or null to object')
        return fail
    return make_matcher(cond)


def _compile_key(key, cond):
    kind = type(cond)
    if (kind is int or kind is str) and '.' not in key:
        return _compile_equality(key, cond)
    return _compile_clause(key, cond)


def _compile_clause(key, cond):
    """The matcher of one where key, for any condition."""
    if key in ('and', 'or') and isinstance(cond, list):
        subs = [_clause_matcher(c) for c in cond]
        if key == 'and':
            def match_and(row):
                for m in subs:
                    if not m(row):
                        return False
                return True
            return match_and

        def match_or(row):
            for m in subs:
                if m(row):
                    return True
            return False
        return match_or
    test = _compile_test(cond)
    neq_defined = isinstance(cond, dict) and cond.get('neq', undefined) is not undefined
    cond_is_none = cond is None or cond is undefined

    def eval_value(value):
        if isinstance(value, list):
            if cond_is_none:
                raise _js_type_error("Cannot read properties of %s (reading 'neq')" % to_string(cond))
            if neq_defined and not value:
                return True
            return any(eval_value(v) for v in value)
        return test(value)

    dot = key.find('.')
    if dot == -1:
        return _key_matcher(key, test, eval_value)
    head, sub_match = key[:dot], make_matcher({key[dot + 1:]: cond})

    def match_path(row):
        value = _get_value(row, key)
        if isinstance(value, list) or eval_value(value):
            return eval_value(value)
        sub = _get_key(row, head) if row is not None else undefined
        if isinstance(sub, list):
            return any(sub_match(e) for e in sub)
        if isinstance(sub, dict):
            return sub_match(sub)
        return False
    return match_path


def _compile_equality(key, example):
    """``{key: example}`` for a plain int or str example: _compile_key's
    general matcher with the parts that cannot apply to it left out."""
    test = _compile_test(example)

    def any_equal(values):
        for v in values:
            if isinstance(v, list):
                if any_equal(v):
                    return True
            elif test(v):
                return True
        return False
    return _key_matcher(key, test, any_equal)


def _key_matcher(key, test, on_list):
    """``match(row)`` for an undotted key: a list value goes to ``on_list``,
    any other value (missing: undefined) to ``test``."""
    def match_key(row):
        value = row.get(key, undefined) if type(row) is dict else _get_value(row, key)
        if type(value) is list:
            return on_list(value)
        return test(value)
    return match_key


def _compile_test(example):
    """test(example, value) of the memory connector, specialised for one example."""
    if isinstance(example, re.Pattern):
        search = _regex_test(example)
        return lambda value: (isinstance(value, str) and search(value)) \
            or (not isinstance(value, str) and value is example)
    if example is None or example is undefined:
        return lambda value: value is None or value is undefined
    if isinstance(example, dict):
        return _compile_dict_test(example)
    if isinstance(example, (_dt.datetime, _dt.date)):
        ms = date_ms(example)

        def test_date(value):
            if isinstance(value, (_dt.datetime, _dt.date)):
                return date_ms(value) == ms
            return loose_equal(example, value)
        return test_date
    if isinstance(example, str):
        return lambda value: value == example if isinstance(value, str) else loose_equal(example, value)
    if is_number(example) and not (isinstance(example, float) and example != example):
        return lambda value: (value == example if is_number(value)
                              else loose_equal(example, value))
    return lambda value: loose_equal(example, value)


def _compile_dict_test(ex):
    fallback = functools.partial(loose_equal, ex)
    if truthy(ex.get('regexp')):
        pattern = ex['regexp']
        if not isinstance(pattern, re.Pattern):
            pattern = compile_js(to_string(pattern))
        search = _regex_test(pattern)

        def test_regexp(value):
            if not truthy(value):
                return False
            if not isinstance(value, str):
                raise _js_type_error('value.match is not a function')
            return search(value)
        return test_regexp
    if truthy(ex.get('near')):
        return _always
    if truthy(ex.get('inq')):
        return _compile_in(ex['inq'], True)
    if truthy(ex.get('nin')):
        return _compile_in(ex['nin'], False)
    if 'neq' in ex:
        neq = ex['neq']
        return lambda value: not (compare(neq, value) == 0)
    if 'between' in ex:
        between = ex['between']
        low = _get_key(between, '0') if not isinstance(between, dict) else between.get('0', undefined)
        high = _get_key(between, '1') if not isinstance(between, dict) else between.get('1', undefined)
        return lambda value: compare(value, low) >= 0 and compare(value, high) <= 0
    like_ops = [op for op in ('like', 'nlike', 'ilike', 'nilike') if truthy(ex.get(op))]
    if like_ops:
        pattern = ex[like_ops[0]]
        op = like_ops[0]
        search = _regex_test(_like_regex(pattern, op in ('ilike', 'nilike')))
        negate = op in ('nlike', 'nilike')
        return lambda value: search(to_string(value)) != negate
    for op, ok in (('gt', lambda c: c > 0), ('gte', lambda c: c >= 0),
                   ('lt', lambda c: c < 0), ('lte', lambda c: c <= 0)):
        if op in ex:
            bound = ex[op]
            return lambda value, ok=ok, bound=bound: ok(compare(value, bound)) or fallback(value)
    return fallback


def _like_regex(pattern, ignore_case):
    if isinstance(pattern, re.Pattern):
        if not ignore_case:
            return pattern
        return re.compile(pattern.pattern, pattern.flags | re.I)
    if isinstance(pattern, str):
        return like_to_regexp(pattern, ignore_case)
    return compile_js(to_string(pattern), 'i' if ignore_case else '')


def _compile_in(values, wanted):
    """inq (wanted=True) / nin (wanted=False) with JS == against each element."""
    if isinstance(values, dict):
        values = []
    elif isinstance(values, str):
        values = list(values)
    elif not isinstance(values, (list, tuple)):
        values = []
    values = list(values)
    kinds = set(map(type, values))
    if kinds == _INT_ONLY:
        # the usual include page: ints, each its own number (no nil, no NaN)
        has_nil, strings, plain_numbers = False, set(), set(values)
        all_numbers = plain_numbers
        return _in_test(values, wanted, has_nil, strings, plain_numbers, all_numbers)
    simple = all(v is None or v is undefined or isinstance(v, (str, bool, int, float)) for v in values)
    if not simple:
        def test_slow(value):
            for v in values:
                # juggler revives each row's date as a new Date, and == on two
                # Dates is identity: it never holds, even for the same instant.
                if isinstance(v, _dt.date) and isinstance(value, _dt.date):
                    continue
                if loose_equal(v, value):
                    return wanted
            return not wanted
        return test_slow
    has_nil = any(v is None or v is undefined for v in values)
    strings = {v for v in values if isinstance(v, str)}
    plain_numbers = {to_number(v) for v in values
                     if isinstance(v, (bool, int, float)) and not isinstance(v, str)}
    all_numbers = set(plain_numbers)
    all_numbers.update(string_to_number(s) for s in strings)
    plain_numbers = {n for n in plain_numbers if n == n}
    all_numbers = {n for n in all_numbers if n == n}
    return _in_test(values, wanted, has_nil, strings, plain_numbers, all_numbers)


_INT_ONLY = {int}


def _in_test(values, wanted, has_nil, strings, plain_numbers, all_numbers):
    """inq/nin's test from the example values sorted by kind."""
    def test_in(value):
        if type(value) is int:
            return (value in all_numbers) == wanted
        if value is None or value is undefined:
            found = has_nil
        elif isinstance(value, str):
            found = value in strings or string_to_number(value) in plain_numbers
        elif isinstance(value, (bool, int, float)):
            found = to_number(value) in all_numbers
        else:
            found = any(loose_equal(v, value) for v in values)
        return found == wanted
    return test_in


def compare(v1, v2):
    """The memory connector's compare(): a number, 0 for equal, NaN if unknown."""
    t1, t2 = type(v1), type(v2)
    if (t1 is int or t1 is float) and (t2 is int or t2 is float):
        return v1 - v2
    if t1 is str and t2 is str and not (ASTRAL.search(v1) or ASTRAL.search(v2)):
        return 1 if v1 > v2 else -1 if v1 < v2 else 0
    if v1 is None or v1 is undefined or v2 is None or v2 is undefined:
        return 0 if loose_equal(v1, v2) else _NAN
    if isinstance(v1, (bool, int, float)):
        return to_number(v1) - to_number(v2)
    if isinstance(v1, str):
        if less_than(v2, v1):
            return 1
        if less_than(v1, v2):
            return -1
        return 0 if loose_equal(v1, v2) else _NAN
    if isinstance(v1, (_dt.datetime, _dt.date)):
        return date_ms(v1) - to_number(v2)
    return 0 if loose_equal(v1, v2) else _NAN
