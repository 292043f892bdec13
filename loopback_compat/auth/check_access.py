"""Model.checkAccess, the access type of a remote method, and the REST API's
authorization step once ``app.enableAuth()`` was called.

# LoopBack: lib/model.js (Model.checkAccess, Model._getAccessTypeForMethod,
#           Model._ACL), lib/application.js (remotes.authorization)

* ``Model.checkAccess(token, modelId, sharedMethod, ctx, cb)`` -> ``cb(err, allowed)``:
  ``ACL.checkAccessForContext`` with the token (AccessToken.ANONYMOUS when
  none), the method's name as property and its access type.
* ``Model._getAccessTypeForMethod(method)``: the method's explicit
  ``accessType``, READ for a GET/HEAD route, READ or WRITE for the
  PersistedModel method names LB3 lists, EXECUTE for anything else.
* :func:`authorization(app)`: strong-remoting's ``remotes.authorization``
  hook; it runs after the shared constructor (``findById`` of a prototype
  method) and ``rest.before``, before the constructor's error and the
  ``before`` hooks.  Denied: 401 AUTHORIZATION_REQUIRED 'Authorization
  Required', or the model's / app's ``aclErrorStatus`` (403 ACCESS_DENIED
  'Access Denied', 404 MODEL_NOT_FOUND) when the request has a token.
* :func:`warn_unenforced_acls(app)`: once booted, a warning when models have
  ACLs but the app never called ``enableAuth``.
"""

import logging

from ..errors import LoopBackError
from ..remoting.types import UNDEFINED
from .access_context import Registry

_NAME_TYPES = {
    'create': 'WRITE', 'updateOrCreate': 'WRITE', 'upsertWithWhere': 'WRITE',
    'upsert': 'WRITE', 'exists': 'READ', 'findById': 'READ', 'find': 'READ',
    'findOne': 'READ', 'destroyById': 'WRITE', 'deleteById': 'WRITE',
    'removeById': 'WRITE', 'count': 'READ',
}
_VALID = ('READ', 'REPLICATE', 'WRITE', 'EXECUTE')


def get_access_type_for_method(Model, method):
    """# LoopBack: Model._getAccessTypeForMethod(method)"""
    if isinstance(method, str):
        method = {'name': method}
    get = method.get if isinstance(method, dict) else lambda k: getattr(method, k, None)
    explicit = get('accessType')
    if explicit:
        if explicit not in _VALID:
            raise AssertionError('invalid accessType %s. It must be "READ", "REPLICATE", '
                                 '"WRITE", or "EXECUTE"' % explicit)
        return explicit
    http = get('http')
    verb = http.get('verb') if isinstance(http, dict) else None
    if isinstance(verb, str) and verb.upper() in ('GET', 'HEAD'):
        return 'READ'
    return _NAME_TYPES.get(get('name'), 'EXECUTE')


def acl_model(Model):
    """# LoopBack: Model._ACL(): the app's ACL model (or one based on it)."""
    return Registry(Model).getModelByType('ACL')


def check_access(Model, token, model_id, shared_method, ctx=None, callback=None):
    """# LoopBack: Model.checkAccess(token, modelId, sharedMethod, ctx, cb)"""
    if callback is None and callable(ctx):
        callback, ctx = ctx, {}
    registry = Registry(Model)
    if not token:
        token = registry.getModelByType('AccessToken').ANONYMOUS
    ACL = acl_model(Model)
    name = getattr(shared_method, 'name', None) if not isinstance(shared_method, dict) \
        else shared_method.get('name')

    def checked(err=None, request=None):
        if err:
            return callback(err)
        callback(None, request.isAllowed())
    return ACL.checkAccessForContext({
        'registry': registry, 'accessToken': token, 'model': Model, 'property': name,
        'method': name, 'sharedMethod': shared_method, 'modelId': model_id,
        'accessType': Model._getAccessTypeForMethod(shared_method),
        'remotingContext': ctx or {}}, checked)


def install_on(model):
    """Give ``model`` checkAccess and _getAccessTypeForMethod (LB3 has them on
    Model), unless it has them already, its own or inherited (a base model's
    replaced checkAccess is inherited, as in LB3)."""
    if getattr(model, 'checkAccess', None) is None:
        type.__setattr__(model, 'checkAccess', classmethod(check_access))
    if getattr(model, '_getAccessTypeForMethod', None) is None:
        type.__setattr__(model, '_getAccessTypeForMethod',
                         classmethod(get_access_type_for_method))


def _request_model_id(ctx):
    """# LoopBack: the instance's id, else req.params / body / query ``id``."""
    inst = getattr(ctx, 'instance', None)
    inst_id = getattr(inst, 'id', None) if inst is not None else None
    if inst_id not in (None, '', 0, False):
        return inst_id
    req = ctx.req
    for source in (getattr(req, 'params', None), getattr(req, 'body', None),
                   getattr(req, 'query', None)):
        if isinstance(source, dict) and source.get('id', UNDEFINED) is not UNDEFINED \
                and 'id' in source:
            return source['id']
    return None


_MESSAGES = {
    403: ('Access Denied', 'ACCESS_DENIED'),
    401: ('Authorization Required', 'AUTHORIZATION_REQUIRED'),
}


def _denied(status, model_name, model_id):
    from ..js.values import to_string
    if status == 404:
        message, code = ('could not find %s with id %s' % (model_name, to_string(model_id)),
                         'MODEL_NOT_FOUND')
    else:
        message, code = _MESSAGES.get(status, (None, None))
        fallback = _MESSAGES[403]
        message, code = message or fallback[0], code or fallback[1]
    return LoopBackError(message, statusCode=status, code=code)


def authorization(app):
    """# LoopBack: app.enableAuth()'s remotes.authorization = function(ctx, next)"""
    def authorize(ctx, next_):
        method = ctx.method
        req = ctx.req
        Model = method.ctor
        model_id = _request_model_id(ctx)
        settings = getattr(Model, 'settings', None) or {}
        status = settings.get('aclErrorStatus') or app.get('aclErrorStatus') or 401
        token = getattr(req, 'accessToken', None)
        if not token:
            status = 401
        check = getattr(Model, 'checkAccess', None)
        if check is None:
            return next_()

        def checked(err=None, allowed=None):
            if err:
                return next_(err)
            if allowed:
                return next_()
            next_(_denied(status, Model.modelName, model_id))
        try:
            check(token, model_id, method, ctx, checked)
        except Exception as exc:    # noqa: BLE001 - a failing check is the request's error
            next_(exc)
    return authorize


def warn_unenforced_acls(app):
    """At the end of boot: a warning naming the models whose ``acls`` protect
    nothing because ``app.enableAuth()`` was never called (LB3 ignores them
    silently then; the built-in models' own ACLs are not named)."""
    if getattr(app, 'isAuthEnabled', False):
        return None
    from . import BUILTIN_NAMES
    names = [m.modelName for m in list(app._order)
             if (getattr(m, 'settings', None) or {}).get('acls')
             and m.modelName not in BUILTIN_NAMES]
    if names:
        logging.getLogger('loopback_compat.auth').warning(
            'The ACLs of %s are not enforced: app.enableAuth() was never called, and '
            'LoopBack 3 then allows every request whatever the "acls" say. Call '
            'app.enableAuth() (a boot script) to enforce them.', ', '.join(names))
    return names
