"""The operation hooks LB3's user.js registers on User (sub-models inherit them).

# LoopBack: user.js User.observe('access' | 'before save' | 'after save' | 'before delete')

- access: an email in a query's where is lower-cased unless the model's
  ``caseSensitiveEmail`` (normalizeEmailCase);
- before save: with ``rejectPasswordChangesViaPatchOrReplace``, a password
  change other than through setPassword is 401 PASSWORD_CHANGE_NOT_ALLOWED;
  the users about to change are read first (prepareForTokenInvalidation),
  and a changed email resets ``emailVerified`` with
  ``emailVerificationRequired``;
- after save: the access tokens of users whose email or password changed are
  deleted, except the caller's own (``options.accessToken``) and unless
  ``options.preserveAccessTokens`` (invalidateOtherTokens);
- before delete: the tokens of deleted users are deleted.
"""

from ..errors import LoopBackError


def _normalize_email_case(ctx, next_):
    query = ctx.query or {}
    where = query.get('where') if isinstance(query, dict) else None
    if not ctx.Model.settings.get('caseSensitiveEmail') and isinstance(where, dict) \
            and isinstance(where.get('email'), str):
        where['email'] = where['email'].lower()
    next_()


def _reject_insecure_password_change(ctx, next_):
    if not ctx.Model.settings.get('rejectPasswordChangesViaPatchOrReplace') or ctx.isNewInstance:
        return next_()
    data = ctx.data if ctx.data is not None else ctx.instance
    keys = list(data.keys()) if isinstance(data, dict) else \
        list((data.toObject(True) if data is not None else {}).keys())
    is_change = 'password' in keys
    if (ctx.options or {}).get('setPassword'):
        if len(keys) > 1 or not is_change:
            return next_(LoopBackError('Invalid use of "options.setPassword". Only "password" '
                                       'can be changed when using this option.'))
        return next_()
    if not is_change:
        return next_()
    return next_(LoopBackError('Changing user password via patch/replace API is not '
                               'allowed. Use changePassword() or setPassword() instead.',
                               statusCode=401, code='PASSWORD_CHANGE_NOT_ALLOWED'))


def _value(obj, name):
    return obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)


def _prepare_for_token_invalidation(ctx, next_):
    if ctx.isNewInstance or (ctx.where is None and ctx.instance is None):
        return next_()
    model = ctx.Model
    pk = model.definition.idName() or 'id'
    where = ctx.where if ctx.where is not None else {pk: ctx.instance[pk]}

    def found(err=None, users=None):
        if err:
            return next_(err)
        originals = [{pk: u[pk], 'email': u.email, 'password': u.password}
                     for u in users or []]
        ctx.hookState['originalUserData'] = originals
        verify = model.settings.get('emailVerificationRequired')
        if ctx.instance is not None:
            changed = ctx.instance.email != originals[0]['email'] if originals else True
            if changed and verify:
                ctx.instance.emailVerified = False
        elif _value(ctx.data, 'email'):
            changed = any(o['email'] != ctx.data['email'] for o in originals)
            if changed and verify:
                ctx.data['emailVerified'] = False
        next_()
    model.find({'where': where}, ctx.options or {}, found)


def _invalidate_other_tokens(ctx, next_):
    data = ctx.instance if ctx.instance is not None else ctx.data
    originals = (ctx.hookState or {}).get('originalUserData')
    if data is None or not originals:
        return next_()
    model = ctx.Model
    pk = model.definition.idName() or 'id'
    new_email, new_password = _value(data, 'email'), _value(data, 'password')
    if not new_email and not new_password:
        return next_()
    options = ctx.options or {}
    if options.get('preserveAccessTokens'):
        return next_()
    ids = [o[pk] for o in originals
           if (new_email and o['email'] != new_email) or
           (new_password and o['password'] != new_password)]
    invalidate_tokens_of_users(model, ids, options, next_)


def invalidate_tokens_of_users(model, user_ids, options, cb):
    """# LoopBack: User._invalidateAccessTokensOfUsers(userIds, options, cb)"""
    relation = model.relations.get('accessTokens')
    if not user_ids or relation is None:
        return cb()
    token_model = relation.modelTo
    query = {'userId': {'inq': list(user_ids)}}
    current = (options or {}).get('accessToken')
    token_pk = token_model.definition.idName() or 'id'
    current_id = _value(current, token_pk) if current is not None else None
    if current_id is not None:
        query[token_pk] = {'neq': current_id}
    token_model.deleteAll(query, options or {}, lambda err=None, *_: cb(err))
    return None


def _delete_tokens_of_deleted_users(ctx, next_):
    model = ctx.Model
    relation = model.relations.get('accessTokens')
    if relation is None:
        return next_()
    pk = model.definition.idName() or 'id'

    def found(err=None, users=None):
        if err:
            return next_(err)
        ids = [u[pk] for u in users or []]
        ctx.where = {pk: {'inq': ids}}
        relation.modelTo.destroyAll({'userId': {'inq': ids}}, lambda err=None, *_: next_(err))
    model.find({'where': ctx.where, 'fields': [pk]}, found)


def define_hooks(User):
    User.observe('access', _normalize_email_case)
    User.observe('before save', _reject_insecure_password_change)
    User.observe('before save', _prepare_for_token_invalidation)
    User.observe('after save', _invalidate_other_tokens)
    User.observe('before delete', _delete_tokens_of_deleted_users)
