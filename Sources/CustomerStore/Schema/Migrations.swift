/// One numbered schema change.
struct Migration: Sendable {
    let version: Int
    let name: String
    /// Makes the change inside the migration's transaction.
    let apply: @Sendable (SQLiteConnection) throws -> Void
    /// Runs with foreign key enforcement off and checks every foreign key before it commits: the
    /// way SQLite documents for rebuilding a table that others reference (SQLite docs, "ALTER
    /// TABLE", 7: with enforcement on, DROP TABLE would first delete the rows and run the other
    /// tables' ON DELETE actions).
    let rebuildsTables: Bool

    /// A migration that is one SQL script.
    init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        apply = { try $0.execute(sql) }
        rebuildsTables = false
    }

    /// A migration that rebuilds tables, in code (see `rebuildsTables`).
    init(version: Int, name: String, rebuildingTables apply: @escaping @Sendable (SQLiteConnection) throws -> Void) {
        self.version = version
        self.name = name
        self.apply = apply
        rebuildsTables = true
    }
}

/// The schema history, append-only: a migration that has shipped is never edited or removed; a
/// change is always a new migration with the next number.
///
/// The applied version is `PRAGMA user_version` (an integer in the database header). Setting it
/// is transactional, so each migration and its bookkeeping commit or roll back together.
enum Migrations {
    static let all: [Migration] = [
        Migration(version: 1, name: "users", sql: """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                uid INTEGER NOT NULL UNIQUE CHECK (uid BETWEEN 0 AND 4294967295),
                name TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 64),
                is_administrator INTEGER NOT NULL DEFAULT 0 CHECK (is_administrator IN (0, 1)),
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                created_at INTEGER NOT NULL
            );
            """),
        Migration(version: 2, name: "customers", sql: """
            CREATE TABLE customers (
                id INTEGER PRIMARY KEY,
                number INTEGER NOT NULL UNIQUE CHECK (number > 0),
                name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
                -- Case- and accent-folded name: the sort key of "order by name".
                name_key TEXT NOT NULL,
                -- Folded name, number, VAT number and email: what text search matches with LIKE.
                search_text TEXT NOT NULL,
                account_manager_id INTEGER REFERENCES users(id),
                description TEXT,
                vat_number TEXT,
                country TEXT,
                industry TEXT,
                email TEXT,
                website TEXT,
                phone TEXT,
                active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
                version INTEGER NOT NULL DEFAULT 1,
                created_at INTEGER NOT NULL,
                created_by INTEGER NOT NULL REFERENCES users(id),
                updated_at INTEGER NOT NULL,
                updated_by INTEGER NOT NULL REFERENCES users(id)
            );
            -- Keyset pagination: each order has an index that starts with the status filter, so a
            -- page is one index range scan whatever its depth.
            CREATE INDEX customers_by_name ON customers (name_key, id);
            CREATE INDEX customers_by_status_name ON customers (active, name_key, id);
            CREATE INDEX customers_by_status_number ON customers (active, number);
            CREATE INDEX customers_by_updated_at ON customers (updated_at);
            CREATE INDEX customers_by_account_manager ON customers (account_manager_id);
            CREATE INDEX customers_by_created_by ON customers (created_by);
            CREATE INDEX customers_by_updated_by ON customers (updated_by);
            -- The last customer number handed out, so a deleted customer's number is never reused.
            CREATE TABLE customer_number_sequence (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                last_number INTEGER NOT NULL
            );
            INSERT INTO customer_number_sequence (singleton, last_number) VALUES (1, 10000);
            """),
        contactInformation,
        projects,
        customerSettings,
        registryRefresh,
        permissionProfiles,
        identity,
        idempotencyKeys,
        registryStanding,
    ]

    /// The newest schema version this binary knows.
    static var latestVersion: Int { all.last?.version ?? 0 }

    /// The schema version recorded in the database.
    static func currentVersion(of connection: SQLiteConnection) throws -> Int {
        Int(try connection.pragma("user_version") ?? "0") ?? 0
    }

    /// Refuses a database written by a newer binary, before anything writes to it.
    static func checkNotTooNew(_ connection: SQLiteConnection) throws {
        let found = try currentVersion(of: connection)
        if found > latestVersion {
            throw StoreError.schemaTooNew(found: found, known: latestVersion)
        }
    }

    /// Applies every migration above the database's version, up to `target`, each in its own
    /// immediate transaction with its bookkeeping. Returns the versions it applied.
    static func migrate(_ connection: SQLiteConnection, upTo target: Int = latestVersion) throws -> [Int] {
        var applied: [Int] = []
        for migration in all where migration.version <= target {
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
    private static func apply(_ migration: Migration, _ connection: SQLiteConnection) throws -> Bool {
        try connection.transaction("BEGIN IMMEDIATE") { () throws -> Bool in
            // Read inside the write lock: another process may have migrated meanwhile.
            let current = try currentVersion(of: connection)
            if current > latestVersion {
                throw StoreError.schemaTooNew(found: current, known: latestVersion)
            }
            guard current < migration.version else { return false }
            try migration.apply(connection)
            if migration.rebuildsTables { try checkForeignKeys(connection, after: migration) }
            try connection.execute("PRAGMA user_version = \(migration.version)")
            return true
        }
    }

    /// Refuses to commit a rebuild that left a reference dangling (it rolls back whole).
    private static func checkForeignKeys(_ connection: SQLiteConnection, after migration: Migration) throws {
        let dangling = try connection.withStatement("PRAGMA foreign_key_check") { statement in
            try statement.step() ? "\(statement.text(0)) row \(statement.int64(1))" : nil
        }
        if let dangling {
            throw StoreError.failedPrecondition(
                "migration \(migration.version) (\(migration.name)) would leave a broken reference in \(dangling)")
        }
    }
}
