import Glibc
import Synchronization

/// One call's right to have its reads stopped (``ConnectionPool/interrupt(_:)``), made on the
/// thread that runs the call, whose reads check out the pool's connections from that thread, and
/// ended (``ConnectionPool/end(_:)``) when the call ends: an interrupt after that does nothing, so
/// it never reaches the thread's next call.
public final class ReadInterruption: Sendable {
    let thread: pthread_t
    /// Set under the pool's lock of interrupted threads, which `interrupt` checks it under.
    let ended = Atomic<Bool>(false)

    init(thread: pthread_t) {
        self.thread = thread
    }
}
