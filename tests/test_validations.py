"""Validations (lib/validations.js of juggler 3.x), on real models of every connector.

Expected messages were printed by loopback-datasource-juggler 3.36.1 in Node
for the same scenarios (test/validations.test.js and throwaway scripts).
"""

import datetime as dt
import re

import pytest

import loopback_compat as lb
from loopback_compat.errors import ValidationError
from loopback_compat.validations import Errors, validation_error

USER_PROPS = {
    'email': 'string', 'name': 'string', 'password': 'string', 'state': 'string',
    'age': 'number', 'gender': 'string', 'domain': 'string', 'pendingPeriod': 'number',
    'createdByAdmin': 'boolean', 'createdByScript': 'boolean', 'updatedAt': 'date',
}


@pytest.fixture
def User(ds):
    model = ds.createModel('User', dict(USER_PROPS))
    if 'validations' in model.__dict__:
        del model.validations     # as juggler's beforeEach: start with none
    return model


def run_callback(call):
    """Run ``call(cb)`` in the loop; return the arguments cb received."""
    got = []

    def main():
        call(lambda *args: got.append(args))
    lb.run(main)
    assert len(got) == 1, 'callback called %d times' % len(got)
    return got[0]


def create_error(Model, data, options=None):
    """The error Model.create(data[, options], cb) reports (None when it succeeds)."""
    if options is None:
        args = run_callback(lambda cb: Model.create(data, cb))
    else:
        args = run_callback(lambda cb: Model.create(data, options, cb))
    return args[0]


def details_of(err):
    return re.sub(r'^.*Details: ', '', err.message)


# ---------------------------------------------------------------------------
# declaring validations

def test_validations_metadata_has_juggler_shape(User):
    User.validatesPresenceOf('name', 'email')
    User.validatesLengthOf('name', min=3, message={'min': 'too weak'})
    assert User.validations == {
        'name': [{'validation': 'presence', 'options': {}},
                 {'validation': 'length', 'min': 3, 'message': {'min': 'too weak'},
                  'options': {}}],
        'email': [{'validation': 'presence', 'options': {}}],
    }


def test_options_as_dict_or_keywords_are_the_same(User):
    User.validatesInclusionOf('gender', {'in': ['m', 'f'], 'allowNull': True})
    User.validatesInclusionOf('state', in_=['on'], allowNull=True)
    User.validatesFormatOf('name', with_='^a')
    assert User.validations['gender'][0]['in'] == ['m', 'f']
    assert User.validations['state'][0]['in'] == ['on']
    assert User.validations['name'][0]['with'] == '^a'


def test_async_validations_are_marked_async(User):
    User.validatesUniquenessOf('email')
    User.validateAsync('name', lambda inst, err, done: done())
    assert User.validations['email'][0]['options'] == {'async': True}
    assert User.validations['name'][0]['options'] == {'async': True}


def test_validations_are_not_inherited_by_a_subclass_model(ds):
    Parent = ds.createModel('Parent', {'name': 'string'})
    Parent.validatesPresenceOf('name')
    Child = ds.createModel('Child', {'extra': 'string'}, {'base': Parent})
    Child.validatesPresenceOf('extra')
    assert 'extra' not in Parent.validations
    assert 'name' not in Child.validations


def test_required_property_becomes_a_presence_validation(ds):
    Thing = ds.createModel('Thing', {'name': {'type': 'string', 'required': True}})
    assert {'validation': 'presence', 'options': {}} in Thing.validations['name']
    thing = Thing()
    assert thing.isValid() is False
    assert thing.errors == {'name': ["can't be blank"]}


def test_date_property_gets_a_date_validation(ds):
    Thing = ds.createModel('Thing', {'when': 'date'})
    assert {'validation': 'date', 'options': {}} in Thing.validations['when']


# ---------------------------------------------------------------------------
# isValid() and inst.errors

def test_is_valid_returns_a_boolean_and_cleans_errors(User):
    User.validatesPresenceOf('name')
    user = User()
    assert user.errors is None
    assert user.isValid() is False
    assert isinstance(user.errors, Errors)
    assert user.errors == {'name': ["can't be blank"]}
    assert user.errors.name == ["can't be blank"]
    assert user.errors.codes == {'name': ['presence']}
    user.name = 'x'
    assert user.isValid() is True
    assert user.errors is False


def test_is_valid_without_any_validation(User):
    user = User()
    assert user.isValid() is True
    assert user.errors is False


def test_callback_gets_the_boolean_only_and_never_synchronously(User):
    User.validatesPresenceOf('name')
    user = User()
    events = []

    def main():
        returned = user.isValid(lambda *args: events.append(('cb', args)))
        events.append(('returned', returned))
    lb.run(main)
    assert events == [('returned', False), ('cb', (False,))]


def test_errors_is_not_stored_as_a_property(User):
    User.validatesPresenceOf('name')
    user = User()
    user.isValid()
    assert 'errors' not in user.toJSON()


def test_errors_add_defaults_code_to_invalid():
    errors = Errors()
    errors.add('name', 'is bad')
    errors.add('name', 'is worse', 'worse')
    assert errors == {'name': ['is bad', 'is worse']}
    assert errors.codes == {'name': ['invalid', 'worse']}
    assert errors.missing is None


def test_is_valid_returns_none_when_async_validations_exist(User):
    User.validatesUniquenessOf('email')
    user = User({'email': 'hey'})
    got = []

    def main():
        got.append(user.isValid(lambda valid: got.append(valid)))
    lb.run(main)
    assert got == [None, True]


def test_sync_and_async_failures_are_combined(User):
    User.validatesPresenceOf('name')
    User.validateAsync('email', lambda inst, err, done: (err(), done()))
    user = User({'email': 'a@b.c'})
    valid, = run_callback(lambda cb: user.isValid(cb))
    assert valid is False
    assert user.errors == {'name': ["can't be blank"], 'email': ['is invalid']}
    assert user.errors.codes == {'name': ['presence'], 'email': ['custom']}


def test_strict_model_reports_unknown_properties(ds):
    Strict = ds.createModel('Strict', {'name': 'string'}, {'strict': True})
    inst = Strict({'name': 'a', 'foo': 1})
    assert inst.isValid() is False
    err = validation_error(inst)
    assert err.message == ('The `Strict` instance is not valid. '
                           'Details: `foo` is not defined in the model (value: undefined).')
    assert err.details == {'context': 'Strict', 'codes': {'foo': ['unknown-property']},
                           'messages': {'foo': ['is not defined in the model']}}


# ---------------------------------------------------------------------------
# if / unless

@pytest.mark.parametrize('option, admin, valid', [
    ('if', True, False), ('if', False, True), ('unless', False, False), ('unless', True, True),
])
def test_if_and_unless_name_a_property(User, option, admin, valid):
    User.validatesPresenceOf('pendingPeriod', {option: 'createdByAdmin'})
    user = User()
    user.createdByAdmin = admin
    assert user.isValid() is valid
    assert user.errors == (False if valid else {'pendingPeriod': ["can't be blank"]})
    user.pendingPeriod = 1
    assert user.isValid() is True


def test_if_on_an_absent_property_validates_but_unless_skips(User):
    # juggler: an `if` property missing from the data counts as fulfilled,
    # an `unless` property missing from the data skips the validation.
    User.validatesPresenceOf('name', if_='createdByAdmin')
    User.validatesPresenceOf('email', unless='createdByAdmin')
    user = User()
    assert user.isValid() is False
    assert user.errors == {'name': ["can't be blank"]}


def test_if_and_unless_functions_receive_the_instance(User):
    User.validatesPresenceOf('domain', if_=lambda inst: inst.state == 'on')
    User.validatesPresenceOf('email', unless=lambda inst: inst.state == 'on')
    user = User({'state': 'on'})
    assert user.isValid() is False
    assert user.errors == {'domain': ["can't be blank"]}


def test_if_names_a_method(User):
    User.validatesPresenceOf('name', {'if': 'isNewRecord'})
    user = User()
    assert user.isValid() is False


@pytest.mark.parametrize('option, admin, valid', [
    ('if', False, True), ('if', True, False), ('unless', True, True), ('unless', False, False),
])
def test_if_and_unless_in_async_validations(User, option, admin, valid):
    def pending(inst, err, done):
        if not inst.pendingPeriod:
            err()
        done()
    User.validateAsync('pendingPeriod', pending,
                       {option: 'createdByAdmin', 'code': 'presence', 'message': "can't be blank"})
    user = User({'createdByAdmin': admin})
    got, = run_callback(lambda cb: user.isValid(cb))
    assert got is valid
    assert user.errors == (False if valid else {'pendingPeriod': ["can't be blank"]})


# ---------------------------------------------------------------------------
# presence / absence

def test_presence_of_several_properties(User):
    User.validatesPresenceOf('name', 'email')
    user = User()
    assert user.isValid() is False
    user.name = 'a'
    assert user.isValid() is False
    user.email = 'b'
    assert user.isValid() is True


@pytest.mark.parametrize('value, valid', [
    ('', False), (None, False), ([], False), (float('nan'), False),
    (' ', True), (0, True), (False, True), ([0], True), ({}, True),
])
def test_presence_blank_values(ds, value, valid):
    Thing = ds.createModel('Thing', {'value': 'any'})
    Thing.validatesPresenceOf('value')
    assert Thing({'value': value}).isValid() is valid


def test_presence_accepts_the_string_nan(User):
    User.validatesPresenceOf('name')
    assert User({'name': 'NaN'}).isValid() is True


def test_presence_custom_message(User):
    User.validatesPresenceOf('name', message='Cannot be blank')
    user = User()
    user.isValid()
    assert user.errors == {'name': ['Cannot be blank']}


def test_absence(ds):
    Thing = ds.createModel('Thing', {'reserved': 'string', 'locked': 'boolean'})
    Thing.validatesAbsenceOf('reserved', {'if': 'locked'})
    thing = Thing({'reserved': 'foo', 'locked': True})
    assert thing.isValid() is False
    assert thing.errors == {'reserved': ["can't be set"]}
    assert thing.errors.codes == {'reserved': ['absence']}
    thing.reserved = None
    assert thing.isValid() is True
    assert Thing({'reserved': 'foo', 'locked': False}).isValid() is True


# ---------------------------------------------------------------------------
# length

def test_length_default_messages_and_codes(User):
    User.validatesLengthOf('name', min=3, max=5)
    User.validatesLengthOf('state', is_=2)
    user = User({'name': 'ab', 'state': 'abc'})
    assert user.isValid() is False
    assert user.errors == {'name': ['too short'], 'state': ['length is wrong']}
    assert user.errors.codes == {'name': ['length.min'], 'state': ['length.is']}
    user.name = 'abcdef'
    user.state = 'ab'
    user.isValid()
    assert user.errors == {'name': ['too long']}


def test_length_messages_per_kind(User):
    User.validatesLengthOf('name', {'min': 3, 'max': 5, 'message': {'min': 'too weak'}})
    user = User({'name': 'ab'})
    user.isValid()
    assert user.errors == {'name': ['too weak']}
    user.name = 'abcdefg'
    user.isValid()
    assert user.errors == {'name': ['is invalid']}   # no 'max' entry: juggler says 'is invalid'


def test_length_string_message_is_replaced_by_is_invalid(User):
    # juggler only looks messages up per kind; a plain string is not used.
    User.validatesLengthOf('name', min=3, message='custom')
    user = User({'name': 'ab'})
    user.isValid()
    assert user.errors == {'name': ['is invalid']}
    assert user.errors.codes == {'name': ['length.min']}


def test_length_of_a_missing_value_is_blank(User):
    User.validatesLengthOf('name', min=3, message='custom')
    user = User()
    user.isValid()
    assert user.errors == {'name': ['is blank']}
    assert user.errors.codes == {'name': ['length.blank']}


def test_length_counts_utf16_code_units_as_javascript(User):
    User.validatesLengthOf('name', min=3, max=5)
    assert User({'name': '\U0001F600\U0001F600'}).isValid() is True   # 4 units in JS


def test_length_of_arrays(ds):
    Thing = ds.createModel('Thing', {'tags': ['string']})
    Thing.validatesLengthOf('tags', max=2)
    assert Thing({'tags': ['a', 'b']}).isValid() is True
    assert Thing({'tags': ['a', 'b', 'c']}).isValid() is False


# ---------------------------------------------------------------------------
# format

def test_format_of_strings_and_numbers(User):
    User.validatesFormatOf('name', {'with': re.compile(r'[a-z][A-Z]*$')})
    assert User({'name': 'valid name'}).isValid() is True
    assert User({'name': 'invalid name!'}).isValid() is False
    del User.validations
    User.validatesFormatOf('age', with_=r'^\d+$')
    assert User({'age': 30}).isValid() is True


def test_format_custom_message_and_code(User):
    User.validatesFormatOf('name', with_=r'[a-z][A-Z]*$', message='custom validation message')
    user = User({'name': 'invalid name string 123'})
    assert user.isValid() is False
    assert user.errors == {'name': ['custom validation message']}
    assert user.errors.codes == {'name': ['format']}


@pytest.mark.parametrize('data, options, valid', [
    ({}, {'allowBlank': True}, True),
    ({'email': None}, {'allowNull': True}, True),
    ({}, {}, False),
    ({'email': None}, {}, False),
])
def test_format_blank_and_null(User, data, options, valid):
    User.validatesFormatOf('email', with_=r'^\S+@\S+\.\S+$', **options)
    assert User(data).isValid() is valid


@pytest.mark.parametrize('value, expected', [
    ('AB1', '`code` is invalid (value: "AB1").'),
    (12, '`code` is invalid (value: 12).'),
    (True, '`code` is invalid (value: true).'),
    (['a1'], "`code` is invalid (value: [ 'a1' ])."),
    ({}, '`code` is invalid (value: {}).'),
])
def test_format_rejects_values_that_are_not_matching_strings(ds, value, expected):
    Thing = ds.createModel('Thing', {'code': 'any'})
    Thing.validatesFormatOf('code', {'with': r'^[a-z]+\d$'})
    err = create_error(Thing, {'code': value})
    assert isinstance(err, ValidationError)
    assert details_of(err) == expected
    assert err.details['codes'] == {'code': ['format']}


# ---------------------------------------------------------------------------
# numericality

@pytest.mark.parametrize('value, options, expected', [
    (10, {}, None),
    (13.37, {}, None),
    ('notanumber', {}, ['is not a number']),
    (True, {}, ['is not a number']),
    (None, {}, ['is null']),
    (None, {'allowNull': True}, None),
    ('test', {'allowBlank': True}, ['is not a number']),
    (13.37, {'int': True}, ['is not an integer']),
    (4.0, {'int': True}, None),
])
def test_numericality(ds, value, options, expected):
    Thing = ds.createModel('Thing', {'n': 'any'})
    Thing.validatesNumericalityOf('n', **options)
    thing = Thing({'n': value})
    assert thing.isValid() is (expected is None)
    assert thing.errors == (False if expected is None else {'n': expected})


def test_numericality_of_a_non_numeric_string_for_a_number_property(User):
    User.validatesNumericalityOf('age')
    user = User({'age': 'notanumber'})
    assert user.isValid() is False
    assert user.errors == {'age': ['is not a number']}


def test_numericality_of_an_undefined_value(User):
    User.validatesNumericalityOf('age')
    user = User({})
    assert user.isValid() is False
    assert user.errors == {'age': ['is blank']}
    del User.validations
    User.validatesNumericalityOf('age', allowBlank=True)
    assert User({}).isValid() is True


def test_numericality_codes(ds):
    Thing = ds.createModel('Thing', {'n': 'any'})
    Thing.validatesNumericalityOf('n', {'int': True, 'message': {'int': 'whole numbers only'}})
    thing = Thing({'n': 1.5})
    thing.isValid()
    assert thing.errors == {'n': ['whole numbers only']}
    assert thing.errors.codes == {'n': ['numericality.int']}


# ---------------------------------------------------------------------------
# inclusion / exclusion (through create, as juggler's tests)

def test_inclusion(User):
    User.validatesInclusionOf('name', {'in': ['bob', 'john']})
    err = create_error(User, {'name': 'bobby'})
    assert isinstance(err, ValidationError)
    assert err.details['messages'] == {'name': ['is not included in the list']}
    assert err.details['codes'] == {'name': ['inclusion']}
    assert create_error(User, {'name': 'bob'}) is None


def test_inclusion_options(User):
    User.validatesInclusionOf('name', {'in': ['bob'], 'message': 'not used'})
    User.validatesInclusionOf('age', in_=[123, 456])
    User.validatesInclusionOf('gender', in_=['male', 'female'], allowBlank=False)
    User.validatesInclusionOf('state', in_=['on'], allowNull=True)
    err = create_error(User, {'name': 'dude', 'age': 789, 'gender': '', 'state': None})
    assert err.details['messages'] == {
        'name': ['not used'], 'age': ['is not included in the list'], 'gender': ['is blank']}
    assert details_of(err) == ('`name` not used (value: "dude"); `age` is not included in '
                               'the list (value: 789); `gender` is blank (value: "").')


def test_inclusion_uses_strict_equality(ds):
    Thing = ds.createModel('Thing', {'v': 'any'})
    Thing.validatesInclusionOf('v', in_=[1, 'a'])
    assert Thing({'v': 1.0}).isValid() is True
    assert Thing({'v': True}).isValid() is False
    assert Thing({'v': [1]}).isValid() is False


def test_inclusion_of_null_is_reported(User):
    User.validatesInclusionOf('name', {'in': ['bob'], 'allowNull': False})
    err = create_error(User, {'name': None})
    assert err.details['messages'] == {'name': ['is null']}
    assert err.details['codes'] == {'name': ['inclusion.null']}


def test_exclusion(User):
    User.validatesExclusionOf('name', {'in': ['bob']})
    User.validatesExclusionOf('age', {'in': [123, 456], 'message': 'cannot use this'})
    err = create_error(User, {'name': 'bob', 'age': 123})
    assert err.details['messages'] == {'name': ['is reserved'], 'age': ['cannot use this']}
    assert create_error(User, {'name': 'dude', 'age': 1}) is None


# ---------------------------------------------------------------------------
# custom validators

def test_custom_sync_validator_with_code(User):
    def email_check(inst, err):
        if inst.email == 'hello':
            err()
    User.validate('email', email_check, {'code': 'invalid-email'})
    user = User({'email': 'hello'})
    assert user.isValid() is False
    assert user.errors == {'email': ['is invalid']}
    assert user.errors.codes == {'email': ['invalid-email']}
    user.email = 'fine'
    assert user.isValid() is True


def test_custom_validator_adding_its_own_messages(User):
    def check(inst, err):
        if inst.email in ('hello', 'hey'):
            inst.errors.add('email', 'Cannot be `%s`' % inst.email, 'invalid-email')
            err(False)      # False: no message for the validated property
    User.validate('global', check)
    user = User({'email': 'hello'})
    assert user.isValid() is False
    assert user.errors == {'email': ['Cannot be `hello`']}
    assert user.errors.codes == {'email': ['invalid-email']}


def test_custom_err_kinds_make_juggler_codes(ds):
    Q = ds.createModel('Q', {'name': 'string'})
    Q.validate('name', lambda inst, err: err(True))
    Q.validate('name', lambda inst, err: err(0))
    Q.validate('name', lambda inst, err: err(1), {'message': 'abc'})
    Q.validate('name', lambda inst, err: err('x'), {'message': {'x': 'X!'}})
    q = Q({'name': 'n'})
    q.isValid()
    assert q.errors == {'name': ['is invalid', 'is invalid', 'b', 'X!']}
    assert q.errors.codes == {'name': ['custom.true', 'custom', 'custom.1', 'custom.x']}


def test_custom_async_validator(User):
    def later(inst, err, done):
        lb.setTimeout(lambda: (inst.email == 'bad' and err(), done()), 1)
    User.validateAsync('email', later, message='Bad email')
    good, bad = User({'email': 'good'}), User({'email': 'bad'})
    assert run_callback(lambda cb: good.isValid(cb)) == (True,)
    assert run_callback(lambda cb: bad.isValid(cb)) == (False,)
    assert bad.errors == {'email': ['Bad email']}


def test_verdict_waits_for_every_async_validation(User):
    User.validateAsync('name', lambda inst, err, done: done())
    User.validateAsync('email', lambda inst, err, done: lb.setTimeout(lambda: (err(), done()), 5))
    User.validatesUniquenessOf('email')
    user = User({'name': 'a', 'email': 'b'})
    assert run_callback(lambda cb: user.isValid(cb)) == (False,)
    assert user.errors == {'email': ['is invalid']}


def test_options_reach_custom_validators(User):
    seen = []
    User.validate('name', lambda inst, err, options: seen.append(('sync', options)))
    User.validateAsync('name', lambda inst, err, options, done: (seen.append(('async', options)),
                                                                 done()))
    user = User({'name': 'a'})
    run_callback(lambda cb: user.isValid(cb, None, {'testFlag': 'someValue'}))
    assert seen == [('sync', {'testFlag': 'someValue'}), ('async', {'testFlag': 'someValue'})]


def test_create_passes_its_options_to_validators(User):
    def flag(inst, err, options):
        if options.get('testFlag') != 'someValue':
            err()
    User.validate('name', flag)
    assert create_error(User, {'name': 'Valid'}, {'testFlag': 'someValue'}) is None
    err = create_error(User, {'name': 'Valid'}, {'testFlag': 'other'})
    assert isinstance(err, ValidationError)


# ---------------------------------------------------------------------------
# date

@pytest.mark.parametrize('value, valid', [
    (dt.datetime(2020, 1, 2, tzinfo=dt.timezone.utc), True),
    ('2000-01-01', True),
    ('Tue, 01 Jan 2019 00:00:00 GMT', True),
    (None, True),
    ('invalid date string', False),
])
def test_date_validation(ds, value, valid):
    Thing = ds.createModel('Thing', {'when': 'any'})
    Thing.validatesDateOf('when', message='custom validation message')
    thing = Thing({'when': value})
    assert thing.isValid() is valid
    if not valid:
        assert thing.errors == {'when': ['custom validation message']}
        assert thing.errors.codes == {'when': ['date']}


def test_date_property_rejects_an_invalid_date(ds):
    Thing = ds.createModel('Thing', {'name': {'type': 'string', 'required': True},
                                     'when': 'date'})
    err = create_error(Thing, {'when': 'nope'})
    assert err.message == ("The `Thing` instance is not valid. Details: `name` can't be blank "
                           "(value: undefined); `when` is not a valid date (value: Invalid Date).")
    assert err.details['codes'] == {'name': ['presence'], 'when': ['date']}


# ---------------------------------------------------------------------------
# uniqueness (asynchronous, queries the model)

def is_valid(inst):
    return run_callback(lambda cb: inst.isValid(cb))[0]


def save(inst):
    err = run_callback(lambda cb: inst.save(cb))[0]
    assert err is None


def test_uniqueness(User):
    User.validatesUniquenessOf('email')
    first = User({'email': 'hey'})
    assert is_valid(first) is True
    save(first)
    second = User({'email': 'hey'})
    assert is_valid(second) is False
    assert second.errors == {'email': ['is not unique']}
    assert second.errors.codes == {'email': ['uniqueness']}
    first.name = 'Goghi'
    assert is_valid(first) is True     # the record itself is not a duplicate


def test_uniqueness_fails_when_duplicates_already_exist(User):
    first = run_callback(lambda cb: User.create({'email': 'dup'}, cb))[1]
    assert create_error(User, {'email': 'dup'}) is None    # no validation declared yet
    User.validatesUniquenessOf('email')
    assert is_valid(first) is False


def test_uniqueness_skips_blank_values(User):
    User.validatesUniquenessOf('email')
    save(User({'email': ''}))
    assert is_valid(User({'email': ''})) is True
    assert is_valid(User({'email': None})) is True


def test_uniqueness_scoped_to_other_properties(ds):
    SiteUser = ds.createModel('SiteUser', {'siteId': 'string', 'email': 'string'})
    SiteUser.validatesUniquenessOf('email', {'scopedTo': ['siteId']})
    assert create_error(SiteUser, {'siteId': 1, 'email': 'u@x.com'}) is None
    assert create_error(SiteUser, {'siteId': 2, 'email': 'u@x.com'}) is None
    assert is_valid(SiteUser({'siteId': 1, 'email': 'u@x.com'})) is False
    assert is_valid(SiteUser({'siteId': 3, 'email': 'u@x.com'})) is True


@pytest.mark.parametrize('ignore_case, saved, candidate, valid', [
    (True, 'hey', 'HEY', False),
    (False, 'hey', 'HEY', True),
    (True, 'me+me@my.com', 'ME+ME@MY.COM', False),
    (False, 'me+me@my.com', 'ME+ME@MY.COM', True),
    (True, 'also+me@my.com', 'Me@My.com', True),
])
def test_uniqueness_ignore_case(User, ignore_case, saved, candidate, valid):
    User.validatesUniquenessOf('email', ignoreCase=ignore_case)
    save(User({'email': saved}))
    assert is_valid(User({'email': candidate})) is valid


def test_uniqueness_with_if_and_unless(User):
    User.validatesUniquenessOf('email', if_=lambda inst: True, unless=lambda inst: False)
    got = []

    def main():
        got.append(User({'email': 'hello'}).isValid(lambda valid: got.append(valid)))
    lb.run(main)
    assert got == [None, True]


def test_uniqueness_of_the_id_property(ds):
    Entry = ds.createModel('Entry', {'id': {'type': 'string', 'id': True, 'generated': False},
                                     'name': 'string'})
    Entry.validatesUniquenessOf('id')
    assert create_error(Entry, {'id': 'entry'}) is None
    assert is_valid(Entry({'id': 'entry'})) is False
    found = run_callback(lambda cb: Entry.findById('entry', cb))[1]
    assert is_valid(found) is True


def test_create_fails_on_a_duplicate(User):
    User.validatesUniquenessOf('email')
    assert create_error(User, {'email': 'a@b.c'}) is None
    err = create_error(User, {'email': 'a@b.c'})
    assert err.message == ('The `User` instance is not valid. '
                           'Details: `email` is not unique (value: "a@b.c").')


# ---------------------------------------------------------------------------
# ValidationError from the DAO

def test_create_without_data_reports_a_validation_error(User):
    User.validatesPresenceOf('name')
    err = create_error(User, None)
    assert isinstance(err, ValidationError)
    assert err.name == 'ValidationError'
    assert err.statusCode == 422
    assert err.message == ("The `User` instance is not valid. "
                           "Details: `name` can't be blank (value: undefined).")
    assert err.details == {'context': 'User', 'codes': {'name': ['presence']},
                           'messages': {'name': ["can't be blank"]}}
    assert create_error(User, {'name': 'Valid'}) is None


def test_create_rejects_and_stores_nothing(User):
    User.validatesLengthOf('name', min=3)
    results = []

    def main():
        try:
            lb.await_(User.create({'name': 'ab'}))
        except ValidationError as err:
            results.append(err.details['codes'])
        results.append(lb.await_(User.count()))
    lb.run(main)
    assert results == [{'name': ['length.min']}, 0]


def test_update_attribute_validates(User):
    User.validatesPresenceOf('name')
    args = run_callback(lambda cb: User.create({'name': 'Valid'}, cb))
    user = args[1]
    err = run_callback(lambda cb: user.updateAttribute('name', None, cb))[0]
    assert isinstance(err, ValidationError)
    assert err.message == ("The `User` instance is not valid. "
                           "Details: `name` can't be blank (value: null).")
    assert run_callback(lambda cb: user.updateAttribute('name', 'Vasiliy', cb))[0] is None


EMPLOYEES = [{'id': 1, 'name': 'Foo', 'age': 1}, {'id': 2, 'name': 'Bar', 'age': 2},
             {'id': 3, 'name': 'Baz', 'age': 3}]


@pytest.fixture
def Employee(ds):
    model = ds.createModel('Employee', {
        'id': {'type': 'number', 'id': True, 'generated': False},
        'name': 'string', 'age': 'number'}, {'validateUpdate': True})
    assert run_callback(lambda cb: model.create(EMPLOYEES, cb))[0] is None
    return model


def update_all(Model, where, data):
    return run_callback(lambda cb: Model.updateAll(where, data, cb))


GOOD = {'name': 'Foo-new', 'age': 5}



@pytest.mark.parametrize('declare, good, bad, field, message', [
    (lambda M: M.validatesPresenceOf('name', 'age'), GOOD, {'name': 'Foo-new'},
     'age', "can't be blank"),
    (lambda M: M.validatesAbsenceOf('name'), {'age': 5}, GOOD, 'name', "can't be set"),
    (lambda M: M.validatesUniquenessOf('name'), GOOD, {'name': 'Bar', 'age': 5},
     'name', 'is not unique'),
    (lambda M: M.validatesLengthOf('name', min=5), GOOD, {'name': 'Bob', 'age': 5},
     'name', 'too short'),
    (lambda M: M.validatesExclusionOf('name', in_=['Bob']), GOOD, {'name': 'Bob', 'age': 5},
     'name', 'is reserved'),
    # juggler's Number() turns non-numeric input into NaN: 'is not a number'
    (lambda M: M.validatesNumericalityOf('age'), GOOD, {'age': {'someAge': 5}},
     'age', 'is not a number'),
])
def test_update_all_validates_its_data_when_validate_update_is_set(Employee, declare, good,
                                                                   bad, field, message):
    declare(Employee)
    err, info = update_all(Employee, {'id': 1}, good)
    assert err is None and info['count'] == 1
    err = update_all(Employee, {'id': 1}, bad)[0]
    assert isinstance(err, ValidationError)
    assert err.statusCode == 422
    assert err.details['messages'][field][0] == message
    stored = run_callback(lambda cb: Employee.findById(1, cb))[1].toObject()
    assert stored == dict(EMPLOYEES[0], **good)


def test_upsert_ignores_validations_by_default(User):
    User.validatesPresenceOf('name')
    user = run_callback(lambda cb: User.create({'name': 'a-name'}, cb))[1]
    assert run_callback(lambda cb: User.updateOrCreate({'id': user.id}, cb))[0] is None


def test_upsert_validates_when_validate_upsert_is_set(User):
    User.validatesPresenceOf('name')
    User.settings['validateUpsert'] = True
    user = run_callback(lambda cb: User.create({'name': 'a-name'}, cb))[1]
    err = run_callback(lambda cb: User.upsert({'id': user.id, 'name': ''}, cb))[0]
    assert isinstance(err, ValidationError)


# juggler's deprecation of legacy hooks is a DeprecationWarning (hooks.py)
@pytest.mark.filterwarnings('ignore:Model hook .* is deprecated:DeprecationWarning')
def test_legacy_validate_hooks_run_around_validation(User):
    User.validatesPresenceOf('name')
    events = []

    def before(inst, next_, data):
        events.append(('before', data))
        next_()

    def after(inst, next_):
        events.append(('after', dict(inst.errors)))
        next_()
    User.beforeValidate = before
    User.afterValidate = after
    user = User()
    got = run_callback(lambda cb: user.isValid(cb, {'some': 'data'}))
    assert got == (False,)
    assert events == [('before', {'some': 'data'}), ('after', {'name': ["can't be blank"]})]


@pytest.mark.filterwarnings('ignore:Model hook .* is deprecated:DeprecationWarning')
@pytest.mark.parametrize('settings', [{}, {'forceId': False}])   # forceId's check, or none
def test_legacy_hook_aliases_set_late_still_run_on_create(ds, settings):
    # saves check for the hooks on every call: none set -> the quick path,
    # set later (under any alias) -> they run again, as juggler reads them
    Thing = ds.createModel('Thing', {'name': 'string'}, settings)
    assert bool(Thing.__dict__.get('validations')) == (settings == {})
    events = []

    def before(inst, next_, data):
        events.append('before')
        next_()

    def after(inst, next_):
        events.append('after')
        next_()

    def main():
        lb.await_(Thing.create({}))
        Thing.preValidate = before
        Thing.afterValidation = after
        lb.await_(Thing.create({}))
        Thing.preValidate = Thing.afterValidation = None
        lb.await_(Thing.create({}))
        return lb.await_(Thing.count())
    assert lb.run(main) == 3
    assert events == ['before', 'after']


def test_forced_id_cannot_be_set_on_create(ds):
    Auto = ds.createModel('Auto', {'name': 'string'})
    err = create_error(Auto, {'id': 5, 'name': 'abcd'})
    assert isinstance(err, ValidationError)
    assert err.message == ("The `Auto` instance is not valid. "
                           "Details: `id` can't be set (value: 5).")
    assert err.details['codes'] == {'id': ['absence']}


def test_several_messages_are_joined(User):
    User.validatesPresenceOf('name', 'email')
    User.validatesLengthOf('name', max=2)
    user = User({'name': 'abcdef', 'age': 3.5})
    user.isValid()
    assert validation_error(user).message == (
        "The `User` instance is not valid. Details: `name` too long (value: \"abcdef\"); "
        "`email` can't be blank (value: undefined).")


# ---------------------------------------------------------------------------
# value formatting in the message (juggler's "invalid value formatting")

@pytest.fixture
def max_length():
    saved = ValidationError.__dict__.get('maxPropertyStringLength')
    yield lambda n: setattr(ValidationError, 'maxPropertyStringLength', n)
    if saved is None:
        if 'maxPropertyStringLength' in ValidationError.__dict__:
            del ValidationError.maxPropertyStringLength
    else:
        ValidationError.maxPropertyStringLength = saved


class Invalid:
    """A plain object shaped as juggler's own formatting tests build them."""

    def __init__(self, name, value, message):
        self.errors = {name: [message]}
        self._json = {name: value}

    def toJSON(self):
        return self._json


@pytest.mark.parametrize('limit, value, expected', [
    (9, '1234567890abc', '`prop` is invalid (value: "12...abc").'),
    (12, {'foo': 'bar'}, '`prop` is invalid (value: { foo:... }).'),
    (12, [{'a': 1, 'b': 2}], '`prop` is invalid (value: [ { a...} ]).'),
    (32, {'a': {'b': 'c'}}, '`prop` is invalid (value: { a: [Object] }).'),
    (32, [{'a': {'b': 'c'}}], '`prop` is invalid (value: [ { a: [Object] } ]).'),
    (32, 0.1 + 0.2, '`prop` is invalid (value: 0.30000000000000004).'),
    (32, 1e-7, '`prop` is invalid (value: 1e-7).'),
    (32, None, '`prop` is invalid (value: null).'),
    (32, dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc),
     '`prop` is invalid (value: 1970-01-01T00:00:00.000Z).'),
    (80, list(range(10)), '`prop` is invalid (value: [\n  0, 1, 2, 3, 4,\n  5, 6, 7, 8, 9\n]).'),
    (80, list(range(1, 11)), '`prop` is invalid (value: [\n  1, 2, 3, 4,  5,\n  6, 7, 8, 9, 10\n]).'),
])
def test_value_formatting(max_length, limit, value, expected):
    max_length(limit)
    err = validation_error(Invalid('prop', value, 'is invalid'))
    assert details_of(err) == expected
    assert err.message.startswith('The model instance is not valid. Details: ')


def test_model_values_are_printed_as_plain_objects(User):
    user = User()
    user.email = 'test@example.com'
    err = validation_error(Invalid('user', user, 'is invalid'))
    assert details_of(err) == "`user` is invalid (value: { email: 'test@example.com' })."


def test_long_string_values_are_truncated(User):
    User.validatesLengthOf('name', max=2)
    user = User({'name': 'abcdefghijklmnopqrstuvwxyz0123456789'})
    user.isValid()
    assert details_of(validation_error(user)) == \
        '`name` too long (value: "abcdefghijklmnopqrstuvwxy...789").'


def test_no_errors_gives_unknown_details(User):
    user = User()
    user.isValid()
    err = validation_error(user)
    assert err.message == 'The `User` instance is not valid. Details: (unknown).'
    assert err.details == {'context': 'User', 'codes': False, 'messages': False}


# ---------------------------------------------------------------------------
# ValidationError's two spellings: juggler's new ValidationError(inst), and
# (message, details)

def test_validation_error_built_from_an_invalid_instance(User):
    User.validatesPresenceOf('name')
    user = User({'age': 3})
    assert user.isValid() is False
    err = lb.ValidationError(user)
    assert isinstance(err, ValidationError) and err.statusCode == 422
    assert err.name == 'ValidationError'
    assert err.message == ("The `User` instance is not valid. "
                           "Details: `name` can't be blank (value: undefined).")
    assert err.details == {'context': 'User', 'codes': {'name': ['presence']},
                           'messages': {'name': ["can't be blank"]}}
    assert err.message == validation_error(user).message


def test_validation_error_of_an_object_without_a_model_says_model():
    err = ValidationError(Invalid('prop', 'x', 'is invalid'))
    assert err.message == 'The model instance is not valid. Details: `prop` is invalid (value: "x").'
    assert err.details['context'] is None and err.details['messages'] == {'prop': ['is invalid']}


def test_validation_error_from_a_message_and_details():
    err = ValidationError('custom text', {'context': 'M', 'codes': {}, 'messages': {}})
    assert (err.message, err.statusCode, err.details['context']) == ('custom text', 422, 'M')
    assert ValidationError('alone').details == {'context': None, 'codes': None, 'messages': None}
