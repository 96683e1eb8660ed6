import BinaryCoding

/// A message built by field name from a reflected schema, as a generic client (or one in another
/// language) builds it: every field number and encoding comes from the schema's names alone.
struct DynamicMessage: Encodable, Sendable {
    enum Value: Sendable {
        case integer(Int64)
        case text(String)
        case flag(Bool)
        /// A case of the field's enum, by name.
        case enumeration(String)
        /// An enum field's number, whether or not the schema lists it.
        case enumNumber(Int64)
        case message([(String, Value)])
    }

    struct BuildError: Error, CustomStringConvertible {
        let description: String
    }

    private struct FieldKey: CodingKey {
        let intValue: Int?
        let stringValue: String
        init(_ field: FieldSchema) {
            intValue = Int(field.number)
            stringValue = field.name
        }
        init?(intValue: Int) { nil }
        init?(stringValue: String) { nil }
    }

    /// A number as the schema's type says it travels.
    private enum Number: Encodable {
        case zigzag(Int64), plain(UInt64)
        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .zigzag(let value): try container.encode(value)
            case .plain(let value): try container.encode(value)
            }
        }
    }

    let message: MessageSchema
    let schema: Schema
    let values: [(String, Value)]

    init(_ name: String, in schema: Schema, _ values: [(String, Value)]) throws {
        guard let message = schema.message(named: name) else { throw BuildError(description: "no message \(name)") }
        self.message = message
        self.schema = schema
        self.values = values
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        for (name, value) in values {
            guard let field = message.field(named: name) else {
                throw BuildError(description: "\(message.name) has no field \(name)")
            }
            let key = FieldKey(field)
            switch (field.type, value) {
            case ("sint64", .integer(let number)), ("sint32", .integer(let number)):
                try container.encode(Number.zigzag(number), forKey: key)
            case ("uint64", .integer(let number)), ("uint32", .integer(let number)):
                try container.encode(Number.plain(UInt64(clamping: number)), forKey: key)
            case ("string", .text(let text)):
                try container.encode(text, forKey: key)
            case ("bool", .flag(let flag)):
                try container.encode(flag, forKey: key)
            case (let enumName, .enumeration(let caseName)):
                guard let number = schema.enumeration(named: enumName)?.values.first(where: { $0.name == caseName })?.number
                else { throw BuildError(description: "\(enumName) has no case \(caseName)") }
                try container.encode(Number.plain(UInt64(bitPattern: Int64(number))), forKey: key)
            case (_, .enumNumber(let number)) where schema.enumeration(named: field.type) != nil:
                try container.encode(Number.plain(UInt64(bitPattern: number)), forKey: key)
            case (let messageName, .message(let fields)):
                try container.encode(try DynamicMessage(messageName, in: schema, fields), forKey: key)
            default:
                throw BuildError(description: "\(message.name).\(name) is a \(field.type): cannot hold \(value)")
            }
        }
    }
}
