// Records what Node prints for the JavaScript value rules loopback_compat/js/
// implements: String(), Number(), truthiness, ==, ===, <, Number::toString,
// Date.parse / new Date / toISOString / toString, JSON.stringify, RegExp#test
// and util.inspect.  tests/test_js.py asserts the Python functions give every
// recorded answer.
//
//     TZ=UTC node tests/data/record_js_values.js > tests/data/js_values_node20.json
//
// Values are written as JSON, with these encodings for what JSON lacks:
//   {"$": "undefined"}, {"$": "NaN"}, {"$": "Infinity"}, {"$": "-Infinity"},
//   {"$": "-0"}, {"$": "double", "v": "1.2345678901234568e+20"} (an integral
//   number past 2**53, which Python must read as a float),
//   {"$": "date", "ms": <time value or {"$": "NaN"}>},
//   {"$": "object", "entries": [[key, value], ...]} (insertion order kept).
// Inputs are built here in JavaScript, so the file is the single source of both.
'use strict';

const util = require('util');

if (process.env.TZ !== 'UTC') {
  console.error('run with TZ=UTC (the port takes the process time zone to be UTC)');
  process.exit(1);
}

const ORDER = Symbol('insertion order');

// An object whose key order as written is kept in the file (JavaScript itself
// moves index-like keys first; the Python dict keeps the order given).
function O(entries) {
  const o = {};
  for (const [k, v] of entries) o[k] = v;
  Object.defineProperty(o, ORDER, {value: entries.map(e => e[0])});
  return o;
}

function enc(v) {
  if (v === undefined) return {$: 'undefined'};
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return {$: 'NaN'};
    if (v === Infinity) return {$: 'Infinity'};
    if (v === -Infinity) return {$: '-Infinity'};
    if (Object.is(v, -0)) return {$: '-0'};
    if (Number.isInteger(v) && Math.abs(v) > 2 ** 53) return {$: 'double', v: v.toExponential()};
    return v;
  }
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return {$: 'date', ms: enc(v.getTime())};
  if (Array.isArray(v)) return v.map(enc);
  if (typeof v === 'object') {
    const keys = v[ORDER] || Object.keys(v);
    return {$: 'object', entries: keys.map(k => [k, enc(v[k])])};
  }
  throw new Error('cannot encode ' + typeof v);
}

// A deterministic generator (xorshift32), so the file only changes with Node.
let seed = 20240605;
function rand() {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 4294967296;
}
function pick(list) { return list[Math.floor(rand() * list.length)]; }

const out = {node: process.version, tz: process.env.TZ};

// -- String(v), Number(v), Boolean(v) -----------------------------------------

const NUMBERS = [
  0, -0, 1, -1, 42, 100, 0.1, 0.5, -0.5, 1 / 3, 2 / 3, 0.1 + 0.2, 123.456,
  1e-7, 1.5e-7, -1e-7, 1e-6, 0.000001, 0.0000015, 1e-5, 2.5e-5, 0.00012, 123e-20,
  1e16, 1e20, 1.2345678901234568e+20, 1e21, 1.2345e25, 1e300, 5e-324,
  1.7976931348623157e308, 2 ** 31, 2 ** 32, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 2 ** 60,
  2 ** 64, -(2 ** 53), 4.35, 0.000123456789, 123456789.123, 9.995, 1.005,
  NaN, Infinity, -Infinity,
];

const STRINGS_FOR_NUMBER = [
  '', ' ', '  12  ', '12', '+12', '-12', '1_0', '0x1_0', '1_000', '0x10', '0X10', '-0x10',
  '+0x10', '0o17', '0O17', '0b101', '0B101', '0o8', '0b2', '0xg', '0x', '0o', '0b',
  '1e3', '1E3', '1e+3', '1e-3', '.5', '5.', '.', 'e5', '1e', '1e+', '+.5', '-.5e-3',
  'Infinity', '-Infinity', '+Infinity', 'infinity', 'INFINITY', 'inf', 'NaN', '1,2',
  '\u0661\u0662', '\uff11\uff12', '\u00a012\u00a0', '\ufeff12', '\u180e12', '\u200b12',
  '\x1c12', '\x8512', '12\n', '\u2028 12 \u2029', '\u3000\u2000\u200a12', '00012', '-0',
  '-0.0', '+0', '0.0', '1e21', '1e400', '-1e400', '1e-400', '4.9e-324', '2e-324',
  '123456789012345678901234567890', '9007199254740993', '9007199254740992', '0.1', '1 2',
  '1.2.3', 'true', 'null', 'undefined', '12px', '  0x1F  ', '0xffffffffffffffffffff',
  '0b' + '1'.repeat(60), '00x10', '0x-1', '- 1', '--1', '1e1000000', '.e1', '0.',
];

const MISC = [
  null, undefined, true, false, '', 'abc', ' ', '0', [], [5], ['5'], [' 5 '], [1, 2], [[3]],
  [null], [undefined], [1, null, 'a'], [[1, 2], [3]], [1e-7], [true], {}, O([['a', 1]]),
  new Date(0), new Date(-1), new Date(5), new Date(Date.UTC(5, 0, 1)),
  new Date(253402300799999), new Date(-62135596800000), [new Date(0)],
  new Date(NaN),
];

out.String = [...NUMBERS, ...MISC].map(v => [enc(v), String(v)]);
out.Number = [...NUMBERS, ...STRINGS_FOR_NUMBER, ...MISC].map(v => [enc(v), enc(Number(v))]);
out.truthy = [...NUMBERS, ...STRINGS_FOR_NUMBER, ...MISC].map(v => [enc(v), Boolean(v)]);

// -- Number::toString over many doubles ---------------------------------------

const doubles = [];
const view = new DataView(new ArrayBuffer(8));
while (doubles.length < 1500) {           // random bit patterns: every exponent
  view.setUint32(0, Math.floor(rand() * 4294967296));
  view.setUint32(4, Math.floor(rand() * 4294967296));
  const d = view.getFloat64(0);
  if (Number.isFinite(d)) doubles.push(d);
}
for (let i = 0; i < 500; i++) {            // short decimals at every scale
  const digits = Math.floor(rand() * 1e6);
  const exp = Math.floor(rand() * 60) - 30;
  doubles.push(Number(digits + 'e' + exp) * (rand() < 0.5 ? -1 : 1));
}
for (let e = -30; e <= 30; e++) doubles.push(10 ** e, 1.5 * 10 ** e);
out['Number::toString'] = doubles.map(d => [enc(d), String(d)]);

// -- ==, ===, < over every pair of these values --------------------------------

const d0 = new Date(0);
const COMPARED = [
  undefined, null, true, false, 0, -0, 1, -1, 2, 0.5, NaN, Infinity, -Infinity,
  '', ' ', '0', '1', '-1', '01', '1.0', '1e0', '0x1', '2', '10', '9', 'true', 'false',
  'null', 'undefined', 'abc', 'abd', 'ABC', '\t1\n', 'Infinity', 'NaN', '1,2', 'a\ud83d\ude00',
  'a\uffff', [], [0], [1], ['1'], [1, 2], [null], {}, '[object Object]', d0, d0, new Date(0),
  'Thu Jan 01 1970 00:00:00 GMT+0000 (Coordinated Universal Time)',
];
out.compared = {
  // an object listed again is {"$": "same", "as": index of its first listing}
  values: COMPARED.map((v, i) => (typeof v === 'object' && v !== null && COMPARED.indexOf(v) < i
    ? {$: 'same', as: COMPARED.indexOf(v)} : enc(v))),
  // COMPARED[i] op COMPARED[j] is row i, character j ('1' true, '0' false)
  '==': COMPARED.map(a => COMPARED.map(b => (a == b ? '1' : '0')).join('')),  // eslint-disable-line eqeqeq
  '===': COMPARED.map(a => COMPARED.map(b => (a === b ? '1' : '0')).join('')),
  '<': COMPARED.map(a => COMPARED.map(b => (a < b ? '1' : '0')).join('')),
};

// -- Dates ---------------------------------------------------------------------

const DATE_STRINGS = [
  '2020-01-01', '2020-01', '2020', '2020-01-01T00:00', '2020-01-01T00:00Z',
  '2020-01-01T00:00:00.000Z', '2020-01-01T00:00:00.1Z', '2020-01-01T00:00:00.12Z',
  '2020-01-01T00:00:00.123456Z', '2020-01-01T00:00:00.9999999999Z', '2020-01-01T24:00',
  '2020-01-01T24:00:00.000Z', '2020-01-01T24:00:01', '2020-01-01T24:01', '2020-01-01T23:60',
  '2020-01-01T23:59:60', '2020-02-29', '2019-02-29', '2020-02-30', '2020-02-31T00:00:00Z',
  '2020-04-31', '2020-13-01', '2020-00-10', '2020-01-00', '2020-01-32', '2020-1-1',
  '2020/01/02', '01/02/2020', '1/2/20', '1/2/49', '1/2/50', '1/2/99', '1/2/100', '13/1/2020',
  '1/32/2020', '2020-01-01 10:00', '2020-01-01 10:00:00+01:00', '2020-01-01T10:00:00+0100',
  '2020-01-01T10:00:00+01', '2020-01-01T10:00:00+1:00', '2020-01-01T10:00:00+24:00',
  '2020-01-01t10:00:00z', '2020-01-01T10:00:00 Z', '2020-01-01T10:00:00.Z',
  '+002020-01-01T00:00:00Z', '-000001-01-01T00:00:00Z', '-000000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z', '+275760-09-13T00:00:00.001Z', '-271821-04-20T00:00:00.000Z',
  '-271821-04-19T23:59:59.999Z', '+275760-09-13T00:00:00', '+275760-09-22T23:59:59',
  '0000-01-01T00:00:00Z', '0001-01-01', '0099-12-31', '0999-06-15T12:00:00Z',
  '9999-12-31T23:59:59.999Z', '+010000-01-01T00:00:00Z', '1969-12-31T23:59:59.999Z',
  '1900-02-29', '1600-02-29', '1066-10-14T09:00:00Z',
  'Jan 5', 'Jan 5 2020', 'jan 5 2020', 'JANUARY 5, 2020', 'January 5, 2020', '5 January 2020',
  '2020 Jan 5', 'Janfoo 5 2020', 'Sun Jan 05 2020 10:00:00 GMT+0100 (CET)',
  'Thu, 01 Jan 1970 00:00:00 GMT', 'Thu, 01 Jan 1970 00:00:00 +0000',
  'Mon, 25 Dec 1995 13:30:00 +0430', 'Dec 25, 1995 1:30 PM', '12:00 AM Jan 1 2020',
  'Jan 1 2020 12:00 am', 'Jan 1 2020 12:00 pm', 'Jan 1 2020 13:00 pm', 'Jan 1 2020 0:00 am',
  'Jan 1 2020 10:00 EST', 'Jan 1 2020 10:00 edt', 'Jan 1 2020 10:00 CST', 'Jan 1 2020 10:00 CDT',
  'Jan 1 2020 10:00 MST', 'Jan 1 2020 10:00 MDT', 'Jan 1 2020 10:00 PST', 'Jan 1 2020 10:00 PDT',
  'Jan 1 2020 10:00 UT', 'Jan 1 2020 10:00 UTC+2', 'Jan 1 2020 10:00 GMT-8',
  'Jan 1 2020 10:00 GMT+05:30', 'Jan 1 2020 10:00 GMT+0530', 'Jan 1 2020 10:00 GMT+530',
  'Jan 1 2020 10:00 GMT+12345', 'Jan 1 2020 10:00 GMT+', 'Jan 1 2020 10:00 +0100',
  'Jan 1 2020 10:00 Z', 'Jan 1 2020 10:00:00.5', 'Jan 1 2020 10:00:00.123456',
  'Jan 1 2020 10::', 'Jan 1 2020 10:', 'Jan 1 2020 10:00:00:00', 'Jan 1 2020 24:00',
  'Jan 1 2020 25:00', '10:00 Jan 1 2020', 'Jan 1 2020 T10:00', 'tomorrow', 'foo 2020',
  '2020 foo', 'foo', 'foo2020', '', ' ', '-2.5', '2.5', '12', '123', '1234', '12345',
  '20200101', '2020-01-01T', '2020-01-01T10', '2020-01-01T10:0', '(comment) Jan 1 2020',
  'Jan (x) 1 2020', 'Jan 1 2020 (x', 'Jan 1 2020)', 'Jan 1 2020 -', 'Jan 1 2020 +', '10:00',
  'Tue Mar 01 2022', 'Tue, 1 Mar 2022', '1 Mar 2022 10:00:00 GMT', 'Mar 1 2022 12:00:00 PM UTC',
  '2022-03-01T00:00:00.000Z\0garbage', '\u00a02020-01-01', '2020-01-01\u00a0', ' 2020-01-01',
  '2020-01-01 ', '\t2020-01-01T00:00:00Z', 'Jan 1 1999999999', 'Jan 1 999999', 'Jan 1 1000001',
  '1/1/275760', '9/13/275760', '9/14/275760', '4/20/-271821', '2020-W01', '2020-001',
  '20:00:00 2020-01-01', '2020-01-01 20:00:00 +05', '2020.01.02', '01.02.2020', '2020,01,02',
  'Jan-05-2020', '05-Jan-2020', '2020-Jan-05', 'Jan 5-2020', 'May', 'Feb 29 2021',
  'Dec 32 2020', 'Sat Jan 01 0005', '1 2 3', '1 2 3 4', 'ab 1 2', '12 am', 'am 12',
  'Jan\u00a05\u00a02020', 'Jan\u30005 2020', '\ufeff2020-01-01', '2020-01-01T00:00:00Z\u2028',
  'Ja\u00a0n 5 2020', 'foo\u00a0bar 2020 1 1', '\u180e2020-01-01', 'Jan\u20285 2020',
  'Jan 1 2020 10:00 \u00e9', '\u00e9 Jan 1 2020', 'Jan\ud83d\ude00 1 2020',
];
const PIECES = [
  '2020', '01', '1', '12', '31', '99', '1999', '-', '/', ':', '.', ' ', ',', 'T', 'Z', 'GMT',
  'UTC', 'EST', '+', '-0800', '+05:30', 'AM', 'PM', 'Jan', 'February', 'Mon', '(x)', ')', '10',
  '00', '59', '60', '24', '123', '2020-01-01', 'T10:00', 'foo', 'z', 't', 'am', '0', '7', '+01',
];
for (let i = 0; i < 2500; i++) {
  let s = '';
  const n = 1 + Math.floor(rand() * 8);
  for (let k = 0; k < n; k++) s += pick(PIECES);
  DATE_STRINGS.push(s);
}
out['Date.parse'] = DATE_STRINGS.map(s => [s, enc(Date.parse(s))]);

const DATE_ARGS = [
  0, -1, 1.9, -1.9, 8.64e15, -8.64e15, 8.640000000000001e15, NaN, Infinity, 1e20, 1e15,
  -62135596800001, 253402300800000, true, false, null, undefined, '0', '1', '2020', ' 2020 ',
  '2020-01-01', [2020], ['2020-01-01'], [1, 2], [], {}, O([['a', 1]]), new Date(5),
];
out['new Date'] = DATE_ARGS.map(v => [enc(v), enc(new Date(v).getTime())]);

const TIMES = [0, -1, 1, 86399999, 951782400000, 1e12, 1583020800000, 253402300799999,
  -62135596800000, -62104060800000, -2208988800001, -30610224000000, 1234567890123,
  -1234567890123, 4102444800000];
out.toISOString = TIMES.map(t => [t, new Date(t).toISOString()]);
out['Date#toString'] = TIMES.map(t => [t, String(new Date(t))]);

// -- JSON.stringify --------------------------------------------------------------

const JSON_VALUES = [
  'a"b\\c\n\t\r\b\f', '\u0001\u001f\u007f\u0080', '\u2028\u2029', '\ud83d\ude00', '\ud800',
  'x\udfff', '\udc00\ud800', '', 1e21, 1e-7, 1.2345678901234568e+20, -0, NaN, Infinity, 0.1,
  5e-324, 2 ** 53, 100, null, undefined, true, false, [undefined, 1], [], {},
  O([['a', undefined], ['b', 1]]), O([['2', 'b'], ['1', 'a'], ['x', 0], ['01', 1], ['-1', 2],
    ['4294967294', 3], ['4294967295', 4]]),
  new Date(0), [new Date(0)], O([['d', new Date(-1)]]), new Date(NaN),
  O([['a', [1, O([['b', [null, 'c']]])]]]), [[[]]], [NaN, -Infinity, -0],
];
out['JSON.stringify'] = JSON_VALUES.map(v => [enc(v), enc(JSON.stringify(v))]);

// -- RegExp ----------------------------------------------------------------------

const REGEXPS = [
  ['\\d', '', ['5', '\u0663', 'a', '\uff15']],
  ['[\\d]', '', ['5', '\u0663']],
  ['\\D', '', ['5', '\u0663']],
  ['\\w+$', '', ['\u00e9', 'abc_1', '\u212a']],
  ['[\\w-]', '', ['-', '\u00e9', 'z']],
  ['\\W', '', ['\u00e9', 'a', ' ']],
  ['\\s', '', ['\ufeff', '\u00a0', '\x1c', '\x85', ' ', '\u2028', '\u180e', '\u3000', '\v', 'a']],
  ['\\S', '', ['\ufeff', '\x1c', '\x85', 'a']],
  ['[\\S]', '', ['\x1c', '\ufeff']],
  ['[^\\s]', '', ['\x1c', '\ufeff', 'a']],
  ['[\\s\\d]+$', '', ['1 2\u00a03', '\u0663', '\x1c']],
  ['^[a\\D]$', '', ['a', '5', 'x', '\u0663']],
  ['^[^a\\D]$', '', ['a', '5', 'x', '\u0663']],
  ['^[^\\W\\d]$', '', ['a', '5', '_', '\u00e9', '-']],
  ['\\b\u00e9', '', ['\u00e9', ' \u00e9', 'a\u00e9']],
  ['a\\b', '', ['a', 'a\u00e9', 'ab', 'a b']],
  ['a\\B', '', ['a', 'a\u00e9', 'ab']],
  ['^a$', 'm', ['x\na\ny', 'a\r', 'b\u2028a', 'a\u0085']],
  ['^a$', '', ['x\na', 'a\n', 'a']],
  ['a.c', '', ['a\nc', 'a\u2028c', 'abc', 'a\u0085c', 'a\rc']],
  ['a.c', 's', ['a\nc']],
  ['[]', '', ['', 'a']],
  ['[^]', '', ['\n', '']],
  ['a{,2}', '', ['a{,2}', 'aa']],
  ['a{2}', '', ['aa', 'a']],
  ['x{1,}y', '', ['xxy', 'x{1,}y']],
  ['{', '', ['{']],
  ['a{1', '', ['a{1', 'a']],
  ['\\cJ', '', ['\n', 'cJ']],
  ['[\\cJ]', '', ['\n', 'c']],
  ['(?<y>a)\\k<y>', '', ['aa', 'ab']],
  ['^[a-\\d]+$', '', ['-', '5', 'a', 'b']],
  ['^[\\d-z]+$', '', ['-', 'y', '5', 'z']],
  ['\\e\\q', '', ['eq']],
  ['ABC', 'i', ['abc', 'aBc']],
  ['\u00e9', 'i', ['\u00c9']],
  ['(?<=a)b', '', ['ab', 'b']],
  ['(?<!a)b', '', ['ab', 'b']],
  ['\\x41\\u0042', '', ['AB']],
  ['[\\b]', '', ['\b', 'b']],
  ['\\0', '', ['\0']],
  ['a|b', '', ['b', 'c']],
  ['(a)\\1', '', ['aa', 'ab']],
  ['^\\/path\\/', '', ['/path/x']],
  ['[[]', '', ['[']],
  ['[a&&b]', '', ['&', 'a']],
  ['[a~~b]', '', ['~']],
  ['[', '', ['x']],
  ['a(', '', ['x']],
  ['*a', '', ['x']],
  ['a**', '', ['x']],
  ['(?<n>a)(?<n>b)', '', ['ab']],
];
out.RegExp = REGEXPS.map(([source, flags, texts]) => {
  let re;
  try {
    re = new RegExp(source, flags);
  } catch (e) {
    return [source, flags, texts, 'SyntaxError'];
  }
  return [source, flags, texts, texts.map(t => re.test(t))];
});

// -- util.inspect ----------------------------------------------------------------

const INSPECTED = [
  [[O([['a', O([['b', 'c']])]])], 1], [O([['x', 'a`b\'"c']]), 0],
  [O([['1a', 1], ['a1', 2], ['$x', 3], ['_y', 4], ['', 5]]), 0],
  ['abcdefg'.split(''), 1], [O([['s', 'line1 is long enough\nline2\n']]), 0], [[-0, 1e300], 1],
  [O([['a', [1, 2]], ['b', null], ['c', undefined], ['d', true]]), 0],
  [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 1], [Array.from({length: 30}, (_, i) => i * 7), 1],
  [Array.from({length: 120}, (_, i) => i), 1], ['a'.repeat(100), 0], ["it's", 0],
  ['\x00\x1f\x7f', 0], [1e-7, 0], [new Date(0), 0], [O([['d', new Date(-1)]]), 0],
  [[[[[1]]]], 1], [[[[[1]]]], 5], [O([['k', Array.from({length: 8}, (_, i) => 'x' + i)]]), 2],
  [[null, undefined, NaN, -Infinity], 0], [{}, 0], [[], 0], [[O([])], 0],
  [O([['a-b', 1], ['c d', 2], ['\u00e9', 3]]), 0],
  [Array.from({length: 7}, (_, i) => 'word' + i), 1],
  [O([['long', 'x'.repeat(70)], ['b', 1]]), 0],
];
out['util.inspect'] = INSPECTED.map(([v, depth]) => [enc(v), depth, util.inspect(v, {depth})]);

// One table row per line, so that a change of Node shows as a readable diff.
const sections = Object.entries(out).map(([key, value]) => {
  const text = Array.isArray(value) ? '[\n' + value.map(row => JSON.stringify(row)).join(',\n') + '\n]'
    : JSON.stringify(value);
  return JSON.stringify(key) + ': ' + text;
});
process.stdout.write('{\n' + sections.join(',\n') + '\n}\n');
