"""Connectors: the only modules that touch storage.

    base.py         the contract: Connector (the required methods, with juggler's
                    errors as defaults), the optional operations, capabilities
    memory/         the memory connector (juggler's), with its indexes and file store
    sql/            the SQL connector base, SQLite and PostgreSQL
    transaction.py  Model.beginTransaction's Transaction, over any connector that
                    declares 'transactions'

The data source finds a connector by name in its registry
(datasource.register_connector; 'memory', 'sqlite'/'sqlite3', 'postgresql'
are built in).  ``memory_index``, ``sqlite``, ``postgresql`` and
``sql_compiler`` are the old names of memory/index.py, sql/sqlite.py,
sql/postgresql.py and sql/compiler.py.
"""

from .base import Connector

__all__ = ['Connector']
