#!/usr/bin/env node
// The hasMany workloads of issue 19, run on real loopback-datasource-juggler 3.x
// with its memory connector: the same calls, data, checks and warm-up as
// benchmarks/hasmany_bench.py (read its docstring for the workloads).  Every
// call starts only after the previous call's callback.  Prints one JSON object,
// whose `check` digest compare_juggler.py compares with ours.
//
// Usage: node hasmany.js [N] [LOOKUPS]   (N customers x 5 orders, default 10000;
//                                         H2/H3 calls, default min(N, 2000))
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
// H2/H3 calls: min(N, 2000) by default, as hasmany_bench.default_lookups.
const LOOKUPS = parseInt(process.argv[3] || String(Math.min(N, 2000)), 10);
if (!(N > 0) || !(LOOKUPS > 0)) {
  process.stderr.write('N and LOOKUPS must be positive integers\n');
  process.exit(2);
}
const ORDERS_PER_CUSTOMER = 5;
const H4_CALLS = 5;
const CHECK_SAMPLE = 50;
const H2_AMOUNTS = [3, 4];

function setup() {
  const ds = new juggler.DataSource('memory');
  const Customer = ds.createModel('Customer', {name: 'string'});
  const Order = ds.createModel('Order', {amount: 'number', label: 'string'});
  Customer.hasMany(Order, {as: 'orders', foreignKey: 'customerId'});
  return {Customer, Order};
}

function fail(where, err) {
  process.stderr.write(where + ': ' + (err && err.stack || err) + '\n');
  process.exit(1);
}

// Run call(i, done) for i = 0..count-1, one after another (as bench.js);
// done(err, result) is checked by check(i, result).  Calls then(seconds).
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

// The customer index of lookup call i (as hasmany_bench.lookup_customer).
function lookupCustomer(i) {
  return LOOKUPS <= N ? Math.floor(i * N / LOOKUPS) : i % N;
}

// The customers of the untimed check pass (as hasmany_bench.sample_customers).
function sampleCustomers() {
  const size = Math.min(N, CHECK_SAMPLE);
  const picks = [];
  for (let j = 0; j < size; j++) picks.push(Math.floor(j * N / size));
  return picks;
}

function h2Filter() {
  return {where: {amount: {gte: 3}}};
}

// Check a Customer.find({include: 'orders'}) answer in full; its digest.
function includeDigest(found) {
  expect(found.length === N, 'H4: found ' + found.length + ' customers');
  let orders = 0, pairs = 0;
  for (const customer of found) {
    const data = customer.toJSON();
    const mine = data.orders;
    expect(Array.isArray(mine) && mine.length === ORDERS_PER_CUSTOMER,
      'H4: customer ' + data.id + ' has ' + (mine && mine.length) + ' orders');
    for (const order of mine) {
      expect(order.customerId === data.id, 'H4: order of another customer');
      orders += 1;
      pairs += data.id * order.id;
    }
  }
  return {customers: found.length, orders: orders, pairs: pairs};
}

function main() {
  const {Customer} = setup();
  const out = {
    impl: 'loopback-datasource-juggler', version: jugglerVersion,
    runtime: 'node ' + process.version, connector: 'memory', n: N, lookups: LOOKUPS,
    workloads: {},
  };
  const W = out.workloads;
  const customers = new Array(N);
  const orderIds = [];
  for (let i = 0; i < N; i++) orderIds.push(new Array(ORDERS_PER_CUSTOMER));

  function checkH2(i, found) {
    const got = found.map(o => o.id).sort((a, b) => a - b);
    const want = H2_AMOUNTS.map(j => orderIds[i][j]).sort((a, b) => a - b);
    expect(got.length === want.length && got.every((id, x) => id === want[x]) &&
      found.every(o => o.customerId === customers[i].id),
    'H2: customer ' + i + ' got ' + JSON.stringify(got) + ', want ' + JSON.stringify(want));
    return got;
  }

  function checkH3(call, i, order) {
    const want = orderIds[i][call % ORDERS_PER_CUSTOMER];
    expect(order && order.id === want && order.customerId === customers[i].id,
      'H3: customer ' + i + ' got ' + JSON.stringify(order) + ', want id ' + want);
    return order.id;
  }

  sequential('setup', N,
    (i, cb) => Customer.create({name: 'customer ' + i}, cb),
    (i, c) => { customers[i] = c; },
    h1);

  function h1() {
    sequential('H1', N * ORDERS_PER_CUSTOMER,
      (k, cb) => {
        const j = Math.floor(k / N);
        customers[k % N].orders.create({amount: j, label: 'order ' + j}, cb);
      },
      (k, order) => {
        const i = k % N, j = Math.floor(k / N);
        expect(order.customerId === customers[i].id && order.amount === j,
          'H1: wrong order ' + JSON.stringify(order));
        orderIds[i][j] = order.id;
      },
      checkPass);
  }

  // Untimed warm-up and check: H2, H3 on a sample, H4 once.
  function checkPass(sec) {
    W.H1 = rate(N * ORDERS_PER_CUSTOMER, sec);
    const picks = sampleCustomers();
    const h2 = [], h3 = [];
    sequential('check H2', picks.length,
      (k, cb) => customers[picks[k]].orders(h2Filter(), cb),
      (k, found) => h2.push(checkH2(picks[k], found)),
      () => sequential('check H3', picks.length,
        (k, cb) => customers[picks[k]].orders.findById(
          orderIds[picks[k]][picks[k] % ORDERS_PER_CUSTOMER], cb),
        (k, order) => h3.push(checkH3(picks[k], picks[k], order)),
        () => Customer.find({include: 'orders'}, function(err, found) {
          if (err) return fail('check H4', err);
          out.check = {
            customers: N,
            sample: picks.map((i, x) => [customers[i].id, h2[x], h3[x]]),
            include: includeDigest(found),
          };
          runH2();
        })));
  }

  function runH2() {
    sequential('H2', LOOKUPS,
      (k, cb) => customers[lookupCustomer(k)].orders(h2Filter(), cb),
      (k, found) => checkH2(lookupCustomer(k), found),
      runH3);
  }

  function runH3(sec) {
    W.H2 = rate(LOOKUPS, sec);
    sequential('H3', LOOKUPS,
      (k, cb) => {
        const i = lookupCustomer(k);
        customers[i].orders.findById(orderIds[i][k % ORDERS_PER_CUSTOMER], cb);
      },
      (k, order) => checkH3(k, lookupCustomer(k), order),
      runH4);
  }

  function runH4(sec) {
    W.H3 = rate(LOOKUPS, sec);
    sequential('H4', H4_CALLS,
      (k, cb) => Customer.find({include: 'orders'}, cb),
      (k, found) => {
        expect(found.length === N, 'H4: found ' + found.length + ' customers');
        const last = found[N - 1].toJSON();
        const mine = last.orders || [];
        expect(mine.length === ORDERS_PER_CUSTOMER &&
          mine.every(o => o.customerId === last.id), 'H4: include missing');
      },
      done);
  }

  function done(sec) {
    W.H4 = rate(H4_CALLS, sec);
    W.H4.ms_per_call = sec * 1000 / H4_CALLS;
    out.peak_rss_mb = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  }
}

main();
