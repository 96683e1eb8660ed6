import Glibc
import Synchronization

/// One call's right to have its reads stopped (``ConnectionPool/interrupt(_:)``), made on the
/// thread that runs the call, whose reads check out the pool's connections from that thread, and
/// ended (``ConnectionPool/end(_:)``) when the call ends: an interrupt after that does nothing, so
/// it never reaches the thread's next call.
public final class ReadInterruption: Sendable {
    /// The pool whose reads it stops.
    let pool: ConnectionPool
    let thread: pthread_t
    /// Set by `end` before it looks whether any call is interrupted; `interrupt` counts itself in
    /// before it looks at this (see ``ConnectionPool/interrupt(_:)``).
    let ended = Atomic<Bool>(false)

    init(pool: ConnectionPool, thread: pthread_t) {
        self.pool = pool
        self.thread = thread
    }

    /// ``ConnectionPool/interrupt(_:)`` of this call. A cancel handler that calls it captures this
    /// object alone, which is then the closure's whole context: capturing the pool too (or a struct
    /// holding both) cost a call a heap box for the closure, ~250 instructions with its release
    /// (callgrind of a get, docs/performance/HISTORY.md "get31").
    public func interrupt() {
        pool.interrupt(self)
    }

    /// ``ConnectionPool/end(_:)`` of this call.
    public func end() {
        pool.end(self)
    }
}
