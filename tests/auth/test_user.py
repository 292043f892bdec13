"""The built-in User and AccessToken over every connector (memory, SQLite, PostgreSQL).

LB3 3.28's answers (tests/auth/lb3_auth_answers.json) were recorded in Node 20
with loopback 3.28 and bcryptjs (/work/scratch/auth20/lb3.js).
"""

import datetime
import json
import os

import pytest

import loopback_compat as lb
from loopback_compat import auth
from loopback_compat.testing import fiber_test
from loopback_compat.auth import passwords

from .conftest import AUTH_MODELS, build_auth_app

LB3 = json.load(open(os.path.join(os.path.dirname(__file__), 'lb3_auth_answers.json'),
                     encoding='utf-8'))


def _raises(promise):
    try:
        lb.await_(promise)
    except Exception as err:    # noqa: BLE001
        return err
    raise AssertionError('no error')


@fiber_test
def test_the_definitions_are_lb3s(auth_app):
    User, Token = auth_app.models.User, auth_app.models.AccessToken
    assert User.settings['hidden'] == ['password', 'verificationToken']
    assert User.settings['caseSensitiveEmail'] is True
    assert User.settings['ttl'] == 1209600 and User.settings['maxTTL'] == 31556926
    assert User.relations['accessTokens'].modelTo is Token
    assert Token.relations['user'].modelTo is User
    assert Token.definition.properties['ttl']['default'] == 1209600
    first = {k: v for k, v in User.settings['acls'][0].items() if k != '__rank'}
    assert first == {'principalType': 'ROLE', 'principalId': '$everyone', 'permission': 'DENY'}
    assert auth_app.models.Role.OWNER == '$owner'
    assert auth_app.models.RoleMapping.USER == 'USER'
    assert auth_app.models.ACL.READ == 'READ'
    assert auth_app.models.Role.relations['principals'].modelTo is auth_app.models.RoleMapping


@fiber_test
def test_create_hashes_and_hides_the_password(auth_app):
    User = auth_app.models.User
    user = lb.await_(User.create({'email': 'ann@x.com', 'password': 'secret'}))
    assert user.password.startswith('$2b$10$') and len(user.password) == 60
    assert 'password' not in user.toJSON()
    stored = lb.await_(User.findById(user.id))
    assert stored.password == user.password
    assert lb.await_(stored.hasPassword('secret')) is True
    assert lb.await_(stored.hasPassword('Secret')) is False
    assert lb.await_(stored.hasPassword('')) is False
    assert lb.await_(stored.hasPassword(None)) is False


@fiber_test
def test_hashes_written_by_lb3s_bcryptjs_verify(auth_app):
    User = auth_app.models.User
    # a hash given to the setter is stored as it is (LB3: $2a$/$2b$ of 60 chars)
    a = lb.await_(User.create({'email': 'a@x.com', 'password': LB3['hash2a']}))
    b = lb.await_(User.create({'email': 'b@x.com', 'password': LB3['hash2b']}))
    assert a.password == LB3['hash2a'] and b.password == LB3['hash2b']
    assert lb.await_(a.hasPassword(LB3['hash2a_pw'])) is True
    assert lb.await_(b.hasPassword(LB3['hash2b_pw'])) is True
    assert lb.await_(a.hasPassword('password')) is False
    token = lb.await_(User.login({'email': 'a@x.com', 'password': LB3['hash2a_pw']}))
    assert token.userId == a.id


@fiber_test
def test_email_and_username_are_unique(auth_app):
    User = auth_app.models.User
    lb.await_(User.create({'email': 'Ann@x.com', 'username': 'ann', 'password': 'secret'}))
    err = _raises(User.create({'email': 'Ann@x.com', 'password': 'secret'}))
    expected = json.loads(LB3['create dup'][1])['error']
    assert (err.statusCode, err.name, err.message) == (422, expected['name'], expected['message'])
    assert err.details == expected['details']
    err = _raises(User.create({'email': 'b@x.com', 'username': 'ann', 'password': 'secret'}))
    assert err.details['messages'] == {'username': ['User already exists']}
    # LB3 3.28 answers (Node): codes custom.email, message 'is invalid'; 'a@b' passes
    err = _raises(User.create({'email': 'not an email', 'password': 'secret'}))
    assert err.details['codes'] == {'email': ['custom.email']}
    assert err.details['messages'] == {'email': ['is invalid']}
    assert lb.await_(User.create({'email': 'a@b', 'password': 'secret'})).id


@fiber_test
def test_passwords_longer_than_72_bytes_are_refused(auth_app):
    User = auth_app.models.User
    err = _raises(User.create({'email': 'b@x.com', 'password': 'x' * 73}))
    expected = json.loads(LB3['create long'][1])['error']
    assert (err.statusCode, err.code, err.message) == (422, expected['code'], expected['message'])
    # bytes, not characters: 37 two-byte characters are 74 bytes
    err = _raises(User.create({'email': 'b@x.com', 'password': 'é' * 37}))
    assert err.code == 'PASSWORD_TOO_LONG' and '(entered 74)' in err.message
    user = lb.await_(User.create({'email': 'b@x.com', 'password': 'é' * 36}))
    assert lb.await_(user.hasPassword('é' * 36)) is True
    # a 10 MB password never reaches bcrypt and never matches
    assert lb.await_(user.hasPassword('é' * 36 + 'x' * 10_000_000)) is False


@fiber_test
def test_a_password_that_is_no_string_is_not_stored(auth_app):
    User = auth_app.models.User
    err = _raises(User.create({'email': 'c@x.com', 'password': {'a': 1}}))
    assert err.details['codes'] == json.loads(LB3['create objpw'][1])['error']['details']['codes']


@fiber_test
def test_login_by_email_or_username_gives_a_64_character_token(auth_app):
    User, Token = auth_app.models.User, auth_app.models.AccessToken
    user = lb.await_(User.create({'email': 'ann@x.com', 'username': 'ann', 'password': 'secret'}))
    token = lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret'}))
    assert len(token.id) == 64 and token.id.isalnum()
    assert token.userId == user.id and token.ttl == 1209600
    assert isinstance(token.created, datetime.datetime)
    other = lb.await_(User.login({'username': 'ann', 'password': 'secret'}))
    assert other.id != token.id
    assert lb.await_(Token.count({'userId': user.id})) == 2
    with_user = lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret'}, 'user'))
    shown = with_user.toJSON()
    assert shown['user']['email'] == 'ann@x.com' and 'password' not in shown['user']
    # the ttl asked for, bounded by maxTTL
    short = lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret', 'ttl': 60}))
    assert short.ttl == 60
    capped = lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret',
                                   'ttl': 10 ** 12}))
    assert capped.ttl == 31556926


@fiber_test
def test_failed_logins_answer_as_lb3(auth_app):
    User = auth_app.models.User
    lb.await_(User.create({'email': 'ann@x.com', 'password': 'secret'}))
    failed = json.loads(LB3['login bad'][1])['error']
    for credentials in (
            {'email': 'ann@x.com', 'password': 'nope'},
            {'email': 'nobody@x.com', 'password': 'secret'},
            {'email': 'ann@x.com', 'password': {'$gt': ''}},        # an object as password
            {'email': 'ann@x.com', 'password': ['secret']},
            {'email': 'ann@x.com', 'password': 12345},
            {'email': 'ann@x.com'},
            {'email': 'ann@x.com', 'password': 'x' * 10_000_000},   # 10 MB
            {'email': 'ANN@x.com', 'password': 'secret'}):           # caseSensitiveEmail
        err = _raises(User.login(credentials))
        assert (err.statusCode, err.code, err.message) == (401, failed['code'],
                                                           failed['message']), credentials
    err = _raises(User.login({'password': 'secret'}))
    assert (err.statusCode, err.code) == (400, 'USERNAME_EMAIL_REQUIRED')
    err = _raises(User.login({'email': {'neq': None}, 'password': 'secret'}))
    assert (err.statusCode, err.code, err.message) == (400, 'INVALID_EMAIL', 'Invalid email')
    err = _raises(User.login({'username': {'like': '.*'}, 'password': 'secret'}))
    assert (err.statusCode, err.code) == (400, 'INVALID_USERNAME')
    err = _raises(User.login(None))
    assert err.code == 'USERNAME_EMAIL_REQUIRED'


def test_email_verification_required(ds):
    app = build_auth_app(ds, {'emailVerificationRequired': True})

    def main():
        lb.await_(ds.automigrate(list(AUTH_MODELS)))
        User = app.models.User
        user = lb.await_(User.create({'email': 'ann@x.com', 'password': 'secret'}))
        err = _raises(User.login({'email': 'ann@x.com', 'password': 'secret'}))
        assert (err.statusCode, err.code, err.message) == (
            401, 'LOGIN_FAILED_EMAIL_NOT_VERIFIED',
            'login failed as the email has not been verified')
        assert err.details == {'userId': user.id}
        # a wrong password still says only LOGIN_FAILED
        err = _raises(User.login({'email': 'ann@x.com', 'password': 'nope'}))
        assert err.code == 'LOGIN_FAILED'
        lb.await_(user.updateAttribute('emailVerified', True))
        assert lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret'})).id
    lb.run(main)


@fiber_test
def test_logout(auth_app):
    User, Token = auth_app.models.User, auth_app.models.AccessToken
    lb.await_(User.create({'email': 'ann@x.com', 'password': 'secret'}))
    token = lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret'}))
    assert lb.await_(User.logout(token.id)) is None
    assert lb.await_(Token.findById(token.id)) is None
    err = _raises(User.logout(token.id))
    assert (err.statusCode, err.message) == (401, 'Could not find accessToken')
    err = _raises(User.logout(None))
    assert (err.statusCode, err.message) == (401, 'accessToken is required to logout')


@fiber_test
def test_change_password_invalidates_the_other_tokens(auth_app):
    User, Token = auth_app.models.User, auth_app.models.AccessToken
    user = lb.await_(User.create({'email': 'ann@x.com', 'password': 'secret'}))
    first = lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret'}))
    second = lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret'}))
    err = _raises(User.changePassword(user.id, 'wrong', 'new-secret'))
    assert (err.statusCode, err.code, err.message) == (400, 'INVALID_PASSWORD',
                                                        'Invalid current password')
    err = _raises(User.changePassword(user.id, 'secret', 'x' * 100))
    assert err.code == 'PASSWORD_TOO_LONG'
    err = _raises(User.changePassword(9999, 'secret', 'new'))
    assert (err.statusCode, err.code, err.message) == (401, 'USER_NOT_FOUND',
                                                        'User 9999 not found')
    # the caller's own token (options.accessToken) survives, as over REST
    lb.await_(User.changePassword(user.id, 'secret', 'new-secret', {'accessToken': first}))
    assert lb.await_(Token.findById(first.id)) is not None
    assert lb.await_(Token.findById(second.id)) is None
    fresh = lb.await_(User.findById(user.id))
    assert lb.await_(fresh.hasPassword('new-secret')) is True
    assert lb.await_(fresh.hasPassword('secret')) is False
    # setPassword (no old password) and an email change drop every token
    lb.await_(fresh.setPassword('third'))
    assert lb.await_(Token.count()) == 0
    lb.await_(User.login({'email': 'ann@x.com', 'password': 'third'}))
    fresh = lb.await_(User.findById(user.id))
    lb.await_(fresh.updateAttribute('email', 'ann2@x.com'))
    assert lb.await_(Token.count()) == 0
    # a change of anything else keeps them
    lb.await_(User.login({'email': 'ann2@x.com', 'password': 'third'}))
    lb.await_(fresh.updateAttribute('username', 'ann'))
    assert lb.await_(Token.count()) == 1


@fiber_test
def test_deleting_a_user_deletes_its_tokens(auth_app):
    User, Token = auth_app.models.User, auth_app.models.AccessToken
    ann = lb.await_(User.create({'email': 'ann@x.com', 'password': 'secret'}))
    lb.await_(User.create({'email': 'bob@x.com', 'password': 'secret'}))
    token = lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret'}))
    lb.await_(User.login({'email': 'bob@x.com', 'password': 'secret'}))
    lb.await_(ann.destroy())
    assert lb.await_(Token.findById(token.id)) is None
    assert lb.await_(Token.count()) == 1
    assert lb.await_(Token.resolve(token.id)) is None


@fiber_test
def test_resolve_and_expiry(auth_app):
    User, Token = auth_app.models.User, auth_app.models.AccessToken
    lb.await_(User.create({'email': 'ann@x.com', 'password': 'secret'}))
    token = lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret'}))
    assert lb.await_(Token.resolve(token.id)).id == token.id
    assert lb.await_(Token.resolve('x' * 64)) is None
    assert lb.await_(Token.resolve(token.id.lower() if token.id != token.id.lower()
                                   else token.id.upper())) is None
    # an expired token is deleted and answered as INVALID_TOKEN
    old = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=61)
    expired = lb.await_(Token.create({'userId': 1, 'ttl': 60, 'created': old}))
    assert len(expired.id) == 64
    assert lb.await_(expired.validate()) is False
    assert lb.await_(Token.findById(expired.id)) is None
    expired = lb.await_(Token.create({'userId': 1, 'ttl': 60, 'created': old}))
    err = _raises(Token.resolve(expired.id))
    assert (err.statusCode, err.code, err.message) == (401, 'INVALID_TOKEN',
                                                        'Invalid Access Token')
    # an eternal token needs the user model's allowEternalTokens
    eternal = lb.await_(Token.create({'userId': 1, 'ttl': -1}))
    assert lb.await_(eternal.validate()) is False
    # Token.validate stays the validation static
    assert callable(Token.validate) and Token.validate.__name__ == 'custom'


def test_token_ids_come_from_the_csprng(monkeypatch):
    from loopback_compat.auth import access_token
    calls = []
    real = access_token.secrets.choice
    monkeypatch.setattr(access_token.secrets, 'choice',
                        lambda seq: calls.append(1) or real(seq))
    token_id = access_token.create_token_id()
    assert len(token_id) == 64 and len(calls) == 64
    assert len({access_token.create_token_id() for _ in range(200)}) == 200


def test_validate_password_contract():
    for bad in (None, '', 0, {'a': 1}, ['x']):
        with pytest.raises(lb.LoopBackError) as info:
            passwords.validate_password(bad)
        assert (info.value.statusCode, info.value.code) == (422, 'INVALID_PASSWORD')
    passwords.validate_password('x' * 72)
    assert passwords.is_hash(LB3['hash2a']) and passwords.is_hash(LB3['hash2b'])
    assert not passwords.is_hash('$2y$' + LB3['hash2a'][4:])


def test_a_user_model_extending_user(ds):
    app = lb.loopback()
    app.dataSources['db'] = ds
    for name in ('AccessToken', 'User'):
        app.model(auth.define_builtin(ds, name), {'dataSource': ds, 'public': name == 'User'})
    Customer = ds.createModel({'name': 'Customer', 'base': app.models.User,
                               'properties': {'vip': 'boolean'}})
    app.model(Customer, {'dataSource': ds})

    def main():
        lb.await_(ds.automigrate(['AccessToken', 'User', 'Customer']))
        c = lb.await_(Customer.create({'email': 'c@x.com', 'password': 'secret', 'vip': True}))
        assert c.password.startswith('$2b$') and 'password' not in c.toJSON()
        token = lb.await_(Customer.login({'email': 'c@x.com', 'password': 'secret'}))
        assert token.userId == c.id
        err = _raises(Customer.create({'email': 'c@x.com', 'password': 'secret'}))
        assert err.details['messages'] == {'email': ['Email already exists']}
        lb.await_(Customer.changePassword(c.id, 'secret', 'other'))
        assert lb.await_(app.models.AccessToken.count()) == 0
    lb.run(main)


def test_lb_exports_the_builtin_models():
    for name in ('User', 'AccessToken', 'ACL', 'Role', 'RoleMapping', 'Application',
                 'Email', 'Scope'):
        model = getattr(lb, name)
        assert model.modelName == name and model is auth.exported(name)
    # unattached, as LB3's: the relations are settings until a data source defines them
    assert lb.User.relations == {}
    assert lb.User.settings['relations']['accessTokens']['model'] == 'AccessToken'
    assert callable(lb.User.login) and callable(lb.User.hashPassword)
    assert callable(lb.token)


def test_enable_auth_with_a_data_source_defines_the_missing_models(ds):
    app = lb.loopback()
    app.dataSources['db'] = ds
    app.enableAuth({'dataSource': 'db'})
    for name in AUTH_MODELS:
        assert app.models[name].dataSource is ds
    assert app._public['User'] is True and app._public['AccessToken'] is False
    assert app.isAuthEnabled is True

    def main():
        lb.await_(ds.automigrate(list(AUTH_MODELS)))
        lb.await_(app.models.User.create({'email': 'a@x.com', 'password': 'pw'}))
        token = lb.await_(app.models.User.login({'email': 'a@x.com', 'password': 'pw'}))
        assert lb.await_(app.models.AccessToken.resolve(token.id)).userId == token.userId
    lb.run(main)


def _app_with(ds, settings):
    app = build_auth_app(ds, settings)
    lb.run(lambda: lb.await_(ds.automigrate(list(AUTH_MODELS))))
    return app


def test_realms(ds):
    app = _app_with(ds, {'realmRequired': True, 'realmDelimiter': ':'})

    def main():
        User = app.models.User
        a = lb.await_(User.create({'realm': 'r1', 'email': 'a@x.com', 'password': 'pw'}))
        # the same email in another realm is allowed (uniqueness scopedTo realm)
        b = lb.await_(User.create({'realm': 'r2', 'email': 'a@x.com', 'password': 'pw2'}))
        assert lb.await_(User.login({'email': 'r1:a@x.com', 'password': 'pw'})).userId == a.id
        assert lb.await_(User.login({'realm': 'r2', 'email': 'a@x.com',
                                     'password': 'pw2'})).userId == b.id
        err = _raises(User.login({'email': 'a@x.com', 'password': 'pw'}))
        assert (err.statusCode, err.code, err.message) == (400, 'REALM_REQUIRED',
                                                            'realm is required')
        err = _raises(User.login({'email': 'r1:a@x.com', 'password': 'pw2'}))
        assert err.code == 'LOGIN_FAILED'
    lb.run(main)


def test_case_insensitive_emails(ds):
    app = _app_with(ds, {'caseSensitiveEmail': False})

    def main():
        User = app.models.User
        user = lb.await_(User.create({'email': 'Ann@X.com', 'password': 'pw'}))
        assert user.email == 'ann@x.com'
        assert lb.await_(User.login({'email': 'ANN@x.COM', 'password': 'pw'})).userId == user.id
        err = _raises(User.create({'email': 'ANN@x.com', 'password': 'pw'}))
        assert err.details['messages'] == {'email': ['Email already exists']}
    lb.run(main)


def test_reject_password_changes_via_patch(ds):
    app = _app_with(ds, {'rejectPasswordChangesViaPatchOrReplace': True})

    def main():
        User = app.models.User
        user = lb.await_(User.create({'email': 'a@x.com', 'password': 'pw'}))
        err = _raises(user.updateAttributes({'password': 'other'}))
        assert (err.statusCode, err.code) == (401, 'PASSWORD_CHANGE_NOT_ALLOWED')
        lb.await_(user.updateAttributes({'username': 'ann'}))
        lb.await_(User.setPassword(user.id, 'other'))
        fresh = lb.await_(User.findById(user.id))
        assert lb.await_(fresh.hasPassword('other')) is True
    lb.run(main)


@fiber_test
def test_the_token_id_is_compared_in_constant_time(auth_app, monkeypatch):
    from loopback_compat.auth import access_token
    User, Token = auth_app.models.User, auth_app.models.AccessToken
    lb.await_(User.create({'email': 'ann@x.com', 'password': 'secret'}))
    token = lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret'}))
    compared = []
    real = access_token.hmac.compare_digest
    monkeypatch.setattr(access_token.hmac, 'compare_digest',
                        lambda a, b: compared.append((a, b)) or real(a, b))
    assert lb.await_(Token.resolve(token.id)).id == token.id
    assert compared == [(token.id.encode(), token.id.encode())]


class _Req:
    def __init__(self, query=None, headers=None, body=None, cookies=None):
        self.query, self.params, self.body = query or {}, {}, body or {}
        self._headers = {k.lower(): v for k, v in (headers or {}).items()}
        if cookies is not None:
            self.signedCookies = cookies

    def get(self, name):
        return self._headers.get(name.lower())


def test_where_the_token_id_is_read():
    import base64
    get_id = lb.AccessToken.getIdForRequest
    b64 = base64.b64encode(b'tok').decode()
    assert get_id(_Req(query={'access_token': 'q'}, headers={'Authorization': 'h'})) == 'q'
    assert get_id(_Req(query={'access_token': ['a', 'b']})) is None
    assert get_id(_Req(headers={'X-Access-Token': 'x', 'Authorization': 'h'})) == 'x'
    assert get_id(_Req(headers={'Authorization': 'h'})) == 'h'
    assert get_id(_Req(headers={'Authorization': 'Bearer tok'})) == 'tok'
    assert get_id(_Req(headers={'Authorization': 'Bearer ' + b64}),
                  {'bearerTokenBase64Encoded': True}) == 'tok'
    basic = base64.b64encode(b'user:longer-token').decode()
    assert get_id(_Req(headers={'Authorization': 'Basic ' + basic})) == 'longer-token'
    assert get_id(_Req(headers={'Authorization': ''})) is None
    assert get_id(_Req(body={'access_token': 'b'})) == 'b'
    assert get_id(_Req(cookies={'access_token': 'c'})) == 'c'
    assert get_id(_Req(cookies={'authorization': 'c2'})) == 'c2'
    assert get_id(_Req(query={'access_token': 'q'}), {'searchDefaultTokenKeys': False}) is None
    assert get_id(_Req(query={'tk': 'q'}, headers={'X-Tk': 'h'}),
                  {'params': ['tk'], 'searchDefaultTokenKeys': False}) == 'q'
    assert get_id(_Req(headers={'X-Tk': 'h'}), {'headers': ['X-Tk']}) == 'h'
    # hostile header values never raise
    for value in ('Bearer ', 'Bearer ====', 'Basic %%%', 'Basic ' + 'A' * 10000):
        assert isinstance(get_id(_Req(headers={'Authorization': value}),
                                 {'bearerTokenBase64Encoded': True}), str)


@fiber_test
def test_hostile_token_ids_resolve_to_nothing(auth_app):
    User, Token = auth_app.models.User, auth_app.models.AccessToken
    lb.await_(User.create({'email': 'ann@x.com', 'password': 'secret'}))
    token = lb.await_(User.login({'email': 'ann@x.com', 'password': 'secret'}))
    for hostile in ("' OR '1'='1", token.id + "' --", '%', token.id[:-1] + '_', '*',
                    'x' * 100_000, 'ü' * 64, '', '$anonymous', token.id + ' ',
                    ' ' + token.id, '\x00' + token.id):
        assert lb.await_(Token.resolve(hostile)) is None, hostile
    assert lb.await_(Token.resolve(token.id)).id == token.id
