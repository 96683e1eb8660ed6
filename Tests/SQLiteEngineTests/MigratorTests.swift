import Foundation
import Testing
import SQLiteEngine

@Suite struct MigratorTests {
    static let history = [
        Migration(version: 1, name: "parents", sql: "CREATE TABLE parent (id INTEGER PRIMARY KEY)"),
        Migration(version: 2, name: "children", sql: """
            CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id));
            """),
    ]

    /// Migrations run once each, in order, up to a target; the version is `user_version`.
    @Test func migrationsRunOnceEachUpToTheTarget() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: "")
        let migrator = Migrator(Self.history)
        #expect(migrator.latestVersion == 2)
        #expect(try migrator.migrate(connection, upTo: 1) == [1])
        #expect(try Migrator.currentVersion(of: connection) == 1)
        #expect(try migrator.migrate(connection) == [2])
        #expect(try migrator.migrate(connection).isEmpty)
        #expect(try Migrator.currentVersion(of: connection) == 2)
    }

    /// A database from a newer history is refused and left as it is.
    @Test func aNewerDatabaseIsRefused() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: "PRAGMA user_version = 5")
        let migrator = Migrator(Self.history)
        #expect(throws: MigrationError.schemaTooNew(found: 5, known: 2)) { try migrator.checkNotTooNew(connection) }
        #expect(throws: MigrationError.schemaTooNew(found: 5, known: 2)) { try migrator.migrate(connection) }
        #expect(try Migrator.currentVersion(of: connection) == 5)
    }

    /// A failing migration rolls back with its bookkeeping; a table rebuild that leaves a
    /// reference dangling is refused whole, and foreign keys are enforced again afterwards.
    @Test func failedMigrationsChangeNothing() throws {
        let database = try TemporaryDatabase()
        let connection = try database.openWriter(schema: "")
        _ = try Migrator(Self.history).migrate(connection)
        try connection.execute("INSERT INTO parent (id) VALUES (1); INSERT INTO child (id, parent_id) VALUES (1, 1)")
        let broken = Self.history + [Migration(version: 3, name: "drop parents", rebuildingTables: { connection in
            try connection.execute("DELETE FROM parent")
        })]
        #expect(throws: MigrationError.brokenReference(version: 3, name: "drop parents", table: "child", rowID: 1)) {
            try Migrator(broken).migrate(connection)
        }
        #expect(try Migrator.currentVersion(of: connection) == 2)
        #expect(try connection.pragma("foreign_keys") == "1")
        let bad = Self.history + [Migration(version: 3, name: "bad", sql: "CREATE TABLE x (a); SELEKT")]
        #expect(throws: SQLiteError.self) { try Migrator(bad).migrate(connection) }
        #expect(try Migrator.currentVersion(of: connection) == 2)
        #expect(try connection.withStatement("SELECT count(*) FROM sqlite_master WHERE name = 'x'") { try $0.step() ? $0.int64(0) : -1 } == 0)
    }
}
