extension String {
    /// The text without leading and trailing Unicode white space (the `White_Space` property:
    /// spaces, tabs, line breaks, NBSP, ...). Faster than Foundation's `trimmingCharacters(in:)`,
    /// which bridges through NSString: this runs for every text field on the write path.
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else {
            return ""
        }
        return String(scalars[first...last])
    }

    /// Whether any Unicode white space occurs in the text.
    var containsWhitespace: Bool {
        unicodeScalars.contains { $0.properties.isWhitespace }
    }
}
