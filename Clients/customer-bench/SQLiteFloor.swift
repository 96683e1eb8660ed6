import CSQLite

/// The storage floors, in-process through the C API with prepared statements, on a copy of the
/// same database: a read by primary key, and a one-row INSERT in its own transaction (WAL, at the
/// server's `synchronous` level) into a scratch table.
struct SQLiteFloor {
    enum Operation: String, Sendable {
        case read, insert
    }

    let path: String
    let customers: Int
    let operation: Operation
    /// `NORMAL` or `FULL`, as the server runs.
    let synchronous: String

    func run(warmUp: Duration, duration: Duration) async throws -> LatencySamples {
        let floor = self
        return try await runOnThread {
            let connection = try FloorConnection(path: floor.path)
            defer { connection.close() }
            let step: () throws -> Void
            switch floor.operation {
            case .read:
                let select = try connection.prepare("SELECT * FROM customers WHERE id = ?")
                let random = CallerState(caller: 0)
                let maxID = Int64(max(1, floor.customers))
                step = {
                    sqlite3_bind_int64(select, 1, random.int64(in: 1...maxID))
                    try connection.expect(sqlite3_step(select), SQLITE_ROW)
                    _ = sqlite3_column_text(select, 2)
                    sqlite3_reset(select)
                }
            case .insert:
                try connection.execute("PRAGMA journal_mode = WAL")
                try connection.execute("PRAGMA synchronous = \(floor.synchronous)")
                try connection.execute("CREATE TABLE IF NOT EXISTS floor_writes (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
                let begin = try connection.prepare("BEGIN IMMEDIATE")
                let insert = try connection.prepare("INSERT INTO floor_writes (name) VALUES ('Bench Oy')")
                let commit = try connection.prepare("COMMIT")
                step = {
                    for statement in [begin, insert, commit] {
                        try connection.expect(sqlite3_step(statement), SQLITE_DONE)
                        sqlite3_reset(statement)
                    }
                }
            }
            let clock = ContinuousClock()
            let warmUpEnd = clock.now + warmUp
            while clock.now < warmUpEnd { try step() }
            var samples = LatencySamples(reservingCapacity: 1 << 16)
            let started = clock.now
            while true {
                let start = clock.now
                if start - started >= duration { break }
                try step()
                samples.record(start.duration(to: clock.now))
            }
            let (seconds, attoseconds) = (clock.now - started).components
            samples.elapsedSeconds = Double(seconds) + Double(attoseconds) / 1e18
            return samples
        }
    }
}

/// One connection of a floor, with its prepared statements finalized on close.
private final class FloorConnection {
    let db: OpaquePointer
    private var statements: [OpaquePointer] = []

    init(path: String) throws {
        var db: OpaquePointer?
        guard sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let db else {
            throw BenchFailure("cannot open the floor copy \(path)")
        }
        self.db = db
    }

    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
              let statement else {
            throw BenchFailure("floor: cannot prepare \(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
        statements.append(statement)
        return statement
    }

    /// Runs a statement to its end and finalizes it (a PRAGMA's result row left pending would
    /// keep a read open, and COMMIT refuses while a statement is in progress).
    func execute(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw BenchFailure("floor: \(sql): \(String(cString: sqlite3_errmsg(db)))")
        }
    }

    func expect(_ code: Int32, _ wanted: Int32) throws {
        guard code == wanted else { throw BenchFailure("floor: \(String(cString: sqlite3_errmsg(db)))") }
    }

    func close() {
        statements.forEach { sqlite3_finalize($0) }
        sqlite3_close_v2(db)
    }
}
