import Foundation

/// The SQLite store of users and customers: one writer connection, a pool of readers, WAL mode.
///
/// Thread-safe: any number of threads may call it at once. Reads run on a pooled reader, each in
/// one consistent snapshot; writes are serialized on the writer, each in its own savepoint of a
/// `BEGIN IMMEDIATE` transaction that writes queued at the same time share (group commit), so a
/// call either changes everything it says or nothing, and is answered only after the COMMIT.
public final class CustomerStore: Sendable {
    /// The database file.
    public let path: String
    let writer: GroupCommitWriter
    let readers: ConnectionPool
    /// Checkpoints the WAL beside the writer (see ``Checkpointer``).
    let checkpointer: Checkpointer
    let clock: @Sendable () -> Date
    /// The country rule for VAT numbers, run inside the write transaction (see `StoreOptions`).
    let vatNormaliser: VATNumberNormaliser?
    /// The migrations this open applied (empty when the schema was current); for tests and logs.
    let appliedMigrations: [Int]

    /// Opens (creating if needed) the database at `path` and migrates it to the latest schema.
    ///
    /// - Throws: `StoreError.notADatabase` for a file that is not SQLite, `StoreError.schemaTooNew`
    ///   for a database from a newer binary (left unchanged), or the SQLite error that stopped it.
    public init(path: String, options: StoreOptions = .init()) throws {
        self.path = path
        clock = options.clock
        vatNormaliser = options.vatNormaliser
        let checkpointer = Checkpointer(path: path, options: options)
        self.checkpointer = checkpointer
        let writerConnection = try SQLiteConnection(path: path, role: .writer, options: options)
        // Checked before WAL is switched on, because that writes the file header: a database
        // this binary does not understand is never written to.
        try Migrations.checkNotTooNew(writerConnection)
        try writerConnection.enableWAL(synchronous: options.synchronous)
        checkpointer.watch(writerConnection)
        appliedMigrations = try Migrations.migrate(writerConnection,
                                                   upTo: options.migrateUpTo ?? Migrations.latestVersion)
        // Uploads that a crash interrupted left temporary files; none is running yet.
        try BlobStore(databasePath: path).removeStaleUploads()
        writer = GroupCommitWriter(connection: writerConnection)
        readers = ConnectionPool(capacity: options.readerCount) {
            try SQLiteConnection(path: path, role: .reader, options: options)
        }
    }

    /// Closes every connection (busy ones as soon as their call ends). Later calls fail with `.closed`.
    public func close() {
        readers.close()
        writer.close()
        checkpointer.close()
    }

    deinit {
        close()
    }

    // MARK: Transactions

    /// Runs `body` on a reader inside one deferred transaction: every query in it sees the same
    /// snapshot of the database (WAL readers never wait for the writer).
    func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try readers.withConnection { connection in
            try connection.transaction("BEGIN DEFERRED") { try body(connection) }
        }
    }

    /// Runs a body made of ONE statement on a reader without BEGIN/COMMIT: in autocommit mode a
    /// single statement is its own read transaction, so it is just as consistent and two steps cheaper.
    func readOne<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try readers.withConnection(body)
    }

    /// Runs `body` on the writer inside a `BEGIN IMMEDIATE` transaction (the write lock is taken
    /// up front, so it cannot fail half-way with SQLITE_BUSY on its first write), possibly shared
    /// with other writes queued at the same time, each in its own savepoint: `body` sees every
    /// earlier write, a throwing `body` is undone alone, and the call returns after the COMMIT.
    /// `body` must not depend on being alone in its transaction (it may not COMMIT, nor read
    /// `total_changes()`); per-statement facts (`changes`, `lastInsertRowID`) are its own.
    func write<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try writer.write(body)
    }

    // MARK: Time

    /// Now, in whole milliseconds since 1970 UTC (the stored precision).
    func nowMilliseconds() -> Int64 {
        clock().milliseconds
    }
}

extension Date {
    /// A stored timestamp (milliseconds since 1970 UTC).
    init(milliseconds: Int64) {
        self.init(timeIntervalSince1970: Double(milliseconds) / 1_000)
    }

    /// Milliseconds since 1970 UTC, rounded to nearest so a stored value survives the round trip
    /// through `Double` exactly. Saturates (NaN reads as 0) instead of trapping; a caller's date is
    /// checked against ``TimestampRange`` first, so only the store's own clock relies on this.
    var milliseconds: Int64 {
        let value = (timeIntervalSince1970 * 1_000).rounded()
        return Int64(exactly: value) ?? (value.isNaN ? 0 : value < 0 ? .min : .max)
    }
}
