"""Port of juggler 3.36.1's test/memory.test.js (the memory connector: memory only).

juggler's describe blocks 'Optimized connector' and 'Unoptimized connector'
run test/persistence-hooks.suite.js on a memory data source; their cases
belong to the port of that suite, not to this file.

Dates: juggler's ``new Date(1970, 0)`` is local time; the suite runs with
TZ=UTC, so these are UTC datetimes here.  JavaScript regex literals are
``re.Pattern`` objects (docs/models.md).
"""

import datetime as dt
import json
import re
import time

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome, rejection


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.timezone.utc)


def iso(value):
    """JavaScript's Date.prototype.toISOString."""
    return value.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (value.microsecond // 1000)


def deferred():
    """mocha's ``done``: a promise and the callback that settles it."""
    box = {}
    promise = lb.Promise(lambda resolve, reject: box.update(resolve=resolve, reject=reject))

    def done(err=None, *_):
        if err is not None:
            box['reject'](err)
        else:
            box['resolve'](None)
    return promise, done


def times(n, fn):
    """async.times(n, fn, cb) in a fiber: run fn(i, next) n times at once, wait for all."""
    results = [None] * n
    state = {'left': n, 'err': None}
    finished, done = deferred()

    def make_next(i):
        def next_(err=None, value=None):
            results[i] = value
            state['err'] = state['err'] or err
            state['left'] -= 1
            if state['left'] == 0:
                done()
        return next_
    for i in range(n):
        fn(i, make_next(i))
    if n:
        lb.await_(finished)
    return state['err'], results


# -- Memory connector / with file ---------------------------------------------
# juggler's describe shares one data source, one User model and the created
# ids between its cases, which run in order; so do these.

@pytest.fixture(scope='module')
def memory_file(tmp_path_factory):
    # juggler's before(): unlink test/memory.json
    return str(tmp_path_factory.mktemp('memory') / 'memory.json')


def read_models(file):
    with open(file, encoding='utf-8') as fh:
        content = json.load(fh)
    assert content['models']
    assert content['ids']['User']
    return content


def create_user_model(file):
    ds = lb.DataSource({'connector': 'memory', 'file': file})
    User = ds.createModel('User', {
        'id': {'type': 'Number', 'id': True, 'generated': True},
        'name': str,
        'bio': str,
        'approved': bool,
        'joinedAt': dt.datetime,
        'age': 'Number',
    })
    return User


_with_file = {}


@pytest.fixture
def with_file(memory_file):
    if 'User' not in _with_file:
        # juggler's before()
        _with_file['User'] = create_user_model(memory_file)
        _with_file['ds'] = _with_file['User'].dataSource
        _with_file['ids'] = []
        _with_file['file'] = memory_file
    return _with_file


@pytest.mark.lb_fiber
def test_memory_connector__with_file__should_allow_multiple_connects(with_file):
    ds = with_file['ds']
    ds.connected = False  # Change the state to force reconnect
    err, _ = times(10, lambda n, next_: ds.connect(next_))
    assert err is None


@pytest.mark.lb_fiber
def test_memory_connector__with_file__should_persist_create(with_file):
    User, ids = with_file['User'], with_file['ids']
    count = 0
    for item in ['John1', 'John2', 'John3']:
        err, (result,), _ = callback_outcome(User.create, {'name': item})
        ids.append(result.id)
        count += 1
        content = read_models(with_file['file'])
        assert len(content['models']['User']) == count
        assert err is None


@pytest.mark.lb_fiber
def test_memory_connector__with_file__should_not_have_out_of_sequence_read_write(with_file):
    # Create the new data source with the same file to simulate existing records
    User = create_user_model(with_file['file'])
    ds = User.dataSource
    ids = with_file['ids']

    def connect(n, next_):
        if n == 10:
            # Make sure the connect finishes
            return ds.connect(next_)
        ds.connect()
        next_()
    err, _ = times(10, connect)
    for item in ['John4', 'John5']:
        err, (result,), _ = callback_outcome(User.create, {'name': item})
        ids.append(result.id)
        assert err is None
    content = read_models(with_file['file'])
    assert len(content['models']['User']) == 5


@pytest.mark.lb_fiber
def test_memory_connector__with_file__should_persist_delete(with_file):
    ds, User, ids = with_file['ds'], with_file['User'], with_file['ids']
    # Force the data source to reconnect so that the updated records are reloaded
    callback_outcome(ds.disconnect)
    # Now try to delete one
    err, _, _ = callback_outcome(User.deleteById, ids[0])
    assert err is None
    content = read_models(with_file['file'])
    assert len(content['models']['User']) == 4


@pytest.mark.lb_fiber
def test_memory_connector__with_file__should_persist_upsert(with_file):
    User, ids = with_file['User'], with_file['ids']
    err, _, _ = callback_outcome(User.upsert, {'id': ids[1], 'name': 'John'})
    assert err is None
    content = read_models(with_file['file'])
    assert len(content['models']['User']) == 4
    user = json.loads(content['models']['User'][str(ids[1])])
    assert user['name'] == 'John'
    assert user['id'] == ids[1]


@pytest.mark.lb_fiber
def test_memory_connector__with_file__should_persist_update(with_file):
    User, ids = with_file['User'], with_file['ids']
    err, _, _ = callback_outcome(User.update, {'id': ids[1]}, {'name': 'John1'})
    assert err is None
    content = read_models(with_file['file'])
    assert len(content['models']['User']) == 4
    user = json.loads(content['models']['User'][str(ids[1])])
    assert user['name'] == 'John1'
    assert user['id'] == ids[1]


# The saved memory.json from the previous test should be loaded
@pytest.mark.lb_fiber
def test_memory_connector__with_file__should_load_from_the_json_file(with_file):
    User = with_file['User']
    err, (users,), _ = callback_outcome(User.find)
    # There should be 2 records
    assert len(users) == 4
    assert err is None


# -- Memory connector / Query for memory connector ---------------------------

_query = {}


def beatles():
    return [
        {
            'seq': 0,
            'name': 'John Lennon',
            'email': 'john@b3atl3s.co.uk',
            'role': 'lead',
            'birthday': utc(1980, 12, 8),
            'vip': True,
            'tag': '[singer]',
            'address': {
                'street': '123 A St',
                'city': 'San Jose',
                'state': 'CA',
                'zipCode': '95131',
                'tags': [
                    {'tag': 'business'},
                    {'tag': 'rent'},
                ],
            },
            'friends': [
                {'name': 'Paul McCartney'},
                {'name': 'George Harrison'},
                {'name': 'Ringo Starr'},
            ],
            'children': ['Sean', 'Julian'],
        },
        {
            'seq': 1,
            'name': 'Paul McCartney',
            'email': 'paul@b3atl3s.co.uk',
            'role': 'lead',
            'birthday': utc(1942, 6, 18),
            'order': 1,
            'vip': True,
            'address': {
                'street': '456 B St',
                'city': 'San Mateo',
                'state': 'CA',
                'zipCode': '94065',
            },
            'friends': [
                {'name': 'John Lennon'},
                {'name': 'George Harrison'},
                {'name': 'Ringo Starr'},
            ],
            'children': ['Stella', 'Mary', 'Heather', 'Beatrice', 'James'],
        },
        {'seq': 2, 'name': 'George Harrison', 'order': 5, 'vip': False, 'children': ['Dhani']},
        {'seq': 3, 'name': 'Ringo Starr', 'order': 6, 'vip': False},
        {'seq': 4, 'name': 'Pete Best', 'order': 4, 'children': []},
        {'seq': 5, 'name': 'Stuart Sutcliffe', 'order': 3, 'vip': True},
    ]


def query_user():
    """The describe's User model, seeded once (juggler's before(seed)).

    Built on first use inside a test, so that a failure to define the model
    fails (or xfails) the cases instead of erroring their set-up.
    """
    if 'User' in _query:
        return _query['User']
    ds = lb.DataSource({'connector': 'memory'})
    User = ds.define('User', {
        'seq': {'type': 'Number', 'index': True},
        'name': {'type': str, 'index': True, 'sort': True},
        'email': {'type': str, 'index': True},
        'birthday': {'type': dt.datetime, 'index': True},
        'role': {'type': str, 'index': True},
        'order': {'type': 'Number', 'index': True, 'sort': True},
        'tag': {'type': str, 'index': True},
        'vip': {'type': bool},
        'address': {
            'street': str,
            'city': str,
            'state': str,
            'zipCode': str,
            'tags': [
                {'tag': str},
            ],
        },
        'friends': [
            {'name': str},
        ],
    })
    # seed: User.destroyAll, then async.each(beatles, User.create)
    err, _, _ = callback_outcome(User.destroyAll)
    assert err is None
    err, _ = times(6, lambda i, next_: User.create(beatles()[i], next_))
    assert err is None
    _query['User'] = User
    return User


def find(query):
    return callback_outcome(query_user().find, query)


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_allow_to_find_using_like():
    err, (posts,), _ = find({'where': {'name': {'like': '%St%'}}})
    assert err is None
    assert len(posts) == 2


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_properly_sanitize_like_invalid_query():
    users = lb.await_(query_user().find({'where': {'tag': {'like': '['}}}))
    assert len(users) == 1
    assert users[0].name == 'John Lennon'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_allow_to_find_using_like_with_regexp():
    err, (posts,), _ = find({'where': {'name': {'like': re.compile('.*St.*')}}})
    assert err is None
    assert len(posts) == 2


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_support_like_for_no_match():
    err, (posts,), _ = find({'where': {'name': {'like': 'M%XY'}}})
    assert err is None
    assert len(posts) == 0


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_allow_to_find_using_nlike():
    err, (posts,), _ = find({'where': {'name': {'nlike': '%St%'}}})
    assert err is None
    assert len(posts) == 4


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_sanitize_nlike_invalid_query():
    users = lb.await_(query_user().find({'where': {'name': {'nlike': '['}}}))
    assert len(users) == 6


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_allow_to_find_using_nlike_with_regexp():
    err, (posts,), _ = find({'where': {'name': {'nlike': re.compile('.*St.*')}}})
    assert err is None
    assert len(posts) == 4


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_support_nlike_for_no_match():
    err, (posts,), _ = find({'where': {'name': {'nlike': 'M%XY'}}})
    assert err is None
    assert len(posts) == 6


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_throw_if_the_like_value_is_not_string_or_regexp():
    err, _, _ = find({'where': {'name': {'like': 123}}})
    assert err is not None


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_throw_if_the_nlike_value_is_not_string_or_regexp():
    err, _, _ = find({'where': {'name': {'nlike': 123}}})
    assert err is not None


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_throw_if_the_inq_value_is_not_an_array():
    err, _, _ = find({'where': {'name': {'inq': '12'}}})
    assert err is not None


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_throw_if_the_nin_value_is_not_an_array():
    err, _, _ = find({'where': {'name': {'nin': '12'}}})
    assert err is not None


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_throw_if_the_between_value_is_not_an_array():
    err, _, _ = find({'where': {'name': {'between': '12'}}})
    assert err is not None


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_throw_if_the_between_value_is_not_an_array_of_length_2():
    err, _, _ = find({'where': {'name': {'between': ['12']}}})
    assert err is not None


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_5_users_from_the_db():
    err, (users,), _ = find({'where': {'seq': {'between': [1, 5]}}})
    assert len(users) == 5


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_1_user_lennon_from_the_db():
    err, (users,), _ = find({'where': {'birthday': {'between': [utc(1970, 1, 1),
                                                                 utc(1990, 1, 1)]}}})
    assert len(users) == 1
    assert users[0].name == 'John Lennon'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_1_user_lennon_from_the_db_by_date():
    err, (users,), _ = find({'where': {'birthday': utc(1980, 12, 8)}})
    assert len(users) == 1
    assert users[0].name == 'John Lennon'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_2_users_from_the_db():
    err, (users,), _ = find({'where': {'birthday': {'between': [utc(1940, 1, 1),
                                                                 utc(1990, 1, 1)]}}})
    assert len(users) == 2


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_2_users_using_implied_and():
    err, (users,), _ = find({'where': {'role': 'lead', 'vip': True}})
    assert len(users) == 2
    assert users[0].name == 'John Lennon'
    assert users[1].name == 'Paul McCartney'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_2_users_using_implied_and_and():
    err, (users,), _ = find({'where': {
        'name': 'John Lennon',
        'and': [{'role': 'lead'}, {'vip': True}],
    }})
    assert len(users) == 1
    assert users[0].name == 'John Lennon'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_2_users_using_date_range():
    err, (users,), _ = find({'where': {'birthday': {'between': [
        iso(utc(1940, 1, 1)), iso(utc(1990, 1, 1))]}}})
    assert len(users) == 2


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_0_user_from_the_db():
    err, (users,), _ = find({'where': {'birthday': {'between': [
        utc(1990, 1, 1), int(time.time() * 1000)]}}})
    assert len(users) == 0


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_2_users_matching_over_array_values():
    err, (users,), _ = find({'where': {'children': {'regexp': re.compile('an')}}})
    assert err is None
    assert len(users) == 2
    assert users[0].name == 'John Lennon'
    assert users[1].name == 'George Harrison'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_1_users_matching_over_array_values():
    err, (users,), _ = find({'where': {'children': 'Dhani'}})
    assert err is None
    assert len(users) == 1
    assert users[0].name == 'George Harrison'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_5_users_matching_a_neq_filter_over_array_values():
    err, (users,), _ = find({'where': {'children': {'neq': 'Dhani'}}})
    assert err is None
    assert len(users) == 5


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_3_users_with_inq():
    err, (users,), _ = find({'where': {'seq': {'inq': [0, 1, 5]}}})
    assert err is None
    assert len(users) == 3


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_successfully_extract_4_users_with_nin():
    err, (users,), _ = find({'where': {'seq': {'nin': [2, 3]}}})
    assert err is None
    assert len(users) == 4


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_count_using_date_string():
    err, (count,), _ = callback_outcome(query_user().count,
                                        {'birthday': {'lt': iso(utc(1990, 1, 1))}})
    assert count == 2


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_support_order_with_multiple_fields():
    err, (posts,), _ = find({'order': 'vip ASC, seq DESC'})
    assert err is None
    assert posts[0].seq == 4
    assert posts[1].seq == 3


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_sort_undefined_values_to_the_end_when_ordered_desc():
    err, (posts,), _ = find({'order': 'vip ASC, order DESC'})
    assert err is None
    assert posts[4].seq == 1
    assert posts[5].seq == 0


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_throw_if_order_has_wrong_direction():
    err, _, _ = find({'order': 'seq ABC'})
    assert err is not None


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_support_neq_operator_for_number():
    err, (users,), _ = find({'where': {'seq': {'neq': 4}}})
    assert err is None
    assert len(users) == 5
    for user in users:
        assert user.seq != 4


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_support_neq_operator_for_string():
    err, (users,), _ = find({'where': {'role': {'neq': 'lead'}}})
    assert err is None
    assert len(users) == 4
    for user in users:
        if user.role:
            assert user.role != 'lead'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_support_neq_operator_for_null():
    err, (users,), _ = find({'where': {'role': {'neq': None}}})
    assert err is None
    assert len(users) == 2
    for user in users:
        assert user.role is not None


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_work_when_a_regex_is_provided_without_the_regexp_operator():
    err, (users,), _ = find({'where': {'name': re.compile('John.*', re.I)}})
    assert err is None
    assert len(users) == 1
    assert users[0].name == 'John Lennon'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_support_the_regexp_operator_with_regex_strings():
    err, (users,), _ = find({'where': {'name': {'regexp': 'non$'}}})
    assert err is None
    assert len(users) == 1
    assert users[0].name == 'John Lennon'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_support_the_regexp_operator_with_regex_literals():
    err, (users,), _ = find({'where': {'name': {'regexp': re.compile('^J')}}})
    assert err is None
    assert len(users) == 1
    assert users[0].name == 'John Lennon'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_support_the_regexp_operator_with_regex_objects():
    # new RegExp(/^J/): a copy of the literal
    err, (users,), _ = find({'where': {'name': {'regexp': re.compile(re.compile('^J').pattern)}}})
    assert err is None
    assert len(users) == 1
    assert users[0].name == 'John Lennon'


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_deserialize_values_after_saving_in_upsert():
    User = query_user()
    err, (paul,), _ = callback_outcome(User.findOne, {'where': {'seq': 1}})
    err, (sirpaul,), _ = callback_outcome(User.updateOrCreate,
                                          {'id': paul.id, 'name': 'Sir Paul McCartney'})
    assert err is None
    assert isinstance(sirpaul.birthday, dt.datetime)
    assert isinstance(sirpaul.order, (int, float)) and not isinstance(sirpaul.order, bool)
    assert isinstance(sirpaul.vip, bool)


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_handle_constructor_prototype():
    # it('should handle constructor.prototype')
    err, (users,), _ = find({'where': {'constructor.prototype': {'toString': 'Not a function'}}})
    assert err is None
    assert len(users) == 0


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_handle_constructor_prototype_2():
    # it('should handle constructor/prototype'): snake-cased like the case above, hence _2
    err, (users,), _ = find({'where': {'constructor': {'prototype': {'toString':
                                                                     'Not a function'}}}})
    assert err is None
    assert len(users) == 0


@pytest.mark.lb_fiber
def test_memory_connector__query_for_memory_connector__should_handle_to_string():
    err, (users,), _ = find({'where': {'toString': 'Not a function'}})
    assert err is None
    assert len(users) == 0


# -- Memory connector ---------------------------------------------------------

@pytest.mark.lb_fiber
def test_memory_connector__should_use_collection_setting():
    ds = lb.DataSource({'connector': 'memory'})
    Product = ds.createModel('Product', {'name': str})
    Tool = ds.createModel('Tool', {'name': str}, {'memory': {'collection': 'Product'}})
    Widget = ds.createModel('Widget', {'name': str}, {'memory': {'collection': 'Product'}})

    assert ds.connector.getCollection('Tool') == 'Product'
    assert ds.connector.getCollection('Widget') == 'Product'

    callback_outcome(Tool.create, {'name': 'Tool A'})
    callback_outcome(Tool.create, {'name': 'Tool B'})
    callback_outcome(Widget.create, {'name': 'Widget A'})
    err, (products,), _ = callback_outcome(Product.find)
    assert err is None
    assert len(products) == 3
    assert products[0].toObject() == {'name': 'Tool A', 'id': 1}
    assert products[1].toObject() == {'name': 'Tool B', 'id': 2}
    assert products[2].toObject() == {'name': 'Widget A', 'id': 3}


@pytest.mark.lb_fiber
def test_memory_connector__should_refuse_to_create_object_with_duplicate_id():
    ds = lb.DataSource({'connector': 'memory'})
    Product = ds.define('ProductTest', {'name': str}, {'forceId': False})
    err, _, _ = callback_outcome(ds.automigrate, 'ProductTest')
    assert err is None
    err, (p,), _ = callback_outcome(Product.create, {'name': 'a-name'})
    assert err is None
    err, _, _ = callback_outcome(Product.create, {'id': p.id, 'name': 'duplicate'})
    assert err is not None, 'Create should have rejected duplicate id.'
    assert re.search('duplicate', err.message, re.I)
    assert err.statusCode == 409


# -- Memory connector / automigrate -------------------------------------------

@pytest.fixture
def migrate_ds():
    ds = lb.DataSource({'connector': 'memory'})
    ds.createModel('m1', {'name': str})
    return ds


@pytest.mark.lb_fiber
def test_memory_connector__automigrate__automigrate_all_models(migrate_ds):
    err, _, _ = callback_outcome(migrate_ds.automigrate)
    assert err is None


@pytest.mark.lb_fiber
def test_memory_connector__automigrate__automigrate_all_models_promise_variant(migrate_ds):
    lb.await_(migrate_ds.automigrate())


@pytest.mark.lb_fiber
def test_memory_connector__automigrate__automigrate_one_model(migrate_ds):
    err, _, _ = callback_outcome(migrate_ds.automigrate, 'm1')
    assert err is None


@pytest.mark.lb_fiber
def test_memory_connector__automigrate__automigrate_one_model_promise_variant(migrate_ds):
    lb.await_(migrate_ds.automigrate('m1'))


@pytest.mark.lb_fiber
def test_memory_connector__automigrate__automigrate_one_or_more_models_in_an_array(migrate_ds):
    err, _, _ = callback_outcome(migrate_ds.automigrate, ['m1'])
    assert err is None


@pytest.mark.lb_fiber
def test_memory_connector__automigrate__automigrate_one_or_more_models_in_an_array_promise_variant(
        migrate_ds):
    lb.await_(migrate_ds.automigrate(['m1']))


@pytest.mark.lb_fiber
def test_memory_connector__automigrate__automigrate_reports_errors_for_models_not_attached(
        migrate_ds):
    err, _, _ = callback_outcome(migrate_ds.automigrate, ['m1', 'm2'])
    assert isinstance(err, Exception)


@pytest.mark.lb_fiber
def test_memory_connector__automigrate__automigrate_reports_errors_for_models_not_attached_promise_variant(
        migrate_ds):
    err = rejection(migrate_ds.automigrate(['m1', 'm2']))
    assert isinstance(err, Exception)


# -- Memory connector / findOrCreate ------------------------------------------

@pytest.mark.lb_fiber
def test_memory_connector__find_or_create__should_create_a_specific_object_once_and_in_the_subsequent_calls_it_should_find_it():
    ds = lb.DataSource({'connector': 'memory'})
    Cars = ds.define('Cars', {'color': str})
    creation = {'num': 0}

    def one(n, next_):
        initialData = {'color': 'white'}
        query = {'where': initialData}

        def cb(err=None, car=None, created=None):
            if created:
                creation['num'] += 1
            next_(err, car)
        Cars.findOrCreate(query, initialData, cb)
    err, cars = times(100, one)
    assert err is None
    err, (data,), _ = callback_outcome(Cars.find)
    assert err is None
    assert len(data) == 1
    assert data[0].color == 'white'
    assert creation['num'] == 1


# -- Memory connector / automigrate when NO models are attached ---------------

@pytest.mark.lb_fiber
def test_memory_connector__automigrate_when_no_models_are_attached__automigrate_does_not_report_error_when_no_models_are_attached():
    ds = lb.DataSource({'connector': 'memory'})
    callback_outcome(ds.automigrate)   # done() whatever the outcome


@pytest.mark.lb_fiber
def test_memory_connector__automigrate_when_no_models_are_attached__automigrate_does_not_report_error_when_no_models_are_attached_promise_variant():
    ds = lb.DataSource({'connector': 'memory'})
    lb.await_(ds.automigrate())


# -- Memory connector / With mocked autoupdate --------------------------------

@pytest.fixture
def mocked_autoupdate():
    ds = lb.DataSource({'connector': 'memory'})
    ds.connector.autoupdate = lambda models, cb: lb.nextTick(cb)
    ds.createModel('m1', {'name': str})
    ds.automigrate()
    # juggler redefines the model silently; the port warns (docs/differences.md)
    with pytest.warns(lb.ModelRedefinedWarning):
        ds.createModel('m1', {'name': str, 'address': str})
    return ds


@pytest.mark.lb_fiber
def test_memory_connector__with_mocked_autoupdate__autoupdates_all_models(mocked_autoupdate):
    err, _, _ = callback_outcome(mocked_autoupdate.autoupdate)
    assert err is None


@pytest.mark.lb_fiber
def test_memory_connector__with_mocked_autoupdate__autoupdates_all_models_promise_variant(
        mocked_autoupdate):
    lb.await_(mocked_autoupdate.autoupdate())


@pytest.mark.lb_fiber
def test_memory_connector__with_mocked_autoupdate__autoupdates_one_model(mocked_autoupdate):
    err, _, _ = callback_outcome(mocked_autoupdate.autoupdate, 'm1')
    assert err is None


@pytest.mark.lb_fiber
def test_memory_connector__with_mocked_autoupdate__autoupdates_one_model_promise_variant(
        mocked_autoupdate):
    lb.await_(mocked_autoupdate.autoupdate('m1'))


@pytest.mark.lb_fiber
def test_memory_connector__with_mocked_autoupdate__autoupdates_one_or_more_models_in_an_array(
        mocked_autoupdate):
    err, _, _ = callback_outcome(mocked_autoupdate.autoupdate, ['m1'])
    assert err is None


@pytest.mark.lb_fiber
def test_memory_connector__with_mocked_autoupdate__autoupdates_one_or_more_models_in_an_array_promise_variant(
        mocked_autoupdate):
    lb.await_(mocked_autoupdate.autoupdate(['m1']))


@pytest.mark.lb_fiber
def test_memory_connector__with_mocked_autoupdate__autoupdate_reports_errors_for_models_not_attached(
        mocked_autoupdate):
    err, _, _ = callback_outcome(mocked_autoupdate.autoupdate, ['m1', 'm2'])
    assert isinstance(err, Exception)


@pytest.mark.lb_fiber
def test_memory_connector__with_mocked_autoupdate__autoupdate_reports_errors_for_models_not_attached_promise_variant(
        mocked_autoupdate):
    err = rejection(mocked_autoupdate.autoupdate(['m1', 'm2']))
    assert isinstance(err, Exception)


# -- Memory connector with options --------------------------------------------

_saved_options = {}
_options_state = {}


@pytest.fixture
def options_post():
    if 'Post' not in _options_state:
        # juggler's before()
        ds = lb.DataSource({'connector': 'memory'})

        def create(model, data, options, cb):
            _saved_options['create'] = options
            lb.nextTick(cb, None, 1)

        def update(model, where, data, options, cb):
            _saved_options['update'] = options
            lb.nextTick(cb, None, {'count': 1})

        def all_(model, filter, options, cb):
            _saved_options['find'] = options
            lb.nextTick(cb, None, [{'title': 't1', 'content': 'c1'}])
        ds.connector.create = create
        ds.connector.update = update
        ds.connector.all = all_
        _options_state['Post'] = ds.define('Post', {'title': str, 'content': str})
    return _options_state['Post']


@pytest.mark.lb_fiber
def test_memory_connector_with_options__should_receive_options_from_the_find_method(options_post):
    opts = {'transaction': 'tx1'}
    err, _, _ = callback_outcome(options_post.find, {'where': {'title': 't1'}}, opts)
    assert _saved_options['find'] == opts
    assert err is None


@pytest.mark.lb_fiber
def test_memory_connector_with_options__should_treat_first_object_arg_as_filter_for_find(
        options_post):
    flt = {'title': 't1'}
    err, _, _ = callback_outcome(options_post.find, flt)
    assert _saved_options['find'] == {}
    assert err is None


@pytest.mark.lb_fiber
def test_memory_connector_with_options__should_receive_options_from_the_create_method(
        options_post):
    opts = {'transaction': 'tx3'}
    err, _, _ = callback_outcome(options_post.create, {'title': 't1', 'content': 'c1'}, opts)
    assert _saved_options['create'] == opts
    assert err is None


@pytest.mark.lb_fiber
def test_memory_connector_with_options__should_receive_options_from_the_update_method(
        options_post):
    opts = {'transaction': 'tx4'}
    err, _, _ = callback_outcome(options_post.update, {'title': 't1'},
                                 {'content': 'c1 --> c2'}, opts)
    assert _saved_options['update'] == opts
    assert err is None


# -- Memory connector with observers ------------------------------------------

_observed_ds = {}


def observed_ds():
    if 'ds' not in _observed_ds:
        _observed_ds['ds'] = lb.DataSource({'connector': 'memory'})
    return _observed_ds['ds']


def test_memory_connector_with_observers__should_have_observer_mixed_into_the_connector():
    ds = observed_ds()
    assert callable(ds.connector.observe)
    assert callable(ds.connector.notifyObserversOf)


@pytest.mark.lb_fiber
def test_memory_connector_with_observers__should_notify_observers():
    ds = observed_ds()
    events = []
    connector = ds.connector

    def execute(command, params, options, cb):
        context = {'command': command, 'params': params, 'options': options}

        def before(err=None, *_):
            def later():
                if err:
                    return cb(err)
                events.append('execute')
                connector.notifyObserversOf('after execute', context,
                                            lambda err=None, *_: cb(err))
            lb.nextTick(later)
        connector.notifyObserversOf('before execute', context, before)
    connector.execute = execute

    def before_execute(context, next_):
        events.append('before execute')
        next_()
    connector.observe('before execute', before_execute)

    def after_execute(context, next_):
        events.append('after execute')
        next_()
    connector.observe('after execute', after_execute)

    err, _, _ = callback_outcome(connector.execute, 'test', [1, 2], {'x': 2})
    assert err is None
    assert events == ['before execute', 'execute', 'after execute']
