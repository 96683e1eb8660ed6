import CommandLineKit

/// RFC 4180 CSV: fields with a comma, quote, CR or LF are quoted, quotes doubled, lines end in CRLF.
enum CSV {
    /// The option of every command writing CSV (`customers export`, `mailing-list`), one text.
    static let forSpreadsheet = Option.flag("for-spreadsheet", help: """
        With CSV output: a cell starting with =, +, -, @, a tab or a carriage
        return gets a ' in front, so a spreadsheet opening the file shows it as
        text rather than running it as a formula. Such a file does not import unchanged.
        """)

    /// One row; with `forSpreadsheet` (the option above) each cell `spreadsheetSafe`.
    static func line(_ fields: [String?], forSpreadsheet: Bool = false) -> String {
        (forSpreadsheet ? fields.map(spreadsheetSafe) : fields).map { quote($0 ?? "") }.joined(separator: ",") + "\r\n"
    }

    /// `field` as a spreadsheet opening the file should show it: one starting with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return gets a `'` in front (OWASP, "CSV Injection"), so Excel,
    /// LibreOffice and Google Sheets take it for text instead of a formula that may run a command
    /// or send the sheet's data away ("=HYPERLINK(…)", `@SUM(…)`). Changes the cell: such a file
    /// no longer imports unchanged, so `customers export` and `mailing-list` do it only when asked
    /// (`--for-spreadsheet`).
    static func spreadsheetSafe(_ field: String?) -> String? {
        guard let field, let first = field.utf8.first,
              [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D].contains(first)
        else { return field }
        return "'" + field
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
