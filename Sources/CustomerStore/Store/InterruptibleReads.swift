import SQLiteEngine

/// The reads of one call that the server may stop once nobody waits for them (the caller has
/// gone, its deadline has passed, the shutdown's grace is over).
///
/// Until ``interrupt()`` the call reads as usual. After it, the statement running on the pooled
/// reader the call's thread holds fails with `SQLITE_INTERRUPT` (``StoreError/cancelled``), and so
/// does every later read of the call, also one still waiting for a reader: an abandoned query
/// neither keeps a core busy nor takes a reader from the next caller. Writes are never
/// interrupted: a write the server began commits or rolls back whole.
public struct InterruptibleReads: Sendable {
    let interruption: ReadInterruption

    /// Stops the call's reads; from any thread, waiting for nothing.
    public func interrupt() {
        interruption.interrupt()
    }

    /// ``interrupt()`` as a cancel handler that allocates nothing: its one capture, a class
    /// reference, is its context (see `ReadInterruption.interrupt()`).
    public var interrupter: @Sendable () -> Void {
        { [interruption] in interruption.interrupt() }
    }

    /// The call is over: its thread reads normally again, and a late ``interrupt()`` does nothing.
    public func end() {
        interruption.end()
    }
}
