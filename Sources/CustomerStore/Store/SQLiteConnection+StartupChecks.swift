import SQLiteEngine

/// The checks the writer makes at open, before anything is written: a database that would only
/// fail later, call by call, is refused at once with a reason the operator can act on.
extension SQLiteConnection {
    /// Refuses a database this process may not write (see ``SQLiteConnection/isReadOnly``).
    func requireWritable() throws {
        if isReadOnly {
            throw StoreOpeningError(path: path, reason: .readOnly)
        }
    }

    /// Refuses a database in which SQLite's quick_check finds damage.
    func requireIntact() throws {
        let findings = try quickCheck(limit: Self.quickCheckFindings)
        if findings != ["ok"] {
            throw StoreOpeningError(path: path, reason: .damaged(findings: findings))
        }
    }

    /// How many problems quick_check lists before it stops: enough to say what is wrong.
    static let quickCheckFindings = 5
}
