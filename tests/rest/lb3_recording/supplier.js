'use strict';
module.exports = function(Supplier) {
  Supplier.greet = function(msg, cb) {
    cb(null, 'Greetings... ' + msg);
  };
  Supplier.remoteMethod('greet', {
    accepts: {arg: 'msg', type: 'string', required: true},
    returns: {arg: 'greeting', type: 'string'},
    http: {verb: 'get'},
  });

  Supplier.add = function(a, b, cb) {
    cb(null, a + b);
  };
  Supplier.remoteMethod('add', {
    accepts: [{arg: 'a', type: 'number', required: true},
              {arg: 'b', type: 'number'}],
    returns: {arg: 'sum', type: 'number'},
    http: {verb: 'get', path: '/add'},
  });

  Supplier.echo = function(data, flag, when, cb) {
    cb(null, {data: data, flag: flag, when: when});
  };
  Supplier.remoteMethod('echo', {
    accepts: [{arg: 'data', type: 'object', http: {source: 'body'}},
              {arg: 'flag', type: 'boolean', http: {source: 'query'}},
              {arg: 'when', type: 'date', http: {source: 'query'}}],
    returns: {arg: 'result', type: 'object', root: true},
    http: {verb: 'post', path: '/echo', status: 201},
  });

  Supplier.prototype.shout = function(cb) {
    cb(null, this.name.toUpperCase());
  };
  Supplier.remoteMethod('prototype.shout', {
    returns: {arg: 'shout', type: 'string'},
    http: {verb: 'get', path: '/shout'},
  });

  Supplier.beforeRemote('create', function(ctx, unused, next) {
    var body = ctx.req.body || {};
    if (body.name === 'blocked') {
      var err = new Error('name is blocked');
      err.statusCode = 403;
      err.code = 'NAME_BLOCKED';
      return next(err);
    }
    next();
  });

  Supplier.afterRemote('greet', function(ctx, unused, next) {
    ctx.result.greeting = ctx.result.greeting + '!';
    next();
  });

  Supplier.afterRemote('prototype.*', function(ctx, unused, next) {
    ctx.res.set('X-Remote-Method', ctx.method.name);
    next();
  });

  Supplier.beforeRemote('*', function(ctx, unused, next) {
    ctx.res.set('X-Static-Method', ctx.method.name);
    next();
  });
};
