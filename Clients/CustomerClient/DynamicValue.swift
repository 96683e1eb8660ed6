import Foundation

/// A JSON value, as a generic client reads a request from the command line and prints an answer:
/// the go-between of JSON text and a message built from a reflected schema (`DynamicMessage`,
/// `DynamicReply`). Numbers keep their kind (whole, unsigned, exact decimal, binary double), so
/// nothing is rounded on the way through.
public enum DynamicValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case integer(Int64)
    /// A whole number above `Int64.max`.
    case unsigned(UInt64)
    /// A JSON number with a fraction or an exponent, exactly as written.
    case decimal(Decimal)
    /// A `double` or `float` field read from the wire.
    case double(Double)
    case string(String)
    case array([DynamicValue])
    /// Members in order (the schema's order for a decoded message).
    case object([Member])

    public struct Member: Sendable, Hashable {
        public var name: String
        public var value: DynamicValue

        public init(_ name: String, _ value: DynamicValue) {
            self.name = name
            self.value = value
        }
    }

    /// The member named `name` of an object; nil for anything else.
    public subscript(name: String) -> DynamicValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.name == name }?.value
    }

    /// The value as JSON would call its kind, for messages ("expected a string, got a number").
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .unsigned, .decimal, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

extension DynamicValue: Codable {
    private struct Name: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads JSON: `true`/`false` only as booleans, and a number as the narrowest kind that holds
    /// it exactly (JSONDecoder refuses a mismatched kind, so the order of the tries decides).
    public init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Name.self) {
            self = .object(try object.allKeys.map { Member($0.stringValue, try object.decode(DynamicValue.self, forKey: $0)) })
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var elements: [DynamicValue] = []
            while !array.isAtEnd { elements.append(try array.decode(DynamicValue.self)) }
            self = .array(elements)
            return
        }
        let value = try decoder.singleValueContainer()
        if value.decodeNil() {
            self = .null
        } else if let flag = try? value.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? value.decode(Int64.self) {
            self = .integer(integer)
        } else if let unsigned = try? value.decode(UInt64.self) {
            self = .unsigned(unsigned)
        } else if let text = try? value.decode(String.self) {
            self = .string(text)
        } else {
            self = .decimal(try value.decode(Decimal.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .object(let members):
            var container = encoder.container(keyedBy: Name.self)
            for member in members { try container.encode(member.value, forKey: Name(stringValue: member.name)) }
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag): try Self.encodeSingle(flag, to: encoder)
        case .integer(let number): try Self.encodeSingle(number, to: encoder)
        case .unsigned(let number): try Self.encodeSingle(number, to: encoder)
        case .decimal(let number): try Self.encodeSingle(number, to: encoder)
        case .double(let number): try Self.encodeSingle(number, to: encoder)
        case .string(let text): try Self.encodeSingle(text, to: encoder)
        }
    }

    private static func encodeSingle(_ value: some Encodable, to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
