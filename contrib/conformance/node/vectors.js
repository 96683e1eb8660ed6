// The golden vectors of Protocol/vectors: their types and values as Protocol/vectors/README.md
// states them, checked in both directions (decode to the value, encode back byte for byte).
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const enc = require('./encoding');

const Address = { fields: [
  { n: 1, name: 'street', type: 'string', label: 'singular' },
  { n: 2, name: 'city', type: 'string', label: 'singular' },
  { n: 3, name: 'postalCode', type: 'string', label: 'singular' },
  { n: 4, name: 'country', type: 'string', label: 'singular' },
] };

const Customer = { fields: [
  { n: 1, name: 'id', type: 'uuid', label: 'singular' },
  { n: 2, name: 'name', type: 'string', label: 'singular' },
  { n: 3, name: 'email', type: 'string', label: 'optional' },
  { n: 4, name: 'phone', type: 'string', label: 'optional' },
  { n: 5, name: 'address', type: Address, label: 'singular' },
  { n: 6, name: 'status', type: { enumTexts: ['active', 'dormant', 'closed'] }, label: 'singular' },
  { n: 7, name: 'tier', type: { enumNumbers: [0n, 1n, 2n] }, label: 'singular' },
  { n: 8, name: 'balance', type: 'decimal', label: 'singular' },
  { n: 9, name: 'createdAt', type: 'timestamp', label: 'singular' },
  { n: 10, name: 'tags', type: 'string', label: 'repeated' },
  { n: 11, name: 'visits', type: 'sint', label: 'repeated' },
  { n: 12, name: 'notes', keyType: 'string', type: 'string', label: 'map' },
  { n: 13, name: 'lastContact', type: 'timestamp', label: 'optional' },
  { n: 14, name: 'rating', type: 'double', label: 'optional' },
] };

const widths = [['int', 64, 'sint'], ['int8', 8, 'sint'], ['int16', 16, 'sint'], ['int32', 32, 'sint'],
  ['int64', 64, 'sint'], ['uint', 64, 'uint'], ['uint8', 8, 'uint'], ['uint16', 16, 'uint'],
  ['uint32', 32, 'uint'], ['uint64', 64, 'uint']];
const AllWidths = { fields: [
  ...widths.map(([name, bits, type], i) => ({ n: i + 1, name, type, bits, label: 'singular' })),
  { n: 11, name: 'bool', type: 'bool', label: 'singular' },
  { n: 12, name: 'float', type: 'float', label: 'singular' },
  { n: 13, name: 'double', type: 'double', label: 'singular' },
] };
const allWidths = (pick, bool, float, double) => Object.fromEntries([
  ...widths.map(([name, bits, type]) => {
    const signed = type === 'sint';
    const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
    const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    return [name, pick === 'min' ? min : max];
  }),
  ['bool', bool], ['float', float], ['double', double],
]);

const Collections = { fields: [
  { n: 3, name: 'optionals', type: { wrap: { type: 'sint', label: 'optional' } }, label: 'repeated' },
  { n: 4, name: 'messages', type: Address, label: 'repeated' },
  { n: 5, name: 'nested', type: { wrap: { type: 'sint', label: 'repeated' } }, label: 'repeated' },
  { n: 7, name: 'byNumber', keyType: 'sint', type: 'string', label: 'map' },
  { n: 16, name: 'optionalStrings', type: { wrap: { type: 'string', label: 'optional' } }, label: 'repeated' },
] };

const Signal = { enumNumbers: [0n, 1n, 2n, -1n] }; // off, low, high, fault
const Signals = { fields: [
  { n: 1, name: 'one', type: Signal, label: 'singular' },
  { n: 2, name: 'maybe', type: Signal, label: 'optional' },
  { n: 3, name: 'many', type: Signal, label: 'repeated' },
] };

// Each vector: how to decode and encode it, and the value README.md states.
const VECTORS = {
  'customer-basic': {
    schema: Customer,
    value: {
      id: '00112233-4455-6677-8899-AABBCCDDEEFF', name: 'Acme Oy', email: undefined, phone: undefined,
      address: { street: 'Mannerheimintie 1', city: 'Helsinki', postalCode: '00100', country: 'FI' },
      status: 'active', tier: 0n, balance: '0', createdAt: 0.0, tags: [], visits: [], notes: new Map(),
      lastContact: undefined, rating: undefined,
    },
  },
  'customer-full': {
    schema: Customer,
    value: {
      id: 'F47AC10B-58CC-4372-A567-0E02B2C3D479',
      name: 'Ålandsbanken Ab \u2013 日本支店 \u{1F469}\u200D\u{1F4BC}',
      email: 'kontakt@example.fi', phone: '+358 40 123 4567',
      address: { street: 'Storgatan 9', city: 'Mariehamn', postalCode: '22100', country: 'AX' },
      status: 'dormant', tier: 2n, balance: '-1234.50', createdAt: 700000000.123456,
      tags: ['vip', 'nordics', ''], visits: [3n, -1n, 300n, 0n],
      notes: new Map([['owner', 'Märta'], ['lang', 'sv']]), lastContact: -1.5, rating: -0.25,
    },
  },
  'scalars-min': {
    schema: AllWidths,
    value: allWidths('min', false, Math.fround(-3.4028235e38), -1.7976931348623157e308),
  },
  'scalars-max': {
    schema: AllWidths,
    value: allWidths('max', true, Infinity, 5e-324),
  },
  'top-level-int-array': { top: { type: 'sint', label: 'repeated' }, value: [1n, -1n, 300n] },
  'top-level-string': { top: { type: 'string', label: 'singular' }, value: 'héllo 👋' },
  'optionals-and-messages': {
    schema: Collections,
    value: {
      optionals: [1n, undefined], messages: [{ street: 'a', city: 'b', postalCode: 'c', country: 'd' }],
      nested: [[1n], []], byNumber: new Map([[-1n, 'minus one'], [2n, 'two']]),
      optionalStrings: [undefined, 'x'],
    },
  },
  enums: { schema: Signals, value: { one: 2n, maybe: -1n, many: [0n, 2n, -1n] } },
};

// Hex pairs, whitespace ignored, '#' lines are comments (ENCODING.md §11).
function readHex(file) {
  const hex = fs.readFileSync(file, 'utf8').split('\n').filter((l) => !l.startsWith('#')).join('').replace(/\s+/g, '');
  return Buffer.from(hex, 'hex');
}

// What a decoded value should equal: the README gives -1234.50, which travels canonical.
function expectedDecoded(name, value) {
  if (name === 'customer-full') return { ...value, balance: enc.canonicalDecimal(value.balance) };
  return value;
}

function checkVectors(dir, check) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.hex')).sort();
  assert.deepStrictEqual(files.map((f) => f.slice(0, -4)).sort(), Object.keys(VECTORS).sort(),
    'every vector in Protocol/vectors has a stated value here');
  for (const file of files) {
    const name = file.slice(0, -4);
    const v = VECTORS[name];
    check(`vector ${name}: decodes to the README's value and encodes back byte for byte`, () => {
      const bytes = readHex(path.join(dir, file));
      const decoded = v.top ? enc.decodeTopLevel(v.top, bytes) : enc.decodeMessage(v.schema, bytes);
      assert.deepStrictEqual(decoded, expectedDecoded(name, v.value));
      const encoded = v.top ? enc.encodeTopLevel(v.top, v.value) : enc.encodeMessage(v.schema, v.value);
      assert.strictEqual(encoded.toString('hex'), bytes.toString('hex'));
    });
  }
}

module.exports = { checkVectors };
