@testable import RPCClient
@testable import RPCCore
@testable import RPCServing
@testable import RPCTransport
import Testing

@Suite struct SpinAdvisorTests {
    @Test func spinsUntilSeveralSpinsInARowRanOutThenOnlyProbes() {
        let advisor = SpinAdvisor()
        #expect(advisor.shouldSpin())
        for _ in 0..<SpinAdvisor.missesBeforeBackingOff { advisor.record(answeredWhileSpinning: false) }
        let decisions = (0..<(2 * SpinAdvisor.probeInterval)).map { _ in advisor.shouldSpin() }
        #expect(decisions.filter { $0 }.count == 2)
    }

    @Test func anAnswerWithinTheSpinTurnsSpinningBackOn() {
        let advisor = SpinAdvisor()
        for _ in 0..<SpinAdvisor.missesBeforeBackingOff { advisor.record(answeredWhileSpinning: false) }
        advisor.record(answeredWhileSpinning: true)
        #expect((0..<10).allSatisfy { _ in advisor.shouldSpin() })
    }
}
