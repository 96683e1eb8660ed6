"""The client on hostile bytes (pyfuzz26): a server another user planted at a socket path the caller
named, or a broken one, answers anything. Every response message the client decodes, through the
generic calls and through every typed call of `CustomerCardClient`, and the connection's frame
reader over a real socket, get valid answers and their mutations; each call must give a value or
raise `RPCError` (the codec's own functions `CodecError`), never another exception, never hang,
and an error's text must show a person no terminal control as itself (PROTOCOL.md §5, README).

The response types are the server's own (its reflection answer, from a real customerd started
once), so a method added to the API is covered without a change here; the typed calls are listed
below, and a test fails when `CustomerCardClient` gains one the list lacks.

Seeded and bounded, so a failure repeats: `CUSTOMERCARD_PYFUZZ_SEED` (default 26) and
`CUSTOMERCARD_PYFUZZ_ROUNDS` (default 24: mutations per response type and per typed call, ten
times as many frame streams, half as many lying reflection answers) run it longer by hand
(docs/FUZZING.md).
"""

import datetime as dt
import inspect
import os
import pathlib
import random
import re
import socket
import tempfile
import threading
import time
import unittest
import uuid
from decimal import Decimal

from customercard import Channel, RPCError, client as typed, codec, frames
from customercard.codec import CodecError, wrapper
from customercard.schema import OPTIONAL, REPEATED, SINGULAR, SCALAR_WIRE_TYPES, MethodSchema, Schema
from customercard.status import StatusCode
from customercard.wire import Reader, WireError, varint

from daemon import Daemon
from test_fake_server import FakeConnection
from test_vectors import VECTORS, golden

SEED = int(os.environ.get("CUSTOMERCARD_PYFUZZ_SEED", "26"))
ROUNDS = int(os.environ.get("CUSTOMERCARD_PYFUZZ_ROUNDS", "24"))
CALL_BOUND = 120  # seconds: a bound on each wait, never a measure of speed
REFLECTION = "rpc.reflection.v1.Reflection/DescribeServices"
# What a terminal acts on (contrib/hostile/terminal_text.py, TerminalText.needsEscape).
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")

_reflected: dict = {}


def setUpModule() -> None:
    """The customer API's schema and the reflection answer's bytes, as a real customerd gives them."""
    daemon = Daemon()
    try:
        daemon.start()
        channel = Channel(daemon.socket, timeout=CALL_BOUND)
        try:
            deadline = time.monotonic() + CALL_BOUND
            _reflected["bytes"] = channel.unary_bytes(REFLECTION, b"", deadline=deadline)
            _reflected["schema"] = channel.schema
        finally:
            channel.close()
    finally:
        daemon.remove()


# -- valid answers --------------------------------------------------------------------------

SCALAR_SAMPLES = {
    "string": ["Acme Oy", "", "\u00c5landsbanken \u65e5\u672c \U0001F469\u200d\U0001F4BC"],
    "url": ["https://example.fi/a?b=c"], "bytes": [b"", b"\x00\xff data"],
    "decimal": ["0", "-1234.5", "NaN", "99999999999999999999.01"], "bool": [False, True],
    "double": [0.0, -0.25, 1e308], "float": [1.5, -3.4028234663852886e38],
    "timestamp": [dt.datetime(2001, 1, 1, tzinfo=dt.timezone.utc), dt.datetime(2026, 12, 6, 23, 0, tzinfo=dt.timezone.utc)],
    "uuid": [uuid.UUID("00112233-4455-6677-8899-AABBCCDDEEFF")],
}


def sample(schema: Schema, type_name: str, rng: random.Random, depth: int):
    """A valid value of `type_name`: every field present, nested messages a few levels deep."""
    bounds = codec.INTEGER_RANGES.get(type_name)
    if bounds is not None:
        return rng.choice([bounds[0], bounds[1], 0, 1, min(bounds[1], 300)])
    if type_name in SCALAR_SAMPLES:
        value = rng.choice(SCALAR_SAMPLES[type_name])
        return Decimal(value) if type_name == "decimal" else value
    enum = schema.enums.get(type_name)
    if enum is not None:
        return rng.choice(list(enum.by_name))
    wrapped = wrapper(type_name)
    if wrapped is not None:
        label, inner, key = wrapped
        return field_sample(schema, label, inner, key, rng, depth)
    message = schema.message(type_name)
    value = {}
    for field in message.fields:
        item = field_sample(schema, field.label, field.type, field.key_type, rng, depth + 1)
        if item is not None:
            value[field.name] = item
    return value


def field_sample(schema: Schema, label: str, type_name: str, key_type: str | None, rng: random.Random, depth: int):
    if label == SINGULAR:
        return sample(schema, type_name, rng, depth)
    deep = depth > 4 and type_name not in SCALAR_WIRE_TYPES
    if label == OPTIONAL:
        return None if deep or rng.random() < 0.2 else sample(schema, type_name, rng, depth)
    count = 0 if deep else rng.randint(0, 2)
    if label == REPEATED:
        return [sample(schema, type_name, rng, depth) for _ in range(count)]
    return {sample(schema, key_type or "string", rng, depth): sample(schema, type_name, rng, depth)
            for _ in range(count)}


def valid_answer(schema: Schema, message: str, rng: random.Random) -> bytes:
    return codec.encode(schema, message, sample(schema, message, rng, 0))


# -- mutations ------------------------------------------------------------------------------

LONG_VARINTS = [b"\xff" * 9 + b"\x01", b"\x80" * 10 + b"\x00", b"\xff" * 10 + b"\x7f", b"\xff" * 9 + b"\x02"]
HUGE_LENGTHS = [1 << 31, (1 << 32) - 1, 1 << 62, (1 << 64) - 1]


def fields_of(data: bytes) -> list[tuple[int, int, int, int, int]]:
    """The top-level fields that parse: (offset, tag end, length varint end or value end, number, wire type)."""
    reader, found = Reader(data), []
    try:
        while not reader.at_end():
            start = reader.pos
            tag = reader.varint()
            tag_end = reader.pos
            wire_type = tag & 7
            if wire_type == 0:
                reader.varint()
            elif wire_type == 2:
                length = reader.varint()
                found.append((start, tag_end, reader.pos, tag >> 3, 2))
                reader.take(length)
                continue
            elif wire_type in (1, 5):
                reader.take(8 if wire_type == 1 else 4)
            else:
                break
            found.append((start, tag_end, reader.pos, tag >> 3, wire_type))
    except WireError:
        pass
    return found


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three of: bit flips, byte changes, insertions, deletions, truncation, a field repeated,
    a length grown or shrunk or made huge, a 10-byte varint, a wrong wire type, invalid UTF-8,
    deep nesting."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        fields = fields_of(bytes(out))
        kind = rng.randrange(11)
        at = rng.randrange(len(out) + 1)
        if kind == 0 and out:
            out[min(at, len(out) - 1)] ^= 1 << rng.randrange(8)
        elif kind == 1 and out:
            out[min(at, len(out) - 1)] = rng.choice((0x00, 0x7f, 0x80, 0xff, rng.randrange(256)))
        elif kind == 2:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 4)))
        elif kind == 3:
            del out[at:at + rng.randint(1, 8)]
        elif kind == 4:
            del out[at:]
        elif kind == 5 and fields:
            start, _, _, _, _ = rng.choice(fields)
            following = [f[0] for f in fields if f[0] > start] + [len(out)]
            piece = bytes(out[start:following[0]])
            out[at:at] = piece * rng.choice((1, 2, 50))
        elif kind == 6 and fields:
            delimited = [f for f in fields if f[4] == 2]
            if delimited:
                start, tag_end, length_end, _, _ = rng.choice(delimited)
                length = Reader(bytes(out), tag_end).varint()
                new = rng.choice((length + 1, max(0, length - 1), length + rng.randint(2, 40), 0,
                                  rng.choice(HUGE_LENGTHS)))
                out[tag_end:length_end] = varint(min(new, (1 << 64) - 1))
        elif kind == 7:
            out[at:at] = rng.choice((b"\x08", b"\x10", b"\x18")) + rng.choice(LONG_VARINTS)
        elif kind == 8 and fields:
            start, tag_end, _, number, wire_type = rng.choice(fields)
            wrong = rng.choice([w for w in (0, 1, 2, 3, 4, 5, 6, 7) if w != wire_type])
            out[start:tag_end] = varint((number << 3) | wrong)
        elif kind == 9 and fields:
            delimited = [f for f in fields if f[4] == 2]
            if delimited:
                _, _, length_end, _, _ = rng.choice(delimited)
                if length_end < len(out):
                    out[length_end] = rng.choice((0xff, 0xc0, 0xed, 0x80))
        elif kind == 10 and fields:
            delimited = [f for f in fields if f[4] == 2]
            if delimited:
                _, _, _, number, _ = rng.choice(delimited)
                inner = b""
                for _ in range(rng.choice((65, 200, 1000))):
                    inner = varint(number << 3 | 2) + varint(len(inner)) + inner
                out[at:at] = inner
    return bytes(out)


def answers(schema: Schema, message: str, rng: random.Random, count: int) -> list[bytes]:
    """Valid answers of `message`, the golden vectors, and mutations of both."""
    valid = [valid_answer(schema, message, rng) for _ in range(3)]
    seeds = valid + [golden(path.stem) for path in sorted(VECTORS.glob("*.hex"))]
    return valid + [mutate(rng.choice(seeds), rng) for _ in range(count)]


def inputs_text(data: bytes) -> str:
    return data[:200].hex() + ("..." if len(data) > 200 else "")


# -- the generic decoding of every response message --------------------------------------

class ResponseDecodingTests(unittest.TestCase):
    def test_every_response_message_decodes_or_is_refused_with_codec_error(self):
        schema: Schema = _reflected["schema"]
        responses = sorted({method.response for method in schema.methods.values()})
        # The list is the server's: a method added to the API is fuzzed without a change here.
        self.assertIn("Customer", responses)
        self.assertIn("DescribeServicesResponse", responses)
        rng = random.Random(SEED)
        for message in responses:
            for data in answers(schema, message, rng, ROUNDS):
                try:
                    value = codec.decode(schema, message, data)
                except CodecError:
                    continue
                except Exception as error:  # noqa: BLE001: anything else is the finding
                    self.fail(f"{message}: {type(error).__name__}: {error} on {inputs_text(data)}")
                # What decodes encodes, and its encoding decodes and encodes to the same bytes.
                again = codec.encode(schema, message, value)
                self.assertEqual(codec.encode(schema, message, codec.decode(schema, message, again)), again,
                                 f"{message} on {inputs_text(data)}")

    def test_a_mutated_reflection_answer_gives_a_schema_or_an_rpc_error(self):
        """The reflection answer drives every later decoding: a broken one is refused as a whole."""
        rng = random.Random(SEED + 1)
        valid = _reflected["bytes"]
        for _ in range(ROUNDS * 4):
            data = mutate(valid, rng)
            channel = AnsweringChannel(lambda method: data if method == REFLECTION else b"")
            try:
                channel.load_schema()
                channel.call("customer.v1.CustomerService/GetCustomer", {"id": 1})
            except RPCError:
                pass
            except Exception as error:  # noqa: BLE001
                self.fail(f"{type(error).__name__}: {error} on {inputs_text(data)}")


def hostile_schema_answer(reflected: bytes, rng: random.Random) -> bytes:
    """The reflection answer with what it says changed: field types and labels, map keys,
    a method's response, a message left out; still well-formed bytes."""
    answer = codec.decode(codec_schema(), "DescribeServicesResponse", reflected)
    messages = answer["messages"]
    names = [m["name"] for m in messages]
    for _ in range(rng.randint(1, 3)):
        kind = rng.randrange(4)
        message = rng.choice(messages)
        if kind == 0 and message["fields"]:
            field = rng.choice(message["fields"])
            field["type"] = rng.choice(["Nope", "string", "sint64", "bool", "[[[string]]]", rng.choice(names),
                                        rng.choice(names) + "?", "[" + rng.choice(names) + "]"])
        elif kind == 1 and message["fields"]:
            field = rng.choice(message["fields"])
            field["label"] = rng.choice(["singular", "optional", "repeated", "map"])
            field["key_type"] = rng.choice(["string", "sint64", "double", "bytes", "[string]", rng.choice(names)])
        elif kind == 2:
            service = rng.choice(answer["services"])
            method = rng.choice(service["methods"])
            method["response"] = rng.choice(["Nope", rng.choice(names)])
        else:
            messages.remove(message)
    return codec.encode(codec_schema(), "DescribeServicesResponse", answer)


# -- the typed client ----------------------------------------------------------------------

class AnsweringStream:
    """A call's events as a server stream's reader takes them: the messages, then OK."""

    def __init__(self, messages: list[bytes]):
        self.events = [("message", m, frames.HEADER_SIZE + len(m)) for m in messages]
        self.events.append(("status", frames.Status(0, "", b"", (), None)))

    def next_event(self, deadline):
        return self.events.pop(0)

    def returned_credit(self, size: int) -> None:
        pass

    def cancel(self, reason: str = "") -> None:
        self.events = [("error", RPCError(StatusCode.CANCELLED, "cancelled"))]


class AnsweringChannel(Channel):
    """A `Channel` whose bytes come from `answer(method path)` instead of a socket; everything
    above the bytes (schema, decoding, errors) is the client's own. A client answered more than
    `MAX_CALLS` times in one typed call (pages that never end) is stopped."""

    MAX_CALLS = 4

    def __init__(self, answer, schema: Schema | None = None):
        super().__init__("/nonexistent/customerd.sock", timeout=CALL_BOUND)
        if schema is not None:
            self._schema = schema
            self._reflected = True
        self.answer = answer
        self.calls = 0

    def _count(self) -> None:
        self.calls += 1
        if self.calls > self.MAX_CALLS:
            raise RPCError(StatusCode.UNAVAILABLE, "enough pages")

    def unary_bytes(self, method, request, metadata_block=b"\0", deadline=None) -> bytes:
        self._count()
        return self.answer(method)

    def client_stream_bytes(self, method, requests, metadata_block=b"\0", deadline=None) -> bytes:
        self._count()
        for _ in requests:
            pass
        return self.answer(method)

    def _start(self, method, metadata_block, request, end_stream, deadline):
        self._count()
        return AnsweringStream([self.answer(method) for _ in range(3)])


# Each public method of each service of `CustomerCardClient`, called as a user would: a method
# added to the typed client without a line here fails `test_every_typed_call_is_covered`.
TYPED_CALLS = {
    "Customers.create": lambda c: c.customers.create(typed.CustomerFields(name="Acme")),
    "Customers.get": lambda c: c.customers.get(1),
    "Customers.update": lambda c: c.customers.update(1, typed.CustomerFields(name="Acme"), expected_version=1),
    "Customers.list": lambda c: c.customers.list(),
    "Customers.export": lambda c: list(c.customers.export()),
    "Customers.deactivate": lambda c: c.customers.deactivate(1),
    "Customers.activate": lambda c: c.customers.activate(1),
    "Customers.delete": lambda c: c.customers.delete(1, confirm=True),
    "Customers.find_duplicates": lambda c: c.customers.find_duplicates(),
    "Customers.duplicates": lambda c: list(c.customers.duplicates()),
    "Customers.merge": lambda c: c.customers.merge(1, 2, dry_run=True),
    "Addresses.add": lambda c: c.addresses.add(1, typed.AddressFields(city="Espoo", country="FI")),
    "Addresses.update": lambda c: c.addresses.update(1, typed.AddressFields(city="Espoo")),
    "Addresses.remove": lambda c: c.addresses.remove(1),
    "Addresses.list": lambda c: c.addresses.list(1),
    "Addresses.set_head_office": lambda c: c.addresses.set_head_office(1),
    "Contacts.create": lambda c: c.contacts.create(1, typed.ContactFields(first_name="Aino")),
    "Contacts.update": lambda c: c.contacts.update(1, typed.ContactFields(first_name="Aino")),
    "Contacts.get": lambda c: c.contacts.get(1),
    "Contacts.list": lambda c: c.contacts.list(1),
    "Contacts.deactivate": lambda c: c.contacts.deactivate(1),
    "Contacts.activate": lambda c: c.contacts.activate(1),
    "Contacts.delete": lambda c: c.contacts.delete(1, confirm=True),
    "Activities.add_note": lambda c: c.activities.add_note(1, "note"),
    "Activities.add_task": lambda c: c.activities.add_task(1, "task"),
    "Activities.add_event": lambda c: c.activities.add_event(
        1, "event", starts_at=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
        ends_at=dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc)),
    "Activities.complete_task": lambda c: c.activities.complete_task(1),
    "Activities.reopen_task": lambda c: c.activities.reopen_task(1),
    "Activities.list": lambda c: c.activities.list(1),
    "Cards.get": lambda c: c.cards.get(1),
    "Files.upload": lambda c: c.files.upload(1, "a.txt", b"content"),
    "Files.download": lambda c: c.files.download(1),
    "Files.download_chunks": lambda c: list(c.files.download_chunks(1)),
    "Files.list": lambda c: c.files.list(1),
    "Files.rename": lambda c: c.files.rename(1, "b.txt"),
    "Files.remove": lambda c: c.files.remove(1),
    "Changes.watch": lambda c: list(c.changes.watch(0)),
    "Changes.bounds": lambda c: c.changes.bounds(),
}


def typed_client(channel: Channel) -> typed.CustomerCardClient:
    client = typed.CustomerCardClient("/nonexistent/customerd.sock")
    client.channel = channel
    for name, service in vars(client).items():
        if isinstance(service, typed._Service):
            service._channel = channel
    return client


class TypedCallTests(unittest.TestCase):
    def test_every_typed_call_is_covered(self):
        services = [cls for _, cls in inspect.getmembers(typed, inspect.isclass)
                    if issubclass(cls, typed._Service) and cls is not typed._Service]
        public = {f"{cls.__name__}.{name}" for cls in services for name, _ in inspect.getmembers(cls, inspect.isfunction)
                  if not name.startswith("_")}
        self.assertEqual(public, set(TYPED_CALLS))

    def test_every_typed_call_returns_its_value_or_raises_rpc_error(self):
        schema: Schema = _reflected["schema"]
        rng = random.Random(SEED + 2)
        for name, call in TYPED_CALLS.items():
            valid = {}

            def answer(method: str) -> bytes:
                response = schema.methods[method].response
                if response not in valid:
                    valid[response] = [valid_answer(schema, response, rng) for _ in range(3)]
                return mutate_or_not(valid[response])

            def mutate_or_not(seeds: list[bytes]) -> bytes:
                chosen = rng.choice(seeds)
                return chosen if mutating is None else mutate(chosen, rng)

            for mutating in [None] * 3 + [True] * ROUNDS:
                channel = AnsweringChannel(answer, schema)
                try:
                    call(typed_client(channel))
                except RPCError as error:
                    # A valid but made-up download does not match its announced SHA-256.
                    if mutating is None and error.code != StatusCode.DATA_LOSS:
                        self.fail(f"{name}: a valid answer raised {error}")
                except Exception as error:  # noqa: BLE001
                    self.fail(f"{name}: {type(error).__name__}: {error}")


class HostileSchemaTests(unittest.TestCase):
    def test_every_call_under_a_lying_reflection_answer_returns_or_raises_rpc_error(self):
        """The server's reflection answer says what its answers hold; one that lies (a type that
        does not exist, a map keyed by a message, a response the client's dataclass cannot take)
        must make the calls fail RPCError, not TypeError or KeyError."""
        schema: Schema = _reflected["schema"]
        rng = random.Random(SEED + 4)
        for round_number in range(max(1, ROUNDS // 2)):
            lie = hostile_schema_answer(_reflected["bytes"], rng)

            def answer(method: str) -> bytes:
                if method == REFLECTION:
                    return lie
                found = schema.methods.get(method)
                return b"" if found is None else valid_answer(schema, found.response, rng)

            for name, call in TYPED_CALLS.items():
                channel = AnsweringChannel(answer)
                try:
                    call(typed_client(channel))
                except RPCError:
                    pass
                except Exception as error:  # noqa: BLE001
                    self.fail(f"round {round_number}, {name}: {type(error).__name__}: {error}")


def lying(edit) -> tuple[bytes, dict]:
    """The real reflection answer changed by `edit(answer dict)`: its bytes, and the changed dict."""
    answer = codec.decode(codec_schema(), "DescribeServicesResponse", _reflected["bytes"])
    edit(answer)
    return codec.encode(codec_schema(), "DescribeServicesResponse", answer), answer


def edit_field(answer: dict, message: str, field: str, **changes) -> None:
    for declared in answer["messages"]:
        if declared["name"] == message:
            for found in declared["fields"]:
                if found["name"] == field:
                    found.update(changes)
                    return
    raise AssertionError(f"no field {message}.{field} in the reflection answer")


class FindingTests(unittest.TestCase):
    """One test per finding of this file's fuzzing, each failing before its fix."""

    def test_a_servers_status_message_is_shown_with_its_terminal_controls_escaped(self):
        from test_fake_server import FakeServer
        hostile = "\x1b]0;owned\x07\x1b[2J Acme \u202eyO enilno\nforged line"
        server = FakeServer(self, lambda number, connection: connection.answer(connection.call_start()[0], 5, hostile))
        channel = Channel(server.path, timeout=CALL_BOUND)
        self.addCleanup(channel.close)
        with self.assertRaises(RPCError) as raised:
            channel.call("rpc.health.v1.Health/Check", {})
        self.assertEqual(raised.exception.message, hostile)  # a program still gets the text as sent
        self.assertEqual(str(raised.exception),
                         "NOT_FOUND: \\u{1B}]0;owned\\u{7}\\u{1B}[2J Acme \\u{202E}yO enilno\\nforged line")

    def test_a_stream_message_that_does_not_decode_cancels_the_call(self):
        from test_fake_server import FakeServer
        schema = Schema()
        schema.add_message("Empty")
        schema.add_method(MethodSchema("test.v1.Test", "Watch", "server_streaming", "Empty", "HealthCheckResponse"))
        cancelled = threading.Event()

        def script(number: int, connection: FakeConnection) -> None:
            stream_id = connection.call_start()[0]
            connection.sock.sendall(frames.frame(frames.MESSAGE, frames.HAS_MESSAGE, stream_id, b"\x08\x63"))
            frame_type, _, cancelled_id, _ = connection.frame()
            if (frame_type, cancelled_id) == (frames.CANCEL, stream_id):
                cancelled.set()

        server = FakeServer(self, script)
        channel = Channel(server.path, timeout=CALL_BOUND, schema=schema)
        self.addCleanup(channel.close)
        stream = channel.server_stream("test.v1.Test/Watch", {})
        with self.assertRaises(RPCError) as raised:
            next(stream)
        self.assertEqual(raised.exception.code, StatusCode.INTERNAL)
        self.assertIn("99 is not a value of the enum ServingStatus", raised.exception.message)
        self.assertTrue(stream.done)
        self.assertTrue(cancelled.wait(CALL_BOUND), "the server received no CANCEL")
        self.assertEqual(server.failures, [])

    def answered(self, edit, answer) -> Channel:
        told, _ = lying(edit)
        return AnsweringChannel(lambda method: told if method == REFLECTION else answer(method))

    def test_a_reflection_answer_naming_an_undeclared_response_is_refused_internal(self):
        def edit(answer: dict) -> None:
            for service in answer["services"]:
                for method in service["methods"]:
                    if method["name"] == "GetCustomer":
                        method["response"] = "Nope"
        self.assert_refused_internal(self.answered(edit, lambda method: b""), "'Nope' is declared nowhere")

    def test_a_map_keyed_by_a_message_is_refused_internal(self):
        schema: Schema = _reflected["schema"]
        rng = random.Random(SEED)
        customer = sample(schema, "Customer", rng, 0)
        customer.pop("country", None)
        address = codec.encode(schema, "Address", sample(schema, "Address", rng, 0))
        entry = b"\x0a" + varint(len(address)) + address + b"\x12\x02FI"
        number = schema.message("Customer").by_name["country"].number
        data = codec.encode(schema, "Customer", customer) + varint(number << 3 | 2) + varint(len(entry)) + entry
        channel = self.answered(lambda answer: edit_field(answer, "Customer", "country", label="map", key_type="Address"),
                                lambda method: data)
        self.assert_refused_internal(channel, "Customer.country: a map cannot be keyed by 'Address'")
        # The same map inside a wrapper type: a singular field holding `[Address: string]`.
        wrapped = codec.encode(schema, "Customer", customer) + varint(number << 3 | 2) + varint(len(entry) + 2) + \
            varint(1 << 3 | 2) + varint(len(entry)) + entry
        channel = self.answered(lambda answer: edit_field(answer, "Customer", "country", type="[Address: string]"),
                                lambda method: wrapped)
        self.assert_refused_internal(channel, "Customer.country: a map cannot be keyed by 'Address'")

    def assert_refused_internal(self, channel: Channel, problem: str) -> None:
        with self.assertRaises(RPCError) as raised:
            channel.call("customer.v1.CustomerService/GetCustomer", {"id": 1})
        self.assertEqual(raised.exception.code, StatusCode.INTERNAL)
        self.assertIn(problem, raised.exception.message)

    def test_duplicates_stops_when_the_server_repeats_the_page_token(self):
        schema: Schema = _reflected["schema"]
        repeating = codec.encode(schema, "FindDuplicatesResponse", {"pairs": [], "nextPageToken": "same"})
        channel = AnsweringChannel(lambda method: repeating, schema=schema)
        with self.assertRaises(RPCError) as raised:
            list(typed_client(channel).customers.duplicates())
        self.assertEqual(raised.exception.code, StatusCode.INTERNAL)
        self.assertIn("page token it was given", raised.exception.message)
        self.assertEqual(channel.calls, 2)

    def test_a_typed_answer_that_does_not_fit_its_dataclass_is_refused_internal(self):
        schema: Schema = _reflected["schema"]
        customer = sample(schema, "Customer", random.Random(SEED), 0)
        customer.pop("headOffice", None)
        cases = [
            (lambda answer: edit_field(answer, "Customer", "id", label="optional"),
             {k: v for k, v in customer.items() if k != "id"},
             "the shape of Customer: Customer.__init__() missing 1 required keyword-only argument: 'id'"),
            (lambda answer: edit_field(answer, "Customer", "headOffice", type="string"),
             {**customer, "headOffice": "Keilalahdentie 4"}, "the shape of Address: a str where a message belongs"),
        ]
        for edit, value, problem in cases:
            _, told = lying(edit)
            lied = codec_schema()
            lied.merge_reflection(told)
            data = codec.encode(lied, "Customer", value)
            channel = self.answered(edit, lambda method: data)
            with self.assertRaises(RPCError) as raised:
                typed_client(channel).customers.get(1)
            self.assertEqual(raised.exception.code, StatusCode.INTERNAL)
            self.assertIn(problem, raised.exception.message)


# -- the frame reader over a real socket ---------------------------------------------------

def status_payload(rng: random.Random, code: int, response: bytes) -> bytes:
    details = codec.encode(codec_schema(), "StatusDetails", {"details": [{"field": "name", "reason": "too long"}]})
    message = rng.choice(["", "name is too long", "\x1b]0;owned\x07\x1b[2J", "Acme \u202eyO enilno"])
    return (bytes((code,)) + varint(len(message.encode())) + message.encode() + varint(len(details)) + details
            + b"\x01" + varint(1) + b"k" + varint(1) + b"v" + response)


def codec_schema() -> Schema:
    from customercard.schema import builtin_schema
    return builtin_schema()


def server_frames(rng: random.Random) -> bytes:
    """What a server could send for call 1 (a health check): the credit, a PING, a message, the
    STATUS, a GOAWAY, in one stream of bytes."""
    response = codec.encode(codec_schema(), "HealthCheckResponse", {"status": "SERVING"})
    code = rng.choice((0, 0, 3, 5, 14, 99))
    pieces = [
        frames.frame(frames.WINDOW_UPDATE, 0, 1, (1 << 16).to_bytes(4, "big")),
        frames.frame(frames.PING, 0, 0, b"12345678"),
        frames.frame(frames.MESSAGE, frames.HAS_MESSAGE, 1, response),
        frames.frame(frames.STATUS, frames.HAS_MESSAGE if code == 0 else 0, 1,
                     status_payload(rng, code, response if code == 0 else b"")),
        frames.goaway(rng.choice((0, 13)), rng.choice(("bye", "idle \x1b[31m")), rng.choice((0, 1, 7))),
    ]
    rng.shuffle(pieces)
    return b"".join(pieces[:rng.randint(1, len(pieces))])


def mutate_frames(stream: bytes, rng: random.Random) -> bytes:
    out = bytearray(stream)
    for _ in range(rng.randint(0, 3)):
        kind = rng.randrange(5)
        at = rng.randrange(len(out) + 1)
        if kind == 0 and out:
            out[min(at, len(out) - 1)] ^= 1 << rng.randrange(8)
        elif kind == 1:
            del out[at:]
        elif kind == 2 and len(out) >= 4:
            # The first frame's length field: grown, shrunk, or past every limit.
            length = int.from_bytes(out[:4], "big")
            grown = rng.choice((length + 1, max(0, length - 1), 1 << 22, (1 << 32) - 1))
            out[:4] = min(grown, (1 << 32) - 1).to_bytes(4, "big")
        elif kind == 3:
            out[at:at] = frames.frame(rng.randrange(16), rng.randrange(256), rng.randrange(4),
                                      bytes(rng.randrange(256) for _ in range(rng.randrange(12))))
        else:
            out[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 10)))
    return bytes(out)


class FrameReaderTests(unittest.TestCase):
    def test_mutated_frame_streams_end_the_call_with_a_value_or_an_rpc_error(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        path = str(pathlib.Path(directory.name) / "hostile.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.addCleanup(listener.close)
        listener.bind(path)
        listener.listen()
        rng = random.Random(SEED + 3)
        failures: list[str] = []
        hook = threading.excepthook
        threading.excepthook = lambda args: failures.append(f"{args.thread.name}: {args.exc_type.__name__}: "
                                                            f"{args.exc_value}")
        self.addCleanup(setattr, threading, "excepthook", hook)
        hello = (frames.PROTOCOL_VERSION.to_bytes(2, "big") + (1 << 20).to_bytes(4, "big")
                 + (10).to_bytes(4, "big") + (1 << 18).to_bytes(4, "big") + varint(4) + b"fake" + varint(1) + b"0")
        script: dict[str, bytes] = {}

        def serve() -> None:
            # Every connection gets this input's bytes: a GOAWAY saying the call never started
            # makes the client send it again on a new connection (PROTOCOL.md §5.4).
            while True:
                try:
                    sock, _ = listener.accept()
                except OSError:
                    return
                with sock:
                    connection = FakeConnection(sock)
                    try:
                        connection.read(4)
                        connection.frame()
                        sock.sendall(script["handshake"])
                        # After a broken HELLO the client may still wait for the rest of it, and
                        # this server then waits for nothing: the closed socket ends the wait.
                        if script["handshake_intact"]:
                            connection.frame()
                        sock.sendall(script["stream"])
                    except (EOFError, OSError):
                        pass

        threading.Thread(target=serve, daemon=True).start()
        self.addCleanup(listener.shutdown, socket.SHUT_RDWR)
        for index in range(ROUNDS * 10):
            stream = mutate_frames(server_frames(rng), rng)
            intact = frames.frame(frames.HELLO, 0, 0, hello)
            handshake = mutate_frames(intact, rng) if rng.random() < 0.1 else intact
            script.update(handshake=handshake, handshake_intact=handshake == intact, stream=stream)
            channel = Channel(path, timeout=CALL_BOUND)
            try:
                channel.call("rpc.health.v1.Health/Check", {})
            except RPCError as error:
                if error.code == StatusCode.DEADLINE_EXCEEDED:
                    failures.append(f"input {index}: the call waited out its deadline")
                if CONTROL.search(str(error)):
                    failures.append(f"input {index}: a terminal control shown as itself in {str(error)!r}")
            except Exception as error:  # noqa: BLE001
                failures.append(f"input {index}: {type(error).__name__}: {error}")
            finally:
                channel.close()
            if failures:
                self.fail(f"{failures[0]} (frames {inputs_text(stream)})")


if __name__ == "__main__":
    unittest.main()
