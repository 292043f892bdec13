"""JavaScript regular expressions: sources translated to Python ``re`` syntax,
juggler's ``toRegExp``, the memory connector's LIKE patterns, and the two
escaping helpers juggler uses.

# LoopBack: lib/utils.js toRegExp / escapeRegExp, escape-string-regexp,
#           connectors/memory.js's like -> RegExp

:func:`translate` writes a JavaScript source (no ``u`` or ``y`` flag) in
Python syntax with JavaScript's meaning: ``\\d`` ``\\w`` ``\\s`` and their
negations are JavaScript's sets (ASCII digits and word characters, the
ECMAScript white space), also inside classes; ``.`` stops at the four line
terminators (or not, under ``s``); ``^`` / ``$`` are the input's ends (or
the lines', under ``m``); ``[]`` never matches and ``[^]`` matches anything;
named groups and ``\\k<name>`` use Python's spelling.  Matching itself runs on
:mod:`.safe_regex` (bounded time).  Not translated: ``\\b`` and ``\\B``
(Python's, whose word characters include non-ASCII letters: kept so that RE2
runs them), case folding under ``i`` (Python's, which differs for a few
letters such as the long s), and variable-width lookbehinds, which Python
refuses (tests/test_js.py lists each such answer Node gives differently).
"""

import re

from ..errors import LoopBackError, bad_request

__all__ = ['translate', 'compile_js', 'is_valid', 'escape_regexp', 'escape_invalid',
           'escape_string_regexp', 'to_regexp', 'like_to_regexp', 'collapse_percents']

_LINE_TERMS = '\\n\\r\\u2028\\u2029'
_WORD = 'A-Za-z0-9_'
_SPACE = '\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff'
# class escape -> (set body, negated)
_CLASS_ESCAPES = {'d': ('0-9', False), 'D': ('0-9', True), 'w': (_WORD, False),
                  'W': (_WORD, True), 's': (_SPACE, False), 'S': (_SPACE, True)}
# escapes whose Python meaning is JavaScript's (letters not listed are identity
# escapes in JavaScript: \e is 'e', \z is 'z')
_PY_KNOWN_ESCAPES = set('bBnrtvf0123456789xu')
_QUANTIFIER = re.compile(r'\{[0-9]+(?:,[0-9]*)?\}')


def translate(src, flags=''):
    """A JavaScript regex source (with its flags) in Python ``re`` syntax."""
    multiline = 'm' in flags
    dotall = 's' in flags
    out = []
    i, n = 0, len(src)
    while i < n:
        c = src[i]
        if c == '\\':
            nxt = src[i + 1] if i + 1 < n else ''
            if nxt == 'k' and i + 2 < n and src[i + 2] == '<':
                end = src.find('>', i + 3)
                if end != -1:
                    out.append('(?P=%s)' % src[i + 3:end])
                    i = end + 1
                    continue
            if nxt in _CLASS_ESCAPES:
                body, negated = _CLASS_ESCAPES[nxt]
                out.append('[%s%s]' % ('^' if negated else '', body))
            elif nxt == 'c' and i + 2 < n and src[i + 2].isascii() and src[i + 2].isalpha():
                out.append('\\x%02x' % (ord(src[i + 2]) % 32))
                i += 3
                continue
            elif nxt == '':
                out.append('\\\\')
            elif nxt.isalpha() and nxt not in _PY_KNOWN_ESCAPES:
                out.append(re.escape(nxt))
            else:
                out.append('\\' + nxt)
            i += 2
            continue
        if c == '[':
            text, i = _translate_class(src, i + 1, n)
            out.append(text)
            continue
        if c == '(' and src.startswith('(?<', i) and not src.startswith('(?<=', i) \
                and not src.startswith('(?<!', i):
            out.append('(?P<')
            i += 3
            continue
        if c == '{' and not _QUANTIFIER.match(src, i):
            out.append('\\{')       # not a quantifier: a literal brace, as JavaScript reads it
        elif c == '.':
            out.append('[\\s\\S]' if dotall else '[^' + _LINE_TERMS + ']')
        elif c == '$':
            out.append('(?=[' + _LINE_TERMS + ']|\\Z)' if multiline else '\\Z')
        elif c == '^':
            out.append('(?:(?<=[' + _LINE_TERMS + '])|\\A)' if multiline else '\\A')
        else:
            out.append(c)
        i += 1
    return ''.join(out)


def _translate_class(src, j, n):
    """The class starting after '[' at ``j``: (Python text, index after ']')."""
    negate = j < n and src[j] == '^'
    if negate:
        j += 1
    if j < n and src[j] == ']':
        return ('[\\s\\S]' if negate else '(?!)'), j + 1
    pieces = []         # (kind, text): 'char', 'dash' or 'set'
    negated_sets = []
    while j < n and src[j] != ']':
        ch = src[j]
        if ch == '\\' and j + 1 < n:
            esc = src[j + 1]
            if esc in _CLASS_ESCAPES:
                body, negated = _CLASS_ESCAPES[esc]
                if negated:
                    negated_sets.append('[^%s]' % body)
                else:
                    pieces.append(('set', body))
            elif esc == 'b':
                pieces.append(('char', '\\x08'))      # [\b] is backspace
            elif esc == 'B':
                pieces.append(('char', 'B'))
            elif esc == 'c' and j + 2 < n and src[j + 2].isascii() and src[j + 2].isalpha():
                pieces.append(('char', '\\x%02x' % (ord(src[j + 2]) % 32)))
                j += 3
                continue
            elif esc.isalpha() and esc not in _PY_KNOWN_ESCAPES:
                pieces.append(('char', re.escape(esc)))
            else:
                pieces.append(('char', src[j:j + 2]))
            j += 2
            continue
        if ch == '-':
            pieces.append(('dash', '-'))
        else:
            pieces.append(('char', '\\' + ch if ch in '[&~|' else ch))
        j += 1
    if j >= n:      # JavaScript: 'Unterminated character class'
        raise re.error('Unterminated character class')
    body = []
    for k, (kind, text) in enumerate(pieces):
        if kind == 'dash' and ((k and pieces[k - 1][0] == 'set') or
                               (k + 1 < len(pieces) and pieces[k + 1][0] == 'set')):
            text = '\\-'     # next to a class escape: a literal '-', not a range
        body.append(text)
    body = ''.join(body)
    if not negated_sets:
        return '[%s%s]' % ('^' if negate else '', body), j + 1
    alternatives = ([('[%s]' % body)] if body else []) + negated_sets
    union = '(?:%s)' % '|'.join(alternatives)
    if negate:
        return '(?:(?!%s)[\\s\\S])' % union, j + 1
    return union, j + 1


def compile_js(src, flags=''):
    """``new RegExp(src, flags)`` as a Python pattern; an invalid source raises
    a LoopBackError named SyntaxError ('Invalid regular expression: /src/: ...')."""
    try:
        return re.compile(translate(src, flags), re.I if 'i' in flags else 0)
    except (re.error, OverflowError, RecursionError) as e:
        err = LoopBackError('Invalid regular expression: /%s/: %s' % (src, e))
        err.name = 'SyntaxError'
        raise err


def is_valid(src):
    """Whether ``new RegExp(src)`` would compile."""
    try:
        compile_js(src)
        return True
    except LoopBackError:
        return False


_ESCAPE_CHARS = re.compile(r'([\-\[\]/{}()+?.\\^$|])')


def escape_regexp(s):
    """juggler's utils.escapeRegExp: each regex special character escaped."""
    return _ESCAPE_CHARS.sub(r'\\\1', s)


def escape_invalid(s):
    """juggler's sanitizeQuery on a regexp operand: an invalid pattern gets its
    specials escaped (a valid one is kept)."""
    return s if is_valid(s) else escape_regexp(s)


_STRING_SPECIALS = re.compile(r'([|\\{}()[\]^$+*?.])')


def escape_string_regexp(text):
    """The escape-string-regexp package juggler's uniqueness validation uses:
    a narrower set than re.escape, so the result is still a valid JavaScript source."""
    return _STRING_SPECIALS.sub(r'\\\1', text)


_HAS_FLAGS = re.compile('/[^\n\r\u2028\u2029]+\\Z')


def to_regexp(value):
    """Juggler's utils.toRegExp: '/src/flags' or a bare source -> re.Pattern.

    Only the flags i, g and m are accepted ('Invalid regex flags: x').  As in
    juggler, any '/' followed by text counts as a flags delimiter, so 'a/b'
    is rejected and 'a/i' means an empty pattern with flag i.  Returns the
    400 error (not raised) for a value that is not a string or pattern, or
    has bad flags.
    """
    if isinstance(value, re.Pattern):
        return value
    if not isinstance(value, str):
        return bad_request('Invalid argument, must be a string, regex literal, or RegExp object')
    if not _HAS_FLAGS.search(value):
        return compile_js(value)
    flags = value.split('/')[-1]
    invalid = [f for f in flags if f not in 'igm']
    if invalid:
        return bad_request('Invalid regex flags: %s' % ','.join(invalid))
    last = value.rfind('/')
    source = value[1:1 + last - 1] if last - 1 > 0 else ''
    return compile_js(source, flags)


def like_to_regexp(pattern, ignore_case=False):
    """The memory connector's LIKE translation: % -> .*, _ -> ., all else raw.

    Juggler escapes regex specials and then unescapes them again, so they
    keep their regex meaning ('a.c' matches 'abc'); the result is searched
    unanchored (like 'an' matches 'Banana').  A run of '%' is one '.*'
    (the same matches; 30,000 of them would make a huge pattern).
    """
    src = ''.join('.*' if c == '%' else '.' if c == '_' else c
                  for c in collapse_percents(pattern))
    return compile_js(src, 'i' if ignore_case else '')


def collapse_percents(pattern):
    """``pattern`` with each run of unescaped '%' made one: '.*.*' matches what
    '.*' does.  Before a quantifier the run keeps two, so that the quantifier
    still applies to a '.*' of its own ('%%+' is '.*.*+')."""
    if '%%' not in pattern:
        return pattern
    out = []
    i, n, backslashes = 0, len(pattern), 0
    while i < n:
        c = pattern[i]
        if c == '%' and not backslashes % 2:
            j = i
            while j < n and pattern[j] == '%':
                j += 1
            out.append('%%' if j - i > 1 and j < n and pattern[j] in '*+?{' else '%')
            i, backslashes = j, 0
            continue
        out.append(c)
        backslashes = backslashes + 1 if c == '\\' else 0
        i += 1
    return ''.join(out)
