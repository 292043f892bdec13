"""Users and tokens over real HTTP: an LB3 app layout (tests/auth/fixtures/auth_app)
listing LB3's built-in models with ``loopback/common/models`` in ``_meta.sources``,
a Customer model with ``"base": "User"``, ``app.enableAuth()`` in a boot script,
``loopback#token`` with ``currentUserLiteral: 'me'`` in middleware.json.

The answers are compared with LB3 3.28's, recorded in Node 20
(lb3_auth_answers.json).  ACLs are not enforced yet: the requests whose LB3
answer comes from an ACL (an anonymous GET /Users/1) are not compared.
"""

import base64
import json
import os
import time

import pytest

import loopback_compat as lb
from live import LiveApp

APP_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', 'auth_app')
LB3 = json.load(open(os.path.join(os.path.dirname(__file__), 'lb3_auth_answers.json'),
                     encoding='utf-8'))


def _boot(app, done):
    lb.boot(app, os.path.join(APP_DIR, 'server'), done)


@pytest.fixture
def live():
    app = LiveApp(_boot).start()
    yield app
    app.stop()


def _lb3(name):
    status, body = LB3[name]
    return status, (json.loads(body) if body else None)


def _ann(live):
    status, body = live.json('POST', '/api/Users', {'email': 'Ann@x.com', 'password': 'secret',
                                                    'emailVerified': True})
    assert (status, body) == _lb3('create')
    status, token = live.json('POST', '/api/Users/login',
                              {'email': 'Ann@x.com', 'password': 'secret'})
    assert status == 200
    return token


def test_boot_defines_the_builtin_models_and_a_model_based_on_user(live):
    models = live.app.models
    for name in ('User', 'AccessToken', 'ACL', 'RoleMapping', 'Role', 'Customer'):
        assert name in models
    assert issubclass(models.Customer, models.User)
    assert live.app.isAuthEnabled is True
    assert models.RoleMapping.settings['strictObjectIDCoercion'] is True


def test_create_and_login_answer_as_lb3(live):
    _ann(live)
    assert live.json('POST', '/api/Users', {'email': 'Ann@x.com', 'password': 'secret'}) == \
        _lb3('create dup')
    assert live.json('POST', '/api/Users', {'email': 'b@x.com', 'password': 'x' * 73}) == \
        _lb3('create long')
    assert live.json('POST', '/api/Users', {'email': 'c@x.com', 'password': {'a': 1}}) == \
        _lb3('create objpw')
    for name, body in (('login bad', {'email': 'Ann@x.com', 'password': 'nope'}),
                       ('login objpw', {'email': 'Ann@x.com', 'password': {'$gt': ''}}),
                       ('login noemail', {'password': 'x'}),
                       ('login longpw', {'email': 'Ann@x.com', 'password': 'x' * 100000})):
        assert live.json('POST', '/api/Users/login', body) == _lb3(name), name
    status, token = live.json('POST', '/api/Users/login?include=user',
                              {'email': 'Ann@x.com', 'password': 'secret'})
    lb3_status, lb3_token = _lb3('login')
    assert status == lb3_status == 200
    assert sorted(token) == sorted(lb3_token)
    assert len(token['id']) == 64 and token['ttl'] == 1209600 and token['userId'] == 1
    assert token['user'] == lb3_token['user']
    assert 'password' not in json.dumps(token)


def test_a_ten_megabyte_password_is_refused_quickly(live):
    _ann(live)
    started = time.monotonic()
    status, body = live.json('POST', '/api/Users/login',
                             raw=json.dumps({'email': 'Ann@x.com',
                                             'password': 'x' * 10_000_000}).encode(),
                             headers={'Content-Type': 'application/json'})
    # the 100kb JSON limit answers first, as LB3's body-parser
    assert status == 413
    assert time.monotonic() - started < 10


def test_the_token_is_read_from_header_query_and_x_access_token(live):
    token = _ann(live)['id']
    expected = _lb3('get 1 header')
    assert live.json('GET', '/api/Users/1', headers={'Authorization': token}) == expected
    assert live.json('GET', '/api/Users/1?access_token=' + token) == _lb3('get 1 query')
    assert live.json('GET', '/api/Users/1', headers={'X-Access-Token': token}) == \
        _lb3('get 1 xat')
    b64 = base64.b64encode(token.encode()).decode()
    assert live.json('GET', '/api/Users/1', headers={'Authorization': 'Bearer ' + b64}) == \
        _lb3('get 1 bearer b64')
    # LB3's default User ACLs allow findById to the $owner only: a request
    # whose token is not found is its 401 (before any hook), the owner's a 200
    seen = [
        live.json('GET', '/api/Users/1', headers={'Authorization': 'Bearer ' + token})[0],
        live.json('GET', '/api/Users/1', headers={'Authorization': 'nope'})[0],
        live.json('GET', '/api/Users/1?access_token=' + token.upper())[0],
        live.json('GET', '/api/Users/1?access_token[a]=1')[0],
        live.json('GET', '/api/Users/1?access_token=' + token,
                  headers={'X-Access-Token': 'bad'})[0]]
    # a raw id after "Bearer " is base64-decoded (bearerTokenBase64Encoded, LB3's default)
    assert seen == [401, 401, 401, 401, 200]


def test_current_user_literal_me(live):
    token = _ann(live)['id']
    assert live.json('GET', '/api/Users/me', headers={'Authorization': token}) == \
        _lb3('get 1 header')
    status, body = live.json('GET', '/api/Users/me')
    assert status == 401 and body['error']['code'] == 'AUTHORIZATION_REQUIRED'
    assert body['error']['message'] == 'Authorization Required'


def test_an_expired_token_is_invalid_and_deleted(live):
    token = _ann(live)['id']

    def expire(done):
        Token = live.app.models.AccessToken
        Token.updateAll({'id': token}, {'ttl': 1, 'created': '2020-01-01T00:00:00.000Z'},
                        lambda err=None, *_: done(err))
    assert live.on_loop(expire) is None
    status, body = live.json('GET', '/api/Users/1', headers={'Authorization': token})
    assert status == 401
    assert (body['error']['code'], body['error']['message']) == ('INVALID_TOKEN',
                                                                 'Invalid Access Token')
    assert live.rows('AccessToken') == []
    # gone now: the next request carries no token at all
    status, body = live.json('POST', '/api/Users/logout', headers={'Authorization': token})
    assert (status, body) == _lb3('logout anon')


def test_the_token_of_a_deleted_user(live):
    token = _ann(live)['id']

    def delete(done):
        live.app.models.User.destroyById(1, lambda err=None, *_: done(err))
    assert live.on_loop(delete) is None
    assert live.rows('AccessToken') == []
    status, body = live.json('POST', '/api/Users/logout', headers={'Authorization': token})
    assert (status, body) == _lb3('logout anon')


def test_change_password_and_logout_as_lb3(live):
    token = _ann(live)['id']
    auth = {'Authorization': token}
    assert live.json('POST', '/api/Users/change-password',
                     {'oldPassword': 'x', 'newPassword': 'y'}, auth) == _lb3('change bad')
    assert live.json('POST', '/api/Users/logout') == _lb3('logout anon')
    other = live.json('POST', '/api/Users/login', {'email': 'Ann@x.com',
                                                   'password': 'secret'})[1]['id']
    status, body = live.json('POST', '/api/Users/change-password',
                             {'oldPassword': 'secret', 'newPassword': 'newpw'}, auth)
    assert (status, body) == _lb3('change ok')
    # the caller's token survives the change, the other one does not
    assert [row['id'] for row in live.rows('AccessToken')] == [token]
    assert other != token
    assert live.json('POST', '/api/Users/logout', headers=auth) == _lb3('logout')
    assert live.json('POST', '/api/Users/logout', headers=auth) == _lb3('logout again')
    status, _ = live.json('POST', '/api/Users/login', {'email': 'Ann@x.com',
                                                       'password': 'newpw'})
    assert status == 200


def test_passwords_never_leave_the_server(live):
    _ann(live)
    # LB3's default User ACLs deny find to everyone: an ACL row opens it here,
    # so that the lists below really hold users
    for model in ('User', 'Customer'):
        assert live.on_loop(lambda done, model=model: live.app.models.ACL.create(
            {'model': model, 'property': 'find', 'accessType': '*', 'principalType': 'ROLE',
             'principalId': '$everyone', 'permission': 'ALLOW'},
            lambda err=None, *_: done(err))) is None
    assert live.json('GET', '/api/Users')[1][0]['email'] == 'Ann@x.com'
    token = live.json('POST', '/api/Customers', {'email': 'c@x.com', 'password': 'secret'})
    assert token[0] == 200 and 'password' not in token[1]
    for path in ('/api/Users', '/api/Users/1', '/api/Customers',
                 '/api/Users?filter[fields][password]=true'):
        status, data = live.request('GET', path)[::2]
        assert b'$2b$' not in data and b'secret' not in data, path
    status, body = live.json('GET', '/api/Users?filter[where][password][like]=%242b%25')
    assert status == 400


def test_a_model_based_on_user_logs_in(live):
    status, customer = live.json('POST', '/api/Customers', {'email': 'c@x.com',
                                                            'password': 'secret',
                                                            'vip': True})
    assert status == 200 and customer['vip'] is True
    status, token = live.json('POST', '/api/Customers/login?include=user',
                              {'email': 'c@x.com', 'password': 'secret'})
    assert status == 200 and token['user']['vip'] is True
    assert live.json('POST', '/api/Customers/logout',
                     headers={'Authorization': token['id']})[0] == 204


def test_reset_password_route_sets_the_password_of_the_tokens_user(live):
    token = _ann(live)['id']
    status, body = live.json('POST', '/api/Users/reset-password', {'newPassword': 'fresh'},
                             {'Authorization': token})
    assert (status, body) == (204, None)
    assert live.json('POST', '/api/Users/login',
                     {'email': 'Ann@x.com', 'password': 'fresh'})[0] == 200
    status, body = live.json('POST', '/api/Users/reset-password',
                             {'newPassword': 'x' * 73}, {'Authorization': token})
    assert status == 422 and body['error']['code'] == 'PASSWORD_TOO_LONG'


def test_no_route_reaches_a_users_tokens(live):
    """LB3's default User ACLs deny the accessTokens relation routes to
    everyone, the owner included: 401 AUTHORIZATION_REQUIRED as LB3 3.28
    (tests/auth/test_acl.py compares them with its recorded answers)."""
    token = _ann(live)['id']
    status, customer = live.json('POST', '/api/Customers', {'email': 'c@x.com',
                                                            'password': 'secret'})
    auth = {'Authorization': token}
    for base in ('/api/Users/1', '/api/Customers/%s' % customer['id']):
        for method, path in (('GET', '/accessTokens'), ('POST', '/accessTokens'),
                             ('DELETE', '/accessTokens'), ('GET', '/accessTokens/count'),
                             ('GET', '/accessTokens/' + token),
                             ('PUT', '/accessTokens/' + token),
                             ('DELETE', '/accessTokens/' + token)):
            for headers in (None, auth):
                status, data = live.request(method, base + path, body={}, headers=headers)[::2]
                assert status == 401, (method, base + path, status)
                assert json.loads(data)['error']['code'] == 'AUTHORIZATION_REQUIRED'
                assert b'"ttl"' not in data and b'"userId"' not in data
    # include skips the relation (its disableInclude option, as LB3)
    for query in ('filter[include]=accessTokens', 'filter[include][relation]=accessTokens'):
        status, data = live.request('GET', '/api/Users/1?' + query, headers=auth)[::2]
        assert status == 200 and token.encode() not in data
    # the routes exist (LB3 lists them too); the ACLs refuse them
    swagger = live.request('GET', '/explorer/swagger.json')[2]
    assert b'/Users/{id}/accessTokens' in swagger
    assert [row['id'] for row in live.rows('AccessToken')] == [token]


def test_anonymous_password_changes_are_lb3s_401(live):
    _ann(live)
    expected = _lb3('change anon')
    assert live.json('POST', '/api/Users/change-password',
                     {'oldPassword': 'secret', 'newPassword': 'y'}) == expected
    assert live.json('POST', '/api/Users/reset-password', {'newPassword': 'y'}) == expected
    assert live.json('POST', '/api/Users/change-password',
                     {'oldPassword': 'secret', 'newPassword': 'y'},
                     {'Authorization': 'not-a-token'}) == expected
    assert live.json('POST', '/api/Users/login', {'email': 'Ann@x.com',
                                                  'password': 'secret'})[0] == 200


def test_login_ttl_as_javascript_reads_it(live):
    _ann(live)
    for sent, ttl in (('60', 60), (60, 60), (0, 1209600), ({'a': 1}, 1209600),
                      (10 ** 12, 31556926), ('junk', 1209600)):
        status, token = live.json('POST', '/api/Users/login', {
            'email': 'Ann@x.com', 'password': 'secret', 'ttl': sent})
        assert (status, token['ttl']) == (200, ttl), sent
