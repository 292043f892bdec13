"""Port of juggler 3.36.1's test/validations.test.js (see conftest.py for the conventions).

juggler's ``before`` (User, Entry and Employee on ``getSchema()``, Employee
seeded) and ``beforeEach`` (User emptied, its validations deleted) are the
``models`` fixture; each ``describe``'s own ``before`` is a helper called at
the start of its cases.  mocha runs the cases of a file in order on shared
data; each case here starts from a fresh data source, so a case that reads
what an earlier one left (the Entry created by 'should work with id property
on create') recreates it first.
"""

import copy
import datetime
import re
import types

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome

pytestmark = pytest.mark.lb_fiber

ValidationError = lb.ValidationError

EMP_DATA = [
    {'id': 1, 'name': 'Foo', 'age': 1},
    {'id': 2, 'name': 'Bar', 'age': 2},
    {'id': 3, 'name': 'Baz', 'age': 3},
]


def emp_data():
    return copy.deepcopy(EMP_DATA)


def get_valid_attributes():
    return {
        'name': 'Anatoliy',
        'email': 'email@example.com',
        'state': '',
        'age': 26,
        'gender': 'male',
        'createdByAdmin': False,
        'createdByScript': True,
    }


USER_PROPERTIES = {
    'email': str,
    'name': str,
    'password': str,
    'state': str,
    'age': float,
    'gender': str,
    'domain': str,
    'pendingPeriod': float,
    'createdByAdmin': bool,
    'createdByScript': bool,
    'updatedAt': datetime.datetime,
}


def delete_validations(Model):
    """JavaScript's ``delete Model.validations``."""
    if 'validations' in Model.__dict__:
        del Model.validations


@pytest.fixture
def models(db):
    # before
    User = db.define('User', dict(USER_PROPERTIES))
    Entry = db.define('Entry', {
        'id': {'type': 'string', 'id': True, 'generated': False},
        'name': {'type': 'string'},
    })
    Employee = db.define('Employee', {
        'id': {'type': float, 'id': True, 'generated': False},
        'name': {'type': str},
        'age': {'type': float},
    }, {
        'validateUpdate': True,
    })
    Entry.validatesUniquenessOf('id')
    assert callback_outcome(db.automigrate).err is None
    assert callback_outcome(Employee.create, emp_data()).err is None
    # beforeEach
    callback_outcome(User.destroyAll)
    delete_validations(User)
    return types.SimpleNamespace(db=db, User=User, Entry=Entry, Employee=Employee)


def is_valid_async(inst):
    """``inst.isValid(cb)``: (what the call returned, the ``valid`` cb received)."""
    outcome = callback_outcome(inst.isValid)
    return outcome.returned, outcome.err


def matches(values, pattern):
    """should.js ``[...].should.match(/re/)``: every message matches."""
    return bool(values) and all(re.search(pattern, v) for v in values)


def get_error_details(err):
    return re.sub(r'^.*Details: ', '', err.message)


# ---------------------------------------------------------------------------
# validations / commons / skipping

def test_validations__commons__skipping__should_not_skip_when_if_is_fulfilled(models):
    User = models.User
    User.validatesPresenceOf('pendingPeriod', {'if': 'createdByAdmin'})
    user = User()
    user.createdByAdmin = True
    assert user.isValid() is False
    assert user.errors.pendingPeriod == ["can't be blank"]
    user.pendingPeriod = 1
    assert user.isValid() is True


def test_validations__commons__skipping__should_skip_when_if_is_not_fulfilled(models):
    User = models.User
    User.validatesPresenceOf('pendingPeriod', {'if': 'createdByAdmin'})
    user = User()
    user.createdByAdmin = False
    assert user.isValid() is True
    assert user.errors is False
    user.pendingPeriod = 1
    assert user.isValid() is True


def test_validations__commons__skipping__should_not_skip_when_unless_is_fulfilled(models):
    User = models.User
    User.validatesPresenceOf('pendingPeriod', {'unless': 'createdByAdmin'})
    user = User()
    user.createdByAdmin = False
    assert user.isValid() is False
    assert user.errors.pendingPeriod == ["can't be blank"]
    user.pendingPeriod = 1
    assert user.isValid() is True


def test_validations__commons__skipping__should_skip_when_unless_is_not_fulfilled(models):
    User = models.User
    User.validatesPresenceOf('pendingPeriod', {'unless': 'createdByAdmin'})
    user = User()
    user.createdByAdmin = True
    assert user.isValid() is True
    assert user.errors is False
    user.pendingPeriod = 1
    assert user.isValid() is True


# ---------------------------------------------------------------------------
# validations / commons / skipping in async validation

def pending_period_check(inst, err, done):
    if not inst.pendingPeriod:
        err()
    done()


def test_validations__commons__skipping_in_async_validation__should_skip_when_if_is_not_fulfilled(
        models):
    User = models.User
    User.validateAsync('pendingPeriod', pending_period_check,
                       {'if': 'createdByAdmin', 'code': 'presence', 'message': "can't be blank"})
    user = User()
    user.createdByAdmin = False
    valid = callback_outcome(user.isValid).err
    assert valid is True
    assert user.errors is False


def test_validations__commons__skipping_in_async_validation__should_not_skip_when_if_is_fulfilled(
        models):
    User = models.User
    User.validateAsync('pendingPeriod', pending_period_check,
                       {'if': 'createdByAdmin', 'code': 'presence', 'message': "can't be blank"})
    user = User()
    user.createdByAdmin = True
    valid = callback_outcome(user.isValid).err
    assert valid is False
    assert user.errors.pendingPeriod == ["can't be blank"]


def test_validations__commons__skipping_in_async_validation__should_skip_when_unless_is_not_fulfilled(
        models):
    User = models.User
    User.validateAsync('pendingPeriod', pending_period_check,
                       {'unless': 'createdByAdmin', 'code': 'presence',
                        'message': "can't be blank"})
    user = User()
    user.createdByAdmin = True
    valid = callback_outcome(user.isValid).err
    assert valid is True
    assert user.errors is False


def test_validations__commons__skipping_in_async_validation__should_not_skip_when_unless_is_fulfilled(
        models):
    User = models.User
    User.validateAsync('pendingPeriod', pending_period_check,
                       {'unless': 'createdByAdmin', 'code': 'presence',
                        'message': "can't be blank"})
    user = User()
    user.createdByAdmin = False
    valid = callback_outcome(user.isValid).err
    assert valid is False
    assert user.errors.pendingPeriod == ["can't be blank"]


# ---------------------------------------------------------------------------
# validations / commons / lifecycle

def test_validations__commons__lifecycle__should_work_on_create(models):
    User = models.User
    delete_validations(User)
    User.validatesPresenceOf('name')
    e = callback_outcome(User.create).err
    assert e is not None
    e = callback_outcome(User.create, {'name': 'Valid'}).err
    assert e is None


def test_validations__commons__lifecycle__should_work_on_update(models):
    User = models.User
    delete_validations(User)
    User.validatesPresenceOf('name')
    outcome = callback_outcome(User.create, {'name': 'Valid'})
    d = outcome.result
    e = callback_outcome(d.updateAttribute, 'name', None).err
    assert e is not None
    assert isinstance(e, Exception)
    assert isinstance(e, ValidationError)
    e = callback_outcome(d.updateAttribute, 'name', 'Vasiliy').err
    assert e is None


def test_validations__commons__lifecycle__should_ignore_errors_on_upsert_by_default(models):
    User = models.User
    delete_validations(User)
    User.validatesPresenceOf('name')
    # It's important to pass an existing id value to updateOrCreate,
    # otherwise DAO falls back to regular create()
    err, (u,), _ = callback_outcome(User.create, {'name': 'a-name'})
    assert err is None
    assert callback_outcome(User.updateOrCreate, {'id': u.id}).err is None


def test_validations__commons__lifecycle__should_be_skipped_by_upsert_when_disabled_via_settings(
        models):
    User, db = models.User, models.db
    Customer = User.extend('Customer')
    Customer.attachTo(db)
    assert callback_outcome(db.autoupdate).err is None
    # It's important to pass an existing id value,
    # otherwise DAO falls back to regular create()
    err, (u,), _ = callback_outcome(Customer.create, {'name': 'a-name'})
    assert err is None

    def is_valid(self, *args):
        raise Exception('isValid() should not be called at all')
    Customer.isValid = is_valid
    Customer.settings['validateUpsert'] = False
    assert callback_outcome(Customer.updateOrCreate, {'id': u.id, 'name': ''}).err is None


def test_validations__commons__lifecycle__should_work_on_upsert_when_enabled_via_settings(models):
    User = models.User
    User.validatesPresenceOf('name')
    User.settings['validateUpsert'] = True
    # It's important to pass an existing id value,
    # otherwise DAO falls back to regular create()
    err, (u,), _ = callback_outcome(User.create, {'name': 'a-name'})
    assert err is None
    err = callback_outcome(User.upsert, {'id': u.id, 'name': ''}).err
    assert err is not None, 'Validation should have failed.'
    assert isinstance(err, ValidationError)


def test_validations__commons__lifecycle__should_return_error_code(models):
    User = models.User
    delete_validations(User)
    User.validatesPresenceOf('name')
    e = callback_outcome(User.create).err
    assert e is not None
    assert e.details['codes']['name'] == ['presence']


def test_validations__commons__lifecycle__should_allow_to_modify_error_after_validation(models):
    User = models.User

    def after_validate(inst, next_):
        next_()
    User.afterValidate = after_validate


def test_validations__commons__lifecycle__should_include_validation_messages_in_err_message(
        models):
    User = models.User
    delete_validations(User)
    User.validatesPresenceOf('name')
    e = callback_outcome(User.create).err
    assert e is not None
    assert re.search(r"`name` can't be blank", e.message)


def test_validations__commons__lifecycle__should_include_property_value_in_err_message(models):
    User = models.User
    delete_validations(User)
    User.validatesPresenceOf('name')
    e = callback_outcome(User.create).err
    assert e is not None
    assert re.search(r"`name` can't be blank \(value: undefined\)", e.message)


def test_validations__commons__lifecycle__should_include_model_name_in_err_message(models):
    User = models.User
    delete_validations(User)
    User.validatesPresenceOf('name')
    e = callback_outcome(User.create).err
    assert e is not None
    assert re.search(r'`User` instance', e.message, re.I)


def test_validations__commons__lifecycle__should_return_validation_metadata(models):
    User = models.User
    expected = {'name': [{'validation': 'presence', 'options': {}}]}
    delete_validations(User)
    User.validatesPresenceOf('name')
    validations = User.validations
    assert validations == expected


# ---------------------------------------------------------------------------
# validations / validation with or without options

def test_validations__validation_with_or_without_options__should_work_on_update_with_options(
        models):
    User = models.User
    delete_validations(User)
    User.validatesPresenceOf('name')
    d = callback_outcome(User.create, {'name': 'Valid'}).result
    e = callback_outcome(d.updateAttribute, 'name', None, {'options': 'options'}).err
    assert e is not None
    assert isinstance(e, Exception)
    assert isinstance(e, ValidationError)
    err = callback_outcome(d.updateAttribute, 'name', 'Vasiliy', {'options': 'options'}).err
    assert err is None


def test_validations__validation_with_or_without_options__passes_options_to_custom_sync_validator(
        models):
    User = models.User
    delete_validations(User)

    def check(inst, err, options):
        if options.get('testFlag') != 'someValue':
            err()
    User.validate('name', check)
    d = callback_outcome(User.create, {'name': 'Valid'}, {'testFlag': 'someValue'}).result
    e = callback_outcome(d.updateAttribute, 'name', None, {'testFlag': 'otherValue'}).err
    assert e is not None
    assert isinstance(e, ValidationError)
    err = callback_outcome(d.updateAttribute, 'name', 'Vasiliy', {'testFlag': 'someValue'}).err
    assert err is None


def test_validations__validation_with_or_without_options__passes_options_to_async_validator(models):
    User = models.User
    delete_validations(User)

    def check(inst, err, options, done):
        if options.get('testFlag') != 'someValue':
            err()
        lb.nextTick(done)
    User.validateAsync('name', check)
    e, (d,), _ = callback_outcome(User.create, {'name': 'Valid'}, {'testFlag': 'someValue'})
    assert e is None
    e = callback_outcome(d.updateAttribute, 'name', None, {'testFlag': 'otherValue'}).err
    assert e is not None
    assert isinstance(e, ValidationError)
    err = callback_outcome(d.updateAttribute, 'name', 'Vasiliy', {'testFlag': 'someValue'}).err
    assert err is None


def test_validations__validation_with_or_without_options__should_work_on_update_without_options(
        models):
    User = models.User
    delete_validations(User)
    User.validatesPresenceOf('name')
    d = callback_outcome(User.create, {'name': 'Valid'}).result
    e = callback_outcome(d.updateAttribute, 'name', None).err
    assert e is not None
    assert isinstance(e, Exception)
    assert isinstance(e, ValidationError)
    e = callback_outcome(d.updateAttribute, 'name', 'Vasiliy').err
    assert e is None


def test_validations__validation_with_or_without_options__should_work_on_create_with_options(
        models):
    User = models.User
    delete_validations(User)
    User.validatesPresenceOf('name')
    e = callback_outcome(User.create).err
    assert e is not None
    e = callback_outcome(User.create, {'name': 'Valid'}, {'options': 'options'}).err
    assert e is None


def test_validations__validation_with_or_without_options__should_work_on_create_without_options(
        models):
    User = models.User
    delete_validations(User)
    User.validatesPresenceOf('name')
    e = callback_outcome(User.create).err
    assert e is not None
    e = callback_outcome(User.create, {'name': 'Valid'}).err
    assert e is None


# ---------------------------------------------------------------------------
# validations / presence

def test_validations__presence__should_validate_presence(models):
    User = models.User
    User.validatesPresenceOf('name', 'email')

    validations = User.validations
    assert validations['name'] == [{'validation': 'presence', 'options': {}}]
    assert validations['email'] == [{'validation': 'presence', 'options': {}}]

    u = User()
    assert u.isValid() is not True
    u.name = 1
    assert u.isValid() is not True
    u.email = 2
    assert u.isValid() is True


def test_validations__presence__should_reject_nan_value_as_a_number(models):
    User = models.User
    User.validatesPresenceOf('age')
    u = User()
    assert u.isValid() is False
    u.age = float('nan')
    assert u.isValid() is False
    u.age = 1
    assert u.isValid() is True


def test_validations__presence__should_allow_nan_value_as_a_string(models):
    User = models.User
    User.validatesPresenceOf('name')
    u = User()
    assert u.isValid() is False
    u.name = 'NaN'
    assert u.isValid() is True


def test_validations__presence__should_skip_validation_by_property_if_unless(models):
    User = models.User
    User.validatesPresenceOf('domain', {'unless': 'createdByScript'})

    user = User(get_valid_attributes())
    assert user.isValid() is True

    user.createdByScript = False
    assert user.isValid() is False
    assert user.errors.domain == ["can't be blank"]

    user.domain = 'domain'
    assert user.isValid() is True


def given_employees(models, declare):
    """The ``before`` of each 'validate ... on update' describe."""
    Employee, db = models.Employee, models.db
    assert callback_outcome(Employee.destroyAll).err is None
    delete_validations(Employee)
    assert callback_outcome(db.automigrate, 'Employee').err is None
    err, (inst,), _ = callback_outcome(Employee.create, emp_data())
    assert err is None
    assert inst is not None
    declare(Employee)
    return Employee


def update_succeeds(Employee, data, expected):
    """The shared body of the 'succeeds when validate condition is met' cases."""
    err, (emp,), _ = callback_outcome(Employee.updateAll, {'id': 1}, data)
    assert err is None
    assert emp is not None
    assert emp['count'] == 1
    err, (emp,), _ = callback_outcome(Employee.find, {'where': {'id': 1}})
    assert err is None
    assert emp is not None
    assert expected == emp[0].toObject()


def update_fails(Employee, data, prop, message):
    """The shared body of the 'throws err when validate condition is not met' cases."""
    outcome = callback_outcome(Employee.updateAll, {'where': {'id': 1}}, data)
    err = outcome.err
    assert err is not None
    assert outcome.result is None
    assert err.statusCode == 422
    assert err.details['messages'][prop][0] == message


def test_validations__presence__validate_presence_on_update__succeeds_when_validate_condition_is_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesPresenceOf('name', 'age'))
    update_succeeds(Employee, {'name': 'Foo-new', 'age': 5}, {'name': 'Foo-new', 'age': 5, 'id': 1})


def test_validations__presence__validate_presence_on_update__throws_err_when_validate_condition_is_not_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesPresenceOf('name', 'age'))
    update_fails(Employee, {'name': 'Foo-new'}, 'age', "can't be blank")


# ---------------------------------------------------------------------------
# validations / absence

def test_validations__absence__should_validate_absence(models, connector_name):
    User = models.User
    User.validatesAbsenceOf('reserved', {'if': 'locked'})
    u = User({'reserved': 'foo', 'locked': True})
    assert u.isValid() is not True
    u.reserved = None
    if connector_name != 'memory':
        # `reserved` and `locked` are not User properties: juggler makes a
        # model of a relational data source strict (docs/differences.md, SQL
        # connectors), and juggler 3.36.1 with strict: true answers exactly so.
        unknown = {'reserved': ['is not defined in the model'],
                   'locked': ['is not defined in the model']}
        assert u.isValid() is False
        assert u.errors == unknown
        u = User({'reserved': 'foo', 'locked': False})
        assert u.isValid() is False
        assert u.errors == unknown
        return
    assert u.isValid() is True
    u = User({'reserved': 'foo', 'locked': False})
    assert u.isValid() is True


def test_validations__absence__validate_absence_on_update__succeeds_when_validate_condition_is_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesAbsenceOf('name'))
    update_succeeds(Employee, {'age': 5}, {'age': 5, 'id': 1, 'name': 'Foo'})


def test_validations__absence__validate_absence_on_update__throws_err_when_validate_condition_is_not_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesAbsenceOf('name'))
    update_fails(Employee, {'name': 'Foo-new', 'age': 5}, 'name', "can't be set")


# ---------------------------------------------------------------------------
# validations / uniqueness

def test_validations__uniqueness__should_validate_uniqueness(models):
    User = models.User
    User.validatesUniquenessOf('email')
    u = User({'email': 'hey'})
    returned, valid = is_valid_async(u)
    assert bool(returned) is False
    assert valid is True
    callback_outcome(u.save)
    u2 = User({'email': 'hey'})
    assert is_valid_async(u2)[1] is False


def test_validations__uniqueness__should_handle_same_object_modification(models):
    User = models.User
    User.validatesUniquenessOf('email')
    u = User({'email': 'hey'})
    returned, valid = is_valid_async(u)
    # async validations always falsy when called as sync
    assert not returned
    assert valid is True
    callback_outcome(u.save)
    u.name = 'Goghi'
    assert is_valid_async(u)[1] is True
    assert callback_outcome(u.save).err is None


def test_validations__uniqueness__should_support_multi_key_constraint(models):
    db = models.db
    EMAIL = 'user@xample.com'
    SiteUser = db.define('SiteUser', {
        'siteId': str,
        'email': str,
    })
    SiteUser.validatesUniquenessOf('email', {'scopedTo': ['siteId']})
    assert callback_outcome(db.automigrate).err is None
    assert callback_outcome(SiteUser.create, {'siteId': 1, 'email': EMAIL}).err is None
    assert callback_outcome(SiteUser.create, {'siteId': 2, 'email': EMAIL}).err is None
    user3 = SiteUser({'siteId': 1, 'email': EMAIL})
    assert is_valid_async(user3)[1] is False


def test_validations__uniqueness__should_skip_blank_values(models):
    User = models.User
    User.validatesUniquenessOf('email')
    u = User({'email': '  '})
    returned, valid = is_valid_async(u)
    assert bool(returned) is False
    assert valid is True
    callback_outcome(u.save)
    u2 = User({'email': None})
    assert is_valid_async(u2)[1] is True


def test_validations__uniqueness__should_work_with_if_unless(models):
    User = models.User
    User.validatesUniquenessOf('email', {
        'if': lambda inst: True,
        'unless': lambda inst: False,
    })
    u = User({'email': 'hello'})
    returned, valid = is_valid_async(u)
    assert bool(returned) is False
    assert valid is True


def test_validations__uniqueness__should_work_with_id_property_on_create(models):
    Entry = models.Entry
    callback_outcome(Entry.create, {'id': 'entry'})
    e = Entry({'id': 'entry'})
    returned, valid = is_valid_async(e)
    assert bool(returned) is False
    assert valid is False


def test_validations__uniqueness__should_work_with_id_property_after_create(models):
    Entry = models.Entry
    callback_outcome(Entry.create, {'id': 'entry'})   # what the case before left
    e = callback_outcome(Entry.findById, 'entry').result
    returned, valid = is_valid_async(e)
    assert bool(returned) is False
    assert valid is True


def uniqueness_case(User, options, saved, candidate, expected):
    User.validatesUniquenessOf('email', options)
    u = User({'email': saved})
    returned, valid = is_valid_async(u)
    assert bool(returned) is False
    assert valid is True
    assert callback_outcome(u.save).err is None
    u2 = User({'email': candidate})
    assert is_valid_async(u2)[1] is expected


def test_validations__uniqueness__passes_case_insensitive_validation(models):
    uniqueness_case(models.User, {'ignoreCase': True}, 'hey', 'HEY', False)


def test_validations__uniqueness__passed_case_sensitive_validation(models):
    uniqueness_case(models.User, {'ignoreCase': False}, 'hey', 'HEY', True)


def test_validations__uniqueness__passes_case_insensitive_validation_with_string_that_needs_escaping(
        models):
    uniqueness_case(models.User, {'ignoreCase': True}, 'me+me@my.com', 'ME+ME@MY.COM', False)


def test_validations__uniqueness__passed_case_sensitive_validation_with_string_that_needs_escaping(
        models):
    uniqueness_case(models.User, {'ignoreCase': False}, 'me+me@my.com', 'ME+ME@MY.COM', True)


def test_validations__uniqueness__passes_partial_case_insensitive_validation_with_string_that_needs_escaping(
        models):
    uniqueness_case(models.User, {'ignoreCase': True}, 'also+me@my.com', 'Me@My.com', True)


def test_validations__uniqueness__passes_partial_case_sensitive_validation_with_string_that_needs_escaping(
        models):
    uniqueness_case(models.User, {'ignoreCase': False}, 'also+me@my.com', 'Me@My.com', True)


def test_validations__uniqueness__validate_uniqueness_on_update__succeeds_when_validate_condition_is_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesUniquenessOf('name'))
    update_succeeds(Employee, {'name': 'Foo-new', 'age': 5}, {'name': 'Foo-new', 'age': 5, 'id': 1})


def test_validations__uniqueness__validate_uniqueness_on_update__throws_err_when_validate_condition_is_not_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesUniquenessOf('name'))
    update_fails(Employee, {'name': 'Bar', 'age': 5}, 'name', 'is not unique')


# ---------------------------------------------------------------------------
# validations / format

def test_validations__format__should_validate_the_format_of_valid_strings(models):
    User = models.User
    User.validatesFormatOf('name', {'with': re.compile(r'[a-z][A-Z]*$')})
    u = User({'name': 'valid name'})
    assert u.isValid() is True


def test_validations__format__should_validate_the_format_of_invalid_strings(models):
    User = models.User
    User.validatesFormatOf('name', {'with': re.compile(r'[a-z][A-Z]*$')})
    u = User({'name': 'invalid name!'})
    assert u.isValid() is False


def test_validations__format__should_validate_the_format_of_valid_numbers(models):
    User = models.User
    User.validatesFormatOf('age', {'with': re.compile(r'^\d+$')})
    u = User({'age': 30})
    assert u.isValid() is True


def test_validations__format__should_validate_the_format_of_invalid_numbers(models):
    User = models.User
    User.validatesFormatOf('age', {'with': re.compile(r'^\d+$')})
    u = User({'age': 'thirty'})
    assert u.isValid() is False


def test_validations__format__should_overwrite_default_blank_message_with_custom_format_message(
        models):
    User = models.User
    CUSTOM_MESSAGE = 'custom validation message'
    User.validatesFormatOf('name', {'with': re.compile(r'[a-z][A-Z]*$'),
                                    'message': CUSTOM_MESSAGE})
    u = User({'name': 'invalid name string 123'})
    assert u.isValid() is False
    assert u.errors['name'] == [CUSTOM_MESSAGE]
    assert u.errors.codes == {'name': ['format']}


def test_validations__format__should_skip_missing_values_when_allowing_blank(models):
    User = models.User
    User.validatesFormatOf('email', {'with': re.compile(r'^\S+@\S+\.\S+$'), 'allowBlank': True})
    u = User({})
    assert u.isValid() is True


def test_validations__format__should_skip_null_values_when_allowing_null(models):
    User = models.User
    User.validatesFormatOf('email', {'with': re.compile(r'^\S+@\S+\.\S+$'), 'allowNull': True})
    u = User({'email': None})
    assert u.isValid() is True


def test_validations__format__should_not_skip_missing_values(models):
    User = models.User
    User.validatesFormatOf('email', {'with': re.compile(r'^\S+@\S+\.\S+$')})
    u = User({})
    assert u.isValid() is False


def test_validations__format__should_not_skip_null_values(models):
    User = models.User
    User.validatesFormatOf('email', {'with': re.compile(r'^\S+@\S+\.\S+$')})
    u = User({'email': None})
    assert u.isValid() is False


def test_validations__format__validate_format_correctly_on_bulk_creation_with_global_flag_enabled_in_reg_exp__succeeds_when_validate_condition_is_met_for_all_items(  # noqa: E501
        models, connector_name):
    # juggler's /^[a-z]+$/g: a stateful (lastIndex) global RegExp; Python's
    # patterns have no g flag and no state, so the same pattern without it.
    Employee = given_employees(
        models, lambda E: E.validatesFormatOf('name', {'with': re.compile(r'^[a-z]+$'),
                                                       'allowNull': False}))
    err, (instances,), _ = callback_outcome(Employee.create, [
        {'name': 'test'},
        {'name': 'test'},
        {'name': 'test'},
        {'name': 'test'},
        {'name': 'test'},
        {'name': 'test'},
    ])
    if connector_name == 'postgresql':
        # The rows carry no id and Employee's id is `generated: false`: the
        # memory connector (juggler's getSchema()) makes one up, SQLite's
        # INTEGER PRIMARY KEY assigns one, PostgreSQL's NOT NULL primary key
        # refuses the row, as with LB3's PostgreSQL connector.
        assert err is not None
        assert 'null value in column "id"' in str(err)
        return
    assert err is None
    assert instances is not None
    assert len(instances) == 6


def test_validations__format__validate_format_on_update__succeeds_when_validate_condition_is_met(
        models):
    Employee = given_employees(
        models, lambda E: E.validatesFormatOf('name', {'with': re.compile(r'^\w+\s\w+$'),
                                                       'allowNull': False}))
    update_succeeds(Employee, {'name': 'Foo Mo', 'age': 5}, {'name': 'Foo Mo', 'age': 5, 'id': 1})


def test_validations__format__validate_format_on_update__throws_err_when_validate_condition_is_not_met(
        models):
    Employee = given_employees(
        models, lambda E: E.validatesFormatOf('name', {'with': re.compile(r'^\w+\s\w+$'),
                                                       'allowNull': False}))
    update_fails(Employee, {'name': '45foo', 'age': 5}, 'name', 'is invalid')


# ---------------------------------------------------------------------------
# validations / numericality

def test_validations__numericality__passes_when_given_numeric_values(models):
    User = models.User
    User.validatesNumericalityOf('age')
    user = User({'age': 10})
    assert user.isValid() is True


def test_validations__numericality__fails_when_given_non_numeric_values(models):
    User = models.User
    User.validatesNumericalityOf('age')
    user = User({'age': 'notanumber'})
    assert user.isValid() is False
    assert user.errors['age'] == ['is not a number']


def test_validations__numericality__fails_when_given_undefined_values(models):
    User = models.User
    User.validatesNumericalityOf('age')
    user = User({})
    assert user.isValid() is False
    assert user.errors['age'] == ['is blank']


def test_validations__numericality__skips_undefined_values_when_allow_blank_option_is_true(models):
    User = models.User
    User.validatesNumericalityOf('age', {'allowBlank': True})
    user = User({})
    assert user.isValid() is True


def test_validations__numericality__fails_when_given_non_numeric_values_when_allow_blank_option_is_true(
        models):
    User = models.User
    User.validatesNumericalityOf('age', {'allowBlank': True})
    user = User({'age': 'test'})
    assert user.isValid() is False
    assert user.errors['age'] == ['is not a number']


def test_validations__numericality__fails_when_given_null_values(models):
    User = models.User
    User.validatesNumericalityOf('age')
    user = User({'age': None})
    assert user.isValid() is False
    assert user.errors['age'] == ['is null']


def test_validations__numericality__passes_when_given_null_values_when_allow_null_option_is_true(
        models):
    User = models.User
    User.validatesNumericalityOf('age', {'allowNull': True})
    user = User({'age': None})
    assert user.isValid() is True


def test_validations__numericality__passes_when_given_float_values(models):
    User = models.User
    User.validatesNumericalityOf('age')
    user = User({'age': 13.37})
    assert user.isValid() is True


def test_validations__numericality__fails_when_given_non_integer_values_when_int_option_is_true(
        models):
    User = models.User
    User.validatesNumericalityOf('age', {'int': True})
    user = User({'age': 13.37})
    assert user.isValid() is False
    assert matches(user.errors['age'], 'is not an integer')


def test_validations__numericality__validate_numericality_on_update__succeeds_when_validate_condition_is_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesNumericalityOf('age'))
    update_succeeds(Employee, {'name': 'Foo-new', 'age': 5}, {'name': 'Foo-new', 'age': 5, 'id': 1})


def test_validations__numericality__validate_numericality_on_update__throws_err_when_validate_condition_is_not_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesNumericalityOf('age'))
    update_fails(Employee, {'age': {'someAge': 5}}, 'age', 'is not a number')


# ---------------------------------------------------------------------------
# validations / inclusion

def test_validations__inclusion__fails_when_included_value_is_not_used_for_property(models):
    User = models.User
    User.validatesInclusionOf('name', {'in': ['bob', 'john']})
    err = callback_outcome(User.create, {'name': 'bobby'}).err
    assert isinstance(err, Exception)
    assert matches(err.details['messages']['name'], 'is not included in the list')


def test_validations__inclusion__passes_when_included_value_is_used_for_property(models):
    User = models.User
    User.validatesInclusionOf('name', {'in': ['bob', 'john']})
    err, (user,), _ = callback_outcome(User.create, {'name': 'bob'})
    assert err is None
    assert user.name == 'bob'


def test_validations__inclusion__fails_with_a_custom_error_message(models):
    User = models.User
    User.validatesInclusionOf('name', {'in': ['bob', 'john'], 'message': 'not used'})
    err = callback_outcome(User.create, {'name': 'dude'}).err
    assert isinstance(err, Exception)
    assert matches(err.details['messages']['name'], 'not used')


def test_validations__inclusion__fails_with_a_null_value_when_allow_null_is_false(models):
    User = models.User
    User.validatesInclusionOf('name', {'in': ['bob'], 'allowNull': False})
    err = callback_outcome(User.create, {'name': None}).err
    assert isinstance(err, Exception)
    assert matches(err.details['messages']['name'], 'is null')


def test_validations__inclusion__passes_with_a_null_value_when_allow_null_is_true(models):
    User = models.User
    User.validatesInclusionOf('name', {'in': ['bob'], 'allowNull': True})
    assert callback_outcome(User.create, {'name': None}).err is None


def test_validations__inclusion__fails_if_value_is_used_for_integer_property(models):
    User = models.User
    User.validatesInclusionOf('age', {'in': [123, 456]})
    err = callback_outcome(User.create, {'age': 789}).err
    assert isinstance(err, Exception)
    assert matches(err.details['messages']['age'], 'is not included in the list')


def test_validations__inclusion__passes_with_an_empty_value_when_allow_blank_option_is_true(models):
    User = models.User
    User.validatesInclusionOf('gender', {'in': ['male', 'female'], 'allowBlank': True})
    assert callback_outcome(User.create, {'gender': ''}).err is None


def test_validations__inclusion__fails_with_an_empty_value_when_allow_blank_option_is_false(models):
    User = models.User
    User.validatesInclusionOf('gender', {'in': ['male', 'female'], 'allowBlank': False})
    err = callback_outcome(User.create, {'gender': ''}).err
    assert isinstance(err, ValidationError)
    assert get_error_details(err) == '`gender` is blank (value: "").'


def test_validations__inclusion__validate_inclusion_on_update__succeeds_when_validate_condition_is_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesInclusionOf('name', {'in': ['Foo-new']}))
    update_succeeds(Employee, {'name': 'Foo-new', 'age': 5}, {'name': 'Foo-new', 'age': 5, 'id': 1})


def test_validations__inclusion__validate_inclusion_on_update__throws_err_when_validate_condition_is_not_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesInclusionOf('name', {'in': ['Foo-new']}))
    update_fails(Employee, {'name': 'Foo-new2', 'age': 5}, 'name', 'is not included in the list')


# ---------------------------------------------------------------------------
# validations / exclusion

def test_validations__exclusion__fails_when_excluded_value_is_used_for_property(models):
    User = models.User
    User.validatesExclusionOf('name', {'in': ['bob']})
    err = callback_outcome(User.create, {'name': 'bob'}).err
    assert isinstance(err, Exception)
    assert matches(err.details['messages']['name'], 'is reserved')


def test_validations__exclusion__passes_when_excluded_value_not_found_for_property(models):
    User = models.User
    User.validatesExclusionOf('name', {'in': ['dude']})
    err, (user,), _ = callback_outcome(User.create, {'name': 'bob'})
    assert err is None
    assert user.name == 'bob'


def test_validations__exclusion__fails_with_a_custom_error_message(models):
    User = models.User
    User.validatesExclusionOf('name', {'in': ['bob'], 'message': 'cannot use this'})
    err = callback_outcome(User.create, {'name': 'bob'}).err
    assert isinstance(err, Exception)
    assert matches(err.details['messages']['name'], 'cannot use this')


def test_validations__exclusion__fails_with_a_null_value_when_allow_null_is_false(models):
    User = models.User
    User.validatesExclusionOf('name', {'in': ['bob'], 'allowNull': False})
    err = callback_outcome(User.create, {'name': None}).err
    assert isinstance(err, Exception)
    assert matches(err.details['messages']['name'], 'is null')


def test_validations__exclusion__passes_with_a_null_value_when_allow_null_is_true(models):
    User = models.User
    User.validatesExclusionOf('name', {'in': ['bob'], 'allowNull': True})
    assert callback_outcome(User.create, {'name': None}).err is None


def test_validations__exclusion__fails_if_value_is_used_for_integer_property(models):
    User = models.User
    User.validatesExclusionOf('age', {'in': [123, 456]})
    err = callback_outcome(User.create, {'age': 123}).err
    assert isinstance(err, Exception)
    assert matches(err.details['messages']['age'], 'is reserved')


def test_validations__exclusion__validate_exclusion_on_update__succeeds_when_validate_condition_is_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesExclusionOf('name', {'in': ['Bob']}))
    update_succeeds(Employee, {'name': 'Foo-new', 'age': 5}, {'name': 'Foo-new', 'age': 5, 'id': 1})


def test_validations__exclusion__validate_exclusion_on_update__throws_err_when_validate_condition_is_not_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesExclusionOf('name', {'in': ['Bob']}))
    update_fails(Employee, {'name': 'Bob', 'age': 5}, 'name', 'is reserved')


# ---------------------------------------------------------------------------
# validations / length

@pytest.mark.skip(reason='pending in juggler: it() without a body')
def test_validations__length__should_validate_length():
    pass


def test_validations__length__validate_length_on_update__succeeds_when_validate_condition_is_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesLengthOf('name', {'min': 5}))
    update_succeeds(Employee, {'name': 'Foo-new', 'age': 5}, {'name': 'Foo-new', 'age': 5, 'id': 1})


def test_validations__length__validate_length_on_update__throws_err_when_validate_condition_is_not_met(
        models):
    Employee = given_employees(models, lambda E: E.validatesLengthOf('name', {'min': 5}))
    update_fails(Employee, {'name': 'Bob', 'age': 5}, 'name', 'too short')


# ---------------------------------------------------------------------------
# validations / custom

def test_validations__custom__should_validate_using_custom_sync_validation(models):
    User = models.User

    def check(inst, err):
        if inst.email == 'hello':
            err()
    User.validate('email', check, {'code': 'invalid-email'})
    u = User({'email': 'hello'})
    assert bool(u.isValid()) is False
    assert u.errors.codes == {'email': ['invalid-email']}


def test_validations__custom__should_validate_and_return_detailed_error_messages(models):
    User = models.User

    def check(inst, err):
        if inst.email == 'hello' or inst.email == 'hey':
            inst.errors.add('email', 'Cannot be `' + inst.email + '`', 'invalid-email')
            err(False)  # false: prevent global error message
    User.validate('global', check)
    u = User({'email': 'hello'})
    assert bool(u.isValid()) is False
    assert u.errors['email'] == ['Cannot be `hello`']
    assert u.errors.codes == {'email': ['invalid-email']}


def test_validations__custom__should_validate_using_custom_async_validation(models):
    User = models.User

    def check(inst, err, next_):
        lb.nextTick(next_)
    User.validateAsync('email', check, {
        'if': lambda inst: True,
        'unless': lambda inst: False,
    })
    u = User({'email': 'hello'})
    returned, valid = is_valid_async(u)
    assert valid is True
    assert bool(returned) is False


# ---------------------------------------------------------------------------
# validations / invalid value formatting

@pytest.fixture
def max_len():
    """beforeEach saveAndSetMaxLen / afterEach restoreMaxLen."""
    had = 'maxPropertyStringLength' in ValidationError.__dict__
    orig_max_len = ValidationError.__dict__.get('maxPropertyStringLength')
    yield
    if had:
        ValidationError.maxPropertyStringLength = orig_max_len
    elif 'maxPropertyStringLength' in ValidationError.__dict__:
        del ValidationError.maxPropertyStringLength


class _ErrorTarget:
    def __init__(self, errors, json_val):
        self.errors = errors
        self._json_val = json_val

    def toJSON(self):
        return self._json_val


def given_validation_error(property_name, property_value, error_message):
    json_val = {property_name: property_value}
    error_val = {property_name: [error_message]}
    obj = _ErrorTarget(error_val, json_val)
    return ValidationError(obj)


def test_validations__invalid_value_formatting__should_truncate_long_strings(models, max_len):
    ValidationError.maxPropertyStringLength = 9
    err = given_validation_error('prop', '1234567890abc', 'is invalid')
    assert get_error_details(err) == '`prop` is invalid (value: "12...abc").'


def test_validations__invalid_value_formatting__should_truncate_long_objects(models, max_len):
    ValidationError.maxPropertyStringLength = 12
    err = given_validation_error('prop', {'foo': 'bar'}, 'is invalid')
    assert get_error_details(err) == '`prop` is invalid (value: { foo:... }).'


def test_validations__invalid_value_formatting__should_truncate_long_arrays(models, max_len):
    ValidationError.maxPropertyStringLength = 12
    err = given_validation_error('prop', [{'a': 1, 'b': 2}], 'is invalid')
    assert get_error_details(err) == '`prop` is invalid (value: [ { a...} ]).'


def test_validations__invalid_value_formatting__should_print_only_top_level_object_properties(
        models, max_len):
    err = given_validation_error('prop', {'a': {'b': 'c'}}, 'is invalid')
    assert get_error_details(err) == '`prop` is invalid (value: { a: [Object] }).'


def test_validations__invalid_value_formatting__should_print_only_top_level_props_of_objects_in_array(
        models, max_len):
    err = given_validation_error('prop', [{'a': {'b': 'c'}}], 'is invalid')
    assert get_error_details(err) == '`prop` is invalid (value: [ { a: [Object] } ]).'


def test_validations__invalid_value_formatting__should_exclude_colors_from_model_values(
        models, max_len):
    obj = models.User()
    obj.email = 'test@example.com'
    err = given_validation_error('user', obj, 'is invalid')
    assert get_error_details(err) == "`user` is invalid (value: { email: 'test@example.com' })."


# ---------------------------------------------------------------------------
# validations / date

def test_validations__date__should_validate_a_date_object(models):
    User = models.User
    User.validatesDateOf('updatedAt')
    u = User({'updatedAt': datetime.datetime.now(datetime.timezone.utc)})
    assert u.isValid() is True


def test_validations__date__should_validate_a_date_string(models):
    User = models.User
    User.validatesDateOf('updatedAt')
    u = User({'updatedAt': '2000-01-01'})
    assert u.isValid() is True


def test_validations__date__should_validate_a_null_date(models):
    User = models.User
    User.validatesDateOf('updatedAt')
    u = User({'updatedAt': None})
    assert u.isValid() is True


def test_validations__date__should_validate_an_undefined_date(models):
    User = models.User
    User.validatesDateOf('updatedAt')
    u = User({'updatedAt': lb.undefined})
    assert u.isValid() is True


def test_validations__date__should_validate_an_invalid_date_string(models):
    User = models.User
    User.validatesDateOf('updatedAt')
    u = User({'updatedAt': 'invalid date string'})
    assert u.isValid() is not True
    assert u.errors['updatedAt'] == ['is not a valid date']
    assert u.errors.codes == {'updatedAt': ['date']}


def test_validations__date__should_attach_validation_by_default_to_all_date_properties(models):
    # juggler redefines 'User' silently; here the redefinition also warns
    # (ModelRedefinedWarning, docs/differences.md).
    with pytest.warns(lb.ModelRedefinedWarning):
        AnotherUser = models.db.define('User', dict(USER_PROPERTIES))
    u = AnotherUser({'updatedAt': 'invalid date string'})
    assert u.isValid() is not True
    assert u.errors['updatedAt'] == ['is not a valid date']
    assert u.errors.codes == {'updatedAt': ['date']}


def test_validations__date__should_overwrite_default_blank_message_with_custom_format_message(
        models):
    User = models.User
    CUSTOM_MESSAGE = 'custom validation message'
    User.validatesDateOf('updatedAt', {'message': CUSTOM_MESSAGE})
    u = User({'updatedAt': 'invalid date string'})
    assert u.isValid() is not True
    assert u.errors['updatedAt'] == [CUSTOM_MESSAGE]
    assert u.errors.codes == {'updatedAt': ['date']}
