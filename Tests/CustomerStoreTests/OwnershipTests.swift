import TestSupport
import Foundation
import Glibc
import Testing
@testable import CustomerStore

/// One owner per database, taken before anything else, and the checks at open.
@Suite struct OwnershipTests {
    @Test func aSecondOpenOfTheSameDatabaseIsRefusedNamingTheOwnerUntilTheFirstCloses() throws {
        let directory = try TemporaryDirectory()
        let first = try CustomerStore(path: directory.databasePath)
        let error = #expect(throws: StoreOpeningError.self) { _ = try CustomerStore(path: directory.databasePath) }
        #expect(error?.reason == .inUse(ownerPID: getpid()))
        #expect(error?.description.contains("in use by another server (pid \(getpid()))") == true)
        first.close()
        try CustomerStore(path: directory.databasePath).close()
    }

    @Test func aRefusedOpenTouchesNeitherTheDatabaseNorTheStagingArea() throws {
        let directory = try TemporaryDirectory()
        let first = try CustomerStore(path: directory.databasePath)
        defer { first.close() }
        let staged = directory.databasePath + ".files/tmp/running.upload"
        try FileManager.default.createDirectory(atPath: directory.databasePath + ".files/tmp", withIntermediateDirectories: true)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: staged))
        #expect(throws: StoreOpeningError.self) { _ = try CustomerStore(path: directory.databasePath) }
        #expect(FileManager.default.fileExists(atPath: staged))
    }

    @Test func aNewDatabaseAndItsLockAreOwnerOnly() throws {
        let directory = try TemporaryDirectory()
        let store = try CustomerStore(path: directory.databasePath)
        defer { store.close() }
        for path in [directory.databasePath, directory.databasePath + "-wal", directory.databasePath + ".lock"] {
            var info = stat()
            #expect(lstat(path, &info) == 0 && info.st_mode & 0o777 == 0o600, "\(path)")
        }
        // The WAL index lives in the process's memory (SQLiteConnection.vfs): no -shm file at all.
        #expect(!FileManager.default.fileExists(atPath: directory.databasePath + "-shm"))
    }

    @Test func aDamagedDatabaseIsRefusedWithQuickChecksFindings() throws {
        let directory = try TemporaryDirectory()
        let store = try CustomerStore(path: directory.databasePath)
        _ = try store.bootstrap(administrators: [(uid: 1, name: "admin")])
        store.close()
        // Page 2 onwards: the schema's first table pages, not the header quick_check needs to start.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: directory.databasePath))
        try handle.seek(toOffset: 4096 * 2)
        try handle.write(contentsOf: Data(repeating: 0x5A, count: 4096 * 3))
        try handle.close()
        let error = #expect(throws: StoreOpeningError.self) { _ = try CustomerStore(path: directory.databasePath) }
        guard case .damaged(let findings)? = error?.reason else {
            Issue.record("expected damage, got \(String(describing: error))")
            return
        }
        #expect(!findings.isEmpty && findings != ["ok"])
    }

    @Test func aDatabaseOverTheLimitOpensAtOnceAndIsCheckedOnRequest() throws {
        let directory = try TemporaryDirectory()
        try CustomerStore(path: directory.databasePath).close()
        var options = StoreOptions()
        options.integrityCheckAtOpenLimit = 0
        let store = try CustomerStore(path: directory.databasePath, options: options)
        defer { store.close() }
        #expect(store.isIntegrityCheckDeferred)
        try store.checkIntegrity()
        let small = try CustomerStore(path: directory.path("small.sqlite"))
        defer { small.close() }
        #expect(!small.isIntegrityCheckDeferred)
    }
}
