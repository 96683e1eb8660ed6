@testable import RPCClient
import Testing

/// The client reader thread's linger counts from its last read that brought something, so a
/// loop of calls answered within it keeps the thread reading however long the loop runs.
@Suite struct ReaderLingerTests {
    private let start = ContinuousClock.now
    private let length = Duration.milliseconds(2)

    private func at(_ microseconds: Int64) -> ContinuousClock.Instant { start + .microseconds(microseconds) }

    @Test func aLoopOfCallsAnsweredWithinTheLingerKeepsItGoingPastItsLength() {
        var linger = ReaderLinger(length: length)
        // Out of calls every 700 µs for 7 ms; each time an answer came before the next check.
        for step: Int64 in 0..<10 {
            #expect(linger.remaining(at: at(step * 700)) == length)
            linger.restart()
        }
        #expect(linger.remaining(at: at(7_000)) == length)
    }

    @Test func withNothingReadItEndsItsLengthAfterItBegan() {
        var linger = ReaderLinger(length: length)
        #expect(linger.remaining(at: at(0)) == length)
        #expect(linger.remaining(at: at(500)) == .microseconds(1_500))
        #expect(linger.remaining(at: at(1_999)) == .microseconds(1))
        #expect(linger.remaining(at: at(2_000)) == nil)
        #expect(linger.remaining(at: at(9_000)) == nil)
    }

    @Test func aReadStartsTheNextLingerAfresh() {
        var linger = ReaderLinger(length: length)
        _ = linger.remaining(at: at(0))
        #expect(linger.remaining(at: at(1_900)) == .microseconds(100))
        linger.restart()
        #expect(linger.remaining(at: at(3_000)) == length)
        #expect(linger.remaining(at: at(4_999)) == .microseconds(1))
        #expect(linger.remaining(at: at(5_000)) == nil)
    }
}
