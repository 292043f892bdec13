"""The old name of :mod:`loopback_compat.connectors.sql.sqlite` (the same module object)."""

import sys

from .sql import sqlite

sys.modules[__name__] = sqlite
