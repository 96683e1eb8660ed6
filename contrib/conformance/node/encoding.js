// The message encoding of Protocol/ENCODING.md: protobuf's wire format with a fixed mapping of
// types. Written from that document alone. Every integer is a BigInt, so 64-bit values are exact.
//
// A schema is an object { fields: [{ n, name, type, label }] } where
//   label: 'singular' (always written), 'optional' (absent = undefined), 'repeated', or 'map'
//          (then keyType and type are the entry's field 1 and field 2, ENCODING.md §6);
//   type:  'sint' (zigzag, with bits 8/16/32/64 via `bits`), 'uint' (plain varint), 'bool',
//          'double', 'float', 'string', 'bytes', 'uuid', 'decimal', 'timestamp',
//          { enumNumbers: [...] } (an Int-raw-value enum: a plain varint, ENCODING.md §2),
//          { enumTexts: [...] } (a String-raw-value enum), a nested schema (a message), or
//          { wrap: typeSpec } for an array element that is itself optional or a collection
//          (a wrapper message holding it as field 1, ENCODING.md §5): typeSpec is
//          { type, label } of that field 1.
'use strict';

const WT = { VARINT: 0, FIXED64: 1, LEN: 2, FIXED32: 5 };
const MAX_FIELD = 536870911;
const U64 = (1n << 64n) - 1n;

class DecodeError extends Error {}

// --- varints and zigzag (§1) ---

function varint(value) {
  let v = BigInt(value);
  if (v < 0n) v &= U64; // a negative enum number is its 64-bit two's complement
  const out = [];
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v !== 0n) b |= 0x80;
    out.push(b);
  } while (v !== 0n);
  return Buffer.from(out);
}

// Reads a varint at `pos`; returns [value, nextPos]. Refuses what §9 refuses.
function readVarint(buf, pos, end = buf.length) {
  let result = 0n;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) throw new DecodeError(`truncated varint at byte offset ${pos}`);
    const b = buf[pos + i];
    if (i === 9 && b > 1) throw new DecodeError(`varint longer than 10 bytes or over 64 bits at byte offset ${pos}`);
    result |= BigInt(b & 0x7f) << BigInt(7 * i);
    if ((b & 0x80) === 0) return [result, pos + i + 1];
  }
  throw new DecodeError(`varint longer than 10 bytes or over 64 bits at byte offset ${pos}`);
}

const zigzag = (n) => { const v = BigInt.asIntN(64, BigInt(n)); return BigInt.asUintN(64, (v << 1n) ^ (v >> 63n)); };
const unzigzag = (z) => BigInt.asIntN(64, (z >> 1n) ^ -(z & 1n));

const tag = (n, wt) => varint((BigInt(n) << 3n) | BigInt(wt));

// --- the field level: a message is a list of { n, wt, value, offset } ---

// Splits one message into its fields, checking tags and lengths (§1, §9).
function readFields(buf, start = 0, end = buf.length) {
  const fields = [];
  let pos = start;
  while (pos < end) {
    const offset = pos;
    let key;
    [key, pos] = readVarint(buf, pos, end);
    const n = key >> 3n;
    const wt = Number(key & 7n);
    if (n === 0n || n > BigInt(MAX_FIELD)) throw new DecodeError(`invalid field number ${n} at byte offset ${offset}`);
    let value;
    if (wt === WT.VARINT) {
      [value, pos] = readVarint(buf, pos, end);
    } else if (wt === WT.FIXED64 || wt === WT.FIXED32) {
      const size = wt === WT.FIXED64 ? 8 : 4;
      if (pos + size > end) throw new DecodeError(`truncated fixed${size * 8} at byte offset ${pos}`);
      value = buf.subarray(pos, pos + size);
      pos += size;
    } else if (wt === WT.LEN) {
      let len;
      [len, pos] = readVarint(buf, pos, end);
      if (len > BigInt(end - pos)) throw new DecodeError(`length ${len} at byte offset ${offset} runs past the end`);
      value = buf.subarray(pos, pos + Number(len));
      pos += Number(len);
    } else if (wt === 3 || wt === 4) {
      throw new DecodeError(`wire type ${wt} (group) at byte offset ${offset} is not supported`);
    } else {
      throw new DecodeError(`invalid wire type ${wt} at byte offset ${offset}`);
    }
    fields.push({ n: Number(n), wt, value, offset });
  }
  return fields;
}

// --- scalars (§2) ---

function isPacked(type) {
  return ['sint', 'uint', 'bool', 'double', 'float', 'timestamp'].includes(type) || (type && type.enumNumbers);
}

function wireTypeOf(type) {
  if (['sint', 'uint', 'bool'].includes(type) || type.enumNumbers) return WT.VARINT;
  if (type === 'double' || type === 'timestamp') return WT.FIXED64;
  if (type === 'float') return WT.FIXED32;
  return WT.LEN;
}

const DECIMAL_SHAPE = /^-?[0-9]+(\.[0-9]+)?$/;

// The canonical text of a decimal (§2): no leading zeros, no trailing zeros in the fraction.
function canonicalDecimal(text) {
  if (text === 'NaN') return text;
  if (!DECIMAL_SHAPE.test(text)) throw new DecodeError(`invalid decimal "${text}"`);
  const negative = text.startsWith('-');
  let [int, frac = ''] = text.replace('-', '').split('.');
  int = int.replace(/^0+/, '') || '0';
  frac = frac.replace(/0+$/, '');
  const body = frac ? `${int}.${frac}` : int;
  return negative && body !== '0' ? `-${body}` : body;
}

function uuidBytes(text) {
  const hex = text.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a UUID: ${text}`);
  return Buffer.from(hex, 'hex');
}

function uuidText(bytes) {
  const h = bytes.toString('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const INT_RANGE = (bits, signed) => signed
  ? [-(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n]
  : [0n, (1n << BigInt(bits)) - 1n];

// One scalar value, without its tag.
function encodeScalar(type, value, bits = 64) {
  switch (type) {
    case 'sint': return varint(zigzag(value));
    case 'uint': return varint(value);
    case 'bool': return varint(value ? 1 : 0);
    case 'double': case 'timestamp': { const b = Buffer.alloc(8); b.writeDoubleLE(value); return b; }
    case 'float': { const b = Buffer.alloc(4); b.writeFloatLE(value); return b; }
    case 'string': return Buffer.from(value, 'utf8');
    case 'bytes': return Buffer.from(value);
    case 'uuid': return uuidBytes(value);
    case 'decimal': return Buffer.from(canonicalDecimal(value), 'utf8');
    default:
      if (type.enumNumbers) return varint(value);
      if (type.enumTexts) return Buffer.from(value, 'utf8');
      throw new Error(`not a scalar type: ${JSON.stringify(type)}`);
  }
}

function decodeUTF8(bytes, offset) {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new DecodeError(`invalid UTF-8 in a string at byte offset ${offset}`);
  }
}

function decodeScalar(type, field, bits = 64) {
  const expected = wireTypeOf(type);
  if (field.wt !== expected) throw new DecodeError(`field ${field.n}: expected wire type ${expected}, found ${field.wt} at byte offset ${field.offset}`);
  const v = field.value;
  switch (type) {
    case 'sint': case 'uint': {
      const n = type === 'sint' ? unzigzag(v) : v;
      const [lo, hi] = INT_RANGE(bits, type === 'sint');
      if (n < lo || n > hi) throw new DecodeError(`value ${n} does not fit in ${type === 'sint' ? 'int' : 'uint'}${bits} at byte offset ${field.offset}`);
      return n;
    }
    case 'bool':
      if (v > 1n) throw new DecodeError(`value ${v} is not a bool (0 or 1)`);
      return v === 1n;
    case 'double': case 'timestamp': return v.readDoubleLE(0);
    case 'float': return v.readFloatLE(0);
    case 'string': return decodeUTF8(v, field.offset);
    case 'bytes': return Buffer.from(v);
    case 'uuid':
      if (v.length !== 16) throw new DecodeError(`field ${field.n}: a UUID is 16 bytes, found ${v.length}`);
      return uuidText(v);
    case 'decimal': {
      const text = decodeUTF8(v, field.offset);
      if (text !== 'NaN' && !DECIMAL_SHAPE.test(text)) throw new DecodeError(`field ${field.n}: invalid decimal "${text}"`);
      return text;
    }
    default:
      if (type.enumNumbers) {
        const n = BigInt.asIntN(64, v);
        if (!type.enumNumbers.includes(n)) throw new DecodeError(`field ${field.n}: ${n} is not a value of the enum (known: ${type.enumNumbers.join(', ')})`);
        return n;
      }
      if (type.enumTexts) {
        const text = decodeUTF8(v, field.offset);
        if (!type.enumTexts.includes(text)) throw new DecodeError(`field ${field.n}: "${text}" is not a value of the enum`);
        return text;
      }
      throw new Error(`not a scalar type: ${JSON.stringify(type)}`);
  }
}

// Splits a packed run into single values (§5).
function unpack(type, field, bits) {
  const values = [];
  const buf = field.value;
  let pos = 0;
  const wt = wireTypeOf(type);
  while (pos < buf.length) {
    let value;
    if (wt === WT.VARINT) {
      [value, pos] = readVarint(buf, pos);
      values.push(decodeScalar(type, { n: field.n, wt, value, offset: field.offset }, bits));
    } else {
      const size = wt === WT.FIXED64 ? 8 : 4;
      if (pos + size > buf.length) throw new DecodeError(`truncated fixed${size * 8} at byte offset ${field.offset + pos}`);
      values.push(decodeScalar(type, { n: field.n, wt, value: buf.subarray(pos, pos + size), offset: field.offset }, bits));
      pos += size;
    }
  }
  return values;
}

const isMessage = (type) => type && typeof type === 'object' && Array.isArray(type.fields);

// --- messages (§3 to §8) ---

// Encodes one value of `type` (not a repeated or map) as the bytes after its tag.
function encodeValue(type, value, bits) {
  if (isMessage(type)) return encodeMessage(type, value);
  if (type.wrap) return encodeMessage({ fields: [{ n: 1, name: 'value', ...type.wrap }] }, { value });
  return encodeScalar(type, value, bits);
}

function lengthDelimited(n, bytes) {
  return Buffer.concat([tag(n, WT.LEN), varint(bytes.length), bytes]);
}

function encodeField(f, value) {
  const out = [];
  if (f.label === 'optional' && value === undefined) return out;
  if (f.label === 'repeated') {
    if (!value || value.length === 0) return out;
    if (isPacked(f.type)) {
      out.push(lengthDelimited(f.n, Buffer.concat(value.map((v) => encodeScalar(f.type, v, f.bits)))));
    } else {
      for (const v of value) out.push(lengthDelimited(f.n, encodeValue(f.type, v, f.bits)));
    }
    return out;
  }
  if (f.label === 'map') {
    const entries = [];
    for (const [k, v] of value || []) {
      const entry = Buffer.concat([
        ...encodeField({ n: 1, type: f.keyType, label: 'singular' }, k),
        ...encodeField({ n: 2, type: f.type, label: f.valueLabel || 'singular' }, v),
      ]);
      entries.push(lengthDelimited(f.n, entry));
    }
    // Sorted by the bytes of each whole occurrence (ENCODING.md §6).
    entries.sort(Buffer.compare);
    return entries;
  }
  const wt = isMessage(f.type) || f.type.wrap ? WT.LEN : wireTypeOf(f.type);
  const bytes = encodeValue(f.type, value, f.bits);
  out.push(wt === WT.LEN ? lengthDelimited(f.n, bytes) : Buffer.concat([tag(f.n, wt), bytes]));
  return out;
}

function encodeMessage(schema, value) {
  const parts = [];
  for (const f of schema.fields) parts.push(...encodeField(f, value[f.name]));
  return Buffer.concat(parts);
}

function decodeValue(type, field, bits) {
  if (isMessage(type) || type.wrap) {
    if (field.wt !== WT.LEN) throw new DecodeError(`field ${field.n}: expected wire type 2 for a message, found ${field.wt}`);
    if (type.wrap) return decodeMessage({ fields: [{ n: 1, name: 'value', ...type.wrap }] }, field.value).value;
    return decodeMessage(type, field.value);
  }
  return decodeScalar(type, field, bits);
}

function decodeMessage(schema, buf) {
  const fields = readFields(buf);
  const out = {};
  for (const f of schema.fields) {
    const mine = fields.filter((x) => x.n === f.n);
    if (f.label === 'repeated') {
      const values = [];
      for (const occ of mine) {
        // A reader accepts packed and unpacked occurrences, even mixed (§5).
        if (isPacked(f.type) && occ.wt === WT.LEN) values.push(...unpack(f.type, occ, f.bits));
        else values.push(decodeValue(f.type, occ, f.bits));
      }
      out[f.name] = values;
    } else if (f.label === 'map') {
      const map = new Map();
      for (const occ of mine) {
        const entry = decodeMessage({ fields: [
          { n: 1, name: 'key', type: f.keyType, label: 'singular' },
          { n: 2, name: 'value', type: f.type, label: f.valueLabel || 'singular' },
        ] }, occ.value);
        map.set(entry.key, entry.value); // the last entry of a key wins
      }
      out[f.name] = map;
    } else if (mine.length === 0) {
      if (f.label === 'singular') throw new DecodeError(`no field ${f.n} in the message`);
      out[f.name] = undefined;
    } else if (isMessage(f.type)) {
      // A message field that occurs more than once is the merge of its occurrences (§8).
      const merged = Buffer.concat(mine.map((occ) => {
        if (occ.wt !== WT.LEN) throw new DecodeError(`field ${f.n}: expected wire type 2 for a message, found ${occ.wt}`);
        return occ.value;
      }));
      out[f.name] = decodeMessage(f.type, merged);
    } else {
      out[f.name] = decodeValue(f.type, mine[mine.length - 1], f.bits); // the last value wins
    }
  }
  return out;
}

// A value that is not a message travels as field 1 of an implicit message (§7).
function encodeTopLevel(field, value) {
  return encodeMessage({ fields: [{ n: 1, name: 'value', ...field }] }, { value });
}

function decodeTopLevel(field, buf) {
  return decodeMessage({ fields: [{ n: 1, name: 'value', ...field }] }, buf).value;
}

module.exports = {
  WT, DecodeError, varint, readVarint, zigzag, unzigzag, tag, readFields,
  encodeMessage, decodeMessage, encodeTopLevel, decodeTopLevel, canonicalDecimal,
};
