// Frames of Protocol/PROTOCOL.md §1 to §7: the 10-byte header, each frame type's payload,
// metadata blocks, and a reader that cuts a byte stream into frames.
'use strict';

const { varint, readVarint } = require('./encoding');

const MAGIC = Buffer.from('CCRP', 'ascii');
const HEADER = 10;
const TYPE = { HELLO: 1, CALL_START: 2, MESSAGE: 3, STATUS: 4, CANCEL: 5, WINDOW_UPDATE: 6, PING: 7, PONG: 8, GOAWAY: 9 };
const TYPE_NAME = Object.fromEntries(Object.entries(TYPE).map(([k, v]) => [v, k]));
const FLAG = { END_STREAM: 1, HAS_MESSAGE: 2 };
const CODE = {
  OK: 0, CANCELLED: 1, UNKNOWN: 2, INVALID_ARGUMENT: 3, DEADLINE_EXCEEDED: 4, NOT_FOUND: 5,
  ALREADY_EXISTS: 6, PERMISSION_DENIED: 7, RESOURCE_EXHAUSTED: 8, FAILED_PRECONDITION: 9,
  ABORTED: 10, OUT_OF_RANGE: 11, UNIMPLEMENTED: 12, INTERNAL: 13, UNAVAILABLE: 14,
  DATA_LOSS: 15, UNAUTHENTICATED: 16,
};
const CODE_NAME = Object.fromEntries(Object.entries(CODE).map(([k, v]) => [v, k]));

class ProtocolError extends Error {}

// --- header (§4) ---

function frame(type, flags, streamId, payload = Buffer.alloc(0)) {
  const header = Buffer.alloc(HEADER);
  header.writeUInt32BE(payload.length, 0);
  header.writeUInt8(type, 4);
  header.writeUInt8(flags, 5);
  header.writeUInt32BE(streamId, 6);
  return Buffer.concat([header, payload]);
}

// Cuts bytes into frames; checks each header's length against `maxFrameSize` before it buffers
// the payload (§4, §9).
class FrameReader {
  constructor(maxFrameSize) {
    this.maxFrameSize = maxFrameSize;
    this.buffer = Buffer.alloc(0);
  }

  push(chunk) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames = [];
    while (this.buffer.length >= HEADER) {
      const length = this.buffer.readUInt32BE(0);
      if (length > this.maxFrameSize) throw new ProtocolError(`a frame of ${length} bytes exceeds our max frame size ${this.maxFrameSize}`);
      if (this.buffer.length < HEADER + length) break;
      frames.push({
        type: this.buffer[4], flags: this.buffer[5], streamId: this.buffer.readUInt32BE(6),
        payload: this.buffer.subarray(HEADER, HEADER + length),
      });
      this.buffer = this.buffer.subarray(HEADER + length);
    }
    return frames;
  }
}

// --- payload primitives (§1) ---

class PayloadReader {
  constructor(buf) { this.buf = buf; this.pos = 0; }
  u8() { this.need(1); return this.buf[this.pos++]; }
  u16() { this.need(2); const v = this.buf.readUInt16BE(this.pos); this.pos += 2; return v; }
  u32() { this.need(4); const v = this.buf.readUInt32BE(this.pos); this.pos += 4; return v; }
  varint() { const [v, next] = readVarint(this.buf, this.pos); this.pos = next; return v; }
  bytes() {
    const n = this.varint();
    if (n > BigInt(this.buf.length - this.pos)) throw new ProtocolError(`length ${n} runs past the payload`);
    const b = this.buf.subarray(this.pos, this.pos + Number(n));
    this.pos += Number(n);
    return b;
  }
  string() {
    try { return new TextDecoder('utf-8', { fatal: true }).decode(this.bytes()); } catch (e) {
      if (e instanceof ProtocolError) throw e;
      throw new ProtocolError('invalid UTF-8');
    }
  }
  metadata() {
    const entries = [];
    const count = this.varint();
    for (let i = 0n; i < count; i++) entries.push([this.string(), this.string()]);
    return entries;
  }
  rest() { const b = this.buf.subarray(this.pos); this.pos = this.buf.length; return b; }
  get remaining() { return this.buf.length - this.pos; }
  need(n) { if (this.pos + n > this.buf.length) throw new ProtocolError('payload cut short'); }
}

const u16 = (v) => { const b = Buffer.alloc(2); b.writeUInt16BE(v); return b; };
const u32 = (v) => { const b = Buffer.alloc(4); b.writeUInt32BE(v); return b; };
const str = (s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([varint(b.length), b]); };
const bytes = (b) => Buffer.concat([varint(b.length), b]);
const metadata = (entries = []) => Buffer.concat([varint(entries.length), ...entries.flatMap(([k, v]) => [str(k), str(v)])]);

// --- payloads (§5) ---

function helloPayload({ versions = [1], initialWindow = 262144, maxFrameSize = 4194304, name = 'node-conformance' } = {}) {
  return Buffer.concat([Buffer.from([versions.length]), ...versions.map(u16), u32(initialWindow), u32(maxFrameSize), str(name)]);
}

function parseServerHello(payload) {
  const r = new PayloadReader(payload);
  const hello = {
    version: r.u16(), maxFrameSize: r.u32(), maxConcurrentCalls: r.u32(), initialWindow: r.u32(),
    serverName: r.string(), serverVersion: r.string(),
  };
  if (r.remaining !== 0) throw new ProtocolError(`${r.remaining} bytes after the server HELLO`);
  return hello;
}

// timeout in microseconds (0 = none), §5.2.
function callStartPayload(timeoutMicros, method, meta, message) {
  return Buffer.concat([varint(timeoutMicros), str(method), metadata(meta), message || Buffer.alloc(0)]);
}

function parseStatus(payload, flags) {
  const r = new PayloadReader(payload);
  const code = r.u8();
  const status = {
    code: CODE_NAME[code] ? code : CODE.UNKNOWN, // an unknown value reads as UNKNOWN (§5.3)
    message: r.string(), details: r.bytes(), trailers: r.metadata(),
  };
  if (flags & FLAG.HAS_MESSAGE) status.response = Buffer.from(r.rest());
  else if (r.remaining) throw new ProtocolError(`${r.remaining} bytes after a STATUS without HAS_MESSAGE`);
  return status;
}

// GOAWAY: code, message, last started stream id; later bytes are skipped (§5.4).
function parseGoaway(payload) {
  const r = new PayloadReader(payload);
  const goaway = { code: r.u8(), message: r.string() };
  if (r.remaining >= 4) goaway.lastStreamId = r.u32();
  return goaway;
}

function goawayPayload(code, message, lastStreamId = 0) {
  return Buffer.concat([Buffer.from([code]), str(message), u32(lastStreamId)]);
}

module.exports = {
  MAGIC, HEADER, TYPE, TYPE_NAME, FLAG, CODE, CODE_NAME, ProtocolError, FrameReader, PayloadReader,
  frame, u16, u32, str, bytes, metadata, helloPayload, parseServerHello, callStartPayload,
  parseStatus, parseGoaway, goawayPayload,
};
