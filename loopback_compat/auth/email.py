"""The built-in Email model (base Model: to, from, subject, text, html).

# LoopBack: loopback/common/models/email.js, email.json

Only the definition: sending needs the mail connector, not ported yet
(``Email.send`` is LB3's "Not implemented" until a mail data source is
attached).
"""

from ._install import enable_remoting


def setup(Email):
    enable_remoting(Email)
