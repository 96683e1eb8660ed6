import TestSupport
import Testing
@testable import RPCTransport

/// The doorbell the client's reader thread and blocked callers sleep on: a ring is never lost,
/// whether it comes before the wait or while the waiter sleeps.
@Suite(.timeLimit(.minutes(5))) struct DoorbellTests {
    @Test func aRingBeforeTheWaitIsKept() async throws {
        let bell = Doorbell()
        bell.ring()
        bell.ring()   // two rings before the wait leave one mark, taken by one wait
        try await withDeadline("the wait after two rings") { await onThread { bell.wait() } }
    }

    /// Two threads take turns, each ringing the other's bell and then sleeping on its own, so
    /// rings land before, during and after the other's wait: a lost one would stop the exchange.
    @Test func threadsTakingTurnsLoseNoRing() async throws {
        let rounds = 2_000
        let ping = Doorbell()
        let pong = Doorbell()
        try await withDeadline("\(rounds) rounds of ping and pong") {
            let answerer = ThreadTask {
                for _ in 0..<rounds {
                    ping.wait()
                    pong.ring()
                }
            }
            let turns: Int = await onThread {
                var turns = 0
                for _ in 0..<rounds {
                    ping.ring()
                    pong.wait()
                    turns += 1
                }
                return turns
            }
            try await answerer.value
            #expect(turns == rounds)
        }
    }
}
