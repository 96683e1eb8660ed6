import BinaryCoding
import DecodingComparison
import Testing

/// An enum with an `Int` raw value, a negative one among them.
enum Signal: Int, Codable, CaseIterable {
    case off = 0, low = 1, high = 2, fault = -1
}

/// Enums in every position: a field, an optional field, a repeated field (packed).
struct Signals: Codable, Equatable {
    var one: Signal
    var maybe: Signal?
    var many: [Signal]
    enum CodingKeys: Int, CodingKey { case one = 1, maybe = 2, many = 3 }
}

/// Enums are their number as a plain varint, as protobuf writes them (ENCODING.md §2), not the
/// zigzag varint of an `Int` field; a number the receiver has no case for is refused.
@Suite struct EnumTests {
    @Test func aPlainVarintIsReadAsTheCaseOfThatNumber() throws {
        // What a foreign client writes for high (2). Read as zigzag it would have been low (1).
        let signals = try BinaryDecoder.generic.decode(Signals.self, from: [0x08, 0x02])
        #expect(signals == Signals(one: .high, maybe: nil, many: []))
    }

    @Test func encodingWritesTheNumberItselfNegativeAsTenBytes() throws {
        #expect(hex(try BinaryEncoder().encode(Signals(one: .high, maybe: nil, many: []))) == "08 02")
        #expect(hex(try BinaryEncoder().encode(Signals(one: .fault, maybe: nil, many: [])))
            == "08 ff ff ff ff ff ff ff ff ff 01")
        // At the top level: field 1 of an implicit message.
        #expect(hex(try BinaryEncoder().encode(Signal.high)) == "08 02")
    }

    @Test func anUnknownNumberIsRefusedNamingTheFieldAndTheKnownValues() throws {
        let error = try decodingError(Signals.self, [0x08, 0x07])
        #expect(error.kind == .dataCorrupted)
        #expect(error.context.debugDescription.contains("field 1 (one): 7 is not a value of the enum Signal"))
        #expect(error.context.debugDescription.contains("known: 0, 1, 2, -1"))
        #expect(error.context.codingPath.map(\.stringValue) == ["one"])
    }

    @Test func anUnknownNumberInAnOptionalFieldIsRefusedNotReadAsAbsent() throws {
        let error = try decodingError(Signals.self, [0x08, 0x00, 0x10, 0x05])
        #expect(error.kind == .dataCorrupted)
        #expect(error.context.codingPath.map(\.stringValue) == ["maybe"])
    }

    @Test func anUnknownNumberInARepeatedFieldIsRefused() throws {
        let error = try decodingError(Signals.self, [0x08, 0x00, 0x1a, 0x02, 0x01, 0x09])
        #expect(error.kind == .dataCorrupted)
        #expect(error.context.debugDescription.contains("9 is not a value of the enum"))
    }
}
