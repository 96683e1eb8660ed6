import BinaryCoding
import CustomerClient
import Synchronization

/// API records as JSON a program can trust: read through the records' own schema (as `call` reads
/// any answer), so enums are their case names, decimals strings with every digit the server sent,
/// timestamps ISO 8601 in UTC with the `Z`, and an empty list `[]` rather than a missing key.
/// Values that are not API messages (plain dictionaries, the CLI's own summaries) are left to
/// JSONEncoder as they are.
enum MessageJSON {
    /// Schemas recorded once per type: an export prints one line per record.
    private static let schemas = Mutex<[ObjectIdentifier: Schema]>([:])

    /// The value as schema-read JSON; nil when it is not an API message (or a list of them).
    static func value(of value: some Encodable) -> DynamicValue? {
        if let list = value as? [any Encodable] {
            var elements: [DynamicValue] = []
            for element in list {
                guard let converted = message(element) else { return nil }
                elements.append(converted)
            }
            return .array(elements)
        }
        return message(value)
    }

    private static func message(_ value: any Encodable) -> DynamicValue? {
        let type = Swift.type(of: value)
        guard let decodable = type as? any Decodable.Type, let schema = schema(of: decodable) else { return nil }
        let name = Schema.name(of: type)
        guard schema.message(named: name) != nil, let bytes = try? BinaryEncoder().encode(value) else { return nil }
        return try? DynamicReply.decode(bytes, as: name, in: schema)
    }

    private static func schema(of type: any Decodable.Type) -> Schema? {
        let key = ObjectIdentifier(type)
        if let known = schemas.withLock({ $0[key] }) { return known }
        guard let schema = try? Schema.of([type]) else { return nil }
        schemas.withLock { $0[key] = schema }
        return schema
    }
}
