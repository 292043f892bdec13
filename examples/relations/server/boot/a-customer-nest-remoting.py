"""Boot script: the port of server/boot/a-customer-nest-remoting.js.

Makes /api/customers/:id/orders/:fk/shipments reachable (Order hasMany Shipment).
"""


def boot(app):
    Customer = app.models.Customer
    Customer.nestRemoting('orders')
