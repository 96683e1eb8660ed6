#!/usr/bin/env python3
"""An outside client of customerd, written from Protocol/PROTOCOL.md, ENCODING.md and
CUSTOMER-API.md alone (no code of this repository), that checks the promises those documents
make at their boundaries. Standard library only.

    probe.py [--customerd PATH] [--keep]       start a server on a temporary socket and probe it
    probe.py --socket PATH                     probe a running server (as this OS user only)

Exit status 0 when every check held, 1 when one did not (each is printed as FAIL), 2 when the
server died or hung. Run as root, it also calls as other OS uids (a Read-only user, and a uid
that is no user) by connecting in a child that drops to that uid and hands the socket back.
"""

import argparse
import math
import os
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

# second_round.py imports this file as `probe`: run as a script it must find this module, not load
# a second copy whose PATIENCE --patience never set.
sys.modules.setdefault("probe", sys.modules[__name__])

# ---------------------------------------------------------------- encoding (ENCODING.md)

def varint(n):
    n &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def zz(n):
    return ((n << 1) ^ (n >> 63)) & ((1 << 64) - 1)


def unzz(z):
    return (z >> 1) ^ -(z & 1)


def tag(num, wt):
    return varint((num << 3) | wt)


def f_uint(num, v):
    return tag(num, 0) + varint(v)


def f_sint(num, v):
    return tag(num, 0) + varint(zz(v))


def f_bool(num, v):
    return tag(num, 0) + varint(1 if v else 0)


def f_bytes(num, b):
    return tag(num, 2) + varint(len(b)) + b


def f_str(num, s):
    return f_bytes(num, s.encode() if isinstance(s, str) else s)


def f_double(num, x):
    return tag(num, 1) + struct.pack("<d", x)


def f_fixed64raw(num, raw8):
    return tag(num, 1) + raw8


def read_varint(buf, pos, limit=None):
    limit = len(buf) if limit is None else limit
    result = 0
    shift = 0
    for i in range(10):
        if pos >= limit:
            raise ValueError("truncated varint")
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7
    raise ValueError("varint over 10 bytes")


def parse_msg(buf):
    """field number -> list of (wire type, value): varint int, bytes for 2, raw bytes for 1/5."""
    fields = {}
    pos = 0
    while pos < len(buf):
        key, pos = read_varint(buf, pos)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, pos = read_varint(buf, pos)
        elif wt == 1:
            v = bytes(buf[pos:pos + 8]); pos += 8
        elif wt == 5:
            v = bytes(buf[pos:pos + 4]); pos += 4
        elif wt == 2:
            n, pos = read_varint(buf, pos)
            v = bytes(buf[pos:pos + n]); pos += n
        else:
            raise ValueError("wire type %d" % wt)
        if pos > len(buf):
            raise ValueError("truncated field")
        fields.setdefault(num, []).append((wt, v))
    return fields


def get_sint(m, num):
    return unzz(m[num][-1][1]) if num in m else None


def get_uint(m, num):
    return m[num][-1][1] if num in m else None


def get_str(m, num):
    return m[num][-1][1].decode() if num in m else None


# ---------------------------------------------------------------- framing (PROTOCOL.md)

# Every wait for an answer is multiplied by this (--patience): on a starved machine (CI runs beside a
# busy loop per core) an answer may take minutes. Waits that expect nothing are not multiplied.
PATIENCE = [1.0]

HELLO, CALL_START, MESSAGE, STATUS, CANCEL, WINDOW_UPDATE, PING, PONG, GOAWAY = range(1, 10)
END_STREAM, HAS_MESSAGE = 1, 2
MAGIC = b"CCRP"
CODES = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
         "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
         "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
         "UNAUTHENTICATED"]
C = {name: i for i, name in enumerate(CODES)}


def frame(ftype, flags, stream, payload=b""):
    return struct.pack(">IBBI", len(payload), ftype, flags, stream) + payload


def pstr(s):
    b = s.encode() if isinstance(s, str) else s
    return varint(len(b)) + b


def metadata_block(entries):
    out = varint(len(entries))
    for k, v in entries:
        out += pstr(k) + pstr(v)
    return out


def hello_payload(versions=(1,), window=262144, max_frame=4194304, name="conformance-probe"):
    return (bytes([len(versions)]) + b"".join(struct.pack(">H", v) for v in versions)
            + struct.pack(">II", window, max_frame) + pstr(name))


class Closed(Exception):
    pass


class Goaway:
    def __init__(self, payload):
        self.code = payload[0]
        n, pos = read_varint(payload, 1)
        self.message = payload[pos:pos + n].decode("utf-8", "replace")
        pos += n
        self.last_stream = struct.unpack(">I", payload[pos:pos + 4])[0] if len(payload) >= pos + 4 else None

    def __repr__(self):
        return "GOAWAY %s %r last=%s" % (CODES[self.code] if self.code < 17 else self.code,
                                         self.message, self.last_stream)


class Status:
    def __init__(self, flags, payload):
        self.code = payload[0]
        n, pos = read_varint(payload, 1)
        self.message = payload[pos:pos + n].decode()
        pos += n
        n, pos = read_varint(payload, pos)
        self.details_raw = payload[pos:pos + n]
        pos += n
        count, pos = read_varint(payload, pos)
        self.trailers = []
        for _ in range(count):
            n, pos = read_varint(payload, pos)
            k = payload[pos:pos + n].decode(); pos += n
            n, pos = read_varint(payload, pos)
            v = payload[pos:pos + n].decode(); pos += n
            self.trailers.append((k, v))
        self.response = payload[pos:] if flags & HAS_MESSAGE else None
        self.details = []
        if self.details_raw:
            for _, d in parse_msg(self.details_raw).get(1, []):
                dm = parse_msg(d)
                self.details.append((get_str(dm, 1), get_str(dm, 2)))

    @property
    def name(self):
        return CODES[self.code] if self.code < len(CODES) else str(self.code)

    def __repr__(self):
        return "%s %r %s" % (self.name, self.message[:300], self.details)


def next_goaway(c, timeout=10.0):
    """The next GOAWAY on `c` (other frames skipped), or the exception that ended the wait."""
    try:
        while True:
            t, fl, sid, pl = c.read_frame(timeout)
            if t == GOAWAY:
                return Goaway(pl)
    except (Closed, TimeoutError) as e:
        return e


class Conn:
    """One connection: raw frame I/O plus unary calls. `sock` may come from connect_as."""

    def __init__(self, path, sock=None, hello=True, **hello_args):
        self.path = path
        if sock is None:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
        self.sock = sock
        self.buf = bytearray()
        self.next_stream = 1
        self.server_hello = None
        if hello:
            self.send(MAGIC + frame(HELLO, 0, 0, hello_payload(**hello_args)))
            t, fl, sid, p = self.read_frame()
            if t != HELLO:
                raise Closed("no HELLO: %s" % (Goaway(p) if t == GOAWAY else t))
            self.server_hello = p
            (self.version, self.max_frame, self.max_calls, self.window) = struct.unpack(">HIII", p[:14])

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self, n, timeout):
        end = time.monotonic() + timeout
        while len(self.buf) < n:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError("no frame within %.1fs" % timeout)
            r, _, _ = select.select([self.sock], [], [], left)
            if not r:
                continue
            try:
                chunk = self.sock.recv(1 << 20)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                raise Closed("connection closed")
            self.buf += chunk

    def read_frame(self, timeout=10.0, expect_nothing=False):
        if not expect_nothing:
            timeout *= PATIENCE[0]
        self._fill(10, timeout)
        length, t, fl, sid = struct.unpack(">IBBI", self.buf[:10])
        self._fill(10 + length, timeout)
        p = bytes(self.buf[10:10 + length])
        del self.buf[:10 + length]
        return t, fl, sid, p

    def new_stream(self):
        s = self.next_stream
        self.next_stream += 2
        return s

    def start(self, method, request=b"", metadata=(), timeout_us=None, flags=3, stream=None):
        sid = self.new_stream() if stream is None else stream
        if timeout_us is None:
            # 10 s, stretched with every wait by --patience: on a starved machine a call (an import
            # beside its interleaved calls, an AddUser) may take longer, and the probe waits for it
            timeout_us = int(10_000_000 * PATIENCE[0])
        payload = varint(timeout_us) + pstr(method) + metadata_block(list(metadata))
        if flags & HAS_MESSAGE:
            payload += request
        self.send(frame(CALL_START, flags, sid, payload))
        return sid

    def wait_status(self, sid, timeout=10.0, messages=None):
        while True:
            t, fl, s, p = self.read_frame(timeout)
            if t == GOAWAY:
                raise Closed(repr(Goaway(p)))
            if s != sid:
                continue
            if t == STATUS:
                return Status(fl, p)
            if t == MESSAGE and messages is not None:
                messages.append(p)

    def unary(self, method, request=b"", metadata=(), timeout_us=None, timeout=10.0):
        return self.wait_status(self.start(method, request, metadata, timeout_us), timeout)

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def connect_as(path, uid):
    """A socket connected to `path` by OS user `uid` (the server reads SO_PEERCRED at connect):
    a child drops to uid, connects, and passes the descriptor back over a socketpair."""
    a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            a.close()
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(path)
            socket.send_fds(b, [b"x"], [s.fileno()])
        except BaseException as e:  # noqa: BLE001: report and leave the child
            sys.stderr.write("connect_as(%d) failed: %s\n" % (uid, e))
            code = 1
        os._exit(code)
    b.close()
    _, fds, _, _ = socket.recv_fds(a, 1, 1)
    os.waitpid(pid, 0)
    a.close()
    if not fds:
        raise OSError("connect_as(%d): no descriptor" % uid)
    return socket.socket(fileno=fds[0])


# ---------------------------------------------------------------- checks

class Probe:
    def __init__(self, path, can_switch_uid, server_proc=None):
        self.path = path
        self.can_switch_uid = can_switch_uid
        self.proc = server_proc
        self.fails = []
        self.passes = 0
        self.section = ""

    def check(self, name, ok, got=""):
        got = repr(got)
        if len(got) > 600:
            got = got[:600] + "…"
        if ok:
            self.passes += 1
        else:
            self.fails.append("%s: %s: got %s" % (self.section, name, got))
            print("FAIL %s: %s: got %s" % (self.section, name, got), flush=True)

    def alive(self, where):
        """The server still serves a fresh connection (a health check)."""
        if self.proc is not None and self.proc.poll() is not None:
            print("SERVER DIED (exit %s) after %s" % (self.proc.returncode, where), flush=True)
            self.fails.append("server died after %s" % where)
            raise SystemExit(2)
        try:
            c = Conn(self.path)
            st = c.unary("rpc.health.v1.Health/Check", f_str(1, ""))
            c.close()
            if st.code != 0:
                raise Closed(repr(st))
        except (Closed, TimeoutError, OSError) as e:
            print("SERVER NOT SERVING after %s: %s" % (where, e), flush=True)
            self.fails.append("server not serving after %s" % where)
            raise SystemExit(2)

    def conn(self, uid=None, **kw):
        if uid is None:
            return Conn(self.path, **kw)
        return Conn(self.path, sock=connect_as(self.path, uid), **kw)

    def expect_goaway(self, name, data, code, contains=None, hello=True):
        """Send raw bytes (after a handshake if hello) and expect GOAWAY code and a close."""
        c = Conn(self.path, hello=hello)
        try:
            c.send(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        got = next_goaway(c)
        ok = isinstance(got, Goaway) and got.code == code and (contains is None or contains in got.message)
        if ok:
            try:
                c.read_frame(5)
                ok = False
                got = "frames after GOAWAY"
            except Closed:
                pass
            except TimeoutError:
                ok = False
                got = "%r, but the connection stayed open" % got
        self.check(name, ok, got)
        c.close()
        return got

    def check_limits(self, st):
        """Every STATUS keeps PROTOCOL.md's sender limits: message ≤ 4 KiB, details ≤ 8 KiB."""
        if not isinstance(st, Status):
            return
        msg_ok = len(st.message.encode()) <= 4096
        det = sum(len((f or "").encode()) + len((r or "").encode()) + 16 for f, r in st.details)
        if not msg_ok or det > 8192:
            self.check("STATUS within the sender limits (message %d bytes, details %d)" % (len(st.message.encode()), det), False, st)

    def expect_status(self, name, st, code, contains=None, field=None):
        self.check_limits(st)
        ok = isinstance(st, Status) and st.code == code
        if ok and contains is not None:
            ok = contains in st.message
        if ok and field is not None:
            ok = any(f == field for f, _ in st.details)
        self.check(name, ok, st)
        return st

    def still_open(self, c, name):
        """The connection goes on: a PING is answered by a PONG with its bytes."""
        try:
            c.send(frame(PING, 0, 0, b"pingpong"))
            while True:
                t, fl, sid, p = c.read_frame(10)
                if t == PONG:
                    self.check(name + " (connection goes on)", p == b"pingpong", p)
                    return
                if t == GOAWAY:
                    self.check(name + " (connection goes on)", False, Goaway(p))
                    return
        except (Closed, TimeoutError, OSError) as e:
            self.check(name + " (connection goes on)", False, e)


# ---------------------------------------------------------------- sections

HEALTH = "rpc.health.v1.Health/Check"
CS = "customer.v1.CustomerService/"


def handshake_checks(p):
    p.section = "handshake"
    # The walk-through's exact client bytes (PROTOCOL.md §13).
    c = Conn(p.path, hello=False)
    c.send(bytes.fromhex("43435250 00000016010000000000 01 0001 00040000 00400000 0a7270632d636c69656e74".replace(" ", "")))
    t, fl, sid, hp = c.read_frame()
    p.check("walk-through HELLO answered by HELLO version 1", t == HELLO and hp[:2] == b"\x00\x01", (t, hp))
    c.send(bytes.fromhex("00000022020300000001" "c096b102" "1a" + HEALTH.encode().hex() + "00" "0a00"))
    t, fl, sid, sp = c.read_frame()
    p.check("walk-through health check answered 00 00 00 06 04 02 ... 08 01",
            (t, fl, sid, sp) == (STATUS, 2, 1, bytes.fromhex("0000000008 01".replace(" ", ""))), (t, fl, sid, sp.hex()))
    c.close()

    hp_ok = hello_payload()
    p.expect_goaway("wrong magic: GOAWAY UNIMPLEMENTED", b"CCRQ" + frame(HELLO, 0, 0, hp_ok), C["UNIMPLEMENTED"], hello=False)
    p.expect_goaway("first frame a PING: GOAWAY INTERNAL", MAGIC + frame(PING, 0, 0, b"12345678"), C["INTERNAL"], hello=False)
    p.expect_goaway("HELLO on stream 1: GOAWAY INTERNAL", MAGIC + frame(HELLO, 0, 1, hp_ok), C["INTERNAL"], hello=False)
    p.expect_goaway("HELLO with a flag: GOAWAY INTERNAL", MAGIC + frame(HELLO, 1, 0, hp_ok), C["INTERNAL"], hello=False)
    p.expect_goaway("HELLO window 0: GOAWAY INTERNAL naming the minimum",
                    MAGIC + frame(HELLO, 0, 0, hello_payload(window=0)), C["INTERNAL"],
                    "HELLO initial window 0 is below the minimum of 1", hello=False)
    p.expect_goaway("HELLO max frame 16383: GOAWAY INTERNAL",
                    MAGIC + frame(HELLO, 0, 0, hello_payload(max_frame=16383)), C["INTERNAL"], "16384", hello=False)
    for kw, label in ((dict(window=1), "window 1"), (dict(max_frame=16384), "max frame 16384"),
                      (dict(window=0xFFFFFFFF, max_frame=0xFFFFFFFF), "window and max frame 2^32-1"),
                      (dict(versions=(7, 1, 2)), "versions 7, 1, 2"),
                      (dict(name="n" * 255), "name of 255 bytes"),
                      (dict(versions=tuple(range(1, 256))), "255 versions")):
        try:
            c = Conn(p.path, **kw)
            p.check("HELLO %s accepted, version 1 chosen" % label, c.version == 1, c.version)
            st = c.unary(HEALTH, f_str(1, ""))
            p.check("HELLO %s: a call works" % label, st.code == 0, st)
            c.close()
        except (Closed, TimeoutError) as e:
            p.check("HELLO %s accepted" % label, False, e)
    p.expect_goaway("HELLO name of 256 bytes: GOAWAY INTERNAL",
                    MAGIC + frame(HELLO, 0, 0, hello_payload(name="n" * 256)), C["INTERNAL"], hello=False)
    p.expect_goaway("HELLO version count 0: GOAWAY INTERNAL",
                    MAGIC + frame(HELLO, 0, 0, b"\x00" + hp_ok[3:]), C["INTERNAL"], hello=False)
    g = p.expect_goaway("no common version: GOAWAY UNIMPLEMENTED",
                        MAGIC + frame(HELLO, 0, 0, hello_payload(versions=(2, 3))), C["UNIMPLEMENTED"], hello=False)
    if isinstance(g, Goaway):
        p.check("no common version: message names both sides' versions",
                "2" in g.message and "3" in g.message and "1" in g.message, g.message)
        p.check("handshake refusal GOAWAY names last stream 0", g.last_stream == 0, g.last_stream)
    p.expect_goaway("HELLO payload 1025 bytes: GOAWAY INTERNAL from the header",
                    MAGIC + struct.pack(">IBBI", 1025, HELLO, 0, 0), C["INTERNAL"], "1024", hello=False)
    # A HELLO of exactly 1024 bytes is not refused for its size; with trailing bytes it is malformed or not?
    big = hello_payload(name="n" * 200)
    padded = big + b"\x00" * (1024 - len(big))
    c = Conn(p.path, hello=False)
    c.send(MAGIC + frame(HELLO, 0, 0, padded))
    t, fl, sid, pp = c.read_frame()
    p.check("HELLO of 1024 bytes, bytes after its client name: GOAWAY INTERNAL",
            t == GOAWAY and Goaway(pp).code == C["INTERNAL"] and "unexpected bytes after client HELLO" in Goaway(pp).message,
            (t, Goaway(pp) if t == GOAWAY else "HELLO"))
    c.close()
    # Truncated HELLO fields: a version count promising more than the payload holds.
    p.expect_goaway("HELLO whose version count runs past its payload: GOAWAY INTERNAL",
                    MAGIC + frame(HELLO, 0, 0, b"\x05\x00\x01"), C["INTERNAL"], hello=False)
    p.alive("handshake")


def frame_checks(p):
    p.section = "frames"
    pe = "protocol violation"
    p.expect_goaway("unknown frame type 0x0a", frame(0x0A, 0, 0, b""), C["INTERNAL"], pe)
    p.expect_goaway("unknown frame type 0xff on a stream", frame(0xFF, 0, 3, b"ab"), C["INTERNAL"], pe)
    p.expect_goaway("PING with flag END_STREAM", frame(PING, 1, 0, b"12345678"), C["INTERNAL"], pe)
    p.expect_goaway("CALL_START with flag 04", frame(CALL_START, 7, 1, varint(0) + pstr(HEALTH) + b"\x00" + f_str(1, "")), C["INTERNAL"], pe)
    p.expect_goaway("HELLO after the handshake", frame(HELLO, 0, 0, hello_payload()), C["INTERNAL"], pe)
    p.expect_goaway("STATUS from the client", frame(STATUS, 0, 1, b"\x00\x00\x00\x00"), C["INTERNAL"], pe)
    p.expect_goaway("CALL_START on stream 0", frame(CALL_START, 3, 0, varint(0) + pstr(HEALTH) + b"\x00"), C["INTERNAL"], pe)
    p.expect_goaway("MESSAGE on stream 0", frame(MESSAGE, 0, 0, b""), C["INTERNAL"], pe)
    p.expect_goaway("CANCEL on stream 0", frame(CANCEL, 0, 0, b""), C["INTERNAL"], pe)
    p.expect_goaway("WINDOW_UPDATE on stream 0", frame(WINDOW_UPDATE, 0, 0, struct.pack(">I", 5)), C["INTERNAL"], pe)
    p.expect_goaway("CANCEL with a payload", frame(CANCEL, 0, 1, b"x"), C["INTERNAL"], pe)
    p.expect_goaway("PING of 7 bytes", frame(PING, 0, 0, b"1234567"), C["INTERNAL"], pe)
    p.expect_goaway("PING of 9 bytes", frame(PING, 0, 0, b"123456789"), C["INTERNAL"], pe)
    p.expect_goaway("PING on stream 1", frame(PING, 0, 1, b"12345678"), C["INTERNAL"], pe)
    p.expect_goaway("WINDOW_UPDATE of 0", frame(WINDOW_UPDATE, 0, 1, struct.pack(">I", 0)), C["INTERNAL"], pe)
    p.expect_goaway("WINDOW_UPDATE of 3 bytes", frame(WINDOW_UPDATE, 0, 1, b"\x00\x00\x01"), C["INTERNAL"], pe)
    p.expect_goaway("WINDOW_UPDATE of 5 bytes", frame(WINDOW_UPDATE, 0, 1, b"\x00\x00\x00\x01\x00"), C["INTERNAL"], pe)
    p.expect_goaway("PING over the max frame size (from its header)",
                    struct.pack(">IBBI", 4194305, PING, 0, 0), C["INTERNAL"], pe)
    p.expect_goaway("GOAWAY over the max frame size", struct.pack(">IBBI", 4194305, GOAWAY, 0, 0), C["INTERNAL"], pe)
    # duplicate and decreasing stream ids
    c = Conn(p.path)
    st = c.unary(HEALTH, f_str(1, ""))
    c.start(HEALTH, f_str(1, ""), stream=1)
    got = next_goaway(c)
    p.check("CALL_START reusing stream 1: connection error", isinstance(got, Goaway) and got.code == C["INTERNAL"], got)
    if isinstance(got, Goaway):
        p.check("connection error GOAWAY names the last started stream (1)", got.last_stream == 1, got.last_stream)
    c.close()
    c = Conn(p.path)
    c.unary(HEALTH, f_str(1, ""), timeout_us=0)
    c.send(frame(CALL_START, 3, 8, varint(0) + pstr(HEALTH) + b"\x00" + f_str(1, "")))
    c.wait_status(8)
    c.start(HEALTH, f_str(1, ""), stream=4)
    got = next_goaway(c)
    p.check("CALL_START with stream 4 after 8: connection error", isinstance(got, Goaway) and got.code == C["INTERNAL"], got)
    c.close()

    # ignored frames
    c = Conn(p.path)
    c.send(frame(MESSAGE, 2, 99, b"\x08\x01"))
    c.send(frame(CANCEL, 0, 101, b""))
    c.send(frame(WINDOW_UPDATE, 0, 103, struct.pack(">I", 100)))
    c.send(frame(PONG, 0, 0, b"12345678"))
    c.send(frame(GOAWAY, 0, 0, b"\x00" + pstr("bye") + struct.pack(">I", 0)))
    p.still_open(c, "MESSAGE/CANCEL/WINDOW_UPDATE for unknown streams, PONG and GOAWAY from the client ignored")
    st = c.unary(HEALTH, f_str(1, ""))
    p.check("a call after the client's own GOAWAY is served", st.code == 0, st)
    c.close()

    # CALL_START payload faults: stream errors
    c = Conn(p.path)
    sid = c.new_stream()
    c.send(frame(CALL_START, 3, sid, varint(0) + varint(200) + HEALTH.encode()))
    p.expect_status("CALL_START whose method length lies: INTERNAL", c.wait_status(sid), C["INTERNAL"])
    sid = c.new_stream()
    c.send(frame(CALL_START, 3, sid, varint(0) + pstr(b"rpc.health.v1.Health/Ch\xffck") + b"\x00"))
    p.expect_status("CALL_START whose method is bad UTF-8: INTERNAL", c.wait_status(sid), C["INTERNAL"])
    sid = c.new_stream()
    c.send(frame(CALL_START, 3, sid, b"\xff" * 11 + pstr(HEALTH) + b"\x00"))
    p.expect_status("CALL_START whose timeout varint is 11 bytes: INTERNAL", c.wait_status(sid), C["INTERNAL"])
    sid = c.new_stream()
    c.send(frame(CALL_START, 3, sid, b"\x80\x00" + pstr(HEALTH) + b"\x80\x00" + f_str(1, "")))
    p.expect_status("non-shortest varints (timeout 80 00, metadata count 80 00) accepted", c.wait_status(sid), 0)
    sid = c.new_stream()
    c.send(frame(CALL_START, 3, sid, varint(0) + pstr(HEALTH)))
    p.expect_status("CALL_START without its metadata block: INTERNAL", c.wait_status(sid), C["INTERNAL"])
    p.expect_status("method name of 1024 bytes: UNIMPLEMENTED", c.unary("a/" + "b" * 1022), C["UNIMPLEMENTED"])
    p.expect_status("method name of 1025 bytes: INTERNAL", c.unary("a/" + "b" * 1023), C["INTERNAL"])
    p.expect_status("empty method name: UNIMPLEMENTED", c.unary(""), C["UNIMPLEMENTED"])
    p.expect_status("unknown method: UNIMPLEMENTED", c.unary("customer.v1.CustomerService/Nope", b""), C["UNIMPLEMENTED"])
    p.expect_status("unknown service: UNIMPLEMENTED", c.unary("nope.v1.Nope/Nope", b""), C["UNIMPLEMENTED"])
    sid = c.start(HEALTH, f_str(1, ""), flags=0)
    p.expect_status("unary CALL_START flags 00: INTERNAL", c.wait_status(sid), C["INTERNAL"])
    sid = c.start(HEALTH, f_str(1, ""), flags=2)
    p.expect_status("unary CALL_START flags 02 (no END_STREAM): INTERNAL", c.wait_status(sid), C["INTERNAL"])
    sid = c.start(HEALTH, f_str(1, ""), flags=1)
    p.expect_status("unary CALL_START flags 01 (no message): INTERNAL", c.wait_status(sid), C["INTERNAL"])
    p.still_open(c, "CALL_START payload faults")

    # metadata (section 7)
    md_cases = [
        ("64 entries", [("k%d" % i, "v") for i in range(64)], 0),
        ("65 entries", [("k%d" % i, "v") for i in range(65)], C["INTERNAL"]),
        ("key of 64 bytes", [("k" * 64, "v")], 0),
        ("key of 65 bytes", [("k" * 65, "v")], C["INTERNAL"]),
        # The block's 8192 bytes of keys and values are the one size limit: no value has its own.
        ("keys and values of 8192 bytes (a value of 8191)", [("k", "v" * 8191)], 0),
        ("a value of 8192 bytes (8193 with its key)", [("k", "v" * 8192)], C["INVALID_ARGUMENT"]),
        ("a value of 8193 bytes", [("k", "v" * 8193)], C["INVALID_ARGUMENT"]),
        ("keys and values of 8193 bytes together", [("k", "v" * 8191), ("j", "w")], C["INVALID_ARGUMENT"]),
        ("upper-case key", [("X-Trace", "1")], C["INVALID_ARGUMENT"]),
        ("empty key", [("", "1")], C["INVALID_ARGUMENT"]),
        ("key with a space", [("a b", "1")], C["INVALID_ARGUMENT"]),
        ("key of every allowed kind", [("az09-_.", "1")], 0),
        ("the same key twice", [("k", "1"), ("k", "2")], 0),
        ("value of bad UTF-8", [("k", b"\xff")], C["INTERNAL"]),
    ]
    for label, entries, code in md_cases:
        st = c.unary(HEALTH, f_str(1, ""), metadata=entries)
        p.expect_status("metadata %s: %s" % (label, CODES[code]), st, code)
        if code == C["INVALID_ARGUMENT"] and entries and entries[0][0] in ("X-Trace", "a b"):
            p.check("metadata %s: the message names the key" % label, entries[0][0] in st.message, st.message)
    p.still_open(c, "metadata")
    c.close()

    # PING / PONG
    c = Conn(p.path)
    c.send(frame(PING, 0, 0, b"\x00\xff\x01\xfe\x02\xfd\x03\xfc"))
    t, fl, sid, pl = c.read_frame()
    p.check("PING answered by PONG with its 8 bytes", (t, fl, sid, pl) == (PONG, 0, 0, b"\x00\xff\x01\xfe\x02\xfd\x03\xfc"), (t, fl, sid, pl))
    c.close()

    # oversized CALL_START and MESSAGE: stream errors, payload skipped
    c = Conn(p.path)
    sid = c.new_stream()
    body = varint(0) + pstr(HEALTH) + b"\x00"
    payload = body + f_bytes(99, b"\x00" * (4194305 - len(body) - 5))
    payload = payload + b"\x00" * (4194305 - len(payload))
    payload = payload[:4194305]
    c.send(frame(CALL_START, 3, sid, payload))
    p.expect_status("CALL_START of max frame + 1 bytes: RESOURCE_EXHAUSTED", c.wait_status(sid, 30), C["RESOURCE_EXHAUSTED"])
    p.still_open(c, "oversized CALL_START")
    sid = c.new_stream()
    pad = 4194304 - len(body)
    req = f_str(1, "") + f_bytes(99, b"")
    filler = f_bytes(98, b"\x00" * 10)
    # exactly max frame size: an unknown field filling the rest
    inner = pad - len(f_str(1, ""))
    n = inner - 1 - len(varint(inner))
    while len(f_bytes(15, b"\x00" * n)) < inner:
        n += 1
    while len(f_bytes(15, b"\x00" * n)) > inner:
        n -= 1
    msg = f_str(1, "") + f_bytes(15, b"\x00" * n)
    c.send(frame(CALL_START, 3, sid, body + msg))
    st = c.wait_status(sid, 30)
    p.expect_status("CALL_START of exactly max frame size (%d): served" % len(body + msg), st, 0)
    c.close()
    p.alive("frames")


def encoding_checks(p, ids):
    p.section = "encoding"
    c = Conn(p.path)
    unknown_all = (f_uint(100, 5) + f_fixed64raw(101, b"\x01" * 8) + f_bytes(102, b"zz")
                   + tag(103, 5) + b"\x01\x02\x03\x04" + f_uint(536870911, 1))
    p.expect_status("unknown fields of wire types 0, 1, 2, 5 and number 2^29-1 skipped",
                    c.unary(HEALTH, unknown_all + f_str(1, "")), 0)
    st = c.unary(HEALTH, b"")
    p.expect_status("health request empty (all fields optional) valid", st, 0)
    bad = [
        ("wire type 3", tag(5, 3)),
        ("wire type 4", tag(5, 4)),
        ("wire type 6", tag(5, 6) + b"\x00"),
        ("wire type 7", tag(5, 7) + b"\x00"),
        ("field number 0", tag(0, 0) + b"\x01"),
        ("field number 2^29", f_uint(536870912, 1)),
        ("varint of 11 bytes", tag(5, 0) + b"\xff" * 10 + b"\x01"),
        ("10th varint byte 02", tag(5, 0) + b"\xff" * 9 + b"\x02"),
        ("truncated varint", tag(5, 0) + b"\xff"),
        ("truncated fixed64", tag(5, 1) + b"\x00" * 7),
        ("truncated fixed32", tag(5, 5) + b"\x00" * 3),
        ("length past the end", tag(5, 2) + b"\x05ab"),
        ("string field as varint", f_uint(1, 1)),
        ("bad UTF-8 in the string", f_bytes(1, b"\xc3\x28")),
    ]
    for label, b in bad:
        st = c.unary(HEALTH, b)
        p.expect_status("%s: INVALID_ARGUMENT" % label, st, C["INVALID_ARGUMENT"], "cannot decode the request message")
    # repeated scalar: last wins; field order; merged messages
    cid, cid2 = ids["customer"], ids["customer2"]
    st = c.unary(CS + "GetCustomer", f_sint(1, cid2) + f_sint(1, cid))
    p.check("repeated scalar field: last value counts", st.code == 0 and get_sint(parse_msg(st.response), 1) == cid, st)
    st = c.unary(CS + "GetCustomer", f_sint(1, 999999999))
    p.expect_status("GetCustomer of no such id: NOT_FOUND with detail id", st, C["NOT_FOUND"], field="id")
    st = c.unary(CS + "GetCustomer", b"")
    p.expect_status("GetCustomer with neither id nor number: INVALID_ARGUMENT detail id", st, C["INVALID_ARGUMENT"], field="id")
    st = c.unary(CS + "GetCustomer", f_sint(1, cid) + f_sint(2, 1))
    p.expect_status("GetCustomer with both id and number: INVALID_ARGUMENT detail id", st, C["INVALID_ARGUMENT"], field="id")
    st = c.unary(CS + "CreateCustomer", f_bool(2, False) + f_bytes(1, f_str(8, "a@example.com")) + f_bytes(1, f_str(2, "Merged Oy")))
    ok = st.code == 0
    m = parse_msg(st.response) if ok else {}
    p.check("message field twice is merged; fields in any order", ok and get_str(m, 3) == "Merged Oy" and get_str(m, 9) == "a@example.com", st)
    st = c.unary(CS + "CreateCustomer", f_bool(2, False))
    p.expect_status("CreateCustomer without its singular fields: INVALID_ARGUMENT naming field 1", st, C["INVALID_ARGUMENT"], "field 1")
    st = c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "x")) + f_uint(2, 2))
    p.expect_status("bool of 2: INVALID_ARGUMENT", st, C["INVALID_ARGUMENT"], "bool")
    st = c.unary(CS + "ListCustomers", f_bytes(1, f_uint(1, 3)))
    p.expect_status("enum number with no case (status 3): INVALID_ARGUMENT", st, C["INVALID_ARGUMENT"], "not a value of the enum")
    st = c.unary(CS + "ListCustomers", f_bytes(1, f_uint(1, (1 << 64) - 1)))
    p.expect_status("enum number -1 (10 bytes): INVALID_ARGUMENT", st, C["INVALID_ARGUMENT"], "not a value of the enum")
    st = c.unary(CS + "ListCustomers", f_bytes(1, f_uint(1, 2)))
    p.expect_status("enum status all (plain varint 2): OK", st, 0)
    st = c.unary(CS + "ListCustomers", f_bytes(1, b"") + f_sint(2, 1 << 31))
    p.expect_status("sint32 limit 2^31: INVALID_ARGUMENT", st, C["INVALID_ARGUMENT"], "does not fit")
    st = c.unary(CS + "ListCustomers", f_bytes(1, b"") + f_sint(2, 1000))
    p.expect_status("limit 1000: OK", st, 0)
    st = c.unary(CS + "ListCustomers", f_bytes(1, b"") + f_sint(2, 1001))
    p.expect_status("limit 1001: INVALID_ARGUMENT detail limit", st, C["INVALID_ARGUMENT"], field="limit")
    st = c.unary(CS + "ListCustomers", f_bytes(1, b"") + f_sint(2, 0))
    p.expect_status("limit 0: INVALID_ARGUMENT detail limit", st, C["INVALID_ARGUMENT"], field="limit")
    st = c.unary(CS + "ListCustomers", f_bytes(1, b"") + f_sint(2, 1))
    p.expect_status("limit 1: OK", st, 0)
    # packed, unpacked, empty packed enum arrays (GetCustomerCardRequest.tabs)
    card = "customer.v1.CardService/GetCustomerCard"
    for label, tabs in (("packed", f_bytes(2, b"\x00\x04")), ("unpacked", f_uint(2, 0) + f_uint(2, 4)),
                        ("mixed", f_bytes(2, b"\x00") + f_uint(2, 4) + f_bytes(2, b"")), ("empty packed", f_bytes(2, b""))):
        st = c.unary(card, f_sint(1, cid) + tabs)
        p.expect_status("card tabs %s: OK" % label, st, 0)
        if label in ("packed", "unpacked", "mixed") and st.code == 0:
            m = parse_msg(st.response)
            p.check("card tabs %s: contact information and settings present" % label, 2 in m and 6 in m and 3 not in m, sorted(m))
    st = c.unary(card, f_sint(1, cid) + f_bytes(2, b"\x09"))
    p.expect_status("card tab 9 (packed): INVALID_ARGUMENT", st, C["INVALID_ARGUMENT"], "not a value of the enum")
    st = c.unary(card, f_sint(1, cid) + f_bytes(2, b"\x80"))
    p.expect_status("card tabs: truncated varint in a packed run: INVALID_ARGUMENT", st, C["INVALID_ARGUMENT"])
    # text enum: RefreshFromRegistry fields
    st = c.unary(CS + "RefreshFromRegistry", f_sint(1, cid) + f_str(2, "x") + f_bool(3, True))
    p.expect_status("text enum with no case: INVALID_ARGUMENT", st, C["INVALID_ARGUMENT"], "not a value of the enum")
    p.still_open(c, "encoding")
    c.close()
    p.alive("encoding")


# What --quick leaves out: the two sweeps, about 12 000 calls.
QUICK_SKIPS = ("sweep", "clientstreams", "edges", "grace")

SHAPE = "shape"
TS_MIN = -63113904000.0
TS_MAX = 252423993599.999


def timestamp_values():
    return [
        ("min", TS_MIN, True), ("max", TS_MAX, True), ("zero", 0.0, True), ("-0.0", -0.0, True),
        ("now", time.time() - 978307200, True),
        ("below min", TS_MIN - 0.001, False), ("above max", 252423993600.0, False),
        ("NaN", float("nan"), False), ("+inf", float("inf"), False), ("-inf", float("-inf"), False),
        ("1e300", 1e300, False), ("-1e300", -1e300, False), ("max double", sys.float_info.max, False),
        ("subnormal", 5e-324, True), ("9.3e15 (ms overflow edge)", 9.3e15, False),
        ("-9.3e15", -9.3e15, False), ("2^63", 2.0 ** 63, False),
        ("signalling NaN", struct.unpack("<d", b"\x01\x00\x00\x00\x00\x00\xf0\x7f")[0], False),
        ("negative NaN", struct.unpack("<d", b"\x00\x00\x00\x00\x00\x00\xf8\xff")[0], False),
    ]


def value_checks(p, ids, users):
    """Timestamps, dates, months, decimals at their extremes and malformed, in every method that
    takes one, as an Administrator, a Read-only user and a uid that is no user."""
    p.section = "values"
    cid, pid, tid = ids["customer"], ids["project"], ids["task"]
    AS = "customer.v1.ActivityService/"
    ts_methods = [
        ("ListCustomers query.changedSince", CS + "ListCustomers", lambda raw: f_bytes(1, f_fixed64raw(5, raw)), False),
        ("AddTask dueDate", AS + "AddTask", lambda raw: f_sint(1, cid) + f_str(2, "t") + f_fixed64raw(3, raw), True),
        ("AddEvent startsAt", AS + "AddEvent", lambda raw: f_sint(1, cid) + f_str(2, "e") + f_fixed64raw(3, raw) + f_double(4, TS_MAX), True),
        ("AddEvent endsAt", AS + "AddEvent", lambda raw: f_sint(1, cid) + f_str(2, "e") + f_double(3, -63113904000.0) + f_fixed64raw(4, raw), True),
        ("UpdateActivity dueDate", AS + "UpdateActivity", lambda raw: f_sint(1, tid) + f_fixed64raw(4, raw), True),
        ("UpdateActivity startsAt", AS + "UpdateActivity", lambda raw: f_sint(1, ids["event"]) + f_fixed64raw(5, raw) + f_double(6, TS_MAX), True),
        ("UpdateActivity endsAt", AS + "UpdateActivity", lambda raw: f_sint(1, ids["event"]) + f_double(5, TS_MIN) + f_fixed64raw(6, raw), True),
    ]
    stream_ts = [
        ("StreamCustomers query.changedSince", CS + "StreamCustomers"),
        ("ExportCustomers query.changedSince", CS + "ExportCustomers"),
        ("SnapshotCustomers query.changedSince", "customer.v1.ChangeFeedService/SnapshotCustomers"),
    ]
    for who, uid in users:
        c = p.conn(uid)
        for label, value, valid in timestamp_values():
            raw = struct.pack("<d", value)
            for mlabel, method, build, write in ts_methods:
                st = c.unary(method, build(raw))
                if who == "nobody":
                    p.expect_status("%s %s as %s: UNAUTHENTICATED" % (mlabel, label, who), st, C["UNAUTHENTICATED"])
                elif who == "readonly" and write:
                    # Refused either way; a valid value is PERMISSION_DENIED, an invalid one may be
                    # INVALID_ARGUMENT first. Never anything else.
                    ok = st.code == C["PERMISSION_DENIED"] or (valid is not True and st.code == C["INVALID_ARGUMENT"])
                    p.check("%s %s as %s: refused" % (mlabel, label, who), ok, st)
                elif valid:
                    p.check("%s %s as %s: accepted" % (mlabel, label, who), st.code == 0, st)
                else:
                    ok = st.code == C["INVALID_ARGUMENT"] and any(f and (f.endswith("changedSince") or f in mlabel) for f, _ in st.details)
                    p.check("%s %s as %s: INVALID_ARGUMENT naming the field" % (mlabel, label, who), ok, st)
            for mlabel, method in stream_ts:
                sid = c.start(method, f_bytes(1, f_fixed64raw(5, raw)))
                msgs = []
                st = c.wait_status(sid, 10, msgs)
                if who == "nobody":
                    p.expect_status("%s %s as %s: UNAUTHENTICATED" % (mlabel, label, who), st, C["UNAUTHENTICATED"])
                elif valid:
                    p.check("%s %s as %s: OK" % (mlabel, label, who), st.code == 0, st)
                else:
                    p.expect_status("%s %s as %s: INVALID_ARGUMENT" % (mlabel, label, who), st, C["INVALID_ARGUMENT"], field="query.changedSince")
            if p.proc is not None and p.proc.poll() is not None:
                p.alive("timestamp %s as %s" % (label, who))
        c.close()
        p.alive("timestamps as %s" % who)

    # calendar dates, months and decimals (as the Administrator; a read-only user and a non-user
    # must be refused without harm)
    PS = "customer.v1.ProjectService/"
    CO = "customer.v1.CollaborationService/"
    FS = "customer.v1.FinancialService/"
    dates = [("2024-02-29", True), ("1000-01-01", True), ("9999-12-31", True), ("2023-02-29", False),
             ("0999-12-31", False), ("10000-01-01", False), ("2024-1-01", False), ("2024-13-01", False),
             ("2024-00-10", False), ("2024-01-32", False), ("2024-01-00", False), ("", True), ("  ", True),
             ("2024-01-01T00:00:00Z", False), ("+024-01-01", False), ("２０２４-01-01", False),
             ("2024-01-01 ", True), (" 2024-01-01", True), ("-001-01-01", False), ("2024/01/01", False)]
    date_methods = [
        ("AddProjectTask dueOn", CO + "AddProjectTask", lambda v: f_sint(1, pid) + f_str(2, "pt") + f_str(4, v)),
        ("CreateProject startsOn", PS + "CreateProject", lambda v: f_sint(1, cid) + f_uint(2, 1) + f_bytes(3, f_str(1, "p") + f_str(10, v))),
        ("CreateProject endsOn", PS + "CreateProject", lambda v: f_sint(1, cid) + f_uint(2, 1) + f_bytes(3, f_str(1, "p") + f_str(11, v))),
        ("CreateProject expectedClose", PS + "CreateProject", lambda v: f_sint(1, cid) + f_uint(2, 0) + f_bytes(3, f_str(1, "p") + f_str(6, v))),
        ("UpdateProject startsOn", PS + "UpdateProject", lambda v: f_sint(1, pid) + f_bytes(3, f_str(10, v))),
    ]
    months = [("2024-01", True), ("1000-01", True), ("9999-12", True), ("0999-12", False), ("2024-13", False),
              ("2024-00", False), ("2024-1", False), ("10000-01", False), ("2024-01-01", False)]
    # a blank month is no month (none, or cleared): the summary is unbounded; not a month to set
    month_blank = [("", True), (" ", True)]
    month_methods = [
        ("SetForecast month", FS + "SetForecast", lambda v: f_sint(1, pid) + f_str(2, v) + f_str(3, "1") + f_str(4, "1") + f_str(5, "1") + f_str(6, "1")),
        ("GetFinancialSummary from", FS + "GetFinancialSummary", lambda v: f_sint(1, cid) + f_str(2, v)),
        ("GetFinancialSummary to", FS + "GetFinancialSummary", lambda v: f_sint(1, cid) + f_str(3, v)),
        ("GetCustomerCard from", "customer.v1.CardService/GetCustomerCard", lambda v: f_sint(1, cid) + f_bytes(2, b"\x03") + f_str(3, v)),
        ("GetCustomerCard to", "customer.v1.CardService/GetCustomerCard", lambda v: f_sint(1, cid) + f_bytes(2, b"\x03") + f_str(4, v)),
    ]
    # False: of the decimal shape but outside the range (a detail names the field);
    # SHAPE: not of the shape -?[0-9]+(\.[0-9]+)?, or of it but more than a Decimal holds exactly
    # (ENCODING.md §2: a decoding error naming the field number).
    money = [("0", True), ("1", True), ("-0", True), ("999999999999999.9999", True), ("1000000000000000", False),
             ("0.0001", True), ("0.00001", False), ("1.50000", True), ("NaN", False), ("1e5", SHAPE), ("+1", SHAPE),
             ("1.", SHAPE), (".5", SHAPE), ("", SHAPE), (" 1", SHAPE), ("1,5", SHAPE), ("١", SHAPE),
             ("-1", False), ("9" * 38, False), ("9" * 39, SHAPE), ("1." + "0" * 40 + "1", SHAPE), ("0." + "0" * 3 + "1" + "0" * 60, True),
             ("0" * 100 + "1", True), ("inf", SHAPE), ("-", SHAPE), ("--1", SHAPE), ("1.2.3", SHAPE)]
    money_methods = [
        ("SetForecast revenue", FS + "SetForecast", lambda v: f_sint(1, pid) + f_str(2, "2024-05") + f_str(3, v) + f_str(4, "1") + f_str(5, "1") + f_str(6, "1")),
        ("SetForecast hours", FS + "SetForecast", lambda v: f_sint(1, pid) + f_str(2, "2024-05") + f_str(3, "1") + f_str(4, "1") + f_str(5, "1") + f_str(6, v)),
        ("CreateProject expectedValue", PS + "CreateProject", lambda v: f_sint(1, cid) + f_uint(2, 0) + f_bytes(3, f_str(1, "p") + f_str(4, v) + f_str(5, "EUR"))),
    ]
    invoice = [("-1", True), ("-999999999999999.9999", True), ("-1000000000000000", False), ("-0.00001", False)]
    vat = [("0", True), ("100", True), ("24.5", True), ("100.0001", False), ("-1", False), ("-0", True),
           ("12.34567", False), ("NaN", False), ("1e1", SHAPE)]
    SS = "customer.v1.SettingsService/"
    IS = "customer.v1.InvoiceService/"
    groups = [(date_methods, dates), (month_methods, months), (month_methods[1:], month_blank),
              (month_methods[:1], [("", False)]), (money_methods, money),
              ([("IssueInvoice total", IS + "IssueInvoice", lambda v: f_sint(1, cid) + f_str(3, v) + f_str(4, "EUR"))], money[:3] + invoice),
              ([("UpdateSettings vatRate", SS + "UpdateSettings", lambda v: f_sint(1, cid) + f_bytes(3, f_str(7, v)))], vat)]
    for who, uid in users:
        c = p.conn(uid)
        for methods, values in groups:
            for mlabel, method, build in methods:
                for v, valid in values:
                    st = c.unary(method, build(v))
                    name = "%s %r as %s" % (mlabel, v[:40], who)
                    fieldname = mlabel.split()[-1]
                    if who == "nobody":
                        p.expect_status(name + ": UNAUTHENTICATED", st, C["UNAUTHENTICATED"])
                    elif who == "readonly":
                        readonly_may = method.endswith(("GetFinancialSummary", "GetCustomerCard"))
                        if readonly_may:
                            ok = st.code in (C["PERMISSION_DENIED"], 0) if valid is True else st.code in (C["PERMISSION_DENIED"], C["INVALID_ARGUMENT"], 0)
                        else:
                            ok = st.code == C["PERMISSION_DENIED"] or (valid is not True and st.code == C["INVALID_ARGUMENT"])
                        p.check(name + ": refused or served, never harmed", ok, st)
                    elif valid is SHAPE:
                        ok = st.code == C["INVALID_ARGUMENT"] and "cannot decode the request message" in st.message
                        p.check(name + ": INVALID_ARGUMENT, cannot decode", ok, st)
                    elif valid:
                        p.check(name + ": accepted", st.code == 0, st)
                    else:
                        ok = st.code == C["INVALID_ARGUMENT"] and any(f == fieldname for f, _ in st.details)
                        p.check(name + ": INVALID_ARGUMENT naming %s" % fieldname, ok, st)
            p.alive("%s as %s" % (methods[0][0], who))
        c.close()


def stream_checks(p, ids):
    p.section = "streams"
    FEED = "customer.v1.ChangeFeedService/WatchChanges"
    c = Conn(p.path)
    # a server stream stays open: MESSAGE with a message on it is a stream error
    sid = c.start(FEED, b"")
    c.send(frame(MESSAGE, 1, sid, b""))
    p.still_open(c, "bare END_STREAM on an open server stream ignored")
    c.send(frame(MESSAGE, 2, sid, b""))
    p.expect_status("MESSAGE with a message on a server stream: INTERNAL", c.wait_status(sid), C["INTERNAL"])
    # CANCEL: no STATUS
    sid = c.start(FEED, b"")
    c.send(frame(CANCEL, 0, sid, b""))
    sid2 = c.start(HEALTH, f_str(1, ""))
    got = []
    try:
        while True:
            t, fl, s, pl = c.read_frame(3)
            got.append((t, s))
            if t == STATUS and s == sid2:
                break
        c.read_frame(1, expect_nothing=True)
        got.append("more")
    except TimeoutError:
        pass
    p.check("CANCEL: no STATUS for the cancelled stream", (STATUS, sid) not in got, got)
    # deadline on a stream that would never end
    sid = c.start(FEED, b"", timeout_us=300_000)
    t0 = time.monotonic()
    st = c.wait_status(sid, 30)
    p.expect_status("WatchChanges with a 300 ms timeout: DEADLINE_EXCEEDED", st, C["DEADLINE_EXCEEDED"])
    p.check("... answered after the deadline, not before", time.monotonic() - t0 >= 0.25, time.monotonic() - t0)
    sid = c.start(FEED, b"", timeout_us=(1 << 64) - 1)
    c.send(frame(CANCEL, 0, sid, b""))
    p.still_open(c, "timeout 2^64-1 accepted")
    for big in ((1 << 63) - 1, 1 << 63, (1 << 64) - 2, (1 << 64) - 1, 10 ** 18, 1 << 44):
        p.expect_status("health check with timeout %d µs: OK" % big, c.unary(HEALTH, f_str(1, ""), timeout_us=big), 0)
        p.expect_status("GetCustomer with timeout %d µs: OK" % big, c.unary(CS + "GetCustomer", f_sint(1, ids["customer"]), timeout_us=big), 0)
    sid = c.start(HEALTH, f_str(1, ""), timeout_us=1)
    st = c.wait_status(sid)
    p.check("timeout of 1 µs: OK or DEADLINE_EXCEEDED", st.code in (0, C["DEADLINE_EXCEEDED"]), st)
    c.close()

    # concurrent-call limit announced in HELLO
    c = Conn(p.path)
    n = c.max_calls
    sids = [c.start(FEED, b"") for _ in range(n)]
    extra = c.start(FEED, b"")
    st = c.wait_status(extra, 10)
    p.expect_status("call %d over the HELLO's max concurrent calls (%d): RESOURCE_EXHAUSTED" % (n + 1, n), st, C["RESOURCE_EXHAUSTED"])
    for s in sids:
        c.send(frame(CANCEL, 0, s, b""))
    time.sleep(0.2)
    st = c.unary(HEALTH, f_str(1, ""))
    p.expect_status("after cancelling them a call is served", st, 0)
    c.close()

    # flow control: a 1-byte window lets one MESSAGE through, then WINDOW_UPDATE more
    c = Conn(p.path, window=1)
    sid = c.start(CS + "StreamCustomers", f_bytes(1, f_uint(1, 2)))
    first = c.read_frame()
    p.check("window 1: the first MESSAGE comes", first[0] == MESSAGE and first[2] == sid, first[:3])
    try:
        nxt = c.read_frame(1.0, expect_nothing=True)
        p.check("window 1: no second MESSAGE before WINDOW_UPDATE", nxt[0] == STATUS, nxt[:3])
    except TimeoutError:
        p.check("window 1: no second MESSAGE before WINDOW_UPDATE", True)
        c.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 1 << 20)))
        msgs = []
        st = c.wait_status(sid, 10, msgs)
        p.check("window 1: after WINDOW_UPDATE the stream ends OK", st.code == 0 and len(msgs) >= 1, (st, len(msgs)))
    c.close()

    # client streaming: ImportCustomers dry run, MESSAGE after END_STREAM
    c = Conn(p.path)
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, 2, sid, f_bytes(1, f_bool(1, True))))
    c.send(frame(MESSAGE, 3, sid, f_bytes(2, f_sint(1, 1) + f_bytes(2, f_str(2, "Dry Oy")))))
    st = c.wait_status(sid)
    p.check("ImportCustomers dry run of one row: OK, dryRun", st.code == 0 and st.response is not None, st)
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, 1, sid, b""))
    st = c.wait_status(sid)
    p.expect_status("ImportCustomers ended before its first message: INVALID_ARGUMENT on options", st, C["INVALID_ARGUMENT"], field="options")
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, 2, sid, f_bytes(2, f_bytes(2, f_str(2, "No options Oy")))))
    c.send(frame(MESSAGE, 1, sid, b""))
    st = c.wait_status(sid)
    p.check("ImportCustomers whose first message has no options: the defaults (imported)", st.code == 0 and get_sint(parse_msg(st.response), 2) == 1, st)
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, 2, sid, f_bytes(1, f_bool(1, True))))
    c.send(frame(MESSAGE, 3, sid, f_bytes(1, f_bool(1, True))))
    st = c.wait_status(sid)
    p.expect_status("ImportCustomers with options in a later message: INVALID_ARGUMENT on options", st, C["INVALID_ARGUMENT"], field="options")
    c.close()
    p.alive("streams")


def permission_checks(p, ids, users):
    p.section = "permissions"
    for who, uid in users:
        if who == "admin":
            continue
        c = p.conn(uid)
        st = c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, "Nope Oy")))
        if who == "nobody":
            p.expect_status("CreateCustomer as no user: UNAUTHENTICATED", st, C["UNAUTHENTICATED"], "customerctl users add")
            st = c.unary("customer.v1.UserService/WhoAmI", b"")
            p.expect_status("WhoAmI as no user: UNAUTHENTICATED", st, C["UNAUTHENTICATED"])
            st = c.unary("rpc.info.v1.ServerInfo/GetServerInfo", b"")
            m = parse_msg(st.response) if st.code == 0 else {}
            p.check("GetServerInfo as no user: served, statistics withheld", st.code == 0 and get_uint(m, 22) == 1 and 13 not in m and 14 not in m, (st, sorted(m)))
        else:
            p.expect_status("CreateCustomer as Read only: PERMISSION_DENIED right editCustomers", st, C["PERMISSION_DENIED"], field="right")
            st = c.unary(CS + "GetCustomer", f_sint(1, ids["customer"]))
            p.expect_status("GetCustomer as Read only: OK", st, 0)
            st = c.unary(CS + "ListCustomers", f_bytes(1, b""), metadata=[("acting-for", "admin")])
            p.expect_status("acting-for from an untrusted user: PERMISSION_DENIED", st, C["PERMISSION_DENIED"])
        c.close()
    c = Conn(p.path)
    st = c.unary(CS + "ListCustomers", f_bytes(1, b""), metadata=[("acting-for", "ro"), ("acting-for", "ro")])
    p.expect_status("acting-for twice from a user that is no trusted service: PERMISSION_DENIED detail acting-for", st, C["PERMISSION_DENIED"], field="acting-for")
    for key, code in (("ok-key_1.2:3", 0), ("k" * 128, 0), ("k" * 129, C["INVALID_ARGUMENT"]), ("bad key", C["INVALID_ARGUMENT"]), ("é", C["INVALID_ARGUMENT"])):
        st = c.unary("customer.v1.LabelService/CreateLabel", f_uint(1, 0) + f_str(2, "kw%d" % len(key) + key[:3].replace(" ", "_")), metadata=[("idempotency-key", key)])
        if code:
            p.expect_status("idempotency-key %r: INVALID_ARGUMENT" % key[:20], st, code, field="idempotency-key")
        else:
            p.expect_status("idempotency-key %r: OK" % key[:20], st, 0)
    req = f_uint(1, 0) + f_str(2, "replayed")
    a = c.unary("customer.v1.LabelService/CreateLabel", req, metadata=[("idempotency-key", "same-1")])
    b = c.unary("customer.v1.LabelService/CreateLabel", req, metadata=[("idempotency-key", "same-1")])
    p.check("idempotent retry: the same answer byte for byte", a.code == 0 and b.code == 0 and a.response == b.response, (a, b))
    d = c.unary("customer.v1.LabelService/CreateLabel", f_uint(1, 0) + f_str(2, "other"), metadata=[("idempotency-key", "same-1")])
    p.expect_status("another request under a used key: FAILED_PRECONDITION", d, C["FAILED_PRECONDITION"], field="idempotency-key")
    c.close()
    p.alive("permissions")



# ---------------------------------------------------------------- a sweep driven by reflection

REFLECT = "rpc.reflection.v1.Reflection/DescribeServices"
INT_TYPES = {"sint64": (-(1 << 63), (1 << 63) - 1), "sint32": (-(1 << 31), (1 << 31) - 1),
             "sint16": (-(1 << 15), (1 << 15) - 1), "sint8": (-128, 127),
             "uint64": (0, (1 << 64) - 1), "uint32": (0, (1 << 32) - 1), "uint16": (0, 65535), "uint8": (0, 255)}


class Schema:
    """What DescribeServices answers (PROTOCOL.md §12): methods, messages, enums."""

    def __init__(self, response):
        m = parse_msg(response)
        self.methods = []
        for _, sv in m.get(1, []):
            sm = parse_msg(sv)
            for _, mv in sm.get(2, []):
                mm = parse_msg(mv)
                self.methods.append((get_str(sm, 1), get_str(mm, 1), get_uint(mm, 2) or 0, get_str(mm, 3), get_str(mm, 6) or ""))
        self.messages = {}
        for _, mv in m.get(2, []):
            mm = parse_msg(mv)
            fields = []
            for _, fv in mm.get(2, []):
                fm = parse_msg(fv)
                fields.append(dict(number=get_uint(fm, 1), name=get_str(fm, 2), label=get_uint(fm, 3) or 0,
                                   type=get_str(fm, 4), wire=get_uint(fm, 6) or 0))
            self.messages[get_str(mm, 1)] = fields
        self.enums = {}
        for _, ev in m.get(3, []):
            em = parse_msg(ev)
            values = []
            for _, vv in em.get(2, []):
                vm = parse_msg(vv)
                values.append(unzz(get_uint(vm, 2)) if 2 in vm else get_str(vm, 3))
            self.enums[get_str(em, 1)] = values

    def scalar(self, ftype, name, ids):
        if ftype in INT_TYPES:
            if ftype.startswith("sint"):
                if name in ("customerId", "keepId"):
                    return ids["customer"]
                if name == "absorbId":
                    return ids["customer2"]
                if name == "projectId":
                    return ids["project"]
                if name == "id":
                    return ids["customer"]
                return 1
            return 1
        return {"string": "x", "bytes": b"", "bool": 0, "double": 0.0, "float": 0.0, "timestamp": 0.0,
                "decimal": "1", "uuid": b"\x00" * 16, "url": "http://example.com"}.get(ftype)

    def encode_value(self, number, ftype, wire, value):
        if ftype in INT_TYPES:
            return f_sint(number, value) if ftype.startswith("sint") else f_uint(number, value)
        if ftype == "bool":
            return f_uint(number, value)
        if ftype in ("double", "timestamp"):
            return f_double(number, value) if not isinstance(value, bytes) else f_fixed64raw(number, value)
        if ftype == "float":
            return tag(number, 5) + struct.pack("<f", value)
        if ftype in self.enums:
            return f_uint(number, value & ((1 << 64) - 1)) if isinstance(value, int) else f_str(number, value)
        if ftype in self.messages:
            return f_bytes(number, value)
        return f_str(number, value)

    def build(self, name, ids, depth=0, override=None, path=""):
        """The message with every singular field set; `override` maps a dotted field path to a value."""
        out = b""
        for f in self.messages.get(name, []):
            fpath = path + f["name"]
            present = f["label"] == 0 or (override is not None and any(k == fpath or k.startswith(fpath + ".") for k in override))
            if not present or f["label"] in (2, 3) and not (override and fpath in override):
                if not (override and fpath in override):
                    continue
            t = f["type"]
            if override is not None and fpath in override:
                value = override[fpath]
            elif t in self.messages:
                value = self.build(t, ids, depth + 1, override, fpath + ".") if depth < 6 else b""
            elif t in self.enums:
                value = self.enums[t][0]
            else:
                value = self.scalar(t, f["name"], ids)
            if value is None:
                continue
            out += self.encode_value(f["number"], t, f["wire"], value)
        return out

    def leaf_fields(self, name, depth=0, path=""):
        """(dotted path, type, label) of every field reachable (messages up to 3 deep)."""
        for f in self.messages.get(name, []):
            t = f["type"]
            if t in self.messages:
                if depth < 3 and f["label"] in (0, 1):
                    yield from self.leaf_fields(t, depth + 1, path + f["name"] + ".")
            else:
                yield path + f["name"], t, f["label"]


def extremes(ftype, schema):
    if ftype in INT_TYPES:
        lo, hi = INT_TYPES[ftype]
        vals = {lo, hi, 0, -1 if lo < 0 else 1, hi - 1, lo + 1 if lo < 0 else 2}
        return sorted(vals)
    if ftype == "timestamp":
        return [float("nan"), float("inf"), float("-inf"), 1e300, -1e300, TS_MIN, TS_MAX, TS_MAX + 1, 9.3e15, -9.3e15, 5e-324]
    if ftype == "decimal":
        return ["9" * 38, "9" * 39, "9" * 200, "-" + "9" * 60, "0." + "0" * 200 + "1", "1" + "0" * 300,
                "0.99999999999999999999999999999999999999999", "-0", "NaN", "0" * 5000 + "1"]
    if ftype == "string":
        return ["", " ", "\x00", "\x1b[2J", "a" * 100000, "\u2028", "e\u0301" * 150, "\U0001F600" * 300,
                "-1", "9" * 30, "2024-02-30", "0000-00-00", "%s%n", "'; DROP TABLE customers; --"]
    if ftype in schema.enums:
        return [(1 << 63) - 1, 1 << 63, 99, "zz"] if schema.enums[ftype] and isinstance(schema.enums[ftype][0], str) is False else ["zz", ""]
    if ftype == "bool":
        return [1]
    if ftype == "bytes":
        return [b"\x00" * 100000]
    return []


def fresh_customer(p, name):
    c = Conn(p.path)
    st = c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, name)))
    c.close()
    return get_sint(parse_msg(st.response), 1)


def client_stream_checks(p, ids, users):
    """The client streams: ImportCustomers rows and UploadFile headers at their extremes."""
    p.section = "client streams"
    c = Conn(p.path)
    schema = Schema(c.unary(REFLECT, b"").response)
    c.close()
    for who, uid in users:
        c = p.conn(uid)

        def stream(method, messages, label):
            """A client stream of `messages` (the last with END_STREAM): its STATUS, or None when the
            connection failed (then the server must still serve others)."""
            nonlocal c
            sid = c.start(method, flags=0)
            try:
                for i, m in enumerate(messages):
                    c.send(frame(MESSAGE, 3 if i == len(messages) - 1 else 2, sid, m))
                st = c.wait_status(sid, 30)
            except (Closed, TimeoutError, OSError) as e:
                p.check("%s as %s: answered" % (label, who), False, e)
                p.alive(label)
                c = p.conn(uid)
                return None
            p.check_limits(st)
            return st

        for fpath, ftype, label in schema.leaf_fields("CustomerRecord"):
            for v in extremes(ftype, schema):
                if isinstance(v, str) and ftype in schema.enums:
                    continue
                row = schema.build("CustomerRecord", ids, override={fpath: v, "fields.name": "Row Oy"} if fpath != "fields.name" else {fpath: v})
                for dry in (True, False):
                    name = "ImportCustomers row %s=%r dry=%s" % (fpath, repr(v)[:30], dry)
                    st = stream(CS + "ImportCustomers", [f_bytes(1, f_bool(1, dry) + f_bool(2, True)), f_bytes(2, row)], name)
                    if st is None:
                        continue
                    bad = st.code in (C["INTERNAL"], C["UNKNOWN"]) or (who == "nobody" and st.code != C["UNAUTHENTICATED"]) \
                        or (who == "readonly" and st.code != C["PERMISSION_DENIED"] and st.code != C["INVALID_ARGUMENT"])
                    p.check("%s as %s: no INTERNAL, refused for non-editors" % (name, who), not bad, st)
        for fpath, ftype, label in schema.leaf_fields("UploadFileMessage.Header"):
            for v in extremes(ftype, schema):
                header = schema.build("UploadFileMessage.Header", ids, override={fpath: v})
                name = "UploadFile header %s=%r" % (fpath, repr(v)[:30])
                st = stream("customer.v1.FileService/UploadFile", [f_bytes(1, header), f_bytes(2, b"hello")], name)
                if st is not None:
                    p.check("%s as %s: refused, no INTERNAL" % (name, who), st.code not in (C["INTERNAL"], C["UNKNOWN"], 0), st)
        c.close()
        p.alive("client streams as %s" % who)


def sweep_checks(p, ids, users):
    """Every unary and server-streaming method of the API, every field it reaches, each at its
    extremes, as every kind of caller: nothing may kill the server or answer INTERNAL/UNKNOWN."""
    p.section = "sweep"
    c = Conn(p.path)
    st = c.unary(REFLECT, b"")
    p.expect_status("DescribeServices of every service: OK", st, 0)
    schema = Schema(st.response)
    st2 = c.unary(REFLECT, f_str(1, "nope.v1.Nope"))
    p.expect_status("DescribeServices of an unknown service: NOT_FOUND", st2, C["NOT_FOUND"])
    c.close()
    skip = {"Backup"}
    calls = 0
    hist = {}
    bad = []
    for who, uid in users:
        c = p.conn(uid)
        for service, method, kind, req, summary in schema.methods:
            if kind not in (0, 1) or method in skip or service.startswith("rpc."):
                continue
            full = "%s/%s" % (service, method)
            for fpath, ftype, label in schema.leaf_fields(req):
                for v in extremes(ftype, schema):
                    if isinstance(v, str) and ftype in schema.enums and isinstance(schema.enums[ftype][0], int):
                        continue
                    use = ids
                    if method in ("DeleteCustomer", "MergeCustomers") and who == "admin":
                        # a customer of its own, so the rest of the sweep keeps its records
                        use = dict(ids, customer=fresh_customer(p, "Victim Oy"), customer2=fresh_customer(p, "Victim Two Oy"))
                    body = schema.build(req, use, override={fpath: v})
                    try:
                        sid = c.start(full, body, timeout_us=5_000_000)
                        msgs = []
                        st = c.wait_status(sid, 30, msgs)
                    except (Closed, TimeoutError, OSError) as e:
                        p.check("%s %s=%r as %s: answered" % (full, fpath, v if not isinstance(v, (str, bytes)) or len(v) < 40 else "%s…(%d)" % (v[:10], len(v)), who), False, e)
                        p.alive("%s %s" % (full, fpath))
                        c = p.conn(uid)
                        continue
                    calls += 1
                    hist[(who, st.name)] = hist.get((who, st.name), 0) + 1
                    if os.environ.get("PROBE_TRACE"):
                        print("   ", who, full, fpath, repr(v)[:40], st)
                    if st.code in (C["INTERNAL"], C["UNKNOWN"]) or (who == "nobody" and st.code not in (C["UNAUTHENTICATED"], C["INVALID_ARGUMENT"])):
                        shown = v if not isinstance(v, (str, bytes)) or len(v) < 40 else "%s…(%d)" % (v[:10], len(v))
                        bad.append((full, fpath, shown, who, st))
                        p.check("%s %s=%r as %s: no INTERNAL" % (full, fpath, shown, who), False, st)
                    p.check_limits(st)
            if p.proc is not None and p.proc.poll() is not None:
                p.alive(full)
        c.close()
        p.alive("sweep as %s" % who)
    print("  sweep: %d calls: %s" % (calls, ", ".join("%s %s %d" % (w, n, k) for (w, n), k in sorted(hist.items()))))

def misc_checks(p, ids, users):
    p.section = "misc"
    # handshake timeout: magic and half a HELLO, then silence
    c = Conn(p.path, hello=False)
    c.send(MAGIC + frame(HELLO, 0, 0, hello_payload())[:12])
    t0 = time.monotonic()
    try:
        t, fl, sid, pl = c.read_frame(30)
        g = Goaway(pl) if t == GOAWAY else (t, pl)
    except (Closed, TimeoutError) as e:
        g = e
    p.check("half a HELLO then silence: GOAWAY DEADLINE_EXCEEDED after the 5 s handshake timeout",
            isinstance(g, Goaway) and g.code == C["DEADLINE_EXCEEDED"] and time.monotonic() - t0 >= 4, (g, time.monotonic() - t0))
    c.close()
    # UTF-8 in the HELLO's client name, and in a client's GOAWAY
    p.expect_goaway("HELLO client name of bad UTF-8: GOAWAY INTERNAL",
                    MAGIC + frame(HELLO, 0, 0, hello_payload(name=b"\xff\xfe".decode("latin-1"))[:-2] + b"\xff\xfe"), C["INTERNAL"], hello=False)
    c = Conn(p.path)
    c.send(frame(GOAWAY, 0, 0, b"\x00" + pstr(b"\xff") + struct.pack(">I", 0)))
    p.still_open(c, "client GOAWAY with a bad UTF-8 message ignored")
    c.close()
    # a truncated frame, then close: no harm
    c = Conn(p.path)
    c.send(struct.pack(">IBBI", 100, CALL_START, 3, 1) + b"abc")
    c.close()
    # the largest stream id
    c = Conn(p.path)
    sid = c.start(HEALTH, f_str(1, ""), stream=0xFFFFFFFF)
    p.expect_status("stream id 2^32-1: served", c.wait_status(sid), 0)
    c.close()
    # health of services
    c = Conn(p.path)
    st = c.unary(HEALTH, f_str(1, "customer.v1.CustomerService"))
    p.check("health of customer.v1.CustomerService: SERVING", st.code == 0 and parse_msg(st.response).get(1, [(0, 0)])[0][1] == 1, st)
    st = c.unary(HEALTH, f_str(1, "nope.v1.Nope"))
    p.check("health of an unknown service: SERVICE_UNKNOWN", st.code == 0 and parse_msg(st.response).get(1, [(0, 0)])[0][1] == 3, st)
    st = c.unary("rpc.info.v1.ServerInfo/GetServerInfo", b"")
    m = parse_msg(st.response)
    p.check("server info agrees with HELLO (version, max frame, calls, window)",
            (get_uint(m, 1), get_uint(m, 5), get_uint(m, 6), get_uint(m, 10)) == (c.version, c.max_frame, c.max_calls, c.window),
            (get_uint(m, 1), get_uint(m, 5), get_uint(m, 6), get_uint(m, 10), c.version, c.max_frame, c.max_calls, c.window))
    p.check("server info for a user: statistics not withheld", not get_uint(m, 22) and 15 in m, sorted(m))
    st = c.unary("rpc.reflection.v1.Reflection/ListServices", b"")
    names = [get_str(parse_msg(v), 1) for _, v in parse_msg(st.response).get(1, [])]
    p.check("ListServices sorted by name", names == sorted(names) and "customer.v1.CustomerService" in names, names)
    # text rules
    def create(fields, **kw):
        return c.unary(CS + "CreateCustomer", f_bytes(1, fields))
    cases = [("name of 200 code points", f_str(2, "é" * 200), 0, None),
             ("name of 201 code points", f_str(2, "é" * 201), C["INVALID_ARGUMENT"], "name"),
             # x + combining acute has no composed form: it stays two code points after NFC.
             ("name of 100 x + combining accent (200 code points)", f_str(2, "x\u0301" * 100), 0, None),
             ("name of 101 x + combining accent (202 code points)", f_str(2, "x\u0301" * 101), C["INVALID_ARGUMENT"], "name"),
             # e + combining acute composes to é (NFC on input): counted after composing.
             ("name of 200 e + combining accent (200 code points once composed)", f_str(2, "e\u0301" * 200), 0, None),
             ("name of 201 e + combining accent (201 code points once composed)", f_str(2, "e\u0301" * 201), C["INVALID_ARGUMENT"], "name"),
             ("name trimmed to 200", f_str(2, "  " + "a" * 200 + "  "), 0, None),
             ("name of white space only", f_str(2, "   "), C["INVALID_ARGUMENT"], "name"),
             ("name with a NUL", f_str(2, "a\x00b"), C["INVALID_ARGUMENT"], "name"),
             ("name with a line feed", f_str(2, "a\nb"), C["INVALID_ARGUMENT"], "name"),
             ("name with U+2028", f_str(2, "a\u2028b"), C["INVALID_ARGUMENT"], "name"),
             ("name with DEL", f_str(2, "a\x7fb"), C["INVALID_ARGUMENT"], "name"),
             ("name with a C1 control", f_str(2, "a\x85b"), C["INVALID_ARGUMENT"], "name"),
             ("description with line feed and tab", f_str(2, "Desc Oy") + f_str(4, "a\n\tb"), 0, None),
             ("description with a carriage return", f_str(2, "Desc Oy") + f_str(4, "a\rb"), C["INVALID_ARGUMENT"], "description"),
             ("number 0", f_str(2, "N") + f_sint(1, 0), C["INVALID_ARGUMENT"], "number"),
             ("number -1", f_str(2, "N") + f_sint(1, -1), C["INVALID_ARGUMENT"], "number"),
             ("number 10000000000", f_str(2, "N") + f_sint(1, 10000000000), C["INVALID_ARGUMENT"], "number"),
             ("number 9999999999", f_str(2, "N") + f_sint(1, 9999999999), 0, None),
             ("number 9999999999 again", f_str(2, "N") + f_sint(1, 9999999999), C["ALREADY_EXISTS"], "number"),
             ("country xx", f_str(2, "N") + f_str(6, "XX"), C["INVALID_ARGUMENT"], "country"),
             ("phone of 4 digits", f_str(2, "N") + f_str(10, "1234"), C["INVALID_ARGUMENT"], "phone"),
             ("phone of 5 digits", f_str(2, "N") + f_str(10, "12345"), 0, None),
             ("phone of 20 digits", f_str(2, "N") + f_str(10, "1" * 20), 0, None),
             ("phone of 21 digits", f_str(2, "N") + f_str(10, "1" * 21), C["INVALID_ARGUMENT"], "phone"),
             ("website ftp", f_str(2, "N") + f_str(9, "ftp://example.com"), C["INVALID_ARGUMENT"], "website"),
             ("email without @", f_str(2, "N") + f_str(8, "example.com"), C["INVALID_ARGUMENT"], "email"),
             ]
    for label, fields, code, field in cases:
        p.expect_status("CreateCustomer %s: %s" % (label, CODES[code]), create(fields), code, field=field)
    st = create(f_str(2, "Auto number Oy"))
    p.check("CreateCustomer without number after 9999999999 was taken: a number 1 to 9999999999 or a refusal, never INTERNAL",
            (st.code == 0 and 1 <= get_sint(parse_msg(st.response), 2) <= 9999999999) or st.code not in (0, C["INTERNAL"], C["UNKNOWN"]),
            (st, get_sint(parse_msg(st.response), 2) if st.code == 0 else None))
    print("  note: a create without number after 9999999999 ->", st, get_sint(parse_msg(st.response), 2) if st.code == 0 else "")
    for n, code in ((256, 0), (257, C["INVALID_ARGUMENT"])):
        st = c.unary(CS + "ListCustomers", f_bytes(1, f_str(2, "s" * n)))
        p.expect_status("search of %d characters: %s" % (n, CODES[code]), st, code, field=None if code == 0 else "search")
    for n, code in ((1000, None), (1001, C["INVALID_ARGUMENT"])):
        kws = b"".join(f_str(3, "kw%d" % i) for i in range(n))
        st = c.unary("customer.v1.ContactService/CreateContact", f_sint(1, ids["customer"]) + f_bytes(2, f_str(1, "A")) + kws)
        if code is None:
            p.check("CreateContact with 1000 distinct keywords: not refused for their count", "1000" not in st.message, st)
        else:
            p.expect_status("CreateContact with 1001 distinct keywords: INVALID_ARGUMENT", st, code, field="keywords")
    # the client's max frame size bounds what the server sends
    st = create(f_str(2, "Big Oy " + "\U0001F600" * 193) + f_str(4, "\U0001F600" * 4000))
    big = get_sint(parse_msg(st.response), 1) if st.code == 0 else None
    p.expect_status("a customer of 16.8 kB (4000 + 200 emoji): OK", st, 0)
    if big is not None:
        small = Conn(p.path, max_frame=16384)
        st = small.unary(CS + "GetCustomer", f_sint(1, big))
        p.expect_status("a response over the client's max frame size (16384): RESOURCE_EXHAUSTED", st, C["RESOURCE_EXHAUSTED"])
        small.still = p.still_open(small, "after a response over the client's max frame")
        sid = small.start(CS + "StreamCustomers", f_bytes(1, f_str(2, "Big Oy")))
        small.send(frame(WINDOW_UPDATE, 0, sid, struct.pack(">I", 1 << 24)))
        msgs = []
        st = small.wait_status(sid, 10, msgs)
        p.check("a stream message over the client's max frame size: never sent, the stream ends RESOURCE_EXHAUSTED",
                all(len(m) <= 16384 for m in msgs) and st.code == C["RESOURCE_EXHAUSTED"], (st, [len(m) for m in msgs]))
        small.close()
    # details bounded: an import of many bad rows
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, 2, sid, f_bytes(1, f_bool(1, False))))
    rows = b"".join(f_bytes(2, f_sint(1, i) + f_bytes(2, f_str(2, "") + f_str(6, "Q" * 300) + f_str(8, "@" * 300 + "x" * 2000))) for i in range(300))
    c.send(frame(MESSAGE, 3, sid, rows))
    st = c.wait_status(sid, 30)
    p.expect_status("an import of 300 bad rows: INVALID_ARGUMENT within the detail limit", st, C["INVALID_ARGUMENT"])
    print("  note: 300 bad rows -> %d details, message %d bytes" % (len(st.details), len(st.message.encode())))
    # oversized MESSAGE on a client stream
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, 2, sid, f_bytes(1, f_bool(1, True))))
    c.send(frame(MESSAGE, 2, sid, b"\x00" * (c.max_frame + 1)))
    st = c.wait_status(sid, 30)
    p.expect_status("client-stream MESSAGE of max frame + 1: RESOURCE_EXHAUSTED", st, C["RESOURCE_EXHAUSTED"])
    p.still_open(c, "oversized MESSAGE")
    # MESSAGE after END_STREAM on a client stream (dry run): INTERNAL, or ignored once answered
    sid = c.start(CS + "ImportCustomers", flags=0)
    c.send(frame(MESSAGE, 3, sid, f_bytes(1, f_bool(1, True))) + frame(MESSAGE, 2, sid, f_bytes(2, f_bytes(2, f_str(2, "Late Oy")))))
    st = c.wait_status(sid, 30)
    p.check("MESSAGE after END_STREAM: INTERNAL or the answer to the ended stream", st.code in (0, C["INTERNAL"]), st)
    print("  note: MESSAGE after END_STREAM ->", st)
    c.close()

    # acting-for, from a trusted service
    if len(users) > 1:
        c = Conn(p.path)
        st = c.unary("customer.v1.UserService/AddUser", f_uint(1, 4244) + f_str(2, "svc") + f_str(4, "Read only"))
        st = c.unary("customer.v1.UserService/SetTrustedService", f_str(1, "svc") + f_bool(2, True))
        p.expect_status("SetTrustedService svc: OK", st, 0)
        c.close()
        c = p.conn(4244)
        st = c.unary("customer.v1.UserService/WhoAmI", b"", metadata=[("acting-for", "ro")])
        p.check("trusted service acting for ro: WhoAmI answers ro", st.code == 0 and get_str(parse_msg(st.response), 3) == "ro", st)
        st = c.unary("customer.v1.UserService/WhoAmI", b"", metadata=[("acting-for", "ro"), ("acting-for", "ro")])
        p.expect_status("trusted service, acting-for twice (same name): INVALID_ARGUMENT detail acting-for", st, C["INVALID_ARGUMENT"], field="acting-for")
        st = c.unary("customer.v1.UserService/WhoAmI", b"", metadata=[("acting-for", "nobody-here")])
        p.expect_status("trusted service acting for no such user: UNAUTHENTICATED", st, C["UNAUTHENTICATED"])
        st = c.unary("customer.v1.UserService/WhoAmI", b"", metadata=[("acting-for", "")])
        p.check("trusted service acting for '': refused", st.code != 0, st)
        print("  note: acting-for '' ->", st)
        c.close()
    p.alive("misc")


def records_checks(p, ids, tmp):
    """Records' rules the API states: cycles, self-merges, page tokens, uploads, backups."""
    p.section = "records"
    c = Conn(p.path)
    SS = "customer.v1.SettingsService/"
    a = c.unary(SS + "CreateSegment", f_str(1, "Seg A"))
    aid = get_sint(parse_msg(a.response), 1)
    b = c.unary(SS + "CreateSegment", f_str(1, "Seg B") + f_sint(2, aid))
    bid = get_sint(parse_msg(b.response), 1)
    st = c.unary(SS + "UpdateSegment", f_sint(1, aid) + f_sint(3, bid), timeout=20)
    p.check("UpdateSegment making a cycle (A under its child B): refused", st.code not in (0, C["INTERNAL"]), st)
    st = c.unary(SS + "UpdateSegment", f_sint(1, aid) + f_sint(3, aid), timeout=20)
    p.check("UpdateSegment making A its own parent: refused", st.code not in (0, C["INTERNAL"]), st)
    st = c.unary(SS + "ListSegments", b"", timeout=20)
    p.expect_status("ListSegments after: OK", st, 0)
    st = c.unary(SS + "UpdateSegment", f_sint(1, aid) + f_sint(3, bid) + f_bool(4, True))
    p.expect_status("UpdateSegment with both parentId and moveToRoot: INVALID_ARGUMENT on moveToRoot", st, C["INVALID_ARGUMENT"], field="moveToRoot")
    names = lambda: sorted(get_str(parse_msg(v), 3) for _, v in parse_msg(c.unary(SS + "ListSegments", b"").response).get(1, []))
    before = names()
    for label, req in (("a cycle", f_sint(3, bid)), ("a missing parent", f_sint(3, 999999)), ("moveToRoot too", f_sint(3, bid) + f_bool(4, True))):
        st = c.unary(SS + "UpdateSegment", f_sint(1, aid) + f_str(2, "Renamed A") + req)
        p.check("UpdateSegment rename with a refused move (%s): refused, and the name stays" % label,
                st.code in (C["INVALID_ARGUMENT"], C["FAILED_PRECONDITION"]) and names() == before, (st, names()))
    x = fresh_customer(p, "Self Oy")
    st = c.unary(CS + "MergeCustomers", f_sint(1, x) + f_sint(2, x))
    p.check("MergeCustomers of a customer into itself: refused", st.code not in (0, C["INTERNAL"]), st)
    y, z = fresh_customer(p, "Chain One Oy"), fresh_customer(p, "Chain Two Oy")
    st1 = c.unary(CS + "MergeCustomers", f_sint(1, y) + f_sint(2, x))
    st2 = c.unary(CS + "MergeCustomers", f_sint(1, z) + f_sint(2, y))
    st = c.unary(CS + "GetCustomer", f_sint(1, x))
    p.check("a customer merged into one merged on: NOT_FOUND mergedInto the end of the chain",
            st1.code == 0 and st2.code == 0 and st.code == C["NOT_FOUND"] and ("mergedInto", str(z)) in st.details, (st1, st2, st))
    st = c.unary(CS + "MergeCustomers", f_sint(1, x) + f_sint(2, z))
    p.check("merging into a merged customer: refused NOT_FOUND", st.code == C["NOT_FOUND"], st)
    for tok in ("x", "", "\x00", "A" * 5000, "eyJ9"):
        st = c.unary(CS + "ListCustomers", f_bytes(1, b"") + f_sint(2, 1) + f_str(3, tok))
        p.check("ListCustomers pageToken %r: OK or INVALID_ARGUMENT on pageToken" % tok[:10],
                st.code == 0 and tok == "" or (st.code == C["INVALID_ARGUMENT"] and any(f == "pageToken" for f, _ in st.details)), st)
        st = c.unary(CS + "FindDuplicates", f_str(2, tok))
        p.check("FindDuplicates pageToken %r: OK or INVALID_ARGUMENT on pageToken" % tok[:10],
                st.code == 0 and tok == "" or (st.code == C["INVALID_ARGUMENT"] and any(f == "pageToken" for f, _ in st.details)), st)
    st = c.unary(CS + "ListCustomers", f_bytes(1, b"") + f_sint(2, 1))
    tok = get_str(parse_msg(st.response), 2)
    if tok:
        st = c.unary(CS + "ListCustomers", f_bytes(1, f_uint(6, 1)) + f_sint(2, 1) + f_str(3, tok))
        p.check("a page token sent with another query: refused or served, never INTERNAL", st.code != C["INTERNAL"], st)
        print("  note: page token with another order ->", st)
    # uploads
    import hashlib
    FS = "customer.v1.FileService/UploadFile"
    def upload(messages):
        sid = c.start(FS, flags=0)
        for i, m in enumerate(messages):
            c.send(frame(MESSAGE, 3 if i == len(messages) - 1 else 2, sid, m))
        if not messages:
            c.send(frame(MESSAGE, 1, sid, b""))
        return c.wait_status(sid, 30)
    data = b"hello world"
    good = f_sint(1, ids["customer"]) + f_str(3, "h.txt") + f_sint(4, len(data)) + f_str(5, hashlib.sha256(data).hexdigest())
    p.expect_status("UploadFile header and data: OK", upload([f_bytes(1, good), f_bytes(2, data)]), 0)
    st = upload([f_bytes(2, data), f_bytes(1, good)])
    p.expect_status("UploadFile data before the header: INVALID_ARGUMENT on header", st, C["INVALID_ARGUMENT"], field="header")
    st = upload([f_bytes(1, good), f_bytes(1, good), f_bytes(2, data)])
    p.check("UploadFile with its header twice: refused", st.code not in (0, C["INTERNAL"]), st)
    print("  note: header twice ->", st)
    st = upload([f_bytes(1, good), f_bytes(2, data + b"!")])
    p.check("UploadFile with more data than its size: refused", st.code not in (0, C["INTERNAL"]), st)
    st = upload([f_bytes(1, good), f_bytes(2, data[:-1])])
    p.check("UploadFile with less data than its size: refused", st.code not in (0, C["INTERNAL"]), st)
    st = upload([f_bytes(1, good), f_bytes(2, data[::-1])])
    p.check("UploadFile whose data does not match its sha256: refused", st.code not in (0, C["INTERNAL"]), st)
    st = upload([f_bytes(1, good) + f_bytes(2, data)])
    p.check("UploadFile header and data in one message: OK or refused, never INTERNAL", st.code != C["INTERNAL"], st)
    print("  note: header and data in one message ->", st)
    st = c.unary("customer.v1.FileService/ListFiles", f_sint(1, ids["customer"]))
    names = [get_str(parse_msg(v), 5) for _, v in parse_msg(st.response).get(1, [])]
    print("  note: files now", names)
    # backups
    MS = "customer.v1.MaintenanceService/Backup"
    p.expect_status("Backup to a relative path: INVALID_ARGUMENT on to", c.unary(MS, f_str(1, "rel/dir"), timeout=60), C["INVALID_ARGUMENT"], field="to")
    for n in (0, -1, (1 << 31) - 1, -(1 << 31)):
        st = c.unary(MS, f_str(1, os.path.join(tmp, "backup%d" % n)) + f_sint(2, n), timeout=120)
        p.check("Backup pagesPerStep %d: OK or INVALID_ARGUMENT on pagesPerStep" % n,
                st.code == 0 or (st.code == C["INVALID_ARGUMENT"] and any(f == "pagesPerStep" for f, _ in st.details)), st)
    full = os.path.join(tmp, "backup-full")
    os.makedirs(full, exist_ok=True)
    with open(os.path.join(full, "f"), "w") as f:
        f.write("x")
    st = c.unary(MS, f_str(1, full), timeout=60)
    p.expect_status("Backup into a non-empty folder: ALREADY_EXISTS", st, C["ALREADY_EXISTS"], field="to")
    # the same key on two connections at once
    d = Conn(p.path)
    req = f_uint(1, 1) + f_str(2, "raced role")
    s1 = c.start("customer.v1.LabelService/CreateLabel", req, metadata=[("idempotency-key", "race-1")])
    s2 = d.start("customer.v1.LabelService/CreateLabel", req, metadata=[("idempotency-key", "race-1")])
    r1, r2 = c.wait_status(s1), d.wait_status(s2)
    p.check("the same keyed write on two connections at once: one write, the same answer", r1.code == 0 and r2.code == 0 and r1.response == r2.response, (r1, r2))
    d.close()
    c.close()
    p.alive("records")


def setup(p):
    """An Administrator's records to aim at, and the other users."""
    c = Conn(p.path)
    st = c.unary("customer.v1.UserService/WhoAmI", b"")
    if st.code != 0:
        raise SystemExit("WhoAmI as this process's user failed: %r (run the server as this user)" % st)
    ids = {}
    for key, name in (("customer", "Probe Oy"), ("customer2", "Probe Two Oy")):
        st = c.unary(CS + "CreateCustomer", f_bytes(1, f_str(2, name)))
        assert st.code == 0, st
        ids[key] = get_sint(parse_msg(st.response), 1)
    st = c.unary("customer.v1.ProjectService/CreateProject", f_sint(1, ids["customer"]) + f_uint(2, 1) + f_bytes(3, f_str(1, "Probe project") + f_str(12, "EUR")))
    assert st.code == 0, st
    ids["project"] = get_sint(parse_msg(st.response), 1)
    st = c.unary("customer.v1.ActivityService/AddTask", f_sint(1, ids["customer"]) + f_str(2, "probe task"))
    assert st.code == 0, st
    ids["task"] = get_sint(parse_msg(st.response), 1)
    st = c.unary("customer.v1.ActivityService/AddEvent", f_sint(1, ids["customer"]) + f_str(2, "probe event") + f_double(3, 800000000.0) + f_double(4, 800003600.0))
    assert st.code == 0, st
    ids["event"] = get_sint(parse_msg(st.response), 1)
    users = [("admin", None)]
    if p.can_switch_uid:
        st = c.unary("customer.v1.UserService/AddUser", f_uint(1, 4242) + f_str(2, "ro") + f_str(4, "Read only"))
        assert st.code in (0, C["ALREADY_EXISTS"]), st
        users += [("readonly", 4242), ("nobody", 4243)]
    c.close()
    return ids, users


def goaway_checks(p):
    """Last: a graceful shutdown sends GOAWAY OK naming the last started stream; a CALL_START
    after it is UNAVAILABLE or never started."""
    p.section = "shutdown"
    c = Conn(p.path)
    c.unary(HEALTH, f_str(1, ""))
    sid = c.start("customer.v1.ChangeFeedService/WatchChanges", b"")
    time.sleep(0.3)
    p.proc.send_signal(signal.SIGTERM)
    g = None
    before = []
    try:
        while True:
            t, fl, s, pl = c.read_frame(15)
            if t == GOAWAY:
                g = Goaway(pl)
                break
            before.append((t, s, Status(fl, pl) if t == STATUS else None))
    except (Closed, TimeoutError) as e:
        g = e

    p.check("SIGTERM: GOAWAY OK naming the last started stream %d" % sid,
            isinstance(g, Goaway) and g.code == 0 and g.last_stream == sid, g)
    later = c.new_stream()
    end = []
    try:
        c.start(HEALTH, f_str(1, ""), stream=later)
    except OSError as e:
        end.append("CALL_START after GOAWAY: %r" % e)
    t0 = time.monotonic()
    try:
        while True:
            t, fl, s, pl = c.read_frame(20)
            end.append((t, s, Status(fl, pl).name if t == STATUS else "", Status(fl, pl) if t == STATUS else None))
    except (Closed, TimeoutError, OSError) as e:
        end.append(repr(e))
    # the watch's STATUS may come before or after the GOAWAY (PROTOCOL.md §11)
    watch_end = [st for t, s, st in before if s == sid and t == STATUS] + [e[3] for e in end if isinstance(e, tuple) and e[1] == sid]
    p.check("SIGTERM: the open WatchChanges ends at once, UNAVAILABLE naming the sequence to resume after",
            len(watch_end) == 1 and watch_end[0].code == C["UNAVAILABLE"] and "resume after sequence" in watch_end[0].message,
            (before, end))
    later_status = [e for e in end if isinstance(e, tuple) and e[1] == later]
    p.check("a CALL_START after GOAWAY: UNAVAILABLE or nothing", all(e[2] == "UNAVAILABLE" for e in later_status), end)
    p.check("the connection ends once its calls have (the watch ended before the GOAWAY)",
            isinstance(end[-1], str) and "closed" in end[-1], end)
    c.close()
    try:
        p.proc.wait(30)
    except subprocess.TimeoutExpired:
        p.check("server exits after SIGTERM", False, "still running")


def start_server(binary, tmp, path, log, extra=()):
    proc = subprocess.Popen([binary, "--socket", path, "--socket-mode", "0666",
                             "--database", os.path.join(tmp, "db", "customers.sqlite"),
                             "--log-level", "notice", "--registry-url", "fi=http://127.0.0.1:9/",
                             "--registry-url", "no=http://127.0.0.1:9/", "--registry-timeout", "1", *extra],
                            stdout=log, stderr=log)
    end = time.monotonic() + 120 * PATIENCE[0]
    while not os.path.exists(path):
        if proc.poll() is not None or time.monotonic() > end:
            raise SystemExit("customerd did not start: see %s" % log.name)
        time.sleep(0.05)
    return proc


def stop_server(proc):
    """SIGTERM for a server still running (a graceful shutdown), SIGKILL when it is not gone in 30 s."""
    if proc is not None and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--customerd", default=os.environ.get("CUSTOMERD"), help="server binary to start")
    ap.add_argument("--socket", help="probe a running server at this socket instead")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    ap.add_argument("--patience", type=float, default=1.0,
                    help="multiply every wait for an answer (10 to 30 s) by this, for a starved machine")
    ap.add_argument("--quick", action="store_true",
                    help="leave out the sweeps (every field of every method at its extremes: minutes against a "
                    "debug build), as CI's test does")
    ap.add_argument("--only", action="append", help="run only this section (repeatable): handshake, frames, "
                    "encoding, streams, permissions, values, misc, records, multiplex, feed, rights, keys, edges, windows, restart, grace, sweep, "
                    "clientstreams, names, occurrences, answers, flags, orders, standing, limits, shutdown")
    args = ap.parse_args()
    PATIENCE[0] = args.patience
    proc = None
    tmp = None
    if args.socket:
        path = args.socket
    else:
        binary = args.customerd or shutil.which("customerd")
        if not binary:
            raise SystemExit("give --customerd PATH (or CUSTOMERD)")
        tmp = tempfile.mkdtemp(prefix="ccprobe-")
        os.chmod(tmp, 0o755)
        path = os.path.join(tmp, "run", "customerd.sock")
        log = open(os.path.join(tmp, "customerd.log"), "w")
        proc = start_server(binary, tmp, path, log)
    p = Probe(path, can_switch_uid=(os.geteuid() == 0 and proc is not None), server_proc=proc)

    def restart():
        """A new server on the same database and socket, once the last one has exited."""
        p.proc = start_server(binary, tmp, path, log)
    code = 0
    import fifth_round
    import second_round
    try:
        ids, users = setup(p)
        sections = [("handshake", lambda: handshake_checks(p)), ("frames", lambda: frame_checks(p)),
                    ("encoding", lambda: encoding_checks(p, ids)), ("streams", lambda: stream_checks(p, ids)),
                    ("permissions", lambda: permission_checks(p, ids, users)),
                    ("values", lambda: value_checks(p, ids, users)),
                    ("misc", lambda: misc_checks(p, ids, users)),
                    ("records", lambda: records_checks(p, ids, tmp or tempfile.gettempdir())),
                    ("multiplex", lambda: second_round.multiplex_checks(p, ids)),
                    ("feed", lambda: second_round.feed_checks(p, ids, users)),
                    ("rights", lambda: second_round.rights_checks(p, ids, users)),
                    ("keys", lambda: second_round.key_checks(p, ids, users)),
                    ("edges", lambda: second_round.edge_checks(p, ids)),
                    ("windows", lambda: second_round.window_checks(p, ids)),
                    ("restart", lambda: second_round.restart_checks(p, ids, restart) if proc is not None else None),
                    ("grace", lambda: second_round.grace_checks(p, ids, restart) if proc is not None else None),
                    ("sweep", lambda: sweep_checks(p, ids, users)),
                    ("clientstreams", lambda: client_stream_checks(p, ids, users)),
                    ("names", lambda: fifth_round.names_checks(p)),
                    ("occurrences", lambda: fifth_round.occurrence_checks(p, ids)),
                    ("answers", lambda: fifth_round.answer_limit_checks(p)),
                    ("flags", lambda: fifth_round.flag_checks(p)),
                    ("orders", lambda: fifth_round.order_checks(p)),
                    ("standing", lambda: fifth_round.standing_checks(p, ids, users)),
                    ("limits", lambda: fifth_round.limits_checks(p, binary if proc is not None else None, tmp)),
                    ("shutdown", lambda: goaway_checks(p) if proc is not None else None)]
        for name, run in sections:
            if (args.only and name not in args.only) or (args.quick and name in QUICK_SKIPS):
                continue
            started = time.monotonic()
            run()
            print("section %s: %.1f s" % (name, time.monotonic() - started), flush=True)
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 2
        if not isinstance(e.code, int):
            print(e.code)
    finally:
        stop_server(p.proc)
        if tmp and not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp:
            print("kept", tmp)
    print("%d checks held, %d failed" % (p.passes, len(p.fails)))
    for f in p.fails:
        print("  FAIL", f)
    if code:
        return code
    return 1 if p.fails else 0


if __name__ == "__main__":
    sys.exit(main())
