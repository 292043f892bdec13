"""loopback-example-relations, booted and asked: ``python examples/relations/main.py``.

Boots the app of server/ (memory data source, seeded by the boot scripts as
in the example), waits for the seeding writes the boot scripts do not wait
for, prints a few relation calls made in Python, then listens on an ephemeral
127.0.0.1 port and prints the answers to the example's REST requests (the
links of the example's pages).
"""

import datetime
import http.client
import json
import os
import sys
import threading

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..'))

import loopback_compat as lb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))

#: Links of the example's pages (its views) and its test's nested route.
REQUESTS = [
    '/api/customers?filter[fields][name]=true',
    '/api/customers/youngFolks',
    '/api/customers/1/orders',
    '/api/customers?filter[include][orders]=customer&filter[where][age]=21',
    '/api/customers?filter[include]=accounts&filter[limit]=1',
    '/api/customers/4/orders/5/shipments',
    '/api/customers/5/accounts',
    '/api/customers/6/address',
    '/api/customers/7/emails',
    '/api/Books/1/people',
    '/api/Orders/5/customer',
]


def as_json(value):
    """One line of JSON for an instance, a list of them, or plain data."""
    if isinstance(value, list):
        value = [as_json_value(v) for v in value]
    else:
        value = as_json_value(value)
    return json.dumps(value, default=js_date)


def js_date(value):
    """A date as JSON.stringify writes it (2015-01-01T00:00:00.000Z)."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.timezone.utc).isoformat(
            timespec='milliseconds').replace('+00:00', 'Z')
    raise TypeError(type(value).__name__)


def as_json_value(value):
    return value.toJSON() if hasattr(value, 'toJSON') else value


def relation_calls(app, done):
    """A few relation calls in Python, each printed as ``call -> answer``."""
    Customer, Order = app.models.Customer, app.models.Order
    steps = [
        ('Customer.youngFolks()  (named scope)',
         lambda cb: Customer.youngFolks(cb)),
        ("Customer.findOne({where: {name: 'Customer A'}}).orders()  (hasMany)",
         lambda cb: Customer.findOne({'where': {'name': 'Customer A'}},
                                     lambda err, c: c.orders(cb) if not err else cb(err))),
        ('Order.findById(5).customer()  (belongsTo)',
         lambda cb: Order.findById(5, lambda err, o: o.customer(cb) if not err else cb(err))),
        ("Customer.find({include: {orders: 'shipments'}, where: {age: 24}})  (include)",
         lambda cb: Customer.find({'include': {'orders': 'shipments'}, 'where': {'age': 24}},
                                  cb)),
        ("Customer.findOne({where: {name: 'Mary Smith'}}).accounts()  (referencesMany)",
         lambda cb: Customer.findOne({'where': {'name': 'Mary Smith'}},
                                     lambda err, c: c.accounts(cb) if not err else cb(err))),
    ]
    pending = list(steps)

    def next_step(err=None):
        if err or not pending:
            return done(err)
        label, call = pending.pop(0)

        def answered(err, value=None):
            if err:
                return done(err)
            print('%s\n  -> %s' % (label, as_json(value)))
            next_step()
        call(answered)
    print('\n-- relation calls --')
    next_step()


def rest_requests(port):
    """GET each of REQUESTS on 127.0.0.1:port (from a thread: the loop serves them)."""
    print('\n-- REST requests --')
    for path in REQUESTS:
        conn = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
        try:
            conn.request('GET', path, headers={'Accept': 'application/json'})
            resp = conn.getresponse()
            body = json.loads(resp.read() or b'null')
        finally:
            conn.close()
        print('GET %s\n  -> %d %s' % (path, resp.status, json.dumps(body)))


def seeded(app, then, tries=200):
    """Call ``then()`` once the shipment sample-customers creates last is stored."""
    def counted(err, count):
        if err or (count == 0 and tries > 0):
            return lb.setTimeout(lambda: seeded(app, then, tries - 1), 10)
        then()
    app.models.Shipment.count(counted)


def main():
    app = lb.loopback()

    def booted(err=None):
        if err:
            raise err
        # sample-customers does not wait for its writes: its last one is the shipment.
        seeded(app, lambda: relation_calls(app, answered))

    def answered(err=None):
        if err:
            raise err
        server = app.listen(0, '127.0.0.1', lambda: serve(server))

    def serve(server):
        loop = lb.get_loop()

        def client():
            try:
                rest_requests(server.port)
            finally:
                loop.call_soon_threadsafe(server.close)
        threading.Thread(target=client, name='relations-client').start()

    print('-- boot (the boot scripts print what they create) --')
    lb.boot(app, os.path.join(HERE, 'server'), booted)


if __name__ == '__main__':
    lb.run(main)
