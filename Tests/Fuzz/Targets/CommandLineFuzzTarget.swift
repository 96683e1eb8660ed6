import BinaryCoding
import CommandLineKit
import CustomerAPI
import Foundation

/// Fuzz target (n): what a person types on a command line or sets in the environment, as
/// `customerctl`, `customerd` and `customer-bench` read it: the words against a command's declared
/// options (`Signature.parse`, `ParsedArguments`: unknown options and their "Did you mean", values,
/// choices, `--`, negative numbers), a whole number in a range, a date or date-time
/// (`DateTimeText`, in a local zone), a decimal (`ParsedArguments.decimal`: timeouts, milliseconds),
/// an exact amount (`Decimal(exactText:)`: customerctl's money, hours and VAT rates, and
/// `customerctl call`'s decimal strings), an idempotency key (`IdempotencyKey.problem`, as customerctl
/// and the server check it), and `TZ` (`LocalTimeZone`).
///
/// Input: one byte: what the rest is (low 2 bits: command-line words split at NUL bytes; a date
/// text; an amount text; a `TZ` value), the local zone a date without one is read in (bits 2-3:
/// UTC, Helsinki, New York, +05:45), whether more positionals than declared are taken (bit 4);
/// then the text. Findings: a trap; an error that is not a `UsageError`; a date whose moment
/// depends on the local zone although it names its own; `date` and `zone(of:)` disagreeing on
/// whether a text is a date; an amount read as another number than it spells
/// (its digits, without leading zeros and a fraction's trailing ones, differ from those of the
/// value's `description`), or whose `description` is not read back as the same value.
enum CommandLineFuzzTarget {
    static let zones: [TimeZone] = [
        .gmt, TimeZone(identifier: "Europe/Helsinki") ?? .gmt, TimeZone(identifier: "America/New_York") ?? .gmt,
        TimeZone(secondsFromGMT: 5 * 3_600 + 45 * 60) ?? .gmt,
    ]

    static let order = Option.value("order", help: "", choices: ["name", "number", "id"])
    static let since = Option.value("since", "DATE", help: "")
    static let limit = Option.value("limit", "N", short: "n", help: "")
    static let timeout = Option.value("timeout", "SECONDS", help: "")
    static let amount = Option.value("amount", "A", help: "")
    static let label = Option.repeatable("label", "L", short: "l", help: "")
    static let verbose = Option.flag("verbose", short: "v", help: "")
    static let key = Option.value("idempotency-key", "KEY", help: "")
    static let options = [order, since, limit, timeout, amount, label, verbose, key]

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let control = input.first else { return }
        let bytes = Array(input.dropFirst())
        let zone = zones[Int(control >> 2) & 3]
        switch control & 3 {
        case 0: words(bytes, zone: zone, takesMore: control & 16 != 0)
        case 1: date(String(decoding: bytes, as: UTF8.self), zone: zone)
        case 2: amount(String(decoding: bytes, as: UTF8.self))
        // An environment variable's value, as a C string, holds no NUL.
        default: timeZone(String(decoding: bytes.filter { $0 != 0 }, as: UTF8.self))
        }
    }

    private static func words(_ bytes: [UInt8], zone: TimeZone, takesMore: Bool) {
        let words = bytes.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        let signature = Signature(arguments: [Argument("CUSTOMER", help: "")], options: options, acceptsMoreArguments: takesMore)
        do {
            let parsed = try signature.parse(words)
            _ = try parsed.integer(limit, in: 1...1_000)
            if let text = parsed.value(since) {
                _ = try parsed.dateTime(since, localZone: zone)
                date(text, zone: zone)
            }
            // Every caller range-checks it (400 nines are infinite, as `1e999` is).
            if let text = parsed.value(timeout) { _ = ParsedArguments.decimal(text) }
            if let text = parsed.value(amount) { self.amount(text) }
            _ = parsed.allValues(label)
            // customerctl checks `--idempotency-key` as the server checks the metadata: what passes
            // is 1 to 128 visible ASCII characters, which a log prints as they are.
            if let text = parsed.value(key), IdempotencyKey.problem(with: text) == nil,
               !(1...IdempotencyKey.maxLength).contains(text.utf8.count) || !text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
                fatalError("the idempotency key \(Array(text.utf8)) was accepted")
            }
        } catch {
            // `parse` and the readers throw `UsageError` only (typed throws): nothing else to tell apart.
            _ = String(describing: error)
        }
    }

    private static func date(_ text: String, zone: TimeZone) {
        let moment = DateTimeText.date(text, localZone: zone)
        let written = DateTimeText.zone(of: text, localZone: zone)
        guard (moment == nil) == (written == nil) else {
            fatalError("DateTimeText.date and zone(of:) disagree on '\(text)': \(String(describing: moment)), \(String(describing: written))")
        }
        guard let moment else { return }
        guard moment.timeIntervalSince1970.isFinite else { fatalError("'\(text)' read as a non-finite moment") }
        // A text naming its own zone names one moment, whatever the machine's zone.
        // (A zone of a fixed offset is never Helsinki's, so this tells a text naming one.)
        if DateTimeText.zone(of: text, localZone: zones[1]) != zones[1] {
            for other in zones where DateTimeText.date(text, localZone: other) != moment {
                fatalError("'\(text)' names its zone but reads as \(moment) in \(zone.identifier) and otherwise in \(other.identifier)")
            }
        }
    }

    private static func amount(_ text: String) {
        _ = ParsedArguments.decimal(text)
        guard let value = Decimal(exactText: text) else { return }
        guard Decimal(exactText: value.description) == value else {
            fatalError("the amount '\(text)' reads as \(value), whose description does not read back as it")
        }
        guard digits(of: text) == digits(of: value.description) else {
            fatalError("the amount '\(text)' reads as \(value), another number")
        }
    }

    /// The sign and digits a decimal text spells, without leading zeros and a fraction's trailing
    /// ones (and its point when nothing follows it): `-007.50` is `-7.5`, `-0.0` is `0`.
    static func digits(of text: String) -> String {
        var body = Substring(text)
        let negative = body.hasPrefix("-")
        if negative { body = body.dropFirst() }
        var whole = body.prefix { $0 != "." }
        var fraction = body.dropFirst(whole.count + 1)
        while whole.first == "0" { whole = whole.dropFirst() }
        while fraction.last == "0" { fraction = fraction.dropLast() }
        let number = (whole.isEmpty ? "0" : String(whole)) + (fraction.isEmpty ? "" : "." + fraction)
        return negative && number != "0" ? "-" + number : number
    }

    private static func timeZone(_ value: String) {
        do {
            _ = try LocalTimeZone.current(environment: ["TZ": value])
        } catch {
            _ = String(describing: error)
        }
    }

    /// The input for `text` read as `kind` (0 words, 1 date, 2 amount, 3 TZ) in local zone `zone` (0-3).
    static func input(_ kind: UInt8, zone: UInt8 = 0, takesMore: Bool = false, _ text: String) -> [UInt8] {
        [kind | zone << 2 | (takesMore ? 16 : 0)] + Array(text.utf8)
    }

    /// Command lines as the docs write them, and the texts redteam and fuzz rounds found wrong:
    /// dates read in part, hexadecimal and infinite numbers, amounts read in part, `TZ` spellings.
    static func seeds() -> [[UInt8]] {
        let lines = [
            "42\0--order\0name\0--since\02026-12-15T10:00\0-n\050", "--order=numbr\0x", "--ordr\0name", "-v\0--\0--verbose",
            "--limit\0-5\0-12", "--limit=0x10", "--label\0a\0-l\0b\0--label=c\0--verbose=yes", "--since", "-", "--timeout\01e999",
            "--amount\01.2.3", "--amount\0-0.000\0--timeout\0nan", "--help\0--bogus",
            "--idempotency-key\0a-b_c.d:e", "--idempotency-key=" + String(repeating: "k", count: 129), "--idempotency-key\0é",
        ]
        let dates = [
            "2026-12-15", "2026-12-15T10:00", "2026-12-15 10:00:30,250", "2026-12-15T10:00:30.123456789Z", "2026-12-15T10:00+02:00",
            "2026-12-15T10:00-0330", "2026-02-29", "2024-02-29T23:59:59+23:59", "1000-01-01T00:00-23", "9999-12-31T23:59:59.9999999999",
            "2026-03-29T03:30", "2026-12-15T10:00Zjunk", "２０２６-12-15",
        ]
        let amounts = [
            "1250.50", "-3", "0", "-0.000", "007.50", "1.2.3", "1-2", "--5", "12-", ".", "-", ".5", "5.", "1½", "1e3", "NaN",
            String(repeating: "9", count: 38), String(repeating: "9", count: 39), "1." + String(repeating: "0", count: 40) + "1",
            "0." + String(repeating: "0", count: 127) + "1", "1" + String(repeating: "0", count: 130),
        ]
        let zoneNames = ["Europe/Helsinki", ":Europe/Helsinki", "/usr/share/zoneinfo/Europe/Helsinki", ":/etc/localtime", "UTC-3",
                         "EST5EDT,M3.2.0,M11.1.0", "../../../etc/passwd", "UTC"]
        return lines.enumerated().map { input(0, takesMore: $0.offset % 2 == 0, $0.element) }
            + dates.enumerated().map { input(1, zone: UInt8($0.offset % 4), $0.element) }
            + amounts.map { input(2, $0) }
            + zoneNames.map { input(3, $0) }
    }
}
