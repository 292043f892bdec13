"""Boot script: the port of server/boot/z-customer-accounts.js.

Customer referencesMany Account (``accountIds``): ``customer.accounts.create``
stores an Account and appends its id to the customer.  ``async.each`` becomes
a loop whose callbacks count down.
"""


def boot(app, cb):
    Customer = app.models.Customer
    accounts = [
        {'name': 'Checking', 'balance': 5000},
        {'name': 'Saving', 'balance': 2000},
    ]

    def created(err, customer):
        print('Customer:', customer)

        def all_created(err=None):
            print('Customer with accounts:', customer)
            customer.accounts(print)
            cb(err)
        each(accounts, lambda account, done: customer.accounts.create(account, done),
             all_created)
    Customer.create({'name': 'Mary Smith'}, created)


def each(items, iteratee, callback):
    """``async.each(items, iteratee, callback)``: start ``iteratee(item, done)``
    for every item at once; ``callback(err)`` after the last or the first error."""
    left = [len(items)]

    def done(err=None, *_results):
        if left[0] <= 0:
            return
        if err:
            left[0] = 0
            return callback(err)
        left[0] -= 1
        if left[0] == 0:
            callback()
    if not items:
        return callback()
    for item in items:
        iteratee(item, done)
