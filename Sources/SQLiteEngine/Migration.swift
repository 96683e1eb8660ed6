/// One numbered schema change.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    /// Makes the change inside the migration's transaction.
    let apply: @Sendable (SQLiteConnection) throws -> Void
    /// Runs with foreign key enforcement off and checks every foreign key before it commits: the
    /// way SQLite documents for rebuilding a table that others reference (SQLite docs, "ALTER
    /// TABLE", 7: with enforcement on, DROP TABLE would first delete the rows and run the other
    /// tables' ON DELETE actions).
    public let rebuildsTables: Bool

    /// A migration that is one SQL script.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        apply = { try $0.execute(sql) }
        rebuildsTables = false
    }

    /// A migration made in code (rows rewritten with what SQL alone cannot compute), with foreign
    /// keys enforced as in a script.
    public init(version: Int, name: String, code apply: @escaping @Sendable (SQLiteConnection) throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
        rebuildsTables = false
    }

    /// A migration that rebuilds tables, in code (see `rebuildsTables`).
    public init(version: Int, name: String, rebuildingTables apply: @escaping @Sendable (SQLiteConnection) throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
        rebuildsTables = true
    }
}
