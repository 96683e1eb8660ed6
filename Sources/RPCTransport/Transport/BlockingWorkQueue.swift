import RPCCore
import ThreadSync

/// Runs rare jobs that may block in a socket write (an answer at a deadline, a CANCEL) on a few
/// dedicated threads, never on Dispatch's global queues: on Linux those are also Swift's
/// cooperative pool, and one write blocked on a peer that stopped reading would starve every task.
///
/// At most `maxThreads` threads run jobs, first in first out; they start when needed and exit
/// after `idleTimeout` without work, so an idle process keeps none.
package final class BlockingWorkQueue: Sendable {
    package static let shared = BlockingWorkQueue()

    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var head = 0
        var threads = 0
        var idleThreads = 0

        var hasJob: Bool { head < jobs.count }

        mutating func takeJob() -> @Sendable () -> Void {
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            }
            return job
        }
    }

    private let maxThreads: Int
    private let idleTimeout: Duration
    private let state = ConditionalState(State())

    package init(maxThreads: Int = 4, idleTimeout: Duration = .seconds(5)) {
        self.maxThreads = maxThreads
        self.idleTimeout = idleTimeout
    }

    package func run(_ job: @escaping @Sendable () -> Void) {
        let runHere = state.withCondition { held -> Bool in
            held.state.jobs.append(job)
            if held.state.idleThreads > 0 {
                held.signal()
            } else if held.state.threads < maxThreads {
                held.state.threads += 1
                do {
                    try ThreadLauncher.start { [self] in work() }
                } catch {
                    held.state.threads -= 1   // the job waits for a running thread; with none, it runs below
                    if held.state.threads == 0 {
                        held.state.jobs.removeLast()
                        return true
                    }
                }
            }
            return false
        }
        if runHere { job() }
    }

    private func work() {
        while let job = nextJob() { job() }
    }

    /// The next job, waiting up to `idleTimeout` for one; nil when the thread should exit (counted out).
    private func nextJob() -> (@Sendable () -> Void)? {
        state.withCondition { held in
            while true {
                if held.state.hasJob { return held.state.takeJob() }
                held.state.idleThreads += 1
                let woken = held.wait(until: .now + idleTimeout)
                held.state.idleThreads -= 1
                if !woken && !held.state.hasJob {
                    held.state.threads -= 1
                    return nil
                }
            }
        }
    }
}
