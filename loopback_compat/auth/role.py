"""The built-in Role model: its definition, LB3's role constants, the dynamic
roles' resolvers and role membership.

# LoopBack: loopback/common/models/role.js, role.json

* ``Role.registerResolver(name, fn(role, context, cb))``: a dynamic role (the
  resolver may answer through ``cb`` or return a Promise); the built-in
  ``$owner``, ``$authenticated``, ``$unauthenticated`` and ``$everyone``.
* ``Role.isOwner(modelClass, modelId, userId, principalType, [options], cb)``:
  the instance is the user itself (a User-based model), or its ``userId`` /
  ``owner`` property is the user (principal type USER), or a belongsTo
  relation to a User-based model leads to the user (only the relations
  named in the ``ownerRelations`` setting, or all when it is ``true``).
* ``Role.isInRole(role, context, cb)``: a resolver's answer, else a ROLE
  principal of that name, else a RoleMapping of one of the principals to the
  role of that name.  As LB3's callback style, a match answers the
  RoleMapping found (truthy) and no match ``None``; the Promise answers a bool.
* ``Role.getRoles(context, [options], cb)``: every dynamic role the context is
  in, then the ids (or names, ``returnOnlyRoleNames``) of its mapped roles.
* ``role.users()`` / ``applications()`` / ``roles()``: the principals mapped to it.
"""

from ..js.values import truthy
from ..loop import nextTick
from ..promise import callback_and_promise, is_thenable
from ._install import enable_remoting, install
from .access_context import AccessContext, Principal

CONSTANTS = {
    'OWNER': '$owner', 'RELATED': '$related', 'AUTHENTICATED': '$authenticated',
    'UNAUTHENTICATED': '$unauthenticated', 'EVERYONE': '$everyone',
}


def _context(Role, context):
    if isinstance(context, AccessContext):
        return context
    if isinstance(context, dict) and context.get('registry') is None:
        from .access_context import Registry
        model = context.get('model')
        context = dict(context, registry=Registry(model if not isinstance(model, str)
                                                  else Role))
    return AccessContext(context)


def _register_resolver(Role, role, resolver):
    """# LoopBack: Role.registerResolver(role, resolver)"""
    Role.resolvers[role] = resolver


def _matches(id1, id2):
    """# LoopBack: role.js matches(id1, id2): '' / null / undefined never match."""
    if id1 in (None, '') or id2 in (None, ''):
        return False
    from ..js.values import to_string
    return id1 == id2 or to_string(id1) == to_string(id2)


def _user_base(model_class):
    builder = getattr(model_class, 'modelBuilder', None)
    models = getattr(builder, 'models', None) or {}
    user = models.get('User')
    if user is None:
        app = getattr(model_class, '_lb_app', None)
        user = app.models.get('User') if app is not None else None
    return user


def _is_user_class(model_class):
    if not isinstance(model_class, type):
        return False
    user = _user_base(model_class)
    return user is not None and (model_class is user or issubclass(model_class, user))


def _is_multiple_users(Role, user_model=None):
    """A polymorphic accessTokens relation means several user models."""
    if user_model is None:
        from .access_context import Registry
        user_model = Registry(Role).getModelByType('User')
    rel = (getattr(user_model, 'relations', None) or {}).get('accessTokens')
    return bool(rel is not None and getattr(rel, 'polymorphic', None))


def _is_owner(Role, model_class, model_id, user_id, principal_type=None, options=None,
              callback=None):
    """# LoopBack: Role.isOwner(modelClass, modelId, userId, principalType, [options], cb)"""
    if callback is None and callable(options):
        callback, options = options, {}
    elif callback is None and callable(principal_type):
        callback, principal_type, options = principal_type, None, {}
    principal_type = principal_type or Principal.USER
    options = options or {}
    done, promise = callback_and_promise(callback)
    if not user_id:
        nextTick(done, None, False)
        return promise
    multiple = _is_multiple_users(Role)
    if multiple == (principal_type == Principal.USER):
        nextTick(done, None, False)
        return promise
    if _is_user_class(model_class) and principal_type in (Principal.USER,
                                                          model_class.modelName):
        nextTick(done, None, _matches(model_id, user_id))
        return promise

    def found(err=None, inst=None):
        if err or inst is None:
            return done(err, False)
        if not model_class.settings.get('ownerRelations'):
            return _legacy_ownership(Role, model_class, inst, user_id, principal_type, done)
        return _owner_relations(Role, model_class, inst, user_id, principal_type, done)
    model_class.findById(model_id, options, found)
    return promise


def _user_relations(Role, model_class, principal_type):
    """belongsTo relations to a User-based model that count for ``principal_type``."""
    names = []
    for name, rel in (model_class.relations or {}).items():
        target = getattr(rel, 'modelTo', None)
        if getattr(rel, 'type', None) != 'belongsTo' or not _is_user_class(target):
            continue
        multiple = _is_multiple_users(Role, target)
        if (not multiple and principal_type == Principal.USER) or \
                (multiple and principal_type == target.modelName):
            names.append(name)
    return names


def _related_user(inst, name, cb):
    def got(err=None, user=None, *rest):
        if err or user is None:
            return cb(err, False)
        return cb(None, user)
    getattr(inst, name)(got)


def _attr(inst, name):
    try:
        return getattr(inst, name, None)
    except Exception:     # noqa: BLE001 - a failing getter is no owner
        return None


def _legacy_ownership(Role, model_class, inst, user_id, principal_type, done):
    """LB3's historical check: ``userId``/``owner`` property, else the first
    belongsTo relation to a user."""
    owner_id = _attr(inst, 'userId')
    if not truthy(owner_id):
        owner_id = _attr(inst, 'owner')
    if principal_type == Principal.USER and truthy(owner_id) and not callable(owner_id):
        return done(None, _matches(owner_id, user_id))
    names = _user_relations(Role, model_class, principal_type)
    if not names:
        return done(None, False)
    _related_user(inst, names[0],
                  lambda err, user: done(err, False) if err or user is False
                  else done(None, _matches(user.id, user_id)))
    return None


def _owner_relations(Role, model_class, inst, user_id, principal_type, done):
    """``ownerRelations``: any of the listed (or, when ``true``, all) relations."""
    wanted = model_class.settings.get('ownerRelations')
    names = [n for n in _user_relations(Role, model_class, principal_type)
             if wanted is True or (isinstance(wanted, list) and n in wanted)]

    def step(index):
        if index >= len(names):
            return done(None, False)

        def answered(err, user):
            if err:
                return done(err, False)
            if user is not False and _matches(user.id, user_id):
                return done(None, True)
            step(index + 1)
        _related_user(inst, names[index], answered)
    step(0)


def _owner_resolver(Role):
    def resolve(role, context, callback):
        if not context or context.model is None or not context.modelId:
            return nextTick(callback, None, False)
        user = context.getUser()
        Role.isOwner(context.model, context.modelId, user and user['id'],
                     user and user['principalType'], {'accessToken': context.accessToken},
                     callback)
    return resolve


def _is_authenticated(Role, context, callback=None):
    """# LoopBack: Role.isAuthenticated(context, cb)"""
    answer = _context(Role, context).isAuthenticated()
    if callback is not None:
        return nextTick(callback, None, answer)
    done, promise = callback_and_promise(None)
    nextTick(done, None, answer)
    return promise


def _is_in_role(Role, role, context, callback=None):
    """# LoopBack: Role.isInRole(role, context, cb)"""
    context = _context(Role, context)
    if callback is None:
        done, promise = callback_and_promise(None)
        promise = promise.then(bool)
    else:
        # LB3 hands the caller's callback to the resolver itself: the answers
        # of the built-in resolvers come in their order (getRoles lists them so)
        done, promise = callback, None
    resolver = Role.resolvers.get(role)
    if resolver is not None:
        state = {'answered': False}

        def once(err=None, result=None):
            if not state['answered']:
                state['answered'] = True
                done(err, result)
        answer = resolver(role, context, once)
        if is_thenable(answer):
            answer.then(lambda result: once(None, result), lambda err: once(err))
        return promise
    if not context.principals:
        nextTick(done, None, False)
        return promise
    if any(p.type == 'ROLE' and p.id == role for p in context.principals):
        nextTick(done, None, True)
        return promise
    mapping_model = _mapping_model(Role)

    def role_found(err=None, found=None):
        if err:
            return done(err)
        if found is None:
            return done(None, False)
        _first_mapping(mapping_model, str(found.id), list(context.principals), done)
    _find_one(Role, {'where': {'name': role}}, role_found)
    return promise


def _find_one(model, query, cb):
    if getattr(model, 'dataSource', None) is None:   # LB3 requires it attached
        return nextTick(cb, None, None)
    return model.findOne(query, cb)


def _first_mapping(mapping_model, role_id, principals, done):
    """async.some over the principals: the first mapping found, else None."""
    pending = [p for p in principals if p.type and p.id not in (None, '', 0)]
    if not pending:
        return nextTick(done, None, None)
    state = {'left': len(pending), 'done': False}

    def answered(err=None, mapping=None):
        if state['done']:
            return
        state['left'] -= 1
        if not err and mapping is not None:
            state['done'] = True
            return done(None, mapping)
        if state['left'] == 0:
            state['done'] = True
            done(None, None)
    from ..js.values import to_string
    for p in pending:
        _find_one(mapping_model, {'where': {'roleId': role_id, 'principalType': p.type,
                                            'principalId': to_string(p.id)}}, answered)
    return None


def _mapping_model(Role):
    from .access_context import Registry
    return Registry(Role).getModelByType('RoleMapping')


def _get_roles(Role, context, options=None, callback=None):
    """# LoopBack: Role.getRoles(context, [options], cb) -> role names and ids"""
    if callback is None and callable(options):
        callback, options = options, {}
    options = options or {}
    done, promise = callback_and_promise(callback)
    context = _context(Role, context)
    roles = []

    def add(role):
        if role and role not in roles:
            roles.append(role)
    tasks = []
    for name in list(Role.resolvers):
        tasks.append(lambda cb, name=name: Role.isInRole(
            name, context, lambda err=None, yes=None: (add(name), cb())
            if not err and yes else cb(err)))
    mapping_model = _mapping_model(Role)
    from ..js.values import to_string
    for p in context.principals:
        pid = None if p.id is None else to_string(p.id)
        if p.type == 'ROLE' and pid:
            add(pid)
        if p.type and pid:
            tasks.append(lambda cb, p=p, pid=pid: _mapped_roles(
                mapping_model, p.type, pid, options, add, cb))
    _parallel(tasks, lambda err=None: done(err, roles))
    return promise


def _mapped_roles(mapping_model, ptype, pid, options, add, cb):
    query = {'where': {'principalType': ptype, 'principalId': pid}}
    names_only = options.get('returnOnlyRoleNames') is True
    if names_only:
        query['include'] = ['role']
    if getattr(mapping_model, 'dataSource', None) is None:
        return nextTick(cb)

    def found(err=None, mappings=None):
        if err:
            return cb(err)
        for m in mappings or []:
            add(m.toJSON()['role']['name'] if names_only else m.roleId)
        cb()
    mapping_model.find(query, found)
    return None


def _parallel(tasks, done):
    """async.parallel: ``done(err)`` at the first error or once all finished."""
    if not tasks:
        return nextTick(done)
    state = {'left': len(tasks), 'done': False}

    def finished(err=None):
        if state['done']:
            return
        state['left'] -= 1
        if err or state['left'] == 0:
            state['done'] = True
            done(err)
    for task in tasks:
        task(finished)
    return None


def _principals_of(role, rel, query=None, callback=None):
    """# LoopBack: role.users() / role.applications() / role.roles()"""
    if callback is None and callable(query):
        callback, query = query, {}
    done, promise = callback_and_promise(callback)
    query = dict(query or {})
    where = dict(query.get('where') or {})
    Role = type(role)
    from .access_context import Registry
    registry = Registry(Role)
    models = {'users': registry.getModelByType('User'),
              'applications': registry.getModelByType('Application'), 'roles': Role}
    types = {'users': 'USER', 'applications': 'APP', 'roles': 'ROLE'}
    model, ptype = models[rel], types[rel]
    custom = where.get('principalType')
    if rel == 'users' and custom and custom != 'USER':
        model, ptype = registry.findModel(custom), custom
    where.pop('principalType', None)
    if model is None:
        nextTick(done, None, [])
        return promise

    def mapped(err=None, mappings=None):
        if err:
            return done(err)
        query['where'] = dict(where, id={'inq': [m.principalId for m in mappings or []]})
        model.find(query, done)
    _mapping_model(Role).find({'where': {'roleId': role.id, 'principalType': ptype}}, mapped)
    return promise


def _everyone(role, context, callback):
    nextTick(callback, None, True)


def _unauthenticated(role, context, callback):
    nextTick(callback, None, not context or not context.isAuthenticated())


def setup(Role):
    """# LoopBack: role.js on Role (and on every model based on it)."""
    enable_remoting(Role)
    install(Role, statics={
        'registerResolver': _register_resolver, 'isOwner': _is_owner,
        'isAuthenticated': _is_authenticated, 'isInRole': _is_in_role, 'getRoles': _get_roles,
    }, methods={
        'users': lambda role, q=None, cb=None: _principals_of(role, 'users', q, cb),
        'applications': lambda role, q=None, cb=None: _principals_of(role, 'applications', q, cb),
        'roles': lambda role, q=None, cb=None: _principals_of(role, 'roles', q, cb),
    }, constants=CONSTANTS)
    if getattr(Role, 'resolvers', None) is None:
        # one table shared by Role and the models based on it, as LB3's closure
        type.__setattr__(Role, 'resolvers', {})
        Role.registerResolver('$owner', _owner_resolver(Role))
        Role.registerResolver('$authenticated', lambda role, context, callback: (
            nextTick(callback, None, False) if not context
            else Role.isAuthenticated(context, callback)))
        Role.registerResolver('$unauthenticated', _unauthenticated)
        Role.registerResolver('$everyone', _everyone)
    Role.validatesUniquenessOf('name', {'message': 'already exists'})
