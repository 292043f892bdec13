"""The old name of :mod:`loopback_compat.connectors.sql.compiler` (the same module object)."""

import sys

from .sql import compiler

sys.modules[__name__] = compiler
