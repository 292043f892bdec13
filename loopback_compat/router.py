"""The app's plain routes, dispatched as Express 4's router does.

# LoopBack: app.get(path, fn(req, res, next)), app.post(...) (Express 4 routing)

A handler ``fn(req, res[, next])`` may answer at once or at any later tick
(``res.json/send/end/redirect/sendStatus`` from a model callback, a timer...);
the request is complete when the response is, not when the handler returns.
``next()`` goes on to the next matching handler, ``next('route')`` skips the
rest of the current ``app.get(path, *handlers)``, ``next(err)`` goes to the
next error handler ``fn(err, req, res, next)`` (four parameters, skipped on
the normal path, as in Express).  A handler that raises is ``next(exc)``.
When nothing is left, ``out(err)`` decides: LoopBack's urlNotFound 404 or
strong-error-handler for ``err`` (see ``LoopBackApp.handle``).
"""

import inspect
from urllib.parse import unquote

from .remoting.rest import compile_path


def handler_arity(fn):
    """Express's ``fn.length``: how many of (req, res, next) / (err, req, res, next) fn takes."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return 3
    if any(p.kind == p.VAR_POSITIONAL for p in params):
        return 3        # fn(*args) takes whatever it is given; never an error handler
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


class _Layer:
    __slots__ = ('verb', 'regex', 'keys', 'handler', 'route', 'arity')

    def __init__(self, verb, regex, keys, handler, route):
        self.verb, self.regex, self.keys, self.handler = verb, regex, keys, handler
        self.route = route      # which app.get(...) call added it (for next('route'))
        self.arity = handler_arity(handler)

    def match(self, method, path):
        """The route parameters when this layer answers ``method path``, else None."""
        if self.verb != method and not (self.verb == 'GET' and method == 'HEAD'):
            return None
        m = self.regex.match(path)
        if not m:
            return None
        return {k: unquote(v) for k, v in zip(self.keys, m.groups())}


class Router:
    """The ordered handlers added by ``app.get/post/put/patch/delete``."""

    def __init__(self):
        self.layers = []
        self._routes = 0

    def add(self, verb, path, handlers):
        """# Express: app[verb](path, ...handlers)"""
        regex, keys = compile_path(path)
        self._routes += 1
        for handler in handlers:
            self.layers.append(_Layer(verb.upper(), regex, keys, handler, self._routes))

    def handle(self, req, res, out):
        """Run the matching handlers for ``req``; ``out(err)`` (err None or an error)
        when they all passed it on."""
        state = {'index': 0, 'route': None}

        def next_(err=None):
            if err == 'route':      # skip the rest of this route's handlers
                err = None
                while state['index'] < len(self.layers) and \
                        self.layers[state['index']].route == state['route']:
                    state['index'] += 1
            elif err == 'router':   # leave the router
                state['index'] = len(self.layers)
                err = None
            if err is not None and not isinstance(err, BaseException) and not err:
                err = None          # next(false), next(''): no error, as `if (err)` in JS
            while state['index'] < len(self.layers):
                layer = self.layers[state['index']]
                state['index'] += 1
                params = layer.match(req.method, req.path)
                if params is None or (layer.arity >= 4) != (err is not None):
                    continue
                req.params = params
                state['route'] = layer.route
                return _call(layer, err, req, res, next_)
            return out(err)

        next_()


def _call(layer, err, req, res, next_):
    """Run one handler; an exception it raises is passed to ``next`` (Express's Layer)."""
    try:
        if err is not None:
            layer.handler(err, req, res, next_)
        elif layer.arity >= 3:
            layer.handler(req, res, next_)
        else:
            layer.handler(req, res)
    except Exception as exc:        # Express: Layer.handle_request catches, next(err)
        next_(exc)
