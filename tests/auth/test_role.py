"""Access checks on every connector (memory, SQLite, PostgreSQL): LB3's
default User ACLs through ``Model.checkAccess``, static roles through
RoleMapping, ACL rows, custom resolvers, and hostile tokens (another user's,
a spoofed principal type, an application's).
"""

import loopback_compat as lb
from loopback_compat.remoting import shared_class_for
from loopback_compat.testing import fiber_test


def _method(model, name, is_static=True):
    return shared_class_for(model).find(name, is_static)


def _allowed(model, token, model_id, name, is_static=True):
    def run(resolve, reject):
        model.checkAccess(token, model_id, _method(model, name, is_static), {},
                          lambda err=None, ok=None: reject(err) if err else resolve(ok))
    return lb.await_(lb.Promise(run))


def _users(app):
    User = app.models.User
    ann = lb.await_(User.create({'email': 'ann@x.com', 'password': 'pw'}))
    bob = lb.await_(User.create({'email': 'bob@x.com', 'password': 'pw'}))
    return ann, bob, lb.await_(User.login({'email': 'ann@x.com', 'password': 'pw'}))


@fiber_test
def test_access_types_of_every_kind_of_method(auth_app):
    User = auth_app.models.User
    assert [User._getAccessTypeForMethod(_method(User, n)) for n in
            ('find', 'create', 'count', 'login', 'upsertWithWhere')] == \
        ['READ', 'WRITE', 'READ', 'EXECUTE', 'WRITE']
    assert [User._getAccessTypeForMethod(_method(User, n, False)) for n in
            ('__get__accessTokens', '__create__accessTokens', '__destroyById__accessTokens',
             '__count__accessTokens', 'patchAttributes')] == \
        ['READ', 'WRITE', 'WRITE', 'READ', 'WRITE']
    assert User._getAccessTypeForMethod('findById') == 'READ'
    assert User._getAccessTypeForMethod({'name': 'anything', 'http': {'verb': 'head'}}) == 'READ'
    assert User._getAccessTypeForMethod('anything') == 'EXECUTE'


@fiber_test
def test_user_default_acls_owner_other_user_and_anonymous(auth_app):
    User = auth_app.models.User
    ann, bob, token = _users(auth_app)
    assert _allowed(User, token, ann.id, 'findById') is True
    assert _allowed(User, token, bob.id, 'findById') is False       # another user's record
    assert _allowed(User, None, ann.id, 'findById') is False        # anonymous
    assert _allowed(User, token, None, 'find') is False             # $everyone DENY
    assert _allowed(User, None, None, 'create') is True
    assert _allowed(User, None, None, 'login') is True
    assert _allowed(User, token, ann.id, '__get__accessTokens', False) is False
    assert _allowed(User, token, ann.id, 'patchAttributes', False) is True
    assert _allowed(User, token, bob.id, 'patchAttributes', False) is False


@fiber_test
def test_a_spoofed_principal_type_is_no_owner(auth_app):
    """One user model: only a USER principal can own; a token claiming another
    principal type (or an application) owns nothing."""
    User, Token = auth_app.models.User, auth_app.models.AccessToken
    ann, _bob, _token = _users(auth_app)
    for principal_type in ('Customer', 'ROLE', 'APP'):
        spoof = Token({'id': 'x' * 64, 'userId': ann.id, 'principalType': principal_type})
        assert _allowed(User, spoof, ann.id, 'findById') is False, principal_type
    app_token = Token({'id': 'y' * 64, 'appId': 'demo'})
    assert _allowed(User, app_token, ann.id, 'findById') is False


@fiber_test
def test_static_roles_acl_rows_and_custom_resolvers(auth_app):
    M = auth_app.models
    ann, bob, token = _users(auth_app)
    assert _allowed(M.User, token, None, 'find') is False
    role = lb.await_(M.Role.create({'name': 'auditor'}))
    lb.await_(M.ACL.create({'model': 'User', 'property': 'find', 'accessType': 'READ',
                            'principalType': 'ROLE', 'principalId': 'auditor',
                            'permission': 'ALLOW'}))
    assert _allowed(M.User, token, None, 'find') is False            # not mapped yet
    lb.await_(role.principals.create({'principalType': 'USER', 'principalId': str(ann.id)}))
    assert _allowed(M.User, token, None, 'find') is True
    assert _allowed(M.User, None, None, 'find') is False
    # a role mapped to a role: principals of type ROLE
    context = {'principals': [{'type': 'ROLE', 'id': 'auditor'}], 'model': 'User',
               'property': 'find', 'accessType': 'READ'}
    # as LB3: without a shared method the rows are read for property '*' only
    # (methodNames is empty), so the 'find' row is not even considered
    assert lb.await_(M.ACL.checkAccessForContext(context)).permission == 'DENY'
    context['sharedMethod'] = _method(M.User, 'find')
    assert lb.await_(M.ACL.checkAccessForContext(context)).permission == 'ALLOW'
    # LB3's precedence: model, property and accessType come before the principal
    # type, so the role's READ row beats a USER row for any access type...
    lb.await_(M.ACL.create({'model': 'User', 'property': 'find', 'accessType': '*',
                            'principalType': 'USER', 'principalId': str(ann.id),
                            'permission': 'DENY'}))
    assert _allowed(M.User, token, None, 'find') is True
    # ...and at equal specificity the USER row wins
    lb.await_(M.ACL.create({'model': 'User', 'property': 'find', 'accessType': 'READ',
                            'principalType': 'USER', 'principalId': str(ann.id),
                            'permission': 'DENY'}))
    assert _allowed(M.User, token, None, 'find') is False
    # a custom resolver (a Promise)
    M.Role.registerResolver('$bobOnly', lambda role, ctx, *_: lb.Promise.resolve(
        ctx.getUserId() == bob.id))
    lb.await_(M.ACL.create({'model': 'User', 'property': 'count', 'accessType': '*',
                            'principalType': 'ROLE', 'principalId': '$bobOnly',
                            'permission': 'ALLOW'}))
    bob_token = lb.await_(M.User.login({'email': 'bob@x.com', 'password': 'pw'}))
    assert _allowed(M.User, bob_token, None, 'count') is True
    assert _allowed(M.User, token, None, 'count') is False


@fiber_test
def test_check_permission_and_wildcard_requests(auth_app):
    ACL = auth_app.models.ACL
    lb.await_(ACL.create({'model': 'User', 'property': '*', 'accessType': 'WRITE',
                          'principalType': 'USER', 'principalId': 'u1', 'permission': 'DENY'}))
    assert lb.await_(ACL.checkPermission('USER', 'u1', 'User', 'find', 'READ')).permission \
        == 'DENY'      # User's static $everyone DENY decides before the rows
    lb.await_(ACL.create({'model': 'Note', 'property': '*', 'accessType': 'WRITE',
                          'principalType': 'USER', 'principalId': 'u1', 'permission': 'DENY'}))
    assert lb.await_(ACL.checkPermission('USER', 'u1', 'Note', 'x', 'READ')).permission == 'ALLOW'
    assert lb.await_(ACL.checkPermission('USER', 'u1', 'Note', 'x', 'WRITE')).permission == 'DENY'
    assert lb.await_(ACL.checkPermission('USER', 'u1', 'Note', 'x', '*')).permission == 'DENY'
    assert lb.await_(ACL.checkPermission('USER', 'u2', 'Note', 'x', 'WRITE')).permission == \
        'ALLOW'


@fiber_test
def test_a_replaced_check_access_is_inherited_by_sub_models(auth_app):
    Base = lb.PersistedModel.extend('GuardedBase')
    calls = []
    type.__setattr__(Base, 'checkAccess', classmethod(
        lambda cls, token, model_id, method, ctx, cb: (calls.append(cls.modelName),
                                                       cb(None, False))))
    Sub = Base.extend('GuardedSub')
    auth_app.model(Base, {'dataSource': auth_app.dataSources['db']})
    auth_app.model(Sub, {'dataSource': auth_app.dataSources['db']})
    assert _allowed(Sub, None, None, 'find') is False
    assert calls == ['GuardedSub']
    assert Sub._getAccessTypeForMethod('find') == 'READ'
