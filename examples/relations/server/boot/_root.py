"""Boot script (left out for now, see the README): the port of the example's
server/boot/root.js.

GET /, /email, /address and /account find one customer and answer a page of
links to that customer's relation routes.  The example renders EJS views;
loopback_compat has no view engine, so ``page`` writes the links itself.
"""

import html

#: path -> (the customer shown, the relation routes listed under its id)
PAGES = {
    '/': ('Customer A', ['', '/orders']),
    '/email': ('Larry Smith', ['/emails']),
    '/address': ('John Smith', ['/address']),
    '/account': ('Mary Smith', ['/accounts', '/accounts/1', '/accounts/count']),
}


def page(customer, routes):
    links = ''.join('<li><a href="{0}">{0}</a></li>'.format(
        html.escape('/api/customers/%s%s' % (customer.id, route))) for route in routes)
    return ('<!DOCTYPE html><html><head><title>loopback-example-relations</title></head>'
            '<body><h1>%s</h1><ul>%s</ul></body></html>' % (html.escape(customer.name), links))


def boot(app):
    def handler_for(name, routes):
        def handler(req, res, next):
            def found(err, customer):
                if err:
                    return next(err)
                if customer is None:
                    return next()
                res.send(page(customer, routes))
            app.models.Customer.findOne({'where': {'name': name}}, found)
        return handler

    for path, (name, routes) in PAGES.items():
        app.get(path, handler_for(name, routes))
