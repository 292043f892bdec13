"""Record the LB3 answers to scenario.STEPS (a dev tool, not a test).

Build the Node app (Node 20, npm registry):

    mkdir lb3 && cd lb3 && npm init -y
    npm install loopback@3 loopback-boot@2 strong-error-handler \
        loopback-component-explorer@6 cors@2
    mkdir -p app/server/boot app/common/models && ln -s ../node_modules app/node_modules
    cp <repo>/examples/lb3_app/server/*.json app/server/
    cp <repo>/examples/lb3_app/common/models/*.json app/common/models/
    cp <repo>/tests/rest/lb3_recording/server.js app/server/
    cp <repo>/tests/rest/lb3_recording/root.js app/server/boot/
    cp <repo>/tests/rest/lb3_recording/supplier.js app/common/models/
    (cd app && node server/server.js)          # fresh memory data on 127.0.0.1:3000

then, from the repository:

    python tests/rest/record_lb3.py 3000 > tests/rest/lb3_recorded.json
    curl -s 127.0.0.1:3000/explorer/swagger.json | python -m json.tool > tests/rest/lb3_swagger.json
"""

import http.client
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import COMPARED_HEADERS, STEPS, parse_body, send  # noqa: E402


def main(port):
    out = []
    for label, method, path, body, headers in STEPS:
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=10)
        status, resp_headers, data = send(conn, method, path, body, headers)
        conn.close()
        out.append({
            'label': label, 'method': method, 'path': path, 'status': status,
            'headers': {h: resp_headers[h] for h in COMPARED_HEADERS if h in resp_headers},
            'body': parse_body(data),
        })
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main(int(sys.argv[1]))
