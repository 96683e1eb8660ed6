import RPCCore
import Synchronization

/// What the frame writers of one server report about their queues: the most bytes any one of them
/// held queued at once, how many writers wait for room and how many readers wait for their
/// connection's answers to be read, right now. Kept so an operator (and a
/// test) can see that a client that stops reading holds the server to its queue limits.
package final class WriteQueueStatistics: Sendable {
    private let peak = Atomic<Int>(0)
    private let waiting = Atomic<Int>(0)
    private let heldBack = Atomic<Int>(0)

    package init() {}

    /// The largest number of bytes one connection held queued since the server started.
    package var peakQueuedBytes: Int { peak.load(ordering: .relaxed) }

    /// Writers blocked until their connection's (or stream's) queue has room.
    package var writersWaiting: Int { waiting.load(ordering: .relaxed) }

    /// Connections whose reader starts no call now because their answers are not being read
    /// (``FrameWriter/isBackedUp``).
    package var readersHeldBack: Int { heldBack.load(ordering: .relaxed) }

    package func readerHeldBack() { heldBack.add(1, ordering: .relaxed) }

    package func readerResumed() { heldBack.subtract(1, ordering: .relaxed) }

    package func record(queuedBytes: Int) {
        var current = peak.load(ordering: .relaxed)
        while queuedBytes > current {
            let (exchanged, original) = peak.compareExchange(expected: current, desired: queuedBytes, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    package func writerStartedWaiting() { waiting.add(1, ordering: .relaxed) }

    package func writerStoppedWaiting() { waiting.subtract(1, ordering: .relaxed) }
}
