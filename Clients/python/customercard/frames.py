"""Frames: the 10-byte header and the payloads of HELLO, CALL_START, STATUS and GOAWAY
(PROTOCOL.md §4 to §7)."""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from .wire import Reader, WireError, string_bytes, varint

MAGIC = b"CCRP"
HEADER = struct.Struct(">IBBI")  # length, type, flags, stream id
HEADER_SIZE = HEADER.size

HELLO, CALL_START, MESSAGE, STATUS, CANCEL, WINDOW_UPDATE, PING, PONG, GOAWAY = range(1, 10)
END_STREAM, HAS_MESSAGE = 0x01, 0x02
TYPE_NAMES = {HELLO: "HELLO", CALL_START: "CALL_START", MESSAGE: "MESSAGE", STATUS: "STATUS",
              CANCEL: "CANCEL", WINDOW_UPDATE: "WINDOW_UPDATE", PING: "PING", PONG: "PONG", GOAWAY: "GOAWAY"}
# The flag bits each type the server sends may carry; any other bit is a protocol violation (§5).
SERVER_FLAGS = {HELLO: 0, MESSAGE: HAS_MESSAGE, STATUS: HAS_MESSAGE, WINDOW_UPDATE: 0, PING: 0, PONG: 0, GOAWAY: 0}

PROTOCOL_VERSION = 1
MIN_MAX_FRAME_SIZE = 16 * 1024
METADATA_KEY = re.compile(r"[a-z0-9._-]{1,64}")
MAX_METADATA_ENTRIES = 64
MAX_METADATA_BYTES = 8 * 1024
UINT64_MAX = (1 << 64) - 1


def header(length: int, frame_type: int, flags: int, stream_id: int) -> bytes:
    return HEADER.pack(length, frame_type, flags, stream_id)


def frame(frame_type: int, flags: int, stream_id: int, payload: bytes = b"") -> bytes:
    return HEADER.pack(len(payload), frame_type, flags, stream_id) + payload


@dataclass(frozen=True)
class ServerHello:
    version: int
    max_frame_size: int
    max_concurrent_calls: int
    initial_window: int
    server_name: str
    server_version: str


def client_hello(initial_window: int, max_frame_size: int, name: str) -> bytes:
    payload = (bytes((1,)) + PROTOCOL_VERSION.to_bytes(2, "big") + initial_window.to_bytes(4, "big")
               + max_frame_size.to_bytes(4, "big") + string_bytes(name[:255]))
    return frame(HELLO, 0, 0, payload)


def parse_server_hello(payload: bytes) -> ServerHello:
    r = Reader(payload)
    return ServerHello(r.u16(), r.u32(), r.u32(), r.u32(), r.string("server name"), r.string("server version"))


def metadata_block(entries: list[tuple[str, str]]) -> bytes:
    """A varint count, then key and value strings (§7). Keys are lower-cased, as the Swift client does."""
    if len(entries) > MAX_METADATA_ENTRIES:
        raise ValueError(f"at most {MAX_METADATA_ENTRIES} metadata entries, got {len(entries)}")
    out = bytearray(varint(len(entries)))
    total = 0
    for key, value in entries:
        key = key.lower()
        if not METADATA_KEY.fullmatch(key):
            raise ValueError(f'metadata key "{key}" must be 1 to 64 bytes of a-z 0-9 - _ .')
        encoded_value = value.encode("utf-8")
        total += len(key) + len(encoded_value)
        if total > MAX_METADATA_BYTES:
            raise ValueError(f"metadata keys and values take more than {MAX_METADATA_BYTES} bytes")
        out += string_bytes(key) + varint(len(encoded_value)) + encoded_value
    return bytes(out)


def read_metadata(r: Reader) -> tuple[tuple[str, str], ...]:
    count = r.varint()
    if count > MAX_METADATA_ENTRIES:
        raise WireError(f"metadata block of {count} entries (at most {MAX_METADATA_ENTRIES})")
    return tuple((r.string("metadata key"), r.string("metadata value")) for _ in range(count))


def call_start(stream_id: int, timeout_us: int, method: str, metadata: bytes, request: bytes | None,
               end_stream: bool) -> bytes:
    """CALL_START (§5.2); `metadata` is an encoded block; a timeout of 0 means none."""
    payload = varint(min(timeout_us, UINT64_MAX)) + string_bytes(method) + metadata
    flags = 0
    if request is not None:
        payload += request
        flags |= HAS_MESSAGE
    if end_stream:
        flags |= END_STREAM
    return frame(CALL_START, flags, stream_id, payload)


@dataclass(frozen=True)
class Status:
    code: int
    message: str
    details: bytes
    trailers: tuple[tuple[str, str], ...]
    response: bytes | None


def parse_status(payload: bytes, flags: int) -> Status:
    r = Reader(payload)
    code = r.u8()
    message = r.string("status message")
    details = r.length_prefixed("status details")
    trailers = read_metadata(r)
    response = bytes(payload[r.pos:]) if flags & HAS_MESSAGE else None
    return Status(code, message, details, trailers, response)


def parse_goaway(payload: bytes) -> tuple[int, str, int | None]:
    """Code, message and the last started stream id (None when the payload ends after the message,
    as a server's built before the field existed); bytes after it are ignored (§5.4)."""
    r = Reader(payload)
    code, message = r.u8(), r.string("GOAWAY message")
    last_started = None if r.at_end() else r.u32()
    return code, message, last_started


def goaway(code: int, message: str, last_started: int = 0) -> bytes:
    return frame(GOAWAY, 0, 0, bytes((code,)) + string_bytes(message) + last_started.to_bytes(4, "big"))
