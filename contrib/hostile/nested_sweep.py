#!/usr/bin/env python3
"""The nested-field sweep by role: every field inside a repeated field's entries and a map's entries
(at any depth) of every unary customer method's request, and of an import's rows, set to hostile
values one at a time, as four callers; it checks that no answer is INTERNAL, UNKNOWN, UNIMPLEMENTED
or DATA_LOSS, that every refusal names the field, that the server keeps serving and that a refused
call changes nothing (a dump of the database, from a `Backup`, compared before and after).

`sweep.py` sets the fields of singular and optional messages two levels deep and sends repeated
fields only as whole runs (100 000 entries, a cut packed run, a wrong wire type); this sweeps what it
leaves: one entry of a repeated field, second after a valid one, made hostile (each hostile value of
its element type, packed and unpacked for numbers), every field of a repeated message's entry (an
import's `rows`) made hostile in turn, and the key and the value of a map's entry. The fields come
from the reflection answer (`DescribeServices`): a field added later is swept without editing this.

    contrib/hostile/nested_sweep.py --socket PATH --backups DIR

Run it as the server's administrator against a test instance (it adds users and customers). The
other callers are people a trusted service names in `acting-for` (the administrator trusts itself
for the sweep and takes the trust back after): the call is checked as the person named (PERMISSIONS.md),
so no other OS user and no root is needed: a Read-only user, a Consultant (own customers only), a
deactivated Sales user, and the administrator itself. `--backups` is a folder the server may write
(its backups of the database go there, one per method and caller). Exit status 0 when there was no
finding, 1 otherwise.
"""

from __future__ import annotations

import argparse
import pathlib
import sqlite3
import struct
import sys
import time
from typing import Iterator

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import sweep  # noqa: E402 - the hostile values, the seeding and the bytes are sweep.py's
from sweep import MIB, length_delimited, tag, twos  # noqa: E402
from customercard import RPCError  # noqa: E402
from customercard.codec import wrapper  # noqa: E402
from customercard.frames import metadata_block  # noqa: E402
from customercard.schema import (FIXED32, FIXED64, LENGTH_DELIMITED, MAP, OPTIONAL, REPEATED,  # noqa: E402
                                 SCALAR_WIRE_TYPES, SINGULAR, VARINT, FieldSchema, Schema)
from customercard.wire import varint, zigzag  # noqa: E402

FORBIDDEN = {"INTERNAL", "UNKNOWN", "UNIMPLEMENTED", "DATA_LOSS", "NO ANSWER"}
# Statuses whose refusal must name a field: a detail (PROTOCOL.md 6.1), or for a request the
# server cannot decode, its message in field numbers (10.1).
NAMED = {"INVALID_ARGUMENT", "NOT_FOUND", "ALREADY_EXISTS", "FAILED_PRECONDITION", "OUT_OF_RANGE", "ABORTED"}
PLAUSIBLE = {"name": "Nested sweep", "lastName": "Sweep"}  # optional fields set in the valid entries
INTEGERS = ("sint64", "sint32", "sint16", "sint8", "uint64", "uint32", "uint16", "uint8")
# Tables the server writes behind the calls (the search index, in the writer's idle time) or for the
# dump itself (the backup's idempotency key): not compared.
BACKGROUND_TABLES = ("customer_search", "idempotency_key")


# -- hostile values of one element -------------------------------------------------------------------

def element_values(schema: Schema, type_name: str, name: str, hidden: list[int]) -> Iterator[tuple[str, int, bytes]]:
    """(description, wire type, payload) of hostile values of an element of `type_name`: for a
    length-delimited type the payload is the content (no length)."""
    if type_name in INTEGERS:
        low, high = {"s": (-(1 << 63), (1 << 63) - 1), "u": (0, (1 << 64) - 1)}[type_name[0]]
        bits = int(type_name[4:] if type_name[0] == "s" else type_name[4:])
        values = [0, -1, (1 << (bits - 1)), -(1 << (bits - 1)) - 1, (1 << bits), high, low]
        if name.lower().endswith(("id", "ids")):
            values += hidden
        for value in dict.fromkeys(values):
            if not low <= value <= high:
                continue
            yield f"{value}", VARINT, varint(zigzag(value) if type_name[0] == "s" else twos(value))
        if type_name[0] == "u":
            yield "-1 as two's complement", VARINT, varint(twos(-1))
        yield "11-byte varint", VARINT, b"\xff" * 10 + b"\x01"
    elif type_name == "bool":
        yield "bool 2", VARINT, varint(2)
        yield "bool 2^64-1", VARINT, varint((1 << 64) - 1)
    elif type_name in ("double", "timestamp"):
        for description, value in (("NaN", float("nan")), ("+inf", float("inf")), ("-inf", float("-inf")),
                                   ("year 10000", sweep.YEAR_10000), ("year 0", sweep.YEAR_0), ("-1e308", -1e308)):
            yield description, FIXED64, struct.pack("<d", value)
    elif type_name == "float":
        yield "NaN", FIXED32, b"\x00\x00\xc0\x7f"
    elif type_name == "decimal":
        for text in ("NaN", "x", "9" * 1000, "1e999999999", "-1000000000000000"):
            yield f"decimal {text[:12]!r}", LENGTH_DELIMITED, text.encode()
    elif type_name in ("string", "url", "uuid", "bytes"):
        for description, body in (("empty", b""), ("invalid UTF-8", b"\xff\xfe"), ("surrogate", b"\xed\xa0\x80"),
                                  ("NUL", b"a\0b"), ("line feed", b"a\nb"), ("RTL override", "a\u202eb".encode()),
                                  ("over-long: 70 000 characters", b"a" * 70_000),
                                  ("10 000 combining marks", ("a" + "\u0301" * 10_000).encode())):
            yield description, LENGTH_DELIMITED, body
    elif type_name in schema.enums:
        if schema.enums[type_name].numbered:
            for value in (99, -1, (1 << 63) - 1, 1 << 32):
                yield f"enum {value}", VARINT, varint(twos(value))
        else:
            for text in (b"NOPE", b"", b"\xff", b"a" * 70_000):
                yield f"enum text {text[:8]!r}", LENGTH_DELIMITED, text
    else:  # a message, or a wrapper of one
        yield "empty message", LENGTH_DELIMITED, b""
        yield "undecodable message", LENGTH_DELIMITED, b"\xff\xff\xff"
    # A wrong wire type, whatever the type.
    wire_type = schema.wire_type(type_name)
    yield "wrong wire type", *((FIXED32, b"\0\0\0\0") if wire_type != FIXED32 else (VARINT, varint(1)))


def occurrence(number: int, wire_type: int, payload: bytes) -> bytes:
    return tag(number, wire_type) + (varint(len(payload)) + payload if wire_type == LENGTH_DELIMITED else payload)


# -- where the entries are --------------------------------------------------------------------------

def element_of(field: FieldSchema) -> tuple[str, str, str | None] | None:
    """(label, element type, key type) of a repeated or map field, spelled as a label or as `[T]` /
    `[K: V]`; None for a singular or optional field."""
    if field.label in (REPEATED, MAP):
        return field.label, field.type, field.key_type
    wrapped = wrapper(field.type)
    if wrapped is not None and wrapped[0] in (REPEATED, MAP):
        return wrapped
    return None


def valid_element(schema: Schema, type_name: str, name: str, context: sweep.Context) -> bytes | None:
    """The payload of one plausible element (an occurrence's content, or a packed value)."""
    try:
        value = sweep.default_value(schema, type_name, name, context, 0)
        if value is None:
            return None
        out = bytearray()
        sweep.encode_field(schema, FieldSchema(1, name, SINGULAR, type_name), value, name, out)
    except Exception:  # noqa: BLE001 - a type the codec cannot write by default has no valid first entry
        return None
    payload = bytes(out)[1:]  # drop the tag of field 1 (one byte)
    if schema.wire_type(type_name) == LENGTH_DELIMITED:
        length_bytes = next(index for index, byte in enumerate(payload) if byte < 0x80) + 1
        return payload[length_bytes:]
    return payload


def entry_variants(schema: Schema, field: FieldSchema, path: str, context: sweep.Context,
                   seen: frozenset[str]) -> Iterator[tuple[str, str, bytes]]:
    """(path of the hostile field, description, occurrences of `field`) with one entry hostile,
    second after a valid entry."""
    label, element, key_type = element_of(field)  # type: ignore[misc]
    inner = wrapper(element)
    if label == MAP:
        key = key_type or "string"
        value_type = inner[1] if inner else element
        good_key = occurrence(1, schema.wire_type(key), valid_element(schema, key, "key", context) or b"")
        good_payload = valid_element(schema, value_type, "value", context)
        good_value = occurrence(2, schema.wire_type(value_type), good_payload) if good_payload is not None else b""
        for description, wire_type, payload in element_values(schema, key, "key", context.hidden_ids):
            yield f"{path}[].key", description, length_delimited(field.number, occurrence(1, wire_type, payload)
                                                                 + good_value)
        for description, wire_type, payload in element_values(schema, value_type, "value", context.hidden_ids):
            yield f"{path}[].value", description, length_delimited(field.number, good_key
                                                                   + occurrence(2, wire_type, payload))
        if value_type in schema.messages and value_type not in seen:
            value_base = message_base(schema, value_type, context)
            for where, description, body in message_variants(schema, schema.message(value_type).fields,
                                                             f"{path}[].value", context, seen | {value_type},
                                                             base=(value_type, value_base)):
                yield where, description, length_delimited(field.number, good_key + length_delimited(2, body))
        return
    if inner is not None and inner[0] == OPTIONAL:  # `[T?]`: each element a wrapper message
        for description, wire_type, payload in element_values(schema, inner[1], field.name, context.hidden_ids):
            yield f"{path}[1]", description, (length_delimited(field.number, b"") +
                                             length_delimited(field.number, occurrence(1, wire_type, payload)))
        return
    if element in schema.messages and wrapper(element) is None:
        good = message_base(schema, element, context)
        for where, description, body in message_variants(schema, schema.message(element).fields, f"{path}[1]",
                                                         context, seen | {element}, base=(element, good)):
            first = sweep.encode_except(schema, element, good, "") or b""
            yield where, description, length_delimited(field.number, first) + length_delimited(field.number, body)
        return
    good = valid_element(schema, element, field.name, context)
    packable = schema.wire_type(element) in (VARINT, FIXED64, FIXED32) and element in SCALAR_WIRE_TYPES or (
        element in schema.enums and schema.enums[element].numbered)
    for description, wire_type, payload in element_values(schema, element, field.name, context.hidden_ids):
        if good is None:
            yield f"{path}[0]", description, occurrence(field.number, wire_type, payload)
            continue
        if packable:
            if wire_type == schema.wire_type(element):
                yield f"{path}[1]", f"{description} (packed)", length_delimited(field.number, good + payload)
            yield f"{path}[1]", f"{description} (unpacked)", (occurrence(field.number, schema.wire_type(element), good)
                                                             + occurrence(field.number, wire_type, payload))
        else:
            yield f"{path}[1]", description, (length_delimited(field.number, good)
                                             + occurrence(field.number, wire_type, payload))


def message_base(schema: Schema, message: str, context: sweep.Context) -> dict:
    """sweep.py's plausible message, with a name where one is optional (a row or a contact needs one,
    or every variant would be refused for its absence and not for the hostile field)."""
    base = sweep.base_request(schema, message, context)
    for field in schema.message(message).fields:
        if field.label == OPTIONAL and field.name in PLAUSIBLE and wrapper(field.type) is None:
            base[field.name] = PLAUSIBLE[field.name]
        elif field.label == SINGULAR and field.type in schema.messages and field.type != message:
            base[field.name] = message_base(schema, field.type, context)
    if sweep.encode_except(schema, message, base, "") is None:
        return {}
    return base


def message_variants(schema: Schema, fields: list[FieldSchema], path: str, context: sweep.Context,
                     seen: frozenset[str], base: tuple[str, dict] | None = None,
                     inside_entry: bool = True) -> Iterator[tuple[str, str, bytes]]:
    """(path, description, message bytes) with one field of the message made hostile: every field
    when inside an entry; outside one, only the entries of repeated and map fields (sweep.py sets
    the rest)."""
    for field in fields:
        where = f"{path}.{field.name}" if path else field.name
        others = b""
        if base is not None:
            others = sweep.encode_except(schema, base[0], base[1], field.name) or b""
        if element_of(field) is not None:
            for inner_where, description, body in entry_variants(schema, field, where, context, seen):
                yield inner_where, description, others + body
            continue
        inner = wrapper(field.type)[1] if wrapper(field.type) is not None else field.type
        if inner in schema.messages and inner not in seen:
            inner_base = message_base(schema, inner, context)
            for inner_where, description, body in message_variants(
                    schema, schema.message(inner).fields, where, context, seen | {inner},
                    base=(inner, inner_base), inside_entry=inside_entry):
                yield inner_where, description, others + length_delimited(field.number, body)
        if not inside_entry:
            continue
        for description, wire_type, payload in element_values(schema, inner, field.name, context.hidden_ids):
            yield where, description, others + occurrence(field.number, wire_type, payload)


def request_variants(schema: Schema, message: str, context: sweep.Context) -> Iterator[tuple[str, str, bytes]]:
    """The request's variants: only what lies inside an entry (of any depth)."""
    base = message_base(schema, message, context)
    yield from message_variants(schema, schema.message(message).fields, "", context, frozenset({message}),
                                base=(message, base), inside_entry=False)


# -- checking ------------------------------------------------------------------------------------

def names_field(path: str, number_path: str, error: RPCError) -> bool:
    """Whether a refusal names the hostile field: a detail's field ending in the field's name, in the
    name of the repeated field holding it, or an import's `line N: …`; or, for a request the server
    could not decode, its message naming the repeated field's number."""
    names = {part.split("[")[0] for part in path.split(".") if part}
    for field in error.fields:
        last = field.split(":")[-1].strip().split(".")[-1].split("[")[0]
        if last in names or field.split(".")[0].split("[")[0] in names or field.startswith("line "):
            return True
    return "cannot decode" in error.message and f"field {number_path}" in error.message


class NestedSweep:
    def __init__(self, arguments: argparse.Namespace):
        self.arguments = arguments
        self.base = sweep.Sweep(argparse.Namespace(socket=arguments.socket, timeout=arguments.timeout))
        self.admin = self.base.admin
        self.schema = self.base.schema
        self.backups = pathlib.Path(arguments.backups)
        self.dumps = 0
        self.calls = 0
        self.findings: list[str] = []

    def finding(self, text: str) -> None:
        self.findings.append(text)
        print(f"FINDING {text}", flush=True)

    def dump(self) -> list[str]:
        """The database, as a `Backup` copies it, as SQL text: its tables but those the server writes
        behind the calls."""
        self.dumps += 1
        folder = self.backups / f"dump-{self.dumps}"
        self.admin.call("customer.v1.MaintenanceService/Backup", {"to": str(folder)})
        database = next(path for path in folder.iterdir() if path.name != "MANIFEST" and path.is_file())
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            lines = [line for line in connection.iterdump()
                     if not any(f'"{table}' in line.split("VALUES")[0] for table in BACKGROUND_TABLES)]
        finally:
            connection.close()
        for path in folder.iterdir():
            if path.is_file():
                path.unlink()
        return lines

    def person(self, uid: int, name: str, profile: str, active: bool = True) -> None:
        self.base.user(uid, name, profile)
        if not active:
            self.admin.call("customer.v1.UserService/DeactivateUser", {"user": name})

    def call(self, method, request: bytes, acting_for: str | None) -> RPCError | None:
        deadline = time.monotonic() + self.arguments.timeout
        block = metadata_block([("acting-for", acting_for)] if acting_for else [])
        try:
            if method.kind == "client_streaming":
                options = self.schema.message(method.request).fields[0]
                first = length_delimited(options.number, b"") if options.name == "options" else b""
                self.admin.client_stream_bytes(method.path, [first + request], block, deadline)
            else:
                self.admin.unary_bytes(method.path, request, block, deadline)
            return None
        except RPCError as error:
            if error.code.name == "UNAVAILABLE":
                self.admin.close()
            return error

    def run(self) -> int:
        started = time.monotonic()
        me = self.admin.call("customer.v1.UserService/WhoAmI", {})["name"]
        base_uid = self.arguments.uids
        self.person(base_uid, "nested-read-only", "Read only")
        self.person(base_uid + 1, "nested-consultant", "Consultant")
        self.person(base_uid + 2, "nested-deactivated", "Sales", active=False)
        self.admin.call("customer.v1.UserService/SetTrustedService", {"user": me, "trusted": True})
        for kind in self.schema.enums["Label.Kind"].by_name:  # the valid entries' keyword and role
            try:
                self.admin.call("customer.v1.LabelService/CreateLabel", {"kind": kind, "name": "sweep"})
            except RPCError as error:
                if error.code.name != "ALREADY_EXISTS":
                    raise
        protected = self.base.customer("Nested protected customer", me)
        protected_records = self.base.records(protected)
        own = self.base.customer("Nested consultant's own", "nested-consultant")
        hidden = sorted({protected, *protected_records, 0, -1, 1 << 40})
        roles = [("Read only", "nested-read-only", own), ("Consultant (own customers)", "nested-consultant", own),
                 ("deactivated", "nested-deactivated", own), ("administrator", None, protected)]
        methods = sorted((m for m in self.schema.methods.values() if m.service.startswith("customer.v1.")
                          and (m.kind == "unary" or m.path.endswith("/ImportCustomers"))
                          and m.path not in sweep.SKIPPED), key=lambda m: m.path)
        try:
            for role, person, visible in roles:
                self.sweep_role(role, person, sweep.Context(visible, hidden, []), methods)
        finally:
            self.admin.call("customer.v1.UserService/SetTrustedService", {"user": me, "trusted": False})
        print(f"{self.calls} calls, {self.dumps} dumps, {len(self.findings)} findings, "
              f"{time.monotonic() - started:.0f} s")
        for text in self.findings:
            print(f"  {text}")
        return 1 if self.findings else 0

    def sweep_role(self, role: str, person: str | None, context: sweep.Context, methods) -> None:
        writes_allowed = role in ("Consultant (own customers)", "administrator")
        before = self.dump()
        role_before = before
        for method in methods:
            if self.arguments.only and self.arguments.only not in method.path:
                continue
            count = refused = 0
            answered_ok = False
            for where, description, request in request_variants(self.schema, method.request, context):
                if len(request) > 4 * MIB - 4096:
                    continue
                error = self.call(method, request, person)
                self.calls += 1
                count += 1
                label = f"{role}: {method.path} {where}: {description}"
                if error is None:
                    answered_ok = True
                    continue
                refused += 1
                status = error.code.name
                if status in FORBIDDEN:
                    self.finding(f"{label}: {status} {error.message[:200]}")
                elif status == "DEADLINE_EXCEEDED":
                    self.finding(f"{label}: no answer within {self.arguments.timeout} s")
                elif status in NAMED and not names_field(where, self.number_path(method.request, where), error):
                    self.finding(f"{label}: {status} names no field of {where}: {error.message[:200]!r} "
                                 f"details {error.fields}")
            if not self.base.healthy():
                self.finding(f"{role}: {method.path}: the server stopped answering a health check")
                return
            if count == 0:
                continue
            after = self.dump()
            if after != before and not (writes_allowed and answered_ok):
                changed = sorted(set(after) ^ set(before))
                self.finding(f"{role}: {method.path}: {refused} of {count} calls refused and the database "
                             f"changed: {changed[:3]}")
            print(f"{role}: {method.path}: {count} calls, {refused} refused", flush=True)
            before = after
        if not writes_allowed and before != role_before:
            self.finding(f"{role}: the database changed during the role's sweep")

    def number_path(self, message: str, path: str) -> str:
        """The top-level field number of `path` (a decoding error names fields by number)."""
        name = path.split(".")[0].split("[")[0]
        field = self.schema.message(message).by_name.get(name)
        return str(field.number) if field else "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--socket", required=True)
    parser.add_argument("--backups", required=True, help="a folder the server may write its backups into")
    parser.add_argument("--uids", type=int, default=4401, help="first of the three uids of the people added")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds a call may take (default 60)")
    parser.add_argument("--only", help="sweep only the methods whose path contains this")
    return NestedSweep(parser.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
