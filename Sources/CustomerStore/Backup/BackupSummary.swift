/// What a finished backup wrote, and how long it held up writers.
public struct BackupSummary: Sendable, Hashable {
    /// The backup's folder (the target path, standardized).
    public var path: String
    public var manifest: BackupManifest
    /// From the first page copied to the manifest, checks included (the manifest, written last, may
    /// carry the answer of a keyed backup, which holds this).
    public var durationNanoseconds: UInt64
    /// Steps of the online copy, each holding the writer once.
    public var steps: Int
    /// The median time one step held the writer.
    public var medianStepNanoseconds: UInt64
    /// The longest time one step held the writer: the most a write waited for the backup.
    public var longestStepNanoseconds: UInt64
}
