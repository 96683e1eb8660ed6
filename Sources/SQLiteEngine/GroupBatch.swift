/// Rows the members of a group leave to be written together, one multi-row INSERT per table,
/// instead of each writing its own (`GroupCommitWriter.write(checksFirst:joiningBatch:…)`).
///
/// Why: at 64 callers creating customers a group holds ~30 creates, and every statement costs its
/// step's setup, binding, reset and halt whatever it writes; a create's three INSERTs, the number
/// sequence's UPDATE and the look-ups that find them were that many times per create (callgrind,
/// docs/performance/HISTORY.md "create11", "create15").
///
/// A member that joins the batch checks everything against the table and the batch (which must
/// answer for the rows it holds: an id or a key it holds is taken), then queues its rows as its
/// last step: a refused member queued nothing. The writer writes the batch before every member
/// that does not join it (that member may read what the batch holds) and before COMMIT, and drops
/// it when the group's transaction is rolled back.
///
/// Used only by the writer's leader, from the bodies it runs and from the writer itself, one
/// thread at a time (the writer's lock orders one leader after the other).
public protocol GroupBatch: AnyObject {
    /// Set by the writer while a member that joins the batch runs in a group with others: it
    /// queues its rows. Otherwise (alone in its group, or run outside the writer's groups, as a
    /// keyed write's savepoint) it writes them itself: the batch would save it nothing, and giving
    /// ids costs a look-up (callgrind of a lone create: ~16 000 instructions more through the batch).
    var collects: Bool { get set }
    /// Writes what members queued, in the order they queued it, and empties the batch, also when
    /// it throws (the writer then rolls the group back). Does nothing when empty.
    func flush(_ connection: SQLiteConnection) throws
    /// Forgets what members queued: their group's transaction was rolled back.
    func discard()
}
