@testable import RPCServing
import Testing

/// The idle spin's polls (``SpinSchedule/run(elapsed:interrupted:poll:)``, the loop the server
/// runs) on a clock of the test's own, so no time passes: a client calling in a loop whose requests
/// come a fixed time after each spin starts; a poll (a `recv(2)`) costs `pollCost`, a reading of the
/// clock `clockCost` (times in nanoseconds, as the spin's).
@Suite struct SpinScheduleTests {
    static let pollCost: UInt64 = 400
    static let clockCost: UInt64 = 30

    /// How long the request that came at `arrival` waited for the poll that found it (nil: the
    /// budget ran out first), and the polls the spin made.
    static func spin(_ schedule: inout SpinSchedule, arrival: UInt64?) -> (wait: UInt64?, polls: Int) {
        var now: UInt64 = 0
        var polls = 0
        var foundAt: UInt64?
        let found = schedule.run(elapsed: {
            now += clockCost
            return now
        }, interrupted: { false }, poll: {
            polls += 1
            let polledAt = now
            now += pollCost
            guard let arrival, polledAt >= arrival else { return false }
            foundAt = polledAt
            return true
        })
        guard found, let arrival, let foundAt else { return (nil, polls) }
        return (foundAt - arrival, polls)
    }

    /// With the gaps alone (2, 4, then 8 µs) a request that came at 6.5 µs waited until 14 µs:
    /// 7.5 µs more on a get of ~14 µs. After a few calls of the loop each request is found within
    /// about a poll of its arrival, wherever it falls.
    @Test(arguments: [3.1, 6.5, 11.7, 17.3, 40.2])
    func aLoopCallersRequestIsFoundSoonAfterItComes(microseconds: Double) {
        let arrival = UInt64(microseconds * 1000)
        var schedule = SpinSchedule()
        var waits: [UInt64] = []
        for _ in 0..<8 {
            guard let wait = Self.spin(&schedule, arrival: arrival).wait else {
                Issue.record("the spin ran out before a request at \(arrival)")
                return
            }
            waits.append(wait)
        }
        #expect(waits.suffix(4).allSatisfy { $0 <= 1_000 }, "waits per call: \(waits)")
    }

    /// Away from where the last request came the polls keep their gaps: a spin that finds nothing
    /// (the client stopped calling) polls as often as with no expectation, plus the back-to-back
    /// polls around the expected arrival and the short gaps after them, not back to back for its
    /// whole budget; and it forgets the arrival.
    @Test func aSpinThatFindsNothingKeepsItsGaps() {
        var fresh = SpinSchedule()
        let withoutExpectation = Self.spin(&fresh, arrival: nil).polls
        var learned = SpinSchedule()
        _ = Self.spin(&learned, arrival: 9_000)
        #expect(learned.expected != nil)
        let missed = Self.spin(&learned, arrival: nil)
        #expect(missed.wait == nil)
        #expect(missed.polls <= withoutExpectation + Int((SpinSchedule.leadTime + SpinSchedule.window) / Self.pollCost) + 4,
                "\(missed.polls) polls against \(withoutExpectation)")
        #expect(learned.expected == nil)
    }
}
