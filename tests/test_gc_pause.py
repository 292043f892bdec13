"""The collector pause around bulk builds: always restored, never forced on."""

import gc

import pytest

import loopback_compat as lb
from loopback_compat.gc_pause import BATCH_MIN, gc_paused


@pytest.fixture
def collector_enabled():
    was = gc.isenabled()
    gc.enable()
    yield
    (gc.enable if was else gc.disable)()


def test_pause_disables_and_restores(collector_enabled):
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():                    # nested: the outer one restores
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_pause_restores_when_the_block_raises(collector_enabled):
    with pytest.raises(ZeroDivisionError):
        with gc_paused():
            1 / 0
    assert gc.isenabled()


def test_pause_leaves_a_disabled_collector_disabled(collector_enabled):
    gc.disable()
    with gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


@pytest.mark.parametrize('enabled', [True, False])
def test_a_large_find_leaves_the_collector_as_it_was(ds, collector_enabled, monkeypatch,
                                                      enabled):
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'supplierId': 'number'})
    Supplier.hasOne(Account, foreignKey='supplierId', as_='account')
    pauses = []
    real_disable = gc.disable
    monkeypatch.setattr(gc, 'disable', lambda: (pauses.append(1), real_disable())[1])

    def main():
        lb.await_(lb.Promise.all([Supplier.create({'name': 's%d' % i})
                                  for i in range(BATCH_MIN + 10)]))
        lb.await_(Account.create([{'supplierId': i + 1} for i in range(BATCH_MIN + 10)]))
        (gc.enable if enabled else real_disable)()
        del pauses[:]
        found = lb.await_(Supplier.find({'include': 'account'}))
        return len(found), found[-1].toJSON()['account']['supplierId'], gc.isenabled()
    count, last_fk, after = lb.run(main)
    assert (count, last_fk, after) == (BATCH_MIN + 10, BATCH_MIN + 10, enabled)
    if enabled:   # instances built in a pause (and, on memory, the rows copied in one)
        assert len(pauses) >= (2 if ds.connector.name == 'memory' else 1)


def _find_with_include_watching(hook):
    """35 suppliers with an account each, pages of ten keys; a find with
    include while Account's ``hook`` observer records whether the collector
    is on.  Returns (linked supplierIds, collector on after, records)."""
    ds = lb.DataSource('memory', inqLimit=10)
    Supplier = ds.createModel('Supplier', {'name': 'string'})
    Account = ds.createModel('Account', {'supplierId': 'number'})
    Supplier.hasOne(Account, foreignKey='supplierId', as_='account')
    records = []

    def main():
        lb.await_(Supplier.create([{'name': 's%d' % i} for i in range(35)]))
        lb.await_(Account.create([{'supplierId': i + 1} for i in range(35)]))
        Account.observe(hook, lambda ctx, next_: (records.append(gc.isenabled()), next_()))
        found = lb.await_(Supplier.find({'include': 'account'}))
        return [s.toJSON()['account']['supplierId'] for s in found], gc.isenabled()
    linked, on_after = lb.run(main)
    return linked, on_after, records


def test_an_include_asks_for_all_its_pages_in_one_pause(collector_enabled):
    # juggler asks for every page of targets at once; the memory connector
    # copies each page's rows right then: one pause spans them all, so the
    # collector does not run every few pages
    linked, on_after, on_while_asking = _find_with_include_watching('access')
    assert linked == list(range(1, 36)) and on_after
    assert on_while_asking == [False] * 4     # four pages of ten keys
    assert gc.isenabled()


def test_an_include_holds_the_collector_until_its_targets_are_linked(collector_enabled):
    # the memory connector answers each page on a tick of its own: the pause
    # taken when the pages are asked for lasts until every page is in and the
    # targets are linked (Loop.hold_gc), not one pause and one young
    # collection per page
    linked, on_after, on_while_loading = _find_with_include_watching('loaded')
    assert linked == list(range(1, 36)) and on_after
    assert on_while_loading == [False] * 35   # every page's rows, loaded on later ticks
    assert gc.isenabled()


def test_a_large_find_with_include_holds_the_collector_until_promoted(collector_enabled,
                                                                      monkeypatch):
    # dao/find.py: from the built batch through its include to promote_included
    # one hold (no young collection every 700 containers of the batch); the
    # find's callback, and an error's, see the collector on again
    from loopback_compat.dao import find as find_module
    ds = lb.DataSource('memory')
    Customer = ds.createModel('Customer', {'name': 'string'})
    Order = ds.createModel('Order', {'amount': 'number'})
    Customer.hasMany(Order, foreignKey='customerId', as_='orders')
    promoting = []
    real_promote = find_module.promote_included
    monkeypatch.setattr(find_module, 'promote_included',
                        lambda *a: (promoting.append(gc.isenabled()), real_promote(*a))[1])
    seen = []

    def main():
        customers = lb.await_(Customer.create([{'name': 'c%d' % i}
                                               for i in range(BATCH_MIN)]))
        lb.await_(Order.create([{'amount': 1, 'customerId': c.id} for c in customers]))
        found = lb.await_(Customer.find({'include': 'orders'}))
        seen.append((None, len(found), gc.isenabled()))
        Order.observe('access', lambda ctx, next_: next_(Exception('no orders')))
        Customer.find({'include': 'orders'},
                      lambda err=None, found=None: seen.append((str(err), found,
                                                                gc.isenabled())))
    lb.run(main)
    assert promoting == [False]
    assert seen == [(None, BATCH_MIN, True), ('no orders', None, True)]
    assert gc.isenabled()
