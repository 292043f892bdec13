"""Port of juggler 3.36.1's test/loopback-dl.test.js (memory only: every case
makes its own ``new DataSource('memory')`` or ``new ModelBuilder()``).

Spellings:
- ``String``/``Boolean``/``Number``/``Date`` are ``str``/``bool``/``float``/
  ``datetime``; ``ModelBuilder.Text`` is ``lb.ModelBuilder.Text``; a type
  read back is the LoopBack type name (``Number`` -> ``'number'``,
  docs/models.md).
- should.js's ``obj.should.have.property(name[, value])`` is
  :func:`has_property` (an attribute that exists: a declared property, or a
  dynamic one that was set; JavaScript's ``undefined`` value is ``None``);
  ``should.not.exist(x)`` is ``x is None``; ``X.prototype instanceof Y`` is
  ``issubclass(X, Y)``.
- juggler's private DAO helpers keep their names: ``Model._coerce(where)``,
  ``Model._normalize(filter)``, ``Model._getSetting(name)``.
- JavaScript ``undefined`` in a where/filter is ``lb.undefined``; a RegExp is
  an ``re.Pattern``; ``new Date()`` is an aware UTC datetime to the
  millisecond.
"""

import datetime as dt
import inspect
import json
import os
import re
import sys

import pytest

import loopback_compat as lb
from loopback_compat.connectors.memory import Memory
from loopback_compat.testing import callback_outcome

TEST_DIR = '/work/scratch/juggler-tests/test'

_MISSING = object()


def has_property(obj, name, value=_MISSING):
    """should.js's ``obj.should.have.property(name[, value])``."""
    if isinstance(obj, dict):
        present, actual = name in obj, obj.get(name)
    else:
        present = hasattr(obj, name)
        actual = getattr(obj, name, None)
    if not present:
        return False
    return value is _MISSING or actual == value


def utc_now_ms():
    """``new Date()``: now, to the millisecond."""
    now = dt.datetime.now(dt.timezone.utc)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def iso(value):
    """Date.prototype.toISOString."""
    return value.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (value.microsecond // 1000)


# -- ModelBuilder --------------------------------------------------------------

def test_model_builder__supports_plain_models():
    modelBuilder = lb.ModelBuilder()

    User = modelBuilder.define('User', {
        'name': str,
        'bio': lb.ModelBuilder.Text,
        'approved': bool,
        'joinedAt': dt.datetime,
        'age': float,
    })

    # define any custom method
    User.getNameAndAge = lambda self: '%s, %s' % (self.name, self.age)

    assert modelBuilder.models['User'] is User
    assert 'User' in modelBuilder.definitions

    user = User({'name': 'Joe', 'age': 20, 'xyz': False})

    assert User.modelName == 'User'
    assert has_property(user, 'name', 'Joe')
    assert has_property(user, 'age', 20)
    assert has_property(user, 'xyz', False)
    assert has_property(user, 'bio', None)


def test_model_builder__ignores_unknown_properties_in_strict_mode():
    modelBuilder = lb.ModelBuilder()
    User = modelBuilder.define('User', {'name': str, 'bio': str}, {'strict': True})
    user = User({'name': 'Joe', 'age': 20})

    assert User.modelName == 'User'
    assert has_property(user, 'name', 'Joe')
    assert not has_property(user, 'age')
    assert 'age' not in user.toObject()
    assert 'age' not in user.toObject(True)
    assert has_property(user, 'bio', None)


def test_model_builder__ignores_non_predefined_properties_in_strict_mode():
    modelBuilder = lb.ModelBuilder()
    User = modelBuilder.define('User', {'name': str, 'bio': str}, {'strict': True})
    user = User({'name': 'Joe'})
    user.age = 10
    user.bio = 'me'

    assert has_property(user, 'name', 'Joe')
    assert has_property(user, 'bio', 'me')

    # Non predefined property age should be ignored in strict mode if schemaOnly parameter is not false
    assert 'age' not in user.toObject()
    assert 'age' not in user.toObject(True)
    assert user.toObject(False)['age'] == 10

    # Predefined property bio should be kept in strict mode
    assert user.toObject()['bio'] == 'me'
    assert user.toObject(True)['bio'] == 'me'
    assert user.toObject(False)['bio'] == 'me'


def test_model_builder__throws_an_error_when_unknown_properties_are_used_if_strict_throw():
    modelBuilder = lb.ModelBuilder()
    User = modelBuilder.define('User', {'name': str, 'bio': str}, {'strict': 'throw'})
    # as in juggler, the except clause also catches the assert of the try
    try:
        User({'name': 'Joe', 'age': 20})
        assert False, 'The code should have thrown an error'
    except Exception:
        assert True, 'The code is expected to throw an error'


def test_model_builder__supports_open_models():
    modelBuilder = lb.ModelBuilder()
    User = modelBuilder.define('User', {}, {'strict': False})
    user = User({'name': 'Joe', 'age': 20})

    assert User.modelName == 'User'
    assert has_property(user, 'name', 'Joe')
    assert has_property(user, 'age', 20)
    assert not has_property(user, 'bio')


def test_model_builder__accepts_non_predefined_properties_in_non_strict_mode():
    modelBuilder = lb.ModelBuilder()
    User = modelBuilder.define('User', {'name': str, 'bio': str}, {'strict': False})
    user = User({'name': 'Joe'})
    user.age = 10
    user.bio = 'me'

    assert has_property(user, 'name', 'Joe')
    assert has_property(user, 'bio', 'me')

    # Non predefined property age should be kept in non-strict mode
    assert user.toObject()['age'] == 10
    assert user.toObject(True)['age'] == 10
    assert user.toObject(False)['age'] == 10

    # Predefined property bio should be kept
    assert user.toObject()['bio'] == 'me'
    assert user.toObject({'onlySchema': True})['bio'] == 'me'
    assert user.toObject({'onlySchema': False})['bio'] == 'me'


def test_model_builder__uses_non_strict_mode_by_default():
    modelBuilder = lb.ModelBuilder()
    User = modelBuilder.define('User', {})
    user = User({'name': 'Joe', 'age': 20})

    assert User.modelName == 'User'
    assert has_property(user, 'name', 'Joe')
    assert has_property(user, 'age', 20)
    assert not has_property(user, 'bio')


def test_model_builder__supports_nested_model_definitions():
    modelBuilder = lb.ModelBuilder()

    # simplier way to describe model
    User = modelBuilder.define('User', {
        'name': str,
        'bio': lb.ModelBuilder.Text,
        'approved': bool,
        'joinedAt': dt.datetime,
        'age': float,
        'address': {
            'street': str,
            'city': str,
            'state': str,
            'zipCode': str,
            'country': str,
        },
        'emails': [
            {
                'label': str,
                'email': str,
            },
        ],
        'friends': [str],
    })

    # define any custom method
    User.getNameAndAge = lambda self: '%s, %s' % (self.name, self.age)

    assert modelBuilder.models['User'] is User
    assert 'User' in modelBuilder.definitions

    user = User({
        'name': 'Joe', 'age': 20,
        'address': {'street': '123 Main St', 'city': 'San Jose', 'state': 'CA'},
        'emails': [
            {'label': 'work', 'email': 'xyz@sample.com'},
        ],
        'friends': ['Mary', 'John'],
    })

    assert User.modelName == 'User'
    assert has_property(user, 'name', 'Joe')
    assert has_property(user, 'age', 20)
    assert has_property(user, 'bio', None)
    assert has_property(user, 'address')
    assert has_property(user.address, 'city', 'San Jose')
    assert has_property(user.address, 'state', 'CA')

    user = user.toObject()
    assert len(user['emails']) == 1
    assert user['emails'][0]['label'] == 'work'
    assert user['emails'][0]['email'] == 'xyz@sample.com'
    assert len(user['friends']) == 2
    assert user['friends'][0] == 'Mary'
    assert user['friends'][1] == 'John'


def test_model_builder__allows_models_to_be_referenced_by_name_before_they_are_defined():
    modelBuilder = lb.ModelBuilder()

    User = modelBuilder.define('User', {'name': str, 'address': 'Address'})

    # as in juggler, the except clause also catches the assert of the try
    try:
        User({'name': 'Joe', 'address': {'street': '123 Main St', 'city': 'San Jose',
                                         'state': 'CA'}})
        assert False, 'An exception should have been thrown'
    except Exception:
        pass

    Address = modelBuilder.define('Address', {
        'street': str,
        'city': str,
        'state': str,
        'zipCode': str,
        'country': str,
    })

    user = User({'name': 'Joe', 'address': {'street': '123 Main St', 'city': 'San Jose',
                                            'state': 'CA'}})

    assert User.modelName == 'User'
    assert User.definition.properties['address']['type'] == 'Address'
    assert User.definition.properties['address']['model'] is Address
    assert user.name == 'Joe'
    assert has_property(user.address, 'city', 'San Jose')
    assert has_property(user.address, 'state', 'CA')


def test_model_builder__defines_an_id_property_for_composite_ids():
    modelBuilder = lb.ModelBuilder()
    Follow = modelBuilder.define('Follow', {
        'followerId': {'type': str, 'id': 1},
        'followeeId': {'type': str, 'id': 2},
        'followAt': dt.datetime,
    })
    follow = Follow({'followerId': 1, 'followeeId': 2})

    assert has_property(follow, 'id')
    # juggler's assert.deepEqual compares loosely (1 == '1'); the ids are the
    # String-coerced values, {followerId: '1', followeeId: '2'} (checked in Node)
    assert follow.id == {'followerId': '1', 'followeeId': '2'}


def test_model_builder__instantiates_model_from_data_with_no_constructor():
    modelBuilder = lb.ModelBuilder()
    User = modelBuilder.define('User', {'name': str, 'age': float})

    # Object.create(null): a plain mapping
    data = {}
    data['name'] = 'Joe'
    data['age'] = 20
    User(data)


def test_model_builder__instantiates_model_from_data_with_non_function_constructor():
    modelBuilder = lb.ModelBuilder()
    User = modelBuilder.define('User', {'name': str, 'age': float})

    class Person(dict):
        # Person.prototype.constructor = 'constructor'
        constructor = 'constructor'

    # as in juggler, the except clause also catches the assert of the try
    try:
        data = Person(name='Joe', age=20)
        User(data)
        assert False, 'The code should have thrown an error'
    except Exception as e:
        assert getattr(e, 'message', str(e)) == \
            'Property name "constructor" is not allowed in User data'


# -- DataSource ping -----------------------------------------------------------

_ping = {}


def ping_ds():
    """The describe's data source: connect takes 100 ms, ping fails."""
    if 'ds' not in _ping:
        ds = lb.DataSource('memory')
        ds.settings['connectionTimeout'] = 50  # ms
        # Mock up the long delay
        ds.connector.connect = lambda cb: lb.setTimeout(cb, 100)
        ds.connector.ping = lambda cb: cb(Exception('bad connection 2'))
        _ping['ds'] = ds
    return _ping['ds']


@pytest.mark.lb_fiber
def test_data_source_ping__reports_connection_errors_during_ping():
    err, _, _ = callback_outcome(ping_ds().ping)
    assert bool(err) is True
    assert str(err) == 'bad connection 2'


@pytest.mark.lb_fiber
def test_data_source_ping__cancels_invocation_after_timeout():
    ds = ping_ds()
    ds.connected = False  # Force connect
    Post = ds.define('Post', {'title': {'type': str, 'length': 255}})
    err, _, _ = callback_outcome(Post.create)
    assert bool(err) is True
    assert err.message == 'Timeout in connecting after 50 ms'


# -- DataSource define model ---------------------------------------------------

@pytest.mark.lb_fiber
def test_data_source_define_model__supports_plain_model_definitions():
    ds = lb.DataSource('memory')

    # define models
    Post = ds.define('Post', {
        'title': {'type': str, 'length': 255},
        'content': {'type': lb.ModelBuilder.Text},
        'date': {'type': dt.datetime, 'default': lambda: dt.datetime.now(dt.timezone.utc)},
        'timestamp': {'type': float, 'default': lambda: int(dt.datetime.now().timestamp()
                                                            * 1000)},
        'published': {'type': bool, 'default': False, 'index': True},
    })

    # simpler way to describe model
    User = ds.define('User', {
        'name': str,
        'bio': lb.ModelBuilder.Text,
        'approved': bool,
        'joinedAt': {'type': dt.datetime, 'default': dt.datetime},
        'age': float,
    })

    Group = ds.define('Group', {'group': str})
    User.mixin(Group)

    # define any custom method
    User.getNameAndAge = lambda self: '%s, %s' % (self.name, self.age)

    user = User({'name': 'Joe', 'group': 'G1'})
    assert user.name == 'Joe'
    assert user.group == 'G1'

    assert isinstance(user.joinedAt, dt.datetime)

    # setup relationships
    User.hasMany(Post, {'as': 'posts', 'foreignKey': 'userId'})

    Post.belongsTo(User, {'as': 'author', 'foreignKey': 'userId'})

    User.hasAndBelongsToMany('groups')

    user2 = User({'name': 'Smith'})

    def saved(err=None, *_):
        post = user2.posts.build({'title': 'Hello world'})
        post.save(lambda err=None, data=None: None)
    user2.save(saved)

    Post.findOne({'where': {'published': False}, 'order': 'date DESC'},
                 lambda err=None, data=None: None)

    def created(err=None, data=None):
        if err:
            return
        data.posts.build({'title': 'My Post'})
    User.create({'name': 'Jeff'}, created)

    User.create({'name': 'Ray'}, lambda err=None, data=None: None)

    Article = ds.define('Article', {'title': str})
    ds.define('Tag', {'name': str})
    Article.hasAndBelongsToMany('tags')

    def article_created(e=None, article=None):
        def tag_created(err=None, data=None):
            def found(e=None, article=None):
                article.tags(lambda e=None, tags=None: None)
            Article.findOne(found)
        article.tags.create({'name': 'popular'}, tag_created)
    Article.create(article_created)

    # should be able to attach a data source to an existing model
    modelBuilder = lb.ModelBuilder()

    Color = modelBuilder.define('Color', {'name': str})

    assert not hasattr(Color, 'create')

    # attach
    ds.attach(Color)
    assert hasattr(Color, 'create')

    Color.create({'name': 'red'})
    Color.create({'name': 'green'})
    Color.create({'name': 'blue'})

    def all_colors(err=None, colors=None):
        assert len(colors) == 3
    Color.all(all_colors)


def test_data_source_define_model__emits_events_during_attach():
    ds = lb.DataSource('memory')
    modelBuilder = lb.ModelBuilder()

    User = modelBuilder.define('User', {'name': str})

    state = {'seq': 0, 'dataAccessConfigured': -1, 'dataSourceAttached': -1}

    def data_access_configured(model):
        state['dataAccessConfigured'] = state['seq']
        state['seq'] += 1
        assert User.create
        assert User.hasMany
    User.on('dataAccessConfigured', data_access_configured)

    def data_source_attached(model):
        assert isinstance(User.dataSource, lb.DataSource)
        state['dataSourceAttached'] = state['seq']
        state['seq'] += 1
    User.on('dataSourceAttached', data_source_attached)

    ds.attach(User)
    assert state['dataAccessConfigured'] == 0
    assert state['dataSourceAttached'] == 1


@pytest.mark.lb_fiber
def test_data_source_define_model__ignores_unknown_properties_in_strict_mode():
    ds = lb.DataSource('memory')
    User = ds.define('User', {'name': str, 'bio': str}, {'strict': True})

    # juggler calls back with a ValidationError (`age` is not defined in the
    # model) and the instance; the case reads only the instance
    outcome = callback_outcome(User.create, {'name': 'Joe', 'age': 20})
    user = outcome.results[0]
    assert User.modelName == 'User'
    assert isinstance(user, User)
    assert user.name == 'Joe'
    assert user['age'] is None
    assert user.toObject().get('age') is None
    assert user.toObject(True).get('age') is None
    assert user.bio is None


def test_data_source_define_model__throws_an_error_when_unknown_properties_are_used_if_strict_throw():
    ds = lb.DataSource('memory')
    User = ds.define('User', {'name': str, 'bio': str}, {'strict': 'throw'})
    # as in juggler, the except clause also catches the assert of the try
    try:
        User({'name': 'Joe', 'age': 20})
        assert False, 'The code should have thrown an error'
    except Exception:
        assert True, 'The code is expected to throw an error'


def test_data_source_define_model__strict_mode_validate__reports_validation_errors_for_unknown_properties():
    ds = lb.DataSource('memory')
    User = ds.define('User', {'name': str}, {'strict': 'validate'})
    user = User({'name': 'Joe', 'age': 20})
    assert user.isValid() is False
    codes = user.errors and user.errors.codes or {}
    assert codes['age'] == ['unknown-property']


@pytest.mark.lb_fiber
def test_data_source_define_model__supports_open_model_definitions():
    ds = lb.DataSource('memory')
    User = ds.define('User', {}, {'strict': False})
    assert User.modelName == 'User'

    err, (user,), _ = callback_outcome(User.create, {'name': 'Joe', 'age': 20})
    assert has_property(user, 'name', 'Joe')
    assert has_property(user, 'age', 20)
    assert not has_property(user, 'bio')

    err, (user,), _ = callback_outcome(User.findById, user.id)
    assert has_property(user, 'name', 'Joe')
    assert has_property(user, 'age', 20)
    assert not has_property(user, 'bio')


@pytest.mark.lb_fiber
def test_data_source_define_model__uses_non_strict_mode_by_default():
    ds = lb.DataSource('memory')
    User = ds.define('User', {})
    err, (user,), _ = callback_outcome(User.create, {'name': 'Joe', 'age': 20})
    assert User.modelName == 'User'
    assert has_property(user, 'name', 'Joe')
    assert has_property(user, 'age', 20)
    assert not has_property(user, 'bio')


def test_data_source_define_model__uses_strict_mode_by_default_for_relational_dbs():
    ds = lb.DataSource('memory')
    ds.connector.relational = True  # HACK

    User = ds.define('User', {'name': str, 'bio': str}, {'strict': True})
    user = User({'name': 'Joe', 'age': 20})

    assert User.modelName == 'User'
    assert user.name == 'Joe'
    assert user['age'] is None
    assert user.toObject().get('age') is None
    assert user.toObject(True).get('age') is None
    assert user.bio is None


def test_data_source_define_model__throws_an_error_with_unknown_properties_in_non_strict_mode_for_relational_dbs():
    ds = lb.DataSource('memory')
    ds.connector.relational = True  # HACK

    User = ds.define('User', {'name': str, 'bio': str}, {'strict': 'throw'})
    # as in juggler, the except clause also catches the assert of the try
    try:
        User({'name': 'Joe', 'age': 20})
        assert False, 'The code should have thrown an error'
    except Exception:
        assert True, 'The code is expected to throw an error'


@pytest.mark.lb_fiber
def test_data_source_define_model__changes_the_property_value_for_save_in_non_strict_mode():
    ds = lb.DataSource('memory')  # define models
    Post = ds.define('Post')

    err, (post,), _ = callback_outcome(Post.create, {'price': 900})
    assert post.price == 900
    post.price = 1000
    err, (result,), _ = callback_outcome(post.save)
    assert result.price == 1000
    assert err is None


def test_data_source_define_model__supports_instance_level_strict_mode():
    ds = lb.DataSource('memory')
    User = ds.define('User', {'name': str, 'bio': str}, {'strict': True})

    user = User({'name': 'Joe', 'age': 20}, {'strict': False})

    assert user._strict is False   # should.have.property('__strict', false)
    assert has_property(user, 'name', 'Joe')
    assert has_property(user, 'age', 20)
    assert user.toObject()['age'] == 20
    assert user.toObject(True)['age'] == 20

    user.setStrict(True)
    assert 'age' not in user.toObject()
    assert 'age' not in user.toObject(True)
    assert user.toObject(False)['age'] == 20


@pytest.mark.lb_fiber
def test_data_source_define_model__updates_instances_with_unknown_properties_in_non_strict_mode():
    ds = lb.DataSource('memory')  # define models
    Post = ds.define('Post', {
        'title': {'type': str, 'length': 255, 'index': True},
        'content': {'type': str},
    })

    err, (post,), _ = callback_outcome(Post.create, {'title': 'a', 'content': 'AAA'})
    err, (p,), _ = callback_outcome(post.updateAttributes, {'title': 'b', 'xyz': 'xyz'})
    assert err is None
    assert p.id == post.id
    assert p.content == post.content
    assert p.xyz == 'xyz'

    err, (p,), _ = callback_outcome(Post.findById, post.id)
    assert p.id == post.id
    assert p.content == post.content
    assert p.xyz == 'xyz'
    assert p.title == 'b'


def test_data_source_define_model__injects_id_by_default():
    ds = lb.ModelBuilder()
    User = ds.define('User', {})
    assert User.definition.properties['id'] == \
        {'type': 'number', 'id': 1, 'generated': True, 'updateOnly': True}


def test_data_source_define_model__disables_id_injection_if_the_value_is_false():
    ds = lb.ModelBuilder()
    User1 = ds.define('User', {}, {'idInjection': False})
    assert not User1.definition.properties.get('id')


def test_data_source_define_model__updates_generated_id_type_by_the_connector():
    builder = lb.ModelBuilder()
    User = builder.define('User', {'id': {'type': str, 'generated': True, 'id': True}})
    assert User.definition.properties['id'] == \
        {'type': 'string', 'id': 1, 'generated': True, 'updateOnly': True}

    ds = lb.DataSource('memory')  # define models
    User.attachTo(ds)

    assert User.definition.properties['id'] == \
        {'type': 'number', 'id': 1, 'generated': True, 'updateOnly': True}


def test_data_source_define_model__allows_an_explicit_remoting_path():
    ds = lb.DataSource('memory')
    User = ds.define('User', {'name': str, 'bio': str}, {'http': {'path': 'accounts'}})
    assert User.http.path == '/accounts'


def test_data_source_define_model__allows_an_explicit_remoting_path_with_leading():
    # it('allows an explicit remoting path with leading /')
    ds = lb.DataSource('memory')
    User = ds.define('User', {'name': str, 'bio': str}, {'http': {'path': '/accounts'}})
    assert User.http.path == '/accounts'


# -- Model loaded with a base --------------------------------------------------

def test_model_loaded_with_a_base__has_a_base_class_according_to_the_base_option():
    ds = lb.ModelBuilder()

    User = ds.define('User', {'name': str})

    def staticMethod():
        pass
    User.staticMethod = staticMethod

    def instanceMethod(self):
        pass
    User.instanceMethod = instanceMethod

    Customer = ds.define('Customer', {'vip': bool}, {'base': 'User'})

    assert issubclass(Customer, User)
    assert Customer.staticMethod is User.staticMethod
    assert Customer.instanceMethod is User.instanceMethod
    assert Customer.base is User
    assert Customer.base is Customer.super_

    try:
        ds.define('Customer1', {'vip': bool}, {'base': 'User1'})
    except Exception as e:
        assert e


def test_model_loaded_with_a_base__inherits_properties_from_base_model():
    ds = lb.ModelBuilder()
    ds.define('User', {'name': str})
    Customer = ds.define('Customer', {'vip': bool}, {'base': 'User'})
    assert 'name' in Customer.definition.properties
    assert Customer.definition.properties['name']['type'] == 'string'


def test_model_loaded_with_a_base__inherits_properties_by_clone_from_base_model():
    ds = lb.ModelBuilder()
    ds.define('User', {'name': str})
    Customer1 = ds.define('Customer1', {'vip': bool}, {'base': 'User'})
    Customer2 = ds.define('Customer2', {'vip': bool}, {'base': 'User'})

    assert 'name' in Customer1.definition.properties
    assert 'name' in Customer2.definition.properties
    assert Customer1.definition.properties['name'] is not \
        Customer2.definition.properties['name']
    assert Customer1.definition.properties['name'] == Customer2.definition.properties['name']


def test_model_loaded_with_a_base__can_remove_properties_from_base_model():
    ds = lb.ModelBuilder()
    User = ds.define('User', {'username': str, 'email': str})
    Customer = ds.define('Customer', {'name': str, 'username': None, 'email': False},
                         {'base': 'User'})

    assert 'name' in Customer.definition.properties
    # username/email are now shielded
    assert 'username' not in Customer.definition.properties
    assert 'email' not in Customer.definition.properties
    c = Customer({'name': 'John'})
    assert has_property(c, 'username', None)
    assert has_property(c, 'email', None)
    assert has_property(c, 'name', 'John')
    u = User({'username': 'X', 'email': 'x@y.com'})
    assert not has_property(u, 'name')
    assert has_property(u, 'username', 'X')
    assert has_property(u, 'email', 'x@y.com')


def test_model_loaded_with_a_base__can_configure_base_class_via_parent_argument():
    ds = lb.ModelBuilder()

    User = ds.define('User', {'name': str})

    def staticMethod():
        pass
    User.staticMethod = staticMethod

    def instanceMethod(self):
        pass
    User.instanceMethod = instanceMethod

    Customer = ds.define('Customer', {'vip': bool}, {}, User)

    assert 'name' in Customer.definition.properties
    assert Customer.definition.properties['name']['type'] == 'string'

    assert issubclass(Customer, User)
    assert Customer.staticMethod is User.staticMethod
    assert Customer.instanceMethod is User.instanceMethod
    assert Customer.base is User
    assert Customer.base is Customer.super_


# -- Models attached to a dataSource -------------------------------------------

_attached = {}


@pytest.fixture
def attached_post():
    if 'Post' not in _attached:
        # juggler's before()
        ds = lb.DataSource('memory')  # define models
        _attached['Post'] = ds.define('Post', {
            'title': {'type': str, 'length': 255, 'index': True},
            'content': {'type': str},
            'comments': [str],
        }, {'forceId': False})
    Post = _attached['Post']
    # juggler's beforeEach()
    err, _, _ = callback_outcome(Post.destroyAll)
    assert err is None
    return Post


@pytest.mark.lb_fiber
def test_models_attached_to_a_data_source__update_or_create__updates_instances(attached_post):
    Post = attached_post
    err, (post,), _ = callback_outcome(Post.create, {'title': 'a', 'content': 'AAA'})
    post.title = 'b'
    err, (p,), _ = callback_outcome(Post.updateOrCreate, post)
    assert err is None
    assert p.id == post.id
    assert p.content == post.content
    assert p['_id'] is None

    err, (p,), _ = callback_outcome(Post.findById, post.id)
    assert p.id == post.id
    assert p['_id'] is None
    assert p.content == post.content
    assert p.title == 'b'


@pytest.mark.lb_fiber
def test_models_attached_to_a_data_source__update_or_create__updates_instances_without_removing_existing_properties(
        attached_post):
    Post = attached_post
    err, (post,), _ = callback_outcome(Post.create, {'title': 'a', 'content': 'AAA',
                                                     'comments': ['Comment1']})
    post = post.toObject()
    del post['title']
    del post['comments']
    err, (p,), _ = callback_outcome(Post.updateOrCreate, post)
    assert err is None
    assert p.id == post['id']
    assert p.content == post['content']
    assert p['_id'] is None

    err, (p,), _ = callback_outcome(Post.findById, post['id'])
    assert p.id == post['id']
    assert p['_id'] is None
    assert p.content == post['content']
    assert p.title == 'a'
    assert len(p.comments) == 1
    assert p.comments[0] == 'Comment1'


@pytest.mark.lb_fiber
def test_models_attached_to_a_data_source__update_or_create__creates_a_new_instance_if_it_does_not_exist(
        attached_post):
    Post = attached_post
    post = {'id': 123, 'title': 'a', 'content': 'AAA'}
    err, (p,), _ = callback_outcome(Post.updateOrCreate, post)
    assert err is None
    assert p.title == post['title']
    assert p.content == post['content']
    assert p.id == post['id']

    err, (p,), _ = callback_outcome(Post.findById, p.id)
    assert p.id == post['id']
    assert p['_id'] is None
    assert p.content == post['content']
    assert p.title == post['title']
    assert p.id == post['id']


@pytest.mark.lb_fiber
def test_models_attached_to_a_data_source__save__updates_instance_with_the_same_id(attached_post):
    Post = attached_post
    err, (post,), _ = callback_outcome(Post.create, {'title': 'a', 'content': 'AAA'})
    post.title = 'b'
    err, (p,), _ = callback_outcome(post.save)
    assert err is None
    assert p.id == post.id
    assert p.content == post.content
    assert p['_id'] is None

    err, (p,), _ = callback_outcome(Post.findById, post.id)
    assert p.id == post.id
    assert p['_id'] is None
    assert p.content == post.content
    assert p.title == 'b'


@pytest.mark.lb_fiber
def test_models_attached_to_a_data_source__save__updates_the_instance_without_removing_existing_properties(
        attached_post):
    Post = attached_post
    err, (post,), _ = callback_outcome(Post.create, {'title': 'a', 'content': 'AAA'})
    del post.title
    err, (p,), _ = callback_outcome(post.save)
    assert err is None
    assert p.id == post.id
    assert p.content == post.content
    assert p['_id'] is None

    err, (p,), _ = callback_outcome(Post.findById, post.id)
    assert p.id == post.id
    assert p['_id'] is None
    assert p.content == post.content
    assert p.title == 'a'


@pytest.mark.lb_fiber
def test_models_attached_to_a_data_source__save__creates_a_new_instance_if_it_does_not_exist(
        attached_post):
    Post = attached_post
    post = Post({'id': '123', 'title': 'a', 'content': 'AAA'})
    err, (p,), _ = callback_outcome(post.save, post)
    assert err is None
    assert p.title == post.title
    assert p.content == post.content
    assert p.id == post.id

    err, (p,), _ = callback_outcome(Post.findById, p.id)
    assert p.id == post.id
    assert p['_id'] is None
    assert p.content == post.content
    assert p.title == post.title
    assert p.id == post.id


# -- DataSource connector types ------------------------------------------------

def test_data_source_connector_types__returns_an_array_of_types_using_get_types():
    ds = lb.DataSource('memory')
    types = ds.getTypes()
    assert types == ['db', 'nosql', 'memory']


def test_data_source_connector_types__support_types__tests_supported_types_by_string():
    ds = lb.DataSource('memory')
    result = ds.supportTypes('db')
    assert result


def test_data_source_connector_types__support_types__tests_supported_types_by_array():
    ds = lb.DataSource('memory')
    result = ds.supportTypes(['db', 'memory'])
    assert result


def test_data_source_connector_types__support_types__tests_unsupported_types_by_string():
    ds = lb.DataSource('memory')
    result = ds.supportTypes('rdbms')
    assert not result


def test_data_source_connector_types__support_types__tests_unsupported_types_by_array():
    ds = lb.DataSource('memory')
    result = ds.supportTypes(['rdbms', 'memory'])
    assert not result

    result = ds.supportTypes(['rdbms'])
    assert not result


# -- DataSource._resolveConnector ----------------------------------------------

def loader(name):
    """Mocked require."""
    if './connectors/' in name:
        # ./connectors/<name> doesn't exist
        return None
    if name == 'loopback-connector-abc':
        # Assume loopback-connector-abc doesn't exist
        return None
    return {'name': name}


def memory_connector_path():
    """``__dirname + '/../lib/connectors/memory'``: the memory connector's module path."""
    path = inspect.getfile(sys.modules[Memory.__module__])
    if os.path.basename(path) == '__init__.py':
        return os.path.dirname(path)
    return os.path.splitext(path)[0]


def test_data_source_resolve_connector__resolves_connector_by_path():
    connector = lb.DataSource._resolveConnector(memory_connector_path())
    assert connector['connector']


def test_data_source_resolve_connector__resolves_connector_by_internal_name():
    connector = lb.DataSource._resolveConnector('memory')
    assert connector['connector']


def test_data_source_resolve_connector__resolves_connector_by_module_name_starting_with_loopback_connector():
    connector = lb.DataSource._resolveConnector('loopback-connector-xyz', loader)
    assert connector['connector']


def test_data_source_resolve_connector__resolves_connector_by_short_module_name_with_full_name_first():
    connector = lb.DataSource._resolveConnector('xyz', loader)
    assert connector['connector']
    assert connector['connector']['name'] == 'loopback-connector-xyz'


def test_data_source_resolve_connector__resolves_connector_by_short_module_name():
    connector = lb.DataSource._resolveConnector('abc', loader)
    assert connector['connector']
    assert connector['connector']['name'] == 'abc'


def test_data_source_resolve_connector__resolves_connector_by_short_module_name_for_known_connectors():
    connector = lb.DataSource._resolveConnector('oracle', loader)
    assert connector['connector']
    assert connector['connector']['name'] == 'loopback-connector-oracle'


def test_data_source_resolve_connector__resolves_connector_by_full_module_name():
    connector = lb.DataSource._resolveConnector('loopback-xyz', loader)
    assert connector['connector']


def test_data_source_resolve_connector__fails_to_resolve_connector_by_module_name_starting_with_loopback_connector():
    connector = lb.DataSource._resolveConnector('loopback-connector-xyz')
    assert not connector['connector']
    assert 'loopback-connector-xyz' in connector['error']


def test_data_source_resolve_connector__fails_resolve_invalid_connector_by_short_module_name():
    connector = lb.DataSource._resolveConnector('xyz')
    assert not connector['connector']
    assert 'loopback-connector-xyz' in connector['error']


def test_data_source_resolve_connector__fails_to_resolve_invalid_connector_by_full_module_name():
    connector = lb.DataSource._resolveConnector('loopback-xyz')
    assert not connector['connector']
    assert 'loopback-connector-loopback-xyz' in connector['error']


# -- Model define with relations configuration ---------------------------------

def test_model_define_with_relations_configuration__sets_up_has_many_relations():
    ds = lb.DataSource('memory')
    ds.define('Post', {'userId': float, 'content': str})
    User = ds.define('User', {'name': str}, {
        'relations': {'posts': {'type': 'hasMany', 'model': 'Post'}},
    })
    assert User.relations['posts']


def test_model_define_with_relations_configuration__sets_up_belongs_to_relations():
    ds = lb.DataSource('memory')
    ds.define('User', {'name': str})
    Post = ds.define('Post', {'userId': float, 'content': str}, {
        'relations': {'user': {'type': 'belongsTo', 'model': 'User'}},
    })
    assert Post.relations['user']


def test_model_define_with_relations_configuration__sets_up_references_many_relations():
    ds = lb.DataSource('memory')
    ds.define('Post', {'userId': float, 'content': str})
    User = ds.define('User', {'name': str}, {
        'relations': {'posts': {'type': 'referencesMany', 'model': 'Post'}},
    })
    assert User.relations['posts']


def test_model_define_with_relations_configuration__sets_up_embeds_many_relations():
    ds = lb.DataSource('memory')
    ds.define('Post', {'userId': float, 'content': str})
    User = ds.define('User', {'name': str}, {
        'relations': {'posts': {'type': 'embedsMany', 'model': 'Post'}},
    })
    assert User.relations['posts']


def test_model_define_with_relations_configuration__sets_up_belongs_to_polymorphic_relation_with_polymorphic_true():
    ds = lb.DataSource('memory')
    ds.define('Product', {'name': str}, {'relations': {
        'pictures': {'type': 'hasMany', 'model': 'Picture', 'polymorphic': 'imageable'},
    }})
    Picture = ds.define('Picture', {'name': str}, {'relations': {
        'imageable': {'type': 'belongsTo', 'polymorphic': True},
    }})

    assert Picture.relations['imageable']
    assert Picture.relations['imageable'].toJSON() == {
        'name': 'imageable',
        'type': 'belongsTo',
        'modelFrom': 'Picture',
        'keyFrom': 'imageableId',
        'modelTo': '<polymorphic>',
        'keyTo': 'id',
        'multiple': False,
        'polymorphic': {
            'selector': 'imageable',
            'foreignKey': 'imageableId',
            'discriminator': 'imageableType',
        },
    }


def test_model_define_with_relations_configuration__sets_up_has_many_polymorphic_relation_with_polymorphic_belongs_to_relation_name():
    ds = lb.DataSource('memory')
    ds.define('Picture', {'name': str}, {'relations': {
        'imageable': {'type': 'belongsTo', 'polymorphic': True},
    }})
    Product = ds.define('Product', {'name': str}, {'relations': {
        'pictures': {'type': 'hasMany', 'model': 'Picture', 'polymorphic': 'imageable'},
    }})

    assert Product.relations['pictures']
    assert Product.relations['pictures'].toJSON() == {
        'name': 'pictures',
        'type': 'hasMany',
        'modelFrom': 'Product',
        'keyFrom': 'id',
        'modelTo': 'Picture',
        'keyTo': 'imageableId',
        'multiple': True,
        'polymorphic': {
            'selector': 'imageable',
            'foreignKey': 'imageableId',
            'discriminator': 'imageableType',
        },
    }


def test_model_define_with_relations_configuration__creates_a_foreign_key_with_the_correct_type():
    ds = lb.DataSource('memory')
    ds.define('User', {'name': str, 'id': {'type': str, 'id': True}})
    Post = ds.define('Post', {'content': str}, {'relations': {
        'user': {'type': 'belongsTo', 'model': 'User'}},
    })

    fk = Post.definition.properties['userId']
    assert fk, 'The foreign key should be added'
    assert fk['type'] == 'string', 'The foreign key should be the same type as primary key'
    assert Post.relations['user'], 'User relation should be set'


def test_model_define_with_relations_configuration__sets_up_related_has_many_and_belongs_to_relations():
    ds = lb.DataSource('memory')

    User = ds.define('User', {'name': str}, {
        'relations': {
            'posts': {'type': 'hasMany', 'model': 'Post'},
            'accounts': {'type': 'hasMany', 'model': 'Account'},
        },
    })

    assert not User.relations.get('posts')
    assert not User.relations.get('accounts')

    Post = ds.define('Post', {'userId': float, 'content': str}, {
        'relations': {'user': {'type': 'belongsTo', 'model': 'User'}},
    })

    ds.define('Account', {'userId': float, 'type': str}, {
        'relations': {'user': {'type': 'belongsTo', 'model': 'User'}},
    })

    assert Post.relations['user']
    assert Post.relations['user'].toJSON() == {
        'name': 'user',
        'type': 'belongsTo',
        'modelFrom': 'Post',
        'keyFrom': 'userId',
        'modelTo': 'User',
        'keyTo': 'id',
        'multiple': False,
    }
    assert User.relations['posts']
    assert User.relations['posts'].toJSON() == {
        'name': 'posts',
        'type': 'hasMany',
        'modelFrom': 'User',
        'keyFrom': 'id',
        'modelTo': 'Post',
        'keyTo': 'userId',
        'multiple': True,
    }
    assert User.relations['accounts']
    assert User.relations['accounts'].toJSON() == {
        'name': 'accounts',
        'type': 'hasMany',
        'modelFrom': 'User',
        'keyFrom': 'id',
        'modelTo': 'Account',
        'keyTo': 'userId',
        'multiple': True,
    }


def test_model_define_with_relations_configuration__throws_an_error_if_a_relation_is_missing_type():
    ds = lb.DataSource('memory')
    ds.define('Post', {'userId': float, 'content': str})
    # juggler's done() runs only in the catch: the define must throw
    with pytest.raises(Exception):
        ds.define('User', {'name': str}, {
            'relations': {'posts': {'model': 'Post'}},
        })


def test_model_define_with_relations_configuration__throws_an_error_if_a_relation_type_is_invalid():
    ds = lb.DataSource('memory')
    ds.define('Post', {'userId': float, 'content': str})
    # juggler's done() runs only in the catch: the define must throw
    with pytest.raises(Exception):
        ds.define('User', {'name': str}, {
            'relations': {'posts': {'type': 'hasXYZ', 'model': 'Post'}},
        })


def test_model_define_with_relations_configuration__sets_up_has_many_through_relations():
    ds = lb.DataSource('memory')
    Physician = ds.createModel('Physician', {'name': str}, {
        'relations': {
            'patients': {'model': 'Patient', 'type': 'hasMany', 'through': 'Appointment'},
        },
    })

    Patient = ds.createModel('Patient', {'name': str}, {
        'relations': {
            'physicians': {'model': 'Physician', 'type': 'hasMany', 'through': 'Appointment'},
        },
    })

    assert not Physician.relations.get('patients')  # Appointment hasn't been resolved yet
    assert not Patient.relations.get('physicians')  # Appointment hasn't been resolved yet

    ds.createModel('Appointment', {
        'physicianId': float,
        'patientId': float,
        'appointmentDate': dt.datetime,
    }, {
        'relations': {
            'patient': {'type': 'belongsTo', 'model': 'Patient'},
            'physician': {'type': 'belongsTo', 'model': 'Physician'},
        },
    })

    assert Physician.relations['patients']
    assert Patient.relations['physicians']


def test_model_define_with_relations_configuration__sets_up_has_many_through_relations_with_options():
    ds = lb.DataSource('memory')
    Physician = ds.createModel('Physician', {'name': str}, {
        'relations': {
            'patients': {'model': 'Patient', 'type': 'hasMany', 'foreignKey': 'leftId',
                         'through': 'Appointment'},
        },
    })

    Patient = ds.createModel('Patient', {'name': str}, {
        'relations': {
            'physicians': {'model': 'Physician', 'type': 'hasMany', 'foreignKey': 'rightId',
                           'through': 'Appointment'},
        },
    })

    ds.createModel('Appointment', {
        'physicianId': float,
        'patientId': float,
        'appointmentDate': dt.datetime,
    }, {
        'relations': {
            'patient': {'type': 'belongsTo', 'model': 'Patient'},
            'physician': {'type': 'belongsTo', 'model': 'Physician'},
        },
    })

    assert Physician.relations['patients'].keyTo == 'leftId'
    assert Patient.relations['physicians'].keyTo == 'rightId'


def test_model_define_with_relations_configuration__sets_up_relations_after_attach():
    ds = lb.DataSource('memory')
    modelBuilder = lb.ModelBuilder()

    Post = modelBuilder.define('Post', {'userId': float, 'content': str})
    User = modelBuilder.define('User', {'name': str}, {
        'relations': {'posts': {'type': 'hasMany', 'model': 'Post'}},
    })

    assert not User.relations.get('posts')
    Post.attachTo(ds)
    User.attachTo(ds)
    assert User.relations['posts']


# -- Model define with scopes configuration ------------------------------------

@pytest.mark.lb_fiber
def test_model_define_with_scopes_configuration__creates_scopes():
    ds = lb.DataSource('memory')
    User = ds.define('User', {'name': str, 'vip': bool, 'age': float},
                     {'scopes': {'vips': {'where': {'vip': True}},
                                 'top5': {'limit': 5, 'order': 'age'}}})

    users = []
    for i in range(10):
        users.append({'name': 'User%d' % i, 'vip': i % 3 == 0, 'age': 20 + i * 2})
    lb.await_(lb.Promise.all([User.create(user) for user in users]))
    err, (vips,), _ = callback_outcome(User.vips)
    assert err is None
    assert len(vips) == 4
    err, (top5,), _ = callback_outcome(User.top5)
    assert len(top5) == 5
    assert err is None


# -- DataAccessObject ----------------------------------------------------------

_dao = {}


@pytest.fixture
def dao():
    """The describe's before(): one data source and model M1 for all cases.

    Cases change ``ds.settings`` and ``model.settings`` and those changes
    carry over, as in juggler.
    """
    if 'model' not in _dao:
        ds = lb.DataSource('memory')
        _dao['ds'] = ds
        _dao['model'] = ds.createModel('M1', {
            'id': {'type': str, 'id': True},
            'age': float,
            'string': 'string',
            'vip': bool,
            'date': dt.datetime,
            'location': 'GeoPoint',
            'scores': [float],
            'array': 'array',
            'object': 'object',
        })
    return _dao




def test_data_access_object__coerces_where_clause_for_string_types(dao):
    model = dao['model']
    where = model._coerce({'id': 1})
    assert where == {'id': '1'}
    where = model._coerce({'id': '1'})
    assert where == {'id': '1'}

    # Mockup MongoDB ObjectID
    class ObjectID:
        def __init__(self, id):
            self.id = id

        def __str__(self):   # toString
            return self.id

    where = model._coerce({'id': ObjectID('1')})
    assert where == {'id': '1'}


def test_data_access_object__coerces_where_clause_for_number_types(dao):
    model = dao['model']
    where = model._coerce({'age': '10'})
    assert where == {'age': 10}

    where = model._coerce({'age': 10})
    assert where == {'age': 10}

    where = model._coerce({'age': {'gt': 10}})
    assert where == {'age': {'gt': 10}}

    where = model._coerce({'age': {'gt': '10'}})
    assert where == {'age': {'gt': 10}}

    where = model._coerce({'age': {'between': ['10', '20']}})
    assert where == {'age': {'between': [10, 20]}}


def test_data_access_object__coerces_where_clause_for_array_types(dao):
    where = dao['model']._coerce({'scores': ['10', '20']})
    assert where == {'scores': [10, 20]}


def test_data_access_object__coerces_where_clause_for_date_types(dao):
    model = dao['model']
    d = utc_now_ms()
    where = model._coerce({'date': d})
    assert where == {'date': d}

    where = model._coerce({'date': iso(d)})
    assert where == {'date': d}


def test_data_access_object__coerces_where_clause_for_boolean_types(dao):
    model = dao['model']
    assert model._coerce({'vip': 'true'}) == {'vip': True}
    assert model._coerce({'vip': True}) == {'vip': True}
    assert model._coerce({'vip': 'false'}) == {'vip': False}
    assert model._coerce({'vip': False}) == {'vip': False}
    assert model._coerce({'vip': '1'}) == {'vip': True}
    assert model._coerce({'vip': 0}) == {'vip': False}
    assert model._coerce({'vip': ''}) == {'vip': False}


def test_data_access_object__coerces_where_clause_with_and_operators(dao):
    where = dao['model']._coerce({'and': [{'age': '10'}, {'vip': 'true'}]})
    assert where == {'and': [{'age': 10}, {'vip': True}]}


def test_data_access_object__coerces_where_clause_with_or_operators(dao):
    where = dao['model']._coerce({'or': [{'age': '10'}, {'vip': 'true'}]})
    assert where == {'or': [{'age': 10}, {'vip': True}]}


def test_data_access_object__continues_to_coerce_properties_after_a_logical_operator(dao):
    clause = {'and': [{'age': '10'}], 'vip': 'true'}

    # Key order is predictable but not guaranteed. We prefer false negatives (failure) to false positives.
    assert list(clause)[0] == 'and', 'Unexpected key order.'

    where = dao['model']._coerce(clause)
    assert where == {'and': [{'age': 10}], 'vip': True}


# COERCIONS.forEach(...): one case each

def check_coercion(model, coercion_in, coercion_out):
    assert model._coerce(coercion_in) == coercion_out


def test_data_access_object__coerces_where_clause_with_array_like_objects_scores_0_10_1_20(
        dao):
    # it('coerces where clause with array-like objects {"scores":{"0":"10","1":"20"}}')
    check_coercion(dao['model'], {'scores': {'0': '10', '1': '20'}}, {'scores': [10, 20]})


def test_data_access_object__coerces_where_clause_with_array_like_objects_and_0_age_10_1_vip_true(
        dao):
    check_coercion(dao['model'], {'and': {'0': {'age': '10'}, '1': {'vip': 'true'}}},
                   {'and': [{'age': 10}, {'vip': True}]})


def test_data_access_object__coerces_where_clause_with_array_like_objects_or_0_age_10_1_vip_true(
        dao):
    check_coercion(dao['model'], {'or': {'0': {'age': '10'}, '1': {'vip': 'true'}}},
                   {'or': [{'age': 10}, {'vip': True}]})


def test_data_access_object__coerces_where_clause_with_array_like_objects_id_inq_0_aaa_1_bbb(
        dao):
    check_coercion(dao['model'], {'id': {'inq': {'0': 'aaa', '1': 'bbb'}}},
                   {'id': {'inq': ['aaa', 'bbb']}})


def test_data_access_object__coerces_where_clause_with_array_like_objects_id_nin_0_aaa_1_bbb(
        dao):
    check_coercion(dao['model'], {'id': {'nin': {'0': 'aaa', '1': 'bbb'}}},
                   {'id': {'nin': ['aaa', 'bbb']}})


def test_data_access_object__coerces_where_clause_with_array_like_objects_scores_between_0_0_1_42(
        dao):
    check_coercion(dao['model'], {'scores': {'between': {'0': '0', '1': '42'}}},
                   {'scores': {'between': [0, 42]}})


# INVALID_CLAUSES.forEach(...): one case each

def check_invalid_clause(model, where):
    with pytest.raises(Exception, match='property has invalid clause'):
        model._coerce(where)


def test_data_access_object__throws_an_error_on_malformed_array_like_object_scores_inq_0_10_1_20_4_30(
        dao):
    # it('throws an error on malformed array-like object {"scores":{"inq":{"0":"10","1":"20","4":"30"}}}')
    check_invalid_clause(dao['model'], {'scores': {'inq': {'0': '10', '1': '20', '4': '30'}}})


def test_data_access_object__throws_an_error_on_malformed_array_like_object_scores_inq_0_10_1_20_bogus_true(
        dao):
    check_invalid_clause(dao['model'],
                         {'scores': {'inq': {'0': '10', '1': '20', 'bogus': 'true'}}})


def test_data_access_object__throws_an_error_on_malformed_array_like_object_scores_between_0_10_1_20_2_30(
        dao):
    check_invalid_clause(dao['model'], {'scores': {'between': {'0': '10', '1': '20', '2': '30'}}})


def raises_anything(fn, *args):
    """juggler's ``try { fn() } catch (err) { error = err }; assert(error)``."""
    error = None
    try:
        fn(*args)
    except Exception as err:
        error = err
    assert error, 'An error should have been thrown'


def test_data_access_object__throws_an_error_if_the_where_property_is_not_an_object(dao):
    # The where clause has to be an object
    raises_anything(dao['model']._coerce, 'abc')


def test_data_access_object__throws_an_error_if_the_where_property_is_an_array(dao):
    # The where clause cannot be an array
    raises_anything(dao['model']._coerce, [{'vip': True}])


def test_data_access_object__throws_an_error_if_the_and_operator_is_not_configured_with_an_array(
        dao):
    # The and operator only takes an array of objects
    raises_anything(dao['model']._coerce, {'and': {'x': 1}})


def test_data_access_object__throws_an_error_if_the_or_operator_does_not_take_an_array(dao):
    # The or operator only takes an array of objects
    raises_anything(dao['model']._coerce, {'or': {'x': 1}})


def test_data_access_object__throws_an_error_if_the_or_operator_not_configured_with_an_array_of_objects(
        dao):
    # The or operator only takes an array of objects
    raises_anything(dao['model']._coerce, {'or': ['x']})


def test_data_access_object__throws_an_error_when_malformed_logical_operators_follow_valid_logical_clauses(
        dao):
    invalid = {'and': [{'x': 1}], 'or': 'bogus'}

    # Key order is predictable but not guaranteed. We prefer false negatives (failure) to false positives.
    assert list(invalid)[0] != 'or', 'Unexpected key order.'

    raises_anything(dao['model']._coerce, invalid)


def test_data_access_object__throws_an_error_if_the_filter_property_is_not_an_object(dao):
    # The filter clause has to be an object
    raises_anything(dao['model']._normalize, 'abc')


def test_data_access_object__throws_an_error_if_the_filter_limit_property_is_not_a_number(
        dao):
    # The limit param must be a valid number
    raises_anything(dao['model']._normalize, {'limit': 'x'})


def test_data_access_object__throws_an_error_if_the_filter_limit_property_is_negative(dao):
    raises_anything(dao['model']._normalize, {'limit': -1})


def test_data_access_object__throws_an_error_if_the_filter_limit_property_is_not_an_integer(
        dao):
    raises_anything(dao['model']._normalize, {'limit': 5.8})


def test_data_access_object__throws_an_error_if_filter_offset_property_is_not_a_number(dao):
    raises_anything(dao['model']._normalize, {'offset': 'x'})


def test_data_access_object__throws_an_error_if_the_filter_skip_property_is_not_a_number(
        dao):
    raises_anything(dao['model']._normalize, {'skip': '_'})


def test_data_access_object__normalizes_limit_offset_skip(dao):
    flt = dao['model']._normalize({'limit': '10', 'skip': 5})
    assert flt == {'limit': 10, 'offset': 5, 'skip': 5}


def test_data_access_object__uses_a_default_value_for_limit(dao):
    flt = dao['model']._normalize({'skip': 5})
    assert flt == {'limit': 100, 'offset': 5, 'skip': 5}


def test_data_access_object__applies_settings_for_handling_undefined(dao):
    ds, model = dao['ds'], dao['model']
    flt = model._normalize({'filter': {'x': lb.undefined}})
    assert flt == {'filter': {}}

    ds.settings['normalizeUndefinedInQuery'] = 'ignore'
    flt = model._normalize({'filter': {'x': lb.undefined}})
    assert flt == {'filter': {}}, 'Should ignore undefined'

    ds.settings['normalizeUndefinedInQuery'] = 'nullify'
    flt = model._normalize({'filter': {'x': lb.undefined}})
    assert flt == {'filter': {'x': None}}, 'Should nullify undefined'

    ds.settings['normalizeUndefinedInQuery'] = 'throw'
    with pytest.raises(Exception, match='`undefined` in query'):
        model._normalize({'filter': {'x': lb.undefined}})


def test_data_access_object__does_not_coerce_geo_point(dao):
    where = dao['model']._coerce({'location': {'near': {'lng': 10, 'lat': 20},
                                               'maxDistance': 20}})
    assert where == {'location': {'near': {'lng': 10, 'lat': 20}, 'maxDistance': 20}}


def test_data_access_object__does_not_coerce_null_values(dao):
    where = dao['model']._coerce({'date': None})
    assert where == {'date': None}


def test_data_access_object__does_not_coerce_undefined_values(dao):
    where = dao['model']._coerce({'date': lb.undefined})
    assert where == {'date': lb.undefined}


def test_data_access_object__does_not_coerce_empty_objects_to_arrays(dao):
    where = dao['model']._coerce({'object': {}})
    assert not isinstance(where['object'], list)
    assert isinstance(where['object'], dict)


def test_data_access_object__does_not_coerce_an_empty_array(dao):
    where = dao['model']._coerce({'array': []})
    assert isinstance(where['array'], list)
    assert len(where['array']) == 0


def test_data_access_object__does_not_coerce_to_a_number_for_a_simple_value_that_produces_nan(
        dao):
    where = dao['model']._coerce({'age': 'xyz'})
    assert where == {'age': 'xyz'}


def test_data_access_object__does_not_coerce_to_a_number_for_a_simple_value_in_an_array_that_produces_nan(
        dao):
    where = dao['model']._coerce({'age': {'inq': ['xyz', '12']}})
    assert where == {'age': {'inq': ['xyz', 12]}}


def test_data_access_object__does_not_coerce_to_a_string_for_a_regexp_value_in_an_array(dao):
    where = dao['model']._coerce({'string': {'inq': [re.compile('xyz', re.I),
                                                     re.compile(re.compile('xyz', re.I))]}})
    assert where == {'string': {'inq': [re.compile('xyz', re.I), re.compile('xyz', re.I)]}}


# settings
def test_data_access_object__gets_settings_in_priority(dao):
    ds, model = dao['ds'], dao['model']
    ds.settings['test'] = 'test'
    assert model._getSetting('test') == ds.settings['test'], 'Should get datasource setting'
    ds.settings['test'] = None   # undefined

    model.settings['test'] = 'test'
    assert model._getSetting('test') == model.settings['test'], 'Should get model settings'

    ds.settings['test'] = 'willNotGet'
    assert model._getSetting('test') != ds.settings['test'], \
        'Should not get datasource setting'


# -- ModelBuilder processing json files ----------------------------------------

def load_schemas_sync(schemaFile, dataSource=None):
    """Load LDL schemas from a json doc: a map of models keyed by name."""
    createModel = None
    # Set up the data source
    if not dataSource:
        modelBuilder = lb.ModelBuilder()
    else:
        modelBuilder = dataSource.modelBuilder
        createModel = dataSource.createModel

    # Read the dataSource JSON file
    with open(schemaFile, encoding='utf-8') as fh:
        schemas = json.load(fh)
    return modelBuilder.buildModels(schemas, createModel)


def test_model_builder_processing_json_files__defines_models():
    models = load_schemas_sync(os.path.join(TEST_DIR, 'test1-schemas.json'))

    assert 'AnonymousModel_0' in models
    assert models['AnonymousModel_0'].modelName == 'AnonymousModel_0'

    m1 = models['AnonymousModel_0']({'title': 'Test'})
    assert has_property(m1, 'title', 'Test')
    assert has_property(m1, 'author', 'Raymond')

    models = load_schemas_sync(os.path.join(TEST_DIR, 'test2-schemas.json'))
    assert 'Address' in models
    assert 'Account' in models
    assert 'Customer' in models
    for s in models:
        m = models[s]
        assert m()


def test_model_builder_processing_json_files__attaches_models_to_a_specified_data_source():
    ds = lb.DataSource('memory')

    models = load_schemas_sync(os.path.join(TEST_DIR, 'test2-schemas.json'), ds)
    assert 'Address' in models
    assert 'Account' in models
    assert 'Customer' in models
    assert models['Address'].dataSource is ds


def test_model_builder_processing_json_files__allows_customization_of_default_model_base_class():  # noqa: E501
    modelBuilder = lb.ModelBuilder()

    User = modelBuilder.define('User', {
        'name': str,
        'bio': lb.ModelBuilder.Text,
        'approved': bool,
        'joinedAt': dt.datetime,
        'age': float,
    })

    modelBuilder.defaultModelBaseClass = User

    Customer = modelBuilder.define('Customer', {'customerId': {'type': str, 'id': True}})
    assert issubclass(Customer, User)


def test_model_builder_processing_json_files__accepts_a_model_base_class():
    modelBuilder = lb.ModelBuilder()

    User = modelBuilder.define('User', {
        'name': str,
        'bio': lb.ModelBuilder.Text,
        'approved': bool,
        'joinedAt': dt.datetime,
        'age': float,
    })

    Customer = modelBuilder.define('Customer', {'customerId': {'type': str, 'id': True}}, {},
                                   User)
    assert issubclass(Customer, User)


# -- DataSource constructor ----------------------------------------------------

def test_data_source_constructor__takes_url_as_the_settings():
    ds = lb.DataSource('memory://localhost/mydb?x=1')
    assert ds.connector.name == 'memory'


def test_data_source_constructor__takes_connector_name():
    ds = lb.DataSource('memory')
    assert ds.connector.name == 'memory'


def test_data_source_constructor__takes_settings_object():
    ds = lb.DataSource({'connector': 'memory'})
    assert ds.connector.name == 'memory'


def test_data_source_constructor__takes_settings_object_and_name():
    ds = lb.DataSource('x', {'connector': 'memory'})
    assert ds.connector.name == 'memory'


# -- ModelBuilder options.models -----------------------------------------------

def test_model_builder_options_models__injects_model_classes_from_models():
    builder = lb.ModelBuilder()
    M1 = builder.define('M1')
    M2 = builder.define('M2', {}, {'models': {'M1': M1}})
    assert M2.M1 is M1, 'M1 should be injected to M2'


def test_model_builder_options_models__injects_model_classes_by_name_in_the_models():
    builder = lb.ModelBuilder()
    M1 = builder.define('M1')
    M2 = builder.define('M2', {}, {'models': {'M1': 'M1'}})
    assert M2.M1 is M1, 'M1 should be injected to M2'


def test_model_builder_options_models__injects_model_classes_by_name_in_the_models_before_the_class_is_defined():  # noqa: E501
    builder = lb.ModelBuilder()
    M2 = builder.define('M2', {}, {'models': {'M1': 'M1'}})
    assert M2.M1, 'M1 should be injected to M2'
    assert M2.M1.settings['unresolved'], 'M1 is still a proxy'
    M1 = builder.define('M1')
    assert M2.M1 is M1, 'M1 should be injected to M2'


def test_model_builder_options_models__uses_non_strict_mode_for_embedded_models_by_default():
    builder = lb.ModelBuilder()
    M1 = builder.define('testEmbedded', {
        'name': 'string',
        'address': {
            'street': 'string',
        },
    })
    m1 = M1({
        'name': 'Jim',
        'address': {
            'street': 'washington st',
            'number': 5512,
        },
    })
    assert m1.address.number == 5512, 'm1 should contain number property in address'


def test_model_builder_options_models__uses_the_strict_embedded_models_setting_true_when_applied_on_model_builder():  # noqa: E501
    builder = lb.ModelBuilder()
    builder.settings['strictEmbeddedModels'] = True
    M1 = builder.define('testEmbedded', {
        'name': 'string',
        'address': {
            'street': 'string',
        },
    })
    m1 = M1({
        'name': 'Jim',
        'address': {
            'street': 'washington st',
            'number': 5512,
        },
    })
    assert m1.address['number'] is None, 'm1 should not contain number property in address'
    assert m1.address.isValid() is False, \
        'm1 address should not validate with extra property'
    codes = m1.address.errors and m1.address.errors.codes or {}
    assert codes['number'] == ['unknown-property']


# -- updateOnly ----------------------------------------------------------------

def post_with_date(ds):
    return ds.define('Post', {
        'title': {'type': str, 'length': 255},
        'date': {'type': dt.datetime, 'default': lambda: dt.datetime.now(dt.timezone.utc)},
    })


def test_update_only__sets_force_id_to_true_when_model_id_is_generated():
    ds = lb.DataSource('memory')
    Post = post_with_date(ds)
    # check if forceId is added as true in ModelClass's settings[] explicitly,
    # if id a generated (default) and forceId in from the model is
    # true(unspecified is 'true' which is the default).
    assert Post.settings['forceId'] == 'auto'


def test_update_only__flags_id_as_update_only_when_force_id_is_undefined():
    ds = lb.DataSource('memory')
    Post = post_with_date(ds)
    # check if method getUpdateOnlyProperties exist in ModelClass and check if
    # the Post has 'id' in updateOnlyProperties list
    assert hasattr(Post, 'getUpdateOnlyProperties')
    assert Post.getUpdateOnlyProperties() == ['id']


def test_update_only__does_not_flag_id_as_update_only_when_force_id_is_false():
    ds = lb.DataSource('memory')
    Person = ds.define('Person', {'name': str, 'gender': str}, {'forceId': False})
    # id should not be there in updateOnly properties list if forceId is set to false
    assert hasattr(Person, 'getUpdateOnlyProperties')
    assert Person.getUpdateOnlyProperties() == []


def test_update_only__flags_id_as_update_only_when_force_id_is_true():
    ds = lb.DataSource('memory')
    Person = ds.define('Person', {'name': str, 'gender': str}, {'forceId': True})
    # id should be there in updateOnly properties list if forceId is set to true
    assert hasattr(Person, 'getUpdateOnlyProperties')
    assert Person.getUpdateOnlyProperties() == ['id']
