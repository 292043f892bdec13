"""Port of juggler 3.36.1's test/crud-with-options.test.js (issue 18).

juggler defines ``User`` once on ``getSchema()`` and shares it, and its data,
across every describe block of the file, in file order (its seed depends on
it: on memory, the id 0 it creates becomes the id counter's next value, 7,
only because the findByIds block created ids 1-6 before; on a fresh data
source it collides with id 1).  So this module overrides ``ds`` with one data
source per connector for the whole module, and each case first runs the
``before`` hooks mocha would have run by then (:func:`enter`); a
``beforeEach`` is a helper called at the start of the case.

Spellings (docs/differences.md):
- argument errors that juggler throws synchronously ("should throw ...") may
  be delivered through the callback here (:func:`argument_error` takes
  either); a non-callable callback is still thrown at once;
- JavaScript's ``undefined`` as an argument is ``None``, and a Python method
  takes no more positional arguments than it declares: ``find`` takes
  ``(query, options, cb)``, so "should skip trailing undefined args" passes
  one trailing ``None`` instead of juggler's two ``undefined``.
"""

import datetime

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome

pytestmark = pytest.mark.lb_fiber

UTC = datetime.timezone.utc


# -- juggler's shared getSchema() and mocha's before/after hooks -------------

@pytest.fixture(scope='module', params=['memory', 'sqlite', 'postgresql'])
def ds(request, tmp_path_factory):
    """juggler's getSchema() for this file: one data source per connector,
    shared by the cases in file order (``db`` returns it)."""
    factories = next(plugin.CONNECTOR_FACTORIES
                     for plugin in request.config.pluginmanager.get_plugins()
                     if hasattr(plugin, 'CONNECTOR_FACTORIES'))
    source = factories[request.param](tmp_path_factory.mktemp(request.param))
    yield source
    source.disconnect(lambda *args: None)
    lb.run(lambda: None)


_suites = {}


def enter(db, *path):
    """Run the after hooks of the describe blocks left and the before hooks of
    those entered since the previous case on ``db`` (mocha's order); returns
    the shared variables (juggler's module-level ``let``s).  A before hook
    that fails is run again by the next case, as each case must report it."""
    state = _suites.setdefault(db, {'stack': [], 'vars': {}})
    stack = state['stack']
    common = 0
    while common < min(len(stack), len(path)) and stack[common] == path[common]:
        common += 1
    while len(stack) > common:
        after = HOOKS.get(tuple(stack), (None, None))[1]
        stack.pop()
        if after is not None:
            after(db, state['vars'])
    for depth in range(common, len(path)):
        before = HOOKS.get(path[:depth + 1], (None, None))[0]
        if before is not None:
            try:
                before(db, state['vars'])
            except Exception as err:  # noqa: BLE001 - reported as mocha does
                # (a short report: formatting the fiber's traceback for each
                # case of the block would cost more than the cases)
                pytest.fail('"before all" hook of %r failed: %s: %s' % (
                    ' '.join(path[:depth + 1]), type(err).__name__, err), pytrace=False)
        stack.append(path[depth])
    return state['vars']


def before_crud_with_options(db, v):
    v['User'] = db.define('User', {
        'id': {'type': 'Number', 'id': True},
        'seq': {'type': 'Number', 'index': True},
        'name': {'type': 'String', 'index': True, 'sort': True},
        'email': {'type': 'String', 'index': True},
        'birthday': {'type': 'Date', 'index': True},
        'role': {'type': 'String', 'index': True},
        'order': {'type': 'Number', 'index': True, 'sort': True},
        'vip': {'type': 'Boolean'},
        'address': {'type': {'city': 'String', 'area': 'String'}},
    })
    v['options'] = {}
    v['filter'] = {'fields': ['name', 'id']}
    lb.await_(db.automigrate(['User']))


def before_find_by_id(db, v):
    lb.await_(v['User'].destroyAll())


def before_find_by_ids(db, v):
    User = v['User']
    people = [
        {'id': 1, 'name': 'a', 'vip': True},
        {'id': 2, 'name': 'b'},
        {'id': 3, 'name': 'c'},
        {'id': 4, 'name': 'd', 'vip': True},
        {'id': 5, 'name': 'e'},
        {'id': 6, 'name': 'f'},
    ]
    # Use automigrate so that serial keys are 1-6
    lb.await_(db.automigrate(['User']))
    callback_outcome(User.create, people, v['options'])


def before_seed(db, v):
    seed(v['User'])


def before_upsert_with_where(db, v):
    if 'User' not in v:   # run alone: crud-with-options' before defines User
        before_crud_with_options(db, v)


HOOKS = {
    ('crud-with-options',): (before_crud_with_options, None),
    ('crud-with-options', 'findById'): (before_find_by_id, None),
    ('crud-with-options', 'findByIds'): (before_find_by_ids, None),
    ('crud-with-options', 'find'): (before_seed, None),
    ('crud-with-options', 'count'): (before_seed, None),
    ('crud-with-options', 'findOne'): (before_seed, None),
    ('crud-with-options', 'exists'): (before_seed, None),
    ('upsertWithWhere',): (before_upsert_with_where, None),
}


def argument_error(fn, *args):
    """The error of ``fn(*args, cb)``, which juggler throws synchronously:
    thrown here too, or passed to ``cb`` (docs/differences.md)."""
    try:
        return callback_outcome(fn, *args).err
    except lb.LoopBackError as err:
        return err


def suite(db, gap, *path, then=None):
    """Mark the case a gap when ``then`` names one, and enter its describe
    block; returns (User, shared variables)."""
    if then:
        gap(then)
    v = enter(db, *path)
    return v['User'], v


BEATLES = [
    {'id': 0, 'seq': 0, 'name': 'John Lennon', 'email': 'john@b3atl3s.co.uk',
     'role': 'lead', 'birthday': datetime.datetime(1980, 12, 8, tzinfo=UTC), 'order': 2,
     'vip': True},
    {'id': 1, 'seq': 1, 'name': 'Paul McCartney', 'email': 'paul@b3atl3s.co.uk',
     'role': 'lead', 'birthday': datetime.datetime(1942, 6, 18, tzinfo=UTC), 'order': 1,
     'vip': True},
    {'id': 2, 'seq': 2, 'name': 'George Harrison', 'order': 5, 'vip': False},
    {'id': 3, 'seq': 3, 'name': 'Ringo Starr', 'order': 6, 'vip': False},
    {'id': 4, 'seq': 4, 'name': 'Pete Best', 'order': 4},
    {'id': 5, 'seq': 5, 'name': 'Stuart Sutcliffe', 'order': 3, 'vip': True},
]


def seed(User):
    """juggler's seed(): destroyAll, then create the six Beatles in parallel (async.each)."""
    lb.await_(User.destroyAll())
    lb.await_(lb.Promise.all([User.create(dict(b)) for b in BEATLES]))


def names(users):
    return [u.name for u in users]


# -- describe('findById') -----------------------------------------------------

def test_crud_with_options__find_by_id__should_allow_find_by_id_id_options_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    err, (u,), _ = callback_outcome(User.findById, 1, v['options'])
    assert u is None
    assert err is None


def test_crud_with_options__find_by_id__should_allow_find_by_id_id_filter_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    err, (u,), _ = callback_outcome(User.findById, 1, v['filter'])
    assert u is None
    assert err is None


def test_crud_with_options__find_by_id__should_allow_find_by_id_id(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    User.findById(1)


def test_crud_with_options__find_by_id__should_allow_find_by_id_id_filter(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    User.findById(1, v['filter'])


def test_crud_with_options__find_by_id__should_allow_find_by_id_id_options(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    User.findById(1, v['options'])


def test_crud_with_options__find_by_id__should_allow_find_by_id_id_filter_options(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    User.findById(1, v['filter'], v['options'])


def test_crud_with_options__find_by_id__should_throw_when_invalid_filter_are_provided_for_find_by_id(
        db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    err = argument_error(User.findById, 1, '123')
    assert err.message == 'The filter argument must be an object'


def test_crud_with_options__find_by_id__should_throw_when_invalid_options_are_provided_for_find_by_id(
        db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    err = argument_error(User.findById, 1, v['filter'], '123')
    assert err.message == 'The options argument must be an object'


def test_crud_with_options__find_by_id__should_report_an_invalid_id_via_callback_for_find_by_id(
        db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    err = callback_outcome(User.findById, None, {}).err
    # err.should.be.eql(new Error('Model::findById requires the id argument'))
    assert err.message == 'Model::findById requires the id argument'
    assert getattr(err, 'statusCode', None) is None


def test_crud_with_options__find_by_id__should_allow_find_by_id_id_filter_cb_for_a_matching_id(
        db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    err, (u,), _ = callback_outcome(User.create, {'name': 'x', 'email': 'x@y.com'})
    assert err is None
    assert u.id is not None
    err, (u,), _ = callback_outcome(User.findById, u.id, v['filter'])
    assert u is not None
    assert err is None
    assert isinstance(u, User)
    assert u.name == 'x'
    assert hasattr(u, 'email') and u.email is None


def test_crud_with_options__find_by_id__should_allow_find_by_id_id_options_cb_for_a_matching_id(
        db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    err, (u,), _ = callback_outcome(User.create, {'name': 'y', 'email': 'y@y.com'})
    assert err is None
    assert u.id is not None
    err, (u,), _ = callback_outcome(User.findById, u.id, v['options'])
    assert u is not None
    assert err is None
    assert isinstance(u, User)
    assert u.name == 'y'
    assert u.email == 'y@y.com'


def test_crud_with_options__find_by_id__should_allow_find_by_id_id_filter_options_cb_for_a_matching_id(
        db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')
    err, (u,), _ = callback_outcome(User.create, {'name': 'z', 'email': 'z@y.com'})
    assert err is None
    assert u.id is not None
    err, (u,), _ = callback_outcome(User.findById, u.id, v['filter'], v['options'])
    assert u is not None
    assert err is None
    assert isinstance(u, User)
    assert u.name == 'z'
    assert hasattr(u, 'email') and u.email is None


def test_crud_with_options__find_by_id__should_allow_promise_style_find_by_id(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findById')

    def first(u):
        assert u.id is not None

        def check(u):
            assert u is not None
            assert isinstance(u, User)
            assert u.name == 'w'
            assert u.email == 'w@y.com'
            return u
        return User.findById(u.id).then(check)

    def second(u):
        assert u is not None
        assert u.id is not None

        def check(u):
            assert u is not None
            assert isinstance(u, User)
            assert u.name == 'w'
            assert u.email is None
            return u
        return User.findById(u.id, v['filter']).then(check)

    def third(u):
        assert u is not None
        assert u.id is not None

        def check(u):
            assert u is not None
            assert isinstance(u, User)
            assert u.name == 'w'
            assert u.email == 'w@y.com'
            return u
        return User.findById(u.id, v['options']).then(check)

    def fourth(u):
        assert u is not None
        assert u.id is not None

        def check(u):
            assert u is not None
            assert isinstance(u, User)
            assert u.name == 'w'
            assert u.email is None
            return 'done'
        return User.findById(u.id, v['filter'], v['options']).then(check)

    result = lb.await_(User.create({'id': 15, 'name': 'w', 'email': 'w@y.com'})
                       .then(first).then(second).then(third).then(fourth))
    assert result == 'done'


# -- describe('findByIds') ----------------------------------------------------

def test_crud_with_options__find_by_ids__should_allow_find_by_ids_ids_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findByIds')
    err, (users,), _ = callback_outcome(User.findByIds, [3, 2, 1])
    assert users is not None
    assert err is None
    assert names(users) == ['c', 'b', 'a']


def test_crud_with_options__find_by_ids__should_allow_find_by_ids_ids_filter_options_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findByIds')
    err, (users,), _ = callback_outcome(User.findByIds, [4, 3, 2, 1],
                                        {'where': {'vip': True}}, v['options'])
    assert users is not None
    assert err is None
    assert names(users) == ['d', 'a']


# -- describe('find') ---------------------------------------------------------

def test_crud_with_options__find__should_allow_find_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'find')
    err, (users,), _ = callback_outcome(User.find)
    assert users is not None
    assert err is None
    assert len(users) == 6


def test_crud_with_options__find__should_allow_find_filter_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'find')
    err, (users,), _ = callback_outcome(User.find, {'limit': 3})
    assert users is not None
    assert err is None
    assert len(users) == 3


def test_crud_with_options__find__should_allow_find_filter_options_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'find')
    err, (users,), _ = callback_outcome(User.find, {}, v['options'])
    assert users is not None
    assert err is None
    assert len(users) == 6


def test_crud_with_options__find__should_allow_find_filter_options(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'find')
    User.find({'limit': 3}, v['options'])


def test_crud_with_options__find__should_allow_find_filter(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'find')
    User.find({'limit': 3})


def test_crud_with_options__find__should_skip_trailing_undefined_args(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'find')
    # juggler: User.find({limit: 3}, cb, undefined, undefined)
    err, (users,), _ = callback_outcome(
        lambda cb: User.find({'limit': 3}, cb, None))
    assert users is not None
    assert err is None
    assert len(users) == 3


def test_crud_with_options__find__should_throw_on_an_invalid_query_arg(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'find')
    err = argument_error(User.find, 'invalid query')
    assert err.message == 'The query argument must be an object'


def test_crud_with_options__find__should_throw_on_an_invalid_options_arg(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'find')
    err = argument_error(User.find, {'limit': 3}, 'invalid option')
    assert err.message == 'The options argument must be an object'


def test_crud_with_options__find__should_throw_on_an_invalid_cb_arg(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'find')
    with pytest.raises(lb.LoopBackError) as info:
        User.find({'limit': 3}, {}, 'invalid cb')
    assert info.value.message == 'The cb argument must be a function'


# -- describe('count') --------------------------------------------------------

def test_crud_with_options__count__should_allow_count_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'count')
    err, (n,), _ = callback_outcome(User.count)
    assert err is None
    assert n is not None
    assert n == 6


def test_crud_with_options__count__should_allow_count_where_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'count')
    err, (n,), _ = callback_outcome(User.count, {'role': 'lead'})
    assert err is None
    assert n is not None
    assert n == 2


def test_crud_with_options__count__should_allow_count_where_options_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'count')
    err, (n,), _ = callback_outcome(User.count, {'role': 'lead'}, v['options'])
    assert err is None
    assert n is not None
    assert n == 2


# -- describe('findOne') ------------------------------------------------------

def test_crud_with_options__find_one__should_allow_find_one_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findOne')
    _, (users,), _ = callback_outcome(User.find, {'order': 'id'})
    e, (u,), _ = callback_outcome(User.findOne)
    assert e is None
    assert u is not None
    assert str(u.id) == str(users[0].id)


def test_crud_with_options__find_one__should_allow_find_one_filter_options_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findOne')
    e, (u,), _ = callback_outcome(User.findOne, {'order': 'order'}, v['options'])
    assert e is None
    assert u is not None
    assert u.order == 1
    assert u.name == 'Paul McCartney'


def test_crud_with_options__find_one__should_allow_find_one_filter_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findOne')
    e, (u,), _ = callback_outcome(User.findOne, {'order': 'order'})
    assert e is None
    assert u is not None
    assert u.order == 1
    assert u.name == 'Paul McCartney'


def test_crud_with_options__find_one__should_allow_trailing_undefined_args(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'findOne')
    e, (u,), _ = callback_outcome(
        lambda cb: User.findOne({'order': 'order'}, cb, None))
    assert e is None
    assert u is not None
    assert u.order == 1
    assert u.name == 'Paul McCartney'


# -- describe('exists') -------------------------------------------------------

def test_crud_with_options__exists__should_allow_exists_id_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'exists')
    _, (u,), _ = callback_outcome(User.findOne)
    err, (exists,), _ = callback_outcome(User.exists, u.id)
    assert err is None
    assert exists is not None
    assert exists


def test_crud_with_options__exists__should_allow_exists_id_options_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'exists')
    callback_outcome(User.destroyAll)
    err, (exists,), _ = callback_outcome(User.exists, 42, v['options'])
    assert err is None
    assert not exists


# -- describe('save') ---------------------------------------------------------

def test_crud_with_options__save__should_allow_save_options_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'save')
    options = {'foo': 'bar'}
    opts = []

    def after_save(ctx, next):
        opts.append(ctx.options)
        next()
    User.observe('after save', after_save)

    u = User()
    err = callback_outcome(u.save, options).err
    assert err is None
    assert options is opts[-1]


# -- describe('destroyAll with options') --------------------------------------

def test_crud_with_options__destroy_all_with_options__should_allow_destroy_all_where_options_cb(
        db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'destroyAll with options')
    seed(User)  # beforeEach(seed)
    err = callback_outcome(User.destroyAll, {'name': 'John Lennon'}, v['options']).err
    assert err is None
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Lennon'}})
    assert err is None
    assert len(data) == 0
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'Paul McCartney'}})
    assert err is None
    assert len(data) == 1


def test_crud_with_options__destroy_all_with_options__should_allow_destroy_all_where_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'destroyAll with options')
    seed(User)  # beforeEach(seed)
    err = callback_outcome(User.destroyAll, {'name': 'John Lennon'}).err
    assert err is None
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Lennon'}})
    assert err is None
    assert len(data) == 0
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'Paul McCartney'}})
    assert err is None
    assert len(data) == 1


def test_crud_with_options__destroy_all_with_options__should_allow_destroy_all_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'destroyAll with options')
    seed(User)  # beforeEach(seed)
    err = callback_outcome(User.destroyAll).err
    assert err is None
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Lennon'}})
    assert err is None
    assert len(data) == 0
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'Paul McCartney'}})
    assert err is None
    assert len(data) == 0


# -- describe('updateAll ') ---------------------------------------------------

def test_crud_with_options__update_all__should_allow_update_all_where_data_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'updateAll ')
    seed(User)  # beforeEach(seed)
    err = callback_outcome(User.update, {'name': 'John Lennon'}, {'name': 'John Smith'}).err
    assert err is None
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Lennon'}})
    assert err is None
    assert len(data) == 0
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Smith'}})
    assert err is None
    assert len(data) == 1


def test_crud_with_options__update_all__should_allow_update_all_where_data_options_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'updateAll ')
    seed(User)  # beforeEach(seed)
    err = callback_outcome(User.update, {'name': 'John Lennon'}, {'name': 'John Smith'},
                           v['options']).err
    assert err is None
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Lennon'}})
    assert err is None
    assert len(data) == 0
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Smith'}})
    assert err is None
    assert len(data) == 1


def test_crud_with_options__update_all__should_allow_update_all_data_cb(db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'updateAll ')
    seed(User)  # beforeEach(seed)
    callback_outcome(User.update, {'name': 'John Smith'})
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Lennon'}})
    assert err is None
    assert len(data) == 0
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Smith'}})
    assert err is None
    assert len(data) == 6


# -- describe('updateAttributes') ---------------------------------------------

def test_crud_with_options__update_attributes__preserves_document_properties_not_modified_by_the_patch(
        db, gap):
    User, v = suite(db, gap, 'crud-with-options', 'updateAttributes')
    seed(User)  # beforeEach(seed)

    def patch(user):
        return user.updateAttributes({'address': {'city': 'Volos'}})

    def check(updated_user):
        assert updated_user.address['city'] == 'Volos'
        # should(updatedUser.address.area).not.be.exactly(null) / .be.undefined()
        assert 'area' not in updated_user.address

    lb.await_(User.findOne({'where': {'name': 'John Lennon'}})
              .then(patch)
              # retrieve the user again from the db
              .then(lambda _: User.findOne({'where': {'name': 'John Lennon'}}))
              .then(check))


# -- describe('upsertWithWhere') (top level, on crud-with-options' User) ------

def test_upsert_with_where__rejects_upsert_with_where_options_cb(db, gap):
    User, v = suite(db, gap, 'upsertWithWhere')
    seed(User)  # beforeEach(seed)
    err = argument_error(User.upsertWithWhere, {})
    assert err.message == 'The data argument must be an object'


def test_upsert_with_where__rejects_upsert_with_where_cb(db, gap):
    User, v = suite(db, gap, 'upsertWithWhere')
    seed(User)  # beforeEach(seed)
    err = argument_error(User.upsertWithWhere)
    assert err.message == 'The where argument must be an object'


def test_upsert_with_where__allows_upsert_with_where_by_accepting_where_data_and_cb_as_arguments(
        db, gap):
    User, v = suite(db, gap, 'upsertWithWhere')
    seed(User)  # beforeEach(seed)
    err = callback_outcome(User.upsertWithWhere, {'name': 'John Lennon'},
                           {'name': 'John Smith'}).err
    assert err is None
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Lennon'}})
    assert err is None
    assert len(data) == 0
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Smith'}})
    assert err is None
    assert len(data) == 1
    assert data[0].name == 'John Smith'
    assert data[0].email == 'john@b3atl3s.co.uk'
    assert data[0].role == 'lead'
    assert data[0].order == 2
    assert data[0].vip is True


def test_upsert_with_where__allows_upsert_with_where_by_accepting_where_data_options_and_cb_as_arguments(
        db, gap):
    User, v = suite(db, gap, 'upsertWithWhere')
    seed(User)  # beforeEach(seed)
    v['options'] = {}
    err = callback_outcome(User.upsertWithWhere, {'name': 'John Lennon'},
                           {'name': 'John Smith'}, v['options']).err
    assert err is None
    err, (data,), _ = callback_outcome(User.find, {'where': {'name': 'John Smith'}})
    assert err is None
    assert len(data) == 1
    assert data[0].name == 'John Smith'
    assert data[0].seq == 0
    assert data[0].email == 'john@b3atl3s.co.uk'
    assert data[0].role == 'lead'
    assert data[0].order == 2
    assert data[0].vip is True
