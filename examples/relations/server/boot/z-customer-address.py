"""Boot script: the port of server/boot/z-customer-address.js.

Customer embedsOne Address (stored in the customer's ``billingAddress``).
"""


def boot(app):
    Customer = app.models.Customer
    address = {
        'street': '123 A St',
        'city': 'San Jose',
        'state': 'CA',
        'zipCode': '95131',
    }

    def created(err, customer):
        print('Customer:', customer)

        def address_created(err, address):
            print('Address:', address)
            print('Customer with address:', customer)
        customer.address.create(address, address_created)
    Customer.create({'name': 'John Smith'}, created)
