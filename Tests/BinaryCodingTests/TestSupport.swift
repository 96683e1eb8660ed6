import BinaryCoding
import Foundation
import Testing

// Fixtures shared by the BinaryCoding tests: a customer-like record and helpers.

struct Address: Codable, Equatable {
    var street: String
    var city: String
    var postalCode: String
    var country: String

    enum CodingKeys: Int, CodingKey {
        case street = 1, city = 2, postalCode = 3, country = 4
    }
}

enum CustomerStatus: String, Codable, CaseIterable {
    case active, dormant, closed
}

enum Tier: Int, Codable, CaseIterable {
    case standard = 0, gold = 1, platinum = 2
}

struct Customer: Codable, Equatable {
    var id: UUID
    var name: String
    var email: String?
    var phone: String?
    var address: Address
    var status: CustomerStatus
    var tier: Tier
    var balance: Decimal
    var createdAt: Date
    var tags: [String]
    var visits: [Int]
    var notes: [String: String]
    var lastContact: Date?
    var rating: Double?

    enum CodingKeys: Int, CodingKey {
        case id = 1, name = 2, email = 3, phone = 4, address = 5, status = 6, tier = 7, balance = 8
        case createdAt = 9, tags = 10, visits = 11, notes = 12, lastContact = 13, rating = 14
    }
}

enum Fixtures {
    static let basic = Customer(
        id: UUID(uuidString: "00112233-4455-6677-8899-AABBCCDDEEFF")!,
        name: "Acme Oy",
        email: nil,
        phone: nil,
        address: Address(street: "Mannerheimintie 1", city: "Helsinki", postalCode: "00100", country: "FI"),
        status: .active,
        tier: .standard,
        balance: Decimal(string: "0")!,
        createdAt: Date(timeIntervalSinceReferenceDate: 0),
        tags: [],
        visits: [],
        notes: [:],
        lastContact: nil,
        rating: nil)

    static let full = Customer(
        id: UUID(uuidString: "F47AC10B-58CC-4372-A567-0E02B2C3D479")!,
        name: "Ålandsbanken Ab – 日本支店 👩‍💼",
        email: "kontakt@example.fi",
        phone: "+358 40 123 4567",
        address: Address(street: "Storgatan 9", city: "Mariehamn", postalCode: "22100", country: "AX"),
        status: .dormant,
        tier: .platinum,
        balance: Decimal(string: "-1234.50")!,
        createdAt: Date(timeIntervalSinceReferenceDate: 700_000_000.123_456),
        tags: ["vip", "nordics", ""],
        visits: [3, -1, 300, 0],
        notes: ["owner": "Märta", "lang": "sv"],
        lastContact: Date(timeIntervalSinceReferenceDate: -1.5),
        rating: -0.25)
}

extension BinaryDecoder {
    /// The generic decoder even for the fixtures that read their own fields (DirectDecodingTests):
    /// the suites written for the generic decoder keep testing it, the direct path has its own.
    static var generic: BinaryDecoder {
        var decoder = BinaryDecoder()
        decoder.readsDirectly = false
        return decoder
    }
}

/// Encodes and decodes `value` with default settings, through the generic decoder.
func roundTrip<T: Codable>(_ value: T, as type: T.Type = T.self) throws -> T {
    try BinaryDecoder.generic.decode(type, from: BinaryEncoder().encode(value))
}

/// Parses hex text: whitespace between bytes is ignored, lines starting with `#` are comments.
func bytes(hex text: String) -> [UInt8] {
    let digits = text.split(separator: "\n")
        .filter { !$0.hasPrefix("#") }
        .joined()
        .filter { !$0.isWhitespace }
    var result: [UInt8] = []
    var index = digits.startIndex
    while index < digits.endIndex {
        let next = digits.index(index, offsetBy: 2, limitedBy: digits.endIndex) ?? digits.endIndex
        if let byte = UInt8(digits[index..<next], radix: 16) { result.append(byte) }
        index = next
    }
    return result
}

/// Lowercase hex, 16 bytes a line.
func hex(_ bytes: [UInt8]) -> String {
    stride(from: 0, to: bytes.count, by: 16).map { start in
        bytes[start..<min(start + 16, bytes.count)].map { String(format: "%02x", $0) }.joined(separator: " ")
    }.joined(separator: "\n")
}

/// The repository's Protocol/vectors folder (this file is Tests/BinaryCodingTests/TestSupport.swift).
let vectorsDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Protocol/vectors")

extension DecodingError {
    var context: Context {
        switch self {
        case .dataCorrupted(let context), .keyNotFound(_, let context),
            .typeMismatch(_, let context), .valueNotFound(_, let context):
            return context
        @unknown default:
            return Context(codingPath: [], debugDescription: "")
        }
    }
}

/// Decodes `type` from `bytes`, requiring a DecodingError, and returns it.
func decodingError<T: Decodable>(_ type: T.Type, _ bytes: [UInt8], decoder: BinaryDecoder = .generic) throws -> DecodingError {
    do {
        _ = try decoder.decode(type, from: bytes)
    } catch let error as DecodingError {
        return error
    }
    Issue.record("decoding \(type) from \(hex(bytes)) succeeded")
    throw CancellationError()
}
