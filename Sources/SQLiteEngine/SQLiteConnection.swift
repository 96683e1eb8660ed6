import CSQLite

/// One SQLite connection (`sqlite3*`) with its statement cache.
///
/// Safety of `@unchecked Sendable`: a connection is only ever used by one thread at a time. A
/// `ConnectionPool` hands each reader to exactly one caller between checkout and check-in,
/// the `GroupCommitWriter` lets only its one leader use the writer, and the handle is
/// opened with `SQLITE_OPEN_NOMUTEX` because SQLite's own per-connection mutex would be redundant.
public final class SQLiteConnection: @unchecked Sendable {
    /// What the connection is for; it decides the open flags and the checks at open.
    public enum Role: Sendable {
        /// Read-write, created if missing.
        case writer
        /// Read-only and `query_only`, on a database the writer already put in WAL mode.
        case reader
    }

    /// The database file.
    public let path: String
    public let role: Role
    @usableFromInline let handle: OpaquePointer
    /// Prepared statements keyed by their SQL text; finalized in `close()`.
    private var statements: [String: SQLiteStatement] = [:]
    /// The last few statements looked up, checked before `statements`: the SQL of a query is a
    /// `static let`, so `==` on the very same string returns at its first (storage identity) check,
    /// where the dictionary hashes all of a ~600-byte SELECT on every call. Measured with callgrind
    /// on 3 000 `get` calls (customer-bench, see docs/performance/HISTORY.md): `statement(_:)` fell from
    /// 21.1 M to 6.9 M instructions (start-up included), `customer(id:)` from 128.4 M to 114.2 M.
    ///
    /// `@exclusivity(unchecked)`, as the other per-connection state below: one thread at a time uses
    /// a connection (see the type's note), and no access to it overlaps another (none is lent `inout`
    /// or held across a call that could touch the connection again); the runtime's check of each
    /// access cost ~80 instructions, 7 a get between the server's layers (docs/performance/HISTORY.md "get28").
    @exclusivity(unchecked) private var recentStatements: [SQLiteStatement] = []
    private var nextRecentSlot = 0
    /// 16, not 4: the card's contact tab runs 8 statements a call (BEGIN, 6 reads, COMMIT), so with
    /// 4 every one of them fell through to the dictionary and hashed its SQL again.
    ///
    /// Looked through by length first (a string's UTF-8 count is stored, not counted): `==` on two
    /// different SELECTs compared their bytes up to the first difference, and most of ours begin
    /// alike (`SELECT a.id AS a_id, …`), ~3 500 instructions of a card's 7 look-ups (callgrind,
    /// docs/performance/HISTORY.md "card21").
    private static let recentCapacity = 16
    /// Statements looked up by a ``KeyedSQL``'s identity (`statement(_:KeyedSQL)`), each entry
    /// holding its key so no other key can have its address while the entry lives.
    private var keyedStatements: [ObjectIdentifier: (key: KeyedSQL, statement: SQLiteStatement)] = [:]
    private var isClosed = false
    /// How many statements this connection has run (`withStatement` calls, BEGIN and COMMIT included):
    /// lets tests show that a read costs a fixed number of queries, not one per row (no N+1).
    @exclusivity(unchecked) public private(set) var statementsRun = 0
    /// What its user keeps with this connection from one read to the next (the store's names of
    /// users, see `KeptNames`), valid only while ``dataVersion()`` stays what it was when kept.
    /// Through accessors of this module: another module reaching a public stored property makes
    /// its own exclusivity check of it, which this module's `@exclusivity(unchecked)` does not
    /// turn off (one a get, ~80 instructions, in `KeptNames.of`).
    public var keptAcrossReads: AnyObject? {
        get { kept }
        set { kept = newValue }
    }
    @exclusivity(unchecked) private var kept: AnyObject?

    /// SQLite's "unix-excl" VFS: the first read-write connection takes one exclusive POSIX lock
    /// on the database file for the process, and the process's connections then share the WAL
    /// index in its heap and lock it among themselves without a system call. With the default
    /// "unix" VFS every read transaction took and released its WAL read mark with `fcntl(F_SETLK)`
    /// on the -shm file unless a sibling connection held the same mark: ~2 `fcntl` calls per get,
    /// about a third of the server's CPU per get at 64 calls in flight (`perf stat`, see
    /// docs/performance/HISTORY.md). Other processes cannot open the database while it is open here (they
    /// get SQLITE_BUSY); one process owns a database anyway (`DatabaseLock`). The index is kept
    /// in memory only once a read-write connection holds the lock: the store opens its writer
    /// before its readers, so theirs is too (a reader opened alone keeps the usual -shm file).
    /// Opened through "customercard-joining", which writes each WAL frame with one system call
    /// (``SQLiteLibrary/vfs``).
    static var vfs: String { SQLiteLibrary.vfs }

    /// Opens and configures a connection, in the order GRDB's `Database.setUp` uses: extended
    /// codes first (so every later error is precise), the busy timeout, then a probe that fails
    /// fast on a file that is not a database, then foreign keys.
    ///
    /// - Parameter busyTimeoutMilliseconds: how long a call waits for another connection's lock
    ///   before it fails with SQLITE_BUSY.
    /// - Throws: ``SQLiteError`` (SQLITE_NOTADB for a file that is not a database).
    public init(path: String, role: Role, busyTimeoutMilliseconds: Int) throws {
        self.path = path
        self.role = role
        _ = SQLiteLibrary.configured
        var flags = SQLITE_OPEN_NOMUTEX
        flags |= role == .writer ? (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) : SQLITE_OPEN_READONLY
        var db: OpaquePointer?
        let code = sqlite3_open_v2(path, &db, flags, Self.vfs)
        guard let db else {
            throw SQLiteError(code: code, message: "out of memory", context: "opening \(path)")
        }
        guard code == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(db))
            sqlite3_close(db)
            throw SQLiteError(code: code, message: message, context: "opening \(path)")
        }
        handle = db
        do {
            try configure(busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    private func configure(busyTimeoutMilliseconds: Int) throws {
        sqlite3_extended_result_codes(handle, 1)
        // Waits this long for another process's write lock before SQLITE_BUSY.
        sqlite3_busy_timeout(handle, Int32(clamping: busyTimeoutMilliseconds))
        try probe()
        try execute("PRAGMA foreign_keys = ON")
        guard try pragma("foreign_keys") == "1" else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "foreign keys could not be enabled",
                                    context: "opening \(path)")
        }
        if role == .writer {
            // SQLITE_DBCONFIG_DEFENSIVE forbids writes that can corrupt the file (writable_schema,
            // direct shadow-table writes) even from SQL we run.
            _ = customercard_sqlite3_db_config_defensive(handle, 1)
            // Every byte SQLite frees (an old row version, a deleted index entry, a freed page) is
            // overwritten with zeros instead of staying readable in the file (SQLite docs, "PRAGMA
            // secure_delete"; FAST would leave freelist pages as they were). On every write, not only
            // on an erasure: a contact's earlier email, replaced months ago, is personal data too.
            try execute("PRAGMA secure_delete = ON")
        } else {
            // The file was put in WAL mode by the writer; a reader must see it, or its reads would
            // take shared locks that block the writer.
            try requireWAL()
            try execute("PRAGMA query_only = 1")
        }
    }

    /// Reads the schema: on a file that is not a database, `sqlite3_open_v2` still succeeds (it
    /// reads nothing), and this is the first statement that fails, with SQLITE_NOTADB.
    private func probe() throws {
        do {
            try withStatement("SELECT count(*) FROM sqlite_master") { _ = try $0.step() }
        } catch let error as SQLiteError where error.primaryCode == SQLITE_NOTADB {
            throw SQLiteError(code: error.code, message: error.message, context: path)
        }
    }

    /// Turns on WAL (persistent in the file) and the synchronous level; writer only, after the
    /// schema version was accepted, because switching the journal mode writes the file header.
    public func enableWAL(synchronous: SynchronousLevel) throws {
        let mode = try withStatement("PRAGMA journal_mode = WAL") { statement -> String? in
            try statement.step() ? statement.optionalText(0) : nil
        }
        guard mode?.lowercased() == "wal" else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "WAL mode did not take (journal_mode is \(mode ?? "unknown"))",
                                    context: "opening \(path)")
        }
        // NORMAL in WAL mode: a committed transaction survives a process crash; only a power loss
        // may roll back the last transactions (SQLite docs, "PRAGMA synchronous").
        try execute("PRAGMA synchronous = \(synchronous.rawValue)")
    }

    /// The commit hook of a WAL database: called after each commit with the WAL's size in pages.
    typealias WALHook = @convention(c) (UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32) -> Int32

    /// Registers `hook` (which replaces SQLite's automatic checkpoint on this connection).
    func setWALHook(context: UnsafeMutableRawPointer, _ hook: WALHook) {
        _ = sqlite3_wal_hook(handle, hook, context)
    }

    /// Copies what the WAL holds back into the database file as far as readers allow, without
    /// taking the write lock or waiting (`SQLITE_CHECKPOINT_PASSIVE`). Returns false when a lock
    /// it needs is held at that moment (SQLITE_BUSY: the writer restarting the log, say), which
    /// only means "later".
    public func checkpointPassive() throws -> Bool {
        try Self.checkpointPassive(handle, path: path)
    }

    /// The same on a bare handle: the writer's, inside its WAL hook.
    static func checkpointPassive(_ handle: OpaquePointer, path: String) throws -> Bool {
        try checkpoint(handle, mode: SQLITE_CHECKPOINT_PASSIVE, path: path)
    }

    /// Copies the whole WAL into the database file and truncates the WAL to zero bytes
    /// (`SQLITE_CHECKPOINT_TRUNCATE`), waiting through the busy handler for the write lock and for
    /// readers of older snapshots. Returns false when that wait ran out (SQLITE_BUSY).
    static func checkpointTruncate(_ handle: OpaquePointer, path: String) throws -> Bool {
        try checkpoint(handle, mode: SQLITE_CHECKPOINT_TRUNCATE, path: path)
    }

    /// One checkpoint in `mode`; false when SQLite answered SQLITE_BUSY.
    private static func checkpoint(_ handle: OpaquePointer, mode: Int32, path: String) throws -> Bool {
        let code = sqlite3_wal_checkpoint_v2(handle, nil, mode, nil, nil)
        if code & 0xff == SQLITE_BUSY { return false }
        guard code == SQLITE_OK else {
            throw SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)), context: "checkpoint of \(path)",
                              systemErrno: sqlite3_system_errno(handle))
        }
        return true
    }

    private func requireWAL() throws {
        let mode = try pragma("journal_mode")
        guard mode?.lowercased() == "wal" else {
            throw SQLiteError(code: SQLITE_MISUSE, message: "database is not in WAL mode (\(mode ?? "unknown"))",
                                    context: "opening \(path) for reading")
        }
    }

    /// The value of a read-only pragma such as `user_version`.
    public func pragma(_ name: String) throws -> String? {
        try withStatement("PRAGMA \(name)") { statement in
            try statement.step() ? statement.optionalText(0) : nil
        }
    }

    // MARK: Statements

    /// The cached prepared statement for `sql`, prepared on first use.
    public func statement(_ sql: String) throws -> SQLiteStatement {
        let length = sql.utf8.count
        for recent in recentStatements where recent.sql.utf8.count == length && recent.sql == sql {
            recent.dropKeptBindings()
            return recent
        }
        if let cached = statements[sql] {
            cached.dropKeptBindings()
            remember(cached)
            return cached
        }
        guard !isClosed else { throw ConnectionClosedError() }
        var prepared: OpaquePointer?
        // SQLITE_PREPARE_PERSISTENT: the statement is kept for the connection's lifetime.
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil)
        guard code == SQLITE_OK, let prepared else {
            throw error(code: code, context: sql)
        }
        let statement = SQLiteStatement(handle: prepared, sql: sql, connection: self)
        statements[sql] = statement
        remember(statement)
        return statement
    }

    /// The cached prepared statement for `keyed.sql`, found by the key's identity: no hash of its
    /// text, and it takes no place among the recent ones.
    func statement(_ keyed: KeyedSQL) throws -> SQLiteStatement {
        if let found = keyedStatements[ObjectIdentifier(keyed)] { return found.statement }
        let statement = try statement(keyed.sql)
        keyedStatements[ObjectIdentifier(keyed)] = (keyed, statement)
        return statement
    }

    /// Puts `statement` among the recent ones, replacing the oldest (round robin).
    private func remember(_ statement: SQLiteStatement) {
        if recentStatements.count < Self.recentCapacity {
            recentStatements.append(statement)
        } else {
            recentStatements[nextRecentSlot] = statement
            nextRecentSlot = (nextRecentSlot + 1) % Self.recentCapacity
        }
    }

    /// Runs `body` with the cached statement for `sql`, then resets it and clears its bindings.
    public func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        try running(statement(sql), body)
    }

    /// `withStatement(_:_:)` for the SQL of `keyed` (see `statement(_:KeyedSQL)`).
    public func withStatement<T>(_ keyed: KeyedSQL, _ body: (SQLiteStatement) throws -> T) throws -> T {
        try running(statement(keyed), body)
    }

    private func running<T>(_ statement: SQLiteStatement, _ body: (SQLiteStatement) throws -> T) throws -> T {
        statementsRun += 1
        defer { statement.reset() }
        return try body(statement)
    }

    /// Runs one statement that returns no rows, with optional bound values.
    public func run(_ sql: String, _ values: [SQLValue] = []) throws {
        try withStatement(sql) { statement in
            try statement.bind(values)
            try statement.run()
        }
    }

    /// Runs a script of several statements (migrations); never used with input values.
    public func execute(_ script: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, script, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            throw SQLiteError(code: sqlite3_extended_errcode(handle), message: text, context: script)
        }
    }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 {
        sqlite3_last_insert_rowid(handle)
    }

    /// Number of rows the last INSERT, UPDATE or DELETE changed.
    public var changes: Int {
        Int(sqlite3_changes(handle))
    }

    /// The error for a failed call; reads the connection's message for `code`.
    func error(code: Int32, context: String) -> SQLiteError {
        let message = String(cString: sqlite3_errmsg(handle))
        // The connection's extended code is more precise when it belongs to this failure.
        let last = sqlite3_extended_errcode(handle)
        let extended = last & 0xFF == code & 0xFF ? last : code
        // SQLite keeps the errno of an I/O error and of a file it could not open (CANTOPEN: EMFILE
        // when every descriptor is taken, which the store answers RESOURCE_EXHAUSTED).
        let keepsErrno = extended & 0xFF == SQLITE_IOERR || extended & 0xFF == SQLITE_CANTOPEN
        return SQLiteError(code: extended, message: message, context: context,
                           systemErrno: keepsErrno ? sqlite3_system_errno(handle) : 0)
    }

    // MARK: Transactions

    /// Runs `body` between `begin` (`BEGIN DEFERRED` or `BEGIN IMMEDIATE`) and `COMMIT`; any error
    /// rolls the whole transaction back, so a refused call changes nothing.
    public func transaction<T>(_ begin: String, _ body: () throws -> T) throws -> T {
        try run(begin)
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            // If COMMIT itself failed SQLite may already have rolled back; ROLLBACK then fails with
            // "no transaction is active", which is harmless, so its result is ignored.
            _ = try? run("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` inside `SAVEPOINT k` of the transaction that is open, so a throwing `body` is
    /// undone alone and the transaction goes on (`ROLLBACK TO` then `RELEASE`, because ROLLBACK TO
    /// leaves the savepoint open: SQLite docs, "SAVEPOINT"). Savepoints nest, so this works inside
    /// a group commit's own `SAVEPOINT w`.
    public func savepoint<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try run("SAVEPOINT k")
        do {
            let result = try body(self)
            try run("RELEASE k")
            return result
        } catch {
            // After an error that rolled back the whole transaction the savepoint is gone and
            // these fail too; the body's error is the cause either way.
            _ = try? run("ROLLBACK TO k")
            _ = try? run("RELEASE k")
            throw error
        }
    }

    /// Finalizes every cached statement, then closes the handle (`sqlite3_close` refuses while
    /// statements are unfinalized). Safe to call twice.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        for statement in statements.values { statement.finalize() }
        statements.removeAll()
        recentStatements.removeAll()
        keyedStatements.removeAll()
        sqlite3_close(handle)
    }
}
