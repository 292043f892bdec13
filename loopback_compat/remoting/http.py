"""Requests and responses as Express shapes them for strong-remoting.

# LoopBack: express req/res, body-parser (json, urlencoded), qs

:class:`Request` is built from a WSGI environ and the already-read body:
``method``, ``url`` (path + query, relative to the current mount point, as
Express rewrites it), ``originalUrl``, ``path``, ``query`` (qs-style: nested
``a[b][c]=x`` keys and ``a[]=x`` arrays, repeated keys make lists),
``headers`` (lower-case), ``params`` (set by the router), ``body`` and
``get(name)``.  :class:`Response` collects the status, headers and body;
hooks use ``ctx.res.set(name, value)``, ``status(code)``, ``json(value)``...

Body parsing follows body-parser with LoopBack's scaffold settings
(``remoting.json = {strict: false, limit: '100kb'}``, urlencoded extended):
JSON for ``application/json`` (an empty body is ``{}``), qs for
``application/x-www-form-urlencoded``, ``{}`` for anything else; a body over
the limit is a 413 ``PayloadTooLargeError`` 'request entity too large', bad
JSON a 400 ``SyntaxError`` with V8's message.
"""

import base64
import hashlib
import logging
import re
from urllib.parse import quote, unquote_plus

from ..errors import PayloadTooLargeError
from . import json_text

log = logging.getLogger('loopback_compat.http')

DEFAULT_LIMIT = 100 * 1024
_ARRAY_LIMIT = 20
_DEPTH = 5
_PARAMETER_LIMIT = 1000

STATUS_TEXT = {
    200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 301: 'Moved Permanently',
    302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect',
    308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
    403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
    409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type',
    422: 'Unprocessable Entity', 429: 'Too Many Requests', 500: 'Internal Server Error',
    501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
}


def parse_limit(limit):
    """'100kb' / '1mb' / 1024 -> bytes (the ``bytes`` package's units)."""
    if limit is None:
        return DEFAULT_LIMIT
    if isinstance(limit, (int, float)):
        return int(limit)
    m = re.match(r'\s*([\d.]+)\s*(b|kb|mb|gb)?\s*$', str(limit).lower())
    if not m:
        return DEFAULT_LIMIT
    mult = {'b': 1, None: 1, 'kb': 1024, 'mb': 1024 ** 2, 'gb': 1024 ** 3}[m.group(2)]
    return int(float(m.group(1)) * mult)


def too_large():
    return PayloadTooLargeError('request entity too large', statusCode=413,
                                type='entity.too.large')


# -- query strings (qs, extended) ---------------------------------------------

_KEY_RE = re.compile(r'\[([^\[\]]*)\]')


def _split_key(key):
    """'a[b][c]' -> ['a', 'b', 'c']; 'a[]' -> ['a', '']."""
    first = key.find('[')
    if first <= 0:
        return [key]
    parts = [key[:first]]
    rest = key[first:]
    pos = 0
    for m in _KEY_RE.finditer(rest):
        if m.start() != pos or len(parts) > _DEPTH:
            parts.append(rest[pos:])
            return parts
        parts.append(m.group(1))
        pos = m.end()
    if pos != len(rest):
        parts.append(rest[pos:])
    return parts


class _Sparse(dict):
    """A JavaScript array being built by index (holes allowed); compacted at the end."""


def _leaf(parts, value):
    """``a[b][]=v`` -> the object qs builds for that one pair (``parseObject``)."""
    obj = value
    for seg in reversed(parts[1:]):
        if seg == '':
            obj = _Sparse(enumerate(obj)) if isinstance(obj, list) else _Sparse({0: obj})
        elif seg.isdigit() and int(seg) <= _ARRAY_LIMIT and str(int(seg)) == seg:
            obj = _Sparse({int(seg): obj})
        else:
            obj = {seg: obj}
    return obj


def _merge(target, source):
    """qs's ``utils.merge`` (with its default strict merging of conflicts)."""
    if not isinstance(source, dict):
        if isinstance(target, _Sparse):
            target[max(target, default=-1) + 1] = source
            return target
        return [target, source] if not isinstance(target, list) else target + [source]
    if not isinstance(target, dict):
        if isinstance(source, _Sparse):
            return [target] + [source[k] for k in sorted(source)]
        return [target, source]
    if isinstance(target, _Sparse) and isinstance(source, _Sparse):
        for index, item in source.items():
            target[index] = _merge(target[index], item) if index in target else item
        return target
    if isinstance(target, _Sparse):
        target = {str(k): v for k, v in target.items()}
    out = dict(target)
    for key, item in source.items():
        key = str(key) if isinstance(source, _Sparse) else key
        out[key] = _merge(out[key], item) if key in out else item
    return out


def _compact(value):
    if isinstance(value, _Sparse):
        return [_compact(value[k]) for k in sorted(value)]
    if isinstance(value, dict):
        return {k: _compact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def parse_qs(text):
    """Parse a query string / urlencoded body the way Express's ``qs.parse`` does."""
    if not text:
        return {}
    values = {}
    for count, piece in enumerate(text.split('&')):
        if count >= _PARAMETER_LIMIT:
            break
        if not piece:
            continue
        key, sep, value = piece.partition('=')
        key = unquote_plus(key)
        value = unquote_plus(value) if sep else ''
        if not key:
            continue
        if key in values:       # repeated plain keys combine first (qs parseValues)
            old = values[key]
            values[key] = (old if isinstance(old, list) else [old]) + [value]
        else:
            values[key] = value
    out = {}
    for key, value in values.items():
        parts = _split_key(key)
        leaf = _leaf(parts, value)
        head = parts[0]
        out[head] = _merge(out[head], leaf) if head in out else leaf
    return _compact(out)


# -- request / response -----------------------------------------------------------

class Request:
    """An Express-like request (see the module docstring)."""

    def __init__(self, method, path, query_string, headers, body_bytes=b'', remote_addr=None):
        self.method = method.upper()
        self.originalUrl = path + ('?' + query_string if query_string else '')
        self.baseUrl = ''
        self.path = path
        self.query_string = query_string
        self.url = self.originalUrl
        self.headers = headers
        self.query = parse_qs(query_string)
        self.params = {}
        self.raw_body = body_bytes
        self.body = {}
        self.ip = remote_addr
        self.remotingContext = None

    @classmethod
    def from_environ(cls, environ, body_bytes):
        headers = {}
        for key, value in environ.items():
            if key.startswith('HTTP_'):
                headers[key[5:].replace('_', '-').lower()] = value
        if environ.get('CONTENT_TYPE'):
            headers['content-type'] = environ['CONTENT_TYPE']
        if environ.get('CONTENT_LENGTH'):
            headers['content-length'] = environ['CONTENT_LENGTH']
        raw_uri = environ.get('REQUEST_URI') or environ.get('RAW_URI')
        if raw_uri and raw_uri.startswith('/'):
            # Express routes on the raw (still percent-encoded) path; so do we.
            path = raw_uri.split('?', 1)[0]
        else:
            path = environ.get('PATH_INFO', '/') or '/'
            try:        # WSGI decodes the path and gives it as latin-1 text
                path = path.encode('latin-1').decode('utf-8')
            except UnicodeError:
                pass
            path = quote(environ.get('SCRIPT_NAME', '') + path, safe="/:@!$&'()*+,;=-._~")
        return cls(environ.get('REQUEST_METHOD', 'GET'), path, environ.get('QUERY_STRING', ''),
                   headers, body_bytes, environ.get('REMOTE_ADDR'))

    def get(self, name):
        """A request header, case-insensitively (Express ``req.get``)."""
        name = name.lower()
        if name in ('referer', 'referrer'):
            return self.headers.get('referer', self.headers.get('referrer'))
        return self.headers.get(name)

    header = get

    def is_fresh(self, res):
        """Express ``req.fresh``: a GET/HEAD whose If-None-Match matches the ETag."""
        if self.method not in ('GET', 'HEAD'):
            return False
        if not (200 <= res.statusCode < 300 or res.statusCode == 304):
            return False
        wanted = self.get('if-none-match')
        if not wanted or 'no-cache' in (self.get('cache-control') or ''):
            return False
        if wanted.strip() == '*':
            return True
        etag = res.get('etag') or ''
        tags = [t.strip() for t in wanted.split(',')]
        bare = etag[2:] if etag.startswith('W/') else etag
        return any(t == etag or t == bare or t == 'W/' + bare for t in tags)

    def is_json(self):
        ctype = (self.get('content-type') or '').split(';')[0].strip().lower()
        return ctype == 'application/json' or ctype.endswith('+json')

    def mount(self, prefix):
        """Strip a mount prefix from ``url``/``path`` as Express does for routers."""
        self.baseUrl += prefix
        rest = self.path[len(prefix):] or '/'
        if not rest.startswith('/'):
            rest = '/' + rest
        self.path = rest
        self.url = rest + ('?' + self.query_string if self.query_string else '')

    def parse_body(self, json_options=None, urlencoded_options=None):
        """Fill ``body`` as body-parser would; raises 400/413 LoopBackErrors."""
        json_options = json_options or {}
        ctype = (self.get('content-type') or '').split(';')[0].strip().lower()
        raw = self.raw_body or b''
        if self.is_json():
            if len(raw) > parse_limit(json_options.get('limit')):
                raise too_large()
            text = raw.decode('utf-8', 'replace')
            if text.strip() == '':
                self.body = {}
                return
            value = json_text.parse(text)
            if json_options.get('strict', False) and not isinstance(value, (dict, list)):
                raise json_text.JSONSyntaxError(
                    'Unexpected token %s in JSON at position 0' % text.strip()[:1], statusCode=400)
            self.body = value
        elif ctype == 'application/x-www-form-urlencoded':
            if len(raw) > parse_limit((urlencoded_options or {}).get('limit')):
                raise too_large()
            self.body = parse_qs(raw.decode('utf-8', 'replace'))
        else:
            self.body = {}


def weak_etag(body):
    """Express's default ETag: W/"<length hex>-<base64 sha1, 27 chars>"."""
    digest = base64.b64encode(hashlib.sha1(body).digest()).decode('ascii')[:27]
    return 'W/"%x-%s"' % (len(body), digest)


def _already_sent(res):
    """A write to a finished response: Express's ERR_HTTP_HEADERS_SENT, logged, ignored."""
    req = res.req
    log.warning('Cannot set headers after they are sent to the client (%s %s)',
                getattr(req, 'method', '?'), getattr(req, 'originalUrl', '?'))
    return res


class Response:
    """An Express-like response being built (status, headers, body bytes).

    A response is sent once: after ``end`` (``send``, ``json``, ``redirect``,
    ``sendStatus`` all end it) ``finished`` and ``headersSent`` are true, the
    ``'finish'`` listeners have run, and later writes change nothing (Express
    throws ERR_HTTP_HEADERS_SENT "Cannot set headers after they are sent to the
    client"; here the second send is logged and ignored, so a web-server thread
    reading the finished response never sees it change).
    """

    def __init__(self, request=None):
        self.req = request
        self.statusCode = 200
        self._headers = {}
        self.body = b''
        self.headersSent = False
        self.finished = False
        self._on_finish = []

    def on(self, event, fn):
        """``res.on('finish', fn)``: ``fn()`` once the response is complete (at once if it is).

        # Node: res.on('finish', listener)
        """
        if event == 'finish':
            if self.finished:
                fn()
            else:
                self._on_finish.append(fn)
        return self

    def status(self, code):
        if not self.finished:
            self.statusCode = int(code)
        return self

    def set(self, name, value=None):
        """``res.set(name, value)`` or ``res.set({name: value})``."""
        if self.finished:       # too late: the response is being written
            return self
        if isinstance(name, dict):
            for key, val in name.items():
                self.set(key, val)
            return self
        self._headers[name.lower()] = (name, str(value))
        return self

    header = set
    setHeader = set

    def get(self, name):
        entry = self._headers.get(name.lower())
        return entry[1] if entry else None

    getHeader = get

    def removeHeader(self, name):
        if not self.finished:
            self._headers.pop(name.lower(), None)

    def type(self, value):
        return self.set('Content-Type', value)

    def json(self, value):
        """``res.json(value)``: serialise, set the JSON content type, send."""
        if self.finished:
            return _already_sent(self)
        if self.get('content-type') is None:
            self.set('Content-Type', 'application/json; charset=utf-8')
        return self.send(json_text.dumps(value))

    def send(self, value=b''):
        """``res.send(body)``: like Express, adds a weak ETag and answers 304 when fresh."""
        if self.finished:
            return _already_sent(self)
        if isinstance(value, (dict, list)):
            return self.json(value)
        if isinstance(value, str):
            if self.get('content-type') is None:
                self.set('Content-Type', 'text/html; charset=utf-8')
            value = value.encode('utf-8')
        if self.get('etag') is None:
            self.set('ETag', weak_etag(value))
        if self.req is not None and self.req.is_fresh(self):
            self.statusCode = 304
            for name in ('content-type', 'content-length', 'transfer-encoding'):
                self.removeHeader(name)
            value = b''
        self.end(value)
        return self

    def sendStatus(self, code):
        self.status(code)
        return self.send(STATUS_TEXT.get(code, str(code)))

    def location(self, url):
        """``res.location(url)``: the Location header, URL-encoded as Express's
        encodeurl (``'back'`` is the Referrer, else '/')."""
        if url == 'back':
            url = (self.req.get('referrer') if self.req is not None else None) or '/'
        return self.set('Location', quote(str(url), safe="/:?#[]@!$&'()*+,;=%~-._"))

    def redirect(self, status, url=None):
        """``res.redirect([status], url)``: Location, 302 by default, Express's text body.

        # Express: res.redirect(302, url) -> 'Found. Redirecting to <url>' (text/plain)
        """
        if url is None:
            status, url = 302, status
        if self.finished:
            return _already_sent(self)
        self.set('Location', quote(str(url), safe="/:?#[]@!$&'()*+,;=%~-._"))
        self.status(status)
        self.set('Content-Type', 'text/plain; charset=utf-8')
        text = '%s. Redirecting to %s' % (STATUS_TEXT.get(int(status), status), url)
        self.end(b'' if self.req is not None and self.req.method == 'HEAD' else text)
        return self

    def end(self, data=b''):
        """``res.end([data])``: complete the response, then run the 'finish' listeners."""
        if self.finished:
            return _already_sent(self)
        if isinstance(data, str):
            data = data.encode('utf-8')
        self.body = data or b''
        self.finished = self.headersSent = True
        listeners, self._on_finish = self._on_finish, []
        for fn in listeners:
            fn()
        return self

    def status_line(self):
        return '%d %s' % (self.statusCode, STATUS_TEXT.get(self.statusCode, 'Unknown'))

    def header_list(self):
        headers = [entry for key, entry in self._headers.items() if key != 'content-length']
        if self.statusCode not in (204, 304):
            headers.append(('Content-Length', str(len(self.body))))
        return headers
