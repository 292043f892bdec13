"""Port of juggler 3.36.1's test/hooks.test.js: the legacy model hooks.

# LoopBack: User.beforeCreate = function(next, data) { ...; next(); };
#           User.afterCreate = function(next) { this.email ...; next(); };

juggler's Hookable (lib/hooks.js) calls a model's ``before<Action>`` hook as
``beforeHook.call(inst, next, data)`` and its ``after<Action>`` hook as
``afterHook.call(inst, next)``; ``afterInitialize`` as ``afterInitialize.call(inst)``.
Python passes the instance (JavaScript's ``this``) first (DESIGN.md, "one
rule for ``this``"): ``User.beforeCreate = fn(inst, next, data)``,
``User.afterCreate = fn(inst, next)``, ``User.afterInitialize = fn(inst)``.

juggler defines ``User`` once in a ``before`` of the whole file (on
``getSchema()``: here the ``db`` fixture, memory/SQLite/PostgreSQL) and
clears the hooks it set in ``afterEach``; here every case gets a fresh data
source and model, so nothing carries over and the ``afterEach`` resets have
nothing to undo.

mocha's ``done`` is :class:`Done`: ``done.wait()`` suspends the case until a
hook calls ``done()`` (the case fails when nothing left in the loop will).
Where juggler lets a hook throw (``should.fail``, ``throw new Error(...)``),
which fails its case as an uncaught exception, the port also records the
call and asserts that none happened: loopback_compat delivers an error a
hook or connector raises to the operation's callback, which juggler's cases
here ignore.
"""

import random

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome

# juggler prints its deprecation of every legacy hook (depd, on stderr); here
# it is a DeprecationWarning, which these cases expect (hooks.py)
pytestmark = [
    pytest.mark.lb_fiber,
    pytest.mark.filterwarnings('ignore:Model hook .* is deprecated:DeprecationWarning'),
]


class Done:
    """mocha's ``done``: call it (``done()`` / ``done(err)``), or ``wait()`` for it."""

    def __init__(self):
        self.calls = []
        self._settle = []
        self._promise = lb.Promise(lambda resolve, reject: self._settle.append(resolve))

    def __call__(self, err=None, *args):
        self.calls.append(err)
        self._settle[0](None)

    @property
    def called(self):
        return bool(self.calls)

    def wait(self):
        lb.await_(self._promise)
        if self.calls[0] is not None:
            raise self.calls[0]


def should_fail(message):
    raise AssertionError(message)


@pytest.fixture
def User(db):
    # before(): db = getSchema(); User = db.define('User', {...}); db.automigrate('User')
    def setup():
        model = db.define('User', {
            'email': {'type': str, 'index': True},
            'name': str,
            'password': str,
            'state': str,
        })
        lb.await_(db.automigrate('User'))
        return model
    return lb.run(setup)


def addHooks(User, name, done):
    rnd = str(random.randrange(1000))
    state = {'called': False}

    def before(inst, next_, data):
        state['called'] = True
        data['email'] = rnd
        next_()

    def after(inst, next_):
        assert state['called'] is True
        assert inst.email == rnd
        done()
    setattr(User, 'before' + name, before)
    setattr(User, 'after' + name, after)


def removeHooks(User, name):
    setattr(User, 'after' + name, None)
    setattr(User, 'before' + name, None)


# ---------------------------------------------------------------------------
# describe('initialize')

def test_hooks__initialize__should_be_triggered_on_new(User):
    done = Done()
    User.afterInitialize = lambda inst: done()
    User()
    done.wait()


def test_hooks__initialize__should_be_triggered_on_create(User):

    def after_initialize(inst):
        if inst.name == 'Nickolay':
            inst.name += ' Rozental'
    User.afterInitialize = after_initialize
    err, (u,), _ = callback_outcome(User.create, {'name': 'Nickolay'})
    assert u.id
    assert u.name == 'Nickolay Rozental'


# ---------------------------------------------------------------------------
# describe('create')

def test_hooks__create__should_be_triggered_on_create(User):
    done = Done()
    addHooks(User, 'Create', done)
    User.create()
    done.wait()


def test_hooks__create__should_not_be_triggered_on_new(User):
    calls = []

    def before_create(inst, next_):
        calls.append('beforeCreate')
        should_fail('This should not be called')
        next_()
    User.beforeCreate = before_create
    User()
    assert calls == []


def test_hooks__create__should_be_triggered_on_new_save(User):
    done = Done()
    addHooks(User, 'Create', done)
    User().save()
    done.wait()


def test_hooks__create__after_create_should_not_be_triggered_on_failed_create(User):
    calls = []
    connector = User.dataSource.connector

    # juggler's replacement takes (modelName, id, cb): juggler passes no options
    # to a connector method declaring fewer parameters (Function.length); Python
    # has no such arity check, so the replacement takes the options too
    def create(modelName, data, options, cb):
        cb(Exception('error'))
    connector.create = create

    def after_create(inst, next_=None):
        calls.append('afterCreate')
        raise Exception("shouldn't be called")
    User.afterCreate = after_create
    callback_outcome(User.create)
    del connector.create   # User.dataSource.connector.create = old
    assert calls == []


def test_hooks__create__after_create_should_not_be_triggered_on_failed_before_create(User):
    calls = []
    connector = User.dataSource.connector

    def before_create(inst, next_, data):
        # Skip next()
        next_(Exception('fail in beforeCreate'))
    User.beforeCreate = before_create

    def create(modelName, data, options, cb):
        calls.append('connector.create')
        raise Exception("shouldn't be called")
    connector.create = create

    def after_create(inst, next_=None):
        calls.append('afterCreate')
        raise Exception("shouldn't be called")
    User.afterCreate = after_create
    callback_outcome(User.create)
    del connector.create   # User.dataSource.connector.create = old
    assert calls == []


# ---------------------------------------------------------------------------
# describe('save')

def test_hooks__save__should_be_triggered_on_create(User):
    done = Done()
    addHooks(User, 'Save', done)
    User.create()
    done.wait()


def test_hooks__save__should_be_triggered_on_new_save(User):
    done = Done()
    addHooks(User, 'Save', done)
    User().save()
    done.wait()


def test_hooks__save__should_be_triggered_on_update_attributes(User):
    done = Done()
    err, (user,), _ = callback_outcome(User.create)
    addHooks(User, 'Save', done)
    user.updateAttributes({'name': 'Anatoliy'})
    done.wait()


def test_hooks__save__should_be_triggered_on_save(User):
    done = Done()
    err, (user,), _ = callback_outcome(User.create)
    addHooks(User, 'Save', done)
    user.name = 'Hamburger'
    user.save()
    done.wait()


def test_hooks__save__should_save_full_object(User):
    done = Done()
    err, (user,), _ = callback_outcome(User.create)

    def before_save(inst, next_, data):
        # juggler: {id, name, email, password, state}, the four never set as
        # undefined; toObject() leaves out properties never set
        # (docs/differences.md, Python spellings): the full object is the id
        assert set(data.keys()) == {'id'}
        assert data == inst.toObject(True)
        done()
    User.beforeSave = before_save
    user.save()
    done.wait()


def test_hooks__save__should_save_actual_modifications_to_database(User):

    def before_save(inst, next_, data):
        data['password'] = 'hash'
        next_()
    User.beforeSave = before_save
    callback_outcome(User.destroyAll)
    callback_outcome(User.create, {
        'email': 'james.bond@example.com',
        'password': '53cr3t',
    })
    err, (jb,), _ = callback_outcome(User.findOne, {
        'where': {'email': 'james.bond@example.com'},
    })
    assert jb.password == 'hash'


def test_hooks__save__should_save_actual_modifications_on_update_attributes(User):

    def before_save(inst, next_, data):
        data['password'] = 'hash'
        next_()
    User.beforeSave = before_save
    callback_outcome(User.destroyAll)
    err, (u,), _ = callback_outcome(User.create, {
        'email': 'james.bond@example.com',
    })
    e, (u,), _ = callback_outcome(u.updateAttribute, 'password', 'new password')
    assert e is None
    assert u is not None
    assert u.password == 'hash'
    err, (jb,), _ = callback_outcome(User.findOne, {
        'where': {'email': 'james.bond@example.com'},
    })
    assert jb.password == 'hash'


def test_hooks__save__before_save_should_be_able_to_skip_next(User):
    err, (user,), _ = callback_outcome(User.create)

    def before_save(inst, next_, data):
        next_(None, 'XYZ')
    User.beforeSave = before_save
    err, results, _ = callback_outcome(user.save)
    assert results[0] == 'XYZ'


# ---------------------------------------------------------------------------
# describe('update')

def test_hooks__update__should_not_be_triggered_on_create(User):
    calls = []

    def before_update(inst, next_):
        calls.append('beforeUpdate')
        should_fail('This should not be called')
        next_()
    User.beforeUpdate = before_update
    lb.await_(User.create())
    assert calls == []


def test_hooks__update__should_not_be_triggered_on_new_save(User):
    calls = []

    def before_update(inst, next_):
        calls.append('beforeUpdate')
        should_fail('This should not be called')
        next_()
    User.beforeUpdate = before_update
    lb.await_(User().save())
    assert calls == []


def test_hooks__update__should_be_triggered_on_update_attributes(User):
    done = Done()
    err, (user,), _ = callback_outcome(User.create)
    addHooks(User, 'Update', done)
    user.updateAttributes({'name': 'Anatoliy'})
    done.wait()


def test_hooks__update__should_be_triggered_on_save(User):
    done = Done()
    err, (user,), _ = callback_outcome(User.create)
    addHooks(User, 'Update', done)
    user.name = 'Hamburger'
    user.save()
    done.wait()


def test_hooks__update__should_update_limited_set_of_fields(User):
    done = Done()
    err, (user,), _ = callback_outcome(User.create)

    def before_update(inst, next_, data):
        assert set(data.keys()) == {'name', 'email'}
        done()
    User.beforeUpdate = before_update
    user.updateAttributes({'name': 1, 'email': 2})
    done.wait()


def test_hooks__update__should_not_trigger_after_hook_on_failed_save(User):
    calls = []

    def after_update(inst, next_=None):
        calls.append('afterUpdate')
        should_fail("afterUpdate shouldn't be called")
    User.afterUpdate = after_update
    err, (user,), _ = callback_outcome(User.create)
    connector = User.dataSource.connector

    # (modelName, id, cb) in juggler: see the failed-create case above
    def save(modelName, data, options, cb):
        del connector.save   # User.dataSource.connector.save = save
        cb(Exception('Error'))
    connector.save = save

    callback_outcome(user.save)
    assert calls == []


# ---------------------------------------------------------------------------
# describe('destroy')

def test_hooks__destroy__should_be_triggered_on_destroy(User):
    hook = ['not called']

    def before_destroy(inst, next_):
        hook[0] = 'called'
        next_()
    User.beforeDestroy = before_destroy

    def after_destroy(inst, next_):
        assert hook[0] == 'called'
        next_()
    User.afterDestroy = after_destroy
    err, (user,), _ = callback_outcome(User.create)
    done = Done()
    user.destroy(done)
    done.wait()


def test_hooks__destroy__should_not_trigger_after_hook_on_failed_destroy(User):
    calls = []
    connector = User.dataSource.connector

    # (modelName, id, cb) in juggler: see the failed-create case above
    def destroy(modelName, id, options, cb):
        cb(Exception('error'))
    connector.destroy = destroy

    def after_destroy(inst, next_=None):
        calls.append('afterDestroy')
        should_fail("afterDestroy shouldn't be called")
    User.afterDestroy = after_destroy
    err, (user,), _ = callback_outcome(User.create)
    callback_outcome(user.destroy)
    del connector.destroy   # User.dataSource.connector.destroy = destroy
    assert calls == []


# ---------------------------------------------------------------------------
# describe('lifecycle')

@pytest.fixture
def lifecycle(User):
    """The describe's before(): every hook pushes its name onto ``life``;
    one user is created, then ``life`` is emptied (also its beforeEach)."""
    life = []

    def hook(name):
        def fn(inst, d=None, *_):
            life.append(name)
            d()
        return fn
    User.beforeSave = hook('beforeSave')
    User.beforeCreate = hook('beforeCreate')
    User.beforeUpdate = hook('beforeUpdate')
    User.beforeDestroy = hook('beforeDestroy')
    User.beforeValidate = hook('beforeValidate')
    User.afterInitialize = lambda inst: life.append('afterInitialize')
    User.afterSave = hook('afterSave')
    User.afterCreate = hook('afterCreate')
    User.afterUpdate = hook('afterUpdate')
    User.afterDestroy = hook('afterDestroy')
    User.afterValidate = hook('afterValidate')
    user = lb.run(lambda: lb.await_(User.create()))
    del life[:]
    return life, user


def test_hooks__lifecycle__should_describe_create_sequence(User, lifecycle):
    life, user = lifecycle
    callback_outcome(User.create)
    assert life == [
        'afterInitialize',
        'beforeValidate',
        'afterValidate',
        'beforeCreate',
        'beforeSave',
        'afterSave',
        'afterCreate',
    ]


def test_hooks__lifecycle__should_describe_new_save_sequence(User, lifecycle):
    life, user = lifecycle
    u = User()
    callback_outcome(u.save)
    assert life == [
        'afterInitialize',
        'beforeValidate',
        'afterValidate',
        'beforeCreate',
        'beforeSave',
        'afterSave',
        'afterCreate',
    ]


def test_hooks__lifecycle__should_describe_update_attributes_sequence(User, lifecycle):
    life, user = lifecycle
    callback_outcome(user.updateAttributes, {'name': 'Antony'})
    assert life == [
        'beforeValidate',
        'afterValidate',
        'beforeSave',
        'beforeUpdate',
        'afterUpdate',
        'afterSave',
    ]


def test_hooks__lifecycle__should_describe_is_valid_sequence(User, lifecycle):
    life, user = lifecycle
    # 'Expected user to have no validations, but she have'
    assert getattr(type(user), '_validations', None) is None
    valid = callback_outcome(lambda cb: user.isValid(cb)).err   # isValid(function(valid))
    assert valid is True
    assert life == [
        'beforeValidate',
        'afterValidate',
    ]


def test_hooks__lifecycle__should_describe_destroy_sequence(User, lifecycle):
    life, user = lifecycle
    callback_outcome(user.destroy)
    assert life == [
        'beforeDestroy',
        'afterDestroy',
    ]
