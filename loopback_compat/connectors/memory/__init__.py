"""The memory connector (``lb.DataSource('memory')``), juggler's in-process store.

    connector.py    Memory: the contract of connectors/base.py over dicts of rows
    rows.py         the copies rows are stored and handed out as
    index.py        per-property indexes of a collection (the candidates of a where)
    store_file.py   the ``file=`` store: juggler's db.json, written atomically

``loopback_compat.connectors.memory_index`` is index.py under its old name.
"""

from .connector import Memory, initialize
from .rows import _copy, _copy_each, _copy_row, _copy_rows, _in_id_order  # noqa: F401
from .store_file import _process_alive, _remove_stale_temp_files, _temp_prefix  # noqa: F401

__all__ = ['Memory', 'initialize']

