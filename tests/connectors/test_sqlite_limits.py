"""SQLite: inq/nin lists of any length, on every path that compiles them.

SQLite binds at most SQLITE_MAX_VARIABLE_NUMBER parameters per statement
(32,766 by default since 3.32; Debian builds raise it to 250,000, so the
connections here are set back to the default).  LB3's loopback-connector-
sqlite3 binds one per value; a longer list is passed as one JSON parameter
(sqlite.in_sql), and must answer as memory does.
"""

import sqlite3

import pytest

import loopback_compat as lb
from loopback_compat.connectors.sql import sqlite as sqlite_connector
import large_inq


def close(*sources):
    for source in sources:
        source.disconnect(lambda *a: None)
    lb.run(lambda: None)


@pytest.fixture
def default_limit(monkeypatch):
    """Every connection the connector opens binds at most 32,766 parameters."""
    opened = sqlite_connector.Session.__init__

    def init(self, *args, **kwargs):
        opened(self, *args, **kwargs)
        self.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32766)
    monkeypatch.setattr(sqlite_connector.Session, '__init__', init)


@pytest.fixture
def make(tmp_path, default_limit):
    made = []

    def make():
        ds = lb.DataSource('sqlite', file=str(tmp_path / ('db%d.sqlite' % len(made))))
        made.append(ds)
        return ds
    yield make
    close(*made)


def test_the_connections_have_the_default_limit(make):
    ds = make()
    Note = ds.createModel('Note', {'text': 'string'})
    params = ', '.join(['?'] * 40000)

    def main():
        lb.await_(ds.automigrate())
        try:
            lb.await_(ds.connector.execute('SELECT 1 WHERE 1 IN (%s)' % params, [1] * 40000))
        except Exception as err:    # noqa: BLE001 - the driver's refusal is the point
            return err
    err = lb.run(main)
    assert 'too many SQL variables' in str(err)
    assert Note


def test_a_100000_value_inq_or_nin_answers_as_memory_everywhere(make):
    large_inq.check(make, large_inq.memory_answers())


def test_long_and_short_lists_answer_alike(make, monkeypatch):
    """The JSON parameter compares as placeholders do: numbers of every kind,
    numeric text, text with U+0000, dates, booleans, null, on every column."""
    ds = make()
    Row = ds.createModel('Row', {'n': 'number', 's': 'string', 'b': 'boolean',
                                 'd': 'date', 'tags': ['string']})
    rows = [{'n': 1, 's': 'a', 'b': True, 'd': '2024-01-01T00:00:00.000Z', 'tags': ['x', '1']},
            {'n': 2.5, 's': 'a\x00b', 'b': False, 'd': '2024-01-02T12:00:00.000Z',
             'tags': ['y']},
            {'n': 3, 's': '3', 'b': None, 'd': None, 'tags': []},
            {'n': None, 's': None, 'b': True, 'd': '2024-01-03T00:00:00.000Z', 'tags': None}]
    lists = {'n': [1, 2.5, '3', 4.0, None, 2], 's': ['a', 'a\x00b', 3, 'a\x00'],
             'b': [False], 'd': ['2024-01-02T12:00:00.000Z', '2024-01-03'],
             'tags': ['1', 'y', 2]}

    def answers():
        found = {}
        for prop, values in lists.items():
            for op in ('inq', 'nin'):
                flt = {'where': {prop: {op: values}}, 'order': 'id'}
                found[prop, op] = [r.id for r in lb.await_(Row.find(flt))]
        return found

    def main():
        lb.await_(ds.automigrate())
        lb.await_(Row.create(rows))
        short = answers()
        monkeypatch.setattr(sqlite_connector, 'IN_LIST_MAX', 0)
        sql, params, _ = ds.connector.compiler('Row').select({'where': {'n': {'inq': [1, 2]}}})
        return short, answers(), sql, params
    short, long, sql, params = lb.run(main)
    assert 'json_each(?)' in sql and params[0] == '[1, 2]'
    assert long == short
    assert short['n', 'inq'] == [1, 2, 3, 4] and short['s', 'inq'] == [1, 2, 3]
