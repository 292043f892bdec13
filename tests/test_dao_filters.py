"""Filters through the DAO: where operators, coercion, order, fields, paging, errors.

Expected results were recorded from loopback-datasource-juggler 3.36.1 with
the same data (memory connector).  Runs on every connector via ``ds``.
"""

import pytest

import loopback_compat as lb
from loopback_compat.errors import LoopBackError

PEOPLE = [
    {'name': 'Ann', 'age': 30, 'born': '1990-01-01', 'vip': True},
    {'name': 'bob', 'age': 20, 'born': '2000-05-05', 'vip': False},
    {'name': 'Cid', 'age': 40},
    {'name': 'dan', 'age': 25, 'vip': True},
]


@pytest.fixture
def Person(ds):
    Person = ds.createModel('Person', {'name': str, 'age': 'number', 'born': 'date',
                                       'vip': bool})
    lb.run(lambda: lb.await_(Person.create(PEOPLE)))
    return Person


def names(Person, flt):
    return lb.run(lambda: [p.name for p in lb.await_(Person.find(flt))])


def error(promise_fn):
    def main():
        try:
            lb.await_(promise_fn())
        except LoopBackError as err:
            return err.message, err.statusCode
        raise AssertionError('no error')
    return lb.run(main)


@pytest.mark.parametrize('where, expected', [
    ({'age': {'gt': '25'}}, ['Ann', 'Cid']),
    ({'age': {'gte': 25}}, ['Ann', 'Cid', 'dan']),
    ({'age': {'lt': 25}}, ['bob']),
    ({'age': {'lte': 25}}, ['bob', 'dan']),
    ({'age': {'between': [20, 30]}}, ['Ann', 'bob', 'dan']),
    ({'age': {'inq': ['20', 40]}}, ['bob', 'Cid']),
    ({'age': {'nin': [20, 40]}}, ['Ann', 'dan']),
    ({'name': {'neq': 'Ann'}}, ['bob', 'Cid', 'dan']),
    ({'name': {'like': 'a%'}}, ['dan']),
    ({'name': {'nlike': 'a%'}}, ['Ann', 'bob', 'Cid']),
    ({'name': {'ilike': 'a%'}}, ['Ann', 'dan']),
    ({'name': {'nilike': 'a%'}}, ['bob', 'Cid']),
    ({'name': {'regexp': '^[A-C]'}}, ['Ann', 'Cid']),
    ({'name': {'regexp': '/^b/i'}}, ['bob']),
    ({'and': [{'age': {'gt': 20}}, {'vip': True}]}, ['Ann', 'dan']),
    ({'or': [{'age': 20}, {'name': 'Cid'}]}, ['bob', 'Cid']),
    ({'name': lb.undefined}, ['Ann', 'bob', 'Cid', 'dan']),
    ({'vip': None}, ['Cid']),
    ({'vip': 'true'}, ['Ann', 'dan']),
    ({'born': {'gt': '1995-01-01'}}, ['bob']),
    ({'age': '20'}, ['bob']),
])
def test_where_operators(Person, where, expected):
    assert names(Person, {'where': where}) == expected


@pytest.mark.parametrize('flt, expected', [
    ({'order': ['vip DESC', 'age ASC']}, ['dan', 'Ann', 'bob', 'Cid']),
    ({'order': 'age DESC, name'}, ['Cid', 'Ann', 'dan', 'bob']),
    ({'order': 'age', 'skip': 1, 'limit': 2}, ['dan', 'Ann']),
    ({'order': 'age', 'offset': 3}, ['Cid']),
    ({'limit': 1}, ['Ann']),
    ('{"where":{"age":{"lt":30}}}', ['bob', 'dan']),
])
def test_order_and_paging(Person, flt, expected):
    assert names(Person, flt) == expected


def test_fields(Person):
    def main():
        by_list = lb.await_(Person.find({'fields': ['name'], 'order': 'age', 'limit': 2}))
        by_dict = lb.await_(Person.find({'fields': {'age': False, 'born': False, 'vip': False},
                                         'order': 'age', 'limit': 1}))
        by_str = lb.await_(Person.find({'fields': 'name', 'limit': 1}))
        return ([p.toJSON() for p in by_list], [p.toJSON() for p in by_dict],
                [p.toJSON() for p in by_str])
    assert lb.run(main) == ([{'name': 'bob'}, {'name': 'dan'}], [{'name': 'bob', 'id': 2}],
                            [{'name': 'Ann'}])


@pytest.mark.parametrize('flt, expected', [
    ({'order': 'age SIDEWAYS'}, ('The order "age SIDEWAYS" has invalid direction', 400)),
    ({'skip': -1}, ('The offset/skip parameter -1 is not valid', 400)),
    ({'limit': 'x'}, ('The limit parameter "x" is not valid', 400)),
    ({'where': {'age': {'inq': 5}}},
     ('The age property has invalid clause {"inq":5}: Error: Value is not an array or '
      'object with sequential numeric indices', 400)),
    ({'where': {'and': 5}},
     ('The and operator has invalid clauses 5: Value is not an array or object with '
      'sequential numeric indices', 400)),
    ({'where': {'born': 'garbage'}}, ('Invalid date: garbage', None)),
    ({'where': 'x'}, ('The where clause "x" is not an object', 400)),
    ('{"where":}', ('Cannot parse JSON-encoded object value.', 400)),
    # a string that is no JSON object: juggler's assert (no statusCode)
    ('x', ('The query argument must be an object', None)),
])
def test_malformed_filters_are_errors_not_exceptions(Person, flt, expected):
    assert error(lambda: Person.find(flt)) == expected


def test_malformed_filter_reaches_the_callback(Person):
    seen = []

    def main():
        Person.find({'limit': 'x'}, lambda err=None, res=None: seen.append((err, res)))
    lb.run(main)
    assert seen[0][0].statusCode == 400 and seen[0][1] is None


@pytest.mark.lb_fiber
def test_count_update_and_destroy_coerce_where(Person):
    assert lb.await_(Person.count({'age': '20'})) == 1
    assert lb.await_(Person.updateAll({'age': {'lt': '25'}}, {'vip': 'true'})) == \
        {'count': 1}
    vips = [p.name for p in lb.await_(Person.find({'where': {'vip': True}}))]
    assert vips == ['Ann', 'bob', 'dan']
    assert lb.await_(Person.destroyAll({'age': {'gte': '30'}})) == {'count': 2}


def test_count_update_destroy_with_malformed_where(Person):
    message = ('The age property has invalid clause {"between":5}: Error: Value is not an '
               'array or object with sequential numeric indices')
    assert error(lambda: Person.count({'age': {'between': 5}})) == (message, 400)
    assert error(lambda: Person.destroyAll({'age': {'between': 5}})) == (message, 400)
    assert error(lambda: Person.updateAll({'age': {'between': 5}}, {'vip': True})) == \
        (message, 400)
    assert lb.run(lambda: lb.await_(Person.count())) == 4


@pytest.mark.lb_fiber
def test_find_one_and_find_by_id_use_filters(Person):
    first = lb.await_(Person.findOne({'where': {'vip': True}, 'order': 'age DESC'}))
    partial = lb.await_(Person.findById(3, {'fields': ['age']}))
    assert (first.name, partial.toJSON()) == ('Ann', {'age': 40})
