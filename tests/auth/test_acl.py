"""ACLs enforced over real HTTP, request by request against LoopBack 3.28.

tests/auth/fixtures/acl_app: LB3's built-in models, ``app.enableAuth()``,
and four models with ACLs: Project ($everyone DENY, READ for everyone,
create for $authenticated, WRITE for $owner through its belongsTo User,
everything for the static role 'admin'; relation routes to Note; custom
remote methods stats (GET: READ) and reset (POST: EXECUTE)), Note (no ACLs),
Secret (``aclErrorStatus`` 403), Bulletin (``defaultPermission`` DENY, a
property array).  An ACL row allows user 2 to deleteById Projects.

lb3_acl_answers.json holds LB3 3.28's answers to the same requests in the
same order (recorded in Node 20 by fixtures/acl_app/record_lb3.js, which
creates these very model JSON files with loopback.createModel): anonymous, users 1 (owner), 2 (not
owner), 3 (admin) on every route, then hostile clients (another user's
token on $owner routes, a forged token, an expired token, principal
spoofing in the body and the query).
"""

import json
import os

import pytest

import loopback_compat as lb
from live import LiveApp

APP_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'fixtures', 'acl_app')
LB3 = json.load(open(os.path.join(os.path.dirname(__file__), 'lb3_acl_answers.json'),
                     encoding='utf-8'))



def _boot(app, done):
    lb.boot(app, os.path.join(APP_DIR, 'server'), done)


@pytest.fixture
def live():
    app = LiveApp(_boot).start()
    yield app
    app.stop()


def _seed(live):
    """The data the LB3 recording made, in the same order (same ids)."""
    def seed(done):
        M = live.app.models
        steps = [
            lambda cb: M.User.create([{'email': e + '@x.com', 'password': 'pw'}
                                      for e in 'abc'], cb),
            lambda cb: M.Role.create({'name': 'admin'}, cb),
            lambda cb: M.RoleMapping.create({'principalType': 'USER', 'principalId': '3',
                                             'roleId': state['role'].id}, cb),
            lambda cb: M.ACL.create({'model': 'Project', 'property': 'deleteById',
                                     'accessType': 'WRITE', 'principalType': 'USER',
                                     'principalId': '2', 'permission': 'ALLOW'}, cb),
            lambda cb: M.Project.create([{'name': 'p1', 'ownerId': 1},
                                         {'name': 'p2', 'ownerId': 1},
                                         {'name': 'p3', 'ownerId': 1}], cb),
            lambda cb: M.Note.create({'body': 'n1', 'projectId': 1}, cb),
            lambda cb: M.Secret.create({'value': 's'}, cb),
            lambda cb: M.Bulletin.create({'text': 't'}, cb),
            lambda cb: M.AccessToken.create({'userId': 1, 'ttl': 1,
                                             'created': '2020-01-01T00:00:00.000Z'}, cb),
        ]
        state = {}

        def run(i, err=None, result=None):
            if err:
                return done(err)
            if i == 2:
                state['role'] = result
            if i >= len(steps):
                state['expired'] = result
                return done(state)
            steps[i](lambda err=None, result=None, *_: run(i + 1, err, result))
        run(0)
    state = live.on_loop(seed)
    assert not isinstance(state, BaseException), state
    tokens = {}
    for i, e in ((1, 'a'), (2, 'b'), (3, 'c')):
        status, token = live.json('POST', '/api/Users/login', {'email': e + '@x.com',
                                                               'password': 'pw'})
        assert status == 200
        tokens['u%d' % i] = {'Authorization': token['id']}
    tokens['anon'] = None
    return tokens, state['expired'].id


def _routes():
    """The requests of the recording, in its order: (name, verb, path, body, who)."""
    seen = []
    for name in LB3:
        who, _, rest = name.partition(' ')
        seen.append((name, who, rest))
    return seen


_BODIES = {
    'POST /api/Projects': {'name': 'new', 'ownerId': 1},
    'PATCH /api/Projects/1': {'name': 'p1x'},
    'PUT /api/Projects/1': {'name': 'p1y', 'ownerId': 1},
    'POST /api/Projects/1/replace': {'name': 'p1z', 'ownerId': 1},
    'PATCH /api/Projects': {'name': 'up', 'ownerId': 1},
    'POST /api/Projects/update?where=%7B%22id%22%3A99%7D': {'name': 'z'},
    'POST /api/Projects/1/notes': {'body': 'n'},
    'PUT /api/Projects/1/notes/1': {'body': 'm'},
    'PATCH /api/Projects/99': {'name': 'q'},
    'POST /api/Secrets': {'value': 'x'},
    'POST /api/Bulletins': {'text': 'x'},
    'PATCH /api/Users/1': {'username': 'ann'},
    'POST /api/Users/1/accessTokens': {},
    'POST /api/Users/change-password': {'oldPassword': 'x', 'newPassword': 'y'},
    'POST /api/Users/reset-password': {'newPassword': 'y'},
    'POST /api/Users/reset': {'email': 'nobody@x.com'},
}

_HOSTILE = {
    'forged POST /api/Projects': ('POST', '/api/Projects', {'name': 'f'}, 'forged'),
    'forged GET /api/Projects/1': ('GET', '/api/Projects/1', None, 'forged'),
    'expired POST /api/Projects': ('POST', '/api/Projects', {'name': 'e'}, 'expired'),
    'spoof body': ('POST', '/api/Projects', {'name': 's', 'principalType': 'ROLE',
                                             'principalId': 'admin', 'userId': 3}, 'anon'),
    'spoof query': ('POST', '/api/Projects/reset?principalType=ROLE&principalId=admin'
                    '&userId=3', None, 'anon'),
    'spoof u2 body': ('PATCH', '/api/Projects/1', {'name': 's', 'principalType': 'ROLE',
                                                   'principalId': '$owner', 'ownerId': 2},
                      'u2'),
}


def _comparable(status, data):
    body = json.loads(data) if data else None
    if isinstance(body, dict) and isinstance(body.get('error'), dict):
        err = body['error']
        body = {'error': {k: err.get(k) for k in ('statusCode', 'message', 'code')}}
    return status, body


def test_every_request_answers_as_lb3(live):
    tokens, expired = _seed(live)
    tokens['forged'] = {'Authorization': 'x' * 64}
    tokens['expired'] = {'Authorization': expired}
    mismatches = []
    for name, who, rest in _routes():
        if name in _HOSTILE:
            verb, path, body, who = _HOSTILE[name]
        else:
            verb, _, path = rest.partition(' ')
            body = _BODIES.get(verb + ' ' + path)
        status, _headers, data = live.request(verb, path, body, tokens[who])
        got = _comparable(status, data)
        want = _comparable(*LB3[name])
        if got != want:
            mismatches.append((name, got, want))
    assert mismatches == []


def test_acls_without_enable_auth_are_named_in_a_warning_at_boot(tmp_path, caplog):
    """LB3 ignores ACLs silently when enableAuth() was never called: every
    request is allowed (as here); boot says so."""
    import shutil
    app_dir = tmp_path / 'app'
    shutil.copytree(APP_DIR, app_dir)
    (app_dir / 'server' / 'boot' / 'authentication.py').write_text(
        'def boot(app):\n'
        '    Project = app.models.Project\n'
        '    Project.stats = classmethod(lambda cls, cb: cb(None, {"n": 1}))\n'
        '    Project.reset = classmethod(lambda cls, cb: cb(None, True))\n')
    caplog.set_level('WARNING', logger='loopback_compat.auth')
    live = LiveApp(lambda app, done: lb.boot(app, str(app_dir / 'server'), done)).start()
    try:
        warnings = [r.getMessage() for r in caplog.records if r.name == 'loopback_compat.auth']
        assert len(warnings) == 1
        assert warnings[0].startswith('The ACLs of Project, Secret, Bulletin are not enforced')
        # as LB3 without enableAuth: nothing is refused
        assert live.json('POST', '/api/Projects', {'name': 'x'})[0] == 200
        assert live.json('GET', '/api/Users')[0] == 200
    finally:
        live.stop()


def test_no_warning_once_auth_is_enabled(live, caplog):
    assert [r for r in caplog.records if r.name == 'loopback_compat.auth'] == []


def _relation_routes(model):
    """(verb, path, method) of every relation route of ``model`` (``__x__rel``)."""
    from loopback_compat.remoting import shared_class_for
    from loopback_compat.remoting.rest import join_paths
    routes = []
    for method in shared_class_for(model).methods():
        if not method.name.startswith('__'):
            continue
        for route in method.routes:
            path = route['path'] if method.isStatic else join_paths('/:id', route['path'])
            path = path.replace(':id', '1').replace(':fk', '1')
            routes.append((route['verb'].upper(), '/api/Projects' + path, method))
    return routes


def test_an_anonymous_client_on_every_relation_route_of_a_protected_model(live):
    """Project allows READ to everyone and nothing else anonymously: every
    relation route that is not READ is LB3's 401, before it touches any data."""
    tokens, _expired = _seed(live)
    Project = live.app.models.Project
    routes = _relation_routes(Project)
    assert {m.name for _v, _p, m in routes} >= {'__get__notes', '__create__notes',
                                                 '__delete__notes', '__destroyById__notes',
                                                 '__updateById__notes', '__count__notes',
                                                 '__get__owner'}
    before = live.rows('Note')
    for verb, path, method in routes:
        if verb == 'ALL':
            verb = 'POST'
        status, _h, data = live.request(verb, path, {'body': 'x'} if verb != 'GET' else None)
        access = Project._getAccessTypeForMethod(method)
        if access == 'READ':
            assert status in (200, 204, 404), (verb, path, status)
        else:
            assert (status, json.loads(data)['error']['code']) == \
                (401, 'AUTHORIZATION_REQUIRED'), (verb, path, status)
    assert live.rows('Note') == before
    # the same routes with user 2's token (not the owner of project 1): refused too
    for verb, path, method in routes:
        if Project._getAccessTypeForMethod(method) != 'READ':
            status = live.request('POST' if verb == 'ALL' else verb, path, {'body': 'x'},
                                  tokens['u2'])[0]
            assert status == 401, (verb, path, status)
    assert live.rows('Note') == before


#: LB3 3.28 without app.enableAuth() (recorded in Node: fixtures/acl_app/record_lb3_without_auth.js)
LB3_WITHOUT_AUTH = {
    'POST /api/Users/change-password': (500, {'error': {'statusCode': 500,
                                                        'message': 'Internal Server Error'}}),
    'POST /api/Users/reset-password': (500, {'error': {'statusCode': 500,
                                                       'message': 'Internal Server Error'}}),
    'GET /api/Users/1/accessTokens': (200, []),
}


def test_without_enable_auth_nothing_is_refused_as_lb3():
    """No enableAuth(): no ACL check at all (LB3 ignores the default User
    ACLs): an anonymous change-password reaches the method (findById without
    an id: LB3's 500), a user's tokens are listed."""
    from loopback_compat import auth

    def setup(app, done):
        ds = app.dataSource('db', {'connector': 'memory'})
        for name in ('User', 'AccessToken', 'ACL', 'RoleMapping', 'Role'):
            app.model(auth.define_builtin(ds, name), {'dataSource': ds,
                                                      'public': name == 'User'})
        done()
    live = LiveApp(setup).start()
    try:
        assert live.json('POST', '/api/Users', {'email': 'a@x.com', 'password': 'pw'})[0] == 200
        bodies = {'POST /api/Users/change-password': {'oldPassword': 'x', 'newPassword': 'y'},
                  'POST /api/Users/reset-password': {'newPassword': 'y'}}
        for name, answer in LB3_WITHOUT_AUTH.items():
            verb, path = name.split(' ')
            assert live.json(verb, path, bodies.get(name)) == answer, name
    finally:
        live.stop()


def test_model_config_acls_are_added_to_the_models_as_lb3s_add_acl(tmp_path):
    """# LoopBack: registry.configureModel's addACL: a model-config ``acls``
    entry replaces the model's ACL with the same property, accessType and
    principal, and is appended otherwise (the model's other ACLs stay)."""
    import shutil
    app_dir = tmp_path / 'app'
    shutil.copytree(APP_DIR, app_dir)
    config_path = app_dir / 'server' / 'model-config.json'
    config = json.loads(config_path.read_text())
    config['Project']['acls'] = [
        {'principalType': 'ROLE', 'principalId': '$everyone', 'permission': 'ALLOW',
         'accessType': 'WRITE'},
        {'principalType': 'ROLE', 'principalId': '$everyone', 'permission': 'DENY',
         'accessType': 'READ'}]
    config_path.write_text(json.dumps(config))
    live = LiveApp(lambda app, done: lb.boot(app, str(app_dir / 'server'), done)).start()
    try:
        acls = [{k: v for k, v in a.items() if k != '__rank'}
                for a in live.app.models.Project.settings['acls']]
        assert len(acls) == 6
        assert {'principalType': 'ROLE', 'principalId': '$everyone', 'permission': 'DENY',
                'accessType': 'READ'} in acls       # replaced the ALLOW READ
        assert live.json('POST', '/api/Projects', {'name': 'x'})[0] == 200   # WRITE added
        assert live.json('GET', '/api/Projects')[0] == 401                   # READ replaced
        assert live.json('POST', '/api/Projects/reset')[0] == 401            # DENY * kept
    finally:
        live.stop()
