"""Start the example LoopBack 3 app: ``python examples/lb3_app/server.py``.

# LoopBack: server/server.js of the LB3 scaffold
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))

import loopback_compat as lb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
app = lb.loopback()


def start():
    return app.start()


def main():
    def booted(err=None):
        if err:
            raise err
        start()
    lb.boot(app, os.path.join(HERE, 'server'), booted)


if __name__ == '__main__':
    lb.run(main)
