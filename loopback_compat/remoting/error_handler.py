"""strong-error-handler: errors as ``{"error": {...}}`` JSON responses.

# LoopBack: strong-error-handler (final:after middleware in the LB3 scaffold)

The status is ``err.statusCode`` or ``err.status``; anything missing or
below 400 becomes 500.  Without ``debug`` a 4xx shows ``statusCode, name,
message, code, details`` (absent fields left out) and a 5xx only
``statusCode`` and the status text as ``message``; with ``debug`` every
public attribute of the error is shown, plus ``stack``.  A list of errors
becomes one 500 with each error under ``details``.  Responses get
``Content-Type: application/json; charset=utf-8`` and
``X-Content-Type-Options: nosniff``; 5xx errors are logged.
"""

import logging
import traceback

from ..errors import LoopBackError
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
    res.set('Content-Type', 'application/json; charset=utf-8')
    res.end(dumps({'error': data}))     # res.end, not res.send: no ETag, as in LB3
