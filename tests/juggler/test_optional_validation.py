"""Port of juggler 3.36.1's test/optional-validation.test.js (see conftest.py for the conventions).

juggler's ``before`` (ModelWithForceId and a strict User on ``getSchema()``)
and ``beforeEach`` (User emptied, its validations reset to presence of
``name``) are the ``models`` fixture; the ``before`` of the two
'model setting: automaticValidation' describes is ``automatic_validation``,
called at the start of their cases.
"""

import datetime
import itertools
import types

import pytest

import loopback_compat as lb
from loopback_compat.testing import callback_outcome

pytestmark = pytest.mark.lb_fiber

ValidationError = lb.ValidationError

INITIAL_NAME = 'Bert'
NEW_NAME = 'Ernie'
INVALID_DATA = {'name': None}
VALID_DATA = {'name': INITIAL_NAME}

_where_count = itertools.count()


def delete_validations(Model):
    """JavaScript's ``delete Model.validations``."""
    if 'validations' in Model.__dict__:
        del Model.validations


@pytest.fixture
def models(db):
    # before
    ModelWithForceId = db.createModel(
        'ModelWithForceId',
        {'name': str},
        {'forceId': True},
    )
    User = db.define('User', {
        'seq': {'type': float, 'index': True},
        'name': {'type': str, 'index': True, 'sort': True},
        'email': {'type': str, 'index': True},
        'birthday': {'type': datetime.datetime, 'index': True},
        'role': {'type': str, 'index': True},
        'order': {'type': float, 'index': True, 'sort': True},
        'vip': {'type': bool},
    }, {'forceId': True, 'strict': True})
    assert callback_outcome(db.automigrate, ['ModelWithForceId', 'User']).err is None
    # beforeEach
    callback_outcome(User.destroyAll)
    delete_validations(User)
    User.validatesPresenceOf('name')
    return types.SimpleNamespace(db=db, User=User, ModelWithForceId=ModelWithForceId)


def automatic_validation(models, value):
    """The ``before`` of 'model setting: automaticValidation: <value>'."""
    models.User.settings['automaticValidation'] = value
    return models.User


def expect_validation_error(User, outcome):
    err = outcome.err
    assert err is not None
    assert isinstance(err, Exception)
    assert isinstance(err, ValidationError)


def expect_create_success(User, outcome, data=None):
    data = {'name': INITIAL_NAME} if data is None else data
    err = outcome.err
    assert err is None, err
    instance = outcome.result
    assert isinstance(instance, User)
    if data['name']:
        assert instance.name == (data['name'] or INITIAL_NAME)
    else:
        assert instance.name is None


def expect_change_success(User, outcome, data=None):
    data = {'name': NEW_NAME} if data is None else data
    err = outcome.err
    assert err is None, err
    instance = outcome.result
    assert isinstance(instance, User)
    if data['name']:
        assert instance.name == (data['name'] or NEW_NAME)
    else:
        assert instance.name is None


def create_user_and_change_name(User, name):
    """``createUserAndChangeName(name, cb)``: the instance, renamed, unsaved."""
    err, (d,), _ = callback_outcome(User.create, VALID_DATA, {'validate': True})
    d.name = name
    assert err is None
    return d


def create_user(User):
    err, (d,), _ = callback_outcome(User.create, VALID_DATA, {'validate': True})
    assert err is None
    return d


def call_update_or_create_with_existing_user_id(User, name, options=None):
    """``callUpdateOrCreateWithExistingUserId(name, [options], cb)``: its outcome."""
    err, (user,), _ = callback_outcome(User.create, {'name': 'Groover'})
    assert err is None
    data = {'name': name}
    data['id'] = user.id
    if options is None:
        # juggler's two-argument calls pass the callback as `options`:
        # updateOrCreate(data, cb)
        return callback_outcome(User.updateOrCreate, data)
    return callback_outcome(User.updateOrCreate, data, options)


def get_new_where():
    return {'name': 'DoesNotExist' + str(next(_where_count))}


# ---------------------------------------------------------------------------
# optional-validation / forceId / replaceAttributes

def test_optional_validation__force_id__replace_attributes__should_not_fail_if_you_do_not_pass_the_primary_key_in_data_object(  # noqa: E501
        models):
    ModelWithForceId = models.ModelWithForceId
    err, (created,), _ = callback_outcome(ModelWithForceId.create, {'name': 'foo'})
    assert err is None
    err = callback_outcome(created.replaceAttributes, {'name': 'bar'}).err
    assert err is None


def test_optional_validation__force_id__replace_attributes__should_fail_if_you_pass_the_primary_key_in_data_object(  # noqa: E501
        models):
    ModelWithForceId = models.ModelWithForceId
    err, (created,), _ = callback_outcome(ModelWithForceId.create, {'name': 'foo'})
    assert err is None
    err = callback_outcome(created.replaceAttributes, {'name': 'bar', 'id': 999}).err
    assert err is not None


def test_optional_validation__no_model_setting__method_create__should_throw_on_create_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.create, INVALID_DATA, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__no_model_setting__method_create__should_not_throw_on_create_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.create, INVALID_DATA, {'validate': False})
    expect_create_success(User, outcome, INVALID_DATA)


def test_optional_validation__no_model_setting__method_create__should_not_throw_on_create_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.create, VALID_DATA, {'validate': True})
    expect_create_success(User, outcome)


def test_optional_validation__no_model_setting__method_create__should_not_throw_on_create_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.create, VALID_DATA, {'validate': False})
    expect_create_success(User, outcome)


def test_optional_validation__no_model_setting__method_create__should_throw_on_create_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.create, INVALID_DATA)
    expect_validation_error(User, outcome)


def test_optional_validation__no_model_setting__method_create__should_not_throw_on_create_with_valid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.create, VALID_DATA)
    expect_create_success(User, outcome)


def test_optional_validation__no_model_setting__method_find_or_create__should_throw_on_find_or_create_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.findOrCreate, get_new_where(), INVALID_DATA, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__no_model_setting__method_find_or_create__should_not_throw_on_find_or_create_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.findOrCreate, get_new_where(), INVALID_DATA, {'validate': False})
    expect_create_success(User, outcome, INVALID_DATA)


def test_optional_validation__no_model_setting__method_find_or_create__should_not_throw_on_find_or_create_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.findOrCreate, get_new_where(), VALID_DATA, {'validate': True})
    expect_create_success(User, outcome)


def test_optional_validation__no_model_setting__method_find_or_create__should_not_throw_on_find_or_create_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.findOrCreate, get_new_where(), VALID_DATA, {'validate': False})
    expect_create_success(User, outcome)


def test_optional_validation__no_model_setting__method_find_or_create__should_throw_on_find_or_create_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.findOrCreate, get_new_where(), INVALID_DATA)
    expect_validation_error(User, outcome)


def test_optional_validation__no_model_setting__method_find_or_create__should_not_throw_on_find_or_create_with_valid_data(  # noqa: E501
        models):
    User = models.User
    outcome = callback_outcome(User.findOrCreate, get_new_where(), VALID_DATA)
    expect_create_success(User, outcome)


def test_optional_validation__no_model_setting__method_update_or_create_on_existing_data__should_throw_on_update_or_create_id_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    outcome = call_update_or_create_with_existing_user_id(User, None, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__no_model_setting__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    outcome = call_update_or_create_with_existing_user_id(User, None, {'validate': False})
    expect_change_success(User, outcome, INVALID_DATA)


def test_optional_validation__no_model_setting__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = models.User
    outcome = call_update_or_create_with_existing_user_id(User, NEW_NAME, {'validate': True})
    expect_change_success(User, outcome)


def test_optional_validation__no_model_setting__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = models.User
    outcome = call_update_or_create_with_existing_user_id(User, NEW_NAME, {'validate': False})
    expect_change_success(User, outcome)


def test_optional_validation__no_model_setting__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    outcome = call_update_or_create_with_existing_user_id(User, None)
    expect_change_success(User, outcome, INVALID_DATA)


def test_optional_validation__no_model_setting__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_valid_data(  # noqa: E501
        models):
    User = models.User
    outcome = call_update_or_create_with_existing_user_id(User, NEW_NAME)
    expect_change_success(User, outcome)


def test_optional_validation__no_model_setting__method_save__should_throw_on_save_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user_and_change_name(User, None)
    outcome = callback_outcome(d.save, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__no_model_setting__method_save__should_not_throw_on_save_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user_and_change_name(User, None)
    outcome = callback_outcome(d.save, {'validate': False})
    expect_change_success(User, outcome, INVALID_DATA)


def test_optional_validation__no_model_setting__method_save__should_not_throw_on_save_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user_and_change_name(User, NEW_NAME)
    outcome = callback_outcome(d.save, {'validate': True})
    expect_change_success(User, outcome)


def test_optional_validation__no_model_setting__method_save__should_not_throw_on_save_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user_and_change_name(User, NEW_NAME)
    outcome = callback_outcome(d.save, {'validate': False})
    expect_change_success(User, outcome)


def test_optional_validation__no_model_setting__method_save__should_throw_on_save_cb_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user_and_change_name(User, None)
    outcome = callback_outcome(d.save)
    expect_validation_error(User, outcome)


def test_optional_validation__no_model_setting__method_save__should_not_throw_on_save_cb_with_valid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user_and_change_name(User, NEW_NAME)
    outcome = callback_outcome(d.save)
    expect_change_success(User, outcome)


def test_optional_validation__no_model_setting__method_update_attributes__should_throw_on_update_attributes_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user(User)
    outcome = callback_outcome(d.updateAttributes, INVALID_DATA, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__no_model_setting__method_update_attributes__should_not_throw_on_update_attributes_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user(User)
    outcome = callback_outcome(d.updateAttributes, INVALID_DATA, {'validate': False})
    expect_change_success(User, outcome, INVALID_DATA)


def test_optional_validation__no_model_setting__method_update_attributes__should_not_throw_on_update_attributes_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user(User)
    outcome = callback_outcome(d.updateAttributes, {'name': NEW_NAME}, {'validate': True})
    expect_change_success(User, outcome)


def test_optional_validation__no_model_setting__method_update_attributes__should_not_throw_on_update_attributes_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user(User)
    outcome = callback_outcome(d.updateAttributes, {'name': NEW_NAME}, {'validate': False})
    expect_change_success(User, outcome)


def test_optional_validation__no_model_setting__method_update_attributes__should_throw_on_update_attributes_cb_with_invalid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user(User)
    outcome = callback_outcome(d.updateAttributes, INVALID_DATA)
    expect_validation_error(User, outcome)


def test_optional_validation__no_model_setting__method_update_attributes__should_not_throw_on_update_attributes_cb_with_valid_data(  # noqa: E501
        models):
    User = models.User
    d = create_user(User)
    outcome = callback_outcome(d.updateAttributes, {'name': NEW_NAME})
    expect_change_success(User, outcome)


def test_optional_validation__no_model_setting__method_update_attributes__returns_an_error_when_trying_to_update_the_id_property_when_force_id_is_set_to_true(  # noqa: E501
        models):
    ModelWithForceId = models.ModelWithForceId
    err, (model,), _ = callback_outcome(ModelWithForceId.create, {'name': 'foo'})
    assert err is None
    err = callback_outcome(model.updateAttributes, {'id': 123}).err
    assert isinstance(err, Exception)
    assert err.message == ('id cannot be updated from ' + str(model.id) +
                           ' to 123 when forceId is set to true')


def test_optional_validation__model_setting_automatic_validation_false__method_create__should_throw_on_create_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.create, INVALID_DATA, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_create__should_not_throw_on_create_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.create, INVALID_DATA, {'validate': False})
    expect_create_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_false__method_create__should_not_throw_on_create_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.create, VALID_DATA, {'validate': True})
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_create__should_not_throw_on_create_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.create, VALID_DATA, {'validate': False})
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_create__should_not_throw_on_create_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.create, INVALID_DATA)
    expect_create_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_false__method_create__should_not_throw_on_create_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.create, VALID_DATA)
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_find_or_create__should_throw_on_find_or_create_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), INVALID_DATA, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_find_or_create__should_not_throw_on_find_or_create_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), INVALID_DATA, {'validate': False})
    expect_create_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_false__method_find_or_create__should_not_throw_on_find_or_create_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), VALID_DATA, {'validate': True})
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_find_or_create__should_not_throw_on_find_or_create_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), VALID_DATA, {'validate': False})
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_find_or_create__should_not_throw_on_find_or_create_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), INVALID_DATA)
    expect_create_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_false__method_find_or_create__should_not_throw_on_find_or_create_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), VALID_DATA)
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_update_or_create_on_existing_data__should_throw_on_update_or_create_id_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = call_update_or_create_with_existing_user_id(User, None, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = call_update_or_create_with_existing_user_id(User, None, {'validate': False})
    expect_change_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_false__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = call_update_or_create_with_existing_user_id(User, NEW_NAME, {'validate': True})
    expect_change_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = call_update_or_create_with_existing_user_id(User, NEW_NAME, {'validate': False})
    expect_change_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = call_update_or_create_with_existing_user_id(User, None)
    expect_change_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_false__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    outcome = call_update_or_create_with_existing_user_id(User, NEW_NAME)
    expect_change_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_save__should_throw_on_save_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    d = create_user_and_change_name(User, None)
    outcome = callback_outcome(d.save, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_save__should_not_throw_on_save_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    d = create_user_and_change_name(User, None)
    outcome = callback_outcome(d.save, {'validate': False})
    expect_change_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_false__method_save__should_not_throw_on_save_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    d = create_user_and_change_name(User, NEW_NAME)
    outcome = callback_outcome(d.save, {'validate': True})
    expect_change_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_save__should_not_throw_on_save_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    d = create_user_and_change_name(User, NEW_NAME)
    outcome = callback_outcome(d.save, {'validate': False})
    expect_change_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_false__method_save__should_not_throw_on_save_cb_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    d = create_user_and_change_name(User, None)
    outcome = callback_outcome(d.save)
    expect_change_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_false__method_save__should_not_throw_on_save_cb_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, False)
    d = create_user_and_change_name(User, NEW_NAME)
    outcome = callback_outcome(d.save)
    expect_change_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_create__should_throw_on_create_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.create, INVALID_DATA, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_create__should_not_throw_on_create_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.create, INVALID_DATA, {'validate': False})
    expect_create_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_true__method_create__should_not_throw_on_create_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.create, VALID_DATA, {'validate': True})
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_create__should_not_throw_on_create_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.create, VALID_DATA, {'validate': False})
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_create__should_throw_on_create_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.create, INVALID_DATA)
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_create__should_not_throw_on_create_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.create, VALID_DATA)
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_find_or_create__should_throw_on_find_or_create_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), INVALID_DATA, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_find_or_create__should_not_throw_on_find_or_create_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), INVALID_DATA, {'validate': False})
    expect_create_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_true__method_find_or_create__should_not_throw_on_find_or_create_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), VALID_DATA, {'validate': True})
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_find_or_create__should_not_throw_on_find_or_create_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), VALID_DATA, {'validate': False})
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_find_or_create__should_throw_on_find_or_create_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), INVALID_DATA)
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_find_or_create__should_not_throw_on_find_or_create_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = callback_outcome(User.findOrCreate, get_new_where(), VALID_DATA)
    expect_create_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_update_or_create_on_existing_data__should_throw_on_update_or_create_id_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = call_update_or_create_with_existing_user_id(User, None, {'validate': True})
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = call_update_or_create_with_existing_user_id(User, None, {'validate': False})
    expect_change_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_true__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = call_update_or_create_with_existing_user_id(User, NEW_NAME, {'validate': True})
    expect_change_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = call_update_or_create_with_existing_user_id(User, NEW_NAME, {'validate': False})
    expect_change_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_update_or_create_on_existing_data__should_throw_on_update_or_create_id_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = call_update_or_create_with_existing_user_id(User, None)
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_update_or_create_on_existing_data__should_not_throw_on_update_or_create_id_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    outcome = call_update_or_create_with_existing_user_id(User, NEW_NAME)
    expect_change_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_save__should_throw_on_save_with_validate_true_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    d = create_user_and_change_name(User, None)
    # juggler passes its module's `options`, never assigned: undefined
    outcome = callback_outcome(d.save, None)
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_save__should_not_throw_on_save_with_validate_false_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    d = create_user_and_change_name(User, None)
    outcome = callback_outcome(d.save, {'validate': False})
    expect_change_success(User, outcome, INVALID_DATA)


def test_optional_validation__model_setting_automatic_validation_true__method_save__should_not_throw_on_save_with_validate_true_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    d = create_user_and_change_name(User, NEW_NAME)
    outcome = callback_outcome(d.save, {'validate': True})
    expect_change_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_save__should_not_throw_on_save_with_validate_false_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    d = create_user_and_change_name(User, NEW_NAME)
    outcome = callback_outcome(d.save, {'validate': False})
    expect_change_success(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_save__should_throw_on_save_cb_with_invalid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    d = create_user_and_change_name(User, None)
    outcome = callback_outcome(d.save)
    expect_validation_error(User, outcome)


def test_optional_validation__model_setting_automatic_validation_true__method_save__should_not_throw_on_save_cb_with_valid_data(  # noqa: E501
        models):
    User = automatic_validation(models, True)
    d = create_user_and_change_name(User, NEW_NAME)
    outcome = callback_outcome(d.save)
    expect_change_success(User, outcome)
