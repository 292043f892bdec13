"""Nested relation routes: ``Book.nestRemoting('pages')``.

# LoopBack: loopback lib/model.js (Model.nestRemoting)

``nest_remoting(Model, relationName, options=None, filterCallback=None)``
gives ``Model`` one remote method per instance method of the relation's
target whose name is ``__<op>__<relation>`` (the relation routes of the
target), reached through the relation:

    Book.hasMany(Page); Page.hasMany(Note); Book.nestRemoting('pages')
    GET /books/{id}/pages/{nk}/notes        Book.prototype.__get__pages__notes
    GET /books/{id}/pages/{nk}/notes/{fk}   Book.prototype.__findById__pages__notes

    Image.belongsTo(Book); Image.nestRemoting('book')
    GET /images/{id}/book/pages             Image.prototype.__get__book__pages

A relation declared with ``options: {nestRemoting: true}`` is nested the
first time the model's remote methods are listed.  The nested method first
loads the related instance with the relation's getter (``__findById__<rel>``
with ``nk`` for a relation to many, ``__get__<rel>`` otherwise), passing the
request's options: a ``nk`` of another parent is the getter's 404 (``No
instance with id 2 found for Page``), a missing parent the usual ``could not
find a model with id``.  Then it calls the target's method on that instance
with the remaining arguments; a getter answering no instance (a belongsTo
not set) makes the result null, and an exception the method raises is the
call's error.  Its ``accepts`` are ``nk`` (relation to many) and the target
method's; returns, description, access type and ``rest`` (with
``delegateTo``, the target's SharedMethod) are the target method's; each
route of the target with a path gets ``/<path>[/:nk]`` in front.

``options``: ``pathName`` (default the relation's ``options.path``, else its
name), ``paramName`` (``nk``), ``getterName``, ``filterMethod`` (as
``filterCallback(method, relation)``: the nested method's name, or a falsy
value to skip ``method``), ``hooks`` (default true: the target model's
before/after remote hooks registered for exactly ``prototype.<method>`` also
run for the nested method; they are looked up when the call is made).  A
relation is nested once (later calls return at once); an unknown relation
raises ``Relation `x` does not exist for model `Y```.
"""

import re

from ..errors import LoopBackError
from ..events import call_fitted
from .shared_class import shared_class_for

_RELATION_METHOD = re.compile(r'^__([^_]+)__([^_]+)$')


def _default_filter(method, relation):
    """``__get__notes`` -> ``__get__pages__notes``; other names are not nested."""
    matches = _RELATION_METHOD.match(method.name)
    if matches:
        return '__%s__%s__%s' % (matches.group(1), relation.name, matches.group(2))
    return None


def nest_remoting(model, relationName, options=None, filterCallback=None):
    """Define the nested routes of ``model``'s relation ``relationName`` (module docstring).

    # LoopBack: Model.nestRemoting(relationName, [options], [filterCallback])
    """
    if callable(options) and filterCallback is None:
        filterCallback, options = options, {}
    options = options if isinstance(options, dict) else {}
    relation = (getattr(model, 'relations', None) or {}).get(relationName)
    if relation is not None and getattr(relation, '_nestRemotingProcessed', False):
        return None          # prevent unwanted circular traversals
    model_to = getattr(relation, 'modelTo', None)
    if model_to is None:
        raise LoopBackError('Relation `%s` does not exist for model `%s`'
                            % (relationName, model.modelName))
    relation._nestRemotingProcessed = True
    shared = shared_class_for(model)
    relation_options = getattr(relation, 'options', None) or {}
    path_name = options.get('pathName') or relation_options.get('path') or relationName
    param = options.get('paramName') or 'nk'
    multiple = bool(getattr(relation, 'multiple', False))
    if multiple:
        http_path = '%s/:%s' % (path_name, param)
        accept_args = [{'arg': param, 'type': 'any', 'http': {'source': 'path'},
                        'description': 'Foreign key for %s.' % relation.name, 'required': True}]
    else:
        http_path, accept_args = path_name, []
    if not http_path.startswith('/'):
        http_path = '/' + http_path
    pick = filterCallback or options.get('filterMethod') or _default_filter
    getter = options.get('getterName') or \
        ('__findById__' if multiple else '__get__') + relationName
    nested_methods = []
    for method in shared_class_for(model_to).methods():
        name = None if method.isStatic else call_fitted(pick, method, relation)
        if not name:
            continue
        if not callable(getattr(relation.modelFrom, getter, None)):
            raise LoopBackError('Invalid remote method: `%s`' % getter)
        if not callable(getattr(model_to, method.name, None)):
            raise LoopBackError('Invalid remote method: `%s`' % method.name)
        spec = _nested_spec(method, accept_args, http_path)
        fn = _nested_function(relation, getter, method.name, multiple, _has_options(spec))
        nested_methods.append(shared.defineMethod(name, spec, fn))
    if options.get('hooks') is not False:
        for nested in nested_methods:
            _inherit_hooks(model, nested, model_to.modelName)
    return None


def _nested_spec(method, accept_args, http_path):
    """The nested method's options: the target method's, behind ``http_path``."""
    routes = method.http if isinstance(method.http, list) else [method.http or {}]
    return {
        'isStatic': False,
        'accepts': [dict(a) for a in accept_args] + [dict(a) for a in method.accepts],
        'returns': [dict(r) for r in method.returns],
        'description': method.description,
        'accessType': method.accessType,
        'rest': dict(method.rest, delegateTo=method),
        'http': [dict(route, path=http_path + route['path'])
                 for route in routes if isinstance(route, dict) and route.get('path')],
    }


def _has_options(spec):
    """The last accepted argument is the ``options`` LB3 builds from the request."""
    last = spec['accepts'][-1] if spec['accepts'] else {}
    return (last.get('arg') or last.get('name')) == 'options' and \
        last.get('type') == 'object' and bool(last.get('http'))


def _nested_function(relation, getter, method_name, multiple, has_options):
    """``fn(instance, [nk], *args, cb)``: the getter's instance, then its ``method_name``."""
    def call_on_related(cb, args):
        def got(err=None, inst=None, *_rest):
            if err:
                return cb(err)
            if isinstance(inst, relation.modelTo):
                try:
                    getattr(inst, method_name)(*args)
                except Exception as exc:      # a throwing method answers the call with its error
                    return cb(exc)
            else:
                cb(err, None)
        return got

    def context_options(args):
        return (args[-2] if has_options and len(args) >= 2 else None) or {}

    if multiple:
        def nested(self, fk, *args):
            getattr(self, getter)(fk, context_options(args), call_on_related(args[-1], args))
    else:
        def nested(self, *args):
            getattr(self, getter)(context_options(args), call_on_related(args[-1], args))
    return nested


def _inherit_hooks(model, nested, to_model_name):
    """The target's hooks on ``prototype.<delegate>`` run for the nested method too."""
    delegate = nested.rest.get('delegateTo')
    before_remote = getattr(model, 'beforeRemote', None)
    if delegate is None or not callable(before_remote):
        return
    target = '%s.prototype.%s' % (to_model_name, delegate.name)
    for when, add in (('before', before_remote), ('after', model.afterRemote)):
        add('prototype.' + nested.name, _listeners_of(model, when, target))


def _listeners_of(model, when, target):
    def run(ctx, _result, next_):
        app = model.__dict__.get('_lb_app')
        if app is None:
            return next_()
        app.remotes().exec_listeners(when, target, ctx.method, ctx, next_)
    return run
