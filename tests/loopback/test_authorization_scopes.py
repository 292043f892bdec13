"""LoopBack 3.28's test/authorization-scopes.test.js, ported (one test per ``it``),
over real HTTP: a remote method's ``accessScopes`` against the token's ``scopes``.

LB3 mounts ``loopback.rest()`` at ``/``; here the REST API is at ``/api``.
"""

from live import LiveApp

CUSTOM_SCOPE = 'read:custom'


def _app(method_scopes=None, token_scopes=None):
    """# LoopBack: givenAppAndRequest, givenRemoteMethodWithCustomScope, givenUser,
    givenDefaultToken, givenScopedToken -> (live app, user id, regular token, scoped token)"""
    def setup(app, done):
        app.set('remoting', {'rest': {'handleErrors': False}})
        app.dataSource('db', {'connector': 'memory'})
        app.enableAuth({'dataSource': 'db'})
        User = app.models.User
        User.scoped = classmethod(lambda cls, cb: cb())
        User.remoteMethod('scoped', {'accessScopes': method_scopes or [CUSTOM_SCOPE],
                                     'http': {'verb': 'GET', 'path': '/scoped'}})
        User.settings['acls'].append({'principalType': 'ROLE', 'principalId': '$authenticated',
                                      'permission': 'ALLOW', 'property': 'scoped',
                                      'accessType': 'EXECUTE'})
        done()
    live = LiveApp(setup).start()

    def seed(done):
        User = live.app.models.User

        def made(err, user):
            def regular(err, token):
                user.accessTokens.create({'ttl': 60, 'scopes': token_scopes or [CUSTOM_SCOPE]},
                                         lambda err, scoped: done((user.id, token.id,
                                                                   scoped.id)))
            user.createAccessToken(60, regular)
        User.create({'email': 'test@example.com', 'password': 'pass'}, made)
    user_id, regular, scoped = live.on_loop(seed)
    return live, user_id, {'Authorization': regular}, {'Authorization': scoped}


def _status(live, path, headers):
    return live.request('GET', '/api' + path, None, headers)[0]


def _run(check, **kwargs):
    live, user_id, regular, scoped = _app(**kwargs)
    try:
        check(live, user_id, regular, scoped)
    finally:
        live.stop()


def test_authorization_scopes__denies_regular_token_to_invoke_custom_scoped_method():
    _run(lambda live, uid, regular, scoped: _check(_status(live, '/users/scoped', regular), 401))


def test_authorization_scopes__allows_regular_tokens_to_invoke_default_scoped_method():
    _run(lambda live, uid, regular, scoped: _check(_status(live, '/users/%s' % uid, regular),
                                                   200))


def test_authorization_scopes__allows_scoped_token_to_invoke_custom_scoped_method():
    _run(lambda live, uid, regular, scoped: _check(_status(live, '/users/scoped', scoped), 204))


def test_authorization_scopes__denies_scoped_token_to_invoke_default_scoped_method():
    _run(lambda live, uid, regular, scoped: _check(_status(live, '/users/%s' % uid, scoped),
                                                   401))


def test_authorization_scopes__token_granted_both_default_and_custom_scope__allows_invocation_of_default_scoped_method():  # noqa: E501
    _run(lambda live, uid, regular, scoped: _check(_status(live, '/users/%s' % uid, scoped),
                                                   200),
         token_scopes=['DEFAULT', CUSTOM_SCOPE])


def test_authorization_scopes__token_granted_both_default_and_custom_scope__allows_invocation_of_custom_scoped_method():  # noqa: E501
    _run(lambda live, uid, regular, scoped: _check(_status(live, '/users/scoped', scoped), 204),
         token_scopes=['DEFAULT', CUSTOM_SCOPE])


def test_authorization_scopes__allows_invocation_when_at_least_one_method_scope_is_matched():
    _run(lambda live, uid, regular, scoped: _check(_status(live, '/users/scoped', scoped), 204),
         method_scopes=['read', 'write'], token_scopes=['read', 'execute'])


def _check(got, want):
    assert got == want


