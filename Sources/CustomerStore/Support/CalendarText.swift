/// Calendar dates ('YYYY-MM-DD') and months ('YYYY-MM') as the store keeps them: text whose
/// order is the time order (four-digit years, zero-padded), which SQLite compares and indexes as is.
enum CalendarText {
    /// A real calendar date 'YYYY-MM-DD' (years 1000-9999, leap years counted).
    static func day(_ value: String, field: String) -> CustomerValidator.Checked {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let year = number(parts[0], digits: 4), let month = number(parts[1], digits: 2),
              let day = number(parts[2], digits: 2), year >= 1000, (1...12).contains(month),
              (1...daysIn(month: month, year: year)).contains(day) else {
            return .failure(FieldViolation(field: field, reason: "must be a date written YYYY-MM-DD"))
        }
        return .success(value)
    }

    /// A month 'YYYY-MM' (years 1000-9999).
    static func month(_ value: String, field: String) -> CustomerValidator.Checked {
        let parts = value.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let year = number(parts[0], digits: 4), let month = number(parts[1], digits: 2),
              year >= 1000, (1...12).contains(month) else {
            return .failure(FieldViolation(field: field, reason: "must be a month written YYYY-MM"))
        }
        return .success(value)
    }

    /// The value of exactly `digits` ASCII digits, or nil.
    private static func number(_ text: Substring, digits: Int) -> Int? {
        guard text.utf8.count == digits, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) })
        else { return nil }
        return Int(text)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}
