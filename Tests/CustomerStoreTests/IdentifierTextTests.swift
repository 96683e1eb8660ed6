import Testing
@testable import CustomerStore

/// `IdentifierText.compact` reduces ASCII text without Foundation's NFKC mapping; it must drop and
/// keep exactly what the mapping path does.
@Suite struct IdentifierTextTests {
    @Test func asciiTextIsCompactedAsTheUnicodePathCompactsIt() {
        let singles = (0..<128).map { String(UnicodeScalar(UInt8($0))) }
        let samples = ["", "fi 0250345-3", "FI02503453", " 0250345.3\t", "no 923 609 016 mva", "a\r\nb", "ab\u{7F}c", "-.- "]
        for text in singles + samples {
            #expect(IdentifierText.compact(text) == IdentifierText.compactUnicode(text), "\(Array(text.utf8))")
        }
        #expect(IdentifierText.compact("fi 0250345-3") == "FI02503453")
        // Non-ASCII text still takes the mapping: full-width digits and a no-break space.
        #expect(IdentifierText.compact("ｆｉ\u{00A0}０２５０３４５-3") == "FI02503453")
    }
}
