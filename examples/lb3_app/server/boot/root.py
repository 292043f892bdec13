"""Boot script: the port of server/boot/root.js (GET / answers the app's status).

# LoopBack: module.exports = function(server) { router.get('/', server.loopback.status()); ... };
"""

import datetime
import time

_STARTED = [None, None]


def boot(server):
    _STARTED[0] = datetime.datetime.now(datetime.timezone.utc)
    _STARTED[1] = time.monotonic()

    def status(req, res):
        res.json({'started': _STARTED[0], 'uptime': time.monotonic() - _STARTED[1]})
    server.get('/', status)
