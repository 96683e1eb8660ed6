import RPCCore

/// Runs rare jobs that may block in a socket write (an answer at a deadline, a CANCEL) on a few
/// dedicated threads, never on Dispatch's global queues: on Linux those are also Swift's
/// cooperative pool, and one write blocked on a peer that stopped reading would starve every task.
///
/// At most `maxThreads` threads run jobs, first in first out; they start when needed and exit
/// after `idleTimeout` without work, so an idle process keeps none.
package final class BlockingWorkQueue: @unchecked Sendable {   // all mutable state guarded by `lock`
    package static let shared = BlockingWorkQueue()

    private let maxThreads: Int
    private let idleTimeout: Duration
    private let lock = ConditionLock()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    private var threads = 0
    private var idleThreads = 0

    package init(maxThreads: Int = 4, idleTimeout: Duration = .seconds(5)) {
        self.maxThreads = maxThreads
        self.idleTimeout = idleTimeout
    }

    package func run(_ job: @escaping @Sendable () -> Void) {
        lock.lock()
        jobs.append(job)
        if idleThreads > 0 {
            lock.signal()
        } else if threads < maxThreads {
            threads += 1
            do {
                try ThreadLauncher.start { [self] in work() }
            } catch {
                threads -= 1   // the job waits for a running thread; with none, it runs below
                if threads == 0 {
                    jobs.removeLast()
                    lock.unlock()
                    job()
                    return
                }
            }
        }
        lock.unlock()
    }

    private func work() {
        lock.lock()
        while true {
            if head < jobs.count {
                let job = jobs[head]
                head += 1
                if head == jobs.count {
                    jobs.removeAll(keepingCapacity: true)
                    head = 0
                }
                lock.unlock()
                job()
                lock.lock()
                continue
            }
            idleThreads += 1
            let woken = lock.wait(until: .now + idleTimeout)
            idleThreads -= 1
            if !woken && head == jobs.count { break }
        }
        threads -= 1
        lock.unlock()
    }
}
