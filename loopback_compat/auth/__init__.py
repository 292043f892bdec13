"""LoopBack 3.28's built-in models: User, AccessToken, ACL, Role, RoleMapping,
Application, Email, Scope.

# LoopBack: loopback/common/models/*.json + *.js, lib/builtin-models.js

Each model's definition is LB3's own JSON file, copied beside its module
(``user.json`` beside ``user.py``): properties, hidden properties,
relations and default ACLs, kept as data.  Each module has a
``setup(Model)`` that adds what LB3's ``<name>.js`` adds (methods, hooks,
setters, remote methods); it is installed as the model's ``setup`` so that a
model extending it (``"base": "User"``) gets it run again on itself, as
LB3's ``Model.extend`` calls ``setup()`` on every sub-model.

:func:`define_builtin(ds, name)` defines one on a data source the way
loopback-boot does for a model-config entry whose ``_meta.sources`` holds
``loopback/common/models``; the unattached classes LB3 exports
(``loopback.User``, ...) are :func:`exported(name)`.

ACLs (LB3's matching, roles and enforcement) are in ``acl.py``,
``role.py``, ``access_context.py`` and ``check_access.py``; ``resetPassword``,
``verify`` and ``confirm`` in ``user_verify.py`` (sending through the mail
connector, connectors/mail.py).
"""

import copy
import json
import os

from . import (access_token, acl, application, email, role, role_mapping, scope,
               user)

#: model name -> (JSON file, setup module), in LB3's lib/builtin-models.js order
_BUILTINS = {
    'Email': ('email.json', email),
    'Application': ('application.json', application),
    'AccessToken': ('access_token.json', access_token),
    'User': ('user.json', user),
    'RoleMapping': ('role_mapping.json', role_mapping),
    'Role': ('role.json', role),
    'ACL': ('acl.json', acl),
    'Scope': ('scope.json', scope),
}

BUILTIN_NAMES = tuple(_BUILTINS)

#: the model-config ``_meta.sources`` entry that makes them available
BUILTIN_SOURCE = 'loopback/common/models'

_HERE = os.path.dirname(os.path.abspath(__file__))
_DEFINITIONS = {}


def definition(name):
    """A fresh copy of LB3's JSON definition of built-in model ``name``."""
    if name not in _DEFINITIONS:
        with open(os.path.join(_HERE, _BUILTINS[name][0]), encoding='utf-8') as fh:
            _DEFINITIONS[name] = json.load(fh)
    return copy.deepcopy(_DEFINITIONS[name])


def definitions():
    """name -> (definition, json path) of every built-in model (for boot.py)."""
    return {name: (definition(name), os.path.join(_HERE, _BUILTINS[name][0]))
            for name in _BUILTINS}


def is_builtin_path(path):
    """True when ``path`` is one of the JSON files of this package."""
    return os.path.dirname(os.path.abspath(path)) == _HERE


def install_setup(model, name):
    """Make ``model`` (just defined from built-in ``name``'s JSON) behave as
    LB3's: install its module's ``setup`` on it and run it once.  Sub-models
    inherit ``setup`` and run it on themselves when defined by ``extend``."""
    module = _BUILTINS[name][1]
    type.__setattr__(model, 'setup', classmethod(module.setup))
    module.setup(model)
    once = getattr(module, 'setup_once', None)
    if once is not None:
        once(model)
    return model


def define_builtin(ds, name, definition_overrides=None):
    """Define built-in ``name`` on data source ``ds`` (as boot does) and return it."""
    spec = definition(name)
    spec.update(definition_overrides or {})
    model = ds._create_model(spec, None, None, {}, relational_strict=False)
    return install_setup(model, name)


_EXPORTED = {}


def exported(name):
    """The unattached built-in model LB3 exports as ``loopback.<name>``."""
    if name not in _EXPORTED:
        from ..model_builder import ModelBuilder
        builder = ModelBuilder()
        for each in _BUILTINS:        # relations between them resolve in one builder
            if each not in _EXPORTED:
                spec = definition(each)
                base = builder._resolve_base(spec.pop('base', None) or 'PersistedModel')
                props = spec.pop('properties', None)
                spec.pop('name')
                options = spec.pop('options', None) or {}
                model = base.extend(each, props, dict(spec, **options))
                builder.models[each] = model
                _EXPORTED[each] = install_setup(model, each)
    return _EXPORTED[name]
