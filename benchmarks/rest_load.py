"""Load test of the REST API: 2,000 requests from 20 client threads over real HTTP.

    python benchmarks/rest_load.py                      # boots examples/lb3_app on 127.0.0.1
    python benchmarks/rest_load.py --threads 20 --requests 2000 --server-threads 8
    python benchmarks/rest_load.py --connector sqlite   # the same app on a SQLite file
    python benchmarks/rest_load.py --url http://127.0.0.1:3000/api   # any running LB3 app

Each client thread keeps one HTTP/1.1 connection and cycles through a mixed
workload on rows it owns: create a supplier, read it back, patch its rating,
create its hasOne account, read it with ``include``, list with a filter,
update it with POST /update, count.  Afterwards the data is checked through
the API: every supplier created exactly once with its last rating, every
account present and linked.  Prints requests/s and latency percentiles;
exits with status 1 on any unexpected status code or lost write.
"""

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
from urllib.parse import quote, urlparse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..')
sys.path.insert(0, ROOT)

STEPS_PER_CYCLE = 8


def q(value):
    return quote(json.dumps(value, separators=(',', ':')), safe='')


class Client:
    def __init__(self, host, port, prefix):
        self.host, self.port, self.prefix = host, port, prefix
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.latencies = []
        self.errors = []

    def call(self, method, path, body=None, expect=200):
        payload = json.dumps(body).encode() if body is not None else None
        headers = {'Content-Type': 'application/json'} if body is not None else {}
        started = time.perf_counter()
        for attempt in (1, 2):
            try:
                self.conn.request(method, self.prefix + path, payload, headers)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.HTTPException, OSError):
                # A keep-alive connection the server closed: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt == 2:
                    raise
        self.latencies.append(time.perf_counter() - started)
        if resp.status != expect:
            self.errors.append('%s %s -> %d %s' % (method, path, resp.status, data[:200]))
            return None
        return json.loads(data) if data else None


RUN_TAG = 'r%d' % (int(time.time() * 1000) % 1000000)


def worker(client, thread_no, count, owned):
    done = 0
    cycle = 0
    sid = None
    while done < count:
        step = done % STEPS_PER_CYCLE
        name = '%s-t%d-%d' % (RUN_TAG, thread_no, cycle)
        if step == 0:
            created = client.call('POST', '/Suppliers', {'name': name, 'rating': 0})
            sid = created['id'] if created else None
            if sid is not None:
                owned[sid] = {'name': name, 'rating': 0, 'account': None}
        elif sid is None:
            client.call('GET', '/Suppliers/count')
        elif step == 1:
            got = client.call('GET', '/Suppliers/%d' % sid)
            if got and got['name'] != name:
                client.errors.append('read back %r for %r' % (got, name))
        elif step == 2:
            rating = cycle + 1
            if client.call('PATCH', '/Suppliers/%d' % sid, {'rating': rating}) is not None:
                owned[sid]['rating'] = rating
        elif step == 3:
            acct = client.call('POST', '/Suppliers/%d/account' % sid, {'acctmgr': 'm-' + name})
            if acct is not None:
                owned[sid]['account'] = 'm-' + name
        elif step == 4:
            got = client.call('GET', '/Suppliers/%d?filter=%s' % (sid, q({'include': 'account'})))
            if got and (got.get('account') or {}).get('acctmgr') != 'm-' + name:
                client.errors.append('include for %d gave %r' % (sid, got))
        elif step == 5:
            client.call('GET', '/Suppliers?filter=%s' % q({'where': {'name': name}, 'limit': 5}))
        elif step == 6:
            rating = cycle + 100
            info = client.call('POST', '/Suppliers/update?where=%s' % q({'id': sid}),
                               {'rating': rating})
            if info is not None:
                if info.get('count') != 1:
                    client.errors.append('update of %d counted %r' % (sid, info))
                owned[sid]['rating'] = rating
        else:
            client.call('GET', '/Suppliers/count?where=%s' % q({'name': name}))
        done += 1
        if step == STEPS_PER_CYCLE - 1:
            cycle += 1


def verify(host, port, prefix, owned):
    """Every write the clients saw succeed is in the data, exactly once."""
    client = Client(host, port, prefix)
    problems = []
    # Only this run's rows: the target may be an app that already holds data.
    suppliers = client.call('GET', '/Suppliers?filter=%s' % q(
        {'where': {'name': {'like': RUN_TAG + '-%'}}})) or []
    by_id = {}
    for s in suppliers:
        if s['id'] in by_id:
            problems.append('duplicate id %r' % s['id'])
        by_id[s['id']] = s
    accounts = client.call('GET', '/Accounts') or []
    acct_by_supplier = {}
    for a in accounts:
        acct_by_supplier.setdefault(a.get('supplierId'), []).append(a)
    for sid, want in owned.items():
        row = by_id.get(sid)
        if row is None:
            problems.append('supplier %s lost' % sid)
            continue
        if row.get('name') != want['name'] or row.get('rating') != want['rating']:
            problems.append('supplier %s is %r, expected %r' % (sid, row, want))
        accts = acct_by_supplier.get(sid, [])
        expected = [want['account']] if want['account'] else []
        if [a.get('acctmgr') for a in accts] != expected:
            problems.append('supplier %s accounts %r, expected %r' % (sid, accts, expected))
    if len(by_id) != len(owned):   # a create that answered an error but still wrote
        problems.append('%d suppliers stored, %d created' % (len(by_id), len(owned)))
    return problems + client.errors


def _app_dir(connector, tmp):
    """examples/lb3_app's server/ folder, or a copy of the app using ``connector``."""
    source = os.path.join(ROOT, 'examples', 'lb3_app')
    if connector == 'memory':
        return os.path.join(source, 'server')
    import shutil
    shutil.copytree(source, os.path.join(tmp, 'app'))
    with open(os.path.join(tmp, 'app', 'server', 'datasources.json'), 'w') as fh:
        json.dump({'db': {'name': 'db', 'connector': connector, 'createTables': True,
                          'file': os.path.join(tmp, 'load.sqlite')}}, fh)
    return os.path.join(tmp, 'app', 'server')


def start_example_app(server_threads, connector='memory'):
    import tempfile

    import loopback_compat as lb
    from loopback_compat.loop import get_loop
    box = {}
    ready = threading.Event()
    tmp = tempfile.mkdtemp(prefix='rest_load_')
    server_dir = _app_dir(connector, tmp)

    def main():
        app = lb.loopback()
        box['loop'] = get_loop()

        def booted(err=None):
            if err:
                box['error'] = err
                return ready.set()
            box['server'] = app.listen(0, '127.0.0.1', ready.set, threads=server_threads)
        lb.boot(app, server_dir, booted)

    thread = threading.Thread(target=lb.run, args=(main,), daemon=True)
    thread.start()
    ready.wait(30)
    if 'error' in box:
        raise box['error']

    def stop():
        done = threading.Event()
        box['loop'].call_soon_threadsafe(box['server'].close, done.set)
        done.wait(30)
        thread.join(30)
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    return '127.0.0.1', box['server'].port, stop


def percentile(sorted_values, pct):
    if not sorted_values:
        return 0.0
    k = (len(sorted_values) - 1) * pct / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--threads', type=int, default=20)
    parser.add_argument('--requests', type=int, default=2000)
    parser.add_argument('--server-threads', type=int, default=8)
    parser.add_argument('--connector', default='memory', choices=['memory', 'sqlite'],
                        help="the example app's data source")
    parser.add_argument('--url', help='test an already running app instead (its /api root)')
    args = parser.parse_args(argv)
    if args.url:
        parsed = urlparse(args.url)
        host, port, stop = parsed.hostname, parsed.port or 80, (lambda: None)
        if host not in ('127.0.0.1', 'localhost', '::1'):
            parser.error('only local servers may be load-tested')
        label = args.url
    else:
        host, port, stop = start_example_app(args.server_threads, args.connector)
        label = 'loopback_compat examples/lb3_app (%s), waitress %d threads' % (
            args.connector, args.server_threads)
    prefix = '/api'
    per_thread = [args.requests // args.threads + (1 if i < args.requests % args.threads else 0)
                  for i in range(args.threads)]
    clients = [Client(host, port, prefix) for _ in range(args.threads)]
    owned = [{} for _ in range(args.threads)]
    threads = [threading.Thread(target=worker, args=(clients[i], i, per_thread[i], owned[i]))
               for i in range(args.threads)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    all_owned = {}
    for mine in owned:
        all_owned.update(mine)
    problems = [e for c in clients for e in c.errors] + verify(host, port, prefix, all_owned)
    stop()
    lat = sorted(x for c in clients for x in c.latencies)
    print('target:     %s' % label)
    print('requests:   %d from %d client threads in %.2f s' % (len(lat), args.threads, elapsed))
    print('throughput: %.0f requests/s' % (len(lat) / elapsed))
    print('latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  mean %.1f' % (
        percentile(lat, 50) * 1e3, percentile(lat, 90) * 1e3, percentile(lat, 99) * 1e3,
        lat[-1] * 1e3, statistics.mean(lat) * 1e3))
    print('writes:     %d suppliers, %d accounts checked' % (
        len(all_owned), sum(1 for v in all_owned.values() if v['account'])))
    if problems:
        print('PROBLEMS (%d):' % len(problems))
        for p in problems[:20]:
            print('  ' + p)
        return 1
    print('no errors, no lost writes')
    return 0


if __name__ == '__main__':
    sys.exit(main())
