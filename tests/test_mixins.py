"""Mixins: builder.mixins.define, the ``mixins`` setting, Model.mixin (mixins.py)."""

import pytest

import loopback_compat as lb
from loopback_compat.errors import AssertionError_, LoopBackError


def timestamps(Model, options):
    """A mixin as LB3 writes them: ``module.exports = function(Model, options)``."""
    Model.defineProperty(options.get('createdAt', 'createdAt'), {'type': 'date'})
    Model.stamped = getattr(Model, 'stamped', 0) + 1


def source_with(ds, **mixins):
    for name, fn in mixins.items():
        ds.modelBuilder.mixins.define(name, fn)
    return ds


@pytest.mark.lb_fiber
def test_mixin_setting_applies_a_function_on_every_connector(ds):
    source_with(ds, TimeStamp=timestamps)
    Note = ds.createModel('Note', {'text': str}, {'mixins': {'TimeStamp': True}})
    assert Note.definition.properties['createdAt'] == {'type': 'date'}
    assert Note.stamped == 1
    # the property the mixin added is stored like any other
    when = lb.await_(Note.create({'text': 'a', 'createdAt': '2020-01-02T03:04:05.000Z'}))
    found = lb.await_(Note.findById(when.id))
    assert found.createdAt.year == 2020 and found.text == 'a'


def test_mixin_options_forms(ds):
    seen = []

    def record(Model, options):
        seen.append(options)
    source_with(ds, Rec=record)
    ds.createModel('A', {}, {'mixins': {'Rec': True}})
    ds.createModel('B', {}, {'mixins': {'Rec': {'x': 1}}})
    ds.createModel('C', {}, {'mixins': {'Rec': [{'n': 1}, True, {'n': 2}]}})
    ds.createModel('D', {}, {'mixins': {'Rec': False}})
    assert seen == [{}, {'x': 1}, {'n': 1}, {}, {'n': 2}]


def test_a_mixin_may_declare_fewer_parameters(ds):
    def only_model(Model):
        Model.touched = True
    source_with(ds, Touch=only_model)
    M = ds.createModel('M', {}, {'mixins': {'Touch': {'ignored': 1}}})
    assert M.touched is True


def test_unknown_mixin_is_juggler_s_error(ds):
    with pytest.raises(LoopBackError) as info:
        ds.createModel('Item', {'name': str}, {'mixins': {'Nope': True}})
    assert info.value.message == 'Model "Item" uses unknown mixin: Nope'
    Other = ds.createModel('Other', {})
    with pytest.raises(LoopBackError) as info:
        Other.mixin('Nope', {})
    assert info.value.message == 'Model "Other" uses unknown mixin: Nope'


def test_a_mixin_must_be_callable():
    with pytest.raises(AssertionError_) as info:
        lb.ModelBuilder().mixins.define('Bad', {'not': 'a function'})
    assert info.value.message == 'The mixin must be a function or model class'


def test_a_mixin_waits_for_a_data_source(ds):
    builder = lb.ModelBuilder()
    builder.mixins.define('TimeStamp', timestamps)
    Loose = builder.define('Loose', {'name': str}, {'mixins': {'TimeStamp': True}})
    assert 'createdAt' not in Loose.definition.properties   # not attached yet
    Loose.attachTo(ds)
    assert Loose.definition.properties['createdAt'] == {'type': 'date'}
    assert Loose.stamped == 1


def test_a_model_of_the_builder_mixes_in_its_properties(ds):
    ds.modelBuilder.define('Address', {'street': {'type': 'string', 'required': True},
                                       'city': 'string'})
    Person = ds.createModel('Person', {'name': str, 'city': 'number'},
                            {'mixins': {'Address': True}})
    props = Person.definition.properties
    assert props['street'] == {'type': 'string', 'required': True}
    assert props['city'] == {'type': 'number'}    # the model's own property wins
    assert not Person({'name': 'x'}).isValid()    # street is required
    assert Person._mixins == [ds.modelBuilder.models['Address']]


def test_a_model_class_registered_as_a_mixin(ds):
    Tagged = lb.ModelBuilder().define('Tagged', {'tags': ['string']})
    ds.modelBuilder.mixins.define('Tags', Tagged)
    Post = ds.createModel('Post', {'title': str}, {'mixins': {'Tags': True}})
    assert Post.definition.properties['tags'] == {'type': 'array', 'itemType': 'string'}
    assert Tagged in Post._mixins


def test_mixin_of_a_plain_class_copies_its_methods(ds):
    class Greeter:
        greeting = 'hello'

        def greet(self):
            return '%s %s' % (self.greeting, self.name)

        @classmethod
        def kind(cls):
            return cls.modelName

    Person = ds.createModel('Person', {'name': str})
    Author = ds.createModel('Author', {'name': str})
    assert Person.mixin(Greeter) is Person
    assert Person({'name': 'Ann'}).greet() == 'hello Ann'
    assert Person.kind() == 'Person'
    assert Greeter in Person._mixins and Greeter not in Author._mixins
    assert not hasattr(Author, 'greet')
    Person.mixin(Greeter)                   # a class is mixed in once
    assert Person._mixins == [Greeter]


def test_mixin_keeps_the_model_s_own_attributes_unless_override(ds):
    class Loud:
        def shout(self):
            return 'mixin'

    Person = ds.createModel('Person', {'name': str})
    Person.shout = lambda self: 'own'
    Person.mixin(Loud)
    assert Person({}).shout() == 'own'
    Other = ds.createModel('Other', {'name': str})
    Other.shout = lambda self: 'own'
    Other.mixin(Loud, {'override': True})
    assert Other({}).shout() == 'mixin'


def test_mixins_are_inherited_by_sub_models(ds):
    source_with(ds, TimeStamp=timestamps)
    Base = ds.createModel('Base', {'name': str}, {'mixins': {'TimeStamp': True}})
    Child = ds.createModel('Child', {}, {'base': 'Base'})
    # juggler applies the base's mixins again to the sub-model (settings are merged)
    assert Child.settings['mixins'] == {'TimeStamp': True}
    assert 'createdAt' in Child.definition.properties
    assert Base.stamped == 1 and Child.__dict__['stamped'] == 2
