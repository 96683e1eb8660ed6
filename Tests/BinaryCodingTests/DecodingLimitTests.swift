import BinaryCoding
import Foundation
import Testing

/// `maxOccurrences` and `maxPackedElements`: a decoding with more field occurrences, or packed
/// elements, in the message and all it nests is refused, whatever shape holds them, by the reader
/// (`DirectDecodable`) and the generic decoder alike; at the limit it is decoded.
@Suite struct DecodingLimitTests {
    /// Decodes `bytes` as `T` with the given limits: the value, or the refusal in the wire's words.
    static func outcome<T: Decodable>(
        _ type: T.Type, _ bytes: [UInt8], direct: Bool, occurrences: Int = .max, packed: Int = .max
    ) -> Result<T, DecodingError> {
        var decoder = BinaryDecoder()
        decoder.readsDirectly = direct
        decoder.maxOccurrences = occurrences
        decoder.maxPackedElements = packed
        do {
            return .success(try decoder.decode(type, from: bytes))
        } catch let error as DecodingError {
            return .failure(error)
        } catch {
            Issue.record("not a DecodingError: \(error)")
            return .failure(.dataCorrupted(.init(codingPath: [], debugDescription: "\(error)")))
        }
    }

    /// The refusal's text, or nil when it decoded.
    static func refusal<T: Decodable>(
        _ type: T.Type, _ bytes: [UInt8], direct: Bool, occurrences: Int = .max, packed: Int = .max
    ) -> String? {
        switch outcome(type, bytes, direct: direct, occurrences: occurrences, packed: packed) {
        case .success: return nil
        case .failure(let error):
            guard case .dataCorrupted = error else {
                Issue.record("not dataCorrupted: \(error)")
                return error.wireDescription
            }
            return error.wireDescription
        }
    }

    static let address = Address(street: "s", city: "c", postalCode: "p", country: "f")

    @Test(arguments: [true, false])
    func stringsPastTheLimitAreRefused(direct: Bool) throws {
        let bytes = try BinaryEncoder().encode(Collections(strings: Array(repeating: "a", count: 101)))
        #expect(Self.refusal(Collections.self, bytes, direct: direct, occurrences: 101) == nil)
        let refused = try #require(Self.refusal(Collections.self, bytes, direct: direct, occurrences: 100))
        // The 101st occurrence of field 2: 3 bytes each, so its tag is at 300.
        #expect(refused == "field 2 at byte offset 300: more than 100 field occurrences in the message "
            + "and the messages it nests (the limit)")
    }

    @Test(arguments: [true, false])
    func packedElementsPastTheLimitAreRefused(direct: Bool) throws {
        // `ints` is read by the reader itself, `doubles` through Codable: both count.
        let ints = try BinaryEncoder().encode(Collections(ints: Array(repeating: 1, count: 1001)))
        #expect(Self.refusal(Collections.self, ints, direct: direct, occurrences: 1, packed: 1001) == nil)
        let refused = try #require(Self.refusal(Collections.self, ints, direct: direct, packed: 1000))
        #expect(refused.hasPrefix("field 1, packed: more than 1000 packed elements in the message and the "
            + "messages it nests (the limit) at byte offset "), "\(refused)")
        let doubles = try BinaryEncoder().encode(Collections(ints: [1, 2], doubles: Array(repeating: 0.5, count: 999)))
        #expect(Self.refusal(Collections.self, doubles, direct: direct, packed: 1001) == nil)
        let refusedDoubles = try #require(Self.refusal(Collections.self, doubles, direct: direct, packed: 1000))
        #expect(refusedDoubles.hasPrefix("field 10, packed: more than 1000 packed elements"), "\(refusedDoubles)")
    }

    /// Small nested messages: each counts one occurrence in its parent and one per field of its own.
    @Test(arguments: [true, false])
    func nestedMessagesCountWithTheirFields(direct: Bool) throws {
        let bytes = try BinaryEncoder().encode(Collections(messages: Array(repeating: Self.address, count: 20)))
        // 20 elements of 4 fields each: 100 occurrences.
        #expect(Self.refusal(Collections.self, bytes, direct: direct, occurrences: 100) == nil)
        let refused = try #require(Self.refusal(Collections.self, bytes, direct: direct, occurrences: 99))
        // The top message takes 20, then each element 4: the last field of the last one passes.
        #expect(refused.hasPrefix("field 4 at byte offset "), "\(refused)")
        #expect(refused.hasSuffix("more than 99 field occurrences in the message and the messages it nests "
            + "(the limit) (at field 4[19])"), "\(refused)")
    }

    /// Messages nested past the reader's tables, and read through Codable under a direct message.
    @Test(arguments: [true, false])
    func deepAndCodableNestingCount(direct: Bool) throws {
        let tree = try BinaryEncoder().encode(DirectTree.chain(12))
        // Each level: its label and two children, and the side child's label: 4; the leaf's label: 1.
        #expect(Self.refusal(DirectTree.self, tree, direct: direct, occurrences: 49) == nil)
        #expect(Self.refusal(DirectTree.self, tree, direct: direct, occurrences: 48) != nil)
        let maps = try BinaryEncoder().encode(Collections(messagesByName: ["a": Self.address, "b": Self.address]))
        // Two entries (key and value) of an address each: 2 + 2 × (2 + 4).
        #expect(Self.refusal(Collections.self, maps, direct: direct, occurrences: 14) == nil)
        #expect(Self.refusal(Collections.self, maps, direct: direct, occurrences: 13) != nil)
    }

    /// Unknown fields, each of another number, are indexed before they are skipped: they count.
    @Test(arguments: [true, false])
    func manyDifferentFieldsAreRefused(direct: Bool) throws {
        var bytes: [UInt8] = []
        for number in 100..<300 {
            let tag = UInt64(number) << 3
            bytes += [UInt8(truncatingIfNeeded: tag | 0x80), UInt8(truncatingIfNeeded: tag >> 7), 1]
        }
        #expect(Self.refusal(Collections.self, bytes, direct: direct, occurrences: 200) == nil)
        let refused = try #require(Self.refusal(Collections.self, bytes, direct: direct, occurrences: 199))
        #expect(refused == "field 299 at byte offset 597: more than 199 field occurrences in the message "
            + "and the messages it nests (the limit)")
    }

    /// No limit by default: a client decoding a large answer is not refused.
    @Test func noLimitByDefault() throws {
        let many = Collections(ints: Array(repeating: 3, count: 300_000), strings: Array(repeating: "b", count: 70_000))
        let bytes = try BinaryEncoder().encode(many)
        #expect(try BinaryDecoder().decode(Collections.self, from: bytes) == many)
    }
}
