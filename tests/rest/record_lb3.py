"""Record the LB3 answers to scenario.STEPS (a dev tool, not a test).

Usage: start the Node LB3 app built from examples/lb3_app's JSON files and the
.js model script equivalent to common/models/supplier.py, then
    python tests/rest/record_lb3.py 3000 > tests/rest/lb3_recorded.json
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
