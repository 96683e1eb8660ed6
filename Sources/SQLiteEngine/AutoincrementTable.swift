/// A table with an `INTEGER PRIMARY KEY AUTOINCREMENT` id whose next id a writer reads
/// (`SQLiteConnection.nextAutoincrementID`), with that query's SQL made once (a static of the
/// caller) and looked up by identity (``KeyedSQL``).
///
/// Why: the writer reads it once a group of creates, and with the table's name interpolated into
/// the SQL each time the text was built and looked up again: a read took the writer's thread
/// 9 143 instructions, 6 144 with the query made once (`String.append` and the statement's
/// look-up by text gone; callgrind, docs/performance/HISTORY.md "import33").
public struct AutoincrementTable: Sendable {
    /// The table's name, as the schema has it (never input).
    public let name: String
    /// One above both the largest id ever handed out (`sqlite_sequence`) and the largest there.
    let nextIDQuery: KeyedSQL

    public init(_ name: String) {
        self.name = name
        nextIDQuery = KeyedSQL("""
            SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = '\(name)'), 0),
                       coalesce((SELECT max(id) FROM \(name)), 0)) + 1
            """)
    }
}
