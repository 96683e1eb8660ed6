extension String {
    /// The text without leading and trailing Unicode white space (the `White_Space` property:
    /// spaces, tabs, line breaks, NBSP, ...). Faster than Foundation's `trimmingCharacters(in:)`,
    /// which bridges through NSString: this runs for every text field on the write path.
    ///
    /// Text that starts and ends with an ASCII byte that is not white space (nearly every field)
    /// is returned as it is: asking each scalar for its properties and copying the text cost an
    /// import row's fields more than their other checks together (callgrind, issue 17).
    func trimmingWhitespace() -> String {
        if let first = utf8.first, let last = utf8.last, Self.isASCIINonWhitespace(first),
           Self.isASCIINonWhitespace(last) {
            return self
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else {
            return ""
        }
        return String(scalars[first...last])
    }

    /// Whether any Unicode white space occurs in the text (ASCII text is screened byte by byte).
    var containsWhitespace: Bool {
        for byte in utf8 {
            if byte >= 0x80 { return unicodeScalars.contains { $0.properties.isWhitespace } }
            if !Self.isASCIINonWhitespace(byte) { return true }
        }
        return false
    }

    /// An ASCII byte that is not white space: ASCII's `White_Space` is U+0009-U+000D and U+0020.
    private static func isASCIINonWhitespace(_ byte: UInt8) -> Bool {
        byte < 0x80 && byte != 0x20 && !(0x09...0x0D).contains(byte)
    }
}
