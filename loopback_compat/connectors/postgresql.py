"""The old name of :mod:`loopback_compat.connectors.sql.postgresql` (the same module object)."""

import sys

from .sql import postgresql

sys.modules[__name__] = postgresql
