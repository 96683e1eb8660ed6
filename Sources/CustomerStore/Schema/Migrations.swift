import SQLiteEngine

/// The customer schema's history, run by the engine's ``Migrator`` (append-only: a migration that
/// has shipped is never edited or removed; a change is always a new migration with the next number).
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
        customerErasure,
        changeFeed,
        customerMerge,
        activityProjects,
        writePath,
        matchKeyCheck,
        inListChecks,
        activityItemsView,
        compactHistory,
        newCustomerHeadOffice,
        contactsListed,
        nameIndex,
        accountManagerIndex,
        idempotencyKeyClock,
        deferredKeys,
        nameFolds,
        ignorableNameFolds,
        historyManager,
        searchIndex,
        searchIndexPurge,
    ]

    /// The runner of `all`.
    static let migrator = Migrator(all)

    /// The newest schema version this binary knows.
    static var latestVersion: Int { migrator.latestVersion }

    /// The schema version recorded in the database.
    static func currentVersion(of connection: SQLiteConnection) throws -> Int {
        try Migrator.currentVersion(of: connection)
    }
}
