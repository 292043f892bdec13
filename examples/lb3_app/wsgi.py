"""The example app as a WSGI application, for any WSGI server.

    waitress-serve --listen=127.0.0.1:3000 wsgi:application     (from examples/lb3_app)
    gunicorn --workers 4 --threads 8 --bind 127.0.0.1:3000 wsgi:application

Each worker process boots its own app at import (with the memory connector
every process has its own data; use a SQL data source to share it).
"""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..'))

import loopback_compat as lb  # noqa: E402


def create_app():
    app = lb.loopback()
    lb.boot(app, os.path.join(HERE, 'server'))   # outside a loop: returns once booted
    return app.wsgi


application = create_app()
