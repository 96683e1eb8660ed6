/// How a decoding refusal names what a field holds: as the schema and CUSTOMER-API.md name it
/// (`a string`, `a sint32`, `a timestamp`, `an enum`, `a message`), never by a Swift type
/// (`String`, `Int32`, a message's `CodingKeys`), which a client written in another language from
/// the documents has never seen. Called only to build an error.
func schemaTypeDescription(_ type: Any.Type) -> String {
    let name = schemaTypeName(type)
    switch name {
    case "bytes": return name
    case "enum": return "an enum"
    default: return "a \(name)"
    }
}

/// The schema's name of a scalar type (`uint8`, `timestamp`), else `enum` or `message`.
func schemaTypeName(_ type: Any.Type) -> String {
    // A keyed container's key type (`CodingKeys: Int`) names the message it reads, not an enum.
    if type is any CodingKey.Type { return "message" }
    if let scalar = TypeKind.scalarSchemas[TypeKind.of(type)] { return scalar.name }
    if type == EnumNumber.self || TypeKind.of(type) == .intEnum { return "enum" }
    return "message"
}

/// "field 1: expected wire type 2 (length-delimited) for a string, found 0 (varint) at byte
/// offset 5": the generic decoder and `BinaryReader` word a wire-type mismatch alike.
func wireTypeMismatchMessage(_ type: Any.Type, field number: UInt32, expected: WireType, found entry: FieldEntry) -> String {
    "field \(number): expected wire type \(expected.name) for \(schemaTypeDescription(type)), "
        + "found \(entry.wireType.name) at byte offset \(entry.offset)"
}

extension TypeKind {
    /// The scalar types' schema names (ENCODING.md §2) and wire types.
    static let scalarSchemas: [TypeKind: (name: String, wireType: WireType)] = [
        .string: ("string", .lengthDelimited), .int: ("sint64", .varint), .int64: ("sint64", .varint),
        .int32: ("sint32", .varint), .int16: ("sint16", .varint), .int8: ("sint8", .varint),
        .uint: ("uint64", .varint), .uint64: ("uint64", .varint), .uint32: ("uint32", .varint),
        .uint16: ("uint16", .varint), .uint8: ("uint8", .varint), .bool: ("bool", .varint),
        .double: ("double", .fixed64), .float: ("float", .fixed32), .date: ("timestamp", .fixed64),
        .decimal: ("decimal", .lengthDelimited), .uuid: ("uuid", .lengthDelimited),
        .data: ("bytes", .lengthDelimited), .url: ("url", .lengthDelimited),
    ]
}
