import ServiceLog

/// Rows of text in aligned columns, for people reading a terminal. Cells are printed escaped
/// (`TerminalText`): a cell is one line and never a terminal command.
struct TextTable {
    let headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) {
        self.headers = headers
    }

    mutating func append(_ row: [String]) {
        rows.append(row.map(TerminalText.escaped))
    }

    /// Widths and padding both count characters (grapheme clusters). Foundation's
    /// `padding(toLength:)` counted UTF-16 units, so a name with an emoji, a ZWJ sequence or a
    /// character beyond U+FFFF got fewer spaces than its width and shifted every column after it
    /// ("Team 👩‍💻" by four). Characters that take two terminal cells (CJK, most emoji) still
    /// count one: their display width needs East Asian Width data that Swift does not expose.
    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (column, cell) in row.enumerated() where column < widths.count {
                widths[column] = max(widths[column], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var text = ""
            for (column, cell) in cells.enumerated() {
                let isLast = column == cells.count - 1
                // A row with more cells than headers: the extra ones get no column of their own.
                let width = column < widths.count ? widths[column] : cell.count
                text += cell
                if !isLast { text += String(repeating: " ", count: width + 2 - cell.count) }
            }
            return text
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}

/// "label  value" lines for one record, labels aligned; values escaped as table cells are.
struct FieldList {
    private var fields: [(String, String)] = []

    mutating func add(_ label: String, _ value: String?) {
        fields.append((label, value.map(TerminalText.escaped) ?? "-"))
    }

    func render() -> String {
        let width = fields.map(\.0.count).max() ?? 0
        return fields.map { $0.0.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.1 }
            .joined(separator: "\n") + "\n"
    }
}
