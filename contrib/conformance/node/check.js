#!/usr/bin/env node
// Checks a running customerd against what Protocol/PROTOCOL.md, ENCODING.md and CUSTOMER-API.md
// promise, with a client written from those documents alone (frames.js, encoding.js, calls.js).
//
//   node check.js SOCKET [--shutdown-pid PID] [--vectors DIR] [--patience N] [--only SUBSTRING]
//
// The caller's OS user must be an administrator of the server (the user that first started it
// is). With --shutdown-pid the last check sends SIGTERM to that customerd and checks the
// graceful shutdown (§11): only for a server started for this run. Exit status 0 when every
// check passed, 1 otherwise; each check prints one line.
'use strict';

const assert = require('assert');
const crypto = require('crypto');
const path = require('path');
const { TYPE, FLAG, CODE, CODE_NAME, MAGIC, frame, u32, str, metadata, helloPayload, parseGoaway, parseStatus,
  parseServerHello, callStartPayload } = require('./frames');
const { Wire, Connection, within, details, setPatience } = require('./calls');
const enc = require('./encoding');
const { encode, decode } = require('./api');
const { checkVectors } = require('./vectors');

const args = process.argv.slice(2);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : undefined; };
const shutdownPid = option('--shutdown-pid');
const vectorsDir = option('--vectors') || path.join(__dirname, '..', '..', '..', 'Protocol', 'vectors');
const only = option('--only');
setPatience(Number(option('--patience') || 1)); // each bounded wait: 30 s times this
const SOCKET = args[0];
if (!SOCKET) { console.error('usage: node check.js SOCKET [--shutdown-pid PID] [--vectors DIR] [--patience N] [--only TEXT]'); process.exit(2); }

const checks = [];
const check = (name, fn) => checks.push({ name, fn });
const unique = crypto.randomBytes(4).toString('hex');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const hex = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

// --- helpers that state what a check expects ---

function expectStatus(status, code, { message, startsWith, includes = [], field, reason, noDetails } = {}) {
  const got = `${CODE_NAME[status.code]} "${status.message}"`;
  assert.strictEqual(CODE_NAME[status.code], code, `expected ${code}, got ${got}`);
  assert.ok(!status.local, `the STATUS was made by this client, not read from the server: ${got}`);
  if (message !== undefined) assert.strictEqual(status.message, message);
  if (startsWith !== undefined) assert.ok(status.message.startsWith(startsWith), `message ${JSON.stringify(status.message)} does not start with ${JSON.stringify(startsWith)}`);
  for (const part of includes) assert.ok(status.message.includes(part), `message ${JSON.stringify(status.message)} does not include ${JSON.stringify(part)}`);
  const ds = details(status);
  if (noDetails) assert.deepStrictEqual(ds, [], 'no error details');
  if (field !== undefined) {
    assert.ok(ds.some((d) => d.field === field), `no detail for field ${field}: ${JSON.stringify(ds)}`);
    if (reason !== undefined) assert.strictEqual(ds.find((d) => d.field === field).reason, reason);
    // The STATUS message of a refusal with details is those details as `field: reason` (§6.1).
    if (code === 'INVALID_ARGUMENT') assert.strictEqual(status.message, ds.map((d) => `${d.field}: ${d.reason}`).join('; '));
  }
  return ds;
}

const ok = (status, schema) => { expectStatus(status, 'OK'); return schema ? decode(schema, status.response) : status.response; };

let admin; // the connection most checks use
const open = (hello) => Connection.open(SOCKET, hello);
const call = (method, schema, value, options) => admin.unary(method, value === undefined ? Buffer.alloc(0) : encode(schema, value), options);

async function createCustomer(name, conn = admin, extra = {}) {
  const status = await conn.unary('customer.v1.CustomerService/CreateCustomer', encode('CreateCustomerRequest', { fields: { name, ...extra } }));
  return ok(status, 'Customer');
}

// A raw exchange before any handshake: writes `bytes`, returns the first frame and whether the
// server then closed.
async function rawExchange(bytes) {
  const wire = await Wire.connect(SOCKET);
  wire.write(bytes);
  const first = await wire.next('first frame from the server');
  await within(wire.closed, 'close after the refusal');
  return first;
}

async function expectRefusal(bytes, code, expectation = {}) {
  const f = await rawExchange(bytes);
  assert.ok(f, 'the server sent a frame before closing');
  assert.strictEqual(f.type, TYPE.GOAWAY, `a GOAWAY, not frame type ${f.type}`);
  assert.strictEqual(f.streamId, 0);
  const goaway = parseGoaway(f.payload);
  assert.strictEqual(CODE_NAME[goaway.code], code, `GOAWAY ${CODE_NAME[goaway.code]} "${goaway.message}"`);
  assert.strictEqual(goaway.lastStreamId, 0, 'a refused handshake started no call');
  if (expectation.message) assert.strictEqual(goaway.message, expectation.message);
  for (const part of expectation.includes || []) assert.ok(goaway.message.includes(part), `GOAWAY message ${JSON.stringify(goaway.message)} does not include ${JSON.stringify(part)}`);
  return goaway;
}

const hello = (options) => frame(TYPE.HELLO, 0, 0, helloPayload(options));

// A connection error (§10): GOAWAY INTERNAL "protocol violation: …", then the close. `before`
// opens calls first; they fail with the connection.
async function expectConnectionError(bytes, { before } = {}) {
  const conn = await open();
  const opened = before ? await before(conn) : [];
  conn.write(bytes);
  await within(conn.closed, 'the close after a protocol violation');
  assert.strictEqual(conn.goaways.length, 1, `one GOAWAY, got ${JSON.stringify(conn.goaways)}`);
  const goaway = conn.goaways[0];
  assert.strictEqual(CODE_NAME[goaway.code], 'INTERNAL', `GOAWAY ${CODE_NAME[goaway.code]} "${goaway.message}"`);
  assert.ok(goaway.message.startsWith('protocol violation: '), goaway.message);
  assert.strictEqual(goaway.lastStreamId, conn.nextId - 1, 'the GOAWAY names the last call started');
  for (const c of opened) assert.ok(c.done && c.statusValue.code !== CODE.OK, 'an open call failed with the connection');
  return goaway;
}

// A stream error: the call ends with `code`, the connection goes on (a PING still answers).
async function expectStreamError(conn, streamId, code, expectation = {}) {
  const status = await within(new Promise((resolve) => {
    const poll = () => {
      const f = conn.frames.find((x) => x.type === TYPE.STATUS && x.streamId === streamId);
      if (f) resolve(parseStatus(f.payload, f.flags)); else setTimeout(poll, 5);
    };
    poll();
  }), `STATUS on stream ${streamId}`);
  expectStatus(status, code, expectation);
  await conn.ping(crypto.randomBytes(8));
  assert.strictEqual(conn.goaways.length, 0, 'no GOAWAY: the connection goes on');
  return status;
}

// A frame the server ignores: no answer for it, and the connection goes on.
async function expectIgnored(bytes) {
  const conn = await open();
  const before = conn.frames.length;
  conn.write(bytes);
  await conn.ping(crypto.randomBytes(8));
  const health = await conn.unary('rpc.health.v1.Health/Check', Buffer.alloc(0));
  expectStatus(health, 'OK');
  assert.deepStrictEqual(conn.frames.slice(before).map((f) => f.type).filter((t) => t !== TYPE.PONG && t !== TYPE.STATUS), []);
  assert.strictEqual(conn.goaways.length, 0);
  conn.close();
}

const WATCH = 'customer.v1.ChangeFeedService/WatchChanges';
// A watch without `after` waits for live changes: a call that stays open until ended.
const openWatch = (conn, options = {}) => conn.start(WATCH, encode('WatchChangesRequest', {}), options);

const sha256Of = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

// UploadFile: the header alone, then the content in chunks of `chunk` bytes (§5.2, CUSTOMER-API.md).
async function upload(conn, name, content, { sha256 = sha256Of(content), chunk = 32768 } = {}) {
  const call = conn.start('customer.v1.FileService/UploadFile');
  await call.send(encode('UploadFileMessage', { header: { customerId: customer.id, name, size: BigInt(content.length), sha256 } }));
  for (let at = 0; at < content.length; at += chunk) await call.send(encode('UploadFileMessage', { data: content.subarray(at, at + chunk) }));
  call.end();
  return { call, status: await call.status };
}

// DownloadFile: the announcing message, then the content.
async function download(conn, id) {
  const call = conn.start('customer.v1.FileService/DownloadFile', encode('FileIDRequest', { id }));
  const first = decode('FileChunk', await call.read());
  const chunks = [];
  for (let m; (m = await call.read());) chunks.push(decode('FileChunk', m).data);
  return { first, content: Buffer.concat(chunks), status: await call.status };
}

// ============================================================ encoding (ENCODING.md)

checkVectors(vectorsDir, check);

check('ENCODING.md §1: varint and zigzag examples', () => {
  for (const [v, h] of [[0n, '00'], [1n, '01'], [127n, '7f'], [128n, '8001'], [300n, 'ac02'], [(1n << 64n) - 1n, 'ffffffffffffffffff01']]) {
    assert.strictEqual(enc.varint(v).toString('hex'), h);
    assert.strictEqual(enc.readVarint(hex(h), 0)[0], v);
  }
  for (const [n, z] of [[0n, 0n], [-1n, 1n], [1n, 2n], [-2n, 3n], [300n, 600n]]) {
    assert.strictEqual(enc.zigzag(n), z);
    assert.strictEqual(enc.unzigzag(z), n);
  }
  assert.throws(() => enc.readVarint(hex('ffffffffffffffffff02'), 0), enc.DecodeError, 'a 10th byte above 1');
});

check('ENCODING.md §5-§7: the inline examples', () => {
  const top = (field, value) => enc.encodeTopLevel(field, value).toString('hex');
  assert.strictEqual(top({ type: 'sint', label: 'singular' }, 42n), '0854');
  const m = (fields, value) => enc.encodeMessage({ fields }, value).toString('hex');
  assert.strictEqual(m([{ n: 1, name: 'a', type: 'sint', label: 'repeated' }], { a: [1n, -1n, 300n] }), '0a040201d804');
  assert.strictEqual(m([{ n: 2, name: 'a', type: 'string', label: 'repeated' }], { a: ['a', ''] }), '1201611200');
  assert.strictEqual(m([{ n: 3, name: 'a', type: { wrap: { type: 'sint', label: 'optional' } }, label: 'repeated' }], { a: [1n, undefined] }), '1a0208021a00');
  assert.strictEqual(m([{ n: 5, name: 'a', type: { wrap: { type: 'sint', label: 'repeated' } }, label: 'repeated' }], { a: [[1n], []] }), '2a030a01022a00');
  assert.strictEqual(m([{ n: 12, name: 'a', keyType: 'string', type: 'string', label: 'map' }], { a: new Map([['owner', 'Märta'], ['lang', 'sv']]) }),
    '620a0a046c616e67120273766' + '20f0a056f776e657212064dc3a47274 61'.replace(/ /g, ''));
  const ints = { fields: [{ n: 1, name: 'a', type: 'sint', label: 'repeated' }] };
  assert.deepStrictEqual(enc.decodeMessage(ints, hex('0a 02 02 04 08 06 0a 01 08')).a, [1n, 2n, 3n, 4n], 'packed and unpacked mixed');
  assert.deepStrictEqual(enc.decodeMessage(ints, hex('08 02 0a 00')).a, [1n], 'an empty packed occurrence last');
  assert.deepStrictEqual(enc.decodeMessage(ints, hex('0a 00')).a, [], 'an empty packed occurrence alone');
  const date = { fields: [{ n: 1, name: 'a', type: 'timestamp', label: 'singular' }] };
  assert.strictEqual(enc.encodeMessage(date, { a: 1.5 }).subarray(1).toString('hex'), '000000000000f83f');
  for (const [text, canonical] of [['-1234.50', '-1234.5'], ['0.1', '0.1'], ['100', '100'], ['00001.5000', '1.5'], ['-0.005', '-0.005']]) {
    assert.strictEqual(enc.canonicalDecimal(text), canonical);
  }
});

// ============================================================ handshake (PROTOCOL.md §3, §5.1, §13)

check('§13: the walk-through health check, byte for byte (the server HELLO read by its length)', async () => {
  const wire = await Wire.connect(SOCKET);
  wire.write(hex(`43 43 52 50  00 00 00 16 01 00 00 00 00 00  01 00 01 00 04 00 00 00 40 00 00
    0a 72 70 63 2d 63 6c 69 65 6e 74`));
  const h = await wire.next('server HELLO');
  assert.strictEqual(h.type, TYPE.HELLO);
  assert.strictEqual(h.flags, 0);
  assert.strictEqual(h.streamId, 0);
  assert.strictEqual(parseServerHello(h.payload).version, 1);
  wire.write(hex(`00 00 00 22 02 03 00 00 00 01  c0 96 b1 02
    1a 72 70 63 2e 68 65 61 6c 74 68 2e 76 31 2e 48 65 61 6c 74 68 2f 43 68 65 63 6b  00  0a 00`));
  const s = await wire.next('STATUS');
  const bytes = Buffer.concat([Buffer.from([0, 0, 0, s.payload.length, s.type, s.flags, 0, 0, 0, s.streamId]), s.payload]);
  assert.strictEqual(bytes.toString('hex'), '0000000604020000000100000000' + '0801');
  wire.close();
});

check('§5.1: the server HELLO: version 1, limits at or above the minimums, names of at most 255 bytes', async () => {
  admin = await open();
  const h = admin.serverHello;
  assert.strictEqual(h.version, 1);
  assert.ok(h.maxFrameSize >= 16384, `max frame size ${h.maxFrameSize}`);
  assert.ok(h.maxConcurrentCalls >= 1);
  assert.ok(h.initialWindow >= 1);
  assert.ok(Buffer.byteLength(h.serverName) <= 255 && Buffer.byteLength(h.serverVersion) <= 255);
});

check('§3: wrong magic is GOAWAY UNIMPLEMENTED, then close', async () => {
  await expectRefusal(Buffer.concat([Buffer.from('HTTP'), hello()]), 'UNIMPLEMENTED');
});

check('§3: no version in common is GOAWAY UNIMPLEMENTED naming both sides\' versions', async () => {
  await expectRefusal(Buffer.concat([MAGIC, hello({ versions: [7] })]), 'UNIMPLEMENTED', { includes: ['7', '1'] });
});

check('§5.1: a version count of 0 is GOAWAY INTERNAL', async () => {
  await expectRefusal(Buffer.concat([MAGIC, hello({ versions: [] })]), 'INTERNAL');
});

check('§5.1: an initial window of 0 is refused with the documented message', async () => {
  await expectRefusal(Buffer.concat([MAGIC, hello({ initialWindow: 0 })]), 'INTERNAL',
    { message: 'protocol violation: HELLO initial window 0 is below the minimum of 1' });
});

check('§5.1: a max frame size below 16384 is refused', async () => {
  await expectRefusal(Buffer.concat([MAGIC, hello({ maxFrameSize: 16383 })]), 'INTERNAL', { includes: ['below the minimum of 16384'] });
});

check('§5.1: a HELLO with a flag bit set is refused with the documented message', async () => {
  await expectRefusal(Buffer.concat([MAGIC, frame(TYPE.HELLO, 1, 0, helloPayload())]), 'INTERNAL',
    { message: 'protocol violation: hello frame with undefined flag bits 0x1' });
});

check('§5.1: bytes after the client name are refused', async () => {
  await expectRefusal(Buffer.concat([MAGIC, frame(TYPE.HELLO, 0, 0, Buffer.concat([helloPayload(), Buffer.from([1, 2, 3])]))]), 'INTERNAL',
    { includes: ['3 unexpected bytes after client HELLO'] });
});

check('§5.1: a client name over 255 bytes is refused', async () => {
  await expectRefusal(Buffer.concat([MAGIC, hello({ name: 'n'.repeat(256) })]), 'INTERNAL');
});

check('§3, §9: a HELLO over 1024 bytes is refused from its header alone', async () => {
  const header = frame(TYPE.HELLO, 0, 0, Buffer.alloc(0));
  header.writeUInt32BE(1025, 0);
  await expectRefusal(Buffer.concat([MAGIC, header]), 'INTERNAL',
    { message: 'protocol violation: a HELLO of 1025 bytes exceeds the limit of 1024 bytes' });
});

check('§3: a first frame that is not a HELLO is GOAWAY INTERNAL', async () => {
  await expectRefusal(Buffer.concat([MAGIC, frame(TYPE.PING, 0, 0, Buffer.alloc(8))]), 'INTERNAL');
});

check('§3, §9: a HELLO not received within the handshake timeout is GOAWAY DEADLINE_EXCEEDED', async () => {
  const info = ok(await call('rpc.info.v1.ServerInfo/GetServerInfo'), 'ServerInfoResponse');
  if (info.handshakeTimeoutMilliseconds > 20000n) return 'skipped: handshake timeout over 20 s';
  await expectRefusal(MAGIC, 'DEADLINE_EXCEEDED');
});

// ============================================================ built-in services (§12)

check('§12: Health/Check: the server, a registered service, an unknown one', async () => {
  const health = (service) => call('rpc.health.v1.Health/Check', 'HealthCheckRequest', { service });
  assert.strictEqual(ok(await health(undefined), 'HealthCheckResponse').status, 1n, 'an absent service is the server: SERVING');
  assert.strictEqual(ok(await health(''), 'HealthCheckResponse').status, 1n);
  assert.strictEqual(ok(await health('customer.v1.CustomerService'), 'HealthCheckResponse').status, 1n);
  assert.strictEqual(ok(await health('no.such.Service'), 'HealthCheckResponse').status, 3n, 'SERVICE_UNKNOWN');
});

check('§12: GetServerInfo agrees with the HELLO; an active user sees the activity', async () => {
  const info = ok(await call('rpc.info.v1.ServerInfo/GetServerInfo'), 'ServerInfoResponse');
  const h = admin.serverHello;
  assert.strictEqual(info.protocolVersion, 1n);
  assert.strictEqual(info.serverName, h.serverName);
  assert.strictEqual(info.serverVersion, h.serverVersion);
  assert.strictEqual(info.maxFrameSize, BigInt(h.maxFrameSize));
  assert.strictEqual(info.maxConcurrentCalls, BigInt(h.maxConcurrentCalls));
  assert.strictEqual(info.initialStreamWindow, BigInt(h.initialWindow));
  assert.notStrictEqual(info.statisticsWithheld, true);
  assert.ok(info.callsInFlight >= 1n, 'this call counts');
});

check('§12: ListServices names the services, sorted, with each method\'s kind', async () => {
  const list = ok(await call('rpc.reflection.v1.Reflection/ListServices'), 'ListServicesResponse');
  const names = list.services.map((s) => s.name);
  assert.deepStrictEqual(names, [...names].sort());
  for (const n of ['rpc.health.v1.Health', 'rpc.info.v1.ServerInfo', 'rpc.reflection.v1.Reflection', 'customer.v1.CustomerService']) assert.ok(names.includes(n), n);
  const kinds = Object.fromEntries(list.services.find((s) => s.name === 'customer.v1.CustomerService').methods.map((m) => [m.name, m.kind]));
  assert.strictEqual(kinds.GetCustomer, 0n);
  assert.strictEqual(kinds.StreamCustomers, 1n);
  assert.strictEqual(kinds.ImportCustomers, 2n);
});

check('§12, §7.1: DescribeServices: summaries name the idempotency key; an unknown service is NOT_FOUND', async () => {
  const d = ok(await call('rpc.reflection.v1.Reflection/DescribeServices', 'DescribeServicesRequest', { services: ['customer.v1.CustomerService'] }), 'DescribeServicesResponse');
  assert.deepStrictEqual(d.services.map((s) => s.name), ['customer.v1.CustomerService']);
  const methods = Object.fromEntries(d.services[0].methods.map((m) => [m.name, m]));
  assert.ok(methods.CreateCustomer.summary.includes('Takes an `idempotency-key`.'));
  assert.ok(!(methods.GetCustomer.summary || '').includes('idempotency-key'));
  assert.strictEqual(methods.CreateCustomer.request, 'CreateCustomerRequest');
  expectStatus(await call('rpc.reflection.v1.Reflection/DescribeServices', 'DescribeServicesRequest', { services: ['no.such.Service'] }), 'NOT_FOUND');
});

// ============================================================ calls and status codes

check('§11: PING is answered by a PONG with the same 8 bytes', async () => {
  const bytes = crypto.randomBytes(8);
  assert.deepStrictEqual(await admin.ping(bytes), bytes);
});

check('§10.1: an unknown method is UNIMPLEMENTED and the connection goes on', async () => {
  expectStatus(await admin.unary('customer.v1.CustomerService/NoSuchMethod', Buffer.alloc(0)), 'UNIMPLEMENTED');
  expectStatus(await admin.unary('rpc.health.v1.Health/Check', Buffer.alloc(0)), 'OK');
});

check('§10.1: a request of the wrong wire type is INVALID_ARGUMENT "cannot decode …" in field numbers, without details', async () => {
  const status = await admin.unary('customer.v1.CustomerService/GetCustomer', hex('0a 01 78'));
  expectStatus(status, 'INVALID_ARGUMENT', {
    startsWith: 'cannot decode the request message of customer.v1.CustomerService/GetCustomer: ',
    includes: ['field 1', 'a sint64'], noDetails: true,
  });
});

check('§10.1: a request without a singular field names the field number', async () => {
  expectStatus(await admin.unary('customer.v1.CustomerService/CreateCustomer', Buffer.alloc(0)), 'INVALID_ARGUMENT',
    { startsWith: 'cannot decode the request message of customer.v1.CustomerService/CreateCustomer: ', includes: ['no field 1'], noDetails: true });
});

check('ENCODING.md §2: an enum number with no case is INVALID_ARGUMENT', async () => {
  // ListCustomersRequest { query { status: 9 } }: field 1 (len 2) holding field 1 varint 9.
  expectStatus(await admin.unary('customer.v1.CustomerService/ListCustomers', hex('0a 02 08 09')), 'INVALID_ARGUMENT',
    { includes: ['9 is not a value of the enum'], noDetails: true });
});

check('CUSTOMER-API.md Text: a name of white space only is INVALID_ARGUMENT on name, the message its details', async () => {
  expectStatus(await call('customer.v1.CustomerService/CreateCustomer', 'CreateCustomerRequest', { fields: { name: '   ' } }),
    'INVALID_ARGUMENT', { field: 'name' });
});

check('CUSTOMER-API.md: a page limit of 5000 is refused with the documented message', async () => {
  expectStatus(await call('customer.v1.CustomerService/ListCustomers', 'ListCustomersRequest', { query: {}, limit: 5000n }),
    'INVALID_ARGUMENT', { message: 'limit: must be between 1 and 1000, got 5000', field: 'limit' });
});

check('CUSTOMER-API.md: GetCustomer with neither id nor number is INVALID_ARGUMENT on id', async () => {
  expectStatus(await call('customer.v1.CustomerService/GetCustomer', 'GetCustomerRequest', {}), 'INVALID_ARGUMENT', { field: 'id' });
  expectStatus(await call('customer.v1.CustomerService/GetCustomer', 'GetCustomerRequest', { id: 1n, number: 1n }), 'INVALID_ARGUMENT', { field: 'id' });
});

let customer; // created here, used by the checks below
check('CUSTOMER-API.md: CreateCustomer stores the name trimmed; GetCustomer by id and by number finds it', async () => {
  customer = await createCustomer(`  Node Conformance ${unique}  `);
  assert.strictEqual(customer.name, `Node Conformance ${unique}`);
  assert.strictEqual(customer.active, true);
  const byId = ok(await call('customer.v1.CustomerService/GetCustomer', 'GetCustomerRequest', { id: customer.id }), 'Customer');
  const byNumber = ok(await call('customer.v1.CustomerService/GetCustomer', 'GetCustomerRequest', { number: customer.number }), 'Customer');
  assert.deepStrictEqual(byId, customer);
  assert.deepStrictEqual(byNumber, customer);
});

check('§6.1: a customer that does not exist is NOT_FOUND with the detail of the field naming it', async () => {
  expectStatus(await call('customer.v1.CustomerService/GetCustomer', 'GetCustomerRequest', { id: 9000000000000n }), 'NOT_FOUND', { field: 'id' });
});

check('§6.1: a taken number is ALREADY_EXISTS "number: is already taken"', async () => {
  const status = await call('customer.v1.CustomerService/CreateCustomer', 'CreateCustomerRequest', { fields: { name: `Dup ${unique}`, number: customer.number } });
  expectStatus(status, 'ALREADY_EXISTS', { field: 'number', message: 'number: is already taken' });
});

check('§6.1: a stale expectedVersion is ABORTED on expectedVersion, and nothing changes', async () => {
  const status = await call('customer.v1.CustomerService/UpdateCustomer', 'UpdateCustomerRequest',
    { id: customer.id, expectedVersion: customer.version + 5n, fields: { name: `Changed ${unique}` } });
  expectStatus(status, 'ABORTED', { field: 'expectedVersion', startsWith: `expectedVersion: customer ${customer.id} was changed by someone else` });
  const now = ok(await call('customer.v1.CustomerService/GetCustomer', 'GetCustomerRequest', { id: customer.id }), 'Customer');
  assert.deepStrictEqual(now, customer);
  const updated = ok(await call('customer.v1.CustomerService/UpdateCustomer', 'UpdateCustomerRequest',
    { id: customer.id, expectedVersion: customer.version, fields: { country: 'FI' } }), 'Customer');
  assert.strictEqual(updated.version, customer.version + 1n);
  customer = updated;
});

check('CUSTOMER-API.md: DeleteCustomer without confirm is FAILED_PRECONDITION on confirm', async () => {
  expectStatus(await call('customer.v1.CustomerService/DeleteCustomer', 'DeleteCustomerRequest', { id: customer.id, confirm: false }),
    'FAILED_PRECONDITION', { field: 'confirm' });
});

check('§7: an upper-case metadata key is INVALID_ARGUMENT naming the key', async () => {
  expectStatus(await admin.unary('rpc.health.v1.Health/Check', Buffer.alloc(0), { metadata: [['X-Trace', '1']] }), 'INVALID_ARGUMENT',
    { message: 'metadata key "X-Trace" must be 1 to 64 bytes of a-z 0-9 - _ .' });
});

check('§7: more than 64 metadata entries make the CALL_START malformed: INTERNAL', async () => {
  const entries = Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']);
  expectStatus(await admin.unary('rpc.health.v1.Health/Check', Buffer.alloc(0), { metadata: entries }), 'INTERNAL');
});

check('§7.1: an idempotency key replays the first answer byte for byte; another request under it is refused', async () => {
  const key = [['idempotency-key', `node-${unique}`]];
  const request = encode('CreateCustomerRequest', { fields: { name: `Keyed ${unique}` } });
  const first = await admin.unary('customer.v1.CustomerService/CreateCustomer', request, { metadata: key });
  const again = await admin.unary('customer.v1.CustomerService/CreateCustomer', request, { metadata: key });
  expectStatus(first, 'OK');
  expectStatus(again, 'OK');
  assert.deepStrictEqual(again.response, first.response);
  const other = await call('customer.v1.CustomerService/CreateCustomer', 'CreateCustomerRequest', { fields: { name: `Other ${unique}` } }, { metadata: key });
  expectStatus(other, 'FAILED_PRECONDITION', { field: 'idempotency-key' });
  const list = ok(await call('customer.v1.CustomerService/ListCustomers', 'ListCustomersRequest', { query: { search: `Keyed ${unique}` } }), 'ListCustomersResponse');
  assert.strictEqual(list.customers.length, 1, 'written once');
});

check('§7.1: a malformed key is INVALID_ARGUMENT on a method that takes one, ignored on one that does not', async () => {
  const bad = [['idempotency-key', 'not a key!']];
  expectStatus(await call('customer.v1.CustomerService/CreateCustomer', 'CreateCustomerRequest', { fields: { name: `Bad key ${unique}` } }, { metadata: bad }),
    'INVALID_ARGUMENT', { field: 'idempotency-key' });
  ok(await call('customer.v1.CustomerService/GetCustomer', 'GetCustomerRequest', { id: customer.id }, { metadata: bad }), 'Customer');
});

// Users: a Read only user and a deactivated one, reached through `acting-for`.
let me;
const reader = `node-reader-${unique}`;
const gone = `node-gone-${unique}`;
const actingFor = (name) => ({ metadata: [['acting-for', name]] });
const uidFor = (n) => 3000000000 + (crypto.randomBytes(3).readUIntBE(0, 3) * 4 + n) % 1000000000;

check('CUSTOMER-API.md: acting-for from a user that is no trusted service is PERMISSION_DENIED on acting-for', async () => {
  me = ok(await call('customer.v1.UserService/WhoAmI'), 'User');
  assert.strictEqual(me.isAdministrator, true, 'check.js runs as an administrator');
  ok(await call('customer.v1.UserService/AddUser', 'AddUserRequest', { uid: BigInt(uidFor(1)), name: reader }), 'User');
  ok(await call('customer.v1.UserService/AddUser', 'AddUserRequest', { uid: BigInt(uidFor(2)), name: gone }), 'User');
  ok(await call('customer.v1.UserService/DeactivateUser', 'UserNameRequest', { user: gone }), 'User');
  expectStatus(await call('customer.v1.UserService/WhoAmI', 'Empty', {}, actingFor(reader)), 'PERMISSION_DENIED', { field: 'acting-for' });
});

check('CUSTOMER-API.md: a Read only user may read but CreateCustomer is PERMISSION_DENIED with the detail right', async () => {
  ok(await call('customer.v1.UserService/SetTrustedService', 'SetTrustedServiceRequest', { user: me.name, trusted: true }), 'User');
  const who = ok(await call('customer.v1.UserService/WhoAmI', 'Empty', {}, actingFor(reader)), 'User');
  assert.strictEqual(who.name, reader);
  assert.strictEqual(who.profile, 'Read only');
  ok(await call('customer.v1.CustomerService/GetCustomer', 'GetCustomerRequest', { id: customer.id }, actingFor(reader)), 'Customer');
  expectStatus(await call('customer.v1.CustomerService/CreateCustomer', 'CreateCustomerRequest', { fields: { name: `Denied ${unique}` } }, actingFor(reader)),
    'PERMISSION_DENIED', { field: 'right', reason: 'editCustomers' });
});

check('CUSTOMER-API.md: acting-for a deactivated user is UNAUTHENTICATED; acting-for twice is INVALID_ARGUMENT', async () => {
  expectStatus(await call('customer.v1.UserService/WhoAmI', 'Empty', {}, actingFor(gone)), 'UNAUTHENTICATED');
  expectStatus(await call('customer.v1.UserService/WhoAmI', 'Empty', {}, { metadata: [['acting-for', reader], ['acting-for', reader]] }),
    'INVALID_ARGUMENT', { field: 'acting-for' });
  ok(await call('customer.v1.UserService/SetTrustedService', 'SetTrustedServiceRequest', { user: me.name, trusted: false }), 'User');
});

check('§11: calls in flight are independent: 20 at once, each gets its own answer', async () => {
  const created = await Promise.all(Array.from({ length: 5 }, (_, i) => createCustomer(`Parallel ${i} ${unique}`)));
  const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => call('customer.v1.CustomerService/GetCustomer', 'GetCustomerRequest', { id: created[i % 5].id })));
  answers.forEach((s, i) => assert.strictEqual(ok(s, 'Customer').name, `Parallel ${i % 5} ${unique}`));
});

check('§9: a CALL_START over the max frame size is RESOURCE_EXHAUSTED, its payload skipped, the connection goes on', async () => {
  const conn = await open();
  const big = Buffer.alloc(conn.serverHello.maxFrameSize + 1);
  const payload = Buffer.concat([callStartPayload(0n, 'rpc.health.v1.Health/Check', [], Buffer.alloc(0)), big]);
  conn.write(frame(TYPE.CALL_START, FLAG.HAS_MESSAGE | FLAG.END_STREAM, 1, payload.subarray(0, conn.serverHello.maxFrameSize + 1)));
  conn.nextId = 2;
  await expectStreamError(conn, 1, 'RESOURCE_EXHAUSTED');
  expectStatus(await conn.unary('rpc.health.v1.Health/Check', Buffer.alloc(0)), 'OK');
  conn.close();
});

check('§9: an answer over the client\'s max frame size is RESOURCE_EXHAUSTED naming the limit', async () => {
  const conn = await open({ maxFrameSize: 16384 });
  const status = await conn.unary('rpc.reflection.v1.Reflection/DescribeServices', Buffer.alloc(0));
  expectStatus(status, 'RESOURCE_EXHAUSTED', { includes: ["exceeds the client's frame limit of 16384 bytes"] });
  conn.close();
});

check('§9: a unary answer is sent while its STATUS payload (4 bytes and the response) fits the client\'s 16 KiB limit, refused one byte past it', async () => {
  // A customer's description sized so that GetCustomer's STATUS payload is the limit - 1, the
  // limit and the limit + 1 bytes; each size measured on the admin's 4 MiB connection first.
  const limit = 16384;
  const small = await open({ maxFrameSize: limit });
  // The name takes 466 bytes in 166 characters, so the description's 4000 characters reach the rest.
  let current = await createCustomer(`Frame ${unique} ${'\u8A9E'.repeat(150)}`, admin, { description: 'x' });
  const get = (conn) => conn.unary('customer.v1.CustomerService/GetCustomer', encode('GetCustomerRequest', { id: current.id }));
  let length = 1;
  for (const offset of [-1, 0, 1]) {
    for (let attempt = 0; attempt < 3; attempt++) {
      const payload = 4 + ok(await get(admin)).length;
      if (payload === limit + offset) break;
      length += limit + offset - payload;
      // At most 4000 characters: 4-byte ones fill it, up to 3 one-byte ones fine-tune it.
      const wide = Math.floor(length / 4);
      const description = '\u{1F600}'.repeat(wide) + 'x'.repeat(length - 4 * wide);
      current = ok(await call('customer.v1.CustomerService/UpdateCustomer', 'UpdateCustomerRequest',
        { id: current.id, expectedVersion: current.version, fields: { name: current.name, description } }), 'Customer');
    }
    const measured = ok(await get(admin));
    assert.strictEqual(4 + measured.length, limit + offset, 'the STATUS payload could not be sized');
    const status = await get(small);
    if (offset <= 0) {
      assert.deepStrictEqual(ok(status), measured, `a STATUS payload of ${limit + offset} bytes`);
    } else {
      expectStatus(status, 'RESOURCE_EXHAUSTED', { message: `the response of ${measured.length} bytes exceeds the client's frame limit of ${limit} bytes (its STATUS payload would be ${limit + 1} bytes)` });
    }
  }
  ok(await small.unary('rpc.health.v1.Health/Check', Buffer.alloc(0)));
  small.close();
});

check('§7: keys and values of 8192 bytes together are accepted, 8193 are INVALID_ARGUMENT however spread', async () => {
  const health = (entries) => admin.unary('rpc.health.v1.Health/Check', Buffer.alloc(0), { metadata: entries });
  ok(await health([['k', 'v'.repeat(8191)]]));
  for (const entries of [[['k', 'v'.repeat(8192)]], [['a', 'v'.repeat(4095)], ['b', 'v'.repeat(4096)]]]) {
    expectStatus(await health(entries), 'INVALID_ARGUMENT', { message: 'metadata is 8193 bytes, the limit is 8192' });
  }
  expectStatus(await health([['k', 'v'.repeat(8193)]]), 'INVALID_ARGUMENT', { message: 'metadata is 8194 bytes, the limit is 8192' });
});

check('§9: a CALL_START past the concurrent-call limit is RESOURCE_EXHAUSTED', async () => {
  const conn = await open();
  const limit = conn.serverHello.maxConcurrentCalls;
  if (limit > 200) return `skipped: limit ${limit}`;
  const watches = Array.from({ length: limit }, () => openWatch(conn));
  await conn.ping(crypto.randomBytes(8)); // the server has read them all
  expectStatus(await conn.unary('rpc.health.v1.Health/Check', Buffer.alloc(0)), 'RESOURCE_EXHAUSTED');
  for (const w of watches) w.cancel();
  conn.close();
});

check('§7, §10.1: an empty metadata key is INVALID_ARGUMENT; a 65-byte key or a method name over 1024 bytes is a malformed CALL_START', async () => {
  const health = (options) => admin.unary('rpc.health.v1.Health/Check', Buffer.alloc(0), options);
  expectStatus(await health({ metadata: [['', 'x']] }), 'INVALID_ARGUMENT', { message: 'metadata key "" must be 1 to 64 bytes of a-z 0-9 - _ .' });
  expectStatus(await health({ metadata: [['k'.repeat(65), 'x']] }), 'INTERNAL');
  expectStatus(await admin.unary('a'.repeat(1025), Buffer.alloc(0)), 'INTERNAL');
  expectStatus(await admin.unary('a'.repeat(1024), Buffer.alloc(0)), 'UNIMPLEMENTED');
});

check('ENCODING.md §8, §9: unknown fields are skipped, a repeated scalar takes its last value, message fields merge; malformed bytes are refused', async () => {
  const get = (bytes) => admin.unary('customer.v1.CustomerService/GetCustomer', bytes);
  const byId = (id) => encode('GetCustomerRequest', { id });
  assert.strictEqual(ok(await get(Buffer.concat([byId(customer.id), hex('98 06 01')])), 'Customer').id, customer.id, 'field 99 skipped');
  assert.strictEqual(ok(await get(Buffer.concat([byId(9000000000000n), byId(customer.id)])), 'Customer').id, customer.id, 'the last id counts');
  const name = `Merged ${unique}`;
  const merged = ok(await admin.unary('customer.v1.CustomerService/CreateCustomer', Buffer.concat([
    encode('CreateCustomerRequest', { fields: { name } }), encode('CreateCustomerRequest', { fields: { country: 'SE' } })])), 'Customer');
  assert.deepStrictEqual([merged.name, merged.country], [name, 'SE']);
  const prefix = 'cannot decode the request message of customer.v1.CustomerService/';
  for (const [bytes, what] of [['08 ff', 'truncated varint at byte offset 1'], ['0b', 'wire type 3 (group) at byte offset 0 is not supported'],
    ['0e', 'invalid wire type 6'], ['00 01', 'invalid field number 0']]) {
    expectStatus(await get(hex(bytes)), 'INVALID_ARGUMENT', { startsWith: `${prefix}GetCustomer: `, includes: [what], noDetails: true });
  }
  expectStatus(await admin.unary('customer.v1.CustomerService/DeleteCustomer', hex('08 02 10 02')), 'INVALID_ARGUMENT',
    { includes: ['value 2 is not a bool (0 or 1)'], noDetails: true });
  expectStatus(await admin.unary('customer.v1.CustomerService/ListCustomers', Buffer.concat([hex('0a 00 10'), enc.varint(enc.zigzag(1n << 40n))])),
    'INVALID_ARGUMENT', { includes: ['does not fit in sint32'], noDetails: true });
  expectStatus(await admin.unary('customer.v1.CustomerService/CreateCustomer', hex('0a 04 12 02 c3 28')), 'INVALID_ARGUMENT',
    { includes: ['invalid UTF-8 in a string'], noDetails: true });
});

check('ENCODING.md Ranges: a timestamp out of range is INVALID_ARGUMENT on query.changedSince; one not 8 bytes of wire type 1 is undecodable', async () => {
  // ListCustomersRequest { query { changedSince: NaN } }
  expectStatus(await admin.unary('customer.v1.CustomerService/ListCustomers', hex('0a 09 29 00 00 00 00 00 00 f8 7f')), 'INVALID_ARGUMENT',
    { field: 'query.changedSince' });
  expectStatus(await admin.unary('customer.v1.CustomerService/ListCustomers', hex('0a 05 2d 00 00 00 00')), 'INVALID_ARGUMENT',
    { includes: ['for a timestamp'], noDetails: true });
});

check('§5.1: a HELLO offering versions 2, 1, 1 gets version 1', async () => {
  const conn = await open({ versions: [2, 1, 1] });
  assert.strictEqual(conn.serverHello.version, 1);
  conn.close();
});

// ============================================================ streams (§8, §11)

check('§8, §11: a server stream at a 1-byte window: one message per credit, all of them, then OK', async () => {
  const names = Array.from({ length: 5 }, (_, i) => `Streamed ${unique} ${i}`);
  for (const n of names) await createCustomer(n);
  const conn = await open({ initialWindow: 1 });
  const stream = conn.start('customer.v1.CustomerService/StreamCustomers', encode('StreamCustomersRequest', { query: { search: `Streamed ${unique}` } }));
  const got = [];
  for (;;) {
    await conn.ping(crypto.randomBytes(8)); // give a misbehaving server the time to overrun
    const m = await stream.read();
    if (!m) break;
    got.push(decode('Customer', m).name);
  }
  expectStatus(await stream.status, 'OK');
  assert.deepStrictEqual(got.sort(), names);
  assert.strictEqual(stream.overruns, 0, 'the server never sent without positive credit');
  conn.close();
});

check('§8, §11: a client stream larger than the server\'s window waits for WINDOW_UPDATE (UploadFile), DownloadFile returns it', async () => {
  const conn = await open();
  const content = crypto.randomBytes(conn.serverHello.initialWindow * 3 + 12345);
  const sent = await upload(conn, `node-${unique}.bin`, content);
  const info = ok(sent.status, 'FileInfo');
  assert.strictEqual(info.size, BigInt(content.length));
  assert.strictEqual(info.sha256, sha256Of(content));
  const updates = conn.frames.filter((f) => f.type === TYPE.WINDOW_UPDATE && f.streamId === sent.call.id);
  assert.ok(updates.length > 0, 'the server returned credit');
  const got = await download(conn, info.id);
  assert.deepStrictEqual([got.first.size, got.first.sha256, got.first.data.length], [BigInt(content.length), info.sha256, 0],
    'the first message announces size and SHA-256, its data empty');
  expectStatus(got.status, 'OK');
  assert.ok(got.content.equals(content));
  conn.close();
});

check('§5.1, §9: a client at the smallest max frame size (16 KiB) downloads a file larger than its frames', async () => {
  const content = crypto.randomBytes(100000);
  const info = ok((await upload(admin, `small-frames-${unique}.bin`, content)).status, 'FileInfo');
  const conn = await open({ maxFrameSize: 16384 });
  const got = await download(conn, info.id);
  expectStatus(got.status, 'OK');
  assert.ok(got.content.equals(content));
  conn.close();
});

check('CUSTOMER-API.md: an upload\'s sha256 is 64 hexadecimal digits, either case, answered in lower case', async () => {
  const data = Buffer.from(`content ${unique}`);
  const digest = crypto.createHash('sha256').update(data).digest();
  const send = async (sha256) => (await upload(admin, `sha-${unique}.txt`, data, { sha256 })).status;
  assert.strictEqual(ok(await send(digest.toString('hex').toUpperCase()), 'FileInfo').sha256, digest.toString('hex'));
  expectStatus(await send(digest.toString('base64')), 'INVALID_ARGUMENT', { field: 'sha256' });
  expectStatus(await send('0'.repeat(64)), 'INVALID_ARGUMENT', { field: 'sha256' });
});

check('§5.2: a client stream MAY carry its only request in CALL_START with flags 03', async () => {
  const imp = admin.start('customer.v1.CustomerService/ImportCustomers',
    encode('ImportCustomersMessage', { options: { dryRun: true }, rows: [{ fields: { name: `Dry ${unique}` } }] }));
  const r = ok(await imp.status, 'ImportCustomersResponse');
  assert.deepStrictEqual([r.rows, r.dryRun], [1n, true]);
});

check('§5.2, §11: ImportCustomers over several MESSAGE frames, options first, a bare END_STREAM', async () => {
  const imp = admin.start('customer.v1.CustomerService/ImportCustomers');
  const row = (i) => ({ line: BigInt(i), fields: { name: `Imported ${unique} ${i}` } });
  await imp.send(encode('ImportCustomersMessage', { options: {}, rows: [row(1), row(2)] }));
  await imp.send(encode('ImportCustomersMessage', { rows: [row(3)] }));
  imp.end();
  const r = ok(await imp.status, 'ImportCustomersResponse');
  assert.strictEqual(r.rows, 3n);
  assert.strictEqual(r.imported, 3n);
  assert.strictEqual(r.rejectedRows, 0n);
  assert.strictEqual(r.dryRun, false);
});

check('CUSTOMER-API.md: an import row with a blank name refuses all, detail "line N: name"', async () => {
  const imp = admin.start('customer.v1.CustomerService/ImportCustomers');
  await imp.send(encode('ImportCustomersMessage', { rows: [{ line: 1n, fields: { name: `Fine ${unique}` } }, { line: 2n, fields: { name: ' ' } }] }), { end: true });
  const status = await imp.status;
  expectStatus(status, 'INVALID_ARGUMENT', { startsWith: 'line 2: name: ' });
  assert.ok(details(status).some((d) => d.field === 'line 2: name'));
  const list = ok(await call('customer.v1.CustomerService/ListCustomers', 'ListCustomersRequest', { query: { search: `Fine ${unique}` } }), 'ListCustomersResponse');
  assert.strictEqual(list.customers.length, 0, 'nothing imported');
});

check('CUSTOMER-API.md: options in a later message are INVALID_ARGUMENT on options; a stream ending before its first message too', async () => {
  const imp = admin.start('customer.v1.CustomerService/ImportCustomers');
  await imp.send(encode('ImportCustomersMessage', { rows: [{ fields: { name: `Late ${unique}` } }] }));
  await imp.send(encode('ImportCustomersMessage', { options: { dryRun: true } }), { end: true });
  expectStatus(await imp.status, 'INVALID_ARGUMENT', { field: 'options' });
  const empty = admin.start('customer.v1.CustomerService/ImportCustomers');
  empty.end();
  expectStatus(await empty.status, 'INVALID_ARGUMENT', { field: 'options' });
});

check('§11: a live WatchChanges event for a customer created on another connection', async () => {
  const bounds = ok(await call('customer.v1.ChangeFeedService/GetFeedBounds'), 'FeedBoundsResponse');
  const conn = await open();
  const watch = conn.start(WATCH, encode('WatchChangesRequest', { after: bounds.last }));
  const created = await createCustomer(`Watched ${unique}`);
  for (;;) {
    const m = await watch.read();
    assert.ok(m, 'the watch delivers the event');
    const event = decode('ChangeEvent', m);
    assert.ok(event.sequence > bounds.last);
    if (event.customerId === created.id && event.action === 'created') break;
  }
  watch.cancel();
  conn.close();
});

check('§11: CANCEL ends a call: no STATUS for it, the connection goes on', async () => {
  const conn = await open({ initialWindow: 1 });
  const watch = openWatch(conn);
  const stream = conn.start('customer.v1.CustomerService/StreamCustomers', encode('StreamCustomersRequest', { query: { status: 2n } }));
  await stream.read(); // one message, then no credit: the stream is paused
  await conn.ping(crypto.randomBytes(8));
  watch.cancel();
  stream.cancel();
  await conn.ping(crypto.randomBytes(8));
  expectStatus(await conn.unary('rpc.health.v1.Health/Check', Buffer.alloc(0)), 'OK');
  await conn.ping(crypto.randomBytes(8));
  const statuses = conn.frames.filter((f) => f.type === TYPE.STATUS && (f.streamId === watch.id || f.streamId === stream.id));
  assert.deepStrictEqual(statuses, [], 'no STATUS for a cancelled call');
  conn.close();
});

check('§11: the server answers DEADLINE_EXCEEDED at the deadline (server stream, client stream)', async () => {
  const conn = await open();
  const watch = openWatch(conn, { timeoutMicros: 300000n });
  const imp = conn.start('customer.v1.CustomerService/ImportCustomers', undefined, { timeoutMicros: 300000n });
  expectStatus(await watch.status, 'DEADLINE_EXCEEDED');
  expectStatus(await imp.status, 'DEADLINE_EXCEEDED');
  conn.close();
});

check('§11: a bare END_STREAM on a server-streaming call is ignored (half-close)', async () => {
  const conn = await open();
  const watch = openWatch(conn, { timeoutMicros: 300000n });
  watch.end();
  expectStatus(await watch.status, 'DEADLINE_EXCEEDED', {}); // it ran on to its deadline
  conn.close();
});

check('§11: after shutdown(SHUT_WR) the client still gets the STATUS of its call', async () => {
  const conn = await open();
  const health = conn.start('rpc.health.v1.Health/Check', Buffer.alloc(0));
  conn.wire.socket.end();
  expectStatus(await health.status, 'OK');
  await within(conn.closed, 'the server closing after end of input');
});

check('§5.4: the client\'s own GOAWAY is ignored: calls in flight go on', async () => {
  const conn = await open();
  const watch = openWatch(conn, { timeoutMicros: 300000n });
  conn.goaway();
  assert.ok((await conn.ping(crypto.randomBytes(8))).length === 8);
  expectStatus(await watch.status, 'DEADLINE_EXCEEDED');
  conn.close();
});

// ============================================================ connection and stream errors (§10.1)

const onWatch = (conn) => [openWatch(conn)];
for (const [name, bytes] of [
  ['an unknown frame type', () => frame(0x0a, 0, 0)],
  ['a flag bit not defined for the type (PING with END_STREAM)', () => frame(TYPE.PING, FLAG.END_STREAM, 0, Buffer.alloc(8))],
  ['a HELLO after the handshake', () => hello()],
  ['a STATUS from the client', () => frame(TYPE.STATUS, 0, 1, Buffer.from([0, 0, 0, 0]))],
  ['a CALL_START on stream 0', () => frame(TYPE.CALL_START, 3, 0, callStartPayload(0n, 'rpc.health.v1.Health/Check', [], Buffer.alloc(0)))],
  ['a MESSAGE on stream 0', () => frame(TYPE.MESSAGE, FLAG.HAS_MESSAGE, 0)],
  ['a CANCEL on stream 0', () => frame(TYPE.CANCEL, 0, 0)],
  ['a WINDOW_UPDATE on stream 0', () => frame(TYPE.WINDOW_UPDATE, 0, 0, u32(100))],
  ['a CALL_START reusing stream id 1', () => frame(TYPE.CALL_START, 3, 1, callStartPayload(0n, 'rpc.health.v1.Health/Check', [], Buffer.alloc(0)))],
  ['a CANCEL with a payload', () => frame(TYPE.CANCEL, 0, 1, Buffer.from([0]))],
  ['a PING of 7 bytes', () => frame(TYPE.PING, 0, 0, Buffer.alloc(7))],
  ['a PING on stream 3', () => frame(TYPE.PING, 0, 3, Buffer.alloc(8))],
  ['a WINDOW_UPDATE of 0', () => frame(TYPE.WINDOW_UPDATE, 0, 1, u32(0))],
  ['a WINDOW_UPDATE of 3 bytes', () => frame(TYPE.WINDOW_UPDATE, 0, 1, Buffer.from([0, 0, 1]))],
  ['a PING longer than the max frame size (its header alone)', () => { const h = frame(TYPE.PING, 0, 0); h.writeUInt32BE(0x7fffffff, 0); return h; }],
]) {
  check(`§10.1: ${name} is a connection error; the call open on it fails`, async () => {
    await expectConnectionError(bytes(), { before: async (conn) => { const w = onWatch(conn); await conn.ping(crypto.randomBytes(8)); return w; } });
  });
}

// CALL_START payloads (timeout, method, metadata) that break the frame itself.
for (const [name, payload] of [
  ['a lying length (a method of 127 bytes in 3)', '00 7f 72 70 63'],
  ['a method name of invalid UTF-8', '00 02 c3 28 00'],
  ['a metadata value of invalid UTF-8', `00 ${str('rpc.health.v1.Health/Check').toString('hex')} 01 01 6b 01 ff`],
]) {
  check(`§10.1: a CALL_START with ${name} is a stream error INTERNAL`, async () => {
    const conn = await open();
    conn.write(frame(TYPE.CALL_START, 3, 1, hex(payload)));
    conn.nextId = 2;
    await expectStreamError(conn, 1, 'INTERNAL');
    conn.close();
  });
}

check('§10.1: a unary CALL_START without flags 03 is a stream error INTERNAL', async () => {
  const conn = await open();
  conn.write(frame(TYPE.CALL_START, FLAG.HAS_MESSAGE, 1, callStartPayload(0n, 'rpc.health.v1.Health/Check', [], Buffer.alloc(0))));
  conn.write(frame(TYPE.CALL_START, 0, 2, callStartPayload(0n, 'rpc.health.v1.Health/Check', [], undefined)));
  conn.nextId = 3;
  await expectStreamError(conn, 1, 'INTERNAL');
  await expectStreamError(conn, 2, 'INTERNAL');
  conn.close();
});

check('§10.1: a MESSAGE carrying a message on a server-streaming call is a stream error INTERNAL', async () => {
  const conn = await open();
  const watch = openWatch(conn);
  conn.calls.delete(watch.id); // read its STATUS raw
  conn.write(frame(TYPE.MESSAGE, FLAG.HAS_MESSAGE, watch.id, Buffer.alloc(0)));
  await expectStreamError(conn, watch.id, 'INTERNAL');
  conn.close();
});

check('§10.1: payload bytes without HAS_MESSAGE on a client stream: stream error INTERNAL with the documented message', async () => {
  const conn = await open();
  const imp = conn.start('customer.v1.CustomerService/ImportCustomers');
  conn.calls.delete(imp.id);
  conn.write(frame(TYPE.MESSAGE, 0, imp.id, Buffer.from([0x0a, 0x00])));
  await expectStreamError(conn, imp.id, 'INTERNAL', { includes: ['a MESSAGE frame of 2 payload bytes without HAS_MESSAGE'] });
  conn.close();
});

check('§10.1: MESSAGE, CANCEL and WINDOW_UPDATE for a stream never opened are ignored', async () => {
  await expectIgnored(Buffer.concat([frame(TYPE.MESSAGE, FLAG.HAS_MESSAGE, 41), frame(TYPE.CANCEL, 0, 43), frame(TYPE.WINDOW_UPDATE, 0, 45, u32(5))]));
});

check('§10.1: a PONG and a GOAWAY from the client are ignored', async () => {
  await expectIgnored(Buffer.concat([frame(TYPE.PONG, 0, 0, Buffer.alloc(8)), frame(TYPE.GOAWAY, 0, 0, Buffer.concat([Buffer.from([0]), str('bye'), u32(0)]))]));
});

check('§5.2: any uint64 is a valid timeout: 2^64 − 1 µs', async () => {
  expectStatus(await admin.unary('rpc.health.v1.Health/Check', Buffer.alloc(0), { timeoutMicros: (1n << 64n) - 1n }), 'OK');
});

check('§10.1: a frame varint not in its shortest form (timeout 80 00) is accepted', async () => {
  const conn = await open();
  const payload = Buffer.concat([hex('80 00'), str('rpc.health.v1.Health/Check'), metadata([])]);
  conn.write(frame(TYPE.CALL_START, 3, 1, payload));
  conn.nextId = 2;
  await expectStreamError(conn, 1, 'OK');
  conn.close();
});

// ============================================================ every unary method (§6, §6.1, §12)

// The field names of CUSTOMER-API.md's message tables, and the names §6.1 gives a value to act on.
function documentedFieldNames() {
  const text = require('fs').readFileSync(path.join(vectorsDir, '..', 'CUSTOMER-API.md'), 'utf8');
  const names = new Set([...text.matchAll(/^\| \d+ \| `([A-Za-z0-9_]+)` \|/gm)].map((m) => m[1]));
  for (const name of ['idempotency-key', 'right', 'mergedInto']) names.add(name);
  return names;
}

// What is wrong with `status` as the answer of `name` by §6 and §6.1 (nothing: []): never INTERNAL,
// UNKNOWN or UNIMPLEMENTED; a request the method cannot decode is INVALID_ARGUMENT "cannot decode
// the request message of METHOD …" without details (`decodable`: the request was built to decode);
// any other refusal but PERMISSION_DENIED names a field, each part of it a field of
// CUSTOMER-API.md, and an INVALID_ARGUMENT's message is its details as `field: reason`.
function refusalProblems(name, status, documented, { decodable }) {
  const code = CODE_NAME[status.code];
  const ds = details(status);
  const problems = [];
  const undecoded = status.message.startsWith(`cannot decode the request message of ${name}`);
  if (['INTERNAL', 'UNKNOWN', 'UNIMPLEMENTED'].includes(code)) problems.push(`${name}: ${code} "${status.message}"`);
  else if (undecoded && (decodable || code !== 'INVALID_ARGUMENT' || ds.length > 0)) problems.push(`${name}: ${code} "${status.message}" with ${ds.length} details`);
  else if (!undecoded && !['OK', 'PERMISSION_DENIED'].includes(code) && ds.length === 0) problems.push(`${name}: ${code} names no field: "${status.message}"`);
  else if (code === 'INVALID_ARGUMENT' && ds.length > 0 && !status.message.startsWith(ds.map((d) => `${d.field}: ${d.reason}`).join('; '))) {
    problems.push(`${name}: INVALID_ARGUMENT "${status.message}" is not its details as field: reason`);
  }
  for (const d of ds) {
    if (!d.field.split('.').every((part) => documented.has(part))) problems.push(`${name}: a detail names "${d.field}", no field of CUSTOMER-API.md`);
  }
  return problems;
}

// The smallest request §12's schema allows: every field labelled singular (always present,
// ENCODING.md §4) at its zero (a nested message at its own smallest, an enum at its first value,
// a text ''), nothing else: what a generic client builds "by field name" before it sets any.
function smallestRequest(name, messages, enums, depth = 0) {
  const varint = (n) => { const out = []; let v = BigInt(n); do { let b = Number(v & 0x7fn); v >>= 7n; if (v) b |= 0x80; out.push(b); } while (v); return Buffer.from(out); };
  const lengthDelimited = (bytes) => Buffer.concat([varint(bytes.length), bytes]);
  const message = messages.get(name);
  if (!message || depth > 16) return Buffer.alloc(0);
  const parts = [];
  for (const f of message.fields.filter((field) => field.label === 0n)) {
    const tag = varint((BigInt(f.number) << 3n) | BigInt(f.wireType));
    const wire = Number(f.wireType);
    let value;
    if (wire === 0) {
      const first = enums.get(f.type)?.values[0];
      value = varint(first?.number !== undefined && first.number >= 0n ? first.number : 0n);
    } else if (wire === 1) value = Buffer.alloc(8);
    else if (wire === 5) value = Buffer.alloc(4);
    else if (messages.has(f.type)) value = lengthDelimited(smallestRequest(f.type, messages, enums, depth + 1));
    else if (enums.has(f.type)) value = lengthDelimited(Buffer.from(enums.get(f.type).values[0]?.text ?? '', 'utf8'));
    else if (f.type === 'uuid') value = lengthDelimited(Buffer.alloc(16));
    else if (f.type === 'decimal') value = lengthDelimited(Buffer.from('0'));
    else if (f.type === 'url') value = lengthDelimited(Buffer.from('x'));
    else value = lengthDelimited(Buffer.alloc(0)); // a string, bytes, or a wrapper: empty
    parts.push(tag, value);
  }
  return Buffer.concat(parts);
}

// Last but the shutdown: a method these requests let through must change nothing the checks
// above rely on (a refused call changes nothing, §6).
check('§6, §6.1, §12: every unary method of the customer API, sent an empty request and the smallest its reflected schema allows, answers OK or a refusal in its documented form', async () => {
  const described = ok(await call('rpc.reflection.v1.Reflection/DescribeServices', 'DescribeServicesRequest', {}), 'DescribeServicesResponse');
  const messages = new Map(described.messages.map((m) => [m.name, m]));
  const enums = new Map(described.enums.map((e) => [e.name, e]));
  const documented = documentedFieldNames();
  assert.ok(documented.size > 100, `${documented.size} field names read from CUSTOMER-API.md`);
  const problems = [];
  const codes = {};
  let called = 0;
  for (const service of described.services.filter((s) => s.name.startsWith('customer.v1.'))) {
    for (const method of service.methods.filter((m) => m.kind === 0n)) {
      const name = `${service.name}/${method.name}`;
      problems.push(...refusalProblems(name, await admin.unary(name, Buffer.alloc(0)), documented, { decodable: false }));
      const status = await admin.unary(name, smallestRequest(method.request, messages, enums));
      problems.push(...refusalProblems(name, status, documented, { decodable: true }));
      codes[CODE_NAME[status.code]] = (codes[CODE_NAME[status.code]] || 0) + 1;
      called += 1;
    }
  }
  assert.ok(called >= 80, `only ${called} unary methods described`);
  assert.deepStrictEqual(problems, []);
  return `${called} methods, the smallest requests answered ${Object.entries(codes).map(([c, n]) => `${n} ${c}`).join(', ')}`;
});

// ============================================================ graceful shutdown (§5.4, §11)

if (shutdownPid) {
  check('§5.4, §11: a shutdown ends a watch UNAVAILABLE "resume after sequence N", sends GOAWAY OK and closes', async () => {
    const busy = await open();
    const idle = await open();
    const watch = openWatch(busy);
    await busy.ping(crypto.randomBytes(8));
    process.kill(Number(shutdownPid), 'SIGTERM');
    const status = await watch.status;
    expectStatus(status, 'UNAVAILABLE', { startsWith: 'the server is shutting down: resume after sequence ' });
    await within(busy.closed, 'the close of the busy connection');
    await within(idle.closed, 'the close of the idle connection');
    for (const conn of [busy, idle]) {
      assert.strictEqual(conn.goaways.length, 1, 'one GOAWAY');
      assert.strictEqual(CODE_NAME[conn.goaways[0].code], 'OK');
    }
    assert.strictEqual(busy.goaways[0].lastStreamId, watch.id);
    assert.strictEqual(idle.goaways[0].lastStreamId, 0);
  });
}

// ============================================================ runner

(async () => {
  let failed = 0;
  let ran = 0;
  for (const { name, fn } of checks) {
    if (only && !name.includes(only)) continue;
    if (!admin && !name.startsWith('vector') && !name.startsWith('ENCODING.md §1') && !name.startsWith('ENCODING.md §5')) {
      try { admin = await open(); } catch (e) { console.log(`FAIL connect: ${e.message}`); process.exit(1); }
    }
    ran++;
    try {
      const note = await fn();
      console.log(`ok   ${name}${note ? ` (${note})` : ''}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}\n     ${(e.stack || String(e)).split('\n').slice(0, 4).join('\n     ')}`);
    }
  }
  console.log(`${ran - failed} of ${ran} checks passed`);
  if (admin) admin.close();
  process.exit(failed ? 1 : 0);
})();
