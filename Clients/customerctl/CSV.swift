/// RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted, quotes doubled, lines end in CRLF.
enum CSV {
    static func line(_ fields: [String?]) -> String {
        fields.map { quote($0 ?? "") }.joined(separator: ",") + "\r\n"
    }

    static func quote(_ field: String) -> String {
        // Bytes, not Characters: "\r\n" is one Character, equal to neither "\r" nor "\n", so a
        // field holding a CRLF went out unquoted and split its row in two.
        // A leading U+FEFF is quoted too: at the start of a file a reader takes it for the byte
        // order mark and drops it (CSVReader does, as spreadsheets do), and the cell loses it.
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A })
                || field.unicodeScalars.first == "\u{FEFF}"
        else {
            return field
        }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
