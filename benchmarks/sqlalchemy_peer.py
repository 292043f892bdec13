"""Our sqlite connector against SQLAlchemy 2 ORM on the same hasOne workloads.

    pip install -e '.[bench]'          # SQLAlchemy >= 2
    python benchmarks/sqlalchemy_peer.py            # N = 10,000
    python benchmarks/sqlalchemy_peer.py -n 2000 --repeat 3

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

WORKLOADS = hasone_bench.WORKLOADS
W3_CALLS = hasone_bench.W3_CALLS


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
    p.add_argument('--child', choices=('sqlalchemy', 'ours'), help=argparse.SUPPRESS)
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
    try:
        import sqlalchemy
    except ImportError:
        sys.stderr.write("sqlalchemy_peer: SQLAlchemy is not installed; "
                         "pip install -e '.[bench]' (sqlalchemy>=2)\n")
        return 2
    if int(sqlalchemy.__version__.split('.')[0]) < 2:
        sys.stderr.write('sqlalchemy_peer: needs SQLAlchemy 2, found %s\n' % sqlalchemy.__version__)
        return 2
    ours_docs, peer_docs = [], []
    loads = []
    for _ in range(args.repeat):
        loads.append(os.getloadavg()[0])
        ours = run_child('ours', args.n)
        if 'skipped' in ours:
            sys.stderr.write('sqlalchemy_peer: our sqlite connector is not available: %s\n'
                             % ours['skipped'])
            return 2
        ours_docs.append(ours)
        peer_docs.append(run_child('sqlalchemy', args.n))
        loads.append(os.getloadavg()[0])
    if args.json:
        json.dump({'n': args.n, 'ours': ours_docs, 'sqlalchemy': peer_docs,
                   'machine': hasone_bench.machine()}, sys.stdout, indent=1)
        sys.stdout.write('\n')
        return 0
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
    w('load average (1 min) around the rounds: %s\n' % ', '.join('%.2f' % x for x in loads))
    return 0


if __name__ == '__main__':
    sys.exit(main())
