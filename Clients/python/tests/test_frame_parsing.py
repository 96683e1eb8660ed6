"""The frame payload parsers (HELLO, STATUS, GOAWAY) on bytes a hostile or broken server could send:
each returns a value or raises WireError, never anything else (PROTOCOL.md §5)."""

import random
import unittest

from customercard import frames
from customercard.wire import WireError, string_bytes


class FrameParsingTests(unittest.TestCase):
    def samples(self) -> list[tuple[str, bytes]]:
        status = (bytes((3,)) + string_bytes("limit out of range") + bytes((2, 0x0A, 0x00))
                  + bytes((1,)) + string_bytes("k") + string_bytes("v") + b"\x08\x01")
        hello = ((1).to_bytes(2, "big") + (1 << 22).to_bytes(4, "big") + (100).to_bytes(4, "big")
                 + (1 << 18).to_bytes(4, "big") + string_bytes("customerd") + string_bytes("1.0"))
        return [("status", status), ("hello", hello), ("goaway", frames.goaway(0, "idle timeout", 7)[frames.HEADER_SIZE:])]

    def parse(self, kind: str, payload: bytes) -> None:
        if kind == "status":
            frames.parse_status(payload, frames.HAS_MESSAGE)
        elif kind == "hello":
            frames.parse_server_hello(payload)
        else:
            frames.parse_goaway(payload)

    def test_a_goaway_without_the_last_started_stream_id_names_no_call(self):
        payload = frames.goaway(0, "bye")[frames.HEADER_SIZE:]
        self.assertEqual(frames.parse_goaway(payload[:-4]), (0, "bye", None))
        self.assertEqual(frames.parse_goaway(payload + b"later"), (0, "bye", 0))
        with self.assertRaises(WireError):
            frames.parse_goaway(payload[:-2])

    def test_mutated_payloads_are_parsed_or_refused_with_wire_error(self):
        generator = random.Random(5)
        for kind, payload in self.samples():
            self.parse(kind, payload)
            for _ in range(2000):
                mutated = bytearray(payload)
                for _ in range(generator.randint(1, 3)):
                    at = generator.randrange(len(mutated) + 1)
                    if generator.randrange(2) and at < len(mutated):
                        mutated[at] = generator.randrange(256)
                    elif generator.randrange(2):
                        mutated[at:at] = bytes((generator.choice((0x80, 0xFF, generator.randrange(256))),))
                    else:
                        del mutated[at:at + generator.randint(1, 4)]
                try:
                    self.parse(kind, bytes(mutated))
                except WireError:
                    pass


if __name__ == "__main__":
    unittest.main()
