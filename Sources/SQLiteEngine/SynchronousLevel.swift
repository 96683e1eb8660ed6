/// SQLite's `PRAGMA synchronous` level for a connection that writes.
public enum SynchronousLevel: String, Sendable {
    /// In WAL mode a process crash (even `kill -9`) loses no committed transaction; a power
    /// loss or OS crash may roll back the most recent ones. SQLite's recommended WAL setting.
    case normal = "NORMAL"
    /// Every commit is synced to disk before it returns: survives power loss, costs an fsync.
    case full = "FULL"
}
