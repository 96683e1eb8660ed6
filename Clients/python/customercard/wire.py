"""Varints, zigzag and a bounds-checked byte reader (PROTOCOL.md §1, ENCODING.md §1)."""

from __future__ import annotations

UINT64_MAX = (1 << 64) - 1


class WireError(ValueError):
    """Bytes that break the wire format; the message names the fault and its byte offset."""


def varint(value: int) -> bytes:
    """The shortest LEB128 form of an unsigned 64-bit value."""
    if value < 0 or value > UINT64_MAX:
        raise WireError(f"varint value {value} is outside 0...2^64-1")
    if value < 0x80:
        return bytes((value,))
    out = bytearray()
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def zigzag(value: int) -> int:
    """protobuf's sint64 mapping: 0 -> 0, -1 -> 1, 1 -> 2, ..."""
    return ((value << 1) ^ (value >> 63)) & UINT64_MAX


def unzigzag(value: int) -> int:
    return (value >> 1) ^ -(value & 1)


def twos_complement(value: int) -> int:
    """A negative enum number travels as its 64-bit two's complement (ENCODING.md §2)."""
    return value & UINT64_MAX


def signed64(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


class Reader:
    """Reads from `data[start:end]`; every read checks the bytes that remain first."""

    __slots__ = ("data", "pos", "end")

    def __init__(self, data: bytes | memoryview, start: int = 0, end: int | None = None):
        self.data = data
        self.pos = start
        self.end = len(data) if end is None else end

    @property
    def remaining(self) -> int:
        return self.end - self.pos

    def at_end(self) -> bool:
        return self.pos >= self.end

    def varint(self) -> int:
        data, pos, end = self.data, self.pos, self.end
        if pos < end and data[pos] < 0x80:
            self.pos = pos + 1
            return data[pos]
        start = pos
        result = 0
        shift = 0
        while True:
            if pos >= end:
                raise WireError(f"truncated varint at byte offset {start}")
            byte = data[pos]
            pos += 1
            if shift == 63 and byte > 1:
                raise WireError(f"varint longer than 10 bytes or over 64 bits at byte offset {start}")
            result |= (byte & 0x7F) << shift
            if byte < 0x80:
                self.pos = pos
                return result
            shift += 7

    def take(self, count: int, what: str = "bytes") -> bytes:
        if count > self.end - self.pos:
            raise WireError(f"{what}: length {count} at byte offset {self.pos} runs past the end "
                            f"({self.end - self.pos} bytes left)")
        start = self.pos
        self.pos += count
        return bytes(self.data[start:self.pos])

    def u8(self) -> int:
        return self.take(1, "u8")[0]

    def u16(self) -> int:
        return int.from_bytes(self.take(2, "u16"), "big")

    def u32(self) -> int:
        return int.from_bytes(self.take(4, "u32"), "big")

    def length_prefixed(self, what: str) -> bytes:
        return self.take(self.varint(), what)

    def string(self, what: str) -> str:
        offset = self.pos
        raw = self.length_prefixed(what)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            raise WireError(f"{what}: invalid UTF-8 in a string at byte offset {offset}") from None


def string_bytes(text: str) -> bytes:
    """A varint byte count, then the UTF-8 bytes."""
    raw = text.encode("utf-8")
    return varint(len(raw)) + raw
