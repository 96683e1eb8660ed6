// A connection and its calls (Protocol/PROTOCOL.md §3, §5, §8, §11): the handshake, unary and
// streaming calls multiplexed on one socket, flow control, cancellation, deadlines, PING and
// GOAWAY. Node's `net` only.
'use strict';

const net = require('net');
const { TYPE, FLAG, CODE, CODE_NAME, ProtocolError, FrameReader, MAGIC, frame, u32,
  helloPayload, parseServerHello, callStartPayload, parseStatus, parseGoaway, goawayPayload } = require('./frames');
const { decodeMessage } = require('./encoding');

// Every wait of this client is bounded by this long (30 s times the patience): a server that
// never answers fails a check, it does not hang it. It is no measure of speed.
let boundMs = 30000;
const setPatience = (factor) => { boundMs = 30000 * factor; };

function within(promise, what, ms = boundMs) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// A socket cut into frames. Before the handshake (and for raw checks) frames queue up for next().
class Wire {
  constructor(socket, maxFrameSize) {
    this.socket = socket;
    this.reader = new FrameReader(maxFrameSize);
    this.queue = [];
    this.waiters = [];
    this.onFrame = null;
    this.ended = false;
    this.closed = new Promise((resolve) => { this.resolveClosed = resolve; });
    socket.on('data', (chunk) => {
      let frames;
      try { frames = this.reader.push(chunk); } catch (e) { this.error = e; socket.destroy(); return; }
      for (const f of frames) {
        if (this.onFrame) this.onFrame(f);
        else if (this.waiters.length) this.waiters.shift()(f);
        else this.queue.push(f);
      }
    });
    const end = () => {
      if (this.ended) return;
      this.ended = true;
      for (const w of this.waiters.splice(0)) w(null);
      this.resolveClosed();
    };
    socket.on('end', end);
    socket.on('close', end);
    // EPIPE / ECONNRESET after the server closed: what it sent is still read (§3).
    socket.on('error', (e) => { this.writeError = e; });
  }

  static connect(path, maxFrameSize = 4194304) {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(path);
      socket.once('connect', () => resolve(new Wire(socket, maxFrameSize)));
      socket.once('error', reject);
    });
  }

  write(buf) { if (!this.socket.destroyed) this.socket.write(buf); }

  // The next frame, or null once the connection has ended.
  next(what = 'frame') {
    if (this.queue.length) return Promise.resolve(this.queue.shift());
    if (this.ended) return Promise.resolve(null);
    return within(new Promise((resolve) => this.waiters.push(resolve)), what);
  }

  close() { this.socket.destroy(); }
}

class RefusedError extends Error {
  constructor(goaway) { super(`connection refused: GOAWAY ${CODE_NAME[goaway.code]} "${goaway.message}"`); this.goaway = goaway; }
}

// The end of a call: a STATUS read from the server, or one this client made itself.
const localStatus = (code, message) => ({ code, message, details: Buffer.alloc(0), trailers: [], local: true });

class Call {
  constructor(conn, id, method, { timeoutMicros = 0n, localGraceMs = 5000 } = {}) {
    this.conn = conn;
    this.id = id;
    this.method = method;
    this.sendCredit = conn.serverHello.initialWindow; // the server's window for our messages (§8)
    this.window = conn.hello.initialWindow; // ours for its messages
    this.held = 0; // bytes of its MESSAGE frames received and not yet returned by WINDOW_UPDATE
    this.overruns = 0; // MESSAGE frames the server sent without positive credit
    this.messages = [];
    this.readers = [];
    this.creditWaiters = [];
    this.done = false;
    this.statusPromise = new Promise((resolve) => { this.resolveStatus = resolve; });
    // Our own deadline (§11): later than the server's by a grace, so the server's answer is
    // what a check sees; then DEADLINE_EXCEEDED locally and a CANCEL.
    // A timeout past what a timer holds (2^31 − 1 ms, about 24 days) gets no local timer.
    if (timeoutMicros > 0n && timeoutMicros / 1000n + BigInt(localGraceMs) < 2147483647n) {
      const ms = Number(timeoutMicros / 1000n) + localGraceMs;
      this.timer = setTimeout(() => {
        if (!this.done) { this.conn.write(frame(TYPE.CANCEL, 0, this.id)); this.finish(localStatus(CODE.DEADLINE_EXCEEDED, 'local deadline')); }
      }, ms);
    }
  }

  get status() { return within(this.statusPromise, `STATUS of ${this.method}`); }

  finish(status) {
    if (this.done) return;
    this.done = true;
    this.statusValue = status;
    clearTimeout(this.timer);
    this.conn.calls.delete(this.id);
    this.resolveStatus(status);
    for (const r of this.readers.splice(0)) r(null);
    for (const w of this.creditWaiters.splice(0)) w();
  }

  onFrame(f) {
    if (f.type === TYPE.MESSAGE && (f.flags & FLAG.HAS_MESSAGE)) {
      const size = 10 + f.payload.length;
      if (this.held >= this.window) this.overruns++;
      this.held += size;
      const msg = { bytes: Buffer.from(f.payload), size };
      if (this.readers.length) this.readers.shift()(msg); else this.messages.push(msg);
    } else if (f.type === TYPE.STATUS) {
      this.finish(parseStatus(f.payload, f.flags));
    } else if (f.type === TYPE.WINDOW_UPDATE) {
      this.sendCredit += f.payload.readUInt32BE(0);
      for (const w of this.creditWaiters.splice(0)) w();
    }
  }

  // The next message of a server stream, or null after the STATUS. Returns its credit once half
  // the window is consumed (§8), never after the STATUS (§3).
  async read() {
    let msg = this.messages.shift();
    if (!msg) {
      if (this.done) return null;
      msg = await within(new Promise((resolve) => this.readers.push(resolve)), `message of ${this.method}`);
      if (!msg) return null;
    }
    this.consumed = (this.consumed || 0) + msg.size;
    if (!this.done && this.consumed >= Math.max(1, this.window / 2)) {
      this.conn.write(frame(TYPE.WINDOW_UPDATE, 0, this.id, u32(this.consumed)));
      this.held -= this.consumed;
      this.consumed = 0;
    }
    return msg.bytes;
  }

  // Sends one message of a client stream, waiting for positive credit first (§8).
  async send(message, { end = false } = {}) {
    while (this.sendCredit <= 0 && !this.done) {
      await within(new Promise((resolve) => this.creditWaiters.push(resolve)), `credit for ${this.method}`);
    }
    if (this.done) return false;
    this.sendCredit -= 10 + message.length;
    this.conn.write(frame(TYPE.MESSAGE, FLAG.HAS_MESSAGE | (end ? FLAG.END_STREAM : 0), this.id, message));
    return true;
  }

  // A bare END_STREAM: costs no credit (§8).
  end() { if (!this.done) this.conn.write(frame(TYPE.MESSAGE, FLAG.END_STREAM, this.id)); }

  // Over for us at once; the server sends no STATUS for it (§11).
  cancel() {
    if (this.done) return;
    this.conn.write(frame(TYPE.CANCEL, 0, this.id));
    this.finish(localStatus(CODE.CANCELLED, 'cancelled by the client'));
  }
}

class Connection {
  // Connects, handshakes (§3) and returns the connection; a refusal GOAWAY throws RefusedError.
  static async open(path, hello = {}) {
    const helloOptions = { initialWindow: 262144, maxFrameSize: 4194304, versions: [1], ...hello };
    const wire = await Wire.connect(path, helloOptions.maxFrameSize);
    wire.write(Buffer.concat([MAGIC, frame(TYPE.HELLO, 0, 0, helloPayload(helloOptions))]));
    const first = await wire.next('server HELLO');
    if (!first) throw new ProtocolError('connection closed during the handshake');
    if (first.type === TYPE.GOAWAY) { wire.close(); throw new RefusedError(parseGoaway(first.payload)); }
    if (first.type !== TYPE.HELLO || first.streamId !== 0) throw new ProtocolError(`expected HELLO, got frame type ${first.type}`);
    return new Connection(wire, helloOptions, parseServerHello(first.payload));
  }

  constructor(wire, hello, serverHello) {
    this.wire = wire;
    this.hello = hello;
    this.serverHello = serverHello;
    this.calls = new Map();
    this.nextId = 1;
    this.pings = new Map();
    this.frames = []; // every frame after the handshake, for checks that look at the raw order
    this.goaways = [];
    this.violations = [];
    this.closed = wire.closed.then(() => {
      for (const call of [...this.calls.values()]) call.finish(localStatus(CODE.UNAVAILABLE, 'the connection ended before the STATUS'));
    });
    for (const f of wire.queue.splice(0)) this.dispatch(f);
    wire.onFrame = (f) => this.dispatch(f);
  }

  write(buf) { this.wire.write(buf); }

  dispatch(f) {
    this.frames.push(f);
    switch (f.type) {
      case TYPE.PING:
        if (f.streamId === 0 && f.payload.length === 8) this.write(frame(TYPE.PONG, 0, 0, f.payload));
        else this.violation(`PING on stream ${f.streamId} with ${f.payload.length} bytes`);
        return;
      case TYPE.PONG: {
        const key = f.payload.toString('hex');
        const resolve = this.pings.get(key);
        if (resolve) { this.pings.delete(key); resolve(f.payload); }
        return;
      }
      case TYPE.GOAWAY: {
        const goaway = parseGoaway(f.payload);
        this.goaways.push(goaway);
        // Calls above the last started stream id never ran (§5.4): end them now.
        if (goaway.lastStreamId !== undefined) {
          for (const call of [...this.calls.values()]) {
            if (call.id > goaway.lastStreamId) call.finish(localStatus(CODE.UNAVAILABLE, 'not started by the server (GOAWAY)'));
          }
        }
        return;
      }
      case TYPE.MESSAGE: case TYPE.STATUS: case TYPE.WINDOW_UPDATE: {
        if (f.streamId === 0) { this.violation(`frame type ${f.type} on stream 0`); return; }
        const call = this.calls.get(f.streamId);
        if (call) call.onFrame(f); // frames for a stream we no longer know are ignored (§5)
        return;
      }
      default:
        this.violation(`frame type ${f.type} from the server`);
    }
  }

  violation(what) { this.violations.push(what); this.wire.close(); }

  // Starts a call: unary and server-streaming calls carry their request (flags 03, §5.2); a
  // client stream (request undefined) starts with flags 00.
  start(method, request, { timeoutMicros = 0n, metadata = [], localGraceMs, endStream } = {}) {
    const call = new Call(this, this.nextId++, method, { timeoutMicros: BigInt(timeoutMicros), localGraceMs });
    this.calls.set(call.id, call);
    const flags = request === undefined ? 0 : FLAG.HAS_MESSAGE | (endStream === false ? 0 : FLAG.END_STREAM);
    this.write(frame(TYPE.CALL_START, flags, call.id, callStartPayload(BigInt(timeoutMicros), method, metadata, request)));
    return call;
  }

  async unary(method, request = Buffer.alloc(0), options = {}) {
    return this.start(method, request, options).status;
  }

  ping(bytes) {
    const p = new Promise((resolve) => this.pings.set(bytes.toString('hex'), resolve));
    this.write(frame(TYPE.PING, 0, 0, bytes));
    return within(p, 'PONG');
  }

  // The client's own GOAWAY (§5.4): it starts no more calls here.
  goaway() { this.write(frame(TYPE.GOAWAY, 0, 0, goawayPayload(0, 'client done', this.nextId - 1))); }

  close() { this.wire.close(); }
}

// The StatusDetails of a STATUS (§6.1) as [{ field, reason }].
const StatusDetails = { fields: [{ n: 1, name: 'details', label: 'repeated', type: { fields: [
  { n: 1, name: 'field', type: 'string', label: 'singular' },
  { n: 2, name: 'reason', type: 'string', label: 'singular' },
] } }] };
const details = (status) => (status.details.length ? decodeMessage(StatusDetails, status.details).details : []);

module.exports = { Wire, Connection, Call, RefusedError, within, details, setPatience };
