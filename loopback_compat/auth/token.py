"""``lb.token(options)``: the middleware that finds a request's access token,
and ``app.enableAuth(options)``.

# LoopBack: loopback/server/middleware/token.js, lib/application.js (enableAuth)

``token(options)`` returns ``fn(req, res, next)``: it sets
``req.accessToken`` to the valid token the request carries (or None) through
``AccessToken.findForRequest`` (access-token.py: the ``access_token`` query
parameter, the ``X-Access-Token`` and ``Authorization`` headers, cookies
when the request has signed cookies), then rewrites ``currentUserLiteral``
(``'me'``; any other truthy non-string becomes ``'me'``) in the URL to the
token's user id, or answers 401 AUTHORIZATION_REQUIRED for such a URL
without a valid token.  An invalid (expired) token is ``next(err)``: 401
INVALID_TOKEN.  As LB3's, ``bearerTokenBase64Encoded`` defaults to True:
``Authorization: Bearer <base64 of the id>``; a plain id needs no prefix.

Options: ``model`` (default 'AccessToken': a name of the app's models or a
class), ``currentUserLiteral``, ``params``/``headers``/``cookies`` (extra
names), ``searchDefaultTokenKeys``, ``bearerTokenBase64Encoded``,
``enableDoublecheck``, ``overwriteExistingToken``.

Once ``app.enableAuth()`` was called, the REST API runs this middleware
(with the ``tokenOptions`` setting, which ``loopback#token`` in
middleware.json sets) before every remote method, as LB3's ``rest()``.
It also sets ``app.remotes().authorization``: the ACL check of every remote
method (auth/check_access.py, docs/auth.md).
"""

import re

from ..errors import LoopBackError

AUTH_MODELS = ('User', 'AccessToken', 'ACL', 'Role', 'RoleMapping')


def _authorization_required():
    return LoopBackError('Authorization Required', statusCode=401,
                         code='AUTHORIZATION_REQUIRED', status=401)


def _literal_pattern(options):
    literal = options.get('currentUserLiteral')
    if literal and not isinstance(literal, str):
        literal = 'me'
    if not isinstance(literal, str) or not literal:
        return None
    return re.compile('/' + re.escape(literal) + r'(/|$|\?)')


def _rewrite_user_literal(req, pattern, next_):
    """# LoopBack: token.js rewriteUserLiteral"""
    if pattern is None:
        return next_()
    token = getattr(req, 'accessToken', None)
    user_id = getattr(token, 'userId', None) if token else None
    if token and user_id not in (None, '', 0):
        replacement = '/' + str(user_id)
        for attr in ('url', 'path'):
            value = getattr(req, attr, None)
            if isinstance(value, str):
                setattr(req, attr, pattern.sub(lambda m: replacement + m.group(1), value))
    elif not token and pattern.search(getattr(req, 'url', '') or ''):
        return next_(_authorization_required())
    return next_()


def _token_model(app, options):
    model = options.get('model') or 'AccessToken'
    if isinstance(model, str):
        found = app.models.get(model) if app is not None else None
        if found is None and model == 'AccessToken' and app is not None:
            # LB3's rest() passes registry.getModelByType('AccessToken'): the
            # built-in one even when the app attached none (no token found then)
            from .access_context import Registry
            found = Registry(app=app).getModelByType('AccessToken')
        if found is None:
            raise LoopBackError('loopback.token() middleware requires a AccessToken model')
        return found
    return model


def token(options=None, **kwargs):
    """# LoopBack: loopback.token(options)"""
    options = dict(options or {}, **kwargs)
    pattern = _literal_pattern(options)
    if options.get('bearerTokenBase64Encoded') is None:
        options['bearerTokenBase64Encoded'] = True
    doublecheck = bool(options.get('enableDoublecheck'))
    overwrite = bool(options.get('overwriteExistingToken'))

    def middleware(req, res, next_):
        existing = getattr(req, 'accessToken', _UNSET)
        if existing is not _UNSET:
            if not doublecheck or (existing and getattr(existing, 'id', None) and not overwrite):
                return _rewrite_user_literal(req, pattern, next_)
        try:
            model = _token_model(getattr(req, 'app', None) or options.get('app'), options)
        except LoopBackError as err:
            return next_(err)

        def found(err=None, tok=None):
            req.accessToken = tok or None
            if err:
                return next_(err)
            return _rewrite_user_literal(req, pattern, next_)
        model.findForRequest(req, options, found)
        return None
    return middleware


_UNSET = object()


def enable_auth(app, options=None):
    """# LoopBack: app.enableAuth([{dataSource}])

    With ``dataSource`` (a name or a DataSource), each of User, AccessToken,
    ACL, Role and RoleMapping not attached yet (nor any model extending it)
    is defined on it (User public, the others not).  From then on the REST API
    finds each request's token first (``req.accessToken``)."""
    from . import define_builtin
    options = options or {}
    ds = options.get('dataSource')
    if ds is not None:
        if isinstance(ds, str):
            ds = app.dataSources[ds]
        for name in AUTH_MODELS:
            if _attached(app, name):
                continue
            model = define_builtin(ds, name)
            app.model(model, {'dataSource': ds, 'public': name == 'User'})
    from .check_access import authorization
    app.remotes().authorization = authorization(app)
    app.isAuthEnabled = True
    return app


def _attached(app, name):
    for model in list(app.models.values()):
        if model.modelName == name:
            return True
        for base in type.mro(model)[1:]:
            if getattr(base, 'modelName', None) == name and \
                    base.__dict__.get('setup') is not None:
                return True
    return False


def run_token_step(app, req, res, then, fail):
    """The REST API's first step once auth is enabled: ``then()`` with
    ``req.accessToken`` set, or ``fail(err)``."""
    middleware = app.__dict__.get('_token_middleware')
    if middleware is None:
        middleware = token(dict(app.get('tokenOptions') or {}, app=app))
        app._token_middleware = middleware
    if getattr(req, 'app', None) is None:
        req.app = app
    middleware(req, res, lambda err=None: fail(err) if err else then())
