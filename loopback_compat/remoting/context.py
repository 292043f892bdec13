"""The remoting context of one HTTP call (``ctx`` in remote hooks).

# LoopBack: strong-remoting lib/http-context.js (HttpContext)

``ctx.req`` / ``ctx.res`` are the Express-like request and response,
``ctx.method`` the SharedMethod, ``ctx.args`` the converted arguments by
name, ``ctx.instance`` the model instance of a prototype method,
``ctx.result`` the value being returned (hooks may replace it), ``ctx.error``
the failure seen by afterError hooks.

Arguments are built as strong-remoting does: an ``http.source`` of body,
form, query, path, header, req, res or context picks the value; without a
source the value is looked up in path params, then the body, then the query,
then headers.  Values from strings (query, path, header, or a body that is
not JSON) are coerced *sloppily* ('1' -> 1 for a number), values from a JSON
body are checked as *typed*.  A conversion failure raises a 400 error.
"""

from ..filters import REJECT_PROHIBITED
from .types import UNDEFINED, get_converter


def default_options(model, ctx):
    """The ``options`` argument LB3 builds from the request (``optionsFromRequest``)."""
    options = {
        'prohibitHiddenPropertiesInQuery': True,
        # deliberate fix: a REST where/order on a hidden property is a 400
        REJECT_PROHIBITED: True,
        'maxDepthOfQuery': 12,
        'maxDepthOfData': 32,
    }
    hook = getattr(model, 'createOptionsFromRemotingContext', None)
    if callable(hook):
        options.update(hook(ctx) or {})
    else:
        # LoopBack: Model.createOptionsFromRemotingContext's {accessToken: req.accessToken}
        options['accessToken'] = getattr(ctx.req, 'accessToken', None)
    return options


class HttpContext:
    """The ``ctx`` of one remote call."""

    def __init__(self, req, res, method, options=None):
        self.req = req
        self.res = res
        self.method = method
        self.options = options or {}
        self.methodString = method.stringName
        self.result = UNDEFINED
        self.instance = None
        self.error = None
        self.sharedCtorError = None
        self.ctorArgs = {}
        self.resultType = None
        req.remotingContext = self
        self.args = self.build_args(method)

    def build_args(self, method):
        """Converted arguments of ``method`` by name; raises the first conversion error."""
        args = {}
        is_json = self.req.is_json()
        for desc in method.accepts:
            name = desc.get('name') or desc.get('arg')
            value, sloppy = self._raw_arg(desc, name, is_json)
            if value is _COMPUTED:
                args[desc.get('arg')] = self._computed
                continue
            converter = get_converter(desc.get('type'))
            options = {'allowArray': desc.get('allowArray')}
            if sloppy:
                result, err = converter.from_sloppy(value, options)
            else:
                result, err = converter.from_typed(value, options)
            if err:
                raise err
            args[desc.get('arg')] = result
        return args

    def _raw_arg(self, desc, name, is_json):
        req = self.req
        http = desc.get('http')
        if http == 'optionsFromRequest' or callable(http):
            self._computed = (default_options(self.method.ctor, self) if
                              http == 'optionsFromRequest' else http(self))
            return _COMPUTED, False
        if isinstance(http, dict) and http.get('source'):
            source = http['source']
            if source == 'body':
                return req.body, not is_json
            if source in ('form', 'formData'):
                body = req.body if isinstance(req.body, dict) else {}
                return body.get(name, UNDEFINED), not is_json
            if source == 'query':
                return req.query.get(name, UNDEFINED), True
            if source == 'path':
                return req.params.get(name, UNDEFINED), True
            if source == 'header':
                value = req.get(name)
                return (UNDEFINED if value is None else value), True
            self._computed = {'req': req, 'res': self.res, 'context': self}.get(source)
            return _COMPUTED, False
        value = self.getArgByName(name)
        body = req.body if isinstance(req.body, dict) else {}
        sloppy = not (is_json and name in body and value is body[name])
        return value, sloppy

    def getArgByName(self, name, options=None):
        """params, then body, then query, then header (``HttpContext#getArgByName``)."""
        req = self.req
        if name in req.params:
            return req.params[name]
        body = req.body if isinstance(req.body, dict) else {}
        if body.get(name) is not None:
            return body[name]
        if name in req.query:
            return req.query[name]
        value = req.get(name)
        return UNDEFINED if value is None else value

    def get_arg(self, name):
        """A converted argument of the current call (method args, then ctor args)."""
        if name in self.args:
            return self.args[name]
        return self.ctorArgs.get(name, UNDEFINED)

    def getScope(self):
        return self.method.ctor if self.method.isStatic else self.instance

    def set_return_arg(self, desc, value):
        """Apply a return that targets the status or a header; True when consumed."""
        http = desc.get('http') or {}
        if desc.get('root'):
            rtype = desc.get('type')
            self.resultType = rtype.lower() if isinstance(rtype, str) else rtype
            return False
        target = http.get('target') if isinstance(http, dict) else None
        if target == 'status':
            self.res.status(value)
            return True
        if target == 'header':
            self.res.set(http.get('header') or desc.get('arg'), value)
            return True
        return False


class _Computed:
    pass


_COMPUTED = _Computed()
