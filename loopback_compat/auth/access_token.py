"""The built-in AccessToken model: ids, ttl, expiry, and finding a request's token.

# LoopBack: loopback/common/models/access-token.js, access-token.json

- ids: ``AccessToken.createAccessTokenId(cb)`` makes a 64-character id
  (``accessTokenIdLength``) from the operating system's CSPRNG
  (``secrets``), as LB3's uid2 over ``crypto.randomBytes``; a ``before
  save`` hook gives one to every new token without an id.
- ``token.validate(cb)``: ``cb(None, True)`` while ``created + ttl`` is in
  the future; an expired token (or a ttl of -1 without the user model's
  ``allowEternalTokens``) is destroyed and ``cb(None, False)``.
- ``AccessToken.resolve(id, cb)``: the valid token, nothing for an unknown
  id, 401 ``INVALID_TOKEN`` 'Invalid Access Token' for an invalid one.
- ``AccessToken.getIdForRequest(req, options)`` / ``findForRequest``: the
  ``access_token`` query (or path/body) parameter, then the
  ``X-Access-Token`` and ``Authorization`` headers (``Bearer <id>``, base64
  when ``bearerTokenBase64Encoded``; ``Basic``), then the cookies
  ``access_token``/``authorization`` when the request carries signed
  cookies (``req.signedCookies``).

A token found by id is compared with the requested id in constant time
(``hmac.compare_digest``): a connector's lookup may match loosely (a case-
insensitive collation), and the answer must not depend on how many leading
characters agree.
"""

import base64
import binascii
import hmac
import re
import secrets
import string
import time

from ..errors import LoopBackError
from ..loop import nextTick
from ..promise import callback_and_promise
from ._install import enable_remoting, install

DEFAULT_TOKEN_LEN = 64
_ALPHABET = string.ascii_letters + string.digits


def create_token_id(length=DEFAULT_TOKEN_LEN):
    """A random id of ``length`` letters and digits from the CSPRNG (uid2's alphabet)."""
    return ''.join(secrets.choice(_ALPHABET) for _ in range(int(length)))


def _create_access_token_id(AccessToken, fn):
    """# LoopBack: AccessToken.createAccessTokenId(fn)"""
    length = AccessToken.settings.get('accessTokenIdLength') or DEFAULT_TOKEN_LEN
    nextTick(fn, None, create_token_id(length))


def _get_id_for_request(AccessToken, req, options=None):
    """# LoopBack: AccessToken.getIdForRequest(req, options)"""
    options = options or {}
    params = list(options.get('params') or [])
    headers = list(options.get('headers') or [])
    cookies = list(options.get('cookies') or []) if isinstance(options.get('cookies'), list) \
        else []
    if options.get('searchDefaultTokenKeys') is not False:
        params.append('access_token')
        headers += ['X-Access-Token', 'authorization']
        cookies += ['access_token', 'authorization']
    body = req.body if isinstance(getattr(req, 'body', None), dict) else {}
    for param in params:
        for source in (getattr(req, 'params', None) or {}, body, getattr(req, 'query', None) or {}):
            if param in source:
                value = source[param]
                break
        else:
            continue
        if isinstance(value, str):
            return value
    for header in headers:
        value = req.get(header)
        if not isinstance(value, str) or value == '':
            continue
        if value.startswith('Bearer '):
            value = value[7:]
            if options.get('bearerTokenBase64Encoded'):
                value = _b64_text(value)
        elif re.match(r'(?i)^Basic ', value):
            parts = re.match(r'^([^:]*):(.*)$', _b64_text(value[6:]), re.S)
            if parts:
                user, pw = parts.group(1), parts.group(2)
                value = pw if len(pw) > len(user) else user
            else:
                value = _b64_text(value[6:])
        return value
    signed = getattr(req, 'signedCookies', None)
    if isinstance(signed, dict):
        for name in cookies:
            if isinstance(signed.get(name), str):
                return signed[name]
    return None


def _b64_text(value):
    """Node's ``Buffer.from(value, 'base64').toString('utf8')``: lenient, never raises."""
    cleaned = re.sub(r'[^A-Za-z0-9+/=_-]', '', value).replace('-', '+').replace('_', '/')
    cleaned = cleaned.split('=')[0]
    cleaned += '=' * (-len(cleaned) % 4)
    try:
        return base64.b64decode(cleaned).decode('utf-8', 'replace')
    except (binascii.Error, ValueError):
        return ''


def _invalid_token():
    return LoopBackError('Invalid Access Token', statusCode=401, code='INVALID_TOKEN',
                         status=401)


def _resolve(AccessToken, token_id, cb=None):
    """# LoopBack: AccessToken.resolve(id, cb)"""
    done, promise = callback_and_promise(cb)
    if not isinstance(token_id, str) or not token_id or '\x00' in token_id:
        # a NUL can be in no stored id (PostgreSQL refuses it in text): no token,
        # the same answer on every connector instead of a driver error
        nextTick(done, None, None)
        return promise

    def found(err=None, token=None):
        if err:
            return done(err)
        if token is None or not hmac.compare_digest(
                str(token.id).encode('utf-8', 'surrogatepass'),
                token_id.encode('utf-8', 'surrogatepass')):
            return done(None, None)

        def validated(err=None, valid=False):
            if err:
                return done(err)
            if valid:
                return done(None, token)
            return done(_invalid_token())
        token.validate(validated)

    AccessToken.findById(token_id, found)
    return promise


def _find_for_request(AccessToken, req, options=None, cb=None):
    """# LoopBack: AccessToken.findForRequest(req, [options], cb)"""
    if cb is None and callable(options):
        cb, options = options, {}
    token_id = AccessToken.getIdForRequest(req, options or {})
    if token_id:
        return AccessToken.resolve(token_id, cb)
    done, promise = callback_and_promise(cb)
    nextTick(done, None, None)
    return promise


def _validate(token, cb=None):
    """# LoopBack: AccessToken.prototype.validate(cb): cb(err, isValid)"""
    done, promise = callback_and_promise(cb)
    try:
        valid = _is_valid(token)
    except LoopBackError as err:
        nextTick(done, err)
        return promise
    if valid:
        nextTick(done, None, True)
    else:
        token.destroy(lambda err=None, *_: done(err, False))
    return promise


def _is_valid(token):
    created = token.created
    if not hasattr(created, 'timestamp'):
        raise LoopBackError('token.created must be a valid Date', code='ERR_ASSERTION')
    ttl = token.ttl
    if ttl == 0:
        raise LoopBackError('token.ttl must be not be 0', code='ERR_ASSERTION')
    if ttl is None:
        raise LoopBackError('token.ttl must exist', code='ERR_ASSERTION')
    if not isinstance(ttl, (int, float)) or ttl != ttl or ttl < -1:
        raise LoopBackError('token.ttl must be >= -1', code='ERR_ASSERTION')
    relation = type(token).relations.get('user')
    user_model = getattr(relation, 'modelTo', None) if relation is not None else None
    if ttl == -1:
        return bool(user_model is not None and
                    (user_model.settings or {}).get('allowEternalTokens'))
    elapsed = time.time() - created.timestamp()
    return elapsed < ttl


def _assign_id(ctx, next_):
    """# LoopBack: AccessToken.observe('before save'): an id for a new token."""
    inst = ctx.instance
    if inst is None or inst.id:
        return next_()
    length = ctx.Model.settings.get('accessTokenIdLength') or DEFAULT_TOKEN_LEN
    inst.id = create_token_id(length)
    return next_()


def setup(AccessToken):
    """# LoopBack: module.exports = function(AccessToken) {...} (access-token.js)"""
    enable_remoting(AccessToken)
    install(AccessToken, statics={
        'createAccessTokenId': _create_access_token_id,
        'getIdForRequest': _get_id_for_request,
        'resolve': _resolve,
        'findForRequest': _find_for_request,
    }, methods={'validate': _validate})
    AccessToken.observe('before save', _assign_id)
    try:
        type.__setattr__(AccessToken, 'ANONYMOUS', AccessToken({'id': '$anonymous'}))
    except Exception:    # noqa: BLE001 - a sub-model whose id is no string: LB3 sets it anyway
        pass
