import CommandLineKit
import Foundation
import Testing

/// Every accepted form of `DateTimeText` to the exact moment, and forms it refuses whole.
@Suite struct DateTimeTextTests {
    static let helsinki = TimeZone(identifier: "Europe/Helsinki")

    static func utc(_ text: String) throws -> Date {
        try Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    @Test(arguments: [
        ("2026-12-15", "2026-12-14T22:00:00.000Z"),
        ("2026-12-15T10:00", "2026-12-15T08:00:00.000Z"),
        ("2026-12-15t10:00", "2026-12-15T08:00:00.000Z"),
        ("2026-12-15 10:00", "2026-12-15T08:00:00.000Z"),
        ("2026-12-15T10:00:30", "2026-12-15T08:00:30.000Z"),
        ("2026-12-15T10:00:30.125", "2026-12-15T08:00:30.125Z"),
        ("2026-12-15T10:00:30,5", "2026-12-15T08:00:30.500Z"),
        ("2026-06-15T10:00", "2026-06-15T07:00:00.000Z"),  // summer time, UTC+3
        ("2026-12-15T10:00Z", "2026-12-15T10:00:00.000Z"),
        ("2026-12-15T10:00:00z", "2026-12-15T10:00:00.000Z"),
        ("2026-12-15T10:00+02:00", "2026-12-15T08:00:00.000Z"),
        ("2026-12-15T10:00:00.25-0530", "2026-12-15T15:30:00.250Z"),
        ("2026-12-15T01:00+05", "2026-12-14T20:00:00.000Z"),
        ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59.000Z"),
        ("1970-01-01T02:00+02:00", "1970-01-01T00:00:00.000Z"),
        ("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"),
    ])
    func anAcceptedFormIsTheMomentItNames(text: String, expected: String) throws {
        let zone = try #require(Self.helsinki)
        let date = try #require(DateTimeText.date(text, localZone: zone))
        #expect(abs(date.timeIntervalSince(try Self.utc(expected))) < 0.000_5, "\(text) -> \(date)")
    }

    @Test(arguments: [
        "", "2026", "2026-12", "2026-1-15", "2026-12-15T", "2026-12-15T10", "2026-12-15T1000", "2026-12-15T10:0",
        "2026-12-15T24:00", "2026-12-15T10:60", "2026-12-15T10:00:60", "2026-02-29", "2026-04-31", "2026-13-01",
        "0999-12-31", "2026-12-15T10:00:00.", "2026-12-15T10:00:00.1234567890", "2026-12-15T10:00+2",
        "2026-12-15T10:00+02:", "2026-12-15T10:00+24:00", "2026-12-15T10:00 Z", "2026-12-15Z", "2026-12-15T10:00Zjunk",
        " 2026-12-15", "20261215", "20261215T1000", "2026-W50-2", "2026-349", "15.12.2026", "tomorrow", "２０２６-12-15",
    ])
    func anyOtherFormIsRefusedWhole(text: String) throws {
        let zone = try #require(Self.helsinki)
        #expect(DateTimeText.date(text, localZone: zone) == nil)
    }

    @Test func anOptionNamesItselfWhenItsTimeIsRefused() throws {
        let start = Option.value("start", "TIME", help: "Start.")
        let parsed = try ParsedArguments(["--start", "2026-12-15T10"], options: [start])
        #expect(throws: UsageError.self) { try parsed.dateTime(start) }
        do {
            _ = try parsed.dateTime(start)
        } catch {
            #expect("\(error)".hasPrefix("option '--start' needs an ISO 8601 date or date-time"))
        }
        #expect(try ParsedArguments([], options: [start]).dateTime(start) == nil)
    }
}
