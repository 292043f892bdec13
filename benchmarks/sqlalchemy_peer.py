"""Our sqlite connector against SQLAlchemy 2 ORM on the same hasOne and hasMany workloads.

    pip install -e '.[bench]'          # SQLAlchemy >= 2
    python benchmarks/sqlalchemy_peer.py            # N = 10,000
    python benchmarks/sqlalchemy_peer.py -n 2000 --repeat 3
    python benchmarks/sqlalchemy_peer.py -n 2000 --only hasmany

Both sides run the workloads of benchmarks/hasone_bench.py, one call after the
other, on a fresh SQLite file each, with the same journal settings as our
connector (WAL, synchronous=NORMAL) and the same schema (INTEGER PRIMARY KEY
AUTOINCREMENT ids, a unique index on account.supplier_id), each side in its
own process.  Issue 6's target: every workload at least as fast as
SQLAlchemy (ratio >= 1).

How SQLAlchemy does each workload (idiomatic ORM; every write commits, as
our connector does; ``expire_on_commit=False`` so that instances keep their
values the way ours do):

    W1s        session.add(Supplier(name=...)); session.commit()
    W1a        supplier.account = Account(balance=0); session.commit()
               (fills the relationship, like our relation cache)
    W2         session.scalars(select(Account).where(supplier_id == s.id)).one()
               (always queries, like account(True, cb))
    W3         a new Session each call:
               session.scalars(select(Supplier).options(selectinload(Supplier.account))).all()
    W4 cached  supplier.account.balance = i; commit   (on the W1s/W1a instances)
    W4 fresh   suppliers re-loaded in a new session, then the same: each
               supplier.account lazy-loads the account first
    W5 cached  session.delete(supplier.account); commit
    W5 fresh   the same on re-loaded suppliers (accounts re-created, untimed)

Answers are checked as in hasone_bench.py.  SQLAlchemy runs synchronously on
the calling thread; ours hands each statement to its SQLite worker thread
and gets the callback back on the loop, which this comparison includes.

hasMany include (issue 19), N customers x 5 orders (the rows of
benchmarks/hasmany_bench.py: customer ids 1..N, the j-th order of customer
i has id j*N + i + 1 and amount j), each side in a process of its own:

    H4         ours: Customer.find({'include': 'orders'})
               SQLAlchemy, a new Session each call:
               session.scalars(select(Customer).options(selectinload(Customer.orders))).all()

ms per call over 5 calls, after one untimed call (the warm-up) whose answer
is checked in full on both sides and must match (customers, orders,
sum of customer id x order id).  Ours fills the rows with
customer.orders.create, SQLAlchemy with one untimed bulk commit; neither
side indexes order.customer_id (our automigrate makes no index for a
hasMany key, SQLAlchemy none for a ForeignKey).  Target: ratio >= 1.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import hasone_bench  # noqa: E402  (benchmarks/ on the path above)

import hasmany_bench  # noqa: E402

WORKLOADS = hasone_bench.WORKLOADS
W3_CALLS = hasone_bench.W3_CALLS
GROUPS = ('hasone', 'hasmany')


# -- the SQLAlchemy side -------------------------------------------------------

def sqlalchemy_models():
    from sqlalchemy import Float, ForeignKey, Integer, String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

    class Base(DeclarativeBase):
        pass

    class Supplier(Base):
        __tablename__ = 'supplier'
        __table_args__ = {'sqlite_autoincrement': True}
        id: Mapped[int] = mapped_column(Integer, primary_key=True)
        name: Mapped[str] = mapped_column(String, nullable=True)
        account: Mapped['Account'] = relationship(back_populates='supplier', uselist=False)

    class Account(Base):
        __tablename__ = 'account'
        __table_args__ = {'sqlite_autoincrement': True}
        id: Mapped[int] = mapped_column(Integer, primary_key=True)
        balance: Mapped[float] = mapped_column(Float, nullable=True)
        supplier_id: Mapped[int] = mapped_column(ForeignKey('supplier.id'), unique=True)
        supplier: Mapped[Supplier] = relationship(back_populates='account')

    return Base, Supplier, Account


def make_engine(path):
    from sqlalchemy import create_engine, event
    engine = create_engine('sqlite:///' + path)

    @event.listens_for(engine, 'connect')
    def pragmas(dbapi_conn, _record):
        cur = dbapi_conn.cursor()
        cur.execute('PRAGMA journal_mode=WAL')
        cur.execute('PRAGMA synchronous=NORMAL')
        cur.close()
    return engine


def expect(cond, message):
    if not cond:
        raise hasone_bench.BenchError(message)


def timed(results, name, count, fn):
    start = time.perf_counter()
    for i in range(count):
        fn(i)
    seconds = time.perf_counter() - start
    results[name] = hasone_bench.rate(count, seconds)
    return results[name]


def run_sqlalchemy(n):
    """All workloads with SQLAlchemy ORM on a fresh SQLite file; a result dict."""
    import sqlalchemy
    from sqlalchemy import func, select
    from sqlalchemy.orm import Session, selectinload

    Base, Supplier, Account = sqlalchemy_models()
    results = {}
    with tempfile.TemporaryDirectory(prefix='sqlalchemy_peer_') as workdir:
        engine = make_engine(os.path.join(workdir, 'peer.sqlite3'))
        Base.metadata.create_all(engine)
        session = Session(engine, expire_on_commit=False)
        sup = [None] * n

        def w1s(i):
            s = Supplier(name='supplier %d' % i)
            session.add(s)
            session.commit()
            sup[i] = s
        timed(results, 'W1s', n, w1s)

        def w1a(i):
            sup[i].account = Account(balance=0)
            session.commit()
            expect(sup[i].account.supplier_id == sup[i].id, 'W1a: wrong supplier_id')
        timed(results, 'W1a', n, w1a)

        def w2(i):
            a = session.scalars(select(Account).where(Account.supplier_id == sup[i].id)).one()
            expect(a.supplier_id == sup[i].id, 'W2: wrong account')
        timed(results, 'W2', n, w2)

        def w3(i):
            with Session(engine) as s:
                found = s.scalars(select(Supplier).options(
                    selectinload(Supplier.account))).all()
                expect(len(found) == n, 'W3: found %d' % len(found))
                expect(found[-1].account.supplier_id == found[-1].id, 'W3: include missing')
        res = timed(results, 'W3', W3_CALLS, w3)
        res['ms_per_call'] = res['seconds'] * 1000 / W3_CALLS

        def w4_cached(i):
            sup[i].account.balance = i
            session.commit()
            expect(sup[i].account.balance == i, 'W4 cached: balance')
        timed(results, 'W4 cached', n, w4_cached)

        def reload():
            s = Session(engine, expire_on_commit=False)
            found = s.scalars(select(Supplier).order_by(Supplier.id)).all()
            expect(len(found) == n, 'reload found %d' % len(found))
            return s, found

        fresh_session, fresh = reload()

        def w4_fresh(i):
            fresh[i].account.balance = i + 1
            fresh_session.commit()
            expect(fresh[i].account.balance == i + 1, 'W4 fresh: balance')
        timed(results, 'W4 fresh', n, w4_fresh)
        fresh_session.close()

        def w5_cached(i):
            session.delete(sup[i].account)
            session.commit()
        timed(results, 'W5 cached', n, w5_cached)

        def count_accounts():
            with Session(engine) as s:
                return s.scalar(select(func.count()).select_from(Account))
        expect(count_accounts() == 0, 'W5 cached left accounts')
        session.close()

        with Session(engine) as s:  # untimed refill for W5 fresh
            for i in range(n):
                s.add(Account(balance=i, supplier_id=sup[i].id))
                s.commit()

        fresh_session, fresh = reload()

        def w5_fresh(i):
            fresh_session.delete(fresh[i].account)
            fresh_session.commit()
        timed(results, 'W5 fresh', n, w5_fresh)
        fresh_session.close()
        expect(count_accounts() == 0, 'W5 fresh left accounts')
        engine.dispose()
    return {'n': n, 'workloads': results, 'peak_rss_mb': hasone_bench.peak_rss_mb(),
            'version': sqlalchemy.__version__}


def sqlalchemy_hasmany_models():
    """Customer and Order as our automigrate makes them (no index on customer_id)."""
    from sqlalchemy import Float, ForeignKey, Integer, String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

    class Base(DeclarativeBase):
        pass

    class Customer(Base):
        __tablename__ = 'customer'
        __table_args__ = {'sqlite_autoincrement': True}
        id: Mapped[int] = mapped_column(Integer, primary_key=True)
        name: Mapped[str] = mapped_column(String, nullable=True)
        orders: Mapped[list['Order']] = relationship(back_populates='customer')

    class Order(Base):
        __tablename__ = 'order'
        __table_args__ = {'sqlite_autoincrement': True}
        id: Mapped[int] = mapped_column(Integer, primary_key=True)
        amount: Mapped[float] = mapped_column(Float, nullable=True)
        label: Mapped[str] = mapped_column(String, nullable=True)
        customer_id: Mapped[int] = mapped_column(ForeignKey('customer.id'), nullable=True)
        customer: Mapped[Customer] = relationship(back_populates='orders')

    return Base, Customer, Order


def selectin_digest(found, n):
    """Check a selectinload answer in full; the digest of hasmany_bench.include_digest."""
    expect(len(found) == n, 'H4: found %d customers' % len(found))
    orders, pairs = 0, 0
    for customer in found:
        expect(len(customer.orders) == hasmany_bench.ORDERS_PER_CUSTOMER,
               'H4: customer %d has %d orders' % (customer.id, len(customer.orders)))
        for order in customer.orders:
            expect(order.customer_id == customer.id, 'H4: order of another customer')
            orders += 1
            pairs += customer.id * order.id
    return {'customers': len(found), 'orders': orders, 'pairs': pairs}


def run_sqlalchemy_hasmany(n):
    """hasMany include with selectinload on a fresh SQLite file; a result dict."""
    import sqlalchemy
    from sqlalchemy import select
    from sqlalchemy.orm import Session, selectinload

    Base, Customer, Order = sqlalchemy_hasmany_models()
    per = hasmany_bench.ORDERS_PER_CUSTOMER
    calls = hasmany_bench.H4_CALLS
    results = {}
    with tempfile.TemporaryDirectory(prefix='sqlalchemy_peer_') as workdir:
        engine = make_engine(os.path.join(workdir, 'peer.sqlite3'))
        Base.metadata.create_all(engine)
        with Session(engine) as s:  # untimed: the rows hasmany_bench.py creates
            s.add_all(Customer(id=i + 1, name='customer %d' % i) for i in range(n))
            s.flush()
            s.add_all(Order(id=j * n + i + 1, amount=j, label='order %d' % j,
                            customer_id=i + 1) for j in range(per) for i in range(n))
            s.commit()

        def include():
            with Session(engine) as s:
                return s.scalars(select(Customer).options(selectinload(Customer.orders))).all()

        check = {'include': selectin_digest(include(), n)}  # also the warm-up

        def h4(i):
            found = include()
            expect(len(found) == n, 'H4: found %d' % len(found))
            last = found[-1]
            expect(len(last.orders) == per
                   and all(o.customer_id == last.id for o in last.orders),
                   'H4: include missing')
        res = timed(results, 'H4', calls, h4)
        res['ms_per_call'] = res['seconds'] * 1000 / calls
        engine.dispose()
    return {'n': n, 'workloads': results, 'check': check,
            'peak_rss_mb': hasone_bench.peak_rss_mb(), 'version': sqlalchemy.__version__}


def run_child(which, n):
    cmd = [sys.executable, os.path.abspath(__file__), '--child', which, '-n', str(n)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-5000:])
        raise SystemExit('%s side failed (exit %d)' % (which, proc.returncode))
    return json.loads(proc.stdout)


# -- command line ----------------------------------------------------------------

def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('-n', type=int, default=10000, help='suppliers (default 10000)')
    p.add_argument('--repeat', type=int, default=1, help='rounds; the table shows medians')
    p.add_argument('--json', action='store_true', help='print raw results as JSON')
    p.add_argument('--only', choices=GROUPS, default=None,
                   help='run only the hasOne (W*) or only the hasMany include (H4) workloads')
    p.add_argument('--child', choices=('sqlalchemy', 'ours', 'sqlalchemy-hasmany',
                                       'ours-hasmany'), help=argparse.SUPPRESS)
    return p.parse_args(argv)


def _fmt(ops):
    return '%.0f' % ops if ops >= 100 else '%.2f' % ops


def median_ops(docs, wl):
    return statistics.median(d['workloads'][wl]['ops_per_s'] for d in docs)


def main(argv=None):
    args = parse_args(argv)
    if args.child == 'sqlalchemy':
        json.dump(run_sqlalchemy(args.n), sys.stdout)
        return 0
    if args.child == 'ours':
        json.dump(hasone_bench.run_one('sqlite', args.n, WORKLOADS), sys.stdout)
        return 0
    if args.child == 'sqlalchemy-hasmany':
        json.dump(run_sqlalchemy_hasmany(args.n), sys.stdout)
        return 0
    if args.child == 'ours-hasmany':
        json.dump(hasmany_bench.run_one('sqlite', args.n, ('H4',)), sys.stdout)
        return 0
    try:
        import sqlalchemy
    except ImportError:
        sys.stderr.write("sqlalchemy_peer: SQLAlchemy is not installed; "
                         "pip install -e '.[bench]' (sqlalchemy>=2)\n")
        return 2
    if int(sqlalchemy.__version__.split('.')[0]) < 2:
        sys.stderr.write('sqlalchemy_peer: needs SQLAlchemy 2, found %s\n' % sqlalchemy.__version__)
        return 2
    groups = (args.only,) if args.only else GROUPS
    ours_docs, peer_docs, hm_ours, hm_peer = [], [], [], []
    loads = []
    for _ in range(args.repeat):
        loads.append(os.getloadavg()[0])
        if 'hasone' in groups:
            ours_docs.append(run_child('ours', args.n))
            if 'skipped' in ours_docs[-1]:
                return ours_unavailable(ours_docs[-1])
            peer_docs.append(run_child('sqlalchemy', args.n))
        if 'hasmany' in groups:
            hm_ours.append(run_child('ours-hasmany', args.n))
            if 'skipped' in hm_ours[-1]:
                return ours_unavailable(hm_ours[-1])
            hm_peer.append(run_child('sqlalchemy-hasmany', args.n))
            same_include(hm_ours[-1], hm_peer[-1])
        loads.append(os.getloadavg()[0])
    if args.json:
        json.dump({'n': args.n, 'ours': ours_docs, 'sqlalchemy': peer_docs,
                   'hasmany': {'ours': hm_ours, 'sqlalchemy': hm_peer},
                   'machine': hasone_bench.machine()}, sys.stdout, indent=1)
        sys.stdout.write('\n')
        return 0
    if ours_docs:
        print_hasone(args, ours_docs, peer_docs)
    if hm_ours:
        print_hasmany(args, hm_ours, hm_peer)
    sys.stdout.write('load average (1 min) around the rounds: %s\n'
                     % ', '.join('%.2f' % x for x in loads))
    return 0


def ours_unavailable(doc):
    sys.stderr.write('sqlalchemy_peer: our sqlite connector is not available: %s\n'
                     % doc['skipped'])
    return 2


def same_include(ours, peer):
    """Stop when the two sides' hasMany include answers differ (same rows)."""
    if ours['check']['include'] != peer['check']['include']:
        raise SystemExit('hasMany include: ours and SQLAlchemy answered differently: '
                         'ours %r, SQLAlchemy %r' % (ours['check']['include'],
                                                     peer['check']['include']))


def print_hasone(args, ours_docs, peer_docs):
    w = sys.stdout.write
    w('hasOne workloads on a SQLite file (WAL), N = %s, %d round%s; SQLAlchemy %s ORM vs '
      'loopback_compat sqlite connector\n' % (f'{args.n:,}', args.repeat,
                                              '' if args.repeat == 1 else 's (medians)',
                                              peer_docs[0]['version']))
    w('%-11s %16s %12s %9s  %s\n' % ('workload', 'SQLAlchemy ops/s', 'ours ops/s', 'ratio',
                                     'ours >= SQLAlchemy?'))
    met = 0
    for wl in WORKLOADS:
        p, o = median_ops(peer_docs, wl), median_ops(ours_docs, wl)
        met += o >= p
        extra = ''
        if wl == 'W3':
            extra = '   (%.1f ms vs %.1f ms per call)' % (
                statistics.median(d['workloads'][wl]['ms_per_call'] for d in peer_docs),
                statistics.median(d['workloads'][wl]['ms_per_call'] for d in ours_docs))
        w('%-11s %16s %12s %8.2fx  %s%s\n' % (wl, _fmt(p), _fmt(o), o / p,
                                              'yes' if o >= p else 'NO', extra))
    w('peak RSS: SQLAlchemy %.0f MB, ours %.0f MB\n' % (
        max(d['peak_rss_mb'] for d in peer_docs), max(d['peak_rss_mb'] for d in ours_docs)))
    w('at least as fast as SQLAlchemy: %d of %d workloads\n' % (met, len(WORKLOADS)))


def print_hasmany(args, ours_docs, peer_docs):
    w = sys.stdout.write
    w('hasMany include on a SQLite file (WAL), N = %s customers x %d orders, %d round%s; '
      'SQLAlchemy %s selectinload vs loopback_compat include; answers checked equal\n'
      % (f'{args.n:,}', hasmany_bench.ORDERS_PER_CUSTOMER, args.repeat,
         '' if args.repeat == 1 else 's (medians)', peer_docs[0]['version']))
    w('%-11s %16s %12s %9s  %s\n' % ('workload', 'SQLAlchemy ms', 'ours ms', 'ratio',
                                     'ours >= SQLAlchemy?'))
    p = statistics.median(d['workloads']['H4']['ms_per_call'] for d in peer_docs)
    o = statistics.median(d['workloads']['H4']['ms_per_call'] for d in ours_docs)
    w('%-11s %16.1f %12.1f %8.2fx  %s   (ms per call, lower is better)\n'
      % ('H4', p, o, p / o, 'yes' if o <= p else 'NO'))
    w('peak RSS: SQLAlchemy %.0f MB, ours %.0f MB\n' % (
        max(d['peak_rss_mb'] for d in peer_docs), max(d['peak_rss_mb'] for d in ours_docs)))


if __name__ == '__main__':
    sys.exit(main())
