"""juggler 3.36.1 test/mixins.test.js, ported (issue 18).

juggler builds its own ``ModelBuilder`` and ``new DataSource('mem', {connector:
Memory}, modelBuilder)`` data sources, so these cases stay on memory.  The
names are juggler's exports: ``lb.ModelBuilder``, ``modelBuilder.mixins``,
``lb.Memory`` (the memory connector, as DESIGN.md spells it), the third
argument of ``lb.DataSource``.

juggler builds the model builder and defines the ``TimeStamp`` mixin when the
file loads, and its first case defines ``Example``, ``Demo`` and ``Multi``
which a later case applies: here :func:`model_builder` does the former for
each case and :func:`define_example_mixins` the latter where it is needed.
A mixin's ``Model.prototype.example = fn`` is a method set on the class; the
legacy ``Model.beforeSave`` hook is called with the instance first.
"""

import datetime as _dt

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome

#: the TimeStamp mixin sets Model.beforeSave: juggler prints its deprecation
#: (depd); here it is a DeprecationWarning (loopback_compat/hooks.py)
LEGACY_HOOK_DEPRECATION = pytest.mark.filterwarnings(
    'ignore:Model hook .* is deprecated:DeprecationWarning')


def timestamps(Model, options):
    Model.defineProperty('createdAt', {'type': _dt.datetime})
    Model.defineProperty('updatedAt', {'type': _dt.datetime})

    original_before_save = getattr(Model, 'beforeSave', None)

    def before_save(inst, next_, data, *args):
        Model.applyTimestamps(data, inst.isNewRecord())
        if data['createdAt']:
            inst.createdAt = data['createdAt']
        if data['updatedAt']:
            inst.updatedAt = data['updatedAt']
        if original_before_save:
            original_before_save(inst, next_, data, *args)
        else:
            next_()
    Model.beforeSave = before_save

    def apply_timestamps(data, creation):
        data['updatedAt'] = _dt.datetime.now(_dt.timezone.utc)
        if creation:
            data['createdAt'] = data['updatedAt']
    Model.applyTimestamps = apply_timestamps


def model_builder():
    """The file's top level: a ModelBuilder with the TimeStamp mixin."""
    modelBuilder = lb.ModelBuilder()
    mixins = modelBuilder.mixins
    mixins.define('TimeStamp', timestamps)
    return modelBuilder, mixins


def define_example_mixins(mixins):
    """The body of 'should define mixins'."""
    def example(Model, options):
        def example_method(self):
            return options
        Model.example = example_method
    mixins.define('Example', example)

    def demo(Model, options):
        Model.demoMixin = options['value']
    mixins.define('Demo', demo)

    def multi(Model, options):
        Model.multiMixin = getattr(Model, 'multiMixin', None) or {}
        Model.multiMixin[options['key']] = options['value']
    mixins.define('Multi', multi)


# -- Model class ------------------------------------------------------------------------

def test_model_class__should_define_mixins():
    modelBuilder, mixins = model_builder()
    define_example_mixins(mixins)


def test_model_class__should_apply_a_mixin_class():
    modelBuilder, mixins = model_builder()
    modelBuilder.define('Address', {
        'street': {'type': 'string', 'required': True},
        'city': {'type': 'string', 'required': True},
    })

    memory = lb.DataSource('mem', {'connector': lb.Memory}, modelBuilder)
    Item = memory.createModel('Item', {'name': 'string'}, {'mixins': {'Address': True}})

    properties = Item.definition.properties

    assert properties['street'] == {'type': 'string', 'required': True}
    assert properties['city'] == {'type': 'string', 'required': True}


def test_model_class__should_fail_to_apply_an_undefined_mixin_class():
    modelBuilder, mixins = model_builder()
    memory = lb.DataSource('mem', {'connector': lb.Memory}, modelBuilder)

    def apply_mixin():
        memory.createModel('Item', {'name': 'string'}, {'mixins': {'UndefinedMixin': True}})
    # should.throws(block, 'failed to apply undefined mixin class'): the text
    # is the assertion's message (juggler throws 'Model "Item" uses unknown mixin: UndefinedMixin')
    with pytest.raises(Exception):
        apply_mixin()


@pytest.mark.lb_fiber
@LEGACY_HOOK_DEPRECATION
def test_model_class__should_apply_mixins():
    modelBuilder, mixins = model_builder()
    define_example_mixins(mixins)       # defined by the first case in juggler
    memory = lb.DataSource('mem', {'connector': lb.Memory}, modelBuilder)
    Item = memory.createModel('Item', {'name': 'string'}, {
        'mixins': {
            'TimeStamp': True,
            'Demo': {'value': True},
            'Multi': [
                {'key': 'foo', 'value': 'bar'},
                {'key': 'fox', 'value': 'baz'},
            ],
        },
    })

    Item.mixin('Example', {'foo': 'bar'})

    assert Item.demoMixin is True

    assert Item.multiMixin['foo'] == 'bar'
    assert Item.multiMixin['fox'] == 'baz'

    properties = Item.definition.properties
    assert properties['createdAt'] == {'type': 'date'}
    assert properties['updatedAt'] == {'type': 'date'}

    err, (inst,), _ = callback_outcome(Item.create, {'name': 'Item 1'})
    # inst.createdAt.should.be.a.date: `date` is no should.js assertion, so
    # juggler only checks that the value exists (undefined.should throws)
    assert inst.createdAt is not None
    assert inst.updatedAt is not None
    assert inst.example() == {'foo': 'bar'}


def test_model_class__should_fail_to_apply_undefined_mixin():
    modelBuilder, mixins = model_builder()
    memory = lb.DataSource('mem', {'connector': lb.Memory}, modelBuilder)
    Item = memory.createModel('Item', {'name': 'string'})

    def apply_mixin():
        Item.mixin('UndefinedMixin', {'foo': 'bar'})
    # should.throws(block, 'failed to apply undefined mixin'): see above
    with pytest.raises(Exception):
        apply_mixin()


# -- Model class / #mixin() ----------------------------------------------------------------

def person_author_address():
    """describe('#mixin()')'s ``beforeEach``."""
    modelBuilder, mixins = model_builder()
    Address = modelBuilder.define('Address', {
        'street': {'type': 'string', 'required': True},
        'city': {'type': 'string', 'required': True},
    })
    memory = lb.DataSource('mem', {'connector': lb.Memory}, modelBuilder)
    Person = memory.createModel('Person', {'name': 'string'})
    Author = memory.createModel('Author', {'name': 'string'})
    return Person, Author, Address


def test_model_class__mixin__should_register_mixin_class_into_mixins():
    Person, Author, Address = person_author_address()
    Person.mixin(Address)
    assert Address in Person._mixins


def test_model_class__mixin__should_not_share_mixins_registry():
    Person, Author, Address = person_author_address()
    Person.mixin(Address)
    assert Address not in Author._mixins


def test_model_class__mixin__should_able_to_mixin_same_class():
    Person, Author, Address = person_author_address()
    Person.mixin(Address)
    Author.mixin(Address)
    assert Address in Author._mixins
