import Foundation

/// How a CSV cell holds a list of names (a contact's keywords, its roles): the names separated
/// by `|`, each trimmed; a `|` or `\` inside a name is written `\|` or `\\`. CSV quoting applies to
/// the cell as a whole, as to any other; a `\` takes the next character as it is. A keyword may
/// be named anything but a control character, so the separator needs an escape; `|` is rare in
/// names and no spreadsheet's delimiter.
public enum NameList {
    public static func joined(_ names: [String]) -> String {
        names.map { name in
            name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|")
        }.joined(separator: "|")
    }

    /// The names of a cell; empty ones (`a||b`, a blank cell) are left out.
    /// - Throws: `CustomerColumns.ColumnProblem` when the cell ends in a lone `\`.
    public static func split(_ cell: String) throws -> [String] {
        var names: [String] = []
        var current = ""
        var escaped = false
        for character in cell {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                names.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        guard !escaped else {
            throw CustomerColumns.ColumnProblem(reason: "ends in a lone \\; write \\\\ for a backslash in a name")
        }
        names.append(current)
        return names.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
