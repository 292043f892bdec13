"""CORS headers as the ``cors`` middleware of the LB3 scaffold adds them.

# LoopBack: middleware.json "initial": {"cors": {"params": {"origin": true,
#           "credentials": true, "maxAge": 86400}}}  (the cors 2.x package)

:func:`apply_cors(options, req, res)` sets the headers on ``res`` and returns
True when it answered a preflight (``OPTIONS``: 204, empty body) itself.
``origin`` may be ``'*'``/absent (any origin), a string, a list of strings,
a compiled regex or ``True`` (reflect the request's Origin); ``False``
disables CORS for the request.
"""

import re

DEFAULT_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE'


def _join(value):
    return ','.join(value) if isinstance(value, (list, tuple)) else value


def _vary(res, field):
    current = res.get('vary')
    if not current:
        res.set('Vary', field)
    elif current.strip() != '*' and field.lower() not in [
            f.strip().lower() for f in current.split(',')]:
        res.set('Vary', current + ', ' + field)


def _allowed(origin, allowed):
    if isinstance(allowed, (list, tuple)):
        return any(_allowed(origin, a) for a in allowed)
    if isinstance(allowed, str):
        return origin == allowed
    if isinstance(allowed, re.Pattern):
        return bool(origin) and bool(allowed.search(origin))
    return bool(allowed)


def _origin_headers(options, req, res):
    wanted = options.get('origin', '*')
    if not wanted or wanted == '*':
        res.set('Access-Control-Allow-Origin', '*')
        return
    if isinstance(wanted, str):
        res.set('Access-Control-Allow-Origin', wanted)
    else:
        origin = req.get('origin')
        if origin and _allowed(origin, wanted):
            res.set('Access-Control-Allow-Origin', origin)
    _vary(res, 'Origin')


def _common(options, res):
    if options.get('credentials') is True:
        res.set('Access-Control-Allow-Credentials', 'true')


def _exposed(options, res):
    exposed = _join(options.get('exposedHeaders'))
    if exposed:
        res.set('Access-Control-Expose-Headers', exposed)


def apply_cors(options, req, res):
    """Add CORS headers for ``req`` to ``res``; True if a preflight was answered."""
    if options is None or options.get('origin', '*') is False:
        return False
    _origin_headers(options, req, res)
    _common(options, res)
    if req.method != 'OPTIONS':
        _exposed(options, res)
        return False
    res.set('Access-Control-Allow-Methods', _join(options.get('methods') or DEFAULT_METHODS))
    allowed_headers = options.get('allowedHeaders') or options.get('headers')
    if not allowed_headers:
        allowed_headers = req.get('access-control-request-headers')
        _vary(res, 'Access-Control-Request-Headers')
    allowed_headers = _join(allowed_headers)
    if allowed_headers:
        res.set('Access-Control-Allow-Headers', allowed_headers)
    max_age = options.get('maxAge')
    if max_age is not None and max_age != '':
        res.set('Access-Control-Max-Age', str(max_age))
    _exposed(options, res)
    if options.get('preflightContinue'):
        return False
    res.status(options.get('optionsSuccessStatus', 204))
    res.end(b'')
    return True
