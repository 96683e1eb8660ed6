import BinaryCoding
import Foundation
import Testing

struct ContactV1: Codable, Equatable {
    var id: Int
    var name: String
    enum CodingKeys: Int, CodingKey { case id = 1, name = 2 }
}

struct ContactV2: Codable, Equatable {
    var id: Int
    var name: String
    var email: String?
    var tags: [String]?
    var address: Address?
    var score: Double?
    var flags: [Int]?
    enum CodingKeys: Int, CodingKey { case id = 1, name = 2, email = 3, tags = 4, address = 5, score = 6, flags = 7 }
}

@Suite struct SchemaEvolutionTests {
    @Test func olderReaderSkipsNewerFields() throws {
        let newer = ContactV2(
            id: 7, name: "Nea", email: "nea@example.fi", tags: ["a", "b"], address: Fixtures.full.address,
            score: 0.5, flags: [1, 2, 3])
        let older = try BinaryDecoder().decode(ContactV1.self, from: BinaryEncoder().encode(newer))
        #expect(older == ContactV1(id: 7, name: "Nea"))
    }

    @Test func newerReaderSeesNewFieldsAsAbsent() throws {
        let newer = try BinaryDecoder().decode(ContactV2.self, from: BinaryEncoder().encode(ContactV1(id: 7, name: "Nea")))
        #expect(newer == ContactV2(id: 7, name: "Nea", email: nil, tags: nil, address: nil, score: nil, flags: nil))
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
        var bytes = try BinaryEncoder().encode(ContactV1(id: 1, name: "x"))
        bytes += [0x98, 0x06, 0x96, 0x01]  // field 99 varint 150
        bytes += [0xa1, 0x06] + [UInt8](repeating: 0xee, count: 8)  // field 100 fixed64
        bytes += [0xad, 0x06, 1, 2, 3, 4]  // field 101 fixed32
        bytes += [0xb2, 0x06, 0x03, 0xff, 0xfe, 0xfd]  // field 102 bytes, not valid UTF-8: never looked at
        #expect(try BinaryDecoder().decode(ContactV1.self, from: bytes) == ContactV1(id: 1, name: "x"))
    }

    @Test func lastScalarWinsAndRepeatedFieldsCollectPackedAndUnpacked() throws {
        // id=1, id=2 (last wins); flags: packed [1, 2], then unpacked 3, then packed [4].
        let bytes: [UInt8] = [0x08, 0x02, 0x08, 0x04, 0x12, 0x01, 0x6e,
                              0x3a, 0x02, 0x02, 0x04, 0x38, 0x06, 0x3a, 0x01, 0x08]
        let contact = try BinaryDecoder().decode(ContactV2.self, from: bytes)
        #expect(contact.id == 2)
        #expect(contact.flags == [1, 2, 3, 4])
    }

    @Test func messageFieldSeenTwiceIsMerged() throws {
        struct Holder: Codable { var address: Address; enum CodingKeys: Int, CodingKey { case address = 1 } }
        // address = {street "s", city "c"} then address = {postalCode "p", country "FI", city "d"}
        let bytes: [UInt8] = [0x0a, 0x06, 0x0a, 0x01, 0x73, 0x12, 0x01, 0x63,
                              0x0a, 0x0a, 0x1a, 0x01, 0x70, 0x22, 0x02, 0x46, 0x49, 0x12, 0x01, 0x64]
        let holder = try BinaryDecoder().decode(Holder.self, from: bytes)
        #expect(holder.address == Address(street: "s", city: "d", postalCode: "p", country: "FI"))
    }
}
