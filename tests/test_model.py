"""Model classes and instances: property spellings, coercion, ids, toObject/toJSON.

Expected values were checked against loopback-datasource-juggler 3.36.1
(same definitions, ``new Model(data)`` then toJSON/toObject).
"""

import datetime as dt

import pytest

import loopback_compat as lb
from loopback_compat.errors import LoopBackError
from loopback_compat.types import FLAT_VALUE_TYPES, INVALID_DATE, FlatRows


@pytest.fixture
def M(ds):
    return ds.createModel('M', {
        's': str, 'n': float, 'b': bool, 'd': dt.datetime, 'o': dict, 'a': [str],
        'an': 'any', 'na': [int], 'def': {'type': str, 'default': 'dflt'}, 'h': str,
    }, {'hidden': ['h']})


# -- property spellings -------------------------------------------------------

@pytest.mark.parametrize('spec, expected', [
    ('string', 'string'), ('String', 'string'), (str, 'string'), ({'type': 'String'}, 'string'),
    ('number', 'number'), ('Number', 'number'), (int, 'number'), (float, 'number'),
    ({'type': int}, 'number'), ('boolean', 'boolean'), (bool, 'boolean'),
    ('date', 'date'), ('Date', 'date'), (dt.datetime, 'date'),
    ('object', 'object'), (dict, 'object'), ('Object', 'object'),
    ('array', 'array'), (list, 'array'), ([str], 'array'), (['string'], 'array'),
    ({'type': [int]}, 'array'), ('any', 'any'), ('Any', 'any'),
])
def test_property_type_names(ds, spec, expected):
    Model = ds.createModel('P', {'p': spec})
    assert Model.definition.properties['p']['type'] == expected


def test_array_item_type(ds):
    Model = ds.createModel('P', {'tags': [str], 'nums': {'type': ['number']}})
    props = Model.definition.properties
    assert props['tags']['itemType'] == 'string'
    assert props['nums']['itemType'] == 'number'


def test_property_options_are_kept(ds):
    Model = ds.createModel('P', {'name': {'type': 'string', 'required': True, 'index': True}})
    assert Model.definition.properties['name'] == {'type': 'string', 'required': True,
                                                   'index': True}


def test_invalid_type_is_an_error(ds):
    with pytest.raises(LoopBackError) as info:
        ds.createModel('P', {'p': 42})
    assert info.value.message == 'Invalid type for property p'


# -- coercion -----------------------------------------------------------------

def _same(a, b):
    """``a == b``, NaN equal to NaN (juggler's setter stores NaN for what is no number)."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, float) and isinstance(b, float) and a != a:
        return b != b
    return a == b


NAN = float('nan')


@pytest.mark.parametrize('prop, value, expected', [
    ('n', '12', 12), ('n', 'abc', NAN), ('n', '', 0), ('n', True, 1), ('n', '1.5', 1.5),
    ('n', ' 7 ', 7),
    ('s', 12, '12'), ('s', True, 'true'), ('s', 1.5, '1.5'), ('s', [1, 2], '1,2'),
    ('s', {'a': 1}, '[object Object]'),
    ('b', 'false', False), ('b', '0', False), ('b', 'yes', True), ('b', '', False),
    ('b', 0, False), ('b', [], True),
    ('a', [1, 2], ['1', '2']), ('a', '["x","y"]', ['x', 'y']), ('na', ['1', 'x'], [1, NAN]),
    ('o', '{"a":1}', '{"a":1}'), ('o', {'a': 1}, {'a': 1}), ('an', '5', 5),
])
def test_coercion_on_construction(M, prop, value, expected):
    assert _same(M({prop: value}).toJSON()[prop], expected)


def test_date_coercion(M):
    assert M({'d': '2020-01-01'}).d == dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    assert M({'d': 0}).d == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    assert M({'d': 'garbage'}).d is INVALID_DATE
    assert M({'d': 'garbage'}).toJSON()['d'] is None


def test_coercion_on_assignment(M):
    m = M({'s': 'x'})
    m.n = '42'
    m['b'] = 'true'
    assert (m.n, m.b) == (42, True)


def test_bad_array_value_is_a_400(M):
    with pytest.raises(LoopBackError) as info:
        M({'a': 5})
    assert (info.value.message, info.value.statusCode) == ('Items must be an array: 5', 400)
    with pytest.raises(LoopBackError) as info:
        M({'a': 'notjson'})
    assert info.value.message == 'could not create List from JSON string: "notjson"'


def test_create_with_bad_array_fails_through_callback(M):
    def main():
        try:
            lb.await_(M.create({'a': 5}))
        except LoopBackError as err:
            return err.message, err.statusCode
    assert lb.run(main) == ('Items must be an array: 5', 400)


def test_invalid_date_fails_validation_on_create(M):
    def main():
        try:
            lb.await_(M.create({'d': 'garbage'}))
        except lb.ValidationError as err:
            return err.message, err.details['codes']
    assert lb.run(main) == ('The `M` instance is not valid. Details: `d` is not a valid date '
                            '(value: Invalid Date).', {'d': ['date']})


# -- instances ----------------------------------------------------------------

def test_construction_spellings(M):
    assert M({'s': 'x'}).toJSON() == M(s='x').toJSON() == {'s': 'x', 'def': 'dflt'}


def test_attribute_and_item_access(M):
    m = M(s='x')
    assert m.s == m['s'] == 'x'
    m['s'] = 'y'
    assert m.s == 'y'
    assert m.n is None and m['n'] is None
    assert m.id is None


def test_defaults(ds):
    Model = ds.createModel('D', {'name': {'type': 'string', 'default': 'anon'},
                                 'when': {'type': 'date', 'default': '$now'},
                                 'tags': {'type': ['string'], 'default': []}})
    a, b = Model(), Model()
    assert a.name == 'anon' and isinstance(a.when, dt.datetime)
    a.tags.append('x')
    assert b.tags == []
    assert Model({'name': 'given'}).name == 'given'


def test_hidden_properties_are_left_out_of_to_json(M):
    m = M({'h': 'secret', 's': 'x'})
    assert m.toJSON() == {'s': 'x', 'def': 'dflt'}
    assert m.toObject() == {'s': 'x', 'def': 'dflt', 'h': 'secret'}


def test_dynamic_property_on_non_strict_model(M):
    m = M({'s': 'x'})
    m.extra = 5
    assert m.extra == 5
    assert m.toJSON() == {'s': 'x', 'def': 'dflt', 'extra': 5}
    if M.dataSource.isRelational():
        # juggler makes models on relational data sources strict by default, and
        # a strict model's toObject(onlySchema) leaves dynamic properties out
        assert M.settings['strict'] is True
        assert m.toObject(True) == {'s': 'x', 'def': 'dflt'}
    else:
        assert m.toObject(True) == {'s': 'x', 'def': 'dflt', 'extra': 5}


def test_strict_true_records_unknown_properties(ds):
    St = ds.createModel('St', {'name': str}, {'strict': True})
    st = St({'name': 'a', 'foo': 1})
    assert st.toJSON() == {'name': 'a'}
    assert st._unknown_properties == ['foo']
    assert not st.isValid()


def test_strict_filter_drops_unknown_properties(ds):
    Sf = ds.createModel('Sf', {'name': str}, {'strict': 'filter'})
    sf = Sf({'name': 'a', 'foo': 1})
    assert sf.toJSON() == {'name': 'a'} and sf._unknown_properties == []
    assert sf.isValid()


def test_private_data_slots(M):
    m = M({'s': 'x'})
    assert getattr(m, '__data') is m._data
    assert m._data == {'s': 'x', 'def': 'dflt'}
    assert m.isNewRecord() and getattr(m, '__persisted') is False


def test_equality_by_id(ds):
    Model = ds.createModel('E', {'name': str})

    def main():
        a = lb.await_(Model.create({'name': 'a'}))
        again = lb.await_(Model.findById(a.id))
        other = lb.await_(Model.create({'name': 'a'}))
        return a, again, other
    a, again, other = lb.run(main)
    assert a == again and a is not again
    assert a != other
    assert Model({'name': 'x'}) != Model({'name': 'x'})
    assert len({a, again, other}) == 2


@pytest.mark.lb_fiber
def test_property_named_like_a_static_keeps_the_static(ds):
    Model = ds.createModel('Counted', {'count': 'number'})
    inst = lb.await_(Model.create({'count': 3}))
    assert (inst.count, lb.await_(Model.count())) == (3, 1)


# -- ids ----------------------------------------------------------------------

def test_id_injection(ds):
    Model = ds.createModel('I', {'name': str})
    assert Model.definition.properties['id'] == {'type': 'number', 'id': 1, 'generated': True,
                                                 'updateOnly': True}
    assert Model.settings['forceId'] == 'auto'
    assert Model.definition.idName() == 'id'


def test_id_injection_false(ds):
    Model = ds.createModel('I', {'name': str}, {'idInjection': False})
    assert 'id' not in Model.definition.properties
    assert not Model.definition.hasPK()

    def main():
        try:
            lb.await_(Model.findById(1))
        except LoopBackError as err:
            return err.name, err.message
    assert lb.run(main) == ('PKMissingError', 'Primary key is missing for the I model')


def test_custom_id_name_and_id_alias(ds):
    Model = ds.createModel('C', {'code': {'type': 'string', 'id': True}})
    m = Model({'code': 'x'})
    assert m.id == 'x' and Model.definition.idName() == 'code'
    assert Model.settings['forceId'] is None  # juggler leaves it undefined


@pytest.mark.lb_fiber
def test_force_id_false_allows_explicit_id(ds):
    Model = ds.createModel('F', {'name': str}, {'forceId': False})
    assert lb.await_(Model.create({'id': 10, 'name': 'a'})).id == 10


@pytest.mark.lb_fiber
def test_generated_false_id(ds):
    Model = ds.createModel('G', {'id': {'type': 'number', 'id': True, 'generated': False}})
    assert Model.settings['forceId'] is None  # juggler leaves it undefined
    assert lb.await_(Model.create({'id': 7})).id == 7


@pytest.mark.lb_fiber
def test_define_property_later(ds):
    Model = ds.createModel('L', {'name': str})
    Model.defineProperty('age', {'type': 'number'})
    assert Model.definition.properties['age']['type'] == 'number'
    assert Model({'age': '3'}).age == 3
    lb.await_(Model.create({'age': '4'}))
    assert [m.age for m in lb.await_(Model.find({'where': {'age': '4'}}))] == [4]


def test_base_model_inheritance(ds):
    Base = ds.createModel('Base', {'name': str})
    Child = ds.createModel('Child', {'extra': 'number'}, {'base': 'Base'})
    assert set(Child.definition.properties) == {'name', 'extra', 'id'}
    assert issubclass(Child, Base)
    assert issubclass(Child, lb.PersistedModel)


def test_properties_named_data_and_options(ds):
    Model = ds.createModel('Odd', {'data': 'string', 'options': 'number'})
    m = Model(data='x', options='2')
    assert (m.data, m.options) == ('x', 2)


@pytest.mark.lb_fiber
def test_id_injection_replaces_a_plain_id_property(ds):
    # the LoopBack docs' account.json: "id" without "id": true, idInjection on
    Account = ds.createModel({'name': 'account', 'idInjection': True, 'properties': {
        'id': {'type': 'number', 'required': True}, 'acctmgr': {'type': 'string'}}})
    assert Account.definition.idNames() == ['id']
    assert Account.definition.properties['id']['generated'] is True
    assert lb.await_(Account.create({'acctmgr': 'x'})).id == 1


def test_dotted_property_names_are_refused(ds):
    with pytest.raises(LoopBackError) as info:
        ds.createModel('Dots', {'a.b': 'string'})
    assert info.value.message == ('Property names containing dot(s) are not supported. '
                                  'Model: Dots, property: a.b')


# -- the plain-row shortcut for loaded rows -----------------------------------

_LOAD_OPTS = {'applySetters': False, 'persisted': True, 'applyDefaultValues': True}


def _slots(inst):
    out = dict(inst.__dict__)
    # created on first use by the shortcut (the constructor makes them empty)
    for lazy in ('__unknownProperties', '__cachedRelations'):
        assert out.pop(lazy, None) in (None, [], {})
    return out


def _from_stored(Model, row, apply_defaults=True):
    """Model._build_loaded for one row: the instance when the shortcut built it, else None."""
    opts = dict(_LOAD_OPTS, applyDefaultValues=apply_defaults, fields=None)
    try:
        inst = Model._build_loaded([row], opts)[0]
    except LoopBackError:
        return None   # the constructor's own error (a bad array value)
    return None if '__unknownProperties' in inst.__dict__ else inst


from hypothesis import given, settings, strategies as st  # noqa: E402

_plain_values = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False),
                          st.text(max_size=3), st.sampled_from(['1', '1.5', 'x', '']),
                          st.datetimes(timezones=st.just(dt.timezone.utc)),
                          st.lists(st.integers(), max_size=2), st.just(lb.undefined))


@pytest.mark.parametrize('settings_', [{}, {'strict': True}, {'strict': 'filter'},
                                       {'persistUndefinedAsNull': True}])
def test_loaded_row_shortcut_builds_what_the_constructor_builds(settings_):
    ds = lb.DataSource('memory')
    Plain = ds.createModel('Plain', {'s': str, 'n': float, 'b': bool, 'd': dt.datetime,
                                     'sid': {'type': str, 'id': True}}, settings_)
    Defaults = ds.createModel('Defaults', {'s': {'type': str, 'default': 'x'}, 'n': float},
                              settings_)
    Other = ds.createModel('Other', {'o': dict, 'a': [str], 'n': float}, settings_)

    @settings(max_examples=150, deadline=None)
    @given(st.sampled_from([Plain, Defaults, Other]),
           st.dictionaries(st.sampled_from(['s', 'n', 'b', 'd', 'sid', 'id', 'o', 'a', 'zz']),
                           _plain_values, max_size=5),
           st.booleans())
    def check(Model, row, apply_defaults):
        opts = dict(_LOAD_OPTS, applyDefaultValues=apply_defaults)
        fast = _from_stored(Model, dict(row), apply_defaults)
        if fast is None:
            return
        assert type(fast) is Model
        assert _slots(fast) == _slots(Model(dict(row), opts))
        assert fast._unknown_properties == [] and fast._cached_relations == {}
    check()


def _without_lazy_slots(inst):
    return {k: v for k, v in inst.__dict__.items()
            if not (k in ('__unknownProperties', '__cachedRelations') and not v)}


@pytest.mark.parametrize('settings_', [{}, {'strict': True}, {'persistUndefinedAsNull': True}])
def test_loaded_rows_in_bulk_are_the_constructor_s_instances(settings_):
    # many rows at once: all plain ones take the batch path, any other row
    # sends the batch through the per-row checks; either way each instance
    # is what the constructor builds from its row
    ds = lb.DataSource('memory')
    Plain = ds.createModel('Plain', {'s': str, 'n': float, 'b': bool, 'd': dt.datetime},
                           settings_)
    Defaults = ds.createModel('Defaults', {'s': {'type': str, 'default': 'x'}, 'n': float},
                              settings_)
    row_strategy = st.dictionaries(st.sampled_from(['s', 'n', 'b', 'd', 'id', 'zz']),
                                   _plain_values, max_size=5)

    @settings(max_examples=150, deadline=None)
    @given(st.sampled_from([Plain, Defaults]), st.lists(row_strategy, min_size=2, max_size=6),
           st.booleans(), st.booleans())
    def check(Model, rows, apply_defaults, adopt):
        opts = dict(_LOAD_OPTS, applyDefaultValues=apply_defaults, fields=None)
        try:
            wanted = [Model(dict(row), opts) for row in rows]
        except LoopBackError:
            return
        given_rows = [dict(row) for row in rows]
        built = Model._build_loaded(given_rows, opts, adopt)
        assert [type(inst) for inst in built] == [Model] * len(rows)
        assert [_without_lazy_slots(i) for i in built] == \
            [_without_lazy_slots(i) for i in wanted]
        if not adopt:
            assert given_rows == rows    # the caller's rows are left as they were
        if any(type(v) not in FLAT_VALUE_TYPES for row in rows for v in row.values()):
            return
        # the same rows as a connector's FlatRows (its checked flat values)
        flat = FlatRows(dict(row) for row in rows)
        assert [_without_lazy_slots(i) for i in Model._build_loaded(flat, opts, adopt)] == \
            [_without_lazy_slots(i) for i in wanted]
    check()


def test_loaded_rows_in_bulk_coerce_ids_and_adopt_only_when_told(ds):
    Model = ds.createModel('Row', {'name': str})
    opts = dict(_LOAD_OPTS, fields=None)
    rows = [{'id': '1', 'name': 'a'}, {'id': 2, 'name': 'b'}, {'name': 'no id'}]
    built = Model._build_loaded(rows, opts)
    assert [inst.id for inst in built] == [1, 2, None]
    assert rows[0]['id'] == '1' and all(i._data is not r for i, r in zip(built, rows))
    adopted = Model._build_loaded(rows, opts, adopt=True)
    assert [inst.id for inst in adopted] == [1, 2, None]
    assert all(i._data is r for i, r in zip(adopted, rows))


def test_loaded_row_shortcut_covers_plain_rows_and_leaves_the_rest(ds):
    Model = ds.createModel('Row', {'name': str, 'n': float})
    assert _from_stored(Model, {'id': 1, 'name': 'a', 'n': 2}) is not None
    assert _from_stored(Model, {'id': '1', 'name': 'a'}).id == 1   # the id is still coerced
    assert _from_stored(Model, {'id': 1, 'name': 'a', 'extra': 1}) is None   # undeclared
    assert _from_stored(Model, {'id': 1, 'name': ['a']}) is None            # not a plain value
    Model.setter['name'] = lambda inst, value: None
    assert _from_stored(Model, {'id': 1, 'name': 'a'}) is None              # custom setter
    Model.setter.clear()
    Model.defineProperty('tags', {'type': ['string']})
    assert _from_stored(Model, {'id': 1, 'name': 'a'}) is None              # a structured property


def test_loaded_row_shortcut_sees_a_retyped_foreign_key(ds):
    Parent = ds.createModel('Parent', {'id': {'type': str, 'id': True}})
    Child = ds.createModel('Child', {'parentId': 'number'})
    assert _from_stored(Child, {'id': 1, 'parentId': 2}) is not None
    Child.belongsTo(Parent, foreignKey='parentId', as_='parent')
    assert Child.definition.properties['parentId']['type'] == 'string'
    found = []
    lb.run(lambda: Child.create({'parentId': 7}, lambda err, c: Child.findById(
        c.id, lambda err, got: found.append(got))))
    assert found[0].parentId == '7'


def test_construction_sees_defaults_and_structured_properties_added_later(ds):
    # the pass over the properties is skipped while the model has nothing to
    # fill in; a property added later with a default (or a structured one)
    # turns it back on
    Model = ds.createModel('Later', {'name': str})
    assert Model({'name': 'a'}).toObject() == {'name': 'a'}
    Model.defineProperty('n', {'type': 'number', 'default': 5})
    assert Model({'name': 'b'}).toObject() == {'name': 'b', 'n': 5}
    Model.defineProperty('tags', {'type': ['string']})
    assert Model({'tags': '["x"]'}).tags == ['x']
    Plain = ds.createModel('Nulls', {'name': str}, {'persistUndefinedAsNull': True})
    assert Plain({}).toObject() == {'name': None, 'id': None}


def test_set_attributes_coerces_declared_properties_and_honours_overrides(ds):
    Model = ds.createModel('Attrs', {'n': 'number', 'name': 'string'})
    inst = Model({'n': 1})
    inst.setAttributes({'n': '2', 'name': 5, 'extra': [1]})
    assert inst.toObject(False) == {'n': 2, 'name': '5', 'extra': [1]}
    Model.setter['name'] = lambda obj, value: obj.__setitem__('$name', value.upper())
    inst.setAttributes({'name': 'abc'})
    assert inst.name == 'ABC'
    seen = []

    class Traced(Model):
        def setAttribute(self, name, value):   # a subclass that reroutes each key
            seen.append(name)
            super().setAttribute(name, value)
    Traced({}).setAttributes({'n': 3, 'name': 'x'})
    assert seen == ['n', 'name']


# -- derived models: extend, base, attachTo, the model builder -----------------

@pytest.mark.lb_fiber
def test_extend_copies_properties_merges_settings_and_is_attached_later(ds):
    Base = ds.createModel('Base', {'name': str}, {'hidden': ['a'], 'custom': {'x': 1},
                                                  'acls': [{'permission': 'ALLOW'}]})
    Child = Base.extend('Child', {'age': 'number'},
                        {'hidden': ['b'], 'custom': {'y': 2}, 'acls': [{'permission': 'DENY'}]})
    assert Child.base is Base and Child.super_ is Base and issubclass(Child, Base)
    assert set(Child.definition.properties) == {'name', 'age', 'id'}
    assert Child.definition.properties['name'] is not Base.definition.properties['name']
    # juggler's legacy merge policy: hidden is a union, objects are deep-merged,
    # acls are ranked by inheritance level; 'base' is the base model
    assert Child.settings['hidden'] == ['a', 'b']
    assert Child.settings['custom'] == {'x': 1, 'y': 2}
    assert [(acl['permission'], acl['__rank']) for acl in Child.settings['acls']] == \
        [('ALLOW', 1), ('DENY', 2)]
    assert Child.settings['base'] is Base
    assert Base.settings['hidden'] == ['a'] and 'y' not in Base.settings['custom']
    # not attached until attachTo (it inherits the DAO methods, not the data source)
    assert Child.dataSource is None and 'Child' in ds.models
    Child.attachTo(ds)
    assert Child.dataSource is ds
    child = lb.await_(Child.create({'name': 'c', 'age': '3'}))
    lb.await_(Base.create({'name': 'b'}))
    assert (child.age, lb.await_(Child.count()), lb.await_(Base.count())) == (3, 1, 1)
    assert [c.name for c in lb.await_(Child.find())] == ['c']


def test_extend_removes_and_redefines_inherited_properties(ds):
    Base = ds.createModel('Base', {'username': str, 'email': str, 'bio': str})
    Child = Base.extend('Child', {'username': None, 'email': False,
                                  'code': {'type': str, 'id': True}})
    assert set(Child.definition.properties) == {'bio', 'code'}   # the inherited id too
    assert Child.definition.idName() == 'code'
    assert Child.settings['forceId'] is False


@pytest.mark.lb_fiber
def test_a_base_named_in_a_json_definition(ds):
    ds.createModel({'name': 'Animal', 'properties': {'name': {'type': 'string',
                                                              'required': True}},
                    'options': {'hidden': ['secret']}})
    Dog = ds.createModel({'name': 'Dog', 'base': 'Animal', 'properties': {'barks': 'boolean'},
                          'hidden': ['other']})
    Animal = ds.models['Animal']
    assert Dog.base is Animal and issubclass(Dog, Animal)
    assert Dog.settings['base'] == 'Animal'
    assert set(Dog.definition.properties) == {'name', 'barks', 'id'}
    assert Dog.settings['hidden'] == ['secret', 'other']
    rex = lb.await_(Dog.create({'name': 'Rex', 'barks': True}))
    assert lb.await_(Dog.findById(rex.id)).barks is True
    assert lb.await_(Animal.count()) == 0     # each model its own storage
    with pytest.raises(lb.ValidationError):
        lb.await_(Dog.create({'barks': False}))


def test_sub_model_observers_run_after_the_base_s(ds):
    calls = []
    Base = ds.createModel('Base', {'name': str})
    Child = Base.extend('Child', {})
    Child.attachTo(ds)
    lb.PersistedModel.observe('before save', lambda ctx, next_: (calls.append('all'), next_()))
    try:
        Base.observe('before save', lambda ctx, next_: (calls.append('base'), next_()))
        Child.observe('before save', lambda ctx, next_: (calls.append('child'), next_()))
        lb.run(lambda: lb.await_(Child.create({'name': 'x'})))
        assert calls == ['all', 'base', 'child']
        del calls[:]
        lb.run(lambda: lb.await_(Base.create({'name': 'y'})))
        assert calls == ['all', 'base']
    finally:
        lb.PersistedModel.clearObservers('before save')


@pytest.mark.lb_fiber
def test_a_model_builder_model_gets_the_dao_when_attached(ds):
    builder = lb.ModelBuilder()
    Color = builder.define('Color', {'name': str, 'count': 'number'})
    assert not hasattr(Color, 'create') and Color.dataSource is None
    assert Color.settings == {'strict': False, 'forceId': 'auto'}
    events = []
    Color.on('dataAccessConfigured', lambda model: events.append(('dao', model)))
    Color.once('dataSourceAttached', lambda model: events.append(('attached', model)))
    ds.attach(Color)
    assert events == [('dao', Color), ('attached', Color)]
    assert issubclass(Color, lb.PersistedModel) and ds.models['Color'] is Color
    assert Color.modelBuilder is ds.modelBuilder
    red = lb.await_(Color.create({'name': 'red', 'count': 2}))
    # a property named like a DAO static keeps both
    assert (red.count, lb.await_(Color.count())) == (2, 1)
    assert ds.attach(Color) is Color and len(events) == 2   # attached already


def test_statics_are_not_seen_by_instances():
    Thing = lb.DataSource('memory').createModel('Thing', {'name': str})
    thing = Thing({'name': 'a', 'base': 'x', 'on': 1})   # dynamic properties
    assert (thing.base, thing.on) == ('x', 1)
    assert Thing.base is lb.PersistedModel and callable(Thing.on)
    with pytest.raises(AttributeError):
        Thing({}).extend


def test_placeholder_models_resolve_in_place():
    builder = lb.ModelBuilder()
    Order = builder.define('Order', {}, {'models': {'Customer': 'Customer'}})
    placeholder = Order.Customer
    assert placeholder.settings == {'unresolved': True}
    with pytest.raises(LoopBackError, match='Model Customer is not defined.'):
        placeholder({})
    Customer = builder.define('Customer', {'name': str})
    assert Customer is placeholder and Order.Customer is Customer
    assert Customer({'name': 'x'}).name == 'x' and 'unresolved' not in Customer.settings


def test_get_merge_policy_and_configure_model_merge():
    builder = lb.ModelBuilder()
    Base = builder.define('Base', {}, {'relations': {'a': {'type': 'belongsTo'}},
                                       'tags': ['x'], 'drop': {'k': 1}})
    assert Base.getMergePolicy()['relations'] == {'patch': True}
    Child = Base.extend('Child', {}, {'configureModelMerge': True, 'tags': ['y'],
                                      'drop': None,
                                      'relations': {'b': {'type': 'hasOne'}}})
    # recommended policy: unknown keys are replaced, None deletes, relations patched
    assert Child.settings['tags'] == ['y'] and 'drop' not in Child.settings
    assert set(Child.settings['relations']) == {'a', 'b'}


# -- ModelDefinition: juggler's form (lib/model-definition.js) -----------------

def test_model_definition_built_from_raw_properties():
    import datetime as _dt
    from loopback_compat.model import ModelDefinition
    builder = lb.ModelBuilder()
    Address = builder.define('Address', {'street': str})
    User = ModelDefinition(builder, 'User', {
        'name': {'type': str, 'index': True, 'mysql': {'column': 'NAME'}},
        'when': _dt.datetime, 'scores': ['number'], 'home': 'Address',
        'pet': {'kind': str},
    }, {'mysql': {'tableName': 'USERS'}, 'indexes': {'ix': {'keys': {'name': 1}}}})
    assert User.rawProperties['scores'] == ['number']
    assert User.properties['home']['model'] is Address
    assert not User.hasPK() and User.idName() is None
    json = User.toJSON()
    assert json['properties']['name'] == {'type': 'String', 'index': True,
                                          'mysql': {'column': 'NAME'}}
    assert json['properties']['scores'] == {'type': ['Number']}
    assert json['properties']['home'] == {'type': 'Address'}
    assert json['properties']['pet'] == {'type': {'kind': {'type': 'String'}}}
    assert User.toJSON() is json                       # cached until rebuilt
    assert User.tableName('mysql') == 'USERS' and User.tableName('oracle') == 'User'
    assert User.columnName('mysql', 'name') == 'NAME'
    assert User.columnNames('mysql') == ['NAME', 'when', 'scores', 'home', 'pet']
    assert User.columnMetadata('mysql', 'when') is None
    assert User.indexes() == {'ix': {'keys': {'name': 1}}, 'name_index': True}
    User.defineProperty('uid', {'type': 'string', 'id': True})
    assert User.idName() == 'uid' and User.idColumnName('mysql') == 'uid'
    assert User.toJSON()['properties']['uid'] == {'type': 'String', 'id': True}


def test_model_definition_from_a_schema_and_its_assertions():
    from loopback_compat.model import ModelDefinition
    schema = ModelDefinition(None, {'name': 'Todo', 'properties': {'title': 'string'}})
    assert schema.name == 'Todo' and schema.properties == {'title': {'type': 'string'}}
    assert schema.settings == {}
    with pytest.raises(lb.AssertionError_, match='name is missing'):
        ModelDefinition(lb.ModelBuilder(), '')


def test_a_model_class_definition_in_json():
    ds = lb.DataSource('memory')
    Thing = ds.define('Thing', {'name': str, 'tags': [str]})
    props = Thing.definition.toJSON()['properties']
    assert props == {'name': {'type': 'String'}, 'tags': {'type': ['String']},
                     'id': {'type': 'Number', 'id': 1, 'generated': True, 'updateOnly': True}}


def test_a_property_named_constructor():
    ds = lb.DataSource('memory')
    with pytest.warns(DeprecationWarning, match='Property name should not be "constructor"'):
        ds.define('Ctor', {'constructor': str})
    Plain = ds.define('Plain', {'name': str})
    with pytest.raises(LoopBackError, match='"constructor" is not allowed in Plain data'):
        Plain({'constructor': 'x'})
    assert Plain({'constructor': None, 'name': 'a'}).name == 'a'   # a falsy one is no constructor
    assert Plain({'constructor': dict, 'name': 'b'}).name == 'b'   # nor is a function


def test_model_http_path():
    # juggler's ModelClass.http: {path: '/' + (settings.http.path || plural || pluralize(name))}
    ds = lb.DataSource('memory')
    assert ds.define('User', {}, {'http': {'path': 'accounts'}}).http.path == '/accounts'
    assert ds.define('Member', {}, {'http': {'path': '/people'}}).http == {'path': '/people'}
    assert ds.define('Category', {}).http.path == '/Categories'
    assert ds.define('Person', {}, {'plural': 'folk'}).http.path == '/folk'
    Thing = ds.define('Thing', {'http': str})
    assert Thing({'http': 'x'}).http == 'x'       # a property of that name is the instance's


@pytest.mark.lb_fiber
def test_an_overridden_lookup_model_picks_the_class_of_each_row(ds):
    # juggler's find: new (Model.lookupModel(data))(data) for each row read
    Product = ds.define('Product', {'name': str, 'kind': str})
    Tool = ds.define('Tool', {'name': str, 'kind': str},
                     {'base': 'Product', 'memory': {'collection': 'Product'},
                      'sqlite3': {'table': 'Product'}, 'postgresql': {'table': 'product'}})
    lb.await_(ds.automigrate())
    lb.await_(Product.create([{'name': 'hammer', 'kind': 'Tool'}, {'name': 'soap', 'kind': 'x'}]))
    assert {type(p) for p in lb.await_(Product.find())} == {Product}   # the DAO's: the model
    seen = []

    def lookup(cls, data):
        seen.append(data['name'])
        return Tool if data.get('kind') == 'Tool' else cls
    Product.lookupModel = classmethod(lookup)
    found = lb.await_(Product.find({'order': 'name'}))
    assert [(type(p), p.name) for p in found] == [(Tool, 'hammer'), (Product, 'soap')]
    assert sorted(seen) == ['hammer', 'soap']
    assert type(lb.await_(Product.findOne({'where': {'name': 'hammer'}}))) is Tool
    assert found[0].toObject() == {'id': 1, 'name': 'hammer', 'kind': 'Tool'}
    del Product.lookupModel
    assert {type(p) for p in lb.await_(Product.find())} == {Product}
