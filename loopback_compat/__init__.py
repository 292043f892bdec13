"""loopback_compat: LoopBack 3 in Python, almost line for line.

Only the public names listed in DESIGN.md are exported here.
"""

from .errors import LoopBackError, ValidationError
from .loop import (
    VirtualClock, clearImmediate, clearInterval, clearTimeout, get_loop, nextTick,
    queueMicrotask, run, set_clock, setImmediate, setInterval, setTimeout)
from .promise import Promise, callback_and_promise
from .fibers import async_, await_, in_fiber, spawn
from .filters import undefined
from .datasource import (
    DataSource, Model, PersistedModel, createDataSource, loadModelDefinition,
    register_connector)
from .app import loopback
from .boot import boot
