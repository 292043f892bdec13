"""Boot a LoopBack 3 project layout into an app.

# LoopBack: require('loopback-boot')(app, __dirname, cb)   (loopback-boot 2.x)

``lb.boot(app, app_dir, cb)`` where ``app_dir`` is the ``server/`` folder
(as ``__dirname`` in server.js) or the project root containing it:

1. ``config.json`` -> app settings, overlaid by ``config.local.json`` and
   ``config.<env>.json`` (env = ``NODE_ENV`` or 'development'), objects
   merged deeply;
2. ``datasources.json`` (+ ``.local`` / ``.<env>`` overlays) -> one
   ``app.dataSource(name, config)`` each; ``${name}`` placeholders are filled
   from app settings, then environment variables (a whole-string placeholder
   keeps the value's type); they all share the app's one model builder
   (:func:`app_model_builder`, LB3's ``app.registry.modelBuilder``), so
   relations find their targets on any of them;
3. ``model-config.json`` (+ overlays): for each model entry, its definition
   is found in the ``_meta.sources`` folders (relative to ``server/``;
   default ``./models``; ``loopback/...`` built-ins are not provided) as
   ``<file>.json`` whose ``name`` (default: the file name in UpperCamel
   case) matches; base models defined in those folders are created first.
   The mixins the definitions name are loaded from the ``_meta.mixins``
   folders (default ``./mixins``): ``<name>.py`` defining ``def
   setup(Model, options)``, named as loopback-boot classifies file names
   (``time-stamp.py`` -> ``TimeStamp``; a ``<name>.json`` beside it may give
   the name).  The model is created on its ``dataSource`` (``options``
   merged into its settings; ``relations``/``acls`` overrides applied; its
   ``mixins`` applied), then its script runs, then ``app.model(Model,
   {dataSource, public})``;
4. ``middleware.json`` (+ overlays): the ``strong-error-handler`` params
   (``debug``, ``log``, ``safeFields``) and the ``loopback#rest`` path;
   ``component-config.json``: the explorer ``mountPath``;
5. ``boot/*.py`` in file-name order, in series.

Model scripts (the port of ``common/models/supplier.js``): a Python file
beside the JSON, same base name (``supplier.py``), defining
``def setup(Supplier): ...``; it receives the model class right after it is
created, before it joins the app, exactly when LoopBack calls
``module.exports = function(Supplier) {...}``.  Files starting with ``_`` are
skipped.

Boot scripts: ``server/boot/<name>.py`` defining ``def boot(app)``
(synchronous) or ``def boot(app, cb)`` (asynchronous: call ``cb()`` or
``cb(err)``); a Promise returned by either is awaited.

``cb(err)`` is called once everything has run (errors from definitions or
scripts stop the boot and go to ``cb``).  Without ``cb`` a Promise is
returned; and when called outside a running event loop (a WSGI module at
import time) ``boot`` drives the loop itself and returns only when booting
is complete, raising any boot error.
"""

import copy
import importlib.util
import inspect
import json
import os
import re

from . import auth
from .errors import LoopBackError
from .js.values import to_string
from .loop import get_loop, run as run_loop
from .promise import callback_and_promise, is_thenable

_PLACEHOLDER = re.compile(r'\$\{([^}]+)\}')
_SCRIPT_COUNTER = [0]


def boot(app, app_dir=None, cb=None):
    """Boot ``app`` from an LB3 layout (see the module docstring).

    # LoopBack: boot(app, __dirname, function(err) {...})
    """
    if isinstance(app_dir, dict):
        options = dict(app_dir)
        app_dir = options.get('appRootDir')
    else:
        options = {}
    if callable(app_dir) and cb is None:
        app_dir, cb = None, app_dir
    loop = get_loop()
    if cb is None and not loop.running:
        outcome = {}

        def main():
            _boot(app, app_dir, options, lambda err=None: outcome.setdefault('err', err))
        run_loop(main)
        if outcome.get('err'):
            raise outcome['err']
        return None
    cb, promise = callback_and_promise(cb)
    _boot(app, app_dir, options, cb)
    return promise


def _server_dir(app_dir):
    app_dir = os.path.abspath(app_dir or os.getcwd())
    if not os.path.exists(os.path.join(app_dir, 'config.json')) and \
            os.path.isdir(os.path.join(app_dir, 'server')):
        return os.path.join(app_dir, 'server')
    return app_dir


def _boot(app, app_dir, options, cb):
    app.booting = True
    try:
        server_dir = _server_dir(app_dir)
        env = options.get('env') or os.environ.get('NODE_ENV') or 'development'
        config = _load_config(server_dir, 'config', env)
        for key, value in config.items():
            app.set(key, value)
        if app.get('restApiRoot') is None:
            app.set('restApiRoot', '/api')
        _env_host_port(app)
        datasources = _load_config(server_dir, 'datasources', env)
        for name, ds_config in datasources.items():
            _share_builder(app.dataSource(name, _resolve(ds_config, app)), app)
        model_config = _load_config(server_dir, 'model-config', env)
        _define_models(app, server_dir, model_config)
        middleware = _load_config(server_dir, 'middleware', env)
        _apply_middleware(app, middleware)
        components = _load_config(server_dir, 'component-config', env)
        _apply_components(app, components)
        scripts = _boot_scripts(server_dir, options)
    except Exception as exc:
        app.booting = False
        return cb(exc if isinstance(exc, LoopBackError) else LoopBackError(str(exc)))

    def finished(err=None):
        app.booting = False
        if not err:
            app.booted = True
            app.emit('booted')
        cb(err)

    _run_scripts(app, scripts, finished)


# -- config files -------------------------------------------------------------------

def _read_json(path):
    try:
        with open(path, 'r', encoding='utf-8') as fh:
            return json.load(fh)
    except ValueError as exc:
        raise LoopBackError('Cannot parse %s: %s' % (path, exc)) from None


def merge(target, overlay):
    """Deep-merge ``overlay`` into a copy of ``target`` (dicts merged, others replaced)."""
    out = copy.deepcopy(target)
    for key, value in overlay.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _load_config(server_dir, base, env):
    """``<base>.json`` overlaid by ``<base>.local.json`` and ``<base>.<env>.json``."""
    config = {}
    for name in (base + '.json', base + '.local.json', '%s.%s.json' % (base, env)):
        path = os.path.join(server_dir, name)
        if os.path.exists(path):
            data = _read_json(path)
            if not isinstance(data, dict):
                raise LoopBackError('%s must contain a JSON object' % path)
            config = merge(config, data)
    return config


def _resolve(value, app):
    """Fill ``${name}`` placeholders from app settings, then environment variables."""
    if isinstance(value, dict):
        return {k: _resolve(v, app) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve(v, app) for v in value]
    if not isinstance(value, str):
        return value
    whole = _PLACEHOLDER.fullmatch(value)
    if whole:
        found = _lookup(whole.group(1), app)
        return value if found is None else found
    return _PLACEHOLDER.sub(lambda m: _js_str(_lookup(m.group(1), app), m.group(0)), value)


def _lookup(name, app):
    name = name.strip()
    setting = app.get(name)
    if setting is not None:
        return setting
    return os.environ.get(name)


def _js_str(value, fallback):
    return fallback if value is None else to_string(value)


def _env_host_port(app):
    """loopback-boot lets the environment override config.json's host and port."""
    for var in ('npm_config_host', 'OPENSHIFT_SLS_IP', 'OPENSHIFT_NODEJS_IP', 'HOST'):
        if os.environ.get(var):
            app.set('host', os.environ[var])
            break
    for var in ('npm_config_port', 'OPENSHIFT_SLS_PORT', 'OPENSHIFT_NODEJS_PORT', 'PORT'):
        if os.environ.get(var):
            app.set('port', int(os.environ[var]))
            break


# -- models ----------------------------------------------------------------------------

def _camel_upper(file_base):
    parts = re.split(r'[-_\s]+', file_base)
    return ''.join(p[:1].upper() + p[1:] for p in parts if p)


def _find_definitions(server_dir, sources):
    """name -> (definition dict, json path) for every model file in the source folders,
    and LB3's built-in models (auth/) when a source is ``loopback/common/models``."""
    builtins = {}
    found = {}
    for source in sources:
        if source.startswith('loopback/'):
            if source.rstrip('/') == auth.BUILTIN_SOURCE:
                builtins = auth.definitions()     # LB3's built-in models (auth/)
            continue
        folder = os.path.normpath(os.path.join(server_dir, source))
        if not os.path.isdir(folder):
            continue
        for entry in sorted(os.listdir(folder)):
            if not entry.endswith('.json') or entry.startswith('_'):
                continue
            path = os.path.join(folder, entry)
            definition = _read_json(path)
            if not isinstance(definition, dict):
                continue
            name = definition.get('name') or _camel_upper(entry[:-5])
            definition['name'] = name
            found.setdefault(name, (definition, path))
    for name, entry in builtins.items():
        found.setdefault(name, entry)     # an app's own User.json wins, as in LB3
    return found


def _mixin_name(file_base):
    """loopback-boot's 'classify' normalisation: 'time-stamp' -> 'TimeStamp'."""
    name = re.sub(r'([A-Z]+)', r' \1', file_base).strip()
    name = re.sub(r'[\W_]', ' ', name).lower()
    name = re.sub(r'(?:^|\s|-)\S', lambda m: m.group(0).upper(), name)
    return re.sub(r'\s+', '', name)


def _find_mixins(server_dir, sources, definitions):
    """name -> mixin function, for the mixins the model definitions use, from
    ``<name>.py`` files (``def setup(Model, options)``) in the mixin folders."""
    used = set()
    for definition, _ in definitions.values():
        if isinstance(definition.get('mixins'), dict):
            used.update(definition['mixins'])
    found = {}
    for source in sources:
        if source.startswith('loopback/'):
            continue     # LoopBack's built-in mixins are not part of this port
        folder = os.path.normpath(os.path.join(server_dir, source))
        if not os.path.isdir(folder):
            continue
        for entry in sorted(os.listdir(folder)):
            if not entry.endswith('.py') or entry.startswith('_'):
                continue
            name = _mixin_name(entry[:-3])
            meta = os.path.join(folder, entry[:-3] + '.json')
            if os.path.exists(meta):
                name = (_read_json(meta) or {}).get('name') or name
            if name in used and name not in found:
                setup = getattr(_load_module(os.path.join(folder, entry)), 'setup', None)
                if callable(setup):
                    found[name] = setup
    return found


def _define_models(app, server_dir, model_config):
    meta = model_config.get('_meta') or {}
    sources = meta.get('sources') or ['./models']
    definitions = _find_definitions(server_dir, sources)
    app._boot_mixins = _find_mixins(server_dir, meta.get('mixins') or ['./mixins'],
                                    definitions)
    created = {}
    for name, entry in model_config.items():
        if name == '_meta':
            continue
        if not isinstance(entry, dict):
            raise LoopBackError('Invalid configuration of model "%s"' % name)
        for legacy in ('properties', 'base', 'plural'):
            if legacy in entry:
                raise LoopBackError('The data in model-config.json is in the unsupported '
                                    '1.x format.')
        model = _create_model(app, name, entry, definitions, created)
        app.model(model, {'dataSource': entry.get('dataSource'),
                          'public': entry.get('public', True)})


def _create_model(app, name, entry, definitions, created, chain=()):
    if name in created:
        return created[name]
    if name not in definitions:
        raise LoopBackError('Model not found: %s' % name)
    if name in chain:
        raise LoopBackError('Cyclic dependency among models: %s' % ' -> '.join(chain + (name,)))
    definition, path = definitions[name]
    definition = copy.deepcopy(definition)
    base = definition.get('base')
    ds_name = entry.get('dataSource') if entry is not None else None
    ds = _data_source(app, ds_name, name)
    mixins = ds.modelBuilder.mixins
    for mixin_name, setup in getattr(app, '_boot_mixins', {}).items():
        if mixin_name not in mixins.mixins:
            mixins.define(mixin_name, setup)
    if isinstance(base, str) and base in definitions and base not in ('Model', 'PersistedModel'):
        base_model = _create_model(app, base, {'dataSource': ds_name}, definitions,
                                   created, chain + (name,))
        definition['base'] = base_model
    if entry:
        if isinstance(entry.get('options'), dict):
            definition['options'] = merge(definition.get('options') or {}, entry['options'])
        if 'relations' in entry:
            definition['relations'] = merge(definition.get('relations') or {},
                                            entry['relations']) \
                if isinstance(entry['relations'], dict) else entry['relations']
        if isinstance(entry.get('acls'), list):
            definition['acls'] = _add_acls(list(definition.get('acls') or []), entry['acls'])
    # LB3 builds these with loopback.createModel and attaches them (app.model),
    # which leaves out DataSource.define's strict default for relational sources
    model = ds._create_model(definition, None, None, {}, relational_strict=False)
    if auth.is_builtin_path(path):
        auth.install_setup(model, name)   # LB3's common/models/<name>.js
    _run_model_script(model, path)
    created[name] = model
    return model


def app_model_builder(app):
    """The one model builder of every model ``boot`` creates for ``app``,
    whatever data source it is attached to.

    # LoopBack: app.registry.modelBuilder (registry.createDataSource passes it
    #           to every DataSource of the app)

    Relations are resolved by name in the builder of the source model's data
    source (juggler's ``getModel(name, true)``), so sharing it is what lets a
    ``db`` model embed or reference a model on ``transient``.
    """
    builder = app.__dict__.get('_boot_model_builder')
    if builder is None:
        from .model_builder import ModelBuilder
        builder = app._boot_model_builder = ModelBuilder()
    return builder


def _share_builder(ds, app):
    """Give a data source boot has just made (no model yet) the app's builder,
    as LB3's ``new DataSource(name, options, registry.modelBuilder)``."""
    builder = app_model_builder(app)
    if ds.modelBuilder is not builder and not ds.models:
        ds.modelBuilder = builder
        ds.models = builder.models
        ds.definitions = builder.definitions
    return ds


def _data_source(app, ds_name, model_name):
    if ds_name is None:
        # LoopBack keeps such models unattached; a private memory source stands in.
        from .datasource import DataSource
        ds = getattr(app, '_unattached_models_source', None)
        if ds is None:
            ds = app._unattached_models_source = DataSource('memory', None,
                                                            app_model_builder(app))
        return ds
    if ds_name not in app.dataSources:
        raise LoopBackError('%s is referencing a dataSource that does not exist: "%s"'
                            % (model_name, ds_name))
    return app.dataSources[ds_name]


def _add_acls(acls, extra):
    """# LoopBack: registry.js addACL: a model-config ACL replaces the one with
    the same property, accessType, principalType and principalId, else is added."""
    keys = ('property', 'accessType', 'principalType', 'principalId')
    for acl in extra:
        for i, existing in enumerate(acls):
            if isinstance(existing, dict) and isinstance(acl, dict) and \
                    all(existing.get(k) == acl.get(k) for k in keys):
                acls[i] = acl
                break
        else:
            acls.append(acl)
    return acls


def _load_module(path):
    _SCRIPT_COUNTER[0] += 1
    mod_name = 'loopback_app_script_%d_%s' % (_SCRIPT_COUNTER[0],
                                              re.sub(r'\W', '_', os.path.basename(path)[:-3]))
    spec = importlib.util.spec_from_file_location(mod_name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_model_script(model, json_path):
    from .remoting import enable_remoting
    enable_remoting(model)
    if auth.is_builtin_path(json_path):
        return                            # its script is auth/<name>.py (install_setup)
    script = json_path[:-5] + '.py'
    if not os.path.exists(script):
        return
    setup = getattr(_load_module(script), 'setup', None)
    if callable(setup):
        setup(model)


# -- middleware / components -----------------------------------------------------------

def _apply_middleware(app, middleware):
    for phase in middleware.values():
        if not isinstance(phase, dict):
            continue
        for name, spec in phase.items():
            spec = spec if isinstance(spec, dict) else {}
            params = _resolve(spec.get('params') or {}, app)
            if name == 'cors':
                app.set('cors', params)
            elif name == 'strong-error-handler':
                app.set('errorHandler', merge(app.get('errorHandler') or {}, params))
            elif name == 'loopback#token':
                app.set('tokenOptions', params)   # read by the REST API's token step
            elif name == 'loopback#rest':
                paths = _resolve(spec.get('paths') or [], app)
                if paths and isinstance(paths, list) and isinstance(paths[0], str):
                    app.set('restApiRoot', paths[0])


def _apply_components(app, components):
    if 'loopback-component-explorer' in components:
        spec = components['loopback-component-explorer']
        if spec is None or spec is False:
            app.set('explorerRoot', '')
        else:
            app.set('explorerRoot', (spec or {}).get('mountPath') or '/explorer')


# -- boot scripts -------------------------------------------------------------------------

def _boot_scripts(server_dir, options):
    folders = options.get('bootDirs') or [os.path.join(server_dir, 'boot')]
    scripts = []
    for folder in folders:
        if not os.path.isdir(folder):
            continue
        for entry in sorted(os.listdir(folder)):
            if entry.endswith('.py') and not entry.startswith('_'):
                scripts.append(os.path.join(folder, entry))
    return scripts + list(options.get('bootScripts') or [])


def _run_scripts(app, scripts, done):
    """Run boot scripts in series: ``boot(app)`` or ``boot(app, cb)``; Promises awaited."""
    pending = list(scripts)

    def next_script(err=None):
        if err:
            return done(err if isinstance(err, BaseException) else LoopBackError(str(err)))
        if not pending:
            return done(None)
        path = pending.pop(0)
        try:
            fn = path if callable(path) else getattr(_load_module(path), 'boot', None)
            if not callable(fn):
                return next_script()
            if _arity(fn) >= 2:
                called = [False]

                def script_cb(err=None):
                    if not called[0]:
                        called[0] = True
                        next_script(err)
                result = fn(app, script_cb)
            else:
                result = fn(app)
                if not is_thenable(result):
                    return next_script()
            if is_thenable(result):
                result.then(lambda _v: next_script(), next_script)
        except Exception as exc:
            return done(exc)

    next_script()


def _arity(fn):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 1
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
