import TestSupport
import Foundation
import Testing
@testable import CustomerStore
import SQLiteEngine

/// Migration 24 adds the idempotency keys' clock, started at the newest key's stamp: the keys an
/// older binary stored (stamped with the wall clock) keep their age, and are forgotten after 24
/// hours of the keys' time as before.
@Suite struct IdempotencyKeyClockMigrationTests {
    static let hour = IdempotencyClaim.clockStepLimitMilliseconds

    static func claim(_ key: String) -> IdempotencyClaim {
        IdempotencyClaim(userID: 1, key: key, method: "test/Create", request: Array("create \(key)".utf8))
    }

    /// A database at the version before 24, its keys written as the version-23 code wrote them.
    static func olderDatabase(_ directory: TemporaryDirectory, clock: TestClock, keys: [(String, Int64)]) throws {
        var options = Fixture.options(clock: clock)
        options.migrateUpTo = Migrations.idempotencyKeyClock.version - 1
        let store = try CustomerStore(path: directory.databasePath, options: options)
        defer { store.close() }
        try store.write { connection in
            for (key, createdAt) in keys {
                try connection.run("""
                    INSERT INTO idempotency_keys (user_id, key, method, request_sha256, response, created_at)
                    VALUES (?, ?, ?, ?, X'01', ?)
                    """, [.integer(1), .text(key), .text("test/Create"), .text(claim(key).requestSHA256),
                          .integer(createdAt)])
            }
        }
    }

    static func clockRow(_ store: CustomerStore) throws -> [Int64?] {
        try store.write { connection in
            try connection.withStatement("SELECT key_time, wall FROM idempotency_key_clock") { statement in
                var rows: [Int64?] = []
                while try statement.step() { rows += [statement.optionalInt64(0), statement.optionalInt64(1)] }
                return rows
            }
        }
    }

    @Test func theKeysOfAnOlderDatabaseKeepTheirAge() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        let start = clock.now.milliseconds
        try Self.olderDatabase(directory, clock: clock, keys: [("old", start - 23 * Self.hour), ("newest", start - Self.hour)])

        let store = try CustomerStore(path: directory.databasePath, options: Fixture.options(clock: clock))
        defer { store.close() }
        #expect(store.appliedMigrations.first == Migrations.idempotencyKeyClock.version)
        #expect(try Self.clockRow(store) == [start - Self.hour, start - Self.hour])
        // An hour of keys' time since the newest key, then another: the old key is 24 hours old.
        #expect(try !store.keyedWrite(Self.claim("now")) { [2] }.isReplay)
        clock.advance(milliseconds: Self.hour)
        #expect(try !store.keyedWrite(Self.claim("later")) { [3] }.isReplay)
        #expect(try store.keyedWrite(Self.claim("old")) { [4] } == .replayed([1]))
        clock.advance(milliseconds: 1)
        #expect(try store.keyedWrite(Self.claim("old")) { [4] } == .ran([4]))
        #expect(try store.keyedWrite(Self.claim("newest")) { [5] } == .replayed([1]))
    }

    @Test func withoutKeysTheFirstKeyedWriteStartsTheClockAtTheWallClock() throws {
        let directory = try TemporaryDirectory()
        let clock = TestClock()
        try Self.olderDatabase(directory, clock: clock, keys: [])

        let store = try CustomerStore(path: directory.databasePath, options: Fixture.options(clock: clock))
        defer { store.close() }
        #expect(try Self.clockRow(store) == [nil, nil])
        _ = try store.keyedWrite(Self.claim("first")) { [] }
        let now = clock.now.milliseconds
        #expect(try Self.clockRow(store) == [now, now])
        #expect(try store.write { connection in
            try connection.withStatement("SELECT created_at FROM idempotency_keys") { try $0.step() ? $0.int64(0) : 0 }
        } == now)
    }
}
