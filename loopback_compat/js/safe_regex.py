"""Regular expressions in bounded time, for the memory and SQLite connectors.

A REST client chooses the patterns of ``regexp``, ``like``, ``nlike``,
``ilike`` and ``nilike``.  Python's ``re`` backtracks, so ``(a+)+$`` against
28 characters ran for seconds, holding the event loop (memory) or the GIL
(SQLite's REGEXP function on a worker thread), and every character more
doubled it.  Matching goes through here instead:

- RE2 (the ``google-re2`` package: linear time in the text, no backtracking,
  releases the GIL) for every pattern it can express;
- otherwise the ``regex`` package, whose ``search`` takes a ``timeout``:
  the time it spends counts against the query's :class:`Budget` (0.2 s of CPU time by
  default); when that runs out the query fails with a 400
  ``REGEXP_TOO_COMPLEX`` (:func:`too_complex`).

Patterns arrive in Python ``re`` syntax (:mod:`.regexp` translates JavaScript
sources; a caller may pass its own ``re.Pattern``).  They are parsed with
``re``'s own parser and written out again for the engine, with everything
whose meaning differs between engines spelled out from ``re`` itself:
``\\d``, ``\\w``, ``\\s`` become the exact character sets ``re`` matches,
``.`` is ``[^\\n]`` (or any character under DOTALL), ``\\Z`` and ``$`` keep
``re``'s meaning, and Unicode ``\\b`` / ``\\B`` are lookarounds over ``re``'s
word set (the ``regex`` engine; RE2 has no Unicode word boundary).  So both
engines answer as ``re`` did, except for case-insensitive matching of a few
non-ASCII letters (the Turkish dotted and dotless i), where each engine's
Unicode case folding decides.

RE2 cannot express backreferences, lookarounds (so JavaScript's multiline
``^``/``$``, which the translation writes as lookarounds), ``re``'s ``$``
without MULTILINE, atomic groups, possessive or more-than-1000 repetitions;
those go to the ``regex`` engine.  Its ``\\b`` and ``\\B`` are ASCII ones, equal
to ``re``'s Unicode ones in a non-empty ASCII text: a pattern with them runs on
RE2 for such texts (engine ``'re2-ascii'``), on ``regex`` for the others.  A
text holding a lone surrogate (which has no UTF-8 form) is searched with the
``regex`` engine too.

Interface::

    budget = Budget()                      # one per query (or SQL statement)
    rx = compile_pattern(re_pattern)       # or compile_source(source, flags); cached
    rx.search(text, budget)                # -> bool; raises the 400 when over budget
"""

import functools
import re
import threading
import time
from re import _constants as _c
from re import _parser as _sre_parse

import re2
import regex

from ..errors import LoopBackError

__all__ = ['BUDGET_SECONDS', 'Budget', 'SafeRegex', 'compile_pattern', 'compile_source',
           'too_complex', 'CODE']

#: Seconds one query may spend in the backtracking engine (its own timeout counts
#: CPU time: on a loaded machine the wall time can be longer).
BUDGET_SECONDS = 0.2

#: The ``code`` of the 400 answered when the budget runs out.
CODE = 'REGEXP_TOO_COMPLEX'

# The regex engine compiles about 3 microseconds per pattern character, and a
# compile cannot be interrupted; longer patterns that RE2 cannot take are refused.
_FALLBACK_MAX_SOURCE = 100000

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.never_capture = True      # a yes/no answer needs no groups: the DFA runs
_RE2_OPTIONS.log_errors = False        # a refused pattern goes to the fallback quietly
_UNANCHORED = re2._Anchor.UNANCHORED

_monotonic = time.monotonic
_MAXREPEAT = _c.MAXREPEAT
_UNICODE_MAX = 0x10FFFF


def too_complex():
    """The 400 a query gets when its regular expressions run out of time."""
    return LoopBackError(
        'The regular expression is too complex: matching it took longer than the %d ms '
        'a query may spend on regular expressions. Simplify the pattern (avoid nested '
        'repetition such as (a+)+ and backreferences).' % round(BUDGET_SECONDS * 1000),
        statusCode=400, code=CODE)


class Budget:
    """The backtracking time one query may still spend (RE2 time is linear and free)."""

    __slots__ = ('remaining',)

    def __init__(self, seconds=None):
        self.remaining = BUDGET_SECONDS if seconds is None else seconds


# ---------------------------------------------------------------------------
# re's character sets, taken from re itself

# re's Unicode \\s (str.isspace); tests/test_safe_regex.py checks it against re
_SPACE = ((0x09, 0x0D), (0x1C, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680),
          (0x2000, 0x200A), (0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F),
          (0x3000, 0x3000))


@functools.lru_cache(maxsize=None)
def _ranges(name):
    """The code point ranges ``re`` matches for ``\\d``, ``\\w`` or ``\\s`` (Unicode).

    \\d and \\w are read off ``re`` itself, once (about 0.1 s each), so that
    they follow the Unicode tables of the running Python exactly."""
    if name == 's':
        return _SPACE
    every = ''.join(map(chr, range(_UNICODE_MAX + 1)))
    return tuple((m.start(), m.end() - 1) for m in re.finditer('\\%s+' % name, every))


_ASCII_RANGES = {
    'd': ((0x30, 0x39),),
    'w': ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)),
    's': ((0x09, 0x0D), (0x20, 0x20)),
}

_CATEGORIES = {
    _c.CATEGORY_DIGIT: ('d', False), _c.CATEGORY_NOT_DIGIT: ('d', True),
    _c.CATEGORY_SPACE: ('s', False), _c.CATEGORY_NOT_SPACE: ('s', True),
    _c.CATEGORY_WORD: ('w', False), _c.CATEGORY_NOT_WORD: ('w', True),
}


def _complement(ranges):
    out, start = [], 0
    for lo, hi in ranges:
        if lo > start:
            out.append((start, lo - 1))
        start = hi + 1
    if start <= _UNICODE_MAX:
        out.append((start, _UNICODE_MAX))
    return tuple(out)


class _Unsupported(Exception):
    """The engine cannot express this pattern."""


# ---------------------------------------------------------------------------
# Writing a parsed pattern out for RE2 or the regex engine

class _Writer:
    """One pattern's parse tree -> source for one engine (``'re2'`` or ``'regex'``)."""

    def __init__(self, engine, ascii_text=False):
        self.re2 = engine == 're2'
        self.ascii_text = ascii_text     # RE2 for non-empty ASCII texts only

    def char(self, cp):
        if cp < 0x80 and (chr(cp).isalnum()):
            return chr(cp)
        if self.re2:
            if 0xD800 <= cp <= 0xDFFF:
                raise _Unsupported('surrogate')
            return '\\x{%x}' % cp
        return '\\u%04x' % cp if cp <= 0xFFFF else '\\U%08x' % cp

    def class_items(self, ranges):
        char = self.char
        return ''.join(char(lo) if lo == hi else '%s-%s' % (char(lo), char(hi))
                       for lo, hi in ranges)

    def category_ranges(self, code, flags):
        name, negated = _CATEGORIES[code]
        ranges = _ASCII_RANGES[name] if flags & _c.SRE_FLAG_ASCII else _ranges(name)
        return _complement(ranges) if negated else ranges

    def category(self, code, flags):
        return '[%s]' % self.class_items(self.category_ranges(code, flags))

    def word_class(self, flags):
        return self.category(_c.CATEGORY_WORD, flags)

    def never(self):
        return '[^\\x00-\\x{10ffff}]' if self.re2 else '(?!)'

    def write(self, items, flags):
        return ''.join(self.item(op, av, flags) for op, av in items)

    def item(self, op, av, flags):
        c = _c
        if op is c.LITERAL:
            return self.char(av)
        if op is c.NOT_LITERAL:
            return '[^%s]' % self.char(av)
        if op is c.ANY:
            if flags & c.SRE_FLAG_DOTALL:
                return '(?s:.)'
            return '[^%s]' % self.char(10)
        if op is c.IN:
            return self.in_(av, flags)
        if op is c.BRANCH:
            return '(?:%s)' % '|'.join(self.write(alt, flags) for alt in av[1])
        if op is c.SUBPATTERN:
            group, add, remove, sub = av
            if (add | remove) & (c.SRE_FLAG_ASCII | c.SRE_FLAG_LOCALE | c.SRE_FLAG_UNICODE):
                raise _Unsupported('scoped ASCII/LOCALE/UNICODE flag')
            inner_flags = (flags | add) & ~remove
            if self.re2 and inner_flags & c.SRE_FLAG_IGNORECASE and \
                    inner_flags & c.SRE_FLAG_ASCII:
                raise _Unsupported('ASCII-only case folding')
            body = self.write(sub, inner_flags)
            case = ''
            if add & c.SRE_FLAG_IGNORECASE:
                case = 'i'
            elif remove & c.SRE_FLAG_IGNORECASE:
                case = '-i'
            if group is not None and not self.re2:
                return '(%s)' % body if not case else '((?%s:%s))' % (case, body)
            return '(?%s:%s)' % (case, body)
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            lo, hi, sub = av
            if op is c.POSSESSIVE_REPEAT and self.re2:
                raise _Unsupported('possessive repeat')
            if hi is _MAXREPEAT or hi == _MAXREPEAT:
                count = '*' if lo == 0 else '+' if lo == 1 else '{%d,}' % lo
            elif lo == hi:
                count = '{%d}' % lo
            elif (lo, hi) == (0, 1):
                count = '?'
            else:
                count = '{%d,%d}' % (lo, hi)
            if self.re2 and max(lo, 0 if hi == _MAXREPEAT else hi) > 1000:
                raise _Unsupported('repetition over 1000')
            suffix = '?' if op is c.MIN_REPEAT else '+' if op is c.POSSESSIVE_REPEAT else ''
            return '(?:%s)%s%s' % (self.write(sub, flags), count, suffix)
        if op is c.AT:
            return self.at(av, flags)
        if op is c.ASSERT or op is c.ASSERT_NOT:
            direction, sub = av
            if not len(sub):
                # (?!) never matches, (?=) always does: JavaScript's [] and [^]
                return self.never() if op is c.ASSERT_NOT else ''
            if self.re2:
                raise _Unsupported('lookaround')
            kind = ('=' if op is c.ASSERT else '!') if direction == 1 else \
                ('<=' if op is c.ASSERT else '<!')
            return '(?%s%s)' % (kind, self.write(sub, flags))
        if self.re2:
            raise _Unsupported(str(op))
        if op is c.GROUPREF:
            return '(?:\\g<%d>)' % av
        if op is c.GROUPREF_EXISTS:
            group, yes, no = av
            return '(?(%d)%s|%s)' % (group, self.write(yes, flags),
                                     self.write(no, flags) if no is not None else '')
        if op is c.ATOMIC_GROUP:
            return '(?>%s)' % self.write(av, flags)
        raise _Unsupported(str(op))

    def in_(self, items, flags):
        c = _c
        negate = False
        parts = []
        for op, av in items:
            if op is c.NEGATE:
                negate = True
            elif op is c.LITERAL:
                parts.append(self.char(av))
            elif op is c.RANGE:
                lo, hi = av
                parts.append('%s-%s' % (self.char(lo), self.char(hi)) if lo != hi
                             else self.char(lo))
            elif op is c.CATEGORY:
                if len(items) == 1 and not negate:
                    return self.category(av, flags)
                parts.append(self.class_items(self.category_ranges(av, flags)))
            else:
                raise _Unsupported(str(op))
        if not parts:
            return '[\\s\\S]' if negate else self.never()
        return '[%s%s]' % ('^' if negate else '', ''.join(parts))

    def at(self, code, flags):
        c = _c
        multiline = flags & c.SRE_FLAG_MULTILINE
        if code is c.AT_BEGINNING_STRING:
            return '\\A'
        if code is c.AT_END_STRING:
            return '\\z' if self.re2 else '\\Z'
        if code is c.AT_BEGINNING:
            return '(?m:^)' if multiline else '\\A'
        if code is c.AT_END:
            if multiline:
                return '(?m:$)'
            if self.re2:
                raise _Unsupported("re's $ (end, or before a final newline)")
            return '(?=\\n?\\Z)'
        if code is c.AT_BOUNDARY or code is c.AT_NON_BOUNDARY:
            if self.re2:
                # RE2's \b and \B are re's ASCII ones, which are its Unicode ones
                # in an ASCII text; RE2's \B, unlike re's, also matches in ''
                if not (flags & c.SRE_FLAG_ASCII or self.ascii_text):
                    raise _Unsupported('Unicode word boundary')
                if code is c.AT_BOUNDARY:
                    return '\\b'
                if not self.ascii_text:
                    raise _Unsupported('\\B')
                return '\\B'
            w = self.word_class(flags)
            if code is c.AT_BOUNDARY:
                return '(?:(?<=%s)(?!%s)|(?<!%s)(?=%s))' % (w, w, w, w)
            # re (before 3.14) finds no \B in an empty string
            return '(?:(?<=%s)(?=%s)|(?<!%s)(?!%s)(?:(?<=[\\s\\S])|(?=[\\s\\S])))' % (w, w, w, w)
        raise _Unsupported(str(code))


def _to_engine(parsed, flags, engine, ascii_text=False):
    body = _Writer(engine, ascii_text).write(parsed, flags)
    return ('(?i)' if flags & _c.SRE_FLAG_IGNORECASE else '') + body


# ---------------------------------------------------------------------------
# Compiled patterns

class SafeRegex:
    """One pattern on the engine chosen for it; ``search(text, budget) -> bool``."""

    __slots__ = ('source', 'flags', 'engine', '_re2', '_re2_ascii', '_fallback', '_parsed')

    def __init__(self, source, flags):
        self.source = source
        self.flags = flags
        self._re2 = self._re2_ascii = None
        self._fallback = None
        self._parsed = _sre_parse.parse(source, flags)
        self._re2 = self._re2_form(False)
        if self._re2 is not None:
            self.engine = 're2'
            return
        # Unicode \b / \B: RE2 can still take the non-empty ASCII texts
        self._re2_ascii = self._re2_form(True)
        self.engine = 'regex' if self._re2_ascii is None else 're2-ascii'
        self._fallback_pattern()

    def _re2_form(self, ascii_text):
        flags = self._parsed.state.flags
        if flags & _c.SRE_FLAG_IGNORECASE and flags & _c.SRE_FLAG_ASCII:
            return None      # ASCII-only case folding
        try:
            translated = _to_engine(self._parsed, flags, 're2', ascii_text)
            return re2.compile(translated, _RE2_OPTIONS)._regexp
        except (_Unsupported, re2.error, RecursionError):
            return None

    def _fallback_pattern(self):
        if self._fallback is None:
            if len(self.source) > _FALLBACK_MAX_SOURCE:
                raise too_complex()
            flags = self._parsed.state.flags
            ascii_only = regex.ASCII if flags & _c.SRE_FLAG_ASCII else 0
            try:
                source = _to_engine(self._parsed, flags, 'regex')
                if len(source) > 10 * _FALLBACK_MAX_SOURCE:
                    raise too_complex()
                self._fallback = regex.compile(source, regex.V0 | ascii_only)
            except (_Unsupported, regex.error, RecursionError):
                # not expected for anything re parses: the engine's own reading then
                extra = flags & (regex.IGNORECASE | regex.MULTILINE | regex.DOTALL)
                try:
                    self._fallback = regex.compile(self.source, regex.V0 | ascii_only | extra)
                except (regex.error, RecursionError):
                    raise too_complex() from None
        return self._fallback

    def searcher(self, budget):
        """``search(text) -> bool`` on ``budget``: :meth:`search`, with RE2's
        common case (a text with a UTF-8 form) made a direct call."""
        if self._re2 is None:
            if self._re2_ascii is None:
                return lambda text: self.search(text, budget)
            ascii_match, slow = self._re2_ascii.Match, self.search

            def search_ascii(text):
                if text and text.isascii():
                    return ascii_match(_UNANCHORED, text.encode(), 0, len(text))[0][0] >= 0
                return slow(text, budget)
            return search_ascii
        match, slow = self._re2.Match, self.search

        def search(text):
            try:
                data = text.encode('utf-8')
            except UnicodeEncodeError:
                return slow(text, budget)
            return match(_UNANCHORED, data, 0, len(data))[0][0] >= 0
        return search

    def search(self, text, budget, concurrent=False):
        """True when the pattern matches somewhere in ``text`` (a str).

        RE2 answers in time linear in the text; the fallback may spend what
        is left of ``budget`` and raises :func:`too_complex`'s error beyond it.
        ``concurrent`` lets other threads run during a fallback search (worker
        threads); RE2 always does.
        """
        rx = self._re2
        if rx is None and text and text.isascii():
            rx = self._re2_ascii
        if rx is not None:
            try:
                data = text.encode('utf-8')
            except UnicodeEncodeError:   # a lone surrogate
                pass
            else:
                return rx.Match(_UNANCHORED, data, 0, len(data))[0][0] >= 0
        pattern = self._fallback if self._fallback is not None else self._fallback_pattern()
        left = budget.remaining
        if left <= 0:
            raise too_complex()
        start = _monotonic()
        try:
            found = pattern.search(text, timeout=left, concurrent=concurrent) is not None
        except TimeoutError:
            budget.remaining = 0
            raise too_complex() from None
        budget.remaining = left - (_monotonic() - start)
        return found


@functools.lru_cache(maxsize=512)
def compile_source(source, flags=0):
    """The :class:`SafeRegex` of a Python ``re`` source and flags (cached)."""
    return SafeRegex(source, flags)


def compile_pattern(pattern):
    """The :class:`SafeRegex` of a compiled ``re.Pattern`` (cached by source and flags)."""
    return compile_source(pattern.pattern, pattern.flags)


# ---------------------------------------------------------------------------
# One budget per SQL statement, for a REGEXP function running inside it

_statement = threading.local()


def begin_statement():
    """Start this thread's next statement with a fresh budget (lazily made)."""
    _statement.budget = None
    _statement.error = None


def statement_search(source, flags, text):
    """Search ``text`` for the ``re`` pattern ``source``/``flags`` on this
    thread's statement budget, letting other threads run meanwhile.  The error
    it raises is kept for :func:`statement_error` (SQLite reports only that a
    function failed)."""
    budget = getattr(_statement, 'budget', None)
    if budget is None:
        budget = _statement.budget = Budget()
    try:
        return compile_source(source, flags).search(text, budget, concurrent=True)
    except LoopBackError as err:
        _statement.error = err
        raise


def statement_error():
    """The budget error the last statement on this thread raised, if any."""
    return getattr(_statement, 'error', None)
