import BinaryCoding
import DecodingComparison
import Foundation
import Testing

struct OneInt: Codable { var value: Int; enum CodingKeys: Int, CodingKey { case value = 1 } }
struct OneByte: Codable { var value: UInt8; enum CodingKeys: Int, CodingKey { case value = 1 } }
struct OneString: Codable { var value: String; enum CodingKeys: Int, CodingKey { case value = 1 } }
struct OneBool: Codable { var value: Bool; enum CodingKeys: Int, CodingKey { case value = 1 } }
struct OneUUID: Codable { var value: UUID; enum CodingKeys: Int, CodingKey { case value = 1 } }
struct OneDecimal: Codable { var value: Decimal; enum CodingKeys: Int, CodingKey { case value = 1 } }
struct OneDouble: Codable { var value: Double; enum CodingKeys: Int, CodingKey { case value = 1 } }
struct Strings: Codable { var values: [String]; enum CodingKeys: Int, CodingKey { case values = 1 } }
struct Ints: Codable { var values: [Int]; enum CodingKeys: Int, CodingKey { case values = 1 } }

/// A recursive message: each link's field 1 holds the next.
struct Chain: Codable {
    var next: [Chain]
    enum CodingKeys: Int, CodingKey { case next = 1 }
}

struct OneAddress: Codable { var value: Address; enum CodingKeys: Int, CodingKey { case value = 1 } }

/// `depth` messages, each field 1 of the one around it.
func nestedMessages(depth: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    for _ in 0..<depth {
        var outer: [UInt8] = [0x0a]
        Varint.append(UInt64(bytes.count), to: &outer)
        bytes = outer + bytes
    }
    return bytes
}

@Suite struct DecodingErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let decode: @Sendable ([UInt8]) throws -> Void
        let bytes: [UInt8]
        let kind: DecodingErrorKind
        let mentions: String
        var testDescription: String { name }
    }

    static func decoding<T: Decodable & Sendable>(_ type: T.Type) -> @Sendable ([UInt8]) throws -> Void {
        { _ = try BinaryDecoder.generic.decode(type, from: $0) }
    }

    static let cases: [Case] = [
        Case(name: "truncated varint", decode: decoding(OneInt.self), bytes: [0x08, 0x80],
             kind: .dataCorrupted, mentions: "field 1: truncated varint at byte offset 1"),
        Case(name: "truncated tag", decode: decoding(OneInt.self), bytes: [0x88],
             kind: .dataCorrupted, mentions: "truncated varint at byte offset 0"),
        Case(name: "varint over 10 bytes", decode: decoding(OneInt.self),
             bytes: [0x08] + [UInt8](repeating: 0xff, count: 10) + [0x01],
             kind: .dataCorrupted, mentions: "field 1: varint longer than 10 bytes"),
        Case(name: "varint over 64 bits", decode: decoding(OneInt.self),
             bytes: [0x08] + [UInt8](repeating: 0xff, count: 9) + [0x02],
             kind: .dataCorrupted, mentions: "field 1: varint longer than 10 bytes or over 64 bits at byte offset 1"),
        Case(name: "length past the end", decode: decoding(OneString.self), bytes: [0x0a, 0x05, 0x61],
             kind: .dataCorrupted, mentions: "field 1: length 5 at byte offset 1 runs past"),
        Case(name: "huge length", decode: decoding(OneString.self),
             bytes: [0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f],
             kind: .dataCorrupted, mentions: "runs past the end"),
        Case(name: "truncated fixed64", decode: decoding(OneDouble.self), bytes: [0x09, 1, 2, 3],
             kind: .dataCorrupted, mentions: "field 1: truncated fixed64 at byte offset 1"),
        Case(name: "invalid UTF-8", decode: decoding(OneString.self), bytes: [0x0a, 0x02, 0xc3, 0x28],
             kind: .dataCorrupted, mentions: "invalid UTF-8"),
        Case(name: "string arriving as varint", decode: decoding(OneString.self), bytes: [0x08, 0x01],
             kind: .typeMismatch, mentions: "field 1: expected wire type 2 (length-delimited) for a string, found 0 (varint)"),
        Case(name: "int arriving as fixed32", decode: decoding(OneInt.self), bytes: [0x0d, 1, 2, 3, 4],
             kind: .typeMismatch, mentions: "field 1: expected wire type 0 (varint) for a sint64, found 5 (fixed32) at byte offset 1"),
        Case(name: "message arriving as varint", decode: decoding(OneAddress.self), bytes: [0x08, 0x01],
             kind: .typeMismatch, mentions: "field 1: expected wire type 2 (length-delimited) for a message, found 0 (varint)"),
        Case(name: "message element arriving as varint", decode: decoding(Chain.self), bytes: [0x08, 0x01],
             kind: .typeMismatch, mentions: "expected wire type 2"),
        Case(name: "UInt8 holding 300", decode: decoding(OneByte.self), bytes: [0x08, 0xac, 0x02],
             kind: .dataCorrupted, mentions: "value 300 does not fit in uint8 at byte offset 1"),
        Case(name: "Bool holding 2", decode: decoding(OneBool.self), bytes: [0x08, 0x02],
             kind: .dataCorrupted, mentions: "value 2 is not a bool (0 or 1)"),
        Case(name: "missing required field", decode: decoding(OneInt.self), bytes: [],
             kind: .keyNotFound, mentions: "no field 1"),
        Case(name: "missing required message", decode: decoding(Customer.self), bytes: [],
             kind: .keyNotFound, mentions: "no field"),
        Case(name: "wire type 3", decode: decoding(OneInt.self), bytes: [0x0b, 0x0c],
             kind: .dataCorrupted, mentions: "wire type 3 (group) at byte offset 0"),
        Case(name: "wire type 4", decode: decoding(OneInt.self), bytes: [0x0c],
             kind: .dataCorrupted, mentions: "wire type 4 (group)"),
        Case(name: "wire type 6", decode: decoding(OneInt.self), bytes: [0x0e],
             kind: .dataCorrupted, mentions: "invalid wire type 6"),
        Case(name: "wire type 7", decode: decoding(OneInt.self), bytes: [0x0f],
             kind: .dataCorrupted, mentions: "invalid wire type 7"),
        Case(name: "field number 0", decode: decoding(OneInt.self), bytes: [0x00, 0x01],
             kind: .dataCorrupted, mentions: "invalid field number 0"),
        Case(name: "field number over 2^29-1", decode: decoding(OneInt.self), bytes: [0x80, 0x80, 0x80, 0x80, 0x10, 0x00],
             kind: .dataCorrupted, mentions: "invalid field number 536870912"),
        Case(name: "UUID of 15 bytes", decode: decoding(OneUUID.self), bytes: [0x0a, 0x0f] + [UInt8](repeating: 1, count: 15),
             kind: .dataCorrupted, mentions: "a UUID takes 16 bytes, found 15"),
        Case(name: "decimal with trailing junk", decode: decoding(OneDecimal.self), bytes: [0x0a, 0x03, 0x31, 0x32, 0x78],
             kind: .dataCorrupted, mentions: "invalid decimal \"12x\""),
        Case(name: "string element as varint", decode: decoding(Strings.self), bytes: [0x08, 0x01],
             kind: .typeMismatch, mentions: "expected wire type 2"),
        // redteam32: a repeated field's second entry, unpacked, with an 11-byte varint (the nested-field
        // sweep's finding: refused without the field's number).
        Case(name: "unpacked entry with a varint over 10 bytes", decode: decoding(Ints.self),
             bytes: [0x08, 0x01, 0x08] + [UInt8](repeating: 0xff, count: 10) + [0x01],
             kind: .dataCorrupted, mentions: "field 1: varint longer than 10 bytes or over 64 bits at byte offset 3"),
        Case(name: "packed varint cut short", decode: decoding(Ints.self), bytes: [0x0a, 0x02, 0x01, 0x80],
             kind: .dataCorrupted, mentions: "truncated varint at byte offset 3"),
        Case(name: "nesting deeper than 64", decode: decoding(Chain.self), bytes: nestedMessages(depth: 70),
             kind: .dataCorrupted, mentions: "nested deeper than the limit of 64"),
    ]

    @Test(arguments: cases)
    func craftedBytes(_ testCase: Case) throws {
        do {
            try testCase.decode(testCase.bytes)
            Issue.record("decoding succeeded")
        } catch let error as DecodingError {
            #expect(error.kind == testCase.kind)
            #expect(error.context.debugDescription.contains(testCase.mentions), "\(error.context.debugDescription)")
        }
    }

    @Test func depthLimitIsConfigurable() throws {
        var decoder = BinaryDecoder()
        decoder.maxDepth = 100
        var chain = try decoder.decode(Chain.self, from: nestedMessages(depth: 70))
        var depth = 0
        while let link = chain.next.first {
            depth += 1
            chain = link
        }
        #expect(depth == 70)
        let error = try decodingError(Chain.self, nestedMessages(depth: 70))
        #expect(error.kind == .dataCorrupted)
    }

    @Test func errorsCarryTheCodingPath() throws {
        var bytes = try BinaryEncoder().encode(Fixtures.basic)
        // Corrupt the city ("Helsinki") inside the address (field 5) into invalid UTF-8.
        let city = Array("Helsinki".utf8)
        let at = try #require(bytes.firstRange(of: city)).lowerBound
        bytes[at] = 0xff
        let error = try decodingError(Customer.self, bytes)
        #expect(error.kind == .dataCorrupted)
        #expect(error.context.codingPath.map(\.stringValue) == ["address", "city"])
        #expect(error.context.debugDescription.contains("field 2: invalid UTF-8 in a string at byte offset \(at)"))
    }

    @Test func missingNestedFieldNamesItsKey() throws {
        // An address with only the street.
        struct Holder: Codable { var address: Address; enum CodingKeys: Int, CodingKey { case address = 1 } }
        let error = try decodingError(Holder.self, [0x0a, 0x03, 0x0a, 0x01, 0x73])
        guard case .keyNotFound(let key, let context) = error else {
            Issue.record("expected keyNotFound, got \(error)")
            return
        }
        #expect(key.stringValue == "city")
        #expect(context.codingPath.map(\.stringValue) == ["address"])
    }

    @Test func stringKeysAreRefusedWhenDecoding() throws {
        let error = try decodingError(StringKeyed.self, [0x08, 0x01])
        #expect(error.kind == .typeMismatch)
        #expect(error.context.debugDescription.contains("StringKeyed"))
    }
}

/// The text a refusal carries to a client in another language: the decoder's words and the field
/// path in field numbers, not Swift's rendering of the error (`keyNotFound(CodingKeys(…), Context(…))`).
@Suite struct DecodingErrorWireDescriptionTests {
    static func error(decoding bytes: [UInt8], as type: (some Decodable).Type) throws -> DecodingError {
        do {
            _ = try BinaryDecoder().decode(type, from: bytes)
        } catch let error as DecodingError {
            return error
        }
        throw WireDescriptionTestFailure.decoded
    }

    enum WireDescriptionTestFailure: Error { case decoded }

    /// By its number for any client and by its schema name for the person reading it (before, the
    /// number alone: "no field 5 in the message" left a caller of SetForecast guessing `billing`).
    @Test func aMissingFieldIsNamedByItsNumberAndNameWithoutSwiftsWords() throws {
        let text = try Self.error(decoding: [], as: OneInt.self).wireDescription
        #expect(text == "no field 1 (value) in the message")
    }

    @Test func aMessageElementOfTheWrongWireTypeIsNamedByItsIndexOnce() throws {
        // Chain: field 1 holds two links; the second holds one link written as a varint.
        let bytes: [UInt8] = [0x0a, 0x00, 0x0a, 0x02, 0x08, 0x01]
        let text = try Self.error(decoding: bytes, as: Chain.self).wireDescription
        #expect(text == "field 1: expected wire type 2 (length-delimited) for a message, found 0 (varint) "
            + "at byte offset 5 (at field 1[1].1[0])")
    }

    @Test func anArrayElementOfAnArrayOfTheWrongWireTypeIsNamedByItsIndexOnce() throws {
        struct Grid: Codable { var rows: [[Int]]; enum CodingKeys: Int, CodingKey { case rows = 1 } }
        // Field 1 holds one wrapper, then a varint where the second wrapper should be.
        let bytes: [UInt8] = [0x0a, 0x00, 0x08, 0x01]
        let text = try Self.error(decoding: bytes, as: Grid.self).wireDescription
        #expect(text == "field 1: expected wire type 2 (length-delimited) for a message, found 0 (varint) "
            + "at byte offset 3 (at field 1[1])")
    }

    @Test func aStringEnumWithoutTheCaseIsRefusedInTheWiresWords() throws {
        enum Colour: String, Codable { case red }
        struct Paint: Codable { var colour: Colour; enum CodingKeys: Int, CodingKey { case colour = 2 } }
        let text = try Self.error(decoding: [0x12, 0x04] + Array("blue".utf8), as: Paint.self).wireDescription
        #expect(text == "field 2 (colour): \"blue\" is not a value of the enum DecodingErrorWireDescriptionTests.Colour (at field 2)")
    }

    @Test func aTextElementOfTheWrongWireTypeIsNamedByItsIndexOnce() throws {
        enum Colour: String, Codable { case red }
        struct Palette: Codable { var colours: [Colour]; enum CodingKeys: Int, CodingKey { case colours = 1 } }
        // Field 1 holds "red", then a varint where the second text should be.
        let text = try Self.error(decoding: [0x0a, 0x03] + Array("red".utf8) + [0x08, 0x01], as: Palette.self).wireDescription
        #expect(text == "field 1: expected wire type 2 (length-delimited) for a string, found 0 (varint) "
            + "at byte offset 6 (at field 1[1])")
    }

    /// Every fault the decoder words, none in Swift's words: what a client in another language reads.
    @Test(arguments: DecodingErrorTests.cases)
    func noFaultIsWordedInSwiftsTerms(_ testCase: DecodingErrorTests.Case) throws {
        do {
            try testCase.decode(testCase.bytes)
            Issue.record("decoding succeeded")
        } catch let error as DecodingError {
            let text = error.wireDescription
            for swiftWord in ["CodingKeys", "Swift.", "Optional(", "keyNotFound", "typeMismatch", "dataCorrupted",
                              "Context(", "String,", "for String", "UInt8", "Int64", "Bool ", "Index "] {
                #expect(!text.contains(swiftWord), "\(text)")
            }
        }
    }
}
