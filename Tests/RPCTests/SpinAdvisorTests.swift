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

    /// A probe that found the reader thread reading could not spin: the next call is the probe.
    @Test func aProbeThatCouldNotSpinIsTheNextCall() {
        let advisor = SpinAdvisor()
        for _ in 0..<SpinAdvisor.missesBeforeBackingOff { advisor.record(answeredWhileSpinning: false) }
        let untilProbe = (0..<SpinAdvisor.probeInterval).map { _ in advisor.shouldSpin() }
        #expect(untilProbe.filter { $0 }.count == 1)
        advisor.spinWasNotPossible()
        #expect(advisor.shouldSpin())
        #expect(!advisor.shouldSpin())
    }

    @Test func anAnswerWithinTheSpinTurnsSpinningBackOn() {
        let advisor = SpinAdvisor()
        for _ in 0..<SpinAdvisor.missesBeforeBackingOff { advisor.record(answeredWhileSpinning: false) }
        advisor.record(answeredWhileSpinning: true)
        #expect((0..<10).allSatisfy { _ in advisor.shouldSpin() })
    }
}
