import Testing
import TestSupport
import ThreadSync

@Suite struct ConditionalStateTests {
    @Test func aWaitWhoseDeadlinePassedReturnsFalseAndLeavesTheStateAlone() async {
        let box = ConditionalState(0)
        let ready = await onThread {
            box.withCondition { $0.wait(until: { $0 == 1 }, deadline: .now + .milliseconds(20)) }
        }
        #expect(!ready)
        #expect(box.withLock { $0 } == 0)
    }

    @Test func aSleepingThreadSeesTheChangeAnotherThreadMadeUnderTheLock() async {
        let box = ConditionalState([Int]())
        // The waiter takes what was appended; its wait is bounded, so a lost wake-up fails the test.
        async let taken = onThread {
            box.withCondition { held -> [Int]? in
                guard held.wait(until: { $0.count == 3 }, deadline: .now + .seconds(testWaitLimit)) else { return nil }
                defer { held.state.removeAll() }
                return held.state
            }
        }
        for value in 1...3 {
            box.withLock { $0.append(value) }
            box.signal()
        }
        #expect(await taken == [1, 2, 3])
        #expect(box.withLock { $0.isEmpty })
    }

    @Test func aBroadcastWakesEveryWaiter() async {
        let box = ConditionalState(false)
        let waiters = 3
        async let woken = withTaskGroup(of: Bool.self) { group in
            for _ in 0..<waiters {
                group.addTask {
                    await onThread {
                        box.withCondition { $0.wait(until: { $0 }, deadline: .now + .seconds(testWaitLimit)) }
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        box.withLock { $0 = true }
        box.broadcast()
        #expect(await woken == waiters)
    }
}
