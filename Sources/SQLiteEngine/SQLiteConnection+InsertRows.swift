import CSQLite

/// SQL looked up in a connection's statements by this object's identity instead of its text
/// (`SQLiteConnection.withStatement(_:KeyedSQL, _:)`): a ``MultiRowInsert``'s SQL is kilobytes
/// long, and with more statements in a group of creates than the connection keeps among its recent
/// ones, each `insertRows` hashed all of it (~1 600 instructions a hash; callgrind of the writer's
/// thread, docs/performance/HISTORY.md "create28").
public final class KeyedSQL: Sendable {
    public let sql: String

    init(_ sql: String) {
        self.sql = sql
    }
}

/// A multi-row INSERT into one table: `INSERT INTO table (columns) VALUES (...), (...), ...`,
/// its SQL made once (a static of the caller) for every statement size `insertRows` uses.
public struct MultiRowInsert: Sendable {
    /// The most rows one statement carries.
    public static let maxRows = 64

    public let table: String
    /// The values each row binds: the `?` of its row.
    public let valueCount: Int
    /// The statement sizes `insertRows` takes rows in by default: 64, 32, 16, 8, 4, 2 and 1 rows
    /// (at most seven statements prepared a table, whatever the row counts).
    public static let halvingSizes = [64, 32, 16, 8, 4, 2, 1]

    /// The statement sizes of a group of creates (``inGroupSizes``): every size up to 32 rows,
    /// then 40, 48, 56 and 64, so a group (most of 10 to 30 creates) is one statement a table.
    /// Why: each statement more costs the writer's thread ~13 600 instructions of `sqlite3_step`
    /// whatever its rows (its cursors, the AUTOINCREMENT sequence read and written, the deferred
    /// keys' counters), and with halving sizes a group of 23 took four a table (16, 4, 2, 1):
    /// docs/performance/HISTORY.md "create32". The cost: up to 36 statements a table prepared on the
    /// writer's connection (~2.7 MiB for the three tables of a group if every size is ever used;
    /// the ones of the group sizes seen, a few hundred KiB).
    public static let groupSizes = [64, 56, 48, 40] + Array((1...32).reversed())

    /// The SQL for each of `sizes` rows, largest first, the last for 1 row.
    let statements: [(rows: Int, sql: KeyedSQL)]
    private let verb: String
    private let columns: [String]
    private let row: String

    /// - Parameters:
    ///   - verb: `INSERT`, `INSERT OR IGNORE` or `INSERT OR ROLLBACK` (see ``rollingBack``).
    ///   - row: one row's values, as in `VALUES (...)`, a `?` for each bound value (expressions
    ///     such as `(SELECT id FROM t WHERE name = ?)` allowed); by default a `?` per column.
    ///   - sizes: the rows a statement carries, largest first, each at most ``maxRows``, ending in
    ///     1 (`halvingSizes`, `groupSizes`).
    public init(_ verb: String = "INSERT", into table: String, columns: [String], row: String? = nil,
                sizes: [Int] = halvingSizes) {
        self.table = table
        self.verb = verb
        self.columns = columns
        let row = row ?? "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        self.row = row
        valueCount = row.utf8.filter { $0 == UInt8(ascii: "?") }.count
        precondition(sizes.last == 1 && zip(sizes, sizes.dropFirst()).allSatisfy { $0 > $1 } && sizes[0] <= Self.maxRows,
                     "statement sizes descending from at most \(Self.maxRows) to 1")  // Source constants, never input.
        statements = sizes.map { rows in
            (rows, KeyedSQL("\(verb) INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
                + Array(repeating: row, count: rows).joined(separator: ", ")))
        }
    }

    /// The same rows written `INSERT OR ROLLBACK`: a constraint failure ends the whole transaction,
    /// not only the statement. For a writer that gives up its transaction on any failure anyway
    /// (a group's batch, `GroupBatch`): SQLite then keeps no statement journal for a statement
    /// that writes several rows, when nothing else in it may abort (no immediate foreign key, no
    /// CHECK calling a function; SQLite docs, "Temporary Files Used By SQLite", 2.6). Copying every page the
    /// statement first changed into that journal cost a group's create ~8 500 of `sqlite3_step`'s
    /// 63 000 instructions (docs/performance/HISTORY.md, "create22").
    public var rollingBack: MultiRowInsert {
        MultiRowInsert("INSERT OR ROLLBACK", into: table, columns: columns, row: row, sizes: statements.map(\.rows))
    }

    /// The same rows written in statements of ``groupSizes``: a group's rows in one statement.
    public var inGroupSizes: MultiRowInsert {
        MultiRowInsert(verb, into: table, columns: columns, row: row, sizes: Self.groupSizes)
    }

    /// The SQL for one row.
    public var oneRowSQL: String { statements[statements.count - 1].sql.sql }
}

extension SQLiteConnection {
    /// Inserts `rows` (each binding `insert.valueCount` values, in order) with as few statements
    /// as its sizes allow: the largest that fits first, then the rest the same way (by default 64
    /// rows a statement, the rest in statements of 32, 16, ... 1 rows, so a table has at most
    /// seven statements prepared and cached whatever the row counts; `MultiRowInsert.init`'s sizes).
    ///
    /// Why: every statement costs its step's setup, binding and reset whatever it writes
    /// (callgrind: a new customer's history, one INSERT per field, cost more than the customer's
    /// row). The effect is that of one INSERT per row, in order; a failure (a constraint) undoes
    /// the statement that failed, as SQLite does: the caller's transaction or savepoint decides
    /// about the rest.
    /// - Throws: `SQLiteError`; rows of another width, or not whole, are refused (`SQLITE_MISUSE`)
    ///   before anything runs.
    public func insertRows(_ insert: MultiRowInsert, _ rows: BoundRows) throws {
        guard rows.width == insert.valueCount, rows.values.count == rows.rowCount * rows.width else {
            throw SQLiteError(code: SQLITE_MISUSE,
                              message: "\(rows.values.count) values in rows of \(rows.width), not whole rows of \(insert.valueCount)",
                              context: "insertRows into \(insert.table)")
        }
        var start = 0
        var choice = 0
        while start < rows.rowCount {
            while insert.statements[choice].rows > rows.rowCount - start { choice += 1 }
            let (size, sql) = insert.statements[choice]
            let values = (start * rows.width)..<((start + size) * rows.width)
            try withStatement(sql) { statement in try statement.runBinding(rows, values: values) }
            start += size
        }
    }

    /// `insertRows` of rows each of `insert.valueCount` values.
    /// - Throws: `SQLiteError`; a row with the wrong number of values is refused
    ///   (`SQLITE_MISUSE`) before anything runs.
    public func insertRows(_ insert: MultiRowInsert, _ rows: [[SQLValue]]) throws {
        if let bad = rows.first(where: { $0.count != insert.valueCount }) {
            throw SQLiteError(code: SQLITE_MISUSE, message: "a row has \(bad.count) values, not \(insert.valueCount)",
                              context: "insertRows into \(insert.table)")
        }
        try insertRows(insert, BoundRows(width: insert.valueCount, rows))
    }

    /// Runs `sql` with every value of `rows` bound to its parameters in order (one row's, as a rule).
    public func run(_ sql: String, _ rows: BoundRows) throws {
        try withStatement(sql) { statement in try statement.runBinding(rows, values: rows.values.indices) }
    }
}

extension SQLiteConnection {
    /// The id SQLite would give the next row of `table`, an `INTEGER PRIMARY KEY AUTOINCREMENT`
    /// table: one above both the largest id ever handed out (`sqlite_sequence`) and the largest
    /// there. For writers that give ids themselves (rows that name each other in one multi-row
    /// INSERT); valid while the caller holds the write transaction and inserts nothing else there.
    /// An explicit id moves `sqlite_sequence` on as SQLite's own would (SQLite docs, "Autoincrement").
    /// - Parameter table: a table of the schema, its query made once (``AutoincrementTable``).
    public func nextAutoincrementID(_ table: AutoincrementTable) throws -> Int64 {
        try withStatement(table.nextIDQuery) { statement in
            _ = try statement.step()
            return statement.int64(0)
        }
    }
}
