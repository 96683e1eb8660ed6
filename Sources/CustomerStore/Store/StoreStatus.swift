import Foundation

/// What the store is doing, for an operator: the writer's queue and groups, the write-ahead log,
/// checkpoints, and the size of the database on disk.
public struct StoreStatus: Sendable, Hashable {
    /// Writes waiting for the writer now.
    public var writerQueueDepth: Int
    /// Transactions the writer ran since the store opened (a group of one counts).
    public var writeGroups: Int
    /// Writes run in them: `writes / writeGroups` is the mean group size.
    public var writes: Int
    /// The most writes one transaction held.
    public var largestWriteGroup: Int
    /// Bytes of the database file (0 when it cannot be read).
    public var databaseBytes: Int64
    /// Bytes of the `-wal` file (0 when there is none).
    public var walBytes: Int64
    /// Checkpoints beside the writer and by the writer since the store opened.
    public var checkpoints: Int
    /// When the last one finished; nil before the first.
    public var lastCheckpointAt: Date?
    /// The last checkpoint failure, described; nil when there was none.
    public var lastCheckpointError: String?
}

extension CustomerStore {
    /// The store's counters and file sizes now (no database read: file sizes come from `stat`).
    public var status: StoreStatus {
        let writes = writer.statistics
        let checkpoints = checkpointer.statistics
        return StoreStatus(
            writerQueueDepth: writes.waiting, writeGroups: writes.groups, writes: writes.writes,
            largestWriteGroup: writes.largestGroup,
            databaseBytes: FileSystem.regularFileSize(path) ?? 0, walBytes: FileSystem.regularFileSize(path + "-wal") ?? 0,
            checkpoints: checkpoints.background + checkpoints.byWriter, lastCheckpointAt: checkpoints.lastCheckpointAt,
            lastCheckpointError: checkpoints.lastError.map { "\($0)" })
    }
}
