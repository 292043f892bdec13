"""The LoopBack 3 "HasOne relations" documentation page, ported to Python.

    python examples/supplier_account/main.py

The two model definitions are the page's JSON files, unchanged, read from
common/models/.  The page then declares the same relation in code
(common/models/supplier.js) under the name ``account``, which its table of
methods uses.  Every method of that table runs three times: with
error-first callbacks, with promises, and with fibers (``await``).
"""

import json
import os

import loopback_compat as lb

MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'common', 'models')


def show(label, value=None):
    """Print one step: a label and a value as JSON (a model instance via toJSON)."""
    if hasattr(value, 'toJSON'):
        value = value.toJSON()
    text = value if isinstance(value, str) else json.dumps(value)
    print('  %-47s %s' % (label, text))


def setup():
    ds = lb.DataSource('memory')
    supplier = lb.loadModelDefinition(ds, os.path.join(MODELS, 'supplier.json'))
    account = lb.loadModelDefinition(ds, os.path.join(MODELS, 'account.json'))
    # common/models/supplier.js:
    # Supplier.hasOne(Account, {foreignKey: 'supplierId', as: 'account'});
    supplier.hasOne(account, {'foreignKey': 'supplierId', 'as': 'account'})
    print('relations of supplier:')
    for name, relation in supplier.relations.items():
        show(name, relation.toJSON())
    return supplier, account


# -- 1. error-first callbacks ---------------------------------------------------------

def with_callbacks(Supplier, Account, finished):
    print('\nwith error-first callbacks:')

    def created_supplier(err, supplier):
        if err:
            return finished(err)
        show('Supplier.create', supplier)
        supplier.account(lambda err, account: found_none(err, account, supplier))

    def found_none(err, account, supplier):
        if err:
            return finished(err)
        show('supplier.account(cb) before any account', account)
        built = supplier.account.build({'acctmgr': 'Jane'})
        show('supplier.account.build(data)', built)
        same = Account({'supplierId': supplier.id, 'acctmgr': 'Jane'})
        show('or equivalently new Account({supplierId, ...})', same)
        supplier.account.create({'acctmgr': 'Jane'},
                                lambda err, account: created(err, account, supplier))

    def created(err, account, supplier):
        if err:
            return finished(err)
        show('supplier.account.create(data, cb)', account)
        supplier.account.create({'acctmgr': 'Joe'},
                                lambda err, account=None: second_create(err, supplier))

    def second_create(err, supplier):
        show('a second create reports an error', err.message)
        supplier.account(lambda err, account: found(err, account, supplier))

    def found(err, account, supplier):
        if err:
            return finished(err)
        show('supplier.account(cb)', account)
        supplier.account.update({'balance': 100},
                                lambda err, account: updated(err, account, supplier))

    def updated(err, account, supplier):
        if err:
            return finished(err)
        show('supplier.account.update({balance: 100}, cb)', account)
        supplier.account.destroy(lambda err, info=None: destroyed(err, info, supplier))

    def destroyed(err, info, supplier):
        if err:
            return finished(err)
        show('supplier.account.destroy(cb)', info)
        Account.create({'supplierId': supplier.id, 'acctmgr': 'Ann'},
                       lambda err, account: created_directly(err, account, supplier))

    def created_directly(err, account, supplier):
        if err:
            return finished(err)
        show('or equivalently Account.create({supplierId})', account)
        supplier.account(True, lambda err, account: refreshed(err, account))

    def refreshed(err, account):
        if err:
            return finished(err)
        show('supplier.account(true, cb) finds it', account)
        finished(None)

    Supplier.create({'name': 'Acme'}, created_supplier)


# -- 2. promises ----------------------------------------------------------------------

def with_promises(Supplier, Account):
    print('\nwith promises:')
    state = {}

    def created_supplier(supplier):
        state['supplier'] = supplier
        show('Supplier.create()', supplier)
        show('supplier.account.build(data)', supplier.account.build({'acctmgr': 'Joe'}))
        return supplier.account.create({'acctmgr': 'Joe'})

    def created(account):
        show('supplier.account.create(data)', account)
        return state['supplier'].account.create({'acctmgr': 'Jim'}).catch(second_create)

    def second_create(err):
        show('a second create rejects', err.message)
        return state['supplier'].account.get()

    def found(account):
        show('supplier.account.get()', account)
        return state['supplier'].account.update({'balance': 100})

    def updated(account):
        show('supplier.account.update({balance: 100})', account)
        return state['supplier'].account.destroy()

    def destroyed(info):
        show('supplier.account.destroy()', info)
        return state['supplier'].account.get()

    def gone(account):
        show('supplier.account.get() afterwards', account)

    return (Supplier.create({'name': 'Bolt'})
            .then(created_supplier)
            .then(created)
            .then(found)
            .then(updated)
            .then(destroyed)
            .then(gone))


# -- 3. fibers (async/await) ----------------------------------------------------------

@lb.async_
def with_fibers(Supplier, Account):
    print('\nwith fibers (lb.async_ / lb.await_):')
    supplier = lb.await_(Supplier.create({'name': 'Cog'}))
    show('await Supplier.create()', supplier)
    show('supplier.account.build(data)', supplier.account.build({'acctmgr': 'Kim'}))
    account = lb.await_(supplier.account.create({'acctmgr': 'Kim'}))
    show('await supplier.account.create(data)', account)
    try:
        lb.await_(supplier.account.create({'acctmgr': 'Lee'}))
    except lb.LoopBackError as err:
        show('a second create raises', err.message)
    show('supplier.account() (cached, synchronous)', supplier.account())
    show('await supplier.account.get()', lb.await_(supplier.account.get()))
    show('await supplier.account.update({balance: 100})',
         lb.await_(supplier.account.update({'balance': 100})))
    show('await supplier.account.destroy()', lb.await_(supplier.account.destroy()))
    show('await supplier.account.get() afterwards',
         lb.await_(supplier.account.get()))


def main():
    Supplier, Account = setup()
    lb.await_(lb.Promise(lambda resolve, reject: with_callbacks(
        Supplier, Account, lambda err: reject(err) if err else resolve(None))))
    lb.await_(with_promises(Supplier, Account))
    lb.await_(with_fibers(Supplier, Account))
    accounts = lb.await_(Supplier.find({'include': 'account'}))
    print('\nSupplier.find({include: "account"}):')
    for supplier in accounts:
        show(supplier.name, supplier)


if __name__ == '__main__':
    lb.run(main)
