import BinaryCoding
import Foundation
import Testing

/// The golden encodings in Protocol/vectors, checked both ways: encoding the value gives the
/// file's bytes, and decoding the file's bytes gives the value. Clients in other languages check
/// the same files. To rewrite them after a deliberate format change, run the tests with
/// BINARY_CODING_WRITE_VECTORS=1 and review the diff.
@Suite struct GoldenVectorTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let name: String
        let summary: String
        let encode: @Sendable () throws -> [UInt8]
        let decodesToValue: @Sendable ([UInt8]) throws -> Bool
        var testDescription: String { name }
    }

    static func vector<T: Codable & Equatable & Sendable>(_ name: String, _ summary: String, _ value: T) -> Vector {
        Vector(
            name: name, summary: summary,
            encode: { try BinaryEncoder().encode(value) },
            // Both paths: the fixtures also read their own fields (DirectDecodingTests).
            decodesToValue: { try BinaryDecoder.generic.decode(T.self, from: $0) == value && BinaryDecoder().decode(T.self, from: $0) == value })
    }

    static let vectors: [Vector] = [
        vector("customer-basic", "Customer with a nested Address; optional fields absent, empty arrays and map",
               Fixtures.basic),
        vector("customer-full", "Customer with every optional present, unicode, Decimal money, packed negatives, a map",
               Fixtures.full),
        vector("scalars-min", "AllWidths with the minimum of every integer width", AllWidths.min),
        vector("scalars-max", "AllWidths with the maximum of every integer width", AllWidths.max),
        vector("top-level-int-array", "[Int] [1, -1, 300] at the top level: field 1, packed", [1, -1, 300]),
        vector("top-level-string", "String \"héllo 👋\" at the top level: field 1", "héllo 👋"),
        vector("optionals-and-messages", "arrays of optionals, messages, nested arrays, an Int-keyed map",
               Collections(optionals: [1, nil], messages: [Address(street: "a", city: "b", postalCode: "c", country: "d")],
                           nested: [[1], []], byNumber: [-1: "minus one", 2: "two"], optionalStrings: [nil, "x"])),
        vector("enums", "enums as plain varints: a field, a negative optional, a packed repeated field",
               Signals(one: .high, maybe: .fault, many: [.off, .high, .fault])),
    ]

    static func url(_ name: String) -> URL { vectorsDirectory.appendingPathComponent("\(name).hex") }

    @Test(arguments: vectors)
    func encodingMatchesTheGoldenBytes(_ vector: Vector) throws {
        let encoded = try vector.encode()
        if ProcessInfo.processInfo.environment["BINARY_CODING_WRITE_VECTORS"] == "1" {
            let text = "# \(vector.name): \(vector.summary)\n# \(encoded.count) bytes; the value is described in README.md\n"
                + hex(encoded) + "\n"
            try text.write(to: Self.url(vector.name), atomically: true, encoding: .utf8)
        }
        let golden = bytes(hex: try String(contentsOf: Self.url(vector.name), encoding: .utf8))
        #expect(hex(encoded) == hex(golden))
    }

    @Test(arguments: vectors)
    func goldenBytesDecodeToTheValue(_ vector: Vector) throws {
        let golden = bytes(hex: try String(contentsOf: Self.url(vector.name), encoding: .utf8))
        #expect(try vector.decodesToValue(golden))
    }

    @Test func everyVectorFileIsChecked() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: vectorsDirectory.path)
            .filter { $0.hasSuffix(".hex") }
            .map { String($0.dropLast(4)) }
        #expect(Set(files) == Set(Self.vectors.map(\.name)))
    }
}
