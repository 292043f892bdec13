"""The old name of :mod:`loopback_compat.connectors.memory.index` (the same module object)."""

import sys

from .memory import index

sys.modules[__name__] = index
