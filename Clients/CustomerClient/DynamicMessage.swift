import BinaryCoding
import Foundation

/// A message built by field name from a reflected schema, as a generic client (or one in another
/// language) builds it: every field number and encoding comes from the schema's names alone.
/// `customerctl call` turns its `--data` JSON into one of these.
public struct DynamicMessage: Encodable, Sendable {
    public let message: MessageSchema
    public let schema: Schema
    public let members: [DynamicValue.Member]
    /// Where the message sits in the request (`fields.` for a nested one), for error messages.
    let path: String

    /// The message `name` of `schema` with the members of `value` (a JSON object); a field the
    /// message does not have is refused here, before anything is sent.
    public init(_ name: String, in schema: Schema, _ value: DynamicValue) throws(DynamicMessageError) {
        try self.init(name, in: schema, value, path: "")
    }

    /// The bytes of the message `name` of `schema` with the members of `value`, as the server reads
    /// them: what `customerctl call` sends for a person's JSON.
    public static func encoded(_ name: String, in schema: Schema, _ value: DynamicValue) throws(DynamicMessageError)
        -> [UInt8] {
        let message = try DynamicMessage(name, in: schema, value)
        do {
            return try BinaryEncoder().encode(message)
        } catch let error as DynamicMessageError {
            throw error
        } catch {
            throw DynamicMessageError("cannot encode the request: \(error)", at: "")
        }
    }

    init(_ name: String, in schema: Schema, _ value: DynamicValue, path: String) throws(DynamicMessageError) {
        guard let message = schema.message(named: name) else {
            throw DynamicMessageError("the schema has no message \(name)", at: path)
        }
        guard case .object(let members) = value else {
            throw DynamicMessageError("\(name) is a message: expected an object, got \(value.kindName)", at: path)
        }
        for member in members where message.field(named: member.name) == nil {
            let known = message.fields.map(\.name).joined(separator: ", ")
            throw DynamicMessageError("\(name) has no field \(member.name) (fields: \(known))", at: path)
        }
        self.message = message
        self.schema = schema
        self.members = members
        self.path = path
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: FieldKey.self)
        // In the schema's order, as the message's own type would write them.
        for field in message.fields {
            guard let value = members.first(where: { $0.name == field.name })?.value, value != .null else { continue }
            let writer = FieldWriter(schema: schema, field: field, path: path + field.name)
            switch field.label {
            case .singular, .optional:
                try writer.write(value, to: &container)
            case .repeated:
                guard case .array(let elements) = value else {
                    throw DynamicMessageError("a repeated field: expected an array, got \(value.kindName)", at: writer.path)
                }
                try writer.write(elements, to: &container)
            case .map:
                throw DynamicMessageError("map fields cannot be written from JSON yet", at: writer.path)
            }
        }
    }
}

/// A request that cannot be built from its JSON: names the field (`fields.country`) and the fault.
public struct DynamicMessageError: Error, Sendable, CustomStringConvertible {
    public let field: String
    public let reason: String

    /// `field` may end in the `.` that nested fields are appended to.
    init(_ reason: String, at field: String) {
        self.field = field.hasSuffix(".") ? String(field.dropLast()) : field
        self.reason = reason
    }

    public var description: String { field.isEmpty ? reason : "\(field): \(reason)" }
}

/// A coding key made from a schema field: its number travels, its name is for messages.
struct FieldKey: CodingKey {
    let intValue: Int?
    let stringValue: String

    init(_ field: FieldSchema) {
        intValue = Int(field.number)
        stringValue = field.name
    }

    init?(intValue: Int) {
        self.intValue = intValue
        stringValue = String(intValue)
    }

    init?(stringValue: String) { nil }
}
