"""The built-in ACL model: its constants, LB3's rule matching and the access check.

# LoopBack: loopback/common/models/acl.js, acl.json

The definition (model, property, accessType, permission, principalType,
principalId) is LB3's ``acl.json``.  The statics are LB3's:

* ``getMatchingScore(rule, req)``: how specifically a rule matches a request
  (model, then property, then accessType; then the principal type USER > APP
  > ROLE; then the role: a custom role > $owner > $related >
  $authenticated/$unauthenticated > $everyone; then the permission,
  DENY > AUDIT > ALARM > ALLOW), -1 when it does not match;
* ``resolvePermission(acls, req)``: the permission of the best rule (for a
  wildcard request the strongest one), DEFAULT settled to the model's
  ``defaultPermission`` or ALLOW;
* ``getStaticACLs(model, property)``: the ``acls`` of the model's settings
  (and of a property/method's own ``acls``);
* ``checkPermission(principalType, principalId, model, property, accessType, cb)``;
* ``checkAccessForContext(context, cb)``: the rules whose principal is one of
  the context's, or a role the context is in (``Role.isInRole``), resolved;
  the ACL rows are read from the ACL model when it is attached to a data
  source (LB3 requires it to be; here an unattached ACL model has no rows);
* ``checkAccessForToken``, ``isAllowed``, ``resolvePrincipal``.
"""

from ..errors import LoopBackError
from ..loop import nextTick
from ..promise import callback_and_promise
from ._install import enable_remoting, install
from .access_context import (ALL, ALLOW, DEFAULT, DENY, EXECUTE, PERMISSION_ORDER,
                             REPLICATE, WRITE, AccessContext, AccessRequest, Registry)

CONSTANTS = {
    'ALL': '*', 'DEFAULT': 'DEFAULT',
    'ALLOW': 'ALLOW', 'ALARM': 'ALARM', 'AUDIT': 'AUDIT', 'DENY': 'DENY',
    'READ': 'READ', 'REPLICATE': 'REPLICATE', 'WRITE': 'WRITE', 'EXECUTE': 'EXECUTE',
    'USER': 'USER', 'APP': 'APP', 'APPLICATION': 'APP', 'ROLE': 'ROLE', 'SCOPE': 'SCOPE',
    'DEFAULT_SCOPE': 'DEFAULT',
}

_ROLE_WEIGHT = {'$owner': 4, '$related': 3, '$authenticated': 2, '$unauthenticated': 2,
                '$everyone': 1}
_PRINCIPAL_WEIGHT = {'USER': 4, 'APP': 3, 'ROLE': 2}


def _get(rule, name):
    if isinstance(rule, dict):
        return rule.get(name)
    return getattr(rule, name, None)


def _access_type_matches(rule_value, requested):
    """EXECUTE matches READ, REPLICATE and WRITE; WRITE matches REPLICATE."""
    if rule_value == requested:
        return True
    if rule_value == EXECUTE:
        return True
    return rule_value == WRITE and requested == REPLICATE


def _matching_score(ACL, rule, req):
    """# LoopBack: ACL.getMatchingScore(rule, req)"""
    score = 0
    method_names = _get(req, 'methodNames') or []
    for prop in ('model', 'property', 'accessType'):
        score *= 4
        rule_value = _get(rule, prop) or ALL
        requested = _get(req, prop) or ALL
        exact = (prop == 'property' and rule_value in method_names) or \
            (_access_type_matches(rule_value, requested) if prop == 'accessType'
             else rule_value == requested)
        if exact:
            score += 3
        elif rule_value == ALL:
            score += 2
        elif requested == ALL:
            score += 1
        else:
            return -1
    principal_type = _get(rule, 'principalType')
    score = score * 4 + _PRINCIPAL_WEIGHT.get(principal_type, 1)
    score *= 8
    if principal_type == 'ROLE':
        score += _ROLE_WEIGHT.get(_get(rule, 'principalId'), 5)
    score *= 4
    # LB3 indexes permissionOrder with the rule's permission: an unknown one is NaN there
    order = PERMISSION_ORDER.get(_get(rule, 'permission') or ALLOW)
    return score + order - 1 if order is not None else float('nan')


def _sort_key(ACL, req):
    def key(rule):
        score = ACL.getMatchingScore(rule, req)
        return -score if score == score else 0
    return key


def _resolve_permission(ACL, acls, req):
    """# LoopBack: ACL.resolvePermission(acls, req) -> AccessRequest"""
    if not isinstance(req, AccessRequest):
        req = AccessRequest(dict(req, registry=_registry(ACL)) if isinstance(req, dict) else req)
    acls = sorted(acls, key=_sort_key(ACL, req))
    permission = DEFAULT
    for candidate in acls:
        score = ACL.getMatchingScore(candidate, req)
        if score < 0:
            break           # the best remaining rule does not match
        if not req.isWildcard():
            permission = _get(candidate, 'permission')
            break
        if req.exactlyMatches(candidate):
            permission = _get(candidate, 'permission')
            break
        # a wildcard request: the strongest permission
        if PERMISSION_ORDER.get(_get(candidate, 'permission'), -1) > \
                PERMISSION_ORDER.get(permission, -1):
            permission = _get(candidate, 'permission')
            break
    res = AccessRequest(model=req.model, property=req.property, accessType=req.accessType,
                        permission=permission or DEFAULT, registry=req.registry)
    res.settleDefaultPermission()
    return res


def _registry(ACL):
    return Registry(ACL)


def _static_acls(ACL, model, property, registry=None):
    """# LoopBack: ACL.getStaticACLs(model, property)"""
    registry = registry or _registry(ACL)
    model_class = registry.findModel(model)
    found = []
    for acl in (model_class.settings.get('acls') or []) if model_class is not None else []:
        prop = _get(acl, 'property')
        if isinstance(prop, list) and property in prop:
            prop = property
        if not prop or prop == ALL or property == prop:
            found.append(ACL({
                'model': model, 'property': prop or ALL,
                'principalType': _get(acl, 'principalType'),
                'principalId': _get(acl, 'principalId'),
                'accessType': _get(acl, 'accessType') or ALL,
                'permission': _get(acl, 'permission')}))
    prop_acls = _property_acls(model_class, property)
    for acl in prop_acls:
        found.append(ACL({
            'model': model_class.modelName, 'property': property,
            'principalType': _get(acl, 'principalType'),
            'principalId': _get(acl, 'principalId'),
            'accessType': _get(acl, 'accessType'),
            'permission': _get(acl, 'permission')}))
    return found


def _property_acls(model_class, property):
    """``acls`` of a property definition, a scope, or a method (LB3 reads ``fn.acls``)."""
    if model_class is None or not isinstance(property, str):
        return []
    prop = (model_class.definition.properties or {}).get(property)
    if prop is None:
        prop = (getattr(model_class, '_scopeMeta', None) or {}).get(property)
    if prop is None:
        prop = getattr(model_class, property, None)
    acls = _get(prop, 'acls') if prop is not None else None
    return acls if isinstance(acls, list) else []


def _where(clauses):
    """juggler drops undefined where values: so do we."""
    return {k: v for k, v in clauses.items() if v is not None}


def _check_permission(ACL, principal_type, principal_id, model, property, access_type,
                      callback=None):
    """# LoopBack: ACL.checkPermission(principalType, principalId, model, property,
    accessType, cb)"""
    done, promise = callback_and_promise(callback)
    if principal_id is not None and not isinstance(principal_id, str):
        from ..js.values import to_string
        principal_id = to_string(principal_id)
    property = property or ALL
    access_type = access_type or ALL
    registry = _registry(ACL)
    req = AccessRequest(model=model, property=property, accessType=access_type,
                        registry=registry)
    acls = ACL.getStaticACLs(model, property)
    resolved = ACL.resolvePermission(acls, req)
    if resolved.permission == DENY:
        nextTick(done, None, resolved)
        return promise
    where = _where({
        'principalType': principal_type, 'principalId': principal_id, 'model': model,
        'property': None if property == ALL else {'inq': [property, ALL]},
        'accessType': None if access_type == ALL else {'inq': [access_type, ALL, EXECUTE]}})

    def found(err=None, rows=None):
        if err:
            return done(err)
        done(None, ACL.resolvePermission(acls + list(rows or []), req))
    _find_rows(ACL, {'where': where}, found)
    return promise


def _find_rows(ACL, query, cb):
    """ACL rows, or none when the ACL model is attached to no data source."""
    if getattr(ACL, 'dataSource', None) is None:
        return nextTick(cb, None, [])
    try:
        ACL.find(query, cb)
    except Exception as exc:     # noqa: BLE001 - a connector failure reaches cb
        nextTick(cb, exc)


def _is_allowed(ACL, permission, default_permission=None):
    """# LoopBack: ACL.isAllowed(permission, defaultPermission)"""
    if permission == DEFAULT:
        permission = default_permission or ALLOW
    return permission != DENY


def _instance_is_allowed(acl, default_permission=None):
    return type(acl).isAllowed(acl.permission, default_permission)


def _instance_score(acl, req):
    return type(acl).getMatchingScore(acl, req)


def _models(ACL, registry):
    """# LoopBack: ACL.resolveRelatedModels"""
    return {name: registry.getModelByType(name) for name in ('Role', 'RoleMapping', 'User',
                                                             'Application')}


def _check_access_for_context(ACL, context, callback=None):
    """# LoopBack: ACL.checkAccessForContext(context, cb) -> AccessRequest"""
    done, promise = callback_and_promise(callback)
    if not isinstance(context, AccessContext):
        context = AccessContext(_with_registry(ACL, context))
    registry = context.registry
    role_model = _models(ACL, registry)['Role']
    model = context.model
    default_permission = model.settings.get('defaultPermission') if model is not None else None
    property, access_type = context.property, context.accessType
    method_names = context.methodNames
    req = AccessRequest(model=context.modelName, property=property, accessType=access_type,
                        permission=DEFAULT, methodNames=method_names, registry=registry)
    if not context.isScopeAllowed():
        req.permission = DENY
        nextTick(done, None, req)
        return promise
    static_acls = ACL.getStaticACLs(model.modelName, property)
    where = _where({
        'model': {'inq': [model.modelName, ALL]},
        'property': None if property == ALL else {'inq': method_names + [ALL]},
        'accessType': None if access_type == ALL else (
            {'inq': [REPLICATE, WRITE, ALL]} if access_type == REPLICATE
            else {'inq': [access_type, ALL]})})

    def rows_found(err=None, rows=None):
        if err:
            return done(err)
        _collect_effective(ACL, role_model, context, list(rows or []) + static_acls,
                           default_permission, resolved)

    def resolved(err, effective, authorized_roles):
        if err:
            return done(err, None)
        result = ACL.resolvePermission(effective, req)
        _save_authorized_roles(context.remotingContext,
                               authorized_roles if result.isAllowed() else {})
        done(None, result)
    _find_rows(ACL, {'where': where}, rows_found)
    return promise


def _with_registry(ACL, context):
    """# LoopBack: context.registry = this.registry (a model class brings its own)."""
    if isinstance(context, dict) and context.get('registry') is None:
        model = context.get('model')
        context = dict(context, registry=Registry(model if isinstance(model, type) else ACL))
    return context


def _collect_effective(ACL, role_model, context, acls, default_permission, cb):
    """The rules naming one of the context's principals, then those naming a role
    the context is in (asked in parallel, as LB3's async.parallel)."""
    effective, authorized, tasks = [], {}, []
    for acl in acls:
        ptype, pid = _get(acl, 'principalType'), _get(acl, 'principalId')
        if any(p.type == ptype and _str(p.id) == _str(pid) for p in context.principals):
            effective.append(acl)
            continue
        if ptype == 'ROLE':
            tasks.append(acl)
    if not tasks:
        return nextTick(cb, None, effective, authorized)
    state = {'left': len(tasks), 'done': False}

    def one(acl):
        def answered(err=None, in_role=None):
            if state['done']:
                return
            if not err and in_role:
                effective.append(acl)
                if acl.isAllowed(default_permission):
                    authorized[_get(acl, 'principalId')] = True
            state['left'] -= 1
            if err:
                state['done'] = True
                return cb(err, None, None)
            if state['left'] == 0:
                state['done'] = True
                cb(None, effective, authorized)
        return answered
    for acl in tasks:
        role_model.isInRole(_get(acl, 'principalId'), context, one(acl))
    return None


def _str(value):
    from ..js.values import to_string
    return to_string(value)


def _save_authorized_roles(remoting_context, roles):
    """``options.authorizedRoles`` of the remote method's options argument."""
    args = getattr(remoting_context, 'args', None) if remoting_context is not None else None
    options = args.get('options') if isinstance(args, dict) else None
    if isinstance(options, dict):
        options['authorizedRoles'] = roles


def _check_access_for_token(ACL, token, model, model_id, method, callback=None):
    """# LoopBack: ACL.checkAccessForToken(token, model, modelId, method, cb) -> bool"""
    if not token:
        raise LoopBackError('Access token is required')
    done, promise = callback_and_promise(callback)
    registry = Registry(model if not isinstance(model, str) else ACL)
    context = AccessContext({'registry': registry, 'accessToken': token, 'model': model,
                             'property': method, 'method': method, 'modelId': model_id})

    def checked(err=None, request=None):
        if err:
            return done(err)
        done(None, request.isAllowed())
    ACL.checkAccessForContext(context, checked)
    return promise


def _resolve_principal(ACL, type_, id_, cb=None):
    """# LoopBack: ACL.resolvePrincipal(type, id, cb)"""
    done, promise = callback_and_promise(cb)
    type_ = type_ or 'ROLE'
    registry = _registry(ACL)
    models = _models(ACL, registry)
    if type_ == 'ROLE':
        models['Role'].findOne({'where': {'or': [{'name': id_}, {'id': id_}]}}, done)
    elif type_ == 'USER':
        models['User'].findOne({'where': {'or': [{'username': id_}, {'email': id_},
                                                 {'id': id_}]}}, done)
    elif type_ == 'APP':
        models['Application'].findOne({'where': {'or': [{'name': id_}, {'email': id_},
                                                        {'id': id_}]}}, done)
    else:
        user_model = registry.findModel(type_)
        if user_model is not None:
            user_model.findOne({'where': {'or': [{'username': id_}, {'email': id_},
                                                 {'id': id_}]}}, done)
        else:
            nextTick(done, LoopBackError('Invalid principal type: %s' % type_, statusCode=400,
                                         code='INVALID_PRINCIPAL_TYPE'))
    return promise


def _is_mapped_to_role(ACL, principal_type, principal_id, role, cb=None):
    """# LoopBack: ACL.isMappedToRole(principalType, principalId, role, cb)"""
    done, promise = callback_and_promise(cb)
    models = _models(ACL, _registry(ACL))

    def principal_found(err=None, principal=None):
        if err:
            return done(err)
        if principal is not None:
            principal_id_ = principal.id
        else:
            principal_id_ = principal_id

        def role_found(err=None, found_role=None):
            if err or found_role is None:
                return done(err, found_role)
            models['RoleMapping'].findOne({'where': {
                'roleId': found_role.id, 'principalType': principal_type,
                'principalId': _str(principal_id_)}},
                lambda e=None, m=None: done(e, bool(m)))
        ACL.resolvePrincipal('ROLE', role, role_found)
    ACL.resolvePrincipal(principal_type, principal_id, principal_found)
    return promise


def setup(ACL):
    """# LoopBack: acl.js (ACL's constants and statics)."""
    enable_remoting(ACL)
    install(ACL, statics={
        'getMatchingScore': _matching_score, 'resolvePermission': _resolve_permission,
        'getStaticACLs': _static_acls, 'checkPermission': _check_permission,
        'isAllowed': _is_allowed, 'checkAccessForContext': _check_access_for_context,
        'checkAccessForToken': _check_access_for_token,
        'resolvePrincipal': _resolve_principal, 'isMappedToRole': _is_mapped_to_role,
    }, methods={'isAllowed': _instance_is_allowed, 'score': _instance_score},
        constants=CONSTANTS)
