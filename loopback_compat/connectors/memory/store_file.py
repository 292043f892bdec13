"""The memory connector's ``file=`` store: juggler's db.json, written atomically.

# LoopBack: Memory.prototype.loadFromFile / saveToFile in
#           lib/connectors/memory.js of loopback-datasource-juggler 3.x

With ``file=`` the whole store is written after changes, atomically
(temporary file, fsync, rename; the writes of one tick share one file write,
and their callbacks run only once it is on disk), in juggler's db.json format
(``{"ids": {...}, "models": {Model: {id: json-text}}}``) and reloaded when
the data source is created; a file that cannot be parsed raises a clear
LoopBackError at that point and is never overwritten.  A failed write is
reported to every waiting callback; the change stays in memory (juggler's
behaviour too), so the next successful write persists it.  Temporary files
carry the writer's pid; those of processes that are gone are removed when
the file is next loaded.
"""

import json
import os
import tempfile

from ...errors import LoopBackError
from ...loop import nextTick
from ..base import json_default

# Connector callbacks come on the next tick, as juggler's memory connector
# makes them (process.nextTick).
_later = nextTick


class FileStore:
    """The file half of :class:`~.connector.Memory` (a mixin: it uses the
    connector's ``settings``, ``cache``, ``ids``, ``_ix`` and ``_pending``)."""

    def _load_file(self):
        path = self.settings['file']
        _remove_stale_temp_files(path)
        try:
            with open(path, 'r', encoding='utf-8') as fh:
                text = fh.read()
        except FileNotFoundError:
            return
        except OSError as exc:
            raise LoopBackError('Cannot read memory data source file %s: %s' % (path, exc))
        if not text.strip():
            return
        try:
            content = json.loads(text)
            if not isinstance(content, dict):
                raise ValueError('top level is not an object')
            ids = content.get('ids') or {}
            models = content.get('models') or {}
            cache = {}
            for coll, rows in models.items():
                cache[coll] = {key: (json.loads(row) if isinstance(row, str) else dict(row))
                               for key, row in rows.items()}
        except (ValueError, TypeError, AttributeError) as exc:
            raise LoopBackError('Cannot load memory data source file %s: '
                                'it is not valid JSON data (%s)' % (path, exc),
                                code='INVALID_DATA_FILE')
        self.ids = dict(ids)
        self.cache = cache
        self._ix = {}

    def _done(self, cb, err, *results):
        """Report a finished write: at once without a file, else after the flush.

        Writes made in the same tick share one file write (one flush on the
        next tick), and each callback runs only after the data is on disk.
        """
        if err is not None or not self.settings.get('file'):
            return _later(cb, err, *results)
        self._pending.append((cb, results))
        if len(self._pending) == 1:
            nextTick(self._flush)

    def _flush(self):
        pending, self._pending = self._pending, []
        err = self._persist()
        for cb, results in pending:
            cb(err, *(() if err is not None else results))

    def _persist(self):
        """Write the store to ``file`` if set: temp file, fsync, rename."""
        path = self.settings.get('file')
        if not path:
            return None
        content = {
            'ids': self.ids,
            'models': {coll: {key: json.dumps(row, default=json_default)
                              for key, row in rows.items()}
                       for coll, rows in self.cache.items()},
        }
        directory = os.path.dirname(os.path.abspath(path))
        try:
            fd, tmp = tempfile.mkstemp(prefix=_temp_prefix(path, os.getpid()),
                                       suffix='.tmp', dir=directory)
            try:
                with os.fdopen(fd, 'w', encoding='utf-8') as fh:
                    json.dump(content, fh, indent=2, default=json_default)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
        except (OSError, TypeError, ValueError) as exc:
            return LoopBackError('Cannot write memory data source file %s: %s' % (path, exc))
        return None



def _temp_prefix(path, pid):
    """Temporary files of ``path`` carry the writer's pid, so stale ones can be told apart."""
    return '.%s.%d.' % (os.path.basename(path), pid)


def _remove_stale_temp_files(path):
    """Delete temporary files a killed process left beside ``path`` (its pid is gone)."""
    directory = os.path.dirname(os.path.abspath(path))
    head = '.%s.' % os.path.basename(path)
    try:
        names = os.listdir(directory)
    except OSError:
        return
    for name in names:
        if not (name.startswith(head) and name.endswith('.tmp')):
            continue
        pid = name[len(head):].split('.', 1)[0]
        if not pid.isdigit() or _process_alive(int(pid)):
            continue
        try:
            os.unlink(os.path.join(directory, name))
        except OSError:
            pass


def _process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:         # exists but is not ours
        return True
    return True
