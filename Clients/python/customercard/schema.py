"""Message and enum schemas, as the reflection service describes them (PROTOCOL.md §12).

The codec is driven by these: a field's number, name, label and type say how its value travels.
The built-in services' schemas are declared here (they are needed to ask for the others); the
customer API's come from `rpc.reflection.v1.Reflection/DescribeServices` at run time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SINGULAR, OPTIONAL, REPEATED, MAP = "singular", "optional", "repeated", "map"
LABELS = (SINGULAR, OPTIONAL, REPEATED, MAP)  # index = the label's number in FieldSchema

VARINT, FIXED64, LENGTH_DELIMITED, FIXED32 = 0, 1, 2, 5

# Scalar type name -> wire type (ENCODING.md §2; names as the reflection service spells them).
SCALAR_WIRE_TYPES = {
    "string": LENGTH_DELIMITED, "bytes": LENGTH_DELIMITED, "decimal": LENGTH_DELIMITED,
    "uuid": LENGTH_DELIMITED, "url": LENGTH_DELIMITED,
    "sint64": VARINT, "sint32": VARINT, "sint16": VARINT, "sint8": VARINT,
    "uint64": VARINT, "uint32": VARINT, "uint16": VARINT, "uint8": VARINT, "bool": VARINT,
    "double": FIXED64, "timestamp": FIXED64, "float": FIXED32,
}

# Integer type name -> (minimum, maximum): a value outside is refused both ways.
INTEGER_RANGES = {
    "sint64": (-(1 << 63), (1 << 63) - 1), "sint32": (-(1 << 31), (1 << 31) - 1),
    "sint16": (-(1 << 15), (1 << 15) - 1), "sint8": (-(1 << 7), (1 << 7) - 1),
    "uint64": (0, (1 << 64) - 1), "uint32": (0, (1 << 32) - 1),
    "uint16": (0, (1 << 16) - 1), "uint8": (0, (1 << 8) - 1),
}


@dataclass(frozen=True)
class FieldSchema:
    number: int
    name: str
    label: str
    type: str
    key_type: str | None = None


@dataclass
class MessageSchema:
    name: str
    fields: list[FieldSchema]
    by_name: dict[str, FieldSchema] = field(init=False, repr=False)
    by_number: dict[int, FieldSchema] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name = {f.name: f for f in self.fields}
        self.by_number = {f.number: f for f in self.fields}


@dataclass
class EnumSchema:
    """An enum's cases: `(name, number)` for an enum with numbers, `(name, text)` with texts."""
    name: str
    values: list[tuple[str, int | str]]
    numbered: bool = True
    by_name: dict[str, int | str] = field(init=False, repr=False)
    by_wire: dict[int | str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name = dict(self.values)
        self.by_wire = {wire: name for name, wire in self.values}


@dataclass(frozen=True)
class MethodSchema:
    service: str
    name: str
    kind: str  # "unary", "server_streaming", "client_streaming", "bidirectional"
    request: str
    response: str
    summary: str | None = None

    @property
    def path(self) -> str:
        return f"{self.service}/{self.name}"

    @property
    def takes_idempotency_key(self) -> bool:
        # The server tells retry-safe writes by this note in the summary (CUSTOMER-API.md).
        return self.kind in ("unary", "client_streaming") and "idempotency-key" in (self.summary or "")


class SchemaError(ValueError):
    """A reflection answer that is not a schema: a method's message not declared, a map keyed by a
    message; the message names the method or field."""


METHOD_KINDS = ("unary", "server_streaming", "client_streaming", "bidirectional")


class Schema:
    """Messages, enums and methods by name."""

    def __init__(self) -> None:
        self.messages: dict[str, MessageSchema] = {}
        self.enums: dict[str, EnumSchema] = {}
        self.methods: dict[str, MethodSchema] = {}

    def add_message(self, name: str, *fields: tuple) -> None:
        self.messages[name] = MessageSchema(name, [FieldSchema(*spec) for spec in fields])

    def add_enum(self, name: str, values: list[tuple[str, int | str]]) -> None:
        numbered = all(isinstance(wire, int) for _, wire in values)
        self.enums[name] = EnumSchema(name, list(values), numbered)

    def add_method(self, method: MethodSchema) -> None:
        self.methods[method.path] = method

    def message(self, name: str) -> MessageSchema:
        try:
            return self.messages[name]
        except KeyError:
            raise KeyError(f"no message {name!r} in the schema") from None

    def wire_type(self, type_name: str) -> int:
        """The wire type of one value of `type_name`."""
        scalar = SCALAR_WIRE_TYPES.get(type_name)
        if scalar is not None:
            return scalar
        enum = self.enums.get(type_name)
        if enum is not None:
            return VARINT if enum.numbered else LENGTH_DELIMITED
        return LENGTH_DELIMITED  # a message, or a wrapper `T?`, `[T]`, `[K: V]`

    def merge_reflection(self, answer: dict) -> None:
        """Adds what a decoded `DescribeServicesResponse` holds, or nothing when a method's message
        is declared nowhere or a map is keyed by a type that cannot be a key (`SchemaError`)."""
        merged = Schema()
        merged.messages, merged.enums, merged.methods = dict(self.messages), dict(self.enums), dict(self.methods)
        # Names already known (the built-in messages) keep their declaration here.
        for message in answer.get("messages", []):
            if message["name"] in merged.messages:
                continue
            merged.messages[message["name"]] = MessageSchema(message["name"], [
                FieldSchema(f["number"], f["name"], f["label"], f["type"], f.get("key_type"))
                for f in message.get("fields", [])])
        for enum in answer.get("enums", []):
            if enum["name"] in merged.enums:
                continue
            values = [(v["name"], v["number"] if "number" in v else v.get("text", v["name"]))
                      for v in enum.get("values", [])]
            merged.add_enum(enum["name"], values)
        for service in answer.get("services", []):
            for method in service.get("methods", []):
                merged.add_method(MethodSchema(service["name"], method["name"], method["kind"],
                                               method["request"], method["response"], method.get("summary")))
        merged.check()
        self.messages, self.enums, self.methods = merged.messages, merged.enums, merged.methods

    def check(self) -> None:
        """Every method's messages are declared, and no map is keyed by a message or a wrapper
        (whose values are dicts and lists, which cannot be keys): a reflection answer from a server
        another user planted says what it likes (pyfuzz26). A field of a type this client does not
        know is left to the codec, which refuses that field's bytes alone (a newer server's type)."""
        for message in self.messages.values():
            for f in message.fields:
                keys = [f.key_type or "string"] if f.label == MAP else []
                for key in keys + self._wrapped_keys(f.type):
                    if key in self.messages or key.endswith("?") or key.startswith("["):
                        raise SchemaError(f"{message.name}.{f.name}: a map cannot be keyed by {key!r}")
        for method in self.methods.values():
            for name in (method.request, method.response):
                if name not in self.messages:
                    raise SchemaError(f"{method.path}: the message {name!r} is declared nowhere")

    @staticmethod
    def _wrapped_keys(type_name: str) -> list[str]:
        """The key types of the maps a wrapper type holds (`[K: V]`, `[[K: V]]?`, ...)."""
        from .codec import wrapper  # the codec reads the wrappers' spelling; it imports this module
        keys = []
        wrapped = wrapper(type_name)
        while wrapped is not None:
            _, type_name, key = wrapped
            if key is not None:
                keys.append(key)
            wrapped = wrapper(type_name)
        return keys


def builtin_schema() -> Schema:
    """The built-in services' messages (PROTOCOL.md §6.1 and §12), with their methods."""
    s = Schema()
    s.add_message("StatusDetails", (1, "details", REPEATED, "ErrorDetail"))
    s.add_message("ErrorDetail", (1, "field", SINGULAR, "string"), (2, "reason", SINGULAR, "string"))
    s.add_enum("ServingStatus", [("UNKNOWN", 0), ("SERVING", 1), ("NOT_SERVING", 2), ("SERVICE_UNKNOWN", 3)])
    s.add_message("HealthCheckRequest", (1, "service", OPTIONAL, "string"))
    s.add_message("HealthCheckResponse", (1, "status", SINGULAR, "ServingStatus"))
    s.add_message("ServerInfoRequest")
    s.add_message("StatusCount", (1, "code", SINGULAR, "StatusCode"), (2, "count", SINGULAR, "uint64"))
    from .status import StatusCode  # the status codes are the enum's cases
    s.add_enum("StatusCode", [(code.name, code.value) for code in StatusCode])
    s.add_message("ServerInfoResponse", *[
        (number, name, SINGULAR, kind) for number, (name, kind) in enumerate([
            ("protocol_version", "uint32"), ("server_name", "string"), ("server_version", "string"),
            ("uptime_milliseconds", "uint64"), ("max_frame_size", "uint64"),
            ("max_concurrent_calls_per_connection", "uint64"), ("max_connections", "uint64"),
            ("idle_timeout_milliseconds", "uint64"), ("handshake_timeout_milliseconds", "uint64"),
            ("initial_stream_window", "uint64"), ("connections_current", "uint64"),
            ("connections_total", "uint64")], start=1)],
        (13, "calls_by_status", REPEATED, "StatusCount"))
    s.add_enum("MethodKind", [(kind, number) for number, kind in enumerate(METHOD_KINDS)])
    s.add_message("ListServicesRequest")
    s.add_message("ListServicesResponse", (1, "services", REPEATED, "ServiceDescription"))
    s.add_message("ServiceDescription", (1, "name", SINGULAR, "string"), (2, "methods", REPEATED, "MethodDescription"))
    s.add_message("MethodDescription", (1, "name", SINGULAR, "string"), (2, "kind", SINGULAR, "MethodKind"))
    s.add_message("DescribeServicesRequest", (1, "services", REPEATED, "string"))
    s.add_message("DescribeServicesResponse", (1, "services", REPEATED, "ServiceSchema"),
                  (2, "messages", REPEATED, "MessageSchema"), (3, "enums", REPEATED, "EnumSchema"))
    s.add_message("ServiceSchema", (1, "name", SINGULAR, "string"), (2, "methods", REPEATED, "MethodSchema"))
    s.add_message("MethodSchema", (1, "name", SINGULAR, "string"), (2, "kind", SINGULAR, "MethodKind"),
                  (3, "request", SINGULAR, "string"), (4, "response", SINGULAR, "string"),
                  (5, "requirement", OPTIONAL, "string"), (6, "summary", OPTIONAL, "string"))
    s.add_message("MessageSchema", (1, "name", SINGULAR, "string"), (2, "fields", REPEATED, "FieldSchema"))
    s.add_enum("FieldLabel", [(label, number) for number, label in enumerate(LABELS)])
    s.add_message("FieldSchema", (1, "number", SINGULAR, "uint32"), (2, "name", SINGULAR, "string"),
                  (3, "label", SINGULAR, "FieldLabel"), (4, "type", SINGULAR, "string"),
                  (5, "key_type", OPTIONAL, "string"), (6, "wire_type", SINGULAR, "uint32"))
    s.add_message("EnumSchema", (1, "name", SINGULAR, "string"), (2, "values", REPEATED, "EnumValueSchema"))
    s.add_message("EnumValueSchema", (1, "name", SINGULAR, "string"), (2, "number", OPTIONAL, "sint64"),
                  (3, "text", OPTIONAL, "string"))
    for service, method, request, response in [
        ("rpc.health.v1.Health", "Check", "HealthCheckRequest", "HealthCheckResponse"),
        ("rpc.info.v1.ServerInfo", "GetServerInfo", "ServerInfoRequest", "ServerInfoResponse"),
        ("rpc.reflection.v1.Reflection", "ListServices", "ListServicesRequest", "ListServicesResponse"),
        ("rpc.reflection.v1.Reflection", "DescribeServices", "DescribeServicesRequest", "DescribeServicesResponse"),
    ]:
        s.add_method(MethodSchema(service, method, "unary", request, response))
    return s
