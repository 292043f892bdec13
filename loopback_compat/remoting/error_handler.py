"""strong-error-handler: errors as ``{"error": {...}}`` JSON responses.

# LoopBack: strong-error-handler (final:after middleware in the LB3 scaffold)

The status is ``err.statusCode`` or ``err.status``; anything missing or
below 400 becomes 500.  Without ``debug`` a 4xx shows ``statusCode, name,
message, code, details`` (absent fields left out) and a 5xx only
``statusCode`` and the status text as ``message``; with ``debug`` every
public attribute of the error is shown, plus ``stack``.  A list of errors
becomes one 500 with each error under ``details``.  Responses get
``Content-Type: application/json; charset=utf-8`` and
``X-Content-Type-Options: nosniff``; 5xx errors are logged.  A client that
prefers HTML (``Accept: text/html``, or ``?_format=html``) gets
strong-error-handler's HTML page instead, byte for byte.
"""

import logging
import traceback

from ..errors import LoopBackError
from ..js.values import UNDEFINED, to_string
from .http import STATUS_TEXT
from .json_text import dumps

log = logging.getLogger('loopback_compat.rest')


def error_name(err):
    name = getattr(err, 'name', None)
    if isinstance(name, str):
        return name
    return type(err).__name__


def error_message(err):
    msg = getattr(err, 'message', None)
    if isinstance(msg, str):
        return msg
    return str(err)


def status_of(err):
    status = getattr(err, 'statusCode', None) or getattr(err, 'status', None)
    try:
        status = int(status)
    except (TypeError, ValueError):
        return 500
    return status if status >= 400 else 500


def build_error_data(err, debug=False, safe_fields=()):
    """The dict placed under ``error`` (strong-error-handler's data-builder)."""
    if isinstance(err, (list, tuple)):
        return {
            'statusCode': 500,
            'message': 'Failed with multiple errors, see `details` for more information.',
            'details': [build_error_data(e, debug, safe_fields) for e in err],
        }
    data = {'statusCode': status_of(err)}
    if debug:
        data['name'] = error_name(err)
        data['message'] = error_message(err)
        for key, value in vars(err).items():
            if not key.startswith('_') and key not in ('args',) and value is not None:
                data[key] = value
        data['stack'] = _stack(err)
        return data
    status = data['statusCode']
    if 400 <= status <= 499:
        data['name'] = error_name(err)
        data['message'] = error_message(err)
        code = getattr(err, 'code', None)
        if code is not None:
            data['code'] = code
        details = getattr(err, 'details', None)
        if details is not None:
            data['details'] = details
    else:
        data['message'] = STATUS_TEXT.get(status, 'Unknown Error')
    for field in ([safe_fields] if isinstance(safe_fields, str) else safe_fields):
        value = getattr(err, field, None)
        if value is not None:
            data[field] = value
    return data


# strong-error-handler's views/style.hbs (MIT), inlined in its HTML error page.
_STYLE = '* {\n  margin: 0;\n  padding: 0;\n  outline: 0;\n}\nbody {\n  padding: 80px 100px;\n  font: 13px "Helvetica Neue", "Lucida Grande", "Arial";\n  background: #ECE9E9 -webkit-gradient(linear, 0% 0%, 0% 100%, from(#fff), to(#ECE9E9));\n  background: #ECE9E9 -moz-linear-gradient(top, #fff, #ECE9E9);\n  background-repeat: no-repeat;\n  color: #555;\n  -webkit-font-smoothing: antialiased;\n}\nh1, h2 {\n  font-size: 22px;\n  color: #343434;\n}\nh1 em, h2 em {\n  padding: 0 5px;\n  font-weight: normal;\n}\nh1 {\n  font-size: 60px;\n}\nh2 {\n  margin: 10px 0;\n}\nul li {\n  list-style: none;\n}\n'

_HTML_ESCAPES = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;',
                 '`': '&#x60;', '=': '&#x3D;'}
_STANDARD_PROPS = ('name', 'statusCode', 'message', 'stack')


def _escape(value):
    """Handlebars' ``{{value}}``: JavaScript string conversion, then HTML escaping."""
    if value is None or value is UNDEFINED:
        return ''
    return ''.join(_HTML_ESCAPES.get(ch, ch) for ch in to_string(value))


def render_html(data):
    """The page strong-error-handler renders from its default Handlebars template."""
    shown = {k: v for k, v in data.items() if v or k in _STANDARD_PROPS}
    name = shown.get('name')
    lines = [
        '<html>',
        '  <head>',
        '    <meta charset="utf-8" />',
        '    <title>%s</title>' % (_escape(name) if name else _escape(shown.get('message'))),
        '    <style>',
        '      ' + _escape(_STYLE),      # LB3 escapes its own CSS (quotes become &quot;)
        '    </style>',
        '  </head>',
        '  <body>',
        '    <div id="wrapper">',
        '      <h1>%s</h1>' % _escape(name),
        '      <h2>',
        '        <em>%s</em> %s' % (_escape(shown.get('statusCode')),
                                     _escape(shown.get('message'))),
        '      </h2>',
    ]
    for key, value in shown.items():
        if key not in _STANDARD_PROPS:
            lines.append('          <div><b>%s</b>: %s</div>' % (_escape(key), _escape(value)))
    if shown.get('stack'):
        lines.append('        <pre id="stacktrace">%s</pre>' % shown['stack'])
    lines += ['    </div>', '  </body>', '</html>', '']
    return '\n'.join(lines)


def _quality(media, accept):
    """The client's preference (q) for ``media`` under an Accept header."""
    best = (-1, 0.0)
    for part in accept.split(','):
        pieces = part.strip().split(';')
        rng = pieces[0].strip().lower()
        q = 1.0
        for param in pieces[1:]:
            key, _, value = param.strip().partition('=')
            if key.strip() == 'q':
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        mtype, _, msub = media.partition('/')
        rtype, _, rsub = rng.partition('/')
        if rng == media:
            spec = 2
        elif rtype == mtype and rsub == '*':
            spec = 1
        elif rng == '*/*':
            spec = 0
        else:
            continue
        if spec > best[0]:
            best = (spec, q)
    return best[1]


def wants_html(req):
    """strong-error-handler's negotiation between JSON (default) and HTML."""
    fmt = req.query.get('_format') if isinstance(req.query, dict) else None
    if fmt in ('text/html', 'html'):
        return True
    if fmt in ('application/json', 'json'):
        return False
    accept = req.get('accept')
    if not accept:
        return False
    json_q = _quality('application/json', accept)
    html_q = _quality('text/html', accept)
    return html_q > 0 and html_q > json_q


def _stack(err):
    """JavaScript's ``err.stack`` shape: 'Name: message', then where it was raised."""
    head = '%s: %s' % (error_name(err), error_message(err))
    tb = getattr(err, '__traceback__', None)
    if tb is None:
        return head
    frames = traceback.format_tb(tb)
    return head + '\n' + ''.join(frames).rstrip('\n')


def send_error(req, res, err, options=None):
    """Write ``err`` to ``res`` (keeps headers hooks already set)."""
    options = options or {}
    if not getattr(err, 'statusCode', None) and not getattr(err, 'status', None) and \
            res.statusCode >= 400 and isinstance(err, LoopBackError):
        # A status set on the response (http.errorStatus) becomes the error's.
        err.statusCode = res.statusCode
    data = build_error_data(err, options.get('debug', False), options.get('safeFields', ()))
    if data['statusCode'] >= 500 and options.get('log', True):
        log.error('Request %s %s failed: %s', req.method, req.originalUrl,
                  ''.join(traceback.format_exception(type(err), err, err.__traceback__))
                  if isinstance(err, BaseException) else err)
    res.status(data['statusCode'])
    res.set('X-Content-Type-Options', 'nosniff')
    res.removeHeader('content-type')
    if wants_html(req):
        res.set('Content-Type', 'text/html; charset=utf-8')
        res.end(render_html(data))
        return
    res.set('Content-Type', 'application/json; charset=utf-8')
    res.end(dumps({'error': data}))     # res.end, not res.send: no ETag, as in LB3
