"""The REST adapter: routes HTTP requests to shared methods and answers them.

# LoopBack: strong-remoting lib/rest-adapter.js, lib/remote-objects.js (phases),
#           loopback lib/model.js and lib/persisted-model.js (rest.after hooks)

For a request under ``restApiRoot`` the adapter parses the body, picks the
model class by its plural path (case-insensitive prefix, as Express mounts
routers), then the method by verb and path, routes sorted as strong-remoting
sorts them (HEAD falls back to GET routes, as in Express).  The call then
runs the LB3 sequence, all on the event loop thread:

1. build the arguments (a conversion error answers 400 at once);
2. for a prototype method, load the instance with ``findById`` (the shared
   constructor); a missing one becomes 404 ``could not find a model with id
   <id>`` after the before hooks would have run, as ``sharedCtorError``;
3. ``rest.before``, the before hooks, the method, the after hooks (errors
   go through the afterError hooks), ``rest.after`` (null -> 404 for
   findById/findOne/hasOne get, HEAD exists -> 404);
4. the response: ``http.status`` or 200, JSON body, or 204 with no body
   when the method returns nothing.

Unknown paths give strong-remoting's 404 messages; every error is written by
the strong-error-handler port (:mod:`.error_handler`).
"""

import re

from ..errors import LoopBackError
from ..js.values import to_string
from ..relations.cache import data_of
from .context import HttpContext, default_options
from .error_handler import send_error
from .shared_class import shared_class_for
from .types import UNDEFINED, AnyConverter

_VERB_ORDER_KEY = {'del': 'delete'}


def compile_path(path):
    """Express 4 path -> (regex, [param names]): ':id' matches one segment, '/?' at the end."""
    keys = []

    def repl(m):
        keys.append(m.group(1))
        return '([^/]+?)'

    pattern = re.sub(r':(\w+)', repl, re.escape(path).replace('\\:', ':'))
    pattern = pattern.rstrip('/') if pattern != '/' else ''
    return re.compile('^' + pattern + '/?$', re.IGNORECASE), keys


def sort_key_routes(entries):
    """strong-remoting's sortRoutes: verbs descending, literal segments before params."""
    import functools

    def cmp(r1, r2):
        v1 = _VERB_ORDER_KEY.get(r1[0], r1[0])
        v2 = _VERB_ORDER_KEY.get(r2[0], r2[0])
        if v1 != v2:
            return -1 if v1 > v2 else 1
        p1 = r1[1].split('/')
        p2 = r2[1].split('/')
        for a, b in zip(p1, p2):
            if a == '' and b != '':
                return 1
            if a != '' and b == '':
                return -1
            if a[:1] == ':' and b[:1] != ':':
                return 1
            if a[:1] != ':' and b[:1] == ':':
                return -1
            if a != b:
                return 1 if a > b else -1
        return len(p2) - len(p1)

    return sorted(entries, key=functools.cmp_to_key(cmp))


def join_paths(left, right):
    if not left:
        return right
    if not right or right == '/':
        return left
    if left.endswith('/') and right.startswith('/'):
        return left + right[1:]
    if left.endswith('/') or right.startswith('/'):
        return left + right
    return left + '/' + right


def normalize_http_path(path):
    """``remoting.rest.normalizeHttpPath``: 'findOne' -> 'find-one', 'Suppliers' -> 'suppliers'."""
    def segment(m):
        text = m.group(0)
        if ':' in text:
            return text
        # inflection.transform(text, ['underscore', 'dasherize'])
        text = re.sub(r'([A-Z])', r'_\1', text)
        text = re.sub(r'^_', '', text).lower()
        return text.replace('_', '-')
    return re.sub(r'[^/]+', segment, path)


class RestClass:
    """The routes of one shared class."""

    def __init__(self, shared_class, normalize=False):
        self.sharedClass = shared_class
        self.name = shared_class.name
        if shared_class.options.get('normalizeHttpPath') is not None:
            normalize = shared_class.options['normalizeHttpPath']
        to_path = normalize_http_path if normalize else (lambda p: p)
        self.path = to_path(shared_class.http_path)
        self.methods = shared_class.methods()
        entries = []
        for method in self.methods:
            for route in method.routes:
                path = to_path(route['path'])
                path = path if method.isStatic else join_paths('/:id', path)
                entries.append((route['verb'], path, method))
        self.routes = []
        for verb, path, method in sort_key_routes(entries):
            regex, keys = compile_path(path)
            self.routes.append((verb, path, regex, keys, method))

    def match(self, verb, path):
        verb = verb.lower()
        candidates = [verb, 'all'] if verb != 'head' else ['head', 'get', 'all']
        for wanted in candidates:
            for route_verb, _path, regex, keys, method in self.routes:
                if route_verb != wanted:
                    continue
                m = regex.match(path)
                if m:
                    params = {k: _decode(v) for k, v in zip(keys, m.groups())}
                    return method, params
        return None, None


def _decode(value):
    from urllib.parse import unquote
    return unquote(value)


class RestAdapter:
    """Dispatches requests for one app (``app.remotes()`` holds the hooks)."""

    def __init__(self, app):
        self.app = app
        self._cache_key = None
        self._classes = []

    def classes(self):
        """RestClass of every public model, rebuilt when models or methods change."""
        models = self.app.public_models()
        key = tuple((m.modelName, id(m), len(getattr(m, 'relations', None) or {}),
                     shared_class_for(m).version) for m in models)
        if key != self._cache_key:
            normalize = bool((self.remoting_options.get('rest') or {}).get('normalizeHttpPath'))
            self._classes = [RestClass(shared_class_for(m), normalize) for m in models]
            self._cache_key = key
        return self._classes

    @property
    def remoting_options(self):
        return self.app.get('remoting') or {}

    def error_options(self):
        """The strong-error-handler options of REST errors.

        # LoopBack: strong-remoting's RestAdapter.errorHandler(remotes.options.errorHandler)
        Unless ``remoting.rest.handleErrors`` is false, strong-remoting answers
        errors itself with the ``remoting.errorHandler`` options (``debug``,
        ``log``, ``safeFields``); they override the app's error handler's.
        """
        options = self.app.error_handler_options()
        remoting = self.remoting_options
        if (remoting.get('rest') or {}).get('handleErrors') is not False:
            options.update(remoting.get('errorHandler') or {})
        return options

    def handle(self, req, res, done):
        """Serve ``req`` (already mounted at restApiRoot); ``done()`` when ``res`` is ready."""
        def fail(err):
            send_error(req, res, err, self.error_options())
            done()

        try:
            opts = self.remoting_options
            req.parse_body(opts.get('json') or {'strict': False, 'limit': '100kb'},
                           opts.get('urlencoded'))
        except LoopBackError as err:
            return fail(err)
        rest_class = self._find_class(req.path)
        if rest_class is None:
            return fail(LoopBackError('There is no method to handle %s %s' % (req.method, req.url),
                                      statusCode=404))
        req.mount(rest_class.path if req.path.lower().startswith(rest_class.path.lower())
                  else req.path)
        method, params = rest_class.match(req.method, req.path)
        if method is None:
            return fail(LoopBackError('Shared class "%s" has no method handling %s %s'
                                      % (rest_class.name, req.method, req.url), statusCode=404))
        req.params = params
        try:
            ctx = HttpContext(req, res, method, opts.get('rest') or {})
        except Exception as err:   # argument conversion failed: a 400 before any hook
            return fail(err)
        if method.isStatic:
            return self._invoke(ctx, method, fail, done)
        self._load_instance(ctx, method, lambda: self._invoke(ctx, method, fail, done), fail)

    def _find_class(self, path):
        low = path.lower()
        for rest_class in self.classes():
            base = rest_class.path.lower()
            if low == base or low.startswith(base + '/'):
                return rest_class
        return None

    def _load_instance(self, ctx, method, proceed, fail):
        """The shared constructor: ``findById(id)``; errors are kept for later."""
        model = method.ctor
        raw_id = ctx.req.params.get('id', UNDEFINED)
        ctor_id, _err = AnyConverter().from_sloppy(raw_id)
        options = default_options(model, ctx)
        ctx.ctorArgs = {'id': ctor_id, 'options': options}
        if ctor_id is None or ctor_id is UNDEFINED:
            ctx.sharedCtorError = LoopBackError('must specify an id or data')
            return proceed()

        def found(err=None, inst=None, *rest):
            if err:
                ctx.sharedCtorError = err
            elif inst is None:
                ctx.sharedCtorError = LoopBackError(
                    'could not find a model with id %s' % to_string(ctor_id),
                    statusCode=404, code='MODEL_NOT_FOUND')
            else:
                ctx.instance = inst
            proceed()

        try:
            model.findById(ctor_id, {}, options, found)
        except Exception as exc:
            ctx.sharedCtorError = exc
            proceed()

    def _invoke(self, ctx, method, fail, done):
        hooks = self.app.remotes()

        def finish(err=None):
            if err:
                return fail(err)
            try:
                self._respond(ctx)
            except Exception as exc:
                return fail(exc)
            done()

        def run_rest_after(err=None):
            if err:
                return finish(err)
            after = method.rest.get('after')
            if not after:
                return finish()
            self._rest_after(after, ctx, method, finish)

        def invoke_failed(err):
            ctx.error = err
            hooks.exec_hooks('afterError', method, ctx,
                             lambda hook_err=None: finish(hook_err or err))

        def after_hooks_done(err=None):
            if err:
                return invoke_failed(err)
            run_rest_after()

        def invoked(err=None, result=UNDEFINED):
            if err:
                default_status = method.error_status()
                if default_status and ctx.res.statusCode == 200:
                    ctx.res.status(getattr(err, 'statusCode', None) or default_status)
                return invoke_failed(err)
            ctx.result = result
            hooks.exec_hooks('after', method, ctx, after_hooks_done)

        def before_done(err=None):
            if err:
                return invoke_failed(err)
            try:
                method.invoke(ctx.getScope(), ctx.args, ctx, invoked)
            except Exception as exc:
                invoked(exc)

        def authorized(err=None):
            if err:
                return invoke_failed(err)
            if ctx.sharedCtorError is not None:
                return invoke_failed(ctx.sharedCtorError)
            hooks.exec_hooks('before', method, ctx, before_done)

        def invoke_in_context():
            # strong-remoting's phases: 'auth' (remotes.authorization, set by
            # app.enableAuth), then the shared constructor's error, then 'before'
            authorize = getattr(hooks, 'authorization', None)
            if not callable(authorize):
                return authorized()
            try:
                authorize(ctx, authorized)
            except Exception as exc:
                authorized(exc)

        before = method.rest.get('before')
        if callable(before):
            return before(ctx, lambda err=None: finish(err) if err else invoke_in_context())
        invoke_in_context()

    def _rest_after(self, after, ctx, method, cb):
        if callable(after):
            return after(ctx, cb)
        if after == 'null_to_404':
            if ctx.result is not None:
                return cb()
            unset = method.rest.get('unset_property')
            if unset and ctx.instance is not None and unset not in data_of(ctx.instance):
                # an embedsOne never set is juggler's undefined, not null: a 204
                ctx.result = UNDEFINED
                return cb()
            to_model = method.rest.get('to_model')
            if to_model:
                fk = ctx.getArgByName('fk')
                msg = ('Unknown "%s" id "%s".' % (to_model, to_string(fk)) if fk is not UNDEFINED
                       and fk else 'No "%s" instance(s) found' % to_model)
            else:
                msg = 'Unknown "%s" id "%s".' % (method.sharedClass.name,
                                                to_string(ctx.getArgByName('id')))
            return cb(LoopBackError(msg, statusCode=404, code='MODEL_NOT_FOUND', status=404))
        if after == 'exists_head':
            if ctx.req.method == 'GET':
                return cb()
            result = ctx.result if isinstance(ctx.result, dict) else {}
            if not result.get('exists'):
                msg = 'Unknown "%s" id "%s".' % (method.sharedClass.name,
                                                to_string(ctx.getArgByName('id')))
                return cb(LoopBackError(msg, statusCode=404, code='MODEL_NOT_FOUND', status=404))
            return cb()
        return cb()

    def _respond(self, ctx):
        """``HttpContext#done``: status, content negotiation, JSON body or 204."""
        res = ctx.res
        if res.finished:
            return
        status = ctx.method.status()
        if status:
            res.status(status)
        accept = ctx.req.query.get('_format') or ctx.req.get('accept')
        if not _accepts_json(accept):
            res.status(406)
            res.set('Content-Type', 'text/plain; charset=utf-8')
            res.send(b'Not Acceptable')
            return
        if res.get('content-type') is None and not 300 <= res.statusCode <= 399:
            res.set('Content-Type', 'application/json; charset=utf-8')
        if ctx.result is UNDEFINED:
            if res.statusCode == 200:
                res.status(204)
            res.end(b'')
            return
        res.json(ctx.result)


def _accepts_json(accept):
    if not accept:
        return True
    if not isinstance(accept, str):
        return False
    for part in accept.split(','):
        media = part.split(';')[0].strip().lower()
        q = 1.0
        for param in part.split(';')[1:]:
            name, _, value = param.strip().partition('=')
            if name == 'q':
                try:
                    q = float(value)
                except ValueError:
                    q = 0
        if q <= 0:
            continue
        if media in ('*/*', 'application/*', 'application/json', 'json', 'text/javascript',
                     'application/javascript', 'application/vnd.api+json'):
            return True
    return False
