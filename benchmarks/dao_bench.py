"""DAO throughput on the memory connector, beside a plain-dict baseline.

    python benchmarks/dao_bench.py [--rows 10000] [--ops 2000] [--repeat 3]

Each workload runs twice in the same process: through the DAO
(``Model.create`` ... with promises awaited in a fiber, hooks and
validation included) and as the same work done on a plain dict (the
baseline: what the storage itself costs).  Prints the best ops/s of
``--repeat`` runs for both, and the ratio.  Workloads:

- create:            insert one row
- findById:          look one row up by id
- find where (N):    ``find({'where': {'age': {'gt': x}, 'name': {'like': ...}}})``
                     over N rows (one query = one op)
- updateAttributes:  patch one property of a loaded instance
- destroy:           delete one loaded instance
"""

import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))

import loopback_compat as lb  # noqa: E402


def timed(fn, ops):
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    return ops / elapsed if elapsed else float('inf')


# -- DAO side -----------------------------------------------------------------

def dao_workloads(rows, ops):
    ds = lb.DataSource('memory')
    Person = ds.createModel('Person', {'name': 'string', 'age': 'number'})
    results = {}
    state = {}

    def create():
        for i in range(rows):
            lb.await_(Person.create({'name': 'p%d' % i, 'age': i % 100}))

    def find_by_id():
        for i in range(ops):
            inst = lb.await_(Person.findById(1 + i % rows))
            assert inst is not None
        state['loaded'] = [lb.await_(Person.findById(1 + i)) for i in range(ops)]

    def find_where():
        for i in range(ops // 100 or 1):
            found = lb.await_(Person.find({'where': {'age': {'gt': 97}, 'name': {'like': 'p1%'}}}))
            assert found
        state['where_count'] = len(found)

    def update_attributes():
        for inst in state['loaded']:
            lb.await_(inst.updateAttributes({'age': 1}))

    def destroy():
        for inst in state['loaded']:
            lb.await_(inst.destroy())

    def main():
        results['create'] = timed(create, rows)
        results['findById'] = timed(find_by_id, ops)
        results['find where'] = timed(find_where, ops // 100 or 1)
        results['updateAttributes'] = timed(update_attributes, ops)
        results['destroy'] = timed(destroy, ops)
    lb.run(main)
    return results, state['where_count']


# -- plain-dict baseline --------------------------------------------------------

def dict_workloads(rows, ops):
    store = {}
    results = {}
    state = {'next': 1}
    like = re.compile(r'^p1.*$')

    def create():
        for i in range(rows):
            row = {'name': 'p%d' % i, 'age': i % 100, 'id': state['next']}
            state['next'] += 1
            store[row['id']] = dict(row)

    def find_by_id():
        for i in range(ops):
            row = store.get(1 + i % rows)
            assert dict(row) is not None

    def find_where():
        for _ in range(ops // 100 or 1):
            matches = [r for r in store.values() if r['age'] > 97 and like.match(r['name'])]
            found = [dict(r) for r in sorted(matches, key=lambda r: r['id'])]
            assert found
        state['where_count'] = len(found)

    def update_attributes():
        for i in range(ops):
            store[1 + i].update({'age': 1})

    def destroy():
        for i in range(ops):
            del store[1 + i]

    results['create'] = timed(create, rows)
    results['findById'] = timed(find_by_id, ops)
    results['find where'] = timed(find_where, ops // 100 or 1)
    results['updateAttributes'] = timed(update_attributes, ops)
    results['destroy'] = timed(destroy, ops)
    return results, state['where_count']


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--rows', type=int, default=10000)
    parser.add_argument('--ops', type=int, default=2000)
    parser.add_argument('--repeat', type=int, default=3,
                        help='runs of each side; the best figure is kept')
    args = parser.parse_args(argv)
    dao, base = {}, {}
    for _ in range(args.repeat):
        d, dao_count = dao_workloads(args.rows, args.ops)
        b, base_count = dict_workloads(args.rows, args.ops)
        assert dao_count == base_count, (dao_count, base_count)
        for key in d:
            dao[key] = max(dao.get(key, 0), d[key])
            base[key] = max(base.get(key, 0), b[key])
    label = 'find where (%d rows)' % args.rows
    print('%-26s %14s %14s %10s' % ('operation', 'DAO ops/s', 'dict ops/s', 'dict/DAO'))
    for key in ('create', 'findById', 'find where', 'updateAttributes', 'destroy'):
        name = label if key == 'find where' else key
        print('%-26s %14.0f %14.0f %9.1fx' % (name, dao[key], base[key], base[key] / dao[key]))


if __name__ == '__main__':
    main()
