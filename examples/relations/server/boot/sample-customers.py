"""Boot script: the port of server/boot/sample-customers.js.

Defines the ``youngFolks`` scope, then creates customers A to D and their
orders (hasMany / belongsTo), and a shipment of Customer D's order through
``instance.orders.create`` and ``instance.shipments.create``.  Like the
JavaScript it does not wait for its writes: the script returns at once.
"""

from datetime import datetime, timezone


def boot(app):
    Customer = app.models.Customer
    Order = app.models.Order

    # define a custom scope
    Customer.scope('youngFolks', {'where': {'age': {'lte': 22}}})

    def migrated(err=None):
        if err:
            raise err

        customers = [
            {'name': 'Customer A', 'age': 21},
            {'name': 'Customer B', 'age': 22},
            {'name': 'Customer C', 'age': 23},
            {'name': 'Customer D', 'age': 24},
            {'age': 25},
        ]
        orders = [
            {'description': 'First order by Customer A', 'date': '01-01-2015'},
            {'description': 'Second order by Customer A', 'date': '02-01-2015'},
            {'description': 'Order by Customer B', 'date': '03-01-2015'},
            {'description': 'Order by Customer C', 'date': '04-01-2015'},
            {'description': 'Order by Anonymous', 'date': '05-01-2015'},
        ]

        def order_created(err, instance):
            if err:
                return print(err)
            print('Order created: ', instance)

        # Create customers and orders
        def customer_a(err, instance):
            if err:
                return print(err)
            print('Customer created: ', instance)
            orders[0]['customerId'] = instance.id
            orders[1]['customerId'] = instance.id
            Order.create(orders[0], order_created)
            Order.create(orders[1], order_created)
        Customer.create(customers[0], customer_a)

        def customer_b(err, instance):
            if err:
                return print(err)
            print('Customer created: ', instance)
            orders[2]['customerId'] = instance.id
            Order.create(orders[2], order_created)
        Customer.create(customers[1], customer_b)

        def customer_c(err, instance):
            if err:
                return print(err)
            print('Customer created: ', instance)
            orders[3]['customerId'] = instance.id
            Order.create(orders[3], order_created)
        Customer.create(customers[2], customer_c)

        def customer_d(err, instance):
            if err:
                return print(err)
            print('Customer created: ', instance)

            def order_d(err, instance):
                if err:
                    return print(err)
                print('Order created: ', instance)

                def shipment_created(err, instance):
                    if err:
                        return print(err)
                    print('Shipment created: ', instance)
                instance.shipments.create({'date': datetime.now(timezone.utc),
                                           'description': 'Shipment'},
                                          shipment_created)
            instance.orders.create(orders[4], order_d)
        Customer.create(customers[3], customer_d)

    app.dataSources.db.automigrate('Customer', migrated)
