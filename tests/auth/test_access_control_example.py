"""examples/access_control: the port of strongloop/loopback-example-access-control.

The booted example answers the requests of
tests/auth/lb3_access_control_example.json as the real app does, request by
request, in the recorded order (donate and withdraw change balances later
answers show).  The recording was made from the example run in Node 20 with
LoopBack 3.28 (tests/auth/fixtures/access_control_example/record_lb3.js):
anonymously, then as John (owner of project1, in his own team), Jane (owner
of project2, a member of John's team), Bob (the admin role, in no team), and
Jane again after logout, and with a forged token; tokens sent in the
Authorization header, the ``access_token`` query or ``X-Access-Token``.  Token ids are masked ``<token>``, dates ``<now>``.
``main.py`` is checked for its output too.
"""

import json
import os
import re
import subprocess
import sys
import time
from urllib.parse import quote

import pytest

import loopback_compat as lb
from live import LiveApp

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
EXAMPLE = os.path.join(ROOT, 'examples', 'access_control')
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       'lb3_access_control_example.json'), encoding='utf-8') as _f:
    RECORDED = json.load(_f)['exchanges']


#: A well-formed token id no login made (the recorder's).
FORGED = 'x0Y1z2W3' * 8


def masked(value):
    """The recording's masks: '<token>' for token ids, '<now>' for dates."""
    if isinstance(value, dict):
        return {k: masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r'[A-Za-z0-9]{64}', value):
        return '<token>'
    if isinstance(value, str) and re.fullmatch(r'20\d\d-\d\d-\d\dT.*Z', value):
        return '<now>'
    return value


def boot_example(app, done):
    lb.boot(app, os.path.join(EXAMPLE, 'server'), done)


def wait_seeded(live):
    """Wait for the writes sample-models does not wait for (Bob's admin mapping
    and Jane's team row are the last)."""
    for _ in range(500):
        if live.rows('RoleMapping') and len(live.rows('team')) == 3:
            return
        time.sleep(0.02)
    raise AssertionError('the boot scripts did not seed the app')


@pytest.fixture(scope='module')
def example_app():
    live = LiveApp(boot_example).start()
    wait_seeded(live)
    live.tokens = {'forged': FORGED}
    yield live
    live.stop()


def ask(live, exchange):
    """Send one recorded request as its user (header, or ?access_token=)."""
    url, headers = exchange['url'], {'Accept': 'application/json'}
    who = exchange['who']
    if who != 'anonymous':
        token = live.tokens[who]
        if exchange.get('via') == 'x-access-token':
            headers['X-Access-Token'] = token
        elif exchange.get('via') == 'query':
            url += ('&' if '?' in url else '?') + 'access_token=' + quote(token)
        else:
            headers['Authorization'] = token
    status, answer = live.json(exchange['method'], url, exchange.get('body'), headers)
    if exchange.get('saveAs') and status == 200:
        live.tokens[exchange['saveAs']] = answer['id']
    if exchange['method'] in ('POST', 'PUT', 'PATCH', 'DELETE'):
        time.sleep(0.02)   # donate/withdraw answer before their save lands, as in Node
    return status, masked(answer)


def cases():
    for n, exchange in enumerate(RECORDED):
        label = '%02d %s %s %s' % (n, exchange['who'], exchange['method'], exchange['url'])
        yield pytest.param(exchange, id=label)


@pytest.mark.parametrize('exchange', cases())
def test_answers_as_lb3(example_app, exchange):
    assert ask(example_app, exchange) == (exchange['status'], exchange['answer'])


def test_main_prints_what_each_user_may_do():
    out = subprocess.run([sys.executable, os.path.join(EXAMPLE, 'main.py')],
                         capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Created role: Role({'name': 'admin'" in text
    assert "Created principal: RoleMapping({'principalType': 'USER', 'principalId': '3'" in text
    for line in MAIN_LINES:
        assert line + '\n' in text, text


#: Lines main.py prints (see examples/access_control/main.py).
MAIN_LINES = [
    "-- Jane: owner of project2, a member of John's team (project1) --",
    'POST /api/users/login  -> 200 (userId 2)',
    'GET /api/projects  -> 401 AUTHORIZATION_REQUIRED',
    'GET /api/projects/1  -> 200 {"name": "project1", "balance": 100, "id": 1, "ownerId": 1}',
    'GET /api/projects/2  -> 200 {"name": "project2", "balance": 100, "id": 2, "ownerId": 2}',
    'POST /api/projects/donate {"id": 1, "amount": 10}  -> 200 {"success": true}',
    'POST /api/projects/withdraw {"id": 2, "amount": 20}  -> 200 {"success": true}',
    'POST /api/projects {"name": "project3", "balance": 5}  -> 401 AUTHORIZATION_REQUIRED',
    '-- Bob: the admin role, owns nothing, in no team --',
    'POST /api/users/login  -> 200 (userId 3)',
    'GET /api/projects  -> 200 [{"name": "project1", "balance": 110, "id": 1, "ownerId": 1}, '
    '{"name": "project2", "balance": 80, "id": 2, "ownerId": 2}]',
    'GET /api/projects/1  -> 401 AUTHORIZATION_REQUIRED',
    'POST /api/projects/withdraw {"id": 2, "amount": 20}  -> 401 AUTHORIZATION_REQUIRED',
    'DELETE /api/projects/1  -> 401 AUTHORIZATION_REQUIRED',
    '-- anonymous --',
    'GET /api/projects/list-projects  -> 200 {"projects": [{"name": "project1", "id": 1, '
    '"ownerId": 1}, {"name": "project2", "id": 2, "ownerId": 2}]}',
    'GET /api/projects/1  -> 401 AUTHORIZATION_REQUIRED',
]
