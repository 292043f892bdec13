"""inq/nin lists longer than a driver binds parameters, for the SQL connector tests.

node-postgres and psycopg bind at most 65,535 parameters per statement and
SQLite 32,766 by default; LB3's SQL connectors send one per value.  These
scenarios run the same 100,000-value queries on a data source of the
connector under test and on a memory one, for each way a where reaches SQL
(find, count, updateAll, destroyAll, findByIds, include, array properties);
the answers must be the same.  Dates are checked on the SQL connectors only
(memory compares Date objects in an inq list by identity: they never match).
"""

import datetime as dt
import functools

import loopback_compat as lb

N = 100000
ROWS = 1000


def models(ds):
    Note = ds.createModel('Note', {
        'text': 'string', 'n': 'number', 'tags': ['string'], 'at': 'date'})
    Item = ds.createModel('Item', {'label': 'string'})
    Note.hasMany(Item, foreignKey='noteId', as_='items')
    Item.belongsTo(Note, foreignKey='noteId', as_='note')
    return Note, Item


def _seed(Note, Item):
    day = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    lb.await_(Note.create([{'text': 't%d' % i, 'n': i + 0.5 if i % 7 == 0 else i,
                            'tags': ['g%d' % (i % 10), 'x'], 'at': day + dt.timedelta(days=i)}
                           for i in range(1, ROWS + 1)]))
    lb.await_(Item.create([{'label': 'i%d' % i, 'noteId': i} for i in range(1, ROWS + 1, 3)]))


def reads(ds):
    """The answers of every read: plain values, comparable across connectors."""
    Note, Item = models(ds)
    ids = list(range(500, 500 + N))
    texts = ['t%d' % i for i in range(N)]
    # numbers of every kind, on an integer id: 2.5 must not match 2
    mixed = list(range(ROWS + 1, ROWS + 1 + N)) + [2.5, 3.0, '4', 7.5]

    def ids_of(found):
        return sorted(row.id for row in found)

    def main():
        lb.await_(ds.automigrate())
        _seed(Note, Item)
        out = {
            'find inq': ids_of(lb.await_(Note.find({'where': {'id': {'inq': ids}}}))),
            'find nin': ids_of(lb.await_(Note.find({'where': {'id': {'nin': ids}}}))),
            'find mixed': ids_of(lb.await_(Note.find({'where': {'id': {'inq': mixed}}}))),
            'count inq': lb.await_(Note.count({'id': {'inq': ids}})),
            'count nin': lb.await_(Note.count({'id': {'nin': ids}})),
            'count text inq': lb.await_(Note.count({'text': {'inq': texts}})),
            'count text nin': lb.await_(Note.count({'text': {'nin': texts[:ROWS // 2]}})),
            'count number inq': lb.await_(Note.count({'n': {'inq': [i + 0.5 for i in range(N)]}})),
            'count inq with null': lb.await_(Note.count({'id': {'inq': ids + [None]}})),
            'count inq and or': lb.await_(Note.count({'or': [
                {'id': {'inq': ids}}, {'text': {'inq': texts[:300]}}]})),
            'array inq': ids_of(lb.await_(Note.find({'where': {'tags': {
                'inq': ['g3'] + ['h%d' % i for i in range(N)]}}}))),
            'array nin': lb.await_(Note.count({'tags': {'nin': ['g%d' % i for i in range(1, 10)]
                                                        + ['h%d' % i for i in range(N)]}})),
            'findByIds': [n.id for n in lb.await_(Note.findByIds(list(range(N, 0, -1))))][:5],
        }
        return out
    return lb.run(main)


def writes(ds):
    """updateAll and destroyAll with 100,000-value lists."""
    Note, Item = models(ds)

    def main():
        lb.await_(ds.automigrate())
        _seed(Note, Item)
        ids = list(range(1, 2 * N, 2))      # the odd ids, N of them
        updated = lb.await_(Note.updateAll({'id': {'inq': ids}}, {'text': 'odd'}))
        kept = lb.await_(Note.updateAll({'id': {'nin': ids}}, {'n': -1}))
        texts = sorted({n.text for n in lb.await_(Note.find({'where': {'n': -1}}))})
        destroyed = lb.await_(Note.destroyAll({'id': {'inq': ids}}))
        left = lb.await_(Note.count())
        gone = lb.await_(Item.destroyAll({'noteId': {'nin': list(range(1, N, 6))}}))
        return {'updated': updated['count'], 'kept': kept['count'], 'texts': texts,
                'destroyed': destroyed['count'], 'left': left, 'items gone': gone['count'],
                'items left': lb.await_(Item.count())}
    return lb.run(main)


INCLUDED = 70000     # include key lists past 65,535


def include_of_many(ds):
    """An include whose one query (inqLimit above the key count) lists 70,000 keys."""
    Note, Item = models(ds)
    ds.settings['inqLimit'] = 2 * N
    connector = ds.connector

    def main():
        lb.await_(ds.automigrate())
        _seed(Note, Item)
        table = connector.table('Item')
        lb.await_(connector.execute(
            'WITH RECURSIVE g(x) AS (SELECT %d UNION ALL SELECT x + 1 FROM g WHERE x < %d) '
            "INSERT INTO %s (%s, %s) SELECT 'bulk', x FROM g" % (
                ROWS + 1, INCLUDED, table.quoted, table.columns['label'].quoted,
                table.columns['noteId'].quoted)))
        items = lb.await_(Item.find({'include': 'note', 'fields': ['id', 'noteId']}))
        with_note = sorted(item.noteId for item in items if item.toJSON().get('note'))
        return len(items), with_note
    return lb.run(main)


def dates(ds):
    """How many notes a 100,000-date inq finds (SQL only: see the module doc)."""
    Note, Item = models(ds)
    day = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
    wanted = [day + dt.timedelta(days=i, hours=(i % 2) * 12) for i in range(N)]

    def main():
        lb.await_(ds.automigrate())
        _seed(Note, Item)
        return (lb.await_(Note.count({'at': {'inq': wanted}})),
                lb.await_(Note.count({'at': {'nin': wanted}})))
    return lb.run(main)


@functools.lru_cache(maxsize=None)
def memory_answers():
    """The memory connector's answers to :func:`reads` and :func:`writes` (once)."""
    return reads(lb.DataSource('memory')), writes(lb.DataSource('memory'))


def check(make, memory):
    """Every scenario, each on a fresh data source ``make()``: memory's answers
    (``memory_answers()``), and the expected ones where memory has none."""
    read, written = memory
    assert reads(make()) == read
    assert writes(make()) == written
    count, with_note = include_of_many(make())
    assert count == INCLUDED - ROWS + len(range(1, ROWS + 1, 3))
    assert with_note == list(range(1, ROWS + 1, 3))
    assert dates(make()) == (ROWS // 2, ROWS - ROWS // 2)     # the even days match
