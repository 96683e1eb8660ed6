import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

@Suite struct OpeningTests {
    @Test func newDatabaseIsInWALModeWithForeignKeysAndLatestSchema() throws {
        let directory = try TemporaryDirectory()
        let store = try CustomerStore(path: directory.databasePath)
        #expect(store.appliedMigrations == Migrations.all.map(\.version))
        store.close()
        let raw = try SQLiteConnection(path: directory.databasePath, role: .writer, options: .init())
        #expect(try raw.pragma("journal_mode") == "wal")
        #expect(try raw.pragma("foreign_keys") == "1")
        #expect(try Migrations.currentVersion(of: raw) == Migrations.latestVersion)
    }

    @Test func synchronousFullOptionIsApplied() throws {
        let directory = try TemporaryDirectory()
        let store = try CustomerStore(path: directory.databasePath, options: StoreOptions(synchronous: .full))
        // PRAGMA synchronous reports 2 for FULL, 1 for NORMAL.
        let level = try store.writer.withConnection { try $0.pragma("synchronous") }
        #expect(level == "2")
        let defaultStore = try CustomerStore(path: directory.path("other.sqlite"))
        #expect(try defaultStore.writer.withConnection { try $0.pragma("synchronous") } == "1")
    }

    @Test func fileThatIsNotADatabaseIsRefusedAndLeftAlone() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("notes.txt")
        let content = Data(String(repeating: "These are not SQLite pages. ", count: 200).utf8)
        try content.write(to: URL(fileURLWithPath: path))
        #expect(throws: StoreError.notADatabase(path)) { try CustomerStore(path: path) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
    }

    @Test func newerSchemaIsRefusedWithBothVersionsAndFileUnchanged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        try CustomerStore(path: path).close()
        let future = Migrations.latestVersion + 5
        do {
            let raw = try SQLiteConnection(path: path, role: .writer, options: .init())
            try raw.execute("PRAGMA user_version = \(future)")
            raw.close()
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: path))

        let error = storeError { _ = try CustomerStore(path: path) }
        #expect(error == .schemaTooNew(found: future, known: Migrations.latestVersion))
        let message = error.map(String.init(describing:)) ?? ""
        #expect(message.contains("\(future)") && message.contains("\(Migrations.latestVersion)"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    /// Until the WAL holds a commit, each read transaction sizes the database with fstat(2)
    /// (see `SQLiteConnection.commitToLog`): a store opened where the last close removed the log
    /// has a commit in it before its first read, and its schema version is what it was.
    @Test func openingLeavesACommitInTheLogBeforeTheFirstRead() throws {
        let directory = try TemporaryDirectory()
        let path = directory.databasePath
        try CustomerStore(path: path).close()
        func logSize() -> Int? {
            (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int
        }
        #expect(logSize() == nil, "the last connection to close removes the log")
        let store = try CustomerStore(path: path)
        defer { store.close() }
        let pageSize = try store.writer.withConnection { try $0.pragma("page_size") }.flatMap { Int($0) } ?? 0
        #expect(pageSize > 0)
        // The log's header (32 bytes), then a frame: its header (24) and a page.
        #expect((logSize() ?? 0) >= 32 + 24 + pageSize)
        #expect(try store.writer.withConnection { try Migrations.currentVersion(of: $0) } == Migrations.latestVersion)
    }

    @Test func dataSurvivesCloseAndReopen() throws {
        let fixture = try Fixture()
        let created = try fixture.create("Kone Oyj", vatNumber: "FI 0109 8628", country: "fi")
        fixture.store.close()
        #expect(throws: StoreError.closed) { try fixture.store.customer(id: created.id) }

        let reopened = try CustomerStore(path: fixture.directory.databasePath)
        #expect(reopened.appliedMigrations.isEmpty)
        #expect(try reopened.customer(id: created.id) == created)
        #expect(try reopened.listUsers().map(\.name) == ["alice", "bob"])
    }
}
