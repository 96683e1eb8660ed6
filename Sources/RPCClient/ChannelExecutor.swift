import Dispatch
import Glibc
import Synchronization

/// A task executor that lets async calls resume on the thread that read their responses: the
/// channel's reader thread. Tasks opt in with
/// `withTaskExecutorPreference(channel.executor) { ... }`; see ``ClientChannel/executor``.
///
/// Why: without it, the reader thread resumes an awaiting task by handing it to the cooperative
/// pool, which wakes a pool thread: two wake-ups per call. A job enqueued here *by the reader
/// thread itself* (the continuation it just resumed) is run by that thread as soon as it has
/// delivered what it read, so the call costs one wake-up, the reader's, as in a thread-per-connection
/// C client. The task's next call is written from the same thread; calls written by the jobs of
/// one batch go out with one write (ClientConnection+Batching).
///
/// A job enqueued from any other thread (the task's first hop to this executor, a resumption by
/// the deadline thread or a blocked caller) runs on the cooperative pool, on behalf of this
/// executor, so the task stays on it and the reader thread is never woken for it. Nothing ever
/// blocks a pool thread here.
///
/// While a job runs on the reader thread, that connection is not read: code run under this
/// preference must not block, and long work belongs outside it.
public final class ChannelExecutor: TaskExecutor, Sendable {
    /// The reader thread currently running this executor's jobs (pthread_self), 0 for none.
    private let readerThread = Atomic<UInt>(0)
    /// Jobs the reader thread enqueued for itself, run after it handled what it read.
    private let inlineJobs = Mutex<[UnownedJob]>([])

    init() {}

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        if isReaderThread {
            inlineJobs.withLock { $0.append(job) }
        } else {
            // The closure keeps the executor alive until the job ran on its behalf.
            DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    /// Whether the reader thread has jobs of its own to run.
    var hasInlineJobs: Bool { inlineJobs.withLock { !$0.isEmpty } }

    /// Whether the calling thread is the one that runs inline jobs now.
    var isReaderThread: Bool {
        let current = readerThread.load(ordering: .acquiring)
        return current != 0 && current == pthread_self()
    }

    /// Called by a connection's reader thread when it starts: from now on its own resumptions
    /// run on it (a newer connection's thread replaces an older one's).
    func adoptCallingThread() {
        readerThread.store(pthread_self(), ordering: .releasing)
    }

    /// Called by a reader thread as it exits, after its last ``runInlineJobs()``: a later thread
    /// given the same pthread_t must not be taken for a reader.
    func releaseCallingThread() {
        _ = readerThread.compareExchange(expected: pthread_self(), desired: 0, ordering: .acquiringAndReleasing)
    }

    /// Runs the jobs the reader thread enqueued for itself, and those they enqueue, until none
    /// is left; returns whether any ran.
    @discardableResult
    func runInlineJobs() -> Bool {
        var ranAny = false
        while true {
            let jobs: [UnownedJob] = inlineJobs.withLock { jobs in
                defer { jobs.removeAll(keepingCapacity: true) }
                return jobs
            }
            if jobs.isEmpty { return ranAny }
            ranAny = true
            let executor = asUnownedTaskExecutor()
            for job in jobs { job.runSynchronously(on: executor) }
        }
    }
}
