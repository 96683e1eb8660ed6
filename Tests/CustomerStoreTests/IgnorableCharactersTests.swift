@testable import CustomerStore
import Testing

/// The characters that do not show are Unicode's default-ignorable code points, as
/// DerivedCoreProperties.txt lists them (the same ranges from Unicode 14.0 to 17.0), and the format
/// characters: a toolchain whose tables differ fails here, not in a spoofed keyword.
@Suite struct IgnorableCharactersTests {
    /// Default_Ignorable_Code_Point, DerivedCoreProperties.txt (Unicode 15, the version of
    /// Foundation's normalization here, to 17.0, the standard library's).
    static let defaultIgnorable: [ClosedRange<UInt32>] = [
        0x00AD...0x00AD, 0x034F...0x034F, 0x061C...0x061C, 0x115F...0x1160, 0x17B4...0x17B5, 0x180B...0x180F,
        0x200B...0x200F, 0x202A...0x202E, 0x2060...0x206F, 0x3164...0x3164, 0xFE00...0xFE0F, 0xFEFF...0xFEFF,
        0xFFA0...0xFFA0, 0xFFF0...0xFFF8, 0x1BCA0...0x1BCA3, 0x1D173...0x1D17A, 0xE0000...0xE0FFF,
    ]

    @Test func theDefaultIgnorableCodePointsAreUnicodesList() {
        var differing: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let listed = Self.defaultIgnorable.contains { $0.contains(value) }
            if listed != scalar.properties.isDefaultIgnorableCodePoint { differing.append(value) }
            if listed && !IgnorableCharacters.isIgnorable(scalar) { differing.append(value) }
        }
        #expect(differing.isEmpty, "\(differing.prefix(20).map { String($0, radix: 16) })")
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
