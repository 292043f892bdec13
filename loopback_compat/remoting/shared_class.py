"""The remoting description of a model: which methods LoopBack 3 exposes, and where.

# LoopBack: loopback lib/model.js (sharedCtor, remoteMethod, hasOneRemoting,
#           belongsToRemoting, hasManyRemoting, scopeRemoting),
#           lib/persisted-model.js (setupRemoting), strong-remoting lib/shared-class.js

:func:`shared_class_for(Model)` gives (creating once) the model's
:class:`SharedClass`.  Its :meth:`SharedClass.methods` lists, in LoopBack's
order: the PersistedModel endpoints (for models attached to a data source),
the model's own ``remoteMethod`` definitions (and a model JSON ``methods``
block, and the nested methods of ``nestRemoting``), then one group per
relation: hasOne and embedsOne ``__get__/__create__/__update__/
__destroy__<rel>``, belongsTo ``__get__<rel>``, hasMany, embedsMany and
referencesMany ``__findById__/__destroyById__/__updateById__<rel>`` (and
``__link__/__unlink__/__exists__<rel>`` for a hasMany through and a
referencesMany), then one group per scope: ``__get__/__create__/__delete__/
__count__<scope>``, on the instances for a relation's scope, on the model
for a named scope (``GET /Stores/superStores``).  A relation declared with
``options.nestRemoting`` is nested (remoting/nest_remoting.py) the first
time the methods are listed.  LB3's ``replaceOnPUT`` default (true) decides
what ``PUT /`` and ``PUT /{id}`` mean.
"""

from ..errors import LoopBackError
from ..js.values import to_string
from ..inflection import pluralize
from .shared_method import SharedMethod

OPTIONS_ARG = {'arg': 'options', 'type': 'object', 'http': 'optionsFromRequest'}
ID_ARG = {'arg': 'id', 'type': 'any', 'description': 'Model id', 'required': True,
          'http': {'source': 'path'}}
FILTER_DESC = ('Filter defining fields, where, include, order, offset, and limit - must be a '
               'JSON-encoded string (`{"where":{"something":"value"}}`).  See '
               'https://loopback.io/doc/en/lb3/Querying-data.html#using-stringified-json-'
               'in-rest-queries for more details.')


def _data_arg(type_name, description='Model instance data', **extra):
    arg = {'arg': 'data', 'type': 'object', 'model': type_name, 'http': {'source': 'body'},
           'description': description}
    arg.update(extra)
    return arg


def persisted_model_methods(type_name, replace_on_put=True):
    """``(name, options, delegate names)`` of PersistedModel.setupRemoting, in order."""
    root = {'arg': 'data', 'type': type_name, 'root': True}
    upsert_http = [{'verb': 'patch', 'path': '/'}]
    if not replace_on_put:
        upsert_http.insert(0, {'verb': 'put', 'path': '/'})
    roc_http = [{'verb': 'post', 'path': '/replaceOrCreate'}]
    rbi_http = [{'verb': 'post', 'path': '/:id/replace'}]
    patch_http = [{'verb': 'patch', 'path': '/'}]
    if replace_on_put:
        roc_http.append({'verb': 'put', 'path': '/'})
        rbi_http.append({'verb': 'put', 'path': '/:id'})
    else:
        patch_http.insert(0, {'verb': 'put', 'path': '/'})
    return [
        ('create', {
            'description': 'Create a new instance of the model and persist it into the data source.',
            'accessType': 'WRITE',
            'accepts': [_data_arg(type_name, allowArray=True), OPTIONS_ARG],
            'returns': root, 'http': {'verb': 'post', 'path': '/'}}, ['create']),
        ('patchOrCreate', {
            'aliases': ['upsert', 'updateOrCreate'],
            'description': 'Patch an existing model instance or insert a new one into the data source.',
            'accessType': 'WRITE', 'accepts': [_data_arg(type_name), OPTIONS_ARG],
            'returns': root, 'http': upsert_http},
         ['patchOrCreate', 'upsert', 'updateOrCreate']),
        ('replaceOrCreate', {
            'description': 'Replace an existing model instance or insert a new one into the data source.',
            'accessType': 'WRITE', 'accepts': [_data_arg(type_name), OPTIONS_ARG],
            'returns': root, 'http': roc_http}, ['replaceOrCreate']),
        ('upsertWithWhere', {
            'aliases': ['patchOrCreateWithWhere'],
            'description': 'Update an existing model instance or insert a new one into the data '
                           'source based on the where criteria.',
            'accessType': 'WRITE',
            'accepts': [{'arg': 'where', 'type': 'object', 'http': {'source': 'query'},
                         'description': 'Criteria to match model instances'},
                        _data_arg(type_name, 'An object of model property name/value pairs'),
                        OPTIONS_ARG],
            'returns': root, 'http': {'verb': 'post', 'path': '/upsertWithWhere'}},
         ['upsertWithWhere', 'patchOrCreateWithWhere']),
        ('exists', {
            'description': 'Check whether a model instance exists in the data source.',
            'accessType': 'READ', 'accepts': [ID_ARG, OPTIONS_ARG],
            'returns': {'arg': 'exists', 'type': 'boolean'},
            'http': [{'verb': 'get', 'path': '/:id/exists'}, {'verb': 'head', 'path': '/:id'}],
            'rest': {'after': 'exists_head'}}, ['exists']),
        ('findById', {
            'description': 'Find a model instance by {{id}} from the data source.',
            'accessType': 'READ',
            'accepts': [ID_ARG, {'arg': 'filter', 'type': 'object', 'description':
                                 'Filter defining fields and include - must be a JSON-encoded '
                                 'string ({"something":"value"})'}, OPTIONS_ARG],
            'returns': root, 'http': {'verb': 'get', 'path': '/:id'},
            'rest': {'after': 'null_to_404'}}, ['findById']),
        ('replaceById', {
            'description': 'Replace attributes for a model instance and persist it into the data source.',
            'accessType': 'WRITE', 'accepts': [ID_ARG, _data_arg(type_name), OPTIONS_ARG],
            'returns': root, 'http': rbi_http}, ['replaceById']),
        ('find', {
            'description': 'Find all instances of the model matched by filter from the data source.',
            'accessType': 'READ',
            'accepts': [{'arg': 'filter', 'type': 'object', 'description': FILTER_DESC}, OPTIONS_ARG],
            'returns': {'arg': 'data', 'type': [type_name], 'root': True},
            'http': {'verb': 'get', 'path': '/'}}, ['find']),
        ('findOne', {
            'description': 'Find first instance of the model matched by filter from the data source.',
            'accessType': 'READ',
            'accepts': [{'arg': 'filter', 'type': 'object', 'description': FILTER_DESC}, OPTIONS_ARG],
            'returns': root, 'http': {'verb': 'get', 'path': '/findOne'},
            'rest': {'after': 'null_to_404'}}, ['findOne']),
        ('destroyAll', {
            'description': 'Delete all matching records.', 'accessType': 'WRITE',
            'accepts': [{'arg': 'where', 'type': 'object', 'description': 'filter.where object'},
                        OPTIONS_ARG],
            'returns': {'arg': 'count', 'type': 'object', 'root': True,
                        'description': 'The number of instances deleted'},
            'http': {'verb': 'del', 'path': '/'}, 'shared': False}, ['destroyAll']),
        ('updateAll', {
            'aliases': ['update'],
            'description': 'Update instances of the model matched by {{where}} from the data source.',
            'accessType': 'WRITE',
            'accepts': [{'arg': 'where', 'type': 'object', 'http': {'source': 'query'},
                         'description': 'Criteria to match model instances'},
                        _data_arg(type_name, 'An object of model property name/value pairs'),
                        OPTIONS_ARG],
            'returns': {'arg': 'info', 'root': True,
                        'description': 'Information related to the outcome of the operation',
                        'type': {'count': {'type': 'number',
                                           'description': 'The number of instances updated'}}},
            'http': {'verb': 'post', 'path': '/update'}}, ['updateAll', 'update']),
        ('deleteById', {
            'aliases': ['destroyById', 'removeById'],
            'description': 'Delete a model instance by {{id}} from the data source.',
            'accessType': 'WRITE', 'accepts': [ID_ARG, OPTIONS_ARG],
            'http': {'verb': 'del', 'path': '/:id'},
            'returns': {'arg': 'count', 'type': 'object', 'root': True}},
         ['deleteById', 'destroyById', 'removeById']),
        ('count', {
            'description': 'Count instances of the model matched by where from the data source.',
            'accessType': 'READ',
            'accepts': [{'arg': 'where', 'type': 'object',
                         'description': 'Criteria to match model instances'}, OPTIONS_ARG],
            'returns': {'arg': 'count', 'type': 'number'},
            'http': {'verb': 'get', 'path': '/count'}}, ['count']),
        ('prototype.patchAttributes', {
            'aliases': ['updateAttributes'],
            'description': 'Patch attributes for a model instance and persist it into the data source.',
            'accessType': 'WRITE',
            'accepts': [_data_arg(type_name, 'An object of model property name/value pairs'),
                        OPTIONS_ARG],
            'returns': root, 'http': patch_http}, ['patchAttributes', 'updateAttributes']),
    ]


def has_one_methods(rel_name, relation):
    """The four hasOne endpoints (``Model.hasOneRemoting``)."""
    path = '/' + _relation_path(rel_name, relation)
    to_name = relation.modelTo.modelName
    after = {'after': 'null_to_404', 'to_model': to_name}
    if relation.type == 'embedsOne':
        after['unset_property'] = relation.keyFrom     # never set: 204, as LB3
    return [
        ('prototype.__get__' + rel_name, {
            'http': {'verb': 'get', 'path': path},
            'accepts': [{'arg': 'refresh', 'type': 'boolean', 'http': {'source': 'query'}},
                        OPTIONS_ARG],
            'description': 'Fetches hasOne relation %s.' % rel_name, 'accessType': 'READ',
            'returns': {'arg': rel_name, 'type': to_name, 'root': True},
            'rest': after}),
        ('prototype.__create__' + rel_name, {
            'http': {'verb': 'post', 'path': path},
            'accepts': [{'arg': 'data', 'type': 'object', 'model': to_name,
                         'http': {'source': 'body'}}, OPTIONS_ARG],
            'description': 'Creates a new instance in %s of this model.' % rel_name,
            'accessType': 'WRITE', 'returns': {'arg': 'data', 'type': to_name, 'root': True}}),
        ('prototype.__update__' + rel_name, {
            'http': {'verb': 'put', 'path': path},
            'accepts': [{'arg': 'data', 'type': 'object', 'model': to_name,
                         'http': {'source': 'body'}}, OPTIONS_ARG],
            'description': 'Update %s of this model.' % rel_name, 'accessType': 'WRITE',
            'returns': {'arg': 'data', 'type': to_name, 'root': True}}),
        ('prototype.__destroy__' + rel_name, {
            'http': {'verb': 'delete', 'path': path}, 'accepts': [OPTIONS_ARG],
            'description': 'Deletes %s of this model.' % rel_name, 'accessType': 'WRITE'}),
    ]


def has_many_methods(rel_name, relation):
    """The hasMany endpoints by foreign key (``Model.hasManyRemoting``, no ``through``)."""
    path = '/' + _relation_path(rel_name, relation) + '/:fk'
    to_name = relation.modelTo.modelName
    fk_arg = {'arg': 'fk', 'type': 'any', 'description': 'Foreign key for %s' % rel_name,
              'required': True, 'http': {'source': 'path'}}
    methods = [
        ('prototype.__findById__' + rel_name, {
            'http': {'verb': 'get', 'path': path}, 'accepts': [fk_arg, OPTIONS_ARG],
            'description': 'Find a related item by id for %s.' % rel_name,
            'accessType': 'READ', 'returns': {'arg': 'result', 'type': to_name, 'root': True},
            'rest': {'after': 'null_to_404', 'to_model': to_name}}),
        ('prototype.__destroyById__' + rel_name, {
            'http': {'verb': 'delete', 'path': path}, 'accepts': [fk_arg, OPTIONS_ARG],
            'description': 'Delete a related item by id for %s.' % rel_name,
            'accessType': 'WRITE', 'returns': []}),
        ('prototype.__updateById__' + rel_name, {
            'http': {'verb': 'put', 'path': path},
            'accepts': [fk_arg, {'arg': 'data', 'type': 'object', 'model': to_name,
                                 'http': {'source': 'body'}}, OPTIONS_ARG],
            'description': 'Update a related item by id for %s.' % rel_name,
            'accessType': 'WRITE', 'returns': {'arg': 'result', 'type': to_name, 'root': True}}),
    ]
    through = getattr(relation, 'modelThrough', None)
    if through is not None or relation.type == 'referencesMany':
        methods += _link_methods(rel_name, relation, path, fk_arg, through)
    return methods


def _link_methods(rel_name, relation, path, fk_arg, through):
    """``__link__``/``__unlink__``/``__exists__`` at ``/<relation>/rel/:fk``.

    For a hasMany through (hasAndBelongsToMany) and a referencesMany.
    """
    rel_path = path[:-len('/:fk')] + '/rel/:fk'
    linked = (through or relation.modelTo).modelName
    # only a hasMany through takes the link model's data (its extra properties)
    data = [{'arg': 'data', 'type': 'object', 'model': linked, 'http': {'source': 'body'}}] \
        if relation.type == 'hasMany' and through is not None else []
    return [
        ('prototype.__link__' + rel_name, {
            'http': {'verb': 'put', 'path': rel_path},
            'accepts': [fk_arg] + data + [OPTIONS_ARG],
            'description': 'Add a related item by id for %s.' % rel_name,
            'accessType': 'WRITE', 'returns': {'arg': rel_name, 'type': linked, 'root': True}}),
        ('prototype.__unlink__' + rel_name, {
            'http': {'verb': 'delete', 'path': rel_path}, 'accepts': [fk_arg, OPTIONS_ARG],
            'description': 'Remove the %s relation to an item by id.' % rel_name,
            'accessType': 'WRITE', 'returns': []}),
        ('prototype.__exists__' + rel_name, {
            'http': {'verb': 'head', 'path': rel_path}, 'accepts': [fk_arg, OPTIONS_ARG],
            'description': 'Check the existence of %s relation to an item by id.' % rel_name,
            'accessType': 'READ', 'returns': {'arg': 'exists', 'type': 'boolean', 'root': True},
            'rest': {'after': _false_to_404}}),
    ]


def _false_to_404(ctx, cb):
    """HEAD .../rel/:fk: a false answer is a 404 naming the model and its id, as LB3's."""
    if ctx.result is not False:
        return cb()
    msg = 'Unknown "%s" id "%s".' % (ctx.method.sharedClass.name,
                                     to_string(ctx.getArgByName('id')))
    cb(LoopBackError(msg, statusCode=404, code='MODEL_NOT_FOUND', status=404))


def scope_methods(scope_name, scope, model):
    """A scope's endpoints (``Model.scopeRemoting``): GET/POST/DELETE ``/<scope>``, GET ``/count``.

    A named scope (the ``scopes`` setting, ``Model.scope()``) is static
    (``GET /Stations/active``); a relation's scope (hasMany, embedsMany,
    referencesMany) belongs to the instances (``GET /Customers/{id}/orders``).
    """
    options = getattr(scope, 'options', None) or {}
    http = options.get('http') if isinstance(options.get('http'), dict) else {}
    path = '/' + (http.get('path') or scope_name)
    model_to = scope.modelTo
    # a relation's scope (through a link model, too) returns the relation's target
    relation = (getattr(model, 'relations', None) or {}).get(scope_name)
    if relation is not None and getattr(relation, 'modelTo', None) is not None:
        model_to = relation.modelTo
    to_name = model_to.modelName
    update_only = getattr(model_to, 'getUpdateOnlyProperties', None)
    create_only = bool(update_only and update_only())
    prefix = '' if scope.isStatic else 'prototype.'
    return [
        (prefix + '__get__' + scope_name, {
            'http': {'verb': 'get', 'path': path},
            'accepts': [{'arg': 'filter', 'type': 'object'}, OPTIONS_ARG],
            'description': 'Queries %s of %s.' % (scope_name, model.modelName),
            'accessType': 'READ',
            'returns': {'arg': scope_name, 'type': [to_name], 'root': True}}),
        (prefix + '__create__' + scope_name, {
            'http': {'verb': 'post', 'path': path},
            'accepts': [{'arg': 'data', 'type': 'object', 'allowArray': True, 'model': to_name,
                         'createOnlyInstance': create_only, 'http': {'source': 'body'}},
                        OPTIONS_ARG],
            'description': 'Creates a new instance in %s of this model.' % scope_name,
            'accessType': 'WRITE', 'returns': {'arg': 'data', 'type': to_name, 'root': True}}),
        (prefix + '__delete__' + scope_name, {
            'http': {'verb': 'delete', 'path': path},
            # LB3 does not expose "where" here; it is there so options come third
            'accepts': [{'arg': 'where', 'type': 'object', 'http': _no_value}, OPTIONS_ARG],
            'description': 'Deletes all %s of this model.' % scope_name, 'accessType': 'WRITE'}),
        (prefix + '__count__' + scope_name, {
            'http': {'verb': 'get', 'path': path + '/count'},
            'accepts': [{'arg': 'where', 'type': 'object',
                         'description': 'Criteria to match model instances'}, OPTIONS_ARG],
            'description': 'Counts %s of %s.' % (scope_name, model.modelName),
            'accessType': 'READ', 'returns': {'arg': 'count', 'type': 'number'}}),
    ]


def _no_value(ctx):
    return None


def belongs_to_methods(rel_name, relation):
    """The belongsTo endpoint (``Model.belongsToRemoting``)."""
    model_to = getattr(relation, 'modelTo', None)
    to_name = model_to.modelName if model_to is not None else 'PersistedModel'
    return [('prototype.__get__' + rel_name, {
        'http': {'verb': 'get', 'path': '/' + _relation_path(rel_name, relation)},
        'accepts': [{'arg': 'refresh', 'type': 'boolean', 'http': {'source': 'query'}},
                    OPTIONS_ARG],
        'accessType': 'READ', 'description': 'Fetches belongsTo relation %s.' % rel_name,
        'returns': {'arg': rel_name, 'type': to_name, 'root': True}})]


def _relation_path(rel_name, relation):
    options = getattr(relation, 'options', None) or {}
    http = options.get('http') or {}
    return http.get('path') or rel_name


def _split_name(name, options):
    """'prototype.x' -> ('x', False); respects an explicit ``isStatic``."""
    if 'isStatic' in options and options['isStatic'] is not None:
        return name, bool(options['isStatic'])
    if name.startswith('prototype.'):
        return name[len('prototype.'):], False
    return name, True


class SharedClass:
    """The remotable face of one model class (LoopBack ``SharedClass``)."""

    def __init__(self, ctor):
        self.ctor = ctor
        self.name = ctor.modelName
        self._custom = []          # SharedMethods from remoteMethod(), in order
        self._disabled = set()
        self.version = 0           # bumped on every change, so routes get rebuilt

    @property
    def settings(self):
        return getattr(self.ctor, 'settings', None) or {}

    @property
    def http_path(self):
        """'/' + (``http.path`` or ``plural`` or the pluralised model name)."""
        http = self.settings.get('http') or {}
        path = http.get('path') if isinstance(http, dict) else None
        if path:
            return path if path.startswith('/') else '/' + path
        return '/' + (self.settings.get('plural') or pluralize(self.name))

    @property
    def options(self):
        return self.settings.get('remoting') or {}

    def defineMethod(self, name, options, fn=None):
        """Add (or redefine) a remote method; ``prototype.`` prefix or ``isStatic``."""
        options = dict(options or {})
        plain, is_static = _split_name(name, options)
        options['isStatic'] = is_static
        self._custom = [m for m in self._custom
                        if not (m.name == plain and m.isStatic == is_static)]
        method = SharedMethod(self, plain, options, fn)
        self._custom.append(method)
        self.version += 1
        return method

    def disableMethodByName(self, name):
        self._disabled.add(name)
        self.version += 1

    def _is_disabled(self, method):
        key = method.name if method.isStatic else 'prototype.' + method.name
        if key in self._disabled:
            return True
        prefix = '' if method.isStatic else 'prototype.'
        return any(prefix + alias in self._disabled for alias in method.aliases)

    def _persisted_methods(self):
        if not _is_persisted(self.ctor):
            return []
        replace_on_put = self.settings.get('replaceOnPUT') is not False
        out = []
        for name, options, delegates in persisted_model_methods(self.name, replace_on_put):
            plain, is_static = _split_name(name, options)
            options = dict(options, isStatic=is_static, delegate_names=delegates)
            out.append(SharedMethod(self, plain, options))
        return out

    def _relation_methods(self):
        """The resolver of LB3's Model.setup: each relation's endpoints, then each scope's."""
        out = []
        relations = getattr(self.ctor, 'relations', None) or {}
        for rel_name, relation in relations.items():
            rtype = getattr(relation, 'type', None)
            has_target = getattr(relation, 'modelTo', None) is not None
            if rtype == 'belongsTo':
                specs = belongs_to_methods(rel_name, relation)
            elif rtype in ('hasOne', 'embedsOne') and has_target:
                specs = has_one_methods(rel_name, relation)
            elif rtype in ('hasMany', 'embedsMany', 'referencesMany') and has_target:
                specs = has_many_methods(rel_name, relation)
            else:
                continue
            out += self._shared(specs)
        scopes = getattr(self.ctor, 'scopes', None) or {}
        for scope_name, scope in list(scopes.items()):
            if getattr(scope, 'modelTo', None) is None and \
                    getattr(relations.get(scope_name), 'modelTo', None) is None:
                continue       # a target picked per call (options.modelTo): no type to name
            out += self._shared(scope_methods(scope_name, scope, self.ctor))
        return out

    def _shared(self, specs):
        out = []
        for name, options in specs:
            plain, is_static = _split_name(name, options)
            out.append(SharedMethod(self, plain, dict(options, isStatic=is_static)))
        return out

    def _nest_flagged_relations(self):
        """Relations declared with ``options.nestRemoting`` get their nested routes (once)."""
        from .nest_remoting import nest_remoting     # it builds on this module
        for rel_name, relation in list((getattr(self.ctor, 'relations', None) or {}).items()):
            options = getattr(relation, 'options', None) or {}
            if options.get('nestRemoting') and \
                    not getattr(relation, '_nestRemotingProcessed', False):
                nest_remoting(self.ctor, rel_name)

    def methods(self, include_disabled=False):
        """Every shared method, LoopBack's order; disabled and ``shared: false`` left out."""
        self._nest_flagged_relations()
        custom_keys = {(m.name, m.isStatic) for m in self._custom}
        methods = [m for m in self._persisted_methods()
                   if (m.name, m.isStatic) not in custom_keys]
        methods += self._custom
        methods += [m for m in self._relation_methods()
                    if (m.name, m.isStatic) not in custom_keys]
        if include_disabled:
            return methods
        return [m for m in methods if m.shared and not self._is_disabled(m)]

    def find(self, name, is_static=True):
        for method in self.methods():
            if method.name == name and method.isStatic == is_static:
                return method
        return None


def _is_persisted(model):
    return callable(getattr(model, 'find', None)) and callable(getattr(model, 'create', None))


def shared_class_for(model):
    """The model's SharedClass, created on first use and kept on the class."""
    existing = model.__dict__.get('sharedClass')
    if isinstance(existing, SharedClass):
        return existing
    shared = SharedClass(model)
    model.sharedClass = shared
    return shared
