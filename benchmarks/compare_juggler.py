"""Our hasOne and hasMany workloads against real loopback-datasource-juggler 3.x.

    python benchmarks/compare_juggler.py              # N = 10,000, memory connector
    python benchmarks/compare_juggler.py -n 2000 --skip-50k
    python benchmarks/compare_juggler.py --repeat 3   # median of 3 back-to-back rounds
    python benchmarks/compare_juggler.py --only hasmany -n 200

Runs benchmarks/hasone_bench.py (memory connector, with its W2 scaling runs
at N = 1,000 and 50,000) and benchmarks/juggler/bench.js (Node, juggler's
memory connector) back to back with the same N, then prints one table:
workload, juggler ops/s, ours ops/s, ratio, the target of issue 6, met?;
then the same for the hasMany workloads below (``--only`` runs one group).
juggler is installed with npm into benchmarks/juggler/node_modules the first
time (git-ignored).  Needs node (and npm for that first install); exits with
a message saying what is missing otherwise.

Targets (ratio ours / juggler, N = 10,000): W1a, W2, W4 fresh, W5 fresh
>= 100x; W3 >= 10x; W1s, W4 cached, W5 cached >= 0.5x; and our W2 ops/s at
N = 50,000 >= 0.7 of our W2 ops/s at N = 1,000.

The hasMany workloads of issue 19 (N customers x 5 orders; H1
customer.orders.create, H2 customer.orders({where}), H3
customer.orders.findById, H4 Customer.find({include: 'orders'})) run the
same way: benchmarks/hasmany_bench.py on our memory connector and
benchmarks/juggler/hasmany.js, same data, calls, checks and untimed warm-up;
both print a digest of their answers (ids of a sample's H2/H3 answers, the
counts and customer-order pairs of H4), and the comparison stops when the
two differ.  Targets: H2, H3 >= 100x; H4 >= 10x; H1 has none (printed for
the record).  H2 and H3 make min(N, 2,000) calls (``--lookups``).
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
JUGGLER_DIR = os.path.join(HERE, 'juggler')
WORKLOADS = ('W1s', 'W1a', 'W2', 'W3', 'W4 cached', 'W4 fresh', 'W5 cached', 'W5 fresh')
TARGETS = {'W1s': 0.5, 'W1a': 100, 'W2': 100, 'W3': 10, 'W4 cached': 0.5,
           'W4 fresh': 100, 'W5 cached': 0.5, 'W5 fresh': 100}
SCALING_TARGET = 0.7
HASMANY_WORKLOADS = ('H1', 'H2', 'H3', 'H4')
HASMANY_TARGETS = {'H1': None, 'H2': 100, 'H3': 100, 'H4': 10}
GROUPS = ('hasone', 'hasmany')


class Missing(Exception):
    """A tool the comparison needs is not there."""


def ensure_juggler():
    """node on PATH and juggler installed in benchmarks/juggler; returns node's path."""
    node = shutil.which('node')
    if node is None:
        raise Missing('node is not installed (or not on PATH): the juggler side of the '
                      'comparison runs on Node.js (any version juggler 3 supports, e.g. 18 or 20). '
                      'Install Node.js, or run benchmarks/hasone_bench.py alone.')
    if os.path.isdir(os.path.join(JUGGLER_DIR, 'node_modules', 'loopback-datasource-juggler')):
        return node
    npm = shutil.which('npm')
    if npm is None:
        raise Missing('npm is not installed (or not on PATH): it is needed once to install '
                      'loopback-datasource-juggler into benchmarks/juggler/node_modules. '
                      'Install npm, or run `npm install` in benchmarks/juggler yourself.')
    sys.stderr.write('[compare] installing loopback-datasource-juggler with npm '
                     'into %s ...\n' % JUGGLER_DIR)
    proc = subprocess.run([npm, 'install', '--no-audit', '--no-fund'], cwd=JUGGLER_DIR,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise Missing('npm install in %s failed (exit %d):\n%s'
                      % (JUGGLER_DIR, proc.returncode, proc.stderr[-3000:]))
    return node


def run_json(cmd, what):
    started = time.time()
    load = os.getloadavg()[0]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-5000:])
        raise SystemExit('%s failed (exit %d): %s' % (what, proc.returncode, ' '.join(cmd)))
    doc = json.loads(proc.stdout)
    doc['_wall_s'] = time.time() - started
    doc['_loadavg'] = [load, os.getloadavg()[0]]
    return doc


def run_ours(n, skip_50k):
    sizes = '1000' if skip_50k else '1000,50000'
    cmd = [sys.executable, os.path.join(HERE, 'hasone_bench.py'), '--json', '-n', str(n),
           '--connectors', 'memory', '--scaling-sizes', sizes]
    doc = run_json(cmd, 'hasone_bench.py')
    mem = doc['connectors']['memory']
    if 'workloads' not in mem:
        raise SystemExit('hasone_bench.py on memory: %s' % (mem.get('failed') or mem))
    return doc


def run_juggler(node, n):
    return run_json([node, os.path.join(JUGGLER_DIR, 'bench.js'), str(n)], 'juggler bench.js')


def run_ours_hasmany(n, lookups):
    cmd = [sys.executable, os.path.join(HERE, 'hasmany_bench.py'), '--json', '-n', str(n),
           '--connectors', 'memory']
    if lookups:
        cmd += ['--lookups', str(lookups)]
    doc = run_json(cmd, 'hasmany_bench.py')
    mem = doc['connectors']['memory']
    if 'workloads' not in mem:
        raise SystemExit('hasmany_bench.py on memory: %s' % (mem.get('failed') or mem))
    mem['_loadavg'] = doc['_loadavg']
    mem['_machine'] = doc['machine']
    return mem


def run_juggler_hasmany(node, n, lookups):
    cmd = [node, os.path.join(JUGGLER_DIR, 'hasmany.js'), str(n)]
    if lookups:
        cmd.append(str(lookups))
    return run_json(cmd, 'juggler hasmany.js')


def same_answers(jug, ours):
    """Stop when juggler and ours answered the hasMany checks differently."""
    diffs = []
    for key in sorted(set(jug['check']) | set(ours['check'])):
        j, o = jug['check'].get(key), ours['check'].get(key)
        if key == 'sample' and j and o and len(j) == len(o):
            j, o = next(((x, y) for x, y in zip(j, o) if x != y), (None, None))
            key = 'sample (first differing [customer id, H2 ids, H3 id])'
        if j != o:
            diffs.append('  %s: juggler %s, ours %s' % (key, json.dumps(j)[:500],
                                                        json.dumps(o)[:500]))
    if diffs:
        raise SystemExit('hasMany: juggler and loopback_compat answered differently '
                         '(same data and calls):\n' + '\n'.join(diffs))
    if jug['lookups'] != ours['lookups']:
        raise SystemExit('hasMany: juggler made %s lookups, ours %s'
                         % (jug['lookups'], ours['lookups']))


def ops(doc, workload):
    return doc['workloads'][workload]['ops_per_s']


def median_doc(docs):
    """One result whose ops/s and ms are the medians over the rounds."""
    first = json.loads(json.dumps(docs[0]))
    for wl in first['workloads']:
        vals = [d['workloads'][wl]['ops_per_s'] for d in docs]
        first['workloads'][wl]['ops_per_s'] = statistics.median(vals)
        first['workloads'][wl]['rounds'] = vals
        if 'ms_per_call' in first['workloads'][wl]:
            first['workloads'][wl]['ms_per_call'] = statistics.median(
                d['workloads'][wl]['ms_per_call'] for d in docs)
    first['peak_rss_mb'] = max(d['peak_rss_mb'] for d in docs)
    return first


def w2_scaling(ours_docs):
    """Median over rounds of (W2 ops/s at the largest scaling N) / (at N = 1,000)."""
    ratios, sizes = [], None
    for doc in ours_docs:
        runs = doc.get('scaling', {}).get('memory', {})
        good = {int(k): v['workloads']['W2']['ops_per_s'] for k, v in runs.items()
                if 'workloads' in v}
        if len(good) >= 2:
            lo, hi = min(good), max(good)
            sizes = (lo, hi, good[lo], good[hi])
            ratios.append(good[hi] / good[lo])
    if not ratios:
        return None
    return {'lo_n': sizes[0], 'hi_n': sizes[1], 'lo_ops': sizes[2], 'hi_ops': sizes[3],
            'ratio': statistics.median(ratios), 'rounds': ratios}


def build_rows(jug, ours, scaling):
    rows = []
    for wl in WORKLOADS:
        j, o = ops(jug, wl), ops(ours, wl)
        ratio = o / j
        rows.append({'workload': wl, 'juggler': j, 'ours': o, 'ratio': ratio,
                     'target': TARGETS[wl], 'met': ratio >= TARGETS[wl]})
        if wl == 'W3':
            rows[-1]['juggler_ms'] = jug['workloads'][wl]['ms_per_call']
            rows[-1]['ours_ms'] = ours['workloads'][wl]['ms_per_call']
    if scaling:
        rows.append({'workload': 'W2 scaling', 'ratio': scaling['ratio'],
                     'target': SCALING_TARGET, 'met': scaling['ratio'] >= SCALING_TARGET,
                     'note': 'ours N=%d %.0f/s vs N=%d %.0f/s' % (
                         scaling['hi_n'], scaling['hi_ops'], scaling['lo_n'],
                         scaling['lo_ops'])})
    return rows


def build_hasmany_rows(jug, ours):
    rows = []
    for wl in HASMANY_WORKLOADS:
        j, o = ops(jug, wl), ops(ours, wl)
        target = HASMANY_TARGETS[wl]
        rows.append({'workload': wl, 'juggler': j, 'ours': o, 'ratio': o / j,
                     'target': target, 'met': None if target is None else o / j >= target})
        if wl == 'H4':
            rows[-1]['juggler_ms'] = jug['workloads'][wl]['ms_per_call']
            rows[-1]['ours_ms'] = ours['workloads'][wl]['ms_per_call']
    return rows


def fmt_ops(x):
    return '%.0f' % x if x >= 100 else '%.2f' % x


def print_table(rows, jug, ours, ours_doc, n, rounds, out=sys.stdout):
    w = out.write
    m = ours_doc['machine']
    w('hasOne workloads, memory connector, N = %s, %d round%s, each call after the previous '
      'callback\n' % (f'{n:,}', rounds, '' if rounds == 1 else 's (medians)'))
    w('machine: %s, %s cpus; juggler %s on %s; ours on %s %s\n'
      % (m['cpu'], m['cpus'], jug['version'], jug['runtime'], m['implementation'],
         m['python']))
    head = '%-11s %14s %14s %10s %8s  %s\n'
    w(head % ('workload', 'juggler ops/s', 'ours ops/s', 'ratio', 'target', 'met?'))
    w('-' * 66 + '\n')
    for r in rows:
        if r['workload'] == 'W2 scaling':
            w('%-11s %14s %14s %10s %8s  %s   (%s)\n' % (
                'W2 50k/1k', '-', '-', '%.2f' % r['ratio'], '>= %.1f' % r['target'],
                'yes' if r['met'] else 'NO', r['note']))
            continue
        w('%-11s %14s %14s %9.2fx %7sx  %s' % (
            r['workload'], fmt_ops(r['juggler']), fmt_ops(r['ours']), r['ratio'],
            ('>= %g' % r['target']), 'yes' if r['met'] else 'NO'))
        if 'juggler_ms' in r:
            w('   (%.1f ms vs %.1f ms per call)' % (r['juggler_ms'], r['ours_ms']))
        w('\n')
    w('peak RSS: juggler %.0f MB, ours %.0f MB\n' % (jug['peak_rss_mb'], ours['peak_rss_mb']))
    met = sum(1 for r in rows if r['met'])
    w('targets met: %d of %d\n' % (met, len(rows)))


def print_hasmany_table(rows, jug, ours, n, rounds, out=sys.stdout):
    w = out.write
    w('hasMany workloads, memory connector, N = %s customers x 5 orders, %s lookups (H2, H3), '
      '%d round%s; answers checked equal to juggler\'s\n'
      % (f'{n:,}', f"{ours['lookups']:,}", rounds, '' if rounds == 1 else 's (medians)'))
    head = '%-11s %14s %14s %10s %8s  %s\n'
    w(head % ('workload', 'juggler ops/s', 'ours ops/s', 'ratio', 'target', 'met?'))
    w('-' * 66 + '\n')
    for r in rows:
        if r['target'] is None:
            target, met = '-', '-   (no target)'
        else:
            target, met = '>= %gx' % r['target'], 'yes' if r['met'] else 'NO'
        w('%-11s %14s %14s %9.2fx %8s  %s' % (r['workload'], fmt_ops(r['juggler']),
                                              fmt_ops(r['ours']), r['ratio'], target, met))
        if 'juggler_ms' in r:
            w('   (%.1f ms vs %.1f ms per call)' % (r['juggler_ms'], r['ours_ms']))
        w('\n')
    w('peak RSS: juggler %.0f MB, ours %.0f MB\n' % (jug['peak_rss_mb'], ours['peak_rss_mb']))
    targeted = [r for r in rows if r['target'] is not None]
    w('targets met: %d of %d\n' % (sum(1 for r in targeted if r['met']), len(targeted)))


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('-n', type=int, default=10000, help='suppliers (default 10000)')
    p.add_argument('--skip-50k', action='store_true',
                   help='no N = 50,000 run (the W2 scaling target is then not checked)')
    p.add_argument('--repeat', type=int, default=1,
                   help='rounds of ours-then-juggler; the table shows medians')
    p.add_argument('--json', action='store_true', help='print the rows and raw results as JSON')
    p.add_argument('--save', metavar='FILE', default=None,
                   help='also write the rows and raw results as JSON to FILE')
    p.add_argument('--check', action='store_true', help='exit 1 when a target is missed')
    p.add_argument('--juggler-json', default=None,
                   help='use a saved `node bench.js N` result instead of running juggler')
    p.add_argument('--juggler-hasmany-json', default=None,
                   help='use a saved `node hasmany.js N [LOOKUPS]` result instead of running it')
    p.add_argument('--only', choices=GROUPS, default=None,
                   help='run only the hasOne (W*) or only the hasMany (H*) workloads')
    p.add_argument('--lookups', type=int, default=None,
                   help='H2 and H3 calls on both sides (default: min(N, 2000))')
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    groups = (args.only,) if args.only else GROUPS
    node = None
    if (('hasone' in groups and not args.juggler_json)
            or ('hasmany' in groups and not args.juggler_hasmany_json)):
        try:
            node = ensure_juggler()
        except Missing as err:
            sys.stderr.write('compare_juggler: %s\n' % err)
            return 2
    ours_docs, jug_docs, hm_ours, hm_jug = [], [], [], []
    for i in range(args.repeat):
        if 'hasone' in groups:
            run_hasone_round(args, node, i, ours_docs, jug_docs)
        if 'hasmany' in groups:
            run_hasmany_round(args, node, i, hm_ours, hm_jug)
    doc = {'n': args.n}
    rows = []
    if ours_docs:
        ours = median_doc([d['connectors']['memory'] for d in ours_docs])
        jug = median_doc(jug_docs)
        rows = build_rows(jug, ours, w2_scaling(ours_docs))
        doc.update(rows=rows, juggler=jug_docs, ours=ours_docs, machine=ours_docs[0]['machine'])
    hm_rows = []
    if hm_ours:
        hm_ours_med, hm_jug_med = median_doc(hm_ours), median_doc(hm_jug)
        hm_rows = build_hasmany_rows(hm_jug_med, hm_ours_med)
        doc['hasmany'] = {'rows': hm_rows, 'juggler': hm_jug, 'ours': hm_ours}
    if args.save:
        with open(args.save, 'w') as f:
            json.dump(doc, f, indent=1)
    if args.json:
        json.dump(doc, sys.stdout, indent=1)
        sys.stdout.write('\n')
    else:
        if rows:
            print_table(rows, jug, ours, ours_docs[0], args.n, args.repeat)
        if hm_rows:
            if rows:
                sys.stdout.write('\n')
            else:
                m = hm_ours[0]['_machine']
                sys.stdout.write('machine: %s, %s cpus; juggler %s on %s; ours on %s %s\n' % (
                    m['cpu'], m['cpus'], hm_jug[0]['version'], hm_jug[0]['runtime'],
                    m['implementation'], m['python']))
            print_hasmany_table(hm_rows, hm_jug_med, hm_ours_med, args.n, args.repeat)
        loads = [d['_loadavg'] for d in ours_docs + jug_docs + hm_ours + hm_jug
                 if '_loadavg' in d]
        if loads:
            sys.stdout.write('load average (1 min) before/after each run: %s\n' % ', '.join(
                '%.2f/%.2f' % tuple(x) for x in loads))
    if args.check and not all(r['met'] for r in rows + hm_rows if r['met'] is not None):
        return 1
    return 0


def run_hasone_round(args, node, i, ours_docs, jug_docs):
    """One round of the hasOne workloads: ours, then juggler (or its saved result)."""
    sys.stderr.write('[compare] round %d: ours (hasone_bench.py, N=%d) ...\n' % (i + 1, args.n))
    ours_docs.append(run_ours(args.n, args.skip_50k))
    if args.juggler_json:
        with open(args.juggler_json) as f:
            jug_docs.append(json.load(f))
    else:
        sys.stderr.write('[compare] round %d: juggler (node bench.js %d) ...\n' % (i + 1, args.n))
        jug_docs.append(run_juggler(node, args.n))
    if jug_docs[-1]['n'] != args.n:
        raise SystemExit('juggler result is for N=%s, not %d' % (jug_docs[-1]['n'], args.n))


def run_hasmany_round(args, node, i, ours_docs, jug_docs):
    """One round of the hasMany workloads: ours, then juggler; answers compared."""
    sys.stderr.write('[compare] round %d: ours (hasmany_bench.py, N=%d) ...\n' % (i + 1, args.n))
    ours_docs.append(run_ours_hasmany(args.n, args.lookups))
    if args.juggler_hasmany_json:
        with open(args.juggler_hasmany_json) as f:
            jug_docs.append(json.load(f))
    else:
        sys.stderr.write('[compare] round %d: juggler (node hasmany.js %d) ...\n'
                         % (i + 1, args.n))
        jug_docs.append(run_juggler_hasmany(node, args.n, args.lookups))
    if jug_docs[-1]['n'] != args.n:
        raise SystemExit('juggler hasMany result is for N=%s, not %d'
                         % (jug_docs[-1]['n'], args.n))
    same_answers(jug_docs[-1], ours_docs[-1])


if __name__ == '__main__':
    sys.exit(main())
