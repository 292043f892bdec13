#!/usr/bin/env node
// The hasOne workloads of issue 6, run on real loopback-datasource-juggler 3.x
// with its memory connector.  Every call starts only after the previous call's
// callback, as a request handler would chain them.  Prints one JSON object.
//
// Usage: node bench.js [N]          (N suppliers, default 10000)
// Install first (compare_juggler.py does it): npm install   (in this folder)
'use strict';

const path = require('path');

function loadJuggler() {
  try {
    return require(path.join(__dirname, 'node_modules', 'loopback-datasource-juggler'));
  } catch (err) {
    process.stderr.write('loopback-datasource-juggler is not installed in ' + __dirname +
      '; run `npm install` there (compare_juggler.py does it for you).\n');
    process.exit(2);
  }
}

const juggler = loadJuggler();
const jugglerVersion = require(path.join(__dirname, 'node_modules',
  'loopback-datasource-juggler', 'package.json')).version;

const N = parseInt(process.argv[2] || '10000', 10);
if (!(N > 0)) {
  process.stderr.write('N must be a positive integer\n');
  process.exit(2);
}
const W3_CALLS = 5;

function setup() {
  const ds = new juggler.DataSource('memory');
  const Supplier = ds.createModel('Supplier', {name: 'string'});
  const Account = ds.createModel('Account', {balance: 'number', supplierId: 'number'});
  Supplier.hasOne(Account, {foreignKey: 'supplierId', as: 'account'});
  return {Supplier, Account};
}

function fail(where, err) {
  process.stderr.write(where + ': ' + (err && err.stack || err) + '\n');
  process.exit(1);
}

// Run call(i, done) for i = 0..count-1, one after another; done(err, result)
// is checked by check(i, result).  Calls then(seconds).
function sequential(name, count, call, check, then) {
  let i = 0;
  const start = process.hrtime.bigint();
  function next() {
    if (i === count) {
      return then(Number(process.hrtime.bigint() - start) / 1e9);
    }
    const k = i++;
    call(k, function(err, result) {
      if (err) return fail(name + ' call ' + k, err);
      if (check) check(k, result);
      // A synchronous callback (juggler has some) must not grow the stack.
      if (syncDepth++ > 1000) {
        syncDepth = 0;
        return setImmediate(next);
      }
      next();
      syncDepth = 0;
    });
  }
  let syncDepth = 0;
  next();
}

function rate(count, seconds) {
  return {ops_per_s: count / seconds, seconds: seconds, calls: count};
}

function expect(cond, message) {
  if (!cond) fail('check', new Error(message));
}

function reloadSuppliers(Supplier, cb) {
  Supplier.find({order: 'id ASC'}, function(err, list) {
    if (err) return fail('reload suppliers', err);
    expect(list.length === N, 'reload found ' + list.length + ' suppliers');
    cb(list);
  });
}

function main() {
  const {Supplier, Account} = setup();
  const out = {
    impl: 'loopback-datasource-juggler', version: jugglerVersion,
    runtime: 'node ' + process.version, connector: 'memory', n: N, workloads: {},
  };
  const W = out.workloads;
  const suppliers = new Array(N);

  sequential('W1s', N,
    (i, cb) => Supplier.create({name: 'supplier ' + i}, cb),
    (i, s) => { suppliers[i] = s; },
    w1s);

  function w1s(sec) {
    W.W1s = rate(N, sec);
    sequential('W1a', N,
      (i, cb) => suppliers[i].account.create({balance: 0}, cb),
      (i, a) => expect(a.supplierId === suppliers[i].id, 'W1a wrong supplierId'),
      w1a);
  }

  function w1a(sec) {
    W.W1a = rate(N, sec);
    sequential('W2', N,
      (i, cb) => suppliers[i].account(true, cb),
      (i, a) => expect(a && a.supplierId === suppliers[i].id, 'W2 wrong account'),
      w2);
  }

  function w2(sec) {
    W.W2 = rate(N, sec);
    sequential('W3', W3_CALLS,
      (i, cb) => Supplier.find({include: 'account'}, cb),
      (i, list) => {
        expect(list.length === N, 'W3 found ' + list.length);
        const last = list[N - 1].toJSON();
        expect(last.account && last.account.supplierId === last.id, 'W3 include missing');
      },
      w3);
  }

  function w3(sec) {
    W.W3 = rate(W3_CALLS, sec);
    W.W3.ms_per_call = sec * 1000 / W3_CALLS;
    sequential('W4 cached', N,
      (i, cb) => suppliers[i].account.update({balance: i}, cb),
      (i, a) => expect(a.balance === i, 'W4 cached balance'),
      w4cached);
  }

  function w4cached(sec) {
    W['W4 cached'] = rate(N, sec);
    reloadSuppliers(Supplier, function(fresh) {
      sequential('W4 fresh', N,
        (i, cb) => fresh[i].account.update({balance: i + 1}, cb),
        (i, a) => expect(a.balance === i + 1, 'W4 fresh balance'),
        w4fresh);
    });
  }

  function w4fresh(sec) {
    W['W4 fresh'] = rate(N, sec);
    sequential('W5 cached', N,
      (i, cb) => suppliers[i].account.destroy(cb),
      null,
      w5cached);
  }

  function w5cached(sec) {
    W['W5 cached'] = rate(N, sec);
    Account.count(function(err, c) {
      if (err) return fail('count', err);
      expect(c === 0, 'W5 cached left ' + c + ' accounts');
      // Untimed: give every supplier its account back for W5 fresh.
      sequential('refill', N,
        (i, cb) => Account.create({balance: i, supplierId: suppliers[i].id}, cb),
        null,
        () => reloadSuppliers(Supplier, function(fresh) {
          sequential('W5 fresh', N,
            (i, cb) => fresh[i].account.destroy(cb),
            null,
            w5fresh);
        }));
    });
  }

  function w5fresh(sec) {
    W['W5 fresh'] = rate(N, sec);
    Account.count(function(err, c) {
      if (err) return fail('count', err);
      expect(c === 0, 'W5 fresh left ' + c + ' accounts');
      out.peak_rss_mb = process.resourceUsage().maxRSS / 1024;
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    });
  }
}

main();
