"""The OpenAPI 2.0 (Swagger) description of an app's REST API.

# LoopBack: loopback-component-explorer -> loopback-swagger (GET /explorer/swagger.json)

One path per route of every public model (``{id}`` for ``:id``), one
operation per verb with LoopBack's ``operationId`` (``Supplier.find``;
``Supplier.replaceById__put_Suppliers_{id}`` when a method has several
routes), parameters from ``accepts`` (the ``options`` argument hidden, the
shared constructor's ``id`` first for prototype methods), responses from
``returns`` (204 when there is none) and a definition per public model.

Hidden properties (the ``hidden`` setting) are left out of the definitions,
as loopback-swagger leaves them out.  Models that are not public
(``public: false`` in model-config) have no paths, tag or definition;
loopback-swagger still adds a definition for a non-public model that a
public model's relation reaches, here a schema that would name one is a
plain ``{"type": "object"}`` (docs/guarantees.md).  LoopBack's
PersistedModel (what a polymorphic belongsTo returns) has its definition, as
in loopback-swagger.  A property whose type is a public model (embedsOne,
embedsMany) refers to its definition.
"""

from .rest import join_paths
from .shared_class import shared_class_for
from .types import type_key

_SCALARS = {
    'number': {'type': 'number', 'format': 'double'},
    'integer': {'type': 'integer', 'format': 'int64'},
    'string': {'type': 'string'},
    'boolean': {'type': 'boolean'},
    'date': {'type': 'string', 'format': 'date-time'},
}


def _swagger_path(path):
    import re
    return re.sub(r':(\w+)', r'{\1}', path)


def _schema_for(type_, models):
    key = type_key(type_)
    if isinstance(key, list):
        return {'type': 'array', 'items': _schema_for(key[0], models)}
    if key == 'array':
        return {'type': 'array', 'items': {'$ref': '#/definitions/x-any'}}
    if key in _SCALARS:
        return dict(_SCALARS[key])
    if key in ('object', 'any'):
        return {'type': 'object'}
    if key == 'geopoint':
        return {'$ref': '#/definitions/GeoPoint'}
    name = models.get(key)
    if name:
        return {'$ref': '#/definitions/%s' % name}
    return {'type': 'object'}


def _param(arg, verb, own_model, models):
    http = arg.get('http')
    if http == 'optionsFromRequest' or callable(http):
        return None
    source = http.get('source') if isinstance(http, dict) else None
    if source in ('req', 'res', 'context'):
        return None
    if source is None:
        source = 'query' if verb in ('get', 'head', 'delete') else 'formData'
    location = {'form': 'formData'}.get(source, source)
    param = {'name': arg.get('name') or arg.get('arg'), 'in': location}
    if arg.get('description'):
        param['description'] = arg['description']
    param['required'] = bool(arg.get('required'))
    key = type_key(arg.get('type'))
    if location == 'body':
        model = arg.get('model') or (own_model if key == 'object' else None)
        schema = {}
        if arg.get('description'):
            schema['description'] = arg['description']
        name = models.get(model.lower()) if isinstance(model, str) else None
        if name:
            schema['$ref'] = '#/definitions/%s' % name
        elif model:     # a model that is not public: no definition to refer to
            schema['type'] = 'object'
        else:
            schema.update(_schema_for(arg.get('type'), models))
        param['schema'] = schema
        return param
    if key in ('object', 'any') or (not isinstance(key, list) and key not in _SCALARS
                                     and key != 'array'):
        param.update({'type': 'string', 'format': 'JSON'})
    elif isinstance(key, list) or key == 'array':
        item = key[0] if isinstance(key, list) else 'any'
        param.update({'type': 'array', 'items': _SCALARS.get(type_key(item), {'type': 'string'})})
    else:
        param.update(_SCALARS[key])
    return param


def _responses(method, models):
    status = str(method.status() or 200)
    if not method.returns:
        return {'204' if status == '200' else status: {'description': 'Request was successful'}}
    roots = [r for r in method.returns if r.get('root')]
    if roots:
        ret = roots[0]
        rtype = ret.get('type')
        if isinstance(rtype, dict):
            props = {}
            for name, spec in rtype.items():
                prop = {}
                if isinstance(spec, dict) and spec.get('description'):
                    prop['description'] = spec['description']
                prop.update(_schema_for(spec.get('type') if isinstance(spec, dict) else spec,
                                        models))
                props[name] = prop
            schema = {}
            if ret.get('description'):
                schema['description'] = ret['description']
            schema.update({'type': 'object', 'properties': props})
        else:
            schema = _schema_for(rtype, models)
    else:
        schema = {'type': 'object', 'properties': {
            (r.get('name') or r.get('arg')): _schema_for(r.get('type'), models)
            for r in method.returns}}
    return {status: {'description': 'Request was successful', 'schema': schema}}


#: LoopBack's base models, as loopback-swagger describes them when a schema names one
#: (a polymorphic belongsTo returns a PersistedModel)
_BUILTIN_DEFINITIONS = {
    'PersistedModel': {'properties': {'id': {'type': 'number', 'format': 'double'}},
                       'additionalProperties': False},
}


class _ModelNames(dict):
    """Lower-case model name -> the name its definition has: the public models.

    ``get`` also finds LoopBack's base models and remembers them in
    ``referenced``: loopback-swagger adds the definition of every model a
    schema names.  A model of the app that is not public stays unnamed (its
    schema is an object, docs/guarantees.md).
    """

    def __init__(self, public):
        super().__init__(public)
        self.referenced = {}

    def get(self, key, default=None):
        if key in self:
            return self[key]
        for name in _BUILTIN_DEFINITIONS:
            if name.lower() == key:
                self.referenced[name] = _BUILTIN_DEFINITIONS[name]
                return name
        return default


def _model_ref(key, models):
    """A $ref to a public model's definition (by lower-case name), else x-any's."""
    name = models.get(key)
    return {'$ref': '#/definitions/%s' % (name or 'x-any')}


def _hidden_names(model):
    settings = model.settings or {}
    hidden = settings.get('hiddenProperties', settings.get('hidden'))
    if not hidden:
        return ()
    if isinstance(hidden, str):
        return (hidden,)
    if isinstance(hidden, dict):
        return {k for k, v in hidden.items() if v}
    return set(hidden)


def _definition(model, models):
    props = {}
    required = []
    hidden = _hidden_names(model)
    for name, spec in model.definition.properties.items():
        if name in hidden:
            continue
        ptype = spec.get('type') if isinstance(spec, dict) else spec
        key = type_key(ptype)
        if isinstance(key, list) or key == 'array':
            item = type_key((spec.get('itemType') if isinstance(spec, dict) else None) or 'any')
            schema = {'type': 'array', 'items': _SCALARS.get(item, _model_ref(item, models))}
        elif key in _SCALARS:
            schema = dict(_SCALARS[key])
        elif key == 'text':
            # juggler's Text: a string (loopback-swagger 5.9 would print a
            # $ref to a 'Text' definition it never adds; docs/differences.md)
            schema = {'type': 'string'}
        elif key == 'any':
            schema = {'$ref': '#/definitions/x-any'}
        elif key == 'geopoint':
            schema = {'$ref': '#/definitions/GeoPoint'}
        elif key in models:
            schema = _model_ref(key, models)     # an embedded model (embedsOne)
        else:
            schema = {'type': 'object'}
        if isinstance(spec, dict) and spec.get('description'):
            schema['description'] = spec['description']
        if isinstance(spec, dict) and spec.get('default') is not None and \
                not callable(spec['default']):
            # a default computed per instance is no JSON value (loopback-swagger
            # prints JSON.stringify's, which leaves functions out)
            schema['default'] = spec['default']
        props[name] = schema
        if isinstance(spec, dict) and spec.get('required'):
            required.append(name)
    out = {'properties': props}
    if required:
        out['required'] = required
    # loopback-swagger: no additional properties unless the model is not
    # strict and its settings say additionalProperties: true
    settings = model.settings or {}
    if settings.get('strict') or settings.get('additionalProperties') is not True:
        out['additionalProperties'] = False
    return out


def build_swagger(app):
    """The swagger.json document of ``app``."""
    models = app.public_models()
    # only public models are named (a relation's non-public target is not)
    by_key = _ModelNames({m.modelName.lower(): m.modelName for m in models})
    paths = {}
    for model in models:
        shared = shared_class_for(model)
        base = shared.http_path
        for method in shared.methods():
            for route in method.routes:
                rel = route['path'] if method.isStatic else join_paths('/:id', route['path'])
                full = _swagger_path(join_paths(base, rel)).rstrip('/') or base
                verb = route['verb'] if route['verb'] != 'all' else 'post'
                op_id = method.stringName
                if len(method.routes) > 1:
                    op_id += '__%s%s' % (verb, full.replace('/', '_'))
                params = []
                if not method.isStatic:
                    params.append({'name': 'id', 'in': 'path',
                                   'description': '%s id' % shared.name, 'required': True,
                                   'type': 'string', 'format': 'JSON'})
                for arg in method.accepts:
                    param = _param(arg, verb, shared.name, by_key)
                    if param is not None:
                        params.append(param)
                op = {'tags': [shared.name]}
                if method.description:
                    op['summary'] = method.description
                op['operationId'] = op_id
                op['parameters'] = params
                op['responses'] = _responses(method, by_key)
                op['deprecated'] = False
                paths.setdefault(full, {})[verb] = op
    definitions = {'x-any': {'properties': {}}}
    for model in models:
        definitions[model.modelName] = _definition(model, by_key)
    for name, definition in by_key.referenced.items():
        definitions.setdefault(name, dict(definition))
    if '#/definitions/GeoPoint' in repr((paths, definitions)):
        # loopback-swagger's type registry: defined once something refers to it
        definitions['GeoPoint'] = {'properties': {'lat': {'type': 'number'},
                                                  'lng': {'type': 'number'}}}
    return {
        'swagger': '2.0',
        'info': {'version': app.get('version') or '1.0.0',
                 'title': app.get('title') or 'LoopBack Application',
                 'description': app.get('description') or 'LoopBack Application'},
        'basePath': app.get('restApiRoot') or '/api',
        'paths': paths,
        'tags': [{'name': m.modelName} for m in models],
        'consumes': ['application/json', 'application/x-www-form-urlencoded',
                     'application/xml', 'text/xml'],
        'produces': ['application/json', 'application/xml', 'text/xml',
                     'application/javascript', 'text/javascript'],
        'definitions': definitions,
    }
