import BinaryCoding
import CustomerClient
import Foundation
import ServiceLog

/// Fuzz target (k): `customerctl call`'s schema-driven path, both ways. A reply is read by the
/// schema the server named (`DynamicReply`), so from a possibly hostile server's bytes, and printed
/// as customerctl prints it (JSONEncoder, then `TerminalText.jsonEscaped`); a request is a person's
/// JSON text turned into a message by the schema (`DynamicMessage.encoded`).
///
/// Input: one byte, the direction (even: a reply, odd: a request); two bytes, big-endian, choosing
/// the message (a reply: any message of the schema; a request: any method's input); then the reply's
/// bytes or the request's JSON text. Findings: a trap; a reply that reads but cannot be printed,
/// or prints as text that is not JSON, or with a code point `TerminalText` escapes left as it is
/// (only the layout's line breaks may stand); a reply printed as a value other than the one read.
enum CallFuzzTarget {
    /// The schema of customer.v1 as the server's reflection describes it: every method's messages.
    static let schema: Schema? = try? Schema.of(
        (DecoderFuzzTarget.requestTypes + ClientResponseFuzzTarget.responseTypes).map { $0 as any Decodable.Type })
    /// Every message of the schema (nested ones too), by name.
    static let replies: [String] = (schema?.messages.map(\.name) ?? []).sorted()
    /// Every method's input.
    static let requests: [String] = DecoderFuzzTarget.requestTypes.map { Schema.name(of: $0) }.sorted()

    /// customerctl's `--output json` (Output.printJSON) for a value read by a schema.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func run(_ input: UnsafeRawBufferPointer) {
        guard input.count >= 3, let schema else { return }
        let choice = Int(input[1]) << 8 | Int(input[2])
        let body = Array(input.dropFirst(3))
        if input[0] & 1 == 0 {
            reply(body, as: replies[choice % replies.count], in: schema)
        } else {
            request(body, as: requests[choice % requests.count], in: schema)
        }
    }

    static func reply(_ bytes: [UInt8], as name: String, in schema: Schema) {
        guard let value = try? DynamicReply.decode(bytes, as: name, in: schema) else { return }
        let json: Data
        do {
            json = TerminalText.jsonEscaped(try encoder.encode(value))
        } catch {
            fatalError("\(name) read from \(bytes) cannot be printed: \(error)")
        }
        let text = String(decoding: json, as: UTF8.self)
        if let control = text.unicodeScalars.first(where: { $0 != "\n" && TerminalText.needsEscape($0) }) {
            fatalError("\(name) printed with U+\(String(control.value, radix: 16)) unescaped: \(text.debugDescription)")
        }
        let printed: DynamicValue
        do {
            printed = try DynamicValue(json: json)
        } catch {
            fatalError("\(name) printed as text that is not JSON (\(error)): \(text.debugDescription)")
        }
        if normalised(printed) != normalised(value) {
            fatalError("\(name) printed as another value: read \(value), printed \(text.debugDescription)")
        }
    }

    static func request(_ text: [UInt8], as name: String, in schema: Schema) {
        // CallCommand's reading of `--data`: JSON text to a value, the value to the message's bytes.
        guard let value = try? DynamicValue(json: text) else { return }
        _ = try? DynamicMessage.encoded(name, in: schema, value)
    }

    /// A value as it reads back from JSON: members by name (the output sorts them) and numbers by
    /// their kind as JSON reads them again.
    static func normalised(_ value: DynamicValue) -> DynamicValue {
        switch value {
        case .object(let members):
            return .object(members.map { .init($0.name, normalised($0.value)) }.sorted { $0.name < $1.name })
        case .array(let elements): return .array(elements.map(normalised))
        case .double(let number): return Int64(exactly: number).map { .integer($0) } ?? .decimal(Decimal(number))
        default: return value
        }
    }

    /// The input for a reply's `bytes` read as the message `name`.
    static func replyInput(_ name: String, bytes: [UInt8]) -> [UInt8] {
        let index = replies.firstIndex(of: name) ?? 0
        return [0, UInt8(index >> 8), UInt8(index & 0xFF)] + bytes
    }

    /// The input for a request's JSON `text` as the message `name`.
    static func requestInput(_ name: String, json text: String) -> [UInt8] {
        let index = requests.firstIndex(of: name) ?? 0
        return [1, UInt8(index >> 8), UInt8(index & 0xFF)] + Array(text.utf8)
    }

    /// The `client` target's replies, each read as its own message; each valid request's bytes as
    /// its reply too; requests as a person writes them (the README's and `call --help`'s examples)
    /// and hostile JSON: deep nesting, huge numbers, wrong kinds, a lone surrogate's escape,
    /// terminal controls in strings.
    static func seeds(requests valid: [(name: String, message: [UInt8])], vectors: [[UInt8]]) -> [[UInt8]] {
        var seeds = ClientResponseFuzzTarget.seeds(vectors: vectors).compactMap { seed -> [UInt8]? in
            guard let selector = seed.first else { return nil }
            let type = ClientResponseFuzzTarget.responseTypes[Int(selector) % ClientResponseFuzzTarget.responseTypes.count]
            return replyInput(Schema.name(of: type), bytes: Array(seed.dropFirst()))
        }
        seeds += valid.map { replyInput($0.name, bytes: $0.message) }
        let texts: [(String, String)] = [
            ("GetCustomerRequest", #"{"id": 1}"#),
            ("ListCustomersRequest", #"{"query": {"status": "all", "pageSize": 50}}"#),
            ("CreateCustomerRequest", #"{"fields": {"name": "Acme \u001b[31m\u202e Oy", "country": "FI", "creditLimit": "1234.50"}}"#),
            ("CreateCustomerRequest", #"{"fields": {"name": "X", "creditLimit": 1e400, "number": 18446744073709551616}}"#),
            ("UpdateCustomerRequest", #"{"id": -1, "expectedVersion": 1.5, "fields": {"name": "\ud800"}}"#),
            ("ListCustomersRequest", String(repeating: "[", count: 3000)),
            ("ListCustomersRequest", #"{"query": {"updatedSince": "2026-03-01T12:00:00.123+02:00", "status": 7}}"#),
            ("GetCustomerRequest", #"{"id": "12", "id": true}"#),
        ]
        seeds += texts.map { requestInput($0.0, json: $0.1) }
        return seeds
    }
}
