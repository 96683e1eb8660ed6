import Foundation

/// Dates and date-times typed on a command line, in the ISO 8601 forms people write.
///
/// Accepted: a date `2026-12-15` (its midnight), or a date and a time joined by `T` (or a space)
/// with minutes, optionally seconds, optionally a fraction of a second (`.` or `,`, up to nine
/// digits): `2026-12-15T10:00`, `2026-12-15T10:00:30`, `2026-12-15T10:00:30.250`. A time may end in
/// a zone: `Z`, `+02:00`, `+0200` or `+02` (or `-`). **Without a zone, the value is local time**:
/// the time zone of the machine the command runs on, which `TZ` sets. Anything else is refused
/// whole, never read in part: `2026-12-15T10:00` was once taken as its date alone, midnight UTC.
public enum DateTimeText {
    /// What a refusal says is accepted, with examples.
    public static let expected =
        "an ISO 8601 date or date-time (2026-12-15, 2026-12-15T10:00, 2026-12-15T10:00:30Z, 2026-12-15T10:00+02:00)"

    /// The moment `text` names, or nil when it is not one of the accepted forms or not a real
    /// date and time. `localZone` applies when `text` has no zone.
    ///
    /// Dates are proleptic Gregorian, as ISO 8601 has them (Foundation's calendar turns Julian
    /// before 1582), computed the same way with or without a zone.
    public static func date(_ text: String, localZone: TimeZone) -> Date? {
        guard let parts = Parts(text) else { return nil }
        let days = daysSince1970(year: parts.year, month: parts.month, day: parts.day)
        let wallClock = days * 86_400 + parts.hour * 3_600 + parts.minute * 60 + parts.second
        let offset = parts.offsetSeconds ?? localOffset(at: wallClock, in: localZone)
        return Date(timeIntervalSince1970: Double(wallClock - offset) + Double(parts.nanosecond) / 1e9)
    }

    /// The zone `text` was written in: its own offset when it names one (`+02:00` gives
    /// `GMT+0200`), else `localZone`; nil when `text` is not an accepted form.
    public static func zone(of text: String, localZone: TimeZone) -> TimeZone? {
        guard let parts = Parts(text) else { return nil }
        return parts.offsetSeconds.map { TimeZone(secondsFromGMT: $0) ?? localZone } ?? localZone
    }

    /// The zone `text` is read in when it names none: ``LocalTimeZone``, asked only then, so a
    /// `TZ` it refuses does not stand in the way of a time written with its zone (nor of a text
    /// refused for its form, whose message says more).
    public static func localZone(for text: String) throws(UsageError) -> TimeZone {
        guard let parts = Parts(text), parts.offsetSeconds == nil else { return .gmt }
        return try LocalTimeZone.current()
    }

    /// The zone's offset from UTC at a wall-clock time (seconds since 1970 as if it were UTC): the
    /// offset at the moment the first guess names. It differs from the guess only near a
    /// daylight-saving change: a time the change skips moves forward by it, a time it repeats
    /// gets one of its two readings.
    private static func localOffset(at wallClock: Int, in zone: TimeZone) -> Int {
        let guess = zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wallClock)))
        return zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(wallClock - guess)))
    }

    /// The fields of an accepted text, range-checked.
    private struct Parts {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, nanosecond = 0
        var offsetSeconds: Int?

        init?(_ text: String) {
            var reader = Reader(bytes: Array(text.utf8))
            guard let year = reader.number(digits: 4), reader.skip("-"), let month = reader.number(digits: 2),
                  reader.skip("-"), let day = reader.number(digits: 2) else { return nil }
            guard (1000...9999).contains(year), (1...12).contains(month),
                  (1...DateTimeText.daysIn(month: month, year: year)).contains(day) else { return nil }
            (self.year, self.month, self.day) = (year, month, day)
            if !reader.isAtEnd {
                guard reader.skip("T") || reader.skip("t") || reader.skip(" "), readTime(&reader),
                      readZone(&reader), reader.isAtEnd else { return nil }
            }
        }

        private mutating func readTime(_ reader: inout Reader) -> Bool {
            guard let hour = reader.number(digits: 2), reader.skip(":"), let minute = reader.number(digits: 2),
                  hour < 24, minute < 60 else { return false }
            (self.hour, self.minute) = (hour, minute)
            guard reader.skip(":") else { return true }
            guard let second = reader.number(digits: 2), second < 60 else { return false }
            self.second = second
            guard reader.skip(".") || reader.skip(",") else { return true }
            let fraction = reader.digits()
            guard (1...9).contains(fraction.count) else { return false }
            nanosecond = fraction.reduce(0) { $0 * 10 + $1 } * Self.powerOfTen(9 - fraction.count)
            return true
        }

        private mutating func readZone(_ reader: inout Reader) -> Bool {
            if reader.isAtEnd { return true }
            if reader.skip("Z") || reader.skip("z") {
                offsetSeconds = 0
                return true
            }
            let sign: Int
            if reader.skip("+") { sign = 1 } else if reader.skip("-") { sign = -1 } else { return false }
            guard let hours = reader.number(digits: 2), hours < 24 else { return false }
            var minutes = 0
            if !reader.isAtEnd {
                _ = reader.skip(":")  // +02:00 and +0200 alike
                guard let value = reader.number(digits: 2), value < 60 else { return false }
                minutes = value
            }
            offsetSeconds = sign * (hours * 3_600 + minutes * 60)
            return true
        }

        private static func powerOfTen(_ exponent: Int) -> Int {
            (0..<exponent).reduce(1) { value, _ in value * 10 }
        }
    }

    /// ASCII bytes read from the front; nothing is skipped that was not asked for.
    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        var isAtEnd: Bool { position == bytes.count }

        mutating func skip(_ character: Unicode.Scalar) -> Bool {
            guard position < bytes.count, bytes[position] == UInt8(ascii: character) else { return false }
            position += 1
            return true
        }

        /// Exactly `digits` ASCII digits as a number, or nil (and nothing consumed).
        mutating func number(digits: Int) -> Int? {
            guard bytes.count - position >= digits else { return nil }
            var value = 0
            for byte in bytes[position..<position + digits] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            position += digits
            return value
        }

        /// The run of ASCII digits here, as values 0-9.
        mutating func digits() -> [Int] {
            var values: [Int] = []
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                values.append(Int(bytes[position] - UInt8(ascii: "0")))
                position += 1
            }
            return values
        }
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 to the proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
