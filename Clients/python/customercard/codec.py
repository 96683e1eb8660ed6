"""The message encoding (ENCODING.md), driven by a `Schema`: dicts keyed by field name to bytes
and back.

Python values: integers as `int`, `bool`, `float`, `str`, `bytes`, `decimal.Decimal`, `uuid.UUID`,
timestamps as timezone-aware `datetime` (UTC), enums as their case names (`str`), messages as
`dict`, repeated fields as `list`, maps as `dict`. An absent optional field is left out of a decoded
dict; an empty repeated field or map decodes as `[]` or `{}`.
"""

from __future__ import annotations

import datetime as _dt
import re
import struct
import uuid as _uuid
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .schema import (FIXED32, FIXED64, LENGTH_DELIMITED, MAP, OPTIONAL, REPEATED, SINGULAR, VARINT,
                     INTEGER_RANGES, SCALAR_WIRE_TYPES, FieldSchema, MessageSchema, Schema)
from .wire import Reader, WireError, signed64, twos_complement, unzigzag, varint, zigzag

MAX_FIELD_NUMBER = (1 << 29) - 1
MAX_DEPTH = 64
REFERENCE_DATE = _dt.datetime(2001, 1, 1, tzinfo=_dt.timezone.utc)
ONE_SECOND = _dt.timedelta(seconds=1)
DECIMAL_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?|NaN")
WIRE_TYPE_NAMES = {0: "0 (varint)", 1: "1 (fixed64)", 2: "2 (length-delimited)", 5: "5 (fixed32)"}
PACKABLE = (VARINT, FIXED64, FIXED32)
_DOUBLE = struct.Struct("<d")
_FLOAT = struct.Struct("<f")


class CodecError(ValueError):
    """A value that cannot be encoded, or bytes that cannot be decoded; `path` names the field."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem


@lru_cache(maxsize=None)
def wrapper(type_name: str) -> tuple[str, str, str | None] | None:
    """`T?`, `[T]` or `[K: V]` (a wrapper message, ENCODING.md §5) as (label, T or V, K), else None."""
    if type_name.endswith("?"):
        return OPTIONAL, type_name[:-1], None
    if type_name.startswith("[") and type_name.endswith("]"):
        inner = type_name[1:-1]
        depth = 0
        for index, char in enumerate(inner):
            depth += char == "["
            depth -= char == "]"
            if char == ":" and depth == 0:
                return MAP, inner[index + 1:].strip(), inner[:index].strip()
        return REPEATED, inner, None
    return None


def _join(path: str, name: str | int) -> str:
    return f"{path}.{name}" if path else str(name)


def _tag(number: int, wire_type: int) -> bytes:
    return varint((number << 3) | wire_type)


# -- encoding ---------------------------------------------------------------------------------

def encode(schema: Schema, message_name: str, value: dict) -> bytes:
    """The bytes of `value` (a dict keyed by field name) as the message `message_name`."""
    return _encode_message(schema, schema.message(message_name), value, "")


def _encode_message(schema: Schema, message: MessageSchema, value: dict, path: str) -> bytes:
    if not isinstance(value, dict):
        raise CodecError(path or message.name, f"expected a dict for {message.name}, got {type(value).__name__}")
    unknown = [key for key in value if key not in message.by_name]
    if unknown:
        raise CodecError(_join(path, unknown[0]), f"{message.name} has no field {unknown[0]!r} "
                         f"(fields: {', '.join(message.by_name)})")
    out = bytearray()
    for field in message.fields:
        _encode_field(schema, field, value.get(field.name), _join(path, field.name), out)
    return bytes(out)


def _encode_field(schema: Schema, field: FieldSchema, value, path: str, out: bytearray) -> None:
    if field.label == SINGULAR or field.label == OPTIONAL:
        if value is None:
            if field.label == SINGULAR:
                raise CodecError(path, "is required")
            return
        wire_type, payload = _encode_value(schema, field.type, value, path)
        out += _tag(field.number, wire_type)
        if wire_type == LENGTH_DELIMITED:
            out += varint(len(payload))
        out += payload
    elif field.label == REPEATED:
        if value is None:
            return
        if not isinstance(value, (list, tuple)):
            raise CodecError(path, f"expected a list, got {type(value).__name__}")
        _encode_repeated(schema, field.number, field.type, value, path, out)
    else:
        if value is None:
            return
        if not isinstance(value, dict):
            raise CodecError(path, f"expected a dict, got {type(value).__name__}")
        _encode_map(schema, field.number, field.key_type or "string", field.type, value, path, out)


def _encode_repeated(schema: Schema, number: int, type_name: str, values, path: str, out: bytearray) -> None:
    if not values:
        return
    element_wire_type = schema.wire_type(type_name)
    if element_wire_type in PACKABLE and wrapper(type_name) is None:
        packed = b"".join(_encode_value(schema, type_name, v, f"{path}[{i}]")[1] for i, v in enumerate(values))
        out += _tag(number, LENGTH_DELIMITED) + varint(len(packed)) + packed
        return
    tag = _tag(number, LENGTH_DELIMITED)
    for index, element in enumerate(values):
        element_path = f"{path}[{index}]"
        if element is None:
            if wrapper(type_name) is None or wrapper(type_name)[0] != OPTIONAL:
                raise CodecError(element_path, "is None, but the elements are not optional")
            out += tag + b"\x00"
            continue
        _, payload = _encode_value(schema, type_name, element, element_path)
        out += tag + varint(len(payload)) + payload


def _encode_map(schema: Schema, number: int, key_type: str, value_type: str, values: dict, path: str,
                out: bytearray) -> None:
    key_field, value_field = _entry_fields(key_type, value_type)
    occurrences = []
    for key, item in values.items():
        entry = bytearray()
        entry_path = f"{path}[{key!r}]"
        _encode_field(schema, key_field, key, entry_path, entry)
        _encode_field(schema, value_field, item, entry_path, entry)
        occurrences.append(_tag(number, LENGTH_DELIMITED) + varint(len(entry)) + entry)
    # Sorted by the bytes of each whole occurrence, so a dictionary always gives the same bytes (§6).
    for occurrence in sorted(occurrences):
        out += occurrence


@lru_cache(maxsize=None)
def _entry_fields(key_type: str, value_type: str) -> tuple[FieldSchema, FieldSchema]:
    """A map entry's key (field 1) and value (field 2). A value spelled `T?`, `[T]` or `[K: V]` is
    not wrapped: field 2 itself is optional, repeated or a map (ENCODING.md §6)."""
    wrapped = wrapper(value_type)
    value = FieldSchema(2, "value", *wrapped) if wrapped else FieldSchema(2, "value", SINGULAR, value_type)
    return FieldSchema(1, "key", SINGULAR, key_type), value


def _encode_value(schema: Schema, type_name: str, value, path: str) -> tuple[int, bytes]:
    """(wire type, payload): a varint's bytes, fixed bytes, or a length-delimited field's content."""
    scalar = SCALAR_WIRE_TYPES.get(type_name)
    if scalar is not None:
        return scalar, _encode_scalar(type_name, value, path)
    enum = schema.enums.get(type_name)
    if enum is not None:
        if isinstance(value, int) and not isinstance(value, bool) and enum.numbered and value in enum.by_wire:
            wire = value
        elif isinstance(value, str) and value in enum.by_name:
            wire = enum.by_name[value]
        elif isinstance(value, str) and not enum.numbered and value in enum.by_wire:
            wire = value
        else:
            raise CodecError(path, f"{value!r} is not a value of the enum {enum.name} "
                             f"(known: {', '.join(enum.by_name)})")
        if enum.numbered:
            return VARINT, varint(twos_complement(wire))
        return LENGTH_DELIMITED, wire.encode("utf-8")
    wrapped = wrapper(type_name)
    if wrapped is not None:
        label, inner, key = wrapped
        out = bytearray()
        _encode_field(schema, FieldSchema(1, "value", label, inner, key), value, path, out)
        return LENGTH_DELIMITED, bytes(out)
    message = schema.messages.get(type_name)
    if message is None:
        raise CodecError(path, f"unknown type {type_name!r}")
    return LENGTH_DELIMITED, _encode_message(schema, message, value, path)


def _encode_scalar(type_name: str, value, path: str) -> bytes:
    bounds = INTEGER_RANGES.get(type_name)
    if bounds is not None:
        if not isinstance(value, int) or isinstance(value, bool):
            raise CodecError(path, f"expected an integer ({type_name}), got {type(value).__name__}")
        if not bounds[0] <= value <= bounds[1]:
            raise CodecError(path, f"{value} does not fit in {type_name}")
        return varint(zigzag(value) if type_name[0] == "s" else value)
    if type_name in ("string", "url"):
        if not isinstance(value, str):
            raise CodecError(path, f"expected a str, got {type(value).__name__}")
        return value.encode("utf-8")
    if type_name == "bool":
        if not isinstance(value, bool):
            raise CodecError(path, f"expected a bool, got {type(value).__name__}")
        return b"\x01" if value else b"\x00"
    if type_name == "timestamp":
        return _DOUBLE.pack(timestamp_seconds(value, path))
    if type_name in ("double", "float"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise CodecError(path, f"expected a float, got {type(value).__name__}")
        try:
            return (_DOUBLE if type_name == "double" else _FLOAT).pack(value)
        except OverflowError:
            raise CodecError(path, f"{value} does not fit in a float") from None
    if type_name == "bytes":
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise CodecError(path, f"expected bytes, got {type(value).__name__}")
        return bytes(value)
    if type_name == "decimal":
        return decimal_text(value, path).encode("ascii")
    if type_name == "uuid":
        if isinstance(value, str):
            try:
                value = _uuid.UUID(value)
            except ValueError:
                raise CodecError(path, f"{value!r} is not a UUID") from None
        if not isinstance(value, _uuid.UUID):
            raise CodecError(path, f"expected a uuid.UUID, got {type(value).__name__}")
        return value.bytes
    raise CodecError(path, f"unknown scalar type {type_name!r}")


def timestamp_seconds(value, path: str) -> float:
    """Seconds since 2001-01-01T00:00:00Z, the number a timestamp carries (ENCODING.md §2)."""
    if not isinstance(value, _dt.datetime):
        raise CodecError(path, f"expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None:
        raise CodecError(path, "a naive datetime has no zone; give one, e.g. datetime.now(timezone.utc)")
    return (value - REFERENCE_DATE) / ONE_SECOND


def decimal_text(value, path: str) -> str:
    """The canonical text: no exponent, no `+`, no trailing zeros in the fraction, zero is `0`."""
    if isinstance(value, str):
        if not DECIMAL_TEXT.fullmatch(value):
            raise CodecError(path, f"{value!r} is not a decimal of the shape -?[0-9]+(.[0-9]+)?")
        value = Decimal(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    elif not isinstance(value, Decimal):
        raise CodecError(path, f"expected a decimal.Decimal (not a float: it is not exact), got {type(value).__name__}")
    if value.is_nan():
        return "NaN"
    if value.is_infinite():
        raise CodecError(path, "an infinite decimal cannot be written")
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# -- decoding ---------------------------------------------------------------------------------

def decode(schema: Schema, message_name: str, data: bytes) -> dict:
    """The dict a message's bytes hold; unknown fields are skipped (ENCODING.md §8)."""
    return _decode_message(schema, schema.message(message_name), data, 0, "")


def _index(data: bytes, path: str) -> dict[int, list[tuple[int, object, int]]]:
    """Every well-formed field: number -> [(wire type, value, byte offset)]; the value is an int
    for a varint, bytes otherwise."""
    fields: dict[int, list] = {}
    reader = Reader(data)
    end = len(data)
    try:
        while reader.pos < end:
            offset = reader.pos
            tag = data[offset]
            if tag < 0x80:  # one-byte tags (fields 1 to 15) are nearly all of them
                reader.pos = offset + 1
            else:
                tag = reader.varint()
            number, wire_type = tag >> 3, tag & 7
            if number == 0 or number > MAX_FIELD_NUMBER:
                raise CodecError(path, f"invalid field number {number} at byte offset {offset}")
            position = reader.pos
            if wire_type == VARINT:
                if position < end and data[position] < 0x80:
                    value = data[position]
                    reader.pos = position + 1
                else:
                    value = reader.varint()
            elif wire_type == LENGTH_DELIMITED:
                if position < end and data[position] < 0x80 and position + 1 + data[position] <= end:
                    reader.pos = position + 1 + data[position]
                    value = data[position + 1:reader.pos]
                else:
                    value = reader.length_prefixed(f"field {number}")
            elif wire_type == FIXED64:
                value = reader.take(8, f"truncated fixed64 of field {number}")
            elif wire_type == FIXED32:
                value = reader.take(4, f"truncated fixed32 of field {number}")
            elif wire_type in (3, 4):
                raise CodecError(path, f"wire type {wire_type} (group) at byte offset {offset} is not supported")
            else:
                raise CodecError(path, f"invalid wire type {wire_type} at byte offset {offset}")
            found = fields.get(number)
            if found is None:
                fields[number] = [(wire_type, value, offset)]
            else:
                found.append((wire_type, value, offset))
    except WireError as error:
        raise CodecError(path, str(error)) from None
    return fields


def _plan(schema: Schema, message: MessageSchema) -> list[tuple]:
    """Per field, what decoding needs, worked out once per message type: (field, expected wire
    type, the scalar decoder of a singular or optional scalar field or None)."""
    plan = []
    for field in message.fields:
        direct = field.label in (SINGULAR, OPTIONAL) and field.type in _SCALAR_DECODERS
        plan.append((field, schema.wire_type(field.type), _SCALAR_DECODERS[field.type] if direct else None))
    message.__dict__["decoding_plan"] = plan
    return plan


def _decode_message(schema: Schema, message: MessageSchema, data: bytes, depth: int, path: str) -> dict:
    if depth > MAX_DEPTH:
        raise CodecError(path, f"messages nested deeper than the limit of {MAX_DEPTH}")
    fields = _index(data, path)
    result = {}
    plan = message.__dict__.get("decoding_plan") or _plan(schema, message)
    for field, expected, scalar in plan:
        occurrences = fields.get(field.number)
        if occurrences and scalar is not None:
            wire_type, value, offset = occurrences[-1]  # a scalar that occurs more than once takes its last value
            if wire_type == expected:
                try:
                    result[field.name] = scalar(value)
                    continue
                except _Fault as fault:
                    raise CodecError(_join(path, field.name), str(fault)) from None
        field_path = _join(path, field.name)
        if not occurrences:
            if field.label == SINGULAR:
                raise CodecError(field_path, f"no field {field.number} ({field.name}) in {message.name}")
            if field.label == REPEATED:
                result[field.name] = []
            elif field.label == MAP:
                result[field.name] = {}
            continue
        if field.label == REPEATED:
            result[field.name] = _decode_repeated(schema, field, occurrences, depth, field_path)
        elif field.label == MAP:
            result[field.name] = _decode_map(schema, field, occurrences, depth, field_path)
        else:
            result[field.name] = _decode_single(schema, field, occurrences, depth, field_path)
    return result


def _expect(wire_type: int, expected: int, number: int, type_name: str, offset: int, path: str) -> None:
    if wire_type != expected:
        raise CodecError(path, f"field {number}: expected wire type {WIRE_TYPE_NAMES[expected]} for "
                         f"{type_name}, found {WIRE_TYPE_NAMES.get(wire_type, wire_type)} at byte offset {offset}")


def _decode_single(schema: Schema, field: FieldSchema, occurrences, depth: int, path: str):
    expected = schema.wire_type(field.type)
    if expected == LENGTH_DELIMITED and field.type not in SCALAR_WIRE_TYPES and field.type not in schema.enums:
        # A message field that occurs more than once is the merge of its occurrences (§8).
        for wire_type, _, offset in occurrences:
            _expect(wire_type, expected, field.number, field.type, offset, path)
        data = b"".join(value for _, value, _ in occurrences) if len(occurrences) > 1 else occurrences[0][1]
        return _decode_value(schema, field.type, expected, data, depth, path)
    wire_type, value, offset = occurrences[-1]
    _expect(wire_type, expected, field.number, field.type, offset, path)
    return _decode_value(schema, field.type, wire_type, value, depth, path)


def _decode_repeated(schema: Schema, field: FieldSchema, occurrences, depth: int, path: str) -> list:
    element_wire_type = schema.wire_type(field.type)
    packable = element_wire_type in PACKABLE and wrapper(field.type) is None
    values = []
    for wire_type, value, offset in occurrences:
        if packable and wire_type == LENGTH_DELIMITED:
            reader = Reader(value)
            try:
                while not reader.at_end():
                    if element_wire_type == VARINT:
                        item = reader.varint()
                    else:
                        item = reader.take(8 if element_wire_type == FIXED64 else 4, "packed value")
                    values.append(_decode_value(schema, field.type, element_wire_type, item, depth,
                                                f"{path}[{len(values)}]"))
            except WireError as error:
                raise CodecError(path, f"{error} (packed field at byte offset {offset})") from None
            continue
        _expect(wire_type, element_wire_type, field.number, field.type, offset, path)
        values.append(_decode_value(schema, field.type, wire_type, value, depth, f"{path}[{len(values)}]"))
    return values


def _decode_map(schema: Schema, field: FieldSchema, occurrences, depth: int, path: str) -> dict:
    entry_schema = MessageSchema(f"map entry of {field.name}", list(_entry_fields(field.key_type or "string",
                                                                                  field.type)))
    result = {}
    for wire_type, value, offset in occurrences:
        _expect(wire_type, LENGTH_DELIMITED, field.number, "a map entry", offset, path)
        entry = _decode_message(schema, entry_schema, value, depth + 1, path)
        result[entry["key"]] = entry.get("value")  # if a key appears twice, the last entry wins
    return result


def _decode_value(schema: Schema, type_name: str, wire_type: int, value, depth: int, path: str):
    scalar = SCALAR_WIRE_TYPES.get(type_name)
    if scalar is not None:
        return _decode_scalar(type_name, value, path)
    enum = schema.enums.get(type_name)
    if enum is not None:
        if enum.numbered:
            number = signed64(value)
            name = enum.by_wire.get(number)
            if name is None:
                raise CodecError(path, f"{number} is not a value of the enum {enum.name} "
                                 f"(known: {', '.join(str(n) for n in enum.by_wire)})")
            return name
        text = _decode_scalar("string", value, path)
        if text not in enum.by_wire:
            raise CodecError(path, f"{text!r} is not a value of the enum {enum.name}")
        return enum.by_wire[text]
    wrapped = wrapper(type_name)
    if wrapped is not None:
        label, inner, key = wrapped
        holder = MessageSchema(type_name, [FieldSchema(1, "value", label, inner, key)])
        return _decode_message(schema, holder, value, depth + 1, path).get("value")
    message = schema.messages.get(type_name)
    if message is None:
        raise CodecError(path, f"unknown type {type_name!r}")
    return _decode_message(schema, message, value, depth + 1, path)


class _Fault(ValueError):
    """A scalar's bytes that do not hold a valid value; the caller adds the field's path."""


def _decode_scalar(type_name: str, value, path: str):
    decoder = _SCALAR_DECODERS.get(type_name)
    if decoder is None:
        raise CodecError(path, f"unknown scalar type {type_name!r}")
    try:
        return decoder(value)
    except _Fault as fault:
        raise CodecError(path, str(fault)) from None


def _integer_decoder(type_name: str):
    low, high = INTEGER_RANGES[type_name]
    signed = type_name[0] == "s"

    def decode(value: int) -> int:
        number = unzigzag(value) if signed else value
        if not low <= number <= high:
            raise _Fault(f"value {number} does not fit in {type_name}")
        return number
    return decode


def _text(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        raise _Fault("invalid UTF-8 in a string") from None


def _decimal(value: bytes) -> Decimal:
    text = _text(value)
    if not DECIMAL_TEXT.fullmatch(text):
        raise _Fault(f"{text!r} is not a decimal")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise _Fault(f"{text!r} is not a decimal") from None


def _bool(value: int) -> bool:
    if value > 1:
        raise _Fault(f"value {value} is not a bool (0 or 1)")
    return value == 1


def _timestamp(value: bytes) -> _dt.datetime:
    seconds = _DOUBLE.unpack(value)[0]
    try:
        return REFERENCE_DATE + _dt.timedelta(seconds=seconds)
    except (OverflowError, ValueError):
        raise _Fault(f"timestamp {seconds} is outside the years 1 to 9999") from None


def _uuid_value(value: bytes) -> _uuid.UUID:
    if len(value) != 16:
        raise _Fault(f"a UUID takes 16 bytes, got {len(value)}")
    return _uuid.UUID(bytes=value)


_SCALAR_DECODERS = {
    **{name: _integer_decoder(name) for name in INTEGER_RANGES},
    "string": _text, "url": _text, "decimal": _decimal, "bool": _bool, "bytes": bytes,
    "double": lambda value: _DOUBLE.unpack(value)[0], "float": lambda value: _FLOAT.unpack(value)[0],
    "timestamp": _timestamp, "uuid": _uuid_value,
}
