"""Boot script: the port of server/boot/z-customer-emails.js.

Customer embedsMany EmailAddress (stored in the customer's ``emailList``):
create two, ``get`` one by id, ``set`` (replace) the other, ``unset`` (remove)
the first.  The second email's ``name`` is the example's own (it has no
``label``): EmailAddress is not strict, so it is kept.
"""


def boot(app, cb):
    Customer = app.models.Customer
    emails = [
        {'label': 'work', 'address': 'larry@xyz.com'},
        {'name': 'home', 'address': 'larry@gmail.com'},
    ]

    def created(err, customer):
        print('Customer:', customer)

        def all_created(err=None):
            print('Customer with emails:', customer)
            id1 = customer.emailList[0].id
            id2 = customer.emailList[1].id

            # Find an email by id
            def find_email(done):
                def found(err, email):
                    print('Email:', email)
                    done()
                customer.emails.get(id1, found)

            def set_email(done):
                customer.emails.set(id2, {'label': 'home', 'address': 'larry@yahoo.com'},
                                    lambda err, email: done())

            # Remove an email by id
            def remove_email(done):
                customer.emails.unset(id1, lambda err=None: done())

            def finished(err=None):
                print('Customer with emails:', customer)
                cb(err)
            series([find_email, set_email, remove_email], finished)
        each(emails, lambda email, done: customer.emails.create(email, done), all_created)
    Customer.create({'name': 'Larry Smith'}, created)


def each(items, iteratee, callback):
    """``async.each``: see z-customer-accounts.py."""
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
    for item in items:
        iteratee(item, done)


def series(tasks, callback):
    """``async.series``: see z-book-people.py."""
    pending = list(tasks)

    def next_task(err=None, *_results):
        if err or not pending:
            return callback(err)
        pending.pop(0)(next_task)
    next_task()
