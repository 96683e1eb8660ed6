import Foundation
import Testing
@testable import CustomerStore

/// Page tokens are written and read without Foundation's base64 now: the tokens are the very ones
/// Foundation made (so a client's saved token still resumes), and every spelling read before is
/// still read.
@Suite struct PageTokenTests {
    /// Foundation's base64 with `+/` as `-_` and no padding: how tokens were made before.
    static func foundationBase64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    @Test func theEncodingIsFoundationsForEveryLengthAndByte() {
        for length in 0..<70 {
            // Every byte value across the lengths, so every sextet and every tail (0, 1, 2 bytes) occurs.
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ length &* 11) }
            let text = Base64URL.encode(bytes)
            #expect(text == Self.foundationBase64URL(bytes))
            #expect(Base64URL.decodeCanonical(text) == bytes)
        }
    }

    @Test func onlyCanonicalTextDecodesWithoutFoundation() {
        #expect(Base64URL.decodeCanonical("YQ") == [0x61])
        // Stray bits, a lone last character, padding and the other alphabet are not canonical.
        for text in ["YR", "YQB", "Y", "YQ==", "a+/b", "YQ!"] { #expect(Base64URL.decodeCanonical(text) == nil, "\(text)") }
    }

    @Test func aTokenReadsBackInEitherSpelling() throws {
        let position = ListPosition(id: 42, number: 10_042, nameKey: "mäki|oy ✓")
        let token = PageToken(order: .byName, fingerprint: 0xfeed, position: position)
        let encoded = token.encoded()
        let text = "1|\(CustomerOrder.byName.rawValue)|feed|42|10042|mäki|oy ✓"
        #expect(encoded == Self.foundationBase64URL(Array(text.utf8)))
        #expect(try PageToken.decode(encoded, order: .byName, fingerprint: 0xfeed) == position)
        // Padded, as Foundation also reads it.
        let padded = encoded + String(repeating: "=", count: (4 - encoded.count % 4) % 4)
        #expect(try PageToken.decode(padded, order: .byName, fingerprint: 0xfeed) == position)
        #expect(throws: StoreError.self) { try PageToken.decode(encoded, order: .byNumber, fingerprint: 0xfeed) }
        #expect(throws: StoreError.self) { try PageToken.decode("not a token!", order: .byName, fingerprint: 0xfeed) }
    }

    /// `decodeCanonical` writes into the array's storage now: for every text of up to 5
    /// characters over an alphabet of valid and invalid ones, it reads and refuses exactly what
    /// the character-at-a-time decoder it replaced did.
    @Test func canonicalDecodingMatchesTheCharacterAtATimeDecoder() {
        func reference(_ text: String) -> [UInt8]? {
            let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
            var bytes: [UInt8] = []
            var bits: UInt32 = 0
            var pending = 0
            for character in text.utf8 {
                guard let value = alphabet.firstIndex(of: character) else { return nil }
                bits = bits << 6 | UInt32(value)
                pending += 6
                if pending >= 8 {
                    pending -= 8
                    bytes.append(UInt8(truncatingIfNeeded: bits >> UInt32(pending)))
                    bits &= (1 << UInt32(pending)) - 1
                }
            }
            return bits == 0 && pending < 6 ? bytes : nil
        }
        let characters = ["A", "Q", "g", "w", "_", "-", "/", "=", "é"]
        var texts = [""]
        for _ in 1...5 {
            texts += texts.filter { $0.unicodeScalars.count == texts.last?.unicodeScalars.count }
                .flatMap { text in characters.map { text + $0 } }
        }
        for text in texts { #expect(Base64URL.decodeCanonical(text) == reference(text), "\(text)") }
    }

    /// The fields are found without splitting the token into an array, but each is parsed as
    /// before: a sign Swift's integer parsing accepts still reads, an order's other spelling does not.
    @Test func fieldsParseAsTheSplitTokenParsedThem() throws {
        let order = CustomerOrder.byName.rawValue
        func decode(_ text: String) throws -> ListPosition {
            try PageToken.decode(Base64URL.encode(Array(text.utf8)), order: .byName, fingerprint: 0xfeed)
        }
        #expect(try decode("1|\(order)|+FEED|+42|-7|a|b||") == ListPosition(id: 42, number: -7, nameKey: "a|b||"))
        for text in ["1|\(order.uppercased())|feed|42|7|a", "1|\(order) |feed|42|7|a", "1|\(order)|feed||7|a",
                     "1|\(order)|feed|42|99999999999999999999|a", "1|\(order)|-1|42|7|a", "|\(order)|feed|42|7|a",
                     "1||feed|42|7|a", "1|\(order)feed|42|7|a"] {
            #expect(throws: StoreError.self, "\(text)") { try decode(text) }
        }
    }

    /// The token is read as bytes: what does not parse, or whose name key is not UTF-8, is refused
    /// as it was when the token was read as a `String`.
    @Test func malformedTokensAreRefused() throws {
        let order = CustomerOrder.byName.rawValue
        let texts: [[UInt8]] = [
            Array("1|\(order)|feed|42|10042".utf8),                     // five fields
            Array("2|\(order)|feed|42|10042|a".utf8),                   // another format
            Array("1|\(order)|feeg|42|10042|a".utf8),                   // not hex
            Array("1|\(order)|feed|4x|10042|a".utf8),                   // not a number
            Array("1|\(order)|feed|42|10042|".utf8) + [0xC3, 0x28],     // not UTF-8
        ]
        for text in texts {
            #expect(throws: StoreError.self) { try PageToken.decode(Base64URL.encode(text), order: .byName, fingerprint: 0xfeed) }
        }
        let empty = Array("1|\(order)|feed|42|10042|".utf8)
        #expect(try PageToken.decode(Base64URL.encode(empty), order: .byName, fingerprint: 0xfeed)
            == ListPosition(id: 42, number: 10_042, nameKey: ""))
    }

    /// The fingerprint is FNV-1a of the parts joined by U+001F, as it was computed before (a
    /// client's saved token still names the same listing).
    @Test func theFingerprintIsThatOfTheJoinedText() {
        func reference(_ text: String) -> UInt64 {
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            return hash
        }
        for parts in [["byName", "active", "mäki", "", "", ""], ["byNumber", "all", "", "FI", "7", "1700000000000"], [""], []] {
            #expect(PageToken.fingerprint(parts) == reference(parts.joined(separator: "\u{1F}")), "\(parts)")
        }
    }
}
