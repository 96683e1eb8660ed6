import CustomerStore
import Synchronization

/// Ends every watch when the server starts its graceful stop.
///
/// A watch never finishes by itself, so without this every connected consumer would hold a
/// SIGTERM for the whole grace period and then be cut off. Instead each watch ends at once with
/// UNAVAILABLE naming the cursor to resume after, which the consumer does against the restarted server.
final class ChangeFeedShutdown: Sendable {
    private let stopping = Atomic<Bool>(false)
    private let signal: CommitSignal

    init(signal: CommitSignal) {
        self.signal = signal
    }

    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Marks the feed stopping and wakes every waiting watch so it ends.
    func stop() {
        stopping.store(true, ordering: .releasing)
        signal.wakeAll()
    }
}
