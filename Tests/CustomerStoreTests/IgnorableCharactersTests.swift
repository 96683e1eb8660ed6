@testable import CustomerStore
import Testing

/// The characters that do not show (`IgnorableCharacters`).
@Suite struct IgnorableCharactersTests {
    /// The source's list of default-ignorable code points is the standard library's, generated from
    /// Unicode's DerivedCoreProperties.txt: a toolchain whose Unicode adds one fails here, not in a
    /// spoofed keyword.
    @Test func theDefaultIgnorableCodePointsAreUnicodesList() {
        var differing: [String] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if IgnorableCharacters.isDefaultIgnorable(scalar) != scalar.properties.isDefaultIgnorableCodePoint {
                differing.append(String(value, radix: 16))
            }
        }
        #expect(differing.isEmpty, "\(differing.prefix(20))")
    }

    /// A stored name that shows nothing keeps a key of its own, never empty, never another name's.
    @Test func aNameThatShowsNothingFoldsToItsOwnKey() {
        #expect(UniqueName.fold("A\u{3164}B") == "ab")
        #expect(UniqueName.fold("VIP\u{FE0F}") == "vip")
        #expect(UniqueName.fold("\u{3164}") == "\u{1160}")
        #expect(UniqueName.fold("\u{115F}") == "\u{115F}")
        #expect(UniqueName.fold("\u{200B}") == "\u{200B}")
    }
}
