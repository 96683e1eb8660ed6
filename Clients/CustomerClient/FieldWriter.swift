import BinaryCoding
import Foundation

/// Writes one field of a `DynamicMessage`: the JSON value turned into the Swift type the schema
/// names, so the binary encoder writes exactly what the message's own type would (zigzag or plain
/// varint, packed arrays, decimals as text, timestamps as seconds since 2001).
struct FieldWriter {
    let schema: Schema
    let field: FieldSchema
    let path: String

    /// What one value of the field is, read from its schema type.
    enum Kind {
        case signed, unsigned, bool, double, float, string, timestamp, decimal, uuid, bytes, url
        case numberedEnum(EnumSchema), textEnum(EnumSchema)
        case message(String)
    }

    func kind() throws(DynamicMessageError) -> Kind {
        switch field.type {
        case "sint64", "sint32", "sint16", "sint8": return .signed
        case "uint64", "uint32", "uint16", "uint8": return .unsigned
        case "bool": return .bool
        case "double": return .double
        case "float": return .float
        case "string": return .string
        case "timestamp": return .timestamp
        case "decimal": return .decimal
        case "uuid": return .uuid
        case "bytes": return .bytes
        case "url": return .url
        default:
            if let enumeration = schema.enumeration(named: field.type) {
                return enumeration.values.contains { $0.text != nil } ? .textEnum(enumeration) : .numberedEnum(enumeration)
            }
            if schema.message(named: field.type) != nil { return .message(field.type) }
            throw DynamicMessageError("a \(field.type) cannot be written from JSON yet", at: path)
        }
    }

    func write(_ value: DynamicValue, to container: inout KeyedEncodingContainer<FieldKey>) throws {
        let key = FieldKey(field)
        switch try kind() {
        case .signed: try container.encode(try signed(value), forKey: key)
        case .unsigned: try container.encode(try unsigned(value), forKey: key)
        case .bool: try container.encode(try bool(value), forKey: key)
        case .double: try container.encode(try double(value), forKey: key)
        case .float: try container.encode(Float(try double(value)), forKey: key)
        case .string: try container.encode(try string(value), forKey: key)
        case .timestamp: try container.encode(try timestamp(value), forKey: key)
        case .decimal: try container.encode(try decimal(value), forKey: key)
        case .uuid: try container.encode(try uuid(value), forKey: key)
        case .bytes: try container.encode(try bytes(value), forKey: key)
        case .url: try container.encode(try url(value), forKey: key)
        case .numberedEnum(let enumeration): try container.encode(try number(value, of: enumeration), forKey: key)
        case .textEnum(let enumeration): try container.encode(try text(value, of: enumeration), forKey: key)
        case .message(let name): try container.encode(try DynamicMessage(name, in: schema, value, path: path + "."), forKey: key)
        }
    }

    /// A repeated field: one typed array, so scalars are packed as the message's own type packs them.
    func write(_ values: [DynamicValue], to container: inout KeyedEncodingContainer<FieldKey>) throws {
        let key = FieldKey(field)
        switch try kind() {
        case .signed: try container.encode(try values.map(signed), forKey: key)
        case .unsigned: try container.encode(try values.map(unsigned), forKey: key)
        case .bool: try container.encode(try values.map(bool), forKey: key)
        case .double: try container.encode(try values.map(double), forKey: key)
        case .float: try container.encode(try values.map { Float(try double($0)) }, forKey: key)
        case .string: try container.encode(try values.map(string), forKey: key)
        case .timestamp: try container.encode(try values.map(timestamp), forKey: key)
        case .decimal: try container.encode(try values.map(decimal), forKey: key)
        case .uuid: try container.encode(try values.map(uuid), forKey: key)
        case .bytes: try container.encode(try values.map(bytes), forKey: key)
        case .url: try container.encode(try values.map(url), forKey: key)
        case .numberedEnum(let enumeration): try container.encode(try values.map { try number($0, of: enumeration) }, forKey: key)
        case .textEnum(let enumeration): try container.encode(try values.map { try text($0, of: enumeration) }, forKey: key)
        case .message(let name):
            let messages = try values.enumerated().map { index, value in
                try DynamicMessage(name, in: schema, value, path: "\(path)[\(index)].")
            }
            try container.encode(messages, forKey: key)
        }
    }

    private func refuse(_ value: DynamicValue, expected: String) -> DynamicMessageError {
        DynamicMessageError("a \(field.type): expected \(expected), got \(value.kindName)", at: path)
    }

    private func signed(_ value: DynamicValue) throws(DynamicMessageError) -> Int64 {
        switch value {
        case .integer(let number): return number
        case .string(let text): if let number = Int64(text) { return number }
        default: break
        }
        throw refuse(value, expected: "a whole number")
    }

    private func unsigned(_ value: DynamicValue) throws(DynamicMessageError) -> UInt64 {
        switch value {
        case .integer(let number): if let number = UInt64(exactly: number) { return number }
        case .unsigned(let number): return number
        case .string(let text): if let number = UInt64(text) { return number }
        default: break
        }
        throw refuse(value, expected: "a whole number of 0 or more")
    }

    private func bool(_ value: DynamicValue) throws(DynamicMessageError) -> Bool {
        guard case .bool(let flag) = value else { throw refuse(value, expected: "true or false") }
        return flag
    }

    private func double(_ value: DynamicValue) throws(DynamicMessageError) -> Double {
        switch value {
        case .integer(let number): return Double(number)
        case .unsigned(let number): return Double(number)
        case .decimal(let number): if let double = Double(number.description) { return double }
        case .double(let number): return number
        default: break
        }
        throw refuse(value, expected: "a number")
    }

    private func string(_ value: DynamicValue) throws(DynamicMessageError) -> String {
        guard case .string(let text) = value else { throw refuse(value, expected: "a string") }
        return text
    }

    /// ISO 8601 with a zone (`2026-03-01T12:00:00Z`, fractions allowed), as JSON output writes it.
    private func timestamp(_ value: DynamicValue) throws(DynamicMessageError) -> Date {
        guard case .string(let text) = value,
              let date = (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
                ?? (try? Date.ISO8601FormatStyle().parse(text))
        else { throw refuse(value, expected: "an ISO 8601 time with its zone, e.g. \"2026-03-01T12:00:00Z\"") }
        return date
    }

    /// A string (`"1234.50"`, exact) or a JSON number (read from its digits by `DynamicValue(json:)`,
    /// so exact too): both keep every digit.
    private func decimal(_ value: DynamicValue) throws(DynamicMessageError) -> Decimal {
        switch value {
        case .integer(let number): return Decimal(number)
        case .unsigned(let number): return Decimal(number)
        case .decimal(let number): return number
        case .string(let text):
            // The wire's own reader: Decimal(string:) rounded a 40-digit text to another value (fuzz29).
            if let number = Decimal(exactText: text) { return number }
        default: break
        }
        throw refuse(value, expected: "a decimal number such as \"1234.50\"")
    }

    private func uuid(_ value: DynamicValue) throws(DynamicMessageError) -> UUID {
        guard case .string(let text) = value, let uuid = UUID(uuidString: text) else { throw refuse(value, expected: "a UUID") }
        return uuid
    }

    private func bytes(_ value: DynamicValue) throws(DynamicMessageError) -> Data {
        guard case .string(let text) = value, let data = Data(base64Encoded: text) else {
            throw refuse(value, expected: "base64 text")
        }
        return data
    }

    private func url(_ value: DynamicValue) throws(DynamicMessageError) -> URL {
        guard case .string(let text) = value, let url = URL(string: text) else { throw refuse(value, expected: "a URL") }
        return url
    }

    /// A case by its name (as tables and JSON output write it) or by its number.
    private func number(_ value: DynamicValue, of enumeration: EnumSchema) throws(DynamicMessageError) -> UInt64 {
        let known = enumeration.values.map(\.name).joined(separator: ", ")
        switch value {
        case .string(let name):
            if let number = enumeration.values.first(where: { $0.name == name })?.number {
                return UInt64(bitPattern: Int64(number))
            }
            throw DynamicMessageError("\(enumeration.name) has no case \(name) (cases: \(known))", at: path)
        case .integer(let number):
            // The server judges a number it does not know (INVALID_ARGUMENT naming the field).
            return UInt64(bitPattern: number)
        default:
            throw refuse(value, expected: "one of \(known)")
        }
    }

    private func text(_ value: DynamicValue, of enumeration: EnumSchema) throws(DynamicMessageError) -> String {
        guard case .string(let name) = value,
              let text = enumeration.values.first(where: { $0.name == name || $0.text == name })?.text
        else { throw refuse(value, expected: "one of \(enumeration.values.map(\.name).joined(separator: ", "))") }
        return text
    }
}
