"""The built-in Application model, as LB3's ``application.json`` defines it.

# LoopBack: loopback/common/models/application.js, application.json

Only the definition: ``Application.register``, key generation and
``authenticate`` are not ported (nothing here needs them yet).
"""

from ._install import enable_remoting


def setup(Application):
    enable_remoting(Application)
