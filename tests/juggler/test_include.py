"""Port of juggler 3.36.1's test/include.test.js (see conftest.py for the conventions).

juggler's ``describe('include')`` runs ``setup`` once (``before``) on
``getSchema()`` and its cases share the models and their data in file order;
here :func:`given_include` builds them on each case's own ``db``, so a case
that relies on data an earlier case wrote (the hasAndBelongsToMany ones)
first repeats what that case did.

``connectorCapabilities``: juggler's own run sets none of ``adhocSort``,
``cloudantCompatible`` and ``supportTwoOrMoreInq``, so the ``!== false``
branches run (on memory, SQLite and PostgreSQL, as LB3's SQL connectors leave
them unset too) and the ``=== false`` ones (``describeIf(adhocSort ===
false, 'findWithForeignKeysByPage')`` and the "- no sort" belongsTo case)
are skipped with juggler's reason.  The skipped ``findWithForeignKeysByPage``
describe shares its title with the one that runs; its cases are named
``..._find_with_foreign_keys_by_page_no_adhoc_sort__...``.

Spellings: ``x.__cachedRelations`` is ``x._cached_relations``, ``x.__data``
``x._data``, ``x.__strict`` ``x._strict``; ``should.have.property(name)`` on
an instance is ``hasattr`` (the relation accessor is an attribute, as in
JavaScript); ``db.connector.all = fn`` (the performance describe's call
counter) replaces the connector object's ``all``; JavaScript's
``Symbol('include')`` is a Python ``object()`` (an opaque value of no
include type); the memory connector's ``cache.User[1]`` is a row dict, not
JSON text.
"""

import datetime
import time

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome, rejection

pytestmark = pytest.mark.lb_fiber

KNOWN_USERS = ['User A', 'User B', 'User C', 'User D', 'User E']
KNOWN_PASSPORTS = ['1', '2', '3', '4']
KNOWN_POSTS = ['Post A', 'Post B', 'Post C', 'Post D', 'Post E']
KNOWN_PROFILES = ['Profile A', 'Profile B', 'Profile Z']



def no_adhoc_sort(name):
    """bdd.itIf / describeIf(connectorCapabilities.adhocSort === false): juggler's
    run leaves the flag unset, so the case is skipped."""
    return pytest.mark.skip(reason='[UNSUPPORTED] - %s (connectorCapabilities.adhocSort '
                                   "is not false in juggler's test/init.js)" % name)


class Given:
    """The models and the created items of ``setup``."""


def given_include(db):
    """``describe('include')``'s ``before(setup)``."""
    g = Given()
    g.db = db
    g.City = db.define('City')
    g.Street = db.define('Street')
    g.Building = db.define('Building')
    g.User = User = db.define('User', {'name': str, 'age': 'number'})
    g.Profile = Profile = db.define('Profile', {'profileName': str})
    g.AccessToken = AccessToken = db.define('AccessToken', {'token': str})
    g.Passport = Passport = db.define('Passport', {'number': str, 'expirationDate': 'date'})
    g.Post = Post = db.define('Post', {'title': {'type': str, 'index': True}})

    Passport.belongsTo('owner', {'model': User})
    User.hasMany('passports', {'foreignKey': 'ownerId'})
    User.hasMany('posts', {'foreignKey': 'userId'})
    User.hasMany('accesstokens', {'foreignKey': 'userId', 'options': {'disableInclude': True}})
    Profile.belongsTo('user', {'model': User})
    User.hasOne('profile', {'foreignKey': 'userId'})
    Post.belongsTo('author', {'model': User, 'foreignKey': 'userId'})

    g.Assembly = Assembly = db.define('Assembly', {'name': str})
    g.Part = Part = db.define('Part', {'partNumber': str})
    Assembly.hasAndBelongsToMany(Part)
    Part.hasAndBelongsToMany(Assembly)

    lb.await_(db.automigrate())
    g.users = clear_and_create(User, [
        {'name': 'User A', 'age': 21},
        {'name': 'User B', 'age': 22},
        {'name': 'User C', 'age': 23},
        {'name': 'User D', 'age': 24},
        {'name': 'User E', 'age': 25},
    ])
    u = g.users
    clear_and_create(AccessToken, [
        {'token': '1', 'userId': u[0].id},
        {'token': '2', 'userId': u[1].id},
    ])
    g.passports = clear_and_create(Passport, [
        {'number': '1', 'ownerId': u[0].id},
        {'number': '2', 'ownerId': u[1].id},
        {'number': '3'},
        {'number': '4', 'ownerId': u[2].id},
    ])
    g.posts = clear_and_create(Post, [
        {'title': 'Post A', 'userId': u[0].id},
        {'title': 'Post B', 'userId': u[0].id},
        {'title': 'Post C', 'userId': u[0].id},
        {'title': 'Post D', 'userId': u[1].id},
        {'title': 'Post E'},
    ])
    g.profiles = clear_and_create(Profile, [
        {'profileName': 'Profile A', 'userId': u[0].id},
        {'profileName': 'Profile B', 'userId': u[1].id},
        {'profileName': 'Profile Z'},
    ])
    return g


def clear_and_create(model, data):
    """juggler's clearAndCreate: destroyAll, then one create after the other."""
    lb.await_(model.destroyAll())
    return [lb.await_(model.create(item)) for item in data]


def assert_owner_included(p):
    """The per-passport checks of the belongsTo 'owner' cases."""
    assert 'owner' in p._cached_relations
    # The relation should be promoted as the 'owner' property
    assert hasattr(p, 'owner')
    # The __cachedRelations should be removed from json output
    assert '__cachedRelations' not in p.toJSON()
    owner = p._cached_relations['owner']
    if not p.ownerId:
        assert owner is None
    else:
        assert owner is not None
        assert owner.id == p.ownerId


def assert_posts_and_passports(users, title=None):
    """The per-user checks of the 'User - Posts AND Passports' cases."""
    assert users
    for user in users:
        # The relation should be promoted as the 'owner' property
        assert hasattr(user, 'posts')
        assert hasattr(user, 'passports')
        user_obj = user.toJSON()
        assert 'posts' in user_obj
        assert 'passports' in user_obj
        assert isinstance(user_obj['posts'], list)
        assert isinstance(user_obj['passports'], list)
        # The __cachedRelations should be removed from json output
        assert '__cachedRelations' not in user_obj
        assert 'posts' in user._cached_relations
        assert 'passports' in user._cached_relations
        for p in user._cached_relations['posts']:
            assert str(p.userId) == str(user.id)
            if title is not None:
                assert p.title == title
        for pp in user._cached_relations['passports']:
            assert str(pp.ownerId) == str(user.id)


# ---------------------------------------------------------------------------
# include

def test_include__should_fetch_belongs_to_relation(db):
    g = given_include(db)
    passports = lb.await_(g.Passport.find({'include': 'owner'}))
    assert len(passports)
    for p in passports:
        assert_owner_included(p)


def test_include__does_not_return_included_item_if_fk_is_excluded(db):
    g = given_include(db)
    passports = lb.await_(g.Passport.find({'include': 'owner', 'fields': 'number'}))
    owner = passports[0].toJSON().get('owner')
    assert owner is None


def test_include__should_fetch_has_many_relation(db):
    g = given_include(db)
    err, (users,), _ = callback_outcome(g.User.find, {'include': 'posts'})
    assert err is None
    assert users is not None
    assert len(users)
    for u in users:
        # The relation should be promoted as the 'owner' property
        assert hasattr(u, 'posts')
        # The __cachedRelations should be removed from json output
        assert '__cachedRelations' not in u.toJSON()
        assert 'posts' in u._cached_relations
        for p in u._cached_relations['posts']:
            assert str(p.userId) == str(u.id)


def test_include__should_report_errors_if_the_pk_is_excluded(db):
    g = given_include(db)
    err = callback_outcome(g.User.find, {'include': 'posts', 'fields': 'name'}).err
    assert err is not None
    assert 'ID property "id" is missing' in err.message


def test_include__should_not_have_changed_the_strict_flag_of_the_model(db):
    g = given_include(db)
    User = g.User
    original_strict = User.definition.settings.get('strict')
    User.definition.settings['strict'] = True   # regression test for issue #1252
    try:
        users = lb.await_(User.find({'include': 'posts'}))
        for user in users:
            assert user._strict is True   # we changed it
    finally:
        User.definition.settings['strict'] = original_strict


def test_include__should_not_save_in_db_included_models_in_query_returned_models(db):
    # bdd.itIf(connectorCapabilities.cloudantCompatible !== false): runs
    g = given_include(db)
    User = g.User
    original_strict = User.definition.settings.get('strict')
    User.definition.settings['strict'] = True   # regression test for issue #1252
    try:
        user = lb.await_(User.findOne({'where': {'name': 'User A'}, 'include': 'posts'}))
        assert user is not None, 'User Not found to check relation not saved'
        lb.await_(user.save())   # save the returned user
        # should not store in db the posts
        if db.settings.get('connector') == 'memory':
            row = db.connector.cache['User']['1']
            assert 'posts' not in row
        # (juggler: "TODO make native checks for other connectors as well")
    finally:
        User.definition.settings['strict'] = original_strict


def test_include__should_fetch_passport_owner_posts(db):
    g = given_include(db)
    err, (passports,), _ = callback_outcome(g.Passport.find, {'include': {'owner': 'posts'}})
    assert err is None
    assert passports is not None
    assert len(passports)
    for p in passports:
        assert 'owner' in p._cached_relations
        # The relation should be promoted as the 'owner' property
        assert hasattr(p, 'owner')
        # The __cachedRelations should be removed from json output
        assert '__cachedRelations' not in p.toJSON()
        user = p._cached_relations['owner']
        if not p.ownerId:
            assert user is None
        else:
            assert user is not None
            assert user.id == p.ownerId
            assert 'posts' in user._cached_relations
            assert hasattr(user, 'posts')
            assert isinstance(user.toJSON()['posts'], list)
            for pp in user._cached_relations['posts']:
                assert str(pp.userId) == str(user.id)


def test_include__should_fetch_passport_owner_empty_posts(db):
    g = given_include(db)
    err, (passport,), _ = callback_outcome(
        g.Passport.findOne, {'where': {'number': '4'}, 'include': {'owner': 'posts'}})
    assert err is None
    assert passport is not None
    assert 'owner' in passport._cached_relations
    # The relation should be promoted as the 'owner' property
    assert hasattr(passport, 'owner')
    # The __cachedRelations should be removed from json output
    assert '__cachedRelations' not in passport.toJSON()
    user = passport._cached_relations['owner']
    assert user is not None
    assert user.id == passport.ownerId
    assert 'posts' in user._cached_relations
    assert hasattr(user, 'posts')
    assert user.toJSON()['posts'] == []


def test_include__should_fetch_passport_owner_posts_alternate_syntax(db):
    g = given_include(db)
    err, (passports,), _ = callback_outcome(
        g.Passport.find, {'include': {'owner': {'relation': 'posts'}}})
    assert err is None
    assert passports is not None
    assert len(passports)
    # connectorCapabilities.adhocSort !== false
    posts = passports[0].owner().posts()
    assert len(posts) == 3


def test_include__should_fetch_passports_user_posts_user(db):
    g = given_include(db)
    err, (passports,), _ = callback_outcome(
        g.Passport.find, {'include': {'owner': {'posts': 'author'}}})
    assert err is None
    assert passports is not None
    assert len(passports)
    for p in passports:
        assert 'owner' in p._cached_relations
        user = p._cached_relations['owner']
        if not p.ownerId:
            assert user is None
        else:
            assert user is not None
            assert user.id == p.ownerId
            assert 'posts' in user._cached_relations
            for pp in user._cached_relations['posts']:
                assert 'id' in pp._data
                assert str(pp.userId) == str(user.id)
                assert hasattr(pp, 'author')
                assert 'author' in pp._cached_relations
                author = pp._cached_relations['author']
                assert author.id == user.id


def test_include__should_fetch_passports_with_include_scope_on_posts(db):
    g = given_include(db)
    err, (passports,), _ = callback_outcome(g.Passport.find, {
        'include': {'owner': {'relation': 'posts', 'scope': {
            'fields': ['title'], 'include': ['author'],
            'order': 'title DESC',
        }}},
    })
    assert err is None
    assert passports is not None
    # connectorCapabilities.adhocSort !== false
    assert len(passports) == 4
    passport = passports[0]
    assert passport.number == '1'
    assert passport.owner().name == 'User A'
    passport.owner().toObject()
    posts = passport.owner().posts()
    assert isinstance(posts, list)
    assert len(posts) == 3
    assert posts[0].title == 'Post C'
    assert posts[0].id is None   # omitted
    assert isinstance(posts[0].author(), g.User)
    assert posts[0].author().name == 'User A'
    assert posts[1].title == 'Post B'
    assert posts[1].author().name == 'User A'
    assert posts[2].title == 'Post A'
    assert posts[2].author().name == 'User A'


def test_include__should_support_limit(db):
    # bdd.itIf(connectorCapabilities.adhocSort !== false): runs
    g = given_include(db)
    passports = lb.await_(g.Passport.find({
        'include': {
            'owner': {
                'relation': 'posts', 'scope': {
                    'fields': ['title'], 'include': ['author'],
                    'order': 'title DESC',
                    'limit': 1,
                },
            },
        },
        'limit': 2,
    }))
    assert len(passports) == 2
    posts1 = passports[0].toJSON()['owner']['posts']
    assert len(posts1) == 1
    assert posts1[0]['title'] == 'Post C'
    posts2 = passports[1].toJSON()['owner']['posts']
    assert len(posts2) == 1
    assert posts2[0]['title'] == 'Post D'


def test_include__should_support_limit_no_sort(db):
    # bdd.itIf(connectorCapabilities.cloudantCompatible !== false): runs
    g = given_include(db)
    passports = lb.await_(g.Passport.find({
        'include': {
            'owner': {
                'relation': 'posts', 'scope': {
                    'fields': ['title'], 'include': ['author'],
                    'order': 'title DESC',
                    'limit': 1,
                },
            },
        },
        'limit': 2,
    }))
    assert len(passports) == 2
    for passport in passports:
        owner = passport.toJSON().get('owner')
        if owner:
            posts = owner['posts']
            assert len(posts) <= 1
            if len(posts) == 1:
                assert posts[0]['title'] in KNOWN_POSTS


# ---------------------------------------------------------------------------
# include - inq limit  (bdd.describeIf(connectorCapabilities.adhocSort !== false))

def test_include__inq_limit__should_support_include_by_pagination(db):
    g = given_include(db)
    g.Passport.dataSource.settings['inqLimit'] = 2      # before
    try:
        passports = lb.await_(g.Passport.find({
            'include': {
                'owner': {
                    'relation': 'posts',
                    'scope': {
                        'fields': ['title'], 'include': ['author'],
                        'order': 'title ASC',
                    },
                },
            },
        }))
        assert len(passports) == 4
        posts1 = passports[0].toJSON()['owner']['posts']
        assert len(posts1) == 3
        assert posts1[0]['title'] == 'Post A'
        posts2 = passports[1].toJSON()['owner']['posts']
        assert len(posts2) == 1
        assert posts2[0]['title'] == 'Post D'
    finally:
        del g.Passport.dataSource.settings['inqLimit']      # after


# ---------------------------------------------------------------------------
# include - findWithForeignKeysByPage  (describeIf(connectorCapabilities.adhocSort !== false))

def test_include__find_with_foreign_keys_by_page__filter__works_when_using_a_where_with_a_foreign_key(  # noqa: E501
        db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'passports'}}))
    passport = user.passports()[0]
    created = g.passports[0]
    assert passport.id == created.id
    assert passport.ownerId == created.ownerId
    assert passport.number == created.number


def test_include__find_with_foreign_keys_by_page__filter__works_when_using_a_where_with_and(db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({
        'include': {
            'relation': 'posts',
            'scope': {
                'where': {
                    'and': [
                        {'id': g.posts[0].id},
                        {'title': 'Post A'},
                    ],
                },
            },
        },
    }))
    assert user.name == 'User A'
    assert user.age == 21
    assert user.id == g.users[0].id
    posts = user.posts()
    assert len(posts) == 1
    post = posts[0]
    assert post.title == 'Post A'
    assert post.userId == g.posts[0].userId
    assert post.id == g.posts[0].id


def test_include__find_with_foreign_keys_by_page__filter__works_when_using_where_with_limit(db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({
        'include': {'relation': 'posts', 'scope': {'limit': 1}},
    }))
    assert len(user.posts()) == 1


def test_include__find_with_foreign_keys_by_page__filter__works_when_using_where_with_skip(db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({
        'include': {'relation': 'posts', 'scope': {'skip': 1}},
    }))
    ids = [p.id for p in user.posts()]
    assert ids == [g.posts[1].id, g.posts[2].id]


def test_include__find_with_foreign_keys_by_page__filter__works_when_using_where_with_offset(db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({
        'include': {'relation': 'posts', 'scope': {'offset': 1}},
    }))
    ids = [p.id for p in user.posts()]
    assert ids == [g.posts[1].id, g.posts[2].id]


def test_include__find_with_foreign_keys_by_page__filter__works_when_using_where_without_limit_skip_or_offset(  # noqa: E501
        db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'posts'}}))
    ids = [p.id for p in user.posts()]
    assert ids == [g.posts[0].id, g.posts[1].id, g.posts[2].id]


def test_include__find_with_foreign_keys_by_page__pagination__works_with_the_default_page_size_0_and_inqlimit_is_exceeded(  # noqa: E501
        db):
    g = given_include(db)
    # inqLimit modifies the page size in the implementation
    g.Post.dataSource.settings['inqLimit'] = 2
    users = lb.await_(g.User.find({'include': {'relation': 'posts'}}))
    assert len(users) == 5
    del g.Post.dataSource.settings['inqLimit']


def test_include__find_with_foreign_keys_by_page__pagination__works_when_page_size_is_set_to_0(db):
    g = given_include(db)
    g.Post.dataSource.settings['inqLimit'] = 0
    users = lb.await_(g.User.find({'include': {'relation': 'posts'}}))
    assert len(users) == 5
    del g.Post.dataSource.settings['inqLimit']


def test_include__find_with_foreign_keys_by_page__relations__works_when_has_one_is_called(db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'profile'}}))
    assert user.name == 'User A'
    assert user.age == 21
    assert user.id == g.users[0].id
    profile = user.profile()
    assert profile.profileName == 'Profile A'
    assert profile.userId == g.profiles[0].userId
    assert profile.id == g.profiles[0].id


def test_include__find_with_foreign_keys_by_page__relations__does_not_return_included_item_if_has_one_is_missing_the_id_property(  # noqa: E501
        db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'profile'}, 'fields': 'name'}))
    assert user is not None
    # Convert to JSON as the user instance has `profile` as a relational method
    assert user.toJSON().get('profile') is None


def test_include__find_with_foreign_keys_by_page__relations__works_when_has_many_is_called(db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'posts'}}))
    assert user.name == 'User A'
    assert user.age == 21
    assert user.id == g.users[0].id
    assert len(user.posts()) == 3


def physicians_patients_address(db):
    """The hasManyThrough case of both findWithForeignKeysByPage describes."""
    Physician = db.define('Physician', {'name': str})
    Patient = db.define('Patient', {'name': str})
    Appointment = db.define('Appointment', {
        'date': {'type': 'date', 'default': lambda: datetime.datetime.now(datetime.timezone.utc)},
    })
    Address = db.define('Address', {'name': str})

    Physician.hasMany(Patient, {'through': Appointment})
    Patient.hasMany(Physician, {'through': Appointment})
    Patient.belongsTo(Address)
    Appointment.belongsTo(Patient)
    Appointment.belongsTo(Physician)

    lb.await_(db.automigrate(['Physician', 'Patient', 'Appointment', 'Address']))
    physician = lb.await_(Physician.create())
    patient = lb.await_(physician.patients.create({'name': 'a'}))
    address = lb.await_(Address.create({'name': 'z'}))
    patient.address(address)
    lb.await_(patient.save())
    patients = lb.await_(physician.patients({'include': 'address'}))
    return patient, address, patients


def test_include__find_with_foreign_keys_by_page__relations__works_when_has_many_through_is_called(  # noqa: E501
        db):
    given_include(db)
    patient, address, patients = physicians_patients_address(db)
    assert len(patients) == 1
    p = patients[0]
    assert p.name == 'a'
    assert p.addressId == patient.addressId
    assert p.address().id == address.id
    assert p.address().name == 'z'


def test_include__find_with_foreign_keys_by_page__relations__works_when_belongs_to_is_called(db):
    g = given_include(db)
    profile = lb.await_(g.Profile.findOne({'include': 'user'}))
    assert profile.profileName == 'Profile A'
    assert profile.userId == g.profiles[0].userId
    assert profile.id == g.profiles[0].id
    user = profile.user()
    assert user.name == 'User A'
    assert user.age == 21
    assert user.id == g.users[0].id


# ---------------------------------------------------------------------------
# include - findWithForeignKeysByPage  (describeIf(connectorCapabilities.adhocSort === false))

@no_adhoc_sort('works when using a `where` with a foreign key')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__filter__works_when_using_a_where_with_a_foreign_key(  # noqa: E501
        db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'passports'}}))
    passports = user.passports()
    if passports:
        passport = passports[0]
        assert passport.id in [p.id for p in g.passports if p.id]
        assert str(passport.ownerId) in [str(p.ownerId) for p in g.passports if p.ownerId]
        assert passport.number in KNOWN_PASSPORTS


@no_adhoc_sort('works when using a `where` with `and`')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__filter__works_when_using_a_where_with_and(  # noqa: E501
        db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({
        'include': {'relation': 'posts', 'scope': {'where': {'and': [
            {'id': g.posts[0].id}, {'title': g.posts[0].title}]}}},
    }))
    known_user_ids = [str(u.id) for u in g.users]
    assert user.name in KNOWN_USERS
    assert str(user.id) in known_user_ids
    posts = user.posts()
    if posts:
        post = posts[0]
        assert post.title in KNOWN_POSTS
        assert str(post.userId) in known_user_ids
        assert post.id in [p.id for p in g.posts]


@no_adhoc_sort('works when using `where` with `limit`')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__filter__works_when_using_where_with_limit(  # noqa: E501
        db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'posts', 'scope': {'limit': 1}}}))
    assert len(user.posts()) <= 1


def _known_post_ids_only(g, user):
    ids = [p.id for p in user.posts()]
    known = [p.id for p in g.posts if p.id]
    for post_id in ids:
        if post_id:
            assert post_id in known


@no_adhoc_sort('works when using `where` with `skip`')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__filter__works_when_using_where_with_skip(  # noqa: E501
        db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'posts', 'scope': {'skip': 1}}}))
    _known_post_ids_only(g, user)


@no_adhoc_sort('works when using `where` with `offset`')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__filter__works_when_using_where_with_offset(  # noqa: E501
        db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'posts', 'scope': {'offset': 1}}}))
    _known_post_ids_only(g, user)


@no_adhoc_sort('works when using `where` without `limit`, `skip` or `offset`')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__filter__works_when_using_where_without_limit_skip_or_offset(  # noqa: E501
        db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'posts'}}))
    _known_post_ids_only(g, user)


@no_adhoc_sort('works with the default page size (0) and `inqlimit` is exceeded')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__pagination__works_with_the_default_page_size_0_and_inqlimit_is_exceeded(  # noqa: E501
        db):
    g = given_include(db)
    g.Post.dataSource.settings['inqLimit'] = 2
    users = lb.await_(g.User.find({'include': {'relation': 'posts'}}))
    assert len(users) == 5
    del g.Post.dataSource.settings['inqLimit']


@no_adhoc_sort('works when page size is set to 0')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__pagination__works_when_page_size_is_set_to_0(  # noqa: E501
        db):
    g = given_include(db)
    g.Post.dataSource.settings['inqLimit'] = 0
    users = lb.await_(g.User.find({'include': {'relation': 'posts'}}))
    assert len(users) == 5
    del g.Post.dataSource.settings['inqLimit']


@no_adhoc_sort('works when hasOne is called')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__relations__works_when_has_one_is_called(  # noqa: E501
        db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'profile'}}))
    known_user_ids = [str(u.id) for u in g.users]
    if user:
        assert user.name in KNOWN_USERS
        assert str(user.id) in known_user_ids
        profile = user.profile()
        if profile:
            assert profile.profileName in KNOWN_PROFILES
            if profile.userId:
                assert str(profile.userId) in known_user_ids
            assert profile.id in [p.id for p in g.profiles]


@no_adhoc_sort('works when hasMany is called')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__relations__works_when_has_many_is_called(  # noqa: E501
        db):
    g = given_include(db)
    user = lb.await_(g.User.findOne({'include': {'relation': 'posts'}}))
    assert user.name in KNOWN_USERS
    assert user.id in [u.id for u in g.users]
    assert len(user.posts()) <= 3


@no_adhoc_sort('works when hasManyThrough is called')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__relations__works_when_has_many_through_is_called(  # noqa: E501
        db):
    given_include(db)
    patient, address, patients = physicians_patients_address(db)
    assert len(patients) == 1
    p = patients[0]
    assert p.name == 'a'
    assert p.addressId == patient.addressId
    assert p.address().id == address.id
    assert p.address().name == 'z'


@no_adhoc_sort('works when belongsTo is called')
def test_include__find_with_foreign_keys_by_page_no_adhoc_sort__relations__works_when_belongs_to_is_called(  # noqa: E501
        db):
    g = given_include(db)
    profile = lb.await_(g.Profile.findOne({'include': 'user'}))
    if not profile:
        return   # not every user has a profile
    known_user_ids = [str(u.id) for u in g.users]
    assert profile.profileName in KNOWN_PROFILES
    if profile.userId:
        assert str(profile.userId) in known_user_ids
    if profile.id:
        assert str(profile.id) in [str(p.id) for p in g.profiles if p.id]
    user = profile.user()
    if user:
        assert user.name in KNOWN_USERS
        assert str(user.id) in known_user_ids


# ---------------------------------------------------------------------------
# include (continued)

def test_include__should_fetch_users_with_include_scope_on_posts_belongs_to(db):
    # bdd.itIf(connectorCapabilities.adhocSort !== false): runs
    g = given_include(db)
    err, (posts,), _ = callback_outcome(
        g.Post.find, {'include': {'relation': 'author', 'scope': {'fields': ['name']}}})
    assert err is None
    assert posts is not None
    assert len(posts) == 5
    author = posts[0].author()
    assert author.name == 'User A'
    assert 'id' in author._data
    assert author.age is None


@no_adhoc_sort('should fetch Users with include scope on Posts - belongsTo - no sort')
def test_include__should_fetch_users_with_include_scope_on_posts_belongs_to_no_sort(db):
    g = given_include(db)
    err, (posts,), _ = callback_outcome(
        g.Post.find, {'include': {'relation': 'author', 'scope': {'fields': ['name']}}})
    assert err is None
    assert len(posts) <= 5
    author = posts[0].author()
    if author:
        assert author.name in KNOWN_USERS
        assert 'id' in author._data
        assert author.age is None


def test_include__should_fetch_users_with_include_scope_on_posts_has_many(db):
    g = given_include(db)
    err, (users,), _ = callback_outcome(g.User.find, {
        'include': {'relation': 'posts', 'scope': {'order': 'title DESC'}},
    })
    assert err is None
    assert users is not None
    assert len(users) == 5
    # connectorCapabilities.adhocSort !== false
    assert users[0].name == 'User A'
    assert users[1].name == 'User B'
    posts = users[0].posts()
    assert isinstance(posts, list)
    assert [p.title for p in posts] == ['Post C', 'Post B', 'Post A']
    posts = users[1].posts()
    assert isinstance(posts, list)
    assert len(posts) == 1
    assert posts[0].title == 'Post D'


def test_include__should_fetch_user_posts_and_passports(db):
    g = given_include(db)
    err, (users,), _ = callback_outcome(g.User.find, {'include': ['posts', 'passports']})
    assert err is None
    assert users is not None
    assert_posts_and_passports(users)


def test_include__should_fetch_user_posts_and_passports_in_relation_syntax(db):
    g = given_include(db)
    err, (users,), _ = callback_outcome(g.User.find, {'include': [
        {'relation': 'posts', 'scope': {'where': {'title': 'Post A'}}},
        'passports',
    ]})
    assert err is None
    assert users is not None
    assert_posts_and_passports(users, title='Post A')


def test_include__should_not_fetch_user_access_tokens(db):
    g = given_include(db)
    err, (users,), _ = callback_outcome(g.User.find, {'include': ['accesstokens']})
    assert err is None
    assert users is not None
    assert len(users)
    for user in users:
        assert 'accesstokens' not in user.toJSON()


def car_with_engine_and_door(g, check_parts=None):
    """'should support hasAndBelongsToMany' up to its last find: the assembly
    'car' with the parts 'engine' (added) and 'door' (created);
    ``check_parts(err, parts)`` runs where juggler's case checks
    ``assembly.parts(cb)``'s answer."""
    assembly = lb.await_(g.Assembly.create({'name': 'car'}))
    part = lb.await_(g.Part.create({'partNumber': 'engine'}))
    lb.await_(assembly.parts.add(part))
    err, (parts,), _ = callback_outcome(assembly.parts)
    if check_parts is not None:
        check_parts(err, parts)
    lb.await_(assembly.parts.create({'partNumber': 'door'}))


def test_include__should_support_has_and_belongs_to_many(db):
    g = given_include(db)

    def check_parts(err, parts):
        assert err is None
        assert parts is not None
        assert len(parts) == 1
        assert parts[0].partNumber == 'engine'
    car_with_engine_and_door(g, check_parts)
    assemblies = lb.await_(g.Assembly.find({'include': 'parts'}))
    assert len(assemblies) == 1
    assert len(assemblies[0].parts()) == 2


def test_include__should_fetch_user_profile_has_one(db):
    g = given_include(db)
    err, (users,), _ = callback_outcome(g.User.find, {'include': ['profile']})
    assert err is None
    assert users is not None
    assert len(users)
    users_with_profile = 0
    for user in users:
        # The relation should be promoted as the 'owner' property
        assert hasattr(user, 'profile')
        user_obj = user.toJSON()
        profile = user.profile()
        if profile:
            assert isinstance(profile, g.Profile)
            users_with_profile += 1
        else:
            assert profile is None
        # The __cachedRelations should be removed from json output
        assert '__cachedRelations' not in user_obj
        assert 'profile' in user._cached_relations
        cached = user._cached_relations['profile']
        if cached:
            assert str(cached.userId) == str(user.id)
            users_with_profile += 1
    assert users_with_profile == 2 * 2


def test_include__should_not_throw_on_fetch_user_if_include_is_boolean_equals_true(db):
    g = given_include(db)
    users = lb.await_(g.User.find({'include': True}))
    assert users


def test_include__should_not_throw_on_fetch_user_if_include_is_number(db):
    g = given_include(db)
    users = lb.await_(g.User.find({'include': 1}))
    assert users


def test_include__should_not_throw_on_fetch_user_if_include_is_symbol(db):
    g = given_include(db)
    users = lb.await_(g.User.find({'include': object()}))   # Symbol('include')
    assert users


def test_include__should_not_throw_on_fetch_user_if_include_is_function(db):
    g = given_include(db)

    def include():
        pass
    users = lb.await_(g.User.find({'include': include}))
    assert users


def test_include__should_support_include_scope_on_has_and_belongs_to_many(db):
    g = given_include(db)
    car_with_engine_and_door(g)   # what 'should support hasAndBelongsToMany' left
    assemblies = lb.await_(g.Assembly.find({'include': {'relation': 'parts', 'scope': {
        'where': {'partNumber': 'engine'},
    }}}))
    assert len(assemblies) == 1
    parts = assemblies[0].parts()
    assert len(parts) == 1
    assert parts[0].partNumber == 'engine'


def test_include__should_save_related_items_separately(db):
    g = given_include(db)
    users = lb.await_(g.User.find({'include': 'posts'}))
    posts = users[0].posts()
    assert len(posts) == 3
    updated_user = lb.await_(users[0].save())
    user = lb.await_(g.User.findById(updated_user.id, {'include': 'posts'}))
    posts = user.posts()
    assert len(posts) == 3


# ---------------------------------------------------------------------------
# include - performance

def count_all_calls(db):
    """The describe's beforeEach: count the connector's ``all`` calls.
    Returns ``(calls, restore)``: ``calls`` is a one-item list."""
    connector = db.connector
    original = connector.all
    calls = [0]

    def all_(model, flt, options, cb):
        calls[0] += 1
        return original(model, flt, options, cb)
    connector.all = all_

    def restore():   # afterEach
        connector.all = original
    return calls, restore


def test_include__performance__including_belongs_to_should_make_only_2_db_calls(db):
    g = given_include(db)
    called, restore = count_all_calls(db)
    try:
        passports = lb.await_(g.Passport.find({'include': 'owner'}))
        assert len(passports)
        for p in passports:
            assert_owner_included(p)
        assert called[0] == 2
    finally:
        restore()


def test_include__performance__including_has_many_through_should_make_only_3_db_calls(db):
    g = given_include(db)
    called, restore = count_all_calls(db)
    try:
        assemblies = lb.await_(g.Assembly.create(
            [{'name': 'sedan'}, {'name': 'hatchback'}, {'name': 'SUV'}]))
        parts = lb.await_(g.Part.create(
            [{'partNumber': 'engine'}, {'partNumber': 'bootspace'}, {'partNumber': 'silencer'}]))
        for part in parts:
            for assembly in assemblies:
                if assembly.name == 'SUV':
                    continue
                if assembly.name == 'hatchback' and part.partNumber == 'bootspace':
                    continue
                lb.await_(assembly.parts.add(part))
        autos = ['sedan', 'hatchback', 'SUV']   # supportTwoOrMoreInq !== false
        called[0] = 0
        err, (result,), _ = callback_outcome(g.Assembly.find, {
            'where': {'name': {'inq': autos}},
            'include': 'parts',
        })
        assert err is None
        assert result is not None
        assert len(result) == 3
        # Please note the order of assemblies is random
        by_name = {r.name: r for r in result}
        assert len(by_name['sedan'].parts()) == 3
        assert len(by_name['hatchback'].parts()) == 2
        assert len(by_name['SUV'].parts()) == 0
        assert called[0] == 3
    finally:
        restore()


def test_include__performance__including_has_many_should_make_only_3_db_calls(db):
    g = given_include(db)
    called, restore = count_all_calls(db)
    try:
        err, (users,), _ = callback_outcome(g.User.find, {'include': ['posts', 'passports']})
        assert err is None
        assert users is not None
        assert_posts_and_passports(users)
        assert called[0] == 3
    finally:
        restore()


def test_include__performance__should_not_make_n_1_db_calls_in_relation_syntax(db):
    g = given_include(db)
    called, restore = count_all_calls(db)
    try:
        err, (users,), _ = callback_outcome(g.User.find, {'include': [
            {'relation': 'posts', 'scope': {'where': {'title': 'Post A'}}},
            'passports',
        ]})
        assert err is None
        assert users is not None
        assert_posts_and_passports(users, title='Post A')
        assert called[0] == 3
    finally:
        restore()


def test_include__should_support_disable_include_for_has_and_belongs_to_many(db):
    given_include(db)
    db.define('Patient', {'name': str})
    Doctor = db.define('Doctor', {'name': str})
    db.define('DoctorPatient')
    Doctor.hasAndBelongsToMany('patients', {
        'model': 'Patient',
        'options': {'disableInclude': True},
    })
    lb.await_(db.automigrate(['Patient', 'Doctor', 'DoctorPatient']))
    doctor = lb.await_(Doctor.create({'name': 'Who'}))
    lb.await_(doctor.patients.create({'name': 'Lazarus'}))
    found = lb.await_(Doctor.find({'include': ['patients']}))
    assert len(found) == 1
    assert 'patients' not in found[0].toJSON()


# ---------------------------------------------------------------------------
# Model instance with included relation .toJSON()   (new DataSource memory)

def given_game():
    """The describe's before: Challengers, their GameParticipations, Results."""
    db = lb.DataSource({'connector': 'memory'})
    Challenger = db.createModel('Challenger', {'name': str}, {
        'relations': {
            'gameParticipations': {
                'type': 'hasMany', 'model': 'GameParticipation', 'foreignKey': '',
            },
        },
    })
    GameParticipation = db.createModel('GameParticipation', {'date': 'date'}, {
        'relations': {
            'challenger': {'type': 'belongsTo', 'model': 'Challenger', 'foreignKey': ''},
            'results': {'type': 'hasMany', 'model': 'Result', 'foreignKey': ''},
        },
    })
    Result = db.createModel('Result', {'points': 'number'}, {
        'relations': {
            'gameParticipation': {
                'type': 'belongsTo', 'model': 'GameParticipation', 'foreignKey': '',
            },
        },
    })
    challengers = lb.await_(Challenger.create([{'name': 'challenger1'}, {'name': 'challenger2'}]))
    now = int(time.time() * 1000)   # Date.now()
    participations = lb.await_(GameParticipation.create([
        {'challengerId': challengers[0].id, 'date': now},
        {'challengerId': challengers[0].id, 'date': now},
    ]))
    lb.await_(Result.create([
        {'gameParticipationId': participations[0].id, 'points': 10},
        {'gameParticipationId': participations[0].id, 'points': 20},
    ]))
    return Challenger


def test_model_instance_with_included_relation_to_json__should_recursively_serialize_objects():
    Challenger = given_game()
    challengers = lb.await_(Challenger.find({'include': {'gameParticipations': 'results'}}))
    level_one = challengers[0].toJSON()['gameParticipations'][0]
    assert isinstance(level_one, dict) and '__data' not in level_one, \
        '.__data of a level 1 inclusion is undefined.'
    level_two = challengers[0].toJSON()['gameParticipations'][0]['results'][0]
    assert isinstance(level_two, dict) and '__data' not in level_two, \
        '__data of a level 2 inclusion is undefined.'
