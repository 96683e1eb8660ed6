import CSQLite
import Foundation
import SQLiteEngine

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
    /// The creates of the writer's running group, written together (the writer's batch).
    let createBatch: CustomerCreateBatch
    let readers: ConnectionPool
    /// Checkpoints the WAL beside the writer (see `Checkpointer`).
    let checkpointer: Checkpointer
    /// Stamps writes: the wall clock, never behind a stamp given before (see ``StampClock``).
    let clock: StampClock
    /// The country rule for VAT numbers, run inside the write transaction (see `StoreOptions`).
    let vatNormaliser: VATNumberNormaliser?
    /// The migrations this open applied (empty when the schema was current); for tests and logs.
    let appliedMigrations: [Int]
    /// The names this open's migrations to folded unique names renamed (`Migrations.nameFolds`,
    /// `Migrations.ignorableNameFolds`), for the owner to log; empty when they ran before.
    public let namesRenamedAtOpen: [RenamedName]
    /// Where reads and writes run: pooled, or on the writer inside a keyed write's transaction
    /// (see ``insideKeyedWrites()``).
    let access: Access
    /// Counts commits and wakes the change feed's watchers (see ``CommitSignal``).
    public let commits: CommitSignal
    /// What each write of this view needs before it runs (see ``requiringAdmission()``,
    /// ``answering(_:)``).
    let admission: WriteAdmission
    /// What each OS user's ordered streams keep in id files, shared by every view.
    let streamIDBudget: StreamIDBudget
    /// The database and its log still at their paths: every write asks first.
    let fileWatch: DatabaseFileWatch
    /// Contents a keyed removal left without a row, unlinked after its COMMIT; shared by every view.
    let blobsToUnlink: BlobsToUnlink
    /// The keys of the keyed backups running, so that a second under one key waits; shared by every view.
    let backupKeys: BackupKeysInUse
    /// Brings the search index up to date in the writer's idle time; nil in a view, or when the
    /// options turn it off.
    private let searchIndexer: SearchIndexer?

    enum Access {
        /// Reads on a pooled reader, writes through group commit: the store as opened.
        case pooled
        /// Everything on the writer connection, inside the transaction of the keyed write that is
        /// running (`keyedWrite`): the view may be used only from within a `keyedWrite` body.
        case insideKeyedWrite
    }

    /// This store's claim on the database, held until `close()`.
    private let lock: DatabaseLock
    /// Whether this is the store as opened, which closes the connections; false for a view of it.
    private let ownsConnections: Bool
    /// The database was too large to check at open (see `StoreOptions.integrityCheckAtOpenLimit`):
    /// the owner should run ``checkIntegrity()`` now, beside serving.
    public let isIntegrityCheckDeferred: Bool
    let options: StoreOptions

    /// Opens (creating if needed) the database at `path` and migrates it to the latest schema.
    ///
    /// Nothing is read, created or cleaned before this process holds the database's lock; the
    /// database and its WAL and shared-memory files are the owner's alone (mode 0600).
    ///
    /// - Throws: ``StoreOpeningError`` when another process holds the database, or it is damaged,
    ///   read-only, marked as having lost writes (`CutShortMarker`) or unsafe (its directory or files
    ///   another user's or writable by others, `DatabaseFileOwnership`); `StoreError.notADatabase`
    ///   for a file that is not SQLite, `StoreError.schemaTooNew`
    ///   for a database from a newer binary (left unchanged), or the SQLite error that stopped it.
    public init(path: String, options: StoreOptions = .init()) throws {
        self.path = path
        vatNormaliser = options.vatNormaliser
        // Before the lock file is opened or made: it could be another user's too.
        try DatabaseFileOwnership.requireSafe(databasePath: path)
        lock = try Self.takeLock(of: path)
        // Before SQLite opens what is left: it would take a cut log for an empty one.
        try CutShortMarker.requireAbsent(databasePath: path)
        // Before SQLite opens what is left: a log cut while no server read it (see `LogLengthRecord`).
        if let cut = LogLengthRecord.cut(databasePath: path) {
            try CutShortMarker.write(databasePath: path, what: cut)
            try CutShortMarker.requireAbsent(databasePath: path)
        }
        let checkpointer = Checkpointer(path: path, busyTimeoutMilliseconds: options.busyTimeoutMilliseconds,
                                        synchronous: options.synchronous, lengthRecord: LogLengthRecord(databasePath: path))
        self.checkpointer = checkpointer
        // SQLite would create the file 0644 less the umask, and gives its WAL and shared-memory
        // files the database file's mode (os_unix.c, findCreateFileMode).
        try FileSystem.createOwnerOnlyFile(path)
        for file in [path, path + "-wal", path + "-shm"] { try FileSystem.restrictToOwner(file) }
        let writerConnection: SQLiteConnection
        do {
            writerConnection = try SQLiteConnection(path: path, role: .writer, options: options)
        } catch let error as SQLiteError where error.primaryCode == SQLITE_CORRUPT {
            throw StoreOpeningError(path: path, reason: .damaged(findings: [error.message]))
        } catch {
            throw StoreError.converting(error)
        }
        let newestStamp: Int64
        (isIntegrityCheckDeferred, appliedMigrations, newestStamp, namesRenamedAtOpen) = try StoreError.mappingEngineErrors {
            try writerConnection.requireWritable()
            // Checked before WAL is switched on, because that writes the file header: a database
            // this binary does not understand is never written to.
            try Migrations.migrator.checkNotTooNew(writerConnection)
            let isIntegrityCheckDeferred = try writerConnection.databaseSize() > options.integrityCheckAtOpenLimit
            if !isIntegrityCheckDeferred { try writerConnection.requireIntact() }
            try writerConnection.enableWAL(synchronous: options.synchronous)
            checkpointer.watch(writerConnection)
            let applied = try Migrations.migrator.migrate(writerConnection, upTo: options.migrateUpTo)
            try Self.backfillBusinessIDs(writerConnection, normaliser: options.vatNormaliser)
            // Before the first read: see `commitToLog`. Only a saving of one fstat(2) a read: when
            // it cannot be written (a full disk, a file-size limit reached) the server starts and
            // serves reads as it did before, and its first real commit does the same.
            _ = try? writerConnection.commitToLog()
            let renamed = try RenamedName.recorded(by: applied, writerConnection)
            return (isIntegrityCheckDeferred, applied, try Self.newestStamp(writerConnection), renamed)
        }
        clock = StampClock(wall: options.clock, newestStored: newestStamp)
        self.options = options
        // Uploads and removals that a crash interrupted left temporary files and blobs without a
        // row; none is running yet.
        let blobs = BlobStore(databasePath: path)
        try blobs.removeStaleUploads()
        try StoreError.mappingEngineErrors { _ = try Self.removeUnreferencedBlobs(writerConnection, blobs: blobs) }
        let createBatch = CustomerCreateBatch()
        self.createBatch = createBatch
        blobsToUnlink = BlobsToUnlink()
        backupKeys = BackupKeysInUse()
        let fileWatch = DatabaseFileWatch(databasePath: path) { [checkpointer] in checkpointer.logBytesCommitted }
        self.fileWatch = fileWatch
        writer = try StoreError.mappingEngineErrors {
            try GroupCommitWriter(connection: writerConnection, groupBudgetNanoseconds: options.groupBudgetNanoseconds,
                                  batch: createBatch, beforeCommit: { try fileWatch.requireFilesWholeBeforeCommit() })
        }
        readers = ConnectionPool(capacity: options.readerCount) {
            try SQLiteConnection(path: path, role: .reader, options: options)
        }
        streamIDBudget = StreamIDBudget(perUser: options.streamIDBytesPerUser, maxFiles: options.maxStreamIDFiles,
                                        freeSpaceReserve: options.streamFreeSpaceReserve)
        access = .pooled
        commits = CommitSignal()
        admission = .unconditional
        ownsConnections = true
        // A store opened below migration 30 (`migrateUpTo`, in tests) has no index to keep, or
        // none whose purges it can record.
        let hasSearchIndex = options.migrateUpTo.map { $0 >= Migrations.searchIndexPurge.version } ?? true
        searchIndexer = options.indexesSearchBehind && hasSearchIndex ? SearchIndexer(writer: writer, commits: commits, fileWatch: fileWatch) : nil
    }

    /// The newest customer's stamp (its index's last entry), so stamps after a restart are not
    /// earlier whatever the clock says (see `StampClock`); `.min` before the customers' table is
    /// made (a store opened at an early migration, in tests).
    private static func newestStamp(_ connection: SQLiteConnection) throws -> Int64 {
        let hasCustomers = try connection.withStatement(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'customers'") { try $0.step() }
        guard hasCustomers else { return .min }
        let newest = try connection.withStatement("SELECT max(updated_at) FROM customers") { statement in
            try statement.step() ? statement.optionalInt64(0) : nil
        }
        return newest ?? .min
    }

    /// Takes the database's one-owner lock (see `DatabaseLock`), as opening and restoring do.
    /// - Throws: ``StoreOpeningError`` `.inUse` naming the owner's pid, or the file-system error.
    static func takeLock(of path: String) throws -> DatabaseLock {
        do {
            return try DatabaseLock(databasePath: path)
        } catch DatabaseLockError.inUse(let owner) {
            throw StoreOpeningError(path: path, reason: .inUse(ownerPID: owner))
        } catch DatabaseLockError.systemCall(let name, let lockPath, let code) {
            throw FileSystem.error(name, lockPath, code)
        }
    }

    /// A second view of `opened`'s connections (see ``insideKeyedWrites()``, ``answering(_:)``).
    init(viewOf opened: CustomerStore, access: Access, admission: WriteAdmission) {
        path = opened.path
        writer = opened.writer
        createBatch = opened.createBatch
        readers = opened.readers
        checkpointer = opened.checkpointer
        clock = opened.clock
        vatNormaliser = opened.vatNormaliser
        appliedMigrations = []
        namesRenamedAtOpen = []
        lock = opened.lock
        isIntegrityCheckDeferred = false
        options = opened.options
        self.access = access
        commits = opened.commits
        fileWatch = opened.fileWatch
        blobsToUnlink = opened.blobsToUnlink
        backupKeys = opened.backupKeys
        streamIDBudget = opened.streamIDBudget
        self.admission = admission
        ownsConnections = false
        searchIndexer = nil
    }

    /// Runs SQLite's quick_check on a connection of its own (readers and the writer go on meanwhile);
    /// blocks for as long as it reads the whole file, so call it on a thread of its own.
    ///
    /// - Throws: ``StoreOpeningError`` `.damaged` with SQLite's findings.
    public func checkIntegrity() throws {
        try StoreError.mappingEngineErrors {
            let connection = try SQLiteConnection(path: path, role: .reader, options: options)
            defer { connection.close() }
            try connection.requireIntact()
        }
    }

    /// Opens the readers not yet open (they open lazily, as reads first need them): blocks while it
    /// opens them, so call it on a thread of its own once the server answers. Each costs ~2.75 M
    /// instructions (SQLite reading the schema), which the first reads after a start otherwise paid
    /// on their callers' time (docs/PERFORMANCE.md "serve34"). One that fails to open is left for
    /// the first read that needs it, which reports the error. A view opens nothing.
    public func openReaders() {
        guard ownsConnections else { return }
        readers.openAll()
    }

    /// Closes every connection (busy ones as soon as their call ends). Later calls fail with `.closed`.
    /// A view (``insideKeyedWrites()``, ``answering(_:)``) closes nothing: the store it views owns the connections.
    public func close() {
        guard ownsConnections else { return }
        // SQLite removes the WAL when its last connection closes: not a removal to report.
        fileWatch.stop()
        checkpointer.stopRecordingLogLength()
        searchIndexer?.stop()
        commits.close()
        readers.close()
        writer.close()
        checkpointer.close()
        lock.release()
    }

    deinit {
        close()
    }

    // MARK: Transactions

    /// Runs `body` on a reader inside one deferred transaction: every query in it sees the same
    /// snapshot of the database (WAL readers never wait for the writer).
    func read<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try fileWatch.requireNotCutShort()
        return try mappingEngineErrors {
            if access == .insideKeyedWrite { return try body(writer.connection) }
            return try readers.withConnection { connection in
                try connection.transaction("BEGIN DEFERRED") { try body(connection) }
            }
        }
    }

    /// Starts a call whose reads may be stopped: call it on the thread the call runs on, and
    /// ``InterruptibleReads/end()`` when the call is over (see ``InterruptibleReads``).
    public func beginInterruptibleReads() -> InterruptibleReads {
        InterruptibleReads(interruption: readers.beginInterruptibleReads())
    }

    /// Makes the reads this thread runs from now on (until it calls this again) OS user `uid`'s:
    /// while others wait for a reader, the readers are shared out by OS user (`ConnectionPool`), so
    /// one user's flood of expensive reads cannot starve another's. Call it as a call begins, on
    /// its thread, before its first read.
    public static func attributeReads(to uid: UInt32) {
        ReadOwner.set(uid)
    }

    /// Bytes OS user `uid`'s ordered streams hold counted in id files now (``StreamIDBudget``),
    /// for tests and statistics.
    public func streamIDBytes(ofUser uid: UInt32) -> Int64 {
        streamIDBudget.inUse(by: uid)
    }

    /// Id files all OS users' ordered streams hold open now (``StreamIDBudget``), for tests.
    public var streamIDFilesOpen: Int { streamIDBudget.filesOpen }

    /// The last id files of the server's pool, kept for OS users holding fewer than `userLimit`
    /// (``StreamIDBudget``), as the store applies them; for `GetStoreStatus`.
    public var streamIDFileReserve: (files: Int, userLimit: Int) {
        (streamIDBudget.reserve, StreamIDBudget.reserveUserLimit)
    }

    /// Runs a body made of ONE statement on a reader without BEGIN/COMMIT: in autocommit mode a
    /// single statement is its own read transaction, so it is just as consistent and two steps cheaper.
    func readOne<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try fileWatch.requireNotCutShort()
        return try mappingEngineErrors {
            if access == .insideKeyedWrite { return try body(writer.connection) }
            return try readers.withConnection(body)
        }
    }

    /// Runs `body` on the writer inside a `BEGIN IMMEDIATE` transaction (the write lock is taken
    /// up front, so it cannot fail half-way with SQLITE_BUSY on its first write), possibly shared
    /// with other writes queued at the same time, each in its own savepoint: `body` sees every
    /// earlier write, a throwing `body` is undone alone, and the call returns after the COMMIT.
    /// `body` must not depend on being alone in its transaction (it may not COMMIT, nor read
    /// `total_changes()`); per-statement facts (`changes`, `lastInsertRowID`) are its own.
    /// A call's write: this view's ``WriteAdmission`` decides whether it runs.
    /// - Parameter checksFirst: `body` refuses only before its first change (or by a statement that
    ///   fails as a whole), so a group runs it without a savepoint (`GroupCommitWriter.write(checksFirst:_:)`).
    /// - Parameter joiningBatch: `body` queues its rows in `createBatch` when it collects
    ///   (`GroupCommitWriter.write(checksFirst:joiningBatch:admission:_:)`).
    /// - Parameter name: the write, as ``StoreError/writeWithoutAdmission(_:)`` names it (the
    ///   method that called this).
    func write<T>(checksFirst: Bool = false, joiningBatch: Bool = false, named name: StaticString = #function,
                  _ body: (SQLiteConnection) throws -> T) throws -> T {
        try groupWrite(checksFirst: checksFirst, joiningBatch: joiningBatch, admission: try admission.asked(by: "\(name)"),
                       body)
    }

    /// ``write(checksFirst:named:_:)`` handed over (`GroupCommitWriter.write(checksFirst:admission:handingOff:then:)`):
    /// runs `body` at once when the writer is free, otherwise queues it and returns; `completion`
    /// gets the outcome after the COMMIT (the engine's errors as store errors), on the thread that
    /// ran the group, so keep it short and never let it wait. Inside a keyed write `body` is a
    /// savepoint of that write's transaction, and `completion` runs before this returns.
    func write<T>(checksFirst: Bool = false, joiningBatch: Bool = false, named name: StaticString = #function,
                  handingOff body: @escaping @Sendable (SQLiteConnection) throws -> T,
                  then completion: @escaping @Sendable (Result<T, any Error>) -> Void) {
        let admission: (@Sendable () throws -> Void)?
        do {
            try fileWatch.requireFilesInPlace()
            admission = try self.admission.asked(by: "\(name)")
        } catch {
            return completion(.failure(error))
        }
        if access == .insideKeyedWrite {
            return completion(Result { try mappingEngineErrors { try writer.connection.savepoint(body) } })
        }
        writer.write(checksFirst: checksFirst, joiningBatch: joiningBatch, admission: admission,
                     handingOff: body) { [commits, fileWatch] result in
            if case .success = result { commits.committed() }
            completion(result.mapError { fileWatch.noticing(StoreError.converting($0)) })
        }
    }

    /// `write` for the store's own bookkeeping, which is not a call's write and runs whatever
    /// the view's admission (each use says why it may commit after its caller's call ended).
    func bookkeepingWrite<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try groupWrite(checksFirst: false, admission: nil, body)
    }

    private func groupWrite<T>(checksFirst: Bool, joiningBatch: Bool = false, admission: (() throws -> Void)?,
                               _ body: (SQLiteConnection) throws -> T) throws -> T {
        try fileWatch.requireFilesInPlace()
        return try mappingEngineErrors {
            // Inside a keyed write the admission is not asked again: the keyed write asked it
            // before its body ran, and this is a savepoint of its transaction.
            if access == .insideKeyedWrite { return try writer.connection.savepoint(body) }
            let result = try writer.write(checksFirst: checksFirst, joiningBatch: joiningBatch, admission: admission, body)
            commits.committed()
            return result
        }
    }

    /// Runs `body` with the writer to itself, outside any transaction, in its turn among the
    /// writes (for work that holds the writer across its own transaction and file changes).
    /// A call's write: `body` gets this view's admission as `admit`, to call just before its
    /// change becomes permanent (before its COMMIT); a view that requires an admission it does
    /// not have refuses before `body` runs.
    /// `admit` also looks at the database's files (as every group's COMMIT does): an import or a
    /// merge that ran while they were removed, or while the log was cut, is refused, not
    /// committed into the removed file or the cut log (`requireFilesWholeBeforeCommit`).
    func withWriter<T>(named name: StaticString = #function,
                       _ body: (SQLiteConnection, _ admit: () throws -> Void) throws -> T) throws -> T {
        try fileWatch.requireFilesInPlace()
        let callAdmission = try admission.asked(by: "\(name)")
        let admit = { [fileWatch] in
            try fileWatch.requireFilesWholeBeforeCommit()
            try callAdmission?()
        }
        return try mappingEngineErrors {
            defer { commits.committed() }
            return try writer.withConnection { try body($0, admit) }
        }
    }

    /// Looks at the database file and its WAL now: the server asks every second, to stop
    /// reporting itself healthy and tell the operator as soon as they are removed or replaced, or
    /// a read found one cut short.
    /// - Throws: `StoreError.unavailable` naming the file, as every write throws from then on;
    ///   `StoreError.cutShort`, as every call throws from then on.
    public func requireDatabaseFilesInPlace() throws {
        try fileWatch.requireFilesInPlaceNow()
    }

    /// What start-up would now refuse about the database's place (its directory or one above it
    /// another's or writable by others), or its files given to another user or opened to group or
    /// others since they were made the owner's alone; nil when nothing. The server asks every
    /// second to tell the operator (``DatabaseFileOwnership``).
    public func placeProblem() -> String? {
        DatabaseFileOwnership.problemWhileServing(databasePath: path)
    }

    /// `StoreError.mappingEngineErrors`, and a short read noticed (``DatabaseFileWatch/noticing(_:)``):
    /// every store call that runs SQL for a caller goes through it.
    func mappingEngineErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw fileWatch.noticing(StoreError.converting(error))
        }
    }

    // MARK: Time

    /// A write's stamp, in whole milliseconds since 1970 UTC (the stored precision): now, or the
    /// newest stamp given before when the wall clock was set back (``StampClock``).
    func nowMilliseconds() -> Int64 {
        clock.stamp()
    }
}

extension Date {
    /// 2001-01-01T00:00:00Z, Foundation's reference date, in milliseconds since 1970.
    @usableFromInline static let referenceDateMilliseconds: Int64 = 978_307_200_000

    /// A stored timestamp (milliseconds since 1970 UTC), as the binary64 nearest to it in seconds
    /// since 2001, the number the wire carries (ENCODING.md): the shift is done on the integer and
    /// the one division rounds once. Through seconds since 1970 the shift rounded again and lost up
    /// to 60 ns near 2001 (1.001 s came back as 1.0010000467), so a client comparing what it sent,
    /// rounded to the millisecond, saw another value.
    @inlinable init(milliseconds: Int64) {
        let (since2001, overflow) = milliseconds.subtractingReportingOverflow(Self.referenceDateMilliseconds)
        if overflow {
            self.init(timeIntervalSince1970: Double(milliseconds) / 1_000)
        } else {
            self.init(timeIntervalSinceReferenceDate: Double(since2001) / 1_000)
        }
    }

    /// Milliseconds since 1970 UTC, rounded to nearest so a stored value survives the round trip
    /// through `Double` exactly; rounded from seconds since 2001 (what the wire carries), not after
    /// shifting them to 1970, which rounds first. Saturates (NaN reads as 0) instead of trapping; a
    /// caller's date is checked against ``TimestampRange`` first, so only the store's own clock
    /// relies on this.
    var milliseconds: Int64 {
        let value = (timeIntervalSinceReferenceDate * 1_000).rounded()
        guard let since2001 = Int64(exactly: value) else { return value.isNaN ? 0 : value < 0 ? .min : .max }
        let (since1970, overflow) = since2001.addingReportingOverflow(Self.referenceDateMilliseconds)
        return overflow ? (since2001 < 0 ? .min : .max) : since1970
    }
}
