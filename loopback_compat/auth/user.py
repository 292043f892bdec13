"""The built-in User model: passwords, login, logout, tokens.

# LoopBack: loopback/common/models/user.js, user.json (LoopBack 3.28)

The definition is LB3's ``user.json`` (realm, username, password (required,
hidden), email (required), emailVerified, verificationToken (hidden); the
``accessTokens`` hasMany AccessToken; the default ACLs, kept as data).
``setup(UserModel)`` runs for User and again for every model extending it,
as LB3's ``User.setup``:

- ``password`` setter: a bcrypt hash (``$2a$``/``$2b$``, 60 characters) is
  stored as given, any other string is validated (422 INVALID_PASSWORD,
  PASSWORD_TOO_LONG past 72 bytes) and hashed (passwords.py);
- ``email`` setter: lower case unless ``caseSensitiveEmail`` (user.json sets it);
- validations: a valid email; email and username unique ('Email already
  exists', 'User already exists'; scoped to the realm with ``realmRequired``
  and ``realmDelimiter``);
- remote methods ``login`` (POST /login, ``?include=user``), ``logout``
  (ALL /logout, the request's token), ``changePassword`` (POST
  /change-password, the user from the token) and ``setPassword`` (POST
  /reset-password), with LB3's remoting metadata.

Statics: ``login(credentials, [include], cb)``, ``logout(tokenId, cb)``,
``changePassword(id, old, new, [options], cb)``, ``setPassword(id, new,
[options], cb)``, ``normalizeCredentials``, ``hashPassword``,
``validatePassword``; prototype: ``hasPassword(plain, cb)``,
``changePassword``, ``setPassword``, ``createAccessToken(ttl, [options], cb)``.
Verification and password reset (``verify``, ``confirm``, ``resetPassword``,
``getVerifyOptions``, ``generateVerificationToken``) are in user_verify.py.
Operation hooks (on User, inherited by sub-models): email lookups lower-
cased without ``caseSensitiveEmail``, ``rejectPasswordChangesViaPatchOrReplace``,
tokens of a user deleted with it, and every other token of a user whose
password or email changes deleted (the caller's own token kept).
"""

import re

from ..errors import LoopBackError
from ..js.values import to_number, truthy
from ..loop import nextTick
from ..promise import callback_and_promise
from . import passwords, user_verify
from ._install import enable_remoting, install
from .user_hooks import define_hooks

DEFAULT_TTL = 1209600        # 2 weeks in seconds
DEFAULT_MAX_TTL = 31556926   # 1 year in seconds

# isemail's basic shape: a local part and a domain of dot-separated labels
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@"
                    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


def _error(message, status, code=None, **extra):
    return LoopBackError(message, statusCode=status, code=code, **extra)


def _fail(cb, err):
    done, promise = callback_and_promise(cb)
    nextTick(done, err)
    return promise


# -- credentials and login ---------------------------------------------------------

def _split_principal(name, delimiter):
    if not delimiter:
        return None, name
    index = name.find(delimiter)
    if index == -1:
        return None, name
    return name[:index], name[index + len(delimiter):]


def _normalize_credentials(User, credentials, realm_required=False, realm_delimiter=None):
    """# LoopBack: User.normalizeCredentials(credentials, realmRequired, realmDelimiter)"""
    query = {}
    credentials = credentials if isinstance(credentials, dict) else {}
    email, username = credentials.get('email'), credentials.get('username')
    if not realm_required:
        if _truthy(email):
            query['email'] = email
        elif _truthy(username):
            query['username'] = username
        return query
    if _truthy(credentials.get('realm')):
        query['realm'] = credentials['realm']
    for key, value in (('email', email), ('username', username)):
        if _truthy(value):
            if isinstance(value, str):
                realm, value = _split_principal(value, realm_delimiter)
                if realm:
                    query['realm'] = realm
            query[key] = value
            break
    return query


def _truthy(value):
    return value not in (None, False, '', 0) and value == value


def _login(User, credentials, include=None, fn=None):
    """# LoopBack: User.login(credentials, [include], cb)"""
    if fn is None and callable(include):
        fn, include = include, None
    done, promise = callback_and_promise(fn)
    include = include or ''
    if isinstance(include, list):
        include = [str(v).lower() for v in include]
    else:
        include = str(include).lower()
    settings = User.settings
    realm_required = bool(settings.get('realmRequired') or settings.get('realmDelimiter'))
    delimiter = settings.get('realmDelimiter') if realm_required else None
    query = User.normalizeCredentials(credentials, realm_required, delimiter)
    err = _credentials_error(query, realm_required)
    if err is not None:
        nextTick(done, err)
        return promise
    credentials = credentials if isinstance(credentials, dict) else {}

    def default_error():
        return _error('login failed', 401, 'LOGIN_FAILED')

    def token_created(err=None, token=None, *_):
        if err:
            return done(err)
        wanted = 'user' in include if isinstance(include, list) else include == 'user'
        if wanted:
            token.__dict__['__data']['user'] = user_box[0]   # LB3: token.__data.user = user
        return done(None, token)

    user_box = [None]

    def found(err=None, user=None):
        if err or user is None:
            return done(default_error())
        user_box[0] = user

        def checked(err=None, matches=False):
            if err or not matches:
                return done(default_error())
            if settings.get('emailVerificationRequired') and not user.emailVerified:
                return done(_error('login failed as the email has not been verified', 401,
                                   'LOGIN_FAILED_EMAIL_NOT_VERIFIED',
                                   details={'userId': user.id}))
            user.createAccessToken(credentials.get('ttl'), credentials, token_created)
        user.hasPassword(credentials.get('password'), checked)

    User.findOne({'where': query}, found)
    return promise


def _credentials_error(query, realm_required):
    if realm_required:
        if not _truthy(query.get('realm')):
            return _error('realm is required', 400, 'REALM_REQUIRED')
        if not isinstance(query['realm'], str):
            return _error('Invalid realm', 400, 'INVALID_REALM')
    if not _truthy(query.get('email')) and not _truthy(query.get('username')):
        return _error('username or email is required', 400, 'USERNAME_EMAIL_REQUIRED')
    if _truthy(query.get('username')) and not isinstance(query['username'], str):
        return _error('Invalid username', 400, 'INVALID_USERNAME')
    if _truthy(query.get('email')) and not isinstance(query['email'], str):
        return _error('Invalid email', 400, 'INVALID_EMAIL')
    return None


def _logout(User, token_id, fn=None):
    """# LoopBack: User.logout(tokenId, cb): 401 without a token or for an unknown one."""
    if not _truthy(token_id):
        return _fail(fn, _error('accessToken is required to logout', 401))
    done, promise = callback_and_promise(fn)
    relation = User.relations.get('accessTokens')
    if relation is None:
        nextTick(done, _error('Could not find accessToken', 401))
        return promise

    def destroyed(err=None, info=None):
        if err:
            return done(err)
        if isinstance(info, dict) and info.get('count') == 0:
            return done(_error('Could not find accessToken', 401))
        return done(None)
    relation.modelTo.destroyById(token_id, destroyed)
    return promise


# -- the user's tokens and password ---------------------------------------------------

def _create_access_token(user, ttl=None, options=None, cb=None):
    """# LoopBack: User.prototype.createAccessToken(ttl, [options], cb)"""
    if cb is None and callable(options):
        cb, options = options, None
    if not isinstance(ttl, dict):
        data = {'ttl': ttl}
    elif options:
        data = dict(ttl)
    else:
        data = {}
    settings = type(user).settings
    wanted = data.get('ttl') if truthy(data.get('ttl')) else settings.get('ttl')
    # JavaScript's Math.min(ttl, maxTTL): '60' is 60, an object NaN (no ttl)
    wanted, limit = to_number(wanted), to_number(settings.get('maxTTL'))
    ttl = min(wanted, limit) if wanted == wanted else settings.get('ttl')
    data['ttl'] = int(ttl) if isinstance(ttl, float) and ttl.is_integer() else ttl
    return user.accessTokens.create(data, cb) if options is None \
        else user.accessTokens.create(data, _token_options(options), cb)


def _token_options(options):
    # the credentials double as options in LB3; never hand the password on
    return {k: v for k, v in options.items() if k != 'password'} \
        if isinstance(options, dict) else options


def _has_password(user, plain, fn=None):
    """# LoopBack: User.prototype.hasPassword(plain, cb): cb(err, isMatch)"""
    done, promise = callback_and_promise(fn)
    hashed = user.password
    if _truthy(hashed) and _js_truthy(plain):
        passwords.check_password(plain, hashed, done)
    else:
        nextTick(done, None, False)
    return promise


def _js_truthy(value):
    if isinstance(value, (dict, list)):
        return True          # objects and arrays are truthy in JavaScript
    return _truthy(value)


def _find_user(User, user_id, options, cb, then):
    done, promise = callback_and_promise(cb)

    def found(err=None, inst=None):
        if err:
            return done(err)
        if inst is None:
            return done(_error('User %s not found' % _js_str(user_id), 401, 'USER_NOT_FOUND'))
        return then(inst, done)
    User.findById(user_id, options or {}, found)
    return promise


def _js_str(value):
    return 'undefined' if value is None else str(value)


def _static_change_password(User, user_id, old, new, options=None, cb=None):
    """# LoopBack: User.changePassword(userId, oldPassword, newPassword, [options], cb)"""
    if cb is None and callable(options):
        cb, options = options, None
    return _find_user(User, user_id, options, cb,
                      lambda inst, done: inst.changePassword(old, new, options, done))


def _change_password(user, old, new, options=None, cb=None):
    """# LoopBack: User.prototype.changePassword(oldPassword, newPassword, [options], cb)"""
    if cb is None and callable(options):
        cb, options = options, None
    done, promise = callback_and_promise(cb)

    def checked(err=None, matches=False):
        if err:
            return done(err)
        if not matches:
            return done(_error('Invalid current password', 400, 'INVALID_PASSWORD'))
        return user.setPassword(new, options, done)
    user.hasPassword(old, checked)
    return promise


def _static_set_password(User, user_id, new, options=None, cb=None):
    """# LoopBack: User.setPassword(userId, newPassword, [options], cb)"""
    if cb is None and callable(options):
        cb, options = options, None
    if user_id is None or user_id == '':
        return _fail(cb, LoopBackError('userId is a required argument', code='ERR_ASSERTION'))
    if not _js_truthy(new):
        return _fail(cb, LoopBackError('newPassword is a required argument',
                                       code='ERR_ASSERTION'))
    return _find_user(User, user_id, options, cb,
                      lambda inst, done: inst.setPassword(new, options, done))


def _set_password(user, new, options=None, cb=None):
    """# LoopBack: User.prototype.setPassword(newPassword, [options], cb)"""
    if cb is None and callable(options):
        cb, options = options, None
    if not _js_truthy(new):
        return _fail(cb, LoopBackError('newPassword is a required argument',
                                       code='ERR_ASSERTION'))
    try:
        type(user).validatePassword(new)
    except LoopBackError as err:
        return _fail(cb, err)
    done, promise = callback_and_promise(cb)
    options = dict(options or {}, setPassword=True)
    user.patchAttributes({'password': new}, options, lambda err=None, *_: done(err))
    return promise


def _hash_password(User, plain):
    """# LoopBack: User.hashPassword(plain)"""
    return passwords.hash_password(plain, User.settings.get('saltWorkFactor'))


def _validate_password(User, plain):
    """# LoopBack: User.validatePassword(plain) (raises 422 INVALID_PASSWORD / PASSWORD_TOO_LONG)"""
    passwords.validate_password(plain)


# -- setup -------------------------------------------------------------------------------

def _email_validator(inst, err):
    """# LoopBack: user.js emailValidator"""
    value = inst.email
    if value is None or value == '':
        return
    if not isinstance(value, str):
        return err('string')
    if not _EMAIL.match(value):
        return err('email')


def _email_setter(inst, value):
    if not type(inst).settings.get('caseSensitiveEmail') and isinstance(value, str):
        value = value.lower()
    inst['$email'] = value


def _password_setter(inst, plain):
    if not isinstance(plain, str):
        return
    inst['$password'] = plain if passwords.is_hash(plain) else type(inst).hashPassword(plain)


def _reset_email_verified(ctx, user, next_):
    body = ctx.req.body
    if isinstance(body, dict) and _js_truthy(body.get('emailVerified')):
        body['emailVerified'] = False
    next_()


def _user_id_from_request(UserModel):
    def from_context(ctx):
        token = getattr(ctx.req, 'accessToken', None)
        if not token:
            # LB3's getUserIdFromRequestContext: no id; with enableAuth the
            # default ACLs ($authenticated only) answer 401 before the method
            return None
        principal = getattr(token, 'principalType', None)
        if principal is not None and principal != UserModel.modelName:
            raise _error('Access Denied', 403)
        return token.userId
    return from_context


def _logout_token_id(ctx):
    token = getattr(ctx.req, 'accessToken', None)
    return token.id if token else None


def _remote_methods(UserModel):
    user_id = _user_id_from_request(UserModel)
    scopes = ['reset-password'] if UserModel.settings.get('restrictResetPasswordTokenScope') \
        else None
    return {
        'login': {
            'description': 'Login a user with username/email and password.',
            'accepts': [
                {'arg': 'credentials', 'type': 'object', 'required': True,
                 'http': {'source': 'body'}},
                {'arg': 'include', 'type': ['string'], 'http': {'source': 'query'},
                 'description': 'Related objects to include in the response. '
                                'See the description of return value for more details.'},
            ],
            'returns': {'arg': 'accessToken', 'type': 'object', 'root': True},
            'http': {'verb': 'post'},
        },
        'logout': {
            'description': 'Logout a user with access token.',
            'accepts': [{'arg': 'access_token', 'type': 'string', 'http': _logout_token_id,
                         'description': 'Do not supply this argument, it is automatically '
                                        'extracted from request headers.'}],
            'http': {'verb': 'all'},
        },
        'changePassword': {
            'description': "Change a user's password.",
            'accepts': [
                {'arg': 'id', 'type': 'any', 'http': user_id},
                {'arg': 'oldPassword', 'type': 'string', 'required': True,
                 'http': {'source': 'form'}},
                {'arg': 'newPassword', 'type': 'string', 'required': True,
                 'http': {'source': 'form'}},
                {'arg': 'options', 'type': 'object', 'http': 'optionsFromRequest'},
            ],
            'http': {'verb': 'POST', 'path': '/change-password'},
        },
        'setPassword': {
            'description': "Reset user's password via a password-reset token.",
            'accepts': [
                {'arg': 'id', 'type': 'any', 'http': user_id},
                {'arg': 'newPassword', 'type': 'string', 'required': True,
                 'http': {'source': 'form'}},
                {'arg': 'options', 'type': 'object', 'http': 'optionsFromRequest'},
            ],
            'accessScopes': scopes,
            'http': {'verb': 'POST', 'path': '/reset-password'},
        },
    }


def setup(UserModel):
    """# LoopBack: User.setup() (runs for User and every model extending it)"""
    settings = UserModel.settings
    settings['maxTTL'] = settings.get('maxTTL') or DEFAULT_MAX_TTL
    settings['ttl'] = settings.get('ttl') or DEFAULT_TTL
    install(UserModel, statics=dict({
        'login': _login, 'logout': _logout, 'normalizeCredentials': _normalize_credentials,
        'changePassword': _static_change_password, 'setPassword': _static_set_password,
        'hashPassword': _hash_password, 'validatePassword': _validate_password,
    }, **user_verify.STATICS), methods=dict({
        'createAccessToken': _create_access_token, 'hasPassword': _has_password,
        'changePassword': _change_password, 'setPassword': _set_password,
    }, **user_verify.METHODS))
    UserModel.setter['email'] = _email_setter
    UserModel.setter['password'] = _password_setter
    enable_remoting(UserModel)
    UserModel.beforeRemote('create', _reset_email_verified)
    specs = _remote_methods(UserModel)
    for name in ('login', 'logout'):        # LB3's order: verify, confirm, reset next
        UserModel.remoteMethod(name, specs.pop(name))
    user_verify.setup(UserModel)
    for name, spec in specs.items():
        UserModel.remoteMethod(name, spec)
    UserModel.validate('email', _email_validator, {'message': 'Must provide a valid email'})
    if settings.get('realmRequired') and settings.get('realmDelimiter'):
        UserModel.validatesUniquenessOf('email', {'message': 'Email already exists',
                                                  'scopedTo': ['realm']})
        UserModel.validatesUniquenessOf('username', {'message': 'User already exists',
                                                     'scopedTo': ['realm']})
    else:
        UserModel.validatesUniquenessOf('email', {'message': 'Email already exists'})
        UserModel.validatesUniquenessOf('username', {'message': 'User already exists'})
    return UserModel


def setup_once(User):
    """What LB3's user.js does on User itself (not per sub-model): its operation hooks."""
    define_hooks(User)
