"""Every golden encoding in Protocol/vectors decodes to the value Protocol/vectors/README.md states
and encodes back to exactly its bytes, map entry order included (ENCODING.md §11)."""

import datetime as dt
import pathlib
import random
import unittest
import uuid
from decimal import Decimal

from customercard.codec import CodecError, decode, encode
from customercard.schema import MAP, OPTIONAL, REPEATED, SINGULAR, Schema

VECTORS = pathlib.Path(__file__).resolve().parents[3] / "Protocol" / "vectors"


def golden(name: str) -> bytes:
    text = (VECTORS / f"{name}.hex").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return bytes.fromhex("".join(lines))


def since_2001(seconds: float) -> dt.datetime:
    return dt.datetime(2001, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(seconds=seconds)


def test_schema() -> Schema:
    """The Swift test types of Tests/BinaryCodingTests, as the README of the vectors gives them."""
    s = Schema()
    s.add_message("Address", (1, "street", SINGULAR, "string"), (2, "city", SINGULAR, "string"),
                  (3, "postalCode", SINGULAR, "string"), (4, "country", SINGULAR, "string"))
    s.add_enum("CustomerStatus", [("active", "active"), ("dormant", "dormant"), ("closed", "closed")])
    s.add_enum("Tier", [("standard", 0), ("gold", 1), ("platinum", 2)])
    s.add_message("Customer", (1, "id", SINGULAR, "uuid"), (2, "name", SINGULAR, "string"),
                  (3, "email", OPTIONAL, "string"), (4, "phone", OPTIONAL, "string"),
                  (5, "address", SINGULAR, "Address"), (6, "status", SINGULAR, "CustomerStatus"),
                  (7, "tier", SINGULAR, "Tier"), (8, "balance", SINGULAR, "decimal"),
                  (9, "createdAt", SINGULAR, "timestamp"), (10, "tags", REPEATED, "string"),
                  (11, "visits", REPEATED, "sint64"), (12, "notes", MAP, "string", "string"),
                  (13, "lastContact", OPTIONAL, "timestamp"), (14, "rating", OPTIONAL, "double"))
    widths = ["sint64", "sint8", "sint16", "sint32", "sint64", "uint64", "uint8", "uint16", "uint32", "uint64"]
    names = ["int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64"]
    s.add_message("AllWidths", *[(n, name, SINGULAR, kind) for n, (name, kind) in enumerate(zip(names, widths), 1)],
                  (11, "bool", SINGULAR, "bool"), (12, "float", SINGULAR, "float"), (13, "double", SINGULAR, "double"))
    s.add_message("IntArray", (1, "value", REPEATED, "sint64"))
    s.add_message("Text", (1, "value", SINGULAR, "string"))
    s.add_message("Byte", (1, "value", SINGULAR, "uint8"))
    s.add_message("Collections", (3, "optionals", REPEATED, "sint64?"), (4, "messages", REPEATED, "Address"),
                  (5, "nested", REPEATED, "[sint64]"), (7, "byNumber", MAP, "string", "sint64"),
                  (16, "optionalStrings", REPEATED, "string?"))
    s.add_enum("Signal", [("off", 0), ("low", 1), ("high", 2), ("fault", -1)])
    s.add_message("Signals", (1, "one", SINGULAR, "Signal"), (2, "maybe", OPTIONAL, "Signal"),
                  (3, "many", REPEATED, "Signal"))
    return s


INT_MIN = {"int": -(1 << 63), "int8": -(1 << 7), "int16": -(1 << 15), "int32": -(1 << 31), "int64": -(1 << 63),
           "uint": 0, "uint8": 0, "uint16": 0, "uint32": 0, "uint64": 0}
INT_MAX = {"int": (1 << 63) - 1, "int8": 127, "int16": (1 << 15) - 1, "int32": (1 << 31) - 1,
           "int64": (1 << 63) - 1, "uint": (1 << 64) - 1, "uint8": 255, "uint16": 65535,
           "uint32": (1 << 32) - 1, "uint64": (1 << 64) - 1}

VALUES = {
    "customer-basic": ("Customer", {
        "id": uuid.UUID("00112233-4455-6677-8899-AABBCCDDEEFF"), "name": "Acme Oy",
        "address": {"street": "Mannerheimintie 1", "city": "Helsinki", "postalCode": "00100", "country": "FI"},
        "status": "active", "tier": "standard", "balance": Decimal(0), "createdAt": since_2001(0.0),
        "tags": [], "visits": [], "notes": {}}),
    "customer-full": ("Customer", {
        "id": uuid.UUID("F47AC10B-58CC-4372-A567-0E02B2C3D479"),
        "name": "\u00c5landsbanken Ab \u2013 \u65e5\u672c\u652f\u5e97 \U0001F469\u200d\U0001F4BC",
        "email": "kontakt@example.fi", "phone": "+358 40 123 4567",
        "address": {"street": "Storgatan 9", "city": "Mariehamn", "postalCode": "22100", "country": "AX"},
        "status": "dormant", "tier": "platinum", "balance": Decimal("-1234.50"),
        "createdAt": since_2001(700000000.123456), "tags": ["vip", "nordics", ""], "visits": [3, -1, 300, 0],
        "notes": {"owner": "M\u00e4rta", "lang": "sv"}, "lastContact": since_2001(-1.5), "rating": -0.25}),
    "scalars-min": ("AllWidths", {**INT_MIN, "bool": False, "float": -3.4028234663852886e38,
                                  "double": -1.7976931348623157e308}),
    "scalars-max": ("AllWidths", {**INT_MAX, "bool": True, "float": float("inf"), "double": 5e-324}),
    "top-level-int-array": ("IntArray", {"value": [1, -1, 300]}),
    "top-level-string": ("Text", {"value": "h\u00e9llo \U0001F44B"}),
    "optionals-and-messages": ("Collections", {
        "optionals": [1, None], "messages": [{"street": "a", "city": "b", "postalCode": "c", "country": "d"}],
        "nested": [[1], []], "byNumber": {-1: "minus one", 2: "two"}, "optionalStrings": [None, "x"]}),
    "enums": ("Signals", {"one": "high", "maybe": "fault", "many": ["off", "high", "fault"]}),
}


class GoldenVectorTests(unittest.TestCase):
    schema = test_schema()

    def test_every_vector_file_is_checked(self):
        self.assertEqual({path.stem for path in VECTORS.glob("*.hex")}, set(VALUES))

    def test_the_golden_bytes_decode_to_the_value(self):
        for name, (message, value) in VALUES.items():
            with self.subTest(name):
                self.assertEqual(decode(self.schema, message, golden(name)), value)

    def test_the_value_encodes_to_the_golden_bytes(self):
        for name, (message, value) in VALUES.items():
            with self.subTest(name):
                self.assertEqual(encode(self.schema, message, value).hex(" "), golden(name).hex(" "))

    def test_decoding_then_encoding_gives_the_same_bytes(self):
        for name, (message, _) in VALUES.items():
            with self.subTest(name):
                self.assertEqual(encode(self.schema, message, decode(self.schema, message, golden(name))),
                                 golden(name))


class MalformedInputTests(unittest.TestCase):
    """The decoder refuses what ENCODING.md §9 lists, naming the fault, and never crashes."""
    schema = test_schema()

    def refusal(self, message: str, data: bytes) -> str:
        with self.assertRaises(CodecError) as caught:
            decode(self.schema, message, data)
        return str(caught.exception)

    def test_every_truncation_of_a_golden_vector_is_refused_or_decodes(self):
        data = golden("customer-full")
        for end in range(len(data)):
            try:
                decode(self.schema, "Customer", data[:end])
            except CodecError:
                pass

    def test_mutated_vectors_are_refused_or_decode(self):
        """A bounded fuzz of the decoder (seeded, so a failure repeats): every golden vector with
        bytes flipped, inserted or removed decodes or raises CodecError, never anything else."""
        generator = random.Random(2026)
        for name, (message, _) in VALUES.items():
            data = golden(name)
            for _ in range(300):
                mutated = bytearray(data)
                for _ in range(generator.randint(1, 4)):
                    at = generator.randrange(len(mutated) + 1)
                    choice = generator.randrange(3)
                    if choice == 0 and at < len(mutated):
                        mutated[at] = generator.choice((0x00, 0x7F, 0x80, 0xFF, generator.randrange(256)))
                    elif choice == 1:
                        mutated[at:at] = bytes((generator.randrange(256),))
                    elif at < len(mutated):
                        del mutated[at]
                try:
                    decode(self.schema, message, bytes(mutated))
                except CodecError:
                    pass

    def test_the_listed_faults_are_named(self):
        self.assertIn("truncated varint", self.refusal("Signals", bytes.fromhex("08 80")))
        self.assertIn("runs past the end", self.refusal("Text", bytes.fromhex("0a 05 61")))
        self.assertIn("invalid field number 0", self.refusal("Text", bytes.fromhex("02 00")))
        self.assertIn("group", self.refusal("Text", bytes.fromhex("0b")))
        self.assertIn("invalid wire type 6", self.refusal("Text", bytes.fromhex("0e")))
        self.assertIn("invalid UTF-8", self.refusal("Text", bytes.fromhex("0a 01 ff")))
        self.assertIn("expected wire type 2", self.refusal("Text", bytes.fromhex("08 01")))
        self.assertIn("does not fit in uint8", self.refusal("Byte", bytes.fromhex("08 ac 02")))
        self.assertIn("9 is not a value of the enum Signal", self.refusal("Signals", bytes.fromhex("08 09")))
        self.assertIn("no field 1 (value)", self.refusal("Text", b""))
        self.assertIn("varint longer than 10 bytes", self.refusal("Signals", bytes.fromhex("08" + "ff" * 10 + "01")))

    def test_packed_and_unpacked_occurrences_are_concatenated(self):
        self.assertEqual(decode(self.schema, "IntArray", bytes.fromhex("0a 02 02 04 08 06 0a 01 08")),
                         {"value": [1, 2, 3, 4]})

    def test_a_map_value_spelled_optional_or_repeated_is_field_2_itself_not_a_wrapper(self):
        schema = test_schema()
        schema.add_message("Maps", (1, "maybe", MAP, "sint64?", "string"), (2, "lists", MAP, "[sint64]", "string"))
        value = {"maybe": {"a": 1, "b": None}, "lists": {"c": [1, 2]}}
        data = encode(schema, "Maps", value)
        self.assertEqual(data.hex(" "), "0a 03 0a 01 62 0a 05 0a 01 61 10 02 12 07 0a 01 63 12 02 02 04")
        self.assertEqual(decode(schema, "Maps", data), value)

    def test_a_repeated_message_field_is_merged(self):
        merged = decode(self.schema, "Customer", golden("customer-basic") + bytes.fromhex("2a 04 22 02 53 45"))
        self.assertEqual(merged["address"]["country"], "SE")
        self.assertEqual(merged["address"]["city"], "Helsinki")


if __name__ == "__main__":
    unittest.main()
