import Dispatch

/// Where registry lookups run: one serial dispatch queue of their own instead of Swift's
/// cooperative pool.
///
/// The pool has as many threads as cores, and anything in the process that blocks one of them
/// (a synchronous call into SQLite from a test, a `waitUntilExit`) takes it away from every task.
/// A lookup on the pool could then not even start before its deadline, and a refresh would fail
/// as UNAVAILABLE with a registry that answers at once. A serial dispatch queue is overcommitting:
/// libdispatch gives it a thread even when the others are busy. Serial is enough: a lookup's jobs
/// are short steps between HTTP waits, which URLSession does on threads of its own.
final class RegistryLookupExecutor: TaskExecutor {
    static let shared = RegistryLookupExecutor()

    private let queue = DispatchQueue(label: "customerd.registry-lookups")

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
