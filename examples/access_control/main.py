"""loopback-example-access-control, booted and asked: ``python examples/access_control/main.py``.

Boots the app of server/ (memory data source, seeded by the boot scripts as
in the example), waits for the seeding writes the boot scripts do not wait
for, listens on an ephemeral 127.0.0.1 port, logs in as Jane (owner of
project2, a member of John's team) and as Bob (the admin role), and prints
what each may do with the projects API: the status of each request and its
body, or the error code when LoopBack's ACLs refuse it.
"""

import http.client
import json
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))

import loopback_compat as lb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

#: Who logs in, and why their answers differ.
USERS = [
    ('Jane', 'jane@doe.com', 'owner of project2, a member of John\'s team (project1)'),
    ('Bob', 'bob@projects.com', 'the admin role, owns nothing, in no team'),
]

#: What each user asks, in this order: (verb, path, JSON body or None).
REQUESTS = [
    ('GET', '/api/projects/list-projects', None),
    ('GET', '/api/projects', None),
    ('GET', '/api/projects/1', None),
    ('GET', '/api/projects/2', None),
    ('POST', '/api/projects/donate', {'id': 1, 'amount': 10}),
    ('POST', '/api/projects/withdraw', {'id': 2, 'amount': 20}),
    ('POST', '/api/projects', {'name': 'project3', 'balance': 5}),
    ('DELETE', '/api/projects/1', None),
]


def call(port, verb, path, body=None, token=None):
    """One request on 127.0.0.1:port -> (status, decoded JSON body)."""
    headers = {'Accept': 'application/json'}
    payload = None
    if body is not None:
        payload = json.dumps(body)
        headers['Content-Type'] = 'application/json'
    if token:
        headers['Authorization'] = token
    conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
    try:
        conn.request(verb, path, body=payload, headers=headers)
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read() or b'null')
    finally:
        conn.close()


def outcome(status, body):
    """``200 {...}`` for an answer, ``401 AUTHORIZATION_REQUIRED`` for an error."""
    if isinstance(body, dict) and 'error' in body:
        return '%d %s' % (status, body['error'].get('code') or body['error']['message'])
    return '%d %s' % (status, json.dumps(body))


def what_each_may_do(port):
    """Log in as each of USERS and print the answer to each of REQUESTS."""
    for name, email, why in USERS:
        status, token = call(port, 'POST', '/api/users/login',
                             {'email': email, 'password': 'opensesame'})
        print('\n-- %s: %s --' % (name, why))
        print('POST /api/users/login  -> %d (userId %s)' % (status, token['userId']))
        for verb, path, body in REQUESTS:
            shown = '%s %s%s' % (verb, path, ' ' + json.dumps(body) if body else '')
            print('%s  -> %s' % (shown, outcome(*call(port, verb, path, body, token['id']))))
    print('\n-- anonymous --')
    for verb, path, body in REQUESTS[:3]:
        print('%s %s  -> %s' % (verb, path, outcome(*call(port, verb, path, body))))


def seeded(app, then, tries=200):
    """Call ``then()`` once Bob's admin mapping (the last write of sample-models) is stored."""
    def counted(err, count):
        if err or (count == 0 and tries > 0):
            return lb.setTimeout(lambda: seeded(app, then, tries - 1), 10)
        lb.setTimeout(then, 20)     # and let the team rows land too
    app.models.RoleMapping.count(counted)


def main():
    app = lb.loopback()

    def booted(err=None):
        if err:
            raise err
        seeded(app, lambda: serve(app.listen(0, '127.0.0.1', lambda: None)))

    def serve(server):
        loop = lb.get_loop()

        def client():
            try:
                what_each_may_do(server.port)
            finally:
                loop.call_soon_threadsafe(server.close)
        threading.Thread(target=client, name='access-control-client').start()

    print('-- boot (the boot scripts print what they create) --')
    lb.boot(app, os.path.join(HERE, 'server'), booted)


if __name__ == '__main__':
    lb.run(main)
