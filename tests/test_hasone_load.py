"""Load: 1,000 fibers of mixed hasOne work on one data source, per connector.

200 suppliers, five fibers each (plus the fibers of the creates), all
started at once:
  * three wait for the account to exist, then each patches its own property
    of it through ``supplier.account.update`` at the same moment -- a
    connector that rewrote the whole row from a stale read would lose one
    of the three (a lost update);
  * one runs two racing ``supplier.account.create`` calls: exactly one must
    win, the other be refused with juggler's "cannot create more than one"
    error;
  * for every fourth supplier, the fifth instead creates alone and another
    waits for the three updates and destroys the account.
Afterwards: no unexpected error, every update visible, a recount of accounts
(total and per supplier) matches, and the event loop holds nothing more than
before (no ticks, microtasks, immediates, timers, pending thread work,
suspended fibers, busy pooled fibers, or pending hasOne create chains), and
a second round leaves no more live promises or fibers than the first.
"""

import gc

import pytest
from greenlet import greenlet

import loopback_compat as lb
from loopback_compat import fibers
from loopback_compat.promise import Promise
from loopback_compat.relations import creation
from trust_support import ALL_CONNECTORS, close_ds, make_ds

SUPPLIERS = 200
DUPLICATE = 'HasOne relation cannot create more than one instance of Account'


@pytest.fixture(params=ALL_CONNECTORS)
def ds(request, tmp_path):
    source = make_ds(request.param, tmp_path)
    yield source
    close_ds(source)


def loop_state():
    loop = lb.get_loop()
    state = dict(loop.stats())
    state['suspended_fibers'] = len(loop.suspended_fibers)
    state['busy_pooled_fibers'] = sum(1 for f in fibers._pool() if f.busy)
    state['pending_has_one_creates'] = len(creation._last_create)
    return state


def live_objects():
    gc.collect()
    counts = {'promises': 0, 'greenlets': 0}
    for obj in gc.get_objects():
        if isinstance(obj, Promise):
            counts['promises'] += 1
        elif isinstance(obj, greenlet) and not obj.dead:
            counts['greenlets'] += 1
    return counts


def workload(Supplier, Account, round_no):
    """Start the 1,000 fibers, wait for all; return (outcomes, errors, expected, ids)."""
    suppliers = lb.await_(Supplier.create([{'name': 'r%d-s%d' % (round_no, i)}
                                           for i in range(SUPPLIERS)]))
    created = {}
    updated = {}
    winners = {}
    expected = {}
    outcomes = []

    def deferred():
        box = {}
        box['promise'] = Promise(lambda resolve, reject: box.update(resolve=resolve))
        return box

    @lb.async_
    def create(i, label):
        try:
            lb.await_(suppliers[i].account.create({'label': label}))
        except lb.LoopBackError as err:
            assert str(err) == DUPLICATE
            outcomes.append(('refused', i))
        else:
            outcomes.append(('created', i))
            winners[i] = label

    @lb.async_
    def creates(i):
        """One create, or two racing ones (one must be refused)."""
        try:
            labels = ['c%d' % i] if i % 4 == 0 else ['c%d' % i, 'dup%d' % i]
            lb.await_(Promise.all([create(i, label) for label in labels]))
        finally:
            created[i]['resolve'](None)

    @lb.async_
    def update(i, field, value):
        lb.await_(created[i]['promise'])
        try:
            lb.await_(suppliers[i].account.update({field: value}))
            outcomes.append(('updated', i))
        finally:
            updated[i][field]['resolve'](None)

    @lb.async_
    def destroy(i):
        for box in updated[i].values():
            lb.await_(box['promise'])
        lb.await_(suppliers[i].account.destroy())
        outcomes.append(('destroyed', i))

    jobs = []
    for i in range(SUPPLIERS):
        created[i] = deferred()
        updated[i] = {f: deferred() for f in ('f1', 'f2', 'f3')}
        values = {'f1': i * 10 + 1, 'f2': i * 10 + 2, 'f3': i * 10 + 3}
        if i % 4:
            expected[suppliers[i].id] = values
        jobs.extend(update(i, f, v) for f, v in values.items())
        jobs.append(creates(i))
        if i % 4 == 0:
            jobs.append(destroy(i))
    settled = lb.await_(Promise.allSettled(jobs))
    errors = [s['reason'] for s in settled if s['status'] == 'rejected']
    for i in range(SUPPLIERS):
        if i % 4:
            expected[suppliers[i].id]['label'] = winners[i]
    return outcomes, errors, expected, [s.id for s in suppliers]


def test_thousand_fibers_of_has_one_work(ds):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'label': 'string', 'f1': 'number', 'f2': 'number',
                                         'f3': 'number'})
    Supplier.hasOne(Account, as_='account', foreignKey='supplierId')
    lb.run(lambda: lb.await_(ds.automigrate()))
    baseline = loop_state()
    objects = []

    for round_no in range(2):
        def main():
            result = workload(Supplier, Account, round_no)
            rows = lb.await_(Account.find({'where': {'supplierId': {'inq': result[3]}}}))
            total = lb.await_(Account.count())
            return result, [r.toJSON() for r in rows], total
        (outcomes, errors, expected, _ids), rows, total = lb.run(main)

        assert errors == [], errors[:5]
        kinds = {}
        for kind, _ in outcomes:
            kinds[kind] = kinds.get(kind, 0) + 1
        assert kinds == {'created': SUPPLIERS, 'updated': 3 * SUPPLIERS,
                         'destroyed': SUPPLIERS // 4, 'refused': SUPPLIERS - SUPPLIERS // 4}
        # recount: exactly one account per surviving supplier, every update in it
        by_supplier = {}
        for row in rows:
            by_supplier.setdefault(row['supplierId'], []).append(row)
        assert all(len(v) == 1 for v in by_supplier.values())
        got = {sid: {k: v[0][k] for k in ('label', 'f1', 'f2', 'f3') if k in v[0]}
               for sid, v in by_supplier.items()}
        assert got == expected
        assert total == (round_no + 1) * len(expected)
        assert loop_state() == baseline
        objects.append(live_objects())

    # the second round leaves nothing more behind than the first
    assert objects[1]['promises'] <= objects[0]['promises'], objects
    assert objects[1]['greenlets'] <= objects[0]['greenlets'], objects
    assert len(fibers._pool()) <= fibers.POOL_LIMIT
