"""The shared SQL layer (connectors/sql/): naming, where/order/paging compilation.

Compilation needs no database: the connectors build SQL on the loop thread
and only hand finished statements to their worker threads.  The equivalence
test at the end runs the same data and filters through the memory and the
SQLite connectors and compares what comes back.
"""

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import loopback_compat as lb
from loopback_compat import filters
from loopback_compat.errors import LoopBackError

DIALECTS = ['sqlite', 'postgresql']


def make_ds(kind):
    if kind == 'sqlite':
        return lb.DataSource('sqlite', file=':memory:')
    pytest.importorskip('psycopg')
    # Nothing connects: the pool opens on first use, compilation needs none.
    return lb.DataSource('postgresql', url='postgresql://nobody@127.0.0.1:1/none')


@pytest.fixture(params=DIALECTS)
def kind(request):
    return request.param


@pytest.fixture
def model(kind):
    ds = make_ds(kind)
    Supplier = ds.createModel('Supplier', {
        'name': 'string', 'age': 'number', 'vip': 'boolean', 'since': 'date',
        'meta': 'object', 'tags': ['string'],
    })
    yield Supplier
    ds.disconnect(lambda *a: None)
    lb.run(lambda: None)


def compile_where(Model, where):
    connector = Model.getDataSource().connector
    info = connector.table(Model.modelName).info
    coerced = filters.coerce_where(where, info)
    return connector.compiler(Model.modelName).where(coerced)


def compile_select(Model, flt):
    connector = Model.getDataSource().connector
    info = connector.table(Model.modelName).info
    normal = filters.normalize_filter(flt, info)
    sql, params, _ = connector.compiler(Model.modelName).select(normal)
    return sql, params


# -- names ----------------------------------------------------------------------

def test_table_and_columns_are_lower_cased_and_quoted(model, kind):
    sql, params = compile_select(model, {'where': {'name': 'x'}})
    table = '"public"."supplier"' if kind == 'postgresql' else '"supplier"'
    assert 'FROM %s' % table in sql
    assert '"name"' in sql and '"age"' in sql and '"id"' in sql
    assert params == ['x']


@pytest.mark.parametrize('key', ['sqlite3', 'postgresql'])
def test_schema_table_and_column_overrides(key):
    kind = 'sqlite' if key == 'sqlite3' else 'postgresql'
    ds = make_ds(kind)
    Thing = ds.createModel('Thing', {
        'firstName': {'type': 'string', key: {'columnName': 'first_name'}},
        'count': {'type': 'number', key: {'dataType': 'bigint'}},
    }, {key: {'schema': 'app', 'table': 'THINGS'}})
    table = ds.connector.table('Thing')
    assert table.name == 'THINGS'
    assert table.columns['firstName'].name == 'first_name'
    assert table.columns['count'].db_type == 'BIGINT'
    sql, params = compile_select(Thing, {'where': {'firstName': 'a'}, 'order': 'firstName'})
    assert '"app"."THINGS"' in sql
    assert '"first_name"' in sql and 'firstName' not in sql


def test_property_names_keep_case_but_columns_are_lower_case(kind):
    ds = make_ds(kind)
    ds.createModel('Account', {'supplierId': 'number'})
    assert ds.connector.table('Account').columns['supplierId'].name == 'supplierid'


# -- where: values are parameters, identifiers come from the model ---------------

OPERATOR_CASES = [
    ({'name': 'qzx'}, ['qzx']),
    ({'age': {'gt': 3}}, [3]),
    ({'age': {'gte': 3}}, [3]),
    ({'age': {'lt': 3}}, [3]),
    ({'age': {'lte': 3}}, [3]),
    ({'age': {'between': [1, 9]}}, [1, 9]),
    ({'age': {'inq': [1, 2, 3]}}, [1, 2, 3]),
    ({'age': {'nin': [1, 2]}}, [1, 2]),
    ({'name': {'neq': 'qzx'}}, ['qzx']),
    ({'name': {'like': 'qz%'}}, None),
    ({'name': {'nlike': 'qz%'}}, None),
    ({'name': {'ilike': 'QZ%'}}, None),
    ({'name': {'nilike': 'QZ%'}}, None),
    ({'name': {'regexp': '^qz'}}, None),
    ({'name': {'regexp': '/^qz/i'}}, None),
    ({'or': [{'name': 'qzx'}, {'age': {'gt': 1}}]}, ['qzx', 1]),
    ({'and': [{'name': 'qzx'}, {'age': {'lt': 9}}]}, ['qzx', 9]),
    ({'name': None}, []),
]


def bound_list(model, values):
    """The parameters of an inq/nin list: one each on SQLite, one array on
    PostgreSQL (``= ANY(%s)``, so a list of any length is one parameter)."""
    return [values] if model.dataSource.settings['connector'] == 'postgresql' else values


@pytest.mark.parametrize('where,expected', OPERATOR_CASES)
def test_every_operator_compiles_with_bound_parameters(model, where, expected):
    sql, params = compile_where(model, where)
    assert sql
    clause = where.get('age')
    if isinstance(clause, dict) and ('inq' in clause or 'nin' in clause):
        expected = bound_list(model, expected)
    if expected is not None:
        assert params == expected
    else:
        assert params  # the pattern travels as a parameter
    for value in params:
        if isinstance(value, str):
            assert value not in sql


def test_hostile_values_stay_parameters(model):
    evil = "x'; DROP TABLE supplier; --"
    sql, params = compile_where(model, {'name': evil, 'or': [{'name': {'like': evil}}]})
    assert 'DROP' not in sql
    assert evil in params


@pytest.mark.parametrize('where', [
    {'nope': 1},
    {'name"; DROP TABLE supplier; --': 1},
    {'or': [{'bogus': 1}]},
])
def test_unknown_property_is_400(model, where):
    with pytest.raises(LoopBackError) as info:
        compile_where(model, where)
    assert info.value.statusCode == 400
    assert 'Unknown property' in info.value.message


def test_unknown_operator_is_400(model):
    connector = model.getDataSource().connector
    with pytest.raises(LoopBackError) as info:
        connector.compiler('Supplier').where({'age': {'gtx': 1}})
    assert info.value.statusCode == 400
    assert 'Unknown operator "gtx"' in info.value.message


def test_operators_on_arrays_test_each_element(model):
    sql, params = compile_where(model, {'tags': {'like': 'qz'}})
    assert sql.startswith('(EXISTS (SELECT 1 FROM json') and params


def test_null_semantics_follow_memory(model):
    sql, params = compile_where(model, {'name': {'neq': 'a'}})
    assert 'IS NULL OR' in sql  # neq also matches a missing value
    sql, params = compile_where(model, {'age': {'nin': [1]}})
    assert 'IS NULL OR' in sql
    sql, params = compile_where(model, {'age': {'inq': [1, None]}})
    assert 'IS NULL' in sql and params == bound_list(model, [1])
    sql, params = compile_where(model, {'age': {'inq': []}})
    assert sql == '1=0'


# -- order / fields / paging ------------------------------------------------------

def test_order_fields_limit_skip(model, kind):
    sql, params = compile_select(model, {'fields': ['name'], 'order': 'age DESC',
                                         'limit': 5, 'skip': 10})
    assert sql.startswith('SELECT "name" FROM')
    assert 'ORDER BY "age" DESC' in sql
    assert sql.rstrip().endswith('OFFSET %s' if kind == 'postgresql' else 'OFFSET ?')
    assert params[-2:] == [5, 10]
    # ties are broken by id ascending, as memory's stable id-ordered sort
    assert sql.index('"age" DESC') < sql.index('"id" ASC')


def test_unknown_order_key_as_the_lb3_connectors(model, kind):
    # LB3 sends ORDER BY "nope": PostgreSQL fails with 42703 (a 500 over REST),
    # SQLite reads the quoted name as a constant string and ignores it
    flt = {'order': ['Nope DESC', 'age ASC']}
    if kind == 'postgresql':
        with pytest.raises(LoopBackError) as info:
            compile_select(model, flt)
        assert info.value.message == 'column "nope" does not exist'
        assert info.value.code == '42703' and info.value.statusCode is None
        return
    sql, params = compile_select(model, flt)
    assert sql.endswith(' ORDER BY "age" ASC, "id" ASC') and params == []
    assert 'nope' not in sql.lower()


def test_order_into_an_unknown_path_of_a_known_property_is_400(model):
    with pytest.raises(LoopBackError) as info:
        compile_select(model, {'order': 'age.x DESC'})
    assert info.value.statusCode == 400 and info.value.code == 'INVALID_PROPERTY'


def test_strings_order_by_code_point_on_postgresql(kind):
    if kind != 'postgresql':
        pytest.skip('SQLite compares with BINARY already')
    ds = make_ds(kind)
    Thing = ds.createModel('Thing', {'name': 'string'})
    sql, _ = compile_select(Thing, {'order': 'name', 'where': {'name': {'gt': 'a'}}})
    assert '"name" COLLATE "C" ASC NULLS FIRST' in sql
    assert '"name" COLLATE "C" >' in sql


# -- results equal the memory connector's -------------------------------------------

NAMES = ['alpha', 'Alpha', 'beta', 'b%ta', 'gamma', '', 'a.c', 'abc', None]
ROWS = st.lists(st.fixed_dictionaries({
    'name': st.sampled_from(NAMES),
    'age': st.one_of(st.none(), st.integers(-3, 3), st.sampled_from([1.5, -0.5])),
    'vip': st.one_of(st.none(), st.booleans()),
    'since': st.one_of(st.none(), st.sampled_from([
        dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc),
        dt.datetime(2021, 6, 1, 12, 30, tzinfo=dt.timezone.utc)])),
}), max_size=8)

SCALAR_WHERE = st.one_of(
    st.fixed_dictionaries({'name': st.sampled_from(NAMES)}),
    st.fixed_dictionaries({'age': st.integers(-3, 3)}),
    st.fixed_dictionaries({'vip': st.booleans()}),
    st.builds(lambda op, v: {'age': {op: v}},
              st.sampled_from(['gt', 'gte', 'lt', 'lte', 'neq']), st.integers(-3, 3)),
    st.builds(lambda op, v: {'name': {op: v}},
              st.sampled_from(['gt', 'lt', 'neq']), st.sampled_from(NAMES[:-1])),
    st.builds(lambda v: {'age': {'between': sorted(v)}},
              st.lists(st.integers(-3, 3), min_size=2, max_size=2)),
    st.builds(lambda v: {'age': {'inq': v}}, st.lists(st.integers(-3, 3), max_size=3)),
    st.builds(lambda v: {'age': {'nin': v}}, st.lists(st.integers(-3, 3), max_size=3)),
    st.builds(lambda op, v: {'name': {op: v}},
              st.sampled_from(['like', 'nlike', 'ilike', 'nilike']),
              st.sampled_from(['a%', '%a', 'A_pha', 'b%', 'a.c', '%'])),
    st.builds(lambda v: {'name': {'regexp': v}},
              st.sampled_from(['^a', 'a$', '/^A/i', 'et'])),
    st.builds(lambda v: {'since': {'gt': v}},
              st.sampled_from(['2020-06-01T00:00:00Z', '2019-01-01T00:00:00Z'])),
    st.just({'name': None}),
    st.just({'age': None}),
)
WHERE = st.one_of(
    SCALAR_WHERE,
    st.builds(lambda a: {'or': a}, st.lists(SCALAR_WHERE, min_size=1, max_size=3)),
    st.builds(lambda a: {'and': a}, st.lists(SCALAR_WHERE, min_size=1, max_size=3)),
)
FILTER = st.fixed_dictionaries({'where': WHERE}, optional={
    'order': st.sampled_from(['age', 'age DESC', 'name', 'name DESC', ['vip', 'age DESC'],
                              'since DESC']),
    'limit': st.integers(1, 4),
    'skip': st.integers(0, 3),
    'fields': st.sampled_from([['name'], ['id', 'age']]),
})


def _run_on(ds, rows, flt):
    Model = ds.createModel('Person', {'name': 'string', 'age': 'number',
                                      'vip': 'boolean', 'since': 'date'})

    def main():
        lb.await_(ds.automigrate())
        if rows:
            lb.await_(Model.create([dict(r) for r in rows]))
        found = lb.await_(Model.find(flt))
        count = lb.await_(Model.count(flt['where']))
        return [f.toJSON() for f in found], count
    return lb.run(main)


def _normalise(result):
    # SQL leaves NULL columns out of rows (memory keeps an explicit None).
    rows, count = result
    return [{k: v for k, v in r.items() if v is not None} for r in rows], count


def equivalence_check(make_sql_ds, rows, flt):
    memory = _run_on(lb.DataSource('memory'), rows, flt)
    ds = make_sql_ds()
    try:
        sql = _run_on(ds, rows, flt)
    finally:
        ds.disconnect(lambda *a: None)
        lb.run(lambda: None)
    assert _normalise(sql) == _normalise(memory), (rows, flt)


def _no_null_name_like(rows, flt):
    """like/regexp on a missing value: memory matches the text 'null'/'undefined'."""
    text = repr(flt)
    return not (any(r.get('name') is None for r in rows) and
                any(op in text for op in ("'like'", "'nlike'", "'ilike'", "'nilike'", 'regexp')))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS, FILTER)
def test_sqlite_results_equal_memory(rows, flt):
    # SQL has no "null but present": a NULL column is a missing property.
    rows = [{k: v for k, v in r.items() if v is not None} for r in rows]
    if not _no_null_name_like(rows, flt):
        return
    equivalence_check(lambda: lb.DataSource('sqlite', file=':memory:'), rows, flt)


def test_known_difference_like_never_matches_a_missing_value():
    rows = [{'name': None}, {'name': 'nulled'}]
    flt = {'where': {'name': {'like': 'null'}}}
    memory = _run_on(lb.DataSource('memory'), rows, flt)
    ds = lb.DataSource('sqlite', file=':memory:')
    sql = _run_on(ds, rows, flt)
    assert len(memory[0]) == 2          # memory matches String(null) == 'null'
    assert [r['name'] for r in sql[0]] == ['nulled']


def test_regexp_pattern_object(model):
    sql, params = compile_where(model, {'name': re.compile('^a', re.I)})
    assert params


# -- dotted paths into object properties ------------------------------------------------

NESTED_ROWS = [{'name': 'a', 'address': {'city': 'Paris', 'zip': 75, 'ok': True, 'geo': {'lat': 1}}},
               {'name': 'b', 'address': {'city': 'Berlin', 'zip': 10, 'ok': False}},
               {'name': 'c'}]
NESTED_FILTERS = [
    {'where': {'address.city': 'Paris'}},
    {'where': {'address.zip': {'gt': 20}}},
    {'where': {'address.zip': {'between': [5, 20]}}},
    {'where': {'address.city': {'like': 'er'}}},
    {'where': {'address.city': {'regexp': '^p'}}},
    {'where': {'address.ok': True}},
    {'where': {'address.geo.lat': 1}},
    {'where': {'address.city': {'inq': ['Berlin', 'Rome']}}},
    {'where': {'address.city': {'neq': 'Paris'}}},
    {'where': {'address.city': None}},
    {'order': 'address.city DESC'},
    {'order': 'address.zip'},
]


def nested_results(ds):
    Person = ds.createModel('Person', {'name': 'string', 'address': 'object'})

    def main():
        lb.await_(ds.automigrate())
        lb.await_(Person.create([dict(r) for r in NESTED_ROWS]))
        return [[p.name for p in lb.await_(Person.find(f))] for f in NESTED_FILTERS]
    try:
        return lb.run(main)
    finally:
        ds.disconnect(lambda *a: None)
        lb.run(lambda: None)


ARRAY_ROWS = [{'name': 'a', 'tags': ['red', 'blue'], 'sizes': [1, 5]},
              {'name': 'b', 'tags': [], 'sizes': [10]},
              {'name': 'c'},
              {'name': 'd', 'tags': ['green'], 'sizes': []}]
ARRAY_FILTERS = [
    {'where': {'tags': 'red'}},
    {'where': {'tags': {'inq': ['green', 'blue']}}},
    {'where': {'tags': {'neq': 'red'}}},
    {'where': {'tags': {'nin': ['red']}}},
    {'where': {'tags': {'like': 'ee'}}},
    {'where': {'tags': {'regexp': '^b'}}},
    {'where': {'sizes': {'gt': 4}}},
    {'where': {'sizes': {'between': [2, 9]}}},
    {'where': {'sizes': {'lt': 2}}},
]


def array_results(ds):
    Item = ds.createModel('Item', {'name': 'string', 'tags': ['string'], 'sizes': ['number']})

    def main():
        lb.await_(ds.automigrate())
        lb.await_(Item.create([dict(r) for r in ARRAY_ROWS]))
        return [[p.name for p in lb.await_(Item.find(f))] for f in ARRAY_FILTERS]
    try:
        return lb.run(main)
    finally:
        ds.disconnect(lambda *a: None)
        lb.run(lambda: None)


def test_array_properties_match_memory_on_sqlite():
    expected = array_results(lb.DataSource('memory'))
    assert expected[0] == ['a'] and expected[6] == ['a', 'b']
    assert array_results(lb.DataSource('sqlite', file=':memory:')) == expected


def test_dotted_paths_match_memory_on_sqlite():
    expected = nested_results(lb.DataSource('memory'))
    assert expected[0] == ['a'] and expected[-2] == ['a', 'b', 'c']
    assert nested_results(lb.DataSource('sqlite', file=':memory:')) == expected


@pytest.mark.parametrize('key', ['address. city', "address.x'y", 'name.first', 'nope.x'])
def test_bad_dotted_paths_are_400(model, key):
    with pytest.raises(LoopBackError) as info:
        model.getDataSource().connector.compiler('Supplier').where({key: 'v'})
    assert info.value.statusCode == 400
