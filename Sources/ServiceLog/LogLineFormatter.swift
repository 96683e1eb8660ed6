import Glibc

/// Builds the one-line text of a log event: `timestamp level label: key=value ... message`.
enum LogLineFormatter {
    static func format(level: LogLevel, label: String, message: String, fields: [(String, String)]) -> String {
        var line = timestamp()
        line.reserveCapacity(64 + message.utf8.count)
        line += " "
        line += level.name
        line += " "
        line += label
        line += ":"
        for (key, value) in fields {
            line += " "
            line += key
            line += "="
            line += quotedIfNeeded(value)
        }
        line += " "
        line += message.unicodeScalars.contains(where: TerminalText.needsEscape) ? escaped(message) : message
        line += "\n"
        return line
    }

    /// UTC ISO 8601 with milliseconds, from `clock_gettime(CLOCK_REALTIME)` and `gmtime_r`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let milliseconds = Int(now.tv_nsec / 1_000_000)
        return "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
            + ".\(pad(milliseconds, 3))Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// Values with spaces, quotes, `=` or what `TerminalText` escapes are quoted so a line splits
    /// unambiguously.
    static func quotedIfNeeded(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "\"" || scalar == "=" || scalar == "\\" || TerminalText.needsEscape(scalar)
        }
        return needsQuotes ? "\"" + escaped(value) + "\"" : value
    }

    /// Escapes quotes, backslashes and what `TerminalText` escapes, so an event never spans two
    /// lines, for a terminal or a log viewer either: C0 alone was escaped, so an `acting-for` name a
    /// trusted service sent with U+2028 started a forged line where viewers break lines there, a C1
    /// CSI (U+009B) reached the terminal of whoever ran `journalctl`, and a right-to-left override
    /// printed the rest of the line reversed.
    private static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default:
                if TerminalText.needsEscape(scalar) {
                    result += TerminalText.escape(scalar)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
