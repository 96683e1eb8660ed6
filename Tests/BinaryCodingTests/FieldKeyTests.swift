import BinaryCoding
import Testing

/// A `FieldKey` writes what the key it was made from writes, and a bad number is refused as a bad
/// key is.
@Suite struct FieldKeyTests {
    private struct Entry: Encodable {
        var id: Int64
        var name: String?
        var active: Bool
        enum CodingKeys: Int, CodingKey { case id = 1, name = 20, active = 300 }
    }

    @Test func aFieldKeyWritesAsItsKey() throws {
        let entry = Entry(id: -7, name: "Mäki", active: true)
        let written = try BinaryEncoder().encodeFields(of: Entry.self) { writer in
            try writer.write(FieldKey(Entry.CodingKeys.id), entry.id)
            try writer.write(FieldKey(Entry.CodingKeys.name), entry.name)
            try writer.write(FieldKey(Entry.CodingKeys.active), entry.active)
        }
        #expect(written.bytes == (try BinaryEncoder().encode(entry)))
        #expect(FieldKey(Entry.CodingKeys.active).intValue == 300)
    }

    @Test(arguments: [0, -1, 536_870_912])
    func aFieldKeyOutsideTheNumbersIsRefused(_ number: Int) throws {
        let key = try #require(FieldKey(intValue: number))
        #expect(throws: EncodingError.self) {
            try BinaryEncoder().encodeFields(of: Entry.self) { try $0.write(key, Int64(1)) }
        }
    }
}
