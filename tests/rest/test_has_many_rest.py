"""hasMany over REST: the routes LB3 generates for ``Customer.hasMany(Order)``.

GET/POST/DELETE /Customers/{id}/orders, GET /orders/count, and GET/PUT/DELETE
/orders/{fk}.  ``RECORDED`` is the conversation as a LoopBack 3.28 app
(juggler 3.36.1, strong-remoting 3.17, strong-error-handler) answered it
under Node 20, hostile requests included (another customer's order, a
foreign key moved by the body, bodies that are not objects, a filter that
tries to leave the relation); the Python app must answer the same, in order,
on a fresh memory data source.  A str body is sent as it is (JSON text).
"""

import pytest

from live import LiveApp

RECORDED = [
    ('POST', '/api/Customers', {'name': 'ann'}, 200, {'name': 'ann', 'id': 1}),
    ('POST', '/api/Customers', {'name': 'bob'}, 200, {'name': 'bob', 'id': 2}),
    ('GET', '/api/Customers/1/orders', None, 200, []),
    ('POST', '/api/Customers/1/orders', {'item': 'pen', 'qty': 1}, 200, {'item': 'pen', 'qty': 1, 'id': 1, 'customerId': 1}),
    ('POST', '/api/Customers/1/orders', [{'item': 'ink', 'qty': 5}, {'item': 'pad', 'qty': 3}], 200, [{'item': 'ink', 'qty': 5, 'id': 2, 'customerId': 1}, {'item': 'pad', 'qty': 3, 'id': 3, 'customerId': 1}]),
    ('POST', '/api/Customers/2/orders', {'item': 'cup', 'qty': 2, 'customerId': 1}, 200, {'item': 'cup', 'qty': 2, 'id': 4, 'customerId': 2}),
    ('GET', '/api/Customers/1/orders', None, 200, [{'item': 'pen', 'qty': 1, 'id': 1, 'customerId': 1}, {'item': 'ink', 'qty': 5, 'id': 2, 'customerId': 1}, {'item': 'pad', 'qty': 3, 'id': 3, 'customerId': 1}]),
    ('GET', '/api/Customers/1/orders?filter=%7B%22where%22%3A%7B%22qty%22%3A%7B%22gt%22%3A2%7D%7D%2C%22order%22%3A%22qty%20DESC%22%7D', None, 200, [{'item': 'ink', 'qty': 5, 'id': 2, 'customerId': 1}, {'item': 'pad', 'qty': 3, 'id': 3, 'customerId': 1}]),
    ('GET', '/api/Customers/1/orders/count', None, 200, {'count': 3}),
    ('GET', '/api/Customers/1/orders/count?where=%7B%22qty%22%3A%7B%22gt%22%3A2%7D%7D', None, 200, {'count': 2}),
    ('GET', '/api/Customers/1/orders/1', None, 200, {'item': 'pen', 'qty': 1, 'id': 1, 'customerId': 1}),
    ('GET', '/api/Customers/1/orders/4', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 4 found for Order'}}),
    ('GET', '/api/Customers/1/orders/999', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 999 found for Order'}}),
    ('GET', '/api/Customers/1/orders/abc', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id abc found for Order'}}),
    ('GET', '/api/Customers/999/orders', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'could not find a model with id 999', 'code': 'MODEL_NOT_FOUND'}}),
    ('GET', '/api/Customers/999/orders/1', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'could not find a model with id 999', 'code': 'MODEL_NOT_FOUND'}}),
    ('PUT', '/api/Customers/1/orders/1', {'qty': 9}, 200, {'item': 'pen', 'qty': 9, 'id': 1, 'customerId': 1}),
    ('PUT', '/api/Customers/1/orders/1', {'customerId': 2}, 500, {'error': {'statusCode': 500, 'message': 'Internal Server Error'}}),
    ('PUT', '/api/Customers/1/orders/4', {'qty': 9}, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 4 found for Order'}}),
    ('PUT', '/api/Customers/1/orders/1', '[1,2]', 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Value is not an object.'}}),
    ('DELETE', '/api/Customers/1/orders/2', None, 204, None),
    ('DELETE', '/api/Customers/1/orders/4', None, 404, {'error': {'statusCode': 404, 'name': 'Error', 'message': 'No instance with id 4 found for Order'}}),
    ('GET', '/api/Customers/1/orders', None, 200, [{'item': 'pen', 'qty': 9, 'id': 1, 'customerId': 1}, {'item': 'pad', 'qty': 3, 'id': 3, 'customerId': 1}]),
    ('GET', '/api/Customers?filter=%7B%22include%22%3A%22orders%22%7D', None, 200, [{'name': 'ann', 'id': 1, 'orders': [{'item': 'pen', 'qty': 9, 'id': 1, 'customerId': 1}, {'item': 'pad', 'qty': 3, 'id': 3, 'customerId': 1}]}, {'name': 'bob', 'id': 2, 'orders': [{'item': 'cup', 'qty': 2, 'id': 4, 'customerId': 2}]}]),
    ('GET', '/api/Customers/1/orders?filter=%7B%22where%22%3A%7B%22customerId%22%3A2%7D%7D', None, 200, []),
    ('GET', '/api/Customers/1/orders?filter=%5B1%5D', None, 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Value is not an object.'}}),
    ('GET', '/api/Customers/1/orders/count?where=%7B%22customerId%22%3A2%7D', None, 200, {'count': 0}),
    ('POST', '/api/Customers/1/orders', '"hello"', 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Value is not an object.'}}),
    ('POST', '/api/Customers/1/orders', '[1, 2]', 400, {'error': {'statusCode': 400, 'name': 'Error', 'message': 'Some of array items are not an object.'}}),
    ('DELETE', '/api/Customers/1/orders', None, 204, None),
    ('GET', '/api/Customers/1/orders/count', None, 200, {'count': 0}),
    ('GET', '/api/Customers/2/orders/count', None, 200, {'count': 1}),
]


def setup(app, done):
    ds = app.dataSource('db', {'connector': 'memory'})
    Customer = ds.createModel('Customer', {'name': {'type': 'string', 'required': True}})
    Order = ds.createModel('Order', {'item': 'string', 'qty': 'number'})
    app.model(Customer, dataSource='db')
    app.model(Order, dataSource='db')
    Customer.hasMany(Order)
    done()


@pytest.fixture
def live():
    app = LiveApp(setup).start()
    yield app
    app.stop()


def test_the_conversation_lb3_had(live):
    for method, path, body, status, expected in RECORDED:
        if isinstance(body, str):
            got = live.json(method, path, raw=body.encode(),
                            headers={'Content-Type': 'application/json'})
        else:
            got = live.json(method, path, body)
        assert got == (status, expected), (method, path, body)


def test_routes_are_listed_in_lb3_order(live):
    from loopback_compat.remoting.shared_class import shared_class_for
    names = [m.name for m in shared_class_for(live.app.models.Customer).methods()
             if not m.isStatic and 'orders' in m.name]
    assert names == ['__findById__orders', '__destroyById__orders', '__updateById__orders',
                     '__get__orders', '__create__orders', '__delete__orders', '__count__orders']
