"""Supplier model script: the port of common/models/supplier.js.

# LoopBack: module.exports = function(Supplier) { ... };
"""

from loopback_compat import LoopBackError


def setup(Supplier):
    def greet(msg, cb):
        cb(None, 'Greetings... ' + msg)
    Supplier.greet = greet
    Supplier.remoteMethod('greet', {
        'accepts': {'arg': 'msg', 'type': 'string', 'required': True},
        'returns': {'arg': 'greeting', 'type': 'string'},
        'http': {'verb': 'get'},
    })

    def add(a, b, cb):
        # JavaScript's a + undefined is NaN, which JSON prints as null.
        cb(None, a + b if b is not None else float('nan'))
    Supplier.add = add
    Supplier.remoteMethod('add', {
        'accepts': [{'arg': 'a', 'type': 'number', 'required': True},
                    {'arg': 'b', 'type': 'number'}],
        'returns': {'arg': 'sum', 'type': 'number'},
        'http': {'verb': 'get', 'path': '/add'},
    })

    def echo(data, flag, when, cb):
        result = {'data': data, 'flag': flag, 'when': when}
        cb(None, {k: v for k, v in result.items() if v is not None})
    Supplier.echo = echo
    Supplier.remoteMethod('echo', {
        'accepts': [{'arg': 'data', 'type': 'object', 'http': {'source': 'body'}},
                    {'arg': 'flag', 'type': 'boolean', 'http': {'source': 'query'}},
                    {'arg': 'when', 'type': 'date', 'http': {'source': 'query'}}],
        'returns': {'arg': 'result', 'type': 'object', 'root': True},
        'http': {'verb': 'post', 'path': '/echo', 'status': 201},
    })

    def shout(self, cb):
        cb(None, self.name.upper())
    Supplier.shout = shout
    Supplier.remoteMethod('prototype.shout', {
        'returns': {'arg': 'shout', 'type': 'string'},
        'http': {'verb': 'get', 'path': '/shout'},
    })

    def block_names(ctx, unused, next):
        body = ctx.req.body if isinstance(ctx.req.body, dict) else {}
        if body.get('name') == 'blocked':
            return next(LoopBackError('name is blocked', statusCode=403, code='NAME_BLOCKED'))
        next()
    Supplier.beforeRemote('create', block_names)

    def exclaim(ctx, unused, next):
        ctx.result['greeting'] = ctx.result['greeting'] + '!'
        next()
    Supplier.afterRemote('greet', exclaim)

    def tag_prototype(ctx, unused, next):
        ctx.res.set('X-Remote-Method', ctx.method.name)
        next()
    Supplier.afterRemote('prototype.*', tag_prototype)

    def tag_static(ctx, unused, next):
        ctx.res.set('X-Static-Method', ctx.method.name)
        next()
    Supplier.beforeRemote('*', tag_static)
