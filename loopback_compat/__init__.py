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
from .app import loopback
from . import testing
from .boot import boot  # the function; it shadows the submodule of the same name

__all__ = [
    # the event loop, promises, fibers
    'run', 'nextTick', 'queueMicrotask', 'setImmediate', 'clearImmediate',
    'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval',
    'get_loop', 'VirtualClock', 'set_clock',
    'Promise', 'callback_and_promise', 'async_', 'await_', 'in_fiber', 'spawn',
    'undefined',
    # data sources, models, applications
    'DataSource', 'createDataSource', 'register_connector', 'loadModelDefinition',
    'Model', 'PersistedModel', 'ModelBuilder', 'Memory', 'loopback', 'boot',
    'GeoPoint',     # LB3's loopback.GeoPoint (juggler's exports.GeoPoint)
    # errors and warnings (loopback_compat.errors)
    'LoopBackError', 'ValidationError', 'TypeError_', 'AssertionError_', 'PKMissingError',
    'AggregateError', 'CallbackCalledTwice', 'JSONSyntaxError', 'PayloadTooLargeError',
    'RejectedValue', 'UnhandledPromiseRejection', 'NotInFiberError', 'LoopError',
    'ModelRedefinedWarning', 'RelationNameWarning', 'UnknownOperatorWarning',
    # helpers for test suites
    'testing',
]


def __dir__():
    return sorted(set(__all__) | {name for name in globals() if name.startswith('__')})
