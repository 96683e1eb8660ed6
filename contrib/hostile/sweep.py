#!/usr/bin/env python3
"""Sweeps every customer method's every field with hostile values, as several callers, and checks
after each call that the server answered a documented refusal, still serves, and changed nothing the
caller may not change.

Written from Protocol/CUSTOMER-API.md, ENCODING.md and PROTOCOL.md, not from the server's code: the
method list and every message's fields come from the server's reflection service
(`DescribeServices`), the bytes are written here (so wrong wire types, lying lengths and overlong
varints can be sent), and Clients/python only carries them (its framing and its schema reader).

    contrib/hostile/sweep.py --socket PATH                       # as this OS user only
    sudo contrib/hostile/sweep.py --socket PATH --uids 4301      # root: as other OS users too

Run it against a test instance started by the user running the script (that user is the
server's administrator; the sweep adds users, customers and records). With root it adds users of
uid BASE (Read only), BASE+1 (Sales, the editor of its own customers), BASE+2 (Consultant: sees
only its own) and uses BASE+3, which is no user, and calls as each of them from a child process
that switched to that uid (customerd needs `--socket-mode 0666` for them to reach the socket).
Without root it sweeps as itself, the administrator, checking the status and the health only.

A finding is a STATUS of INTERNAL, UNKNOWN or DATA_LOSS, a call with no answer within --timeout
(a server stream may run to its deadline: that is not one), the server no longer answering a health
check on a new connection, a refused call that moved the change feed, a call by Read only or by a
non-user that moved it, and any change to the customer the caller may not edit (its card, read by
the administrator before and after). Exit status 0 when there was none, 1 otherwise, 2 on a usage
error.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import decimal
import json
import os
import pathlib
import struct
import subprocess
import sys
import time
from typing import Iterator

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "Clients" / "python"))

from customercard import RPCError  # noqa: E402
from customercard.channel import Channel, ServerStream  # noqa: E402
from customercard.codec import _encode_field as encode_field  # noqa: E402
from customercard.codec import encode, wrapper  # noqa: E402
from customercard.schema import (LENGTH_DELIMITED, MAP, OPTIONAL, REPEATED, SCALAR_WIRE_TYPES,  # noqa: E402
                                 SINGULAR, VARINT, Schema)
from customercard.status import StatusCode  # noqa: E402
from customercard.wire import varint, zigzag  # noqa: E402

FORBIDDEN = {StatusCode.INTERNAL, StatusCode.UNKNOWN, StatusCode.DATA_LOSS}
EPOCH = dt.datetime(2001, 1, 1, tzinfo=dt.timezone.utc)  # timestamps count seconds from here (ENCODING.md)
YEAR_0 = -63145526400.0 - 978307200.0  # 0000-01-01 (proleptic) in seconds since 2001
YEAR_10000 = 253402300800.0 - 978307200.0
MIB = 1 << 20
SKIPPED = {"customer.v1.MaintenanceService/Backup"}  # writes folders where its request says: refused below


def tag(number: int, wire_type: int) -> bytes:
    return varint((number << 3) | wire_type)


def length_delimited(number: int, payload: bytes) -> bytes:
    return tag(number, LENGTH_DELIMITED) + varint(len(payload)) + payload


def twos(value: int) -> int:
    return value & 0xFFFFFFFFFFFFFFFF


# -- hostile values -------------------------------------------------------------------------------

def structural(number: int, wire_type: int) -> Iterator[tuple[str, bytes]]:
    """Bytes that are wrong whatever the field's type: the field is appended last, so a length
    past the end really runs past the message's end."""
    for other in (0, 1, 2, 5):
        if other != wire_type:
            body = {0: varint(1), 1: b"\0" * 8, 2: varint(1) + b"x", 5: b"\0" * 4}[other]
            yield f"wire type {other}", tag(number, other) + body
    for unknown in (3, 4, 6, 7):
        yield f"wire type {unknown}", tag(number, unknown) + b"\0"
    yield "length past the end", tag(number, LENGTH_DELIMITED) + varint(1 << 31) + b"ab"
    yield "length 2^64-1", tag(number, LENGTH_DELIMITED) + varint((1 << 64) - 1)
    yield "11-byte varint value", tag(number, VARINT) + b"\xff" * 10 + b"\x01"
    yield "10-byte varint 2^64", tag(number, VARINT) + b"\x80" * 9 + b"\x02"
    yield "overlong tag", b"\xff" * 11
    yield "field number 0", tag(0, wire_type) + (varint(1) if wire_type == 0 else b"\0" * 8)
    yield "truncated fixed64", tag(number, 1) + b"\0\0\0"


def integer_values(type_name: str) -> Iterator[tuple[str, int]]:
    signed = type_name.startswith("s")
    for value in (0, 1, -1, (1 << 31) - 1, 1 << 31, -(1 << 31) - 1, (1 << 32), (1 << 63) - 1, -(1 << 63),
                  999_999_999):
        if signed:
            yield f"{value}", varint(zigzag(value))
        elif value >= 0:
            yield f"{value}", varint(value)
    if not signed:
        yield "2^64-1", varint((1 << 64) - 1)
        yield "-1 as two's complement", varint(twos(-1))


def double_values() -> Iterator[tuple[str, bytes]]:
    for name, value in (("year 0", YEAR_0), ("year 10000", YEAR_10000), ("NaN", float("nan")),
                        ("+inf", float("inf")), ("-inf", float("-inf")), ("-0", -0.0), ("1e308", 1e308),
                        ("-1e308", -1e308), ("smallest subnormal", 5e-324),
                        ("year 9999 + 0.9999999", YEAR_10000 - 1e-7), ("year 1 - 1e-3", -63113904000.0 - 978307200.0 - 1e-3)):
        yield name, struct.pack("<d", value)
    yield "signalling NaN with payload", b"\x01\x00\x00\x00\x00\x00\xf0\x7f"
    yield "all ones", b"\xff" * 8


def string_values() -> Iterator[tuple[str, bytes]]:
    yield "empty", b""
    yield "spaces", b"   "
    yield "1 MiB", b"a" * MIB
    yield "1 MiB of e-acute", "é".encode() * (MIB // 2)
    yield "invalid UTF-8", b"\xff\xfe\xfd"
    yield "overlong NUL", b"\xc0\x80"
    yield "surrogate", b"\xed\xa0\x80"
    yield "truncated sequence", b"ab\xe2\x82"
    yield "NUL", b"a\0b"
    yield "escape and DEL", b"\x1b[2J\x7f"
    yield "C1 control", "a\u0085b".encode()
    yield "line separator", "a\u2028b".encode()
    yield "300 RTL overrides", "\u202e".encode() * 300
    yield "10 000 combining marks", ("a" + "\u0301" * 10_000).encode()
    yield "non-character U+FFFF", "\uffff".encode()
    yield "emoji", "🏢".encode() * 300
    yield "percent and quotes", b"%_'\"\\;--"
    yield "path traversal", b"../../../../etc/passwd"
    yield "absolute path", b"/etc/passwd"


def decimal_values() -> Iterator[tuple[str, bytes]]:
    for text in ("", "NaN", "Infinity", "-0", "1e999999999", "1e-999999999", "9" * 1000, "0." + "0" * 1000 + "1",
                 "1.", ".", "--1", "+1", "0x10", "١٢٣", "1,5", " 1", "1 ", "999999999999999", "1000000000000000",
                 "-1000000000000000", "1e15", "\u0000"):
        yield f"decimal {text[:20]!r}", text.encode()
    yield "decimal invalid UTF-8", b"1\xff"


def enum_values(numbered: bool) -> Iterator[tuple[str, bytes]]:
    if numbered:
        for value in (99, 1 << 31, 1 << 32, (1 << 63) - 1):
            yield f"enum {value}", varint(value)
        yield "enum -1", varint(twos(-1))
    else:
        for text in (b"", b"NOPE", b"a" * MIB, b"\xff", b"billing\0"):
            yield f"enum text {text[:10]!r}", text


def hostile_fields(schema: Schema, number: int, label: str, type_name: str, name: str,
                   context: "Context") -> Iterator[tuple[str, bytes]]:
    """(description, field bytes) for one field of the given label and type."""
    wrapped = wrapper(type_name)
    if label in (REPEATED, MAP) or wrapped is not None and wrapped[0] in (REPEATED, MAP):
        yield from repeated_fields(schema, number, label, type_name, wrapped)
        return
    if wrapped is not None:
        type_name = wrapped[1]
    wire_type = schema.wire_type(type_name)
    yield from structural(number, wire_type)
    enum = schema.enums.get(type_name)
    if type_name in ("sint64", "sint32", "sint16", "sint8", "uint64", "uint32", "uint16", "uint8"):
        values = list(integer_values(type_name))
        if name.lower().endswith("id") or name.lower().endswith("number"):
            for hidden in context.hidden_ids:
                values.append((f"id of a customer the caller may not see ({hidden})", varint(zigzag(hidden))))
        for description, body in values:
            yield description, tag(number, VARINT) + body
    elif type_name == "bool":
        for value in (2, 255, (1 << 64) - 1):
            yield f"bool {value}", tag(number, VARINT) + varint(value)
    elif type_name in ("double", "timestamp"):
        for description, body in double_values():
            yield description, tag(number, 1) + body
    elif type_name == "float":
        for description, value in (("NaN", b"\x00\x00\xc0\x7f"), ("+inf", b"\x00\x00\x80\x7f")):
            yield description, tag(number, 5) + value
    elif type_name == "decimal":
        for description, body in decimal_values():
            yield description, length_delimited(number, body)
    elif type_name in ("string", "url", "uuid", "bytes"):
        for description, body in string_values():
            yield description, length_delimited(number, body)
        if name == "pageToken":
            for description, token in context.page_tokens:
                yield description, length_delimited(number, token.encode())
    elif enum is not None:
        for description, body in enum_values(enum.numbered):
            yield description, (tag(number, VARINT) + body if enum.numbered else length_delimited(number, body))
    else:  # a message
        yield "empty message", length_delimited(number, b"")
        yield "garbage message", length_delimited(number, b"\xff\xff\xff")
        nested = b""
        for _ in range(1000):
            nested = length_delimited(1, nested)
        yield "1000 deep through field 1", length_delimited(number, nested)
        inner = b""
        for _ in range(1000):
            inner = length_delimited(number, inner)
        yield "1000 deep through itself", inner


def repeated_fields(schema: Schema, number: int, label: str, type_name: str,
                    wrapped) -> Iterator[tuple[str, bytes]]:
    element = wrapped[1] if wrapped is not None and label not in (REPEATED, MAP) else type_name
    element = wrapper(element)[1] if wrapper(element) is not None and wrapper(element)[0] == OPTIONAL else element
    wire_type = schema.wire_type(element)
    count = 100_000
    if wire_type == VARINT and element in SCALAR_WIRE_TYPES:
        packed = b"".join(varint(zigzag(i) if element.startswith("s") else i) for i in range(count))
        yield "100 000 packed entries", length_delimited(number, packed)
        yield "100 000 unpacked entries", b"".join(tag(number, VARINT) + varint(i) for i in range(count))
        yield "packed with a cut varint", length_delimited(number, b"\x01\x02\xff")
    elif element in ("double", "timestamp"):
        yield "100 000 NaN entries", length_delimited(number, struct.pack("<d", float("nan")) * count)
        yield "packed doubles cut", length_delimited(number, b"\0" * 13)
    else:
        yield "100 000 entries of 'a'", length_delimited(number, b"a") * count
        yield "100 000 distinct entries", b"".join(length_delimited(number, b"n%d" % i) for i in range(count))
        yield "100 000 empty entries", length_delimited(number, b"") * count
        yield "100 000 entries, the same key", length_delimited(number, length_delimited(1, b"k")) * count
    yield "length past the end", tag(number, LENGTH_DELIMITED) + varint(1 << 31)
    yield "wire type 0", tag(number, VARINT) + varint(5)
    yield "wire type 1", tag(number, 1) + b"\0" * 8


# -- requests -------------------------------------------------------------------------------------

class Context:
    """What the sweep knows about the seeded store and the caller."""

    def __init__(self, visible_id: int, hidden_ids: list[int], page_tokens: list[tuple[str, str]]):
        self.visible_id = visible_id
        self.hidden_ids = hidden_ids
        self.page_tokens = page_tokens


def default_value(schema: Schema, type_name: str, name: str, context: Context, depth: int):
    wrapped = wrapper(type_name)
    if wrapped is not None:
        return None if wrapped[0] == OPTIONAL else ([] if wrapped[0] == REPEATED else {})
    lowered = name.lower()
    if type_name in ("sint64", "sint32", "sint16", "sint8", "uint64", "uint32", "uint16", "uint8"):
        if lowered == "limit":
            return 10
        if lowered.endswith("id"):
            return context.visible_id
        return 1
    return {
        "string": "sweep", "url": "https://example.com", "uuid": "00000000-0000-0000-0000-000000000000",
        "bytes": b"x", "bool": False, "double": 1.0, "float": 1.0, "decimal": decimal.Decimal("1"),
        "timestamp": dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
    }.get(type_name, enum_or_message(schema, type_name, context, depth))


def enum_or_message(schema: Schema, type_name: str, context: Context, depth: int):
    enum = schema.enums.get(type_name)
    if enum is not None:
        return enum.values[0][0]
    if type_name in schema.messages and depth < 4:
        return base_request(schema, type_name, context, depth + 1)
    return {}


def base_request(schema: Schema, message: str, context: Context, depth: int = 0) -> dict:
    """Every singular field set to a plausible value; optional, repeated and map fields absent."""
    value = {}
    for field in schema.message(message).fields:
        if field.label == SINGULAR:
            value[field.name] = default_value(schema, field.type, field.name, context, depth)
    return {k: v for k, v in value.items() if v is not None}


def encode_except(schema: Schema, message: str, value: dict, left_out: str) -> bytes | None:
    """The message's fields but `left_out`, each as the codec writes it (the codec alone would
    refuse a message without a singular field); None when it cannot write them."""
    out = bytearray()
    for field in schema.message(message).fields:
        if field.name == left_out or value.get(field.name) is None:
            continue
        try:
            encode_field(schema, field, value[field.name], field.name, out)
        except Exception:  # noqa: BLE001 - a base the codec refuses is skipped, not a finding
            return None
    return bytes(out)


def variants(schema: Schema, message: str, base: dict, context: Context, path: str = "",
             depth: int = 0) -> Iterator[tuple[str, bytes]]:
    """(field path and value, request bytes) with one field of `message` made hostile; at the top,
    also the whole request followed by a field no version of the message has."""
    if not path:
        whole = encode_except(schema, message, base, "")
        if whole is not None:
            for description, hostile in structural(1000, LENGTH_DELIMITED):
                yield f"unknown field 1000: {description}", whole + hostile
            yield "unknown field of 1 MiB", whole + length_delimited(1000, b"\0" * MIB)
    for field in schema.message(message).fields:
        prefix = encode_except(schema, message, base, field.name)
        if prefix is None:
            continue
        where = f"{path}{field.name}"
        for description, hostile in hostile_fields(schema, field.number, field.label, field.type, field.name,
                                                   context):
            yield f"{where}: {description}", prefix + hostile
        inner = field.type if field.label in (SINGULAR, OPTIONAL) else None
        if inner is not None and wrapper(inner) is None and inner in schema.messages and depth < 2:
            inner_base = base.get(field.name) or base_request(schema, inner, context)
            for description, body in variants(schema, inner, inner_base, context, where + ".", depth + 1):
                yield description, prefix + length_delimited(field.number, body)


# -- calling ----------------------------------------------------------------------------------------

STREAM_DEADLINE = 5.0  # a watch runs until its deadline: every hostile watch would take the whole timeout


def call(channel: Channel, method: str, kind: str, request: bytes, timeout: float) -> tuple[str, str]:
    """(status name, message) of one call; a server stream is read to its end or its deadline
    (at most STREAM_DEADLINE seconds)."""
    deadline = time.monotonic() + (min(timeout, STREAM_DEADLINE) if kind == "server_streaming" else timeout)
    try:
        if kind == "client_streaming":
            channel.client_stream_bytes(method, [request], deadline=deadline)
        elif kind == "server_streaming":
            stream = channel._start(method, b"\0", request, True, deadline)  # noqa: SLF001 - raw bytes
            with ServerStream(stream, lambda data: data, deadline, channel._status_error) as answers:  # noqa: SLF001
                for _ in answers:
                    pass
        else:
            channel.unary_bytes(method, request, deadline=deadline)
        return "OK", ""
    except RPCError as error:
        return error.code.name, error.message[:300]


def worker(socket: str, timeout: float) -> int:
    """Runs calls read from stdin (JSON lines) on one channel as this process's uid."""
    channel = Channel(socket)
    for line in sys.stdin:
        job = json.loads(line)
        status, message = call(channel, job["method"], job["kind"], base64.b64decode(job["request"]), timeout)
        if status == "UNAVAILABLE":
            channel.close()
        print(json.dumps({"status": status, "message": message}), flush=True)
    return 0


def all_may_run(path: str) -> bool:
    """Whether every directory on the way to `path` and the file itself are open to others."""
    current = pathlib.Path(path).resolve()
    for part in [*current.parents, current]:
        if not os.stat(part).st_mode & 0o001:
            return False
    return True


class Caller:
    """Calls as one OS uid: this process, or a child that switched to the uid."""

    def __init__(self, socket: str, uid: int | None, timeout: float):
        self.uid = uid
        self.timeout = timeout
        self.channel = Channel(socket) if uid is None else None
        self.child = None
        if uid is not None:
            # The interpreter running this may sit where the other uid cannot read (a pyenv in /root).
            python = next((p for p in (sys.executable, "/usr/bin/python3")
                           if os.access(p, os.X_OK) and all_may_run(p)), sys.executable)

            def switch() -> None:
                os.setgroups([])
                os.setresgid(uid, uid, uid)
                os.setresuid(uid, uid, uid)
            self.child = subprocess.Popen(
                [python, __file__, "--socket", socket, "--timeout", str(timeout), "--worker"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, preexec_fn=switch)

    def call(self, method: str, kind: str, request: bytes) -> tuple[str, str]:
        if self.channel is not None:
            status, message = call(self.channel, method, kind, request, self.timeout)
            if status == "UNAVAILABLE":
                self.channel.close()
            return status, message
        assert self.child is not None and self.child.stdin is not None and self.child.stdout is not None
        job = {"method": method, "kind": kind, "request": base64.b64encode(request).decode()}
        self.child.stdin.write(json.dumps(job) + "\n")
        self.child.stdin.flush()
        answer = self.child.stdout.readline()
        if not answer:
            return "NO ANSWER", "the calling process ended"
        decoded = json.loads(answer)
        return decoded["status"], decoded["message"]

    def close(self) -> None:
        if self.channel is not None:
            self.channel.close()
        if self.child is not None:
            assert self.child.stdin is not None
            self.child.stdin.close()
            try:
                self.child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.child.kill()
                self.child.wait()


class Sweep:
    def __init__(self, arguments: argparse.Namespace):
        self.arguments = arguments
        self.admin = Channel(arguments.socket, timeout=arguments.timeout)
        self.schema = self.admin.schema
        self.findings: list[str] = []
        self.calls = 0

    def finding(self, text: str) -> None:
        self.findings.append(text)
        print(f"FINDING {text}", flush=True)

    def healthy(self) -> bool:
        probe = Channel(self.arguments.socket, timeout=self.arguments.timeout)
        try:
            return probe.call("rpc.health.v1.Health/Check", {})["status"] == "SERVING"
        except RPCError:
            return False
        finally:
            probe.close()

    def feed_sequence(self) -> int:
        return int(self.admin.call("customer.v1.ChangeFeedService/GetFeedBounds", {}).get("last", 0))

    def card(self, customer_id: int, whole: bool) -> bytes:
        """The customer's whole card, or (for a caller who may manage every customer's contacts) its
        record, addresses and projects."""
        request = encode(self.schema, "CustomerIDRequest", {"customerId": customer_id})
        methods = (["CardService/GetCustomerCard"] if whole else
                   ["CustomerService/GetCustomer", "AddressService/ListAddresses", "ProjectService/ListProjects"])
        deadline = time.monotonic() + self.arguments.timeout
        return b"".join(self.admin.unary_bytes(f"customer.v1.{method}", request if "Projects" not in method else
                                               encode(self.schema, "ListProjectsRequest", {"customerId": customer_id}),
                                               deadline=deadline) for method in methods)

    def user(self, uid: int, name: str, profile: str) -> None:
        try:
            self.admin.call("customer.v1.UserService/AddUser", {"uid": uid, "name": name, "profile": profile})
        except RPCError as error:
            if error.code != StatusCode.ALREADY_EXISTS:
                raise

    def customer(self, name: str, manager: str) -> int:
        created = self.admin.call("customer.v1.CustomerService/CreateCustomer",
                                  {"fields": {"name": name, "accountManager": manager}})
        return int(created["id"])

    def records(self, customer_id: int) -> list[int]:
        """Ids of an address, a contact, a note, a task and a project of the customer: a caller
        who may not change it names them too."""
        ids = []
        for method, request in (
                ("AddressService/AddAddress", {"customerId": customer_id, "fields": {"city": "Espoo", "country": "FI"}}),
                ("ContactService/CreateContact", {"customerId": customer_id, "fields": {"lastName": "Protected"}}),
                ("ActivityService/AddNote", {"customerId": customer_id, "text": "protected note"}),
                ("ActivityService/AddTask", {"customerId": customer_id, "subject": "protected task"}),
                ("ProjectService/CreateProject", {"customerId": customer_id, "kind": self.schema.enums[
                    "Project.Kind"].values[0][0], "fields": {"name": "Protected project"}})):
            try:
                ids.append(int(self.admin.call(f"customer.v1.{method}", request)["id"]))
            except (RPCError, KeyError) as error:
                print(f"note: could not seed {method}: {error}", file=sys.stderr)
        return ids

    def tokens(self, caller: Caller) -> list[tuple[str, str]]:
        """Page tokens: forged, and the administrator's real ones, tampered and from another filter."""
        found: list[tuple[str, str]] = [
            ("forged token", base64.urlsafe_b64encode(b"v1:0:999999999").decode().rstrip("=")),
            ("forged token, negative", base64.urlsafe_b64encode(struct.pack("<q", -1)).decode()),
            ("token of 1 MiB", "A" * MIB), ("token not base64", "!!!"),
        ]
        for query, label in (({}, "another filter"), ({"search": "sweep"}, "a search")):
            try:
                page = self.admin.call("customer.v1.CustomerService/ListCustomers", {"query": query, "limit": 1})
            except RPCError:
                continue
            token = page.get("nextPageToken")
            if token:
                found.append((f"real token of {label}", token))
                flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
                found.append((f"tampered token of {label}", flipped))
        return found

    def run(self) -> int:
        me = self.admin.call("customer.v1.UserService/WhoAmI", {})
        admin_name = me["name"]
        roles: list[tuple[str, int | None, str | None]] = [("administrator (this user)", None, admin_name)]
        base = self.arguments.uids
        if base is not None:
            if os.getuid() != 0:
                print("Error: --uids needs root (the sweep switches to those uids)", file=sys.stderr)
                return 2
            self.user(base, "sweep-read-only", "Read only")
            self.user(base + 1, "sweep-sales", "Sales")
            self.user(base + 2, "sweep-consultant", "Consultant")
            roles = [("Read only", base, "sweep-read-only"), ("Sales (editor)", base + 1, "sweep-sales"),
                     ("Consultant (own customers)", base + 2, "sweep-consultant"), ("not a user", base + 3, None)]
        protected = self.customer("Sweep protected customer", admin_name)
        protected_records = self.records(protected)
        for index in range(3):
            self.customer(f"Sweep customer {index}", admin_name)
        methods = sorted((m for m in self.schema.methods.values() if m.service.startswith("customer.v1.")),
                         key=lambda m: m.path)
        for role, uid, name in roles:
            own = self.customer(f"Sweep own of {role}", name) if name and uid is not None else protected
            hidden = sorted({protected, *protected_records, 0, -1, 1 << 40})
            caller = Caller(self.arguments.socket, uid, self.arguments.timeout)
            context = Context(own, hidden, self.tokens(caller))
            try:
                self.sweep_role(role, uid, caller, context, protected, methods)
            finally:
                caller.close()
        print(f"{self.calls} calls, {len(self.findings)} findings")
        for finding in self.findings:
            print(f"  {finding}")
        return 1 if self.findings else 0

    def sweep_role(self, role: str, uid, caller: Caller, context: Context, protected: int, methods) -> None:
        read_only = role in ("Read only", "not a user")
        may_edit_protected = uid is None
        whole_card = not role.startswith("Sales")  # Sales manages the contacts of every customer
        for method in methods:
            if method.path in SKIPPED and uid is None:
                continue
            if self.arguments.only and self.arguments.only not in method.path:
                continue
            base = base_request(self.schema, method.request, context)
            count = 0
            for description, request in variants(self.schema, method.request, base, context):
                if len(request) > 4 * MIB - 4096:
                    continue
                before_sequence = self.feed_sequence()
                before_card = self.card(protected, whole_card) if not may_edit_protected else b""
                status, message = caller.call(method.path, method.kind, request)
                self.calls += 1
                count += 1
                where = f"{role}: {method.path} {description}"
                if status in {code.name for code in FORBIDDEN} or status == "NO ANSWER":
                    self.finding(f"{where}: {status} {message}")
                elif status == "DEADLINE_EXCEEDED" and method.kind != "server_streaming":
                    self.finding(f"{where}: no answer within {self.arguments.timeout} s ({message})")
                after_sequence = self.feed_sequence()
                if after_sequence != before_sequence and (read_only or status != "OK"):
                    self.finding(f"{where}: {status} but the change feed moved "
                                         f"{before_sequence} -> {after_sequence}")
                if not may_edit_protected and self.card(protected, whole_card) != before_card:
                    self.finding(f"{where}: {status} and the protected customer {protected} changed")
            healthy = self.healthy()
            print(f"{role}: {method.path}: {count} calls{'' if healthy else ', SERVER DOWN'}", flush=True)
            if not healthy:
                self.finding(f"{role}: {method.path}: the server stopped answering a health check")
                raise SystemExit(self.report_down())

    def report_down(self) -> int:
        print(f"{self.calls} calls, {len(self.findings)} findings; the server is down")
        return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--uids", type=int, help="first of four OS uids to call as (needs root)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a call may take (default 60)")
    parser.add_argument("--only", help="sweep only the methods whose path contains this")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.worker:
        return worker(arguments.socket, arguments.timeout)
    return Sweep(arguments).run()


if __name__ == "__main__":
    sys.exit(main())
