"""hasMany workloads of issue 19 on loopback_compat, per connector.

    python benchmarks/hasmany_bench.py                      # N = 10,000, memory and sqlite
    python benchmarks/hasmany_bench.py -n 200 --connectors memory
    python benchmarks/hasmany_bench.py --json               # one JSON document (compare_juggler.py)

N customers, each with 5 orders (Customer hasMany Order, foreignKey
customerId, as 'orders').  Each call starts only after the previous call's
callback (plain error-first callbacks), the same as
benchmarks/juggler/hasmany.js on juggler:

    setup   Customer.create({'name': ...}) N times (untimed)
    H1      customer.orders.create({'amount': j, 'label': ...}) 5 N times, for
            j = 0..4 over every customer in turn (a customer's orders are not
            adjacent in the table)
    check   untimed, also the warm-up: H2 and H3 for 50 customers spread over
            the N, and H4 once with every customer and order checked; gives
            the ``check`` digest that compare_juggler.py compares with
            juggler's (same ids, same counts)
    H2      customer.orders({'where': {'amount': {'gte': 3}}}, cb): 2 orders
    H3      customer.orders.findById(order id, cb)
    H4      Customer.find({'include': 'orders'}) 5 times (ms per call)

H2 and H3 make min(N, 2,000) calls spread evenly over the customers (one
per customer up to N = 2,000), or ``--lookups L`` (cycling when L > N), the
same on juggler, where each lookup reads every order: N = 10,000 lookups
over 50,000 orders would keep it busy for many minutes.  Our 2,000 fast
lookups may last well under a second, so compare medians (``--repeat``
of compare_juggler.py).  Every answer is checked (right count, right ids,
right customerId), so a wrong answer fails loudly instead of looking fast.
Each connector runs in its own Python process (its own peak RSS).
Connectors: memory; sqlite on a fresh temporary file.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import hasone_bench as hb  # noqa: E402  (benchmarks/ on the path above)

CONNECTORS = ('memory', 'sqlite')
WORKLOADS = ('H1', 'H2', 'H3', 'H4')
ORDERS_PER_CUSTOMER = 5
H4_CALLS = 5
CHECK_SAMPLE = 50
DEFAULT_LOOKUPS = 2000
H2_AMOUNTS = (3, 4)


def h2_filter():
    """A new H2 filter per call, as the object literal in hasmany.js."""
    return {'where': {'amount': {'gte': 3}}}


def define_models(ds):
    """Customer hasMany Order (foreignKey customerId, as 'orders'), migrated."""
    Customer = ds.createModel('Customer', {'name': 'string'})
    Order = ds.createModel('Order', {'amount': 'number', 'label': 'string'})
    Customer.hasMany(Order, {'as': 'orders', 'foreignKey': 'customerId'})
    box = {}

    def main():
        ds.automigrate(['Customer', 'Order'], lambda err=None, *_: box.update(err=err))
    hb.lb.run(main)
    if box.get('err'):
        raise hb.Unavailable('automigrate failed: %s' % box['err'])
    return Customer, Order


def lookup_customer(i, n, lookups):
    """The customer index of lookup call ``i`` of ``lookups`` (as hasmany.js)."""
    if lookups <= n:
        return i * n // lookups
    return i % n


def default_lookups(n):
    """H2 and H3 calls when --lookups is not given (as hasmany.js)."""
    return min(n, DEFAULT_LOOKUPS)


def sample_customers(n):
    """The customers of the untimed check pass, spread over the N (as hasmany.js)."""
    size = min(n, CHECK_SAMPLE)
    return [j * n // size for j in range(size)]


def include_digest(found, n):
    """Check a Customer.find({include: 'orders'}) answer in full; its digest."""
    hb.expect(len(found) == n, 'H4: found %d customers' % len(found))
    orders, pairs = 0, 0
    for customer in found:
        data = customer.toJSON()
        mine = data.get('orders')
        hb.expect(isinstance(mine, list) and len(mine) == ORDERS_PER_CUSTOMER,
                  'H4: customer %s has %r orders' % (data['id'], mine and len(mine)))
        for order in mine:
            hb.expect(order['customerId'] == data['id'], 'H4: order of another customer')
            orders += 1
            pairs += data['id'] * order['id']
    return {'customers': len(found), 'orders': orders, 'pairs': pairs}


class Workloads:
    """One benchmark run: N customers with 5 orders each on one data source."""

    def __init__(self, ds, n, lookups=None):
        self.n = n
        self.lookups = lookups or default_lookups(n)
        self.Customer, self.Order = define_models(ds)
        self.customers = [None] * n
        self.order_ids = [[None] * ORDERS_PER_CUSTOMER for _ in range(n)]
        self.results = {}

    def timed(self, name, count, call, check=None):
        seconds = hb.sequential(name, count, call, check)
        self.results[name] = hb.rate(count, seconds)
        return self.results[name]

    def run(self, names=WORKLOADS):
        """Setup, H1 (timed only when named), the check pass, then H2..H4 as named."""
        self.create_customers()
        self.create_orders(timed='H1' in names)
        check = self.check_pass()
        if 'H2' in names:
            self.run_h2()
        if 'H3' in names:
            self.run_h3()
        if 'H4' in names:
            self.run_h4()
        return self.results, check

    def create_customers(self):
        def keep(i, c):
            self.customers[i] = c
        hb.sequential('setup', self.n,
                      lambda i, cb: self.Customer.create({'name': 'customer %d' % i}, cb), keep)

    def create_orders(self, timed):
        n, cust, ids = self.n, self.customers, self.order_ids

        def call(k, cb):
            j = k // n
            cust[k % n].orders.create({'amount': j, 'label': 'order %d' % j}, cb)

        def created(k, order, *_):
            i, j = k % n, k // n
            hb.expect(order.customerId == cust[i].id and order.amount == j,
                      'H1: wrong order %r' % order.toJSON())
            ids[i][j] = order.id
        count = n * ORDERS_PER_CUSTOMER
        if timed:
            self.timed('H1', count, call, created)
        else:
            hb.sequential('orders', count, call, created)

    def check_pass(self):
        """Untimed warm-up and check: H2, H3 on a sample, H4 once; the digest."""
        cust, ids = self.customers, self.order_ids
        picks = sample_customers(self.n)
        h2, h3 = [], []
        hb.sequential('check H2', len(picks),
                      lambda k, cb: cust[picks[k]].orders(h2_filter(), cb),
                      lambda k, found, *_: h2.append(self.check_h2(picks[k], found)))
        hb.sequential('check H3', len(picks),
                      lambda k, cb: cust[picks[k]].orders.findById(
                          ids[picks[k]][picks[k] % ORDERS_PER_CUSTOMER], cb),
                      lambda k, order, *_: h3.append(self.check_h3(picks[k], picks[k], order)))
        found = hb.once(lambda cb: self.Customer.find({'include': 'orders'}, cb))
        return {'customers': self.n, 'sample': [[cust[i].id, a, b] for i, a, b in
                                                zip(picks, h2, h3)],
                'include': include_digest(found, self.n)}

    def check_h2(self, i, found):
        got = sorted(o.id for o in found)
        want = sorted(self.order_ids[i][j] for j in H2_AMOUNTS)
        hb.expect(got == want and all(o.customerId == self.customers[i].id for o in found),
                  'H2: customer %d got %r, want %r' % (i, got, want))
        return got

    def check_h3(self, call, i, order):
        want = self.order_ids[i][call % ORDERS_PER_CUSTOMER]
        hb.expect(order is not None and order.id == want
                  and order.customerId == self.customers[i].id,
                  'H3: customer %d got %r, want id %r' % (i, order and order.toJSON(), want))
        return order.id

    def run_h2(self):
        n, lookups, cust = self.n, self.lookups, self.customers
        self.timed('H2', lookups,
                   lambda k, cb: cust[lookup_customer(k, n, lookups)].orders(h2_filter(), cb),
                   lambda k, found, *_: self.check_h2(lookup_customer(k, n, lookups), found))

    def run_h3(self):
        n, lookups, cust, ids = self.n, self.lookups, self.customers, self.order_ids

        def call(k, cb):
            i = lookup_customer(k, n, lookups)
            cust[i].orders.findById(ids[i][k % ORDERS_PER_CUSTOMER], cb)
        self.timed('H3', lookups, call,
                   lambda k, order, *_: self.check_h3(k, lookup_customer(k, n, lookups), order))

    def run_h4(self):
        n = self.n

        def included(k, found, *_):
            hb.expect(len(found) == n, 'H4: found %d customers' % len(found))
            last = found[-1].toJSON()
            mine = last.get('orders') or []
            hb.expect(len(mine) == ORDERS_PER_CUSTOMER
                      and all(o['customerId'] == last['id'] for o in mine),
                      'H4: include missing')
        res = self.timed('H4', H4_CALLS,
                         lambda k, cb: self.Customer.find({'include': 'orders'}, cb), included)
        res['ms_per_call'] = res['seconds'] * 1000 / H4_CALLS


# -- one configuration in this process ------------------------------------------

def run_one(connector, n, names=WORKLOADS, lookups=None):
    """Run the workloads on one connector in this process; a result dict."""
    with tempfile.TemporaryDirectory(prefix='hasmany_bench_') as workdir:
        try:
            ds = hb.make_data_source(connector, workdir)
            work = Workloads(ds, n, lookups)
        except hb.Unavailable as err:
            return {'skipped': str(err)}
        started = os.getloadavg()[0]
        results, check = work.run(names)
        out = {'n': n, 'lookups': work.lookups, 'workloads': results, 'check': check,
               'peak_rss_mb': hb.peak_rss_mb(), 'loadavg_1m': [started, os.getloadavg()[0]]}
        if connector != 'memory':
            hb.lb.run(lambda: ds.disconnect(lambda *_: None))
        return out


def run_child(connector, n, names=WORKLOADS, lookups=None):
    """Run one configuration in a fresh Python process (its own peak RSS)."""
    cmd = [sys.executable, os.path.abspath(__file__), '--child', connector, '-n', str(n),
           '--workloads', ','.join(names)]
    if lookups:
        cmd += ['--lookups', str(lookups)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return {'failed': (proc.stderr.strip().splitlines() or ['exit %d' % proc.returncode])[-1],
                'stderr': proc.stderr[-4000:]}
    return json.loads(proc.stdout)


# -- command line ----------------------------------------------------------------

def print_text(doc, out=sys.stdout):
    w = out.write
    m = doc['machine']
    w('hasMany benchmark, N = %s customers x %d orders, %s %s on %s (%s cpus)\n'
      % (f"{doc['n']:,}", ORDERS_PER_CUSTOMER, m['implementation'], m['python'], m['cpu'],
         m['cpus']))
    names = list(doc['connectors'])
    w('%-10s' % 'workload' + ''.join('%14s' % c for c in names) + '\n')
    for wl in WORKLOADS:
        cells = []
        for c in names:
            res = doc['connectors'][c].get('workloads', {}).get(wl)
            if res is None:
                cells.append('-')
            elif wl == 'H4':
                cells.append('%.1f ms' % res['ms_per_call'])
            else:
                cells.append('%.0f/s' % res['ops_per_s'])
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


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('-n', type=int, default=10000, help='customers (default 10000)')
    p.add_argument('--lookups', type=int, default=None,
                   help='H2 and H3 calls (default: min(N, %d))' % DEFAULT_LOOKUPS)
    p.add_argument('--connectors', default=','.join(CONNECTORS),
                   help='comma-separated (default memory,sqlite)')
    p.add_argument('--json', action='store_true', help='print one JSON document')
    p.add_argument('--workloads', default=','.join(WORKLOADS), help=argparse.SUPPRESS)
    p.add_argument('--child', default=None, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.n < 1 or (args.lookups is not None and args.lookups < 1):
        raise SystemExit('-n and --lookups must be positive')
    names = tuple(x.strip() for x in args.workloads.split(','))
    if args.child:
        json.dump(run_one(args.child, args.n, names, args.lookups), sys.stdout)
        return 0
    connectors = [c.strip() for c in args.connectors.split(',') if c.strip()]
    doc = {'impl': 'loopback_compat', 'n': args.n, 'machine': hb.machine(),
           'loadavg_start': os.getloadavg(), 'connectors': {}}
    for c in connectors:
        doc['connectors'][c] = run_child(c, args.n, WORKLOADS, args.lookups)
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


if __name__ == '__main__':
    sys.exit(main())
