import Foundation

/// A kind stored as its raw value's text, read back from the column's UTF-8 bytes without a
/// `String`: `init(rawValue:)` of a `String` made from the column compared it with each case
/// (`_findStringSwitchCase`, ~400 instructions an address, docs/performance/HISTORY.md "call16";
/// a card reads five activities and two addresses, "card22").
protocol StoredKind: RawRepresentable where RawValue == String {
    /// The one case whose raw value can begin with `byte`, the first byte stored (the cases of
    /// each kind begin with different letters), or `unknown`.
    static func candidate(startingWith byte: UInt8?) -> Self
    /// What a text naming no case reads as.
    static var unknown: Self { get }
}

extension StoredKind {
    /// The kind `bytes` name, as `init(rawValue:) ?? unknown` reads it: the first byte picks the
    /// case, one `memcmp` confirms it (`elementsEqual` took 250-470 instructions for these few bytes).
    init(storedText bytes: UnsafeRawBufferPointer) {
        let candidate = Self.candidate(startingWith: bytes.first)
        var name = candidate.rawValue
        let matches = name.withUTF8 { name in
            guard name.count == bytes.count, let stored = bytes.baseAddress, let expected = name.baseAddress else { return false }
            return memcmp(stored, expected, name.count) == 0
        }
        self = matches ? candidate : Self.unknown
    }
}
