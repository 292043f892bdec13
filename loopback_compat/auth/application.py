"""The built-in Application model, as LB3's ``application.json`` defines it,
with its key generation.

# LoopBack: loopback/common/models/application.js, application.json

A new application (a save with an instance) gets ``created``/``modified``,
an id when it has none (an HMAC-MD5 of 32 random bytes, hex) and fresh
client, JavaScript, REST API, Windows and master keys (HMAC-SHA1), as
LB3's 'before save' observer.  ``register``, ``resetKeys`` and
``authenticate`` are not ported yet.
"""

import datetime
import hashlib
import hmac
import secrets

from ._install import enable_remoting

_KEYS = (('clientKey', 'client'), ('javaScriptKey', 'javaScript'),
         ('restApiKey', 'restApi'), ('windowsKey', 'windows'), ('masterKey', 'master'))


def generate_key(hmac_key='loopback', algorithm='sha1'):
    """# LoopBack: application.js generateKey(hmacKey, algorithm, 'hex')"""
    return hmac.new((hmac_key or 'loopback').encode(), secrets.token_bytes(32),
                    getattr(hashlib, algorithm)).hexdigest()


def _before_save(ctx, next_):
    app = getattr(ctx, 'instance', None)
    if app is None:       # a partial update generates no keys (as LB3)
        return next_()
    now = datetime.datetime.now(datetime.timezone.utc)
    app.created = app.modified = now
    if not app.id:
        app.id = generate_key('id', 'md5')
    for prop, key in _KEYS:
        app[prop] = generate_key(key)
    return next_()


def setup(Application):
    enable_remoting(Application)


def setup_once(Application):
    """LB3's 'before save' observer, on Application (its sub-models inherit it)."""
    Application.observe('before save', _before_save)
