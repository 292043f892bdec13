"""Finding a data source's connector by name: the registry and the module lookup.

# LoopBack: DataSource._resolveConnector(name, loader), connectorModuleNames
#           and tryModules in lib/datasource.js of loopback-datasource-juggler 3.x

``DataSource('mysql')`` names its connector.  juggler tries, in order, the
modules ``./connectors/<name>`` (its built-in connectors),
``loopback-connector-<name>`` (unless the name starts with it already) and
the name itself (a path, or a package; not for the connectors StrongLoop
publishes under loopback-connector-: mongodb, oracle, mysql, postgresql,
mssql, rest, soap, db2, cloudant).  The Python spelling of each candidate:

    ./connectors/<name>         the connector registered under <name>
                                (``register_connector``; memory, transient,
                                sqlite/sqlite3, postgresql are built in)
    loopback-connector-<name>   registered under that name, else the Python
                                module ``loopback_connector_<name>``
    <name>                      a path: the module or package there; else the
                                Python module <name> ('-' read as '_')

A module counts when it is an LB3 connector module: it has
``initialize(dataSource, cb)``, which sets ``dataSource.connector``
(``loopback_compat.connectors.memory`` is one, as juggler's memory.js).
A module that cannot be imported because *it* is missing is passed over; an
error inside it propagates, as juggler's tryModules rethrows.

:func:`resolve_connector` answers ``{'connector': found or None, 'error':
None or juggler's text}``; ``loader(name)`` (juggler's DI for tests) returns
what it finds for a candidate, or None.
"""

import importlib
import importlib.util
import os
import sys

__all__ = ['CONNECTORS', 'register_connector', 'connector_module_names', 'resolve_connector',
           'load_connector_module']

#: connector name -> factory(settings, data_source)
CONNECTORS = {}

# The connectors StrongLoop publishes as loopback-connector-<name>: their
# short name is never tried as a module of its own.
_STRONGLOOP = ('mongodb', 'oracle', 'mysql', 'postgresql', 'mssql', 'rest', 'soap', 'db2',
               'cloudant')

_BUILT_IN = './connectors/'
_PREFIX = 'loopback-connector-'


def register_connector(name, factory):
    """Make a connector available to ``DataSource(name)``.

    ``factory(settings, data_source)`` returns the connector instance.
    """
    CONNECTORS[name] = factory


def connector_module_names(name):
    """The candidates for connector ``name``, in the order juggler tries them.

    # LoopBack: connectorModuleNames(name)
    """
    names = []
    if not name.startswith('/'):
        names.append(_BUILT_IN + name)
        if not name.startswith(_PREFIX):
            names.append(_PREFIX + name)
    if name not in _STRONGLOOP:
        names.append(name)
    return names


def resolve_connector(name, loader=None):
    """``{'connector': ..., 'error': ...}`` for connector ``name``.

    # LoopBack: DataSource._resolveConnector(name, loader)

    ``connector`` is the first candidate ``loader`` (default
    :func:`load_connector_module`) finds, else None and ``error`` is
    juggler's text: 'LoopBack connector "x" is not installed as any of the
    following modules: ...'.
    """
    names = connector_module_names(name)
    load = loader or load_connector_module
    connector = None
    for candidate in names:
        connector = load(candidate)
        if connector:
            break
    error = None
    if not connector:
        connector = None
        error = ('\nWARNING: LoopBack connector "%s" is not installed as any of the following '
                 'modules:\n\n %s\n\nTo fix, run:\n\n    pip install %s\n\nor register it: '
                 'lb.register_connector(%r, factory)\n'
                 % (name, '\n'.join(names), names[-1], name))
    return {'connector': connector, 'error': error}


def load_connector_module(candidate):
    """What one of :func:`connector_module_names`' candidates names, or None."""
    if candidate.startswith(_BUILT_IN):
        return CONNECTORS.get(candidate[len(_BUILT_IN):])
    if candidate.startswith(_PREFIX) and candidate in CONNECTORS:
        return CONNECTORS[candidate]
    if os.path.isabs(candidate):
        module = _module_at(candidate)
    else:
        module = _module_named(candidate.replace('-', '_'))
    return module if module is not None and callable(getattr(module, 'initialize', None)) \
        else None


def _module_named(dotted):
    """The module ``dotted``, or None when it (not a module it imports) is missing."""
    if not all(part.isidentifier() for part in dotted.split('.')):
        return None
    try:
        return importlib.import_module(dotted)
    except ModuleNotFoundError as err:
        if err.name and (dotted == err.name or dotted.startswith(err.name + '.')):
            return None     # the candidate itself is missing: try the next one
        raise


def _module_at(path):
    """The module or package at ``path`` (``.py`` optional), or None.

    A path under ``sys.path`` is imported by its dotted name, so that it is
    the same module object an ``import`` gives (one connector class, not two).
    """
    path = os.path.normpath(path)
    if path.endswith('.py'):
        path = path[:-3]
    if os.path.isdir(path) and os.path.isfile(os.path.join(path, '__init__.py')):
        file_name = os.path.join(path, '__init__.py')
    elif os.path.isfile(path + '.py'):
        file_name = path + '.py'
    else:
        return None
    dotted = _dotted_name(path)
    if dotted is not None:
        return _module_named(dotted)
    module_name = '_loopback_connector_' + ''.join(c if c.isalnum() else '_' for c in path)
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, file_name)
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[module_name]
        raise
    return module


def _dotted_name(path):
    """``path``'s module name relative to an entry of ``sys.path`` (the
    longest such name: the package it belongs to), or None."""
    found = []
    for entry in sys.path:
        root = os.path.normpath(os.path.abspath(entry or os.getcwd()))
        if path.startswith(root + os.sep):
            parts = path[len(root) + 1:].split(os.sep)
            if all(part.isidentifier() for part in parts):
                found.append('.'.join(parts))
    return max(found, key=len) if found else None
