import Testing
@testable import customerctl

/// `--timeout` bounds every call, and a watch only when given: `help watch` and docs/TOUR.md say
/// a watch runs until Ctrl-C, and the default 30 s ended it with DEADLINE_EXCEEDED (exit 14).
@Suite struct GlobalOptionsTests {
    @Test func aWatchHasNoDeadlineUnlessTimeoutIsGiven() throws {
        let (defaults, rest) = try GlobalOptions.extract(from: ["watch", "--after", "0"])
        #expect(rest == ["watch", "--after", "0"])
        #expect(defaults.callOptions.timeout == .seconds(30))
        #expect(defaults.untilStoppedCallOptions.timeout == nil)

        let (given, _) = try GlobalOptions.extract(from: ["--timeout", "5", "watch"])
        #expect(given.callOptions.timeout == .seconds(5))
        #expect(given.untilStoppedCallOptions.timeout == .seconds(5))
    }
}
