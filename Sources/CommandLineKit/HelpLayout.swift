/// Two-column help rows: the name at two spaces, its text at a fixed column, the text's further
/// lines under its first. A name too long for the column gets a line of its own.
public enum HelpLayout {
    /// Where the text column starts in the OPTIONS and ARGUMENTS sections.
    public static let column = 27

    /// `-h, --help` or `--name VALUE` beside the option's help.
    public static func row(_ option: Option) -> (String, String) {
        (option.shortName.map { "-\($0), " + option.label } ?? option.label, option.help)
    }

    /// The rows, each line ending in a newline.
    public static func rows(_ rows: [(String, String)], column: Int = column) -> String {
        let indent = String(repeating: " ", count: column)
        var text = ""
        for (name, help) in rows {
            let lines = help.split(separator: "\n", omittingEmptySubsequences: false)
            let head = "  " + name
            if head.count + 2 <= column {
                text += head.padding(toLength: column, withPad: " ", startingAt: 0) + (lines.first ?? "") + "\n"
            } else {
                text += head + "\n" + indent + (lines.first ?? "") + "\n"
            }
            for line in lines.dropFirst() {
                text += line.isEmpty ? "\n" : indent + line + "\n"
            }
        }
        return text
    }
}
