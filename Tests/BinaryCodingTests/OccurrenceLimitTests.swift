import BinaryCoding
import DecodingComparison
import Testing

/// A request's repeated field of one-letter names cost about 30 times its bytes while decoded
/// (a 24-byte index entry and a 16-byte string for each 3 bytes), all before a handler could count
/// them: `BinaryDecoder.maxOccurrences` refuses such a message while it is indexed, on both paths.
@Suite struct OccurrenceLimitTests {
    struct Names: Codable, Equatable, DirectDecodable {
        var id: Int
        var names: [String]
        var codes: [Int]
        enum CodingKeys: Int, CodingKey { case id = 1, names = 2, codes = 3 }
        init(id: Int, names: [String], codes: [Int]) {
            (self.id, self.names, self.codes) = (id, names, codes)
        }
        init(fields reader: borrowing BinaryReader) throws {
            id = try reader.decode(Int.self, CodingKeys.id)
            names = try reader.decode([String].self, CodingKeys.names)
            codes = try reader.decode([Int].self, CodingKeys.codes)
        }
    }

    /// The description of the refusal of `bytes` with a limit of `limit`, the same on both paths.
    func refusal(_ bytes: [UInt8], limit: Int) -> String? {
        var messages: [String?] = []
        for direct in [true, false] {
            var decoder = BinaryDecoder(maxOccurrences: limit)
            decoder.readsDirectly = direct
            do {
                _ = try decoder.decode(Names.self, from: bytes)
                messages.append(nil)
            } catch DecodingError.dataCorrupted(let context) {
                messages.append(context.debugDescription)
            } catch {
                messages.append("not dataCorrupted: \(error)")
            }
        }
        #expect(messages[0] == messages[1], "direct and generic differ")
        return messages[0]
    }

    @Test func aMessageOfMoreFieldOccurrencesThanTheLimitIsRefusedNamingTheField() throws {
        let atLimit = Names(id: 1, names: Array(repeating: "a", count: 7), codes: [])
        for direct in [true, false] {
            var decoder = BinaryDecoder(maxOccurrences: 8)
            decoder.readsDirectly = direct
            #expect(try decoder.decode(Names.self, from: BinaryEncoder().encode(atLimit)) == atLimit)
        }
        let past = try BinaryEncoder().encode(Names(id: 1, names: Array(repeating: "a", count: 8), codes: []))
        // id is 2 bytes, each name 3: the ninth field occurrence is the eighth name, at 2 + 7 × 3.
        #expect(refusal(past, limit: 8) == "field 2: more than 8 field occurrences in one message, or elements in one "
            + "repeated field, at byte offset 23 (the decoder's limit)")
        // Unknown fields count too: they are indexed like any other.
        let unknown = [0x08, 0x01] + Array(repeating: [0x48, 0x00] as [UInt8], count: 8).joined()
        #expect(refusal(unknown, limit: 8)?.hasPrefix("field 9: more than 8 field occurrences") == true)
    }

    @Test func aPackedRunOfMoreElementsThanTheLimitIsRefusedBeforeTheNextIsRead() throws {
        let atLimit = Names(id: 1, names: [], codes: Array(1...8))
        #expect(refusal(try BinaryEncoder().encode(atLimit), limit: 8) == nil)
        let past = try BinaryEncoder().encode(Names(id: 1, names: [], codes: Array(1...9)))
        // One field occurrence of 9 elements: id (2 bytes), tag and length (2), 8 one-byte codes.
        let message = try #require(refusal(past, limit: 8))
        #expect(message.hasPrefix("field 3: more than 8 field occurrences in one message, or elements in one "
            + "repeated field, at byte offset 12"), "\(message)")
    }

    @Test func theDefaultDecoderHasNoLimitForAClientReadingALargeAnswer() throws {
        let large = Names(id: 1, names: Array(repeating: "a", count: 100_000), codes: Array(1...100_000))
        let bytes = try BinaryEncoder().encode(large)
        #expect(DecodingOutcome(Names.self, bytes, direct: true) == (try DecodingOutcome.decoded(large)))
        #expect(DecodingOutcome(Names.self, bytes, direct: false) == (try DecodingOutcome.decoded(large)))
    }
}
