#!/usr/bin/env python3
"""Replays hostile-client attacks against a running customerd and reports which were refused correctly.

Standard library only; speaks the wire protocol from Protocol/PROTOCOL.md directly (it is the hostile
program, so it does not use the client library). Every attack runs on connections of its own; after
each one a health check on a fresh connection shows that the server still serves others.

    contrib/hostile/replay.py --socket /run/user/1000/customercard/customerd.sock
    contrib/hostile/replay.py --socket PATH --flood 600 --slow      # also the connection flood and slowloris

Run it against a test instance, not the production one: every request it sends is malformed or
refused, but one that a future server happened to accept would run as this OS user.

Exit status: 0 when every attack was refused as documented, 1 when one was not, 2 on a usage error.
docs/HARDENING.md lists the attacks and the answers expected.
"""

from __future__ import annotations

import argparse
import socket
import struct
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterator

MAGIC = b"CCRP"
HELLO, CALL_START, MESSAGE, STATUS, CANCEL, WINDOW_UPDATE, PING, PONG, GOAWAY = range(1, 10)
END_STREAM, HAS_MESSAGE = 0x01, 0x02
CODES = ["OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
         "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
         "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"]
SMALLEST_MAX_FRAME = 16 * 1024


def code_name(code: int) -> str:
    return CODES[code] if code < len(CODES) else f"code {code}"


def varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def string(text: str | bytes) -> bytes:
    raw = text.encode() if isinstance(text, str) else text
    return varint(len(raw)) + raw


def frame(kind: int, stream: int, payload: bytes = b"", flags: int = 0) -> bytes:
    return struct.pack(">IBBI", len(payload), kind, flags, stream) + payload


def client_hello(max_frame: int = 4 * 1024 * 1024, window: int = 1 << 20, versions: tuple[int, ...] = (1,)) -> bytes:
    payload = bytes([len(versions)]) + b"".join(struct.pack(">H", v) for v in versions)
    payload += struct.pack(">II", window, max_frame) + string("hostile-replay")
    return frame(HELLO, 0, payload)


def call_start(stream: int, method: str, message: bytes | None, metadata: list[tuple[str, str]] = (),
               timeout_us: int = 30_000_000, flags: int | None = None) -> bytes:
    payload = varint(timeout_us) + string(method) + varint(len(metadata))
    for key, value in metadata:
        payload += string(key) + string(value)
    if message is not None:
        payload += message
    if flags is None:
        flags = (HAS_MESSAGE | END_STREAM) if message is not None else 0
    return frame(CALL_START, stream, payload, flags)


def zigzag(value: int) -> bytes:
    return varint(((value << 1) ^ (value >> 63)) & 0xFFFFFFFFFFFFFFFF)


def field_varint(number: int, value: int) -> bytes:
    return varint(number << 3) + varint(value & 0xFFFFFFFFFFFFFFFF)


def field_sint(number: int, value: int) -> bytes:
    return varint(number << 3) + zigzag(value)


def field_bytes(number: int, value: str | bytes) -> bytes:
    return varint(number << 3 | 2) + string(value)


def field_double(number: int, value: float) -> bytes:
    return varint(number << 3 | 1) + struct.pack("<d", value)


def base64url(text: str) -> str:
    import base64
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


class Reader:
    """Reads bytes from a payload; raises ValueError when short."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, count: int) -> bytes:
        if self.at + count > len(self.data):
            raise ValueError("short payload")
        chunk = self.data[self.at:self.at + count]
        self.at += count
        return chunk

    def varint(self) -> int:
        value = shift = 0
        while True:
            byte = self.take(1)[0]
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value
            if shift > 63:
                raise ValueError("varint too long")

    def string(self) -> str:
        return self.take(self.varint()).decode()

    def rest(self) -> bytes:
        return self.data[self.at:]


def fields(message: bytes) -> list[tuple[int, int | bytes]]:
    """The (number, value) fields of a protobuf-style message (varint and length-delimited only)."""
    reader, out = Reader(message), []
    while reader.at < len(message):
        tag = reader.varint()
        number, wire = tag >> 3, tag & 7
        if wire == 0:
            out.append((number, reader.varint()))
        elif wire == 2:
            out.append((number, reader.take(reader.varint())))
        elif wire == 1:
            out.append((number, reader.take(8)))
        elif wire == 5:
            out.append((number, reader.take(4)))
        else:
            raise ValueError(f"wire type {wire}")
    return out


@dataclass
class Status:
    code: int
    message: str
    details: bytes
    frame_length: int


class Connection:
    def __init__(self, path: str, timeout: float, handshake: bool = True) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buffer = b""
        if handshake:
            self.send(MAGIC + client_hello())

    def send(self, data: bytes) -> None:
        self.sock.sendall(data)

    def close(self) -> None:
        self.sock.close()

    def read_frame(self) -> tuple[int, int, int, bytes] | None:
        """(type, flags, stream, payload); None when the server closed. socket.timeout when it says nothing."""
        while True:
            if len(self.buffer) >= 10:
                length, kind, flags, stream = struct.unpack(">IBBI", self.buffer[:10])
                if len(self.buffer) >= 10 + length:
                    payload = self.buffer[10:10 + length]
                    self.buffer = self.buffer[10 + length:]
                    return kind, flags, stream, payload
            try:
                chunk = self.sock.recv(65536)
            except ConnectionResetError:
                return None
            if not chunk:
                return None
            self.buffer += chunk

    def expect_hello(self) -> None:
        got = self.read_frame()
        if got is None or got[0] != HELLO:
            raise AssertionError(f"expected the server's HELLO, got {describe(got)}")

    def read_until(self, kinds: set[int], stream: int | None = None):
        while True:
            got = self.read_frame()
            if got is None or (got[0] in kinds and (stream is None or got[2] == stream or got[0] == GOAWAY)):
                return got

    def status(self, stream: int) -> Status | None:
        got = self.read_until({STATUS, GOAWAY}, stream)
        if got is None or got[0] != STATUS:
            return None
        reader = Reader(got[3])
        code = reader.take(1)[0]
        message = reader.string()
        details = reader.take(reader.varint())
        return Status(code, message, details, len(got[3]))


def goaway(got) -> tuple[int, str] | None:
    if got is None or got[0] != GOAWAY:
        return None
    reader = Reader(got[3])
    return reader.take(1)[0], reader.string()


def describe(got) -> str:
    if got is None:
        return "the connection closed"
    away = goaway(got)
    if away:
        return f"GOAWAY {code_name(away[0])} {away[1]!r}"
    if got[0] == STATUS:
        reader = Reader(got[3])
        code = reader.take(1)[0]
        return f"STATUS {code_name(code)} {reader.string()[:120]!r}"
    return f"frame type {got[0]} on stream {got[2]}"


class Replay:
    def __init__(self, path: str, timeout: float) -> None:
        self.path, self.timeout = path, timeout
        self.results: list[tuple[str, bool, str]] = []

    def connect(self, handshake: bool = True) -> Connection:
        return Connection(self.path, self.timeout, handshake)

    @contextmanager
    def session(self, handshake: bool = True) -> Iterator[Connection]:
        """A connection of its own for one attack, past the server's HELLO when `handshake`, closed after."""
        conn = self.connect(handshake)
        try:
            if handshake:
                conn.expect_hello()
            yield conn
        finally:
            conn.close()

    def healthy(self) -> bool:
        """A health check on a fresh connection. Refused RESOURCE_EXHAUSTED (an attack's connections
        not yet released: the server notices each close on its own thread), it tries again; on a busy
        machine the refusal and close can come before the HELLO is sent (EPIPE), as in `flood`."""
        deadline = time.monotonic() + self.timeout
        while True:
            conn = self.connect(handshake=False)
            try:
                try:
                    conn.send(MAGIC + client_hello())
                except OSError:
                    pass  # refused (and closed) before the server read it: its GOAWAY is still to be read
                got = conn.read_frame()
                away = goaway(got)
                # Closed with no frame to read: refused with the HELLO unread, the GOAWAY lost to the reset.
                if (got is None or (away and away[0] == 8)) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                if got is None or got[0] != HELLO:
                    raise AssertionError(f"expected the server's HELLO, got {describe(got)}")
                conn.send(call_start(1, "rpc.health.v1.Health/Check", b"\x0a\x00"))
                status = conn.status(1)
                return status is not None and status.code == 0
            finally:
                conn.close()

    def run(self, name: str, attack: Callable[[], str]) -> None:
        try:
            outcome = attack()
            passed = True
        except AssertionError as error:
            outcome, passed = str(error), False
        except (OSError, ValueError) as error:
            outcome, passed = f"{type(error).__name__}: {error}", False
        try:
            still = self.healthy()
        except (OSError, ValueError, AssertionError) as error:
            still = False
            outcome += f"; health check failed: {error}"
        if not still:
            passed = False
            outcome += "; THE SERVER NO LONGER SERVES"
        self.results.append((name, passed, outcome))

    # The attacks. Each returns what it saw, or raises AssertionError saying what was wrong.

    def expect_goaway(self, conn: Connection, code: int, contains: str = "") -> str:
        got = conn.read_frame()
        away = goaway(got)
        if not away or away[0] != code or contains not in away[1]:
            raise AssertionError(f"expected GOAWAY {code_name(code)} {contains!r}, got {describe(got)}")
        return f"GOAWAY {code_name(code)} {away[1][:100]!r}"

    def wrong_magic(self) -> str:
        with self.session(handshake=False) as conn:
            conn.send(b"GET / HTTP/1.1\r\n\r\n")
            return self.expect_goaway(conn, 12)

    def huge_hello(self) -> str:
        with self.session(handshake=False) as conn:
            conn.send(MAGIC + struct.pack(">IBBI", 4 * 1024 * 1024, HELLO, 0, 0))
            return self.expect_goaway(conn, 13, "exceeds the limit")

    def tiny_max_frame(self) -> str:
        with self.session(handshake=False) as conn:
            conn.send(MAGIC + client_hello(max_frame=16))
            return self.expect_goaway(conn, 13, "below the minimum")

    def unknown_frame_type(self) -> str:
        with self.session() as conn:
            conn.send(frame(0x7F, 0))
            return self.expect_goaway(conn, 13, "protocol violation")

    def reused_stream_id(self) -> str:
        with self.session() as conn:
            conn.send(call_start(5, "rpc.health.v1.Health/Check", b"\x0a\x00"))
            if (first := conn.status(5)) is None or first.code != 0:
                raise AssertionError("the first call did not succeed")
            conn.send(call_start(5, "rpc.health.v1.Health/Check", b"\x0a\x00"))
            return self.expect_goaway(conn, 13, "not above")

    def expect_status(self, conn: Connection, stream: int, codes: set[int]) -> Status:
        status = conn.status(stream)
        if status is None or status.code not in codes:
            got = "no STATUS" if status is None else f"STATUS {code_name(status.code)} {status.message[:120]!r}"
            raise AssertionError(f"expected {'/'.join(code_name(c) for c in sorted(codes))}, got {got}")
        return status

    def oversized_call(self) -> str:
        with self.session() as conn:
            # Announces 64 MiB (over any sane limit) and sends a little of it: the call fails from its
            # header alone and the connection stays usable after the skipped bytes.
            length = 64 * 1024 * 1024
            conn.send(struct.pack(">IBBI", length, CALL_START, HAS_MESSAGE | END_STREAM, 1))
            status = self.expect_status(conn, 1, {8})
            conn.send(b"\0" * length)
            conn.send(frame(PING, 0, b"pingpong"))
            got = conn.read_until({PONG})
            if got is None:
                raise AssertionError("the connection did not survive an oversized CALL_START")
            return f"STATUS RESOURCE_EXHAUSTED {status.message[:80]!r}, then PONG"

    def overflowing_varint(self) -> str:
        with self.session() as conn:
            # The timeout varint runs 11 bytes; then a method length of 2^63.
            conn.send(frame(CALL_START, 1, b"\xff" * 11, HAS_MESSAGE | END_STREAM))
            conn.send(frame(CALL_START, 3, b"\x00" + b"\xff" * 9 + b"\x01", HAS_MESSAGE | END_STREAM))
            first = self.expect_status(conn, 1, {13})
            self.expect_status(conn, 3, {13})
            return f"STATUS INTERNAL {first.message[:80]!r} (twice)"

    def bad_metadata(self) -> str:
        with self.session() as conn:
            conn.send(call_start(1, "rpc.health.v1.Health/Check", b"\x0a\x00", metadata=[("X-Evil", "1")]))
            status = self.expect_status(conn, 1, {3})
            return f"STATUS INVALID_ARGUMENT {status.message[:80]!r}"

    def unknown_method(self) -> str:
        with self.session() as conn:
            conn.send(call_start(1, "customer.v1.Nope/" + "\u202e" * 300, b""))
            status = self.expect_status(conn, 1, {12, 13})
            return f"STATUS {code_name(status.code)} ({len(status.message)} characters)"

    def echoed_huge_input(self) -> str:
        with self.session() as conn:
            name = ("\U0001F600" + "x" * (1024 * 1024)).encode()
            conn.send(call_start(1, "rpc.reflection.v1.Reflection/DescribeServices", b"\x0a" + string(name)))
            status = self.expect_status(conn, 1, {5})
            if status.frame_length > SMALLEST_MAX_FRAME or len(status.details) > 8 * 1024 + 64:
                raise AssertionError(f"the STATUS echoing 1 MiB is {status.frame_length} bytes "
                                     f"({len(status.details)} of details)")
            return f"STATUS NOT_FOUND of {status.frame_length} bytes ({len(status.details)} of details)"

    @staticmethod
    def response(conn: Connection, stream: int, name: str) -> bytes:
        """The response message of a unary call that must succeed: its OK STATUS's payload after the
        code, message, details and trailing metadata (PROTOCOL.md 5.3)."""
        got = conn.read_until({STATUS}, stream)
        if got is None:
            raise AssertionError(f"{name} got no answer")
        reader = Reader(got[3])
        code = reader.take(1)[0]
        message = reader.string()
        if code != 0:
            raise AssertionError(f"{name} failed: {code_name(code)} {message[:120]!r}")
        reader.take(reader.varint())
        for _ in range(reader.varint()):
            reader.string()
            reader.string()
        return reader.rest()

    def customer_methods(self) -> list[tuple[str, int]]:
        """(full method name, kind) of every customer.v1 method, from the reflection service."""
        with self.session() as conn:
            conn.send(call_start(1, "rpc.reflection.v1.Reflection/ListServices", b""))
            methods = []
            for number, service in fields(self.response(conn, 1, "ListServices")):
                if number != 1 or not isinstance(service, bytes):
                    continue
                parts = fields(service)
                name = next((v.decode() for n, v in parts if n == 1 and isinstance(v, bytes)), "")
                if not name.startswith("customer."):
                    continue
                for n, method in parts:
                    if n == 2 and isinstance(method, bytes):
                        described = dict(fields(method))
                        methods.append((f"{name}/{described.get(1, b'').decode()}", int(described.get(2, 0))))
            return methods

    def garbage_requests(self) -> str:
        """Undecodable request messages to every customer method: an overlong varint tag, a field
        claiming 4 GiB, a timestamp (fixed64) of NaN, infinity and -1e308 in each field number 1-16, a
        string that is not UTF-8. Each must be refused with a precise status, never INTERNAL."""
        methods = self.customer_methods()
        if not methods:
            raise AssertionError("the server lists no customer.v1 method")
        patterns = [b"\xff" * 11, b"\x0a\xff\xff\xff\xff\x0f", b"\x0a\x02\xc3\x28"]
        for number in range(1, 17):
            for value in (float("nan"), float("inf"), -1e308):
                patterns.append(varint(number << 3 | 1) + struct.pack("<d", value))
        refused, codes = 0, set()
        with self.session() as conn:
            stream = 1
            for method, kind in methods:
                for pattern in patterns:
                    stream += 2
                    conn.send(call_start(stream, method, pattern))
                    # A pattern that happens to decode (a double in a field the message does not
                    # have is skipped) starts a stream, a watch never ends by itself: after a
                    # moment without a STATUS it is cancelled, as accepted.
                    conn.sock.settimeout(2 if kind == 1 else self.timeout)
                    try:
                        status = conn.status(stream)
                    except socket.timeout:
                        conn.send(frame(CANCEL, stream))
                        continue
                    finally:
                        conn.sock.settimeout(self.timeout)
                    if status is None:
                        raise AssertionError(f"{method} with {pattern.hex()}: no STATUS (the connection ended)")
                    if status.code in (0, 2, 13):
                        if status.code == 0:
                            # A field 1..16 double may be a valid optional value somewhere: only a
                            # crash or an INTERNAL is a finding.
                            continue
                        raise AssertionError(f"{method} with {pattern.hex()}: {code_name(status.code)} {status.message!r}")
                    refused += 1
                    codes.add(code_name(status.code))
        return f"{refused} calls to {len(methods)} methods refused ({', '.join(sorted(codes))})"

    def hostile_values(self) -> str:
        """Well-formed requests with values out of their range (ENCODING.md "Ranges", CUSTOMER-API.md):
        page sizes, tampered, foreign and huge page tokens, timestamps before year 1 or NaN, enum
        values the server does not know, extreme ids, 50 000 repeated ids, client streams that end
        before their first message. Each is refused with the status the documents give, and the
        change feed's last sequence shows that none of them changed anything."""
        def query(*parts: bytes) -> bytes:
            return field_bytes(1, b"".join(parts))

        list_customers = "customer.v1.CustomerService/ListCustomers"
        year_zero = -63113904000.0 - 366 * 86400
        cases: list[tuple[str, str, bytes, set[int]]] = [
            ("limit 0", list_customers, query() + field_sint(2, 0), {3}),
            ("limit -1", list_customers, query() + field_sint(2, -1), {3}),
            ("limit 2^31-1", list_customers, query() + field_sint(2, 2**31 - 1), {3}),
            ("changedSince in year 0", list_customers, query(field_double(5, year_zero)), {3}),
            ("changedSince 1e300", list_customers, query(field_double(5, 1e300)), {3}),
            ("changedSince NaN", list_customers, query(field_double(5, float("nan"))), {3}),
            ("status 99", list_customers, query(field_varint(1, 99)), {3}),
            ("order -1", list_customers, query(field_varint(6, -1)), {3}),
            ("pageToken not base64", list_customers, query() + field_bytes(3, "not a token!"), {3}),
            ("pageToken of another order", list_customers,
             query() + field_bytes(3, base64url("1|nope|0|1|1|x")), {3}),
            ("pageToken of another filter", list_customers,
             query() + field_bytes(3, base64url("1|name|123|1|1|x")), {3}),
            ("pageToken of 1 MiB", list_customers, query() + field_bytes(3, "A" * (1 << 20)), {3}),
            ("FindDuplicates pageToken -1", "customer.v1.CustomerService/FindDuplicates", field_bytes(2, "-1"), {3}),
            ("FindDuplicates pageToken 2^64", "customer.v1.CustomerService/FindDuplicates",
             field_bytes(2, "18446744073709551616"), {3}),
            ("GetCustomer id -2^63", "customer.v1.CustomerService/GetCustomer", field_sint(1, -2**63), {5}),
            ("GetCustomer number 2^63-1", "customer.v1.CustomerService/GetCustomer", field_sint(2, 2**63 - 1), {5}),
            # The server may have no customer to name (this script creates none): a missing one is
            # NOT_FOUND before its fields are looked at.
            ("AddTask dueDate -inf", "customer.v1.ActivityService/AddTask",
             field_sint(1, 1) + field_bytes(2, "x") + field_double(3, float("-inf")), {3, 5}),
            ("AddTask subject with NUL, customer -1", "customer.v1.ActivityService/AddTask",
             field_sint(1, -1) + field_bytes(2, "a\0b"), {3, 5}),
            ("SetCustomerSegments with 50 000 ids", "customer.v1.SettingsService/SetCustomerSegments",
             field_sint(1, 1) + field_bytes(2, b"".join(zigzag(n) for n in range(1, 50_001))), {3}),
            ("WatchChanges after 2^63-1", "customer.v1.ChangeFeedService/WatchChanges", field_sint(1, 2**63 - 1), {11}),
            ("UploadFile stream ended before its header", "customer.v1.FileService/UploadFile", None, {3}),
            ("ImportCustomers stream ended before its header", "customer.v1.CustomerService/ImportCustomers", None, {3}),
        ]
        known = {method for method, _ in self.customer_methods()}
        missing = sorted({method for _, method, _, _ in cases} - known)
        if missing:
            raise AssertionError(f"the server lists no {', '.join(missing)}: update the attack")
        with self.session() as conn:
            before = self.feed_last(conn, 1)
            stream = 1
            for name, method, message, codes in cases:
                stream += 2
                if message is None:
                    # CALL_START without a message, ending the client's side at once.
                    conn.send(call_start(stream, method, None, flags=END_STREAM))
                else:
                    conn.send(call_start(stream, method, message))
                status = conn.status(stream)
                if status is None or status.code not in codes:
                    got = "no STATUS" if status is None else f"STATUS {code_name(status.code)} {status.message[:160]!r}"
                    raise AssertionError(f"{name}: expected {'/'.join(code_name(c) for c in sorted(codes))}, got {got}")
            after = self.feed_last(conn, stream + 2)
        if after != before:
            raise AssertionError(f"the change feed moved from {before} to {after}: a refused call changed something")
        return f"{len(cases)} calls refused by field, nothing changed (feed at {after})"

    def interrupted_streams(self) -> str:
        """Client streams that never end well: an import of a valid row cancelled, dropped with its
        connection, or cut by shutdown(SHUT_WR) before its END_STREAM; an import whose second message
        carries options; uploads starting with data, or ending short of their size; a watch cancelled.
        Every refusal is documented (PROTOCOL.md 11, CUSTOMER-API.md), a cancelled call leaves the
        connection serving, and the change feed shows that nothing was written."""
        import_method = "customer.v1.CustomerService/ImportCustomers"
        upload_method = "customer.v1.FileService/UploadFile"
        # ImportCustomersMessage: options (1, empty: all or nothing), one row (2) named "Replay Oy".
        row = field_bytes(2, field_bytes(2, field_bytes(2, "Replay Oy")))
        first = field_bytes(1, b"") + row
        seen: list[str] = []
        with self.session() as conn:
            before = self.feed_last(conn, 1)
            # Cancelled after a valid row: no STATUS is due, and the connection serves the next call.
            conn.send(call_start(3, import_method, None) + frame(MESSAGE, 3, first, HAS_MESSAGE) + frame(CANCEL, 3))
            conn.send(call_start(5, "rpc.health.v1.Health/Check", b"\x0a\x00"))
            self.expect_status(conn, 5, {0})
            seen.append("cancelled import: next call OK")
            # Options again in the second message: the whole import is refused.
            conn.send(call_start(7, import_method, first, flags=HAS_MESSAGE)
                      + frame(MESSAGE, 7, field_bytes(1, b"") + row, HAS_MESSAGE | END_STREAM))
            status = self.expect_status(conn, 7, {3})
            seen.append(f"options twice: {code_name(status.code)}")
            # An upload whose first message is a data chunk, not the header.
            conn.send(call_start(9, upload_method, field_bytes(2, b"abc")))
            status = self.expect_status(conn, 9, {3})
            seen.append(f"upload data first: {code_name(status.code)}")
            # An upload announcing 10 bytes that sends 3 (customer 1 may not exist: NOT_FOUND first).
            header = (field_sint(1, 1) + field_bytes(3, "short.txt") + field_sint(4, 10) + field_bytes(5, "0" * 64))
            conn.send(call_start(11, upload_method, field_bytes(1, header), flags=HAS_MESSAGE)
                      + frame(MESSAGE, 11, field_bytes(2, b"abc"), HAS_MESSAGE | END_STREAM))
            status = self.expect_status(conn, 11, {3, 5})
            seen.append(f"upload short: {code_name(status.code)}")
            # A watch cancelled at once: no STATUS is due, the connection serves on.
            conn.send(call_start(13, "customer.v1.ChangeFeedService/WatchChanges", field_sint(1, 0)) + frame(CANCEL, 13))
            conn.send(call_start(15, "rpc.health.v1.Health/Check", b"\x0a\x00"))
            self.expect_status(conn, 15, {0})
            seen.append("cancelled watch: next call OK")
        # The connection dropped after a valid row, without END_STREAM.
        with self.session() as conn:
            conn.send(call_start(1, import_method, None) + frame(MESSAGE, 1, first, HAS_MESSAGE))
        # shutdown(SHUT_WR) after a valid row: the call is cancelled (no STATUS) and the server closes.
        with self.session() as conn:
            conn.send(call_start(1, import_method, None) + frame(MESSAGE, 1, first, HAS_MESSAGE))
            conn.sock.shutdown(socket.SHUT_WR)
            while (got := conn.read_frame()) is not None:
                if got[0] == STATUS:
                    raise AssertionError(f"an import cut by SHUT_WR before its END_STREAM was answered: {describe(got)}")
            seen.append("import cut by SHUT_WR: closed, no STATUS")
        with self.session() as conn:
            after = self.feed_last(conn, 1)
        if after != before:
            raise AssertionError(f"the change feed moved from {before} to {after}: an interrupted stream wrote")
        return "; ".join(seen) + f"; nothing written (feed at {after})"

    def feed_last(self, conn: Connection, stream: int) -> int:
        """The change feed's newest sequence (GetFeedBounds `last`, 0 when absent)."""
        conn.send(call_start(stream, "customer.v1.ChangeFeedService/GetFeedBounds", b""))
        last = dict(fields(self.response(conn, stream, "GetFeedBounds"))).get(2, 0)
        return (last >> 1) ^ -(last & 1) if isinstance(last, int) else 0

    def frames_split_at_every_byte(self) -> str:
        with self.session(handshake=False) as conn:
            data = MAGIC + client_hello() + call_start(1, "rpc.health.v1.Health/Check", b"\x0a\x00")
            for index in range(len(data)):
                conn.send(data[index:index + 1])
            conn.expect_hello()
            status = self.expect_status(conn, 1, {0})
            return f"{len(data)} one-byte writes, STATUS {code_name(status.code)}"

    def flood(self, count: int) -> str:
        """Opens `count` connections as this OS user and keeps them all open: past the per-user limit
        each must be refused with GOAWAY RESOURCE_EXHAUSTED before its handshake."""
        held: list[Connection] = []
        refused = 0
        try:
            for _ in range(count):
                conn = self.connect(handshake=False)
                held.append(conn)
            for conn in held:
                try:
                    conn.send(MAGIC + client_hello())
                except OSError:
                    pass  # refused before the server read anything: its GOAWAY is still to be read
                got = conn.read_frame()
                away = goaway(got)
                if away and away[0] == 8:
                    refused += 1
                elif got is None or got[0] != HELLO:
                    raise AssertionError(f"a flood connection got {describe(got)}")
        finally:
            for conn in held:
                conn.close()
        if refused == 0:
            raise AssertionError(f"none of {count} connections was refused: no per-user limit below {count}")
        return f"{count - refused} served, {refused} refused RESOURCE_EXHAUSTED"

    def slowloris(self) -> str:
        with self.session(handshake=False) as conn:
            conn.sock.settimeout(max(self.timeout, 30))
            conn.send(MAGIC)
            conn.send(struct.pack(">IBBI", 30, HELLO, 0, 0)[:5])
            return self.expect_goaway(conn, 4, "handshake timed out")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--socket", required=True, help="customerd's socket path")
    parser.add_argument("--timeout", type=float, default=30, help="seconds to wait for any one answer (default 30)")
    parser.add_argument("--flood", type=int, metavar="N", default=0,
                        help="also open N connections at once and expect some refused (N above --max-connections-per-user)")
    parser.add_argument("--slow", action="store_true", help="also a stalled handshake (waits the handshake timeout, 5 s)")
    options = parser.parse_args(argv)

    replay = Replay(options.socket, options.timeout)
    if not replay.healthy():
        print(f"customerd at {options.socket} does not answer a health check", file=sys.stderr)
        return 1
    attacks = [
        ("wrong magic", replay.wrong_magic),
        ("4 MiB HELLO header", replay.huge_hello),
        ("HELLO below the minimum frame size", replay.tiny_max_frame),
        ("unknown frame type", replay.unknown_frame_type),
        ("reused stream id", replay.reused_stream_id),
        ("oversized CALL_START", replay.oversized_call),
        ("overflowing varints in CALL_START", replay.overflowing_varint),
        ("upper-case metadata key", replay.bad_metadata),
        ("unknown method, right-to-left overrides", replay.unknown_method),
        ("1 MiB echoed in an error", replay.echoed_huge_input),
        ("undecodable requests to every method", replay.garbage_requests),
        ("out-of-range values by field", replay.hostile_values),
        ("interrupted client streams", replay.interrupted_streams),
        ("frames split at every byte", replay.frames_split_at_every_byte),
    ]
    if options.flood:
        attacks.append((f"flood of {options.flood} connections", lambda: replay.flood(options.flood)))
    if options.slow:
        attacks.append(("stalled handshake (slowloris)", replay.slowloris))
    for name, attack in attacks:
        replay.run(name, attack)

    width = max(len(name) for name, _, _ in replay.results)
    for name, passed, outcome in replay.results:
        print(f"{'refused' if passed else 'FAILED ':7}  {name:<{width}}  {outcome}")
    failed = sum(1 for _, passed, _ in replay.results if not passed)
    print(f"{len(replay.results) - failed} of {len(replay.results)} attacks refused correctly")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
