import Foundation
import SQLiteEngine

/// How a `CustomerStore` opens its database.
public struct StoreOptions: Sendable {
    /// SQLite's `PRAGMA synchronous` level for the writer.
    public typealias Synchronous = SynchronousLevel

    /// Reader connections in the pool (at least 1).
    public var readerCount: Int
    /// How long a connection waits for another process's lock before the call fails as unavailable.
    public var busyTimeoutMilliseconds: Int
    /// Durability level; `.normal` by default.
    public var synchronous: Synchronous
    /// Checks a customer's VAT number against its country's rules and returns its canonical form;
    /// `nil`: VAT numbers are only normalised (upper case, no spaces, dashes or dots).
    /// See ``VATNumberNormaliser`` for why the rule is injected rather than imported.
    public var vatNormaliser: VATNumberNormaliser?
    /// Databases up to this size (bytes) are checked with SQLite's quick_check before the store
    /// opens; a larger one opens at once and is checked by ``CustomerStore/checkIntegrity()``.
    /// quick_check reads every page: about 9 s of CPU for 1.4 GB (1 000 000 customers with their
    /// cards), so 16 MiB keeps the check before opening near 0.1 s.
    public var integrityCheckAtOpenLimit: Int64 = 16 * 1024 * 1024
    /// The most bytes the ordered streams of one OS user keep in id files at once (``StreamIDBudget``);
    /// a stream that would pass it is refused `resourceExhausted`.
    public var streamIDBytesPerUser: Int64 = StreamIDBudget.defaultPerUser
    /// The most id files the ordered streams of all OS users hold open at once (each a descriptor:
    /// ``StreamIDBudget``); a stream that would pass it is refused `resourceExhausted`.
    public var maxStreamIDFiles: Int = StreamIDBudget.defaultMaxFiles
    /// Free bytes the streams' id files leave on the database's file system (0: no check); a server
    /// sets its imports' reserve, both files living beside the database.
    public var streamFreeSpaceReserve: Int64 = CustomerImportSpool.defaultFreeSpaceReserve

    /// Test hook: migrate only up to this version instead of the latest (builds "old" databases).
    var migrateUpTo: Int?
    /// Test hook: how long a commit group takes further members (see `GroupCommitWriter`), so a
    /// test on a busy machine can form the group it means to.
    var groupBudgetNanoseconds = GroupCommitWriter.groupBudgetNanoseconds
    /// Test hook: whether the search index is brought up to date behind the writer (`SearchIndexer`);
    /// a test that holds it behind to compare its searches with the scan turns it off.
    package var indexesSearchBehind = true
    /// Test hook: the wall clock used for created/updated timestamps and the idempotency keys' age
    /// (a server's tests set it through `CustomerServerConfiguration.clock` to move it).
    package var clock: @Sendable () -> Date = { Date() }

    public init(readerCount: Int = 4, busyTimeoutMilliseconds: Int = 5_000, synchronous: Synchronous = .normal) {
        self.readerCount = max(1, readerCount)
        self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
        self.synchronous = synchronous
    }
}
