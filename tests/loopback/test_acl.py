"""LoopBack 3.28's test/acl.test.js, ported (one test per ``it``), on memory,
SQLite and PostgreSQL (LB3 runs it on memory).

LB3's ``setupTestModels`` attaches the global ACL, Role, RoleMapping, User
and Scope to a fresh memory data source; here the built-in models are
defined on the ``ds`` data source (auth.define_builtin), which is the same
thing for one test.  ``ds.createModel`` models land in the same model
builder, where ACL.getStaticACLs finds them by name as LB3's registry does.
"""

import pytest

import loopback_compat as lb
from loopback_compat import auth
from loopback_compat.errors import ModelRedefinedWarning
from loopback_compat.testing import fiber_test
from live import LiveApp


@pytest.fixture
def m(ds):
    """# LoopBack: setupTestModels()"""
    models = {name: auth.define_builtin(ds, name) for name in
              ('User', 'AccessToken', 'RoleMapping', 'Role', 'ACL', 'Scope')}
    models['testModel'] = ds.createModel('testModel', {})
    lb.run(lambda: lb.await_(ds.automigrate(list(models))))
    models['ds'] = ds
    return type('Models', (), models)


def _all(*promises):
    return [lb.await_(p) for p in promises]


def _perm(ACL, *args):
    return lb.await_(ACL.checkPermission(*args)).permission


@fiber_test
def test_acl_model__provides_default_scope_constant(m):
    assert m.ACL.DEFAULT_SCOPE == 'DEFAULT'


@fiber_test
def test_security_scopes__should_allow_access_to_models_for_the_given_scope_by_wildcard(m):
    ACL, Scope = m.ACL, m.Scope
    scope = lb.await_(Scope.create({'name': 'userScope',
                                    'description': 'access user information'}))
    lb.await_(ACL.create({'principalType': ACL.SCOPE, 'principalId': scope.id,
                          'model': 'User', 'property': ACL.ALL, 'accessType': ACL.ALL,
                          'permission': ACL.ALLOW}))
    for prop, access in ((ACL.ALL, ACL.ALL), ('name', ACL.ALL), ('name', ACL.READ)):
        _scope_permission(Scope, 'userScope', 'User', prop, access)   # no error


def _scope_permission(Scope, *args):
    def run(resolve, reject):
        Scope.checkPermission(*args, lambda err=None, p=None: reject(err) if err
                              else resolve(p))
    return lb.await_(lb.Promise(run)).permission


@fiber_test
def test_security_scopes__should_allow_access_to_models_for_the_given_scope(m):
    ACL, Scope = m.ACL, m.Scope
    scope = lb.await_(Scope.create({'name': 'testModelScope',
                                    'description': 'access testModel information'}))
    lb.await_(ACL.create({'principalType': ACL.SCOPE, 'principalId': scope.id,
                          'model': 'testModel', 'property': 'name', 'accessType': ACL.READ,
                          'permission': ACL.ALLOW}))
    lb.await_(ACL.create({'principalType': ACL.SCOPE, 'principalId': scope.id,
                          'model': 'testModel', 'property': 'name', 'accessType': ACL.WRITE,
                          'permission': ACL.DENY}))
    perms = [_scope_permission(Scope, 'testModelScope', 'testModel', prop, access)
             for prop, access in ((ACL.ALL, ACL.ALL), ('name', ACL.ALL), ('name', ACL.READ),
                                  ('name', ACL.WRITE))]
    assert perms == [ACL.DENY, ACL.DENY, ACL.ALLOW, ACL.DENY]


@fiber_test
def test_security_acls__supports_check_permission_returning_a_promise(m):
    ACL = m.ACL
    lb.await_(ACL.create({'principalType': ACL.USER, 'principalId': 'u001',
                          'model': 'testModel', 'property': ACL.ALL, 'accessType': ACL.ALL,
                          'permission': ACL.ALLOW}))
    access = lb.await_(ACL.checkPermission(ACL.USER, 'u001', 'testModel', 'name', ACL.ALL))
    assert access.permission == ACL.ALLOW


@fiber_test
def test_security_acls__supports_acl_rules_with_a_wildcard_for_models(m):
    ACL = m.ACL
    user_id = 'a-test-user'

    def permission():
        access = lb.await_(ACL.checkAccessForContext({
            'principals': [{'type': ACL.USER, 'id': user_id}],
            'model': m.testModel.modelName, 'accessType': ACL.ALL}))
        return ACL.ALLOW if access.isAllowed() else ACL.DENY
    assert permission() == ACL.ALLOW, 'initial state'
    lb.await_(ACL.create({'model': '*', 'property': '*', 'accessType': '*',
                          'principalType': 'ROLE', 'principalId': '$everyone',
                          'permission': 'DENY'}))
    assert permission() == ACL.DENY, 'all denied'
    lb.await_(ACL.create({'model': m.testModel.modelName, 'property': '*', 'accessType': '*',
                          'principalType': ACL.USER, 'principalId': user_id,
                          'permission': ACL.ALLOW}))
    assert permission() == ACL.ALLOW, 'only a single model allowed'


@fiber_test
def test_security_acls__supports_check_access_for_context_returning_a_promise(m):
    ACL = m.ACL
    with pytest.warns(ModelRedefinedWarning):     # LB3 redefines it silently
        m.ds.createModel('testModel', {}, {'acls': [
            {'principalType': ACL.USER, 'principalId': 'u001', 'accessType': ACL.ALL,
             'permission': ACL.ALLOW}]})
    access = lb.await_(ACL.checkAccessForContext({
        'principals': [{'type': ACL.USER, 'id': 'u001'}], 'model': 'testModel',
        'accessType': ACL.ALL}))
    assert access.permission == ACL.ALLOW


def _resolved(perm):
    return {'model': perm.model, 'property': perm.property, 'accessType': perm.accessType,
            'permission': perm.permission, 'methodNames': perm.methodNames}


@fiber_test
def test_security_acls__should_order_acl_entries_based_on_the_matching_score(m):
    ACL = m.ACL
    acls = [ACL(a) for a in (
        {'model': 'account', 'accessType': '*', 'permission': 'DENY',
         'principalType': 'ROLE', 'principalId': '$everyone'},
        {'model': 'account', 'accessType': '*', 'permission': 'ALLOW',
         'principalType': 'ROLE', 'principalId': '$owner'},
        {'model': 'account', 'accessType': 'READ', 'permission': 'ALLOW',
         'principalType': 'ROLE', 'principalId': '$everyone'})]
    perm = ACL.resolvePermission(acls, {'model': 'account', 'property': 'find',
                                        'accessType': 'WRITE'})
    assert _resolved(perm) == {'model': 'account', 'property': 'find', 'accessType': 'WRITE',
                               'permission': 'ALLOW', 'methodNames': []}


@fiber_test
def test_security_acls__should_order_acl_entries_based_on_the_matching_score_even_with_wildcard_req(m):  # noqa: E501
    ACL = m.ACL
    acls = [ACL(a) for a in (
        {'model': 'account', 'accessType': '*', 'permission': 'DENY',
         'principalType': 'ROLE', 'principalId': '$everyone'},
        {'model': 'account', 'accessType': '*', 'permission': 'ALLOW',
         'principalType': 'ROLE', 'principalId': '$owner'})]
    perm = ACL.resolvePermission(acls, {'model': 'account', 'property': '*',
                                        'accessType': 'WRITE'})
    assert _resolved(perm) == {'model': 'account', 'property': '*', 'accessType': 'WRITE',
                               'permission': 'ALLOW', 'methodNames': []}


@fiber_test
def test_security_acls__should_allow_access_to_models_for_the_given_principal_by_wildcard(m):
    ACL = m.ACL
    lb.await_(ACL.create({'principalType': ACL.USER, 'principalId': 'u001', 'model': 'User',
                          'property': ACL.ALL, 'accessType': ACL.ALL,
                          'permission': ACL.ALLOW}))
    lb.await_(ACL.create({'principalType': ACL.USER, 'principalId': 'u001', 'model': 'User',
                          'property': ACL.ALL, 'accessType': ACL.READ,
                          'permission': ACL.DENY}))
    assert [_perm(ACL, ACL.USER, 'u001', 'User', 'name', ACL.READ),
            _perm(ACL, ACL.USER, 'u001', 'User', 'name', ACL.ALL)] == [ACL.DENY, ACL.DENY]


@fiber_test
def test_security_acls__should_allow_access_to_models_by_exception(m):
    ACL = m.ACL
    for pid, access, perm in (('u001', ACL.ALL, ACL.DENY), ('u001', ACL.READ, ACL.ALLOW),
                              ('u002', ACL.EXECUTE, ACL.ALLOW)):
        lb.await_(ACL.create({'principalType': ACL.USER, 'principalId': pid,
                              'model': 'testModel', 'property': ACL.ALL,
                              'accessType': access, 'permission': perm}))
    assert [_perm(ACL, ACL.USER, 'u001', 'testModel', 'name', ACL.READ),
            _perm(ACL, ACL.USER, 'u001', 'testModel', ACL.ALL, ACL.READ),
            _perm(ACL, ACL.USER, 'u001', 'testModel', 'name', ACL.WRITE),
            _perm(ACL, ACL.USER, 'u001', 'testModel', 'name', ACL.ALL),
            _perm(ACL, ACL.USER, 'u002', 'testModel', 'name', ACL.WRITE),
            _perm(ACL, ACL.USER, 'u002', 'testModel', 'name', ACL.READ)] == \
        [ACL.ALLOW, ACL.ALLOW, ACL.DENY, ACL.DENY, ACL.ALLOW, ACL.ALLOW]


def _customer(m, model_acls, name='Customer', **settings):
    ACL = m.ACL
    return m.ds.createModel(name, {'name': {'type': 'string', 'acls': [
        {'principalType': ACL.USER, 'principalId': 'u001', 'accessType': ACL.WRITE,
         'permission': ACL.DENY},
        {'principalType': ACL.USER, 'principalId': 'u001', 'accessType': ACL.ALL,
         'permission': ACL.ALLOW}]}}, dict(settings, acls=model_acls))


@fiber_test
def test_security_acls__should_honor_default_permission_from_the_model(m):
    ACL = m.ACL
    customer = _customer(m, [{'principalType': ACL.USER, 'principalId': 'u001',
                              'accessType': ACL.ALL, 'permission': ACL.ALLOW}])
    customer.settings['defaultPermission'] = ACL.DENY
    assert [_perm(ACL, ACL.USER, 'u001', 'Customer', 'name', ACL.WRITE),
            _perm(ACL, ACL.USER, 'u001', 'Customer', 'name', ACL.READ),
            _perm(ACL, ACL.USER, 'u002', 'Customer', 'name', ACL.WRITE)] == \
        [ACL.DENY, ACL.ALLOW, ACL.DENY]


@fiber_test
def test_security_acls__should_honor_static_acls_from_the_model(m):
    ACL = m.ACL
    _customer(m, [
        {'principalType': ACL.USER, 'principalId': 'u001', 'accessType': ACL.ALL,
         'permission': ACL.ALLOW},
        {'principalType': ACL.USER, 'principalId': 'u002', 'accessType': ACL.EXECUTE,
         'permission': ACL.ALLOW},
        {'principalType': ACL.USER, 'principalId': 'u003', 'accessType': ACL.EXECUTE,
         'permission': ACL.DENY}])
    assert [_perm(ACL, ACL.USER, 'u001', 'Customer', 'name', ACL.WRITE),
            _perm(ACL, ACL.USER, 'u001', 'Customer', 'name', ACL.READ),
            _perm(ACL, ACL.USER, 'u001', 'Customer', 'name', ACL.ALL),
            _perm(ACL, ACL.USER, 'u002', 'Customer', 'name', ACL.READ),
            _perm(ACL, ACL.USER, 'u003', 'Customer', 'name', ACL.WRITE)] == \
        [ACL.DENY, ACL.ALLOW, ACL.ALLOW, ACL.ALLOW, ACL.DENY]


@fiber_test
def test_security_acls__should_filter_static_acls_by_model_property(m):
    ACL = m.ACL
    _customer(m, [
        {'principalType': ACL.USER, 'principalId': 'u001', 'property': 'name',
         'accessType': ACL.ALL, 'permission': ACL.ALLOW},
        {'principalType': ACL.USER, 'principalId': 'u002', 'property': 'findOne',
         'accessType': ACL.ALL, 'permission': ACL.ALLOW},
        {'principalType': ACL.USER, 'principalId': 'u003', 'property': ['findOne', 'findById'],
         'accessType': ACL.ALL, 'permission': ACL.ALLOW}], name='Model1')
    assert len(ACL.getStaticACLs('Model1', 'name')) == 3
    assert len(ACL.getStaticACLs('Model1', 'findOne')) == 2
    found = ACL.getStaticACLs('Model1', 'findById')
    assert len(found) == 1 and found[0].property == 'findById'


@fiber_test
def test_security_acls__should_check_access_against_ldl_acl_and_role(m):
    ACL, Role, RoleMapping = m.ACL, m.Role, m.RoleMapping
    user = lb.await_(m.User.create({'name': 'Raymond', 'email': 'x@y.com',
                                    'password': 'foobar'}))
    user_id = user.id
    m.ds.createModel('Customer', {'name': {'type': 'string', 'acls': [
        {'principalType': ACL.USER, 'principalId': user_id, 'accessType': ACL.WRITE,
         'permission': ACL.DENY},
        {'principalType': ACL.USER, 'principalId': user_id, 'accessType': ACL.ALL,
         'permission': ACL.ALLOW}]}}, {
        'acls': [{'principalType': ACL.USER, 'principalId': user_id, 'accessType': ACL.ALL,
                  'permission': ACL.ALLOW}],
        'defaultPermission': 'DENY'})
    lb.await_(ACL.create({'principalType': ACL.USER, 'principalId': user_id,
                          'model': 'Customer', 'property': ACL.ALL, 'accessType': ACL.ALL,
                          'permission': ACL.ALLOW}))
    my_role = lb.await_(Role.create({'name': 'MyRole'}))
    lb.await_(my_role.principals.create({'principalType': RoleMapping.USER,
                                         'principalId': user_id}))
    lb.await_(ACL.create({'principalType': ACL.ROLE, 'principalId': 'MyRole',
                          'model': 'Customer', 'property': ACL.ALL, 'accessType': ACL.READ,
                          'permission': ACL.DENY}))
    access = lb.await_(ACL.checkAccessForContext({
        'principals': [{'type': ACL.USER, 'id': user_id}], 'model': 'Customer',
        'property': 'name', 'accessType': ACL.READ}))
    assert access.permission == ACL.ALLOW
    access = lb.await_(ACL.checkAccessForContext({
        'principals': [{'type': ACL.ROLE, 'id': Role.EVERYONE}], 'model': 'Customer',
        'property': 'name', 'accessType': ACL.READ}))
    assert access.permission == ACL.DENY


# -- access check / authorized roles: over real HTTP ---------------------------------

def _serve(setup):
    def boot(app, done):
        try:
            setup(app)
        except BaseException as exc:     # noqa: BLE001 - reported by LiveApp
            return done(exc)
        done()
    return LiveApp(boot).start()


def test_access_check__should_occur_before_other_remote_hooks():
    seen = []

    def setup(app):
        MyTestModel = lb.PersistedModel.extend('MyTestModel')
        app.set('remoting', {'errorHandler': {'debug': True, 'log': False}})
        app.enableAuth()
        app.dataSource('test', {'connector': 'memory'})
        app.model(MyTestModel, {'dataSource': 'test'})

        def check_access(*args):
            seen.append('checkAccess')
            args[-1](None, True)
        type.__setattr__(MyTestModel, 'checkAccess', check_access)
        MyTestModel.beforeRemote('find', lambda ctx, unused, next_: (
            seen.append('before'), next_()))
    live = _serve(setup)
    try:
        assert live.json('GET', '/api/MyTestModels')[0] == 200
    finally:
        live.stop()
    assert seen == ['checkAccess', 'before']


def _roles_app(acls, default_permission=None):
    """# LoopBack: setupAppAndRequest() + createACLs() + the authorized request."""
    box = {}

    def setup(app):
        app.set('remoting', {'errorHandler': {'debug': True, 'log': True}})
        app.dataSource('db', {'connector': 'memory'})
        app.enableAuth({'dataSource': 'db'})
        models = app.models
        MyTestModel = lb.PersistedModel.extend('MyTestModel')
        app.model(MyTestModel, {'dataSource': 'db'})
        if default_permission:
            MyTestModel.settings['defaultPermission'] = default_permission
        MyTestModel.beforeRemote('find', lambda ctx, unused, next_: (
            box.__setitem__('ctx', ctx), next_()))

    live = _serve(setup)

    def seed(done):
        M = live.app.models

        def user_made(err, user):
            def role_made(err, role):
                role.principals.create({'principalType': 'USER', 'principalId': user.id},
                                       lambda *a: M.User.login(
                                           {'username': 'myUser', 'password': 'pass'},
                                           lambda err, token: acls_made(token)))
            M.Role.create({'name': 'myRole'}, role_made)

        def acls_made(token):
            rows = [{'principalType': 'ROLE', 'principalId': a['principalId'],
                     'model': 'MyTestModel', 'property': '*', 'accessType': '*',
                     'permission': a['permission']} for a in acls]
            M.ACL.create(rows, lambda *a: done(token.id))
        M.User.create({'username': 'myUser', 'email': 'myuser@example.com',
                       'password': 'pass'}, user_made)
    try:
        token = live.on_loop(seed)
        assert live.json('GET', '/api/MyTestModels', headers={'X-Access-Token': token})[0] \
            == 200
    finally:
        live.stop()
    return box['ctx'].args['options']['authorizedRoles']


def test_authorized_roles_propagation_in_remoting_context__contains_all_authorized_roles_for_a_principal_if_query_is_allowed():  # noqa: E501
    assert _roles_app([{'permission': 'ALLOW', 'principalId': '$everyone'},
                       {'permission': 'ALLOW', 'principalId': '$authenticated'},
                       {'permission': 'ALLOW', 'principalId': 'myRole'}]) == \
        {'$everyone': True, '$authenticated': True, 'myRole': True}


def test_authorized_roles_propagation_in_remoting_context__does_not_contain_any_denied_role_even_if_query_is_allowed():  # noqa: E501
    assert _roles_app([{'permission': 'ALLOW', 'principalId': '$everyone'},
                       {'permission': 'DENY', 'principalId': '$authenticated'},
                       {'permission': 'ALLOW', 'principalId': 'myRole'}]) == \
        {'$everyone': True, 'myRole': True}


def test_authorized_roles_propagation_in_remoting_context__honors_default_permission_setting():  # noqa: E501
    assert _roles_app([{'permission': 'DEFAULT', 'principalId': '$everyone'},
                       {'permission': 'DENY', 'principalId': '$authenticated'},
                       {'permission': 'ALLOW', 'principalId': 'myRole'}],
                      default_permission='DENY') == {'myRole': True}
