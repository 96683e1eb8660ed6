import BinaryCoding
import Foundation

/// A message read from the wire with a reflected schema into JSON-ready values, for a program
/// (or a person) that trusts JSON: enums by their case names, decimals as strings with every digit
/// the server sent, timestamps in ISO 8601 with their zone (`Z`), bytes in base64. Absent optional
/// fields and empty repeated fields are left out, as the wire leaves them out.
public struct DynamicReply: Decodable, Sendable {
    public let value: DynamicValue

    /// What to read: the schema and the top-level message's name, handed over in `userInfo`
    /// because a `Decodable` has no other way in.
    struct Context: Sendable {
        let schema: Schema
        let message: String
    }

    static let contextKey = CodingUserInfoKey(rawValue: "customercard.dynamic-reply")

    /// Decodes `bytes` as the message `name` of `schema`.
    public static func decode(_ bytes: [UInt8], as name: String, in schema: Schema) throws -> DynamicValue {
        guard let key = contextKey else { throw DynamicMessageError("no user-info key", at: "") }
        var decoder = BinaryDecoder()
        decoder.userInfo[key] = Context(schema: schema, message: name)
        return try decoder.decode(DynamicReply.self, from: bytes).value
    }

    public init(from decoder: any Decoder) throws {
        guard let key = Self.contextKey, let context = decoder.userInfo[key] as? Context,
              let message = context.schema.message(named: context.message)
        else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "no schema for the reply"))
        }
        value = try Self.read(try decoder.container(keyedBy: FieldKey.self), message, context.schema)
    }

    static func read(_ container: KeyedDecodingContainer<FieldKey>, _ message: MessageSchema, _ schema: Schema) throws
        -> DynamicValue {
        var members: [DynamicValue.Member] = []
        for field in message.fields {
            let key = FieldKey(field)
            guard container.contains(key) else {
                // The wire leaves an empty list out; JSON says it is empty.
                if field.label == .repeated { members.append(.init(field.name, .array([]))) }
                continue
            }
            let reader = FieldReader(schema: schema, field: field)
            switch field.label {
            case .singular, .optional:
                members.append(.init(field.name, try reader.read(container, key)))
            case .repeated:
                members.append(.init(field.name, .array(try reader.readAll(container, key))))
            case .map:
                throw DecodingError.dataCorrupted(.init(
                    codingPath: container.codingPath + [key], debugDescription: "map fields cannot be shown as JSON yet"))
            }
        }
        return .object(members)
    }
}

/// Reads one field of a `DynamicReply` as the Swift type its schema names.
struct FieldReader {
    let schema: Schema
    let field: FieldSchema

    private var kind: FieldWriter.Kind {
        get throws { try FieldWriter(schema: schema, field: field, path: field.name).kind() }
    }

    func read(_ container: KeyedDecodingContainer<FieldKey>, _ key: FieldKey) throws -> DynamicValue {
        switch try kind {
        case .signed: return .integer(try container.decode(Int64.self, forKey: key))
        case .unsigned: return Self.unsigned(try container.decode(UInt64.self, forKey: key))
        case .bool: return .bool(try container.decode(Bool.self, forKey: key))
        case .double: return .double(try container.decode(Double.self, forKey: key))
        case .float: return .double(Double(try container.decode(Float.self, forKey: key)))
        case .string: return .string(try container.decode(String.self, forKey: key))
        case .timestamp: return Self.timestamp(try container.decode(Date.self, forKey: key))
        case .decimal: return .string(try container.decode(Decimal.self, forKey: key).description)
        case .uuid: return .string(try container.decode(UUID.self, forKey: key).uuidString)
        case .bytes: return .string(try container.decode(Data.self, forKey: key).base64EncodedString())
        case .url: return .string(try container.decode(URL.self, forKey: key).absoluteString)
        case .numberedEnum(let enumeration): return Self.name(try container.decode(UInt64.self, forKey: key), in: enumeration)
        case .textEnum(let enumeration): return Self.name(try container.decode(String.self, forKey: key), in: enumeration)
        case .message(let name):
            guard let message = schema.message(named: name) else { return .null }
            return try DynamicReply.read(try container.nestedContainer(keyedBy: FieldKey.self, forKey: key), message, schema)
        }
    }

    func readAll(_ container: KeyedDecodingContainer<FieldKey>, _ key: FieldKey) throws -> [DynamicValue] {
        switch try kind {
        case .signed: return try container.decode([Int64].self, forKey: key).map { .integer($0) }
        case .unsigned: return try container.decode([UInt64].self, forKey: key).map(Self.unsigned)
        case .bool: return try container.decode([Bool].self, forKey: key).map { .bool($0) }
        case .double: return try container.decode([Double].self, forKey: key).map { .double($0) }
        case .float: return try container.decode([Float].self, forKey: key).map { .double(Double($0)) }
        case .string: return try container.decode([String].self, forKey: key).map { .string($0) }
        case .timestamp: return try container.decode([Date].self, forKey: key).map(Self.timestamp)
        case .decimal: return try container.decode([Decimal].self, forKey: key).map { .string($0.description) }
        case .uuid: return try container.decode([UUID].self, forKey: key).map { .string($0.uuidString) }
        case .bytes: return try container.decode([Data].self, forKey: key).map { .string($0.base64EncodedString()) }
        case .url: return try container.decode([URL].self, forKey: key).map { .string($0.absoluteString) }
        case .numberedEnum(let enumeration):
            return try container.decode([UInt64].self, forKey: key).map { Self.name($0, in: enumeration) }
        case .textEnum(let enumeration):
            return try container.decode([String].self, forKey: key).map { Self.name($0, in: enumeration) }
        case .message(let name):
            guard let message = schema.message(named: name) else { return [] }
            var list = try container.nestedUnkeyedContainer(forKey: key)
            var values: [DynamicValue] = []
            while !list.isAtEnd {
                values.append(try DynamicReply.read(try list.nestedContainer(keyedBy: FieldKey.self), message, schema))
            }
            return values
        }
    }

    private static func unsigned(_ number: UInt64) -> DynamicValue {
        Int64(exactly: number).map { .integer($0) } ?? .unsigned(number)
    }

    /// The case's name; a number the schema does not list stays a number (a newer server's case).
    private static func name(_ number: UInt64, in enumeration: EnumSchema) -> DynamicValue {
        let signed = Int64(bitPattern: number)
        return enumeration.values.first { $0.number.map(Int64.init) == signed }.map { .string($0.name) } ?? .integer(signed)
    }

    private static func name(_ text: String, in enumeration: EnumSchema) -> DynamicValue {
        .string(enumeration.values.first { $0.text == text }?.name ?? text)
    }

    private static func timestamp(_ date: Date) -> DynamicValue {
        .string(date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
    }
}
