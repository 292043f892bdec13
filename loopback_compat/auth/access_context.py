"""What an ACL check is about: AccessContext, Principal, AccessRequest.

# LoopBack: loopback/lib/access-context.js

An :class:`AccessContext` holds who asks (its principals: the token's user as
``USER`` or as the token's ``principalType``, the token's application as
``APP``, any principal passed in), what is asked (model, modelId, property,
the shared method and its names, accessType) and the access token.  An
:class:`AccessRequest` is the question put to the ACL rules and, once
resolved, their answer (``permission``).

Model lookups go through :class:`Registry`: the models of the app the model
is attached to, then the model builder's, as LB3's ``registry.findModel``.
"""

from ..js.values import to_string

ALL = '*'
READ, REPLICATE, WRITE, EXECUTE = 'READ', 'REPLICATE', 'WRITE', 'EXECUTE'
DEFAULT, ALLOW, ALARM, AUDIT, DENY = 'DEFAULT', 'ALLOW', 'ALARM', 'AUDIT', 'DENY'

#: # LoopBack: AccessContext.permissionOrder
PERMISSION_ORDER = {DEFAULT: 0, ALLOW: 1, ALARM: 2, AUDIT: 3, DENY: 4}

DEFAULT_SCOPES = ['DEFAULT']


def _js_str(value):
    """JavaScript's ``String(value)`` (ids compared as LB3 compares them)."""
    return to_string(value)


class Registry:
    """The models an ACL check can name: those of ``app`` (when the model is
    attached to one) then those of the model's builder.

    # LoopBack: registry.findModel / getModel / getModelByType
    """

    def __init__(self, model=None, app=None):
        self.app = app if app is not None else getattr(model, '_lb_app', None)
        builder = getattr(model, 'modelBuilder', None) if model is not None else None
        self.builder_models = getattr(builder, 'models', None) or {}

    def _all(self):
        seen = []
        if self.app is not None:
            for m in list(self.app.models.values()):
                if m not in seen:
                    seen.append(m)
        for m in list(self.builder_models.values()):
            if m not in seen:
                seen.append(m)
        return seen

    def findModel(self, name):
        if not isinstance(name, str):
            return name
        if self.app is not None and name in self.app.models:
            return self.app.models[name]
        return self.builder_models.get(name)

    def getModelByType(self, name):
        """The first model extending built-in ``name`` (a sub-model wins),
        else the model of that name, else LB3's exported one."""
        base = self.findModel(name)
        for m in self._all():
            if base is not None and m is not base and isinstance(m, type) \
                    and issubclass(m, base):
                return m
        if base is None:
            for m in self._all():
                if any(getattr(k, 'modelName', None) == name and k.__dict__.get('setup')
                       for k in type.mro(m)):
                    return m
            from . import exported
            return exported(name)
        return base


class Principal:
    """# LoopBack: Principal(type, id, name)"""

    USER = 'USER'
    APP = APPLICATION = 'APP'
    ROLE = 'ROLE'
    SCOPE = 'SCOPE'

    def __init__(self, type_, id_, name=None):
        self.type = type_
        self.id = id_
        self.name = name

    def equals(self, other):
        return isinstance(other, Principal) and self.type == other.type and \
            _js_str(self.id) == _js_str(other.id)

    def __repr__(self):
        return 'Principal(%r, %r)' % (self.type, self.id)


def _get(context, name, default=None):
    if isinstance(context, dict):
        return context.get(name, default)
    return getattr(context, name, default)


def _token_attr(token, name):
    if token is None:
        return None
    if isinstance(token, dict):
        return token.get(name)
    try:
        return getattr(token, name, None)
    except Exception:       # a model property getter that fails is no value
        return None


class AccessContext:
    """# LoopBack: new AccessContext(context)"""

    ALL = ALL
    READ, REPLICATE, WRITE, EXECUTE = READ, REPLICATE, WRITE, EXECUTE
    DEFAULT, ALLOW, ALARM, AUDIT, DENY = DEFAULT, ALLOW, ALARM, AUDIT, DENY
    permissionOrder = PERMISSION_ORDER

    def __init__(self, context=None):
        context = context or {}
        model = _get(context, 'model')
        registry = _get(context, 'registry')
        if registry is None:
            registry = Registry(model if not isinstance(model, str) else None)
        self.registry = registry
        self.principals = [p if isinstance(p, Principal) else
                           Principal(_get(p, 'type'), _get(p, 'id'), _get(p, 'name'))
                           for p in _get(context, 'principals') or []]
        if isinstance(model, str):
            found = registry.findModel(model)
            if found is None:
                from ..errors import LoopBackError
                raise LoopBackError('Model not found: %s' % model)
            model = found
        self.model = model
        self.modelName = getattr(model, 'modelName', None) if model is not None else None
        self.modelId = _get(context, 'id') or _get(context, 'modelId')
        self.property = _get(context, 'property') or ALL
        self.method = _get(context, 'method')
        self.sharedMethod = _get(context, 'sharedMethod')
        self.sharedClass = getattr(self.sharedMethod, 'sharedClass', None)
        if self.sharedMethod is not None:
            self.methodNames = list(getattr(self.sharedMethod, 'aliases', None) or []) + \
                [self.sharedMethod.name]
        else:
            self.methodNames = []
        self.accessType = _get(context, 'accessType') or ALL
        token = _get(context, 'accessToken')
        if not token:
            token = _anonymous(registry)
        self.accessToken = token
        principal_id = _get(context, 'principalId') or None
        if principal_id is not None:
            self.addPrincipal(_get(context, 'principalType') or Principal.USER, principal_id,
                              _get(context, 'principalName') or None)
        user_id = _token_attr(token, 'userId')
        if user_id is not None:
            self.addPrincipal(_token_attr(token, 'principalType') or Principal.USER, user_id)
        app_id = _token_attr(token, 'appId')
        if app_id is not None:
            self.addPrincipal(Principal.APPLICATION, app_id)
        self.remotingContext = _get(context, 'remotingContext')

    def addPrincipal(self, principal_type, principal_id, principal_name=None):
        """# LoopBack: AccessContext.prototype.addPrincipal -> False when already there"""
        principal = Principal(principal_type, principal_id, principal_name)
        if any(p.equals(principal) for p in self.principals):
            return False
        self.principals.append(principal)
        return True

    def getUser(self):
        """# LoopBack: AccessContext.prototype.getUser -> {id, principalType} or None"""
        base_user = self.registry.findModel('User')
        for p in self.principals:
            if p.type in (Principal.APP, Principal.ROLE, Principal.SCOPE):
                continue
            if p.type == Principal.USER:
                return {'id': p.id, 'principalType': p.type}
            user_model = self.registry.findModel(p.type)
            if user_model is None or base_user is None:
                continue
            if user_model is not base_user and issubclass(user_model, base_user):
                return {'id': p.id, 'principalType': p.type}
        return None

    def getUserId(self):
        user = self.getUser()
        return user['id'] if user else None

    def getAppId(self):
        for p in self.principals:
            if p.type == Principal.APPLICATION:
                return p.id
        return None

    def isAuthenticated(self):
        return self.getUserId() is not None or self.getAppId() is not None

    def getScopes(self):
        """# LoopBack: the method's ``accessScopes``, else ['DEFAULT']"""
        if self.sharedMethod is None:
            return DEFAULT_SCOPES
        return getattr(self.sharedMethod, 'accessScopes', None) or DEFAULT_SCOPES

    def isScopeAllowed(self):
        """True when one of the token's scopes (default ['DEFAULT']) is one of the method's."""
        if not self.accessToken:
            return False
        token_scopes = _token_attr(self.accessToken, 'scopes') or DEFAULT_SCOPES
        resource = self.getScopes()
        return isinstance(token_scopes, list) and isinstance(resource, list) and \
            any(s in token_scopes for s in resource)

    def debug(self):
        """# LoopBack: AccessContext.prototype.debug (a no-op without DEBUG)"""


def _anonymous(registry):
    token_model = registry.getModelByType('AccessToken')
    anonymous = getattr(token_model, 'ANONYMOUS', None)
    if anonymous is None:
        from . import exported
        anonymous = exported('AccessToken').ANONYMOUS
    return anonymous


class AccessRequest:
    """# LoopBack: new AccessRequest({model, property, accessType, permission, methodNames})"""

    def __init__(self, model=None, property=None, accessType=None, permission=None,
                 methodNames=None, registry=None):
        if isinstance(model, dict):
            obj = model
            model, property = obj.get('model'), obj.get('property')
            accessType, permission = obj.get('accessType'), obj.get('permission')
            methodNames, registry = obj.get('methodNames'), obj.get('registry')
        self.model = model or ALL
        self.property = property or ALL
        self.accessType = accessType or ALL
        self.permission = permission or DEFAULT
        self.methodNames = list(methodNames or [])
        self.registry = registry

    def isWildcard(self):
        return ALL in (self.model, self.property, self.accessType)

    def exactlyMatches(self, acl):
        """# LoopBack: AccessRequest.prototype.exactlyMatches(acl)"""
        prop = _get(acl, 'property')
        if _get(acl, 'model') == self.model and _get(acl, 'accessType') == self.accessType:
            return prop == self.property or prop in self.methodNames
        return False

    def settleDefaultPermission(self, default_permission=None):
        """DEFAULT becomes the model's ``defaultPermission`` setting, else ALLOW."""
        if self.permission != DEFAULT:
            return
        if not default_permission and self.registry is not None:
            model = self.registry.findModel(self.model)
            default_permission = model.settings.get('defaultPermission') if model else None
        self.permission = default_permission or ALLOW

    def isAllowed(self):
        return self.permission != DENY

    def debug(self):
        """# LoopBack: AccessRequest.prototype.debug (a no-op without DEBUG)"""

    def __repr__(self):
        return 'AccessRequest(%s.%s %s: %s)' % (self.model, self.property, self.accessType,
                                                self.permission)
