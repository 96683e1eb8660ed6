/// Writes whose caller may stop waiting before they run.
///
/// A write waits in the writer's queue while the group before it commits; meanwhile its caller's
/// own caller may have been told it failed (the server answers DEADLINE_EXCEEDED, or the client
/// cancelled, or left). "A refused call changes nothing": such a write must not commit. The check
/// is passed in, as a value, by whoever knows the call (the store knows nothing of calls); the
/// group asks it on the thread that runs the group, just before the write would run, so the answer
/// is decided once: refused, and nothing of the write runs; or admitted, and from then on the
/// write's own outcome (after COMMIT) is its answer.
///
/// Whoever serves calls holds only ``requiringAdmission()``'s view, whose writes are refused
/// (``StoreError/writeWithoutAdmission(_:)``) until ``answering(_:)`` gives it a check: forgetting
/// the check cannot go unnoticed (see ``WriteAdmission``).
extension CustomerStore {
    /// This store with `admission` asked before each of its writes runs (`write`, `keyedWrite`;
    /// reads are not affected); a write that holds the writer across its own transaction (an
    /// import, an upload's completion, a file's removal) asks it just before its COMMIT. Views
    /// are cheap: make one per call.
    ///
    /// Inside a keyed write (``insideKeyedWrites()``) `admission` is not asked: the view's writes
    /// are savepoints of the keyed write's transaction, which asked its own admission first. The
    /// view only counts as admitted, so a keyed call's handler that forgot `answering` is refused
    /// as loudly as an ordinary one.
    /// - Parameter admission: throws when the write must not run any more (the call ended); the
    ///   write then throws that error. Keep it short and non-blocking: a whole group waits on it.
    public func answering(_ admission: @escaping @Sendable () throws -> Void) -> CustomerStore {
        CustomerStore(viewOf: self, access: access, admission: .asking(admission))
    }

    /// This store for a server's handlers: reads as the store's own, and every write refused with
    /// ``StoreError/writeWithoutAdmission(_:)`` naming it, before anything of it runs, unless it is
    /// made through ``answering(_:)``. Make it once, when the server starts.
    public func requiringAdmission() -> CustomerStore {
        CustomerStore(viewOf: self, access: access, admission: .required)
    }
}
