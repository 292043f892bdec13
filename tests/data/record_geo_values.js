// Records what juggler 3.36.1's lib/geo.js and DAO answer for GeoPoint and the
// near filter; tests/test_geo.py asserts loopback_compat gives every answer.
//
//     node tests/data/record_geo_values.js <node_modules> > tests/data/geo_values_juggler.json
//
// (<node_modules> holds loopback-datasource-juggler 3.36.1.)  NaN is written
// {"$": "NaN"}, undefined {"$": "undefined"}; an error as {"error": [name, message]}.
'use strict';

const path = require('path');
const modules = process.argv[2];
if (!modules) {
  console.error('usage: node record_geo_values.js <node_modules>');
  process.exit(1);
}
const juggler = path.join(modules, 'loopback-datasource-juggler');
const {DataSource} = require(juggler);
const geo = require(path.join(juggler, 'lib', 'geo'));
const {GeoPoint} = geo;

function enc(v) {
  if (v === undefined) return {$: 'undefined'};
  if (typeof v === 'number' && isNaN(v)) return {$: 'NaN'};
  if (Array.isArray(v)) return v.map(enc);
  if (v && typeof v === 'object') {
    const o = {};
    for (const k of Object.keys(v)) o[k] = enc(v[k]);
    return o;
  }
  return v;
}

function dec(v) {
  if (Array.isArray(v)) return v.map(dec);
  if (v && typeof v === 'object') {
    if (v.$ === 'NaN') return NaN;
    if (v.$ === 'undefined') return undefined;
    const o = {};
    for (const k of Object.keys(v)) o[k] = dec(v[k]);
    return o;
  }
  return v;
}

function outcome(fn) {
  try {
    return {ok: enc(fn())};
  } catch (err) {
    return {error: [err.name, err.message]};
  }
}

const out = {};

// -- the constructor: `new GeoPoint(...args)` -----------------------------------
const ARGS = [
  [[-34, 150]], [{lat: -34, lng: 150}], ['-34,150'], [-34, 150], ['-34, 150'],
  ['1 , 2'], ['1,\t2'], ['1,\u00a02'], [','], ['0x10,1e1'], ['1e1,-0'], [' 12 , 3 '],
  ['{"lat": 3, "lng": 4}'], ['[3, 4]'], ['[[1],[2]]'], ['{"lat":"1"}'], ['{"lat":"1.5","lng":""}'],
  ['5'], ['true'], ['null'], ['"abc"'], ['"1,2"'], ['1e400'], ['NaN,1'], ['Infinity,1'],
  ['150,-34'], ['invalid_string'], [[150, -34]], [{lat: 150, lng: null}], [150, -34], [],
  [''], ['1,2,3'], ['abc'], [5], [true], [null], [{lat: null, lng: null}], [{lat: true, lng: false}],
  [{lat: 1}], [{lng: 1}], [{}], [[]], [[1]], [[1, 2, 3]], [['1', ' 2']], [[null, 'x']],
  [['', '']], [[[1, 2]]], [{lat: '10', lng: '20'}], [{lat: [5], lng: [6]}], [{lat: {}, lng: 1}],
  [90, 180], [-90, -180], [90.0000001, 0], [0, 180.0000001], [0, -180.0000001], [-90.0000001, 0],
  [1, 2, 3], ['1', '2'], [null, null], [{$: 'NaN'}, 2], [1, {$: 'NaN'}],
  [{lat: -33.8688, lng: 151.2093, extra: 'x'}], ['-33.8688,151.2093'], ['1e-7,2e-7'],
];
out.constructor = ARGS.map(args => ({args: enc(args), result: outcome(() => {
  const p = new GeoPoint(...dec(args));
  return {lat: p.lat, lng: p.lng, string: p.toString()};
})}));

// -- distances ------------------------------------------------------------------------
let seed = 12345;
function rnd() {                    // a small LCG, so the points are in the file
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const UNITS = [undefined, 'miles', 'radians', 'kilometers', 'meters', 'feet', 'degrees',
  'parsecs', ''];
const pairs = [
  [[0, 0], [0, 0]], [[0, 0], [0, 180]], [[90, 0], [-90, 0]], [[0, 0], [1, 1]],
  [[40.77492964101182, -73.90950187151662], [40.7753227, -73.909217]],
  [[29.9, -90.07], [29.97, -90.03]], [[90, 0], [90, 0]], [[90, 10], [89.9999, 10]],
  [[-90, 0], [90, 180]], [[45, 45], [-45, -135]],
];
for (let i = 0; i < 60; i++) {
  pairs.push([[rnd() * 180 - 90, rnd() * 360 - 180], [rnd() * 180 - 90, rnd() * 360 - 180]]);
}
for (let i = 0; i < 20; i++) {     // near points: the case the near filter lives on
  const lat = rnd() * 170 - 85;
  const lng = rnd() * 350 - 175;
  pairs.push([[lat, lng], [lat + rnd() * 0.01, lng + rnd() * 0.01]]);
}
out.distances = [];
for (const [a, b] of pairs) {
  for (const unit of UNITS) {
    out.distances.push({a, b, unit: enc(unit),
      d: enc(GeoPoint.distanceBetween(a, b, unit === undefined ? undefined : {type: unit}))});
  }
}

// -- nearFilter -----------------------------------------------------------------------
const WHERES = [
  {location: {near: {lat: 40.77492964101182, lng: -73.90950187151662}, minDistance: 100}},
  {a: {near: 'x', maxDistance: 2, unit: 'km'},
    and: [{b: {near: [1, 2]}}, {or: [{c: {near: 1}}]}], d: {near: null}},
  {a: 1}, {a: {gt: 1}}, {and: [{a: 1}, {b: {near: '1,2', minDistance: 1, maxDistance: 5}}]},
  {or: [{and: [{x: {near: '0,0'}}, {y: 2}]}, {x: {near: '1,1', unit: 'meters'}}]},
  {a: {near: undefined}}, {a: {b: {near: '1,2'}}}, {'a.b': {near: '1,2'}},
];
out.nearFilter = WHERES.map(where => ({where: enc(where), result: enc(geo.nearFilter(where))}));

// -- filter (rows are given with ids; the result is the ids in order) -------------------
const ROWS = [
  {id: 1, loc: {lat: 10, lng: 20}}, {id: 2, loc: {lat: 10.01, lng: 20.01}}, {id: 3},
  {id: 4, loc: '11,21'}, {id: 5, loc: [10.5, 20.5]}, {id: 6, loc: null}, {id: 7, loc: ''},
  {id: 8, loc: {lat: 10, lng: 20}}, {id: 9, loc: {lat: -10, lng: -20}},
];
const FILTERS = [
  [{key: 'loc', near: '10,20'}],
  [{key: 'loc', near: '10,20', maxDistance: 5}],
  [{key: 'loc', near: '10,20', maxDistance: 5, unit: 'kilometers'}],
  [{key: 'loc', near: '10,20', minDistance: 5}],
  [{key: 'loc', near: '10,20', minDistance: 5, maxDistance: 100}],
  [{key: 'loc', near: '10,20', maxDistance: '100'}],
  [{key: 'loc', near: '10,20', maxDistance: 'abc'}],
  [{key: 'loc', near: '10,20', maxDistance: [50]}],
  [{key: 'loc', near: '10,20', maxDistance: -5}],
  [{key: 'loc', near: '10,20', maxDistance: 0}],
  [{key: 'loc', near: '10,20', maxDistance: true}],
  [{key: 'loc', near: '10,20', unit: 'parsecs'}],
  [{key: 'loc', near: [-10, -20]}],
  [{key: 'loc', near: {lat: '11', lng: 21}}],
  [{key: 'loc', near: '10,20', maxDistance: 1}, {key: 'loc', near: '-10,-20', maxDistance: 1}],
  [{key: 'loc', near: '10,20', maxDistance: 100}, {key: 'loc', near: '11,21', maxDistance: 100}],
  [{key: 'nope', near: '10,20'}],
  [{key: 'loc', near: 'abc'}],
  [{key: 'loc', near: null}],
  [{key: 'loc', near: [null, 'x']}],
];
out.filter = FILTERS.map(filters => ({filters: enc(filters), result: outcome(() =>
  geo.filter(ROWS.map(r => Object.assign({}, r)), filters).map(r => r.id))}));
out.filterRows = enc(ROWS);

// -- find on a model: memory (buildNearFilter) and juggler's generic path -----------
const PLACES = [
  {name: 'a', loc: {lat: 10, lng: 20}, vip: true, n: 1},
  {name: 'b', loc: {lat: 10.01, lng: 20.01}, vip: false, n: 2},
  {name: 'c', vip: true, n: 3},
  {name: 'd', loc: {lat: 11, lng: 21}, vip: true, n: 4},
  {name: 'e', loc: {lat: -10, lng: -20}, vip: false, n: 5},
  {name: 'f', loc: {lat: 10, lng: 20}, vip: true, n: 6},
  {name: 'g', loc: {lat: 10.5, lng: 20.5}, vip: false, n: 7},
];
const QUERIES = [
  {where: {loc: {near: '10,20'}}},
  {where: {loc: {near: '10,20', maxDistance: 5}}},
  {where: {loc: {near: '10,20', maxDistance: 5, unit: 'kilometers'}}},
  {where: {loc: {near: '10,20', minDistance: 5}}},
  {where: {loc: {near: '11,21'}}, limit: 2, skip: 1},
  {where: {loc: {near: '11,21'}}, order: 'name DESC'},
  {where: {loc: {near: '11,21'}}, fields: ['name']},
  {where: {loc: {near: '11,21', maxDistance: 100}, vip: true}},
  {where: {and: [{loc: {near: '10,20'}}, {vip: false}]}},
  {where: {or: [{loc: {near: '10,20', maxDistance: 1}}, {loc: {near: '-10,-20', maxDistance: 1}}]}},
  {where: {or: [{loc: {near: '10,20', maxDistance: 100}}, {loc: {near: '11,21', maxDistance: 100}}]}},
  {where: {or: [{loc: {near: '10,20', maxDistance: 1}}, {name: 'e'}]}},
  {where: {nope: {near: '10,20'}}},
  {where: {loc: {near: '10,20', maxDistance: 1e308}}},
  {where: {loc: {near: '10,20', maxDistance: 'NaN'}}},
  {where: {loc: {near: '10,20'}, n: {gt: 3}}, limit: 2},
  {where: {loc: {near: 'abc'}}},
  {where: {loc: {near: [null, 'x']}}},
  {where: {loc: {near: {lat: 'NaN', lng: 1}}}},
  {where: {loc: {near: '91,0'}}},
];

let uncaught = null;
process.on('uncaughtException', (err) => uncaught(err));

function findAll(generic, done) {
  const ds = new DataSource('memory');
  if (generic) ds.connector.buildNearFilter = undefined;
  const Place = ds.define('Place', {name: String, loc: 'GeoPoint', vip: Boolean, n: Number});
  const results = [];
  Place.create(PLACES, (err) => {
    if (err) throw err;
    let i = 0;
    (function next() {
      if (i === QUERIES.length) return done(results);
      const query = JSON.parse(JSON.stringify(QUERIES[i++]));
      const record = (result) => { results.push(result); setImmediate(next); };
      // the generic path throws later, from a callback: an uncaught exception
      uncaught = (err) => record({error: [err.name, err.message], uncaught: true});
      try {
        Place.find(query, (err, found) => {
          if (err) return record({error: [err.name, err.message]});
          record({ok: found.map(p => p.name)});
        });
      } catch (err) {
        record({error: [err.name, err.message]});    // juggler throws synchronously
      }
    })();
  });
}

findAll(false, (memory) => {
  findAll(true, (generic) => {
    out.places = PLACES;
    out.find = QUERIES.map((query, i) => ({query, memory: memory[i], generic: generic[i]}));
    process.stdout.write(JSON.stringify(out, null, 1) + '\n');
  });
});
