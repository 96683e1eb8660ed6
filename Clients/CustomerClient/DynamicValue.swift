import Foundation

/// A JSON value, as a generic client reads a request from the command line and prints an answer:
/// the go-between of JSON text and a message built from a reflected schema (`DynamicMessage`,
/// `DynamicReply`). Numbers keep their kind (whole, unsigned, exact decimal, binary double), so
/// nothing is rounded on the way through; JSON text is read by `DynamicValue(json:)`, which reads a
/// number from its digits.
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

    /// The value as JSON would call its kind, for messages ("expected a string, got a boolean"); a
    /// number shown as well, as the field it was given to may take some numbers and not others.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer(let number): return "the number \(number)"
        case .unsigned(let number): return "the number \(number)"
        case .decimal(let number): return "the number \(number)"
        case .double(let number): return "the number \(number)"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Written as JSON by JSONEncoder (customerctl's output). Read by `DynamicValue(json:)`, not by
/// JSONDecoder, which rounds numbers (see `JSONTextReader`).
extension DynamicValue: Encodable {
    private struct Name: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
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
