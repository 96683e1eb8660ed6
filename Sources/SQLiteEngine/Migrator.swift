/// Runs an append-only schema history: a migration that has shipped is never edited or removed; a
/// change is always a new migration with the next number.
///
/// The applied version is `PRAGMA user_version` (an integer in the database header). Setting it
/// is transactional, so each migration and its bookkeeping commit or roll back together.
public struct Migrator: Sendable {
    /// The history, in ascending version order.
    public let migrations: [Migration]

    public init(_ migrations: [Migration]) {
        self.migrations = migrations
    }

    /// The newest schema version this history knows.
    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The schema version recorded in the database.
    public static func currentVersion(of connection: SQLiteConnection) throws -> Int {
        Int(try connection.pragma("user_version") ?? "0") ?? 0
    }

    /// Refuses a database written by a newer binary, before anything writes to it.
    /// - Throws: ``MigrationError/schemaTooNew(found:known:)``.
    public func checkNotTooNew(_ connection: SQLiteConnection) throws {
        let found = try Self.currentVersion(of: connection)
        if found > latestVersion {
            throw MigrationError.schemaTooNew(found: found, known: latestVersion)
        }
    }

    /// Applies every migration above the database's version, up to `target`, each in its own
    /// immediate transaction with its bookkeeping. Returns the versions it applied.
    public func migrate(_ connection: SQLiteConnection, upTo target: Int? = nil) throws -> [Int] {
        let target = target ?? latestVersion
        var applied: [Int] = []
        for migration in migrations where migration.version <= target {
            guard migration.rebuildsTables else {
                if try apply(migration, connection) { applied.append(migration.version) }
                continue
            }
            // Enforcement can only be switched outside a transaction (SQLite docs, "PRAGMA
            // foreign_keys"); it is switched back on whatever the migration did.
            try connection.execute("PRAGMA foreign_keys = OFF")
            let outcome = Result { try apply(migration, connection) }
            try connection.execute("PRAGMA foreign_keys = ON")
            if try outcome.get() { applied.append(migration.version) }
        }
        return applied
    }

    /// Applies one migration and its bookkeeping in an immediate transaction, unless the
    /// database has it already. - Returns: whether it ran.
    private func apply(_ migration: Migration, _ connection: SQLiteConnection) throws -> Bool {
        try connection.transaction("BEGIN IMMEDIATE") { () throws -> Bool in
            // Read inside the write lock: another process may have migrated meanwhile.
            let current = try Self.currentVersion(of: connection)
            if current > latestVersion {
                throw MigrationError.schemaTooNew(found: current, known: latestVersion)
            }
            guard current < migration.version else { return false }
            try migration.apply(connection)
            if migration.rebuildsTables { try checkForeignKeys(connection, after: migration) }
            try connection.execute("PRAGMA user_version = \(migration.version)")
            return true
        }
    }

    /// Refuses to commit a rebuild that left a reference dangling (it rolls back whole).
    private func checkForeignKeys(_ connection: SQLiteConnection, after migration: Migration) throws {
        let dangling = try connection.withStatement("PRAGMA foreign_key_check") { statement in
            try statement.step() ? (statement.text(0), statement.int64(1)) : nil
        }
        if let (table, rowID) = dangling {
            throw MigrationError.brokenReference(version: migration.version, name: migration.name, table: table, rowID: rowID)
        }
    }
}
