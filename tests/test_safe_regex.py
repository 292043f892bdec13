"""Regular expressions in bounded time (issue 16, item 3): loopback_compat.safe_regex.

- RE2 and the fallback engine (``regex`` with a time budget) answer as the old
  Python ``re`` path did, on a table of JavaScript patterns and like-patterns;
- the catastrophic ``(a+)+$`` runs on RE2 and answers at once; patterns RE2
  cannot take (backreferences) run on the fallback and either answer or fail
  with a 400 REGEXP_TOO_COMPLEX, well under a second, for a whole query (one
  budget for all rows and clauses), on memory and SQLite, through the callback;
- runs of '%' in like-patterns collapse without changing what they match.
"""

import re
import time

import pytest

import loopback_compat as lb
from loopback_compat import filters, safe_regex
from loopback_compat.errors import LoopBackError

CATASTROPHIC = 'a' * 28 + '!'

TEXTS = ['', 'a', 'abc', 'ABC', 'Banana', 'foo bar', 'foo\nbar', 'x\r\ny', 'line1\u2028line2',
         'caf\u00e9', 'CAF\u00c9', '123-456', '\u0663\u0664', 'tab\there', 'a_b', 'a.b', 'a+b',
         '(a)', '[x]', 'K', '\u212a', 'stra\u00dfe', 'emoji \U0001F600!', 'aaaaaaaa!',
         'aaa\n', 'end$', 'null', 'undefined', '\x1c', '\u00a0x']

# JavaScript sources as a REST client writes them (regexp operator)
JS_PATTERNS = [
    'a', '^a', 'a$', '^abc$', '/abc/i', '/^abc$/i', 'b.n', '/^bar/m', '/foo$/m', '/^$/m',
    '\\d+', '\\D', '\\w+', '\\W', '\\s', '\\S+', '\\bfoo\\b', '\\Bo', '[a-c]+', '[^a-c]',
    '[]', '[^]', '.', 'a|b', '(a|b)c', '(?:ab)+', 'a{2}', 'a{1,2}?',
    '(a)\\1', '(?<n>a)\\k<n>', 'a(?=b)', 'a(?!b)', '(?<=a)b', '(?<!a)b', '\\u00e9',
    '/\\u00c9/i', '/k/i', '/STRASSE/i', '\\x41', '\\.', '\\$', '\\n', '\\t', '[\\d.]+',
    '[^\\s\\d]', '\\p', '\\\\', '(a+)+$', '(a*)*\\1$', '^(a|a)*$', 'caf.', '\U0001F600',
]

LIKE_PATTERNS = ['a%', '%a', '%an%', 'B_n%', '%', '%%%', '_', '%.%', 'a+b', '(a)', 'foo%bar',
                 '%\\%%', 'a%%+', 'caf_']


def _old_search(pattern, text):
    return pattern.search(text) is not None


def _cases():
    for src in JS_PATTERNS:
        yield 'regexp ' + src, filters.to_regexp(filters._escape_invalid_regexp(src))
    for src in LIKE_PATTERNS:
        yield 'like ' + src, filters.like_to_regexp(src)
        yield 'ilike ' + src, filters.like_to_regexp(src, True)


CASES = list(_cases())


@pytest.mark.parametrize('name,pattern', CASES, ids=[c[0] for c in CASES])
def test_both_engines_answer_as_re(name, pattern):
    assert isinstance(pattern, re.Pattern), pattern
    rx = safe_regex.compile_pattern(pattern)
    fallback = rx._fallback_pattern()
    for text in TEXTS:     # short enough for re's backtracking
        want = _old_search(pattern, text)
        assert rx.search(text, safe_regex.Budget()) == want, (name, rx.engine, text)
        assert (fallback.search(text) is not None) == want, (name, 'fallback', text)


def test_engine_choice():
    def engine(src):
        return safe_regex.compile_pattern(filters.to_regexp(src)).engine
    assert engine('(a+)+$') == 're2'
    assert engine('/^abc$/i') == 're2'
    assert engine('[^a-c]\\d\\w\\s.') == 're2'
    assert engine('[]') == 're2'
    assert safe_regex.compile_pattern(filters.like_to_regexp('%a%b_')).engine == 're2'
    # what RE2 cannot express
    assert engine('(a*)*\\1$') == 'regex'
    assert engine('a(?=b)') == 'regex'
    assert engine('\\bfoo') == 're2-ascii'      # Unicode \b: RE2 for ASCII texts only
    assert engine('/^a$/m') == 'regex'          # JavaScript's four line terminators


def test_word_boundary_on_ascii_and_other_texts():
    rx = safe_regex.compile_pattern(filters.to_regexp('\\bcaf.\\b'))
    assert rx.engine == 're2-ascii'
    for text, want in [('a cafe b', True), ('cafes', False), ('caf\u00e9s', False),
                       ('un caf\u00e9 noir', True), ('', False), ('\u00e9caf\u00e9', False)]:
        assert rx.search(text, safe_regex.Budget()) is want, text
        assert rx.searcher(safe_regex.Budget())(text) is want, text
    rx = safe_regex.compile_pattern(filters.to_regexp('\\B'))
    assert [rx.search(t, safe_regex.Budget()) for t in ('', 'a', 'ab', '\u00e9\u00e9')] == \
        [False, False, True, True]       # re finds no \B in '' (before Python 3.14)


def test_turkish_i_follows_javascript_on_re2():
    # the one documented difference from the old re path: re folds I to
    # dotless i and i to dotted I; JavaScript's /I/i does not, nor does RE2
    rx = safe_regex.compile_pattern(filters.to_regexp('/I/i'))
    assert rx.engine == 're2'
    assert rx.search('\u0131', safe_regex.Budget()) is False
    assert rx.search('i', safe_regex.Budget()) is True


_ATOMS = ['a', 'b', 'K', 'k', '\u00e9', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '.', '[a-c]',
          '[^a]', '[\\w.]', '[^\\s\\d]', '\\n', '\\b', '\\B', '^', '$', '(?:a|b)', '_', '\\.',
          '\u017f', '\u00df', '\u2028', '[]', '[^]', '\\x41', '[A-Z]', '(a)\\1', '(?=a)', '(?!b)']
_ALPHABET = ['a', 'b', 'K', 'k', '\u212a', '\u00e9', '\u00c9', '1', '\u0663', ' ', '\n', '\r',
             '\u2028', '_', '.', '\u017f', 's', 'S', '\u00df', '\x1c', '\xa0', '\u0301', '\u00b2']


def test_random_patterns_answer_as_re():
    import random
    rnd = random.Random(16)

    def gen(depth=0):
        out = ''
        for _ in range(rnd.randint(1, 4)):
            r = rnd.random()
            if r < 0.15 and depth < 3:
                out += '(' + gen(depth + 1) + ')'
            elif r < 0.25 and depth < 3:
                out += '(?:' + gen(depth + 1) + '|' + gen(depth + 1) + ')'
            else:
                out += rnd.choice(_ATOMS)
            if rnd.random() < 0.3 and out[-1] not in '^$bB)':
                out += rnd.choice(['*', '+', '?', '{1,2}', '*?', '{2}'])
        return out
    engines = set()
    for _ in range(400):
        flags = ''.join(f for f in 'im' if rnd.random() < 0.3)
        try:
            pattern = filters.to_regexp('/%s/%s' % (gen(), flags) if flags else gen())
        except LoopBackError:      # not a valid pattern
            continue
        rx = safe_regex.compile_pattern(pattern)
        engines.add(rx.engine)
        fallback = rx._fallback_pattern()
        for _ in range(10):
            text = ''.join(rnd.choice(_ALPHABET) for _ in range(rnd.randint(0, 6)))
            want = _old_search(pattern, text)
            assert rx.search(text, safe_regex.Budget()) == want, (pattern.pattern, text)
            assert (fallback.search(text) is not None) == want, (pattern.pattern, text)
    assert engines == {'re2', 're2-ascii', 'regex'}


def test_character_sets_are_re_s_own():
    every = ''.join(map(chr, range(0x110000)))
    for name in 'dws':      # \\s is written out in safe_regex; \\d, \\w read off re
        pattern = re.compile('[%s]' % safe_regex._Writer('regex').class_items(safe_regex._ranges(name)))
        mine = {m.start() for m in pattern.finditer(every)}
        theirs = {m.start() for m in re.finditer('\\' + name, every)}
        assert mine == theirs, name


def test_lone_surrogate_text_uses_the_fallback():
    rx = safe_regex.compile_pattern(filters.to_regexp('^a.b$'))
    assert rx.engine == 're2'
    assert rx.search('a\ud800b', safe_regex.Budget()) is True
    assert rx.searcher(safe_regex.Budget())('x\ud800') is False


def test_catastrophic_pattern_answers_at_once_on_re2():
    rx = safe_regex.compile_pattern(filters.to_regexp('(a+)+$'))
    started = time.monotonic()
    for n in (28, 40, 1000, 100000):
        assert rx.search('a' * n + '!', safe_regex.Budget()) is False
        assert rx.search('a' * n, safe_regex.Budget()) is True
    assert time.monotonic() - started < 0.5


def test_backreference_patterns_finish_or_fail_in_budget():
    started = time.monotonic()
    rx = safe_regex.compile_pattern(filters.to_regexp('(a*)*\\1$'))
    assert rx.engine == 'regex'
    assert rx.search(CATASTROPHIC, safe_regex.Budget()) is True       # as JavaScript: '' at the end
    assert time.monotonic() - started < 0.5

    rx = safe_regex.compile_pattern(filters.to_regexp('^(a|a)*\\1?$'))
    assert rx.engine == 'regex'
    budget = safe_regex.Budget()
    started = time.monotonic()
    with pytest.raises(LoopBackError) as info:
        rx.search('a' * 40 + '!', budget)
    assert time.monotonic() - started < 1.0
    err = info.value
    assert (err.statusCode, err.code) == (400, 'REGEXP_TOO_COMPLEX')
    assert 'too complex' in err.message
    # the budget is spent: the next search of the same query fails at once
    started = time.monotonic()
    with pytest.raises(LoopBackError):
        rx.search('aaa', budget)
    assert time.monotonic() - started < 0.05


# -- through the matcher: one budget per query ---------------------------------------

def test_one_budget_for_all_rows_and_clauses():
    info = filters.ModelInfo('Item', {'name': {'type': 'string'}}, ['id'])
    slow = {'name': {'regexp': '^(a|a)*\\1?$'}}
    where = filters.normalize_filter({'where': {'or': [slow, slow, slow]}}, info)['where']
    match = filters.make_matcher(where, info)
    rows = [{'id': i, 'name': 'a' * 40 + '!'} for i in range(20)]
    started = time.monotonic()
    with pytest.raises(LoopBackError) as err:
        [r for r in rows if match(r)]
    assert err.value.code == 'REGEXP_TOO_COMPLEX'
    assert time.monotonic() - started < 1.0


def test_collapse_percents_keeps_the_meaning():
    c = filters._collapse_percents
    assert c('%%%a%%') == '%a%'
    assert c('a%b') == 'a%b'
    assert c('%%+') == '%%+'            # '.*.*+': the possessive keeps a '.*' of its own
    assert c('\\%%') == '\\%%'          # an escaped '%' is '\.*', not part of the run
    assert c('\\\\%%') == '\\\\%'       # an escaped backslash is not
    for pattern in ['a%%b', '%%_%%', 'x%%%y%%%', '\\%%z', 'a%%%?']:
        long_form = re.compile(filters._translate_js_regex(
            ''.join('.*' if ch == '%' else '.' if ch == '_' else ch for ch in pattern), ''))
        short_form = filters.like_to_regexp(pattern)
        for text in TEXTS + ['axyb', 'a..z', 'x\ny', 'a%b']:
            assert _old_search(long_form, text) == _old_search(short_form, text), (pattern, text)


def test_thirty_thousand_percents_are_bounded():
    started = time.monotonic()
    pattern = filters.like_to_regexp('%' * 30000)
    assert pattern.pattern == filters.like_to_regexp('%').pattern
    info = filters.ModelInfo('Item', {'name': {'type': 'string'}}, ['id'])
    for op in ('like', 'nlike', 'ilike', 'nilike'):
        where = filters.normalize_filter({'where': {'name': {op: '%' * 30000 + 'b'}}}, info)['where']
        match = filters.make_matcher(where, info)
        assert match({'name': 'ab'}) == (op in ('like', 'ilike'))
    assert time.monotonic() - started < 1.0


# -- through the DAO, delivered through the callback ----------------------------------

@pytest.fixture(params=['memory', 'sqlite'])
def Item(request, tmp_path):
    if request.param == 'memory':
        ds = lb.DataSource('memory')
    else:
        ds = lb.DataSource('sqlite', file=str(tmp_path / 'regex.db'), createTables=True)
    model = ds.createModel('Item', {'name': 'string'})

    def seed():
        lb.await_(ds.automigrate())
        lb.await_(model.create([{'name': CATASTROPHIC}, {'name': 'aaa'}, {'name': 'b'},
                                {'name': 'a' * 40 + '!'}]))
    lb.run(seed)
    yield model
    lb.run(lambda: lb.await_(ds.disconnect()))


def _call(method, *args):
    """(err, result, seconds) of one DAO call made with a callback."""
    out = {}

    def main():
        started = time.monotonic()
        done = lb.Promise(lambda resolve, reject: method(*args, lambda err, res=None: resolve(
            (err, res, time.monotonic() - started))))
        out['v'] = lb.await_(done)
    lb.run(main)
    return out['v']


def test_catastrophic_regexp_answers_rows(Item):
    err, found, seconds = _call(Item.find, {'where': {'name': {'regexp': '(a+)+$'}}})
    assert err is None and [i.name for i in found] == ['aaa']
    assert seconds < 1.0
    err, found, seconds = _call(Item.find, {'where': {'name': {'like': '(a+)+$'}}})
    assert err is None and [i.name for i in found] == ['aaa']
    assert seconds < 1.0


@pytest.mark.parametrize('method', ['find', 'count', 'updateAll', 'destroyAll'])
def test_too_complex_is_a_400_through_the_callback(Item, method):
    where = {'name': {'regexp': '^(a|a)*\\1?$'}}
    args = {'find': ({'where': where},), 'count': (where,), 'updateAll': (where, {'name': 'x'}),
            'destroyAll': (where,)}[method]
    err, result, seconds = _call(getattr(Item, method), *args)
    assert isinstance(err, LoopBackError), (err, result)
    assert (err.statusCode, err.code) == (400, 'REGEXP_TOO_COMPLEX')
    assert seconds < 1.0
    err, count, _ = _call(Item.count, {})
    assert count == 4
    assert _call(Item.count, {'name': 'x'})[1] == 0


def test_sqlite_function_error_is_not_a_stray_operational_error(tmp_path):
    import sqlite3
    from loopback_compat.connectors import sqlite as lb_sqlite
    session = lb_sqlite.Session(str(tmp_path / 's.db'), 1000)
    try:
        session.execute('CREATE TABLE t (v TEXT)', [])
        session.execute('INSERT INTO t VALUES (?), (?)', ['a' * 40 + '!', 'b'])
        src = filters.to_regexp('^(a|a)*\\1?$')
        with pytest.raises(LoopBackError) as err:
            session.execute('SELECT v FROM t WHERE lb_regexp(?, ?, v)', [src.pattern, 0])
        assert err.value.code == 'REGEXP_TOO_COMPLEX'
        # the next statement starts with a fresh budget, and a plain SQL error stays one
        assert session.execute('SELECT v FROM t WHERE lb_regexp(?, ?, v)', ['b', 0])[0] == [('b',)]
        with pytest.raises(sqlite3.OperationalError):
            session.execute('SELECT nope FROM t', [])
    finally:
        session.close()
