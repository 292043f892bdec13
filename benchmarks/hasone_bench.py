"""hasOne workloads of issue 6 on loopback_compat, per connector.

    python benchmarks/hasone_bench.py                 # N = 10,000, every connector
    python benchmarks/hasone_bench.py -n 2000 --connectors memory --no-scaling
    python benchmarks/hasone_bench.py --json          # one JSON document (compare_juggler.py)
    python benchmarks/hasone_bench.py --profile memory -n 10000   # cProfile per workload

Workloads (each call starts only after the previous call's callback; plain
error-first callbacks, no promises; the same as benchmarks/juggler/bench.js):

    W1s        Supplier.create({'name': ...}) N times
    W1a        supplier.account.create({'balance': 0}) for each supplier
    W2         supplier.account(True, cb) for each (refresh: always queries)
    W3         Supplier.find({'include': 'account'}) 5 times (ms per call)
    W4 cached  supplier.account.update({'balance': i}) on the W1s instances,
               whose relation cache create filled
    W4 fresh   the same on suppliers re-loaded with Supplier.find() (empty
               cache, so each call looks the account up first)
    W5 cached  supplier.account.destroy() on the W1s instances
    W5 fresh   the same on re-loaded suppliers (accounts re-created, untimed)

Every answer is checked (right account, right balance, nothing left after
W5), so a connector that returns wrong data fails loudly instead of looking
fast.  Each (connector, N) runs in its own Python process so that its peak
RSS (resource.getrusage) is its own.  The scaling line reruns W1s/W1a/W2/W3
at N = 1,000, 10,000 and 50,000 (``--skip-50k`` leaves the last one out);
there W2 makes at least 10,000 lookups (several passes over the suppliers
when N is smaller), so that the N = 1,000 rate is not a 50 ms sample.

Connectors: memory always; sqlite on a fresh temporary file; postgresql
when a server answers (``--pg-url``, else $LB_BENCH_PG_URL, $LB_TEST_PG_URL
or postgresql://postgres@127.0.0.1:5432/test), in a schema of its own that
is dropped afterwards.  A connector that is not
installed or not reachable is skipped with the reason.
"""

import argparse
import importlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from functools import partial

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

import loopback_compat as lb  # noqa: E402  (after the path fix above)
from loopback_compat.errors import LoopBackError  # noqa: E402

CONNECTORS = ('memory', 'sqlite', 'postgresql')
WORKLOADS = ('W1s', 'W1a', 'W2', 'W3', 'W4 cached', 'W4 fresh', 'W5 cached', 'W5 fresh')
SCALING_WORKLOADS = ('W1s', 'W1a', 'W2', 'W3')
SCALING_SIZES = (1000, 10000, 50000)
W3_CALLS = 5
SCALING_MIN_W2_CALLS = 10000


class BenchError(Exception):
    """A workload got an error or a wrong answer."""


# -- data sources --------------------------------------------------------------

DEFAULT_PG_URL = 'postgresql://postgres@127.0.0.1:5432/test'


def pg_url_from_env():
    """LB_BENCH_PG_URL, else the test suite's LB_TEST_PG_URL, else the local default."""
    return (os.environ.get('LB_BENCH_PG_URL') or os.environ.get('LB_TEST_PG_URL')
            or DEFAULT_PG_URL)


def pg_unavailable(url):
    """None when PostgreSQL at ``url`` answers, else why not."""
    try:
        import psycopg
    except ImportError as err:
        return 'psycopg is not installed (%s)' % err
    try:
        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute('SELECT 1')
    except Exception as err:  # OperationalError and friends: report, skip
        return 'PostgreSQL at %s is not reachable: %s' % (url, str(err).strip())
    return None


def drop_pg_schema(url, schema):
    import psycopg
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute('DROP SCHEMA IF EXISTS "%s" CASCADE' % schema)


def make_data_source(connector, workdir, pg_url=None):
    """A fresh DataSource for ``connector``; raises Unavailable with a reason."""
    if connector == 'memory':
        return lb.DataSource('memory')
    if connector == 'sqlite':
        path = os.path.join(workdir, 'hasone_bench.sqlite3')
        return _installed('sqlite', {'connector': 'sqlite', 'file': path})
    if connector == 'postgresql':
        url = pg_url or pg_url_from_env()
        reason = pg_unavailable(url)
        if reason:
            raise Unavailable(reason)
        # A schema of our own, dropped afterwards: nobody's tables are touched.
        schema = 'lbbench_%d_%d' % (os.getpid(), int(time.time()))
        ds = _installed('postgresql', {'connector': 'postgresql', 'url': url,
                                       'schema': schema})
        ds._bench_cleanup = lambda: drop_pg_schema(url, schema)
        return ds
    raise Unavailable('unknown connector %r' % connector)


class Unavailable(Exception):
    """The connector cannot be benchmarked here (not installed, no server)."""


#: connector name -> (module, class) used when the name is not registered yet
_CONNECTOR_CLASSES = {'sqlite': ('loopback_compat.connectors.sqlite', 'SQLite'),
                      'postgresql': ('loopback_compat.connectors.postgresql', 'PostgreSQL')}


def _installed(name, settings):
    try:
        return lb.DataSource(name, settings)
    except LoopBackError as err:
        reason = str(getattr(err, 'message', err))
    except ImportError as err:
        raise Unavailable('driver missing: %s' % err)
    # Not registered by name (yet): use the connector class if the module exists.
    module, cls = _CONNECTOR_CLASSES.get(name, (None, None))
    try:
        factory = getattr(importlib.import_module(module), cls)
    except (ImportError, AttributeError, TypeError):
        raise Unavailable(reason)
    settings = dict(settings, connector=factory)
    return lb.DataSource(settings)


def define_models(ds):
    """Supplier hasOne Account (foreignKey supplierId, as 'account'), migrated."""
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'balance': 'number', 'supplierId': 'number'})
    Supplier.hasOne(Account, foreignKey='supplierId', as_='account')
    box = {}

    def main():
        ds.automigrate(['Supplier', 'Account'], lambda err=None, *_: box.update(err=err))
    lb.run(main)
    if box.get('err'):
        raise Unavailable('automigrate failed: %s' % box['err'])
    return Supplier, Account


# -- the sequential driver -----------------------------------------------------

def sequential(name, count, call, check=None):
    """Run ``call(i, cb)`` for i in range(count), each after the previous cb.

    Returns the elapsed seconds, from the first call to the last callback.
    ``check(i, *results)`` validates each answer (raise BenchError if wrong).
    The driver is kept to one Python call per operation (``answered``), as
    juggler's driver in bench.js is a few lines of JavaScript: what is timed
    is the library.
    """
    box = {'seconds': None, 'done': 0}
    depth = [0]

    def answered(k, err=None, *results):
        if err is not None:
            raise BenchError('%s call %d failed: %r' % (name, k, err))
        if check is not None:
            check(k, *results)
        k += 1
        box['done'] = k
        if k == count:
            box['seconds'] = time.perf_counter() - box['start']
        elif depth[0] < 200:
            # Callbacks are asynchronous, so depth stays 0; should one ever
            # come synchronously, hop through the loop instead of growing
            # the stack.
            depth[0] += 1
            call(k, partial(answered, k))
            depth[0] -= 1
        else:
            lb.setImmediate(call, k, partial(answered, k))

    def main():
        box['start'] = time.perf_counter()
        if count:
            call(0, partial(answered, 0))
        else:
            box['seconds'] = 0.0
    lb.run(main)
    if box['seconds'] is None:
        raise BenchError('%s stopped after %d of %d calls' % (name, box['done'], count))
    return box['seconds']


def once(fn):
    """Run ``fn(cb)`` to completion; return its first result."""
    box = {}

    def main():
        fn(lambda err=None, *results: box.update(err=err, results=results))
    lb.run(main)
    if box.get('err') is not None or 'results' not in box:
        raise BenchError('setup call failed: %r' % (box.get('err'),))
    return box['results'][0] if box['results'] else None


def expect(cond, message):
    if not cond:
        raise BenchError(message)


def rate(count, seconds):
    return {'ops_per_s': count / seconds, 'seconds': seconds, 'calls': count}


# -- the workloads -------------------------------------------------------------

class Workloads:
    """One benchmark run: N suppliers with their accounts on one data source."""

    def __init__(self, ds, n, profiler=None, min_w2_calls=0):
        self.n = n
        self.min_w2_calls = min_w2_calls
        self.Supplier, self.Account = define_models(ds)
        self.suppliers = [None] * n
        self.results = {}
        self.profiler = profiler

    def timed(self, name, count, call, check=None):
        if self.profiler:
            self.profiler.start(name)
        try:
            seconds = sequential(name, count, call, check)
        finally:
            if self.profiler:
                self.profiler.stop(name)
        self.results[name] = rate(count, seconds)
        return self.results[name]

    def reload(self):
        found = once(lambda cb: self.Supplier.find({'order': 'id ASC'}, cb))
        expect(len(found) == self.n, 'reload found %d suppliers' % len(found))
        return found

    def count_accounts(self):
        return once(lambda cb: self.Account.count(cb))

    def run(self, names=WORKLOADS):
        n, sup = self.n, self.suppliers

        def keep(i, s):
            sup[i] = s
        self.timed('W1s', n, lambda i, cb: self.Supplier.create({'name': 'supplier %d' % i}, cb),
                   keep)

        def created(i, a, *_):
            expect(a.supplierId == sup[i].id, 'W1a: wrong supplierId')
        self.timed('W1a', n, lambda i, cb: sup[i].account.create({'balance': 0}, cb), created)

        if 'W2' in names:
            # Scaling runs pass min_w2_calls: at N = 1,000 one pass lasts
            # ~50 ms and its rate is mostly noise, so cycle through the
            # suppliers until that many lookups were made.
            calls = max(n, self.min_w2_calls)

            def got(i, a, *_):
                expect(a is not None and a.supplierId == sup[i % n].id, 'W2: wrong account')
            self.timed('W2', calls, lambda i, cb: sup[i % n].account(True, cb), got)

        if 'W3' in names:
            def included(i, found, *_):
                expect(len(found) == n, 'W3: found %d suppliers' % len(found))
                last = found[-1].toJSON()
                acct = last.get('account')
                expect(acct is not None and acct['supplierId'] == last['id'],
                       'W3: include missing')
            res = self.timed('W3', W3_CALLS,
                             lambda i, cb: self.Supplier.find({'include': 'account'}, cb),
                             included)
            res['ms_per_call'] = res['seconds'] * 1000 / W3_CALLS

        if 'W4 cached' in names:
            self.run_w4('W4 cached', sup, 0)
        if 'W4 fresh' in names:
            self.run_w4('W4 fresh', self.reload(), 1)
        if 'W5 cached' in names:
            self.run_w5('W5 cached', sup)
        if 'W5 fresh' in names:
            if self.count_accounts() == 0:
                self.refill()
            self.run_w5('W5 fresh', self.reload())
        return self.results

    def run_w4(self, name, suppliers, offset):
        def updated(i, a, *_):
            expect(a.balance == i + offset, '%s: balance not updated' % name)
        self.timed(name, self.n,
                   lambda i, cb: suppliers[i].account.update({'balance': i + offset}, cb),
                   updated)

    def run_w5(self, name, suppliers):
        self.timed(name, self.n, lambda i, cb: suppliers[i].account.destroy(cb))
        left = self.count_accounts()
        expect(left == 0, '%s left %d accounts' % (name, left))

    def refill(self):
        """Untimed: give every supplier an account again (for W5 fresh)."""
        sup = self.suppliers
        sequential('refill', self.n, lambda i, cb: self.Account.create(
            {'balance': i, 'supplierId': sup[i].id}, cb))


# -- profiling (--profile) -----------------------------------------------------

class Profiler:
    """cProfile per workload; prints the top functions of each by own time."""

    def __init__(self, top=15, dump_dir=None):
        import cProfile
        self._cls = cProfile.Profile
        self.top = top
        self.dump_dir = dump_dir
        self.current = None
        self.stats = {}

    def start(self, name):
        self.current = self._cls()
        self.current.enable()

    def stop(self, name):
        self.current.disable()
        self.stats[name] = self.current
        if self.dump_dir:
            fname = name.replace(' ', '_') + '.prof'
            self.current.dump_stats(os.path.join(self.dump_dir, fname))

    def report(self, out=sys.stdout):
        import io
        import pstats
        for name, prof in self.stats.items():
            buf = io.StringIO()
            st = pstats.Stats(prof, stream=buf)
            st.sort_stats('tottime').print_stats(self.top)
            out.write('==== %s (sorted by own time) ====\n' % name)
            out.write(_trim_pstats(buf.getvalue()))
            buf = io.StringIO()
            st = pstats.Stats(prof, stream=buf)
            st.sort_stats('cumulative').print_stats(self.top)
            out.write('---- %s (cumulative) ----\n' % name)
            out.write(_trim_pstats(buf.getvalue()))


def _trim_pstats(text):
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if 'ncalls' in line:
            return '\n'.join(lines[i - 1:]) + '\n'
    return text


# -- one configuration in this process ------------------------------------------

def peak_rss_mb():
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == 'darwin' else peak / 1024


def run_one(connector, n, names, pg_url=None, profiler=None, min_w2_calls=0):
    """Run the workloads on one connector in this process; a result dict."""
    with tempfile.TemporaryDirectory(prefix='hasone_bench_') as workdir:
        try:
            ds = make_data_source(connector, workdir, pg_url)
            work = Workloads(ds, n, profiler, min_w2_calls)
        except Unavailable as err:
            return {'skipped': str(err)}
        started = os.getloadavg()[0]
        results = work.run(names)
        out = {'n': n, 'workloads': results, 'peak_rss_mb': peak_rss_mb(),
               'loadavg_1m': [started, os.getloadavg()[0]]}
        disconnect = getattr(ds, 'disconnect', None)
        if disconnect is not None and connector != 'memory':
            lb.run(lambda: disconnect(lambda *_: None))
        cleanup = getattr(ds, '_bench_cleanup', None)
        if cleanup is not None:
            cleanup()
        return out


def run_child(connector, n, names, pg_url, min_w2_calls=0):
    """Run one configuration in a fresh Python process (its own peak RSS)."""
    cmd = [sys.executable, os.path.abspath(__file__), '--child', connector, '-n', str(n),
           '--workloads', ','.join(names), '--min-w2-calls', str(min_w2_calls)]
    if pg_url:
        cmd += ['--pg-url', pg_url]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return {'failed': (proc.stderr.strip().splitlines() or ['exit %d' % proc.returncode])[-1],
                'stderr': proc.stderr[-4000:]}
    return json.loads(proc.stdout)


# -- reporting -------------------------------------------------------------------

def machine():
    model = platform.processor() or platform.machine()
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    model = line.split(':', 1)[1].strip()
                    break
    except OSError:
        pass
    return {'cpu': model, 'cpus': os.cpu_count(), 'python': platform.python_version(),
            'implementation': platform.python_implementation(),
            'platform': platform.platform()}


def fmt_rate(res):
    if not res:
        return '-'
    return '%.0f' % res['ops_per_s']


def print_text(doc, out=sys.stdout):
    w = out.write
    m = doc['machine']
    w('hasOne benchmark, N = %s, %s on %s (%s cpus)\n'
      % (f"{doc['n']:,}", m['implementation'] + ' ' + m['python'], m['cpu'], m['cpus']))
    names = [c for c in doc['connectors']]
    w('%-10s' % 'workload' + ''.join('%14s' % c for c in names) + '\n')
    for wl in WORKLOADS:
        cells = []
        for c in names:
            r = doc['connectors'][c]
            res = r.get('workloads', {}).get(wl)
            if res is None:
                cells.append('-')
            elif wl == 'W3':
                cells.append('%.1f ms' % res['ms_per_call'])
            else:
                cells.append(fmt_rate(res) + '/s')
        w('%-10s' % wl + ''.join('%14s' % x for x in cells) + '\n')
    w('%-10s' % 'peak RSS' + ''.join(
        '%14s' % ('%.0f MB' % doc['connectors'][c]['peak_rss_mb']
                  if 'peak_rss_mb' in doc['connectors'][c] else '-') for c in names) + '\n')
    for c in names:
        r = doc['connectors'][c]
        if 'skipped' in r:
            w('%s: skipped: %s\n' % (c, r['skipped']))
        if 'failed' in r:
            w('%s: FAILED: %s\n' % (c, r['failed']))
    for c, sizes in doc.get('scaling', {}).items():
        w(scaling_line(c, sizes) + '\n')


def scaling_line(connector, sizes):
    """'memory scaling: W2 ops/s ... ; W3 ms/call ...' from {n: result}."""
    w2, w3 = [], []
    for n in sorted(sizes, key=int):
        r = sizes[n].get('workloads') or {}
        if 'W2' in r:
            w2.append('N=%s %.0f/s' % (f'{int(n):,}', r['W2']['ops_per_s']))
        if 'W3' in r:
            w3.append('N=%s %.1f ms (%.2f us/supplier)' % (
                f'{int(n):,}', r['W3']['ms_per_call'], r['W3']['ms_per_call'] * 1000 / int(n)))
    ratio = ''
    keys = sorted((int(k) for k in sizes if 'W2' in (sizes[k].get('workloads') or {})))
    if len(keys) >= 2:
        lo = sizes[str(keys[0])]['workloads']['W2']['ops_per_s']
        hi = sizes[str(keys[-1])]['workloads']['W2']['ops_per_s']
        ratio = '; W2 at N=%s / N=%s = %.2f' % (f'{keys[-1]:,}', f'{keys[0]:,}', hi / lo)
    return '%s scaling: W2 %s; W3 %s%s' % (connector, ', '.join(w2), ', '.join(w3), ratio)


# -- command line ----------------------------------------------------------------

def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('-n', type=int, default=10000, help='suppliers (default 10000)')
    p.add_argument('--connectors', default=','.join(CONNECTORS),
                   help='comma-separated (default memory,sqlite,postgresql)')
    p.add_argument('--json', action='store_true', help='print one JSON document')
    p.add_argument('--no-scaling', action='store_true', help='skip the scaling runs')
    p.add_argument('--skip-50k', action='store_true', help='scaling without N = 50,000')
    p.add_argument('--scaling-sizes', default=','.join(str(x) for x in SCALING_SIZES),
                   help='N values of the scaling line (default 1000,10000,50000)')
    p.add_argument('--scaling-connectors', default=None,
                   help='connectors for the scaling line (default: the same as --connectors)')
    p.add_argument('--pg-url', default=None,
                   help='postgresql://user@host:port/db (default: $LB_BENCH_PG_URL, '
                        '$LB_TEST_PG_URL or %s)' % DEFAULT_PG_URL)
    p.add_argument('--workloads', default=','.join(WORKLOADS), help=argparse.SUPPRESS)
    p.add_argument('--child', default=None, help=argparse.SUPPRESS)
    p.add_argument('--min-w2-calls', type=int, default=0, help=argparse.SUPPRESS)
    p.add_argument('--profile', metavar='CONNECTOR', default=None,
                   help='profile each workload on CONNECTOR in this process (cProfile)')
    p.add_argument('--profile-dir', default=None, help='also dump .prof files here')
    p.add_argument('--top', type=int, default=15, help='functions per profile listing')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    names = tuple(x.strip() for x in args.workloads.split(','))
    if args.child:
        json.dump(run_one(args.child, args.n, names, args.pg_url,
                          min_w2_calls=args.min_w2_calls), sys.stdout)
        return 0
    if args.profile:
        prof = Profiler(args.top, args.profile_dir)
        res = run_one(args.profile, args.n, names, args.pg_url, prof)
        print(json.dumps(res, indent=1))
        prof.report()
        return 0

    connectors = [c.strip() for c in args.connectors.split(',') if c.strip()]
    doc = {'impl': 'loopback_compat', 'n': args.n, 'machine': machine(),
           'loadavg_start': os.getloadavg(), 'connectors': {}, 'scaling': {}}
    for c in connectors:
        doc['connectors'][c] = run_child(c, args.n, WORKLOADS, args.pg_url)
        _progress(args, '%s done' % c)
    if not args.no_scaling:
        sizes = [int(x) for x in args.scaling_sizes.split(',') if x.strip()]
        sizes = [s for s in sizes if not (args.skip_50k and s == 50000)]
        scale_on = (args.scaling_connectors.split(',') if args.scaling_connectors
                    else connectors)
        for c in scale_on:
            if 'workloads' not in doc['connectors'].get(c, {'workloads': 1}):
                continue  # skipped or failed above: say it once, not per size
            doc['scaling'][c] = {}
            for size in sizes:
                doc['scaling'][c][str(size)] = run_child(c, size, SCALING_WORKLOADS, args.pg_url,
                                                         SCALING_MIN_W2_CALLS)
                _progress(args, '%s scaling N=%d done' % (c, size))
    doc['loadavg_end'] = os.getloadavg()
    if args.json:
        json.dump(doc, sys.stdout, indent=1)
        sys.stdout.write('\n')
    else:
        print_text(doc)
    failed = [c for c, r in doc['connectors'].items() if 'failed' in r]
    for c in failed:
        sys.stderr.write('--- %s failed:\n%s\n' % (c, doc['connectors'][c]['stderr']))
    return 1 if failed else 0


def _progress(args, text):
    if sys.stderr.isatty():
        sys.stderr.write('[hasone_bench] %s\n' % text)


if __name__ == '__main__':
    sys.exit(main())
