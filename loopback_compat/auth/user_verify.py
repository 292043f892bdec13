"""User identity verification and password reset: verify, confirm, resetPassword.

# LoopBack: loopback/common/models/user.js 3.28 (User.getVerifyOptions,
#           User.prototype.verify, User.generateVerificationToken,
#           User.confirm, User.resetPassword) and templates/verify.ejs

- ``user.verify(verifyOptions, [options], [cb])``: a token from
  ``generateVerificationToken`` (128 hex characters from the CSPRNG) is saved
  as ``verificationToken`` and an email with the verify link is sent through
  ``verifyOptions.mailer`` (default: the app's Email model, attached to a
  mail data source).  The link is
  ``protocol://host[:port]<restApiRoot>/Users/confirm?uid=..&redirect=..&token=..``
  (port 80/443 left out for http/https).  The callback gets ``{email, token,
  uid}``.  The HTML body is LB3's default ``verify.ejs`` rendered as EJS does
  (the link HTML-escaped), or ``templateFn(verifyOptions, [options], cb)``;
  ``template`` may also be a callable ``fn(verifyOptions) -> html`` or the
  path of a template using only ``<%= name %>`` / ``<%- name %>``.
- ``User.confirm(uid, token, redirect, cb)``: the user's token is cleared and
  ``emailVerified`` set; 404 USER_NOT_FOUND 'User not found: <uid>', 400
  INVALID_TOKEN 'Invalid token: <token>'.  Over REST ``GET /Users/confirm``
  answers 302 to ``redirect`` when given, else 204.
- ``User.resetPassword({email, realm}, cb)``: 400 EMAIL_REQUIRED unless
  ``email`` is a string, 404 EMAIL_NOT_FOUND, 401
  RESET_FAILED_EMAIL_NOT_VERIFIED with ``emailVerificationRequired``; else a
  token of ``resetPasswordTokenTTL`` (900 s) seconds (scopes
  ``['reset-password']`` with ``restrictResetPasswordTokenScope``), the
  callback, then the model emits ``resetPasswordRequest`` with ``{email,
  accessToken, user, options}``.  REST: ``POST /Users/reset`` (204).
"""

import inspect
import os
import re
import secrets
from urllib.parse import urlencode

from ..errors import LoopBackError
from ..js.values import UNDEFINED
from ..loop import nextTick
from ..promise import callback_and_promise

DEFAULT_RESET_PW_TTL = 15 * 60

_HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_TEMPLATE = os.path.join(_HERE, 'templates', 'verify.ejs')


def _error(message, status, code=None):
    return LoopBackError(message, statusCode=status, code=code)


def _assert(ok, message):
    if not ok:
        raise LoopBackError(message, code='ERR_ASSERTION')


def _arity(fn):
    """JavaScript's ``fn.length``: positional parameters before the first default."""
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 0
    count = 0
    for param in params:
        if param.kind not in (param.POSITIONAL_ONLY, param.POSITIONAL_OR_KEYWORD) \
                or param.default is not param.empty:
            break
        count += 1
    return count


# -- the template ------------------------------------------------------------------

_EJS_ESCAPES = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;'}
_TAG = re.compile(r'<%([=-]?)\s*(.*?)\s*-?%>', re.S)


def _ejs_escape(value):
    return re.sub(r'[&<>"\']', lambda m: _EJS_ESCAPES[m.group(0)],
                  '' if value is None else str(value))


def render_template(text, data):
    """EJS's output for a template using only ``<%= name %>`` (escaped) and
    ``<%- name %>`` (raw); any other tag is refused (no code runs)."""
    def replace(match):
        kind, name = match.group(1), match.group(2)
        if not kind or not re.fullmatch(r'[A-Za-z_$][\w$]*', name):
            raise LoopBackError('Unsupported template tag: <%%%s %s %%>' % (kind, name))
        value = data.get(name)
        return _ejs_escape(value) if kind == '=' else ('' if value is None else str(value))
    return _TAG.sub(replace, text)


def _create_verification_email_body(verify_options, options, cb):
    """# LoopBack: createVerificationEmailBody (loopback.template(path)(verifyOptions))"""
    template = verify_options.get('template')
    try:
        if callable(template):
            body = template(verify_options)
        else:
            with open(template or DEFAULT_TEMPLATE, encoding='utf-8') as fh:
                body = render_template(fh.read(), verify_options)
    except (OSError, LoopBackError) as err:
        return cb(err)
    cb(None, body)


# -- verify ------------------------------------------------------------------------

def _get_verify_options(UserModel):
    """# LoopBack: User.getVerifyOptions()"""
    return dict(UserModel.settings.get('verifyOptions') or
                {'type': 'email', 'from': 'noreply@example.com'})


def _generate_verification_token(UserModel, user, options=None, cb=None):
    """# LoopBack: User.generateVerificationToken(user, options, cb): 64 random bytes, hex"""
    if cb is None and callable(options):
        cb, options = options, None
    nextTick(cb, None, secrets.token_hex(64))


def default_mailer(UserModel):
    """The Email model verify sends through: the app's (a model named Email or
    based on it, one attached to a mail data source first), else lb.Email."""
    candidates = []
    app = getattr(UserModel, 'app', None)
    for source in (getattr(app, 'models', None), getattr(UserModel, 'modelBuilder', None)):
        models = getattr(source, 'models', source)
        if isinstance(models, dict) or hasattr(models, 'values'):
            candidates.extend(models.values())
    emails = [m for m in candidates if isinstance(m, type) and
              any(getattr(k, 'modelName', None) == 'Email' for k in m.__mro__)]
    emails.sort(key=lambda m: not hasattr(getattr(getattr(m, 'dataSource', None),
                                                  'connector', None), 'transportForName'))
    if emails:
        return emails[0]
    from . import exported
    return exported('Email')


def _verify_href(UserModel, opts, user):
    from ..remoting.shared_class import shared_class_for
    shared = shared_class_for(UserModel)
    confirm = shared.find('confirm')
    if confirm is None:
        raise LoopBackError('Cannot build user verification URL, the default confirm method '
                            'is not public. Please provide the URL in verifyOptions.verifyHref.')
    pk = UserModel.definition.idName() or 'id'
    port = opts['port']
    plain = (opts['protocol'] == 'http' and str(port) == '80') or \
        (opts['protocol'] == 'https' and str(port) == '443')
    path = opts['restApiRoot']
    for part in (shared.http_path, confirm.routes[0]['path']):
        path += part[1:] if path.endswith('/') and part.startswith('/') else part
    query = urlencode({'uid': _js_string(user[pk]), 'redirect': opts['redirect']})
    return '%s://%s%s%s?%s' % (opts['protocol'], opts['host'], '' if plain else ':%s' % port,
                               path, query)


def _js_string(value):
    if value is True or value is False:
        return 'true' if value else 'false'
    return 'undefined' if value is None else str(value)


def _prepare(user, verify_options):
    UserModel = type(user)
    opts = dict(verify_options)
    opts['templateFn'] = opts.get('templateFn') or _create_verification_email_body
    opts['generateVerificationToken'] = opts.get('generateVerificationToken') or \
        UserModel.generateVerificationToken
    opts['mailer'] = opts.get('mailer') or default_mailer(UserModel)
    opts['redirect'] = opts.get('redirect') or '/'
    template = opts.get('template')
    opts['template'] = template if callable(template) else \
        os.path.abspath(template or DEFAULT_TEMPLATE)
    opts['user'] = user
    opts['protocol'] = opts.get('protocol') or 'http'
    app = getattr(UserModel, 'app', None)
    setting = (lambda name: app.get(name)) if app is not None else (lambda name: None)
    opts['host'] = opts.get('host') or setting('host') or 'localhost'
    opts['port'] = opts.get('port') or setting('port') or 3000
    opts['restApiRoot'] = opts.get('restApiRoot') or setting('restApiRoot') or '/api'
    if not opts.get('verifyHref'):
        opts['verifyHref'] = _verify_href(UserModel, opts, user)
    opts['to'] = opts.get('to') or user.email
    opts['subject'] = opts.get('subject') or 'Thanks for Registering'
    opts['headers'] = opts.get('headers') or {}
    _assert(opts.get('type'), 'You must supply a verification type (verifyOptions.type)')
    _assert(opts['type'] == 'email', 'Unsupported verification type')
    _assert(opts['to'], 'Must include verifyOptions.to when calling user.verify() '
                        'or the user must have an email property')
    _assert(opts.get('from'), 'Must include verifyOptions.from when calling user.verify()')
    _assert(callable(opts['templateFn']), 'templateFn must be a function')
    _assert(callable(opts['generateVerificationToken']),
            'generateVerificationToken must be a function')
    _assert(callable(getattr(opts['mailer'], 'send', None)), 'mailer.send must be a function ')
    return opts


def _verify(user, verify_options=None, options=None, cb=None):
    """# LoopBack: User.prototype.verify(verifyOptions, [options], cb)"""
    if cb is None and callable(options):
        cb, options = options, None
    done, promise = callback_and_promise(cb)
    opts = _prepare(user, verify_options if isinstance(verify_options, dict) else {})
    pk = type(user).definition.idName() or 'id'

    def send_email():
        href = opts['verifyHref']
        href += '&' if '?' in href else '?'
        opts['verifyHref'] = href + 'token=' + str(user.verificationToken)
        opts['verificationToken'] = user.verificationToken
        opts['text'] = opts.get('text') or ('Please verify your email by opening this link in '
                                            'a web browser:\n\t%s' % opts['verifyHref'])
        opts['text'] = str(opts['text']).replace('{href}', opts['verifyHref'])

        def html_ready(err=None, body=None):
            if err:
                return done(err)
            opts['html'] = body
            opts.pop('template', None)
            mailer = opts['mailer']

            def sent(err=None, email=None, *_):
                if err:
                    return done(err)
                done(None, {'email': email, 'token': user.verificationToken, 'uid': user[pk]})
            if _arity(mailer.send) == 3:
                mailer.send(opts, options, sent)
            else:
                mailer.send(opts, sent)
        template_fn = opts['templateFn']
        if _arity(template_fn) == 3:
            template_fn(opts, options, html_ready)
        else:
            template_fn(opts, html_ready)

    def token_ready(err=None, token=None, *_):
        if err:
            return done(err)
        user.verificationToken = token
        user.save(options or {}, lambda err=None, *_: done(err) if err else send_email())

    generator = opts['generateVerificationToken']
    if _arity(generator) == 3:
        generator(user, options, token_ready)
    else:
        generator(user, token_ready)
    return promise


# -- confirm -------------------------------------------------------------------------

def _confirm(UserModel, uid, token, redirect=None, fn=None):
    """# LoopBack: User.confirm(uid, token, redirect, cb)"""
    if fn is None and callable(redirect):
        fn, redirect = redirect, None
    done, promise = callback_and_promise(fn)

    def found(err=None, user=None):
        if err:
            return done(err)
        stored = user.verificationToken if user is not None else None
        if user is not None and stored is not None and isinstance(token, str) \
                and secrets.compare_digest(str(stored).encode('utf-8'), token.encode('utf-8')):
            user.verificationToken = None
            user.emailVerified = True
            return user.save(lambda err=None, *_: done(err))
        if user is not None:
            return done(_error('Invalid token: %s' % _js_string(token), 400, 'INVALID_TOKEN'))
        return done(_error('User not found: %s' % _js_string(uid), 404, 'USER_NOT_FOUND'))
    UserModel.findById(uid, found)
    return promise


def _confirm_redirect(ctx, inst, next_):
    """# LoopBack: UserModel.afterRemote('confirm'): 302 to ``redirect`` when given."""
    redirect = (ctx.args or {}).get('redirect', UNDEFINED)
    if redirect is not UNDEFINED and redirect is not None:
        res = getattr(ctx, 'res', None)
        if res is None:
            return next_(LoopBackError('The transport does not support HTTP redirects.'))
        res.location(redirect)
        res.status(302)
    next_()


# -- resetPassword ---------------------------------------------------------------------

def _reset_password(UserModel, options=None, cb=None):
    """# LoopBack: User.resetPassword(options, cb)"""
    done, promise = callback_and_promise(cb)
    settings = UserModel.settings
    ttl = settings.get('resetPasswordTokenTTL') or DEFAULT_RESET_PW_TTL
    options = options if isinstance(options, dict) else {}
    if not isinstance(options.get('email'), str):
        nextTick(done, _error('Email is required', 400, 'EMAIL_REQUIRED'))
        return promise
    if options.get('password'):
        try:
            UserModel.validatePassword(options['password'])
        except LoopBackError as err:
            nextTick(done, err)
            return promise
    where = {'email': options['email']}
    if options.get('realm'):
        where['realm'] = options['realm']

    def found(err=None, user=None):
        if err:
            return done(err)
        if user is None:
            return done(_error('Email not found', 404, 'EMAIL_NOT_FOUND'))
        if settings.get('emailVerificationRequired') and not user.emailVerified:
            return done(_error('Email has not been verified', 401,
                               'RESET_FAILED_EMAIL_NOT_VERIFIED'))

        def created(err=None, token=None, *_):
            if err:
                return done(err)
            done(None)
            UserModel.emit('resetPasswordRequest', {'email': options['email'],
                                                    'accessToken': token, 'user': user,
                                                    'options': options})
        if settings.get('restrictResetPasswordTokenScope'):
            user.createAccessToken({'ttl': ttl, 'scopes': ['reset-password']}, options,
                                   created)
        else:
            user.createAccessToken(ttl, created)
    UserModel.findOne({'where': where}, found)
    return promise


# -- setup ---------------------------------------------------------------------------

def remote_methods(UserModel):
    """LB3's remoting metadata of verify, confirm and resetPassword."""
    return {
        'prototype.verify': {
            'description': "Trigger user's identity verification with configured verifyOptions",
            'accepts': [
                {'arg': 'verifyOptions', 'type': 'object',
                 'http': lambda ctx: UserModel.getVerifyOptions()},
                {'arg': 'options', 'type': 'object', 'http': 'optionsFromRequest'},
            ],
            'http': {'verb': 'post'},
        },
        'confirm': {
            'description': 'Confirm a user registration with identity verification token.',
            'accepts': [
                {'arg': 'uid', 'type': 'string', 'required': True},
                {'arg': 'token', 'type': 'string', 'required': True},
                {'arg': 'redirect', 'type': 'string'},
            ],
            'http': {'verb': 'get', 'path': '/confirm'},
        },
        'resetPassword': {
            'description': 'Reset password for a user with email.',
            'accepts': [{'arg': 'options', 'type': 'object', 'required': True,
                         'http': {'source': 'body'}}],
            'http': {'verb': 'post', 'path': '/reset'},
        },
    }


STATICS = {'getVerifyOptions': _get_verify_options,
           'generateVerificationToken': _generate_verification_token,
           'confirm': _confirm, 'resetPassword': _reset_password}
METHODS = {'verify': _verify}


def setup(UserModel):
    """The remote methods and the confirm redirect hook (statics: STATICS/METHODS)."""
    for name, spec in remote_methods(UserModel).items():
        UserModel.remoteMethod(name, spec)
    UserModel.afterRemote('confirm', _confirm_redirect)
