/// Why ``Migrator`` refused a database or a migration.
public enum MigrationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database was written by a newer binary (its `user_version` is above every known migration).
    case schemaTooNew(found: Int, known: Int)
    /// A table-rebuilding migration would have left a foreign key dangling; it was rolled back whole.
    case brokenReference(version: Int, name: String, table: String, rowID: Int64)

    public var description: String {
        switch self {
        case .schemaTooNew(let found, let known):
            return "database schema version \(found) is newer than this program knows (\(known))"
        case .brokenReference(let version, let name, let table, let rowID):
            return "migration \(version) (\(name)) would leave a broken reference in \(table) row \(rowID)"
        }
    }
}
