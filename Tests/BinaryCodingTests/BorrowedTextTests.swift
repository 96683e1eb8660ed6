import BinaryCoding
import Testing

/// `BinaryWriter.write(_:utf8:)` writes borrowed bytes as the `String` path writes the `String`
/// decoded from them: as they are when ASCII or valid UTF-8, repaired (U+FFFD) when not.
@Suite struct BorrowedTextTests {
    private struct Named: Encodable {
        var name: String
        enum CodingKeys: Int, CodingKey { case name = 1 }
    }

    @Test(arguments: [
        [UInt8](), Array("Plain Oy".utf8), Array("Åkerlund – 💼".utf8), Array(repeating: 0x61, count: 300),
        [0x41, 0xFF, 0x42], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80], [0x61, 0x00, 0x62],
        // A byte from 0x80 first, last and on either side of an 8-byte word's edge (the check reads
        // eight at a time, then the tail).
        [0x80] + Array(repeating: 0x61, count: 16), Array(repeating: 0x61, count: 16) + [0xC3],
        Array(repeating: 0x61, count: 7) + [0xFF] + Array(repeating: 0x61, count: 9),
        Array(repeating: 0x61, count: 8) + [0xFF] + Array(repeating: 0x61, count: 8),
        Array(repeating: 0x61, count: 15) + Array("é".utf8),
    ])
    func borrowedBytesEncodeAsTheStringDecodedFromThem(_ bytes: [UInt8]) throws {
        let written = try bytes.withUnsafeBytes { utf8 in
            try BinaryEncoder().encodeFields(of: Named.self) { try $0.write(Named.CodingKeys.name, utf8: utf8) }
        }
        let expected = try BinaryEncoder().encode(Named(name: String(decoding: bytes, as: UTF8.self)))
        #expect(written.bytes == expected)
    }
}
