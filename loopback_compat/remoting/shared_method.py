"""Shared methods: a model method exposed over REST, and how it is invoked.

# LoopBack: strong-remoting lib/shared-method.js

A :class:`SharedMethod` knows its name (``create``, ``prototype.__get__account``
is ``__get__account`` with ``isStatic=False``), its ``accepts`` and
``returns`` descriptions, its HTTP routes and optional ``rest.after`` hook.
:meth:`SharedMethod.invoke` checks the converted arguments (``required``,
the type's validation), calls the Python function with them and an
error-first callback (a returned Promise works too) and builds the result
from ``returns`` (``root: true`` results are the body itself, others become
``{arg: value}``).
"""

import datetime as _dt

from ..errors import LoopBackError
from ..js.dates import iso_string
from ..promise import is_thenable
from .types import UNDEFINED, InvalidDateValue, get_converter, type_key


def as_list(value):
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def normalize_routes(http, name):
    """``http`` option -> list of ``{'verb', 'path'}`` (verb lower-case, 'del' -> 'delete')."""
    routes = []
    # an explicit list is the routes, even none (strong-remoting's getRoutes)
    for route in http if isinstance(http, (list, tuple)) else as_list(http) or [{}]:
        route = dict(route)
        verb = str(route.get('verb') or 'all').lower()
        route['verb'] = 'delete' if verb == 'del' else verb
        route['path'] = route.get('path') or '/' + name
        routes.append(route)
    return routes


class SharedMethod:
    """One remotable method of a shared class (LoopBack ``SharedMethod``)."""

    def __init__(self, shared_class, name, options, fn=None):
        options = dict(options or {})
        self.sharedClass = shared_class
        self.name = name
        self.isStatic = options.get('isStatic', True)
        self.accepts = [dict(a) for a in as_list(options.get('accepts'))]
        self.returns = [dict(r) for r in as_list(options.get('returns'))]
        http = options.get('http')
        self.http = http if isinstance(http, list) else http or {}
        self.routes = normalize_routes(self.http, name)
        self.rest = options.get('rest') or {}
        self.aliases = list(options.get('aliases') or [])
        self.description = options.get('description')
        self.notes = options.get('notes')
        self.accessType = options.get('accessType')
        # the token scopes allowed to call it (ACL check; None: ['DEFAULT'])
        self.accessScopes = options.get('accessScopes')
        self.documented = options.get('documented', True)
        self.shared = options.get('shared', True)
        self.fn = fn
        self.delegate_names = list(options.get('delegate_names') or [name])

    @property
    def stringName(self):
        return '%s.%s%s' % (self.sharedClass.name, '' if self.isStatic else 'prototype.', self.name)

    @property
    def ctor(self):
        return self.sharedClass.ctor

    def status(self):
        """``http.status`` (only when ``http`` is one route, as strong-remoting reads it)."""
        return self.http.get('status') if isinstance(self.http, dict) else None

    def error_status(self):
        return self.http.get('errorStatus') if isinstance(self.http, dict) else None

    def get_function(self, scope):
        """The callable: the model's (or instance's) attribute, else the explicit fn."""
        for attr in self.delegate_names:
            fn = getattr(scope, attr, None)
            if callable(fn):
                return fn
        if self.fn is not None:
            return self.fn if self.isStatic else self.fn.__get__(scope)
        return None

    def invoke(self, scope, args, ctx, cb):
        """Call the method with ``args`` (a dict by arg name); ``cb(err, result)``."""
        formatted = []
        for desc in self.accepts:
            name = desc.get('name') or desc.get('arg')
            value = args.get(name, UNDEFINED)
            err = validate_argument(value, desc)
            if err:
                return cb(err)
            formatted.append(None if value is UNDEFINED else value)
        fn = self.get_function(scope)
        if fn is None:
            # strong-remoting calls undefined.apply(): a TypeError, answered as a 500
            return cb(LoopBackError('Method %s is not implemented' % self.stringName))
        done = [False]

        def callback(err=None, *results):
            if done[0]:
                return
            done[0] = True
            if err:
                return cb(err)
            try:
                result = to_result(self.returns, list(results), ctx)
            except LoopBackError as exc:
                return cb(exc)
            cb(None, result)

        try:
            retval = fn(*formatted, callback)
        except Exception as exc:      # a synchronous throw is the method's error
            if not done[0]:
                done[0] = True
                return cb(exc)
            raise
        if is_thenable(retval) and not done[0]:
            def ok(value):
                values = [value] if len(self.returns) <= 1 else list(value or [])
                callback(None, *values)

            retval.then(ok, lambda err: callback(err or LoopBackError('Promise rejected')))
        return None

    def getReturnArgDescByName(self, name):
        for desc in self.returns:
            if (desc.get('name') or desc.get('arg')) == name:
                return desc
        return None

    def toJSON(self):
        return {'name': self.name, 'isStatic': self.isStatic, 'accepts': self.accepts,
                'returns': self.returns, 'http': self.http, 'stringName': self.stringName}


def validate_argument(value, desc):
    """``required`` and type validation at invocation time (400 errors)."""
    name = desc.get('name') or desc.get('arg')
    if desc.get('required') and (value is UNDEFINED or value is None or value == ''):
        return LoopBackError('%s is a required argument' % name, statusCode=400)
    if callable(desc.get('http')) or (isinstance(desc.get('http'), dict) and
                                      desc['http'].get('source') in ('req', 'res', 'context')):
        return None
    if isinstance(value, InvalidDateValue):
        err = LoopBackError('Value is not a valid date.', statusCode=400)
    else:
        options = {'allowArray': desc.get('allowArray')}
        err = get_converter(desc.get('type')).validate(value, options)
    if err:
        err.message = 'Invalid argument "%s". %s' % (name, err.message)
        err.args = (err.message,)
    return err


def _basic_type(type_):
    key = type_key(type_)
    if isinstance(key, list):
        return 'array'
    if key in ('string', 'number', 'integer', 'date', 'boolean', 'buffer', 'object',
               'file', 'any'):
        return key
    return 'object'


def to_result(returns, raw, ctx=None):
    """Build the response value from the callback's results (``SharedMethod.toResult``).

    Returns ``UNDEFINED`` when the method declares no return values (the
    response is then 204), the root value itself for a ``root`` return, else
    a dict of the named returns.  Returns targeting a status or header are
    applied to ``ctx.res`` instead.
    """
    if not returns:
        return UNDEFINED
    result = {}
    rest = []
    for index, desc in enumerate(returns):
        if index >= len(raw):
            continue
        name = desc.get('name') or desc.get('arg')
        if ctx is not None and ctx.set_return_arg(desc, raw[index]):
            continue
        if desc.get('root'):
            result = _convert(raw[index], _basic_type(desc.get('type')), name)
            continue
        rest.append((index, desc))
    for index, desc in rest:
        name = desc.get('name') or desc.get('arg')
        result[name] = _convert(raw[index], _basic_type(desc.get('type')), name)
    return result


def _convert(value, target, name):
    if target == 'integer' and value is not None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or \
                (isinstance(value, float) and not value.is_integer()):
            raise LoopBackError(
                "Invalid return value for argument '%s' of type 'integer': %s. "
                "Received type was %s." % (name, value, type(value).__name__),
                statusCode=500)
    if isinstance(value, _dt.datetime):
        # strong-remoting tags a top-level Date so clients can revive it.
        return {'$type': 'date', '$data': iso_string(value)}
    return value
