"""Start the example: ``python examples/access_control/server.py``.

# LoopBack: server/server.js of loopback-example-access-control
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))

import loopback_compat as lb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
app = lb.loopback()
app.set('json spaces', 2)  # format json responses for easier viewing


def start(cb=None):
    """Start the web server; print its URL and the explorer's."""
    def started():
        explorer = app.get('loopback-component-explorer')
        if explorer:
            base_url = app.get('url').rstrip('/')
            print('Browse your REST API at %s%s' % (base_url, explorer['mountPath']))
        if cb is not None:
            cb()
    return app.start(started)


def boot(cb):
    """Bootstrap the application, configure models, datasources and middleware."""
    lb.boot(app, os.path.join(HERE, 'server'), cb)


def main():
    def booted(err=None):
        if err:
            raise err
        start()
    boot(booted)


if __name__ == '__main__':
    lb.run(main)
