"""loopback_compat: LoopBack 3 in Python, almost line for line.

Only the public names listed in DESIGN.md are exported here; ``__all__`` is
that list, pinned by tests/test_exports.py.  Every exception and warning
class lives in ``loopback_compat.errors`` and is exported here too.  The
other modules (``dao``, ``loop``, ``filters``...) are implementation: their
names may change, and ``dir(loopback_compat)`` leaves them out.
``loopback_compat.testing`` holds helpers for test suites of ports.
"""

from .errors import (
    AggregateError, AssertionError_, CallbackCalledTwice, JSONSyntaxError, LoopBackError,
    LoopError, ModelRedefinedWarning, NotInFiberError, PayloadTooLargeError, PKMissingError,
    RejectedValue, RelationNameWarning, TypeError_, UnhandledPromiseRejection,
    UnknownOperatorWarning, ValidationError)
from .loop import (
    VirtualClock, clearImmediate, clearInterval, clearTimeout, get_loop, nextTick,
    queueMicrotask, run, set_clock, setImmediate, setInterval, setTimeout)
from .promise import Promise, callback_and_promise
from .fibers import async_, await_, in_fiber, spawn
from .js.values import UNDEFINED as undefined
from .datasource import (
    DataSource, Model, PersistedModel, createDataSource, loadModelDefinition,
    register_connector)
from .model_builder import ModelBuilder
from .geo import GeoPoint
from .connectors.memory import Memory
from .connectors.mail import MailConnector as Mail
from .app import loopback
from . import testing
from .boot import boot  # the function; it shadows the submodule of the same name
from .auth.token import token

#: LB3's built-in models, exported as loopback.User, ... (built on first use)
_BUILTIN_MODELS = ('User', 'AccessToken', 'ACL', 'Role', 'RoleMapping', 'Application',
                   'Email', 'Scope')

__all__ = [
    # the event loop, promises, fibers
    'run', 'nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate',
    'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
    'get_loop', 'VirtualClock', 'set_clock',
    'Promise', 'callback_and_promise', 'async_', 'await_', 'in_fiber', 'spawn',
    'undefined',
    # data sources, models, applications
    'DataSource', 'createDataSource', 'register_connector', 'loadModelDefinition',
    'Model', 'PersistedModel', 'ModelBuilder', 'Memory', 'Mail', 'loopback', 'boot',
    'GeoPoint',     # LB3's loopback.GeoPoint (juggler's exports.GeoPoint)
    # users and tokens (auth/): the built-in models and the token middleware
    'User', 'AccessToken', 'ACL', 'Role', 'RoleMapping', 'Application', 'Email', 'Scope',
    'token',
    # errors and warnings (loopback_compat.errors)
    'LoopBackError', 'ValidationError', 'TypeError_', 'AssertionError_', 'PKMissingError',
    'AggregateError', 'CallbackCalledTwice', 'JSONSyntaxError', 'PayloadTooLargeError',
    'RejectedValue', 'UnhandledPromiseRejection', 'NotInFiberError', 'LoopError',
    'ModelRedefinedWarning', 'RelationNameWarning', 'UnknownOperatorWarning',
    # helpers for test suites
    'testing',
]


def __getattr__(name):
    # the built-in models are made on first use: importing the package stays cheap
    if name in _BUILTIN_MODELS:
        from .auth import exported
        return exported(name)
    raise AttributeError("module 'loopback_compat' has no attribute %r" % name)


def __dir__():
    return sorted(set(__all__) | {name for name in globals() if name.startswith('__')})
