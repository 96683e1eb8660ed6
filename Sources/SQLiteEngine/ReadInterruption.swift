import Glibc
import Synchronization

/// One call's right to have its reads stopped (``ConnectionPool/interrupt(_:)``), made on the
/// thread that runs the call, whose reads check out the pool's connections from that thread, and
/// ended (``ConnectionPool/end(_:)``) when the call ends: an interrupt after that does nothing, so
/// it never reaches the thread's next call.
public final class ReadInterruption: Sendable {
    let thread: pthread_t
    /// Set by `end` before it looks whether any call is interrupted; `interrupt` counts itself in
    /// before it looks at this (see ``ConnectionPool/interrupt(_:)``).
    let ended = Atomic<Bool>(false)

    init(thread: pthread_t) {
        self.thread = thread
    }
}
