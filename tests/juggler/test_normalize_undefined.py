"""Port of juggler 3.36.1's test/normalize-undefined.test.js (issue 18).

Memory only: each describe block makes its own ``new DataSource({connector:
'memory', ...})`` and ``User``, seeded once by its ``before`` and shared by
its cases in file order (the data source is made by the first case of the
block that runs, :func:`describe_state`).  JavaScript's ``undefined`` in a
where clause is ``lb.undefined``.
"""

import datetime

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome

pytestmark = pytest.mark.lb_fiber

UTC = datetime.timezone.utc


def user_properties():
    return {
        'seq': {'type': 'Number', 'index': True},
        'name': {'type': 'String', 'index': True, 'sort': True},
        'email': {'type': 'String', 'index': True},
        'birthday': {'type': 'Date', 'index': True},
        'role': {'type': 'String', 'index': True},
        'order': {'type': 'Number', 'index': True, 'sort': True},
        'vip': {'type': 'Boolean'},
        'address': {
            'street': 'String',
            'city': 'String',
            'state': 'String',
            'zipCode': 'String',
            'tags': [
                {
                    'tag': 'String',
                },
            ],
        },
        'friends': [
            {
                'name': 'String',
            },
        ],
    }


def make_throw():
    ds = lb.DataSource({
        'connector': 'memory',
        'normalizeUndefinedInQuery': 'throw',
    })
    return ds.define('User', user_properties())


def make_nullify():
    ds = lb.DataSource({
        'connector': 'memory',
    })
    return ds.define('User', user_properties(), {
        'normalizeUndefinedInQuery': 'nullify',
    })


def make_ignore():
    ds = lb.DataSource({
        'connector': 'memory',
    })
    return ds.define('User', user_properties(), {
        'normalizeUndefinedInQuery': 'ignore',
    })


_describes = {}


def describe_state(name, make):
    """The block's User: made (describe body) and seeded (before) by the
    first of its cases that runs, then shared."""
    if name not in _describes:
        User = make()
        seed(User)
        _describes[name] = User
    return _describes[name]


def seed(User):
    beatles = [
        {
            'seq': 0,
            'name': 'John Lennon',
            'email': 'john@b3atl3s.co.uk',
            'role': 'lead',
            'birthday': datetime.datetime(1980, 12, 8, tzinfo=UTC),
            'vip': True,
            'address': {
                'street': '123 A St',
                'city': 'San Jose',
                'state': 'CA',
                'zipCode': '95131',
                'tags': [{'tag': 'business'}, {'tag': 'rent'}],
            },
            'friends': [{'name': 'Paul McCartney'}, {'name': 'George Harrison'},
                        {'name': 'Ringo Starr'}],
            'children': ['Sean', 'Julian'],
        },
        {
            'seq': 1,
            'name': 'Paul McCartney',
            'email': 'paul@b3atl3s.co.uk',
            'role': 'lead',
            'birthday': datetime.datetime(1942, 6, 18, tzinfo=UTC),
            'order': 1,
            'vip': True,
            'address': {
                'street': '456 B St',
                'city': 'San Mateo',
                'state': 'CA',
                'zipCode': '94065',
            },
            'friends': [{'name': 'John Lennon'}, {'name': 'George Harrison'},
                        {'name': 'Ringo Starr'}],
            'children': ['Stella', 'Mary', 'Heather', 'Beatrice', 'James'],
        },
        {'seq': 2, 'name': 'George Harrison', 'role': None, 'order': 5, 'vip': False,
         'children': ['Dhani']},
        {'seq': 3, 'name': 'Ringo Starr', 'role': None, 'order': 6, 'vip': False},
        {'seq': 4, 'name': 'Pete Best', 'role': None, 'order': 4, 'children': []},
        {'seq': 5, 'name': 'Stuart Sutcliffe', 'role': None, 'order': 3, 'vip': True},
    ]
    lb.await_(User.destroyAll())
    # async.each: the creates run in parallel
    lb.await_(lb.Promise.all([User.create(b) for b in beatles]))


# -- describe('with setting "throw"') -----------------------------------------

def test_normalize_undefined_in_query__with_setting_throw__should_throw_if_find_where_contains_undefined():  # noqa: E501
    User = describe_state('throw', make_throw)
    err = callback_outcome(User.find, {'where': {'name': lb.undefined}}).err
    assert err is not None


def test_normalize_undefined_in_query__with_setting_throw__should_throw_if_destroy_all_where_contains_undefined():  # noqa: E501
    User = describe_state('throw', make_throw)
    err = callback_outcome(User.destroyAll, {'name': lb.undefined}).err
    assert err is not None


def test_normalize_undefined_in_query__with_setting_throw__should_throw_if_update_all_where_contains_undefined():  # noqa: E501
    User = describe_state('throw', make_throw)
    err = callback_outcome(User.updateAll, {'name': lb.undefined}, {'vip': False}).err
    assert err is not None


def test_normalize_undefined_in_query__with_setting_throw__should_throw_if_upsert_with_where_where_contains_undefined():  # noqa: E501
    User = describe_state('throw', make_throw)
    err = callback_outcome(User.upsertWithWhere, {'name': lb.undefined}, {'vip': False}).err
    assert err is not None


def test_normalize_undefined_in_query__with_setting_throw__should_throw_if_count_where_contains_undefined():  # noqa: E501
    User = describe_state('throw', make_throw)
    err = callback_outcome(User.count, {'name': lb.undefined}).err
    assert err is not None


# -- describe('with setting "nullify"') ---------------------------------------

def test_normalize_undefined_in_query__with_setting_nullify__should_nullify_if_find_where_contains_undefined():  # noqa: E501
    User = describe_state('nullify', make_nullify)
    err, (users,), _ = callback_outcome(User.find, {'where': {'role': lb.undefined}})
    assert err is None
    assert len(users) == 4


def test_normalize_undefined_in_query__with_setting_nullify__should_nullify_if_update_all_where_contains_undefined():  # noqa: E501
    User = describe_state('nullify', make_nullify)
    err, (count,), _ = callback_outcome(User.updateAll, {'role': lb.undefined}, {'vip': False})
    assert err is None
    assert count['count'] == 4


def test_normalize_undefined_in_query__with_setting_nullify__should_nullify_if_upsert_with_where_where_contains_undefined():  # noqa: E501
    User = describe_state('nullify', make_nullify)
    err, (user,), _ = callback_outcome(User.upsertWithWhere, {'role': lb.undefined, 'order': 6},
                                       {'vip': False})
    assert err is None
    assert user.order == 6


def test_normalize_undefined_in_query__with_setting_nullify__should_nullify_if_count_where_contains_undefined():  # noqa: E501
    User = describe_state('nullify', make_nullify)
    err, (count,), _ = callback_outcome(User.count, {'role': lb.undefined})
    assert err is None
    assert count == 4


def test_normalize_undefined_in_query__with_setting_nullify__should_nullify_if_destroy_all_where_contains_undefined():  # noqa: E501
    User = describe_state('nullify', make_nullify)
    err, (count,), _ = callback_outcome(User.destroyAll, {'role': lb.undefined})
    assert err is None
    assert count['count'] == 4


# -- describe('with setting "ignore"') ----------------------------------------

def test_normalize_undefined_in_query__with_setting_ignore__should_ignore_if_find_where_contains_undefined():  # noqa: E501
    User = describe_state('ignore', make_ignore)
    err, (users,), _ = callback_outcome(User.find, {'where': {'role': lb.undefined}})
    assert err is None
    assert len(users) == 6


def test_normalize_undefined_in_query__with_setting_ignore__should_ignore_if_update_all_where_contains_undefined():  # noqa: E501
    User = describe_state('ignore', make_ignore)
    err, (count,), _ = callback_outcome(User.updateAll, {'role': lb.undefined}, {'vip': False})
    assert err is None
    assert count['count'] == 6


def test_normalize_undefined_in_query__with_setting_ignore__should_ignore_if_upsert_with_where_where_contains_undefined():  # noqa: E501
    User = describe_state('ignore', make_ignore)
    err, (user,), _ = callback_outcome(User.upsertWithWhere, {'role': lb.undefined, 'order': 6},
                                       {'vip': False})
    assert err is None
    assert user.order == 6


def test_normalize_undefined_in_query__with_setting_ignore__should_ignore_if_count_where_contains_undefined():  # noqa: E501
    User = describe_state('ignore', make_ignore)
    err, (count,), _ = callback_outcome(User.count, {'role': lb.undefined})
    assert err is None
    assert count == 6


def test_normalize_undefined_in_query__with_setting_ignore__should_ignore_if_destroy_all_where_contains_undefined():  # noqa: E501
    User = describe_state('ignore', make_ignore)
    err, (count,), _ = callback_outcome(User.destroyAll, {'role': lb.undefined})
    assert err is None
    assert count['count'] == 6
