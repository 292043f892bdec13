"""The SQL connectors: SQLite and PostgreSQL over one SQL connector base.

    connector.py    SqlConnector: the contract of connectors/base.py over SQL
                    (definitions, running statements, CRUD, transactions)
    rows.py         model data <-> stored values (to_db, from_db, row_to_data)
    schema.py       DDL, indexes, automigrate/autoupdate/isActual, discovery, createTables
    compiler.py     SQL text from model definitions and filters (Table, Column, Compiler)
    running.py      lanes (one-thread worker pools), lock keys, later callbacks
    sqlite.py       the sqlite connector (stdlib sqlite3)
    postgresql.py   the postgresql connector (psycopg 3)
    pg_pool.py      its connection pool, sessions and fault errors
    pg_settings.py  its settings: time limits, the libpq connection string
    pg_waiting.py   how long an operation waits for a connection (poolTimeout)

A MySQL connector is a third dialect: a subclass of SqlConnector that fills
in the dialect hooks and the connection plumbing (see SqlConnector).

This package is also ``loopback_compat.connectors.sql``, the module that held
the base before: the names it had are here.  The old module names
``connectors.sqlite``, ``connectors.postgresql`` and ``connectors.sql_compiler``
are sqlite.py, postgresql.py and compiler.py (the same module objects).
"""

from ..base import json_default
from .connector import SqlConnector
from .rows import UTC, _int_if_integral, to_json_text
from .running import Lane, later, lock_key
from .schema import _raiser, table_first

__all__ = ['SqlConnector', 'json_default', 'to_json_text', 'later', 'lock_key', 'table_first',
           'Lane', 'UTC', '_int_if_integral', '_raiser']
