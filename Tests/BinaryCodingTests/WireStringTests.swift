@testable import BinaryCoding
import Foundation
import Testing

/// A string's content on the wire becomes the `String` that `String(validating:as:)` makes of it,
/// byte for byte, and invalid UTF-8 is refused, whatever its length: short ASCII (up to 15 bytes)
/// is copied straight into a small string, longer ASCII and anything else take other paths, so
/// every length around those limits and the eight-byte ASCII check is tried.
@Suite struct WireStringTests {
    /// Lengths 0 to 40: both sides of 15 (a small string) and of each eight-byte step.
    static let lengths = Array(0...40)

    @Test(arguments: lengths)
    func asciiOfEveryLengthIsExact(length: Int) throws {
        // Every ASCII byte, NUL and DEL included, at some position.
        let content = (0..<length).map { UInt8(($0 * 37 + length) % 128) }
        try expectSameAsValidating(content)
    }

    /// The ASCII check reads its tail as overlapping loads: one byte of 0x80 or above at any
    /// position of any length is found, and ASCII of every length is ASCII.
    @Test(arguments: lengths)
    func aHighByteAtEveryPositionIsNotASCII(length: Int) {
        let ascii = (0..<length).map { UInt8(($0 * 37 + length) % 128) }
        #expect(ascii.withUnsafeBytes { String.isASCII($0) })
        for position in 0..<length {
            for high: UInt8 in [0x80, 0xc3, 0xff] {
                var content = ascii
                content[position] = high
                #expect(!content.withUnsafeBytes { String.isASCII($0) }, "length \(length), \(high) at \(position)")
            }
        }
    }

    @Test(arguments: lengths)
    func oneTwoByteCharacterAtEveryPositionIsExact(length: Int) throws {
        guard length >= 2 else { return }
        for position in 0...(length - 2) {
            var content = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            content[position] = 0xc3
            content[position + 1] = 0xa9  // é
            try expectSameAsValidating(content)
        }
    }

    @Test(arguments: [[0x80], [0xc3], [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]] as [[UInt8]])
    func invalidUTF8AtEveryPositionIsRefused(bad: [UInt8]) throws {
        for length in Self.lengths where length >= bad.count {
            for position in 0...(length - bad.count) {
                var content = [UInt8](repeating: UInt8(ascii: "z"), count: length)
                content.replaceSubrange(position..<(position + bad.count), with: bad)
                #expect(String(validating: content, as: UTF8.self) == nil)
                try expectSameAsValidating(content)
            }
        }
    }

    /// A short ASCII string is made as the words of a small string (`String.smallASCII`): it
    /// behaves as one the standard library made, whatever its length, also when changed after.
    @Test(arguments: Array(0...15))
    func shortASCIIIsANativeSmallString(length: Int) throws {
        let content = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        let made = try #require(content.withUnsafeBytes { String.smallASCII($0) })
        let expected = String(decoding: content, as: UTF8.self)
        #expect(made == expected && made.hashValue == expected.hashValue)
        #expect(made.count == length && made.utf8.count == length && made.isContiguousUTF8)
        #expect(Array(made.utf8) == content && made.unicodeScalars.allSatisfy(\.isASCII))
        #expect(made.utf8.withContiguousStorageIfAvailable { Array($0) } == content)
        var grown = made
        grown += "é and more than fifteen bytes"
        #expect(grown == expected + "é and more than fifteen bytes")
        #expect(made == expected, "the original unchanged")
        #expect(String.smallASCII(UnsafeRawBufferPointer(start: nil, count: 0)) == "")
        var high = content + [0xc3, 0xa9]
        high.removeFirst(Swift.min(2, high.count - 2))
        #expect(high.withUnsafeBytes { String.smallASCII($0) } == nil, "not ASCII")
    }

    /// `smallASCII` loads its words as overlapping loads inside the content: with bytes of 0xff
    /// on both sides it reads none of them (they would make it refuse, or show in the value), and
    /// a high byte at any position of the content, the overlapped ones included, is refused.
    @Test(arguments: Array(0...15))
    func shortASCIIReadsOnlyItsContent(length: Int) throws {
        let content = (0..<length).map { UInt8(($0 * 37 + length) % 128) }
        for padding in [0, 1, 7, 8] {
            let framed = [UInt8](repeating: 0xff, count: padding) + content + [UInt8](repeating: 0xff, count: 8)
            let made = framed.withUnsafeBytes {
                String.smallASCII(UnsafeRawBufferPointer(rebasing: $0[padding..<(padding + length)]))
            }
            #expect(made == String(decoding: content, as: UTF8.self), "length \(length), padding \(padding)")
            for position in 0..<length {
                var high = framed
                high[padding + position] = 0x80
                let refused = high.withUnsafeBytes {
                    String.smallASCII(UnsafeRawBufferPointer(rebasing: $0[padding..<(padding + length)]))
                }
                #expect(refused == nil, "length \(length), 0x80 at \(position)")
            }
        }
    }

    @Test func decodersGiveTheSameStringsAsTheWireContent() throws {
        // Through a message, the direct reader and the generic decoder, short and long.
        for text in ["", "FI", "0112038-9", "fifteen bytes!!", "sixteen bytes!!!", "Örebro", "ääääääää",
                     String(repeating: "x", count: 40)] {
            let bytes = try BinaryEncoder().encode(Named(name: text))
            #expect(try BinaryDecoder().decode(Named.self, from: bytes).name == text)
            #expect(try BinaryDecoder.generic.decode(Named.self, from: bytes).name == text)
            #expect(Array(try BinaryDecoder().decode(Named.self, from: bytes).name.utf8) == Array(text.utf8))
        }
    }

    private func expectSameAsValidating(_ content: [UInt8]) throws {
        let expected = String(validating: content, as: UTF8.self)
        let decoded: String? = content.withUnsafeBytes { raw in
            do throws(WireFailure) {
                return try String(wireContent: raw)
            } catch {
                #expect(error.message == "invalid UTF-8 in a string")
                return nil
            }
        }
        #expect(decoded == expected, "content \(content)")
        #expect(decoded.map { Array($0.utf8) } == expected.map { Array($0.utf8) }, "content \(content)")
    }
}

/// A message with one string field that reads its own fields.
private struct Named: Codable, DirectDecodable {
    var name: String

    init(name: String) {
        self.name = name
    }

    init(fields reader: borrowing BinaryReader) throws {
        name = try reader.decode(String.self, CodingKeys.name)
    }

    enum CodingKeys: Int, CodingKey {
        case name = 1
    }
}
